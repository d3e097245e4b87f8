"""Benchmarks and load tests (``make bench``, ``make loadtest``); see ``docs/benchmarks.md``.

``bench.synth`` writes the synthetic datasets, ``bench.run`` measures and prints the tables.
Nothing in the product imports this package.
"""
