"""Drawing a subgraph: vis-network's nodes and edges, their tooltips, and the legend.

:func:`to_vis` builds fresh, JSON-ready dicts (the snapshot is never touched) with the
positions of :mod:`graph.views.layout`, the colours and shapes of
:mod:`graph.views.kinds`, and, through its ``link`` callback, each node's page URL, so
the web layer sends the payload as it is.

>>> from graph.data import Node, Rel, to_networkx
>>> from graph.model import RelType as R
>>> from graph.views.subgraph import subgraph
>>> g = to_networkx(
...     [Node(K.THEME, {"id": "t", "name": "Time", "listed_order": 1}),
...      Node(K.CHALLENGE, {"id": "c", "name": "Collaboration time", "catalyst": True})],
...     [Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
>>> vis = to_vis(g, subgraph(g, ["c"]), link=lambda kind, node_id: f"/{kind}/{node_id}")
>>> [(n["label"], n["url"], n["shape"]) for n in vis["nodes"]]
[('Collaboration time', '/Challenge/c', 'star'), ('Time', '/Theme/t', 'diamond')]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from graph.data import Snapshot
from graph.model import NodeKind as K
from graph.views.kinds import CATALYST_BORDER, KINDS, rel_phrase
from graph.views.layout import kept_layout
from graph.views.nodes import colour_of, name_of, partner_counts, theme_colours, themes_of
from graph.views.subgraph import Subgraph, SubgraphRequest, display_order

__all__ = ["Link", "draw", "legend", "node_display", "prepare", "to_vis"]

#: A node's page URL from its kind and id (the web layer passes its router's).
Link = Callable[[str, str], str]

_LABEL_MAX = 42
#: Each kind's description, sent with every view (shared: do not change).
_KINDS_DOC = {k: style.doc for k, style in KINDS.items()}


def _shorten(text: str, limit: int = _LABEL_MAX) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tooltip(g: Snapshot, node_id: str, partners: Mapping[str, int]) -> str:
    """A node's hover text: ``Kind: name``, then a line or two about it (plain text)."""
    attrs = g.nodes[node_id]
    kind = str(attrs.get("kind"))
    lines = [f"{kind}: {name_of(g, node_id)}"]
    if kind == K.CHALLENGE:
        if attrs.get("catalyst"):
            lines.append("Catalyst")
        themes = [name_of(g, t) for t in themes_of(g, node_id)]
        if themes:
            lines.append("Themes: " + ", ".join(themes))
        count = partners.get(node_id, 0)
        lines.append(
            f"{count} partner addresses it" if count == 1 else f"{count} partners address it"
        )
    elif kind == K.PARTNER:
        extra = [str(attrs[k]) for k in ("sector", "location") if attrs.get(k)]
        if extra:
            lines.append(" · ".join(extra))
    elif kind == K.THEME and attrs.get("question"):
        lines.append(_shorten(str(attrs["question"]), 160))
    elif kind in (K.COMMITMENT, K.KEYSTONE, K.ACTIVITY) and attrs.get("text"):
        lines.append(_shorten(str(attrs["text"]), 200))
    elif kind == K.RESOURCE and attrs.get("summary"):
        lines.append(_shorten(str(attrs["summary"]), 200))
    return "\n".join(lines)


