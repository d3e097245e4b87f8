"""Canned console queries for the three user groups, written once, in Neo4j's Cypher.

Partners look for collaborators, strategists for high-leverage challenges few work on,
researchers for the shape of the graph. Each example is one read-only query with
``$parameters`` and defaults that give an answer on the bundled dataset. The text is
Neo4j 5 Cypher and runs as it is on both backends: Neo4j reads it directly, and the
embedded store's compatibility layer (``graph/console/compat/``) runs it with Neo4j's
meaning. The test suite compares every example's answer on the embedded store with one
computed with networkx (``tests/test_examples.py``), and Neo4j's own parser checks the
text (``tests/test_cypher_lint.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, LiteralString

__all__ = ["EXAMPLES", "Audience", "Example", "example"]


class Audience(StrEnum):
    """The three user groups the explorer serves."""

    PARTNERS = "partners"
    STRATEGISTS = "strategists"
    RESEARCHERS = "researchers"


@dataclass(frozen=True)
class Example:
    """One canned query: what it answers, for whom, its text and default parameters."""

    slug: str
    title: str
    audience: Audience
    question: str
    cypher: LiteralString
    params: Mapping[str, Any] = field(default_factory=dict)


_PARTNER = "national-math-and-science-initiative"
_CATALYST = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"

EXAMPLES: tuple[Example, ...] = (
    Example(
        "collaborators-on-shared-challenges",
        "Collaborators on shared challenges",
        Audience.PARTNERS,
        "Which organisations work on the same challenges as this partner "
        "(through project teams on catalyst focus areas), and on which?",
        # Two steps (my challenges, then who else is on them): one eight-hop pattern
        # made the engine enumerate every path pair, 7x slower for the same rows.
        "MATCH (me:Partner {id: $partner})-[:MEMBER_OF]->(:ProjectTeam)-[:WORKS_ON]->"
        "(:FocusArea)-[:TARGETS]->(c:Challenge) "
        "WITH DISTINCT me, c "
        "MATCH (c)<-[:TARGETS]-(:FocusArea)<-[:WORKS_ON]-(:ProjectTeam)<-[:MEMBER_OF]-"
        "(other:Partner) "
        "WHERE other.id <> me.id "
        "RETURN other.name AS partner, count(DISTINCT c) AS shared, "
        "collect(DISTINCT c.name) AS challenges "
        "ORDER BY shared DESC, partner",
        {"partner": _PARTNER},
    ),
    Example(
        "who-works-on-a-challenge",
        "Who works on a challenge",
        Audience.PARTNERS,
        "Which project teams and partners work on this challenge, and how is it known?",
        "MATCH (c:Challenge {id: $challenge})<-[t:TARGETS]-(f:FocusArea)<-[:WORKS_ON]-"
        "(team:ProjectTeam)<-[:MEMBER_OF]-(p:Partner) "
        "RETURN f.name AS focus_area, team.name AS team, collect(p.name) AS partners, "
        "t.basis AS basis "
        "ORDER BY focus_area, team",
        {"challenge": _CATALYST},
    ),
    Example(
        "unaddressed-catalysts",
        "Unaddressed catalysts",
        Audience.STRATEGISTS,
        "Which catalysts does no commitment address and no focus area target?",
        "MATCH (c:Challenge) WHERE c.catalyst = true "
        "AND NOT EXISTS { MATCH (c)<-[:ADDRESSES]-(:Commitment) } "
        "AND NOT EXISTS { MATCH (c)<-[:TARGETS]-(:FocusArea) } "
        "RETURN c.name AS catalyst, c.has_page AS has_page, c.catalyst_basis AS basis "
        "ORDER BY catalyst",
    ),
    Example(
        "partners-per-theme",
        "Partners per theme",
        Audience.STRATEGISTS,
        "How many organisations work in each theme, through project teams or activities?",
        "MATCH (t:Theme) "
        "OPTIONAL MATCH (t)<-[:IN_THEME]-(:Challenge)<-[:TARGETS]-(:FocusArea)<-[:WORKS_ON]-"
        "(:ProjectTeam)<-[:MEMBER_OF]-(p1:Partner) "
        "OPTIONAL MATCH (t)<-[:CONCERNS]-(:Activity)<-[:TOOK_PART_IN]-(p2:Partner) "
        "RETURN t.name AS theme, count(DISTINCT p1) AS via_project_teams, "
        "count(DISTINCT p2) AS via_activities "
        "ORDER BY theme",
    ),
    Example(
        "most-connected-challenges",
        "Most connected challenges",
        Audience.STRATEGISTS,
        "Which challenges have the most links of any kind (themes, focus areas, resources)?",
        "MATCH (c:Challenge)-[r]-() "
        "RETURN c.name AS challenge, c.catalyst AS catalyst, count(r) AS links "
        "ORDER BY links DESC, challenge LIMIT $limit",
        {"limit": 10},
    ),
    Example(
        "paths-partner-to-catalyst",
        "Paths from a partner to a catalyst",
        Audience.RESEARCHERS,
        "What is the shortest chain of links from this partner to this catalyst?",
        "MATCH p = shortestPath((a:Partner {id: $partner})-[*..8]-"
        "(c:Challenge {id: $catalyst})) "
        "RETURN p, length(p) AS hops",
        {"partner": _PARTNER, "catalyst": _CATALYST},
    ),
    Example(
        "nodes-per-label",
        "Nodes per label",
        Audience.RESEARCHERS,
        "How many nodes of each kind does the graph hold?",
        "MATCH (n) WHERE NOT n:GcxStore "
        "RETURN labels(n)[0] AS label, count(*) AS nodes ORDER BY label",
    ),
    Example(
        "inferred-links",
        "Inferred links and how they were made",
        Audience.RESEARCHERS,
        "Which links are inferred rather than stated by a source, and by what method?",
        "MATCH (a)-[r]->(b) WHERE r.basis = 'inferred' "
        "RETURN type(r) AS type, a.name AS source, b.name AS target, r.method AS method, "
        "r.score AS score ORDER BY type, source, target",
    ),
    Example(
        "challenges-in-a-theme",
        "Challenges in a theme",
        Audience.RESEARCHERS,
        "Which challenges belong to this theme, and which are catalysts?",
        "MATCH (c:Challenge)-[:IN_THEME]->(t:Theme {name: $theme}) "
        "RETURN c.name AS challenge, c.catalyst AS catalyst ORDER BY challenge",
        {"theme": "Professional Growth"},
    ),
)


def example(slug: str) -> Example:
    """The example with ``slug``.

    >>> example("unaddressed-catalysts").audience
    <Audience.STRATEGISTS: 'strategists'>
    """
    for ex in EXAMPLES:
        if ex.slug == slug:
            return ex
    raise KeyError(slug)
