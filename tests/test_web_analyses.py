"""The analyses on the web: collaborators, covers, gaps, the matrix, the chart, downloads.

Every route is checked with the Flask test client over real embedded stores: the bundled
data (rankings equal the ``graph`` functions' own), and a copy with a partner named like
HTML, a partner named like a spreadsheet formula, and one inferred commitment link (to
see stated and inferred told apart, text escaped, and CSV cells neutralised).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import networkx as nx
import pytest
from flask.testing import FlaskClient

from graph import collaborators, cover, gaps, theme_sector_matrix
from graph.analyses.nearby import nearby
from graph.backends import open_store
from graph.data import GraphData
from graph.settings import BUNDLED_DATASET, Settings
from graph.store.base import Store
from loaders import read_dataset
from tests.test_web_pages import TEAM, XSS, add_xss_partner
from web import create_app
from web.headers import CSP

AIR = "american-institutes-for-research"
COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
STATE = "catalyst-state-course-requirements-for-stem-in-high-schools"
UNWORKED = "the-number-of-states-that-track-pk-12-stem-teacher-supply-and-demand"
FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'
FORMULA_PROPS = {
    "name": FORMULA_NAME,
    "sector": "-Sector",
    "location": "@Town",
    "description": "+1+1",
}


# --- fixtures ---------------------------------------------------------------------------


def add_formula_partner(folder: Path) -> None:
    """A partner reaching STATE only through an inferred commitment link."""
    with (folder / "partners.csv").open("a", encoding="utf-8") as f:
        f.write("formula-partner,Formula Partner,,,,,,,false,,https://example.org/formula\n")
    with (folder / "commitments.csv").open("a", encoding="utf-8") as f:
        f.write(
            "commitment-formula-1,Formula,,We will work on course requirements.,Beyond100K,,,,"
            "https://example.org/formula\n"
        )
    with (folder / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write(f"MEMBER_OF,formula-partner,{TEAM},stated,https://example.org/formula,,,,\n")
        f.write("MADE,formula-partner,commitment-formula-1,stated,https://example.org/f,,,,\n")
        f.write(f"ADDRESSES,commitment-formula-1,{STATE},inferred,,tf-idf (test),,0.5,\n")


def with_formula_text(data: GraphData) -> GraphData:
    """The formula partner's text as a spreadsheet would run it.

    The loader refuses such text in the CSV files, so it is put straight into the graph
    data: the export must neutralise it whatever route the data took (a Neo4j database
    filled by other tools, say).
    """
    nodes = [
        dataclasses.replace(n, props={**n.props, **FORMULA_PROPS})
        if n.id == "formula-partner"
        else n
        for n in data.nodes
    ]
    return dataclasses.replace(data, nodes=nodes)


@pytest.fixture(scope="module")
def odd_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled data plus an HTML-named partner and a formula-named one (inferred link)."""
    root = tmp_path_factory.mktemp("odd")
    folder = root / "dataset"
    shutil.copytree(BUNDLED_DATASET, folder)
    add_xss_partner(folder)
    add_formula_partner(folder)
    store = open_store(Settings(db_path=root / "odd.lbug"))
    store.replace(with_formula_text(read_dataset(folder)))
    yield store
    store.close()


@pytest.fixture(scope="module")
def odd(odd_store: Store) -> FlaskClient:
    return create_app({"GCX_STORE": odd_store, "TESTING": True}).test_client()


class _Page(HTMLParser):
    """Scripts, inline handlers and styles, and elements with a data-id / data-partner."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.ids: list[str] = []
        self.partners: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
        self.inline += [f"{tag} {n}" for n, _ in attrs if n.startswith("on") or n == "style"]
        if tag == "tr" and a.get("data-id"):
            self.ids.append(str(a["data-id"]))
        if a.get("data-partner"):
            self.partners.append(str(a["data-partner"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def section(html: str, marker: str) -> str:
    """The HTML from ``marker`` to the end of its <section>."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


# --- pages: safe and complete -------------------------------------------------------------

