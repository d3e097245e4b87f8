"""The embedded store: atomic generation swaps, idempotent loads, read-only reads."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.backends import open_store
from graph.data import GraphData
from graph.errors import GraphNotLoaded, QueryError
from graph.settings import BUNDLED_DATASET, Settings
from graph.store.base import Store
from loaders import DatasetError, load, read_dataset
from tests.conftest import embedded_settings


def _ids_checksum(store: Store) -> tuple[str, dict[str, int]]:
    info = store.info()
    ids = sorted(store.snapshot().nodes)
    return f"{info.version}:{hash(tuple(ids))}", info.counts


def test_loading_twice_gives_identical_counts_and_version(store: Store) -> None:
    before = store.info()
    again = load(BUNDLED_DATASET, store).info
    assert again.counts == before.counts
    assert again.version == before.version
    assert store.info().counts["Challenge"] == 27


def test_counts_match_the_bundled_files(store: Store) -> None:
    expected = read_dataset(BUNDLED_DATASET).counts()
    assert store.info().counts == expected
    g = store.snapshot()
    assert g.number_of_nodes() == sum(
        expected[k]
        for k in (
            "Theme",
            "Challenge",
            "Partner",
            "Commitment",
            "FocusArea",
            "ProjectTeam",
            "Keystone",
            "Resource",
            "Activity",
        )
    )


def test_a_failed_load_leaves_the_graph_exactly_as_it_was(store: Store, dataset: Path) -> None:
    before = _ids_checksum(store)
    rels = dataset / "relationships.csv"
    rels.write_text(rels.read_text() + "MEMBER_OF,nobody,also-nobody,stated,http://x,,,,\n")
    with pytest.raises(DatasetError) as err:
        load(dataset, store)
    assert "relationships.csv:" in str(err.value)
    assert _ids_checksum(store) == before


def test_a_write_error_midway_keeps_the_old_generation(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _ids_checksum(store)
    generations = sorted(p.name for p in store.generations.iterdir())  # type: ignore[attr-defined]
    data = read_dataset(BUNDLED_DATASET)
    from graph.store import bulk

    written: list[str] = []
    copy_tables = bulk.copy_tables

    def broken_copy(conn: Any, tables: Any) -> None:
        room = max(0, 3 - len(written))  # three tables copied, then the fourth fails
        copy_tables(conn, tables[:room])
        written.extend(table.name for table in tables[:room])
        if len(tables) > room:
            raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(bulk, "copy_tables", broken_copy)
    with pytest.raises(RuntimeError, match="disk full"):
        store.replace(data)
    assert _ids_checksum(store) == before
    assert sorted(p.name for p in store.generations.iterdir()) == generations  # type: ignore[attr-defined]


def _leftovers(store: Store) -> list[str]:
    """Every file of the store's generations folder, and beside its link."""
    gens = store.generations  # type: ignore[attr-defined]
    return sorted(p.name for p in [*gens.iterdir(), *gens.parent.iterdir()])


