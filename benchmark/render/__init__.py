"""Stage 4, render: scored data → the site's Markdown pages, chart specs, data and badges.

Pure: it reads nothing from disk and writes nothing; it yields ``Output`` items (a path under
the docs directory and its bytes) for the build stage to write. Company pages come last and
one at a time, so a progress bar can follow them.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from .. import fanout
from ..export import company_records, export_tables, table_files
from ..history import History
from ..load import Dataset
from ..score import Scores
from .badge import badge
from .changes import FEED_PATH, atom_feed, changelog_page
from .charts import Chart, ExportStore
from .common import Context, Settings
from .company import CompanyPage, CompanyUnit, company_units, markdown_body
from .figures import share_cards
from .leaderboard import board_data, board_pages, boards_index
from .pages import companies_index, compare_page, data_page, home
from .problems_page import problem_reference
from .reference import data_reference
from .report import editions_index, report_pages

__all__ = ["Output", "Settings", "as_markdown_page", "render"]


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the generated docs tree."""

    path: str  # relative to the docs directory, POSIX separators
    content: bytes
    kind: str  # page, chart, data, badge, stamped; unit, kept (a company's files: _companies)
    # A stamped page (kind "stamped"): ``path`` is where its Markdown source would be
    # (companies/acme.md), ``content`` the finished HTML body that goes where MkDocs puts a
    # page's content; the build fills it into a shell page MkDocs built once, or, for the
    # equivalence test, writes it as a Markdown page that passes the body through unchanged.
    title: str = ""  # plain text; the build escapes it
    description: str = ""  # plain text, for <meta name="description">
    search: str = ""  # plain text the search index holds for the page ("" = title only)


def as_markdown_page(out: Output) -> Output:
    """A stamped company page as the Markdown page MkDocs would build (kind "page").

    Front matter (title, description, navigation hidden), then the HTML body unchanged.
    """
    if out.kind != "stamped":
        return out
    md = markdown_body(out.title, out.description, out.content.decode())
    return Output(out.path, md.encode(), "page")


