"""scripts/same_site.py's verdict: every difference counts, unless --allow names it."""

from __future__ import annotations

from types import ModuleType

import pytest

from .helpers import script


def _script() -> ModuleType:
    return script("same_site")


BEFORE = {"site/a/index.html": "1", "site/sitemap.xml": "2", "export/x.csv": "3"}
AFTER = {"site/a/index.html": "1", "site/sitemap.xml": "9", "site/problems/index.html": "4"}


def test_identical_trees_pass(capsys: pytest.CaptureFixture[str]) -> None:
    """No difference: exit 0 and the byte-identical line."""
    assert _script().report(BEFORE, dict(BEFORE), "pre-19", []) == 0
    assert capsys.readouterr().out == "Byte-identical to pre-19: 3 files (site and exports).\n"


def test_every_difference_fails_without_allow(capsys: pytest.CaptureFixture[str]) -> None:
    """A changed, a missing and a new file are each listed, and the trees are not the same."""
    assert _script().report(BEFORE, AFTER, "pre-19", []) == 1
    assert capsys.readouterr().out.splitlines() == [
        "differs: site/sitemap.xml",
        "missing: export/x.csv",
        "new: site/problems/index.html",
        "NOT the same: 1 differ, 1 missing, 1 new; 3 not allowed.",
    ]


def test_allowed_differences_pass_and_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    """Differences the globs name are shown as allowed; one they do not name still fails."""
    script = _script()
    globs = ["site/problems/*", "site/sitemap.xml"]
    assert script.report(BEFORE, AFTER, "pre-19", globs) == 1
    assert "missing: export/x.csv" in capsys.readouterr().out
    assert script.report(BEFORE, AFTER, "pre-19", [*globs, "export/*"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "differs (allowed): site/sitemap.xml",
        "missing (allowed): export/x.csv",
        "new (allowed): site/problems/index.html",
        "Same as pre-19 but for the allowed differences (1 differ, 1 missing, 1 new): 3 files.",
    ]
