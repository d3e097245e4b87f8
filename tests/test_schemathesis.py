"""Schemathesis against ``/api/openapi.json`` on a live server: every operation the document
declares, with data generated from it (valid and invalid), answers without a server
error, with a declared content type, a declared status and, where the document gives one,
a body that matches its schema (the one error shape for every 4xx).

The server is the app over the bundled data, served on 127.0.0.1 at a port the OS chose
(``tests/browser.py``'s ``Server``). Bounded: a few dozen examples per operation, no
deadline per example (the first subgraph of a kind lays out a graph), and the whole module
runs in well under a minute.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from graph.store.base import Store
from tests.browser import Server
from web import create_app
from web.openapi import openapi_document

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def live(shared_store: Store) -> Iterator[Server]:
    srv = Server(create_app({"GCX_STORE": shared_store}))
    yield srv
    srv.close()


# The document is the one the app serves (checked below against the live route); it is
# read at collection time so each operation is its own test (schemathesis's lazy
# ``from_fixture`` does not run under pytest 9).
schema = schemathesis.openapi.from_dict(openapi_document())


def test_the_live_server_serves_the_document_under_test(live: Server) -> None:
    with urllib.request.urlopen(f"{live.url}/api/openapi.json", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == json.loads(json.dumps(openapi_document()))


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_every_api_operation_conforms_to_its_openapi_document(case: Any, live: Server) -> None:
    case.call_and_validate(
        base_url=live.url,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=30,
    )
