"""Leaderboards: overall, per sector and per country, for every edition.

The page holds the first rows as plain HTML (readable without JavaScript); the site's script
(docs/javascripts/leaderboard.js) loads the whole board from /api/v1/leaderboards/<edition>.json
to sort, filter (sector, country, grade, evidence), re-weight (the reader's own weights) and page
it, keeping all of it in the address.

Ranked companies come first, each score with its interval and each rank as the range of
places the intervals allow. Companies below the evidence threshold follow in a part of their
own, "Unranked — limited evidence", A to Z, with no rank, grade or tier and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pandas as pd

from ..methodology import Methodology
from ..score.ranking import leaderboard
from ..score.subscores import SUBSCORES
from . import standing
from .common import (
    Context,
    board_url,
    company_url,
    country_name,
    draft_banner,
    grade_badge,
    rel,
    report_url,
    scroll_box,
    sector_name,
)
from .text import attr, front_matter, missing, signed, text

FIRST_ROWS = 100
SUBSCORE_COLUMNS = (("reachability", "Reach"), ("speed", "Speed"), ("quality", "Quality"),
                    ("transparency", "Transp."), ("respect", "Respect"))
HEADINGS = {"rank": "Rank", "group": "Group", "name": "Company", "sector": "Sector",
            "country": "Country", "score": "Score", "grade": "Grade", "tier": "Tier",
            **dict(SUBSCORE_COLUMNS), "probes": "Probes", "movement": "Move",
            "why": "Why unranked"}
TITLES = {"rank": "The places the score intervals allow (one number when they allow one)",
          "group": "Companies with the same number are statistically indistinguishable",
          "score": "Score out of 100, with its interval in brackets",
          "why": "Probes behind the score, of the number a ranked company needs"}
V1_TITLES = {"rank": "Equal scores share a rank", "score": "Score out of 100"}
NAMES = {"reachability": "Reachability", "speed": "Speed", "quality": "Quality",
         "transparency": "Transparency", "respect": "Respect"}
NUMERIC = {"rank", "group", "score", *SUBSCORES, "probes", "movement"}


def columns(part: str, show_group: bool) -> list[str]:
    """The column keys of a board part (``ranked`` or ``unranked``), in order."""
    subs = [key for key, _ in SUBSCORE_COLUMNS]
    # What a reader needs first — place, name, score, grade, evidence — comes first: on a phone
    # the table scrolls sideways in its box and these columns are the ones in view.
    if part == "unranked":
        return ["name", "score", "probes", "why", "sector", "country", *subs]
    return ["rank", *(["group"] if show_group else []), "name", "score", "grade", "probes",
            "tier", "sector", "country", *subs, "movement"]


def _int(value: Any) -> int | None:
    return None if missing(value) else int(value)


def _number(value: Any, decimals: int) -> float | None:
    return None if missing(value) else round(float(value), decimals)


def board_rows(ctx: Context, scored: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an edition's boards as the site's script reads them.

    Ranked first (by rank), then unranked (A to Z); ranks, groups, grade and tier are null
    when unranked.
    """
    rows = []
    methods: dict[str, Methodology] = {}
    for r in scored.sort_values(["rank_overall", "name", "slug"]).to_dict("records"):
        method = methods.setdefault(str(r["edition"]), ctx.method(str(r["edition"])))
        decimals = method.score_decimals
        ranked = standing.is_ranked(r)
        bounds = standing.interval(r, method)
        row: dict[str, Any] = {
            "slug": r["slug"], "name": r["name"], "sector": r["sector"],
            "sector_name": sector_name(str(r["sector"])), "country": r["country"],
            "country_name": country_name(str(r["country"])), "ranked": ranked,
            "score": round(float(r["score_display"]), decimals),
            "score_low": None if bounds is None else _number(r["score_low_display"], decimals),
            "score_high": None if bounds is None else _number(r["score_high_display"],
                                                              decimals),
            "grade": standing.grade_or_none(r), "tier": r["tier"] if ranked else None,
            "probes": int(r["probes"]), "probed_families": int(r.get("probed_families") or 0),
            "limited": bool(r["limited_evidence"]),
            "previous_edition": None if missing(r["previous_edition"])
            else str(r["previous_edition"]),
            "movement": _int(r["rank_change"]),
            "why_unranked": None if ranked else standing.unranked_reason(r, method),
            "why_short": None if ranked else standing.unranked_short(r, method),
        }
        for scope in ("overall", "sector", "country"):
            span = standing.places(r, scope)
            row[f"rank_{scope}"] = _int(r[f"rank_{scope}"]) if ranked else None
            row[f"rank_{scope}_low"] = None if span is None else span[0]
            row[f"rank_{scope}_high"] = None if span is None else span[1]
            row[f"group_{scope}"] = (_int(r.get(f"group_{scope}")) if ranked and bounds
                                     else None)
            row[f"of_{scope}"] = int(r[f"of_{scope}"])
        for s in SUBSCORES:
            row[s] = round(float(r[s]), 1)
        rows.append(row)
    return rows


