"""The site-wide pages: home, the A–Z company index, data downloads and compare."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..methodology import Methodology
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
    rel,
    report_url,
    scroll_box,
    sector_name,
)
from .jinja import render_template
from .text import attr, front_matter, pct, text

HOME_FINDINGS = 4  # key findings of the latest edition the home page leads with


def _stat(stats: pd.DataFrame, sid: str) -> dict[str, Any] | None:
    rows = stats[(stats["id"] == sid) & (stats["segment"] == "all")]
    return None if rows.empty else {str(k): v for k, v in rows.iloc[0].items()}


def _channel_shares(stats: pd.DataFrame, prefix: str) -> list[dict[str, Any]]:
    """Chart rows of one per-channel share statistic (``response_rate_…``), all companies."""
    chosen = stats[stats["id"].str.fullmatch(prefix + r"(?!social$).+")
                   & (stats["segment"] == "all")]
    return [{"label": channel_name(str(r["id"]).removeprefix(prefix)), "segment": "all",
             "value": round(float(r["value"]), 4),
             "shown": f"{pct(r['value'])} ({int(r['numerator'])} of {int(r['denominator'])})"}
            for r in chosen.to_dict("records")]


def home(ctx: Context) -> tuple[str, list[Chart]]:
    """The home page: what CCR is in a line, the latest edition's key findings, top 10, charts."""
    from ..score.explain import human_duration

    url = ""
    published = ctx.published_order()  # a draft is never the headline, even in a preview
    if not published:
        return _home_without_edition(ctx), []
    edition = published[0]
    doc = ctx.editions[edition]
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == edition]
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    method = ctx.method(edition)
    ranked = scored[[standing.is_ranked(r) for r in scored.to_dict("records")]]
    figures = [(str(len(scored)), "companies audited")]
    if len(ranked) < len(scored):
        figures.append((str(len(ranked)), f"ranked, scored on {standing.threshold(method)} "
                                          f"or more ({len(scored) - len(ranked)} listed "
                                          "unranked)"))
    # The response rate is the first key finding above the cards: not repeated here.
    for sid, label in (("hours_published", "publish their customer-service hours"),
                       ("email_declared", "promise an e-mail response time")):
        s = _stat(stats, sid)
        if s:
            figures.append((pct(s["value"]), f"{label} ({int(s['numerator'])} of "
                                             f"{int(s['denominator'])})"))
    s = _stat(stats, "median_reply_email")
    if s:
        figures.append((human_duration(float(s["value"])), "median e-mail reply time"))
    # Ranked companies only: a company below the evidence threshold is never in a top 10.
    top = ranked.sort_values(["rank_overall", "name", "slug"]).head(10)
    top_rows = [[standing.rank_cell(r),
                 f'<a href="{attr(rel(url, company_url(r["slug"])))}">{text(r["name"])}</a>',
                 text(sector_name(str(r["sector"]))), standing.score_cell(r, method),
                 grade_badge(str(r["grade"])), str(int(r["probes"]))]
                for r in top.to_dict("records")]
    bands = []
    for start in range(0, 100, 10):
        count = int(((scored["score_display"] >= start)
                     & ((scored["score_display"] < start + 10) if start < 90
                        else (scored["score_display"] <= 100))).sum())
        bands.append({"band": f"{start}–{start + 10}", "start": start, "count": count})
    charts = [histogram(f"charts/home/{edition}-scores.json", bands,
                        caption=text(f"How the {len(scored)} companies of the latest edition "
                                     "score, in bands of 10 points."), edition=edition)]
    for prefix, name, caption, axis_title, title in (
            ("response_rate_", "response-rates",
             "Share of questions a person answered, by channel, in the latest edition.",
             "share of probes", "Questions a person answered, by channel"),
            ("channel_offered_", "channels",
             "Share of companies offering each channel, latest edition.",
             "share of companies", "Companies offering each channel")):
        rows = _channel_shares(stats, prefix)
        if len(rows) > 1 and any(r["value"] for r in rows):  # else the figures say it
            charts.append(bars(f"charts/home/{edition}-{name}.json", rows, unit="share",
                               caption=text(caption), axis_title=axis_title, title=title,
                               edition=edition))
    return render_template(
        "home.html",
        front_matter=Markup(front_matter(
            title="Customer Care Review",
            description="An open benchmark of how companies answer their customers.")),
        banner=Markup(demo_banner(ctx)), title=doc["title"],
        scope=report.scope(ctx, edition),
        findings=report.conclusions(ctx, edition, stats)[:HOME_FINDINGS],
        report_url=rel(url, report_url(edition)), board_url=rel(url, board_url(edition)),
        cards=figures,
        top_table=Markup(scroll_box(html_table(
            ["Rank", "Company", "Sector", "Score", "Grade", "Probes"], top_rows, "ccr-top",
            numeric={0, 3, 5}), "Top 10")),
        top_note=Markup(_top_note(ctx, edition, ranked, len(scored) - len(ranked), method)),
        charts=[Markup(c.html(url, ctx.settings.site_url)) for c in charts],
        companies_url=rel(url, "companies/"), for_companies_url=rel(url, "for-companies/"),
        methodology_url=rel(url, "methodology/"), data_url=rel(url, "data/"),
        editions_url=rel(url, "editions/")), charts


