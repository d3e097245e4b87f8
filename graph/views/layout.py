"""Where each node of a subgraph sits: seeded pixel positions, cached per subgraph.

A view with centres gets a radial tree (one pass; centres in the middle, each hop a ring
further out); a component without a centre gets a spring layout; components are packed in
rows, biggest first. The same subgraph always gets the same picture, and the browser keeps
physics off, so a URL reproduces its drawing.

A view without centres (the whole graph, or all nodes of some kinds) is mostly spring
layouts: 0.2 to 0.5 s for the bundled graph's 367 nodes, against about 1 ms for a radial
view. :func:`kept_layout` keeps those with the snapshot, so they are computed once per
data version (:func:`graph.views.vis.prepare` does the whole graph's when a snapshot is
first read) and shared by every request.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from functools import lru_cache
from typing import Any

import networkx as nx

from graph.data import Snapshot
from graph.views.subgraph import Subgraph

__all__ = ["kept_layout", "layout"]

#: Views without centres whose layout is kept per data version (the oldest goes first).
_KEPT_PER_VERSION = 16
_kept_lock = threading.Lock()

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
    """Positions of ``nodes`` (hashable arguments, so the result is cached)."""
    u: nx.Graph[str] = nx.Graph()
    u.add_nodes_from(nodes)
    u.add_edges_from(edges)
    # Lay out each connected component on its own, then pack them in rows, biggest
    # first: one spring layout of many components flings the small ones to the edges.
    index = {n: i for i, n in enumerate(nodes)}
    comps = sorted(
        (sorted(c, key=index.__getitem__) for c in nx.connected_components(u)),
        key=lambda c: (-len(c), index[c[0]]),
    )
    placed: dict[str, tuple[float, float]] = {}
    boxes: list[tuple[list[str], dict[str, tuple[float, float]], float, float]] = []
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
    >>> from graph.model import NodeKind as K, RelType as R
    >>> from graph.views.subgraph import subgraph
    >>> g = to_networkx([Node(K.THEME, {"id": "t", "name": "T"}),
    ...                  Node(K.CHALLENGE, {"id": "c", "name": "C"})],
    ...                 [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
    >>> sub = subgraph(g, ["t"])
    >>> layout(sub) == layout(sub)
    True
    """
    pairs = tuple(sorted({(u, v) for u, v, _ in sub.edges}))
    return dict(_layout(sub.nodes, pairs, seed, sub.centers))


@lru_cache(maxsize=8)
def _kept(g: Snapshot) -> dict[tuple[Any, ...], dict[str, tuple[float, float]]]:
    """The layouts kept with one snapshot (a frozen graph: one per data version)."""
    return {}


def kept_layout(g: Snapshot, sub: Subgraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """:func:`layout` of ``sub``, kept with the snapshot when ``sub`` has no centres.

    Shared between requests: do not change the mapping. Views with centres are laid out
    per request (a radial layout costs about a millisecond).

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind as K
    >>> from graph.views.subgraph import subgraph
    >>> g = to_networkx([Node(K.THEME, {"id": "t", "name": "T"})], [])
    >>> kept_layout(g, subgraph(g, [])) is kept_layout(g, subgraph(g, []))
    True
    """
    if sub.centers:
        return layout(sub, seed=seed)
    pairs = tuple(sorted({(u, v) for u, v, _ in sub.edges}))
    key = (sub.nodes, pairs, seed)
    kept = _kept(g)
    found = kept.get(key)
    if found is None:
        found = dict(_layout(sub.nodes, pairs, seed, ()))
        with _kept_lock:
            while len(kept) >= _KEPT_PER_VERSION:
                kept.pop(next(iter(kept)))
            found = kept.setdefault(key, found)
    return found
