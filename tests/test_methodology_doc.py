"""The methodology page does not drift from the methodology file."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from .helpers import REPO


def test_methodology_page_matches_the_file() -> None:
    """docs/methodology.md's generated block equals what scripts/sync_docs.py makes now."""
    result = subprocess.run(
        [sys.executable, "scripts/sync_docs.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == ""
    assert result.returncode == 0


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_weight_appears_on_the_page(version: str) -> None:
    """Each weight of each version is in its block as a table row (a second, independent look)."""
    data = yaml.safe_load((REPO / f"data/methodology/{version}.yaml").read_text())
    page = (REPO / "docs/methodology.md").read_text()
    start = page.index(f"<!-- generated:methodology:{version}:start -->")
    block = page[start : page.index(f"<!-- generated:methodology:{version}:end -->")]
    for sub, weight in data["weights"].items():
        assert f"| {sub} | {weight:.2f} | {100 * weight:g} |" in block
