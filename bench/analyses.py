"""Time the analyses: collaborators for every partner, gaps, the matrix, cover, suggestions.

Usage::

    python -m bench.analyses [--scale 100] [--limit 20] [--out FILE]

Three graphs are measured, each built in memory as the store's snapshot would be
(``graph.data.to_networkx``; loading and snapshot times are ``bench.run``'s business):

* ``bundled`` — the bundled dataset.
* ``synth xN`` — ``bench.synth`` at scale N: every node kind N times, wired as a seeded
  configuration model, so challenges, partners and teams all multiply.
* ``replica xN`` — the bundled dataset replicated N times with suffixed ids (``id~k``)
  on one shared map: themes, challenges and keystones once, everything else N times.
  N times the partners work on the same 27 challenges, the worst case for the collaborator
  finder (every partner on a catalyst shares it with N times as many others).

For each: the first collaborator call (which builds the per-snapshot index), then
collaborators for every partner with ``--limit`` (what a page shows) and without a limit,
gaps for all challenges (both link bases), the theme x sector matrix, the SVG chart, a
cover of every catalyst, and BM25 suggestions for every commitment. Wall times from
``time.perf_counter``, one run each (the figures are seconds, not microseconds).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.analyses.chart import leverage_chart_svg
from graph.analyses.collaborators import _index, collaborators, cover
from graph.analyses.gaps import gaps, theme_sector_matrix
from graph.analyses.suggest import suggest
from graph.data import GraphData, Node, Rel, Snapshot, to_networkx
from graph.model import NodeKind
from graph.settings import BUNDLED_DATASET
from loaders import read_dataset

SHARED_KINDS = frozenset({NodeKind.THEME, NodeKind.CHALLENGE, NodeKind.KEYSTONE})


def replicate(data: GraphData, copies: int) -> GraphData:
    """``copies`` copies of ``data`` on one shared map (themes, challenges, keystones once)."""
    shared = {n.id for n in data.nodes if n.kind in SHARED_KINDS}

    def rid(node: str, k: int) -> str:
        return node if node in shared or k == 0 else f"{node}~{k}"

    nodes: list[Node] = [n for n in data.nodes if n.id in shared]
    rels: list[Rel] = []
    seen: set[tuple[str, str, str]] = set()
    for k in range(copies):
        for n in data.nodes:
            if n.id not in shared:
                nodes.append(Node(n.kind, {**n.props, "id": rid(n.id, k)}))
        for r in data.rels:
            key = (r.type.value, rid(r.source, k), rid(r.target, k))
            if key not in seen:  # links between shared nodes exist once
                seen.add(key)
                rels.append(Rel(r.type, key[1], key[2], dict(r.props)))
    return GraphData(nodes=nodes, rels=rels, meta=dict(data.meta))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def measure(label: str, data: GraphData, limit: int, full_sample: int = 1000) -> dict[str, Any]:
    g: Snapshot = nx.freeze(to_networkx(data.nodes, data.rels))
    partners = [n for n, d in g.nodes(data=True) if d["kind"] == NodeKind.PARTNER.value]
    catalysts = [
        n
        for n, d in g.nodes(data=True)
        if d["kind"] == NodeKind.CHALLENGE.value and d.get("catalyst") is True
    ]
    row: dict[str, Any] = {
        "graph": label,
        "nodes": g.number_of_nodes(),
        "relationships": g.number_of_edges(),
        "partners": len(partners),
        "challenges": sum(1 for _, d in g.nodes(data=True) if d["kind"] == "Challenge"),
        "commitments": sum(1 for _, d in g.nodes(data=True) if d["kind"] == "Commitment"),
    }
    row["index_s"], _ = timed(lambda: (_index(g, True), _index(g, False)))
    row["collaborators_limited_s"], lists = timed(
        lambda: [collaborators(g, p, limit=limit) for p in partners]
    )
    row["collaborators_limited_listed"] = sum(len(x) for x in lists)
    row["collaborators_per_partner_ms"] = 1000 * row["collaborators_limited_s"] / len(partners)
    del lists
    # Full lists (every partner that shares anything) can run to thousands per partner on
    # the replica: time a sample of at most `full_sample` partners and scale up, and keep
    # only the counts so memory stays flat.
    step = max(1, len(partners) // full_sample)
    sample = partners[::step]
    full_s, listed = timed(lambda: sum(len(collaborators(g, p)) for p in sample))
    row["collaborators_all_sampled"] = len(sample)
    row["collaborators_all_per_partner_ms"] = 1000 * full_s / len(sample)
    row["collaborators_all_est_s"] = full_s * len(partners) / len(sample)
    row["collaborators_all_mean_listed"] = listed / len(sample)
    row["gaps_s"], report = timed(lambda: (gaps(g), gaps(g, include_inferred=False))[0])
    row["matrix_s"], _ = timed(lambda: theme_sector_matrix(g))
    row["chart_s"], _ = timed(lambda: leverage_chart_svg(report))
    row["cover_catalysts_s"], _ = timed(lambda: cover(g, catalysts))
    row["suggest_s"], found = timed(lambda: suggest(g, top=3))
    row["suggestions"] = len(found)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analyses", description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--limit", type=int, default=20, help="collaborators per partner")
    parser.add_argument("--out", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)

    data = read_dataset(BUNDLED_DATASET)
    graphs: list[tuple[str, Callable[[], GraphData]]] = [
        ("bundled", lambda: data),
        (f"replica x{args.scale}", lambda: replicate(data, args.scale)),
    ]
    try:
        from bench.synth import synthesize

        graphs.insert(1, (f"synth x{args.scale}", lambda: synthesize(args.scale)))
    except ImportError:
        print("bench.synth is not available: skipping the synthetic graph", file=sys.stderr)

    rows = []
    for label, build in graphs:
        built_s, built = timed(build)
        row = measure(label, built, args.limit)
        row["build_s"] = built_s
        rows.append(row)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}))
        sys.stdout.flush()

    keys = [
        ("graph", "graph"),
        ("partners", "partners"),
        ("challenges", "challenges"),
        ("index_s", "index s"),
        ("collaborators_limited_s", f"collab top{args.limit} s"),
        ("collaborators_per_partner_ms", "per partner ms"),
        ("collaborators_all_est_s", "collab all s (est.)"),
        ("gaps_s", "gaps s"),
        ("matrix_s", "matrix s"),
        ("suggest_s", "suggest s"),
    ]
    print()
    print(" | ".join(h for _, h in keys))
    for row in rows:
        print(
            " | ".join(
                f"{row[k]:.3f}" if isinstance(row[k], float) else str(row[k]) for k, _ in keys
            )
        )
    print(f"\n{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
