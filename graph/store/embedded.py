"""The embedded backend: a ladybug (Kùzu-family) graph database file, no server.

Layout: ``GCX_DB_PATH`` (default ``var/grand-challenges.lbug``) is a symbolic link to the
current *generation*, a database file in ``<GCX_DB_PATH>.d/`` with a JSON sidecar of its
version, load time and counts. A load builds a new generation beside the old one and
then swaps the link with one atomic ``rename``: a reader resolves the link once per call,
so it sees the old graph or the new one, never a mix, and a failed load leaves the link
(and so the graph) exactly as it was. Readers open generations read-only, so the web
processes and the console can never write; ladybug allows many read-only processes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ladybug

from graph.console.compat import explained, translate
from graph.console.sandbox import shared_pool, timeout_message
from graph.data import GraphData, Node, Rel, Snapshot, Value, to_networkx
from graph.errors import (
    GraphAlreadyLoaded,
    GraphNotLoaded,
    GraphUnavailable,
    QueryError,
    QueryTimeout,
)
from graph.model import (
    NODE_KINDS,
    REL_PROPERTIES,
    REL_TYPES,
    NodeKind,
    Property,
    PropType,
    RelType,
)
from graph.settings import Settings
from graph.store.base import Store, StoreInfo

__all__ = ["EmbeddedStore", "read_query"]

_DDL_TYPES = {
    PropType.STRING: "STRING",
    PropType.BOOL: "BOOLEAN",
    PropType.INT: "INT64",
    PropType.DOUBLE: "DOUBLE",
    PropType.STRING_LIST: "STRING[]",
}
_BATCH = 5000
_KEEP_GENERATIONS = 2
#: Generations written this recently are never pruned (see ``_prune``).
_PRUNE_GRACE_S = 60.0


def schema_ddl() -> list[str]:
    """The CREATE TABLE statements for the whole model (node tables, then rel tables)."""
    out = []
    for spec in NODE_KINDS.values():
        cols = ", ".join(
            f"{p.name} {_DDL_TYPES[p.type]}" + (" PRIMARY KEY" if p.name == "id" else "")
            for p in spec.properties
        )
        out.append(f"CREATE NODE TABLE {spec.kind.value}({cols})")
    rel_cols = ", ".join(f"{p.name} {_DDL_TYPES[p.type]}" for p in REL_PROPERTIES)
    for rspec in REL_TYPES.values():
        ends = ", ".join(f"FROM {a.value} TO {b.value}" for a, b in rspec.ends)
        out.append(f"CREATE REL TABLE {rspec.type.value}({ends}, {rel_cols})")
    return out


def _node_insert(kind: NodeKind) -> str:
    spec = NODE_KINDS[kind]
    assigns = ", ".join(
        f"{p.name}: CAST(r.{p.name} AS {_DDL_TYPES[p.type]})" for p in spec.properties
    )
    return f"UNWIND $rows AS r CREATE (:{kind.value} {{{assigns}}})"


def _rel_insert(rtype: RelType, a: NodeKind, b: NodeKind) -> str:
    assigns = ", ".join(
        f"{p.name}: CAST(r.{p.name} AS {_DDL_TYPES[p.type]})" for p in REL_PROPERTIES
    )
    return (
        f"UNWIND $rows AS r MATCH (a:{a.value} {{id: r.source}}), (b:{b.value} {{id: r.target}}) "
        f"CREATE (a)-[:{rtype.value} {{{assigns}}}]->(b)"
    )


@dataclass(frozen=True)
class _Table:
    """One node table, or one (from, to) pair of a relationship table, and how to fill it.

    Rows are lists in ``columns`` order; a relationship row starts with its source and
    target ids. ``staging`` is the CSV file the bulk path writes next to the generation.
    """

    name: str
    columns: tuple[Property, ...]
    staging: Path
    ends: tuple[NodeKind, NodeKind] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.columns)

    def copy_statement(self) -> str:
        """``COPY`` from a typed scan of the staging CSV; lists are split on ``$sep``."""
        scan = ", ".join(
            f"c{i} {'STRING' if p.type is PropType.STRING_LIST else _DDL_TYPES[p.type]}"
            for i, p in enumerate(self.columns)
        )
        picks = ", ".join(
            f"CASE WHEN c{i} IS NULL THEN NULL ELSE string_split(c{i}, $sep) END"
            if p.type is PropType.STRING_LIST
            else f"c{i}"
            for i, p in enumerate(self.columns)
        )
        pair = f" (from='{self.ends[0].value}', to='{self.ends[1].value}')" if self.ends else ""
        return (
            f"COPY {self.name} FROM (LOAD WITH HEADERS ({scan}) FROM '{self.staging}' "
            "(header=true, parallel=false, delim=',', quote='\"', escape='\"') "
            f"RETURN {picks}){pair}"
        )

    def unwind_statement(self) -> str:
        if self.ends is None:
            return _node_insert(NodeKind(self.name))
        return _rel_insert(RelType(self.name), *self.ends)


_REL_ENDS = (Property("source", required=True), Property("target", required=True))
#: Joins list items in the staging CSV: a control character the loader never lets through.
_LIST_SEP = "\x1f"
_INT64 = (-(2**63), 2**63 - 1)


def _staged_rows(table: _Table, rows: list[list[Value]]) -> list[list[Value]] | None:
    """The rows as the staging CSV holds them, or None if a value would not survive it.

    The CSV cannot tell an empty string, an empty list or a list of one empty string from
    NULL, nor carry a NUL byte (checked on the whole text), a list item holding the
    separator or a non-finite number. The loader never produces those; other callers may,
    and they get the parameter path.
    """
    if any(c in str(table.staging) for c in "'\\"):
        return None
    lists = [i for i, p in enumerate(table.columns) if p.type is PropType.STRING_LIST]
    doubles = [i for i, p in enumerate(table.columns) if p.type is PropType.DOUBLE]
    out: list[list[Value]] = []
    for row in rows:
        if "" in row:
            return None
        staged = list(row)
        for i in lists:
            items = staged[i]
            if items is None:
                continue
            if not isinstance(items, list) or not items or "" in items:
                return None
            try:
                joined = _LIST_SEP.join(items)
            except TypeError:
                return None
            if joined.count(_LIST_SEP) != len(items) - 1:
                return None
            staged[i] = joined
        for i in doubles:
            value = staged[i]
            if value is not None and not (isinstance(value, int | float) and math.isfinite(value)):
                return None
        out.append(staged)
    return out


def _all_rows(
    conn: ladybug.Connection, query: str, params: dict[str, Any] | None = None
) -> list[list[Any]]:
    result = conn.execute(query, params or {})
    if isinstance(result, list):
        raise QueryError("run one statement at a time")
    return [list(row) for row in result.get_all()]


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("_")}


class EmbeddedStore(Store):
    """The graph in a ladybug database file (see the module docstring for the layout)."""

    backend = "embedded"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.path = settings.db_path
        self.generations = self.path.parent / (self.path.name + ".d")
        self._lock = threading.RLock()
        self._open: tuple[Path, ladybug.Database, StoreInfo] | None = None

    # -- generations -------------------------------------------------------------------
    def _current_target(self) -> Path:
        try:
            target = os.readlink(self.path)
        except FileNotFoundError:
            raise GraphNotLoaded(
                f"no graph is loaded at {self.path}: run `gcx load` first"
            ) from None
        except OSError:
            raise GraphUnavailable(
                f"{self.path} is not a graph made by `gcx load` (expected a link to a generation)"
            ) from None
        return (self.path.parent / target).resolve()

    def _handle(self) -> tuple[Path, ladybug.Database, StoreInfo]:
        try:
            return self._open_current()
        except FileNotFoundError:
            # The generation we resolved was replaced and pruned before we opened it
            # (several loads in quick succession): the link now names a newer one.
            try:
                return self._open_current()
            except FileNotFoundError as exc:
                raise GraphUnavailable(f"cannot open the graph database: {exc}") from exc

    def _open_current(self) -> tuple[Path, ladybug.Database, StoreInfo]:
        target = self._current_target()
        with self._lock:
            if self._open is not None and self._open[0] == target:
                return self._open
            if not target.exists():
                raise FileNotFoundError(target)
            try:
                meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
                db = ladybug.Database(str(target), read_only=True)
            except FileNotFoundError:
                raise
            except (OSError, ValueError, RuntimeError) as exc:
                raise GraphUnavailable(f"cannot open the graph database {target}: {exc}") from exc
            # The previous handle is not closed here: another thread may still be
            # reading through it. It closes when its last user lets go of it.
            info = StoreInfo(
                backend=self.backend,
                version=meta["version"],
                loaded_at=meta["loaded_at"],
                counts=meta["counts"],
                meta=meta.get("meta", {}),
            )
            self._open = (target, db, info)
            return self._open

    def _replace(self, data: GraphData, if_empty: bool) -> StoreInfo:
        if if_empty and os.path.lexists(self.path):
            raise GraphAlreadyLoaded(f"{self.path} already holds a graph; it was left as it is")
        self.generations.mkdir(parents=True, exist_ok=True)
        version = data.fingerprint()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.generations / f"{stamp}-{version}-{uuid.uuid4().hex[:6]}.lbug"
        sidecar = target.with_suffix(".json")
        try:
            counts = self._build(target, data)
            loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
            meta = {"version": version, "loaded_at": loaded_at, "counts": counts, "meta": data.meta}
            sidecar.write_text(json.dumps(meta, indent=1), encoding="utf-8")
            relative = os.path.relpath(target, self.path.parent)
            if if_empty:
                # Made in place: symlink() fails if a concurrent load made the link first.
                try:
                    os.symlink(relative, self.path)
                except FileExistsError:
                    raise GraphAlreadyLoaded(
                        f"{self.path} was loaded by another process meanwhile; it was left as it is"
                    ) from None
            else:
                link = self.path.parent / f".{self.path.name}.{uuid.uuid4().hex}"
                os.symlink(relative, link)
                os.replace(link, self.path)  # the atomic switch
        except BaseException:
            for leftover in (target, sidecar, Path(str(target) + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            raise
        self._prune(target)
        return StoreInfo(self.backend, version, loaded_at, counts, dict(data.meta))

    def _build(self, target: Path, data: GraphData) -> dict[str, int]:
        # Bulk path: each table is written to a staging CSV beside the generation and
        # read by the engine's COPY (tens of times faster than UNWIND ... CREATE). No
        # explicit transaction: nobody sees this file until the link swap, a failure
        # deletes it, and one transaction over every COPY holds each table's buffers
        # until the commit (about 20 MiB per table, whatever its size).
        staging = target.with_suffix(".staging")
        staging.mkdir()
        db = ladybug.Database(str(target))
        try:
            conn = ladybug.Connection(db)
            for stmt in schema_ddl():
                conn.execute(stmt)
            by_kind: dict[NodeKind, list[Node]] = {kind: [] for kind in NODE_KINDS}
            for n in data.nodes:
                by_kind[n.kind].append(n)
            kinds = {n.id: n.kind for n in data.nodes}
            by_pair: dict[tuple[RelType, NodeKind, NodeKind], list[Rel]] = defaultdict(list)
            for r in data.rels:
                by_pair[(r.type, kinds[r.source], kinds[r.target])].append(r)
            for kind, spec in NODE_KINDS.items():
                table = _Table(kind.value, spec.properties, staging / f"{kind.value}.csv")
                names = spec.property_names
                self._insert(conn, table, [[n.props.get(p) for p in names] for n in by_kind[kind]])
            for rtype, rspec in REL_TYPES.items():
                for a, b in rspec.ends:
                    table = _Table(
                        rtype.value,
                        _REL_ENDS + REL_PROPERTIES,
                        staging / f"{rtype.value}-{a.value}-{b.value}.csv",
                        (a, b),
                    )
                    rows: list[list[Value]] = [
                        [r.source, r.target, *(r.props.get(p.name) for p in REL_PROPERTIES)]
                        for r in by_pair.get((rtype, a, b), [])
                    ]
                    self._insert(conn, table, rows)
            counts = self._count(conn)
            conn.close()
        finally:
            db.close()
            shutil.rmtree(staging, ignore_errors=True)
        expected = data.counts()
        if counts != expected:
            raise GraphUnavailable(f"the database holds {counts} after writing {expected}")
        return counts

    @staticmethod
    def _insert(conn: ladybug.Connection, table: _Table, rows: list[list[Value]]) -> None:
        """Write one table's rows: COPY from a staging CSV, or parameter batches if need be."""
        if not rows:
            return
        staged = _staged_rows(table, rows)
        if staged is not None:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow([f"c{i}" for i in range(len(table.columns))])
            writer.writerows(staged)  # None is written empty, which the scan reads as NULL
            text = buffer.getvalue()
            if "\x00" not in text:
                table.staging.write_text(text, encoding="utf-8")
                conn.execute(table.copy_statement(), {"sep": _LIST_SEP})
                table.staging.unlink()
                return
        stmt = table.unwind_statement()
        keys = table.keys
        batch = [dict(zip(keys, row, strict=True)) for row in rows]
        for i in range(0, len(batch), _BATCH):
            conn.execute(stmt, {"rows": batch[i : i + _BATCH]})

    @staticmethod
    def _count(conn: ladybug.Connection) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind in NodeKind:
            rows = _all_rows(conn, f"MATCH (n:{kind.value}) RETURN count(n)")
            counts[kind.value] = int(rows[0][0])
        for rtype in RelType:
            rows = _all_rows(conn, f"MATCH ()-[r:{rtype.value}]->() RETURN count(r)")
            counts[rtype.value] = int(rows[0][0])
        return counts

    def _prune(self, current: Path) -> None:
        """Delete old generations: all but the newest few and those swapped in lately.

        Readers that have a generation open keep reading it after it is deleted (POSIX);
        the grace period covers a reader that resolved the link but has not opened yet.
        """
        gens = sorted(self.generations.glob("*.lbug"), key=lambda p: p.name, reverse=True)
        keep = {current}
        keep.update(gens[:_KEEP_GENERATIONS])
        cutoff = time.time() - _PRUNE_GRACE_S
        for gen in gens:
            with contextlib.suppress(FileNotFoundError):
                if gen.stat().st_mtime > cutoff:
                    keep.add(gen)
            if gen not in keep:
                for f in (gen, gen.with_suffix(".json"), Path(str(gen) + ".wal")):
                    with contextlib.suppress(FileNotFoundError):
                        f.unlink()

    # -- reads -------------------------------------------------------------------------
    def _info(self) -> StoreInfo:
        return self._handle()[2]

    def _read_graph(self) -> tuple[StoreInfo, Snapshot]:
        _, db, info = self._handle()
        conn = ladybug.Connection(db)
        try:
            nodes: list[Node] = []
            for kind in NodeKind:
                for (props,) in _all_rows(conn, f"MATCH (n:{kind.value}) RETURN n"):
                    nodes.append(Node(kind, _clean(props)))
            rels: list[Rel] = []
            query = "MATCH (a)-[r:{}]->(b) RETURN a.id, b.id, r"
            for rtype in RelType:
                for source, target, props in _all_rows(conn, query.format(rtype.value)):
                    rels.append(Rel(rtype, str(source), str(target), _clean(props)))
        finally:
            conn.close()
        return info, to_networkx(nodes, rels)

    def _translate(self, cypher: str, params: dict[str, Any]) -> str:
        return translate(cypher, params).text  # Neo4j's Cypher, run with Neo4j's meaning

    def _run_read(
        self, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        # A console query runs in a killable worker process on its own read-only handle
        # (graph/console/sandbox.py): ladybug's interrupt cannot stop a long single operator.
        target, _, _ = self._handle()
        return explained(shared_pool().run, target, cypher, params, timeout_s, max_rows)

    def _close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open[1].close()
                self._open = None


def read_query(
    db: ladybug.Database, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
) -> tuple[list[str], list[list[Any]], bool]:
    """Run one read-only console query on ``db`` with a cooperative time limit and a row cap.

    The engine checks its own timeout only between operators; the watchdog interrupts
    long single operators where it can, and the deadline is enforced on fetch. What this
    cannot stop, the worker pool that calls it stops by killing the process.
    """
    conn = ladybug.Connection(db)
    conn.set_query_timeout(max(1, int(timeout_s * 1000)))
    watchdog = threading.Timer(timeout_s, conn.interrupt)
    watchdog.daemon = True
    deadline = time.monotonic() + timeout_s
    watchdog.start()
    try:
        try:
            result = conn.execute(cypher, params)
        except RuntimeError as exc:
            message = str(exc)
            if "interrupt" in message.lower() or "timeout" in message.lower():
                raise QueryTimeout(timeout_message(timeout_s)) from None
            raise QueryError(message) from None
        if isinstance(result, list):  # several statements: refuse rather than guess
            raise QueryError("run one statement at a time")
        columns = list(result.get_column_names())
        raw: list[list[Any]] = []
        truncated = False
        while result.has_next():
            if len(raw) >= max_rows:
                truncated = True
                break
            if time.monotonic() > deadline:
                raise QueryTimeout(timeout_message(timeout_s))
            raw.append(list(result.get_next()))
        ids = _node_ids(raw)
        return columns, [[_value(v, ids) for v in row] for row in raw], truncated
    finally:
        watchdog.cancel()
        conn.close()


def _node_ids(value: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """Internal node id (as text) to the node's ``id`` property, for every node in ``value``."""
    found = {} if found is None else found
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value and "_SRC" not in value and "id" in value:
            found[str(value["_ID"])] = str(value["id"])
        for v in value.values():
            _node_ids(v, found)
    elif isinstance(value, list):
        for v in value:
            _node_ids(v, found)
    return found


def _value(value: Any, ids: dict[str, str] | None = None) -> Any:
    """Drop ladybug's internal keys from nodes and relationships in console results.

    A relationship gets ``_source``/``_target`` node ids when the result holds its ends
    (as the Neo4j store does), so a front end can draw it.
    """
    ids = ids or {}
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            ends = {
                key: ids[str(value[internal])]
                for key, internal in (("_source", "_SRC"), ("_target", "_DST"))
                if str(value.get(internal)) in ids
            }
            return {"_type": value["_LABEL"], **ends, **_clean(value)}
        if "_LABEL" in value:
            return {
                "_label": value["_LABEL"],
                **{k: v for k, v in _clean(value).items() if v is not None},
            }
        return {k: _value(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v, ids) for v in value]
    return value
