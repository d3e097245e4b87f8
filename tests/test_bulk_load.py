"""The embedded store's bulk write (COPY from staging CSV) keeps every value exactly."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ladybug
import pytest

import graph.store.bulk as bulk
from graph.data import GraphData, Node, Rel, Value
from graph.model import NODE_KINDS, REL_PROPERTIES, NodeKind, RelType
from graph.settings import BUNDLED_DATASET
from graph.store.base import Store
from graph.store.bulk import stage, tables
from graph.store.threads import LOAD_SWITCH_INTERVAL_S, quick_handoffs, writer_threads
from loaders import read_dataset

TRICKY = [
    'comma, "quotes" and \\backslashes\\',
    "two\nlines\r\nand a\ttab",
    " leading and trailing spaces ",
    "ünïcödé 😀 中文",
    "null",
    "NULL",
    "\\N",
    '"',
    "[not, a, list]",
    "x" * 20_000,
]


def _partner(i: int, **props: Value) -> Node:
    base: dict[str, Value] = {p: None for p in NODE_KINDS[NodeKind.PARTNER].property_names}
    base.update(id=f"p{i}", name=f"Partner {i}", source_url=[f"https://example.org/{i}"])
    base.update(props)
    return Node(NodeKind.PARTNER, base)


def _team(i: int, year: int | None) -> Node:
    base: dict[str, Value] = {p: None for p in NODE_KINDS[NodeKind.PROJECT_TEAM].property_names}
    base.update(id=f"t{i}", name=f"Team {i}", year=year, source_url=["https://example.org"])
    return Node(NodeKind.PROJECT_TEAM, base)


def _member(p: int, t: int, **props: Value) -> Rel:
    base: dict[str, Value] = {prop.name: None for prop in REL_PROPERTIES}
    base.update(basis="stated", source_url=["https://example.org"])
    base.update(props)
    return Rel(RelType.MEMBER_OF, f"p{p}", f"t{t}", base)


def _graph(extra_partner: dict[str, Value] | None = None) -> GraphData:
    nodes = [
        _partner(i, description=text, roles=[text, "second | item?"], location=text[:50])
        for i, text in enumerate(TRICKY)
    ]
    nodes.append(_partner(99, explicitly_called_partner=False, **(extra_partner or {})))
    nodes += [_team(0, 2019), _team(1, None), _team(2, -(2**63))]
    rels = [
        _member(0, 0, score=0.125, evidence=TRICKY[0]),
        _member(1, 0, basis="inferred", method="by name", source_url=None, weight=3.0),
        _member(2, 1, score=1e-300),
        _member(99, 2, evidence=TRICKY[1]),
    ]
    return GraphData(nodes=nodes, rels=rels, meta={"title": "tricky"})


def _node_props(store: Store) -> dict[str, dict[str, Any]]:
    g = store.snapshot()
    return {n: {k: v for k, v in a.items() if k != "kind"} for n, a in g.nodes(data=True)}


def _rel_props(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    g = store.snapshot()
    return {(a, b): {p.name: d[p.name] for p in REL_PROPERTIES} for a, b, d in g.edges(data=True)}


@pytest.mark.parametrize(
    "extra",
    [
        None,
        {"description": ""},  # an empty string is not NULL: the parameter path keeps it
        {"roles": []},  # nor is an empty list
        {"roles": [""]},  # nor a list of one empty item
        {"roles": ["holds \x1f the separator"]},
        {"description": "a NUL \x00 byte"},
    ],
    ids=["copy-path", "empty-string", "empty-list", "empty-item", "separator-in-item", "nul-byte"],
)
def test_every_value_comes_back_exactly_as_written(
    empty_store: Store, extra: dict[str, Value] | None
) -> None:
    data = _graph(extra)
    empty_store.replace(data)
    nodes = _node_props(empty_store)
    for n in data.nodes:
        assert nodes[n.id] == n.props, n.id
    rels = _rel_props(empty_store)
    for r in data.rels:
        assert rels[(r.source, r.target)] == {p.name: r.props[p.name] for p in REL_PROPERTIES}
    assert empty_store.info().counts == data.counts()


#: Texts with nothing to quote in a CSV, which the staging file then holds as they are.
PLAIN = ["#not a comment", " padded ", "NULL", "\\N", "it's", "ends with \\", "a\ttab", "ünï 😀"]


def test_texts_with_nothing_to_quote_are_staged_as_they_are_and_come_back_exactly(
    empty_store: Store, tmp_path: Path
) -> None:
    nodes = [
        _partner(i, description=text, location=text, roles=[text, "more"], sector=None)
        for i, text in enumerate(PLAIN)
    ]
    nodes.append(_partner(len(PLAIN)))  # NULLs beside them: empty unquoted fields
    data = GraphData(nodes=nodes)
    ((table, rows),) = [(t, r) for t, r in tables(data, tmp_path) if r]
    stage(table, rows)
    staged = table.staging.read_text(encoding="utf-8")
    assert '"' not in staged and " padded ," in staged  # unquoted, spaces kept
    empty_store.replace(data)
    stored = _node_props(empty_store)
    for n in nodes:
        assert stored[n.id] == n.props, n.id


def test_the_staging_files_are_gone_after_a_load(empty_store: Store) -> None:
    empty_store.replace(_graph())
    generations = empty_store.generations  # type: ignore[attr-defined]
    assert not [p for p in generations.iterdir() if p.suffix == ".staging"]


@pytest.mark.parametrize(("cpus", "threads"), [(1, 1), (2, 1), (8, 7)])
def test_the_writer_leaves_one_cpu_to_the_validating_thread(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch, cpus: int, threads: int
) -> None:
    """The load's engine runs one thread fewer than the CPUs the process may use (at
    least one): the loader's Python thread validates the next file on the last one."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))
    assert writer_threads() == threads
    opened: list[dict[str, Any]] = []
    real = ladybug.Database

    def database(path: str, **settings: Any) -> Any:  # the real engine, its settings noted
        opened.append(settings)
        return real(path, **settings)

    monkeypatch.setattr(ladybug, "Database", database)
    empty_store.replace(_graph())
    assert [s.get("max_num_threads") for s in opened] == [threads]
    assert _node_props(empty_store)["p99"]["explicitly_called_partner"] is False


