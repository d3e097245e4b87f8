"""``make bench``: measure load, snapshot, row-by-row loading and the web paths; print a table.

Usage::

    python -m bench.run [--scales 1,10,100] [--repeat 3] [--quick] [--out FILE]

Every measurement that reports memory runs in its own process, so its peak RSS (read
with ``wait4`` from the parent) belongs to that measurement alone. Datasets are the
bundled one and synthetic copies at each scale (``bench.synth``, seed 1); databases live
in a temporary folder that is removed at the end. Results go to
``bench/results/latest.json`` and are printed as tables, each target marked met or
missed.

The sections are independent: ``load`` (``gcx load`` into the embedded store, against the
engine's floor: the same per-table CSVs loaded by ``COPY`` alone, ``bench.floor``),
``snapshot`` (store -> networkx), ``row_by_row`` (one ``MERGE`` per row in one transaction,
against our load), ``api`` (server time per endpoint through the Flask test client),
``views`` (every graph view's first server time against pyvis with its template kept and
plain networkx -> JSON; ``bench.views``), ``pages`` (every page and the remaining API
calls on the bundled data; ``bench.pages``) and ``browser`` (the challenge page, the
whole graph and the largest centred view in headless Chromium, on the bundled data and
the largest synthetic scale). A section that cannot run here says why in the results
instead of failing the run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.synth import DEFAULT_SEED, write_dataset
from bench.tables import Column, columns
from graph.settings import BUNDLED_DATASET, PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"
DEFAULT_SCALES = (1, 10, 100)
#: The issue's load target: validate + write at most this many times the engine's floor.
LOAD_FLOOR_TARGET = 1.5
Row = dict[str, Any]


# -- measuring a process ---------------------------------------------------------------
@dataclass(frozen=True)
class Proc:
    """One finished child process: wall time, peak RSS, exit code and output."""

    wall_s: float
    peak_rss_mib: float
    code: int
    stdout: str
    stderr: str


# Linux charges a child's peak RSS with its parent's at exec (the old address space's
# high-water mark is carried over), so a child forked from a big process (pytest, a long
# bench) would report that process's size. A tiny launcher forks the real child from a
# small address space and reports the child's own ``wait4`` figure.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_process(argv: Sequence[str], env: dict[str, str] | None = None) -> Proc:
    """Run ``argv`` to the end; measure its wall time and its own peak RSS (``wait4``)."""
    start = time.perf_counter()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as report,
    ):
        subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, report.name, *argv],
            stdout=out,
            stderr=err,
            env={**os.environ, **(env or {})},
            check=False,
        )
        wall = time.perf_counter() - start
        code_text, maxrss_text = report.read().split()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Proc(wall, int(maxrss_text) / 1024, int(code_text), stdout, stderr)


def child(mode: str, *args: str, env: dict[str, str] | None = None) -> tuple[Row, Proc]:
    """Run one measurement of this module in a fresh interpreter; return its JSON answer."""
    proc = run_process([sys.executable, "-m", "bench.run", "--child", mode, *args], env)
    if proc.code != 0:
        raise RuntimeError(f"bench child {mode} failed ({proc.code}):\n{proc.stderr[-3000:]}")
    answer: Row = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer, proc


# -- child measurements (run inside the fresh process) ---------------------------------
def _child_load(folder: str, db_path: str) -> Row:
    from graph.backends import open_store
    from graph.settings import Settings
    from loaders import load

    store = open_store(Settings(db_path=Path(db_path)))
    cpu = _cpu_s()
    start = time.perf_counter()
    report = load(Path(folder), store)
    total = time.perf_counter() - start
    cpu = _cpu_s() - cpu
    store.close()
    return {
        "rows": report.rows,
        "validate_s": report.validate_s,
        "write_s": report.write_s,
        "load_s": total,
        "cpu_s": cpu,
    }


def _cpu_s() -> float:
    """CPU seconds this process has used so far, every thread (the engine's included)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child_snapshot(db_path: str) -> Row:
    import resource

    from graph.backends import open_store
    from graph.settings import Settings

    store = open_store(Settings(db_path=Path(db_path)))
    info = store.info()  # opens the database: not part of the snapshot time
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    g = store.snapshot()
    elapsed = time.perf_counter() - start
    store.close()
    return {
        "version": info.version,
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "snapshot_s": elapsed,
        "rss_before_mib": before,
    }


def _child_row_by_row(folder: str, db_file: str) -> Row:
    """The usual hand-written loader: one MERGE per node, one MATCH+MERGE per relationship,
    all in one transaction (committing per statement would cost several times more)."""
    import ladybug

    from graph.model import NODE_KINDS, REL_PROPERTIES
    from graph.store.cypher import schema_ddl
    from loaders import read_dataset

    data = read_dataset(Path(folder))
    kinds = {n.id: n.kind for n in data.nodes}
    db = ladybug.Database(db_file)
    conn = ladybug.Connection(db)
    for stmt in schema_ddl():
        conn.execute(stmt)
    node_stmts = {
        kind: f"MERGE (n:{kind.value} {{id: $id}}) SET "
        + ", ".join(f"n.{p} = ${p}" for p in spec.property_names[1:])
        for kind, spec in NODE_KINDS.items()
    }
    rel_sets = ", ".join(f"r.{p.name} = ${p.name}" for p in REL_PROPERTIES)
    start = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    for n in data.nodes:
        spec = NODE_KINDS[n.kind]
        node_params: dict[str, Any] = {p: n.props.get(p) for p in spec.property_names}
        conn.execute(node_stmts[n.kind], node_params)
    for r in data.rels:
        stmt = (
            f"MATCH (a:{kinds[r.source].value} {{id: $source}}), "
            f"(b:{kinds[r.target].value} {{id: $target}}) "
            f"MERGE (a)-[r:{r.type.value}]->(b) SET {rel_sets}"
        )
        params: dict[str, Any] = {"source": r.source, "target": r.target}
        params.update({p.name: r.props.get(p.name) for p in REL_PROPERTIES})
        conn.execute(stmt, params)
    conn.execute("COMMIT")
    conn.close()
    db.close()  # the checkpoint, as a load's
    elapsed = time.perf_counter() - start
    return {"rows": len(data.nodes) + len(data.rels), "row_by_row_s": elapsed}


def _child_floor(folder: str, db_file: str) -> Row:
    """The engine's floor: the CSVs a load hands the engine, loaded by ``COPY`` alone.

    The per-table CSVs are written first, as the embedded store stages them (not timed);
    then a fresh database gets the schema, one ``COPY`` per table and one checkpoint
    (``bench.floor``): no validation, no Python staging, no fingerprint, no swap.
    """
    from bench.floor import copy_all, stage_all
    from loaders import read_dataset

    data = read_dataset(Path(folder))
    staging = Path(db_file).parent / "floor-staging"
    staging.mkdir()
    steps = stage_all(data, staging)
    cpu = _cpu_s()
    start = time.perf_counter()
    copy_all(Path(db_file), steps)
    elapsed = time.perf_counter() - start
    cpu = _cpu_s() - cpu
    shutil.rmtree(staging)
    return {"rows": len(data.nodes) + len(data.rels), "floor_s": elapsed, "cpu_s": cpu}


def _child_api(db_path: str, runs: str) -> Row:
    from bench.web import measure_api

    return measure_api(db_path, runs)


def _child_views(db_path: str, runs: str) -> Row:
    from bench.views import measure_views

    return measure_views(db_path, runs)


def _child_pages(db_path: str, runs: str) -> Row:
    from bench.pages import measure_pages

    return measure_pages(db_path, runs)


def _child_browser(db_path: str, runs: str) -> Row:
    from bench.pages import measure_browser

    return measure_browser(db_path, runs)


CHILDREN: dict[str, Callable[..., Row]] = {
    "load": _child_load,
    "snapshot": _child_snapshot,
    "row_by_row": _child_row_by_row,
    "api": _child_api,
    "views": _child_views,
    "floor": _child_floor,
    "pages": _child_pages,
    "browser": _child_browser,
}


# -- sections ----------------------------------------------------------------------------
@dataclass
class Dataset:
    label: str
    scale: int
    folder: Path


@dataclass
class Context:
    """What every section shares: the datasets, a scratch folder and the options."""

    datasets: list[Dataset]
    work: Path
    repeat: int
    row_by_row_max_rows: int
    api_runs: int = 50
    pages_runs: int = 50
    browser_runs: int = 9
    db_paths: dict[str, Path] = field(default_factory=dict)

    def db_for(self, label: str) -> Path:
        return self.work / f"db-{label}" / "graph.lbug"


def section_load(ctx: Context) -> Row:
    """``gcx load`` per dataset: in-process validate/write split, the whole command, and the
    engine's floor (the same per-table CSVs loaded by ``COPY`` alone).

    Each in-process load is followed at once by a floor, and *load / floor* is the median
    of these pairs' ratios: a minute when other work takes the machine's cores slows the
    load and its floor together, where timing every load and then every floor would put
    them in different minutes. CPU seconds (every thread of the process) are reported
    beside the wall times: a load keeps two threads busy (validation and the engine), a
    floor one, so contention moves the wall ratio towards the CPU ratio.
    """
    rows: list[Row] = []
    for ds in ctx.datasets:
        timings: list[Row] = []
        floors: list[Row] = []
        for _ in range(ctx.repeat):
            db = ctx.work / f"load-{ds.label}" / "graph.lbug"
            shutil.rmtree(db.parent, ignore_errors=True)
            answer, _ = child("load", str(ds.folder), str(db))
            timings.append(answer)
            db = ctx.work / f"floor-{ds.label}" / "graph.lbug"
            shutil.rmtree(db.parent, ignore_errors=True)
            db.parent.mkdir(parents=True)
            answer, _ = child("floor", str(ds.folder), str(db))
            floors.append(answer)
        cli_walls: list[float] = []
        peak = 0.0
        for _ in range(ctx.repeat):
            db = ctx.db_for(ds.label)
            shutil.rmtree(db.parent, ignore_errors=True)
            proc = run_process(
                [sys.executable, "-m", "gcx", "load", str(ds.folder)], {"GCX_DB_PATH": str(db)}
            )
            if proc.code != 0:
                raise RuntimeError(f"gcx load {ds.folder} failed:\n{proc.stderr[-3000:]}")
            cli_walls.append(proc.wall_s)
            peak = max(peak, proc.peak_rss_mib)
        ctx.db_paths[ds.label] = ctx.db_for(ds.label)
        floor_s = statistics.median(f["floor_s"] for f in floors)
        load_s = statistics.median(t["load_s"] for t in timings)
        pairs = [t["load_s"] / f["floor_s"] for t, f in zip(timings, floors, strict=True)]
        row_count = int(timings[0]["rows"])
        rows.append(
            {
                "dataset": ds.label,
                "scale": ds.scale,
                "rows": row_count,
                "validate_s": statistics.median(t["validate_s"] for t in timings),
                "write_s": statistics.median(t["write_s"] for t in timings),
                "load_s": load_s,
                "rows_per_s": row_count / load_s,
                "write_rows_per_s": row_count / statistics.median(t["write_s"] for t in timings),
                "gcx_load_wall_s": statistics.median(cli_walls),
                "gcx_load_peak_rss_mib": peak,
                "floor_s": floor_s,
                # each pair's ratio (a load and the floor run right after it), and their median
                "pair_ratios": pairs,
                "vs_floor": statistics.median(pairs),
                "load_cpu_s": statistics.median(t["cpu_s"] for t in timings),
                "floor_cpu_s": statistics.median(f["cpu_s"] for f in floors),
            }
        )
    return {"status": "measured", "rows": rows}


def section_snapshot(ctx: Context) -> Row:
    """Store -> networkx snapshot per dataset, in a fresh process each time."""
    rows: list[Row] = []
    for ds in ctx.datasets:
        db = ctx.db_paths.get(ds.label)
        if db is None:
            continue
        answers: list[Row] = []
        peak = 0.0
        for _ in range(ctx.repeat):
            answer, proc = child("snapshot", str(db))
            answers.append(answer)
            peak = max(peak, proc.peak_rss_mib)
        rows.append(
            {
                "dataset": ds.label,
                "scale": ds.scale,
                "nodes": answers[0]["nodes"],
                "edges": answers[0]["edges"],
                "snapshot_s": statistics.median(a["snapshot_s"] for a in answers),
                "rss_before_mib": max(a["rss_before_mib"] for a in answers),
                "peak_rss_mib": peak,
            }
        )
    return {"status": "measured", "rows": rows}


def section_row_by_row(ctx: Context, load: Row) -> Row:
    """One ``MERGE`` per row (one transaction) into the same engine, against our whole load."""
    batched = {r["dataset"]: r for r in load.get("rows", [])}
    rows: list[Row] = []
    skipped: list[str] = []
    for ds in ctx.datasets:
        ours = batched.get(ds.label)
        if ours is None or ds.label == "bundled":
            continue
        if ours["rows"] > ctx.row_by_row_max_rows:
            skipped.append(f"{ds.label} ({ours['rows']:,} rows > --row-by-row-max-rows)")
            continue
        db = ctx.work / f"rbr-{ds.label}" / "graph.lbug"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        answer, proc = child("row_by_row", str(ds.folder), str(db))
        rows.append(
            {
                "dataset": ds.label,
                "scale": ds.scale,
                "rows": answer["rows"],
                "row_by_row_s": answer["row_by_row_s"],
                "row_by_row_rows_per_s": answer["rows"] / answer["row_by_row_s"],
                "batched_write_s": ours["write_s"],
                "load_s": ours["load_s"],
                "ratio": answer["row_by_row_s"] / ours["write_s"],
                "ratio_load": answer["row_by_row_s"] / ours["load_s"],
                "row_by_row_peak_rss_mib": proc.peak_rss_mib,
            }
        )
    out: Row = {"status": "measured", "rows": rows}
    if skipped:
        out["skipped"] = skipped
    return out


def _web_ready() -> str | None:
    """Why the web sections cannot run here, or None when they can."""
    try:
        import web  # noqa: F401
    except ImportError as exc:
        return f"the web app cannot be imported: {exc}"
    return None


def section_api(ctx: Context) -> Row:
    """Server time p50/p95 and bytes per endpoint, per dataset (bench.web.measure_api)."""
    why = _web_ready()
    if why:
        return {"status": "skipped", "reason": why}
    from bench.web import TARGETS

    rows: list[Row] = []
    for ds in ctx.datasets:
        db = ctx.db_paths.get(ds.label)
        if db is None:
            continue
        answer, proc = child("api", str(db), str(ctx.api_runs))
        for r in answer["rows"]:
            rows.append({"dataset": ds.label, "scale": ds.scale, **r})
        rows.append(
            {
                "dataset": ds.label,
                "scale": ds.scale,
                "endpoint": "(process peak RSS MiB)",
                "status": "measured",
                "peak_rss_mib": proc.peak_rss_mib,
            }
        )
    checks: list[Row] = []
    for names, scale, limit in TARGETS:
        label = "bundled" if scale == 1 else f"synthetic-x{scale}"
        for r in rows:
            if r["dataset"] == label and r["endpoint"] in names and "p95_ms" in r:
                checks.append(
                    {
                        "target": f"{r['endpoint']} at x{scale}: p95 <= {limit:g} ms",
                        "measured": f"{r['p95_ms']:.1f} ms",
                        "met": r["p95_ms"] <= limit and r["status"] == "measured",
                    }
                )
    not_served = sorted({r["endpoint"] for r in rows if r.get("status") == "not served"})
    table = _table(
        "API: server time per request, Flask test client, a different id per request "
        "(busiest first); cached = the same request again",
        columns(
            "dataset endpoint status requests p50_ms p95_ms cached_p50_ms bytes_median bytes_max "
            "peak_rss_mib"
        ),
        [r for r in rows if r.get("status") != "not served"],
    )
    if not_served:
        table += "\n  not served by this build (no route): " + ", ".join(not_served)
    return {"status": "measured", "rows": rows, "targets": checks, "table": table}


def section_views(ctx: Context) -> Row:
    """Every view's first server time against pyvis-with-template and plain JSON."""
    why = _web_ready()
    if why:
        return {"status": "skipped", "reason": why}
    from bench.views import PYVIS_RATIO_TARGET

    rows: list[Row] = []
    prep: list[Row] = []
    for ds in ctx.datasets:
        db = ctx.db_paths.get(ds.label)
        if db is None or ds.label == "synthetic-x1":
            continue
        answer, _ = child("views", str(db), str(ctx.api_runs))
        rows += [{"dataset": ds.label, "scale": ds.scale, **r} for r in answer["rows"]]
        prep.append(
            {
                "dataset": ds.label,
                "nodes": answer["nodes"],
                "snapshot_ms": answer["snapshot_ms"],
                "prepare_ms": answer["prepare_ms"],
                "first_view_after_load_ms": answer["first_view_after_load_ms"],
            }
        )
    checks = [
        {
            "target": f"{r['view']} at {r['dataset']}: first view <= "
            f"{PYVIS_RATIO_TARGET:g}x pyvis with its template",
            "measured": f"{r['vs_pyvis']:.2f}x ({r['ours_ms']:.1f} ms vs {r['pyvis_ms']:.1f} ms; "
            f"plain JSON {r['json_ms']:.1f} ms)",
            "met": r["vs_pyvis"] <= PYVIS_RATIO_TARGET,
        }
        for r in rows
    ]
    table = _table(
        "Views: first (uncached) server time, median ms; ours = /api/subgraph with the app's "
        "per-request caches emptied; pyvis = from_nx + generate_html with one template kept; "
        "JSON = node_link_data + json.dumps; same nodes and properties",
        columns(
            "dataset view samples nodes_median ours_ms ours_max_ms pyvis_ms json_ms vs_pyvis "
            "vs_json ours_bytes pyvis_bytes json_bytes"
        ),
        rows,
    )
    table += "\n\n" + _table(
        "Per data version: reading the snapshot, preparing what views share "
        "(graph.views.prepare) and the first view after it",
        columns("dataset nodes snapshot_ms prepare_ms first_view_after_load_ms"),
        prep,
    )
    return {"status": "measured", "rows": rows, "prep": prep, "targets": checks, "table": table}


def section_pages(ctx: Context) -> Row:
    """Every page and the remaining API calls, on the bundled data."""
    why = _web_ready()
    if why:
        return {"status": "skipped", "reason": why}
    from bench.pages import PAGE_P95_MS

    db = ctx.db_paths["bundled"]
    server, _ = child("pages", str(db), str(ctx.pages_runs))
    rows: list[Row] = server["rows"]
    checks: list[Row] = []
    for kind, label in (
        ("page", "every page"),
        ("api", "every other API call"),
        ("file", "every download, chart and asset"),
    ):
        mine = [r for r in rows if r["kind"] == kind]
        over = [f"{r['name']} {r['p95_ms']:.1f} ms" for r in mine if r["p95_ms"] > PAGE_P95_MS]
        wrong = [f"{r['name']} ({r['status']})" for r in mine if r["status"] != "measured"]
        checks.append(
            {
                "target": f"{label} at x1: p95 <= {PAGE_P95_MS:g} ms",
                "measured": f"{min(r['p95_ms'] for r in mine):.1f} to "
                f"{max(r['p95_ms'] for r in mine):.1f} ms"
                + (f"; over: {', '.join(over)}" if over else "")
                + (f"; wrong status: {', '.join(wrong)}" if wrong else ""),
                "met": not over and not wrong,
            }
        )
    table = _table(
        "Pages: server time per request at x1, Flask test client, warm (cold = the first "
        "request for that URL in the process)",
        columns("kind name status requests cold_ms p50_ms p95_ms bytes_median"),
        rows,
    )
    if server["unmeasured"]:
        table += "\n  GET routes no measured URL reaches: " + ", ".join(server["unmeasured"])
    return {
        "status": "measured",
        "rows": rows,
        "unmeasured": server["unmeasured"],
        "ids": server["ids"],
        "targets": checks,
        "table": table,
    }


def section_browser(ctx: Context) -> Row:
    """The browser views on the bundled data and the largest synthetic scale."""
    why = _web_ready()
    if why:
        return {"status": "skipped", "reason": why}
    from bench.pages import (
        CENTRED_USABLE_MS,
        CHALLENGE_SHOWN_MS,
        FLOOR_VIEW,
        FULL_GRAPH_USABLE_MS,
    )

    limits = {
        ("challenge page", "shown"): CHALLENGE_SHOWN_MS,
        ("whole graph (Explore)", "usable"): FULL_GRAPH_USABLE_MS,
        ("largest centred view (Explore)", "usable"): CENTRED_USABLE_MS,
    }
    synthetic = [d for d in ctx.datasets if d.label != "bundled" and d.label in ctx.db_paths]
    chosen = [d for d in ctx.datasets if d.label == "bundled"] + synthetic[-1:]
    rows: list[Row] = []
    checks: list[Row] = []
    browsers: set[str] = set()
    for ds in chosen:
        answer, _ = child("browser", str(ctx.db_paths[ds.label]), str(ctx.browser_runs))
        if answer["status"] != "measured":
            return {"status": answer["status"], "reason": answer.get("reason", "")}
        browsers.add(answer["browser"])
        floor = {r["measure"]: r for r in answer["rows"] if r["view"] == FLOOR_VIEW}
        for r in answer["rows"]:
            rows.append({"dataset": ds.label, "graph_nodes": answer["graph_nodes"], **r})
            limit = limits.get((r["view"], r["measure"]))
            if limit is None:
                continue
            checks.append(
                {
                    "target": f"{r['view']} {r['measure']} at {ds.label} in Chromium "
                    f"<= {limit:g} ms (median of warm runs)",
                    "measured": f"{r['median_ms']:.0f} ms median, {r['worst_ms']:.0f} ms worst "
                    f"(cold {r['cold_ms']:.0f} ms; {r['nodes']} nodes; in the page's own clock "
                    f"{r['in_page_median_ms']:.0f} ms; harness floor "
                    f"{floor[r['measure']]['median_ms']:.0f} ms)",
                    "met": r["median_ms"] <= limit
                    and not r["errors"]
                    and r["moved_px"] == 0
                    and r["panel_ok"],
                }
            )
    table = _table(
        f"Browser: navigation until shown (first picture) / usable (a click on a node "
        f"opened its panel) / interactive (vis-network drew), {', '.join(sorted(browsers))}, "
        f"{ctx.browser_runs} warm runs (cold = first run in a new browser against a server "
        "that has not served the view); the harness floor is a one-node page, same server",
        columns("dataset view measure cold_ms median_ms max_ms in_page_median_ms nodes moved_px"),
        rows,
    )
    return {"status": "measured", "rows": rows, "targets": checks, "table": table}


# -- targets and tables --------------------------------------------------------------------
def targets(results: Row) -> list[Row]:
    """The issue's targets that this run measured, each met or missed with the figure."""
    out: list[Row] = []
    for row in results["load"].get("rows", []):
        if row["dataset"] == "bundled" or row["scale"] == 100:
            out.append(
                {
                    "target": f"load at {row['dataset']} <= "
                    f"{LOAD_FLOOR_TARGET:g}x the engine floor",
                    "measured": f"{row['vs_floor']:.2f}x ({row['load_s']:.3f} s vs "
                    f"{row['floor_s']:.3f} s; peak RSS {row['gcx_load_peak_rss_mib']:.0f} MiB)",
                    "met": row["vs_floor"] <= LOAD_FLOOR_TARGET,
                }
            )
        if row["scale"] == 100 and row["dataset"].startswith("synthetic"):
            out.append(
                {
                    "target": "load at x100 >= 50,000 rows/s (validate + write)",
                    "measured": f"{row['rows_per_s']:,.0f} rows/s "
                    f"(write alone {row['write_rows_per_s']:,.0f} rows/s)",
                    "met": row["rows_per_s"] >= 50_000,
                }
            )
    for section in ("api", "views", "pages", "browser"):
        out.extend(results[section].get("targets", []))
    return out


def _table(title: str, shown: Sequence[Column], rows: list[Row]) -> str:
    """A plain text table of ``rows``."""
    cells = [[format(r[k], f) if r.get(k) is not None else "-" for k, _, f in shown] for r in rows]
    heads = [h for _, h, _ in shown]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(heads)]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def render(results: Row) -> str:
    parts: list[str] = []
    load = results["load"]
    parts.append(
        _table(
            "Load: `gcx load DIR` into the embedded store, against the engine floor (the same "
            "per-table CSVs by COPY alone), medians; load / floor: the median of the ratios "
            "of each load and the floor run right after it",
            columns(
                "dataset rows validate_s write_s load_s rows_per_s write_rows_per_s floor_s "
                "vs_floor load_cpu_s floor_cpu_s gcx_load_wall_s gcx_load_peak_rss_mib"
            ),
            load.get("rows", []),
        )
    )
    parts.append(
        _table(
            "Snapshot: store -> networkx, fresh process (median of runs)",
            columns("dataset nodes edges snapshot_s rss_before_mib peak_rss_mib"),
            results["snapshot"].get("rows", []),
        )
    )
    rbr = results["row_by_row"]
    parts.append(
        _table(
            "Row-by-row MERGE (one statement per row, all in one transaction) vs our load",
            columns(
                "dataset rows row_by_row_s row_by_row_rows_per_s batched_write_s load_s ratio "
                "ratio_load"
            ),
            rbr.get("rows", []),
        )
    )
    if rbr.get("skipped"):
        parts.append("  not run: " + "; ".join(rbr["skipped"]))
    for name in ("api", "views", "pages", "browser"):
        section = results[name]
        if section["status"] != "measured":
            parts.append(f"{name}: {section['status']}: {section.get('reason', '')}")
        else:
            parts.append(section["table"])
    marks = [
        f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['measured']}"
        for t in results["targets"]
    ]
    parts.append("Targets\n" + "\n".join(marks))
    env = results["environment"]
    parts.append(
        f"Python {env['python']}, ladybug {env['ladybug']}, {env['cpus']} CPUs; load average "
        f"{env['load_average_at_start'][0]:.1f} at start, {env['load_average_at_end'][0]:.1f} "
        "at end (other work on the machine slows every figure)."
    )
    return "\n\n".join(parts)


