"""Confined, killable worker processes that run the embedded store's console queries.

Each worker serves one generation: it opens it read-only (bounded buffer pool, database
mapping and threads), then locks itself in for good (:mod:`graph.console.confine`: no
network, no new privileges, Landlock with no writable path and no readable one but the
Python installation, the user ``nobody`` when started as root, an address-space limit).
It reads the graph through the descriptor it opened before, so it can open no other file.
A worker asked about another generation retires and a fresh one starts.

The caller waits for the answer until the time limit, which covers running the query and
turning its rows into capped, picklable values (:mod:`graph.console.bounds`), plus a short
grace for the engine's own cooperative interrupt; then it kills the worker and starts a
fresh one. ladybug checks its own timeout only between operators, so one long operator
(``UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)``) runs on
until the process is killed. Killing a read-only reader cannot damage the database.

The pool is bounded twice: :data:`MAX_WORKERS` queries at once per process, and a
site-wide cap shared by every process serving the same database (lock files beside it,
:class:`SiteSlots`). When either is full the console answers :class:`ConsoleBusy` at once
(503 with ``Retry-After`` on the web) instead of queuing: pages never wait for it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import multiprocessing
import os
import pickle
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any

from graph.console.bounds import Budget
from graph.console.results import embedded_cell, node_ids
from graph.errors import ConsoleBusy, GraphUnavailable, QueryError, QueryTimeout

__all__ = ["GRACE_S", "MAX_WORKERS", "QueryPool", "SiteSlots", "read_query", "shared_pool"]

log = logging.getLogger(__name__)

#: Console queries running at once per process (more are answered "busy" at once).
MAX_WORKERS = 4
#: Console queries running at once across every process serving one database, unless
#: the settings say otherwise (``GCX_CONSOLE_WORKERS``, read by graph.settings).
SITE_WORKERS = 4
#: Idle workers kept warm for the next query.
IDLE_WORKERS = 2
#: How long a new worker may take to start, open its generation and lock itself in.
STARTUP_S = 60.0
#: How long past the limit the caller waits for the worker's own interrupt before killing it.
GRACE_S = 0.2
#: The worker's database buffer pool and the most database it maps: with Python and the
#: engine's own heap they fit the worker's address-space limit (confine.ADDRESS_SPACE).
WORKER_BUFFER_POOL = 512 * 1024 * 1024
WORKER_MAX_DB_SIZE = 1024 * 1024 * 1024
#: Threads a worker's query may use (the machines have two cores).
WORKER_THREADS = 2
#: Modules the worker may need after it is locked in (the Python installation may not be
#: readable by the unprivileged user): imported before.
_PRELOAD = ("decimal", "datetime", "uuid", "json", "encodings.idna", "graph.console.bounds")

Reply = tuple[str, Any]
Rows = tuple[list[str], list[list[Any]], bool, str]


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


_ABS_PATH = re.compile(r"(?<![\w.])/(?:[\w.@+-]+/)*[\w.@+-]+")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def public_message(message: str, query: str) -> str:
    """An engine message fit for the user: no path they did not write, no address.

    >>> public_message("Cannot open file /srv/var/g.lbug.d/x.lock: denied", "CHECKPOINT")
    'Cannot open file (a server file): denied'
    >>> public_message("Cannot open file /etc/passwd: denied", "LOAD FROM '/etc/passwd'")
    'Cannot open file /etc/passwd: denied'
    """
    message = _ADDRESS.sub("(an address)", message)
    return _ABS_PATH.sub(lambda m: m.group() if m.group() in query else "(a server file)", message)


def _engine_error(exc: BaseException, query: str) -> Reply:
    text = str(exc)
    if isinstance(exc, MemoryError) or "bad_alloc" in text or "allocate memory" in text.lower():
        return ("error", "the query needed more memory than the console allows; narrow it")
    return ("error", public_message(text, query))


def _open(path: str) -> Any:
    import ladybug  # the engine is loaded in the worker only, never in the web process

    return ladybug.Database(
        path,
        read_only=True,
        buffer_pool_size=WORKER_BUFFER_POOL,
        max_num_threads=WORKER_THREADS,
        max_db_size=WORKER_MAX_DB_SIZE,
    )


def _serve(conn: Connection) -> None:
    """A worker's loop: open the first request's generation, lock in, answer requests."""
    # The worker's own imports: the web process never loads them.
    import importlib

    from graph.console.confine import confine

    for name in _PRELOAD:
        importlib.import_module(name)
    served: str | None = None
    db: Any = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if request[0] == "open":  # ("open", path): open the generation, then lock in
            if served is not None:
                conn.send(("ready", None) if request[1] == served else ("retire", None))
                if request[1] != served:
                    return
                continue
            try:
                db = _open(request[1])
            except Exception as exc:  # reported to the caller, which logs it
                conn.send(("unavailable", f"{type(exc).__name__}: {exc}"))
                return
            served = request[1]
            log.debug("console worker confined: %s", confine())
            conn.send(("ready", None))
            continue
        conn.send(_answer_query(db, request))


def _answer_query(db: Any, request: tuple[Any, ...]) -> Reply:
    """Run one (cypher, params, timeout_s, max_rows) request; the reply to send."""
    cypher, params, timeout_s, max_rows = request
    if db is None:
        return ("unavailable", "the worker was asked a query before opening a graph")
    try:
        reply: Reply = ("ok", read_query(db, cypher, params, timeout_s, max_rows))
        pickle.dumps(reply)  # a value that cannot be sent fails here, inside the limit
        return reply
    except QueryTimeout as exc:
        return ("timeout", str(exc))
    except (QueryError, MemoryError, RuntimeError) as exc:
        return _engine_error(exc, cypher)
    except Exception:
        return ("error", "the result cannot be returned: it holds a value of an unknown type")


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    path: str = ""

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


class SiteSlots:
    """At most ``count`` console queries at once across every process sharing ``folder``.

    Each slot is a lock file held with ``flock`` while a query runs: the kernel frees it
    when the holder exits, however it exits. Where the folder cannot be written, the
    per-process limit stands alone.
    """

    def __init__(self, folder: Path, count: int) -> None:
        self.folder = folder
        self.count = count

    def take(self) -> IO[bytes] | None:
        """A held slot, or None when every slot is busy. Raises OSError if unusable."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for i in range(self.count):
            handle = open(self.folder / f"slot-{i}.lock", "ab")  # noqa: SIM115 - held open
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return handle
        return None

    @staticmethod
    def give(handle: IO[bytes] | None) -> None:
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


