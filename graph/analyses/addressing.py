"""Who addresses which challenge (or theme), and the evidence for it, over a snapshot.

A partner *addresses* a challenge or a theme when an evidence path joins them. Every
thread the data holds counts, each with the partner's **role** on it::

    via          path                                                         role
    commitment   (Partner)-[:MADE]->(Commitment)-[:ADDRESSES]->(target)       does the work
    project_team (Partner)-[:MEMBER_OF]->(ProjectTeam)-[:WORKS_ON]->
                     (FocusArea)-[:TARGETS]->(Challenge)                      does the work
                 (Partner)-[:MEMBER_OF]->(ProjectTeam)-[:CITES|ADDRESSES]->(target)
    funds        (Partner)-[:FUNDS]->(FocusArea)-[:TARGETS]->(Challenge)      funds it
    activity     (Partner)-[:TOOK_PART_IN]->(Activity)-[:CONCERNS|ADDRESSES]->(target)
                 (... Activity)-[:CONCERNS]->(FocusArea)-[:TARGETS]->(Challenge)
                                                                role by the activity's type
    partner      (Partner)-[:ADDRESSES]->(target)   (its own description)  does the work

``target`` is a Challenge or a Theme. A path to a theme is **theme-level** addressing
(the work is within the theme, its specific challenge not among the loaded ones): it is
kept apart (:func:`theme_addressing`) and never counted as a specific challenge. An
activity's role comes from its ``activity_type`` (:data:`ACTIVITY_ROLES`): a grantee or an
organisation named as working on a challenge does the work, a funders' pledge funds it, a
local adoption of the framework convenes it, a summit session or presented solution
presents it.

A path is *stated* when every relationship on it is stated, and *inferred* otherwise; it
is *curated* when one of its links was judged item by item (``method: curated``,
``curation.csv``). A partner-target pair is stated when at least one of its paths is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

from graph.data import Record, Snapshot
from graph.model import CURATED, NodeKind, RelType

__all__ = [
    "ACTIVITY_ROLES",
    "ROLES",
    "Addressing",
    "AddressingStats",
    "EvidencePath",
    "ThemeAddressing",
    "addressing",
    "addressing_stats",
    "partners_addressing",
    "theme_addressing",
]

DOES, FUNDS, CONVENES, PRESENTS = "does the work", "funds it", "convenes it", "presents it"
#: The partner's role on an evidence path, strongest first.
ROLES = (DOES, FUNDS, CONVENES, PRESENTS)

#: An activity's ``activity_type`` -> the role of the partners that took part in it.
ACTIVITY_ROLES: dict[str, str] = {
    "challenge_grant_winner": DOES,
    "collaboration_grant": DOES,
    "fellowship_participant_challenge_area": DOES,
    "organization_stated_working_on_challenges": DOES,
    "funder_pledge_for_grand_challenges": FUNDS,
    "grand_challenges_adopted_locally": CONVENES,
    "summit_session_on_grand_challenge_themes": PRESENTS,
    "partner_solution_presented_for_grand_challenge": PRESENTS,
    "partner_idea_referencing_grand_challenges": PRESENTS,
}

K, R = NodeKind, RelType
_END = (K.CHALLENGE, K.THEME)
_Step = tuple[tuple[RelType, ...], tuple[NodeKind, ...]]
#: A path being walked: its nodes, relationship types, bases and methods so far.
Partial = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str | None, ...]]
#: (via, steps): each step is the relationship types it may follow and the kinds it reaches.
_PATHS: tuple[tuple[str, tuple[_Step, ...]], ...] = (
    ("commitment", (((R.MADE,), (K.COMMITMENT,)), ((R.ADDRESSES,), _END))),
    (
        "project_team",
        (
            ((R.MEMBER_OF,), (K.PROJECT_TEAM,)),
            ((R.WORKS_ON,), (K.FOCUS_AREA,)),
            ((R.TARGETS,), (K.CHALLENGE,)),
        ),
    ),
    ("project_team", (((R.MEMBER_OF,), (K.PROJECT_TEAM,)), ((R.CITES, R.ADDRESSES), _END))),
    ("funds", (((R.FUNDS,), (K.FOCUS_AREA,)), ((R.TARGETS,), (K.CHALLENGE,)))),
    ("activity", (((R.TOOK_PART_IN,), (K.ACTIVITY,)), ((R.CONCERNS, R.ADDRESSES), _END))),
    (
        "activity",
        (
            ((R.TOOK_PART_IN,), (K.ACTIVITY,)),
            ((R.CONCERNS,), (K.FOCUS_AREA,)),
            ((R.TARGETS,), (K.CHALLENGE,)),
        ),
    ),
    ("partner", (((R.ADDRESSES,), _END),)),
)

#: How a path reads in a sentence, by its ``via``.
VIA_WORDS = {
    "commitment": "through a commitment",
    "project_team": "through a project team",
    "funds": "by funding a focus area",
    "activity": "through an activity",
    "partner": "by its own description",
}


@dataclass(frozen=True)
class EvidencePath:
    """One path from a partner to a challenge or theme: node ids (partner first), links.

    ``methods`` holds each link's ``method`` (``None`` for stated links); ``role`` is
    what the partner does on this path (one of :data:`ROLES`).
    """

    via: str
    nodes: tuple[str, ...]
    rels: tuple[str, ...]
    bases: tuple[str, ...]
    methods: tuple[str | None, ...] = ()
    role: str = DOES

    @property
    def basis(self) -> str:
        return "stated" if all(b == "stated" for b in self.bases) else "inferred"

    @property
    def curated(self) -> bool:
        """Whether a link on the path was judged item by item (``method: curated``)."""
        return CURATED in self.methods

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON answers: the path's via, role, nodes, links and basis."""
        return {
            "via": self.via,
            "role": self.role,
            "nodes": list(self.nodes),
            "rels": list(self.rels),
            "basis": self.basis,
            "curated": self.curated,
        }

    @property
    def words(self) -> str:
        """The path in words, e.g. ``through a commitment``."""
        return VIA_WORDS.get(self.via, self.via)


