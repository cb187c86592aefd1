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
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..methodology import Methodology
from ..score.ranking import leaderboard
from ..score.subscores import SUBSCORES
from ..values import is_missing
from . import standing
from .common import (
    SUBSCORE_NAMES,
    Context,
    board_url,
    country_name,
    draft_banner,
    records,
    sector_name,
)
from .jinja import render_template
from .text import front_matter

FIRST_ROWS = 100
SUBSCORE_COLUMNS = (
    ("reachability", "Reach"),
    ("speed", "Speed"),
    ("quality", "Quality"),
    ("transparency", "Transp."),
    ("respect", "Respect"),
)
# Column headings: CCR's own words, printed as they are ("Transp." keeps its point).
HEADINGS = {
    key: Markup(name)
    for key, name in {
        "rank": "Rank",
        "group": "Group",
        "name": "Company",
        "sector": "Sector",
        "country": "Country",
        "score": "Score",
        "grade": "Grade",
        "tier": "Tier",
        **dict(SUBSCORE_COLUMNS),
        "probes": "Probes",
        "movement": "Move",
        "why": "Why unranked",
    }.items()
}
TITLES = {
    "rank": "The places the score intervals allow (one number when they allow one)",
    "group": "Companies with the same number are statistically indistinguishable",
    "score": "Score out of 100, with its interval in brackets",
    "why": "Probes behind the score, of the number a ranked company needs",
}
V1_TITLES = {"rank": "Equal scores share a rank", "score": "Score out of 100"}
NUMERIC = frozenset({"rank", "group", "score", *SUBSCORES, "probes", "movement"})


def columns(part: str, show_group: bool) -> list[str]:
    """The column keys of a board part (``ranked`` or ``unranked``), in order."""
    subs = [key for key, _ in SUBSCORE_COLUMNS]
    # What a reader needs first — place, name, score, grade, evidence — comes first: on a phone
    # the table scrolls sideways in its box and these columns are the ones in view.
    if part == "unranked":
        return ["name", "score", "probes", "why", "sector", "country", *subs]
    return [
        "rank",
        *(["group"] if show_group else []),
        "name",
        "score",
        "grade",
        "probes",
        "tier",
        "sector",
        "country",
        *subs,
        "movement",
    ]


def _int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def _number(value: Any, decimals: int) -> float | None:
    return None if is_missing(value) else round(float(value), decimals)