def _display(g: Snapshot, node_id: str, partners: Mapping[str, int]) -> dict[str, Any]:
    """What a node looks like in any view: label, tooltip, size, shape and colours.

    ``x``, ``y`` and ``center`` are placeholders, so a view's copy keeps the key order.
    """
    attrs = g.nodes[node_id]
    kind = str(attrs.get("kind"))
    style = KINDS.get(kind)
    colour = colour_of(g, node_id)
    catalyst = bool(kind == K.CHALLENGE and attrs.get("catalyst"))
    size: float = style.size if style else 12
    if kind == K.CHALLENGE:
        size = (16 if catalyst else 12) + 5 * math.sqrt(partners.get(node_id, 0))
    title = _tooltip(g, node_id, partners)
    out: dict[str, Any] = {
        "id": node_id,
        "label": _shorten(name_of(g, node_id)),
        "name": name_of(g, node_id),
        "title": title,
        "summary": " · ".join(title.split("\n")[1:]),
        "kind": kind,
        "group": kind,
        "x": 0.0,
        "y": 0.0,
        "size": round(size, 1),
        "shape": "star" if catalyst else style.shape if style else "dot",
        "color": {
            "background": colour,
            "border": CATALYST_BORDER if catalyst else colour,
            "highlight": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 2 if catalyst else 1,
        "catalyst": catalyst,
        "center": False,
    }
    if kind == K.CHALLENGE:
        out["partners"] = partners.get(node_id, 0)
        themes = themes_of(g, node_id)
        out["theme"] = themes[0] if themes else None
    return out


@lru_cache(maxsize=16)
def node_display(g: Snapshot, include_inferred: bool = True) -> Mapping[str, Mapping[str, Any]]:
    """Every node's display data (:func:`_display`), built once per data version.

    A tooltip, a label and a colour cost microseconds each, but a view asks for hundreds
    and every request asked again: about 40% of a view's time. Shared: do not change.
    """
    partners = partner_counts(g, include_inferred=include_inferred)
    return MappingProxyType({n: _display(g, n, partners) for n in g.nodes})


def _vis_node(base: Mapping[str, Any], pos: tuple[float, float], center: bool) -> dict[str, Any]:
    """A view's copy of a node's display data, at its position (centres drawn darker)."""
    out = dict(base)
    out["x"], out["y"] = pos
    if center:
        out["center"] = True
        if not base["catalyst"]:
            out["color"] = {**base["color"], "border": "#263238"}
            out["borderWidth"] = 3
    return out


def to_vis(
    g: Snapshot,
    sub: Subgraph,
    *,
    seed: int = 7,
    link: Link | None = None,
    args: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The subgraph in vis-network's shape: ``nodes``, ``edges`` (fresh dicts), positions
    fixed by :func:`layout`, ``shown``, ``total`` and ``truncated``, the :func:`legend`
    entries of what is in view and each kind's description (``kinds_doc``).

    ``link(kind, id)`` gives each node its page URL (``url``); ``args`` is the request
    that built the view, handed back so the browser can grow the picture the same way.
    Labels and titles are plain text (the browser must show them as text). Stated edges
    are solid, inferred ones dashed. What does not depend on the view (node display
    data, the layout of a view without centres, the legend) is built once per data
    version and shared.
    """
    pos = kept_layout(g, sub, seed=seed)
    display = node_display(g, sub.include_inferred)
    centers = set(sub.centers)
    nodes = [_vis_node(display[n], pos[n], n in centers) for n in sub.nodes]
    if link is not None:
        for n in nodes:
            n["url"] = link(n["kind"], n["id"])
    return {
        "nodes": nodes,
        "edges": [_vis_edge(g, u, v, key) for u, v, key in sub.edges],
        "centers": list(sub.centers),
        "shown": len(nodes),
        "total": sub.total,
        "truncated": sub.truncated,
        "legend": _legend_in_view(g, nodes),
        "args": dict(args or {}),
        "kinds_doc": _KINDS_DOC,
    }


def draw(g: Snapshot, request: SubgraphRequest, *, link: Link | None = None) -> dict[str, Any]:
    """The picture a request asks for: :func:`to_vis` of its subgraph, with its arguments."""
    return to_vis(g, request.build(g), link=link, args=request.args())


def _vis_edge(g: Snapshot, u: str, v: str, key: str) -> dict[str, Any]:
    """One vis-network edge: stated solid, inferred dashed, with a plain-text title."""
    data = g.edges[u, v, key]
    basis = data.get("basis") or "stated"
    inferred = basis != "stated"
    phrase = rel_phrase(key)
    title = f"{name_of(g, u)} {phrase} {name_of(g, v)}" + (f" ({basis})" if inferred else "")
    if inferred and data.get("method"):
        title += f"\nhow: {data['method']}"
    return {
        "id": f"{u}|{key}|{v}",
        "from": u,
        "to": v,
        "type": key,
        "phrase": phrase,
        "basis": basis,
        "title": title,
        "arrows": "to",
        "dashes": inferred,
        "width": 1 if inferred else 1.6,
        "color": {"color": "#9aa5b1" if inferred else "#546e7a"},
    }


def _legend_in_view(g: Snapshot, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The :func:`legend` with only the kinds and the themes whose colour is in view.

    With every theme, the legend was 60 KB of a 92 KB view at x100 (700 themes); with
    every kind, a challenge's picture named commitments and keystones it did not show.
    """
    full = legend(g)
    kinds = {n["kind"] for n in nodes}
    used = {n["id"] if n["kind"] == K.THEME else n.get("theme") for n in nodes}
    return {
        **full,
        "kinds": [k for k in full["kinds"] if k["kind"] in kinds],
        "themes": [t for t in full["themes"] if t["id"] in used],
    }


def prepare(g: Snapshot) -> None:
    """Build what every view of this snapshot shares: node display data, the legend, the
    display order of all nodes and the whole graph's layout. Call it when a snapshot is
    first read (the web app does, ``web/db.py``); the first view after a load then costs
    what any other does."""
    node_display(g, True)
    legend(g)
    display_order(g)
    kept_layout(g, SubgraphRequest().build(g))


@lru_cache(maxsize=8)
def legend(g: Snapshot) -> dict[str, Any]:
    """What the colours, shapes and line styles of :func:`to_vis` mean.

    Cached per snapshot and shared between callers: do not change the dict.
    """
    return {
        "kinds": [
            {"kind": k, "colour": s.colour, "shape": s.shape}
            for k, s in KINDS.items()
            if k not in (K.CHALLENGE, K.THEME)
        ],
        "themes": [
            {"id": t, "name": name_of(g, t), "colour": c} for t, c in theme_colours(g).items()
        ],
        "catalyst_border": CATALYST_BORDER,
    }
