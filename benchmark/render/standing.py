"""How a score stands: its interval, its rank as a range, its group and the evidence behind it.

Every writer that shows a score — leaderboards, company pages, the home page, the rows the
compare page reads, the badge, ``ccr leaderboard`` — words it here, so they all say the same:

- the point score, with its interval where the methodology gives one: "44 (90 % interval
  36–51)", or compactly "44 [36–51]" in tables (with a label a screen reader speaks);
- the rank as the range of places the intervals allow ("3–9"), one number when they allow
  one place (always so in v1);
- the number of probes;
- for a company below the evidence threshold: no rank, grade or tier, and a plain sentence
  saying why and how it gets ranked (:func:`unranked_reason`).

Rows are the scored companies' rows (a ``pd.Series`` or a dict of one); the numbers here are
CCR's own, never data text, but every string is still written through ``text``/``attr``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from ..methodology import Methodology
from ..values import is_missing, plural
from .common import records
from .text import signed

NBSP_PERCENT = "\u00a0%"


def _get(row: Any, key: str) -> Any:
    """A row's value, None when the column is absent (a v1-only table has no interval)."""
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def number(value: Any, decimals: int) -> str:
    """A score or bound as shown: ``44``, ``72.3``."""
    return f"{float(value):.{decimals}f}"


def level(method: Methodology) -> str | None:
    """The interval's nominal coverage as shown (``90 %``); None without an interval (v1)."""
    if method.uncertainty is None:
        return None
    return f"{100 * method.uncertainty.interval:g} %"


def level_html(method: Methodology) -> Markup:
    """The level as HTML that never breaks between the number and its sign: ``90&#160;%``."""
    return Markup((level(method) or "").replace(" ", "&#160;"))


def score(row: Any, method: Methodology) -> str:
    """The point score as shown: ``44``."""
    return number(row["score_display"], method.score_decimals)


def interval(row: Any, method: Methodology) -> tuple[str, str] | None:
    """The score's interval bounds as shown, or None when the score carries none (v1)."""
    low, high = _get(row, "score_low_display"), _get(row, "score_high_display")
    if is_missing(low) or is_missing(high) or method.uncertainty is None:
        return None
    return number(low, method.score_decimals), number(high, method.score_decimals)


def score_long(row: Any, method: Methodology) -> str:
    """``44 (90 % interval 36–51)``; the score alone without an interval."""
    bounds = interval(row, method)
    if bounds is None:
        return score(row, method)
    return f"{score(row, method)} ({level(method)} interval {bounds[0]}–{bounds[1]})"


def score_compact(row: Any, method: Methodology) -> str:
    """``44 [36–51]``: for tables and the command line."""
    bounds = interval(row, method)
    if bounds is None:
        return score(row, method)
    return f"{score(row, method)} [{bounds[0]}–{bounds[1]}]"


def sr(words: str) -> Markup:
    """Words for screen readers only (HTML; ``words`` is CCR's own text)."""
    return Markup(f'<span class="ccr-sr">{words}</span>')


def score_cell(row: Any, method: Methodology) -> Markup:
    """The compact score as HTML: the bracketed interval is read out as words."""
    bounds = interval(row, method)
    if bounds is None:
        return Markup(score(row, method))
    return Markup(
        f'{score(row, method)} <span class="ccr-iv" aria-hidden="true">'
        f"[{bounds[0]}–{bounds[1]}]</span>"
        f"{sr(f', {level_html(method)} interval {bounds[0]} to {bounds[1]}')}"
    )


RANKED_BY = ("ranked", "rank_overall")  # the columns is_ranked reads


def is_ranked(row: Any) -> bool:
    """Whether the company is ranked (above the evidence threshold; always in v1)."""
    ranked = _get(row, "ranked")
    return (True if is_missing(ranked) else bool(ranked)) and not is_missing(row["rank_overall"])


