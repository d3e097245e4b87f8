"""The console's one tokenizer: Cypher text read exactly as the embedded engine reads it.

The engine (ladybug, a Kùzu fork) lexes with an ANTLR grammar; this module follows its
lexical rules character for character where they decide what is code and what is not:

* white space is exactly the engine's set (ASCII space, tab, LF, VT, FF, CR, the four
  separators U+001C..U+001F, and U+00A0, U+1680, U+180E, U+2000..U+200A, U+2028, U+2029,
  U+202F, U+205F, U+3000); NEL (U+0085) and the byte-order mark are *not* white space;
* a block comment is ``/*`` then any run of ``[^*]`` or ``*`` followed by a character
  other than ``/``, then ``*/``. Stars therefore pair up: ``/* **/`` does not end at
  ``**/`` and ``/***/`` is not closed, while ``/**/`` and ``/*/ x /*/`` are whole comments;
* a line comment is ``//``, then anything but CR and LF, then an optional CR, then LF or
  the end of the text (a CR alone does not end it: the engine then reads no comment);
* a string is ``'...'`` or ``"..."`` whose backslash escapes are only ``\\\\ \\' \\" \\b
  \\f \\n \\r \\t``, ``\\xHH``, ``\\uHHHH`` and ``\\uHHHHHHHH`` (either case of the
  letter); a doubled quote is two strings, not an escape;
* a quoted name is one or more back-tick groups ```...``` back to back (so ```a``b```
  is one name);
* a bare word is ASCII letters, digits, ``_`` and ``$`` (the engine's identifier rule
  restricted to ASCII); keywords are bare words compared ASCII-case-insensitively.

Whatever this module cannot read with certainty is refused with :class:`LexError` (a
:class:`~graph.errors.QueryRefused`) rather than guessed at: an unclosed comment, string
or quoted name, an escape the engine does not know, a line comment ended by a lone CR, a
character the engine has no token for, and any character other than ASCII outside
strings, comments and quoted names (except the engine's white space and its Unicode dashes
and arrow heads). :func:`canonical_text` then rebuilds the statement from the tokens, with
every run of white space and comments replaced by one ASCII space: that text, and never
the raw input, is what the engine runs. Its tokens are checked to be the same as the
original's, so what was checked is what runs.

>>> [t.text for t in significant(tokenize("MATCH (n) /* **/ LIMIT 0 */ RETURN n // x"))]
['MATCH', '(', 'n', ')', 'RETURN', 'n']
>>> canonical_text(tokenize("MATCH/**/(n)\\u2028RETURN n.name // done"))
'MATCH (n) RETURN n.name'
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from graph.errors import QueryRefused

__all__ = [
    "KEYWORDS",
    "LexError",
    "Token",
    "TokenKind",
    "canonical",
    "canonical_text",
    "refuse_neo4j_splits",
    "significant",
    "tokenize",
]

#: The engine's keywords (its grammar's keyword list): a bare word spelled like one of
#: these, in any ASCII case, is that keyword to the engine's lexer.
_KEYWORD_LIST = """
    ACYCLIC ANY ADD ALL ALTER AND AS ASC ASCENDING ATTACH BEGIN BY CALL CASE CAST
    CHECKPOINT COLUMN COMMENT COMMIT COMMIT_SKIP_CHECKPOINT CONTAINS COPY COUNT CREATE
    CYCLE DATABASE DBTYPE DECIMAL DEFAULT DELETE DESC DESCENDING DETACH DISTINCT DROP
    ELSE END ENDS EXISTS EXPLAIN EXPORT EXTENSION FALSE FROM FORCE GLOB GRAPH GROUP
    HEADERS HINT IMPORT IF IN INCREMENT INSTALL IS JOIN KEY LIMIT LOAD LOGICAL MACRO
    MATCH MAXVALUE MERGE MINVALUE MULTI_JOIN NO NODE NOT NONE NULL ON ONLY OPTIONAL OR
    ORDER PRIMARY PROFILE PROJECT READ REL RENAME RETURN ROLLBACK
    ROLLBACK_SKIP_CHECKPOINT SEQUENCE SET SHORTEST SKIP START STARTS STRUCT TABLE THEN
    TO TRAIL TRANSACTION TRUE TYPE UNION UNWIND UNINSTALL UPDATE USE WHEN WHERE WITH
    WRITE WSHORTEST XOR SINGLE YIELD USER PASSWORD ROLE MAP ANALYZE
