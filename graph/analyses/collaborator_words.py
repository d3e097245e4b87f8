"""The collaborator finder's sentences: how a partner reaches a thing, in plain words.

Kept apart from :mod:`graph.analyses.collaborators` (the ranking) so each stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph.analyses.addressing import EvidencePath
from graph.data import Snapshot, node_name


class Shared(Protocol):
    """What a sentence needs of a shared thread (``graph.analyses.collaborators.Shared``)."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def catalyst(self) -> bool: ...
    @property
    def theirs(self) -> Sequence[EvidencePath]: ...


__all__ = ["LQ", "ROLE_WORDS", "RQ", "how", "list_words", "phrases", "sector_words"]

# Typographic quotes around names in the sentences (names may hold apostrophes).
LQ, RQ = "\u2018", "\u2019"


def list_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


#: A sector as a noun phrase, for "a nonprofit where you are a museum".
SECTOR_WORDS = {
    "higher education": "a college or university",
    "school district or school": "a school district or school",
    "nonprofit": "a nonprofit",
    "museum or science centre": "a museum or science centre",
    "foundation": "a foundation",
    "company": "a company",
    "government": "a government body",
    "association or union": "an association or union",
    "research organisation": "a research organisation",
}
ROLE_WORDS = {
    "funds it": " as a funder",
    "convenes it": " as a convener",
    "presents it": " as a presenter",
}


def sector_words(sector: str | None) -> str:
    return SECTOR_WORDS.get(sector or "", f"a {sector}" if sector else "an organisation")


def how(g: Snapshot, path: EvidencePath, target: str = "") -> str:
    """How a partner reaches ``target``, naming the item: its commitment, team, grant."""
    if path.via == "partner":
        return "by its own description"
    if path.via == "funds":
        if path.nodes[1] == target:
            return "as a funder"
        return f"as a funder of {LQ}{node_name(g, path.nodes[1])}{RQ}"
    through = f"through {LQ}{node_name(g, path.nodes[1])}{RQ}"
    if path.via == "commitment":
        through = f"through its commitment {LQ}{node_name(g, path.nodes[1])}{RQ}"
    return through + ROLE_WORDS.get(path.role, "")


def _item(s: Shared) -> str:
    """A shared challenge, focus area or theme named for a sentence."""
    name = f"{LQ}{s.name}{RQ}"
    if s.kind == "focus_area":
        return f"the focus area {name}"
    if s.kind == "theme":
        whole = any(p.nodes[-1] == s.id for p in s.theirs)
        return f"the theme {name}" + (" as a whole" if whole else "")
    return name + (" (a catalyst)" if s.catalyst else "")


def phrases(g: Snapshot, shared: Sequence[Shared]) -> list[str]:
    """Phrases for the why, in order; neighbours reached the same way share one phrase."""
    out: list[str] = []
    last_how = ""  # the open group: how its items are reached, and the items
    items: list[Shared] = []
    for s in shared:
        if s.kind in ("challenge", "focus_area") or (
            s.kind == "theme" and any(p.nodes[-1] == s.id for p in s.theirs)
        ):
            way = how(g, s.theirs[0], s.id)
            if items and way == last_how:
                items.append(s)
                out[-1] = f"works on {list_words([_item(x) for x in items])} {way}"
                continue
            last_how, items = way, [s]
            out.append(f"works on {_item(s)} {way}")
            continue
        last_how, items = "", []
        if s.kind == "team":
            out.append(f"is on your project team {LQ}{s.name}{RQ}")
        elif s.kind == "activity":
            role = ROLE_WORDS.get(s.theirs[0].role, "")
            out.append(f"took part in {LQ}{s.name}{RQ} with you{role}")
        else:
            out.append(f"works in the theme {LQ}{s.name}{RQ}")
    return out
