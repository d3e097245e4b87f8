"""The engine's errors as plain sentences: what went wrong, the fix, and where to read more.

The engine reports a parser position (``Invalid input <MATCH (n) WHERE n:>``) or a binder
message (``Variable r is not in scope``) that says little to someone who writes Neo4j's
Cypher. :func:`explain` keeps the engine's own words at the end, for the record.
"""

from __future__ import annotations

import re

from graph.console.compat.refusal import teach

__all__ = ["explain"]

_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p, re.IGNORECASE | re.DOTALL), text, anchor)
    for p, text, anchor in (
        (r"function (\w+) does not exist",
         "the function {0}() does not exist in the embedded database; the list of "
         "Neo4j functions and their forms here is in the guide", "functions"),
        (r"Variable (\w+) is not in scope",
         "{0} is not defined at this point of the query: carry it with WITH, or check the "
         "spelling", "clauses"),
        (r"Table (\w+) does not exist",
         "there is no node label or relationship type {0}: the schema's labels are "
         "listed in docs/schema.md", "schema"),
        (r"Cannot find property (\w+) for (\w+)",
         "{1} has no property {0} here: the properties of each label are in "
         "docs/schema.md", "schema"),
        (r"data type DATE but .* was expected",
         "a date has no properties here (Neo4j's d.year accessor): use "
         "date_part('year', d)", "functions"),
        (r"index=(-?\d+) is out of range|List extract takes 1-based",
         "the list index is outside the list (Neo4j answers null here; the embedded "
         "database stops): check size(list) first", "lists"),
        (r"Divide by zero|Modulo by zero", "division by zero", "numbers"),
        (r"vector with ANY type|type_utils\.h.*UNREACHABLE",
         "an empty list (such as an empty list parameter) has no element type in the "
         "embedded database, so list functions cannot run on it: test size() first or "
         "pass a non-empty list", "lists"),
        (r"Cannot match a built-in function for given function \+\((\w+),(\w+)\)",
         "+ cannot join {0} and {1} here (Neo4j turns numbers into text with +): "
         "use cast(x AS STRING) and a text + text", "strings"),
        (r"Upper bound of rel .* exceeds maximum: (\d+)",
         "a variable-length relationship may span at most {0} hops here: lower the "
         "upper bound", "patterns"),
        (r"Parser exception: (.*?)\(line: (\d+), offset: (\d+)\)",
         "the embedded database cannot read the query at line {1}, character {2}: {0}; "
         "the guide lists what Neo4j Cypher it does not read", "refused"),
        (r"Binder exception: (.*)",
         "the query does not fit the graph or the dialect: {0}", "clauses"),
        (r"Conversion exception: (.*)", "a value could not be converted: {0}", "functions"),
        (r"Runtime exception: (.*)", "the query failed while running: {0}", "clauses"),
    )
)  # fmt: skip


def explain(message: str) -> str:
    """A plain message for the engine error ``message``, with the fix and the guide.

    >>> explain("Catalog exception: function TOINTEGER does not exist.")[:60]
    'the function TOINTEGER() does not exist in the embedded data'
    """
    first = message.strip().splitlines()[0] if message.strip() else message
    for pattern, text, anchor in _RULES:
        m = pattern.search(message)
        if m:
            groups = [g.strip() if g else "" for g in m.groups()]
            plain = text.format(*groups)
            if "Parser exception" in first or "Binder" in first:
                return teach(plain, anchor)
            return teach(f"{plain} [{first}]", anchor)
    return teach(message.strip(), "clauses")
