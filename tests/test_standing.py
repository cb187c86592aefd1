"""How scores stand everywhere they are shown: interval, rank range, probes, unranked.

The fixture tree moved to methodology v2 (:func:`use_v2`) has two ranked companies and one
below the evidence threshold ("Thin Support", one probe): the ranked ones show their score
with its interval, their rank as a range and their probes; the unranked one has no rank, no
grade, no tier and no badge grade, is never in the home page's top 10, and says why.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest

from benchmark.pipeline import run
from benchmark.render import render, standing
from benchmark.render.common import Context, Settings
from benchmark.render.jinja import html_text
from benchmark.render.leaderboard import board_page
from benchmark.render.text import text
from tests.helpers import FIXTURE_EDITION as EDITION
from tests.helpers import THIRD_PROBE, add_later_edition, fill_site_tree, use_v2

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)


@pytest.fixture
def v2_tree(site_tree: Path) -> Path:
    """The site fixture tree on methodology v2 (see :func:`use_v2`), for a test to change."""
    use_v2(site_tree)
    return site_tree


@pytest.fixture(scope="module")
def v2_ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """The v2 tree scored once for the module: read it, never change it."""
    root = fill_site_tree(tmp_path_factory.mktemp("v2"))
    use_v2(root)
    return context(root)


@pytest.fixture(scope="module")
def v2_files(v2_ctx: Context) -> dict[str, str]:
    """Every text file rendered from :func:`v2_ctx`, once for the module."""
    return outputs(v2_ctx)


def context(root: Path) -> Context:
    """Score the tree and make the page writers' context."""
    result = run(root, NOW)
    return Context.make(result.dataset, result.scores, SETTINGS)


def outputs(ctx: Context) -> dict[str, str]:
    """Every rendered text file (chart downloads include PNG images, which are not text)."""
    return {
        o.path: o.content.decode()
        for o in render(ctx.dataset, ctx.scores, SETTINGS)
        if not o.path.endswith(".png")
    }


def row_of(ctx: Context, slug: str, edition: str = EDITION) -> pd.Series:
    """A company's scored row."""
    c = ctx.scores.companies
    return c[(c["slug"] == slug) & (c["edition"] == edition)].iloc[0]


def score_card(md: str) -> str:
    """The score card of a company page."""
    m = re.search(r'<dl class="ccr-card".*?</dl>', md)
    assert m, "no score card"
    return m.group(0)


def test_the_fixture_has_ranked_and_unranked_companies(v2_ctx: Context) -> None:
    """The v2 fixture: two ranked companies whose ranks are a range, one unranked."""
    ctx = v2_ctx
    thin, valid = row_of(ctx, "thin"), row_of(ctx, "valid")
    assert not thin["ranked"]
    assert pd.isna(thin["rank_overall"])
    assert pd.isna(thin["grade"])
    assert pd.isna(thin["tier"])
    assert valid["ranked"]
    assert row_of(ctx, "neighbour")["ranked"]
    assert valid["rank_overall_low"] < valid["rank_overall_high"]  # a range, not a place
    assert thin["score_display"] > row_of(ctx, "neighbour")["score_display"]


def test_ranked_company_page_shows_score_interval_rank_range_and_probes(
    v2_ctx: Context, v2_files: dict[str, str]
) -> None:
    """The score card: the point score, its 90 % interval, grade, tier, rank ranges, probes."""
    ctx = v2_ctx
    md = v2_files["companies/valid.md"]
    row = row_of(ctx, "valid")
    card = score_card(md)
    low, high = f"{row['score_low_display']:.0f}", f"{row['score_high_display']:.0f}"
    assert f'<span class="ccr-score">{row["score_display"]:.0f}</span>' in card
    assert f"90&#160;% interval {low}–{high}" in card
    assert f"ccr-grade-{row['grade'].lower()}" in card
    assert f"<dd>{text(row['tier'])}</dd>" in card
    shown = f"{int(row['rank_overall_low'])}–{int(row['rank_overall_high'])} of 2"
    assert f'<span aria-hidden="true">{shown}</span>' in card
    assert f"places {int(row['rank_overall_low'])} to {int(row['rank_overall_high'])} of 2" in card
    assert "3 probes in 2 channel families" in card
    assert "statistically indistinguishable from every other ranked company" in card
    assert "Unranked" not in md


