"""Read and validate a dataset folder in the canonical CSV format (``docs/data-format.md``).

Everything is validated before anything is written: encodings, headers, required fields,
types, id uniqueness across the graph, relationship types, ends and their kinds, and
duplicates. Every problem is reported as ``file:line: message``; a dataset with any
problem yields no ``GraphData`` at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from graph.data import GraphData, Node, Rel, Value
from graph.model import (
    BASES,
    NODE_KINDS,
    REL_PROPERTIES,
    REL_TYPES,
    Column,
    NodeKind,
    PropType,
    RelType,
)
from loaders.csvfile import (
    MAX_FIELD,
    MAX_FILE_BYTES,
    CsvReader,
    DatasetError,
    Problem,
    runs_as_formula,
)
from loaders.curation import CURATION_FILE, SECTORS_FILE, read_curated_links, read_sectors

__all__ = [
    "FILE_READERS",
    "LIST_SEPARATOR",
    "MAX_FIELD",
    "MAX_FILE_BYTES",
    "DatasetError",
    "Problem",
    "read_dataset",
]

LIST_SEPARATOR = "|"
REL_FILE = "relationships.csv"
META_FILE = "meta.csv"
REL_COLUMNS = ("type", "source", "target", *(p.name for p in REL_PROPERTIES))
REL_OPTIONAL = tuple(p.name for p in REL_PROPERTIES if p.column is Column.OPTIONAL)
META_COLUMNS = ("key", "value", "source_url")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$")
_INT_TEXT = re.compile(r"-?[0-9]{1,19}")
_NUMBER_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

#: The reader of one folder (kept under its old name for the other file readers).
_Reader = CsvReader


def _show(text: str) -> str:
    """A cell quoted for a message, cut short so one bad cell cannot flood the output."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def _parse(
    reader: _Reader, file: str, line: int, column: str, ptype: PropType, cell: str
) -> tuple[bool, Value]:
    """(ok, value) of one cell; an empty cell is ``None`` (unknown)."""
    text = cell.strip() if ptype is not PropType.STRING else cell
    if text.strip() == "":
        return True, None
    if ptype is PropType.STRING:
        return True, text
    if ptype is PropType.STRING_LIST:
        items = [item for part in text.split(LIST_SEPARATOR) if (item := part.strip())]
        for item in items:  # every item is a cell of its own in an export
            if runs_as_formula(item):
                reader.problem(
                    file,
                    line,
                    f"{column}: the list item {_show(item)} begins with {item[:1]!r}, which "
                    "spreadsheets run as a formula; remove or rephrase it",
                )
                return False, None
        return True, items
    if ptype is PropType.BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return True, lowered == "true"
        reader.problem(file, line, f"{column}: expected true, false or empty, not {_show(text)}")
        return False, None
    if ptype is PropType.INT:
        # int() alone would take '1_000' and non-ASCII digits, and values the stores
        # cannot hold (both keep 64-bit integers).
        if not _INT_TEXT.fullmatch(text):
            reader.problem(file, line, f"{column}: expected a whole number, not {_show(text)}")
            return False, None
        number = int(text)
        if not _INT64_MIN <= number <= _INT64_MAX:
            reader.problem(file, line, f"{column}: {_show(text)} does not fit in 64 bits")
            return False, None
        return True, number
    if not _NUMBER_TEXT.fullmatch(text):
        reader.problem(file, line, f"{column}: expected a number, not {_show(text)}")
        return False, None
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        reader.problem(file, line, f"{column}: expected a finite number, not {_show(text)}")
        return False, None
    return True, value


def _cell(
    reader: CsvReader, file: str, line: int, prop_name: str, ptype: PropType, cell: str
) -> tuple[bool, Value]:
    """(ok, value) of one cell, the common string case without a call."""
    if ptype is PropType.STRING:
        return True, (cell if cell.strip() else None)
    return _parse(reader, file, line, prop_name, ptype, cell)


@dataclass
class _Dataset:
    """What the file readers have read so far, and the reader that collects problems."""

    reader: CsvReader
    nodes: list[Node] = field(default_factory=list)
    #: Node id -> (file, line, kind) of where it was read.
    where: dict[str, tuple[str, int, NodeKind]] = field(default_factory=dict)
    rels: list[Rel] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def partial_nodes(self) -> list[str]:
        """The node files that could not be read whole (their ids cannot be checked)."""
        node_files = {spec.file for spec in NODE_KINDS.values()}
        return [f for f in self.reader.incomplete if f in node_files]


def _read_nodes(kind: NodeKind, ds: _Dataset) -> None:
    """One node file (``themes.csv``, ``challenges.csv``, ...): typed properties, required
    values, well-formed ids unique across the whole graph."""
    spec = NODE_KINDS[kind]
    reader = ds.reader
    for line, row in reader.rows(spec.file, spec.columns, optional=spec.optional_columns):
        props: dict[str, Value] = {}
        ok = True
        for prop in spec.properties:
            if prop.column is Column.DERIVED:
                props[prop.name] = None  # set from the curation files (sectors.csv)
                continue
            good, value = _cell(reader, spec.file, line, prop.name, prop.type, row[prop.name])
            ok = ok and good
            if good and prop.required and (value is None or value == []):
                reader.problem(spec.file, line, f"{prop.name}: required, but empty")
                ok = False
            props[prop.name] = value
        nid = props.get("id")
        if isinstance(nid, str) and not ID_PATTERN.match(nid):
            reader.problem(
                spec.file,
                line,
                f"id {_show(nid)}: use letters, digits and . _ : ~ - only (at most 200)",
            )
            ok = False
        if isinstance(nid, str) and nid in ds.where:
            first_file, first_line, _ = ds.where[nid]
            reader.problem(
                spec.file, line, f"duplicate id {nid!r} (first at {first_file}:{first_line})"
            )
            ok = False
        if ok:
            ds.where[str(nid)] = (spec.file, line, kind)
            ds.nodes.append(Node(kind, props))


