"""Read and validate a dataset folder in the canonical CSV format (``docs/data-format.md``).

Everything is validated before anything is written: encodings, headers, required fields,
types, id uniqueness across the graph, relationship types, ends and their kinds, and
duplicates. Every problem is reported as ``file:line: message``; a dataset with any
problem yields no ``GraphData`` at all.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import cast

from graph.data import GraphData, Node, Rel, Value
from graph.model import (
    BASES,
    NODE_KINDS,
    REL_PROPERTIES,
    REL_TYPES,
    Column,
    NodeKind,
    RelType,
)
from loaders.cells import LIST_SEPARATOR, convert_column, show
from loaders.csvfile import MAX_FIELD, MAX_FILE_BYTES, CsvReader, DatasetError, Problem
from loaders.curation import (
    CURATION_FILE,
    SECTORS_FILE,
    NodeIndex,
    node_index,
    read_curated_links,
    read_sectors,
)

__all__ = [
    "FILE_READERS",
    "LIST_SEPARATOR",
    "MAX_FIELD",
    "MAX_FILE_BYTES",
    "DatasetError",
    "Problem",
    "collector_paused",
    "read_dataset",
    "read_parts",
]

REL_FILE = "relationships.csv"
META_FILE = "meta.csv"
REL_COLUMNS = ("type", "source", "target", *(p.name for p in REL_PROPERTIES))
REL_OPTIONAL = tuple(p.name for p in REL_PROPERTIES if p.column is Column.OPTIONAL)
META_COLUMNS = ("key", "value", "source_url")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$")


@dataclass
class _Dataset:
    """What the file readers have read so far, and the reader that collects problems."""

    reader: CsvReader
    nodes: list[Node] = field(default_factory=list)
    #: Node id -> (file, line, kind) of where it was read.
    where: dict[str, tuple[str, int, NodeKind]] = field(default_factory=dict)
    #: Node id -> kind (the same nodes).
    kinds: dict[str, NodeKind] = field(default_factory=dict)
    rels: list[Rel] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    #: The nodes by id, for the curation files: built once, only if one of them has rows.
    index: NodeIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = node_index(self.nodes)

    def partial_nodes(self) -> list[str]:
        """The node files that could not be read whole (their ids cannot be checked)."""
        node_files = {spec.file for spec in NODE_KINDS.values()}
        return [f for f in self.reader.incomplete if f in node_files]


def _read_nodes(kind: NodeKind, ds: _Dataset) -> None:
    """One node file (``themes.csv``, ``challenges.csv``, ...): typed properties, required
    values, well-formed ids unique across the whole graph."""
    spec = NODE_KINDS[kind]
    reader, file = ds.reader, spec.file
    lines, cells = reader.columns(file, spec.columns, optional=spec.optional_columns)
    by_column = dict(zip(spec.columns, cells, strict=True))
    bad: set[int] = set()
    values: list[Sequence[Value]] = []
    for prop in spec.properties:
        if prop.column is Column.DERIVED:
            values.append([None] * len(lines))  # set from the curation files (sectors.csv)
            continue
        column, wrong = convert_column(
            reader, file, lines, prop.name, prop.type, by_column[prop.name]
        )
        bad.update(wrong)
        if prop.required and (None in column or [] in column):
            for i, value in enumerate(column):
                if (value is None or value == []) and i not in wrong:
                    reader.problem(file, lines[i], f"{prop.name}: required, but empty")
                    bad.add(i)
        values.append(column)
    names = spec.property_names
    where, nodes = ds.where, ds.nodes
    ids = cast("list[str]", values[0])  # the id comes first; all text if nothing is bad
    if not bad and _new_ids(ids, where):  # the usual file: every row is a node
        where.update(zip(ids, zip(repeat(file), lines, repeat(kind)), strict=True))
        ds.kinds.update(dict.fromkeys(ids, kind))
        rows = zip(*values, strict=True)
        nodes.extend([Node(kind, dict(zip(names, row, strict=True))) for row in rows])
        return
    for i, row in enumerate(zip(*values, strict=True)):
        nid, line, ok = row[0], lines[i], i not in bad  # the id comes first
        if isinstance(nid, str):
            if not ID_PATTERN.match(nid):
                message = f"id {show(nid)}: use letters, digits and . _ : ~ - only (at most 200)"
                reader.problem(file, line, message)
                ok = False
            if nid in where:
                first_file, first_line, _ = where[nid]
                message = f"duplicate id {nid!r} (first at {first_file}:{first_line})"
                reader.problem(file, line, message)
                ok = False
        if ok:
            where[str(nid)] = (file, line, kind)
            ds.kinds[str(nid)] = kind
            nodes.append(Node(kind, dict(zip(names, row, strict=True))))


def _new_ids(ids: list[str], where: dict[str, tuple[str, int, NodeKind]]) -> bool:
    """Whether every id of a file is well formed and new (in the file and the graph),
    decided over the whole column; else the rows are looked at one by one."""
    return (
        all(map(ID_PATTERN.match, ids))
        and len(set(ids)) == len(ids)
        and where.keys().isdisjoint(ids)
    )


#: Relationship types by name, and the (from, to) kinds each joins.
_REL_TYPES = {t.value: t for t in RelType}
_REL_ENDS = {t: frozenset(spec.ends) for t, spec in REL_TYPES.items()}
#: Every (type, from kind, to kind) a relationship may have.
_REL_JOINS = {(t, a, b) for t, ends in _REL_ENDS.items() for a, b in ends}


#: Relationships checked, then handed over, at a time (at least; up to the next change of
#: type): the engine copies one batch while the next is checked.
REL_BATCH = 10_000


def _read_relationships(ds: _Dataset) -> Iterator[None]:
    """``relationships.csv``: known types, existing ends of the kinds the type joins, a
    basis with its evidence, no duplicates. Yields after each batch of rows is checked
    (its relationships may be handed over then)."""
    # A node file that could not be read whole would make every relationship to its
    # nodes an error too; report the cause once instead of burying it under those.
    partial_nodes = ds.partial_nodes()
    reader = ds.reader
    lines, cells = reader.columns(REL_FILE, REL_COLUMNS, optional=REL_OPTIONAL)
    types = [_REL_TYPES.get(text.strip()) for text in cells[0]]
    unknown = {i for i, rtype in enumerate(types) if rtype is None}
    for i in sorted(unknown):
        known = ", ".join(t.value for t in RelType)
        text = cells[0][i].strip()
        reader.problem(REL_FILE, lines[i], f"unknown relationship type {show(text)} ({known})")
    unchecked = 0
    seen: dict[tuple[str, str, str], int] = {}
    start = 0
    while start < len(lines):
        # A batch ends where the type changes: in a file sorted by type (as ours are),
        # each table then gets one COPY (a second COPY into a table costs more to check-
        # point than it saves).
        stop = min(start + REL_BATCH, len(lines))
        while stop < len(lines) and types[stop] is types[stop - 1]:
            stop += 1
        batch = slice(start, stop)
        quiet = {i - start for i in unknown if start <= i < stop}
        unchecked += _check_batch(
            ds, lines[batch], [c[batch] for c in cells], types[batch], quiet, seen, partial_nodes
        )
        start = stop
        yield
    if unchecked:
        reader.problem(
            REL_FILE,
            0,
            f"{unchecked} relationship end(s) name ids that are not loaded; they cannot be "
            f"checked until {', '.join(partial_nodes)} can be read",
        )


def _check_batch(
    ds: _Dataset,
    lines: list[int],
    cells: list[tuple[str, ...]],
    types: list[RelType | None],
    unknown: set[int],
    seen: dict[tuple[str, str, str], int],
    partial_nodes: list[str],
) -> int:
    """Check one batch of relationship rows (``unknown``: those of no known type, already
    reported) and keep the good ones; how many ends could not be checked."""
    reader = ds.reader
    bad: set[int] = set(unknown)
    props: list[list[Value]] = []
    for prop, column in zip(REL_PROPERTIES, cells[3:], strict=True):
        values, wrong = convert_column(
            reader, REL_FILE, lines, prop.name, prop.type, column, quiet=unknown
        )
        bad.update(wrong)
        props.append(values)
    if not bad and (clean := _clean_batch(ds, cells, types, props, seen, lines)) is not None:
        ds.rels.extend(clean)
        return 0
    unchecked = 0
    for i, row in enumerate(zip(*props, strict=True)):
        rtype = types[i]
        if rtype is None:
            continue
        line, source, target = lines[i], cells[1][i].strip(), cells[2][i].strip()
        ok, missing_ends = _ends(ds, line, rtype, source, target, checkable=not partial_nodes)
        unchecked += missing_ends
        rprops = dict(zip(_REL_NAMES, row, strict=True))
        if not (_basis_ok(reader, line, rprops) and ok) or i in bad:
            continue
        key = (rtype.value, source, target)
        if key in seen:
            reader.problem(
                REL_FILE,
                line,
                f"duplicate relationship {rtype.value} {source!r} -> {target!r} "
                f"(first at line {seen[key]})",
            )
            continue
        seen[key] = line
        ds.rels.append(Rel(rtype, source, target, rprops))
    return unchecked


_REL_NAMES = tuple(p.name for p in REL_PROPERTIES)
_BASIS, _SOURCE_URL, _METHOD = (_REL_NAMES.index(n) for n in ("basis", "source_url", "method"))
#: (basis, has a source_url, has a method) of a clean relationship (:func:`_basis_ok`).
_BASIS_OK = {
    ("stated", True, False),
    ("stated", True, True),
    ("inferred", False, True),
    ("inferred", True, True),
}


def _clean_batch(
    ds: _Dataset,
    cells: list[tuple[str, ...]],
    types: list[RelType | None],
    props: list[list[Value]],
    seen: dict[tuple[str, str, str], int],
    lines: list[int],
) -> list[Rel] | None:
    """The relationships of a batch whose typed cells were all good, when every row is
    clean, decided over whole columns: a known type, ends that exist and are of kinds
    it joins, a basis with its evidence, no duplicate. None when a row is not (nothing
    noted: :func:`_check_batch` then looks at each row and says what is wrong)."""
    sources = [cell.strip() for cell in cells[1]]
    targets = [cell.strip() for cell in cells[2]]
    kinds = ds.kinds
    joins = zip(types, map(kinds.get, sources), map(kinds.get, targets), strict=True)
    if not set(joins) <= _REL_JOINS:
        return None  # an unknown type or a missing end is None, which is in no join
    has_url, has_method = map(bool, props[_SOURCE_URL]), map(bool, props[_METHOD])
    if not set(zip(props[_BASIS], has_url, has_method, strict=True)) <= _BASIS_OK:
        return None
    names = [t.value for t in types]  # type: ignore[union-attr]
    keys = list(zip(names, sources, targets, strict=True))
    if len(set(keys)) != len(keys) or not seen.keys().isdisjoint(keys):
        return None
    seen.update(zip(keys, lines, strict=True))
    rows = zip(types, sources, targets, zip(*props, strict=True), strict=True)
    return [Rel(t, s, g, dict(zip(_REL_NAMES, row, strict=True))) for t, s, g, row in rows]  # type: ignore[arg-type]


def _basis_ok(reader: CsvReader, line: int, rprops: dict[str, Value]) -> bool:
    """Whether a relationship's basis is known and has what it requires (else noted)."""
    basis = rprops["basis"]
    if basis not in BASES:
        shown = "an empty cell" if basis is None else show(str(basis))
        reader.problem(REL_FILE, line, f"basis: expected stated or inferred, not {shown}")
        return False
    if basis == "stated" and not rprops["source_url"]:
        reader.problem(REL_FILE, line, "source_url: required when basis is stated")
        return False
    if basis == "inferred" and not rprops["method"]:
        reader.problem(REL_FILE, line, "method: required when basis is inferred (say how)")
        return False
    return True


