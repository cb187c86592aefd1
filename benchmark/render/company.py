"""The company page: score card, sub-scores, channels, promises and every probe as evidence.

Also its corrections, the company's statement and how the score is calculated.

A company page is *stamped*: its body is finished HTML, rendered from
``templates/company.html`` and its ``_company_*.html`` partials, with no Markdown in it. The
body is one ``<div class="ccr-company">`` block without blank lines, so that Python-Markdown
(as MkDocs runs it) passes it through unchanged, byte for byte; the build puts it into a
shell page MkDocs built once. Headings carry the ids MkDocs' table of contents gave them when
the page was Markdown, and a short "On this page" list replaces the toc a shell page lacks.

The data is read once: every company's scored rows and probes become plain dicts (a batch
of companies at a time, as their pages are made, never a ``.loc`` or ``iterrows`` per row),
and the templates get plain data — strings, numbers, lists, dicts — and
:class:`markupsafe.Markup` only from the few helpers that make HTML (chart figure, grade
badge, rank cells, banners, commit items).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from hashlib import sha256
from typing import Any, cast

import altair as alt
import numpy as np
import pandas as pd
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup

from ..effect import describe
from ..history import Commit, History
from ..methodology import Methodology
from ..score.explain import explain_terms
from ..score.subscores import SUBSCORES
from ..values import human_duration, is_missing, parse_duration
from . import standing
from .badge import badge
from .changes import COMPANY_COMMITS, commit_item, history_notice
from .charts import Chart, subscores, unchecked
from .common import (
    SUBSCORE_NAMES,
    Context,
    PageContext,
    SiteLinks,
    board_url,
    channel_name,
    company_url,
    country_name,
    demo_banner,
    draft_banner,
    find_group,
    grade_badge,
    is_draft,
    language_name,
    records,
    rel,
    report_url,
    sector_name,
)
from .jinja import render_html, render_template
from .text import attr, front_matter, safe_url, text

BY = {"human": "a person", "bot": "a bot", "auto_reply": "an auto-reply"}
MARKS = {True: ("✓", "met"), False: ("✗", "not met")}
TREND_HEIGHT = 160
NO_EFFECT = "Effect not recorded (recorded before CCR kept effects)"


@dataclass(frozen=True, slots=True)
class CompanyPage:
    """One company page: its finished HTML body, plain-text title, description and search."""

    path: str  # companies/<slug>.md, where its Markdown source would be
    body: str  # the HTML body, one block that Markdown passes through unchanged
    title: str
    description: str
    search: str
    chart: Chart  # sub-scores against the sector median
    trend: Chart | None  # the score across editions; None for one edition
    latest: dict[str, Any]  # the scored row of its latest edition (for the badge)


def markdown_body(title: str, description: str, body: str) -> str:
    """A page as the Markdown MkDocs would build: front matter, then the body as it is."""
    return front_matter(title=title, description=description, hide=["navigation"]) + body + "\n"


def markdown_page(page: CompanyPage) -> str:
    """A company page as the Markdown MkDocs would build."""
    return markdown_body(page.title, page.description, page.body)


def _when(value: Any) -> str:
    """A data timestamp ``2016-06-02T11:31:00+03:00`` shown as ``2016-06-02 11:31 +03:00``."""
    if is_missing(value):
        return "—"
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)[^Z+-]*(Z|[+-]\d\d:\d\d)", str(value))
    if not m:
        return str(value)
    return f"{m.group(1)} {m.group(2)} {'UTC' if m.group(3) == 'Z' else m.group(3)}"


def _iso_seconds(duration: str) -> float | None:
    parsed = parse_duration(duration)
    return None if parsed is None else parsed.total_seconds()


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
    """The business-time wait, with a plain word when hours outside opening shortened it.

    HTML: the wait (escaped) and, when it is shorter than the wall-clock wait, why.
    """
    shown = text(human_duration(p["reply_business_seconds"]))
    wall, business = float(p["reply_seconds"]), float(p["reply_business_seconds"])
    if business >= wall:
        return shown
    why = (
        "sent and answered outside business hours: counted from the next opening, which "
        "the reply came before"
        if business == 0
        else "time outside business hours not counted"
    )
    return f'{shown}<br><span class="ccr-why">{why}</span>'


class _Records:
    """A company's probe records where :func:`explain_terms` reads a table (``to_dict``)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self._records = records

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        assert orient == "records"
        return self._records


