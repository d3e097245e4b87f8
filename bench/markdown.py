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

Row = dict[str, Any]
#: Words that pick out the fair-baseline targets among a run's targets.
_ISSUE_14 = ("engine floor", "pyvis", "Chromium")


def _table(columns: list[tuple[str, str, str]], rows: list[Row]) -> str:
    """Columns are (key, heading, format spec); text columns left-aligned."""
    heads = "| " + " | ".join(h for _, h, _ in columns) + " |"
    rule = "|" + "|".join("---" if not f else "---:" for _, _, f in columns) + "|"
    body = [
        "| "
        + " | ".join(format(r[k], f) if r.get(k) is not None else "-" for k, _, f in columns)
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
    if results["load"].get("rows"):
        parts += [
            "#### Load against the engine floor (median of runs)",
            _table(
                [
                    ("dataset", "dataset", ""),
                    ("rows", "rows", ",d"),
                    ("validate_s", "validate s", ".3f"),
                    ("write_s", "write s", ".3f"),
                    ("load_s", "load s", ".3f"),
                    ("floor_s", "engine floor s", ".3f"),
                    ("vs_floor", "load / floor", ".2f"),
                    ("gcx_load_wall_s", "`gcx load` wall s", ".2f"),
                    ("gcx_load_peak_rss_mib", "peak RSS MiB", ".0f"),
                ],
                results["load"]["rows"],
            ),
        ]
    if results["row_by_row"].get("rows"):
        parts += [
            "#### Row-by-row `MERGE` in one transaction, against our write and our load",
            _table(
                [
                    ("dataset", "dataset", ""),
                    ("rows", "rows", ",d"),
                    ("row_by_row_s", "row-by-row s", ".2f"),
                    ("batched_write_s", "our write s", ".3f"),
                    ("load_s", "our load s", ".3f"),
                    ("ratio", "x our write", ".1f"),
                    ("ratio_load", "x our load", ".1f"),
                ],
                results["row_by_row"]["rows"],
            ),
        ]
    views = results["views"]
    if views.get("rows"):
        parts += [
            "#### Views: first (uncached) server time (median ms), against pyvis with its "
            "template kept and plain JSON, on the same nodes and properties",
            _table(
                [
                    ("dataset", "dataset", ""),
                    ("view", "view", ""),
                    ("nodes_median", "nodes", ",d"),
                    ("ours_ms", "ours", ".1f"),
                    ("pyvis_ms", "pyvis", ".1f"),
                    ("json_ms", "JSON", ".1f"),
                    ("vs_pyvis", "ours / pyvis", ".2f"),
                    ("vs_json", "ours / JSON", ".2f"),
                    ("ours_bytes", "ours bytes", ",d"),
                    ("pyvis_bytes", "pyvis bytes", ",d"),
                ],
                views["rows"],
            ),
            "Per data version (once per load, in each server process): reading the snapshot, "
            "preparing what every view shares (`graph.views.prepare`, in the first request) "
            "and the first view after that:",
            _table(
                [
                    ("dataset", "dataset", ""),
                    ("nodes", "nodes", ",d"),
                    ("snapshot_ms", "snapshot ms", ".0f"),
                    ("prepare_ms", "prepare ms", ".0f"),
                    ("first_view_after_load_ms", "first view ms", ".0f"),
                ],
                views["prep"],
            ),
        ]
    if results["browser"].get("rows"):
        parts += [
            "#### Browser: navigation until drawn / usable (ms, headless Chromium)",
            _table(
                [
                    ("dataset", "dataset", ""),
                    ("view", "view", ""),
                    ("measure", "until", ""),
                    ("cold_ms", "cold", ".0f"),
                    ("median_ms", "median", ".0f"),
                    ("max_ms", "max", ".0f"),
                    ("in_page_median_ms", "in-page median", ".0f"),
                    ("nodes", "nodes", "d"),
                ],
                results["browser"]["rows"],
            ),
        ]
    marks = [
        {**t, "result": "met" if t["met"] else "**missed**"}
        for t in results["targets"]
        if any(word in t["target"] for word in _ISSUE_14)
    ]
    parts += [
        "#### Targets of this run (load, views, browser; the others are in the printed table)",
        _table([("target", "target", ""), ("measured", "measured", ""), ("result", "", "")], marks),
    ]
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else Path("bench/results/latest.json")
    print(render(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
