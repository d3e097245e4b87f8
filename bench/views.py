"""The views section of ``make bench``: every graph view's first server time against two
baselines a user would write, on the same nodes and properties.

For each view (the whole graph, the three largest centred views, and the busiest centres
at depth 1 and 2), three routes of the same Flask app answer through its test client:

* **ours**: ``/api/subgraph`` *uncached*: the app's per-request caches (payloads, JSON,
  layouts: :data:`PER_REQUEST_CACHES`) are emptied before every timed request, so each
  one computes its view from the snapshot. What the app keeps per data version (built
  when a snapshot is first read: ``graph.views.prepare``) is warm, as in a running
  server; reading the snapshot, preparing it and the first view after that are reported
  on their own.
* **pyvis with its template kept**: what a user writes once they notice that every
  ``Network()`` recompiles pyvis's page template: one Jinja environment for the process,
  then per request copy the subgraph (``from_nx`` writes into the graph it is given),
  ``Network.from_nx`` and ``generate_html``. pyvis does no layout: the browser's physics
  does it.
* **plain JSON**: ``networkx.node_link_data`` of the same copy, ``json.dumps``: the floor
  for a JSON view of these nodes.

All three select the nodes with the same :func:`graph.views.subgraph` call, and
the baselines carry every property the snapshot has for those nodes and edges, so the
comparison is the cost of turning a selection into a drawable answer.
"""

from __future__ import annotations

import importlib
import json
import statistics
import time
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]

#: The app's caches that hold one request's answer (not per data version), by module.
PER_REQUEST_CACHES = (
    ("web.render", "graph_payload"),
    ("web.render", "graph_json"),
    ("web.render", "graph_block"),
    ("graph.views.layout", "_layout"),
)
#: The issue's target: every first view at most this many times pyvis-with-template's.
PYVIS_RATIO_TARGET = 2.0
#: Centres per distribution row (busiest first) and repeats of a fixed view.
FIXED_RUNS = 7


def clear_request_caches() -> None:
    """Empty every cache in :data:`PER_REQUEST_CACHES` (a missing one is a bench bug)."""
    for module, name in PER_REQUEST_CACHES:
        getattr(importlib.import_module(module), name).cache_clear()


@dataclass(frozen=True)
class View:
    """One measured view: its name, its centres per sample, and the depth."""

    name: str
    centers: list[tuple[str, ...]]
    depth: int = 1

    def query(self, centers: tuple[str, ...]) -> str:
        parts = [f"center={c}" for c in centers] + [f"depth={self.depth}"]
        return "&".join(parts)


def _app(db_path: str) -> Any:
    import networkx as nx
    from flask import Flask, Response
    from jinja2 import Environment, FileSystemLoader
    from pyvis.network import Network

    from bench.web import _app as make_app
    from web.db import get_snapshot
    from web.render import subgraph_args

    app, client = make_app(db_path)
    flask_app: Flask = app
    # Kept for the process, as a user writes it: pyvis's own environment, built once.
    env = Environment(loader=FileSystemLoader(Network().template_dir), autoescape=False)

    def selection() -> nx.MultiDiGraph[str]:
        g = get_snapshot()
        sub = subgraph_args().build(g)
        copy: nx.MultiDiGraph[str] = nx.MultiDiGraph(g.subgraph(sub.nodes))
        return copy

    @flask_app.get("/bench/pyvis")
    def pyvis_route() -> str:
        copy = selection()
        for _, attrs in copy.nodes(data=True):
            attrs["title"] = str(attrs.get("name", ""))
        for _, _, attrs in copy.edges(data=True):
            attrs.pop("weight", None)  # from_nx reads 'weight' as a width; ours are None
        net = Network(directed=True)
        net.templateEnv = env
        net.from_nx(copy)
        html: str = net.generate_html()
        return html

    @flask_app.get("/bench/json")
    def json_route() -> Response:
        data = nx.node_link_data(selection(), edges="edges")
        return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")

    return app, client


