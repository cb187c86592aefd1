"""Stage 5, build: write the rendered tree, run `mkdocs build --strict`, swap in the site.

This is an edge: it reads the hand-written docs and mkdocs.yml and writes files. The new
site is built beside the old one and moved into place only when every step succeeded, so a
failed build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CCRError
from .render import Output

BUILD_DIR = ".ccr-build"
VEGA_PATH = "assets/vendor/vega.js"
# What the bundle exposes to the site's script (docs/javascripts/ccr.js uses vegaEmbed).
SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


class BuildError(CCRError):
    """MkDocs (or writing the site) failed; the previous site is untouched."""


@dataclass(frozen=True, slots=True)
class Written:
    """What was written into the docs tree."""

    pages: int
    charts: int
    files: int


def vega_bundle(cache_dir: Path) -> bytes:
    """The Vega, Vega-Lite and Vega-Embed bundle, made once per vl-convert version."""
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    cached = cache_dir / f"vega-{version}.js"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(vl_convert.javascript_bundle(SNIPPET), encoding="utf-8")
        tmp.replace(cached)
    return cached.read_bytes()


def write_docs(outputs: Iterable[Output], handwritten: Path, target: Path) -> Written:
    """A fresh docs tree: the hand-written pages, then every generated file."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(handwritten, target)
    pages = charts = files = 0
    made: set[Path] = set()
    for out in outputs:
        path = target / out.path
        if path.exists() and path not in made:
            raise BuildError(f"generated file {out.path} would overwrite docs/{out.path}",
                             "rename the hand-written page")
        parent = path.parent
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        path.write_bytes(out.content)
        made.add(path)
        pages += out.kind == "page"
        charts += out.kind == "chart"
        files += 1
    return Written(pages, charts, files)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(config_file: Path, docs_dir: Path, site_dir: Path,
                 extra: dict[str, Any], site_url: str | None = None) -> None:
    """Run `mkdocs build --strict` in-process; BuildError with MkDocs' warnings on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
                             strict=True)
        config["extra"].update(extra)
        if site_url:
            config["site_url"] = site_url
        build(config)
    except MkDocsException as error:
        detail = "; ".join(collect.messages[:5]) or str(error)
        raise BuildError(f"mkdocs build failed: {detail}",
                         "fix the page or template it names; the previous site is untouched"
                         ) from None
    finally:
        log.removeHandler(collect)
    if collect.messages:
        raise BuildError(f"mkdocs build warned: {'; '.join(collect.messages[:5])}",
                         "the build is strict: fix each warning")


@contextlib.contextmanager
def source_date_epoch(epoch: int | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to ``epoch`` while MkDocs builds (when given and not set)."""
    if epoch is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def swap_in(new: Path, site: Path) -> None:
    """Replace ``site`` by ``new`` (two renames; an interrupted swap is repaired next time)."""
    old = site.with_name(site.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        site.rename(old)
    new.rename(site)
    if old.exists():
        shutil.rmtree(old)


def recover(site: Path) -> None:
    """Put back a site left aside by a build interrupted between its two renames."""
    old = site.with_name(site.name + ".old")
    if old.exists() and not site.exists():
        old.rename(site)


def build_site(root: Path, outputs: Iterable[Output], site: Path, *, extra: dict[str, Any],
               site_url: str | None = None, epoch: int | None = None,
               on_stage: Callable[[str], None] = lambda _s: None) -> tuple[Written, float]:
    """Write the docs tree, build it with MkDocs and swap the result into ``site``.

    ``epoch`` (the last commit's time) dates the build, as SOURCE_DATE_EPOCH, unless that is
    set already: the same revision then builds the same bytes on any day.
    """
    started = time.perf_counter()
    work = root / BUILD_DIR
    recover(site)
    work.mkdir(exist_ok=True)
    docs = work / "docs"
    on_stage("writing pages")
    written = write_docs(outputs, root / "docs", docs)
    gc.collect()  # the data's reference cycles (pandas frames) go before MkDocs starts
    vendor = docs / VEGA_PATH
    vendor.parent.mkdir(parents=True, exist_ok=True)
    vendor.write_bytes(vega_bundle(work / "cache"))
    on_stage("mkdocs build --strict")
    fresh = site.with_name(site.name + ".new")  # beside the target: the swap is a rename
    if fresh.exists():
        shutil.rmtree(fresh)
    try:
        with source_date_epoch(epoch):
            mkdocs_build(root / "mkdocs.yml", docs, fresh, extra, site_url)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_in(fresh, site)
    return written, time.perf_counter() - started
