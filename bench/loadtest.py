"""The load test: ``wrk`` drives a mix of pages and API calls against gunicorn; then again
while ``gcx load`` swaps the graph between two datasets.

Usage::

    python -m bench.loadtest [--duration 30] [--connections 32] [--workers 4]
                             [--reloads 6] [--out bench/results/loadtest.json]

What it does, all on 127.0.0.1:

1. Writes two datasets into a temporary folder: ``A``, the bundled one, and ``B``, the
   bundled one without some partners (and their commitments and relationships), so the two
   graphs differ in partner, commitment and relationship counts.
2. Loads ``B`` into a fresh embedded database, starts ``gcx serve --prod`` (gunicorn, several
   read-only workers) on a port the OS chooses (``--port 0``; the port is read from
   gunicorn's "Listening at" line), reads ``/api/stats`` (graph B), loads ``A`` and reads it
   again (graph A). Those two bodies, without ``loaded_at``, are the only answers a whole
   graph can give.
3. **Steady run**: ``wrk`` for ``--duration`` seconds at ``--connections`` connections over
   the mix (``bench/loadtest.lua``), which counts statuses and checks every ``/api/stats``.
4. **Reload run**: the same, while a thread runs ``gcx load`` ``--reloads`` times,
   alternating B and A, evenly spread over the run. Passing means: no socket error (connect,
   read, write, timeout), every response a 200, every ``/api/stats`` equal to graph A's or
   graph B's (never a mix), both graphs seen, every load succeeded, and nothing in the
   server's log that looks like a traceback or a killed worker.

Why ``wrk`` (Debian's ``wrk`` package) and not a Python client: on a 2-core machine a
Python generator at 32 connections takes a core away from the server it measures; wrk's
event loop costs little, and its Lua hooks can check each response (``response()``) and
stop a thread after a bounded number of requests (``wrk.thread:stop()``). Every loop is
bounded: wrk by ``-d`` and the per-thread request cap, the reload thread by its count, every
subprocess by a timeout.

Results are printed and written as JSON. ``tests/test_load.py`` runs a short variant in
the normal suite and this full one behind ``--run-slow``; the figures are in
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from graph.settings import BUNDLED_DATASET, PROJECT_ROOT

__all__ = [
    "Server",
    "load_dataset",
    "request_mix",
    "run_loadtest",
    "smaller_dataset",
    "wrk_path",
]

LUA = Path(__file__).with_name("loadtest.lua")
RESULTS = PROJECT_ROOT / "bench" / "results"
HOST = "127.0.0.1"
#: Partners removed from the bundled dataset to make dataset B.
DROPPED_PARTNERS = 20
#: Most requests one wrk thread may send (a bound far above what 30 s can reach here).
MAX_REQUESTS_PER_THREAD = 1_000_000
#: Lines in the server's log that mean something went wrong inside it.
LOG_ALARMS = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "Worker exiting")


def wrk_path() -> str | None:
    """Where ``wrk`` is, or None (``apt-get install wrk``)."""
    return shutil.which("wrk")


# -- the two datasets --------------------------------------------------------------------
def smaller_dataset(target: Path, drop: int = DROPPED_PARTNERS) -> Path:
    """Copy the bundled dataset to ``target`` without ``drop`` partners that have links.

    The partners' commitments go too, and every relationship that touches a removed node,
    so the result is a valid dataset with fewer partners, commitments and relationships.
    """
    shutil.copytree(BUNDLED_DATASET, target)
    rels_file = target / "relationships.csv"
    with rels_file.open(newline="", encoding="utf-8") as f:
        rels = list(csv.DictReader(f))
    with (target / "partners.csv").open(newline="", encoding="utf-8") as f:
        partner_ids = [row["id"] for row in csv.DictReader(f)]
    linked = {r["source"] for r in rels} | {r["target"] for r in rels}
    gone = {p for p in partner_ids if p in linked}
    gone = set(sorted(gone)[:drop])
    gone |= {r["target"] for r in rels if r["type"] == "MADE" and r["source"] in gone}
    for name in ("partners.csv", "commitments.csv"):
        _filter_csv(target / name, lambda row: row["id"] not in gone)
    _filter_csv(rels_file, lambda row: row["source"] not in gone and row["target"] not in gone)
    # The hand-kept curation files name items and partners too.
    if (target / "curation.csv").exists():
        _filter_csv(target / "curation.csv", lambda row: row["item"] not in gone)
    if (target / "sectors.csv").exists():
        _filter_csv(target / "sectors.csv", lambda row: row["partner"] not in gone)
    return target


def _filter_csv(path: Path, keep: Any) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = [row for row in reader if keep(row)]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def load_dataset(db_path: Path, folder: Path, timeout: float = 120) -> float:
    """Run ``gcx load FOLDER`` into ``db_path`` as a user would; return its wall time."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gcx", "load", str(folder)],
        env={**os.environ, "GCX_DB_PATH": str(db_path)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"gcx load {folder} failed ({result.returncode}): {result.stderr}")
    return time.perf_counter() - start


