"""The company page: score card, sub-scores, channels, promises and every probe as evidence.

Also its corrections, the company's statement and how the score is calculated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import isodate
import pandas as pd

from ..score.explain import explain_terms, human_duration
from ..score.subscores import SUBSCORES
from . import standing
from .badge import badge
from .changes import company_changes
from .charts import Chart, subscores
from .common import (
    Context,
    admonition,
    board_url,
    channel_name,
    company_url,
    country_name,
    demo_banner,
    draft_banner,
    grade_badge,
    html_table,
    language_name,
    rel,
    report_url,
    scroll_box,
    searchless_sections,
    sector_name,
)
from .text import attr, front_matter, link, text
from .text import missing as is_missing

SUBSCORE_NAMES = {"reachability": "Reachability", "speed": "Speed", "quality": "Quality",
                  "transparency": "Transparency", "respect": "Respect"}
BY = {"human": "a person", "bot": "a bot", "auto_reply": "an auto-reply"}


def _when(value: Any) -> str:
    """A data timestamp ``2016-06-02T11:31:00+03:00`` shown as ``2016-06-02 11:31 +03:00``."""
    if is_missing(value):
        return "—"
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)[^Z+-]*(Z|[+-]\d\d:\d\d)", str(value))
    if not m:
        return text(value)
    return text(f"{m.group(1)} {m.group(2)} {'UTC' if m.group(3) == 'Z' else m.group(3)}")


def _rank_item(ctx: Context, row: pd.Series, scope: str, link: str | None,
               where: str) -> str:
    """A rank as the range of places the intervals allow, of how many, and its group."""
    shown = standing.rank_cell(row, scope, of=True)
    if link:
        shown = f'<a href="{attr(link)}">{shown}</a>'
    group = standing.group_words(ctx.group(row, scope), row[f"of_{scope}"])
    return (shown + where
            + (f'<br><span class="ccr-muted">{text(group)}</span>' if group else ""))


def _score_card(ctx: Context, row: pd.Series, url: str) -> str:
    method = ctx.method(row["edition"])
    sector, country = str(row["sector"]), str(row["country"])
    overall = rel(url, board_url(row["edition"]))
    in_sector = rel(url, board_url(row["edition"], "sector", sector))
    bounds = standing.interval(row, method)
    score = (f'<span class="ccr-score">{standing.score(row, method)}</span>'
             f'<span class="ccr-of"> of 100</span>')
    if bounds:
        score += (f'<br><span class="ccr-interval">{standing.level_html(method)} interval '
                  f"{bounds[0]}–{bounds[1]}</span>")
    items = [("Score", score)]
    if standing.is_ranked(row):
        items += [
            ("Grade", grade_badge(str(row["grade"]))),
            ("Tier", text(row["tier"])),
            ("Rank overall", _rank_item(ctx, row, "overall", overall, "")),
            ("Rank in sector", _rank_item(ctx, row, "sector", in_sector,
                                          f" ({text(sector_name(sector))})")),
            ("Rank in country", _rank_item(ctx, row, "country", None,
                                           f" ({text(country_name(country))})")),
        ]
    else:
        items.append(("Rank", f'<a href="{attr(overall)}#unranked">Unranked — limited '
                              "evidence</a><br>"
                              f'<span class="ccr-muted">'
                              f"{text(standing.unranked_short(row, method))} needed for a rank"
                              "</span>"))
    items += [
        ("Movement", text(standing.movement(row, method.score_decimals))),
        ("Evidence", f"{text(standing.probes(row['probes']))} in "
                     f"{text(standing.families(row.get('probed_families') or 0))}, "
                     f"{int(row['answered'])} answered by a person"),
    ]
    cells = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in items)
    return f'<dl class="ccr-card" data-search-exclude>{cells}</dl>\n\n'


def _hours(audit: dict[str, Any]) -> str:
    hours = audit.get("support_hours")
    if not hours:
        return "No customer-service hours are published."
    parts = [f"{text(', '.join(g['days']))} {text(g['open'])}–{text(g['close'])}"
             for g in hours["schedule"]]
    source = (" (" + link(hours["source"], "source") + ")") if hours.get("source") else ""
    return (f"Published customer-service hours ({text(hours['timezone'])}): "
            + "; ".join(parts) + source + ".")


def _channels(audit: dict[str, Any], probed: set[str], families: dict[str, str]) -> str:
    rows = []
    for ch in audit["channels"]:
        promise = ch.get("declared_response_time")
        if promise:
            where = str(promise["where"]).replace("_", " ")
            said = f"within {text(human_duration(_iso_seconds(promise['duration'])))} " \
                   f"(on the {text(where)})"
            if promise.get("quote"):
                said += f": “{text(promise['quote'])}”"
        else:
            said = "none"
        extras = [k for k in ("proactive", "handoff", "follows_up") if ch.get(k)]
        note = "; ".join([text(k.replace("_", " ")) for k in extras]
                         + ([text(ch["notes"])] if ch.get("notes") else []))
        rows.append([text(channel_name(ch["type"])),
                     text(families.get(ch["type"], "").replace("_", " ")),
                     "yes" if ch["type"] in probed else "no", said, note or ""])
    return scroll_box(html_table(["Channel", "Family", "Probed", "Promised response time",
                                  "Notes"], rows, "ccr-channels"), "Channels")


def _iso_seconds(duration: str) -> float:
    return float(isodate.parse_duration(duration).total_seconds())


def script_title(question: str, limit: int = 80) -> str:
    """A question script's text as a short title: its first sentence, or its start cut at a word.

    Readers see what was asked ("We are planning a web application…"), not an internal id.
    """
    words = " ".join(question.split())
    first = re.match(r"(.+?[.?!])(\s|$)", words)
    if first and len(first.group(1)) <= limit:
        return first.group(1)
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _business(p: dict[str, Any]) -> str:
    """The business-time wait, with a plain word when hours outside opening shortened it."""
    shown = text(human_duration(p["reply_business_seconds"]))
    wall, business = float(p["reply_seconds"]), float(p["reply_business_seconds"])
    if business >= wall:
        return shown
    why = ("sent and answered outside business hours: counted from the next opening, which "
           "the reply came before" if business == 0 else
           "time outside business hours not counted")
    return f'{shown}<br><span class="ccr-why">{why}</span>'


def _probes(ctx: Context, audit: dict[str, Any], probes: pd.DataFrame, edition: str) -> str:
    method = ctx.method(edition)
    scripts = {s["id"]: s for s in ctx.editions[edition].get("scripts", [])}
    rows, quality_rows, notes = [], [], []
    for i, p in enumerate(probes.to_dict("records")):  # dicts: far cheaper than iterrows
        raw = audit["probes"][int(p["probe"])]
        first = raw.get("first_response")
        first_cell = (f"{_when(p['first_at_text'])}<br>by {BY.get(first['by'], 'someone')}"
                      if first else "no reply")
        if first and first["by"] == "human":
            human = "(the first reply)"
        else:
            human = "none" if is_missing(p["human_at_text"]) else _when(p["human_at_text"])
        if is_missing(p["promise_kept"]):
            promise = "none made"
        else:
            promise = (("kept" if p["promise_kept"] else "broken")
                       + f" ({text(human_duration(p['promised_seconds']))})")
        script = scripts.get(raw["script"])
        question = (f'<span title="{attr(script["text"])}">{text(script_title(script["text"]))}'
                    "</span>" if script else text(raw["script"]))
        q = "—" if is_missing(p["quality_points"]) else \
            f"{p['quality_points']:.1f} of {method.quality_scale:g}"
        rows.append([str(i + 1), text(channel_name(p["channel"])), question,
                     _when(p["sent_at_text"]), first_cell, human,
                     text(human_duration(p["reply_seconds"])) if p["answered"] else "never",
                     _business(p) if p["answered"] else "—",
                     promise, q])
        marks = raw.get("quality") or {}
        quality_rows.append([str(i + 1)] + [
            {True: '<span title="met">✓</span>', False: '<span title="not met">✗</span>',
             "n/a": "n/a"}.get(marks.get(item), "—") if item in marks else "—"
            for item in method.rubric])
        extra = []
        if raw.get("redirected_to"):
            extra.append(f"redirected to {text(channel_name(raw['redirected_to']))}")
        if raw.get("marketing_after_no_answer"):
            extra.append(f"{int(raw['marketing_after_no_answer'])} marketing e-mails "
                         "instead of an answer")
        ack = raw.get("acknowledgement")
        if ack and ack.get("quote"):
            extra.append(f"acknowledgement: “{text(ack['quote'])}”")
        if raw.get("notes"):
            extra.append(text(raw["notes"]))
        for ev in raw.get("evidence", []):
            if isinstance(ev, dict):  # an e-mail the auditor keeps: its role and digest only
                extra.append(f"evidence: {text(str(ev['role']).replace('_', ' '))} e-mail, "
                             f"SHA-256 <code>{text(str(ev['sha256'])[:16])}…</code>")
                continue
            target = ctx.blob_url(ev)
            extra.append("evidence: " + (link(target, ev) if target else text(ev)))
        if extra:
            notes.append(f"<li><strong>Probe {i + 1}</strong>: " + "; ".join(extra) + "</li>")
    table = html_table(["#", "Channel", "Question", "Sent", "First reply", "Reply by a person",
                        "Reply time", "Business time", "Promise", "Quality"], rows,
                       "ccr-probes", numeric={0})
    rubric = html_table(["#"] + [text(method.rubric_labels[i]) for i in method.rubric],
                        quality_rows, "ccr-quality")
    listed = f'<ul class="ccr-probe-notes">{"".join(notes)}</ul>\n\n' if notes else ""
    return (scroll_box(table, "Probes", " data-search-exclude") + f"\n\n{listed}"
            '<details class="ccr-rubric"><summary>Quality of each answer, item by item'
            f"</summary>{scroll_box(rubric, 'Quality marks')}</details>\n\n")


def _explain(ctx: Context, row: pd.Series, probes: pd.DataFrame, url: str) -> str:
    lines = explain_terms(row, probes, ctx.method(row["edition"]))
    body = html.escape("\n".join(lines))
    method = rel(url, "methodology/")
    return ("## How is this calculated? {#how-calculated}\n\n"
            f'The score follows the published <a href="{attr(method)}">methodology</a> '
            "term by term; anyone can reproduce it with "
            f"<code>ccr explain {text(row['slug'])} --edition {text(row['edition'])}</code>.\n\n"
            f'<details class="ccr-explain"><summary>The calculation for this company</summary>'
            f"<pre>{body}</pre></details>\n\n")


def _history(ctx: Context, doc: dict[str, Any], rows: pd.DataFrame, url: str) -> str:
    out = []
    if len(rows) > 1:
        table = [[f'<a href="{attr(rel(url, report_url(r["edition"])))}">'
                  f"{text(ctx.editions[r['edition']]['title'])}</a>",
                  standing.score_cell(r, ctx.method(str(r["edition"]))),
                  grade_badge(str(r["grade"])) if standing.is_ranked(r) else "—",
                  standing.rank_cell(r, "overall", of=True), str(int(r["probes"]))]
                 for _, r in rows.iterrows()]
        out.append("## Editions\n\n" + html_table(["Edition", "Score", "Grade", "Rank", "Probes"],
                                                 table, "ccr-history", numeric={1, 3, 4}) + "\n\n")
    corrections = doc.get("corrections", [])
    out.append("## Corrections {#corrections}\n\n")
    if corrections:
        items = "".join(
            f"<li><time>{text(c['date'])}</time> — {text(c['kind'])}: {text(c['summary'])}"
            + (" (" + link(c["link"], "discussion") + ")" if c.get("link") else "") + "</li>"
            for c in corrections)
        out.append(f'<ul class="ccr-corrections">{items}</ul>\n\n')
    else:
        out.append("No corrections since publication.\n\n")
    return "".join(out)


def _statement(doc: dict[str, Any], url: str) -> str:
    """The company's right of reply, right under its score card (its own words, in full)."""
    st = doc.get("statement")
    if not st:
        return ('<p class="ccr-statement-none" id="statement">The company has not given a '
                "statement. Every company audited has a right of reply: see "
                f'<a href="{attr(rel(url, "for-companies/"))}">For companies</a>.</p>\n\n')
    source = (" " + link(st["link"], "Published by the company.")) if st.get("link") else ""
    return ("## The company's statement {#statement}\n\n"
            f'<blockquote class="ccr-statement"><p>{text(st["text"])}</p>'
            f"<footer>Statement of {text(doc['name'])}, {text(st['date'])}.{source}</footer>"
            "</blockquote>\n\n")


