#!/usr/bin/env python3
"""Show that a refactoring changed nothing a reader or a re-user gets: same site, same exports.

    .venv/bin/python scripts/same_site.py pre-19        # the working tree against tag pre-19
    .venv/bin/python scripts/same_site.py pre-19 --allow 'site/problems/*'   # a new page


Checks the revision out in a temporary git worktree and, for it and for the working tree,
builds the demo site from scratch (`ccr build --clean`) and writes the exports
(`ccr export`), each with the code of its own tree, the same build date
(SOURCE_DATE_EPOCH) and the Python of this virtualenv. Then compares both trees file by
file and prints every path that differs, is missing or is new. Exit status 0 when they are
byte-identical, 1 when not. ``--allow GLOB`` (repeatable; fnmatch on the path relative to the
output folder, e.g. ``site/problems/*``) names differences that are expected: they are still
printed, marked "allowed", and do not count. Golden files are compared by the test suite itself.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1764460800"  # 2025-11-30 00:00 UTC: both builds carry the same date
# Run `ccr` with the code of the tree given as the first argument, not the installed one.
RUNNER = "import sys; sys.path.insert(0, sys.argv.pop(1)); from benchmark.cli import main; main()"


def ccr(tree: Path, *args: str) -> None:
    """Run ``ccr ARGS`` with ``tree``'s own code, from ``tree``."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-c", RUNNER, str(tree), *args, "--root", str(tree)]
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"ccr {' '.join(args)} failed in {tree}:\n{done.stdout}{done.stderr}")


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs(tree: Path, out: Path) -> dict[str, str]:
    """Build the site and the exports of ``tree`` into ``out``; their digests."""
    ccr(tree, "build", "--clean", "--site", str(out / "site"))
    ccr(tree, "export", "--out", str(out / "export"))
    return digests(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base", help="a git revision (tag, branch or commit) to compare with")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="GLOB",
        help="a path (fnmatch pattern, relative, e.g. site/problems/*) expected to differ",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ccr-same-") as tmp:
        work = Path(tmp)
        base = work / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(base), args.base],
            cwd=ROOT,
            check=True,
        )
        try:
            before = outputs(base, work / "before")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False
            )
        after = outputs(ROOT, work / "after")
    return report(before, after, args.base, args.allow)


def allowed(path: str, globs: list[str]) -> bool:
    """Whether ``path`` matches one of the ``--allow`` patterns."""
    return any(fnmatch.fnmatchcase(path, glob) for glob in globs)


def report(before: dict[str, str], after: dict[str, str], base: str, globs: list[str]) -> int:
    """Print every difference (allowed ones marked); 0 when none is left, 1 otherwise."""
    differ = sorted(p for p in before.keys() & after.keys() if before[p] != after[p])
    gone, new = sorted(before.keys() - after.keys()), sorted(after.keys() - before.keys())
    left = 0
    for label, paths in (("differs", differ), ("missing", gone), ("new", new)):
        for path in paths:
            ok = allowed(path, globs)
            left += not ok
            print(f"{label}{' (allowed)' if ok else ''}: {path}")
    counts = f"{len(differ)} differ, {len(gone)} missing, {len(new)} new"
    if left:
        print(f"NOT the same: {counts}; {left} not allowed.")
        return 1
    if differ or gone or new:
        print(f"Same as {base} but for the allowed differences ({counts}): {len(after):,} files.")
        return 0
    print(f"Byte-identical to {base}: {len(after):,} files (site and exports).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
