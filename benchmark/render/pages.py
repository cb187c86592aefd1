"""The site-wide pages: home, the A–Z company index, data downloads and compare."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..methodology import Methodology
from ..values import human_duration, out_of, percent, plural
from . import report, standing
from .charts import Chart, bars, histogram
from .common import (
    Context,
    board_url,
    channel_name,
    company_url,
    demo_banner,
    grade_badge,
    html_table,
    records,
    rel,
    report_url,
    scroll_box,
    sector_name,
)
from .jinja import render_template
from .text import attr, front_matter, text

HOME_FINDINGS = 4  # key findings of the latest edition the home page leads with


def _stat(stats: pd.DataFrame, sid: str) -> dict[str, Any] | None:
    rows = stats[(stats["id"] == sid) & (stats["segment"] == "all")]
    return None if rows.empty else {str(k): v for k, v in rows.iloc[0].items()}


def _channel_shares(stats: pd.DataFrame, measure: str) -> list[dict[str, Any]]:
    """Chart rows of one per-channel share statistic (``response_rate``), all companies."""
    chosen = stats[
        (stats["measure"] == measure) & stats["channel"].notna() & (stats["segment"] == "all")
    ]
    return [
        {
            "label": channel_name(str(r["channel"])),
            "segment": "all",
            "value": round(float(r["value"]), 4),
            "shown": f"{percent(r['value'])} ({out_of(r['numerator'], r['denominator'])})",
        }
        for r in records(chosen)
    ]


def home(ctx: Context) -> tuple[str, list[Chart]]:
    """The home page: what CCR is in a line, the latest edition's key findings, top 10, charts."""
    url = ""
    published = ctx.published_order()  # a draft is never the headline, even in a preview
    if not published:
        return _home_without_edition(ctx), []
    edition = published[0]
    doc = ctx.editions[edition]
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == edition]
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    method = ctx.method(edition)
    ranked = standing.ranked_rows(scored)
    figures = [(str(len(scored)), "companies audited")]
    if len(ranked) < len(scored):
        figures.append(
            (
                str(len(ranked)),
                f"ranked, scored on {standing.threshold(method)} "
                f"or more ({len(scored) - len(ranked)} listed "
                "unranked)",
            )
        )
    # The response rate is the first key finding above the cards: not repeated here.
    for sid, label in (
        ("hours_published", "publish their customer-service hours"),
        ("email_declared", "promise an e-mail response time"),
    ):
        s = _stat(stats, sid)
        if s:
            figures.append(
                (percent(s["value"]), f"{label} ({out_of(s['numerator'], s['denominator'])})")
            )
    s = _stat(stats, "median_reply_email")
    if s:
        figures.append((human_duration(float(s["value"])), "median e-mail reply time"))
    # Ranked companies only: a company below the evidence threshold is never in a top 10.
    top = ranked.sort_values(["rank_overall", "name", "slug"]).head(10)
    top_rows = [
        [
            standing.rank_cell(r),
            f'<a href="{attr(rel(url, company_url(r["slug"])))}">{text(r["name"])}</a>',
            text(sector_name(str(r["sector"]))),
            standing.score_cell(r, method),
            grade_badge(str(r["grade"])),
            str(int(r["probes"])),
        ]
        for r in records(top)
    ]
    bands = []
    for start in range(0, 100, 10):
        count = int(
            (
                (scored["score_display"] >= start)
                & (
                    (scored["score_display"] < start + 10)
                    if start < 90
                    else (scored["score_display"] <= 100)
                )
            ).sum()
        )
        bands.append({"band": f"{start}–{start + 10}", "start": start, "count": count})
    charts = [
        histogram(
            f"charts/home/{edition}-scores.json",
            bands,
            caption=text(
                f"How the {len(scored)} companies of the latest edition "
                "score, in bands of 10 points."
            ),
            edition=edition,
        )
    ]
    for measure, name, caption, axis_title, title in (
        (
            "response_rate",
            "response-rates",
            "Share of questions a person answered, by channel, in the latest edition.",
            "share of probes",
            "Questions a person answered, by channel",
        ),
        (
            "channel_offered",
            "channels",
            "Share of companies offering each channel, latest edition.",
            "share of companies",
            "Companies offering each channel",
        ),
    ):
        rows = _channel_shares(stats, measure)
        if len(rows) > 1 and any(r["value"] for r in rows):  # else the figures say it
            charts.append(
                bars(
                    f"charts/home/{edition}-{name}.json",
                    rows,
                    unit="share",
                    caption=text(caption),
                    axis_title=axis_title,
                    title=title,
                    edition=edition,
                )
            )
    return render_template(
        "home.html",
        front_matter=Markup(
            front_matter(
                title="Customer Care Review",
                description="An open benchmark of how companies answer their customers.",
            )
        ),
        banner=Markup(demo_banner(ctx)),
        title=doc["title"],
        scope=report.scope(ctx, edition),
        findings=report.conclusions(ctx, edition, stats)[:HOME_FINDINGS],
        report_url=rel(url, report_url(edition)),
        board_url=rel(url, board_url(edition)),
        cards=figures,
        top_table=Markup(
            scroll_box(
                html_table(
                    ["Rank", "Company", "Sector", "Score", "Grade", "Probes"],
                    top_rows,
                    "ccr-top",
                    numeric={0, 3, 5},
                ),
                "Top 10",
            )
        ),
        top_note=Markup(_top_note(ctx, edition, ranked, len(scored) - len(ranked), method)),
        charts=[Markup(c.html(url, ctx.settings.site_url)) for c in charts],
        companies_url=rel(url, "companies/"),
        for_companies_url=rel(url, "for-companies/"),
        methodology_url=rel(url, "methodology/"),
        data_url=rel(url, "data/"),
        editions_url=rel(url, "editions/"),
    ), charts


