"""MATCH patterns as Neo4j reads them: relationship uniqueness, label conjunctions, paths.

Within one MATCH, Neo4j never binds the same relationship twice (so a partner is not its
own collaborator, and a variable-length path is a trail); the engine does unless told.
For each MATCH (and OPTIONAL MATCH, and the MATCH inside EXISTS/COUNT subqueries) this
names the relationships, adds the pairwise ``<>`` predicates for those whose types can
overlap, makes variable-length relationships ``TRAIL``, turns ``shortestPath(...)`` into
the engine's ``[* SHORTEST ...]``, and reads ``(n:A:B)`` as "both labels".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from graph.console.compat.labels import read_labels
from graph.console.compat.refusal import NotHere
from graph.console.compat.tokens import Tok, closing, lex

__all__ = ["CLAUSES", "rewrite_matches"]

#: Words that start a clause (or a clause part) and so end the one before.
CLAUSES = frozenset(
    {"MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "ORDER", "SKIP", "LIMIT",
     "UNION", "CALL", "YIELD"}
)  # fmt: skip
#: The engine's variable-length upper bound, used for Neo4j's unbounded shortest paths.
MAX_HOPS = 30


@dataclass
class _Rel:
    open_: int  # index of '[' (after normalising bare arrows)
    var: str
    types: set[str]
    var_length: bool


@dataclass
class _Clause:
    preds: list[str] = field(default_factory=list)
    rels: list[_Rel] = field(default_factory=list)


def _clause_end(tokens: list[Tok], i: int, *stop: str) -> int:
    """Index of the first token after ``i`` that ends the clause (depth-aware)."""
    depth = 0
    j = i + 1
    while j < len(tokens):
        t = tokens[j]
        if t.kind == "op" and t.text in ("(", "[", "{"):
            depth += 1
        elif t.kind == "op" and t.text in (")", "]", "}"):
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.up in stop:
            return j
        j += 1
    return j


class _Namer:
    def __init__(self, tokens: list[Tok]) -> None:
        self.used = {t.text for t in tokens if t.kind == "word"}
        self.n = 0

    def fresh(self, stem: str) -> str:
        while True:
            self.n += 1
            name = f"_{stem}{self.n}"
            if name not in self.used:
                self.used.add(name)
                return name


def _bare_arrows(tokens: list[Tok], start: int, end: int, namer: _Namer) -> list[Tok]:
    """``-->``, ``<--``, ``--`` inside ``tokens[start:end]`` spelled with brackets."""
    out = tokens[:start]
    i = start
    while i < end:
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < end else None
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.is_(")")
            and nxt is not None
            and t.is_("-", "<-")
            and nxt.is_("-", "->")
        ):
            out.extend([Tok("op", t.text, t.pre), *lex(f"[{namer.fresh('r')}]"), nxt])
            i += 2
            continue
        out.append(t)
        i += 1
    return out + tokens[end:]


def _either_way(tokens: list[Tok], start: int, end: int) -> None:
    """``<-->`` and ``<-[r]->`` (either direction in Neo4j, not read here) -> ``--``."""
    for i in range(start, end - 1):
        if not tokens[i].is_("<-"):
            continue
        after = closing(tokens, i + 1) + 1 if tokens[i + 1].is_("[") else i + 1
        if after < end and tokens[after].is_("->"):
            tokens[i] = Tok("op", "-", tokens[i].pre)
            tokens[after] = Tok("op", "-", tokens[after].pre)


def _read_rel(tokens: list[Tok], i: int, close: int, namer: _Namer) -> tuple[_Rel, list[Tok]]:
    """Parse ``[var:T|U*a..b {..}]`` at ``i``; return it and its (named, TRAIL) tokens."""
    body = tokens[i + 1 : close]
    j = 0
    var = ""
    if j < len(body) and body[j].kind in ("word", "quoted") and not body[j].is_("WHERE"):
        var = body[j].text
        j += 1
    types: set[str] = set()
    head = body[:j]
    if j < len(body) and body[j].is_(":"):
        while j < len(body) and (body[j].is_(":", "|") or body[j].kind in ("word", "quoted")):
            if body[j].kind in ("word", "quoted"):
                types.add(body[j].text.strip("`"))
            j += 1
        names = sorted(types)
        head += lex(":" + "|".join(names)) if names else []
    rest = body[j:]
    if any(t.is_("WHERE") for t in rest):
        raise NotHere("WHERE inside a relationship pattern", "move the condition to MATCH's WHERE")
    star = next((k for k, t in enumerate(rest) if t.is_("*")), None)
    if not var:
        var = namer.fresh("r")
        head = [Tok("word", var), *head]
    if star is not None:
        rest = _var_length(rest, star)
    new = [Tok("op", "[", tokens[i].pre), *head, *rest, tokens[close]]
    return _Rel(i, var, types, star is not None), new


def _var_length(rest: list[Tok], star: int) -> list[Tok]:
    """``*``, ``*2``, ``*1..3`` in Neo4j's meaning: a trail, with an upper bound given."""
    after = rest[star + 1 :]
    if after and after[0].is_("SHORTEST", "ALL", "TRAIL", "ACYCLIC", "WSHORTEST"):
        return rest  # already the engine's own form
    brace = next((k for k, t in enumerate(after) if t.is_("{")), len(after))
    bounds, props = after[:brace], after[brace:]
    shape = ["n" if t.kind == "number" else t.text for t in bounds]
    nums = [t.text for t in bounds if t.kind == "number"]
    if shape == ["n"]:
        low, high = nums[0], nums[0]
    elif shape == ["..", "n"]:
        low, high = "1", nums[0]
    elif shape == ["n", "..", "n"]:
        low, high = nums
    elif shape in ([], ["n", ".."], [".."]):
        raise NotHere(
            "unbounded variable-length relationship ([*] or [*2..])",
            "give an upper bound, e.g. [*1..5] (the engine allows at most 30 hops)",
            "patterns",
        )
    else:
        raise NotHere("this variable-length form", "write [*low..high]", "patterns")
    return [*rest[:star], *lex(f"* TRAIL {low}..{high}"), *props]


def _node_labels(
    tokens: list[Tok], i: int, close: int, namer: _Namer, clause: _Clause
) -> list[Tok]:
    """``(v:A:B)``, ``(v:A&B)``, ``(v:!A)``, ``(v:A|!B)``...: Neo4j's meaning, as the engine
    holds one label per node and reads only ``(v:A)`` and ``(v:A|B)`` itself."""
    body = tokens[i + 1 : close]
    named = bool(body) and body[0].kind in ("word", "quoted")
    start = 1 if named else 0
    if start >= len(body) or not body[start].is_(":"):
        return tokens[i : close + 1]
    expr = read_labels(body, start + 1, "_")
    rest = body[expr.end :]
    if any(t.is_("WHERE") for t in rest):
        raise NotHere("WHERE inside a node pattern", "move the condition to MATCH's WHERE")
    distinct = list(dict.fromkeys(expr.labels))
    if expr.ops <= {"|"} or (expr.ops <= {":", "&"} and len(distinct) < 2):
        return tokens[i : close + 1]
    var = body[0] if named else Tok("word", namer.fresh("n"))
    head = [Tok("op", "(", tokens[i].pre), Tok(var.kind, var.text)]
    if expr.ops <= {":", "&"}:  # both labels: keep the first in the pattern
        clause.preds.extend(f"label({var.text}) = '{lab}'" for lab in distinct[1:])
        return [*head, *lex(f":{distinct[0]}"), *rest, tokens[close]]
    clause.preds.append(read_labels(body, start + 1, var.text).test)
    return [*head, *rest, tokens[close]]


def _shortest(tokens: list[Tok], start: int, end: int) -> list[Tok]:
    """``shortestPath((a)-[*..8]-(b))`` -> ``(a)-[* SHORTEST 1..8]-(b)``."""
    out = tokens[:start]
    i = start
    while i < end:
        t = tokens[i]
        if t.kind == "word" and t.up in ("SHORTESTPATH", "ALLSHORTESTPATHS") and i + 1 < end:
            close = closing(tokens, i + 1)
            inner = tokens[i + 2 : close]
            stars = [k for k, x in enumerate(inner) if x.is_("*")]
            if len(stars) != 1:
                raise NotHere(
                    f"{t.text}() over this pattern", "use one [*..n] relationship", "patterns"
                )
            k = stars[0]
            high = _shortest_high(t.text, inner[k + 1 :])
            mode = "SHORTEST" if t.up == "SHORTESTPATH" else "ALL SHORTEST"
            rbr = next(m for m in range(k, len(inner)) if inner[m].is_("]"))
            new_inner = [*inner[:k], *lex(f"* {mode} 1..{high}"), *inner[rbr:]]
            new_inner[0].pre = t.pre
            out.extend(new_inner)
            i = close + 1
            continue
        out.append(t)
        i += 1
    return out + tokens[end:]


def _shortest_high(name: str, after: list[Tok]) -> str:
    """The upper bound of a shortest path's ``[*..n]`` (Neo4j: lower bound 0 or 1)."""
    end = next((k for k, t in enumerate(after) if t.is_("]", "{")), len(after))
    shape = ["n" if t.kind == "number" else t.text for t in after[:end]]
    nums = [t.text for t in after[:end] if t.kind == "number"]
    if nums and shape[0] == "n" and nums[0] != "1":
        raise NotHere(f"{name}() with a lower bound other than 1", "use [*..n]", "patterns")
    if shape in ([], [".."], ["n", ".."]):
        return str(MAX_HOPS)
    if shape in (["..", "n"], ["n", "..", "n"]):
        return nums[-1]
    if shape == ["n"]:
        return nums[0]
    raise NotHere(f"{name}() with this length", "use [*..n]", "patterns")


def _uniqueness(rels: list[_Rel]) -> list[str]:
    preds: list[str] = []
    for a, b in itertools.combinations(rels, 2):
        if a.types and b.types and not a.types & b.types:
            continue
        if not a.var_length and not b.var_length:
            preds.append(f"{a.var} <> {b.var}")
        elif a.var_length and b.var_length:
            preds.append(f"none(_x IN rels({a.var}) WHERE list_contains(rels({b.var}), _x))")
        else:
            many, one = (a, b) if a.var_length else (b, a)
            preds.append(f"NOT list_contains(rels({many.var}), {one.var})")
    return preds


def _one_match(tokens: list[Tok], m: int, namer: _Namer) -> tuple[list[Tok], int]:
    """Rewrite the MATCH clause whose keyword is at ``m``; return tokens and where to go on."""
    end = _clause_end(tokens, m, *(CLAUSES - {"OPTIONAL"}) | {"OPTIONAL"})
    tokens = _shortest(tokens, m + 1, end)
    end = _clause_end(tokens, m, *CLAUSES)
    _either_way(tokens, m + 1, end)
    unnamed = (list(tokens), end, namer.n)
    tokens = _bare_arrows(tokens, m + 1, end, namer)
    end = _clause_end(tokens, m, *CLAUSES)
    clause = _Clause()
    i = m + 1
    while i < end:
        t = tokens[i]
        if t.is_("("):
            close = closing(tokens, i)
            new = _node_labels(tokens, i, close, namer, clause)
            tokens = tokens[:i] + new + tokens[close + 1 :]
            end += len(new) - (close + 1 - i)
            i += len(new)
            continue
        if t.is_("[") and i > 0 and tokens[i - 1].is_("-", "<-"):
            close = closing(tokens, i)
            rel, new = _read_rel(tokens, i, close, namer)
            tokens = tokens[:i] + new + tokens[close + 1 :]
            end += len(new) - (close + 1 - i)
            clause.rels.append(rel)
            i += len(new)
            continue
        i += 1
    preds = clause.preds + _uniqueness(clause.rels)
    if not preds:
        if not any(r.var_length for r in clause.rels):
            namer.n = unnamed[2]  # nothing to say about these relationships: leave them as written
            return unnamed[0], unnamed[1]
        return tokens, end
    cond = " AND ".join(preds)
    if end < len(tokens) and tokens[end].is_("WHERE"):
        w_end = _clause_end(tokens, end, *(CLAUSES - {"WHERE"}))
        tokens = [*tokens[: end + 1], *lex(f" ({cond}) AND ("), *tokens[end + 1 : w_end],
                  *lex(")"), *tokens[w_end:]]  # fmt: skip
    else:
        tokens = [*tokens[:end], *lex(f" WHERE {cond}"), *tokens[end:]]
    return tokens, end


def rewrite_matches(tokens: list[Tok]) -> list[Tok]:
    """Every MATCH clause of ``tokens`` with Neo4j's pattern semantics made explicit."""
    namer = _Namer(tokens)
    i = 0
    while i < len(tokens):
        if tokens[i].is_("MATCH"):
            tokens, i = _one_match(tokens, i, namer)
        else:
            i += 1
    return tokens
