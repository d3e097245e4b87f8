"""Read and validate a dataset folder in the canonical CSV format (``docs/data-format.md``).

Everything is validated before anything is written: encodings, headers, required fields,
types, id uniqueness across the graph, relationship types, ends and their kinds, and
duplicates. Every problem is reported as ``file:line: message``; a dataset with any
problem yields no ``GraphData`` at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from graph.data import GraphData, Node, Rel, Value
from graph.model import BASES, NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, PropType, RelType

__all__ = [
    "LIST_SEPARATOR",
    "MAX_FIELD",
    "DatasetError",
    "Problem",
    "read_dataset",
]

LIST_SEPARATOR = "|"
MAX_FIELD = 100_000
MAX_FILE_BYTES = 200 * 1024 * 1024
REL_FILE = "relationships.csv"
META_FILE = "meta.csv"
REL_COLUMNS = ("type", "source", "target", *(p.name for p in REL_PROPERTIES))
META_COLUMNS = ("key", "value", "source_url")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_JOIN = "\x00"
_RISKY_START = re.compile(r"\x00[-=+@\t\r]")  # a literal first: a fast scan
_INT_TEXT = re.compile(r"-?[0-9]{1,19}")
_NUMBER_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
#: Starts every source digest; change it when the same bytes would load differently.
_DIGEST_FORMAT = b"gcx dataset csv 1\x00"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, located as ``file:line``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DatasetError(Exception):
    """The dataset has problems; nothing was loaded. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        super().__init__(shown + (f"\n... and {more} more problems" if more > 0 else ""))


class _Reader:
    """Collects problems while reading one dataset folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.incomplete: list[str] = []
        # The version of what is read: every file's name, size and bytes, in reading order.
        self.digest = hashlib.sha256(_DIGEST_FORMAT)

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def unreadable(self, file: str, line: int, message: str) -> None:
        """A problem that stops a file being read whole: its rows are missing or partial."""
        self.problem(file, line, message)
        if file not in self.incomplete:
            self.incomplete.append(file)

    def rows(
        self, name: str, columns: tuple[str, ...], required: bool = True
    ) -> list[tuple[int, dict[str, str]]]:
        """(line, row) of a CSV file whose header must be exactly ``columns`` (any order)."""
        path = self.folder / name
        if not path.exists():
            if required:
                self.unreadable(name, 0, "file is missing")
            return []
        if path.is_dir():
            self.unreadable(name, 0, "is a folder, not a CSV file")
            return []
        if not path.is_file():
            self.unreadable(name, 0, "is not a regular file")
            return []
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.unreadable(name, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
                return []
            raw = path.read_bytes()
        except OSError as exc:
            self.unreadable(name, 0, f"cannot be read: {exc.strerror or exc}")
            return []
        self.digest.update(f"{name}\x00{len(raw)}\x00".encode())
        self.digest.update(raw)
        if raw.startswith(b"\xef\xbb\xbf"):
            self.unreadable(
                name, 1, "file starts with a byte-order mark: save it as UTF-8 without BOM"
            )
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.unreadable(
                name, line, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
            )
            return []
        if not text.strip():
            self.unreadable(name, 1, f"file is empty: expected a header row ({','.join(columns)})")
            return []
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        has_control = _CONTROL.search(text) is not None  # then _JOIN cannot be in a cell
        out: list[tuple[int, dict[str, str]]] = []
        line = 1  # where the record being read starts: csv errors are reported there
        try:
            header = next(reader)
            header_set = set(header)
            if len(header_set) != len(header):
                dupes = sorted({h for h in header if header.count(h) > 1})
                self.unreadable(name, 1, f"duplicate columns: {', '.join(dupes)}")
                return []
            missing = [c for c in columns if c not in header_set]
            extra = [c for c in header if c not in columns]
            if missing:
                self.unreadable(name, 1, f"missing columns: {', '.join(missing)}")
            if extra:
                self.unreadable(name, 1, f"unknown columns: {', '.join(extra)}")
            if missing or extra:
                return []
            line = reader.line_num + 1
            for record in reader:
                start, line = line, reader.line_num + 1
                if not record or all(not cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    self.problem(
                        name, start, f"has {len(record)} fields, the header has {len(header)}"
                    )
                    continue
                # Most records are clean: one C-level pass over the joined record decides
                # whether the per-cell checks (and their messages) are needed at all.
                if not (
                    has_control
                    or max(map(len, record)) > MAX_FIELD
                    or _RISKY_START.search(_JOIN + _JOIN.join(record))
                ):
                    out.append((start, dict(zip(header, record, strict=True))))
                    continue
                bad = False
                for col, cell in zip(header, record, strict=True):
                    if len(cell) > MAX_FIELD:
                        self.problem(name, start, f"{col}: longer than {MAX_FIELD:,} characters")
                        bad = True
                    elif _CONTROL.search(cell):
                        self.problem(name, start, f"{col}: contains a control character")
                        bad = True
                    elif cell.startswith(_FORMULA_START) or (
                        cell.startswith("-") and not _is_number(cell)
                    ):
                        self.problem(
                            name,
                            start,
                            f"{col}: begins with {cell[:1]!r}, which spreadsheets run as a "
                            "formula; remove or rephrase it",
                        )
                        bad = True
                if not bad:
                    out.append((start, dict(zip(header, record, strict=True))))
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                message = f"a field is longer than {MAX_FIELD:,} characters"
            elif reader.line_num > line:
                message = (
                    f"is not valid CSV in the record starting here (read to line "
                    f"{reader.line_num}): {exc}; is a quote left open?"
                )
            else:
                message = f"is not valid CSV: {exc}"
            self.unreadable(name, line, message)
        return out


def _show(text: str) -> str:
    """A cell quoted for a message, cut short so one bad cell cannot flood the output."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


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
        return True, [item for part in text.split(LIST_SEPARATOR) if (item := part.strip())]
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


