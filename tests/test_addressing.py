"""The addressing relation on the bundled data: who works on which challenge, and why."""

from __future__ import annotations

from graph import Store, addressing, partners_addressing

COLLAB_TIME = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
PD_DURING_DAY = "catalyst-relevant-professional-growth-during-the-school-day"


def test_partners_reach_catalysts_through_project_teams_and_focus_areas(
    shared_store: Store,
) -> None:
    g = shared_store.snapshot()
    found = addressing(g, challenge=COLLAB_TIME)
    assert len(found) == 22
    first = found[0]
    path = first.paths[0]
    assert path.via == "project_team"
    assert path.rels == ("MEMBER_OF", "WORKS_ON", "TARGETS")
    assert [g.nodes[n]["kind"] for n in path.nodes] == [
        "Partner",
        "ProjectTeam",
        "FocusArea",
        "Challenge",
    ]
    # The focus area's link to this catalyst was matched by wording: inferred.
    assert {a.basis for a in found} == {"inferred"}


def test_excluding_inferred_links_keeps_only_stated_paths(shared_store: Store) -> None:
    g = shared_store.snapshot()
    assert addressing(g, challenge=COLLAB_TIME, include_inferred=False) == []
    stated = addressing(g, challenge=PD_DURING_DAY, include_inferred=False)
    assert len(stated) == 22
    assert all(p.basis == "stated" for a in stated for p in a.paths)


def test_partners_addressing_lists_every_challenge(shared_store: Store) -> None:
    g = shared_store.snapshot()
    by_challenge = partners_addressing(g)
    assert len(by_challenge) == 27
    assert sum(1 for partners in by_challenge.values() if partners) == 5
    assert by_challenge[COLLAB_TIME] == {a.partner for a in addressing(g, challenge=COLLAB_TIME)}
