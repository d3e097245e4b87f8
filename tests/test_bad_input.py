"""The bad-input corpus: every broken dataset is refused with its ``file:line`` message
and leaves a loaded graph exactly as it was, through the CLI and through the loader.

The corpus (``tests/data/bad/<case>/``, made by ``scripts/make_bad_corpus.py``) holds only
the files that differ from the bundled dataset, and ``expected.txt``.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from gcx.cli import EXIT_INPUT, main
from graph.backends import open_store
from graph.settings import BUNDLED_DATASET, Settings
from loaders import DatasetError, load

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

#: What the issue asks the corpus to cover, each by at least one case.
REQUIRED = {
    "latin1-encoding",
    "byte-order-mark",
    "missing-columns",
    "extra-columns",
    "duplicate-ids",
    "dangling-relationship",
    "wrong-end-kind",
    "wrong-type-bool",
    "wrong-type-int",
    "huge-field",
    "control-characters",
    "csv-formula",
    "html-script-id",
    "empty-file",
    "directory-instead-of-file",
    "unknown-relationship-type",
    "duplicate-relationship",
    "stated-without-source",
    "inferred-without-method",
    "unclosed-quote",
    "wrong-field-count",
    # the hand-kept curation files
    "curation-unknown-item",
    "curation-unknown-target",
    "curation-wrong-item-kind",
    "curation-wrong-target-kind",
    "curation-evidence-not-verbatim",
    "curation-linked-and-none",
    "sectors-unknown-sector",
    "sectors-unknown-partner",
}


def broken_copy(case: str, into: Path) -> Path:
    """The bundled dataset with the case's files laid over it."""
    target = into / case
    shutil.copytree(BUNDLED_DATASET, target)
    for item in (CORPUS / case).iterdir():
        if item.name == "expected.txt":
            continue
        dest = target / item.name
        if dest.is_dir():
            shutil.rmtree(dest)
        elif dest.exists():
            dest.unlink()
        if item.is_dir():
            shutil.copytree(item, dest)
        else:
            shutil.copyfile(item, dest)
    return target


def expected(case: str) -> str:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").strip()


def state(db_path: Path) -> tuple[str, dict[str, int], str, str, list[str]]:
    """Version, counts, a checksum of every id, the link target and the generations."""
    with open_store(Settings(db_path=db_path)) as store:
        info = store.info()
        ids = "\n".join(sorted(store.snapshot().nodes))
    generations = sorted(p.name for p in db_path.parent.glob(f"{db_path.name}.d/*"))
    return (
        info.version,
        info.counts,
        hashlib.sha256(ids.encode()).hexdigest(),
        os.readlink(db_path),
        generations,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store with the bundled dataset loaded once; every case must leave it alone."""
    db_path = tmp_path_factory.mktemp("bad-input") / "graph.lbug"
    with open_store(Settings(db_path=db_path)) as store:
        load(BUNDLED_DATASET, store)
    yield db_path


@pytest.fixture(scope="module")
def before(loaded: Path) -> tuple[str, dict[str, int], str, str, list[str]]:
    return state(loaded)


def test_the_corpus_covers_every_kind_of_bad_input() -> None:
    assert set(CASES) >= REQUIRED, sorted(REQUIRED - set(CASES))
    for case in CASES:
        text = expected(case)
        file, line, message = text.split(":", 2)
        assert file.endswith(".csv") and line.isdigit() and message.strip(), case


@pytest.mark.parametrize("case", CASES)
def test_gcx_load_refuses_the_case_with_its_file_and_line_and_changes_nothing(
    case: str,
    loaded: Path,
    before: tuple[str, dict[str, int], str, str, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = broken_copy(case, tmp_path)
    monkeypatch.setenv("GCX_DB_PATH", str(loaded))
    monkeypatch.delenv("GCX_BACKEND", raising=False)
    out = io.StringIO()
    code = main(["load", str(folder)], out=out)
    err = capsys.readouterr().err
    assert code == EXIT_INPUT
    assert any(expected(case) in line for line in err.splitlines()), err[:2000]
    assert "nothing was loaded, the graph is unchanged" in err
    assert "Traceback" not in err
    assert out.getvalue() == ""
    assert state(loaded) == before


@pytest.mark.parametrize("case", CASES)
def test_the_loader_raises_dataset_error_naming_the_file_and_line(
    case: str,
    loaded: Path,
    before: tuple[str, dict[str, int], str, str, list[str]],
    tmp_path: Path,
) -> None:
    folder = broken_copy(case, tmp_path)
    with open_store(Settings(db_path=loaded)) as store, pytest.raises(DatasetError) as err:
        load(folder, store)
    problems = [str(p) for p in err.value.problems]
    assert any(expected(case) in p for p in problems), problems[:10]
    # One cause, one message: a file that cannot be read is not echoed per relationship.
    assert len(problems) <= 2, problems[:10]
    assert state(loaded) == before
