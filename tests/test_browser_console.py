"""The console's polish in Debian's chromium: an error clears the answer before it, and every
example is in sight, grouped by user group."""

from __future__ import annotations

from typing import Any

import pytest

from graph.console.examples import EXAMPLES
from tests.browser import Watch
from tests.test_browser_query import rows_shown, run_with_keys, type_query

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")


def test_an_error_clears_the_previous_result(page: tuple[Any, Watch], server: Any) -> None:
    pg, watch = page
    watch.expected.add(400)
    pg.goto(f"{server.url}/query")
    type_query(pg, "MATCH (p:Partner)-[r:MEMBER_OF]->(t:ProjectTeam) RETURN p, r, t LIMIT 3")
    run_with_keys(pg)
    assert len(rows_shown(pg)) == 3
    results = pg.locator('[data-role="results"]')
    assert results.is_visible()
    type_query(pg, "MATCH (n) RETURN nosuchfunction(n)")
    run_with_keys(pg)
    assert pg.locator('[data-role="console-error"]').is_visible()
    assert results.is_hidden()
    assert pg.locator('[data-role="graph-slot"] [data-role="canvas"]').count() == 0
    type_query(pg, "MATCH (n) RETURN count(*) AS nodes")
    run_with_keys(pg)
    assert results.is_visible() and int(rows_shown(pg)[0][0]) > 300


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_every_example_is_in_sight_grouped_by_user_group(
    browser: Any, server: Any, size: tuple[int, int]
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    try:
        pg.goto(f"{server.url}/query")
        box = pg.locator(".example-scroll")
        # no inner scroll box: nothing hides below a scrollbar
        assert box.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
        items = pg.locator(".example-list li")
        assert items.count() == len(EXAMPLES)
        for i in range(items.count()):
            item = items.nth(i)
            item.scroll_into_view_if_needed()
            assert item.is_visible()
        groups = pg.locator(".examples h3").all_inner_texts()
        assert len(groups) >= 3 and any("research" in g.lower() for g in groups)
    finally:
        context.close()
