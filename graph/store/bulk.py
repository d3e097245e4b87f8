"""Writing a whole graph into a new embedded (ladybug) database: the bulk path of a load.

The schema comes from the model (:func:`graph.store.cypher.schema_ddl`); every statement
is in :mod:`graph.store.cypher`. Each node table, and each (type,
from kind, to kind) part of a relationship table, is staged as a CSV and read by the
engine's ``COPY``; values a CSV cannot carry exactly take parameter batches instead
(:func:`stage`). The staging CSV is built column by column (checks, list joins and
quoting are a few C-level passes over each column, not a call per cell: 0.44 s to
0.25 s at x100). One :class:`Writer` thread owns the new database (automatic
checkpoints off, one checkpoint at the end, one engine thread fewer than the CPUs:
:func:`~graph.store.threads.writer_threads`), so the engine reads one table while Python
stages the next, or validates the next file: :func:`write_parts` takes the graph part by
part, as the loader hands it over; the tables queued meanwhile go to the engine as one
query (:func:`run_steps`). ``graph.store.embedded`` swaps the generation in when every
part came and the counts match.
"""

from __future__ import annotations

import math
import queue
import shutil
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
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
from graph.store.threads import quick_handoffs, writer_threads

__all__ = [
    "Step",
    "Writer",
    "Written",
    "all_rows",
    "copy_tables",
    "count_rows",
    "run_steps",
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
        """``COPY`` from a typed scan of the staging CSV; lists are split on ``_LIST_SEP``."""
        return cypher.embedded_copy(self.name, self.columns, self.staging, self.ends, _LIST_SEP)

    def unwind_statement(self) -> str:
        """The parameter-batch insert of this table (for values a CSV cannot carry)."""
        if self.ends is None:
            return cypher.EMBEDDED_CREATE_NODES[NodeKind(self.name)]
        return cypher.EMBEDDED_CREATE_RELS[(RelType(self.name), *self.ends)]


_REL_ENDS = (Property("source", required=True), Property("target", required=True))
#: Joins list items in the staging CSV: a control character the loader never lets through.
_LIST_SEP = "\x1f"
_INT64 = (-(2**63), 2**63 - 1)
_TEXT_TYPES = {str, type(None)}
#: What makes a text field need quotes in the staging CSV.
_QUOTE_FOR = ('"', ",", "\n", "\r")


def _staged_columns(table: _Table, rows: Sequence[Sequence[Value]]) -> list[Sequence[str]] | None:
    """Each column of ``rows`` as the staging CSV's fields, or None if a value would not
    survive the CSV.

    The CSV cannot tell an empty string, an empty list or a list of one empty string from
    NULL, nor carry a NUL byte, a list item holding the separator or a non-finite number.
    The loader never produces those; other callers may, and they get the parameter path.
    The checks and the quoting run over whole columns (a few C-level passes each), not
    cell by cell: the staging CSV is most of a load's Python work after validation.
    """
    if any(c in str(table.staging) for c in "'\\"):
        return None
    out: list[Sequence[str]] = []
    for prop, column in zip(table.columns, zip(*rows, strict=True), strict=True):
        if "" in column:
            return None
        texts: Sequence[str | None] | None
        if prop.type is PropType.STRING_LIST:
            texts = _joined(column)
        elif prop.type is PropType.STRING:
            texts = column if set(map(type, column)) <= _TEXT_TYPES else None
        elif prop.type is PropType.DOUBLE and not _finite(column):
            return None
        else:
            out.append(["" if v is None else str(v) for v in column])
            continue
        fields = None if texts is None else _quoted(texts)
        if fields is None:
            return None
        out.append(fields)
    return out


def _joined(column: Sequence[Value]) -> list[str | None] | None:
    """A list column with each list's items joined by :data:`_LIST_SEP`, or None if a
    value is not a non-empty list of non-empty strings without the separator."""
    present = [v for v in column if v is not None]
    if not present:
        return [None] * len(column)
    if set(map(type, present)) != {list}:
        return None
    try:
        joined = [None if v is None else _LIST_SEP.join(v) for v in column]  # type: ignore[arg-type]
    except TypeError:  # an item that is not a string
        return None
    whole = _LIST_SEP.join(j for j in joined if j is not None)
    items = sum(map(len, present))  # type: ignore[arg-type]
    # Every separator is one the joins added (no item holds one), and no item is empty
    # (an empty item leaves a separator at an end or two in a row).
    if whole.count(_LIST_SEP) != items - 1 or not whole:
        return None
    if whole[0] == _LIST_SEP or whole[-1] == _LIST_SEP or _LIST_SEP * 2 in whole:
        return None
    return joined


def _finite(column: Sequence[Value]) -> bool:
    """Whether every value of a number column is None or a finite number."""
    present = [v for v in column if v is not None]
    try:
        return all(isinstance(v, int | float) for v in present) and all(
            map(math.isfinite, present)  # type: ignore[arg-type]
        )
    except OverflowError:  # an integer too large for a double
        return False


def _quoted(texts: Sequence[str | None]) -> Sequence[str] | None:
    """Text fields for the CSV, NULL as an empty unquoted field; None if a text holds a
    NUL byte. The whole column is escaped by a few passes over one joined string (NUL
    marks the field boundaries): each text between double quotes, a quote doubled; or,
    when no text holds a quote, a comma or a line break, each as it is (the engine reads
    an unquoted field verbatim, spaces, backslashes and all; no text is empty)."""
    has_null = None in texts
    strings = ["" if t is None else t for t in texts] if has_null else texts
    text = "\x00".join(strings)  # type: ignore[arg-type]
    if text.count("\x00") != len(strings) - 1:
        return None
    if not any(c in text for c in _QUOTE_FOR):
        return strings  # type: ignore[return-value]
    escaped = text.replace('"', '""').replace("\x00", '"\x00"')
    fields = f'"{escaped}"'.split("\x00")
    if has_null:  # a NULL became '""'; no value is empty, so no other field is
        fields = ["" if f == '""' else f for f in fields]
    return fields


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


@dataclass(frozen=True)
class Step:
    """One table's write, run by the writer thread on the new database's connection: a
    ``COPY`` from its staging CSV, or (``rows`` given) parameter batches."""

    table: _Table
    rows: Sequence[Sequence[Value]] | None = None

    def __call__(self, conn: ladybug.Connection) -> None:
        run_steps(conn, [self])


class Writer:
    """A new generation's database, written by one thread while the loader stages tables.

    The thread creates the database (automatic checkpoints off, the engine threads of
    :func:`~graph.store.threads.writer_threads`) and its schema, runs the steps in order as
    they arrive (those queued meanwhile together, :func:`run_steps`), then checkpoints once
    and counts what it holds. After a failure or :meth:`abort` the remaining steps are
    skipped; :meth:`finish` waits, closes and raises the failure.
    """

    def __init__(self, target: Path) -> None:
        self._steps: queue.SimpleQueue[Step | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._aborted = False
        self._ended = False  # the loader's last step was taken
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
            db = ladybug.Database(
                str(target), auto_checkpoint=False, max_num_threads=writer_threads()
            )
        except BaseException as exc:
            self._fail(exc)
            return
        try:
            conn = ladybug.Connection(db)
            conn.execute(";".join(schema_ddl()))  # one query: no wait for the GIL between
            while steps := self._queued():
                if not self._aborted:
                    run_steps(conn, steps)
            if not self._aborted:
                conn.execute("CHECKPOINT")
                self._counts = count_rows(conn)
            conn.close()
        except BaseException as exc:
            self._fail(exc)
        finally:
            db.close()

    def _queued(self) -> list[Step]:
        """Every step queued (waiting for the first); none once the last was taken."""
        steps: list[Step] = []
        while not self._ended:
            try:
                step = self._steps.get(block=not steps)
            except queue.Empty:
                break
            if step is None:
                self._ended = True
            else:
                steps.append(step)
        return steps

    def _fail(self, exc: BaseException) -> None:
        self._error = exc
        while not self._ended:  # the loader may still put steps
            self._ended = self._steps.get() is None


def stage(table: _Table, rows: Sequence[Sequence[Value]]) -> Step:
    """Stage one table's rows as a CSV for COPY, or keep them for parameter batches.

    Runs in the loading thread; the step it returns runs in the writer thread. Text
    fields are always quoted; numbers and booleans never need to be; NULL is an empty
    field.
    """
    columns = _staged_columns(table, rows) if rows else None
    if columns is not None:
        header = ",".join(f"c{i}" for i in range(len(columns)))
        body = "\n".join(map(",".join, zip(*columns, strict=True)))
        table.staging.write_text(f"{header}\n{body}\n", encoding="utf-8")
        return Step(table)
    return Step(table, rows)


def run_steps(conn: ladybug.Connection, steps: Sequence[Step]) -> None:
    """Run ``steps`` in order. Consecutive COPYs go to the engine as one query of several
    statements: it runs them back to back, where one call each would come back to Python
    between them, and the writer thread would wait there for the loading thread to let go
    of the GIL (a long C call such as parsing a file holds it)."""
    copies: list[_Table] = []
    for step in steps:
        if step.rows is None:
            copies.append(step.table)
            continue
        copy_tables(conn, copies)
        copies = []
        write_table(conn, step.table, step.rows)
    copy_tables(conn, copies)


def copy_tables(conn: ladybug.Connection, tables: Sequence[_Table]) -> None:
    """``COPY`` each staged table from its CSV, in one query, and delete the CSVs."""
    if tables:
        conn.execute(";".join(table.copy_statement() for table in tables))
    for table in tables:
        table.staging.unlink()


def write_table(
    conn: ladybug.Connection, table: _Table, rows: Sequence[Sequence[Value]] | None
) -> None:
    """Write one staged table (``rows`` None: by COPY from its CSV) or parameter batches."""
    if rows is None:
        copy_tables(conn, [table])
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
    return write_parts(target, [data]).counts


@dataclass(frozen=True)
class Written:
    """What :func:`write_parts` wrote: the counts the database holds and those it was
    handed, and the graph's version and meta (the parts themselves are let go)."""

    counts: dict[str, int]
    expected: dict[str, int]
    version: str
    meta: dict[str, str]


def write_parts(target: Path, parts: Iterable[GraphData]) -> Written:
    """Write the union of ``parts`` into a new database at ``target``, each part as it
    comes; return what it holds and what it was handed (:class:`Written`).

    Each table is written to a staging CSV beside the database and read by the engine's
    COPY (tens of times faster than ``UNWIND ... CREATE``); a table that several parts
    fill gets one COPY per part. A :class:`Writer` thread owns the database and runs each
    COPY while this thread stages the next table, or takes the next part from the loader
    (which validates it meanwhile: the engine works outside the GIL, mostly). Once every
    part is handed over, this thread takes the counts and the version and lets the parts
    go while the engine finishes its last COPY and the checkpoint, so freeing them costs
    the load nothing. Meanwhile the threads hand the GIL over within 1 ms
    (:func:`~graph.store.threads.quick_handoffs`). If taking a part raises, the writer
    stops after the table it is writing and the error propagates; the caller deletes
    ``target``. No explicit transaction: nobody sees this file until the store's link
    swap, a failure deletes it, and one transaction over every COPY holds each table's
    buffers until the commit (about 20 MiB per table, whatever its size).
    """
    with quick_handoffs():  # the writer's every return from the engine is on the path
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
            whole = GraphData.joined(taken)
            expected, version, meta = whole.counts(), whole.fingerprint(), whole.meta
            del whole, taken, kinds  # freed while the engine works
        except BaseException:
            writer.abort()
            raise
        finally:
            try:
                counts = writer.finish()
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return Written(counts, expected, version, meta)
