"""Partner pages: the directory (search, filters, sort, pages) and each partner.

``/partners`` and ``/partners/<id>`` are the pages; ``/api/partners`` and
``/api/partners/<id>`` their JSON twins, each pair from one argument parser and one view
model (``graph.views.directory``, ``partner_detail``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from graph import LIMITS, NodeKind, Snapshot, collaborators
from graph.views import (
    SORTS,
    DirectoryQuery,
    SubgraphRequest,
    collaborator_view,
    directory,
    directory_facets,
    partner_detail,
)
from web.db import get_snapshot
from web.params import get_bool, get_choice, get_int, get_str
from web.render import graph_block, node_url, serve_with_twin

__all__ = ["bp"]

bp = Blueprint("partners", __name__)


def _directory_query(g: Snapshot) -> DirectoryQuery:
    """The directory's filters from the query string, validated against the data."""
    facets = directory_facets(g)
    return DirectoryQuery(
        q=get_str("q"),
        sector=get_choice("sector", facets["sectors"], None),
        location=get_choice("location", facets["locations"], None),
        era=get_choice("era", facets["eras"], None),
        has_commitment=get_bool("has_commitment", None),
        addresses_catalyst=get_bool("addresses_catalyst", None),
        sort=get_choice("sort", SORTS.keys(), "name") or "name",
        page=get_int("page", 1, 1, 10_000),
        per_page=get_int("per_page", LIMITS.directory_per_page, 1, LIMITS.directory_per_page_max),
    )


def _directory_view() -> dict[str, Any]:
    """One page of the directory, its query and the values its filters can take."""
    g = get_snapshot()
    query = _directory_query(g)
    return {"page": directory(g, query), "query": query, "facets": directory_facets(g)}


def _directory_json(view: dict[str, Any]) -> dict[str, Any]:
    """``/api/partners``: one page of the directory, linked, with its query and facets."""
    page = view["page"]
    return {
        "partners": [{**r, "url": node_url(NodeKind.PARTNER, r["id"])} for r in page.rows],
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
        "query": asdict(page.query),
        "facets": view["facets"],
    }


serve_with_twin(
    bp, "/partners", "partners.html", _directory_view, "/api/partners", _directory_json, sorts=SORTS
)


@bp.get("/partners/<node_id>")
def show(node_id: str) -> str:
    g = get_snapshot()
    view = partner_detail(g, node_id)
    args = SubgraphRequest(centers=(node_id,), evidence=True)
    # The Collaborators section: the top few, stated and inferred links or stated only.
    inferred = bool(get_bool("inferred", True))
    found = collaborators(g, node_id, include_inferred=inferred, limit=LIMITS.collaborators_on_page)
    return render_template(
        "partner.html",
        view=view,
        graph=graph_block(g, args, "Its network"),
        collaborators=[collaborator_view(g, c) for c in found],
        inferred=inferred,
    )


@bp.get("/api/partners/<node_id>")
def api_show(node_id: str) -> Response:
    return jsonify(partner_detail(get_snapshot(), node_id))
