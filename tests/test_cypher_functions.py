"""Boundary tests for every Neo4j function the compatibility layer maps onto the engine's.

The engine's ``trim``/``ltrim``/``rtrim`` return garbage when a longer input trims to
exactly 12 bytes, so no mapping is trusted untested: each function runs on strings of 11,
12 and 13 bytes, with multi-byte characters, padded with white space, as a literal and as
a parameter, and must answer what Neo4j answers (computed here in Python by Neo4j's rules).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from graph.console.compat import DOCS
from graph.errors import QueryError
from graph.store.base import Store

_WS = " \t\n\r\f"

#: Strings of 11, 12 and 13 bytes in UTF-8: ASCII, two-byte and three-byte characters.
CORES = [
    "abcdefghijk", "abcdefghijkl", "abcdefghijklm",
    "éabcdefghi", "éabcdefghij", "éabcdefghijk",
    "€abcdefgh", "€abcdefghi", "€abcdefghij",
    "éé€€a", "aéééééb", "€€€€",
]  # fmt: skip
assert {len(s.encode()) for s in CORES} >= {11, 12, 13}
INPUTS = [
    s for core in CORES for s in (core, f" {core} ", f"{core}   ", f"  {core}", f"\t{core}\n")
]

#: (Neo4j expression over $s, what Neo4j answers for s).
FUNCTIONS: list[tuple[str, Any]] = [
    ("trim($s)", lambda s: s.strip(_WS)),
    ("ltrim($s)", lambda s: s.lstrip(_WS)),
    ("rtrim($s)", lambda s: s.rstrip(_WS)),
    ("substring($s, 0, 12)", lambda s: s[0:12]),
    ("substring($s, 1, 11)", lambda s: s[1:12]),
    ("substring($s, 2)", lambda s: s[2:]),
    ("left($s, 12)", lambda s: s[:12]),
    ("right($s, 12)", lambda s: s[-12:]),
    ("left($s, 1)", lambda s: s[:1]),
    ("right($s, 1)", lambda s: s[-1:]),
    ("reverse($s)", lambda s: s[::-1]),
    ("toUpper($s)", lambda s: s.upper()),
    ("toLower($s)", lambda s: s.lower()),
    ("size($s)", len),
    ("replace($s, 'a', 'é')", lambda s: s.replace("a", "é")),
    ("split($s, 'e')", lambda s: s.split("e")),
    ("toString($s)", lambda s: s),
    ("trim(toUpper($s))", lambda s: s.upper().strip(_WS)),
    ("substring(trim($s), 0, 11)", lambda s: s.strip(_WS)[:11]),
]


def _literal(s: str) -> str:
    escaped = s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t")
    return "'" + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\f", "\\f") + "'"


@pytest.mark.parametrize("as_literal", [False, True], ids=["parameter", "literal"])
@pytest.mark.parametrize("s", INPUTS, ids=[repr(s) for s in INPUTS])
def test_string_functions_answer_as_neo4j_at_byte_boundaries(
    shared_store: Store, s: str, as_literal: bool
) -> None:
    exprs = [e if not as_literal else e.replace("$s", _literal(s)) for e, _ in FUNCTIONS]
    query = "RETURN " + ", ".join(f"{e} AS c{i}" for i, e in enumerate(exprs))
    row = shared_store.query(query, {} if as_literal else {"s": s}).rows[0]
    for (expr, neo4j), got in zip(FUNCTIONS, row, strict=True):
        assert got == neo4j(s), f"{expr} of {s!r}"


LISTS: list[list[int]] = [[7], [1, 2, 3], list(range(13))]


@pytest.mark.parametrize("xs", LISTS, ids=[str(len(x)) for x in LISTS])
def test_list_functions_and_indexes_answer_as_neo4j(shared_store: Store, xs: list[int]) -> None:
    cases: list[tuple[str, Any]] = [
        ("head($xs)", xs[0] if xs else None),
        ("last($xs)", xs[-1] if xs else None),
        ("tail($xs)", xs[1:]),
        ("size($xs)", len(xs)),
        ("reverse($xs)", xs[::-1]),
        ("$xs[0..2]", xs[0:2]),
        ("$xs[1..]", xs[1:]),
        ("$xs[..-1]", xs[:-1]),
        ("[x IN $xs WHERE x % 2 = 1 | x * 10]", [x * 10 for x in xs if x % 2 == 1]),
        ("reduce(t = 0, x IN $xs | t + x)", sum(xs)),
    ]
    for expr, want in cases:
        got = shared_store.query(f"RETURN {expr} AS v", {"xs": xs}).rows[0][0]
        assert got == want, expr
    if xs:
        for i in (0, len(xs) - 1, -1, -len(xs)):
            assert shared_store.query("RETURN $xs[$i]", {"xs": xs, "i": i}).rows[0][0] == xs[i]
            assert shared_store.query(f"RETURN $xs[{i}]", {"xs": xs}).rows[0][0] == xs[i]


def test_an_empty_list_parameter_fails_with_a_plain_message(shared_store: Store) -> None:
    # The engine types an empty list as ANY and cannot run list functions on it: an error
    # (never a different answer), explained.
    with pytest.raises(QueryError, match="empty list") as info:
        shared_store.query("RETURN size($xs)", {"xs": []})
    assert DOCS in str(info.value)


def _neo4j_round(x: float) -> float:
    return float(math.floor(x + 0.5))


@pytest.mark.parametrize("x", [2.5, -2.5, 0.5, -0.5, 1.49, -1.51, 3.0, -7.5, 1e6 + 0.5])
def test_round_rounds_halves_up_as_neo4j(shared_store: Store, x: float) -> None:
    assert shared_store.query("RETURN round($x)", {"x": x}).rows[0][0] == _neo4j_round(x)
    assert shared_store.query(f"RETURN round({x!r})").rows[0][0] == _neo4j_round(x)


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("toInteger('42')", 42), ("toInteger(' 42 ')", 42), ("toInteger('3.7')", 3),
        ("toInteger(-3.7)", -3), ("toInteger('x')", None), ("toInteger(true)", 1),
        ("toFloat('1.5')", 1.5), ("toFloat(2)", 2.0), ("toFloat('x')", None),
        ("toString(1.5)", "1.5"), ("toString(-2)", "-2"), ("toString(false)", "false"),
        ("toString('abcdefghijkl')", "abcdefghijkl"), ("toBoolean('TRUE')", True),
        ("toBoolean('no')", None), ("toBoolean(0)", False), ("toInteger(null)", None),
    ],
)  # fmt: skip
def test_conversions_of_known_values_answer_as_neo4j(
    shared_store: Store, expr: str, want: Any
) -> None:
    assert shared_store.query(f"RETURN {expr} AS v").rows[0][0] == want


@pytest.mark.parametrize(
    ("prop", "kind", "convert"),
    [
        ("listed_order", "Theme", str), ("name", "Theme", str),
        ("catalyst", "Challenge", lambda b: None if b is None else str(b).lower()),
    ],
)  # fmt: skip
def test_to_string_of_typed_properties_answers_as_neo4j(
    shared_store: Store, prop: str, kind: str, convert: Any
) -> None:
    rows = shared_store.query(f"MATCH (n:{kind}) RETURN n.id, toString(n.{prop})").rows
    g = shared_store.snapshot()
    for node_id, got in rows:
        value = g.nodes[node_id].get(prop)
        assert got == (None if value is None else convert(value))
