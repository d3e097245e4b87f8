"""How the collaborator finder's answers are shown: each suggestion and each cover as cards.

``graph.analyses.collaborators`` ranks and covers; this module turns its results into
what the ``/collaborators`` page and the partner page render (node cards, evidence paths
as cards), so both pages show a suggestion the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.analyses.addressing import EvidencePath
from graph.analyses.collaborators import (
    Collaborator,
    Cover,
    SharedChallenge,
    SharedFocusArea,
)
from graph.data import Snapshot
from graph.views.nodes import card
from graph.views.pages import evidence_path

__all__ = ["Shared", "collaborator_view", "cover_view"]

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


def _paths(g: Snapshot, paths: Iterable[EvidencePath]) -> tuple[dict[str, Any], ...]:
    return tuple(evidence_path(g, p) for p in paths)


def _shared(g: Snapshot, node_id: str, s: SharedChallenge | SharedFocusArea) -> Shared:
    return Shared(
        card(g, node_id), s.basis, s.weight, s.partners, _paths(g, s.theirs), _paths(g, s.own)
    )


def collaborator_view(g: Snapshot, c: Collaborator) -> dict[str, Any]:
    """One suggestion for a page: the partner card, why, and what is shared, with paths."""
    shared = [_shared(g, s.challenge, s) for s in c.challenges]
    if c.tier != "challenge":
        shared += [_shared(g, f.focus_area, f) for f in c.focus_areas]
    if c.tier == "theme":
        shared += [
            Shared(card(g, t.theme), t.basis, t.weight, t.partners, (), ()) for t in c.themes
        ]
    return {
        "partner": card(g, c.partner),
        "tier": c.tier,
        "tier_words": _TIER_WORDS.get(c.tier, c.tier),
        "score": c.score,
        "basis": c.basis,
        "why": c.why,
        "shared": shared,
    }


def cover_view(g: Snapshot, result: Cover) -> dict[str, Any]:
    """A cover for a page: each challenge with its partners (and paths), the picks."""
    names = {c: card(g, c) for c in result.challenges}
    return {
        "challenges": [
            {
                "challenge": names[c],
                "partners": [
                    {
                        "partner": card(g, p.partner),
                        "basis": p.basis,
                        "paths": list(_paths(g, p.paths)),
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
