"""The console's canned examples: written once in Neo4j Cypher, Neo4j's answer on both stores.

Each example's answer on the embedded store (through the compatibility layer) is compared
with one computed with networkx over the snapshot under Neo4j's rules; where
``NEO4J_URI`` is set, ``tests/test_neo4j_store.py`` runs the same text on Neo4j.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from graph.console.examples import EXAMPLES, Audience, Example, example
from graph.console.readonly import check_read_only
from graph.data import Snapshot
from graph.store.base import Store
from tests.cypher_corpus.compare import same_answer
from tests.cypher_corpus.corpus import Case
from tests.cypher_corpus.oracle import chain, edges, nodes, shortest

Rows = list[list[Any]]


def _name(g: Snapshot, i: str) -> Any:
    return g.nodes[i].get("name")


def _collaborators(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    path = ("Partner", ">MEMBER_OF", "ProjectTeam", ">WORKS_ON", "FocusArea", ">TARGETS",
            "Challenge")  # fmt: skip
    mine = {ids[3] for ids in chain(g, *path) if ids[0] == p["partner"]}
    shared: dict[str, set[str]] = {}
    for ids in chain(g, *path):
        if ids[3] in mine and ids[0] != p["partner"]:
            shared.setdefault(ids[0], set()).add(ids[3])
    rows = [[_name(g, o), len(cs), sorted(_name(g, c) for c in cs)] for o, cs in shared.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _who_works_on(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    groups: dict[tuple[Any, ...], list[str]] = {}
    for f, c, k in g.in_edges(p["challenge"], keys=True):
        if k != "TARGETS":
            continue
        basis = g.edges[f, c, k]["basis"]
        for team, *_ in (e for e in edges(g, "WORKS_ON") if e[1] == f):
            members = [u for u, v, _ in edges(g, "MEMBER_OF") if v == team]
            if members:
                groups[(_name(g, f), _name(g, team), basis)] = [_name(g, m) for m in members]
    rows = [[fa, team, sorted(ms), basis] for (fa, team, basis), ms in groups.items()]
    return sorted(rows, key=lambda r: (r[0], r[1]))


def _unaddressed(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    reached = {v for _, v, _ in edges(g, "TARGETS") + edges(g, "ADDRESSES")}
    return sorted(
        [n["name"], n.get("has_page"), n.get("catalyst_basis")]
        for n in nodes(g, "Challenge")
        if n.get("catalyst") is True and n["id"] not in reached
    )


def _partners_per_theme(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    via_teams = chain(g, "Theme", "<IN_THEME", "Challenge", "<TARGETS", "FocusArea",
                      "<WORKS_ON", "ProjectTeam", "<MEMBER_OF", "Partner")  # fmt: skip
    via_acts = chain(g, "Theme", "<CONCERNS", "Activity", "<TOOK_PART_IN", "Partner")
    return sorted(
        [t["name"], len({x[4] for x in via_teams if x[0] == t["id"]}),
         len({x[2] for x in via_acts if x[0] == t["id"]})]
        for t in nodes(g, "Theme")
    )  # fmt: skip


def _most_connected(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    rows = [[n["name"], n.get("catalyst"), int(g.degree(n["id"]))] for n in nodes(g, "Challenge")]
    rows = [r for r in rows if r[2]]
    return sorted(rows, key=lambda r: (-r[2], r[0]))[: p["limit"]]


def _nodes_per_label(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    return sorted([k, v] for k, v in Counter(d["kind"] for _, d in g.nodes(data=True)).items())


def _inferred(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    return sorted(
        ([k, _name(g, u), _name(g, v), d.get("method"), d.get("score")]
         for u, v, k, d in g.edges(keys=True, data=True) if d["basis"] == "inferred"),
        key=lambda r: (r[0], r[1], r[2]),
    )  # fmt: skip


def _in_theme(g: Snapshot, p: Mapping[str, Any]) -> Rows:
    return sorted(
        [_name(g, c), g.nodes[c].get("catalyst")]
        for c, t in chain(g, "Challenge", ">IN_THEME", "Theme")
        if _name(g, t) == p["theme"]
    )


#: Neo4j's answer to each example, and whether its rows are fully ordered by the query.
ORACLES: dict[str, tuple[Callable[[Snapshot, Mapping[str, Any]], Rows], bool]] = {
    "collaborators-on-shared-challenges": (_collaborators, True),
    "who-works-on-a-challenge": (_who_works_on, True),
    "unaddressed-catalysts": (_unaddressed, True),
    "partners-per-theme": (_partners_per_theme, True),
    "most-connected-challenges": (_most_connected, True),
    "nodes-per-label": (_nodes_per_label, True),
    "inferred-links": (_inferred, False),  # ties on (type, source, target) may swap
    "challenges-in-a-theme": (_in_theme, True),
}


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_gives_neo4js_answer_on_the_embedded_store(
    shared_store: Store, ex: Example
) -> None:
    result = shared_store.query(ex.cypher, dict(ex.params))
    assert result.rows, f"{ex.slug} gave no rows on the bundled dataset"
    assert not result.truncated
    g = shared_store.snapshot()
    if ex.slug == "paths-partner-to-catalyst":
        (_, hops), *more = result.rows
        assert not more and hops == shortest(g, ex.params["partner"], ex.params["catalyst"])
        return
    oracle, ordered = ORACLES[ex.slug]
    case = Case(ex.cypher, ordered=ordered)
    assert same_answer(case, result.rows, oracle(g, ex.params)), ex.slug


def test_every_example_has_an_independent_answer() -> None:
    assert set(ORACLES) | {"paths-partner-to-catalyst"} == {e.slug for e in EXAMPLES}


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_passes_the_read_only_check(ex: Example) -> None:
    check_read_only(ex.cypher)


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
    result = shared_store.query(ex.cypher, dict(ex.params))
    assert result.rewritten_from == ex.cypher  # shortestPath, in the engine's words
    path, hops = result.rows[0]
    assert hops == len(path["relationships"]) >= 1
    ends = {path["nodes"][0]["id"], path["nodes"][-1]["id"]}
    assert ends == {ex.params["partner"], ex.params["catalyst"]}
    # Relationships carry the ids of their ends, so a front end can draw the path.
    ids = {n["id"] for n in path["nodes"]}
    assert all({r["source"], r["target"]} <= ids for r in path["relationships"])


def test_the_nodes_per_label_example_counts_what_the_store_reports(shared_store: Store) -> None:
    result = shared_store.query(example("nodes-per-label").cypher)
    counts = shared_store.info().counts
    assert {label: n for label, n in result.rows} == {
        k: v for k, v in counts.items() if k[0].isupper() and not k.isupper() and v
    }
