"""How a load shares its process with the engine: the engine threads its writer runs
with, and how quickly the writing and the validating threads hand the GIL to each other.

A load (``graph.store.bulk.write_parts``) runs the engine in a writer thread while the
loader's Python thread validates the next file. On a machine of two CPUs both settings
decide how much of the engine's time goes to waiting (``docs/benchmarks.md``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

__all__ = ["LOAD_SWITCH_INTERVAL_S", "quick_handoffs", "writer_threads"]


def writer_threads() -> int:
    """The engine threads a load's writer runs with: every CPU this process may use but
    one, which the loader's Python thread keeps busy validating the next file meanwhile.

    At x100 on two CPUs, one engine thread beside the validator loads in 1.86 s where the
    engine's default (a thread per CPU) takes 2.03 s, with 13% less CPU: its second thread
    only competes with the validator. The engine alone (the floor) takes the same time
    either way (``docs/benchmarks.md``).
    """
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may run on (Linux)
        usable = len(os.sched_getaffinity(0))
    else:
        usable = os.cpu_count() or 1
    return max(1, usable - 1)


#: Python's thread switch interval during a load (its default is 5 ms): see quick_handoffs.
LOAD_SWITCH_INTERVAL_S = 0.001


class _SwitchInterval:
    """The switch interval lowered while any load in this process writes, then restored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loads = 0
        self._saved = 0.0

    @contextlib.contextmanager
    def lowered(self, seconds: float) -> Iterator[None]:
        with self._lock:
            if self._loads == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(seconds, self._saved))
            self._loads += 1
        try:
            yield
        finally:
            with self._lock:
                self._loads -= 1
                if self._loads == 0:
                    sys.setswitchinterval(self._saved)


_SWITCH = _SwitchInterval()


def quick_handoffs() -> contextlib.AbstractContextManager[None]:
    """Python's thread switch interval at :data:`LOAD_SWITCH_INTERVAL_S` (1 ms) while a
    load writes, restored after the last load of the process ends.

    The writer thread needs the GIL each time the engine returns (a result to wrap, the
    next tables to take), and the loading thread holds it, validating, until the
    interval has passed: 5 ms by default, during which the engine idles. At x100, eight
    alternated loads each: 1.70 s against 1.81 s (``docs/benchmarks.md``).
    """
    return _SWITCH.lowered(LOAD_SWITCH_INTERVAL_S)