def _rank_html(row: dict[str, Any], scope: str) -> str:
    low, high = row[f"rank_{scope}_low"], row[f"rank_{scope}_high"]
    if low is None:
        return "unranked"
    if low == high:
        return str(low)
    return (f'<span aria-hidden="true">{low}–{high}</span>'
            + standing.sr(f"places {low} to {high}"))


def _score_html(row: dict[str, Any], decimals: int, level: str | None) -> str:
    shown = f"{row['score']:.{decimals}f}"
    if row["score_low"] is None:
        return shown
    low, high = f"{row['score_low']:.{decimals}f}", f"{row['score_high']:.{decimals}f}"
    return (f'{shown} <span class="ccr-iv" aria-hidden="true">[{low}–{high}]</span>'
            + standing.sr(f", {level} interval {low} to {high}"))


def _movement(row: dict[str, Any]) -> str:
    move = row["movement"]
    if move is not None:
        return signed(move, 0)
    if row["previous_edition"] is None:
        return "new"
    return '<span title="unranked in one of the two editions">—</span>'


def _cell(key: str, row: dict[str, Any], scope: str, url: str, decimals: int,
          level: str | None) -> str:
    """One cell's HTML; docs/javascripts/leaderboard.js draws the same cells from the same rows."""
    if key == "rank":
        return _rank_html(row, scope)
    if key == "group":
        return "" if row[f"group_{scope}"] is None else str(row[f"group_{scope}"])
    if key == "name":
        mark = ('<sup title="limited evidence: fewer probes than the methodology asks for">'
                "†</sup>" if row["limited"] and row["ranked"] else "")
        return (f'<a href="{attr(rel(url, company_url(row["slug"])))}">{text(row["name"])}'
                f"</a>{mark}")
    if key == "sector":
        return text(row["sector_name"])
    if key == "country":
        return text(row["country"])
    if key == "score":
        return _score_html(row, decimals, level)
    if key == "grade":
        return grade_badge(row["grade"]) if row["grade"] else "—"
    if key == "tier":
        return text(row["tier"] or "—")
    if key in SUBSCORES:
        return f"{row[key]:.1f}"
    if key == "probes":
        return str(row["probes"])
    if key == "movement":
        return _movement(row)
    if key == "why":
        return text(row["why_short"])
    raise KeyError(key)


