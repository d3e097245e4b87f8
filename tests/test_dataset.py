"""The bundled dataset: what it holds, its provenance, and that it is reproducible."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.data import GraphData
from graph.model import NodeKind, RelType
from graph.settings import BUNDLED_DATASET
from loaders import dataset, read_dataset
from loaders.cells import show
from loaders.dataset import DatasetError, read_parts
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


def test_nothing_waits_for_a_completing_file_that_is_not_there(tmp_path: Path) -> None:
    # Without sectors.csv and curation.csv, the partners go when partners.csv is read and
    # the ABOUT links with the rest of relationships.csv: nothing is held for a file that
    # will never come (the engine would idle meanwhile).
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "sectors.csv").unlink()
    (folder / "curation.csv").unlink()
    parts, handed = [], []  # each part, and each partner's (sector, basis) when handed over
    for part in read_parts(folder):
        parts.append(part)
        handed += [
            (n.props["sector"], n.props["sector_basis"])
            for n in part.nodes
            if n.kind is NodeKind.PARTNER
        ]
    kinds = [n.kind for p in parts for n in p.nodes[:1]]
    assert kinds == list(dataset.NODE_READING_ORDER) and not parts[-1].nodes
    # Complete when handed over: the basis of each sector its own row states.
    assert {basis for _, basis in handed} == {"stated", None}
    assert all(basis == ("stated" if sector else None) for sector, basis in handed)
    about = [i for i, p in enumerate(parts) if any(r.type is RelType.ABOUT for r in p.rels)]
    rel_parts = [i for i, p in enumerate(parts) if p.rels]
    assert about and about[-1] < rel_parts[-1] and not parts[-1].rels
    whole = GraphData.joined(parts)
    assert len(whole.rels_of(RelType.ABOUT)) == 46 and not whole.rels_of(RelType.ADDRESSES)
    assert "curated" not in {n.props["sector_basis"] for n in whole.nodes_of(NodeKind.PARTNER)}


def test_a_load_hands_each_type_of_link_over_once_the_nodes_it_joins_are(tmp_path: Path) -> None:
    # The links of a type go to the store as soon as both its ends' node files are read
    # and handed over, while the other node files are still being read: the engine copies
    # them meanwhile instead of all at the end.
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "sectors.csv").unlink()  # else the partners (and their links) wait for it
    parts = list(read_parts(folder))

    def first(has: Callable[[GraphData], bool]) -> int:
        return next(i for i, p in enumerate(parts) if has(p))

    def nodes(kind: NodeKind) -> int:
        return first(lambda p: any(n.kind is kind for n in p.nodes))

    def links(rtype: RelType) -> int:
        return first(lambda p: any(r.type is rtype for r in p.rels))

    # (from the partners on: dataset.LINKS_FROM)
    assert nodes(NodeKind.PARTNER) < links(RelType.IN_THEME) < nodes(NodeKind.COMMITMENT)
    assert nodes(NodeKind.COMMITMENT) < links(RelType.MADE) < nodes(NodeKind.FOCUS_AREA)
    assert links(RelType.TOOK_PART_IN) < nodes(NodeKind.RESOURCE)  # partner -> activity
    # Each type in one part (one COPY per table); the same graph as reading it whole.
    types = [r.type for p in parts for r in p.rels]
    assert all(
        len({i for i, p in enumerate(parts) if any(r.type is t for r in p.rels)}) == 1
        for t in set(types)
    )
    whole, read = GraphData.joined(parts), read_dataset(folder)
    assert sorted(map(repr, whole.rels)) == sorted(map(repr, read.rels))
    assert sorted(map(repr, whole.nodes)) == sorted(map(repr, read.nodes))
    assert whole.source_digest == read.source_digest


def test_a_link_with_a_problem_waits_for_its_file_and_is_named_there(tmp_path: Path) -> None:
    # A type whose rows are not all clean is not handed over early; the load fails with
    # the same message as ever, and nothing of that type was handed over.
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    rels = folder / "relationships.csv"
    lines = rels.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("IN_THEME,"))
    source = lines[at].split(",")[1]
    lines[at] = lines[at].replace(f"IN_THEME,{source},", f"IN_THEME,nobody-{source},", 1)
    rels.write_text("".join(lines), encoding="utf-8")
    handed: list[GraphData] = []
    with pytest.raises(DatasetError) as err:
        for part in read_parts(folder):
            handed.append(part)
    assert [str(p) for p in err.value.problems] == [
        f"relationships.csv:{at + 1}: source {show(f'nobody-{source}')} does not exist"
    ]
    assert handed and not any(r.type is RelType.IN_THEME for p in handed for r in p.rels)
    # Until relationships.csv's turn says what is wrong, the clean rest goes on as ever.
    assert any(r.type is RelType.WORKS_ON for p in handed for r in p.rels)
    assert any(n.kind is NodeKind.KEYSTONE for p in handed for n in p.nodes)


def test_a_file_in_any_order_of_types_gives_each_type_one_part(tmp_path: Path) -> None:
    # relationships.csv with its rows shuffled (types interleaved): each type is still
    # checked and handed over once, and the graph is the same as from the sorted file.
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "sectors.csv").unlink()  # partners' links go early too
    rels = folder / "relationships.csv"
    header, *rows = rels.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(3).shuffle(rows)
    rels.write_text(header + "".join(rows), encoding="utf-8")
    parts = list(read_parts(folder))
    for rtype in {r.type for p in parts for r in p.rels}:
        assert sum(any(r.type is rtype for r in p.rels) for p in parts) == 1, rtype
    sorted_folder = tmp_path / "sorted"
    shutil.copytree(BUNDLED_DATASET, sorted_folder)
    (sorted_folder / "sectors.csv").unlink()
    whole, expected = GraphData.joined(parts), read_dataset(sorted_folder)
    assert sorted(map(repr, whole.rels)) == sorted(map(repr, expected.rels))
    # A problem in a shuffled file is named at its own line.
    at = 1 + next(i for i, row in enumerate(rows) if row.startswith("MADE,")) + 1
    lines = rels.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[at - 1] = lines[at - 1].replace(",stated,", ",guessed,", 1)
    rels.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        list(read_parts(folder))
    assert [str(p) for p in err.value.problems] == [
        f"relationships.csv:{at}: basis: expected stated or inferred, not 'guessed'"
    ]
