"""The Grand Challenges graph: model, stores, and the analyses every front end shares.

Web, CLI and notebooks all come in here::

    from graph import open_store, addressing
    store = open_store()              # GCX_BACKEND / GCX_DB_PATH from the environment
    g = store.snapshot()              # a frozen networkx MultiDiGraph
    addressing(g, challenge="the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day")

``graph`` never imports ``web`` or ``loaders``. Web and the CLI import only the names this
module and the subpackages' ``__init__`` modules re-export (``graph.views``,
``graph.analyses``, ``graph.store``, ``graph.console``); ``tests/test_architecture.py``
holds them to it. Every analysis ``graph.analyses`` exports is exported here too, as
NetworkX's top level does with its algorithms, so the two lists cannot drift apart.
"""

from graph import analyses
from graph.analyses import *  # noqa: F403 - graph re-exports every analysis
from graph.backends import open_store
from graph.console.examples import EXAMPLES, Audience, Example
from graph.data import Snapshot
from graph.errors import (
    ConsoleBusy,
    GraphAlreadyLoaded,
    GraphError,
    GraphNotLoaded,
    GraphUnavailable,
    LoadBusy,
    LoadLimitExceeded,
    NotFound,
    QueryError,
    QueryRefused,
    QueryTimeout,
)
from graph.model import NODE_KINDS, REL_TYPES, NodeKind, RelType
from graph.settings import LIMITS, Limits, Settings, load_settings
from graph.store.base import QueryResult, Store, StoreInfo
from graph.store.doctor import Check, run_checks

__all__ = [
    "EXAMPLES",
    "LIMITS",
    "NODE_KINDS",
    "REL_TYPES",
    "Audience",
    "Check",
    "ConsoleBusy",
    "Example",
    "GraphAlreadyLoaded",
    "GraphError",
    "GraphNotLoaded",
    "GraphUnavailable",
    "Limits",
    "LoadBusy",
    "LoadLimitExceeded",
    "NodeKind",
    "NotFound",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QueryTimeout",
    "RelType",
    "Settings",
    "Snapshot",
    "Store",
    "StoreInfo",
    "load_settings",
    "open_store",
    "run_checks",
]
__all__ += analyses.__all__
