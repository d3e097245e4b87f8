"""Challenge pages: the list, and each challenge with who addresses it and the evidence,
and who works nearby (``#nearby``: same theme, the theme as a whole; with ``suggested=1``
also the commitments the suggestion model matches, which costs a text-model pass).

``/challenges?theme=&catalyst=0|1`` and ``/challenges/<id>?inferred=0|1`` are the pages;
``/api/challenges`` and ``/api/challenges/<id>`` their JSON twins, each pair from one
argument parser and one view model (``graph.views.challenge_list``, ``challenge_detail``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from graph.analyses import coverage, nearby
from graph.views import SubgraphRequest, challenge_detail, challenge_list, theme_colours
from web.db import get_info, get_snapshot
from web.params import get_bool, get_choice
from web.render import graph_block, linked, serve_with_twin

__all__ = ["bp"]

bp = Blueprint("challenges", __name__)

#: Partners shown per "who works nearby" group (the rest are counted).
NEARBY_SHOWN = 12


def _list_view() -> dict[str, Any]:
    """The list's filters (``theme``, ``catalyst``) and the challenges they keep."""
    g = get_snapshot()
    colours = theme_colours(g)
    theme = get_choice("theme", colours.keys(), None)
    catalyst = get_bool("catalyst", None)
    return {
        "rows": challenge_list(g, theme=theme, catalyst=catalyst),
        "themes": {t: str(g.nodes[t].get("name")) for t in colours},
        "theme": theme,
        "catalyst": catalyst,
        "colours": colours,
    }


def _list_json(view: dict[str, Any]) -> dict[str, Any]:
    """``/api/challenges``: the challenges the filters keep, linked, and the coverage."""
    return {
        "challenges": [linked(r) for r in view["rows"]],
        "coverage": coverage(get_info()).line,
    }


serve_with_twin(bp, "/challenges", "challenges.html", _list_view, "/api/challenges", _list_json)


def _detail(node_id: str) -> dict[str, Any]:
    """One challenge (``inferred=0``: stated evidence only)."""
    inferred = bool(get_bool("inferred", True))
    return challenge_detail(get_snapshot(), node_id, include_inferred=inferred)


def _nearby(node_id: str) -> Any:
    """Who works near the challenge (``suggested=1``: with the suggestion model's matches)."""
    inferred = bool(get_bool("inferred", True))
    asked = bool(get_bool("suggested", False))
    return nearby(get_snapshot(), node_id, include_inferred=inferred, suggestions=asked)


@bp.get("/challenges/<node_id>")
def show(node_id: str) -> str:
    view = _detail(node_id)
    args = SubgraphRequest(centers=(node_id,), evidence=True)
    return render_template(
        "challenge.html",
        view=view,
        nearby=_nearby(node_id),
        nearby_shown=NEARBY_SHOWN,
        graph=graph_block(get_snapshot(), args, "Its neighbourhood and who addresses it"),
    )


@bp.get("/api/challenges/<node_id>")
def api_show(node_id: str) -> Response:
    return jsonify({**_detail(node_id), "nearby": _nearby(node_id).to_dict()})
