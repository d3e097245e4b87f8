"""The page of any node (commitments, focus areas, teams, ...): properties and links.

``/nodes/<id>`` is the page and ``/api/nodes/<id>`` its JSON twin (``graph.views.node_detail``
plus the node's page URL). Themes, challenges and partners have their own pages; their
``/nodes/<id>`` redirects.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template
from werkzeug.wrappers import Response

from graph.views import KINDS, SubgraphRequest, node_detail
from web.db import get_snapshot
from web.render import graph_block, node_url

__all__ = ["bp"]

bp = Blueprint("nodes", __name__)


@bp.get("/nodes/<node_id>")
def show(node_id: str) -> str | Response:
    g = get_snapshot()
    view = node_detail(g, node_id)
    kind = view["node"]["kind"]
    if KINDS[kind].area != "nodes":
        return redirect(node_url(kind, node_id))
    args = SubgraphRequest(centers=(node_id,))
    return render_template("node.html", view=view, graph=graph_block(g, args, "Its neighbours"))


@bp.get("/api/nodes/<node_id>")
def api_show(node_id: str) -> Response:
    detail = node_detail(get_snapshot(), node_id)
    detail["url"] = node_url(detail["node"]["kind"], node_id)
    return jsonify(detail)
