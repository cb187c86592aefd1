"""Chart specs with Altair, and the HTML that holds them with their text alternative.

A chart is a Vega-Lite spec in its own JSON file, drawn in the browser by the site's own Vega
bundle. The container keeps its final height before the chart renders (no layout shift), and
every chart comes with a caption and its data as a table. Specs hold only the data they show.

Altair builds each chart kind once; per-company charts reuse that template and change only
its data, so thousands of company charts cost a dict copy each, not an Altair build.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import itertools
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar, cast

import altair as alt
from altair.utils.schemapi import debug_mode
from markupsafe import Markup

from .common import html_table, rel
from .jinja import render_template
from .text import attr, text

BAR = 26  # pixels per bar
AXES = 64  # room for axes and legend
AUTOSIZE = {"type": "fit", "contains": "padding"}


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: where its spec lives, the spec, its height and its text alternative."""

    path: str  # site path of the spec, charts/…json
    spec: dict[str, Any]
    height: int
    caption: str  # escaped HTML
    table: str  # the data as an HTML table

    @property
    def travels(self) -> bool:
        """A report or home chart: downloads, permalink and embed page go with it."""
        return self.path.startswith(("charts/editions/", "charts/home/"))

    @property
    def anchor(self) -> str:
        """The figure's id on its page, for a permalink."""
        return "chart-" + posixpath.basename(self.path).removesuffix(".json")

    def html(self, page_url: str, site_url: str | None = None) -> str:
        """The figure for a page at ``page_url``: container, caption, links, data table.

        Rendered from ``templates/_chart.html``; ``caption`` and ``table`` are escaped HTML.
        A travelling chart's box starts with its build-time SVG (:meth:`exports`), so the
        reader sees the chart before the Vega bundle has loaded.
        """
        stem = self.path.removesuffix(".json")
        embed = (site_url.rstrip("/") + "/" if site_url else "/") + stem + ".html"
        snippet = (
            f'<iframe src="{embed}" title="{_plain(self.title)}" width="100%" '
            f'height="{self.height + 40}" loading="lazy" style="border:0"></iframe>'
        )
        return render_template(
            "_chart.html",
            travels=self.travels,
            anchor=self.anchor,
            spec_url=rel(page_url, self.path),
            vega_url=rel(page_url, "assets/vendor/vega.js"),
            height=self.height,
            alt=_plain(self.caption),
            export_width=EXPORT_WIDTH,
            caption=Markup(self.caption),
            table=Markup(self.table),
            stem=rel(page_url, stem),
            snippet=snippet,
        )

    @property
    def title(self) -> str:
        """The chart's title (inside the spec), or its caption."""
        inside = self.spec.get("title")
        return str(inside["text"]) if isinstance(inside, dict) else self.caption

    def exports(self, page: str, store: ExportStore | None = None) -> dict[str, bytes]:
        """PNG, SVG, CSV and the embed page, by site path (rendered now, with vl-convert).

        With a ``store`` (the build's export cache), a rendering of the same spec by the
        same vl-convert is taken from it instead of drawn again.
        """
        import vl_convert

        spec = dict(self.spec)
        if "facet" in spec:  # small multiples: each panel gets a fixed width
            spec["spec"] = {**spec["spec"], "width": FACET_WIDTH}
        else:
            spec["width"] = EXPORT_WIDTH
        stem = self.path.removesuffix(".json")
        name = posixpath.basename(stem)
        back = rel(posixpath.dirname(self.path) + "/", page) + "#" + self.anchor
        embed = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{text(self.title)} — Customer Care Review</title>"
            '<meta name="robots" content="noindex">'
            "<style>body{margin:0;font:13px sans-serif}img{display:block;width:100%;"
            "height:auto}p{margin:4px 8px}</style></head><body>"
            f'<img src="{attr(name)}.svg" alt="{attr(_plain(self.caption))}">'
            f'<p><a href="{attr(back)}" target="_top">Customer Care Review: the chart, its data '
            f'and method</a> · <a href="{attr(name)}.csv">CSV</a></p></body></html>\n'
        )
        given = json.dumps(spec, ensure_ascii=False).encode()  # the bytes vl-convert reads
        cached = store.render if store is not None else _uncached
        svg = cached("svg", given, lambda: vl_convert.vegalite_to_svg(given.decode()).encode())
        # The PNG is drawn from the SVG (one Vega run), and keyed by the same spec.
        png = cached("png", given, lambda: bytes(vl_convert.svg_to_png(svg.decode(), scale=2)))
        return {
            f"{stem}.svg": svg,
            f"{stem}.png": png,
            f"{stem}.csv": csv_of(self.spec),
            f"{stem}.html": embed.encode(),
        }


