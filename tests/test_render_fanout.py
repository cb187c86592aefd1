"""Company pages rendered on two cores (``fanout.stream``) are the pages one process renders.

A large site renders the companies it must make in blocks, some in a forked helper; what
the render stage yields must be the same outputs in the same order, byte for byte, with a
page store or without, some companies from the store and some made.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmark import cache, fanout
from benchmark.pipeline import run
from benchmark.render import company, render
from tests.helpers import NOW, SETTINGS, make_project

COMPANIES = 9


def _outputs(root: Path, store: cache.PageCache | None) -> list[Any]:
    result = run(root, NOW)
    return [
        (o.path, o.kind, o.content, o.title, o.description, o.search)
        for o in render(result.dataset, result.scores, SETTINGS, pages=store)
    ]


def _makers(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Each process that renders a company page writes its id in ``log``."""
    real = company.company_page

    def logged(*args: Any) -> Any:
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(company, "company_page", logged)


def _forked(monkeypatch: pytest.MonkeyPatch, *, on: bool) -> None:
    monkeypatch.setattr(fanout, "MIN_ITEMS", 2 if on else 10**9)
    monkeypatch.setattr(fanout, "CHUNK", 2)


def test_forked_rendering_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a store: every output the same, in order; a helper rendered some pages."""
    project = make_project(tmp_path / "p", COMPANIES)
    log = tmp_path / "pids"
    _makers(monkeypatch, log)
    _forked(monkeypatch, on=False)
    alone = _outputs(project, None)
    _forked(monkeypatch, on=True)
    log.unlink()
    forked = _outputs(project, None)
    assert forked == alone
    assert sum(kind == "stamped" for _, kind, *_ in alone) == COMPANIES
    pids = log.read_text().split()
    assert len(pids) == COMPANIES
    assert set(pids) - {str(os.getpid())}  # the helper rendered some


def test_forked_rendering_with_a_store_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some companies from the store, the changed ones made: the same outputs and entries."""
    project = make_project(tmp_path / "p", COMPANIES)
    folder = project / ".ccr-build" / cache.PAGES
    _outputs(project, cache.PageCache(folder, project))
    for n in (2, 5, 6, 7):
        path = project / f"data/companies/synthetic-{n:05d}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nname: ", "\nname: Renamed <b>&amp; ", 1), encoding="utf-8")
    saved = tmp_path / "saved"
    shutil.copytree(folder, saved)
    results = []
    for on in (False, True):
        shutil.rmtree(folder)
        shutil.copytree(saved, folder)
        _forked(monkeypatch, on=on)
        store = cache.PageCache(folder, project)
        outputs = _outputs(project, store)
        entries = {p.name: p.read_bytes() for p in folder.iterdir()}
        results.append((outputs, (store.hits, store.misses), store.used, entries))
    assert results[1] == results[0]
    assert results[0][1] == (COMPANIES - 4, 4)


def test_render_stopped_early_stops_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that stops reading the render stage (an error) leaves no helper running."""
    project = make_project(tmp_path / "p", COMPANIES)
    _forked(monkeypatch, on=True)
    result = run(project, NOW)
    outputs = render(result.dataset, result.scores, SETTINGS)
    next(outputs)  # the helper is forked, the companies not yet reached
    assert multiprocessing.active_children()
    outputs.close()
    assert not multiprocessing.active_children()
