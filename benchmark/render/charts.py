"""Chart specs with Altair, and the HTML that holds them with their text alternative.

A chart is a Vega-Lite spec in its own JSON file, drawn in the browser by the site's own Vega
bundle. The container keeps its final height before the chart renders (no layout shift), and
every chart comes with a caption and its data as a table. Specs hold only the data they show.

Altair builds each chart kind once; per-company charts reuse that template and change only
its data, so thousands of company charts cost a dict copy each, not an Altair build.
"""

from __future__ import annotations

import csv
import html
import io
import posixpath
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

    @property
    def travels(self) -> bool:
        """A report or home chart: downloads, permalink and embed page go with it."""
        return self.path.startswith(("charts/editions/", "charts/home/"))

    @property
    def anchor(self) -> str:
        """The figure's id on its page, for a permalink."""
        return "chart-" + posixpath.basename(self.path).removesuffix(".json")

    def html(self, page_url: str, site_url: str | None = None) -> str:
        """The figure for a page at ``page_url``: container, caption, links, data table."""
        if not self.travels:
            return (
                f'<figure class="ccr-figure">{self._box(page_url)}'
                f"<figcaption>{self.caption}</figcaption>{self._details()}</figure>\n\n")
        stem = rel(page_url, self.path.removesuffix(".json"))
        embed = (site_url.rstrip("/") + "/" if site_url else "/") + self.path.removesuffix(
            ".json") + ".html"
        snippet = (f'<iframe src="{embed}" title="{_plain(self.title)}" width="100%" '
                   f'height="{self.height + 40}" loading="lazy" style="border:0"></iframe>')
        links = (f'<p class="ccr-chart-links" style="font-size:.75rem;text-align:left">Download '
                 f'<a href="{attr(stem)}.png" download>PNG</a> · '
                 f'<a href="{attr(stem)}.svg" download>SVG</a> · '
                 f'<a href="{attr(stem)}.csv" download>CSV</a> · '
                 f'<a href="#{attr(self.anchor)}">Permalink</a> · '
                 f'<a href="{attr(stem)}.html">Embed page</a></p>')
        return (
            f'<figure class="ccr-figure" id="{attr(self.anchor)}">{self._box(page_url)}'
            f"<figcaption>{self.caption}</figcaption>{links}"
            f'<details class="ccr-embed"><summary>Embed this chart</summary>'
            f"<pre><code>{html.escape(snippet)}</code></pre></details>"
            f"{self._details()}</figure>\n\n")

    @property
    def title(self) -> str:
        """The chart's title (inside the spec), or its caption."""
        inside = self.spec.get("title")
        return str(inside["text"]) if isinstance(inside, dict) else self.caption

    def _box(self, page_url: str) -> str:
        return (f'<div class="ccr-chart" data-spec="{attr(rel(page_url, self.path))}" '
                f'data-vega="{attr(rel(page_url, "assets/vendor/vega.js"))}" '
                f'data-height="{self.height}" style="height:{self.height}px"></div>')

    def _details(self) -> str:
        return (f'<details class="ccr-data"><summary>Data behind this chart</summary>'
                f"{self.table}</details>")

    def exports(self, page: str) -> dict[str, bytes]:
        """PNG, SVG, CSV and the embed page, by site path (rendered now, with vl-convert)."""
        import vl_convert

        spec = {**self.spec, "width": EXPORT_WIDTH}
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
            f'and method</a> · <a href="{attr(name)}.csv">CSV</a></p></body></html>\n')
        svg = vl_convert.vegalite_to_svg(spec)  # the PNG is drawn from it: one Vega run
        return {f"{stem}.svg": svg.encode(),
                f"{stem}.png": vl_convert.svg_to_png(svg, scale=2),
                f"{stem}.csv": csv_of(self.spec),
                f"{stem}.html": embed.encode()}


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


HOURS_LABEL = ("datum.value >= 24 ? format(datum.value / 24, '~g') + ' d' : datum.value < 1 "
               "? format(datum.value * 60, '~g') + ' min' : format(datum.value, '~g') + ' h'")


def cumulative(path: str, rows: list[dict[str, Any]], *, caption: str, title: str,
               edition: str) -> Chart:
    """Shares answered within growing times, a line per channel family.

    Rows of ``family``, ``hours``, ``value`` (share of the family's probes), ``label``, ``shown``.
    """
    height = 260 + TITLED
    chart = alt.Chart(_data(rows)).mark_line(point=True).encode(
        x=alt.X("hours:Q", title="hours after the question (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(values=sorted({r["hours"] for r in rows}), labelExpr=HOURS_LABEL,
                              labelOverlap=True)),
        y=alt.Y("value:Q", title="share of probes answered",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        color=alt.Color("family:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("shown:N", title="share")])
    spec = travel(_finish(chart, height, _plain(caption)), title, edition)
    table = html_table(["Figure", "Value"], [[text(r["label"]), text(r["shown"])] for r in rows],
                       "ccr-data-table", numeric={1})
    return Chart(path, spec, height, caption, table)


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
