"""The store interface that both backends implement, and the factory that picks one.

A store is small on purpose: write a whole validated graph atomically, read it back as a
networkx snapshot, run a read-only Cypher query with a timeout and a row cap, and report
its data version and counts. The public methods here do the shared checks and call one
hook per backend; features are written once, over the snapshot, so both backends behave
the same.
"""

from __future__ import annotations

import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

import networkx as nx

from graph.console.lexer import refuse_neo4j_splits, tokenize
from graph.console.readonly import checked_text
from graph.data import GraphData, Snapshot
from graph.errors import GraphUnavailable, QueryError, QueryRefused
from graph.settings import LIMITS, Settings
from graph.store.values import check_params, timedelta_duration

__all__ = ["QueryResult", "Store", "StoreInfo"]

#: Seconds a request waits for another request's snapshot read before it answers
#: "unavailable" (a stuck read must not queue every request behind it).
SNAPSHOT_WAIT_S = 60.0


@dataclass(frozen=True)
class StoreInfo:
    """What a store holds: its data version, when it was loaded, counts and dataset metadata."""

    backend: str
    version: str
    loaded_at: str
    counts: dict[str, int]
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryResult:
    """A console query's answer: column names, rows (capped), and whether the cap bit."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_ms: float
    #: What was cut beyond the row cap (long values, a result past its byte cap), if any.
    notice: str = ""
    #: The query as the user wrote it, when the store ran a rewritten text with the same
    #: meaning (the embedded store's Neo4j-compatibility layer); None when run as written.
    rewritten_from: str | None = None


def jsonable(value: Any) -> Any:
    """Turn a driver value (node, relationship, date, ...) into plain JSON data."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):  # the engine sums integers as 128-bit decimals
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return timedelta_duration(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return str(value)


class Store(ABC):
    """One graph database holding the Grand Challenges graph.

    Subclasses implement the ``_`` hooks; callers use the public methods, which validate
    input and cache the snapshot per data version.
    """

    backend: str = "abstract"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._snapshot_lock = threading.Lock()
        self._snapshot: tuple[StoreInfo, Snapshot] | None = None

    # -- public API --------------------------------------------------------------------
    def replace(self, data: GraphData, *, if_empty: bool = False) -> StoreInfo:
        """Replace the whole graph with ``data``, atomically: readers see old or new.

        With ``if_empty``, load only into a store that holds no graph: the check and the
        write are one step (no other load can slip in between), and when a graph is
        there, :class:`graph.errors.GraphAlreadyLoaded` is raised and nothing changes.
        """
        return self._replace(data, if_empty)

    def replace_parts(self, parts: Iterable[GraphData], *, if_empty: bool = False) -> StoreInfo:
        """Replace the whole graph with the union of ``parts``, atomically, writing each
        part as it comes: a loader validates file by file while the store writes.

        Each part's nodes come before the relationships that join them (in the same part
        or a later one); the version is the last part's ``source_digest`` when it has one,
        else the graph's :meth:`GraphData.fingerprint`. If taking the next part raises (a
        validation error), the half-written graph is discarded, readers keep the old one,
        and the error propagates: all or nothing, as with :meth:`replace`. A backend that
        cannot write part by part gathers the parts and writes them once.
        """
        return self._replace_parts(parts, if_empty)

    def info(self) -> StoreInfo:
        """The data version, load time, counts per label and type, and dataset metadata."""
        return self._info()

    def snapshot(self) -> Snapshot:
        """The whole graph as a frozen networkx ``MultiDiGraph`` (cached per version).

        Nodes carry ``kind`` and their properties; edges are keyed by relationship type
        and carry ``type``, ``basis`` and the other relationship properties. Frozen: copy
        it (``nx.MultiDiGraph(g)``) before changing it.
        """
        return self.view()[1]

    def view(self) -> tuple[StoreInfo, Snapshot]:
        """The store info and the snapshot *of the same generation*, as one pair.

        Use this where a response shows both (counts and graph): calling ``info()`` and
        ``snapshot()`` separately could straddle a reload.
        """
        info = self.info()
        if not self._snapshot_lock.acquire(timeout=SNAPSHOT_WAIT_S):
            raise GraphUnavailable(
                f"another request has been reading the graph for over {SNAPSHOT_WAIT_S:.0f} s; "
                "try again shortly"
            )
        try:
            if self._snapshot is None or self._snapshot[0].version != info.version:
                # The backend reports the info of the generation it actually read: a
                # reload between info() and the read must not pair new data with old info.
                read_info, graph = self._read_graph()
                self._snapshot = (read_info, nx.freeze(graph))
            return self._snapshot
        finally:
            self._snapshot_lock.release()

    def query(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only Cypher query with a time limit and a row cap.

        Refuses writes before running (:class:`graph.errors.QueryRefused`), then runs on a
        read-only handle; stops at ``timeout_s`` (:class:`graph.errors.QueryTimeout`) and
        returns at most ``max_rows`` rows with ``truncated`` set when there were more.
        """
        if not isinstance(cypher, str):
            raise QueryError("the query must be a string")
        if len(cypher) > LIMITS.query_chars:
            raise QueryError(f"the query is longer than {LIMITS.query_chars:,} characters")
        text = checked_text(cypher)  # the canonical text the check read: what the engine runs
        # That text keeps the engine's reading; where Neo4j's lexer cuts the user's text
        # otherwise (a comment's end, U+180E), neither backend may run it.
        refuse_neo4j_splits(cypher, tokenize(cypher))
        bound = check_params(params)
        # The backend's own dialect (Neo4j's meaning, docs/cypher.md), read from the user's
        # text with the check's lexer; a rewritten text is canonical and checked as it is,
        # so the check reads exactly the string the engine runs.
        rewritten = self._rewrite(cypher, bound)
        rewritten_from = None if rewritten is None else cypher
        if rewritten is not None:
            text = checked_text(rewritten)
            if text != rewritten:  # pragma: no cover - the layer's text is canonical
                raise QueryRefused("the rewritten query cannot be read with certainty")
        timeout = self.settings.query_timeout_s if timeout_s is None else timeout_s
        cap = self.settings.query_max_rows if max_rows is None else max_rows
        if not 0 < timeout <= 300:
            raise QueryError("the time limit must be between 0 and 300 seconds")
        if not 0 < cap <= 1_000_000:
            raise QueryError("the row cap must be between 1 and 1,000,000")
        start = time.perf_counter()
        answer = self._run_read(text, bound, timeout, cap)
        columns, rows, truncated = answer[0], answer[1], answer[2]
        notice = str(answer[3]) if len(answer) > 3 else ""
        elapsed = (time.perf_counter() - start) * 1000
        rows = [[jsonable(v) for v in r] for r in rows]
        return QueryResult(columns, rows, truncated, elapsed, notice, rewritten_from)

    def close(self) -> None:
        """Release the database handle."""
        self._close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- per-backend hooks -------------------------------------------------------------
    def _rewrite(self, cypher: str, params: dict[str, Any]) -> str | None:
        """The canonical text this backend runs for console query ``cypher`` (Neo4j
        Cypher) when it differs from what was written; None runs the checked text."""
        return None

    @abstractmethod
    def _replace(self, data: GraphData, if_empty: bool) -> StoreInfo: ...

    def _replace_parts(self, parts: Iterable[GraphData], if_empty: bool) -> StoreInfo:
        """Write ``parts`` (default: gather them all, then :meth:`_replace` once)."""
        return self._replace(GraphData.joined(parts), if_empty)

    @abstractmethod
    def _info(self) -> StoreInfo: ...

    @abstractmethod
    def _read_graph(self) -> tuple[StoreInfo, Snapshot]: ...

    @abstractmethod
    def _run_read(
        self, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool] | tuple[list[str], list[list[Any]], bool, str]:
        """Columns, rows, whether rows were left out, and (optionally) a notice of cuts."""

    @abstractmethod
    def _close(self) -> None: ...
