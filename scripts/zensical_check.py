#!/usr/bin/env python3
"""Non-blocking check of whether Zensical builds CCR's shell pages as MkDocs does.

Run after `ccr build` (it reads the generated tree in .ccr-build/docs and the shells MkDocs
built, kept in .ccr-build/engine/shells/):

    .venv/bin/python scripts/zensical_check.py [--root .]

If Zensical is not installed it says so and exits 0. Otherwise it builds the same docs tree
with `zensical build -f <a copy of mkdocs.yml pointing at a temporary site_dir>` and, for each
shell page, reports whether the stamping can fill it (the body placeholder exactly once,
the title placeholder present, a heading before the body) and how many lines differ from
MkDocs' shell. It always exits 0: switching engine is a decision, not a build failure.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import stamp  # noqa: E402 - after the path is set


def zensical() -> list[str] | None:
    """The command that runs Zensical, or None when it is not installed."""
    found = shutil.which("zensical")
    if found:
        return [found]
    if importlib.util.find_spec("zensical") is not None:
        return [sys.executable, "-m", "zensical"]
    return None


def fillable(directory: str, html: str) -> list[str]:
    """What keeps the stamping from filling this shell (empty: it can)."""
    try:
        stamp.Shell.parse(directory, html)
    except stamp.StampError as error:
        return [error.message]
    return []


def main() -> int:
    """Build the shells with Zensical when it is installed; report; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args()
    command = zensical()
    if command is None:
        print("zensical is not installed: nothing to compare (pip install zensical to try)")
        return 0
    root = args.root.resolve()
    docs = root / ".ccr-build" / "docs"
    shells = sorted((root / ".ccr-build" / "engine" / "shells").glob("*.html"))
    if not docs.is_dir() or not shells:
        print("no generated tree or shell: run `ccr build` first")
        return 0
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ccr-zensical-") as tmp:
        site = Path(tmp) / "site"
        config.update(docs_dir=str(docs), site_dir=str(site))
        config.setdefault("theme", {})["custom_dir"] = str(root / "overrides")
        (Path(tmp) / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        done = subprocess.run(
            [*command, "build", "-f", str(Path(tmp) / "mkdocs.yml")],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"zensical build failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
            return 0
        for saved in shells:
            directory = saved.stem.replace("__", "/")
            built = site / stamp.page_url(stamp.shell_path(directory)) / "index.html"
            if not built.is_file():
                print(f"{directory}: zensical built no shell page")
                continue
            theirs = built.read_text(encoding="utf-8")
            ours = saved.read_text(encoding="utf-8")
            problems = fillable(directory, theirs)
            changed = sum(
                1
                for line in difflib.unified_diff(ours.splitlines(), theirs.splitlines(), n=0)
                if line[:1] in "+-" and line[:3] not in ("+++", "---")
            )
            verdict = "fillable" if not problems else "NOT fillable: " + "; ".join(problems)
            print(f"{directory}: {verdict}; {changed} lines differ from MkDocs' shell")
    return 0


if __name__ == "__main__":
    sys.exit(main())
