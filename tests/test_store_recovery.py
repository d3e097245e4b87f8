"""An unreadable generation (as CHECKPOINT through a read-only handle used to leave it)
never takes the site down: the store keeps serving the last good generation."""

from __future__ import annotations

import os
from pathlib import Path

import ladybug
import pytest

from graph.backends import open_store
from graph.errors import GraphUnavailable
from graph.settings import BUNDLED_DATASET
from loaders import load
from tests.conftest import embedded_settings


def _break(generation: Path) -> None:
    """Leave checkpoint recovery pending, exactly as the issue-9 attack did."""
    db = ladybug.Database(str(generation), read_only=True)
    conn = ladybug.Connection(db)
    with pytest.raises(RuntimeError):
        conn.execute("CHECKPOINT")
    conn.close()
    db.close()
    with pytest.raises(RuntimeError, match="recovery is pending"):
        ladybug.Database(str(generation), read_only=True)


def _current(db_path: Path) -> Path:
    return (db_path.parent / os.readlink(db_path)).resolve()


def test_the_last_good_generation_is_served_when_the_current_one_is_unreadable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = embedded_settings(tmp_path)
    with open_store(settings) as store:
        first = load(BUNDLED_DATASET, store).info
        load(BUNDLED_DATASET, store)
    _break(_current(settings.db_path))
    with open_store(settings) as store:  # a fresh process's view: nothing open yet
        assert store.info().counts == first.counts
        assert store.query("MATCH (t:Theme) RETURN count(t)").rows == [[7]]
        assert len(store.snapshot()) == sum(
            n for k, n in first.counts.items() if k[0].isupper() and not k.isupper()
        )
    assert "serving the last good one" in caplog.text


def test_with_no_good_generation_the_message_names_no_path(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path)
    with open_store(settings) as store:
        load(BUNDLED_DATASET, store)
    _break(_current(settings.db_path))
    with open_store(settings) as store, pytest.raises(GraphUnavailable) as err:
        store.info()
    assert str(tmp_path) not in str(err.value) and "gcx load" in str(err.value)
