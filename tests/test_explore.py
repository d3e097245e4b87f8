"""graph.views over the bundled dataset: details, search, directory, subgraphs, layout."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import NotFound, addressing
from graph.data import Snapshot
from graph.settings import LIMITS
from graph.store.base import Store
from graph.views import (
    KIND_ORDER,
    DirectoryQuery,
    SubgraphRequest,
    challenge_detail,
    directory,
    directory_facets,
    layout,
    node,
    node_detail,
    node_display,
    overview,
    partner_detail,
    prepare,
    search,
    subgraph,
    theme_colours,
    theme_detail,
    to_vis,
)
from graph.views.layout import kept_layout

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"


@pytest.fixture(scope="module")
def g(shared_store: Store) -> Snapshot:
    return shared_store.snapshot()


def test_node_returns_a_copy_and_unknown_ids_raise_not_found(g: Snapshot) -> None:
    attrs = node(g, COLLAB)
    attrs["name"] = "changed"
    assert g.nodes[COLLAB]["name"] != "changed"
    with pytest.raises(NotFound):
        node(g, "no-such-node")


def test_overview_counts_every_kind_and_lists_seven_themes_with_catalysts(g: Snapshot) -> None:
    view = overview(g)
    assert view["counts"]["Challenge"] == 27
    assert sum(view["counts"].values()) == g.number_of_nodes()
    assert len(view["themes"]) == 7
    assert all(c["catalyst"] for c in view["catalysts"])
    assert COLLAB in [c["id"] for c in view["catalysts"]]
    in_theme = sum(1 for _, _, k in g.edges(keys=True) if k == "IN_THEME")
    assert sum(t["challenges"] for t in view["themes"]) == in_theme


def test_theme_detail_lists_its_challenges_and_refuses_other_kinds(g: Snapshot) -> None:
    view = theme_detail(g, "theme-professional-growth")
    ids = [c["id"] for c in view["challenges"]]
    assert COLLAB in ids
    assert view["challenges"][0]["catalyst"]  # catalysts first
    with pytest.raises(NotFound):
        theme_detail(g, COLLAB)


def test_challenge_detail_lists_every_addressing_partner_with_paths_and_basis(g: Snapshot) -> None:
    view = challenge_detail(g, COLLAB)
    expected = {a.partner for a in addressing(g, challenge=COLLAB)}
    assert {e["partner"]["id"] for e in view["addressed_by"]} == expected
    for entry in view["addressed_by"]:
        assert entry["basis"] in ("stated", "inferred")
        assert entry["paths"], entry
        for path in entry["paths"]:
            assert path["nodes"][0]["id"] == entry["partner"]["id"]
            assert path["nodes"][-1]["id"] == COLLAB
            assert len(path["rels"]) == len(path["nodes"]) - 1
    assert view["themes"][0]["id"] == "theme-professional-growth"
    assert view["resources"], "the challenge page lists its progress items"


def test_challenge_detail_without_inferred_keeps_only_stated_evidence(g: Snapshot) -> None:
    view = challenge_detail(g, COLLAB, include_inferred=False)
    for entry in view["addressed_by"]:
        assert entry["basis"] == "stated"
        assert all(p["basis"] == "stated" for p in entry["paths"])


def test_partner_detail_has_teams_focus_areas_and_challenges_it_addresses(g: Snapshot) -> None:
    view = partner_detail(g, AIR)
    assert view["project_teams"]
    assert any(t["focus_areas"] for t in view["project_teams"])
    assert {a["challenge"]["id"] for a in view["addresses"]} == {
        a.challenge for a in addressing(g, partner=AIR)
    }
    with pytest.raises(NotFound):
        partner_detail(g, COLLAB)


def test_node_detail_lists_relationships_in_both_directions(g: Snapshot) -> None:
    detail = node_detail(g, "focus-area-work-environments-for-teachers")
    directions = {(r["type"], r["direction"]) for r in detail["relationships"]}
    assert ("TARGETS", "out") in directions
    assert ("WORKS_ON", "in") in directions


def test_search_groups_hits_by_kind_in_kind_order_and_ranks_names_first(g: Snapshot) -> None:
    groups = search(g, "math")
    assert list(groups) == [k for k in KIND_ORDER if k in groups]
    assert len(groups) >= 2
    for hits in groups.values():
        scores = [h.score for h in hits]
        assert scores == sorted(scores)


def test_search_needs_every_word_and_finds_commitment_text(g: Snapshot) -> None:
    text = str(g.nodes["commitment-academy-for-urban-school-leadership-1"]["text"])
    groups = search(g, "turn-around Chicago")
    assert "commitment-academy-for-urban-school-leadership-1" in [
        h.id for h in groups.get("Commitment", [])
    ]
    assert "turn-around" in text
    assert search(g, "turn-around zzzqqq") == {}
    assert search(g, "   ") == {}


def test_search_respects_kinds_and_limit(g: Snapshot) -> None:
    groups = search(g, "a", kinds={"Partner"}, limit=3)
    assert list(groups) == ["Partner"]
    assert len(groups["Partner"]) == 3


def test_directory_filters_sorts_and_pages(g: Snapshot) -> None:
    everyone = directory(g, DirectoryQuery(per_page=100))
    assert everyone.total == 192
    assert everyone.pages == 2
    names = [r["name"].casefold() for r in everyone.rows]
    assert names == sorted(names)
    second = directory(g, DirectoryQuery(per_page=100, page=2))
    assert len(second.rows) == 92
    by_challenges = directory(g, DirectoryQuery(sort="-challenges", per_page=5))
    counts = [r["challenges"] for r in by_challenges.rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    catalyst = directory(g, DirectoryQuery(addresses_catalyst=True, per_page=100))
    assert catalyst.total > 0 and all(r["catalysts"] > 0 for r in catalyst.rows)
    committed = directory(g, DirectoryQuery(has_commitment=False, per_page=100))
    assert all(r["commitments"] == 0 for r in committed.rows)


def test_directory_facets_offer_the_values_present(g: Snapshot) -> None:
    facets = directory_facets(g)
    assert "museum or science centre" in facets["sectors"]
    assert set(facets["eras"]) <= {"100Kin10", "Beyond100K"} and facets["eras"]
    rows = directory(g, DirectoryQuery(sector="museum or science centre")).rows
    assert rows and all(r["sector"] == "museum or science centre" for r in rows)
    era = directory(g, DirectoryQuery(era=facets["eras"][0], per_page=100)).rows
    assert era and all(facets["eras"][0] in r["eras"] for r in era)


def test_subgraph_walks_both_directions_to_the_given_depth(g: Snapshot) -> None:
    one = subgraph(g, [COLLAB], depth=1)
    assert one.nodes[0] == COLLAB
    assert set(one.nodes) == {COLLAB} | set(nx.all_neighbors(g, COLLAB))
    two = subgraph(g, [COLLAB], depth=2)
    assert set(one.nodes) < set(two.nodes)
    kept = set(two.nodes)
    assert all(u in kept and v in kept for u, v, _ in two.edges)


def test_subgraph_cap_reports_truncation_in_a_fixed_order(g: Snapshot) -> None:
    full = subgraph(g, [COLLAB], depth=3, max_nodes=LIMITS.subgraph_nodes)
    capped = subgraph(g, [COLLAB], depth=3, max_nodes=10)
    assert capped.truncated and capped.total == full.total
    assert capped.nodes == full.nodes[:10]
    assert subgraph(g, [COLLAB], depth=3, max_nodes=10) == capped


def test_subgraph_kind_filter_keeps_centres_and_only_those_kinds(g: Snapshot) -> None:
    sub = subgraph(g, ["theme-professional-growth"], depth=2, kinds={"Challenge"})
    kinds = {g.nodes[n]["kind"] for n in sub.nodes[1:]}
    assert kinds == {"Challenge"}
    assert sub.nodes[0] == "theme-professional-growth"


def test_subgraph_without_inferred_has_no_inferred_edges(g: Snapshot) -> None:
    with_inferred = subgraph(g, [COLLAB], depth=2, evidence=True)
    stated = subgraph(g, [COLLAB], depth=2, include_inferred=False, evidence=True)
    bases = {g.edges[e]["basis"] for e in stated.edges}
    assert bases == {"stated"}
    assert any(g.edges[e]["basis"] == "inferred" for e in with_inferred.edges)


def test_subgraph_with_evidence_adds_the_addressing_partners(g: Snapshot) -> None:
    sub = subgraph(g, [COLLAB], depth=1, evidence=True)
    partners = {a.partner for a in addressing(g, challenge=COLLAB)}
    assert partners and partners <= set(sub.nodes)


def test_subgraph_without_centres_is_the_whole_graph(g: Snapshot) -> None:
    sub = subgraph(g, [], max_nodes=LIMITS.subgraph_nodes)
    assert len(sub.nodes) == g.number_of_nodes() and not sub.truncated
    assert len(sub.edges) == g.number_of_edges()


def test_subgraph_refuses_unknown_centres_and_bad_bounds(g: Snapshot) -> None:
    with pytest.raises(NotFound):
        subgraph(g, ["nope"])
    with pytest.raises(ValueError):
        subgraph(g, [COLLAB], depth=4)
    with pytest.raises(ValueError):
        subgraph(g, [COLLAB], max_nodes=LIMITS.subgraph_nodes + 1)


def test_layout_is_the_same_for_the_same_subgraph_and_covers_every_node(g: Snapshot) -> None:
    sub = subgraph(g, [], max_nodes=LIMITS.subgraph_nodes)
    first = layout(sub)
    again = layout(subgraph(g, [], max_nodes=LIMITS.subgraph_nodes))
    assert first == again
    assert set(first) == set(sub.nodes)
    assert len(set(first.values())) == len(first), "no two nodes share a position"


def test_to_vis_styles_kinds_catalysts_and_inferred_edges(g: Snapshot) -> None:
    vis = to_vis(g, subgraph(g, [COLLAB], depth=1, evidence=True))
    nodes = {n["id"]: n for n in vis["nodes"]}
    centre = nodes[COLLAB]
    assert centre["catalyst"] and centre["shape"] == "star" and centre["center"]
    assert centre["partners"] == len({a.partner for a in addressing(g, challenge=COLLAB)})
    small = [n for n in vis["nodes"] if n["kind"] == "Challenge" and n["partners"] == 0]
    assert all(n["size"] < centre["size"] for n in small)
    for e in vis["edges"]:
        assert e["dashes"] == (e["basis"] == "inferred")
        assert e["from"] in nodes and e["to"] in nodes
    assert vis["shown"] == len(vis["nodes"]) and vis["truncated"] is False
    assert all(isinstance(n["title"], str) and "\n" not in n["label"] for n in vis["nodes"])


def test_a_views_legend_names_only_the_kinds_in_view(g: Snapshot) -> None:
    around = to_vis(g, subgraph(g, [COLLAB], depth=1))
    partner = to_vis(g, subgraph(g, [AIR], depth=1, kinds={"Partner", "ProjectTeam"}))
    whole = to_vis(g, subgraph(g, [], max_nodes=LIMITS.subgraph_nodes))
    for vis in (around, partner, whole):
        in_view = {n["kind"] for n in vis["nodes"]} - {"Challenge", "Theme"}
        assert [k["kind"] for k in vis["legend"]["kinds"]] == [
            k for k in KIND_ORDER if k in in_view
        ]
    assert {k["kind"] for k in partner["legend"]["kinds"]} == {"Partner", "ProjectTeam"}
    # the whole graph holds every kind; a challenge's neighbourhood does not
    assert len(whole["legend"]["kinds"]) == len(KIND_ORDER) - 2
    assert len(around["legend"]["kinds"]) < len(whole["legend"]["kinds"])


def test_views_share_display_data_and_list_only_the_themes_in_view(g: Snapshot) -> None:
    shared = node_display(g)
    before = {k: dict(v) if isinstance(v, dict) else v for k, v in shared[COLLAB].items()}
    whole = to_vis(g, subgraph(g, [], max_nodes=LIMITS.subgraph_nodes))
    around = to_vis(g, subgraph(g, [COLLAB], depth=1))
    partner = to_vis(g, subgraph(g, [AIR], depth=1, kinds={"Partner", "ProjectTeam"}))
    centre = next(n for n in around["nodes"] if n["id"] == COLLAB)
    plain = next(n for n in whole["nodes"] if n["id"] == COLLAB)
    assert centre["center"] and not plain["center"]
    assert {k: v for k, v in centre.items() if k not in ("x", "y", "center")} == {
        k: v for k, v in plain.items() if k not in ("x", "y", "center")
    }
    assert node_display(g) is shared and dict(shared[COLLAB]) == before  # views copy it
    for vis in (whole, around, partner):
        in_view = {n["id"] for n in vis["nodes"] if n["kind"] == "Theme"}
        in_view |= {n["theme"] for n in vis["nodes"] if n["kind"] == "Challenge"}
        assert {t["id"] for t in vis["legend"]["themes"]} == in_view - {None}
    assert len(whole["legend"]["themes"]) == len(theme_colours(g)) == 7
    assert partner["legend"]["themes"] == [] and partner["legend"]["kinds"]


def test_the_whole_graph_is_laid_out_once_per_snapshot(g: Snapshot) -> None:
    prepare(g)
    sub = SubgraphRequest().build(g)
    kept = kept_layout(g, sub)
    assert kept is kept_layout(g, SubgraphRequest().build(g))  # shared, not recomputed
    assert kept == layout(sub)
    centred = subgraph(g, [COLLAB])
    assert kept_layout(g, centred) == layout(centred)
    other: Snapshot = nx.freeze(nx.MultiDiGraph(g))  # another data version
    assert kept_layout(other, SubgraphRequest().build(other)) is not kept
