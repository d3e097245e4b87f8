"""The one kind table: each kind's page, words and style, as graph, web and scripts see them."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from graph import LIMITS, NodeKind
from graph.views import KINDS, client_config, kind_label, legend, of_kind
from web.render import node_url


def test_every_model_kind_has_one_line_in_the_table() -> None:
    assert list(KINDS) == [k.value for k in NodeKind]


def test_each_kinds_url_pattern_is_the_route_web_serves(app: Flask) -> None:
    with app.test_request_context():
        for kind, style in KINDS.items():
            assert node_url(kind, "some-id") == style.url_pattern.replace("{id}", "some-id")


def test_every_node_page_answers_at_its_kinds_url(client: FlaskClient, app: Flask) -> None:
    g = app.config["GCX_STORE"].snapshot()
    for kind, style in KINDS.items():
        ids = of_kind(g, NodeKind(kind))
        if not ids:
            continue
        url = style.url_pattern.replace("{id}", ids[0])
        assert client.get(url).status_code == 200, url


def test_pages_hand_the_scripts_the_kind_table_and_the_limits(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="gcx-config">(.*?)</script>', html)
    assert found is not None
    config = json.loads(found.group(1))
    assert config == client_config()
    assert config["limits"]["subgraph_nodes"] == LIMITS.subgraph_nodes
    assert config["kinds"]["FocusArea"]["label"] == kind_label("FocusArea") == "Focus area"


def test_the_legend_takes_its_colours_and_shapes_from_the_table(app: Flask) -> None:
    g = app.config["GCX_STORE"].snapshot()
    for item in legend(g)["kinds"]:
        style = KINDS[item["kind"]]
        assert (item["colour"], item["shape"]) == (style.colour, style.shape)


def test_search_page_and_api_share_their_default_limit(client: FlaskClient) -> None:
    api = client.get("/api/search?q=a").get_json()
    biggest = max(len(group["hits"]) for group in api["groups"])
    assert biggest == LIMITS.search_hits
    html = client.get("/search?q=a").get_data(as_text=True)
    assert f"the first {LIMITS.search_hits})" in html


def test_challenges_page_and_api_list_the_same_rows(client: FlaskClient) -> None:
    api = client.get("/api/challenges?catalyst=1").get_json()["challenges"]
    html = client.get("/challenges?catalyst=1").get_data(as_text=True)
    assert api and all(c["catalyst"] for c in api)
    positions = [html.index(f'href="{c["url"]}"') for c in api]
    assert positions == sorted(positions)
