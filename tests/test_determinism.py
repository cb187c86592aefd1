"""Deterministic output: the same revision builds the same bytes, dated by its last commit."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmark.cli import cli
from tests.helpers import git

COMMITTED = "2020-01-01T12:00:00+00:00"


def digests(site: Path) -> dict[str, str]:
    """Every file of a built site and the SHA-256 of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical_and_dated_by_the_commit(site_tree: Path) -> None:
    """Two builds of one commit give identical files; the sitemap carries the commit's date."""
    git(site_tree, "init", "-q", "-b", "main")
    git(site_tree, "add", "-A")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t.example",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t.example",
        "GIT_AUTHOR_DATE": COMMITTED,
        "GIT_COMMITTER_DATE": COMMITTED,
    }
    subprocess.run(["git", "commit", "-q", "-m", "data"], cwd=site_tree, env=env, check=True)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    sites = []
    for name in ("first", "second"):
        result = CliRunner().invoke(
            cli, ["build", "--root", str(site_tree), "--site", str(site_tree / name)]
        )
        assert result.exit_code == 0, result.output
        sites.append(digests(site_tree / name))
    assert sites[0] == sites[1]
    assert len(sites[0]) > 50
    sitemap = (site_tree / "first" / "sitemap.xml").read_text()
    assert "<lastmod>2020-01-01</lastmod>" in sitemap
    assert "SOURCE_DATE_EPOCH" not in os.environ
