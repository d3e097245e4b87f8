"""Finding nodes by text: word search grouped by kind, and typed text -> one node.

:func:`search` backs ``/search``, ``/api/search`` and the type-ahead boxes; :func:`resolve`
turns what someone typed into one node id (the Explore "add" box, the collaborator
finder's partner box), so both boxes read text the same way.

Besides exact words, a search forgives a typo in a name ("Batelle" finds Battelle: each
word of the query may be a close spelling, by rapidfuzz's ratio, of a word of a node's name
or name variants) and takes initials for a name ("NMSI" finds National Math and Science
Initiative: initials of the name's words, with or without "and", "of", "the"...). Exact
matches rank first; such matches follow, marked by their ``score``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from graph.data import Snapshot
from graph.errors import NotFound
from graph.model import NodeKind as K
from graph.settings import LIMITS
from graph.views.kinds import KIND_ORDER, kind_label
from graph.views.nodes import name_of, sort_key

__all__ = ["WORD", "SearchHit", "resolve", "search"]

_SEARCH_FIELDS = (
    "name", "title", "statement", "question", "description", "text", "summary", "label",
    "name_variants", "event", "contact",
)  # fmt: skip
#: A word of a search (Unicode letters and digits).
WORD = re.compile(r"\w+", re.UNICODE)
#: Score of a hit through initials, and of a hit through close spellings (exact: 0-3).
INITIALS_SCORE = 1
CLOSE_SCORE = 4
#: Least rapidfuzz ratio (0-100) for a close spelling, and the shortest word it applies to.
_CLOSE_RATIO = 80
_CLOSE_MIN_LEN = 4
_SMALL_WORDS = frozenset(
    ("a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with", "de", "la")
)


def initials(name: str) -> set[str]:
    """The initials a name may go by: of every word, and of its words without "and", "of"...

    >>> sorted(initials("National Math and Science Initiative"))
    ['nmasi', 'nmsi']
    >>> initials("Battelle")
    set()
    """
    words = [w.casefold() for w in WORD.findall(name)]
    out = set()
    for kept in (words, [w for w in words if w not in _SMALL_WORDS]):
        if len(kept) >= 2:
            out.add("".join(w[0] for w in kept))
    return out


@dataclass(frozen=True)
class _NameIndex:
    """Per snapshot: name word -> node ids, and initials -> node ids."""

    words: dict[str, frozenset[str]]
    initials: dict[str, frozenset[str]]


@lru_cache(maxsize=8)
def _name_index(g: Snapshot) -> _NameIndex:
    words: dict[str, set[str]] = {}
    inits: dict[str, set[str]] = {}
    for n, attrs in g.nodes(data=True):
        names = [str(attrs.get("name") or "")]
        variants = attrs.get("name_variants")
        if isinstance(variants, list):
            names += [str(v) for v in variants]
        for name in names:
            for w in WORD.findall(name.casefold()):
                if len(w) >= _CLOSE_MIN_LEN:
                    words.setdefault(w, set()).add(str(n))
            for i in initials(name):
                inits.setdefault(i, set()).add(str(n))
    return _NameIndex(
        {w: frozenset(ids) for w, ids in words.items()},
        {i: frozenset(ids) for i, ids in inits.items()},
    )


def _close_matches(g: Snapshot, words: list[str]) -> dict[str, tuple[int, str]]:
    """Node id -> (score, matched by) for nodes every query word names closely or by initials."""
    index = _name_index(g)
    found: dict[str, tuple[int, str]] = {}
    if len(words) == 1 and words[0] in index.initials:
        for n in index.initials[words[0]]:
            found[n] = (INITIALS_SCORE, words[0].upper())
    # short words ("for", "of") neither need nor get a close spelling
    per_word: list[set[str]] = []
    for w in (w for w in words if len(w) >= _CLOSE_MIN_LEN):
        ids: set[str] = set()
        near = process.extract(
            w, index.words.keys(), scorer=fuzz.ratio, score_cutoff=_CLOSE_RATIO, limit=None
        )
        for word, _, _ in near:
            ids |= index.words[word]
        per_word.append(ids)
    if per_word and all(per_word):
        for n in set.intersection(*per_word):
            found.setdefault(n, (CLOSE_SCORE, "a close spelling"))
    return found


@dataclass(frozen=True)
class SearchHit:
    """One search result: the node's card, where the words matched, and a short snippet."""

    id: str
    kind: str
    name: str
    field: str
    snippet: str
    score: int