# -- the server --------------------------------------------------------------------------
class Server:
    """``gcx serve --prod`` on 127.0.0.1 at a port the OS chose; its log goes to a file."""

    def __init__(self, db_path: Path, workers: int, log: Path, timeout: float = 60) -> None:
        self.log = log
        self._log_file = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gcx",
                "serve",
                "--prod",
                "--host",
                HOST,
                "--port",
                "0",
                "--workers",
                str(workers),
            ],
            env={**os.environ, "GCX_DB_PATH": str(db_path)},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            self.url = self._wait_for_port(timeout)
            self._wait_until_answering(timeout)
        except BaseException:
            self.close()
            raise

    def _wait_for_port(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        pattern = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")
        while time.monotonic() < deadline:
            found = pattern.search(self.log.read_text(encoding="utf-8", errors="replace"))
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()}")
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not say where it listens within {timeout} s")

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.get("/api/stats")
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited: {self.log.read_text()}") from None
                time.sleep(0.2)
        raise RuntimeError(f"{self.url} did not answer within {timeout} s")

    def get(self, path: str) -> bytes:
        """One GET; raises for anything but a 200."""
        with urllib.request.urlopen(self.url + path, timeout=30) as response:  # 127.0.0.1 only
            return bytes(response.read())

    def get_json(self, path: str) -> Any:
        return json.loads(self.get(path))

    def alarms(self) -> list[str]:
        """Log lines that mean a worker failed (tracebacks, errors, timeouts)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if any(a in line for a in LOG_ALARMS)]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's graceful stop
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


# -- the mix -----------------------------------------------------------------------------
def request_mix(server: Server) -> list[str]:
    """Paths of pages, API calls and static files, with their weights as repetitions.

    Ids come from the running graph, read while dataset B (the smaller one, a subset of A)
    is loaded, so every path answers 200 whichever graph is loaded. About a tenth are
    ``/api/stats``, whose bodies the Lua script checks for whole graphs.
    """
    challenges = [c["id"] for c in server.get_json("/api/challenges")["challenges"]]
    themes = [t["id"] for t in server.get_json("/api/themes")["themes"]]
    directory = server.get_json("/api/partners?sort=-challenges&per_page=100")
    partners = [p["id"] for p in directory["partners"]]
    c1, c2, c3 = challenges[0], challenges[len(challenges) // 2], challenges[-1]
    p1, p2 = partners[0], partners[len(partners) // 2]
    weighted: list[tuple[str, int]] = [
        # pages
        ("/", 3),
        ("/themes", 1),
        (f"/themes/{themes[0]}", 1),
        ("/challenges", 2),
        (f"/challenges/{c1}", 2),
        (f"/challenges/{c2}", 1),
        ("/partners", 2),
        ("/partners?q=science&sort=name", 1),
        (f"/partners/{p1}", 2),
        (f"/partners/{p2}", 1),
        (f"/explore?center={c3}&depth=2", 1),
        ("/search?q=teacher", 1),
        ("/gaps", 1),
        (f"/collaborators?partner={p1}", 1),
        # API
        ("/api/stats", 5),
        ("/api/themes", 1),
        ("/api/challenges", 2),
        (f"/api/challenges/{c1}", 2),
        (f"/api/challenges/{c2}?inferred=0", 1),
        ("/api/partners?per_page=20", 2),
        ("/api/partners?sort=-commitments&page=2", 1),
        (f"/api/partners/{p1}", 2),
        (f"/api/nodes/{c3}", 1),
        ("/api/search?q=math&limit=20", 2),
        (f"/api/subgraph?center={c1}&depth=1", 2),
        (f"/api/subgraph?center={c2}&depth=2", 2),
        (f"/api/partners/{p2}/collaborators?limit=10", 1),
        ("/api/gaps", 1),
        ("/api/openapi.json", 1),
        # static files
        ("/static/app.css", 2),
        ("/static/graph.js", 1),
    ]
    mix: list[str] = []
    for path, weight in weighted:
        mix.extend([path] * weight)
    random.Random(1).shuffle(mix)  # the same order every run, without runs of one path
    return mix


# -- one wrk run -------------------------------------------------------------------------
@dataclass
class Run:
    """What one wrk run measured, and what went wrong in it."""

    name: str
    duration_s: float
    connections: int
    requests: int
    requests_per_s: float
    latency_ms: dict[str, float]
    errors: dict[str, int]
    status: dict[str, int]
    stats: dict[str, int]
    bad_sample: str
    reloads: list[dict[str, Any]] = field(default_factory=list)
    server_alarms: list[str] = field(default_factory=list)

    def problems(self, *, expect_both: bool) -> list[str]:
        """Everything that makes this run a failure (empty: it passed)."""
        out = []
        socket_errors = {k: v for k, v in self.errors.items() if k != "status" and v}
        if socket_errors:
            out.append(f"socket errors: {socket_errors}")
        not_ok = {k: v for k, v in self.status.items() if k != "2xx" and v}
        if not_ok or self.errors.get("status"):
            out.append(f"responses other than 2xx: {not_ok} (e.g. {self.bad_sample!r})")
        if self.stats["mixed"]:
            out.append(f"{self.stats['mixed']} /api/stats answers were not a whole graph")
        if self.stats["a"] + self.stats["b"] == 0:
            out.append("no /api/stats answer was checked")
        if expect_both and not (self.stats["a"] and self.stats["b"]):
            out.append(f"the reloads were not seen: {self.stats}")
        failed = [r for r in self.reloads if not r["ok"]]
        if failed:
            out.append(f"reloads failed: {failed}")
        if self.server_alarms:
            out.append(f"the server logged: {self.server_alarms[:5]}")
        if self.requests == 0:
            out.append("no request was made")
        return out


def run_wrk(
    url: str,
    mix_file: Path,
    expected: tuple[Path, Path],
    *,
    name: str,
    duration_s: int,
    connections: int,
    threads: int = 2,
) -> Run:
    """Run wrk against ``url`` over the mix (a file of paths) for ``duration_s`` seconds,
    checking ``/api/stats`` bodies against the two ``expected`` ones; parse its summary."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    argv = [
        wrk,
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={duration_s}s",
        "--timeout=10s",
        f"--script={LUA}",
        url,
        "--",
        str(mix_file),
        str(expected[0]),
        str(expected[1]),
        str(MAX_REQUESTS_PER_THREAD),
    ]
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration_s + 60, check=False
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("LOADTEST ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}{result.stderr}")
    data = json.loads(line.removeprefix("LOADTEST "))
    seconds = data["duration_us"] / 1e6
    return Run(
        name=name,
        duration_s=round(seconds, 2),
        connections=connections,
        requests=data["requests"],
        requests_per_s=round(data["requests"] / seconds, 1),
        latency_ms={k: round(v / 1000, 1) for k, v in data["latency_us"].items()},
        errors=data["errors"],
        status=data["status"],
        stats=data["stats"],
        bad_sample=data["bad_sample"],
    )


