"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

Written by hand next to the routes it describes, with every bound taken from
``graph.LIMITS``; a test checks that every ``/api`` route of the app appears here and
that every parameter named here is one the route reads.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from graph import LIMITS
from graph.analyses import ExportFormat
from graph.views import KIND_ORDER, SORTS

__all__ = ["bp", "openapi_document"]

bp = Blueprint("api", __name__)


def _q(name: str, schema: dict[str, Any], doc: str, *, many: bool = False) -> dict[str, Any]:
    if many:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": doc,
        "schema": schema,
        **({"style": "form", "explode": True} if many else {}),
    }


_ID = {"name": "node_id", "in": "path", "required": True, "schema": {"type": "string"}}
_BOOL01 = {"type": "integer", "enum": [0, 1]}
_STR = {"type": "string", "maxLength": 200}
_KINDS = _q(
    "kinds",
    {"type": "string", "enum": list(KIND_ORDER)},
    "node kinds to keep (repeat, or separate with commas)",
    many=True,
)


def _get(summary: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "400": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
                # Query strings are bounded per value, but many long values make a request
                # line that the HTTP server refuses before the app sees it.
                "414": {
                    "description": "request line too long for the HTTP server in front "
                    "of the app (gunicorn: 4,094 bytes); its own body, not the error shape"
                },
                "503": {"$ref": "#/components/responses/Error"},
            },
        }
    }


def _query_post() -> dict[str, Any]:
    """``POST /api/query``: the read-only Cypher console (``web/query.py``)."""
    body = {
        "type": "object",
        "required": ["query"],
        "additionalProperties": False,
        "properties": {
            "query": {
                "type": "string",
                "maxLength": LIMITS.query_chars,
                "description": "read-only Cypher",
            },
            "params": {"type": "object", "description": "values for the query's $parameters"},
            "timeout": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "seconds (default and most: GCX_QUERY_TIMEOUT, 5)",
            },
            "max_rows": {
                "type": "integer",
                "minimum": 1,
                "description": "row cap (default and most: GCX_QUERY_MAX_ROWS, 1000)",
            },
        },
    }
    answer = {
        "type": "object",
        "required": ["columns", "rows", "truncated", "elapsed_ms", "graph", "permalink"],
        "properties": {
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "array"}},
            "truncated": {"type": "boolean", "description": "the row cap bit"},
            "elapsed_ms": {"type": "number"},
            "max_rows": {"type": "integer"},
            "graph": {
                "type": ["object", "null"],
                "description": "the returned nodes and relationships in vis-network shape",
            },
            "permalink": {"type": "string", "description": "the /query page that re-runs it"},
            "rewritten_from": {
                "type": ["string", "null"],
                "description": "the query as sent, when the embedded database ran it "
                "rewritten into its own dialect with Neo4j's meaning (docs/cypher.md)",
            },
        },
    }
    return {
        "post": {
            "summary": "run a read-only Cypher query (writes refused; time limit; row cap)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": body}},
            },
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": answer}},
                },
                "400": {"$ref": "#/components/responses/Error"},
                "503": {"$ref": "#/components/responses/Error"},
            },
        }
    }


def _analyses_paths() -> dict[str, Any]:
    """The analyses' routes (``web/collaborators.py``, ``web/gaps.py``)."""
    inferred = _q("inferred", _BOOL01, "1 (default): count inferred links too; 0: stated only")
    return {
        "/api/partners/{node_id}/collaborators": _get(
            "other partners ranked as collaborators, each with why and evidence paths",
            [
                _ID,
                _q(
                    "limit",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": LIMITS.collaborators_max,
                        "default": LIMITS.collaborators,
                    },
                    "most suggestions to return",
                ),
                inferred,
            ],
        ),
        "/api/cover": _get(
            "partners on each challenge, and a small covering set (greedy: approximate)",
            [
                {
                    **_q("challenge", _STR, "challenge id (repeat; at least one)", many=True),
                    "required": True,
                    "schema": {"type": "array", "items": _STR, "maxItems": LIMITS.cover_challenges},
                },
                inferred,
            ],
        ),
        "/api/gaps": _get(
            "every challenge's coverage, leverage and gap score, ranked; the crowded "
            "reverse; the theme x sector matrix; the formula and what the data lacks",
            [_q("theme", _STR, "only challenges in this theme"), inferred],
        ),
    }


