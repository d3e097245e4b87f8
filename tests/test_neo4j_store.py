"""Neo4j-only checks: schema constraints, store info in the database, the canned examples
(one Neo4j text), read access mode, and "database unavailable" when the server cannot be
reached.

The tests marked ``neo4j`` need a real Neo4j (``NEO4J_URI``, with ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) and are skipped without one; point them at a
scratch database: they replace the graph in it. The others run here, without a server:
an unreachable server, and how the store turns the driver's own values and errors
(built with the installed driver's classes and Neo4j's real status codes) into ours.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from datetime import date, datetime

import neo4j
import neo4j.spatial
import neo4j.time
import pytest
from neo4j.exceptions import BrokenRecordError, Neo4jError

from graph.backends import open_store
from graph.console.examples import EXAMPLES, Example
from graph.errors import (
    GraphAlreadyLoaded,
    GraphUnavailable,
    LoadLimitExceeded,
    QueryError,
    QueryTimeout,
)
from graph.model import NodeKind
from graph.settings import BUNDLED_DATASET, Settings, load_settings
from graph.store.base import Store, jsonable
from graph.store.neo4j_errors import load_limits, translated
from graph.store.neo4j_store import Neo4jStore, bookmarks_for, driver_for, neo4j_value
from loaders import load
from loaders.dataset import read_dataset

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


def test_every_session_of_the_process_shares_one_bookmark_manager() -> None:
    # On a cluster or Aura a read that follows a write in the same process must see it:
    # the driver guarantees that only for sessions sharing a bookmark manager.
    settings = Settings(backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}")
    one, two = Neo4jStore(settings), Neo4jStore(settings)
    assert one._bookmarks is two._bookmarks is bookmarks_for(settings)
    assert isinstance(one._bookmarks, neo4j.api.BookmarkManager)
    for mode in (neo4j.READ_ACCESS, neo4j.WRITE_ACCESS):
        with one._session(mode) as session:  # lazy: no connection is made here
            assert session._config.bookmark_manager is one._bookmarks


def test_durations_points_and_dates_come_out_as_on_the_embedded_store() -> None:
    # Duration and Point are tuples in the driver: they must not become bare number lists.
    values = [
        neo4j.time.Duration(days=1, hours=2),  # the embedded store: timedelta -> "P1DT2H"
        neo4j.time.Duration(months=14, seconds=1, nanoseconds=500_000_000),
        neo4j.spatial.CartesianPoint((1.5, 2.0)),
        neo4j.spatial.WGS84Point((13.4, 52.5, 34.0)),
        neo4j.time.Date(2024, 1, 2),
        neo4j.time.DateTime(2024, 1, 2, 3, 4, 5),
        [neo4j.time.Duration(days=-3)],
    ]
    assert jsonable([neo4j_value(v) for v in values]) == [
        "P1DT2H",
        "P1Y2MT1.5S",
        {"crs": "cartesian", "srid": 7203, "x": 1.5, "y": 2.0},
        {"crs": "wgs-84-3d", "srid": 4979, "x": 13.4, "y": 52.5, "z": 34.0},
        date(2024, 1, 2).isoformat(),
        datetime(2024, 1, 2, 3, 4, 5).isoformat(),
        ["P-3D"],
    ]


def _server_error(code: str, message: str = "") -> Neo4jError:
    """The exception the driver raises for a server failure with this status code."""
    return Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(
    ("code", "message", "setting"),
    [
        (
            "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
            "The allocation of an extra 2.0 MiB would use more than the limit 1.0 GiB. "
            "Currently using 1.0 GiB. dbms.memory.transaction.total.max threshold reached",
            "dbms.memory.transaction.total.max",
        ),
        (
            "Neo.ClientError.General.TransactionOutOfMemoryError",
            "The transaction used more memory than was allowed.",
            "db.memory.transaction.max",
        ),
        ("Neo.TransientError.General.OutOfMemoryError", "", "server.memory.heap.max_size"),
        ("Neo.ClientError.Transaction.TransactionTimedOut", "", "db.transaction.timeout"),
    ],
)
def test_a_load_stopped_by_a_server_limit_names_the_setting(
    code: str, message: str, setting: str
) -> None:
    error = _server_error(code, message)
    with (
        pytest.raises(LoadLimitExceeded) as caught,
        translated("loading the graph"),
        load_limits(),
    ):
        raise error
    assert setting in str(caught.value) and "rolled back" in str(caught.value)
    assert "unavailable" not in str(caught.value)


@pytest.mark.parametrize(
    ("error", "console", "expected"),
    [
        (_server_error("Neo.ClientError.Transaction.TransactionTimedOut"), True, QueryTimeout),
        (_server_error("Neo.ClientError.Transaction.TransactionTimedOut"), False, GraphUnavailable),
        (
            _server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"),
            False,
            GraphUnavailable,
        ),
        (_server_error("Neo.ClientError.Statement.SyntaxError", "bad"), True, QueryError),
        (_server_error("Neo.TransientError.General.MemoryPoolOutOfMemoryError"), True, QueryError),
        (_server_error("Neo.TransientError.General.DatabaseUnavailable"), True, GraphUnavailable),
        (BrokenRecordError("year 10000 is out of range"), True, QueryError),
        (BrokenRecordError("year 10000 is out of range"), False, GraphUnavailable),
        (OverflowError("Integer 18446744073709551616 out of range"), True, QueryError),
    ],
    ids=[
        "console-timeout",
        "internal-timeout",
        "internal-client-timeout",
        "syntax",
        "console-memory",
        "unavailable",
        "console-unreadable-date",
        "internal-unreadable",
        "overflow",
    ],
)
def test_driver_errors_become_the_graph_errors_users_should_see(
    error: Exception, console: bool, expected: type[Exception]
) -> None:
    # Console failures are the user's (400, or a timeout message); the store's own reads
    # timing out mean the database is struggling (503), never a 400.
    with pytest.raises(expected) as caught, translated("reading", console=console):
        raise error
    assert type(caught.value) is expected


@needs_neo4j
@pytest.mark.neo4j
def test_load_creates_a_uniqueness_constraint_per_label(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    records, _, _ = neo4j_store._driver.execute_query(
        # Neo4j 5.0-5.6 reports 'UNIQUENESS', later servers 'NODE_PROPERTY_UNIQUENESS'.
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "WHERE type IN ['UNIQUENESS', 'NODE_PROPERTY_UNIQUENESS'] "
        "RETURN labelsOrTypes[0] AS label, properties AS props",
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
    result = neo4j_store.query(ex.cypher, dict(ex.params))
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
    path, hops = neo4j_store.query(ex.cypher, dict(ex.params)).rows[0]
    assert hops == len(path["relationships"])
    ids = {n["id"] for n in path["nodes"]}
    assert all({r["source"], r["target"]} <= ids for r in path["relationships"])


@needs_neo4j
@pytest.mark.neo4j
def test_load_if_empty_leaves_a_loaded_database_alone(neo4j_store: Store) -> None:
    before = neo4j_store.info()
    with pytest.raises(GraphAlreadyLoaded, match="left as it is"):
        neo4j_store.replace(read_dataset(BUNDLED_DATASET), if_empty=True)
    assert neo4j_store.info() == before


@needs_neo4j
@pytest.mark.neo4j
def test_the_first_contact_checklist_passes_and_changes_nothing(neo4j_store: Store) -> None:
    from graph.store.doctor import run_checks

    before = neo4j_store.info()
    checks = {c.name: c for c in run_checks(neo4j_store, read_dataset(BUNDLED_DATASET))}
    assert [c for c in checks.values() if c.status == "fail"] == []
    assert checks["sample load"].status in ("ok", "warn")
    assert checks["console limit"].status == "ok", checks["console limit"].detail
    assert neo4j_store.info() == before
