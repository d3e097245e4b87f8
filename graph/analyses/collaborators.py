"""The collaborator finder: who a partner could work with, why, and on what evidence.

Two partners are joined by **threads**, strongest kind first:

============  =====  ===============================================================
kind          base   the two partners ...
============  =====  ===============================================================
team          3.0    are on the same project team
challenge     2.0    address the same challenge (stated or curated; any path)
activity      1.5    took part in the same activity (co-grantees, one summit session)
focus_area    1.0    work on the same catalyst focus area (a team on it, or funding)
theme         0.5    work in the same theme (its challenges, or the theme as a whole)
============  =====  ===============================================================

Each thread weighs ``base x log(1 + N / n)``, where ``N`` is the number of partners with
any thread and ``n`` the number on this team, challenge, activity, focus area or theme:
a thing few partners share says more about a match than one everybody shares (an
IDF-like weight). A thread known only through inferred links (on either side) counts
``INFERRED_FACTOR`` (0.9) times: stated evidence weighs more. A shared challenge counts
``1 + CATALYST_BONUS`` times when it is a catalyst, and ``1 + COMPLEMENT_BONUS`` times
when the two partners' sectors differ (complementary strengths on the same problem rank
above two of a kind). A thread that only follows from a shared team or focus area (both
reach the challenge, focus area or theme through it) is not counted again: the team or
focus area says it. Candidates rank by their strongest kind of thread first (a team-mate
before anyone who only shares challenges), then by score.

The score is the sum of the threads' weights. Ties are broken by evidence: more stated
threads, then more threads, then by name and id; two candidates share a score only when
their evidence is alike. Every suggestion carries a *why* sentence that leads with what
the pair shares that no other of the partner's top ten shares (:data:`WHY_CONTEXT`), and
the evidence paths on both sides, each stated or inferred; with
``include_inferred=False`` only stated links count.

For a set of challenges, :func:`cover` (in :mod:`graph.analyses.cover`) lists the
partners on each and picks a small set that covers them all.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from graph.analyses.addressing import (
    ACTIVITY_ROLES,
    DOES,
    EvidencePath,
    addressing,
    strongest_basis,
    theme_addressing,
)
from graph.analyses.collaborator_words import LQ, RQ, how, phrases, sector_words
from graph.analyses.cover import Cover, CoverPick, PartnerOn, cover
from graph.data import Snapshot, node_name
from graph.errors import NotFound
from graph.model import NodeKind, RelType

__all__ = [
    "BASE",
    "CATALYST_BONUS",
    "COMPLEMENT_BONUS",
    "INFERRED_FACTOR",
    "KINDS",
    "WHY_CONTEXT",
    "Collaborator",
    "Cover",
    "CoverPick",
    "PartnerOn",
    "Shared",
    "challenge_weights",
    "collaborators",
    "cover",
]

#: Thread kinds, strongest first, and the base weight of each.
KINDS = ("team", "challenge", "activity", "focus_area", "theme")
BASE: dict[str, float] = {
    "team": 3.0,
    "challenge": 2.0,
    "activity": 1.5,
    "focus_area": 1.0,
    "theme": 0.5,
}
#: A shared catalyst counts this much more than an ordinary challenge (+50%).
CATALYST_BONUS = 0.5
#: A challenge shared by partners of different sectors counts this much more (+25%).
COMPLEMENT_BONUS = 0.25
#: A thread known only through inferred links (matched or judged) counts this much.
INFERRED_FACTOR = 0.9
#: How many of the top candidates a *why* is made distinct among.
WHY_CONTEXT = 10

_Paths = tuple[EvidencePath, ...]


def _sector(g: Snapshot, node: str) -> str | None:
    value = g.nodes[node].get("sector")
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Shared:
    """One thread two partners share: a team, challenge, activity, focus area or theme.

    ``partners`` is how many partners are on it; ``own`` and ``theirs`` are each side's
    evidence paths; ``complementary`` says the two sectors differ (challenges only).
    """

    kind: str
    id: str
    name: str
    partners: int
    weight: float
    basis: str
    own: _Paths
    theirs: _Paths
    catalyst: bool = False
    complementary: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["own"] = [p.to_dict() for p in self.own]
        out["theirs"] = [p.to_dict() for p in self.theirs]
        return out


@dataclass(frozen=True)
class Collaborator:
    """One suggested collaborator: its strongest thread, score, why in words, evidence."""

    partner: str
    name: str
    sector: str | None
    tier: str
    score: float
    basis: str
    why: str
    shared: tuple[Shared, ...]

    def of(self, kind: str) -> tuple[Shared, ...]:
        """The shared threads of one kind (``team``, ``challenge``, ...)."""
        return tuple(s for s in self.shared if s.kind == kind)

    @property
    def challenges(self) -> tuple[Shared, ...]:
        return self.of("challenge")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: every thread with both sides' paths and their basis."""
        return {
            "partner": self.partner,
            "name": self.name,
            "sector": self.sector,
            "tier": self.tier,
            "score": self.score,
            "basis": self.basis,
            "why": self.why,
            "shared": [s.to_dict() for s in self.shared],
        }


_Ranking = tuple[tuple[str, tuple[Shared, ...]], ...]


@dataclass(frozen=True)
class _Index:
    """Every partner's threads and who is on each thing, per (snapshot, include_inferred)."""

    threads: dict[str, dict[tuple[str, str], _Paths]]
    on: dict[tuple[str, str], frozenset[str]]
    active: int


def _one_hop(g: Snapshot, rtype: RelType, kind: NodeKind, inferred: bool) -> list[EvidencePath]:
    out = []
    for p, x, key, data in g.edges(keys=True, data=True):
        if key != rtype.value or g.nodes[x].get("kind") != kind.value:
            continue
        if not inferred and data.get("basis") != "stated":
            continue
        role = DOES
        if kind is NodeKind.ACTIVITY:
            role = ACTIVITY_ROLES.get(str(g.nodes[x].get("activity_type")), DOES)
        method = data.get("method")
        out.append(
            EvidencePath(
                "activity" if kind is NodeKind.ACTIVITY else "project_team",
                (p, x),
                (key,),
                (str(data.get("basis")),),
                (method if isinstance(method, str) else None,),
                role,
            )
        )
    return out


def _focus_paths(g: Snapshot, inferred: bool) -> list[EvidencePath]:
    """Partner -> focus area: through a team that works on it, or funding it."""
    out = []
    for p, x, key, data in g.edges(keys=True, data=True):
        basis = str(data.get("basis"))
        if key == RelType.FUNDS.value:
            out.append(EvidencePath("funds", (p, x), (key,), (basis,), (None,), "funds it"))
        elif key == RelType.MEMBER_OF.value:
            for _, fa, key2, data2 in g.out_edges(x, keys=True, data=True):
                if key2 == RelType.WORKS_ON.value:
                    bases = (basis, str(data2.get("basis")))
                    out.append(
                        EvidencePath("project_team", (p, x, fa), (key, key2), bases, (None, None))
                    )
    return [p for p in out if inferred or p.basis == "stated"]


