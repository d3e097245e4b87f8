"""The Neo4j backend: the same store, on a Neo4j 5 server (or Aura), via the official driver.

* **One driver per process**, shared by every store opened with the same URI and user
  (:func:`driver_for`); ``verify_connectivity()`` runs when it is made. The driver keeps
  a connection pool that reconnects by itself, so when Neo4j goes away the store raises
  :class:`graph.errors.GraphUnavailable` (web: 503; CLI: exit 3) and works again as soon
  as Neo4j is back, without a restart.
* **Schema**: a uniqueness constraint on ``id`` for every label, created ``IF NOT EXISTS``
  by every load (schema changes cannot share a transaction with data writes, so they run
  just before it).
* **Atomic load**: one managed write transaction deletes the previous graph (label by
  label), writes the new one with batched ``UNWIND $rows ... MERGE``, checks the counts,
  and writes the store-info node; readers see the old graph until it commits, then the
  new one, and a failure rolls everything back. One transaction suits a graph of this
  size (hundreds of elements); ``docs/neo4j.md`` explains the choice and its limit.
* **Reads** run in managed read transactions (read access mode, so a cluster routes them
  to a reader and the server refuses writes), with a server-side timeout and a row cap.
* **Store info** (version, load time, counts, dataset metadata) lives in the database, on
  one ``(:GcxStore {id: 'store'})`` node, so every process sees the same.

All Cypher comes from :mod:`graph.store.cypher`; the shared part of it is run on the embedded
engine by the test suite.
"""

from __future__ import annotations

import atexit
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar, cast

import neo4j
import neo4j.graph
from neo4j import exceptions as neo4j_errors

from graph.console.results import neo4j_cell
from graph.console.sandbox import timeout_message
from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.errors import GraphNotLoaded, GraphUnavailable, QueryError, QueryTimeout
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, RelType
from graph.settings import Settings
from graph.store import cypher
from graph.store.base import Store, StoreInfo

__all__ = ["BATCH", "Neo4jStore", "driver_for", "neo4j_value"]

log = logging.getLogger(__name__)

#: Rows per ``UNWIND $rows`` statement.
BATCH = 1000
#: Seconds to wait for a connection (keeps "database unavailable" answers quick).
CONNECT_TIMEOUT_S = 5.0
#: Seconds a managed transaction may spend retrying transient errors (kept short so an
#: outage answers "unavailable" in seconds, not after a long wait).
RETRY_TIME_S = 1.0
#: Times a snapshot read is tried again when a load commits in the middle of it.
SNAPSHOT_TRIES = 3

T = TypeVar("T")

_drivers: dict[tuple[str, str], neo4j.Driver] = {}
_drivers_lock = threading.Lock()


