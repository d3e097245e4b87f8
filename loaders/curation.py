"""Read the two hand-kept curation files of a dataset: judged links and partner sectors.

``curation.csv`` is the log of a judgement made item by item: for every commitment,
activity, project team, resource and partner description, which challenges or themes its
own words work on (``linked``, one row per link, with the verbatim ``evidence`` and a
``reason``), or ``none`` with the reason. A linked row becomes a relationship with
``basis: inferred`` and ``method: curated`` — ``ADDRESSES`` from a commitment, activity,
team or partner, ``ABOUT`` from a resource — unless the dataset already holds that very
link (a stated link is never shadowed by a judged one). ``sectors.csv`` gives every
partner one sector from :data:`graph.model.SECTORS`, ``stated`` (a source says it, quoted)
or ``curated`` (judged, with the reason), or ``none``.

Both files are optional (a dataset without them loads as before) and validated like the
rest of the dataset: unknown items, partners or targets, the wrong kind of node, evidence
that is not a verbatim part of the item's own text, and outcomes that contradict each
other are each reported as ``file:line: message``. ``docs/data-format.md`` says how to add
and review rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from graph.data import Node, Rel, Value
from graph.model import CURATED, SECTOR_BASES, SECTORS, NodeKind, RelType

__all__ = [
    "CURATION_COLUMNS",
    "CURATION_FILE",
    "EVIDENCE_FIELDS",
    "MAX_EVIDENCE",
    "SECTORS_COLUMNS",
    "SECTORS_FILE",
    "NodeIndex",
    "node_index",
    "read_curated_links",
    "read_curation",
    "read_sectors",
]

CURATION_FILE = "curation.csv"
SECTORS_FILE = "sectors.csv"
CURATION_COLUMNS = ("item", "outcome", "target", "evidence", "reason")
SECTORS_COLUMNS = ("partner", "sector", "basis", "evidence", "reason")
MAX_EVIDENCE = 300

#: The text fields of each kind of item that a curated link's evidence must quote.
EVIDENCE_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.COMMITMENT: ("text",),
    NodeKind.ACTIVITY: ("text", "name", "event"),
    NodeKind.PROJECT_TEAM: ("name", "contact"),
    NodeKind.RESOURCE: ("title", "name", "summary"),
    NodeKind.PARTNER: ("description", "roles"),
}
#: What a sector's evidence may quote: anything the partner's row says about it.
_SECTOR_FIELDS = ("name", "name_variants", "sector", "description", "roles", "location", "website")
_TARGETS = (NodeKind.CHALLENGE, NodeKind.THEME)
_OUTCOMES = ("linked", "none")


class _Reader(Protocol):
    """The part of the dataset reader this module uses (``loaders.dataset``)."""

    def problem(self, file: str, line: int, message: str) -> None: ...

    def rows(
        self,
        name: str,
        columns: tuple[str, ...],
        required: bool = True,
    ) -> list[tuple[int, dict[str, str]]]: ...


def _texts(node: Node, fields: Iterable[str]) -> list[str]:
    out: list[str] = []
    for f in fields:
        value = node.props.get(f)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(value)
    return out


def _short(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


#: The dataset's nodes by id, built on first use (by the caller, once for both files).
NodeIndex = Callable[[], Mapping[str, Node]]


def node_index(nodes: list[Node]) -> NodeIndex:
    """``nodes`` by id, built on the first call and kept (the nodes must be all read)."""

    @functools.cache
    def index() -> Mapping[str, Node]:
        return {n.id: n for n in nodes}

    return index


def stated_sectors(nodes: Iterable[Node]) -> None:
    """Set each partner's ``sector_basis`` from its own row: ``stated`` when the row names
    a sector, else none (``sectors.csv``, if there is one, may change both later). Done
    as the partners are read, so that without ``sectors.csv`` they are complete then."""
    for n in nodes:
        if n.kind is NodeKind.PARTNER:
            n.props["sector_basis"] = "stated" if n.props.get("sector") else None


def read_sectors(
    reader: _Reader, nodes: list[Node], *, checkable: bool = True, index: NodeIndex | None = None
) -> None:
    """Check ``sectors.csv`` and set each partner's ``sector`` and ``sector_basis``: from
    its row there, else ``stated`` when the partner row names a sector. Every problem
    goes to ``reader``; ``checkable=False`` (a node file could not be read whole) skips
    the checks of ids against the nodes. ``index`` gives the nodes by id (asked only if
    the file has rows)."""
    stated_sectors(nodes)
    rows = reader.rows(SECTORS_FILE, SECTORS_COLUMNS, required=False)
    if rows:
        _read_sectors(reader, rows, (index or node_index(nodes))(), checkable)


def read_curated_links(
    reader: _Reader,
    nodes: list[Node],
    rels: list[Rel],
    *,
    checkable: bool = True,
    index: NodeIndex | None = None,
) -> list[Rel]:
    """Check ``curation.csv`` against the dataset; the curated relationships to add (a
    link ``rels`` already holds is not added again). Every problem goes to ``reader``;
    ``index`` gives the nodes by id (asked only if the file has rows)."""
    rows = reader.rows(CURATION_FILE, CURATION_COLUMNS, required=False)
    if not rows:
        return []
    return _read_links(reader, rows, (index or node_index(nodes))(), rels, checkable)


def read_curation(
    reader: _Reader, nodes: list[Node], rels: list[Rel], *, checkable: bool = True
) -> list[Rel]:
    """Both files: :func:`read_sectors`, then :func:`read_curated_links`."""
    index = node_index(nodes)
    read_sectors(reader, nodes, checkable=checkable, index=index)
    return read_curated_links(reader, nodes, rels, checkable=checkable, index=index)


def _read_links(
    reader: _Reader,
    rows: list[tuple[int, dict[str, str]]],
    by_id: Mapping[str, Node],
    rels: list[Rel],
    checkable: bool,
) -> list[Rel]:
    file = CURATION_FILE
    existing = {(r.type, r.source, r.target) for r in rels}
    seen: dict[tuple[str, str], int] = {}
    outcome_of: dict[str, tuple[str, int]] = {}
    out: list[Rel] = []
    for line, cells in rows:
        row = {c: cells[c].strip() for c in CURATION_COLUMNS}
        item, outcome, target = row["item"], row["outcome"], row["target"]
        if not _check_outcome(reader, line, row):
            continue
        first = outcome_of.setdefault(item, (outcome, line))
        if first[0] != outcome:
            reader.problem(
                file,
                line,
                f"item {item!r} is {outcome} here but {first[0]} at line {first[1]}: an item "
                "is either linked (one row per link) or none (one row)",
            )
            continue
        key = (item, target)
        if key in seen:
            what = "link" if target else "none row"
            reader.problem(file, line, f"duplicate {what} for {item!r} (first at line {seen[key]})")
            continue
        seen[key] = line
        if not checkable:
            continue
        node = _item(reader, line, by_id, item)
        if node is None or outcome == "none":
            continue
        rel = _link(reader, line, by_id, node, row)
        if rel is not None and (rel.type, rel.source, rel.target) not in existing:
            out.append(rel)
    return out


def _check_outcome(reader: _Reader, line: int, row: dict[str, str]) -> bool:
    """The row's own consistency (its cells trimmed): outcome, and the cells it requires or
    forbids."""
    file = CURATION_FILE
    item, outcome, target, evidence, reason = (row[c] for c in CURATION_COLUMNS)
    ok = True
    if not item:
        reader.problem(file, line, "item: required, but empty")
        ok = False
    if outcome not in _OUTCOMES:
        shown = "an empty cell" if not outcome else _short(outcome)
        reader.problem(file, line, f"outcome: expected linked or none, not {shown}")
        return False
    if not reason:
        reader.problem(file, line, "reason: required (say why, in a sentence a user can read)")
        ok = False
    if outcome == "linked":
        for col, cell in (("target", target), ("evidence", evidence)):
            if not cell:
                reader.problem(file, line, f"{col}: required when outcome is linked")
                ok = False
        if len(evidence) > MAX_EVIDENCE:
            reader.problem(
                file, line, f"evidence: longer than {MAX_EVIDENCE} characters; quote less"
            )
            ok = False
    elif target or evidence:
        reader.problem(file, line, "target and evidence must be empty when outcome is none")
        ok = False
    return ok


def _item(reader: _Reader, line: int, by_id: Mapping[str, Node], item: str) -> Node | None:
    node = by_id.get(item)
    if node is None:
        reader.problem(CURATION_FILE, line, f"item {_short(item)} does not exist")
        return None
    if node.kind not in EVIDENCE_FIELDS:
        kinds = ", ".join(k.value for k in EVIDENCE_FIELDS)
        reader.problem(
            CURATION_FILE,
            line,
            f"item {item!r} is a {node.kind.value}; curated links start at a {kinds}",
        )
        return None
    return node


def _link(
    reader: _Reader, line: int, by_id: Mapping[str, Node], node: Node, row: dict[str, str]
) -> Rel | None:
    """The relationship a linked row (its cells trimmed) from ``node`` makes, or ``None``
    (the problem reported)."""
    file = CURATION_FILE
    target, evidence = row["target"], row["evidence"]
    other = by_id.get(target)
    ok = True
    if other is None:
        reader.problem(file, line, f"target {_short(target)} does not exist")
        ok = False
    elif other.kind not in _TARGETS:
        reader.problem(
            file,
            line,
            f"target {target!r} is a {other.kind.value}; curated links end at a Challenge or "
            "a Theme",
        )
        ok = False
    fields = EVIDENCE_FIELDS[node.kind]
    if not any(evidence in text for text in _texts(node, fields)):
        reader.problem(
            file,
            line,
            f"evidence {_short(evidence)} is not a verbatim part of the {' or '.join(fields)} "
            f"of {node.id!r}: quote its words exactly",
        )
        ok = False
    if not ok:
        return None
    rtype = RelType.ABOUT if node.kind is NodeKind.RESOURCE else RelType.ADDRESSES
    props: dict[str, Value] = {
        "basis": "inferred",
        "method": CURATED,
        "evidence": evidence,
        "reason": row["reason"],
        "source_url": node.props.get("source_url"),
    }
    return Rel(rtype, node.id, target, props)


def _read_sectors(
    reader: _Reader,
    rows: list[tuple[int, dict[str, str]]],
    by_id: Mapping[str, Node],
    checkable: bool,
) -> None:
    file = SECTORS_FILE
    seen: dict[str, int] = {}
    for line, row in rows:
        pid, sector = row["partner"].strip(), row["sector"].strip()
        basis, evidence = row["basis"].strip(), row["evidence"].strip()
        reason = row["reason"].strip()
        if pid in seen:
            reader.problem(file, line, f"duplicate row for {pid!r} (first at line {seen[pid]})")
            continue
        seen[pid] = line
        ok = _check_sector(reader, line, sector, basis, evidence, reason)
        if not checkable:
            continue
        node = by_id.get(pid)
        if node is None or node.kind is not NodeKind.PARTNER:
            what = "does not exist" if node is None else f"is a {node.kind.value}, not a Partner"
            reader.problem(file, line, f"partner {_short(pid)} {what}")
            continue
        if evidence and not any(evidence in t for t in _texts(node, _SECTOR_FIELDS)):
            reader.problem(
                file,
                line,
                f"evidence {_short(evidence)} is not a verbatim part of the row of {pid!r} in "
                "partners.csv: quote its words exactly",
            )
            ok = False
        if ok:
            node.props["sector"] = sector or None
            node.props["sector_basis"] = None if basis == "none" else basis


def _check_sector(
    reader: _Reader, line: int, sector: str, basis: str, evidence: str, reason: str
) -> bool:
    file = SECTORS_FILE
    if basis not in SECTOR_BASES:
        shown = "an empty cell" if not basis else _short(basis)
        reader.problem(file, line, f"basis: expected stated, curated or none, not {shown}")
        return False
    if sector and sector not in SECTORS:
        reader.problem(
            file, line, f"sector {_short(sector)} is not in the vocabulary ({', '.join(SECTORS)})"
        )
        return False
    if (basis == "none") != (not sector):
        reader.problem(file, line, "sector must be empty exactly when basis is none")
        return False
    if basis == "stated" and not evidence:
        reader.problem(file, line, "evidence: required when basis is stated (quote the source)")
        return False
    if basis != "stated" and not reason:
        reader.problem(file, line, f"reason: required when basis is {basis} (say why)")
        return False
    return True
