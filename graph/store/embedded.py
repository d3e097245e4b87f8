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
import logging
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

from graph.console.sandbox import shared_pool
from graph.data import GraphData, Node, Rel, Snapshot, Value, to_networkx
from graph.errors import GraphNotLoaded, GraphUnavailable, QueryError
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
from graph.store.housekeeping import load_lock, prune_leftovers

__all__ = ["EmbeddedStore"]

log = logging.getLogger(__name__)

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


def _open_failure(exc: RuntimeError) -> str:
    """A sentence for an engine that could not open a database file for writing."""
    text = str(exc)
    if "mmap" in text.lower() or "allocate" in text.lower():
        return (
            "the database engine could not reserve its address space (it maps a large "
            "range of virtual memory, not RAM): lift the limit (`ulimit -v unlimited`) "
            "and run `gcx load` again"
        )
    return "the database engine could not create the new graph file"


class EmbeddedStore(Store):
    """The graph in a ladybug database file (see the module docstring for the layout)."""

    backend = "embedded"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.path = settings.db_path
        self.generations = self.path.parent / (self.path.name + ".d")
        self._lock = threading.RLock()
        self._open: tuple[Path, ladybug.Database, StoreInfo] | None = None
        #: Generations found unreadable, and why (never retried: a generation never changes).
        self._bad: dict[Path, str] = {}

    # -- generations -------------------------------------------------------------------
    def _current_target(self) -> Path:
        try:
            target = os.readlink(self.path)
        except FileNotFoundError:
            raise GraphNotLoaded("no graph is loaded yet: run `gcx load` first") from None
        except OSError:
            log.error("%s is not a link to a generation made by `gcx load`", self.path)
            raise GraphUnavailable(
                "the configured database is not a graph made by `gcx load` (run `gcx load`)"
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
                raise GraphUnavailable("the graph database cannot be opened right now") from exc

    def _open_current(self) -> tuple[Path, ladybug.Database, StoreInfo]:
        target = self._current_target()
        with self._lock:
            if self._open is not None and self._open[0] == target:
                return self._open
            if target in self._bad:
                return self._last_good(target, self._bad[target])
            if not target.exists():
                raise FileNotFoundError(target)
            try:
                opened = self._open_generation(target)
            except GraphUnavailable as exc:
                # An unreadable generation (e.g. "checkpoint recovery pending"): keep
                # serving the last good one, and say why in the log, not to the reader.
                self._bad[target] = str(exc.__cause__ or exc)
                log.error("generation %s cannot be read (%s): serving the last good one",
                          target.name, self._bad[target])  # fmt: skip
                return self._last_good(target, self._bad[target])
            # The previous handle is not closed here: another thread may still be
            # reading through it. It closes when its last user lets go of it.
            self._open = opened
            return self._open

    def _open_generation(self, target: Path) -> tuple[Path, ladybug.Database, StoreInfo]:
        try:
            meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
            db = ladybug.Database(str(target), read_only=True)
        except FileNotFoundError:
            raise
        except (OSError, ValueError, RuntimeError) as exc:
            raise GraphUnavailable("the graph database cannot be opened") from exc
        info = StoreInfo(
            backend=self.backend,
            version=meta["version"],
            loaded_at=meta["loaded_at"],
            counts=meta["counts"],
            meta=meta.get("meta", {}),
        )
        return target, db, info

    def _last_good(self, bad: Path, why: str) -> tuple[Path, ladybug.Database, StoreInfo]:
        """The newest readable generation older than the unreadable ``bad`` one."""
        if self._open is not None and self._open[0] != bad:
            return self._open
        older = sorted(self.generations.glob("*.lbug"), key=lambda p: p.name, reverse=True)
        for gen in older:
            if gen.name >= bad.name or gen in self._bad:
                continue
            try:
                self._open = self._open_generation(gen)
            except (GraphUnavailable, FileNotFoundError) as exc:
                self._bad[gen] = str(exc)
                continue
            return self._open
        raise GraphUnavailable(
            "the graph database cannot be read right now; run `gcx load` to write it anew"
        )

    def _replace(self, data: GraphData) -> StoreInfo:
        with load_lock(self.path):  # one load at a time (LoadBusy otherwise)
            prune_leftovers(self.path, self.generations)
            return self._replace_locked(data)

    def _replace_locked(self, data: GraphData) -> StoreInfo:
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
            link = self.path.parent / f".{self.path.name}.{uuid.uuid4().hex}"
            os.symlink(os.path.relpath(target, self.path.parent), link)
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
        try:
            db = ladybug.Database(str(target))
        except RuntimeError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise GraphUnavailable(_open_failure(exc)) from exc
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

    def _run_read(
        self, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool, str]:
        # A console query runs in a confined, killable worker process on its own read-only
        # handle (graph/console/sandbox.py): ladybug's interrupt cannot stop a long single
        # operator, and a worker can write nowhere and read only its generation.
        target, _, _ = self._handle()
        return shared_pool().run(target, cypher, params, timeout_s, max_rows)

    def _close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open[1].close()
                self._open = None
