"""`gcx serve`: Flask's server, and gunicorn with several read-only workers (--prod)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backends import open_store
from graph.settings import BUNDLED_DATASET, Settings
from loaders import load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.lbug"
    with open_store(Settings(db_path=path)) as store:
        load(BUNDLED_DATASET, store)
    return path


def wait_for(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture
def serve(db_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def start(db_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "GCX_DB_PATH": str(db_path)}
    return subprocess.Popen(
        [sys.executable, "-m", "gcx", "serve", "--host", "127.0.0.1", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_serve_prints_its_url_and_serves_the_explorer(
    db_path: Path, serve: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    proc = start(db_path, "--port", str(port))
    serve.append(proc)
    body = wait_for(f"http://127.0.0.1:{port}/api/stats", proc)
    assert b'"Challenge":27' in body.replace(b" ", b"")
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith(f"Serving the explorer at http://127.0.0.1:{port}/")


def test_serve_prod_runs_gunicorn_workers_that_answer(
    db_path: Path, serve: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    proc = start(db_path, "--port", str(port), "--prod", "--workers", "2")
    serve.append(proc)
    html = wait_for(f"http://127.0.0.1:{port}/challenges", proc)
    assert b"Challenges" in html
    for _ in range(6):  # spread over both workers; each opens the store read-only
        assert b"27 of the map" in wait_for(f"http://127.0.0.1:{port}/", proc)


def test_serve_refuses_a_bad_port() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gcx", "serve", "--port", "70000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "expected a port from 0 to 65535" in result.stderr
