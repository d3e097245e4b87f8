"""A query the layer will not run: which Neo4j construct, and the form that works here."""

from __future__ import annotations

from graph.errors import QueryRefused

__all__ = ["ANCHORS", "DOCS", "NotHere", "teach"]

#: Where the differences are listed (served from the console as ``/query/cypher``).
DOCS = "docs/cypher.md"


#: The guide's sections a message may point to (each a ``## Heading`` of docs/cypher.md).
ANCHORS = frozenset(
    {"patterns", "labels", "subqueries", "maps", "lists", "strings", "functions", "ordering",
     "numbers", "parameters", "clauses", "schema", "refused"}
)  # fmt: skip


def teach(message: str, anchor: str = "") -> str:
    """A message with the pointer to the page that lists every difference."""
    if anchor and anchor not in ANCHORS:
        raise ValueError(f"no section {anchor!r} in {DOCS}")
    where = f"{DOCS}#{anchor}" if anchor else DOCS
    return f"{message} (see 'Cypher here and in Neo4j', {where})"


class NotHere(QueryRefused):
    """Refused before running: the construct would not mean here what it means in Neo4j.

    >>> str(NotHere("reduce()", "write the sum with UNWIND and sum()"))[:60]
    "Neo4j's reduce() is not supported by the embedded database: "
    """

    def __init__(self, construct: str, fix: str, anchor: str = "refused") -> None:
        self.construct = construct
        self.fix = fix
        super().__init__(
            teach(f"Neo4j's {construct} is not supported by the embedded database: {fix}", anchor)
        )
