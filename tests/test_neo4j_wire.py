"""Wire-level checks of the Neo4j store against a scripted Bolt endpoint (NOT Neo4j).

``tests/bolt_stub.py`` speaks Bolt 5.0 to the real driver and answers each query from a
script; it records every message, so these tests pin what the store *sends*: the access
mode and time limit of each transaction, the bookmarks reads carry after a load, that a
load stopped by the server's memory limit is attempted once, and that a parameter no
driver can send never leaves the process. What a real server does with the Cypher is the
live suite's job (``NEO4J_URI``), and its parser's (``tests/test_cypher_lint.py``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from graph.data import GraphData
from graph.errors import GraphUnavailable, LoadLimitExceeded, QueryError
from graph.settings import BUNDLED_DATASET, Settings
from graph.store import cypher
from graph.store.neo4j_store import INFO_TIMEOUT_S, Neo4jStore, client_deadline
from loaders.dataset import read_dataset
from tests.bolt_stub import Failure, Rows, ScriptedBolt

STORE_INFO = {"version": "v1", "loaded_at": "2026-01-01T00:00:00+00:00"}


@pytest.fixture(scope="module")
def data() -> GraphData:
    return read_dataset(BUNDLED_DATASET)


def graph_script(data: GraphData, fail: dict[str, Failure] | None = None) -> Any:
    """Answer as a database holding ``data`` would; ``fail``: statement -> failure."""
    counts = data.counts()
    by_statement = {s: n for k, n in counts.items() for s in _count_statements(k)}

    def script(query: str, params: dict[str, Any]) -> Rows | Failure:
        if fail and query in fail:
            return fail[query]
        if query in by_statement:
            return ["n"], [[by_statement[query]]]
        if query == cypher.NEO4J_READ_STORE_INFO:
            meta = json.dumps(data.meta)
            row = [STORE_INFO["version"], STORE_INFO["loaded_at"], json.dumps(counts), meta]
            return ["version", "loaded_at", "counts", "meta"], [row]
        if query == cypher.NEO4J_CLAIM_STORE:
            return ["version"], [[None]]
        return [], []

    return script


def _count_statements(key: str) -> list[str]:
    return [s for k, s in {**cypher.COUNT_NODES, **cypher.COUNT_RELS}.items() if k.value == key]


@pytest.fixture
def wire(data: GraphData) -> Iterator[ScriptedBolt]:
    bolt = ScriptedBolt(graph_script(data))
    yield bolt
    bolt.close()


def store_on(bolt: ScriptedBolt) -> Neo4jStore:
    return Neo4jStore(Settings(backend="neo4j", neo4j_uri=bolt.uri, neo4j_password="pw"))


def begins_for(bolt: ScriptedBolt, statement: str) -> list[dict[str, Any]]:
    """The BEGIN extras of the transactions that ran ``statement``."""
    found, current = [], None
    for name, fields in list(bolt.received):
        if name == "BEGIN":
            current = fields[0]
        elif name == "RUN" and fields[0] == statement and current is not None:
            found.append(current)
    return found


def test_a_console_query_goes_out_in_read_mode_with_its_time_limit(wire: ScriptedBolt) -> None:
    wire.script = lambda q, p: (["one"], [[1]]) if q == "RETURN 1 AS one" else ([], [])
    result = store_on(wire).query("RETURN 1 AS one", timeout_s=2.5)
    assert result.rows == [[1]]
    [begin] = begins_for(wire, "RETURN 1 AS one")
    assert begin["mode"] == "r" and begin["tx_timeout"] == 2500


def test_the_stores_own_reads_carry_a_time_limit_and_time_out_as_unavailable(
    wire: ScriptedBolt, data: GraphData
) -> None:
    store = store_on(wire)
    assert store.info().version == STORE_INFO["version"]
    [begin] = begins_for(wire, cypher.NEO4J_READ_STORE_INFO)
    assert begin["mode"] == "r" and begin["tx_timeout"] == int(INFO_TIMEOUT_S * 1000)
    timed_out = Failure("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
    wire.script = graph_script(data, {cypher.NEO4J_READ_STORE_INFO: timed_out})
    with pytest.raises(GraphUnavailable, match="time limit") as caught:
        store.info()
    assert not isinstance(caught.value, QueryError)  # 503, never the console's 400


def test_a_server_that_stops_answering_is_unavailable_within_the_client_deadline(
    wire: ScriptedBolt,
) -> None:
    # The server never stops this query at its limit (it answers after 5 s): the client
    # gives up by itself at client_deadline(0.5) = 1.75 s, as "unavailable", not a hang.
    def stalls(query: str, params: dict[str, Any]) -> Rows | Failure:
        if query == "RETURN 1 AS one":
            time.sleep(5)
        return ["one"], [[1]]

    wire.script = stalls
    store = store_on(wire)
    start = time.monotonic()
    with pytest.raises(GraphUnavailable, match=r"did not answer within 1\.8 s"):
        store.query("RETURN 1 AS one", timeout_s=0.5)
    assert time.monotonic() - start < client_deadline(0.5) + 1.0


def test_reads_after_a_load_carry_the_loads_bookmark(wire: ScriptedBolt, data: GraphData) -> None:
    store_on(wire).replace(data)
    load_bookmark = wire.committed[-1]  # the load's commit (the constraints' came before)
    store_on(wire).info()  # another store of the same process, as a web request would be
    [begin] = begins_for(wire, cypher.NEO4J_READ_STORE_INFO)
    # A cluster member answers this read only once it has applied the load.
    assert begin["bookmarks"] == [load_bookmark]


def test_a_load_the_server_stops_for_memory_is_named_and_attempted_once(
    wire: ScriptedBolt, data: GraphData
) -> None:
    first_merge = next(iter(cypher.MERGE_NODES.values()))
    oom = Failure(
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "The allocation of an extra 2.0 MiB would use more than the limit 1.0 GiB. "
        "dbms.memory.transaction.total.max threshold reached",
    )
    wire.script = graph_script(data, {first_merge: oom})
    with pytest.raises(LoadLimitExceeded, match=r"dbms\.memory\.transaction\.total\.max"):
        store_on(wire).replace(data)
    # A "transient" error, which the driver retries in a managed transaction: sent once.
    assert len(begins_for(wire, first_merge)) == 1
    assert len([f for f in wire.messages("RUN") if f[0] == first_merge]) == 1
    failed_at = max(
        i for i, (n, f) in enumerate(wire.received) if n == "RUN" and f[0] == first_merge
    )
    assert [n for n, _ in wire.received[failed_at:] if n == "COMMIT"] == []


def test_a_parameter_no_driver_can_send_never_reaches_the_wire(wire: ScriptedBolt) -> None:
    store = store_on(wire)
    with pytest.raises(QueryError, match="64-bit"):
        store.query("RETURN $n AS n", {"n": 2**64})
    assert [f for f in wire.messages("RUN") if f[0] == "RETURN $n AS n"] == []
