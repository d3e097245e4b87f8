"""Suggested links: which challenges a commitment's text is about, for a person to review.

Commitments rarely name a challenge, so ``ADDRESSES`` links are sparse. This module scores
every commitment against every challenge from their text, with scikit-learn's TF-IDF and
cosine similarity (no network, no model download), and writes a review CSV that a person
edits: one row per (commitment, challenge) suggestion with its ``score`` and an empty
``decision`` to fill with ``accept`` or ``reject``. ``loaders.review`` reads the file back
and turns accepted rows into ``basis: inferred`` ``ADDRESSES`` relationships carrying the
score and :data:`METHOD`.

The text of a challenge is its name, statement and description, plus the wording of any
keystone that corresponds to it (two catalysts have no page, only a name and a keystone).
The text of a commitment is its statement. The vectoriser is fitted on both sets together,
so words every document uses (``STEM``, ``teachers``) weigh little.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from graph.data import Snapshot
from graph.model import NodeKind, RelType

__all__ = [
    "METHOD",
    "Suggestion",
    "challenge_text",
    "hit_rate_at",
    "precision_at",
    "rank_challenges",
    "suggest",
]

#: Recorded as the ``method`` of every accepted suggestion (say how the link was made).
METHOD = "tf-idf cosine similarity of commitment and challenge text (gcx suggest), reviewed"


@dataclass(frozen=True)
class Suggestion:
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _ids(g: Snapshot, kind: NodeKind) -> list[str]:
    return sorted(n for n, attrs in g.nodes(data=True) if attrs.get("kind") == kind.value)


def challenge_text(g: Snapshot, challenge: str) -> str:
    """The text a challenge is matched on: name, statement, description, keystone wording.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.CHALLENGE, {"id": "c", "name": "Time", "statement": "Time to meet."}),
    ...      Node(K.KEYSTONE, {"id": "k", "name": "K", "text": "Teachers lack time."})],
    ...     [Rel(R.CORRESPONDS_TO, "k", "c", {"basis": "inferred"})])
    >>> challenge_text(g, "c")
    'Time\\nTime to meet.\\nTeachers lack time.'
    """
    attrs = g.nodes[challenge]
    parts = [_text(attrs.get(p)) for p in ("name", "statement", "description")]
    for source, _, key in g.in_edges(challenge, keys=True):
        if key == RelType.CORRESPONDS_TO.value:
            parts.append(_text(g.nodes[source].get("text")))
    return "\n".join(p for p in parts if p.strip())


def _score_matrix(g: Snapshot) -> tuple[list[str], list[str], np.ndarray[Any, Any]]:
    """(commitment ids, challenge ids, cosine similarity matrix commitments x challenges)."""
    commitments = _ids(g, NodeKind.COMMITMENT)
    challenges = _ids(g, NodeKind.CHALLENGE)
    if not commitments or not challenges:
        return commitments, challenges, np.zeros((len(commitments), len(challenges)))
    docs_c = [_text(g.nodes[c].get("text")) or _text(g.nodes[c].get("name")) for c in commitments]
    docs_h = [challenge_text(g, c) for c in challenges]
    # Imported here: scikit-learn takes about a second to import, and only scoring needs it
    # (the loader imports this module for METHOD; gcx's other commands must stay quick).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vectoriser = TfidfVectorizer(
        stop_words="english",
        strip_accents="unicode",
        sublinear_tf=True,
        ngram_range=(1, 2),
    )
    try:
        matrix = vectoriser.fit_transform(docs_c + docs_h)
    except ValueError:  # every document empty or stop words only: nothing to match on
        return commitments, challenges, np.zeros((len(commitments), len(challenges)))
    sims = cosine_similarity(matrix[: len(commitments)], matrix[len(commitments) :])
    return commitments, challenges, np.asarray(sims)


def rank_challenges(g: Snapshot, *, top: int | None = None) -> dict[str, list[tuple[str, float]]]:
    """Commitment id -> the challenges with a score above zero, best first (``top`` at most).

    Scores are rounded to six decimals; ties are broken by challenge id, so the ranking is
    reproducible.
    """
    commitments, challenges, sims = _score_matrix(g)
    scores = np.round(sims, 6)
    out: dict[str, list[tuple[str, float]]] = {}
    for i, cid in enumerate(commitments):
        row = scores[i]
        candidates = np.flatnonzero(row > 0)
        # Challenge ids are sorted, so a lower index is the lower id: the tie-break.
        order = candidates[np.lexsort((candidates, -row[candidates]))]
        if top is not None:
            order = order[:top]
        out[cid] = [(challenges[j], float(row[j])) for j in order]
    return out


def _partners(g: Snapshot, commitment: str) -> str:
    names = sorted(
        _text(g.nodes[p].get("name")) or p
        for p, _, key in g.in_edges(commitment, keys=True)
        if key == RelType.MADE.value
    )
    return "; ".join(names)


def suggest(g: Snapshot, *, top: int = 3, min_score: float = 0.0) -> list[Suggestion]:
    """The ``top`` best-scoring challenges for every commitment, with names for a reviewer.

    Pairs scoring zero (no word in common) or below ``min_score`` are left out. A pair
    already joined by an ``ADDRESSES`` link says so in ``existing``.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K
    >>> g = to_networkx(
    ...     [Node(K.COMMITMENT, {"id": "m", "name": "M", "text": "Families learn about jobs."}),
    ...      Node(K.CHALLENGE, {"id": "a", "name": "Family awareness of STEM jobs"}),
    ...      Node(K.CHALLENGE, {"id": "b", "name": "Admissions standards"})], [])
    >>> [(s.commitment, s.challenge, s.rank) for s in suggest(g)]
    [('m', 'a', 1)]
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    out: list[Suggestion] = []
    for cid, ranked in rank_challenges(g, top=top).items():
        text = _text(g.nodes[cid].get("text"))
        partner = _partners(g, cid)
        for rank, (challenge, score) in enumerate(ranked[:top], start=1):
            if score < min_score:
                break
            existing = None
            if g.has_edge(cid, challenge, key=RelType.ADDRESSES.value):
                existing = str(g.edges[cid, challenge, RelType.ADDRESSES.value]["basis"])
            out.append(
                Suggestion(
                    commitment=cid,
                    challenge=challenge,
                    score=score,
                    rank=rank,
                    partner=partner,
                    challenge_name=_text(g.nodes[challenge].get("name")) or challenge,
                    commitment_text=text,
                    existing=existing,
                )
            )
    return out