def _slots_folder(path: Path) -> Path:
    """The site-wide slot folder for a generation (beside the generations folder)."""
    return path.parent.parent / ".console-slots"


class QueryPool:
    """A few warm, confined worker processes that run read-only queries and can be killed.

    >>> pool = QueryPool()
    >>> pool.workers_started
    0
    >>> pool.close()
    """

    def __init__(
        self, max_workers: int = MAX_WORKERS, idle: int = IDLE_WORKERS, site: int = SITE_WORKERS
    ) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_workers)
        self._idle: list[_Worker] = []
        self._idle_max = idle
        self._site = site
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

    def _acquire(self, path: str) -> _Worker:
        stale: list[_Worker] = []
        found: _Worker | None = None
        with self._lock:
            if os.getpid() != self._pid:  # forked (e.g. a pre-loading web server): start anew
                self._idle = []
                self._pid = os.getpid()
            keep = []
            for worker in self._idle:
                if not worker.process.is_alive() or (worker.path and worker.path != path):
                    stale.append(worker)
                elif found is None:
                    found = worker
                else:
                    keep.append(worker)
            self._idle = keep
        for worker in stale:  # workers of an older generation retire
            worker.stop()
        return found if found is not None else self._spawn()

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

    def _exchange(self, worker: _Worker, request: tuple[Any, ...], timeout_s: float) -> Reply:
        """Send ``request`` and wait for the reply; the worker is killed on any failure."""
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout_s + GRACE_S):
                return ("killed", None)
            reply: Reply = worker.conn.recv()
            return reply
        except (EOFError, OSError):
            return ("died", None)

    def run(
        self, path: Path, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> Rows:
        """Run a query on the read-only database at ``path`` in a worker; kill it at the limit.

        Raises :class:`ConsoleBusy` at once when the console is full, :class:`QueryTimeout`
        when the limit passes, :class:`QueryError` for a failed query.
        """
        if not self._slots.acquire(blocking=False):
            raise ConsoleBusy("the console is busy: too many queries are running, try again")
        try:
            try:
                site = SiteSlots(_slots_folder(path), self._site).take()
            except OSError:
                site = None  # no shared folder: the per-process limit stands alone
            else:
                if site is None:
                    raise ConsoleBusy(
                        "the console is busy: too many queries are running, try again"
                    )
            try:
                reply = self._run_in_worker(
                    str(path), (cypher, params, timeout_s, max_rows), timeout_s
                )
            finally:
                SiteSlots.give(site)
        finally:
            self._slots.release()
        return self._answer(reply, timeout_s)

    def _run_in_worker(self, path: str, request: tuple[Any, ...], timeout_s: float) -> Reply:
        worker = self._ready_worker(path)
        try:
            reply = self._exchange(worker, request, timeout_s)
        except BaseException:  # e.g. parameters that cannot be pickled: never leak it
            worker.kill()
            self.workers_killed += 1
            raise
        if reply[0] in ("killed", "died"):
            worker.kill()
            self.workers_killed += 1
            # Start the replacement now, so the next query does not wait for it.
            threading.Thread(target=self._warm_quietly, daemon=True).start()
            return reply
        self._release(worker)
        return reply

    def _ready_worker(self, path: str) -> _Worker:
        """A worker that has opened ``path`` and locked itself in.

        Starting and opening are not counted in the query's time limit (a cold process
        on a busy machine takes seconds); they have :data:`STARTUP_S` of their own.
        """
        for _ in range(2):  # a warm worker of another generation retires once
            worker = self._acquire(path)
            if worker.path == path:
                return worker
            reply = self._exchange(worker, ("open", path), STARTUP_S)
            if reply[0] == "ready":
                worker.path = path
                return worker
            worker.kill()
            if reply[0] == "unavailable":
                log.error("a console worker cannot open the graph: %s", reply[1])
                raise GraphUnavailable("the graph database cannot be read right now; try again")
            if reply[0] in ("killed", "died"):
                raise GraphUnavailable("the console could not start a worker; try again")
        raise GraphUnavailable("the console could not start a worker; try again")

    @staticmethod
    def _answer(reply: Reply, timeout_s: float) -> Rows:
        kind, value = reply
        if kind == "ok":
            columns, rows, truncated, notice = value
            return columns, rows, truncated, notice
        if kind == "timeout":
            raise QueryTimeout(value)
        if kind == "killed":
            raise QueryTimeout(timeout_message(timeout_s))
        if kind == "died":
            raise QueryError(
                "the query stopped its worker process (it may have needed too much memory)"
            )
        if kind == "unavailable":
            log.error("console worker cannot run queries: %s", value)
            raise GraphUnavailable("the graph database cannot be read right now; try again shortly")
        raise QueryError(value)

    def close(self) -> None:
        """Stop every idle worker."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


def read_query(
    db: Any, cypher: str, params: dict[str, Any], timeout_s: float, max_rows: int
) -> tuple[list[str], list[list[Any]], bool, str]:
    """Run one read-only console query on ``db`` with a time limit, a row cap and byte caps.

    Returns the columns, the rows (each value cleaned and capped, graph/console/bounds.py),
    whether rows were left out, and a notice of what was cut. The engine checks its own
    timeout only between operators; the watchdog interrupts long single operators where it
    can, and the deadline is enforced on fetch and conversion. What this cannot stop, the
    worker pool that calls it stops by killing the process.
    """
    import ladybug  # the engine is loaded in the worker only, never in the web process

    conn = ladybug.Connection(db)
    conn.set_query_timeout(max(1, int(timeout_s * 1000)))
    watchdog = threading.Timer(timeout_s, conn.interrupt)
    watchdog.daemon = True
    deadline = time.monotonic() + timeout_s
    watchdog.start()
    try:
        try:
            result = conn.execute(cypher, params)
        except RuntimeError as exc:
            message = str(exc)
            if "interrupt" in message.lower() or "timeout" in message.lower():
                raise QueryTimeout(timeout_message(timeout_s)) from None
            raise QueryError(message) from None
        if isinstance(result, list):  # several statements: refuse rather than guess
            raise QueryError("run one statement at a time")
        columns = list(result.get_column_names())
        raw: list[list[Any]] = []
        truncated = False
        budget = Budget()
        while result.has_next():
            if len(raw) >= max_rows:
                truncated = True
                break
            if time.monotonic() > deadline:
                raise QueryTimeout(timeout_message(timeout_s))
            row = budget.take_row(list(result.get_next()))
            if row is None:
                truncated = True
                break
            raw.append(row)
        ids = node_ids(raw)
        rows = []
        for row in raw:
            if time.monotonic() > deadline:
                raise QueryTimeout(timeout_message(timeout_s))
            rows.append([embedded_cell(v, ids) for v in row])
        return columns, rows, truncated, budget.notice()
    finally:
        watchdog.cancel()
        conn.close()


_shared: QueryPool | None = None
_shared_lock = threading.Lock()


def shared_pool(site: int = SITE_WORKERS) -> QueryPool:
    """The process-wide pool every embedded store uses (started on first use, with the
    site-wide cap ``site`` of the first store that runs a console query)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = QueryPool(site=site)
            atexit.register(_shared.close)
        return _shared
