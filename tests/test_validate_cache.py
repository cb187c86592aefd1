"""The validation cache (cache.CheckedCache).

A clean company file, unchanged in an unchanged context, is not checked again, and every
problem comes back exactly as a cold run gives it.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmark import cache, load
from benchmark import problem_kinds as kinds
from benchmark.pipeline import BuildOptions, InvalidData, _dataset, load_valid
from benchmark.problems import Problem
from benchmark.validate import validate
from tests.helpers import FIXTURES, REPO
from tests.hostile import CASES, Case, place

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _run(root: Path, now: datetime, store: Path) -> tuple[list[Problem], int]:
    """Validate ``root`` with the cache at ``store`` (read, used, written): problems, hits."""
    checked = cache.CheckedCache.read(store)
    dataset = load.read_dataset(root)
    context = [(d.file, d.source) for d in (*dataset.editions, *dataset.methodologies)]
    checked.prepare(context, now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    problems = validate(dataset, now, checked=checked)
    checked.write(store)
    return problems, checked.hits


def _cold(root: Path, now: datetime) -> list[Problem]:
    return validate(load.read_dataset(root), now)


def test_warm_equals_cold_on_the_demo_data(tmp_path: Path) -> None:
    """A warm run gives the cold run's problems; every demo file comes from the cache."""
    store = tmp_path / cache.CHECKED
    cold = _cold(REPO, NOW)
    first, hits = _run(REPO, NOW, store)
    assert (first, hits) == (cold, 0)
    warm, hits = _run(REPO, NOW, store)
    assert warm == cold
    assert hits == len(list((REPO / "data").glob("*/*.yaml")))  # every file, every kind


HOSTILE = [c for c in CASES if not c.heavy and c.link is None]


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.name)
def test_warm_equals_cold_on_the_hostile_corpus(tree: Path, case: Case) -> None:
    """Every hostile file gets, warm, exactly the problems a cold run gives."""
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "other.yaml")
    store = tree / cache.CHECKED
    _run(tree, NOW, store)  # the cache holds the clean files of the tree before the case
    place(tree, case)
    cold = _cold(tree, NOW)
    assert _run(tree, NOW, store)[0] == cold
    assert _run(tree, NOW, store)[0] == cold


def test_a_changed_edition_checks_the_companies_again(tree: Path) -> None:
    """A changed edition file is a new context: no company comes from the cache."""
    store = tree / cache.CHECKED
    _run(tree, NOW, store)
    assert _run(tree, NOW, store)[1] > 0
    edition = tree / "data" / "editions" / "fixture-edition.yaml"
    edition.write_bytes(edition.read_bytes() + b"# changed\n")
    problems, hits = _run(tree, NOW, store)
    assert hits == 0
    assert problems == _cold(tree, NOW)


def _lines(store: Path) -> list[bytes]:
    return store.read_bytes().split(b"\n")


def test_corrupt_foreign_or_planted_lines_are_ignored(tree: Path) -> None:
    """A changed entry, garbage, another cache's header or a later check time: no hit."""
    store = tree / cache.CHECKED
    _run(tree, NOW, store)
    header, *entries = _lines(store)
    good = [e for e in entries if e]
    assert good
    check, _, payload = good[0].partition(b" ")
    forged = payload.replace(b"2026-12-01T12", b"2026-12-01T11")  # changed, its seal not
    assert forged != payload
    store.write_bytes(b"\n".join([header, check + b" " + forged, b"garbage", b""]))
    assert _run(tree, NOW, store)[1] == 0
    store.write_bytes(b"\n".join([header.replace(b"checked", b"parse-cache"), *good, b""]))
    assert _run(tree, NOW, store)[1] == 0  # another kind of cache (or another CCR): dropped
    later = payload.replace(b"2026-12-01T12", b"2099-12-01T12")  # checked "after" now
    assert later != payload
    store.write_bytes(b"\n".join([header, cache.seal(later).encode() + b" " + later, b""]))
    assert _run(tree, NOW, store)[1] == 0


def _future(problems: list[Problem], file: str) -> list[Problem]:
    return [p for p in problems if p.file == file and p.kind == kinds.FUTURE_TIMESTAMP.id]


def test_a_timestamp_in_the_future_is_reported_at_every_build(tree: Path) -> None:
    """A future timestamp is reported each time, also after the file was found clean later."""
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    file = "data/companies/valid.yaml"
    store = tree / cache.CHECKED
    early = datetime(2019, 2, 11, 9, 0, tzinfo=UTC)
    first, _ = _run(tree, early, store)
    assert _future(first, file)
    second, _ = _run(tree, early, store)
    assert second == first == _cold(tree, early)
    # Found clean at a later moment, the file is checked again at an earlier one.
    assert not _future(_run(tree, NOW, store)[0], file)
    assert _run(tree, NOW, store)[1] > 0
    again, _ = _run(tree, early, store)
    assert again == first


def test_an_invalid_change_fails_as_a_clean_build_does(tree: Path) -> None:
    """After an invalid change, a build with the cache fails as a clean build does."""
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    (tree / ".ccr-build").mkdir()  # made by ensure_idle in a build
    _dataset(tree, NOW, BuildOptions())
    assert (tree / ".ccr-build" / cache.CHECKED).is_file()
    company = tree / "data" / "companies" / "valid.yaml"
    company.write_text(company.read_text("utf-8").replace("2019-02-11T10:15:00", "2019-13-11"))
    with pytest.raises(InvalidData) as warm:
        _dataset(tree, NOW, BuildOptions())
    with pytest.raises(InvalidData) as clean:
        _dataset(tree, NOW, BuildOptions(clean=True))
    assert warm.value.problems == clean.value.problems
    assert str(warm.value) == str(clean.value)
    assert warm.value.problems == sorted_cold(tree)


def sorted_cold(root: Path) -> list[Problem]:
    """The problems of a cold load_valid (sorted as a build sorts them)."""
    with pytest.raises(InvalidData) as cold:
        load_valid(root, NOW)
    return cold.value.problems


def test_the_same_bytes_under_another_name_are_checked_again(tree: Path) -> None:
    """The file's name is in the key: a renamed file gets its slug problem."""
    company = tree / "data" / "companies" / "valid.yaml"
    shutil.copyfile(FIXTURES / "valid.yaml", company)
    store = tree / cache.CHECKED
    _run(tree, NOW, store)
    company.rename(company.with_name("renamed.yaml"))  # its slug no longer matches its name
    cold = _cold(tree, NOW)
    assert [p for p in cold if p.file == "data/companies/renamed.yaml"]
    assert _run(tree, NOW, store)[0] == cold
