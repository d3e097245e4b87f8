"""Security headers on every response, error pages that leak nothing, and debug never on.

Every route of the app (pages, API, downloads, static and vendored files, redirects) and
every error status (400, 404, 405, 500, 503; as a page and as JSON) carries a
Content-Security-Policy with no inline or eval'd script and ``frame-ancestors 'none'``,
``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and a referrer policy. A 500
(from a route the test adds that raises) shows neither the exception nor a traceback nor
a filesystem path. ``create_app()`` (what gunicorn runs) has debug off even with
``FLASK_DEBUG=1`` in the environment, and neither ``gcx serve`` nor ``gcx serve --prod``
serves Werkzeug's debugger; ``gcx serve`` has no flag that turns debug on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.util import import_app  # type: ignore[import-untyped]
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from bench.loadtest import Server as GunicornServer
from graph import theme_sector_matrix
from graph.backends import open_store
from graph.settings import BUNDLED_DATASET, Settings
from graph.store.base import Store
from loaders import load
from tests.conftest import ROOT
from web import create_app

SECRET = "kaboom-secret-detail"
LEAKS = re.compile(
    r"Traceback|File \"|site-packages|\.py\b|RuntimeError|"
    + re.escape(SECRET)
    + "|"
    + re.escape(str(ROOT))
)


def directives(csp: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def assert_secure_headers(resp: Response, what: str) -> None:
    headers = resp.headers
    csp = headers.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    d = directives(csp)
    if sandboxed_download(headers, d):
        return
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts is not None, f"{what}: the CSP does not restrict scripts"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, what
    assert "*" not in scripts and "data:" not in scripts, what
    assert d.get("frame-ancestors") == ["'none'"], what
    assert d.get("object-src") == ["'none'"], what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy"), what


def sandboxed_download(headers: Headers, d: dict[str, list[str]]) -> bool:
    """The one response allowed an inline script: the standalone HTML export.

    It is a file to save (``attachment``), not a page of the site; its vis-network is
    inline so it works offline. If a browser ever renders it from this origin anyway, the
    CSP sandboxes it into an opaque origin (scripts, but no same-origin access, no forms,
    no top navigation), loads nothing (``default-src 'none'``) and forbids framing.
    """
    disposition = headers.get("Content-Disposition", "")
    if not disposition.startswith("attachment") or "sandbox" not in d:
        return False
    assert d["sandbox"] == ["allow-scripts"], "no allow-same-origin, forms or popups"
    assert d.get("default-src") == ["'none'"] and d.get("frame-ancestors") == ["'none'"]
    assert headers.get("X-Content-Type-Options") == "nosniff"
    return True


def _boom() -> NoReturn:
    raise RuntimeError(f"{SECRET} in {ROOT / 'web' / 'secret.py'}")


def build_app(store: Store) -> Flask:
    app = create_app({"GCX_STORE": store})
    # routes that fail the way a bug would, as a page and under /api
    app.add_url_rule("/test-boom", "test_boom", _boom)
    app.add_url_rule("/api/test-boom", "test_api_boom", _boom)
    return app


@pytest.fixture(scope="module")
def app(shared_store: Store) -> Flask:
    return build_app(shared_store)


@pytest.fixture(scope="module")
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as c:
        yield c


def sample_urls(app: Flask, store: Store) -> list[str]:
    """One URL per GET route of the app, with real ids and file names."""
    g = store.snapshot()
    kind_of = {n: a["kind"] for n, a in g.nodes(data=True)}
    first = {kind: n for n, kind in sorted(kind_of.items(), reverse=True)}
    partner = max((n for n, k in kind_of.items() if k == "Partner"), key=g.degree)
    sector = theme_sector_matrix(g).sectors[0]
    static = sorted(p.name for p in (ROOT / "web" / "static").iterdir() if p.is_file())
    args = {
        "node_id": {
            "/themes/": first["Theme"],
            "/challenges/": first["Challenge"],
            "/partners/": partner,
            "/api/themes/": first["Theme"],
            "/api/challenges/": first["Challenge"],
            "/api/partners/": partner,
        },
        "query": {
            "/collaborators": f"?partner={partner}",
            "/gaps/cell": "?" + urlencode({"theme": "no-theme", "sector": sector}),
            "/api/cover": f"?challenge={first['Challenge']}",
            "/search": "?q=teacher",
            "/query": "?q=RETURN+1+AS+one",
            "/query.csv": "?q=RETURN+1+AS+one",
            "/query.json": "?q=RETURN+1+AS+one",
            "/explore": f"?center={first['Challenge']}",
        },
    }
    urls: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or "boom" in rule.rule:
            continue
        path = rule.rule
        if "<path:filename>" in path:
            urls += [f"/static/{name}" for name in static]
            continue
        if "<name>" in path:
            urls += [
                "/vendor/vis-network/vis-network.min.js",
                "/vendor/vis-network/vis-network.css",
            ]
            continue
        if "<node_id>" in path:
            prefix = path.split("<node_id>")[0]
            node = args["node_id"].get(prefix, first["Commitment"])
            path = path.replace("<node_id>", node)
        urls.append(path + args["query"].get(rule.rule, ""))
    urls += ["/api/subgraph?format=graphml", "/api/subgraph?format=csv", "/explore?add=math"]
    urls.append(f"/nodes/{first['Challenge']}")  # redirects to the challenge's page
    return urls


def test_every_route_answers_with_the_security_headers(
    app: Flask, client: FlaskClient, shared_store: Store
) -> None:
    seen: dict[int, int] = {}
    for url in sample_urls(app, shared_store):
        with client.get(url) as resp:
            seen[resp.status_code] = seen.get(resp.status_code, 0) + 1
            assert resp.status_code in (200, 302, 303), f"{url}: {resp.status_code}"
            assert_secure_headers(resp, url)
        for method in ("HEAD", "OPTIONS"):
            with client.open(url, method=method) as resp:
                assert_secure_headers(resp, f"{method} {url}")
    assert seen[200] > 30 and sum(seen.values()) - seen[200] >= 1  # redirects covered too
    resp = client.post("/api/query", json={"query": "RETURN 1 AS one"})
    assert resp.status_code == 200
    assert_secure_headers(resp, "POST /api/query")


ERRORS = [
    # (method, url, status): every error path, as a page and under /api
    ("GET", "/no/such/page", 404),
    ("GET", "/api/no/such/thing", 404),
    ("GET", "/challenges/no-such-challenge", 404),
    ("GET", "/api/nodes/..%2F..%2Fetc%2Fpasswd", 404),
    ("GET", "/static/../pyproject.toml", 404),
    ("GET", "/static/no-such.css", 404),
    ("GET", "/vendor/vis-network/package.json", 404),
    ("POST", "/challenges", 405),
    ("DELETE", "/api/stats", 405),
    ("GET", "/api/query", 405),
    ("GET", "/explore?depth=9", 400),
    ("GET", "/api/subgraph?depth=nope", 400),
    ("GET", "/api/search?q=%00", 400),
    ("POST", "/api/query", 400),
    ("GET", "/test-boom", 500),
    ("GET", "/api/test-boom", 500),
]


@pytest.mark.parametrize(("method", "url", "status"), ERRORS)
def test_error_responses_have_the_headers_and_leak_nothing(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    for accept in ("text/html", "application/json"):
        resp = client.open(url, method=method, headers={"Accept": accept})
        assert resp.status_code == status, f"{method} {url}: {resp.status_code}"
        assert_secure_headers(resp, f"{method} {url} ({accept})")
        text = resp.get_data(as_text=True)
        assert not LEAKS.search(text), f"{method} {url} leaks: {text[:500]}"
        if url.startswith("/api/") or accept == "application/json":
            assert resp.get_json()["error"]["status"] == status
        else:
            assert resp.mimetype == "text/html" and f"({status})" in text


def test_a_500_says_only_that_something_went_wrong(client: FlaskClient) -> None:
    page = client.get("/test-boom").get_data(as_text=True)
    assert "something went wrong on our side" in page
    assert client.get("/api/test-boom").get_json() == {
        "error": {
            "status": 500,
            "title": "Internal Server Error",
            "message": "something went wrong on our side",
        }
    }


def test_503_without_a_graph_has_the_headers_and_leaks_no_path(empty_store: Store) -> None:
    with build_app(empty_store).test_client() as c:
        for url in ("/", "/api/stats", "/challenges"):
            resp = c.get(url)
            assert resp.status_code == 503
            assert_secure_headers(resp, url)
            assert "Traceback" not in resp.get_data(as_text=True)


# -- debug -------------------------------------------------------------------------------
def test_create_app_has_debug_off_even_when_the_environment_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app().debug is False
    # the app exactly as gunicorn imports it (`gcx serve --prod` runs 'web:create_app()')
    gunicorn_app = import_app("web:create_app()")
    assert isinstance(gunicorn_app, Flask)
    assert gunicorn_app.debug is False and gunicorn_app.testing is False
    assert gunicorn_app.config["PROPAGATE_EXCEPTIONS"] is not True


def test_gcx_serve_has_no_debug_switch() -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "gcx", "serve", "--help"], capture_output=True, text=True, check=True
    )
    assert "debug" not in helped.stdout.lower()
    refused = subprocess.run(
        [sys.executable, "-m", "gcx", "serve", "--debug"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "unrecognized arguments: --debug" in refused.stderr


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("debug") / "graph.lbug"
    with open_store(Settings(db_path=path)) as store:
        load(BUNDLED_DATASET, store)
    return path


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # 127.0.0.1 only
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def assert_no_debugger(base: str) -> None:
    """Werkzeug's debugger answers /console and its resources; ours must not."""
    status, headers, body = fetch(f"{base}/console")
    assert status == 404 and b"Werkzeug" not in body and b"__debugger__" not in body
    status, headers, body = fetch(f"{base}/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert headers["Content-Type"].startswith("text/html")  # the overview, not a script
    assert b"Werkzeug" not in body and b"__debugger__" not in body
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_gcx_serve_prod_serves_no_debugger_even_with_flask_debug_set(
    loaded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    server = GunicornServer(loaded_db, 1, tmp_path / "gunicorn.log")
    try:
        assert_no_debugger(server.url)
    finally:
        server.close()
    assert "Traceback" not in server.log.read_text()


def test_gcx_serve_serves_no_debugger_even_with_flask_debug_set(
    loaded_db: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gcx", "serve", "--host", "127.0.0.1", "--port", "0"],
            env={**os.environ, "GCX_DB_PATH": str(loaded_db), "FLASK_DEBUG": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        found = None
        while found is None and time.monotonic() < deadline and proc.poll() is None:
            found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", log.read_text())
            time.sleep(0.1)
        assert found, f"the server did not say where it runs: {log.read_text()}"
        text = log.read_text()
        assert "Debugger is active" not in text and "Debug mode: on" not in text
        assert_no_debugger(found.group(1))
    finally:
        proc.terminate()
        proc.wait(10)
