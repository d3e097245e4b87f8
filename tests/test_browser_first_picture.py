"""The first picture (web/static/graph-first.js) in Debian's chromium: drawn from the page's
data before vis-network has loaded, the same picture vis-network then draws, a click on it
opens a node's details, and the takeover keeps what the user did.

vis-network's script is held back by routing its request and releasing it later: the page
then runs exactly as on a slow connection, and each test decides when vis-network arrives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import Held, Watch, first_point

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
CENTRED = f"/explore?center={COLLAB}&depth=2"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}

# Grey levels of a canvas (white where transparent): the first picture's own canvas, or
# vis-network's, at the canvas's pixel size.
GREY = """(selector) => {
  const c = document.querySelector(selector), d = c.getContext("2d")
    .getImageData(0, 0, c.width, c.height).data, out = new Uint8Array(d.length / 4);
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3] / 255;
    out[i / 4] = Math.round((0.3 * d[i] + 0.59 * d[i + 1] + 0.11 * d[i + 2]) * a + 255 * (1 - a));
  }
  return {w: c.width, h: c.height, px: Array.from(out)};
}"""
FIRST = '[data-role="canvas"] canvas.graph-first'
VIS = '[data-role="canvas"] .vis-network canvas'
CAMERA = """() => {
  const v = document.querySelector('[data-role="canvas"]').gcxView;
  const cam = v.first ? v.first.camera : v.network;
  return {scale: cam.getScale(), at: cam.getViewPosition()};
}"""


@pytest.fixture
def held(browser: Any, server: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Held]]:
    width, height = SIZES[getattr(request, "param", "desktop")]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    watch = Watch(pg, server.url)
    hold = Held(pg)
    pg.base = server.url
    yield pg, hold
    context.close()
    assert watch.outside() == [] and watch.dialogs == []
    assert watch.errors == [], "no script error and no CSP violation"


def shown(pg: Any, path: str) -> None:
    pg.goto(pg.base + path)
    pg.locator('[data-role="canvas"][data-shown="1"]').wait_for(state="attached", timeout=10_000)
    assert pg.evaluate("typeof vis") == "undefined", "vis-network was held back"


def taken_over(pg: Any) -> None:
    pg.locator('[data-role="canvas"][data-drawn="1"]').wait_for(state="attached", timeout=15_000)
    pg.wait_for_function(f"() => !document.querySelector('{FIRST}')", timeout=5_000)


@pytest.mark.parametrize("held", list(SIZES), indirect=True)
@pytest.mark.parametrize("path", [CENTRED, "/explore?all=1", f"/challenges/{COLLAB}"])
def test_the_first_picture_is_the_picture_vis_network_then_draws(
    held: tuple[Any, Held], path: str
) -> None:
    pg, hold = held
    shown(pg, path)
    before = pg.evaluate(GREY, FIRST)
    camera = pg.evaluate(CAMERA)
    labels = set(
        pg.evaluate(
            "() => document.querySelector('[data-role=\"canvas\"]').gcxLabels.map(l => l.id)"
        )
    )
    ink = sum(v < 200 for v in before["px"]) / len(before["px"])
    assert ink > 0.005, "the first picture has nodes, edges and labels on it"
    assert len(labels) >= 10
    hold.release()
    pg.mouse.move(0, 0)  # reaching for the page, not a node: nothing is hovered
    taken_over(pg)
    after = pg.evaluate(GREY, VIS)
    live = pg.evaluate(CAMERA)
    # the same view: vis-network takes over the first picture's (its own fit, which the
    # first picture follows, differs by a fraction of a pixel)
    assert live["scale"] == pytest.approx(camera["scale"], rel=1e-6)
    assert live["at"]["x"] == pytest.approx(camera["at"]["x"], abs=1e-6)
    assert live["at"]["y"] == pytest.approx(camera["at"]["y"], abs=1e-6)
    # the same picture, pixel for pixel but for anti-aliasing and a label or two
    assert (after["w"], after["h"]) == (before["w"], before["h"])
    differ = sum(abs(a - b) > 64 for a, b in zip(before["px"], after["px"], strict=True))
    assert differ / len(before["px"]) < 0.02, f"{differ} pixels differ"
    ink_after = sum(v < 200 for v in after["px"]) / len(after["px"])
    assert ink_after == pytest.approx(ink, rel=0.1)
    placed = set(
        pg.evaluate(
            "() => document.querySelector('[data-role=\"canvas\"]').gcxLabels.map(l => l.id)"
        )
    )
    assert placed == labels
    # and the first picture's view is vis-network's own fit(), within a pixel
    pg.locator('[data-action="fit"]').first.click()
    pg.wait_for_timeout(700)
    fitted = pg.evaluate(CAMERA)
    assert fitted["scale"] == pytest.approx(camera["scale"], rel=0.01)
    span = max(before["w"], before["h"]) / camera["scale"]
    assert abs(fitted["at"]["x"] - camera["at"]["x"]) < 0.005 * span
    assert abs(fitted["at"]["y"] - camera["at"]["y"]) < 0.005 * span


def clicked(pg: Any) -> Any:
    """The centred view's first picture, its centre clicked: the open panel."""
    shown(pg, CENTRED)
    x, y = first_point(pg, COLLAB)
    pg.mouse.click(x, y)
    panel = pg.locator('[data-role="panel"]')
    panel.wait_for(state="visible", timeout=5_000)
    return panel


