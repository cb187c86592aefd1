"""Report figures chosen for their data (issue 17).

Companies with their intervals, response rate against evidence, sectors side by side, trends
across editions.

``report_figures`` is what an edition report shows after its key findings; it returns the
charts in the order they appear, each with its own caption and data table. Each figure is
made by a function of plain frames (the scored companies, the probes), so a test can hand it
a frame of two rows; a figure the data cannot carry (one company, one sector, no earlier
edition, too few probes) is left out — the report's sentences still say what there is.

``share_cards`` draws the Open Graph preview images (1200 × 630 PNG): one for the home page,
one per edition report and one per edition shared by all its company pages.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..methodology import Methodology
from ..values import out_of, percent, plural
from . import standing
from .charts import (
    Chart,
    ExportStore,
    card_png,
    card_spec,
    funnel,
    interval_dots,
    small_multiples,
    trend,
)
from .common import Context, channel_name, html_table, records, sector_name
from .text import text

ALL_UP_TO = 60  # a dot plot names every ranked company up to this many; above, the extremes
EXTREMES = 20  # companies shown at each end of a larger edition
MIN_FUNNEL = 10  # companies a funnel plot needs, with at least two different probe counts
MIN_PROBES = 5  # probes a sector's channel needs to be a bar of the small multiples
Z95, Z998 = 1.959964, 3.090232  # two-sided normal quantiles of the control limits


def report_figures(ctx: Context, edition: str) -> list[Chart]:
    """The report's figures for ``edition``, in the order they appear (possibly none)."""
    companies = ctx.scores.companies
    scored = companies[companies["edition"] == edition]
    probes = ctx.scores.probes[ctx.scores.probes["edition"] == edition]
    found = [
        interval_plot(scored, edition, ctx.method(edition)),
        funnel_plot(scored, edition),
        sector_panels(scored, probes, edition),
        sector_trends(companies, edition, _earlier(ctx, edition)),
    ]
    return [c for c in found if c is not None]


def _earlier(ctx: Context, edition: str) -> list[tuple[str, str]]:
    """The editions up to and including ``edition``, oldest first: (id, label as shown)."""
    order = list(reversed(ctx.edition_order()))
    upto = order[: order.index(edition) + 1] if edition in order else [edition]
    labels = {e: str(ctx.editions.get(e, {}).get("period", {}).get("start", e))[:7] for e in upto}
    if len(set(labels.values())) < len(labels):  # two editions in one month: their ids
        labels = {e: e for e in upto}
    return [(e, labels[e]) for e in upto]


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """A display name per slug, unique: a repeated name gets its domain."""
    counts = frame["name"].value_counts()
    return {
        str(r["slug"]): str(r["name"]) + (f" ({r['domain']})" if counts[r["name"]] > 1 else "")
        for r in records(frame, ("slug", "name", "domain"))
    }


def interval_plot(scored: pd.DataFrame, edition: str, method: Methodology) -> Chart | None:
    """The ranked companies' scores with their intervals (methodology v2), best first.

    Up to ``ALL_UP_TO`` ranked companies are all shown; a larger edition shows its
    ``EXTREMES`` highest and lowest, and says so. None without intervals (v1) or with fewer
    than two ranked companies.
    """
    level = standing.level(method)
    if level is None or "score_low" not in scored or scored.empty:
        return None
    ranked = standing.ranked_rows(scored)
    ranked = ranked[ranked["score_low_display"].notna() & ranked["score_high_display"].notna()]
    if len(ranked) < 2:
        return None
    ranked = ranked.sort_values(["rank_overall", "name", "slug"])
    names = _names(ranked)
    n = len(ranked)
    if n > ALL_UP_TO:
        parts = [
            (f"{EXTREMES} highest", ranked.head(EXTREMES)),
            (f"{EXTREMES} lowest", ranked.tail(EXTREMES)),
        ]
        title = "Highest and lowest scores, with their intervals"
        shown = (
            f"The {EXTREMES} highest and the {EXTREMES} lowest of the {n} ranked "
            f"companies' scores (dot), each with its {level} interval (line); the other "
            f"{n - 2 * EXTREMES} are on the leaderboard."
        )
    else:
        parts = [("all", ranked)]
        title = "Scores with their intervals"
        shown = (
            f"The scores of all {n} ranked companies (dot), each with its {level} interval (line)."
        )
    rows: list[dict[str, Any]] = []
    table: list[list[str]] = []
    for group, frame in parts:
        for r in records(frame):
            name = names[str(r["slug"])]
            place = standing.rank_range(r) or "—"
            score, (low, high) = standing.score(r, method), standing.interval(r, method) or ("", "")
            rows.append(
                {
                    "label": name,
                    "order": len(rows),
                    "group": group,
                    "score": round(float(r["score_display"]), 2),
                    "low": round(float(r["score_low_display"]), 2),
                    "high": round(float(r["score_high_display"]), 2),
                    "rank": place,
                    "shown_label": f"{place}. {name} — {score} [{low}–{high}]",
                }
            )
            table.append([text(place), text(name), text(score), text(low), text(high)])
    overlap = _overlapping(ranked)
    caption = text(
        f"{shown} Companies whose lines overlap cannot be told apart by the data"
        + (f"; the first place overlaps {overlap} others." if overlap else ".")
        + f" Edition {edition}."
    )
    return interval_dots(
        f"charts/editions/{edition}/scores-intervals.json",
        rows,
        caption=caption,
        title=title,
        edition=edition,
        level=level,
        table=html_table(
            ["Place", "Company", "Score", f"{text(level)} interval from", "to"],
            table,
            "ccr-data-table",
            numeric={2, 3, 4},
        ),
    )


