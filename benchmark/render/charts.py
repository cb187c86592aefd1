"""Chart specs with Altair, and the HTML that holds them with their text alternative.

A chart is a Vega-Lite spec in its own JSON file, drawn in the browser by the site's own Vega
bundle. The container keeps its final height before the chart renders (no layout shift), and
every chart comes with a caption and its data as a table. Specs hold only the data they show.

Altair builds each chart kind once; per-company charts reuse that template and change only
its data, so thousands of company charts cost a dict copy each, not an Altair build.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt

from .common import html_table, rel
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

    def html(self, page_url: str) -> str:
        """The figure for a page at ``page_url``: container, caption, data table."""
        return (
            f'<figure class="ccr-figure">'
            f'<div class="ccr-chart" data-spec="{attr(rel(page_url, self.path))}" '
            f'data-vega="{attr(rel(page_url, "assets/vendor/vega.js"))}" '
            f'data-height="{self.height}" style="height:{self.height}px"></div>'
            f"<figcaption>{self.caption}</figcaption>"
            f'<details class="ccr-data"><summary>Data behind this chart</summary>'
            f"{self.table}</details></figure>\n\n")


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    """Inline data values (Altair's Data constructor is untyped)."""
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _finish(chart: alt.TopLevelMixin, height: int, description: str) -> dict[str, Any]:
    spec: dict[str, Any] = chart.properties(
        width="container", height=height, description=description).to_dict()
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
    spec["title"] = {"text": title, "subtitle": [SOURCE.format(edition=edition), LICENCE],
                     "anchor": "start", "subtitleFontSize": 10}
    return spec


def _axis(unit: str, title: str) -> dict[str, Any]:
    """Axis settings: counts on whole ticks, shares as percentages, the rest with a decimal."""
    if unit == "count" or title in COUNT_TITLES:
        return {"format": "d", "tickMinStep": 1}
    return {"format": UNIT_FORMATS.get(unit, ".1f")}


def bars(path: str, rows: list[dict[str, Any]], *, caption: str, unit: str, axis_title: str,
         title: str, edition: str, color: bool = False) -> Chart:
    """Horizontal bars: one per row of ``label`` → ``value``, one measure (``axis_title``).

    ``unit`` is share, count, hours, points or ratio; ``axis_title`` names the unit and, for a
    share, its denominator ("share of companies"). With ``color``, rows carry a ``segment``
    and bars are grouped by it.
    """
    fmt = ".0%" if unit == "share" else (".0f" if unit == "count" else ".1f")
    x = alt.X("value:Q", title=axis_title, axis=alt.Axis(**_axis(unit, axis_title)))
    if unit == "share":
        x = alt.X("value:Q", title=axis_title, axis=alt.Axis(**_axis(unit, axis_title)),
                  scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=180))
    enc: dict[str, Any] = {"x": x, "y": y,
                           "tooltip": [alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=fmt)]}
    count = len({r["label"] for r in rows})
    if color:
        enc["yOffset"] = alt.YOffset("segment:N")
        enc["color"] = alt.Color("segment:N", title=None, legend=alt.Legend(orient="bottom"))
        enc["tooltip"].insert(0, alt.Tooltip("segment:N"))
        per = len({r["segment"] for r in rows})
        height = count * BAR * max(per, 1) // 1 + AXES + 24 + TITLED
    else:
        height = count * BAR + AXES + TITLED
    chart = alt.Chart(_data(rows)).mark_bar().encode(**enc)
    spec = travel(_finish(chart, height, _plain(caption)), title, edition)
    headers = ["Segment", "Figure", "Value"] if color else ["Figure", "Value"]
    table_rows = [([text(r["segment"])] if color else []) + [text(r["label"]), text(r["shown"])]
                  for r in rows]
    return Chart(path, spec, height, caption,
                 html_table(headers, table_rows, "ccr-data-table",
                            numeric={len(headers) - 1}))


