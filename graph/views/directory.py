"""The partner directory: filters, sort orders and pages over every partner.

``/partners`` and ``/api/partners`` both call :func:`directory` with one
:class:`DirectoryQuery`; the rows are computed once per snapshot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.analyses.addressing import addressing
from graph.data import Snapshot
from graph.model import NodeKind as K
from graph.model import RelType as R
from graph.settings import LIMITS
from graph.views.nodes import catalysts, name_of, neighbours, of_kind, strings
from graph.views.search import WORD

__all__ = ["SORTS", "DirectoryPage", "DirectoryQuery", "directory", "directory_facets"]

#: The directory's sort orders and how the page names them.
SORTS: dict[str, str] = {
    "name": "name (A-Z)",
    "-name": "name (Z-A)",
    "-commitments": "most commitments",
    "-challenges": "most challenges addressed",
    "-teams": "most project teams",
}


@dataclass(frozen=True)
class DirectoryQuery:
    """Filters, order and page of the partner directory (already validated at the edge)."""

    q: str = ""
    sector: str | None = None
    location: str | None = None
    era: str | None = None
    has_commitment: bool | None = None
    addresses_catalyst: bool | None = None
    sort: str = "name"
    page: int = 1
    per_page: int = LIMITS.directory_per_page


@dataclass(frozen=True)
class DirectoryPage:
    """One page of the directory: rows, the total that matched, and paging numbers."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    query: DirectoryQuery = field(default_factory=DirectoryQuery)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@lru_cache(maxsize=8)
def _partner_rows(g: Snapshot) -> tuple[dict[str, Any], ...]:
    catalyst_ids = set(catalysts(g))
    addressed: dict[str, set[str]] = {}
    for a in addressing(g):
        addressed.setdefault(a.partner, set()).add(a.challenge)
    rows: list[dict[str, Any]] = []
    for n in of_kind(g, K.PARTNER):
        attrs = g.nodes[n]
        commitments = [c for c, _ in neighbours(g, n, R.MADE)]
        eras = sorted({str(g.nodes[c].get("era")) for c in commitments if g.nodes[c].get("era")})
        challenges = addressed.get(n, set())
        rows.append(
            {
                "id": n,
                "name": name_of(g, n),
                "sector": attrs.get("sector"),
                "location": attrs.get("location"),
                "eras": eras,
                "commitments": len(commitments),
                "teams": len(neighbours(g, n, R.MEMBER_OF)),
                "challenges": len(challenges),
                "catalysts": len(challenges & catalyst_ids),
                "_text": " ".join([name_of(g, n), *strings(attrs.get("name_variants"))]).casefold(),
            }
        )
    rows.sort(key=lambda r: (r["name"].casefold(), r["id"]))
    return tuple(rows)


def directory_facets(g: Snapshot) -> dict[str, list[str]]:
    """The values the directory's filters can take: sectors, locations and eras."""
    rows = _partner_rows(g)
    return {
        "sectors": sorted({r["sector"] for r in rows if r["sector"]}, key=str.casefold),
        "locations": sorted({r["location"] for r in rows if r["location"]}, key=str.casefold),
        "eras": sorted({e for r in rows for e in r["eras"]}),
    }


def directory(g: Snapshot, query: DirectoryQuery) -> DirectoryPage:
    """Partners matching the filters, sorted, one page of them.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.PARTNER, {"id": f"p{i}", "name": f"P{i}"})
    ...                  for i in range(30)], [])
    >>> page = directory(g, DirectoryQuery(q="p1", page=1, per_page=5))
    >>> page.total, page.pages, [r["id"] for r in page.rows][:2]
    (11, 3, ['p1', 'p10'])
    """
    words = [w.casefold() for w in WORD.findall(query.q)]
    picked = []
    for row in _partner_rows(g):
        if words and not all(w in row["_text"] for w in words):
            continue
        if query.sector is not None and row["sector"] != query.sector:
            continue
        if query.location is not None and row["location"] != query.location:
            continue
        if query.era is not None and query.era not in row["eras"]:
            continue
        if query.has_commitment is not None and (row["commitments"] > 0) != query.has_commitment:
            continue
        if query.addresses_catalyst is not None and (
            (row["catalysts"] > 0) != query.addresses_catalyst
        ):
            continue
        picked.append(row)
    key = query.sort.lstrip("-")
    if key != "name":
        # stable sort: ties keep name order
        picked.sort(key=lambda r: r[key], reverse=query.sort.startswith("-"))
    elif query.sort == "-name":
        picked.reverse()
    start = (query.page - 1) * query.per_page
    rows = [
        {k: v for k, v in r.items() if not k.startswith("_")}
        for r in picked[start : start + query.per_page]
    ]
    return DirectoryPage(rows, len(picked), query.page, query.per_page, query)
