"""Cypher as Neo4j users write it, run on the embedded database with Neo4j's meaning.

The embedded engine (ladybug, of the Kùzu family) speaks a dialect: 1-based substring and
list indexes, ``labels(n)`` as text, ``(n:A:B)`` meaning either label, patterns that may
reuse a relationship, no ``type()``, no map projections, ... A query written for Neo4j
would often run there with a *different* answer and no warning. :func:`translate` reads
the query's tokens and returns the text the engine runs, in which every construct whose
meaning differs is rewritten to an exact equivalent, or raises :class:`NotHere` (a
:class:`graph.errors.QueryRefused`) naming the Neo4j construct and the working form. A
query never runs with a meaning different from Neo4j's; ``docs/cypher.md`` lists every
difference and what happens to it.

>>> print(translate("MATCH (n:Theme) RETURN labels(n)[0] AS kind", {}).text)
MATCH (n:Theme) RETURN (CASE WHEN (n) IS NULL THEN NULL ELSE [label(n)] END)[1] AS kind
>>> translate("RETURN 1 AS one", {}).rewritten_from is None
True

The Neo4j store never calls this: Neo4j runs Neo4j's Cypher as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.console.compat.clauses import (
    check_parameters,
    explicit_subqueries,
    refuse_unsupported,
    with_order_by,
)
from graph.console.compat.expressions import rewrite_chained_comparisons, rewrite_expressions
from graph.console.compat.messages import explain
from graph.console.compat.patterns import rewrite_matches
from graph.console.compat.refusal import DOCS, NotHere, teach
from graph.console.compat.tokens import Tok, check_brackets, join, lex
from graph.errors import QueryError, QueryRefused, QueryTimeout

__all__ = ["DOCS", "NotHere", "Translation", "explain", "explained", "translate"]

T = TypeVar("T")


@dataclass(frozen=True)
class Translation:
    """The canonical text the engine runs, and the user's text when it was rewritten."""

    text: str
    rewritten_from: str | None


def translate(query: str, params: Mapping[str, Any]) -> Translation:
    """The engine's text for Neo4j Cypher ``query`` with the same meaning, or a refusal.

    ``query`` is read once, by the console's lexer (:mod:`graph.console.lexer`, the
    tokens the read-only check reads); the text returned is canonical, so checking it
    reads exactly the string the engine runs.
    """
    tokens = lex(query)
    if tokens and tokens[-1].is_(";"):
        tokens = tokens[:-1]  # one trailing ';' is dropped, as the read-only check does
    check_brackets(tokens)
    check_parameters(tokens, params)
    written = join(tokens)
    try:
        text = _translate(tokens, params)
    except QueryError:
        raise
    except Exception as exc:  # a form the layer does not know: never run it unread
        raise QueryRefused(
            teach(f"the query could not be read as Neo4j Cypher ({type(exc).__name__})", "refused")
        ) from None
    return Translation(text, None if text == written else query)


def _translate(tokens: list[Tok], params: Mapping[str, Any]) -> str:
    refuse_unsupported(tokens)
    tokens = explicit_subqueries(tokens)
    tokens = rewrite_matches(tokens)
    tokens = rewrite_chained_comparisons(tokens)
    tokens = rewrite_expressions(tokens, dict(params))
    tokens = with_order_by(tokens)
    text = join(tokens)
    if [(t.kind, t.text) for t in lex(text)] != [(t.kind, t.text) for t in tokens]:
        # The text must read as the tokens the rewrites made, or the check (which reads
        # the text) and the rewrites (which made the tokens) would disagree.
        raise QueryRefused(teach("the rewritten query cannot be read with certainty", "refused"))
    return text


def explained(run: Callable[..., T], *args: Any) -> T:
    """``run(*args)``, with an engine error turned into a plain message with the fix."""
    try:
        return run(*args)
    except (QueryTimeout, QueryRefused):
        raise
    except QueryError as exc:
        raise QueryError(explain(str(exc))) from None
