"""Byte caps for console results, applied inside the worker before anything is sent.

A cell's text is cut at :data:`MAX_CELL_BYTES` and a list at :data:`MAX_LIST_ITEMS`; the
whole answer stops at :data:`MAX_RESPONSE_BYTES` (as JSON would count it, roughly).
Whatever was cut is said in a notice, so a reader knows the result is not whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_CELL_BYTES", "MAX_LIST_ITEMS", "MAX_RESPONSE_BYTES", "Budget"]

#: Longest text in one cell (UTF-8 bytes); longer text is cut and marked.
MAX_CELL_BYTES = 64 * 1024
#: Most items of one list (or entries of one map) in a cell.
MAX_LIST_ITEMS = 10_000
#: Largest answer (about the size of its JSON); rows past it are dropped.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
#: Deepest nesting of lists and maps kept in a cell.
MAX_DEPTH = 32


@dataclass
class Budget:
    """What is left of the response budget, and what had to be cut."""

    left: int = MAX_RESPONSE_BYTES
    cut_cells: bool = False
    cut_rows: bool = False

    def bound(self, value: Any, depth: int = 0) -> tuple[Any, int]:
        """``value`` within the per-cell caps, and its approximate size in bytes."""
        if isinstance(value, str):
            data = value.encode("utf-8", "replace")
            if len(data) > MAX_CELL_BYTES:
                self.cut_cells = True
                value = data[:MAX_CELL_BYTES].decode("utf-8", "ignore") + "…"
                return value, MAX_CELL_BYTES + 5
            return value, len(data) + 2
        if isinstance(value, list | tuple):
            if depth >= MAX_DEPTH:
                self.cut_cells = True
                return None, 4
            items = list(value)
            if len(items) > MAX_LIST_ITEMS:
                self.cut_cells = True
                items = items[:MAX_LIST_ITEMS]
            out, size = [], 2
            for item in items:
                v, s = self.bound(item, depth + 1)
                out.append(v)
                size += s + 1
            return out, size
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                self.cut_cells = True
                return None, 4
            entries = list(value.items())
            if len(entries) > MAX_LIST_ITEMS:
                self.cut_cells = True
                entries = entries[:MAX_LIST_ITEMS]
            kept, size = {}, 2
            for k, v in entries:
                bv, s = self.bound(v, depth + 1)
                kept[str(k)] = bv
                size += s + len(str(k)) + 4
            return kept, size
        return value, 24

    def take_row(self, row: list[Any]) -> list[Any] | None:
        """The row within the caps, or None (and ``cut_rows``) when the budget is spent."""
        out, size = self.bound(row)
        if size > self.left:
            self.cut_rows = True
            return None
        self.left -= size
        return list(out)

    def notice(self) -> str:
        """What was cut, in a sentence (empty when nothing was)."""
        parts = []
        if self.cut_cells:
            parts.append(
                f"long values were cut (at {MAX_CELL_BYTES // 1024} KiB of text or "
                f"{MAX_LIST_ITEMS:,} items)"
            )
        if self.cut_rows:
            parts.append(f"the result stops at {MAX_RESPONSE_BYTES // 1024**2} MiB")
        return "; ".join(parts)
