"""Search to graph: typos and initials find names, and every result leads into the graph."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from graph.store.base import Store
from graph.views import search

NMSI = "national-math-and-science-initiative"


def test_a_typo_finds_battelle_and_initials_find_nmsi(shared_store: Store) -> None:
    g = shared_store.snapshot()
    assert [h.id for h in search(g, "Batelle")["Partner"]] == ["battelle"]
    hits = search(g, "NMSI")["Partner"]
    assert hits[0].id == NMSI and hits[0].field == "initials"
    # exact words still rank before close spellings and initials
    math = search(g, "math")["Partner"]
    assert math[0].score < 4


def test_the_search_page_and_api_answer_typos_and_initials(client: FlaskClient) -> None:
    html = client.get("/search?q=Batelle").get_data(as_text=True)
    assert ">Battelle</a>" in html and "a close spelling" in html
    html = client.get("/search?q=NMSI").get_data(as_text=True)
    assert "National Math and Science Initiative</a>" in html and "its initials: NMSI" in html
    body = client.get("/api/search?q=Batelle").get_json()
    assert body["groups"][0]["hits"][0]["id"] == "battelle"
    assert client.get("/api/search?q=zzzzqqqq").get_json()["total"] == 0


def test_every_search_result_and_list_row_has_show_in_graph(client: FlaskClient) -> None:
    for url, rows in [
        ("/search?q=math", r"<li><a href=\"/"),
        ("/challenges", r"<tr><td><a href=\"/challenges/"),
        ("/partners", r"<tr><td><a href=\"/partners/"),
    ]:
        html = client.get(url).get_data(as_text=True)
        html = html[html.index("<main") :]  # not the site's navigation
        count = len(re.findall(rows, html))
        links = re.findall(r'class="show-in-graph" href="/explore\?center=([^"&]+)"', html)
        assert count > 0 and len(links) == count, url


def test_explore_opens_on_a_guided_start_and_all_draws_the_whole_graph(
    client: FlaskClient,
) -> None:
    html = client.get("/explore").get_data(as_text=True)
    assert "Where to start" in html and "data-graph" not in html
    assert 'href="/explore?all=1"' in html
    assert html.count('class="start-theme"') >= 5
    whole = client.get("/explore?all=1").get_data(as_text=True)
    assert "data-graph" in whole and 'name="all" value="1"' in whole