class Reloader:
    """``gcx load`` ``count`` times, alternating datasets, over the first two thirds of
    ``span_s`` seconds (a load takes a few seconds on a busy 2-core machine, and each swap
    should have traffic after it)."""

    def __init__(self, db_path: Path, datasets: Sequence[Path], count: int, span_s: float):
        self.db_path = db_path
        self.datasets = datasets
        self.count = count
        self.span_s = span_s
        self.done: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        first, gap = 0.5, self.span_s * 2 / 3 / self.count
        for i in range(self.count):  # bounded: count loads, each with a timeout
            time.sleep(max(0.0, start + first + gap * i - time.monotonic()))
            folder = self.datasets[i % len(self.datasets)]
            at = round(time.monotonic() - start, 2)
            try:
                wall = load_dataset(self.db_path, folder)
                self.done.append(
                    {
                        "at_s": at,
                        "dataset": folder.name,
                        "wall_s": round(wall, 2),
                        "ended_s": round(time.monotonic() - start, 2),
                        "ok": True,
                    }
                )
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                self.done.append(
                    {"at_s": at, "dataset": folder.name, "ok": False, "error": str(exc)[:500]}
                )

    def __enter__(self) -> Reloader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(timeout=self.span_s + 180)


@contextmanager
def _served(workdir: Path, workers: int) -> Iterator[tuple[Server, Path, Path, Path]]:
    """Both datasets, the database (graph B loaded first) and the server over it."""
    data_a = workdir / "A"
    shutil.copytree(BUNDLED_DATASET, data_a)
    data_b = smaller_dataset(workdir / "B")
    db_path = workdir / "db" / "graph.lbug"
    db_path.parent.mkdir()
    load_dataset(db_path, data_b)
    server = Server(db_path, workers, workdir / "server.log")
    try:
        yield server, db_path, data_a, data_b
    finally:
        server.close()


def _expected_stats(server: Server, out: Path) -> dict[str, int]:
    """Keep the loaded graph's /api/stats body (the truth for that graph); its counts."""
    body = server.get("/api/stats")
    out.write_bytes(body)
    counts: dict[str, int] = json.loads(body)["counts"]
    return counts


