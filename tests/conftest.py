"""Shared fixtures: a small data tree, that tree ready for a site build, the demo repository.

The demo repository is a clean copy of the tracked files, built once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A repository root with the fixture edition, methodology v1 and one neighbour company."""
    shutil.copytree(FIXTURES / "tree", tmp_path, dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "methodology", tmp_path / "data" / "methodology")
    return tmp_path


SITE_FILES = ("mkdocs.yml", "docs", "overrides")


def add_site_files(root: Path) -> Path:
    """Copy what a site build needs beside the data (mkdocs.yml, docs/, overrides/)."""
    for name in SITE_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, root / name)
    return root


@pytest.fixture
def site_tree(tree: Path) -> Path:
    """The fixture tree with a second company (valid.yaml) and the site configuration."""
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    return add_site_files(tree)


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; its stdout."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "CCR test", "GIT_AUTHOR_EMAIL": "test@ccr.example",
           "GIT_COMMITTER_NAME": "CCR test", "GIT_COMMITTER_EMAIL": "test@ccr.example"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout


@dataclass(frozen=True)
class DemoRepo:
    """A clean clone of the repository's tracked files, built once with `ccr build`."""

    root: Path
    stdout: str
    stderr: str

    @property
    def site(self) -> Path:
        """The built site."""
        return self.root / "site"


@pytest.fixture(scope="session")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> DemoRepo:
    """The tracked files in a fresh git repository, with the demo site built by `ccr build`."""
    root = tmp_path_factory.mktemp("demo-repo")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True,
                             capture_output=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "demo")
    done = subprocess.run([sys.executable, "-m", "benchmark", "build", "--root", str(root)],
                          cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return DemoRepo(root, done.stdout, done.stderr)


def add_later_edition(root: Path) -> None:
    """A second edition (2020) in which the fixture company is audited again."""
    editions = root / "data" / "editions"
    first = (editions / "fixture-edition.yaml").read_text()
    (editions / "later-edition.yaml").write_text(
        first.replace("id: fixture-edition", "id: later-edition")
        .replace("title: Fixture edition", "title: Later edition")
        .replace("'2019-01-01'", "'2020-01-01'").replace("'2019-03-31'", "'2020-03-31'"))
    company = root / "data" / "companies" / "valid.yaml"
    raw = company.read_text()
    audit = raw[raw.index("  - edition: fixture-edition"):raw.index("corrections:")]
    company.write_text(raw.replace("corrections:", audit.replace("fixture-edition",
                                                                 "later-edition")
                                   .replace("2019-02", "2020-02") + "corrections:"))


@pytest.fixture
def repo(site_tree: Path) -> Path:
    """The fixture tree with two editions, committed to a fresh git repository."""
    add_later_edition(site_tree)
    shutil.copyfile(REPO / ".gitignore", site_tree / ".gitignore")
    git(site_tree, "init", "-q", "-b", "main")
    git(site_tree, "add", "-A")
    git(site_tree, "commit", "-q", "-m", "data")
    return site_tree
