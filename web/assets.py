"""Vendored assets (vis-network, from the copy the ``pyvis`` package ships) and the
versions in every asset URL.

Every URL built for ``static`` or a vendored file carries ``v=`` (the first 12 hex digits
of the file's SHA-256, read again when the file's modification time changes), and a
response to a URL whose ``v`` is the file's current version may be kept a year without
asking again (``immutable``). A page's scripts then come from the browser's cache on
every later visit instead of costing a round trip each (eight of them on a graph page);
a changed file gets a new URL. The graph scripts come as one file (``/bundle/graph.js``,
versioned by the joined bytes).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, send_from_directory

from web.errors import NotFoundError
from web.render import VIS_DIR

__all__ = ["GRAPH_SCRIPTS", "bp", "version"]

_FILES = ("vis-network.min.js", "vis-network.css")
#: The scripts of every graph, in the order they run: served as one file
#: (``/bundle/graph.js``), so a graph page stops its parser once for them instead of
#: seven times, each a cache lookup before the first picture can be drawn.
GRAPH_SCRIPTS = (
    "graph-labels.js",
    "graph-place.js",
    "graph-export.js",
    "graph-first.js",
    "graph.js",
    "graph-steer.js",
    "graph-ui.js",
)
_BUNDLE = "assets.graph_bundle"
#: A year: the longest lifetime browsers honour, for URLs whose content never changes.
_FOREVER = 365 * 24 * 3600

bp = Blueprint("assets", __name__)


@bp.get("/vendor/vis-network/<name>")
def vis(name: str) -> Response:
    """vis-network's script and stylesheet (nothing else in that folder is served)."""
    if name not in _FILES:
        raise NotFoundError(f"no vendored file named {name!r}")
    response = send_from_directory(VIS_DIR, name, max_age=86400)
    return response


@bp.get("/bundle/graph.js")
def graph_bundle() -> Response:
    """:data:`GRAPH_SCRIPTS` joined, each headed by its file name."""
    return Response(_bundle()[0], mimetype="text/javascript")


def _bundle() -> tuple[bytes, str]:
    """The joined scripts and their version, read again when any of them changes."""
    folder = Path(current_app.static_folder or "")
    return _joined(folder, tuple((folder / n).stat().st_mtime_ns for n in GRAPH_SCRIPTS))


@lru_cache(maxsize=8)
def _joined(folder: Path, stamps: tuple[int, ...]) -> tuple[bytes, str]:
    body = b"\n".join(f"/* {n} */\n".encode() + (folder / n).read_bytes() for n in GRAPH_SCRIPTS)
    return body, hashlib.sha256(body).hexdigest()[:12]


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    """The version of ``path`` as it was at ``mtime_ns`` (the key makes an edit a new entry)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _file(endpoint: str, name: str) -> Path | None:
    """The file an asset URL names, or None when it names none we serve."""
    if endpoint == "assets.vis":
        return VIS_DIR / name if name in _FILES else None
    folder = current_app.static_folder
    if endpoint != "static" or folder is None:
        return None
    root = Path(folder).resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def version(endpoint: str, name: str) -> str | None:
    """The current version of the file an asset URL names (``static`` or ``assets.vis``).

    >>> from web import create_app
    >>> with create_app({"TESTING": True}).test_request_context():
    ...     len(version("static", "graph.js") or "")
    12
    """
    if endpoint == _BUNDLE:
        return _bundle()[1]
    path = _file(endpoint, name)
    if path is None:
        return None
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@bp.app_url_defaults
def _versioned(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == _BUNDLE and "v" not in values:
        values["v"] = _bundle()[1]
        return
    name = values.get("filename", values.get("name"))
    if endpoint in ("static", "assets.vis") and isinstance(name, str) and "v" not in values:
        v = version(endpoint, name)
        if v is not None:
            values["v"] = v


@bp.after_app_request
def _cache_versioned(response: Response) -> Response:
    """A year of caching for an asset fetched by its current version, none otherwise."""
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    name = args.get("filename", args.get("name", "graph.js" if endpoint == _BUNDLE else None))
    wanted = request.args.get("v")
    if (
        response.status_code == 200
        and wanted
        and isinstance(name, str)
        and version(endpoint, name) == wanted
    ):
        response.cache_control.no_cache = None  # send_file's default for static files
        response.cache_control.max_age = _FOREVER
        response.cache_control.public = True
        response.cache_control.immutable = True
    return response
