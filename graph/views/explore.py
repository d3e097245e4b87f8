"""Exploring the snapshot: node details, search, the partner directory, and subgraphs.

Pure functions over the frozen networkx snapshot (``store.snapshot()``), so the web
pages, the JSON API, the notebooks and the standalone exports show the same things
whichever backend holds the graph. Nothing here mutates the snapshot: subgraphs are
described by their node and edge ids, and :func:`to_vis` builds fresh, JSON-ready dicts
in vis-network's shape with seeded, cached positions (the same request always gives the
same picture).

>>> from graph.data import Node, Rel, to_networkx
>>> from graph.model import NodeKind as K, RelType as R
>>> g = to_networkx(
...     [Node(K.THEME, {"id": "t", "name": "Time", "listed_order": 1}),
...      Node(K.CHALLENGE, {"id": "c", "name": "Collaboration time", "catalyst": True})],
...     [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
>>> sub = subgraph(g, ["c"], depth=1)
>>> sub.nodes, sub.truncated
(('c', 't'), False)
>>> [n["label"] for n in to_vis(g, sub)["nodes"]]
['Collaboration time', 'Time']
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import networkx as nx

from graph.analyses.addressing import Addressing, EvidencePath, addressing
from graph.data import Snapshot
from graph.errors import NotFound
from graph.model import NodeKind, RelType

__all__ = [
    "DEFAULT_MAX_NODES",
    "KIND_COLOURS",
    "KIND_ORDER",
    "KIND_SHAPES",
    "MAX_DEPTH",
    "MAX_NODES",
    "SORTS",
    "DirectoryPage",
    "DirectoryQuery",
    "SearchHit",
    "Subgraph",
    "card",
    "catalysts",
    "challenge_detail",
    "directory",
    "directory_facets",
    "layout",
    "legend",
    "node",
    "node_detail",
    "overview",
    "partner_counts",
    "partner_detail",
    "search",
    "subgraph",
    "theme_colours",
    "theme_detail",
    "to_vis",
]

#: Kinds in the order pages list them (search groups, legends, tables).
KIND_ORDER: tuple[str, ...] = tuple(k.value for k in NodeKind)

#: Deepest neighbourhood a subgraph may ask for.
MAX_DEPTH = 3
#: Most nodes one subgraph may hold. Kept below 500: networkx's spring layout switches to
#: a scipy-only sparse solver at 500 nodes, and scipy is not a dependency.
MAX_NODES = 450
DEFAULT_MAX_NODES = 150

#: Node colours by kind (challenges and themes take their theme's colour instead).
KIND_COLOURS: dict[str, str] = {
    "Theme": "#5b2c83",
    "Challenge": "#1f77b4",
    "Partner": "#3a7d44",
    "Commitment": "#8c564b",
    "FocusArea": "#b22222",
    "ProjectTeam": "#f28e2b",
    "Keystone": "#17becf",
    "Resource": "#9e9e9e",
    "Activity": "#a6a21c",
}
#: Node shapes by kind, so a kind reads without colour too (catalysts are stars).
KIND_SHAPES: dict[str, str] = {
    "Theme": "diamond",
    "Challenge": "dot",
    "Partner": "dot",
    "Commitment": "square",
    "FocusArea": "hexagon",
    "ProjectTeam": "triangle",
    "Keystone": "triangleDown",
    "Resource": "square",
    "Activity": "triangleDown",
}
#: One colour per theme, by the theme's place on the map's list (none of the kind colours).
_THEME_PALETTE = (
    "#1f5fa8", "#0f8b8d", "#c2185b", "#7b4fa3", "#d4a017", "#e4572e", "#2e4057",
    "#5c6bc0", "#00897b", "#ad1457",
)  # fmt: skip
_NO_THEME_COLOUR = "#5f6b7a"
_CATALYST_BORDER = "#b8860b"
_SIZES = {"Theme": 24, "Partner": 11, "FocusArea": 18, "ProjectTeam": 13}
_DEFAULT_SIZE = 12
_LABEL_MAX = 42
_SEARCH_FIELDS = (
    "name", "title", "statement", "question", "description", "text", "summary", "label",
    "name_variants", "event", "contact",
)  # fmt: skip
_WORD = re.compile(r"\w+", re.UNICODE)

SORTS: dict[str, str] = {
    "name": "name (A-Z)",
    "-name": "name (Z-A)",
    "-commitments": "most commitments",
    "-challenges": "most challenges addressed",
    "-teams": "most project teams",
}


# -- nodes -----------------------------------------------------------------------------
def node(g: Snapshot, node_id: str) -> dict[str, Any]:
    """A copy of one node's properties (``kind`` included); :class:`NotFound` if absent.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T"})], [])
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


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _name(g: Snapshot, node_id: str) -> str:
    attrs = g.nodes[node_id]
    return str(attrs.get("name") or attrs.get("title") or node_id)


