"""Canned console queries for the three user groups, in both Cypher dialects.

Partners look for collaborators, strategists for high-leverage challenges few work on,
researchers for the shape of the graph. Each example is one read-only query with
``$parameters`` and defaults that give an answer on the bundled dataset. Most run as the
same text on the embedded store (ladybug, Kùzu dialect) and on Neo4j; where the dialects
differ (shortest paths, a node's label, a relationship's type) the example carries its
Neo4j text too, and :func:`example_text` picks the one for a backend. The test suite runs
every example on the embedded store and pins which are per-dialect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, LiteralString

from graph.store.cypher import Dialect

__all__ = ["EXAMPLES", "Audience", "Example", "example", "example_text"]


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
    #: The Neo4j text where the dialects differ; None: ``cypher`` runs on both.
    neo4j: LiteralString | None = None

    @property
    def per_dialect(self) -> bool:
        return self.neo4j is not None

    def text(self, dialect: Dialect | str) -> LiteralString:
        """The query text for ``dialect`` (``"embedded"`` or ``"neo4j"``)."""
        if Dialect(dialect) is Dialect.NEO4J and self.neo4j is not None:
            return self.neo4j
        return self.cypher


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
        "MATCH p = (a:Partner {id: $partner})-[* SHORTEST 1..8]-(c:Challenge {id: $catalyst}) "
        "RETURN p, length(p) AS hops",
        {"partner": _PARTNER, "catalyst": _CATALYST},
        neo4j="MATCH p = shortestPath((a:Partner {id: $partner})-[*1..8]-"
        "(c:Challenge {id: $catalyst})) "
        "RETURN p, length(p) AS hops",
    ),
    Example(
        "nodes-per-label",
        "Nodes per label",
        Audience.RESEARCHERS,
        "How many nodes of each kind does the graph hold?",
        "MATCH (n) RETURN label(n) AS label, count(*) AS nodes ORDER BY label",
        neo4j="MATCH (n) WHERE NOT n:GcxStore "
        "RETURN labels(n)[0] AS label, count(*) AS nodes ORDER BY label",
    ),
    Example(
        "inferred-links",
        "Inferred links and how they were made",
        Audience.RESEARCHERS,
        "Which links are inferred rather than stated by a source, and by what method?",
        "MATCH (a)-[r]->(b) WHERE r.basis = 'inferred' "
        "RETURN label(r) AS type, a.name AS source, b.name AS target, r.method AS method, "
        "r.score AS score ORDER BY type, source, target",
        neo4j="MATCH (a)-[r]->(b) WHERE r.basis = 'inferred' "
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


def example_text(slug: str, backend: str) -> LiteralString:
    """The text of example ``slug`` for a store's ``backend`` (``store.backend``).

    >>> example_text("nodes-per-label", "neo4j").startswith("MATCH (n) WHERE NOT n:GcxStore")
    True
    """
    return example(slug).text(backend)