class ExportStore(Protocol):
    """Where rendered exports are kept between builds (``benchmark.cache.ExportCache``)."""

    def render(self, kind: str, data: bytes, make: Callable[[], bytes]) -> bytes:
        """The rendering of ``data`` as ``kind``: a stored one, or ``make()``."""


def _uncached(_kind: str, _data: bytes, make: Callable[[], bytes]) -> bytes:
    return make()


EXPORT_WIDTH = 640  # pixels of a downloaded chart (PNG at twice that)


def csv_of(spec: dict[str, Any]) -> bytes:
    """The chart's data as CSV: its first data set (a layered chart: its first layer's)."""
    layers = [layer["data"] for layer in spec.get("layer", []) if "data" in layer]
    data: dict[str, Any] = spec.get("data") or (layers[0] if layers else {"values": []})
    rows: list[dict[str, Any]] = data.get("values", [])
    columns = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    return out.getvalue().encode()


def _cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting = + - @ gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# Data sets waiting for their chart's spec: Altair walks and copies every value of inline
# data when it makes the spec (a third of a report's render), so a chart is made with a
# token in place of each data set of plain values and the rows are put back into the spec.
_ROWS = "__ccr_rows__"
_pending: dict[int, list[dict[str, Any]]] = {}  # token → rows
_tokens = itertools.count()


F = TypeVar("F", bound=Callable[..., Any])


def unchecked(fn: F) -> F:
    """Run ``fn`` with Altair's debug mode off: no schema check of each part as it is made.

    That check cost a quarter of a report's render; the finished specs are validated by
    tests/test_charts.py instead, and the specs are the same either way.
    """

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with debug_mode(False):
            return fn(*args, **kwargs)

    return cast(F, run)


def _json_plain(value: Any) -> bool:
    """True for JSON's own types only (what Altair's spec would hold as they are)."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _json_plain(v) for k, v in value.items())
    if kind is list:
        return all(_json_plain(v) for v in value)
    return kind is str or kind is int or kind is float or kind is bool or value is None


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    """Inline data values (Altair's Data constructor is untyped); see :data:`_pending`."""
    if not _json_plain(rows):
        return alt.Data(values=rows)  # type: ignore[no-untyped-call]
    # One Data object per call, as with the rows: Altair lifts a layer's data to the top by
    # the object's identity, so the spec has the same shape either way.
    token = next(_tokens)
    _pending[token] = rows
    return alt.Data(values=[{_ROWS: token}])  # type: ignore[no-untyped-call]


def _put_rows(spec: Any, used: set[int]) -> Any:
    """``spec`` with each token's data set back in place (a copy of the rows, as Altair's)."""
    if isinstance(spec, dict):
        values = spec.get("values")
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], dict):
            token = values[0].get(_ROWS)
            if token in _pending and len(values[0]) == 1:
                used.add(token)
                rows = _pending[token]
                return {
                    k: ([dict(r) for r in rows] if k == "values" else _put_rows(v, used))
                    for k, v in spec.items()
                }
        return {k: _put_rows(v, used) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_put_rows(v, used) for v in spec]
    return spec


