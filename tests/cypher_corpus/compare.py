"""Whether a store's answer is Neo4j's: rows as a bag (or in order), values normalised."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from tests.cypher_corpus.corpus import Case


def normal(value: Any, lists_ordered: bool) -> Any:
    """A value in a comparable form: a node is its id, numbers are floats, lists sorted."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        f = float(value)
        return round(f, 9) if math.isfinite(f) else repr(f)
    if isinstance(value, dict):
        if value.get("type") == "node" and "id" in value:  # the console's result shape
            return ("node", value["id"])
        if "id" in value and ("_label" in value or "_labels" in value or "_id" in value):
            return ("node", value["id"])
        if "_type" in value:
            return ("rel", value["_type"], value.get("_source"), value.get("_target"))
        return tuple(sorted((k, normal(v, lists_ordered)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        items = [normal(v, lists_ordered) for v in value]
        return tuple(items if lists_ordered else sorted(items, key=repr))
    return repr(value)


def rows_of(case: Case, rows: list[list[Any]]) -> list[Any]:
    out = [tuple(normal(v, case.lists_ordered) for v in row) for row in rows]
    return out if case.ordered else sorted(out, key=repr)


def expected_rows(case: Case, rows: list[list[Any]]) -> list[Any]:
    """Normalise an oracle's rows, where a node is written as its id string."""
    return rows_of(case, rows)


def same_answer(case: Case, got: list[list[Any]], want: list[list[Any]]) -> bool:
    return rows_of(case, got) == expected_rows(case, want)
