"""The gap finder: coverage counts, the documented gap formula, the theme x sector matrix
and the chart, on a hand-checked graph and on the bundled data in a real store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph import NotFound, Store, coverage
from graph.analyses.chart import leverage_chart_svg
from graph.analyses.gaps import (
    FORMULA,
    Split,
    gap_score,
    gaps,
    influence_centrality,
    leverage,
    theme_sector_matrix,
)
from graph.analyses.nearby import nearby, nearby_counts
from graph.data import Snapshot
from graph.model import SECTORS
from graph.model import NodeKind as K
from graph.model import RelType as R
from tests.small_graph import rel, small_graph


def test_gap_formula_is_the_documented_one() -> None:
    assert leverage(True, False) == 2.0
    assert leverage(False, True) == 1.0
    assert leverage(True, True, 1.0) == 5.0
    assert gap_score(3.0, 0) == 4.0
    assert gap_score(0.0, 4) == pytest.approx(0.2)
    assert "(1 + leverage) / (1 + partners)" in FORMULA


def test_gaps_rank_high_leverage_few_hands_first() -> None:
    report = gaps(small_graph())
    assert [(c.challenge, c.hands, c.leverage) for c in report.ranked] == [
        ("c4", 0, 2.0),  # catalyst, nobody on it: (1 + 2) / 1 = 3
        ("c1", 2, 3.0),  # catalyst + keystone, two partners: 4 / 3
        ("c3", 2, 0.0),  # 1 / 3 (one partner by an inferred link)
        ("c5", 3, 0.0),  # 1 / 4 (f; e and h through team k, which cites it)
        ("c2", 4, 0.0),  # 1 / 5
    ]
    assert [round(c.gap_score, 4) for c in report.ranked] == [3.0, 1.3333, 0.3333, 0.25, 0.2]
    assert [c.challenge for c in report.crowded] == ["c2", "c5", "c3", "c1"]


def test_coverage_counts_stated_and_inferred_apart() -> None:
    by_id = {c.challenge: c for c in gaps(small_graph()).ranked}
    assert by_id["c1"].partners == Split(2, 0)
    assert by_id["c1"].commitments == Split(2, 0)
    assert by_id["c1"].project_teams == Split(1, 0)  # team k3 -> fa3 -> c1
    assert by_id["c1"].keystones == ("ks",)
    assert by_id["c3"].partners == Split(1, 1)
    assert by_id["c3"].commitments == Split(1, 1)
    assert by_id["c3"].catalyst is None
    assert by_id["c5"].project_teams == Split(0, 1)  # team k cites c5 (inferred)
    assert by_id["c5"].partners == Split(1, 2)  # f stated; e and h through team k
    assert by_id["c2"].partner_ids == ("a", "b", "c", "d")


def test_excluding_inferred_links_changes_hands_and_scores() -> None:
    by_id = {c.challenge: c for c in gaps(small_graph(), include_inferred=False).ranked}
    assert by_id["c3"].partners == Split(1, 0)
    assert by_id["c3"].gap_score == pytest.approx(0.5)
    assert by_id["c5"].project_teams == Split(0, 0)


def test_theme_filter_and_unknown_theme() -> None:
    report = gaps(small_graph(), theme="t2")
    assert [c.challenge for c in report.ranked] == ["c4", "c3"]
    with pytest.raises(NotFound):
        gaps(small_graph(), theme="c1")


def test_influence_links_raise_leverage_through_pagerank() -> None:
    g = small_graph([rel(R.INFLUENCES, "c2", "c3"), rel(R.INFLUENCES, "c2", "c5", "inferred")])
    # Reversed links c3 -> c2 and c5 -> c2. Nobody links to c1, c3, c4 or c5, so each has
    # the same rank x; c2 gets x plus 0.85 of both c3 and c5: 2.7x. Scaled: 1 and 1/2.7.
    low = 1 / 2.7
    assert influence_centrality(g) == pytest.approx(
        {"c1": low, "c2": 1.0, "c3": low, "c4": low, "c5": low}, abs=1e-4
    )
    report = gaps(g)
    by_id = {c.challenge: c for c in report.ranked}
    assert report.has_influence
    assert by_id["c2"].leverage == pytest.approx(2.0)  # 2 x influence 1.0
    assert by_id["c2"].gap_score == pytest.approx(3 / 5)
    assert not any("influence ratings" in line for line in report.lacks)
    # Stated links only: c2 -> c3 alone.
    assert influence_centrality(g, include_inferred=False)["c2"] == pytest.approx(1.0)
    assert influence_centrality(small_graph()) == {}


def test_report_says_what_the_data_lacks_and_serialises() -> None:
    report = gaps(small_graph(), map_total=10)
    assert report.lacks[0].startswith("5 of the map's 10 challenges are not in the public record")
    assert "No influence ratings" in report.lacks[1]
    assert "1 challenge has no known catalyst flag" in report.lacks[2]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ranked"][0]["challenge"] == "c4"
    assert data["ranked"][0]["partners"] == {"stated": 0, "inferred": 0, "total": 0}
    assert data["weights"] == {"catalyst": 2.0, "keystone": 1.0, "influence": 2.0}


def test_theme_sector_matrix_keeps_the_partners_behind_each_cell() -> None:
    m = theme_sector_matrix(small_graph())
    assert m.themes == (("t1", "Theme One"), ("t2", "Theme Two"))
    assert m.sectors == ("Museum", "University", "Unknown")
    assert m.cells == {
        ("t1", "Museum"): ("a", "b"),
        ("t1", "University"): ("d", "f"),
        ("t1", "Unknown"): ("e", "c", "h"),  # e and h through team k, which cites c5
        ("t2", "Unknown"): ("e", "c"),  # Aardvark before Charlie: by name
    }
    stated = theme_sector_matrix(small_graph(), include_inferred=False)
    assert stated.cells[("t1", "Unknown")] == ("c",)
    assert stated.cells[("t2", "Unknown")] == ("c",)
    data = m.to_dict()
    assert data["rows"][0]["cells"][0] == {
        "sector": "Museum",
        "count": 2,
        "partners": [{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bravo"}],
    }


def test_chart_is_valid_svg_with_escaped_text_and_links() -> None:
    g = small_graph()
    svg = leverage_chart_svg(gaps(g), link=lambda c: f"/challenges/{c}?a=1&b=<2>")
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title") is not None
    assert "<script" not in svg and 'href="http' not in svg
    assert "/challenges/c4?a=1&amp;b=&lt;2&gt;" in svg
    tips = [t.text or "" for t in root.iter(f"{ns}title")]
    assert any(t.startswith("Four \u2014 0 partners, leverage 2") for t in tips)


def test_chart_escapes_hostile_names() -> None:
    from graph.data import Node, to_networkx
    from graph.model import NodeKind as K

    g = to_networkx(
        [Node(K.CHALLENGE, {"id": "x", "name": '</text><script>alert("x")</script>'})], []
    )
    svg = leverage_chart_svg(gaps(g))
    ET.fromstring(svg)
    assert "<script>" not in svg


# -- the bundled data ---------------------------------------------------------------------


def test_bundled_gaps_put_the_unworked_catalysts_first(shared_store: Store) -> None:
    g = shared_store.snapshot()
    info = shared_store.info()
    report = gaps(g, map_total=coverage(info).map_total)
    top = [c for c in report.ranked if c.gap_score == report.ranked[0].gap_score]
    assert top and all(c.catalyst and c.hands == 0 for c in top)
    # The curated layer puts hands on catalysts that had none: fewer top ties than the
    # four before it, and the top ten spread over more distinct scores than two.
    assert len(top) < 4
    assert len({round(c.gap_score, 6) for c in report.ranked[:10]}) >= 3
    assert len(report.ranked) == 27
    assert len(report.crowded) == sum(1 for c in report.ranked if c.hands > 0) > 5
    assert report.lacks[0].startswith("77 of the map's 104 challenges")
    assert not report.has_influence
    stated = gaps(g, include_inferred=False)
    # Keystone links are inferred in the public data: stated-only leverage drops them.
    assert all(not c.keystones for c in stated.ranked)


def test_bundled_matrix_has_a_row_for_catalysts_without_a_theme(shared_store: Store) -> None:
    m = theme_sector_matrix(shared_store.snapshot())
    assert m.themes[-1] == (None, "No theme")
    # Partners have a sector from the vocabulary (sectors.csv); a few are unknown.
    assert set(m.sectors) <= {*SECTORS, "Unknown"}
    unknown = {p for (_, s), ps in m.cells.items() if s == "Unknown" for p in ps}
    assert len(unknown) <= 4
    assert sum(m.count(None, s) for s in m.sectors) > 0
    ET.fromstring(leverage_chart_svg(gaps(shared_store.snapshot())))


# -- ties and who works nearby -------------------------------------------------------------


def _tied() -> Snapshot:
    """Four ordinary challenges with one partner each or none; t holds x1, x2 and y.

    x1: p by a stated link; x2: q by an inferred link only (same score as x1); y and z:
    nobody (same score), but y shares theme t with x1 and x2, z has no theme.
    """
    from graph.data import Node, to_networkx

    nodes = [Node(K.PARTNER, {"id": p, "name": p.upper()}) for p in "pq"]
    nodes += [
        Node(K.CHALLENGE, {"id": c, "name": c, "catalyst": False}) for c in ("x1", "x2", "y", "z")
    ]
    nodes += [Node(K.THEME, {"id": "t", "name": "T"})]
    nodes += [Node(K.COMMITMENT, {"id": m, "name": m, "text": "-"}) for m in ("mp", "mq")]
    rels = [rel(R.MADE, "p", "mp"), rel(R.MADE, "q", "mq")]
    rels += [rel(R.ADDRESSES, "mp", "x1"), rel(R.ADDRESSES, "mq", "x2", "inferred")]
    rels += [rel(R.IN_THEME, c, "t") for c in ("x1", "x2", "y")]
    return nx.freeze(to_networkx(nodes, rels))


def test_ties_are_broken_by_evidence_and_say_so() -> None:
    report = gaps(_tied())
    assert [r.challenge for r in report.ranked] == ["z", "y", "x2", "x1"]
    z, y, x2, x1 = report.ranked
    # z and y: nobody on either; nobody works near z, two partners work near y
    assert (z.nearby, y.nearby) == (0, 2) and z.gap_score == y.gap_score == 1.0
    assert z.tie.startswith("1 of 2 tied at 1.00") and "2 working nearby" in y.tie
    # x2 and x1: one partner each; x2's is known only by an inferred link
    assert (x2.partners, x1.partners) == (Split(0, 1), Split(1, 0))
    assert "0 partners from a stated source" in x2.tie
    assert "stated source" in report.tie_rule and report.to_dict()["tie_rule"]


def test_who_works_nearby_lists_siblings_and_theme_wide_partners() -> None:
    g = small_graph()
    near = nearby(g, "c4")  # c4 shares theme t2 with c3 (c stated, e inferred)
    assert [(n.partner, n.group, n.basis) for n in near.siblings] == [
        ("c", "sibling", "stated"),
        ("e", "sibling", "inferred"),
    ]
    assert near.siblings[0].on == ("c3",) and "\u2018Three\u2019" in near.siblings[0].why
    assert near.theme_wide == ()
    assert nearby_counts(g)["c4"] == 2
    extra = small_graph([rel(R.ADDRESSES, "g", "t2", "inferred")])
    assert [n.partner for n in nearby(extra, "c4").theme_wide] == ["g"]
    with pytest.raises(NotFound):
        nearby(g, "t1")


def test_theme_level_partners_count_in_their_theme_row() -> None:
    m = theme_sector_matrix(small_graph([rel(R.ADDRESSES, "g", "t2", "inferred")]))
    assert "g" in m.cells[("t2", "Unknown")]
