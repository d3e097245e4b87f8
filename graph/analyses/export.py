"""Exports of the whole graph or any subgraph: GraphML, GEXF, node/edge CSV, node-link JSON.

Every function takes a networkx graph shaped like the snapshot (nodes with ``kind`` and
their properties; edges with ``type``, ``basis`` and the other relationship properties,
keyed by type in a multigraph) — the whole snapshot or any subgraph of it — and returns
the file's bytes, ready for a download or the CLI.

What each format needs, and gets:

* **GraphML and GEXF** (for Gephi): list properties are joined with ``|`` (the dataset's
  own list separator, which no list item contains), unknown (``None``) properties are
  left out, an attribute name with mixed value types is written as text, characters XML
  forbids are dropped, nodes get ``label`` = name and edges ``label`` = relationship type.
  GEXF reserves an edge attribute called ``type`` (directed/undirected), so in both XML
  formats the relationship type is also written as ``rel_type``.
* **CSV**: ``nodes.csv`` (id, kind, name, then every property) and ``edges.csv`` (source,
  target, type, then every relationship property), in one zip. Lists are joined with
  ``|``. A cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
  gets a leading apostrophe, so a spreadsheet shows it instead of running it.
* **JSON**: networkx's node-link format (``nodes``, ``edges`` with ``key``), values as is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeAlias, cast

import networkx as nx

from graph.model import NODE_KINDS, REL_PROPERTIES
from graph.store.base import jsonable

__all__ = [
    "LIST_SEPARATOR",
    "ExportFormat",
    "csv_safe",
    "edges_csv",
    "export",
    "flat_graph",
    "nodes_csv",
    "to_csv_zip",
    "to_gexf",
    "to_graphml",
    "to_json",
    "write_export",
]

LIST_SEPARATOR = "|"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 does not allow at all (tab, newline and carriage return are fine).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same graph gives the same bytes


class ExportFormat(StrEnum):
    """The export formats, with their media type and file suffix."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    JSON = "json"

    @property
    def media_type(self) -> str:
        """What the file is (its HTTP ``Content-Type``)."""
        return _FILES[self][0]

    @property
    def suffix(self) -> str:
        """The file name's ending."""
        return _FILES[self][1]


#: Each format's media type and file suffix.
_FILES: dict[ExportFormat, tuple[str, str]] = {
    ExportFormat.GRAPHML: ("application/graphml+xml", ".graphml"),
    ExportFormat.GEXF: ("application/gexf+xml", ".gexf"),
    ExportFormat.CSV: ("application/zip", ".zip"),
    ExportFormat.JSON: ("application/json", ".json"),
}


#: Any networkx graph: the snapshot, a subgraph view, or a simple (Di)Graph.
AnyGraph: TypeAlias = "nx.Graph[Any]"


