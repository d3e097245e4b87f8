"""The review file of ``gcx suggest``: written for a person, read back as inferred links.

This module owns the format: :data:`REVIEW_COLUMNS`, :func:`write_review` (one row per
suggestion, every cell neutralised against spreadsheet formulas) and :func:`read_review`. A
person fills the ``decision`` column: ``accept`` or ``reject`` (any case), or empty for not
yet decided. Only ``commitment``, ``challenge``, ``score`` and ``decision`` are read; the
other columns are there for the reviewer. Every row is checked against the dataset it will
join — both ends must exist and be a commitment and a challenge (or whatever else the model
lets a commitment's ``ADDRESSES`` link point to), the score a number of zero or more (a BM25
score has no upper bound), no pair decided twice — and every problem is reported as
``file:line: message``, like the dataset's own. Accepted rows become ``basis: inferred``
relationships with the score and :data:`graph.analyses.suggest.METHOD`; a pair the dataset
already links is left as the dataset has it.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from graph.analyses import csv_safe
from graph.analyses.suggest import METHOD, Suggestion, review_kinds
from graph.data import GraphData, Rel, Value
from graph.model import NodeKind, RelType
from loaders.csvfile import REVIEW, CsvReader, DatasetError, Problem

__all__ = ["REVIEW_COLUMNS", "ReviewResult", "read_review", "write_review"]

#: The review file's columns: the first four are read back; the rest help the reviewer.
REVIEW_COLUMNS = (
    "commitment",
    "challenge",
    "score",
    "decision",
    "rank",
    "partner",
    "challenge_name",
    "commitment_text",
)
_REQUIRED = REVIEW_COLUMNS[:4]
_ACCEPT = "accept"
_DECISIONS = ("accept", "reject", "")


@dataclass(frozen=True)
class ReviewResult:
    """What a review file holds: the accepted links, and how many rows of each kind."""

    rels: list[Rel]
    accepted: int
    rejected: int
    undecided: int
    already_linked: list[tuple[str, str]] = field(default_factory=list)
    #: A hash of the review file's bytes (part of the version of a load that uses it).
    digest: str = ""


def _kinds(data: GraphData) -> dict[str, NodeKind]:
    return {n.id: n.kind for n in data.nodes}


def read_review(path: Path, data: GraphData) -> ReviewResult:
    """Check the review file at ``path`` against ``data``; raise :class:`DatasetError` on any
    problem, else return the accepted rows as inferred ``ADDRESSES`` relationships.

    >>> import tempfile, pathlib
    >>> from graph.data import Node
    >>> data = GraphData([Node(NodeKind.COMMITMENT, {"id": "m", "name": "M"}),
    ...                   Node(NodeKind.CHALLENGE, {"id": "c", "name": "C"})])
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "review.csv"
    >>> _ = f.write_text("commitment,challenge,score,decision\\nm,c,0.4,accept\\n")
    >>> r = read_review(f, data)
    >>> r.accepted, r.rels[0].props["basis"], r.rels[0].props["score"]
    (1, 'inferred', 0.4)
    """
    name = path.name
    if not path.is_file():
        raise DatasetError([Problem(str(path), 0, "is not a file")])
    reader = CsvReader(path.parent)
    kinds = _kinds(data)
    linked = {(r.source, r.target) for r in data.rels_of(RelType.ADDRESSES)}
    rels: list[Rel] = []
    counts = {"accept": 0, "reject": 0, "": 0}
    already: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in reader.rows(name, _REQUIRED, policy=REVIEW):
        decided = _decision(reader, name, line, row, kinds)
        if decided is None:
            continue
        decision, key, score = decided
        if key in seen:
            reader.problem(
                name,
                line,
                f"{key[0]!r} -> {key[1]!r} appears twice (first at line {seen[key]})",
            )
            continue
        seen[key] = line
        counts[decision] += 1
        if decision != _ACCEPT:
            continue
        if key in linked:
            already.append(key)
            continue
        props: dict[str, Value] = {
            "basis": "inferred",
            "source_url": None,
            "method": METHOD,
            "evidence": None,
            "score": score,
            "weight": None,
        }
        rels.append(Rel(RelType.ADDRESSES, key[0], key[1], props))
    if reader.problems:
        raise DatasetError(reader.problems)
    digest = reader.digest()
    return ReviewResult(rels, counts["accept"], counts["reject"], counts[""], already, digest)


def _decision(
    reader: CsvReader, name: str, line: int, row: dict[str, str], kinds: dict[str, NodeKind]
) -> tuple[str, tuple[str, str], float] | None:
    """One row's (decision, (commitment, challenge), score); None, with each problem
    noted, when the row has any."""
    commitment, challenge = row["commitment"].strip(), row["challenge"].strip()
    decision = row["decision"].strip().lower()
    ok = True
    if decision not in _DECISIONS:
        reader.problem(
            name, line, f"decision: expected accept, reject or empty, not {row['decision']!r}"
        )
        ok = False
    # The challenge column holds whatever a commitment's ADDRESSES link may point to.
    for column, nid, allowed in (
        ("commitment", commitment, (NodeKind.COMMITMENT,)),
        ("challenge", challenge, review_kinds()),
    ):
        if not nid:
            reader.problem(name, line, f"{column}: required, but empty")
            ok = False
        elif nid not in kinds:
            reader.problem(name, line, f"{column} {nid!r} does not exist")
            ok = False
        elif kinds[nid] not in allowed:
            wanted = " or ".join(k.value for k in allowed)
            reader.problem(name, line, f"{column} {nid!r} is a {kinds[nid].value}, not a {wanted}")
            ok = False
    score_text = row["score"].strip()
    try:
        score = float(score_text)
    except ValueError:
        reader.problem(name, line, f"score: expected a number, not {score_text!r}")
        return None
    if not (math.isfinite(score) and score >= 0.0):
        reader.problem(name, line, f"score: expected a number, zero or more, not {score_text}")
        ok = False
    return (decision, (commitment, challenge), score) if ok else None


def write_review(suggestions: Iterable[Suggestion], out: TextIO) -> int:
    """Write the review CSV; return the number of rows written.

    Pairs already *stated* in the data are left out (nothing to decide). Pairs already
    loaded as *inferred* come pre-accepted, so reloading with a fresh file keeps them.
    Every cell is neutralised against spreadsheet formulas.

    >>> import io
    >>> s = Suggestion("m", "c", 0.5, 1, "P", "C", "=1+1")
    >>> buf = io.StringIO()
    >>> write_review([s], buf)
    1
    >>> buf.getvalue().splitlines()[1]
    "m,c,0.500000,,1,P,C,'=1+1"
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    n = 0
    for s in suggestions:
        if s.existing == "stated":
            continue
        decision = "accept" if s.existing == "inferred" else ""
        row = [
            s.commitment,
            s.challenge,
            f"{s.score:.6f}",
            decision,
            str(s.rank),
            s.partner,
            s.challenge_name,
            " ".join(s.commitment_text.split()),
        ]
        writer.writerow([csv_safe(cell) for cell in row])
        n += 1
    return n
