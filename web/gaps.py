"""The gap finder's pages: ``/gaps``, one matrix cell's partners, and the chart as a file.

``/gaps?theme=&inferred=0|1`` shows every challenge's coverage (partners, commitments,
project teams; stated and inferred apart), leverage and gap score, ranked "high leverage,
few hands" first; the crowded, low-leverage reverse; the theme x partner-sector matrix whose
cells link to ``/gaps/cell?theme=&sector=`` (the partners behind the cell and the challenges
that put them there); the leverage-vs-coverage chart as inline SVG (no script); the formula
with its inputs; and what the public data lacks. ``/gaps/chart.svg`` is the same chart as a
file. ``/api/gaps?theme=&inferred=0|1`` is the JSON twin of the report (the same
parser). The analyses are :mod:`graph.analyses.gaps`; this module parses, bounds and renders.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, current_app, render_template, url_for
from markupsafe import Markup

from graph import NodeKind, RelType, Snapshot
from graph.analyses import (
    WEIGHTS,
    CoverageMatrix,
    GapReport,
    addressing,
    coverage,
    gaps,
    leverage_chart_svg,
    theme_addressing,
    theme_sector_matrix,
)
from graph.views import card, of_kind
from web.db import get_info, get_snapshot
from web.errors import BadRequest, NotFoundError
from web.params import get_bool, get_int, get_str
from web.render import node_url

__all__ = ["NO_THEME", "bp"]

bp = Blueprint("gaps", __name__)

#: The ``theme`` value of the matrix row of challenges with no theme.
NO_THEME = "no-theme"


def gap_report(g: Snapshot, theme: str | None, inferred: bool) -> GapReport:
    """The gap report, told how many challenges the whole map has (for what it lacks)."""
    return gaps(g, theme=theme, include_inferred=inferred, map_total=coverage(get_info()).map_total)


def _report_args() -> tuple[str | None, bool]:
    """``theme`` (a theme id, or none: every challenge) and ``inferred``."""
    return get_str("theme") or None, bool(get_bool("inferred", True))


def _theme_value(theme: str | None) -> str:
    return NO_THEME if theme is None else theme


def cell_url(theme: str | None, sector: str, inferred: bool) -> str:
    """The drill-down URL of one matrix cell."""
    args: dict[str, Any] = {"theme": _theme_value(theme), "sector": sector}
    if not inferred:
        args["inferred"] = 0
    return url_for("gaps.cell", **args)


def matrix_dict(matrix: CoverageMatrix, inferred: bool) -> dict[str, Any]:
    """The matrix as JSON: ``CoverageMatrix.to_dict()`` with each cell's drill-down URL."""
    out = matrix.to_dict()
    for row in out["rows"]:
        for c in row["cells"]:
            c["url"] = cell_url(row["theme"], c["sector"], inferred)
            for p in c["partners"]:
                p["url"] = node_url(NodeKind.PARTNER, p["id"])
    return out


def chart(report: GapReport) -> str:
    """The leverage-vs-coverage SVG; each single-challenge marker links to its page."""
    return leverage_chart_svg(report, link=lambda c: node_url(NodeKind.CHALLENGE, c))


@bp.get("/gaps", strict_slashes=False)
def index() -> str:
    g = get_snapshot()
    theme, inferred = _report_args()
    crowded_top = get_int("crowded", 10, 1, 200)
    report = gap_report(g, theme, inferred)
    matrix = theme_sector_matrix(g, include_inferred=inferred)
    themes = [(n, str(g.nodes[n].get("name") or n)) for n in of_kind(g, NodeKind.THEME)]
    themes.sort(key=lambda t: t[1].casefold())
    rows = [{**r.to_dict(), "theme_cards": [card(g, t) for t in r.themes]} for r in report.ranked]
    by_id = {r["challenge"]: r for r in rows}
    return render_template(
        "gaps.html",
        report=report,
        rows=rows,
        crowded=[by_id[r.challenge] for r in report.crowded[:crowded_top]],
        crowded_total=len(report.crowded),
        matrix=matrix_dict(matrix, inferred),
        chart=Markup(chart(report)),  # noqa: S704 - graph.analyses.gaps escapes every text in the SVG
        theme=theme,
        theme_card=card(g, theme) if theme else None,
        themes=themes,
        inferred=inferred,
        weights=WEIGHTS,
        filters=_filters(theme, inferred),
    )


