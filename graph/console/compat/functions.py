"""Neo4j functions whose meaning differs here: each rewritten to an exact equivalent or refused.

Every function in :data:`RENAMED` and every rewrite below is pinned by boundary tests
(``tests/test_cypher_functions.py``: 11-13 byte strings, multi-byte characters, empty and
null input). Functions absent from these tables mean the same in both dialects or fail
with the engine's error, which :mod:`graph.console.compat.messages` explains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.console.compat.bindings import bound_directed, property_names
from graph.console.compat.conversions import CONVERSIONS, convert
from graph.console.compat.refusal import NotHere
from graph.console.compat.tokens import Tok, join, split_top
from graph.model import NODE_KINDS, REL_PROPERTIES, PropType

__all__ = ["REFUSED", "rewrite_call"]

#: Functions that have no exact equivalent here: the construct and the working form.
REFUSED: dict[str, tuple[str, str]] = {
    "ELEMENTID": ("elementId()", "use the node's stable id property: n.id"),
    "ID": ("id()", "use the node's stable id property: n.id"),
    "PROPERTIES": (
        "properties()",
        "here it includes empty (null) properties; return the node itself (empty "
        "properties are left out) or a map of the properties you need",
    ),
    "STDEV": ("stDev()", "compute it: sqrt(avg(x * x) - avg(x) * avg(x)) is the population form"),
    "STDEVP": ("stDevP()", "compute it: sqrt(avg(x * x) - avg(x) * avg(x))"),
    "DATETIME": ("datetime()", "use timestamp('2020-01-02 03:04:05') or current_timestamp()"),
    "LOCALDATETIME": ("localdatetime()", "use timestamp('2020-01-02 03:04:05')"),
    "TIME": ("time()", "the engine has no time-of-day type; use timestamp()"),
    "LOCALTIME": ("localtime()", "the engine has no time-of-day type; use timestamp()"),
    "DURATION": ("duration()", "use interval('1 day')"),
    "POINT": ("point()", "the engine has no spatial type"),
    "TOSTRINGORNULL": ("toStringOrNull()", "return the value itself"),
    "TOINTEGERORNULL": ("toIntegerOrNull()", "use cast(x AS INT64) on clean numbers"),
    "TOFLOATORNULL": ("toFloatOrNull()", "use cast(x AS DOUBLE) on clean numbers"),
    "TOBOOLEANORNULL": ("toBooleanOrNull()", "compare the text instead: x = 'true'"),
    "RANDOMUUID": ("randomUUID()", "use gen_random_uuid()"),
}

#: Same meaning, another name.
RENAMED: dict[str, str] = {"SPLIT": "string_split", "RAND": "random"}

#: White space Neo4j's trim family removes, spelled for the engine's regular expressions.
_WS = "[ \\\\t\\\\n\\\\r\\\\f]"
_TRIM = {
    "TRIM": f"'^{_WS}+|{_WS}+$'",
    "LTRIM": f"'^{_WS}+'",
    "RTRIM": f"'{_WS}+$'",
}


def _args(tokens: list[Tok], open_: int, close: int) -> list[str]:
    inner = tokens[open_ + 1 : close]
    return [join(part) for part in split_top(inner, ",")] if inner else []


def _count(name: str, args: list[str], *allowed: int) -> None:
    if len(args) not in allowed:
        raise NotHere(f"{name.lower()}() with {len(args)} arguments", "see the manual's form")


def rewrite_call(
    name: str, tokens: list[Tok], open_: int, close: int, params: Mapping[str, Any]
) -> str | None:
    """The engine text for Neo4j call ``name(...)`` at ``tokens[open_:close+1]``, or None.

    None means the call is left as written (same meaning here).
    """
    key = name.upper()
    if key in REFUSED:
        raise NotHere(*REFUSED[key])
    if key in CONVERSIONS:
        inner = tokens[open_ + 1 : close]
        return convert(key, split_top(inner, ",") if inner else [], params)
    if key == "SPLIT" and _empty_text(tokens[open_ + 1 : close], params):
        raise NotHere(
            "split(s, '') (into characters)",
            "the engine splits into bytes, so é becomes two pieces; write "
            "list_transform(range(1, size(s)), i -> substring(s, i, 1))",
            "functions",
        )
    if key in RENAMED:
        return f"{RENAMED[key]}({', '.join(_args(tokens, open_, close))})"
    args = _args(tokens, open_, close)
    if key == "LABELS":
        _count(key, args, 1)
        return f"(CASE WHEN ({args[0]}) IS NULL THEN NULL ELSE [label({args[0]})] END)"
    if key == "TYPE":  # the engine's label() of a null relationship is its table's name
        _count(key, args, 1)
        return f"(CASE WHEN ({args[0]}) IS NULL THEN NULL ELSE label({args[0]}) END)"
    if key == "SUBSTRING":
        _count(key, args, 2, 3)
        if args[1].lstrip().startswith("-"):
            raise NotHere("substring() with a negative start", "Neo4j refuses it too")
        length = args[2] if len(args) == 3 else f"size({args[0]})"
        # Neo4j counts from 0, the engine from 1; both count characters, not bytes.
        return f"substring({args[0]}, ({args[1]}) + 1, {length})"
    if key in ("HEAD", "LAST"):
        _count(key, args, 1)
        pos = "1" if key == "HEAD" else "-1"
        return f"(CASE WHEN size({args[0]}) = 0 THEN NULL ELSE list_extract({args[0]}, {pos}) END)"
    if key == "TAIL":
        _count(key, args, 1)
        return f"list_slice({args[0]}, 2, size({args[0]}))"
    if key == "ROUND" and len(args) == 1:
        # Neo4j rounds halves up (-2.5 -> -2.0); the engine away from zero (-3.0).
        x = args[0]
        return f"(CASE WHEN ({x}) - floor({x}) = 0.5 THEN ceil({x}) ELSE round({x}, 0) END)"
    if key == "ROUND" and len(args) == 3:
        raise NotHere("round() with a rounding mode", "use round(x, precision)")
    if key in _TRIM:
        # The engine's trim/ltrim/rtrim corrupt 12-byte results (docs/cypher.md): route
        # around them with a regular-expression replace that has no such limit.
        _count(key, args, 1)
        return f"regexp_replace({args[0]}, {_TRIM[key]}, '', 'g')"
    if key in _ENDS:
        return _end_node(name, tokens, tokens[open_ + 1 : close])
    if key == "KEYS":
        return _keys(tokens, tokens[open_ + 1 : close])
    if key == "REDUCE":
        return _reduce(tokens[open_ + 1 : close])
    if key == "DATE" and not args:
        return "current_date()"
    if key == "REVERSE":
        return _reverse(args, params)
    return None


_ALL_PROPS = [p for spec in NODE_KINDS.values() for p in spec.properties] + list(REL_PROPERTIES)
#: Property names that hold text (or lists) wherever the schema uses them.
_TEXT_PROPERTIES = {p.name for p in _ALL_PROPS if p.type is PropType.STRING} - {
    p.name for p in _ALL_PROPS if p.type is not PropType.STRING
}
_LIST_PROPERTIES = {p.name for p in _ALL_PROPS if p.type is PropType.STRING_LIST} - {
    p.name for p in _ALL_PROPS if p.type is not PropType.STRING_LIST
}


def _reverse(args: list[str], params: Mapping[str, Any]) -> str | None:
    """reverse() of a list: the engine's reverse() reads it as text (']2,1[')."""
    _count("REVERSE", args, 1)
    arg = args[0].strip()
    if arg.startswith("$") and arg[1:] in params:
        value = params[arg[1:]]
        return f"list_reverse({arg})" if isinstance(value, list) else None
    if arg.startswith(("[", "collect(", "COLLECT(")):
        return f"list_reverse({arg})"
    if arg.startswith(("'", '"')):
        return None
    prop = arg.rpartition(".")[2] if "." in arg else None
    if prop in _TEXT_PROPERTIES:
        return None
    if prop in _LIST_PROPERTIES:
        return f"list_reverse({arg})"
    raise NotHere(
        "reverse() of a value whose type is not known",
        "write list_reverse(x) for a list; reverse(x) reverses text",
    )


_ENDS = {"STARTNODE": "start_node", "ENDNODE": "end_node"}


def _end_node(name: str, tokens: list[Tok], inner: list[Tok]) -> str:
    """``startNode(r)`` / ``endNode(r)`` -> the engine's ``start_node(r)`` / ``end_node(r)``.

    Only of a relationship variable bound by directed patterns: on an undirected one the
    engine answers the end the pattern walked from, not the one the relationship starts
    at. Guarded, as the engine answers a node for a null relationship (OPTIONAL MATCH).
    """
    rel = inner[0].text if len(inner) == 1 and inner[0].kind in ("word", "quoted") else ""
    if not rel or inner[0].is_("NULL") or not bound_directed(tokens, rel):
        raise NotHere(
            f"{name}() of anything but a relationship variable matched with a direction",
            "name the ends in the pattern: (a)-[r]->(b) and use a, b",
            "functions",
        )
    return f"(CASE WHEN {rel} IS NULL THEN NULL ELSE {_ENDS[name.upper()]}({rel}) END)"


def _keys(tokens: list[Tok], inner: list[Tok]) -> str:
    """``keys(n)``: only the properties that are set, as Neo4j lists them.

    The engine's keys() lists every property of the kind, empty ones included, so the
    names are spelled out from the schema, each kept where its value is not null; this
    needs the variable's one label (or a relationship: they all have the same ones).
    """
    var = inner[0].text if len(inner) == 1 and inner[0].kind in ("word", "quoted") else ""
    names = property_names(tokens, var) if var else None
    if names is None:
        raise NotHere(
            "keys() of anything but a variable matched with one label",
            "match it with its label, (n:Theme), or name the properties you need",
            "labels",
        )
    items = ", ".join(f"CASE WHEN {var}.{p} IS NULL THEN NULL ELSE '{p}' END" for p in names)
    listed = f"list_filter([{items}], _key -> _key IS NOT NULL)"
    return f"(CASE WHEN {var} IS NULL THEN NULL ELSE {listed} END)"


def _reduce(inner: list[Tok]) -> str:
    """``reduce(acc = init, x IN xs | e)`` -> ``list_reduce([init] + xs, (acc, x) -> e)``.

    The engine's list_reduce starts from the list's first element, so the initial value
    goes first: an empty ``xs`` gives ``init``, as in Neo4j.
    """
    head, _, rest = _split_once(inner, ",")
    acc_init = split_top(head, "=")
    parts = split_top(rest, "|")
    source = split_top(parts[0], "IN")
    if len(acc_init) != 2 or len(parts) != 2 or len(source) != 2 or len(source[0]) != 1:
        raise NotHere("this reduce() form", "write reduce(acc = init, x IN list | expression)")
    acc, init = join(acc_init[0]), join(acc_init[1])
    var, xs, expr = join(source[0]), join(source[1]), join(parts[1])
    return f"list_reduce([{init}] + ({xs}), ({acc}, {var}) -> {expr})"


def _split_once(tokens: list[Tok], sep: str) -> tuple[list[Tok], str, list[Tok]]:
    parts = split_top(tokens, sep)
    if len(parts) < 2:
        return tokens, "", []
    rest = [t for part in parts[1:] for t in (*part, Tok("op", sep))][:-1]
    return parts[0], sep, rest


def _empty_text(inner: list[Tok], params: Mapping[str, Any]) -> bool:
    """Whether a split's delimiter (second argument) is, or may be, the empty text."""
    parts = split_top(inner, ",")
    if len(parts) != 2 or len(parts[1]) != 1:
        return len(parts) == 2  # computed: it may be empty
    t = parts[1][0]
    if t.kind == "string":
        return t.text in ("''", '""')
    if t.kind == "param":
        return params.get(t.text[1:]) == ""
    return True
