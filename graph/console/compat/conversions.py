"""Neo4j's type conversions (toInteger, toFloat, toString, toBoolean) where their meaning is sure.

The engine's ``cast`` differs from Neo4j's conversions (it rounds 3.7 to 4, writes 1.5 as
``'1.500000'`` and true as ``'True'``, and fails on text Neo4j turns into null), so a
conversion is rewritten only when its argument's type is known before the query runs: a
literal or a parameter (converted here, by Neo4j's rules), or a property whose type the
schema fixes (``graph/model.py``). Anything else is refused with the working form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graph.console.compat.refusal import NotHere
from graph.console.compat.tokens import Tok, join
from graph.model import NODE_KINDS, REL_PROPERTIES, PropType

__all__ = ["CONVERSIONS", "convert"]

CONVERSIONS = frozenset({"TOINTEGER", "TOFLOAT", "TOSTRING", "TOBOOLEAN"})

_PROPS = [p for spec in NODE_KINDS.values() for p in spec.properties] + list(REL_PROPERTIES)
#: Property name -> its type, for names whose type is the same wherever the schema uses them.
PROPERTY_TYPES: dict[str, PropType] = {
    name: types.pop()
    for name in {p.name for p in _PROPS}
    if len(types := {p.type for p in _PROPS if p.name == name}) == 1
}
_MISSING = object()


def _literal(tokens: list[Tok], params: Mapping[str, Any]) -> Any:
    """The value of a literal or parameter argument, or _MISSING."""
    if len(tokens) == 1:
        t = tokens[0]
        if t.kind == "number":
            return float(t.text) if any(c in t.text for c in ".eE") else int(t.text, 0)
        if t.kind == "string":
            return t.text[1:-1]
        if t.kind == "param":
            return params.get(t.text[1:], _MISSING)
        if t.is_("TRUE", "FALSE"):
            return t.up == "TRUE"
        if t.is_("NULL"):
            return None
    if len(tokens) == 2 and tokens[0].is_("-") and tokens[1].kind == "number":
        value = _literal(tokens[1:], params)
        return -value if isinstance(value, int | float) else _MISSING
    return _MISSING


def _java_double(x: float) -> str:
    """A double as Neo4j's toString writes it (Java's Double.toString), where they agree."""
    if math.isfinite(x) and (x == 0 or 1e-3 <= abs(x) < 1e7):
        text = repr(x)
        return text if "e" not in text else _refuse_double()
    return _refuse_double()


def _refuse_double() -> str:
    raise NotHere("toString() of this number", "return the number itself", "functions")


def _python(name: str, value: Any) -> Any:
    """Neo4j's conversion of a known value."""
    if value is None:
        return None
    if name == "TOSTRING":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return _java_double(value)
        return str(value) if isinstance(value, int | str) else _refuse_double()
    if name == "TOBOOLEAN":
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value == value.strip():
            return {"true": True, "false": False}.get(value.lower())
        raise NotHere("toBoolean() of this value", "compare it instead: x = 'true'", "functions")
    if isinstance(value, bool):
        return int(value) if name == "TOINTEGER" else float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if name == "TOINTEGER":
            return int(value) if value.strip().lstrip("-+").isdigit() else math.trunc(number)
        return number
    if isinstance(value, int | float):
        return math.trunc(value) if name == "TOINTEGER" else float(value)
    raise NotHere(f"{name.lower()}() of this value", "convert it before passing it", "functions")


def _cypher_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(value)


def _by_type(name: str, arg: str, kind: PropType) -> str | None:
    """The engine's text for a conversion of a value of schema type ``kind``."""
    table: dict[tuple[str, PropType], str] = {
        ("TOINTEGER", PropType.INT): arg,
        ("TOINTEGER", PropType.DOUBLE):
            f"cast(CASE WHEN {arg} < 0 THEN ceil({arg}) ELSE floor({arg}) END AS INT64)",
        ("TOINTEGER", PropType.BOOL): f"(CASE WHEN {arg} THEN 1 WHEN NOT {arg} THEN 0 END)",
        ("TOFLOAT", PropType.INT): f"cast({arg} AS DOUBLE)",
        ("TOFLOAT", PropType.DOUBLE): arg,
        ("TOSTRING", PropType.STRING): arg,
        ("TOSTRING", PropType.INT): f"cast({arg} AS STRING)",
        ("TOSTRING", PropType.BOOL):
            f"(CASE WHEN {arg} THEN 'true' WHEN NOT {arg} THEN 'false' END)",
        ("TOBOOLEAN", PropType.BOOL): arg,
        ("TOBOOLEAN", PropType.INT): f"({arg} <> 0)",
    }  # fmt: skip
    return table.get((name, kind))


def convert(name: str, args: list[list[Tok]], params: Mapping[str, Any]) -> str:
    """The engine's text for Neo4j's ``name(arg)`` (name upper-cased), or a refusal."""
    if len(args) != 1:
        raise NotHere(f"{name.lower()}() with {len(args)} arguments", "pass one value")
    value = _literal(args[0], params)
    if isinstance(value, str) and (name == "TOSTRING" or "\\" in join(args[0])):
        if name == "TOSTRING":
            return join(args[0])  # text stays text: keep the literal or parameter as written
        raise NotHere(f"{_NAMES[name]}() of text with escapes", "write the value plainly")
    if value is not _MISSING:
        return _cypher_literal(_python(name, value))
    tokens = args[0]
    if len(tokens) == 3 and tokens[1].is_(".") and tokens[2].text in PROPERTY_TYPES:
        text = _by_type(name, join(tokens), PROPERTY_TYPES[tokens[2].text])
        if text is not None:
            return text
    fixes = {
        "TOINTEGER": "use floor(x) or ceil(x) (the engine's cast rounds 3.7 to 4)",
        "TOFLOAT": "use cast(x AS DOUBLE) (it fails on text that is not a number)",
        "TOSTRING": "return the value itself (the engine's cast writes 1.5 as '1.500000')",
        "TOBOOLEAN": "compare the text instead: x = 'true'",
    }
    raise NotHere(f"{_NAMES[name]}() of a value whose type is not known", fixes[name], "functions")


_NAMES = {"TOINTEGER": "toInteger", "TOFLOAT": "toFloat", "TOSTRING": "toString",
          "TOBOOLEAN": "toBoolean"}  # fmt: skip
