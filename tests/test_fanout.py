"""Parsing and checking in two processes (benchmark/fanout.py) gives what one process gives.

A large tree's company files are parsed and checked on their own half here, half in a
forked child; every document, problem (with its line and column) and cache entry must be
the same as when all is done here, hostile files included.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from benchmark import cache, fanout, load
from benchmark.problems import sort_problems
from benchmark.validate import validate
from tests.helpers import FIXTURES
from tests.hostile import CASES, write_case

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_second_half_runs_in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results come back in order; the second half was computed by another process."""
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2)
    found = fanout.fan_out(lambda i: (i * i, os.getpid()), 9)
    assert [square for square, _ in found] == [i * i for i in range(9)]
    assert {pid for _, pid in found[:4]} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in found[4:]}


def test_a_small_job_stays_in_this_process() -> None:
    """Below the threshold nothing is forked."""
    found = fanout.fan_out(lambda _i: os.getpid(), fanout.MIN_ITEMS - 1)
    assert set(found) == {os.getpid()}


def _hostile_tree(tree: Path) -> Path:
    """The tree with every hostile company file of the corpus in it, each under its own name."""
    valid = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    for n, case in enumerate(CASES):
        if case.target == "company" and not case.heavy and not case.also and case.link is None:
            write_case(case, tree / "data" / "companies" / f"case-{n:03d}.yaml", valid)
    return tree


def _run(root: Path) -> tuple[Any, ...]:
    """Read and check ``root`` with fresh caches: documents, problems, cache entries."""
    parsed = cache.ParseCache()
    checked = cache.CheckedCache()
    dataset = load.read_dataset(root, cache=parsed)
    docs = [(d.file, d.data, d.problems, d.source) for d in dataset.companies]
    context = [(d.file, d.source) for d in (*dataset.editions, *dataset.methodologies)]
    checked.prepare(context, NOW.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    problems = sort_problems(validate(dataset, NOW, checked=checked))
    return docs, problems, parsed.used, checked.used


def test_two_processes_equal_one_on_the_hostile_corpus(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents, placed problems and cache entries are the same, forked or not."""
    _hostile_tree(tree)
    monkeypatch.setattr(fanout, "MIN_ITEMS", 10**9)
    alone = _run(tree)
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2)
    forked = _run(tree)
    direct = [
        load.parse_document(s.name, s.raw, s.size)
        for s in load.read_files(load.yaml_files(tree / load.COMPANIES_DIR), tree)
    ]
    assert alone[0] == [(d.file, d.data, d.problems, d.source) for d in direct]
    assert len(alone[0]) > 20
    assert any(p.line > 1 for p in alone[1])
    assert forked == alone


def _square_where(i: int) -> tuple[int, int]:
    return i * i, os.getpid()


@pytest.mark.parametrize("chunk", [1, 3, 50])
def test_a_stream_yields_in_order_made_on_both_sides(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Each needed item made once, in order, some by the helper; ``needed`` asked once each.

    (Which blocks this process makes while it waits depends on timing; the results do not.)
    """
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2)
    monkeypatch.setattr(fanout, "CHUNK", chunk)
    asked: list[int] = []

    def needed(i: int) -> bool:
        asked.append(i)
        return i % 7 != 3

    found = list(fanout.stream(_square_where, 200, needed))
    assert asked == list(range(200))
    assert [None if f is None else f[0] for f in found] == [
        i * i if i % 7 != 3 else None for i in range(200)
    ]
    assert {f[1] for f in found if f is not None} - {os.getpid()}  # the helper made some


def test_a_small_stream_stays_in_this_process() -> None:
    """Below the threshold nothing is forked, and the results are the same."""
    found = list(fanout.stream(_square_where, 30, lambda i: i != 4))
    assert found[4] is None
    assert {f[1] for f in found if f is not None} == {os.getpid()}


def test_a_stream_whose_helper_dies_is_finished_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper killed on its first item leaves every item to this process, none lost."""
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2)
    monkeypatch.setattr(fanout, "CHUNK", 4)
    me = os.getpid()

    def fragile(i: int) -> int:
        if os.getpid() != me:
            os._exit(3)
        return i + 1

    assert list(fanout.stream(fragile, 40)) == [i + 1 for i in range(40)]


def test_a_stream_closed_unread_stops_its_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error before the first result is taken: close() shuts the helper down at once."""
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2)
    monkeypatch.setattr(fanout, "CHUNK", 4)
    made = fanout.stream(_square_where, 400)
    assert multiprocessing.active_children()  # the helper was forked and given blocks
    made.close()
    assert not multiprocessing.active_children()
    with pytest.raises(StopIteration):
        next(made)
