"""The Explore builder: centres, depth, kinds and inferred links, all in the URL.

``/explore?center=ID&center=ID&depth=2&kinds=Partner,Challenge&inferred=0`` draws that
subgraph; with no centre it opens on a guided start (the themes with their challenges and
catalysts, and a search box), and ``all=1`` draws the whole graph; ``add=TEXT`` (the
type-ahead box without script) resolves TEXT to a node and redirects to the canonical URL.
The same arguments (one parser, ``web.render.subgraph_args``) give its JSON twin
``/api/subgraph``, its downloads (``/api/subgraph?format=graphml|gexf|csv|json``, handed to
``graph.export``, which neutralises spreadsheet formulas in CSV cells) and
``/explore/export.html``, a standalone HTML file.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from graph import LIMITS, Snapshot
from graph.analyses import ExportFormat
from graph.analyses import export as export_graph
from graph.views import KIND_ORDER, SubgraphRequest, card, overview, resolve, theme_detail
from web.db import get_snapshot
from web.params import get_bool, get_choice, get_str
from web.render import VIS_DIR, graph_block, graph_json, graph_payload, subgraph_args

__all__ = ["bp"]

bp = Blueprint("explore", __name__)

#: The ``format`` values of ``/api/subgraph`` (the menu itself is in ``templates/macros.html``).
FORMATS: tuple[str, ...] = tuple(f.value for f in ExportFormat)


@bp.get("/explore", strict_slashes=False)
def index() -> str | BaseResponse:
    g = get_snapshot()
    args = subgraph_args()
    if add := get_str("add"):
        return _with_center(args, resolve(g, add))
    centers = [card(g, c) for c in args.centers]
    names = [str(c["name"]) for c in centers]
    whole = not centers and bool(get_bool("all", False))
    heading = "Around " + ", ".join(names) if names else "The whole graph"
    start = _guided_start(g) if not centers and not whole else None
    return render_template(
        "explore.html",
        args=args,
        graph=None if start else graph_block(g, args, heading, explore_link=False),
        start=start,
        whole=whole,
        centers=centers,
        all_kinds=KIND_ORDER,
        max_depth=LIMITS.subgraph_depth,
        max_nodes=LIMITS.subgraph_nodes,
    )


def _guided_start(g: Snapshot) -> dict[str, Any]:
    """Where to start without a centre: the catalysts, each theme with its challenges."""
    view = overview(g)
    return {
        "themes": [
            {**t, "challenges": theme_detail(g, t["id"])["challenges"]} for t in view["themes"]
        ],
        "catalysts": view["catalysts"],
        "nodes": sum(view["counts"].values()),
    }


def _with_center(args: SubgraphRequest, node_id: str) -> BaseResponse:
    """A redirect to the canonical URL of ``args`` with ``node_id`` among the centres."""
    added = args.centers if node_id in args.centers else (*args.centers, node_id)
    return redirect(url_for("explore.index", **replace(args, centers=added).args()))


@bp.get("/api/subgraph")
def api_subgraph() -> Response:
    g = get_snapshot()
    args = subgraph_args()
    fmt = get_choice("format", FORMATS, None)  # a file download of the same view
    if fmt is not None:
        return _download(g, args, ExportFormat(fmt))
    return Response(graph_json(g, args), mimetype="application/json")


def _filename(args: SubgraphRequest) -> str:
    """``grand-challenges-<first centre>[-and-N-more]`` or ``grand-challenges-graph``."""
    if not args.centers:
        return "grand-challenges-graph"
    slug = re.sub(r"[^a-z0-9]+", "-", args.centers[0].lower()).strip("-")[:100] or "node"
    more = len(args.centers) - 1
    return f"grand-challenges-{slug}" + (f"-and-{more}-more" if more else "")


def _download(g: Snapshot, args: SubgraphRequest, fmt: ExportFormat) -> Response:
    """The subgraph, with every property, as a file download of ``fmt``."""
    body = export_graph(args.build(g).copy(g), fmt)
    response = Response(body, mimetype=fmt.media_type)
    name = _filename(args) + fmt.suffix
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/explore/export.html")
def export() -> Response:
    g = get_snapshot()
    args = subgraph_args()
    vis = graph_payload(g, args)
    names = [str(g.nodes[c].get("name", c)) for c in args.centers]
    title = "Grand Challenges graph: " + (", ".join(names) if names else "the whole graph")
    response = Response(export_html(vis, title), mimetype="text/html")
    response.headers["Content-Disposition"] = 'attachment; filename="grand-challenges-graph.html"'
    # The export carries its own inline script; if it is ever opened from this origin, it
    # runs sandboxed (no same-origin access, no forms, no navigation of the top page).
    response.headers["Content-Security-Policy"] = (
        "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    )
    return response


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
    return (VIS_DIR / name).read_text(encoding="utf-8")
