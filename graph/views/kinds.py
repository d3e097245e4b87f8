"""Every node kind's facts for people, in one table: label, colour, shape, size, page, doc.

The model (``graph.model``) says what a kind *is*; this table says how the explorer *shows*
it. The drawing (:mod:`graph.views.vis`), the legend, the web templates (``kind_label``,
node links) and the browser scripts (through the ``gcx-config`` JSON block built by
:func:`client_config`) all read it, so adding a kind is one line here.

>>> KINDS["FocusArea"].label, KINDS["FocusArea"].plural, KINDS["FocusArea"].url_pattern
('focus area', 'focus areas', '/nodes/{id}')
>>> kind_label("FocusArea"), kind_label("Activity", 2), kind_label("Theme", 1)
('Focus area', 'activities', 'theme')
>>> rel_phrase("MEMBER_OF")
'is a member of'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graph.model import NODE_KINDS, NodeKind, RelType
from graph.settings import LIMITS

__all__ = [
    "CATALYST_BORDER",
    "KINDS",
    "KIND_ORDER",
    "LEGEND_THEMES_INLINE",
    "NO_THEME_COLOUR",
    "REL_PHRASES",
    "THEME_PALETTE",
    "KindStyle",
    "client_config",
    "kind_label",
    "rel_phrase",
]


@dataclass(frozen=True)
class KindStyle:
    """How one node kind is shown: words, colour, shape, size, and its page's URL area."""

    kind: NodeKind
    #: Singular and plural, in lower case ("focus area", "focus areas").
    label: str
    plural: str
    #: Colour of its nodes (challenges and themes take their theme's colour instead).
    colour: str
    #: vis-network shape, so a kind reads without colour too (catalysts are stars).
    shape: str
    #: Node size in pixels (a challenge grows with the partners on it).
    size: int
    #: The URL area of its pages: a node's page is ``/<area>/<id>``.
    area: str

    @property
    def doc(self) -> str:
        """What the kind is, from the model."""
        return NODE_KINDS[self.kind].doc

    @property
    def url_pattern(self) -> str:
        """Its pages' path, with ``{id}`` for the node id."""
        return f"/{self.area}/{{id}}"


_K = NodeKind
#: Every kind, in the order pages list them (search groups, legends, tables).
KINDS: dict[str, KindStyle] = {
    s.kind.value: s
    for s in (
        KindStyle(_K.THEME, "theme", "themes", "#5b2c83", "diamond", 24, "themes"),
        KindStyle(_K.CHALLENGE, "challenge", "challenges", "#1f77b4", "dot", 12, "challenges"),
        KindStyle(_K.PARTNER, "partner", "partners", "#3a7d44", "dot", 11, "partners"),
        KindStyle(_K.COMMITMENT, "commitment", "commitments", "#8c564b", "square", 12, "nodes"),
        KindStyle(_K.FOCUS_AREA, "focus area", "focus areas", "#b22222", "hexagon", 18, "nodes"),
        KindStyle(
            _K.PROJECT_TEAM, "project team", "project teams", "#f28e2b", "triangle", 13, "nodes"
        ),
        KindStyle(_K.KEYSTONE, "keystone", "keystones", "#17becf", "triangleDown", 12, "nodes"),
        KindStyle(_K.RESOURCE, "resource", "resources", "#9e9e9e", "square", 12, "nodes"),
        KindStyle(_K.ACTIVITY, "activity", "activities", "#a6a21c", "triangleDown", 12, "nodes"),
    )
}
assert set(KINDS) == {k.value for k in NodeKind}, "every model kind needs a line in KINDS"

#: Kinds in the order pages list them.
KIND_ORDER: tuple[str, ...] = tuple(KINDS)

#: One colour per theme, by the theme's place on the map's list (none of the kind colours).
THEME_PALETTE = (
    "#1f5fa8", "#0f8b8d", "#c2185b", "#7b4fa3", "#d4a017", "#e4572e", "#2e4057",
    "#5c6bc0", "#00897b", "#ad1457",
)  # fmt: skip
NO_THEME_COLOUR = "#5f6b7a"
#: Most themes a picture's legend lists in line; past it they sit behind one "N themes"
#: disclosure (the map has seven; a map with hundreds would bury the picture's kinds).
LEGEND_THEMES_INLINE = 12
CATALYST_BORDER = "#b8860b"


_R = RelType
#: Each relationship type as words between its two ends: "A is a member of B".
REL_PHRASES: dict[str, str] = {
    _R.IN_THEME: "is in the theme",
    _R.MADE: "made",
    _R.ADDRESSES: "addresses",
    _R.MEMBER_OF: "is a member of",
    _R.WORKS_ON: "works on",
    _R.TARGETS: "targets",
    _R.FUNDS: "funds",
    _R.ABOUT: "is about",
    _R.CORRESPONDS_TO: "corresponds to",
    _R.INFLUENCES: "influences",
    _R.CITES: "cites",
    _R.TOOK_PART_IN: "took part in",
    _R.CONCERNS: "concerns",
}
assert set(REL_PHRASES) == set(RelType), "every relationship type needs its words"


def rel_phrase(rel_type: str) -> str:
    """'MEMBER_OF' -> 'is a member of' (an unknown type in lower case, without underscores)."""
    return REL_PHRASES.get(rel_type, rel_type.lower().replace("_", " "))


def kind_label(kind: str, count: int | None = None) -> str:
    """'FocusArea' -> 'Focus area' (or 'focus areas' for a count other than one)."""
    style = KINDS.get(kind)
    one, many = (style.label, style.plural) if style else (kind, kind)
    if count is None:
        return one[:1].upper() + one[1:]
    return one if count == 1 else many


def client_config() -> dict[str, Any]:
    """What the browser scripts need to know, as JSON: each kind's words, colour, shape,
    page pattern and description, every limit (:data:`graph.settings.LIMITS`) and how many
    themes a legend lists in line.

    >>> config = client_config()
    >>> config["kinds"]["ProjectTeam"]["label"], config["limits"]["subgraph_nodes"]
    ('Project team', 450)
    """
    kinds = {
        k: {
            "label": kind_label(k),
            "plural": s.plural,
            "colour": s.colour,
            "shape": s.shape,
            "url": s.url_pattern,
            "doc": s.doc,
        }
        for k, s in KINDS.items()
    }
    return {
        "kinds": kinds,
        "limits": asdict(LIMITS),
        "relationships": dict(REL_PHRASES),
        "legend_themes_inline": LEGEND_THEMES_INLINE,
    }
