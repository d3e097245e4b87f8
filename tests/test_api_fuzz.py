"""Every parameter of every ``/api`` route, fuzzed: random text, unicode, huge and negative
numbers, repeated keys, hostile ids and bodies never give a 500 or a traceback; every 4xx
is the one JSON error shape.

The routes come from the app's URL map and their parameters from the OpenAPI document,
so a new route or parameter is fuzzed without editing this file. Requests go through
Flask's test client over the bundled data. Bounded: a fixed list of hostile values per
parameter, and hypothesis with a few hundred examples in all and no per-example deadline;
the module runs in well under a minute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from graph.analyses.export import ExportFormat
from graph.store.base import Store
from tests.conftest import ROOT
from web import create_app
from web.openapi import openapi_document


def bounded(max_examples: int) -> settings:
    """Fixed examples (derandomized), no per-example deadline (a first subgraph lays out)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


FILE_TYPES = {f.media_type for f in ExportFormat}
LEAKS = re.compile(r"Traceback|File \"|site-packages|\.py\b|" + re.escape(str(ROOT)))

#: Values that have broken parsers elsewhere: empty and blank, signs and exponents, very
#: large and very small numbers, other digit systems, text that looks like code, paths,
#: markup or a query, control characters, right-to-left marks and long text.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "+1",
    "1.5",
    "1e9",
    "99999999999999999999999999999999999999",
    "-9223372036854775809",
    "NaN",
    "inf",
    "0x10",
    "١٢",  # Arabic-Indic digits: int() accepts them
    "\uff11",  # a full-width digit
    "true",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "\x00",
    "\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "\u202e\u200b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "$id",
    "MATCH (n) DETACH DELETE n",
    "a,b,,c,",
    ",,,",
    "Challenge,Partner,Nope",
    "x" * 201,
    "é" * 5000,
]

#: Ids for ``<node_id>``: the hostile values plus path tricks, sent raw and percent-encoded.
HOSTILE_IDS = [
    *[v for v in HOSTILE if v.strip()],
    "..",
    ".",
    "~root",
    "%",
    "%zz",
    "a/b",
    "..\\..\\windows",
    "/etc/passwd",
    "%2e%2e%2f%2e%2e%2f",
    "theme-professional-growth/../..",
]


@pytest.fixture(scope="module")
def app(shared_store: Store) -> Flask:
    return create_app({"GCX_STORE": shared_store})


@pytest.fixture(scope="module")
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as c:
        yield c


