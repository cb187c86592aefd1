"""Switching an edition from methodology v1 to v2: `ccr diff` labels every change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmark.diff import diff_report

from .helpers import NOW, REPO, git


@pytest.mark.slow  # runs git, and scores the demo data twice
def test_every_change_across_the_switch_is_a_methodology_change(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The demo data at v1, then the same data at v2: 546 changes, each a methodology change."""
    root = tmp_path_factory.mktemp("switch-repo")
    shutil.copytree(REPO / "data", root / "data")
    editions = sorted((root / "data/editions").glob("*.yaml"))
    for path in editions:
        text = path.read_text(encoding="utf-8")
        assert text.count("methodology: v2\n") == 1
        path.write_text(text.replace("methodology: v2\n", "methodology: v1\n"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "editions at v1")
    base = git(root, "rev-parse", "HEAD").strip()
    for path in editions:
        shutil.copyfile(REPO / "data/editions" / path.name, path)
    git(root, "commit", "-q", "-am", "editions move to v2")
    result = diff_report(Path(root), base, "HEAD", NOW)
    assert result.ok
    assert len(result.changes) == 546
    assert set(result.changes["reason"]) == {"methodology change"}
    assert result.markdown.count("| methodology change |") == 546