def ranked_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` whose company is ranked (:func:`is_ranked`)."""
    return frame[[is_ranked(r) for r in records(frame, RANKED_BY)]]


def places(row: Any, scope: str = "overall") -> tuple[int, int] | None:
    """The best and worst place the intervals allow in ``scope``; None when unranked."""
    if not is_ranked(row) or is_missing(row[f"rank_{scope}"]):
        return None
    low, high = _get(row, f"rank_{scope}_low"), _get(row, f"rank_{scope}_high")
    if is_missing(low) or is_missing(high):
        rank = int(row[f"rank_{scope}"])
        return rank, rank
    return int(low), int(high)


def rank_range(row: Any, scope: str = "overall") -> str | None:
    """``3–9``, or ``3`` when the intervals allow one place; None when unranked."""
    found = places(row, scope)
    if found is None:
        return None
    return str(found[0]) if found[0] == found[1] else f"{found[0]}–{found[1]}"


def rank_words(row: Any, scope: str = "overall") -> str:
    """``places 3 to 9 of 137`` / ``rank 3 of 137`` / ``unranked``: a label to be read out."""
    found = places(row, scope)
    if found is None:
        return "unranked"
    of = int(row[f"of_{scope}"])
    if found[0] == found[1]:
        return f"rank {found[0]} of {of}"
    return f"places {found[0]} to {found[1]} of {of}"


def rank_cell(row: Any, scope: str = "overall", of: bool = False) -> str:
    """The rank range as HTML (``3–9``, optionally ``of 137``), read out in words.

    Markup; typed ``str`` because a caller puts a
    plain HTML string in the same variable.
    """
    shown = rank_range(row, scope)
    if shown is None:
        return Markup("unranked")
    tail = f" of {int(row[f'of_{scope}'])}" if of else ""
    if "–" not in shown:
        return Markup(shown + tail)
    return Markup(f'<span aria-hidden="true">{shown}{tail}</span>{sr(rank_words(row, scope))}')


def probes(n: Any) -> str:
    """``1 probe``, ``3 probes``."""
    count = int(n)
    return f"{count} {plural(count, 'probe')}"


def families(n: Any) -> str:
    """``1 channel family``, ``2 channel families``."""
    count = int(n)
    return f"{count} channel {plural(count, 'family', 'families')}"


def threshold(method: Methodology) -> str:
    """The evidence threshold in words: ``3 probes`` (``in at least 2 channel families``)."""
    need = f"{probes(method.minimum_probes)}"
    if method.minimum_probed_families > 1:
        need += f" in at least {families(method.minimum_probed_families)}"
    return need


def unranked_reason(row: Any, method: Methodology) -> str:
    """Why a company is unranked and how it gets ranked, in one plain sentence or two.

    ``Scored on 2 probes; a company is ranked from 3 probes. More probes in the next edition
    will rank it.``
    """
    n = int(row["probes"])
    probed = int(_get(row, "probed_families") or 0)
    few_probes = n < method.minimum_probes
    if n == 0:
        evidence = "No question was sent to it"
    else:
        evidence = f"Scored on {probes(n)}"
        if not few_probes:
            evidence += f" in {families(probed)}"
    fix = (
        "More probes in the next edition will rank it."
        if few_probes
        else "Probes through more channel families in the next edition will rank it."
    )
    return f"{evidence}; a company is ranked from {threshold(method)}. {fix}"


def unranked_short(row: Any, method: Methodology) -> str:
    """``2 of 3 probes``: the short reason, for a table cell."""
    n = int(row["probes"])
    if n < method.minimum_probes:
        return f"{n} of {probes(method.minimum_probes)}"
    probed = int(_get(row, "probed_families") or 0)
    return f"{probed} of {families(method.minimum_probed_families)}"


def grade_or_none(row: Any) -> str | None:
    """The grade of a ranked company; None when unranked (or when there is none)."""
    grade = _get(row, "grade")
    return None if not is_ranked(row) or is_missing(grade) else str(grade)


def movement(row: Any, decimals: int = 1) -> str:
    """The rank and score movement since the company's previous edition (plain text).

    Ranks are compared only when the company is ranked in both editions; otherwise the
    sentence says which of them left it unranked. Never fails on a missing rank.
    """
    previous = _get(row, "previous_edition")
    if is_missing(previous):
        return "new in this edition"
    before, now = _get(row, "previous_rank"), row["rank_overall"]
    score_part = f"score {signed(_get(row, 'score_change'), decimals)} since {previous}"
    if is_missing(before) and is_missing(now):
        return f"unranked in both editions, {score_part}"
    if is_missing(before):
        return f"unranked → rank {int(now)}, {score_part}"
    if is_missing(now):
        return f"rank {int(before)} → unranked, {score_part}"
    arrow = "▲" if before > now else "▼" if before < now else "＝"
    return f"{arrow} rank {int(before)} → {int(now)}, {score_part}"


def all_of(n: int) -> str:
    """``both``, ``all 20``: every one of ``n`` (two or more)."""
    return "both" if n == 2 else f"all {n}"


def group_words(span: tuple[int, int, int] | None, of: Any) -> str | None:
    """``statistically indistinguishable group: places 1–9 (9 companies)``.

    ``span`` is the group's best point rank, worst point rank and size; its places are the
    positions its members hold in score order. None for a company alone in its group, or
    without intervals.
    """
    if span is None or span[2] <= 1:
        return None
    low, high, size = span
    if size == int(of):
        return "statistically indistinguishable from every other ranked company"
    return (
        f"statistically indistinguishable group: places {low}–"
        f"{max(high, low + size - 1)} ({size} companies)"
    )
