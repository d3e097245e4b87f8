"""Suggested links: TF-IDF scores, the review file round trip through `gcx suggest` and
`gcx load --suggestions`, review-file errors, and the measured precision on a hand-labelled
sample (tests/data/suggest_gold.csv)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from graph import Store, addressing
from graph.analyses.suggest import (
    METHOD,
    Suggestion,
    hit_rate_at,
    precision_at,
    rank_challenges,
    suggest,
)
from graph.backends import open_store
from graph.data import Node, to_networkx
from graph.model import NodeKind as K
from graph.model import RelType as R
from graph.settings import BUNDLED_DATASET, Settings
from loaders import REVIEW_COLUMNS, DatasetError, read_dataset, read_review, write_review
from tests.conftest import ROOT, run_cli
from tests.small_graph import rel

GOLD = ROOT / "tests" / "data" / "suggest_gold.csv"
DOCS = ROOT / "docs" / "analyses.md"

# The figures docs/analyses.md reports; the test below recomputes them.
PRECISION_AT_1 = 0.333
PRECISION_AT_3 = 0.212
HIT_RATE_AT_3 = 0.545


def tiny() -> tuple[list[Node], list[str]]:
    nodes = [
        Node(K.CHALLENGE, {"id": "fam", "name": "Family awareness of STEM careers"}),
        Node(K.CHALLENGE, {"id": "adm", "name": "Admissions standards of preparation programs"}),
        Node(K.COMMITMENT, {"id": "m1", "name": "m1", "text": "Workshops for families on careers"}),
        Node(K.COMMITMENT, {"id": "m2", "name": "m2", "text": "=cmd|' /C calc'!A0"}),
    ]
    return nodes, ["fam", "adm"]


def test_scores_rank_the_challenge_sharing_rare_words_first() -> None:
    nodes, _ = tiny()
    ranked = rank_challenges(to_networkx(nodes, []))
    assert [c for c, _ in ranked["m1"]] == ["fam"]
    assert 0 < ranked["m1"][0][1] <= 1
    assert ranked["m2"] == []  # no word in common: no suggestion at all


def test_suggestions_are_deterministic_and_capped_per_commitment(shared_store: Store) -> None:
    g = shared_store.snapshot()
    first = suggest(g, top=3)
    assert first == suggest(g, top=3)
    per = {}
    for s in first:
        per.setdefault(s.commitment, []).append(s)
    assert all(1 <= len(v) <= 3 for v in per.values())
    assert all([s.rank for s in v] == list(range(1, len(v) + 1)) for v in per.values())
    assert all(v[0].score >= v[-1].score for v in per.values())
    assert len(per) >= 65  # nearly every commitment shares some words with a challenge
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
        links = [
            (u, v, d)
            for u, v, k, d in g.edges(keys=True, data=True)
            if k == R.ADDRESSES.value and d["method"] == METHOD
        ]
        accepted = {(rows[i]["commitment"], rows[i]["challenge"]) for i in (0, 2)}
        # An accepted pair the curated layer already links stays as curated.
        assert accepted <= every
        assert {(u, v) for u, v, _ in links} <= accepted
        for u, _, d in links:
            assert d["basis"] == "inferred"
            assert d["method"] == METHOD
            expected = next(float(r["score"]) for r in rows if r["commitment"] == u)
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
    assert len(accepted) == int(said[1])


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
        f"{commitment},{challenge},1.5,accept\n"
        f"{commitment},theme-prestige,0.1,reject\n"
        f"{commitment},{challenge},0.2,accept\n"
        f"{commitment},{challenge},0.3,reject\n",
        encoding="utf-8",
    )
    code, _ = run("load", "--suggestions", str(review))
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [
        "review.csv:2: decision: expected accept, reject or empty, not 'maybe'",
        "review.csv:3: commitment 'no-such-commitment' does not exist",
        f"review.csv:4: challenge '{commitment}' is a Commitment, not a Challenge",
        f"review.csv:4: commitment '{challenge}' is a Challenge, not a Commitment",
        "review.csv:5: score: expected a number, not 'high'",
        "review.csv:6: score: expected 0 to 1, not 1.5",
        "review.csv:7: challenge 'theme-prestige' is a Theme, not a Challenge",
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


def load_gold() -> dict[str, set[str]]:
    with GOLD.open(encoding="utf-8", newline="") as fh:
        return {r["commitment"]: set(r["relevant"].split("|")) for r in csv.DictReader(fh)}


def test_gold_sample_is_a_real_hand_labelled_sample_of_the_bundled_data() -> None:
    gold = load_gold()
    data = read_dataset(BUNDLED_DATASET)
    kinds = {n.id: n.kind for n in data.nodes}
    assert len(gold) >= 25
    for commitment, relevant in gold.items():
        assert kinds[commitment] is K.COMMITMENT
        assert relevant and all(kinds[c] is K.CHALLENGE for c in relevant)


def test_precision_of_suggestions_on_the_labelled_sample_is_the_reported_figure(
    shared_store: Store,
) -> None:
    gold = load_gold()
    ranked = {c: [ch for ch, _ in v] for c, v in rank_challenges(shared_store.snapshot()).items()}
    p1 = precision_at(gold, ranked, 1)
    p3 = precision_at(gold, ranked, 3)
    hit3 = hit_rate_at(gold, ranked, 3)
    assert (round(p1, 3), round(p3, 3), round(hit3, 3)) == (
        PRECISION_AT_1,
        PRECISION_AT_3,
        HIT_RATE_AT_3,
    )
    # Far above picking challenges at random (about 1.5 relevant of 27 per commitment).
    mean_relevant = sum(len(v) for v in gold.values()) / len(gold)
    assert p1 > 4 * mean_relevant / 27
    report = DOCS.read_text(encoding="utf-8")
    for figure in (PRECISION_AT_1, PRECISION_AT_3, HIT_RATE_AT_3):
        assert f"{figure:.3f}" in report
    assert f"{len(gold)} commitments" in report
