"""The analyses in a real browser (Debian's chromium through Playwright): the gap page's
chart and matrix, a matrix cell's drill-down, the collaborator finder, the Download menu.

The fixtures (``browser``, ``server``, ``page``) are in ``tests/conftest.py``: every test
also checks that no request left 127.0.0.1, no dialog fired and no script error or CSP
violation happened. Screenshots go to ``test-artifacts/`` (gaps.png, collaborators.png).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import networkx as nx
import pytest

from tests.browser import Server, Watch, drawn, shot

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

AIR = "american-institutes-for-research"
COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"


def test_gaps_page_renders_the_chart_and_the_matrix(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/gaps")  # type: ignore[attr-defined]
    chart = pg.locator('[data-role="chart"] svg')  # type: ignore[attr-defined]
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box["width"] > 400 and box["height"] > 200, "the chart is drawn at a readable size"
    assert chart.locator("circle").count() > 3
    assert "high leverage, few hands" in (chart.text_content() or "")
    rows = pg.locator('[data-role="ranking"] tbody tr')  # type: ignore[attr-defined]
    assert rows.count() == 27
    assert "What the public data lacks" in pg.locator(".lacks").inner_text()  # type: ignore[attr-defined]
    matrix = pg.locator('[data-role="matrix"]')  # type: ignore[attr-defined]
    assert matrix.is_visible()
    assert matrix.locator('a[data-role="cell"]').count() > 0
    shot(pg, "gaps")


def test_a_matrix_cell_drills_down_to_its_partners(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/gaps")  # type: ignore[attr-defined]
    cell = pg.locator('[data-role="matrix"] a[data-role="cell"]').first  # type: ignore[attr-defined]
    count = int(cell.inner_text())
    with pg.expect_navigation():  # type: ignore[attr-defined]
        cell.click()
    assert urlsplit(pg.url).path == "/gaps/cell"  # type: ignore[attr-defined]
    listed = pg.locator('[data-role="cell-partners"] > li')  # type: ignore[attr-defined]
    assert listed.count() == count
    assert listed.first.locator("a").first.get_attribute("href").startswith("/partners/")


def test_collaborators_view_ranks_partners_for_a_partner_on_a_catalyst(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/collaborators")  # type: ignore[attr-defined]
    pg.locator("#collab-find").fill("American Institutes for Research")  # type: ignore[attr-defined]
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.get_by_role("button", name="Find").click()  # type: ignore[attr-defined]
    query = parse_qs(urlsplit(pg.url).query)  # type: ignore[attr-defined]
    assert query["partner"] == [AIR]
    ranked = pg.locator('[data-role="ranked"] li.collaborator')  # type: ignore[attr-defined]
    assert ranked.count() == 20
    first = ranked.first
    assert "is on your project team" in first.locator(".why").inner_text()  # a team-mate first
    assert "stated" in first.locator(".basis").first.inner_text()
    first.locator("details.evidence summary").click()
    assert first.locator(".paths li").first.is_visible()
    pg.locator("#ranked-h").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    shot(pg, "collaborators")


def test_download_menu_yields_graphml_that_networkx_parses(
    page: tuple[object, Watch], server: Server, tmp_path: object
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")  # type: ignore[attr-defined]
    count = drawn(pg)
    menu = pg.locator('[data-role="download"]').first  # type: ignore[attr-defined]
    menu.locator("summary").click()
    link = menu.get_by_role("link", name="GraphML")
    assert link.is_visible()
    with pg.expect_download() as info:  # type: ignore[attr-defined]
        link.click()
    download = info.value
    assert download.suggested_filename == f"grand-challenges-{COLLAB}.graphml"
    g = nx.read_graphml(download.path())
    assert g.number_of_nodes() == count, "the file holds the nodes the picture shows"
    assert COLLAB in g and g.nodes[COLLAB]["kind"] == "Challenge"
