"""Typed errors raised by ``graph/``; the web app and the CLI translate them at their edges."""

from __future__ import annotations

__all__ = [
    "ConsoleBusy",
    "GraphAlreadyLoaded",
    "GraphError",
    "GraphNotLoaded",
    "GraphUnavailable",
    "LoadBusy",
    "LoadLimitExceeded",
    "NotFound",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
]


class GraphError(Exception):
    """Base class of every error ``graph/`` raises on purpose."""


class GraphUnavailable(GraphError):
    """The graph database cannot be reached or opened (web: 503; CLI: exit 3)."""


class GraphNotLoaded(GraphUnavailable):
    """No graph has been loaded yet into the configured store (CLI: exit 5)."""


class GraphAlreadyLoaded(GraphError):
    """A load asked to fill an empty store found a graph there, and left it alone."""


class LoadLimitExceeded(GraphError):
    """The database's own limits stopped a load (memory, time); it was rolled back.

    The message names the setting to raise. Not retried: the same load would stop again.
    """


class LoadBusy(GraphUnavailable):
    """Another load is writing this embedded store right now (CLI: exit 7)."""


class ConsoleBusy(GraphUnavailable):
    """Every console slot is taken: try again in a moment (web: 503 with Retry-After)."""


class NotFound(GraphError):
    """A node the caller asked for by id does not exist (web: 404)."""


class QueryError(GraphError):
    """A console query failed: bad syntax, bad parameters, or a database error (web: 400)."""


class QueryRefused(QueryError):
    """A console query was refused before it ran, because it could write or administer."""


class QueryTimeout(QueryError):
    """A console query ran past its time limit and was stopped."""
