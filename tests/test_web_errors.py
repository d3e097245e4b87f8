"""One error shape for every 4xx and 5xx: pinned over every error path the app has."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graph.settings import Settings
from graph.store.base import Store
from web import create_app

AIR = "american-institutes-for-research"

ERROR_PATHS: list[tuple[str, str, int]] = [
    ("GET", "/api/nope", 404),
    ("GET", "/api/challenges/no-such-challenge", 404),
    ("GET", f"/api/challenges/{AIR}", 404),  # a partner is not a challenge
    ("GET", "/api/partners/no-such-partner", 404),
    ("GET", "/api/themes/no-such-theme", 404),
    ("GET", "/api/nodes/no-such-node", 404),
    ("GET", "/api/subgraph?center=no-such-node", 404),
    ("GET", "/api/subgraph?depth=9", 400),
    ("GET", "/api/subgraph?cap=abc", 400),
    ("GET", "/api/subgraph?kinds=Planet", 400),
    ("GET", "/api/partners?page=-1", 400),
    ("GET", "/api/partners?sort=x", 400),
    ("GET", "/api/search?q=%00", 400),
    ("GET", "/api/challenges/x?inferred=perhaps", 400),
    # the analyses (web/gaps.py, web/collaborators.py, the subgraph downloads)
    ("GET", "/api/partners/no-such-partner/collaborators", 404),
    ("GET", f"/api/partners/{AIR}/collaborators?limit=0", 400),
    ("GET", f"/api/partners/{AIR}/collaborators?limit=101", 400),
    ("GET", f"/api/partners/{AIR}/collaborators?inferred=maybe", 400),
    ("GET", "/api/cover", 400),
    ("GET", "/api/cover?challenge=no-such-challenge", 404),
    ("GET", f"/api/cover?challenge={AIR}", 404),  # a partner is not a challenge
    ("GET", "/api/gaps?theme=no-such-theme", 404),
    ("GET", "/api/gaps?inferred=2", 400),
    ("GET", "/api/subgraph?format=pdf", 400),
    ("POST", "/api/stats", 405),
    ("DELETE", "/api/partners", 405),
    ("GET", "/api/boom", 500),
    # pages answer JSON in the same shape to a client that asks for JSON
    ("GET", "/nope", 404),
    ("GET", "/challenges/no-such-challenge", 404),
    ("GET", "/partners?page=0", 400),
    ("GET", "/explore?depth=7", 400),
    ("GET", "/explore?add=zzzzqqqq", 404),
    ("GET", "/explore/export.html?center=nope", 404),
    ("GET", "/vendor/vis-network/other.js", 404),
    ("GET", "/gaps?theme=no-such-theme", 404),
    ("GET", "/gaps/cell", 400),
    ("GET", "/gaps/cell?theme=no-such-theme&sector=Unknown", 404),
    ("GET", "/gaps/cell?theme=theme-prestige&sector=Nowhere", 404),
    ("GET", "/collaborators?partner=no-such-partner", 404),
    ("GET", "/collaborators?challenge=no-such-challenge", 404),
    ("GET", "/collaborators?find=zzzzqqqq", 404),
    ("GET", "/collaborators?limit=0", 400),
    ("POST", "/", 405),
    ("GET", "/api/query", 405),
    ("POST", "/api/query", 400),  # no JSON body
    ("GET", "/query?max_rows=0", 400),
    ("GET", "/query.csv", 400),  # no query to run
]

UNAVAILABLE_PATHS = [
    "/api/stats",
    "/api/themes",
    "/api/challenges",
    f"/api/challenges/{AIR}",
    "/api/partners",
    f"/api/partners/{AIR}",
    "/api/search?q=math",
    "/api/subgraph",
    f"/api/partners/{AIR}/collaborators",
    "/api/gaps",
    "/",
    "/gaps",
    "/partners",
]


def _boom() -> str:
    raise RuntimeError("a bug, with a secret path /etc/shadow")


@pytest.fixture(scope="module")
def app(shared_store: Store) -> Flask:
    app = create_app({"GCX_STORE": shared_store})
    app.add_url_rule("/api/boom", "boom", _boom)
    return app


def assert_error_shape(response: TestResponse, status: int) -> None:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "message"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["title"], str) and body["error"]["title"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("method", "url", "status"), ERROR_PATHS)
def test_every_error_path_has_the_one_json_shape(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    response = client.open(url, method=method, headers={"Accept": "application/json"})
    assert_error_shape(response, status)


@pytest.mark.parametrize(
    ("method", "url", "status"), [p for p in ERROR_PATHS if not p[1].startswith("/api/")]
)
def test_every_page_error_path_has_an_html_page_for_browsers(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    response = client.open(url, method=method, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f"({status})" in html and "Back to the overview" in html


def test_a_server_error_does_not_leak_its_details(client: FlaskClient) -> None:
    body = client.get("/api/boom").get_json()
    assert "shadow" not in body["error"]["message"]


def test_405_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.post("/api/stats")
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("url", UNAVAILABLE_PATHS)
def test_no_graph_loaded_is_503_in_the_one_shape(tmp_path: Path, url: str) -> None:
    client = create_app({"GCX_SETTINGS": Settings(db_path=tmp_path / "none.lbug")}).test_client()
    response = client.get(url, headers={"Accept": "application/json"})
    assert_error_shape(response, 503)
    assert "gcx load" in response.get_json()["error"]["message"]


def test_a_store_that_cannot_be_opened_is_503(tmp_path: Path) -> None:
    broken = tmp_path / "broken.lbug"
    broken.write_text("not a graph database")
    client = create_app({"GCX_SETTINGS": Settings(db_path=broken)}).test_client()
    assert_error_shape(client.get("/api/stats"), 503)
