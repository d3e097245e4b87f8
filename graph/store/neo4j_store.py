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
  The store's own reads (info, snapshot, constraints) carry a time limit too, and report
  "unavailable" (503) when they reach it; only a console query's limit is the user's (400).
  Every read also has a client-side deadline (:func:`client_deadline`, in a daemon
  thread): a server that stops answering is "unavailable" too, not a request that hangs.
* **Bookmarks**: every session and ``execute_query`` of a driver shares one bookmark
  manager, so on a cluster or Aura a read made after a load in the same process sees it.
* **Load failures are named**: a load stopped by the server's transaction memory or time
  limit raises :class:`graph.errors.LoadLimitExceeded` naming the setting to raise. The
  load runs in an explicit transaction that the driver never retries (the same load
  would stop again).
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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar, cast

import neo4j
import neo4j.api
import neo4j.graph
import neo4j.spatial
import neo4j.time
from neo4j import exceptions as neo4j_errors

from graph.console.results import neo4j_cell
from graph.console.sandbox import timeout_message
from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.errors import (
    GraphAlreadyLoaded,
    GraphNotLoaded,
    GraphUnavailable,
    QueryTimeout,
)
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, RelType
from graph.settings import Settings
from graph.store import cypher
from graph.store.base import Store, StoreInfo
from graph.store.neo4j_errors import load_limits, translated
from graph.store.values import iso_duration, point_map

__all__ = ["BATCH", "Neo4jStore", "bookmarks_for", "driver_for", "neo4j_value"]

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
#: Seconds the store's own reads may take (info; constraints), and the whole-graph read.
INFO_TIMEOUT_S = 10.0
SNAPSHOT_TIMEOUT_S = 60.0


def client_deadline(timeout_s: float) -> float:
    """Seconds the client waits for a read the server should stop at ``timeout_s``.

    >>> client_deadline(1.0), client_deadline(10.0)
    (2.5, 16.0)
    """
    return timeout_s * 1.5 + 1.0


def _within(seconds: float, call: Callable[[], T], action: str) -> T:
    """``call()``'s result, or GraphUnavailable once ``seconds`` pass without one.

    The call runs in a daemon thread of its own: a read blocked on a silent server is
    left behind (it ends when the driver's socket does) and never delays process exit.
    """
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the waiting caller below
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="gcx-neo4j-read", daemon=True).start()
    if not done.wait(seconds):
        raise GraphUnavailable(f"Neo4j did not answer within {seconds:.1f} s while {action}")
    ok, value = outcome[0]
    if not ok:
        raise value
    return cast(T, value)


T = TypeVar("T")

_drivers: dict[tuple[str, str], neo4j.Driver] = {}
_bookmarks: dict[tuple[str, str], neo4j.api.BookmarkManager] = {}
_drivers_lock = threading.Lock()


def bookmarks_for(settings: Settings) -> neo4j.api.BookmarkManager:
    """The process's one bookmark manager for ``settings``' server (shared by every session)."""
    key = (settings.neo4j_uri or "", settings.neo4j_user)
    with _drivers_lock:
        manager = _bookmarks.get(key)
        if manager is None:
            manager = _bookmarks[key] = neo4j.GraphDatabase.bookmark_manager()
        return manager


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
        _bookmarks.clear()
    for driver in drivers:
        driver.close()


def _scalar(value: Any) -> Any:
    """A temporal or spatial driver value in the shape both backends give, or ``value``."""
    if isinstance(value, neo4j.time.Duration):
        return iso_duration(value.months, value.days, value.seconds, value.nanoseconds)
    if isinstance(value, neo4j.spatial.Point):
        crs = {4326: "wgs-84", 4979: "wgs-84-3d", 7203: "cartesian", 9157: "cartesian-3d"}
        return point_map(crs.get(value.srid or 0, "unknown"), value.srid or 0, tuple(value))
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.to_native()
    return value