def _environment() -> Row:
    import ladybug

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "ladybug": getattr(ladybug, "__version__", "unknown"),
        "commit": commit,
        # Other work on the machine skews every figure; the load average says how much.
        "load_average_at_start": list(os.getloadavg()),
    }


def run(
    scales: Sequence[int],
    repeat: int,
    out: Path,
    row_by_row_max_rows: int,
    sections: Sequence[str],
    *,
    api_runs: int = 50,
    pages_runs: int = 50,
    browser_runs: int = 9,
) -> Row:
    work = Path(tempfile.mkdtemp(prefix="gcx-bench-"))
    try:
        datasets = [Dataset("bundled", 1, BUNDLED_DATASET)]
        for scale in scales:
            folder = work / f"synthetic-x{scale}"
            write_dataset(folder, scale, DEFAULT_SEED)
            datasets.append(Dataset(f"synthetic-x{scale}", scale, folder))
        ctx = Context(
            datasets, work, repeat, row_by_row_max_rows, api_runs, pages_runs, browser_runs
        )
        skipped: Row = {"status": "skipped", "reason": "not selected (--sections)"}
        results: Row = {"environment": _environment(), "seed": DEFAULT_SEED, "repeat": repeat}
        results["load"] = section_load(ctx)
        results["snapshot"] = section_snapshot(ctx) if "snapshot" in sections else skipped
        results["row_by_row"] = (
            section_row_by_row(ctx, results["load"]) if "row_by_row" in sections else skipped
        )
        results["api"] = section_api(ctx) if "api" in sections else skipped
        results["views"] = section_views(ctx) if "views" in sections else skipped
        results["pages"] = section_pages(ctx) if "pages" in sections else skipped
        results["browser"] = section_browser(ctx) if "browser" in sections else skipped
        results["targets"] = targets(results)
        results["environment"]["load_average_at_end"] = list(os.getloadavg())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=",".join(map(str, DEFAULT_SCALES)))
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="one run each, scales 1 and 10")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--row-by-row-max-rows",
        type=int,
        default=100_000,
        help="skip the row-by-row comparison above this many rows",
    )
    parser.add_argument(
        "--sections",
        default="load,snapshot,row_by_row,api,views,pages,browser",
        help="comma-separated subset (load always runs: the others use its databases)",
    )
    parser.add_argument("--api-runs", type=int, default=50, help="requests per endpoint")
    parser.add_argument("--pages-runs", type=int, default=50, help="warm requests per page")
    parser.add_argument(
        "--browser-runs", type=int, default=9, help="warm browser runs per view (after a cold one)"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        print(json.dumps(CHILDREN[mode](*rest)))
        return 0
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    repeat = args.repeat
    if args.quick:
        scales, repeat = [s for s in scales if s <= 10] or [1], 1
    results = run(
        scales,
        repeat,
        args.out,
        args.row_by_row_max_rows,
        args.sections.split(","),
        api_runs=20 if args.quick else args.api_runs,
        pages_runs=20 if args.quick else args.pages_runs,
        browser_runs=3 if args.quick else args.browser_runs,
    )
    print(render(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
