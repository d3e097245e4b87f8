"""The synthetic benchmark graph: deterministic, labelled synthetic, loadable, and with the
bundled dataset's kinds and degree distributions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.synth import synthesize, write_dataset
from graph.analyses.addressing import addressing
from graph.data import GraphData, to_networkx
from graph.settings import BUNDLED_DATASET
from loaders import read_dataset


def _degrees(data: GraphData) -> dict[tuple[str, str, str, str], Counter[int]]:
    """Per (type, from kind, to kind, side): how many nodes have each degree (zeros too)."""
    kinds = {n.id: n.kind.value for n in data.nodes}
    pairs = {(r.type.value, kinds[r.source], kinds[r.target]) for r in data.rels}
    out: dict[tuple[str, str, str, str], Counter[int]] = {}
    for rtype, a, b in pairs:
        rels = [
            r
            for r in data.rels
            if (r.type.value, kinds[r.source], kinds[r.target]) == (rtype, a, b)
        ]
        outs = Counter(r.source for r in rels)
        ins = Counter(r.target for r in rels)
        out[(rtype, a, b, "out")] = Counter(outs[n] for n, k in kinds.items() if k == a)
        out[(rtype, a, b, "in")] = Counter(ins[n] for n, k in kinds.items() if k == b)
    return out


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = write_dataset(tmp_path / "a", 2, seed=7)
    second = write_dataset(tmp_path / "b", 2, seed=7)
    other = write_dataset(tmp_path / "c", 2, seed=8)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    # The hand-kept curation files become plain relationships and properties.
    hand_kept = {"curation.csv", "sectors.csv"}
    assert files == sorted(p.name for p in BUNDLED_DATASET.iterdir() if p.name not in hand_kept)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "relationships.csv").read_bytes() != (
        tmp_path / "c" / "relationships.csv"
    ).read_bytes()
    assert first.rows == second.rows == other.rows


def test_it_is_labelled_synthetic_everywhere(tmp_path: Path) -> None:
    write_dataset(tmp_path, 3)
    data = read_dataset(tmp_path)  # the loader accepts it as it is
    assert data.meta["synthetic"] == "true"
    assert data.meta["synthetic_scale"] == "3"
    assert "SYNTHETIC" in data.meta["title"]
    for n in data.nodes:
        assert n.id.startswith("syn-")
        assert str(n.props["name"]).startswith("Synthetic ")
        assert all(u.startswith("https://synthetic.invalid/") for u in n.props["source_url"])  # type: ignore[union-attr]


def test_counts_and_degree_distributions_are_n_times_the_bundled_ones() -> None:
    bundled = read_dataset(BUNDLED_DATASET)
    data = synthesize(4)
    assert data.counts() == {k: 4 * v for k, v in bundled.counts().items()}
    expected = _degrees(bundled)
    got = _degrees(data)
    assert got.keys() == expected.keys()
    for key, hist in expected.items():
        assert got[key] == Counter({deg: 4 * count for deg, count in hist.items()}), key


def _addressing(data: GraphData) -> tuple[int, int, int]:
    """Evidence paths from partners to challenges, the (partner, challenge) pairs they join,
    and the pairs of partners that share a challenge."""
    g = to_networkx(data.nodes, data.rels)
    found = addressing(g)
    by_challenge: dict[str, set[str]] = {}
    for a in found:
        by_challenge.setdefault(a.challenge, set()).add(a.partner)
    shared = {frozenset((p, q)) for group in by_challenge.values() for p in group for q in group}
    return sum(len(a.paths) for a in found), len(found), len({s for s in shared if len(s) == 2})


def test_every_addressing_path_has_n_copies_so_the_analyses_do_real_work() -> None:
    paths, pairs, shared = _addressing(read_dataset(BUNDLED_DATASET))
    assert paths >= pairs > 0 and shared > 0
    synth_paths, synth_pairs, synth_shared = _addressing(synthesize(3))
    assert synth_paths == 3 * paths
    # A partner's two paths to one challenge may reach two different copies of it.
    assert 3 * pairs <= synth_pairs <= synth_paths
    assert synth_shared >= 3 * shared // 2
