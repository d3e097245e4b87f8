"""Housekeeping of the embedded store's generations folder: one load at a time, and the
leftovers of loads that were killed (SIGKILL, power loss) removed by the next load.

A load holds an exclusive ``flock`` on ``.<name>.load.lock`` beside the database link for
its whole run; a second load finds it held and stops at once with :class:`LoadBusy`
(``gcx load`` exit code 7) instead of racing the first. The kernel frees the lock when the
holder dies, however it dies, so a killed load never blocks the next one, which then
prunes what the killed one left: its staging folder, its half-written generation (a
database file without a sidecar) and that file's engine side files, stray engine side
files of finished generations (``.wal``, ``.shadow``, lock files: a finished generation is
only ever read, so these come from nothing legitimate), and temporary links.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

from graph.errors import LoadBusy

__all__ = ["LoadBusy", "load_lock", "prune_leftovers"]

log = logging.getLogger(__name__)


@contextlib.contextmanager
def load_lock(db_path: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the store's load lock for the block; raise :class:`LoadBusy` at once when
    another load holds it, or with ``wait`` wait for it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = db_path.parent / f".{db_path.name}.load.lock"
    with open(lock, "ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LoadBusy(
                "another `gcx load` is writing this graph right now; wait for it to "
                "finish, then run this one again (nothing was changed)"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove(path: Path) -> int:
    """Delete a file or folder; the bytes freed."""
    try:
        if path.is_dir() and not path.is_symlink():
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            shutil.rmtree(path)
            return size
        size = path.lstat().st_size
        path.unlink()
        return size
    except FileNotFoundError:
        return 0


def prune_leftovers(db_path: Path, generations: Path) -> int:
    """Remove what killed loads left behind; call only while holding :func:`load_lock`.

    Returns the bytes freed.
    """
    freed = 0
    if generations.is_dir():
        for item in generations.iterdir():
            name = item.name
            if name.endswith(".staging"):
                freed += _remove(item)
            elif name.endswith(".lbug") and not item.with_suffix(".json").exists():
                freed += _remove(item)  # never published: no sidecar was written
            elif ".lbug." in name:  # an engine side file (.wal, .shadow, a lock)
                freed += _remove(item)
    prefix = f".{db_path.name}."
    for item in db_path.parent.glob(prefix + "*"):
        if item.is_symlink() and len(item.name) == len(prefix) + 32:
            freed += _remove(item)  # a temporary link that never replaced the real one
    if freed:
        log.warning("removed %d bytes left by interrupted loads", freed)
    return freed
