"""Ranks with shared ties ("1, 2, 2, 4"), leaderboards and movement between editions."""

from __future__ import annotations

import pandas as pd

SCOPES = {"overall": [], "sector": ["sector"], "country": ["country"]}


def shared_rank(scores: pd.Series) -> pd.Series:
    """Competition ranking on displayed scores: equal scores share the best rank."""
    return scores.rank(method="min", ascending=False).astype(int)


def add_ranks(scored: pd.DataFrame) -> pd.DataFrame:
    """Add rank_overall, rank_sector, rank_country (and the size of each group) per edition."""
    out = scored.copy()
    for scope, extra in SCOPES.items():
        keys = ["edition", *extra]
        grouped = out.groupby(keys)["score_display"]
        out[f"rank_{scope}"] = grouped.transform(shared_rank).astype(int)
        out[f"of_{scope}"] = grouped.transform("size").astype(int)
    return out


def add_movement(scored: pd.DataFrame, editions: pd.DataFrame) -> pd.DataFrame:
    """Add the company's previous edition, its score and rank there, and the change since."""
    order = editions.sort_values(["end", "edition"])["edition"].tolist()
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


def leaderboard(scored: pd.DataFrame, edition: str, scope: str = "overall",
                value: str | None = None) -> pd.DataFrame:
    """One edition's leaderboard, best first; ``scope``/``value`` pick a sector or country."""
    rows = scored[scored["edition"] == edition]
    if scope != "overall":
        rows = rows[rows[scope] == value]
    return rows.sort_values([f"rank_{scope}", "name", "slug"])
