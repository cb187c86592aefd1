"""A company whose page key is the one the last build used keeps its files, unread.

The render stage yields one ``kept`` output for such a company (``PageCache.kept``: the
sealed manifest's ``units`` name its key and files, ``stat`` each file's identity), and the
build takes its files in the work trees as they are. Those trees are ignored by git, and a
``git checkout`` of a branch that commits files there overwrites them while the manifest
stays valid: a file is kept only while it is the very file the last build left (its
device, inode, size, mtime and, when the build does not hard-link it into the site, its
ctime). Every rebuild here must equal a clean build byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmark import cache, pipeline
from benchmark.build import BuildError
from tests.helpers import files, make_project

pytestmark = pytest.mark.slow

SLUG = "synthetic-00002"
WORK = Path(".ccr-build")
VICTIMS = {
    "chart": WORK / "docs" / "charts" / "companies" / f"{SLUG}.json",
    "badge": WORK / "docs" / "badges" / f"{SLUG}.svg",
    "record": WORK / "stamped" / "companies" / f"{SLUG}.md.json",
}


def build(root: Path, clean: bool = False) -> None:
    """A build of ``root``."""
    pipeline.build(root, options=pipeline.BuildOptions(clean=clean))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """(a project built twice, so that its manifest names every company; its copy)."""
    root = make_project(tmp_path / "inc", 5)
    build(root)
    build(root)
    ref = tmp_path / "ref"
    shutil.copytree(root, ref, ignore=shutil.ignore_patterns(".ccr-build", "site"))
    return root, ref


def same_as_clean(root: Path, ref: Path) -> None:
    """``root``'s site is the clean build's of ``ref`` (the same data), byte for byte."""
    build(ref, clean=True)
    left, right = files(root / "site"), files(ref / "site")
    assert sorted(left) == sorted(right)
    assert [name for name in left if left[name] != right[name]] == []


def test_unchanged_companies_are_not_rendered(pair: tuple[Path, Path], rendered: list[str]) -> None:
    """Nothing changed: no page rendered; one company changed: only it; both equal clean."""
    root, ref = pair
    shutil.rmtree(root / WORK / "cache" / "pages")  # nothing to read: kept, or rendered
    build(root)
    assert rendered == []
    for project in (root, ref):
        path = project / "data" / "companies" / "synthetic-00003.yaml"
        path.write_text(path.read_text().replace("Synthetic Company 00003", "Renamed & <Co>"))
    build(root)
    assert rendered == ["synthetic-00003"]
    same_as_clean(root, ref)


def _plant(path: Path, how: str) -> bytes:
    """Another file of the same size under ``path``, its mtime put back; its bytes."""
    raw = path.read_bytes()
    planted = raw.replace(b"0", b"9").replace(b"Synthetic", b"Planted!!")
    assert planted != raw
    assert len(planted) == len(raw)
    before = os.stat(path)
    if how == "replaced":  # a new file, as a checkout writes it
        path.unlink()
    path.write_bytes(planted)  # "overwritten": the same inode, written over
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return planted


# Overwriting a file the build hard-links into the site (a chart, a badge) writes the
# site's copy too (the same inode); a checkout writes a new file.
@pytest.mark.parametrize(
    ("victim", "how"),
    [
        ("chart", "replaced"),
        ("badge", "replaced"),
        ("record", "replaced"),
        ("record", "overwritten"),
    ],
)
def test_a_planted_work_file_never_reaches_the_site(
    pair: tuple[Path, Path], victim: str, how: str
) -> None:
    """A work-tree file of a kept company replaced between builds: made again, not used."""
    root, ref = pair
    planted = _plant(root / VICTIMS[victim], how)
    build(root)
    assert (root / VICTIMS[victim]).read_bytes() != planted
    same_as_clean(root, ref)


# A branch that commits files below site/ (ignored by git) overwrites them on checkout: a
# company page (stamped), a page with slots (the home page) and a page MkDocs built whole.
SITE_PAGES = [f"companies/{SLUG}/index.html", "index.html", "leaderboards/index.html"]


@pytest.mark.parametrize("page", SITE_PAGES)
def test_a_planted_site_page_is_made_again(pair: tuple[Path, Path], page: str) -> None:
    """A page of the last site replaced between builds is not linked into the next one."""
    root, ref = pair
    path = root / "site" / page
    raw = path.read_bytes()
    path.unlink()  # as a checkout writes it: a new file
    path.write_bytes(raw.replace(b"</body>", b"<script>planted()</script></body>"))
    build(root)
    assert b"planted()" not in path.read_bytes()
    same_as_clean(root, ref)


def test_unchanged_site_pages_are_linked(pair: tuple[Path, Path]) -> None:
    """Nothing changed: each of those pages is the very file of the last site, linked."""
    root, _ref = pair
    before = {page: os.stat(root / "site" / page).st_ino for page in SITE_PAGES}
    build(root)
    assert {page: os.stat(root / "site" / page).st_ino for page in SITE_PAGES} == before


def test_the_build_checks_kept_files_the_page_cache_did_not(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept file is checked once: by the page cache, in the manifest the build then uses.

    When the build reads another manifest than the one the page cache checked the files
    against (here: the body the page cache read not shared, a file planted after the
    check), the build checks each kept file itself and stops instead of keeping it.
    """
    root, _ref = pair
    setup, kept = cache.PageCache.__init__, cache.PageCache.kept

    def unshared(self: cache.PageCache, *args: Any, **kwargs: Any) -> None:
        setup(self, *args, **kwargs)
        cache._READ = None  # the build reads the manifest anew

    def check_then_plant(self: cache.PageCache, slug: str, key: str) -> bool:
        found = kept(self, slug, key)
        if found and slug == SLUG:
            _plant(root / VICTIMS["record"], "replaced")
        return found

    monkeypatch.setattr(cache.PageCache, "__init__", unshared)
    monkeypatch.setattr(cache.PageCache, "kept", check_then_plant)
    with pytest.raises(BuildError, match="changed during the build"):
        build(root)
