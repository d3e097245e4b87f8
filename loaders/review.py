"""Read a reviewed suggestion file (``gcx suggest``) back as inferred ``ADDRESSES`` links.

The file is the CSV :func:`graph.analyses.suggest.write_review` wrote, after a person filled the
``decision`` column: ``accept`` or ``reject`` (any case), or empty for not yet decided.
Only ``commitment``, ``challenge``, ``score`` and ``decision`` are read; the other columns
are there for the reviewer. Every row is checked against the dataset it will join —
both ends must exist and be a commitment and a challenge (or whatever else the model lets
a commitment's ``ADDRESSES`` link point to), the score a number of zero or
more (a BM25 score has no upper bound), no pair decided twice — and every problem is
reported as ``file:line: message``, like the dataset's own. Accepted rows become
``basis: inferred`` relationships with the score and :data:`graph.analyses.suggest.METHOD`;
a pair the dataset already links is left as the dataset has it.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from graph.analyses.suggest import METHOD, review_kinds
from graph.data import GraphData, Rel, Value
from graph.model import NodeKind, RelType
from loaders.dataset import MAX_FILE_BYTES, DatasetError, Problem

__all__ = ["ReviewResult", "apply_review", "read_review"]

_REQUIRED = ("commitment", "challenge", "score", "decision")
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
    problems: list[Problem] = []
    if not path.is_file():
        raise DatasetError([Problem(str(path), 0, "is not a file")])
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise DatasetError([Problem(name, 0, f"is larger than {MAX_FILE_BYTES // 2**20} MiB")])
    # Spreadsheets often save CSV with a byte-order mark: a reviewer's file may have one.
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError([Problem(name, line, "is not valid UTF-8: save it as UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    kinds = _kinds(data)
    # The challenge column holds whatever a commitment's ADDRESSES link may point to.
    targets = review_kinds()
    linked = {
        (r.source, r.target): str(r.props.get("basis")) for r in data.rels_of(RelType.ADDRESSES)
    }
    rels: list[Rel] = []
    counts = {"accept": 0, "reject": 0, "": 0}
    already: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise DatasetError([Problem(name, 1, "file is empty: expected a header row")])
        header = [h.strip() for h in header]
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            raise DatasetError([Problem(name, 1, f"missing columns: {', '.join(missing)}")])
        if len(set(header)) != len(header):
            raise DatasetError([Problem(name, 1, "duplicate column names")])
        line = reader.line_num + 1
        for record in reader:
            start, line = line, reader.line_num + 1
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(name, start, f"has {len(record)} fields, the header has {len(header)}")
                )
                continue
            row = dict(zip(header, record, strict=True))
            commitment, challenge = row["commitment"].strip(), row["challenge"].strip()
            decision = row["decision"].strip().lower()
            ok = True
            if decision not in _DECISIONS:
                problems.append(
                    Problem(
                        name,
                        start,
                        f"decision: expected accept, reject or empty, not {row['decision']!r}",
                    )
                )
                ok = False
            for column, nid, allowed in (
                ("commitment", commitment, (NodeKind.COMMITMENT,)),
                ("challenge", challenge, targets),
            ):
                if not nid:
                    problems.append(Problem(name, start, f"{column}: required, but empty"))
                    ok = False
                elif nid not in kinds:
                    problems.append(Problem(name, start, f"{column} {nid!r} does not exist"))
                    ok = False
                elif kinds[nid] not in allowed:
                    wanted = " or ".join(k.value for k in allowed)
                    problems.append(
                        Problem(
                            name, start, f"{column} {nid!r} is a {kinds[nid].value}, not a {wanted}"
                        )
                    )
                    ok = False
            score_text = row["score"].strip()
            score: float | None = None
            try:
                score = float(score_text)
            except ValueError:
                problems.append(
                    Problem(name, start, f"score: expected a number, not {score_text!r}")
                )
                ok = False
            if score is not None and not (math.isfinite(score) and score >= 0.0):
                problems.append(
                    Problem(
                        name, start, f"score: expected a number, zero or more, not {score_text}"
                    )
                )
                ok = False
            key = (commitment, challenge)
            if ok and key in seen:
                problems.append(
                    Problem(
                        name,
                        start,
                        f"{commitment!r} -> {challenge!r} appears twice "
                        f"(first at line {seen[key]})",
                    )
                )
                ok = False
            if not ok:
                continue
            seen[key] = start
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
            rels.append(Rel(RelType.ADDRESSES, commitment, challenge, props))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num or 1, f"is not valid CSV: {exc}"))
    if problems:
        raise DatasetError(problems)
    return ReviewResult(rels, counts["accept"], counts["reject"], counts[""], already)


def apply_review(data: GraphData, review: ReviewResult) -> GraphData:
    """``data`` with the review's accepted links added (a new ``GraphData``; ``data`` is kept)."""
    return GraphData(nodes=list(data.nodes), rels=[*data.rels, *review.rels], meta=dict(data.meta))
