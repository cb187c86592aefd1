"""`ccr diff`: what a change to the data does, as a Markdown report for a pull request.

BASE and HEAD are git revisions of the repository at ``root``; HEAD omitted means the
work tree, read from disk like every other command reads it. Revisions are read by
:mod:`benchmark.gitread` (the edge: the only module here that runs git).

:func:`compare` is pure: it validates both datasets, keeps the problems HEAD has and BASE
had not, scores both (HEAD only when it has no errors), labels every score, grade, tier or
rank change with :func:`benchmark.score.changes.label_changes` and lists the edition
statistics that move. A correction added between BASE and HEAD that records an ``effect``
the two scorings do not give is an error (:func:`benchmark.effect.check_effects`):
published numbers must follow from the data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import load
from . import markdown as md
from .effect import check_effects
from .errors import DataError, UsageError
from .gitread import read_revision, resolve
from .problems import Problem, capped_lines, count_errors, sort_problems
from .score import Scores, score
from .score.changes import label_changes
from .validate import validate
from .values import counted as _n
from .values import format_statistic, human_duration, plural
from .values import is_missing as _missing

TITLE = "## CCR: what this change does"
TOLERANCE = 1e-9  # a statistic moves when its value changes by more than this


# --- the pure part: comparing two datasets ----------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffResult:
    """What a change does: the Markdown report and the figures behind it."""

    markdown: str
    problems: list[Problem]  # problems at HEAD that BASE did not have, sorted
    head_errors: int  # every error at HEAD, new or not, and every forged correction effect
    fixed: int  # problems BASE had that HEAD has no more
    summary: str
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # label_changes' rows
    statistics: pd.DataFrame = field(default_factory=pd.DataFrame)  # the statistics that move

    @property
    def ok(self) -> bool:
        """True when HEAD has no validation error (the exit code is 0)."""
        return self.head_errors == 0


def _problem_key(problem: Problem) -> tuple[str, str, str, str]:
    """What identifies a problem across revisions: lines move when a file is edited."""
    return problem.file, problem.path, problem.message, problem.severity


def partition(
    base: Iterable[Problem], head: Iterable[Problem]
) -> tuple[list[Problem], list[Problem]]:
    """HEAD's problems, sorted, split into those BASE did not have and those it had too.

    Problems are compared ignoring line and column (lines move when a file is edited), as a
    multiset: a second identical problem is new. Linear in the number of problems.
    """
    left = Counter(_problem_key(p) for p in base)
    new: list[Problem] = []
    old: list[Problem] = []
    for problem in sort_problems(head):
        key = _problem_key(problem)
        if left[key]:
            left[key] -= 1
            old.append(problem)
        else:
            new.append(problem)
    return new, old


def introduced(base: Iterable[Problem], head: Iterable[Problem]) -> list[Problem]:
    """The problems at HEAD that BASE did not have, compared ignoring line and column."""
    return partition(base, head)[0]


def _docs(dataset: load.Dataset) -> dict[str, Any]:
    """Slug → company data, for the reason of each change."""
    return {
        doc.data["slug"]: doc.data
        for doc in dataset.companies
        if isinstance(doc.data, dict) and isinstance(doc.data.get("slug"), str)
    }


def _score(dataset: load.Dataset) -> Scores | None:
    """Score a valid dataset; None when it has nothing to score."""
    try:
        return score(dataset)
    except DataError:
        return None


def moved_statistics(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Edition statistics whose value changes by more than 1e-9, appears or disappears."""
    keys = ["edition", "id", "segment"]
    cols = ["label", "value", "numerator", "denominator", "unit"]
    empty = pd.DataFrame(columns=[*keys, *(f"{c}_{s}" for s in ("old", "new") for c in cols)])
    if old.empty and new.empty:
        return empty
    both = old.reindex(columns=keys + cols).merge(
        new.reindex(columns=keys + cols), on=keys, how="outer", suffixes=("_old", "_new")
    )
    keep = []
    for a, b in zip(both["value_old"], both["value_new"], strict=True):
        if _missing(a) or _missing(b):
            keep.append(_missing(a) != _missing(b))
        else:
            keep.append(abs(float(a) - float(b)) > TOLERANCE)
    moved = both[pd.Series(keep, index=both.index, dtype=bool)]
    return moved.sort_values(keys).reset_index(drop=True)


def _decimals(scores: Iterable[Scores | None]) -> dict[str, int]:
    """Edition → the number of decimals its methodology shows scores with."""
    out: dict[str, int] = {}
    for s in scores:
        if s is None:
            continue
        for edition, version in zip(
            s.tables.editions["edition"], s.tables.editions["methodology"], strict=True
        ):
            out.setdefault(str(edition), s.methodologies[str(version)].score_decimals)
    return out


