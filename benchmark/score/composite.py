"""The composite score, its grade and tier.

Each term is weight × sub-score rounded to 4 decimals; the score is their sum. So the terms
that `ccr explain` lists add up to the score exactly, and the displayed score (rounded half
up to the methodology's decimals) can be recomputed by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..methodology import Methodology, band
from .shrinkage import shrink
from .subscores import SUBSCORES


def display_round(value: float, decimals: int) -> float:
    """Round half up at ``decimals`` (as people do by hand), from the 4-decimal value."""
    exact = Decimal(f"{value:.4f}")
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def composite(figures: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """Add term_<sub>, score, score_display, grade and tier columns (a copy).

    v1: the score is the sum of the terms. v2: the sum of the terms is the *raw* score; the
    published score is shrunk toward the edition (benchmark/score/shrinkage.py), carries an
    interval, and only a company above the evidence threshold is ranked and graded.
    """
    out = figures.copy()
    total = pd.Series(0.0, index=out.index)
    for sub in SUBSCORES:
        term = (method.weights[sub] * out[sub]).round(4)
        out[f"term_{sub}"] = term
        total = total + term
    out["score"] = total.round(4)
    if method.pooled:
        out["raw_score"] = out["score"]
        out = shrink(out, method)
        out["ranked"] = (out["probes"] >= method.minimum_probes) & (
            out["probed_families"] >= method.minimum_probed_families
        )
    else:
        out["ranked"] = True
    decimals = method.score_decimals
    out["score_display"] = [display_round(v, decimals) for v in out["score"]]
    if method.pooled:
        out["score_low_display"] = [display_round(v, decimals) for v in out["score_low"]]
        out["score_high_display"] = [display_round(v, decimals) for v in out["score_high"]]
    grades = [band(v, method.grades) for v in out["score_display"]]
    tiers = [method.tier_of(g, v) for g, v in zip(grades, out["score_display"], strict=True)]
    out["grade"] = [g if r else None for g, r in zip(grades, out["ranked"], strict=True)]
    out["tier"] = [t if r else None for t, r in zip(tiers, out["ranked"], strict=True)]
    return out
