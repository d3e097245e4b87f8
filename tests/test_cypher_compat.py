"""The Neo4j-compatibility layer itself: what it rewrites, what it refuses, what it says."""

from __future__ import annotations

import pytest

from graph.console.compat import DOCS, NotHere, explain, translate
from graph.console.readonly import checked_text
from graph.errors import QueryError, QueryRefused
from graph.settings import Settings
from graph.store.base import Store
from graph.store.neo4j_store import Neo4jStore


def test_a_query_that_means_the_same_runs_as_written() -> None:
    query = "MATCH (c:Challenge)-[:IN_THEME]->(t:Theme) RETURN t.name, count(c) // per theme"
    assert translate(query, {}).rewritten_from is None
    assert translate(query, {}).text == checked_text(query)  # the canonical text, unchanged


def test_a_rewritten_query_keeps_what_the_user_wrote(shared_store: Store) -> None:
    query = "MATCH (n:Theme) RETURN labels(n)[0] AS kind LIMIT 1"
    result = shared_store.query(query)
    assert result.rows == [["Theme"]]
    assert result.rewritten_from == query
    assert shared_store.query("RETURN 1 AS one").rewritten_from is None


def test_strings_and_names_are_never_rewritten() -> None:
    text = translate("RETURN 'labels(n)[0] type(r)' AS `labels(x)[0]`", {}).text
    assert text == "RETURN 'labels(n)[0] type(r)' AS `labels(x)[0]`"


def test_relationship_uniqueness_is_added_only_where_types_can_overlap() -> None:
    same = translate("MATCH (a)-[:MEMBER_OF]->(t)<-[:MEMBER_OF]-(b) RETURN a, b", {}).text
    assert "<>" in same
    other = translate("MATCH (a)-[:MEMBER_OF]->(t)-[:WORKS_ON]->(f) RETURN a, f", {}).text
    assert other == "MATCH (a)-[:MEMBER_OF]->(t)-[:WORKS_ON]->(f) RETURN a, f"


def test_a_missing_parameter_is_an_error_not_null(shared_store: Store) -> None:
    with pytest.raises(QueryError, match=r"\$pid") as info:
        shared_store.query("MATCH (p:Partner {id: $pid}) RETURN p.name")
    assert DOCS in str(info.value)


@pytest.mark.parametrize(
    ("query", "construct", "working_form"),
    [
        ("MATCH (t:Theme) CALL { WITH t RETURN 1 AS x } RETURN x", "CALL { }", "OPTIONAL MATCH"),
        ("MATCH (n) RETURN elementId(n)", "elementId()", "n.id"),
        ("MATCH (n) RETURN keys(n)", "keys()", "name the properties"),
        ("MATCH (p:Partner) RETURN size((p)-->())", "size((pattern))", "COUNT {"),
        ("MATCH (a)-[*]->(b) RETURN a", "unbounded variable-length", "[*1..5]"),
        ("MATCH (t:Theme) RETURN t {.*}", "map projection", "n{.name"),
        ("RETURN toInteger($x)", "toInteger()", "floor"),
    ],
)
def test_a_refusal_names_the_neo4j_construct_and_the_form_that_works(
    shared_store: Store, query: str, construct: str, working_form: str
) -> None:
    params = {"x": None} if "$x" in query else {}
    with pytest.raises(QueryRefused) as info:
        shared_store.query(query.replace("$x", "p.sector") if params else query)
    message = str(info.value)
    assert construct in message and working_form in message and DOCS in message
    assert isinstance(info.value, NotHere)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("RETURN nosuchfunction(1)", "does not exist"),
        ("MATCH (n:Nothing) RETURN n", "no node label or relationship type Nothing"),
        ("MATCH (n:Theme) RETURN n.nothing", "has no property nothing"),
        ("RETURN [1, 2][5]", "outside the list"),
        ("MATCH (n:Theme) RETURN n LIMT 1", "cannot read the query"),
    ],
)
def test_engine_errors_read_as_plain_sentences_with_the_guide(
    shared_store: Store, query: str, says: str
) -> None:
    with pytest.raises(QueryError) as info:
        shared_store.query(query)
    assert says in str(info.value) and DOCS in str(info.value)


@pytest.mark.parametrize("query", ["MATCH (n:Theme RETURN n", "RETURN [1, 2", "RETURN 1)"])
def test_unpaired_brackets_are_named_before_anything_runs(shared_store: Store, query: str) -> None:
    with pytest.raises(QueryError, match=r"bracket|closes nothing"):
        shared_store.query(query)


def test_explain_keeps_the_engines_words_for_the_record() -> None:
    text = explain("Runtime exception: Divide by zero.")
    assert "division by zero" in text and "Divide by zero" in text


def test_the_neo4j_store_runs_neo4js_cypher_as_written() -> None:
    store = Neo4jStore(Settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1"))
    query = "MATCH (n) RETURN labels(n)[0], substring(n.name, 0, 3)"
    assert store._rewrite(query, {}) is None