def precision_at(
    gold: Mapping[str, Iterable[str]], ranked: Mapping[str, Sequence[str]], k: int
) -> float:
    """Mean precision at ``k`` over the commitments in ``gold`` (relevant hits in top k / k).

    A commitment missing from ``ranked`` scores zero.

    >>> precision_at({"m": {"a"}}, {"m": ["a", "b", "c"]}, 1)
    1.0
    >>> round(precision_at({"m": {"a"}}, {"m": ["b", "a", "c"]}, 3), 4)
    0.3333
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not gold:
        return 0.0
    total = 0.0
    for commitment, relevant in gold.items():
        wanted = set(relevant)
        top = list(ranked.get(commitment, ()))[:k]
        total += sum(1 for c in top if c in wanted) / k
    return total / len(gold)


def hit_rate_at(
    gold: Mapping[str, Iterable[str]], ranked: Mapping[str, Sequence[str]], k: int
) -> float:
    """Share of the commitments in ``gold`` with at least one relevant challenge in the top k.

    >>> hit_rate_at({"m": {"a"}, "n": {"z"}}, {"m": ["b", "a"], "n": ["b", "a"]}, 2)
    0.5
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not gold:
        return 0.0
    hits = sum(1 for c, rel in gold.items() if set(rel) & set(list(ranked.get(c, ()))[:k]))
    return hits / len(gold)
