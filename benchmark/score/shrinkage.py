"""How sure a composite score is (methodology v2): empirical-Bayes shrinkage and intervals.

A company's v2 score is a fixed part (breadth and published hours: facts, not samples) plus
its *probe part*, the mean over its n probes of ``probe_value`` (benchmark/score/probes.py).
The probe part is noisy: one probe is one draw. The model, stated in docs/methodology.md:

    probe part  ȳ_c | μ_c ~ Normal(μ_c, σ² / n_c)      (σ²: variance of one probe's value)
    true part   μ_c       ~ Normal(m, τ²)              (τ²: spread between companies)

m, σ² and τ² are estimated from the *other* companies of the edition (leave-one-out, by the
method of moments), so a company's own probes never move its prior and improving a probe
can only raise its score. With fewer than ``prior_min_companies`` other companies the
methodology's fallback prior is used. Then

    B_c = (σ²/n_c) / (σ²/n_c + τ²)                 the shrinkage factor
    μ̂_c = m + (1 − B_c) (ȳ_c − m)                  the shrunk probe part
    V_c = (1 − B_c) σ² / n_c                       its posterior variance
    interval = μ̂_c ± z √V_c, clipped to [0, the probe part's maximum]

and the published score is fixed part + μ̂_c, its interval fixed part + the interval.
A one-probe company gets a wide interval, never a zero-width one.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from ..methodology import Methodology, Uncertainty


def probe_part_max(method: Methodology) -> float:
    """The largest value one probe can have (all its terms at full points)."""
    w = method.weights
    return 100 * (
        w["reachability"] * (1 - method.breadth_share)
        + w["speed"]
        + w["quality"]
        + w["transparency"] * method.transparency_parts["promises"]
        + w["respect"]
    )


def fixed_part(figures: pd.DataFrame, method: Methodology) -> pd.Series:
    """Breadth and published hours: the part of the score that is not sampled."""
    w = method.weights
    part: pd.Series = 100 * (
        w["reachability"] * method.breadth_share * figures["breadth_share"]
        + w["transparency"]
        * method.transparency_parts["hours_published"]
        * figures["hours_published"].astype(float)
    )
    return part


def z_value(level: float) -> float:
    """The two-sided normal quantile of an interval's nominal coverage (0.90 → 1.645)."""
    return NormalDist().inv_cdf((1 + level) / 2)


def _priors(
    n: np.ndarray, mean: np.ndarray, ss: np.ndarray, u: Uncertainty, top: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Leave-one-out prior mean, within variance, between variance and its company count."""
    probed = n > 0
    k = probed.sum()
    ybar = np.where(probed, mean, 0.0)
    own = probed.astype(float)
    others = k - own
    sum_y = ybar.sum() - ybar
    sum_y2 = (ybar**2).sum() - ybar**2
    dof = np.where(probed, n - 1, 0).sum() - np.where(probed, n - 1, 0)
    sum_ss = np.where(probed, ss, 0.0).sum() - np.where(probed, ss, 0.0)
    inv_n = np.where(probed, 1.0 / np.maximum(n, 1), 0.0)
    sum_inv = inv_n.sum() - inv_n
    with np.errstate(divide="ignore", invalid="ignore"):
        m = sum_y / others
        within = sum_ss / dof
        spread = (sum_y2 - others * m**2) / (others - 1)
        between = spread - within * sum_inv / others
    floor = (u.between_sd_floor * top) ** 2
    between = np.maximum(between, floor)
    fallback = (others < max(u.prior_min_companies, 2)) | (dof <= 0)
    m = np.where(fallback, u.fallback_mean * top, m)
    within = np.where(fallback, (u.fallback_within_sd * top) ** 2, within)
    between = np.where(fallback, (u.fallback_between_sd * top) ** 2, between)
    return m, within, between, np.where(fallback, 0, others)


def shrink(figures: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """Add the shrunk score, its interval and every step of the model (a copy).

    ``figures`` holds one methodology's companies with ``probes``, ``probe_part`` (mean
    probe value), ``probe_value_ss`` (sum of squared deviations) and the sub-score inputs.
    Each edition is its own pool.
    """
    u = method.uncertainty
    assert u is not None, "shrinkage needs a methodology with an uncertainty model"
    top = probe_part_max(method)
    z = z_value(u.interval)
    out = figures.copy()
    out["fixed_part"] = fixed_part(out, method)
    for column in ("prior_mean", "prior_within_var", "prior_between_var", "prior_companies"):
        out[column] = np.nan
    for _, rows in out.groupby("edition").groups.items():
        part = out.loc[rows]
        m, within, between, count = _priors(
            part["probes"].to_numpy(dtype=float),
            part["probe_part"].to_numpy(dtype=float),
            part["probe_value_ss"].fillna(0).to_numpy(dtype=float),
            u,
            top,
        )
        out.loc[rows, "prior_mean"] = m
        out.loc[rows, "prior_within_var"] = within
        out.loc[rows, "prior_between_var"] = between
        out.loc[rows, "prior_companies"] = count
    n = out["probes"].astype(float)
    noise = out["prior_within_var"] / n.where(n > 0)
    shrinkage = (noise / (noise + out["prior_between_var"])).fillna(1.0)
    ybar = out["probe_part"].fillna(out["prior_mean"])
    posterior = out["prior_mean"] + (1 - shrinkage) * (ybar - out["prior_mean"])
    variance = (1 - shrinkage) * noise.fillna(0) + shrinkage * out["prior_between_var"] * (n == 0)
    half = z * np.sqrt(variance)
    out["shrinkage"] = shrinkage
    out["probe_part_shrunk"] = posterior
    out["score_sd"] = np.sqrt(variance)
    out["score"] = (out["fixed_part"] + posterior).round(4)
    out["score_low"] = (out["fixed_part"] + (posterior - half).clip(lower=0)).round(4)
    out["score_high"] = (out["fixed_part"] + (posterior + half).clip(upper=top)).round(4)
    out["prior_companies"] = out["prior_companies"].astype(int)
    return out
