"""The corpus of Neo4j-style read queries: Neo4j's answer on every backend, or a refusal.

Each query's expected answer is computed with networkx over the snapshot under Neo4j's
rules (``tests/cypher_corpus/oracle.py``), never by a Cypher engine. On the embedded store
the query goes through the compatibility layer: it must give that answer or be refused
with a message naming the Neo4j construct; a different answer fails. The same corpus runs
on Neo4j where ``NEO4J_URI`` is set.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from graph.console.compat import DOCS
from graph.errors import QueryError
from graph.store.base import Store
from tests.cypher_corpus.compare import rows_of, same_answer
from tests.cypher_corpus.corpus import CORPUS, Case

IDS = [f"{i:03d}" for i in range(len(CORPUS))]
NEO4J_SKIP = "NEO4J_URI is not set: the Neo4j backend needs a running server"


def outcome(store: Store, case: Case) -> str:
    """same, rewritten (same answer from a rewritten text), refused, different or error."""
    try:
        result = store.query(case.query, case.params)
    except QueryError as exc:  # refused before running, or the engine's error explained
        named = case.refuses is not None and case.refuses.lower() in str(exc).lower()
        return "refused" if named and DOCS in str(exc) else f"error: {exc}"
    if case.expect is None:
        return "ran (a refusal was expected)"
    if not same_answer(case, result.rows, case.expect(store.snapshot())):
        return "different"
    return "rewritten" if result.rewritten_from is not None else "same"


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_each_query_gives_neo4js_answer_or_a_refusal_naming_the_construct(
    shared_store: Store, case: Case
) -> None:
    got = outcome(shared_store, case)
    if case.refuses is not None:
        assert got == "refused", f"{case.query}: {got}"
        return
    assert case.expect is not None
    if got == "different":
        result = shared_store.query(case.query, case.params)
        want = rows_of(case, case.expect(shared_store.snapshot()))
        pytest.fail(f"{case.query}\n got {rows_of(case, result.rows)[:5]}\nwant {want[:5]}")
    assert got in ("same", "rewritten"), f"{case.query}: {got}"


def test_the_corpus_is_broad_and_mostly_answered(shared_store: Store) -> None:
    counts = Counter(outcome(shared_store, c).split(":")[0] for c in CORPUS)
    answered = counts["same"] + counts["rewritten"]
    assert len(CORPUS) >= 150
    assert counts["different"] == 0 and counts["error"] == 0
    assert answered >= 0.9 * len(CORPUS), counts
    assert counts["rewritten"] >= 40, "the layer is exercised, not bypassed"


def test_the_corpus_covers_every_area_the_issue_names() -> None:
    text = " ".join(c.query.upper() for c in CORPUS)
    for construct in (
        "OPTIONAL MATCH", "ORDER BY", "UNWIND", "CASE", " IN RANGE", "EXISTS {", "COUNT {",
        "CALL {", "*1..", "SHORTESTPATH", "NODES(P)", "SUBSTRING", "ROUND", "DATE(", "LABELS(",
        "TYPE(", "KEYS(", "PROPERTIES(", "{.NAME", "$", "UNION", "COLLECT(", "REDUCE(",
    ):  # fmt: skip
        assert construct in text, construct


needs_neo4j = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason=NEO4J_SKIP)


@pytest.fixture(scope="module")
def neo4j_store() -> Store:
    from graph.backends import open_store
    from graph.settings import BUNDLED_DATASET, load_settings
    from loaders import load

    store = open_store(load_settings({**os.environ, "GCX_BACKEND": "neo4j"}))
    load(BUNDLED_DATASET, store)
    return store


@needs_neo4j
@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_each_query_gives_the_same_answer_on_neo4j(neo4j_store: Store, case: Case) -> None:
    if case.expect is None:
        pytest.skip("refused on the embedded store: no oracle to compare Neo4j with")
    if case.reads_every_node:
        pytest.skip("counts unlabelled nodes: the Neo4j store holds one more (its info node)")
    result = neo4j_store.query(case.query, case.params)
    assert result.rewritten_from is None, "Neo4j runs Neo4j's Cypher as written"
    assert same_answer(case, result.rows, case.expect(neo4j_store.snapshot())), case.query
