"""The console's first layer: an allow-list over the one token stream the engine will run.

:func:`checked_text` reads the query once with :mod:`graph.console.lexer` (the engine's
own lexical rules; anything it cannot read with certainty is refused), checks the tokens,
and returns the *canonical text* rebuilt from them (comments removed, white space
normalised). That text, and never the raw input, is what the store sends to the engine,
so the check and the engine read the same statement.

What may run (an allow-list, not a deny-list):

* one statement (a trailing ``;`` is dropped; anything after a ``;`` is refused);
* a read query: it starts with ``MATCH``, ``OPTIONAL MATCH``, ``UNWIND``, ``WITH``,
  ``RETURN`` or ``CALL``, and its clauses are reading clauses only (``MATCH``, ``OPTIONAL
  MATCH``, ``UNWIND``, ``WITH``, ``RETURN``, ``UNION``, ``CALL``);
* ``CALL`` only of a table function or procedure on :data:`ALLOWED_PROCEDURES` (schema
  introspection), never ``CALL name = value`` (a setting), never a file-reading function.

Every other clause keyword of the engine's grammar, and the Neo4j dialect's writing and
administrative words, is refused with a message naming the clause (``LOAD FROM``,
``COPY``, ``INSTALL``, ``CHECKPOINT``, ``BEGIN TRANSACTION``, ``CREATE``...), unless the
grammar can only read it as a name there: a property key (``n.set``), a map key
(``{delete: 1}``), a variable before a label or key (``copy:Theme``, ``copy.name``), a
label (``:COPY``), an alias (``AS load``), a lone variable in parentheses (``(load)``),
or a back-tick quoted name. Words inside strings and comments
are never code. A namespaced call into a procedure library (``apoc.cypher.run...``) is
refused too.

This is one layer: the engine then runs the text in a worker process that can write
nowhere and read only its own copy of the graph (:mod:`graph.console.sandbox`), under a
memory, time and size limit.
"""

from __future__ import annotations

from graph.console.lexer import KEYWORDS, Token, TokenKind, canonical
from graph.errors import QueryRefused

__all__ = ["ALLOWED_PROCEDURES", "READ_CLAUSES", "check_read_only", "checked_text"]

#: Table functions and procedures a console query may CALL: schema introspection only.
#: The embedded engine's first, then Neo4j's (names compared in lower case).
ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {
        "show_tables", "table_info", "show_connection", "db_version", "show_functions",
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    }
)  # fmt: skip

