"""The URL areas the app mounts, in navigation order: one blueprint a module.

Each area (``web/<area>.py``) serves its pages and their ``/api`` twins from one
argument parser and one view-model function. To add an area, write its blueprint and add
one line to :data:`AREAS` (see ``docs/web.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint

from web import (
    assets,
    challenges,
    collaborators,
    explore,
    gaps,
    nodes,
    openapi,
    overview,
    partners,
    query,
    search,
    themes,
)

__all__ = ["AREAS", "Area"]


@dataclass(frozen=True)
class Area:
    """A URL area: its blueprint and, if it has one, its link in the top navigation."""

    blueprint: Blueprint
    nav_label: str | None = None
    nav_endpoint: str | None = None


#: Every URL area, in navigation order. Add a line here to mount a new area.
AREAS: list[Area] = [
    Area(overview.bp, "Overview", "overview.index"),
    Area(themes.bp, "Themes", "themes.index"),
    Area(challenges.bp, "Challenges", "challenges.index"),
    Area(partners.bp, "Partners", "partners.index"),
    Area(explore.bp, "Explore", "explore.index"),
    Area(gaps.bp, "Gaps", "gaps.index"),
    Area(collaborators.bp, "Collaborators", "collaborators.index"),
    Area(search.bp, "Search", "search.index"),
    Area(query.bp, "Query", "query.index"),
    Area(nodes.bp),
    Area(openapi.bp),
    Area(assets.bp),
]
