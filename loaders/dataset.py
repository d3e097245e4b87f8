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
    NODE_KINDS,
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
    stated_sectors,
)
from loaders.links import (
    REL_COLUMNS,
    REL_FILE,
    Links,
    links_ready,
    read_relationships,
)

__all__ = [
    "FILE_READERS",
    "LIST_SEPARATOR",
    "MAX_FIELD",
    "MAX_FILE_BYTES",
    "REL_COLUMNS",
    "REL_FILE",
    "DatasetError",
    "Problem",
    "collector_paused",
    "read_dataset",
    "read_parts",
]

META_FILE = "meta.csv"
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
    #: ``relationships.csv``, once read (:func:`parse_links`).
    links: Links | None = None
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
    values, well-formed ids unique across the whole graph. The partners get the basis of
    their sector here (:func:`loaders.curation.stated_sectors`): without a
    ``sectors.csv`` they are complete as they are read."""
    start = len(ds.nodes)
    _read_node_rows(kind, ds)
    if kind is NodeKind.PARTNER:
        stated_sectors(ds.nodes[start:])


def _read_node_rows(kind: NodeKind, ds: _Dataset) -> None:
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


#: The node files' reading order: the kinds the most relationships join first, so that
#: each type of relationship is checked and handed over as early as its ends allow
#: (:func:`links_ready`; ``ADDRESSES`` once the activities are read, not at the end).
NODE_READING_ORDER = (
    NodeKind.THEME,
    NodeKind.CHALLENGE,
    NodeKind.PARTNER,
    NodeKind.COMMITMENT,
    NodeKind.FOCUS_AREA,
    NodeKind.PROJECT_TEAM,
    NodeKind.ACTIVITY,
    NodeKind.RESOURCE,
    NodeKind.KEYSTONE,
)
#: A load checks relationships early (:func:`links_ready`) once this node file is read:
#: reading ``relationships.csv`` (the largest file) then overlaps the engine's copy of
#: the partners (the largest node table); right after the challenges, it left the engine
#: idle (x100, six alternated loads: 2.18 s against 2.38 s).
LINKS_FROM = NodeKind.PARTNER
#: Every file of a dataset folder, in reading order, with the function that reads it into
#: the dataset being built (a generator yields where what it read so far may be handed
#: over): node files first (the relationships refer to their ids), then ``sectors.csv``
#: (it completes the partners, which are handed over only after it). To read a new file,
#: add a line here.
FILE_READERS: tuple[tuple[str, Callable[[_Dataset], Iterator[None] | None]], ...] = (
    *((NODE_KINDS[kind].file, partial(_read_nodes, kind)) for kind in NODE_READING_ORDER),
    (SECTORS_FILE, _read_sectors),
    (REL_FILE, read_relationships),
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
    ``sectors.csv`` is read, if the folder has one), the relationships one type at a
    time, and last the meta with the hash of every file's bytes (``source_digest``, the
    version).

    With ``whole_tables`` (how a load reads, for a store that writes each part as it
    comes), each table is handed over whole, once: the relationships of the types a
    ``curation.csv`` adds to only with the curated links; and each type of relationship
    as soon as the nodes it joins have been handed over, while the other node files are
    still being read (its rows all clean; else it waits for ``relationships.csv``'s turn,
    which says what is wrong). Without, the relationships come in the file's order of
    types, after every node file.

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
    file_kinds = {spec.file: kind for kind, spec in NODE_KINDS.items()}
    read_kinds: set[NodeKind] = set()
    for file, read in FILE_READERS:
        for _ in read(ds) or ():
            if part := handover.take():
                yield part
        handover.done.add(file)
        if part := handover.take():
            yield part
        if whole_tables and file in file_kinds:  # a load: relationships as their ends come
            read_kinds.add(file_kinds[file])
            if LINKS_FROM not in read_kinds:
                continue
            for _ in links_ready(ds, read_kinds - handover.held):
                if part := handover.take():
                    yield part
    if ds.reader.problems:
        raise DatasetError(ds.reader.problems)
    digest = ds.reader.digest()
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