def _filters(theme: str | None, inferred: bool) -> dict[str, Any]:
    """The page's filters as query values (for the chart and JSON links)."""
    out: dict[str, Any] = {}
    if theme:
        out["theme"] = theme
    if not inferred:
        out["inferred"] = 0
    return out


def cell_partners(
    g: Snapshot, matrix: CoverageMatrix, theme: str | None, sector: str, inferred: bool
) -> list[dict[str, Any]]:
    """The partners behind one cell, each with the challenges in the row that put it there
    (or the theme itself, for a partner that addresses the theme as a whole)."""
    ids = matrix.cells.get((theme, sector), ())
    themed: dict[str, set[str]] = defaultdict(set)
    for c, t, key, data in g.edges(keys=True, data=True):
        if key == RelType.IN_THEME and (inferred or data.get("basis") == "stated"):
            themed[c].add(t)
    wanted = set(ids)
    on: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in addressing(g, include_inferred=inferred):
        if a.partner not in wanted:
            continue
        in_row = theme in themed.get(a.challenge, set()) if theme else not themed.get(a.challenge)
        if in_row:
            on[a.partner].append({"challenge": card(g, a.challenge), "basis": a.basis})
    if theme is not None:  # the theme as a whole (theme-level addressing) is in its row
        for ta in theme_addressing(g, include_inferred=inferred, theme=theme):
            if ta.partner in wanted:
                on[ta.partner].append({"challenge": card(g, theme), "basis": ta.basis})
    out = []
    for p in ids:
        items = sorted(on[p], key=lambda x: x["challenge"]["name"].casefold())
        basis = "stated" if any(x["basis"] == "stated" for x in items) else "inferred"
        out.append({"partner": card(g, p), "basis": basis, "challenges": items})
    return out


@bp.get("/gaps/cell")
def cell() -> str:
    g = get_snapshot()
    raw_theme = get_str("theme")
    sector = get_str("sector")
    inferred = bool(get_bool("inferred", True))
    if not raw_theme or not sector:
        raise BadRequest("give both theme (a theme id, or no-theme) and sector")
    matrix = theme_sector_matrix(g, include_inferred=inferred)
    theme: str | None
    if raw_theme in g and g.nodes[raw_theme].get("kind") == NodeKind.THEME:
        theme = raw_theme
        theme_name = str(g.nodes[raw_theme].get("name") or raw_theme)
    elif raw_theme == NO_THEME:
        theme, theme_name = None, "No theme"
    else:
        raise NotFoundError(f"no theme with id {raw_theme!r}")
    if sector not in matrix.sectors:
        raise NotFoundError(f"no partner on a challenge has the sector {sector!r}")
    return render_template(
        "gaps_cell.html",
        theme=theme,
        theme_name=theme_name,
        sector=sector,
        inferred=inferred,
        partners=cell_partners(g, matrix, theme, sector, inferred),
    )


@bp.get("/gaps/chart.svg")
def chart_svg() -> Response:
    report = gap_report(get_snapshot(), *_report_args())
    return Response(chart(report), mimetype="image/svg+xml")


@bp.get("/api/gaps")
def api_gaps() -> Response:
    body = _gaps_json(get_snapshot(), *_report_args())
    return current_app.response_class(body, mimetype="application/json")


@lru_cache(maxsize=16)
def _gaps_json(g: Snapshot, theme: str | None, inferred: bool) -> bytes:
    # Cached per (frozen snapshot, arguments): the report covers every challenge, and at
    # scale computing and serialising it is the slow part. A reload brings a new snapshot.
    report = gap_report(g, theme, inferred)
    body = report.to_dict()
    for row in body["ranked"]:
        row["url"] = node_url(NodeKind.CHALLENGE, row["challenge"])
    body["weights"] = dict(WEIGHTS)
    body["matrix"] = matrix_dict(theme_sector_matrix(g, include_inferred=inferred), inferred)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
