"""The read-only Cypher console: the safety check, the sandboxed workers and canned queries."""
