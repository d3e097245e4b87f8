"""Boundary tests for the rewrites that replaced refusals: startNode/endNode, keys(),
label expressions with !, & and %, type() of a missing relationship, percentiles.

Each expected answer is Neo4j's, computed here in Python (or over the snapshot), never by
the engine under test; where the layer cannot be sure, it must refuse by name.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.console.compat import DOCS, NotHere
from graph.store.base import Store
from tests.cypher_corpus.corpus import neo4j_keys, percentile_cont, percentile_disc
from tests.cypher_corpus.oracle import edges, nodes

#: Values and percentiles around the rank boundaries (one value, ties, exact ranks).
PERCENTILES: list[tuple[list[Any], float]] = [
    ([7], 0.0), ([7], 0.5), ([7], 1.0),
    ([1, 2], 0.5), ([1, 2, 3, 4], 0.25), ([1, 2, 3, 4], 0.26), ([1, 2, 3, 4], 0.75),
    ([4, 1, 3, 2], 0.33), ([10, 20, 35, 50], 0.9), ([5, 5, 5, 9], 0.5),
    ([1.5, 2.5, -1.0], 0.5), ([1.5, 2.5, -1.0], 0.1), ([3, 1, 2], 1.0),
]  # fmt: skip


@pytest.mark.parametrize(("values", "p"), PERCENTILES)
def test_percentiles_rank_and_interpolate_as_neo4j_does(
    shared_store: Store, values: list[Any], p: float
) -> None:
    query = f"UNWIND {values!r} AS x RETURN percentileCont(x, {p}), percentileDisc(x, {p})"
    [[cont, disc]] = shared_store.query(query).rows
    assert cont == pytest.approx(percentile_cont(values, p))
    assert disc == percentile_disc(values, p)


def test_percentiles_leave_out_nulls_and_are_null_over_nothing(shared_store: Store) -> None:
    query = "UNWIND [3, null, 1] AS x RETURN percentileCont(x, 0.5), percentileDisc(x, 0.5)"
    assert shared_store.query(query).rows == [[2.0, 1]]
    none = "MATCH (t:Theme {name: 'none'}) RETURN percentileDisc(t.listed_order, 0.5)"
    assert shared_store.query(none).rows == [[None]]


def test_start_and_end_node_follow_the_stored_direction(shared_store: Store) -> None:
    rows = shared_store.query(
        "MATCH (t:Theme)<-[r:IN_THEME]-(c) RETURN startNode(r).id, endNode(r).id, c.id, t.id"
    ).rows
    assert sorted(rows) == sorted(
        [u, v, u, v] for u, v, _ in edges(shared_store.snapshot(), "IN_THEME")
    )


def test_start_node_of_a_missing_relationship_is_null(shared_store: Store) -> None:
    query = (
        "MATCH (p:Partner) OPTIONAL MATCH (p)-[r:FUNDS]->(f) "
        "RETURN startNode(r) IS NULL AS missing, endNode(r) = f AS same, count(*) AS n"
    )
    g = shared_store.snapshot()
    funds = len(edges(g, "FUNDS"))
    funders = len({u for u, _, _ in edges(g, "FUNDS")})
    want = [[True, None, len(nodes(g, "Partner")) - funders], [False, True, funds]]
    assert sorted(shared_store.query(query).rows, key=repr) == sorted(want, key=repr)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a)-[r:MEMBER_OF]-(b) RETURN startNode(r)",  # undirected: the engine's end varies
        "MATCH (a)<-[r:MEMBER_OF]->(b) RETURN endNode(r)",  # either way: undirected too
        "MATCH (a)-[r:MEMBER_OF]->(b) WITH r AS x RETURN endNode(x)",  # bound again
        "RETURN startNode(null)",  # the engine's start_node(NULL) crashes the process
        "MATCH p = (a)-[:MEMBER_OF]->(b) RETURN startNode(relationships(p)[0])",
        "MATCH (t) RETURN keys(t)",  # no label: which properties?
        "MATCH (t:Theme) WITH t AS x RETURN keys(x)",
        "MATCH (n:Theme|Challenge) RETURN keys(n)",
        "MATCH (n:Theme|Challenge:Partner) RETURN n",  # Neo4j refuses the mix too
    ],
)
def test_what_the_layer_cannot_be_sure_of_is_refused_by_name(
    shared_store: Store, query: str
) -> None:
    with pytest.raises(NotHere) as info:
        shared_store.query(query)
    assert DOCS in str(info.value)


def test_keys_lists_only_the_properties_that_are_set(shared_store: Store) -> None:
    g = shared_store.snapshot()
    rows = shared_store.query("MATCH (c:Challenge) RETURN c.id, keys(c)").rows
    assert {r[0]: sorted(r[1]) for r in rows} == {
        n["id"]: sorted(neo4j_keys(n)) for n in nodes(g, "Challenge")
    }
    assert any(len(neo4j_keys(n)) < 11 for n in nodes(g, "Challenge")), "some have empty ones"
    rels = shared_store.query("MATCH (p)-[r:ABOUT]->(x) RETURN p.id, x.id, keys(r)").rows
    assert sorted((u, v, sorted(k)) for u, v, k in rels) == sorted(
        (u, v, sorted(neo4j_keys(d))) for u, v, d in edges(g, "ABOUT")
    )
    none = "OPTIONAL MATCH (t:Theme {name: 'none'}) RETURN keys(t)"
    assert shared_store.query(none).rows == [[None]]


#: (label test on a Theme, what Neo4j answers): precedence is ! then & then |.
LABEL_TESTS = [
    ("t:Theme", True), ("t:!Theme", False), ("t:%", True), ("t:!%", False),
    ("t:Partner|Theme&Challenge", False), ("t:(Partner|Theme)&!Challenge", True),
    ("t:!Partner&!Challenge", True), ("t:Theme:Theme", True), ("t:Theme&Partner", False),
    ("t:!(Theme|Partner)", False), ("t:Challenge|!Partner", True),
]  # fmt: skip


@pytest.mark.parametrize(("test", "neo4j"), LABEL_TESTS)
def test_label_expressions_keep_neo4js_precedence(
    shared_store: Store, test: str, neo4j: bool
) -> None:
    assert shared_store.query(f"MATCH (t:Theme) RETURN DISTINCT {test}").rows == [[neo4j]]
    pattern = f"MATCH ({test}) RETURN count(*)"
    themes = len(nodes(shared_store.snapshot(), "Theme"))
    got = shared_store.query(pattern.replace("(t:", "(t:Theme) MATCH (t:", 1)).rows
    assert got == [[themes if neo4j else 0]]


def test_label_tests_and_type_of_a_missing_value_are_null(shared_store: Store) -> None:
    query = (
        "OPTIONAL MATCH (t:Theme {name: 'none'})-[r]->() "
        "RETURN t:Theme, t:!Theme, t:%, type(r), labels(t)"
    )
    assert shared_store.query(query).rows == [[None] * 5]
