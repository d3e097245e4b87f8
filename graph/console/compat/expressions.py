"""Expressions as Neo4j reads them: calls, indexes and slices, maps, lists, label tests.

One right-to-left pass over the token stream: by the time a call, an index or a
comprehension is rewritten, everything inside it already has been.
"""

from __future__ import annotations

from typing import Any

from graph.console.compat.functions import rewrite_call
from graph.console.compat.labels import read_labels
from graph.console.compat.patterns import CLAUSES
from graph.console.compat.refusal import NotHere
from graph.console.compat.tokens import Tok, closing, join, lex, split_top

__all__ = ["rewrite_expressions"]

#: Words after which ``(``/``[``/``{`` does not follow a value.
_NOT_VALUES = CLAUSES | {
    "AND", "OR", "XOR", "NOT", "IN", "IS", "AS", "BY", "DISTINCT", "CASE", "WHEN",
    "THEN", "ELSE", "END", "STARTS", "ENDS", "CONTAINS", "ASC", "DESC", "ASCENDING",
    "DESCENDING", "EXISTS", "COUNT", "COLLECT", "ALL", "ANY", "NONE", "SINGLE",
}  # fmt: skip
_SUBQUERY_WORDS = {"EXISTS", "COUNT", "COLLECT", "CALL"}


def _ends_value(t: Tok) -> bool:
    """Whether ``t`` can end a value, so a following ``[`` is an index, not a list."""
    if t.kind in ("param", "string", "quoted"):
        return True
    if t.kind == "word":
        return t.up not in _NOT_VALUES
    return t.kind == "op" and t.text in (")", "]", "}")


def _replace(tokens: list[Tok], start: int, stop: int, text: str) -> list[Tok]:
    new = lex(text)
    if new:
        new[0].pre = tokens[start].pre
    return tokens[:start] + new + tokens[stop + 1 :]


def _index(tokens: list[Tok], i: int, close: int, params: dict[str, Any]) -> str:
    """The engine's text for the index or slice ``[...]`` at ``i``."""
    inner = tokens[i + 1 : close]
    parts = split_top(inner, "..")
    if len(parts) == 2:
        lo, hi = (join(p) for p in parts)
        return f"[{_slice_bound(lo, 1, '1')}:{_slice_bound(hi, 0, '2147483647')}]"
    text = join(inner)
    if len(inner) == 1 and inner[0].kind == "param":
        value = params.get(inner[0].text[1:])
        if isinstance(value, str):
            raise NotHere("dynamic property access n[$key]", "name the property: n.name")
    if inner and inner[0].kind == "string":
        raise NotHere("dynamic property access n['key']", "name the property: n.key")
    if _int_literal(text) is not None:
        n = _int_literal(text)
        assert n is not None
        return f"[{n + 1 if n >= 0 else n}]"
    # Neo4j counts from 0 (and from the end below 0); the engine from 1 (and -1 is last).
    return f"[CASE WHEN ({text}) >= 0 THEN ({text}) + 1 ELSE ({text}) END]"


def _int_literal(text: str) -> int | None:
    try:
        return int(text.replace(" ", ""))
    except ValueError:
        return None


def _slice_bound(text: str, shift: int, empty: str) -> str:
    """A literal slice bound in the engine's 1-based, inclusive counting: ``shift`` is 1
    for the start (Neo4j's is 0-based) and 0 for the end (Neo4j's is exclusive); counted
    from the end (below 0) both are one less. ``empty`` stands for a bound left out."""
    if not text:
        return empty
    n = _int_literal(text)
    if n is None:
        raise NotHere("a list slice with computed bounds", "use literal bounds: xs[1..3]")
    return str(n + shift if n >= 0 else n + shift - 1)


