"""The console's read-only layers: the static check, the read-only handle, the time limit.

Layer 1 (graph.console.readonly) is tested on its own over every write form and disguise, and for
reads it must not refuse. Layers 2 and 3 are tested on a real embedded store: a write
that slips past layer 1 fails on the read-only handle, and a query that ladybug's own
interrupt cannot stop is killed near its limit.
"""

from __future__ import annotations

import hashlib
import time

import pytest

from graph.console.readonly import check_read_only
from graph.console.sandbox import GRACE_S, shared_pool
from graph.errors import QueryError, QueryRefused, QueryTimeout
from graph.store.base import Store

#: (query, the clause the refusal must name)
WRITES: list[tuple[str, str]] = [
    ("CREATE (:Theme {id: 'x', name: 'x'})", "CREATE"),
    ("MERGE (t:Theme {id: 'x'})", "MERGE"),
    ("MATCH (t:Theme) SET t.name = 'x'", "SET"),
    ("MATCH (t:Theme) DELETE t", "DELETE"),
    ("MATCH (n) DETACH DELETE n", "DETACH DELETE"),
    ("MATCH (t:Theme) REMOVE t.name", "REMOVE"),
    ("DROP TABLE Theme", "DROP"),
    ("DROP CONSTRAINT gcx_theme_id", "DROP"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
    ("LOAD FROM 'x.csv' RETURN *", "LOAD FROM"),
    ("LOAD EXTENSION httpfs", "LOAD EXTENSION"),
    ("MATCH (t:Theme) FOREACH (x IN [1] | SET t.n = x)", "FOREACH"),
    ("USE system SHOW USERS", "USE"),
    ("COPY Theme FROM 'themes.csv'", "COPY"),
    ("COPY (MATCH (t:Theme) RETURN t.id) TO '/tmp/out.csv'", "COPY"),
    (
        "MATCH (t:Theme) CALL { WITH t RETURN t.id AS i } IN TRANSACTIONS RETURN i",
        "IN TRANSACTIONS",
    ),
    ("CALL dbms.security.createUser('x', 'y', false)", "CALL dbms.security.createuser"),
    ("CALL apoc.create.node(['Theme'], {id: 'x'}) YIELD node RETURN node", "CALL apoc.create.node"),
    ("CALL db.createLabel('X')", "CALL db.createlabel"),
    ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})", "CALL apoc.periodic"),
    ("CALL threads = 8", "CALL threads = ... (changing a setting)"),
    ("CALL read_csv('/etc/passwd') RETURN *", "CALL read_csv"),
    ("LOAD WITH HEADERS (a STRING) FROM '/etc/passwd' RETURN *", "LOAD WITH HEADERS"),
    ("RETURN 1 AS x UNION ALL LOAD FROM '/etc/passwd' RETURN *", "LOAD FROM"),
    ("INSTALL httpfs", "INSTALL"),
    ("UNINSTALL json", "UNINSTALL"),
    ("ATTACH 'x.lbug' AS o (dbtype lbug)", "ATTACH"),
    ("DETACH o", "DETACH"),
    ("COMMIT", "COMMIT"),
    ("ROLLBACK", "ROLLBACK"),
    ("CREATE NODE TABLE X(id STRING PRIMARY KEY)", "CREATE"),
    ("COMMENT ON TABLE Theme IS 'x'", "COMMENT ON"),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
    ("CALL create_fts_index('Theme', 'i', ['name'])", "CALL create_fts_index"),
    ("RETURN apoc.cypher.runFirstColumnSingle('CREATE (n) RETURN n', {})", "apoc.cypher"),
    ("ALTER TABLE Theme ADD x STRING", "ALTER"),
    ("GRANT ROLE admin TO neo4j", "GRANT"),
    ("ATTACH 'other.lbug' AS o", "ATTACH"),
    ("INSTALL json", "INSTALL"),
    ("EXPORT DATABASE '/tmp/x'", "EXPORT DATABASE"),
    ("IMPORT DATABASE '/tmp/x'", "IMPORT DATABASE"),
    ("BEGIN TRANSACTION", "BEGIN TRANSACTION"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("INSERT (:Theme {id: 'x'})", "INSERT"),
    ("MATCH (t:Theme) RETURN t; CREATE (:Theme {id: 'y'})", "CREATE"),
]

