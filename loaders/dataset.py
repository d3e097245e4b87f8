"""Read and validate a dataset folder in the canonical CSV format (``docs/data-format.md``).

Everything is validated before anything is written: encodings, headers, required fields,
types, id uniqueness across the graph, relationship types, ends and their kinds, and
duplicates. Every problem is reported as ``file:line: message``; a dataset with any
problem yields no ``GraphData`` at all.
"""

from __future__ import annotations

import csv
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

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def rows(
        self, name: str, columns: tuple[str, ...], required: bool = True
    ) -> list[tuple[int, dict[str, str]]]:
        """(line, row) of a CSV file whose header must be exactly ``columns`` (any order)."""
        path = self.folder / name
        if not path.exists():
            if required:
                self.problem(name, 0, "file is missing")
            return []
        if not path.is_file():
            self.problem(name, 0, "is not a regular file (a directory?)")
            return []
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            self.problem(name, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
            return []
        if raw.startswith(b"\xef\xbb\xbf"):
            self.problem(
                name, 1, "file starts with a byte-order mark: save it as UTF-8 without BOM"
            )
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem(
                name, line, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
            )
            return []
        if not text.strip():
            self.problem(name, 1, f"file is empty: expected a header row ({','.join(columns)})")
            return []
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        out: list[tuple[int, dict[str, str]]] = []
        try:
            header = next(reader)
            header_set = set(header)
            if len(header_set) != len(header):
                dupes = sorted({h for h in header if header.count(h) > 1})
                self.problem(name, 1, f"duplicate columns: {', '.join(dupes)}")
                return []
            missing = [c for c in columns if c not in header_set]
            extra = [c for c in header if c not in columns]
            if missing:
                self.problem(name, 1, f"missing columns: {', '.join(missing)}")
            if extra:
                self.problem(name, 1, f"unknown columns: {', '.join(extra)}")
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
            self.problem(name, reader.line_num or 1, f"is not valid CSV: {exc}")
        return out


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
        return True, [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    if ptype is PropType.BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return True, lowered == "true"
        reader.problem(file, line, f"{column}: expected true, false or empty, not {text!r}")
        return False, None
    if ptype is PropType.INT:
        try:
            return True, int(text)
        except ValueError:
            reader.problem(file, line, f"{column}: expected a whole number, not {text!r}")
            return False, None
    try:
        value = float(text)
    except ValueError:
        reader.problem(file, line, f"{column}: expected a number, not {text!r}")
        return False, None
    if value != value or value in (float("inf"), float("-inf")):
        reader.problem(file, line, f"{column}: expected a finite number, not {text!r}")
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
    for kind, spec in NODE_KINDS.items():
        for line, row in reader.rows(spec.file, spec.property_names):
            props: dict[str, Value] = {}
            ok = True
            for prop in spec.properties:
                good, value = _parse(reader, spec.file, line, prop.name, prop.type, row[prop.name])
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
                    f"id {nid!r}: use letters, digits and . _ : ~ - only (at most 200)",
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

    rels: list[Rel] = []
    seen_rels: dict[tuple[str, str, str], int] = {}
    for line, row in reader.rows(REL_FILE, REL_COLUMNS):
        rtype_text = row["type"].strip()
        try:
            rtype = RelType(rtype_text)
        except ValueError:
            known = ", ".join(t.value for t in RelType)
            reader.problem(REL_FILE, line, f"unknown relationship type {rtype_text!r} ({known})")
            continue
        source, target = row["source"].strip(), row["target"].strip()
        ok = True
        for end, nid in (("source", source), ("target", target)):
            if not nid:
                reader.problem(REL_FILE, line, f"{end}: required, but empty")
                ok = False
            elif nid not in where:
                reader.problem(REL_FILE, line, f"{end} {nid!r} does not exist")
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
            good, value = _parse(reader, REL_FILE, line, prop.name, prop.type, row[prop.name])
            ok = ok and good
            rprops[prop.name] = value
        basis = rprops.get("basis")
        if basis not in BASES:
            reader.problem(REL_FILE, line, f"basis: expected stated or inferred, not {basis!r}")
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

    meta: dict[str, str] = {}
    for line, row in reader.rows(META_FILE, META_COLUMNS, required=False):
        meta_key = row["key"].strip()
        if not meta_key:
            reader.problem(META_FILE, line, "key: required, but empty")
        elif meta_key in meta:
            reader.problem(META_FILE, line, f"duplicate key {meta_key!r}")
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
    return GraphData(nodes=nodes, rels=rels, meta=meta)
