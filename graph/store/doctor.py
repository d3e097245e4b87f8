"""`gcx doctor`: the first-contact checklist, run against the configured store.

On Neo4j or Aura it checks, in order, what first contact needs and reports each as one
line: the server answers (and who it is), its version and edition, the configured
database, the schema constraints, a **timed sample load** (the bundled dataset written in
a transaction that is then rolled back: nothing changes, but the time and the server's
memory limits are real), whether the user can write (right for ``gcx load``; the web app
should use a read-only ``reader`` user where the edition has roles), and how quickly the
server stops a console query at its time limit (``db.transaction.monitor.check.interval``).
On the embedded store there is no server: it reports the file and what it holds.

Nothing here changes the graph. The statements are in :mod:`graph.store.cypher` and pass
Neo4j's own parser in the suite.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, LiteralString

from graph.data import GraphData
from graph.errors import GraphError, GraphNotLoaded, QueryTimeout
from graph.model import NodeKind
from graph.store import cypher
from graph.store.base import Store

if TYPE_CHECKING:  # the driver loads only when a Neo4j store is checked
    import neo4j

    from graph.store.neo4j_store import Neo4jStore

__all__ = ["Check", "run_checks"]

#: The console limit the doctor times, and how late a stop may come before it warns.
PROBE_LIMIT_S = 1.0
PROBE_LATE_S = 0.5


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what was checked, ``ok``/``warn``/``fail``, and what was seen."""

    name: str
    status: str
    detail: str


def run_checks(store: Store, sample: GraphData) -> list[Check]:
    """Run the checklist for ``store``; ``sample`` is the dataset the timed load writes.

    >>> import tempfile, pathlib
    >>> from graph.backends import open_store
    >>> from graph.settings import Settings
    >>> store = open_store(Settings(db_path=pathlib.Path(tempfile.mkdtemp()) / "g.lbug"))
    >>> [(c.name, c.status) for c in run_checks(store, GraphData([], [], {}))]
    [('store', 'ok'), ('graph', 'warn')]
    """
    if store.backend != "neo4j":
        return _embedded_checks(store)
    # Imported here: the Neo4j driver loads only when a Neo4j store is checked.
    from graph.store.neo4j_store import Neo4jStore

    assert isinstance(store, Neo4jStore)
    return _neo4j_checks(store, sample)


def _graph_check(store: Store) -> Check:
    try:
        info = store.info()
    except GraphNotLoaded as exc:
        return Check("graph", "warn", f"{exc}")
    total = sum(info.counts.values())
    return Check(
        "graph", "ok", f"version {info.version}, loaded {info.loaded_at}, {total:,} elements"
    )


def _embedded_checks(store: Store) -> list[Check]:
    where = store.settings.db_path
    return [
        Check("store", "ok", f"embedded graph file {where} (no server to check)"),
        _graph_check(store),
    ]


def _neo4j_checks(store: Neo4jStore, sample: GraphData) -> list[Check]:
    driver = store._driver
    try:
        driver.verify_connectivity()
        server = driver.get_server_info()
    except Exception as exc:  # any failure to connect is the answer
        return [Check("connectivity", "fail", f"{store.settings.neo4j_uri}: {exc}")]
    checks = [Check("connectivity", "ok", f"{server.address} answers as {server.agent}")]
    steps: list[Callable[[Neo4jStore, GraphData], Check]] = [
        _version,
        lambda s, _: _graph_check(s),
        _constraints,
        _sample_load,
        _user,
        _console_limit,
    ]
    for step in steps:
        try:
            checks.append(step(store, sample))
        except GraphError as exc:
            checks.append(Check(getattr(step, "__name__", "check").strip("_"), "fail", str(exc)))
    return checks


def _records(store: Neo4jStore, statement: LiteralString) -> list[neo4j.Record]:
    # Imported here, like the driver: only a Neo4j store's checklist needs them.
    from graph.store.neo4j_errors import translated

    with translated("running the checklist"):
        records, _, _ = store._driver.execute_query(
            statement, database_=store.database, bookmark_manager_=store._bookmarks
        )
    return list(records)


