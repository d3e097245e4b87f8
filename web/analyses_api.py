"""The analyses' JSON API: collaborators for a partner, covers of challenges, the gap report.

``GET /api/partners/<id>/collaborators?limit=&inferred=0|1``, ``GET /api/cover?challenge=ID…``
and ``GET /api/gaps?theme=&inferred=0|1`` answer what ``/collaborators`` and ``/gaps`` show,
as the ``to_dict()`` of the ``graph`` results plus page URLs. Errors use the one shape
(``web/errors.py``); every route is in ``web/openapi.py``.
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from graph import collaborators, cover, theme_sector_matrix
from graph.analyses.gaps import WEIGHTS
from graph.data import Snapshot
from graph.views import card
from web.collaborators import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    collaborator_dict,
    cover_dict,
    require_challenges,
)
from web.db import get_snapshot
from web.gaps import gap_report, matrix_dict, theme_param
from web.params import get_bool, get_int
from web.render import node_url

__all__ = ["bp"]

bp = Blueprint("analyses_api", __name__, url_prefix="/api")


@bp.get("/partners/<node_id>/collaborators")
def partner_collaborators(node_id: str) -> Response:
    g = get_snapshot()
    limit = get_int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    inferred = bool(get_bool("inferred", True))
    found = collaborators(g, node_id, include_inferred=inferred, limit=limit)
    return jsonify(
        {
            "partner": {**card(g, node_id), "url": node_url("Partner", node_id)},
            "include_inferred": inferred,
            "limit": limit,
            "collaborators": [collaborator_dict(c) for c in found],
        }
    )


@bp.get("/cover")
def cover_challenges() -> Response:
    g = get_snapshot()
    chosen = require_challenges()
    inferred = bool(get_bool("inferred", True))
    return jsonify(cover_dict(g, cover(g, chosen, include_inferred=inferred)))


@bp.get("/gaps")
def gap_finder() -> Response:
    g = get_snapshot()
    body = _gaps_json(g, theme_param(), bool(get_bool("inferred", True)))
    return current_app.response_class(body, mimetype="application/json")


@lru_cache(maxsize=16)
def _gaps_json(g: Snapshot, theme: str | None, inferred: bool) -> bytes:
    # Cached per (frozen snapshot, arguments): the report covers every challenge, and at
    # scale computing and serialising it is the slow part. A reload brings a new snapshot.
    report = gap_report(g, theme, inferred)
    body = report.to_dict()
    for row in body["ranked"]:
        row["url"] = node_url("Challenge", row["challenge"])
    body["weights"] = dict(WEIGHTS)
    body["matrix"] = matrix_dict(theme_sector_matrix(g, include_inferred=inferred), inferred)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
