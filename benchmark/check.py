"""`ccr validate`: which files to check, their problems, and the report.

``check`` reads the data tree (all of it, so that cross-file checks see the whole set) and
validates it, reporting on the files named; ``report`` turns what it found into the lines
of one output format: text for people, GitHub workflow annotations, or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import load
from .errors import UsageError
from .problems import (
    Problem,
    cap_per_file,
    capped_lines,
    count_errors,
    more_problems,
    sort_problems,
)
from .validate import validate
from .values import counted

FORMATS = ("text", "github", "json")


def github_escape(text: str, prop: bool = False) -> str:
    """Escape text for a GitHub workflow command (its data, or a property with ``prop``)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problem: Problem) -> str:
    """One problem as a GitHub annotation: ``::error file=…,line=…,col=…,title=…::…``."""
    level = "error" if problem.severity == "error" else "warning"
    props = ",".join(
        [
            f"file={github_escape(problem.file, True)}",
            f"line={problem.line}",
            f"col={problem.column}",
            f"title={github_escape(problem.kind, True)}",
        ]
    )
    what = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"::{level} {props}::{github_escape(what + ' — hint: ' + problem.hint)}"


def github_more(file: str, n: int) -> str:
    """The annotation that stands for the problems of a file that are not listed."""
    props = f"file={github_escape(file, True)},title=more problems"
    return f"::notice {props}::{github_escape(more_problems(file, n))}"


@dataclass(frozen=True, slots=True)
class Checked:
    """What ``ccr validate`` found: the files checked and their problems, sorted."""

    companies: int
    editions: int
    problems: list[Problem]

    @property
    def errors(self) -> int:
        """How many of the problems are errors."""
        return count_errors(self.problems)

    def summary(self) -> str:
        """The last line of the text report: what was checked, how many problems."""
        checked = (
            f"Checked {counted(self.companies, 'company file')} and "
            f"{counted(self.editions, 'edition')}"
        )
        warnings = len(self.problems) - self.errors
        if not self.problems:
            return f"{checked}: no problems."
        parts = [counted(self.errors, "error")] + (
            [counted(warnings, "warning")] if warnings else []
        )
        return f"{checked}: {', '.join(parts)}."


def select(root: Path, paths: Sequence[Path]) -> tuple[list[Path] | None, set[str] | None]:
    """Which company files to read and which files to report on, from PATH arguments."""
    if not paths:
        return None, None
    chosen: list[Path] = []
    for p in paths:
        if not p.exists() and not p.is_symlink():  # a dangling link is reported, not missing
            raise UsageError(
                f"{p}: no such file or directory",
                "give files or folders below data/, or no path to check everything",
            )
        chosen.extend(load.yaml_files(p) if p.is_dir() and not p.is_symlink() else [p])
    only = {load.display_name(p, root) for p in chosen}
    # Every company file is read, so that cross-file checks see the whole set. A link is
    # named as itself (the loader refuses it), never replaced by its target.
    others = {(root / d).resolve() for d in (load.EDITIONS_DIR, load.METHODOLOGY_DIR)}
    companies = {load.real_parent(p) for p in load.yaml_files(root / load.COMPANIES_DIR)}
    companies |= {load.real_parent(p) for p in chosen if p.parent.resolve() not in others}
    return sorted(companies), only


def check(root: Path, paths: Sequence[Path], now: datetime) -> Checked:
    """Validate the data tree, reporting on ``paths`` (every file when empty).

    UsageError when a path does not exist, or when there is nothing to check (a link, a
    dotfile).
    """
    companies, only = select(root, paths)
    dataset = load.read_dataset(root, companies)

    def named(file: str) -> bool:
        return only is None or file in only

    problems = sort_problems(validate(dataset, now, only))
    n_companies = sum(1 for d in dataset.companies if named(d.file))
    n_editions = sum(1 for d in dataset.editions if named(d.file))
    if (
        not n_companies
        + n_editions
        + sum(1 for d in dataset.methodologies if named(d.file))
        + sum(1 for p in dataset.problems if named(p.file))
    ):  # a link, a dotfile
        where = ", ".join(str(p) for p in paths) if paths else f"{root / 'data'}"
        raise UsageError(
            f"nothing to check: {where} holds no company, edition or methodology file",
            "give .yaml files or folders below data/, or run ccr validate "
            "inside the repository (or with --root) to check everything",
        )
    return Checked(n_companies, n_editions, problems)


def as_json(checked: Checked, limit: int) -> str:
    """The JSON report: a summary, the problems listed, and how many each file has more."""
    shown, omitted = cap_per_file(checked.problems, limit)
    return json.dumps(
        {
            "summary": {
                "company_files": checked.companies,
                "editions": checked.editions,
                "errors": checked.errors,
                "warnings": len(checked.problems) - checked.errors,
                "omitted": sum(omitted.values()),
            },
            "problems": [p.as_dict() for p in shown],
            "omitted": [{"file": file, "problems": n} for file, n in omitted.items()],
        },
        ensure_ascii=False,
        indent=2,
    )


def report(checked: Checked, fmt: str, limit: int) -> list[str]:
    """The report's lines in ``fmt`` (one of FORMATS), at most ``limit`` problems a file."""
    if fmt == "json":
        return [as_json(checked, limit)]
    if fmt == "github":
        lines = capped_lines(checked.problems, format_github, github_more, limit)
    else:
        lines = capped_lines(checked.problems, Problem.format, limit=limit)
    return [*lines, checked.summary()]