"""
KEYWORDS: frozenset[str] = frozenset(_KEYWORD_LIST.split())

#: The engine's white space, exactly (Python's ``str.isspace`` differs: NEL, U+001C...).
WHITESPACE: frozenset[str] = frozenset(
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\u00a0\u1680\u180e\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)

#: The engine's Unicode dashes and arrow heads (relationship patterns only).
_UNICODE_PUNCT = frozenset(
    "\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
    "\u27e8\u3008\ufe64\uff1c\u27e9\u3009\ufe65\uff1e"
)

#: Punctuation the grammar uses, longest first (``<>`` before ``<``).
_PUNCT = (
    "<>", "<=", ">=", "!=", "=~", ">>", "<<", "..",
    "(", ")", "{", "}", "[", "]", ",", ";", "=", "<", ">", "|", "&", "+", "-", "*", "/",
    "%", "^", ".", ":", "$", "!",
)  # fmt: skip

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE]-?[0-9]+)?")
_ESCAPE = re.compile(
    r"\\(?:[\\'\"bBfFnNrRtT]|[xX][0-9A-Fa-f]{2}|[uU][0-9A-Fa-f]{8}|[uU][0-9A-Fa-f]{4})"
)


class TokenKind(enum.Enum):
    SPACE = "space"  # a run of white space
    COMMENT = "comment"  # a block or line comment (white space to the engine)
    WORD = "word"  # a bare word: a keyword or a name
    NAME = "name"  # a back-tick quoted name
    STRING = "string"
    NUMBER = "number"
    PARAM = "param"  # $name or $1
    PUNCT = "punct"


@dataclass(frozen=True)
class Token:
    """One token: its kind, its exact source text, and where it starts (0-based offset)."""

    kind: TokenKind
    text: str
    pos: int

    @property
    def significant(self) -> bool:
        return self.kind not in (TokenKind.SPACE, TokenKind.COMMENT)

    @property
    def keyword(self) -> str | None:
        """The keyword this bare word is to the engine (upper case), or None."""
        if self.kind is TokenKind.WORD and self.text.upper() in KEYWORDS:
            return self.text.upper()
        return None

    @property
    def name(self) -> str | None:
        """The token as a name part: a bare word's text, or a quoted name without quotes."""
        if self.kind is TokenKind.WORD:
            return self.text
        if self.kind is TokenKind.NAME:
            return self.text[1:-1].replace("``", "`")
        return None

    def is_punct(self, *texts: str) -> bool:
        return self.kind is TokenKind.PUNCT and self.text in texts


class LexError(QueryRefused):
    """The text cannot be read with certainty the way the engine reads it."""

    def __init__(self, message: str, pos: int, text: str) -> None:
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        super().__init__(f"{message} (line {line}, column {column})")
        self.pos = pos


def _block_comment_end(text: str, i: int) -> int:
    """The end of the block comment opened at ``i`` (stars pair up, as in the engine)."""
    j = i + 2
    n = len(text)
    while j < n:
        if text[j] != "*":
            j += 1
        elif j + 1 < n and text[j + 1] == "/":
            return j + 2
        else:
            j += 2  # '*' with the next character (not '/'), the engine's pairing
    raise LexError("a /* comment is not closed where the database would close it", i, text)


def _line_comment_end(text: str, i: int) -> int:
    j = i + 2
    n = len(text)
    while j < n and text[j] not in "\r\n":
        j += 1
    if j < n and text[j] == "\r":
        if j + 1 == n:
            return n
        if text[j + 1] != "\n":
            raise LexError(
                "a // comment ends with a carriage return alone: end it with a line break", i, text
            )
        return j + 2
    return j + 1 if j < n else n


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    j = i + 1
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == quote:
            return j + 1
        if ch == "\\":
            m = _ESCAPE.match(text, j)
            if m is None:
                raise LexError(
                    "a string has an escape the database does not know (use \\\\ for a backslash)",
                    j,
                    text,
                )
            j = m.end()
        else:
            j += 1
    raise LexError("a string is not closed", i, text)


def _name_end(text: str, i: int) -> int:
    j = i
    n = len(text)
    while j < n and text[j] == "`":
        close = text.find("`", j + 1)
        if close < 0:
            raise LexError("a `quoted name` is not closed", j, text)
        j = close + 1
    return j


def _space_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j] in WHITESPACE:
        j += 1
    return j


