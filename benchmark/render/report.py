"""The edition report: title, scope and key findings first; then figures, sections, companies.

Every statistic sits in a section. A statistic a chart shows is a row of that chart's data
table (its value and the counts it rests on); one without a chart (a single bar, only zeros)
is a sentence written from its numbers. The page body is the ``report.html`` template.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..values import human_duration, plural
from . import standing, survival
from .charts import Chart, bars, buckets, cumulative, still_waiting
from .common import (
    Context,
    board_url,
    channel_name,
    company_url,
    country_name,
    demo_banner,
    draft_banner,
    html_table,
    records,
    rel,
    report_url,
    sector_name,
)
from .figures import report_figures
from .jinja import render_template
from .sentences import (
    SECTIONS,
    Section,
    _family,
    _kn,
    basis,
    by_channel,
    parameters,
    section_of,
    sentence,
    short_label,
    short_value,
)
from .text import front_matter, text

# The statistics whose sentences join the key findings (after the response rate by channel
# and the shape of the ranking), in this order, when the edition has them.
KEY_FINDINGS = (
    "chat_promise_kept",
    "email_declared",
    "hours_published",
    "email_within_6h",
    "callback_never",
    "all_contact_families",
)
LIST_UP_TO = 500  # companies an edition report lists by name; a larger edition links the A–Z index


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in records(frame)]


@dataclass(frozen=True, slots=True)
class Measure:
    """What one chart shows: statistics of one measure, over one kind of denominator."""

    key: str  # the chart's file name part; None-like "" means: sentences only, no chart
    axis: str  # the axis title: the unit and, for a share, its denominator
    title: str  # the chart's title


REACH = Measure("reach", "share of companies", "How companies can be reached")
CHAT_ONLY = Measure("chat-only", "companies", "Companies reachable by chat alone")
# One chart per measure: a statistic's measure (its ``measure`` field) → its chart. Statistics
# of one section with different measures get different charts; a chart with one bar, or only
# zeros, is a sentence.
MEASURES: tuple[tuple[str, Measure], ...] = (
    (
        "channel_offered",
        Measure("offered", "share of companies", "Companies offering each channel"),
    ),
    ("all_contact_families", REACH),
    ("email_only", REACH),
    ("callback_offered", REACH),
    ("proactive_chat", REACH),
    ("companies_redirecting", REACH),
    ("chat_only", CHAT_ONLY),
    ("chat_only_bot_only", CHAT_ONLY),
    ("language", Measure("languages", "share of companies", "Website languages")),
    ("country", Measure("countries", "share of companies", "Where the companies are based")),
    ("hours_published", Measure("hours", "share of companies", "Published hours")),
    (
        "email_declared",
        Measure(
            "email-declared",
            "share of companies with e-mail or a form",
            "E-mail response time declared",
        ),
    ),
    (
        "chat_declared",
        Measure("chat-declared", "share of live chats", "Live chats that declare a response time"),
    ),
    (
        "callback_declared",
        Measure(
            "callback-declared", "share of companies offering a callback", "Callback time declared"
        ),
    ),
    ("callback_never", Measure("never", "share of callback requests", "Never called back")),
    ("callback_max_undeclared", Measure("longest", "hours", "Longest wait for a call")),
    ("callback_median", Measure("median", "hours", "Median wait for a call")),
    (
        "chat_promise_kept",
        Measure("kept", "share of chat probes with a declared time", "Chat promises kept"),
    ),
    ("chat_tail_5min", Measure("tail", "share of chat probes", "No person within 5 minutes")),
    ("chatbot_share", Measure("chatbots", "share of companies with a chat", "Chatbots")),
    ("bot_only", Measure("bot-only", "share of chatbots", "Bot-only chats")),
    ("bot_first", Measure("bot-first", "share of probes", "First answered by a bot")),
    (
        "bot_first_no_person",
        Measure("no-person", "share of probes a bot answered first", "No person after the bot"),
    ),
    (
        "email_within_6h",
        Measure("within-6h", "share of e-mail and form probes", "E-mail answered within 6 hours"),
    ),
    ("marketing_after_no_answer", Measure("marketing", "probes", "Marketing mail instead")),
    ("fast_good_email", Measure("fast-good", "share of companies", "Fast, good e-mail answers")),
    ("email_quality_mean", Measure("quality", "points of {scale}", "E-mail answer quality")),
    ("email_quality_ratio", Measure("quality-ratio", "ratio", "E-mail quality by sector")),
    (
        "within",
        Measure("within", "share of probes answered by a person", "Answered within a given time"),
    ),
    (
        "response_rate",
        Measure("rate", "share of probes", "Questions a person answered, by channel"),
    ),
    (
        "median_reply",
        Measure("median", "hours, median (calendar time)", "Median reply time by channel"),
    ),
    ("mean_reply", Measure("", "hours", "")),  # a mean of skewed times: sentence only
    (
        "next_day",
        Measure("next-day", "share of answered probes", "Answered only on a later day"),
    ),
    (
        "not_answered_at_once",
        Measure("missed", "share of replies", "Replies that missed the question"),
    ),
    (
        "redirect",
        Measure("redirect", "share of answered probes", "Answers that redirected the customer"),
    ),
    ("no_solution", Measure("share", "share of replies", "No solution offered")),
    (
        "data_unexplained",
        Measure(
            "share", "share of replies that asked for data", "Data asked for without saying why"
        ),
    ),
    (
        "polite_literate",
        Measure("share", "share of replies", "Polite, with correct spelling and punctuation"),
    ),
    (
        "personal",
        Measure("share", "share of replies", "Greeted the customer, signed by a person"),
    ),
    (
        "helpdesk",
        Measure(
            "helpdesk",
            "share of companies where known",
            "Companies answering from a helpdesk system",
        ),
    ),
    (
        "helpdesk_quality_ratio",
        Measure("quality-ratio", "ratio", "E-mail quality with a helpdesk ÷ without"),
    ),
    (
        "helpdesk_speed_ratio",
        Measure("speed-ratio", "ratio", "Median e-mail reply time with a helpdesk ÷ without"),
    ),
)
_CHARTS = dict(MEASURES)
UNIT_AXES = {
    "share": "share",
    "seconds": "hours",
    "count": "count",
    "points": "points",
    "ratio": "ratio",
}


def measure_of(row: dict[str, Any], scale: float) -> Measure:
    """The chart a statistic is drawn in, by its measure (an unknown one: its own, by unit).

    ``scale``: the methodology's quality scale, which an axis of quality points names.
    """
    measure = _CHARTS.get(str(row.get("measure")))
    if measure is not None:
        return dataclasses.replace(measure, axis=measure.axis.format(scale=f"{scale:g}"))
    sid, unit = str(row["id"]), str(row["unit"])
    return Measure(f"{sid.replace('_', '-')}", UNIT_AXES.get(unit, unit), sid)


def _chart_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        value = float(r["value"])
        if r["unit"] == "seconds":
            value = round(value / 3600, 3)
        elif r["unit"] == "count":
            value = float(round(value))
        else:
            value = round(value, 4)
        out.append(
            {
                "label": short_label(r),
                "segment": _segment(r),
                "value": value,
                "shown": short_value(r),
            }
        )
    return out


def _segment(r: dict[str, Any]) -> str:
    return "all companies" if r["segment"] == "all" else sector_name(str(r["segment"]))


def _within_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All companies' "answered within" shares as points of a line per channel family."""
    out = []
    for r in records:
        given = parameters(r)
        if r["measure"] == "within" and r["segment"] == "all":
            out.append(
                {
                    "family": _family(str(given["family"])),
                    "hours": round(int(given["seconds"]) / 3600, 4),
                    "value": round(float(r["value"]), 4),
                    "label": short_label(r),
                    "shown": short_value(r) + f" ({_kn(r)})",
                }
            )
    return out


