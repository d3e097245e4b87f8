"""Neo4j 5 label expressions read as tests on ``label(v)``: every node here has one label.

``A|B`` (either), ``A&B`` and the older ``:A:B`` (both), ``!A`` (not), ``%`` (any label)
and parentheses, with Neo4j's precedence (``!`` before ``&`` before ``|``). Neo4j refuses
``:`` as a conjunction mixed with the other operators, and so does the layer. The test
is for a node that is there: where it may be null, the caller guards it (the engine's
``label()`` of a null node may answer its table's name, where Neo4j's label test is null).

>>> from graph.console.compat.tokens import lex
>>> read_labels(lex("n:Partner|!(Theme&%)"), 2, "n").test
"(label(n) = 'Partner' OR NOT ((label(n) = 'Theme' AND true)))"
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.console.compat.refusal import NotHere
from graph.console.compat.tokens import Tok

__all__ = ["LabelExpression", "read_labels"]


@dataclass
class LabelExpression:
    """A label expression: its test on ``label(var)``, where it ends, what it uses."""

    test: str
    end: int  # index of the first token after the expression
    ops: set[str] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, tokens: list[Tok], at: int, var: str) -> None:
        self.tokens, self.at, self.var = tokens, at, var
        self.ops: set[str] = set()
        self.labels: list[str] = []

    def _peek(self, *ops: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at].is_(*ops)

    def either(self) -> str:
        parts = [self.both()]
        while self._peek("|"):
            self.ops.add("|")
            self.at += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def both(self) -> str:
        parts = [self.factor()]
        while self._peek("&", ":"):
            self.ops.add(self.tokens[self.at].text)
            self.at += 1
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def factor(self) -> str:
        t = self.tokens[self.at] if self.at < len(self.tokens) else Tok("op", "")
        self.at += 1
        if t.is_("!"):
            self.ops.add("!")
            return f"NOT ({self.factor()})"
        if t.is_("%"):
            self.ops.add("%")
            return "true"  # every node has a label
        if t.is_("("):
            self.ops.add("(")
            inner = self.either()
            if not self._peek(")"):
                raise NotHere("this label expression", "write it as A|B, A&B or !A", "labels")
            self.at += 1
            return inner
        if t.kind in ("word", "quoted"):
            name = t.text[1:-1].replace("``", "`") if t.kind == "quoted" else t.text
            self.labels.append(name)
            quoted = name.replace("\\", "\\\\").replace("'", "\\'")
            return f"label({self.var}) = '{quoted}'"
        raise NotHere("this label expression", "write it as A|B, A&B or !A", "labels")


def read_labels(tokens: list[Tok], at: int, var: str) -> LabelExpression:
    """The label expression starting at ``tokens[at]`` (just after its first ``:``)."""
    reader = _Reader(tokens, at, var)
    test = reader.either()
    if ":" in reader.ops and reader.ops - {":"}:
        raise NotHere(
            "label expression mixing : with |, &, ! or %",
            "write n:A&B for both labels (Neo4j refuses the mix too)",
            "labels",
        )
    return LabelExpression(test, reader.at, reader.ops, reader.labels)
