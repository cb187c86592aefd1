"""The methodology page does not drift from the methodology file."""

from __future__ import annotations

import subprocess
import sys

import yaml

from .conftest import REPO


def test_methodology_page_matches_the_file() -> None:
    """docs/methodology.md's generated block equals what scripts/sync_docs.py makes now."""
    result = subprocess.run([sys.executable, "scripts/sync_docs.py", "--check"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.stdout == ""
    assert result.returncode == 0


def test_every_weight_appears_on_the_page() -> None:
    """Each weight of v1 is on the page as a table row (a second, independent look)."""
    data = yaml.safe_load((REPO / "data/methodology/v1.yaml").read_text())
    page = (REPO / "docs/methodology.md").read_text()
    for sub, weight in data["weights"].items():
        assert f"| {sub} | {weight:.2f} | {100 * weight:g} |" in page
