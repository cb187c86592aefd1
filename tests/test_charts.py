"""The chart-spec lint: every chart spec the demo build writes says one thing, and says it right.

The rules (docs/charts.md): every quantitative axis has a title naming its unit; counts sit on
integer axes; a share's axis names its denominator ("share of companies"); no chart mixes
means with medians; no two series (or two bars of one series) are the same; no chart has a
single bar or only zeros (those are sentences); a report or home chart carries its title,
source, edition and licence inside the spec.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from benchmark.pipeline import run
from benchmark.render import render
from benchmark.render.charts import csv_of
from benchmark.render.common import Settings

from .helpers import lint

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)


@pytest.fixture(scope="module")
def demo_files() -> dict[str, bytes]:
    """Every chart file the demo build writes (specs, PNG, SVG, CSV, embed pages), by path."""
    result = run(REPO, NOW)
    return {
        o.path: o.content
        for o in render(result.dataset, result.scores, SETTINGS)
        if o.kind == "chart"
    }


@pytest.fixture(scope="module")
def demo_specs(demo_files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Every chart spec the demo build writes, by site path."""
    return {p: json.loads(c) for p, c in demo_files.items() if p.endswith(".json")}


def _travels(path: str) -> bool:
    return path.startswith(("charts/editions/", "charts/home/"))


@pytest.mark.slow
def test_every_demo_chart_passes_the_lint(demo_specs: dict[str, dict[str, Any]]) -> None:
    """Every spec the demo build writes passes; the report charts are all there."""
    assert any(p.startswith("charts/editions/") for p in demo_specs)
    assert any(p.startswith("charts/home/") for p in demo_specs)
    problems = [
        p
        for path, spec in sorted(demo_specs.items())
        for p in lint(path, spec, travels=_travels(path))
    ]
    assert problems == []


