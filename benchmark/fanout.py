"""Work on many files at once: half in this process, half in one forked process.

Parsing a data file and checking it on its own depend on nothing but that file (and data
read before), so a clean build of a large tree splits the files in two and uses both cores
of a small machine. The child is forked: it inherits the task and the data it reads, and
only its results come back (pickled between our own two processes through a pipe, never
through a file). Below :data:`MIN_ITEMS` items, or where forking is not safe or possible,
everything runs here, in order; the results are the same either way (tests/test_fanout.py).
A child that dies leaves its half to this process.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items a fork and the pickling of half the results cost more than the
# half of the work they save (a demo-sized tree of 546 companies stays in one process).
MIN_ITEMS = 1000

_TASK: Callable[[int], Any] | None = None


def _run(start: int, stop: int) -> list[Any]:
    """In the child: the inherited task over ``range(start, stop)``."""
    task = _TASK
    if task is None:  # pragma: no cover - only a child forked by fan_out runs this
        raise RuntimeError("no task")
    return [task(i) for i in range(start, stop)]


def forking() -> bool:
    """True when this process may fork a helper.

    On Linux, not in a daemonic worker (which may not have children), and from Python 3.12
    on only while this is the one thread (forking beside other threads is deprecated there:
    a lock another thread holds would stay locked in the child).
    """
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and (sys.version_info < (3, 12) or threading.active_count() == 1)
    )


def fan_out(task: Callable[[int], T], count: int) -> list[T]:
    """``[task(i) for i in range(count)]``, the second half computed in a forked process.

    ``task`` must be pure (what it changes in the child's memory is lost) and return plain,
    picklable data.
    """
    if count < MIN_ITEMS or not forking():
        return [task(i) for i in range(count)]
    global _TASK
    half = count // 2
    _TASK = task
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            theirs = pool.submit(_run, half, count)
            mine = [task(i) for i in range(half)]
            try:
                rest: list[T] = theirs.result()
            except BrokenProcessPool:  # killed (out of memory?): do its half here
                rest = [task(i) for i in range(half, count)]
    finally:
        _TASK = None
    return mine + rest
