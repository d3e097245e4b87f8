"""Write dataset files in the canonical CSV format, as :mod:`loaders.dataset` reads them.

The tools that make a dataset folder (``scripts/convert_raw.py`` from the raw harvest,
``bench/synth.py`` at N times the bundled data) write every file through here: UTF-8
without a byte-order mark, ``\\n`` line ends, and each value as the reader parses it back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from graph.data import Value
from loaders.dataset import LIST_SEPARATOR

__all__ = ["cell_text", "write_csv"]


def cell_text(value: Value) -> str:
    """A value as a dataset cell: empty for unknown, ``true``/``false``, list items joined
    with ``" | "``.

    >>> [cell_text(v) for v in (None, True, ["a", "b"], 3)]
    ['', 'true', 'a | b', '3']
    """
    if isinstance(value, list):
        return f" {LIST_SEPARATOR} ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write one dataset file: the header, then the rows (already cell text)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