def _read_relationships(ds: _Dataset) -> None:
    """``relationships.csv``: known types, existing ends of the kinds the type joins, a
    basis with its evidence, no duplicates."""
    # A node file that could not be read whole would make every relationship to its
    # nodes an error too; report the cause once instead of burying it under those.
    partial_nodes = ds.partial_nodes()
    unchecked = 0
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in ds.reader.rows(REL_FILE, REL_COLUMNS, optional=REL_OPTIONAL):
        rel, missing_ends = _relationship(ds, line, row, checkable=not partial_nodes)
        unchecked += missing_ends
        if rel is None:
            continue
        key = (rel.type.value, rel.source, rel.target)
        if key in seen:
            ds.reader.problem(
                REL_FILE,
                line,
                f"duplicate relationship {rel.type.value} {rel.source!r} -> {rel.target!r} "
                f"(first at line {seen[key]})",
            )
            continue
        seen[key] = line
        ds.rels.append(rel)
    if unchecked:
        ds.reader.problem(
            REL_FILE,
            0,
            f"{unchecked} relationship end(s) name ids that are not loaded; they cannot be "
            f"checked until {', '.join(partial_nodes)} can be read",
        )


def _relationship(
    ds: _Dataset, line: int, row: dict[str, str], *, checkable: bool
) -> tuple[Rel | None, int]:
    """One row of ``relationships.csv`` as a relationship (None if it has problems), and
    how many of its ends could not be checked."""
    reader = ds.reader
    rtype_text = row["type"].strip()
    try:
        rtype = RelType(rtype_text)
    except ValueError:
        known = ", ".join(t.value for t in RelType)
        reader.problem(REL_FILE, line, f"unknown relationship type {_show(rtype_text)} ({known})")
        return None, 0
    source, target = row["source"].strip(), row["target"].strip()
    ok, unchecked = _ends(ds, line, rtype, source, target, checkable=checkable)
    rprops: dict[str, Value] = {}
    for prop in REL_PROPERTIES:
        good, value = _cell(reader, REL_FILE, line, prop.name, prop.type, row[prop.name])
        ok = ok and good
        rprops[prop.name] = value
    basis = rprops.get("basis")
    if basis not in BASES:
        shown = "an empty cell" if basis is None else _show(str(basis))
        reader.problem(REL_FILE, line, f"basis: expected stated or inferred, not {shown}")
        ok = False
    elif basis == "stated" and not rprops.get("source_url"):
        reader.problem(REL_FILE, line, "source_url: required when basis is stated")
        ok = False
    elif basis == "inferred" and not rprops.get("method"):
        reader.problem(REL_FILE, line, "method: required when basis is inferred (say how)")
        ok = False
    return (Rel(rtype, source, target, rprops) if ok else None), unchecked


def _ends(
    ds: _Dataset, line: int, rtype: RelType, source: str, target: str, *, checkable: bool
) -> tuple[bool, int]:
    """Whether both ends exist and are of kinds ``rtype`` joins; and how many ends could
    not be checked (their node file was not read whole)."""
    ok, unchecked = True, 0
    for end, nid in (("source", source), ("target", target)):
        if not nid:
            ds.reader.problem(REL_FILE, line, f"{end}: required, but empty")
            ok = False
        elif nid not in ds.where:
            if checkable:
                ds.reader.problem(REL_FILE, line, f"{end} {_show(nid)} does not exist")
            else:
                unchecked += 1  # said once by the caller, not once per relationship
            ok = False
    if ok:
        pair = (ds.where[source][2], ds.where[target][2])
        allowed = REL_TYPES[rtype].ends
        if pair not in allowed:
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
            ds.reader.problem(META_FILE, line, f"duplicate key {_show(meta_key)}")
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
    read_sectors(ds.reader, ds.nodes, checkable=not ds.partial_nodes())


def _read_curation(ds: _Dataset) -> None:
    """``curation.csv`` (optional, kept by hand): the links judged item by item."""
    ds.rels.extend(
        read_curated_links(ds.reader, ds.nodes, ds.rels, checkable=not ds.partial_nodes())
    )


#: Every file of a dataset folder, in reading order, with the function that reads it into
#: the dataset being built (node files first: the relationships refer to their ids). To
#: read a new file, add a line here.
FILE_READERS: tuple[tuple[str, Callable[[_Dataset], None]], ...] = (
    *((spec.file, partial(_read_nodes, kind)) for kind, spec in NODE_KINDS.items()),
    (REL_FILE, _read_relationships),
    (META_FILE, _read_meta),
    (SECTORS_FILE, _read_sectors),
    (CURATION_FILE, _read_curation),
)


def read_dataset(folder: Path) -> GraphData:
    """Read and validate the dataset in ``folder``; raise :class:`DatasetError` on any problem.

    >>> from graph.settings import BUNDLED_DATASET
    >>> data = read_dataset(BUNDLED_DATASET)
    >>> data.counts()["Challenge"], data.counts()["Theme"]
    (27, 7)
    """
    if not folder.is_dir():
        raise DatasetError([Problem(str(folder), 0, "is not a folder")])
    ds = _Dataset(CsvReader(folder))
    for _file, read in FILE_READERS:
        read(ds)
    if ds.reader.problems:
        raise DatasetError(ds.reader.problems)
    return GraphData(
        nodes=ds.nodes, rels=ds.rels, meta=ds.meta, source_digest=ds.reader.digest.hexdigest()
    )
