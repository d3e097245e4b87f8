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
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ladybug

from graph.console.compat import explained, translate
from graph.console.sandbox import shared_pool
from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.errors import (
    GraphAlreadyLoaded,
    GraphNotLoaded,
    GraphUnavailable,
)
from graph.model import NodeKind, RelType
from graph.settings import Settings
from graph.store import cypher
from graph.store.base import Store, StoreInfo
from graph.store.bulk import Written, all_rows, schema_ddl, write_parts
from graph.store.housekeeping import load_lock, prune_leftovers

__all__ = ["EmbeddedStore", "schema_ddl"]

log = logging.getLogger(__name__)

_KEEP_GENERATIONS = 2
#: Generations written this recently are never pruned (see ``_prune``).
_PRUNE_GRACE_S = 60.0


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("_")}


def _no_address_space(exc: RuntimeError) -> bool:
    """Whether the engine failed to map memory (e.g. under ``ulimit -v``)."""
    text = str(exc).lower()
    return "mmap" in text or "allocate" in text


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
                return self._last_good(target)
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
                return self._last_good(target)
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

    def _last_good(self, bad: Path) -> tuple[Path, ladybug.Database, StoreInfo]:
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

    def _replace(self, data: GraphData, if_empty: bool) -> StoreInfo:
        return self._replace_parts((data,), if_empty)

    def _replace_parts(self, parts: Iterable[GraphData], if_empty: bool) -> StoreInfo:
        # One load at a time: a second one stops at once (LoadBusy); an --if-empty load
        # waits for the first instead, and then finds the graph it loaded.
        with load_lock(self.path, wait=if_empty):
            prune_leftovers(self.path, self.generations)
            return self._replace_locked(parts, if_empty)

    def _replace_locked(self, parts: Iterable[GraphData], if_empty: bool) -> StoreInfo:
        if if_empty and os.path.lexists(self.path):
            raise GraphAlreadyLoaded(f"{self.path} already holds a graph; it was left as it is")
        self.generations.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        tag = uuid.uuid4().hex[:6]
        # Written under a name without the version (known once every part has come), then
        # renamed: the database is closed by then, and no reader knows either name yet.
        building = self.generations / f"{stamp}-{tag}.lbug"
        target = building
        try:
            written = self._build(building, parts)
            version, counts = written.version, written.counts
            target = self.generations / f"{stamp}-{version}-{tag}.lbug"
            os.rename(building, target)
            sidecar = target.with_suffix(".json")
            loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
            meta = {
                "version": version,
                "loaded_at": loaded_at,
                "counts": counts,
                "meta": written.meta,
            }
            sidecar.write_text(json.dumps(meta, indent=1), encoding="utf-8")
            self._publish(target, if_empty)
        except BaseException:
            for gen in {building, target}:
                for leftover in (gen, gen.with_suffix(".json"), Path(str(gen) + ".wal")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
            raise
        self._prune(target)
        return StoreInfo(self.backend, version, loaded_at, counts, dict(written.meta))

    def _publish(self, target: Path, if_empty: bool) -> None:
        """Point the link at ``target``: the atomic switch readers see."""
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

    def _build(self, target: Path, parts: Iterable[GraphData]) -> Written:
        try:
            written = write_parts(target, parts)  # graph/store/bulk.py
        except RuntimeError as exc:
            if not _no_address_space(exc):
                raise
            log.error("the engine could not reserve memory for %s: %s", target.name, exc)
            raise GraphUnavailable(
                "the database engine could not reserve its address space (it maps a large "
                "range of virtual memory, not RAM): lift the limit (`ulimit -v unlimited`) "
                "and run `gcx load` again"
            ) from exc
        if written.counts != written.expected:
            raise GraphUnavailable(
                f"the database holds {written.counts} after writing {written.expected}"
            )
        return written

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

    def _rewrite(self, cypher: str, params: dict[str, Any]) -> str | None:
        translation = translate(cypher, params)  # Neo4j's Cypher, run with Neo4j's meaning
        return None if translation.rewritten_from is None else translation.text

    def _run_read(
        self, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool, str]:
        # A console query runs in a confined, killable worker process on its own read-only
        # handle (graph/console/sandbox.py): ladybug's interrupt cannot stop a long single
        # operator, and a worker can write nowhere and read only its generation.
        target, _, _ = self._handle()
        pool = shared_pool(self.settings.console_workers)
        return explained(pool.run, target, cypher, params, timeout_s, max_rows)

    def _close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open[1].close()
                self._open = None
