"""The explorer in Debian's chromium (Playwright), against a server the test starts.

The server is the real app under werkzeug on 127.0.0.1, on a port the OS picks.
Screenshots of the main pages go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from graph.backends import open_store
from graph.settings import Settings
from loaders import load
from tests.browser import (
    TABLE_BUILT,
    Held,
    Server,
    Watch,
    drawn,
    first_point,
    node_point,
    open_table,
    shot,
)
from web import create_app

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"
XSS = "<img src=x onerror=alert(1)>"
TEAM = "team-measuring-positive-work-environment-and-culture-in-schools-2019"


def test_challenge_page_draws_its_network(page: tuple[object, Watch], server: Server) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")  # type: ignore[attr-defined]
    count = drawn(pg)
    assert count > 0
    rows = pg.locator('[data-role="node-rows"] tr')  # type: ignore[attr-defined]
    assert rows.count() == 0, "the table twin is built when it is first opened"
    open_table(pg)
    assert rows.count() == count, "the table twin lists the same nodes"
    shot(pg, "challenge")


def test_the_whole_graphs_table_twin_opens_from_the_keyboard_with_every_node(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/explore?all=1")  # type: ignore[attr-defined]
    count = drawn(pg)
    canvas = pg.locator('[data-role="canvas"]')  # type: ignore[attr-defined]
    edges = int(canvas.get_attribute("data-edge-count"))
    data = pg.evaluate(  # type: ignore[attr-defined]
        "() => JSON.parse(document.querySelector('script[data-role=data]').textContent)"
    )
    assert count == len(data["nodes"]) and edges == len(data["edges"])
    summary = pg.locator('[data-role="table"] summary')  # type: ignore[attr-defined]
    summary.focus()
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    pg.wait_for_function(TABLE_BUILT)  # type: ignore[attr-defined]
    rows = pg.locator('[data-role="node-rows"] tr')  # type: ignore[attr-defined]
    assert rows.count() == count
    ids = rows.evaluate_all("(trs) => trs.map((tr) => tr.dataset.id)")
    assert ids == [n["id"] for n in data["nodes"]], "every node, in the page's order"
    links = pg.locator('[data-role="node-rows"] a')  # type: ignore[attr-defined]
    assert links.evaluate_all("(as) => as.map((a) => a.getAttribute('href'))") == [
        n["url"] for n in data["nodes"]
    ]
    assert pg.locator('[data-role="edge-rows"] tr').count() == edges  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    pg.wait_for_function("() => !document.querySelector('[data-role=table]').open")  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    pg.wait_for_function(TABLE_BUILT)  # type: ignore[attr-defined]
    assert rows.count() == count, "opened again: built once"


def test_the_panel_opens_before_the_neighbourhood_is_lit(
    page: tuple[object, Watch], server: Server
) -> None:
    # The panel must not wait for the dimming of every other node (a tenth of a second
    # on the whole graph): when its node id is set, the state has no focus yet; the focus
    # follows.
    pg, _ = page
    pg.goto(f"{server.url}/explore?all=1")  # type: ignore[attr-defined]
    drawn(pg)
    pg.evaluate(  # type: ignore[attr-defined]
        """() => {
        const panel = document.querySelector('[data-role="panel"]');
        const canvas = document.querySelector('[data-role="canvas"]');
        window.__stateAtPanel = null;
        new MutationObserver(() => {
            if (window.__stateAtPanel === null && panel.dataset.nodeId) {
                window.__stateAtPanel = canvas.dataset.state || "";
            }
        }).observe(panel, {attributes: true, attributeFilter: ["data-node-id"]});
    }"""
    )
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)  # type: ignore[attr-defined]
    panel = pg.locator('[data-role="panel"]')  # type: ignore[attr-defined]
    panel.wait_for(state="visible", timeout=5000)
    assert panel.get_attribute("data-node-id") == AIR
    assert "focus=" not in pg.evaluate("() => window.__stateAtPanel")  # type: ignore[attr-defined]
    pg.wait_for_function("() => location.hash.includes('focus=')")  # type: ignore[attr-defined]
    pressed = panel.locator('[data-action="focus-1"]').get_attribute("aria-pressed")
    assert pressed == "true", "the panel's step buttons show the neighbourhood that is lit"


def test_clicking_a_node_opens_its_details_panel(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")  # type: ignore[attr-defined]
    drawn(pg)
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)  # type: ignore[attr-defined]
    panel = pg.locator('[data-role="panel"]')  # type: ignore[attr-defined]
    panel.wait_for(state="visible", timeout=5000)
    assert panel.get_attribute("data-node-id") == AIR
    assert "American Institutes for Research" in panel.inner_text()
    link = panel.locator("a", has_text="Open its page")
    assert link.get_attribute("href") == f"/partners/{AIR}"


def test_double_click_expands_a_node_within_the_cap(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")  # type: ignore[attr-defined]
    before = drawn(pg)
    # the table twin opened first: the expansion adds its rows to it
    open_table(pg)
    assert pg.locator('[data-role="node-rows"] tr').count() == before  # type: ignore[attr-defined]
    edge_rows = pg.locator('[data-role="edge-rows"] tr').count()  # type: ignore[attr-defined]
    x, y = node_point(pg, "theme-professional-growth")
    pg.mouse.dblclick(x, y)  # type: ignore[attr-defined]
    canvas = pg.locator('[data-role="canvas"]').first  # type: ignore[attr-defined]
    pg.wait_for_function(  # type: ignore[attr-defined]
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount > n", arg=before
    )
    after = int(canvas.get_attribute("data-node-count"))
    assert before < after <= before + 40
    assert pg.locator('[data-role="node-rows"] tr').count() == after  # type: ignore[attr-defined]
    assert pg.locator('[data-role="edge-rows"] tr').count() > edge_rows  # type: ignore[attr-defined]


def test_explore_url_round_trips_its_state(page: tuple[object, Watch], server: Server) -> None:
    pg, _ = page
    query = f"center={COLLAB}&center={AIR}&depth=2&kinds=Challenge,Partner,ProjectTeam&inferred=0"
    pg.goto(f"{server.url}/explore?{query}")  # type: ignore[attr-defined]
    assert drawn(pg) > 0
    shot(pg, "explore")
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.get_by_role("button", name="Show").click()  # type: ignore[attr-defined]
    drawn(pg)
    after = urlsplit(pg.url)  # type: ignore[attr-defined]
    assert after.path == "/explore"
    assert parse_qsl(after.query) == parse_qsl(query)
    # change the state through the form: the URL follows
    pg.get_by_label("3").check()  # type: ignore[attr-defined]
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.get_by_role("button", name="Show").click()  # type: ignore[attr-defined]
    assert ("depth", "3") in parse_qsl(urlsplit(pg.url).query)  # type: ignore[attr-defined]


def test_explore_type_ahead_adds_a_centre_without_a_page_load(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/explore?center={COLLAB}")  # type: ignore[attr-defined]
    before = drawn(pg)
    pg.evaluate("window.__sameDocument = true")  # type: ignore[attr-defined]
    pg.locator("#explore-add").press_sequentially("American Inst", delay=20)  # type: ignore[attr-defined]
    option = pg.get_by_role("option").filter(has_text="American Institutes for Research")  # type: ignore[attr-defined]
    option.first.click()
    pg.wait_for_function(  # type: ignore[attr-defined]
        "() => new URLSearchParams(location.search).getAll('center').length === 2"
    )
    centres = [v for k, v in parse_qsl(urlsplit(pg.url).query) if k == "center"]  # type: ignore[attr-defined]
    assert centres == [COLLAB, AIR]
    assert pg.evaluate("window.__sameDocument === true")  # type: ignore[attr-defined]
    canvas = pg.locator('[data-role="canvas"]').first  # type: ignore[attr-defined]
    assert int(canvas.get_attribute("data-node-count")) > before
    assert pg.evaluate(  # type: ignore[attr-defined]
        "(id) => document.querySelector('[data-role=canvas]').gcxNodes.get(id) !== null", AIR
    )
    # the new centre's kinds join the legend (COLLAB's neighbourhood has no partner)
    pg.locator('[data-legend="kind:Partner"]').wait_for()  # type: ignore[attr-defined]
    pg.reload()  # type: ignore[attr-defined]
    assert drawn(pg) > before


LONG_CHALLENGE = (
    "the-number-of-teacher-preparation-programs-that-collaborate-with-local-districts-around-"
    "preparation-for-pk-12-stem-teachers"
)

# The canvas's and the form's boxes in viewport pixels, and the page's width in pixels.
_BOXES = """() => {
  const box = (sel) => { const b = document.querySelector(sel).getBoundingClientRect();
                         return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {canvas: box('[data-role="canvas"]'), form: box('.explore-form'),
          width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 900), (1024, 768), (1440, 900)], ids=["1280", "1024", "1440"]
)
def test_explore_shows_the_picture_beside_the_form_on_arrival(
    browser: object, server: Server, width: int, height: int
) -> None:
    """On a desktop screen the picture is in view without scrolling: the form is a column
    at its left (below the form, the picture began under the fold of a 1280x900 screen:
    its top at 768 px)."""
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    pg = context.new_page()
    try:
        for url in [f"/explore?center={COLLAB}", "/explore?all=1"]:
            pg.goto(server.url + url)
            drawn(pg)
            b = pg.evaluate(_BOXES)
            canvas, form = b["canvas"], b["form"]
            assert pg.evaluate("() => scrollY") == 0
            # the picture starts in the upper part of the screen, more than half of it in view
            assert canvas["top"] < 0.6 * height, (url, canvas)
            visible = min(canvas["bottom"], height) - canvas["top"]
            assert visible > 0.5 * (canvas["bottom"] - canvas["top"]), (url, canvas)
            assert form["right"] <= canvas["left"], "the form is a column left of the picture"
            assert b["width"] == width
        # a centre's long name wraps in the column instead of widening the page
        pg.goto(f"{server.url}/explore?center={LONG_CHALLENGE}&center={AIR}")
        drawn(pg)
        b = pg.evaluate(_BOXES)
        assert b["form"]["right"] <= b["canvas"]["left"] and b["width"] == width
    finally:
        context.close()


