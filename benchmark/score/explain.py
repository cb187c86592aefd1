"""`ccr explain`: how one company's score is made, term by term, down to the probes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import pandas as pd

from ..errors import UsageError
from ..methodology import Methodology
from ..values import edition_order, human_duration, is_missing, percent, plural
from . import Scores
from .shrinkage import probe_part_max, z_value
from .subscores import SUBSCORES
from .tables import edition_ends

# One scored company row: a row of Scores.companies, or the same row as a plain record.
Row: TypeAlias = "pd.Series[Any] | Mapping[str, Any]"


def explain_terms(row: Row, probes: pd.DataFrame, method: Methodology) -> list[str]:
    """The explanation lines for one scored company row."""
    w = method.weights
    share = method.breadth_share
    lines = [
        f"{row['name']} ({row['slug']}) — edition {row['edition']}, methodology {method.version}",
        _headline(row, method),
        _evidence(row, method),
        "",
        "term = weight × sub-score (each term rounded to 4 decimals)",
    ]
    for sub in SUBSCORES:
        lines.append(f"  {sub:<13} {w[sub]:.2f} × {row[sub]:8.4f} = {row[f'term_{sub}']:.4f}")
    if method.pooled:
        lines += [
            f"  {'raw score':<13} sum of terms = {row['raw_score']:.4f}",
            "",
            *_shrinkage_lines(row, method),
        ]
    else:
        lines.append(
            f"  {'score':<13} sum of terms = {row['score']:.4f} → "
            f"{row['score_display']:.{method.score_decimals}f} (rounded half up)"
        )
    lines += [
        "",
        "reachability = 100 × ((1 − breadth share) × response rate + breadth share × breadth)",
        f"  response rate {row['answered']}/{row['probes']} answered by a person within "
        f"{human_duration(method.never_answered_after)} = {percent(row['response_rate'], 1)} "
        f"(95% interval {percent(row['response_rate_low'], 1)}–"
        f"{percent(row['response_rate_high'], 1)})",
        f"  breadth {row['breadth_families']} contact families of {method.breadth_cap} counted "
        f"= {percent(row['breadth_share'], 1)}, breadth share {share:.2f}",
        "speed = 100 × mean speed points over all probes (never answered = 0)",
        "quality = 100 × mean quality points / "
        f"{method.quality_scale:g} over probes (never answered = 0"
        + (")" if method.quality_complete else ", unmarked answers left out)"),
        *_transparency_respect(row, method),
        "",
        "probes:",
    ]
    for p in probes.to_dict("records"):  # dicts: a tenth of iterrows' cost per row
        quality = (
            "—"
            if is_missing(p["quality_points"])
            else f"{p['quality_points']:.2f}/{method.quality_scale:g}"
        )
        kept = (
            ""
            if is_missing(p["promise_kept"])
            else f", promise {human_duration(p['promised_seconds'])} "
            + ("kept" if p["promise_kept"] else "broken")
        )
        state = (
            f"answered in {human_duration(p['reply_seconds'])} "
            f"({human_duration(p['reply_business_seconds'])} business time)"
            if p["answered"]
            else "never answered"
        )
        value = f"; probe value {p['probe_value']:.4f}" if method.pooled else ""
        lines.append(
            f"  #{p['probe'] + 1} {p['channel']}, sent {p['sent_at_text']}: {state}; "
            f"speed {p['speed_points']:.4f}, quality {quality}{kept}{value}"
        )
    return lines


def _shown(value: float, method: Methodology) -> str:
    return f"{value:.{method.score_decimals}f}"


def _places(row: Row, scope: str) -> str:
    low, high = row[f"rank_{scope}_low"], row[f"rank_{scope}_high"]
    return f"{low}" if low == high else f"{low}–{high}"


def _headline(row: Row, method: Methodology) -> str:
    """``Score 44 (90% interval 36–51): grade D, …; rank 1–137 of 137 overall, …``."""
    score = f"Score {_shown(row['score_display'], method)}"
    if method.pooled:
        level = method.uncertainty.interval if method.uncertainty else 0
        score += (
            f" ({100 * level:g}% interval {_shown(row['score_low_display'], method)}–"
            f"{_shown(row['score_high_display'], method)})"
        )
    if not row["ranked"]:
        return f"{score}: unranked — limited evidence (no rank, no grade)"
    if not method.pooled:
        return (
            f"{score}: grade {row['grade']}, {row['tier']}; rank {row['rank_overall']} of "
            f"{row['of_overall']} overall, {row['rank_sector']} of {row['of_sector']} in "
            f"{row['sector']}"
        )
    return (
        f"{score}: grade {row['grade']}, {row['tier']}; rank {_places(row, 'overall')} of "
        f"{row['of_overall']} overall, {_places(row, 'sector')} of {row['of_sector']} in "
        f"{row['sector']}"
    )


def _evidence(row: Row, method: Methodology) -> str:
    probes = f"Evidence: {row['probes']} probes"
    if not method.pooled:
        return probes + (
            f" (limited evidence: fewer than {method.minimum_probes})"
            if row["limited_evidence"]
            else ""
        )
    count = int(row["probed_families"])
    families = f"{count} channel {plural(count, 'family', 'families')}"
    rule = (
        f"ranked from {method.minimum_probes} probes in at least "
        f"{method.minimum_probed_families} channel "
        f"{plural(method.minimum_probed_families, 'family', 'families')}"
    )
    if row["ranked"]:
        return f"{probes} in {families} ({rule})"
    return (
        f"{probes} in {families}: unranked — limited evidence ({rule}; more probes in the "
        "next edition will rank it)"
    )


def _transparency_respect(row: Row, method: Methodology) -> list[str]:
    parts = method.transparency_parts
    formula = (
        "transparency = 100 × ("
        + " + ".join(f"{v:.2f} × {k.replace('_', ' ')}" for k, v in parts.items())
        + ")"
    )
    hours = f"hours published: {'yes' if row['hours_published'] else 'no'}"
    if not method.pooled:
        return [
            formula,
            f"  {hours}; declares a response time: "
            f"{'yes' if row['declares_response_time'] else 'no'}; promises kept: "
            f"{percent(row['promise_kept_rate'], 1)} of {row['promised_probes']} promised probes",
            f"respect = 100 × share of {row['respect_checks']} checks passed (no marketing "
            "instead of an answer; a bot followed by a person; a chatbot that hands off or "
            "follows up)",
        ]
    points = method.promise_points or {}
    return [
        formula.replace("promises)", "mean promise points)"),
        f"  {hours}; promise points per probe: kept {points['kept']:g}, none "
        f"{points['none']:g}, broken {points['broken']:g}; mean "
        f"{row['promise_points_mean']:.4f} ({row['promised_probes']} probes promised a time, "
        f"{percent(row['promise_kept_rate'], 1)} kept)",
        f"respect = 100 × mean over probes of the share of that probe's checks passed "
        f"({row['respect_checks']} checks: no marketing instead of an answer; a bot followed "
        "by a person; a probed chatbot that hands off or follows up)",
    ]


def _shrinkage_lines(row: Row, method: Methodology) -> list[str]:
    """The v2 step from the raw score to the published one, with every number it uses."""
    u = method.uncertainty
    assert u is not None
    n = int(row["probes"])
    within, between = row["prior_within_var"], row["prior_between_var"]
    prior = (
        f"estimated from the other {int(row['prior_companies'])} companies of the edition"
        if row["prior_companies"]
        else "the methodology's fallback prior (too few other companies)"
    )
    z = z_value(u.interval)
    w = method.weights
    return [
        'shrinkage (empirical Bayes; docs/methodology.md, "Uncertainty"):',
        f"  fixed part = 100 × ({w['reachability']:.2f} × {method.breadth_share:.2f} × breadth "
        f"+ {w['transparency']:.2f} × {method.transparency_parts['hours_published']:.2f} × "
        f"hours published) = {row['fixed_part']:.4f}",
        f"  probe part ȳ = mean probe value over {n} probes = {row['probe_part']:.4f}",
        f"  prior, {prior}: mean m = {row['prior_mean']:.4f}, between companies τ² = "
        f"{between:.4f}, one probe σ² = {within:.4f}",
        f"  B = (σ²/n) / (σ²/n + τ²) = {row['shrinkage']:.6f}",
        f"  shrunk probe part = m + (1 − B) × (ȳ − m) = {row['probe_part_shrunk']:.4f}",
        f"  {'score':<13} fixed part + shrunk probe part = {row['score']:.4f} → "
        f"{_shown(row['score_display'], method)} (rounded half up)",
        f"  {100 * u.interval:g}% interval = score ± {z:.7f} × √((1 − B) × σ²/n) = "
        f"{row['score_low']:.4f}–{row['score_high']:.4f} (probe part kept within 0–"
        f"{probe_part_max(method):g}) → {_shown(row['score_low_display'], method)}–"
        f"{_shown(row['score_high_display'], method)}",
    ]


def explain(scores: Scores, slug: str, edition: str | None = None) -> str:
    """The explanation of one company's score in one edition (default: its latest)."""
    rows = scores.companies[scores.companies["slug"] == slug]
    if rows.empty:
        raise UsageError(
            f"no scored company '{slug}'",
            "give the slug, i.e. the file name in data/companies/ without .yaml",
        )
    if edition is None:
        ends = edition_ends(scores.tables.editions)
        edition = edition_order({str(e): ends[e] for e in rows["edition"]})[-1]
    match = rows[rows["edition"] == edition]
    if match.empty:
        raise UsageError(
            f"'{slug}' was not audited in edition '{edition}'",
            "audited in: " + ", ".join(sorted(rows["edition"])),
        )
    row = match.iloc[0]
    version = scores.tables.editions.set_index("edition").loc[edition, "methodology"]
    probes = scores.probes[(scores.probes["slug"] == slug) & (scores.probes["edition"] == edition)]
    return "\n".join(explain_terms(row, probes, scores.methodologies[str(version)])) + "\n"
