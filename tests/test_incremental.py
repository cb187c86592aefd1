"""The incremental build makes exactly what a clean build makes, and survives being stopped.

Two copies of one project get the same changes: ``inc`` is built incrementally (manifest,
parse cache, MkDocs output reused, unchanged pages linked), ``ref`` always with ``clean``.
After every change, every file of the two sites must hold the same bytes. Company pages
are made stamped outputs here (as the company page branch makes them), so the stamping's
incremental path is exercised too.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmark import cache, pipeline
from tests.helpers import files, make_project

pytestmark = pytest.mark.slow

COMPANIES = 14


def same(a: Path, b: Path) -> None:
    """The two sites hold the same files with the same bytes."""
    left, right = files(a / "site"), files(b / "site")
    assert sorted(left) == sorted(right)
    differ = [name for name in left if left[name] != right[name]]
    assert differ == []


def build(
    root: Path, clean: bool = False, on_stage: Callable[[str], None] = lambda _s: None
) -> None:
    """A build (the demo flag fixed, the clock too)."""
    pipeline.build(root, options=pipeline.BuildOptions(clean=clean), on_stage=on_stage)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(incremental project, reference project), both built once."""
    inc = make_project(tmp_path_factory.mktemp("inc"))
    ref = tmp_path_factory.mktemp("ref")
    shutil.copytree(inc, ref, dirs_exist_ok=True)
    build(inc)
    build(ref, clean=True)
    return inc, ref


def company(root: Path, n: int) -> Path:
    """The n-th synthetic company's file."""
    return root / "data" / "companies" / f"synthetic-{n:05d}.yaml"


def rename(path: Path, name: str) -> None:
    """Give the company of ``path`` a new name."""
    path.write_text(re.sub(r"\nname: [^\n]*\n", f"\nname: {name}\n", path.read_text(), count=1))


def change_name(root: Path) -> None:
    """A company's name corrected."""
    path = company(root, 3)
    path.write_text(
        path.read_text().replace("name: Synthetic Company 00003", "name: Synthetic & <Company> 3")
    )


def add_company(root: Path) -> None:
    """A new company, a copy of another under a new slug."""
    text = company(root, 5).read_text().replace("synthetic-00005", "added-company")
    (root / "data" / "companies" / "added-company.yaml").write_text(
        text.replace("name: Synthetic Company 00005", "name: Added Company")
    )


def remove_company(root: Path) -> None:
    """A company removed."""
    company(root, 7).unlink()


def change_methodology(root: Path) -> None:
    """A label of the methodology's rubric reworded (shown on every company page)."""
    for path in (root / "data" / "methodology").glob("*.yaml"):
        path.write_text(
            path.read_text().replace("Answered the actual question", "Answered the real question")
        )


def change_template(root: Path) -> None:
    """A theme template changed (every page, the shells included)."""
    path = root / "overrides" / "main.html"
    path.write_text(
        path.read_text().replace("new editions and corrections", "new editions, corrections")
    )


def change_handwritten(root: Path) -> None:
    """A hand-written page changed."""
    path = root / "docs" / "methodology.md"
    path.write_text(path.read_text() + "\nOne more sentence.\n")


@pytest.mark.parametrize(
    "change",
    [
        change_name,
        add_company,
        remove_company,
        change_methodology,
        change_template,
        change_handwritten,
        lambda _root: None,
    ],
    ids=["name", "added", "removed", "methodology", "template", "handwritten", "nothing"],
)
def test_incremental_equals_clean(pair: tuple[Path, Path], change: Callable[[Path], None]) -> None:
    """After each change, the incremental build's site is the clean build's, byte for byte."""
    inc, ref = pair
    change(inc)
    change(ref)
    build(inc)
    build(ref, clean=True)
    same(inc, ref)


def test_unchanged_files_are_not_rewritten(pair: tuple[Path, Path]) -> None:
    """A build with nothing changed parses nothing, writes no page, reuses MkDocs' output."""
    inc, _ = pair
    build(inc)
    page = inc / "site" / "companies" / "synthetic-00002" / "index.html"
    before = page.stat().st_ino
    stages: list[str] = []
    parsed = cache.ParseCache.read(inc / ".ccr-build" / cache.PARSE_CACHE)
    assert len(parsed.entries) >= COMPANIES
    build(inc, on_stage=stages.append)
    assert "reusing the MkDocs output" in stages
    assert "mkdocs build --strict" not in stages
    assert page.stat().st_ino == before  # the same file, linked into the new site