@lru_cache(maxsize=8)
def _search_index(g: Snapshot) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    rows = []
    for n, attrs in g.nodes(data=True):
        fields = []
        for f in _SEARCH_FIELDS:
            value = attrs.get(f)
            if isinstance(value, list):
                value = " | ".join(str(v) for v in value)
            if isinstance(value, str) and value:
                fields.append((f, value))
        rows.append((n, str(attrs.get("kind")), tuple(fields)))
    rows.sort(key=lambda r: sort_key(g, r[0]))
    return tuple(rows)


def _snippet(text: str, word: str, width: int = 160) -> str:
    at = text.casefold().find(word)
    if at < 0 or len(text) <= width:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(
    g: Snapshot,
    q: str,
    *,
    kinds: Collection[str] | None = None,
    limit: int = LIMITS.search_hits,
) -> dict[str, list[SearchHit]]:
    """Nodes whose text holds every word of ``q``, grouped by kind (in KIND_ORDER).

    Searches names, statements, descriptions, commitment and keystone text, summaries;
    a name match ranks first, then names by their initials or a close spelling (field
    ``initials`` or ``close spelling``). At most ``limit`` hits per kind.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "Math for America"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "C", "text": "Train math teachers"})],
    ...     [])
    >>> {k: [h.id for h in hits] for k, hits in search(g, "MATH").items()}
    {'Partner': ['p'], 'Commitment': ['m']}
    >>> [h.id for h in search(g, "Mathh for Amerika")["Partner"]]
    ['p']
    >>> [(h.id, h.field) for h in search(g, "MFA")["Partner"]]
    [('p', 'initials')]
    """
    words = [w.casefold() for w in WORD.findall(q)]
    if not words:
        return {}
    grouped: dict[str, list[SearchHit]] = {}
    for node_id, kind, fields in _search_index(g):
        if kinds is not None and kind not in kinds:
            continue
        folded = [(f, v, v.casefold()) for f, v in fields]
        if not all(any(w in fv for _, _, fv in folded) for w in words):
            continue
        name = name_of(g, node_id)
        name_f = name.casefold()
        phrase = " ".join(words)
        score = 0 if name_f == phrase else 1 if name_f.startswith(phrase) else 2
        if not all(w in name_f for w in words):
            score = 3
        field_name, text = next(((f, v) for f, v, fv in folded if words[0] in fv), fields[0][:2])
        hit = SearchHit(node_id, kind, name, field_name, _snippet(text, words[0]), score)
        grouped.setdefault(kind, []).append(hit)
    seen = {h.id for hits in grouped.values() for h in hits}
    for node_id, (score, how) in _close_matches(g, words).items():
        kind = str(g.nodes[node_id].get("kind"))
        if node_id in seen or (kinds is not None and kind not in kinds):
            continue
        name = name_of(g, node_id)
        field_name = "initials" if score == INITIALS_SCORE else "close spelling"
        grouped.setdefault(kind, []).append(SearchHit(node_id, kind, name, field_name, how, score))
    out: dict[str, list[SearchHit]] = {}
    for kind in KIND_ORDER:
        if kind in grouped:
            hits = sorted(grouped[kind], key=lambda h: (h.score, h.name.casefold(), h.id))
            out[kind] = hits[:limit]
    return out


def resolve(g: Snapshot, text: str, *, kind: K | None = None) -> str:
    """A node id for what someone typed: an id, an exact name (case aside), or the best
    search hit; only nodes of ``kind`` when one is given. :class:`NotFound` otherwise.

    >>> from graph.data import Node, to_networkx
    >>> g = to_networkx([Node(K.PARTNER, {"id": "mfa", "name": "Math for America"}),
    ...                  Node(K.THEME, {"id": "t", "name": "Math"})], [])
    >>> resolve(g, "mfa"), resolve(g, "math"), resolve(g, "math", kind=K.PARTNER)
    ('mfa', 't', 'mfa')
    >>> resolve(g, "biology")
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: nothing in the graph matches 'biology'
    """

    def wanted(node_id: str) -> bool:
        return kind is None or g.nodes[node_id].get("kind") == kind

    if text in g and wanted(text):
        return text
    folded = text.casefold()
    exact = sorted(
        str(n)
        for n, attrs in g.nodes(data=True)
        if wanted(str(n)) and str(attrs.get("name", "")).casefold() == folded
    )
    if exact:
        return exact[0]
    kinds = None if kind is None else {kind.value}
    for hits in search(g, text, kinds=kinds, limit=1).values():
        return hits[0].id
    if kind is None:
        raise NotFound(f"nothing in the graph matches {text!r}")
    raise NotFound(f"no {kind_label(kind, 1)} matches {text!r}")
