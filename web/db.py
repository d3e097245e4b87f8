"""The store handle: one store per process, opened lazily; one snapshot per request.

A worker opens the configured store the first time a request needs it and keeps it for
the life of the process. ``store.snapshot()`` is cached per data version inside the
store, and the embedded store follows ``gcx load``'s generation link on every call, so a
reload is picked up by the next request, without a restart.
"""

from __future__ import annotations

import contextlib
import threading
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, g

from graph import Settings, Snapshot, Store, StoreInfo, coverage, load_settings, open_store
from graph.views import prepare

__all__ = ["get_info", "get_snapshot", "get_store", "init_app", "warm"]

_lock = threading.Lock()


def get_store() -> Store:
    """This process's store (opened on first use)."""
    ext = current_app.extensions
    store: Store | None = ext.get("gcx_store")
    if store is None:
        with _lock:
            store = ext.get("gcx_store")
            if store is None:
                given = current_app.config.get("GCX_STORE")
                if given is not None:
                    store = given
                else:
                    settings: Settings = current_app.config.get("GCX_SETTINGS") or load_settings()
                    store = open_store(settings)
                    ext["gcx_owns_store"] = True
                ext["gcx_store"] = store
    assert store is not None
    return store


def _view() -> tuple[StoreInfo, Snapshot]:
    # One (info, snapshot) pair per request, of one generation: a response never mixes
    # the counts of one load with the graph of the next.
    if "gcx_view" not in g:
        g.gcx_view = get_store().view()
        _prepare(g.gcx_view[1])
    view: tuple[StoreInfo, Snapshot] = g.gcx_view
    return view


@lru_cache(maxsize=4)
def _prepare(snapshot: Snapshot) -> None:
    # Once per data version (a new snapshot after each load), what every view shares, in
    # the background: the request that first reads a snapshot (often /api/stats) does not
    # wait for it, and a view asked for meanwhile builds what it needs itself.
    threading.Thread(target=prepare, args=(snapshot,), name="gcx-prepare", daemon=True).start()


def get_info() -> StoreInfo:
    """The loaded data's version, counts and metadata (once per request)."""
    return _view()[0]


def get_snapshot() -> Snapshot:
    """The graph as a frozen networkx snapshot (once per request)."""
    return _view()[1]


def provenance() -> dict[str, Any] | None:
    """What the footer says about the data; None when no graph can be read."""
    try:
        info = get_info()
    except Exception:  # the error page itself must render without a graph
        return None
    return {
        "title": info.meta.get("title", "100Kin10 Grand Challenges map"),
        "version": info.version,
        "loaded_at": info.loaded_at,
        "backend": info.backend,
        "coverage": coverage(info).line,
        "note": info.meta.get("coverage_note", ""),
    }


def warm(app: Flask) -> threading.Thread:
    """Open the store and run one console query in the background, now.

    The console's first query otherwise pays for starting a worker process and opening
    the database in it (about 2 s); after this, it costs what later ones cost. Best
    effort: a failure here only means the first query warms the worker itself.
    """

    def run() -> None:
        with app.app_context(), contextlib.suppress(Exception):
            app.extensions["gcx_warm"] = get_store().query("RETURN 1 AS ready", {})

    thread = threading.Thread(target=run, name="gcx-warm", daemon=True)
    thread.start()
    return thread


def init_app(app: Flask) -> None:
    """Give every template the footer's provenance and the navigation; with ``GCX_WARM``
    (``gcx serve``, gunicorn's ``create_app()``), warm the console at start."""
    if app.config.get("GCX_WARM"):
        warm(app)

    @app.context_processor
    def _inject() -> dict[str, Any]:
        return {"provenance": provenance(), "nav": current_app.config["GCX_NAV"]}