def selected(pg: Any) -> list[str]:
    """The nodes vis-network has selected."""
    return list(
        pg.evaluate(
            "() => document.querySelector('[data-role=\"canvas\"]').gcxNetwork.getSelectedNodes()"
        )
    )


def test_a_click_on_the_first_picture_opens_the_panel_and_survives_the_takeover(
    held: tuple[Any, Held],
) -> None:
    pg, hold = held
    panel = clicked(pg)
    assert panel.get_attribute("data-node-id") == COLLAB
    assert "teacher collaboration time" in panel.inner_text()
    # the panel is on top of the first picture, not under it
    on_top = pg.evaluate(
        """() => { const p = document.querySelector('[data-role="panel"]');
                   const r = p.getBoundingClientRect();
                   return p.contains(document.elementFromPoint(r.left + r.width / 2,
                                                                r.top + r.height / 2)); }"""
    )
    assert on_top
    assert pg.evaluate("typeof vis") == "undefined", "the panel came before vis-network"
    hold.release()
    taken_over(pg)
    # vis-network selected the clicked node and lit its neighbourhood, as a click on it does
    pg.wait_for_function(
        "(id) => document.querySelector('[data-role=\"canvas\"]').gcxView.state.focus === id",
        arg=COLLAB,
        timeout=5_000,
    )
    assert selected(pg) == [COLLAB]
    assert f"focus={COLLAB}" in pg.evaluate("location.hash")
    assert panel.get_attribute("data-node-id") == COLLAB and panel.is_visible()


def test_a_click_on_empty_canvas_closes_the_panel_before_the_takeover(
    held: tuple[Any, Held],
) -> None:
    pg, _ = held
    clicked(pg)
    box = pg.locator('[data-role="canvas"]').bounding_box()
    pg.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)  # a corner: no node there
    pg.locator("[data-role=panel] .panel-close").wait_for(state="hidden", timeout=5_000)


def test_a_press_held_while_vis_network_arrives_still_ends_in_a_click(
    held: tuple[Any, Held],
) -> None:
    pg, hold = held
    shown(pg, CENTRED)
    x, y = first_point(pg, COLLAB)
    pg.mouse.move(x, y)
    pg.mouse.down()
    hold.release()
    pg.locator('[data-role="canvas"][data-drawn="1"]').wait_for(state="attached", timeout=15_000)
    assert pg.locator(FIRST).count() == 1, "the first picture stays while the button is down"
    pg.mouse.up()
    panel = pg.locator('[data-role="panel"]')
    panel.wait_for(state="visible", timeout=5_000)
    assert panel.get_attribute("data-node-id") == COLLAB
    assert pg.locator(FIRST).count() == 0
    assert selected(pg) == [COLLAB]


def test_without_any_interaction_vis_network_takes_over_by_itself(page: Any) -> None:
    pg, watch = page
    pg.goto(watch.base + CENTRED)
    pg.locator('[data-role="canvas"][data-drawn="1"]').wait_for(state="attached", timeout=15_000)
    assert pg.locator(FIRST).count() == 0
    assert pg.evaluate("typeof vis") == "object"


