"""How fast the embedded console answers, and how close to its limit a runaway query stops.

Run: ``.venv/bin/python bench/console_timeout.py``. Loads the bundled dataset into a
temporary embedded store, then times normal queries (cold and warm worker) and the
pathological query that ladybug's own interrupt cannot stop, at several limits.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from graph.backends import open_store
from graph.console.sandbox import shared_pool
from graph.errors import QueryTimeout
from graph.settings import BUNDLED_DATASET, Settings
from loaders import load

PATHOLOGICAL = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)"
NORMAL = "MATCH (c:Challenge)-[:IN_THEME]->(t:Theme) RETURN t.name, count(c)"


def main() -> None:
    store = open_store(Settings(db_path=Path(tempfile.mkdtemp()) / "g.lbug"))
    load(BUNDLED_DATASET, store)
    start = time.perf_counter()
    store.query(NORMAL)
    print(f"first query (starts a worker): {(time.perf_counter() - start) * 1000:.0f} ms")
    warm = []
    for _ in range(50):
        start = time.perf_counter()
        store.query(NORMAL)
        warm.append((time.perf_counter() - start) * 1000)
    print(f"warm query: median {statistics.median(warm):.1f} ms, max {max(warm):.1f} ms")
    for limit in (0.5, 1.0, 2.0, 5.0):
        start = time.perf_counter()
        try:
            store.query(PATHOLOGICAL, timeout_s=limit)
        except QueryTimeout:
            over = time.perf_counter() - start - limit
            print(f"runaway query, limit {limit:g} s: stopped {over:.2f} s past the limit")
        time.sleep(0.5)  # let the replacement worker start
    pool = shared_pool()
    print(f"workers started {pool.workers_started}, killed {pool.workers_killed}")
    store.close()


if __name__ == "__main__":
    main()
