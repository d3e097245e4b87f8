"""The explorer's web app: the factory.

``create_app(test_config=None)`` builds the app from the parts that each own one concern:
the URL areas (``web/areas.py``, one blueprint a module), the store handle
(``web/db.py``), the one error shape (``web/errors.py``), templating
(``web/templating.py``) and the security headers (``web/headers.py``). The app opens one
store per process, lazily, and reads a snapshot per request, so a ``gcx load`` while it
runs is picked up without a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from web import db, errors, headers, templating
from web.areas import AREAS

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the explorer app.

    ``test_config`` may set ``GCX_SETTINGS`` (a :class:`graph.Settings`) or ``GCX_STORE``
    (an open :class:`graph.Store`, which the app then never closes); otherwise settings
    come from the environment (``graph.settings``). ``GCX_WARM`` (on when there is no
    ``test_config``, as under gunicorn) warms the query console at start (``web.db.warm``).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        # Flask would read FLASK_DEBUG from the environment: debug (tracebacks, reloading
        # templates) is never on unless a caller's test_config turns it on.
        DEBUG=False,
        JSON_SORT_KEYS=False,
        GCX_SETTINGS=None,
        GCX_STORE=None,
        GCX_WARM=test_config is None,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    templating.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    nav = []
    for area in AREAS:
        app.register_blueprint(area.blueprint)
        if area.nav_label:
            nav.append((area.nav_label, area.nav_endpoint))
    app.config["GCX_NAV"] = nav
    headers.init_app(app)
    return app