def _copies(records: list[dict[str, Any]], sectors: int) -> set[int]:
    """An edition of one sector: the positions of its sector's rows that repeat all companies'."""
    if sectors > 1:
        return set()
    overall = {r["id"] for r in records if r["segment"] == "all"}
    return {i for i, r in enumerate(records) if r["segment"] != "all" and r["id"] in overall}


def data_table(records: list[dict[str, Any]], segmented: bool) -> Markup:
    """The data behind a chart: a row per statistic (``data-stat``), its value and its counts."""
    rows = [
        {
            "id": r["id"],
            "segment": r["segment"],
            "segment_name": _segment(r),
            "label": short_label(r),
            "shown": short_value(r),
            "basis": basis(r),
        }
        for r in records
    ]
    return Markup(
        render_template("_report_data_table.html", rows=rows, segmented=segmented).rstrip("\n")
    )


def _finding(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "segment": r["segment"], "sentence": sentence(r)}


def _figures(
    edition: str,
    key: str,
    records: list[dict[str, Any]],
    url: str,
    sectors: int,
    scale: float,
    site: str | None = None,
) -> tuple[list[Markup], list[dict[str, Any]], list[Chart]]:
    """A chart per measure of ``records`` (statistics), and a sentence for every other figure.

    A measure with fewer than two bars, or only zeros, gets no chart: its sentences say it.
    A charted figure's numbers are in its chart's data table, not repeated below it. Returns
    the figures' HTML, the sentences (id, segment, sentence) and the charts.
    """
    shown = _copies(records, sectors)  # sector copies of an edition of one sector: left out
    figures, charts = [], []
    groups: dict[str, tuple[Measure, str, list[int]]] = {}
    for i, r in enumerate(records):
        m = measure_of(r, scale)
        if m.key:
            groups.setdefault(m.key, (m, str(r["unit"]), []))[2].append(i)
    for name, (m, unit, index) in groups.items():
        if name == "within":  # cumulative: a line per family, over time
            held = [i for i in index if records[i]["segment"] == "all"]
            points = _within_rows([records[i] for i in held])
            if len(points) < 2 or not any(p["value"] for p in points):
                continue
            chart = cumulative(
                f"charts/editions/{edition}/{key}-{name}.json",
                points,
                title=m.title,
                edition=edition,
                caption=text(
                    f"{m.title}: {m.axis}, by channel family, all companies (edition {edition})."
                ),
            )
        else:
            held = [i for i in index if i not in shown]
            chart_rows = _chart_rows([records[i] for i in held])
            if (
                len(chart_rows) < 2
                or len({r["value"] for r in chart_rows}) < 2
                or not any(r["value"] for r in chart_rows)
            ):
                continue  # one bar, all bars equal, or only zeros: the sentences say it
            segmented = len({r["segment"] for r in chart_rows}) > 1
            caption = text(
                f"{m.title}: {m.axis}"
                + (", all companies and by sector" if segmented else "")
                + f" (edition {edition})."
            )
            chart = bars(
                f"charts/editions/{edition}/{key}-{name}.json",
                chart_rows,
                caption=caption,
                unit="hours" if unit == "seconds" else unit,
                axis_title=m.axis,
                title=m.title,
                edition=edition,
                color=segmented,
            )
        segmented = len({records[i]["segment"] for i in held}) > 1
        chart = dataclasses.replace(
            chart, table=str(data_table([records[i] for i in held], segmented))
        )
        shown |= set(held)
        charts.append(chart)
        figures.append(Markup(chart.html(url, site)))
    said = [_finding(r) for i, r in enumerate(records) if i not in shown]
    return figures, said, charts


