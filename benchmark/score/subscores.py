"""Per company and edition: figures with their probe counts, and the five sub-scores."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from ..methodology import Methodology
from .uncertainty import wilson

SUBSCORES = ("reachability", "speed", "quality", "transparency", "respect")
KEYS = ["slug", "edition"]


def company_figures(
    audits: pd.DataFrame, channels: pd.DataFrame, probes: pd.DataFrame, method: Methodology
) -> pd.DataFrame:
    """One row per audit: counts, rates, medians and sub-scores (0-100)."""
    out = audits.set_index(KEYS).copy()
    # promise_kept is True/False/None (object) or, when every probe has a promise, bool
    kept_objects = probes["promise_kept"].dtype == object
    # Means over floats, not objects (True/False/None): pandas' fast path, not a Python loop.
    probes = probes.assign(
        promise_kept=probes["promise_kept"].astype("float64"),
        marketing_probe=probes["marketing"] > 0,
    )
    g = probes.groupby(KEYS)
    out["probes"] = g.size()
    out["probes"] = out["probes"].fillna(0).astype(int)
    out["answered"] = g["answered"].sum().reindex(out.index).fillna(0).astype(int)
    out["response_rate"] = out["answered"] / out["probes"].replace(0, np.nan)
    out["response_rate_low"], out["response_rate_high"] = wilson(out["answered"], out["probes"])
    out["median_reply_seconds"] = g["reply_seconds"].median().reindex(out.index)
    out["median_reply_business_seconds"] = g["reply_business_seconds"].median().reindex(out.index)
    out["promised_probes"] = g["promise_kept"].count().reindex(out.index).fillna(0).astype(int)
    # typed as the mean over the column as it came (object over objects): dtypes unchanged
    kept_rate = g["promise_kept"].mean().reindex(out.index)
    out["promise_kept_rate"] = kept_rate.astype(object) if kept_objects else kept_rate
    out["quality_mean"] = g["quality_points"].mean().reindex(out.index)
    out["quality_probes"] = g["quality_points"].count().reindex(out.index).fillna(0).astype(int)
    out["redirected"] = g["redirected"].sum().reindex(out.index).fillna(0).astype(int)
    out["marketing_probes"] = g["marketing_probe"].sum().reindex(out.index).fillna(0).astype(int)
    out["limited_evidence"] = out["probes"] < method.minimum_probes
    out["probed_families"] = g["family"].nunique().reindex(out.index).fillna(0).astype(int)

    # reachability: response rate and (capped) breadth of contact families
    fams = out["families_offered"].fillna("")
    wanted = set(method.breadth_families)
    breadth_of = {text: len(wanted.intersection(text.split(","))) for text in set(fams)}
    out["breadth_families"] = fams.astype(object).map(breadth_of.__getitem__)
    breadth = out["breadth_families"].clip(upper=method.breadth_cap) / method.breadth_cap
    share = method.breadth_share
    out["reachability"] = 100 * ((1 - share) * out["response_rate"].fillna(0) + share * breadth)
    out["breadth_share"] = breadth

    out["speed"] = 100 * g["speed_points"].mean().reindex(out.index).fillna(0)
    out["quality"] = 100 * (
        g["quality_for_score"].mean().reindex(out.index).fillna(0) / method.quality_scale
    )

    declared_any = channels[
        channels["declared_seconds"].notna() & (channels["family"] != "self_service")
    ]
    if method.pooled:  # v2: only a channel that was probed counts
        probed = pd.MultiIndex.from_frame(probes[[*KEYS, "channel"]]).unique()
        declared_any = declared_any[
            pd.MultiIndex.from_frame(declared_any[[*KEYS, "type"]]).isin(probed)
        ]
    declares = pd.Series(True, index=pd.MultiIndex.from_frame(declared_any[KEYS]).unique())
    out["declares_response_time"] = declares.reindex(out.index).fillna(False).astype(bool)
    if method.pooled:
        return _pooled_subscores(out, g, method).reset_index()
    parts = method.transparency_parts
    out["transparency"] = 100 * (
        parts["hours_published"] * out["hours_published"].astype(float)
        + parts["declares_response_time"] * out["declares_response_time"].astype(float)
        + parts["promises_kept"] * out["promise_kept_rate"].fillna(0)
    )

    checks = pd.concat(
        [
            probes[[*KEYS, "respect_marketing"]].rename(columns={"respect_marketing": "ok"}),
            probes[[*KEYS, "respect_bot"]].rename(columns={"respect_bot": "ok"}),
            _bot_channel_checks(channels),
        ]
    ).dropna(subset=["ok"])
    respect = checks.groupby(KEYS)["ok"].agg(["mean", "count"])
    out["respect_checks"] = respect["count"].reindex(out.index).fillna(0).astype(int)
    out["respect"] = 100 * respect["mean"].reindex(out.index).fillna(1.0)
    return out.reset_index()


def _pooled_subscores(
    out: pd.DataFrame, g: DataFrameGroupBy[tuple[Hashable, ...], Literal[True]], method: Methodology
) -> pd.DataFrame:
    """Methodology v2: transparency and respect as means of per-probe values."""
    parts = method.transparency_parts
    out["promise_points_mean"] = g["promise_points"].mean().reindex(out.index)
    out["transparency"] = 100 * (
        parts["hours_published"] * out["hours_published"].astype(float)
        + parts["promises"] * out["promise_points_mean"].fillna(0)
    )
    checks = g[["respect_marketing", "respect_bot", "chatbot_ok"]].count().sum(axis=1)
    out["respect_checks"] = checks.reindex(out.index).fillna(0).astype(int)
    out["respect"] = 100 * g["respect_points"].mean().reindex(out.index).fillna(0)
    out["probe_part"] = g["probe_value"].mean().reindex(out.index)
    out["probe_value_ss"] = g["probe_value"].var(ddof=0).reindex(out.index) * out["probes"]
    return out


def _bot_channel_checks(channels: pd.DataFrame) -> pd.DataFrame:
    """A chatbot channel passes when it hands off or follows up (where that was recorded)."""
    bots = channels[channels["type"] == "chatbot"]
    known = bots["handoff"].notna() | bots["follows_up"].notna()
    bots = bots[known]
    ok = (
        bots["handoff"].fillna(False).astype(bool) | bots["follows_up"].fillna(False).astype(bool)
    ).astype(float)
    return pd.DataFrame({"slug": bots["slug"], "edition": bots["edition"], "ok": ok})


def channel_figures(probes: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """One row per company, edition and probed channel: rates, medians, threshold shares."""
    keys = [*KEYS, "channel", "family"]
    # Means over floats, not objects (True/False/None): pandas' fast path, not a Python loop.
    probes = probes.assign(promise_kept=probes["promise_kept"].astype("float64"))
    g = probes.groupby(keys)
    out = pd.DataFrame(
        {
            "probes": g.size(),
            "answered": g["answered"].sum().astype(int),
            "median_reply_seconds": g["reply_seconds"].median(),
            "median_reply_business_seconds": g["reply_business_seconds"].median(),
            "promised_probes": g["promise_kept"].count().astype(int),
            "promise_kept_rate": g["promise_kept"].mean(),
            "quality_mean": g["quality_points"].mean(),
        }
    )
    out["response_rate"] = out["answered"] / out["probes"]
    waited = probes["reply_seconds"].fillna(float("inf"))
    hits = {}
    for limit in sorted({t for limits in method.thresholds.values() for t in limits}):
        families = [f for f, limits in method.thresholds.items() if limit in limits]
        hit = (waited <= limit).astype("float64").where(probes["family"].isin(families))
        hits[f"within_{int(limit)}s"] = hit
    if hits:  # grouped once for every reference time
        means = pd.DataFrame(hits).groupby([probes[k] for k in keys]).mean()
        for column in hits:
            out[column] = means[column]
    return out.reset_index()
