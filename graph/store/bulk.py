"""Writing a whole graph into a new embedded (ladybug) database: the bulk path of a load.

The schema comes from the model (:func:`graph.store.cypher.schema_ddl`); every statement
is in :mod:`graph.store.cypher`. Each node table, and each (type,
from kind, to kind) part of a relationship table, is staged as a CSV and read by the
engine's ``COPY``; values a CSV cannot carry exactly take parameter batches instead
(:func:`stage`). One :class:`Writer` thread owns the new database (automatic
checkpoints off, one checkpoint at the end), so the engine reads one table while Python
stages the next, or validates the next file: :func:`write_parts` takes the graph part by
part, as the loader hands it over. ``graph.store.embedded`` swaps the generation in when
every part came and the counts match.
"""

from __future__ import annotations

import csv
import io
import math
import queue
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import ladybug

from graph.data import GraphData, Node, Rel, Value
from graph.errors import QueryError
from graph.model import (
    NODE_KINDS,
    REL_PROPERTIES,
    REL_TYPES,
    NodeKind,
    Property,
    PropType,
    RelType,
)
from graph.store import cypher

__all__ = [
    "Step",
    "Writer",
    "all_rows",
    "count_rows",
    "schema_ddl",
    "stage",
    "tables",
    "write_graph",
    "write_parts",
    "write_table",
]

_BATCH = 5000
#: The embedded schema (kept under this name for the bench and tests).
schema_ddl = cypher.schema_ddl


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
        return cypher.embedded_copy(self.name, self.columns, self.staging, self.ends)

    def unwind_statement(self) -> str:
        """The parameter-batch insert of this table (for values a CSV cannot carry)."""
        if self.ends is None:
            return cypher.EMBEDDED_CREATE_NODES[NodeKind(self.name)]
        return cypher.EMBEDDED_CREATE_RELS[(RelType(self.name), *self.ends)]


_REL_ENDS = (Property("source", required=True), Property("target", required=True))
#: Joins list items in the staging CSV: a control character the loader never lets through.
_LIST_SEP = "\x1f"
_INT64 = (-(2**63), 2**63 - 1)


def _staged_rows(table: _Table, rows: Sequence[Sequence[Value]]) -> list[list[Value]] | None:
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


def all_rows(
    conn: ladybug.Connection, query: str, params: dict[str, Any] | None = None
) -> list[list[Any]]:
    """Every row of one statement's result, as lists."""
    result = conn.execute(query, params or {})
    if isinstance(result, list):
        raise QueryError("run one statement at a time")
    return [list(row) for row in result.get_all()]


def tables(
    data: GraphData, staging: Path, kinds: dict[str, NodeKind] | None = None, tag: str = ""
) -> Iterator[tuple[_Table, list[tuple[Value, ...]]]]:
    """Every node table, then every (type, from, to) relationship table, with its rows.

    For one part of a graph written part by part, ``kinds`` holds the kind of every node
    of the earlier parts (this part's are added), and ``tag`` starts this part's staging
    file names, so two parts' files for one table never meet.
    """
    kinds = {} if kinds is None else kinds
    by_kind: dict[NodeKind, list[Node]] = {kind: [] for kind in NODE_KINDS}
    for n in data.nodes:
        by_kind[n.kind].append(n)
        kinds[n.id] = n.kind
    for kind, spec in NODE_KINDS.items():
        names = spec.property_names
        table = _Table(kind.value, spec.properties, staging / f"{tag}{kind.value}.csv")
        yield table, _values([n.props for n in by_kind[kind]], names)
    by_pair: dict[tuple[RelType, NodeKind, NodeKind], list[Rel]] = defaultdict(list)
    for r in data.rels:
        by_pair[(r.type, kinds[r.source], kinds[r.target])].append(r)
    for rtype, rspec in REL_TYPES.items():
        for a, b in rspec.ends:
            path = staging / f"{tag}{rtype.value}-{a.value}-{b.value}.csv"
            table = _Table(rtype.value, _REL_ENDS + REL_PROPERTIES, path, (a, b))
            rels = by_pair.get((rtype, a, b), [])
            values = _values([r.props for r in rels], _REL_NAMES)
            yield table, [(r.source, r.target, *v) for r, v in zip(rels, values, strict=True)]


_REL_NAMES = tuple(p.name for p in REL_PROPERTIES)


def _values(props: list[dict[str, Value]], names: tuple[str, ...]) -> list[tuple[Value, ...]]:
    """Each property dict's values of ``names``, in that order (a missing one is None)."""
    get = itemgetter(*names)  # one C call per row: the loader's rows have every name
    try:
        return [get(p) for p in props]
    except KeyError:
        return [tuple(p.get(name) for name in names) for p in props]


#: One table's write, run by the writer thread on the new database's connection.
Step = Callable[[ladybug.Connection], None]