MIN_PROBES = 5  # a channel gets a reply-time curve with at least this many probes


def reply_time_charts(ctx: Context, edition: str, url: str) -> tuple[str, list[Chart]]:
    """Reply times as distributions: the still-waiting curve and the bucketed bars."""
    method = ctx.method(edition)
    probes = ctx.scores.probes[ctx.scores.probes["edition"] == edition]
    cutoff = float(method.never_answered_after)
    curves, bucket_rows, table = [], [], []
    families = set()
    order = [b[0] for b in survival.BUCKETS] + [survival.NEVER]
    for channel, group in sorted(probes.groupby("channel"), key=lambda kv: str(kv[0])):
        if len(group) < MIN_PROBES:
            continue
        name = channel_name(str(channel))
        families.add(str(group["family"].iloc[0]))
        times = [
            float(t) if a and t == t else None
            for a, t in zip(group["answered"], group["reply_business_seconds"], strict=True)
        ]
        steps = survival.kaplan_meier(times, cutoff)
        curves += [
            {"channel": name, "hours": round(st.t / 3600, 4), "value": round(st.still_waiting, 4)}
            for st in steps
        ]
        curves.append(
            {
                "channel": name,
                "hours": round(cutoff / 3600, 4),
                "value": round(steps[-1].still_waiting, 4),
            }
        )  # censored to the cut-off
        counts = survival.buckets(times, cutoff)
        n = len(times)
        for rank, (bucket, k) in enumerate(counts):
            bucket_rows.append(
                {
                    "label": name,
                    "bucket": bucket,
                    "rank": rank,
                    "value": round(k / n, 4),
                    "shown": f"{round(100 * k / n)}% ({k} of {n})",
                }
            )
        at = {h: survival.still_waiting(steps, h * 3600) for h in (1, 6, 24)}
        table.append(
            [text(name), str(n)]
            + [f"{round(100 * v)}%" for v in at.values()]
            + [f"{round(100 * steps[-1].still_waiting)}%"]
        )
    if len({r["channel"] for r in curves}) < 1:
        return "", []
    rules = sorted(
        {(t / 3600, human_duration(t)) for f in families for t in method.thresholds.get(f, ())}
    )
    never = human_duration(cutoff)
    km = still_waiting(
        f"charts/editions/{edition}/reply-times-still-waiting.json",
        curves,
        [{"hours": round(h, 4), "label": label} for h, label in rules],
        caption=text(
            f"Share of each channel's probes still waiting for a person after a "
            f"given business time; a probe no person answered within {never} counts "
            f"as still waiting at {never} (Kaplan–Meier; edition {edition}). Dashed: "
            "the methodology's reference times."
        ),
        edition=edition,
        cutoff_hours=round(cutoff / 3600, 4),
        table=html_table(
            [
                "Channel",
                "Probes",
                "Waiting after 1 h",
                "after 6 h",
                "after 24 h",
                f"never answered ({never})",
            ],
            table,
            "ccr-data-table",
            numeric={1, 2, 3, 4, 5},
        ),
    )
    bars_ = buckets(
        f"charts/editions/{edition}/reply-times-buckets.json",
        bucket_rows,
        order,
        caption=text(
            f"Probes by the business time a person took to reply, by channel (edition {edition})."
        ),
        edition=edition,
    )
    site = ctx.settings.site_url
    return km.html(url, site) + bars_.html(url, site), [km, bars_]


