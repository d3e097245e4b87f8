"""The collaborator finder: who a partner could work with, why, and on what evidence.

For one partner, other partners are ranked in three tiers:

1. **Shared challenges.** Each challenge both partners address (see
   :mod:`graph.analyses.addressing`) adds its weight
   ``log(1 + N / n_c) x (1 + CATALYST_BONUS if a catalyst)``, where ``N``
   is the number of partners that address any challenge and ``n_c`` the number that
   address this one: a challenge few partners work on says more about a match than one
   everybody works on (an IDF-like weight), and catalysts are the map's levers.
2. **Shared focus areas** (no shared challenge): through project teams that work on the
   focus area, or funding it; weighted ``log(1 + N / n_f)`` the same way.
3. **Shared themes** (neither): the themes of the challenges each addresses, weighted
   ``log(1 + N / n_t)``.

Within a tier, a higher score ranks first; on equal scores a partner on more of the same
project teams goes first (working together already is the strongest evidence), then by
name and id. Every suggestion
carries a *why* sentence and its evidence paths, each stated or inferred; with
``include_inferred=False`` only stated paths count.

For a set of challenges, :func:`cover` lists the partners already on each and picks a
small set of partners that together cover all of them. Finding the smallest such set is
NP-hard; the greedy choice (most still-uncovered challenges first) is at most
``ln(k) + 1`` times larger than the smallest, so the result is labelled approximate.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from graph.analyses.addressing import EvidencePath, addressing
from graph.data import Snapshot
from graph.errors import NotFound
from graph.model import NodeKind, RelType

__all__ = [
    "CATALYST_BONUS",
    "Collaborator",
    "Cover",
    "CoverPick",
    "PartnerOn",
    "SharedChallenge",
    "SharedFocusArea",
    "SharedTheme",
    "challenge_weights",
    "collaborators",
    "cover",
]

#: A shared catalyst counts this much more than an ordinary challenge (+50%).
CATALYST_BONUS = 0.5

TIERS = ("challenge", "focus_area", "theme")

# Typographic quotes around names in the *why* sentences (names may hold apostrophes).
_LQ, _RQ = "\u2018", "\u2019"

_APPROXIMATE = (
    "Approximate: partners are picked greedily (each time, the one that covers the most "
    "challenges still uncovered); the true smallest set can be smaller."
)


def _name(g: Snapshot, node: str) -> str:
    value = g.nodes[node].get("name")
    return value if isinstance(value, str) and value else node


def _basis(paths: Iterable[EvidencePath]) -> str:
    return "stated" if any(p.basis == "stated" for p in paths) else "inferred"


@dataclass(frozen=True)
class SharedChallenge:
    """A challenge both partners address: its weight and each side's evidence paths."""

    challenge: str
    name: str
    catalyst: bool
    partners: int
    weight: float
    basis: str
    own: tuple[EvidencePath, ...]
    theirs: tuple[EvidencePath, ...]


@dataclass(frozen=True)
class SharedFocusArea:
    """A focus area both partners work on (project team or funding), with evidence paths."""

    focus_area: str
    name: str
    partners: int
    weight: float
    basis: str
    own: tuple[EvidencePath, ...]
    theirs: tuple[EvidencePath, ...]


@dataclass(frozen=True)
class SharedTheme:
    """A theme both partners work in, with the challenges that put each side there."""

    theme: str
    name: str
    partners: int
    weight: float
    basis: str
    own: tuple[str, ...]
    theirs: tuple[str, ...]


