"""The addressing relation: every thread, with the partner's role, on a hand-checkable graph
and on the bundled data."""

from __future__ import annotations

import networkx as nx

from graph import Store, addressing, addressing_stats, partners_addressing, theme_addressing
from graph.data import Node, Rel, Snapshot, Value, to_networkx
from graph.model import CURATED
from graph.model import NodeKind as K
from graph.model import RelType as R

COLLAB_TIME = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
PD_DURING_DAY = "catalyst-relevant-professional-growth-during-the-school-day"
TESTING = (
    "the-number-of-testing-and-accountability-systems-that-promote-pk-12-stem-teacher-"
    "creativity-in-the-classroom"
)
WORKING_ON = "activity-organization-stated-working-on-challenges-"


def _rel(rtype: R, a: str, b: str, how: str = "stated") -> Rel:
    props: dict[str, Value] = {"basis": "stated", "source_url": ["https://example.org/"]}
    if how != "stated":
        props = {"basis": "inferred", "method": how}
    return Rel(rtype, a, b, props)


def threads() -> Snapshot:
    """One partner per thread; c is a challenge, t a theme (c is not in t).

    p1 made m (curated -> c); p2 funds fa (-> c); p3 presents at summit s (stated -> t);
    p4 convenes: adopted the framework (a -> c, inferred by wording); p5's own description
    (curated -> t); p6 is on team k (cites c, inferred; curated -> t); p7 took part in
    grant w (concerns fa -> c); p8 has no thread.
    """
    partners = [Node(K.PARTNER, {"id": f"p{i}", "name": f"P{i}"}) for i in range(1, 9)]
    acts = {
        "s": "summit_session_on_grand_challenge_themes",
        "a": "grand_challenges_adopted_locally",
        "w": "challenge_grant_winner",
    }
    nodes = [
        *partners,
        Node(K.CHALLENGE, {"id": "c", "name": "C"}),
        Node(K.THEME, {"id": "t", "name": "T"}),
        Node(K.COMMITMENT, {"id": "m", "name": "M", "text": "words"}),
        Node(K.FOCUS_AREA, {"id": "fa", "name": "FA"}),
        Node(K.PROJECT_TEAM, {"id": "k", "name": "K"}),
        *(Node(K.ACTIVITY, {"id": a, "name": a, "activity_type": t}) for a, t in acts.items()),
    ]
    rels = [
        _rel(R.MADE, "p1", "m"),
        _rel(R.ADDRESSES, "m", "c", CURATED),
        _rel(R.FUNDS, "p2", "fa"),
        _rel(R.TARGETS, "fa", "c"),
        _rel(R.TOOK_PART_IN, "p3", "s"),
        _rel(R.CONCERNS, "s", "t"),
        _rel(R.TOOK_PART_IN, "p4", "a"),
        _rel(R.CONCERNS, "a", "c", "matched by wording"),
        _rel(R.ADDRESSES, "p5", "t", CURATED),
        _rel(R.MEMBER_OF, "p6", "k"),
        _rel(R.CITES, "k", "c", "matched by wording"),
        _rel(R.ADDRESSES, "k", "t", CURATED),
        _rel(R.TOOK_PART_IN, "p7", "w"),
        _rel(R.CONCERNS, "w", "fa"),
    ]
    return nx.freeze(to_networkx(nodes, rels))


def test_every_thread_reaches_the_challenge_with_the_partners_role() -> None:
    g = threads()
    found = {a.partner: a for a in addressing(g, challenge="c")}
    assert sorted(found) == ["p1", "p2", "p4", "p6", "p7"]
    one = {p: (a.paths[0].via, a.paths[0].role, a.basis) for p, a in found.items()}
    assert one == {
        "p1": ("commitment", "does the work", "inferred"),
        "p2": ("funds", "funds it", "stated"),
        "p4": ("activity", "convenes it", "inferred"),
        "p6": ("project_team", "does the work", "inferred"),
        "p7": ("activity", "does the work", "stated"),
    }
    assert found["p7"].paths[0].rels == ("TOOK_PART_IN", "CONCERNS", "TARGETS")
    assert found["p1"].paths[0].curated and not found["p4"].paths[0].curated


