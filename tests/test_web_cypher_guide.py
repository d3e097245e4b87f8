"""The guide "Cypher here and in Neo4j" served at /query/cypher, and the API's rewritten_from."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from graph.console.compat.refusal import ANCHORS
from web.cypher_guide import GUIDE


def test_the_guide_is_served_from_the_one_markdown_file(client: FlaskClient) -> None:
    response = client.get("/query/cypher")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    headings = re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), re.MULTILINE)
    for heading in headings:
        assert f'<h2 id="{"-".join(heading.lower().split())}">' in page
    assert "<table>" in page and "labels(n)" in page


def test_every_section_a_message_points_to_exists() -> None:
    headings = {h.lower() for h in re.findall(r"^## (\w+)$", GUIDE.read_text(), re.MULTILINE)}
    assert headings >= ANCHORS, ANCHORS - headings


def test_the_api_answer_says_when_a_query_was_rewritten(client: FlaskClient) -> None:
    plain = client.post("/api/query", json={"query": "MATCH (t:Theme) RETURN t.name"})
    assert plain.get_json()["rewritten_from"] is None
    query = "MATCH (t:Theme) RETURN substring(t.name, 0, 3) AS s ORDER BY s LIMIT 1"
    answer = client.post("/api/query", json={"query": query}).get_json()
    assert answer["rewritten_from"] == query
    assert answer["rows"] == [["Ele"]]


def test_the_console_page_notes_a_rewrite(client: FlaskClient) -> None:
    page = client.get("/query", query_string={"q": "MATCH (t:Theme) RETURN labels(t) LIMIT 1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'data-role="rewritten"(?! hidden)>', html)
