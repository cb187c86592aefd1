"""The data's change history from git, read at the load edge and handed to render as data.

One ``git log`` over ``data/`` gives every commit that landed on the current branch (merges
counted as one change, against their first parent) with the files it touched. A pull request
number is taken from a squash-merge subject ending in ``(#123)`` or from ``Merge pull request
#123``. Outside a git repository, or without git, the history is empty and says why; in a
shallow clone it says that older changes may be missing.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

State = Literal["full", "shallow", "none"]

_SQUASHED = re.compile(r"\s*\(#(\d+)\)\s*$")
_MERGED = re.compile(r"^Merge pull request #(\d+)\b")
_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


@dataclass(frozen=True, slots=True)
class Commit:
    """One change to the data: when, what, which pull request, which files."""

    sha: str
    date: str  # committer date, ISO 8601 with offset
    summary: str
    pr: int | None
    files: tuple[str, ...]  # relative to the project root, POSIX separators


@dataclass(frozen=True, slots=True)
class History:
    """The commits that changed ``data/``, newest first, and how complete they are."""

    state: State = "none"
    commits: tuple[Commit, ...] = ()
    epoch: int | None = None  # committer time of HEAD (SOURCE_DATE_EPOCH for the build)
    by_file: dict[str, tuple[Commit, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, state: State, commits: list[Commit], epoch: int | None = None) -> History:
        """A history with its per-file index."""
        by_file: dict[str, list[Commit]] = {}
        for commit in commits:
            for path in commit.files:
                by_file.setdefault(path, []).append(commit)
        return cls(state, tuple(commits), epoch, {k: tuple(v) for k, v in by_file.items()})

    def for_file(self, path: str) -> tuple[Commit, ...]:
        """The commits that touched one file, newest first."""
        return self.by_file.get(path, ())


LOG_FORMAT = "%H%x00%cI%x00%s%x00%b"
LOG_ARGS = (
    "log",
    "--first-parent",
    "--diff-merges=first-parent",
    "--name-only",
    "--relative",
    "-z",
    f"--format={LOG_FORMAT}",
    "--",
    "data/",
)


def _summary(subject: str, body: str) -> tuple[str, int | None]:
    merged = _MERGED.match(subject)
    if merged:
        title = next((line.strip() for line in body.splitlines() if line.strip()), subject)
        return title, int(merged.group(1))
    squashed = _SQUASHED.search(subject)
    if squashed:
        return subject[: squashed.start()], int(squashed.group(1))
    return subject, None


def parse_log(output: str) -> list[Commit]:
    """Commits from the output of ``git <LOG_ARGS>``.

    Each commit is four NUL-separated fields (hash, date, subject, body), then its paths, each
    ended by NUL, the first after a newline. Paths all start with ``data/``; hashes never do.
    """
    tokens = output.split("\0")
    commits: list[Commit] = []
    i = 0
    while i + 3 < len(tokens):
        sha, date, subject, body = tokens[i : i + 4]
        if not _HASH.fullmatch(sha):
            raise ValueError(f"unexpected git log output near {sha[:40]!r}")
        i += 4
        files: list[str] = []
        while i < len(tokens):
            path = tokens[i].removeprefix("\n")
            if not path.startswith("data/"):
                break
            files.append(path)
            i += 1
        summary, pr = _summary(subject, body)
        commits.append(Commit(sha, date, summary.strip(), pr, tuple(files)))
    return commits


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            check=False,
            encoding="utf-8",
            errors="replace",
        )
    except OSError:  # git is not installed
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(root: Path) -> History:
    """The change history of ``root/data`` (an edge: runs git)."""
    shallow = _git(root, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        return History()
    output = _git(root, *LOG_ARGS)
    if output is None:  # a repository without a commit yet
        return History.of("full", [])
    state: State = "shallow" if shallow.strip() == "true" else "full"
    head = (_git(root, "log", "-1", "--format=%ct") or "").strip()
    return History.of(state, parse_log(output), int(head) if head.isdigit() else None)