def largest_centres(g: Any, count: int = 3) -> list[str]:
    """The centres of the largest depth-2 views (most nodes matched), among the busiest."""
    from graph.settings import LIMITS
    from graph.views import subgraph

    busiest = sorted(g.nodes, key=lambda n: (-g.degree(n), n))
    cap = LIMITS.subgraph_default_nodes
    sizes = {n: subgraph(g, [n], depth=2, max_nodes=cap).total for n in busiest[:200]}
    return sorted(sizes, key=lambda n: (-sizes[n], -g.degree(n), n))[:count]


def _views(g: Any, runs: int) -> list[View]:
    """The whole graph, the three largest centred views (depth 2), the busiest centres."""
    busiest = sorted(g.nodes, key=lambda n: (-g.degree(n), n))
    largest = largest_centres(g)
    views = [View("whole graph", [()] * FIXED_RUNS)]
    views += [
        View(f"largest centred #{i + 1} (depth 2)", [(c,)] * FIXED_RUNS, 2)
        for i, c in enumerate(largest)
    ]
    views += [
        View(f"busiest {runs} centres, depth {d}", [(c,) for c in busiest[:runs]], d)
        for d in (1, 2)
    ]
    return views


def _time(client: Any, url: str, clear: bool) -> tuple[float, bytes]:
    if clear:
        clear_request_caches()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    data: bytes = response.get_data()
    return elapsed, data


def measure_views(db_path: str, runs: str) -> Row:
    """First (uncached) server time per view: ours, pyvis with its template, plain JSON."""
    app, client = _app(db_path)
    with app.app_context():
        from graph.views import prepare
        from web.db import get_store

        start = time.perf_counter()
        _, snapshot = get_store().view()  # reads the snapshot
        snapshot_ms = (time.perf_counter() - start) * 1000
        # What the app does in the background when a request first reads a snapshot,
        # timed alone here (the app's own call then finds it done).
        start = time.perf_counter()
        prepare(snapshot)
        prepare_ms = (time.perf_counter() - start) * 1000
    client.get("/api/stats")
    first_ms, _ = _time(client, "/api/subgraph?depth=1", clear=True)
    with app.app_context():
        from web.db import get_snapshot

        g = get_snapshot()
    rows: list[Row] = []
    for view in _views(g, int(runs)):
        samples: dict[str, list[float]] = {"ours": [], "pyvis": [], "json": []}
        sizes: dict[str, list[int]] = {"ours": [], "pyvis": [], "json": []}
        nodes: list[int] = []
        for centers in view.centers:
            query = view.query(centers)
            routes = {
                "ours": (f"/api/subgraph?{query}", True),
                "pyvis": (f"/bench/pyvis?{query}", False),
                "json": (f"/bench/json?{query}", False),
            }
            for name, (url, clear) in routes.items():
                elapsed, body = _time(client, url, clear)
                samples[name].append(elapsed)
                sizes[name].append(len(body))
                if name == "ours":
                    nodes.append(len(json.loads(body)["nodes"]))
        p50 = {k: statistics.median(v) for k, v in samples.items()}
        rows.append(
            {
                "view": view.name,
                "samples": len(view.centers),
                "nodes_median": int(statistics.median(nodes)),
                "ours_ms": p50["ours"],
                "ours_max_ms": max(samples["ours"]),
                "pyvis_ms": p50["pyvis"],
                "json_ms": p50["json"],
                "vs_pyvis": p50["ours"] / p50["pyvis"],
                "vs_json": p50["ours"] / p50["json"],
                "ours_bytes": int(statistics.median(sizes["ours"])),
                "pyvis_bytes": int(statistics.median(sizes["pyvis"])),
                "json_bytes": int(statistics.median(sizes["json"])),
            }
        )
    return {
        "rows": rows,
        "snapshot_ms": snapshot_ms,
        "prepare_ms": prepare_ms,
        "first_view_after_load_ms": first_ms,
        "nodes": g.number_of_nodes(),
    }
