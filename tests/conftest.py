"""Shared fixtures, the test lanes' markers and the Hypothesis profiles.

Fixtures: a small data tree, that tree ready for a site build, the demo repository (a clean
copy of the tracked files, built once per session — once per xdist worker that needs it; the
tests that use it are grouped onto one worker). Helpers live in tests/helpers.py.

Markers, applied here so no test can forget them:

* ``browser``: every test below tests/browser/.
* ``slow``: every test that builds a site, runs git, mike or MkDocs, or takes more than about
  two seconds: those using a fixture in :data:`SLOW_FIXTURES`, and those marked in their module.

The fast lane (``python3 scripts/dev.py test --fast``) runs ``-m "not slow and not browser"``.

Hypothesis profiles, chosen by ``CCR_HYPOTHESIS``: ``ci`` (the default: every test's own example
count) and ``dev`` (at most :data:`DEV_EXAMPLES` examples a test, for the fast lane).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

from benchmark.cli import cli
from tests.helpers import (
    FIXTURES,
    REPO,
    DemoRepo,
    DrawnCharts,
    add_later_edition,
    add_site_files,
    fill_site_tree,
    fill_tree,
    git,
)

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
# Fixtures that build a site or run git: a test that asks for one is slow.
SLOW_FIXTURES = frozenset({"demo_repo", "repo", "built_site"})
DEMO_GROUP = "demo-repo"  # xdist --dist loadgroup: the demo repository is built on one worker

DEV_EXAMPLES = 10
settings.register_profile("ci")  # the defaults, and each test's own max_examples as written
settings.register_profile("dev", max_examples=DEV_EXAMPLES)
PROFILE = os.environ.get("CCR_HYPOTHESIS", "ci")
if PROFILE not in ("ci", "dev"):
    raise pytest.UsageError(f"CCR_HYPOTHESIS={PROFILE!r}: use ci (all examples) or dev (fewer)")
settings.load_profile(PROFILE)


def _cap_examples(test: object) -> None:
    """In the dev profile, lower a Hypothesis test's own max_examples to the profile's."""
    # A test's @settings(max_examples=…) overrides any profile; Hypothesis keeps those settings
    # on the wrapped test, where they are replaced (with the rest unchanged) for the dev lane.
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if isinstance(own, settings) and own.max_examples > DEV_EXAMPLES:
        test._hypothesis_internal_use_settings = settings(  # type: ignore[attr-defined]
            own, max_examples=DEV_EXAMPLES
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser and slow tests, group the demo repository's users, cap dev examples."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        if "demo_repo" in fixtures:
            item.add_marker(pytest.mark.xdist_group(DEMO_GROUP))
        if PROFILE == "dev" and isinstance(item, pytest.Function):
            _cap_examples(item.obj)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A repository root with the fixture edition, methodology v1 and one neighbour company."""
    return fill_tree(tmp_path)


@pytest.fixture
def site_tree(tree: Path) -> Path:
    """The fixture tree with a second company (valid.yaml) and the site configuration."""
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    return add_site_files(tree)


@pytest.fixture(scope="session")
def chart_store() -> DrawnCharts:
    """Chart drawings shared by the session's page tests: each distinct chart is drawn once."""
    return DrawnCharts()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``site_tree`` fixture with its site built, once per session: copy it, never change it."""
    root = fill_site_tree(tmp_path_factory.mktemp("built-site"))
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> DemoRepo:
    """The tracked files in a fresh git repository, with the demo site built by `ccr build`."""
    root = tmp_path_factory.mktemp("demo-repo")
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "demo")
    done = subprocess.run(
        [sys.executable, "-m", "benchmark", "build", "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return DemoRepo(root, done.stdout, done.stderr)


@pytest.fixture
def repo(site_tree: Path) -> Path:
    """The fixture tree with two editions, committed to a fresh git repository."""
    add_later_edition(site_tree)
    shutil.copyfile(REPO / ".gitignore", site_tree / ".gitignore")
    git(site_tree, "init", "-q", "-b", "main")
    git(site_tree, "add", "-A")
    git(site_tree, "commit", "-q", "-m", "data")
    return site_tree


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Company pages rendered while the fixture is active, by slug."""
    from benchmark.render import company

    made: list[str] = []
    real = company.company_page

    def counted(ctx: Any, slug: str, *args: Any) -> Any:
        made.append(slug)
        return real(ctx, slug, *args)

    monkeypatch.setattr(company, "company_page", counted)
    return made
