"""Suggestions: the matcher ranks challenges and themes for any text and abstains below its
threshold; the evaluation's figures; `gcx suggest --text`; the review file round trip
through `gcx suggest` and `gcx load --suggestions`; review-file errors."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from graph import Store, addressing
from graph.analyses.evaluation import calibrate, cross_validate, figures, judge
from graph.analyses.matcher import ABSTAIN_BELOW, Matcher, targets
from graph.analyses.suggest import (
    METHOD,
    Suggestion,
    review_kinds,
    suggest,
)
from graph.backends import open_store
from graph.data import Node, Snapshot, to_networkx
from graph.model import NodeKind as K
from graph.model import RelType as R
from graph.settings import BUNDLED_DATASET, Settings
from loaders import REVIEW_COLUMNS, DatasetError, read_dataset, read_review, write_review
from tests.conftest import ROOT, run_cli
from tests.small_graph import rel

FORTHCOMING = "commitment-achieving-student-success-through-excellence-in-teaching-asset-inc-1"
LOAN = "scholarships-or-loan-forgiveness-for-stem-college-majors-entering-pk-12-stem-teaching-jobs"


def tiny() -> Snapshot:
    """Three targets of two words each (after stop words), a keystone, three commitments.

    Stemmed: fam = famili, awar (+ the keystone: famili, job); adm = admiss, standard;
    t = teacher, leadership.
    """
    nodes = [
        Node(K.CHALLENGE, {"id": "fam", "name": "Family awareness"}),
        Node(K.CHALLENGE, {"id": "adm", "name": "Admissions standards"}),
        Node(K.THEME, {"id": "t", "name": "Teacher leadership"}),
        Node(K.KEYSTONE, {"id": "ks", "name": "KS", "text": "Families' jobs"}),
        Node(K.COMMITMENT, {"id": "m1", "name": "m1", "text": "Workshops for families"}),
        Node(K.COMMITMENT, {"id": "m2", "name": "m2", "text": "=cmd|' /C calc'!A0"}),
        Node(K.COMMITMENT, {"id": "m3", "name": "m3", "text": "Teacher leadership roles"}),
    ]
    return to_networkx(nodes, [rel(R.CORRESPONDS_TO, "ks", "fam")])


def bm25(tf: int, df: int, n: int, length: int, avgdl: float) -> float:
    """BM25 as Lucene scores one query word (k1 1.5, b 0.75; no constant k1 + 1 factor)."""
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf / (tf + 1.5 * (1 - 0.75 + 0.75 * length / avgdl))


def test_the_matcher_scores_by_bm25_over_the_maps_own_words() -> None:
    g = tiny()
    assert [(t.id, t.kind.value, t.sources) for t in targets(g)] == [
        ("adm", "Challenge", ()),
        ("fam", "Challenge", ("ks",)),
        ("t", "Theme", ()),
    ]
    matches = Matcher(g).scores("Workshops for families")
    # 'famili' is twice in fam's four words (name and keystone), in no other target.
    assert [m.id for m in matches] == ["fam", "adm", "t"]  # ties at zero: by id
    assert matches[0].score == pytest.approx(bm25(2, 1, 3, 4, 8 / 3), abs=1e-5)
    assert [m.score for m in matches[1:]] == [0.0, 0.0]
    # A theme is ranked like a challenge, and says so.
    (lead,) = Matcher(g).rank("teacher leadership roles", threshold=0.01)
    assert (lead.id, lead.kind, lead.name) == ("t", "Theme", "Teacher leadership")
    # Without the keystone's words, fam has two words and 'famili' once.
    alone = Matcher(g, exclude=["ks"]).scores("Workshops for families")[0]
    assert alone.score == pytest.approx(bm25(1, 1, 3, 2, 2.0), abs=1e-5)


def test_the_matcher_abstains_below_its_threshold_and_on_unknown_words() -> None:
    g = tiny()
    m = Matcher(g)
    best = m.scores("Workshops for families")[0].score
    assert [x.id for x in m.rank("Workshops for families", threshold=best)] == ["fam"]
    assert m.rank("Workshops for families", threshold=best + 1e-3) == []
    assert m.rank("=cmd|' /C calc'!A0", threshold=0.0) == []  # no word in common
    assert m.rank("", threshold=0.0) == []
    assert m.rank("the of and", threshold=0.0) == []  # stop words only
    with pytest.raises(ValueError):
        m.rank("families", top=0)
    # The default threshold is the calibrated one: a one-word match on a tiny map is below it.
    assert best < ABSTAIN_BELOW["bm25"] and m.rank("Workshops for families") == []
    tfidf = Matcher(g, method="tfidf")
    assert [x.id for x in tfidf.rank("Workshops for families", threshold=0.01)] == ["fam"]
    with pytest.raises(ValueError, match="method"):
        Matcher(g, method="word2vec")  # type: ignore[arg-type]
    assert Matcher(to_networkx([], [])).rank("families", threshold=0.0) == []


def test_batch_suggestions_abstain_below_the_threshold() -> None:
    g = tiny()
    best = Matcher(g).scores("Workshops for families")[0].score
    found = suggest(g, threshold=best / 2)
    pairs = [(s.commitment, s.challenge, s.rank) for s in found]
    # m3 matches theme t; a theme is suggested for review only where the model lets a
    # commitment's ADDRESSES link point to one.
    theme = [("m3", "t", 1)] if K.THEME in review_kinds() else []
    assert pairs == [("m1", "fam", 1), *theme]
    assert suggest(g, threshold=best + 1) == []
    assert suggest(g) == []  # the calibrated threshold: nothing this thin passes


def test_figures_and_calibration_on_a_hand_checked_gold_set() -> None:
    nodes = [
        Node(K.CHALLENGE, {"id": "fam", "name": "Family awareness of STEM careers"}),
        Node(K.CHALLENGE, {"id": "adm", "name": "Admissions standards of programs"}),
        Node(K.THEME, {"id": "t", "name": "Teacher leadership"}),
        Node(K.COMMITMENT, {"id": "a", "name": "a", "text": "Career fairs for families"}),
        Node(K.COMMITMENT, {"id": "b", "name": "b", "text": "Raise admissions standards"}),
        Node(K.COMMITMENT, {"id": "c", "name": "c", "text": "Teacher leadership roles"}),
        Node(K.COMMITMENT, {"id": "d", "name": "d", "text": "Leadership for families"}),
        Node(K.COMMITMENT, {"id": "n", "name": "n", "text": "Our commitment is forthcoming"}),
        Node(K.COMMITMENT, {"id": "o", "name": "o", "text": "STEM programs"}),
    ]
    g = to_networkx(nodes, [])
    gold = {
        "a": frozenset({"fam"}),
        "b": frozenset({"adm"}),
        "c": frozenset({"t"}),
        "d": frozenset({"adm"}),  # the matcher cannot get this one right
        "n": frozenset(),
        "o": frozenset(),
    }
    judged = {j.item: j for j in judge(g, [*gold, "missing"])}
    assert set(judged) == set(gold)
    assert judged["n"].top_score == 0.0  # no word on the map
    assert [judged[i].ranked[0] for i in "abc"] == ["fam", "adm", "t"]
    assert "adm" not in judged["d"].ranked[:2]
    every = figures(list(judged.values()), gold)
    assert (every.linked, every.none) == (4, 2)
    assert (every.precision_at_1, every.hit_at_3) == (0.75, 1.0)  # d's third is adm
    assert (every.answered, every.abstained) == (1.0, 0.5)  # n scores zero; o does not
    # o shares one common word with two targets: the best threshold lies above its score.
    threshold = calibrate(list(judged.values()), gold)
    assert judged["o"].top_score < threshold <= min(judged[i].top_score for i in "abcd")
    at = figures(list(judged.values()), gold, threshold)
    assert (at.answered, at.abstained, at.precision_at_1) == (1.0, 1.0, 0.75)
    crossed = cross_validate(list(judged.values()), gold, folds=2, repeats=5)
    assert 0 <= crossed.abstained <= 1 and 0 <= crossed.answered <= 1
    assert crossed == cross_validate(list(judged.values()), gold, folds=2, repeats=5)
    with pytest.raises(ValueError):
        cross_validate(list(judged.values()), gold, folds=1)


def test_the_bench_reads_a_gold_file_and_measures_every_method(tmp_path: Path) -> None:
    from bench.suggest import measure, read_gold, render

    f = tmp_path / "gold.csv"
    f.write_text(
        "item,outcome,target,evidence,reason\n"
        f"{FORTHCOMING},none,,,Announced only.\n"
        "commitment-google-1,linked,theme-prestige,recognize,Recognition.\n"
        "commitment-google-1,linked,theme-value-of-s-t-and-e,x,y\n"
        "academy-for-urban-school-leadership,none,,,No description.\n",
        encoding="utf-8",
    )
    gold = read_gold([f])
    assert gold[FORTHCOMING] == frozenset()
    assert gold["commitment-google-1"] == {"theme-prestige", "theme-value-of-s-t-and-e"}
    results = measure(gold)
    assert results["judged"] == 2
    assert results["not_judged"] == ["academy-for-urban-school-leadership"]  # no description
    for r in results["methods"].values():
        assert r["in_sample"]["abstained"] == 1.0  # "forthcoming" says nothing
    assert "| bm25 |" in render(results) and "| tfidf |" in render(results)
    f.write_text("item,outcome,target\nx,maybe,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.csv:2"):
        read_gold([f])


def test_suggest_text_prints_ranked_json_and_an_empty_list_when_it_abstains(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("load")[0] == 0
    text = "We will offer loan forgiveness to STEM majors who become teachers."
    code, out = run("suggest", "--text", text, "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert found and found[0]["id"] == LOAN
    assert all(set(m) == {"id", "kind", "name", "score"} for m in found)
    assert all(m["kind"] in ("Challenge", "Theme") for m in found)
    assert [m["score"] for m in found] == sorted((m["score"] for m in found), reverse=True)
    assert found[-1]["score"] >= ABSTAIN_BELOW["bm25"]
    code, out = run("suggest", "--text", "Our museum runs nature walks.", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out = run("suggest", "--text", "Our museum runs nature walks.")
    assert code == 0 and "nothing to suggest" in out
    code, out = run("suggest", "--text", text, "--top", "1")
    assert code == 0 and out.count("\n") == 1 and f"({LOAN})" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert json.loads(run("suggest", "--text", "-", "--format", "json")[1]) == found
    assert run("suggest", "--text", text, "--output", "x.csv")[0] == 2
    assert run("suggest", "--format", "json")[0] == 2


def test_suggestions_on_the_bundled_map_are_deterministic_capped_and_abstain(
    shared_store: Store,
) -> None:
    g = shared_store.snapshot()
    first = suggest(g, top=3)
    assert first == suggest(g, top=3)
    per: dict[str, list[Suggestion]] = {}
    for s in first:
        per.setdefault(s.commitment, []).append(s)
    assert all(1 <= len(v) <= 3 for v in per.values())
    assert all([s.rank for s in v] == list(range(1, len(v) + 1)) for v in per.values())
    assert all(v[0].score >= v[-1].score >= ABSTAIN_BELOW["bm25"] for v in per.values())
    kinds = {k.value for k in review_kinds()}
    assert all(g.nodes[s.challenge]["kind"] in kinds for s in first)
    commitments = [n for n, a in g.nodes(data=True) if a["kind"] == "Commitment"]
    assert FORTHCOMING in commitments and FORTHCOMING not in per  # it says nothing: no row
    assert 0 < len(per) < len(commitments)
    with pytest.raises(ValueError):
        suggest(g, top=0)


def test_review_file_neutralises_formulas_and_skips_stated_pairs() -> None:
    rows = [
        Suggestion("m2", "fam", 0.5, 1, "=P", "C", "=cmd|' /C calc'!A0"),
        Suggestion("m1", "fam", 0.4, 1, "P", "C", "text", existing="stated"),
        Suggestion("m1", "adm", 0.3, 2, "P", "C", "text", existing="inferred"),
    ]
    buf = io.StringIO()
    assert write_review(rows, buf) == 2
    parsed = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert tuple(parsed[0]) == REVIEW_COLUMNS
    assert parsed[0]["commitment_text"] == "'=cmd|' /C calc'!A0"
    assert parsed[0]["partner"] == "'=P"
    assert parsed[1]["decision"] == "accept"  # already loaded as inferred: kept on reload


run = run_cli


def decide(path: Path, decisions: dict[int, str]) -> list[dict[str, str]]:
    """Fill the decision column of rows (by 0-based index); return the rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, decision in decisions.items():
        rows[i]["decision"] = decision
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REVIEW_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_suggest_then_load_round_trips_accepted_rows_as_inferred_links(
    env: Path, tmp_path: Path
) -> None:
    assert run("load")[0] == 0
    review = tmp_path / "review.csv"
    code, out = run("suggest", "--output", str(review), "--top", "2")
    assert code == 0
    assert "gcx load --suggestions" in out
    rows = decide(review, {0: "accept", 1: "Reject", 2: "ACCEPT"})
    code, out = run("load", "--suggestions", str(review))
    assert code == 0, out
    # The file comes with the pairs the dataset already links (the curated layer)
    # pre-accepted; those stay as the dataset has them.
    said = re.search(r"Suggestions: (\d+) accepted \((\d+) loaded as inferred ADDRESSES links", out)
    assert said is not None and int(said[1]) >= 2 and 1 <= int(said[2]) <= 2
    assert "1 rejected" in out

    with open_store(Settings(db_path=env)) as store:
        g = store.snapshot()
        every = {(u, v) for u, v, k in g.edges(keys=True) if k == R.ADDRESSES.value}
        inferred = {
            (u, v)
            for u, v, k, d in g.edges(keys=True, data=True)
            if k == R.ADDRESSES.value and d["basis"] == "inferred"
        }
        links = [
            (u, v, d)
            for u, v, k, d in g.edges(keys=True, data=True)
            if k == R.ADDRESSES.value and d["method"] == METHOD
        ]
        accepted = {(rows[i]["commitment"], rows[i]["challenge"]) for i in (0, 2)}
        # An accepted pair the curated layer already links stays as curated.
        assert accepted <= every
        assert {(u, v) for u, v, _ in links} <= accepted
        for u, v, d in links:
            assert d["basis"] == "inferred"
            assert d["method"] == METHOD
            pair = (u, v)
            expected = next(
                float(r["score"]) for r in rows if (r["commitment"], r["challenge"]) == pair
            )
            assert d["score"] == pytest.approx(expected)
        # The links reach the analyses as inferred evidence, and leave with the switch.
        via = [a for a in addressing(g) if any(p.via == "commitment" for p in a.paths)]
        assert via and all(a.basis == "inferred" for a in via)
        stated = addressing(g, include_inferred=False)
        assert not any(p.via == "commitment" for a in stated for p in a.paths)

    # A fresh suggestion file comes with the loaded links pre-accepted.
    again = tmp_path / "again.csv"
    assert run("suggest", "--output", str(again), "--top", "2")[0] == 0
    with again.open(encoding="utf-8") as fh:
        accepted = [r for r in csv.DictReader(fh) if r["decision"] == "accept"]
    assert {(r["commitment"], r["challenge"]) for r in accepted} >= {
        (rows[i]["commitment"], rows[i]["challenge"]) for i in (0, 2)
    }
    # Exactly the pairs now linked as inferred (reviewed or curated) come pre-accepted.
    with again.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            assert (r["decision"] == "accept") == ((r["commitment"], r["challenge"]) in inferred)