def test_a_problem_in_the_last_file_discards_the_streamed_generation(
    store: Store, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of the clean files are handed to the writer while the rest is validated;
    a problem in the last file read (curation.csv) discards the new generation: the old
    graph is served, and nothing of the new one is left."""
    before, files = _ids_checksum(store), _leftovers(store)
    link = os.readlink(store.path)  # type: ignore[attr-defined]
    curation = dataset / "curation.csv"
    curation.write_text(curation.read_text() + "nobody,none,,,no such item\n")
    from graph.store import bulk

    staged: list[str] = []
    stage = bulk.stage

    def noted(table: Any, rows: Any) -> Any:
        staged.append(table.name)
        return stage(table, rows)

    monkeypatch.setattr(bulk, "stage", noted)
    with pytest.raises(DatasetError) as err:
        load(dataset, store)
    lines = curation.read_text().splitlines()
    assert [str(p) for p in err.value.problems] == [
        f"curation.csv:{len(lines)}: item 'nobody' does not exist"
    ]
    assert {"Theme", "Challenge", "Partner", "IN_THEME"} <= set(staged)  # streamed, then dropped
    assert _ids_checksum(store) == before
    assert os.readlink(store.path) == link  # type: ignore[attr-defined]
    assert _leftovers(store) == files


def test_the_store_writes_each_part_before_taking_the_next(empty_store: Store) -> None:
    """Streaming, not gathering: when the loader is asked for its second part, the first
    one is already with the writer (staged in the new generation's staging folder)."""
    data = read_dataset(BUNDLED_DATASET)
    seen: list[list[str]] = []

    def parts() -> Iterator[GraphData]:
        yield GraphData(nodes=data.nodes)
        gens = empty_store.generations  # type: ignore[attr-defined]
        seen.append([p.suffix for p in gens.iterdir() if p.suffix == ".staging"])
        yield GraphData(rels=data.rels, meta=data.meta, source_digest=data.source_digest)

    info = empty_store.replace_parts(parts())
    assert seen == [[".staging"]]
    assert info.counts == data.counts() and info.version == data.fingerprint()


def test_an_open_store_sees_a_reload_without_reopening(tmp_path: Path, dataset: Path) -> None:
    settings = embedded_settings(tmp_path)
    writer = open_store(settings)
    load(BUNDLED_DATASET, writer)
    reader = open_store(settings)
    assert reader.info().counts["Partner"] == 192
    partners = dataset / "partners.csv"
    partners.write_text(
        partners.read_text() + "zz-new-partner,New Partner,,,,,,,,,http://example.org\n"
    )
    load(dataset, writer)
    assert reader.info().counts["Partner"] == 193
    assert "zz-new-partner" in reader.snapshot()
    reader.close()
    writer.close()


def test_the_snapshot_is_frozen_and_typed(shared_store: Store) -> None:
    g = shared_store.snapshot()
    assert nx.is_frozen(g)
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")
    challenge = g.nodes["the-time-for-pk-12-stem-teachers-to-collaborate-during-the-school-day"]
    assert challenge["kind"] == "Challenge"
    assert challenge["catalyst"] is True
    assert challenge["has_page"] is True
    assert isinstance(challenge["source_url"], list)
    edge_bases = {d["basis"] for _, _, d in g.edges(data=True)}
    assert edge_bases == {"stated", "inferred"}


def test_the_read_handle_cannot_write_even_past_the_static_check(shared_store: Store) -> None:
    with pytest.raises(QueryError, match="read-only"):
        shared_store._run_read("CREATE (:Theme {id: 'x', name: 'x'})", {}, 5.0, 10)
    assert shared_store.info().counts["Theme"] == 7


def test_an_empty_store_says_to_load_first(empty_store: Store) -> None:
    with pytest.raises(GraphNotLoaded, match="gcx load"):
        empty_store.info()


def test_old_generations_are_pruned_after_a_grace_period(store: Store) -> None:
    for _ in range(3):
        load(BUNDLED_DATASET, store)
    gens = sorted(store.generations.glob("*.lbug"))  # type: ignore[attr-defined]
    assert len(gens) == 4  # all recent: a reader may have resolved any of them
    old = time.time() - 3600
    for gen in gens:
        os.utime(gen, (old, old))
    load(BUNDLED_DATASET, store)
    assert len(list(store.generations.glob("*.lbug"))) == 2  # type: ignore[attr-defined]
    assert store.info().counts["Challenge"] == 27


def _count_forever(path: str, stop_at: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    reader = open_store(Settings(db_path=Path(path)))
    seen = set()
    while time.monotonic() < stop_at:
        result = reader.query("MATCH (p:Partner) RETURN count(p)")
        snapshot_partners = sum(
            1 for _, k in reader.snapshot().nodes(data="kind") if k == "Partner"
        )
        seen.add((result.rows[0][0], reader.info().counts["Partner"], snapshot_partners))
    out.put(sorted(seen))


def test_a_concurrent_reader_never_sees_a_half_loaded_graph(tmp_path: Path, dataset: Path) -> None:
    settings = embedded_settings(tmp_path)
    writer = open_store(settings)
    load(BUNDLED_DATASET, writer)
    bigger = tmp_path / "bigger"
    bigger.mkdir()
    for f in dataset.iterdir():
        (bigger / f.name).write_bytes(f.read_bytes())
    rows = "".join(f"zz-p{i},Partner {i},,,,,,,,,http://example.org\n" for i in range(300))
    (bigger / "partners.csv").write_text((dataset / "partners.csv").read_text() + rows)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(
        target=_count_forever, args=(str(settings.db_path), time.monotonic() + 8, queue)
    )
    proc.start()
    for i in range(6):
        load(bigger if i % 2 == 0 else BUNDLED_DATASET, writer)
    seen = queue.get(timeout=60)
    proc.join(timeout=30)
    # Every observation is a whole graph, old or new, never a mix.
    assert seen
    assert {q for q, _, _ in seen} <= {192, 492}
    assert {c for _, c, _ in seen} <= {192, 492}
    assert {s for _, _, s in seen} <= {192, 492}
    writer.close()


def test_db_path_that_is_not_a_generation_link_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "plain.lbug"
    path.write_bytes(b"not a database")
    store = open_store(Settings(db_path=path))
    with pytest.raises(Exception, match="not a graph made by `gcx load`"):
        store.info()
    assert os.path.exists(path)


def test_a_folder_without_its_optional_files_loads_what_reading_it_whole_gives(
    tmp_path: Path,
) -> None:
    # Without sectors.csv and curation.csv nothing waits for them (loaders.dataset): the
    # partners, complete with the basis of their sectors, and every link go to the engine
    # as soon as they are read. The store holds what reading the folder whole gives.

    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "sectors.csv").unlink()
    (folder / "curation.csv").unlink()
    expected = read_dataset(folder)
    with open_store(Settings(db_path=tmp_path / "g.lbug")) as store:
        load(folder, store)
        g = store.snapshot()
    partners = [n for n in expected.nodes if n.kind.value == "Partner"]
    assert {n.props["sector_basis"] for n in partners} == {"stated", None}
    for node in expected.nodes:
        assert {**node.props, "kind": node.kind.value} == g.nodes[node.id], node.id
    assert g.number_of_edges() == len(expected.rels)