def _home_without_edition(ctx: Context) -> str:
    """The home page of a preview in which every edition is still a draft."""
    return "".join(
        [
            front_matter(
                title="Customer Care Review",
                description="An open benchmark of how companies answer their customers.",
            ),
            "# Customer Care Review\n\n",
            demo_banner(ctx),
            "No edition has been published yet. The drafts of this preview are listed under "
            f'<a href="{attr(rel("", "editions/"))}">Editions</a>.\n',
        ]
    )


def _top_note(
    ctx: Context, edition: str, ranked: pd.DataFrame, unranked: int, method: Methodology
) -> str:
    """What the top 10 is drawn from and how far its order can be read."""
    level = standing.level(method)
    if level is None:
        return ""
    parts = [
        f"Only the {len(ranked)} ranked companies, each scored on "
        f"{text(standing.threshold(method))} or more, can be in the top 10"
        + (
            f"; {unranked} more {plural(unranked, 'is', 'are')} listed unranked on the "
            f'<a href="{attr(rel("", board_url(edition)))}#unranked">leaderboard</a>'
            if unranked
            else ""
        )
        + "."
    ]
    parts.append(
        f"Scores are shown with their {standing.level_html(method)} interval in "
        "brackets, and a rank as the range of places those intervals allow."
    )
    groups = ranked["group_overall"].nunique() if len(ranked) else 0
    if groups == 1 and len(ranked) > 1:
        parts.append(
            f"The intervals leave {standing.all_of(len(ranked))} ranked companies "
            "in one group of statistically indistinguishable scores: read the order "
            "as a guide, not a verdict."
        )
    return f'<p class="ccr-top-note">{" ".join(parts)}</p>\n\n'


def companies_index(ctx: Context) -> str:
    """The A–Z index of every company, with its latest score (``companies_index.html``)."""
    order = {e: i for i, e in enumerate(ctx.edition_order())}
    latest = (
        ctx.scores.companies.assign(_o=ctx.scores.companies["edition"].map(order))
        .sort_values(["slug", "_o"])
        .drop_duplicates("slug")
    )
    latest = latest.assign(_k=latest["name"].str.casefold()).sort_values(["_k", "slug"])
    letters: dict[str, list[dict[str, Any]]] = {}
    shown = ("slug", "name", "domain", "score_display", "edition", "grade", *standing.RANKED_BY)
    for r in records(latest, shown):
        first = str(r["name"])[:1].upper()
        letter = first if first.isalpha() and first.isascii() else "#"
        letters.setdefault(letter, []).append(
            {
                "slug": r["slug"],
                "name": r["name"],
                "domain": r["domain"],
                "score": r["score_display"],
                "decimals": ctx.method(str(r["edition"])).score_decimals,
                "grade": standing.grade_or_none(r),
            }
        )
    return render_template(
        "companies_index.html",
        url="companies/",
        front=Markup(front_matter(title="Companies A–Z")),
        count=len(latest),
        letters=[
            {"key": k, "anchor": k.lower() if k != "#" else "other", "companies": letters[k]}
            for k in sorted(letters)
        ],
    )


def data_page(ctx: Context, sizes: dict[str, int]) -> str:
    """The downloads: every export file at its stable URL, with its size and schema."""
    listed = []
    for name in sorted(sizes):
        if name.endswith(".schema.json"):
            continue
        stem, _, ext = name.partition(".")
        listed.append({"name": name, "stem": stem, "ext": ext, "size": sizes[name]})
    return render_template(
        "data.html",
        url="data/",
        files=listed,
        front=Markup(
            front_matter(
                title="Data",
                description="Every Customer Care Review record as CSV and JSON, with JSON Schemas.",
            )
        ),
    )


def compare_page(ctx: Context) -> str:
    """Two or more companies side by side (the site's script fills the table)."""
    url = "compare/"
    editions = [
        {
            "id": e,
            "title": ctx.editions[e]["title"],
            "rows": rel(url, f"api/v1/leaderboards/{e}.json"),
        }
        for e in ctx.edition_order()
    ]
    return render_template(
        "compare.html",
        url=url,
        editions=editions,
        editions_json=json.dumps(editions),
        front=Markup(front_matter(title="Compare companies")),
    )
