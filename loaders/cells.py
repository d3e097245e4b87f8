"""Typed cells of the dataset files: a whole column converted at once, each bad cell named.

A dataset file is read column by column (:meth:`loaders.csvfile.CsvReader.columns`), and
:func:`convert_column` turns one column of text cells into the values of its
:class:`graph.model.PropType`: an empty cell is ``None`` (unknown), a list cell is split
on ``|`` with its items trimmed, a boolean is ``true`` or ``false`` in any case, numbers
are plain decimal text that fits the stores. The common cells take a fast path (one
comprehension per text column, one pattern search per list cell); any cell the fast path
cannot decide goes through :func:`parse_cell`, the one definition of what a cell means,
which also says what is wrong with it. ``tests/test_loader_properties.py`` checks that
both paths agree on every kind of cell.

>>> class Notes:
...     def problem(self, file: str, line: int, message: str) -> None:
...         print(f"{file}:{line}: {message.split(',')[0]}")
>>> convert_column(Notes(), "f.csv", [2, 3, 4], "tags", PropType.STRING_LIST,
...                ("a | b", "", "x|=1"))
f.csv:4: tags: the list item '=1' begins with '='
([['a', 'b'], None, None], [2])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from graph.data import Value
from graph.model import PropType
from loaders.csvfile import runs_as_formula

__all__ = ["LIST_SEPARATOR", "QUIET", "convert_column", "parse_cell", "show"]

LIST_SEPARATOR = "|"
_INT_TEXT = re.compile(r"-?[0-9]{1,19}")
_NUMBER_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
#: A list item that may start like a formula (items are trimmed, so a tab or CR cannot
#: start one): such a cell takes the slow path, which decides and says why.
_RISKY_ITEM = re.compile(r"(?:^|\|)\s*[-=+@]")
#: The same, for a text that starts with a separator: a literal first, so a fast scan.
_RISKY_AFTER_SEPARATOR = re.compile(r"\|\s*[-=+@]")
_BOOLS = {"true": True, "false": False}
_BOOL_CELLS = {"true", "false", ""}


class Notes(Protocol):
    """Where problems go (a :class:`loaders.csvfile.CsvReader`)."""

    def problem(self, file: str, line: int, message: str) -> None: ...


class _Quiet:
    """A sink that drops every problem (:data:`QUIET`)."""

    def problem(self, file: str, line: int, message: str) -> None:
        return None


#: Where the problems of cells go when nothing is to be said now (a check that is tried
#: early, and redone, with its messages, if it fails).
QUIET = _Quiet()


def show(text: str) -> str:
    """A cell quoted for a message, cut short so one bad cell cannot flood the output."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def parse_cell(
    notes: Notes, file: str, line: int, column: str, ptype: PropType, cell: str
) -> tuple[bool, Value]:
    """(ok, value) of one cell; an empty cell is ``None`` (unknown). A problem goes to
    ``notes`` as ``file:line: column: ...``."""
    text = cell.strip() if ptype is not PropType.STRING else cell
    if text.strip() == "":
        return True, None
    if ptype is PropType.STRING:
        return True, text
    if ptype is PropType.STRING_LIST:
        items = [item for part in text.split(LIST_SEPARATOR) if (item := part.strip())]
        for item in items:  # every item is a cell of its own in an export
            if runs_as_formula(item):
                notes.problem(
                    file,
                    line,
                    f"{column}: the list item {show(item)} begins with {item[:1]!r}, which "
                    "spreadsheets run as a formula; remove or rephrase it",
                )
                return False, None
        return True, items
    if ptype is PropType.BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return True, lowered == "true"
        notes.problem(file, line, f"{column}: expected true, false or empty, not {show(text)}")
        return False, None
    if ptype is PropType.INT:
        # int() alone would take '1_000' and non-ASCII digits, and values the stores
        # cannot hold (both keep 64-bit integers).
        if not _INT_TEXT.fullmatch(text):
            notes.problem(file, line, f"{column}: expected a whole number, not {show(text)}")
            return False, None
        number = int(text)
        if not _INT64_MIN <= number <= _INT64_MAX:
            notes.problem(file, line, f"{column}: {show(text)} does not fit in 64 bits")
            return False, None
        return True, number
    if not _NUMBER_TEXT.fullmatch(text):
        notes.problem(file, line, f"{column}: expected a number, not {show(text)}")
        return False, None
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        notes.problem(file, line, f"{column}: expected a finite number, not {show(text)}")
        return False, None
    return True, value


def convert_column(
    notes: Notes,
    file: str,
    lines: Sequence[int],
    column: str,
    ptype: PropType,
    cells: Sequence[str],
) -> tuple[list[Value], list[int]]:
    """The values of one column, and the indexes of its bad cells (their value ``None``,
    each problem noted)."""
    if ptype is PropType.STRING:  # most columns: nothing can be wrong with a text cell
        return [cell if cell.strip() else None for cell in cells], []
    whole = _whole_column(ptype, cells)
    if whole is not None:
        return whole, []
    values: list[Value] = []
    bad: list[int] = []
    for i, cell in enumerate(cells):
        if not cell.strip():
            values.append(None)
            continue
        if ptype is PropType.STRING_LIST and not _RISKY_ITEM.search(cell):
            values.append([item for part in cell.split(LIST_SEPARATOR) if (item := part.strip())])
            continue
        if ptype is PropType.BOOL and (flag := _BOOLS.get(cell.strip().lower())) is not None:
            values.append(flag)
            continue
        ok, value = parse_cell(notes, file, lines[i], column, ptype, cell)
        if not ok:
            bad.append(i)
        values.append(value)
    return values, bad


def _whole_column(ptype: PropType, cells: Sequence[str]) -> list[Value] | None:
    """The values of a column none of whose cells can be wrong, decided by a few passes
    over the whole column; None when a cell needs a look of its own (:func:`parse_cell`).

    An empty column; a list column with no item that may start like a formula (one
    search over the cells joined by the separator, where each cell's start follows a
    separator as each item's does), its items split only where a cell holds a separator;
    a boolean column of ``true``, ``false`` and empty cells.
    """
    if not "".join(cells).strip():
        return [None] * len(cells)
    if ptype is PropType.STRING_LIST:
        joined = LIST_SEPARATOR.join(cells)
        if _RISKY_AFTER_SEPARATOR.search(LIST_SEPARATOR + joined):
            return None
        if joined.count(LIST_SEPARATOR) == len(cells) - 1:  # one item per filled cell
            return [[item] if (item := cell.strip()) else None for cell in cells]
        return [
            [item for part in cell.split(LIST_SEPARATOR) if (item := part.strip())]
            if cell.strip()
            else None
            for cell in cells
        ]
    if ptype is PropType.BOOL:
        lowered = [cell.strip().lower() for cell in cells]
        if set(lowered) <= _BOOL_CELLS:
            return [_BOOLS.get(text) for text in lowered]
    return None
