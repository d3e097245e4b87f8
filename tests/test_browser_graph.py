"""Readable, steerable graphs in Debian's chromium: labels that never overlap, the legend as a
filter, neighbourhood focus, expand/collapse/hide/undo, paths, sizes, downloads and the
keyboard, each without a page load and each surviving a reload through the address.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.store.base import Store
from graph.views import subgraph, to_vis
from tests.browser import (
    Watch,
    drawn,
    label_boxes,
    node_point,
    open_table,
    overlapping,
    state,
    visible_count,
)

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"
THEME = "theme-professional-growth"
CAS = "california-academy-of-sciences"  # in COLLAB's view; its commitments are not
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def largest_views(store: Store, count: int = 5) -> list[str]:
    """URL paths of the challenge and partner pages whose networks hold the most nodes."""
    g = store.snapshot()
    sizes = []
    for n, a in g.nodes(data=True):
        if a["kind"] in ("Challenge", "Partner"):
            sizes.append((-len(subgraph(g, [n], depth=1, evidence=True).nodes), a["kind"], n))
    sizes.sort()
    pages = {"Challenge": "challenges", "Partner": "partners"}
    return [f"/{pages[k]}/{n}" for _, k, n in sizes[:count]]


def marked(pg: Any) -> None:
    """Mark the document: a page load would lose the mark."""
    pg.evaluate("window.__sameDocument = true")


def same_document(pg: Any) -> bool:
    return bool(pg.evaluate("window.__sameDocument === true"))


def settle(pg: Any) -> None:
    pg.wait_for_timeout(150)


@pytest.mark.parametrize("size", list(SIZES))
def test_no_two_labels_overlap_on_the_largest_views_and_the_whole_graph(
    browser: Any, server: Any, shared_store: Store, size: str
) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    watch = Watch(pg, server.url)
    try:
        for path in [*largest_views(shared_store), "/explore?all=1"]:
            pg.goto(server.url + path)
            nodes = drawn(pg)
            settle(pg)
            boxes = label_boxes(pg)
            assert overlapping(boxes) == [], path
            assert len(boxes) >= min(nodes, 10), f"{path}: only {len(boxes)} labels"
            if path.startswith(("/challenges/", "/partners/")):
                centre = path.rsplit("/", 1)[1]
                assert centre in [b["id"] for b in boxes], f"{path}: the centre has no label"
    finally:
        context.close()
    assert watch.errors == []


def test_hovering_a_node_shows_its_full_name_on_top(page: tuple[Any, Watch], server: Any) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)
    x, y = node_point(pg, AIR)
    pg.mouse.move(x, y)
    pg.wait_for_function(
        "(id) => (document.querySelector('[data-role=canvas]').gcxLabels || [])"
        ".some((l) => l.id === id && l.text === 'American Institutes for Research')",
        arg=AIR,
    )
    assert overlapping(label_boxes(pg)) == []


def test_the_legend_filters_kinds_with_counts_and_survives_a_reload(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    before = drawn(pg)
    marked(pg)
    toggle = pg.locator('[data-legend="kind:Resource"]')
    count = int(toggle.locator(".legend-count").inner_text().strip("()"))
    assert count > 0
    # only kinds present are listed: this view has no keystones' theme-less challenges
    assert pg.locator('[data-legend="theme:none"]').count() == 0
    toggle.click()
    settle(pg)
    assert toggle.get_attribute("aria-pressed") == "false"
    assert visible_count(pg) == before - count
    assert same_document(pg)
    assert state(pg)["hide"] == ["kind:Resource"]
    pg.reload()
    drawn(pg)
    settle(pg)
    assert visible_count(pg) == before - count
    assert pg.locator('[data-legend="kind:Resource"]').get_attribute("aria-pressed") == "false"
    pg.locator('[data-legend="kind:Resource"]').click()
    settle(pg)
    assert visible_count(pg) == before


def _opacity(pg: Any, node_id: str) -> float:
    return float(
        pg.evaluate(
            "(id) => document.querySelector('[data-role=canvas]').gcxNodes.get(id).opacity",
            node_id,
        )
    )


def test_selecting_a_node_dims_all_but_its_neighbourhood(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)
    marked(pg)
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)
    pg.wait_for_function("() => location.hash.includes('focus=')")
    assert state(pg)["focus"] == [AIR]
    assert _opacity(pg, AIR) == 1
    assert _opacity(pg, COLLAB) < 1, "two steps away: dimmed at one step"
    pg.locator('[data-action="focus-2"]').click()
    pg.wait_for_function("() => location.hash.includes('hops=2')")
    lit_two = pg.evaluate(
        "() => document.querySelector('[data-role=canvas]').gcxNodes"
        ".get({filter: (n) => !n.hidden && n.opacity === 1}).length"
    )
    assert lit_two > 2
    assert same_document(pg)
    pg.reload()
    drawn(pg)
    settle(pg)
    assert _opacity(pg, AIR) == 1
    assert (
        pg.evaluate(
            "() => document.querySelector('[data-role=canvas]').gcxNodes"
            ".get({filter: (n) => !n.hidden && n.opacity === 1}).length"
        )
        == lit_two
    )


def test_expand_lands_in_free_space_then_collapse_and_undo(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    before = drawn(pg)
    marked(pg)
    x, y = node_point(pg, THEME)
    pg.mouse.dblclick(x, y)
    pg.wait_for_function(
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount > n", arg=before
    )
    expanded = visible_count(pg)
    assert before < expanded <= before + 40
    # the table twin, first opened after the expansion, lists what the picture shows
    open_table(pg)
    assert pg.locator('[data-role="node-rows"] tr:not([hidden])').count() == expanded
    # the new nodes keep clear of the nodes that were there (no pile-up on top of them)
    closest = pg.evaluate(
        """(n) => { const c = document.querySelector('[data-role=canvas]');
        const ids = c.gcxNodes.getIds({filter: (x) => !x.hidden});
        const pos = c.gcxNetwork.getPositions(ids);
        const old = ids.slice(0, n), fresh = ids.slice(n);
        let best = Infinity;
        fresh.forEach((a) => old.forEach((b) => { best = Math.min(best,
            Math.hypot(pos[a].x - pos[b].x, pos[a].y - pos[b].y)); }));
        return best; }""",
        before,
    )
    assert closest >= 30
    assert overlapping(label_boxes(pg)) == []
    assert state(pg)["exp"] == [THEME]
    pg.reload()
    drawn(pg)
    pg.wait_for_function(
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount === n",
        arg=expanded,
    )
    marked(pg)
    x, y = node_point(pg, THEME)
    pg.mouse.click(x, y)
    pg.locator('[data-action="collapse"]').click()
    pg.wait_for_function(
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount < n", arg=expanded
    )
    assert visible_count(pg) <= before
    pg.locator('[data-action="undo"]').first.click()
    pg.wait_for_function(
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount === n",
        arg=expanded,
    )
    assert same_document(pg)


def test_expand_by_relationship_type_and_hide(page: tuple[Any, Watch], server: Any) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    before = drawn(pg)
    x, y = node_point(pg, CAS)
    pg.mouse.click(x, y)
    made = pg.locator('[data-action="expand-MADE"]')
    made.wait_for()
    label = made.inner_text()
    assert label.startswith("made (")
    count = int(label.split("(")[1].rstrip(")"))
    made.click()
    pg.wait_for_function("() => location.hash.includes('exp=')")
    assert visible_count(pg) == before + count
    assert state(pg)["exp"] == [f"{CAS}~MADE"]
    before = visible_count(pg)
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)
    pg.locator('[data-action="hide"]').click()
    pg.wait_for_function("() => location.hash.includes('gone=')")
    assert visible_count(pg) < before
    pg.reload()
    drawn(pg)
    settle(pg)
    assert state(pg)["gone"] == [AIR]
    assert pg.evaluate(
        "(id) => document.querySelector('[data-role=canvas]').gcxNodes.get(id).hidden", AIR
    )


def test_path_between_two_selected_nodes(page: tuple[Any, Watch], server: Any) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)
    marked(pg)
    x, y = node_point(pg, AIR)
    pg.mouse.click(x, y)
    x, y = node_point(pg, THEME)
    pg.keyboard.down("Control")
    pg.mouse.click(x, y)
    pg.keyboard.up("Control")
    button = pg.locator('[data-action="path"]')
    assert button.is_enabled()
    button.click()
    pg.wait_for_function("() => location.hash.includes('path=')")
    assert set(state(pg)["path"]) == {AIR, THEME}
    status = pg.locator('[data-role="status"]').first.inner_text()
    assert "a shortest path from" in status
    lit = pg.evaluate(
        "() => document.querySelector('[data-role=canvas]').gcxNodes"
        ".getIds({filter: (n) => !n.hidden && n.opacity === 1})"
    )
    assert AIR in lit and THEME in lit and COLLAB in lit
    assert same_document(pg)
    pg.reload()
    drawn(pg)
    settle(pg)
    assert "a shortest path from" in pg.locator('[data-role="status"]').first.inner_text()


def test_size_by_connections_and_relayout_keep_labels_apart(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)

    def size(node_id: str) -> float:
        return float(
            pg.evaluate(
                "(id) => document.querySelector('[data-role=canvas]').gcxNodes.get(id).size",
                node_id,
            )
        )

    by_kind = size(AIR)
    pg.locator('[data-action="size"]').select_option("degree")
    pg.wait_for_function("() => location.hash.includes('size=degree')")
    assert size(AIR) != by_kind
    pg.locator('[data-action="relayout"]').click()
    pg.wait_for_function("() => location.hash.includes('layout=compact')")
    settle(pg)
    assert overlapping(label_boxes(pg)) == []


def test_png_and_svg_hold_the_whole_graph_whatever_the_zoom(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    nodes = drawn(pg)
    pg.evaluate("() => document.querySelector('[data-role=canvas]').gcxNetwork.moveTo({scale: 3})")
    pg.locator('[data-role="download"] summary').click()
    with pg.expect_download() as svg_dl:
        pg.locator('[data-action="svg"]').click()
    svg = Path(svg_dl.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert svg.count("<title>") >= nodes  # one per node (and one per edge)
    assert "American Institutes for Research" in svg
    assert "<script" not in svg
    with pg.expect_download() as png_dl:
        pg.locator('[data-action="png"]').click()
    data = Path(png_dl.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    canvas = pg.locator('[data-role="canvas"]').first.bounding_box()
    assert width > canvas["width"], "the whole graph, not the zoomed-in screen"


def test_keyboard_selects_nodes_and_opens_their_details(
    page: tuple[Any, Watch], server: Any
) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/challenges/{COLLAB}")
    drawn(pg)
    canvas = pg.locator('[data-role="canvas"]').first
    canvas.focus()
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    selected = pg.evaluate(
        "() => document.querySelector('[data-role=canvas]').gcxNetwork.getSelectedNodes()"
    )
    assert len(selected) == 1
    assert "Selected" in pg.locator('[data-role="status"]').first.inner_text()
    pg.keyboard.press("Enter")
    panel = pg.locator('[data-role="panel"]')
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-node-id") == selected[0]
    pg.keyboard.press("Escape")
    assert panel.is_hidden()


def test_relationships_read_as_sentences(page: tuple[Any, Watch], server: Any) -> None:
    pg, _ = page
    pg.goto(f"{server.url}/partners/american-institutes-for-research")
    drawn(pg)
    tips = pg.evaluate(
        "() => document.querySelector('[data-role=canvas]').gcxView.edges.map((e) => e.title)"
    )
    assert any(" is a member of " in t for t in tips)
    assert not any("MEMBER_OF" in t for t in tips)
    open_table(pg)
    rows = pg.locator('[data-role="edge-rows"]').text_content()
    assert "is a member of" in rows and "MEMBER_OF" not in rows
    # a link we matched (dashed) says so once, in plain words
    pg.goto(f"{server.url}/explore?center={COLLAB}&depth=2")
    drawn(pg)
    tips = pg.evaluate(
        "() => document.querySelector('[data-role=canvas]').gcxView.edges.map((e) => e.title)"
    )
    assert any(t.endswith(" (inferred)") for t in tips)
    assert not any("inferred:" in t for t in tips)


def test_an_expansion_adds_the_legend_themes_and_kinds_it_brings(
    page: tuple[Any, Watch], server: Any, shared_store: Store
) -> None:
    # A view's payload lists only the kinds and themes in view; expanding the theme next
    # to COLLAB brings partners, commitments and challenges whose first theme is another
    # one, and the legend must offer them.
    g = shared_store.snapshot()
    view = to_vis(g, subgraph(g, [COLLAB]))["legend"]
    grown = to_vis(g, subgraph(g, [THEME], max_nodes=41))["legend"]
    brought = {t["id"] for t in grown["themes"]} - {t["id"] for t in view["themes"]}
    kinds = {k["kind"] for k in grown["kinds"]} - {k["kind"] for k in view["kinds"]}
    assert brought and kinds
    pg, _ = page
    pg.goto(f"{server.url}/explore?center={COLLAB}")
    shown = drawn(pg)
    legend = [f"theme:{t}" for t in brought] + [f"kind:{k}" for k in kinds]
    for key in legend:
        assert pg.locator(f'[data-legend="{key}"]').count() == 0
    x, y = node_point(pg, THEME)
    pg.mouse.dblclick(x, y)
    pg.wait_for_function(
        "(n) => +document.querySelector('[data-role=canvas]').dataset.nodeCount > n", arg=shown
    )
    for key in legend:
        assert pg.locator(f'[data-legend="{key}"]').count() == 1
