"""Property tests of the loader's parser: whatever the files hold, the answer is a graph
or a :class:`DatasetError` listing ``file:line`` problems, never another exception.

Example counts are bounded and the search is derandomised, so this runs in seconds and
the same way in CI.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import NODE_KINDS, NodeKind, PropType
from graph.settings import BUNDLED_DATASET
from loaders import DatasetError, read_dataset
from loaders.cells import convert_column, parse_cell
from loaders.csvfile import REVIEW, CsvReader
from loaders.dataset import META_COLUMNS, REL_COLUMNS, REL_FILE

FILES = sorted([spec.file for spec in NODE_KINDS.values()] + [REL_FILE, "meta.csv"])
COLUMNS: dict[str, tuple[str, ...]] = {
    **{spec.file: spec.property_names for spec in NODE_KINDS.values()},
    REL_FILE: REL_COLUMNS,
    "meta.csv": META_COLUMNS,
}
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Cells that have broken parsers before: type edges, formula starts, separators, quotes.
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "true",
        "TRUE",
        "yes",
        "0",
        "-1",
        "1_000",
        "\u0661\u0662",  # Arabic-Indic digits: int() takes them
        "9" * 30,
        "9" * 5000,  # past int()'s digit limit
        "1e999",
        "nan",
        "-inf",
        "=1+1",
        "+1",
        "@x",
        "-x",
        "|",
        " | | ",
        '"',
        '""',
        "\n",
        "\r",
        "\x00",
        "\x1f",
        "\ufeff",
        "<script>alert(1)</script>",
        "IN_THEME",
        "stated",
        "inferred",
        "theme-elementary-stem",
        "a | b",
        "a|=b",
        "a |-3",
        "x| -y",
        "\u00a0@x",
        " false ",
        " 12 ",
        "1.5e3",
    ]
)
CELL = st.one_of(TRICKY, st.text(st.characters(codec="utf-8"), max_size=40))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "dataset"
    shutil.copytree(BUNDLED_DATASET, target)
    return target


@contextmanager
def _replaced(folder: Path, name: str, content: bytes) -> Iterator[None]:
    path = folder / name
    original = (BUNDLED_DATASET / name).read_bytes()
    path.write_bytes(content)
    try:
        yield
    finally:
        path.write_bytes(original)


def _read_or_refuse(folder: Path) -> None:
    try:
        read_dataset(folder)
    except DatasetError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file and problem.line >= 0 and problem.message
            assert "Traceback" not in problem.message


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@BOUNDED
@given(name=st.sampled_from(FILES), content=st.binary(max_size=400))
def test_random_bytes_in_any_file_are_refused_cleanly(
    folder: Path, name: str, content: bytes
) -> None:
    with _replaced(folder, name, content):
        _read_or_refuse(folder)


@BOUNDED
@given(
    name=st.sampled_from(FILES),
    keep=st.integers(min_value=0, max_value=5_000),
    tail=st.binary(max_size=200),
)
def test_a_real_file_cut_short_or_with_junk_appended_is_refused_cleanly(
    folder: Path, name: str, keep: int, tail: bytes
) -> None:
    original = (BUNDLED_DATASET / name).read_bytes()
    with _replaced(folder, name, original[:keep] + tail):
        _read_or_refuse(folder)


@BOUNDED
@given(data=st.data(), name=st.sampled_from(FILES))
def test_random_cells_under_the_right_header_are_refused_cleanly(
    folder: Path, data: st.DataObject, name: str
) -> None:
    header = list(COLUMNS[name])
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=4)
    )
    original = (BUNDLED_DATASET / name).read_bytes()
    body = original + _csv(rows) if data.draw(st.booleans()) else _csv([header, *rows])
    with _replaced(folder, name, body):
        _read_or_refuse(folder)


@BOUNDED
@given(data=st.data())
def test_random_relationship_rows_between_real_ids_are_refused_cleanly(
    folder: Path, data: st.DataObject
) -> None:
    ids = [
        "theme-elementary-stem",
        "academy-for-urban-school-leadership",
        "keystone-1",
        "focus-area-equity-in-high-school-stem",
    ]
    end = st.one_of(st.sampled_from(ids), CELL)
    kind = st.one_of(st.sampled_from(["IN_THEME", "MEMBER_OF", "ABOUT", "CONCERNS"]), CELL)
    basis = st.one_of(st.sampled_from(["stated", "inferred"]), CELL)
    rows = data.draw(
        st.lists(
            st.tuples(kind, end, end, basis, CELL, CELL, CELL, CELL, CELL).map(list),
            min_size=1,
            max_size=4,
        )
    )
    original = (BUNDLED_DATASET / REL_FILE).read_bytes()
    with _replaced(folder, REL_FILE, original + _csv(rows)):
        _read_or_refuse(folder)


@BOUNDED
@given(
    name=st.sampled_from(FILES),
    header=st.lists(st.one_of(st.sampled_from(["id", "name", "type", "key"]), CELL), max_size=8),
)
def test_random_headers_are_refused_cleanly(folder: Path, name: str, header: list[str]) -> None:
    with _replaced(folder, name, _csv([header, ["x"] * len(header)])):
        _read_or_refuse(folder)


def test_the_unchanged_copy_still_loads(folder: Path) -> None:
    assert read_dataset(folder).counts()[NodeKind.CHALLENGE.value] == 27


class _Notes:
    def __init__(self) -> None:
        self.seen: list[tuple[str, int, str]] = []

    def problem(self, file: str, line: int, message: str) -> None:
        self.seen.append((file, line, message))


@BOUNDED
@given(ptype=st.sampled_from(list(PropType)), cells=st.lists(CELL, max_size=8))
def test_a_column_converts_exactly_as_its_cells_one_by_one(
    ptype: PropType, cells: list[str]
) -> None:
    # The column's fast path and the one definition of a cell (parse_cell) agree on every
    # value, every bad cell and every message.
    lines = list(range(2, 2 + len(cells)))
    fast, slow = _Notes(), _Notes()
    values, bad = convert_column(fast, "f.csv", lines, "c", ptype, tuple(cells))
    one_by_one = [parse_cell(slow, "f.csv", n, "c", ptype, c) for n, c in zip(lines, cells)]
    assert values == [value for _, value in one_by_one]
    assert bad == [i for i, (ok, _) in enumerate(one_by_one) if not ok]
    assert fast.seen == slow.seen


@BOUNDED
@given(
    rows=st.lists(st.lists(CELL, min_size=2, max_size=2), max_size=8),
    ending=st.sampled_from(["\n", "\r\n", ""]),
)
def test_a_file_read_in_one_pass_has_the_records_and_lines_of_one_by_one(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], ending: str
) -> None:
    # The one-pass reading (every record whole) and the record-by-record one agree on
    # every record kept, the line it starts on, and every problem.
    folder = tmp_path_factory.mktemp("lines")
    buf = io.StringIO()
    csv.writer(buf, lineterminator=ending or "\n").writerows([["a", "b"], *rows])
    text = buf.getvalue()[: -1 if not ending else None]
    (folder / "t.csv").write_text(text, encoding="utf-8", newline="")
    one_pass = CsvReader(folder)
    kept = one_pass.rows("t.csv", ("a", "b"), policy=REVIEW)
    by_record = CsvReader(folder)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    lines, records = by_record._each_record("t.csv", reader, 2)
    assert [line for line, _ in kept] == lines
    assert [[row["a"], row["b"]] for _, row in kept] == records
    assert one_pass.problems == by_record.problems
