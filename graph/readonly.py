"""The first layer of the console's read-only guarantee: a static check of the query text.

The check strips comments, string literals and quoted identifiers, folds Unicode
look-alikes (NFKC) and case, and refuses any clause or procedure that can write or
administer the database, naming it. It is one layer of three: the query then runs in a
read-only transaction on a read-only handle, with a timeout and a row cap.
"""

from __future__ import annotations

import re
import unicodedata

from graph.errors import QueryRefused

__all__ = ["ALLOWED_PROCEDURES", "WRITE_KEYWORDS", "check_read_only"]

#: Clauses and keywords that write, administer or leave the read-only sandbox.
WRITE_KEYWORDS: frozenset[str] = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "COPY",
        "FOREACH", "USE", "ALTER", "RENAME", "GRANT", "REVOKE", "DENY", "INSTALL",
        "UNINSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "BEGIN", "COMMIT",
        "ROLLBACK", "TERMINATE", "START", "STOP", "TRANSACTIONS", "ENABLE", "DISABLE",
        "SHOW", "INSERT", "UPDATE", "TRUNCATE",
    }
)  # fmt: skip

#: Procedures a console query may CALL: schema introspection only (both dialects).
ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {
        "show_tables", "table_info", "show_connection", "db.labels",
        "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    }
)  # fmt: skip

_TOKEN = re.compile(
    r"""
    (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[^\W\d][\w]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _words(query: str) -> list[tuple[str, str, str]]:
    """(previous significant character, word, rest) for every bare word of the query."""
    out: list[tuple[str, str, str]] = []
    prev = ""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("line_comment", "block_comment"):
            continue
        if kind == "word":
            out.append((prev, m.group(), query[m.end() :]))
            prev = "w"
        elif kind in ("string", "quoted"):
            prev = "v"
        elif kind == "other" and not m.group().isspace():
            prev = m.group()
    return out


def check_read_only(query: str) -> None:
    """Refuse ``query`` if it could write or administer; return silently otherwise.

    >>> check_read_only("MATCH (c:Challenge) RETURN c.name // CREATE is only a comment")
    >>> check_read_only("match (n) detach delete n")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: DETACH is not allowed: the console is read-only
    """
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    folded = unicodedata.normalize("NFKC", query)
    for prev, word, rest in _words(folded):
        if prev in (".", "$", ":"):
            continue  # a property key, parameter or label, not a clause
        upper = word.upper()
        if upper in WRITE_KEYWORDS:
            raise QueryRefused(f"{upper} is not allowed: the console is read-only")
        if upper == "CALL":
            m = re.match(r"\s*([\w.]+)", rest)
            if m is None:
                continue  # CALL { subquery }: its words are checked like any other
            proc = m.group(1).lower()
            if proc not in ALLOWED_PROCEDURES:
                raise QueryRefused(
                    f"CALL {m.group(1)} is not allowed: the console may call only "
                    f"schema procedures ({', '.join(sorted(ALLOWED_PROCEDURES))})"
                )