#: The clauses a console query may use.
READ_CLAUSES: frozenset[str] = frozenset(
    {"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "UNION", "CALL"}
)

#: Words that start a clause or a statement in the engine's grammar and are not read
#: clauses: refused wherever they are not a name.
_CLAUSE_KEYWORDS: frozenset[str] = frozenset(
    {
        "LOAD", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "COPY", "EXPORT", "IMPORT",
        "ATTACH", "USE", "INSTALL", "FORCE", "UNINSTALL", "UPDATE", "BEGIN", "COMMIT",
        "ROLLBACK", "COMMIT_SKIP_CHECKPOINT", "ROLLBACK_SKIP_CHECKPOINT", "CHECKPOINT",
        "DROP", "ALTER", "COMMENT", "EXPLAIN", "PROFILE", "RENAME", "ADD", "TRANSACTION", "ANALYZE",
    }
)  # fmt: skip
assert _CLAUSE_KEYWORDS <= KEYWORDS

#: The Neo4j dialect's writing and administrative words (not keywords to the embedded
#: engine, where they are plain names).
_NEO4J_CLAUSES: frozenset[str] = frozenset(
    {
        "REMOVE", "FOREACH", "SHOW", "TERMINATE", "GRANT", "REVOKE", "DENY", "INSERT",
        "ENABLE", "DISABLE", "TRANSACTIONS", "NODETACH", "UPSERT", "TRUNCATE", "START",
        "STOP",
    }
)  # fmt: skip

#: Namespaces of procedure libraries whose functions are refused too (they can run Cypher
#: given as a string, reach files or the network, or administer the server).
_REFUSED_FUNCTION_ROOTS: frozenset[str] = frozenset({"apoc", "dbms", "gds", "genai", "tx"})

_STARTS = "MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN or CALL"


def _refuse(clause: str) -> QueryRefused:
    return QueryRefused(f"{clause} is not allowed: the console is read-only")


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def _is_name_position(tokens: list[Token], i: int) -> bool:
    """Whether the grammar can only read the word at ``i`` as a name, never as a clause."""
    prev, nxt = _at(tokens, i - 1), _at(tokens, i + 1)
    if prev is not None and prev.is_punct(".", ":"):
        return True  # property key, label or relationship type
    if prev is not None and prev.keyword == "AS":
        return True  # an alias or a type (RETURN n AS load, CAST(x AS STRING))
    if nxt is not None and nxt.is_punct(":", "."):
        return True  # a map key, a variable before its label or a property lookup
    return (
        prev is not None and prev.is_punct("(") and nxt is not None and nxt.is_punct(")")
    )  # a lone variable in parentheses: (load)


def _clause_name(tokens: list[Token], i: int, word: str) -> str:
    """The refused clause as the message names it (``LOAD FROM``, ``DETACH DELETE``...)."""
    nxt = _at(tokens, i + 1)
    after = nxt.text.upper() if nxt is not None and nxt.kind is TokenKind.WORD else ""
    prev = _at(tokens, i - 1)
    if word == "LOAD":
        return {"FROM": "LOAD FROM", "WITH": "LOAD WITH HEADERS", "CSV": "LOAD CSV"}.get(
            after, "LOAD EXTENSION"
        )
    phrases = {
        ("DETACH", "DELETE"): "DETACH DELETE",
        ("NODETACH", "DELETE"): "NODETACH DELETE",
        ("EXPORT", "DATABASE"): "EXPORT DATABASE",
        ("IMPORT", "DATABASE"): "IMPORT DATABASE",
        ("BEGIN", "TRANSACTION"): "BEGIN TRANSACTION",
        ("FORCE", "INSTALL"): "INSTALL",
        ("COMMENT", "ON"): "COMMENT ON",
    }
    if word == "TRANSACTIONS" and prev is not None and prev.keyword == "IN":
        return "CALL { } IN TRANSACTIONS"
    return phrases.get((word, after), word)


def _dotted_name(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """Read ``a.b.`c``` from ``i``: the joined lower-case name and the index after it."""
    parts: list[str] = []
    while (tok := _at(tokens, i)) is not None and (part := tok.name) is not None:
        parts.append(part.lower())
        dot = _at(tokens, i + 1)
        if dot is not None and dot.is_punct("."):
            i += 2
            continue
        i += 1
        break
    return (".".join(parts) if parts else None), i


def _check_call(tokens: list[Token], i: int) -> None:
    """The ``CALL`` at ``i`` must call an allowed function (or open a Neo4j subquery)."""
    nxt = _at(tokens, i + 1)
    if nxt is not None and nxt.is_punct("{"):
        return  # CALL { subquery } (Neo4j): its words are checked like any other
    name, after = _dotted_name(tokens, i + 1)
    if name is None:
        raise QueryRefused("CALL needs the name of a schema function, e.g. CALL show_tables()")
    follow = _at(tokens, after)
    if follow is not None and follow.is_punct("="):
        raise QueryRefused(
            f"CALL {name} = ... (changing a setting) is not allowed: the console is read-only"
        )
    if name not in ALLOWED_PROCEDURES:
        raise QueryRefused(
            f"CALL {name} is not allowed: the console is read-only and may call only "
            f"schema functions ({', '.join(sorted(ALLOWED_PROCEDURES))})"
        )


def _check_function(tokens: list[Token], i: int) -> None:
    """Refuse a namespaced call into a procedure library (``apoc.cypher.run(...)``)."""
    name, after = _dotted_name(tokens, i)
    follow = _at(tokens, after)
    if name is None or follow is None or not follow.is_punct("("):
        return
    parts = name.split(".")
    if len(parts) > 1 and parts[0] in _REFUSED_FUNCTION_ROOTS:
        raise QueryRefused(
            f"{name}() is not allowed: the console does not call procedure-library functions"
        )


def _check_tokens(tokens: list[Token]) -> None:
    for i, tok in enumerate(tokens):
        if tok.kind not in (TokenKind.WORD, TokenKind.NAME):
            continue
        prev = _at(tokens, i - 1)
        if prev is None or not prev.is_punct("."):
            _check_function(tokens, i)
        if tok.kind is not TokenKind.WORD or _is_name_position(tokens, i):
            continue
        word = tok.text.upper()
        if word in _CLAUSE_KEYWORDS or word in _NEO4J_CLAUSES:
            raise _refuse(_clause_name(tokens, i, word))
        if word == "CALL":
            _check_call(tokens, i)


def checked_text(query: str) -> str:
    """Check ``query`` and return the canonical text the engine must run instead of it.

    Raises :class:`QueryRefused` (naming the clause) for anything but one read query.

    >>> checked_text("MATCH (c:Challenge) /* CREATE? no */ RETURN c.name // done")
    'MATCH (c:Challenge) RETURN c.name'
    >>> checked_text("/* **/ ' */ LOAD FROM '/etc/passwd' RETURN * //'")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: LOAD FROM is not allowed: the console is read-only
    """
    if not isinstance(query, str) or not query.strip():
        raise QueryRefused("the query is empty")
    tokens, text = canonical(query)
    if tokens and tokens[-1].is_punct(";"):
        tokens = tokens[:-1]
        text = text[: text.rfind(";")].rstrip()
    if not tokens:
        raise QueryRefused("the query is empty")
    _check_tokens(tokens)
    if any(t.is_punct(";") for t in tokens):
        raise QueryRefused("run one statement at a time: remove the ';' between statements")
    first = tokens[0]
    if first.kind is not TokenKind.WORD or first.text.upper() not in READ_CLAUSES - {"UNION"}:
        if first.keyword is not None:
            raise _refuse(_clause_name(tokens, 0, first.text.upper()))
        raise QueryRefused(f"a console query starts with {_STARTS}, not {first.text[:40]!r}")
    return text


def check_read_only(query: str) -> None:
    """Refuse ``query`` unless it is one read query (see :func:`checked_text`).

    >>> check_read_only("match (n) detach delete n")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: DETACH DELETE is not allowed: the console is read-only
    """
    checked_text(query)
