"""Loaders: read source files, validate everything, hand one clean graph to the store."""

from loaders.dataset import DatasetError, Problem, read_dataset
from loaders.load import LoadReport, load
from loaders.review import REVIEW_COLUMNS, ReviewResult, read_review, write_review

__all__ = [
    "REVIEW_COLUMNS",
    "DatasetError",
    "LoadReport",
    "Problem",
    "ReviewResult",
    "load",
    "read_dataset",
    "read_review",
    "write_review",
]
