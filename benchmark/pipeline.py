"""The pipeline, stage by stage: load → validate → score → render → build (→ publish).

``run`` calls the data stages in order; ``build`` adds render and the MkDocs build and
returns what it built (``Built.summary`` is its one-line summary). This module reads and
writes no file itself: the edges do (load, history, cache, build), and the site settings
from mkdocs.yml are read at the edge (``build.read_settings``) and passed in.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from . import fsutil, load
from .build import BUILD_DIR, BuildError, SiteOptions, build_site, ensure_idle, read_settings
from .cache import (
    CHECKED,
    EXPORTS,
    PAGES,
    PARSE_CACHE,
    CheckedCache,
    ExportCache,
    PageCache,
    ParseCache,
)
from .errors import CCRError
from .history import read_history
from .problems import Problem, count_errors, sort_problems
from .render import Output, Settings, render
from .score import Scores, score
from .validate import validate
from .values import edition_order, plural


class InvalidData(CCRError):
    """The data has problems; they are attached, each with its location and hint."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = count_errors(problems)
        super().__init__(
            f"the data has {errors} {plural(errors, 'error')}",
            "run `ccr validate` and fix each problem it lists",
        )
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Result:
    """What a run produced."""

    dataset: load.Dataset
    scores: Scores


def load_valid(
    root: Path,
    now: datetime | None = None,
    cache: load.Cache | None = None,
    checked: CheckedCache | None = None,
) -> load.Dataset:
    """Read and validate the data tree; InvalidData when any error is found.

    With ``checked`` (the build's validation cache), company files found clean before in
    the same context are not checked again on their own.
    """
    dataset = load.read_dataset(root, cache=cache)
    moment = now or datetime.now(UTC)
    if checked is not None:
        context = [(d.file, d.source) for d in (*dataset.editions, *dataset.methodologies)]
        checked.prepare(context, moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    problems = sort_problems(validate(dataset, moment, checked=checked))
    if count_errors(problems):
        raise InvalidData(problems)
    return dataset


def run(root: Path, now: datetime | None = None) -> Result:
    """Load, validate and score the data below ``root``."""
    dataset = load_valid(root, now)
    return Result(dataset=dataset, scores=score(dataset))


@dataclass(frozen=True, slots=True)
class Built:
    """What a site build produced."""

    companies: int
    pages: int
    charts: int
    files: int
    seconds: float
    site: Path

    def summary(self) -> str:
        """The one-line summary of a build."""
        return (
            f"Built {self.companies:,} companies: {self.pages:,} pages, {self.charts:,} "
            f"charts, {self.files:,} files in {self.seconds:.1f} s → {self.site}"
        )


def edition_ids(root: Path) -> set[str]:
    """The ids of the editions in the data tree (for commands that take one)."""
    return {
        str(d.data.get("id"))
        for d in load.read_dataset(root, []).editions
        if isinstance(d.data, dict)
    }


def draft_ids(root: Path) -> set[str]:
    """The ids of the draft editions in the data tree."""
    return {
        str(d.data.get("id"))
        for d in load.read_dataset(root, []).editions
        if isinstance(d.data, dict) and d.data.get("status") == "draft"
    }


def as_of(dataset: load.Dataset, edition: str) -> load.Dataset:
    """The data as it stood at an edition: that edition, the ones before it, their audits."""
    order = edition_order({d.data["id"]: d.data["period"]["end"] for d in dataset.editions})
    keep = set(order[: order.index(edition) + 1])
    companies = []
    for doc in dataset.companies:
        audits = [a for a in doc.data["audits"] if a["edition"] in keep]
        if audits:
            companies.append(replace(doc, data={**doc.data, "audits": audits}))
    editions = [d for d in dataset.editions if d.data["id"] in keep]
    return load.Dataset(companies, editions, dataset.methodologies)


def drafts_of(dataset: load.Dataset) -> set[str]:
    """The ids of the editions marked ``status: draft``."""
    return {str(d.data["id"]) for d in dataset.editions if d.data.get("status") == "draft"}


def without_drafts(dataset: load.Dataset) -> load.Dataset:
    """The data with draft editions left out: their files, audits and companies only in them.

    This is what the published site, the feed and ``ccr publish`` are made of.
    """
    drafts = drafts_of(dataset)
    if not drafts:
        return dataset
    companies = []
    for doc in dataset.companies:
        audits = [a for a in doc.data["audits"] if a["edition"] not in drafts]
        if audits:
            companies.append(replace(doc, data={**doc.data, "audits": audits}))
    editions = [d for d in dataset.editions if d.data["id"] not in drafts]
    if not editions:
        raise BuildError(
            "every edition is a draft, so there is nothing to publish",
            "preview the drafts with ccr build --drafts or ccr serve; set "
            "status: published in an edition file once its report may go out",
        )
    return load.Dataset(companies, editions, dataset.methodologies)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What a site build shows and how it is made.

    Draft editions are left out unless ``drafts`` is set (a local preview: ``ccr build
    --drafts``, ``ccr serve``); their pages then carry a "draft" banner.
    With ``edition``, the site shows the data as of that edition (for a published version);
    ``url_path`` is where the site lives below ``site_url`` (``latest/`` for mike's alias), for
    absolute links: the feed, badge snippets, canonical URLs; ``canonical_path``, when given,
    is where the pages' canonical URLs point instead (a published version's own directory).
    ``extra`` goes into MkDocs' ``extra``. ``clean`` does all the work anew (nothing reused
    from the last build); ``stamped=False`` builds stamped pages through MkDocs as Markdown
    pages and ``slots=False`` leaves the slots' HTML in the Markdown (for the equivalence
    tests).
    """

    drafts: bool = False
    clean: bool = False
    edition: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    url_path: str = ""
    canonical_path: str | None = None
    stamped: bool = True
    slots: bool = True


def _site_urls(settings: Settings, options: BuildOptions) -> tuple[Settings, str | None]:
    """The page writers' settings with ``site_url`` below ``url_path``; the canonical URL."""
    canonical = settings.site_url
    if settings.site_url and options.canonical_path is not None:
        canonical = settings.site_url.rstrip("/") + "/" + options.canonical_path
    if settings.site_url and options.url_path:
        settings = replace(
            settings, site_url=settings.site_url.rstrip("/") + "/" + options.url_path
        )
        canonical = canonical if options.canonical_path is not None else settings.site_url
    return settings, canonical


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the data is read, checked and scored.

    The data is trees (no cycles to find), and each pass of the collector walks every
    object made so far: at 10,000 companies, seconds spent finding nothing. Reference
    counting still frees what is let go; the collector runs again afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _dataset(root: Path, now: datetime | None, options: BuildOptions) -> load.Dataset:
    """The valid data the site shows (the parse cache kept up to date on the way)."""
    work = root / BUILD_DIR
    fsutil.check_no_link(work, root, "read")
    parsed = ParseCache() if options.clean else ParseCache.read(work / PARSE_CACHE)
    checked = CheckedCache() if options.clean else CheckedCache.read(work / CHECKED)
    dataset = load_valid(root, now, parsed, checked)
    checked.write(work / CHECKED, root)
    dataset.forget_sources()  # valid: nothing will ask where a node stands
    # Written now and let go: its entries are the size of the data again, and every entry
    # is checked against its file's bytes when read, so a build that fails later cannot
    # leave a wrong one behind.
    parsed.write(work / PARSE_CACHE, root)
    del parsed
    if not options.drafts:
        dataset = without_drafts(dataset)
    if options.edition is not None:
        dataset = as_of(dataset, options.edition)
    return dataset


