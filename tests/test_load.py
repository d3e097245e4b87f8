"""The load test (``bench/loadtest.py``): gunicorn under wrk loses no request and serves only
whole graphs while ``gcx load`` swaps the data.

The suite runs a short variant (one reload cycle, a few seconds at 16 connections); the
full one (30 s at 32 connections, a steady run and six reloads) runs with ``--run-slow``
or ``make loadtest``. Throughput is reported, not asserted: targets live in ``bench/``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.loadtest import run_loadtest, run_wrk, smaller_dataset, wrk_path
from graph.backends import open_store
from graph.settings import BUNDLED_DATASET, Settings
from graph.store.base import Store
from loaders import load
from tests.browser import Server
from web import create_app

if wrk_path() is None:
    if os.environ.get("CI"):
        raise pytest.UsageError("CI needs wrk (apt-get install wrk)")
    pytest.skip("wrk is missing: apt-get install wrk", allow_module_level=True)


def only_run(results: dict[str, Any]) -> dict[str, Any]:
    (run,) = results["runs"]
    return run  # type: ignore[no-any-return]


def test_the_smaller_dataset_loads_and_has_fewer_partners(tmp_path: Path) -> None:
    folder = smaller_dataset(tmp_path / "B")
    with open_store(Settings(db_path=tmp_path / "b.lbug")) as small:
        load(folder, small)
        b = small.info().counts
    with open_store(Settings(db_path=tmp_path / "a.lbug")) as full:
        load(BUNDLED_DATASET, full)
        a = full.info().counts
    assert b["Partner"] == a["Partner"] - 20
    assert b["Commitment"] < a["Commitment"] and b["MADE"] < a["MADE"]
    assert b["Challenge"] == a["Challenge"]


@pytest.fixture(scope="module")
def threaded_server(shared_store: Store) -> Iterator[Server]:
    srv = Server(create_app({"GCX_STORE": shared_store}))
    yield srv
    srv.close()


def test_the_checker_flags_stats_that_match_neither_graph(
    threaded_server: Server, tmp_path: Path
) -> None:
    # the whole-graph check is not vacuous: a body equal to neither dataset is counted
    mix = tmp_path / "mix.txt"
    mix.write_text("/api/stats\n/api/nope\n")
    not_a = tmp_path / "a.json"
    not_b = tmp_path / "b.json"
    not_a.write_text('{"backend":"embedded","counts":{}}')
    not_b.write_text('{"backend":"embedded","counts":{"Partner":1}}')
    run = run_wrk(
        threaded_server.url, mix, (not_a, not_b), name="check", duration_s=1, connections=2
    )
    assert run.requests > 0
    assert run.stats["mixed"] > 0 and run.stats["a"] == run.stats["b"] == 0
    assert run.status["4xx"] > 0
    problems = run.problems(expect_both=True)
    assert any("not a whole graph" in p for p in problems)
    assert any("other than 2xx" in p for p in problems)


def test_gunicorn_loses_no_request_and_serves_whole_graphs_while_reloading(
    tmp_path: Path,
) -> None:
    results = run_loadtest(
        duration_s=8, connections=16, workers=3, reloads=2, steady=False, workdir=tmp_path
    )
    run = only_run(results)
    print(json.dumps(run, indent=1))
    assert run["problems"] == []
    assert run["status"]["2xx"] == run["requests"] > 100
    assert sum(v for k, v in run["errors"].items()) == 0
    assert run["stats"]["mixed"] == 0
    assert run["stats"]["a"] > 0 and run["stats"]["b"] > 0  # both graphs served
    assert [r["dataset"] for r in run["reloads"]] == ["B", "A"]
    assert all(r["ok"] for r in run["reloads"])


@pytest.mark.slow
def test_the_full_load_test_passes(tmp_path: Path) -> None:
    results = run_loadtest(duration_s=30, connections=32, workers=4, reloads=6, workdir=tmp_path)
    print(json.dumps(results, indent=1))
    steady, reload = results["runs"]
    assert steady["problems"] == [] and reload["problems"] == []
    assert steady["requests"] > 0 and reload["stats"]["mixed"] == 0
    assert len(reload["reloads"]) == 6