@lru_cache(maxsize=16)
def _index(g: Snapshot, include_inferred: bool) -> _Index:
    grouped: dict[str, dict[tuple[str, str], list[EvidencePath]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for path in _one_hop(g, RelType.MEMBER_OF, NodeKind.PROJECT_TEAM, include_inferred):
        grouped[path.nodes[0]][("team", path.nodes[-1])].append(path)
    for path in _one_hop(g, RelType.TOOK_PART_IN, NodeKind.ACTIVITY, include_inferred):
        grouped[path.nodes[0]][("activity", path.nodes[-1])].append(path)
    for path in _focus_paths(g, include_inferred):
        grouped[path.nodes[0]][("focus_area", path.nodes[-1])].append(path)
    themes_of: dict[str, list[str]] = defaultdict(list)
    for c, t, key, data in g.edges(keys=True, data=True):
        if key == RelType.IN_THEME.value and (include_inferred or data["basis"] == "stated"):
            themes_of[c].append(t)
    for a in addressing(g, include_inferred=include_inferred):
        grouped[a.partner][("challenge", a.challenge)].extend(a.paths)
        for t in themes_of.get(a.challenge, ()):
            grouped[a.partner][("theme", t)].extend(a.paths)
    for ta in theme_addressing(g, include_inferred=include_inferred):
        grouped[ta.partner][("theme", ta.theme)].extend(ta.paths)

    threads = {
        p: {
            k: tuple(sorted(set(v), key=lambda x: (x.basis != "stated", x.nodes)))
            for k, v in ts.items()
        }
        for p, ts in grouped.items()
    }
    on: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p, ts in threads.items():
        for k in ts:
            on[k].add(p)
    return _Index(threads, {k: frozenset(v) for k, v in on.items()}, len(threads))


def _path_order(p: EvidencePath) -> tuple[bool, tuple[str, ...]]:
    return (p.basis != "stated", p.nodes)


def _idf(active: int, n: int) -> float:
    return math.log(1 + active / n) if n else 0.0


def challenge_weights(g: Snapshot, *, include_inferred: bool = True) -> dict[str, float]:
    """Challenge id -> the weight a shared challenge adds, before the sector bonus.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> nodes = [Node(K.PARTNER, {"id": p, "name": p}) for p in "ab"]
    >>> nodes += [Node(K.COMMITMENT, {"id": m, "name": m}) for m in ("ma", "mb")]
    >>> nodes += [Node(K.CHALLENGE, {"id": "c", "name": "c", "catalyst": True})]
    >>> rels = [Rel(R.MADE, p, "m" + p, {"basis": "stated"}) for p in "ab"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "c", {"basis": "stated"}) for p in "ab"]
    >>> round(challenge_weights(to_networkx(nodes, rels))["c"], 4)  # 2 x log(1 + 2/2) x 1.5
    2.0794
    """
    idx = _index(g, include_inferred)
    return {
        c: _weight(g, idx, ("challenge", c), complementary=False)
        for kind, c in idx.on
        if kind == "challenge"
    }


def _weight(g: Snapshot, idx: _Index, key: tuple[str, str], *, complementary: bool) -> float:
    kind, thing = key
    w = BASE[kind] * _idf(idx.active, len(idx.on[key]))
    if kind == "challenge":
        if g.nodes[thing].get("catalyst") is True:
            w *= 1 + CATALYST_BONUS
        if complementary:
            w *= 1 + COMPLEMENT_BONUS
    return w


def _check_partner(g: Snapshot, partner: str) -> None:
    if partner not in g or g.nodes[partner].get("kind") != NodeKind.PARTNER.value:
        raise NotFound(f"no partner with id {partner!r}")


def _through(paths: _Paths, hubs: frozenset[str]) -> _Paths:
    """The paths that do not pass through one of ``hubs`` (shared teams, focus areas)."""
    return tuple(p for p in paths if not hubs.intersection(p.nodes[1:-1]))


def _shared(g: Snapshot, idx: _Index, partner: str, other: str) -> list[Shared]:
    """What ``partner`` and ``other`` share, strongest kind and heaviest first.

    A challenge, focus area or theme both reach only through a team or focus area they
    share is left out: the team (or focus area) already says it.
    """
    own, theirs = idx.threads.get(partner, {}), idx.threads.get(other, {})
    common = own.keys() & theirs.keys()
    teams = frozenset(t for k, t in common if k == "team")
    hubs = teams | frozenset(t for k, t in common if k == "focus_area")
    sectors = (_sector(g, partner), _sector(g, other))
    complementary = None not in sectors and sectors[0] != sectors[1]
    out: list[Shared] = []
    for key in common:
        kind, thing = key
        mine, yours = own[key], theirs[key]
        through = teams if kind == "focus_area" else hubs
        if kind != "team" and not (_through(mine, through) or _through(yours, through)):
            continue
        comp = complementary and kind == "challenge"
        basis = (
            "stated" if strongest_basis(mine) == strongest_basis(yours) == "stated" else "inferred"
        )
        weight = _weight(g, idx, key, complementary=comp)
        out.append(
            Shared(
                kind=kind,
                id=thing,
                name=node_name(g, thing),
                partners=len(idx.on[key]),
                weight=weight if basis == "stated" else weight * INFERRED_FACTOR,
                basis=basis,
                own=mine,
                theirs=yours,
                catalyst=kind == "challenge" and g.nodes[thing].get("catalyst") is True,
                complementary=comp,
            )
        )
    # A theme adds nothing when the pair already shares a challenge in it.
    in_shared = {s.id for s in out if s.kind == "challenge"}
    out = [
        s
        for s in out
        if s.kind != "theme" or not any(p.nodes[-1] in in_shared for p in s.own + s.theirs)
    ]
    out.sort(key=lambda s: (KINDS.index(s.kind), -s.weight, s.name, s.id))
    return out


def collaborators(
    g: Snapshot,
    partner: str,
    *,
    include_inferred: bool = True,
    limit: int | None = None,
) -> list[Collaborator]:
    """Other partners ranked as collaborators for ``partner``, each with why and evidence.

    Every partner that shares any thread is a candidate; see the module docstring for
    the weights and the tie-breaking. Raises :class:`graph.errors.NotFound` for an
    unknown partner id.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> nodes = [Node(K.PARTNER, {"id": p, "name": p.upper()}) for p in "abc"]
    >>> nodes += [Node(K.COMMITMENT, {"id": "m" + p, "name": "m"}) for p in "abc"]
    >>> nodes += [Node(K.CHALLENGE, {"id": c, "name": c}) for c in ("rare", "common")]
    >>> rels = [Rel(R.MADE, p, "m" + p, {"basis": "stated"}) for p in "abc"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "common", {"basis": "stated"}) for p in "abc"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "rare", {"basis": "stated"}) for p in "ab"]
    >>> found = collaborators(to_networkx(nodes, rels), "a")
    >>> [(c.partner, c.tier, round(c.score, 3)) for c in found]  # 2 log(2.5) + 2 log(2)
    [('b', 'challenge', 3.219), ('c', 'challenge', 1.386)]
    """
    _check_partner(g, partner)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    ranked = _ranked(g, partner, include_inferred)
    context = ranked[:WHY_CONTEXT]
    counts = Counter((s.kind, s.id) for _, shared in context for s in shared)
    chosen = ranked if limit is None else ranked[:limit]
    idx = _index(g, include_inferred)
    return [
        Collaborator(
            partner=other,
            name=node_name(g, other),
            sector=_sector(g, other),
            tier=shared[0].kind,
            score=sum(s.weight for s in shared),
            basis="stated" if any(s.basis == "stated" for s in shared) else "inferred",
            why=_why(g, idx, partner, other, shared, counts),
            shared=shared,
        )
        for other, shared in chosen
    ]


@lru_cache(maxsize=256)
def _ranked(
    g: Snapshot, partner: str, include_inferred: bool
) -> tuple[tuple[str, tuple[Shared, ...]], ...]:
    idx = _index(g, include_inferred)
    candidates: set[str] = set()
    for key in idx.threads.get(partner, {}):
        candidates |= idx.on[key]
    candidates.discard(partner)
    scored = []
    for other in candidates:
        shared = tuple(_shared(g, idx, partner, other))
        if not shared:
            continue
        score = sum(s.weight for s in shared)
        stated = sum(1 for s in shared if s.basis == "stated")
        tier = KINDS.index(shared[0].kind)
        order = (
            tier,
            -round(score, 9),
            -stated,
            -len(shared),
            node_name(g, other).casefold(),
            other,
        )
        scored.append((order, other, shared))
    scored.sort(key=lambda x: x[0])
    return tuple((other, shared) for _, other, shared in scored)


def _own_work(g: Snapshot, idx: _Index, other: str, shared: tuple[Shared, ...]) -> str:
    """What ``other`` works on apart from what the pair shares: its rarest challenge or
    theme reached by a path through none of the shared teams and focus areas."""
    taken = {(s.kind, s.id) for s in shared}
    hubs = frozenset(s.id for s in shared if s.kind in ("team", "focus_area"))
    mine = [
        (len(idx.on[k]), KINDS.index(k[0]), node_name(g, k[1]), k, own)
        for k, paths in idx.threads.get(other, {}).items()
        if k not in taken
        and (own := _through(paths, hubs))
        and (k[0] == "challenge" or (k[0] == "theme" and own[0].nodes[-1] == k[1]))
    ]
    if not mine:
        return ""
    *_, (kind, thing), paths = min(mine)
    what = "the theme " if kind == "theme" else ""
    return f" Its own work: {what}{LQ}{node_name(g, thing)}{RQ} {how(g, paths[0], thing)}."


def _why(
    g: Snapshot,
    idx: _Index,
    partner: str,
    other: str,
    shared: tuple[Shared, ...],
    counts: Counter[tuple[str, str]],
) -> str:
    """The reason in words: what only this pair shares first, then the strongest rest."""
    order = sorted(
        shared, key=lambda s: (counts.get((s.kind, s.id), 0) > 1, KINDS.index(s.kind), -s.weight)
    )
    parts = phrases(g, order[:3])
    more = f"; and {len(order) - 3} more in common" if len(order) > 3 else ""
    text = f"{node_name(g, other)} {'; '.join(parts)}{more}."
    mine, theirs = _sector(g, partner), _sector(g, other)
    comp = next((s for s in shared if s.complementary), None)
    if theirs and mine == theirs:
        text += f" {sector_words(theirs).capitalize()}, like you."
    elif theirs and not mine:
        text += f" {sector_words(theirs).capitalize()}."
    elif theirs:
        text += f" {sector_words(theirs).capitalize()} where you are {sector_words(mine)}"
        text += f": different strengths on {LQ}{comp.name}{RQ}." if comp else "."
    if all(counts.get((s.kind, s.id), 0) > 1 for s in shared):
        text += _own_work(g, idx, other, shared)
    if all(s.basis == "inferred" for s in shared):
        text += " (Inferred links only: check the evidence.)"
    return text
