"""Template settings, filters and globals every page shares.

Autoescaping is on for every template whatever its extension; ``kind_label``,
``rel_phrase`` and ``node_url`` come from the one kind and relationship tables
(``graph.views.KINDS``, ``REL_PHRASES``); ``gcx_config`` is the JSON the browser scripts
read (each kind's words and colours, every limit), rendered once in ``base.html`` as
``<script type="application/json" id="gcx-config">``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request, url_for

from graph.views import client_config, kind_label, rel_phrase
from web.render import node_url

__all__ = ["init_app", "safe_url", "url_with"]


def safe_url(value: object) -> bool:
    """Whether a data value may become a link: http(s) only, never ``javascript:``."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_with(**changes: Any) -> str:
    """This page's URL with some query values changed (``None`` removes one)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(str(request.endpoint), **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    """Set up Jinja for ``app``: autoescape everywhere, tidy whitespace, our filters."""
    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # ``tojson`` (a graph's data in its page): no spaces after separators and non-ASCII
    # as itself (Jinja still escapes <, >, & and '): a graph page is about 5% smaller
    app.jinja_env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "separators": (",", ":"),
        "ensure_ascii": False,
    }
    app.add_template_filter(kind_label)
    app.add_template_filter(rel_phrase)
    app.add_template_filter(safe_url)
    app.add_template_filter(node_url)
    app.add_template_global(url_with)
    app.jinja_env.globals["gcx_config"] = client_config()
