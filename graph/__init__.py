"""The Grand Challenges graph: model, stores, and the analyses every front end shares.

Web, CLI and notebooks all come in here::

    from graph import open_store, addressing
    store = open_store()              # GCX_BACKEND / GCX_DB_PATH from the environment
    g = store.snapshot()              # a frozen networkx MultiDiGraph
    addressing(g, challenge="the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day")

``graph`` never imports ``web`` or ``loaders``.
"""

from graph.analyses.addressing import (
    Addressing,
    AddressingStats,
    EvidencePath,
    ThemeAddressing,
    addressing,
    addressing_stats,
    partners_addressing,
    theme_addressing,
)
from graph.analyses.collaborators import Collaborator, Cover, collaborators, cover
from graph.analyses.coverage import Coverage, coverage
from graph.analyses.export import ExportFormat, export
from graph.analyses.gaps import (
    CoverageMatrix,
    GapReport,
    gaps,
    leverage_chart_svg,
    theme_sector_matrix,
)
from graph.backends import open_store
from graph.errors import (
    GraphError,
    GraphNotLoaded,
    GraphUnavailable,
    NotFound,
    QueryError,
    QueryRefused,
    QueryTimeout,
)
from graph.model import NODE_KINDS, REL_TYPES, NodeKind, RelType
from graph.settings import Settings, load_settings
from graph.store.base import QueryResult, Store, StoreInfo

__all__ = [
    "NODE_KINDS",
    "REL_TYPES",
    "Addressing",
    "AddressingStats",
    "Collaborator",
    "Cover",
    "Coverage",
    "CoverageMatrix",
    "EvidencePath",
    "ExportFormat",
    "GapReport",
    "GraphError",
    "GraphNotLoaded",
    "GraphUnavailable",
    "NodeKind",
    "NotFound",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QueryTimeout",
    "RelType",
    "Settings",
    "Store",
    "StoreInfo",
    "ThemeAddressing",
    "addressing",
    "addressing_stats",
    "collaborators",
    "cover",
    "coverage",
    "export",
    "gaps",
    "leverage_chart_svg",
    "load_settings",
    "open_store",
    "partners_addressing",
    "theme_addressing",
    "theme_sector_matrix",
]
