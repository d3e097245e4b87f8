"""The fair-baseline tables of a ``make bench`` run as Markdown, for ``docs/benchmarks.md``.

Usage::

    python -m bench.markdown [bench/results/latest.json]

Prints the load (against the engine floor), row-by-row, views and browser tables and the
targets of one run, with the run's commit, date and load average, so the document shows
figures measured together.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.tables import Column, columns

Row = dict[str, Any]
#: Words that pick out the fair-baseline targets among a run's targets.
_ISSUE_14 = ("engine floor", "pyvis", "Chromium")
#: The docs' tables: the words before each, where its rows are in the results (section,
#: list) and its columns.
_TABLES = (
    (
        "#### Load against the engine floor (medians; load / floor is the median of the "
        "ratios of each load and the floor run right after it)",
        "load",
        "rows",
        "dataset rows validate_s write_s load_s floor_s vs_floor load_cpu_s floor_cpu_s "
        "gcx_load_wall_s gcx_load_peak_rss_mib",
    ),
    (
        "#### Row-by-row `MERGE` in one transaction, against our write and our load",
        "row_by_row",
        "rows",
        "dataset rows row_by_row_s batched_write_s load_s ratio ratio_load",
    ),
    (
        "#### Views: first (uncached) server time (median ms), against pyvis with its "
        "template kept and plain JSON, on the same nodes and properties",
        "views",
        "rows",
        "dataset view nodes_median ours_ms pyvis_ms json_ms vs_pyvis vs_json ours_bytes "
        "pyvis_bytes",
    ),
    (
        "Per data version (once per load, in each server process): reading the snapshot, "
        "preparing what every view shares (`graph.views.prepare`, in the first request) "
        "and the first view after that:",
        "views",
        "prep",
        "dataset nodes snapshot_ms prepare_ms first_view_after_load_ms",
    ),
    (
        "#### Browser: navigation until shown / usable / interactive (ms, headless Chromium)",
        "browser",
        "rows",
        "dataset view measure cold_ms median_ms max_ms in_page_median_ms nodes",
    ),
)


def _table(shown: Sequence[Column], rows: list[Row]) -> str:
    """A Markdown table of ``rows``; text columns left-aligned."""
    heads = "| " + " | ".join(h for _, h, _ in shown) + " |"
    rule = "|" + "|".join("---" if not f else "---:" for _, _, f in shown) + "|"
    body = [
        "| "
        + " | ".join(format(r[k], f) if r.get(k) is not None else "-" for k, _, f in shown)
        + " |"
        for r in rows
    ]
    return "\n".join([heads, rule, *body])


def render(results: Row) -> str:
    env = results["environment"]
    parts = [
        f"Measured {env['when'][:16].replace('T', ' ')} UTC at commit `{env['commit']}`, "
        f"Python {env['python']}, ladybug {env['ladybug']}, {env['cpus']} shared cores (load "
        f"average {env['load_average_at_start'][0]:.1f} at the start and "
        f"{env['load_average_at_end'][0]:.1f} at the end: other work ran on the machine, so "
        "read the ratios, which are paired within the run, rather than the absolute times).",
    ]
    for title, section, key, keys in _TABLES:
        rows = results[section].get(key)
        if rows:
            parts += [title, _table(columns(keys), rows)]
    marks = [
        {**t, "result": "met" if t["met"] else "**missed**"}
        for t in results["targets"]
        if any(word in t["target"] for word in _ISSUE_14)
    ]
    parts += [
        "#### Targets of this run (load, views, browser; the others are in the printed table)",
        _table(columns("target measured result"), marks),
    ]
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else Path("bench/results/latest.json")
    print(render(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
