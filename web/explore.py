"""The Explore builder: centres, depth, kinds and inferred links, all in the URL.

``/explore?center=ID&center=ID&depth=2&kinds=Partner,Challenge&inferred=0`` draws that
subgraph; ``add=TEXT`` (the type-ahead box without script) resolves TEXT to a node and
redirects to the canonical URL; ``/explore/export.html`` downloads the same view as a
standalone HTML file.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from graph.settings import LIMITS
from graph.views import KIND_ORDER, card, resolve
from web.db import get_snapshot
from web.params import get_str
from web.render import export_html, graph_block, graph_payload, subgraph_args

__all__ = ["bp"]

bp = Blueprint("explore", __name__, url_prefix="/explore")


@bp.get("", strict_slashes=False)
def index() -> str | BaseResponse:
    g = get_snapshot()
    args = subgraph_args()
    add = get_str("add")
    if add:
        found = resolve(g, add)
        added = (*args.centers, found) if found not in args.centers else args.centers
        new = replace(args, centers=added)
        return redirect(url_for("explore.index", **new.args()))
    centers = [card(g, c) for c in args.centers]
    names = [str(c["name"]) for c in centers]
    heading = "Around " + ", ".join(names) if names else "The graph"
    return render_template(
        "explore.html",
        args=args,
        graph=graph_block(g, args, heading, explore_link=False),
        centers=centers,
        all_kinds=KIND_ORDER,
        max_depth=LIMITS.subgraph_depth,
        max_nodes=LIMITS.subgraph_nodes,
    )


@bp.get("/export.html")
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
