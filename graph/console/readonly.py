"""The first layer of the console's read-only guarantee: a static check of the query text.

The check reads the query the way a Cypher parser does: comments, string literals and
backtick-quoted names are set aside, so a word there never counts, and a word that is a
property key (``n.set``), map key (``{delete: 1}``), label or relationship type
(``:CREATE``), parameter (``$merge``) or alias (``AS remove``) is a name, not a clause.
Every other word is folded before it is compared (invisible format characters removed,
Unicode NFKC so a fullwidth CREATE reads ``CREATE``, Cyrillic and Greek
look-alikes mapped to Latin, case ignored), and the query is refused, with a message
naming the clause, when it could write, administer, or leave the sandbox:

* a write or admin clause (``CREATE``, ``MERGE``, ``SET``, ``DELETE``, ``DETACH DELETE``,
  ``REMOVE``, ``DROP``, ``LOAD CSV``, ``FOREACH``, ``USE``, ``COPY``, ``IN TRANSACTIONS``,
  ``GRANT``, ``ALTER``, ...);
* ``CALL`` of any procedure not on the schema-introspection allow-list (so every writing,
  ``dbms.*`` and ``apoc.*`` procedure), however it is spelled (backticks, comments);
* a call of a namespaced function from a procedure library (``apoc.cypher.run...``);
* more than one statement.

It is one layer of three: the query then runs in a read-only transaction on a read-only
handle (layer 2), stopped by a time limit and cut by a row cap (layer 3).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graph.errors import QueryRefused

__all__ = ["ALLOWED_PROCEDURES", "WRITE_KEYWORDS", "check_read_only"]

#: Clauses and keywords that write, administer or leave the read-only sandbox
#: (Neo4j Cypher and GQL, and the ladybug/Kùzu dialect's own: COPY, ATTACH, INSTALL ...).
WRITE_KEYWORDS: frozenset[str] = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "COPY",
        "FOREACH", "USE", "ALTER", "RENAME", "GRANT", "REVOKE", "DENY", "INSTALL",
        "UNINSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "BEGIN", "COMMIT",
        "ROLLBACK", "TERMINATE", "START", "STOP", "TRANSACTIONS", "ENABLE", "DISABLE",
        "SHOW", "INSERT", "UPDATE", "TRUNCATE", "UPSERT", "NODETACH",
    }
)  # fmt: skip

#: Two-word clauses, named in full in the refusal message.
_PHRASES: dict[tuple[str, str], str] = {
    ("DETACH", "DELETE"): "DETACH DELETE",
    ("NODETACH", "DELETE"): "NODETACH DELETE",
    ("LOAD", "CSV"): "LOAD CSV",
    ("LOAD", "FROM"): "LOAD FROM",
    ("LOAD", "EXTENSION"): "LOAD EXTENSION",
    ("IN", "TRANSACTIONS"): "CALL { } IN TRANSACTIONS",
    ("EXPORT", "DATABASE"): "EXPORT DATABASE",
    ("IMPORT", "DATABASE"): "IMPORT DATABASE",
    ("BEGIN", "TRANSACTION"): "BEGIN TRANSACTION",
}

#: Procedures a console query may CALL: schema introspection only (both dialects).
ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {
        "show_tables", "table_info", "show_connection", "db_version", "db.labels",
        "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    }
)  # fmt: skip

#: Namespaces of procedure libraries whose *functions* are refused too: they can run
#: Cypher given as a string (``apoc.cypher.runFirstColumnMany``), reach files or the
#: network, or administer the server.
_REFUSED_FUNCTION_ROOTS: frozenset[str] = frozenset({"apoc", "dbms", "gds", "genai", "tx"})

#: Cyrillic and Greek letters that look like Latin ones (a small confusables table), so a
#: CREATE spelled with a Cyrillic Es is refused like CREATE. Written as escapes: the
#: letters themselves are indistinguishable in the source.
_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0415\u0405\u0406\u0408\u041a\u041c"
    "\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0430"
    "\u0435\u0456\u0458\u043e\u0440\u0441\u0445\u0443"
    "\u0455\u0501\u051b\u051d\u0391\u0392\u0395\u0396"
    "\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4"
    "\u03a5\u03a7\u03bf\u03f2",
    "ABESIJKMHOPCTXYaeijopcxysdqwABEZHIKMNOPTYXoc",
)

_TOKEN = re.compile(
    r"""
    (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[^\W\d]\w*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # word, quoted, string, other
    text: str  # for words: folded and upper-cased; for quoted: the name inside

    @property
    def name(self) -> str | None:
        """The token as a name part (a bare word or a backtick-quoted one), if it is one."""
        return self.text if self.kind in ("word", "quoted") else None


def _fold(word: str) -> str:
    """A bare word as the check compares it: NFKC, look-alikes to Latin, upper case."""
    return unicodedata.normalize("NFKC", word).translate(_LOOKALIKES).upper()


def _tokens(query: str) -> list[_Token]:
    """The significant tokens of ``query`` (comments and white space dropped)."""
    # Invisible format characters (zero-width space, soft hyphen, BOM ...) could split a
    # keyword for the eye but not for a parser that ignores them: drop them first.
    text = "".join(ch for ch in query if unicodedata.category(ch) != "Cf")
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("line_comment", "block_comment", "space"):
            continue
        if kind == "word":
            out.append(_Token("word", _fold(m.group())))
        elif kind == "quoted":
            out.append(_Token("quoted", _fold(m.group()[1:-1].replace("``", "`"))))
        else:
            out.append(_Token(kind, m.group()))
    return out


def _is_name_position(tokens: list[_Token], i: int) -> bool:
    """Whether the word at ``i`` is a name (key, label, parameter, alias), not a clause."""
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if prev is not None and prev.kind == "other" and prev.text in (".", "$"):
        return True  # property key or parameter
    if prev is not None and prev.kind == "word" and prev.text == "AS":
        return True  # an alias: RETURN n.name AS remove
    if nxt is not None and nxt.kind == "other" and nxt.text == ":":
        return True  # map key ({set: 1}) or variable before a label ((n:Theme))
    # A label or relationship type: after ':' or inside a label expression (:A|B&!C).
    j = i - 1
    while j >= 0:
        t = tokens[j]
        if t.kind == "other" and t.text == "!":
            j -= 1
        elif t.kind == "other" and t.text == ":":
            return True
        elif t.kind == "other" and t.text in ("|", "&") and j >= 1 and tokens[j - 1].name:
            j -= 2
        else:
            return False
    return False


def _dotted_name(tokens: list[_Token], i: int) -> tuple[str | None, int]:
    """Read ``a.b.`c`` from ``i``: the joined lower-case name and the index after it."""
    parts: list[str] = []
    while i < len(tokens):
        part = tokens[i].name
        if part is None:
            break
        parts.append(part.lower())
        if i + 1 < len(tokens) and tokens[i + 1].kind == "other" and tokens[i + 1].text == ".":
            i += 2
            continue
        i += 1
        break
    return (".".join(parts) if parts else None), i


def _refuse(clause: str) -> QueryRefused:
    return QueryRefused(f"{clause} is not allowed: the console is read-only")


def _check_call(tokens: list[_Token], i: int) -> None:
    """Check the ``CALL`` at ``i``: a subquery, or an allow-listed procedure."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None:
        raise QueryRefused("CALL needs a procedure name or a { subquery }")
    if nxt.kind == "other" and nxt.text in ("{", "("):
        return  # CALL { subquery } / CALL (x) { ... }: its words are checked like any other
    name, _ = _dotted_name(tokens, i + 1)
    if name is None:
        raise QueryRefused("CALL needs a procedure name or a { subquery }")
    if name not in ALLOWED_PROCEDURES:
        raise QueryRefused(
            f"CALL {name} is not allowed: the console is read-only and may call only "
            f"schema procedures ({', '.join(sorted(ALLOWED_PROCEDURES))})"
        )


def check_read_only(query: str) -> None:
    """Refuse ``query`` if it could write or administer; return silently otherwise.

    >>> check_read_only("MATCH (c:Challenge) RETURN c.name // CREATE is only a comment")
    >>> check_read_only("MATCH (n {set: 'DELETE me'}) RETURN n.remove AS merge")
    >>> check_read_only("match (n) detach delete n")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: DETACH DELETE is not allowed: the console is read-only
    >>> check_read_only("MATCH (n) \\uff33\\uff25\\uff34 n.x = 1")  # fullwidth SET
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: SET is not allowed: the console is read-only
    """
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    tokens = _tokens(query)
    if not tokens:
        raise QueryRefused("the query is empty")
    several = False
    for i, tok in enumerate(tokens):
        if tok.kind == "other" and tok.text == ";" and i + 1 < len(tokens):
            several = True  # refused below, once every statement has been checked
        if tok.kind not in ("word", "quoted") or _is_name_position(tokens, i):
            continue
        name, after = _dotted_name(tokens, i)
        if (
            name is not None
            and name.split(".")[0] in _REFUSED_FUNCTION_ROOTS
            and "." in name
            and after < len(tokens)
            and tokens[after].text == "("
        ):
            raise QueryRefused(
                f"{name}() is not allowed: the console does not call procedure-library functions"
            )
        if tok.kind == "quoted":
            continue  # a backtick-quoted name is never a clause
        word = tok.text
        nxt = tokens[i + 1].text if i + 1 < len(tokens) and tokens[i + 1].kind == "word" else ""
        if (word, nxt) in _PHRASES:
            raise _refuse(_PHRASES[(word, nxt)])
        if word in WRITE_KEYWORDS:
            raise _refuse(word)
        if word == "CALL":
            _check_call(tokens, i)
    if several:
        raise QueryRefused("run one statement at a time: remove the ';' between statements")