class Writer:
    """A new generation's database, written by one thread while the loader stages tables.

    The thread creates the database (automatic checkpoints off) and its schema, runs the
    steps in order as they arrive, then checkpoints once and counts what it holds. After
    a failure or :meth:`abort` the remaining steps are skipped; :meth:`finish` waits,
    closes and raises the failure.
    """

    def __init__(self, target: Path) -> None:
        self._steps: queue.SimpleQueue[Step | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._aborted = False
        self._counts: dict[str, int] = {}
        self._thread = threading.Thread(
            target=self._run, args=(target,), name="gcx-load-writer", daemon=True
        )
        self._thread.start()

    def put(self, step: Step) -> None:
        self._steps.put(step)

    def abort(self) -> None:
        self._aborted = True

    def finish(self) -> dict[str, int]:
        self._steps.put(None)
        self._thread.join()
        if self._error is not None and not self._aborted:
            raise self._error
        return self._counts

    def _run(self, target: Path) -> None:
        try:
            db = ladybug.Database(str(target), auto_checkpoint=False)
        except BaseException as exc:
            self._fail(exc)
            return
        ended = False
        try:
            conn = ladybug.Connection(db)
            for stmt in schema_ddl():
                conn.execute(stmt)
            while (step := self._steps.get()) is not None:
                if not self._aborted:
                    step(conn)
            ended = True
            if not self._aborted:
                conn.execute("CHECKPOINT")
                self._counts = count_rows(conn)
            conn.close()
        except BaseException as exc:
            self._fail(exc, drain=not ended)
        finally:
            db.close()

    def _fail(self, exc: BaseException, *, drain: bool = True) -> None:
        self._error = exc
        while drain and self._steps.get() is not None:  # the loader may still put steps
            pass


def stage(table: _Table, rows: Sequence[Sequence[Value]]) -> Step:
    """Stage one table's rows as a CSV for COPY, or keep them for parameter batches.

    Runs in the loading thread; the step it returns runs in the writer thread (and
    calls :func:`write_table`).
    """
    staged = _staged_rows(table, rows) if rows else None
    if staged is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([f"c{i}" for i in range(len(table.columns))])
        writer.writerows(staged)  # None is written empty, which the scan reads as NULL
        text = buffer.getvalue()
        if "\x00" not in text:
            table.staging.write_text(text, encoding="utf-8")
            return lambda conn: write_table(conn, table, None)
    return lambda conn: write_table(conn, table, rows)


def write_table(
    conn: ladybug.Connection, table: _Table, rows: Sequence[Sequence[Value]] | None
) -> None:
    """Write one staged table (``rows`` None: by COPY from its CSV) or parameter batches."""
    if rows is None:
        conn.execute(table.copy_statement(), {"sep": _LIST_SEP})
        table.staging.unlink()
        return
    stmt = table.unwind_statement()
    keys = table.keys
    batch = [dict(zip(keys, row, strict=True)) for row in rows]
    for i in range(0, len(batch), _BATCH):
        conn.execute(stmt, {"rows": batch[i : i + _BATCH]})


def count_rows(conn: ladybug.Connection) -> dict[str, int]:
    """Nodes per label and relationships per type, as the database holds them."""
    counts: dict[str, int] = {}
    for kind in NodeKind:
        rows = all_rows(conn, cypher.COUNT_NODES[kind])
        counts[kind.value] = int(rows[0][0])
    for rtype in RelType:
        rows = all_rows(conn, cypher.COUNT_RELS[rtype])
        counts[rtype.value] = int(rows[0][0])
    return counts


def write_graph(target: Path, data: GraphData) -> dict[str, int]:
    """Write ``data`` into a new database at ``target``; return the counts it holds."""
    return write_parts(target, [data])[1]


def write_parts(target: Path, parts: Iterable[GraphData]) -> tuple[GraphData, dict[str, int]]:
    """Write the union of ``parts`` into a new database at ``target``, each part as it
    comes; return the union (the parts' objects, not copies) and the counts it holds.

    Each table is written to a staging CSV beside the database and read by the engine's
    COPY (tens of times faster than ``UNWIND ... CREATE``); a table that several parts
    fill gets one COPY per part. A :class:`Writer` thread owns the database and runs each
    COPY while this thread stages the next table, or takes the next part from the loader
    (which validates it meanwhile: the engine works outside the GIL). If taking a part
    raises, the writer stops after the table it is writing and the error propagates; the
    caller deletes ``target``. No explicit transaction: nobody sees this file until the
    store's link swap, a failure deletes it, and one transaction over every COPY holds
    each table's buffers until the commit (about 20 MiB per table, whatever its size).
    """
    staging = target.with_suffix(".staging")
    staging.mkdir()
    writer = Writer(target)
    taken: list[GraphData] = []
    kinds: dict[str, NodeKind] = {}
    try:
        for part in parts:
            taken.append(part)
            for table, rows in tables(part, staging, kinds, f"{len(taken)}-"):
                if rows:
                    writer.put(stage(table, rows))
    except BaseException:
        writer.abort()
        raise
    finally:
        try:
            counts = writer.finish()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return GraphData.joined(taken), counts
