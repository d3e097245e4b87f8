"""What the explorer shows, one concept a module, over the frozen networkx snapshot.

- ``kinds``: every node kind's label, colour, shape, size, page and description, and the
  JSON the browser scripts read (:func:`client_config`).
- ``nodes``: one node: properties, card, neighbours, colour.
- ``pages``: what the overview, theme, challenge and partner pages show.
- ``search``: word search grouped by kind, and typed text -> one node (:func:`resolve`).
- ``directory``: the partner directory's filters, sorts and pages.
- ``collaboration``: the collaborator finder's suggestions and covers as cards.
- ``subgraph``: which nodes and relationships a view holds, and the request for one.
- ``layout``: seeded pixel positions.
- ``vis``: the vis-network payload and its legend; node links through a ``link`` callback;
  what every view of a data version shares, built once (:func:`prepare`).

Nothing here mutates the snapshot, so the web pages, the JSON API, the notebooks and the
exports show the same things whichever backend holds the graph. Web and the CLI import
these names from ``graph.views`` (this module), never from the modules inside.
"""

from graph.views.collaboration import collaborator_view, cover_view
from graph.views.directory import SORTS, DirectoryPage, DirectoryQuery, directory, directory_facets
from graph.views.kinds import (
    KIND_ORDER,
    KINDS,
    LEGEND_THEMES_INLINE,
    REL_PHRASES,
    KindStyle,
    client_config,
    kind_label,
    rel_phrase,
)
from graph.views.layout import layout
from graph.views.nodes import (
    card,
    catalysts,
    node,
    node_detail,
    of_kind,
    partner_counts,
    theme_colours,
)
from graph.views.pages import (
    challenge_detail,
    challenge_list,
    evidence_path,
    overview,
    partner_detail,
    theme_detail,
)
from graph.views.search import SearchHit, resolve, search
from graph.views.subgraph import Subgraph, SubgraphRequest, subgraph
from graph.views.vis import Link, draw, legend, node_display, prepare, to_vis

__all__ = [
    "KINDS",
    "KIND_ORDER",
    "LEGEND_THEMES_INLINE",
    "REL_PHRASES",
    "SORTS",
    "DirectoryPage",
    "DirectoryQuery",
    "KindStyle",
    "Link",
    "SearchHit",
    "Subgraph",
    "SubgraphRequest",
    "card",
    "catalysts",
    "challenge_detail",
    "challenge_list",
    "client_config",
    "collaborator_view",
    "cover_view",
    "directory",
    "directory_facets",
    "draw",
    "evidence_path",
    "kind_label",
    "layout",
    "legend",
    "node",
    "node_detail",
    "node_display",
    "of_kind",
    "overview",
    "partner_counts",
    "partner_detail",
    "prepare",
    "rel_phrase",
    "resolve",
    "search",
    "subgraph",
    "theme_colours",
    "theme_detail",
    "to_vis",
]
