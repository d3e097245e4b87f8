"""What Neo4j answers, computed with networkx over the snapshot, not with any Cypher engine.

:func:`match` enumerates the bindings of one linear MATCH pattern under Neo4j's rules: a
node may repeat, a relationship may not (relationship isomorphism within one MATCH). The
corpus's oracles are short Python over these bindings, so an expected answer never comes
from the engine under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graph.data import Snapshot

Edge = tuple[str, str, str]  # (source, target, type): the snapshot's edge key is the type


@dataclass(frozen=True)
class Step:
    """One relationship of a pattern: its types (empty: any), direction, and hop range."""

    types: tuple[str, ...] = ()
    direction: str = ">"  # ">" out, "<" in, "-" either
    low: int = 1
    high: int = 1


def nodes(g: Snapshot, kind: str | None = None) -> list[dict[str, Any]]:
    """Every node's properties (with ``id``), of ``kind`` if given."""
    return [d for _, d in g.nodes(data=True) if kind is None or d["kind"] == kind]


def node(g: Snapshot, node_id: str) -> dict[str, Any]:
    return dict(g.nodes[node_id])


def edges(g: Snapshot, rtype: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    return [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if rtype in (None, k)]


def _hops(g: Snapshot, at: str, step: Step) -> Iterator[tuple[str, Edge]]:
    if step.direction in (">", "-"):
        for _, v, k in g.out_edges(at, keys=True):
            if not step.types or k in step.types:
                yield v, (at, v, k)
    if step.direction in ("<", "-"):
        for u, _, k in g.in_edges(at, keys=True):
            if not step.types or k in step.types:
                yield u, (u, at, k)


def _walks(
    g: Snapshot, at: str, step: Step, used: frozenset[Edge]
) -> Iterator[tuple[str, tuple[Edge, ...]]]:
    """Trails of step.low..step.high hops from ``at`` that use no edge in ``used``."""

    def go(cur: str, path: tuple[Edge, ...]) -> Iterator[tuple[str, tuple[Edge, ...]]]:
        if len(path) >= step.low:
            yield cur, path
        if len(path) == step.high:
            return
        for nxt, e in _hops(g, cur, step):
            if e not in used and e not in path:
                yield from go(nxt, (*path, e))

    yield from go(at, ())


def match(
    g: Snapshot, kinds: list[str | None], steps: list[Step], used: frozenset[Edge] = frozenset()
) -> list[tuple[list[str], list[tuple[Edge, ...]]]]:
    """Bindings of ``(k0)-s0-(k1)-s1-...``: node ids, and per step the edges it used.

    ``kinds[i]`` is the i-th node's label (None: any). Relationships are unique across the
    whole pattern (and distinct from ``used``), as in one Neo4j MATCH.
    """
    out: list[tuple[list[str], list[tuple[Edge, ...]]]] = []

    def go(i: int, ids: list[str], rels: list[tuple[Edge, ...]], taken: frozenset[Edge]) -> None:
        if i == len(steps):
            out.append((ids, rels))
            return
        for nxt, path in _walks(g, ids[-1], steps[i], taken):
            if kinds[i + 1] is None or g.nodes[nxt]["kind"] == kinds[i + 1]:
                go(i + 1, [*ids, nxt], [*rels, path], taken | set(path))

    for start, d in g.nodes(data=True):
        if kinds[0] is None or d["kind"] == kinds[0]:
            go(0, [start], [], used)
    return out


def chain(g: Snapshot, *parts: str) -> list[list[str]]:
    """Node ids of a fixed-length pattern written compactly: kinds and ``>T``/``<T``/``-T``.

    >>> # chain(g, "Partner", ">MEMBER_OF", "ProjectTeam") -> [[partner_id, team_id], ...]
    """
    kinds: list[str | None] = []
    steps: list[Step] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            kinds.append(None if part == "*" else part)
        else:
            types = tuple(t for t in part[1:].split("|") if t)
            steps.append(Step(types, part[0]))
    return [ids for ids, _ in match(g, kinds, steps)]


def shortest(g: Snapshot, a: str, b: str) -> int | None:
    """Length of a shortest undirected path from ``a`` to ``b`` of at least one hop."""
    import networkx as nx

    u = nx.Graph(g)
    if a == b:
        return None
    try:
        return int(nx.shortest_path_length(u, a, b))
    except nx.NetworkXNoPath:
        return None
