"""The per-table CSVs the embedded store hands the engine, written and loaded apart.

``bench.run``'s floor measurement writes them with :func:`stage_all` (not timed) and
times :func:`copy_all` into a fresh database: the engine's share of a load. The tables,
their columns and the ``COPY`` statements are the store's own.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from graph.data import GraphData, Value
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, RelType
from graph.store.embedded import _LIST_SEP, _REL_ENDS, _staged_rows, _Table, schema_ddl

__all__ = ["copy_all", "stage_all"]


def stage_all(data: GraphData, folder: Path) -> list[_Table]:
    """Write one staging CSV per table the store would COPY; return those tables."""
    kinds = {n.id: n.kind for n in data.nodes}
    groups: dict[Any, list[list[Value]]] = defaultdict(list)
    for n in data.nodes:
        groups[n.kind].append([n.props.get(p) for p in NODE_KINDS[n.kind].property_names])
    for r in data.rels:
        groups[(r.type, kinds[r.source], kinds[r.target])].append(
            [r.source, r.target, *(r.props.get(p.name) for p in REL_PROPERTIES)]
        )
    tables: list[_Table] = []
    for kind, spec in NODE_KINDS.items():
        tables.append(_Table(kind.value, spec.properties, folder / f"{kind.value}.csv"))
    for rtype, rspec in REL_TYPES.items():
        for a, b in rspec.ends:
            path = folder / f"{rtype.value}-{a.value}-{b.value}.csv"
            tables.append(_Table(rtype.value, _REL_ENDS + REL_PROPERTIES, path, (a, b)))
    out: list[_Table] = []
    for table in tables:
        key: Any = (
            NodeKind(table.name)
            if table.ends is None
            else (RelType(table.name), table.ends[0], table.ends[1])
        )
        rows = groups.get(key, [])
        staged = _staged_rows(table, rows) if rows else None
        if staged is None:
            continue
        with table.staging.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow([f"c{i}" for i in range(len(table.columns))])
            writer.writerows(staged)
        out.append(table)
    return out


def copy_all(conn: Any, tables: list[_Table]) -> None:
    """The schema, then one ``COPY`` per staged table."""
    for stmt in schema_ddl():
        conn.execute(stmt)
    for table in tables:
        conn.execute(table.copy_statement(), {"sep": _LIST_SEP})
