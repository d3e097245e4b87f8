"""Theme pages: the seven themes, and each theme's question and challenges."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph.views import SubgraphRequest, overview, theme_detail
from web.db import get_snapshot
from web.render import graph_block

__all__ = ["bp"]

bp = Blueprint("themes", __name__, url_prefix="/themes")


@bp.get("", strict_slashes=False)
def index() -> str:
    return render_template("themes.html", view=overview(get_snapshot()))


@bp.get("/<node_id>")
def show(node_id: str) -> str:
    g = get_snapshot()
    view = theme_detail(g, node_id)
    args = SubgraphRequest(centers=(node_id,), depth=1, kinds=("Theme", "Challenge"))
    return render_template(
        "theme.html", view=view, graph=graph_block(g, args, "The theme and its challenges")
    )