def test_explore_on_a_phone_keeps_one_column_and_its_width(browser: object, server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    pg = context.new_page()
    try:
        pg.goto(f"{server.url}/explore?center={LONG_CHALLENGE}&center={AIR}")
        drawn(pg)
        b = pg.evaluate(_BOXES)
        assert b["form"]["bottom"] <= b["canvas"]["top"], "the form above the picture"
        assert b["width"] == 390, "long centre names wrap instead of widening the page"
    finally:
        context.close()


def test_explore_opens_on_a_guided_start(page: tuple[object, Watch], server: Server) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/explore")  # type: ignore[attr-defined]
    assert pg.locator('[data-role="canvas"]').count() == 0  # type: ignore[attr-defined]
    assert pg.get_by_role("heading", name="Where to start").is_visible()  # type: ignore[attr-defined]
    pg.locator(".start-theme summary").first.click()  # type: ignore[attr-defined]
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.locator(".start-theme[open] .start-list a").first.click()  # type: ignore[attr-defined]
    assert drawn(pg) > 1
    assert len([k for k, _ in parse_qsl(urlsplit(pg.url).query) if k == "center"]) == 1  # type: ignore[attr-defined]
    pg.goto(f"{server.url}/explore")  # type: ignore[attr-defined]
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.get_by_role("link", name="Show the whole graph").click()  # type: ignore[attr-defined]
    assert drawn(pg) > 300


def test_main_pages_render_and_are_saved_as_screenshots(
    page: tuple[object, Watch], server: Server
) -> None:
    pg, _ = page
    for name, url in [
        ("overview", "/"),
        ("themes", "/themes"),
        ("theme", "/themes/theme-professional-growth"),
        ("challenges", "/challenges"),
        ("partners", "/partners?sort=-challenges"),
        ("partner", f"/partners/{AIR}"),
        ("search", "/search?q=math"),
        ("explore-start", "/explore"),
        ("explore-all", "/explore?all=1"),
        ("not-found", "/challenges/no-such-challenge"),
    ]:
        pg.goto(server.url + url)  # type: ignore[attr-defined]
        if pg.locator('[data-role="canvas"]').count():  # type: ignore[attr-defined]
            assert drawn(pg) > 0
        shot(pg, name)


def test_a_partner_named_like_html_stays_text_everywhere(
    browser: object, dataset: Path, tmp_path: Path
) -> None:
    with (dataset / "partners.csv").open("a", encoding="utf-8") as f:
        f.write(
            f"xss-partner,{XSS},,<script>alert(2)</script>,<b>Somewhere</b>,"
            'javascript:alert(3),"<svg onload=alert(4)>",,false,,https://example.org/xss\n'
        )
    with (dataset / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write(f"MEMBER_OF,xss-partner,{TEAM},stated,https://example.org/xss,,,,\n")
    with open_store(Settings(db_path=tmp_path / "xss.lbug")) as store:
        load(dataset, store)
        srv = Server(create_app({"GCX_STORE": store}))
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        pg = context.new_page()
        watch = Watch(pg, srv.url)
        try:
            for url in ["/partners/xss-partner", f"/challenges/{COLLAB}", "/search?q=onerror"]:
                pg.goto(srv.url + url)
                assert pg.get_by_text(XSS).filter(visible=True).count() > 0, url
                assert pg.locator("img[src='x']").count() == 0, url
            # the first picture (vis-network held back): its label is canvas text, and a
            # click on the node opens the same text-only panel
            hold = Held(pg)
            pg.goto(f"{srv.url}/partners/xss-partner")
            pg.locator('[data-role="canvas"][data-shown="1"]').wait_for(state="attached")
            x, y = first_point(pg, "xss-partner")
            pg.mouse.click(x, y)
            pg.locator('[data-role="panel"]').wait_for(state="visible", timeout=5000)
            assert XSS in pg.locator('[data-role="panel"]').inner_text()
            assert pg.locator("img[src='x']").count() == 0
            assert pg.evaluate("typeof vis") == "undefined"
            hold.release()
            pg.goto(f"{srv.url}/partners/xss-partner")
            drawn(pg)
            x, y = node_point(pg, "xss-partner")
            pg.mouse.move(x, y)  # hover: the tooltip
            tip = pg.locator("div.vis-tooltip")
            tip.wait_for(state="visible", timeout=5000)
            assert XSS in tip.inner_text()
            pg.mouse.click(x, y)  # click: the details panel
            panel = pg.locator('[data-role="panel"]')
            panel.wait_for(state="visible", timeout=5000)
            assert XSS in panel.inner_text()
            assert pg.locator("img[src='x']").count() == 0
            assert pg.locator("a[href^='javascript']").count() == 0
            shot(pg, "xss-partner")
            pg.wait_for_timeout(300)  # give any injected handler time to fire
        finally:
            context.close()
            srv.close()
        assert watch.dialogs == [], "no script from the data ran"
        assert watch.outside() == []
        assert watch.errors == []
