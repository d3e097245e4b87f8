"""Vendored assets: vis-network, served from the copy the ``pyvis`` package ships."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask import Blueprint, Response, send_from_directory

__all__ = ["VIS_DIR", "bp"]


#: vis-network 9.1.2 as shipped inside pyvis: no CDN, works offline.
def _pyvis_dir() -> Path:
    # find the package without importing it (importing pyvis pulls in IPython)
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError("the pyvis package is missing: it ships the vis-network we serve")
    return Path(spec.origin).resolve().parent


VIS_DIR = _pyvis_dir() / "lib" / "vis-9.1.2"
_FILES = ("vis-network.min.js", "vis-network.css")

bp = Blueprint("assets", __name__)


@bp.get("/vendor/vis-network/<name>")
def vis(name: str) -> Response:
    """vis-network's script and stylesheet (nothing else in that folder is served)."""
    from web.errors import NotFoundError

    if name not in _FILES:
        raise NotFoundError(f"no vendored file named {name!r}")
    response = send_from_directory(VIS_DIR, name, max_age=86400)
    return response
