"""A set of file changes that is checked as a whole and written only when all of it is valid.

Every recording command builds one ``ChangeSet``: new files and edited ones, each edit made
by insertion (``yamltext``). ``check`` validates the whole data set as it would be, against
all other files; any error in a changed file raises ``ProblemsFound`` and nothing is
written. A file that has errors before the change is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import load
from ..errors import DataError, ProblemsFound
from ..problems import Problem, count_errors, sort_problems
from ..validate import validate
from ..values import plural
from . import files
from .yamltext import Op, apply


@dataclass(slots=True)
class _Change:
    path: Path
    old: str | None
    new: str


@dataclass(slots=True)
class ChangeSet:
    """Changes to the data tree below ``root``, keyed by file name relative to it."""

    root: Path
    dataset: load.Dataset
    changes: dict[str, _Change] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> ChangeSet:
        """Read the whole data tree once."""
        return cls(root=root, dataset=load.read_dataset(root))

    def document(self, name: str) -> load.Document | None:
        """The parsed document of a data file as it currently stands in this change set."""
        if name in self.changes:
            return load.parse_document(name, self.changes[name].new.encode("utf-8"))
        for doc in (*self.dataset.companies, *self.dataset.editions):
            if doc.file == name:
                return doc
        return None

    def text(self, name: str) -> str:
        """The text of a data file as it currently stands in this change set."""
        if name in self.changes:
            return self.changes[name].new
        return (self.root / name).read_bytes().decode("utf-8")

    def edit(self, name: str, ops: list[Op]) -> None:
        """Apply insertion ops to a file (on top of earlier edits in this set)."""
        if not ops:
            return
        old = self.text(name)
        new = apply(old, ops, name)
        if name in self.changes:
            self.changes[name].new = new
        else:
            self.changes[name] = _Change(self.root / name, old, new)

    def create(self, name: str, text: str) -> None:
        """Add a new file."""
        if (self.root / name).exists() or name in self.changes:
            raise DataError(f"{name} already exists", "edit that file, or choose another name")
        self.changes[name] = _Change(self.root / name, None, text)

    def _as_changed(self) -> load.Dataset:
        def swap(docs: list[load.Document], folder: str) -> list[load.Document]:
            out = [
                load.parse_document(d.file, self.changes[d.file].new.encode("utf-8"))
                if d.file in self.changes
                else d
                for d in docs
            ]
            known = {d.file for d in docs}
            out += [
                load.parse_document(n, c.new.encode("utf-8"))
                for n, c in sorted(self.changes.items())
                if n not in known and n.startswith(folder)
            ]
            return out

        return load.Dataset(
            companies=swap(self.dataset.companies, load.COMPANIES_DIR),
            editions=swap(self.dataset.editions, load.EDITIONS_DIR),
            methodologies=self.dataset.methodologies,
        )

    def check(self, now: datetime) -> list[Problem]:
        """Validate the data as it would be; ProblemsFound on any error in a changed file.

        Returns the warnings of the changed files (to print).
        """
        touched = set(self.changes)
        existing = {n for n, c in self.changes.items() if c.old is not None}
        if existing:
            before = [p for p in validate(self.dataset, now, existing) if p.severity == "error"]
            if before:
                names = sorted({p.file for p in before})
                raise ProblemsFound(
                    f"{', '.join(names)} {plural(len(names), 'has', 'have')} errors, so "
                    "nothing was written",
                    "fix them first (ccr validate lists them), then run the command again",
                    sort_problems(before),
                )
        problems = sort_problems(validate(self._as_changed(), now, touched))
        if count_errors(problems):
            raise ProblemsFound(
                "the result would not be valid, so nothing was written",
                "the lines above point into the files as they would have "
                "been; correct the input they name and run the command again",
                problems,
            )
        return problems

    def write(self) -> list[str]:
        """Write every change (each file atomically); the names written."""
        for _name, change in sorted(self.changes.items()):
            data = change.new.encode("utf-8")
            if change.old is None:
                files.create_file(change.path, data, self.root)
            elif change.old != change.new:
                files.replace_file(change.path, data, self.root)
        return sorted(self.changes)


def data_of(doc: load.Document | None) -> Any:
    """A document's data, or None."""
    return doc.data if doc is not None else None
