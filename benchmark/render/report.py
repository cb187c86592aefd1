"""The edition report: review card, conclusions, statistics by section, companies audited.

Every statistic sits in a section with a chart and a sentence written from its numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..score.explain import human_duration
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
    rel,
    report_url,
    sector_name,
)
from .sentences import (
    SECTIONS,
    Section,
    _family,
    _kn,
    section_of,
    sentence,
    short_label,
    short_value,
)
from .text import attr, front_matter, text

CONCLUSIONS = ("response_rate", "hours_published", "all_contact_families", "email_within_6h",
               "email_declared", "chat_tail_5min", "chat_promise_kept", "callback_never",
               "bot_only", "marketing_after_no_answer")
LIST_UP_TO = 500  # companies an edition report lists by name; a larger edition links the A–Z index


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


@dataclass(frozen=True, slots=True)
class Measure:
    """What one chart shows: statistics of one measure, over one kind of denominator."""

    key: str  # the chart's file name part; None-like "" means: sentences only, no chart
    axis: str  # the axis title: the unit and, for a share, its denominator
    title: str  # the chart's title


# One measure per chart: a statistic id (regex) → its measure. Statistics of one section with
# different measures get different charts; a measure with one bar, or only zeros, is a sentence.
MEASURES: tuple[tuple[str, Measure], ...] = (
    (r"channel_offered_.+", Measure("offered", "share of companies",
                                    "Companies offering each channel")),
    (r"all_contact_families|email_only|callback_offered|proactive_chat|companies_redirecting",
     Measure("reach", "share of companies", "How companies can be reached")),
    (r"chat_only(_bot_only)?", Measure("chat-only", "companies",
                                       "Companies reachable by chat alone")),
    (r"language_.+", Measure("languages", "share of companies", "Website languages")),
    (r"country_.+", Measure("countries", "share of companies",
                            "Where the companies are based")),
    (r"hours_published", Measure("hours", "share of companies", "Published hours")),
    (r"email_declared", Measure("email-declared", "share of companies with e-mail or a form",
                                "E-mail response time declared")),
    (r"chat_declared(_\d+s)?", Measure("chat-declared", "share of live chats",
                                       "Live chats that declare a response time")),
    (r"callback_declared", Measure("callback-declared",
                                   "share of companies offering a callback",
                                   "Callback time declared")),
    (r"callback_never", Measure("never", "share of callback requests", "Never called back")),
    (r"callback_max_undeclared", Measure("longest", "hours", "Longest wait for a call")),
    (r"callback_median", Measure("median", "hours", "Median wait for a call")),
    (r"chat_promise_kept", Measure("kept", "share of chat probes with a declared time",
                                   "Chat promises kept")),
    (r"chat_tail_5min", Measure("tail", "share of chat probes", "No person within 5 minutes")),
    (r"chatbot_share", Measure("chatbots", "share of companies with a chat", "Chatbots")),
    (r"bot_only", Measure("bot-only", "share of chatbots", "Bot-only chats")),
    (r"bot_first", Measure("bot-first", "share of probes", "First answered by a bot")),
    (r"bot_first_no_person", Measure("no-person", "share of probes a bot answered first",
                                     "No person after the bot")),
    (r"email_within_6h", Measure("within-6h", "share of e-mail and form probes",
                                 "E-mail answered within 6 hours")),
    (r"marketing_after_no_answer", Measure("marketing", "probes", "Marketing mail instead")),
    (r"fast_good_email", Measure("fast-good", "share of companies",
                                 "Fast, good e-mail answers")),
    (r"email_quality_mean", Measure("quality", "points of 5", "E-mail answer quality")),
    (r"email_quality_ratio", Measure("quality-ratio", "ratio", "E-mail quality by sector")),
    (r"within_[a-z]+_\d+s", Measure("within", "share of probes answered by a person",
                                    "Answered within a given time")),
    (r"response_rate(_.+)?", Measure("rate", "share of probes",
                                     "Questions a person answered, by channel")),
    (r"median_reply_.+", Measure("median", "hours, median (calendar time)",
                                 "Median reply time by channel")),
    (r"mean_reply_.+", Measure("", "hours", "")),  # a mean of skewed times: sentence only
    (r"next_day_.+", Measure("next-day", "share of answered probes",
                             "Answered only on a later day")),
    (r"not_answered_at_once_.+", Measure("missed", "share of replies",
                                         "Replies that missed the question")),
    (r"redirect", Measure("redirect", "share of answered probes",
                          "Answers that redirected the customer")),
    (r"no_solution(_.+)?", Measure("share", "share of replies", "No solution offered")),
    (r"data_unexplained(_.+)?", Measure("share", "share of replies that asked for data",
                                        "Data asked for without saying why")),
    (r"polite_literate(_.+)?", Measure("share", "share of replies",
                                       "Polite, with correct spelling and punctuation")),
    (r"personal(_.+)?", Measure("share", "share of replies",
                                "Greeted the customer, signed by a person")),
    (r"helpdesk", Measure("helpdesk", "share of companies where known",
                          "Companies answering from a helpdesk system")),
    (r"helpdesk_quality_ratio", Measure("quality-ratio", "ratio",
                                        "E-mail quality with a helpdesk ÷ without")),
    (r"helpdesk_speed_ratio", Measure("speed-ratio", "ratio",
                                      "Median e-mail reply time with a helpdesk ÷ without")),
)
UNIT_AXES = {"share": "share", "seconds": "hours", "count": "count", "points": "points",
             "ratio": "ratio"}


def measure_of(sid: str, unit: str) -> Measure:
    """The measure a statistic is charted with (an unknown one: its own chart, by unit)."""
    for pattern, measure in MEASURES:
        if re.fullmatch(pattern, sid):
            return measure
    return Measure(f"{sid.replace('_', '-')}", UNIT_AXES.get(unit, unit), sid)


def _chart_rows(rows: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in _records(rows):
        value = float(r["value"])
        if r["unit"] == "seconds":
            value = round(value / 3600, 3)
        elif r["unit"] == "count":
            value = float(round(value))
        else:
            value = round(value, 4)
        out.append({"label": short_label(r),
                    "segment": "all companies" if r["segment"] == "all"
                    else sector_name(str(r["segment"])),
                    "value": value, "shown": short_value(r)})
    return out


def _within_rows(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """All companies' "answered within" shares as points of a line per channel family."""
    out = []
    for r in _records(rows[rows["segment"] == "all"]):
        m = re.fullmatch(r"within_([a-z]+)_(\d+)s", str(r["id"]))
        if m:
            out.append({"family": _family(m.group(1)),
                        "hours": round(int(m.group(2)) / 3600, 4),
                        "value": round(float(r["value"]), 4), "label": short_label(r),
                        "shown": short_value(r) + f" ({_kn(r)})"})
    return out


