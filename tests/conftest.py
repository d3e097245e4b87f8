"""Shared fixtures: stores over real embedded database files, datasets to break, the CLI,
and for the browser tests Debian's chromium, a live server and a watched page
(helpers in ``tests/browser.py``)."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.backends import open_store
from graph.settings import BUNDLED_DATASET, Settings
from graph.store.base import Store
from loaders import load

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("GCX_CHROMIUM", "/usr/bin/chromium"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run the long test variants")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--run-slow"):
        skip = pytest.mark.skip(reason="long variant: run with --run-slow")
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(skip)
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise pytest.UsageError(f"CI needs {CHROMIUM} (apt-get install chromium)")
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def embedded_settings(tmp: Path, **overrides: object) -> Settings:
    return Settings(db_path=tmp / "graph.lbug", **overrides)  # type: ignore[arg-type]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A private copy of the bundled dataset, to change or break."""
    target = tmp_path / "dataset"
    shutil.copytree(BUNDLED_DATASET, target)
    return target


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """An embedded store with nothing loaded."""
    store = open_store(embedded_settings(tmp_path))
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An embedded store with the bundled dataset loaded (one per test: free to reload)."""
    store = open_store(embedded_settings(tmp_path))
    load(BUNDLED_DATASET, store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled dataset, loaded once per session: read it, never reload it."""
    store = open_store(embedded_settings(tmp_path_factory.mktemp("shared")))
    load(BUNDLED_DATASET, store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright (never a downloaded browser)."""
    from tests.browser import CHROMIUM_ARGS

    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(shared_store: Store) -> Iterator[Any]:
    """The explorer over the shared store, served on 127.0.0.1 at a port the OS chose."""
    from tests.browser import Server
    from web import create_app

    srv = Server(create_app({"GCX_STORE": shared_store}))
    yield srv
    srv.close()


@pytest.fixture
def page(browser: Any, server: Any) -> Iterator[tuple[Any, Any]]:
    """A fresh page on ``server``; afterwards, no request left 127.0.0.1, no dialog fired,
    no script error or CSP violation happened."""
    from tests.browser import Watch

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, server.url)
    yield pg, watch
    context.close()
    assert watch.outside() == [], "no request may leave 127.0.0.1"
    assert watch.dialogs == []
    assert watch.errors == [], "no script error and no CSP violation"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The gcx CLI's environment: a private embedded database, the default backend."""
    db = tmp_path / "cli.lbug"
    monkeypatch.setenv("GCX_DB_PATH", str(db))
    monkeypatch.delenv("GCX_BACKEND", raising=False)
    return db


def run_cli(*args: str) -> tuple[int, str]:
    """Run ``gcx ARGS`` in-process: (exit code, standard output)."""
    from gcx.cli import main

    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@pytest.fixture(scope="module")
def app(shared_store: Store) -> Flask:
    """The explorer over the shared bundled store (a module may override it)."""
    from web import create_app

    return create_app({"GCX_STORE": shared_store, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A Flask test client of ``app``."""
    return app.test_client()