def _json(data: Any) -> bytes:
    return (
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode()


def _page(path: str, markdown: str) -> Output:
    return Output(path, markdown.encode(), "page")


# One rendered file as a page store keeps it: (path, kind, content, title, description, search).
Stored = tuple[str, str, bytes, str, str, str]


class PageStore(Protocol):
    """Where a company's rendered files are kept between builds (``cache.PageCache``)."""

    def get(self, key: str) -> list[Stored] | None:
        """The files stored for ``key``, or None."""

    def put(self, key: str, outputs: list[Stored]) -> None:
        """Keep the files rendered for ``key``."""

    def kept(self, slug: str, key: str) -> bool:
        """True when the last build's files of ``slug``, made from ``key``, are still there."""


def _company_files(ctx: Context, page: CompanyPage) -> list[Output]:
    """A company's page, its charts and its badge."""
    slug = page.path.removeprefix("companies/").removesuffix(".md")
    files = [
        Output(
            page.path,
            page.body.encode(),
            "stamped",
            title=page.title,
            description=page.description,
            search=page.search,
        ),
        Output(page.chart.path, _json(page.chart.spec), "chart"),
    ]
    if page.trend is not None:
        files.append(Output(page.trend.path, _json(page.trend.spec), "chart"))
    latest = page.latest
    made = badge(latest, ctx.method(str(latest["edition"])))
    files.append(Output(f"badges/{slug}.svg", made.svg.encode(), "badge"))
    return files


def _stored(out: Output) -> Stored:
    return (out.path, out.kind, out.content, out.title, out.description, out.search)


# Blocks of companies (fanout.CHUNK each) the helper renders while this process writes the
# site-wide pages, before the first company's turn (about two seconds of rendering).
EARLY = 40


def _companies(
    ctx: Context, units: list[CompanyUnit], store: PageStore | None
) -> tuple[Iterator[list[Output]], fanout.Stream[list[Stored] | None]]:
    """Each company's files, in order: stored ones when everything they are made from is the same.

    With a store, they are followed by a ``unit`` output (the company's key and the paths of
    its files, for the next build), or, when the last build's files of the company were
    made from the same key and are still as it left them, are only that: one ``kept``
    output, and the build keeps those files as they are (``build._DocsTree``). Companies
    to render, when they are many, are rendered on both cores (``fanout.stream``), the
    helper starting at once, before this is iterated.
    """
    keys = [None if store is None else unit.key for unit in units]
    kept = [
        store is not None and key is not None and store.kept(unit.slug, key)
        for unit, key in zip(units, keys, strict=True)
    ]
    todo = [n for n, is_kept in enumerate(kept) if not is_kept]
    found: dict[int, list[Stored]] = {}

    def needed(i: int) -> bool:  # asked here, in order: is it in the store?
        key = keys[todo[i]]
        if store is not None and key is not None and (stored := store.get(key)) is not None:
            found[i] = stored
            return False
        return True

    def make(i: int) -> list[Stored]:  # here, or in the forked helper
        return [_stored(o) for o in _company_files(ctx, units[todo[i]].make())]

    made = fanout.stream(make, len(todo), needed, ahead=EARLY)

    def each() -> Iterator[list[Output]]:
        position = 0  # in todo
        for unit, key, is_kept in zip(units, keys, kept, strict=True):
            if is_kept:
                yield [Output(unit.slug, str(key).encode(), "kept")]
                continue
            raw = next(made)
            if raw is None:
                raw = found.pop(position)
            elif store is not None and key is not None:
                store.put(key, raw)
            position += 1
            yield _with_unit(unit, key, raw)
        for _ in made:  # the end: the helper stops
            pass

    return each(), made


def _with_unit(unit: CompanyUnit, key: str | None, raw: list[Stored]) -> list[Output]:
    """A company's files, then (with a key) its ``unit`` output: the key and the files' paths."""
    files = [Output(p, c, k, t, d, s) for p, k, c, t, d, s in raw]
    if key is not None:
        files.append(
            Output(unit.slug, _json({"key": key, "files": [o.path for o in files]}), "unit")
        )
    return files


def _charts(charts: list[Chart], page: str, store: ExportStore | None) -> Iterator[Output]:
    """Each chart's spec; a report or home chart also its PNG, SVG, CSV and embed page."""
    for chart in charts:
        yield Output(chart.path, _json(chart.spec), "chart")
        if chart.travels:
            for path, content in chart.exports(page, store).items():
                yield Output(path, content, "chart")


def render(
    dataset: Dataset,
    scores: Scores,
    settings: Settings,
    history: History | None = None,
    exports: ExportStore | None = None,
    pages: PageStore | None = None,
) -> Generator[Output, None, None]:
    """Every generated file of the site, site-wide pages first, then one company at a time.

    ``history`` is the data's commit history (from git, read at the load edge); without it
    the pages say that no history is shown. ``exports`` keeps chart renderings between
    builds (the build edge passes its cache; by default every chart is drawn); ``pages``
    keeps each company's rendered files by the key of everything they are made from
    (``company.page_key``), so a company whose data and site are unchanged is not rendered
    again.
    """
    ctx = Context.make(dataset, scores, settings, history)
    units = list(company_units(ctx))
    companies, made = _companies(ctx, units, pages)  # on many, a helper starts on them now
    try:
        yield from _files(ctx, scores, exports, units, companies)
    finally:  # an error, or the build stopped reading: the helper stops too
        made.close()


def _files(
    ctx: Context,
    scores: Scores,
    exports: ExportStore | None,
    units: list[CompanyUnit],
    companies: Iterator[list[Output]],
) -> Iterator[Output]:
    """The site-wide files, then each company's files and record (``render``'s order)."""
    tables = export_tables(scores)  # made once: the files and the per-company records
    methods = list(scores.methodologies.values())
    sizes: dict[str, int] = {}
    texts: dict[str, list[str]] = {}  # each row's JSON text, for the company records
    for table in sorted(tables):  # one table's files at a time (the probes' JSON is large)
        for name, content in sorted(table_files(table, tables[table], methods, texts).items()):
            sizes[name] = len(content)
            yield Output(f"api/v1/{name}", content, "data")
    records = company_records(scores, tables, texts)
    del texts
    del tables
    for path, board in board_data(ctx):
        yield Output(path, _json({"format_version": 1, **board}), "data")
    md, charts = home(ctx)
    yield _page("index.md", md)
    yield from _charts(charts, "", exports)
    yield _page("editions/index.md", editions_index(ctx))
    for path, md, charts in report_pages(ctx):
        yield _page(path, md)
        yield from _charts(charts, path.removesuffix(".md") + "/", exports)
    for path, content in sorted(share_cards(ctx, exports).items()):  # Open Graph preview images
        yield Output(path, content, "chart")
    yield _page("leaderboards/index.md", boards_index(ctx))
    for path, md in board_pages(ctx):
        yield _page(path, md)
    yield _page("companies/index.md", companies_index(ctx))
    yield _page("data.md", data_page(ctx, sizes))
    yield _page("data-reference.md", data_reference())
    yield _page("problems.md", problem_reference())
    yield _page("compare.md", compare_page(ctx))
    yield _page("changelog.md", changelog_page(ctx))
    yield Output(FEED_PATH, atom_feed(ctx), "data")
    for unit, files in zip(units, companies, strict=True):
        yield from files
        yield Output(f"api/v1/companies/{unit.slug}.json", records.json(unit.slug), "data")
