"""The overview: what the map is, counts with coverage, who addresses how much of it (in
words), the themes and catalysts.

``/`` is the page; ``/api/stats`` its JSON twin (the store's version and counts, the
coverage, the addressing figures, the dataset's metadata and the catalysts), from the same
view model.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from graph.analyses import addressing_stats, coverage, describe
from graph.views import overview
from web.db import get_info, get_snapshot
from web.render import linked

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


def _view() -> dict[str, Any]:
    """The overview of this request's graph, its coverage, who addresses how much of it,
    and the store's description."""
    info = get_info()
    g = get_snapshot()
    return {
        "view": overview(g),
        "coverage": coverage(info),
        "addressing": addressing_stats(g),
        "meta": info.meta,
        "store": describe(info, g),
    }


@bp.get("/")
def index() -> str:
    return render_template("index.html", **_view())


@bp.get("/api/stats")
def api_stats() -> Response:
    view = _view()
    return jsonify(
        {
            **view["store"],
            "meta": view["meta"],
            "catalysts": [linked(c) for c in view["view"]["catalysts"]],
        }
    )