def _home_without_edition(ctx: Context) -> str:
    """The home page of a preview in which every edition is still a draft."""
    return "".join([
        front_matter(title="Customer Care Review",
                     description="An open benchmark of how companies answer their customers."),
        "# Customer Care Review\n\n", demo_banner(ctx),
        "No edition has been published yet. The drafts of this preview are listed under "
        f'<a href="{attr(rel("", "editions/"))}">Editions</a>.\n',
    ])


def _top_note(ctx: Context, edition: str, ranked: pd.DataFrame, unranked: int,
              method: Methodology) -> str:
    """What the top 10 is drawn from and how far its order can be read."""
    level = standing.level(method)
    if level is None:
        return ""
    parts = [f"Only the {len(ranked)} ranked companies, each scored on "
             f"{text(standing.threshold(method))} or more, can be in the top 10"
             + (f"; {unranked} more {'is' if unranked == 1 else 'are'} listed unranked on the "
                f'<a href="{attr(rel("", board_url(edition)))}#unranked">leaderboard</a>'
                if unranked else "") + "."]
    parts.append(f"Scores are shown with their {standing.level_html(method)} interval in "
                 "brackets, and a rank as the range of places those intervals allow.")
    groups = ranked["group_overall"].nunique() if len(ranked) else 0
    if groups == 1 and len(ranked) > 1:
        parts.append(f"The intervals leave {standing.all_of(len(ranked))} ranked companies "
                     "in one group of statistically indistinguishable scores: read the order "
                     "as a guide, not a verdict.")
    return f'<p class="ccr-top-note">{" ".join(parts)}</p>\n\n'


def companies_index(ctx: Context) -> str:
    """The A–Z index of every company, with its latest score."""
    url = "companies/"
    order = {e: i for i, e in enumerate(ctx.edition_order())}
    latest = (ctx.scores.companies.assign(_o=ctx.scores.companies["edition"].map(order))
              .sort_values(["slug", "_o"]).drop_duplicates("slug"))
    latest = latest.assign(_k=latest["name"].str.casefold()).sort_values(["_k", "slug"])
    out = [front_matter(title="Companies A–Z"), "# Companies A–Z\n\n",
           f"{len(latest)} companies, with the score of their latest edition.\n\n"]
    letters: dict[str, list[str]] = {}
    for r in latest.to_dict("records"):
        first = str(r["name"])[:1].upper()
        letter = first if first.isalpha() and first.isascii() else "#"
        letters.setdefault(letter, []).append(
            f'<li><a href="{attr(rel(url, company_url(r["slug"])))}">{text(r["name"])}</a> '
            f'<span class="ccr-muted">{text(r["domain"])} · '
            f"{standing.score(r, ctx.method(str(r['edition'])))} "
            f"{text(standing.grade_or_none(r) or '(unranked)')}</span></li>")
    jump = " ".join(f'<a href="#letter-{attr(k.lower() if k != "#" else "other")}">{text(k)}</a>'
                    for k in sorted(letters))
    out.append(f'<nav class="ccr-letters" aria-label="Letters">{jump}</nav>\n\n')
    for k in sorted(letters):
        anchor = k.lower() if k != "#" else "other"
        # The company pages are in the index themselves; these lists would double it.
        out.append(f'<h2 id="letter-{anchor}" data-search-exclude>{text(k)}</h2>\n\n'
                   f'<ul class="ccr-columns">{"".join(letters[k])}</ul>\n\n')
    return "".join(out)


