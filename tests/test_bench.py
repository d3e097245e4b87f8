"""``make bench`` runs end to end at the smallest scale and measures what it says it does.

The timing targets themselves live in ``bench/`` and ``docs/benchmarks.md``, not here: a
shared CI machine cannot promise milliseconds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.pages import CHROMIUM, CHROMIUM_ARGS, FLOOR_PATH, LocalServer, with_floor
from bench.run import render, run, run_process


def test_peak_rss_is_measured_per_child_process() -> None:
    small = run_process([sys.executable, "-c", "pass"])
    big = run_process(
        [sys.executable, "-c", "x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096])"]
    )
    assert small.code == big.code == 0
    assert big.peak_rss_mib >= 300 > small.peak_rss_mib


def test_the_bench_runs_at_the_smallest_scale_and_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    results = run(
        [1], 1, out, row_by_row_max_rows=10_000, sections=["load", "snapshot", "row_by_row"]
    )
    assert json.loads(out.read_text()) == results
    load = {r["dataset"]: r for r in results["load"]["rows"]}
    assert load["bundled"]["rows"] == load["synthetic-x1"]["rows"] > 600
    assert all(r["rows_per_s"] > 0 and r["gcx_load_peak_rss_mib"] > 0 for r in load.values())
    snap = {r["dataset"]: r for r in results["snapshot"]["rows"]}
    assert snap["synthetic-x1"]["nodes"] == snap["bundled"]["nodes"]
    (rbr,) = results["row_by_row"]["rows"]
    assert rbr["dataset"] == "synthetic-x1" and rbr["ratio"] > 0 and rbr["ratio_load"] > 0
    for r in load.values():  # one run: one pair, a load and the floor right after it
        assert r["floor_s"] > 0 and r["pair_ratios"] == [r["load_s"] / r["floor_s"]]
        assert r["vs_floor"] == r["pair_ratios"][0]
        # CPU of every thread: the load's engine and validation, the floor's engine
        assert r["load_cpu_s"] > 0 and r["floor_cpu_s"] > 0
    assert results["api"]["status"] == "skipped"
    table = render(results)
    for heading in ("Load:", "Snapshot:", "Row-by-row MERGE", "Targets"):
        assert heading in table


def test_the_pages_section_measures_every_page(tmp_path: Path) -> None:
    out = tmp_path / "pages.json"
    results = run([], 1, out, row_by_row_max_rows=0, sections=["pages"], pages_runs=2)
    assert json.loads(out.read_text()) == results
    pages = results["pages"]
    assert pages["status"] == "measured"
    assert pages["unmeasured"] == []  # every GET route is reached by a measured URL
    rows = pages["rows"]
    assert {r["kind"] for r in rows} == {"page", "api", "file"}
    for r in rows:
        assert r["status"] == "measured" and r["codes"] == [r["expected"]], r
        assert r["requests"] == 2 and 0 < r["p50_ms"] <= r["p95_ms"] and r["bytes_median"] > 0
    assert {r["name"] for r in rows if r["expected"] == 404} == {
        "404 (no route)",
        "404 (no such challenge)",
    }
    assert [t["target"].split(":")[0] for t in pages["targets"]] == [
        "every page at x1",
        "every other API call at x1",
        "every download, chart and asset at x1",
    ]
    assert "Pages: server time" in render(results)


def test_the_browser_section_times_the_three_views_and_the_harness_floor(tmp_path: Path) -> None:
    results = run(
        [], 1, tmp_path / "b.json", row_by_row_max_rows=0, sections=["browser"], browser_runs=1
    )
    browser = results["browser"]
    assert browser["status"] == "measured"
    views = {(r["view"], r["measure"]): r for r in browser["rows"]}
    floor = "harness floor (one node, no app)"
    assert set(views) == {
        ("challenge page", "shown"),
        ("challenge page", "interactive"),
        ("whole graph (Explore)", "shown"),
        ("whole graph (Explore)", "usable"),
        ("whole graph (Explore)", "interactive"),
        ("largest centred view (Explore)", "shown"),
        ("largest centred view (Explore)", "usable"),
        ("largest centred view (Explore)", "interactive"),
        (floor, "shown"),
        (floor, "usable"),
    }
    whole = views["whole graph (Explore)", "usable"]
    assert whole["nodes"] == whole["graph_nodes"]
    assert 0 < views["largest centred view (Explore)", "usable"]["nodes"] < whole["nodes"]
    for r in views.values():
        assert r["errors"] == [] and r["moved_px"] == 0 and r["runs"] == 1
        assert r["median_ms"] > 0 and r["cold_ms"] > 0 and r["panel_ok"]
    for view in ("whole graph (Explore)", "largest centred view (Explore)"):
        # the moments come in order: the picture, the click's panel, vis-network's picture
        shown, usable, live = (
            views[view, m]["in_page_median_ms"] for m in ("shown", "usable", "interactive")
        )
        assert 0 < shown < usable
        assert live > shown
    assert [t["target"].split(" at ")[0] for t in browser["targets"]] == [
        "challenge page shown",
        "whole graph (Explore) usable",
        "largest centred view (Explore) usable",
    ]
    assert all(isinstance(t["met"], bool) for t in browser["targets"])
    assert "Browser: navigation" in render(results)


def test_the_views_section_pairs_every_view_with_both_baselines(tmp_path: Path) -> None:
    results = run([], 1, tmp_path / "v.json", row_by_row_max_rows=0, sections=["views"], api_runs=3)
    views = results["views"]
    assert views["status"] == "measured"
    names = [r["view"] for r in views["rows"]]
    assert names[0] == "whole graph" and len(names) == 6
    assert sum(n.startswith("largest centred") for n in names) == 3
    for r in views["rows"]:
        assert r["ours_ms"] > 0 and r["pyvis_ms"] > 0 and r["json_ms"] > 0
        assert r["vs_pyvis"] == r["ours_ms"] / r["pyvis_ms"]
        assert r["ours_bytes"] > 0 and r["pyvis_bytes"] > r["json_bytes"] > 0
    assert len(views["targets"]) == len(names)
    assert "Views: first (uncached) server time" in render(results)


def _not_found(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no app here"]


def _browser_ui_pages(args: list[str], url: str, tmp_path: Path) -> set[str]:
    """The hosts of the ``chrome://`` pages a fresh Chromium started with ``args`` loads
    while one new tab opens ``url`` (from a trace of every process)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    trace = tmp_path / f"trace-{len(args)}.json"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            browser.start_tracing(path=str(trace), categories=["devtools.timeline"])
            page = browser.new_page()
            page.goto(url)
            page.wait_for_timeout(300)
            browser.stop_tracing()
        finally:
            browser.close()
    found = set()
    for event in json.loads(trace.read_text())["traceEvents"]:
        data = event.get("args", {}).get("data")
        address = data.get("url") if isinstance(data, dict) else None
        if isinstance(address, str) and address.startswith("chrome://"):
            found.add(address.split("/")[2])
    return found


def test_the_browser_builds_no_address_bar_popups_beside_the_measured_page(
    tmp_path: Path,
) -> None:
    """Chromium 156 builds its address-bar popups as web pages for every new tab, in a
    renderer that competes with the measured page for the machine's cores; the flags the
    bench and the browser tests share turn them off (without them, they are there)."""
    server = LocalServer(with_floor(_not_found))
    try:
        url = server.url + FLOOR_PATH
        default = [a for a in CHROMIUM_ARGS if not a.startswith("--disable-features=")]
        assert "omnibox-popup.top-chrome" in _browser_ui_pages(default, url, tmp_path)
        assert _browser_ui_pages(CHROMIUM_ARGS, url, tmp_path) == set()
    finally:
        server.close()