def _badge(ctx: Context, row: pd.Series, url: str) -> str:
    slug = str(row["slug"])
    made = badge(row, ctx.method(str(row["edition"])))
    img = ctx.absolute(f"badges/{slug}.svg")
    page = ctx.absolute(company_url(slug))
    snippet = (f'<a href="{attr(page)}"><img src="{attr(img)}" alt="{attr(made.label)}" '
               f'width="{made.width}" height="{made.height}"></a>')
    return ("## Badge {#badge}\n\n"
            f'<p><img src="{attr(rel(url, f"badges/{slug}.svg"))}" alt="{attr(made.label)}" '
            f'width="{made.width}" height="{made.height}"></p>\n\n'
            "Embed it on your site:\n\n"
            f'<pre class="ccr-snippet"><code>{html.escape(snippet)}</code></pre>\n\n')


def company_page(ctx: Context, slug: str, rows: pd.DataFrame, probes: pd.DataFrame,
                 medians: pd.DataFrame, chart_path: str) -> tuple[str, Chart]:
    """The Markdown of one company page and its sub-score chart."""
    doc = ctx.docs[slug]
    url = company_url(slug)
    order = {e: i for i, e in enumerate(ctx.edition_order())}
    rows = rows.sort_values("edition", key=lambda s: s.map(order))
    latest = rows.iloc[0]
    edition = str(latest["edition"])
    method = ctx.method(edition)
    website = doc["website"]
    out = [front_matter(title=doc["name"],
                        description=f"How {doc['name']} answers its customers: "
                                    f"Customer Care Review score, ranks and evidence.",
                        hide=["navigation"]),
           f"# {text(doc['name'])}\n\n",
           draft_banner(ctx, list(rows["edition"])), demo_banner(ctx, list(rows["edition"])),
           f'<p class="ccr-lede">{link(website, latest["domain"])} · '
           f"{text(sector_name(doc['sector']))} · {text(country_name(doc['country']))} · "
           f"site in {text(', '.join(language_name(x) for x in doc['languages']))}"
           + (f" · helpdesk: {text(doc['helpdesk'].get('system', 'yes'))}"
              if doc.get("helpdesk", {}).get("used") else "")
           + f'</p>\n\n<p class="ccr-edition">Latest edition: <a href="'
           f'{attr(rel(url, report_url(edition)))}">{text(ctx.editions[edition]["title"])}</a>'
           f"; audited {text(latest['started'])} to {text(latest['ended'])}; last verified "
           f"<time>{text(latest['verified'])}</time>.</p>\n\n"]
    if not standing.is_ranked(latest):
        out.append(admonition("note", "Unranked — limited evidence",
                              text(standing.unranked_reason(latest, method))))
    elif latest["limited_evidence"]:
        out.append(admonition("note", "Limited evidence",
                              f"This score rests on {int(latest['probes'])} probe"
                              f"{'s' if latest['probes'] != 1 else ''}, fewer than the "
                              f"{method.minimum_probes} the methodology asks for: read it "
                              "with care."))
    out.append(_score_card(ctx, latest, url))
    out.append(_statement(doc, url))
    out.append(f'<p class="ccr-actions" data-search-exclude><a class="md-button" href="'
               f'{attr(ctx.edit_url(str(latest["file"])) or rel(url, "for-companies/"))}">'
               "Suggest a correction</a> "
               + (f'<a class="md-button" href="{attr(ctx.issue_url(slug))}">Report an error '
                  "without git</a> " if ctx.issue_url(slug) else "")
               + '<a class="md-button" href="#how-calculated">How is this calculated?</a>'
               "</p>\n\n")
    med: Any = medians.loc[(edition, str(latest["sector"]))]  # one row: sub-score → median
    chart_rows = [{"subscore": SUBSCORE_NAMES[s], "company": round(float(latest[s]), 1),
                   "median": round(float(med[s]), 1)} for s in SUBSCORES]
    caption = (f"Sub-scores of {text(doc['name'])} (bars) against the median of the "
               f"{text(sector_name(str(latest['sector'])).lower())} sector (ticks), edition "
               f"{text(edition)}.")
    chart = subscores(chart_path, chart_rows, caption=caption,
                      median_label=f"{sector_name(str(latest['sector']))} median")
    out.append("## Sub-scores {#subscores}\n\n" + chart.html(url))
    for _, row in rows.iterrows():
        ed = str(row["edition"])
        audit = next(a for a in doc["audits"] if a["edition"] == ed)
        ed_probes = probes[probes["edition"] == ed]
        heading = "" if len(rows) == 1 else f" — {text(ctx.editions[ed]['title'])}"
        out.append(f"## Channels and promises{heading}\n\n{_hours(audit)}\n\n"
                   + _channels(audit, set(ed_probes["channel"]), ctx.method(ed).families)
                   + "\n\n")
        if audit.get("notes"):
            out.append(f'<p class="ccr-notes">Auditors\' notes: {text(audit["notes"])}</p>\n\n')
        out.append(f"## Evidence: every probe{heading}\n\n"
                   f"{len(ed_probes)} question{'s' if len(ed_probes) != 1 else ''} sent. Reply "
                   "times count until the first reply by a person. Business time counts only "
                   "the company's published hours (or the edition's hours when none are "
                   "published): a question sent outside them is counted from the next "
                   "opening, so a reply that came before it shows 0 s.\n\n"
                   + _probes(ctx, audit, ed_probes, ed))
    out.append(_explain(ctx, latest, probes[probes["edition"] == edition], url))
    out.append(_history(ctx, doc, rows, url))
    out.append(company_changes(ctx, str(latest["file"])))
    out.append(_badge(ctx, latest, url))
    out.append(f'<p class="ccr-source">Data file: <code>{text(latest["file"])}</code>'
               + (f" — {link(ctx.blob_url(str(latest['file'])), 'view on GitHub')}"
                  if ctx.blob_url(str(latest["file"])) else "") + "</p>\n")
    return searchless_sections("".join(out)), chart


def company_pages(ctx: Context) -> Iterator[tuple[str, str, Chart]]:
    """Every company page: (Markdown path, Markdown, chart)."""
    companies = ctx.scores.companies
    medians = companies.groupby(["edition", "sector"])[list(SUBSCORES)].median()
    probes_by = dict(tuple(ctx.scores.probes.groupby("slug")))
    empty = ctx.scores.probes.iloc[0:0]
    for slug, rows in companies.groupby("slug", sort=True):
        s = str(slug)
        md, chart = company_page(ctx, s, rows, probes_by.get(s, empty), medians,
                                 f"charts/companies/{s}.json")
        yield f"companies/{s}.md", md, chart
