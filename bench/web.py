"""The API section of ``make bench``: server time per API endpoint.

It runs in a fresh process per dataset (``bench.run`` calls them through ``--child``),
through Flask's test client: the time is the server's (routing, snapshot reads, the
analysis, JSON), without a network. The snapshot is warmed first, as a running server's
is after its first request.

Endpoints the app does not route (yet) are reported as ``not served`` rather than
guessed at; the list is :data:`ENDPOINTS`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """One measured request: a name, a URL template, and the ids it is asked about.

    ``pool`` names the node kind ``{id}`` is drawn from ("" for any kind, None for a URL
    without one). Each timed request asks about a different id, so the app's per-request
    caches (``web/render.py`` keeps the last 64 subgraphs) never answer from memory; the
    cached figure is measured separately, on the busiest id.
    """

    name: str
    path: str
    pool: str | None = None
    method: str = "GET"
    body: Row | None = None


ENDPOINTS = (
    Endpoint("subgraph depth 1", "/api/subgraph?center={id}&depth=1", ""),
    Endpoint("subgraph depth 2", "/api/subgraph?center={id}&depth=2", ""),
    Endpoint("challenge", "/api/challenges/{id}", "Challenge"),
    Endpoint("partner", "/api/partners/{id}", "Partner"),
    Endpoint("collaborators", "/api/partners/{id}/collaborators", "Partner"),
    Endpoint("gaps", "/api/gaps"),
    Endpoint(
        "console (canned query)",
        "/api/query",
        None,
        "POST",
        {
            "query": "MATCH (p:Partner)-[:MEMBER_OF]->(t:ProjectTeam) "
            "RETURN t.name, count(p) AS members ORDER BY members DESC LIMIT 20"
        },
    ),
)


#: The issue's targets: (endpoint names, scale, p95 limit in ms).
TARGETS = (
    (tuple(e.name for e in ENDPOINTS), 1, 20.0),
    (("subgraph depth 1", "subgraph depth 2", "partner", "collaborators"), 100, 100.0),
    (("gaps",), 100, 500.0),
)


def _pool(g: Any, kind: str) -> list[str]:
    """Node ids of ``kind`` ("" for all), busiest first: the order requests use them in."""
    nodes = [n for n, k in g.nodes(data="kind") if not kind or k == kind]
    return sorted(nodes, key=lambda n: (-g.degree(n), n))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    samples: list[float] = []
    last: Any = None
    for _ in range(runs):
        start = time.perf_counter()
        last = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, last


def _app(db_path: str) -> tuple[Any, Any]:
    from graph.settings import Settings
    from web import create_app

    app = create_app({"GCX_SETTINGS": Settings(db_path=Path(db_path)), "TESTING": True})
    return app, app.test_client()


def measure_api(db_path: str, runs: str) -> Row:
    """p50/p95 server time and response size per endpoint, on one loaded database."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    app, client = _app(db_path)
    warm = client.get("/api/stats")
    if warm.status_code != 200:
        raise RuntimeError(f"/api/stats answered {warm.status_code}")
    with app.app_context():
        from web.db import get_store

        g = get_store().snapshot()
    adapter = app.url_map.bind("localhost")
    rows: list[Row] = []
    for ep in ENDPOINTS:
        ids = _pool(g, ep.pool)[: int(runs)] if ep.pool is not None else [""]
        try:
            adapter.match(ep.path.format(id=ids[0]).split("?")[0], method=ep.method)
        except (NotFound, MethodNotAllowed):
            rows.append({"endpoint": ep.name, "path": ep.path, "status": "not served"})
            continue

        def call(node_id: str, ep: Endpoint = ep) -> Any:
            path = ep.path.format(id=node_id)
            if ep.method == "POST":
                return client.post(path, json=ep.body)
            return client.get(path)

        # Warm what the app keeps per snapshot version (indexes, colours), not per request,
        # on an id the timed requests do not use when there are enough of them.
        call(ids[-1] if len(ids) > 1 else ids[0])
        samples: list[float] = []
        sizes: list[int] = []
        codes: set[int] = set()
        for node_id in ids if ep.pool is not None else ids * int(runs):
            start = time.perf_counter()
            response = call(node_id)
            samples.append((time.perf_counter() - start) * 1000)
            sizes.append(len(response.get_data()))
            codes.add(response.status_code)

        def again(ep: Endpoint = ep, first: str = ids[0]) -> Any:
            return call(first, ep)

        cached, _ = _timed(again, int(runs))
        p50, p95 = _percentiles(samples)
        rows.append(
            {
                "endpoint": ep.name,
                "path": ep.path,
                "status": "measured" if codes == {200} else f"HTTP {sorted(codes)}",
                "requests": len(samples),
                "p50_ms": p50,
                "p95_ms": p95,
                "cached_p50_ms": statistics.median(cached),
                "bytes_median": int(statistics.median(sizes)),
                "bytes_max": max(sizes),
            }
        )
    return {"runs": int(runs), "rows": rows}
