"""Loaders: read source files, validate everything, hand one clean graph to the store."""

from loaders.dataset import DatasetError, Problem, read_dataset
from loaders.load import LoadReport, load

__all__ = ["DatasetError", "LoadReport", "Problem", "load", "read_dataset"]
