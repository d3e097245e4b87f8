"""The corpus: Neo4j 5 read queries over the public schema, each with Neo4j's answer.

Every entry is a query as a Neo4j user writes it, its parameters, and either ``expect``
(the answer, computed by Python over the networkx snapshot under Neo4j's rules, see
``oracle.py``) or ``refuses`` (the Neo4j construct the refusal must name). Rows compare as
a bag unless ``ordered``; lists inside values compare as bags unless ``lists_ordered``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.data import Snapshot
from tests.cypher_corpus.oracle import Step, chain, edges, match, node, nodes, shortest

Rows = list[list[Any]]

PARTNER = "national-math-and-science-initiative"
CATALYST = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"


@dataclass(frozen=True)
class Case:
    """One corpus query and what Neo4j does with it."""

    query: str
    expect: Callable[[Snapshot], Rows] | None = None
    refuses: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    ordered: bool = False
    lists_ordered: bool = False

    @property
    def reads_every_node(self) -> bool:
        """Whether the answer counts unlabelled nodes (the Neo4j store keeps one more: its
        store-info node)."""
        q = self.query.replace(" ", "")
        return "MATCH(n)" in q or "(n:!" in q or "|!" in q


def _name(g: Snapshot, i: str) -> Any:
    return g.nodes[i].get("name")


#: A challenge, a focus area targeting it, a team working on that, and a member partner.
_CHALLENGE_TEAM_PARTNER = (
    "Challenge",
    "<TARGETS",
    "FocusArea",
    "<WORKS_ON",
    "ProjectTeam",
    "<MEMBER_OF",
    "Partner",
)


def _themes_and_resources(g: Snapshot, cell: Callable[[str], Any]) -> list[list[Any]]:
    """``MATCH (t:Theme) OPTIONAL MATCH (t)<-[:ABOUT]-(r)``: a row per resource about a
    theme with ``cell(resource id)``, and a null row per theme no resource is about."""
    about = edges(g, "ABOUT")
    rows = [[n["name"], cell(u)] for n in nodes(g, "Theme") for u, v, _ in about if v == n["id"]]
    return rows + [
        [n["name"], None] for n in nodes(g, "Theme") if not any(v == n["id"] for _, v, _ in about)
    ]


def _count_by(pairs: list[tuple[Any, Any]]) -> dict[Any, set[Any]]:
    out: dict[Any, set[Any]] = {}
    for k, v in pairs:
        out.setdefault(k, set()).add(v)
    return out


def _neo_round(x: float) -> float:
    return float(math.floor(x + 0.5))


def _node(n: dict[str, Any]) -> dict[str, Any]:
    """A node as a query returns it: its properties and its label."""
    return {"_label": n["kind"], **{k: v for k, v in n.items() if k != "kind"}}


def _members(g: Snapshot, team: str) -> list[str]:
    return [u for u, v, d in edges(g, "MEMBER_OF") if v == team]


_CATALYST_KIND: dict[Any, str] = {True: "catalyst", False: "other"}


def _out(g: Snapshot, i: str, rtype: str) -> list[str]:
    return [v for _, v, k in g.out_edges(i, keys=True) if k == rtype]


def neo4j_keys(props: dict[str, Any]) -> list[str]:
    """Neo4j's keys(): the properties that are set (a node's kind is its label)."""
    return [k for k, v in props.items() if v is not None and k not in ("kind", "type")]


def _sizes(g: Snapshot, kind: str, prop: str) -> list[int]:
    return [len(n[prop]) for n in nodes(g, kind) if n.get(prop) is not None]


def percentile_disc(values: list[Any], p: float) -> Any:
    """Neo4j's percentileDisc: the value at rank ceil(p * n) (the first for p = 0)."""
    xs = sorted(values)
    if not xs:
        return None
    return xs[max(math.ceil(p * len(xs)) - 1, 0)]


def percentile_cont(values: list[Any], p: float) -> float | None:
    """Neo4j's percentileCont: linear interpolation between the closest ranks."""
    xs = sorted(values)
    if not xs:
        return None
    at = p * (len(xs) - 1)
    low, high = math.floor(at), math.ceil(at)
    return float(xs[low] + (xs[high] - xs[low]) * (at - low))


def _degree(g: Snapshot, i: str) -> int:
    return int(g.degree(i))