def _finish(chart: alt.TopLevelMixin, height: int, description: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec, sized to its container.

    Altair does not validate it here (its JSON-schema check of every spec cost about half a
    second a build); tests/test_charts.py validates every spec the demo writes instead.
    """
    made = chart.properties(width="container", height=height, description=description)
    used: set[int] = set()
    spec: dict[str, Any] = _put_rows(made.to_dict(validate=False), used)
    for token in used:
        del _pending[token]
    spec["autosize"] = AUTOSIZE
    spec.pop("config", None)
    return spec


SOURCE = "Source: Customer Care Review, edition {edition}"
LICENCE = "Licence: MIT (the project's licence, pyproject.toml)"
TITLED = 52  # room for a title and two subtitle lines inside the chart
UNIT_FORMATS = {"share": ".0%", "count": "d"}
COUNT_TITLES = ("companies", "probes", "replies", "calls")  # axes of whole numbers


def travel(spec: dict[str, Any], title: str, edition: str) -> dict[str, Any]:
    """Put the chart's title, source, edition and licence inside the spec (and the image)."""
    spec["title"] = {
        "text": title,
        "subtitle": [SOURCE.format(edition=edition), LICENCE],
        "anchor": "start",
        "subtitleFontSize": 10,
    }
    return spec


def _axis(unit: str, title: str) -> dict[str, Any]:
    """Axis settings: counts on whole ticks, shares as percentages, the rest with a decimal."""
    if unit == "count" or title in COUNT_TITLES:
        return {"format": "d", "tickMinStep": 1}
    return {"format": UNIT_FORMATS.get(unit, ".1f")}


LABEL_ROOM = 18  # pixels above a bar (or a group of bars) for its label


def _labels_above(step: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The y scale and axis of bars whose labels sit above them, across the plot's width.

    A label beside its bar takes up to 180 px of a 358 px phone column and leaves the bars
    too little room; above its bar it has the full width and the bar keeps it too. ``step``
    is the pixels of one band (its bars plus the label's room); the room above the first
    band comes from the outer padding, all put at the top (``align: 1``).
    """
    room = LABEL_ROOM / step
    scale = {"paddingInner": round(room, 4), "paddingOuter": round(room / 2, 4), "align": 1}
    axis = {
        "labelAlign": "left",
        "labelBaseline": "bottom",
        "labelPadding": 0,
        "ticks": False,
        "domain": False,
        "labelBound": False,
        "labelFontSize": 11,
        "labelOffset": {"expr": "-bandwidth('y') / 2 - 3"},
        "labelLimit": {"expr": "width"},
    }
    return scale, axis


@unchecked
def bars(
    path: str,
    rows: list[dict[str, Any]],
    *,
    caption: str,
    unit: str,
    axis_title: str,
    title: str,
    edition: str,
    color: bool = False,
) -> Chart:
    """Horizontal bars: one per row of ``label`` → ``value``, one measure (``axis_title``).

    ``unit`` is share, count, hours, points or ratio; ``axis_title`` names the unit and, for a
    share, its denominator ("share of companies"). With ``color``, rows carry a ``segment``
    and bars are grouped by it.
    """
    fmt = ".0%" if unit == "share" else (".0f" if unit == "count" else ".1f")
    x = alt.X("value:Q", title=axis_title, axis=alt.Axis(**_axis(unit, axis_title)))
    if unit == "share":
        x = alt.X(
            "value:Q",
            title=axis_title,
            axis=alt.Axis(**_axis(unit, axis_title)),
            scale=alt.Scale(domain=[0, 1]),
        )
    count = len({r["label"] for r in rows})
    per = max(len({r["segment"] for r in rows}), 1) if color else 1
    step = per * BAR + LABEL_ROOM
    scale, axis = _labels_above(step)
    y = alt.Y("label:N", title=None, sort=None, scale=alt.Scale(**scale), axis=alt.Axis(**axis))
    enc: dict[str, Any] = {
        "x": x,
        "y": y,
        "tooltip": [alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=fmt)],
    }
    if color:
        enc["yOffset"] = alt.YOffset("segment:N")
        enc["color"] = alt.Color("segment:N", title=None, legend=alt.Legend(orient="bottom"))
        enc["tooltip"].insert(0, alt.Tooltip("segment:N"))
        height = count * step + AXES + 24 + TITLED
    else:
        height = count * step + AXES + TITLED
    chart = alt.Chart(_data(rows)).mark_bar().encode(**enc)
    spec = travel(_finish(chart, height, _plain(caption)), title, edition)
    headers = ["Segment", "Figure", "Value"] if color else ["Figure", "Value"]
    table_rows = [
        ([text(r["segment"])] if color else []) + [text(r["label"]), text(r["shown"])] for r in rows
    ]
    return Chart(
        path,
        spec,
        height,
        caption,
        html_table(headers, table_rows, "ccr-data-table", numeric={len(headers) - 1}),
    )


HOURS_LABEL = (
    "datum.value >= 24 ? format(datum.value / 24, '~g') + ' d' : datum.value < 1 "
    "? format(datum.value * 60, '~g') + ' min' : format(datum.value, '~g') + ' h'"
)


@unchecked
def cumulative(
    path: str, rows: list[dict[str, Any]], *, caption: str, title: str, edition: str
) -> Chart:
    """Shares answered within growing times, a line per channel family.

    Rows of ``family``, ``hours``, ``value`` (share of the family's probes), ``label``, ``shown``.
    """
    height = 260 + TITLED
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "hours:Q",
                title="hours after the question (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(
                    values=sorted({r["hours"] for r in rows}),
                    labelExpr=HOURS_LABEL,
                    labelOverlap=True,
                ),
            ),
            y=alt.Y(
                "value:Q",
                title="share of probes answered",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%"),
            ),
            color=alt.Color("family:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("shown:N", title="share")],
        )
    )
    spec = travel(_finish(chart, height, _plain(caption)), title, edition)
    table = html_table(
        ["Figure", "Value"],
        [[text(r["label"]), text(r["shown"])] for r in rows],
        "ccr-data-table",
        numeric={1},
    )
    return Chart(path, spec, height, caption, table)


@unchecked
def still_waiting(
    path: str,
    rows: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    *,
    caption: str,
    edition: str,
    cutoff_hours: float,
    table: str,
) -> Chart:
    """Kaplan–Meier "still waiting" curves, a step line per channel, with reference lines.

    ``rows``: ``channel``, ``hours`` (business time), ``value`` (share still waiting);
    ``rules``: ``hours`` and ``label`` of the methodology's reference thresholds.
    """
    height = 300 + TITLED
    x_title = "hours after the question (business time, log scale)"
    scale = alt.Scale(type="symlog", constant=0.1, domain=[0, cutoff_hours])
    lines = (
        alt.Chart(_data(rows))
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X(
                "hours:Q",
                title=x_title,
                scale=scale,
                axis=alt.Axis(values=[0, 0.25, 1, 4, 24, cutoff_hours], labelExpr=HOURS_LABEL),
            ),
            y=alt.Y(
                "value:Q",
                title="share of the channel's probes still waiting",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%"),
            ),
            color=alt.Color("channel:N", title=None, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=[
                alt.Tooltip("channel:N"),
                alt.Tooltip("hours:Q", format=".2f"),
                alt.Tooltip("value:Q", title="still waiting", format=".0%"),
            ],
        )
    )
    marks = (
        alt.Chart(_data(rules))
        .mark_rule(strokeDash=[3, 3], opacity=0.6)
        .encode(
            x=alt.X("hours:Q", title=x_title, scale=scale),
            color=alt.value("#888888"),
            tooltip=[alt.Tooltip("label:N", title="reference time")],
        )
    )
    spec = travel(
        _finish(alt.layer(lines, marks), height, _plain(caption)),
        "Still waiting for a person, by channel",
        edition,
    )
    return Chart(path, spec, height, caption, table)


BUCKET_COLOURS = ["#08519c", "#3182bd", "#6baed6", "#b5d3ea", "#9e9e9e"]  # faster is darker


@unchecked
def buckets(
    path: str, rows: list[dict[str, Any]], order: list[str], *, caption: str, edition: str
) -> Chart:
    """Probes by reply-time bucket, a bar per channel stacked to 100 %.

    Rows of ``label`` (channel), ``bucket``, ``value`` (share of the channel's probes),
    ``shown`` (e.g. 12% (3 of 25)).
    """
    count = len({r["label"] for r in rows})
    scale, axis = _labels_above(BAR + LABEL_ROOM)
    height = count * (BAR + LABEL_ROOM) + AXES + 24 + TITLED
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "value:Q",
                title="share of the channel's probes",
                stack="zero",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%", tickCount=5),
            ),
            y=alt.Y(
                "label:N", title=None, sort=None, scale=alt.Scale(**scale), axis=alt.Axis(**axis)
            ),
            color=alt.Color(
                "bucket:N",
                title="first reply by a person",
                sort=order,
                scale=alt.Scale(domain=order, range=BUCKET_COLOURS),
                legend=alt.Legend(orient="bottom", columns=5),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("bucket:N"), alt.Tooltip("shown:N")],
        )
    )
    spec = travel(
        _finish(chart, height, _plain(caption)),
        "How long a person took to reply, by channel",
        edition,
    )
    table = html_table(
        ["Channel"] + [text(b) for b in order],
        [
            [text(label)] + [text(r["shown"]) for r in rows if r["label"] == label]
            for label in dict.fromkeys(r["label"] for r in rows)
        ],
        "ccr-data-table",
        numeric=set(range(1, len(order) + 1)),
    )
    return Chart(path, spec, height, caption, table)


@unchecked
def histogram(path: str, rows: list[dict[str, Any]], *, caption: str, edition: str) -> Chart:
    """Companies per score band: rows of ``band`` (e.g. 70–75), ``start`` and ``count``."""
    height = 220 + TITLED
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("band:O", title="score (points of 100)", sort=alt.SortField("start")),
            y=alt.Y("count:Q", title="companies", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[alt.Tooltip("band:O"), alt.Tooltip("count:Q")],
        )
    )
    spec = travel(_finish(chart, height, _plain(caption)), "Companies by score", edition)
    table = html_table(
        ["Score", "Companies"],
        [[text(r["band"]), str(r["count"])] for r in rows],
        "ccr-data-table",
        numeric={1},
    )
    return Chart(path, spec, height, caption, table)


SUBSCORE_HEIGHT = 5 * BAR + AXES + 24


@cache
@unchecked
def _subscore_template() -> dict[str, Any]:
    base = alt.Chart(_data([])).encode(
        y=alt.Y("subscore:N", title=None, sort=None),
    )
    bars_ = base.mark_bar().encode(
        x=alt.X("company:Q", title="points of 100", scale=alt.Scale(domain=[0, 100])),
        color=alt.value("#4051b5"),
        tooltip=[
            alt.Tooltip("subscore:N"),
            alt.Tooltip("company:Q", format=".1f"),
            alt.Tooltip("median:Q", title="sector median", format=".1f"),
        ],
    )
    ticks = base.mark_tick(thickness=3, size=22).encode(
        x=alt.X("median:Q", title="points of 100"), color=alt.value("#e8710a")
    )
    return _finish(alt.layer(bars_, ticks), SUBSCORE_HEIGHT, "")


def subscores(path: str, rows: list[dict[str, Any]], *, caption: str, median_label: str) -> Chart:
    """The company's sub-scores (bars) against its sector's median (ticks)."""
    spec = dict(_subscore_template())
    spec["data"] = {
        "values": [
            {"subscore": r["subscore"], "company": r["company"], "median": r["median"]}
            for r in rows
        ]
    }
    spec["description"] = _plain(caption)
    table = html_table(
        ["Sub-score", "This company", text(median_label)],
        [[text(r["subscore"]), f"{r['company']:.1f}", f"{r['median']:.1f}"] for r in rows],
        "ccr-data-table",
        numeric={1, 2},
    )
    return Chart(path, spec, SUBSCORE_HEIGHT, caption, table)


def _plain(caption: str) -> str:
    """A caption without tags, for the chart's accessible description."""
    return html.unescape(re.sub(r"<[^>]+>", "", caption))


# Report figures (figures.py chooses the data; these draw it). Specs are written as plain
# Vega-Lite dicts: layered text-above-mark rows and facets are clearer here than in Altair.

ROW = 30  # pixels per labelled row of a dot plot: the label above, the mark below
LABEL_ABOVE = {"type": "text", "align": "left", "baseline": "top", "fontSize": 11, "dy": 1}
FACET_LABELS = 110  # pixels of channel labels beside a small multiple
FACET_WIDTH = EXPORT_WIDTH - FACET_LABELS - 40  # a panel's width until the page fits it


def _spec(rows: list[dict[str, Any]], height: int, caption: str, **parts: Any) -> dict[str, Any]:
    """A single-view (or layered) spec that fits its container's width."""
    return {
        "$schema": alt.SCHEMA_URL,
        "autosize": AUTOSIZE,
        "data": {"values": rows},
        "description": _plain(caption),
        "height": height,
        "width": "container",
        **parts,
    }


def interval_dots(
    path: str,
    rows: list[dict[str, Any]],
    *,
    caption: str,
    title: str,
    edition: str,
    level: str,
    table: str,
) -> Chart:
    """Companies as dots (score) with their interval (line), the name above each row.

    Rows: ``label`` (company), ``order`` (top to bottom), ``score``, ``low``, ``high``,
    ``rank`` (shown), and ``group`` when the chart shows two groups (highest, lowest).
    The name sits above its row, so the plot keeps the full width on a phone.
    """
    grouped = len({r.get("group") for r in rows}) > 1
    height = len(rows) * ROW + AXES + TITLED + (24 if grouped else 0)
    y = {
        "field": "label",
        "type": "nominal",
        "sort": {"field": "order"},
        "axis": None,
        "scale": {"paddingInner": 0, "paddingOuter": 0},
    }
    x_title = "score (points of 100)"
    x = {
        "field": "score",
        "type": "quantitative",
        "title": x_title,
        "scale": {"zero": False, "nice": True},
        "axis": {"format": ".0f", "grid": True},
    }
    colour = (
        {
            "field": "group",
            "type": "nominal",
            "title": None,
            "sort": None,
            "legend": {"orient": "bottom"},
        }
        if grouped
        else {"value": "#4051b5"}
    )
    tooltip = [
        {"field": "label", "type": "nominal", "title": "company"},
        {"field": "rank", "type": "nominal", "title": "place"},
        {"field": "score", "type": "quantitative", "format": ".1f"},
        {
            "field": "low",
            "type": "quantitative",
            "title": f"{level} interval from",
            "format": ".1f",
        },
        {"field": "high", "type": "quantitative", "title": "to", "format": ".1f"},
    ]
    layers = [
        {
            "mark": {"type": "rule", "strokeWidth": 2, "opacity": 0.55},
            "encoding": {
                "y": {**y, "bandPosition": 0.72},
                "x": {"field": "low", "type": "quantitative", "title": x_title},
                "x2": {"field": "high"},
                "color": colour,
                "tooltip": tooltip,
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 45, "opacity": 1},
            "encoding": {
                "y": {**y, "bandPosition": 0.72},
                "x": x,
                "color": colour,
                "tooltip": tooltip,
            },
        },
        {
            "mark": LABEL_ABOVE,
            "encoding": {
                "y": {**y, "bandPosition": 0},
                "x": {"value": 0},
                "text": {"field": "shown_label"},
            },
        },
    ]
    spec = travel(_spec(rows, height, caption, layer=layers), title, edition)
    return Chart(path, spec, height, caption, table)


def funnel(
    path: str,
    points: list[dict[str, Any]],
    limits: list[dict[str, Any]],
    overall: float,
    *,
    caption: str,
    title: str,
    edition: str,
    table: str,
) -> Chart:
    """Each company's response rate against its number of probes, with control limits.

    ``points``: ``probes``, ``rate``, ``companies`` (how many companies share the point),
    ``shown``; ``limits``: ``probes``, ``rate``, ``line`` (which limit), ``side``.
    """
    height = 320 + TITLED + 24
    x_title = "probes sent to the company"
    counts = sorted({int(p["probes"]) for p in points})
    axis: dict[str, Any] = {"format": "d", "tickMinStep": 1}
    if counts[-1] - counts[0] <= 12:  # few probe counts: a tick at each, none between
        axis["values"] = list(range(counts[0], counts[-1] + 1))
    x = {
        "field": "probes",
        "type": "quantitative",
        "title": x_title,
        "axis": axis,
        "scale": {"zero": False, "nice": False, "padding": 16},
    }
    y_title = "share of the company's probes answered by a person"
    y = {
        "field": "rate",
        "type": "quantitative",
        "title": y_title,
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%"},
    }
    lines = {"domain": ["95 % limits", "99.8 % limits"], "range": [[5, 3], [1, 3]]}
    layers = [
        {
            "data": {"values": limits},
            "mark": {"type": "line", "color": "#888888", "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": y,
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "title": None,
                    "scale": lines,
                    "legend": {"orient": "bottom"},
                },
                "detail": {"field": "side", "type": "nominal"},
            },
        },
        # The edition's rate: a reference line, named in the caption and the data table;
        # "aria": false leaves it out of the accessibility tree (an unlabelled img otherwise).
        {
            "mark": {"type": "rule", "color": "#e8710a", "strokeWidth": 1.5, "aria": False},
            "encoding": {"y": {"datum": overall, "type": "quantitative"}},
        },
        {
            "mark": {"type": "circle", "color": "#4051b5", "opacity": 0.7},
            "encoding": {
                "x": x,
                "y": y,
                "size": {
                    "field": "companies",
                    "type": "quantitative",
                    "title": "companies",
                    "legend": None,
                    "scale": {"range": [30, 400]},
                },
                "tooltip": [{"field": "shown", "type": "nominal", "title": "companies"}],
            },
        },
    ]
    spec = travel(_spec(points, height, caption, layer=layers), title, edition)
    return Chart(path, spec, height, caption, table)


def small_multiples(
    path: str,
    rows: list[dict[str, Any]],
    *,
    caption: str,
    title: str,
    axis_title: str,
    edition: str,
    table: str,
) -> Chart:
    """One measure as bars, a panel per ``facet`` (stacked, one shared x scale).

    Rows: ``facet``, ``label`` (a bar), ``value`` (a share), ``shown``. Each panel lists only
    its own bars; the panel width follows the page (docs/javascripts/ccr.js ``fitFacets``).
    """
    facets = list(dict.fromkeys(r["facet"] for r in rows))
    bars_ = sum(len({r["label"] for r in rows if r["facet"] == f}) for f in facets)
    height = bars_ * BAR + len(facets) * 38 + 40 + TITLED
    inner = {
        "width": FACET_WIDTH,
        "height": {"step": BAR},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": axis_title,
                "scale": {"domain": [0, 1]},
                "axis": {"format": ".0%", "tickCount": 5},
            },
            "y": {
                "field": "label",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": FACET_LABELS - 8},
            },
            "color": {"value": "#4051b5"},
            "tooltip": [
                {"field": "facet", "type": "nominal", "title": "sector"},
                {"field": "label", "type": "nominal", "title": "channel"},
                {"field": "shown", "type": "nominal", "title": "answered"},
            ],
        },
    }
    spec = {
        "$schema": alt.SCHEMA_URL,
        "data": {"values": rows},
        "description": _plain(caption),
        "facet": {
            "row": {
                "field": "facet",
                "type": "nominal",
                "title": None,
                "sort": facets,
                "header": {
                    "labelOrient": "top",
                    "labelAnchor": "start",
                    "labelAngle": 0,
                    "labelFontWeight": "bold",
                    "labelFontSize": 12,
                },
            }
        },
        "spec": inner,
        "resolve": {"scale": {"y": "independent"}},
        "spacing": 10,
        "usermeta": {"ccrFitFacets": FACET_LABELS - 10},
    }
    return Chart(path, travel(spec, title, edition), height, caption, table)


def trend(
    path: str,
    rows: list[dict[str, Any]],
    order: list[str],
    *,
    caption: str,
    title: str,
    axis_title: str,
    edition: str,
    table: str,
) -> Chart:
    """A share across editions, a line per series (``series``), editions in ``order``.

    Rows: ``label`` (the edition as shown), ``series``, ``value``, ``shown``.
    """
    height = 300 + TITLED + 24
    spec = _spec(
        rows,
        height,
        caption,
        mark={"type": "line", "point": True},
        encoding={
            "x": {
                "field": "label",
                "type": "ordinal",
                "title": None,
                "sort": order,
                "axis": {"labelAngle": 0, "labelLimit": 120},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": axis_title,
                "scale": {"domain": [0, 1]},
                "axis": {"format": ".0%"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "columns": 2},
            },
            "tooltip": [
                {"field": "series", "type": "nominal", "title": "sector"},
                {"field": "label", "type": "nominal", "title": "edition"},
                {"field": "shown", "type": "nominal", "title": "answered"},
            ],
        },
    )
    return Chart(path, travel(spec, title, edition), height, caption, table)


CARD_WIDTH, CARD_HEIGHT = 1200, 630  # the Open Graph preview image size


def card_spec(*, kicker: str, headline: str, detail: str, footer: str) -> dict[str, Any]:
    """A share-preview card: the site name, what the page is, a headline number, a footer.

    Drawn by vl-convert into a 1200 × 630 PNG (:func:`card_png`); only text marks on a
    plain background, so it renders in a fraction of a second and carries no data file.
    """
    lines = [
        {"text": "Customer Care Review", "y": 90, "size": 40, "weight": "bold", "color": "#4051b5"},
        {"text": kicker, "y": 170, "size": 34, "weight": "normal", "color": "#333333"},
        {"text": headline, "y": 330, "size": 110, "weight": "bold", "color": "#111111"},
        {"text": detail, "y": 420, "size": 34, "weight": "normal", "color": "#333333"},
        {"text": footer, "y": 570, "size": 24, "weight": "normal", "color": "#666666"},
    ]
    return {
        "$schema": alt.SCHEMA_URL,
        "width": CARD_WIDTH,
        "height": CARD_HEIGHT,
        "padding": 0,
        "autosize": {"type": "none"},
        "background": "#ffffff",
        "config": {"view": {"stroke": None}},
        "data": {"values": lines},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "alphabetic",
            "x": 70,
            "limit": CARD_WIDTH - 140,
            "font": "sans-serif",
        },
        "encoding": {
            "y": {"field": "y", "type": "quantitative", "scale": None},
            "text": {"field": "text"},
            "size": {"field": "size", "type": "quantitative", "scale": None},
            "color": {"field": "color", "type": "nominal", "scale": None},
            "fontWeight": {"field": "weight", "type": "nominal", "scale": None},
        },
    }


def card_png(spec: dict[str, Any], store: ExportStore | None = None) -> bytes:
    """The card as a 1200 × 630 PNG (from ``store`` when the same spec was drawn before)."""
    import vl_convert

    given = json.dumps(spec, ensure_ascii=False).encode()  # the key: the spec's bytes
    cached = store.render if store is not None else _uncached
    return cached("card-png", given, lambda: bytes(vl_convert.vegalite_to_png(spec, scale=1)))
