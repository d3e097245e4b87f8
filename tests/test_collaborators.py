"""The collaborator finder and the set cover: exact rankings on a hand-checked graph, then
the same functions over the bundled data in a real store."""

from __future__ import annotations

import json
import math

import pytest

from graph import NotFound, Store
from graph.analyses.collaborators import (
    CATALYST_BONUS,
    COMPLEMENT_BONUS,
    INFERRED_FACTOR,
    challenge_weights,
    collaborators,
    cover,
)
from tests.small_graph import small_graph

LN = math.log


def test_shared_challenge_weights_follow_the_idf_formula_with_the_catalyst_bonus() -> None:
    # 8 partners have a thread; c1 has 2 partners, c2 4, c3 2, c5 3 (f, and e and h
    # through team k, which cites it).
    weights = challenge_weights(small_graph())
    assert weights == pytest.approx(
        {
            "c1": 2 * LN(1 + 8 / 2) * (1 + CATALYST_BONUS),
            "c2": 2 * LN(1 + 8 / 4),
            "c3": 2 * LN(1 + 8 / 2),
            "c5": 2 * LN(1 + 8 / 3),
        }
    )
    # Without inferred links only Charlie is on c3 (and only f on c5): rarer, heavier.
    stated = challenge_weights(small_graph(), include_inferred=False)
    assert stated["c3"] == pytest.approx(2 * LN(1 + 8 / 1))


def test_a_shared_team_ranks_first_then_challenges_then_themes() -> None:
    found = collaborators(small_graph(), "a")
    assert [(c.partner, c.tier) for c in found] == [
        ("d", "team"),  # team k2, and c2 (a university: complementary to a museum)
        ("b", "challenge"),  # c1 and c2, both museums
        ("c", "challenge"),  # c2 only
        ("f", "theme"),  # t1, stated
        ("e", "theme"),  # t1, inferred only: 0.9 times the weight
        ("h", "theme"),
    ]
    t1 = LN(1 + 8 / 7) / 2
    c2 = 2 * LN(3)
    assert [round(c.score, 5) for c in found] == [
        round(3 * LN(1 + 8 / 2) + c2 * (1 + COMPLEMENT_BONUS), 5),
        round(2 * LN(5) * 1.5 + c2, 5),
        round(c2, 5),
        round(t1, 5),
        round(t1 * INFERRED_FACTOR, 5),
        round(t1 * INFERRED_FACTOR, 5),
    ]


def test_complementary_sectors_rank_above_two_of_a_kind_on_the_same_challenge() -> None:
    # b (museum) shares c2 with c (no sector) and d (university): d's pair is complementary
    found = {c.partner: c for c in collaborators(small_graph(), "b")}
    assert found["d"].score == pytest.approx(found["c"].score * (1 + COMPLEMENT_BONUS))
    assert found["d"].challenges[0].complementary and not found["c"].challenges[0].complementary
    assert "different strengths on \u2018Two\u2019" in found["d"].why


def test_a_team_mate_is_never_missing_and_leads_the_list() -> None:
    found = collaborators(small_graph(), "e")
    assert [(c.partner, c.tier) for c in found][:4] == [
        ("h", "team"),
        ("c", "challenge"),
        ("f", "challenge"),
        ("g", "focus_area"),
    ]
    # The focus area e and h reach through team k is said by the team, not again.
    assert [s.kind for s in found[0].shared] == ["team"]
    assert found[0].why == "Hotel is on your project team \u2018Team k\u2019."


def test_excluding_inferred_links_drops_the_collaborators_they_alone_support() -> None:
    found = collaborators(small_graph(), "e", include_inferred=False)
    assert [(c.partner, c.tier) for c in found] == [("h", "team"), ("g", "focus_area")]


def test_a_funder_finds_the_teams_on_its_focus_area_in_name_order() -> None:
    found = collaborators(small_graph(), "g")
    assert [c.partner for c in found] == ["e", "h"]
    assert "Team k" in found[0].why
    assert collaborators(small_graph(), "e")[3].why.startswith(
        "Golf works on the focus area \u2018Focus fa\u2019 as a funder."
    )


def test_limit_keeps_the_top_of_the_ranking() -> None:
    full = collaborators(small_graph(), "a")
    assert collaborators(small_graph(), "a", limit=2) == full[:2]
    assert collaborators(small_graph(), "a", limit=0) == []


