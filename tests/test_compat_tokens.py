"""The compatibility layer reads the console's one token stream, and hands on one text.

User text -> :mod:`graph.console.lexer` -> the layer's rewrites -> canonical text -> the
read-only check reads that string -> the engine runs that string. Texts that two lexers
could split differently (comments with stars, a lone CR in a ``//`` comment, escapes,
Unicode white space) are either refused or run with the meaning Neo4j's parser gives them.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.console import compat
from graph.console.compat import translate
from graph.console.compat.tokens import join, lex
from graph.console.lexer import TokenKind, canonical_text, significant, tokenize
from graph.console.readonly import checked_text
from graph.errors import QueryError, QueryRefused
from graph.settings import Settings
from graph.store.base import Store
from graph.store.neo4j_store import Neo4jStore
from tests.cypher_corpus.compare import same_answer
from tests.cypher_corpus.corpus import CORPUS
from tests.cypher_corpus.oracle import nodes

KINDS = "RETURN labels(t)[0] AS k, count(*) AS n"
#: The corpus queries that run, each with more than one token gap to fill with noise.
ANSWERED = [c for c in CORPUS if c.expect is not None and " " in c.query]


def test_the_layers_tokens_are_the_console_lexers() -> None:
    text = "MATCH (a)-->(b)<-[r:X]-(c) /* * */ WHERE a.x<-1 RETURN 'a\\'b' AS `q``q`, $p"
    tokens = lex(text)
    arrows = [t.text for t in tokens if t.kind == "op"][:8]
    assert arrows == ["(", ")", "-", "->", "(", ")", "<-", "["]
    assert "".join(t.text for t in tokens) == "".join(t.text for t in significant(tokenize(text)))
    assert join(tokens) == canonical_text(tokenize(text))
    assert [t.kind for t in tokens if t.text in ("'a\\'b'", "`q``q`", "$p")] == [
        "string",
        "quoted",
        "param",
    ]


_PIECES = st.sampled_from(
    ["MATCH", " (a)", "-", "<", ">", "[r]", "(b)", " ", "/*", "*", "*/", "//", "\n", "\r\n",
     "'x'", "'\\''", "\u3000", "\u2028", "RETURN", " 1", " AS y", "$p", "`n`", ".."]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_layer_reads_any_text_exactly_as_the_check_does(text: str) -> None:
    try:
        tokens = lex(text)
    except QueryRefused:
        return  # refusing is always safe
    every = tokenize(text)  # what the layer accepts, the console's lexer reads
    assert "".join(t.text for t in tokens) == "".join(t.text for t in significant(every))
    assert join(tokens) == canonical_text(every)


def test_no_regular_expression_reads_query_text_in_the_layer() -> None:
    # messages.py matches the engine's error messages, never the query.
    for path in Path(compat.__file__).parent.glob("*.py"):
        imports = {
            alias.name
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "re" not in imports or path.name == "messages.py", path.name


@pytest.mark.parametrize("case", CORPUS, ids=[f"{i:03d}" for i in range(len(CORPUS))])
def test_the_layers_text_is_what_the_check_reads(case: Any) -> None:
    try:
        translation = translate(case.query, case.params)
    except QueryError:
        return
    assert checked_text(translation.text) == translation.text
    assert (translation.rewritten_from is None) == (translation.text == checked_text(case.query))


_NOISE = [" ", "\u3000", "\u00a0", " /* a * b */ ", "\t", " // note\r\n", "\u2028", "/**/"]


def _noisy(query: str, seed: int) -> str:
    """``query`` with each run of white space replaced by other white space or a comment."""
    pick = random.Random(seed)
    return "".join(
        pick.choice(_NOISE) if t.kind is TokenKind.SPACE else t.text for t in tokenize(query)
    )


@pytest.mark.parametrize("case", ANSWERED, ids=[c.query[:40] for c in ANSWERED])
def test_comments_and_white_space_change_no_answer(shared_store: Store, case: Any) -> None:
    noisy = _noisy(case.query, len(case.query))
    assert noisy != case.query
    result = shared_store.query(noisy, case.params)
    assert same_answer(case, result.rows, case.expect(shared_store.snapshot())), noisy


REWRITTEN_WITH_NOISE = [
    "MATCH (t:Theme) /* themes */ RETURN labels(t)[0] AS k, count(*) AS n // by kind",
    "MATCH\u3000(t:Theme)\u00a0RETURN\u2028labels(t)[0] AS k,\u2003count(*) AS n",
    "MATCH (t:Theme) // a line\r\nRETURN labels(t)[0] AS k, count(*) AS n;",
    "MATCH (t:Theme)\tWHERE t.name <> '/* no */ // x' RETURN labels(t)[0] AS k, count(*) AS n",
]


@pytest.mark.parametrize("query", REWRITTEN_WITH_NOISE)
def test_the_check_and_the_engine_read_the_same_string_after_a_rewrite(
    shared_store: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    checked: list[str] = []
    ran: list[str] = []
    real_check, real_run = checked_text, shared_store._run_read

    def check(text: str) -> str:
        checked.append(real_check(text))
        return checked[-1]

    def run(text: str, *args: Any) -> Any:
        ran.append(text)
        return real_run(text, *args)

    monkeypatch.setattr("graph.store.base.checked_text", check)
    monkeypatch.setattr(shared_store, "_run_read", run)
    result = shared_store.query(query)
    assert result.rewritten_from == query
    assert ran == [checked[-1]] and "label(t)" in ran[0]
    assert checked_text(ran[0]) == ran[0]  # canonical: no comment, one ASCII space per gap
    themes = len(nodes(shared_store.snapshot(), "Theme"))
    assert result.rows == [["Theme", themes]]


#: Texts two lexers could split differently: (text, whether it runs; where it runs it
#: means what Neo4j's own parser reads, checked with tools/cypher-lint).
SPLIT_DIFFERENTLY: list[tuple[str, bool]] = [
    # Neo4j ends a block comment at the first */; the engine pairs the stars and reads
    # on to the next */, so Neo4j would return three columns and the engine two.
    (f"MATCH (t:Theme) {KINDS} /* **/ , 1 AS one /* */", False),
    # Unclosed for the engine (its stars pair up), closed for Neo4j.
    (f"MATCH (t:Theme) /* a * b **/ {KINDS}", False),
    (f"MATCH (t:Theme) /* a * b */ {KINDS}", True),
    # A lone CR ends a // comment for Neo4j, not for the engine.
    (f"MATCH (t:Theme) // note\r {KINDS}", False),
    (f"MATCH (t:Theme) // note\r\n {KINDS}", True),
    # Escapes: \x41 and upper-case \N are the engine's only.
    (f"MATCH (t:Theme) WHERE t.name <> 'a\\'b\\\\' {KINDS}", True),
    (f"MATCH (t:Theme) WHERE t.name <> '\\u0041' {KINDS}", True),
    (f"MATCH (t:Theme) WHERE t.name <> '\\x41' {KINDS}", False),
    (f"MATCH (t:Theme) WHERE t.name <> '\\N' {KINDS}", False),
    # White space: U+180E and NEL are white space to one reader only.
    (f"MATCH (t:Theme)\u2029\u202f{KINDS}", True),
    (f"MATCH (t:Theme)\u180e{KINDS}", False),
    (f"MATCH (t:Theme)\x85{KINDS}", False),
    # Unicode dashes draw relationships in both, but the layer would not see them.
    ("MATCH (a:Partner)\u2013[:MEMBER_OF]\u2013>(t)<-[:MEMBER_OF]-(b) RETURN count(*)", False),
]


@pytest.mark.parametrize(("query", "runs"), SPLIT_DIFFERENTLY)
def test_texts_split_differently_are_refused_or_mean_what_neo4j_reads(
    shared_store: Store, query: str, runs: bool
) -> None:
    if not runs:
        with pytest.raises(QueryRefused):
            shared_store.query(query)
        return
    themes = len(nodes(shared_store.snapshot(), "Theme"))
    assert shared_store.query(query).rows == [["Theme", themes]]


@pytest.mark.parametrize("query", ["RETURN 1 AS x /* **/ , 2 AS y /* */", "RETURN\u180e1 AS x"])
def test_neo4j_is_never_sent_the_engines_reading_of_a_text_it_cuts_otherwise(query: str) -> None:
    # The console sends Neo4j the canonical text, which keeps the engine's reading: Neo4j
    # would read two columns (or a syntax error) where that text has one.
    store = Neo4jStore(Settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1"))
    with pytest.raises(QueryRefused, match="Neo4j"):
        store.query(query)


def test_a_minus_after_less_than_compares(shared_store: Store) -> None:
    assert shared_store.query("RETURN 2<-1 AS a, -2<-1 AS b").rows == [[False, True]]
