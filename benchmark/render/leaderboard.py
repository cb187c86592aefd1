"""Leaderboards: overall, per sector and per country, for every edition.

The page holds the first rows as plain HTML (readable without JavaScript); the site's script
loads the whole board from /api/v1/leaderboards/<edition>.json to sort, filter and page it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from ..score.ranking import leaderboard
from ..score.subscores import SUBSCORES
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
from .text import attr, front_matter, signed, text

FIRST_ROWS = 100
COLUMNS = (  # key, heading, numeric
    ("rank", "Rank", True), ("name", "Company", False), ("sector", "Sector", False),
    ("country", "Country", False), ("score", "Score", True), ("grade", "Grade", False),
    ("tier", "Tier", False), ("reachability", "Reach", True), ("speed", "Speed", True),
    ("quality", "Quality", True), ("transparency", "Transp.", True),
    ("respect", "Respect", True), ("probes", "Probes", True), ("movement", "Move", True),
)


def board_rows(scored: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an edition's boards as the site's script reads them."""
    rows = []
    for r in scored.sort_values(["rank_overall", "name", "slug"]).to_dict("records"):
        row: dict[str, Any] = {
            "slug": r["slug"], "name": r["name"], "sector": r["sector"],
            "sector_name": sector_name(str(r["sector"])), "country": r["country"],
            "country_name": country_name(str(r["country"])),
            "score": round(float(r["score_display"]), 1), "grade": r["grade"],
            "tier": r["tier"], "probes": int(r["probes"]),
            "limited": bool(r["limited_evidence"]),
            "rank_overall": int(r["rank_overall"]), "rank_sector": int(r["rank_sector"]),
            "rank_country": int(r["rank_country"]),
            "movement": None if pd.isna(r["rank_change"]) else int(r["rank_change"]),
        }
        for s in SUBSCORES:
            row[s] = round(float(r[s]), 1)
        rows.append(row)
    return rows


def _cells(row: dict[str, Any], rank: int, url: str) -> list[str]:
    move = row["movement"]
    mark = ('<sup title="limited evidence: fewer probes than the methodology asks for">†</sup>'
            if row["limited"] else "")
    return [
        str(rank),
        f'<a href="{attr(rel(url, company_url(row["slug"])))}">{text(row["name"])}</a>{mark}',
        text(row["sector_name"]), text(row["country"]), f"{row['score']:.1f}",
        grade_badge(row["grade"]), text(row["tier"]),
        *(f"{row[s]:.1f}" for s in SUBSCORES), str(row["probes"]),
        "new" if move is None else signed(move, 0),
    ]


def board_table(rows: list[dict[str, Any]], rank_key: str, url: str, api: str,
                scope: str, value: str) -> str:
    """The sortable, filterable table with the first rows rendered."""
    klass, sort = ' class="num"', ' aria-sort="ascending"'
    head = "".join(
        f'<th scope="col" data-key="{key}"{klass if num else ""}'
        f'{sort if key == "rank" else ""}>'
        f'<button type="button">{label}</button></th>' for key, label, num in COLUMNS)
    body = []
    for row in rows[:FIRST_ROWS]:
        cells = _cells(row, int(row[rank_key]), url)
        body.append("<tr>" + "".join(
            f'<td{klass if COLUMNS[i][2] else ""}>{c}</td>'
            for i, c in enumerate(cells)) + "</tr>")
    status = (f"Showing {min(len(rows), FIRST_ROWS)} of {len(rows)} companies."
              + ("" if len(rows) <= FIRST_ROWS else " The full list is in the data downloads."))
    return (
        f'<div class="ccr-board" data-rows="{attr(rel(url, api))}" data-scope="{attr(scope)}" '
        f'data-value="{attr(value)}" data-root="{attr(rel(url, ""))}" '
        f'data-total="{len(rows)}">'
        '<div class="ccr-board-tools"><label>Filter <input type="search" class="ccr-filter" '
        'placeholder="name, sector, country, grade" autocomplete="off"></label></div>'
        + scroll_box('<table class="ccr-leaderboard">'
                     f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
                     "Leaderboard") +
        f'<p class="ccr-board-status" role="status">{status}</p></div>\n\n')


def board_page(ctx: Context, edition: str, scope: str = "overall",
               value: str | None = None) -> str:
    """The Markdown of one leaderboard."""
    url = board_url(edition, scope, value)
    doc = ctx.editions[edition]
    scored = leaderboard(ctx.scores.companies, edition, scope, value)
    rows = board_rows(scored)
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
    return "".join([
        front_matter(title=title, description=f"Customer Care Review ranking{where}: "
                                              f"{doc['title']}", hide=["navigation", "toc"],
                     # Rows are names and numbers the company pages index already.
                     search={"exclude": True}),
        f"# {text(title)}\n\n", draft_banner(ctx, [edition]),
        f'<p class="ccr-lede">{len(rows)} companies ranked by their score out of 100 in '
        f'the edition <a href="{attr(rel(url, report_url(edition)))}">'
        f"{text(doc['title'])}</a>. Equal scores share a rank. "
        f"Sub-scores are out of 100; <sup>†</sup> marks limited evidence. Click a column "
        f'heading to sort. <a href="{attr(rel(url, "methodology/"))}">How scores are made</a>.'
        "</p>\n\n",
        '<nav class="ccr-board-nav" aria-label="Other leaderboards">'
        + " · ".join(nav) + "</nav>\n\n",
        board_table(rows, f"rank_{scope}", url, api, scope, value or ""),
        f'<p>Download: <a href="{attr(rel(url, "api/v1/scores.csv"))}">scores.csv</a> · '
        f'<a href="{attr(rel(url, api))}">this board as JSON</a></p>\n',
    ])


def board_pages(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every leaderboard page: (Markdown path, Markdown)."""
    for edition in ctx.edition_order():
        yield f"leaderboards/{edition}/index.md", board_page(ctx, edition)
        companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        for scope in ("sector", "country"):
            for value in sorted(companies[scope].unique()):
                yield (f"leaderboards/{edition}/{scope}/{value}.md",
                       board_page(ctx, edition, scope, str(value)))


def board_data(ctx: Context) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The JSON rows behind each edition's boards."""
    for edition in ctx.edition_order():
        scored = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        yield f"api/v1/leaderboards/{edition}.json", board_rows(scored)


def boards_index(ctx: Context) -> str:
    """Every leaderboard, per edition."""
    url = "leaderboards/"
    out = [front_matter(title="Leaderboards"), "# Leaderboards\n\n",
           "Rankings per edition: overall, per sector and per country. Equal scores share a "
           "rank.\n\n"]
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
