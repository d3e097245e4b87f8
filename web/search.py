"""Search across names, statements, descriptions and commitment text, grouped by kind.

``/search?q=&kinds=&limit=`` is the page and ``/api/search`` its JSON twin, from one
argument parser (:func:`_search`): the same defaults and bounds for both.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint

from graph import LIMITS
from graph.views import KIND_ORDER, search
from web.db import get_snapshot
from web.params import get_int, get_list, get_str, ordered
from web.render import node_url, serve_with_twin

__all__ = ["bp"]

bp = Blueprint("search", __name__)


def _search() -> dict[str, Any]:
    """``q``, ``kinds`` and ``limit`` (hits per kind), and the hits grouped by kind."""
    q = get_str("q")
    kinds = ordered(get_list("kinds", choices=KIND_ORDER), KIND_ORDER)
    limit = get_int("limit", LIMITS.search_hits, 1, LIMITS.search_hits_max)
    groups = search(get_snapshot(), q, kinds=set(kinds) or None, limit=limit) if q else {}
    return {"q": q, "kinds": kinds, "limit": limit, "groups": groups}


def _search_json(found: dict[str, Any]) -> dict[str, Any]:
    """``/api/search``: the hits grouped by kind, each with its page URL, and their total."""
    groups = found["groups"]
    return {
        "q": found["q"],
        "groups": [
            {"kind": kind, "hits": [{**asdict(h), "url": node_url(h.kind, h.id)} for h in hits]}
            for kind, hits in groups.items()
        ],
        "total": sum(len(h) for h in groups.values()),
    }


serve_with_twin(
    bp, "/search", "search.html", _search, "/api/search", _search_json, all_kinds=KIND_ORDER
)
