"""A correction's effect: the company's score and rank before and after the change it records.

``ccr correct`` records it in the new ``corrections:`` entry, as the committed data (``HEAD``)
and the work tree score it::

    effect: {edition: 2019-q1-software-houses, score: [61, 64], rank: [12–18, 9–15]}

``edition`` is the company's latest scored edition after the change; ``score`` the score as
shown (the methodology's ``score_decimals``: whole points under v2), before and after, null
where the company has no score in that edition; ``rank`` the overall rank as shown (a range
of places, or one place), null where the company is unranked or unscored. ``ccr diff`` checks
every effect a change adds against the scores it computes itself (:func:`check_effects`), so
the numbers a company page shows can be reproduced from the data.

Pure: scores and documents in, an effect or problems out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import problem_kinds
from .load import Document
from .problems import Problem, format_path
from .score import Scores
from .score.tables import edition_ends
from .values import is_missing, newest_edition

Effect = dict[str, Any]


def _rows(scores: Scores | None, slug: str) -> dict[str, Any]:
    """Edition → the company's scored row at one revision."""
    if scores is None:
        return {}
    c = scores.companies
    return {str(row["edition"]): row for _, row in c[c["slug"] == slug].iterrows()}


def latest_edition(scores: Scores, slug: str) -> str | None:
    """The company's newest scored edition (by period end, then id), None without one."""
    mine = set(_rows(scores, slug))
    ends = edition_ends(scores.tables.editions)
    return newest_edition({e: end for e, end in ends.items() if e in mine})


def _decimals(scores: Scores, edition: str) -> int:
    e = scores.tables.editions
    version = e.loc[e["edition"].astype(str) == edition, "methodology"]
    return scores.methodologies[str(version.iloc[0])].score_decimals if len(version) else 0


def _shown(row: Any, decimals: int) -> int | float | None:
    """A score as shown: a whole number at 0 decimals, else rounded to ``decimals``."""
    if row is None:
        return None
    value = float(row["score_display"])
    return round(value) if decimals == 0 else round(value, decimals)


def _rank(row: Any) -> str | None:
    """The overall rank as the company page shows it: ``9–15``, ``9``; None when unranked.

    The same reading as :func:`benchmark.render.standing.rank_range` (not imported: the
    render package imports this module).
    """
    if row is None or is_missing(row["rank_overall"]):
        return None
    ranked = row.get("ranked")
    if not is_missing(ranked) and not bool(ranked):
        return None
    low, high = row.get("rank_overall_low"), row.get("rank_overall_high")
    if is_missing(low) or is_missing(high):
        low = high = row["rank_overall"]
    return f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}"


def effect_in(before: Scores | None, after: Scores | None, slug: str, edition: str) -> Effect:
    """The effect in ``edition`` of going from ``before`` to ``after`` (scores may be None)."""
    decimals = next(
        (
            _decimals(s, edition)
            for s in (after, before)
            if s is not None and edition in _rows(s, slug)
        ),
        0,
    )
    old, new = _rows(before, slug).get(edition), _rows(after, slug).get(edition)
    return {
        "edition": edition,
        "score": [_shown(old, decimals), _shown(new, decimals)],
        "rank": [_rank(old), _rank(new)],
    }


def effect_of(before: Scores | None, after: Scores, slug: str) -> Effect | None:
    """The effect on the company's latest edition after the change; None when unscored."""
    edition = latest_edition(after, slug)
    return None if edition is None else effect_in(before, after, slug, edition)


def describe(effect: Effect) -> str:
    """``score 61 → 64; rank 12–18 → 9–15 (edition 2019)``, as the company page says it."""

    def arrow(pair: list[Any], none: str) -> str:
        old, new = (none if v is None else f"{v}" for v in pair)
        return f"{old}, unchanged" if old == new else f"{old} → {new}"

    return (
        f"score {arrow(effect['score'], 'none')}; rank {arrow(effect['rank'], 'unranked')} "
        f"(edition {effect['edition']})"
    )


def _same(recorded: Any, computed: Effect) -> bool:
    """Whether a recorded effect says what the data gives (scores compared as numbers)."""
    if not isinstance(recorded, dict) or recorded.get("edition") != computed["edition"]:
        return False
    if recorded.get("rank") != computed["rank"]:
        return False
    got, want = recorded.get("score"), computed["score"]
    if not isinstance(got, list) or len(got) != len(want):
        return False
    return all(
        (a is None) == (b is None) and (a is None or abs(float(a) - float(b)) < 1e-9)
        for a, b in zip(got, want, strict=True)
    )


def added_corrections(base: Document | None, head: Document) -> list[tuple[int, Any]]:
    """(index, entry) of each correction at HEAD that BASE did not have (as a multiset)."""
    left = (
        list((base.data or {}).get("corrections") or [])
        if base is not None and isinstance(base.data, dict)
        else []
    )
    out = []
    for i, entry in enumerate(head.data.get("corrections") or []):
        if entry in left:
            left.remove(entry)
        else:
            out.append((i, entry))
    return out


def check_effects(
    base_docs: Iterable[Document], head_docs: Iterable[Document], before: Scores, after: Scores
) -> list[Problem]:
    """A problem for each correction added at HEAD whose recorded effect the data do not give."""
    by_file = {d.file: d for d in base_docs}
    problems = []
    for doc in head_docs:
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("slug"), str):
            continue
        for i, entry in added_corrections(by_file.get(doc.file), doc):
            if not isinstance(entry, dict) or "effect" not in entry:
                continue
            recorded = entry["effect"]
            edition = str(recorded.get("edition")) if isinstance(recorded, dict) else ""
            computed = effect_in(before, after, doc.data["slug"], edition)
            if _same(recorded, computed):
                continue
            path = ("corrections", i, "effect")
            line, column = doc.position(path)
            shown = describe(recorded) if isinstance(recorded, dict) else repr(recorded)
            problems.append(
                Problem(
                    problem_kinds.CORRECTION_EFFECT.id,
                    doc.file,
                    line,
                    column,
                    format_path(path),
                    f"records {shown}, but BASE → HEAD gives {describe(computed)}",
                    "the effect must follow from the data: edit the data, then record the "
                    "correction with `ccr correct` on a work tree that holds every change of "
                    "this pull request (rebased on its base), or write the numbers above",
                )
            )
    return problems
