"""One node at a time: its properties, its card, its neighbours, and the colour it is drawn in.

The small reads every other view builds on (:mod:`graph.views.pages`, ``search``,
``directory``, ``subgraph``, ``vis``): pure functions over the frozen networkx snapshot.

>>> from graph.data import Node, Rel, to_networkx
>>> g = to_networkx(
...     [Node(K.THEME, {"id": "t", "name": "Time", "listed_order": 1}),
...      Node(K.CHALLENGE, {"id": "c", "name": "Collaboration time", "catalyst": True})],
...     [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
>>> card(g, "c")["themes"], colour_of(g, "c")
(['t'], '#1f5fa8')
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from graph.analyses.addressing import addressing
from graph.data import Snapshot
from graph.errors import NotFound
from graph.model import NodeKind as K
from graph.model import RelType as R
from graph.views.kinds import KIND_ORDER, KINDS, NO_THEME_COLOUR, THEME_PALETTE, rel_phrase

__all__ = [
    "card",
    "catalysts",
    "colour_of",
    "kind_of",
    "name_of",
    "neighbours",
    "node",
    "node_detail",
    "of_kind",
    "partner_counts",
    "sort_key",
    "strings",
    "theme_colours",
    "themes_of",
]


def node(g: Snapshot, node_id: str) -> dict[str, Any]:
    """A copy of one node's properties (``kind`` included); :class:`NotFound` if absent.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.THEME, {"id": "t", "name": "T"})], [])
    >>> node(g, "t")["kind"]
    'Theme'
    >>> node(g, "nope")
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no node has the id 'nope'
    """
    if not isinstance(node_id, str) or node_id not in g:
        raise NotFound(f"no node has the id {node_id!r}")
    return dict(g.nodes[node_id])


def of_kind(g: Snapshot, kind: K) -> list[str]:
    """Ids of every node of one kind, in the snapshot's order."""
    return [str(n) for n, a in g.nodes(data=True) if a.get("kind") == kind]


def strings(value: Any) -> list[str]:
    """A list property as strings (``[]`` for a missing or scalar value)."""
    return [str(v) for v in value] if isinstance(value, list) else []


def name_of(g: Snapshot, node_id: str) -> str:
    """What a node is called: its name, else its title, else its id."""
    attrs = g.nodes[node_id]
    return str(attrs.get("name") or attrs.get("title") or node_id)


def kind_of(g: Snapshot, node_id: str) -> str:
    """A node's kind (its label)."""
    return str(g.nodes[node_id].get("kind", ""))


def sort_key(g: Snapshot, node_id: str) -> tuple[int, str, str]:
    """Display order: by kind (``KIND_ORDER``), then name, then id."""
    kind = kind_of(g, node_id)
    order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return order, name_of(g, node_id).casefold(), node_id


def neighbours(
    g: Snapshot, node_id: str, rel: R, *, incoming: bool = False
) -> list[tuple[str, str]]:
    """(other node id, basis) over ``rel`` edges, in display order."""
    found: dict[str, str] = {}
    if incoming:
        for u, _, key, data in g.in_edges(node_id, keys=True, data=True):
            if key == rel.value:
                found[u] = str(data.get("basis") or "stated")
    else:
        for _, v, key, data in g.out_edges(node_id, keys=True, data=True):
            if key == rel.value:
                found[v] = str(data.get("basis") or "stated")
    return [(n, found[n]) for n in sorted(found, key=lambda n: sort_key(g, n))]


def themes_of(g: Snapshot, challenge_id: str) -> list[str]:
    """A challenge's theme ids, in the map's theme order."""
    themes = [t for t, _ in neighbours(g, challenge_id, R.IN_THEME)]
    return sorted(themes, key=lambda t: (g.nodes[t].get("listed_order") or 99, t))


@lru_cache(maxsize=8)
def theme_colours(g: Snapshot) -> dict[str, str]:
    """Theme id -> colour, by the theme's position on the map's list.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.THEME, {"id": "t", "name": "T", "listed_order": 1})], [])
    >>> theme_colours(g)
    {'t': '#1f5fa8'}
    """
    themes = sorted(
        of_kind(g, K.THEME),
        key=lambda t: (g.nodes[t].get("listed_order") or 99, t),
    )
    return {t: THEME_PALETTE[i % len(THEME_PALETTE)] for i, t in enumerate(themes)}


