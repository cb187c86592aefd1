"""The render stage: golden pages and chart specs, sentences from statistics, escaping."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from benchmark.pipeline import run
from benchmark.render import render
from benchmark.render.common import Context, Settings
from benchmark.render.company import _business, company_pages, script_title
from benchmark.render.leaderboard import board_page
from benchmark.render.report import report_page, section
from benchmark.render.sentences import SECTIONS, sentence, short_value
from benchmark.render.text import safe_url, text
from tests.helpers import HOSTILE, add_later_edition, records, use_v2

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CCR_UPDATE_GOLDEN") == "1"  # python3 scripts/dev.py golden
NOW = datetime(2026, 11, 23, tzinfo=UTC)
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)


def context(root: Path) -> Context:
    """Score the tree and make the page writers' context."""
    result = run(root, NOW)
    return Context.make(result.dataset, result.scores, SETTINGS)


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; rewrite it instead when CCR_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run `python3 scripts/dev.py golden`"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file; if the change is "
        "intended, run `python3 scripts/dev.py golden`"
    )


def spec_text(spec: dict[str, Any]) -> str:
    """A chart spec as stored: sorted keys, indented."""
    return json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_golden_company_page(site_tree: Path) -> None:
    """The company page of the fixture company and its chart spec match their golden files."""
    pages = {path: (md, chart) for path, md, chart in company_pages(context(site_tree))}
    md, chart = pages["companies/valid.md"]
    golden("company-valid.md", md)
    golden("company-valid.chart.json", spec_text(chart.spec))


def test_golden_leaderboard(site_tree: Path) -> None:
    """The fixture edition's overall leaderboard matches its golden file."""
    golden("leaderboard-fixture-edition.md", board_page(context(site_tree), "fixture-edition"))


def test_golden_v2_leaderboard_and_company_pages(site_tree: Path) -> None:
    """On methodology v2: the board and a ranked and an unranked company page match."""
    use_v2(site_tree)
    ctx = context(site_tree)
    golden("leaderboard-fixture-edition-v2.md", board_page(ctx, "fixture-edition"))
    pages = {path: md for path, md, _ in company_pages(ctx)}
    golden("company-valid-v2.md", pages["companies/valid.md"])
    golden("company-thin-v2.md", pages["companies/thin.md"])


def test_golden_report_section(site_tree: Path) -> None:
    """One report section (response rates) and its chart spec match their golden files."""
    ctx = context(site_tree)
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == "fixture-edition"]
    sec = next(s for s in SECTIONS if s.key == "response-rates")
    md, charts = section(ctx, "fixture-edition", sec, stats, "editions/fixture-edition/")
    golden("report-section-response-rates.md", md)
    assert len(charts) == 1
    golden("report-section-response-rates.chart.json", spec_text(charts[0].spec))


def _finding(md: str, stat: str) -> str:
    m = re.search(rf'<li data-stat="{stat}" data-segment="all">(.*?)</li>', md)
    assert m, f"no sentence for {stat}"
    return m.group(1)


def test_report_sentence_follows_the_data(site_tree: Path) -> None:
    """Changing one company's data changes the numbers of the report sentence it feeds."""
    before = _finding(report_page(context(site_tree), "fixture-edition")[0], "hours_published")
    assert text("50% of the companies publish their customer-service hours (1 of 2).") in before
    neighbour = site_tree / "data" / "companies" / "neighbour.yaml"
    raw = neighbour.read_text()
    assert "support_hours: null" in raw
    neighbour.write_text(
        raw.replace(
            "support_hours: null",
            """support_hours:
      timezone: Europe/Warsaw
      schedule:
        - days: [mon]
          open: '09:00'
          close: '12:00'""",
        )
    )
    after = _finding(report_page(context(site_tree), "fixture-edition")[0], "hours_published")
    assert text("All of the companies publish their customer-service hours (2 of 2).") in after


def test_every_statistic_is_shown_once_in_a_section(site_tree: Path) -> None:
    """Each statistic lands in a section: a row of its chart's data table, or its sentence.

    A charted statistic's numbers are in the chart's data table (with the counts they rest
    on), not repeated as a sentence below it; an uncharted one is its sentence. In an edition
    of one sector, the sector's copies of the all-companies figures are left out.
    """
    ctx = context(site_tree)
    page, charts = report_page(ctx, "fixture-edition")
    md = page[page.index("## Review card") :]  # the sections (key findings repeat a few)
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == "fixture-edition"]
    rows = records(stats)
    overall = {r["id"] for r in rows if r["segment"] == "all"}
    for row in rows:
        assert any(s.holds(row) for s in SECTIONS), row["id"]
        said = (
            f'<li data-stat="{row["id"]}" data-segment="{row["segment"]}">'
            f"{text(sentence(row))}</li>"
        )
        tabled = re.search(
            rf'<tr data-stat="{row["id"]}" data-segment="{row["segment"]}">'
            rf'<td>[^<]*</td><td class="num">{re.escape(text(short_value(row)))}'
            "</td>",
            md,
        )
        copy = row["segment"] != "all" and row["id"] in overall
        assert (md.count(said) + bool(tabled)) == (0 if copy else 1), row["id"]
        if tabled:
            assert text(sentence(row)) not in md, row["id"]
    assert charts
    assert all(c.path.startswith("charts/editions/fixture-edition/") for c in charts)


