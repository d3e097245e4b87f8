"""How the collaborator finder's answers are shown: each suggestion and each cover as cards.

``graph.analyses.collaborators`` ranks and covers; this module turns its results into
what the ``/collaborators`` page and the partner page render (node cards, evidence paths
as cards), so both pages show a suggestion the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.analyses.addressing import EvidencePath
from graph.analyses.collaborators import Collaborator, Cover
from graph.data import Snapshot
from graph.views.nodes import card
from graph.views.pages import evidence_path

__all__ = ["collaborator_view", "cover_view"]

_TIER_WORDS = {
    "team": "same project team",
    "challenge": "shares challenges",
    "activity": "same activity",
    "focus_area": "shares focus areas",
    "theme": "shares themes",
}


def _paths(g: Snapshot, paths: Iterable[EvidencePath]) -> tuple[dict[str, Any], ...]:
    return tuple(evidence_path(g, p) for p in paths)


def collaborator_view(g: Snapshot, c: Collaborator) -> dict[str, Any]:
    """One suggestion for a page: the partner card, why, and every shared thread (a
    team, challenge, activity, focus area or theme) with both sides' paths."""
    return {
        "partner": card(g, c.partner),
        "tier": c.tier,
        "tier_words": _TIER_WORDS.get(c.tier, c.tier),
        "score": c.score,
        "basis": c.basis,
        "why": c.why,
        "shared": [
            {
                "kind": s.kind,
                "item": card(g, s.id),
                "basis": s.basis,
                "weight": s.weight,
                "partners": s.partners,
                "complementary": s.complementary,
                "theirs": _paths(g, s.theirs),
                "own": _paths(g, s.own),
            }
            for s in c.shared
        ],
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
