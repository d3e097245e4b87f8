"""The console's result values: what a console cell may hold, made from engine values.

The embedded engine gives nodes as dicts with internal keys (``_ID``, ``_LABEL``), and
relationships with ``_SRC``/``_DST`` internal ids. A console cell instead holds a node as
``{"_label", "id", ...properties}`` and a relationship as ``{"_type", "_source",
"_target", ...properties}`` (the ends by ``id`` when the result holds them), the shape the
Neo4j store gives too, so the web page, the downloads and the graph drawing read one shape.
"""

from __future__ import annotations

from typing import Any

__all__ = ["console_value", "node_ids"]


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("_")}


def node_ids(value: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """Internal node id (as text) to the node's ``id`` property, for every node in ``value``."""
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


def console_value(value: Any, ids: dict[str, str] | None = None) -> Any:
    """Drop ladybug's internal keys from nodes and relationships in console results.

    A relationship gets ``_source``/``_target`` node ids when the result holds its ends
    (as the Neo4j store does), so a front end can draw it.
    """
    ids = ids or {}
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            ends = {
                key: ids[str(value[internal])]
                for key, internal in (("_source", "_SRC"), ("_target", "_DST"))
                if str(value.get(internal)) in ids
            }
            return {"_type": value["_LABEL"], **ends, **_public(value)}
        if "_LABEL" in value:
            return {
                "_label": value["_LABEL"],
                **{k: v for k, v in _public(value).items() if v is not None},
            }
        return {k: console_value(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [console_value(v, ids) for v in value]
    return value
