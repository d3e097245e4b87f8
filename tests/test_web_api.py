"""The JSON API: stable names, the data the pages show, bounds at the edge, OpenAPI."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from graph import addressing
from graph.analyses.addressing import ROLES, VIA_WORDS
from graph.settings import LIMITS
from graph.store.base import Store
from graph.views import KINDS
from web.render import node_linker, node_url

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"


def test_stats_has_counts_version_and_the_coverage_line(client: FlaskClient) -> None:
    body = client.get("/api/stats").get_json()
    assert body["counts"]["Challenge"] == 27 and body["counts"]["Partner"] == 192
    assert body["coverage"]["map_total"] == 104
    assert body["coverage"]["line"].startswith("27 of the map's 104 challenges")
    assert body["version"] and body["catalysts"]
    assert body["addressing"]["partners"] >= 140
    assert body["addressing"]["links"]["curated"] > 0


def test_themes_lists_seven_with_counts_and_links(client: FlaskClient) -> None:
    themes = client.get("/api/themes").get_json()["themes"]
    assert len(themes) == 7
    assert all(t["url"].startswith("/themes/") and "challenges" in t for t in themes)
    one = client.get(f"/api/themes/{themes[0]['id']}").get_json()
    assert len(one["challenges"]) == themes[0]["challenges"]


def test_challenges_lists_every_challenge_with_its_partner_count(
    client: FlaskClient, shared_store: Store
) -> None:
    body = client.get("/api/challenges").get_json()
    assert len(body["challenges"]) == 27
    assert "104" in body["coverage"]
    collab = next(c for c in body["challenges"] if c["id"] == COLLAB)
    on_it = len(addressing(shared_store.snapshot(), challenge=COLLAB))
    assert collab["catalyst"] is True and collab["partners"] == on_it > 0
    assert collab["url"] == f"/challenges/{COLLAB}"


def test_challenge_includes_its_addressing_partners_with_evidence(
    client: FlaskClient, shared_store: Store
) -> None:
    body = client.get(f"/api/challenges/{COLLAB}").get_json()
    g = shared_store.snapshot()
    assert {e["partner"]["id"] for e in body["addressed_by"]} == {
        a.partner for a in addressing(g, challenge=COLLAB)
    }
    path = body["addressed_by"][0]["paths"][0]
    assert path["via"] in VIA_WORDS and path["basis"] in ("stated", "inferred")
    assert path["role"] in ROLES and path["words"] == VIA_WORDS[path["via"]]
    stated = client.get(f"/api/challenges/{COLLAB}?inferred=0").get_json()
    assert all(e["basis"] == "stated" for e in stated["addressed_by"])


def test_partners_searches_filters_and_pages(client: FlaskClient, shared_store: Store) -> None:
    body = client.get("/api/partners?q=science&page=1&per_page=3").get_json()
    assert body["total"] >= 3 and len(body["partners"]) == 3
    assert all("science" in p["name"].lower() for p in body["partners"])
    assert body["query"]["q"] == "science"
    sector = client.get("/api/partners?sector=museum+or+science+centre").get_json()
    museums = [
        n
        for n, a in shared_store.snapshot().nodes(data=True)
        if a.get("sector") == "museum or science centre"
    ]
    assert sector["total"] == len(museums) >= 7
    assert body["facets"]["eras"]


def test_partner_has_commitments_teams_and_challenges(client: FlaskClient) -> None:
    body = client.get(f"/api/partners/{AIR}").get_json()
    assert body["partner"]["name"] == "American Institutes for Research"
    assert body["project_teams"] and body["addresses"]


def test_nodes_gives_any_node_with_its_relationships(client: FlaskClient) -> None:
    body = client.get("/api/nodes/keystone-1").get_json()
    assert body["node"]["kind"] == "Keystone" and body["relationships"]
    assert body["url"] == "/nodes/keystone-1"


def test_search_groups_hits_by_kind(client: FlaskClient) -> None:
    body = client.get("/api/search?q=math&limit=2").get_json()
    assert body["q"] == "math" and body["groups"]
    assert all(len(g["hits"]) <= 2 for g in body["groups"])
    hit = body["groups"][0]["hits"][0]
    assert set(hit) >= {"id", "kind", "name", "snippet", "url"}
    assert client.get("/api/search?q=").get_json()["groups"] == []


def test_subgraph_returns_vis_network_shape_with_truncated_flag(client: FlaskClient) -> None:
    body = client.get(f"/api/subgraph?center={COLLAB}&depth=1").get_json()
    assert body["truncated"] is False and body["shown"] == len(body["nodes"])
    node = body["nodes"][0]
    assert {"id", "label", "title", "x", "y", "color", "shape", "size", "url"} <= set(node)
    edge = body["edges"][0]
    assert {"from", "to", "arrows", "dashes", "title"} <= set(edge)
    capped = client.get(f"/api/subgraph?center={COLLAB}&depth=3&cap=4").get_json()
    assert capped["truncated"] is True and capped["shown"] == 4 and capped["total"] > 4


def test_subgraph_is_the_same_for_the_same_url(client: FlaskClient) -> None:
    url = f"/api/subgraph?center={COLLAB}&center={AIR}&depth=2&kinds=Partner,Challenge&inferred=0"
    assert client.get(url).get_json() == client.get(url).get_json()


def test_subgraph_accepts_repeated_and_comma_separated_kinds(client: FlaskClient) -> None:
    a = client.get(f"/api/subgraph?center={COLLAB}&kinds=Partner&kinds=Theme").get_json()
    b = client.get(f"/api/subgraph?center={COLLAB}&kinds=Theme,Partner").get_json()
    assert a == b


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/subgraph?depth=0", "depth must be between 1 and 3"),
        ("/api/subgraph?depth=4", "depth must be between 1 and 3"),
        ("/api/subgraph?depth=two", "depth must be a whole number"),
        (
            f"/api/subgraph?cap={LIMITS.subgraph_nodes + 1}",
            f"cap must be between 1 and {LIMITS.subgraph_nodes}",
        ),
        ("/api/subgraph?kinds=Planet", "kinds must be among"),
        ("/api/subgraph?inferred=maybe", "inferred must be 1 or 0"),
        ("/api/subgraph?depth=1&depth=2", "depth may be given once"),
        ("/api/partners?page=0", "page must be between 1 and 10000"),
        ("/api/partners?per_page=1000", "per_page must be between 1 and 100"),
        ("/api/partners?sort=random", "sort must be one of"),
        ("/api/partners?sector=Nowhere", "sector must be one of"),
        ("/api/partners?has_commitment=2", "has_commitment must be 1 or 0"),
        ("/api/search?q=" + "x" * 201, "q must be at most 200 characters"),
        ("/api/search?q=a&limit=0", "limit must be between 1 and 200"),
        ("/api/subgraph?" + "&".join(f"center=c{i}" for i in range(21)), "at most 20 values"),
    ],
)
def test_query_values_are_bounded_at_the_edge(client: FlaskClient, url: str, words: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert words in response.get_json()["error"]["message"]


def test_default_cap_is_used_around_centres(client: FlaskClient) -> None:
    body = client.get(f"/api/subgraph?center={COLLAB}&depth=3").get_json()
    assert body["shown"] <= LIMITS.subgraph_default_nodes


def test_openapi_documents_every_api_route_and_only_those(app: Flask, client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert set(doc["paths"]) == routes
    params = {p["name"] for p in doc["paths"]["/api/subgraph"]["get"]["parameters"]}
    assert params == {"center", "depth", "kinds", "inferred", "cap", "evidence", "format"}
    params = {p["name"] for p in doc["paths"]["/api/partners"]["get"]["parameters"]}
    assert {"q", "sector", "page"} <= params


def test_api_responses_are_json_with_safety_headers(client: FlaskClient) -> None:
    response = client.get("/api/stats")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_node_links_are_the_routes_urls_for_every_node(app: Flask, shared_store: Store) -> None:
    # node_url builds each kind's route once per request and appends plain ids: every
    # link must equal url_for's own, under a mount point too, and for ids that need quoting
    g = shared_store.snapshot()
    odd = [("Partner", "a:b"), ("Commitment", "x~y"), ("Theme", "_"), ("Partner", "é / ?")]
    for base in ("http://localhost/", "http://localhost/mounted/"):
        with app.test_request_context("/", base_url=base):
            link = node_linker()
            for kind, node_id in [(k, n) for n, k in g.nodes(data="kind")] + odd:
                area = KINDS[kind].area
                expected = url_for(f"{area}.show", node_id=node_id)
                assert link(kind, node_id) == node_url(kind, node_id) == expected
                assert expected.startswith(base.removeprefix("http://localhost"))