def strongest_basis(paths: Iterable[EvidencePath]) -> str:
    """``stated`` when any of the paths is stated, else ``inferred``."""
    return "stated" if any(p.basis == "stated" for p in paths) else "inferred"


@dataclass(frozen=True)
class _Evidenced:
    """A partner's finding with its evidence paths, and the basis and roles read off them."""

    partner: str
    paths: tuple[EvidencePath, ...]

    @property
    def basis(self) -> str:
        return strongest_basis(self.paths)

    @property
    def roles(self) -> tuple[str, ...]:
        """The partner's roles over all paths, strongest first."""
        found = {p.role for p in self.paths}
        return tuple(r for r in ROLES if r in found)


@dataclass(frozen=True)
class Addressing(_Evidenced):
    """A partner that addresses a challenge, with every evidence path."""

    challenge: str


@dataclass(frozen=True)
class ThemeAddressing(_Evidenced):
    """A partner that addresses a theme as a whole (no specific challenge), with paths."""

    theme: str


def _role(g: Snapshot, via: str, nodes: tuple[str, ...]) -> str:
    if via == "funds":
        return FUNDS
    if via == "activity":
        return ACTIVITY_ROLES.get(str(g.nodes[nodes[1]].get("activity_type")), DOES)
    return DOES


def _walk(g: Snapshot, start: str) -> list[EvidencePath]:
    found: list[EvidencePath] = []
    for via, steps in _PATHS:
        frontier: list[Partial] = [((start,), (), (), ())]
        for rtypes, kinds in steps:
            types = {t.value for t in rtypes}
            wanted = {k.value for k in kinds}
            nxt: list[Partial] = []
            for nodes, rels, bases, methods in frontier:
                for _, target, key, data in g.out_edges(nodes[-1], keys=True, data=True):
                    if key in types and g.nodes[target].get("kind") in wanted:
                        method = data.get("method")
                        nxt.append(
                            (
                                (*nodes, target),
                                (*rels, key),
                                (*bases, str(data["basis"])),
                                (*methods, method if isinstance(method, str) else None),
                            )
                        )
            frontier = nxt
        found.extend(EvidencePath(via, n, r, b, m, _role(g, via, n)) for n, r, b, m in frontier)
    return found


@lru_cache(maxsize=8)
def _all(g: Snapshot) -> tuple[tuple[Addressing, ...], tuple[ThemeAddressing, ...]]:
    challenges: list[Addressing] = []
    themes: list[ThemeAddressing] = []
    for pid, attrs in g.nodes(data=True):
        if attrs.get("kind") != NodeKind.PARTNER.value:
            continue
        by_target: dict[str, list[EvidencePath]] = defaultdict(list)
        for path in _walk(g, pid):
            by_target[path.nodes[-1]].append(path)
        for target in sorted(by_target):
            paths = tuple(
                sorted(by_target[target], key=lambda p: (p.basis != "stated", p.curated, p.nodes))
            )
            if g.nodes[target].get("kind") == NodeKind.THEME.value:
                themes.append(ThemeAddressing(partner=pid, paths=paths, theme=target))
            else:
                challenges.append(Addressing(partner=pid, paths=paths, challenge=target))
    return (
        tuple(sorted(challenges, key=lambda a: (a.challenge, a.partner))),
        tuple(sorted(themes, key=lambda a: (a.theme, a.partner))),
    )


_Found = TypeVar("_Found", Addressing, ThemeAddressing)


def _select(
    found: Iterable[_Found],
    target_of: Callable[[_Found], str],
    include_inferred: bool,
    partner: str | None,
    target: str | None,
) -> list[_Found]:
    """The findings of ``partner`` on ``target`` (None: any), without inferred paths unless
    ``include_inferred`` (a finding left with no path is dropped)."""
    out = []
    for a in found:
        if partner is not None and a.partner != partner:
            continue
        if target is not None and target_of(a) != target:
            continue
        paths = a.paths if include_inferred else tuple(p for p in a.paths if p.basis == "stated")
        if paths:
            out.append(a if paths is a.paths else replace(a, paths=paths))
    return out