def section(
    ctx: Context,
    edition: str,
    sec: Section,
    stats: pd.DataFrame,
    url: str,
    every: list[dict[str, Any]] | None = None,
) -> tuple[str, list[Chart]]:
    """One report section: heading, introduction, its charts and the sentences no chart shows.

    A section made of parts gives each part its heading, charts and sentences. ``every``:
    ``stats`` as records, when the caller has them (a report's sections share them).
    """
    every = _records(stats) if every is None else every
    rows = [r for r in every if sec.holds(r)]
    if not rows:
        return "", []
    sectors = len(ctx.editions[edition]["sectors"])
    scale = ctx.method(edition).quality_scale
    site = ctx.settings.site_url
    parts: list[dict[str, Any]] = []
    charts: list[Chart] = []
    if not sec.parts:
        figures, said, made = _figures(edition, sec.key, rows, url, sectors, scale, site)
        if sec.key == "reply-times":
            extra, more = reply_time_charts(ctx, edition, url)
            figures, made = [Markup(extra), *figures], more + made
        parts.append({"title": "", "anchor": "", "charts": figures, "rows": said})
        charts += made
    else:
        for part in sec.parts:
            held = [r for r in rows if part.holds(r)]
            if not held:
                continue
            figures, said, made = _figures(
                edition, f"{sec.key}-{part.key}", held, url, sectors, scale, site
            )
            parts.append(
                {"title": part.title, "anchor": _anchor(part.key), "charts": figures, "rows": said}
            )
            charts += made
        rest = [r for r in rows if not any(p.holds(r) for p in sec.parts)]
        if rest:  # a figure of the section that no part claims is still shown
            figures, said, made = _figures(edition, sec.key, rest, url, sectors, scale, site)
            parts.append({"title": "", "anchor": "", "charts": figures, "rows": said})
            charts += made
    md = render_template(
        "_report_section.html",
        title=sec.title,
        anchor=_anchor(sec.key),
        intro=sec.intro,
        parts=parts,
    )
    return md, charts


def _anchor(key: str, *more: str) -> Markup:
    """A heading's attribute list, ``{#key}`` (keys are the code's own, never data)."""
    return Markup("{#" + " ".join((key, *more)) + "}")