def csv_safe(cell: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (prefix an apostrophe).

    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-x"), csv_safe("@me"), csv_safe("plain")
    ("'=HYPERLINK(1)", "'-x", "'@me", 'plain')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _edges(g: AnyGraph) -> Iterable[tuple[str, str, Any, dict[str, Any]]]:
    if g.is_multigraph():
        yield from cast("nx.MultiGraph[Any]", g).edges(keys=True, data=True)
    else:
        for u, v, data in g.edges(data=True):
            yield u, v, data.get("type"), data


def _xml_value(value: Any) -> Any:
    """One property value as GraphML/GEXF can hold it, or ``None`` to leave it out."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        items = [str(v) for v in value]
        return _XML_INVALID.sub("", LIST_SEPARATOR.join(items)) if items else None
    if isinstance(value, bool | int | float):
        return value
    return _XML_INVALID.sub("", str(value))


def _harmonise(records: list[dict[str, Any]]) -> None:
    """Write an attribute as text wherever its values mix types (GraphML needs one type)."""
    types: dict[str, set[type]] = {}
    for attrs in records:
        for k, v in attrs.items():
            types.setdefault(k, set()).add(type(v))
    mixed = {k for k, ts in types.items() if len(ts) > 1}
    for attrs in records:
        for k in mixed & attrs.keys():
            attrs[k] = str(attrs[k])


def flat_graph(g: AnyGraph) -> nx.MultiDiGraph[str]:
    """A copy of ``g`` whose attributes GraphML and GEXF can hold (see the module docstring).

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind
    >>> g = to_networkx([Node(NodeKind.PARTNER,
    ...     {"id": "p", "name": "P", "roles": ["a", "b"], "sector": None})], [])
    >>> flat_graph(g).nodes["p"]
    {'id': 'p', 'name': 'P', 'roles': 'a|b', 'kind': 'Partner', 'label': 'P'}
    """
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    node_records: list[dict[str, Any]] = []
    for n, data in g.nodes(data=True):
        attrs = {k: v for k, v in ((k, _xml_value(v)) for k, v in data.items()) if v is not None}
        attrs["label"] = attrs.get("name", str(n))
        node_records.append(attrs)
    edge_records: list[dict[str, Any]] = []
    for _, _, key, data in _edges(g):
        attrs = {k: v for k, v in ((k, _xml_value(v)) for k, v in data.items()) if v is not None}
        rtype = attrs.pop("type", key)
        if rtype is not None:
            attrs["rel_type"] = str(rtype)
            attrs["label"] = str(rtype)
        edge_records.append(attrs)
    _harmonise(node_records)
    _harmonise(edge_records)
    for (n, _), attrs in zip(g.nodes(data=True), node_records, strict=True):
        out.add_node(n, **attrs)
    for (u, v, key, _), attrs in zip(_edges(g), edge_records, strict=True):
        out.add_edge(u, v, key=key if key is not None else None, **attrs)
    return out


def to_graphml(g: AnyGraph) -> bytes:
    """The graph as GraphML (UTF-8 bytes).

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind
    >>> data = to_graphml(to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T"})], []))
    >>> data.startswith(b"<?xml") and b"graphml" in data
    True
    """
    buf = io.BytesIO()
    nx.write_graphml(flat_graph(g), buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(g: AnyGraph) -> bytes:
    """The graph as GEXF 1.2 (UTF-8 bytes)."""
    buf = io.BytesIO()
    nx.write_gexf(flat_graph(g), buf, encoding="utf-8")
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return csv_safe(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_safe(str(value))


def _node_columns(g: AnyGraph) -> list[str]:
    present: set[str] = set()
    for _, data in g.nodes(data=True):
        present.update(data)
    order = ["id", "kind", "name"]
    for spec in NODE_KINDS.values():
        order.extend(p for p in spec.property_names if p not in order)
    cols = [c for c in order if c in present or c in ("id", "kind", "name")]
    cols.extend(sorted(present - set(cols)))
    return cols


def nodes_csv(g: AnyGraph) -> str:
    """``nodes.csv``: id, kind, name, then every property present; cells neutralised.

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind
    >>> text = nodes_csv(to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "=1+1"})], []))
    >>> text.splitlines()
    ['id,kind,name', "t,Theme,'=1+1"]
    """
    cols = _node_columns(g)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for n, data in g.nodes(data=True):
        row = dict(data)
        row.setdefault("id", n)
        writer.writerow([_csv_cell(row.get(c)) for c in cols])
    return buf.getvalue()


def edges_csv(g: AnyGraph) -> str:
    """``edges.csv``: source, target, type, then every relationship property; neutralised."""
    present: set[str] = set()
    for _, _, _, data in _edges(g):
        present.update(data)
    cols = ["source", "target", "type", *(p.name for p in REL_PROPERTIES)]
    cols.extend(sorted(present - set(cols)))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for u, v, key, data in _edges(g):
        row = dict(data)
        row["source"], row["target"] = u, v
        row.setdefault("type", key)
        writer.writerow([_csv_cell(row.get(c)) for c in cols])
    return buf.getvalue()


def to_csv_zip(g: AnyGraph) -> bytes:
    """``nodes.csv`` and ``edges.csv`` in one zip (the same graph gives the same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("nodes.csv", nodes_csv(g)), ("edges.csv", edges_csv(g))):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def to_json(g: AnyGraph) -> bytes:
    """networkx node-link JSON (``nodes``, ``edges``), UTF-8.

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind
    >>> json.loads(to_json(to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T"})], [])))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'directed': True, 'multigraph': True, 'graph': {},
     'nodes': [{'id': 't', 'name': 'T', 'kind': 'Theme'}], 'edges': []}
    """
    data = nx.node_link_data(g, edges="edges")
    return json.dumps(jsonable(data), ensure_ascii=False, indent=1).encode("utf-8")


def export(g: AnyGraph, fmt: ExportFormat | str) -> bytes:
    """The graph in ``fmt`` (``graphml``, ``gexf``, ``csv`` as a zip, ``json``).

    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind
    >>> export(to_networkx([Node(NodeKind.THEME, {"id": "t", "name": "T"})], []), "json")[:1]
    b'{'
    """
    kind = ExportFormat(fmt)
    if kind is ExportFormat.GRAPHML:
        return to_graphml(g)
    if kind is ExportFormat.GEXF:
        return to_gexf(g)
    if kind is ExportFormat.CSV:
        return to_csv_zip(g)
    return to_json(g)


def write_export(g: AnyGraph, fmt: ExportFormat | str, path: Path) -> list[Path]:
    """Write the export to ``path`` and return the files written.

    CSV goes to a zip when ``path`` ends in ``.zip``, and otherwise into the folder
    ``path`` (created) as ``nodes.csv`` and ``edges.csv``.
    """
    kind = ExportFormat(fmt)
    if kind is ExportFormat.CSV and path.suffix.lower() != ".zip":
        path.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in (("nodes.csv", nodes_csv(g)), ("edges.csv", edges_csv(g))):
            target = path / name
            target.write_text(text, encoding="utf-8", newline="")
            written.append(target)
        return written
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export(g, kind))
    return [path]