def _companies_info(scores: Iterable[Scores | None]) -> dict[tuple[str, str], dict[str, Any]]:
    """(slug, edition) → name and group size, at each revision (the later one wins)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for when, s in zip(("old", "new"), scores, strict=True):
        if s is None:
            continue
        for slug, edition, name, of in zip(
            s.companies["slug"],
            s.companies["edition"],
            s.companies["name"],
            s.companies["of_overall"],
            strict=True,
        ):
            info = out.setdefault((str(slug), str(edition)), {})
            info["name"] = name
            info[f"of_{when}"] = int(of)
    return out


@dataclass(frozen=True, slots=True)
class _Figures:
    """What scoring both revisions gives: the rows that change and what labels them."""

    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # label_changes' rows
    statistics: pd.DataFrame = field(
        default_factory=lambda: moved_statistics(pd.DataFrame(), pd.DataFrame())
    )
    info: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    decimals: dict[str, int] = field(default_factory=dict)
    forged: list[Problem] | None = None  # effects no scoring gives; None: not scored


def _figures(
    base: load.Dataset, head: load.Dataset, head_errors: int, base_errors: int
) -> tuple[_Figures, list[str]]:
    """Pure: score both revisions and compare them, or say why they are not compared."""
    if head_errors:
        return _Figures(), [
            f"Not scored: HEAD has {_n(head_errors, 'error')}; fix "
            f"{plural(head_errors, 'it', 'them')} to see what the change does to "
            "scores and ranks."
        ]
    if base_errors:
        return _Figures(), [
            f"Not compared: BASE has {_n(base_errors, 'error')}, so it cannot be scored."
        ]
    old, new = _score(base), _score(head)
    if old is None or new is None:
        note = f"Not compared: {'BASE' if old is None else 'HEAD'} has no audit to score."
        return _Figures(info=_companies_info((old, new)), decimals=_decimals((new, old))), [note]
    changes = label_changes(old, new, _docs(base), _docs(head))
    stats = moved_statistics(old.statistics, new.statistics)
    # A correction added here must record the effect these scores give.
    forged = check_effects(base.companies, head.companies, old, new)
    figures = _Figures(
        changes=changes,
        statistics=stats,
        info=_companies_info((old, new)),
        decimals=_decimals((new, old)),
        forged=forged,
    )
    return figures, []


def compare(
    base: load.Dataset,
    head: load.Dataset,
    now: datetime,
    base_name: str = "BASE",
    head_name: str = "HEAD",
) -> DiffResult:
    """Pure: what going from ``base`` to ``head`` does, as a report and its figures."""
    base_problems = validate(base, now)
    head_problems = validate(head, now)
    new_problems, had = partition(base_problems, head_problems)
    fixed = len(base_problems) - len(had)
    head_errors = count_errors(head_problems)
    errors = head_errors  # and the effects of corrections that the data do not give
    still = [p for p in had if p.severity == "error"]
    figures, notes = _figures(base, head, head_errors, count_errors(base_problems))
    if figures.forged is not None:
        new_problems = sort_problems([*new_problems, *figures.forged])
        errors += count_errors(figures.forged)
    summary = _summary(figures.changes, figures.statistics, new_problems, head_errors, fixed)
    markdown = _markdown(summary, (base_name, head_name), new_problems, still, notes, figures)
    return DiffResult(
        markdown=markdown,
        problems=new_problems,
        head_errors=errors,
        fixed=fixed,
        summary=summary,
        changes=figures.changes,
        statistics=figures.statistics,
    )


# --- Markdown ------------------------------------------------------------------------


def _counts(changes: pd.DataFrame) -> dict[str, int]:
    """How many rows change score, rank, only grade or tier, are new, are removed."""
    out = dict.fromkeys(("score", "rank", "other", "new", "removed"), 0)
    for _, row in changes.iterrows():
        if _missing(row["score_display_old"]):
            out["new"] += 1
        elif _missing(row["score_display_new"]):
            out["removed"] += 1
        else:
            moved_score = row["score_display_old"] != row["score_display_new"]
            moved_rank = _place(row, "old") != _place(row, "new")
            out["score"] += int(moved_score)
            out["rank"] += int(moved_rank)
            out["other"] += int(not moved_score and not moved_rank)
    return out


def _summary(
    changes: pd.DataFrame,
    stats: pd.DataFrame,
    problems: Sequence[Problem],
    head_errors: int,
    fixed: int,
) -> str:
    """The one line at the top of the report."""
    if problems:
        errors = count_errors(problems)
        kinds = [_n(errors, "error")] if errors else []
        kinds += [_n(len(problems) - errors, "warning")] if len(problems) > errors else []
        found = f"{_n(len(problems), 'new problem')} ({', '.join(kinds)})"
    else:
        found = "no new problems"
    if fixed:
        found += f", {fixed:,} fixed"
    if head_errors:
        return (
            f"{found[:1].upper()}{found[1:]}; HEAD has {_n(head_errors, 'error')} and is "
            "not scored."
        )
    counts = (
        _counts(changes)
        if not changes.empty
        else dict.fromkeys(("score", "rank", "other", "new", "removed"), 0)
    )
    phrases = [
        ("score", "changes score", "change score"),
        ("rank", "changes rank", "change rank"),
        ("other", "changes grade or tier", "change grade or tier"),
        ("new", "is new", "are new"),
        ("removed", "is removed", "are removed"),
    ]
    parts: list[str] = []
    for key, one, many in phrases:
        n = counts[key]
        if n:
            noun = "" if parts else " " + plural(n, "company", "companies")
            parts.append(f"{n:,}{noun} {plural(n, one, many)}")
    if len(stats):
        parts.append(f"{_n(len(stats), 'statistic')} {plural(len(stats), 'moves', 'move')}")
    done = ", ".join(parts) if parts else "No score, rank or statistic changes"
    return f"{done}; {found}."


def _cell(value: Any) -> str:
    """Text from data or the command line for a table cell or a sentence (escaped).

    Shown as written on one line, never markup, a mention or a link
    (:func:`benchmark.markdown.text`).
    """
    return md.text(value)


def _arrow(old: Any, new: Any, show: Callable[[Any], str]) -> str:
    """``old → new``, one value when it did not change; a missing side is new or removed."""
    before = "new" if _missing(old) else show(old)
    after = "removed" if _missing(new) else show(new)
    return after if before == after else f"{before} → {after}"


def _place(row: pd.Series, side: str) -> str:
    """A rank as shown: ``5``, the range ``3–9`` (v2), or ``unranked`` (limited evidence)."""
    rank = row[f"rank_overall_{side}"]
    if _missing(rank):
        return "unranked"
    low = row.get(f"rank_overall_low_{side}", math.nan)
    high = row.get(f"rank_overall_high_{side}", math.nan)
    if _missing(low) or _missing(high) or low == high:
        return f"{int(rank)}"
    return f"{int(low)}–{int(high)}"


def _rank_cell(row: pd.Series, info: dict[str, Any]) -> str:
    """``171 → 120 of 417 (up 51)``; ranges and ``unranked`` as they are shown."""

    def of(place: str, count: Any) -> str:
        return place if place == "unranked" else f"{place} of {count}"

    of_old, of_new = info.get("of_old"), info.get("of_new")
    if _missing(row["score_display_old"]):
        return f"new → {of(_place(row, 'new'), of_new)}"
    if _missing(row["score_display_new"]):
        return f"{of(_place(row, 'old'), of_old)} → removed"
    old, new = _place(row, "old"), _place(row, "new")
    if old == new:
        return of(new, of_new)
    way = ""
    if not _missing(row["rank_overall_old"]) and not _missing(row["rank_overall_new"]):
        move = int(row["rank_overall_old"]) - int(row["rank_overall_new"])
        way = f" (up {move})" if move > 0 else f" (down {-move})" if move < 0 else ""
    if of_old == of_new and "unranked" not in (old, new):
        return f"{old} → {new} of {of_new}{way}"
    return f"{of(old, of_old)} → {of(new, of_new)}{way}"


def _score_cell(row: pd.Series, places: int) -> str:
    """``48.6 → 51.2``; under v2 each side with its interval: ``44 [36–51] → 46 [38–53]``."""

    def side(which: str) -> Any:
        score = row[f"score_display_{which}"]
        if _missing(score):
            return None
        low = row.get(f"score_low_display_{which}", math.nan)
        high = row.get(f"score_high_display_{which}", math.nan)
        text = f"{float(score):.{places}f}"
        if not _missing(low) and not _missing(high):
            text += f" [{float(low):.{places}f}–{float(high):.{places}f}]"
        return text

    return _arrow(side("old"), side("new"), str)


def _band(row: pd.Series, column: str) -> Any:
    """A grade or tier; ``—`` for an unranked company (it has none), missing when absent."""
    side = column.rsplit("_", 1)[1]
    if _missing(row[f"score_display_{side}"]):
        return None
    return "—" if _missing(row[column]) else row[column]


def _probes_cell(row: pd.Series) -> str:
    """The probes behind the score at each revision."""
    return _arrow(row.get("probes_old"), row.get("probes_new"), lambda v: f"{int(v)}")


def score_tables(
    changes: pd.DataFrame, info: dict[tuple[str, str], dict[str, Any]], decimals: dict[str, int]
) -> list[str]:
    """One table per edition: the companies whose score, grade, tier or rank changes."""
    lines: list[str] = []
    if changes.empty:
        return lines
    ordered = changes.assign(
        _displaced=changes["reason"] == "displaced",
        _rank=changes["rank_overall_new"].fillna(changes["rank_overall_old"]),
    ).sort_values(["edition", "_displaced", "_rank", "slug"])
    for edition, rows in ordered.groupby("edition", sort=True):
        places = decimals.get(str(edition), 1)
        lines += [
            "",
            f"#### Edition {_cell(edition)}",
            "",
            "| company | score | grade | tier | rank | probes | reason |",
            "|---|---:|:-:|---|---:|---:|---|",
        ]
        for _, row in rows.iterrows():
            about = info.get((str(row["slug"]), str(edition)), {})
            name = f"{_cell(about.get('name', row['slug']))} ({_cell(row['slug'])})"
            lines.append(
                " | ".join(
                    [
                        f"| {name}",
                        _score_cell(row, places),
                        _cell(_arrow(_band(row, "grade_old"), _band(row, "grade_new"), str)),
                        _cell(_arrow(_band(row, "tier_old"), _band(row, "tier_new"), str)),
                        _rank_cell(row, about),
                        _probes_cell(row),
                        f"{_cell(row['reason'])} |",
                    ]
                )
            )
    return lines


def _difference(old: Any, new: Any, unit: str) -> str:
    """How far a statistic moved: ``+0.2 pp``, ``−7 min``; new or gone."""
    if _missing(old):
        return "new"
    if _missing(new):
        return "gone"
    d = float(new) - float(old)
    sign = "+" if d >= 0 else "−"
    if unit == "share":
        return f"{sign}{abs(100 * d):.1f} pp"
    if unit == "seconds":
        return f"{sign}{human_duration(abs(d))}"
    if unit == "count":
        return f"{sign}{abs(round(d)):,}"
    return f"{sign}{abs(d):.2f}"


def statistics_table(stats: pd.DataFrame) -> list[str]:
    """The edition statistics that move, one row each."""
    if stats.empty:
        return []
    lines = [
        "| edition | statistic | segment | before → after | change |",
        "|---|---|---|---|---:|",
    ]
    for _, row in stats.iterrows():
        unit = str(row["unit_new"] if not _missing(row["unit_new"]) else row["unit_old"])
        label = row["label_new"] if not _missing(row["label_new"]) else row["label_old"]
        before = format_statistic(
            row["value_old"], unit, row["numerator_old"], row["denominator_old"]
        )
        after = format_statistic(
            row["value_new"], unit, row["numerator_new"], row["denominator_new"]
        )
        lines.append(
            f"| {_cell(row['edition'])} | {_cell(label)} ({_cell(row['id'])}) | "
            f"{_cell(row['segment'])} | {before} → {after} | "
            f"{_difference(row['value_old'], row['value_new'], unit)} |"
        )
    return lines


def _markdown(
    summary: str,
    names: tuple[str, str],
    problems: Sequence[Problem],
    still: Sequence[Problem],
    notes: Sequence[str],
    figures: _Figures,
) -> str:
    """The whole report."""
    lines = [TITLE, "", summary, "", f"Compared {names[0]} with {names[1]}."]
    if problems:
        lines += ["", "### New problems", "", *md.fence(capped_lines(problems, Problem.format))]
    if still:
        lines += [
            "",
            "### Errors that were there before",
            "",
            "HEAD still has these; BASE had them too.",
            "",
            *md.fence(capped_lines(still, Problem.format)),
        ]
    for note in notes:
        lines += ["", note]
    if not figures.changes.empty:
        lines += [
            "",
            "### Score and rank changes",
            "",
            "Reasons: correction or re-audit (the company's own file changed), "
            "methodology change, new data, removed, displaced (other companies moved; "
            "under methodology v2 their change also moves the edition's pooled prior, so "
            "a displaced score can move too). Scores show their interval, ranks the "
            "range of places the intervals allow.",
        ]
        lines += score_tables(figures.changes, figures.info, figures.decimals)
    if not figures.statistics.empty:
        lines += ["", "### Statistics that move", "", *statistics_table(figures.statistics)]
    return "\n".join(lines) + "\n"


# --- the command's entry point ----------------------------------------------------------


def diff_report(root: Path, base: str, head: str | None, now: datetime) -> DiffResult:
    """Edge: compare the data at revision ``base`` with ``head`` (None: the work tree)."""
    base_commit = resolve(root, base)
    head_commit = None if head is None else resolve(root, head)
    before = read_revision(root, base_commit)
    after = load.read_dataset(root) if head_commit is None else read_revision(root, head_commit)
    if not before.files() and not after.files():
        raise UsageError(
            f"{root}: no data files at {base} or at {head or 'the work tree'}",
            "give --root the repository root that holds data/",
        )
    base_name = f"{_cell(base)} ({base_commit[:10]})"
    head_name = "the work tree" if head_commit is None else f"{_cell(head)} ({head_commit[:10]})"
    return compare(before, after, now, base_name, head_name)
