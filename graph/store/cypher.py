"""The Cypher the stores run, as constant strings, and where the two dialects differ.

Everything a store sends that is not a console query lives here. Values always travel as
``$parameters``; what cannot be a parameter (a label, a relationship type) comes from
tables keyed by the model's enums, built once at import, never from request text. The
strings are typed ``LiteralString`` for the Neo4j driver's sake.

Most of this text is the *same* in both dialects (Neo4j Cypher and ladybug's Kùzu
dialect): counting, reading nodes and relationships for the snapshot, the batched
``UNWIND $rows ... MERGE`` writes and the per-label deletes. The test suite runs that
shared text on the embedded engine, so the Neo4j store's Cypher is exercised here even
without a Neo4j server. :data:`NEO4J_ONLY` lists what only Neo4j runs (schema constraints
and the store-info node, which the embedded store keeps in a sidecar file); the
embedded-only section holds what only the Kùzu dialect has: the schema (``CREATE NODE
TABLE``/``CREATE REL TABLE``), typed ``CREATE`` inserts and the bulk ``COPY ... FROM (LOAD
...)``. Console queries are the user's own text and are not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import LiteralString, cast

from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, Property, PropType, RelType

__all__ = [
    "COUNT_NODES",
    "COUNT_RELS",
    "DELETE_NODES",
    "EMBEDDED_CREATE_NODES",
    "EMBEDDED_CREATE_RELS",
    "EMBEDDED_TYPES",
    "MERGE_NODES",
    "MERGE_RELS",
    "NEO4J_CLAIM_STORE",
    "NEO4J_COMPONENTS",
    "NEO4J_CONSTRAINTS",
    "NEO4J_CURRENT_USER",
    "NEO4J_DOCTOR",
    "NEO4J_ONLY",
    "NEO4J_READ_STORE_INFO",
    "NEO4J_SHOW_CONSTRAINTS",
    "NEO4J_SLOW_QUERY",
    "NEO4J_WRITE_STORE_INFO",
    "READ_NODES",
    "READ_RELS",
    "STORE_LABEL",
    "STORE_PROPERTIES",
    "Dialect",
    "embedded_copy",
    "neo4j_statements",
    "schema_ddl",
    "shared_statements",
]


class Dialect(StrEnum):
    """The two Cypher dialects the project speaks."""

    EMBEDDED = "embedded"  # ladybug, in the Kùzu family
    NEO4J = "neo4j"


def _lit(text: str) -> LiteralString:
    # Labels and types interpolated below come from the model's enums (a closed set of
    # identifiers), never from input: the result is as safe as a literal.
    return cast(LiteralString, text)  # type: ignore[redundant-cast]


#: The label of the one node holding the Neo4j store's info (version, counts, ...).
STORE_LABEL: LiteralString = "GcxStore"
#: The properties of that node.
STORE_PROPERTIES = ("id", "version", "loaded_at", "counts", "meta")

# -- shared by both dialects ------------------------------------------------------------

#: Count the nodes of one label.
COUNT_NODES: dict[NodeKind, LiteralString] = {
    kind: _lit(f"MATCH (n:{kind.value}) RETURN count(n) AS n") for kind in NodeKind
}

#: Count the relationships of one type.
COUNT_RELS: dict[RelType, LiteralString] = {
    rtype: _lit(f"MATCH ()-[r:{rtype.value}]->() RETURN count(r) AS n") for rtype in RelType
}

#: All nodes of one label, whole (the snapshot's node read).
READ_NODES: dict[NodeKind, LiteralString] = {
    kind: _lit(f"MATCH (n:{kind.value}) RETURN n") for kind in NodeKind
}

#: All relationships of one type with their end ids (the snapshot's relationship read).
READ_RELS: dict[RelType, LiteralString] = {
    rtype: _lit(f"MATCH (a)-[r:{rtype.value}]->(b) RETURN a.id AS source, b.id AS target, r")
    for rtype in RelType
}

#: Delete every node of one label with its relationships (a load's first step).
DELETE_NODES: dict[NodeKind, LiteralString] = {
    kind: _lit(f"MATCH (n:{kind.value}) DETACH DELETE n") for kind in NodeKind
}


def _merge_nodes(kind: NodeKind) -> LiteralString:
    sets = ", ".join(f"n.{p} = r.{p}" for p in NODE_KINDS[kind].property_names if p != "id")
    return _lit(f"UNWIND $rows AS r MERGE (n:{kind.value} {{id: r.id}}) SET {sets}")


def _merge_rels(rtype: RelType, a: NodeKind, b: NodeKind) -> LiteralString:
    sets = ", ".join(f"x.{p.name} = r.{p.name}" for p in REL_PROPERTIES)
    return _lit(
        # Two MATCH clauses, not one with two comma-separated patterns: the same two
        # index lookups, without Neo4j's "disconnected patterns" (cartesian) warning.
        f"UNWIND $rows AS r MATCH (a:{a.value} {{id: r.source}}) "
        f"MATCH (b:{b.value} {{id: r.target}}) MERGE (a)-[x:{rtype.value}]->(b) SET {sets}"
    )


#: Batched upsert of one label's nodes: ``$rows`` is a list of property maps.
MERGE_NODES: dict[NodeKind, LiteralString] = {kind: _merge_nodes(kind) for kind in NodeKind}

#: Batched upsert of one relationship type between two labels: ``$rows`` holds
#: ``source``, ``target`` and the relationship properties.
MERGE_RELS: dict[tuple[RelType, NodeKind, NodeKind], LiteralString] = {
    (rtype, a, b): _merge_rels(rtype, a, b)
    for rtype, spec in REL_TYPES.items()
    for a, b in spec.ends
}

# -- Neo4j only ---------------------------------------------------------------------------

#: One uniqueness constraint on ``id`` per label (the embedded schema has primary keys).
NEO4J_CONSTRAINTS: dict[str, LiteralString] = {
    label: _lit(
        f"CREATE CONSTRAINT gcx_{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    )
    for label in [*(k.value for k in NodeKind), STORE_LABEL]
}

#: Write the store info on its one node, in the load's transaction (``$counts`` and
#: ``$meta`` are JSON text: Neo4j properties cannot hold maps).
NEO4J_WRITE_STORE_INFO: LiteralString = (
    "MERGE (s:GcxStore {id: 'store'}) "
    "SET s.version = $version, s.loaded_at = $loaded_at, "
    "s.counts = $counts, s.meta = $meta"
)

#: Read the store info (no row: nothing loaded yet).
NEO4J_READ_STORE_INFO: LiteralString = (
    "MATCH (s:GcxStore {id: 'store'}) "
    "RETURN s.version AS version, s.loaded_at AS loaded_at, s.counts AS counts, s.meta AS meta"
)

#: Claim an empty database for ``gcx load --if-empty``, in the load's transaction: the
#: MERGE takes the store node's constraint lock; a non-null version means a graph is there.
NEO4J_CLAIM_STORE: LiteralString = "MERGE (s:GcxStore {id: 'store'}) RETURN s.version AS version"

#: Every statement only the Neo4j store sends (the rest is shared and runs on both).
NEO4J_ONLY: tuple[LiteralString, ...] = (
    *NEO4J_CONSTRAINTS.values(),
    NEO4J_WRITE_STORE_INFO,
    NEO4J_READ_STORE_INFO,
    NEO4J_CLAIM_STORE,
)


def shared_statements() -> list[LiteralString]:
    """Every statement whose same text runs on both dialects (the suite runs them embedded).

    >>> len(shared_statements()) > len(NodeKind) * 4
    True
    """
    return [
        *COUNT_NODES.values(),
        *COUNT_RELS.values(),
        *READ_NODES.values(),
        *READ_RELS.values(),
        *DELETE_NODES.values(),
        *MERGE_NODES.values(),
        *MERGE_RELS.values(),
    ]


# -- Neo4j only, for `gcx doctor` (the first-contact checklist) ----------------------------

#: The server's name, version and edition.
NEO4J_COMPONENTS: LiteralString = (
    "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
)

#: The database's constraints.
NEO4J_SHOW_CONSTRAINTS: LiteralString = (
    "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
    "RETURN name, type, labelsOrTypes, properties"
)

#: Who the store logs in as, and with which roles (no roles on Community).
NEO4J_CURRENT_USER: LiteralString = "SHOW CURRENT USER YIELD user, roles RETURN user, roles"

#: A console query that runs for many seconds unless its time limit stops it.
NEO4J_SLOW_QUERY: LiteralString = (
    "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*) AS n"
)

#: Every statement `gcx doctor` sends.
NEO4J_DOCTOR: tuple[LiteralString, ...] = (
    NEO4J_COMPONENTS,
    NEO4J_SHOW_CONSTRAINTS,
    NEO4J_CURRENT_USER,
    NEO4J_SLOW_QUERY,
)


def neo4j_statements() -> list[LiteralString]:
    """Every statement the Neo4j store can send, other than a console query.

    The suite checks each with Neo4j's own parser and semantic analysis
    (``tests/test_cypher_lint.py``), and that the store sends no other Cypher.

    >>> set(shared_statements()) < set(neo4j_statements())
    True
    """
    return [*shared_statements(), *NEO4J_ONLY, *NEO4J_DOCTOR]


# -- embedded only (the Kùzu dialect) ------------------------------------------------------

#: The embedded engine's column type of each property type.
EMBEDDED_TYPES: dict[PropType, LiteralString] = {
    PropType.STRING: "STRING",
    PropType.BOOL: "BOOLEAN",
    PropType.INT: "INT64",
    PropType.DOUBLE: "DOUBLE",
    PropType.STRING_LIST: "STRING[]",
}


def schema_ddl() -> list[LiteralString]:
    """The embedded schema: one ``CREATE NODE TABLE`` per kind, then one ``CREATE REL
    TABLE`` per relationship type (the engine needs a schema; Neo4j does not).

    >>> schema_ddl()[0].startswith("CREATE NODE TABLE Theme(id STRING PRIMARY KEY")
    True
    """
    out = []
    for spec in NODE_KINDS.values():
        cols = ", ".join(
            f"{p.name} {EMBEDDED_TYPES[p.type]}" + (" PRIMARY KEY" if p.name == "id" else "")
            for p in spec.properties
        )
        out.append(_lit(f"CREATE NODE TABLE {spec.kind.value}({cols})"))
    rel_cols = ", ".join(f"{p.name} {EMBEDDED_TYPES[p.type]}" for p in REL_PROPERTIES)
    for rspec in REL_TYPES.values():
        ends = ", ".join(f"FROM {a.value} TO {b.value}" for a, b in rspec.ends)
        out.append(_lit(f"CREATE REL TABLE {rspec.type.value}({ends}, {rel_cols})"))
    return out


def _casts(props: Sequence[Property]) -> str:
    return ", ".join(f"{p.name}: CAST(r.{p.name} AS {EMBEDDED_TYPES[p.type]})" for p in props)


#: Batched insert of one label's nodes into a fresh generation, each value cast to its
#: column type (``$rows``: property maps). The bulk path uses :func:`embedded_copy`.
EMBEDDED_CREATE_NODES: dict[NodeKind, LiteralString] = {
    kind: _lit(
        f"UNWIND $rows AS r CREATE (:{kind.value} {{{_casts(NODE_KINDS[kind].properties)}}})"
    )
    for kind in NodeKind
}

#: Batched insert of one relationship type between two labels (``$rows``: ``source``,
#: ``target`` and the relationship properties).
EMBEDDED_CREATE_RELS: dict[tuple[RelType, NodeKind, NodeKind], LiteralString] = {
    (rtype, a, b): _lit(
        f"UNWIND $rows AS r MATCH (a:{a.value} {{id: r.source}}), (b:{b.value} {{id: r.target}}) "
        f"CREATE (a)-[:{rtype.value} {{{_casts(REL_PROPERTIES)}}}]->(b)"
    )
    for rtype, spec in REL_TYPES.items()
    for a, b in spec.ends
}


def embedded_copy(
    table: str,
    columns: Sequence[Property],
    staging: Path,
    ends: tuple[NodeKind, NodeKind] | None = None,
    separator: str = "\x1f",
) -> LiteralString:
    """``COPY`` one table (or one (from, to) pair of a relationship table) from a typed
    scan of a staging CSV the store wrote; list cells are split on ``separator`` (one
    character, written as a Unicode escape: the statement takes no parameters, so that
    several can run as one query).

    ``table`` is a model label or type and ``staging`` a path the store made, never
    request text (a ``COPY`` source cannot be a parameter).
    """
    (code,) = map(ord, separator)
    sep = f"'\\u{code:04x}'"
    scan = ", ".join(
        f"c{i} {'STRING' if p.type is PropType.STRING_LIST else EMBEDDED_TYPES[p.type]}"
        for i, p in enumerate(columns)
    )
    picks = ", ".join(
        f"CASE WHEN c{i} IS NULL THEN NULL ELSE string_split(c{i}, {sep}) END"
        if p.type is PropType.STRING_LIST
        else f"c{i}"
        for i, p in enumerate(columns)
    )
    pair = f" (from='{ends[0].value}', to='{ends[1].value}')" if ends else ""
    return _lit(
        f"COPY {table} FROM (LOAD WITH HEADERS ({scan}) FROM '{staging}' "
        "(header=true, parallel=false, delim=',', quote='\"', escape='\"') "
        f"RETURN {picks}){pair}"
    )
