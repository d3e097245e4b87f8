"""Which challenges and themes a piece of text is about, or none: the matcher behind
``gcx suggest``.

Every challenge and theme of the map is a document made of the map's own words: a
challenge's name, statement and description plus the wording of any keystone that
corresponds to it; a theme's name, "How might we ...?" question and description. Curated
``ADDRESSES`` links are never read, so the curated set can measure the matcher
(``python -m bench.suggest``, figures in ``docs/analyses.md``).

Text is scored against those documents with BM25 (the ``bm25s`` library, English stop
words, Snowball stemming from ``PyStemmer``). On the curated set it ranked better than the
TF-IDF cosine this module used before (still here as ``method="tfidf"``, for comparison);
adding the titles of resources and the texts of activities listed on a challenge's page
made the ranking no better and the abstention worse, so they are left out.

A matcher can say no: targets scoring below :data:`ABSTAIN_BELOW` are not suggested, so a
text that shares only common words with the map gets an empty list. The threshold is the
one that best separates the curated items that address something from those that address
nothing (Youden's J), cross-validated; it is calibrated for the bundled map and its
scale, and ``bench.suggest`` recomputes it for another dataset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from graph.data import Record, Snapshot
from graph.model import NodeKind, RelType

__all__ = [
    "ABSTAIN_BELOW",
    "METHODS",
    "Match",
    "Matcher",
    "Method",
    "Target",
    "item_text",
    "targets",
]

Method = Literal["bm25", "tfidf"]

#: The scorers the matcher offers; the first is the default (chosen by the measured figures).
METHODS: tuple[Method, ...] = ("bm25", "tfidf")

#: Scores below these say "nothing on the map": calibrated on the curated set by
#: ``python -m bench.suggest`` (Youden's J; docs/analyses.md has the figures).
ABSTAIN_BELOW: dict[Method, float] = {"bm25": 3.854, "tfidf": 0.173}

#: The fields whose words an item of each kind is matched on (what the curators read).
ITEM_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.COMMITMENT: ("text",),
    NodeKind.ACTIVITY: ("name", "text"),
    NodeKind.PROJECT_TEAM: ("name",),
    NodeKind.RESOURCE: ("title", "summary"),
    NodeKind.PARTNER: ("description",),
}

_TARGET_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.CHALLENGE: ("name", "statement", "description"),
    NodeKind.THEME: ("name", "question", "description"),
}


@dataclass(frozen=True)
class Target:
    """A challenge or theme, the text it is matched on, and the nodes that text draws on."""

    id: str
    kind: NodeKind
    name: str
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match(Record):
    """A target's score for one text (higher is closer; the scale depends on the method)."""

    id: str
    kind: str
    name: str
    score: float


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _joined(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p.strip())


def item_text(g: Snapshot, node: str) -> str:
    """The words an item (commitment, activity, team, resource, partner) is matched on.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(NodeKind.RESOURCE, {"id": "r", "name": "R", "title": "Time",
    ...                                          "summary": "Teachers need time."})], [])
    >>> item_text(g, "r")
    'Time\\nTeachers need time.'
    """
    attrs = g.nodes[node]
    fields = ITEM_FIELDS.get(NodeKind(attrs["kind"]), ("name",))
    return _joined(_text(attrs.get(f)) for f in fields)


def targets(g: Snapshot, kinds: Sequence[NodeKind] = tuple(_TARGET_FIELDS)) -> list[Target]:
    """The challenges and themes of ``g`` (sorted by id) with the text each is matched on.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> g = to_networkx(
    ...     [Node(K.CHALLENGE, {"id": "c", "name": "Time", "statement": "Time to meet."}),
    ...      Node(K.THEME, {"id": "t", "name": "Growth", "question": "How might we grow?"}),
    ...      Node(K.KEYSTONE, {"id": "k", "name": "K", "text": "Teachers lack time."})],
    ...     [Rel(R.CORRESPONDS_TO, "k", "c", {"basis": "inferred"})])
    >>> [(t.id, t.text) for t in targets(g)]
    [('c', 'Time\\nTime to meet.\\nTeachers lack time.'), ('t', 'Growth\\nHow might we grow?')]
    """
    out: list[Target] = []
    for node in sorted(g.nodes):
        attrs = g.nodes[node]
        kind = NodeKind(attrs["kind"])
        if kind not in kinds:
            continue
        parts = [_text(attrs.get(f)) for f in _TARGET_FIELDS[kind]]
        sources = sorted(
            s for s, _, key in g.in_edges(node, keys=True) if key == RelType.CORRESPONDS_TO.value
        )
        parts += [_text(g.nodes[s].get("text")) for s in sources]
        name = _text(attrs.get("name")) or node
        out.append(Target(node, kind, name, _joined(parts), tuple(sources)))
    return out