def _kind(g: Snapshot, node_id: str) -> str:
    return str(g.nodes[node_id].get("kind", ""))


def _sort_key(g: Snapshot, node_id: str) -> tuple[int, str, str]:
    kind = _kind(g, node_id)
    order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return order, _name(g, node_id).casefold(), node_id


def _neighbours(
    g: Snapshot, node_id: str, rel: RelType, *, incoming: bool = False
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
    return [(n, found[n]) for n in sorted(found, key=lambda n: _sort_key(g, n))]


def _themes_of(g: Snapshot, challenge_id: str) -> list[str]:
    themes = [t for t, _ in _neighbours(g, challenge_id, RelType.IN_THEME)]
    return sorted(themes, key=lambda t: (g.nodes[t].get("listed_order") or 99, t))


@lru_cache(maxsize=8)
def theme_colours(g: Snapshot) -> dict[str, str]:
    """Theme id -> colour, by the theme's position on the map's list.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T", "listed_order": 1})], [])
    >>> theme_colours(g)
    {'t': '#1f5fa8'}
    """
    themes = sorted(
        (n for n, a in g.nodes(data=True) if a.get("kind") == "Theme"),
        key=lambda t: (g.nodes[t].get("listed_order") or 99, t),
    )
    return {t: _THEME_PALETTE[i % len(_THEME_PALETTE)] for i, t in enumerate(themes)}


def _colour(g: Snapshot, node_id: str) -> str:
    kind = _kind(g, node_id)
    if kind == "Theme":
        return theme_colours(g).get(node_id, KIND_COLOURS["Theme"])
    if kind == "Challenge":
        themes = _themes_of(g, node_id)
        return theme_colours(g).get(themes[0], _NO_THEME_COLOUR) if themes else _NO_THEME_COLOUR
    return KIND_COLOURS.get(kind, _NO_THEME_COLOUR)


def partner_counts(g: Snapshot, *, include_inferred: bool = True) -> Mapping[str, int]:
    """Challenge id -> how many partners address it (0 for challenges nobody addresses).

    Cached per snapshot: a read-only mapping.
    """
    return _partner_counts(g, include_inferred)


@lru_cache(maxsize=16)
def _partner_counts(g: Snapshot, include_inferred: bool) -> Mapping[str, int]:
    counts = {n: 0 for n, a in g.nodes(data=True) if a.get("kind") == "Challenge"}
    seen: set[tuple[str, str]] = set()
    for a in addressing(g, include_inferred=include_inferred):
        if (a.partner, a.challenge) not in seen:
            seen.add((a.partner, a.challenge))
            counts[a.challenge] = counts.get(a.challenge, 0) + 1
    return MappingProxyType(counts)


def catalysts(g: Snapshot) -> list[str]:
    """Ids of the challenges flagged as catalysts, by name."""
    ids = [n for n, a in g.nodes(data=True) if a.get("kind") == "Challenge" and a.get("catalyst")]
    return sorted(ids, key=lambda n: _sort_key(g, n))


def card(g: Snapshot, node_id: str) -> dict[str, Any]:
    """A short, JSON-ready description of a node for lists and links.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(NodeKind.PARTNER, {"id": "p", "name": "P", "sector": "Museum"})], [])
    >>> card(g, "p")
    {'id': 'p', 'kind': 'Partner', 'name': 'P', 'sector': 'Museum', 'location': None}
    """
    attrs = node(g, node_id)
    out: dict[str, Any] = {"id": node_id, "kind": attrs["kind"], "name": _name(g, node_id)}
    kind = attrs["kind"]
    if kind == "Challenge":
        out["catalyst"] = attrs.get("catalyst")
        out["themes"] = _themes_of(g, node_id)
        out["partners"] = partner_counts(g).get(node_id, 0)
    elif kind == "Partner":
        out["sector"] = attrs.get("sector")
        out["location"] = attrs.get("location")
    elif kind == "Commitment":
        out["era"] = attrs.get("era")
    return out


def _rels(g: Snapshot, node_id: str) -> list[dict[str, Any]]:
    """Every relationship of a node, both directions, with the other end's card."""
    out: list[dict[str, Any]] = []
    for _, v, key, data in g.out_edges(node_id, keys=True, data=True):
        out.append(_rel_entry(g, "out", key, v, data))
    for u, _, key, data in g.in_edges(node_id, keys=True, data=True):
        out.append(_rel_entry(g, "in", key, u, data))
    out.sort(key=lambda r: (r["type"], r["direction"], *_sort_key(g, r["node"]["id"])))
    return out


def _rel_entry(g: Snapshot, direction: str, rtype: str, other: str, data: Any) -> dict[str, Any]:
    return {
        "type": rtype,
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


# -- pages -----------------------------------------------------------------------------
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
        challenges = [c for c, _ in _neighbours(g, tid, RelType.IN_THEME, incoming=True)]
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


def _path_entry(g: Snapshot, path: EvidencePath) -> dict[str, Any]:
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
    g: Snapshot, found: Sequence[Addressing], other: str
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = [
        {
            other: card(g, getattr(a, other)),
            "basis": a.basis,
            "paths": [_path_entry(g, p) for p in a.paths],
        }
        for a in found
    ]
    entries.sort(key=lambda e: (e["basis"] != "stated", e[other]["name"].casefold()))
    return entries


def _linked(g: Snapshot, node_id: str, rel: RelType, *, incoming: bool) -> list[dict[str, Any]]:
    out = []
    for other, basis in _neighbours(g, node_id, rel, incoming=incoming):
        entry = {**node(g, other), **card(g, other), "basis": basis}
        out.append(entry)
    return out


def theme_detail(g: Snapshot, theme_id: str) -> dict[str, Any]:
    """A theme, its challenges (catalysts flagged, partner counts), resources and activities."""
    attrs = node(g, theme_id)
    if attrs["kind"] != "Theme":
        raise NotFound(f"{theme_id!r} is not a theme")
    challenges = [card(g, c) for c, _ in _neighbours(g, theme_id, RelType.IN_THEME, incoming=True)]
    challenges.sort(key=lambda c: (not c["catalyst"], c["name"].casefold()))
    return {
        "theme": {**attrs, "colour": theme_colours(g).get(theme_id)},
        "challenges": challenges,
        "resources": _linked(g, theme_id, RelType.ABOUT, incoming=True),
        "activities": _linked(g, theme_id, RelType.CONCERNS, incoming=True),
    }


def challenge_detail(
    g: Snapshot, challenge_id: str, *, include_inferred: bool = True
) -> dict[str, Any]:
    """A challenge with its themes, focus areas, keystones, resources, and who addresses it.

    ``addressed_by`` lists each partner with every evidence path (commitment, or project
    team -> focus area) and its basis, stated partners first.
    """
    attrs = node(g, challenge_id)
    if attrs["kind"] != "Challenge":
        raise NotFound(f"{challenge_id!r} is not a challenge")
    found = addressing(g, challenge=challenge_id, include_inferred=include_inferred)
    return {
        "challenge": {**attrs, "colour": _colour(g, challenge_id)},
        "themes": [card(g, t) for t in _themes_of(g, challenge_id)],
        "focus_areas": _linked(g, challenge_id, RelType.TARGETS, incoming=True),
        "keystones": _linked(g, challenge_id, RelType.CORRESPONDS_TO, incoming=True),
        "resources": _linked(g, challenge_id, RelType.ABOUT, incoming=True),
        "activities": _linked(g, challenge_id, RelType.CONCERNS, incoming=True),
        "cited_by": _linked(g, challenge_id, RelType.CITES, incoming=True),
        "commitments": _linked(g, challenge_id, RelType.ADDRESSES, incoming=True),
        "addressed_by": _addressing_entries(g, found, "partner"),
    }


def partner_detail(g: Snapshot, partner_id: str) -> dict[str, Any]:
    """A partner: its commitments (full text), project teams, funded focus areas,
    activities, and the challenges it addresses with the evidence."""
    attrs = node(g, partner_id)
    if attrs["kind"] != "Partner":
        raise NotFound(f"{partner_id!r} is not a partner")
    commitments = _linked(g, partner_id, RelType.MADE, incoming=False)
    for c in commitments:
        c["challenges"] = [card(g, x) for x, _ in _neighbours(g, c["id"], RelType.ADDRESSES)]
    teams = _linked(g, partner_id, RelType.MEMBER_OF, incoming=False)
    for t in teams:
        t["focus_areas"] = [card(g, x) for x, _ in _neighbours(g, t["id"], RelType.WORKS_ON)]
    same = [card(g, p) for p in attrs.get("possible_same_as") or [] if p in g]
    return {
        "partner": attrs,
        "commitments": commitments,
        "project_teams": teams,
        "funds": _linked(g, partner_id, RelType.FUNDS, incoming=False),
        "activities": _linked(g, partner_id, RelType.TOOK_PART_IN, incoming=False),
        "possible_same_as": same,
        "addresses": _addressing_entries(g, addressing(g, partner=partner_id), "challenge"),
    }


# -- search ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchHit:
    """One search result: the node's card, where the words matched, and a short snippet."""

    id: str
    kind: str
    name: str
    field: str
    snippet: str
    score: int


@lru_cache(maxsize=8)
def _search_index(g: Snapshot) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    rows = []
    for n, attrs in g.nodes(data=True):
        fields = []
        for f in _SEARCH_FIELDS:
            value = attrs.get(f)
            if isinstance(value, list):
                value = " | ".join(str(v) for v in value)
            if isinstance(value, str) and value:
                fields.append((f, value))
        rows.append((n, str(attrs.get("kind")), tuple(fields)))
    rows.sort(key=lambda r: _sort_key(g, r[0]))
    return tuple(rows)


def _snippet(text: str, word: str, width: int = 160) -> str:
    at = text.casefold().find(word)
    if at < 0 or len(text) <= width:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(
    g: Snapshot,
    q: str,
    *,
    kinds: Collection[str] | None = None,
    limit: int = 20,
) -> dict[str, list[SearchHit]]:
    """Nodes whose text holds every word of ``q``, grouped by kind (in KIND_ORDER).

    Searches names, statements, descriptions, commitment and keystone text, summaries;
    a name match ranks first. At most ``limit`` hits per kind.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx(
    ...     [Node(NodeKind.PARTNER, {"id": "p", "name": "Math for America"}),
    ...      Node(NodeKind.COMMITMENT, {"id": "m", "name": "C", "text": "Train math teachers"})],
    ...     [])
    >>> {k: [h.id for h in hits] for k, hits in search(g, "MATH").items()}
    {'Partner': ['p'], 'Commitment': ['m']}
    """
    words = [w.casefold() for w in _WORD.findall(q)]
    if not words:
        return {}
    grouped: dict[str, list[SearchHit]] = {}
    for node_id, kind, fields in _search_index(g):
        if kinds is not None and kind not in kinds:
            continue
        folded = [(f, v, v.casefold()) for f, v in fields]
        if not all(any(w in fv for _, _, fv in folded) for w in words):
            continue
        name = _name(g, node_id)
        name_f = name.casefold()
        phrase = " ".join(words)
        score = 0 if name_f == phrase else 1 if name_f.startswith(phrase) else 2
        if not all(w in name_f for w in words):
            score = 3
        field_name, text = next(((f, v) for f, v, fv in folded if words[0] in fv), fields[0][:2])
        hit = SearchHit(node_id, kind, name, field_name, _snippet(text, words[0]), score)
        grouped.setdefault(kind, []).append(hit)
    out: dict[str, list[SearchHit]] = {}
    for kind in KIND_ORDER:
        if kind in grouped:
            hits = sorted(grouped[kind], key=lambda h: (h.score, h.name.casefold(), h.id))
            out[kind] = hits[:limit]
    return out


# -- the partner directory -------------------------------------------------------------
@dataclass(frozen=True)
class DirectoryQuery:
    """Filters, order and page of the partner directory (already validated at the edge)."""

    q: str = ""
    sector: str | None = None
    location: str | None = None
    era: str | None = None
    has_commitment: bool | None = None
    addresses_catalyst: bool | None = None
    sort: str = "name"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class DirectoryPage:
    """One page of the directory: rows, the total that matched, and paging numbers."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    query: DirectoryQuery = field(default_factory=DirectoryQuery)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@lru_cache(maxsize=8)
def _partner_rows(g: Snapshot) -> tuple[dict[str, Any], ...]:
    catalyst_ids = set(catalysts(g))
    addressed: dict[str, set[str]] = {}
    for a in addressing(g):
        addressed.setdefault(a.partner, set()).add(a.challenge)
    rows: list[dict[str, Any]] = []
    for n, attrs in g.nodes(data=True):
        if attrs.get("kind") != "Partner":
            continue
        commitments = [c for c, _ in _neighbours(g, n, RelType.MADE)]
        eras = sorted({str(g.nodes[c].get("era")) for c in commitments if g.nodes[c].get("era")})
        challenges = addressed.get(n, set())
        rows.append(
            {
                "id": n,
                "name": _name(g, n),
                "sector": attrs.get("sector"),
                "location": attrs.get("location"),
                "eras": eras,
                "commitments": len(commitments),
                "teams": len(_neighbours(g, n, RelType.MEMBER_OF)),
                "challenges": len(challenges),
                "catalysts": len(challenges & catalyst_ids),
                "_text": " ".join([_name(g, n), *_strings(attrs.get("name_variants"))]).casefold(),
            }
        )
    rows.sort(key=lambda r: (r["name"].casefold(), r["id"]))
    return tuple(rows)


def directory_facets(g: Snapshot) -> dict[str, list[str]]:
    """The values the directory's filters can take: sectors, locations and eras."""
    rows = _partner_rows(g)
    return {
        "sectors": sorted({r["sector"] for r in rows if r["sector"]}, key=str.casefold),
        "locations": sorted({r["location"] for r in rows if r["location"]}, key=str.casefold),
        "eras": sorted({e for r in rows for e in r["eras"]}),
    }


def directory(g: Snapshot, query: DirectoryQuery) -> DirectoryPage:
    """Partners matching the filters, sorted, one page of them.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(NodeKind.PARTNER, {"id": f"p{i}", "name": f"P{i}"})
    ...                  for i in range(30)], [])
    >>> page = directory(g, DirectoryQuery(q="p1", page=1, per_page=5))
    >>> page.total, page.pages, [r["id"] for r in page.rows][:2]
    (11, 3, ['p1', 'p10'])
    """
    words = [w.casefold() for w in _WORD.findall(query.q)]
    picked = []
    for row in _partner_rows(g):
        if words and not all(w in row["_text"] for w in words):
            continue
        if query.sector is not None and row["sector"] != query.sector:
            continue
        if query.location is not None and row["location"] != query.location:
            continue
        if query.era is not None and query.era not in row["eras"]:
            continue
        if query.has_commitment is not None and (row["commitments"] > 0) != query.has_commitment:
            continue
        if query.addresses_catalyst is not None and (
            (row["catalysts"] > 0) != query.addresses_catalyst
        ):
            continue
        picked.append(row)
    key = query.sort.lstrip("-")
    if key != "name":
        # stable sort: ties keep name order
        picked.sort(key=lambda r: r[key], reverse=query.sort.startswith("-"))
    elif query.sort == "-name":
        picked.reverse()
    start = (query.page - 1) * query.per_page
    rows = [
        {k: v for k, v in r.items() if not k.startswith("_")}
        for r in picked[start : start + query.per_page]
    ]
    return DirectoryPage(rows, len(picked), query.page, query.per_page, query)


# -- subgraphs -------------------------------------------------------------------------
@dataclass(frozen=True)
class Subgraph:
    """A view of part of the snapshot: node ids (centres first, then breadth-first) and
    edge ids ``(source, target, type)``. ``total`` counts the nodes that matched before the
    cap; ``truncated`` says the cap bit."""

    centers: tuple[str, ...]
    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]
    total: int
    include_inferred: bool = True

    @property
    def truncated(self) -> bool:
        return self.total > len(self.nodes)


def _edge_ok(data: Any, include_inferred: bool) -> bool:
    return include_inferred or (data.get("basis") or "stated") == "stated"


def subgraph(
    g: Snapshot,
    centers: Sequence[str],
    *,
    depth: int = 1,
    kinds: Collection[str] | None = None,
    include_inferred: bool = True,
    max_nodes: int = DEFAULT_MAX_NODES,
    evidence: bool = False,
) -> Subgraph:
    """The neighbourhood of ``centers`` up to ``depth`` hops (edges in either direction).

    ``kinds`` keeps only those node kinds (centres are always kept); with
    ``include_inferred=False`` inferred edges are neither walked nor shown. With
    ``evidence=True`` every node on an addressing path of a centre challenge or partner is
    added, so a challenge's picture shows who addresses it and how. No centres: the whole
    graph. At most ``max_nodes`` nodes, in a fixed breadth-first order, so the same
    arguments always give the same subgraph.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx([Node(K.THEME, {"id": "t", "name": "T"})]
    ...     + [Node(K.CHALLENGE, {"id": f"c{i}", "name": f"C{i}"}) for i in range(5)],
    ...     [Rel(R.IN_THEME, f"c{i}", "t", {"basis": "stated"}) for i in range(5)])
    >>> sub = subgraph(g, ["t"], depth=1, max_nodes=3)
    >>> sub.nodes, sub.total, sub.truncated
    (('t', 'c0', 'c1'), 6, True)
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    if not 1 <= max_nodes <= MAX_NODES:
        raise ValueError(f"max_nodes must be between 1 and {MAX_NODES}")
    kind_set = frozenset(kinds) if kinds is not None else None
    ordered_centers: list[str] = []
    for c in centers:
        node(g, c)  # NotFound for an unknown id
        if c not in ordered_centers:
            ordered_centers.append(c)

    def wanted(n: str) -> bool:
        return kind_set is None or _kind(g, n) in kind_set

    order: list[str] = []
    if not ordered_centers:
        order = sorted((n for n in g.nodes if wanted(n)), key=lambda n: _sort_key(g, n))
    else:
        seen = set(ordered_centers)
        order = list(ordered_centers)
        queue = deque((c, 0) for c in ordered_centers)
        while queue:
            current, dist = queue.popleft()
            if dist >= depth:
                continue
            nxt = set()
            for _, v, data in g.out_edges(current, data=True):
                if _edge_ok(data, include_inferred):
                    nxt.add(v)
            for u, _, data in g.in_edges(current, data=True):
                if _edge_ok(data, include_inferred):
                    nxt.add(u)
            for n in sorted(nxt - seen, key=lambda n: _sort_key(g, n)):
                if wanted(n):
                    seen.add(n)
                    order.append(n)
                    queue.append((n, dist + 1))
        if evidence:
            for c in ordered_centers:
                kind = _kind(g, c)
                if kind not in ("Challenge", "Partner"):
                    continue
                found = addressing(
                    g,
                    include_inferred=include_inferred,
                    challenge=c if kind == "Challenge" else None,
                    partner=c if kind == "Partner" else None,
                )
                for a in found:
                    for path in a.paths:
                        for n in path.nodes:
                            if n not in seen and wanted(n):
                                seen.add(n)
                                order.append(n)
    kept = order[:max_nodes]
    kept_set = set(kept)
    edges = sorted(
        (u, v, str(k))
        for u, v, k, data in g.edges(kept, keys=True, data=True)
        if v in kept_set and _edge_ok(data, include_inferred)
    )
    return Subgraph(tuple(ordered_centers), tuple(kept), tuple(edges), len(order), include_inferred)


_RING_STEP = 150.0  # pixels between rings of a radial layout
_NODE_ARC = 56.0  # pixels of circumference each node of a ring needs


def _radial(
    u: nx.Graph[str], comp: list[str], roots: list[str], index: dict[str, int]
) -> dict[str, tuple[float, float]]:
    """A radial tree layout: roots in the middle, each breadth-first ring further out.

    Every node gets a wedge of the circle in proportion to the leaves below it, so a team
    with twenty members gets room for them; it costs one pass over the component, where a
    spring layout costs dozens (and is what made a first view slow).
    """
    depth = {r: 0 for r in roots}
    children: dict[str, list[str]] = {n: [] for n in comp}
    order: list[str] = []
    queue = deque(roots)
    while queue:
        n = queue.popleft()
        order.append(n)
        for m in sorted(u.neighbors(n), key=index.__getitem__):
            if m not in depth:
                depth[m] = depth[n] + 1
                children[n].append(m)
                queue.append(m)
    leaves: dict[str, int] = {}
    for n in reversed(order):
        leaves[n] = sum(leaves[c] for c in children[n]) or 1
    angle: dict[str, float] = {}
    total = sum(leaves[r] for r in roots)
    stack: list[tuple[str, float, float]] = []
    # Start at the top: a single chain (partner, team, focus area, ...) then runs
    # straight down, so the labels under its nodes do not run into each other.
    start = -math.pi / 2
    for r in roots:
        width = math.tau * leaves[r] / total
        stack.append((r, start, width))
        start += width
    wedge: dict[str, float] = {}
    while stack:
        n, a0, width = stack.pop()
        angle[n] = a0 + width / 2
        wedge[n] = width
        a = a0
        for c in children[n]:
            w = width * leaves[c] / leaves[n]
            stack.append((c, a, w))
            a += w
    # Each ring sits far enough out that its narrowest wedge still has room for a node.
    narrowest: dict[int, float] = {}
    for n, d in depth.items():
        narrowest[d] = min(narrowest.get(d, math.tau), wedge[n])
    radius = {0: 0.0 if len(roots) == 1 else _NODE_ARC / narrowest[0]}
    for d in range(1, max(narrowest) + 1):
        radius[d] = max(radius[d - 1] + _RING_STEP, _NODE_ARC / narrowest[d])
    return {
        n: (radius[depth[n]] * math.cos(angle[n]), radius[depth[n]] * math.sin(angle[n]))
        for n in comp
    }


@lru_cache(maxsize=128)
def _layout(
    nodes: tuple[str, ...],
    edges: tuple[tuple[str, str], ...],
    seed: int,
    centers: tuple[str, ...] = (),
) -> Any:
    u: nx.Graph[str] = nx.Graph()
    u.add_nodes_from(nodes)
    u.add_edges_from(edges)
    # Lay out each connected component on its own, then pack them in rows, biggest
    # first: one spring layout of many components flings the small ones to the edges.
    comps = sorted(
        (sorted(c, key=nodes.index) for c in nx.connected_components(u)),
        key=lambda c: (-len(c), nodes.index(c[0])),
    )
    placed: dict[str, tuple[float, float]] = {}
    boxes: list[tuple[list[str], dict[str, tuple[float, float]], float, float]] = []
    index = {n: i for i, n in enumerate(nodes)}
    for comp in comps:
        roots = [c for c in centers if c in comp]
        if roots and len(comp) > 1:
            pos = _radial(u, comp, roots, index)
            extent = max(max(abs(x), abs(y)) for x, y in pos.values())
            boxes.append((comp, pos, 2 * extent + 160, 2 * extent + 120))
            continue
        if len(comp) == 1:
            # a lone node: a wide, short box, so its label does not run into the next one
            boxes.append((comp, {comp[0]: (0.0, 0.0)}, 230.0, 70.0))
            continue
        radius = 70.0 * math.sqrt(len(comp))
        # k above networkx's 1/sqrt(n) default spreads the leaves around a hub apart
        k = 2.2 / math.sqrt(len(comp))
        raw = nx.spring_layout(u.subgraph(comp), k=k, seed=seed, iterations=80)
        pos = {n: (float(raw[n][0]) * radius, float(raw[n][1]) * radius) for n in comp}
        boxes.append((comp, pos, 2 * radius + 80, 2 * radius + 80))
    total_area = sum(w * h for _, _, w, h in boxes)
    row_width = max(math.sqrt(total_area) * 1.2, boxes[0][2]) if boxes else 0.0
    x = y = row_height = 0.0
    for comp, pos, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + width / 2, y + height / 2
        for n in comp:
            px, py = pos[n]
            placed[n] = (round(cx + px, 1), round(cy + py, 1))
        x += width
        row_height = max(row_height, height)
    return placed


def layout(sub: Subgraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded positions (pixels) for a subgraph's nodes: the same subgraph, the same picture.

    >>> from graph.data import Node, Rel, to_networkx
    >>> g = to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T"}),
    ...                  Node(NodeKind.CHALLENGE, {"id": "c", "name": "C"})],
    ...                 [Rel(RelType.IN_THEME, "c", "t", {"basis": "stated"})])
    >>> sub = subgraph(g, ["t"])
    >>> layout(sub) == layout(sub)
    True
    """
    pairs = tuple(sorted({(u, v) for u, v, _ in sub.edges}))
    return dict(_layout(sub.nodes, pairs, seed, sub.centers))


def _shorten(text: str, limit: int = _LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tooltip(g: Snapshot, node_id: str, partners: Mapping[str, int]) -> str:
    attrs = g.nodes[node_id]
    kind = str(attrs.get("kind"))
    lines = [f"{kind}: {_name(g, node_id)}"]
    if kind == "Challenge":
        if attrs.get("catalyst"):
            lines.append("Catalyst")
        themes = [_name(g, t) for t in _themes_of(g, node_id)]
        if themes:
            lines.append("Themes: " + ", ".join(themes))
        count = partners.get(node_id, 0)
        lines.append(f"{count} partner{'s' if count != 1 else ''} address it")
    elif kind == "Partner":
        extra = [str(attrs[k]) for k in ("sector", "location") if attrs.get(k)]
        if extra:
            lines.append(" · ".join(extra))
    elif kind == "Theme" and attrs.get("question"):
        lines.append(_shorten(str(attrs["question"]), 160))
    elif kind in ("Commitment", "Keystone", "Activity") and attrs.get("text"):
        lines.append(_shorten(str(attrs["text"]), 200))
    elif kind == "Resource" and attrs.get("summary"):
        lines.append(_shorten(str(attrs["summary"]), 200))
    return "\n".join(lines)


def _vis_node(
    g: Snapshot, node_id: str, pos: tuple[float, float], partners: Mapping[str, int], center: bool
) -> dict[str, Any]:
    attrs = g.nodes[node_id]
    kind = str(attrs.get("kind"))
    colour = _colour(g, node_id)
    catalyst = bool(kind == "Challenge" and attrs.get("catalyst"))
    size: float = _SIZES.get(kind, _DEFAULT_SIZE)
    if kind == "Challenge":
        size = (16 if catalyst else 12) + 5 * math.sqrt(partners.get(node_id, 0))
    title = _tooltip(g, node_id, partners)
    out: dict[str, Any] = {
        "id": node_id,
        "label": _shorten(_name(g, node_id)),
        "name": _name(g, node_id),
        "title": title,
        "summary": " · ".join(title.split("\n")[1:]),
        "kind": kind,
        "group": kind,
        "x": pos[0],
        "y": pos[1],
        "size": round(size, 1),
        "shape": "star" if catalyst else KIND_SHAPES.get(kind, "dot"),
        "color": {
            "background": colour,
            "border": _CATALYST_BORDER if catalyst else "#263238" if center else colour,
            "highlight": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 2 if catalyst else 3 if center else 1,
        "catalyst": catalyst,
        "center": center,
    }
    if kind == "Challenge":
        out["partners"] = partners.get(node_id, 0)
        themes = _themes_of(g, node_id)
        out["theme"] = themes[0] if themes else None
    return out


def to_vis(g: Snapshot, sub: Subgraph, *, seed: int = 7) -> dict[str, Any]:
    """The subgraph in vis-network's shape: ``nodes``, ``edges`` (fresh dicts), positions
    fixed by :func:`layout`, plus ``shown``, ``total`` and ``truncated``.

    Labels and titles are plain text (the browser must show them as text). Stated edges
    are solid, inferred ones dashed.
    """
    pos = layout(sub, seed=seed)
    partners = partner_counts(g, include_inferred=sub.include_inferred)
    centers = set(sub.centers)
    nodes = [_vis_node(g, n, pos[n], partners, n in centers) for n in sub.nodes]
    edges = []
    for u, v, key in sub.edges:
        data = g.edges[u, v, key]
        basis = data.get("basis") or "stated"
        inferred = basis != "stated"
        title = f"{_name(g, u)} {key} {_name(g, v)} ({basis})"
        if inferred and data.get("method"):
            title += f"\nhow: {data['method']}"
        edges.append(
            {
                "id": f"{u}|{key}|{v}",
                "from": u,
                "to": v,
                "type": key,
                "basis": basis,
                "title": title,
                "arrows": "to",
                "dashes": inferred,
                "width": 1 if inferred else 1.6,
                "color": {"color": "#9aa5b1" if inferred else "#546e7a"},
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "centers": list(sub.centers),
        "shown": len(nodes),
        "total": sub.total,
        "truncated": sub.truncated,
    }


@lru_cache(maxsize=8)
def legend(g: Snapshot) -> dict[str, Any]:
    """What the colours, shapes and line styles of :func:`to_vis` mean.

    Cached per snapshot and shared between callers: do not change the dict.
    """
    return {
        "kinds": [
            {"kind": k, "colour": c, "shape": KIND_SHAPES[k]}
            for k, c in KIND_COLOURS.items()
            if k not in ("Challenge", "Theme")
        ],
        "themes": [
            {"id": t, "name": _name(g, t), "colour": c} for t, c in theme_colours(g).items()
        ],
        "catalyst_border": _CATALYST_BORDER,
    }
