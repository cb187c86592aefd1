"""Per-probe outcomes: answered, reply times, speed and quality points, promise kept."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ..methodology import Methodology
from .business_time import business_seconds


def speed_points(seconds: pd.Series, full: pd.Series, zero: pd.Series) -> pd.Series:
    """1 at or under ``full``, 0 at or over ``zero``, falling on a log-time scale between."""
    s = seconds.clip(lower=1.0)
    lo, hi = np.log(full.clip(lower=1.0)), np.log(zero.clip(lower=2.0))
    points = 1 - (np.log(s) - lo) / (hi - lo)
    result: pd.Series = points.clip(0.0, 1.0).where(seconds.notna(), 0.0)
    return result


def probe_outcomes(probes: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """Add outcome columns to one methodology's probes (a copy; the input is untouched)."""
    p = probes.copy()
    if p.empty:
        return p
    calendar = (p["human_at"] - p["sent_at"]).dt.total_seconds()
    waited = calendar.fillna(np.inf)  # comparisons on NaN would warn; never answered = ∞
    p["answered"] = waited <= method.never_answered_after
    p["reply_seconds"] = calendar.where(p["answered"])
    p["reply_business_seconds"] = business_seconds(
        p["sent_at"],
        p["human_at"].where(p["answered"]),
        p["schedule"],
        p["country"] if method.public_holidays else None,
    )
    p["first_any_seconds"] = (p["first_at"] - p["sent_at"]).dt.total_seconds()
    full = p["family"].map({f: v[0] for f, v in method.speed.items()})
    zero = p["family"].map({f: v[1] for f, v in method.speed.items()})
    p["speed_points"] = speed_points(p["reply_business_seconds"], full, zero)
    marks = p[[f"q_{item}" for item in method.rubric]]
    applicable = marks.notna().sum(axis=1)
    met = marks.fillna(0).sum(axis=1)
    quality = (method.quality_scale * met / applicable.replace(0, np.nan)).where(p["answered"])
    p["quality_points"] = quality
    # for the sub-score: never answered counts 0; answered without marks is left out
    p["quality_for_score"] = quality.where(p["answered"], 0.0)
    # float columns both: an all-None column is object-typed, and filling from it would warn
    promise = p["ack_promised_seconds"].astype(float).fillna(p["declared_seconds"].astype(float))
    p["promised_seconds"] = promise
    p["promise_kept"] = (p["answered"] & (waited <= promise.fillna(-1))).where(promise.notna())
    p["redirected"] = p["redirected_to"].notna() & p["answered"]
    p["respect_marketing"] = (p["marketing"] == 0).astype(float)
    p["respect_bot"] = p["human_at"].notna().astype(float).where(p["first_by"] == "bot")
    p["next_day"] = (p["sent_at_local_date"] != p["human_at_local_date"]).where(p["answered"])
    if method.pooled:
        _pooled_outcomes(p, method)
    return p


def _pooled_outcomes(p: pd.DataFrame, method: Methodology) -> None:
    """Methodology v2: every probe-level term as a value per probe, and their weighted sum.

    A company's sub-scores (but breadth and published hours) are means of these over its
    probes, so its score is a fixed part plus the mean of ``probe_value``: the quantity the
    shrinkage model pools (benchmark/score/shrinkage.py).
    """
    if p["quality_for_score"].isna().any():
        raise DataError(
            "an answered probe has no applicable quality mark",
            "methodology v2 needs every rubric item marked; run ccr validate",
        )
    points = method.promise_points or {}
    p["promise_points"] = np.where(
        p["promise_kept"].isna(),
        points["none"],
        np.where(p["promise_kept"].astype(bool), points["kept"], points["broken"]),
    )
    checks = pd.concat(
        [p["respect_marketing"], p["respect_bot"], p["chatbot_ok"].astype("float64")], axis=1
    )
    p["respect_points"] = checks.mean(axis=1)  # the marketing check always applies
    p["probe_value"] = probe_value(p, method)


def probe_value(p: pd.DataFrame, method: Methodology) -> pd.Series:
    """100 × the weighted sum of one probe's terms (answered, speed, quality, promise, respect)."""
    w = method.weights
    parts = method.transparency_parts
    value: pd.Series = 100 * (
        w["reachability"] * (1 - method.breadth_share) * p["answered"].astype(float)
        + w["speed"] * p["speed_points"]
        + w["quality"] * p["quality_for_score"] / method.quality_scale
        + w["transparency"] * parts["promises"] * p["promise_points"]
        + w["respect"] * p["respect_points"]
    )
    return value
