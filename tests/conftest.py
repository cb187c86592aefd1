"""Shared fixtures: a small data tree with one edition, the methodology and a neighbour."""

from __future__ import annotations

import shutil
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
