"""`ccr publish` publishes commits only: a clean tree, the commit named, canonical links own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from benchmark.cli import cli
from tests.helpers import git

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@ccr.example",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@ccr.example",
}


def publish(root: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `ccr publish`."""
    result = CliRunner(env=ENV).invoke(cli, ["publish", *args, "--root", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_dirty_tree_is_refused(repo: Path) -> None:
    """An uncommitted edit, or a data file not yet added: nothing is built or published."""
    company = repo / "data" / "companies" / "valid.yaml"
    company.write_text(company.read_text().replace("Valid Soft", "Valid Soft Ltd"))
    assert publish(repo, "fixture-edition") == (
        1,
        "",
        (
            "Error: the work tree has uncommitted changes (data/companies/valid.yaml), so nothing "
            "was published — hint: commit them (or stash them) first: a published version is "
            "built from one commit, which its footer and versions.json name\n"
        ),
    )
    git(repo, "checkout", "--", "data/companies/valid.yaml")
    (repo / "data" / "companies" / "extra.yaml").write_text("slug: extra\n")
    code, _, err = publish(repo, "fixture-edition")
    assert code == 1
    assert err.startswith(
        "Error: the work tree has uncommitted changes (data/companies/extra.yaml)"
    )
    assert git(repo, "branch", "--list", "gh-pages") == ""


def test_version_names_its_commit_and_is_its_own_canonical(repo: Path) -> None:
    """versions.json and the footer name the commit; canonical links stay in the version."""
    head = git(repo, "rev-parse", "HEAD").strip()
    code, _, err = publish(repo, "later-edition", "--alias", "latest")
    assert (code, err) == (0, "")
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert versions[0]["version"] == "later-edition"
    assert versions[0]["properties"] == {"source_commit": head}
    page = git(repo, "show", "gh-pages:later-edition/companies/valid/index.html")
    assert re.search(
        r'Published from commit\s*<a href="https://github.com/customer-care-review/'
        rf'ccr/commit/{head}"><code>{head[:12]}</code></a>',
        page,
    )
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)
    assert canonical
    assert canonical.group(1) == (
        "https://customer-care-review.example/later-edition/companies/valid/"
    )
    feed = git(repo, "show", "gh-pages:later-edition/feed.xml")
    assert 'href="https://customer-care-review.example/latest/feed.xml" rel="self"' in feed
    assert f"Publish later-edition from {head}" in git(repo, "log", "-2", "--format=%s", "gh-pages")
