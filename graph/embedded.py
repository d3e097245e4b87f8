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

from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.errors import GraphNotLoaded, GraphUnavailable, QueryError, QueryTimeout
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, PropType, RelType
from graph.settings import Settings
from graph.store import Store, StoreInfo

__all__ = ["EmbeddedStore"]

_DDL_TYPES = {
    PropType.STRING: "STRING",
    PropType.BOOL: "BOOLEAN",
    PropType.INT: "INT64",
    PropType.DOUBLE: "DOUBLE",
    PropType.STRING_LIST: "STRING[]",
}
_BATCH = 5000
_KEEP_GENERATIONS = 2


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
        target = self._current_target()
        with self._lock:
            if self._open is not None and self._open[0] == target:
                return self._open
            try:
                meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
                db = ladybug.Database(str(target), read_only=True)
            except (OSError, ValueError, RuntimeError) as exc:
                raise GraphUnavailable(f"cannot open the graph database {target}: {exc}") from exc
            if self._open is not None:
                self._open[1].close()
            info = StoreInfo(
                backend=self.backend,
                version=meta["version"],
                loaded_at=meta["loaded_at"],
                counts=meta["counts"],
                meta=meta.get("meta", {}),
            )
            self._open = (target, db, info)
            return self._open

    def _replace(self, data: GraphData) -> StoreInfo:
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
        db = ladybug.Database(str(target))
        try:
            conn = ladybug.Connection(db)
            for stmt in schema_ddl():
                conn.execute(stmt)
            conn.execute("BEGIN TRANSACTION")
            for kind, spec in NODE_KINDS.items():
                rows = [
                    {p: n.props.get(p) for p in spec.property_names}
                    for n in data.nodes
                    if n.kind is kind
                ]
                self._insert(conn, _node_insert(kind), rows)
            kinds = {n.id: n.kind for n in data.nodes}
            for rtype, rspec in REL_TYPES.items():
                for a, b in rspec.ends:
                    rows = [
                        {
                            "source": r.source,
                            "target": r.target,
                            **{p.name: r.props.get(p.name) for p in REL_PROPERTIES},
                        }
                        for r in data.rels
                        if r.type is rtype and kinds[r.source] is a and kinds[r.target] is b
                    ]
                    self._insert(conn, _rel_insert(rtype, a, b), rows)
            conn.execute("COMMIT")
            counts = self._count(conn)
            conn.close()
        finally:
            db.close()
        expected = data.counts()
        if counts != expected:
            raise GraphUnavailable(f"the database holds {counts} after writing {expected}")
        return counts

    @staticmethod
    def _insert(conn: ladybug.Connection, stmt: str, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), _BATCH):
            conn.execute(stmt, {"rows": rows[i : i + _BATCH]})

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
        """Delete old generations, keeping the newest few (open readers keep theirs)."""
        gens = sorted(self.generations.glob("*.lbug"), key=lambda p: p.name, reverse=True)
        keep = {current}
        keep.update(gens[:_KEEP_GENERATIONS])
        for gen in gens:
            if gen not in keep:
                for f in (gen, gen.with_suffix(".json"), Path(str(gen) + ".wal")):
                    with contextlib.suppress(FileNotFoundError):
                        f.unlink()

    # -- reads -------------------------------------------------------------------------
    def _info(self) -> StoreInfo:
        return self._handle()[2]

    def _read_graph(self) -> tuple[str, Snapshot]:
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
        return info.version, to_networkx(nodes, rels)

    def _run_read(
        self, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        _, db, _ = self._handle()
        conn = ladybug.Connection(db)
        conn.set_query_timeout(max(1, int(timeout_s * 1000)))
        # The engine checks its own timeout only between operators; the watchdog
        # interrupts long single operators too, and we enforce the deadline on fetch.
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
                    raise QueryTimeout(
                        f"the query ran past its time limit of {timeout_s:g} s and was stopped"
                    ) from None
                raise QueryError(message) from None
            if isinstance(result, list):  # several statements: refuse rather than guess
                raise QueryError("run one statement at a time")
            columns = list(result.get_column_names())
            rows: list[list[Any]] = []
            truncated = False
            while result.has_next():
                if len(rows) >= max_rows:
                    truncated = True
                    break
                if time.monotonic() > deadline:
                    raise QueryTimeout(
                        f"the query ran past its time limit of {timeout_s:g} s and was stopped"
                    )
                rows.append([_value(v) for v in list(result.get_next())])
            return columns, rows, truncated
        finally:
            watchdog.cancel()
            conn.close()

    def _close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open[1].close()
                self._open = None


def _value(value: Any) -> Any:
    """Drop ladybug's internal keys from nodes and relationships in console results."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            return {"_type": value["_LABEL"], **_clean(value)}
        if "_LABEL" in value:
            return {
                "_label": value["_LABEL"],
                **{k: v for k, v in _clean(value).items() if v is not None},
            }
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value
