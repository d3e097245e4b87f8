"""``/query/cypher``: the guide "Cypher here and in Neo4j" (``docs/cypher.md``), as a page.

The console's refusals and error messages point to it; it is rendered from the one Markdown
file in ``docs/`` (raw HTML in it is not passed through), with an ``id`` on each section
heading so ``/query/cypher#functions`` lands where ``docs/cypher.md#functions`` does.
"""

from __future__ import annotations

import functools
from pathlib import Path

from flask import Blueprint, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup

from web.errors import NotFoundError

__all__ = ["GUIDE", "bp", "guide_html"]

bp = Blueprint("cypher_guide", __name__)

#: The guide's source: the same file the repository shows.
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"


@functools.cache
def guide_html(path: Path = GUIDE) -> Markup:
    """The guide as HTML, each ``##`` heading with the id GitHub gives it."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(path.read_text(encoding="utf-8"))
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            title = tokens[i + 1].content
            token.attrSet("id", "-".join(title.lower().split()))
    return Markup(md.renderer.render(tokens, md.options, {}))  # noqa: S704 - escaped by markdown-it


@bp.get("/query/cypher")
def index() -> str:
    if not GUIDE.exists():
        raise NotFoundError("the guide is not installed with this copy of the explorer")
    return render_template("cypher_guide.html", guide=guide_html())
