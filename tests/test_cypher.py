"""The Neo4j store's Cypher, run on the embedded engine wherever the dialects agree.

``graph.store.neo4j_store.write_graph`` is the whole load of the Neo4j store; here it runs,
unchanged, against a writable ladybug database (through a small adapter that gives a
ladybug connection the driver's ``tx.run`` shape), and the result must equal the graph
the embedded store builds its own way. What only Neo4j runs is pinned by name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ladybug
import networkx as nx
import pytest

from graph.data import GraphData, Node, Rel, to_networkx
from graph.model import NODE_KINDS, REL_PROPERTIES, NodeKind, PropType, RelType
from graph.settings import BUNDLED_DATASET
from graph.store import cypher
from graph.store.base import Store
from graph.store.neo4j_store import write_graph
from loaders.dataset import read_dataset


class _Result:
    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def consume(self) -> None:
        return None

    def single(self, strict: bool = False) -> list[Any]:
        assert len(self.rows) == 1
        return self.rows[0]


_DUMMY = {
    PropType.STRING: "x",
    PropType.BOOL: True,
    PropType.INT: 0,
    PropType.DOUBLE: 0.5,
    PropType.STRING_LIST: ["x"],
}
_PROBE = "\x00typing-probe"
_MERGE_KIND = {text: kind for kind, text in cypher.MERGE_NODES.items()}
_MERGE_REL = set(cypher.MERGE_RELS.values())


class LadybugTx:
    """A ladybug connection with the driver's ``tx.run(query, **params)`` shape.

    ladybug types a ``$rows`` parameter from its values, and a column that is null in
    every row of a batch gets no usable type (Neo4j needs none). So the adapter adds one
    typed probe row that matches nothing (relationships: no such end node) or that it
    deletes right after (nodes). The statement text is sent unchanged.
    """

    def __init__(self, conn: ladybug.Connection) -> None:
        self.conn = conn
        self.statements: list[str] = []

    def run(self, query: str, **params: Any) -> _Result:
        self.statements.append(query)
        kind = _MERGE_KIND.get(query)
        if (kind is not None or query in _MERGE_REL) and params.get("rows"):
            rows = params["rows"]
            props = NODE_KINDS[kind].properties if kind is not None else REL_PROPERTIES
            probe: dict[str, Any] = {p.name: _DUMMY[p.type] for p in props}
            probe.update({"id": _PROBE, "source": _PROBE, "target": _PROBE})
            probe = {k: probe[k] for k in rows[0]}  # same keys, same order
            params = {**params, "rows": [*rows, probe]}
        result = self.conn.execute(query, params)
        assert not isinstance(result, list)
        out = _Result([list(r) for r in result.get_all()])
        if kind is not None and params.get("rows"):
            self.conn.execute(f"MATCH (n:{kind.value} {{id: $id}}) DELETE n", {"id": _PROBE})
        return out


@pytest.fixture(scope="module")
def data() -> GraphData:
    return read_dataset(BUNDLED_DATASET)


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[ladybug.Connection]:
    db = ladybug.Database(str(tmp_path / "w.lbug"))
    conn = ladybug.Connection(db)
    for statement in cypher.schema_ddl():
        conn.execute(statement)
    yield conn
    conn.close()
    db.close()


def _snapshot_via_shared_reads(conn: ladybug.Connection) -> nx.MultiDiGraph[str]:
    nodes = []
    for kind in NodeKind:
        names = NODE_KINDS[kind].property_names
        for (n,) in conn.execute(cypher.READ_NODES[kind]).get_all():
            nodes.append(Node(kind, {p: n.get(p) for p in names}))
    rels = []
    for rtype in RelType:
        for source, target, r in conn.execute(cypher.READ_RELS[rtype]).get_all():
            props = {p.name: r.get(p.name) for p in REL_PROPERTIES}
            rels.append(Rel(rtype, source, target, props))
    return to_networkx(nodes, rels)


def _same_graph(a: nx.MultiDiGraph[str], b: nx.MultiDiGraph[str]) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(
        b.edges(keys=True, data=True), key=repr
    )


def test_the_neo4j_load_builds_the_same_graph_on_the_embedded_engine(
    writable: ladybug.Connection, data: GraphData, shared_store: Store
) -> None:
    tx = LadybugTx(writable)
    counts = write_graph(tx, data)  # type: ignore[arg-type]
    assert counts == data.counts()
    _same_graph(_snapshot_via_shared_reads(writable), shared_store.snapshot())
    assert set(tx.statements) <= set(cypher.shared_statements())


def test_the_neo4j_load_replaces_rather_than_adds(
    writable: ladybug.Connection, data: GraphData
) -> None:
    tx = LadybugTx(writable)
    write_graph(tx, data)  # type: ignore[arg-type]
    smaller = GraphData(
        nodes=[n for n in data.nodes if n.kind is not NodeKind.RESOURCE],
        rels=[r for r in data.rels if r.type is not RelType.ABOUT],
        meta=data.meta,
    )
    assert write_graph(tx, smaller) == smaller.counts()  # type: ignore[arg-type]
    assert write_graph(tx, data) == data.counts()  # type: ignore[arg-type]


def test_every_shared_statement_runs_on_the_embedded_engine(
    writable: ladybug.Connection, data: GraphData
) -> None:
    tx = LadybugTx(writable)
    write_graph(tx, data)  # type: ignore[arg-type]
    for statement in cypher.shared_statements():
        if statement in _MERGE_REL and statement not in tx.statements:
            # A MERGE for end kinds the bundled data has no rows for: run it on a probe.
            row = {"source": _PROBE, "target": _PROBE, **{p.name: None for p in REL_PROPERTIES}}
            tx.run(statement, rows=[row])
    for statement in [
        *cypher.COUNT_NODES.values(),
        *cypher.COUNT_RELS.values(),
        *cypher.READ_NODES.values(),
        *cypher.READ_RELS.values(),
    ]:
        tx.run(statement)


def test_only_the_schema_and_store_info_statements_are_neo4j_only() -> None:
    assert len(cypher.NEO4J_CONSTRAINTS) == len(NodeKind) + 1
    assert set(cypher.NEO4J_ONLY) == {
        *cypher.NEO4J_CONSTRAINTS.values(),
        cypher.NEO4J_WRITE_STORE_INFO,
        cypher.NEO4J_READ_STORE_INFO,
        cypher.NEO4J_CLAIM_STORE,
    }
    assert not set(cypher.NEO4J_ONLY) & set(cypher.shared_statements())
    for label, statement in cypher.NEO4J_CONSTRAINTS.items():
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in statement
        assert "IF NOT EXISTS" in statement


def test_store_statements_take_values_only_as_parameters() -> None:
    for statement in [*cypher.shared_statements(), *cypher.NEO4J_ONLY]:
        assert "'" not in statement.replace("'store'", "")  # no spliced string values


_CLAUSE = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|CREATE|MERGE|COPY|UNWIND|RETURN|CALL|LOAD)\b")


def test_the_stores_send_only_cypher_written_in_the_cypher_module() -> None:
    """No Cypher text in a store module but ``graph/store/cypher.py`` (docstrings aside)."""
    found = []
    for path in sorted((Path(cypher.__file__).parent).glob("*.py")):
        if path.name == "cypher.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and _CLAUSE.match(node.value)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []
