"""The gap finder: where the map's leverage is high and few partners are working.

For every challenge this module counts its **coverage** — distinct partners (through the
addressing relation, :mod:`graph.analyses.addressing`), commitments that address it, and project
teams that work on it (through a focus area that targets it, or by citing it) — with
stated and inferred-only counted apart. It scores its **leverage** from the map's own
signals, and ranks challenges by a **gap score**::

    leverage  = 2 x catalyst + 1 x keystone + 2 x influence
    hands     = distinct partners on the challenge
    gap score = (1 + leverage) / (1 + hands)

``catalyst`` is 1 when the map names the challenge a catalyst (0 when it is not, or not
known); ``keystone`` is 1 when one of Beyond100K's keystones corresponds to it;
``influence`` is the challenge's PageRank over the reversed ``INFLUENCES`` links (a
challenge that influences influential challenges scores high), scaled so the highest is
1, and 0 for every challenge when no ``INFLUENCES`` data is loaded (the public data has
none). The ones added to both sides keep the score finite and let leverage count when
nobody is on a challenge yet. High leverage and few hands rank first; the reverse list,
*crowded*, ranks the challenges that someone is on by the lowest gap score.

With ``include_inferred=False`` only stated links count, for hands, keystones and
influence alike. :func:`graph.analyses.matrix.theme_sector_matrix` counts partners per theme and
partner sector, keeping the partners behind each cell; :mod:`graph.analyses.chart` draws leverage
against hands as a self-contained SVG (no JavaScript, all text escaped).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any

import networkx as nx

from graph.analyses.addressing import addressing
from graph.analyses.nearby import nearby_counts
from graph.data import Snapshot, node_name
from graph.errors import NotFound
from graph.model import NodeKind, RelType

__all__ = [
    "FORMULA",
    "TIE_RULE",
    "WEIGHTS",
    "ChallengeGap",
    "GapReport",
    "Split",
    "challenge_themes",
    "gap_score",
    "gaps",
    "influence_centrality",
    "leverage",
    "nodes_of",
]

#: The weights of the leverage terms (see the module docstring).
WEIGHTS: dict[str, float] = {"catalyst": 2.0, "keystone": 1.0, "influence": 2.0}

FORMULA = (
    "leverage = 2 \u00d7 catalyst + 1 \u00d7 keystone + 2 \u00d7 influence; "
    "gap score = (1 + leverage) / (1 + partners). "
    "catalyst and keystone are 1 or 0; influence is PageRank over the reversed INFLUENCES "
    "links, scaled to 0-1 (0 when no influence data is loaded); partners counts the distinct "
    "partners on the challenge."
)

UNKNOWN_SECTOR = "Unknown"

TIE_RULE = (
    "Challenges with the same gap score are ordered by evidence: the one fewer partners "
    "are known to be on from a stated source first (its coverage rests on judgement), "
    "then the one with fewer partners working nearby (on the same theme), then by name."
)


def leverage(catalyst: bool, keystone: bool, influence: float = 0.0) -> float:
    """The leverage of a challenge from its catalyst and keystone flags and influence (0-1).

    >>> leverage(True, True, 0.5)
    4.0
    """
    return (
        WEIGHTS["catalyst"] * catalyst
        + WEIGHTS["keystone"] * keystone
        + WEIGHTS["influence"] * influence
    )


def gap_score(leverage_value: float, hands: int) -> float:
    """The gap score: ``(1 + leverage) / (1 + hands)``; high means high leverage, few hands.

    >>> gap_score(2.0, 0), gap_score(2.0, 2), gap_score(0.0, 3)
    (3.0, 1.0, 0.25)
    """
    return (1.0 + leverage_value) / (1.0 + hands)


@dataclass(frozen=True)
class Split:
    """A count split by basis: ``stated``, and ``inferred`` (reached by inferred links only)."""

    stated: int
    inferred: int

    @property
    def total(self) -> int:
        return self.stated + self.inferred


@dataclass(frozen=True)
class ChallengeGap:
    """One challenge's coverage, leverage and gap score."""

    challenge: str
    name: str
    themes: tuple[str, ...]
    catalyst: bool | None
    keystones: tuple[str, ...]
    influence: float | None
    partners: Split
    commitments: Split
    project_teams: Split
    partner_ids: tuple[str, ...]
    hands: int
    leverage: float
    gap_score: float
    nearby: int = 0
    tie: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (splits with their totals)."""
        out = asdict(self)
        for key in ("partners", "commitments", "project_teams"):
            out[key]["total"] = getattr(self, key).total
        out["partner_ids"] = list(self.partner_ids)
        out["themes"] = list(self.themes)
        out["keystones"] = list(self.keystones)
        return out


@dataclass(frozen=True)
class GapReport:
    """Every challenge ranked by gap score, the crowded reverse, and what the data lacks."""

    ranked: tuple[ChallengeGap, ...]
    crowded: tuple[ChallengeGap, ...]
    include_inferred: bool
    theme: str | None
    has_influence: bool
    lacks: tuple[str, ...]
    formula: str = FORMULA
    tie_rule: str = TIE_RULE

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "formula": self.formula,
            "tie_rule": self.tie_rule,
            "weights": dict(WEIGHTS),
            "include_inferred": self.include_inferred,
            "theme": self.theme,
            "has_influence": self.has_influence,
            "lacks": list(self.lacks),
            "ranked": [c.to_dict() for c in self.ranked],
            "crowded": [c.challenge for c in self.crowded],
        }


def nodes_of(g: Snapshot, kind: NodeKind) -> list[str]:
    """Ids of every node of one kind."""
    return [n for n, attrs in g.nodes(data=True) if attrs.get("kind") == kind.value]


def _ok(basis: object, include_inferred: bool) -> bool:
    return include_inferred or basis == "stated"


def influence_centrality(g: Snapshot, *, include_inferred: bool = True) -> dict[str, float]:
    """Challenge id -> influence (0-1) from the ``INFLUENCES`` links; empty when there are none.

    PageRank over the reversed links (``weight`` as edge weight, 1 when missing), so
    rank flows from a challenge to those that influence it; scaled so the top is 1.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx([Node(K.CHALLENGE, {"id": c, "name": c}) for c in "abc"],
    ...     [Rel(R.INFLUENCES, "a", "b", {"basis": "stated"}),
    ...      Rel(R.INFLUENCES, "a", "c", {"basis": "stated"})])
    >>> {c: round(v, 2) for c, v in influence_centrality(g).items()}
    {'a': 1.0, 'b': 0.37, 'c': 0.37}
    """
    h: nx.DiGraph[str] = nx.DiGraph()
    for a, b, key, data in g.edges(keys=True, data=True):
        if key == RelType.INFLUENCES.value and _ok(data.get("basis"), include_inferred):
            weight = data.get("weight")
            w = float(weight) if isinstance(weight, int | float) and weight > 0 else 1.0
            h.add_edge(b, a, weight=w)
    if h.number_of_edges() == 0:
        return {}
    for n in nodes_of(g, NodeKind.CHALLENGE):
        h.add_node(n)
    rank = nx.pagerank(h, weight="weight")
    top = max(rank.values())
    return {n: (v / top if top > 0 else 0.0) for n, v in sorted(rank.items())}


def challenge_themes(g: Snapshot, include_inferred: bool) -> dict[str, list[str]]:
    """Challenge id -> the ids of its themes."""
    out: dict[str, list[str]] = defaultdict(list)
    for c, t, key, data in g.edges(keys=True, data=True):
        if key == RelType.IN_THEME.value and _ok(data.get("basis"), include_inferred):
            out[c].append(t)
    return out


def _split(bases: dict[str, bool]) -> Split:
    """Count ids whose flag says stated, and those reached by inferred links only."""
    stated = sum(1 for s in bases.values() if s)
    return Split(stated, len(bases) - stated)


def gaps(
    g: Snapshot,
    *,
    theme: str | None = None,
    include_inferred: bool = True,
    map_total: int | None = None,
) -> GapReport:
    """Every challenge (or those in ``theme``) with coverage, leverage and gap score, ranked.

    ``map_total`` is the number of challenges the whole map has (``meta.csv``), used only
    to say what the loaded data lacks. Raises :class:`graph.errors.NotFound` for an
    unknown theme id.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M"}),
    ...      Node(K.CHALLENGE, {"id": "lever", "name": "L", "catalyst": True}),
    ...      Node(K.CHALLENGE, {"id": "busy", "name": "B", "catalyst": False})],
    ...     [Rel(R.MADE, "p", "m", {"basis": "stated"}),
    ...      Rel(R.ADDRESSES, "m", "busy", {"basis": "stated"})])
    >>> [(c.challenge, c.hands, c.gap_score) for c in gaps(g).ranked]
    [('lever', 0, 3.0), ('busy', 1, 0.5)]
    """
    if theme is not None and (theme not in g or g.nodes[theme].get("kind") != NodeKind.THEME.value):
        raise NotFound(f"no theme with id {theme!r}")
    themes_of = challenge_themes(g, include_inferred)
    influence = influence_centrality(g, include_inferred=include_inferred)

    partners: dict[str, dict[str, bool]] = defaultdict(dict)
    for a in addressing(g, include_inferred=include_inferred):
        partners[a.challenge][a.partner] = a.basis == "stated"

    commitments, teams, keystones = _hands(g, include_inferred)
    rows: list[ChallengeGap] = []
    for c in nodes_of(g, NodeKind.CHALLENGE):
        if theme is not None and theme not in themes_of.get(c, ()):
            continue
        catalyst = g.nodes[c].get("catalyst")
        flag = catalyst if isinstance(catalyst, bool) else None
        hands = len(partners[c])
        inf = influence.get(c) if influence else None
        lev = leverage(flag is True, bool(keystones[c]), inf or 0.0)
        rows.append(
            ChallengeGap(
                challenge=c,
                name=node_name(g, c),
                themes=tuple(sorted(themes_of.get(c, ()))),
                catalyst=flag,
                keystones=tuple(sorted(keystones[c])),
                influence=inf,
                partners=_split(partners[c]),
                commitments=_split(commitments[c]),
                project_teams=_split(teams[c]),
                partner_ids=tuple(sorted(partners[c])),
                hands=hands,
                leverage=lev,
                gap_score=gap_score(lev, hands),
            )
        )
    ranked = _rank(g, rows, include_inferred)
    by_id = {r.challenge: r for r in ranked}
    rows = [by_id[r.challenge] for r in rows]
    crowded = sorted(
        (r for r in rows if r.hands > 0),
        key=lambda r: (r.gap_score, -r.hands, r.name, r.challenge),
    )
    return GapReport(
        ranked=tuple(ranked),
        crowded=tuple(crowded),
        include_inferred=include_inferred,
        theme=theme,
        has_influence=bool(influence),
        lacks=_lacks(g, bool(influence), map_total),
    )


def _rank(g: Snapshot, rows: list[ChallengeGap], include_inferred: bool) -> list[ChallengeGap]:
    """Highest gap score first; ties broken by evidence (:data:`TIE_RULE`) and said so."""
    near = nearby_counts(g, include_inferred=include_inferred)
    rows = [replace(r, nearby=near.get(r.challenge, 0)) for r in rows]
    return _with_ties(
        sorted(
            rows,
            key=lambda r: (
                -round(r.gap_score, 9),
                -r.leverage,
                r.partners.stated,
                r.nearby,
                r.name,
                r.challenge,
            ),
        )
    )


def _with_ties(ranked: list[ChallengeGap]) -> list[ChallengeGap]:
    """Each challenge that shares its gap score with others says how the tie was broken."""
    groups: dict[float, list[ChallengeGap]] = defaultdict(list)
    for r in ranked:
        groups[round(r.gap_score, 9)].append(r)
    out = []
    for r in ranked:
        tied = groups[round(r.gap_score, 9)]
        if len(tied) == 1:
            out.append(r)
            continue
        place = tied.index(r) + 1
        stated = r.partners.stated
        out.append(
            replace(
                r,
                tie=(
                    f"{place} of {len(tied)} tied at {r.gap_score:.2f}: {stated} partner"
                    f"{'s' if stated != 1 else ''} from a stated source, {r.nearby} working "
                    "nearby"
                ),
            )
        )
    return out


def _hands(
    g: Snapshot, include_inferred: bool
) -> tuple[dict[str, dict[str, bool]], dict[str, dict[str, bool]], dict[str, list[str]]]:
    """Per challenge: its commitments and project teams (each -> whether stated), and
    the keystones that correspond to it."""
    commitments: dict[str, dict[str, bool]] = defaultdict(dict)
    teams: dict[str, dict[str, bool]] = defaultdict(dict)
    keystones: dict[str, list[str]] = defaultdict(list)
    for src, dst, key, data in g.edges(keys=True, data=True):
        basis = data.get("basis")
        if not _ok(basis, include_inferred):
            continue
        stated = basis == "stated"
        if key == RelType.ADDRESSES.value:
            commitments[dst][src] = commitments[dst].get(src, False) or stated
        elif key == RelType.CITES.value:
            teams[dst][src] = teams[dst].get(src, False) or stated
        elif key == RelType.CORRESPONDS_TO.value:
            keystones[dst].append(src)
        elif key == RelType.WORKS_ON.value:
            for _, target, key2, data2 in g.out_edges(dst, keys=True, data=True):
                basis2 = data2.get("basis")
                if key2 == RelType.TARGETS.value and _ok(basis2, include_inferred):
                    both = stated and basis2 == "stated"
                    teams[target][src] = teams[target].get(src, False) or both
    return commitments, teams, keystones


def _lacks(g: Snapshot, has_influence: bool, map_total: int | None) -> tuple[str, ...]:
    challenges = nodes_of(g, NodeKind.CHALLENGE)
    loaded = len(challenges)
    out = []
    if map_total is not None and map_total > loaded:
        out.append(
            f"{map_total - loaded} of the map's {map_total} challenges are not in the public "
            f"record; only {loaded} are loaded, so a challenge missing here may be the real gap."
        )
    if not has_influence:
        out.append(
            "No influence ratings (INFLUENCES links) are loaded: the map's ratings of how "
            "solving one challenge affects another were never published, so leverage uses "
            "the catalyst and keystone flags only."
        )
    unknown = sum(1 for n in challenges if not isinstance(g.nodes[n].get("catalyst"), bool))
    if unknown:
        out.append(
            f"{unknown} challenge has no known catalyst flag; it counts as 0."
            if unknown == 1
            else f"{unknown} challenges have no known catalyst flag; they count as 0."
        )
    return tuple(out)
