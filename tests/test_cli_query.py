"""``gcx query`` refuses writes with exit code 4 and leaves the graph unchanged."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


@pytest.fixture
def loaded(env: Path) -> Path:
    assert run_cli("load")[0] == 0
    return env


gcx = run_cli


def state() -> tuple[dict[str, int], str]:
    code, out = gcx(
        "query",
        "MATCH (n) RETURN n.id AS id ORDER BY id",
        "--format",
        "json",
        "--max-rows",
        "100000",
    )
    assert code == 0
    ids = [row[0] for row in json.loads(out)["rows"]]
    _, stats = gcx("stats", "--format", "json")
    return json.loads(stats)["counts"], hashlib.sha256("\n".join(ids).encode()).hexdigest()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("CREATE (:Theme {id: 'x', name: 'x'})", "CREATE"),
        ("MATCH (n) DETACH DELETE n", "DETACH DELETE"),
        ("MATCH (t:Theme) SET t.name = 'x'", "SET"),
        ("MERGE (:Theme {id: 'x'})", "MERGE"),
        ("MATCH (c:Challenge) REMOVE c.name", "REMOVE"),
        ("DROP TABLE Theme", "DROP"),
        ("COPY Theme FROM 'x.csv'", "COPY"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
        ("CALL dbms.security.createUser('a', 'b', false)", "CALL dbms.security.createuser"),
        ("/* **/ ' */ LOAD FROM '/etc/passwd' RETURN * //'", "LOAD FROM"),
        ("RETURN 1; MATCH (n) DELETE n", "DELETE"),
    ],
)
def test_a_write_is_refused_with_exit_4_and_the_graph_is_unchanged(
    loaded: Path, capsys: pytest.CaptureFixture[str], query: str, named: str
) -> None:
    before = state()
    code, out = gcx("query", query)
    err = capsys.readouterr().err
    assert code == 4
    assert out == ""
    assert f"refused: {named}" in err and "read-only" in err
    assert state() == before


def test_a_pathological_query_exits_4_near_its_time_limit(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gcx("query", "RETURN 1")[0] == 0  # a warm worker: starting one is not in the limit
    start = time.monotonic()
    code, _ = gcx(
        "query",
        "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)",
        "--timeout",
        "1",
    )
    assert code == 4
    assert "time limit of 1 s" in capsys.readouterr().err
    assert time.monotonic() - start < 3.0


def test_the_installed_command_refuses_a_write_in_its_own_process(loaded: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gcx", "query", "MATCH (n) DETACH DELETE n"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"GCX_DB_PATH": str(loaded), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 4
    assert "DETACH DELETE is not allowed" in proc.stderr
