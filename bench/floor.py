"""The engine's floor for a load: the same per-table CSVs, loaded by ``COPY`` alone.

``bench.run``'s floor measurement stages every table exactly as a load does
(:func:`graph.store.bulk.stage`, not timed), then times :func:`copy_all`: a fresh
database with a load's settings (automatic checkpoints off), the schema, each table's
``COPY`` (all in one query: :func:`graph.store.bulk.run_steps`) and one checkpoint. The
engine keeps its default threads, one per CPU: a load's writer leaves one CPU to the
validating thread (:func:`graph.store.threads.writer_threads`), which the floor does not
have; alone, the engine is as fast with one thread as with two on the bench machine. No
validation, no staging, no fingerprint, no swap.
"""

from __future__ import annotations

from pathlib import Path

import ladybug

from graph.data import GraphData
from graph.store.bulk import Step, run_steps, schema_ddl, stage, tables

__all__ = ["copy_all", "stage_all"]


def stage_all(data: GraphData, folder: Path) -> list[Step]:
    """Stage every table of ``data`` in ``folder``, as a load would; return the steps."""
    return [stage(table, rows) for table, rows in tables(data, folder)]


def copy_all(db_file: Path, steps: list[Step]) -> None:
    """A new database at ``db_file``: the schema, every staged table, one checkpoint."""
    db = ladybug.Database(str(db_file), auto_checkpoint=False)
    try:
        conn = ladybug.Connection(db)
        conn.execute(";".join(schema_ddl()))  # as the load's writer does
        run_steps(conn, steps)  # every COPY in one query, as the load's writer does when it can
        conn.execute("CHECKPOINT")
        conn.close()
    finally:
        db.close()
