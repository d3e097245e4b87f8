"""The console's canned example queries: each runs on the embedded store and answers."""

from __future__ import annotations

import pytest

from graph.console.examples import EXAMPLES, Audience, example, example_text
from graph.console.readonly import check_read_only
from graph.store.base import Store
from graph.store.cypher import Dialect


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_answers_on_the_embedded_store(shared_store: Store, ex: object) -> None:
    from graph.console.examples import Example

    assert isinstance(ex, Example)
    result = shared_store.query(ex.text(shared_store.backend), dict(ex.params))
    assert result.rows, f"{ex.slug} gave no rows on the bundled dataset"
    assert not result.truncated


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_both_texts_of_each_example_pass_the_read_only_check(ex: object) -> None:
    from graph.console.examples import Example

    assert isinstance(ex, Example)
    check_read_only(ex.text(Dialect.EMBEDDED))
    check_read_only(ex.text(Dialect.NEO4J))


def test_exactly_these_examples_are_per_dialect() -> None:
    per_dialect = {e.slug for e in EXAMPLES if e.per_dialect}
    assert per_dialect == {"paths-partner-to-catalyst", "nodes-per-label", "inferred-links"}
    for ex in EXAMPLES:
        if not ex.per_dialect:
            assert ex.text("neo4j") == ex.text("embedded")
        else:
            assert ex.text("neo4j") != ex.text("embedded")


def test_every_user_group_has_examples() -> None:
    assert {e.audience for e in EXAMPLES} == set(Audience)
    slugs = [e.slug for e in EXAMPLES]
    assert len(slugs) == len(set(slugs))


def test_parameters_bind_as_values_not_text(shared_store: Store) -> None:
    ex = example("challenges-in-a-theme")
    hostile = {"theme": "Professional Growth' OR 1=1 //"}
    assert shared_store.query(ex.cypher, hostile).rows == []
    assert shared_store.query(ex.cypher, dict(ex.params)).rows


def test_the_path_example_returns_a_path_ending_at_the_catalyst(shared_store: Store) -> None:
    ex = example("paths-partner-to-catalyst")
    result = shared_store.query(ex.text("embedded"), dict(ex.params))
    path, hops = result.rows[0]
    assert hops == len(path["relationships"]) >= 1
    ends = {path["nodes"][0]["id"], path["nodes"][-1]["id"]}
    assert ends == {ex.params["partner"], ex.params["catalyst"]}
    # Relationships carry the ids of their ends, so a front end can draw the path.
    ids = {n["id"] for n in path["nodes"]}
    assert all({r["source"], r["target"]} <= ids for r in path["relationships"])


def test_the_nodes_per_label_example_counts_what_the_store_reports(shared_store: Store) -> None:
    result = shared_store.query(example_text("nodes-per-label", "embedded"))
    counts = shared_store.info().counts
    assert {label: n for label, n in result.rows} == {
        k: v for k, v in counts.items() if k[0].isupper() and not k.isupper() and v
    }
