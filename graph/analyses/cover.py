"""Who covers a set of challenges: the partners on each, and a small set that covers all.

Finding the smallest such set is NP-hard; the greedy choice (most still-uncovered
challenges first) is at most ``ln(k) + 1`` times larger than the smallest, so the result
is labelled approximate. Partners count as on a challenge through every addressing path
(:mod:`graph.analyses.addressing`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.analyses.addressing import EvidencePath, addressing, strongest_basis
from graph.data import Snapshot, node_name
from graph.errors import NotFound
from graph.model import NodeKind

__all__ = ["Cover", "CoverPick", "PartnerOn", "cover"]

_APPROXIMATE = (
    "Approximate: partners are picked greedily (each time, the one that covers the most "
    "challenges still uncovered); the true smallest set can be smaller."
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
                        "paths": [x.to_dict() for x in p.paths],
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
    on_challenge: dict[str, list[tuple[str, tuple[EvidencePath, ...]]]] = defaultdict(list)
    for a in addressing(g, include_inferred=include_inferred):
        on_challenge[a.challenge].append((a.partner, a.paths))
    on_each: dict[str, tuple[PartnerOn, ...]] = {}
    reach: dict[str, dict[str, str]] = defaultdict(dict)  # partner -> challenge -> basis
    for c in wanted:
        people = []
        for p, paths in on_challenge.get(c, ()):
            people.append(PartnerOn(p, node_name(g, p), strongest_basis(paths), paths))
            reach[p][c] = strongest_basis(paths)
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
                node_name(g, p),
                p,
            ),
        )
        new = left & reach[best].keys()
        order = {c: i for i, c in enumerate(wanted)}
        picks.append(
            CoverPick(
                partner=best,
                name=node_name(g, best),
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