def cumulative(path: str, rows: list[dict[str, Any]], *, caption: str, title: str,
               edition: str) -> Chart:
    """Shares answered within growing times, a line per channel family.

    Rows of ``family``, ``hours``, ``value`` (share of the family's probes), ``label``, ``shown``.
    """
    height = 260 + TITLED
    chart = alt.Chart(_data(rows)).mark_line(point=True).encode(
        x=alt.X("hours:Q", title="hours after the question (log scale)",
                scale=alt.Scale(type="log"), axis=alt.Axis(format="~g")),
        y=alt.Y("value:Q", title="share of each family's probes answered by a person",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        color=alt.Color("family:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("shown:N", title="share")])
    spec = travel(_finish(chart, height, _plain(caption)), title, edition)
    table = html_table(["Figure", "Value"], [[text(r["label"]), text(r["shown"])] for r in rows],
                       "ccr-data-table", numeric={1})
    return Chart(path, spec, height, caption, table)


HOURS_LABEL = ("datum.value >= 24 ? format(datum.value / 24, '~g') + ' d' : datum.value < 1 "
               "? format(datum.value * 60, '~g') + ' min' : format(datum.value, '~g') + ' h'")


def still_waiting(path: str, rows: list[dict[str, Any]], rules: list[dict[str, Any]], *,
                  caption: str, edition: str, cutoff_hours: float, table: str) -> Chart:
    """Kaplan–Meier "still waiting" curves, a step line per channel, with reference lines.

    ``rows``: ``channel``, ``hours`` (business time), ``value`` (share still waiting);
    ``rules``: ``hours`` and ``label`` of the methodology's reference thresholds.
    """
    height = 300 + TITLED
    x_title = "hours after the question (business time, log scale)"
    scale = alt.Scale(type="symlog", constant=0.1, domain=[0, cutoff_hours])
    lines = alt.Chart(_data(rows)).mark_line(interpolate="step-after").encode(
        x=alt.X("hours:Q", title=x_title, scale=scale,
                axis=alt.Axis(values=[0, 0.25, 1, 4, 24, cutoff_hours], labelExpr=HOURS_LABEL)),
        y=alt.Y("value:Q", title="share of the channel's probes still waiting",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        color=alt.Color("channel:N", title=None,
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=[alt.Tooltip("channel:N"), alt.Tooltip("hours:Q", format=".2f"),
                 alt.Tooltip("value:Q", title="still waiting", format=".0%")])
    marks = alt.Chart(_data(rules)).mark_rule(strokeDash=[3, 3], opacity=0.6).encode(
        x=alt.X("hours:Q", title=x_title, scale=scale),
        color=alt.value("#888888"),
        tooltip=[alt.Tooltip("label:N", title="reference time")])
    spec = travel(_finish(alt.layer(lines, marks), height, _plain(caption)),
                  "Still waiting for a person, by channel", edition)
    return Chart(path, spec, height, caption, table)


BUCKET_COLOURS = ["#08519c", "#3182bd", "#6baed6", "#b5d3ea", "#9e9e9e"]  # faster is darker


def buckets(path: str, rows: list[dict[str, Any]], order: list[str], *, caption: str,
            edition: str) -> Chart:
    """Probes by reply-time bucket, a bar per channel stacked to 100 %.

    Rows of ``label`` (channel), ``bucket``, ``value`` (share of the channel's probes),
    ``shown`` (e.g. 12% (3 of 25)).
    """
    count = len({r["label"] for r in rows})
    height = count * BAR + AXES + 24 + TITLED
    chart = alt.Chart(_data(rows)).mark_bar().encode(
        x=alt.X("value:Q", title="share of the channel's probes", stack="zero",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", tickCount=5)),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=180)),
        color=alt.Color("bucket:N", title="first reply by a person", sort=order,
                        scale=alt.Scale(domain=order, range=BUCKET_COLOURS),
                        legend=alt.Legend(orient="bottom", columns=5)),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("bucket:N"), alt.Tooltip("shown:N")])
    spec = travel(_finish(chart, height, _plain(caption)),
                  "How long a person took to reply, by channel", edition)
    table = html_table(["Channel"] + [text(b) for b in order],
                       [[text(label)] + [text(r["shown"]) for r in rows if r["label"] == label]
                        for label in dict.fromkeys(r["label"] for r in rows)],
                       "ccr-data-table", numeric=set(range(1, len(order) + 1)))
    return Chart(path, spec, height, caption, table)


def histogram(path: str, rows: list[dict[str, Any]], *, caption: str, edition: str) -> Chart:
    """Companies per score band: rows of ``band`` (e.g. 70–75), ``start`` and ``count``."""
    height = 220 + TITLED
    chart = alt.Chart(_data(rows)).mark_bar().encode(
        x=alt.X("band:O", title="score (points of 100)", sort=alt.SortField("start")),
        y=alt.Y("count:Q", title="companies", axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("band:O"), alt.Tooltip("count:Q")])
    spec = travel(_finish(chart, height, _plain(caption)), "Companies by score", edition)
    table = html_table(["Score", "Companies"],
                       [[text(r["band"]), str(r["count"])] for r in rows], "ccr-data-table",
                       numeric={1})
    return Chart(path, spec, height, caption, table)


SUBSCORE_HEIGHT = 5 * BAR + AXES + 24


@cache
def _subscore_template() -> dict[str, Any]:
    base = alt.Chart(_data([])).encode(
        y=alt.Y("subscore:N", title=None, sort=None),
    )
    bars_ = base.mark_bar().encode(
        x=alt.X("company:Q", title="points of 100", scale=alt.Scale(domain=[0, 100])),
        color=alt.value("#4051b5"),
        tooltip=[alt.Tooltip("subscore:N"), alt.Tooltip("company:Q", format=".1f"),
                 alt.Tooltip("median:Q", title="sector median", format=".1f")])
    ticks = base.mark_tick(thickness=3, size=22).encode(
        x=alt.X("median:Q", title="points of 100"), color=alt.value("#e8710a"))
    return _finish(alt.layer(bars_, ticks), SUBSCORE_HEIGHT, "")


def subscores(path: str, rows: list[dict[str, Any]], *, caption: str,
              median_label: str) -> Chart:
    """The company's sub-scores (bars) against its sector's median (ticks)."""
    spec = dict(_subscore_template())
    spec["data"] = {"values": [{"subscore": r["subscore"], "company": r["company"],
                                "median": r["median"]} for r in rows]}
    spec["description"] = _plain(caption)
    table = html_table(["Sub-score", "This company", text(median_label)],
                       [[text(r["subscore"]), f"{r['company']:.1f}", f"{r['median']:.1f}"]
                        for r in rows], "ccr-data-table", numeric={1, 2})
    return Chart(path, spec, SUBSCORE_HEIGHT, caption, table)


def _plain(caption: str) -> str:
    """A caption without tags, for the chart's accessible description."""
    return html.unescape(re.sub(r"<[^>]+>", "", caption))
