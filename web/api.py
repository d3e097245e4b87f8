"""The JSON API under ``/api``: stable names, the same data the pages show.

Errors use the one shape of ``web/errors.py``; the OpenAPI document describing every
route is at ``/api/openapi.json`` (``web/openapi.py``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from graph.analyses.coverage import coverage, describe
from graph.views import (
    KIND_ORDER,
    card,
    challenge_detail,
    directory,
    directory_facets,
    node_detail,
    overview,
    partner_detail,
    search,
    theme_detail,
)
from web.db import get_info, get_snapshot
from web.downloads import download, export_format
from web.openapi import openapi_document
from web.params import get_bool, get_int, get_list, get_str, ordered
from web.partners import directory_query
from web.render import graph_json, node_url, subgraph_args

__all__ = ["bp"]

bp = Blueprint("api", __name__, url_prefix="/api")


def _with_url(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "url": node_url(item["kind"], item["id"])}


@bp.get("/stats")
def stats() -> Response:
    info = get_info()
    view = overview(get_snapshot())
    return jsonify(
        {
            **describe(info),
            "meta": info.meta,
            "catalysts": [_with_url(c) for c in view["catalysts"]],
        }
    )


@bp.get("/themes")
def themes() -> Response:
    view = overview(get_snapshot())
    return jsonify({"themes": [_with_url(t) for t in view["themes"]]})


@bp.get("/themes/<node_id>")
def theme(node_id: str) -> Response:
    return jsonify(theme_detail(get_snapshot(), node_id))


@bp.get("/challenges")
def challenges() -> Response:
    g = get_snapshot()
    rows = [_with_url(card(g, n)) for n, a in g.nodes(data=True) if a.get("kind") == "Challenge"]
    rows.sort(key=lambda r: r["name"].casefold())
    return jsonify({"challenges": rows, "coverage": coverage(get_info()).line})


@bp.get("/challenges/<node_id>")
def challenge(node_id: str) -> Response:
    inferred = bool(get_bool("inferred", True))
    return jsonify(challenge_detail(get_snapshot(), node_id, include_inferred=inferred))


@bp.get("/partners")
def partners() -> Response:
    g = get_snapshot()
    page = directory(g, directory_query(g))
    return jsonify(
        {
            "partners": [{**r, "url": node_url("Partner", r["id"])} for r in page.rows],
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
            "per_page": page.per_page,
            "query": asdict(page.query),
            "facets": directory_facets(g),
        }
    )


@bp.get("/partners/<node_id>")
def partner(node_id: str) -> Response:
    return jsonify(partner_detail(get_snapshot(), node_id))


@bp.get("/nodes/<node_id>")
def node(node_id: str) -> Response:
    g = get_snapshot()
    detail = node_detail(g, node_id)
    detail["url"] = node_url(detail["node"]["kind"], node_id)
    return jsonify(detail)


@bp.get("/search")
def search_all() -> Response:
    q = get_str("q")
    kinds = ordered(get_list("kinds", choices=KIND_ORDER), KIND_ORDER)
    limit = get_int("limit", 20, 1, 200)
    groups = search(get_snapshot(), q, kinds=set(kinds) or None, limit=limit) if q else {}
    return jsonify(
        {
            "q": q,
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


@bp.get("/subgraph")
def subgraph() -> Response:
    fmt = export_format()  # format=graphml|gexf|csv|json: the same view as a file download
    if fmt is not None:
        return download(get_snapshot(), subgraph_args(), fmt)
    return Response(graph_json(get_snapshot(), subgraph_args()), mimetype="application/json")


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
