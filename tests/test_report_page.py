"""Edition reports and the home page lead with what was found (issue 17), from templates.

The report opens with its title, a one-line scope and the key findings; extra figures follow;
a chart's numbers are in its data table, not repeated below it; the companies fold by sector.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmark.render import pages, report
from benchmark.render.charts import bars
from benchmark.render.report import conclusions, editions_index, report_page
from benchmark.render.sentences import by_channel, sentence
from benchmark.render.text import text
from tests.helpers import HOSTILE
from tests.helpers import render_context as context

EDITION = "fixture-edition"


def _positions(md: str, *marks: str) -> list[int]:
    return [md.index(m) for m in marks]


def test_report_leads_with_scope_and_key_findings(site_tree: Path) -> None:
    """Title, scope, key findings, then the review card and the sections, in that order."""
    ctx = context(site_tree)
    md, _ = report_page(ctx, EDITION)
    probes = int((ctx.scores.probes["edition"] == EDITION).sum())
    companies = int((ctx.scores.companies["edition"] == EDITION).sum())
    scope = re.search(r'<p class="ccr-scope">(.*?)</p>', md)
    assert scope
    assert scope.group(1).startswith(f"{companies} companies · {probes} probes · ")
    order = _positions(
        md,
        "# Fixture edition",
        'class="ccr-scope"',
        "## Key findings",
        "## Review card",
        "## Which channels",
        "## Companies audited",
    )
    assert order == sorted(order)
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == EDITION]
    findings = re.search(r'<ul class="ccr-key-findings">(.*?)</ul>', md)
    assert findings
    items = re.findall(r"<li>(.*?)</li>", findings.group(1))
    assert items == [text(s) for s in conclusions(ctx, EDITION, stats)]
    assert items[0].startswith(text("A person answered 67% of all probes (2 of 3); by channel"))
    assert "## Figures" not in md  # no extra figures, no empty section


def test_response_rates_by_channel_in_one_sentence() -> None:
    """All probes first, then each channel highest first; social media (a sum) left out."""

    def row(sid: str, k: int, n: int, **given: str) -> dict[str, object]:
        return {
            "id": sid,
            "measure": "response_rate",
            **given,
            "segment": "all",
            "label": sid,
            "value": k / n,
            "numerator": k,
            "denominator": n,
            "unit": "share",
        }

    rows = [
        row("response_rate_email", 1, 4, channel="email"),
        row("response_rate", 5, 10),
        row("response_rate_live_chat", 3, 4, channel="live_chat"),
        row("response_rate_social", 1, 2, family="social"),
        row("response_rate_facebook", 1, 2, channel="facebook"),
    ]
    assert by_channel(rows) == (
        "A person answered 50% of all probes (5 of 10); by channel, "
        "highest first: live chat 75%, Facebook 50%, e-mail 25%."
    )
    assert by_channel(rows[:2]) == sentence(rows[1])  # one channel: nothing to compare
    assert by_channel(rows[2:]) is None


def test_extra_figures_follow_the_key_findings(
    site_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures report_figures returns are drawn after the key findings and yielded."""
    chart = bars(
        f"charts/editions/{EDITION}/figures-test.json",
        [
            {"label": "a", "value": 0.2, "shown": "20%"},
            {"label": "b", "value": 0.5, "shown": "50%"},
        ],
        caption="Test figure",
        unit="share",
        axis_title="share",
        title="Test",
        edition=EDITION,
    )
    monkeypatch.setattr(report, "report_figures", lambda ctx, edition: [chart])
    md, charts = report_page(context(site_tree), EDITION)
    assert charts[0] is chart
    figure = md.index('id="chart-figures-test"')
    assert md.index("## Key findings") < md.index("## Figures {#figures}") < figure
    assert figure < md.index("## Review card")


def test_charted_figures_are_in_the_data_table_not_below_the_chart(site_tree: Path) -> None:
    """A charted statistic is a data-table row with its counts; a one-bar one is a sentence."""
    ctx = context(site_tree)
    md, charts = report_page(ctx, EDITION)
    rates = md[md.index("## Response rate by channel") : md.index("## Reply times")]
    assert (
        '<tr data-stat="response_rate_email" data-segment="all"><td>E&#45;mail</td>'
        '<td class="num">50&#37;</td><td class="num">1 of 2</td></tr>'
    ) in rates
    assert "ccr-findings" not in rates
    assert text("A person answered 50% of the e-mail probes (1 of 2).") not in md
    promises = md[md.index("## Published hours") :]
    assert '<li data-stat="hours_published" data-segment="all">' in promises
    assert not any("promises-hours" in c.path for c in charts)  # one bar: a sentence


def test_companies_fold_by_sector(site_tree: Path) -> None:
    """Each sector is a <details> with its count in the summary, its board and its names."""
    ctx = context(site_tree)
    md, _ = report_page(ctx, EDITION)
    part = md[md.index("## Companies audited") :]
    scored = ctx.scores.companies[ctx.scores.companies["edition"] == EDITION]
    for sector, group in scored.groupby("sector"):
        block = re.search(
            r'<details class="ccr-sector-list"><summary>([^<]*) <span '
            r'class="ccr-count">(\d+) companies</span></summary>(.*?)</details>',
            part,
        )
        assert block, part
        assert int(block.group(2)) == len(group)
        assert f'href="../../leaderboards/{EDITION}/sector/{sector}/"' in block.group(3)
        assert block.group(3).count('href="../../companies/') == len(group)


def test_home_leads_with_the_latest_findings(site_tree: Path) -> None:
    """The home page's first section is what the latest edition found, before the top 10."""
    ctx = context(site_tree)
    md, _ = pages.home(ctx)
    stats = ctx.scores.statistics[ctx.scores.statistics["edition"] == EDITION]
    first = md.index("## ")
    assert md.startswith("## What the latest edition found", first)
    findings = re.search(r'<ul class="ccr-key-findings">(.*?)</ul>', md)
    assert findings
    assert findings.start() < md.index("## Top 10")
    assert re.findall(r"<li>(.*?)</li>", findings.group(1)) == [
        text(s) for s in conclusions(ctx, EDITION, stats)[: pages.HOME_FINDINGS]
    ]
    assert f'href="editions/{EDITION}/"' in md[first : md.index("## Top 10")]


@pytest.mark.parametrize("value", HOSTILE)
def test_edition_text_prints_inert_on_report_home_and_index(site_tree: Path, value: str) -> None:
    """An edition's title and summary from data print escaped in all three templates."""
    ctx = context(site_tree)
    doc = ctx.editions[EDITION]
    doc["title"], doc["summary"] = f"T {value}", f"S {value}"
    shown = [report_page(ctx, EDITION)[0], pages.home(ctx)[0], editions_index(ctx)]
    for md in shown:
        body = md.split("\n---\n", 1)[1]
        assert text(f"T {value}") in body
        assert value not in body
    assert text(f"S {value}") in shown[0]
