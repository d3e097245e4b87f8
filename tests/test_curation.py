"""The hand-kept curation files: the judgement log covers every item, the curated links
and sectors load as documented, and a dataset without them still loads."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from graph import Store, addressing, theme_addressing
from graph.data import GraphData
from graph.model import CURATED, SECTORS, NodeKind, RelType
from graph.settings import BUNDLED_DATASET
from loaders import DatasetError, read_dataset
from loaders.curation import CURATION_FILE, EVIDENCE_FIELDS, SECTORS_FILE
from tests.conftest import ROOT

JUDGED = (
    NodeKind.COMMITMENT,
    NodeKind.ACTIVITY,
    NodeKind.PROJECT_TEAM,
    NodeKind.RESOURCE,
    NodeKind.PARTNER,
)


@pytest.fixture(scope="module")
def bundled() -> GraphData:
    return read_dataset(BUNDLED_DATASET)


def rows(name: str) -> list[dict[str, str]]:
    with (BUNDLED_DATASET / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_log_judges_every_commitment_activity_team_resource_and_partner(
    bundled: GraphData,
) -> None:
    logged = {r["item"] for r in rows(CURATION_FILE)}
    for kind in JUDGED:
        ids = {n.id for n in bundled.nodes_of(kind)}
        assert ids and ids <= logged, (kind, sorted(ids - logged)[:5])
    outcomes = {r["outcome"] for r in rows(CURATION_FILE)}
    assert outcomes == {"linked", "none"}
    assert all(r["reason"].strip() for r in rows(CURATION_FILE))


def test_curated_links_are_inferred_quote_their_item_and_give_a_reason(
    bundled: GraphData,
) -> None:
    nodes = {n.id: n for n in bundled.nodes}
    curated = [r for r in bundled.rels if r.props.get("method") == CURATED]
    assert len(curated) > 150
    for r in curated:
        item = nodes[r.source]
        assert r.props["basis"] == "inferred" and r.props["reason"]
        texts = [item.props.get(f) for f in EVIDENCE_FIELDS[item.kind]]
        flat = [t for v in texts for t in (v if isinstance(v, list) else [v]) if t]
        assert any(str(r.props["evidence"]) in t for t in flat)
        assert nodes[r.target].kind in (NodeKind.CHALLENGE, NodeKind.THEME)
        expected = RelType.ABOUT if item.kind is NodeKind.RESOURCE else RelType.ADDRESSES
        assert r.type is expected


def test_a_stated_link_is_never_shadowed_by_a_judged_one(bundled: GraphData) -> None:
    logged = {
        (r["item"], r["target"])
        for r in rows(CURATION_FILE)
        if r["outcome"] == "linked" and r["item"].startswith("resource-")
    }
    about = {(r.source, r.target): r for r in bundled.rels_of(RelType.ABOUT)}
    both = [pair for pair in logged if about[pair].props["basis"] == "stated"]
    assert both  # the log agrees with some pages' own listings; those stay stated
    assert len(about) == len(set(about))


def test_every_partner_has_a_sector_from_the_vocabulary_but_a_few(bundled: GraphData) -> None:
    partners = bundled.nodes_of(NodeKind.PARTNER)
    assert len(partners) == 192
    without = [p for p in partners if not p.props.get("sector")]
    assert len(without) <= 10
    assert all(p.props["sector_basis"] is None for p in without)
    for p in partners:
        if p.props.get("sector"):
            assert p.props["sector"] in SECTORS
            assert p.props["sector_basis"] in ("stated", "curated")
    # "stated" where a source gives the sector (partners.csv), in the source's words
    raw = {r["id"]: r["sector"] for r in rows("partners.csv")}
    stated = [p for p in partners if p.props.get("sector_basis") == "stated"]
    assert stated and all(raw[p.id] for p in stated)


def test_commitments_are_named_by_a_short_title_from_their_own_words(
    bundled: GraphData,
) -> None:
    for c in bundled.nodes_of(NodeKind.COMMITMENT):
        title = str(c.props["title"])
        assert c.props["name"] == title and len(title) <= 73
        assert "page filter" not in title and not title.endswith(")")
        assert title[:12].rstrip("\u2026").lower() in str(c.props["text"]).lower() or (
            title.split()[0].lower() in str(c.props["text"]).lower()
        )


def test_a_dataset_without_the_curation_files_loads_as_before(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / CURATION_FILE).unlink()
    (folder / SECTORS_FILE).unlink()
    data = read_dataset(folder)
    assert not [r for r in data.rels if r.props.get("method") == CURATED]
    museums = [n for n in data.nodes_of(NodeKind.PARTNER) if n.props.get("sector")]
    assert {n.props["sector_basis"] for n in museums} == {"stated"}


def test_a_curation_row_for_an_unknown_item_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(BUNDLED_DATASET, folder)
    with (folder / CURATION_FILE).open("a", encoding="utf-8") as f:
        f.write("nobody,none,,,No such item.\n")
    lines = (folder / CURATION_FILE).read_text(encoding="utf-8").count("\n")
    with pytest.raises(DatasetError) as err:
        read_dataset(folder)
    assert f"curation.csv:{lines}: item 'nobody' does not exist" in str(err.value)


def test_every_partner_without_a_path_is_listed_with_its_reason(shared_store: Store) -> None:
    g = shared_store.snapshot()
    have = {a.partner for a in addressing(g)} | {a.partner for a in theme_addressing(g)}
    without = {n for n, a in g.nodes(data=True) if a["kind"] == "Partner"} - have
    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Partners without a path to the map") :]
    listed = set(re.findall(r"^- .*\(`([^`]+)`\): \S", section, flags=re.M))
    assert listed == without
    assert f"{len(have)} of the {len(have) + len(without)} partners" in section
