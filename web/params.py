"""Query-string parsing at the edge: every value is parsed and bounded, or it is a 400.

Views never read ``request.args`` directly; they call these, which raise
:class:`web.errors.BadRequest` with a message that names the parameter and its bounds.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from flask import request

from web.errors import BadRequest

__all__ = ["get_bool", "get_choice", "get_int", "get_list", "get_str"]

MAX_TEXT = 200
MAX_LIST = 20


def _one(name: str) -> str | None:
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequest(f"{name} may be given once, not {len(values)} times")
    return values[0]


def get_str(name: str, default: str = "", *, max_len: int = MAX_TEXT) -> str:
    """A text value, stripped, at most ``max_len`` characters."""
    raw = _one(name)
    if raw is None:
        return default
    value = raw.strip()
    if len(value) > max_len:
        raise BadRequest(f"{name} must be at most {max_len} characters")
    if "\x00" in value:
        raise BadRequest(f"{name} must not contain NUL characters")
    return value


def get_int(name: str, default: int, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``."""
    raw = _one(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {value}")
    return value


def get_bool(name: str, default: bool | None) -> bool | None:
    """``1``/``0`` (also ``true``/``false``, ``yes``/``no``); empty means the default."""
    raw = _one(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise BadRequest(f"{name} must be 1 or 0, not {raw[:40]!r}")


def get_choice(name: str, choices: Collection[str], default: str | None) -> str | None:
    """One of ``choices``; empty means the default."""
    raw = get_str(name)
    if raw == "":
        return default
    if raw not in choices:
        shown = ", ".join(sorted(choices))
        if len(shown) > 300:
            shown = shown[:300] + "…"
        raise BadRequest(f"{name} must be one of: {shown}")
    return raw


def get_list(
    name: str, *, choices: Collection[str] | None = None, max_items: int = MAX_LIST
) -> list[str]:
    """A list, from repeated parameters and/or comma-separated values, deduplicated."""
    out: list[str] = []
    for raw in request.args.getlist(name):
        for part in raw.split(","):
            value = part.strip()
            if not value:
                continue
            if len(value) > MAX_TEXT:
                raise BadRequest(f"each {name} must be at most {MAX_TEXT} characters")
            if choices is not None and value not in choices:
                raise BadRequest(f"{name} must be among: {', '.join(sorted(choices))}")
            if value not in out:
                out.append(value)
    if len(out) > max_items:
        raise BadRequest(f"at most {max_items} values of {name}")
    return out


def ordered(values: Sequence[str], order: Sequence[str]) -> list[str]:
    """``values`` in the order of ``order`` (for canonical URLs)."""
    return [v for v in order if v in values]
