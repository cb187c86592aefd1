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
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, fsutil, postbuild, slots, stamp
from .errors import CCRError
from .render import Output, Settings, as_markdown_page

_log = logging.getLogger(__name__)
BUILD_DIR = ".ccr-build"
VEGA_PATH = "assets/vendor/vega.js"
# What the bundle exposes to the site's script (docs/javascripts/ccr.js uses vegaEmbed).
SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


class BuildError(CCRError):
    """MkDocs (or writing the site) failed; the previous site is untouched."""


def _load_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it: ``!ENV`` and ``!relative`` tags resolved, ``INHERIT`` merged.

    Values are taken as written (MkDocs' validation, which runs when the site is built, would
    add defaults the pages do not use).
    """
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    path = root / "mkdocs.yml"
    loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(path)))
    try:
        with path.open("rb") as fh:
            config = yaml_load(fh, loader)
    except (OSError, ConfigurationError) as error:
        raise BuildError(
            f"{path}: cannot read the site configuration ({error})", "restore mkdocs.yml from git"
        ) from None
    return config if isinstance(config, dict) else {}


def read_settings(root: Path) -> Settings:
    """The page writers' settings from mkdocs.yml (site_name, repo_url, edit_uri, site_url).

    Read with MkDocs' own loader, so that what MkDocs accepts is accepted here too.
    """
    config = _load_config(root)
    return Settings(
        site_name=str(config.get("site_name", "Customer Care Review")),
        repo_url=config.get("repo_url"),
        edit_uri=str(config.get("edit_uri", "edit/main/")),
        site_url=config.get("site_url"),
    )


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """How :func:`build_site` builds.

    ``extra`` goes into MkDocs' ``extra``; ``site_url`` replaces mkdocs.yml's; ``epoch`` (the
    last commit's time) dates the build; ``stamped=False`` builds stamped outputs as Markdown
    pages through MkDocs; ``slots=False`` leaves the slots' HTML in the Markdown
    (benchmark/slots.py); ``clean`` ignores what the last build left.
    """

    extra: dict[str, Any]
    site_url: str | None = None
    epoch: int | None = None
    stamped: bool = True
    clean: bool = False
    slots: bool = True


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


def handwritten_files(handwritten: Path) -> Iterator[tuple[str, Path]]:
    """(docs path, file) of each hand-written file; links and dotfiles are left out."""
    for folder, dirs, files in os.walk(handwritten):
        dirs[:] = sorted(d for d in dirs if d not in _copyable(folder, dirs))
        for name in sorted(set(files) - _copyable(folder, files)):
            path = Path(folder) / name
            yield path.relative_to(handwritten).as_posix(), path


@dataclass(slots=True)
class Docs:
    """What the docs tree holds after :func:`sync_docs`, for the rest of the build."""

    written: Written
    hashes: dict[str, str]  # every file of the docs tree: sha256
    static: set[str]  # generated files MkDocs copies as they are (charts, data, badges)
    stamped: dict[str, str]  # stamped page path: sha256 of its record
    search: dict[str, dict[str, dict[str, str]]]  # folder: page path: search document
    rewritten: int  # files actually written (the others were unchanged)
    slotted: dict[str, str] = field(default_factory=dict)  # page path: sha256 of its slots
    blocks: dict[str, list[str]] = field(default_factory=dict)  # page path: its slots' HTML
    stat: dict[str, list[int]] = field(default_factory=dict)  # file (as in files): identity
    units: dict[str, Any] = field(default_factory=dict)  # company: its key and its files


def write_docs(
    outputs: Iterable[Output], handwritten: Path, target: Path, root: Path | None = None
) -> Written:
    """A fresh docs tree: the hand-written pages, then every generated file (no stamping)."""
    fsutil.remove_tree(target, root)
    return sync_docs(outputs, handwritten, target, None, {}, root).written


_AGAIN = "run the build again"


class _DocsTree:
    """The docs tree being written: what is in it so far, and how many files were written."""

    def __init__(
        self,
        target: Path,
        stamped_dir: Path | None,
        previous: dict[str, Any],
        root: Path | None,
        slotted: bool = False,
    ) -> None:
        self.target, self.stamped_dir, self.root = target, stamped_dir, root
        # the folders as strings, for the per-file paths (a Path per file of 40,000 costs)
        self.bases = {False: os.fspath(target), True: os.fspath(stamped_dir or target)}
        self.previous: dict[str, str] = previous.get("files", {})  # the last build's hashes
        self.stat_before: dict[str, list[int]] = previous.get("stat", {})
        self.units_before: dict[str, Any] = previous.get("units", {})
        # the companies the page cache found still there in this very manifest (cache.kept)
        self.verified: dict[str, Any] = previous.get(cache.VERIFIED, {})
        self.stat: dict[str, list[int]] = {}
        self.units: dict[str, Any] = {}
        self.kinds: dict[str, str] = {}
        self.slots = slotted
        self.slotted: dict[str, str] = {}
        self.blocks: dict[str, list[str]] = {}
        self.fresh = not self.previous
        self.made: set[Path] = set()
        self.hashes: dict[str, str] = {}
        self.own: set[str] = set()
        self.static: set[str] = set()
        self.stamped: dict[str, str] = {}
        self.search: dict[str, dict[str, dict[str, str]]] = {}
        self.pages = self.charts = self.files = self.rewritten = 0

    def start(self) -> None:
        """The target folder made; without ``previous``, emptied first (the records too)."""
        if self.fresh:
            fsutil.remove_tree(self.target, self.root)
            if self.stamped_dir is not None:
                fsutil.remove_tree(self.stamped_dir, self.root)
        fsutil.make_dir(self.target, self.root)

    def put(self, name: str, data: bytes, linked: bool = False, stamped: bool = False) -> str:
        """Write ``data`` as ``name`` unless the last build wrote the same; its sha256.

        ``name`` is in the docs tree, or with ``stamped`` in the stamped folder. The same:
        the same sha256 in the manifest, and the very file the last build left (its
        identity, :func:`cache.identity`: a file put there since is written anew).
        ``linked``: a file the build hard-links into the site.
        """
        digest = cache.sha256(data)
        path = f"{self.bases[stamped]}/{name}"
        key = "stamped:" + name if stamped else name
        if not self.fresh and self.previous.get(key) == digest:
            before = self.stat_before.get(key)
            if before is not None and cache.identity(path, linked) == before:
                self.stat[key] = before
                return digest
        parent = Path(os.path.dirname(path))
        if parent not in self.made:
            fsutil.make_dir(parent, self.root)
            self.made.add(parent)
        if self.fresh:
            made = cache.identity_of(fsutil.create_new(path, data), linked)
        else:
            fsutil.atomic_write(Path(path), data, self.root, durable=False)
            made = cache.identity(path, linked)
        self.rewritten += 1
        if made is not None:
            self.stat[key] = made
        return digest

    def handwritten(self, handwritten: Path) -> None:
        """Copy the hand-written pages (links and dotfiles left out)."""
        for name, path in handwritten_files(handwritten):
            data = fsutil.read_regular(path)
            if data is not None:
                self.hashes[name] = self.put(name, data)
        self.own = set(self.hashes)

    def _free(self, name: str) -> None:
        """BuildError when ``name`` is in the tree already."""
        if name in self.hashes or name in self.stamped:
            what = "docs/" + name if name in self.own else "another generated file"
            raise BuildError(
                f"generated file {name} would overwrite {what}", "rename the hand-written page"
            )

    def generated(self, name: str, data: bytes, linked: bool = False) -> None:
        """Write a generated file; BuildError when it would overwrite another one."""
        self._free(name)
        self.hashes[name] = self.put(name, data, linked)

    def _stamped(self, out: Output) -> None:
        """Keep a stamped output as its record, and its search document."""
        if out.path in self.hashes or out.path in self.stamped:
            raise BuildError(
                f"generated file {out.path} would overwrite docs/{out.path}",
                "rename the hand-written page",
            )
        self.stamped[out.path] = self.put(out.path + ".json", stamp.record(out), stamped=True)
        self.search.setdefault(stamp.folder(out.path), {})[out.path] = stamp.search_doc(out)

    def _page(self, out: Output) -> None:
        """A Markdown page written as its frame, its slots kept (benchmark/slots.py)."""
        frame, blocks = slots.split(out.content.decode("utf-8"))
        if not blocks:
            self.generated(out.path, out.content)
            return
        self.generated(out.path, frame.encode("utf-8"))
        self.slotted[out.path] = cache.sha256(slots.record(out.path, blocks))
        self.blocks[out.path] = blocks

    def _unit(self, out: Output) -> None:
        """A company's files, as just added, recorded under its key for the next build."""
        made = json.loads(out.content)
        files, search = [], {}
        for path in made["files"]:
            if path in self.stamped:
                files.append(["stamped:" + path + ".json", "stamped", path])
                # as text: the manifest sorts keys, and the search index keeps their order
                search[path] = json.dumps(self.search[stamp.folder(path)][path])
            else:
                files.append([path, self.kinds[path], path])
        # Markdown pages (no stamped folder) are never kept: their key is not the render's
        mode = "" if self.stamped_dir is not None else " markdown"
        self.units[out.path] = {"key": made["key"] + mode, "files": files, "search": search}

    def _kept(self, out: Output) -> None:
        """A company the last build made from the same key: its files are kept, unread.

        Each file is the very one the last build left: checked by the page cache a moment
        ago in this same manifest (``cache.VERIFIED``), else checked here.
        """
        unit = self.units_before.get(out.path)
        if unit is None or unit["key"] != out.content.decode():
            raise BuildError(f"the manifest changed during the build ({out.path})", _AGAIN)
        checked = self.verified.get(out.path) is unit
        for name, kind, path in unit["files"]:
            digest = self.previous.get(name)
            stamped = name.startswith("stamped:")
            if checked:
                now = self.stat_before.get(name)
            else:
                file = (
                    f"{self.bases[True]}/{path}.json"
                    if stamped and self.stamped_dir is not None
                    else f"{self.bases[False]}/{name}"
                )
                now = cache.identity(file, kind not in ("stamped", "page"))
            if digest is None or now is None or now != self.stat_before.get(name):
                raise BuildError(f"a kept file of {out.path} changed during the build", _AGAIN)
            self._free(path)
            self.stat[name] = now
            if stamped:
                self.stamped[path] = digest
                self.search.setdefault(stamp.folder(path), {})[path] = json.loads(
                    unit["search"][path]
                )
            else:
                self.hashes[path] = digest
                self.kinds[path] = kind
                if kind not in ("page", "stamped"):
                    self.static.add(path)
            self.pages += kind in ("stamped", "page")
            self.charts += kind == "chart"
            self.files += 1
        self.units[out.path] = unit

    def add(self, out: Output) -> None:
        """Write one rendered output (a stamped one as its record, or as a Markdown page)."""
        if out.kind == "unit":
            self._unit(out)
            return
        if out.kind == "kept":
            self._kept(out)
            return
        self.kinds[out.path] = out.kind
        if out.kind == "stamped":
            if self.stamped_dir is None:
                self.generated(out.path, as_markdown_page(out).content)
            else:
                self._stamped(out)
            self.pages += 1
        elif out.kind == "page" and self.slots and out.path.endswith(".md"):
            self._page(out)
            self.pages += 1
        else:
            self.generated(out.path, out.content, out.kind != "page")
            self.pages += out.kind == "page"
            self.charts += out.kind == "chart"
            if out.kind != "page":
                self.static.add(out.path)
        self.files += 1

    def finish(self) -> Docs:
        """Each folder's shell page written, files no longer made removed: the tree's Docs."""
        for directory in sorted(self.search):
            shell = stamp.shell_output(directory)
            self.generated(shell.path, as_markdown_page(shell).content)
        if not self.fresh:
            _remove_others(self.target, set(self.hashes), self.root)
            if self.stamped_dir is not None:
                _remove_others(self.stamped_dir, {p + ".json" for p in self.stamped}, self.root)
        written = Written(self.pages, self.charts, self.files)
        return Docs(
            written,
            self.hashes,
            self.static,
            self.stamped,
            self.search,
            self.rewritten,
            self.slotted,
            self.blocks,
            self.stat,
            self.units,
        )


def sync_docs(
    outputs: Iterable[Output],
    handwritten: Path,
    target: Path,
    stamped_dir: Path | None,
    previous: dict[str, Any],
    root: Path | None = None,
    extra_files: Iterable[tuple[str, bytes]] = (),
    slotted: bool = False,
) -> Docs:
    """The docs tree for MkDocs: the hand-written pages, then every generated file.

    A stamped output is kept as a record in ``stamped_dir`` (with a shell page per folder
    in the tree), or, when ``stamped_dir`` is None, written as its Markdown page. A file
    whose sha256 is in ``previous`` (the last build's manifest: ``files``) is not
    rewritten while it is the very file that build left (``stat``: its identity); a file
    no longer made is removed. Without ``previous`` the tree is made
    anew. With ``slotted``, each generated Markdown page is written as its frame (its slots'
    placeholders) and the slots' HTML is kept in memory (benchmark/slots.py). Links and
    dotfiles in the hand-written pages are never copied (the tree policy reports them); no
    write follows a link. A ``kept`` output takes a company's files as ``previous`` names them
    (``units``: its key and files), unread.
    """
    fsutil.check_no_link(handwritten, root, "read")
    tree = _DocsTree(target, stamped_dir, previous, root, slotted)
    tree.start()
    tree.handwritten(handwritten)
    for out in outputs:
        tree.add(out)
    for name, data in extra_files:
        tree.generated(name, data, True)
        tree.static.add(name)
    return tree.finish()


def _remove_others(folder: Path, keep: set[str], root: Path | None) -> None:
    """Delete every file below ``folder`` not named in ``keep`` (and folders left empty)."""
    if not folder.is_dir():
        return
    fsutil.check_no_link(folder, root, "delete")
    top = os.fspath(folder)
    for base, dirs, files in os.walk(top, topdown=False):
        # names as strings (a Path per file of 40,000 costs seconds)
        below = os.path.relpath(base, top)
        prefix = "" if below == os.curdir else below.replace(os.sep, "/") + "/"
        for name in files:
            if prefix + name not in keep:
                os.unlink(os.path.join(base, name))
        for name in dirs:
            sub = os.path.join(base, name)
            if os.path.islink(sub):
                os.unlink(sub)
            else:
                with os.scandir(sub) as entries:
                    empty = next(entries, None) is None
                if empty:
                    os.rmdir(sub)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _linker(static: frozenset[str]) -> Any:
    """An in-process MkDocs plugin: each file of ``static`` hard-linked into the site.

    MkDocs still lists the files (links to them are validated) but finds each one already
    in place (``shutil.SameFileError``, which it leaves to plugins that write into the
    site) and copies nothing. A file that cannot be linked (another file system) is copied
    by MkDocs as before. The docs tree is only ever replaced by renames, so a link keeps
    the bytes the build wrote.
    """
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import Files

    class LinkStatic(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_files(self, files: Files, /, *, config: Any) -> Files:
            made: set[str] = set()
            for file in files:
                if file.src_uri in static and file.abs_src_path is not None:
                    with contextlib.suppress(OSError):
                        _link(file.abs_src_path, file.abs_dest_path, made)
            return files

    return LinkStatic()


def mkdocs_build(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    extra: dict[str, Any],
    site_url: str | None = None,
    static: frozenset[str] = frozenset(),
) -> None:
    """Run `mkdocs build --strict` in-process; BuildError with MkDocs' warnings on failure.

    The files named in ``static`` (docs paths) are hard-linked into the site, not copied.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        config = load_config(
            str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True
        )
        config["extra"].update(extra)
        if site_url:
            config["site_url"] = site_url
        if static:
            config.plugins["ccr-link-static"] = _linker(static)
        build(config)
    except MkDocsException as error:
        detail = "; ".join(collect.messages[:5]) or str(error)
        raise BuildError(
            f"mkdocs build failed: {detail}",
            "fix the page or template it names; the previous site is untouched",
        ) from None
    finally:
        log.removeHandler(collect)
    if collect.messages:
        raise BuildError(
            f"mkdocs build warned: {'; '.join(collect.messages[:5])}",
            "the build is strict: fix each warning",
        )


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
            raise BuildBusy(
                f"another build is running (pid {pid})",
                "wait for it to finish, or stop it, then build again; the site "
                "is replaced only when a build succeeds",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def ensure_idle(root: Path) -> None:
    """BuildBusy at once when another build holds the lock (before loading any data)."""
    with build_lock(root):
        pass


def swap_in(
    new: Path, site: Path, root: Path | None = None, trash: fsutil.Trash | None = None
) -> None:
    """Replace ``site`` by ``new`` (two renames; an interrupted swap is repaired next time).

    With ``trash`` the old site is moved into it (one more rename), for the next build's
    thread to delete; without, it is deleted here.
    """
    old = site.with_name(site.name + ".old")
    _discard(old, root, trash)
    for path in (site, new):
        fsutil.check_no_link(path, root)
    if site.exists():
        site.rename(old)
    new.rename(site)
    _discard(old, root, trash)


def _discard(path: Path, root: Path | None, trash: fsutil.Trash | None) -> None:
    """Delete the folder ``path`` now, or move it into ``trash`` for the next build."""
    if trash is None:
        fsutil.remove_tree(path, root)
    else:
        trash.put(path, now=False)


def recover(site: Path, root: Path | None = None) -> None:
    """Put back a site left aside by a build interrupted between its two renames."""
    old = site.with_name(site.name + ".old")
    for path in (site, old):
        fsutil.check_no_link(path, root, "delete")
    if old.exists() and not site.exists():
        old.rename(site)


def build_site(
    root: Path,
    outputs: Iterable[Output],
    site: Path,
    options: SiteOptions,
    on_stage: Callable[[str], None] = lambda _s: None,
) -> Written:
    """Write the docs tree, build it with MkDocs, stamp, and swap the result into ``site``.

    ``options.epoch`` (the last commit's time) dates the build, as SOURCE_DATE_EPOCH, unless
    that is set already: the same revision then builds the same bytes on any day. One build
    at a time per folder (:func:`build_lock`); no folder it deletes or writes may be a link;
    a file-system error (a full disk) stops it with a message that names the file, and the
    previous site stays. ``stamped=False`` builds stamped outputs as Markdown pages through
    MkDocs (the equivalence test's second way); ``clean`` ignores what the last build left.
    """
    with build_lock(root):
        trash = fsutil.Trash(root / BUILD_DIR / TRASH_DIR, root)
        try:
            return _build_site(root, outputs, site, options, on_stage, trash)
        except OSError as error:
            failed = fsutil.describe(error)
            raise BuildError(
                failed.message, f"{failed.hint}; the previous site is untouched"
            ) from None
        finally:
            # nothing runs once the build has returned: the trash thread is stopped (what it
            # has not deleted yet stays in the trash for the next build)
            for failed_delete in trash.close():
                _log.warning("could not empty the trash: %s", failed_delete)


TRASH_DIR = "trash"  # trees done with, deleted in a thread (fsutil.Trash)
ENGINE_DIR = "engine"  # what MkDocs built that the stamping and the search/sitemap need
SITE_META = ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz")
AFTER = {"search/search_docs.json", *SITE_META}


def _mkdocs_key(root: Path, docs: Docs, options: SiteOptions) -> str:
    """What the MkDocs part's output depends on: equal keys, equal output."""
    epoch = options.epoch
    when = os.environ.get("SOURCE_DATE_EPOCH") or (
        str(epoch) if epoch is not None else time.strftime("%Y-%m-%d", time.gmtime())
    )
    config = fsutil.read_regular(root / "mkdocs.yml") or b""
    inputs = {
        "pages": {p: h for p, h in docs.hashes.items() if p not in docs.static},
        "static": sorted(docs.static),
        "config": cache.sha256(config),
        # What MkDocs will read: an !ENV variable or an INHERITed file changes it, not the bytes.
        "resolved": json.dumps(_load_config(root), sort_keys=True, default=repr),
        "overrides": cache.tree_hashes(root / "overrides"),
        "extra": options.extra,
        "site_url": options.site_url,
        "when": when,
        "stamped": options.stamped,
        "slots": options.slots,
        "ccr": cache.source_hash(),
    }
    return cache.sha256(json.dumps(inputs, sort_keys=True, default=str).encode())


def _link(source: str, target: str, made: set[str]) -> None:
    """Hard-link ``source`` as ``target`` (its folder made first); paths as strings."""
    parent = os.path.dirname(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    os.link(source, target, follow_symlinks=False)


# The identity of each file put into the new site that a later build may link, by its
# name in the site: as checked before it was linked, or as written (cache.identity, linked).
SiteIds = dict[str, list[int]]


def _reuse(
    previous: dict[str, Any],
    site: Path,
    engine: Path,
    fresh: Path,
    needed: Iterable[str],
    ids: SiteIds,
) -> bool:
    """The previous MkDocs output linked into ``fresh``; False when any of it is missing.

    ``needed``: the engine files this build uses (each must be in the manifest); ``ids``
    gets the identity of each file linked.
    """
    saved = previous.get("engine", {})
    if any(name not in saved for name in needed):
        return False
    for name, digest in saved.items():
        data = fsutil.read_regular(engine / name)
        if data is None or cache.sha256(data) != digest:
            return False
    made: set[str] = set()
    old, new = os.fspath(site), os.fspath(fresh)
    try:
        for name in previous.get("engine_files", []):
            found = _unchanged(old, name, previous)
            if found is None:
                return False
            _link(f"{old}/{name}", f"{new}/{name}", made)
            ids[name] = found
    except OSError:
        return False
    for name in SITE_META:
        if (engine / name).is_file():
            _link(os.fspath(engine / name), f"{new}/{name}", made)
    return True


def slotted_file(path: str) -> str:
    """Where the engine keeps the page MkDocs built from ``path``'s frame (its slots empty)."""
    return "slotted/" + postbuild.page_file(path)


def _run_mkdocs(
    root: Path,
    docs_dir: Path,
    fresh: Path,
    engine: Path,
    docs: Docs,
    options: SiteOptions,
    trash: fsutil.Trash,
) -> list[str]:
    """MkDocs over the docs tree into ``fresh``; its shells and site files kept in ``engine``.

    Returns the site files the MkDocs part made (the generated static ones left out).
    """
    with source_date_epoch(options.epoch):
        mkdocs_build(
            root / "mkdocs.yml",
            docs_dir,
            fresh,
            options.extra,
            options.site_url,
            frozenset(docs.static),
        )
    trash.put(engine)
    fsutil.make_dir(engine / "shells", root)
    for directory in docs.search:
        shell = fresh / stamp.page_url(stamp.shell_path(directory))
        data = fsutil.read_regular(shell / "index.html")
        if data is None:
            raise stamp.StampError(
                f"MkDocs built no {stamp.shell_path(directory)}",
                "check not_in_nav and exclude_docs in mkdocs.yml",
            )
        fsutil.create_new(engine / "shells" / (directory.replace("/", "__") + ".html"), data)
        fsutil.remove_tree(shell, root)
    for name in SITE_META:
        if (fresh / name).is_file():
            fsutil.make_dir((engine / name).parent, root)
            shutil.copyfile(fresh / name, engine / name)
    for path in sorted(docs.slotted):
        built = fresh / postbuild.page_file(path)
        data = fsutil.read_regular(built)
        if data is None:
            raise BuildError(f"MkDocs built no page from {path}", "run ccr build --clean")
        kept = engine / slotted_file(path)
        fsutil.make_dir(kept.parent, root)
        fsutil.create_new(kept, data)
        built.unlink()
    postbuild.finish_pages(
        fresh,
        sorted(
            p
            for p in docs.hashes
            if p.endswith(".md") and p not in docs.static and p not in docs.slotted
        ),
    )
    made = []
    for base, dirs, files in os.walk(fresh):
        dirs.sort()
        for name in files:
            rel = (Path(base) / name).relative_to(fresh).as_posix()
            if rel not in docs.static and rel not in AFTER:
                made.append(rel)
    return sorted(made)


def _stamp_pages(
    root: Path,
    site: Path,
    fresh: Path,
    engine: Path,
    stamped_dir: Path,
    docs: Docs,
    previous: dict[str, Any],
    ids: SiteIds,
) -> dict[str, str]:
    """Fill each folder's shell for its stamped pages; unchanged pages linked. Shell hashes.

    ``ids`` gets the identity of each page put into the site.
    """
    shells: dict[str, str] = {}
    old_site, new_site = os.fspath(site), os.fspath(fresh)
    before = previous.get("shells", {})
    old = previous.get("files", {})
    for directory, found in docs.search.items():
        raw = fsutil.read_regular(engine / "shells" / (directory.replace("/", "__") + ".html"))
        if raw is None:
            raise stamp.StampError(
                f"the shell page of {directory}/ is missing", "run ccr build --clean"
            )
        shells[directory] = cache.sha256(raw)
        same_shell = before.get(directory) == shells[directory]
        shell = stamp.Shell.parse(directory, postbuild.point_at_worker(raw.decode("utf-8")))
        fsutil.make_dir(fresh / directory, root)  # each page's folder is made inside it
        for path in found:
            name = stamp.site_file(path)
            target = f"{new_site}/{name}"
            if same_shell and old.get("stamped:" + path + ".json") == docs.stamped[path]:
                linked = _unchanged(old_site, name, previous)
                if linked is not None:
                    fsutil.make_child(os.path.dirname(target), root)
                    os.link(f"{old_site}/{name}", target, follow_symlinks=False)
                    ids[name] = linked
                    continue
            page = shell.finish(_stamped_record(stamped_dir, path, docs.stamped[path]))
            fsutil.make_child(os.path.dirname(target), root)
            made = cache.identity_of(fsutil.create_new(target, page.encode("utf-8")), True)
            if made is not None:
                ids[name] = made
    return shells


def _unchanged(site: str, name: str, previous: dict[str, Any]) -> list[int] | None:
    """The identity of the site file ``name`` when it is the very file the last build left.

    Its identity (:func:`cache.identity`: device, inode, size, mtime) must be the one the
    sealed manifest recorded after the swap (``site_stat``); None otherwise. ``site/`` is
    ignored by git, and a checkout of a branch that commits files there overwrites them
    silently: such a file is a new one (another mtime), so the page is made again instead of
    linked.
    """
    recorded = previous.get("site_stat", {}).get(name)
    if recorded is None or cache.identity(f"{site}/{name}", linked=True) != recorded:
        return None
    return list(recorded)


def _site_stat(site: Path, docs: Docs, engine_files: list[str], ids: SiteIds) -> SiteIds:
    """The identity of each file of the new site that a later build may link (not make).

    A file this build linked or wrote has the identity found then (``ids``: a hard link
    and the renames of the swap leave it as it was); any other one is looked up.
    """
    names = [
        *engine_files,
        *(postbuild.page_file(p) for p in docs.slotted),
        *(stamp.site_file(p) for p in docs.stamped),
    ]
    top = os.fspath(site)
    found: SiteIds = {}
    for name in names:
        ident = ids.get(name) or cache.identity(f"{top}/{name}", linked=True)
        if ident is not None:
            found[name] = ident
    return found


def _stamped_record(stamped_dir: Path, path: str, digest: str) -> Output:
    """The stamped output of ``path`` from its record, which must be the one this build wrote."""
    data = fsutil.read_regular(stamped_dir / (path + ".json"))
    if data is None or cache.sha256(data) != digest:
        raise stamp.StampError(
            f"the stamped record of {path} changed during the build", "run the build again"
        )
    return stamp.from_record(data)


def _fill_slots(
    site: Path,
    fresh: Path,
    engine: Path,
    docs: Docs,
    previous: dict[str, Any],
    ids: SiteIds | None = None,
) -> dict[str, str]:
    """Each slotted page: its frame filled and finished; unchanged pages linked. Frame hashes.

    A page is linked from the previous site when both the frame MkDocs built and its slots
    are the ones the last build used; otherwise the frame is filled with the slots this
    build rendered (held in memory: nothing on disk is read for them). ``ids`` gets the
    identity of each page linked.
    """
    frames: dict[str, str] = {}
    before = previous.get("frames", {})
    old = previous.get("files", {})
    made: set[str] = set()
    for path, digest in sorted(docs.slotted.items()):
        raw = fsutil.read_regular(engine / slotted_file(path))
        if raw is None:
            raise BuildError(f"the built frame of {path} is missing", "run ccr build --clean")
        frames[path] = cache.sha256(raw)
        target = fresh / postbuild.page_file(path)
        if before.get(path) == frames[path] and old.get("slots:" + path) == digest:
            name = postbuild.page_file(path)
            linked = _unchanged(os.fspath(site), name, previous)
            if linked is not None:
                _link(os.fspath(site / name), os.fspath(target), made)
                if ids is not None:
                    ids[name] = linked
                continue
        try:
            page = slots.fill(raw.decode("utf-8"), docs.blocks[path], path)
        except slots.SlotError as error:
            raise BuildError(error.message, error.hint) from None
        if os.fspath(target.parent) not in made:
            fsutil.make_dir(target.parent, fresh)
            made.add(os.fspath(target.parent))
        fsutil.create_new(target, postbuild.finish_page(page).encode("utf-8"))
    return frames


def _search_and_sitemap(fresh: Path, engine: Path, docs: Docs) -> None:
    """The stamped pages' search documents and sitemap entries; the index split."""
    raw = fsutil.read_regular(engine / "search" / "search_index.json")
    if raw is None:
        raise postbuild.PostBuildError(
            "the site has no search/search_index.json",
            "the search plugin must stay enabled in mkdocs.yml",
        )
    index = json.loads(raw)
    keys = stamp.keys_of(p for p in docs.hashes if p not in docs.static)
    found = {p: doc for docs_of in docs.search.values() for p, doc in docs_of.items()}
    stamp.splice_search(index, found, keys)
    for name in SITE_META:
        with contextlib.suppress(FileNotFoundError):
            (fresh / name).unlink()
    postbuild.write_index(fresh, index)
    xml = fsutil.read_regular(engine / "sitemap.xml")
    if xml is None:
        return
    spliced = stamp.splice_sitemap(xml.decode("utf-8"), stamp.ordered(found), keys).encode("utf-8")
    fsutil.create_new(fresh / "sitemap.xml", spliced)
    gz = fsutil.read_regular(engine / "sitemap.xml.gz")
    if gz is not None:
        fsutil.create_new(fresh / "sitemap.xml.gz", stamp.gzip_like(spliced, gz))


def _build_site(
    root: Path,
    outputs: Iterable[Output],
    site: Path,
    options: SiteOptions,
    on_stage: Callable[[str], None],
    trash: fsutil.Trash,
) -> Written:
    work = root / BUILD_DIR
    recover(site, root)
    fsutil.make_dir(work, root)
    trash.start()  # deletes what earlier builds left in the trash while this one works
    previous = {} if options.clean else cache.read_manifest(work)
    cache.forget_manifest(work, root)  # until this build ends, nothing it leaves is trusted
    if previous.get("site") != os.path.abspath(site) or not site.is_dir():
        # what the manifest says of a site is about the one it built (publish builds
        # elsewhere): only its docs tree can still be trusted
        previous = {k: previous.get(k, {}) for k in ("files", "stat", "units", cache.VERIFIED)}
    docs_dir = work / "docs"
    stamped_dir = work / "stamped"
    engine = work / ENGINE_DIR
    if not previous.get("files"):  # the docs tree is made anew (sync_docs): the old one goes
        trash.put(docs_dir)
        if options.stamped:
            trash.put(stamped_dir)
    on_stage("writing pages")
    vendor = (VEGA_PATH, vega_bundle(work / "cache", root))
    docs = sync_docs(
        outputs,
        root / "docs",
        docs_dir,
        stamped_dir if options.stamped else None,
        previous,
        root,
        [vendor],
        options.slots,
    )
    gc.collect()  # the data's reference cycles (pandas frames) go before MkDocs starts
    key = _mkdocs_key(root, docs, options)
    fresh = site.with_name(site.name + ".new")  # beside the target: the swap is a rename
    trash.put(fresh)
    try:
        reused = False
        ids: SiteIds = {}
        if previous.get("mkdocs_key") == key:
            on_stage("reusing the MkDocs output")
            reused = _reuse(previous, site, engine, fresh, map(slotted_file, docs.slotted), ids)
            if not reused:
                trash.put(fresh)
        if reused:
            engine_files = list(previous["engine_files"])
            made: set[str] = set()
            source, into = os.fspath(docs_dir), os.fspath(fresh)
            for name in sorted(docs.static):
                _link(f"{source}/{name}", f"{into}/{name}", made)
        else:
            on_stage("mkdocs build --strict")
            engine_files = _run_mkdocs(root, docs_dir, fresh, engine, docs, options, trash)
        on_stage("filling slots")
        frames = _fill_slots(site, fresh, engine, docs, previous, ids)
        on_stage("stamping pages")
        shells = _stamp_pages(root, site, fresh, engine, stamped_dir, docs, previous, ids)
        on_stage("search and sitemap")
        _search_and_sitemap(fresh, engine, docs)
        on_stage("swapping in")
    except BaseException:
        if not os.path.islink(fresh):
            shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_in(fresh, site, root, trash)  # the old site is deleted by the next build
    files = {
        **docs.hashes,
        **{"stamped:" + p + ".json": h for p, h in docs.stamped.items()},
        **{"slots:" + p: h for p, h in docs.slotted.items()},
    }
    kept = [
        *SITE_META,
        *(f"shells/{d.replace('/', '__')}.html" for d in docs.search),
        *map(slotted_file, docs.slotted),
    ]
    saved = {
        name: cache.sha256(data)
        for name in kept
        if (data := fsutil.read_regular(engine / name)) is not None
    }
    cache.write_manifest(
        work,
        {
            "files": files,
            "mkdocs_key": key,
            "engine": saved,
            "site": os.path.abspath(site),
            "engine_files": engine_files,
            "shells": shells,
            "frames": frames,
            "stat": docs.stat,
            "units": docs.units,
            "site_stat": _site_stat(site, docs, engine_files, ids),
        },
        root,
    )
    return docs.written
