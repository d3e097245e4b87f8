"""The overview page: what the map is, counts with coverage, who addresses how much of
it (in words), the themes and catalysts."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph import addressing_stats, coverage
from graph.views import overview
from web.db import get_info, get_snapshot

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


@bp.get("/")
def index() -> str:
    info = get_info()
    g = get_snapshot()
    return render_template(
        "index.html",
        view=overview(g),
        coverage=coverage(info),
        addressing=addressing_stats(g),
        meta=info.meta,
    )