def _with_downloads(path: dict[str, Any]) -> dict[str, Any]:
    """``/api/subgraph``: ``format`` turns the answer into a file download."""
    content = path["get"]["responses"]["200"]["content"]
    for fmt in ExportFormat:
        content.setdefault(fmt.media_type, {})
    return path


def _directory_params() -> list[dict[str, Any]]:
    """The partner directory's filters, sort and paging (``/api/partners``)."""
    per_page = {"type": "integer", "minimum": 1, "maximum": LIMITS.directory_per_page_max}
    return [
        _q("q", _STR, "words in the partner's name"),
        _q("sector", _STR, "exact sector"),
        _q("location", _STR, "exact location"),
        _q("era", _STR, "era of one of its commitments (100Kin10 or Beyond100K)"),
        _q("has_commitment", _BOOL01, "1: has a commitment; 0: has none"),
        _q("addresses_catalyst", _BOOL01, "1: addresses a catalyst challenge; 0: does not"),
        _q("sort", {"type": "string", "enum": list(SORTS)}, "order of the rows"),
        _q("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "page number"),
        _q("per_page", {**per_page, "default": LIMITS.directory_per_page}, "rows per page"),
    ]


def _subgraph_params() -> list[dict[str, Any]]:
    """What ``/api/subgraph`` reads: the view's arguments and the download format."""
    return [
        _q("center", _STR, "centre node id (repeatable); none: the whole graph", many=True),
        _q("depth", {"type": "integer", "minimum": 1, "maximum": LIMITS.subgraph_depth}, "hops"),
        _KINDS,
        _q("inferred", _BOOL01, "1 (default): include inferred links; 0: stated only"),
        _q(
            "cap",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": LIMITS.subgraph_nodes,
                "default": LIMITS.subgraph_default_nodes,
            },
            "most nodes to return (`truncated` says when it bit)",
        ),
        _q("evidence", _BOOL01, "1: add the addressing paths of centre challenges/partners"),
        _q(
            "format",
            {"type": "string", "enum": [f.value for f in ExportFormat]},
            "download the view as a file: GraphML, GEXF, CSV (nodes.csv and edges.csv in a "
            "zip) or node-link JSON; none: vis-network JSON",
        ),
    ]


def _explorer_paths() -> dict[str, Any]:
    """The pages' JSON twins, and this document."""
    search_limit = {
        "type": "integer",
        "minimum": 1,
        "maximum": LIMITS.search_hits_max,
        "default": LIMITS.search_hits,
    }
    return {
        "/api/stats": _get("data version, counts per kind and type, coverage line"),
        "/api/themes": _get("the themes with challenge and partner counts"),
        "/api/themes/{node_id}": _get("one theme and its challenges", [_ID]),
        "/api/challenges": _get(
            "the challenges, most addressed first (catalyst flag, themes, partner count)",
            [
                _q("theme", _STR, "only challenges in this theme (a theme id)"),
                _q("catalyst", _BOOL01, "1: catalysts only; 0: the others"),
            ],
        ),
        "/api/challenges/{node_id}": _get(
            "one challenge, with the partners that address it and the evidence paths",
            [_ID, _q("inferred", _BOOL01, "0: only stated evidence")],
        ),
        "/api/partners": _get("the partner directory", _directory_params()),
        "/api/partners/{node_id}": _get(
            "one partner: commitments, teams, focus areas, challenges addressed", [_ID]
        ),
        "/api/nodes/{node_id}": _get("any node: properties and relationships", [_ID]),
        "/api/search": _get(
            "search names, statements, descriptions and commitment text, by kind",
            [
                _q("q", _STR, "the words to find (all must match)"),
                _KINDS,
                _q("limit", search_limit, "most hits per kind"),
            ],
        ),
        "/api/subgraph": _with_downloads(
            _get("a subgraph in vis-network shape (nodes, edges, truncated)", _subgraph_params())
        ),
        "/api/openapi.json": _get("this document"),
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, as a dict."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Grand Challenges explorer API",
            "version": "1",
            "description": "Read-only JSON over the 100Kin10 Grand Challenges graph. Every "
            "error has the shape {error: {status, title, message}}.",
        },
        "paths": {**_explorer_paths(), **_analyses_paths(), "/api/query": _query_post()},
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "title", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "title": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                }
            },
            "responses": {
                "Error": {
                    "description": "the one error shape",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
