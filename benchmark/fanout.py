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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items a fork and the pickling of half the results cost more than the
# half of the work they save (a demo-sized tree of 546 companies stays in one process).
MIN_ITEMS = 1000

_TASK: Callable[[int], Any] | None = None


def _run(items: Iterable[int]) -> list[Any]:
    """In the child: the inherited task over ``items``."""
    task = _TASK
    if task is None:  # pragma: no cover - only a child forked here runs this
        raise RuntimeError("no task")
    return [task(i) for i in items]


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
            theirs = pool.submit(_run, range(half, count))
            mine = [task(i) for i in range(half)]
            try:
                rest: list[T] = theirs.result()
            except BrokenProcessPool:  # killed (out of memory?): do its half here
                rest = [task(i) for i in range(half, count)]
    finally:
        _TASK = None
    return mine + rest


# Items a forked helper is given at a time by :func:`stream` (about a tenth of a second of
# rendering: small enough that only a few blocks of results are ever held here).
CHUNK = 50
# Blocks given to the helper and not yet back: enough that it does not run dry while this
# process writes what came back (a block's results are a few megabytes at most).
_AHEAD = 6


def _every(_i: int) -> bool:
    return True


def stream(
    task: Callable[[int], T],
    count: int,
    needed: Callable[[int], bool] = _every,
    *,
    ahead: int = _AHEAD,
) -> Stream[T | None]:
    """For each ``i`` of ``range(count)`` in order: ``task(i)`` if ``needed(i)``, else None.

    ``needed`` runs here, once per item and in order, a few blocks ahead of what has been
    yielded. From :data:`MIN_ITEMS` items on, the items needed are made in blocks of
    :data:`CHUNK` by this process and one forked helper, both kept busy: the helper is given
    the next blocks, and while this process waits for one of them it makes a later block
    itself. Results are yielded in order as soon as they are there, so only a few blocks
    are held at a time. The helper is forked, and given its first ``ahead`` blocks, before
    this returns: it works on them while this process does something else first. ``task``
    must be pure and return picklable data, as for :func:`fan_out`; a helper that dies
    leaves its blocks to this process.
    """
    if count < MIN_ITEMS or not forking():
        return Stream(task(i) if needed(i) else None for i in range(count))
    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"), initializer=_install, initargs=(task,)
    )
    schedule = _Stream(task, count, needed, pool)
    schedule.give(max(ahead, _AHEAD))
    return Stream(schedule.run(), schedule)


class Stream(Iterator[T]):
    """What :func:`stream` returns: its results in order, and :meth:`close`.

    Close a stream not read to its end (an error before or while it is read): the helper is
    stopped at once, even when not one result was taken (a generator never started runs
    no ``finally``).
    """

    def __init__(self, results: Iterator[T], schedule: _Stream | None = None) -> None:
        self._results = results
        self._schedule = schedule

    def __next__(self) -> T:
        return next(self._results)

    def close(self) -> None:
        """Stop: no more results; the helper, if any, is shut down, its work dropped."""
        close = getattr(self._results, "close", None)
        if close is not None:
            close()
        if self._schedule is not None:
            self._schedule.stop()


def _install(task: Callable[[int], Any]) -> None:  # pragma: no cover - in the helper
    global _TASK
    _TASK = task


class _Block:
    """Items ``start`` to ``stop`` of a :func:`stream`: those needed, and what they made."""

    __slots__ = ("future", "needs", "results", "start", "stop")

    def __init__(self, start: int, stop: int, needs: list[int]) -> None:
        self.start = start
        self.stop = stop
        self.needs = needs
        self.future: Future[list[Any]] | None = None  # given to the helper
        self.results: list[Any] | None = None if needs else []

    def items(self) -> Iterator[Any]:
        made = dict(zip(self.needs, self.results or [], strict=True))
        for i in range(self.start, self.stop):
            yield made.get(i)


class _Stream:
    """The schedule of :func:`stream` with a helper: blocks in order, each made once."""

    def __init__(
        self,
        task: Callable[[int], Any],
        count: int,
        needed: Callable[[int], bool],
        pool: ProcessPoolExecutor,
    ) -> None:
        self.task = task
        self.count = count
        self.needed = needed
        self.pool: ProcessPoolExecutor | None = pool  # None once the helper is gone
        self.next = 0  # the first item not yet in a block
        self.blocks: deque[_Block] = deque()  # taken and not yet yielded, in order

    def _take(self) -> _Block | None:
        """The next block (each of its items asked ``needed``, in order); None at the end."""
        if self.next >= self.count:
            return None
        start, self.next = self.next, min(self.next + CHUNK, self.count)
        block = _Block(start, self.next, [i for i in range(start, self.next) if self.needed(i)])
        self.blocks.append(block)
        return block

    def give(self, most: int = _AHEAD) -> None:
        """Keep the helper busy: the next blocks go to it, ``most`` at a time at most."""
        busy = sum(1 for b in self.blocks if b.future is not None and not b.future.done())
        while self.pool is not None and busy < most and len(self.blocks) < most + _AHEAD:
            block = self._take()
            if block is None:
                return
            if block.results is None:
                try:
                    block.future = self.pool.submit(_run, block.needs)
                except BrokenProcessPool:  # pragma: no cover - it died since the last block
                    self.pool = None
                busy += 1

    def _make(self, block: _Block) -> None:
        block.results = [self.task(i) for i in block.needs]

    def _wait(self, block: _Block, future: Future[list[Any]]) -> None:
        """Make later blocks here while the helper makes ``block``; then take its results."""
        while not future.done():
            spare = next((b for b in self.blocks if b.results is None and b.future is None), None)
            if spare is None and len(self.blocks) < 2 * _AHEAD:
                spare = self._take()
            if spare is None:
                break
            if spare.results is None:
                self._make(spare)
            self.give()
        try:
            block.results = future.result()
        except BrokenProcessPool:  # the helper died (out of memory?): its blocks are made here
            self.pool = None
            for lost in self.blocks:
                lost.future = None
            self._make(block)

    def run(self) -> Iterator[Any]:
        """Every item's result (None where not needed), in order; then the helper stops."""
        try:
            while (block := self._next()) is not None:
                yield from block.items()
        finally:
            self.stop()

    def stop(self) -> None:
        """Shut the helper down (its blocks not yet made are dropped); again does nothing."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def _next(self) -> _Block | None:
        """The next block in order, made; None at the end."""
        self.give()
        block = self.blocks[0] if self.blocks else self._take()
        if block is None:
            return None
        if block.results is None:
            if block.future is None:
                self._make(block)
            else:
                self._wait(block, block.future)
        self.blocks.popleft()
        return block
