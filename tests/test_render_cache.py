"""The page cache: a company whose page is made from the same data is not rendered again.

The render stage keys each company's files (its stamped page, charts and badge) by the
sha256 of everything they are made from (``company.page_key``: its document, rows, probes,
sector medians and history, and the site's settings, editions, methodologies, edition order
and rank groups); the page is rendered through a view (``company.CompanyContext``) that holds
that much and no more. The build keeps the files in ``.ccr-build/cache/pages/``
(``cache.PageCache``), each entry sealed; a bad entry is never used. Whatever the cache
gives must be what rendering gives, byte for byte.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from markupsafe import Markup

from benchmark import cache, fsutil
from benchmark.pipeline import run
from benchmark.render import company, render
from benchmark.render.common import Context
from tests.helpers import NOW, SETTINGS, make_project

COMPANIES = 6


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of a few synthetic companies."""
    return make_project(tmp_path / "p", COMPANIES)


def _outputs(
    root: Path, store: cache.PageCache | None = None, settings: Any = SETTINGS
) -> list[Any]:
    result = run(root, NOW)
    return [
        (o.path, o.kind, o.content, o.title, o.description, o.search)
        for o in render(result.dataset, result.scores, settings, pages=store)
        if o.kind != "unit"  # with a store, each company's key and files, for the build
    ]


def _store(root: Path, *, read: bool = True) -> cache.PageCache:
    return cache.PageCache(root / ".ccr-build" / cache.PAGES, root, read=read)


def test_stored_files_are_the_rendered_files(project: Path, rendered: list[str]) -> None:
    """Uncached, filling the cache, and from the cache: the same outputs, byte for byte."""
    plain = _outputs(project)
    rendered.clear()
    first = _store(project)
    assert _outputs(project, first) == plain
    assert (first.hits, first.misses) == (0, COMPANIES)
    rendered.clear()
    second = _store(project)
    assert _outputs(project, second) == plain
    assert (second.hits, second.misses) == (COMPANIES, 0)
    assert rendered == []  # not one page rendered: all came from the cache


def test_a_changed_company_is_rendered_again(project: Path, rendered: list[str]) -> None:
    """A renamed company misses (its page names it), the others hit; the result is fresh."""
    _outputs(project, _store(project))
    path = project / "data/companies/synthetic-00003.yaml"
    path.write_text(
        path.read_text().replace("\nname: ", "\nname: Renamed <b>&amp; ", 1), encoding="utf-8"
    )
    rendered.clear()
    store = _store(project)
    assert _outputs(project, store) == _outputs(project)
    assert rendered[0] == "synthetic-00003"
    assert (store.hits, store.misses) == (COMPANIES - 1, 1)


def test_a_site_change_renders_every_company(project: Path) -> None:
    """Another repository URL: every page's links change, so nothing is reused."""
    _outputs(project, _store(project))
    other = dataclasses.replace(SETTINGS, repo_url="https://forge.example/other/ccr")
    store = _store(project)
    assert _outputs(project, store, other) == _outputs(project, settings=other)
    assert store.hits == 0


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".ccr-build" / cache.PAGES).iterdir())