PAGES = [
    "/gaps",
    "/gaps?theme=theme-prestige&inferred=0",
    "/gaps/cell?theme=theme-prestige&sector=Unknown",
    "/gaps/cell?theme=no-theme&sector=Unknown",
    "/collaborators",
    f"/collaborators?partner={AIR}",
    f"/collaborators?challenge={STATE}&challenge={COLLAB}&inferred=0",
    f"/partners/{AIR}?inferred=0",
]


@pytest.mark.parametrize("url", PAGES)
def test_analysis_pages_render_under_the_strict_csp_with_no_inline_script_or_style(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Security-Policy"] == CSP
    page = parse(response.get_data(as_text=True))
    assert all(s.get("src") or s.get("type") == "application/json" for s in page.scripts)
    assert page.inline == []
    assert "compiled from the public pages" in response.get_data(as_text=True)  # the footer


def test_nav_links_to_gaps_and_collaborators(client: FlaskClient) -> None:
    nav = client.get("/").get_data(as_text=True).split('<nav aria-label="Main">')[1]
    nav = nav.split("</nav>")[0]
    assert 'href="/gaps"' in nav and ">Gaps<" in nav
    assert 'href="/collaborators"' in nav and ">Collaborators<" in nav


# --- collaborators --------------------------------------------------------------------------


def test_collaborators_api_ranks_as_the_graph_function_does(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    for inferred in (True, False):
        expected = collaborators(g, AIR, include_inferred=inferred, limit=20)
        body = client.get(f"/api/partners/{AIR}/collaborators?inferred={int(inferred)}").get_json()
        assert body["include_inferred"] is inferred and body["limit"] == 20
        assert [c["partner"] for c in body["collaborators"]] == [c.partner for c in expected]
        assert [c["why"] for c in body["collaborators"]] == [c.why for c in expected]
    first = body["collaborators"][0]
    assert first["url"] == f"/partners/{first['partner']}"
    assert first["tier"] == "team" and first["basis"] == "stated"  # a team-mate first
    assert first["shared"][0]["kind"] == "team"
    path = first["shared"][0]["theirs"][0]
    assert path["basis"] == "stated" and path["nodes"][0] == first["partner"]


def test_collaborators_api_limit_is_bounded_and_respected(client: FlaskClient) -> None:
    assert (
        len(client.get(f"/api/partners/{AIR}/collaborators?limit=3").get_json()["collaborators"])
        == 3
    )
    many = client.get(f"/api/partners/{AIR}/collaborators?limit=100").get_json()
    assert 20 < len(many["collaborators"]) <= 100
    for bad in ("0", "101", "x"):
        response = client.get(f"/api/partners/{AIR}/collaborators?limit={bad}")
        assert response.status_code == 400
        assert "limit" in response.get_json()["error"]["message"]


def test_collaborators_page_lists_ranked_partners_with_why_evidence_and_basis(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    expected = collaborators(g, AIR, limit=5)
    html = client.get(f"/collaborators?partner={AIR}&limit=5").get_data(as_text=True)
    ranked = section(html, 'data-role="ranked"')
    assert parse(ranked).partners == [c.partner for c in expected]
    assert escape(expected[0].why) in ranked  # the why sentence
    assert "is on your project team" in expected[0].why
    n = len(expected[0].shared)
    assert f"Evidence: {n} thing{'s' if n != 1 else ''} in common" in ranked
    # each step of a path in words, not the relationship's type
    assert "through a project team" in ranked and "→ is a member of →" in ranked
    assert "MEMBER_OF" not in ranked
    assert 'class="basis basis-stated"' in ranked
    assert 'value="American Institutes for Research"' in html  # the form keeps the partner


def test_find_resolves_a_typed_partner_name_and_keeps_the_other_choices(
    client: FlaskClient,
) -> None:
    response = client.get(
        f"/collaborators?find=american+institutes+for+research&challenge={STATE}&inferred=0"
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {"partner": [AIR], "challenge": [STATE], "inferred": ["0"]}
    assert (
        client.get("/collaborators?find=battelle").headers["Location"].endswith("partner=battelle")
    )


def test_challenge_form_works_without_script(client: FlaskClient) -> None:
    html = client.get(f"/collaborators?challenge={STATE}").get_data(as_text=True)
    start = html.index('<form class="collab-form"')
    form = html[start : html.index("</form>", start)]
    assert 'method="get"' in form and 'list="partner-names"' in form
    assert f'name="challenge" value="{STATE}" checked' in form
    assert form.count('type="checkbox" name="challenge"') == 27
    assert "<datalist" in html and 'value="Battelle"' in html


def test_cover_page_and_api_show_partners_on_each_and_the_approximate_cover(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    chosen = [STATE, COLLAB, UNWORKED]
    expected = cover(g, chosen)
    url = "/api/cover?" + "&".join(f"challenge={c}" for c in chosen)
    body = client.get(url).get_json()
    assert body["approximate"] is True and "Approximate" in body["note"]
    assert [p["partner"] for p in body["picks"]] == [p.partner for p in expected.picks]
    assert body["uncovered"] == [UNWORKED]
    assert {c: len(ps) for c, ps in body["on_each"].items()} == {
        c: len(ps) for c, ps in expected.on_each.items()
    }
    assert body["names"][STATE] and body["urls"][STATE] == f"/challenges/{STATE}"

    html = client.get(url.replace("/api/cover", "/collaborators")).get_data(as_text=True)
    part = html[html.index('data-role="cover"') : html.index("</main>")]
    assert "Approximate" in part and expected.note in part.replace("&#39;", "'")
    for pick in expected.picks:
        assert f'href="/partners/{pick.partner}"' in part
    assert "Nobody in the loaded data works on" in part
    assert part.count('class="on-challenge"') == 3


def test_cover_api_bounds_the_number_of_challenges(client: FlaskClient) -> None:
    url = "/api/cover?" + "&".join(f"challenge=c{i}" for i in range(105))
    response = client.get(url)
    assert response.status_code == 400
    assert "challenge" in response.get_json()["error"]["message"]


def test_partner_page_has_a_collaborators_section_that_can_drop_inferred_links(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    html = client.get(f"/partners/{AIR}").get_data(as_text=True)
    part = section(html, 'aria-labelledby="collab-h"')
    expected = [c.partner for c in collaborators(g, AIR, limit=10)]
    assert parse(part).partners == expected
    assert f'href="/collaborators?partner={AIR}"' in part
    assert f'href="/partners/{AIR}?inferred=0"' in part  # the stated-only switch
    stated = section(client.get(f"/partners/{AIR}?inferred=0").get_data(as_text=True), "collab-h")
    assert "<strong>stated links only</strong>" in stated


def test_stated_and_inferred_links_are_told_apart_and_can_be_left_out(odd: FlaskClient) -> None:
    # formula-partner reaches STATE only through an inferred ADDRESSES link
    both = odd.get("/api/cover?challenge=" + STATE).get_json()
    on = {p["partner"]: p["basis"] for p in both["on_each"][STATE]}
    assert on["formula-partner"] == "inferred" and "inferred" not in {
        b for p, b in on.items() if p != "formula-partner"
    }
    stated = odd.get(f"/api/cover?challenge={STATE}&inferred=0").get_json()
    assert "formula-partner" not in {p["partner"] for p in stated["on_each"][STATE]}

    row = {r["challenge"]: r for r in odd.get("/api/gaps").get_json()["ranked"]}[STATE]
    # stated: the focus area's funder; inferred: formula-partner
    assert row["partners"] == {"stated": 2, "inferred": 1, "total": 3}
    assert row["commitments"] == {"stated": 0, "inferred": 1, "total": 1}
    row0 = {r["challenge"]: r for r in odd.get("/api/gaps?inferred=0").get_json()["ranked"]}
    assert row0[STATE]["partners"]["total"] == 2

    html = odd.get("/gaps").get_data(as_text=True)
    assert "+1 inferred" in html
    assert "+1 inferred" not in odd.get("/gaps?inferred=0").get_data(as_text=True)
    page = odd.get(f"/collaborators?challenge={STATE}").get_data(as_text=True)
    entry = page[page.index('href="/partners/formula-partner"') :][:400]
    assert 'class="basis basis-inferred"' in entry


# --- gaps -----------------------------------------------------------------------------------


def test_gaps_api_ranks_as_the_graph_function_does(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    for query, theme, inferred in (
        ("", None, True),
        ("?inferred=0", None, False),
        ("?theme=theme-elementary-stem", "theme-elementary-stem", True),
    ):
        report = gaps(g, theme=theme, include_inferred=inferred, map_total=104)
        body = client.get("/api/gaps" + query).get_json()
        assert [r["challenge"] for r in body["ranked"]] == [r.challenge for r in report.ranked]
        assert body["crowded"] == [r.challenge for r in report.crowded]
        assert [r["gap_score"] for r in body["ranked"]] == [r.gap_score for r in report.ranked]
        assert body["theme"] == theme and body["include_inferred"] is inferred
    body = client.get("/api/gaps").get_json()
    assert body["ranked"][0]["gap_score"] == 3.0 and body["ranked"][0]["url"].startswith(
        "/challenges/"
    )
    assert body["weights"] == {"catalyst": 2.0, "keystone": 1.0, "influence": 2.0}
    assert "gap score = (1 + leverage) / (1 + partners)" in body["formula"]
    assert any("77 of the map's 104 challenges" in line for line in body["lacks"])
    assert any("influence ratings" in line.lower() for line in body["lacks"])


def test_gaps_api_matrix_has_the_partners_and_a_drill_down_url_per_cell(
    client: FlaskClient, shared_store: Store
) -> None:
    matrix = theme_sector_matrix(shared_store.snapshot())
    body = client.get("/api/gaps").get_json()["matrix"]
    assert body["sectors"] == list(matrix.sectors)
    for row in body["rows"]:
        for c in row["cells"]:
            assert [p["id"] for p in c["partners"]] == list(
                matrix.cells.get((row["theme"], c["sector"]), ())
            )
            assert c["url"].startswith("/gaps/cell?")


def test_gaps_page_shows_lacks_formula_chart_ranking_crowded_and_matrix(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    report = gaps(g, map_total=104)
    html = client.get("/gaps").get_data(as_text=True)
    lacks = section(html, 'aria-labelledby="lacks-h"')
    assert "77 of the map&#39;s 104 challenges" in lacks and "influence ratings" in lacks
    assert "gap score = (1 + leverage) / (1 + partners)" in html
    assert "leverage  = 2 \u00d7 catalyst + 1 \u00d7 keystone + 2 \u00d7 influence" in html
    assert "No influence ratings are loaded" in html
    chart = section(html, 'aria-labelledby="chart-h"')
    assert "<svg" in chart and "</svg>" in chart and "<script" not in chart
    assert f'href="/challenges/{STATE}"' in chart  # markers link to their challenge
    ranking = section(html, 'aria-labelledby="rank-h"')
    assert parse(ranking).ids == [r.challenge for r in report.ranked]
    # The ranking comes first, the formula after; every row opens who works nearby.
    assert html.index('id="rank-h"') < html.index('id="formula-h"')
    assert html.index('id="rank-h"') < html.index('id="lacks-h"')
    for r in report.ranked:
        assert f'href="/challenges/{r.challenge}?suggested=1#nearby"' in ranking
    tied = [r for r in report.ranked if r.tie]
    assert tied and tied[0].tie in ranking and "Ties:" in ranking
    crowded = section(html, 'aria-labelledby="crowded-h"')
    assert crowded.index(report.crowded[0].challenge) < crowded.index(report.crowded[1].challenge)
    matrix = section(html, 'aria-labelledby="matrix-h"')
    cells = [h for h in parse(matrix).links if h.startswith("/gaps/cell?")]
    expected = theme_sector_matrix(g)
    assert len(cells) == len([k for k, v in expected.cells.items() if v])


def test_a_challenge_page_says_who_works_nearby(client: FlaskClient, shared_store: Store) -> None:
    g = shared_store.snapshot()
    top = gaps(g).ranked[0]
    near = nearby(g, top.challenge)
    html = client.get(f"/challenges/{top.challenge}?suggested=1").get_data(as_text=True)
    part = section(html, 'aria-labelledby="nearby-h"')
    assert 'id="nearby"' in html
    assert f"On other challenges of the same theme ({len(near.siblings)})" in part
    assert f"On the theme as a whole ({len(near.theme_wide)})" in part
    assert f"Suggested by their commitments&#39; words ({len(near.suggested)})" in part
    assert near.siblings and f'href="/partners/{near.siblings[0].partner}"' in part
    # Without ?suggested=1 the page skips the suggestion model and offers it as a link.
    plain = section(
        client.get(f"/challenges/{top.challenge}").get_data(as_text=True),
        'aria-labelledby="nearby-h"',
    )
    assert "Suggested by" not in plain and 'data-role="suggested"' in plain


def test_every_matrix_cell_drills_down_to_exactly_its_partners(
    client: FlaskClient, shared_store: Store
) -> None:
    matrix = theme_sector_matrix(shared_store.snapshot())
    html = client.get("/gaps").get_data(as_text=True)
    cells = [h for h in parse(section(html, "matrix-h")).links if h.startswith("/gaps/cell?")]
    assert cells
    for href in cells:
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        theme = query["theme"][0]
        key = (None if theme == "no-theme" else theme, query["sector"][0])
        page = client.get(href.replace("&amp;", "&"))
        assert page.status_code == 200
        assert parse(page.get_data(as_text=True)).partners == list(matrix.cells[key]), href


def test_gaps_theme_filter_keeps_only_that_themes_challenges(client: FlaskClient) -> None:
    every = parse(client.get("/gaps").get_data(as_text=True)).ids
    some = parse(client.get("/gaps?theme=theme-prestige").get_data(as_text=True)).ids
    assert 0 < len(some) < len(every) and set(some) <= set(every)


def test_chart_svg_file_is_standalone_and_escaped(client: FlaskClient) -> None:
    response = client.get("/gaps/chart.svg?inferred=0")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    text = response.get_data(as_text=True)
    assert text.startswith("<svg") and "<script" not in text and "stated links only" in text


# --- downloads ------------------------------------------------------------------------------


def _subgraph_ids(client: FlaskClient, query: str) -> set[str]:
    return {n["id"] for n in client.get(f"/api/subgraph?{query}").get_json()["nodes"]}


@pytest.mark.parametrize(
    "query", [f"center={AIR}&depth=1&evidence=1", f"center={COLLAB}&depth=2&inferred=0"]
)
def test_subgraph_downloads_parse_back_with_networkx(client: FlaskClient, query: str) -> None:
    ids = _subgraph_ids(client, query)
    expected = {
        "graphml": ("application/graphml+xml", ".graphml"),
        "gexf": ("application/gexf+xml", ".gexf"),
        "csv": ("application/zip", ".zip"),
        "json": ("application/json", ".json"),
    }
    for fmt, (media, suffix) in expected.items():
        response = client.get(f"/api/subgraph?{query}&format={fmt}")
        assert response.status_code == 200 and response.mimetype == media, fmt
        disposition = response.headers["Content-Disposition"]
        assert re.fullmatch(
            r'attachment; filename="grand-challenges-[a-z0-9-]+' + suffix + '"', disposition
        )
        data = response.data
        if fmt == "graphml":
            g = nx.read_graphml(io.BytesIO(data))
        elif fmt == "gexf":
            g = nx.read_gexf(io.BytesIO(data))
        elif fmt == "json":
            g = nx.node_link_graph(json.loads(data), edges="edges")
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                nodes = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode())))
                edges = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode())))
            g = nx.MultiDiGraph()
            g.add_nodes_from(r["id"] for r in nodes)
            g.add_edges_from((r["source"], r["target"]) for r in edges)
        assert set(g.nodes) == ids, fmt
        assert g.number_of_edges() > 0, fmt
        if fmt in ("graphml", "gexf"):
            kinds = {d.get("kind") for _, d in g.nodes(data=True)}
            assert "Partner" in kinds or "Challenge" in kinds


def test_the_whole_graph_downloads_when_no_centre_is_given(client: FlaskClient) -> None:
    response = client.get("/api/subgraph?format=graphml")
    assert 'filename="grand-challenges-graph.graphml"' in response.headers["Content-Disposition"]
    g = nx.read_graphml(io.BytesIO(response.data))
    assert g.number_of_nodes() == len(_subgraph_ids(client, ""))


@pytest.mark.parametrize(
    "url", [f"/challenges/{COLLAB}", f"/partners/{AIR}", f"/explore?center={AIR}&depth=2"]
)
def test_graph_pages_offer_a_download_menu_whose_links_work(client: FlaskClient, url: str) -> None:
    html = client.get(url).get_data(as_text=True)
    menu = html[html.index('class="download-menu"') :]
    menu = menu[: menu.index("</details>")]
    assert 'data-action="png"' in menu and 'data-action="svg"' in menu
    assert "Interactive HTML file" in menu
    links = [h.replace("&amp;", "&") for h in parse(menu).links]
    by_format = {parse_qs(urlsplit(h).query).get("format", ["html"])[0]: h for h in links}
    assert set(by_format) == {"html", "graphml", "gexf", "csv", "json"}
    for fmt in ("graphml", "gexf", "csv", "json"):
        response = client.get(by_format[fmt])
        assert (
            response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        )


def test_csv_download_neutralises_formula_cells(odd: FlaskClient) -> None:
    response = odd.get("/api/subgraph?center=formula-partner&format=csv")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        nodes = {r["id"]: r for r in csv.DictReader(io.StringIO(zf.read("nodes.csv").decode()))}
    row = nodes["formula-partner"]
    assert row["name"] == "'" + FORMULA_NAME
    assert row["sector"] == "'-Sector" and row["location"] == "'@Town"
    assert row["description"] == "'+1+1"
    # GraphML keeps the text as it is: it is data, not a spreadsheet
    g = nx.read_graphml(
        io.BytesIO(odd.get("/api/subgraph?center=formula-partner&format=graphml").data)
    )
    assert g.nodes["formula-partner"]["name"] == FORMULA_NAME


# --- text stays text --------------------------------------------------------------------------


def test_a_partner_named_like_html_is_escaped_on_the_analysis_pages(odd: FlaskClient) -> None:
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    matrix = odd.get("/api/gaps").get_json()["matrix"]
    sector = "<script>alert(2)</script>"  # the XSS partner's sector is a matrix column
    assert sector in matrix["sectors"]
    cell = next(
        c["url"]
        for row in matrix["rows"]
        for c in row["cells"]
        if c["sector"] == sector and c["count"]
    )
    for url in [
        "/collaborators?partner=xss-partner",
        f"/collaborators?partner={AIR}&limit=100",
        f"/collaborators?challenge={COLLAB}",
        "/partners/xss-partner",
        "/gaps",
        cell,
    ]:
        response = odd.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert XSS not in html and "<script>alert" not in html, url
        assert escaped in html or "&lt;script&gt;alert(2)&lt;/script&gt;" in html, url
        assert parse(html).inline == [], url
    assert "xss-partner" in parse(odd.get(cell).get_data(as_text=True)).partners
    svg = odd.get("/gaps/chart.svg").get_data(as_text=True)
    assert "<script" not in svg
    api = odd.get(f"/api/partners/{AIR}/collaborators?limit=100").get_json()
    assert XSS in {c["name"] for c in api["collaborators"]}  # JSON carries the text as is
