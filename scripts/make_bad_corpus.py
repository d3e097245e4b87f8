"""Build ``tests/data/bad/``: broken copies of the bundled dataset, one folder per case.

Usage::

    python scripts/make_bad_corpus.py [OUT_DIR]

Each case folder holds only the files that differ from ``data/grand-challenges`` (a
folder standing in for a file holds a ``.keep``), and ``expected.txt``: the exact
``file:line: message`` the loader must print for it. ``tests/test_bad_input.py`` lays
each case over a fresh copy of the bundled data. Run this again when the bundled data
changes (line numbers move); the committed corpus is its output.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "grand-challenges"
OUT = ROOT / "tests" / "data" / "bad"
SOURCE = "https://example.org/source"

Case = tuple[dict[str, str | bytes | None], str]


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def records(name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and (starting line, record) of every record of a bundled file."""
    reader = csv.reader(io.StringIO(text(name), newline=""))
    header = next(reader)
    out: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    for rec in reader:
        out.append((line, rec))
        line = reader.line_num + 1
    return header, out


def csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def append(name: str, values: list[str]) -> tuple[str, int]:
    """The file with one record appended, and the line that record starts on."""
    original = text(name)
    return original + csv_line(values), original.count("\n") + 1


def appended(name: str, values: list[str], message: str) -> Case:
    """A case: ``values`` appended to ``name``, and the problem at the line they start on."""
    body, line = append(name, values)
    return {name: body}, f"{name}:{line}: {message}"


def node_case(file: str, message: str, **cells: str) -> Case:
    """A case: a row of the node file ``file`` with ``cells`` and a source, appended."""
    return appended(file, row(file, **cells, source_url=SOURCE), message)


def row(file: str, /, **cells: str) -> list[str]:
    """A valid-looking record of ``file`` (every other cell empty), in header order."""
    header, _ = records(file)
    return [cells.get(col, "") for col in header]


def first_id(name: str) -> str:
    return records(name)[1][0][1][0]


def rewrite(name: str, change: Callable[[list[str], list[list[str]]], list[list[str]]]) -> str:
    header, recs = records(name)
    rows = change(header, [r for _, r in recs])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def rel(type_: str, source: str, target: str, **cells: str) -> list[str]:
    return row("relationships.csv", type=type_, source=source, target=target, **cells)