def _ends(
    ds: _Dataset, line: int, rtype: RelType, source: str, target: str, *, checkable: bool
) -> tuple[bool, int]:
    """Whether both ends exist and are of kinds ``rtype`` joins; and how many ends could
    not be checked (their node file was not read whole)."""
    where = ds.where
    if source in where and target in where:  # the usual relationship: one test each
        pair = (where[source][2], where[target][2])
        if pair in _REL_ENDS[rtype]:
            return True, 0
    ok, unchecked = True, 0
    for end, nid in (("source", source), ("target", target)):
        if not nid:
            ds.reader.problem(REL_FILE, line, f"{end}: required, but empty")
            ok = False
        elif nid not in where:
            if checkable:
                ds.reader.problem(REL_FILE, line, f"{end} {show(nid)} does not exist")
            else:
                unchecked += 1  # said once by the caller, not once per relationship
            ok = False
    if ok:
        pair = (where[source][2], where[target][2])
        allowed = REL_TYPES[rtype].ends
        ends = " or ".join(f"{a.value}->{b.value}" for a, b in allowed)
        ds.reader.problem(
            REL_FILE,
            line,
            f"{rtype.value} cannot join {pair[0].value} {source!r} to "
            f"{pair[1].value} {target!r} (it joins {ends})",
        )
        ok = False
    return ok, unchecked


