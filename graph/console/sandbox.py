"""Killable worker processes that run the embedded store's console queries.

The third layer of the console's read-only guarantee is a time limit that really stops a
query. ladybug checks its own timeout (``set_query_timeout``) and ``interrupt()`` only
between operators, so one long operator runs on regardless: ``UNWIND range(1, 100000000)
AS x WITH x WHERE x % 7 = 3 RETURN count(*)`` ran 7 s under a 0.5 s interrupt. A thread
cannot be killed; a process can. So console queries run in a small pool of worker
processes, each holding its own read-only handle on the current generation; the caller
waits for the answer until the time limit (plus a short grace for the worker's own,
cooperative, interrupt) and then kills the worker and starts a fresh one for the next
query. Killing a read-only reader cannot damage the database file.

Workers are started with ``spawn`` (no fork of a threaded web process), kept warm between
queries (a normal query costs a pipe round trip, not a process start), at most
:data:`MAX_WORKERS` at once per process; each opens the database with a bounded buffer
pool and thread count so a runaway query cannot take the whole machine.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from graph.errors import GraphUnavailable, QueryError, QueryTimeout

__all__ = ["GRACE_S", "MAX_WORKERS", "QueryPool", "shared_pool"]

#: Workers alive at once per process (queries beyond wait for a free one).
MAX_WORKERS = 4
#: Idle workers kept warm for the next query.
IDLE_WORKERS = 2
#: How long past the limit the caller waits for the worker's own interrupt before killing it.
GRACE_S = 0.2
#: The worker's database buffer pool: bounds the memory a runaway query can take.
WORKER_BUFFER_POOL = 512 * 1024 * 1024
#: Threads a worker's query may use (the machines have two cores).
WORKER_THREADS = 2

Reply = tuple[str, Any]
Rows = tuple[list[str], list[list[Any]], bool]


@contextlib.contextmanager
def _main_file_hidden_if_missing() -> Iterator[None]:
    """Let ``spawn`` start a worker from a script read on standard input (``python -``).

    ``spawn`` re-imports the parent's main file in the child; when that "file" is
    ``<stdin>`` there is nothing to import and the worker dies at start. The worker needs
    nothing from the main module, so hide its file name while the worker starts.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or os.path.exists(path):
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def timeout_message(timeout_s: float) -> str:
    return f"the query ran past its time limit of {timeout_s:g} s and was stopped"


def _serve(conn: Connection) -> None:
    """A worker's loop: run each (path, query, params, limit, cap) request and reply."""
    import ladybug

    from graph.store.embedded import read_query

    opened: tuple[str, ladybug.Database] | None = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, cypher, params, timeout_s, max_rows = request
        reply: Reply
        try:
            if opened is None or opened[0] != path:
                if opened is not None:
                    opened[1].close()
                    opened = None
                db = ladybug.Database(
                    path,
                    read_only=True,
                    buffer_pool_size=WORKER_BUFFER_POOL,
                    max_num_threads=WORKER_THREADS,
                )
                opened = (path, db)
            reply = ("ok", read_query(opened[1], cypher, params, timeout_s, max_rows))
        except QueryTimeout as exc:
            reply = ("timeout", str(exc))
        except QueryError as exc:
            reply = ("error", str(exc))
        except Exception as exc:  # reported to the caller, never lost with the worker
            reply = ("unavailable", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except Exception as exc:  # e.g. a value that cannot be pickled
            conn.send(("error", f"the result cannot be returned: {exc}"))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(2)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
            self.process.join(1)
        self.kill()


class QueryPool:
    """A few warm worker processes that run read-only queries and can be killed.

    >>> pool = QueryPool()
    >>> pool.workers_started
    0
    >>> pool.close()
    """

    def __init__(self, max_workers: int = MAX_WORKERS, idle: int = IDLE_WORKERS) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_workers)
        self._idle: list[_Worker] = []
        self._idle_max = idle
        self._pid = os.getpid()
        self.workers_started = 0
        self.workers_killed = 0

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(child,), daemon=True, name="gcx-query")
        with _main_file_hidden_if_missing():
            process.start()
        child.close()
        self.workers_started += 1
        return _Worker(process, parent)

    def _acquire(self) -> _Worker:
        with self._lock:
            if os.getpid() != self._pid:  # forked (e.g. a pre-loading web server): start anew
                self._idle = []
                self._pid = os.getpid()
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                worker.kill()
        return self._spawn()

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self._idle_max and worker.process.is_alive():
                self._idle.append(worker)
                return
        worker.stop()

    def warm(self) -> None:
        """Start one idle worker now, so the first query does not wait for a process start."""
        with self._lock:
            if self._idle:
                return
        worker = self._spawn()
        self._release(worker)

    def _warm_quietly(self) -> None:
        with contextlib.suppress(Exception):  # best effort: the next query spawns otherwise
            self.warm()

    def run(
        self, path: Path, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> Rows:
        """Run a query on the read-only database at ``path`` in a worker; kill it at the limit.

        Raises :class:`QueryTimeout` when the limit passes (the worker is killed if its own
        interrupt did not stop the query), :class:`QueryError` for a failed query.
        """
        if not self._slots.acquire(timeout=timeout_s):
            raise QueryError("the console is busy: too many queries are running, try again")
        try:
            worker = self._acquire()
            try:
                worker.conn.send((str(path), cypher, params, timeout_s, max_rows))
                answered = worker.conn.poll(timeout_s + GRACE_S)
                reply: Reply = worker.conn.recv() if answered else ("killed", None)
            except (EOFError, OSError) as exc:
                worker.kill()
                self.workers_killed += 1
                raise QueryError(f"the query stopped its worker process ({exc!r})") from None
            if reply[0] == "killed":
                worker.kill()
                self.workers_killed += 1
                # Start the replacement now, so the next query does not wait for it.
                threading.Thread(target=self._warm_quietly, daemon=True).start()
                raise QueryTimeout(timeout_message(timeout_s))
            self._release(worker)
        finally:
            self._slots.release()
        kind, value = reply
        if kind == "ok":
            columns, rows, truncated = value
            return columns, rows, truncated
        if kind == "timeout":
            raise QueryTimeout(value)
        if kind == "unavailable":
            raise GraphUnavailable(f"cannot run the query on {path}: {value}")
        raise QueryError(value)

    def close(self) -> None:
        """Stop every idle worker."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


_shared: QueryPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> QueryPool:
    """The process-wide pool every embedded store uses (started on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = QueryPool()
            atexit.register(_shared.close)
        return _shared