def colour_of(g: Snapshot, node_id: str) -> str:
    """A node's fill: its theme's colour for themes and challenges, else its kind's."""
    kind = kind_of(g, node_id)
    if kind == K.THEME:
        return theme_colours(g).get(node_id, KINDS[K.THEME].colour)
    if kind == K.CHALLENGE:
        themes = themes_of(g, node_id)
        return theme_colours(g).get(themes[0], NO_THEME_COLOUR) if themes else NO_THEME_COLOUR
    return KINDS[kind].colour if kind in KINDS else NO_THEME_COLOUR


def partner_counts(g: Snapshot, *, include_inferred: bool = True) -> Mapping[str, int]:
    """Challenge id -> how many partners address it (0 for challenges nobody addresses).

    Cached per snapshot: a read-only mapping.
    """
    return _partner_counts(g, include_inferred)


@lru_cache(maxsize=16)
def _partner_counts(g: Snapshot, include_inferred: bool) -> Mapping[str, int]:
    counts = dict.fromkeys(of_kind(g, K.CHALLENGE), 0)
    seen: set[tuple[str, str]] = set()
    for a in addressing(g, include_inferred=include_inferred):
        if (a.partner, a.challenge) not in seen:
            seen.add((a.partner, a.challenge))
            counts[a.challenge] = counts.get(a.challenge, 0) + 1
    return MappingProxyType(counts)


def catalysts(g: Snapshot) -> list[str]:
    """Ids of the challenges flagged as catalysts, by name."""
    ids = [n for n in of_kind(g, K.CHALLENGE) if g.nodes[n].get("catalyst")]
    return sorted(ids, key=lambda n: sort_key(g, n))


def card(g: Snapshot, node_id: str) -> dict[str, Any]:
    """A short, JSON-ready description of a node for lists and links.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.PARTNER, {"id": "p", "name": "P", "sector": "Museum"})], [])
    >>> card(g, "p")
    {'id': 'p', 'kind': 'Partner', 'name': 'P', 'sector': 'Museum', 'location': None}
    """
    attrs = node(g, node_id)
    out: dict[str, Any] = {"id": node_id, "kind": attrs["kind"], "name": name_of(g, node_id)}
    kind = attrs["kind"]
    if kind == K.CHALLENGE:
        out["catalyst"] = attrs.get("catalyst")
        out["themes"] = themes_of(g, node_id)
        out["partners"] = partner_counts(g).get(node_id, 0)
    elif kind == K.PARTNER:
        out["sector"] = attrs.get("sector")
        out["location"] = attrs.get("location")
    elif kind == K.COMMITMENT:
        out["era"] = attrs.get("era")
    return out


def _rels(g: Snapshot, node_id: str) -> list[dict[str, Any]]:
    """Every relationship of a node, both directions, with the other end's card."""
    out: list[dict[str, Any]] = []
    for _, v, key, data in g.out_edges(node_id, keys=True, data=True):
        out.append(_rel_entry(g, "out", key, v, data))
    for u, _, key, data in g.in_edges(node_id, keys=True, data=True):
        out.append(_rel_entry(g, "in", key, u, data))
    out.sort(key=lambda r: (r["type"], r["direction"], *sort_key(g, r["node"]["id"])))
    return out


def _rel_entry(g: Snapshot, direction: str, rtype: str, other: str, data: Any) -> dict[str, Any]:
    return {
        "type": rtype,
        "phrase": rel_phrase(rtype),
        "direction": direction,
        "basis": data.get("basis") or "stated",
        "source_url": list(data.get("source_url") or []),
        "method": data.get("method"),
        "evidence": data.get("evidence"),
        "node": card(g, other),
    }


def node_detail(g: Snapshot, node_id: str) -> dict[str, Any]:
    """A node's properties and all its relationships (each with the other end's card)."""
    return {"node": node(g, node_id), "relationships": _rels(g, node_id)}
