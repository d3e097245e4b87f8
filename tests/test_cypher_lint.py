"""Every Cypher statement meant for Neo4j, checked by Neo4j's own parser, without a server.

Neo4j's Cypher 5 parser and semantic analysis, as the ``@neo4j-cypher/language-support``
package ships them (the code behind Neo4j's own editors), run with ``node`` over:

* every statement the Neo4j store can send (``graph.store.cypher.neo4j_statements()``),
  and a check that ``graph/store/neo4j_store.py`` sends no Cypher but those and the
  console's query;
* every canned console example (written once, in Neo4j Cypher);
* every query in ``README.md``, ``docs/*.md`` and ``notebooks/*.ipynb``: fenced
  ``cypher`` blocks, ``gcx query "..."`` lines, inline code that is a whole statement,
  and the strings notebooks pass to ``cypher(...)`` or ``store.query(...)``.

A query written for the embedded engine only (Kùzu dialect) says so with a marker on the
line before it: ``<!-- cypher: embedded dialect only -->`` in Markdown, ``# cypher:
embedded dialect only`` in a notebook cell. Only those are skipped, and each marker must
mark a query that Neo4j's parser does refuse. Labels, relationship types and property keys
are the model's; an unknown label is a failure. A planted Kùzu-only construct and a
planted syntax error must fail, so the check cannot pass by checking nothing.

The package is installed by ``make cypher-lint-setup`` (``npm ci`` in
``tools/cypher-lint/``; ``.ci/run`` does it); without it, or without ``node``, these
tests skip with that reason, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.console.examples import EXAMPLES
from graph.model import NODE_KINDS, REL_PROPERTIES, REL_TYPES
from graph.store import cypher
from tests.conftest import ROOT

LINT = ROOT / "tools" / "cypher-lint"
MARKER = "cypher: embedded dialect only"
CLAUSE = re.compile(
    r"^(MATCH|OPTIONAL MATCH|RETURN|UNWIND|WITH|CALL|SHOW|CREATE|MERGE|PROFILE|EXPLAIN)\b"
)


@dataclass(frozen=True)
class Statement:
    """One statement to check: where it comes from, its text, and whether it is marked."""

    where: str
    text: str
    embedded_only: bool = False


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it: .ci/run installs it)")
    pytest.skip(reason)


@cache
def _node() -> str | None:
    return shutil.which("node")


def lint(texts: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Problems per statement id, from Neo4j's parser and semantic analysis."""
    node = _node()
    if node is None:
        _unavailable("node is not installed (Debian: apt-get install nodejs)")
    if not (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        _unavailable("the Cypher linter is not installed: run `make cypher-lint-setup`")
    request = {
        "labels": [k.value for k in NODE_KINDS] + [cypher.STORE_LABEL],
        "relationshipTypes": [r.value for r in REL_TYPES],
        "propertyKeys": sorted(
            {p for spec in NODE_KINDS.values() for p in spec.property_names}
            | {p.name for p in REL_PROPERTIES}
            | set(cypher.STORE_PROPERTIES)
            | {"source", "target"}  # the keys of the relationship rows the load unwinds
        ),
        "statements": [{"id": k, "text": v} for k, v in texts.items()],
    }
    proc = subprocess.run(
        [str(node), str(LINT / "lint.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=LINT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {entry["id"]: entry["problems"] for entry in json.loads(proc.stdout)}


# -- where the statements are --------------------------------------------------------------


def _marked(lines: list[str], index: int) -> bool:
    """Whether the line before ``index`` (or the line itself) carries the marker."""
    return any(MARKER in lines[i] for i in (index - 1, index) if 0 <= i < len(lines))


def markdown_statements(path: Path) -> Iterator[Statement]:
    """Fenced cypher blocks, ``gcx query`` lines, and inline code that is a statement."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    fence: tuple[str, int] | None = None
    body: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence, body = (stripped[3:].strip().split(" ")[0].lower(), i), []
            continue
        if fence is not None and stripped.startswith("```"):
            lang, start = fence
            if lang == "cypher":
                yield Statement(f"{name}:{start + 1}", "\n".join(body), _marked(lines, start))
            fence = None
            continue
        if fence is not None:
            body.append(line)
            if fence[0] in ("sh", "bash", "console", "shell") and "gcx query " in line:
                command = shlex.split(line.split("#", 1)[0] if " # " in line else line)
                query = command[command.index("query") + 1]
                yield Statement(f"{name}:{i + 1}", query, _marked(lines, i))
    prose = re.sub(r"```.*?```", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    for match in re.finditer(r"(?<!`)`([^`]+)`(?!`)", prose):
        span = " ".join(match.group(1).split())
        if not CLAUSE.match(span) or len(span.split()) < 3 or re.search(r"…|\.\.\.|<\w+>", span):
            continue  # not a statement, or a fragment with an ellipsis or a <placeholder>
        line_no = prose.count("\n", 0, match.start())
        yield Statement(f"{name}:{line_no + 1}", span, _marked(lines, line_no))


def notebook_statements(path: Path) -> Iterator[Statement]:
    """String arguments of ``cypher(...)`` and ``<store>.query(...)`` in code cells."""
    name = path.relative_to(ROOT).as_posix()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, 1):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = source.splitlines()
        clean = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
        for call in ast.walk(ast.parse(clean)):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            func = call.func
            named = (isinstance(func, ast.Name) and func.id == "cypher") or (
                isinstance(func, ast.Attribute) and func.attr == "query"
            )
            first = call.args[0]
            if named and isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{name} cell {number} line {call.lineno}"
                yield Statement(where, first.value.strip(), _marked(lines, call.lineno - 1))


def documented_statements() -> list[Statement]:
    found: list[Statement] = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found.extend(markdown_statements(path))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        found.extend(notebook_statements(path))
    return found


def backend_statements() -> list[Statement]:
    return [
        Statement(f"graph.store.cypher #{i}", s) for i, s in enumerate(cypher.neo4j_statements())
    ]


def example_statements() -> list[Statement]:
    return [Statement(f"example {e.slug}", e.cypher) for e in EXAMPLES]


PLANTED = {
    "planted label()": "MATCH (n:Theme) RETURN label(n) AS kind",
    "planted shortest": "MATCH p = (a:Partner)-[* SHORTEST 1..4]-(b:Challenge) RETURN p",
    "planted syntax": "MATCH (n:Theme RETURN n",
    "planted unknown label": "MATCH (n:Theem) RETURN n",
    "planted plugin": "CALL apoc.meta.stats()",
    "planted undefined variable": "MATCH (n:Theme) RETURN m",
    "planted fine": "MATCH (n:Theme {id: $id}) RETURN labels(n), n.name",
}


#: A document with a Kùzu-only query, once unmarked and once marked: the first must fail.
PLANTED_DOC = f"""# Planted

```cypher
MATCH (n:Theme) RETURN label(n) AS kind
```

<!-- {MARKER} -->
```cypher
MATCH (n:Challenge) RETURN label(n) AS kind
```

```sh
gcx query "MATCH (t:Theme) RETURN t.name AS name ORDER BY name"
```
"""


@cache
def planted_doc_statements() -> list[Statement]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "planted.md"
        path.write_text(PLANTED_DOC, encoding="utf-8")
        return list(markdown_statements(path))


@cache
def _all_problems() -> dict[str, list[dict[str, Any]]]:
    """One run of the linter over everything (node takes seconds to load the analyser)."""
    statements = [
        *backend_statements(),
        *example_statements(),
        *documented_statements(),
        *planted_doc_statements(),
    ]
    return lint({**PLANTED, **{s.where: s.text for s in statements}})


def _report(statements: list[Statement]) -> list[str]:
    problems = _all_problems()
    return [
        f"{s.where}: {p['severity']} at {p['line']}:{p['column']}: {p['message']}\n    {s.text}"
        for s in statements
        for p in problems[s.where]
    ]


# -- the checks ----------------------------------------------------------------------------


def test_the_checker_refuses_a_planted_kuzu_construct_and_a_syntax_error() -> None:
    problems = _all_problems()
    assert [k for k in PLANTED if not problems[k] and k != "planted fine"] == []
    assert problems["planted fine"] == []


def test_an_unmarked_kuzu_query_in_a_document_fails_and_only_a_marked_one_is_skipped() -> None:
    unmarked, marked, command = planted_doc_statements()
    assert (unmarked.embedded_only, marked.embedded_only, command.embedded_only) == (
        False,
        True,
        False,
    )
    assert command.text == "MATCH (t:Theme) RETURN t.name AS name ORDER BY name"
    report = _report([s for s in planted_doc_statements() if not s.embedded_only])
    assert len(report) == 1 and report[0].startswith("planted.md:3: error")
    assert "Function label is not present" in report[0]


def test_every_statement_the_neo4j_store_sends_passes_neo4js_parser() -> None:
    statements = backend_statements()
    assert len(statements) == len({s.text for s in statements}) > 50
    assert _report(statements) == []


def test_the_neo4j_store_sends_no_cypher_but_the_checked_statements_and_the_console() -> None:
    # Every run / execute_query / Query of the store takes its text from graph.store.cypher
    # (checked above); the one exception is the console's query, in _run_read.
    tree = ast.parse((ROOT / "graph" / "store" / "neo4j_store.py").read_text(encoding="utf-8"))
    loose: dict[str, str] = {}
    for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for call in [n for n in ast.walk(func) if isinstance(n, ast.Call) and n.args]:
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            if name in ("run", "execute_query", "Query"):
                if isinstance(call.args[0], ast.Call):
                    continue  # execute_query(neo4j.Query(...)): the inner call is checked
                text = ast.unparse(call.args[0])
                if not text.startswith("cypher."):
                    loose[text] = func.name
    assert loose == {"statement": "ensure_schema", "q": "_claim_empty", "text": "work"}
    source = ast.unparse(tree)
    assert "for statement in cypher.NEO4J_CONSTRAINTS.values()" in source
    assert "for q in cypher.COUNT_NODES.values()" in source
    assert "text: LiteralString = cast(LiteralString, cypher_text)" in source


def test_the_first_contact_checklist_sends_only_checked_statements() -> None:
    tree = ast.parse((ROOT / "graph" / "store" / "doctor.py").read_text(encoding="utf-8"))
    sent = [
        ast.unparse(call.args[-1] if name == "_records" else call.args[0])
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and (name := getattr(call.func, "attr", getattr(call.func, "id", "")))
        in ("_records", "query", "run", "execute_query")
    ]
    # "statement": _records' own argument, which every caller above fills from cypher.
    assert sent.count("statement") == 1, sent
    checked = [text for text in sent if text != "statement"]
    assert checked and all(text.startswith("cypher.") for text in checked), sent
    assert {text.removeprefix("cypher.") for text in checked} <= set(dir(cypher))


def test_every_example_passes_neo4js_parser_in_its_neo4j_text() -> None:
    assert _report(example_statements()) == []


def test_every_documented_query_passes_neo4js_parser_unless_marked_embedded_only() -> None:
    statements = documented_statements()
    where = {s.where.split(":")[0].split(" ")[0] for s in statements}
    # The places that hold queries today: an extractor that finds nothing fails here.
    assert {"README.md", "docs/schema.md", "docs/neo4j.md"} <= where
    assert any(w.startswith("notebooks/") for w in where)
    assert _report([s for s in statements if not s.embedded_only]) == []


def test_each_embedded_only_marker_marks_a_query_neo4j_refuses() -> None:
    # A marker is an exemption: it must not hide a query that Neo4j would accept.
    marked = [s for s in documented_statements() if s.embedded_only]
    if not marked:
        pytest.skip("no query is marked embedded dialect only")
    problems = _all_problems()
    assert [s.where for s in marked if not problems[s.where]] == []