def _without_copies(rows: list[dict[str, Any]], sectors: int) -> list[dict[str, Any]]:
    """An edition of one sector: its sector's rows repeat all companies', so drop them."""
    return rows if sectors > 1 else [r for r in rows if r["segment"] == "all companies"]


def _figures(edition: str, key: str, title: str, rows: pd.DataFrame,
             url: str, sectors: int, site: str | None = None) -> tuple[str, list[Chart]]:
    """A chart per measure of ``rows``, then a sentence per figure.

    A measure with fewer than two bars, or only zeros, gets no chart: its sentences say it.
    """
    out, charts = [], []
    groups: dict[str, tuple[Measure, str, list[int]]] = {}
    for i, r in enumerate(_records(rows)):
        m = measure_of(str(r["id"]), str(r["unit"]))
        if m.key:
            groups.setdefault(m.key, (m, str(r["unit"]), []))[2].append(i)
    for name, (m, unit, index) in groups.items():
        group = rows.iloc[index]
        chart_rows = _without_copies(_chart_rows(group), sectors)
        if len(chart_rows) < 2 or len({r["value"] for r in chart_rows}) < 2 or not any(
                r["value"] for r in chart_rows):
            continue  # one bar, all bars equal, or only zeros: the sentences below say it
        if name == "within":  # cumulative: a line per family, over time
            chart = cumulative(f"charts/editions/{edition}/{key}-{name}.json",
                               _within_rows(group), title=m.title, edition=edition,
                               caption=text(f"{m.title}: {m.axis}, by channel family, all "
                                            f"companies (edition {edition})."))
            charts.append(chart)
            out.append(chart.html(url, site))
            continue
        shown = "hours" if unit == "seconds" else unit
        segmented = len({r["segment"] for r in chart_rows}) > 1
        caption = text(f"{m.title}: {m.axis}"
                       + (", all companies and by sector" if segmented else "")
                       + f" (edition {edition}).")
        chart = bars(f"charts/editions/{edition}/{key}-{name}.json", chart_rows,
                     caption=caption, unit=shown, axis_title=m.axis, title=m.title,
                     edition=edition, color=segmented)
        charts.append(chart)
        out.append(chart.html(url, site))
    items = "".join(f'<li data-stat="{attr(r["id"])}" data-segment="{attr(r["segment"])}">'
                    f"{text(sentence(r))}</li>" for r in _records(rows))
    out.append(f'<ul class="ccr-findings">{items}</ul>\n\n')
    return "".join(out), charts


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
        times = [float(t) if a and t == t else None
                 for a, t in zip(group["answered"], group["reply_business_seconds"],
                                 strict=True)]
        steps = survival.kaplan_meier(times, cutoff)
        curves += [{"channel": name, "hours": round(st.t / 3600, 4),
                    "value": round(st.still_waiting, 4)} for st in steps]
        curves.append({"channel": name, "hours": round(cutoff / 3600, 4),
                       "value": round(steps[-1].still_waiting, 4)})  # censored to the cut-off
        counts = survival.buckets(times, cutoff)
        n = len(times)
        for rank, (bucket, k) in enumerate(counts):
            bucket_rows.append({"label": name, "bucket": bucket, "rank": rank,
                                "value": round(k / n, 4),
                                "shown": f"{round(100 * k / n)}% ({k} of {n})"})
        at = {h: survival.still_waiting(steps, h * 3600) for h in (1, 6, 24)}
        table.append([text(name), str(n)] + [f"{round(100 * v)}%" for v in at.values()]
                     + [f"{round(100 * steps[-1].still_waiting)}%"])
    if len({r["channel"] for r in curves}) < 1:
        return "", []
    rules = sorted({(t / 3600, human_duration(t)) for f in families
                    for t in method.thresholds.get(f, ())})
    never = human_duration(cutoff)
    km = still_waiting(
        f"charts/editions/{edition}/reply-times-still-waiting.json", curves,
        [{"hours": round(h, 4), "label": label} for h, label in rules],
        caption=text(f"Share of each channel's probes still waiting for a person after a "
                     f"given business time; a probe no person answered within {never} counts "
                     f"as still waiting at {never} (Kaplan–Meier; edition {edition}). Dashed: "
                     "the methodology's reference times."),
        edition=edition, cutoff_hours=round(cutoff / 3600, 4),
        table=html_table(["Channel", "Probes", "Waiting after 1 h", "after 6 h",
                          "after 24 h", f"never answered ({never})"], table,
                         "ccr-data-table", numeric={1, 2, 3, 4, 5}))
    bars_ = buckets(f"charts/editions/{edition}/reply-times-buckets.json", bucket_rows, order,
                    caption=text("Probes by the business time a person took to reply, by "
                                 f"channel (edition {edition})."), edition=edition)
    site = ctx.settings.site_url
    return km.html(url, site) + bars_.html(url, site), [km, bars_]


