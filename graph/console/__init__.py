"""The read-only Cypher console: the safety check, the sandboxed workers and canned queries.

Front ends read console results through the names re-exported here (the result shape of
:mod:`graph.console.results`).
"""

from graph.console.results import cell_text, is_node, is_relationship, walk

__all__ = ["cell_text", "is_node", "is_relationship", "walk"]
