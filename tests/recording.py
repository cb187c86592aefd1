"""Helpers of the recording tests: a small data tree and `ccr` run as users run it."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from click.testing import CliRunner

from benchmark.cli import cli

from .helpers import REPO

DEMO_COMPANIES = REPO / "data" / "companies"


def small_tree(root: Path, *slugs: str) -> Path:
    """The bundled editions and methodologies, and the named bundled company files."""
    for folder in ("editions", "methodology"):
        shutil.copytree(REPO / "data" / folder, root / "data" / folder)
    (root / "data" / "companies").mkdir(parents=True)
    for slug in slugs:
        shutil.copyfile(
            DEMO_COMPANIES / f"{slug}.yaml", root / "data" / "companies" / f"{slug}.yaml"
        )
    return root


def draft_edition(root: Path, edition: str, slug: str) -> Path:
    """A small tree with a new draft software-house edition and ``slug`` audited in it."""
    small_tree(root, slug)
    assert (
        ccr(
            root,
            "edition",
            "new",
            edition,
            "--title",
            "Software houses",
            "--sector",
            "software-house",
            "--market",
            "PL",
            "--period",
            "2026-09-01..2026-10-30",
            "--copy-scripts",
            "2019-q1-software-houses",
        )[0]
        == 0
    )
    assert ccr(root, "audit", "add", slug, "--edition", edition)[0] == 0
    return root


def ccr(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a `ccr` command in ``root``."""
    result = CliRunner().invoke(cli, [*args, "--root", str(root)], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def only_added(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with lines inserted and nothing else changed."""
    matcher = difflib.SequenceMatcher(
        None, old.splitlines(keepends=True), new.splitlines(keepends=True), autojunk=False
    )
    return {op for op, *_ in matcher.get_opcodes()} == {"equal", "insert"}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root/data and its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }
