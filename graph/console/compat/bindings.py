"""What the query's own patterns say about a variable: its label, whether it is a
relationship, and whether every pattern that binds it has a direction.

Read from the token stream only, and only where the answer is sure: a variable bound again
by ``WITH ... AS`` or ``UNWIND ... AS``, or matched with two different labels, or with a
label expression, has no sure answer here (None or False), and the caller refuses.
"""

from __future__ import annotations

from graph.console.compat.tokens import Tok, closing
from graph.model import NODE_KINDS, REL_PROPERTIES, NodeKind

__all__ = ["bound_directed", "property_names"]

_LABELS = {kind.value: kind for kind in NodeKind}


def _occurrences(tokens: list[Tok], var: str) -> list[int] | None:
    """Where ``var`` appears as a name; None if something other than a pattern binds it."""
    found = []
    for i, t in enumerate(tokens):
        if t.text != var or t.kind not in ("word", "quoted"):
            continue
        if i > 0 and tokens[i - 1].is_("AS"):
            return None  # bound by WITH ... AS or UNWIND ... AS
        found.append(i)
    return found


def _is_relationship_at(tokens: list[Tok], i: int) -> bool:
    return i >= 2 and tokens[i - 1].is_("[") and tokens[i - 2].is_("-", "<-")


def bound_directed(tokens: list[Tok], var: str) -> bool:
    """Whether relationship ``var`` is bound only by patterns with a direction.

    >>> from graph.console.compat.tokens import lex
    >>> bound_directed(lex("MATCH (a)<-[r]-(b) RETURN r"), "r")
    True
    >>> bound_directed(lex("MATCH (a)-[r]-(b) RETURN r"), "r")
    False
    """
    where = _occurrences(tokens, var)
    rels = [i for i in where or [] if _is_relationship_at(tokens, i)]
    for i in rels:
        close = closing(tokens, i - 1)
        after = tokens[close + 1] if close + 1 < len(tokens) else None
        if (after is not None and after.is_("->")) == tokens[i - 2].is_("<-"):
            return False  # undirected (or drawn both ways)
    return bool(rels)


def property_names(tokens: list[Tok], var: str) -> list[str] | None:
    """The schema's property names of the node or relationship ``var``, when sure.

    >>> from graph.console.compat.tokens import lex
    >>> property_names(lex("MATCH (t:Theme) RETURN t"), "t")[:3]
    ['id', 'name', 'question']
    >>> property_names(lex("MATCH (t) RETURN t"), "t") is None
    True
    """
    where = _occurrences(tokens, var)
    if not where:
        return None
    if any(_is_relationship_at(tokens, i) for i in where):
        return [p.name for p in REL_PROPERTIES]  # every relationship type has these
    labels = set()
    for i in where:
        if i == 0 or not tokens[i - 1].is_("(") or i + 1 >= len(tokens):
            continue
        nxt = tokens[i + 1]
        if not nxt.is_(":"):
            continue
        after = tokens[i + 3] if i + 3 < len(tokens) else None
        if i + 2 >= len(tokens) or after is None or not after.is_(")", "{"):
            return None  # a label expression, not one label
        labels.add(tokens[i + 2].text.strip("`"))
    if len(labels) != 1 or (label := labels.pop()) not in _LABELS:
        return None
    return [p.name for p in NODE_KINDS[_LABELS[label]].properties]