def read_dataset(folder: Path) -> GraphData:
    """Read and validate the dataset in ``folder``; raise :class:`DatasetError` on any problem.

    >>> from graph.settings import BUNDLED_DATASET
    >>> data = read_dataset(BUNDLED_DATASET)
    >>> data.counts()["Challenge"], data.counts()["Theme"]
    (27, 7)
    """
    reader = _Reader(folder)
    if not folder.is_dir():
        raise DatasetError([Problem(str(folder), 0, "is not a folder")])

    nodes: list[Node] = []
    where: dict[str, tuple[str, int, NodeKind]] = {}
    value: Value
    for kind, spec in NODE_KINDS.items():
        for line, row in reader.rows(spec.file, spec.property_names):
            props: dict[str, Value] = {}
            ok = True
            for prop in spec.properties:
                cell = row[prop.name]
                if prop.type is PropType.STRING:  # the common case, without a call
                    good, value = True, (cell if cell.strip() else None)
                else:
                    good, value = _parse(reader, spec.file, line, prop.name, prop.type, cell)
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
            if isinstance(nid, str) and nid in where:
                first_file, first_line, _ = where[nid]
                reader.problem(
                    spec.file, line, f"duplicate id {nid!r} (first at {first_file}:{first_line})"
                )
                ok = False
            if ok:
                where[str(nid)] = (spec.file, line, kind)
                nodes.append(Node(kind, props))

    # A node file that could not be read whole would make every relationship to its
    # nodes an error too; report the cause once instead of burying it under those.
    node_files = {spec.file for spec in NODE_KINDS.values()}
    partial_nodes = [f for f in reader.incomplete if f in node_files]
    unchecked = 0
    rels: list[Rel] = []
    seen_rels: dict[tuple[str, str, str], int] = {}
    for line, row in reader.rows(REL_FILE, REL_COLUMNS):
        rtype_text = row["type"].strip()
        try:
            rtype = RelType(rtype_text)
        except ValueError:
            known = ", ".join(t.value for t in RelType)
            reader.problem(
                REL_FILE, line, f"unknown relationship type {_show(rtype_text)} ({known})"
            )
            continue
        source, target = row["source"].strip(), row["target"].strip()
        ok = True
        for end, nid in (("source", source), ("target", target)):
            if not nid:
                reader.problem(REL_FILE, line, f"{end}: required, but empty")
                ok = False
            elif nid not in where:
                if partial_nodes:
                    unchecked += 1  # said once below, not once per relationship
                else:
                    reader.problem(REL_FILE, line, f"{end} {_show(nid)} does not exist")
                ok = False
        if ok:
            pair = (where[source][2], where[target][2])
            allowed = REL_TYPES[rtype].ends
            if pair not in allowed:
                ends = " or ".join(f"{a.value}->{b.value}" for a, b in allowed)
                reader.problem(
                    REL_FILE,
                    line,
                    f"{rtype.value} cannot join {pair[0].value} {source!r} to "
                    f"{pair[1].value} {target!r} (it joins {ends})",
                )
                ok = False
        rprops: dict[str, Value] = {}
        for prop in REL_PROPERTIES:
            cell = row[prop.name]
            if prop.type is PropType.STRING:
                good, value = True, (cell if cell.strip() else None)
            else:
                good, value = _parse(reader, REL_FILE, line, prop.name, prop.type, cell)
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
        key = (rtype.value, source, target)
        if ok and key in seen_rels:
            reader.problem(
                REL_FILE,
                line,
                f"duplicate relationship {rtype.value} {source!r} -> {target!r} "
                f"(first at line {seen_rels[key]})",
            )
            ok = False
        if ok:
            seen_rels[key] = line
            rels.append(Rel(rtype, source, target, rprops))

    if unchecked:
        reader.problem(
            REL_FILE,
            0,
            f"{unchecked} relationship end(s) name ids that are not loaded; they cannot be "
            f"checked until {', '.join(partial_nodes)} can be read",
        )

    meta: dict[str, str] = {}
    for line, row in reader.rows(META_FILE, META_COLUMNS, required=False):
        meta_key = row["key"].strip()
        if not meta_key:
            reader.problem(META_FILE, line, "key: required, but empty")
        elif meta_key in meta:
            reader.problem(META_FILE, line, f"duplicate key {_show(meta_key)}")
        else:
            meta[meta_key] = row["value"]
    if "map_challenge_count" in meta:
        try:
            if int(meta["map_challenge_count"]) < 0:
                raise ValueError
        except ValueError:
            reader.problem(META_FILE, 0, "map_challenge_count: expected a whole number")

    if reader.problems:
        raise DatasetError(reader.problems)
    return GraphData(nodes=nodes, rels=rels, meta=meta, source_digest=reader.digest.hexdigest())
