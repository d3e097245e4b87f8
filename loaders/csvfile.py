"""Reading one CSV file of ours: open, size, encoding, byte-order mark, dialect, header,
line numbers, and every problem as ``file:line: message``.

The dataset files and a reviewed suggestion file are read here, under two policies
(:data:`DATASET` and :data:`REVIEW`): a dataset file must have exactly its columns, no
byte-order mark and no cell a spreadsheet would run as a formula; a review file comes back
from a spreadsheet, so a byte-order mark, padded header names and the reviewer's other
columns are fine. Problems are collected in a :class:`CsvReader`, so one pass reports
them all; a file that cannot be read whole is listed in ``incomplete``.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "t.csv").write_text("id,name\\na,A\\n\\nb,=B\\n", encoding="utf-8")
>>> reader = CsvReader(folder)
>>> reader.rows("t.csv", ("id", "name"))
[(2, {'id': 'a', 'name': 'A'})]
>>> [str(p) for p in reader.problems]
["t.csv:4: name: begins with '=', which spreadsheets run as a formula; remove or rephrase it"]
"""

from __future__ import annotations

import _csv
import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import add, itemgetter, methodcaller
from pathlib import Path

__all__ = [
    "DATASET",
    "MAX_FIELD",
    "MAX_FILE_BYTES",
    "REVIEW",
    "CsvPolicy",
    "CsvReader",
    "DatasetError",
    "Problem",
    "is_number",
    "runs_as_formula",
]

MAX_FIELD = 100_000
MAX_FILE_BYTES = 200 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Every byte but those control characters: deleting these from a file's bytes leaves its
#: control characters (UTF-8 encodes them as themselves), ten times faster than a search.
_NOT_CONTROL = bytes(sorted(set(range(256)) - {*range(9), 11, 12, *range(14, 32), 127}))
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_JOIN = "\x00"
_RISKY_START = re.compile(r"\x00[-=+@\t\r]")  # a literal first: a fast scan
#: Starts every source digest; change it when the same bytes would load differently.
_DIGEST_FORMAT = b"gcx dataset csv 2\x00"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, located as ``file:line``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DatasetError(Exception):
    """The input has problems; nothing was loaded. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        super().__init__(shown + (f"\n... and {more} more problems" if more > 0 else ""))


@dataclass(frozen=True)
class CsvPolicy:
    """What a kind of file may hold besides its rows."""

    #: A UTF-8 byte-order mark is skipped (else it is a problem).
    bom_ok: bool = False
    #: Columns other than the expected ones are ignored (else they are a problem).
    other_columns_ok: bool = False
    #: Header names are stripped of spaces.
    strip_header: bool = False
    #: Each cell is checked for control characters, length and formula starts.
    check_cells: bool = True


#: The dataset's files: exactly their columns, plain UTF-8, every cell checked.
DATASET = CsvPolicy()
#: A reviewed ``gcx suggest`` file, back from a spreadsheet.
REVIEW = CsvPolicy(bom_ok=True, other_columns_ok=True, strip_header=True, check_cells=False)


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell`` as a formula (``= + @``, a tab or CR, or a
    ``-`` that does not start a number)."""
    return cell.startswith(_FORMULA_START) or (cell.startswith("-") and not is_number(cell))


