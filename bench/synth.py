"""A deterministic synthetic graph at N times the bundled dataset, for benchmarks only.

Usage::

    python -m bench.synth --scale 100 --out /tmp/gc-x100 [--seed 1] [--from DIR]

The output is a dataset folder in the canonical CSV format that ``gcx load DIR`` accepts.
It is a seeded *random N-lift* of the bundled graph: every real node has N synthetic
copies (synthetic node i copies real node ``i % count`` of its kind, its *template*:
its filled-or-empty pattern, booleans, numbers and lengths of texts), and every real
relationship ``s -> t`` has N copies, copy k of ``s`` joined to copy ``perm(k)`` of ``t``
with a seeded permutation drawn per relationship. So every node keeps its template's
degrees per relationship type exactly, every path of the real graph has N copies (a
partner addresses as many challenges through as many paths, and has as many
collaborators, as its template: the analyses do the same work per node as on the real
data, and curated or stated links keep their share), and the copies are wired into
each other rather than being N disjoint replicas.

Everything is labelled synthetic: every id starts with ``syn-``, every name with
``Synthetic``, every source is ``https://synthetic.invalid/...``, free text is filler
words, and ``meta.csv`` says ``synthetic,true`` with the scale and seed. The same scale,
seed and source folder give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.data import GraphData, Node, Rel, Value
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES, NodeKind, PropType, RelType
from graph.settings import BUNDLED_DATASET
from loaders.dataset import (
    META_COLUMNS,
    META_FILE,
    REL_COLUMNS,
    REL_FILE,
    read_dataset,
)
from loaders.writer import cell_text, write_csv

__all__ = ["SynthReport", "synthesize", "write_dataset"]

DEFAULT_SEED = 1
#: Short, categorical properties copied from the template as they are (not free text).
_CATEGORICAL = frozenset(
    {"era", "activity_type", "resource_type", "sector", "location", "date", "label"}
)
_URL_PROPS = frozenset({"url", "website"})
#: Neutral filler, so no real sentence is ever attributed to a synthetic partner.
_WORDS = tuple(
    [
        "synthetic",
        "teachers",
        "network",
        "science",
        "mathematics",
        "engineering",
        "technology",
        "classroom",
        "preparation",
        "retention",
        "support",
        "learning",
        "school",
        "district",
        "program",
        "partner",
        "grant",
        "summit",
        "evidence",
        "practice",
        "pathway",
        "mentor",
        "residency",
        "induction",
        "community",
        "leadership",
        "data",
        "equity",
        "capacity",
        "design",
        "research",
        "policy",
        "workforce",
        "recruit",
        "collaborate",
        "elementary",
        "secondary",
        "rural",
        "urban",
        "coaching",
        "curriculum",
        "assessment",
        "benchmark",
        "filler",
        "placeholder",
    ]
)


@dataclass(frozen=True)
class SynthReport:
    """What :func:`write_dataset` wrote: where, at which scale and seed, and the counts."""

    out: Path
    scale: int
    seed: int
    nodes: int
    rels: int

    @property
    def rows(self) -> int:
        return self.nodes + self.rels


def _slug(kind: NodeKind) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", kind.value).lower()


def _filler(rng: random.Random, length: int) -> str:
    """Filler words about ``length`` characters long (at least one word)."""
    words: list[str] = []
    size = -1
    while size < length or not words:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize()


class _Synth:
    def __init__(self, source: GraphData, scale: int, seed: int) -> None:
        self.source = source
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(f"bench.synth:{seed}:{scale}")
        self.templates: dict[NodeKind, list[Node]] = {k: source.nodes_of(k) for k in NodeKind}
        self.ids: dict[NodeKind, list[str]] = {
            k: [f"syn-{_slug(k)}-{i:07d}" for i in range(len(v) * scale)]
            for k, v in self.templates.items()
        }

    def _source_urls(self, kind: str, index: int, count: int) -> list[str]:
        base = f"https://synthetic.invalid/seed-{self.seed}/x{self.scale}/{kind}/{index}"
        return [f"{base}#{j}" for j in range(max(count, 1))]

    def _value(self, kind: NodeKind, index: int, name: str, ptype: PropType, tpl: Value) -> Value:
        if tpl is None or tpl == []:
            return tpl
        if name == "source_url":
            assert isinstance(tpl, list)
            return self._source_urls(_slug(kind), index, len(tpl))
        if name == "possible_same_as":
            assert isinstance(tpl, list)
            return self.rng.sample(self.ids[NodeKind.PARTNER], min(len(tpl), 3))
        if ptype is PropType.STRING_LIST:
            assert isinstance(tpl, list)
            return [_filler(self.rng, len(item)) for item in tpl]
        if ptype is not PropType.STRING:
            return tpl  # booleans and numbers keep the template's distribution
        if name in _CATEGORICAL:
            return tpl
        if name in _URL_PROPS:
            return f"https://synthetic.invalid/{_slug(kind)}/{index}"
        return _filler(self.rng, len(str(tpl)))

    def nodes(self) -> list[Node]:
        out: list[Node] = []
        for kind, spec in NODE_KINDS.items():
            templates = self.templates[kind]
            for i, nid in enumerate(self.ids[kind]):
                tpl = templates[i % len(templates)]
                props: dict[str, Value] = {"id": nid, "name": f"Synthetic {kind.value} {i:07d}"}
                for p in spec.properties[2:]:
                    props[p.name] = self._value(kind, i, p.name, p.type, tpl.props.get(p.name))
                out.append(Node(kind, props))
        return out

    def _rel_props(self, tpl: Rel, index: int) -> dict[str, Value]:
        props: dict[str, Value] = {}
        for p in REL_PROPERTIES:
            value = tpl.props.get(p.name)
            if value is None or value == []:
                props[p.name] = value
            elif p.name == "source_url":
                props[p.name] = self._source_urls("rel", index, 1)
            elif p.name == "method":
                props[p.name] = "synthetic wiring: " + _filler(self.rng, len(str(value)))
            elif p.type is PropType.STRING and p.name != "basis":
                props[p.name] = _filler(self.rng, len(str(value)))
            else:
                props[p.name] = value
        return props

    def rels(self) -> list[Rel]:
        """N copies of every real relationship, grouped as the model lists its types."""
        kinds = {n.id: n.kind for n in self.source.nodes}
        position = {n.id: i for k in NodeKind for i, n in enumerate(self.templates[k])}
        groups: dict[tuple[RelType, NodeKind, NodeKind], list[Rel]] = defaultdict(list)
        for r in self.source.rels:
            groups[(r.type, kinds[r.source], kinds[r.target])].append(r)
        out: list[Rel] = []
        copies = list(range(self.scale))
        for rtype, rspec in REL_TYPES.items():
            for a, b in rspec.ends:
                size_a, size_b = len(self.templates[a]), len(self.templates[b])
                for tpl in groups.get((rtype, a, b), []):
                    # Copy k of the source meets copy perm[k] of the target: each copy of
                    # either end gets exactly one copy of this link, and distinct real
                    # links never give the same synthetic pair.
                    perm = copies[:]
                    self.rng.shuffle(perm)
                    s, t = position[tpl.source], position[tpl.target]
                    for k in copies:
                        out.append(
                            Rel(
                                rtype,
                                self.ids[a][s + k * size_a],
                                self.ids[b][t + perm[k] * size_b],
                                self._rel_props(tpl, len(out)),
                            )
                        )
        return out

    def meta(self) -> dict[str, str]:
        total = self.source.meta.get("map_challenge_count", "")
        meta = {
            "title": f"SYNTHETIC benchmark graph: {self.scale}x the bundled dataset "
            f"(seed {self.seed}); not real data",
            "synthetic": "true",
            "synthetic_scale": str(self.scale),
            "synthetic_seed": str(self.seed),
            "synthetic_generator": "bench.synth",
            "coverage_note": "Synthetic: ids start with syn-, names with Synthetic, texts are "
            "filler words; made by bench.synth for benchmarks only.",
        }
        if total.isdigit():
            meta["map_challenge_count"] = str(int(total) * self.scale)
        return meta


def synthesize(scale: int, seed: int = DEFAULT_SEED, source: Path = BUNDLED_DATASET) -> GraphData:
    """The synthetic graph at ``scale`` times ``source``.

    >>> data = synthesize(1)
    >>> data.counts()["Challenge"], data.nodes[0].id.startswith("syn-")
    (27, True)
    """
    if scale < 1:
        raise ValueError("scale must be a whole number of at least 1")
    synth = _Synth(read_dataset(source), scale, seed)
    nodes = synth.nodes()
    rels = synth.rels()
    return GraphData(nodes=nodes, rels=rels, meta=synth.meta())


def write_dataset(
    out: Path, scale: int, seed: int = DEFAULT_SEED, source: Path = BUNDLED_DATASET
) -> SynthReport:
    """Write the synthetic dataset folder ``out`` (created; its CSV files are overwritten)."""
    data = synthesize(scale, seed, source)
    out.mkdir(parents=True, exist_ok=True)
    for kind, spec in NODE_KINDS.items():
        nodes = data.nodes_of(kind)
        write_csv(
            out / spec.file,
            spec.columns,
            ([cell_text(n.props.get(p)) for p in spec.columns] for n in nodes),
        )
    rel_cells = (
        [r.type.value, r.source, r.target]
        + [cell_text(r.props.get(p.name)) for p in REL_PROPERTIES]
        for r in data.rels
    )
    write_csv(out / REL_FILE, REL_COLUMNS, rel_cells)
    write_csv(out / META_FILE, META_COLUMNS, ([key, value, ""] for key, value in data.meta.items()))
    return SynthReport(out, scale, seed, len(data.nodes), len(data.rels))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth",
        description="Write a deterministic synthetic dataset at N times the bundled one.",
    )
    parser.add_argument("--scale", type=int, default=1, help="multiple of the bundled data")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help="dataset folder to write")
    parser.add_argument(
        "--from", dest="source", type=Path, default=BUNDLED_DATASET, help="template dataset"
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    report = write_dataset(args.out, args.scale, args.seed, args.source)
    print(
        f"wrote {report.out}: {report.nodes:,} nodes, {report.rels:,} relationships "
        f"(x{report.scale}, seed {report.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