def _map_projection(tokens: list[Tok], var: str, i: int, close: int) -> str:
    """``v {.a, k: e, x}`` -> ``{a: v.a, k: e, x: x}`` (null when ``v`` is null)."""
    items = []
    for part in split_top(tokens[i + 1 : close], ","):
        if not part:
            continue
        if part[0].is_(".") and len(part) > 1 and part[1].is_("*"):
            raise NotHere("map projection n{.*}", "name the properties: n{.name, .id}", "maps")
        if part[0].is_("."):
            key = part[1].text
            items.append(f"{key}: {var}.{key}")
        elif len(part) == 1:
            items.append(f"{part[0].text}: {part[0].text}")
        else:
            items.append(join(part))
    return f"(CASE WHEN {var} IS NULL THEN NULL ELSE {{{', '.join(items)}}} END)"


def _comprehension(tokens: list[Tok], i: int, close: int) -> str | None:
    """``[x IN xs WHERE p | e]`` -> ``list_transform(list_filter(xs, x -> p), x -> e)``."""
    inner = tokens[i + 1 : close]
    if len(inner) < 3 or inner[0].kind != "word" or not inner[1].is_("IN"):
        if inner and (inner[0].is_("(") or (len(inner) > 1 and inner[1].is_("="))):
            _pattern_comprehension(inner)
        return None
    var = inner[0].text
    body = inner[2:]
    mapped = split_top(body, "|")
    source_where = split_top(mapped[0], "WHERE")
    text = join(source_where[0])
    if len(source_where) > 1:
        text = f"list_filter({text}, {var} -> {join(source_where[1])})"
    if len(mapped) > 1:
        text = f"list_transform({text}, {var} -> {join(mapped[1])})"
    return text


def _pattern_comprehension(inner: list[Tok]) -> None:
    if any(t.is_("-", "<-", "->") for t in inner):
        raise NotHere(
            "pattern comprehension [(a)-->(b) | b.name]",
            "use OPTIONAL MATCH (a)-->(b) and collect(b.name)",
            "subqueries",
        )


_DATE_PARTS = {"YEAR", "MONTH", "DAY"}


def _date_part(tokens: list[Tok], i: int, close: int) -> str | None:
    """``date(x).year`` -> ``date_part('year', date(x))`` (a date has no properties here)."""
    if not tokens[i].is_("DATE") or close + 2 >= len(tokens) or not tokens[close + 1].is_("."):
        return None
    accessor = tokens[close + 2]
    if accessor.kind != "word" or accessor.up not in _DATE_PARTS:
        return None
    return f"date_part('{accessor.up.lower()}', {join(tokens[i : close + 1])})"


def _label_test(tokens: list[Tok], i: int) -> tuple[int, str] | None:
    """``v:A``, ``v:A|B``, ``v:A&!B``... as an expression -> a test on label(v)."""
    if i + 2 >= len(tokens) or not tokens[i + 1].is_(":") or tokens[i].kind != "word":
        return None
    if i > 0 and tokens[i - 1].is_(":", "|", "&", "!"):
        return None  # a label inside the expression (read from its variable), not a variable
    first = tokens[i + 2]
    if first.kind not in ("word", "quoted") and not first.is_("!", "%", "("):
        return None
    var = tokens[i].text
    expr = read_labels(tokens, i + 2, var)
    # Neo4j's label test of a null is null; the engine's label() of a null may be a name.
    return expr.end - 1, f"(CASE WHEN {var} IS NULL THEN NULL ELSE {expr.test} END)"


def _in_pattern_or_map(tokens: list[Tok], i: int) -> bool:
    """Whether the word at ``i`` sits where ``:`` starts a label in a pattern or a map key."""
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and prev.is_(","):
        return _enclosing(tokens, i) == "{"  # a map's next key, else a list item or argument
    return prev is None or prev.is_("(", "{", "[") or (prev.kind == "op" and prev.text == ".")


def _enclosing(tokens: list[Tok], i: int) -> str:
    """The innermost bracket open at ``i`` ('' at the top level)."""
    depth = 0
    for t in reversed(tokens[:i]):
        if t.is_(")", "]", "}"):
            depth += 1
        elif t.is_("(", "[", "{"):
            if depth == 0:
                return t.text
            depth -= 1
    return ""


