"""A map with many themes: a picture's legend lists its kinds in line and its themes behind
one closed "N themes" disclosure, in the server's first legend and in the one the page's
script draws once vis-network takes over; the map's own seven themes stay in line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from bench.synth import write_dataset
from graph.backends import open_store
from graph.store.base import Store
from graph.views import LEGEND_THEMES_INLINE
from loaders import load
from tests.conftest import embedded_settings

SCALE = 3  # 21 themes: past LEGEND_THEMES_INLINE


@pytest.fixture(scope="module")
def many_themes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The synthetic map at three times the bundled one: 21 themes."""
    tmp = tmp_path_factory.mktemp("many-themes")
    write_dataset(tmp / "data", SCALE)
    store = open_store(embedded_settings(tmp))
    load(tmp / "data", store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def many_app(many_themes: Store) -> Flask:
    from web import create_app

    return create_app({"GCX_STORE": many_themes, "TESTING": True})


def _legend(html: str) -> str:
    start = html.index('<div class="legend"')
    return html[start : html.index("</div>", start)]


def _payload_themes(html: str) -> list[str]:
    import json

    data = re.search(r'<script type="application/json" data-role="data">(.*?)</script>', html, re.S)
    assert data is not None
    return [t["name"] for t in json.loads(data.group(1))["legend"]["themes"]]


def test_the_server_legend_puts_many_themes_behind_one_closed_disclosure(
    many_app: Flask,
) -> None:
    html = many_app.test_client().get("/explore?all=1").get_data(as_text=True)
    themes = _payload_themes(html)
    assert len(themes) > LEGEND_THEMES_INLINE
    legend = _legend(html)
    more = re.search(r'<details class="legend-more"><summary>(\d+) themes</summary>', legend)
    assert more is not None and int(more.group(1)) == len(themes)
    kinds, hidden = legend[: more.start()], legend[more.end() :]
    # the kinds stay in line, every theme is behind the disclosure, once
    assert "Partner" in kinds and not any(t in kinds for t in themes)
    assert all(hidden.count(f"</svg> {t}</span>") == 1 for t in themes)


def test_the_bundled_maps_seven_themes_stay_in_line(client: Any) -> None:
    html = client.get("/explore?all=1").get_data(as_text=True)
    themes = _payload_themes(html)
    assert len(themes) == 7
    legend = _legend(html)
    assert "legend-more" not in legend
    assert all(f"</svg> {t}</span>" in legend for t in themes)


@pytest.mark.browser
def test_the_drawn_legend_keeps_many_themes_behind_a_disclosure_that_stays_open(
    browser: Any, many_themes: Store, many_app: Flask
) -> None:
    pytest.importorskip("playwright.sync_api")
    from tests.browser import Server, Watch, drawn

    srv = Server(many_app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, srv.url)
    try:
        pg.goto(srv.url + "/explore?all=1")
        # before vis-network: the server's legend, themes hidden, kinds in view
        more = pg.locator(".legend .legend-more")
        assert more.count() == 1 and not more.evaluate("d => d.open")
        assert pg.locator(".legend-more .legend-item").first.is_hidden()
        drawn(pg)
        # vis-network's legend: toggles, the themes behind the same disclosure
        pg.locator("[data-legend].legend-toggle").first.wait_for()
        more = pg.locator(".legend .legend-more")
        themes = pg.locator('.legend-more [data-legend^="theme:"]')
        count = themes.count()
        assert count > LEGEND_THEMES_INLINE
        assert more.locator("summary").inner_text() == f"{count} themes"
        assert themes.first.is_hidden()
        assert pg.locator('.legend > [data-legend="kind:Partner"]').is_visible()
        more.locator("summary").click()
        first = themes.first
        assert first.is_visible()
        key = first.get_attribute("data-legend")
        first.click()
        # the toggle redraws the legend: the disclosure stays open, the theme is off
        toggled = pg.locator(f'.legend-more [data-legend="{key}"]')
        pg.wait_for_function(
            '(k) => document.querySelector(`[data-legend="${k}"]`)'
            ".getAttribute('aria-pressed') === 'false'",
            arg=key,
        )
        assert toggled.is_visible()
        assert pg.locator(".legend .legend-more").evaluate("d => d.open")
    finally:
        context.close()
        srv.close()
    assert watch.errors == []