def test_a_load_hands_the_gil_over_quickly_and_restores_the_interval_after(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a load writes, the loading thread lets the writer have the GIL within 1 ms;
    after it, done or failed, the process's switch interval is what it was."""
    seen: list[float] = []
    real_stage = bulk.stage

    def stage_noting(*args: Any) -> Any:  # the real staging, the interval noted
        seen.append(sys.getswitchinterval())
        return real_stage(*args)

    monkeypatch.setattr(bulk, "stage", stage_noting)
    before = sys.getswitchinterval()
    assert before > LOAD_SWITCH_INTERVAL_S  # Python's default, 5 ms
    empty_store.replace(_graph())
    assert seen and set(seen) == {LOAD_SWITCH_INTERVAL_S}
    assert sys.getswitchinterval() == before

    def parts_then_failure() -> Iterator[GraphData]:
        yield _graph()
        raise RuntimeError("the loader found a problem")

    with pytest.raises(RuntimeError, match="found a problem"):
        empty_store.replace_parts(parts_then_failure())
    assert sys.getswitchinterval() == before
    assert _node_props(empty_store)["p99"]["explicitly_called_partner"] is False  # kept


def test_overlapping_loads_restore_the_interval_once_the_last_ends() -> None:
    before = sys.getswitchinterval()
    with quick_handoffs():
        with quick_handoffs():
            assert sys.getswitchinterval() == LOAD_SWITCH_INTERVAL_S
        assert sys.getswitchinterval() == LOAD_SWITCH_INTERVAL_S  # the first load still writes
    assert sys.getswitchinterval() == before


def test_the_version_of_a_loaded_folder_is_a_hash_of_its_bytes(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(BUNDLED_DATASET, copy)
    bundled = read_dataset(BUNDLED_DATASET)
    assert read_dataset(copy).fingerprint() == bundled.fingerprint()
    themes = copy / "themes.csv"
    themes.write_text(themes.read_text().replace("teachers", "Teachers", 1))
    changed = read_dataset(copy)
    assert changed.fingerprint() != bundled.fingerprint()
    # Built in memory (no files), the same graph is hashed by its values instead.
    in_memory = GraphData(bundled.nodes, bundled.rels, bundled.meta)
    assert in_memory.source_digest is None
    assert in_memory.fingerprint() != GraphData(changed.nodes, changed.rels).fingerprint()
