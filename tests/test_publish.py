"""`ccr publish`: one site version per edition on gh-pages, with mike."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from benchmark.cli import cli
from tests.helpers import git, publish


def tree_of(root: Path, path: str) -> str:
    """The blob ids below ``path`` on gh-pages (equal ids: byte-identical files)."""
    return git(root, "ls-tree", "-r", "gh-pages", "--", path)


def test_two_versions_and_an_untouched_older_one(repo: Path) -> None:
    """Both editions land on gh-pages; latest is the newer; republishing it keeps the older."""
    out = publish(repo, "fixture-edition")
    assert out.splitlines()[-1] == "Published fixture-edition to gh-pages (not pushed)."
    publish(repo, "later-edition", "--alias", "latest")
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("later-edition", ["latest"]),
        ("fixture-edition", []),
    ]
    older = tree_of(repo, "fixture-edition")
    assert "fixture-edition/companies/valid/index.html" in older
    newer_page = git(repo, "show", "gh-pages:later-edition/companies/valid/index.html")
    older_page = git(repo, "show", "gh-pages:fixture-edition/companies/valid/index.html")
    assert "Later edition" in newer_page
    assert "Later edition" not in older_page  # the older version shows the data as it stood
    publish(repo, "later-edition", "--alias", "latest", "--corrected-on", "2026-11-23")
    assert tree_of(repo, "fixture-edition") == older
    republished = git(repo, "show", "gh-pages:later-edition/index.html")
    assert "Corrected on 2026-11-23." in republished
    assert git(repo, "status", "--porcelain") == ""


def test_unknown_version_is_a_usage_error(repo: Path) -> None:
    """Publishing a version that is not an edition id fails with a hint listing them."""
    result = CliRunner().invoke(cli, ["publish", "2099", "--root", str(repo)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no edition '2099' to publish — hint: a site version is an "
        "edition id: fixture-edition, later-edition\n"
    )
