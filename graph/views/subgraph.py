"""Subgraphs: which nodes and relationships a view of part of the graph holds.

A :class:`Subgraph` names node ids (centres first, then breadth-first) and edge ids; it
never copies or changes the snapshot. A :class:`SubgraphRequest` is what a page, the API
or an export asks for (centres, depth, kinds, inferred links, cap, evidence), with its
canonical query-string, so a graph's URL always reproduces its picture.

>>> from graph.data import Node, Rel, to_networkx
>>> from graph.model import RelType as R
>>> g = to_networkx(
...     [Node(K.THEME, {"id": "t", "name": "Time", "listed_order": 1}),
...      Node(K.CHALLENGE, {"id": "c", "name": "Collaboration time", "catalyst": True})],
...     [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
>>> sub = subgraph(g, ["c"], depth=1)
>>> sub.nodes, sub.edges, sub.truncated
(('c', 't'), (('c', 't', 'IN_THEME'),), False)
>>> SubgraphRequest(centers=("c",), depth=2).args()
{'center': ['c'], 'depth': 2, 'inferred': 1}
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import networkx as nx

from graph.analyses.addressing import addressing
from graph.data import Snapshot
from graph.model import NodeKind as K
from graph.settings import LIMITS
from graph.views.nodes import kind_of, node, sort_key

__all__ = ["Subgraph", "SubgraphRequest", "display_order", "subgraph"]


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
        """Whether the cap left nodes out."""
        return self.total > len(self.nodes)

    def copy(self, g: Snapshot) -> nx.MultiDiGraph[str]:
        """This view's nodes and relationships with all their properties, as a new graph
        (for the file downloads)."""
        out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for n in self.nodes:
            out.add_node(n, **dict(g.nodes[n]))
        for u, v, key in self.edges:
            out.add_edge(u, v, key=key, **dict(g.edges[u, v, key]))
        return out


def _edge_ok(data: Any, include_inferred: bool) -> bool:
    """Whether an edge counts: every edge, or stated ones only."""
    return include_inferred or (data.get("basis") or "stated") == "stated"


def subgraph(
    g: Snapshot,
    centers: Sequence[str],
    *,
    depth: int = 1,
    kinds: Collection[str] | None = None,
    include_inferred: bool = True,
    max_nodes: int = LIMITS.subgraph_default_nodes,
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
    if not 1 <= depth <= LIMITS.subgraph_depth:
        raise ValueError(f"depth must be between 1 and {LIMITS.subgraph_depth}")
    if not 1 <= max_nodes <= LIMITS.subgraph_nodes:
        raise ValueError(f"max_nodes must be between 1 and {LIMITS.subgraph_nodes}")
    kind_set = frozenset(kinds) if kinds is not None else None
    ordered_centers: list[str] = []
    for c in centers:
        node(g, c)  # NotFound for an unknown id
        if c not in ordered_centers:
            ordered_centers.append(c)

    def wanted(n: str) -> bool:
        return kind_set is None or kind_of(g, n) in kind_set

    if not ordered_centers:
        everyone = display_order(g)
        order = list(everyone) if kind_set is None else [n for n in everyone if wanted(n)]
    else:
        order = _breadth_first(g, ordered_centers, depth, wanted, include_inferred)
        if evidence:
            order += _evidence(g, ordered_centers, set(order), wanted, include_inferred)
    kept = order[:max_nodes]
    kept_set = set(kept)
    edges = sorted(
        (u, v, str(k))
        for u, v, k, data in g.edges(kept, keys=True, data=True)
        if v in kept_set and _edge_ok(data, include_inferred)
    )
    return Subgraph(tuple(ordered_centers), tuple(kept), tuple(edges), len(order), include_inferred)


@lru_cache(maxsize=8)
def display_order(g: Snapshot) -> tuple[str, ...]:
    """Every node id in display order (:func:`graph.views.nodes.sort_key`), once per data
    version: a view without centres selects from it (sorting 36,700 nodes per request was
    most of a whole-graph view at x100)."""
    return tuple(sorted(g.nodes, key=lambda n: sort_key(g, n)))


def _breadth_first(
    g: Snapshot,
    centers: list[str],
    depth: int,
    wanted: Callable[[str], bool],
    include_inferred: bool,
) -> list[str]:
    """The centres, then every wanted node up to ``depth`` hops, ring by ring, each ring
    in display order."""
    seen = set(centers)
    order = list(centers)
    queue = deque((c, 0) for c in centers)
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
        for n in sorted(nxt - seen, key=lambda n: sort_key(g, n)):
            if wanted(n):
                seen.add(n)
                order.append(n)
                queue.append((n, dist + 1))
    return order


def _evidence(
    g: Snapshot,
    centers: list[str],
    seen: set[str],
    wanted: Callable[[str], bool],
    include_inferred: bool,
) -> list[str]:
    """The wanted nodes not yet ``seen`` on the addressing paths of centre challenges and
    partners, in path order."""
    added: list[str] = []
    for c in centers:
        kind = kind_of(g, c)
        if kind not in (K.CHALLENGE, K.PARTNER):
            continue
        found = addressing(
            g,
            include_inferred=include_inferred,
            challenge=c if kind == K.CHALLENGE else None,
            partner=c if kind == K.PARTNER else None,
        )
        for a in found:
            for path in a.paths:
                for n in path.nodes:
                    if n not in seen and wanted(n):
                        seen.add(n)
                        added.append(n)
    return added


@dataclass(frozen=True)
class SubgraphRequest:
    """What a page, ``/api/subgraph`` or an export asks to see (bounded at the edge)."""

    centers: tuple[str, ...] = ()
    depth: int = 1
    kinds: tuple[str, ...] = ()
    inferred: bool = True
    #: None: :data:`LIMITS.subgraph_default_nodes` around centres, all it may for none.
    cap: int | None = None
    evidence: bool = False

    def args(self) -> dict[str, Any]:
        """The canonical query-string of this request (for links and exports)."""
        out: dict[str, Any] = {}
        if self.centers:
            out["center"] = list(self.centers)
        out["depth"] = self.depth
        if self.kinds:
            out["kinds"] = ",".join(self.kinds)
        out["inferred"] = 1 if self.inferred else 0
        if self.cap is not None:
            out["cap"] = self.cap
        if self.evidence:
            out["evidence"] = 1
        return out

    @property
    def max_nodes(self) -> int:
        """The cap this request gets."""
        if self.cap is not None:
            return self.cap
        return LIMITS.subgraph_default_nodes if self.centers else LIMITS.subgraph_nodes

    def build(self, g: Snapshot) -> Subgraph:
        """The subgraph this request names."""
        return subgraph(
            g,
            self.centers,
            depth=self.depth,
            kinds=set(self.kinds) or None,
            include_inferred=self.inferred,
            max_nodes=self.max_nodes,
            evidence=self.evidence,
        )
