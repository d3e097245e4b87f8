"""Exports: every format parsed back with networkx (or csv/json), for the whole bundled
graph, a subgraph and a simple graph; list properties; formula neutralising; `gcx export`."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from gcx.cli import main
from graph import Store
from graph.analyses.export import (
    ExportFormat,
    edges_csv,
    export,
    nodes_csv,
    to_csv_zip,
    to_gexf,
    to_graphml,
    to_json,
    write_export,
)
from graph.data import Node, Rel, to_networkx
from graph.model import NodeKind as K
from graph.model import RelType as R

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
]


def hostile_graph() -> nx.MultiDiGraph[str]:
    nodes = [
        Node(
            K.PARTNER,
            {
                "id": "p",
                "name": HOSTILE[0],
                "roles": ["funder", "+grantee"],
                "explicitly_called_partner": True,
                "sector": None,
                "description": "bad \x01 char & <tag>",
            },
        ),
        Node(K.FOCUS_AREA, {"id": "f", "name": "@focus", "year": 2019}),
        Node(K.CHALLENGE, {"id": "c", "name": "-minus", "catalyst": False}),
        Node(K.CHALLENGE, {"id": "d", "name": "Dee", "catalyst": True}),
    ]
    rels = [
        Rel(R.FUNDS, "p", "f", {"basis": "stated", "source_url": ["=u1", "u2"]}),
        Rel(R.TARGETS, "f", "c", {"basis": "inferred", "method": "+m", "score": 0.25}),
        Rel(R.INFLUENCES, "c", "d", {"basis": "stated", "source_url": ["u"], "weight": 2.0}),
        Rel(R.INFLUENCES, "d", "c", {"basis": "stated", "source_url": ["u"], "weight": 0.5}),
    ]
    return to_networkx(nodes, rels)


def test_graphml_parses_back_with_lists_joined_and_types_kept() -> None:
    h = nx.read_graphml(io.BytesIO(to_graphml(hostile_graph())), force_multigraph=True)
    assert set(h.nodes) == {"p", "f", "c", "d"}
    p = h.nodes["p"]
    assert p["roles"] == "funder|+grantee"
    assert p["explicitly_called_partner"] is True
    assert p["label"] == HOSTILE[0] and p["kind"] == "Partner"
    assert "sector" not in p  # unknown values are left out, not written as "None"
    assert p["description"] == "bad  char & <tag>"  # the XML-forbidden \x01 is dropped
    assert h.nodes["f"]["year"] == 2019
    edges = {(u, v, k): d for u, v, k, d in h.edges(keys=True, data=True)}
    assert edges[("f", "c", "TARGETS")]["score"] == 0.25
    assert edges[("f", "c", "TARGETS")]["rel_type"] == "TARGETS"
    assert edges[("p", "f", "FUNDS")]["source_url"] == "=u1|u2"
    assert edges[("c", "d", "INFLUENCES")]["weight"] == 2.0


def test_gexf_parses_back_with_relationship_types_and_weights() -> None:
    h = nx.read_gexf(io.BytesIO(to_gexf(hostile_graph())))
    assert set(h.nodes) == {"p", "f", "c", "d"}
    assert h.nodes["p"]["label"] == HOSTILE[0]
    assert h.nodes["p"]["roles"] == "funder|+grantee"
    assert h.nodes["d"]["catalyst"] is True
    types = sorted(d["rel_type"] for _, _, d in h.edges(data=True))
    assert types == ["FUNDS", "INFLUENCES", "INFLUENCES", "TARGETS"]
    assert h.edges["c", "d"]["weight"] == 2.0


def test_csv_neutralises_formula_cells_and_joins_lists() -> None:
    g = hostile_graph()
    nodes = list(csv.DictReader(io.StringIO(nodes_csv(g))))
    edges = list(csv.DictReader(io.StringIO(edges_csv(g))))
    by_id = {r["id"]: r for r in nodes}
    assert by_id["p"]["name"] == "'" + HOSTILE[0]
    assert by_id["p"]["roles"] == "funder|+grantee"
    assert by_id["p"]["explicitly_called_partner"] == "true"
    assert by_id["p"]["sector"] == ""
    assert by_id["f"]["name"] == "'@focus"
    assert by_id["c"]["name"] == "'-minus"
    assert list(nodes[0])[:3] == ["id", "kind", "name"]
    assert list(edges[0])[:4] == ["source", "target", "type", "basis"]
    targets = next(r for r in edges if r["type"] == "TARGETS")
    assert targets["method"] == "'+m" and targets["score"] == "0.25"
    funds = next(r for r in edges if r["type"] == "FUNDS")
    assert funds["source_url"] == "'=u1|u2"
    for row in nodes + edges:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t"))


def test_csv_zip_holds_both_tables_and_is_reproducible() -> None:
    data = to_csv_zip(hostile_graph())
    assert data == to_csv_zip(hostile_graph())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["nodes.csv", "edges.csv"]
        assert zf.read("nodes.csv").decode() == nodes_csv(hostile_graph())


def test_json_is_node_link_and_round_trips() -> None:
    g = hostile_graph()
    h = nx.node_link_graph(json.loads(to_json(g)), edges="edges")
    assert h.is_multigraph() and h.is_directed()
    for n, data in g.nodes(data=True):
        assert {k: v for k, v in h.nodes[n].items()} == {k: v for k, v in data.items() if k != "id"}
    assert {(u, v, k) for u, v, k in h.edges(keys=True)} == set(g.edges(keys=True))
    assert h.edges["p", "f", "FUNDS"]["source_url"] == ["=u1", "u2"]


def test_export_takes_a_format_name_and_refuses_others() -> None:
    g = hostile_graph()
    for fmt in ExportFormat:
        assert export(g, fmt.value) == export(g, fmt) or fmt is ExportFormat.GEXF
        assert fmt.media_type and fmt.suffix.startswith(".")
    with pytest.raises(ValueError):
        export(g, "xlsx")


def test_subgraph_views_and_simple_graphs_export() -> None:
    g = hostile_graph()
    view = g.subgraph(["p", "f"])
    h = nx.read_graphml(io.BytesIO(to_graphml(view)), force_multigraph=True)
    assert set(h.nodes) == {"p", "f"} and h.number_of_edges() == 1
    simple: nx.DiGraph[str] = nx.DiGraph()
    simple.add_node("a", name="A", kind="Theme", tags=["x", "y"])
    simple.add_node("b", name="B", kind="Theme")
    simple.add_edge("a", "b", type="IN_THEME", basis="stated")
    for fmt in ExportFormat:
        assert export(simple, fmt)
    back = nx.read_gexf(io.BytesIO(to_gexf(simple)))
    assert back.edges["a", "b"]["rel_type"] == "IN_THEME"
    assert "IN_THEME" in edges_csv(simple)


def test_attributes_with_mixed_types_are_written_as_text() -> None:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_node("a", kind="X", year=2019)
    g.add_node("b", kind="X", year="unknown")
    h = nx.read_graphml(io.BytesIO(to_graphml(g)))
    assert (h.nodes["a"]["year"], h.nodes["b"]["year"]) == ("2019", "unknown")


def _counts(g: Any) -> tuple[int, int]:
    return g.number_of_nodes(), g.number_of_edges()


def test_the_whole_bundled_graph_exports_in_every_format(
    shared_store: Store, tmp_path: Path
) -> None:
    g = shared_store.snapshot()
    expected = _counts(g)
    assert _counts(nx.read_graphml(io.BytesIO(to_graphml(g)), force_multigraph=True)) == expected
    assert _counts(nx.read_gexf(io.BytesIO(to_gexf(g)))) == expected
    assert _counts(nx.node_link_graph(json.loads(to_json(g)), edges="edges")) == expected
    written = write_export(g, "csv", tmp_path / "csv")
    assert [p.name for p in written] == ["nodes.csv", "edges.csv"]
    with written[0].open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == expected[0]
    with written[1].open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == expected[1]


def test_gcx_export_writes_each_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GCX_DB_PATH", str(tmp_path / "cli.lbug"))
    monkeypatch.delenv("GCX_BACKEND", raising=False)
    assert main(["load"], out=io.StringIO()) == 0
    for fmt, name in (
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("json", "g.json"),
        ("csv", "g.zip"),
        ("csv", "folder"),
    ):
        out = io.StringIO()
        assert main(["export", "--format", fmt, "--output", str(tmp_path / name)], out=out) == 0
        assert "Wrote" in out.getvalue()
    h = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert h.nodes["theme-prestige"]["kind"] == "Theme"
    assert zipfile.ZipFile(tmp_path / "g.zip").namelist() == ["nodes.csv", "edges.csv"]
    assert (tmp_path / "folder" / "edges.csv").exists()
