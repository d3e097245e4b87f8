"""The console's one result shape (graph/console/results.py): typed nodes, relationships
and paths, with no engine-internal key anywhere, through the store and the API."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from graph.console.results import cell_text, walk
from graph.store.base import Store


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        out = set(value)
        for v in value.values():
            out |= _keys(v)
        return out
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    return set()


def test_nodes_and_relationships_have_the_documented_shape(shared_store: Store) -> None:
    result = shared_store.query(
        "MATCH (c:Challenge)-[r:IN_THEME]->(t:Theme) RETURN c, r, t ORDER BY c.id LIMIT 3"
    )
    for c, r, t in result.rows:
        assert set(c) == {"type", "kind", "id", "properties"} and c["type"] == "node"
        assert c["kind"] == "Challenge" and isinstance(c["id"], str)
        assert set(r) == {"type", "rel_type", "source", "target", "properties"}
        assert (r["type"], r["rel_type"], r["source"], r["target"]) == (
            "relationship", "IN_THEME", c["id"], t["id"]
        )  # fmt: skip
        assert "basis" in r["properties"]
    assert not [k for k in _keys(result.rows) if k.startswith("_")]
    assert [cell["type"] for cell in walk(result.rows[0])] == ["node", "relationship", "node"]


def test_a_path_is_typed_and_its_text_names_its_nodes(shared_store: Store) -> None:
    result = shared_store.query(
        "MATCH p = (c:Challenge)-[:IN_THEME]->(t:Theme) RETURN p, t.name ORDER BY c.id LIMIT 1"
    )
    path, theme = result.rows[0]
    assert path["type"] == "path" and len(path["nodes"]) == 2 and len(path["relationships"]) == 1
    assert cell_text(path).endswith(f"Theme: {theme}")
    assert not [k for k in _keys(path) if k.startswith("_")]


def test_the_api_answers_no_engine_keys(client: FlaskClient) -> None:
    response = client.post(
        "/api/query", json={"query": "MATCH (a)-[r]->(b) RETURN a, r, b LIMIT 5"}
    )
    body = response.get_json()
    assert response.status_code == 200 and body["graph"]["edges"]
    assert not [k for k in _keys(body["rows"]) if k.startswith("_")]