class _Ids:
    """Heading ids as MkDocs' toc gave them: explicit ones kept, others slugged, unique."""

    def __init__(self, explicit: set[str]) -> None:
        self.used = set(explicit)
        self.counters: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        return str(unique(slugify(heading, "-"), self.used, self.counters))


# ----------------------------------------------------------------------------- sections


def _rank(
    ctx: PageContext, row: dict[str, Any], scope: str, href: str | None, where: str
) -> dict[str, Any]:
    group = standing.group_words(ctx.group(row, scope), row[f"of_{scope}"])
    return {
        "cell": Markup(standing.rank_cell(row, scope, of=True)),
        "href": href,
        "where": where,
        "group": group,
    }


def _card(ctx: PageContext, row: dict[str, Any], url: str) -> dict[str, Any]:
    method = ctx.method(row["edition"])
    sector, country = str(row["sector"]), str(row["country"])
    overall = rel(url, board_url(row["edition"]))
    bounds = standing.interval(row, method)
    card: dict[str, Any] = {
        "score": Markup(standing.score(row, method)),
        "interval": (
            {
                "level": Markup(standing.level_html(method)),
                "low": Markup(bounds[0]),
                "high": Markup(bounds[1]),
            }
            if bounds
            else None
        ),
        "ranked": standing.is_ranked(row),
        "overall_href": overall,
        "movement": standing.movement(row, method.score_decimals),
        "probes": standing.probes(row["probes"]),
        "families": standing.families(row.get("probed_families") or 0),
        "answered": int(row["answered"]),
    }
    if card["ranked"]:
        card.update(
            grade=Markup(grade_badge(str(row["grade"]))),
            tier=row["tier"],
            ranks=[
                ("Rank overall", _rank(ctx, row, "overall", overall, "")),
                (
                    "Rank in sector",
                    _rank(
                        ctx,
                        row,
                        "sector",
                        rel(url, board_url(row["edition"], "sector", sector)),
                        sector_name(sector),
                    ),
                ),
                ("Rank in country", _rank(ctx, row, "country", None, country_name(country))),
            ],
        )
    else:
        card["needed"] = standing.unranked_short(row, method)
    return card


def _hours(audit: dict[str, Any]) -> dict[str, Any] | None:
    hours = audit.get("support_hours")
    if not hours:
        return None
    return {
        "timezone": hours["timezone"],
        "schedule": [
            {"days": ", ".join(g["days"]), "open": g["open"], "close": g["close"]}
            for g in hours["schedule"]
        ],
        "source": safe_url(hours.get("source")),
    }


