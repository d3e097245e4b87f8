"""The query console in Debian's chromium (Playwright), against a server the test starts.

The server (``tests/browser.py``) serves the real app on 127.0.0.1 at a port the OS
picks, over a store whose console allows 30 s per query (a cold worker process on a
busy machine must not fail a test). The ``page`` fixture (``tests/conftest.py``) fails a
test on any request that leaves 127.0.0.1, any dialog, script error or CSP violation.
Screenshots go to ``test-artifacts/query-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from graph.backends import open_store
from graph.settings import Settings
from graph.store.base import Store
from loaders import load
from tests.browser import Server, Watch, drawn, node_point, open_table, shot
from web import create_app

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

PARTNER = "national-math-and-science-initiative"
XSS = "<img src=x onerror=alert(1)>"
TEAM = "team-measuring-positive-work-environment-and-culture-in-schools-2019"
NODES_QUERY = "MATCH (p:Partner {id: $id})-[r:MEMBER_OF]->(t:ProjectTeam) RETURN p, r, t"


def console_store(path: Path, dataset: Path) -> Store:
    store = open_store(Settings(db_path=path, query_timeout_s=30))
    load(dataset, store)
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from graph.settings import BUNDLED_DATASET

    store = console_store(tmp_path_factory.mktemp("console") / "g.lbug", BUNDLED_DATASET)
    srv = Server(create_app({"GCX_STORE": store}))
    yield srv
    srv.close()
    store.close()


def type_query(pg: Any, query: str, params: str = "") -> None:
    pg.locator("#console-q").fill(query)
    pg.locator("#console-params").fill(params)
    pg.locator("#console-q").focus()


def rows_shown(pg: Any) -> list[list[str]]:
    table = pg.locator('[data-role="result-table"] tbody tr')
    return [[c.strip() for c in r.locator("td").all_inner_texts()] for r in table.all()]


def run_with_keys(pg: Any) -> None:
    with pg.expect_response(lambda r: r.url.endswith("/api/query")):
        pg.keyboard.press("Control+Enter")
    pg.locator('[data-role="console-status"]').filter(has_text="Done").or_(
        pg.locator('[data-role="console-error"]:visible')
    ).first.wait_for(timeout=30_000)


def test_ctrl_enter_runs_the_query_and_shows_the_table(
    page: tuple[Any, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/query")
    type_query(pg, "MATCH (t:Theme) RETURN t.name AS theme, t.id AS id ORDER BY theme")
    run_with_keys(pg)
    headers = pg.locator('[data-role="result-table"] thead th').all_inner_texts()
    assert headers == ["theme", "id"]
    rows = rows_shown(pg)
    assert len(rows) == 7 and rows == sorted(rows)
    assert "7 rows, 2 columns" in pg.locator('[data-role="summary"]').inner_text()
    state = parse_qs(urlsplit(pg.url).query)
    assert state["q"] == ["MATCH (t:Theme) RETURN t.name AS theme, t.id AS id ORDER BY theme"]
    assert pg.locator('[data-role="graph-slot"] [data-graph]').count() == 0, "no nodes, no graph"
    shot(pg, "query-table")


def test_a_query_returning_nodes_draws_a_graph(page: tuple[Any, Watch], server: Server) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/query")
    type_query(pg, NODES_QUERY, f'{{"id": "{PARTNER}"}}')
    run_with_keys(pg)
    count = drawn(pg)
    rows = rows_shown(pg)
    assert count == len(rows) + 1, "the partner and each of its teams"
    edges = int(pg.locator('[data-role="canvas"]').get_attribute("data-edge-count"))
    assert edges == len(rows)
    open_table(pg)
    assert pg.locator('[data-role="node-rows"] tr').count() == count, "the table twin"
    link = pg.locator('[data-role="result-table"] a').first
    assert link.get_attribute("href") == f"/partners/{PARTNER}"
    # the same picture code as the explorer: clicking a node opens its panel
    x, y = node_point(pg, PARTNER)
    pg.mouse.click(x, y)
    panel = pg.locator('[data-role="panel"]')
    panel.wait_for(state="visible", timeout=5000)
    assert "National Math and Science Initiative" in panel.inner_text()
    shot(pg, "query-graph")


def test_the_permalink_round_trips_and_reruns_the_query(
    page: tuple[Any, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/query")
    type_query(pg, NODES_QUERY, f'{{"id": "{PARTNER}"}}')
    pg.locator(".limits summary").click()
    pg.locator('input[name="max_rows"]').fill("1")
    pg.get_by_role("button", name="Run", exact=True).click()
    pg.locator('[data-role="console-status"]').filter(has_text="Done").wait_for(timeout=30_000)
    before = rows_shown(pg)
    assert len(before) == 1
    assert pg.locator('[data-role="truncated"]').inner_text().startswith("Truncated at 1 row:")
    permalink = pg.url
    assert pg.locator('[data-role="permalink"]').get_attribute("href") == permalink.removeprefix(
        server.url
    )
    # a fresh page at that address: the server runs it again and renders the results
    pg.goto("about:blank")
    pg.goto(permalink)
    assert rows_shown(pg) == before
    assert pg.locator("#console-q").input_value() == NODES_QUERY
    assert pg.locator('input[name="max_rows"]').input_value() == "1"
    assert "Truncated at 1 row:" in pg.locator('[data-role="truncated"]').inner_text()
    assert drawn(pg) > 0
    shot(pg, "query-permalink")


def test_a_value_that_looks_like_html_stays_text(page: tuple[Any, Watch], server: Server) -> None:
    pg, watch = page
    pg.goto(f"{server.url}/query")
    type_query(pg, f"RETURN '{XSS}' AS x, $p AS `<b>bold</b>`", '{"p": "</script><i>i</i>"}')
    run_with_keys(pg)
    assert rows_shown(pg) == [[XSS, "</script><i>i</i>"]]
    headers = pg.locator('[data-role="result-table"] thead th').all_inner_texts()
    assert headers == ["x", "<b>bold</b>"]
    assert pg.locator("img[src='x']").count() == 0
    assert pg.locator("main i").count() == 0
    # the permalink renders it on the server: text there too
    pg.goto(pg.url)
    assert rows_shown(pg) == [[XSS, "</script><i>i</i>"]]
    assert pg.locator("img[src='x']").count() == 0
    pg.wait_for_timeout(300)  # give any injected handler time to fire
    assert watch.dialogs == []
    shot(pg, "query-xss-value")


def test_a_write_query_shows_the_refusal(page: tuple[Any, Watch], server: Server) -> None:
    pg, watch = page
    watch.expected.add(400)  # the API's answer to a refused query
    pg.goto(f"{server.url}/query")
    type_query(pg, "MATCH (n) DETACH DELETE n")
    run_with_keys(pg)
    error = pg.locator('[data-role="console-error"]')
    assert error.is_visible()
    assert "DETACH DELETE is not allowed: the console is read-only" in error.inner_text()
    # the graph is still there
    type_query(pg, "MATCH (n) RETURN count(*) AS nodes")
    run_with_keys(pg)
    assert not error.is_visible()
    assert int(rows_shown(pg)[0][0]) > 300
    type_query(pg, "MATCH (n) DETACH DELETE n")
    run_with_keys(pg)
    shot(pg, "query-refused")


def test_an_example_loads_with_one_click_and_runs(page: tuple[Any, Watch], server: Server) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/query")
    pg.get_by_role("button", name="Load “Partners per theme” into the editor").click()
    assert pg.locator("#console-q").input_value().startswith("MATCH (t:Theme)")
    pg.get_by_role("button", name="Run", exact=True).click()
    pg.locator('[data-role="console-status"]').filter(has_text="Done").wait_for(timeout=30_000)
    assert len(rows_shown(pg)) == 7
    # each example's link runs it without a script
    with pg.expect_navigation():
        pg.get_by_role("link", name="Run “Challenges in a theme”").click()
    assert len(rows_shown(pg)) > 0
    assert "Professional Growth" in pg.locator("#console-params").input_value()
    shot(pg, "query-example")


def test_node_names_from_data_stay_text_in_the_table_and_the_graph(
    browser: Any, dataset: Path, tmp_path: Path
) -> None:
    with (dataset / "partners.csv").open("a", encoding="utf-8") as f:
        f.write(f"xss-partner,{XSS},,,,,,,false,,https://example.org/xss\n")
    with (dataset / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write(f"MEMBER_OF,xss-partner,{TEAM},stated,https://example.org/xss,,,,\n")
    store = console_store(tmp_path / "xss.lbug", dataset)
    srv = Server(create_app({"GCX_STORE": store}))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, srv.url)
    try:
        pg.goto(f"{srv.url}/query")
        type_query(pg, "MATCH (p:Partner {id: 'xss-partner'})-[r]->(t) RETURN p.name, p, r, t")
        run_with_keys(pg)
        assert rows_shown(pg)[0][:2] == [XSS, f"Partner: {XSS}"]
        drawn(pg)
        x, y = node_point(pg, "xss-partner")
        pg.mouse.move(x, y)
        tip = pg.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        assert XSS in tip.inner_text()
        open_table(pg)
        assert pg.locator('[data-role="node-rows"]').get_by_text(XSS).count() == 1
        assert pg.locator("img[src='x']").count() == 0
        shot(pg, "query-xss-node")
        pg.wait_for_timeout(300)
    finally:
        context.close()
        srv.close()
        store.close()
    assert watch.dialogs == [], "no script from the data ran"
    assert watch.outside() == []
    assert watch.errors == []


def test_a_rewritten_query_says_so_and_links_the_guide(
    page: tuple[Any, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/query")
    note = pg.locator('[data-role="rewritten"]')
    type_query(pg, "MATCH (n:Theme) RETURN n.name AS theme")
    run_with_keys(pg)
    assert not note.is_visible()
    type_query(pg, "MATCH (n:Theme {name: 'Prestige'}) RETURN labels(n)[0] AS kind")
    run_with_keys(pg)
    assert rows_shown(pg) == [["Theme"]]
    assert note.is_visible()
    note.locator("a").click()
    pg.wait_for_url("**/query/cypher")
    assert pg.locator("h1").inner_text() == "Cypher here and in Neo4j"
    assert pg.locator("h2#patterns").is_visible()
