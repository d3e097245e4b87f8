"""Search across names, statements, descriptions and commitment text, grouped by kind."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph.views import KIND_ORDER, search
from web.db import get_snapshot
from web.params import get_int, get_list, get_str, ordered

__all__ = ["bp"]

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("", strict_slashes=False)
def index() -> str:
    q = get_str("q")
    kinds = ordered(get_list("kinds", choices=KIND_ORDER), KIND_ORDER)
    limit = get_int("limit", 25, 1, 200)
    groups = search(get_snapshot(), q, kinds=set(kinds) or None, limit=limit) if q else {}
    return render_template(
        "search.html", q=q, groups=groups, kinds=kinds, all_kinds=KIND_ORDER, limit=limit
    )
