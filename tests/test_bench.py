"""``make bench`` runs end to end at the smallest scale and measures what it says it does.

The timing targets themselves live in ``bench/`` and ``docs/benchmarks.md``, not here: a
shared CI machine cannot promise milliseconds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

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
    assert rbr["dataset"] == "synthetic-x1" and rbr["ratio"] > 0
    assert results["api"]["status"] == "skipped"
    table = render(results)
    for heading in ("Load:", "Snapshot:", "Row-by-row MERGE", "Targets"):
        assert heading in table
