"""The overview page: what the map is, counts with coverage, the themes and catalysts."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph import coverage
from graph.views import overview
from web.db import get_info, get_snapshot

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


@bp.get("/")
def index() -> str:
    info = get_info()
    return render_template(
        "index.html",
        view=overview(get_snapshot()),
        coverage=coverage(info),
        meta=info.meta,
    )
