"""The query console over HTTP: ``POST /api/query``, the ``/query`` page and its downloads.

Real embedded stores and Flask's test client. The console's own store allows 30 s per
query, so a cold worker process on a busy machine never fails a test by accident; the
timeout test asks for half a second. The Neo4j variant runs when ``NEO4J_URI`` is set.
"""

from __future__ import annotations

import csv
import doctest
import hashlib
import html as html_lib
import io
import json
import os
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import web.query
from graph.backends import open_store
from graph.console.examples import EXAMPLES, Audience
from graph.settings import BUNDLED_DATASET, Settings, load_settings
from graph.store.base import Store
from loaders import load
from tests.test_readonly import DISGUISED, WRITES
from web import create_app
from web.headers import CSP
from web.query import MAX_BODY

PARTNER = "national-math-and-science-initiative"
CATALYST = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
XSS = "<img src=x onerror=alert(1)>"
SLOW = "UNWIND range(1,100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)"
NEO4J_SKIP = "NEO4J_URI is not set: the Neo4j backend needs a running server"


@pytest.fixture(scope="module")
def console_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("console") / "graph.lbug"
    store = open_store(Settings(db_path=path, query_timeout_s=30, query_max_rows=1000))
    load(BUNDLED_DATASET, store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(console_store: Store) -> Flask:
    return create_app({"GCX_STORE": console_store, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def run(client: FlaskClient, query: str, params: Any = None, **extra: Any) -> TestResponse:
    body: dict[str, Any] = {"query": query, **extra}
    if params is not None:
        body["params"] = params
    return client.post("/api/query", json=body)


def error_message(response: TestResponse, status: int = 400) -> str:
    """The message of a response in the one error shape (and check the shape)."""
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "message"}
    assert body["error"]["status"] == status
    return str(body["error"]["message"])


def fingerprint(store: Store) -> tuple[dict[str, int], str]:
    """Counts per label and type, and a checksum of every node id and relationship."""
    nodes = store.query("MATCH (n) RETURN n.id", max_rows=1_000_000)
    rels = store.query(
        "MATCH (a)-[r]->(b) RETURN a.id, label(r), b.id, r.basis", max_rows=1_000_000
    )
    digest = hashlib.sha256()
    for row in sorted(map(json.dumps, nodes.rows)) + sorted(map(json.dumps, rels.rows)):
        digest.update(row.encode())
    return store.info().counts, digest.hexdigest()


@pytest.fixture(scope="module")
def before(console_store: Store) -> tuple[dict[str, int], str]:
    return fingerprint(console_store)


def page_data(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" data-role="console-data">(.*?)</script>', html, re.S
    )
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


class _Html(HTMLParser):
    """Scripts, inline handlers and styles, and the results table's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.cells: list[str] = []
        self.headers: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.inline += [f"{tag} {n}" for n, _ in attrs if n.startswith("on") or n == "style"]
        if tag == "table" and ("data-role", "result-table") in attrs:
            self._in = "table"
        elif self._in and tag in ("td", "th"):
            (self.cells if tag == "td" else self.headers).append("")
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in:
            self._in = None
        elif tag in ("td", "th") and self._in == tag:
            self._in = "table"

    def handle_data(self, data: str) -> None:
        if self._in == "td":
            self.cells[-1] += data
        elif self._in == "th":
            self.headers[-1] += data


def parse(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


# -- POST /api/query ---------------------------------------------------------------------


def test_a_read_query_answers_columns_rows_truncated_and_time(client: FlaskClient) -> None:
    response = run(client, "MATCH (t:Theme) RETURN t.id AS id, t.name AS name ORDER BY id")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["columns"] == ["id", "name"]
    assert len(body["rows"]) == 7
    assert [r[0] for r in body["rows"]] == sorted(r[0] for r in body["rows"])
    assert body["truncated"] is False
    assert isinstance(body["elapsed_ms"], int | float) and body["elapsed_ms"] >= 0
    assert body["graph"] is None, "no nodes, no picture"


def test_parameters_bind_as_values_never_as_query_text(client: FlaskClient) -> None:
    body = run(
        client, "MATCH (p:Partner {id: $id}) RETURN p.name AS name", {"id": PARTNER}
    ).get_json()
    assert body["rows"] == [["National Math and Science Initiative"]]
    # text that would be Cypher if it were spliced in stays a value
    hostile = "x'}) DETACH DELETE p //"
    body = run(client, "MATCH (p:Partner {id: $id}) RETURN p.name", {"id": hostile}).get_json()
    assert body["rows"] == []
    body = run(
        client, "RETURN $v AS v, $n + 1 AS n, $xs AS xs", {"v": hostile, "n": 41, "xs": ["a", "b"]}
    ).get_json()
    assert body["rows"] == [[hostile, 42, ["a", "b"]]]


@pytest.mark.parametrize(("query", "clause"), WRITES + DISGUISED)
def test_every_write_form_is_refused_naming_the_clause_and_the_graph_is_unchanged(
    client: FlaskClient,
    console_store: Store,
    before: tuple[dict[str, int], str],
    query: str,
    clause: str,
) -> None:
    message = error_message(run(client, query))
    assert clause.lower() in message.lower()
    assert fingerprint(console_store) == before


def test_a_write_in_a_parameter_is_only_a_value(
    client: FlaskClient, console_store: Store, before: tuple[dict[str, int], str]
) -> None:
    body = run(client, "RETURN $q AS q", {"q": "CREATE (:Theme {id: 'x'})"}).get_json()
    assert body["rows"] == [["CREATE (:Theme {id: 'x'})"]]
    assert fingerprint(console_store) == before


def test_the_row_cap_truncates_and_says_so(client: FlaskClient) -> None:
    body = run(client, "UNWIND range(1, 50) AS x RETURN x", max_rows=10).get_json()
    assert [r[0] for r in body["rows"]] == list(range(1, 11))
    assert body["truncated"] is True and body["max_rows"] == 10
    body = run(client, "UNWIND range(1, 5000) AS x RETURN x").get_json()
    assert len(body["rows"]) == 1000 and body["truncated"] is True, "the configured default"
    body = run(client, "UNWIND range(1, 10) AS x RETURN x", max_rows=10).get_json()
    assert len(body["rows"]) == 10 and body["truncated"] is False


def test_the_time_limit_stops_a_pathological_query(client: FlaskClient) -> None:
    start = time.monotonic()
    message = error_message(run(client, SLOW, timeout=0.5))
    assert "time limit" in message and "0.5 s" in message
    assert time.monotonic() - start < 10, "stopped near its limit, not run to the end"
    # the console still answers afterwards
    assert run(client, "RETURN 1 AS one").get_json()["rows"] == [[1]]


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b"RETURN 1", "text/plain", "send the query as JSON"),
        (b"{not json", "application/json", "JSON object"),
        (b"[1, 2]", "application/json", "JSON object"),
        (b"{}", "application/json", "query must be a string"),
        (b'{"query": 1}', "application/json", "query must be a string"),
        (b'{"query": "   "}', "application/json", "query is empty"),
        (b'{"query": "RETURN 1", "params": [1]}', "application/json", "params must be"),
        (b'{"query": "RETURN 1", "params": "x"}', "application/json", "params must be"),
        (b'{"query": "RETURN $1", "params": {"1": 2}}', "application/json", "parameter name"),
        (b'{"query": "RETURN 1", "timeout": "5"}', "application/json", "timeout must be"),
        (b'{"query": "RETURN 1", "timeout": true}', "application/json", "timeout must be"),
        (b'{"query": "RETURN 1", "timeout": 0}', "application/json", "more than 0"),
        (b'{"query": "RETURN 1", "timeout": 31}', "application/json", "at most 30 seconds"),
        (b'{"query": "RETURN 1", "max_rows": 2.5}', "application/json", "whole number"),
        (b'{"query": "RETURN 1", "max_rows": 0}', "application/json", "between 1 and 1000"),
        (b'{"query": "RETURN 1", "max_rows": 1001}', "application/json", "between 1 and 1000"),
        (b'{"query": "RETURN 1", "sql": 1}', "application/json", "unknown field 'sql'"),
        (b'{"query": "MATCH (n"}', "application/json", "unclosed bracket"),
        # Values no database driver can send: refused the same way on both backends.
        (
            b'{"query": "RETURN $n", "params": {"n": 18446744073709551616}}',
            "application/json",
            "outside the 64-bit range",
        ),
        (
            b'{"query": "RETURN $s", "params": {"s": "\\ud800"}}',
            "application/json",
            "not valid Unicode",
        ),
        (
            b'{"query": "RETURN $x", "params": {"x": ' + b"[" * 40 + b"]" * 40 + b"}}",
            "application/json",
            "levels deep",
        ),
    ],
)
def test_malformed_requests_are_400_with_a_message(
    client: FlaskClient, body: bytes, content_type: str, fragment: str
) -> None:
    response = client.post("/api/query", data=body, content_type=content_type)
    assert fragment in error_message(response)


def test_a_query_longer_than_the_limit_is_refused(client: FlaskClient) -> None:
    text = "RETURN 1 AS x " + "//" + "x" * 20_000
    assert "at most 20,000 characters" in error_message(run(client, text))


def test_an_oversized_body_is_refused_before_it_is_read(client: FlaskClient) -> None:
    body = json.dumps({"query": "RETURN 1", "params": {"x": "y" * MAX_BODY}}).encode()
    response = client.post("/api/query", data=body, content_type="application/json")
    assert "at most 262,144 bytes" in error_message(response)


def test_an_oversized_body_without_a_length_is_refused(client: FlaskClient) -> None:
    # a chunked body (no Content-Length) is read through a stream bounded at MAX_BODY
    body = json.dumps({"query": "RETURN 1", "params": {"x": "y" * MAX_BODY}}).encode()
    response = client.post(
        "/api/query",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert "at most 262,144 bytes" in error_message(response)


def test_get_on_the_api_is_405_in_the_one_shape(client: FlaskClient) -> None:
    response = client.get("/api/query")
    error_message(response, 405)
    assert "POST" in response.headers["Allow"]


def test_a_result_with_nodes_and_relationships_carries_a_picture(client: FlaskClient) -> None:
    body = run(
        client,
        "MATCH (p:Partner {id: $id})-[r:MEMBER_OF]->(t:ProjectTeam) RETURN p, r, t",
        {"id": PARTNER},
    ).get_json()
    graph = body["graph"]
    ids = {n["id"] for n in graph["nodes"]}
    assert PARTNER in ids and len(ids) == len(body["rows"]) + 1
    assert {(e["from"], e["type"]) for e in graph["edges"]} == {(PARTNER, "MEMBER_OF")}
    assert len(graph["edges"]) == len(body["rows"])
    node = next(n for n in graph["nodes"] if n["id"] == PARTNER)
    assert node["url"] == f"/partners/{PARTNER}"
    assert {"x", "y", "label", "title", "color", "shape"} <= set(node)
    # The legend, like every picture's, names the kinds and only the themes in view: a
    # partner and its teams show no theme colour.
    kinds = {k["kind"] for k in graph["legend"]["kinds"]}
    assert {"Partner", "ProjectTeam"} <= kinds and graph["legend"]["themes"] == []


def test_a_path_draws_its_nodes_and_relationships(client: FlaskClient) -> None:
    ex = next(e for e in EXAMPLES if e.slug == "paths-partner-to-catalyst")
    body = run(client, ex.cypher, dict(ex.params)).get_json()
    hops = body["rows"][0][1]
    assert len(body["graph"]["nodes"]) == hops + 1
    assert len(body["graph"]["edges"]) == hops


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_every_canned_example_runs_through_the_api(client: FlaskClient, ex: object) -> None:
    # what the page offers (its JSON block), run as the page's script runs it
    data = page_data(client.get("/query").get_data(as_text=True))
    offered = data["examples"][ex.slug]  # type: ignore[attr-defined]
    params = json.loads(offered["params"]) if offered["params"] else None
    response = run(client, offered["query"], params)
    assert response.status_code == 200, response.data[:300]
    body = response.get_json()
    assert body["rows"], "each example answers on the bundled dataset"
    assert not body["truncated"]


# -- the page ----------------------------------------------------------------------------


def test_the_console_page_has_the_editor_examples_by_group_and_no_inline_code(
    client: FlaskClient,
) -> None:
    response = client.get("/query")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    html = response.get_data(as_text=True)
    parsed = parse(html)
    for script in parsed.scripts:
        assert script.get("src") or script.get("type") == "application/json", script
    assert parsed.inline == []
    assert '<textarea id="console-q" name="q" class="code"' in html
    assert 'id="console-params" name="params"' in html
    assert '<a href="/query" aria-current="page">Query</a>' in html
    assert html.count("<h3>For ") == len(Audience)
    for ex in EXAMPLES:
        assert f'data-example="{ex.slug}"' in html
    run_links = re.findall(r'<a href="(/query\?q=[^"]+)" aria-label="Run', html)
    assert len(run_links) == len(EXAMPLES)
    assert set(page_data(html)["examples"]) == {e.slug for e in EXAMPLES}


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_link_runs_it_and_renders_the_results(client: FlaskClient, ex: object) -> None:
    html = client.get("/query").get_data(as_text=True)
    slug = ex.slug  # type: ignore[attr-defined]
    item = html[html.index(f'data-example="{slug}"') :]
    link = re.search(r'<a href="(/query\?q=[^"]+)"', item)
    assert link
    response = client.get(html_lib.unescape(link.group(1)))
    assert response.status_code == 200
    parsed = parse(response.get_data(as_text=True))
    assert parsed.headers and parsed.cells, "the results table is rendered on the server"


def test_a_permalink_renders_results_without_scripts(client: FlaskClient) -> None:
    body = run(
        client,
        "MATCH (p:Partner {id: $id})-[r:MEMBER_OF]->(t) RETURN p, r, t.name AS team",
        {"id": PARTNER},
    ).get_json()
    link = body["permalink"]
    assert urlsplit(link).path == "/query"
    state = parse_qs(urlsplit(link).query)
    assert json.loads(state["params"][0]) == {"id": PARTNER}
    response = client.get(link)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    parsed = parse(html)
    assert parsed.headers == ["p", "r", "team"]
    assert len(parsed.cells) == 3 * len(body["rows"])
    assert "Partner: National Math and Science Initiative" in parsed.cells
    assert f'<a href="/partners/{PARTNER}">Partner: National Math' in html
    assert f"({PARTNER})-[:MEMBER_OF]->(?)" in parsed.cells, "the team was not returned as a node"
    # the picture's data, drawn by graph.js; the editor holds the query again
    assert '<section class="graph" aria-labelledby="result-graph-h" data-graph>' in html
    assert "MATCH (p:Partner {id: $id})" in html
    assert 'data-role="csv" href="/query.csv?q=' in html


def test_the_permalink_keeps_limits_and_shows_the_truncated_notice(client: FlaskClient) -> None:
    body = run(client, "UNWIND range(1, 20) AS x RETURN x", max_rows=5, timeout=10).get_json()
    state = parse_qs(urlsplit(body["permalink"]).query)
    assert state["max_rows"] == ["5"] and state["timeout"] == ["10"]
    html = client.get(body["permalink"]).get_data(as_text=True)
    assert "Truncated at 5 rows" in html
    assert len(parse(html).cells) == 5


def test_a_refused_query_in_the_url_shows_the_refusal_by_the_editor(
    client: FlaskClient, console_store: Store, before: tuple[dict[str, int], str]
) -> None:
    response = client.get("/query", query_string={"q": "MATCH (n) DETACH DELETE n"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "DETACH DELETE is not allowed" in html
    assert ">MATCH (n) DETACH DELETE n</textarea>" in html
    assert fingerprint(console_store) == before


def test_bad_parameters_in_the_url_are_shown_by_the_editor(client: FlaskClient) -> None:
    response = client.get("/query", query_string={"q": "RETURN $x", "params": "{x: 1}"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "params is not valid JSON" in html and ">{x: 1}</textarea>" in html


@pytest.mark.parametrize(
    "url",
    [
        "/query?max_rows=0",
        "/query?max_rows=x",
        "/query?timeout=31",
        "/query?timeout=abc",
        "/query.csv",
        "/query.json?q=RETURN+1&max_rows=2000",
    ],
)
def test_bad_limits_in_the_url_are_400_in_the_one_shape(client: FlaskClient, url: str) -> None:
    error_message(client.get(url, headers={"Accept": "application/json"}))


def test_results_from_data_are_escaped(client: FlaskClient) -> None:
    response = client.get(
        "/query",
        query_string={
            "q": f"RETURN '{XSS}' AS x, $p AS `<b>`",
            "params": json.dumps({"p": "</script>"}),
        },
    )
    html = response.get_data(as_text=True)
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert parse(html).cells == [XSS, "</script>"]
    assert html.count("</script>") == html.count("<script"), "no early end of a script block"


# -- downloads ---------------------------------------------------------------------------


def test_csv_download_neutralises_formulas(client: FlaskClient) -> None:
    query = (
        "RETURN '=HYPERLINK(\"http://x\")' AS a, '+1' AS b, '-2' AS c, '@SUM(1)' AS d, "
        "'plain' AS e, 3 AS f, null AS g, ['x', 'y'] AS h, 'x' AS `=bad`"
    )
    response = client.get("/query.csv", query_string={"q": query})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'attachment; filename="query-results.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["a", "b", "c", "d", "e", "f", "g", "h", "'=bad"]
    assert rows[1] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(1)",
        "plain",
        "3",
        "",
        '["x", "y"]',
        "x",
    ]


def test_json_download_holds_the_query_and_the_result(client: FlaskClient) -> None:
    response = client.get(
        "/query.json",
        query_string={
            "q": "UNWIND range(1, 9) AS x RETURN x * $k AS y",
            "params": '{"k": 2}',
            "max_rows": "3",
        },
    )
    assert response.status_code == 200
    assert "query-results.json" in response.headers["Content-Disposition"]
    body = response.get_json()
    assert body["params"] == {"k": 2}
    assert body["columns"] == ["y"] and body["rows"] == [[2], [4], [6]]
    assert body["truncated"] is True


def test_a_refused_download_is_a_400(client: FlaskClient) -> None:
    response = client.get(
        "/query.csv", query_string={"q": "CREATE (n)"}, headers={"Accept": "application/json"}
    )
    assert "CREATE" in error_message(response)


def test_the_console_module_examples_run() -> None:
    # web/ is not among pytest's doctest paths; the console's examples are checked here
    assert doctest.testmod(web.query).failed == 0


# -- Neo4j -------------------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason=NEO4J_SKIP)
def test_the_web_app_and_its_console_run_on_neo4j() -> None:
    store = open_store(load_settings({**os.environ, "GCX_BACKEND": "neo4j"}))
    try:
        load(BUNDLED_DATASET, store)
        client = create_app({"GCX_STORE": store, "TESTING": True}).test_client()
        for url in [
            "/",
            f"/challenges/{CATALYST}",
            f"/partners/{PARTNER}",
            "/query",
            "/api/stats",
            "/explore",
        ]:
            assert client.get(url).status_code == 200, url
        data = page_data(client.get("/query").get_data(as_text=True))
        for ex in EXAMPLES:
            offered = data["examples"][ex.slug]
            assert offered["query"] == ex.cypher
            params = json.loads(offered["params"]) if offered["params"] else None
            response = run(client, offered["query"], params)
            assert response.status_code == 200, (ex.slug, response.data[:300])
            assert response.get_json()["rows"], ex.slug
        body = run(
            client, ex_text("paths-partner-to-catalyst"), {"partner": PARTNER, "catalyst": CATALYST}
        )
        assert body.get_json()["graph"]["edges"]
        counts = store.info().counts
        assert "DELETE" in error_message(run(client, "MATCH (n) DETACH DELETE n"))
        assert "time limit" in error_message(run(client, SLOW, timeout=0.5))
        assert store.info().counts == counts
    finally:
        store.close()


def ex_text(slug: str) -> str:
    return next(e for e in EXAMPLES if e.slug == slug).cypher
