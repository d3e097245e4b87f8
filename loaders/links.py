"""``relationships.csv``: each relationship checked against the nodes read so far, a type
at a time, as early as a load can hand it over (:func:`links_ready`) or in the file's
turn (:func:`read_relationships`), which says what is wrong with each row.

The dataset being read (``loaders.dataset``) is what :class:`DatasetSoFar` describes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Protocol

from graph.data import Rel, Value
from graph.model import BASES, REL_PROPERTIES, REL_TYPES, Column, NodeKind, RelType
from loaders.cells import QUIET, convert_column, show
from loaders.csvfile import CsvReader

__all__ = [
    "REL_COLUMNS",
    "REL_FILE",
    "REL_OPTIONAL",
    "DatasetSoFar",
    "Links",
    "links_ready",
    "parse_links",
    "read_relationships",
]

REL_FILE = "relationships.csv"
REL_COLUMNS = ("type", "source", "target", *(p.name for p in REL_PROPERTIES))
REL_OPTIONAL = tuple(p.name for p in REL_PROPERTIES if p.column is Column.OPTIONAL)


class DatasetSoFar(Protocol):
    """What the checks need of the dataset being read: its problems, the nodes read so far
    (where and of what kind), the relationships kept, and the file once parsed."""

    reader: CsvReader
    where: dict[str, tuple[str, int, NodeKind]]
    kinds: dict[str, NodeKind]
    rels: list[Rel]
    links: Links | None

    def partial_nodes(self) -> list[str]:
        """The node files that could not be read whole."""
        ...


#: Relationship types by name, and the (from, to) kinds each joins.
_REL_TYPES = {t.value: t for t in RelType}
_REL_ENDS = {t: frozenset(spec.ends) for t, spec in REL_TYPES.items()}
#: The node kinds each relationship type joins (its rows can be checked once all are read).
_REL_KINDS = {t: frozenset(k for pair in ends for k in pair) for t, ends in _REL_ENDS.items()}


@dataclass
class Links:
    """``relationships.csv`` as read: each row's line, cells and type, and the rows of
    each known type (types in the order the file first names them), until checked."""

    lines: list[int]
    cells: list[tuple[str, ...]]
    by_type: dict[RelType, list[int]]
    #: (type, source, target) -> line of each relationship kept so far.
    seen: dict[tuple[str, str, str], int] = field(default_factory=dict)
    #: Types found not all clean early on: they wait for the file's turn, looked at once.
    waiting: set[RelType] = field(default_factory=set)

    def rows(self, rtype: RelType) -> tuple[list[int], list[tuple[str, ...]]]:
        """The lines and the cells (column by column) of the rows of ``rtype``."""
        rows = self.by_type[rtype]
        first, last = rows[0], rows[-1]
        if last - first + 1 == len(rows):  # one run of the file (a file sorted by type)
            return self.lines[first : last + 1], [c[first : last + 1] for c in self.cells]
        pick = itemgetter(*rows)  # two rows at least: a tuple
        return list(pick(self.lines)), [pick(c) for c in self.cells]


def parse_links(ds: DatasetSoFar) -> Links:
    """Read ``relationships.csv`` (once) and note its rows of unknown type."""
    if ds.links is None:
        reader = ds.reader
        lines, cells = reader.columns(REL_FILE, REL_COLUMNS, optional=REL_OPTIONAL)
        by_type: dict[RelType, list[int]] = {}
        for i, text in enumerate(cells[0]):
            rtype = _REL_TYPES.get(text) or _REL_TYPES.get(text.strip())
            if rtype is None:
                known = ", ".join(t.value for t in RelType)
                message = f"unknown relationship type {show(text.strip())} ({known})"
                reader.problem(REL_FILE, lines[i], message)
            else:
                by_type.setdefault(rtype, []).append(i)
        ds.links = Links(lines, cells, by_type)
    return ds.links


def links_ready(ds: DatasetSoFar, ready: set[NodeKind]) -> Iterator[None]:
    """Check, while the node files are still being read, the relationships of each type
    whose ends are all of ``ready`` kinds (their nodes handed over), and keep them if
    every one is clean; yields after each type kept. A type with anything wrong waits for
    :func:`read_relationships`, which says what (so does every type once a problem has
    been noted: the load will fail, and the messages come out as they always do)."""
    if ds.reader.problems or not any(ends <= ready for ends in _REL_KINDS.values()):
        return
    links = parse_links(ds)
    for rtype in list(links.by_type):
        if ds.reader.problems:
            return
        if rtype in links.waiting or not _REL_KINDS[rtype] <= ready:
            continue
        if _keep_clean(ds, links, rtype):
            yield
        else:
            links.waiting.add(rtype)


def _keep_clean(ds: DatasetSoFar, links: Links, rtype: RelType) -> bool:
    """Keep the relationships of ``rtype`` if all are clean (nothing noted either way)."""
    lines, cells = links.rows(rtype)
    props: list[list[Value]] = []
    for prop, column in zip(REL_PROPERTIES, cells[3:], strict=True):
        values, wrong = convert_column(QUIET, REL_FILE, lines, prop.name, prop.type, column)
        if wrong:
            return False
        props.append(values)
    clean = _clean_batch(ds, rtype, cells, props, links.seen, lines)
    if clean is None:
        return False
    ds.rels.extend(clean)
    del links.by_type[rtype]
    return True


def read_relationships(ds: DatasetSoFar) -> Iterator[None]:
    """``relationships.csv``: known types, existing ends of the kinds the type joins, a
    basis with its evidence, no duplicates. Checks the rows of each type not yet kept
    (:func:`links_ready`), one type at a time, noting every problem; yields after each
    (its relationships may be handed over then: each table is copied once)."""
    # A node file that could not be read whole would make every relationship to its
    # nodes an error too; report the cause once instead of burying it under those.
    partial_nodes = ds.partial_nodes()
    links = parse_links(ds)
    unchecked = 0
    for rtype in list(links.by_type):
        lines, cells = links.rows(rtype)
        unchecked += _check_batch(ds, rtype, lines, cells, links.seen, partial_nodes)
        del links.by_type[rtype]
        yield
    if unchecked:
        ds.reader.problem(
            REL_FILE,
            0,
            f"{unchecked} relationship end(s) name ids that are not loaded; they cannot be "
            f"checked until {', '.join(partial_nodes)} can be read",
        )


def _check_batch(
    ds: DatasetSoFar,
    rtype: RelType,
    lines: list[int],
    cells: list[tuple[str, ...]],
    seen: dict[tuple[str, str, str], int],
    partial_nodes: list[str],
) -> int:
    """Check the rows of one type, noting every problem, and keep the good ones; how many
    ends could not be checked."""
    reader = ds.reader
    bad: set[int] = set()
    props: list[list[Value]] = []
    for prop, column in zip(REL_PROPERTIES, cells[3:], strict=True):
        values, wrong = convert_column(reader, REL_FILE, lines, prop.name, prop.type, column)
        bad.update(wrong)
        props.append(values)
    if not bad and (clean := _clean_batch(ds, rtype, cells, props, seen, lines)) is not None:
        ds.rels.extend(clean)
        return 0
    unchecked = 0
    for i, row in enumerate(zip(*props, strict=True)):
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
    ds: DatasetSoFar,
    rtype: RelType,
    cells: list[tuple[str, ...]],
    props: list[list[Value]],
    seen: dict[tuple[str, str, str], int],
    lines: list[int],
) -> list[Rel] | None:
    """The relationships of one type whose typed cells were all good, when every row is
    clean, decided over whole columns: ends that exist and are of kinds the type joins,
    a basis with its evidence, no duplicate. None when a row is not (nothing
    noted: :func:`_check_batch` then looks at each row and says what is wrong)."""
    sources = [cell.strip() for cell in cells[1]]
    targets = [cell.strip() for cell in cells[2]]
    kinds = ds.kinds
    joins = zip(map(kinds.get, sources), map(kinds.get, targets), strict=True)
    if not set(joins) <= _REL_ENDS[rtype]:
        return None  # a missing end is None, which is in no join
    has_url, has_method = map(bool, props[_SOURCE_URL]), map(bool, props[_METHOD])
    if not set(zip(props[_BASIS], has_url, has_method, strict=True)) <= _BASIS_OK:
        return None
    keys = list(zip(repeat(rtype.value), sources, targets))
    if len(set(keys)) != len(keys) or not seen.keys().isdisjoint(keys):
        return None
    seen.update(zip(keys, lines, strict=True))
    rows = zip(sources, targets, zip(*props, strict=True), strict=True)
    return [Rel(rtype, s, g, dict(zip(_REL_NAMES, row, strict=True))) for s, g, row in rows]


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
    ds: DatasetSoFar, line: int, rtype: RelType, source: str, target: str, *, checkable: bool
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
