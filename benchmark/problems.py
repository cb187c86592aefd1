"""Problems are data: every check reports them, none raises one at a time."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .values import counted

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")

Path = tuple[str | int, ...]
Severity = Literal["error", "warning"]  # errors fail validation and stop a build; warnings do not


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file, located by file, line, column and document path.

    ``kind`` is the id of its entry in the catalogue (:mod:`benchmark.problem_kinds`), which
    also holds its severity and the templates of its message and hint.
    """

    kind: str
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``file:line:col: path: message — hint: …``, always on one line.

        A value quoted in a message may hold a line break; it is shown as the two
        characters backslash and n, so that one problem stays one line.
        """
        where = f"{self.file}:{self.line}:{self.column}: "
        what = f"{self.path}: {self.message}" if self.path else self.message
        label = "" if self.severity == "error" else f"{self.severity}: "
        return _one_line(f"{where}{label}{what} — hint: {self.hint}")

    def as_dict(self) -> dict[str, Any]:
        """Return a plain dict (the JSON output format)."""
        return asdict(self)


def _one_line(text: str) -> str:
    """Line breaks written as escapes (backslash r, backslash n)."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def format_path(path: Sequence[str | int]) -> str:
    """Render a document path as ``audits[0].probes[2].first_response.at``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file, then position, then message."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path, p.message))


def count_errors(problems: Iterable[Problem]) -> int:
    """How many of the problems are errors (not warnings)."""
    return sum(1 for p in problems if p.severity == "error")


MAX_PER_FILE = 20  # problems listed per file; the rest are counted ("… and N more")


def cap_per_file(
    problems: Iterable[Problem], limit: int = MAX_PER_FILE
) -> tuple[list[Problem], dict[str, int]]:
    """The first ``limit`` problems of each file (all when ``limit`` is 0), and the rest's count.

    Files with none left out are not in the count.
    """
    shown: list[Problem] = []
    seen: Counter[str] = Counter()
    for problem in problems:
        seen[problem.file] += 1
        if not limit or seen[problem.file] <= limit:
            shown.append(problem)
    omitted = {file: n - limit for file, n in seen.items() if limit and n > limit}
    return shown, omitted


def more_problems(file: str, n: int) -> str:
    """The line that stands for the problems of a file that are not listed."""
    return f"{file}: … and {counted(n, 'more problem')} in this file"


def capped_lines(
    problems: Iterable[Problem],
    line: Callable[[Problem], str],
    more: Callable[[str, int], str] = more_problems,
    limit: int = MAX_PER_FILE,
) -> Iterator[str]:
    """Problems (sorted, so grouped by file) as lines, at most ``limit`` a file.

    A file's listed problems are followed by ``more(file, n)`` when it has ``n`` more.
    """
    shown, omitted = cap_per_file(problems, limit)
    for i, problem in enumerate(shown):
        yield line(problem)
        last_of_file = i + 1 == len(shown) or shown[i + 1].file != problem.file
        if last_of_file and omitted.get(problem.file):
            yield more(problem.file, omitted[problem.file])