def test_two_clean_builds_are_identical(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Deterministic: a second clean build gives the same bytes."""
    _, ref = pair
    first = files(ref / "site")
    build(ref, clean=True)
    assert files(ref / "site") == first


class Stop(Exception):
    """The injected failure."""


def stop_at(stage: str) -> Callable[[str], None]:
    """An on_stage callback that fails the build when ``stage`` starts."""

    def on_stage(name: str) -> None:
        if name == stage:
            raise Stop(stage)

    return on_stage


@pytest.mark.parametrize(
    "stage",
    [
        "writing pages",
        "mkdocs build --strict",
        "stamping pages",
        "search and sitemap",
        "swapping in",
    ],
)
def test_a_build_stopped_between_steps(pair: tuple[Path, Path], stage: str) -> None:
    """A build failing at any step leaves the site; the next build equals a clean one."""
    inc, ref = pair
    before = files(inc / "site")
    for root in (inc, ref):
        rename(company(root, 2), f"Stopped at {stage}")
    with pytest.raises(Stop):
        build(inc, on_stage=stop_at(stage))
    assert files(inc / "site") == before
    assert not (inc / "site.new").exists()
    build(inc)
    build(ref, clean=True)
    same(inc, ref)


def corrupt_manifest(work: Path) -> None:
    """The manifest's bytes changed (its checksum no longer holds)."""
    path = work / cache.MANIFEST
    data = path.read_bytes()
    path.write_bytes(data.replace(b"companies/", b"companiez/", 3))


def truncate_manifest(work: Path) -> None:
    """The manifest cut short."""
    path = work / cache.MANIFEST
    path.write_bytes(path.read_bytes()[:100])


def foreign_manifest(work: Path) -> None:
    """A manifest sealed correctly by another CCR: every file "unchanged", a stale key."""
    body = json.loads((work / cache.MANIFEST).read_bytes().partition(b"\n")[2])
    body["ccr"] = "0.0.1+other"
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    (work / cache.MANIFEST).write_text(cache.seal(text.encode()) + "\n" + text)


def corrupt_cache(work: Path) -> None:
    """Every parse cache entry's data changed (names), checksums left as they were."""
    path = work / cache.PARSE_CACHE
    path.write_bytes(path.read_bytes().replace(b"Synthetic Company", b"Forged Company"))


def foreign_cache(work: Path) -> None:
    """A parse cache written by another CCR (its header), entries forged and re-sealed."""
    path = work / cache.PARSE_CACHE
    lines = path.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["ccr"] = "0.0.1+other"
    out = [json.dumps(header, sort_keys=True).encode()]
    for line in lines[1:]:
        if line:
            payload = line.partition(b" ")[2].replace(b"Synthetic Company", b"Forged Company")
            out.append(cache.seal(payload).encode() + b" " + payload)
    path.write_bytes(b"\n".join(out) + b"\n")


def garbage(work: Path) -> None:
    """Both files replaced by bytes that are not JSON."""
    (work / cache.MANIFEST).write_bytes(b"\x00\xff not json")
    (work / cache.PARSE_CACHE).write_bytes(b"\x00\xff not json\n")


def corrupt_both(work: Path) -> None:
    """Manifest and cache both changed under their checksums."""
    corrupt_manifest(work)
    corrupt_cache(work)


def truncated_and_foreign(work: Path) -> None:
    """The manifest cut short; the cache another CCR's."""
    truncate_manifest(work)
    foreign_cache(work)


def foreign_and_garbage(work: Path) -> None:
    """The cache garbage; a planted manifest whose checksum does not hold."""
    garbage(work)
    (work / cache.MANIFEST).write_bytes(b'{"checksum": "0", "body": "{}"}')


@pytest.mark.parametrize(
    "damage",
    [corrupt_both, truncated_and_foreign, foreign_manifest, foreign_and_garbage],
    ids=lambda d: d.__name__,
)
def test_damaged_state_is_never_trusted(
    pair: tuple[Path, Path], damage: Callable[[Path], None]
) -> None:
    """A corrupt, truncated or foreign manifest or cache: the build is still a clean one's."""
    inc, ref = pair
    for root in (inc, ref):
        rename(company(root, 4), f"Damaged {damage.__name__}")
    damage(inc / ".ccr-build")
    build(inc)
    build(ref, clean=True)
    same(inc, ref)
    assert b"Forged" not in (inc / ".ccr-build" / cache.PARSE_CACHE).read_bytes()
