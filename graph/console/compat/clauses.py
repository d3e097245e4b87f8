"""Clause-level differences: subqueries, pattern predicates, WITH ... ORDER BY, parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.console.compat.patterns import CLAUSES
from graph.console.compat.refusal import NotHere, teach
from graph.console.compat.tokens import Tok, closing, lex
from graph.errors import QueryError

__all__ = ["check_parameters", "explicit_subqueries", "refuse_unsupported", "with_order_by"]

_SUBQUERY_START = {"MATCH", "OPTIONAL", "WITH", "UNWIND", "CALL", "RETURN", "UNION"}


def check_parameters(tokens: list[Tok], params: Mapping[str, Any]) -> None:
    """A ``$name`` with no value is an error in Neo4j; the engine would read it as null."""
    missing = sorted({t.text[1:] for t in tokens if t.kind == "param"} - set(params))
    if missing:
        names = ", ".join(f"${m}" for m in missing)
        given = ", ".join(f"{m}=..." for m in missing)
        raise QueryError(
            teach(
                f"the query uses {names} but no value was given (Neo4j refuses it too; the "
                f"embedded database would read it as null): pass {given} (gcx query --param, "
                "or the params of /api/query)",
                "parameters",
            )
        )


def refuse_unsupported(tokens: list[Tok]) -> None:
    """Constructs with no equivalent here, refused with the form that works."""
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.is_("CALL") and nxt is not None and nxt.is_("{", "("):
            raise NotHere(
                "CALL { } subquery",
                "write it with WITH and OPTIONAL MATCH, or as EXISTS { } / COUNT { }",
                "subqueries",
            )
        if t.is_("COLLECT") and nxt is not None and nxt.is_("{"):
            raise NotHere("COLLECT { } subquery", "use OPTIONAL MATCH and collect()", "subqueries")
        if t.is_("SIZE") and nxt is not None and nxt.is_("(") and _pattern_at(tokens, i + 2):
            raise NotHere(
                "size((pattern))",
                "count with COUNT { (p)-[:MEMBER_OF]->() } (Neo4j 5 also requires this)",
                "subqueries",
            )


def _pattern_at(tokens: list[Tok], i: int) -> bool:
    """Whether a relationship pattern ``(...)-`` / ``(...)<-`` starts at ``i``."""
    if i >= len(tokens) or not tokens[i].is_("("):
        return False
    close = closing(tokens, i)
    return close + 1 < len(tokens) and tokens[close + 1].is_("-", "<-")


def _pattern_end(tokens: list[Tok], i: int) -> int:
    """The last index of the pattern ``(a)-[..]->(b)...`` starting at ``i``."""
    j = closing(tokens, i)
    while j + 1 < len(tokens) and tokens[j + 1].is_("-", "<-"):
        k = j + 2
        if k < len(tokens) and tokens[k].is_("["):
            k = closing(tokens, k) + 1
        if k < len(tokens) and tokens[k].is_("-", "->"):
            k += 1
        if k >= len(tokens) or not tokens[k].is_("("):
            break
        j = closing(tokens, k)
    return j


def explicit_subqueries(tokens: list[Tok]) -> list[Tok]:
    """``EXISTS { (a)-->(b) }``, ``exists((a)-->(b))`` and ``WHERE (a)-->(b)`` -> MATCH forms."""
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if t.is_("EXISTS", "COUNT") and nxt is not None and nxt.is_("{") and after is not None:
            if not (after.kind == "word" and after.up in _SUBQUERY_START):
                tokens = [*tokens[: i + 2], *lex(" MATCH"), *tokens[i + 2 :]]
        elif t.is_("EXISTS") and nxt is not None and nxt.is_("(") and _pattern_at(tokens, i + 2):
            close = closing(tokens, i + 1)
            body = tokens[i + 2 : close]
            tokens = [*tokens[:i], *lex(f"{t.pre}EXISTS {{ MATCH"), *body, *lex(" }"),
                      *tokens[close + 1 :]]  # fmt: skip
        elif (
            t.is_("(")
            and i > 0
            and tokens[i - 1].is_("WHERE", "AND", "OR", "XOR", "NOT")
            and _pattern_at(tokens, i)
        ):
            end = _pattern_end(tokens, i)
            tokens = [*tokens[:i], *lex(" EXISTS { MATCH"), *tokens[i : end + 1], *lex(" }"),
                      *tokens[end + 1 :]]  # fmt: skip
            i += 3
        i += 1
    return tokens


_AGGREGATES = {"COUNT", "COLLECT", "SUM", "AVG", "MIN", "MAX", "STDDEV_SAMP", "STDDEV_POP"}


def _aggregates_after(tokens: list[Tok], j: int) -> bool:
    """Whether the query aggregates after index ``j`` (up to a UNION)."""
    for k in range(j, len(tokens) - 1):
        if tokens[k].is_("UNION"):
            return False
        if tokens[k].kind == "word" and tokens[k].up in _AGGREGATES and tokens[k + 1].is_("("):
            return True
    return False


def _with_order(tokens: list[Tok], i: int) -> tuple[int | None, int, bool]:
    """For the WITH at ``i``: where its ORDER BY is, where the clause ends, and whether it
    has SKIP or LIMIT."""
    j, depth = i + 1, 0
    order_at: int | None = None
    paged = False
    while j < len(tokens):
        t = tokens[j]
        if t.is_("(", "[", "{"):
            depth += 1
        elif t.is_(")", "]", "}"):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.up in CLAUSES:
            if t.up == "ORDER":
                order_at = j
            elif t.up in ("SKIP", "LIMIT"):
                paged = True
            else:
                break
        j += 1
    return order_at, j, paged


def with_order_by(tokens: list[Tok]) -> list[Tok]:
    """``WITH ... ORDER BY``: Neo4j's meaning where the engine can keep it, else refused.

    The engine wants SKIP or LIMIT after a WITH's ORDER BY (``SKIP 0`` changes nothing),
    and it drops that ordering when an aggregation follows, so ``WITH x ORDER BY x LIMIT 3
    RETURN collect(x)`` collects three *other* rows: refused, with the form that works.
    """
    i = 0
    while i < len(tokens):
        if tokens[i].is_("WITH"):
            order_at, end, paged = _with_order(tokens, i)
            if order_at is not None and _aggregates_after(tokens, end):
                raise NotHere(
                    "WITH ... ORDER BY followed by an aggregation such as collect()",
                    "the embedded database loses that order (and so which rows a LIMIT "
                    "keeps) before aggregating; aggregate first and sort the result, e.g. "
                    "list_sort(collect(x)), or order the returned rows with RETURN ... ORDER BY",
                    "ordering",
                )
            if order_at is not None and not paged:
                tokens = [*tokens[:end], *lex(" SKIP 0"), *tokens[end:]]
        i += 1
    return tokens
