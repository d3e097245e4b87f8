"""Where the graph lives: the store interface, its two backends and the Cypher they send.

- ``base``: the ``Store`` interface (public methods check, per-backend hooks work).
- ``embedded``: the embedded graph database file (the default; no server).
- ``neo4j_store``: Neo4j through the official driver (production).
- ``cypher``: the Cypher text the backends send.

Which backend to open is chosen in ``graph.backends`` (above both, so nothing here
imports a backend).
"""

from graph.store.base import QueryResult, Store, StoreInfo

__all__ = ["QueryResult", "Store", "StoreInfo"]
