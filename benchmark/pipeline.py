"""The pipeline, stage by stage: load → validate → score (→ render → build → publish).

``run`` calls the stages in order; only this module and the CLI touch the file system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import load
from .errors import CCRError
from .problems import Problem, count_errors, sort_problems
from .score import Scores, score
from .validate import validate


class InvalidData(CCRError):
    """The data has problems; they are attached, each with its location and hint."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = count_errors(problems)
        super().__init__(f"the data has {errors} error{'s' if errors != 1 else ''}",
                         "run `ccr validate` and fix each problem it lists")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Result:
    """What a run produced."""

    dataset: load.Dataset
    scores: Scores


def load_valid(root: Path, now: datetime | None = None) -> load.Dataset:
    """Read and validate the data tree; InvalidData when any error is found."""
    dataset = load.read_dataset(root)
    problems = sort_problems(validate(dataset, now or datetime.now(UTC)))
    if count_errors(problems):
        raise InvalidData(problems)
    return dataset


def run(root: Path, now: datetime | None = None) -> Result:
    """Load, validate and score the data below ``root``."""
    dataset = load_valid(root, now)
    return Result(dataset=dataset, scores=score(dataset))