@pytest.mark.parametrize("harm", ["corrupt", "truncated", "planted", "foreign", "empty"])
def test_a_bad_entry_is_never_used(project: Path, harm: str) -> None:
    """Each kind of damage: the page is rendered anew, equal to a fresh render, and stored."""
    plain = _outputs(project)
    _outputs(project, _store(project))
    entries = _entries(project)
    victim, other = entries[0], entries[1]
    raw = victim.read_bytes()
    if harm == "corrupt":  # one byte of the content changed
        at = raw.index(b"<div")
        victim.write_bytes(raw[:at] + b"<dIv" + raw[at + 4 :])
    elif harm == "truncated":
        victim.write_bytes(raw[: len(raw) // 2])
    elif harm == "planted":  # another company's sealed entry under this name
        victim.write_bytes(other.read_bytes())
    elif harm == "foreign":  # sealed by itself, but not under the name of its key
        _head, _, content = raw.partition(b"\n")
        name = "0" * 64
        victim.write_bytes(f"{name} {cache.seal(name.encode() + content)}\n".encode() + content)
    else:
        victim.write_bytes(b"")
    store = _store(project)
    assert _outputs(project, store) == plain
    assert (store.hits, store.misses) == (COMPANIES - 1, 1)
    assert victim.read_bytes() == raw  # replaced by the fresh rendering


def test_a_clean_build_reads_nothing(project: Path) -> None:
    """``read=False`` renders every company, reads nothing and writes nothing."""
    _outputs(project, _store(project))
    for entry in _entries(project):
        entry.unlink()
    store = _store(project, read=False)
    assert _outputs(project, store) == _outputs(project)
    assert (store.hits, store.misses) == (0, COMPANIES)
    assert _entries(project) == []


def test_prune_removes_what_no_company_asked_for(project: Path) -> None:
    """A removed company's entry goes; the others stay."""
    _outputs(project, _store(project))
    (project / "data/companies/synthetic-00002.yaml").unlink()
    store = _store(project)
    _outputs(project, store)
    store.prune()
    assert len(_entries(project)) == COMPANIES - 1
    assert {p.name for p in _entries(project)} == store.used


def test_the_cache_folder_may_not_be_a_link(project: Path, tmp_path: Path) -> None:
    """A planted link instead of the folder: refused, nothing read or written through it."""
    target = tmp_path / "elsewhere"
    target.mkdir()
    (project / ".ccr-build/cache").mkdir(parents=True)
    os.symlink(target, project / ".ccr-build" / cache.PAGES)
    with pytest.raises(fsutil.UnsafePath):
        _outputs(project, _store(project))
    assert list(target.iterdir()) == []


# ------------------------------------------------------------------------------ the key


def _unit(root: Path) -> tuple[Context, company.CompanyUnit]:
    result = run(root, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    return ctx, next(company.company_units(ctx))


def test_the_view_holds_nothing_but_its_key(project: Path) -> None:
    """The page sees the company's own document only, and no table of scores."""
    _, unit = _unit(project)
    view = unit.view
    assert list(view.docs) == [unit.slug]
    for name in ("scores", "dataset", "files", "_edition_order"):
        assert not hasattr(view, name), name
    assert set(view.history.by_file) == {f"data/companies/{unit.slug}.yaml"}


def _key(unit: company.CompanyUnit, view: company.CompanyContext, args: Any = None) -> str | None:
    rows, probes, n = unit.tables
    own, theirs = rows.digests(), probes.digests()
    assert own is not None
    assert theirs is not None
    parts = args or (unit.slug, unit.medians, company.chart_path(unit.slug))
    return company.page_key(company.site_key(view), view, parts, own[n] + b"\0" + theirs[n])


def _changed(view: company.CompanyContext, **parts: Any) -> company.CompanyContext:
    new = object.__new__(company.CompanyContext)
    for name in company.CompanyContext.__slots__:
        object.__setattr__(new, name, parts.get(name, getattr(view, name)))
    return new


def test_every_part_of_the_view_and_the_data_is_in_the_key(project: Path) -> None:
    """Change any one thing the page can read: the key changes."""
    _, unit = _unit(project)
    view = unit.view
    key = _key(unit, view)
    assert key is not None
    assert key == unit.key
    slug, medians, chart = unit.slug, unit.medians, company.chart_path(unit.slug)
    doc = view.docs[slug]
    edition = next(iter(view.editions))
    methods = dict(view._methods)
    version = next(iter(methods))
    changes = {
        "settings": _changed(view, settings=dataclasses.replace(view.settings, edit_uri="x/")),
        "edition title": _changed(
            view, editions={**view.editions, edition: {**view.editions[edition], "title": "T"}}
        ),
        "methodology": _changed(
            view,
            _methods={**methods, version: dataclasses.replace(methods[version], score_decimals=3)},
        ),
        "edition order": _changed(view, _order=(*view._order, "later")),
        "groups": _changed(view, _groups={"overall": {("x",): (1, 2, 3)}}),
        "document": _changed(view, docs={slug: {**doc, "name": "Other"}}),
        "history": _changed(
            view,
            history=dataclasses.replace(view.history, state="full"),
        ),
    }
    for what, changed in changes.items():
        assert _key(unit, changed) not in (None, key), what
    for what, args in {
        "medians": (slug, {k: {} for k in medians}, chart),
        "chart path": (slug, medians, chart + "x"),
    }.items():
        assert _key(unit, view, args) not in (None, key), what


def _other(value: Any) -> Any:
    """A value of the same column that is not ``value``."""
    if isinstance(value, bool | np.bool_):
        return not value
    if isinstance(value, pd.Timestamp):
        return value + pd.Timedelta(seconds=1)
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, int | float | np.integer | np.floating) and value == value:
        return value + 1
    return "x" if value is None or value is pd.NA else 0  # NaN, NA, NaT, None


def _keys(ctx: Context, table: str, name: str, at: int) -> dict[str, str | None]:
    """Every company's key with one cell of a score table changed."""
    frame = getattr(ctx.scores, table).copy()
    value = _other(frame[name].iloc[at])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frame.loc[frame.index[at], name] = value
    except (TypeError, ValueError, FutureWarning):  # not of the column's type: the column too
        frame[name] = frame[name].astype(object)
        frame.loc[frame.index[at], name] = value
    scores = dataclasses.replace(ctx.scores, **{table: frame})
    changed = Context.make(ctx.dataset, scores, SETTINGS)
    return {unit.slug: unit.key for unit in company.company_units(changed)}


@pytest.mark.parametrize("table", ["companies", "probes"])
def test_every_cell_of_a_company_is_in_its_key(project: Path, table: str) -> None:
    """Change any one cell of a company's rows or probes: its key changes, no other one.

    Except a cell the site-wide part reads (edition order, rank groups), which changes
    every key. The key is made column by column from the tables (``company._Rows``), and a
    company is rendered only when its key changes: a cell the key missed would leave a
    stale page.
    """
    result = run(project, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    keys = {unit.slug: unit.key for unit in company.company_units(ctx)}
    assert None not in keys.values()
    frame = getattr(ctx.scores, table)
    slug = sorted(keys)[1]
    at = [str(s) for s in frame["slug"].tolist()].index(slug)
    for name in frame.columns:
        if name == "slug":
            continue
        changed = _keys(ctx, table, name, at)
        assert changed.get(slug) not in (None, keys[slug]), name
        same = [s for s in keys if s != slug and changed.get(s) == keys[s]]
        assert same in ([s for s in keys if s != slug], []), name


def test_values_that_are_not_plain_data_are_never_keyed(project: Path) -> None:
    """Markup, a NumPy number, an unknown object: no key (rendered every time, never stored)."""
    _, unit = _unit(project)
    view = unit.view
    slug = unit.slug
    doc = view.docs[slug]
    for odd in (Markup("<b>x</b>"), np.float64(1.0), object()):
        assert _key(unit, _changed(view, docs={slug: {**doc, "name": odd}})) is None
        assert _key(unit, view, (slug, {("e", "s"): {"x": odd}}, "c")) is None
    result = run(project, NOW)
    strange: list[Any] = [Markup("<b>x</b>"), object()]
    for odd in strange:
        frame = result.scores.companies.copy()
        frame["name"] = frame["name"].astype(object)
        frame.loc[frame.index[0], "name"] = odd
        scores = dataclasses.replace(result.scores, companies=frame)
        ctx = Context.make(result.dataset, scores, SETTINGS)
        assert {unit.key for unit in company.company_units(ctx)} == {None}
    assert isinstance(unit.make(), company.CompanyPage)


class _Odd:
    """A value whose repr is not all of it."""


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ({"a": [1, 2.0, None, True], "b": {"c": ("x", pd.Timestamp(0))}}, True),
        ({("e", "s"): {"x": 1.0}}, True),
        ([[[[[]]]]], True),
        ({"a": [1, {"b": [2, (3, Markup("x"))]}]}, False),
        ({"a": [1, {"b": [2, (3, np.float64(1.0))]}]}, False),
        ({("e", _Odd()): 1}, False),
        ({_Odd(): 1}, False),
        ([b"bytes"], False),
        ({"a": {1, 2}}, False),
        (_Odd(), False),
        ("text", True),
    ],
)
def test_plain_finds_any_value_that_is_not_plain(value: Any, plain: bool) -> None:
    """Only dicts, lists and tuples of plain values make a key, however deep the odd one."""
    assert company._plain(value) is plain
