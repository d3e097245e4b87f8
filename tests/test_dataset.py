"""The bundled dataset: what it holds, its provenance, and that it is reproducible."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.data import GraphData
from graph.model import NodeKind, RelType
from graph.settings import BUNDLED_DATASET
from loaders import dataset, read_dataset
from loaders.dataset import read_parts
from tests.conftest import ROOT

DATA = read_dataset(BUNDLED_DATASET)


def test_it_holds_the_public_record_counts() -> None:
    counts = DATA.counts()
    assert counts["Challenge"] == 27
    assert counts["Theme"] == 7
    assert counts["FocusArea"] == 3
    assert counts["Keystone"] == 4
    assert counts["ProjectTeam"] == 16
    assert counts["INFLUENCES"] == 0
    challenges = DATA.nodes_of(NodeKind.CHALLENGE)
    assert sum(1 for c in challenges if c.props["has_page"]) == 25
    assert sum(1 for c in challenges if c.props["catalyst"] is True) == 9
    assert sum(1 for c in challenges if c.props["catalyst"] is None) == 2
    assert DATA.meta["map_challenge_count"] == "104"


def test_every_row_keeps_its_provenance() -> None:
    for node in DATA.nodes:
        assert node.props["source_url"], node.id
    for rel in DATA.rels:
        if rel.props["basis"] == "stated":
            assert rel.props["source_url"], rel
        else:
            assert rel.props["method"], rel


def test_seed_partners_without_a_statement_stay_partners() -> None:
    partners = {n.id: n for n in DATA.nodes_of(NodeKind.PARTNER)}
    makers = {r.source for r in DATA.rels_of(RelType.MADE)}
    coming_soon = [
        p
        for pid, p in partners.items()
        if pid not in makers
        and "client document: Beyond100K partner commitments listing, entries L-N"
        in p.props["source_url"]  # type: ignore[operator]
    ]
    assert len(coming_soon) == 3


def test_seed_list_merges_only_exact_name_matches() -> None:
    partners = {n.id: n for n in DATA.nodes_of(NodeKind.PARTNER)}
    ncr = partners["national-center-for-teacher-residencies"]
    sources = ncr.props["source_url"]
    assert isinstance(sources, list) and len(sources) >= 2
    assert "math-for-america" in partners and "math-for-america-los-angeles" in partners
    # Possible duplicates are recorded, not merged.
    assert partners["dell"].props["possible_same_as"] == ["dell-technologies"]


@pytest.mark.skipif(
    not os.environ.get("GCX_RAW_DIR"),
    reason="set GCX_RAW_DIR to the raw harvest to check the conversion is reproducible",
)
def test_the_conversion_script_reproduces_the_bundled_files(tmp_path: Path) -> None:
    raw = Path(os.environ["GCX_RAW_DIR"])
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "convert_raw.py"), str(raw), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    hand_kept = ("curation.csv", "sectors.csv")  # scripts/convert_raw.py HAND_KEPT
    for f in sorted(BUNDLED_DATASET.glob("*.csv")):
        if f.name in hand_kept:
            assert not (tmp_path / f.name).exists(), f"the conversion wrote {f.name}"
            continue
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name


SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


def test_schema_doc_names_every_kind_property_and_type() -> None:
    from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES

    for spec in NODE_KINDS.values():
        assert f"`{spec.kind.value}`" in SCHEMA_DOC
        for prop in spec.properties:
            assert f"`{prop.name}`" in SCHEMA_DOC
    for rtype in REL_TYPES:
        assert f"`{rtype.value}`" in SCHEMA_DOC
    for prop in REL_PROPERTIES:
        assert f"`{prop.name}`" in SCHEMA_DOC


def test_every_cypher_example_in_the_schema_doc_runs(shared_store) -> None:  # type: ignore[no-untyped-def]
    import re

    blocks = re.findall(r"```cypher\n(.*?)```", SCHEMA_DOC, re.DOTALL)
    assert len(blocks) >= 6
    for block in blocks:
        result = shared_store.query(block, {"partner": "american-institutes-for-research"})
        assert result.rows, block


def test_the_parts_join_to_the_dataset_file_by_file_and_batch_by_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a load hands the store as it validates (loaders.dataset.read_parts): each node
    # file's nodes, the partners only once sectors.csv has set their sectors, the
    # relationships a batch at a time (each type in one batch, so each table is copied
    # once), those curation.csv adds to with the curated links; the version comes last.
    monkeypatch.setattr(dataset, "REL_BATCH", 100)
    parts, bases = [], []  # each part, and its nodes' sector_basis when handed over
    for part in read_parts(BUNDLED_DATASET):
        parts.append(part)
        bases.append([n.props.get("sector_basis") for n in part.nodes])
    kinds = [{n.kind for n in p.nodes} for p in parts if p.nodes]
    assert all(len(k) == 1 for k in kinds) and kinds[-1] == {NodeKind.PARTNER}
    at = next(i for i, p in enumerate(parts) if p.nodes and p.nodes[0].kind is NodeKind.PARTNER)
    assert bases[at] == [n.props["sector_basis"] for n in DATA.nodes_of(NodeKind.PARTNER)]
    assert "curated" in bases[at]
    types = [{r.type for r in p.rels} for p in parts if p.rels]
    assert len(types) >= 3  # two batches of relationships.csv at least, then the curated
    assert all(a.isdisjoint(b) for i, a in enumerate(types) for b in types[i + 1 :])
    for rtype in (RelType.ADDRESSES, RelType.ABOUT):
        assert rtype in types[-1] and len(DATA.rels_of(rtype)) > 0
    assert [p.source_digest is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    whole = GraphData.joined(parts)
    assert sorted(map(repr, whole.nodes)) == sorted(map(repr, DATA.nodes))
    assert sorted(map(repr, whole.rels)) == sorted(map(repr, DATA.rels))
    assert whole.meta == DATA.meta and whole.source_digest == DATA.source_digest


def test_nothing_waits_for_a_completing_file_that_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without sectors.csv and curation.csv, the partners go when partners.csv is read and
    # the ABOUT links with their batch of relationships.csv: nothing is held for a file
    # that will never come (the engine would idle meanwhile).
    monkeypatch.setattr(dataset, "REL_BATCH", 100)
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "sectors.csv").unlink()
    (folder / "curation.csv").unlink()
    parts = list(read_parts(folder))
    kinds = [n.kind for p in parts for n in p.nodes[:1]]
    assert kinds == list(NodeKind) and not parts[-1].nodes  # each node file in its order
    about = [i for i, p in enumerate(parts) if any(r.type is RelType.ABOUT for r in p.rels)]
    rel_parts = [i for i, p in enumerate(parts) if p.rels]
    assert about and about[-1] < rel_parts[-1] and not parts[-1].rels
    whole = GraphData.joined(parts)
    assert len(whole.rels_of(RelType.ABOUT)) == 46 and not whole.rels_of(RelType.ADDRESSES)
    assert "curated" not in {n.props["sector_basis"] for n in whole.nodes_of(NodeKind.PARTNER)}
    # With the files there, both are held (the test above): the same rows, in other parts.
    held = GraphData.joined(read_parts(BUNDLED_DATASET))
    assert len(held.nodes) == len(whole.nodes)
