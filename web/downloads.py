"""Downloads of a graph view as a file: GraphML, GEXF, node/edge CSV (zip), node-link JSON.

``/api/subgraph?...&format=graphml|gexf|csv|json`` builds the same subgraph as the picture
(:class:`graph.views.SubgraphRequest`), copies that part of the snapshot with every property,
and hands it to :mod:`graph.analyses.export` (which neutralises spreadsheet formulas in CSV cells).
The "Download" menu under every graph links here.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
from flask import Response

from graph.analyses.export import ExportFormat, export
from graph.data import Snapshot
from graph.views import SubgraphRequest
from web.params import get_choice

__all__ = ["FORMATS", "download", "export_format", "subgraph_graph"]

#: The ``format`` values (the menu itself is in ``templates/macros.html``).
FORMATS: tuple[str, ...] = tuple(f.value for f in ExportFormat)


def export_format() -> ExportFormat | None:
    """``format``: one of graphml, gexf, csv, json; none means the vis-network JSON."""
    value = get_choice("format", FORMATS, None)
    return ExportFormat(value) if value is not None else None


def subgraph_graph(g: Snapshot, args: SubgraphRequest) -> nx.MultiDiGraph[str]:
    """The nodes and relationships of a subgraph view, with all their properties (a copy)."""
    sub = args.build(g)
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for n in sub.nodes:
        out.add_node(n, **dict(g.nodes[n]))
    for u, v, key in sub.edges:
        data: dict[str, Any] = dict(g.edges[u, v, key])
        out.add_edge(u, v, key=key, **data)
    return out


def _filename(g: Snapshot, args: SubgraphRequest) -> str:
    """``grand-challenges-<first centre>[-and-N-more]`` or ``grand-challenges-graph``."""
    if not args.centers:
        return "grand-challenges-graph"
    slug = re.sub(r"[^a-z0-9]+", "-", args.centers[0].lower()).strip("-")[:100] or "node"
    more = len(args.centers) - 1
    return f"grand-challenges-{slug}" + (f"-and-{more}-more" if more else "")


def download(g: Snapshot, args: SubgraphRequest, fmt: ExportFormat) -> Response:
    """The subgraph as a file download of ``fmt``, with its media type and file name."""
    body = export(subgraph_graph(g, args), fmt)
    response = Response(body, mimetype=fmt.media_type)
    name = _filename(g, args) + fmt.suffix
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