def board_table(rows: list[dict[str, Any]], part: str, url: str, api: str, scope: str,
                value: str, method: Methodology, show_group: bool = False) -> str:
    """A sortable, filterable table of one part of a board, with its first rows rendered."""
    keys = columns(part, show_group)
    level = standing.level_html(method) if method.uncertainty else None
    decimals = method.score_decimals
    first = "rank" if part == "ranked" else "name"
    titles = TITLES if level else V1_TITLES
    klass = ' class="num"'
    head = "".join(
        f'<th scope="col" data-key="{key}"{klass if key in NUMERIC else ""}'
        + (' aria-sort="ascending"' if key == first else "")
        + (f' title="{attr(titles[key])}"' if key in titles else "")
        + f'><button type="button">{HEADINGS[key]}</button></th>' for key in keys)
    classes = {key: ' class="num"' if key in NUMERIC else ' class="ccr-name"'
               if key == "name" else "" for key in keys}
    body = []
    for row in rows[:FIRST_ROWS]:
        body.append("<tr>" + "".join(
            f"<td{classes[key]}>{_cell(key, row, scope, url, decimals, level)}</td>"
            for key in keys) + "</tr>")
    status = (f"Showing {min(len(rows), FIRST_ROWS)} of {len(rows)} companies."
              + ("" if len(rows) <= FIRST_ROWS else " The full list is in the data downloads."))
    label = "Leaderboard" if part == "ranked" else "Unranked companies"
    return (
        f'<div class="ccr-board" data-part="{part}" data-rows="{attr(rel(url, api))}" '
        f'data-scope="{attr(scope)}" data-value="{attr(value)}" '
        f'data-root="{attr(rel(url, ""))}" data-total="{len(rows)}">'
        '<p class="ccr-board-tools" hidden></p>'
        + scroll_box(f'<table class="ccr-leaderboard ccr-{part}">'
                     f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
                     label, f' id="ccr-table-{part}"') +
        f'<p class="ccr-board-status" role="status">{status}</p></div>\n\n')


def _options(name: str, label: str, every: str,
             choices: list[tuple[str, str]]) -> str:
    """One filter control: a labelled select whose first option shows every company."""
    options = "".join(f'<option value="{attr(value)}">{text(shown)}</option>'
                      for value, shown in [("", every), *choices])
    return (f'<label>{label} <select name="{name}" class="ccr-filter">{options}</select>'
            "</label>")


def board_controls(rows: list[dict[str, Any]], method: Methodology) -> str:
    """Field-aware filters and the reader's own weights, above a board's tables.

    The form is hidden until the site's script (docs/javascripts/leaderboard.js) shows it:
    without the script nothing in it would work. Filters only offer what the board holds.
    """
    sectors = sorted({(r["sector"], r["sector_name"]) for r in rows}, key=lambda c: c[1])
    countries = sorted({(r["country"], r["country_name"]) for r in rows}, key=lambda c: c[1])
    grades = sorted({r["grade"] for r in rows if r["grade"]})
    filters = []
    if len(sectors) > 1:
        filters.append(_options("sector", "Sector", "All sectors", sectors))
    if len(countries) > 1:
        filters.append(_options("country", "Country", "All countries", countries))
    if grades:
        filters.append(_options("grade", "Grade", "All grades", [(g, g) for g in grades]))
    if any(r["ranked"] for r in rows) and not all(r["ranked"] for r in rows):
        filters.append(_options("evidence", "Evidence", "Ranked and unranked",
                                [("ranked", "Ranked only"),
                                 ("unranked", "Unranked — limited evidence")]))
    weights = {key: round(100 * method.weights[key]) for key, _ in SUBSCORE_COLUMNS}
    sliders = "".join(
        f'<div class="ccr-weight"><label for="ccr-w-{key}">{NAMES[key]}</label>'
        f'<input type="range" id="ccr-w-{key}" name="{key}" min="0" max="100" step="5" '
        f'value="{weights[key]}"><output for="ccr-w-{key}">{weights[key]}</output></div>'
        for key, _ in SUBSCORE_COLUMNS)
    ccr = ", ".join(f"{NAMES[key].lower()} {weights[key]}" for key, _ in SUBSCORE_COLUMNS)
    return (
        '<form class="ccr-board-controls" aria-label="Filter and re-weight this leaderboard" '
        f'data-weights="{attr(json.dumps(weights))}" hidden>'
        + (f'<fieldset class="ccr-filters"><legend>Filter</legend>{"".join(filters)}'
           "</fieldset>" if filters else "")
        + '<details class="ccr-weights"><summary>Rank by your own weights</summary>'
        "<p>Move the sliders to weigh the five published sub-scores as you would. The board "
        "is then ordered by <strong>your score</strong>: your weighting, not CCR's. CCR's "
        f"score, ranks and grades stay as published (CCR's weights: {ccr}).</p>"
        f'<fieldset><legend>Your weights</legend>{sliders}</fieldset>'
        '<p><button type="button" class="md-button ccr-reset">Reset to CCR\'s weights'
        "</button></p></details></form>\n\n")