def api_rules(app: Flask) -> list[tuple[str, set[str]]]:
    """Every ``/api`` rule with its methods (HEAD and OPTIONS aside)."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            out.append((rule.rule, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return sorted(out)


def openapi_params() -> dict[str, list[str]]:
    """Query parameter names per OpenAPI path (in Flask's ``<node_id>`` spelling)."""
    doc = openapi_document()
    out: dict[str, list[str]] = {}
    for path, item in doc["paths"].items():
        names = []
        for op in item.values():
            names += [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        out[path.replace("{node_id}", "<node_id>")] = sorted(set(names))
    return out


PARAMS = openapi_params()
GET_ROUTES = sorted(p for p in PARAMS if p != "/api/query")


@pytest.fixture(scope="module")
def real_ids(shared_store: Store) -> dict[str, str]:
    """A real id per path prefix, so a route's parameters are parsed, not cut short by 404."""
    g = shared_store.snapshot()
    first: dict[str, str] = {}
    for n in sorted(g.nodes):
        first.setdefault(g.nodes[n]["kind"], n)
    return {
        "/api/themes/": first["Theme"],
        "/api/challenges/": first["Challenge"],
        "/api/partners/": max(
            (n for n, a in g.nodes(data=True) if a["kind"] == "Partner"), key=g.degree
        ),
        "/api/nodes/": first["Commitment"],
    }


def real_path(rule: str, real_ids: dict[str, str]) -> str:
    prefix = next((p for p in real_ids if rule.startswith(p)), None)
    return url_for_rule(rule, real_ids[prefix]) if prefix else rule


def url_for_rule(rule: str, node_id: str, *, raw: bool = False) -> str:
    return rule.replace("<node_id>", node_id if raw else quote(node_id, safe=""))


def assert_well_behaved(resp: TestResponse, what: str) -> None:
    """Not a server error; an error in the one shape; no traceback or path in the body."""
    status = resp.status_code
    assert status < 500, f"{what}: {status} {resp.get_data(as_text=True)[:300]}"
    text = resp.get_data(as_text=True)
    assert resp.headers["X-Content-Type-Options"] == "nosniff", what
    if status >= 400:
        assert resp.mimetype == "application/json", f"{what}: {status} as {resp.mimetype}"
        body = resp.get_json()
        assert isinstance(body, dict) and set(body) == {"error"}, f"{what}: {text[:300]}"
        err = body["error"]
        assert set(err) == {"status", "title", "message"}, f"{what}: {text[:300]}"
        assert err["status"] == status
        assert isinstance(err["title"], str) and err["title"]
        assert isinstance(err["message"], str) and err["message"]
        assert not LEAKS.search(text), f"{what}: the error leaks {text[:300]}"
    elif 300 <= status < 400:
        assert resp.headers["Location"], what
    else:
        assert resp.mimetype == "application/json" or resp.mimetype in FILE_TYPES, (
            f"{what}: 200 as {resp.mimetype}"
        )


def test_every_api_route_is_described_and_fuzzed(app: Flask) -> None:
    routes = {rule for rule, _ in api_rules(app)}
    assert routes == set(PARAMS), "every /api route is in the OpenAPI document, and only they"
    assert set(GET_ROUTES) | {"/api/query"} == routes


@pytest.mark.parametrize("rule", GET_ROUTES)
def test_hostile_values_of_every_parameter_never_give_a_server_error(
    client: FlaskClient, real_ids: dict[str, str], rule: str
) -> None:
    path = real_path(rule, real_ids)
    names = [*PARAMS[rule], "unknown", "format"]
    for name in names:
        for value in HOSTILE:
            query = urlencode([(name, value)])
            assert_well_behaved(client.get(f"{path}?{query}"), f"{rule} {name}={value!r}")
        # the same key twice, and many times
        query = urlencode([(name, "1"), (name, "2")])
        assert_well_behaved(client.get(f"{path}?{query}"), f"{rule} {name} twice")
        query = urlencode([(name, "theme-professional-growth")] * 200)
        assert_well_behaved(client.get(f"{path}?{query}"), f"{rule} {name} x200")


@pytest.mark.parametrize("rule", [r for r in GET_ROUTES if "<node_id>" in r])
def test_hostile_ids_in_api_paths_give_an_error_in_the_one_shape(
    client: FlaskClient, rule: str
) -> None:
    for node_id in HOSTILE_IDS:
        for raw in (False, True):
            url = url_for_rule(rule, node_id, raw=raw)
            resp = client.get(url)
            assert_well_behaved(resp, f"{url!r}")
            assert resp.status_code in (400, 404, 405), f"{url!r}: {resp.status_code}"


_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.sampled_from(["Challenge", "Partner", "x", "", " "]), max_size=5).map(",".join),
)


@st.composite
def _api_request(draw: st.DrawFn) -> tuple[str, str | None, str]:
    """A route, an id for it (None: a real one), and a query string."""
    rule = draw(st.sampled_from(GET_ROUTES))
    node_id = draw(st.one_of(st.none(), st.sampled_from(HOSTILE_IDS), st.text(max_size=30)))
    names = st.one_of(st.sampled_from([*PARAMS[rule], "format"]), st.text(max_size=8))
    pairs = draw(st.lists(st.tuples(names, _values), max_size=6))
    encoded = urlencode(
        [(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for k, v in pairs]
    )
    return rule, node_id, encoded


@bounded(400)
@given(request=_api_request())
def test_random_query_strings_on_every_api_route_never_give_a_server_error(
    client: FlaskClient, real_ids: dict[str, str], request: tuple[str, str | None, str]
) -> None:
    rule, node_id, query = request
    if node_id is None:
        path = real_path(rule, real_ids)
    else:
        path = url_for_rule(rule, node_id.encode("utf-8", "replace").decode())
    url = f"{path}?{query}"
    assert_well_behaved(client.get(url), url[:300])


@pytest.mark.parametrize("rule", GET_ROUTES)
def test_other_methods_on_api_routes_give_405_in_the_one_shape(
    client: FlaskClient, real_ids: dict[str, str], rule: str
) -> None:
    url = real_path(rule, real_ids)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        resp = client.open(url, method=method, data=b"{}", content_type="application/json")
        assert_well_behaved(resp, f"{method} {url}")
        assert resp.status_code == 405
        assert "GET" in resp.headers["Allow"]


_json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_query_bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"query": st.sampled_from(["RETURN 1 AS one", "MATCH (n) RETURN n.id LIMIT 3"])},
        optional={
            "params": _json_values,
            "timeout": _json_values,
            "max_rows": _json_values,
            "extra": _json_values,
        },
    ).map(lambda v: json.dumps(v).encode()),
)


@bounded(120)
@given(
    body=_query_bodies,
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
    ),
)
def test_random_bodies_to_the_query_api_never_give_a_server_error(
    client: FlaskClient, body: bytes, content_type: str
) -> None:
    resp = client.post("/api/query", data=body, content_type=content_type or None)
    assert_well_behaved(resp, f"POST /api/query {content_type} {body[:200]!r}")
    if resp.status_code == 200:
        assert set(resp.get_json()) >= {"columns", "rows", "truncated"}