def _review_card(ctx: Context, edition: str, n: int, by_sector: pd.Series, url: str) -> str:
    doc = ctx.editions[edition]
    method = ctx.method(edition)
    sample = f"{n} companies" + (
        " ("
        + ", ".join(f"{int(c)} {sector_name(str(s)).lower()}" for s, c in by_sector.items())
        + ")"
        if len(by_sector) > 1
        else ""
    )

    def about(script: dict[str, Any]) -> str:
        return ", ".join(
            ([sector_name(script["sector"])] if script.get("sector") else [])
            + ([script["language"]] if script.get("language") else [])
        )

    return render_template(
        "_report_review_card.html",
        anchor=_anchor("review-card"),
        sectors=", ".join(sector_name(s) for s in doc["sectors"]),
        sample=sample,
        market=country_name(doc["market"]),
        start=doc["period"]["start"],
        end=doc["period"]["end"],
        method=doc["method"],
        scripts=[
            {"id": s["id"], "about": about(s), "text": s["text"]} for s in doc.get("scripts", [])
        ],
        methodology_url=rel(url, "methodology/"),
        version=method.version,
        published=doc.get("published", "—"),
    )


def conclusions(ctx: Context, edition: str, stats: pd.DataFrame) -> list[str]:
    """The key findings, plain text: response rates, the ranking, promises and key shares.

    First the response rate of all probes and by channel, then the shape of the ranking (who
    leads and whether the data can tell), then promises kept and declared and a few shares.
    """
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    overall = stats[stats["segment"] == "all"]
    rates = by_channel([r for r in _records(overall) if r["measure"] == "response_rate"])
    found = [rates] if rates else []
    found += _board_shape(ctx, edition, scored)
    by_id = {str(r["id"]): r for r in _records(overall)}
    found += [sentence(by_id[sid]) for sid in KEY_FINDINGS if sid in by_id]
    return found


def _board_shape(ctx: Context, edition: str, scored: pd.DataFrame) -> list[str]:
    """The median, the grades of the ranked companies, and who leads (when anyone can)."""
    method = ctx.method(edition)
    ranked = standing.ranked_rows(scored)
    grades = ranked["grade"].value_counts()
    out = [
        f"The median score is {scored['score_display'].median():.1f} of 100; "
        f"{int(grades.get('A', 0))} of {len(ranked)} "
        f"{'ranked ' if len(ranked) < len(scored) else ''}companies earn grade A and "
        f"{int(grades.get('E', 0))} grade E."
    ]
    if len(ranked) < len(scored):
        few = len(scored) - len(ranked)
        out.append(
            f"{few} {plural(few, 'company', 'companies')}, scored on fewer than "
            f"{standing.threshold(method)}, {plural(few, 'is', 'are')} listed "
            "unranked: no rank, grade or tier."
        )
    if ranked.empty:
        return out
    top = ranked.sort_values(["rank_overall", "name"]).iloc[0]
    if standing.level(method) is None:  # v1: a point ranking
        out.append(f"{top['name']} leads with {standing.score(top, method)} points.")
        return out
    first = ranked[ranked["rank_overall"] == 1]
    who = (
        f"{top['name']} has the highest score"
        if len(first) == 1
        else f"{len(first)} companies share the highest score"
    )
    if 1 < len(first) <= 5:
        who += f" ({', '.join(sorted(str(n) for n in first['name']))})"
    span = ctx.group(top)
    it = plural(len(first), "it", "they")
    if span is not None and span[2] == len(ranked) and len(ranked) > 1:
        verdict = (
            f"; the intervals leave {standing.all_of(len(ranked))} ranked companies "
            "in one statistically indistinguishable group, so the data cannot tell who "
            "leads."
        )
    elif span is not None and span[2] > 1:
        verdict = f"; statistically {it} cannot be told apart from places {span[0]}–{span[1]}."
    else:
        verdict = "."
    out.append(f"{who}, {standing.score_long(top, method)}{verdict}")
    return out