def _lede(ctx: Context, edition: str, url: str, ranked: list[dict[str, Any]],
          unranked: list[dict[str, Any]], scope: str, method: Methodology) -> str:
    doc = ctx.editions[edition]
    where = (f'the edition <a href="{attr(rel(url, report_url(edition)))}">'
             f"{text(doc['title'])}</a>")
    how = f'<a href="{attr(rel(url, "methodology/"))}">How scores are made</a>.'
    level = standing.level(method)
    if level is None:  # v1: point scores, ranks shared by equal scores
        return (f'<p class="ccr-lede">{len(ranked)} companies ranked by their score out of '
                f"100 in {where}. Equal scores share a rank. Sub-scores are out of 100; "
                "<sup>†</sup> marks limited evidence. Click a column heading to sort. "
                f"{how}</p>\n\n")
    groups = len({r[f"group_{scope}"] for r in ranked})
    if not ranked:
        shape = "No company has the evidence to be ranked here yet. "
    elif len(ranked) == 1:
        shape = ""
    elif groups == 1:
        shape = (f"The intervals leave {standing.all_of(len(ranked))} ranked companies in "
                 "one group of statistically indistinguishable scores: read their order as a "
                 "guide, not a verdict. ")
    else:
        shape = (f"The {len(ranked)} ranked companies form {groups} groups of statistically "
                 "indistinguishable scores (column Group). ")
    rest = (f"{len(unranked)} more, scored on fewer than {standing.threshold(method)}, "
            f"{'is' if len(unranked) == 1 else 'are'} "
            '<a href="#unranked">listed unranked</a> below. ' if unranked else "")
    return (f'<p class="ccr-lede">{len(ranked)} companies ranked by their score out of 100 in '
            f"{where}, each scored on {standing.threshold(method)} or more. A score is shown "
            "with its "
            f"{standing.level_html(method)} interval in brackets; a rank is the range of places "
            "those intervals allow (one number when they allow one place). "
            f"{shape}{rest}Sub-scores are out of 100. Click a column heading to sort. "
            f"{how}</p>\n\n")