def _read_meta(ds: _Dataset) -> None:
    """``meta.csv`` (optional): unique keys; ``map_challenge_count`` a whole number."""
    for line, row in ds.reader.rows(META_FILE, META_COLUMNS, required=False):
        meta_key = row["key"].strip()
        if not meta_key:
            ds.reader.problem(META_FILE, line, "key: required, but empty")
        elif meta_key in ds.meta:
            ds.reader.problem(META_FILE, line, f"duplicate key {show(meta_key)}")
        else:
            ds.meta[meta_key] = row["value"]
    if "map_challenge_count" in ds.meta:
        try:
            if int(ds.meta["map_challenge_count"]) < 0:
                raise ValueError
        except ValueError:
            ds.reader.problem(META_FILE, 0, "map_challenge_count: expected a whole number")


def _read_sectors(ds: _Dataset) -> None:
    """``sectors.csv`` (optional, kept by hand): each partner's sector (``loaders.curation``)."""
    read_sectors(ds.reader, ds.nodes, checkable=not ds.partial_nodes(), index=ds.index)


def _read_curation(ds: _Dataset) -> None:
    """``curation.csv`` (optional, kept by hand): the links judged item by item."""
    ds.rels.extend(
        read_curated_links(
            ds.reader, ds.nodes, ds.rels, checkable=not ds.partial_nodes(), index=ds.index
        )
    )


