"""Neo4j-only checks: schema constraints, store info in the database, per-dialect examples,
read access mode, and "database unavailable" when the server cannot be reached.

Everything but the unreachable-server test needs a real Neo4j (``NEO4J_URI``, with
``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) and is skipped without one. Point
it at a scratch database: the tests replace the graph in it.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest

from graph.backends import open_store
from graph.console.examples import EXAMPLES, Example
from graph.errors import GraphUnavailable, QueryError
from graph.model import NodeKind
from graph.settings import BUNDLED_DATASET, Settings, load_settings
from graph.store.base import Store
from graph.store.neo4j_store import Neo4jStore, driver_for
from loaders import load

NEO4J_SKIP = "NEO4J_URI is not set: the Neo4j backend needs a running server"
needs_neo4j = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason=NEO4J_SKIP)


@pytest.fixture(scope="module")
def neo4j_store() -> Iterator[Store]:
    store = open_store(load_settings({**os.environ, "GCX_BACKEND": "neo4j"}))
    load(BUNDLED_DATASET, store)
    yield store
    store.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def test_an_unreachable_server_is_graph_unavailable_and_quick() -> None:
    settings = Settings(
        backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}", neo4j_password="x"
    )
    store = Neo4jStore(settings)  # does not raise: the driver reconnects by itself later
    start = time.monotonic()
    with pytest.raises(GraphUnavailable, match="unavailable"):
        store.info()
    with pytest.raises(GraphUnavailable):
        store.query("RETURN 1")
    assert time.monotonic() - start < 15  # two calls, each retried about a second


def test_one_driver_per_process_per_server_and_user() -> None:
    settings = Settings(backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}")
    assert driver_for(settings) is driver_for(settings)


def test_a_missing_uri_is_explained() -> None:
    with pytest.raises(GraphUnavailable, match="NEO4J_URI"):
        Neo4jStore(Settings(backend="neo4j", neo4j_uri=None))


@needs_neo4j
@pytest.mark.neo4j
def test_load_creates_a_uniqueness_constraint_per_label(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    records, _, _ = neo4j_store._driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props",
        database_=neo4j_store.database,
    )
    unique = {r["label"] for r in records if r["props"] == ["id"]}
    assert {k.value for k in NodeKind} | {"GcxStore"} <= unique


@needs_neo4j
@pytest.mark.neo4j
def test_the_store_info_lives_in_the_database(neo4j_store: Store) -> None:
    other = open_store(load_settings({**os.environ, "GCX_BACKEND": "neo4j"}))
    assert other.info() == neo4j_store.info()


@needs_neo4j
@pytest.mark.neo4j
@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_answers_on_neo4j(neo4j_store: Store, ex: Example) -> None:
    result = neo4j_store.query(ex.text("neo4j"), dict(ex.params))
    assert result.rows


@needs_neo4j
@pytest.mark.neo4j
def test_console_reads_run_in_read_access_mode(neo4j_store: Store) -> None:
    # Past the static check, the server itself refuses a write in a read transaction.
    with pytest.raises(QueryError):
        neo4j_store._run_read("CREATE (:Theme {id: 'x', name: 'x'})", {}, 5.0, 10)
    assert neo4j_store.query("MATCH (t:Theme {id: 'x'}) RETURN t").rows == []


@needs_neo4j
@pytest.mark.neo4j
def test_paths_come_back_with_drawable_relationships(neo4j_store: Store) -> None:
    ex = next(e for e in EXAMPLES if e.slug == "paths-partner-to-catalyst")
    path, hops = neo4j_store.query(ex.text("neo4j"), dict(ex.params)).rows[0]
    assert hops == len(path["relationships"])
    ids = {n["id"] for n in path["nodes"]}
    assert all({r["source"], r["target"]} <= ids for r in path["relationships"])
