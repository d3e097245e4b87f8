"""How good suggestions are against a gold set, and where to abstain.

A gold set maps each judged item to the targets it works on; an empty set means the item
addresses nothing on the map (the abstention gold). A :class:`Judged` item is what a
matcher said for it: every target, best first, and the top score. From those:

- **precision at 1**: the share of *answered* linked items whose first suggestion is in
  their gold set; **hit at 3**: the share with a gold target among the first three;
- **answered**: the share of linked items the matcher answers (top score at the threshold
  or above); **abstained**: the share of none-items it says nothing for.

:func:`calibrate` picks the threshold that maximises answered minus (1 - abstained), i.e.
Youden's J of the answer/abstain decision, so linked and none-items count equally however
many of each there are. Because that threshold is learned from the gold set,
:func:`cross_validate` reports figures where every item is decided by a threshold
calibrated without it (stratified k-fold, repeated with shuffles, averaged).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.analyses.matcher import Matcher, Method, item_text
from graph.data import Record, Snapshot

__all__ = [
    "Figures",
    "Judged",
    "calibrate",
    "cross_validate",
    "figures",
    "judge",
]

Gold = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Judged:
    """What a matcher said for one item: every target, best first, and the top score."""

    item: str
    ranked: tuple[str, ...]
    top_score: float


@dataclass(frozen=True)
class Figures(Record):
    """Measured figures over a gold set at one threshold (rates from 0 to 1)."""

    linked: int
    none: int
    threshold: float
    precision_at_1: float
    hit_at_3: float
    answered: float
    abstained: float


def _answers(j: Judged, threshold: float) -> bool:
    return j.top_score > 0 and j.top_score >= threshold


def figures(judged: Sequence[Judged], gold: Gold, threshold: float = -math.inf) -> Figures:
    """The figures for ``judged`` at ``threshold`` (default: never abstain).

    Precision and hit rate count answered linked items only; items absent from ``gold`` are
    ignored.

    >>> gold = {"a": frozenset({"x"}), "b": frozenset({"y"}), "n": frozenset()}
    >>> judged = [Judged("a", ("x", "y"), 5.0), Judged("b", ("x", "z", "y"), 4.0),
    ...           Judged("n", ("x", "y"), 1.0)]
    >>> f = figures(judged, gold, threshold=2.0)
    >>> f.precision_at_1, f.hit_at_3, f.answered, f.abstained
    (0.5, 1.0, 1.0, 1.0)
    >>> figures(judged, gold, threshold=4.5).answered
    0.5
    """
    linked = [j for j in judged if gold.get(j.item)]
    none = [j for j in judged if j.item in gold and not gold[j.item]]
    answered = [j for j in linked if _answers(j, threshold)]
    top1 = sum(1 for j in answered if j.ranked[:1] and j.ranked[0] in gold[j.item])
    top3 = sum(1 for j in answered if set(j.ranked[:3]) & gold[j.item])
    return Figures(
        linked=len(linked),
        none=len(none),
        threshold=threshold,
        precision_at_1=top1 / len(answered) if answered else 0.0,
        hit_at_3=top3 / len(answered) if answered else 0.0,
        answered=len(answered) / len(linked) if linked else 0.0,
        abstained=sum(1 for j in none if not _answers(j, threshold)) / len(none) if none else 0.0,
    )


def calibrate(judged: Sequence[Judged], gold: Gold) -> float:
    """The threshold that best separates linked items from none-items (Youden's J).

    Candidates lie halfway between consecutive distinct top scores; of equally good ones
    the lowest wins (answer when in doubt). Rounded to 3 decimals.

    >>> gold = {"a": frozenset({"x"}), "b": frozenset({"x"}), "n": frozenset(), "m": frozenset()}
    >>> judged = [Judged("a", ("x",), 5.0), Judged("b", ("x",), 3.0),
    ...           Judged("n", ("x",), 1.0), Judged("m", ("x",), 3.5)]
    >>> calibrate(judged, gold)
    2.0
    """
    scores = sorted({j.top_score for j in judged if j.item in gold})
    if not scores:
        return 0.0
    candidates = [scores[0] - 1.0] + [(a + b) / 2 for a, b in itertools.pairwise(scores)]
    candidates.append(scores[-1] + 1.0)

    def j_stat(threshold: float) -> float:
        f = figures(judged, gold, threshold)
        return f.answered + f.abstained - 1.0

    best = max(candidates, key=lambda t: (round(j_stat(t), 9), -t))
    return round(best, 3)


def _folds(items: Sequence[str], k: int, rnd: random.Random) -> dict[str, int]:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    return {item: i % k for i, item in enumerate(shuffled)}


def cross_validate(
    judged: Sequence[Judged], gold: Gold, *, folds: int = 5, repeats: int = 20, seed: int = 0
) -> Figures:
    """Figures where each item is decided by a threshold calibrated on the other folds.

    Folds are stratified (linked and none-items spread evenly); the split is repeated
    ``repeats`` times with seeded shuffles and the figures averaged, so the result is
    reproducible. ``threshold`` in the result is the mean of the fold thresholds.

    >>> gold = {f"l{i}": frozenset({"x"}) for i in range(4)}
    >>> gold |= {f"n{i}": frozenset() for i in range(4)}
    >>> judged = [Judged(f"l{i}", ("x",), 10.0 + i) for i in range(4)]
    >>> judged += [Judged(f"n{i}", ("x",), 1.0 + i) for i in range(4)]
    >>> f = cross_validate(judged, gold, folds=2, repeats=3)
    >>> f.answered, f.abstained, f.precision_at_1
    (1.0, 1.0, 1.0)
    """
    if folds < 2:
        raise ValueError("folds must be at least 2")
    scored = [j for j in judged if j.item in gold]
    rnd = random.Random(seed)  # noqa: S311 (a reproducible shuffle, not a secret)
    totals: dict[str, float] = {}
    for _ in range(repeats):
        fold_of = _folds([j.item for j in scored if gold[j.item]], folds, rnd)
        fold_of |= _folds([j.item for j in scored if not gold[j.item]], folds, rnd)
        decided: list[Judged] = []
        thresholds: list[float] = []
        for f in range(folds):
            train = [j for j in scored if fold_of[j.item] != f]
            threshold = calibrate(train, gold)
            thresholds.append(threshold)
            # Record the decision by folding it into the score: answered items keep theirs,
            # abstained ones get zero, so one pass of figures() reads every fold's decision.
            for j in scored:
                if fold_of[j.item] == f:
                    keep = _answers(j, threshold)
                    decided.append(Judged(j.item, j.ranked, j.top_score if keep else 0.0))
        result = figures(decided, gold, threshold=-math.inf).to_dict()
        result["threshold"] = sum(thresholds) / len(thresholds)
        for key in ("threshold", "precision_at_1", "hit_at_3", "answered", "abstained"):
            totals[key] = totals.get(key, 0.0) + float(result[key]) / repeats
    base = figures(scored, gold)
    return Figures(
        linked=base.linked,
        none=base.none,
        threshold=round(totals.get("threshold", 0.0), 3),
        precision_at_1=totals.get("precision_at_1", 0.0),
        hit_at_3=totals.get("hit_at_3", 0.0),
        answered=totals.get("answered", 0.0),
        abstained=totals.get("abstained", 0.0),
    )


def judge(
    g: Snapshot, items: Iterable[str], *, method: Method = "bm25", leave_out: bool = True
) -> list[Judged]:
    """What the matcher says for each item of ``g`` that has words to match on.

    With ``leave_out`` (the default) each item's own words are left out of the targets'
    texts while it is judged, so an item never meets itself. Items not in ``g``, and items
    with no text, are skipped.

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind as K
    >>> g = to_networkx(
    ...     [Node(K.CHALLENGE, {"id": "fam", "name": "Family awareness of STEM careers"}),
    ...      Node(K.CHALLENGE, {"id": "adm", "name": "Admissions standards"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M", "text": "Career nights for families"})],
    ...     [])
    >>> [(j.item, j.ranked[0]) for j in judge(g, ["m", "missing"])]
    [('m', 'fam')]
    """
    shared = Matcher(g, method=method)
    sources = {s for t in shared.targets for s in t.sources}
    out: list[Judged] = []
    for item in items:
        if item not in g:
            continue
        text = item_text(g, item)
        if not text.strip():
            continue
        # Rebuild only when the item's words are part of some target's text.
        own = leave_out and item in sources
        matcher = Matcher(g, method=method, exclude=[item]) if own else shared
        matches = matcher.scores(text)
        out.append(Judged(item, tuple(m.id for m in matches), matches[0].score if matches else 0.0))
    return out
