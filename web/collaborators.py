"""The "Find collaborators" view: ranked partners for a partner, and who covers challenges.

``/collaborators?partner=ID`` ranks other partners as collaborators for one partner, each
with the *why* sentence and the evidence paths (``graph.collaborators``);
``/collaborators?challenge=ID&challenge=ID`` lists the partners already on those challenges
and a small set that covers them all (``graph.cover``, approximate). Both take
``inferred=0|1``. The JSON twins are ``/api/partners/<id>/collaborators`` and
``/api/cover``; page and API read one parser (:func:`_args`). The form works without
script: the partner box is a text input with a ``<datalist>`` (``find=NAME`` resolves to a
partner and redirects to the canonical URL), the challenges are checkboxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, url_for
from werkzeug.wrappers import Response

from graph import LIMITS, NodeKind, Snapshot, collaborators, cover
from graph.views import card, collaborator_view, cover_view, node, of_kind, resolve
from web.db import get_snapshot
from web.errors import BadRequest, NotFoundError
from web.params import get_bool, get_int, get_list, get_str
from web.render import linked, node_url

__all__ = ["bp"]

bp = Blueprint("collaborators", __name__)


@dataclass(frozen=True)
class _Args:
    """What a collaborator or cover request asks for, bounded."""

    inferred: bool
    limit: int
    challenges: tuple[str, ...]

    def url_args(self, partner: str) -> dict[str, Any]:
        """The canonical query-string of a ranking for ``partner`` (defaults left out)."""
        out: dict[str, Any] = {"partner": partner}
        if self.challenges:
            out["challenge"] = list(self.challenges)
        if not self.inferred:
            out["inferred"] = 0
        if self.limit != LIMITS.collaborators:
            out["limit"] = self.limit
        return out


def _args() -> _Args:
    """``inferred``, ``limit`` and the repeatable ``challenge`` of every request here."""
    return _Args(
        inferred=bool(get_bool("inferred", True)),
        limit=get_int("limit", LIMITS.collaborators, 1, LIMITS.collaborators_max),
        challenges=tuple(get_list("challenge", max_items=LIMITS.cover_challenges)),
    )


def _partner(g: Snapshot, node_id: str) -> dict[str, Any]:
    """The card of a partner; 404 for any other id."""
    if node(g, node_id)["kind"] != NodeKind.PARTNER:
        raise NotFoundError(f"no partner with id {node_id!r}")
    return card(g, node_id)


def _options(g: Snapshot) -> dict[str, Any]:
    """The form's choices: every partner's name, every challenge (catalysts first)."""
    names = sorted(str(g.nodes[n].get("name") or n) for n in of_kind(g, NodeKind.PARTNER))
    challenges = sorted(
        (card(g, n) for n in of_kind(g, NodeKind.CHALLENGE)),
        key=lambda c: (not c["catalyst"], c["name"].casefold()),
    )
    return {"partner_names": names, "all_challenges": challenges}


@bp.get("/collaborators", strict_slashes=False)
def index() -> str | Response:
    g = get_snapshot()
    args = _args()
    find = get_str("find")
    if find:
        found = resolve(g, find, kind=NodeKind.PARTNER)
        return redirect(url_for("collaborators.index", **args.url_args(found)))
    partner = get_str("partner") or None
    ranked: list[dict[str, Any]] | None = None
    subject = None
    if partner is not None:
        if partner not in g:
            raise NotFoundError(f"no partner with id {partner!r}")
        subject = _partner(g, partner)
        found_list = collaborators(g, partner, include_inferred=args.inferred, limit=args.limit)
        ranked = [collaborator_view(g, c) for c in found_list]
    chosen = list(args.challenges)
    covered = cover_view(g, cover(g, chosen, include_inferred=args.inferred)) if chosen else None
    return render_template(
        "collaborators.html",
        subject=subject,
        ranked=ranked,
        covered=covered,
        args=args,
        max_limit=LIMITS.collaborators_max,
        **_options(g),
    )


@bp.get("/api/partners/<node_id>/collaborators")
def api_partner_collaborators(node_id: str) -> Response:
    g = get_snapshot()
    args = _args()
    found = collaborators(g, node_id, include_inferred=args.inferred, limit=args.limit)
    return jsonify(
        {
            "partner": linked(card(g, node_id)),
            "include_inferred": args.inferred,
            "limit": args.limit,
            "collaborators": [
                {**c.to_dict(), "url": node_url(NodeKind.PARTNER, c.partner)} for c in found
            ],
        }
    )


@bp.get("/api/cover")
def api_cover() -> Response:
    g = get_snapshot()
    args = _args()
    if not args.challenges:
        raise BadRequest("give at least one challenge id: ?challenge=ID&challenge=ID…")
    result = cover(g, list(args.challenges), include_inferred=args.inferred)
    return jsonify(
        {
            **result.to_dict(),
            "names": {c: card(g, c)["name"] for c in result.challenges},
            "urls": {c: node_url(NodeKind.CHALLENGE, c) for c in result.challenges},
        }
    )