def test_ties_share_a_score_only_with_alike_evidence_and_each_why_is_distinct() -> None:
    found = collaborators(small_graph(), "a")
    by_score: dict[float, set[tuple[tuple[str, str, str], ...]]] = {}
    for c in found:
        evidence = tuple(sorted((s.kind, s.id, s.basis) for s in c.shared))
        by_score.setdefault(round(c.score, 9), set()).add(evidence)
    assert all(len(kinds) == 1 for kinds in by_score.values())
    # f, e and h share only t1; each why goes on to what that partner brings itself.
    whys = [c.why[len(c.name) :] for c in found]
    assert len(set(whys)) == len(whys)
    assert "Its own work: \u2018Five\u2019" in found[3].why


def test_each_suggestion_says_why_and_shows_both_sides_evidence() -> None:
    bravo = collaborators(small_graph(), "a")[1]
    assert bravo.basis == "stated"
    assert [s.id for s in bravo.challenges] == ["c1", "c2"]  # heavier first
    one = bravo.challenges[0]
    assert one.catalyst and one.partners == 2
    assert {p.nodes[0] for p in one.own} == {"a"}
    assert {p.nodes[0] for p in one.theirs} == {"b"}
    # Bravo reaches c1 twice: by a commitment, and through team k3 -> fa3.
    assert sorted(p.via for p in one.theirs) == ["commitment", "project_team"]
    assert bravo.why.startswith("Bravo works on \u2018One\u2019 (a catalyst)")
    delta = collaborators(small_graph(), "a")[0]
    assert delta.why.startswith("Delta is on your project team \u2018Team k2\u2019")


def test_suggestions_resting_on_inferred_links_say_so() -> None:
    charlie = next(c for c in collaborators(small_graph(), "e") if c.partner == "c")
    assert charlie.basis == "inferred"
    assert charlie.challenges[0].basis == "inferred"
    assert "Inferred links only" in charlie.why


def test_collaborators_serialise_to_json() -> None:
    data = collaborators(small_graph(), "a")[1].to_dict()
    text = json.dumps(data)
    first = json.loads(text)["shared"][0]
    assert first["kind"] == "challenge" and first["own"][0]["basis"] == "stated"


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
ACS = "american-chemical-society"
CAS = "california-academy-of-sciences"
COLLAB_TIME = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
FACULTY = "the-number-of-teacher-preparation-faculty-with-expertise-in-elementary-stem-education"


def test_every_bundled_partner_gets_consistent_evidence(shared_store: Store) -> None:
    g = shared_store.snapshot()
    partners = [n for n, d in g.nodes(data=True) if d["kind"] == "Partner"]
    on_a_team = {u for u, _, k in g.edges(keys=True) if k == "MEMBER_OF"}
    for p in partners:
        found = collaborators(g, p)
        # Nobody who shares a project team with another partner is left with nobody.
        assert found or p not in on_a_team
        assert p not in {c.partner for c in found}
        for c in found:
            assert c.why
            for s in c.challenges:
                assert all(x.nodes[0] == p and x.nodes[-1] == s.id for x in s.own)
                assert all(x.nodes[0] == c.partner and x.nodes[-1] == s.id for x in s.theirs)


def test_the_american_chemical_society_gets_its_team_mates(shared_store: Store) -> None:
    g = shared_store.snapshot()
    found = collaborators(g, ACS, limit=10)
    mates = {u for t in g.successors(ACS) for u in g.predecessors(t)} - {ACS}
    assert found and {c.partner for c in found if c.tier == "team"} == mates
    assert all(c.tier == "team" for c in found[: len(mates)])


def test_california_academy_top_ten_each_say_something_different(shared_store: Store) -> None:
    g = shared_store.snapshot()
    found = collaborators(g, CAS, limit=10)
    assert len(found) == 10
    whys = [c.why[len(c.name) :] for c in found]
    assert len(set(whys)) == 10
    scores: dict[float, set[tuple[tuple[str, str], ...]]] = {}
    for c in found:
        scores.setdefault(round(c.score, 9), set()).add(
            tuple(sorted((s.kind, s.id) for s in c.shared))
        )
    assert all(len(evidence) == 1 for evidence in scores.values())


def test_bundled_stated_only_keeps_only_stated_paths(shared_store: Store) -> None:
    g = shared_store.snapshot()
    stated = collaborators(g, AIR, include_inferred=False, limit=10)
    for c in stated:
        for s in c.shared:
            assert all(x.basis == "stated" for x in s.own + s.theirs)


def test_bundled_cover_of_two_catalysts(shared_store: Store) -> None:
    g = shared_store.snapshot()
    result = cover(g, [COLLAB_TIME, FACULTY])
    assert len(result.picks) == 1
    assert set(result.picks[0].covers) == {COLLAB_TIME, FACULTY}
    stated = cover(g, [COLLAB_TIME, FACULTY], include_inferred=False)
    assert stated.uncovered == (COLLAB_TIME,)  # only an inferred TARGETS link reaches it
