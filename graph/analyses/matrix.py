"""The theme x sector matrix: which partners, by sector, work on each theme.

Split from :mod:`graph.analyses.gaps` (the gap report) so each module owns one analysis;
it counts partners through the same addressing relation, on a theme's challenges or on
the theme as a whole.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph.analyses.addressing import addressing, theme_addressing
from graph.analyses.gaps import UNKNOWN_SECTOR, challenge_themes, nodes_of
from graph.data import Snapshot, node_name
from graph.model import NodeKind

__all__ = ["CoverageMatrix", "theme_sector_matrix"]


@dataclass(frozen=True)
class CoverageMatrix:
    """Partners per (theme, partner sector), with the partners behind every cell.

    ``themes`` holds (id, name) pairs in the map's order, with ``(None, "No theme")`` last
    when some addressed challenge has no theme; ``cells`` maps (theme id, sector) to
    partner ids.
    """

    themes: tuple[tuple[str | None, str], ...]
    sectors: tuple[str, ...]
    cells: dict[tuple[str | None, str], tuple[str, ...]]
    names: dict[str, str]

    def count(self, theme: str | None, sector: str) -> int:
        return len(self.cells.get((theme, sector), ()))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: rows of cells, each with its partners' ids and names."""
        return {
            "themes": [{"id": t, "name": n} for t, n in self.themes],
            "sectors": list(self.sectors),
            "rows": [
                {
                    "theme": t,
                    "cells": [
                        {
                            "sector": s,
                            "count": self.count(t, s),
                            "partners": [
                                {"id": p, "name": self.names.get(p, p)}
                                for p in self.cells.get((t, s), ())
                            ],
                        }
                        for s in self.sectors
                    ],
                }
                for t, _ in self.themes
            ],
        }


def theme_sector_matrix(g: Snapshot, *, include_inferred: bool = True) -> CoverageMatrix:
    """Which partners, by sector, work on each theme: on its challenges, or on the theme as
    a whole (theme-level addressing). An empty sector counts as Unknown.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P", "sector": "Museum"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M"}),
    ...      Node(K.THEME, {"id": "t", "name": "T"}),
    ...      Node(K.CHALLENGE, {"id": "c", "name": "C"})],
    ...     [Rel(R.MADE, "p", "m", {"basis": "stated"}),
    ...      Rel(R.ADDRESSES, "m", "c", {"basis": "stated"}),
    ...      Rel(R.IN_THEME, "c", "t", {"basis": "stated"})])
    >>> theme_sector_matrix(g).cells
    {('t', 'Museum'): ('p',)}
    """
    themes_of = challenge_themes(g, include_inferred)
    cells: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    sectors: set[str] = set()
    names: dict[str, str] = {}
    for a in addressing(g, include_inferred=include_inferred):
        sector = _sector(g, a.partner)
        sectors.add(sector)
        names[a.partner] = node_name(g, a.partner)
        row_keys: list[str | None] = list(themes_of.get(a.challenge, ())) or [None]
        for t in row_keys:
            cells[(t, sector)].add(a.partner)
    for ta in theme_addressing(g, include_inferred=include_inferred):
        sector = _sector(g, ta.partner)
        sectors.add(sector)
        names[ta.partner] = node_name(g, ta.partner)
        cells[(ta.theme, sector)].add(ta.partner)

    theme_rows: list[tuple[str | None, str]] = []
    for t in nodes_of(g, NodeKind.THEME):
        theme_rows.append((t, node_name(g, t)))
    theme_rows.sort(
        key=lambda tn: (
            _order(g.nodes[tn[0]].get("listed_order")) if tn[0] else math.inf,
            tn[1],
        )
    )
    if any(t is None for t, _ in cells):
        theme_rows.append((None, "No theme"))
    ordered_sectors = sorted(sectors - {UNKNOWN_SECTOR}) + (
        [UNKNOWN_SECTOR] if UNKNOWN_SECTOR in sectors else []
    )
    return CoverageMatrix(
        themes=tuple(theme_rows),
        sectors=tuple(ordered_sectors),
        cells={k: tuple(sorted(v, key=lambda p: (names.get(p, p), p))) for k, v in cells.items()},
        names=names,
    )


def _order(value: object) -> float:
    return float(value) if isinstance(value, int) else math.inf


def _sector(g: Snapshot, partner: str) -> str:
    raw = g.nodes[partner].get("sector")
    return raw.strip() if isinstance(raw, str) and raw.strip() else UNKNOWN_SECTOR