def is_number(cell: str) -> bool:
    """Whether ``float`` reads ``cell`` (so a leading ``-`` is a sign, not a formula)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


class CsvReader:
    """Reads the CSV files of one folder, collecting every problem."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.incomplete: list[str] = []
        # Each file read: its name -> a hash of its size and bytes (see :meth:`digest`).
        self._hashes: dict[str, str] = {}

    def digest(self) -> str:
        """The version of what was read: a hash of every file's name, size and bytes, the
        same whatever order the files were read in.

        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("a.csv", "b.csv"):
        ...     _ = (folder / name).write_text("id\\nx\\n", encoding="utf-8")
        >>> ab, ba = CsvReader(folder), CsvReader(folder)
        >>> _ = ab.rows("a.csv", ("id",)), ab.rows("b.csv", ("id",))
        >>> _ = ba.rows("b.csv", ("id",)), ba.rows("a.csv", ("id",))
        >>> ab.digest() == ba.digest() != CsvReader(folder).digest()
        True
        """
        h = hashlib.sha256(_DIGEST_FORMAT)
        for name in sorted(self._hashes):
            h.update(f"{name}\x00{self._hashes[name]}\x00".encode())
        return h.hexdigest()

    def problem(self, file: str, line: int, message: str) -> None:
        """Note a problem at ``file:line``."""
        self.problems.append(Problem(file, line, message))

    def unreadable(self, file: str, line: int, message: str) -> None:
        """A problem that stops a file being read whole: its rows are missing or partial."""
        self.problem(file, line, message)
        if file not in self.incomplete:
            self.incomplete.append(file)

    def rows(
        self,
        name: str,
        columns: tuple[str, ...],
        required: bool = True,
        *,
        policy: CsvPolicy = DATASET,
        optional: Sequence[str] = (),
    ) -> list[tuple[int, dict[str, str]]]:
        """(line, row) of each non-blank record of a CSV file whose header holds
        ``columns`` (in any order; only those, unless the policy allows others). Columns
        named in ``optional`` may be left out of the file: they read as empty."""
        read = self._records(name, columns, required, policy, optional)
        if read is None:
            return []
        header, lines, records, control = read
        absent = {c: "" for c in columns if c in optional and c not in header}
        check = policy.check_cells
        out: list[tuple[int, dict[str, str]]] = []
        for start, record in zip(lines, records, strict=True):
            if not check or not self._bad_record(name, start, header, record, control):
                out.append((start, {**absent, **dict(zip(header, record, strict=True))}))
        return out

    def columns(
        self, name: str, columns: tuple[str, ...], *, optional: Sequence[str] = ()
    ) -> tuple[list[int], list[tuple[str, ...]]]:
        """A dataset file read column by column: the line each kept record starts on, and
        one tuple of cells per name in ``columns`` (an ``optional`` column the file leaves
        out is all empty). The same records as :meth:`rows` keeps, the same problems; the
        cell checks run over whole columns, which is what makes this the fast way to read
        a large file.

        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "t.csv").write_text("name,id\\nA,a\\nB,@b\\n", encoding="utf-8")
        >>> CsvReader(folder).columns("t.csv", ("id", "name", "note"), optional=("note",))
        ([2], [('a',), ('A',), ('',)])
        """
        read = self._records(name, columns, True, DATASET, optional)
        if read is None:
            return [], [() for _ in columns]
        header, lines, records, control = read
        cells: list[tuple[str, ...]] = list(zip(*records, strict=True))
        if not cells:
            cells = [() for _ in header]
        bad: set[int] = set()
        for column, col in zip(header, cells, strict=True):
            bad.update(self._bad_cells(name, lines, column, col, control))
        if bad:
            keep = [i for i in range(len(lines)) if i not in bad]
            lines = [lines[i] for i in keep]
            cells = [tuple(col[i] for i in keep) for col in cells]
        where = {column: i for i, column in enumerate(header)}
        empty = ("",) * len(lines)
        return lines, [cells[where[c]] if c in where else empty for c in columns]

    def _records(
        self,
        name: str,
        columns: tuple[str, ...],
        required: bool,
        policy: CsvPolicy,
        optional: Sequence[str],
    ) -> tuple[list[str], list[int], list[list[str]], bool] | None:
        """The header, the line and cells of every non-blank record whose field count
        matches it (unchecked cells), and whether the file holds a control character;
        None when the file cannot be read at all."""
        read = self._text(name, required, policy)
        if read is None:
            return None
        text, control = read
        if not text.strip():
            self.unreadable(name, 1, f"file is empty: expected a header row ({','.join(columns)})")
            return None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = self._header(name, next(reader), columns, policy, optional)
        except csv.Error as exc:
            self.unreadable(name, 1, _csv_message(exc, reader.line_num, 1))
            return None
        if header is None:
            return None
        records = _whole(text, reader, len(header))
        if records is None:  # a cell across lines, a short record, a CSV error: one by one
            reader = csv.reader(io.StringIO(text, newline=""), strict=True)
            next(reader)
            records = self._each_record(name, reader, len(header))
        return header, *records, control

    def _each_record(
        self, name: str, reader: _csv.Reader, width: int
    ) -> tuple[list[int], list[list[str]]]:
        """The line and cells of each record after the header, noting each problem."""
        lines: list[int] = []
        records: list[list[str]] = []
        line = reader.line_num + 1
        try:
            for record in reader:
                start, line = line, reader.line_num + 1
                # One test decides the usual record: full width, its first cell filled.
                if not (len(record) == width and record[0].strip()):
                    if not "".join(record).strip():
                        continue  # a blank record
                    if len(record) != width:
                        self.problem(
                            name, start, f"has {len(record)} fields, the header has {width}"
                        )
                        continue
                lines.append(start)
                records.append(record)
        except csv.Error as exc:
            self.unreadable(name, line, _csv_message(exc, reader.line_num, line))
        return lines, records

    def _text(self, name: str, required: bool, policy: CsvPolicy) -> tuple[str, bool] | None:
        """The file's text and whether it holds a control character, or None (with the
        problem noted) when it cannot be read."""
        path = self.folder / name
        if not path.exists():
            if required:
                self.unreadable(name, 0, "file is missing")
            return None
        if not path.is_file():
            what = "is a folder, not a CSV file" if path.is_dir() else "is not a regular file"
            self.unreadable(name, 0, what)
            return None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.unreadable(name, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
                return None
            raw = path.read_bytes()
        except OSError as exc:
            self.unreadable(name, 0, f"cannot be read: {exc.strerror or exc}")
            return None
        self._hashes[name] = hashlib.sha256(f"{len(raw)}\x00".encode() + raw).hexdigest()
        if raw.startswith(_BOM):
            if not policy.bom_ok:
                self.unreadable(
                    name, 1, "file starts with a byte-order mark: save it as UTF-8 without BOM"
                )
                return None
            # Spreadsheets often save CSV with a byte-order mark: a reviewer's file may have one.
            raw = raw[len(_BOM) :]
        try:
            return raw.decode("utf-8"), bool(raw.translate(None, _NOT_CONTROL))
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.unreadable(
                name, line, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
            )
            return None

    def _header(
        self,
        name: str,
        header: list[str],
        columns: Sequence[str],
        policy: CsvPolicy,
        optional: Sequence[str] = (),
    ) -> list[str] | None:
        """The header, if it names each column once (``optional`` ones may be missing)
        and (by the policy) nothing else."""
        if policy.strip_header:
            header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            dupes = sorted({h for h in header if header.count(h) > 1})
            self.unreadable(name, 1, f"duplicate columns: {', '.join(dupes)}")
            return None
        missing = [c for c in columns if c not in header and c not in optional]
        extra = [] if policy.other_columns_ok else [c for c in header if c not in columns]
        if missing:
            self.unreadable(name, 1, f"missing columns: {', '.join(missing)}")
        if extra:
            self.unreadable(name, 1, f"unknown columns: {', '.join(extra)}")
        return None if missing or extra else header

    def _bad_record(
        self, name: str, line: int, header: list[str], record: list[str], control: bool
    ) -> bool:
        """Whether any cell of one record is unsafe to keep (each bad one noted)."""
        bad = False
        for column, cell in zip(header, record, strict=True):
            bad = self._bad_cells(name, (line,), column, (cell,), control) != [] or bad
        return bad

    def _bad_cells(
        self, name: str, lines: Sequence[int], column: str, cells: Sequence[str], control: bool
    ) -> list[int]:
        """The indexes of the cells unsafe to keep (each noted): too long, holding a
        control character (only possible when the file holds one), or starting like a
        spreadsheet formula."""
        # Most columns are clean: a few C-level passes over the whole column decide
        # whether the per-cell checks (and their messages) are needed at all.
        if not cells or not (
            (control and _CONTROL.search("\n".join(cells)))
            or max(map(len, cells)) > MAX_FIELD
            or _RISKY_START.search(_JOIN + _JOIN.join(cells))
        ):
            return []
        bad: list[int] = []
        for i, cell in enumerate(cells):
            if len(cell) > MAX_FIELD:
                self.problem(name, lines[i], f"{column}: longer than {MAX_FIELD:,} characters")
            elif _CONTROL.search(cell):
                self.problem(name, lines[i], f"{column}: contains a control character")
            elif cell.startswith(_FORMULA_START) or (cell.startswith("-") and not is_number(cell)):
                self.problem(
                    name,
                    lines[i],
                    f"{column}: begins with {cell[:1]!r}, which spreadsheets run as a "
                    "formula; remove or rephrase it",
                )
            else:
                continue
            bad.append(i)
        return bad


def _whole(text: str, reader: _csv.Reader, width: int) -> tuple[list[int], list[list[str]]] | None:
    """The records after the header read in one C-level pass, with the line each starts
    on, when every one is full width with its first cell filled; None otherwise (nothing
    noted: the caller reads the file record by record, which says what is wrong).

    Without a carriage return, every line break of the file ends a record or lies inside
    a quoted cell (kept in it), so a record spans one line more than its cells hold line
    breaks.
    """
    if "\r" in text:
        return None
    try:
        records = _split(text) or list(reader)
    except csv.Error:
        return None
    if set(map(len, records)) - {width} or not all(map(str.strip, map(itemgetter(0), records))):
        return None
    inside = text.count("\n") + (not text.endswith("\n")) - 1 - len(records)
    if not inside:
        return list(range(2, len(records) + 2)), records
    spans = list(map(methodcaller("count", "\n"), map("".join, records)))
    if sum(spans) != inside:  # the header spans lines
        return None
    return list(map(add, range(2, len(records) + 2), accumulate(spans, initial=0))), records


def _split(text: str) -> list[list[str]] | None:
    """The records after the header of a file without quotes (nor a carriage return,
    a NUL or a line longer than the ``csv`` module's field limit): each line split on
    commas, which is what the ``csv`` module reads from such a line, at a fraction of
    its cost. None for any other file."""
    if '"' in text or "\x00" in text:
        return None
    lines = text.split("\n")
    if max(map(len, lines)) > csv.field_size_limit():
        return None
    rest = lines[1:-1] if text.endswith("\n") else lines[1:]
    return list(map(methodcaller("split", ","), rest))


def _csv_message(exc: csv.Error, read_to: int, start: int) -> str:
    """What a csv module error means, said for a person."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {MAX_FIELD:,} characters"
    if read_to > start:
        return (
            f"is not valid CSV in the record starting here (read to line {read_to}): {exc}; "
            "is a quote left open?"
        )
    return f"is not valid CSV: {exc}"
