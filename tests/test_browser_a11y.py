"""Accessibility: axe-core (shipped by axe-playwright-python, run in Debian's chromium) finds
no serious or critical violation on any page, including colour contrast (WCAG AA), on a
desktop and on a phone, with a graph's details panel open and a console result shown.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import Watch, drawn, node_point

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"
TEAM = "team-measuring-positive-work-environment-and-culture-in-schools-2019"
PAGES = [
    "/",
    "/themes",
    "/themes/theme-professional-growth",
    "/challenges",
    "/challenges?theme=theme-professional-growth&catalyst=1",
    f"/challenges/{COLLAB}",
    "/partners",
    "/partners?q=science&sort=-challenges",
    f"/partners/{AIR}",
    f"/nodes/{TEAM}",
    "/nodes/keystone-1",
    "/explore",
    "/explore?all=1",
    f"/explore?center={COLLAB}&center={AIR}&depth=2",
    "/search?q=math",
    "/search?q=NMSI",
    "/gaps",
    "/collaborators",
    f"/collaborators?partner={AIR}",
    "/query",
    "/query?q=MATCH+(p:Partner)-[r]->(t)+RETURN+p,r,t+LIMIT+5",
    "/no-such-page",
]


def serious(pg: Any) -> list[str]:
    """axe's serious and critical violations on the page, one line each."""
    results = axe_sync.Axe().run(pg)
    return [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_axe_finds_no_serious_violation_on_any_page(
    browser: Any, server: Any, size: tuple[int, int]
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    watch = Watch(pg, server.url)
    watch.expected.add(404)
    found = {}
    try:
        for url in PAGES:
            pg.goto(server.url + url)
            if pg.locator('[data-role="canvas"]').count():
                drawn(pg)
            problems = serious(pg)
            if problems:
                found[url] = problems
    finally:
        context.close()
    assert found == {}
    assert watch.errors == []


def test_axe_finds_none_with_the_details_panel_and_legend_in_use(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)
    pg.locator('[data-legend="kind:Resource"]').click()
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)
    pg.locator('[data-role="panel"]').wait_for(state="visible")
    pg.locator('[data-action="focus-1"]').wait_for()
    assert serious(pg) == []