C = Case
CORPUS: list[Case] = [
    # -- MATCH / WHERE --------------------------------------------------------------
    C("MATCH (t:Theme) RETURN t.name", lambda g: [[n["name"]] for n in nodes(g, "Theme")]),
    C(
        "MATCH (t:Theme) RETURN t.name ORDER BY t.name",
        lambda g: sorted([n["name"]] for n in nodes(g, "Theme")),
        ordered=True,
    ),
    C(
        "MATCH (c:Challenge) WHERE c.catalyst = true RETURN c.id",
        lambda g: [[n["id"]] for n in nodes(g, "Challenge") if n.get("catalyst") is True],
    ),
    C(
        "MATCH (c:Challenge) WHERE c.catalyst = false RETURN count(*)",
        lambda g: [[sum(1 for n in nodes(g, "Challenge") if n.get("catalyst") is False)]],
    ),
    C(
        "MATCH (c:Challenge) WHERE c.catalyst IS NULL RETURN c.name",
        lambda g: [[n["name"]] for n in nodes(g, "Challenge") if n.get("catalyst") is None],
    ),
    C(
        "MATCH (c:Challenge) WHERE NOT c.has_page RETURN c.id",
        lambda g: [[n["id"]] for n in nodes(g, "Challenge") if n.get("has_page") is False],
    ),
    C(
        "MATCH (p:Partner {id: $id}) RETURN p.name",
        lambda g: [[_name(g, PARTNER)]],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (p:Partner) WHERE p.id = $id RETURN p.name, p.sector",
        lambda g: [[_name(g, PARTNER), node(g, PARTNER).get("sector")]],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (p:Partner) WHERE p.name STARTS WITH 'National' RETURN p.name",
        lambda g: [[n["name"]] for n in nodes(g, "Partner") if n["name"].startswith("National")],
    ),
    C(
        "MATCH (p:Partner) WHERE p.name CONTAINS 'University' RETURN count(p)",
        lambda g: [[sum("University" in n["name"] for n in nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (p:Partner) WHERE p.name ENDS WITH 'Foundation' RETURN p.name",
        lambda g: [[n["name"]] for n in nodes(g, "Partner") if n["name"].endswith("Foundation")],
    ),
    C(
        "MATCH (p:Partner) WHERE p.name =~ 'National.*' RETURN p.name",
        lambda g: [[n["name"]] for n in nodes(g, "Partner") if n["name"].startswith("National")],
    ),
    C(
        "MATCH (p:Partner) WHERE p.name =~ '(?i)national.*' RETURN count(*)",
        lambda g: [[sum(n["name"].lower().startswith("national") for n in nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (p:Partner) WHERE p.sector IN ['Nonprofit', 'Foundation'] RETURN p.name",
        lambda g: [
            [n["name"]]
            for n in nodes(g, "Partner")
            if n.get("sector") in ("Nonprofit", "Foundation")
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE p.id IN $ids RETURN p.name",
        lambda g: [[_name(g, PARTNER)]],
        params={"ids": [PARTNER, "no-such-partner"]},
    ),
    C(
        "MATCH (f:FocusArea) WHERE f.year >= 2019 RETURN f.name, f.year",
        lambda g: [
            [n["name"], n["year"]]
            for n in nodes(g, "FocusArea")
            if n.get("year") is not None and n["year"] >= 2019
        ],
    ),
    C(
        "MATCH (f:FocusArea) WHERE 2018 <= f.year <= 2019 RETURN f.name",
        lambda g: [
            [n["name"]]
            for n in nodes(g, "FocusArea")
            if n.get("year") is not None and 2018 <= n["year"] <= 2019
        ],
    ),
    C(
        "MATCH (t:Theme) WHERE t.listed_order > 3 AND t.listed_order < 6 RETURN t.name",
        lambda g: [
            [n["name"]]
            for n in nodes(g, "Theme")
            if n.get("listed_order") is not None and 3 < n["listed_order"] < 6
        ],
    ),
    C(
        "MATCH (t:Theme) WHERE t.listed_order = 1 OR t.listed_order = 7 RETURN t.name",
        lambda g: [[n["name"]] for n in nodes(g, "Theme") if n.get("listed_order") in (1, 7)],
    ),
    C(
        "MATCH (t:Theme) WHERE t.listed_order = 1 XOR t.name = 'Prestige' RETURN t.name",
        lambda g: [
            [n["name"]]
            for n in nodes(g, "Theme")
            if (n.get("listed_order") == 1) != (n["name"] == "Prestige")
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE p.website IS NOT NULL RETURN count(*)",
        lambda g: [[sum(n.get("website") is not None for n in nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (c:Commitment) WHERE c.era <> '100Kin10' RETURN count(c)",
        lambda g: [[sum(n["era"] != "100Kin10" for n in nodes(g, "Commitment"))]],
    ),
    C("MATCH (n) RETURN count(n)", lambda g: [[g.number_of_nodes()]]),
    C("MATCH ()-[r]->() RETURN count(r)", lambda g: [[g.number_of_edges()]]),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t:ProjectTeam) RETURN p.name, t.name",
        lambda g: [
            [_name(g, a), _name(g, b)] for a, b in chain(g, "Partner", ">MEMBER_OF", "ProjectTeam")
        ],
    ),
    C(
        "MATCH (t:ProjectTeam)<-[:MEMBER_OF]-(p:Partner) RETURN t.name, count(p) AS members",
        lambda g: [
            [_name(g, t["id"]), len(_members(g, t["id"]))]
            for t in nodes(g, "ProjectTeam")
            if _members(g, t["id"])
        ],
    ),
    C(
        "MATCH (a)-[:FUNDS]->(f) RETURN a.name, f.name",
        lambda g: [[_name(g, u), _name(g, v)] for u, v, _ in edges(g, "FUNDS")],
    ),
    C(
        "MATCH (c:Challenge)-[:IN_THEME]->(t:Theme {name: 'Prestige'}) RETURN c.name",
        lambda g: [
            [_name(g, a)]
            for a, b in chain(g, "Challenge", ">IN_THEME", "Theme")
            if _name(g, b) == "Prestige"
        ],
    ),
    C(
        "MATCH (r:Resource)-[:ABOUT]->(x) RETURN r.title, x.id",
        lambda g: [[node(g, u)["title"], v] for u, v, _ in edges(g, "ABOUT")],
    ),
    C(
        "MATCH (a:Activity)-[:CONCERNS]->(x) RETURN a.activity_type, x.name",
        lambda g: [[node(g, u)["activity_type"], _name(g, v)] for u, v, _ in edges(g, "CONCERNS")],
    ),
    C(
        "MATCH (p:Partner)-[:MADE]->(c:Commitment) WHERE c.era = 'Beyond100K' "
        "RETURN p.name, count(c) AS n",
        lambda g: [
            [_name(g, p), n]
            for p, n in Counter(
                a
                for a, b in chain(g, "Partner", ">MADE", "Commitment")
                if node(g, b)["era"] == "Beyond100K"
            ).items()
        ],
    ),
    C(
        "MATCH (a)-[r:TARGETS|CITES]->(c:Challenge) RETURN a.name, c.name",
        lambda g: [
            [_name(g, a), _name(g, b)] for a, b in chain(g, "*", ">TARGETS|CITES", "Challenge")
        ],
    ),
    C(
        "MATCH (f:FocusArea)-[r:TARGETS]->(c) WHERE r.basis = 'stated' RETURN f.name, c.name, "
        "r.evidence",
        lambda g: [
            [_name(g, u), _name(g, v), d.get("evidence")]
            for u, v, d in edges(g, "TARGETS")
            if d["basis"] == "stated"
        ],
    ),
    C(
        "MATCH (k:Keystone)-[r:CORRESPONDS_TO]->(c) RETURN k.name, r.method",
        lambda g: [[_name(g, u), d.get("method")] for u, v, d in edges(g, "CORRESPONDS_TO")],
    ),
    C(
        "MATCH (a)-[r]->(b) WHERE r.basis = 'inferred' RETURN count(*)",
        lambda g: [[sum(d["basis"] == "inferred" for _, _, d in edges(g))]],
    ),
    C(
        "MATCH (c:Challenge)<-[:TARGETS]-(:FocusArea)<-[:WORKS_ON]-(:ProjectTeam)"
        "<-[:MEMBER_OF]-(p:Partner) RETURN c.name, count(DISTINCT p) AS partners",
        lambda g: [
            [_name(g, c), len(ps)]
            for c, ps in _count_by(
                [(ids[0], ids[3]) for ids in chain(g, *_CHALLENGE_TEAM_PARTNER)]
            ).items()
        ],
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t)<-[:MEMBER_OF]-(q:Partner) WHERE p.id = $id "
        "RETURN q.name, count(t) AS shared",
        lambda g: [
            [_name(g, q), n]
            for q, n in Counter(
                ids[2]
                for ids in chain(g, "Partner", ">MEMBER_OF", "*", "<MEMBER_OF", "Partner")
                if ids[0] == PARTNER
            ).items()
        ],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t)<-[:MEMBER_OF]-(q:Partner) RETURN count(*) AS pairs",
        lambda g: [[len(chain(g, "Partner", ">MEMBER_OF", "*", "<MEMBER_OF", "Partner"))]],
    ),
    C(
        "MATCH (p:Partner {id: $partner})-[:MEMBER_OF]->(t:ProjectTeam)<-[:MEMBER_OF]-"
        "(other:Partner) RETURN other.name, collect(t.name) AS teams",
        lambda g: [
            [_name(g, o), sorted(_name(g, t) for t in ts)]
            for o, ts in _count_by(
                [
                    (ids[2], ids[1])
                    for ids in chain(
                        g, "Partner", ">MEMBER_OF", "ProjectTeam", "<MEMBER_OF", "Partner"
                    )
                    if ids[0] == PARTNER
                ]
            ).items()
        ],
        params={"partner": PARTNER},
    ),
    C(
        "MATCH (a)-[r1]->(b)<-[r2]-(c) RETURN count(*)",
        lambda g: [[len(match(g, [None] * 3, [Step(), Step(direction="<")]))]],
    ),
    C("MATCH (a)--(b) RETURN count(*)", lambda g: [[2 * g.number_of_edges()]]),
    C(
        "MATCH (c:Challenge)-[r]-() RETURN c.name, count(r) AS links",
        lambda g: [
            [n["name"], _degree(g, n["id"])] for n in nodes(g, "Challenge") if _degree(g, n["id"])
        ],
    ),
    C(
        "MATCH (x:Challenge), (t:Theme {name: 'Prestige'}) WHERE (x)-[:IN_THEME]->(t) "
        "RETURN x.name",
        lambda g: [
            [_name(g, a)]
            for a, b in chain(g, "Challenge", ">IN_THEME", "Theme")
            if _name(g, b) == "Prestige"
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE NOT (p)-[:MEMBER_OF]->() AND NOT (p)-[:MADE]->() "
        "AND NOT (p)-[:TOOK_PART_IN]->() AND NOT (p)-[:FUNDS]->() RETURN count(p)",
        lambda g: [
            [
                sum(
                    not any(
                        k in ("MEMBER_OF", "MADE", "TOOK_PART_IN", "FUNDS")
                        for _, _, k in g.out_edges(n["id"], keys=True)
                    )
                    for n in nodes(g, "Partner")
                )
            ]
        ],
    ),
    # -- OPTIONAL MATCH -------------------------------------------------------------
    C(
        "MATCH (t:Theme) OPTIONAL MATCH (t)<-[:ABOUT]-(r:Resource) RETURN t.name, count(r)",
        lambda g: [
            [n["name"], sum(1 for u, v, _ in edges(g, "ABOUT") if v == n["id"])]
            for n in nodes(g, "Theme")
        ],
    ),
    C(
        "MATCH (t:Theme) OPTIONAL MATCH (t)<-[:ABOUT]-(r:Resource) RETURN t.name, r.title",
        lambda g: _themes_and_resources(g, lambda u: node(g, u)["title"]),
    ),
    C(
        "MATCH (f:FocusArea) OPTIONAL MATCH (f)<-[:FUNDS]-(p) RETURN f.name, collect(p.name)",
        lambda g: [
            [n["name"], sorted(_name(g, u) for u, v, _ in edges(g, "FUNDS") if v == n["id"])]
            for n in nodes(g, "FocusArea")
        ],
    ),
    C(
        "MATCH (k:Keystone) OPTIONAL MATCH (k)-[:CORRESPONDS_TO]->(c)-[:IN_THEME]->(t) "
        "RETURN k.name, t.name",
        lambda g: [
            [_name(g, k["id"]), t]
            for k in nodes(g, "Keystone")
            for t in (
                [
                    _name(g, ids[2])
                    for ids in chain(g, "Keystone", ">CORRESPONDS_TO", "*", ">IN_THEME", "*")
                    if ids[0] == k["id"]
                ]
                or [None]
            )
        ],
    ),
    C(
        "MATCH (c:Challenge) OPTIONAL MATCH (c)<-[:ADDRESSES]-(m) RETURN count(c), count(m)",
        lambda g: [
            [
                sum(
                    max(
                        1,
                        g.in_degree(n["id"])
                        and sum(1 for _, v, _ in edges(g, "ADDRESSES") if v == n["id"]),
                    )
                    for n in nodes(g, "Challenge")
                ),
                sum(1 for _, v, _ in edges(g, "ADDRESSES") if g.nodes[v]["kind"] == "Challenge"),
            ]
        ],
    ),
    C("OPTIONAL MATCH (x:Challenge)-[:INFLUENCES]->(y) RETURN x, y", lambda g: [[None, None]]),
    C(
        "MATCH (t:ProjectTeam) OPTIONAL MATCH (t)-[:CITES]->(c) WITH t, c WHERE c IS NULL "
        "RETURN count(t)",
        lambda g: [
            [
                sum(
                    1
                    for t in nodes(g, "ProjectTeam")
                    if not any(u == t["id"] for u, _, _ in edges(g, "CITES"))
                )
            ]
        ],
    ),
    # -- aggregation ----------------------------------------------------------------
    C(
        "MATCH (n:Partner) RETURN n.sector AS sector, count(*) AS n",
        lambda g: [
            [k, v] for k, v in Counter(n.get("sector") for n in nodes(g, "Partner")).items()
        ],
    ),
    C(
        "MATCH (c:Challenge)-[:IN_THEME]->(t:Theme) RETURN t.name AS theme, count(c) AS challenges "
        "ORDER BY challenges DESC, theme",
        lambda g: sorted(
            (
                [_name(g, t), n]
                for t, n in Counter(
                    b for a, b in chain(g, "Challenge", ">IN_THEME", "Theme")
                ).items()
            ),
            key=lambda r: (-r[1], r[0]),
        ),
        ordered=True,
    ),
    C(
        "MATCH (f:FocusArea) RETURN min(f.year), max(f.year), sum(f.year), avg(f.year)",
        lambda g: [
            [min(ys), max(ys), sum(ys), sum(ys) / len(ys)]
            for ys in [[n["year"] for n in nodes(g, "FocusArea") if n.get("year") is not None]]
        ],
    ),
    C(
        "MATCH (p:Partner) RETURN count(DISTINCT p.sector)",
        lambda g: [[len({n["sector"] for n in nodes(g, "Partner") if n.get("sector")})]],
    ),
    C(
        "MATCH (p:Partner) RETURN collect(DISTINCT p.sector) AS sectors",
        lambda g: [[sorted({n["sector"] for n in nodes(g, "Partner") if n.get("sector")})]],
    ),
    C(
        "MATCH (t:Theme) RETURN collect(t.name) AS names",
        lambda g: [[sorted(n["name"] for n in nodes(g, "Theme"))]],
    ),
    C("MATCH (t:Theme) RETURN size(collect(t.name)) AS n", lambda g: [[len(nodes(g, "Theme"))]]),
    C(
        "MATCH (c:Challenge) RETURN c.catalyst, count(*)",
        lambda g: [
            [k, v] for k, v in Counter(n.get("catalyst") for n in nodes(g, "Challenge")).items()
        ],
    ),
    C(
        "MATCH (r:Resource) RETURN r.resource_type, count(*) AS n ORDER BY n DESC, r.resource_type",
        lambda g: sorted(
            (
                [k, v]
                for k, v in Counter(n.get("resource_type") for n in nodes(g, "Resource")).items()
            ),
            key=lambda r: (-r[1], r[0] is None, r[0] or ""),
        ),
        ordered=True,
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) WITH p, count(t) AS teams WHERE teams > 2 "
        "RETURN p.name, teams",
        lambda g: [
            [_name(g, p), n]
            for p, n in Counter(u for u, _, _ in edges(g, "MEMBER_OF")).items()
            if n > 2
        ],
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) WITH p, count(t) AS teams "
        "RETURN max(teams) AS most, min(teams) AS fewest",
        lambda g: [
            [max(c.values()), min(c.values())]
            for c in [Counter(u for u, _, _ in edges(g, "MEMBER_OF"))]
        ],
    ),
    C(
        "MATCH (t:ProjectTeam) RETURN avg(t.year) AS mean_year, count(t.year) AS known",
        lambda g: [
            [sum(ys) / len(ys), len(ys)]
            for ys in [[n["year"] for n in nodes(g, "ProjectTeam") if n.get("year") is not None]]
        ],
    ),
    C(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, count(*) AS n",
        lambda g: [[k, v] for k, v in Counter(k for _, _, k in g.edges(keys=True)).items()],
    ),
    C(
        "MATCH (n) RETURN labels(n) AS kinds, count(*) AS n",
        lambda g: [[[k], v] for k, v in Counter(d["kind"] for _, d in g.nodes(data=True)).items()],
    ),
    C(
        "MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS n ORDER BY kind",
        lambda g: sorted(
            [k, v] for k, v in Counter(d["kind"] for _, d in g.nodes(data=True)).items()
        ),
        ordered=True,
    ),
    C(
        "MATCH (a)-[r]->(b) WITH type(r) AS t, count(*) AS n WHERE n > 10 RETURN t ORDER BY t",
        lambda g: sorted(
            [k] for k, v in Counter(k for _, _, k in g.edges(keys=True)).items() if v > 10
        ),
        ordered=True,
    ),
    C(
        "MATCH (p:Partner) WHERE size(p.name) > 40 RETURN count(*)",
        lambda g: [[sum(len(n["name"]) > 40 for n in nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (c:Commitment) RETURN c.era, count(*)",
        lambda g: [[k, v] for k, v in Counter(n["era"] for n in nodes(g, "Commitment")).items()],
    ),
    # -- ordering, paging, DISTINCT ------------------------------------------------------
    C(
        "MATCH (p:Partner) RETURN p.name ORDER BY p.name LIMIT 5",
        lambda g: sorted([n["name"]] for n in nodes(g, "Partner"))[:5],
        ordered=True,
    ),
    C(
        "MATCH (p:Partner) RETURN p.name ORDER BY p.name DESC SKIP 3 LIMIT 4",
        lambda g: sorted(([n["name"]] for n in nodes(g, "Partner")), reverse=True)[3:7],
        ordered=True,
    ),
    C(
        "MATCH (p:Partner) RETURN p.name ORDER BY p.name SKIP $skip LIMIT $limit",
        lambda g: sorted([n["name"]] for n in nodes(g, "Partner"))[10:13],
        ordered=True,
        params={"skip": 10, "limit": 3},
    ),
    C(
        "MATCH (t:Theme) RETURN t.name, t.listed_order ORDER BY t.listed_order DESC",
        lambda g: sorted(
            ([n["name"], n.get("listed_order")] for n in nodes(g, "Theme")),
            key=lambda r: (r[1] is not None, r[1] or 0),
            reverse=True,
        ),
        ordered=True,
    ),
    C(
        "MATCH (c:Challenge) RETURN c.name, c.catalyst ORDER BY c.catalyst, c.name",
        lambda g: sorted(
            ([n["name"], n.get("catalyst")] for n in nodes(g, "Challenge")),
            key=lambda r: (r[1] is None, r[1] or False, r[0]),
        ),
        ordered=True,
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) RETURN DISTINCT p.name",
        lambda g: [[_name(g, u)] for u in {u for u, _, _ in edges(g, "MEMBER_OF")}],
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) RETURN DISTINCT p.sector ORDER BY p.sector",
        lambda g: sorted(
            ([s] for s in {node(g, u).get("sector") for u, _, _ in edges(g, "MEMBER_OF")}),
            key=lambda r: (r[0] is None, r[0] or ""),
        ),
        ordered=True,
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) WITH DISTINCT p RETURN count(p)",
        lambda g: [[len({u for u, _, _ in edges(g, "MEMBER_OF")})]],
    ),
    C(
        "MATCH (c:Challenge) WITH c ORDER BY c.name LIMIT 3 RETURN c.name",
        lambda g: sorted([n["name"]] for n in nodes(g, "Challenge"))[:3],
    ),
    C(
        "MATCH (t:Theme) WITH t ORDER BY t.name RETURN collect(t.name) AS names",
        refuses="WITH ... ORDER BY followed by an aggregation",
    ),
    C(
        "MATCH (t:Theme) WITH t ORDER BY t.name RETURN t.name AS name",
        lambda g: sorted([n["name"]] for n in nodes(g, "Theme")),
        ordered=True,
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) WITH p, count(t) AS n ORDER BY n DESC, p.name "
        "RETURN collect(p.name)[..3] AS top",
        refuses="WITH ... ORDER BY followed by an aggregation",
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t) WITH p, count(t) AS n ORDER BY n DESC, p.name "
        "LIMIT 3 RETURN p.name, n",
        lambda g: [
            [_name(g, p), n]
            for p, n in sorted(
                Counter(u for u, _, _ in edges(g, "MEMBER_OF")).items(),
                key=lambda kv: (-kv[1], _name(g, kv[0])),
            )[:3]
        ],
        ordered=True,
    ),
    # -- UNWIND, lists, CASE ---------------------------------------------------------------
    C("UNWIND [1, 2, 3] AS x RETURN x * 2", lambda g: [[2], [4], [6]]),
    C("UNWIND range(1, 10, 3) AS x RETURN x", lambda g: [[1], [4], [7], [10]]),
    C(
        "UNWIND $names AS name MATCH (t:Theme {name: name}) RETURN t.id",
        lambda g: [
            [n["id"]] for n in nodes(g, "Theme") if n["name"] in ("Prestige", "Preparation")
        ],
        params={"names": ["Prestige", "Preparation", "Nothing"]},
    ),
    C(
        "MATCH (p:Partner {id: $id}) UNWIND p.source_url AS url RETURN count(url)",
        lambda g: [[len(node(g, PARTNER)["source_url"])]],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (f:FocusArea) UNWIND f.network_stats AS s RETURN f.name, s",
        lambda g: [
            [n["name"], s] for n in nodes(g, "FocusArea") for s in (n.get("network_stats") or [])
        ],
    ),
    C("UNWIND [] AS x RETURN x", lambda g: []),
    C("WITH [10, 20, 30] AS xs RETURN xs[0], xs[2], xs[-1]", lambda g: [[10, 30, 30]]),
    C(
        "WITH [10, 20, 30, 40] AS xs RETURN xs[1..3], xs[..2]",
        lambda g: [[[20, 30], [10, 20]]],
        lists_ordered=True,
    ),
    C("RETURN [1, 2] + [3] AS xs", lambda g: [[[1, 2, 3]]], lists_ordered=True),
    C("RETURN 3 IN [1, 2, 3] AS yes, 4 IN [1, 2] AS no", lambda g: [[True, False]]),
    C("RETURN size([1, 2, 3]) AS n", lambda g: [[3]]),
    C("RETURN head([4, 5, 6]) AS h, last([4, 5, 6]) AS l", lambda g: [[4, 6]]),
    C("RETURN tail([4, 5, 6]) AS t", lambda g: [[[5, 6]]], lists_ordered=True),
    C("RETURN range(0, 4) AS r", lambda g: [[[0, 1, 2, 3, 4]]], lists_ordered=True),
    C(
        "RETURN [x IN range(1, 6) WHERE x % 2 = 0 | x * x] AS squares",
        lambda g: [[[4, 16, 36]]],
        lists_ordered=True,
    ),
    C("RETURN [x IN [3, 1, 2] WHERE x > 1] AS big", lambda g: [[[3, 2]]], lists_ordered=True),
    C("RETURN [x IN ['a', 'b'] | toUpper(x)] AS up", lambda g: [[["A", "B"]]], lists_ordered=True),
    C(
        "MATCH (t:Theme) WITH collect(t.listed_order) AS orders "
        "RETURN [o IN orders WHERE o > 5] AS late",
        lambda g: [
            [[n["listed_order"] for n in nodes(g, "Theme") if (n.get("listed_order") or 0) > 5]]
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE any(r IN p.roles WHERE r CONTAINS 'funder') RETURN count(p)",
        lambda g: [
            [
                sum(
                    any("funder" in r for r in (n.get("roles") or []))
                    for n in nodes(g, "Partner")
                    if n.get("roles") is not None
                )
            ]
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE all(u IN p.source_url WHERE u STARTS WITH 'http') RETURN count(p)",
        lambda g: [
            [sum(all(u.startswith("http") for u in n["source_url"]) for n in nodes(g, "Partner"))]
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE none(u IN p.source_url WHERE u CONTAINS '100kin10') "
        "RETURN count(p)",
        lambda g: [
            [sum(not any("100kin10" in u for u in n["source_url"]) for n in nodes(g, "Partner"))]
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE single(u IN p.source_url WHERE u CONTAINS 'http') RETURN count(p)",
        lambda g: [
            [sum(sum("http" in u for u in n["source_url"]) == 1 for n in nodes(g, "Partner"))]
        ],
    ),
    C(
        "MATCH (c:Challenge) RETURN c.name, CASE WHEN c.catalyst THEN 'catalyst' "
        "WHEN c.catalyst = false THEN 'other' ELSE 'unknown' END AS kind",
        lambda g: [
            [n["name"], _CATALYST_KIND.get(n.get("catalyst"), "unknown")]
            for n in nodes(g, "Challenge")
        ],
    ),
    C(
        "MATCH (r:Resource) RETURN CASE r.resource_type WHEN 'report' THEN 1 ELSE 0 END AS x, "
        "count(*)",
        lambda g: [
            [k, v]
            for k, v in Counter(
                int(n.get("resource_type") == "report") for n in nodes(g, "Resource")
            ).items()
        ],
    ),
    C(
        "MATCH (p:Partner) RETURN coalesce(p.sector, 'unknown') AS s, count(*)",
        lambda g: [
            [k, v]
            for k, v in Counter(n.get("sector") or "unknown" for n in nodes(g, "Partner")).items()
        ],
    ),
    C("RETURN reduce(total = 0, x IN [1, 2, 3] | total + x) AS s", lambda g: [[6]]),
    C(
        "MATCH (t:Theme) RETURN reduce(s = '', w IN split(t.name, ' ') | s + left(w, 1)) AS a",
        lambda g: [["".join(w[:1] for w in n["name"].split(" "))] for n in nodes(g, "Theme")],
    ),
    # -- EXISTS / COUNT subqueries, pattern predicates ----------------------------------
    C(
        "MATCH (c:Challenge) WHERE EXISTS { (c)<-[:TARGETS]-(:FocusArea) } RETURN c.name",
        lambda g: [[_name(g, v)] for v in {v for _, v, _ in edges(g, "TARGETS")}],
    ),
    C(
        "MATCH (c:Challenge) WHERE EXISTS { MATCH (c)<-[:TARGETS]-(:FocusArea) } RETURN c.name",
        lambda g: [[_name(g, v)] for v in {v for _, v, _ in edges(g, "TARGETS")}],
    ),
    C(
        "MATCH (c:Challenge) WHERE NOT EXISTS { (c)-[:IN_THEME]->() } RETURN c.id",
        lambda g: [
            [n["id"]]
            for n in nodes(g, "Challenge")
            if not any(u == n["id"] for u, _, _ in edges(g, "IN_THEME"))
        ],
    ),
    C(
        "MATCH (c:Challenge) WHERE c.catalyst = true AND NOT EXISTS "
        "{ MATCH (:FocusArea)-[:TARGETS]->(c) } AND NOT EXISTS "
        "{ MATCH (:Commitment)-[:ADDRESSES]->(c) } RETURN c.name, c.has_page ORDER BY c.name",
        lambda g: sorted(
            [n["name"], n["has_page"]]
            for n in nodes(g, "Challenge")
            if n.get("catalyst") is True
            and not any(v == n["id"] for _, v, _ in edges(g, "TARGETS") + edges(g, "ADDRESSES"))
        ),
        ordered=True,
    ),
    C(
        "MATCH (t:Theme) RETURN t.name, COUNT { (t)<-[:IN_THEME]-() } AS challenges",
        lambda g: [
            [n["name"], sum(v == n["id"] for _, v, _ in edges(g, "IN_THEME"))]
            for n in nodes(g, "Theme")
        ],
    ),
    C(
        "MATCH (t:Theme) RETURN t.name, COUNT { MATCH (t)<-[:IN_THEME]-(c:Challenge) "
        "WHERE c.catalyst } AS catalysts",
        lambda g: [
            [
                n["name"],
                sum(
                    v == n["id"] and node(g, u).get("catalyst") is True
                    for u, v, _ in edges(g, "IN_THEME")
                ),
            ]
            for n in nodes(g, "Theme")
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE COUNT { (p)-[:MEMBER_OF]->() } >= 3 RETURN p.name",
        lambda g: [
            [_name(g, p)]
            for p, n in Counter(u for u, _, _ in edges(g, "MEMBER_OF")).items()
            if n >= 3
        ],
    ),
    C(
        "MATCH (p:Partner) WHERE exists((p)-[:FUNDS]->()) RETURN p.name",
        lambda g: [[_name(g, u)] for u in {u for u, _, _ in edges(g, "FUNDS")}],
    ),
    C(
        "MATCH (p:Partner) WHERE (p)-[:FUNDS]->() RETURN count(p)",
        lambda g: [[len({u for u, _, _ in edges(g, "FUNDS")})]],
    ),
    C(
        "MATCH (p:Partner) RETURN p.name, size((p)-[:MEMBER_OF]->()) AS teams",
        refuses="size((pattern))",
    ),
    C(
        "MATCH (p:Partner) RETURN p.name, [(p)-[:MEMBER_OF]->(t) | t.name] AS teams",
        refuses="pattern comprehension",
    ),
    # -- CALL subqueries --------------------------------------------------------------------
    C(
        "MATCH (t:Theme) CALL { WITH t MATCH (t)<-[:IN_THEME]-(c) RETURN count(c) AS n } "
        "RETURN t.name, n",
        refuses="CALL { }",
    ),
    C(
        "CALL { MATCH (t:Theme) RETURN t.name AS name UNION MATCH (f:FocusArea) "
        "RETURN f.name AS name } RETURN count(name)",
        refuses="CALL { }",
    ),
    # -- variable-length and shortest paths ----------------------------------------------
    C(
        "MATCH (p:Partner {id: $id})-[*1..2]-(x) RETURN count(*)",
        lambda g: [
            [
                sum(
                    1
                    for ids, _ in match(g, ["Partner", None], [Step(direction="-", low=1, high=2)])
                    if ids[0] == PARTNER
                )
            ]
        ],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (a:Partner)<-->(t)<-->(b:Partner) RETURN count(*)",
        lambda g: [[len(chain(g, "Partner", "-", "*", "-", "Partner"))]],
    ),
    C(
        "MATCH (t:ProjectTeam)<-[r:MEMBER_OF]->(p) RETURN t.id, p.id",
        lambda g: [[v, u] for u, v, _ in edges(g, "MEMBER_OF")],
    ),
    C(
        "MATCH (a:Partner)-[*1..2]-(b:Partner) RETURN count(*)",
        lambda g: [[len(match(g, ["Partner", "Partner"], [Step(direction="-", low=1, high=2)]))]],
    ),
    C(
        "MATCH p = (a:Partner)-[:MEMBER_OF*1..3]-(b:Partner) RETURN count(p)",
        lambda g: [[len(match(g, ["Partner", "Partner"], [Step(("MEMBER_OF",), "-", 1, 3)]))]],
    ),
    C(
        "MATCH (a:Partner {id: $id})-[:MEMBER_OF*2]-(b:Partner) RETURN DISTINCT b.name",
        lambda g: [
            [_name(g, i)]
            for i in {
                ids[1]
                for ids, _ in match(g, ["Partner", "Partner"], [Step(("MEMBER_OF",), "-", 2, 2)])
                if ids[0] == PARTNER
            }
        ],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (c:Challenge)<-[:TARGETS|WORKS_ON|MEMBER_OF*3]-(p:Partner) "
        "RETURN c.name, count(DISTINCT p)",
        lambda g: [
            [_name(g, c), len(ps)]
            for c, ps in _count_by(
                [
                    (ids[0], ids[1])
                    for ids, _ in match(
                        g,
                        ["Challenge", "Partner"],
                        [Step(("TARGETS", "WORKS_ON", "MEMBER_OF"), "<", 3, 3)],
                    )
                ]
            ).items()
        ],
    ),
    C("MATCH (a)-[*]->(b) RETURN count(*)", refuses="unbounded variable-length"),
    C(
        "MATCH p = shortestPath((a:Partner {id: $partner})-[*..8]-(c:Challenge {id: $catalyst})) "
        "RETURN length(p) AS hops",
        lambda g: [[shortest(g, PARTNER, CATALYST)]],
        params={"partner": PARTNER, "catalyst": CATALYST},
    ),
    C(
        "MATCH p = shortestPath((a:Theme {name: 'Prestige'})-[*..10]-(b:Theme {name: "
        "'Preparation'})) RETURN length(p)",
        lambda g: [
            [
                shortest(
                    g,
                    *[n["id"] for n in nodes(g, "Theme") if n["name"] in ("Prestige",)],
                    *[n["id"] for n in nodes(g, "Theme") if n["name"] in ("Preparation",)],
                )
            ]
        ],
    ),
    C(
        "MATCH p = allShortestPaths((a:Partner {id: $partner})-[*..8]-(c:Challenge "
        "{id: $catalyst})) RETURN DISTINCT length(p)",
        lambda g: [[shortest(g, PARTNER, CATALYST)]],
        params={"partner": PARTNER, "catalyst": CATALYST},
    ),
    C(
        "MATCH p = shortestPath((a:Partner {id: $partner})-[*..8]-(c:Challenge "
        "{id: $catalyst})) RETURN [n IN nodes(p) | n.id][0] AS first",
        lambda g: [[PARTNER]],
        params={"partner": PARTNER, "catalyst": CATALYST},
    ),
    # -- path functions -------------------------------------------------------------------
    C(
        "MATCH p = (c:Challenge)-[:IN_THEME]->(t:Theme) RETURN length(p), size(nodes(p)), "
        "size(relationships(p)) LIMIT 1",
        lambda g: [[1, 2, 1]],
    ),
    C(
        "MATCH p = (a:Partner)-[:MEMBER_OF]->(t)-[:WORKS_ON]->(f) RETURN count(p), max(length(p))",
        lambda g: [[len(chain(g, "Partner", ">MEMBER_OF", "*", ">WORKS_ON", "*")), 2]],
    ),
    C(
        "MATCH p = (f:FocusArea)-[:TARGETS]->(c) RETURN [n IN nodes(p) | n.id] AS ids",
        lambda g: [[[u, v]] for u, v, _ in edges(g, "TARGETS")],
        lists_ordered=True,
    ),
    C(
        "MATCH p = (f:FocusArea)-[:TARGETS]->(c) RETURN [r IN relationships(p) | type(r)] AS t",
        lambda g: [[["TARGETS"]] for _ in edges(g, "TARGETS")],
    ),
    C(
        "MATCH p = (f:FocusArea)-[r:TARGETS]->(c) RETURN startNode(r).id",
        lambda g: [[u] for u, _, _ in edges(g, "TARGETS")],
    ),
    C(
        "MATCH (f:FocusArea)-[r:TARGETS]->(c) RETURN endNode(r).name",
        lambda g: [[_name(g, v)] for _, v, _ in edges(g, "TARGETS")],
    ),
    C(
        "MATCH (c:Challenge)<-[r:TARGETS]-(f) RETURN startNode(r) = f AS a, endNode(r) = c AS b",
        lambda g: [[True, True] for _ in edges(g, "TARGETS")],
    ),
    C(
        "MATCH (p:Partner) OPTIONAL MATCH (p)-[r:FUNDS]->() RETURN p.id, startNode(r).id AS s",
        lambda g: (
            [[n["id"], n["id"]] for n in nodes(g, "Partner") for _ in _out(g, n["id"], "FUNDS")]
            + [[n["id"], None] for n in nodes(g, "Partner") if not _out(g, n["id"], "FUNDS")]
        ),
    ),
    C(
        "MATCH (p:Partner) OPTIONAL MATCH (p)-[r:FUNDS]->() RETURN type(r) AS t, count(*) AS n",
        lambda g: [
            [k, v]
            for k, v in Counter(
                t
                for n in nodes(g, "Partner")
                for t in (
                    [k for _, _, k in g.out_edges(n["id"], keys=True) if k == "FUNDS"] or [None]
                )
            ).items()
        ],
    ),
    C("MATCH (a)-[r:MEMBER_OF]-(b) RETURN startNode(r).id", refuses="startNode"),
    # -- string functions -------------------------------------------------------------------
    C(
        "MATCH (c:Commitment) RETURN substring(c.text, 0, 20) AS start",
        lambda g: [[n["text"][:20]] for n in nodes(g, "Commitment")],
    ),
    C(
        "MATCH (t:Theme) RETURN substring(t.name, 2) AS rest",
        lambda g: [[n["name"][2:]] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN substring(t.name, 1, 3) AS mid",
        lambda g: [[n["name"][1:4]] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN left(t.name, 4), right(t.name, 3)",
        lambda g: [[n["name"][:4], n["name"][-3:]] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN toUpper(t.name), toLower(t.name)",
        lambda g: [[n["name"].upper(), n["name"].lower()] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN upper(t.name) AS u",
        lambda g: [[n["name"].upper()] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN replace(t.name, 'e', '3') AS r",
        lambda g: [[n["name"].replace("e", "3")] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN reverse(t.name) AS r",
        lambda g: [[n["name"][::-1]] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN split(t.name, ' ') AS words",
        lambda g: [[n["name"].split(" ")] for n in nodes(g, "Theme")],
        lists_ordered=True,
    ),
    C(
        "MATCH (t:Theme) RETURN size(split(t.name, ' ')) AS words",
        lambda g: [[len(n["name"].split(" "))] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN size(t.name) AS n",
        lambda g: [[len(n["name"])] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN t.name + ' (' + t.id + ')' AS label",
        lambda g: [[n["name"] + " (" + n["id"] + ")"] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN trim('  ' + t.name + '  ') AS n",
        lambda g: [[n["name"]] for n in nodes(g, "Theme")],
    ),
    C(
        "MATCH (t:Theme) RETURN ltrim(' ' + t.name) AS a, rtrim(t.name + ' ') AS b",
        lambda g: [[n["name"], n["name"]] for n in nodes(g, "Theme")],
    ),
    C("RETURN trim('abcdefghijkl ') AS t", lambda g: [["abcdefghijkl"]]),
    C(
        "RETURN rtrim('abcdefghijkl   ') AS t, ltrim('   abcdefghijkl') AS u",
        lambda g: [["abcdefghijkl", "abcdefghijkl"]],
    ),
    C(
        "MATCH (t:Theme) RETURN toString(t.listed_order) AS s",
        lambda g: [
            [None if n.get("listed_order") is None else str(n["listed_order"])]
            for n in nodes(g, "Theme")
        ],
    ),
    C(
        "RETURN toString(1.5) AS a, toString(true) AS b, toString(42) AS c",
        lambda g: [["1.5", "true", "42"]],
    ),
    C(
        "RETURN toInteger('42') AS a, toInteger(3.7) AS b, toInteger('x') AS c",
        lambda g: [[42, 3, None]],
    ),
    C("RETURN toFloat('1.5') AS a, toFloat(2) AS b", lambda g: [[1.5, 2.0]]),
    C("RETURN toBoolean('true') AS a, toBoolean('no') AS b", lambda g: [[True, None]]),
    C(
        "MATCH (p:Partner) WHERE toLower(p.name) CONTAINS 'science' RETURN count(*)",
        lambda g: [[sum("science" in n["name"].lower() for n in nodes(g, "Partner"))]],
    ),
    # -- numbers ----------------------------------------------------------------------
    C("RETURN 7 / 2 AS a, 7 % 3 AS b, 7.0 / 2 AS c, 2 ^ 3 AS d", lambda g: [[3, 1, 3.5, 8.0]]),
    C("RETURN abs(-3) AS a, sign(-2) AS b, sqrt(16) AS c", lambda g: [[3, -1, 4.0]]),
    C(
        "RETURN round(2.5) AS a, round(-2.5) AS b, round(2.4) AS c",
        lambda g: [[_neo_round(2.5), _neo_round(-2.5), _neo_round(2.4)]],
    ),
    C("RETURN round(3.14159, 2) AS a", lambda g: [[3.14]]),
    C("RETURN floor(2.7) AS a, ceil(2.1) AS b", lambda g: [[2.0, 3.0]]),
    C(
        "MATCH (t:Theme) RETURN round(avg(t.listed_order)) AS a",
        lambda g: [
            [_neo_round(sum(n["listed_order"] for n in nodes(g, "Theme")) / len(nodes(g, "Theme")))]
        ],
    ),
    C("RETURN -7 / 2 AS a, -7 % 3 AS b", lambda g: [[-3, -1]]),
    C(
        "MATCH (f:FocusArea) RETURN f.name, 2021 - f.year AS age",
        lambda g: [
            [n["name"], None if n.get("year") is None else 2021 - n["year"]]
            for n in nodes(g, "FocusArea")
        ],
    ),
    C("RETURN rand() < 1.0 AS r", lambda g: [[True]]),
    C("MATCH (c:Commitment) RETURN stDev(size(c.text)) > 0 AS spread", refuses="stDev"),
    C(
        "MATCH (c:Commitment) RETURN percentileCont(size(c.text), 0.5) AS m",
        lambda g: [[percentile_cont(_sizes(g, "Commitment", "text"), 0.5)]],
    ),
    C(
        "MATCH (c:Commitment) RETURN percentileDisc(size(c.text), 0.9) AS a, "
        "percentileCont(size(c.text), 0.25) AS b, percentileDisc(size(c.text), 0.0) AS c",
        lambda g: [
            [
                percentile_disc(_sizes(g, "Commitment", "text"), 0.9),
                percentile_cont(_sizes(g, "Commitment", "text"), 0.25),
                percentile_disc(_sizes(g, "Commitment", "text"), 0.0),
            ]
        ],
    ),
    C(
        "MATCH (c:Challenge) RETURN c.catalyst AS k, percentileDisc(size(c.name), 0.5) AS m",
        lambda g: [
            [
                k,
                percentile_disc(
                    [len(n["name"]) for n in nodes(g, "Challenge") if n.get("catalyst") == k], 0.5
                ),
            ]
            for k in {n.get("catalyst") for n in nodes(g, "Challenge")}
        ],
    ),
    C(
        "MATCH (t:Theme) WHERE t.name = 'none' RETURN percentileCont(t.listed_order, 0.5) AS m",
        lambda g: [[None]],
    ),
    # -- dates -------------------------------------------------------------------------
    C("RETURN date('2020-01-02') AS d", lambda g: [["2020-01-02"]]),
    C("RETURN date() <= date() AS today", lambda g: [[True]]),
    C("RETURN date('2020-01-02').year AS y, date('2020-01-02').day AS d", lambda g: [[2020, 2]]),
    C("WITH date('2020-01-02') AS d RETURN d.year AS y", refuses="d.year accessor"),
    C("RETURN datetime('2020-01-02T03:04:05') AS d", refuses="datetime"),
    C("RETURN duration('P1D') AS d", refuses="duration"),
    # -- labels / type / keys / properties / ids ---------------------------------------------
    C("MATCH (n:Theme) RETURN labels(n) AS l", lambda g: [[["Theme"]] for _ in nodes(g, "Theme")]),
    C(
        "MATCH (n {id: $id}) RETURN labels(n)[0] AS kind",
        lambda g: [["Partner"]],
        params={"id": PARTNER},
    ),
    C(
        "MATCH (t:Theme) OPTIONAL MATCH (t)<-[:ABOUT]-(r) RETURN t.name, labels(r)",
        lambda g: _themes_and_resources(g, lambda u: ["Resource"]),
    ),
    C(
        "MATCH (n) WHERE n:Theme OR n:FocusArea RETURN n.name",
        lambda g: [[n["name"]] for n in nodes(g, "Theme") + nodes(g, "FocusArea")],
    ),
    C("MATCH (n) WHERE n:Keystone RETURN count(n)", lambda g: [[len(nodes(g, "Keystone"))]]),
    C(
        "MATCH (n) WHERE NOT n:Partner RETURN count(n)",
        lambda g: [[g.number_of_nodes() - len(nodes(g, "Partner"))]],
    ),
    C("MATCH (n:Theme:Challenge) RETURN count(n)", lambda g: [[0]]),
    C("MATCH (n:Theme&Challenge) RETURN count(n)", lambda g: [[0]]),
    C(
        "MATCH (n:Theme|FocusArea) RETURN count(n)",
        lambda g: [[len(nodes(g, "Theme")) + len(nodes(g, "FocusArea"))]],
    ),
    C(
        "MATCH (n:!Partner) RETURN count(n)",
        lambda g: [[g.number_of_nodes() - len(nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (n:Partner|!Theme) RETURN count(n)",
        lambda g: [[g.number_of_nodes() - len(nodes(g, "Theme"))]],
    ),
    C(
        "MATCH (n:(Partner|Theme)&!Theme) RETURN count(n)",
        lambda g: [[len(nodes(g, "Partner"))]],
    ),
    C(
        "MATCH (n:Challenge|Theme) WHERE n:!Theme AND n:% RETURN count(n)",
        lambda g: [[len(nodes(g, "Challenge"))]],
    ),
    C(
        "MATCH (c:Challenge)-[:IN_THEME]->(t) "
        "RETURN t:Theme&!Challenge AS a, t:Theme|Partner AS b, count(*) AS n",
        lambda g: [[True, True, len(edges(g, "IN_THEME"))]],
    ),
    C(
        "OPTIONAL MATCH (t:Theme {name: 'none'}) RETURN t:Theme AS a, t:!Theme AS b, t:% AS c",
        lambda g: [[None, None, None]],
    ),
    C("MATCH (n:Theme|Challenge:Partner) RETURN count(n)", refuses="label expression mixing"),
    C(
        "MATCH (a)-[r]->(b) WHERE type(r) = 'FUNDS' RETURN a.name",
        lambda g: [[_name(g, u)] for u, _, _ in edges(g, "FUNDS")],
    ),
    C(
        "MATCH (t:Theme {name: 'Prestige'}) RETURN keys(t) AS k",
        lambda g: [[neo4j_keys(n)] for n in nodes(g, "Theme") if n["name"] == "Prestige"],
    ),
    C(
        "MATCH (c:Challenge) RETURN c.id, keys(c) AS k",
        lambda g: [[n["id"], neo4j_keys(n)] for n in nodes(g, "Challenge")],
    ),
    C(
        "MATCH (p:Partner)-[r:MEMBER_OF]->(t:ProjectTeam) RETURN p.id, t.id, keys(r) AS k",
        lambda g: [[u, v, neo4j_keys(d)] for u, v, d in edges(g, "MEMBER_OF")],
    ),
    C(
        "MATCH (p:Partner) OPTIONAL MATCH (p)-[:FUNDS]->(f:FocusArea) "
        "RETURN keys(f) IS NULL AS none_funded, count(*) AS n",
        lambda g: [
            [k, v]
            for k, v in Counter(
                x
                for n in nodes(g, "Partner")
                for x in ([False] * len(_out(g, n["id"], "FUNDS")) or [True])
            ).items()
        ],
    ),
    C("MATCH (n) WHERE n.name = 'Prestige' RETURN keys(n)", refuses="keys()"),
    C("MATCH (t:Theme {name: 'Prestige'}) RETURN properties(t) AS p", refuses="properties"),
    C("MATCH (t:Theme) RETURN elementId(t)", refuses="elementId"),
    C("MATCH (t:Theme) RETURN id(t)", refuses="id()"),
    C(
        "MATCH (t:Theme) WHERE t.name = 'Prestige' RETURN t",
        lambda g: [[_node(n)] for n in nodes(g, "Theme") if n["name"] == "Prestige"],
    ),
    # -- map projections and maps ------------------------------------------------------
    C(
        "MATCH (t:Theme {name: 'Prestige'}) RETURN t {.name, .listed_order} AS m",
        lambda g: [
            [{"name": n["name"], "listed_order": n.get("listed_order")}]
            for n in nodes(g, "Theme")
            if n["name"] == "Prestige"
        ],
    ),
    C(
        "MATCH (f:FocusArea) RETURN f {.name, kind: 'focus', teams: COUNT { (f)<-[:WORKS_ON]-() }}"
        " AS m",
        lambda g: [
            [
                {
                    "name": n["name"],
                    "kind": "focus",
                    "teams": sum(v == n["id"] for _, v, _ in edges(g, "WORKS_ON")),
                }
            ]
            for n in nodes(g, "FocusArea")
        ],
    ),
    C("MATCH (t:Theme) RETURN t {.*} AS m", refuses="map projection"),
    C("RETURN {a: 1, b: 'x'} AS m", lambda g: [[{"a": 1, "b": "x"}]]),
    C("WITH {a: 1, b: 2} AS m RETURN m.a + m.b AS s", lambda g: [[3]]),
    # -- parameters -----------------------------------------------------------------------
    C(
        "MATCH (t:Theme {name: $name}) RETURN t.question",
        lambda g: [[n.get("question")] for n in nodes(g, "Theme") if n["name"] == "Prestige"],
        params={"name": "Prestige"},
    ),
    C("MATCH (t:Theme {name: $name}) RETURN t.question", refuses="$name"),
    C(
        "MATCH (c:Challenge) WHERE c.catalyst = $flag RETURN count(c)",
        lambda g: [[sum(n.get("catalyst") is True for n in nodes(g, "Challenge"))]],
        params={"flag": True},
    ),
    C(
        "MATCH (p:Partner) RETURN p.name ORDER BY p.name LIMIT $n",
        lambda g: sorted([n["name"]] for n in nodes(g, "Partner"))[:2],
        params={"n": 2},
        ordered=True,
    ),
    C("RETURN $list[1] AS second", lambda g: [["b"]], params={"list": ["a", "b", "c"]}),
    # -- UNION -----------------------------------------------------------------------------
    C(
        "MATCH (t:Theme) RETURN t.name AS name UNION MATCH (f:FocusArea) RETURN f.name AS name",
        lambda g: [[n] for n in {n["name"] for n in nodes(g, "Theme") + nodes(g, "FocusArea")}],
    ),
    C(
        "MATCH (t:Theme) RETURN 'theme' AS kind UNION ALL MATCH (f:FocusArea) "
        "RETURN 'focus' AS kind",
        lambda g: [["theme"]] * len(nodes(g, "Theme")) + [["focus"]] * len(nodes(g, "FocusArea")),
    ),
    C(
        "MATCH (t:Theme) RETURN 'x' AS kind UNION MATCH (f:FocusArea) RETURN 'x' AS kind",
        lambda g: [["x"]],
    ),
    # -- WITH chains --------------------------------------------------------------------
    C(
        "MATCH (c:Challenge)-[:IN_THEME]->(t) WITH t, count(c) AS n WHERE n >= 4 RETURN t.name, n",
        lambda g: [
            [_name(g, t), n]
            for t, n in Counter(v for _, v, _ in edges(g, "IN_THEME")).items()
            if n >= 4
        ],
    ),
    C(
        "MATCH (t:Theme) WITH t.name AS name, t.listed_order AS o WHERE o IS NOT NULL "
        "RETURN name ORDER BY o LIMIT 2",
        lambda g: [
            [n["name"]]
            for n in sorted(
                (n for n in nodes(g, "Theme") if n.get("listed_order") is not None),
                key=lambda n: n["listed_order"],
            )[:2]
        ],
        ordered=True,
    ),
    C(
        "MATCH (p:Partner)-[:MEMBER_OF]->(t:ProjectTeam) WITH t, collect(p.name) AS names "
        "RETURN t.name, size(names) AS n",
        lambda g: [
            [_name(g, t), len(ms)]
            for t, ms in _count_by([(v, u) for u, v, _ in edges(g, "MEMBER_OF")]).items()
        ],
    ),
    C(
        "WITH 2 AS two MATCH (t:Theme) WHERE t.listed_order = two RETURN t.name",
        lambda g: [[n["name"]] for n in nodes(g, "Theme") if n.get("listed_order") == 2],
    ),
    C(
        "MATCH (p:Partner {id: $partner})-[:MEMBER_OF]->(:ProjectTeam)-[:WORKS_ON]->"
        "(:FocusArea)-[:TARGETS]->(c:Challenge) WITH DISTINCT p, c "
        "MATCH (c)<-[:TARGETS]-(:FocusArea)<-[:WORKS_ON]-(:ProjectTeam)<-[:MEMBER_OF]-"
        "(other:Partner) WHERE other <> p RETURN count(DISTINCT other)",
        lambda g: [
            [
                len(
                    {
                        ids[3]
                        for ids in chain(g, *_CHALLENGE_TEAM_PARTNER)
                        if ids[3] != PARTNER
                        and ids[0]
                        in {
                            x[3]
                            for x in chain(
                                g,
                                "Partner",
                                ">MEMBER_OF",
                                "ProjectTeam",
                                ">WORKS_ON",
                                "FocusArea",
                                ">TARGETS",
                                "Challenge",
                            )
                            if x[0] == PARTNER
                        }
                    }
                )
            ]
        ],
        params={"partner": PARTNER},
    ),
    C(
        "MATCH (a:Partner)-[:MEMBER_OF]->(t)<-[:MEMBER_OF]-(b:Partner) "
        "WITH a, count(DISTINCT b) AS k RETURN max(k)",
        lambda g: [
            [
                max(
                    len(s)
                    for s in _count_by(
                        [
                            (x[0], x[2])
                            for x in chain(g, "Partner", ">MEMBER_OF", "*", "<MEMBER_OF", "Partner")
                        ]
                    ).values()
                )
            ]
        ],
    ),
    C("MATCH (n:Theme) WITH n LIMIT 2 RETURN count(*)", lambda g: [[2]]),
    C(
        "MATCH (n:Partner) WITH n.sector AS s, count(*) AS c ORDER BY c DESC LIMIT 1 RETURN c",
        lambda g: [[Counter(n.get("sector") for n in nodes(g, "Partner")).most_common(1)[0][1]]],
    ),
    C("MATCH (n:Theme) RETURN *", lambda g: [[_node(n)] for n in nodes(g, "Theme")]),
    C(
        "MATCH (c:Challenge) WHERE c.name = 'nothing' RETURN count(*) AS n, collect(c.id) AS ids",
        lambda g: [[0, []]],
    ),
    C(
        "MATCH (c:Challenge) RETURN c.name AS name, size(c.source_url) AS sources "
        "ORDER BY sources DESC, name LIMIT 3",
        lambda g: sorted(
            ([n["name"], len(n["source_url"])] for n in nodes(g, "Challenge")),
            key=lambda r: (-r[1], r[0]),
        )[:3],
        ordered=True,
    ),
    C(
        "MATCH (c:Challenge) RETURN c.source_url[0] AS first",
        lambda g: [[n["source_url"][0]] for n in nodes(g, "Challenge")],
    ),
    C(
        "MATCH (p:Partner {id: $id}) RETURN p.name_variants[1..] AS rest",
        lambda g: [
            [
                (node(g, PARTNER).get("name_variants") or None)
                and node(g, PARTNER)["name_variants"][1:]
            ]
        ],
        params={"id": PARTNER},
        lists_ordered=True,
    ),
]