def test_unranked_company_page_has_no_rank_grade_or_tier(
    v2_ctx: Context, v2_files: dict[str, str]
) -> None:
    """An unranked company: score and interval, no rank, grade or tier, and why, plainly."""
    ctx = v2_ctx
    md = v2_files["companies/thin.md"]
    card = score_card(md)
    row = row_of(ctx, "thin")
    assert f"90&#160;% interval {row['score_low_display']:.0f}–" in card
    assert "ccr-grade" not in md
    for word in ("<dt>Grade</dt>", "<dt>Tier</dt>", "Rank overall", "Rank in sector"):
        assert word not in card, word
    assert "Unranked — limited evidence" in card
    reason = (
        "Scored on 1 probe; a company is ranked from 3 probes. More probes in the next "
        "edition will rank it."
    )
    assert standing.unranked_reason(row, ctx.method(EDITION)) == reason
    assert html_text(reason) in md  # company bodies are HTML-only (never through Markdown)
    assert "1 probe in 1 channel family" in card


def test_unranked_company_is_listed_apart_on_the_leaderboard(
    v2_ctx: Context, v2_files: dict[str, str]
) -> None:
    """The board ranks two companies with rank ranges; Thin Support is in the unranked part."""
    ctx = v2_ctx
    files = v2_files
    md = files[f"leaderboards/{EDITION}/index.md"]
    ranked, unranked = md.split("## Unranked — limited evidence {#unranked}")
    assert "Thin Support" not in ranked
    assert "Valid Soft" in ranked
    assert "Neighbour Works" in ranked
    assert "Thin Support" in unranked
    assert "ccr-grade" not in unranked
    assert "1 of 3 probes" in unranked
    assert (
        "A company is ranked from 3 probes; more probes in the next edition will rank it"
        in unranked
    )
    valid = row_of(ctx, "valid")
    assert (
        f'<span aria-hidden="true">{int(valid["rank_overall_low"])}–'
        f"{int(valid['rank_overall_high'])}</span>"
    ) in ranked
    assert f"[{valid['score_low_display']:.0f}–{valid['score_high_display']:.0f}]" in ranked
    board = json.loads(files[f"api/v1/leaderboards/{EDITION}.json"])
    assert board["score_decimals"] == 0
    assert board["interval"] == 0.9
    rows = {r["slug"]: r for r in board["rows"]}
    assert [r["slug"] for r in board["rows"]][-1] == "thin"  # after every ranked row
    thin = rows["thin"]
    assert thin["ranked"] is False
    for key in (
        "rank_overall",
        "rank_overall_low",
        "rank_sector",
        "rank_country",
        "group_overall",
        "grade",
        "tier",
    ):
        assert thin[key] is None, key
    assert thin["why_unranked"].startswith("Scored on 1 probe;")
    assert rows["valid"]["rank_overall_low"] == int(valid["rank_overall_low"])
    assert rows["valid"]["score_low"] == valid["score_low_display"]


def test_badges_show_interval_and_grade_or_unranked(
    v2_ctx: Context, v2_files: dict[str, str]
) -> None:
    """A ranked badge: score, interval, grade, probes, edition; unranked says so, no grade."""
    ctx = v2_ctx
    files = v2_files
    valid = row_of(ctx, "valid")
    svg = files["badges/valid.svg"]
    shown = (
        f"{valid['score_display']:.0f} [{valid['score_low_display']:.0f}–"
        f"{valid['score_high_display']:.0f}] · {valid['grade']} · 3 probes · "
        f"{str(valid['started'])[:4]}"
    )
    assert f">{shown}</text>" in svg
    assert f"edition {valid['edition']}" in svg
    assert f"grade {valid['grade']}" in svg
    assert "3 probes" in svg
    svg = files["badges/thin.svg"]
    assert re.search(r">\d+ \[\d+–\d+\] · unranked · 1 probe · \d{4}</text>", svg)
    assert "unranked — limited evidence (1 probe)" in svg
    assert "grade" not in svg
    assert 'fill="#555"' in svg
    page = files["companies/thin.md"]
    assert 'alt="Customer Care Review, edition fixture-edition: score' in page
    width = re.search(r'<svg [^>]*width="(\d+)"', svg)
    assert width
    assert f'width="{width.group(1)}" height="20"' in page


def test_unranked_company_is_never_in_the_home_top_10(v2_files: dict[str, str]) -> None:
    """The home page's top 10 lists ranked companies only, with rank range, interval, probes."""
    home = v2_files["index.md"]
    top = re.search(r'<table class="ccr-top">.*?</table>', home)
    assert top
    assert "Thin Support" not in top.group(0)
    assert top.group(0).count("<tr>") == 3  # the heading and the two ranked companies
    assert "Valid Soft" in top.group(0)
    assert '<th scope="col" class="num">Probes</th>' in top.group(0)
    assert "1 more is listed unranked" in home
    index = v2_files["companies/index.md"]
    assert "Thin Support" in index
    assert text("(unranked)") in index