def test_report_lists_companies_only_when_few(
    site_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small edition's report lists every company; a large one links sectors and A–Z only."""
    from benchmark.render import report

    ctx = context(site_tree)
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == "fixture-edition"]
    links = re.compile(r'href="\.\./\.\./companies/[^"/]+/"')

    def companies_section(md: str) -> str:
        return md[md.index("## Companies audited") :]

    small = companies_section(report_page(ctx, "fixture-edition")[0])
    assert len(links.findall(small)) == scored["slug"].nunique()
    assert 'href="../../leaderboards/fixture-edition/sector/' in small
    monkeypatch.setattr(report, "LIST_UP_TO", len(scored) - 1)
    large = companies_section(report_page(ctx, "fixture-edition")[0])
    assert links.findall(large) == []
    assert 'href="../../companies/">Companies A–Z</a>' in large
    assert f"{len(scored)} companies." in large
    for sector in scored["sector"].unique():
        assert f'href="../../leaderboards/fixture-edition/sector/{sector}/"' in large


def test_sentence_numbers_come_from_the_row() -> None:
    """A sentence shows the row's own share, numerator and denominator."""
    row = {
        "id": "hours_published",
        "measure": "hours_published",
        "segment": "all",
        "label": "x",
        "value": 0.34,
        "numerator": 34.0,
        "denominator": 100,
        "unit": "share",
    }
    assert sentence(row) == (
        "Only 34% of the companies publish their customer-service hours (34 of 100)."
    )
    row = {**row, "value": 0.71, "numerator": 71.0}
    assert sentence(row) == "71% of the companies publish their customer-service hours (71 of 100)."


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_inert(value: str) -> None:
    """Escaped data text holds no character Markdown or HTML could read as syntax."""
    out = text(value)
    assert not re.search(r"[<>\[\]{}()!|`*_#&\"'\\]", out.replace("&#", "").replace(";", "")), out


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "JaVaScRiPt:x",
        " https://x.example",
        'https://x.example/"onmouseover=x',
        "//evil.example",
        "vbscript:x",
    ],
)
def test_unsafe_urls_are_not_links(url: str) -> None:
    """Only http(s) URLs with a host become links."""
    assert safe_url(url) is None


@pytest.mark.slow
def test_render_is_deterministic(site_tree: Path) -> None:
    """Rendering the same data twice gives the same files, byte for byte."""
    ctx = context(site_tree)
    first = [(o.path, o.content) for o in render(ctx.dataset, ctx.scores, SETTINGS)]
    second = [(o.path, o.content) for o in render(ctx.dataset, ctx.scores, SETTINGS)]
    assert first == second
    assert len({p for p, _ in first}) == len(first)


def test_company_in_two_editions(site_tree: Path) -> None:
    """A company audited twice: its latest edition leads, both audits' probes are listed."""
    add_later_edition(site_tree)
    company = site_tree / "data" / "companies" / "valid.yaml"
    company.write_text(
        company.read_text().replace(
            "first_response:\n          at: '2020-02-11T12:40:00+01:00'",
            "first_response:\n          at: '2020-02-11T10:25:00+01:00'",
        )
    )
    pages = {path: md for path, md, _ in company_pages(context(site_tree))}
    md = pages["companies/valid.md"]
    assert md.index("Later edition") < md.index(">Editions</h2>")
    assert md.count('<table class="ccr-probes">') == 2
    assert (
        '<h2 id="evidence-every-probe-later-edition" data-search-exclude>'
        "Evidence: every probe — Later edition</h2>"
    ) in md
    assert "rank 1 → 1" in md  # movement against the earlier edition


def test_question_scripts_show_as_short_titles() -> None:
    """A probe's question shows its script's first sentence (or start), never its id."""
    assert script_title("How much?  And when?") == "How much?"
    long = (
        "We are planning a web application for booking appointments in our clinics "
        "(about 20 screens, an admin panel, payments). Could you estimate the cost?"
    )
    short = script_title(long)
    assert short == ("We are planning a web application for booking appointments in our clinics…")
    assert len(short) <= 81
    assert script_title("A short one without a stop") == "A short one without a stop"


def test_business_time_says_why_it_is_shorter() -> None:
    """A business time shorter than the wait says that hours outside opening were not counted."""
    same = {"reply_seconds": 1200.0, "reply_business_seconds": 1200.0}
    assert _business(same) == "20 min"
    night = {"reply_seconds": 240.0, "reply_business_seconds": 0.0}
    assert _business(night).startswith("0 s<br>")
    assert "outside business hours: counted from the next opening" in _business(night)
    part = {"reply_seconds": 86_400.0, "reply_business_seconds": 3_600.0}
    assert "outside business hours not counted" in _business(part)