def data_page(ctx: Context, files: dict[str, bytes]) -> str:
    """The downloads: every export file at its stable URL, with its size and schema."""
    url = "data/"
    rows = []
    for name in sorted(files):
        if name.endswith(".schema.json"):
            continue
        stem, _, ext = name.partition(".")
        rows.append([f'<a href="{attr(rel(url, "api/v1/" + name))}">{text(name)}</a>',
                     text(ext.upper()), f"{len(files[name]) / 1024:.1f} KB",
                     f'<a href="{attr(rel(url, f"api/v1/{stem}.schema.json"))}">'
                     f"{text(stem)}.schema.json</a>"])
    return "".join([
        front_matter(title="Data", description="Every Customer Care Review record as CSV and "
                                               "JSON, with JSON Schemas."),
        "# Data\n\n",
        "Every figure on this site can be downloaded. The files live at stable addresses "
        "under <code>/api/v1/</code>; a new format gets a new version, never a silent change. "
        "JSON files hold <code>{\"format_version\": 1, \"rows\": [...]}</code> and each has "
        "a JSON Schema.\n\n",
        scroll_box(html_table(["File", "Format", "Size", "Schema"], rows, "ccr-downloads"),
                   "Downloads") + "\n\n",
        "## Per company and per leaderboard\n\n",
        "<ul><li><code>api/v1/companies/&lt;slug&gt;.json</code> — one company: its scores in "
        "every edition and every probe.</li>"
        "<li><code>api/v1/leaderboards/&lt;edition&gt;.json</code> — an edition's ranking, as "
        "the leaderboard pages load it.</li>"
        "<li><code>badges/&lt;slug&gt;.svg</code> — a company's badge.</li></ul>\n\n",
        "## Reproduce\n\n",
        "The same files come out of <code>ccr export --out DIR</code> run on the data in the "
        "repository; every score can be recomputed with <code>ccr explain SLUG</code>. The data "
        f'files follow a JSON Schema described on <a href="{attr(rel(url, "for-companies/"))}">'
        "For companies</a>.\n",
    ])


def compare_page(ctx: Context) -> str:
    """Two or more companies side by side (the site's script fills the table)."""
    url = "compare/"
    editions = [{"id": e, "title": ctx.editions[e]["title"],
                 "rows": rel(url, f"api/v1/leaderboards/{e}.json")}
                for e in ctx.edition_order()]
    return "".join([
        front_matter(title="Compare companies"),
        "# Compare companies\n\n",
        "Pick two or more companies audited in the same edition to see their scores side by "
        "side. The address of this page keeps your choice, so you can share it.\n\n",
        f'<div class="ccr-compare" data-editions="{attr(json.dumps(editions))}" '
        f'data-root="{attr(rel(url, ""))}">'
        '<form class="ccr-compare-form"><label>Edition <select name="edition">'
        + "".join(f'<option value="{attr(e["id"])}">{text(e["title"])}</option>'
                  for e in editions)
        + '</select></label> <label>Add a company <input name="company" list="ccr-companies" '
        'autocomplete="off" placeholder="name"></label><datalist id="ccr-companies"></datalist>'
        ' <button type="submit" class="md-button">Add</button></form>'
        + scroll_box('<table class="ccr-compare-table"><caption>The chosen companies</caption>'
                     "<tbody></tbody></table>", "Comparison") +
        '<p class="ccr-compare-status" role="status">No company chosen yet.</p></div>\n\n',
        "<noscript>Comparing needs JavaScript; the same figures are in the "
        f'<a href="{rel(url, "data/")}">data downloads</a>.</noscript>\n',
    ])
