"""Settings are read from the environment in one place, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import BUNDLED_DATASET, load_settings


def test_defaults_run_embedded_on_a_fresh_machine() -> None:
    s = load_settings({})
    assert s.backend == "embedded"
    assert s.db_path.name == "grand-challenges.lbug"
    assert s.dataset == BUNDLED_DATASET
    assert (s.query_timeout_s, s.query_max_rows) == (5.0, 1000)
    assert s.console_workers == 4


def test_environment_overrides(tmp_path: Path) -> None:
    s = load_settings(
        {
            "GCX_BACKEND": "NEO4J",
            "GCX_DB_PATH": str(tmp_path / "x.lbug"),
            "NEO4J_URI": "bolt://127.0.0.1:7687",
            "NEO4J_PASSWORD": "12345",
            "GCX_QUERY_TIMEOUT": "2.5",
            "GCX_QUERY_MAX_ROWS": "50",
            "GCX_CONSOLE_WORKERS": "2",
        }
    )
    assert s.backend == "neo4j"
    assert s.neo4j_password == "12345"  # a string, never coerced to a number
    assert "12345" not in repr(s)
    assert (s.query_timeout_s, s.query_max_rows) == (2.5, 50)
    assert s.console_workers == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GCX_BACKEND": "sqlite"}, "GCX_BACKEND must be one of"),
        ({"GCX_QUERY_TIMEOUT": "soon"}, "GCX_QUERY_TIMEOUT must be a number"),
        ({"GCX_QUERY_MAX_ROWS": "0"}, "GCX_QUERY_MAX_ROWS must be between"),
        ({"GCX_CONSOLE_WORKERS": "many"}, "GCX_CONSOLE_WORKERS must be a whole number"),
        ({"GCX_CONSOLE_WORKERS": "0"}, "GCX_CONSOLE_WORKERS must be between"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(env)
