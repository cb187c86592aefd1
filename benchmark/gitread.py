"""Reading a git revision's data files: the edge of `ccr diff` and of correction effects.

A revision is read without checking anything out: one ``git ls-tree`` lists its data
files and one ``git cat-file --batch`` reads them all. Files keep their display names
(``data/companies/x.yaml``), so problems carry ``file:line:col`` as ``ccr validate``
prints them. Only this module runs git; what it returns is an ordinary
:class:`benchmark.load.Dataset`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from . import load, tree_policy
from .errors import DataError, UsageError

DATA_DIRS = (load.COMPANIES_DIR, load.EDITIONS_DIR, load.METHODOLOGY_DIR)
_REGULAR_FILE = frozenset({b"100644", b"100755"})
_REVISION_HINT = (
    "give a commit, branch or tag of the repository, e.g. main or HEAD~1 "
    "(`git log --oneline` lists them)"
)


def _git(
    root: Path, args: Sequence[str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Edge: run git in ``root``; a missing git or folder is a UsageError."""
    if not root.is_dir():
        raise UsageError(
            f"{root}: no such directory", "give --root the repository root that holds data/"
        )
    try:
        return subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed", "ccr diff reads revisions with git; install it and try again"
        ) from None


def _prefix(root: Path) -> str:
    """Where ``root`` lies inside its git repository (``""`` at the top, else ``sub/``)."""
    done = _git(root, ["rev-parse", "--show-prefix"])
    if done.returncode:
        raise UsageError(
            f"{root}: not a git repository",
            "ccr diff compares git revisions; run it in a clone of the repository or give --root",
        )
    return os.fsdecode(done.stdout.strip())


def resolve(root: Path, revision: str) -> str:
    """Edge: the commit id a revision names; UsageError when there is none."""
    _prefix(root)
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n"):
        raise UsageError(f"'{revision}' is not a revision", _REVISION_HINT)
    done = _git(root, ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"])
    if done.returncode:
        raise UsageError(f"unknown revision '{revision}'", _REVISION_HINT)
    return done.stdout.decode("ascii").strip()


def _listing(root: Path, commit: str) -> list[tuple[str, bytes, int]]:
    """The data files of a commit, as (display name, blob id, size), sorted like on disk."""
    prefix = _prefix(root)
    done = _git(
        root,
        ["ls-tree", "-r", "-l", "-z", "--full-name", commit, "--", *(f"{d}/" for d in DATA_DIRS)],
    )
    if done.returncode:
        raise UsageError(
            f"cannot list the files of {commit}: {done.stderr.decode(errors='replace').strip()}",
            _REVISION_HINT,
        )
    files = []
    for entry in filter(None, done.stdout.split(b"\0")):
        meta, _, raw_name = entry.partition(b"\t")
        mode, kind, oid, size = meta.split()
        name = os.fsdecode(raw_name)
        if kind != b"blob" or mode not in _REGULAR_FILE or not name.startswith(prefix):
            continue  # sub-modules and symbolic links are not data files
        name = name[len(prefix) :]
        folder, _, base = name.rpartition("/")
        if folder in DATA_DIRS and base.endswith(".yaml") and not base.startswith("."):
            files.append((name, oid, int(size)))
    return sorted(files)


def _blobs(root: Path, oids: Sequence[bytes]) -> list[bytes]:
    """Edge: the contents of many blobs from one ``git cat-file --batch``."""
    if not oids:
        return []
    done = _git(root, ["cat-file", "--batch"], stdin=b"".join(o + b"\n" for o in oids))
    if done.returncode:
        raise DataError(
            "git cat-file failed: " + done.stderr.decode(errors="replace").strip(),
            "check the repository with `git fsck`",
        )
    out, at = done.stdout, 0
    blobs = []
    for oid in oids:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:
            raise DataError(
                f"git cannot read blob {oid.decode()}", "check the repository with `git fsck`"
            )
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def read_revision(root: Path, commit: str) -> load.Dataset:
    """Edge: the dataset of a commit, read from git objects (the work tree is untouched)."""
    files = _listing(root, commit)
    wanted = [oid for _, oid, size in files if size <= load.MAX_BYTES]
    contents = dict(zip(wanted, _blobs(root, wanted), strict=True))
    found: dict[str, list[load.Source]] = {d: [] for d in DATA_DIRS}
    for name, oid, size in files:
        # A file over the limit is not read: an empty body with its real size reports it.
        found[name.rpartition("/")[0]].append(load.Source(name, contents.get(oid, b""), size))
    return load.Dataset(
        companies=load.parse_all(found[load.COMPANIES_DIR]),
        editions=load.parse_all(found[load.EDITIONS_DIR]),
        methodologies=load.parse_all(found[load.METHODOLOGY_DIR]),
        problems=tree_policy.git_tree_problems(root, commit),
    )