def neo4j_value(value: Any) -> Any:
    """A driver value as a console cell (graph/console/results.py: one shape, both stores)."""
    return neo4j_cell(value, scalar=_scalar)


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


def write_graph(
    tx: neo4j.ManagedTransaction | neo4j.Transaction, data: GraphData
) -> dict[str, int]:
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
        self._bookmarks = bookmarks_for(settings)

    # -- plumbing ----------------------------------------------------------------------
    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(
            database=self.database, default_access_mode=mode, bookmark_manager=self._bookmarks
        )

    def _read(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        action: str,
        timeout_s: float = INFO_TIMEOUT_S,
        *,
        console: bool = False,
    ) -> T:
        timed = neo4j.unit_of_work(timeout=timeout_s)(work)

        def call() -> T:
            with translated(action, console=console), self._session(neo4j.READ_ACCESS) as s:
                return s.execute_read(timed)

        # The server enforces timeout_s; the client gives up a little later by itself, for
        # a server (or network) that stops answering: the driver has no read timeout.
        return _within(client_deadline(timeout_s), call, action)

    # -- writes ------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the uniqueness constraints on ``id`` (``IF NOT EXISTS``: safe to repeat)."""
        with translated("creating the schema constraints"):
            for statement in cypher.NEO4J_CONSTRAINTS.values():
                self._driver.execute_query(
                    neo4j.Query(statement, timeout=INFO_TIMEOUT_S),
                    database_=self.database,
                    routing_=neo4j.RoutingControl.WRITE,
                    bookmark_manager_=self._bookmarks,
                )

    def _claim_empty(self, tx: neo4j.Transaction) -> None:
        """Refuse (GraphAlreadyLoaded) unless the database holds no graph; inside the load.

        The MERGE on the store node takes the uniqueness constraint's lock, so a second
        ``--if-empty`` load waits here for the first to commit, then sees its version.
        """
        record = tx.run(cypher.NEO4J_CLAIM_STORE).single(strict=True)
        if record["version"] is not None:
            raise GraphAlreadyLoaded(
                f"Neo4j database {self.database or '(default)'} already holds a graph "
                f"(version {record['version']}); it was left as it is"
            )
        existing = sum(int(tx.run(q).single(strict=True)[0]) for q in cypher.COUNT_NODES.values())
        if existing:
            raise GraphAlreadyLoaded(
                f"Neo4j database {self.database or '(default)'} holds {existing:,} nodes with "
                "the model's labels but no store info; they were left as they are"
            )

    def _replace(self, data: GraphData, if_empty: bool) -> StoreInfo:
        self.ensure_schema()
        version = data.fingerprint()
        loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
        expected = data.counts()
        # An explicit transaction, not execute_write: the driver retries a managed
        # transaction on "transient" errors, and running out of transaction memory is one;
        # the same load would only run out again. A failure anywhere rolls everything back.
        with (
            translated("loading the graph"),
            load_limits(),
            self._session(neo4j.WRITE_ACCESS) as session,
            session.begin_transaction() as tx,
        ):
            if if_empty:
                self._claim_empty(tx)
            counts = write_graph(tx, data)
            if counts != expected:
                raise GraphUnavailable(f"the database holds {counts} after writing {expected}")
            tx.run(
                cypher.NEO4J_WRITE_STORE_INFO,
                version=version,
                loaded_at=loaded_at,
                counts=json.dumps(counts, sort_keys=True),
                meta=json.dumps(data.meta, sort_keys=True),
            ).consume()
            tx.commit()
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
            before, nodes, rels, after = self._read(work, "reading the graph", SNAPSHOT_TIMEOUT_S)
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
            return self._read(work, "running the query", timeout_s, console=True)
        except QueryTimeout:
            raise QueryTimeout(timeout_message(timeout_s)) from None

    def _close(self) -> None:
        # The driver is the process's, shared by every store on the same server; it is
        # closed at exit (close_drivers), not by one store.
        pass
