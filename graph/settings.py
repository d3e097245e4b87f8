"""Settings: the one module that reads the environment.

Every setting has a default that runs on a fresh machine with no server: the embedded
graph database file under ``var/`` in the project folder. See ``.env.example``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = ["LIMITS", "PROJECT_ROOT", "Limits", "Settings", "load_settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATASET = PROJECT_ROOT / "data" / "grand-challenges"
BACKENDS = ("embedded", "neo4j")
_N = TypeVar("_N", int, float)


def _number(
    env: Mapping[str, str],
    name: str,
    default: _N,
    low: _N,
    high: _N,
    parse: Callable[[str], _N],
    what: str,
) -> _N:
    """``env[name]`` read by ``parse`` and bounded; the default when unset or empty."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = parse(raw)
    except ValueError:
        raise ValueError(f"{name} must be {what}, not {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    return _number(env, name, default, low, high, int, "a whole number")


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    return _number(env, name, default, low, high, float, "a number")


@dataclass(frozen=True)
class Limits:
    """Every bound a request may reach, written once.

    ``graph`` checks them, the web edge parses requests against them (a 400 past one), the
    OpenAPI document states them, and the pages hand them to the browser scripts (in the
    ``gcx-config`` JSON block, :func:`graph.views.client_config`), so no number is written
    twice. They are not settings: the environment cannot change them.
    """

    #: Deepest neighbourhood a subgraph may ask for.
    subgraph_depth: int = 3
    #: Most nodes one subgraph (or one picture grown by expanding) may hold. Kept below
    #: 500: networkx's spring layout switches to a scipy-only sparse solver at 500 nodes,
    #: and scipy is not a dependency.
    subgraph_nodes: int = 450
    #: Nodes a subgraph around centres shows when the request names no cap.
    subgraph_default_nodes: int = 150
    #: Most nodes one "expand neighbours" in a picture may add.
    expand_nodes: int = 40
    #: Search hits per kind: by default, and at most.
    search_hits: int = 20
    search_hits_max: int = 200
    #: Rows of one partner directory page: by default, and at most.
    directory_per_page: int = 25
    directory_per_page_max: int = 100
    #: Collaborators ranked for a partner: by default, at most, and on the partner's page.
    collaborators: int = 20
    collaborators_max: int = 100
    collaborators_on_page: int = 10
    #: The most challenges one cover request may name (the map has 104 in all).
    cover_challenges: int = 104
    #: Longest console query text.
    query_chars: int = 20_000
    #: How deeply lists and maps may nest in one console parameter (the Neo4j driver
    #: recurses per level; graph.store.values refuses deeper ones on both backends).
    query_param_depth: int = 32
    #: The ranges ``GCX_QUERY_TIMEOUT`` and ``GCX_QUERY_MAX_ROWS`` may take.
    query_timeout_s_min: float = 0.1
    query_timeout_s_max: float = 300.0
    query_rows_max: int = 1_000_000
    #: The most console queries ``GCX_CONSOLE_WORKERS`` may let run at once site-wide.
    console_workers_max: int = 64


#: The one instance of :class:`Limits`.
LIMITS = Limits()


@dataclass(frozen=True)
class Settings:
    """Where the graph lives and the limits of the read-only query console."""

    backend: str = "embedded"
    db_path: Path = PROJECT_ROOT / "var" / "grand-challenges.lbug"
    dataset: Path = BUNDLED_DATASET
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str = "neo4j"
    query_timeout_s: float = 5.0
    query_max_rows: int = 1000
    #: Console queries running at once across every process serving one database.
    console_workers: int = 4


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment).

    >>> load_settings({"GCX_BACKEND": "embedded", "GCX_DB_PATH": "/tmp/x.lbug"}).db_path
    PosixPath('/tmp/x.lbug')
    """
    env = os.environ if env is None else env
    backend = env.get("GCX_BACKEND", "embedded").strip().lower() or "embedded"
    if backend not in BACKENDS:
        raise ValueError(f"GCX_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    defaults = Settings()
    db_path = Path(env["GCX_DB_PATH"]).expanduser() if env.get("GCX_DB_PATH") else defaults.db_path
    return Settings(
        backend=backend,
        db_path=db_path,
        dataset=Path(env["GCX_DATASET"]).expanduser()
        if env.get("GCX_DATASET")
        else BUNDLED_DATASET,
        neo4j_uri=env.get("NEO4J_URI") or None,
        neo4j_user=env.get("NEO4J_USER", "neo4j"),
        neo4j_password=env.get("NEO4J_PASSWORD", ""),
        neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
        query_timeout_s=_float(
            env,
            "GCX_QUERY_TIMEOUT",
            defaults.query_timeout_s,
            LIMITS.query_timeout_s_min,
            LIMITS.query_timeout_s_max,
        ),
        query_max_rows=_int(
            env, "GCX_QUERY_MAX_ROWS", defaults.query_max_rows, 1, LIMITS.query_rows_max
        ),
        console_workers=_int(
            env, "GCX_CONSOLE_WORKERS", defaults.console_workers, 1, LIMITS.console_workers_max
        ),
    )