def rewrite_expressions(tokens: list[Tok], params: dict[str, Any]) -> list[Tok]:
    """Rewrite every expression construct in ``tokens``, innermost first."""
    i = len(tokens) - 1
    while i >= 0:
        t = tokens[i]
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.kind == "word" and nxt is not None and nxt.is_("(") and not (prev and prev.is_(".")):
            close = closing(tokens, i + 1)
            part = _date_part(tokens, i, close)
            if part is not None:
                tokens = _replace(tokens, i, close + 2, part)
            else:
                new = rewrite_call(t.text, tokens, i + 1, close, params)
                if new is not None:
                    tokens = _replace(tokens, i, close, new)
        elif t.is_("[") and prev is not None and _ends_value(prev) and not prev.is_("-", "<-"):
            close = closing(tokens, i)
            tokens = _replace(tokens, i, close, _index(tokens, i, close, params))
        elif t.is_("["):
            close = closing(tokens, i)
            new_text = _comprehension(tokens, i, close)
            if new_text is not None:
                tokens = _replace(tokens, i, close, new_text)
        elif (
            t.is_("{")
            and prev is not None
            and prev.kind == "word"
            and prev.up not in _SUBQUERY_WORDS | _NOT_VALUES
            and i >= 2
            and not tokens[i - 2].is_("(", ":", "|", "&")
        ):
            close = closing(tokens, i)
            tokens = _replace(tokens, i - 1, close, _map_projection(tokens, prev.text, i, close))
            i -= 1
        elif t.kind == "word" and not _in_pattern_or_map(tokens, i):
            test = _label_test(tokens, i)
            if test is not None:
                tokens = _replace(tokens, i, test[0], test[1])
        i -= 1
    return tokens


_COMPARISONS = {"=", "<>", "<", ">", "<=", ">="}
#: Tokens that end an operand run of a comparison chain.
_RUN_ENDS = _NOT_VALUES - {"COUNT", "EXISTS", "ALL", "ANY", "NONE", "SINGLE", "COLLECT"}


def _runs(tokens: list[Tok]) -> list[tuple[int, int, list[int]]]:
    """Every run of one bracket level between separators: (start, end, comparison indexes)."""
    out: list[tuple[int, int, list[int]]] = []
    stack: list[tuple[int, list[int]]] = [(0, [])]
    for i, t in enumerate(tokens):
        if t.is_("(", "[", "{"):
            stack.append((i + 1, []))
        elif (
            t.is_(")", "]", "}")
            or t.is_(",", "|", "->")
            or (t.kind == "word" and t.up in _RUN_ENDS)
        ):
            start, comps = stack.pop() if len(stack) > 1 or not t.is_(")", "]", "}") else stack[-1]
            out.append((start, i, comps))
            if not t.is_(")", "]", "}") or not stack:
                stack.append((i + 1, []))
        elif t.kind == "op" and t.text in _COMPARISONS:
            stack[-1][1].append(i)
    for start, comps in stack:
        out.append((start, len(tokens), comps))
    return out


def rewrite_chained_comparisons(tokens: list[Tok]) -> list[Tok]:
    """``a < b <= c`` (Neo4j: ``a < b AND b <= c``), which the engine does not read."""
    chains = [(s, e, c) for s, e, c in _runs(tokens) if len(c) >= 2]
    for start, end, comps in sorted(chains, reverse=True):
        bounds = [start, *comps, end]
        operands = [
            join(tokens[bounds[k] + (k > 0) : bounds[k + 1]]) for k in range(len(bounds) - 1)
        ]
        parts = [
            f"{operands[k]} {tokens[comps[k]].text} {operands[k + 1]}" for k in range(len(comps))
        ]
        new = lex("(" + " AND ".join(parts) + ")")
        new[0].pre = tokens[start].pre if start < len(tokens) else " "
        tokens = tokens[:start] + new + tokens[end:]
    return tokens
