"""Typed HTTP errors and the one error shape every 4xx and 5xx response has.

Views raise :class:`HTTPError` subclasses (or let ``graph`` errors through: ``NotFound``
becomes 404, ``GraphUnavailable`` 503, ``QueryError`` 400). API paths (``/api/...``) and
clients that ask for JSON get::

    {"error": {"status": 404, "title": "Not Found", "message": "no node has the id 'x'"}}

and pages get the same three facts as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph import ConsoleBusy, GraphUnavailable, NotFound, QueryError

__all__ = [
    "BadRequest",
    "HTTPError",
    "NotFoundError",
    "Unavailable",
    "error_body",
    "init_app",
]

log = logging.getLogger(__name__)


class HTTPError(Exception):
    """An error with an HTTP status, a short title and a message for the reader."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(HTTPError):
    """A request value is missing, malformed or out of bounds."""

    status = 400
    title = "Bad Request"


class NotFoundError(HTTPError):
    """Nothing lives at this address."""

    status = 404
    title = "Not Found"


class Unavailable(HTTPError):
    """The graph database cannot be read right now."""

    status = 503
    title = "Service Unavailable"


def error_body(status: int, title: str, message: str) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"status": status, "title": title, "message": message}}


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _respond(status: int, title: str, message: str) -> Response:
    if _wants_json():
        response = jsonify(error_body(status, title, message))
    else:
        response = Response(
            render_template("error.html", status=status, title=title, message=message),
            mimetype="text/html",
        )
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    """Route every error, typed or not, to the one shape."""

    @app.errorhandler(HTTPError)
    def _typed(exc: HTTPError) -> Response:
        return _respond(exc.status, exc.title, exc.message)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Response:
        return _respond(404, "Not Found", str(exc))

    @app.errorhandler(ConsoleBusy)
    def _busy(exc: ConsoleBusy) -> Response:
        response = _respond(503, "Service Unavailable", str(exc))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(GraphUnavailable)
    def _unavailable(exc: GraphUnavailable) -> Response:
        return _respond(503, "Service Unavailable", str(exc))

    @app.errorhandler(QueryError)
    def _query(exc: QueryError) -> Response:
        return _respond(400, "Bad Request", str(exc))

    @app.errorhandler(HTTPException)
    def _werkzeug(exc: HTTPException) -> Response:
        code = exc.code or 500
        response = _respond(code, exc.name, exc.description or exc.name)
        if code == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.path)
        return _respond(500, "Internal Server Error", "something went wrong on our side")