def board_rows(ctx: Context, scored: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an edition's boards as the site's script reads them.

    Ranked first (by rank), then unranked (A to Z); ranks, groups, grade and tier are null
    when unranked.
    """
    rows = []
    methods: dict[str, Methodology] = {}
    for r in records(scored.sort_values(["rank_overall", "name", "slug"])):
        method = methods.setdefault(str(r["edition"]), ctx.method(str(r["edition"])))
        decimals = method.score_decimals
        ranked = standing.is_ranked(r)
        bounds = standing.interval(r, method)
        row: dict[str, Any] = {
            "slug": r["slug"],
            "name": r["name"],
            "sector": r["sector"],
            "sector_name": sector_name(str(r["sector"])),
            "country": r["country"],
            "country_name": country_name(str(r["country"])),
            "ranked": ranked,
            "score": round(float(r["score_display"]), decimals),
            "score_low": None if bounds is None else _number(r["score_low_display"], decimals),
            "score_high": None if bounds is None else _number(r["score_high_display"], decimals),
            "grade": standing.grade_or_none(r),
            "tier": r["tier"] if ranked else None,
            "probes": int(r["probes"]),
            "probed_families": int(r.get("probed_families") or 0),
            "limited": bool(r["limited_evidence"]),
            "previous_edition": None
            if is_missing(r["previous_edition"])
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
            row[f"group_{scope}"] = _int(r.get(f"group_{scope}")) if ranked and bounds else None
            row[f"of_{scope}"] = int(r[f"of_{scope}"])
        for s in SUBSCORES:
            row[s] = round(float(r[s]), 1)
        rows.append(row)
    return rows


@dataclass(frozen=True, slots=True)
class Board:
    """What every part of one board page's tables reads: where it is and how it shows scores."""

    url: str  # the page
    api: str  # the rows' JSON, a site path
    scope: str
    value: str
    decimals: int
    level: Markup | None  # the interval's level (``90&#160;%``); None without intervals (v1)
    titles: dict[str, str]
    headings: dict[str, Markup] = field(default_factory=lambda: HEADINGS)
    numeric: frozenset[str] = NUMERIC
    subscores: tuple[str, ...] = tuple(SUBSCORES)
    first_rows: int = FIRST_ROWS


def _filters(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """The filter controls a board offers: (name, label, "every" option, choices).

    Only what the board holds: a sector filter when it has two sectors, and so on.
    """
    sectors = sorted({(r["sector"], r["sector_name"]) for r in rows}, key=lambda c: c[1])
    countries = sorted({(r["country"], r["country_name"]) for r in rows}, key=lambda c: c[1])
    grades = sorted({r["grade"] for r in rows if r["grade"]})
    filters = []
    if len(sectors) > 1:
        filters.append(("sector", "Sector", "All sectors", sectors))
    if len(countries) > 1:
        filters.append(("country", "Country", "All countries", countries))
    if grades:
        filters.append(("grade", "Grade", "All grades", [(g, g) for g in grades]))
    if any(r["ranked"] for r in rows) and not all(r["ranked"] for r in rows):
        filters.append(
            (
                "evidence",
                "Evidence",
                "Ranked and unranked",
                [("ranked", "Ranked only"), ("unranked", "Unranked — limited evidence")],
            )
        )
    return filters


def _edition_rows(ctx: Context, edition: str) -> list[dict[str, Any]]:
    """The rows of every board of ``edition``: :func:`board_rows` of its overall board."""
    return board_rows(ctx, leaderboard(ctx.scores.companies, edition))


def _shared_rows(ctx: Context, edition: str) -> list[dict[str, Any]]:
    """:func:`_edition_rows`, made once for the boards' JSON and every board page.

    Kept by the context (:meth:`Context.once`) from :func:`board_data` to the end of
    :func:`board_pages`, which lets them go.
    """
    return ctx.once(f"board rows {edition}", lambda: _edition_rows(ctx, edition))


def scope_rows(every: list[dict[str, Any]], scope: str, value: str | None) -> list[dict[str, Any]]:
    """One board's rows, picked from its edition's rows (:func:`_edition_rows`).

    The same rows as :func:`board_rows` of that board: they are sorted by overall rank, name
    and slug whatever the board, and each row is made from its company's scores alone.
    """
    return every if scope == "overall" else [r for r in every if r[scope] == value]


def board_page(
    ctx: Context,
    edition: str,
    scope: str = "overall",
    value: str | None = None,
    every: list[dict[str, Any]] | None = None,
) -> str:
    """The Markdown of one leaderboard (template ``leaderboard.html``).

    ``every``: the edition's rows (:func:`_edition_rows`), made once for all its boards.
    """
    url = board_url(edition, scope, value)
    doc = ctx.editions[edition]
    method = ctx.method(edition)
    rows = scope_rows(_edition_rows(ctx, edition) if every is None else every, scope, value)
    ranked = [r for r in rows if r["ranked"]]
    unranked = [r for r in rows if not r["ranked"]]
    where = {
        "overall": "",
        "sector": f" — {sector_name(value or '')}",
        "country": f" — {country_name(value or '')}",
    }[scope]
    title = f"Leaderboard{where}: {doc['title']}"
    companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
    nav = [("Overall", board_url(edition))]
    nav += [
        (sector_name(s), board_url(edition, "sector", s))
        for s in sorted(companies["sector"].unique())
    ]
    nav += [
        (country_name(c), board_url(edition, "country", c))
        for c in sorted(companies["country"].unique())
    ]
    groups = {r[f"group_{scope}"] for r in ranked if r[f"group_{scope}"] is not None}
    level = standing.level_html(method) if method.uncertainty else None
    board = Board(
        url,
        f"api/v1/leaderboards/{edition}.json",
        scope,
        value or "",
        method.score_decimals,
        level,
        TITLES if level else V1_TITLES,
    )
    weights = {key: round(100 * method.weights[key]) for key, _ in SUBSCORE_COLUMNS}
    return render_template(
        "leaderboard.html",
        b=board,
        edition=edition,
        edition_title=doc["title"],
        title=title,
        front=Markup(
            front_matter(
                title=title,
                description=f"Customer Care Review ranking{where}: {doc['title']}",
                hide=["navigation", "toc"],
                # Rows are names and numbers the company pages index already.
                search={"exclude": True},
            )
        ),
        draft=draft_banner(ctx, [edition]),
        ranked=ranked,
        unranked=unranked,
        first_part="ranked" if ranked or not unranked else "unranked",
        threshold=standing.threshold(method),
        all_of=standing.all_of,
        groups=len({r[f"group_{scope}"] for r in ranked}),
        nav=nav,
        filters=_filters(rows),
        weights=weights,
        weights_json=json.dumps(weights),
        names=SUBSCORE_NAMES,
        ranked_keys=columns("ranked", show_group=len(groups) > 1),
        unranked_keys=columns("unranked", show_group=False),
    )


def board_pages(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every leaderboard page: (Markdown path, Markdown)."""
    for edition in ctx.edition_order():
        every = _shared_rows(ctx, edition)
        yield f"leaderboards/{edition}/index.md", board_page(ctx, edition, every=every)
        companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        for scope in ("sector", "country"):
            for value in sorted(companies[scope].unique()):
                yield (
                    f"leaderboards/{edition}/{scope}/{value}.md",
                    board_page(ctx, edition, scope, str(value), every),
                )
        ctx.forget(f"board rows {edition}")


def board_data(ctx: Context) -> Iterator[tuple[str, dict[str, Any]]]:
    """The JSON behind each edition's boards: how scores are shown, and the rows."""
    for edition in ctx.edition_order():
        method = ctx.method(edition)
        yield (
            f"api/v1/leaderboards/{edition}.json",
            {
                "edition": edition,
                "score_decimals": method.score_decimals,
                "interval": None if method.uncertainty is None else method.uncertainty.interval,
                "minimum_probes": method.minimum_probes,
                "minimum_probed_families": method.minimum_probed_families,
                # board_rows of the edition's scores (tests/test_board_rows.py)
                "rows": _shared_rows(ctx, edition),
            },
        )


def boards_index(ctx: Context) -> str:
    """Every leaderboard, per edition (template ``boards_index.html``)."""
    editions = []
    for edition in ctx.edition_order():
        companies = ctx.scores.companies[ctx.scores.companies["edition"] == edition]
        links = [("Overall", board_url(edition))]
        links += [
            (sector_name(s), board_url(edition, "sector", s))
            for s in sorted(companies["sector"].unique())
        ]
        links += [
            (country_name(c), board_url(edition, "country", c))
            for c in sorted(companies["country"].unique())
        ]
        editions.append({"title": ctx.editions[edition]["title"], "links": links})
    return render_template(
        "boards_index.html",
        url="leaderboards/",
        front=Markup(front_matter(title="Leaderboards")),
        editions=editions,
    )
