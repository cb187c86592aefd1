"""`ccr leaderboard`: an edition's leaderboard as a Markdown table, with notes below it.

``leaderboard_markdown`` chooses the edition (the latest published one by default) and the
scope (overall, one sector or one country) and checks them; ``leaderboard_text`` writes the
table of a board that ``score.ranking.leaderboard`` made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .values import edition_order, is_missing

if TYPE_CHECKING:
    from .methodology import Methodology
    from .score import Scores


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """Which leaderboard: the edition (None: the latest published), a sector or a country."""

    edition: str | None = None
    sector: str | None = None
    country: str | None = None
    top: int | None = None


def choose_edition(scores: Scores, edition: str | None) -> str:
    """``edition``, or the latest published one (a draft only when named); UsageError if unknown."""
    from .score.tables import edition_ends

    table = scores.tables.editions
    editions = edition_order(edition_ends(table))
    drafts = set(table.loc[table["draft"], "edition"])
    published = [e for e in editions if e not in drafts]
    chosen = edition or (published or editions)[-1]
    if chosen not in editions:
        raise UsageError(f"--edition {chosen}: no such edition", "known: " + ", ".join(editions))
    return str(chosen)


def leaderboard_markdown(scores: Scores, query: BoardQuery) -> str:
    """The leaderboard ``query`` names, as ``ccr leaderboard`` prints it."""
    from .score.ranking import leaderboard

    edition = choose_edition(scores, query.edition)
    if query.sector and query.country:
        raise UsageError("give --sector or --country, not both", "one leaderboard at a time")
    scope, value = (
        ("sector", query.sector)
        if query.sector
        else ("country", query.country)
        if query.country
        else ("overall", None)
    )
    board = leaderboard(scores.companies, edition, scope, value)
    if board.empty:
        raise UsageError(
            f"no company in {edition} with {scope} {value}",
            "check the spelling; sectors and countries are as in the data files",
        )
    method = scores.methodologies[
        str(scores.tables.editions.set_index("edition").loc[edition, "methodology"])
    ]
    return leaderboard_text(board, scope, method, query.top)


def _header(level: str | None) -> list[str]:
    interval = f" {level.replace(' ', '')} interval |" if level else ""
    return [
        "| rank | company | score |" + interval + " grade | tier | reach | speed | quality "
        "| transp. | respect | probes | movement |",
        "|---:|---|---:|"
        + (":-:|" if level else "")
        + ":-:|---|---:|---:|---:|---:|---:|---:|---|",
    ]


def _row(row: Any, scope: str, method: Methodology, level: str | None) -> str:
    """One company's line of the table."""
    from .render import standing
    from .score.subscores import SUBSCORES

    flag = " (limited evidence)" if row["limited_evidence"] and standing.is_ranked(row) else ""
    subs = " | ".join(f"{row[s]:.0f}" for s in SUBSCORES)
    move = (
        "new"
        if is_missing(row["previous_score"])
        else f"{row['score_change']:+.{method.score_decimals}f} since {row['previous_edition']}"
    )
    bounds = standing.interval(row, method)
    between = f" {'–'.join(bounds) if bounds else '—'} |" if level else ""
    return (
        f"| {standing.rank_range(row, scope) or 'unranked'} | {row['name']} | "
        f"{standing.score(row, method)} |{between} "
        f"{standing.grade_or_none(row) or '—'} | "
        f"{row['tier'] if standing.is_ranked(row) else '—'} | "
        f"{subs} | {row['probes']}{flag} | {move} |"
    )


def _groups_note(ranked: Any, scope: str, level: str) -> str:
    """What the ranks mean when they are the places the intervals allow."""
    from .render import standing

    groups = ranked.groupby(f"group_{scope}")[f"rank_{scope}"].agg(["min", "max"])
    if len(groups) == 1:
        shape = (
            f"{standing.all_of(len(ranked))} ranked companies are statistically indistinguishable"
        )
    else:
        spans = ", ".join(
            str(lo) if lo == hi else f"{lo}–{hi}"
            for lo, hi in zip(groups["min"], groups["max"], strict=True)
        )
        shape = (
            f"the {len(ranked)} ranked companies form {len(groups)} groups of "
            f"statistically indistinguishable scores, at places {spans}"
        )
    return f"Ranks are the places the {level.replace(' ', '')} intervals allow; {shape}."


def _unranked_note(unranked: int, method: Methodology, top: int | None) -> str:
    """Why some companies have no rank, and where they are listed."""
    from .render import standing

    one = unranked == 1
    where = (
        f"{'is' if one else 'are'} never in a top list"
        if top is not None
        else f"{'is' if one else 'are'} listed after the ranked ones"
    )
    return (
        f"Unranked — limited evidence: {unranked} "
        f"compan{'y' if one else 'ies'}, scored on fewer than "
        f"{standing.threshold(method)}, {where}, with no rank, grade or tier. "
        f"More probes in the next edition will rank {'it' if one else 'them'}."
    )


def leaderboard_text(board: Any, scope: str, method: Methodology, top: int | None = None) -> str:
    """``ccr leaderboard`` as Markdown, with what its ranks and unranked rows mean below.

    Ranked companies first, each score with its interval and each rank as the range of
    places the intervals allow; then the unranked ones, except with ``--top``: they are never
    in a top list.
    """
    from .render import standing

    level = standing.level(method)
    ranked = board[[standing.is_ranked(r) for _, r in board.iterrows()]]
    unranked = board[[not standing.is_ranked(r) for _, r in board.iterrows()]]
    shown = board if top is None else ranked.head(top)
    lines = _header(level) + [_row(row, scope, method, level) for _, row in shown.iterrows()]
    notes = []
    if level and len(ranked) > 1:
        notes.append(_groups_note(ranked, scope, level))
    if len(unranked):
        notes.append(_unranked_note(len(unranked), method, top))
    return "\n".join(lines) + "\n" + "".join(f"\n{n}\n" for n in notes)
