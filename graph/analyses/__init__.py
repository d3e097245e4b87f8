"""Analyses over a snapshot: addressing, collaborators, gaps, suggestions, coverage, export.

Pure functions over the frozen networkx snapshot, so both backends give the same answers.
Web and the CLI import these names from here (or from ``graph``), never from the modules
inside; ``graph.analyses.suggest`` is the one exception: it loads scikit-learn (~1 s), so
its callers import it lazily, when they suggest.
"""

from graph.analyses.addressing import Addressing, EvidencePath, addressing, partners_addressing
from graph.analyses.chart import leverage_chart_svg
from graph.analyses.collaborators import Collaborator, Cover, collaborators, cover
from graph.analyses.coverage import Coverage, coverage, describe
from graph.analyses.export import ExportFormat, csv_safe, export, write_export
from graph.analyses.gaps import (
    WEIGHTS,
    CoverageMatrix,
    GapReport,
    gaps,
    theme_sector_matrix,
)

__all__ = [
    "WEIGHTS",
    "Addressing",
    "Collaborator",
    "Cover",
    "Coverage",
    "CoverageMatrix",
    "EvidencePath",
    "ExportFormat",
    "GapReport",
    "addressing",
    "collaborators",
    "cover",
    "coverage",
    "csv_safe",
    "describe",
    "export",
    "gaps",
    "leverage_chart_svg",
    "partners_addressing",
    "theme_sector_matrix",
    "write_export",
]
