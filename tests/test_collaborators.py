"""The collaborator finder and the set cover: exact rankings on a hand-checked graph, then
the same functions over the bundled data in a real store."""

from __future__ import annotations

import json
import math

import pytest

from graph import NotFound, Store
from graph.analyses.collaborators import CATALYST_BONUS, challenge_weights, collaborators, cover
from tests.small_graph import small_graph

LN = math.log


def test_shared_challenge_weights_follow_the_idf_formula_with_the_catalyst_bonus() -> None:
    weights = challenge_weights(small_graph())
    assert weights == pytest.approx(
        {
            "c1": LN(1 + 8 / 2) * (1 + CATALYST_BONUS),
            "c2": LN(1 + 8 / 4),
            "c3": LN(1 + 8 / 2),
            "c5": LN(1 + 8 / 1),
        }
    )
    # Without inferred links only Charlie is on c3: a rarer challenge, a larger weight.
    assert challenge_weights(small_graph(), include_inferred=False)["c3"] == pytest.approx(LN(9))


def test_collaborators_rank_shared_challenges_then_team_ties_then_themes() -> None:
    found = collaborators(small_graph(), "a")
    assert [(c.partner, c.tier) for c in found] == [
        ("b", "challenge"),
        ("d", "challenge"),  # ties with Charlie on score; shares team k2 with Alpha
        ("c", "challenge"),
        ("f", "theme"),
    ]
    assert [round(c.score, 5) for c in found] == [
        round(LN(5) * 1.5 + LN(3), 5),
        round(LN(3), 5),
        round(LN(3), 5),
        round(LN(1 + 8 / 5), 5),
    ]


def test_focus_areas_come_after_challenges_and_team_mates_lead_ties() -> None:
    found = collaborators(small_graph(), "e")
    assert [(c.partner, c.tier) for c in found] == [
        ("c", "challenge"),
        ("h", "focus_area"),  # same score as Golf; on team k with Aardvark
        ("g", "focus_area"),
    ]
    assert found[1].score == pytest.approx(LN(1 + 8 / 3))


def test_excluding_inferred_links_drops_the_collaborators_they_alone_support() -> None:
    found = collaborators(small_graph(), "e", include_inferred=False)
    assert [(c.partner, c.tier) for c in found] == [("h", "focus_area"), ("g", "focus_area")]


def test_a_funder_finds_the_teams_on_its_focus_area_in_name_order() -> None:
    found = collaborators(small_graph(), "g")
    assert [c.partner for c in found] == ["e", "h"]
    assert "as a funder" not in found[0].why
    assert "Team k" in found[0].why


def test_limit_keeps_the_top_of_the_ranking() -> None:
    full = collaborators(small_graph(), "a")
    assert collaborators(small_graph(), "a", limit=2) == full[:2]
    assert collaborators(small_graph(), "a", limit=0) == []


def test_each_suggestion_says_why_and_shows_both_sides_evidence() -> None:
    bravo = collaborators(small_graph(), "a")[0]
    assert bravo.basis == "stated"
    assert [s.challenge for s in bravo.challenges] == ["c1", "c2"]  # heavier first
    one = bravo.challenges[0]
    assert one.catalyst and one.partners == 2
    assert {p.nodes[0] for p in one.own} == {"a"}
    assert {p.nodes[0] for p in one.theirs} == {"b"}
    # Bravo reaches c1 twice: by a commitment, and through team k3 -> fa3.
    assert sorted(p.via for p in one.theirs) == ["commitment", "project_team"]
    assert bravo.why.startswith("Bravo works on 2 of the same challenges: \u2018One\u2019")
    assert "a catalyst" in bravo.why
    assert "Team k3" in bravo.why
    delta = collaborators(small_graph(), "a")[1]
    assert "You are both on Team k2." in delta.why


def test_suggestions_resting_on_inferred_links_say_so() -> None:
    charlie = collaborators(small_graph(), "e")[0]
    assert charlie.basis == "inferred"
    assert charlie.challenges[0].basis == "inferred"
    assert "Inferred links only" in charlie.why


