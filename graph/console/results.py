"""The console's result shape: one typed form for both stores, and the one walker over it.

A console cell is plain JSON. Graph values have a documented shape, the same whichever
store answered, with none of an engine's internal keys (``_ID``, ``_LABEL``, ``_SRC``,
``_NODES``...)::

    {"type": "node", "kind": "Theme", "id": "t1", "properties": {"name": ...}}
    {"type": "relationship", "rel_type": "IN_THEME", "source": "c1", "target": "t1",
     "properties": {"basis": "stated", ...}}
    {"type": "path", "nodes": [node, ...], "relationships": [relationship, ...]}

``source`` and ``target`` are the end nodes' ``id`` when the result holds the end nodes
(otherwise ``None``). :func:`embedded_cell` and :func:`neo4j_cell` make cells from each
engine's values; :func:`walk` finds every node and relationship in a result (the graph
drawing and the node links use it); :func:`cell_text` is how the results table, the page
and ``static/query.js`` show a cell.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = [
    "cell_text",
    "embedded_cell",
    "is_node",
    "is_relationship",
    "neo4j_cell",
    "node_cell",
    "node_ids",
    "path_cell",
    "relationship_cell",
    "walk",
]


def _public(props: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in props.items() if not str(k).startswith("_") and v is not None}


def node_cell(kind: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """A node cell from its kind (label) and properties."""
    public = _public(props)
    return {"type": "node", "kind": kind, "id": public.pop("id", None), "properties": public}


def relationship_cell(
    rel_type: str, source: str | None, target: str | None, props: Mapping[str, Any]
) -> dict[str, Any]:
    """A relationship cell: its type, its ends' ids (when known) and its properties."""
    return {
        "type": "relationship",
        "rel_type": rel_type,
        "source": source,
        "target": target,
        "properties": _public(props),
    }


def path_cell(nodes: list[Any], relationships: list[Any]) -> dict[str, Any]:
    return {"type": "path", "nodes": nodes, "relationships": relationships}


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "node" and "kind" in value


def is_relationship(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "relationship" and "rel_type" in value


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every node and relationship cell in ``value`` (rows, a row, a cell), in order."""
    if is_node(value) or is_relationship(value):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def cell_text(value: Any) -> str:
    """How the results table shows a cell (``static/query.js`` shows it the same way).

    >>> cell_text(None), cell_text(True), cell_text(["a", 2])
    ('null', 'true', 'a, 2')
    >>> cell_text(node_cell("Theme", {"id": "t", "name": "Growth"}))
    'Theme: Growth'
    >>> cell_text(relationship_cell("IN_THEME", "c", "t", {}))
    '(c)-[:IN_THEME]->(t)'
    """
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    if is_node(value):
        name = value.get("properties", {}).get("name")
        return f"{value['kind']}: {name if name is not None else value.get('id') or ''}"
    if is_relationship(value):
        ends = value.get("source") or "?", value.get("target") or "?"
        return f"({ends[0]})-[:{value['rel_type']}]->({ends[1]})"
    if isinstance(value, dict) and value.get("type") == "path":
        return " — ".join(cell_text(n) for n in value.get("nodes", []))
    return json.dumps(value, ensure_ascii=False)


# -- the embedded engine -----------------------------------------------------------------


def node_ids(value: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """Internal node id (as text) to the node's ``id`` property, for every engine node."""
    found = {} if found is None else found
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value and "_SRC" not in value and "id" in value:
            found[str(value["_ID"])] = str(value["id"])
        for v in value.values():
            node_ids(v, found)
    elif isinstance(value, list):
        for v in value:
            node_ids(v, found)
    return found


def embedded_cell(value: Any, ids: dict[str, str] | None = None) -> Any:
    """An embedded-engine value as a console cell (see the module docstring).

    ``ids`` (from :func:`node_ids` over the whole result) names a relationship's ends.
    """
    ids = ids or {}
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            source, target = ids.get(str(value.get("_SRC"))), ids.get(str(value.get("_DST")))
            return relationship_cell(str(value["_LABEL"]), source, target, value)
        if "_LABEL" in value:
            return node_cell(str(value["_LABEL"]), value)
        if set(value) == {"_NODES", "_RELS"}:
            return path_cell(
                [embedded_cell(n, ids) for n in value["_NODES"] or []],
                [embedded_cell(r, ids) for r in value["_RELS"] or []],
            )
        return {str(k): embedded_cell(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [embedded_cell(v, ids) for v in value]
    return value


# -- Neo4j --------------------------------------------------------------------------------


def neo4j_cell(value: Any, scalar: Callable[[Any], Any] = lambda v: v) -> Any:
    """A Neo4j driver value as a console cell (see the module docstring).

    ``scalar`` turns the driver's temporal and spatial values into plain ones (the store
    knows how); it runs before lists are walked, since some of those values are tuples.
    """
    import neo4j.graph  # the driver is loaded only where a Neo4j store answers

    if isinstance(value, neo4j.graph.Node):
        return node_cell(sorted(value.labels)[0] if value.labels else "", dict(value.items()))
    if isinstance(value, neo4j.graph.Relationship):
        start, end = value.start_node, value.end_node
        return relationship_cell(
            value.type,
            start.get("id") if start is not None else None,
            end.get("id") if end is not None else None,
            dict(value.items()),
        )
    if isinstance(value, neo4j.graph.Path):
        return path_cell(
            [neo4j_cell(n, scalar) for n in value.nodes],
            [neo4j_cell(r, scalar) for r in value.relationships],
        )
    if isinstance(value, Mapping):
        return {str(k): neo4j_cell(v, scalar) for k, v in value.items()}
    value = scalar(value)
    if isinstance(value, list | tuple):
        return [neo4j_cell(v, scalar) for v in value]
    return value