def _companies_audited(scored: pd.DataFrame, by_sector: pd.Series, edition: str, url: str) -> str:
    """Where to find the edition's companies: a collapsed A–Z list per sector, or links.

    An edition of up to ``LIST_UP_TO`` companies lists them by sector, each sector folded
    (``<details>``, its count in the summary); a larger one links each sector's leaderboard
    and the A–Z index instead, so the report stays light (10,000 names are a megabyte).
    """
    listed = len(scored) <= LIST_UP_TO
    sectors = []
    for sector, count in sorted(by_sector.items(), key=lambda kv: str(kv[0])):
        members = scored[scored["sector"] == sector].sort_values(["name", "slug"])
        sectors.append(
            {
                "name": sector_name(str(sector)),
                "count": int(count),
                "board_url": rel(url, board_url(edition, "sector", str(sector))),
                "companies": [
                    {"name": r["name"], "url": rel(url, company_url(r["slug"]))}
                    for r in records(members)
                ]
                if listed
                else [],
            }
        )
    return render_template(
        "_report_companies.html",
        anchor=_anchor("companies", "data-search-exclude"),
        total=len(scored),
        listed=listed,
        sectors=sectors,
        az_url=rel(url, "companies/"),
    )


def scope(ctx: Context, edition: str) -> str:
    """The edition in one line: companies, probes, market and period."""
    doc = ctx.editions[edition]
    companies = int((ctx.scores.companies["edition"] == edition).sum())
    probes = int((ctx.scores.probes["edition"] == edition).sum())
    return (
        f"{companies} {plural(companies, 'company', 'companies')} · {probes} "
        f"{plural(probes, 'probe')} · {country_name(doc['market'])} · "
        f"{doc['period']['start']} to {doc['period']['end']}"
    )


def report_page(ctx: Context, edition: str) -> tuple[str, list[Chart]]:
    """The Markdown of one edition report and its charts (the extra figures first)."""
    url = report_url(edition)
    doc = ctx.editions[edition]
    site = ctx.settings.site_url
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == edition]
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    by_sector = scored.groupby("sector").size()
    charts: list[Chart] = list(report_figures(ctx, edition))
    figures = [Markup(c.html(url, site)) for c in charts]
    sections = []
    every = _records(stats)
    for sec in SECTIONS:
        md, made = section(ctx, edition, sec, stats, url, every)
        sections.append(Markup(md))
        charts += made
    unplaced = sorted({str(r["id"]) for r in every if section_of(r) is None})
    other = ""
    if unplaced:  # every statistic is shown; one without a section gets a list of its own
        rows = stats[stats["id"].isin(unplaced)]
        other = render_template("_report_other.html", rows=[_finding(r) for r in _records(rows)])
    md = render_template(
        "report.html",
        front_matter=Markup(
            front_matter(
                title=doc["title"],
                description=f"Customer Care Review edition report: {doc['title']}",
                hide=["navigation"],
            )
        ),
        title=doc["title"],
        banners=Markup(draft_banner(ctx, [edition]) + demo_banner(ctx, [edition])),
        scope=scope(ctx, edition),
        findings_anchor=_anchor("key-findings"),
        findings=conclusions(ctx, edition, stats),
        board_url=rel(url, board_url(edition)),
        data_url=rel(url, "data/"),
        summary=doc.get("summary") or "",
        figures_anchor=_anchor("figures"),
        figures=figures,
        review_card=Markup(_review_card(ctx, edition, len(scored), by_sector, url)),
        sections=sections,
        other=Markup(other),
        companies=Markup(_companies_audited(scored, by_sector, edition, url)),
    )
    return md, charts


def report_pages(ctx: Context) -> Iterator[tuple[str, str, list[Chart]]]:
    """Every edition report: (Markdown path, Markdown, charts)."""
    for edition in ctx.edition_order():
        md, charts = report_page(ctx, edition)
        yield f"editions/{edition}.md", md, charts


def editions_index(ctx: Context) -> str:
    """The list of editions, newest first."""
    url = "editions/"
    editions = []
    for e in ctx.edition_order():
        doc = ctx.editions[e]
        editions.append(
            {
                "url": rel(url, report_url(e)),
                "title": doc["title"],
                "demo": bool(doc.get("demo")),
                "draft": ctx.is_draft(e),
                "start": doc["period"]["start"],
                "end": doc["period"]["end"],
                "market": country_name(doc["market"]),
                "companies": int((ctx.scores.companies["edition"] == e).sum()),
                "board_url": rel(url, board_url(e)),
            }
        )
    return render_template(
        "editions_index.html",
        front_matter=Markup(front_matter(title="Editions")),
        editions=editions,
    )
