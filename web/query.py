"""The read-only Cypher console: the ``/query`` page, its downloads, and ``POST /api/query``.

The store does the safety work (``store.query``: a static check that names a refused
clause, a read-only handle, a time limit and a row cap); this module parses and bounds
what the request asks for, and shapes the answer for people and scripts.

* ``POST /api/query`` takes ``{"query": "...", "params": {...}, "timeout": s,
  "max_rows": n}`` (the last two optional, at most the configured limits) and answers
  ``{"columns", "rows", "truncated", "elapsed_ms", "graph", "permalink"}``; ``graph`` is the
  returned nodes and relationships in vis-network shape (``None`` when there are none).
* ``GET /query?q=...&params=...`` is the page and its permalink: opening it runs the
  query and renders the results on the server (so it works without scripts);
  ``/query.csv`` and ``/query.json`` answer the same URL state as downloads.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from graph import EXAMPLES, LIMITS, Audience, QueryError, QueryResult, Snapshot, Store
from graph.analyses import csv_safe
from graph.console import cell_text, is_node, walk
from graph.views import Subgraph, legend, to_vis
from web.db import get_snapshot, get_store
from web.errors import BadRequest
from web.params import get_str
from web.render import node_url

__all__ = ["MAX_BODY", "MAX_PARAMS", "MAX_QUERY", "bp"]

bp = Blueprint("query", __name__)

#: Longest query text (the store refuses longer ones too).
MAX_QUERY = 20_000
#: Longest parameters text in a URL.
MAX_PARAMS = 20_000
#: Largest ``POST /api/query`` body: a longest query with every character escaped, and room.
MAX_BODY = 256 * 1024
_DIALECTS = {
    "embedded": "as you would write it for Neo4j; the embedded database runs it with "
    "Neo4j's meaning or says why not",
    "neo4j": "Neo4j's dialect",
}
_FIELDS = ("query", "params", "timeout", "max_rows")
_AUDIENCES = {
    Audience.PARTNERS: "For partners: who to work with",
    Audience.STRATEGISTS: "For strategists: where effort is missing",
    Audience.RESEARCHERS: "For researchers: the shape of the graph",
}


@dataclass(frozen=True)
class ConsoleRequest:
    """One console request, parsed and bounded: text, parameters, limits."""

    query: str
    params: dict[str, Any]
    timeout: float
    max_rows: int
    #: Whether the limits were asked for (the permalink keeps only those).
    custom_timeout: bool = False
    custom_max_rows: bool = False

    def run(self, store: Store) -> QueryResult:
        return store.query(self.query, self.params, timeout_s=self.timeout, max_rows=self.max_rows)

    def url_args(self) -> dict[str, Any]:
        """The query-string that reproduces this request (the permalink's state)."""
        out: dict[str, Any] = {"q": self.query}
        if self.params:
            out["params"] = json.dumps(self.params, ensure_ascii=False, separators=(",", ":"))
        if self.custom_max_rows:
            out["max_rows"] = self.max_rows
        if self.custom_timeout:
            out["timeout"] = f"{self.timeout:g}"
        return out


def _limits() -> tuple[float, int]:
    settings = get_store().settings
    return settings.query_timeout_s, settings.query_max_rows


def _timeout(value: Any, name: str, most: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{name} must be a number of seconds")
    if not math.isfinite(value) or not 0 < value <= most:
        raise BadRequest(f"{name} must be more than 0 and at most {most:g} seconds")
    return float(value)


def _max_rows(value: Any, name: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{name} must be a whole number")
    if not 1 <= value <= most:
        raise BadRequest(f"{name} must be between 1 and {most}, not {value}")
    return value


def _params(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest('params must be a JSON object of names to values, e.g. {"limit": 10}')
    return value


def _query_text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadRequest("query must be a string of Cypher")
    if not value.strip():
        raise BadRequest("query is empty: write a Cypher query, e.g. MATCH (n) RETURN n LIMIT 5")
    if len(value) > MAX_QUERY:
        raise BadRequest(f"query must be at most {MAX_QUERY:,} characters")
    return value


def _parse_body() -> ConsoleRequest:
    """The JSON body of ``POST /api/query``, checked field by field."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BadRequest(f"the request body must be at most {MAX_BODY:,} bytes")
    if not request.is_json:
        raise BadRequest(
            'send the query as JSON (Content-Type: application/json): {"query": "...", '
            '"params": {...}}'
        )
    # A body sent without a length (chunked) is read through a stream bounded one byte
    # past the limit, so an oversized one is seen as such and never read further.
    request.max_content_length = MAX_BODY + 1
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        data = b"x" * (MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise BadRequest(f"the request body must be at most {MAX_BODY:,} bytes")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise BadRequest("the JSON body is nested too deeply") from None
    if not isinstance(body, dict):
        raise BadRequest('the body must be a JSON object: {"query": "...", "params": {...}}')
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}: the fields are {', '.join(_FIELDS)}")
    most_timeout, most_rows = _limits()
    has_timeout = body.get("timeout") is not None
    has_rows = body.get("max_rows") is not None
    return ConsoleRequest(
        query=_query_text(body.get("query")),
        params=_params(body.get("params")),
        timeout=_timeout(body["timeout"], "timeout", most_timeout) if has_timeout else most_timeout,
        max_rows=_max_rows(body["max_rows"], "max_rows", most_rows) if has_rows else most_rows,
        custom_timeout=has_timeout,
        custom_max_rows=has_rows,
    )


def _parse_url(*, need_query: bool) -> tuple[ConsoleRequest | None, str, str]:
    """The page's URL state: the request (None when there is no query), and the raw text of
    the query and the parameters as typed, for the editor.

    Raises :class:`BadRequest` for a malformed limit; a problem with the query or the
    parameters raises too, with the text kept for the editor (:class:`_Inline`).
    """
    text = get_str("q", max_len=MAX_QUERY)
    params_text = get_str("params", max_len=MAX_PARAMS)
    most_timeout, most_rows = _limits()
    raw_timeout = get_str("timeout", max_len=20)
    raw_rows = get_str("max_rows", max_len=20)
    timeout = most_timeout
    if raw_timeout:
        try:
            number = float(raw_timeout)
        except ValueError:
            raise BadRequest("timeout must be a number of seconds") from None
        timeout = _timeout(number, "timeout", most_timeout)
    rows = most_rows
    if raw_rows:
        try:
            whole = int(raw_rows, 10)
        except ValueError:
            raise BadRequest(f"max_rows must be a whole number, not {raw_rows!r}") from None
        rows = _max_rows(whole, "max_rows", most_rows)
    if not text:
        if need_query:
            raise BadRequest("q is missing: give the query to run, e.g. ?q=RETURN%201")
        return None, text, params_text
    try:
        params = _params(json.loads(params_text)) if params_text else {}
    except json.JSONDecodeError as exc:
        raise _Inline(f"params is not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise _Inline("params is nested too deeply") from None
    except BadRequest as exc:
        raise _Inline(exc.message) from None
    return (
        ConsoleRequest(text, params, timeout, rows, bool(raw_timeout), bool(raw_rows)),
        text,
        params_text,
    )


class _Inline(BadRequest):
    """A problem the page shows next to the editor rather than on an error page."""


# -- results ---------------------------------------------------------------------------


def graph_of(g: Snapshot, rows: list[list[Any]]) -> dict[str, Any] | None:
    """The nodes and relationships a result holds, as a vis-network payload (or None).

    Nodes are matched to the snapshot by ``id`` (so they get the explorer's colours,
    tooltips and page links); a relationship is drawn, with both its ends, when the result
    names its ends (``source``/``target``: the stores give them when the result holds
    the end nodes; graph/console/results.py). At most :data:`graph.settings.LIMITS`
    ``subgraph_nodes`` nodes are drawn.
    """
    order: dict[str, None] = {}
    edges: dict[tuple[str, str, str], None] = {}
    for item in walk(rows):
        if is_node(item):
            if isinstance(item["id"], str) and item["id"] in g:
                order.setdefault(item["id"], None)
            continue
        u, v, t = str(item["source"]), str(item["target"]), str(item["rel_type"])
        if u in g and v in g and g.has_edge(u, v, key=t):
            order.setdefault(u, None)
            order.setdefault(v, None)
            edges.setdefault((u, v, t), None)
    if not order:
        return None
    shown = tuple(list(order)[: LIMITS.subgraph_nodes])
    keep = set(shown)
    sub = Subgraph(
        centers=(),
        nodes=shown,
        edges=tuple(e for e in edges if e[0] in keep and e[1] in keep),
        total=len(order),
    )
    return to_vis(g, sub, link=node_url)


def _has_graph_values(rows: list[list[Any]]) -> bool:
    return next(walk(rows), None) is not None


def _payload(req: ConsoleRequest, result: QueryResult) -> dict[str, Any]:
    graph = get_graph(result.rows)
    return {
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "notice": result.notice or None,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "max_rows": req.max_rows,
        "graph": graph,
        "permalink": url_for("query.index", **req.url_args()),
        "rewritten_from": result.rewritten_from,
    }


def get_graph(rows: list[list[Any]]) -> dict[str, Any] | None:
    """The result's graph over this request's snapshot (the snapshot only when needed)."""
    if not _has_graph_values(rows):
        return None
    return graph_of(get_snapshot(), rows)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return csv_safe(text)


def results_csv(result: QueryResult) -> str:
    """The result as CSV: the header, then one line per row; cells a spreadsheet would run
    as a formula (``= + - @``) start with an apostrophe.

    >>> print(results_csv(QueryResult(["x"], [["=1+1"], [None], [[1, 2]]], False, 1.0)), end="")
    x
    '=1+1
    ""
    "[1, 2]"
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in result.columns])
    for row in result.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def _examples() -> list[dict[str, Any]]:
    groups = []
    for audience, heading in _AUDIENCES.items():
        items = []
        for ex in EXAMPLES:
            if ex.audience is not audience:
                continue
            req = ConsoleRequest(ex.cypher, dict(ex.params), 0, 0)
            args = req.url_args()
            items.append(
                {
                    "slug": ex.slug,
                    "title": ex.title,
                    "question": ex.question,
                    "query": args["q"],
                    "params": args.get("params", ""),
                    "url": url_for("query.index", **args),
                }
            )
        groups.append({"audience": audience.value, "heading": heading, "examples": items})
    return groups


# -- views -----------------------------------------------------------------------------


@bp.post("/api/query")
def api_query() -> Response:
    req = _parse_body()
    return jsonify(_payload(req, req.run(get_store())))


@bp.get("/query")
def index() -> tuple[str, int]:
    most_timeout, most_rows = _limits()
    backend = get_store().backend
    groups = _examples()
    context: dict[str, Any] = {
        "groups": groups,
        "examples_json": {
            ex["slug"]: {"query": ex["query"], "params": ex["params"]}
            for group in groups
            for ex in group["examples"]
        },
        "legend": legend(get_snapshot()),
        "dialect": _DIALECTS.get(backend, backend),
        "most_timeout": most_timeout,
        "most_rows": most_rows,
        "result": None,
        "error": None,
        "graph": None,
        "permalink": None,
        "cell_text": cell_text,
    }
    try:
        req, text, params_text = _parse_url(need_query=False)
    except _Inline as exc:
        context.update(q=get_str("q", max_len=MAX_QUERY), params=get_str("params"))
        context.update(limit_rows=get_str("max_rows"), limit_timeout=get_str("timeout"))
        context["error"] = exc.message
        return render_template("query.html", **context), 400
    context.update(q=text, params=params_text)
    context.update(limit_rows=get_str("max_rows"), limit_timeout=get_str("timeout"))
    if req is None:
        return render_template("query.html", **context), 200
    args = req.url_args()
    context["permalink"] = url_for("query.index", **args)
    context["csv_url"] = url_for("query.download_csv", **args)
    context["json_url"] = url_for("query.download_json", **args)
    try:
        result = req.run(get_store())
    except QueryError as exc:
        context["error"] = str(exc)
        return render_template("query.html", **context), 400
    graph = get_graph(result.rows)
    urls = {n["id"]: n["url"] for n in graph["nodes"]} if graph else {}

    def link_of(value: Any) -> str | None:
        # a node cell links to the node's page when the picture holds it
        if is_node(value):
            return urls.get(value.get("id"))
        return None

    context.update(result=result, graph=graph, link_of=link_of)
    return render_template("query.html", **context), 200


@bp.get("/query.csv")
def download_csv() -> Response:
    req, _, _ = _parse_url(need_query=True)
    assert req is not None
    result = req.run(get_store())
    response = Response(results_csv(result), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="query-results.csv"'
    response.headers["X-Query-Truncated"] = "true" if result.truncated else "false"
    return response


@bp.get("/query.json")
def download_json() -> Response:
    req, _, _ = _parse_url(need_query=True)
    assert req is not None
    result = req.run(get_store())
    response = jsonify(
        {
            "query": req.query,
            "params": req.params,
            "columns": result.columns,
            "rows": result.rows,
            "truncated": result.truncated,
            "elapsed_ms": round(result.elapsed_ms, 1),
        }
    )
    response.headers["Content-Disposition"] = 'attachment; filename="query-results.json"'
    return response
