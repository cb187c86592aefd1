"""Report figures (benchmark/render/figures.py): chosen for their data, each passing the lint.

On the demo data: which figures each edition gets and what they say. On small hand-made
frames: the cases where a figure must not be drawn (one company, one sector, no earlier
edition, too few probes) and the numbers a figure is drawn from (control limits, outliers,
the highest and lowest companies of a large edition).
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmark.methodology import Methodology
from benchmark.pipeline import run
from benchmark.render.common import Context, Settings
from benchmark.render.figures import (
    control_limits,
    funnel_plot,
    interval_plot,
    report_figures,
    sector_panels,
    sector_trends,
)

from .helpers import lint

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)
SH, EC = "2019-q1-software-houses", "2016-e-commerce"


@pytest.fixture(scope="module")
def demo() -> Context:
    """The demo data, scored."""
    result = run(REPO, NOW)
    return Context.make(
        result.dataset, result.scores, Settings(site_url="https://customer-care-review.example/")
    )


@pytest.fixture(scope="module")
def v2(demo: Context) -> Methodology:
    """Methodology v2 (scores with a 90 % interval)."""
    return demo.method(SH)


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = spec["data"]["values"]
    return rows


def test_demo_figures_fit_their_data(demo: Context) -> None:
    """2016 (417 companies, 2 sectors): extremes, funnel, panels; 2019 (1 sector): no panels.

    No sector is audited in both demo editions, so neither gets a trend. Every figure passes
    the chart lint and travels (downloads, permalink, embed).
    """
    made = {e: report_figures(demo, e) for e in (EC, SH)}
    names = {e: [c.path.rsplit("/", 1)[1] for c in charts] for e, charts in made.items()}
    assert names[EC] == [
        "scores-intervals.json",
        "response-rate-funnel.json",
        "sectors-response-rate.json",
    ]
    assert names[SH] == ["scores-intervals.json", "response-rate-funnel.json"]
    for edition, charts in made.items():
        for chart in charts:
            assert chart.path.startswith(f"charts/editions/{edition}/")
            assert chart.travels
            assert lint(chart.path, chart.spec, travels=True) == []
            assert chart.spec["title"]["subtitle"][0].endswith(edition)
            assert "<table" in chart.table
            assert chart.caption
            json.dumps(chart.spec)  # the spec is plain JSON


def test_dot_plot_of_a_large_edition_shows_its_extremes(demo: Context) -> None:
    """137 ranked companies: the 20 highest and 20 lowest, in rank order, said in the caption."""
    chart = report_figures(demo, EC)[0]
    rows = _values(chart.spec)
    assert len(rows) == 40
    assert [r["group"] for r in rows] == ["20 highest"] * 20 + ["20 lowest"] * 20
    scored = demo.scores.companies
    ranked = scored[(scored["edition"] == EC) & scored["ranked"].astype(bool)]
    assert rows[0]["score"] == ranked["score_display"].max()
    assert rows[-1]["score"] == ranked["score_display"].min()
    assert all(r["low"] <= r["score"] <= r["high"] for r in rows)
    assert "20 highest and the 20 lowest of the 137 ranked" in chart.caption
    assert "the other 97 are on the leaderboard" in chart.caption
    assert chart.table.count("<tr>") == 41  # header and 40 companies


def test_dot_plot_of_a_small_edition_shows_every_ranked_company(demo: Context) -> None:
    """20 ranked companies of 129: all 20, no groups; the unranked are not drawn."""
    chart = report_figures(demo, SH)[0]
    rows = _values(chart.spec)
    assert len(rows) == 20
    assert {r["group"] for r in rows} == {"all"}
    assert "all 20 ranked companies" in chart.caption
    assert (
        "color" not in chart.spec["layer"][1]["encoding"]
        or "field" not in chart.spec["layer"][1]["encoding"]["color"]
    )


def _companies(
    n: int, *, edition: str = "e", sector: str = "shop", probes: int = 4, answered: int = 2
) -> pd.DataFrame:
    """``n`` ranked companies with intervals, best first."""
    rows = []
    for i in range(n):
        score = 80.0 - i
        rows.append(
            {
                "slug": f"c{i}",
                "name": f"Company {i}",
                "domain": f"c{i}.example",
                "edition": edition,
                "sector": sector,
                "probes": probes,
                "answered": answered,
                "ranked": True,
                "rank_overall": i + 1,
                "rank_overall_low": max(1, i - 1),
                "rank_overall_high": min(n, i + 3),
                "score": score,
                "score_display": score,
                "score_low": score - 5,
                "score_low_display": score - 5,
                "score_high_display": score + 5,
            }
        )
    return pd.DataFrame(rows)


def test_one_company_gives_no_dot_plot(v2: Methodology) -> None:
    """One ranked company is a sentence, not a chart; two are a chart; v1 has no intervals."""
    assert interval_plot(_companies(1), "e", v2) is None
    two = interval_plot(_companies(2), "e", v2)
    assert two is not None
    assert [r["label"] for r in _values(two.spec)] == ["Company 0", "Company 1"]
    assert interval_plot(_companies(2), "e", dataclasses.replace(v2, uncertainty=None)) is None
    unranked = _companies(3).assign(ranked=[True, False, False])
    assert interval_plot(unranked, "e", v2) is None


def test_dot_plot_names_stay_apart_and_above_61_split(v2: Methodology) -> None:
    """Two companies of one name get their domains; 61 ranked companies show 20 + 20."""
    frame = _companies(3).assign(name=["Same", "Same", "Other"])
    chart = interval_plot(frame, "e", v2)
    assert chart is not None
    assert [r["label"] for r in _values(chart.spec)] == [
        "Same (c0.example)",
        "Same (c1.example)",
        "Other",
    ]
    assert len(_values(interval_plot(_companies(60), "e", v2).spec)) == 60  # type: ignore[union-attr]
    big = interval_plot(_companies(61), "e", v2)
    assert big is not None
    assert len(_values(big.spec)) == 40
    assert _values(big.spec)[20]["label"] == "Company 41"


def test_control_limits_by_hand() -> None:
    """With p = 0.5 over 100 probes: 0.5 ± 1.96 × 0.05; clipped to 0–1 for a small n."""
    low, high = control_limits(0.5, 100, 1.959964)
    assert low == pytest.approx(0.402, abs=1e-3)
    assert high == pytest.approx(0.598, abs=1e-3)
    assert control_limits(0.9, 2, 3.090232) == pytest.approx(
        (0.9 - 3.090232 * math.sqrt(0.09 / 2), 1.0)
    )


def test_funnel_finds_the_company_chance_does_not_explain() -> None:
    """40 companies at 20 of 40 and one at 0 of 40: the one is below the 99.8 % funnel."""
    frame = pd.concat(
        [
            _companies(40, probes=40, answered=20),
            _companies(1, probes=30, answered=0).assign(slug="low"),
        ]
    )
    chart = funnel_plot(frame, "e")
    assert chart is not None
    assert "1 company below and 0 above the 99" in chart.caption
    overall = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "rule")
    assert overall["encoding"]["y"]["datum"] == pytest.approx(800 / 1630, abs=1e-4)
    points = {(r["probes"], r["rate"]): r["companies"] for r in _values(chart.spec)}
    assert points == {(40, 0.5): 40, (30, 0.0): 1}
    assert "below the 99.8 % limits" in chart.table
    assert lint(chart.path, chart.spec, travels=True) == []


def test_funnel_needs_companies_and_spread() -> None:
    """Fewer than 10 companies, one probe count for all, or all answered: no funnel."""
    assert funnel_plot(_companies(9, probes=3).assign(probes=[3, 4] * 4 + [5]), "e") is None
    assert funnel_plot(_companies(20, probes=4), "e") is None
    mixed = _companies(20).assign(probes=[2, 4] * 10)
    assert funnel_plot(mixed.assign(answered=mixed["probes"]), "e") is None
    assert funnel_plot(mixed, "e") is not None


def _probes(counts: dict[tuple[str, str], tuple[int, int]]) -> pd.DataFrame:
    """Probes of company ``slug`` on ``channel``: (answered, total) per key."""
    rows = []
    for (slug, channel), (answered, total) in counts.items():
        rows += [
            {"slug": slug, "edition": "e", "channel": channel, "answered": i < answered}
            for i in range(total)
        ]
    return pd.DataFrame(rows)


def test_sector_panels_share_one_scale_and_need_two_sectors() -> None:
    """Two sectors of two channels each: a panel each on 0–100 %; one sector: none."""
    companies = pd.concat(
        [_companies(1, sector="shop"), _companies(1, sector="bank").assign(slug="b")]
    )
    probes = _probes(
        {
            ("c0", "email"): (3, 6),
            ("c0", "live_chat"): (5, 5),
            ("b", "email"): (1, 5),
            ("b", "live_chat"): (4, 8),
            ("b", "phone"): (1, 2),
        }
    )  # 2 phone probes: too few for a bar
    chart = sector_panels(companies, probes, "e")
    assert chart is not None
    rows = _values(chart.spec)
    assert [(r["facet"], r["label"], r["value"]) for r in rows] == [
        ("Bank", "E-mail", 0.2),
        ("Bank", "Live chat", 0.5),
        ("Shop", "E-mail", 0.5),
        ("Shop", "Live chat", 1.0),
    ]
    assert chart.spec["spec"]["encoding"]["x"]["scale"] == {"domain": [0, 1]}
    assert "y" in chart.spec["resolve"]["scale"]
    assert "x" not in chart.spec["resolve"]["scale"]
    assert lint(chart.path, chart.spec, travels=True) == []
    assert sector_panels(companies.assign(sector="shop"), probes, "e") is None
    thin = probes[probes["channel"] == "email"]
    assert sector_panels(companies, thin, "e") is None  # one channel per sector: bars alone


def test_trends_only_for_sectors_seen_before() -> None:
    """A sector in two editions gets a line; a new sector none; later editions are left out."""
    companies = pd.concat(
        [
            _companies(2, edition="a", sector="shop", probes=4, answered=1),
            _companies(2, edition="b", sector="shop", probes=4, answered=3).assign(
                slug=["s0", "s1"]
            ),
            _companies(2, edition="b", sector="bank").assign(slug=["b0", "b1"]),
            _companies(2, edition="c", sector="shop", probes=4, answered=4).assign(
                slug=["t0", "t1"]
            ),
        ]
    )
    editions = [("a", "2016-06"), ("b", "2019-01")]
    chart = sector_trends(companies, "b", editions)
    assert chart is not None
    assert [(r["series"], r["label"], r["value"]) for r in _values(chart.spec)] == [
        ("Shop", "2016-06", 0.25),
        ("Shop", "2019-01", 0.75),
    ]
    assert chart.spec["encoding"]["x"]["sort"] == ["2016-06", "2019-01"]
    assert lint(chart.path, chart.spec, travels=True) == []
    assert sector_trends(companies, "a", [("a", "2016-06")]) is None
    assert sector_trends(companies[companies["sector"] == "bank"], "b", editions) is None
