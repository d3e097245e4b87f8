"""Neo4j-style read queries with answers computed independently over the snapshot.

``corpus.CORPUS`` holds the queries; ``oracle`` the small pattern matcher (Neo4j's rules:
a relationship is used at most once per MATCH) the expected answers are computed with.
"""
