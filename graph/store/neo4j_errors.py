"""How the Neo4j driver's errors become the graph package's, in words that say what happened.

A console query's own failures (bad Cypher, its time limit, its memory, a value the driver
cannot send or read) are :class:`graph.errors.QueryError` (web: 400); anything else, the
store's own reads reaching their time limit included, is
:class:`graph.errors.GraphUnavailable` (503). A load stopped by the server's memory or time
limit is :class:`graph.errors.LoadLimitExceeded`, naming the setting to raise. The codes
are Neo4j's status codes (Neo4j Status Codes reference, v5).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import exceptions as neo4j_errors

from graph.errors import GraphUnavailable, LoadLimitExceeded, QueryError, QueryTimeout

__all__ = ["load_limits", "translated"]

_MEMORY_CODES = ("OutOfMemory", "MemoryLimit", "MemoryPool")
#: The setting to raise for each memory error, when its message names none.
_MEMORY_SETTINGS = {
    "TransactionOutOfMemoryError": "db.memory.transaction.max",
    "MemoryPoolOutOfMemoryError": "dbms.memory.transaction.total.max",
    "OutOfMemoryError": "server.memory.heap.max_size",
}
_SETTING_IN_MESSAGE = re.compile(r"\b((?:dbms|db|server)\.memory\.[a-z_.]*[a-z_])")


def _is_timeout(exc: neo4j_errors.Neo4jError) -> bool:
    return "TransactionTimedOut" in (exc.code or "")


def _memory_setting(exc: neo4j_errors.Neo4jError) -> str | None:
    """The configuration setting a memory error names (None: not a memory error)."""
    code = exc.code or ""
    if not any(marker in code for marker in _MEMORY_CODES):
        return None
    named = _SETTING_IN_MESSAGE.search(exc.message or "")
    if named:
        return named.group(1)
    return next((v for k, v in _MEMORY_SETTINGS.items() if code.endswith(k)), "the heap")


@contextmanager
def translated(action: str, *, console: bool = False) -> Iterator[None]:
    """Turn driver errors into the graph package's errors.

    A console query's own failures (bad Cypher, its time limit, its memory, a value the
    driver cannot send or read) are :class:`QueryError` (400); everything else, including
    the store's own reads reaching their time limit, is :class:`GraphUnavailable` (503).
    """
    try:
        yield
    except neo4j_errors.AuthError as exc:
        raise GraphUnavailable(f"Neo4j refused the credentials while {action}: {exc}") from None
    except neo4j_errors.Neo4jError as exc:
        code = exc.code or ""
        if _is_timeout(exc):
            if console:
                raise QueryTimeout(action) from None
            raise GraphUnavailable(f"Neo4j stopped {action} at its time limit") from None
        if code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
            raise GraphUnavailable(f"Neo4j has no such database while {action}: {exc}") from None
        if console and (
            isinstance(exc, neo4j_errors.ClientError) or _memory_setting(exc) is not None
        ):
            raise QueryError(exc.message or str(exc)) from None
        raise GraphUnavailable(f"the graph database is unavailable while {action}: {exc}") from None
    except neo4j_errors.BrokenRecordError as exc:
        if not console:
            raise GraphUnavailable(f"Neo4j sent an unreadable value while {action}") from None
        raise QueryError(
            f"the result holds a value the driver cannot read ({exc.__cause__ or exc}); "
            "dates and times must lie in years 1 to 9999"
        ) from None
    except (neo4j_errors.DriverError, OSError) as exc:
        raise GraphUnavailable(f"the graph database is unavailable while {action}: {exc}") from None
    except (OverflowError, UnicodeError, RecursionError) as exc:
        # check_params refuses these first; this is the net under it.
        if not console:
            raise
        raise QueryError(f"a parameter cannot be sent to Neo4j: {exc}") from None


@contextmanager
def load_limits() -> Iterator[None]:
    """Name the server limit that stopped a load, and the setting to raise."""
    try:
        yield
    except neo4j_errors.Neo4jError as exc:
        setting = _memory_setting(exc)
        if setting is not None:
            raise LoadLimitExceeded(
                f"the load ran out of memory on the Neo4j server and was rolled back; raise "
                f"{setting} (and server.memory.heap.max_size with it): {exc.message}"
            ) from None
        if _is_timeout(exc):
            raise LoadLimitExceeded(
                "the load ran past the server's transaction time limit and was rolled back; "
                "raise db.transaction.timeout (docker compose: NEO4J_db_transaction_timeout)"
            ) from None
        raise
