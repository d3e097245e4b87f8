"""What each page shows: the overview, a theme, a challenge, a partner.

Each function returns a JSON-ready dict that the HTML page renders and its ``/api`` twin
sends as it is, so a page and its API never disagree.

>>> from graph.data import Node, Rel, to_networkx
>>> g = to_networkx(
...     [Node(K.THEME, {"id": "t", "name": "Time", "listed_order": 1}),
...      Node(K.CHALLENGE, {"id": "c", "name": "Collaboration time", "catalyst": True})],
...     [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
>>> [c["name"] for c in theme_detail(g, "t")["challenges"]]
['Collaboration time']
>>> overview(g)["counts"]["Challenge"]
1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.analyses.addressing import (
    Addressing,
    EvidencePath,
    ThemeAddressing,
    addressing,
    theme_addressing,
)
from graph.data import Snapshot
from graph.errors import NotFound
from graph.model import NodeKind as K
from graph.model import RelType as R
from graph.views.kinds import KIND_ORDER
from graph.views.nodes import (
    card,
    catalysts,
    colour_of,
    neighbours,
    node,
    of_kind,
    theme_colours,
    themes_of,
)

__all__ = [
    "challenge_detail",
    "challenge_list",
    "evidence_path",
    "overview",
    "partner_detail",
    "theme_detail",
]


def overview(g: Snapshot) -> dict[str, Any]:
    """Counts per kind, the themes (with challenge and partner counts) and the catalysts."""
    counts = {k: 0 for k in KIND_ORDER}
    for _, attrs in g.nodes(data=True):
        kind = str(attrs.get("kind"))
        counts[kind] = counts.get(kind, 0) + 1
    by_challenge: dict[str, set[str]] = {}
    for a in addressing(g):
        by_challenge.setdefault(a.challenge, set()).add(a.partner)
    themes = []
    for tid in theme_colours(g):
        challenges = [c for c, _ in neighbours(g, tid, R.IN_THEME, incoming=True)]
        partners: set[str] = set()
        for c in challenges:
            partners |= by_challenge.get(c, set())
        themes.append(
            {
                **card(g, tid),
                "question": g.nodes[tid].get("question"),
                "colour": theme_colours(g)[tid],
                "challenges": len(challenges),
                "catalysts": sum(1 for c in challenges if g.nodes[c].get("catalyst")),
                "partners": len(partners),
            }
        )
    return {
        "counts": counts,
        "relationships": g.number_of_edges(),
        "themes": themes,
        "catalysts": [card(g, c) for c in catalysts(g)],
    }


def evidence_path(g: Snapshot, path: EvidencePath) -> dict[str, Any]:
    """An evidence path for a page: how it runs (``via``, in ``words``), the partner's
    ``role`` on it, whether a link on it was ``curated``, its basis, node cards, links."""
    return {
        "via": path.via,
        "words": path.words,
        "role": path.role,
        "curated": path.curated,
        "basis": path.basis,
        "nodes": [card(g, n) for n in path.nodes],
        "rels": [{"type": r, "basis": b} for r, b in zip(path.rels, path.bases, strict=True)],
    }


def _addressing_entries(
    g: Snapshot, found: Sequence[Addressing | ThemeAddressing], other: str
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = [
        {
            other: card(g, getattr(a, other)),
            "basis": a.basis,
            "paths": [evidence_path(g, p) for p in a.paths],
        }
        for a in found
    ]
    entries.sort(key=lambda e: (e["basis"] != "stated", e[other]["name"].casefold()))
    return entries


def _linked(g: Snapshot, node_id: str, rel: R, *, incoming: bool) -> list[dict[str, Any]]:
    out = []
    for other, basis in neighbours(g, node_id, rel, incoming=incoming):
        entry = {**node(g, other), **card(g, other), "basis": basis}
        out.append(entry)
    return out


def theme_detail(g: Snapshot, theme_id: str) -> dict[str, Any]:
    """A theme, its challenges (catalysts flagged, partner counts), resources and activities."""
    attrs = node(g, theme_id)
    if attrs["kind"] != K.THEME:
        raise NotFound(f"{theme_id!r} is not a theme")
    challenges = [card(g, c) for c, _ in neighbours(g, theme_id, R.IN_THEME, incoming=True)]
    challenges.sort(key=lambda c: (not c["catalyst"], c["name"].casefold()))
    return {
        "theme": {**attrs, "colour": theme_colours(g).get(theme_id)},
        "challenges": challenges,
        "resources": _linked(g, theme_id, R.ABOUT, incoming=True),
        "activities": _linked(g, theme_id, R.CONCERNS, incoming=True),
    }


def challenge_list(
    g: Snapshot, *, theme: str | None = None, catalyst: bool | None = None
) -> list[dict[str, Any]]:
    """Every challenge's card, most addressed first; only one theme's, or only catalysts
    (``catalyst=True``) or only the others (``False``), when asked.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.CHALLENGE, {"id": f"c{i}", "name": f"C{i}", "catalyst": i == 1})
    ...                  for i in range(3)], [])
    >>> [c["id"] for c in challenge_list(g)], [c["id"] for c in challenge_list(g, catalyst=True)]
    (['c0', 'c1', 'c2'], ['c1'])
    """
    rows = [card(g, n) for n in of_kind(g, K.CHALLENGE)]
    if theme is not None:
        rows = [r for r in rows if theme in r["themes"]]
    if catalyst is not None:
        rows = [r for r in rows if bool(r["catalyst"]) == catalyst]
    rows.sort(key=lambda r: (-r["partners"], r["name"].casefold()))
    return rows


def challenge_detail(
    g: Snapshot, challenge_id: str, *, include_inferred: bool = True
) -> dict[str, Any]:
    """A challenge with its themes, focus areas, keystones, resources, and who addresses it.

    ``addressed_by`` lists each partner with every evidence path (commitment, or project
    team -> focus area) and its basis, stated partners first.
    """
    attrs = node(g, challenge_id)
    if attrs["kind"] != K.CHALLENGE:
        raise NotFound(f"{challenge_id!r} is not a challenge")
    found = addressing(g, challenge=challenge_id, include_inferred=include_inferred)
    return {
        "challenge": {**attrs, "colour": colour_of(g, challenge_id)},
        "themes": [card(g, t) for t in themes_of(g, challenge_id)],
        "focus_areas": _linked(g, challenge_id, R.TARGETS, incoming=True),
        "keystones": _linked(g, challenge_id, R.CORRESPONDS_TO, incoming=True),
        "resources": _linked(g, challenge_id, R.ABOUT, incoming=True),
        "activities": _linked(g, challenge_id, R.CONCERNS, incoming=True),
        "cited_by": _linked(g, challenge_id, R.CITES, incoming=True),
        "commitments": _linked(g, challenge_id, R.ADDRESSES, incoming=True),
        "addressed_by": _addressing_entries(g, found, "partner"),
    }


def partner_detail(g: Snapshot, partner_id: str) -> dict[str, Any]:
    """A partner: its commitments (full text), project teams, funded focus areas,
    activities, the challenges it addresses with the evidence, and the themes it
    addresses as a whole (``addresses_themes``)."""
    attrs = node(g, partner_id)
    if attrs["kind"] != K.PARTNER:
        raise NotFound(f"{partner_id!r} is not a partner")
    commitments = _linked(g, partner_id, R.MADE, incoming=False)
    for c in commitments:
        c["challenges"] = [card(g, x) for x, _ in neighbours(g, c["id"], R.ADDRESSES)]
    teams = _linked(g, partner_id, R.MEMBER_OF, incoming=False)
    for t in teams:
        t["focus_areas"] = [card(g, x) for x, _ in neighbours(g, t["id"], R.WORKS_ON)]
    same = [card(g, p) for p in attrs.get("possible_same_as") or [] if p in g]
    return {
        "partner": attrs,
        "commitments": commitments,
        "project_teams": teams,
        "funds": _linked(g, partner_id, R.FUNDS, incoming=False),
        "activities": _linked(g, partner_id, R.TOOK_PART_IN, incoming=False),
        "possible_same_as": same,
        "addresses": _addressing_entries(g, addressing(g, partner=partner_id), "challenge"),
        "addresses_themes": _addressing_entries(
            g, theme_addressing(g, partner=partner_id), "theme"
        ),
    }