def test_suggest_will_not_overwrite_a_review_file_without_force(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("load")
    review = tmp_path / "review.csv"
    review.write_text("a reviewer's work\n", encoding="utf-8")
    code, _ = run("suggest", "--output", str(review))
    assert code == 2
    assert "--force" in capsys.readouterr().err
    assert review.read_text(encoding="utf-8") == "a reviewer's work\n"
    assert run("suggest", "--output", str(review), "--force")[0] == 0
    assert review.read_text(encoding="utf-8").startswith(",".join(REVIEW_COLUMNS))


def test_suggest_before_load_says_the_graph_is_not_loaded(env: Path, tmp_path: Path) -> None:
    assert run("suggest", "--output", str(tmp_path / "r.csv"))[0] == 5  # not loaded


def test_bad_review_rows_are_reported_by_line_and_nothing_is_loaded(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("load")
    before = open_store(Settings(db_path=env))
    version = before.info().version
    before.close()
    commitment = "commitment-google-1"
    challenge = "the-diversity-of-pk-12-stem-teachers"
    review = tmp_path / "review.csv"
    review.write_text(
        "commitment,challenge,score,decision\n"
        f"{commitment},{challenge},0.2,maybe\n"
        f"no-such-commitment,{challenge},0.2,accept\n"
        f"{challenge},{commitment},0.2,accept\n"
        f"{commitment},{challenge},high,accept\n"
        f"{commitment},{challenge},-0.5,accept\n"
        f"{commitment},keystone-1,0.1,reject\n"
        f"{commitment},{challenge},0.2,accept\n"
        f"{commitment},{challenge},0.3,reject\n",
        encoding="utf-8",
    )
    code, _ = run("load", "--suggestions", str(review))
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    wanted = " or ".join(k.value for k in review_kinds())  # what ADDRESSES may point to
    assert err[:-1] == [
        "review.csv:2: decision: expected accept, reject or empty, not 'maybe'",
        "review.csv:3: commitment 'no-such-commitment' does not exist",
        f"review.csv:4: challenge '{commitment}' is a Commitment, not a {wanted}",
        f"review.csv:4: commitment '{challenge}' is a Challenge, not a Commitment",
        "review.csv:5: score: expected a number, not 'high'",
        "review.csv:6: score: expected a number, zero or more, not -0.5",
        f"review.csv:7: challenge 'keystone-1' is a Keystone, not a {wanted}",
        f"review.csv:9: '{commitment}' -> '{challenge}' appears twice (first at line 8)",
    ]
    assert "nothing was loaded" in err[-1]
    with open_store(Settings(db_path=env)) as store:
        assert store.info().version == version


def test_review_file_header_and_encoding_problems(tmp_path: Path) -> None:
    data = read_dataset(BUNDLED_DATASET)
    f = tmp_path / "r.csv"
    f.write_text("commitment,challenge,decision\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"r.csv:1: missing columns: score"):
        read_review(f, data)
    f.write_bytes(b"commitment,challenge,score,decision\n\xff,x,0,\n")
    with pytest.raises(DatasetError, match=r"r.csv:2: is not valid UTF-8"):
        read_review(f, data)
    # A spreadsheet's byte-order mark is fine; undecided rows load nothing.
    f.write_bytes(
        b"\xef\xbb\xbfcommitment,challenge,score,decision\n"
        b"commitment-google-1,the-diversity-of-pk-12-stem-teachers,0.1,\n"
    )
    result = read_review(f, data)
    assert (result.accepted, result.undecided, result.rels) == (0, 1, [])


def test_a_pair_the_dataset_already_links_keeps_its_own_link(tmp_path: Path) -> None:
    data = read_dataset(BUNDLED_DATASET)
    data.rels.append(
        rel(R.ADDRESSES, "commitment-google-1", "the-diversity-of-pk-12-stem-teachers")
    )
    f = tmp_path / "r.csv"
    f.write_text(
        "commitment,challenge,score,decision\n"
        "commitment-google-1,the-diversity-of-pk-12-stem-teachers,0.1,accept\n",
        encoding="utf-8",
    )
    result = read_review(f, data)
    assert result.rels == []
    assert result.already_linked == [
        ("commitment-google-1", "the-diversity-of-pk-12-stem-teachers")
    ]


def test_the_figures_in_the_docs_are_the_ones_measured_on_the_curation_log() -> None:
    from bench.suggest import measure, read_gold

    results = measure(read_gold([BUNDLED_DATASET / "curation.csv"]))
    assert (results["judged"], len(results["not_judged"])) == (166, 160)
    rows = {
        "bm25": "| **BM25, `bm25s` + stemming (chosen)** |",
        "tfidf": "| TF-IDF cosine (`scikit-learn`, what `gcx suggest` used before) |",
    }
    docs = (ROOT / "docs" / "analyses.md").read_text(encoding="utf-8").splitlines()
    for method, r in results["methods"].items():
        assert r["calibrated_threshold"] == ABSTAIN_BELOW[method]
        (line,) = [x for x in docs if x.startswith(rows[method])]
        rk, cv = r["ranking"], r["cross_validated"]
        figures = [rk["precision_at_1"], rk["hit_at_3"]]
        figures += [cv[k] for k in ("precision_at_1", "hit_at_3", "answered", "abstained")]
        written = line.replace("*", "").split("|")[2:-1]
        assert [float(x) for x in written] == [
            round(figures[0], 3),
            round(figures[1], 3),
            ABSTAIN_BELOW[method],
            *(round(f, 3) for f in figures[2:]),
        ]
