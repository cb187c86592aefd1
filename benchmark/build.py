"""Stage 5, build: write the rendered tree, run `mkdocs build --strict`, swap in the site.

This is an edge: it reads the hand-written docs and mkdocs.yml and writes files. The new
site is built beside the old one and moved into place only when every step succeeded, so a
failed build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fsutil
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


# sha256 of vl_convert.javascript_bundle(SNIPPET), per vl-convert version (constraints.txt
# pins one). The cached bundle becomes the site's JavaScript, so it is used only when its
# bytes are exactly these: a committed, stale or corrupt file is made again, never trusted.
# After upgrading vl-convert, tests/test_files.py names the value to add here.
VEGA_SHA256 = {
    "1.9.0": "3425bd951a44d478d0505c6b5d1e8d57656b6e9a4da7bfe88a718ce61d76e572",
}


def vega_bundle(cache_dir: Path, root: Path | None = None) -> bytes:
    """The Vega, Vega-Lite and Vega-Embed bundle, made once per vl-convert version.

    The cache is read only when its sha256 is the one pinned for this version in
    :data:`VEGA_SHA256`; a version not pinned there makes the bundle on every build.
    """
    import vl_convert

    version = str(getattr(vl_convert, "__version__", "unknown"))
    expected = VEGA_SHA256.get(version)
    cached = cache_dir / f"vega-{version}-{(expected or '')[:16]}.js"
    if expected is not None:
        fsutil.check_no_link(cache_dir, root)
        data = fsutil.read_regular(cached)
        if data is not None and hashlib.sha256(data).hexdigest() == expected:
            return data
    bundle = vl_convert.javascript_bundle(SNIPPET).encode("utf-8")
    if expected is not None and hashlib.sha256(bundle).hexdigest() == expected:
        fsutil.make_dir(cache_dir, root)
        fsutil.atomic_write(cached, bundle, root)
    return bundle


def _copyable(folder: str, names: list[str]) -> set[str]:
    """What copytree leaves out of the hand-written pages: links and dotfiles."""
    return {n for n in names if n.startswith(".") or os.path.islink(os.path.join(folder, n))}


def write_docs(outputs: Iterable[Output], handwritten: Path, target: Path,
               root: Path | None = None) -> Written:
    """A fresh docs tree: the hand-written pages, then every generated file.

    Links and dotfiles in the hand-written pages are never copied (the tree policy reports
    them), and each file is created new (``O_EXCL|O_NOFOLLOW``), so no write follows a link.
    """
    fsutil.remove_tree(target, root)
    fsutil.check_no_link(handwritten, root, "read")
    fsutil.check_no_link(target.parent, root)
    shutil.copytree(handwritten, target, ignore=_copyable)
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
        fsutil.create_new(path, out.content)
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


class BuildBusy(BuildError):
    """Another `ccr build` (or `ccr serve`) is building in the same folder."""


LOCK_FILE = "lock"


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold ``.ccr-build/lock`` (flock) while building; BuildBusy when another build has it.

    The holder writes its pid into the file, so the second build can name it. The lock
    goes with the process: a killed build leaves nothing to clean up.
    """
    work = root / BUILD_DIR
    fsutil.make_dir(work, root)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(work / LOCK_FILE, flags, 0o644)
    except OSError as error:
        raise fsutil.describe(error) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            pid = holder if holder.isdigit() else "unknown"
            raise BuildBusy(f"another build is running (pid {pid})",
                            "wait for it to finish, or stop it, then build again; the site "
                            "is replaced only when a build succeeds") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def ensure_idle(root: Path) -> None:
    """BuildBusy at once when another build holds the lock (before loading any data)."""
    with build_lock(root):
        pass


def swap_in(new: Path, site: Path, root: Path | None = None) -> None:
    """Replace ``site`` by ``new`` (two renames; an interrupted swap is repaired next time)."""
    old = site.with_name(site.name + ".old")
    fsutil.remove_tree(old, root)
    for path in (site, new):
        fsutil.check_no_link(path, root)
    if site.exists():
        site.rename(old)
    new.rename(site)
    fsutil.remove_tree(old, root)


def recover(site: Path, root: Path | None = None) -> None:
    """Put back a site left aside by a build interrupted between its two renames."""
    old = site.with_name(site.name + ".old")
    for path in (site, old):
        fsutil.check_no_link(path, root, "delete")
    if old.exists() and not site.exists():
        old.rename(site)


def build_site(root: Path, outputs: Iterable[Output], site: Path, *, extra: dict[str, Any],
               site_url: str | None = None, epoch: int | None = None,
               on_stage: Callable[[str], None] = lambda _s: None) -> tuple[Written, float]:
    """Write the docs tree, build it with MkDocs and swap the result into ``site``.

    ``epoch`` (the last commit's time) dates the build, as SOURCE_DATE_EPOCH, unless that is
    set already: the same revision then builds the same bytes on any day. One build at a
    time per folder (:func:`build_lock`); no folder it deletes or writes may be a link; a
    file-system error (a full disk) stops it with a message that names the file, and the
    previous site stays.
    """
    started = time.perf_counter()
    with build_lock(root):
        try:
            written = _build_site(root, outputs, site, extra=extra, site_url=site_url,
                                  epoch=epoch, on_stage=on_stage)
        except OSError as error:
            failed = fsutil.describe(error)
            raise BuildError(failed.message, f"{failed.hint}; the previous site is untouched"
                             ) from None
    return written, time.perf_counter() - started


def _build_site(root: Path, outputs: Iterable[Output], site: Path, *, extra: dict[str, Any],
                site_url: str | None, epoch: int | None,
                on_stage: Callable[[str], None]) -> Written:
    work = root / BUILD_DIR
    recover(site, root)
    fsutil.make_dir(work, root)
    docs = work / "docs"
    on_stage("writing pages")
    written = write_docs(outputs, root / "docs", docs, root)
    gc.collect()  # the data's reference cycles (pandas frames) go before MkDocs starts
    vendor = docs / VEGA_PATH
    vendor.parent.mkdir(parents=True, exist_ok=True)
    fsutil.create_new(vendor, vega_bundle(work / "cache", root))
    on_stage("mkdocs build --strict")
    fresh = site.with_name(site.name + ".new")  # beside the target: the swap is a rename
    fsutil.remove_tree(fresh, root)
    try:
        with source_date_epoch(epoch):
            mkdocs_build(root / "mkdocs.yml", docs, fresh, extra, site_url)
    except BaseException:
        if not os.path.islink(fresh):
            shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_in(fresh, site, root)
    return written