class _Bm25:
    """BM25 (bm25s defaults: Lucene's variant, k1 1.5, b 0.75) over stemmed words."""

    def __init__(self, docs: list[str]) -> None:
        # Imported here: only scoring needs them, and gcx's other commands stay quick.
        import bm25s
        import Stemmer

        self._tokenizer = bm25s.tokenization.Tokenizer(
            stopwords="en", stemmer=Stemmer.Stemmer("english")
        )
        corpus = self._tokenizer.tokenize(docs, return_as="ids", show_progress=False)
        # bm25s codes an empty document, and any word it has not seen, as "".
        self._unknown = self._tokenizer.get_vocab_dict().get("")
        self._index = bm25s.BM25()
        self._index.index(corpus, show_progress=False)
        self._n = len(docs)

    def scores(self, text: str) -> np.ndarray[Any, Any]:
        query = self._tokenizer.tokenize(
            [text], update_vocab=False, return_as="ids", show_progress=False
        )[0]
        query = [t for t in query if t != self._unknown]
        if not query:
            return np.zeros(self._n)
        return np.asarray(self._index.get_scores(query), dtype=float)


class _Tfidf:
    """TF-IDF cosine similarity with ``gcx suggest``'s former settings (words and word pairs),
    fitted on the targets' texts."""

    def __init__(self, docs: list[str]) -> None:
        # Imported here: scikit-learn takes about a second to import; only this scorer needs it.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._vectoriser = TfidfVectorizer(
            stop_words="english", strip_accents="unicode", sublinear_tf=True, ngram_range=(1, 2)
        )
        try:
            self._docs = self._vectoriser.fit_transform(docs)
        except ValueError:  # every document empty or stop words only: nothing to match on
            self._docs = None
        self._n = len(docs)

    def scores(self, text: str) -> np.ndarray[Any, Any]:
        if self._docs is None:
            return np.zeros(self._n)
        # Imported here: see __init__ (scikit-learn loads only for this scorer).
        from sklearn.metrics.pairwise import cosine_similarity

        return np.asarray(cosine_similarity(self._vectoriser.transform([text]), self._docs)[0])


class Matcher:
    """Ranks the challenges and themes of a snapshot for any text; says no below a threshold.

    ``kinds`` limits the targets (e.g. challenges only); ``exclude`` leaves nodes' words
    out of the targets' texts (the evaluation leaves each judged item out this way).

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind as K
    >>> g = to_networkx(
    ...     [Node(K.CHALLENGE, {"id": "fam", "name": "Family awareness of STEM careers"}),
    ...      Node(K.CHALLENGE, {"id": "adm", "name": "Admissions standards"}),
    ...      Node(K.THEME, {"id": "t", "name": "Teacher leadership"})], [])
    >>> m = Matcher(g)
    >>> [(x.id, x.kind) for x in m.rank("Workshops for families on careers", threshold=0.1)]
    [('fam', 'Challenge')]
    >>> m.rank("Workshops for families on careers", threshold=9.0)
    []
    """

    def __init__(
        self,
        g: Snapshot,
        *,
        method: Method = "bm25",
        kinds: Sequence[NodeKind] = tuple(_TARGET_FIELDS),
        exclude: Iterable[str] = (),
    ) -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
        self.method: Method = method
        if exclude:
            g = g.copy()
            g.remove_nodes_from([n for n in exclude if n in g])
        self.targets = targets(g, kinds)
        docs = [t.text for t in self.targets]
        self._scorer = (_Bm25 if method == "bm25" else _Tfidf)(docs) if docs else None

    def scores(self, text: str) -> list[Match]:
        """Every target with its score for ``text``, best first (ties by id), to 6 decimals."""
        return self._ranked(text, -np.inf, None)

    def rank(self, text: str, *, top: int = 3, threshold: float | None = None) -> list[Match]:
        """The ``top`` best targets scoring at least ``threshold`` (and above zero), best first.

        ``threshold`` defaults to the calibrated :data:`ABSTAIN_BELOW` of the method. An
        empty list means the matcher abstains: nothing on the map is close enough.
        """
        if top < 1:
            raise ValueError("top must be at least 1")
        floor = ABSTAIN_BELOW[self.method] if threshold is None else threshold
        return self._ranked(text, max(floor, np.nextafter(0.0, 1.0)), top)

    def _ranked(self, text: str, floor: float, top: int | None) -> list[Match]:
        if self._scorer is None:
            return []
        raw = np.round(self._scorer.scores(text), 6)
        # Select before sorting: a large map has thousands of targets, a text a few matches.
        keep = np.flatnonzero(raw >= floor)
        # Targets are sorted by id, so the lower index is the lower id: the tie-break.
        order = keep[np.lexsort((keep, -raw[keep]))][:top].tolist()
        found = [(self.targets[i], float(raw[i])) for i in order]
        return [Match(t.id, t.kind.value, t.name, score) for t, score in found]
