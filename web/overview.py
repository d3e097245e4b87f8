"""The overview: what the map is, counts with coverage, who addresses how much of it (in
words), the themes and catalysts.

``/`` is the page; ``/api/stats`` its JSON twin (the store's version and counts, the
coverage, the addressing figures, the dataset's metadata and the catalysts), from the same
view model.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from graph.analyses import addressing_stats, coverage, describe
from graph.views import overview
from web.db import get_info, get_snapshot
from web.render import linked, serve_with_twin

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


def _json(view: dict[str, Any]) -> dict[str, Any]:
    """``/api/stats``: the store's description, the dataset's metadata, the catalysts."""
    return {
        **view["store"],
        "meta": view["meta"],
        "catalysts": [linked(c) for c in view["view"]["catalysts"]],
    }


serve_with_twin(bp, "/", "index.html", _view, "/api/stats", _json)
