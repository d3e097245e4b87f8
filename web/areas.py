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
    cypher_guide,
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
    """A URL area: its blueprint and, if it has one, its link in the top navigation (to
    the blueprint's ``index`` page)."""

    blueprint: Blueprint
    nav_label: str | None = None

    @property
    def nav_endpoint(self) -> str:
        return f"{self.blueprint.name}.index"


#: Every URL area, in navigation order (blueprint, nav link), then those with no link.
#: Add a line here to mount a new area.
AREAS: list[Area] = [
    *(
        Area(bp, label)
        for bp, label in (
            (overview.bp, "Overview"),
            (themes.bp, "Themes"),
            (challenges.bp, "Challenges"),
            (partners.bp, "Partners"),
            (explore.bp, "Explore"),
            (gaps.bp, "Gaps"),
            (collaborators.bp, "Collaborators"),
            (search.bp, "Search"),
            (query.bp, "Query"),
        )
    ),
    *(Area(bp) for bp in (cypher_guide.bp, nodes.bp, openapi.bp, assets.bp)),
]