def _version(store: Neo4jStore, _: GraphData) -> Check:
    rows = _records(store, cypher.NEO4J_COMPONENTS)
    kernel = next((r for r in rows if r["name"] == "Neo4j Kernel"), rows[0] if rows else None)
    if kernel is None:
        return Check("version", "warn", "the server did not name its version")
    version = str(kernel["versions"][0])
    seen = f"{kernel['name']} {version} {kernel['edition']}"
    if not version.startswith("5."):
        return Check("version", "warn", f"{seen}: the project is tested against Neo4j 5")
    return Check("version", "ok", seen)


def _constraints(store: Neo4jStore, _: GraphData) -> Check:
    rows = _records(store, cypher.NEO4J_SHOW_CONSTRAINTS)
    unique = {
        r["labelsOrTypes"][0]
        for r in rows
        if "UNIQUENESS" in str(r["type"]) and list(r["properties"] or []) == ["id"]
    }
    wanted = [*(k.value for k in NodeKind), cypher.STORE_LABEL]
    missing = [label for label in wanted if label not in unique]
    if missing:
        return Check(
            "constraints", "warn", f"no uniqueness constraint on id for {', '.join(missing)} "
            "(`gcx load` creates them)"
        )  # fmt: skip
    return Check("constraints", "ok", f"unique id on all {len(wanted)} labels")


def _sample_load(store: Neo4jStore, sample: GraphData) -> Check:
    # Imported here: the Neo4j driver loads only when a Neo4j store is checked.
    import neo4j
    from neo4j import exceptions as neo4j_errors

    from graph.store.neo4j_errors import load_limits, translated
    from graph.store.neo4j_store import write_graph

    elements = len(sample.nodes) + len(sample.rels)
    start = time.perf_counter()
    try:
        with translated("the timed sample load"):
            try:
                with (
                    load_limits(),
                    store._session(neo4j.WRITE_ACCESS) as session,
                    session.begin_transaction() as tx,
                ):
                    counts = write_graph(tx, sample)
                    tx.rollback()  # a rehearsal: nothing is kept
            except neo4j_errors.ClientError as exc:
                if "Security.Forbidden" not in (exc.code or ""):
                    raise
                return Check(
                    "sample load", "warn", "this user may not write (right for the web app)"
                )
    except GraphError as exc:
        return Check("sample load", "fail", str(exc))
    seconds = time.perf_counter() - start
    if counts != sample.counts():
        return Check("sample load", "fail", f"wrote {counts}, expected {sample.counts()}")
    return Check(
        "sample load", "ok", f"{elements:,} elements written in {seconds:.2f} s, then rolled back"
    )


def _user(store: Neo4jStore, _: GraphData) -> Check:
    try:
        rows = _records(store, cypher.NEO4J_CURRENT_USER)
    except GraphError as exc:
        return Check("user", "warn", f"cannot list the user's roles: {exc}")
    user, roles = (rows[0]["user"], rows[0]["roles"]) if rows else ("?", None)
    if roles is None:
        return Check(
            "user", "warn", f"{user}: this edition has no roles (Community): every user can "
            "write, and the console relies on its other layers; use a `reader` user on "
            "Enterprise or Aura for the web app"
        )  # fmt: skip
    status = "ok" if set(roles) <= {"reader", "PUBLIC"} else "warn"
    advice = "" if status == "ok" else " (fine for `gcx load`; give the web app a `reader` user)"
    return Check("user", status, f"{user} has roles {', '.join(sorted(roles))}{advice}")


def _console_limit(store: Store, _: GraphData) -> Check:
    start = time.perf_counter()
    try:
        store.query(cypher.NEO4J_SLOW_QUERY, timeout_s=PROBE_LIMIT_S)
    except QueryTimeout:
        late = time.perf_counter() - start - PROBE_LIMIT_S
        status = "ok" if late <= PROBE_LATE_S else "warn"
        advice = "" if status == "ok" else " (lower db.transaction.monitor.check.interval)"
        return Check("console limit", status, f"a {PROBE_LIMIT_S:.0f} s limit stopped the "
                     f"query {late:.2f} s late{advice}")  # fmt: skip
    return Check("console limit", "fail", "a query ran to its end past its time limit")
