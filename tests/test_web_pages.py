"""The explorer's pages through Flask's test client, over real embedded stores."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from graph import addressing, addressing_stats, coverage
from graph.backends import open_store
from graph.settings import Settings
from graph.store.base import Store
from graph.views import KIND_ORDER
from loaders import load
from web import create_app
from web.headers import CSP

COLLAB = "the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"
AIR = "american-institutes-for-research"
XSS = "<img src=x onerror=alert(1)>"
TEAM = "team-measuring-positive-work-environment-and-culture-in-schools-2019"

PAGES = [
    "/",
    "/themes",
    "/themes/theme-professional-growth",
    "/challenges",
    "/challenges?theme=theme-professional-growth&catalyst=1",
    f"/challenges/{COLLAB}",
    "/partners",
    "/partners?q=science&sort=-challenges&per_page=5&page=2",
    f"/partners/{AIR}",
    "/explore",
    "/explore?all=1",
    f"/explore?center={COLLAB}&depth=2&kinds=Challenge,Partner&inferred=0",
    "/search?q=math",
    "/nodes/keystone-1",
    "/nodes/focus-area-work-environments-for-teachers",
    f"/nodes/{TEAM}",
]


def add_xss_partner(folder: Path) -> None:
    """Append a partner (and a commitment) whose text is HTML, linked into the graph."""
    with (folder / "partners.csv").open("a", encoding="utf-8") as f:
        f.write(
            f"xss-partner,{XSS},,<script>alert(2)</script>,<b>Somewhere</b>,"
            'javascript:alert(3),"<svg onload=alert(4)>",,false,,https://example.org/xss\n'
        )
    with (folder / "commitments.csv").open("a", encoding="utf-8") as f:
        f.write(
            'commitment-xss-1,"<img src=x onerror=alert(6)>",,<script>alert(5)</script>,'
            "100Kin10,,,,https://example.org/xss\n"
        )
    with (folder / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write(f"MEMBER_OF,xss-partner,{TEAM},stated,https://example.org/xss,,,,\n")
        f.write("MADE,xss-partner,commitment-xss-1,stated,https://example.org/xss,,,,\n")


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_handlers: list[str] = []
        self.inline_styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, _ in attrs:
            if name.startswith("on"):
                self.inline_handlers.append(f"{tag} {name}")
            if name == "style":
                self.inline_styles += 1


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_safety_headers_and_no_inline_script(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    parser = _Scripts()
    parser.feed(response.get_data(as_text=True))
    for script in parser.scripts:
        assert script.get("src") or script.get("type") == "application/json", script
    assert parser.inline_handlers == []
    assert parser.inline_styles == 0, "CSP forbids inline styles too"


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_provenance_footer(client: FlaskClient, url: str) -> None:
    html = client.get(url).get_data(as_text=True)
    footer = html[html.index('<footer class="site">') :]
    assert "compiled from the public pages" in footer
    assert "27 of the map&#39;s 104 challenges" in footer


def test_overview_shows_counts_with_the_coverage_line_themes_and_catalysts(
    client: FlaskClient, shared_store: Store
) -> None:
    html = client.get("/").get_data(as_text=True)
    line = coverage(shared_store.info()).line.replace("'", "&#39;")
    main = html[html.index("<main") : html.index("</main>")]
    assert line in main
    assert "192</span> partners" in main
    said = addressing_stats(shared_store.snapshot()).line.replace("'", "&#39;")
    assert said in main and "of 192 partners address part of the map" in said
    assert main.count('href="/themes/theme-') == 7
    assert f'href="/challenges/{COLLAB}"' in main


def test_challenge_page_shows_who_addresses_it_with_evidence_and_basis(
    client: FlaskClient, shared_store: Store
) -> None:
    html = client.get(f"/challenges/{COLLAB}").get_data(as_text=True)
    on_it = len(addressing(shared_store.snapshot(), challenge=COLLAB))
    assert f"Who addresses it ({on_it} partners)" in html
    assert f'href="/partners/{AIR}"' in html
    assert "through a project team" in html and "does the work" in html
    assert 'class="basis basis-inferred"' in html
    assert "Catalyst" in html
    assert 'data-role="data"' in html and 'data-role="table"' in html


def test_partner_page_lists_teams_and_the_challenges_it_addresses(client: FlaskClient) -> None:
    html = client.get(f"/partners/{AIR}").get_data(as_text=True)
    assert "Project teams (" in html
    assert f'href="/challenges/{COLLAB}"' in html


def test_partner_with_commitments_shows_their_full_text(client: FlaskClient) -> None:
    html = client.get("/partners/academy-for-urban-school-leadership").get_data(as_text=True)
    assert "turn-around schools in Chicago" in html
    assert "Commitments (2)" in html


def test_partner_directory_searches_filters_sorts_and_paginates(client: FlaskClient) -> None:
    html = client.get("/partners?per_page=100").get_data(as_text=True)
    assert "192 partners match; page 1 of 2" in html
    assert 'rel="next" href="/partners?per_page=100&amp;page=2"' in html
    html = client.get("/partners?q=american+institutes").get_data(as_text=True)
    assert "1 partner matches" in html and f'href="/partners/{AIR}"' in html
    html = client.get("/partners?addresses_catalyst=1&sort=-challenges").get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    html = client.get("/partners?sector=museum+or+science+centre").get_data(as_text=True)
    assert "17 partners match" in html  # sectors.csv: 7 stated, 10 curated


def test_search_page_groups_results_by_kind(client: FlaskClient) -> None:
    html = client.get("/search?q=math").get_data(as_text=True)
    headings = re.findall(r'<h2 id="k-(\w+)">', html)
    assert len(headings) >= 2
    assert headings == sorted(headings, key=KIND_ORDER.index)
    assert "result" in client.get("/search?q=zzzzqqq").get_data(as_text=True)


def test_explore_form_reflects_the_url_state(client: FlaskClient) -> None:
    url = f"/explore?center={COLLAB}&center={AIR}&depth=2&kinds=Challenge,Partner&inferred=0&cap=20"
    html = client.get(url).get_data(as_text=True)
    assert f'name="center" value="{COLLAB}" checked' in html
    assert f'name="center" value="{AIR}" checked' in html
    assert 'name="depth" value="2" checked' in html
    assert 'name="kinds" value="Partner" checked' in html
    assert 'name="kinds" value="Theme" checked' not in html
    assert 'name="inferred" value="0" checked' in html
    assert 'value="20"' in html


def test_explore_shows_the_cap_notice_when_it_bites(client: FlaskClient) -> None:
    html = client.get(f"/explore?center={COLLAB}&depth=3&cap=5").get_data(as_text=True)
    assert re.search(r"showing 5 of \d+ nodes — narrow the filters", html)


def test_explore_add_resolves_a_typed_name_and_redirects_to_the_canonical_url(
    client: FlaskClient,
) -> None:
    response = client.get("/explore?depth=2&add=American+Institutes+for+Research")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/explore?center={AIR}&depth=2&inferred=1"
    assert client.get("/explore?add=zzzzqqqq").status_code == 404


def test_download_as_html_is_a_standalone_offline_file(client: FlaskClient) -> None:
    response = client.get(f"/explore/export.html?center={COLLAB}&depth=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    html = response.get_data(as_text=True)
    assert "new vis.Network" in html
    assert not re.search(r'(src|href)="https?://', html), "no CDN: the file works offline"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_node_pages_of_page_kinds_redirect_to_their_own_page(client: FlaskClient) -> None:
    response = client.get(f"/nodes/{COLLAB}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/challenges/{COLLAB}"


def test_trailing_slash_urls_work_too(client: FlaskClient) -> None:
    assert client.get("/partners/").status_code == 200


def test_asset_urls_carry_their_version_and_are_cached_for_a_year(client: FlaskClient) -> None:
    html = client.get(f"/challenges/{COLLAB}").get_data(as_text=True)
    assets = re.findall(r'(?:src|href|data-vis)="(/(?:static|vendor|bundle)/[^"]+)"', html)
    assert any(a.startswith("/bundle/graph.js?v=") for a in assets)
    assert any("vis-network.min.js" in a for a in assets)
    for url in assets:
        path, _, version = url.partition("?v=")
        assert re.fullmatch(r"[0-9a-f]{12}", version), url
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.cache_control.max_age == 365 * 24 * 3600, url
            assert response.cache_control.immutable and not response.cache_control.no_cache
        # without its version, or with a stale one, the browser must ask again
        for other in (path, f"{path}?v=000000000000"):
            with client.get(other) as response:
                assert response.status_code == 200
                assert not response.cache_control.immutable, other
    # the vendored stylesheet styles widgets the pictures do not use: not loaded
    assert "vis-network.css" not in html
    # vis-network is named on the graph scripts' tag, for graph.js to fetch after the
    # first picture: not preloaded with the page, where it held the graph scripts back
    assert 'rel="preload"' not in html
    assert re.search(r'<script src="/bundle/graph\.js\?v=[0-9a-f]{12}" data-vis="/vendor/', html)


def test_the_graph_scripts_come_as_one_file_in_their_order(client: FlaskClient) -> None:
    from web.assets import GRAPH_SCRIPTS

    html = client.get(f"/challenges/{COLLAB}").get_data(as_text=True)
    assert not any(f"/static/{name}" in html for name in GRAPH_SCRIPTS)
    bundle = client.get("/bundle/graph.js").get_data(as_text=True)
    static = Path(__file__).resolve().parents[1] / "web" / "static"
    at = [bundle.index((static / name).read_text(encoding="utf-8")) for name in GRAPH_SCRIPTS]
    assert at == sorted(at) and at[0] > 0
    assert client.get("/bundle/graph.js").headers["Content-Type"].startswith("text/javascript")


def test_a_graph_page_sends_its_table_twin_as_data_not_rows(client: FlaskClient) -> None:
    html = client.get("/explore?all=1").get_data(as_text=True)
    table = html[html.index('data-role="table"') :]
    assert 'data-role="node-rows"' in table and "<tr data-id=" not in table
    assert "<noscript>" in table, "without script, a sentence says where the data is"


def test_vis_network_is_served_from_the_pyvis_copy(client: FlaskClient) -> None:
    with client.get("/vendor/vis-network/vis-network.min.js") as response:
        assert response.status_code == 200
        assert b"@version 9.1.2" in response.data[:600]
        assert response.mimetype == "text/javascript"
    assert client.get("/vendor/vis-network/utils.js").status_code == 404
    assert client.get("/vendor/vis-network/..%2F..%2Fnetwork.py").status_code == 404


def test_a_partner_named_like_html_is_text_everywhere(dataset: Path, tmp_path: Path) -> None:
    add_xss_partner(dataset)
    with open_store(Settings(db_path=tmp_path / "xss.lbug")) as store:
        load(dataset, store)
        client = create_app({"GCX_STORE": store, "TESTING": True}).test_client()
        escaped = "&lt;img src=x onerror=alert(1)&gt;"
        for url in [
            "/partners/xss-partner",
            f"/challenges/{COLLAB}",
            "/partners?q=img",
            "/search?q=onerror",
            "/explore?center=xss-partner",
            f"/nodes/{TEAM}",
        ]:
            html = client.get(url).get_data(as_text=True)
            assert XSS not in html, url
            assert "<script>alert" not in html and "<svg onload" not in html, url
            assert escaped in html or "\\u003cimg src=x onerror=alert(1)\\u003e" in html, url
        partner = client.get("/partners/xss-partner").get_data(as_text=True)
        assert 'href="javascript:' not in partner
        export = client.get("/explore/export.html?center=xss-partner").get_data(as_text=True)
        start = export.index('id="graph-data">') + len('id="graph-data">')
        data = export[start : export.index("</script>", start)]
        assert "<" not in data and "\\u003cimg" in data
        api = client.get("/api/partners/xss-partner").get_json()
        assert api["partner"]["name"] == XSS  # JSON carries the text as it is


def test_a_reload_is_picked_up_without_a_restart(dataset: Path, tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "reload.lbug")
    with open_store(settings) as writer:
        load(dataset, writer)
        client = create_app({"GCX_SETTINGS": settings, "TESTING": True}).test_client()
        assert client.get("/partners/xss-partner").status_code == 404
        before = client.get("/api/stats").get_json()["version"]
        add_xss_partner(dataset)
        load(dataset, writer)  # what `gcx load` does while the server runs
        assert client.get("/partners/xss-partner").status_code == 200
        assert client.get("/api/stats").get_json()["version"] != before


def test_no_graph_loaded_is_a_503_page_that_says_what_to_do(tmp_path: Path) -> None:
    client = create_app(
        {"GCX_SETTINGS": Settings(db_path=tmp_path / "none.lbug"), "TESTING": True}
    ).test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "gcx load" in response.get_data(as_text=True)


def _outside_disclosures(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


@pytest.mark.parametrize(
    ("url", "note"),
    [
        ("/partners/academy-for-urban-school-leadership", "page filter: commitment="),
        ("/partners/agile-mind", "(EdSurge, July 2017)"),
        ("/challenges/catalyst-relevant-professional-growth-during-the-school-day", "stored pages"),
        ("/nodes/activity-collaboration-grant-125", "text rendered from HTML"),
    ],
)
def test_harvest_and_matching_notes_sit_behind_sources_and_notes(
    client: FlaskClient, url: str, note: str
) -> None:
    html = client.get(url).get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    assert note in main and "Sources and notes" in main
    assert note not in _outside_disclosures(main)


def test_commitments_show_their_short_title_and_partners_their_theme_level_work(
    client: FlaskClient,
) -> None:
    html = client.get("/partners/academy-for-urban-school-leadership").get_data(as_text=True)
    assert "<h3>Prepare and support 100 new, high-quality STEM teachers by 2016\u2026" in html
    html = client.get("/partners/aspire-teacher-residency").get_data(as_text=True)
    part = html[html.index("Themes it addresses as a whole") :]
    assert 'href="/themes/theme-preparation"' in part and "by its own description" in part
    assert "judged" in part  # a curated link says it was judged
    assert "nonprofit" in html or "higher education" in html  # its sector


def test_a_pages_graph_data_is_compact_json_with_text_as_it_is(client: FlaskClient) -> None:
    """The graph data a page carries: no spaces after separators, non-ASCII characters as
    themselves (not ``\\u`` escapes), and still nothing that could end its script."""
    import json

    html = client.get(f"/explore?center={COLLAB}&depth=2").get_data(as_text=True)
    start = html.index('data-role="data">') + len('data-role="data">')
    data = html[start : html.index("</script>", start)]
    payload = json.loads(data)
    assert "·" in data and "\\u00b7" not in data  # the node summaries' separator
    compact = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        compact = compact.replace(char, escape)
    assert data == compact
    assert "<" not in data and "&" not in data