def cases() -> dict[str, Case]:
    theme = first_id("themes.csv")
    challenge = first_id("challenges.csv")
    partner = first_id("partners.csv")
    team = first_id("project_teams.csv")
    out: dict[str, Case] = {}

    # Encodings.
    # A row added by a tool that saves latin-1: the rest of the file stays UTF-8.
    line = text("partners.csv").count("\n") + 1
    added = csv_line(row("partners.csv", id="cafe-x", name="Caf\u00e9", source_url=SOURCE))
    latin = text("partners.csv").encode("utf-8") + added.encode("latin-1")
    out["latin1-encoding"] = (
        {"partners.csv": latin},
        f"partners.csv:{line}: is not valid UTF-8 (byte 0xe9): save it as UTF-8",
    )
    out["byte-order-mark"] = (
        {"themes.csv": b"\xef\xbb\xbf" + text("themes.csv").encode()},
        "themes.csv:1: file starts with a byte-order mark: save it as UTF-8 without BOM",
    )

    # Headers.
    def drop_has_page(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        i = header.index("has_page")
        return [[c for j, c in enumerate(r) if j != i] for r in [header, *rows]]

    def add_colour(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        return [[*header, "colour"]] + [[*r, "blue"] for r in rows]

    out["missing-columns"] = (
        {"challenges.csv": rewrite("challenges.csv", drop_has_page)},
        "challenges.csv:1: missing columns: has_page",
    )
    out["extra-columns"] = (
        {"themes.csv": rewrite("themes.csv", add_colour)},
        "themes.csv:1: unknown columns: colour",
    )

    # Rows and cells.
    for case, file, taken, first, name in (
        ("duplicate-ids", "themes.csv", theme, "themes.csv:2", "Again"),
        (
            "duplicate-ids-across-files",
            "partners.csv",
            challenge,
            "challenges.csv:2",
            "Not a partner",
        ),
    ):
        message = f"duplicate id {taken!r} (first at {first})"
        out[case] = node_case(file, message, id=taken, name=name)
    out["wrong-type-int"] = node_case(
        "themes.csv",
        "listed_order: expected a whole number, not 'third'",
        id="theme-x",
        name="X",
        listed_order="third",
    )
    out["wrong-type-bool"] = node_case(
        "challenges.csv",
        "has_page: expected true, false or empty, not 'yes'",
        id="challenge-x",
        name="X",
        has_page="yes",
    )
    out["wrong-type-number"] = appended(
        "relationships.csv",
        rel(
            "IN_THEME",
            challenge,
            "theme-professional-growth",
            basis="stated",
            source_url=SOURCE,
            score="high",
        ),
        "score: expected a number, not 'high'",
    )
    for case, long_text, message in (
        ("huge-field", "x" * 200_000, "a field is longer than 100,000 characters"),
        ("long-field", "y" * 100_001, "text: longer than 100,000 characters"),
    ):
        fields = {"id": "commitment-x", "name": "X", "text": long_text, "era": "100Kin10"}
        out[case] = node_case("commitments.csv", message, **fields)
    out["control-characters"] = node_case(
        "partners.csv", "name: contains a control character", id="bell-x", name="Ding\x07Dong"
    )
    for case, pid, name in (
        ("csv-formula", "formula-x", '=HYPERLINK("https://evil.example","x")'),
        ("csv-formula-minus", "minus-x", "-2+3+cmd|' /C calc'!A0"),
    ):
        message = f"name: begins with {name[0]!r}, which spreadsheets run as a formula; "
        out[case] = node_case("partners.csv", message + "remove or rephrase it", id=pid, name=name)
    script_id = "<script>alert(1)</script>"
    out["html-script-id"] = node_case(
        "themes.csv",
        f"id {script_id!r}: use letters, digits and . _ : ~ - only (at most 200)",
        id=script_id,
        name="X",
    )
    out["html-relationship-end"] = appended(
        "relationships.csv",
        rel("IN_THEME", '"><img src=x onerror=alert(1)>', theme, basis="stated", source_url=SOURCE),
        "source '\"><img src=x onerror=alert(1)>' does not exist",
    )

    # Whole files.
    out["empty-file"] = (
        {"keystones.csv": ""},
        "keystones.csv:1: file is empty: expected a header row (id,name,text,source_url)",
    )
    out["directory-instead-of-file"] = (
        {"resources.csv": None},
        "resources.csv:0: is a folder, not a CSV file",
    )

    # Relationships.
    out["dangling-relationship"] = appended(
        "relationships.csv",
        rel("MEMBER_OF", partner, "team-that-does-not-exist", basis="stated", source_url=SOURCE),
        "target 'team-that-does-not-exist' does not exist",
    )
    out["wrong-end-kind"] = appended(
        "relationships.csv",
        rel("IN_THEME", partner, theme, basis="stated", source_url=SOURCE),
        f"IN_THEME cannot join Partner {partner!r} to Theme {theme!r} (it joins Challenge->Theme)",
    )
    out["unknown-relationship-type"] = appended(
        "relationships.csv",
        rel("LIKES", partner, team, basis="stated", source_url=SOURCE),
        "unknown relationship type 'LIKES' (",
    )
    _, rel_records = records("relationships.csv")
    first_line, first = next((ln, r) for ln, r in rel_records if r[0] == "MEMBER_OF")
    out["duplicate-relationship"] = appended(
        "relationships.csv",
        first,
        f"duplicate relationship MEMBER_OF {first[1]!r} -> {first[2]!r} (first at line "
        f"{first_line})",
    )
    out["stated-without-source"] = appended(
        "relationships.csv",
        rel("MEMBER_OF", partner, team, basis="stated"),
        "source_url: required when basis is stated",
    )
    out["inferred-without-method"] = appended(
        "relationships.csv",
        rel("MEMBER_OF", partner, team, basis="inferred"),
        "method: required when basis is inferred (say how)",
    )
    out["unknown-basis"] = appended(
        "relationships.csv",
        rel("MEMBER_OF", partner, team, basis="rumour", source_url=SOURCE),
        "basis: expected stated or inferred, not 'rumour'",
    )

    out.update(curation_cases())

    # Malformed CSV.
    original = text("themes.csv")
    line = original.count("\n") + 1
    broken = original + f'theme-x,"An unclosed quote,,,,,{SOURCE}\nanother,line,,,,,{SOURCE}\n'
    out["unclosed-quote"] = (
        {"themes.csv": broken},
        f"themes.csv:{line}: is not valid CSV in the record starting here (read to line "
        f"{line + 1}): unexpected end of data; is a quote left open?",
    )
    broken = original + f'theme-x,"Quoted"trailing,,,,,{SOURCE}\n'
    out["stray-quote"] = (
        {"themes.csv": broken},
        f"themes.csv:{line}: is not valid CSV: ',' expected after '\"'",
    )
    out["wrong-field-count"] = (
        {"themes.csv": original + "theme-x,Too few\n"},
        f"themes.csv:{line}: has 2 fields, the header has 7",
    )
    return out


def curation_cases() -> dict[str, Case]:
    """The hand-kept curation files: ids, kinds, verbatim evidence, consistent outcomes."""
    out: dict[str, Case] = {}
    challenge = first_id("challenges.csv")
    theme = first_id("themes.csv")
    partner = first_id("partners.csv")
    _, commitments = records("commitments.csv")
    header = records("commitments.csv")[0]
    first = dict(zip(header, commitments[0][1], strict=True))
    item, words = first["id"], first["text"][:40]
    _, logged = records("curation.csv")
    none_item = next(r[0] for _, r in logged if r[1] == "none")

    def link(**cells: str) -> list[str]:
        base = {"item": item, "outcome": "linked", "target": theme, "evidence": words}
        return row("curation.csv", **{**base, "reason": "A test row.", **cells})

    cases = {
        "curation-unknown-item": (
            link(item="commitment-nobody-made"),
            "item 'commitment-nobody-made' does not exist",
        ),
        "curation-unknown-target": (
            link(target="theme-nowhere"),
            "target 'theme-nowhere' does not exist",
        ),
        "curation-wrong-item-kind": (
            link(item=challenge),
            f"item {challenge!r} is a Challenge; curated links start at a Commitment, "
            "Activity, ProjectTeam, Resource, Partner",
        ),
        "curation-wrong-target-kind": (
            link(target=partner),
            f"target {partner!r} is a Partner; curated links end at a Challenge or a Theme",
        ),
        "curation-evidence-not-verbatim": (
            link(evidence=words.upper() + " (paraphrased)"),
            f"evidence {words.upper() + ' (paraphrased)'!r} is not a verbatim part of the "
            f"text of {item!r}: quote its words exactly",
        ),
        "curation-linked-and-none": (
            link(item=none_item, target=theme, evidence="x"),
            f"item {none_item!r} is linked here but none at line",
        ),
        "curation-none-with-target": (
            row("curation.csv", item=item, outcome="none", target=theme, reason="A test row."),
            "target and evidence must be empty when outcome is none",
        ),
        "curation-unknown-outcome": (
            link(outcome="maybe"),
            "outcome: expected linked or none, not 'maybe'",
        ),
    }
    for name, (values, message) in cases.items():
        out[name] = appended("curation.csv", values, message)

    sector_cases = {
        "sectors-unknown-sector": (
            row("sectors.csv", partner=partner, sector="charity", basis="curated", reason="x"),
            "sector 'charity' is not in the vocabulary (",
        ),
        "sectors-stated-without-evidence": (
            row("sectors.csv", partner=partner, sector="nonprofit", basis="stated"),
            "evidence: required when basis is stated (quote the source)",
        ),
        "sectors-unknown-partner": (
            row(
                "sectors.csv",
                partner="nobody-at-all",
                sector="company",
                basis="curated",
                reason="x",
            ),
            "partner 'nobody-at-all' does not exist",
        ),
    }
    for name, (values, message) in sector_cases.items():
        body, line = append("sectors.csv", values)
        if name != "sectors-unknown-partner":
            # the appended row repeats a partner: drop its first row so only the case fails
            kept = [ln for ln in body.splitlines(keepends=True) if not ln.startswith(partner + ",")]
            kept.append(csv_line(values))
            body, line = "".join(kept), len(kept)
        out[name] = ({"sectors.csv": body}, f"sectors.csv:{line}: {message}")
    return out


def write(out_dir: Path) -> None:
    if out_dir.exists():
        for case in out_dir.iterdir():
            if case.is_dir():
                shutil.rmtree(case)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (files, expected) in sorted(cases().items()):
        folder = out_dir / name
        folder.mkdir()
        for file, content in files.items():
            if content is None:
                (folder / file).mkdir()
                (folder / file / ".keep").write_text("")
            elif isinstance(content, bytes):
                (folder / file).write_bytes(content)
            else:
                (folder / file).write_text(content, encoding="utf-8", newline="")
        (folder / "expected.txt").write_text(expected + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