def _channels(
    audit: dict[str, Any], probed: set[str], families: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for ch in audit["channels"]:
        promise = ch.get("declared_response_time")
        said = None
        if promise:
            said = {
                "within": human_duration(_iso_seconds(promise["duration"])),
                "where": str(promise["where"]).replace("_", " "),
                "quote": promise.get("quote"),
            }
        notes = [
            k.replace("_", " ") for k in ("proactive", "handoff", "follows_up") if ch.get(k)
        ] + ([ch["notes"]] if ch.get("notes") else [])
        rows.append(
            {
                "name": channel_name(ch["type"]),
                "family": families.get(ch["type"], "").replace("_", " "),
                "probed": "yes" if ch["type"] in probed else "no",
                "promise": said,
                "notes": notes,
            }
        )
    return rows


def _probe_notes(ctx: PageContext, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """What else a probe's record says: redirects, marketing, acknowledgement, evidence."""
    extra: list[dict[str, Any]] = []
    if raw.get("redirected_to"):
        extra.append({"text": f"redirected to {channel_name(raw['redirected_to'])}"})
    if raw.get("marketing_after_no_answer"):
        extra.append(
            {
                "text": f"{int(raw['marketing_after_no_answer'])} marketing e-mails "
                "instead of an answer"
            }
        )
    ack = raw.get("acknowledgement")
    if ack and ack.get("quote"):
        extra.append({"acknowledgement": ack["quote"]})
    if raw.get("notes"):
        extra.append({"text": raw["notes"]})
    for ev in raw.get("evidence", []):
        if isinstance(ev, dict):  # an e-mail the auditor keeps: its role and digest only
            extra.append(
                {"email": str(ev["role"]).replace("_", " "), "sha": str(ev["sha256"])[:16]}
            )
            continue
        target = ctx.blob_url(ev)
        extra.append({"evidence": ev, "href": safe_url(target) if target else None})
    return extra


def _mark(marks: dict[str, Any], item: str) -> tuple[str, str | None]:
    """A rubric mark: (symbol, words) for met / not met, else ("n/a" or a dash, None)."""
    value = marks.get(item)
    if value is True or value is False:
        return MARKS[value]
    return ("n/a", None) if value == "n/a" else ("—", None)


def _probes(
    ctx: PageContext, audit: dict[str, Any], probes: list[dict[str, Any]], edition: str
) -> dict[str, Any]:
    method = ctx.method(edition)
    scripts = {s["id"]: s for s in ctx.editions[edition].get("scripts", [])}
    rows = []
    for i, p in enumerate(probes):
        raw = audit["probes"][int(p["probe"])]
        first = raw.get("first_response")
        if first and first["by"] == "human":
            human = "(the first reply)"
        else:
            human = "none" if is_missing(p["human_at_text"]) else _when(p["human_at_text"])
        promise = (
            None
            if is_missing(p["promise_kept"])
            else {
                "kept": "kept" if p["promise_kept"] else "broken",
                "within": human_duration(p["promised_seconds"]),
            }
        )
        script = scripts.get(raw["script"])
        marks = raw.get("quality") or {}
        rows.append(
            {
                "n": i + 1,
                "channel": channel_name(p["channel"]),
                "script": script["text"] if script else None,
                "question": script_title(script["text"]) if script else raw["script"],
                "sent": _when(p["sent_at_text"]),
                "first": (
                    {"at": _when(p["first_at_text"]), "by": BY.get(first["by"], "someone")}
                    if first
                    else None
                ),
                "human": human,
                "answered": bool(p["answered"]),
                "reply": human_duration(p["reply_seconds"]) if p["answered"] else "never",
                "business": Markup(_business(p)) if p["answered"] else "—",
                "promise": promise,
                "quality": None if is_missing(p["quality_points"]) else p["quality_points"],
                "marks": [_mark(marks, item) for item in method.rubric],
                "notes": _probe_notes(ctx, raw),
            }
        )
    return {
        "rows": rows,
        "scale": Markup(f"{method.quality_scale:g}"),
        "rubric": [method.rubric_labels[i] for i in method.rubric],
    }


def _corrections(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each correction with its effect on score and rank, as ``ccr correct`` recorded it.

    ``Score 61 → 64; rank 12–18 → 9–15 (edition 2019)``; entries recorded before CCR kept
    effects say so (:data:`NO_EFFECT`). Plain text: the template escapes it.
    """

    def effect(c: dict[str, Any]) -> str:
        if not isinstance(c.get("effect"), dict):
            return NO_EFFECT
        said = describe(c["effect"])
        return said[:1].upper() + said[1:]

    return [
        {
            "date": c["date"],
            "kind": c["kind"],
            "summary": c["summary"],
            "link": safe_url(c.get("link")),
            "effect": effect(c),
        }
        for c in doc.get("corrections", [])
    ]


def _changes(ctx: PageContext, file: str) -> dict[str, Any]:
    commits = ctx.history.for_file(file)
    more = len(commits) - COMPANY_COMMITS
    return {
        "notice": Markup(history_notice(ctx).strip()),
        "commits": [Markup(commit_item(ctx, c)) for c in commits[:COMPANY_COMMITS]],
        "more": max(more, 0),
        "log": safe_url(ctx.log_url(file)),
        "none_yet": not commits and ctx.history.state != "none",
    }


def _badge(ctx: PageContext, row: dict[str, Any], url: str) -> dict[str, Any]:
    slug = str(row["slug"])
    made = badge(row, ctx.method(str(row["edition"])))
    img = ctx.absolute(f"badges/{slug}.svg")
    page = ctx.absolute(company_url(slug))
    snippet = (
        f'<a href="{attr(page)}"><img src="{attr(img)}" alt="{attr(made.label)}" '
        f'width="{made.width}" height="{made.height}"></a>'
    )
    return {
        "src": rel(url, f"badges/{slug}.svg"),
        "label": made.label,
        "width": made.width,
        "height": made.height,
        "snippet": Markup(html.escape(snippet)),
    }


@cache
@unchecked
def _trend_template() -> dict[str, Any]:
    base = alt.Chart(alt.Data(values=[])).encode(  # type: ignore[no-untyped-call]
        x=alt.X("edition:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("score:Q", title="score of 100", scale=alt.Scale(domain=[0, 100])),
    )
    line = base.mark_line(point=True, color="#4051b5").encode(
        tooltip=[alt.Tooltip("edition:N"), alt.Tooltip("score:Q", format=".1f")]
    )
    spec: dict[str, Any] = line.properties(width="container", height=TREND_HEIGHT).to_dict(
        validate=False
    )
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec.pop("config", None)
    return spec


def trend(path: str, name: str, points: list[dict[str, Any]]) -> Chart:
    """The company's score across editions, oldest first (only for two or more editions)."""
    spec = dict(_trend_template())
    spec["data"] = {"values": [{"edition": p["edition"], "score": p["score"]} for p in points]}
    caption = text(f"Score of {name} in each edition it was audited in, oldest first.")
    spec["description"] = f"Score of {name} in each edition it was audited in, oldest first."
    table = render_template("_company_trend_table.html", points=points).strip()
    return Chart(path, spec, TREND_HEIGHT + 40, caption, table)


# ----------------------------------------------------------------------------- the page


def company_page(
    ctx: PageContext,
    slug: str,
    rows: list[dict[str, Any]],
    probes: list[dict[str, Any]],
    medians: dict[tuple[str, str], dict[str, Any]],
    chart_path: str,
) -> CompanyPage:
    """One company page from its scored rows and probes (plain records)."""
    doc = ctx.docs[slug]
    url = company_url(slug)
    order = {e: i for i, e in enumerate(ctx.edition_order())}
    rows = sorted(rows, key=lambda r: order[r["edition"]])
    latest = rows[0]
    edition = str(latest["edition"])
    method = ctx.method(edition)
    name = str(doc["name"])
    editions = [str(r["edition"]) for r in rows]
    by_edition: dict[str, list[dict[str, Any]]] = {e: [] for e in editions}
    for p in probes:
        by_edition.setdefault(p["edition"], []).append(p)
    ids = _Ids({"subscores", "how-calculated", "corrections", "changes", "badge", "statement"})
    h1 = ids(name)

    notice = None
    if not standing.is_ranked(latest):
        notice = ("Unranked — limited evidence", standing.unranked_reason(latest, method))
    elif latest["limited_evidence"]:
        n = int(latest["probes"])
        notice = (
            "Limited evidence",
            f"This score rests on {standing.probes(n)}, fewer than the "
            f"{method.minimum_probes} the methodology asks for: read it with care.",
        )
    med = medians[(edition, str(latest["sector"]))]
    chart_rows = [
        {
            "subscore": SUBSCORE_NAMES[s],
            "company": round(float(latest[s]), 1),
            "median": round(float(med[s]), 1),
        }
        for s in SUBSCORES
    ]
    caption = (
        f"Sub-scores of {text(name)} (bars) against the median of the "
        f"{text(sector_name(str(latest['sector'])).lower())} sector (ticks), edition "
        f"{text(edition)}."
    )
    chart = subscores(
        chart_path,
        chart_rows,
        caption=caption,
        median_label=f"{sector_name(str(latest['sector']))} median",
    )

    audits = []
    for row in rows:
        ed = str(row["edition"])
        audit = next(a for a in doc["audits"] if a["edition"] == ed)
        ed_probes = by_edition[ed]
        heading = "" if len(rows) == 1 else f" — {ctx.editions[ed]['title']}"
        audits.append(
            {
                "channels_title": f"Channels and promises{heading}",
                "channels_id": ids(f"Channels and promises{heading}"),
                "hours": _hours(audit),
                "channels": _channels(
                    audit, {p["channel"] for p in ed_probes}, ctx.method(ed).families
                ),
                "notes": audit.get("notes"),
                "evidence_title": f"Evidence: every probe{heading}",
                "evidence_id": ids(f"Evidence: every probe{heading}"),
                "count": len(ed_probes),
                "probes": _probes(ctx, audit, ed_probes, ed),
            }
        )

    history = None
    trend_chart = None
    if len(rows) > 1:
        history = {
            "id": ids("Editions"),
            "rows": [
                {
                    "href": rel(url, report_url(r["edition"])),
                    "title": ctx.editions[r["edition"]]["title"],
                    "score": Markup(standing.score_cell(r, ctx.method(str(r["edition"])))),
                    "grade": (
                        Markup(grade_badge(str(r["grade"]))) if standing.is_ranked(r) else "—"
                    ),
                    "rank": Markup(standing.rank_cell(r, "overall", of=True)),
                    "probes": int(r["probes"]),
                }
                for r in rows
            ],
        }
        points = [
            {
                "edition": str(r["edition"]),
                "title": ctx.editions[r["edition"]]["title"],
                "score": round(float(r["score_display"]), 1),
            }
            for r in reversed(rows)
        ]
        trend_chart = trend(f"charts/companies/{slug}-trend.json", name, points)

    statement = doc.get("statement")
    sections: list[tuple[str, str]] = [("subscores", "Sub-scores")]
    for a in audits:
        sections += [
            (a["channels_id"], a["channels_title"]),
            (a["evidence_id"], a["evidence_title"]),
        ]
    sections.append(("how-calculated", "How is this calculated?"))
    if history:
        sections.append((str(history["id"]), "Editions"))
    sections += [
        ("corrections", "Corrections"),
        ("changes", "Changes to this file"),
        ("badge", "Badge"),
    ]
    if statement:
        sections.insert(0, ("statement", "The company's statement"))

    helpdesk = doc.get("helpdesk", {})
    file = str(latest["file"])
    blob = ctx.blob_url(file)
    lede = {
        "website": safe_url(doc["website"]),
        "domain": latest["domain"],
        "sector": sector_name(doc["sector"]),
        "country": country_name(doc["country"]),
        "languages": ", ".join(language_name(x) for x in doc["languages"]),
        "helpdesk": helpdesk.get("system", "yes") if helpdesk.get("used") else None,
    }
    body = render_html(
        "company.html",
        name=name,
        h1=h1,
        url=url,
        banners=Markup(
            (draft_banner(ctx, editions) + demo_banner(ctx, editions)).replace("\n\n", "\n").strip()
        ),
        lede=lede,
        edition={
            "href": rel(url, report_url(edition)),
            "title": ctx.editions[edition]["title"],
            "started": latest["started"],
            "ended": latest["ended"],
            "verified": latest["verified"],
        },
        notice=notice,
        card=_card(ctx, latest, url),
        sections=sections,
        statement=statement,
        for_companies=rel(url, "for-companies/"),
        edit=ctx.edit_url(file) or rel(url, "for-companies/"),
        issue=ctx.issue_url(slug),
        chart=Markup(chart.html(url).strip()),
        trend=Markup(trend_chart.html(url).strip()) if trend_chart else None,
        audits=audits,
        explain="\n".join(
            explain_terms(latest, cast(pd.DataFrame, _Records(by_edition[edition])), method)
        ),
        methodology=rel(url, "methodology/"),
        slug=slug,
        edition_id=edition,
        history=history,
        corrections=_corrections(doc),
        changes=_changes(ctx, file),
        badge=_badge(ctx, latest, url),
        file=file,
        blob=safe_url(blob) if blob else None,
    ).strip()
    search = " ".join(
        [
            name,
            str(latest["domain"]),
            lede["sector"],
            lede["country"],
            f"site in {lede['languages']}",
        ]
        + ([f"helpdesk: {lede['helpdesk']}"] if lede["helpdesk"] else [])
    )
    return CompanyPage(
        f"companies/{slug}.md",
        body,
        name,
        f"How {name} answers its customers: Customer Care Review score, ranks and evidence.",
        search,
        chart,
        trend_chart,
        latest,
    )


class CompanyContext(SiteLinks):
    """The part of the site's context one company's page is rendered from, and no more.

    Its own document and history, the site's settings, editions, methodologies, edition
    order and rank groups. Every company page is rendered through one (a page that reached
    for anything else would fail in every build and test), so :func:`page_key`, which
    hashes all of it, is the complete key of what the page is made from.
    """

    __slots__ = ("_groups", "_methods", "_order", "docs", "editions", "history", "settings")

    def __init__(self, ctx: Context, slug: str, files: list[str]) -> None:
        self.docs = {slug: ctx.docs[slug]}
        self.editions = ctx.editions
        self.settings = ctx.settings
        whole = ctx.history
        self.history = History(whole.state, (), whole.epoch, {f: whole.for_file(f) for f in files})
        self._order = tuple(ctx.edition_order())
        self._groups = ctx.groups()
        self._methods = ctx.scores.methodologies

    def site(self) -> tuple[Any, ...]:
        """What every company's view shares (the site-wide part of the key)."""
        return (self.settings, self.editions, self._order, self._groups, self._methods)

    def edition_order(self) -> list[str]:
        """Editions that have scores, newest first."""
        return list(self._order)

    def is_draft(self, edition: str) -> bool:
        """True for a draft edition."""
        return is_draft(self.editions, edition)

    def method(self, edition: str) -> Methodology:
        """The methodology an edition is scored with."""
        return self._methods[self.editions[edition]["methodology"]]

    def group(self, row: Any, scope: str = "overall") -> tuple[int, int, int] | None:
        """A ranked row's group in ``scope``."""
        return find_group(self._groups, row, scope)


# The types a key is made of: their repr is their whole value, and no two differ only in type
# (1, 1.0 and True; "x" and Markup("x"); a tuple and a list all print apart).
_PLAIN = frozenset({str, int, float, bool, type(None), pd.Timestamp, pd.Timedelta, type(pd.NaT)})


# and in a table's column, pandas' missing value (its repr is its own)
_RAW = _PLAIN | {type(pd.NA)}


# what a plain value may hold (a Commit is a frozen dataclass of plain values: its repr is all)
_NESTED = _PLAIN | {dict, list, tuple, Commit}


def _plain(value: Any) -> bool:
    """True when ``value`` is made of :data:`_PLAIN` values, dicts, lists and tuples only.

    Each container's items are looked at by their types' set, made in one pass (a company's
    document is hundreds of values, most of them in containers of plain values only).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            kinds = set(map(type, item))
            kinds.update(map(type, item.values()))
            if kinds <= _PLAIN:
                continue
            if not kinds <= _NESTED:
                return False
            stack.extend([k for k in item if type(k) not in _PLAIN])
            stack.extend([v for v in item.values() if type(v) not in _PLAIN])
        elif kind is list or kind is tuple:
            kinds = set(map(type, item))
            if kinds <= _PLAIN:
                continue
            if not kinds <= _NESTED:
                return False
            stack.extend([v for v in item if type(v) not in _PLAIN])
        elif kind not in _PLAIN and kind is not Commit:
            return False
    return True


def site_key(view: CompanyContext) -> str | None:
    """The hash of what every company page reads of the site; None if it is not plain."""
    settings, editions, order, groups, methods = view.site()
    if not _plain((editions, order, groups)):
        return None
    # Settings and Methodology are frozen dataclasses of plain values: their repr is all.
    return sha256(repr((settings, editions, order, groups, methods)).encode()).hexdigest()


def page_key(
    site: str | None, view: CompanyContext, args: tuple[Any, ...], rows: bytes
) -> str | None:
    """The key of one company's rendered files: the site's key, its view and its data.

    ``args`` are :func:`company_page`'s own arguments after the view but for the rows and
    probes (slug, sector medians, chart path); ``rows`` is :func:`_Rows.digests`' exact
    image of the company's rows and probes in the score tables. None (render it, keep
    nothing) when any value is not plain data.
    """
    mine = (view.docs, view.history.by_file, view.history.state, view.history.epoch, args)
    if site is None or not _plain(mine):
        return None
    return sha256(f"{site}\n{mine!r}\n".encode() + rows).hexdigest()


class _Rows:
    """One score table's rows grouped by company (slug order), turned into dicts on demand.

    The rows become dicts a batch of companies at a time, and only for a batch that holds a
    company whose page is made (at 10,000 companies every probe as a dict is hundreds of
    MB, and a company whose key is unchanged needs none).
    """

    def __init__(self, frame: pd.DataFrame, slugs: list[str], batch: int = 256) -> None:
        index = {slug: n for n, slug in enumerate(slugs)}
        found = np.fromiter(
            (index.get(str(s), -1) for s in frame["slug"].tolist()), np.int64, count=len(frame)
        )
        order = np.argsort(found, kind="stable")  # by slug, each slug's rows in frame order
        counts = np.bincount(found[found >= 0], minlength=len(slugs))
        self.ends = np.cumsum(counts).tolist()
        self.starts = [end - count for end, count in zip(self.ends, counts.tolist(), strict=True)]
        # rows of no listed slug sort first
        self.frame = frame.take(order[int((found < 0).sum()) :])
        self.batch = batch
        self._made: tuple[int, list[dict[str, Any]]] = (-1, [])

    def rows(self, n: int) -> list[dict[str, Any]]:
        """The rows of the ``n``-th slug, in frame order, as dicts."""
        first = n - n % self.batch
        if self._made[0] != first:
            self._made = (first, [])  # the batch before goes first
            last = min(first + self.batch, len(self.starts)) - 1
            low = self.starts[first]
            self._made = (first, records(self.frame.iloc[low : self.ends[last]]))
        low = self.starts[first]
        return self._made[1][self.starts[n] - low : self.ends[n] - low]

    def column(self, name: str) -> list[Any]:
        """One column's values in slug order (as the table holds them)."""
        values: list[Any] = self.frame[name].to_numpy(object).tolist()
        return values

    def digests(self) -> list[bytes] | None:
        """Each slug's rows as the sha256 of bytes that differ whenever the rows' dicts differ.

        Numeric and date columns by their bytes (their dtypes are in every company's part);
        any other column by the repr of its values, which must be plain (:data:`_PLAIN`:
        their repr is all of them), else as :func:`records` boxes them; None when even those
        are not plain (no company of the table is keyed).
        """
        frame = self.frame
        raw, shown, names = [], [], []
        for name, column in frame.items():
            names.append((name, str(column.dtype)))
            dtype = column.dtype
            if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
                values = np.ascontiguousarray(column.to_numpy())
                raw.append(values.view(np.uint8).reshape(len(frame), dtype.itemsize))
                continue
            if isinstance(dtype, pd.DatetimeTZDtype):  # the instants, the zone in the dtype
                values = np.asarray(column.array.asi8)
                raw.append(values.view(np.uint8).reshape(len(frame), values.itemsize))
                continue
            listed = column.to_numpy(object).tolist()
            if not set(map(type, listed)) <= _RAW:
                listed = [row[name] for row in records(frame[[name]])]
                if not _plain(listed):
                    return None
            shown.append(listed)
        numbers = np.hstack(raw) if raw else np.zeros((len(frame), 0), np.uint8)
        head = repr(names).encode()
        return [  # hashed at once: the bytes of every probe would be hundreds of MB
            sha256(
                head + numbers[low:end].tobytes() + repr([c[low:end] for c in shown]).encode()
            ).digest()
            for low, end in zip(self.starts, self.ends, strict=True)
        ]


@dataclass(frozen=True, slots=True)
class CompanyUnit:
    """One company: the key of everything its page is made from, and how to make it."""

    slug: str
    key: str | None
    view: CompanyContext
    medians: dict[Any, Any]
    tables: tuple[_Rows, _Rows, int]  # the rows, the probes, the company's place in both

    @property
    def args(self) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], dict[Any, Any], str]:
        """:func:`company_page`'s arguments after the view (the rows made dicts)."""
        rows, probes, n = self.tables
        return (self.slug, rows.rows(n), probes.rows(n), self.medians, chart_path(self.slug))

    def make(self) -> CompanyPage:
        """Render the page."""
        return company_page(self.view, *self.args)


