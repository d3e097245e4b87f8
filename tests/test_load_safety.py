"""Loads (issue 9): one at a time, leftovers of killed loads pruned, a friendly message
when the engine cannot reserve its address space, the formula rule on every list item,
and CSV output that neutralises column names too."""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from gcx.cli import EXIT_BUSY, EXIT_INPUT, EXIT_OK, EXIT_UNAVAILABLE
from graph.store.housekeeping import load_lock
from tests.conftest import ROOT, run_cli


def _generation(db: Path) -> Path:
    return (db.parent / os.readlink(db)).resolve()


def test_a_second_load_exits_5_at_once_and_changes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("load")[0] == EXIT_OK
    before = _generation(env)
    with load_lock(env):  # a load in progress
        code, _ = run_cli("load")
    assert code == EXIT_BUSY
    assert "another `gcx load` is writing this graph" in capsys.readouterr().err
    assert _generation(env) == before
    assert run_cli("load")[0] == EXIT_OK  # the lock is free again


def test_the_next_load_prunes_what_killed_loads_left(env: Path) -> None:
    assert run_cli("load")[0] == EXIT_OK
    gens = env.parent / (env.name + ".d")
    current = _generation(env)
    staging = gens / "20200101T000000000000-x-aaaaaa.staging"
    staging.mkdir()
    (staging / "Theme.csv").write_text("c0\nx\n")
    half = gens / "20200101T000000000000-x-bbbbbb.lbug"
    half.write_bytes(b"\0" * 4096)  # a generation whose sidecar was never written
    for side in (".wal", ".shadow"):
        Path(str(half) + side).write_bytes(b"x")
        Path(str(current) + side).write_bytes(b"x")  # stray side files of a live one
    link = env.parent / f".{env.name}.{'c' * 32}"
    link.symlink_to(current.name)
    assert run_cli("load")[0] == EXIT_OK
    left = sorted(p.name for p in gens.iterdir())
    assert not [n for n in left if n.endswith(".staging") or ".lbug." in n], left
    assert half.name not in left
    assert not link.is_symlink()
    assert run_cli("stats")[0] == EXIT_OK


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def test_a_load_under_an_address_space_limit_says_so_plainly(tmp_path: Path) -> None:
    db = tmp_path / "g.lbug"
    proc = subprocess.run(
        [sys.executable, "-m", "gcx", "load"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GCX_DB_PATH": str(db)},
        preexec_fn=_limit_address_space,
    )
    assert proc.returncode == EXIT_UNAVAILABLE, proc.stderr
    assert "address space" in proc.stderr and "ulimit -v" in proc.stderr
    assert "Traceback" not in proc.stderr
    gens = tmp_path / "g.lbug.d"
    assert not gens.exists() or list(gens.iterdir()) == []


def test_the_formula_rule_applies_to_every_list_item(
    env: Path, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = dataset / "partners.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    roles = rows[0].index("roles")
    rows[3][roles] = 'Partner | =HYPERLINK("http://x","y")'
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    code, _ = run_cli("load", str(dataset))
    err = capsys.readouterr().err
    assert code == EXIT_INPUT
    assert "partners.csv:4: roles: the list item" in err and "formula" in err


def test_query_csv_neutralises_formula_like_column_names(env: Path) -> None:
    assert run_cli("load")[0] == EXIT_OK
    code, out = run_cli("query", "RETURN 1 AS `=cmd`, 2 AS `@x`, 3 AS ok", "--format", "csv")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "'=cmd,'@x,ok"
