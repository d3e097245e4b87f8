"""Challenge pages: the list, and each challenge with who addresses it and the evidence."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph.views import SubgraphRequest, card, challenge_detail, theme_colours
from web.db import get_snapshot
from web.params import get_bool, get_choice
from web.render import graph_block

__all__ = ["bp"]

bp = Blueprint("challenges", __name__, url_prefix="/challenges")


@bp.get("", strict_slashes=False)
def index() -> str:
    g = get_snapshot()
    themes = theme_colours(g)
    theme = get_choice("theme", themes.keys(), None)
    only_catalysts = get_bool("catalyst", None)
    rows = [card(g, n) for n, a in g.nodes(data=True) if a.get("kind") == "Challenge"]
    if theme is not None:
        rows = [r for r in rows if theme in r["themes"]]
    if only_catalysts is not None:
        rows = [r for r in rows if bool(r["catalyst"]) == only_catalysts]
    rows.sort(key=lambda r: (-r["partners"], r["name"].casefold()))
    names = {t: str(g.nodes[t].get("name")) for t in themes}
    return render_template(
        "challenges.html",
        rows=rows,
        themes=names,
        theme=theme,
        catalyst=only_catalysts,
        colours=themes,
    )


@bp.get("/<node_id>")
def show(node_id: str) -> str:
    g = get_snapshot()
    view = challenge_detail(g, node_id)
    args = SubgraphRequest(centers=(node_id,), depth=1, evidence=True)
    return render_template(
        "challenge.html",
        view=view,
        graph=graph_block(g, args, "Its neighbourhood and who addresses it"),
    )