def _normalised(stats_body: bytes) -> Any:
    body = json.loads(stats_body)
    body.pop("loaded_at")
    return body


def run_loadtest(
    *,
    duration_s: int = 30,
    connections: int = 32,
    workers: int = 4,
    reloads: int = 6,
    steady: bool = True,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """The steady run (unless ``steady=False``) and the reload run; returns the results."""
    with tempfile.TemporaryDirectory(prefix="gcx-loadtest-") as tmp:
        work = Path(workdir or tmp)
        with _served(work, workers) as (server, db_path, data_a, data_b):
            stats_b, stats_a = work / "stats-B.json", work / "stats-A.json"
            counts_b = _expected_stats(server, stats_b)
            mix = request_mix(server)
            load_dataset(db_path, data_a)
            counts_a = _expected_stats(server, stats_a)
            if counts_a == counts_b:
                raise RuntimeError("the two datasets must differ for the reload check")
            mix_file = work / "mix.txt"
            mix_file.write_text("\n".join(mix) + "\n", encoding="utf-8")
            for path in sorted(set(mix)):  # every path answers 200 before the clock starts
                server.get(path)
            runs: list[Run] = []
            wrk = partial(
                run_wrk,
                server.url,
                mix_file,
                (stats_a, stats_b),
                duration_s=duration_s,
                connections=connections,
            )
            if steady:
                run = wrk(name="steady")
                run.server_alarms = server.alarms()
                runs.append(run)
            with Reloader(db_path, [data_b, data_a], reloads, duration_s) as reloader:
                run = wrk(name="reload")
            run.reloads = reloader.done
            if len(reloader.done) != reloads:
                run.reloads.append({"ok": False, "error": "a reload did not finish in time"})
            # after the last swap, every worker serves the last dataset loaded
            last = stats_b if reloads % 2 else stats_a
            for _ in range(workers * 3):
                if _normalised(server.get("/api/stats")) != _normalised(last.read_bytes()):
                    run.reloads.append({"ok": False, "error": "a worker kept an old graph"})
                    break
            run.server_alarms = server.alarms()
            runs.append(run)
    return {
        "host": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "server": f"gcx serve --prod --workers {workers} (gunicorn, sync workers)",
        "mix": {"paths": len(set(mix)), "entries": len(mix)},
        "datasets": {
            "A": {"Partner": counts_a["Partner"], "Commitment": counts_a["Commitment"]},
            "B": {"Partner": counts_b["Partner"], "Commitment": counts_b["Commitment"]},
        },
        "runs": [
            {**asdict(r), "problems": r.problems(expect_both=r.name == "reload")} for r in runs
        ],
    }


def render(results: dict[str, Any]) -> str:
    """The results as a few readable lines."""
    lines = [
        f"Server: {results['server']}, {results['host']['cpus']} CPUs; mix of "
        f"{results['mix']['paths']} paths; datasets A {results['datasets']['A']}, "
        f"B {results['datasets']['B']}",
    ]
    for run in results["runs"]:
        lat = run["latency_ms"]
        errors = sum(v for k, v in run["errors"].items() if k != "status")
        lines.append(
            f"{run['name']:>7}: {run['requests']:,} requests in {run['duration_s']} s at "
            f"{run['connections']} connections = {run['requests_per_s']:,.0f} req/s; latency "
            f"p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms, max {lat['max']} ms; "
            f"socket errors {errors}; status {run['status']}; /api/stats graph A "
            f"{run['stats']['a']}, B {run['stats']['b']}, mixed {run['stats']['mixed']}"
        )
        if run["reloads"]:
            ok = sum(1 for r in run["reloads"] if r["ok"])
            walls = [r["wall_s"] for r in run["reloads"] if r["ok"]]
            lines.append(
                f"         reloads: {ok}/{len(run['reloads'])} ok (gcx load "
                f"{min(walls, default=0)}-{max(walls, default=0)} s each)"
            )
        lines.append(
            "         " + ("PASS" if not run["problems"] else "FAIL: " + "; ".join(run["problems"]))
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__)
    parser.add_argument("--duration", type=int, default=30, help="seconds per run (30)")
    parser.add_argument("--connections", type=int, default=32, help="connections (32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--reloads", type=int, default=6, help="gcx loads in the reload run")
    parser.add_argument("--out", type=Path, default=RESULTS / "loadtest.json")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 1 <= args.connections <= 1000:
        parser.error("--duration must be 1-600 s and --connections 1-1000")
    if not 1 <= args.reloads <= 100:
        parser.error("--reloads must be 1-100")
    if wrk_path() is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    results = run_loadtest(
        duration_s=args.duration,
        connections=args.connections,
        workers=args.workers,
        reloads=args.reloads,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(render(results))
    print(f"Results: {args.out}")
    return 0 if all(not r["problems"] for r in results["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
