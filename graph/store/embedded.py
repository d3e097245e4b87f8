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
import json
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ladybug

from graph.console.compat import explained, translate
from graph.console.sandbox import shared_pool, timeout_message
from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.errors import (
    GraphAlreadyLoaded,
    GraphNotLoaded,
    GraphUnavailable,
    QueryError,
    QueryTimeout,
)
from graph.model import NodeKind, RelType
from graph.settings import Settings
from graph.store import cypher
from graph.store.base import Store, StoreInfo
from graph.store.bulk import all_rows, schema_ddl, write_graph

__all__ = ["EmbeddedStore", "read_query", "schema_ddl"]

_KEEP_GENERATIONS = 2
#: Generations written this recently are never pruned (see ``_prune``).
_PRUNE_GRACE_S = 60.0


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
        counts = write_graph(target, data)  # graph/store/bulk.py
        expected = data.counts()
        if counts != expected:
            raise GraphUnavailable(f"the database holds {counts} after writing {expected}")
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
                for (props,) in all_rows(conn, cypher.READ_NODES[kind]):
                    nodes.append(Node(kind, _clean(props)))
            rels: list[Rel] = []
            for rtype in RelType:
                for source, target, props in all_rows(conn, cypher.READ_RELS[rtype]):
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
