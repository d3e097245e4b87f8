"""The page of any node (commitments, focus areas, teams, ...): properties and links.

Themes, challenges and partners have their own pages; their ``/nodes/<id>`` redirects.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from werkzeug.wrappers import Response

from graph.views import SubgraphRequest, node, node_detail
from web.db import get_snapshot
from web.render import graph_block, node_url

__all__ = ["bp"]

bp = Blueprint("nodes", __name__, url_prefix="/nodes")


@bp.get("/<node_id>")
def show(node_id: str) -> str | Response:
    g = get_snapshot()
    kind = node(g, node_id)["kind"]
    if kind in ("Theme", "Challenge", "Partner"):
        return redirect(node_url(kind, node_id))
    args = SubgraphRequest(centers=(node_id,), depth=1)
    return render_template(
        "node.html", view=node_detail(g, node_id), graph=graph_block(g, args, "Its neighbours")
    )
