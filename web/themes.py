"""Theme pages: the seven themes, and each theme's question and challenges.

``/themes`` and ``/themes/<id>`` are the pages; ``/api/themes`` and ``/api/themes/<id>``
their JSON twins, from the same view models (``graph.views.overview``, ``theme_detail``).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from graph import NodeKind
from graph.views import SubgraphRequest, overview, theme_detail
from web.db import get_snapshot
from web.render import graph_block, linked

__all__ = ["bp"]

bp = Blueprint("themes", __name__)


@bp.get("/themes", strict_slashes=False)
def index() -> str:
    return render_template("themes.html", view=overview(get_snapshot()))


@bp.get("/api/themes")
def api_index() -> Response:
    view = overview(get_snapshot())
    return jsonify({"themes": [linked(t) for t in view["themes"]]})


@bp.get("/themes/<node_id>")
def show(node_id: str) -> str:
    g = get_snapshot()
    view = theme_detail(g, node_id)
    args = SubgraphRequest(centers=(node_id,), kinds=(NodeKind.THEME, NodeKind.CHALLENGE))
    return render_template(
        "theme.html", view=view, graph=graph_block(g, args, "The theme and its challenges")
    )


@bp.get("/api/themes/<node_id>")
def api_show(node_id: str) -> Response:
    return jsonify(theme_detail(get_snapshot(), node_id))
