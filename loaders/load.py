"""Load a dataset folder into a store: validate all of it, then replace the graph at once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from graph.store.base import Store, StoreInfo
from loaders.dataset import read_dataset
from loaders.review import ReviewResult, apply_review, read_review

__all__ = ["LoadReport", "load"]


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote, and how long validation and writing took."""

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
    """Validate ``folder`` and, only if it is clean, replace the store's graph with it.

    ``suggestions`` is a reviewed ``gcx suggest`` file: its accepted rows are checked
    against the dataset and loaded as inferred ``ADDRESSES`` links (see ``loaders.review``).

    Raises :class:`loaders.DatasetError` (nothing written) when the input has problems.
    With ``if_empty``, loads only into a store that holds no graph yet, and raises
    :class:`graph.errors.GraphAlreadyLoaded` (nothing written) otherwise.

    >>> import tempfile, pathlib
    >>> from graph.settings import BUNDLED_DATASET, Settings
    >>> from graph.backends import open_store
    >>> store = open_store(Settings(db_path=pathlib.Path(tempfile.mkdtemp()) / "g.lbug"))
    >>> load(BUNDLED_DATASET, store).info.counts["Theme"]
    7
    """
    start = time.perf_counter()
    data = read_dataset(folder)
    review = None
    if suggestions is not None:
        review = read_review(suggestions, data)
        data = apply_review(data, review)
    validated = time.perf_counter()
    info = store.replace(data, if_empty=if_empty)
    done = time.perf_counter()
    return LoadReport(folder, info, validated - start, done - validated, review)