def driver_for(settings: Settings) -> neo4j.Driver:
    """The process's driver for ``settings``' URI and user (made once, then shared)."""
    if not settings.neo4j_uri:
        raise GraphUnavailable("GCX_BACKEND=neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)")
    key = (settings.neo4j_uri, settings.neo4j_user)
    with _drivers_lock:
        driver = _drivers.get(key)
        if driver is not None:
            return driver
        try:
            driver = neo4j.GraphDatabase.driver(
                settings.neo4j_uri,
                auth=(settings.neo4j_user, settings.neo4j_password),
                connection_timeout=CONNECT_TIMEOUT_S,
                connection_acquisition_timeout=CONNECT_TIMEOUT_S * 2,
                max_transaction_retry_time=RETRY_TIME_S,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as exc:
            raise GraphUnavailable(
                f"NEO4J_URI {settings.neo4j_uri!r} is not usable: {exc}"
            ) from None
        _drivers[key] = driver
    try:
        driver.verify_connectivity()
    except Exception as exc:
        # Not fatal: the driver reconnects by itself; until then calls raise GraphUnavailable.
        log.warning("Neo4j at %s is not reachable yet: %s", settings.neo4j_uri, exc)
    return driver


@atexit.register
def close_drivers() -> None:
    """Close every driver of this process (tests; process exit)."""
    with _drivers_lock:
        drivers = list(_drivers.values())
        _drivers.clear()
    for driver in drivers:
        driver.close()


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn driver errors into the graph package's errors."""
    try:
        yield
    except neo4j_errors.AuthError as exc:
        raise GraphUnavailable(f"Neo4j refused the credentials while {action}: {exc}") from None
    except neo4j_errors.ClientError as exc:
        code = exc.code or ""
        if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
            raise QueryTimeout(action) from None
        if code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
            raise GraphUnavailable(f"Neo4j has no such database while {action}: {exc}") from None
        raise QueryError(exc.message or str(exc)) from None
    except (
        neo4j_errors.ServiceUnavailable,
        neo4j_errors.SessionExpired,
        neo4j_errors.TransientError,
        neo4j_errors.DatabaseError,
        neo4j_errors.DriverError,
        neo4j_errors.Neo4jError,
        OSError,
    ) as exc:
        raise GraphUnavailable(f"the graph database is unavailable while {action}: {exc}") from None


def neo4j_value(value: Any) -> Any:
    """A driver value as a console cell (graph/console/results.py: one shape, both stores)."""
    return neo4j_cell(value)


def _node_rows(data: GraphData, kind: NodeKind) -> list[dict[str, Any]]:
    names = NODE_KINDS[kind].property_names
    return [{p: n.props.get(p) for p in names} for n in data.nodes if n.kind is kind]


def _rel_rows(data: GraphData, rtype: RelType, a: NodeKind, b: NodeKind) -> list[dict[str, Any]]:
    kinds = {n.id: n.kind for n in data.nodes}
    return [
        {
            "source": r.source,
            "target": r.target,
            **{p.name: r.props.get(p.name) for p in REL_PROPERTIES},
        }
        for r in data.rels
        if r.type is rtype and kinds[r.source] is a and kinds[r.target] is b
    ]


def write_graph(tx: neo4j.ManagedTransaction, data: GraphData) -> dict[str, int]:
    """Replace the graph inside ``tx``: delete, merge in batches, count (no commit here).

    Runs only shared Cypher (the same text runs on the embedded engine in the tests).
    """
    for kind in NodeKind:
        tx.run(cypher.DELETE_NODES[kind]).consume()
    for kind in NodeKind:
        rows = _node_rows(data, kind)
        for i in range(0, len(rows), BATCH):
            tx.run(cypher.MERGE_NODES[kind], rows=rows[i : i + BATCH]).consume()
    for rtype, spec in REL_TYPES.items():
        for a, b in spec.ends:
            rows = _rel_rows(data, rtype, a, b)
            for i in range(0, len(rows), BATCH):
                tx.run(cypher.MERGE_RELS[(rtype, a, b)], rows=rows[i : i + BATCH]).consume()
    counts: dict[str, int] = {}
    for kind in NodeKind:
        counts[kind.value] = int(tx.run(cypher.COUNT_NODES[kind]).single(strict=True)[0])
    for rtype in RelType:
        counts[rtype.value] = int(tx.run(cypher.COUNT_RELS[rtype]).single(strict=True)[0])
    return counts


class Neo4jStore(Store):
    """The graph in a Neo4j database (see the module docstring)."""

    backend = "neo4j"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.database = settings.neo4j_database or None
        self._driver = driver_for(settings)

    # -- plumbing ----------------------------------------------------------------------
    def _read(self, work: Callable[[neo4j.ManagedTransaction], T], action: str) -> T:
        with (
            _translated(action),
            self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session,
        ):
            return session.execute_read(work)

    # -- writes ------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the uniqueness constraints on ``id`` (``IF NOT EXISTS``: safe to repeat)."""
        with _translated("creating the schema constraints"):
            for statement in cypher.NEO4J_CONSTRAINTS.values():
                self._driver.execute_query(
                    statement, database_=self.database, routing_=neo4j.RoutingControl.WRITE
                )

    def _replace(self, data: GraphData) -> StoreInfo:
        self.ensure_schema()
        version = data.fingerprint()
        loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
        expected = data.counts()

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            counts = write_graph(tx, data)
            if counts != expected:
                # Raising inside the transaction function rolls the whole load back.
                raise GraphUnavailable(f"the database holds {counts} after writing {expected}")
            tx.run(
                cypher.NEO4J_WRITE_STORE_INFO,
                version=version,
                loaded_at=loaded_at,
                counts=json.dumps(counts, sort_keys=True),
                meta=json.dumps(data.meta, sort_keys=True),
            ).consume()
            return counts

        with (
            _translated("loading the graph"),
            self._driver.session(
                database=self.database, default_access_mode=neo4j.WRITE_ACCESS
            ) as session,
        ):
            counts = session.execute_write(work)
        return StoreInfo(self.backend, version, loaded_at, counts, dict(data.meta))

    # -- reads -------------------------------------------------------------------------
    def _info_in(self, tx: neo4j.ManagedTransaction) -> StoreInfo:
        record = tx.run(cypher.NEO4J_READ_STORE_INFO).single()
        if record is None:
            raise GraphNotLoaded(
                f"no graph is loaded in Neo4j database {self.database or '(default)'}: "
                "run `gcx load` first"
            )
        return StoreInfo(
            backend=self.backend,
            version=str(record["version"]),
            loaded_at=str(record["loaded_at"]),
            counts={str(k): int(v) for k, v in json.loads(record["counts"]).items()},
            meta={str(k): str(v) for k, v in json.loads(record["meta"] or "{}").items()},
        )

    def _info(self) -> StoreInfo:
        return self._read(self._info_in, "reading the store info")

    def _read_graph(self) -> tuple[StoreInfo, Snapshot]:
        def work(
            tx: neo4j.ManagedTransaction,
        ) -> tuple[StoreInfo, list[Node], list[Rel], StoreInfo]:
            before = self._info_in(tx)
            nodes: list[Node] = []
            for kind in NodeKind:
                names = NODE_KINDS[kind].property_names
                for record in tx.run(cypher.READ_NODES[kind]):
                    node = record["n"]
                    nodes.append(Node(kind, {p: node.get(p) for p in names}))
            rels: list[Rel] = []
            for rtype in RelType:
                for record in tx.run(cypher.READ_RELS[rtype]):
                    rel = record["r"]
                    props = {p.name: rel.get(p.name) for p in REL_PROPERTIES}
                    rels.append(Rel(rtype, str(record["source"]), str(record["target"]), props))
            return before, nodes, rels, self._info_in(tx)

        for _ in range(SNAPSHOT_TRIES):
            before, nodes, rels, after = self._read(work, "reading the graph")
            # Neo4j reads are read-committed: a load that commits during the read would
            # mix two graphs. The version on either side tells; then read again.
            if before.version == after.version:
                return after, to_networkx(nodes, rels)
        raise GraphUnavailable("the graph kept changing while it was read; try again")

    def _run_read(
        self, cypher_text: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        # The console's text is the one query not written here: layer 1 (graph.console.readonly)
        # has checked it, and it runs in a read transaction with a server-side timeout.
        text: LiteralString = cast(LiteralString, cypher_text)  # type: ignore[redundant-cast]

        @neo4j.unit_of_work(timeout=timeout_s)
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]], bool]:
            result = tx.run(text, params)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([neo4j_value(v) for v in record.values()])
            return columns, rows, truncated

        try:
            return self._read(work, "running the query")
        except QueryTimeout:
            raise QueryTimeout(timeout_message(timeout_s)) from None

    def _close(self) -> None:
        # The driver is the process's, shared by every store on the same server; it is
        # closed at exit (close_drivers), not by one store.
        pass
