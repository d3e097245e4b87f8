"""Vendored assets: vis-network, served from the copy the ``pyvis`` package ships."""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory

from web.errors import NotFoundError
from web.render import VIS_DIR

__all__ = ["bp"]

_FILES = ("vis-network.min.js", "vis-network.css")

bp = Blueprint("assets", __name__)


@bp.get("/vendor/vis-network/<name>")
def vis(name: str) -> Response:
    """vis-network's script and stylesheet (nothing else in that folder is served)."""
    if name not in _FILES:
        raise NotFoundError(f"no vendored file named {name!r}")
    response = send_from_directory(VIS_DIR, name, max_age=86400)
    return response
