"""The layer's view of the console's one token stream, and its bracket structure.

The tokens are :mod:`graph.console.lexer`'s, the ones the read-only check reads, cut by
the engine's own lexical rules; this module does not cut text itself. It gives the
rewrites a handier shape (:class:`Tok`: a kind, the text, and whether white space or a
comment came before it), joins the ``<`` ``-`` and ``-`` ``>`` written together in a
relationship pattern into the arrows ``<-`` and ``->``, and refuses the few texts that
the engine and Neo4j read differently (:func:`lex`). :func:`join` gives back canonical
text: one ASCII space wherever the user had white space or a comment, so the text the
rewrites produce is the text the check reads and the engine runs. Rewrites work on the
bracket structure (:func:`closing`, :func:`split_top`), never on regular expressions over
the query text.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.console.compat.refusal import NotHere
from graph.console.lexer import Token, TokenKind, refuse_neo4j_splits, tokenize
from graph.errors import QueryError

__all__ = ["Tok", "check_brackets", "closing", "join", "lex", "split_top"]

_KINDS = {
    TokenKind.WORD: "word",
    TokenKind.NAME: "quoted",
    TokenKind.STRING: "string",
    TokenKind.NUMBER: "number",
    TokenKind.PARAM: "param",
    TokenKind.PUNCT: "op",
}

#: String escapes that mean the same to the engine and to Neo4j (the engine also reads
#: ``\\x41`` and upper-case ``\\N``, Neo4j's parser reads them otherwise).
_SHARED_ESCAPES = frozenset("\\'\"bfnrt")


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


def _neo4j_reads_alike(token: Token) -> None:
    """Refuse a token whose meaning Neo4j reads otherwise, or the rewrites would miss."""
    if token.kind is TokenKind.STRING:
        _shared_escapes(token.text)
    elif token.kind is TokenKind.PUNCT and not token.text.isascii():
        raise NotHere(
            f"relationship drawn with {token.text!r}",
            "draw it with ASCII: (a)-[r]->(b), (a)<-[r]-(b)",
            "patterns",
        )


def _shared_escapes(text: str) -> None:
    """Refuse a string escape whose meaning differs between the engine and Neo4j."""
    i = text.find("\\")
    while i >= 0:
        ch = text[i + 1]
        if ch not in _SHARED_ESCAPES and ch not in "uU":
            raise NotHere(
                f"string escape \\{ch}",
                "write the character itself, or \\uHHHH (the escapes \\\\ \\' \\\" \\b \\f "
                "\\n \\r \\t \\uHHHH mean the same in both)",
                "strings",
            )
        i = text.find("\\", i + 2)


def lex(query: str) -> list[Tok]:
    """The significant tokens of ``query`` as the console's lexer reads them.

    Each keeps ``" "`` as ``pre`` where white space or a comment came before it.

    >>> [t.text for t in lex("MATCH (a)-->(b)<-[r]-(c) // note")]
    ['MATCH', '(', 'a', ')', '-', '->', '(', 'b', ')', '<-', '[', 'r', ']', '-', '(', 'c', ')']
    >>> [t.text for t in lex("RETURN 2<-1, 'a\\\\b'")]
    ['RETURN', '2', '<', '-', '1', ',', "'a\\\\b'"]
    """
    out: list[Tok] = []
    gap = False
    every = tokenize(query)
    refuse_neo4j_splits(query, every)  # comments and white space Neo4j cuts otherwise
    for token in every:
        _neo4j_reads_alike(token)
        if not token.significant:
            gap = True
            continue
        last = out[-1] if out else None
        if last is not None and not gap and last.kind == "op" and _arrow(out, token.text):
            last.text += token.text
        else:
            out.append(Tok(_KINDS[token.kind], token.text, " " if gap else ""))
        gap = False
    return out


def _arrow(out: list[Tok], text: str) -> bool:
    """Whether ``text``, written right after ``out[-1]``, makes it an arrow: ``-`` then
    ``>`` anywhere, ``<`` then ``-`` after a node's ``)`` (elsewhere ``2<-1`` compares)."""
    last = out[-1].text
    if last == "-" and text == ">":
        return True
    return last == "<" and text == "-" and len(out) > 1 and out[-2].is_(")")


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
