"""Partner pages: the directory (search, filters, sort, pages) and each partner."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph import collaborators
from graph.data import Snapshot
from graph.views import SORTS, DirectoryQuery, SubgraphRequest, directory_facets, partner_detail
from graph.views import directory as run_directory
from web.collaborators import collaborator_view
from web.db import get_snapshot
from web.params import get_bool, get_choice, get_int, get_str
from web.render import graph_block

__all__ = ["bp", "directory_query"]

bp = Blueprint("partners", __name__, url_prefix="/partners")

MAX_PER_PAGE = 100
PAGE_COLLABORATORS = 10  # suggestions on a partner page; the full list is /collaborators


def directory_query(g: Snapshot) -> DirectoryQuery:
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
        per_page=get_int("per_page", 25, 1, MAX_PER_PAGE),
    )


@bp.get("", strict_slashes=False)
def index() -> str:
    g = get_snapshot()
    query = directory_query(g)
    return render_template(
        "partners.html",
        page=run_directory(g, query),
        query=query,
        facets=directory_facets(g),
        sorts=SORTS,
    )


@bp.get("/<node_id>")
def show(node_id: str) -> str:
    g = get_snapshot()
    view = partner_detail(g, node_id)
    args = SubgraphRequest(centers=(node_id,), depth=1, evidence=True)
    # The Collaborators section: the top few, stated and inferred links or stated only.
    inferred = bool(get_bool("inferred", True))
    found = collaborators(g, node_id, include_inferred=inferred, limit=PAGE_COLLABORATORS)
    return render_template(
        "partner.html",
        view=view,
        graph=graph_block(g, args, "Its network"),
        collaborators=[collaborator_view(g, c) for c in found],
        inferred=inferred,
    )
