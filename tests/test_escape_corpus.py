"""Issue 9's escape corpus: every family x wrapping, through ``POST /api/query`` and
``gcx query``. None may return a file's content, write a file, change a setting or the
graph, or leave the store unreadable."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from graph.backends import open_store
from graph.errors import QueryError
from graph.settings import BUNDLED_DATASET
from graph.store.base import Store
from loaders import load
from tests.conftest import ROOT, embedded_settings
from tests.escape_corpus import PASSWD_MARK, WRAPPINGS, corpus, families

SECRET_MARK = "gcx-secret-7f3a"


class Box:
    """A loaded store in its own folder, a secret file beside it, a folder to aim at."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self.out.mkdir()
        self.secret = root / "secret.csv"
        self.secret.write_text(f"{SECRET_MARK},1\n{SECRET_MARK},2\n", encoding="utf-8")
        self.settings = embedded_settings(root)
        self.store: Store = open_store(self.settings)
        load(BUNDLED_DATASET, self.store)
        self.queries = corpus(self.out, self.secret)

    def files(self) -> dict[str, str]:
        """Every file under the box and the bundled dataset, with a digest of its content."""
        out = {}
        for base in (self.root, BUNDLED_DATASET):
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    def fingerprint(self) -> tuple[dict[str, int], str]:
        rows = self.store.query("MATCH (n) RETURN n.id, n.name ORDER BY n.id", max_rows=100_000)
        return self.store.info().counts, hashlib.sha256(repr(rows.rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Box]:
    b = Box(tmp_path_factory.mktemp("escape"))
    yield b
    b.store.close()


def test_the_corpus_has_at_least_200_attempts(box: Box) -> None:
    assert len(box.queries) >= 200
    assert len(box.queries) == len(families(box.out, box.secret)) * len(WRAPPINGS)
    assert len({q for _, q in box.queries}) == len(box.queries)


def _leaks(text: str) -> bool:
    return PASSWD_MARK in text or SECRET_MARK in text


def test_no_attempt_gets_through_the_api(box: Box) -> None:
    from web import create_app

    client: FlaskClient = create_app({"GCX_STORE": box.store, "TESTING": True}).test_client()
    before, files = box.fingerprint(), box.files()
    through = []
    for name, query in box.queries:
        response = client.post("/api/query", json={"query": query})
        body = response.get_data(as_text=True)
        error = (response.get_json(silent=True) or {}).get("error", {})
        # Refused (4xx, the one error shape), or the payload was a comment and what ran
        # was harmless (200): never a leak.
        refused = 400 <= response.status_code < 500 and error.get("message")
        if not (refused or response.status_code == 200) or _leaks(body):
            through.append((name, response.status_code, body[:200]))
    assert through == []
    assert list(box.out.iterdir()) == []
    assert box.files() == files
    assert box.fingerprint() == before


def test_no_attempt_gets_through_the_command_line(
    box: Box, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gcx.cli import main

    monkeypatch.setenv("GCX_DB_PATH", str(box.settings.db_path))
    monkeypatch.delenv("GCX_BACKEND", raising=False)
    before, files = box.fingerprint(), box.files()
    through = []
    for name, query in box.queries:
        out = io.StringIO()
        code = main(["query", query], out=out)
        err = capsys.readouterr().err
        if not ((code == 4 and "gcx: " in err) or code == 0) or _leaks(out.getvalue() + err):
            through.append((name, code, out.getvalue()[:200]))
    assert through == []
    assert list(box.out.iterdir()) == []
    assert box.files() == files
    assert box.fingerprint() == before


def test_a_fresh_gcx_stats_reads_the_store_after_the_corpus(box: Box) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gcx", "stats", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GCX_DB_PATH": str(box.settings.db_path)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"] == box.store.info().counts


# -- the sandbox alone: the parser check switched off --------------------------------


def _generation_files(box: Box) -> list[str]:
    return sorted(p.name for p in (box.settings.db_path.parent / "graph.lbug.d").iterdir())


def _settings(box: Box) -> list[Any]:
    names = ("timeout", "threads", "home_directory", "file_search_path")
    return [
        box.store._run_read(f"CALL current_setting('{name}') RETURN *", {}, 5.0, 1)[1]
        for name in names
    ]


def test_the_sandbox_alone_holds_against_the_whole_corpus(box: Box) -> None:
    """Every attempt goes to a worker *unchecked* (layer 1 bypassed, raw text): the worker
    can read no file, write none, reach no extension, and the store stays readable."""
    before, files, generation = box.fingerprint(), box.files(), _generation_files(box)
    settings = _settings(box)
    leaked, ran = [], []
    for name, query in box.queries:
        try:
            answer = box.store._run_read(query, {}, 5.0, 100)  # layer 1 bypassed on purpose
        except QueryError:
            continue
        ran.append(name)
        if _leaks(repr(answer)):
            leaked.append(name)
    assert leaked == []
    assert list(box.out.iterdir()) == []
    assert box.files() == files
    assert _generation_files(box) == generation
    assert box.fingerprint() == before
    assert _settings(box) == settings
    # What ran did so harmlessly: a setting or a transaction of its own connection (each
    # query has a fresh one), or a payload hidden in a comment that never ran.
    harmless = ("setting_", "begin_write-")
    assert all(n.startswith(harmless) or "line_comment_u2028" in n for n in ran), ran


def test_a_worker_can_open_no_file_and_reach_no_network(box: Box) -> None:
    """The confinement itself, asked directly inside a worker."""
    from graph.console.confine import landlock_abi
    from graph.console.sandbox import QueryPool

    if landlock_abi() < 1:
        pytest.skip("this kernel offers no Landlock")
    pool = QueryPool(max_workers=1, idle=1)
    try:
        target = (box.settings.db_path.parent / os.readlink(box.settings.db_path)).resolve()
        pool.run(target, "RETURN 1", {}, 5.0, 1)
        worker = pool._idle[0]
        probe = worker.process.pid
        status = Path(f"/proc/{probe}/status").read_text()
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        nnp = next(line for line in status.splitlines() if line.startswith("NoNewPrivs:"))
        assert uid == (65534 if os.geteuid() == 0 else os.geteuid())
        assert nnp.split()[1] == "1"
        net = os.readlink(f"/proc/{probe}/ns/net")
        assert net != os.readlink("/proc/self/ns/net"), "the worker has its own network namespace"
    finally:
        pool.close()
