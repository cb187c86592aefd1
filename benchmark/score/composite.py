"""The composite score, its grade and tier.

Each term is weight × sub-score rounded to 4 decimals; the score is their sum. So the terms
that `ccr explain` lists add up to the score exactly, and the displayed score (rounded half
up to the methodology's decimals) can be recomputed by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..methodology import Methodology
from .subscores import SUBSCORES


def display_round(value: float, decimals: int) -> float:
    """Round half up at ``decimals`` (as people do by hand), from the 4-decimal value."""
    exact = Decimal(f"{value:.4f}")
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def band(value: float, bands: tuple[tuple[str, float], ...]) -> str:
    """The first band (highest first) whose lower bound the value reaches."""
    for name, lower in bands:
        if value >= lower:
            return name
    return bands[-1][0]


def composite(figures: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """Add term_<sub>, score, score_display, grade and tier columns (a copy)."""
    out = figures.copy()
    total = pd.Series(0.0, index=out.index)
    for sub in SUBSCORES:
        term = (method.weights[sub] * out[sub]).round(4)
        out[f"term_{sub}"] = term
        total = total + term
    out["score"] = total.round(4)
    out["score_display"] = [display_round(v, method.score_decimals) for v in out["score"]]
    out["grade"] = [band(v, method.grades) for v in out["score_display"]]
    out["tier"] = [band(v, method.tiers) for v in out["score_display"]]
    return out
