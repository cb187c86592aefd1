#!/usr/bin/env python3
"""The README's two commands: `python3 scripts/dev.py build` and `python3 scripts/dev.py test`.

Standard library only, so it runs on a fresh machine with nothing but Python 3.11 and git.
It creates .venv, installs the project from the lock (constraints.txt) when the lock or
pyproject.toml changed, and then runs the pipeline or the test suite inside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".ccr-installed"
CHROMIUM = Path("/usr/bin/chromium")  # browser tests drive Debian's Chromium, never Playwright's


def run(*cmd: str | Path, check: bool = True) -> int:
    """Run a command from the repository root, echoing it."""
    print("$", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def lock_digest() -> str:
    """Digest of what the environment is installed from."""
    h = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the project from the lock when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain, not crash, on 3.10
        sys.exit("Python 3.11 or newer is needed (found {}.{}).".format(*sys.version_info[:2]))
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    digest = lock_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        "constraints.txt",
        "-e",
        ".[dev]",
    )
    STAMP.write_text(digest)


def ensure_chromium() -> bool:
    """Install Debian's Chromium if missing and we can (root, apt-get); say so if still absent."""
    if not CHROMIUM.exists() and os.geteuid() == 0 and shutil.which("apt-get"):
        os.environ.setdefault("DEBIAN_FRONTEND", "noninteractive")
        if run("apt-get", "update", check=False) == 0:
            run("apt-get", "install", "-y", "chromium", check=False)
    if CHROMIUM.exists():
        return True
    print(
        f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing.\n"
        "Install it with: sudo apt-get install -y chromium   (never `playwright install`)",
        file=sys.stderr,
    )
    return False


def ensure_node() -> bool:
    """Install Debian's Node.js if missing and we can (root, apt-get); say so if still absent.

    tests/test_pr_comment.py runs the comment workflow's github-script with it.
    """
    if not shutil.which("node") and os.geteuid() == 0 and shutil.which("apt-get"):
        os.environ.setdefault("DEBIAN_FRONTEND", "noninteractive")
        if run("apt-get", "update", check=False) == 0:
            run("apt-get", "install", "-y", "nodejs", check=False)
    if shutil.which("node"):
        return True
    print(
        "The workflow script tests need Node.js (`node`), which is missing.\n"
        "Install it with: sudo apt-get install -y nodejs",
        file=sys.stderr,
    )
    return False


def cmd_build() -> int:
    """Build the site from the bundled data into site/ and say how to view it."""
    ensure_venv()
    code = run(BIN / "ccr", "build", check=False)
    if code == 0:
        print(
            "\nView it: .venv/bin/ccr serve  (then open http://127.0.0.1:8000/), or open "
            "site/index.html through any static file server."
        )
    return code


# The full suite: Hypothesis' full example counts, both cores (the tests that share the demo
# build run on one worker: --dist loadgroup), and coverage of benchmark/ with its total.
FULL = ["-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup", "--cov", "--cov-report="]
# The fast lane: no site build, git, MkDocs or browser, and fewer Hypothesis examples.
FAST = ["-p", "no:cacheprovider", "-q", "-n", "2", "-m", "not slow and not browser"]


# Code written twice in benchmark/ or scripts/ (pylint's duplicate-code check, R0801, alone).
# Every option is given here, none from a configuration file (/dev/null stands in for one):
# 4 or more similar lines, imports, docstrings, comments and signatures not counted. Its exit
# status is non-zero when a duplicate is found.
DUPLICATES = [
    "--rcfile=/dev/null",
    "--disable=all",
    "--enable=R0801",
    "--score=n",
    "benchmark",
    "scripts",
]


def cmd_test(*args: str) -> int:
    """Lint, type-check, look for duplicated code and run every test (`--fast`: the fast lane).

    The fast lane leaves out the duplicate-code check (11 s of pylint; the full suite runs it).
    """
    fast = "--fast" in args
    ensure_venv()
    steps: list[list[str | Path]] = [
        [BIN / "ruff", "check", "."],
        [BIN / "ruff", "format", "--check", "."],
        [BIN / "mypy"],
    ]
    if not fast:
        steps.append([BIN / "pylint", *DUPLICATES])
    for step in steps:
        code = run(*step, check=False)
        if code:
            return code
    if fast:
        os.environ["CCR_HYPOTHESIS"] = "dev"
        return run(BIN / "pytest", *FAST, check=False)
    os.environ["CCR_HYPOTHESIS"] = "ci"
    if not ensure_chromium() or not ensure_node():
        return 1
    code = run(BIN / "pytest", *FULL, check=False)
    total = subprocess.run(
        [str(BIN / "coverage"), "report", "--format=total"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if total:
        print(f"Coverage of benchmark/ (lines and branches, subprocesses included): {total}%")
    return code


def cmd_install() -> int:
    """Only create .venv and install from the lock (CI does this before validating)."""
    ensure_venv()
    return 0


def cmd_golden() -> int:
    """Rewrite the golden files (tests/golden/) from the current page writers; review the diff."""
    ensure_venv()
    os.environ["CCR_UPDATE_GOLDEN"] = "1"
    code = run(
        BIN / "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "tests/test_render.py",
        "-k",
        "golden",
        check=False,
    )
    run("git", "--no-pager", "diff", "--stat", "--", "tests/golden", check=False)
    return code


def cmd_lock() -> int:
    """Rewrite constraints.txt from a fresh resolution of pyproject.toml."""
    tmp = ROOT / ".venv-lock"
    shutil.rmtree(tmp, ignore_errors=True)
    run(sys.executable, "-m", "venv", tmp)
    run(tmp / "bin" / "python", "-m", "pip", "install", "--quiet", ".[dev]")
    frozen = subprocess.run(
        [str(tmp / "bin" / "python"), "-m", "pip", "freeze", "--exclude", "customer-care-review"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (ROOT / "constraints.txt").write_text(
        "# The lock: every build installs exactly these. Regenerate: python3 scripts/dev.py lock\n"
        + frozen
    )
    shutil.rmtree(tmp)
    return 0


COMMANDS: dict[str, Callable[..., int]] = {
    "build": cmd_build,
    "test": cmd_test,
    "install": cmd_install,
    "golden": cmd_golden,
    "lock": cmd_lock,
}

if __name__ == "__main__":
    argv = sys.argv[1:]
    if (
        not argv
        or argv[0] not in COMMANDS
        or argv[1:] not in ([], ["--fast"])
        or (argv[1:] and argv[0] != "test")
    ):
        sys.exit("usage: python3 scripts/dev.py {build|test [--fast]|golden|lock}")
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(COMMANDS[argv[0]](*argv[1:]))