def test_collaborators_serialise_to_json() -> None:
    data = collaborators(small_graph(), "a")[0].to_dict()
    text = json.dumps(data)
    assert json.loads(text)["challenges"][0]["own"][0]["basis"] == "stated"


def test_unknown_partner_is_not_found() -> None:
    with pytest.raises(NotFound):
        collaborators(small_graph(), "c1")
    with pytest.raises(NotFound):
        collaborators(small_graph(), "nobody")


def test_greedy_cover_picks_the_widest_partner_first_and_reports_the_uncovered() -> None:
    result = cover(small_graph(), ["c1", "c2", "c3", "c4"])
    assert [(p.partner, p.covers) for p in result.picks] == [
        ("a", ("c1", "c2")),  # Alpha, Bravo and Charlie each cover two: Alpha by name
        ("c", ("c3",)),
    ]
    assert result.uncovered == ("c4",)
    assert result.approximate and "Approximate" in result.note
    assert [p.partner for p in result.on_each["c3"]] == ["c", "e"]  # stated first
    assert [p.basis for p in result.on_each["c3"]] == ["stated", "inferred"]
    assert [p.partner for p in result.on_each["c2"]] == ["a", "b", "c", "d"]


def test_cover_prefers_stated_links_when_counts_tie() -> None:
    # Aardvark sorts before Charlie by name, but its only link to c3 is inferred.
    assert [p.partner for p in cover(small_graph(), ["c3"]).picks] == ["c"]
    stated_only = cover(small_graph(), ["c3"], include_inferred=False)
    assert [p.partner for p in stated_only.on_each["c3"]] == ["c"]


def test_cover_of_nothing_and_of_unknown_ids() -> None:
    empty = cover(small_graph(), [])
    assert empty.picks == () and empty.uncovered == ()
    assert cover(small_graph(), ["c4", "c4"]).challenges == ("c4",)
    with pytest.raises(NotFound):
        cover(small_graph(), ["c1", "a"])
    data = cover(small_graph(), ["c1", "c4"]).to_dict()
    assert json.loads(json.dumps(data))["uncovered"] == ["c4"]


# -- the bundled data ---------------------------------------------------------------------

AIR = "american-institutes-for-research"
COLLAB_TIME = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
FACULTY = "the-number-of-teacher-preparation-faculty-with-expertise-in-elementary-stem-education"


def test_every_bundled_partner_gets_consistent_evidence(shared_store: Store) -> None:
    g = shared_store.snapshot()
    partners = [n for n, d in g.nodes(data=True) if d["kind"] == "Partner"]
    with_any = 0
    for p in partners:
        found = collaborators(g, p)
        with_any += bool(found)
        assert p not in {c.partner for c in found}
        for c in found:
            assert c.why
            for s in c.challenges:
                assert all(x.nodes[0] == p and x.nodes[-1] == s.challenge for x in s.own)
                assert all(x.nodes[0] == c.partner and x.nodes[-1] == s.challenge for x in s.theirs)
    assert with_any == 45  # the others have no path to any challenge or focus area


def test_bundled_team_mates_rank_first_among_equal_scores(shared_store: Store) -> None:
    g = shared_store.snapshot()
    found = collaborators(g, AIR, limit=10)
    assert {c.tier for c in found} == {"challenge"}
    assert "You are both on" in found[0].why
    assert found[0].score == pytest.approx(found[-1].score)
    stated = collaborators(g, AIR, include_inferred=False, limit=10)
    for c in stated:
        for s in c.challenges:
            assert all(x.basis == "stated" for x in s.own + s.theirs)


def test_bundled_cover_of_two_catalysts(shared_store: Store) -> None:
    g = shared_store.snapshot()
    result = cover(g, [COLLAB_TIME, FACULTY])
    assert len(result.picks) == 1
    assert set(result.picks[0].covers) == {COLLAB_TIME, FACULTY}
    stated = cover(g, [COLLAB_TIME, FACULTY], include_inferred=False)
    assert stated.uncovered == (COLLAB_TIME,)  # only an inferred TARGETS link reaches it