def addressing(
    g: Snapshot,
    *,
    include_inferred: bool = True,
    partner: str | None = None,
    challenge: str | None = None,
) -> list[Addressing]:
    """Every (partner, challenge) pair joined by an evidence path, with its paths.

    Theme-level addressing is not here (see :func:`theme_addressing`). With
    ``include_inferred=False`` only stated paths count. Filter by ``partner`` or
    ``challenge`` id. Cached per (frozen) snapshot.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M"}),
    ...      Node(K.CHALLENGE, {"id": "c", "name": "C"})],
    ...     [Rel(R.MADE, "p", "m", {"basis": "stated"}),
    ...      Rel(R.ADDRESSES, "m", "c", {"basis": "inferred", "method": "curated"})])
    >>> [(a.partner, a.challenge, a.basis, a.paths[0].curated) for a in addressing(g)]
    [('p', 'c', 'inferred', True)]
    >>> addressing(g, include_inferred=False)
    []
    """
    return _select(_all(g)[0], lambda a: a.challenge, include_inferred, partner, challenge)


def theme_addressing(
    g: Snapshot,
    *,
    include_inferred: bool = True,
    partner: str | None = None,
    theme: str | None = None,
) -> list[ThemeAddressing]:
    """Every (partner, theme) pair where the partner works on the theme as a whole.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}),
    ...      Node(K.ACTIVITY, {"id": "s", "name": "S", "activity_type":
    ...           "summit_session_on_grand_challenge_themes"}),
    ...      Node(K.THEME, {"id": "t", "name": "T"})],
    ...     [Rel(R.TOOK_PART_IN, "p", "s", {"basis": "stated"}),
    ...      Rel(R.CONCERNS, "s", "t", {"basis": "stated"})])
    >>> [(a.partner, a.theme, a.roles) for a in theme_addressing(g)]
    [('p', 't', ('presents it',))]
    """
    return _select(_all(g)[1], lambda a: a.theme, include_inferred, partner, theme)


def partners_addressing(g: Snapshot, *, include_inferred: bool = True) -> dict[str, set[str]]:
    """Challenge id -> ids of the partners that address it (every challenge present)."""
    out: dict[str, set[str]] = {
        n: set() for n, attrs in g.nodes(data=True) if attrs.get("kind") == NodeKind.CHALLENGE.value
    }
    for a in addressing(g, include_inferred=include_inferred):
        out.setdefault(a.challenge, set()).add(a.partner)
    return out


@dataclass(frozen=True)
class AddressingStats(Record):
    """How much of the map the addressing relation reaches, for ``gcx stats`` and the API.

    ``partners``: partners with any path (to a challenge or a theme); ``challenges``:
    challenges with at least one partner; ``themes``: themes some partner works on as a
    whole. ``links`` counts the relationships that end a path at a challenge or theme, by
    how they are known: ``stated``, ``curated`` (judged item by item) and ``inferred``
    (matched some other way).
    """

    partners: int
    partners_total: int
    challenges: int
    challenges_total: int
    themes: int
    themes_total: int
    links: dict[str, int]

    @property
    def line(self) -> str:
        """The figures in words, for the overview page."""
        links = self.links
        return (
            f"{self.partners} of {self.partners_total} partners address part of the map: "
            f"{self.challenges} of {self.challenges_total} challenges have at least one "
            f"partner, and {self.themes} of {self.themes_total} themes are addressed as a "
            f"whole. The paths end in {links['stated']} stated links, {links['curated']} "
            f"links judged item by item from the items' own words, and {links['inferred']} "
            "links matched by wording."
        )


def addressing_stats(g: Snapshot) -> AddressingStats:
    """The addressing figures of a snapshot.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}),
    ...      Node(K.THEME, {"id": "t", "name": "T"})],
    ...     [Rel(R.ADDRESSES, "p", "t", {"basis": "inferred", "method": "curated"})])
    >>> s = addressing_stats(g)
    >>> s.partners, s.themes, s.links
    (1, 1, {'stated': 0, 'curated': 1, 'inferred': 0})
    """
    on_challenges, on_themes = _all(g)
    links: dict[tuple[str, str, str], str] = {}
    every: list[EvidencePath] = [p for a in on_challenges for p in a.paths]
    every += [p for a in on_themes for p in a.paths]
    for p in every:
        last = (p.rels[-1], p.nodes[-2], p.nodes[-1])
        method = p.methods[-1] if p.methods else None
        if p.bases[-1] == "stated":
            links[last] = "stated"
        else:
            links[last] = "curated" if method == CURATED else "inferred"
    counts = {"stated": 0, "curated": 0, "inferred": 0}
    for how in links.values():
        counts[how] += 1

    def total(kind: NodeKind) -> int:
        return sum(1 for _, a in g.nodes(data=True) if a.get("kind") == kind.value)

    return AddressingStats(
        partners=len({a.partner for a in on_challenges} | {a.partner for a in on_themes}),
        partners_total=total(NodeKind.PARTNER),
        challenges=len({a.challenge for a in on_challenges}),
        challenges_total=total(NodeKind.CHALLENGE),
        themes=len({a.theme for a in on_themes}),
        themes_total=total(NodeKind.THEME),
        links=counts,
    )
