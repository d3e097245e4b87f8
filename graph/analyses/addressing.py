"""Who addresses which challenge, and the evidence for it, computed over a snapshot.

A partner *addresses* a challenge when one of two paths joins them::

    (Partner)-[:MADE]->(Commitment)-[:ADDRESSES]->(Challenge)
    (Partner)-[:MEMBER_OF]->(ProjectTeam)-[:WORKS_ON]->(FocusArea)-[:TARGETS]->(Challenge)

A path is *stated* when every relationship on it is stated, and *inferred* otherwise;
a partner-challenge pair is stated when at least one of its paths is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from graph.data import Snapshot
from graph.model import NodeKind, RelType

__all__ = ["Addressing", "EvidencePath", "addressing", "partners_addressing"]

_PATHS: tuple[tuple[str, tuple[tuple[RelType, NodeKind], ...]], ...] = (
    ("commitment", ((RelType.MADE, NodeKind.COMMITMENT), (RelType.ADDRESSES, NodeKind.CHALLENGE))),
    (
        "project_team",
        (
            (RelType.MEMBER_OF, NodeKind.PROJECT_TEAM),
            (RelType.WORKS_ON, NodeKind.FOCUS_AREA),
            (RelType.TARGETS, NodeKind.CHALLENGE),
        ),
    ),
)


@dataclass(frozen=True)
class EvidencePath:
    """One path from a partner to a challenge: node ids (partner first) and their links."""

    via: str
    nodes: tuple[str, ...]
    rels: tuple[str, ...]
    bases: tuple[str, ...]

    @property
    def basis(self) -> str:
        return "stated" if all(b == "stated" for b in self.bases) else "inferred"


@dataclass(frozen=True)
class Addressing:
    """A partner that addresses a challenge, with every evidence path."""

    partner: str
    challenge: str
    paths: tuple[EvidencePath, ...]

    @property
    def basis(self) -> str:
        return "stated" if any(p.basis == "stated" for p in self.paths) else "inferred"


def _walk(g: Snapshot, start: str) -> list[EvidencePath]:
    found: list[EvidencePath] = []
    for via, steps in _PATHS:
        frontier: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
            ((start,), (), ())
        ]
        for rtype, kind in steps:
            nxt = []
            for nodes, rels, bases in frontier:
                for _, target, key, data in g.out_edges(nodes[-1], keys=True, data=True):
                    if key == rtype.value and g.nodes[target].get("kind") == kind.value:
                        nxt.append(((*nodes, target), (*rels, key), (*bases, str(data["basis"]))))
            frontier = nxt
        found.extend(EvidencePath(via, n, r, b) for n, r, b in frontier)
    return found


@lru_cache(maxsize=8)
def _all(g: Snapshot) -> tuple[Addressing, ...]:
    out: list[Addressing] = []
    for pid, attrs in g.nodes(data=True):
        if attrs.get("kind") != NodeKind.PARTNER.value:
            continue
        by_challenge: dict[str, list[EvidencePath]] = defaultdict(list)
        for path in _walk(g, pid):
            by_challenge[path.nodes[-1]].append(path)
        for cid in sorted(by_challenge):
            paths = sorted(by_challenge[cid], key=lambda p: (p.basis != "stated", p.nodes))
            out.append(Addressing(pid, cid, tuple(paths)))
    return tuple(sorted(out, key=lambda a: (a.challenge, a.partner)))


def addressing(
    g: Snapshot,
    *,
    include_inferred: bool = True,
    partner: str | None = None,
    challenge: str | None = None,
) -> list[Addressing]:
    """Every (partner, challenge) pair joined by an evidence path, with its paths.

    With ``include_inferred=False`` only stated paths count. Filter by ``partner`` or
    ``challenge`` id. Cached per (frozen) snapshot.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M"}),
    ...      Node(K.CHALLENGE, {"id": "c", "name": "C"})],
    ...     [Rel(R.MADE, "p", "m", {"basis": "stated"}),
    ...      Rel(R.ADDRESSES, "m", "c", {"basis": "inferred"})])
    >>> [(a.partner, a.challenge, a.basis) for a in addressing(g)]
    [('p', 'c', 'inferred')]
    >>> addressing(g, include_inferred=False)
    []
    """
    out = []
    for a in _all(g):
        if partner is not None and a.partner != partner:
            continue
        if challenge is not None and a.challenge != challenge:
            continue
        if not include_inferred:
            paths = tuple(p for p in a.paths if p.basis == "stated")
            if not paths:
                continue
            a = Addressing(a.partner, a.challenge, paths)
        out.append(a)
    return out


def partners_addressing(g: Snapshot, *, include_inferred: bool = True) -> dict[str, set[str]]:
    """Challenge id -> ids of the partners that address it (every challenge present)."""
    out: dict[str, set[str]] = {
        n: set() for n, attrs in g.nodes(data=True) if attrs.get("kind") == NodeKind.CHALLENGE.value
    }
    for a in addressing(g, include_inferred=include_inferred):
        out.setdefault(a.challenge, set()).add(a.partner)
    return out