def _schema_errors(spec: dict[str, Any]) -> str | None:
    """What Vega-Lite's schema (Altair's copy) says is wrong with ``spec``; None when valid."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    error = validate_jsonschema(spec, schema, rootschema=schema, raise_error=False)
    return None if error is None else str(error.message)


@pytest.mark.slow
def test_every_demo_chart_is_valid_vega_lite(demo_specs: dict[str, dict[str, Any]]) -> None:
    """Every spec the demo writes is valid Vega-Lite (Altair's copy of the schema).

    The specs are built without Altair's validation (it cost half a second a build), so each
    is checked here as written (autosize, title and data set after Altair), company charts'
    templates among them.
    """
    assert any(p.startswith("charts/companies/") for p in demo_specs)
    bad = {path: e for path, spec in sorted(demo_specs.items()) if (e := _schema_errors(spec))}
    assert bad == {}


def test_the_schema_check_catches_a_wrong_spec() -> None:
    """The check above can fail: a mark Vega-Lite does not know, a misspelt encoding."""
    good = {"mark": "bar", "data": {"values": []}, "encoding": {"x": {"field": "a"}}}
    assert _schema_errors(good) is None
    assert _schema_errors({**good, "mark": "barz"}) is not None
    assert _schema_errors({**good, "encoding": {"x": {"feild": "a"}}}) is not None
    assert _schema_errors({**good, "autosize": {"type": "fits"}}) is not None


BAD: dict[str, dict[str, Any]] = {
    "single bar": {
        "mark": {"type": "bar"},
        "data": {"values": [{"label": "a", "value": 0.5}]},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": "share of companies"}
        },
    },
    "zeros": {
        "mark": "bar",
        "data": {"values": [{"label": "a", "value": 0}, {"label": "b", "value": 0}]},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": "share of companies"}
        },
    },
    "decimal counts": {
        "mark": "bar",
        "data": {"values": [{"label": "a", "value": 3}, {"label": "b", "value": 1}]},
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "companies"}},
    },
    "no unit": {
        "mark": "bar",
        "data": {"values": [{"label": "a", "value": 0.2}, {"label": "b", "value": 0.1}]},
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "value"}},
    },
    "no denominator": {
        "mark": "bar",
        "data": {"values": [{"label": "a", "value": 0.2}, {"label": "b", "value": 0.1}]},
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "share"}},
    },
    "mean and median": {
        "mark": "bar",
        "data": {
            "values": [
                {"label": "mean e-mail", "value": 2.5},
                {"label": "median e-mail", "value": 1.5},
            ]
        },
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "hours"}},
    },
    "cumulative bars": {
        "mark": "bar",
        "data": {
            "values": [
                {"label": "e-mail within 1 h", "value": 0.2},
                {"label": "e-mail within 4 h", "value": 0.5},
            ]
        },
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "share of probes"}},
    },
    "bar twice": {
        "mark": "bar",
        "data": {"values": [{"label": "E-mail", "value": 0.2}, {"label": "E-mail", "value": 0.3}]},
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "share of replies"}},
    },
    "series twice": {
        "mark": "bar",
        "data": {
            "values": [
                {"label": "a", "segment": "all", "value": 0.2},
                {"label": "b", "segment": "all", "value": 0.3},
                {"label": "a", "segment": "shops", "value": 0.2},
                {"label": "b", "segment": "shops", "value": 0.3},
            ]
        },
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": "share of companies"},
            "color": {"field": "segment", "type": "nominal"},
        },
    },
    "panel bar twice": {
        "facet": {"row": {"field": "facet", "type": "nominal"}},
        "data": {
            "values": [
                {"facet": "Shop", "label": "E-mail", "value": 0.2},
                {"facet": "Shop", "label": "E-mail", "value": 0.4},
            ]
        },
        "spec": {
            "mark": "bar",
            "encoding": {
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": "share of the sector's probes",
                }
            },
        },
    },
    "panel without unit": {
        "facet": {"row": {"field": "facet", "type": "nominal"}},
        "data": {
            "values": [
                {"facet": "Shop", "label": "E-mail", "value": 0.2},
                {"facet": "Bank", "label": "E-mail", "value": 0.4},
            ]
        },
        "spec": {
            "mark": "bar",
            "encoding": {"x": {"field": "value", "type": "quantitative", "title": "rate"}},
        },
    },
}


def test_the_lint_reads_facets() -> None:
    """Small multiples: one bar per panel is no duplicate, and the panel's axes are linted."""
    good = {**BAD["panel without unit"], "spec": BAD["panel bar twice"]["spec"]}
    assert lint("x", good, travels=False) == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_lint_catches_each_fault(name: str) -> None:
    """Each rule fails on a spec made to break it (so the demo passing means something)."""
    assert lint(name, BAD[name], travels=False)


def test_a_chart_that_travels_carries_its_source() -> None:
    """A report chart without title, source, edition and licence fails."""
    good = dict(BAD["series twice"])
    good["data"] = {"values": good["data"]["values"][:2]}
    assert lint("x", good, travels=False) == []
    assert len(lint("x", good, travels=True)) == 3


@pytest.mark.slow
def test_reply_time_curves_and_buckets(demo_specs: dict[str, dict[str, Any]]) -> None:
    """Curves start at 100 %, never rise and run to the cut-off; buckets add up to 100 %."""
    base = "charts/editions/2019-q1-software-houses/reply-times-"
    curve = demo_specs[base + "still-waiting.json"]["layer"][0]["data"]["values"]
    channels = {r["channel"] for r in curve}
    assert {"E-mail", "Live chat", "Contact form"} <= channels
    for channel in channels:
        points = [r for r in curve if r["channel"] == channel]
        assert points[0] == {"channel": channel, "hours": 0.0, "value": 1.0}
        assert all(a["value"] >= b["value"] for a, b in itertools.pairwise(points))
        assert points[-1]["hours"] == 168.0  # v2: never answered after 7 days
    bars = demo_specs[base + "buckets.json"]["data"]["values"]
    for channel in {r["label"] for r in bars}:
        assert sum(r["value"] for r in bars if r["label"] == channel) == pytest.approx(1, abs=0.001)


@pytest.mark.slow
def test_report_and_home_charts_travel(
    demo_files: dict[str, bytes], demo_specs: dict[str, dict[str, Any]]
) -> None:
    """Report and home charts come as PNG, SVG (title, source), CSV and an embed page."""
    travelling = [p for p in demo_specs if _travels(p)]
    assert len(travelling) > 20
    for path in travelling:
        stem = path.removesuffix(".json")
        spec = demo_specs[path]
        assert demo_files[stem + ".png"].startswith(b"\x89PNG\r\n\x1a\n")
        svg = demo_files[stem + ".svg"].decode()
        assert svg.startswith("<svg")
        assert "Customer Care Review" in svg
        assert html.escape(spec["title"]["text"], quote=False) in svg
        rows = list(csv.DictReader(io.StringIO(demo_files[stem + ".csv"].decode())))
        data = spec.get("data") or spec["layer"][0]["data"]
        assert len(rows) == len(data["values"]) > 0
        page = demo_files[stem + ".html"].decode()
        name = stem.rsplit("/", 1)[1]
        assert f'<img src="{name}.svg"' in page
        assert "#chart-" + name in page
    # company charts have none: the build budget
    assert not any(
        p.startswith("charts/companies/") and not p.endswith(".json") for p in demo_files
    )


def test_csv_cells_cannot_run_in_a_spreadsheet() -> None:
    """A label that starts like a formula is written with a leading quote."""
    spec = {
        "data": {"values": [{"label": "=HYPERLINK(1)", "value": -1}, {"label": "@x", "value": 2}]}
    }
    assert csv_of(spec).decode().splitlines() == ["label,value", "'=HYPERLINK(1),-1", "'@x,2"]


@pytest.mark.parametrize("kind", ["bars", "two data sets", "one shared data set"])
def test_rows_put_back_equal_altairs_own_spec(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """A chart made with tokens for its rows is the one Altair makes from the rows.

    A single chart, two layers with data of their own, two layers of one data set (lifted to
    the top by Altair).
    """
    from benchmark.render import charts

    rows = [
        {"label": "e-mail", "channel": "e-mail", "hours": 0.0, "value": 1.0, "shown": "1"},
        {"label": "chat", "channel": "chat", "hours": 4.5, "value": 0.25, "shown": "2"},
    ]

    def make() -> dict[str, Any]:
        if kind == "bars":
            return charts.bars(
                "charts/editions/e/b.json",
                rows,
                caption="B",
                unit="share",
                axis_title="share of companies",
                title="B",
                edition="e",
            ).spec
        if kind == "two data sets":
            return charts.still_waiting(
                "charts/editions/e/w.json",
                rows,
                [{"hours": 24.0, "label": "a day"}],
                caption="Waiting",
                edition="e",
                cutoff_hours=48.0,
                table="",
            ).spec
        return charts.unchecked(charts._subscore_template.__wrapped__)()

    tokened = make()
    assert charts._pending == {}  # every token was put back
    monkeypatch.setattr(charts, "_json_plain", lambda _rows: False)  # Altair gets the rows
    assert json.dumps(make()) == json.dumps(tokened)
    assert "__ccr_rows__" not in json.dumps(tokened)
    assert ("data" in tokened) == (kind != "two data sets")
