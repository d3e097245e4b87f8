"""Plain language: harvest and matching notes only inside "Sources and notes", relationship
types as sentences, facts only for fields people recognise, plurals right."""

from __future__ import annotations

import html as htmllib
import re

from flask.testing import FlaskClient

from graph.store.base import Store
from web.render import node_url

NOTE_FIELDS = ("notes", "catalyst_basis")
TEAM = "team-measuring-positive-work-environment-and-culture-in-schools-2019"
_DISCLOSURE = re.compile(r'<details class="sources[^"]*".*?</details>', re.S)


def outside_disclosures(page: str) -> str:
    """The page's text with every "Sources and notes" disclosure taken out."""
    return _DISCLOSURE.sub("", page)


def test_no_harvest_note_appears_outside_the_disclosure(
    client: FlaskClient, shared_store: Store
) -> None:
    g = shared_store.snapshot()
    notes: dict[str, list[tuple[str, str]]] = {}
    for n, a in g.nodes(data=True):
        for f in NOTE_FIELDS:
            value = a.get(f)
            if isinstance(value, str) and len(value) > 20:
                notes.setdefault(str(n), []).append((f, value))
    assert notes, "the dataset has harvest notes to look for"
    checked = 0
    with client.application.test_request_context():
        urls = {str(n): node_url(str(a["kind"]), str(n)) for n, a in g.nodes(data=True)}
    for n, found in notes.items():
        pages = [urls[n]] + [urls[str(m)] for m in g.predecessors(n)]
        for url in pages:
            body = outside_disclosures(htmllib.unescape(client.get(url).get_data(as_text=True)))
            for _, text in found:
                assert text[:40] not in body, (url, text[:60])
                checked += 1
    assert checked >= 10


def test_a_team_page_reads_as_sentences_with_recognisable_facts(client: FlaskClient) -> None:
    page = htmllib.unescape(client.get(f"/nodes/{TEAM}").get_data(as_text=True))
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)  # data for the picture
    assert "is a member of this project team" in main
    assert "MEMBER_OF" not in main and "WORKS_ON" not in main
    assert "<dt>Year</dt>" in main and "<dt>Web page</dt>" in main
    assert "<dt>url</dt>" not in main and "<dt>year</dt>" not in main
    # the source quote shared by every member shows once, in the disclosure
    quotes = re.findall(r"<q>(.*?)</q>", main, re.S)
    assert len(quotes) == len(set(quotes)) >= 1
    assert all(q in _DISCLOSURE.search(main).group(0) for q in quotes)  # type: ignore[union-attr]


def test_plurals_read_right(client: FlaskClient, shared_store: Store) -> None:
    for url in ["/", f"/nodes/{TEAM}", "/nodes/keystone-1", "/challenges", "/gaps"]:
        text = htmllib.unescape(client.get(url).get_data(as_text=True))
        assert "(s)" not in text, url
        assert not re.search(r"\b1 (relationships|nodes|partners|challenges)\b", text), url
        assert not re.search(r"\b1 partner address it\b", text), url
    assert "1 relationship<" in client.get("/nodes/keystone-1").get_data(as_text=True)
