"""Analyses over a snapshot: addressing, collaborators, gaps, suggestions, coverage, export.

Pure functions over the frozen networkx snapshot, so both backends give the same answers.
Web and the CLI import these names from here (or from ``graph``), never from the modules
inside; ``graph.analyses.suggest`` (which also re-exports the text matcher) is the one
exception: suggesting loads ``bm25s`` and its stemmer (about half a second), so its callers
import it lazily, when they suggest.
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
from graph.analyses.chart import leverage_chart_svg
from graph.analyses.collaborators import Collaborator, Cover, Shared, collaborators, cover
from graph.analyses.coverage import Coverage, coverage, describe
from graph.analyses.export import ExportFormat, csv_safe, export, write_export
from graph.analyses.gaps import (
    TIE_RULE,
    WEIGHTS,
    CoverageMatrix,
    GapReport,
    gaps,
    theme_sector_matrix,
)
from graph.analyses.nearby import Nearby, NearbyPartner, nearby, nearby_counts

__all__ = [
    "TIE_RULE",
    "WEIGHTS",
    "Addressing",
    "AddressingStats",
    "Collaborator",
    "Cover",
    "Coverage",
    "CoverageMatrix",
    "EvidencePath",
    "ExportFormat",
    "GapReport",
    "Nearby",
    "NearbyPartner",
    "Shared",
    "ThemeAddressing",
    "addressing",
    "addressing_stats",
    "collaborators",
    "cover",
    "coverage",
    "csv_safe",
    "describe",
    "export",
    "gaps",
    "leverage_chart_svg",
    "nearby",
    "nearby_counts",
    "partners_addressing",
    "theme_addressing",
    "theme_sector_matrix",
    "write_export",
]
