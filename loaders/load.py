"""Load a dataset folder into a store: validate it file by file while the store writes
each clean part, and swap the new graph in only when all of it is clean and written."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.data import GraphData
from graph.store.base import Store, StoreInfo
from loaders.dataset import collector_paused, read_parts
from loaders.review import ReviewResult, read_review

__all__ = ["LoadReport", "load"]


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote, and how its time divides.

    ``validate_s`` is the time spent reading and validating the files (the store writes
    the parts already handed over meanwhile); ``write_s`` is the rest of the load:
    staging each part, waiting for the engine to finish, the checkpoint and the swap.
    """

    folder: Path
    info: StoreInfo
    validate_s: float
    write_s: float
    review: ReviewResult | None = None

    @property
    def rows(self) -> int:
        return sum(self.info.counts.values())


def load(
    folder: Path, store: Store, *, suggestions: Path | None = None, if_empty: bool = False
) -> LoadReport:
    """Validate ``folder`` and, only if all of it is clean, replace the store's graph with it.

    The files are validated one by one, and each clean part is handed to the store as
    soon as it is complete (:meth:`graph.store.base.Store.replace_parts`), so the engine
    writes one file's rows while the next file is validated; the new graph is swapped in
    only when every file was clean and the write succeeded.

    ``suggestions`` is a reviewed ``gcx suggest`` file: its accepted rows are checked
    against the dataset and loaded as inferred ``ADDRESSES`` links (see ``loaders.review``).

    Raises :class:`loaders.DatasetError` (the graph unchanged, the new one discarded) when
    the input has problems. With ``if_empty``, loads only into a store that holds no graph
    yet, and raises :class:`graph.errors.GraphAlreadyLoaded` (nothing written) otherwise.

    >>> import tempfile, pathlib
    >>> from graph.settings import BUNDLED_DATASET, Settings
    >>> from graph.backends import open_store
    >>> store = open_store(Settings(db_path=pathlib.Path(tempfile.mkdtemp()) / "g.lbug"))
    >>> load(BUNDLED_DATASET, store).info.counts["Theme"]
    7
    """
    start = time.perf_counter()
    validating = [0.0]
    reviewed: list[ReviewResult] = []
    with collector_paused():
        parts = _timed(_parts(folder, suggestions, reviewed), validating)
        info = store.replace_parts(parts, if_empty=if_empty)
    total = time.perf_counter() - start
    review = reviewed[0] if reviewed else None
    return LoadReport(folder, info, validating[0], total - validating[0], review)


def _parts(
    folder: Path, suggestions: Path | None, reviewed: list[ReviewResult]
) -> Iterator[GraphData]:
    """The dataset's parts (:func:`loaders.dataset.read_parts`), and then the review's
    accepted links, checked against the whole dataset (noted in ``reviewed``)."""
    if suggestions is None:
        yield from read_parts(folder)
        return
    seen: list[GraphData] = []
    for part in read_parts(folder):
        seen.append(part)
        if part.source_digest is None:  # the last part, with the digest, goes with the review
            yield part
    whole = GraphData.joined(seen)
    review = read_review(suggestions, whole)
    reviewed.append(review)
    # The version: a hash of every file read, the review file's bytes among them.
    digest = hashlib.sha256(f"{whole.source_digest}\0{review.digest}".encode()).hexdigest()
    yield GraphData(seen[-1].nodes, review.rels, whole.meta, digest)


def _timed(parts: Iterable[GraphData], spent: list[float]) -> Iterator[GraphData]:
    """``parts``, adding the time spent producing each one to ``spent[0]``."""
    it = iter(parts)
    while True:
        start = time.perf_counter()
        try:
            part = next(it)
        except StopIteration:
            return
        finally:
            spent[0] += time.perf_counter() - start
        yield part
