"""The token stream the compatibility layer reads and rewrites, and its bracket structure.

A query is cut into tokens the way a Cypher lexer cuts it (comments, strings,
backtick-quoted names, numbers, ``$parameters``, words, operators); each token keeps the
white space before it, so a rewritten query reads like the one the user wrote. Comments
become a single space: the text handed on is canonical, and the read-only check reads
exactly that text. Rewrites work on the bracket structure (:func:`closing`,
:func:`split_top`), never on regular expressions over the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import QueryError

__all__ = ["Tok", "check_brackets", "closing", "join", "lex", "split_top"]

_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<number>(?:\d+\.\d+|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\w)|0x[0-9a-fA-F]+)
  | (?P<param>\$(?:[^\W\d]\w*|\d+|`(?:[^`]|``)*`))
  | (?P<word>[^\W\d]\w*)
  | (?P<op><--|-->|<-|->|\.\.|<>|<=|>=|=~|\+=|.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: Operators a lexer reads as two tokens here, so arrows compose the same way in all spellings.
_SPLIT = {"<--": ("<-", "-"), "-->": ("-", "->")}


@dataclass
class Tok:
    """One token: its kind, its text as written, and the white space before it."""

    kind: str  # word, quoted, string, number, param, op
    text: str
    pre: str = ""

    @property
    def up(self) -> str:
        """A word upper-cased (keywords and function names are case-insensitive)."""
        return self.text.upper() if self.kind == "word" else self.text

    def is_(self, *texts: str) -> bool:
        return self.kind in ("word", "op") and self.up in texts


def lex(query: str) -> list[Tok]:
    """The tokens of ``query``, each with the white space before it.

    >>> [t.text for t in lex("MATCH (a)-->(b) // note")]
    ['MATCH', '(', 'a', ')', '-', '->', '(', 'b', ')']
    """
    out: list[Tok] = []
    pos = 0
    pending = ""
    for m in _TOKEN.finditer(query):
        gap = query[pos : m.start()]
        pos = m.end()
        kind = m.lastgroup or "op"
        text = m.group()
        if kind == "comment":
            pending += gap + " "
            continue
        if kind == "op" and text.isspace():
            pending += gap + text
            continue
        if kind == "op" and text in _SPLIT:
            first, second = _SPLIT[text]
            out.append(Tok("op", first, pending + gap))
            out.append(Tok("op", second, ""))
        else:
            out.append(Tok(kind, text, pending + gap))
        pending = ""
    return out


def join(tokens: list[Tok]) -> str:
    """The text of ``tokens``, with their white space, stripped at both ends."""
    return "".join(t.pre + t.text for t in tokens).strip()


_PAIRS = {"(": ")", "[": "]", "{": "}"}


def closing(tokens: list[Tok], i: int) -> int:
    """The index of the bracket closing the one at ``i`` (len(tokens) if unclosed)."""
    want = [_PAIRS[tokens[i].text]]
    j = i + 1
    while j < len(tokens) and want:
        t = tokens[j]
        if t.kind == "op" and t.text in _PAIRS:
            want.append(_PAIRS[t.text])
        elif t.kind == "op" and t.text == want[-1]:
            want.pop()
        j += 1
    return j - 1 if not want else len(tokens)


def check_brackets(tokens: list[Tok]) -> None:
    """Refuse a query whose brackets do not pair up (naming the first that does not)."""
    want: list[str] = []
    for t in tokens:
        if t.kind == "op" and t.text in _PAIRS:
            want.append(_PAIRS[t.text])
        elif t.kind == "op" and t.text in (")", "]", "}") and (not want or want.pop() != t.text):
            raise QueryError(f"the query has a '{t.text}' that closes nothing")
    if want:
        raise QueryError(f"the query has an unclosed bracket: a '{want[-1]}' is missing")


def split_top(tokens: list[Tok], sep: str) -> list[list[Tok]]:
    """``tokens`` cut at ``sep`` (an operator or upper-case word) outside any brackets."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for t in tokens:
        if t.kind == "op" and t.text in ("(", "[", "{"):
            depth += 1
        elif t.kind == "op" and t.text in (")", "]", "}"):
            depth -= 1
        if depth == 0 and t.is_(sep):
            parts.append([])
            continue
        parts[-1].append(t)
    return parts
