"""`ccr correct`: record a correction in a company file, with its effect on score and rank.

The cycle: read the data and validate it, compute the effect (the committed data, HEAD,
against the work tree), add the entry to the file's text (benchmark/edit.py), validate the
data with the new text, and write it atomically. Nothing is written unless every step passed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from . import fsutil, load
from .edit import add_correction
from .errors import DataError, ProblemsFound, UsageError
from .problems import sort_problems
from .validate import SLUG, validate
from .values import parse_date


@dataclass(frozen=True, slots=True)
class CorrectionRequest:
    """``ccr correct``'s arguments: what changed, of which kind, where, and when."""

    slug: str
    summary: str
    kind: str = "correction"
    link: str | None = None
    on: str | None = None  # YYYY-MM-DD; None: the day of ``now``


@dataclass(frozen=True, slots=True)
class Recorded:
    """A correction written: the company file, and the entry added to it."""

    name: str
    entry: dict[str, Any]


def company_file(root: Path, slug: str) -> Path:
    """The company file for ``slug``; UsageError when the slug cannot be or is not one."""
    if not SLUG.fullmatch(slug):
        raise UsageError(
            f"{slug!r} is not a company slug", "give the file name without .yaml, e.g. acme-shop"
        )
    path = root / load.COMPANIES_DIR / f"{slug}.yaml"
    if not path.is_file():
        known = [p.stem for p in load.yaml_files(root / load.COMPANIES_DIR)]
        close = difflib.get_close_matches(slug, known, n=1)
        raise DataError(
            f"there is no {load.COMPANIES_DIR}/{slug}.yaml",
            f"did you mean {close[0]}?" if close else f"check the slug: ls {load.COMPANIES_DIR}",
        )
    return path


def correction_entry(request: CorrectionRequest, now: datetime) -> dict[str, Any]:
    """The entry to add, without its effect; UsageError for a date that is not one."""
    on = request.on or now.date().isoformat()
    if parse_date(on) is None:
        raise UsageError(f"--date {on}: not a date", "give it as YYYY-MM-DD")
    entry: dict[str, Any] = {
        "date": on,
        "kind": request.kind,
        "summary": " ".join(request.summary.split()),
    }
    if request.link is not None:
        entry["link"] = request.link
    return entry


def _check_valid(dataset: load.Dataset, name: str, now: datetime) -> None:
    """DataError when the company file, or any other file, has errors."""
    errors = [p for p in validate(dataset, now) if p.severity == "error"]
    if [p for p in errors if p.file == name]:
        raise DataError(
            f"{name} has errors, so it was left as it is",
            f"run ccr validate {name} and fix them first",
        )
    if errors:
        raise DataError(
            f"the data has errors ({errors[0].file} first), so the correction's "
            "effect on score and rank cannot be computed",
            "run ccr validate and fix them first",
        )


def _committed(root: Path, name: str, dataset: load.Dataset, now: datetime) -> load.Dataset:
    """The data at HEAD; DataError when it equals the work tree's or has errors."""
    from .gitread import read_revision, resolve

    try:
        commit = resolve(root, "HEAD")
    except UsageError:
        raise UsageError(
            f"{root}: no committed data to compare with",
            "ccr correct records the change's effect on score and rank against "
            "the last commit (HEAD); run it in a clone of the repository",
        ) from None
    committed = read_revision(root, commit)

    def contents(data: load.Dataset) -> list[tuple[str, Any]]:
        return sorted(
            ((d.file, d.data) for d in [*data.companies, *data.editions, *data.methodologies]),
            key=lambda p: p[0],
        )

    if contents(committed) == contents(dataset):
        raise DataError(
            "the data is as committed, so the correction has no effect to record",
            f"edit the data first (e.g. {name}), then record the correction "
            "before committing: ccr correct compares the work tree with HEAD",
        )
    if [p for p in validate(committed, now) if p.severity == "error"]:
        raise DataError(
            "the committed data (HEAD) has errors, so the correction's effect cannot be computed",
            "fix them in a commit of their own first",
        )
    return committed


def correction_effect(
    root: Path, slug: str, name: str, dataset: load.Dataset, now: datetime
) -> dict[str, Any]:
    """Edge: the company's score and rank at the committed data (HEAD) and in the work tree."""
    from .effect import effect_of
    from .score import score

    committed = _committed(root, name, dataset, now)
    try:
        before = score(committed)
    except DataError:  # nothing scored yet at HEAD: every score is new
        before = None
    effect = effect_of(before, score(dataset), slug)
    if effect is None:
        raise DataError(
            f"{name} has no score in the work tree, so a correction has no effect to record",
            "record the correction once the company has an audit with probes",
        )
    return effect


def corrected_text(
    path: Path, name: str, entry: dict[str, Any], dataset: load.Dataset, now: datetime
) -> bytes:
    """The company file with ``entry`` added; ProblemsFound when the data would not be valid."""
    raw = fsutil.read_regular(path)
    if raw is None:  # a link or not a file: the tree policy reported it, this is a race
        raise DataError(f"{name} is not a regular file", f"run ccr validate {name}")
    new = add_correction(raw.decode("utf-8"), entry, name).encode("utf-8")
    dataset.companies = [
        load.parse_document(name, new) if d.file == name else d for d in dataset.companies
    ]
    problems = [p for p in validate(dataset, now, {name}) if p.severity == "error"]
    if problems:
        raise ProblemsFound(
            "the correction is not valid, so nothing was written",
            "the lines above point into the file as it would have been; change "
            "the option they name and run the command again",
            sort_problems(problems),
        )
    return new


def record_correction(
    root: Path,
    request: CorrectionRequest,
    now: datetime,
    on_removed: Callable[[str], None] = lambda _name: None,
) -> Recorded:
    """Add a correction to data/companies/SLUG.yaml; every other byte of it stays as written.

    Temporary files an interrupted run left beside it are removed first (``on_removed`` is
    told each name). The entry records the effect on the company's latest score and rank,
    the committed data (HEAD) against the work tree.
    """
    path = company_file(root, request.slug)
    name = load.display_name(path, root)
    for stray in fsutil.clean_stray_temps(path.parent):  # left by a killed `ccr correct`
        on_removed(stray)
    entry = correction_entry(request, now)
    dataset = load.read_dataset(root)
    _check_valid(dataset, name, now)
    entry["effect"] = correction_effect(root, request.slug, name, dataset, now)
    new = corrected_text(path, name, entry, dataset, now)
    # A new file with a random name, renamed over the old one: readers see the old file or
    # the new one, never half, and no write follows a link.
    fsutil.atomic_write(path, new, root)
    return Recorded(name, entry)