#: The same writes in disguise: each must still be refused.
DISGUISED: list[tuple[str, str]] = [
    ("match (n) detach delete n", "DETACH DELETE"),
    ("MaTcH (n) DeTaCh DeLeTe n", "DETACH DELETE"),
    ("MATCH (n) /* a comment */ DETACH /* between */ DELETE n", "DETACH DELETE"),
    ("MATCH (n) // a line comment\nDELETE n", "DELETE"),
    ("MATCH (n) WHERE n.name = 'it''s' DELETE n", "DELETE"),
    ("MATCH (n) WHERE n.name = 'a \\' CREATE' DELETE n", "DELETE"),
    ("RETURN 1 /* unterminated comment hides nothing */ CREATE (n)", "CREATE"),
    # Look-alikes are not keywords to the engine, but nothing outside ASCII may stand
    # outside a string, comment or quoted name: refused, naming the character.
    ("MATCH (n) \uff33\uff25\uff34 n.x = 1", "U+FF33"),  # fullwidth SET
    ("\uff23\uff32\uff25\uff21\uff34\uff25 (n)", "U+FF23"),  # fullwidth CREATE
    ("\u0421REATE (n)", "U+0421"),  # Cyrillic Es
    ("M\u0415RGE (n:Theme {id: 'x'})", "U+0415"),  # Cyrillic Ie
    ("CRE\u200bATE (n)", "U+200B"),  # zero-width space inside the keyword
    ("DEL\u00adETE", "starts with MATCH"),  # soft hyphen: a dash to the engine
    ("\ufeffCREATE (n)", "U+FEFF"),  # byte-order mark in front
    # The engine's comment rules: stars pair up, a lone CR does not end a line comment.
    ("/* **/ ' */ LOAD FROM '/etc/passwd' RETURN * //'", "LOAD FROM"),
    ("/***/ RETURN 1", "comment is not closed"),
    ("// x\rRETURN 1", "carriage return"),
    ("RETURN '\\q' AS x", "escape"),
    ("RETURN 'open", "not closed"),
    ("RETURN 1 AS `open", "not closed"),
    ("RETURN 1 # x", "'#'"),
    ("CALL `dbms`.`security`.`createUser`('x', 'y', false)", "CALL dbms.security.createuser"),
    ("CALL `apoc.create.node`(['X'], {})", "CALL apoc.create.node"),
    ("CALL /* hidden */ apoc.create.node(['X'], {})", "CALL apoc.create.node"),
    ("CALL\n  apoc . create . node(['X'], {})", "CALL apoc.create.node"),
    ("call DB.CREATELABEL('X')", "CALL db.createlabel"),
    ("RETURN `apoc`.cypher.doIt('CREATE (n)', {})", "apoc.cypher.doit"),
    ("MATCH (n) CALL { WITH n DELETE n } RETURN 1", "DELETE"),
    ("MATCH (t:Theme) WITH t UNWIND [1] AS x\tSET t.x = x", "SET"),
    ("RETURN 'a'; DROP TABLE Theme", "DROP"),
    ("RETURN 1;\nRETURN 2", "one statement"),
]

#: Reads that mention write words only as data, names or comments: never refused.
READS: list[str] = [
    "MATCH (c:Challenge) RETURN c.name // CREATE is only a comment",
    "MATCH (c:Challenge) /* DELETE everything? no */ RETURN c.id",
    "MATCH (c:Challenge) WHERE c.name CONTAINS 'create' RETURN c.name",
    'MATCH (c:Challenge) WHERE c.statement = "DETACH DELETE n; DROP TABLE x" RETURN c',
    "MATCH (n) WHERE n.set = 1 OR n.delete = 2 OR n.merge = 3 RETURN n.remove",
    "RETURN {create: 1, set: 2, `DELETE`: 3} AS m",
    "MATCH (n:`CREATE`) RETURN n",
    "MATCH (a)-[r:MADE|ADDRESSES]->(b) RETURN count(r)",
    "MATCH (n:Theme|Challenge) RETURN count(n)",
    "MATCH (t:Theme) WHERE t.name = $set RETURN t.name AS remove",
    "MATCH (t:Theme) RETURN t.name AS `merge`",
    "MATCH (n) RETURN n.`create` AS x",
    "CALL show_tables() RETURN *",
    "CALL table_info('Challenge') RETURN *",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.schema.visualization()",
    "MATCH (c:Challenge) CALL { WITH c MATCH (c)-[:IN_THEME]->(t) RETURN t } RETURN c.id, t.id",
    "MATCH (c:Challenge) RETURN c.id;",
    "MATCH (c:Challenge) RETURN apoc_like_name(c) // not a namespaced call",
    "RETURN date.truncate('month', date('2020-05-17')) AS d",
    "MATCH (c:Challenge) WHERE c.catalyst = true RETURN c.name ORDER BY c.name",
    "MATCH (c:Challenge {id: $id}) RETURN c.statement",
    "RETURN 'caf\u00e9 \uff23\uff32\uff25\uff21\uff34\uff25' AS unicode_in_a_string",
    "MATCH (n) WHERE n.name = '\u0421REATE' RETURN n",
    "RETURN 1.5e3 AS x",
    "MATCH (p:Partner) RETURN [x IN p.roles | toUpper(x)] AS roles",
    "MATCH (n) /* **/ ' */ RETURN n.id LIMIT 1 //'",
    "RETURN 'LOAD FROM \\'/etc/passwd\\' RETURN *' AS quoted",
    "MATCH (copy:Theme) RETURN copy.name AS load",
    "RETURN 1 AS x UNION ALL RETURN 2 AS x",
    "MATCH (n)\u2028RETURN n.id\u3000LIMIT 1",
    "CALL show_functions() RETURN count(*)",
]


