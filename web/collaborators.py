"""The "Find collaborators" view: ranked partners for a partner, and who covers challenges.

``/collaborators?partner=ID`` ranks other partners as collaborators for one partner, each
with the *why* sentence and the evidence paths (``graph.analyses.collaborators.collaborators``);
``/collaborators?challenge=ID&challenge=ID`` lists the partners already on those challenges
and a small set that covers them all (``graph.analyses.collaborators.cover``, approximate).
Both take ``inferred=0|1``. The form works without script: the partner box is a text input with a
``<datalist>`` (``find=NAME`` resolves to a partner and redirects to the canonical URL), the
challenges are checkboxes. The helpers here also feed the partner page and the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from graph import NodeKind, collaborators, cover
from graph.analyses.collaborators import Collaborator, Cover
from graph.data import Snapshot
from graph.views import card, evidence_path, resolve
from web.db import get_snapshot
from web.errors import BadRequest, NotFoundError
from web.params import get_bool, get_int, get_list, get_str
from web.render import node_url

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_CHALLENGES",
    "MAX_LIMIT",
    "bp",
    "collaborator_view",
    "cover_view",
]

bp = Blueprint("collaborators", __name__, url_prefix="/collaborators")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: The most challenges one cover request may name (the map has 104 in all).
MAX_CHALLENGES = 104

_TIER_WORDS = {
    "challenge": "shares challenges",
    "focus_area": "shares focus areas",
    "theme": "shares themes",
}


@dataclass(frozen=True)
class Shared:
    """One thing two partners share (a challenge, focus area or theme), ready to show."""

    item: dict[str, Any]
    basis: str
    weight: float
    partners: int
    theirs: tuple[dict[str, Any], ...]
    own: tuple[dict[str, Any], ...]


def collaborator_view(g: Snapshot, c: Collaborator) -> dict[str, Any]:
    """One suggestion for a template: the partner card, why, and what is shared, with paths."""
    shared: list[Shared] = []
    for s in c.challenges:
        shared.append(
            Shared(
                card(g, s.challenge),
                s.basis,
                s.weight,
                s.partners,
                tuple(evidence_path(g, p) for p in s.theirs),
                tuple(evidence_path(g, p) for p in s.own),
            )
        )
    if c.tier != "challenge":
        for f in c.focus_areas:
            shared.append(
                Shared(
                    card(g, f.focus_area),
                    f.basis,
                    f.weight,
                    f.partners,
                    tuple(evidence_path(g, p) for p in f.theirs),
                    tuple(evidence_path(g, p) for p in f.own),
                )
            )
    if c.tier == "theme":
        for t in c.themes:
            shared.append(Shared(card(g, t.theme), t.basis, t.weight, t.partners, (), ()))
    return {
        "partner": card(g, c.partner),
        "tier": c.tier,
        "tier_words": _TIER_WORDS.get(c.tier, c.tier),
        "score": c.score,
        "basis": c.basis,
        "why": c.why,
        "shared": shared,
    }


def collaborator_dict(c: Collaborator) -> dict[str, Any]:
    """One suggestion as JSON: ``Collaborator.to_dict()`` plus the partner page URL."""
    return {**c.to_dict(), "url": node_url("Partner", c.partner)}


def cover_view(g: Snapshot, result: Cover) -> dict[str, Any]:
    """A cover for a template: each challenge with its partners (and paths), the picks."""
    names = {c: card(g, c) for c in result.challenges}
    return {
        "challenges": [
            {
                "challenge": names[c],
                "partners": [
                    {
                        "partner": card(g, p.partner),
                        "basis": p.basis,
                        "paths": [evidence_path(g, x) for x in p.paths],
                    }
                    for p in result.on_each[c]
                ],
            }
            for c in result.challenges
        ],
        "picks": [
            {
                "partner": card(g, p.partner),
                "covers": [names[c] for c in p.covers],
                "on": [names[c] for c in p.on],
            }
            for p in result.picks
        ],
        "uncovered": [names[c] for c in result.uncovered],
        "note": result.note,
        "approximate": result.approximate,
    }


def cover_dict(g: Snapshot, result: Cover) -> dict[str, Any]:
    """A cover as JSON: ``Cover.to_dict()`` plus each challenge's name and page URL."""
    return {
        **result.to_dict(),
        "names": {c: card(g, c)["name"] for c in result.challenges},
        "urls": {c: node_url("Challenge", c) for c in result.challenges},
    }


def challenge_ids() -> list[str]:
    """The ``challenge`` values of the query string (repeatable), bounded."""
    return get_list("challenge", max_items=MAX_CHALLENGES)


def _options(g: Snapshot) -> dict[str, Any]:
    partners = sorted(
        (str(a.get("name") or n), str(n))
        for n, a in g.nodes(data=True)
        if a.get("kind") == "Partner"
    )
    challenges = sorted(
        (card(g, str(n)) for n, a in g.nodes(data=True) if a.get("kind") == "Challenge"),
        key=lambda c: (not c["catalyst"], c["name"].casefold()),
    )
    return {"partner_names": [name for name, _ in partners], "all_challenges": challenges}


@bp.get("", strict_slashes=False)
def index() -> str | Response:
    g = get_snapshot()
    inferred = bool(get_bool("inferred", True))
    limit = get_int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    chosen = challenge_ids()
    find = get_str("find")
    partner = get_str("partner") or None
    if find:
        found = resolve(g, find, kind=NodeKind.PARTNER)
        args: dict[str, Any] = {"partner": found}
        if chosen:
            args["challenge"] = chosen
        if not inferred:
            args["inferred"] = 0
        if limit != DEFAULT_LIMIT:
            args["limit"] = limit
        return redirect(url_for("collaborators.index", **args))

    ranked: list[dict[str, Any]] | None = None
    subject = None
    if partner is not None:
        if partner not in g or g.nodes[partner].get("kind") != "Partner":
            raise NotFoundError(f"no partner with id {partner!r}")
        subject = card(g, partner)
        found_list = collaborators(g, partner, include_inferred=inferred, limit=limit)
        ranked = [collaborator_view(g, c) for c in found_list]
    covered = cover_view(g, cover(g, chosen, include_inferred=inferred)) if chosen else None
    return render_template(
        "collaborators.html",
        subject=subject,
        ranked=ranked,
        covered=covered,
        chosen=chosen,
        inferred=inferred,
        limit=limit,
        max_limit=MAX_LIMIT,
        **_options(g),
    )


def require_challenges() -> list[str]:
    """The challenges of a cover request: at least one (a 400 otherwise)."""
    chosen = challenge_ids()
    if not chosen:
        raise BadRequest("give at least one challenge id: ?challenge=ID&challenge=ID…")
    return chosen