def section(ctx: Context, edition: str, sec: Section, stats: pd.DataFrame,
            url: str) -> tuple[str, list[Chart]]:
    """One report section: heading, introduction, a chart per unit, a sentence per figure.

    A section made of parts gives each part its heading, chart and sentences.
    """
    rows = stats[stats["id"].map(sec.holds)]
    if rows.empty:
        return "", []
    sectors = len(ctx.editions[edition]["sectors"])
    site = ctx.settings.site_url
    out = [f"## {sec.title} {{#{sec.key}}}\n\n{sec.intro}\n\n"]
    if not sec.parts:
        md, charts = _figures(edition, sec.key, sec.title, rows, url, sectors, site)
        if sec.key == "reply-times":
            extra, more = reply_time_charts(ctx, edition, url)
            md, charts = extra + md, more + charts
        return out[0] + md, charts
    charts = []
    for part in sec.parts:
        held = rows[rows["id"].map(part.holds)]
        if held.empty:
            continue
        md, made = _figures(edition, f"{sec.key}-{part.key}", f"{sec.title} — {part.title}",
                            held, url, sectors, site)
        out.append(f"### {part.title} {{#{part.key}}}\n\n{md}")
        charts += made
    rest = rows[~rows["id"].map(lambda sid: any(p.holds(sid) for p in sec.parts))]
    if not rest.empty:  # a figure of the section that no part claims is still shown
        md, made = _figures(edition, sec.key, sec.title, rest, url, sectors, site)
        out.append(md)
        charts += made
    return "".join(out), charts


