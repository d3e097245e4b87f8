"""The gcx command line: load, stats, query; exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

PARTNERS_PER_CATALYST = (
    "MATCH (p:Partner)-[:MEMBER_OF]->(:ProjectTeam)-[:WORKS_ON]->(:FocusArea)"
    "-[:TARGETS]->(c:Challenge) RETURN c.name, count(DISTINCT p) AS partners "
    "ORDER BY partners DESC, c.name"
)


run = run_cli


def test_load_prints_counts_per_kind_and_the_coverage_line(env: Path) -> None:
    code, out = run("load")
    assert code == 0
    assert "Challenge" in out and " 27" in out
    assert "27 of the map's 104 challenges are in the public record" in out


def test_stats_before_any_load_says_how_to_load(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("stats")
    assert code == 3
    assert "run `gcx load` first" in capsys.readouterr().err


def test_stats_json_reports_counts_and_coverage(env: Path) -> None:
    run("load")
    code, out = run("stats", "--format", "json")
    payload = json.loads(out)
    assert code == 0
    assert payload["counts"]["Challenge"] == 27
    assert payload["counts"]["Theme"] == 7
    assert payload["counts"]["Partner"] == 192
    assert payload["counts"]["Commitment"] == 73
    assert payload["coverage"] == {
        "challenges": 27,
        "map_total": 104,
        "line": payload["coverage"]["line"],
    }
    # The addressing relation's reach: the done-when figure is >= 140 of 192.
    addressing = payload["addressing"]
    assert addressing["partners"] >= 140 and addressing["partners_total"] == 192
    assert addressing["challenges"] <= 27 and addressing["themes"] == 7
    assert set(addressing["links"]) == {"stated", "curated", "inferred"}
    assert addressing["links"]["curated"] > addressing["links"]["stated"] > 0
    code, text = run("stats")
    assert f"{addressing['partners']} of 192 partners address part of the map" in text


def test_query_answers_the_partners_per_catalyst_question(env: Path) -> None:
    run("load")
    code, out = run("query", PARTNERS_PER_CATALYST, "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert result["columns"] == ["c.name", "partners"]
    top = result["rows"][0]
    assert top[1] == 22
    assert result["truncated"] is False
    assert all(isinstance(r[1], int) for r in result["rows"])


def test_query_table_and_csv_formats(env: Path) -> None:
    run("load")
    code, table = run("query", "MATCH (t:Theme) RETURN t.name ORDER BY t.name")
    assert code == 0
    assert "Elementary STEM" in table and "7 row(s)" in table
    code, text = run("query", "MATCH (t:Theme) RETURN t.name ORDER BY t.name", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["t.name"] and len(rows) == 8


def test_query_parameters_bind_as_values(env: Path) -> None:
    run("load")
    code, out = run(
        "query",
        "MATCH (t:Theme) WHERE t.name = $name RETURN t.question",
        "--param",
        "name=Prestige",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["rows"] == [
        ["How might we raise the prestige of the STEM teaching profession?"]
    ]
    # A value that looks like Cypher stays a value.
    code, out = run(
        "query",
        "MATCH (t:Theme) WHERE t.name = $name RETURN t.name",
        "--param",
        "name=x' OR 1=1 //",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["rows"] == []


def test_a_write_query_is_refused_and_changes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("load")
    _, before = run("stats", "--format", "json")
    code, _ = run("query", "MATCH (n) DETACH DELETE n")
    assert code == 4
    assert "DETACH DELETE is not allowed" in capsys.readouterr().err
    code, _ = run("query", "CREATE (:Theme {id: 'x', name: 'x'})")
    assert code == 4
    _, after = run("stats", "--format", "json")
    assert json.loads(after)["counts"] == json.loads(before)["counts"]


def test_row_cap_truncates_and_says_so(env: Path) -> None:
    run("load")
    code, out = run("query", "MATCH (p:Partner) RETURN p.name", "--max-rows", "5")
    assert code == 0
    assert "5 row(s)" in out and "truncated" in out


def test_a_syntax_error_is_a_clear_failure(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("load")
    code, _ = run("query", "MATCH (c:Challenge RETURN c")
    assert code == 4
    assert "query failed" in capsys.readouterr().err


def test_bad_input_names_file_and_line_and_loads_nothing(
    env: Path, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("load")
    themes = dataset / "themes.csv"
    themes.write_text(themes.read_text() + "theme-prestige,Duplicate,,,,,http://x\n")
    code, _ = run("load", str(dataset))
    err = capsys.readouterr().err
    assert code == 1
    assert "themes.csv:9: duplicate id 'theme-prestige' (first at themes.csv:" in err
    assert "nothing was loaded" in err


def test_bad_settings_are_a_usage_error(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GCX_BACKEND", "oracle")
    assert run("stats")[0] == 2
    assert "GCX_BACKEND must be one of" in capsys.readouterr().err


def test_the_console_script_has_help_everywhere() -> None:
    gcx = Path(sys.executable).with_name("gcx")
    for args in ([], ["load"], ["stats"], ["query"]):
        proc = subprocess.run(
            [str(gcx), *args, "--help"], capture_output=True, text=True, check=False, cwd=ROOT
        )
        assert proc.returncode == 0, proc.stderr
        assert "usage: gcx" in proc.stdout
