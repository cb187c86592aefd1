"""No symbolic links and no dotfiles under data/, docs/ and overrides/.

A link in a pull request makes CCR read, publish or overwrite a file outside the
repository (``docs/x.md`` → ``.git/config`` is copied into the site; a company file →
``/proc/self/mem``); a dotfile is invisible to ``ls`` and skipped by the loaders, so nobody
reviews it (``data/companies/.x.yaml.ccr-tmp`` → ``.git/hooks/pre-commit``). Each one is a
validation problem. :func:`scan_tree` looks at a work tree, :func:`listing_problems` at a git
tree (``git ls-tree -r`` entries, where a link is a blob of mode 120000), so ``ccr validate``
and ``ccr diff`` report the same problems with the same words.

In a work tree, files git ignores and does not track are the maintainer's own (editor swap
files, CCR's interrupted temporary files) and are left out; a committed one is reported.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from . import problem_kinds
from .errors import DataError
from .problems import Problem

POLICED = ("data", "docs", "overrides")
LINK_MODE = "120000"
_WHERE = "none is allowed under data/, docs/ or overrides/"


def shown(name: str) -> str:
    """A file name as printable text: control characters and undecodable bytes escaped."""
    out = []
    for char in name:
        code = ord(char)
        if char.isprintable() and not 0xD800 <= code <= 0xDFFF and char != "\\":
            out.append(char)
        elif char == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


def symlink_problem(name: str) -> Problem:
    """The problem for a symbolic link at ``name`` (relative to the repository root)."""
    return problem_kinds.SYMLINK.problem(shown(name), 1, 1, "", where=_WHERE)


def dotfile_problem(name: str) -> Problem:
    """The problem for a hidden file or folder at ``name``."""
    return problem_kinds.DOTFILE.problem(shown(name), 1, 1, "", where=_WHERE)


def _problem(name: str, link: bool) -> Problem:
    return symlink_problem(name) if link else dotfile_problem(name)


def _found_in_tree(root: Path) -> list[tuple[str, bool]]:
    """Every link and topmost dotfile below the policed folders, as (name, is a link)."""
    found: list[tuple[str, bool]] = []
    for top in POLICED:
        if os.path.islink(root / top):
            found.append((top, True))
            continue
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:
                raise DataError(
                    f"{folder}: cannot be listed ({error.strerror})",
                    "check the folder's permissions",
                ) from None
            for entry in entries:
                name = f"{folder}/{entry.name}"
                link = entry.is_symlink()
                if link or entry.name.startswith("."):
                    found.append((name, link))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(name)
    return found


def _git_ignored(root: Path, names: list[str]) -> set[str]:
    """Which of ``names`` git ignores and does not track (none outside a git work tree)."""
    if not names:
        return set()
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            cwd=root,
            input=b"".join(os.fsencode(n) + b"\0" for n in names),
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if done.returncode not in (0, 1):  # 128: not a git repository
        return set()
    return {os.fsdecode(n) for n in done.stdout.split(b"\0") if n}


def scan_tree(root: Path) -> list[Problem]:
    """Edge: the link and dotfile problems of the work tree at ``root``, sorted by name."""
    found = _found_in_tree(root)
    ignored = _git_ignored(root, [name for name, _ in found])
    return [_problem(name, link) for name, link in sorted(found) if name not in ignored]


def listing_problems(entries: Iterable[tuple[str, str]]) -> list[Problem]:
    """Pure: the problems of a git tree given as (mode, path) pairs from ``git ls-tree -r``.

    A path below a hidden folder is reported once, as that folder, as :func:`scan_tree`
    does (it does not look inside).
    """
    found: dict[str, bool] = {}
    for mode, name in entries:
        parts = name.split("/")
        if parts[0] not in POLICED:
            continue
        dotted = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
        if dotted is not None:
            at = "/".join(parts[: dotted + 1])
            found.setdefault(at, dotted == len(parts) - 1 and mode == LINK_MODE)
        elif mode == LINK_MODE:
            found[name] = True
    return [_problem(name, link) for name, link in sorted(found.items())]


def git_tree_problems(root: Path, commit: str) -> list[Problem]:
    """Edge: the problems of ``commit``'s tree below ``root`` (read with ``git ls-tree``)."""
    try:
        done = subprocess.run(
            ["git", "ls-tree", "-r", "-z", commit, "--", *POLICED],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise DataError(f"cannot run git: {error.strerror}", "install git") from None
    if done.returncode:
        raise DataError(
            f"cannot list the files of {commit}: {done.stderr.decode(errors='replace').strip()}",
            "check the repository with `git fsck`",
        )
    entries = []
    for entry in filter(None, done.stdout.split(b"\0")):
        meta, _, name = entry.partition(b"\t")
        entries.append((meta.split(b" ", 1)[0].decode("ascii"), os.fsdecode(name)))
    return listing_problems(entries)
