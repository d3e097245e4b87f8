"""Measure ``gcx suggest`` on the curated links: ranking, abstention, the calibrated threshold.

Usage::

    python -m bench.suggest [GOLD.csv ...] [--dataset DIR] [--out FILE]

Each gold file has the columns ``item``, ``outcome`` (``linked`` or ``none``) and
``target`` (a challenge or theme id; empty for ``none``), one row per link: the curators'
judgement of every commitment, activity, project team, resource and partner description.
Items with no words of their own (partners without a description) cannot be matched and
are counted, not judged.

For every scorer of :mod:`graph.analyses.matcher` it prints and (with ``--out``) writes:
precision at 1 and hit at 3 with no abstention (the ranking alone); the threshold
calibrated on the whole set (Youden's J, what ``ABSTAIN_BELOW`` holds); and the figures
cross-validated over 5 stratified folds, repeated 20 times, so every item is decided by a
threshold calibrated without it. The matcher never reads the curated links, and each
item's own words are left out of the targets' texts while it is judged.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.analyses.evaluation import calibrate, cross_validate, figures, judge
from graph.analyses.matcher import ABSTAIN_BELOW, METHODS
from graph.data import to_networkx
from graph.settings import BUNDLED_DATASET
from loaders import read_dataset

__all__ = ["measure", "read_gold"]


def read_gold(paths: Iterable[Path]) -> dict[str, frozenset[str]]:
    """Item -> the targets the curators linked it to (empty: it addresses nothing)."""
    gold: dict[str, set[str]] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                item, outcome = row["item"].strip(), row["outcome"].strip()
                targets = gold.setdefault(item, set())
                if outcome == "linked":
                    targets.add(row["target"].strip())
                elif outcome != "none":
                    raise ValueError(f"{path.name}:{line}: outcome {outcome!r}")
    return {item: frozenset(t) for item, t in gold.items()}


def measure(gold: dict[str, frozenset[str]], dataset: Path = BUNDLED_DATASET) -> dict[str, Any]:
    """The figures of every scorer on ``gold`` over the dataset in ``dataset``."""
    data = read_dataset(dataset)
    g = to_networkx(data.nodes, data.rels)
    results: dict[str, Any] = {"methods": {}, "items": len(gold)}
    for method in METHODS:
        started = time.perf_counter()
        judged = judge(g, gold, method=method)
        threshold = calibrate(judged, gold)
        ranking = figures(judged, gold)
        results["methods"][method] = {
            "ranking": ranking.to_dict(),
            "calibrated_threshold": threshold,
            "shipped_threshold": ABSTAIN_BELOW[method],
            "in_sample": figures(judged, gold, ABSTAIN_BELOW[method]).to_dict(),
            "cross_validated": cross_validate(judged, gold).to_dict(),
            "seconds": round(time.perf_counter() - started, 3),
        }
        done = {j.item for j in judged}
        results["judged"] = len(done)
        results["not_judged"] = sorted(i for i in gold if i in g and i not in done)
    results["missing"] = sorted(i for i in gold if i not in g)
    return results


def render(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, as docs/analyses.md quotes them."""
    lines = [
        f"{results['items']} items judged by the curators; {results['judged']} with words "
        f"to match on; {len(results['not_judged'])} without; {len(results['missing'])} "
        "not in the dataset.",
        "",
        "| method | P@1 (all) | hit@3 (all) | threshold | P@1 | hit@3 | answered (linked) "
        "| abstained (none) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for method, r in results["methods"].items():
        cv, rk = r["cross_validated"], r["ranking"]
        lines.append(
            f"| {method} | {rk['precision_at_1']:.3f} | {rk['hit_at_3']:.3f} "
            f"| {r['calibrated_threshold']} | {cv['precision_at_1']:.3f} | {cv['hit_at_3']:.3f} "
            f"| {cv['answered']:.3f} | {cv['abstained']:.3f} |"
        )
    first = next(iter(results["methods"].values()))["ranking"]
    lines += [
        "",
        f"{first['linked']} linked items, {first['none']} none-items. P@1 and hit@3 count "
        "the linked items the method answers; (all): with no abstention. The last four "
        "columns are cross-validated.",
        "",
        "At the shipped thresholds (ABSTAIN_BELOW), on the whole set:",
        "",
    ]
    for method, r in results["methods"].items():
        f = r["in_sample"]
        lines.append(
            f"- {method} at {r['shipped_threshold']}: P@1 {f['precision_at_1']:.3f}, hit@3 "
            f"{f['hit_at_3']:.3f}, answered {f['answered']:.3f}, abstained {f['abstained']:.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.suggest", description=__doc__)
    parser.add_argument(
        "gold",
        nargs="*",
        type=Path,
        help="curated gold CSV file(s) (default: DATASET/curation.csv)",
    )
    parser.add_argument("--dataset", type=Path, default=BUNDLED_DATASET)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results = measure(read_gold(args.gold or [args.dataset / "curation.csv"]), args.dataset)
    print(render(results))
    for method, r in results["methods"].items():
        if r["calibrated_threshold"] != r["shipped_threshold"]:
            print(
                f"\n{method}: the calibrated threshold {r['calibrated_threshold']} differs "
                f"from ABSTAIN_BELOW[{method!r}] = {r['shipped_threshold']} "
                "(graph/analyses/matcher.py)",
                file=sys.stderr,
            )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