def test_theme_level_addressing_is_kept_apart_from_challenges() -> None:
    g = threads()
    on_theme = {a.partner: a for a in theme_addressing(g, theme="t")}
    assert sorted(on_theme) == ["p3", "p5", "p6"]
    assert on_theme["p3"].roles == ("presents it",) and on_theme["p3"].basis == "stated"
    assert on_theme["p5"].paths[0].via == "partner" and on_theme["p5"].paths[0].curated
    # a theme never shows up as a challenge
    assert all(a.challenge != "t" for a in addressing(g))
    assert partners_addressing(g) == {"c": {"p1", "p2", "p4", "p6", "p7"}}
    assert [a.partner for a in theme_addressing(g, include_inferred=False)] == ["p3"]


def test_stats_count_partners_targets_and_links_by_basis_and_method() -> None:
    s = addressing_stats(threads())
    assert (s.partners, s.partners_total) == (7, 8)  # all but p8
    assert (s.challenges, s.themes) == (1, 1)
    # last links: ADDRESSES m->c, p5->t, k->t (curated); TARGETS fa->c, CONCERNS s->t
    # (stated); CONCERNS a->c, CITES k->c (matched by wording)
    assert s.links == {"stated": 2, "curated": 3, "inferred": 2}
    assert "7 of 8 partners" in s.line


def test_excluding_inferred_links_keeps_only_stated_paths() -> None:
    stated = addressing(threads(), include_inferred=False)
    assert [(a.partner, a.basis) for a in stated] == [("p2", "stated"), ("p7", "stated")]
    assert all(p.basis == "stated" for a in stated for p in a.paths)


# -- the bundled data ---------------------------------------------------------------------


def test_bundled_partners_reach_catalysts_through_teams_activities_and_funding(
    shared_store: Store,
) -> None:
    g = shared_store.snapshot()
    found = addressing(g, challenge=COLLAB_TIME)
    vias = {p.via for a in found for p in a.paths}
    assert {"project_team", "activity", "funds"} <= vias
    team = next(p for a in found for p in a.paths if p.via == "project_team")
    assert [g.nodes[n]["kind"] for n in team.nodes] == [
        "Partner",
        "ProjectTeam",
        "FocusArea",
        "Challenge",
    ]
    # The focus area's link to this catalyst was matched by wording: inferred.
    assert {a.basis for a in found} == {"inferred"}
    stated = addressing(g, challenge=PD_DURING_DAY, include_inferred=False)
    assert stated and all(p.basis == "stated" for a in stated for p in a.paths)


def test_an_article_naming_organisations_counts_them_as_doing_the_work(
    shared_store: Store,
) -> None:
    g = shared_store.snapshot()
    on = {a.partner: a for a in addressing(g, challenge=TESTING)}
    for partner in ("american-federation-of-teachers", "agile-mind"):
        path = on[partner].paths[0]
        assert path.via == "activity" and path.role == "does the work"
        assert path.nodes[1].startswith(WORKING_ON)


def test_bundled_addressing_reaches_most_partners(shared_store: Store) -> None:
    g = shared_store.snapshot()
    s = addressing_stats(g)
    assert s.partners_total == 192 and s.partners >= 140
    assert s.challenges > 5 and s.themes == 7
    assert s.links["curated"] > 100 and s.links["stated"] > 0
    by_challenge = partners_addressing(g)
    assert len(by_challenge) == 27
    assert sum(1 for partners in by_challenge.values() if partners) == s.challenges
    assert by_challenge[COLLAB_TIME] == {a.partner for a in addressing(g, challenge=COLLAB_TIME)}
