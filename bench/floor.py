"""The engine's floor for a load: the same per-table CSVs, loaded by ``COPY`` alone.

``bench.run``'s floor measurement stages every table exactly as a load does
(:func:`graph.store.bulk.stage`, not timed), then times :func:`copy_all`: a fresh
database with the same settings as a load's (automatic checkpoints off), the schema, each
table's ``COPY`` and one checkpoint. No validation, no staging, no fingerprint, no swap.
"""

from __future__ import annotations

from pathlib import Path

import ladybug

from graph.data import GraphData
from graph.store.bulk import Step, schema_ddl, stage, tables

__all__ = ["copy_all", "stage_all"]


def stage_all(data: GraphData, folder: Path) -> list[Step]:
    """Stage every table of ``data`` in ``folder``, as a load would; return the steps."""
    return [stage(table, rows) for table, rows in tables(data, folder)]


def copy_all(db_file: Path, steps: list[Step]) -> None:
    """A new database at ``db_file``: the schema, every staged table, one checkpoint."""
    db = ladybug.Database(str(db_file), auto_checkpoint=False)
    try:
        conn = ladybug.Connection(db)
        for stmt in schema_ddl():
            conn.execute(stmt)
        for step in steps:
            step(conn)
        conn.execute("CHECKPOINT")
        conn.close()
    finally:
        db.close()
