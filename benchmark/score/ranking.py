"""Ranks with shared ties ("1, 2, 2, 4"), leaderboards and movement between editions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..values import edition_order
from .tables import edition_ends

SCOPES = {"overall": [], "sector": ["sector"], "country": ["country"]}


def shared_rank(scores: pd.Series) -> pd.Series:
    """Competition ranking on displayed scores: equal scores share the best rank."""
    return scores.rank(method="min", ascending=False).astype(int)


def add_ranks(scored: pd.DataFrame) -> pd.DataFrame:
    """Add rank_<scope>, its range and group, and of_<scope> per edition and scope.

    Only ranked companies (above the evidence threshold; every company in v1) get a rank;
    ``of_<scope>`` counts them. The rank is the competition rank of the shown score. Where a
    score carries an interval (v2), ``rank_<scope>_low``–``rank_<scope>_high`` is the range
    of places the intervals allow: best = 1 + the companies whose interval lies wholly above,
    worst = the ranked companies less those whose interval lies wholly below; and
    ``group_<scope>`` numbers the runs of statistically indistinguishable companies.
    """
    out = scored.copy()
    ranked = out["ranked"].astype(bool)
    for scope, extra in SCOPES.items():
        keys = ["edition", *extra]
        rank, low, high, group = _scope_ranks(out, ranked, keys)
        counts = ranked.groupby([out[k] for k in keys]).transform("sum")
        out[f"rank_{scope}"] = rank if not ranked.all() else rank.astype(int)
        out[f"rank_{scope}_low"] = low
        out[f"rank_{scope}_high"] = high
        out[f"group_{scope}"] = group
        out[f"of_{scope}"] = counts.astype(int)
    return out


def _scope_ranks(out: pd.DataFrame, ranked: pd.Series, keys: list[str]) -> list[pd.Series]:
    """Rank, its range and group of each ranked row within its ``keys`` (Int64; NA unranked).

    Filled as arrays group by group, then made columns once.
    """
    columns = np.zeros((4, len(out)), dtype="int64")  # rank, low, high, group
    filled = np.zeros(len(out), dtype=bool)
    by = keys if len(keys) > 1 else keys[0]
    for _, labels in out[ranked].groupby(by).groups.items():
        rows = out.index.get_indexer(labels)
        part = out.iloc[rows]
        rank = shared_rank(part["score_display"]).to_numpy()
        columns[0, rows] = rank
        if "score_low" in part and part["score_low"].notna().all():
            columns[1, rows], columns[2, rows] = rank_range(part["score_low"], part["score_high"])
            columns[3, rows] = indistinguishable_groups(
                part["score"], part["score_low"], part["score_high"], part["slug"]
            ).to_numpy()
        else:
            columns[1, rows] = columns[2, rows] = columns[3, rows] = rank
        filled[rows] = True
    return [
        pd.Series(pd.arrays.IntegerArray(column, ~filled), index=out.index) for column in columns
    ]


def rank_range(low: pd.Series, high: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst places the intervals allow, in O(n log n)."""
    lows = np.sort(low.to_numpy(dtype=float))
    highs = np.sort(high.to_numpy(dtype=float))
    n = len(lows)
    above = n - np.searchsorted(lows, high.to_numpy(dtype=float), side="right")
    below = np.searchsorted(highs, low.to_numpy(dtype=float), side="left")
    return 1 + above, n - below


def indistinguishable_groups(
    score: pd.Series, low: pd.Series, high: pd.Series, slug: pd.Series
) -> pd.Series:
    """Number runs of statistically indistinguishable companies, best first.

    A company joins the run of the one that leads it while its interval reaches that leader's
    low end; otherwise it leads a new run.
    """
    order = (
        pd.DataFrame({"score": score, "slug": slug})
        .sort_values(["score", "slug"], ascending=[False, True], kind="mergesort")
        .index
    )
    numbers = []
    number, leader_low = 0, np.inf
    for top, bottom in zip(high.loc[order].tolist(), low.loc[order].tolist(), strict=True):
        if top < leader_low:
            number += 1
            leader_low = bottom
        numbers.append(number)
    return pd.Series(numbers, index=order, dtype=int).reindex(score.index)


def add_movement(scored: pd.DataFrame, editions: pd.DataFrame) -> pd.DataFrame:
    """Add the company's previous edition, its score and rank there, and the change since."""
    order = edition_order(edition_ends(editions))
    position = {e: i for i, e in enumerate(order)}
    out = scored.copy()
    out["_order"] = out["edition"].map(position)
    out = out.sort_values(["slug", "_order"])
    prev = out.groupby("slug")[["edition", "score_display", "rank_overall"]].shift(1)
    out["previous_edition"] = prev["edition"]
    out["previous_score"] = prev["score_display"]
    out["previous_rank"] = prev["rank_overall"]
    out["score_change"] = (out["score_display"] - out["previous_score"]).round(4)
    out["rank_change"] = out["previous_rank"] - out["rank_overall"]
    return out.drop(columns="_order").sort_index()


def leaderboard(
    scored: pd.DataFrame, edition: str, scope: str = "overall", value: str | None = None
) -> pd.DataFrame:
    """One edition's leaderboard, best first; ``scope``/``value`` pick a sector or country."""
    rows = scored[scored["edition"] == edition]
    if scope != "overall":
        rows = rows[rows[scope] == value]
    return rows.sort_values([f"rank_{scope}", "name", "slug"])
