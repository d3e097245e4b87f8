"""Values crossing the store boundary: what a console parameter may be, and one shape for
temporal and spatial results, the same on both backends.

**Parameters.** A console query's ``$parameters`` arrive as JSON. Some JSON values cannot
reach a database at all: the Neo4j driver raises ``OverflowError`` on an integer outside
64 bits, cannot encode a lone UTF-16 surrogate (``"\\ud800"``) as UTF-8, and recurses once
per level of nesting; ladybug has the same 64-bit integers. :func:`check_params` refuses
those values *before* either backend sees them, with one message per problem, so both
stores answer the same :class:`graph.errors.QueryError` (web: 400) for the same input
(pinned by ``tests/test_store_contract.py``).

**Results.** Dates and times become ISO 8601 text (``date.isoformat()``); durations
become ISO 8601 durations (``P1DT2H``) whether they come from Neo4j's ``Duration`` or
ladybug's ``timedelta``; Neo4j points become ``{"crs", "srid", "x", "y"[, "z"]}`` maps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from graph.errors import QueryError
from graph.settings import LIMITS

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "MAX_DEPTH",
    "check_params",
    "iso_duration",
    "point_map",
    "timedelta_duration",
]

#: The range of a Cypher INTEGER (64-bit signed) on both backends.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
#: How deeply lists and maps may nest inside one parameter.
MAX_DEPTH = LIMITS.query_param_depth


def _problem(name: str, value: Any, depth: int) -> str | None:
    """Why ``value`` (inside parameter ``name``) cannot be sent, or None."""
    if depth > MAX_DEPTH:
        return f"parameter {name!r} nests lists or maps more than {MAX_DEPTH} levels deep"
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            return f"parameter {name!r} holds an integer outside the 64-bit range"
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"parameter {name!r} must be a finite number"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"parameter {name!r} holds text that is not valid Unicode"
        return None
    if isinstance(value, list):
        for item in value:
            found = _problem(name, item, depth + 1)
            if found:
                return found
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"parameter {name!r} holds a map whose keys are not all text"
            found = _problem(name, key, depth + 1) or _problem(name, item, depth + 1)
            if found:
                return found
        return None
    return f"parameter {name!r} must be a JSON value"


def check_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The console parameters, checked: every value is one both backends can send.

    Raises :class:`graph.errors.QueryError` naming the first problem.

    >>> check_params({"n": 2**63 - 1, "xs": ["a", {"b": None}]})
    {'n': 9223372036854775807, 'xs': ['a', {'b': None}]}
    >>> check_params({"n": 2**64})
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: parameter 'n' holds an integer outside the 64-bit range
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise QueryError("parameters must be an object of names to values")
    out: dict[str, Any] = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise QueryError(f"parameter name {key!r} is not a valid identifier")
        problem = _problem(key, value, 0)
        if problem:
            raise QueryError(problem)
        out[key] = value
    return out


def iso_duration(months: int, days: int, seconds: int, nanoseconds: int = 0) -> str:
    """An ISO 8601 duration from its parts (Neo4j's four; a ``timedelta`` has no months).

    >>> iso_duration(14, 3, 3 * 3600 + 61, 500_000_000)
    'P1Y2M3DT3H1M1.5S'
    >>> iso_duration(0, 0, 0)
    'PT0S'
    >>> iso_duration(0, -1, 0)
    'P-1D'
    """
    total_ns = seconds * 1_000_000_000 + nanoseconds
    sign = "-" if total_ns < 0 else ""
    total_ns = abs(total_ns)
    hours, rest = divmod(total_ns, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    secs, frac = divmod(rest, 1_000_000_000)
    years, months = int(months / 12), months - int(months / 12) * 12
    date = "".join(f"{v}{u}" for v, u in ((years, "Y"), (months, "M"), (days, "D")) if v)
    time = ""
    if hours:
        time += f"{sign}{hours}H"
    if minutes:
        time += f"{sign}{minutes}M"
    if secs or frac:
        fraction = f".{frac:09d}".rstrip("0") if frac else ""
        time += f"{sign}{secs}{fraction}S"
    if not date and not time:
        return "PT0S"
    return "P" + date + ("T" + time if time else "")


def timedelta_duration(value: timedelta) -> str:
    """A ``timedelta`` (ladybug's INTERVAL) as an ISO 8601 duration.

    >>> timedelta_duration(timedelta(days=1, hours=2))
    'P1DT2H'
    """
    return iso_duration(0, value.days, value.seconds, value.microseconds * 1000)


def point_map(crs: str, srid: int, coordinates: tuple[float, ...]) -> dict[str, Any]:
    """A spatial point as a plain map.

    >>> point_map("cartesian", 7203, (1.0, 2.0))
    {'crs': 'cartesian', 'srid': 7203, 'x': 1.0, 'y': 2.0}
    """
    out: dict[str, Any] = {"crs": crs, "srid": srid}
    out.update(zip(("x", "y", "z"), coordinates, strict=False))
    return out