def _next(text: str, i: int) -> tuple[TokenKind, int]:
    """The kind and end of the token starting at ``i``."""
    ch = text[i]
    if ch in WHITESPACE:
        return TokenKind.SPACE, _space_end(text, i)
    if text.startswith("/*", i):
        return TokenKind.COMMENT, _block_comment_end(text, i)
    if text.startswith("//", i):
        return TokenKind.COMMENT, _line_comment_end(text, i)
    if ch in "'\"":
        return TokenKind.STRING, _string_end(text, i)
    if ch == "`":
        return TokenKind.NAME, _name_end(text, i)
    m = _WORD.match(text, i)
    if m:
        return TokenKind.WORD, m.end()
    m = _NUMBER.match(text, i)
    if m:
        return TokenKind.NUMBER, m.end()
    if ch == "$":
        m = _WORD.match(text, i + 1) or re.compile(r"[0-9]+").match(text, i + 1)
        if m:
            return TokenKind.PARAM, m.end()
    for p in _PUNCT:
        if text.startswith(p, i):
            return TokenKind.PUNCT, i + len(p)
    if ch in _UNICODE_PUNCT:
        return TokenKind.PUNCT, i + 1
    if ch.isascii() and ch.isprintable():
        raise LexError(f"the character {ch!r} has no meaning in a query here", i, text)
    raise LexError(
        f"the character U+{ord(ch):04X} may only appear inside a string, a comment or a "
        "`quoted name` (write names in ASCII, or quote them with back-ticks)",
        i,
        text,
    )


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, white space and comments included, in order.

    Raises :class:`LexError` for anything the engine might read otherwise.

    >>> [(t.kind.value, t.text) for t in tokenize("RETURN $x, 'a\\\\'b'")]
    [('word', 'RETURN'), ('space', ' '), ('param', '$x'), ('punct', ','), ('space', ' '), \
('string', "'a\\\\'b'")]
    """
    for i, ch in enumerate(text):
        if ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF:
            raise LexError(
                f"the query holds a character that is not text (U+{ord(ch):04X})", i, text
            )
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        kind, end = _next(text, i)
        tokens.append(Token(kind, text[i:end], i))
        i = end
    return tokens


def significant(tokens: list[Token]) -> list[Token]:
    """The tokens the engine parses: white space and comments left out."""
    return [t for t in tokens if t.significant]


def canonical_text(tokens: list[Token]) -> str:
    """The statement rebuilt from ``tokens``: each run of white space and comments becomes
    one ASCII space, none at either end. Re-tokenising it gives the same significant tokens.
    """
    parts: list[str] = []
    gap = False
    for t in tokens:
        if not t.significant:
            gap = True
            continue
        if gap and parts:
            parts.append(" ")
        gap = False
        parts.append(t.text)
    return "".join(parts)


def refuse_neo4j_splits(text: str, tokens: list[Token]) -> None:
    """Refuse a text that Neo4j's lexer cuts otherwise than the engine's (``tokens``).

    A block comment whose stars the engine pairs past the first ``*/`` (Neo4j's comment
    ends there), and U+180E, white space to the engine only. The canonical text keeps the
    engine's reading, so on either backend such a text would run with a meaning Neo4j
    does not give it. (A line comment ended by a lone CR is refused by :func:`tokenize`.)

    >>> refuse_neo4j_splits("RETURN 1 /* a * b */", tokenize("RETURN 1 /* a * b */"))
    >>> refuse_neo4j_splits("RETURN 1 /* **/, 2 /* */", tokenize("RETURN 1 /* **/, 2 /* */"))
    Traceback (most recent call last):
    ...
    graph.console.lexer.LexError: a /* comment */ ends at its first */ for Neo4j but later \
for the embedded database, whose stars pair up: take the extra stars out (line 1, column 10)
    """
    for t in tokens:
        block = t.kind is TokenKind.COMMENT and t.text.startswith("/*")
        if block and t.text.find("*/", 2) + 2 != len(t.text):
            raise LexError(
                "a /* comment */ ends at its first */ for Neo4j but later for the embedded "
                "database, whose stars pair up: take the extra stars out",
                t.pos,
                text,
            )
        if t.kind is TokenKind.SPACE and "\u180e" in t.text:
            raise LexError(
                "U+180E is white space to the embedded database but not to Neo4j: use a space",
                t.pos + t.text.index("\u180e"),
                text,
            )


def canonical(text: str) -> tuple[list[Token], str]:
    """Tokenise ``text`` and rebuild its canonical text, checking that both read the same.

    Returns the significant tokens and the canonical text.
    """
    every = tokenize(text)
    tokens = significant(every)
    out = canonical_text(every)
    again = [(t.kind, t.text) for t in significant(tokenize(out))]
    if again != [(t.kind, t.text) for t in tokens]:  # pragma: no cover - a lexer bug
        raise LexError("the query cannot be read with certainty", 0, text)
    return tokens, out