def _review_card(ctx: Context, edition: str, n: int, by_sector: pd.Series, url: str) -> str:
    doc = ctx.editions[edition]
    method = ctx.method(edition)
    sample = f"{n} companies" + (
        " (" + ", ".join(f"{int(c)} {text(sector_name(str(s)).lower())}"
                         for s, c in by_sector.items()) + ")" if len(by_sector) > 1 else "")
    def about(script: dict[str, Any]) -> str:
        parts = ([sector_name(script["sector"])] if script.get("sector") else []) + (
            [script["language"]] if script.get("language") else [])
        return f" ({text(', '.join(parts))})" if parts else ""

    scripts = "".join(
        f"<li><strong>{text(s['id'])}</strong>{about(s)}: “{text(s['text'])}”</li>"
        for s in doc.get("scripts", []))
    items = [
        ("Sector", ", ".join(text(sector_name(s)) for s in doc["sectors"])),
        ("Sample", sample),
        ("Market", text(country_name(doc["market"]))),
        ("Period", f"{text(doc['period']['start'])} to {text(doc['period']['end'])}"),
        ("Method", text(doc["method"])),
        ("Question scripts", f"<ul>{scripts}</ul>"),
        ("Methodology", f'<a href="{attr(rel(url, "methodology/"))}">version '
                        f"{text(method.version)}</a>"),
        ("Published", text(doc.get("published", "—"))),
    ]
    cells = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in items)
    return f'## Review card {{#review-card}}\n\n<dl class="ccr-review-card">{cells}</dl>\n\n'


def conclusions(ctx: Context, edition: str, stats: pd.DataFrame) -> list[str]:
    """The headline findings: key figures and the shape of the leaderboard (plain text)."""
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    overall = stats[stats["segment"] == "all"].set_index("id")
    found = [sentence({**{str(k): v for k, v in overall.loc[sid].items()}, "id": sid})
             for sid in CONCLUSIONS
             if sid in overall.index]
    found[0:0] = _board_shape(ctx, edition, scored)
    return found


def _board_shape(ctx: Context, edition: str, scored: pd.DataFrame) -> list[str]:
    """The median, the grades of the ranked companies, and who leads (when anyone can)."""
    method = ctx.method(edition)
    ranked = scored[[standing.is_ranked(r) for r in scored.to_dict("records")]]
    grades = ranked["grade"].value_counts()
    out = [f"The median score is {scored['score_display'].median():.1f} of 100; "
           f"{int(grades.get('A', 0))} of {len(ranked)} "
           f"{'ranked ' if len(ranked) < len(scored) else ''}companies earn grade A and "
           f"{int(grades.get('E', 0))} grade E."]
    if len(ranked) < len(scored):
        few = len(scored) - len(ranked)
        out.append(f"{few} compan{'y' if few == 1 else 'ies'}, scored on fewer than "
                   f"{standing.threshold(method)}, {'is' if few == 1 else 'are'} listed "
                   "unranked: no rank, grade or tier.")
    if ranked.empty:
        return out
    top = ranked.sort_values(["rank_overall", "name"]).iloc[0]
    if standing.level(method) is None:  # v1: a point ranking
        out.append(f"{top['name']} leads with {standing.score(top, method)} points.")
        return out
    first = ranked[ranked["rank_overall"] == 1]
    who = (f"{top['name']} has the highest score" if len(first) == 1 else
           f"{len(first)} companies share the highest score")
    if 1 < len(first) <= 5:
        who += f" ({', '.join(sorted(str(n) for n in first['name']))})"
    span = ctx.group(top)
    it = "it" if len(first) == 1 else "they"
    if span is not None and span[2] == len(ranked) and len(ranked) > 1:
        verdict = (f"; the intervals leave {standing.all_of(len(ranked))} ranked companies "
                   "in one statistically indistinguishable group, so the data cannot tell who "
                   "leads.")
    elif span is not None and span[2] > 1:
        verdict = f"; statistically {it} cannot be told apart from places {span[0]}–{span[1]}."
    else:
        verdict = "."
    out.append(f"{who}, {standing.score_long(top, method)}{verdict}")
    return out