def _overlapping(ranked: pd.DataFrame) -> int:
    """How many other ranked companies' intervals reach the leader's interval."""
    top = ranked.iloc[0]
    rest = ranked.iloc[1:]
    return int((rest["score_high_display"] >= top["score_low_display"]).sum())


def control_limits(p: float, n: float, z: float) -> tuple[float, float]:
    """The binomial control limits of a share ``p`` over ``n`` trials: ``p ± z √(p(1−p)/n)``.

    The normal approximation, clipped to 0–1.
    """
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def funnel_plot(scored: pd.DataFrame, edition: str) -> Chart | None:
    """Each company's response rate against its number of probes, with control limits.

    The line is the edition's overall rate (answered ÷ probes, all companies); the funnels
    are its 95 % and 99.8 % binomial limits at each number of probes. A company outside the
    99.8 % funnel differs from the edition by more than chance in its few probes explains.
    Companies on the same point are one circle, sized by how many they are.
    """
    frame = scored[scored["probes"] > 0]
    if len(frame) < MIN_FUNNEL or frame["probes"].nunique() < 2:
        return None
    total, answered = int(frame["probes"].sum()), int(frame["answered"].sum())
    p = answered / total
    if p in (0.0, 1.0):
        return None  # no spread: every probe answered, or none
    low_n, high_n = int(frame["probes"].min()), int(frame["probes"].max())
    steps = sorted({low_n, high_n} | {round(low_n + (high_n - low_n) * i / 40) for i in range(41)})
    limits = []
    for name, z in (("95 % limits", Z95), ("99.8 % limits", Z998)):
        for n in steps:
            lo, hi = control_limits(p, n, z)
            limits += [
                {"probes": n, "rate": round(lo, 4), "line": name, "side": "lower"},
                {"probes": n, "rate": round(hi, 4), "line": name, "side": "upper"},
            ]
    points, table = [], []
    below = above = 0
    groups = frame.groupby(["probes", "answered"]).size()
    for (n, k), count in zip(groups.index, groups, strict=True):
        n, k, count = int(n), int(k), int(count)
        rate = k / n
        lo95, hi95 = control_limits(p, n, Z95)
        lo, hi = control_limits(p, n, Z998)
        where = (
            "below the 99.8 % limits"
            if rate < lo
            else "above the 99.8 % limits"
            if rate > hi
            else "outside the 95 % limits"
            if not lo95 <= rate <= hi95
            else "within the limits"
        )
        below += count if rate < lo else 0
        above += count if rate > hi else 0
        companies = f"{count} {plural(count, 'company', 'companies')}"
        points.append(
            {
                "probes": n,
                "rate": round(rate, 4),
                "companies": count,
                "shown": f"{companies}: {k} of {n} answered ({percent(rate)})",
            }
        )
        table.append([str(n), str(k), percent(rate), str(count), where])
    outside = (
        "no company lies outside the 99.8 % limits: the differences are what chance "
        "alone gives with so few probes each"
        if not below + above
        else f"{below} {plural(below, 'company', 'companies')} below and {above} above the "
        "99.8 % limits differ from the edition by more than chance"
    )
    caption = text(
        f"Each company's share of probes answered by a person against the number "
        f"of its probes; the line is the edition's rate ({percent(p)}, {answered} of "
        f"{total}), the dashed funnels its 95 % and 99.8 % limits. "
        f"{outside[0].upper() + outside[1:]} (edition {edition})."
    )
    return funnel(
        f"charts/editions/{edition}/response-rate-funnel.json",
        points,
        limits,
        round(p, 4),
        caption=caption,
        title="Response rate against the number of probes",
        edition=edition,
        table=html_table(
            ["Probes", "Answered by a person", "Share", "Companies", "Position"],
            table,
            "ccr-data-table",
            numeric={0, 1, 2, 3},
        ),
    )


