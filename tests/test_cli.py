"""The gcx command line: load, stats, query; exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import ladybug
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
    assert code == 5  # "not loaded": reachable, and nothing there yet
    assert "run `gcx load` first" in capsys.readouterr().err


def test_stats_tells_an_unavailable_store_from_an_empty_one(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.write_text("not a graph")  # the database cannot be opened: "unavailable"
    code, _ = run("stats")
    assert code == 3
    assert "unavailable" in capsys.readouterr().err


def test_load_if_empty_loads_an_empty_store_once_and_never_replaces_a_graph(env: Path) -> None:
    code, out = run("load", "--if-empty")
    assert code == 0 and "Loaded" in out
    generation = os.readlink(env)
    code, out = run("load", "--if-empty")
    assert code == 0
    assert "already holds a graph" in out and "nothing was loaded" in out and "Loaded" not in out
    assert os.readlink(env) == generation  # the same generation: nothing was written
    code, out = run("load")  # without --if-empty a load replaces, as before
    assert code == 0 and os.readlink(env) != generation


def test_load_if_empty_refuses_to_touch_an_unavailable_store(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.write_text("an operator's file")
    code, out = run("load", "--if-empty")
    assert code == 3 and "Loaded" not in out
    assert env.read_text() == "an operator's file"


def test_two_if_empty_loads_at_once_load_exactly_one_graph(env: Path) -> None:
    # The race --if-empty must close: both check "empty", both build; the link that names
    # the graph is made in place, so the second fails to make it and removes its build.
    from graph.backends import open_store
    from graph.errors import GraphAlreadyLoaded
    from graph.settings import BUNDLED_DATASET, load_settings
    from loaders.dataset import read_dataset

    data = read_dataset(BUNDLED_DATASET)
    # ladybug loads its C library on first use, and two threads doing that at once can
    # fail ("Could not find lbug C API shared library"): load it before the race.
    ladybug.Database(str(env.parent / "warm-up.lbug")).close()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def one_load() -> None:
        with open_store(load_settings()) as store:
            start.wait()
            try:
                store.replace(data, if_empty=True)
                outcomes.append("loaded")
            except GraphAlreadyLoaded:
                outcomes.append("left alone")

    threads = [threading.Thread(target=one_load) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["left alone", "loaded"]
    winner = Path(os.readlink(env)).stem
    leftovers = [p.name for p in (env.parent / (env.name + ".d")).iterdir()]
    assert leftovers and all(name.startswith(winner) for name in leftovers), leftovers


def test_doctor_on_the_embedded_store_says_what_it_holds(env: Path) -> None:
    code, out = run("doctor")
    assert code == 0
    assert "ok    store: embedded graph file" in out and "warn  graph: no graph is loaded" in out
    run("load")
    code, out = run("doctor")
    assert code == 0 and "ok    graph: version" in out and "All checks passed." in out


def test_doctor_names_an_unreachable_neo4j_and_exits_3(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends
    monkeypatch.setenv("GCX_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    code, out = run("doctor")
    assert code == 3
    assert f"fail  connectivity: bolt://127.0.0.1:{port}" in out and "Failed: connectivity." in out


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


def test_a_reader_that_goes_away_ends_gcx_quietly(env: Path) -> None:
    """``gcx stats | head -1``: no traceback, the shell's code for a broken pipe."""
    assert run_cli("load")[0] == 0
    gcx = Path(sys.executable).with_name("gcx")
    with subprocess.Popen(
        [str(gcx), "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before gcx has started: its first write finds no reader
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141  # 128 + SIGPIPE, as a shell reports it
    assert err == ""
