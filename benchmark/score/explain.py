"""`ccr explain`: how one company's score is made, term by term, down to the probes."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..methodology import Methodology
from . import Scores
from .subscores import SUBSCORES


def human_duration(seconds: float | None) -> str:
    """``2 h 25 min``, ``45 s``, ``3 d 4 h``; an em dash for none."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    s = round(float(seconds))
    if s < 60:
        return f"{s} s"
    minutes, s = divmod(s, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {s} s" if s and minutes < 10 else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} d" + (f" {hours} h" if hours else "")


def _pct(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def explain_terms(row: pd.Series, probes: pd.DataFrame, method: Methodology) -> list[str]:
    """The explanation lines for one scored company row."""
    w = method.weights
    share = method.breadth_share
    lines = [
        f"{row['name']} ({row['slug']}) — edition {row['edition']}, methodology "
        f"{method.version}",
        f"Score {row['score_display']:.{method.score_decimals}f}: grade {row['grade']}, "
        f"{row['tier']}; rank {row['rank_overall']} of {row['of_overall']} overall, "
        f"{row['rank_sector']} of {row['of_sector']} in {row['sector']}",
        f"Evidence: {row['probes']} probes"
        + (f" (limited evidence: fewer than {method.minimum_probes})"
           if row["limited_evidence"] else ""),
        "",
        "term = weight × sub-score (each term rounded to 4 decimals)",
    ]
    for sub in SUBSCORES:
        lines.append(f"  {sub:<13} {w[sub]:.2f} × {row[sub]:8.4f} = {row[f'term_{sub}']:.4f}")
    lines += [
        f"  {'score':<13} sum of terms = {row['score']:.4f} → "
        f"{row['score_display']:.{method.score_decimals}f} (rounded half up)",
        "",
        "reachability = 100 × ((1 − breadth share) × response rate + breadth share × breadth)",
        f"  response rate {row['answered']}/{row['probes']} answered by a person within "
        f"{human_duration(method.never_answered_after)} = {_pct(row['response_rate'])} "
        f"(95% interval {_pct(row['response_rate_low'])}–{_pct(row['response_rate_high'])})",
        f"  breadth {row['breadth_families']} contact families of {method.breadth_cap} counted "
        f"= {_pct(row['breadth_share'])}, breadth share {share:.2f}",
        "speed = 100 × mean speed points over all probes (never answered = 0)",
        "quality = 100 × mean quality points / "
        f"{method.quality_scale:g} over probes (never answered = 0, unmarked answers left out)",
        "transparency = 100 × ("
        + " + ".join(f"{v:.2f} × {k.replace('_', ' ')}"
                     for k, v in method.transparency_parts.items()) + ")",
        f"  hours published: {'yes' if row['hours_published'] else 'no'}; declares a response "
        f"time: {'yes' if row['declares_response_time'] else 'no'}; promises kept: "
        f"{_pct(row['promise_kept_rate'])} of {row['promised_probes']} promised probes",
        f"respect = 100 × share of {row['respect_checks']} checks passed (no marketing instead "
        "of an answer; a bot followed by a person; a chatbot that hands off or follows up)",
        "",
        "probes:",
    ]
    for p in probes.to_dict("records"):  # dicts: a tenth of iterrows' cost per row
        quality = ("—" if pd.isna(p["quality_points"])
                   else f"{p['quality_points']:.2f}/{method.quality_scale:g}")
        kept = ("" if pd.isna(p["promise_kept"])
                else f", promise {human_duration(p['promised_seconds'])} "
                + ("kept" if p["promise_kept"] else "broken"))
        state = (f"answered in {human_duration(p['reply_seconds'])} "
                 f"({human_duration(p['reply_business_seconds'])} business time)"
                 if p["answered"] else "never answered")
        lines.append(
            f"  #{p['probe'] + 1} {p['channel']}, sent {p['sent_at_text']}: {state}; "
            f"speed {p['speed_points']:.4f}, quality {quality}{kept}")
    return lines


def explain(scores: Scores, slug: str, edition: str | None = None) -> str:
    """The explanation of one company's score in one edition (default: its latest)."""
    rows = scores.companies[scores.companies["slug"] == slug]
    if rows.empty:
        raise UsageError(f"no scored company '{slug}'",
                         "give the slug, i.e. the file name in data/companies/ without .yaml")
    if edition is None:
        ends = scores.tables.editions.set_index("edition")["end"]
        edition = str(max(rows["edition"], key=lambda e: (ends[e], e)))
    match = rows[rows["edition"] == edition]
    if match.empty:
        raise UsageError(f"'{slug}' was not audited in edition '{edition}'",
                         "audited in: " + ", ".join(sorted(rows["edition"])))
    row = match.iloc[0]
    version = scores.tables.editions.set_index("edition").loc[edition, "methodology"]
    probes = scores.probes[(scores.probes["slug"] == slug) & (scores.probes["edition"] == edition)]
    return "\n".join(explain_terms(row, probes, scores.methodologies[str(version)])) + "\n"