def test_exports_describe_and_carry_the_interval_and_the_unranked(v2_files: dict[str, str]) -> None:
    """scores.json: intervals, rank ranges, null rank/grade/tier when unranked; schema-valid."""
    files = v2_files
    data = json.loads(files["api/v1/scores.json"])
    jsonschema.validate(data, json.loads(files["api/v1/scores.schema.json"]))
    rows = {r["slug"]: r for r in data["rows"]}
    thin, valid = rows["thin"], rows["valid"]
    assert thin["ranked"] is False
    for key in ("rank_overall", "rank_overall_low", "group_overall", "grade", "tier"):
        assert thin[key] is None, key
    assert thin["of_overall"] == 2
    assert thin["score_low"] is not None
    assert valid["rank_overall_low"] < valid["rank_overall_high"]
    assert valid["raw_score"] is not None
    assert valid["shrinkage"] is not None
    header = files["api/v1/scores.csv"].splitlines()[0].split(",")
    assert {
        "ranked",
        "rank_overall_low",
        "rank_overall_high",
        "group_overall",
        "score_low",
        "score_high",
        "raw_score",
        "probed_families",
    } <= set(header)


@pytest.mark.slow
def test_movement_survives_a_company_leaving_the_ranking(v2_tree: Path) -> None:
    """Ranked in one edition, unranked in the next: pages, boards and badge are written."""
    add_later_edition(v2_tree)
    company = v2_tree / "data" / "companies" / "valid.yaml"
    raw = company.read_text()
    later = raw.index("  - edition: later-edition")
    third = THIRD_PROBE.replace("2019-02", "2020-02")
    assert third in raw[later:]
    company.write_text(raw[:later] + raw[later:].replace(third, ""))
    ctx = context(v2_tree)
    now = row_of(ctx, "valid", "later-edition")
    assert not now["ranked"]
    assert pd.isna(now["rank_change"])
    files = outputs(ctx)
    card = score_card(files["companies/valid.md"])
    assert re.search(r"rank \d → unranked, score [^ ]+ since fixture-edition", card)
    rows = json.loads(files["api/v1/leaderboards/later-edition.json"])["rows"]
    assert rows[0]["movement"] is None
    assert rows[0]["previous_edition"] == EDITION


def _row(**values: Any) -> dict[str, Any]:
    base = {"previous_edition": "e1", "previous_rank": 2, "rank_overall": 1, "score_change": 1.0}
    return {**base, **values}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, "▲ rank 2 → 1, score +1 since e1"),
        ({"previous_rank": pd.NA}, "unranked → rank 1, score +1 since e1"),
        ({"rank_overall": pd.NA}, "rank 2 → unranked, score +1 since e1"),
        (
            {"rank_overall": pd.NA, "previous_rank": pd.NA},
            "unranked in both editions, score +1 since e1",
        ),
        ({"previous_edition": None}, "new in this edition"),
    ],
)
def test_movement_words(values: dict[str, Any], expected: str) -> None:
    """Movement never fails on a missing rank, and says which edition left it unranked."""
    assert standing.movement(_row(**values), 0) == expected


def test_board_shows_the_groups_when_the_intervals_separate(v2_tree: Path) -> None:
    """A Group column appears when the ranked companies form more than one group."""
    ctx = context(v2_tree)
    one = board_page(ctx, EDITION)
    assert 'data-key="group"' not in one
    assert "both ranked companies in one group" in one
    companies = ctx.scores.companies
    for slug, group in (("valid", 1), ("neighbour", 2)):
        companies.loc[companies["slug"] == slug, "group_overall"] = group
    two = board_page(ctx, EDITION)
    assert 'data-key="group"' in two
    assert "form 2 groups of statistically indistinguishable scores" in two


def test_report_conclusions_name_no_leader_the_data_cannot_tell(v2_ctx: Context) -> None:
    """Report conclusions: grades of the ranked, the unranked counted, no claimed leader.

    The highest score comes with its interval and the group it leaves undecided.
    """
    from benchmark.render.report import conclusions

    ctx = v2_ctx
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == EDITION]
    found = conclusions(ctx, EDITION, stats)
    assert found[0].startswith("A person answered ")  # the response rates lead (issue 17)
    found = found[1:]
    valid = row_of(ctx, "valid")
    assert found[0].endswith("0 of 2 ranked companies earn grade A and 1 grade E.")
    assert found[1] == (
        "1 company, scored on fewer than 3 probes, is listed unranked: no rank, grade or tier."
    )
    assert found[2] == (
        f"Valid Soft has the highest score, {valid['score_display']:.0f} (90 % interval "
        f"{valid['score_low_display']:.0f}–{valid['score_high_display']:.0f}); the intervals "
        "leave both ranked companies in one statistically indistinguishable group, so the "
        "data cannot tell who leads."
    )
