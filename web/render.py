"""Shared view helpers: node links, subgraph arguments, graph payloads and HTML export.

Every interactive graph on a page, ``/api/subgraph`` and the "Download as HTML" export
read the same arguments (:func:`subgraph_args`) and build the same payload
(:func:`graph_payload`), so a graph's URL always reproduces its picture.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from flask import get_template_attribute, render_template, url_for
from markupsafe import Markup

from graph.data import Snapshot
from graph.settings import LIMITS
from graph.views import KIND_ORDER, KINDS, Link, SubgraphRequest, draw
from web.params import get_bool, get_int, get_list, ordered

__all__ = [
    "export_html",
    "graph_block",
    "graph_json",
    "graph_payload",
    "node_linker",
    "node_url",
    "subgraph_args",
]


def node_url(kind: str, node_id: str) -> str:
    """The page of a node: ``/<area>/<id>`` of its kind (``graph.views.KINDS``)."""
    style = KINDS.get(kind)
    return url_for(f"{style.area if style else 'nodes'}.show", node_id=node_id)


#: Characters a URL path carries as they are (RFC 3986 "unreserved"): no quoting needed.
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def node_linker() -> Link:
    """:func:`node_url` for the many nodes of one view: each kind's route is built once and
    ids that need no quoting are appended (``url_for`` per node was 45% of a whole-graph
    view)."""
    prefixes: dict[str, str] = {}

    def link(kind: str, node_id: str) -> str:
        if not _UNRESERVED.fullmatch(node_id):
            return node_url(kind, node_id)
        prefix = prefixes.get(kind)
        if prefix is None:
            prefix = prefixes[kind] = node_url(kind, "_")[:-1]
        return prefix + node_id

    return link


def subgraph_args(*, default_depth: int = 1) -> SubgraphRequest:
    """Parse ``center``, ``depth``, ``kinds``, ``inferred``, ``cap``, ``evidence``."""
    kinds = get_list("kinds", choices=KIND_ORDER)
    return SubgraphRequest(
        centers=tuple(get_list("center")),
        depth=get_int("depth", default_depth, 1, LIMITS.subgraph_depth),
        kinds=tuple(ordered(kinds, KIND_ORDER)),
        inferred=bool(get_bool("inferred", True)),
        cap=get_int("cap", 0, 1, LIMITS.subgraph_nodes) or None,
        evidence=bool(get_bool("evidence", False)),
    )


@lru_cache(maxsize=64)
def graph_payload(g: Snapshot, args: SubgraphRequest) -> dict[str, Any]:
    """The vis-network payload of a subgraph, with each node's page URL and the legend.

    Cached per (snapshot, arguments): a snapshot is frozen, so the same request gives the
    same payload; the dict is shared between requests, so callers must not change it.
    """
    return draw(g, args, link=node_linker())


@lru_cache(maxsize=64)
def graph_json(g: Snapshot, args: SubgraphRequest) -> bytes:
    """:func:`graph_payload` as JSON bytes (what ``/api/subgraph`` sends), cached likewise."""
    return json.dumps(graph_payload(g, args), ensure_ascii=False).encode("utf-8")


@lru_cache(maxsize=64)
def graph_block(
    g: Snapshot, args: SubgraphRequest, heading: str, *, explore_link: bool = True
) -> Markup:
    """The rendered graph section of a page (picture, legend, table twin), cached likewise.

    The section depends only on the snapshot and the arguments; rendering its table twin
    and JSON for a few hundred nodes is most of a page's time, so it is done once.
    """
    macro = get_template_attribute("macros.html", "graph_block")
    return Markup(macro(graph_payload(g, args), heading, explore_link=explore_link))  # noqa: S704 - the macro's own autoescaped output


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def export_html(vis: dict[str, Any], title: str) -> str:
    """A standalone HTML file of a graph view, built with pyvis, drawn by vis-network.

    pyvis builds the network (nodes, edges and its options object); our own template
    (not pyvis's, which loads a CDN and writes text as HTML) inlines vis-network from the
    copy pyvis ships and hands the data over as JSON, so the file works offline and every
    label and tooltip stays text.
    """
    from pyvis.network import Network  # heavy import (IPython): only when exporting

    net = Network(height="90vh", width="100%", directed=True, cdn_resources="in_line")
    for n in vis["nodes"]:
        net.add_node(
            n["id"],
            label=n["label"],
            title=n["title"],
            shape=n["shape"],
            color=n["color"],
            size=n["size"],
            x=n["x"],
            y=n["y"],
            borderWidth=n["borderWidth"],
            physics=False,
        )
    for e in vis["edges"]:
        net.add_edge(
            e["from"],
            e["to"],
            title=e["title"],
            dashes=e["dashes"],
            width=e["width"],
            color=e["color"],
            arrows="to",
        )
    net.toggle_physics(False)
    nodes, edges, _, _, _, options = net.get_network_data()
    opts = json.loads(options) if isinstance(options, str) else options
    opts.setdefault("interaction", {})["hover"] = True
    data = {"nodes": nodes, "edges": edges, "options": opts}
    return render_template(
        "export.html",
        title=title,
        data_json=_script_json(data),
        vis_js=_vis_asset("vis-network.min.js"),
        vis_css=_vis_asset("vis-network.css"),
        shown=vis["shown"],
        total=vis["total"],
    )


def _vis_asset(name: str) -> str:
    from web.assets import VIS_DIR

    return (VIS_DIR / name).read_text(encoding="utf-8")
