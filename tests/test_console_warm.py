"""The console is warm at start: its first query does not wait for a worker process."""

from __future__ import annotations

import time
from pathlib import Path

from graph.backends import open_store
from graph.console.sandbox import shared_pool
from graph.settings import BUNDLED_DATASET, Settings
from loaders import load
from web import create_app


def test_the_first_console_query_uses_a_worker_warmed_at_start(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "g.lbug", query_timeout_s=60)
    with open_store(settings) as store:
        load(BUNDLED_DATASET, store)
    app = create_app({"GCX_SETTINGS": settings, "GCX_WARM": True})
    deadline = time.monotonic() + 120
    while "gcx_warm" not in app.extensions and time.monotonic() < deadline:
        time.sleep(0.05)
    warmed = app.extensions.get("gcx_warm")
    assert warmed is not None and warmed.rows == [[1]], "the warm-up query ran"
    started = shared_pool().workers_started
    response = app.test_client().post("/api/query", json={"query": "RETURN 2 AS n"})
    assert response.status_code == 200 and response.get_json()["rows"] == [[2]]
    assert shared_pool().workers_started == started, "no new worker for the first query"


def test_apps_handed_a_store_or_config_do_not_warm_unless_asked(tmp_path: Path) -> None:
    app = create_app({"GCX_SETTINGS": Settings(db_path=tmp_path / "none.lbug")})
    assert app.config["GCX_WARM"] is False
    assert "gcx_warm" not in app.extensions