def chart_path(slug: str) -> str:
    """Where a company's chart spec is."""
    return f"charts/companies/{slug}.json"


def _by_slug(
    frame: pd.DataFrame, slugs: list[str], batch: int = 256
) -> Iterator[list[dict[str, Any]]]:
    """For each of ``slugs`` in turn, the frame's rows of that slug (in frame order) as dicts."""
    table = _Rows(frame, slugs, batch)
    for n in range(len(slugs)):
        yield table.rows(n)


def company_units(ctx: Context) -> Iterator[CompanyUnit]:
    """Every company, by slug; its rows turned into plain records only when it is made."""
    companies = ctx.scores.companies
    table = companies.groupby(["edition", "sector"])[list(SUBSCORES)].median()
    medians = {
        (str(edition), str(sector)): {str(c): v for c, v in values.items()}
        for (edition, sector), values in zip(table.index, records(table), strict=True)
    }
    slugs = sorted({str(s) for s in companies["slug"].tolist()})
    rows, probes = _Rows(companies, slugs), _Rows(ctx.scores.probes, slugs)
    own, theirs = rows.digests(), probes.digests()
    files = [str(f) for f in rows.column("file")]
    editions = [str(e) for e in rows.column("edition")]
    sectors = [str(s) for s in rows.column("sector")]
    site: str | None = None
    for n, slug in enumerate(slugs):
        low, end = rows.starts[n], rows.ends[n]
        view = CompanyContext(ctx, slug, sorted(set(files[low:end])))
        if n == 0:
            site = site_key(view)
        mine = {
            k: medians[k]
            for k in dict.fromkeys(zip(editions[low:end], sectors[low:end], strict=True))
        }
        key = None
        if own is not None and theirs is not None:
            parts = own[n] + b"\0" + theirs[n]
            key = page_key(site, view, (slug, mine, chart_path(slug)), parts)
        yield CompanyUnit(slug, key, view, mine, (rows, probes, n))


def company_bodies(ctx: Context) -> Iterator[CompanyPage]:
    """Every company page, by slug."""
    for unit in company_units(ctx):
        yield unit.make()


def company_pages(ctx: Context) -> Iterator[tuple[str, str, Chart]]:
    """Every company page as Markdown MkDocs builds: (Markdown path, Markdown, chart)."""
    for page in company_bodies(ctx):
        yield page.path, markdown_page(page), page.chart