def build(
    root: Path,
    site: Path | None = None,
    now: datetime | None = None,
    *,
    options: BuildOptions = BuildOptions(),
    settings: Settings | None = None,
    on_stage: Callable[[str], None] = lambda _s: None,
    on_output: Callable[[Output], None] = lambda _o: None,
) -> Built:
    """Every stage: load → validate → score → render → mkdocs build → site/ swapped in.

    ``options`` says what the site shows (drafts, an edition's version) and where it lives
    (:class:`BuildOptions`); ``settings`` are the page writers' settings from mkdocs.yml,
    read by the caller (``build.read_settings``; read here when not given).
    The build is incremental (benchmark/cache.py): unchanged data files are not parsed
    again, unchanged files not rewritten, the MkDocs part reused when its inputs are the
    same.
    """
    started = time.perf_counter()
    ensure_idle(root)  # a second build in this folder stops here, before loading anything
    on_stage("load, validate, score")
    with _collector_paused():
        dataset = _dataset(root, now, options)
        result = Result(dataset=dataset, scores=score(dataset))
    settings, canonical = _site_urls(settings or read_settings(root), options)
    history = read_history(root)
    # Chart renderings are kept between builds (a clean build draws them all and refills).
    exports = ExportCache(root / BUILD_DIR / EXPORTS, root, read=not options.clean)
    # So are each company's rendered files, by the key of all they are made from.
    pages = PageCache(root / BUILD_DIR / PAGES, root, read=not options.clean)
    outputs = render(result.dataset, result.scores, settings, history, exports, pages)

    def watched() -> Iterator[Output]:
        for out in outputs:
            on_output(out)
            yield out

    demo = bool(result.scores.tables.editions["demo"].fillna(False).astype(bool).any())
    companies = int(result.scores.companies["slug"].nunique())
    # Only the render generator holds the data now; once the pages are written it lets go,
    # and MkDocs builds in the memory the data took (peak = the larger of the two, not both).
    del dataset, result
    target = site or root / "site"
    written = build_site(
        root,
        watched(),
        target,
        SiteOptions(
            extra={"demo": demo, **options.extra},
            site_url=canonical,
            epoch=history.epoch,
            stamped=options.stamped,
            slots=options.slots,
            clean=options.clean,
        ),
        on_stage=on_stage,
    )
    pages.prune()  # entries no company asked for this time
    return Built(
        companies=companies,
        pages=written.pages,
        charts=written.charts,
        files=written.files,
        seconds=time.perf_counter() - started,
        site=target,
    )