def test_vis_network_is_downloaded_only_after_the_first_picture_is_drawn(page: Any) -> None:
    pg, watch = page
    # in the page's own clock: when the first picture was drawn, and every request made
    pg.add_init_script(
        "new MutationObserver(c => c.forEach(m => { if (m.attributeName === 'data-shown' && "
        "window.__shownAt === undefined) window.__shownAt = performance.now(); }))"
        ".observe(document, {attributes: true, subtree: true});"
    )
    pg.goto(watch.base + CENTRED)
    pg.locator('[data-role="canvas"][data-drawn="1"]').wait_for(state="attached", timeout=15_000)
    # the page itself names vis-network nowhere but on the graph scripts' tag
    assert pg.locator("link[rel=preload]").count() == 1  # the one graph.js added
    bundle = pg.locator('script[src^="/bundle/graph.js"]')
    assert (bundle.get_attribute("data-vis") or "").startswith("/vendor/vis-network/")
    shown_at, started = pg.evaluate(
        """() => [window.__shownAt, performance.getEntriesByType("resource")
             .filter(e => e.name.includes("vis-network.min.js")).map(e => e.startTime)]"""
    )
    assert shown_at is not None and started, "the first picture, then vis-network"
    assert min(started) > shown_at


def test_a_view_kept_in_the_address_is_drawn_by_vis_network_alone(page: Any) -> None:
    pg, watch = page
    pg.add_init_script(
        "new MutationObserver(c => c.forEach(m => { if (m.attributeName === 'data-shown') "
        "window.__firstShown = true; })).observe(document, {attributes: true, subtree: true});"
    )
    pg.goto(f"{watch.base}{CENTRED}#hide=kind%3APartner")
    pg.locator('[data-role="canvas"][data-drawn="1"]').wait_for(state="attached", timeout=15_000)
    # the first picture would show the partners the address hides: there is none
    assert pg.evaluate("window.__firstShown === true") is False
    assert pg.locator(FIRST).count() == 0
    hidden = pg.evaluate(
        "() => document.querySelector('[data-role=\"canvas\"]').gcxNodes"
        ".get({filter: n => n.kind === 'Partner' && !n.hidden}).length"
    )
    assert hidden == 0


def test_when_vis_network_cannot_load_the_first_picture_still_answers(
    held: tuple[Any, Held],
) -> None:
    pg, _ = held
    pg.unroute("**/vis-network.min.js*")
    pg.route("**/vis-network.min.js*", lambda route: route.abort())
    panel = clicked(pg)  # the click also sets off the (failing) load
    assert panel.get_attribute("data-node-id") == COLLAB
    status = pg.locator('[data-role="status"]').first
    pg.wait_for_function(
        "() => document.querySelector('[data-role=\"status\"]').textContent"
        ".includes('could not load')",
        timeout=10_000,
    )
    # the page's own line is kept, the sentence follows it
    assert re.fullmatch(
        r"\d+ nodes and \d+ relationships\. The interactive picture could not load: "
        r"click a node for its details, or reload the page\.",
        status.text_content() or "",
    )
    assert pg.locator(FIRST).count() == 1 and pg.evaluate("typeof vis") == "undefined"
    # another node, one the open panel does not cover, still opens its panel
    other = pg.evaluate(
        """() => {
            const el = document.querySelector('[data-role="canvas"]');
            const box = el.getBoundingClientRect(), cam = el.gcxView.first.camera;
            for (const n of el.gcxView.data.nodes) {
                const p = cam.canvasToDOM(cam.getPositions([n.id])[n.id]);
                const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
                if (n.kind === "Theme" && hit && hit.classList.contains("graph-first")) {
                    return n.id;
                }
            }
            return null;
        }"""
    )
    assert other
    x, y = first_point(pg, other)
    pg.mouse.click(x, y)
    pg.wait_for_function(
        "(id) => document.querySelector('[data-role=\"panel\"]').dataset.nodeId === id",
        arg=other,
        timeout=5_000,
    )