def _companies_audited(scored: pd.DataFrame, by_sector: pd.Series, edition: str,
                       url: str) -> str:
    """Where to find the edition's companies: each sector's leaderboard and, if few, a list.

    An edition of up to ``LIST_UP_TO`` companies lists them A to Z; a larger one links the
    A–Z index instead, so the report stays light (10,000 names are a megabyte of HTML).
    """
    sectors = "".join(
        f'<li><a href="{attr(rel(url, board_url(edition, "sector", str(sector))))}">'
        f"{text(sector_name(str(sector)))}</a>: {int(count)}</li>"
        for sector, count in sorted(by_sector.items(), key=lambda kv: str(kv[0])))
    az = f'<a href="{attr(rel(url, "companies/"))}">Companies A–Z</a>'
    out = ["## Companies audited {#companies data-search-exclude}\n\n"
           f"{len(scored)} companies. Every figure above can be traced to their pages, probe "
           f"by probe. By sector, ranked:\n\n<ul class=\"ccr-columns\">{sectors}</ul>\n\n"]
    if len(scored) > LIST_UP_TO:
        out.append(f"Every company, A to Z, is in {az}.\n\n")
        return "".join(out)
    listing = "".join(
        f'<li><a href="{attr(rel(url, company_url(r["slug"])))}">{text(r["name"])}</a></li>'
        for r in scored.sort_values(["name", "slug"]).to_dict("records"))
    out.append(f'A to Z (all editions: {az}):\n\n<ul class="ccr-columns">{listing}</ul>\n\n')
    return "".join(out)


def report_page(ctx: Context, edition: str) -> tuple[str, list[Chart]]:
    """The Markdown of one edition report and its charts."""
    url = report_url(edition)
    doc = ctx.editions[edition]
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == edition]
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    by_sector = scored.groupby("sector").size()
    out = [front_matter(title=doc["title"],
                        description=f"Customer Care Review edition report: {doc['title']}",
                        hide=["navigation"]),
           f"# {text(doc['title'])}\n\n", draft_banner(ctx, [edition]),
           demo_banner(ctx, [edition])]
    if doc.get("summary"):
        out.append(f'<p class="ccr-lede">{text(doc["summary"])}</p>\n\n')
    out.append(f'<p><a class="md-button md-button--primary" href="'
               f'{attr(rel(url, board_url(edition)))}">Leaderboard</a> '
               f'<a class="md-button" href="{attr(rel(url, "data/"))}">Download the data</a>'
               "</p>\n\n")
    out.append(_review_card(ctx, edition, len(scored), by_sector, url))
    items = "".join(f"<li>{text(s)}</li>" for s in conclusions(ctx, edition, stats))
    out.append(f'## Conclusions {{#conclusions}}\n\n<ul class="ccr-conclusions">{items}</ul>\n\n')
    charts: list[Chart] = []
    for sec in SECTIONS:
        md, made = section(ctx, edition, sec, stats, url)
        out.append(md)
        charts += made
    unplaced = sorted(set(stats["id"]) - {s for s in stats["id"] if section_of(s)})
    if unplaced:  # every statistic is shown; one without a section gets a list of its own
        rows = stats[stats["id"].isin(unplaced)]
        items = "".join(f"<li>{text(sentence(r))}</li>" for r in _records(rows))
        out.append(f"## Other figures\n\n<ul class=\"ccr-findings\">{items}</ul>\n\n")
    out.append(_companies_audited(scored, by_sector, edition, url))
    return "".join(out), charts


def report_pages(ctx: Context) -> Iterator[tuple[str, str, list[Chart]]]:
    """Every edition report: (Markdown path, Markdown, charts)."""
    for edition in ctx.edition_order():
        md, charts = report_page(ctx, edition)
        yield f"editions/{edition}.md", md, charts


def editions_index(ctx: Context) -> str:
    """The list of editions, newest first."""
    url = "editions/"
    rows = []
    for e in ctx.edition_order():
        doc = ctx.editions[e]
        n = int((ctx.scores.companies["edition"] == e).sum())
        rows.append([f'<a href="{attr(rel(url, report_url(e)))}">{text(doc["title"])}</a>'
                     + (' <span class="ccr-tag">demo</span>' if doc.get("demo") else "")
                     + (' <span class="ccr-tag ccr-tag-draft">draft</span>'
                        if ctx.is_draft(e) else ""),
                     f"{text(doc['period']['start'])} to {text(doc['period']['end'])}",
                     text(country_name(doc["market"])), str(n),
                     f'<a href="{attr(rel(url, board_url(e)))}">leaderboard</a>'])
    return (front_matter(title="Editions") + "# Editions\n\n"
            + "Each edition audits a sample of companies in one period with the same questions"
              " and one methodology version. Reports stay online as published.\n\n"
            + html_table(["Edition", "Period", "Market", "Companies", ""], rows,
                         "ccr-editions", numeric={3}) + "\n")