@dataclass(frozen=True)
class Collaborator:
    """One suggested collaborator: its tier, score, reason in words and the evidence."""

    partner: str
    name: str
    tier: str
    score: float
    basis: str
    why: str
    challenges: tuple[SharedChallenge, ...] = ()
    focus_areas: tuple[SharedFocusArea, ...] = ()
    themes: tuple[SharedTheme, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: evidence paths become dicts with their basis."""
        out = asdict(self)
        for group in ("challenges", "focus_areas"):
            for item, obj in zip(out[group], getattr(self, group), strict=True):
                item["own"] = [_path_dict(p) for p in obj.own]
                item["theirs"] = [_path_dict(p) for p in obj.theirs]
        return out


def _path_dict(p: EvidencePath) -> dict[str, Any]:
    return {"via": p.via, "nodes": list(p.nodes), "rels": list(p.rels), "basis": p.basis}


@dataclass(frozen=True)
class _Index:
    """Everything the finder needs, computed once per (snapshot, include_inferred)."""

    by_partner: dict[str, dict[str, tuple[EvidencePath, ...]]]
    on_challenge: dict[str, set[str]]
    focus: dict[str, dict[str, tuple[EvidencePath, ...]]]
    on_focus: dict[str, set[str]]
    themes: dict[str, dict[str, tuple[str, ...]]]
    on_theme: dict[str, set[str]]
    active: int
    weight_challenge: dict[str, float]
    weight_focus: dict[str, float]
    weight_theme: dict[str, float]
    teams: dict[str, frozenset[str]]


def _idf(active: int, n: int) -> float:
    return math.log(1 + active / n) if n else 0.0


def _focus_paths(g: Snapshot, partner: str, include_inferred: bool) -> list[EvidencePath]:
    out: list[EvidencePath] = []
    for _, target, key, data in g.out_edges(partner, keys=True, data=True):
        kind = g.nodes[target].get("kind")
        if key == RelType.FUNDS.value and kind == NodeKind.FOCUS_AREA.value:
            out.append(EvidencePath("funds", (partner, target), (key,), (str(data["basis"]),)))
        elif key == RelType.MEMBER_OF.value and kind == NodeKind.PROJECT_TEAM.value:
            for _, fa, key2, data2 in g.out_edges(target, keys=True, data=True):
                if key2 == RelType.WORKS_ON.value:
                    out.append(
                        EvidencePath(
                            "project_team",
                            (partner, target, fa),
                            (key, key2),
                            (str(data["basis"]), str(data2["basis"])),
                        )
                    )
    if not include_inferred:
        out = [p for p in out if p.basis == "stated"]
    return out


@lru_cache(maxsize=16)
def _index(g: Snapshot, include_inferred: bool) -> _Index:
    by_partner: dict[str, dict[str, tuple[EvidencePath, ...]]] = defaultdict(dict)
    on_challenge: dict[str, set[str]] = defaultdict(set)
    for a in addressing(g, include_inferred=include_inferred):
        by_partner[a.partner][a.challenge] = a.paths
        on_challenge[a.challenge].add(a.partner)

    focus: dict[str, dict[str, tuple[EvidencePath, ...]]] = defaultdict(dict)
    on_focus: dict[str, set[str]] = defaultdict(set)
    for pid, attrs in g.nodes(data=True):
        if attrs.get("kind") != NodeKind.PARTNER.value:
            continue
        grouped: dict[str, list[EvidencePath]] = defaultdict(list)
        for path in _focus_paths(g, pid, include_inferred):
            grouped[path.nodes[-1]].append(path)
        for fa, paths in grouped.items():
            focus[pid][fa] = tuple(sorted(paths, key=lambda p: (p.basis != "stated", p.nodes)))
            on_focus[fa].add(pid)

    theme_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for c, t, key, data in g.edges(keys=True, data=True):
        if key == RelType.IN_THEME.value and (include_inferred or data["basis"] == "stated"):
            theme_of[c].append((t, str(data["basis"])))
    themes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    on_theme: dict[str, set[str]] = defaultdict(set)
    for pid, challenges in by_partner.items():
        for c in challenges:
            for t, _ in theme_of.get(c, ()):
                themes[pid][t].append(c)
                on_theme[t].add(pid)

    teams: dict[str, set[str]] = defaultdict(set)
    for p, team, key, data in g.edges(keys=True, data=True):
        if key == RelType.MEMBER_OF.value and (include_inferred or data["basis"] == "stated"):
            teams[p].add(team)

    active = len(set(by_partner) | set(focus))
    weight_challenge = {}
    for c, partners in on_challenge.items():
        bonus = 1 + CATALYST_BONUS if g.nodes[c].get("catalyst") is True else 1.0
        weight_challenge[c] = _idf(active, len(partners)) * bonus
    return _Index(
        by_partner=dict(by_partner),
        on_challenge=dict(on_challenge),
        focus=dict(focus),
        on_focus=dict(on_focus),
        themes={p: {t: tuple(sorted(cs)) for t, cs in ts.items()} for p, ts in themes.items()},
        on_theme=dict(on_theme),
        active=active,
        weight_challenge=weight_challenge,
        weight_focus={f: _idf(active, len(ps)) for f, ps in on_focus.items()},
        weight_theme={t: _idf(active, len(ps)) for t, ps in on_theme.items()},
        teams={p: frozenset(ts) for p, ts in teams.items()},
    )


def challenge_weights(g: Snapshot, *, include_inferred: bool = True) -> dict[str, float]:
    """Challenge id -> the weight a shared challenge adds (only challenges someone addresses).

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> nodes = [Node(K.PARTNER, {"id": p, "name": p}) for p in "ab"]
    >>> nodes += [Node(K.COMMITMENT, {"id": m, "name": m}) for m in ("ma", "mb")]
    >>> nodes += [Node(K.CHALLENGE, {"id": "c", "name": "c", "catalyst": True})]
    >>> rels = [Rel(R.MADE, p, "m" + p, {"basis": "stated"}) for p in "ab"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "c", {"basis": "stated"}) for p in "ab"]
    >>> round(challenge_weights(to_networkx(nodes, rels))["c"], 4)  # log(1 + 2/2) * 1.5
    1.0397
    """
    return dict(_index(g, include_inferred).weight_challenge)


def _check_partner(g: Snapshot, partner: str) -> None:
    if partner not in g or g.nodes[partner].get("kind") != NodeKind.PARTNER.value:
        raise NotFound(f"no partner with id {partner!r}")


def _team_names(g: Snapshot, paths: Iterable[EvidencePath]) -> list[str]:
    return sorted(
        {
            _name(g, n)
            for p in paths
            for n in p.nodes
            if g.nodes[n].get("kind") == NodeKind.PROJECT_TEAM.value
        }
    )


def _commitment_count(paths: Iterable[EvidencePath]) -> int:
    return len({p.nodes[1] for p in paths if p.via == "commitment"})


def _list_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _why_challenges(
    g: Snapshot, name: str, shared: list[SharedChallenge], common: list[str]
) -> str:
    parts = []
    for s in shared[:3]:
        extra = "a catalyst; " if s.catalyst else ""
        others = s.partners
        parts.append(
            f"{_LQ}{s.name}{_RQ} ({extra}{others} partner{'s' if others != 1 else ''} on it)"
        )
    more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
    count = "the same challenge" if len(shared) == 1 else f"{len(shared)} of the same challenges"
    text = f"{name} works on {count}: {_list_words(parts)}{more}."
    their_teams = _team_names(g, (p for s in shared for p in s.theirs))
    if common:
        text += f" You are both on {_list_words(common[:2])}."
    else:
        how = []
        if their_teams:
            how.append("project team " + _list_words(their_teams[:2]))
        n = _commitment_count(p for s in shared for p in s.theirs)
        if n:
            how.append(f"{n} commitment{'s' if n != 1 else ''}")
        if how:
            text += f" They do it through {_list_words(how)}."
    if all(s.basis == "inferred" for s in shared):
        text += " (Inferred links only: check the evidence.)"
    return text


def _why_focus(g: Snapshot, name: str, shared: list[SharedFocusArea], common: list[str]) -> str:
    names = _list_words([f"{_LQ}{s.name}{_RQ}" for s in shared[:3]])
    noun = "focus area" if len(shared) == 1 else "focus areas"
    text = f"{name} works on the same catalyst {noun}: {names}"
    funds = any(p.via == "funds" for s in shared for p in s.theirs)
    teams = _team_names(g, (p for s in shared for p in s.theirs))
    if teams:
        text += f", through project team {_list_words(teams[:2])}"
    if funds:
        text += ", as a funder"
    text += "."
    if common:
        text += f" You are both on {_list_words(common[:2])}."
    if all(s.basis == "inferred" for s in shared):
        text += " (Inferred links only: check the evidence.)"
    return text


def _why_themes(name: str, shared: list[SharedTheme], common: list[str]) -> str:
    names = _list_words([f"{_LQ}{s.name}{_RQ}" for s in shared[:3]])
    noun = "theme" if len(shared) == 1 else "themes"
    text = f"{name} works on other challenges in the same {noun}: {names}."
    if common:
        text += f" You are both on {_list_words(common[:2])}."
    if all(s.basis == "inferred" for s in shared):
        text += " (Inferred links only: check the evidence.)"
    return text


def _rank(
    scores: dict[str, float], g: Snapshot, idx: _Index, partner: str, limit: int | None
) -> list[str]:
    """Candidates best first; with a ``limit``, only that many (a heap, not a full sort)."""
    own = idx.teams.get(partner, frozenset())
    empty: frozenset[str] = frozenset()

    def key(q: str) -> tuple[float, int, str, str]:
        shared_teams = len(own & idx.teams.get(q, empty)) if own else 0
        return (-round(scores[q], 9), -shared_teams, _name(g, q), q)

    if limit is not None and limit < len(scores):
        return heapq.nsmallest(limit, scores, key=key)
    return sorted(scores, key=key)


def collaborators(
    g: Snapshot,
    partner: str,
    *,
    include_inferred: bool = True,
    limit: int | None = None,
) -> list[Collaborator]:
    """Other partners ranked as collaborators for ``partner``, each with why and evidence.

    Tier ``challenge`` first (shared challenges, IDF-weighted, catalyst bonus), then
    ``focus_area``, then ``theme``; see the module docstring for the weights. Raises
    :class:`graph.errors.NotFound` for an unknown partner id.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> nodes = [Node(K.PARTNER, {"id": p, "name": p.upper()}) for p in "abc"]
    >>> nodes += [Node(K.COMMITMENT, {"id": "m" + p, "name": "m"}) for p in "abc"]
    >>> nodes += [Node(K.CHALLENGE, {"id": c, "name": c}) for c in ("rare", "common")]
    >>> rels = [Rel(R.MADE, p, "m" + p, {"basis": "stated"}) for p in "abc"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "common", {"basis": "stated"}) for p in "abc"]
    >>> rels += [Rel(R.ADDRESSES, "m" + p, "rare", {"basis": "stated"}) for p in "ab"]
    >>> found = collaborators(to_networkx(nodes, rels), "a")
    >>> [(c.partner, c.tier, round(c.score, 3)) for c in found]  # log(2.5) + log(2); log(2)
    [('b', 'challenge', 1.609), ('c', 'challenge', 0.693)]
    """
    _check_partner(g, partner)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    idx = _index(g, include_inferred)
    own_challenges = idx.by_partner.get(partner, {})
    own_focus = idx.focus.get(partner, {})
    own_themes = idx.themes.get(partner, {})

    scores: dict[str, float] = defaultdict(float)
    for c in own_challenges:
        for q in idx.on_challenge[c]:
            if q != partner:
                scores[q] += idx.weight_challenge[c]
    ranked: list[tuple[str, str]] = [
        (q, "challenge") for q in _rank(scores, g, idx, partner, limit)
    ]

    # Lower tiers are only worked out when the higher ones do not fill the list.
    for tier, own, on, weights in (
        ("focus_area", own_focus, idx.on_focus, idx.weight_focus),
        ("theme", own_themes, idx.on_theme, idx.weight_theme),
    ):
        if limit is not None and len(ranked) >= limit:
            break
        seen = {q for q, _ in ranked}
        tier_scores: dict[str, float] = defaultdict(float)
        for key in own:
            for q in on[key]:
                if q != partner and q not in seen:
                    tier_scores[q] += weights[key]
        room = None if limit is None else limit - len(ranked)
        ranked.extend((q, tier) for q in _rank(tier_scores, g, idx, partner, room))

    if limit is not None:
        ranked = ranked[:limit]
    out = []
    for q, tier in ranked:
        out.append(_build(g, idx, partner, q, tier))
    return out


def _build(g: Snapshot, idx: _Index, partner: str, other: str, tier: str) -> Collaborator:
    own_c = idx.by_partner.get(partner, {})
    their_c = idx.by_partner.get(other, {})
    shared_c = []
    for c in sorted(set(own_c) & set(their_c)):
        basis = "stated" if _basis(own_c[c]) == _basis(their_c[c]) == "stated" else "inferred"
        shared_c.append(
            SharedChallenge(
                challenge=c,
                name=_name(g, c),
                catalyst=g.nodes[c].get("catalyst") is True,
                partners=len(idx.on_challenge[c]),
                weight=idx.weight_challenge[c],
                basis=basis,
                own=own_c[c],
                theirs=their_c[c],
            )
        )
    shared_c.sort(key=lambda s: (-s.weight, s.name, s.challenge))

    own_f = idx.focus.get(partner, {})
    their_f = idx.focus.get(other, {})
    shared_f = []
    for f in sorted(set(own_f) & set(their_f)):
        basis = "stated" if _basis(own_f[f]) == _basis(their_f[f]) == "stated" else "inferred"
        shared_f.append(
            SharedFocusArea(
                focus_area=f,
                name=_name(g, f),
                partners=len(idx.on_focus[f]),
                weight=idx.weight_focus[f],
                basis=basis,
                own=own_f[f],
                theirs=their_f[f],
            )
        )
    shared_f.sort(key=lambda s: (-s.weight, s.name, s.focus_area))

    own_t = idx.themes.get(partner, {})
    their_t = idx.themes.get(other, {})
    shared_t = []
    for t in sorted(set(own_t) & set(their_t)):
        stated = any(_basis(own_c[c]) == "stated" for c in own_t[t]) and any(
            _basis(their_c[c]) == "stated" for c in their_t[t]
        )
        shared_t.append(
            SharedTheme(
                theme=t,
                name=_name(g, t),
                partners=len(idx.on_theme[t]),
                weight=idx.weight_theme[t],
                basis="stated" if stated else "inferred",
                own=own_t[t],
                theirs=their_t[t],
            )
        )
    shared_t.sort(key=lambda s: (-s.weight, s.name, s.theme))

    name = _name(g, other)
    common = sorted(
        _name(g, t) for t in idx.teams.get(partner, frozenset()) & idx.teams.get(other, frozenset())
    )
    if tier == "challenge":
        score = sum(s.weight for s in shared_c)
        basis = "stated" if any(s.basis == "stated" for s in shared_c) else "inferred"
        why = _why_challenges(g, name, shared_c, common)
    elif tier == "focus_area":
        score = sum(s.weight for s in shared_f)
        basis = "stated" if any(s.basis == "stated" for s in shared_f) else "inferred"
        why = _why_focus(g, name, shared_f, common)
    else:
        score = sum(s.weight for s in shared_t)
        basis = "stated" if any(s.basis == "stated" for s in shared_t) else "inferred"
        why = _why_themes(name, shared_t, common)
    return Collaborator(
        partner=other,
        name=name,
        tier=tier,
        score=score,
        basis=basis,
        why=why,
        challenges=tuple(shared_c),
        focus_areas=tuple(shared_f),
        themes=tuple(shared_t),
    )


@dataclass(frozen=True)
class PartnerOn:
    """A partner already on a challenge, with its basis and evidence paths."""

    partner: str
    name: str
    basis: str
    paths: tuple[EvidencePath, ...]


@dataclass(frozen=True)
class CoverPick:
    """One partner the greedy cover picked: what it newly covers and all it is on."""

    partner: str
    name: str
    covers: tuple[str, ...]
    on: tuple[str, ...]


@dataclass(frozen=True)
class Cover:
    """Partners on each chosen challenge, and a small set that covers them all."""

    challenges: tuple[str, ...]
    on_each: dict[str, tuple[PartnerOn, ...]]
    picks: tuple[CoverPick, ...]
    uncovered: tuple[str, ...]
    include_inferred: bool
    approximate: bool = True
    note: str = field(default=_APPROXIMATE)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "challenges": list(self.challenges),
            "on_each": {
                c: [
                    {
                        "partner": p.partner,
                        "name": p.name,
                        "basis": p.basis,
                        "paths": [_path_dict(x) for x in p.paths],
                    }
                    for p in ps
                ]
                for c, ps in self.on_each.items()
            },
            "picks": [asdict(p) for p in self.picks],
            "uncovered": list(self.uncovered),
            "include_inferred": self.include_inferred,
            "approximate": self.approximate,
            "note": self.note,
        }


def cover(g: Snapshot, challenges: Iterable[str], *, include_inferred: bool = True) -> Cover:
    """The partners on each of ``challenges``, and a greedy (approximate) smallest cover.

    At each step the partner that covers the most still-uncovered challenges is picked;
    ties go to the one with more stated links among them, then by name and id.
    Challenges nobody addresses are listed in ``uncovered``. Raises
    :class:`graph.errors.NotFound` for an id that is not a challenge.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> nodes = [Node(K.PARTNER, {"id": p, "name": p}) for p in "ab"]
    >>> nodes += [Node(K.COMMITMENT, {"id": m, "name": m}) for m in ("a1", "a2", "b1")]
    >>> nodes += [Node(K.CHALLENGE, {"id": c, "name": c}) for c in "xyz"]
    >>> rels = [Rel(R.MADE, m[0], m, {"basis": "stated"}) for m in ("a1", "a2", "b1")]
    >>> rels += [Rel(R.ADDRESSES, m, c, {"basis": "stated"})
    ...          for m, c in (("a1", "x"), ("a2", "y"), ("b1", "y"))]
    >>> result = cover(to_networkx(nodes, rels), ["x", "y", "z"])
    >>> [(p.partner, p.covers) for p in result.picks], result.uncovered
    ([('a', ('x', 'y'))], ('z',))
    """
    wanted: list[str] = []
    for c in challenges:
        if c not in g or g.nodes[c].get("kind") != NodeKind.CHALLENGE.value:
            raise NotFound(f"no challenge with id {c!r}")
        if c not in wanted:
            wanted.append(c)
    idx = _index(g, include_inferred)
    on_each: dict[str, tuple[PartnerOn, ...]] = {}
    reach: dict[str, dict[str, str]] = defaultdict(dict)  # partner -> challenge -> basis
    for c in wanted:
        people = []
        for p in idx.on_challenge.get(c, ()):
            paths = idx.by_partner[p][c]
            people.append(PartnerOn(p, _name(g, p), _basis(paths), paths))
            reach[p][c] = _basis(paths)
        people.sort(key=lambda x: (x.basis != "stated", x.name, x.partner))
        on_each[c] = tuple(people)

    left = {c for c in wanted if on_each[c]}
    picks: list[CoverPick] = []
    while left:
        best = min(
            reach,
            key=lambda p: (
                -len(left & reach[p].keys()),
                -sum(1 for c in left & reach[p].keys() if reach[p][c] == "stated"),
                _name(g, p),
                p,
            ),
        )
        new = left & reach[best].keys()
        order = {c: i for i, c in enumerate(wanted)}
        picks.append(
            CoverPick(
                partner=best,
                name=_name(g, best),
                covers=tuple(sorted(new, key=order.__getitem__)),
                on=tuple(c for c in wanted if c in reach[best]),
            )
        )
        left -= new
    return Cover(
        challenges=tuple(wanted),
        on_each=on_each,
        picks=tuple(picks),
        uncovered=tuple(c for c in wanted if not on_each[c]),
        include_inferred=include_inferred,
    )
