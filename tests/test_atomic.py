"""Atomic output: a build killed at any stage leaves the previous site/ exactly as it was.

`ccr build` runs as a real child process on 120 synthetic companies and gets SIGKILL (no
clean-up can run) while it writes the Markdown, and again while MkDocs writes the new site.
The previous site must be byte for byte what it was; the next build must succeed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import REPO, add_site_files, tree_digest

pytestmark = pytest.mark.slow

COMPANIES = 120


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of synthetic companies with its site built once."""
    root = tmp_path_factory.mktemp("atomic")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts/generate_demo.py"),
            "--count",
            str(COMPANIES),
            "--out",
            str(root / "data"),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copytree(REPO / "data/methodology", root / "data/methodology")
    add_site_files(root)
    build(root).check_returncode()
    return root


def build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`ccr build` as a child process."""
    return subprocess.run(
        [sys.executable, "-m", "benchmark", "build", *options, "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def kill_when(root: Path, ready: Callable[[], bool]) -> None:
    """Start `ccr build`, SIGKILL it as soon as ``ready()`` holds; fail if it never does."""
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmark", "build", "--root", str(root)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not ready():
            assert child.poll() is None, "the build ended before the moment to kill it"
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


def writing_markdown(root: Path) -> Callable[[], bool]:
    """While the generated pages are being written (before MkDocs starts)."""
    pages = root / ".ccr-build" / "docs" / "companies"
    return lambda: pages.is_dir() and not (root / "site.new").exists()


def writing_site(root: Path) -> Callable[[], bool]:
    """While MkDocs writes the new site beside the old one."""
    companies = root / "site.new" / "companies"
    return lambda: companies.is_dir() and any(companies.iterdir())


def finishing_site(root: Path) -> Callable[[], bool]:
    """After MkDocs, while the post-build pass and the stamping finish the new site."""
    index = root / "site.new" / "search" / "search_index.json"  # the search plugin's last act
    return index.is_file


def manifest_gone(root: Path) -> Callable[[], bool]:
    """As soon as the build has set the last build's manifest aside (the cache read)."""
    return lambda: not (root / ".ccr-build" / "manifest.json").exists()


@pytest.mark.parametrize(
    "moment",
    [writing_markdown, writing_site, finishing_site, manifest_gone],
    ids=lambda m: m.__name__,
)
def test_killed_build_leaves_the_previous_site(
    project: Path, moment: Callable[[Path], Callable[[], bool]]
) -> None:
    """SIGKILL mid-build: site/ unchanged; the next build succeeds and shows the new data."""
    site = project / "site"
    before = tree_digest(site)
    company = sorted((project / "data" / "companies").glob("*.yaml"))[0]
    text = company.read_text(encoding="utf-8")
    renamed = f"Renamed {moment.__name__}"
    company.write_text(text.replace("\nname: ", f"\nname: {renamed} ", 1), encoding="utf-8")

    kill_when(project, moment(project))
    assert tree_digest(site) == before

    done = build(project)
    assert done.returncode == 0, done.stderr
    assert tree_digest(site) != before
    assert renamed in (site / "companies" / company.stem / "index.html").read_text()
    assert not (project / "site.new").exists()
    assert not (project / "site.old").exists()
    # the build after the kill is the clean build's, byte for byte
    clean = project.parent / f"clean-{moment.__name__}"
    done = build(project, "--clean", "--site", str(clean))
    assert done.returncode == 0, done.stderr
    assert tree_digest(clean) == tree_digest(site)