@pytest.mark.parametrize(("query", "clause"), WRITES)
def test_every_write_form_is_refused_naming_its_clause(query: str, clause: str) -> None:
    with pytest.raises(QueryRefused) as err:
        check_read_only(query)
    assert clause.lower() in str(err.value).lower()


@pytest.mark.parametrize(("query", "clause"), DISGUISED)
def test_writes_hidden_by_case_comments_strings_or_lookalikes_are_refused(
    query: str, clause: str
) -> None:
    with pytest.raises(QueryRefused) as err:
        check_read_only(query)
    assert clause.lower() in str(err.value).lower()


@pytest.mark.parametrize("query", READS)
def test_reads_that_merely_mention_write_words_are_not_refused(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize("query", ["", "   ", "// only a comment", "/* nothing */"])
def test_an_empty_query_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="empty"):
        check_read_only(query)


def test_the_refusal_message_says_the_console_is_read_only() -> None:
    with pytest.raises(QueryRefused, match=r"^MERGE is not allowed: the console is read-only$"):
        check_read_only("MERGE (n:Theme {id: 'x'})")


def test_a_procedure_outside_the_allow_list_is_named_and_the_list_given() -> None:
    with pytest.raises(QueryRefused, match=r"CALL apoc\.export\.csv\.all .*show_tables"):
        check_read_only("CALL apoc.export.csv.all('x.csv', {})")


# -- layers 2 and 3 on a real embedded store --------------------------------------------


def _fingerprint(store: Store) -> tuple[dict[str, int], str]:
    ids = store.query("MATCH (n) RETURN n.id AS id ORDER BY id", max_rows=100_000)
    digest = hashlib.sha256("\n".join(str(r[0]) for r in ids.rows).encode()).hexdigest()
    return store.info().counts, digest


@pytest.mark.parametrize(("query", "clause"), WRITES[:6] + DISGUISED[:4])
def test_a_refused_write_leaves_the_graph_unchanged(
    shared_store: Store, query: str, clause: str
) -> None:
    before = _fingerprint(shared_store)
    with pytest.raises(QueryRefused):
        shared_store.query(query)
    assert _fingerprint(shared_store) == before


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Theme {id: 'x', name: 'x'})",
        "MATCH (t:Theme) SET t.name = 'x'",
        "MATCH (n:Theme) DETACH DELETE n",
        "COPY Theme FROM 'x.csv'",
    ],
)
def test_a_write_past_the_static_check_fails_on_the_read_only_handle(
    shared_store: Store, query: str
) -> None:
    before = _fingerprint(shared_store)
    with pytest.raises(QueryError):
        shared_store._run_read(query, {}, 5.0, 10)  # layer 1 bypassed on purpose
    assert _fingerprint(shared_store) == before


PATHOLOGICAL = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)"


def test_a_query_the_engine_cannot_interrupt_is_stopped_near_its_limit(
    shared_store: Store,
) -> None:
    limit = 1.0
    shared_store.query("RETURN 1")  # a warm worker: starting one is not part of the limit
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        shared_store.query(PATHOLOGICAL, timeout_s=limit)
    elapsed = time.monotonic() - start
    # Unstopped, this query runs about 7 s here; killed, it ends just past the limit.
    assert limit <= elapsed < limit + GRACE_S + 1.0


def test_the_console_answers_normally_right_after_a_killed_query(shared_store: Store) -> None:
    pool = shared_pool()
    killed = pool.workers_killed
    with pytest.raises(QueryTimeout):
        shared_store.query(PATHOLOGICAL, timeout_s=0.5)
    assert pool.workers_killed == killed + 1
    result = shared_store.query("MATCH (t:Theme) RETURN count(t) AS n")
    assert result.rows == [[7]]


def test_a_cooperative_timeout_keeps_the_worker(shared_store: Store) -> None:
    pool = shared_pool()
    shared_store.query("RETURN 1")  # a warm worker
    killed, started = pool.workers_killed, pool.workers_started
    with pytest.raises(QueryTimeout):
        shared_store.query("MATCH (a)-[*1..8]-(b) RETURN count(*)", timeout_s=0.5)
    shared_store.query("RETURN 1")
    # Either ladybug's interrupt stopped it (no kill, no new worker) or the kill did.
    assert (pool.workers_killed - killed) == (pool.workers_started - started)
