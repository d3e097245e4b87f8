"""Shared fixtures: stores over real embedded database files, datasets to break, the CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import BUNDLED_DATASET, Settings
from graph.store import Store, open_store
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