def sector_panels(scored: pd.DataFrame, probes: pd.DataFrame, edition: str) -> Chart | None:
    """The response rate by channel, a panel per sector on one shared 0–100 % scale.

    A channel is a bar where the sector has at least ``MIN_PROBES`` probes of it. None for
    an edition of one sector, or when no sector has two channels to compare.
    """
    if probes.empty or scored["sector"].nunique() < 2:
        return None
    joined = probes.merge(scored[["slug", "sector"]], on="slug", how="inner")
    counts = joined.groupby(["sector", "channel"])["answered"].agg(["sum", "size"])
    counts = counts[counts["size"] >= MIN_PROBES]
    sectors = [
        s for s in sorted(set(counts.index.get_level_values(0)), key=str) if len(counts.loc[s]) >= 2
    ]
    if len(sectors) < 2:
        return None
    rows, table = [], []
    for sector in sectors:
        name = sector_name(str(sector))
        for channel, r in sorted(
            counts.loc[sector].iterrows(), key=lambda kv: channel_name(str(kv[0]))
        ):
            k, n = int(r["sum"]), int(r["size"])
            shown = f"{percent(k / n)} ({out_of(k, n)})"
            rows.append(
                {
                    "facet": name,
                    "label": channel_name(str(channel)),
                    "value": round(k / n, 4),
                    "shown": shown,
                }
            )
            table.append([text(name), text(channel_name(str(channel))), text(shown)])
    caption = text(
        f"Share of each sector's probes a person answered, by channel, one panel "
        f"per sector on the same scale; channels with at least {MIN_PROBES} probes "
        f"in the sector (edition {edition})."
    )
    return small_multiples(
        f"charts/editions/{edition}/sectors-response-rate.json",
        rows,
        caption=caption,
        title="Answered by a person, by channel and sector",
        axis_title="share of the sector's probes answered by a person",
        edition=edition,
        table=html_table(
            ["Sector", "Channel", "Answered by a person"], table, "ccr-data-table", numeric={2}
        ),
    )


def sector_trends(
    companies: pd.DataFrame, edition: str, editions: list[tuple[str, str]]
) -> Chart | None:
    """The response rate of each of the edition's sectors across the editions that audited it.

    ``editions``: (id, label) up to and including ``edition``, oldest first. Only sectors
    audited in ``edition`` and in at least one earlier edition are drawn; None when there
    are none (every sector is new).
    """
    ids = [e for e, _ in editions]
    label = dict(editions)
    frame = companies[companies["edition"].isin(ids) & (companies["probes"] > 0)]
    sums = frame.groupby(["sector", "edition"])[["answered", "probes"]].sum()
    current = set(frame.loc[frame["edition"] == edition, "sector"])
    rows, table = [], []
    for sector in sorted(current, key=str):
        seen = [e for e in ids if (sector, e) in sums.index]
        if len(seen) < 2:
            continue
        name = sector_name(str(sector))
        for e in seen:
            k, n = int(sums.loc[(sector, e), "answered"]), int(sums.loc[(sector, e), "probes"])
            shown = f"{percent(k / n)} ({out_of(k, n)})"
            rows.append(
                {"label": label[e], "series": name, "value": round(k / n, 4), "shown": shown}
            )
            table.append([text(name), text(label[e]), text(shown)])
    if not rows:
        return None
    caption = text(
        "Share of probes a person answered in each sector audited in more than "
        "one edition, edition by edition (by the period each began; up to edition "
        f"{edition}). Editions differ in market and questions: read the change, "
        "not a single point."
    )
    return trend(
        f"charts/editions/{edition}/sectors-trend.json",
        rows,
        [label[e] for e in ids],
        caption=caption,
        title="Answered by a person, sector by sector, over time",
        axis_title="share of the sector's probes answered",
        edition=edition,
        table=html_table(
            ["Sector", "Edition", "Answered by a person"], table, "ccr-data-table", numeric={2}
        ),
    )


# Open Graph preview cards.
def share_cards(ctx: Context, store: ExportStore | None = None) -> dict[str, bytes]:
    """The preview images (1200 × 630 PNG) by site path.

    The home card, and per edition its report's card and the one card all its company pages
    share (``company-card.png``: one image, not one per company, so the build stays within
    its budget at 10,000 companies). ``store``: the build's export cache.
    """
    out: dict[str, bytes] = {}
    published = ctx.published_order()
    for edition in ctx.edition_order():
        for path, spec in _cards(ctx, edition).items():
            out[path] = card_png(spec, store)
    if published:
        out["charts/home/card.png"] = out[f"charts/editions/{published[0]}/card.png"]
        out["charts/home/company-card.png"] = out[
            f"charts/editions/{published[0]}/company-card.png"
        ]
    else:
        out["charts/home/card.png"] = card_png(
            card_spec(
                kicker="An open benchmark of how companies answer their customers",
                headline="",
                detail="No edition published yet",
                footer="",
            ),
            store,
        )
    return out


def _cards(ctx: Context, edition: str) -> dict[str, dict[str, Any]]:
    doc = ctx.editions.get(edition, {})
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    total, answered = int(scored["probes"].sum()), int(scored["answered"].sum())
    headline = percent(answered / total) if total else "—"
    title = str(doc.get("title", edition))
    footer = f"Edition {edition} · {len(scored)} companies · data and method in the open"
    return {
        f"charts/editions/{edition}/card.png": card_spec(
            kicker=title,
            headline=headline,
            detail=f"of {total} questions were answered by a person",
            footer=footer,
        ),
        f"charts/editions/{edition}/company-card.png": card_spec(
            kicker=title,
            headline=f"{len(scored)} companies",
            detail="each scored from its own probes, shown one by one",
            footer=footer,
        ),
    }
