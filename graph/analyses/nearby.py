"""Who works near a challenge: the people to ask when nobody is on it yet.

For a challenge, three groups of partners that do not address it themselves:

- **siblings**: partners on other challenges of the same theme(s), with those challenges;
- **theme-wide**: partners addressing one of its themes as a whole (theme-level
  addressing, :func:`graph.analyses.addressing.theme_addressing`);
- **suggested**: partners whose commitment text the suggestion model
  (:mod:`graph.analyses.suggest`) matches best to this challenge, not linked yet:
  matches for review, never counted as addressing.

:func:`nearby_counts` gives, per challenge, how many distinct partners are siblings or
theme-wide: the gap finder breaks ties with it (nobody nearby ranks as the bigger gap).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from graph.analyses.addressing import addressing, theme_addressing
from graph.data import Record, Snapshot, node_name
from graph.errors import NotFound
from graph.model import NodeKind, RelType

__all__ = ["Nearby", "NearbyPartner", "nearby", "nearby_counts"]

_LQ, _RQ = "\u2018", "\u2019"


@dataclass(frozen=True)
class NearbyPartner:
    """One partner near a challenge: how it is near (``group``), in words, and on what."""

    partner: str
    name: str
    group: str
    why: str
    basis: str
    on: tuple[str, ...]


@dataclass(frozen=True)
class Nearby(Record):
    """The partners near one challenge, in three groups."""

    challenge: str
    themes: tuple[str, ...]
    siblings: tuple[NearbyPartner, ...]
    theme_wide: tuple[NearbyPartner, ...]
    suggested: tuple[NearbyPartner, ...]
    suggestions_checked: bool = True

    @property
    def total(self) -> int:
        return len(self.siblings) + len(self.theme_wide) + len(self.suggested)


def _themes(g: Snapshot, include_inferred: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for c, t, key, data in g.edges(keys=True, data=True):
        if key == RelType.IN_THEME.value and (include_inferred or data["basis"] == "stated"):
            out[c].append(t)
    return out


@lru_cache(maxsize=8)
def _index(
    g: Snapshot, include_inferred: bool
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Themes of each challenge; challenge -> partner -> basis; theme -> partner -> basis."""
    on_challenge: dict[str, dict[str, str]] = defaultdict(dict)
    for a in addressing(g, include_inferred=include_inferred):
        on_challenge[a.challenge][a.partner] = a.basis
    on_theme: dict[str, dict[str, str]] = defaultdict(dict)
    for t in theme_addressing(g, include_inferred=include_inferred):
        on_theme[t.theme][t.partner] = t.basis
    return _themes(g, include_inferred), dict(on_challenge), dict(on_theme)


@lru_cache(maxsize=4)
def _suggested(g: Snapshot) -> dict[str, list[tuple[str, float]]]:
    """Challenge -> (commitment, score) the model matches and the data does not link."""
    from graph.analyses.suggest import suggest  # loads scikit-learn: only when asked

    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for s in suggest(g, top=1):
        if not s.existing and s.score > 0:
            out[s.challenge].append((s.commitment, s.score))
    return dict(out)


def nearby_counts(g: Snapshot, *, include_inferred: bool = True) -> dict[str, int]:
    """Challenge id -> distinct partners on a sibling challenge or on one of its themes.

    >>> from graph.data import Node, Rel, to_networkx
    >>> from graph.model import NodeKind as K, RelType as R
    >>> st = {"basis": "stated", "source_url": ["s"]}
    >>> g = to_networkx(
    ...     [Node(K.PARTNER, {"id": "p", "name": "P"}), Node(K.THEME, {"id": "t", "name": "T"}),
    ...      Node(K.COMMITMENT, {"id": "m", "name": "M", "text": "x"})]
    ...     + [Node(K.CHALLENGE, {"id": c, "name": c}) for c in ("a", "b")],
    ...     [Rel(R.IN_THEME, "a", "t", st), Rel(R.IN_THEME, "b", "t", st),
    ...      Rel(R.MADE, "p", "m", st), Rel(R.ADDRESSES, "m", "a", st)])
    >>> nearby_counts(g)
    {'a': 0, 'b': 1}
    """
    themes_of, on_challenge, on_theme = _index(g, include_inferred)
    in_theme: dict[str, set[str]] = defaultdict(set)
    for c, ts in themes_of.items():
        for t in ts:
            in_theme[t].add(c)
    out = {}
    for c, attrs in g.nodes(data=True):
        if attrs.get("kind") != NodeKind.CHALLENGE.value:
            continue
        near: set[str] = set()
        for t in themes_of.get(c, ()):
            near |= set(on_theme.get(t, {}))
            for sib in in_theme[t] - {c}:
                near |= set(on_challenge.get(sib, {}))
        out[c] = len(near - set(on_challenge.get(c, {})))
    return out


