"""Every column of the benchmark tables, once: its heading and how its figures are written.

``bench.run`` prints its tables and ``bench.markdown`` writes the docs' tables from these
entries, so a figure has the same heading and rounding wherever it appears; a table names
its columns by key (:func:`columns`).
"""

from __future__ import annotations

__all__ = ["COLUMNS", "Column", "columns"]

#: A table column: the row key it shows, its heading, its format spec (empty: text).
Column = tuple[str, str, str]

#: key -> (heading, format spec) of every column.
COLUMNS: dict[str, tuple[str, str]] = {
    # what a row is about
    "dataset": ("dataset", ""),
    "endpoint": ("endpoint", ""),
    "kind": ("kind", ""),
    "name": ("page", ""),
    "view": ("view", ""),
    "measure": ("until", ""),
    "status": ("status", ""),
    "target": ("target", ""),
    "measured": ("measured", ""),
    "result": ("", ""),
    # sizes
    "rows": ("rows", ",d"),
    "nodes": ("nodes", ",d"),
    "nodes_median": ("nodes", ",d"),
    "edges": ("edges", ",d"),
    "requests": ("requests", "d"),
    "samples": ("runs", "d"),
    "bytes_median": ("bytes (median)", ",d"),
    "bytes_max": ("bytes (max)", ",d"),
    "ours_bytes": ("ours bytes", ",d"),
    "pyvis_bytes": ("pyvis bytes", ",d"),
    "json_bytes": ("JSON bytes", ",d"),
    "moved_px": ("moved px", ".1f"),
    # loading
    "validate_s": ("validate s", ".3f"),
    "write_s": ("write s", ".3f"),
    "load_s": ("load s", ".3f"),
    "rows_per_s": ("rows/s", ",.0f"),
    "write_rows_per_s": ("write rows/s", ",.0f"),
    "floor_s": ("engine floor s", ".3f"),
    "vs_floor": ("load / floor", ".2f"),
    "load_cpu_s": ("load CPU s", ".2f"),
    "floor_cpu_s": ("floor CPU s", ".2f"),
    "gcx_load_wall_s": ("gcx load wall s", ".2f"),
    "row_by_row_s": ("row-by-row s", ".2f"),
    "row_by_row_rows_per_s": ("rows/s", ",.0f"),
    "batched_write_s": ("our write s", ".3f"),
    "ratio": ("vs our write", ".1f"),
    "ratio_load": ("vs our load", ".1f"),
    "snapshot_s": ("snapshot s", ".3f"),
    # memory
    "rss_before_mib": ("RSS before MiB", ".0f"),
    "peak_rss_mib": ("peak RSS MiB", ".0f"),
    "gcx_load_peak_rss_mib": ("peak RSS MiB", ".0f"),
    # times of requests, views and pages
    "p50_ms": ("p50 ms", ".1f"),
    "p95_ms": ("p95 ms", ".1f"),
    "cached_p50_ms": ("cached p50 ms", ".2f"),
    "cold_ms": ("cold ms", ".1f"),
    "median_ms": ("median ms", ".0f"),
    "max_ms": ("max ms", ".0f"),
    "in_page_median_ms": ("in-page median ms", ".0f"),
    "ours_ms": ("ours ms", ".1f"),
    "ours_max_ms": ("ours max", ".1f"),
    "pyvis_ms": ("pyvis ms", ".1f"),
    "json_ms": ("JSON ms", ".1f"),
    "vs_pyvis": ("ours/pyvis", ".2f"),
    "vs_json": ("ours/JSON", ".2f"),
    "snapshot_ms": ("snapshot ms", ".0f"),
    "prepare_ms": ("prepare ms", ".0f"),
    "first_view_after_load_ms": ("first view ms", ".0f"),
}


def columns(keys: str) -> list[Column]:
    """The (key, heading, format spec) of each of the space-separated ``keys``, in order.

    >>> columns("dataset rows")
    [('dataset', 'dataset', ''), ('rows', 'rows', ',d')]
    """
    return [(key, *COLUMNS[key]) for key in keys.split()]