#: Every file of a dataset folder, in reading order, with the function that reads it into
#: the dataset being built (a generator yields where what it read so far may be handed
#: over): node files first (the relationships refer to their ids), then ``sectors.csv``
#: (it completes the partners, which are handed over only after it). To read a new file,
#: add a line here.
FILE_READERS: tuple[tuple[str, Callable[[_Dataset], Iterator[None] | None]], ...] = (
    *((spec.file, partial(_read_nodes, kind)) for kind, spec in NODE_KINDS.items()),
    (SECTORS_FILE, _read_sectors),
    (REL_FILE, _read_relationships),
    (META_FILE, _read_meta),
    (CURATION_FILE, _read_curation),
)
#: Node kinds a later file completes, and that file: their nodes are handed over after it.
COMPLETED_BY = {NodeKind.PARTNER: SECTORS_FILE}
#: Relationship types a later file adds to (curation.csv: curated ADDRESSES and ABOUT
#: links), and that file: a load hands them over after it, so the engine copies each
#: table once.
ADDED_TO_BY = {RelType.ADDRESSES: CURATION_FILE, RelType.ABOUT: CURATION_FILE}
_COMPLETING = {*COMPLETED_BY.values(), *ADDED_TO_BY.values()}


@dataclass
class _Handover:
    """What of the dataset read so far is clean and complete but not yet handed over."""

    ds: _Dataset
    #: The files read whole.
    done: set[str] = field(default_factory=set)
    nodes: int = 0  # how many of the dataset's nodes and relationships were looked at
    rels: int = 0
    #: Hold back the relationship types a later file adds to (:data:`ADDED_TO_BY`).
    whole_tables: bool = True
    #: Nodes of the kinds in ``held``: read, but not complete until a later file is read.
    pending: list[Node] = field(default_factory=list)
    held: set[NodeKind] = field(default_factory=lambda: set(COMPLETED_BY))
    #: Relationships of the types in ``held_rels``, held back until a later file is read.
    pending_rels: list[Rel] = field(default_factory=list)
    held_rels: set[RelType] = field(default_factory=set)

    def take(self) -> GraphData | None:
        """The next part to hand over, if there is one and no problem so far."""
        ds = self.ds
        if ds.reader.problems:
            return None  # the load will fail: nothing more to write
        new = ds.nodes[self.nodes :]
        held = {kind for kind, last in COMPLETED_BY.items() if last not in self.done}
        if held != self.held:  # a file completed some kinds: look at their nodes again
            new, self.pending, self.held = self.pending + new, [], held
        ready = [n for n in new if n.kind not in held]
        self.pending += [n for n in new if n.kind in held]
        new_rels = ds.rels[self.rels :]
        held_rels = {t for t, last in ADDED_TO_BY.items() if last not in self.done}
        held_rels = held_rels if self.whole_tables else set()
        if held_rels != self.held_rels:
            new_rels, self.pending_rels = self.pending_rels + new_rels, []
            self.held_rels = held_rels
        rels = [r for r in new_rels if r.type not in held_rels]
        self.pending_rels += [r for r in new_rels if r.type in held_rels]
        self.nodes, self.rels = len(ds.nodes), len(ds.rels)
        return GraphData(nodes=ready, rels=rels) if ready or rels else None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a load (restored after it).

    A load builds a few hundred thousand containers (rows, properties, nodes) and no
    cycles; the collector's passes over that growing heap free nothing and took a quarter
    of validation's time at x100 (``docs/benchmarks.md``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_parts(folder: Path, *, whole_tables: bool = True) -> Iterator[GraphData]:
    """Read and validate the dataset in ``folder`` file by file, handing over each part as
    soon as it is clean and complete: each node file's nodes (the partners once
    ``sectors.csv`` is read, if the folder has one), the relationships a batch at a time
    (:data:`REL_BATCH`; with ``whole_tables`` and a ``curation.csv``, those of the types
    it adds to only with the curated links), and last the meta with the hash of every file's bytes
    (``source_digest``, the version).

    After the first problem nothing more is handed over, but every file is still read,
    and :class:`DatasetError` lists every problem at the end: a consumer that writes the
    parts as they come (:meth:`graph.store.base.Store.replace_parts`) discards them then.

    >>> from graph.settings import BUNDLED_DATASET
    >>> parts = list(read_parts(BUNDLED_DATASET))
    >>> [p.nodes[0].kind.value for p in parts if p.nodes][-1], len(parts[-1].source_digest)
    ('Partner', 64)
    """
    if not folder.is_dir():
        raise DatasetError([Problem(str(folder), 0, "is not a folder")])
    ds = _Dataset(CsvReader(folder))
    handover = _Handover(ds, whole_tables=whole_tables)
    # A completing file that is not there completes nothing: nothing waits for it (at
    # x100 without curation.csv, the engine copies the links instead of idling).
    handover.done.update(f for f in _COMPLETING if not (folder / f).exists())
    for file, read in FILE_READERS:
        for _ in read(ds) or ():
            if part := handover.take():
                yield part
        handover.done.add(file)
        if part := handover.take():
            yield part
    if ds.reader.problems:
        raise DatasetError(ds.reader.problems)
    digest = ds.reader.digest.hexdigest()
    rest = handover.pending, handover.pending_rels  # empty once every file was read
    yield GraphData(nodes=rest[0], rels=rest[1], meta=ds.meta, source_digest=digest)


def read_dataset(folder: Path) -> GraphData:
    """Read and validate the dataset in ``folder``; raise :class:`DatasetError` on any problem.

    >>> from graph.settings import BUNDLED_DATASET
    >>> data = read_dataset(BUNDLED_DATASET)
    >>> data.counts()["Challenge"], data.counts()["Theme"]
    (27, 7)
    """
    with collector_paused():
        data = GraphData.joined(read_parts(folder, whole_tables=False))
    order = {kind: i for i, kind in enumerate(NODE_KINDS)}
    data.nodes.sort(key=lambda n: order[n.kind])  # the model's order, as the files list them
    return data