def nearby(
    g: Snapshot, challenge: str, *, include_inferred: bool = True, suggestions: bool = True
) -> Nearby:
    """The partners near ``challenge`` that do not address it: siblings, theme-wide, suggested.

    Each group lists stated partners first, then by how much they share, then by name.
    ``suggestions=False`` leaves the suggested group out (``suggestions_checked`` says so):
    the suggestion model costs a text-model import and a pass over every commitment,
    which a page should pay only when asked. Raises :class:`graph.errors.NotFound` when
    ``challenge`` is not a challenge.
    """
    if challenge not in g or g.nodes[challenge].get("kind") != NodeKind.CHALLENGE.value:
        raise NotFound(f"no challenge with id {challenge!r}")
    themes_of, on_challenge, on_theme = _index(g, include_inferred)
    own = set(on_challenge.get(challenge, {}))
    themes = tuple(sorted(themes_of.get(challenge, ()), key=lambda t: node_name(g, t)))
    siblings: dict[str, dict[str, str]] = defaultdict(dict)
    wide: dict[str, dict[str, str]] = defaultdict(dict)
    for t in themes:
        for p, b in on_theme.get(t, {}).items():
            wide[p][t] = b
        for sib, partners in on_challenge.items():
            if sib != challenge and t in themes_of.get(sib, ()):
                for p, b in partners.items():
                    siblings[p][sib] = b
    groups: list[tuple[NearbyPartner, ...]] = []
    for group, found, words in (
        ("sibling", siblings, "works on"),
        ("theme", wide, "works on the theme as a whole:"),
    ):
        items = []
        for p, on in found.items():
            if p in own:
                continue
            names = ", ".join(
                f"{_LQ}{node_name(g, x)}{_RQ}" for x in sorted(on, key=lambda x: node_name(g, x))
            )
            basis = "stated" if "stated" in on.values() else "inferred"
            items.append(
                NearbyPartner(
                    p, node_name(g, p), group, f"{words} {names}", basis, tuple(sorted(on))
                )
            )
        items.sort(key=lambda n: (n.basis != "stated", -len(n.on), n.name.casefold(), n.partner))
        groups.append(tuple(items))
    suggested = _suggestions(g, challenge, own) if suggestions else ()
    return Nearby(challenge, themes, groups[0], groups[1], suggested, suggestions)


def _suggestions(g: Snapshot, challenge: str, own: set[str]) -> tuple[NearbyPartner, ...]:
    best: dict[str, tuple[float, str]] = {}
    for m, score in _suggested(g).get(challenge, ()):
        for p, _, key in g.in_edges(m, keys=True):
            if key == RelType.MADE.value and p not in own and score > best.get(p, (0.0, ""))[0]:
                best[p] = (score, m)
    items = [
        NearbyPartner(
            p,
            node_name(g, p),
            "suggested",
            f"its commitment {_LQ}{node_name(g, m)}{_RQ} matches the challenge's words "
            f"(score {score:.2f}; not reviewed)",
            "inferred",
            (m,),
        )
        for p, (score, m) in best.items()
    ]
    return tuple(sorted(items, key=lambda n: (-best[n.partner][0], n.name.casefold())))