def board_page(ctx: Context, edition: str, scope: str = "overall",
               value: str | None = None) -> str:
    """The Markdown of one leaderboard."""
    url = board_url(edition, scope, value)
    doc = ctx.editions[edition]
    method = ctx.method(edition)
    scored = leaderboard(ctx.scores.companies, edition, scope, value)
    rows = board_rows(ctx, scored)
    ranked = [r for r in rows if r["ranked"]]
    unranked = [r for r in rows if not r["ranked"]]
    where = {"overall": "", "sector": f" — {sector_name(value or '')}",
             "country": f" — {country_name(value or '')}"}[scope]
    title = f"Leaderboard{where}: {doc['title']}"
    companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    sectors = sorted(companies["sector"].unique())
    countries = sorted(companies["country"].unique())
    nav = [f'<a href="{attr(rel(url, board_url(edition)))}">Overall</a>'] + [
        f'<a href="{attr(rel(url, board_url(edition, "sector", s)))}">'
        f"{text(sector_name(s))}</a>" for s in sectors] + [
        f'<a href="{attr(rel(url, board_url(edition, "country", c)))}">'
        f"{text(country_name(c))}</a>" for c in countries]
    api = f"api/v1/leaderboards/{edition}.json"
    groups = {r[f"group_{scope}"] for r in ranked if r[f"group_{scope}"] is not None}
    out = [
        front_matter(title=title, description=f"Customer Care Review ranking{where}: "
                                              f"{doc['title']}", hide=["navigation", "toc"],
                     # Rows are names and numbers the company pages index already.
                     search={"exclude": True}),
        f"# {text(title)}\n\n", draft_banner(ctx, [edition]),
        _lede(ctx, edition, url, ranked, unranked, scope, method),
        '<nav class="ccr-board-nav" aria-label="Other leaderboards">'
        + " · ".join(nav) + "</nav>\n\n",
    ]
    first = "ranked" if ranked or not unranked else "unranked"
    out.insert(2, f'<p class="ccr-skip"><a href="#ccr-table-{first}">Skip to the table</a>'
                  "</p>\n\n")
    out.append(board_controls(rows, method))
    if ranked or not unranked:
        out.append(board_table(ranked, "ranked", url, api, scope, value or "", method,
                               show_group=len(groups) > 1))
    if unranked:
        one = len(unranked) == 1
        out.append("## Unranked — limited evidence {#unranked}\n\n"
                   f'<p class="ccr-unranked-note">{len(unranked)} '
                   f"compan{'y was' if one else 'ies were'} scored on fewer than "
                   f"{standing.threshold(method)}. "
                   + ("It is listed with its score and interval, but has"
                      if one else "They are listed A to Z with their score and interval, "
                      "but have")
                   + " no rank, grade or tier: so little evidence cannot place a company. "
                   f"A company is ranked from {standing.threshold(method)}; more probes in the "
                   "next edition will rank it.</p>\n\n")
        out.append(board_table(unranked, "unranked", url, api, scope, value or "", method))
    out.append(f'<p>Download: <a href="{attr(rel(url, "api/v1/scores.csv"))}">scores.csv</a>'
               f' · <a href="{attr(rel(url, api))}">this board as JSON</a></p>\n')
    return "".join(out)


def board_pages(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every leaderboard page: (Markdown path, Markdown)."""
    for edition in ctx.edition_order():
        yield f"leaderboards/{edition}/index.md", board_page(ctx, edition)
        companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        for scope in ("sector", "country"):
            for value in sorted(companies[scope].unique()):
                yield (f"leaderboards/{edition}/{scope}/{value}.md",
                       board_page(ctx, edition, scope, str(value)))


def board_data(ctx: Context) -> Iterator[tuple[str, dict[str, Any]]]:
    """The JSON behind each edition's boards: how scores are shown, and the rows."""
    for edition in ctx.edition_order():
        method = ctx.method(edition)
        scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        yield f"api/v1/leaderboards/{edition}.json", {
            "edition": edition, "score_decimals": method.score_decimals,
            "interval": None if method.uncertainty is None else method.uncertainty.interval,
            "minimum_probes": method.minimum_probes,
            "minimum_probed_families": method.minimum_probed_families,
            "rows": board_rows(ctx, scored)}


def boards_index(ctx: Context) -> str:
    """Every leaderboard, per edition."""
    url = "leaderboards/"
    out = [front_matter(title="Leaderboards"), "# Leaderboards\n\n",
           "Rankings per edition: overall, per sector and per country. Where scores carry an "
           "interval, a rank is the range of places the intervals allow; companies scored on "
           "too few probes are listed unranked after the ranked ones.\n\n"]
    for edition in ctx.edition_order():
        doc = ctx.editions[edition]
        companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        links = [f'<a href="{attr(rel(url, board_url(edition)))}">Overall</a>']
        links += [f'<a href="{attr(rel(url, board_url(edition, "sector", s)))}">'
                  f"{text(sector_name(s))}</a>" for s in sorted(companies["sector"].unique())]
        links += [f'<a href="{attr(rel(url, board_url(edition, "country", c)))}">'
                  f"{text(country_name(c))}</a>" for c in sorted(companies["country"].unique())]
        out.append(f"## {text(doc['title'])}\n\n" + " · ".join(links) + "\n\n")
    return "".join(out)
