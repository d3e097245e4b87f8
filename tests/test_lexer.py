"""The console's tokenizer reads a query exactly as the engine does (graph.console.lexer).

Every property is checked against the real engine (an in-memory ladybug database): its
white space is the engine's, character for character; what the tokenizer accepts runs the
same raw and canonical; what it refuses as uncertain, the engine cannot parse either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ladybug
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.console.lexer import (
    KEYWORDS,
    WHITESPACE,
    LexError,
    TokenKind,
    canonical,
    canonical_text,
    significant,
    tokenize,
)
from graph.console.readonly import _CLAUSE_KEYWORDS, READ_CLAUSES


@pytest.fixture(scope="module")
def engine() -> Iterator[ladybug.Connection]:
    db = ladybug.Database(":memory:")
    conn = ladybug.Connection(db)
    yield conn
    conn.close()
    db.close()


def run(conn: ladybug.Connection, text: str) -> tuple[str, Any]:
    """The engine's answer to ``text``: ("ok", rows) or ("error", None)."""
    try:
        result = conn.execute(text)
    except RuntimeError:
        return "error", None
    assert not isinstance(result, list)
    return "ok", result.get_all()


def test_white_space_is_exactly_the_engines(engine: ladybug.Connection) -> None:
    differ = []
    for cp in [*range(1, 0x3100), *range(0xFE00, 0x10000)]:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if (run(engine, f"RETURN{ch}1")[0] == "ok") != (ch in WHITESPACE):
            differ.append(f"U+{cp:04X}")
    assert differ == []


#: Texts where a naive reader and the engine disagree. Each is either read with
#: certainty (and then runs the same raw and canonical) or refused, and then the engine
#: cannot parse it either.
TRICKY = [
    "RETURN 1 /* **/ AS x */",
    "RETURN 1 /* ****/ AS x */ AS y",
    "RETURN 1 /***/ AS x */",
    "RETURN 1 /**/ AS x",
    "RETURN 1 /*/ AS y /*/ AS x",
    "RETURN 1 /* a */ AS x /* b */",
    "RETURN 1 // x\r\n AS x",
    "RETURN 1 // x\r AS x",
    "RETURN 1 // x\u2028 AS x",
    "RETURN 1 // x",
    "RETURN 4//2\n AS x",
    "RETURN 'a\\'b' AS x",
    'RETURN "a\\"b" AS x',
    "RETURN 'a''b' AS x",
    "RETURN '\\x41\\u0042\\U00000043' AS x",
    "RETURN '\\q' AS x",
    "RETURN '\\u12' AS x",
    "RETURN 'unclosed AS x",
    "RETURN 1 AS `a``b`",
    "RETURN 1 AS `a`",
    "RETURN 1 AS `open",
    "RETURN 1 AS a$b",
    "RETURN 1 # x",
    "RETURN 1\u3000AS\u00a0x",
    "RETURN 1\x1cAS x",
    "RETURN 1\x85AS x",
    "\ufeffRETURN 1",
    "RETURN 1.5e3 AS x, .5 AS y, 1..2 AS z",
    "RETURN [1,2][1..2] AS x",
    "RETURN 'a /* not a comment */ b' AS x",
    'RETURN "it\'s // not a comment" AS x',
]


@pytest.mark.parametrize("text", TRICKY)
def test_what_is_read_runs_the_same_raw_and_canonical(
    engine: ladybug.Connection, text: str
) -> None:
    try:
        _, canon = canonical(text)
    except LexError:
        if text.startswith("\ufeff"):
            return  # the engine skips a leading byte-order mark; refusing it is still safe
        assert run(engine, text)[0] == "error", "refused, but the engine parses it"
        return
    assert run(engine, canon) == run(engine, text)


_ALPHABET = st.sampled_from(
    [
        "RETURN",
        " 1",
        " AS",
        " x",
        "'",
        '"',
        "`",
        "\\",
        "/",
        "*",
        "\r",
        "\n",
        "\u2028",
        " ",
        "a",
        "\\'",
        "//",
        "/*",
        "*/",
        ",",
        "2",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=14).map("".join))
def test_random_texts_agree_with_the_engine(engine: ladybug.Connection, tail: str) -> None:
    text = "RETURN 1 AS y" + tail
    try:
        _, canon = canonical(text)
    except LexError:
        return  # refusing is always safe; agreement is checked where it reads
    assert run(engine, canon) == run(engine, text)


def test_every_statement_the_engine_can_start_is_classified(
    engine: ladybug.Connection,
) -> None:
    # The engine lists what may start a statement when a statement starts wrongly.
    status, _ = run(engine, "/ RETURN 1")
    assert status == "error"
    with pytest.raises(RuntimeError) as err:
        engine.execute("/ RETURN 1")
    starters = set(re.findall(r"\b[A-Z_]{2,}\b", str(err.value).split("expecting", 1)[1]))
    starters.discard("SP")
    assert starters, str(err.value)
    unclassified = starters - READ_CLAUSES - _CLAUSE_KEYWORDS
    assert unclassified == set()
    assert starters <= KEYWORDS


def test_tokens_carry_kind_text_and_position() -> None:
    tokens = tokenize("MATCH (n:`A b`) WHERE n.x = $p // c\nRETURN 'q'")
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["`A b`"] is TokenKind.NAME and kinds["$p"] is TokenKind.PARAM
    assert kinds["// c\n"] is TokenKind.COMMENT and kinds["'q'"] is TokenKind.STRING
    where = next(t for t in tokens if t.text == "WHERE")
    assert where.pos == 16 and where.keyword == "WHERE"
    assert "".join(t.text for t in tokens) == "MATCH (n:`A b`) WHERE n.x = $p // c\nRETURN 'q'"
    assert canonical_text(tokens) == "MATCH (n:`A b`) WHERE n.x = $p RETURN 'q'"
    assert [t.name for t in significant(tokens)][:4] == ["MATCH", None, "n", None]


@pytest.mark.parametrize("bad", ["RETURN '\ud800'", "RETURN 1\x00"])
def test_text_that_is_not_text_is_refused(bad: str) -> None:
    with pytest.raises(LexError, match="not text"):
        tokenize(bad)


def test_a_refusal_says_where(engine: ladybug.Connection) -> None:
    with pytest.raises(LexError, match=r"line 2, column 6"):
        tokenize("RETURN 1\nAS x /***/")
