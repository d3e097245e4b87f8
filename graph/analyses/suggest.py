"""Suggested links: which challenges a commitment's text is about, for a person to review.

Commitments rarely name a challenge, so ``ADDRESSES`` links are sparse. This module asks
the matcher (:mod:`graph.analyses.matcher`: BM25 over the map's own texts, no network, no
model download) which challenges each commitment's statement is about, and writes a review
CSV (``loaders.review``, which owns that format) that a person edits: one row per
(commitment, challenge) suggestion with its ``score`` and an empty ``decision`` to fill with
``accept`` or ``reject``; accepted rows load as ``basis: inferred`` ``ADDRESSES`` relationships
carrying the score and :data:`METHOD`.

Like the matcher, it abstains: a challenge scoring below the calibrated threshold is not
suggested, so a commitment that addresses nothing on the map gets no row at all. Only the
kinds of target an ``ADDRESSES`` link may point to from a commitment are suggested.

The web and the CLI import this module lazily (the matcher loads ``bm25s`` when it scores),
so it also re-exports the matcher they use: :class:`Matcher` and :data:`ABSTAIN_BELOW`.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.analyses.matcher import ABSTAIN_BELOW, Matcher
from graph.data import Record, Snapshot
from graph.model import REL_TYPES, NodeKind, RelType

__all__ = [
    "ABSTAIN_BELOW",
    "METHOD",
    "Matcher",
    "Suggestion",
    "review_kinds",
    "suggest",
]

#: Recorded as the ``method`` of every accepted suggestion (say how the link was made).
METHOD = "BM25 match of commitment text to the map's own texts (gcx suggest), reviewed"


def review_kinds() -> tuple[NodeKind, ...]:
    """The kinds of target a commitment's ``ADDRESSES`` link may point to, per the model.

    >>> NodeKind.CHALLENGE in review_kinds()
    True
    """
    ends = REL_TYPES[RelType.ADDRESSES].ends
    return tuple(target for source, target in ends if source is NodeKind.COMMITMENT)


@dataclass(frozen=True)
class Suggestion(Record):
    """One suggested (commitment, challenge) link, ranked within its commitment (1 = best).

    ``existing`` is the basis of an ``ADDRESSES`` link already loaded for the pair
    (``"stated"`` or ``"inferred"``), or ``None``.
    """

    commitment: str
    challenge: str
    score: float
    rank: int
    partner: str
    challenge_name: str
    commitment_text: str
    existing: str | None = None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _partners(g: Snapshot, commitment: str) -> str:
    names = sorted(
        _text(g.nodes[p].get("name")) or p
        for p, _, key in g.in_edges(commitment, keys=True)
        if key == RelType.MADE.value
    )
    return "; ".join(names)


def suggest(g: Snapshot, *, top: int = 3, threshold: float | None = None) -> list[Suggestion]:
    """The ``top`` best-scoring challenges for every commitment, with names for a reviewer.

    Challenges scoring below ``threshold`` (default: the matcher's calibrated one) are left
    out, so a commitment about nothing on the map gets no suggestion. A pair already
    joined by an ``ADDRESSES`` link says so in ``existing``.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K
    >>> g = to_networkx(
    ...     [Node(K.COMMITMENT, {"id": "m", "name": "M", "text": "Families learn about jobs."}),
    ...      Node(K.COMMITMENT, {"id": "n", "name": "N", "text": "Forthcoming."}),
    ...      Node(K.CHALLENGE, {"id": "a", "name": "Family awareness of STEM jobs"}),
    ...      Node(K.CHALLENGE, {"id": "b", "name": "Admissions standards"})], [])
    >>> [(s.commitment, s.challenge, s.rank) for s in suggest(g, threshold=0.1)]
    [('m', 'a', 1)]
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    matcher = Matcher(g, kinds=review_kinds())
    commitments = sorted(
        n for n, a in g.nodes(data=True) if a.get("kind") == NodeKind.COMMITMENT.value
    )
    out: list[Suggestion] = []
    for cid in commitments:
        text = _text(g.nodes[cid].get("text"))
        ranked = matcher.rank(text or _text(g.nodes[cid].get("name")), top=top, threshold=threshold)
        partner = _partners(g, cid) if ranked else ""
        for rank, match in enumerate(ranked, start=1):
            existing = None
            if g.has_edge(cid, match.id, key=RelType.ADDRESSES.value):
                existing = str(g.edges[cid, match.id, RelType.ADDRESSES.value]["basis"])
            out.append(
                Suggestion(
                    commitment=cid,
                    challenge=match.id,
                    score=match.score,
                    rank=rank,
                    partner=partner,
                    challenge_name=match.name,
                    commitment_text=text,
                    existing=existing,
                )
            )
    return out
