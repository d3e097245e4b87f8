"""Search across names, statements, descriptions and commitment text, grouped by kind.

``/search?q=&kinds=&limit=`` is the page and ``/api/search`` its JSON twin, from one
argument parser (:func:`_search`): the same defaults and bounds for both.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from graph import LIMITS
from graph.views import KIND_ORDER, search
from web.db import get_snapshot
from web.params import get_int, get_list, get_str, ordered
from web.render import node_url

__all__ = ["bp"]

bp = Blueprint("search", __name__)


def _search() -> dict[str, Any]:
    """``q``, ``kinds`` and ``limit`` (hits per kind), and the hits grouped by kind."""
    q = get_str("q")
    kinds = ordered(get_list("kinds", choices=KIND_ORDER), KIND_ORDER)
    limit = get_int("limit", LIMITS.search_hits, 1, LIMITS.search_hits_max)
    groups = search(get_snapshot(), q, kinds=set(kinds) or None, limit=limit) if q else {}
    return {"q": q, "kinds": kinds, "limit": limit, "groups": groups}


@bp.get("/search", strict_slashes=False)
def index() -> str:
    return render_template("search.html", all_kinds=KIND_ORDER, **_search())


@bp.get("/api/search")
def api_search() -> Response:
    found = _search()
    groups = found["groups"]
    return jsonify(
        {
            "q": found["q"],
            "groups": [
                {
                    "kind": kind,
                    "hits": [{**asdict(h), "url": node_url(h.kind, h.id)} for h in hits],
                }
                for kind, hits in groups.items()
            ],
            "total": sum(len(h) for h in groups.values()),
        }
    )
