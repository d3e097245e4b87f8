"""The explorer's web app: the factory, the URL areas it mounts, and its safety headers.

``create_app(test_config=None)`` builds the app. Each URL area is one blueprint (module
``web/<area>.py``) listed in :data:`AREAS` with its navigation link; to add a page area,
write the blueprint and add one line there (see ``docs/web.md``). The app opens one store
per process, lazily (``web/db.py``), and reads a snapshot per request, so a ``gcx load``
while it runs is picked up without a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, request, url_for

from graph.views import kind_label
from web import (
    analyses_api,
    api,
    assets,
    challenges,
    collaborators,
    cypher_guide,
    db,
    errors,
    explore,
    gaps,
    nodes,
    overview,
    partners,
    query,
    search,
    themes,
)

__all__ = ["AREAS", "CSP", "Area", "create_app"]


@dataclass(frozen=True)
class Area:
    """A URL area: its blueprint and, if it has one, its link in the top navigation."""

    blueprint: Blueprint
    nav_label: str | None = None
    nav_endpoint: str | None = None


#: Every URL area, in navigation order. Add a line here to mount a new area.
AREAS: list[Area] = [
    Area(overview.bp, "Overview", "overview.index"),
    Area(themes.bp, "Themes", "themes.index"),
    Area(challenges.bp, "Challenges", "challenges.index"),
    Area(partners.bp, "Partners", "partners.index"),
    Area(explore.bp, "Explore", "explore.index"),
    Area(gaps.bp, "Gaps", "gaps.index"),
    Area(collaborators.bp, "Collaborators", "collaborators.index"),
    Area(search.bp, "Search", "search.index"),
    Area(query.bp, "Query", "query.index"),
    Area(cypher_guide.bp),
    Area(nodes.bp),
    Area(api.bp),
    Area(analyses_api.bp),
    Area(assets.bp),
]

#: No inline script and nothing from another origin: page data reaches scripts as JSON in
#: ``<script type="application/json">`` blocks or by fetch. vis-network sets element
#: styles from script (allowed); the only inline style it needs is none, so styles are
#: 'self' too.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


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


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the explorer app.

    ``test_config`` may set ``GCX_SETTINGS`` (a :class:`graph.Settings`) or ``GCX_STORE``
    (an open :class:`graph.Store`, which the app then never closes); otherwise settings
    come from the environment (``graph.settings``).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        # Flask would read FLASK_DEBUG from the environment: debug (tracebacks, reloading
        # templates) is never on unless a caller's test_config turns it on.
        DEBUG=False,
        JSON_SORT_KEYS=False,
        GCX_SETTINGS=None,
        GCX_STORE=None,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from web.render import node_url

    app.add_template_filter(kind_label)
    app.add_template_filter(safe_url)
    app.add_template_filter(lambda kind, node_id: node_url(kind, node_id), "node_url")
    app.add_template_global(url_with)

    db.init_app(app)
    errors.init_app(app)
    nav = []
    for area in AREAS:
        app.register_blueprint(area.blueprint)
        if area.nav_label and area.nav_endpoint:
            nav.append((area.nav_label, area.nav_endpoint))
    app.config["GCX_NAV"] = nav
    app.after_request(_security_headers)
    return app
