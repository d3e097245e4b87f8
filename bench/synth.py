"""A deterministic synthetic graph at N times the bundled dataset, for benchmarks only.

Usage::

    python -m bench.synth --scale 100 --out /tmp/gc-x100 [--seed 1] [--from DIR]

The output is a dataset folder in the canonical CSV format that ``gcx load DIR`` accepts.
It has the same node kinds and, per relationship type and pair of end kinds, exactly N
copies of the bundled out-degree and in-degree sequences: every synthetic node takes a
real node of its kind as its *template* (each real node is the template of exactly N
synthetic ones) and inherits the template's degrees, its filled-or-empty pattern, its
booleans and numbers, and the lengths of its texts. The wiring is a seeded configuration
model (shuffle the target stubs, pair them with the source stubs, repair the rare
duplicate by swapping), so the copies are connected to each other rather than being N
disjoint replicas.

Everything is labelled synthetic: every id starts with ``syn-``, every name with
``Synthetic``, every source is ``https://synthetic.invalid/...``, free text is filler
words, and ``meta.csv`` says ``synthetic,true`` with the scale and seed. The same scale,
seed and source folder give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
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
    LIST_SEPARATOR,
    META_COLUMNS,
    META_FILE,
    REL_COLUMNS,
    REL_FILE,
    read_dataset,
)

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
_SWAP_TRIES = 200


@dataclass(frozen=True)
class SynthReport:
    """What :func:`write_dataset` wrote: counts, and duplicates the wiring could not repair."""

    out: Path
    scale: int
    seed: int
    nodes: int
    rels: int
    dropped_duplicates: int

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
        self.dropped = 0

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
        kinds = {n.id: n.kind for n in self.source.nodes}
        groups: dict[tuple[RelType, NodeKind, NodeKind], list[Rel]] = defaultdict(list)
        for r in self.source.rels:
            groups[(r.type, kinds[r.source], kinds[r.target])].append(r)
        out: list[Rel] = []
        for rtype, rspec in REL_TYPES.items():
            for a, b in rspec.ends:
                originals = groups.get((rtype, a, b), [])
                if originals:
                    out.extend(self._wire(rtype, a, b, originals, len(out)))
        return out

    def _wire(
        self, rtype: RelType, a: NodeKind, b: NodeKind, originals: list[Rel], offset: int
    ) -> list[Rel]:
        index_a = {n.id: i for i, n in enumerate(self.templates[a])}
        index_b = {n.id: i for i, n in enumerate(self.templates[b])}
        out_deg = [0] * len(index_a)
        in_deg = [0] * len(index_b)
        for r in originals:
            out_deg[index_a[r.source]] += 1
            in_deg[index_b[r.target]] += 1
        # Synthetic node i has template i % len(templates): so N copies of each sequence.
        sources = [i for i in range(len(self.ids[a])) for _ in range(out_deg[i % len(out_deg)])]
        targets = [j for j in range(len(self.ids[b])) for _ in range(in_deg[j % len(in_deg)])]
        self.rng.shuffle(targets)
        pairs = self._repair(sources, targets, self_loops=a is b)
        return [
            Rel(
                rtype,
                self.ids[a][s],
                self.ids[b][t],
                self._rel_props(originals[k % len(originals)], offset + k),
            )
            for k, (s, t) in enumerate(pairs)
        ]

    def _repair(
        self, sources: list[int], targets: list[int], *, self_loops: bool
    ) -> list[tuple[int, int]]:
        """Pair stubs; swap targets to undo duplicate pairs (and self-loops within a kind)."""
        seen: set[tuple[int, int]] = set()
        pending: list[int] = []
        for k, (s, t) in enumerate(zip(sources, targets, strict=True)):
            if (s, t) in seen or (self_loops and s == t):
                pending.append(k)
            else:
                seen.add((s, t))
        bad = set(pending)
        for k in pending:
            s, t = sources[k], targets[k]
            for _ in range(_SWAP_TRIES):
                q = self.rng.randrange(len(targets))
                if q in bad:
                    continue
                sq, tq = sources[q], targets[q]
                new_k, new_q = (s, tq), (sq, t)
                if new_k in seen or new_q in seen or new_k == new_q:
                    continue
                if self_loops and (s == tq or sq == t):
                    continue
                seen.discard((sq, tq))
                seen.update((new_k, new_q))
                targets[k], targets[q] = tq, t
                bad.discard(k)
                break
        self.dropped += len(bad)
        return [
            (s, t) for k, (s, t) in enumerate(zip(sources, targets, strict=True)) if k not in bad
        ]

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


def synthesize(
    scale: int, seed: int = DEFAULT_SEED, source: Path = BUNDLED_DATASET
) -> tuple[GraphData, int]:
    """The synthetic graph at ``scale`` times ``source``, and how many duplicates were dropped.

    >>> data, dropped = synthesize(1)
    >>> data.counts()["Challenge"], data.nodes[0].id.startswith("syn-")
    (27, True)
    """
    if scale < 1:
        raise ValueError("scale must be a whole number of at least 1")
    synth = _Synth(read_dataset(source), scale, seed)
    nodes = synth.nodes()
    rels = synth.rels()
    return GraphData(nodes=nodes, rels=rels, meta=synth.meta()), synth.dropped


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f" {LIST_SEPARATOR} ".join(value)
    return str(value)


def write_dataset(
    out: Path, scale: int, seed: int = DEFAULT_SEED, source: Path = BUNDLED_DATASET
) -> SynthReport:
    """Write the synthetic dataset folder ``out`` (created; its CSV files are overwritten)."""
    data, dropped = synthesize(scale, seed, source)
    out.mkdir(parents=True, exist_ok=True)
    for kind, spec in NODE_KINDS.items():
        with (out / spec.file).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(spec.columns)
            for n in data.nodes_of(kind):
                w.writerow([_cell(n.props.get(p)) for p in spec.columns])
    with (out / REL_FILE).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(REL_COLUMNS)
        for r in data.rels:
            w.writerow(
                [r.type.value, r.source, r.target]
                + [_cell(r.props.get(p.name)) for p in REL_PROPERTIES]
            )
    with (out / META_FILE).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(META_COLUMNS)
        for key, value in data.meta.items():
            w.writerow([key, value, ""])
    return SynthReport(out, scale, seed, len(data.nodes), len(data.rels), dropped)


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
        f"(x{report.scale}, seed {report.seed}; {report.dropped_duplicates} duplicate "
        "pairs dropped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
