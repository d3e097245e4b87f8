"""Analyses over a snapshot: addressing, collaborators, gaps, suggestions, coverage, export.

Pure functions over the frozen networkx snapshot, so both backends give the same answers.
"""
