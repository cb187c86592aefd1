"""`ccr export`: the public data download and API — CSV, JSON and a JSON Schema per file.

The format is stable and documented: every column is declared once below, with its type
and meaning; the CSV header, the JSON rows and the JSON Schema all come from that list.
Output is deterministic (sorted rows, rounded floats), so exporting twice gives the same bytes.

A text cell of a CSV file that a spreadsheet would run as a formula (it begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return: a company named ``=HYPERLINK(…)``) is written
with a leading ``'``, which spreadsheets show as text; the JSON files keep every value exact.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import starmap
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from .methodology import Methodology
from .score import Scores
from .values import is_missing

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column."""

    name: str
    type: str  # string, integer, number, boolean
    description: str
    source: str | None = None  # column in the scored table, when named differently


TABLES: dict[str, tuple[str, Sequence[Column]]] = {
    "companies": (
        "One row per company.",
        (
            Column("slug", "string", "Identifier; the data file is data/companies/<slug>.yaml."),
            Column("name", "string", "Company or brand name."),
            Column("website", "string", "Website URL."),
            Column("domain", "string", "Website host without www."),
            Column("sector", "string", "Sector the company is ranked in."),
            Column("country", "string", "ISO 3166-1 alpha-2 country code."),
            Column("languages", "string", "Site languages, comma-separated ISO 639-1 codes."),
            Column("helpdesk", "boolean", "Uses a helpdesk system; null when unknown."),
            Column("fictional", "boolean", "Invented demo company."),
        ),
    ),
    "probes": (
        "One row per question sent.",
        (
            Column("edition", "string", "Edition id."),
            Column("slug", "string", "Company slug."),
            Column("probe", "integer", "Position of the probe in the audit, from 1."),
            Column("channel", "string", "Channel the question was sent through."),
            Column("family", "string", "Channel family (written, chat, callback, phone, social)."),
            Column("script", "string", "Question script id."),
            Column(
                "sent_at",
                "string",
                "When the question was sent (ISO 8601 with offset).",
                "sent_at_text",
            ),
            Column("first_response_at", "string", "First reply of any kind.", "first_at_text"),
            Column("first_response_by", "string", "human, bot or auto_reply.", "first_by"),
            Column("human_response_at", "string", "First reply by a person.", "human_at_text"),
            Column("answered", "boolean", "A person replied within the never-answered cut-off."),
            Column("reply_seconds", "number", "Calendar seconds to the person's reply."),
            Column(
                "reply_business_seconds",
                "number",
                "Seconds to the person's reply within the company's business hours.",
            ),
            Column("promised_seconds", "number", "Reply time promised for this probe, if any."),
            Column("promise_kept", "boolean", "Replied within the promise; null when none made."),
            Column("redirected", "boolean", "The answer sent the customer to another channel."),
            Column("speed_points", "number", "Speed points 0-1 (methodology)."),
            Column(
                "quality_points", "number", "Quality points {scale} of the answer; null if none."
            ),
            Column("marketing", "integer", "Marketing mails received instead of an answer."),
        ),
    ),
    "scores": (
        "One row per company and edition: score and its interval, grade, tier, rank "
        "ranges, sub-scores.",
        (
            Column("edition", "string", "Edition id."),
            Column("slug", "string", "Company slug."),
            Column("name", "string", "Company name."),
            Column("sector", "string", "Sector."),
            Column("country", "string", "Country code."),
            Column(
                "ranked",
                "boolean",
                "Ranked: at least the methodology's minimum_probes probes, in at least its "
                "minimum_probed_families channel families (always true in v1). An unranked "
                "company (limited evidence) is listed with its score and interval but has no "
                "rank, group, grade or tier.",
            ),
            Column(
                "rank_overall",
                "integer",
                "Rank in the edition: the competition rank of the displayed score among the "
                "ranked companies (equal scores share a rank, 1, 2, 2, 4); null when unranked.",
            ),
            Column(
                "rank_overall_low",
                "integer",
                "Best place the score intervals allow: 1 + the ranked companies whose interval "
                "lies wholly above this one's (v1: the rank); null when unranked.",
            ),
            Column(
                "rank_overall_high",
                "integer",
                "Worst place the score intervals allow: the ranked companies less those whose "
                "interval lies wholly below this one's (v1: the rank); null when unranked.",
            ),
            Column(
                "group_overall",
                "integer",
                "Number of the run of statistically indistinguishable companies, best first: a "
                "company joins the run of the one leading it while its interval reaches that "
                "leader's (v1: the rank); null when unranked.",
            ),
            Column("of_overall", "integer", "Ranked companies in the edition."),
            Column("rank_sector", "integer", "Rank within the sector; null when unranked."),
            Column(
                "rank_sector_low", "integer", "Best place within the sector; null when unranked."
            ),
            Column(
                "rank_sector_high", "integer", "Worst place within the sector; null when unranked."
            ),
            Column(
                "group_sector",
                "integer",
                "Statistically indistinguishable run within the sector; null when unranked.",
            ),
            Column("of_sector", "integer", "Ranked companies in the sector."),
            Column("rank_country", "integer", "Rank within the country; null when unranked."),
            Column(
                "rank_country_low", "integer", "Best place within the country; null when unranked."
            ),
            Column(
                "rank_country_high",
                "integer",
                "Worst place within the country; null when unranked.",
            ),
            Column(
                "group_country",
                "integer",
                "Statistically indistinguishable run within the country; null when unranked.",
            ),
            Column("of_country", "integer", "Ranked companies in the country."),
            Column(
                "score",
                "number",
                "Published composite score 0-100 (4 decimals). v1: the sum of the terms. v2: "
                "the shrunk (posterior) score, fixed_part + probe_part_shrunk.",
            ),
            Column(
                "score_display",
                "number",
                "Score as displayed: rounded half up to the methodology's score_decimals.",
            ),
            Column(
                "score_low",
                "number",
                "Lower bound of the score's interval (nominal coverage: the methodology's "
                "uncertainty.interval, 90 % in v2), 4 decimals; null in v1.",
            ),
            Column("score_high", "number", "Upper bound of the score's interval; null in v1."),
            Column("score_low_display", "number", "score_low as displayed; null in v1."),
            Column("score_high_display", "number", "score_high as displayed; null in v1."),
            Column(
                "raw_score",
                "number",
                "v2: the sum of the terms before shrinkage (what v1 publishes as the score); "
                "null in v1.",
            ),
            Column(
                "fixed_part",
                "number",
                "v2: the part of the score that is not sampled (breadth and published hours); "
                "null in v1.",
            ),
            Column(
                "probe_part",
                "number",
                "v2: the mean value of the company's probes, before shrinkage; null in v1.",
            ),
            Column(
                "probe_part_shrunk",
                "number",
                "v2: the probe part shrunk toward the prior mean; null in v1.",
            ),
            Column(
                "prior_mean",
                "number",
                "v2: the prior mean of the probe part, from the edition's other companies "
                "(leave-one-out); null in v1.",
            ),
            Column(
                "shrinkage",
                "number",
                "v2: the shrinkage factor B (0 keeps the company's own probe part, 1 keeps the "
                "prior mean); null in v1.",
            ),
            Column(
                "score_sd",
                "number",
                "v2: the posterior standard deviation of the score; null in v1.",
            ),
            Column("grade", "string", "Grade A-E; null when unranked."),
            Column(
                "tier",
                "string",
                "High performer, Moderate performer or Underperformer; null when unranked.",
            ),
            Column("reachability", "number", "Sub-score 0-100."),
            Column("speed", "number", "Sub-score 0-100."),
            Column("quality", "number", "Sub-score 0-100."),
            Column("transparency", "number", "Sub-score 0-100."),
            Column("respect", "number", "Sub-score 0-100."),
            Column("probes", "integer", "Probes behind the figures."),
            Column("probed_families", "integer", "Channel families actually probed."),
            Column("answered", "integer", "Probes answered by a person."),
            Column("response_rate", "number", "answered / probes."),
            Column("response_rate_low", "number", "95% Wilson interval, lower bound."),
            Column("response_rate_high", "number", "95% Wilson interval, upper bound."),
            Column("median_reply_seconds", "number", "Median calendar reply time."),
            Column(
                "median_reply_business_seconds", "number", "Median reply time in business hours."
            ),
            Column("promise_kept_rate", "number", "Share of promised probes answered in time."),
            Column("quality_mean", "number", "Mean quality points ({scale}) of marked answers."),
            Column("limited_evidence", "boolean", "Fewer probes than the methodology's minimum."),
            Column("hours_published", "boolean", "Support hours are published."),
            Column("previous_edition", "string", "The company's previous edition, if any."),
            Column("previous_score", "number", "Displayed score in the previous edition."),
            Column("score_change", "number", "Change of displayed score since then."),
        ),
    ),
    "channels": (
        "One row per company, edition and probed channel.",
        (
            Column("edition", "string", "Edition id."),
            Column("slug", "string", "Company slug."),
            Column("channel", "string", "Channel probed."),
            Column("family", "string", "Channel family."),
            Column("probes", "integer", "Probes sent through this channel."),
            Column("answered", "integer", "Probes answered by a person."),
            Column("response_rate", "number", "answered / probes."),
            Column("median_reply_seconds", "number", "Median calendar reply time."),
            Column(
                "median_reply_business_seconds", "number", "Median reply time in business hours."
            ),
            Column("promised_probes", "integer", "Probes with a promised reply time."),
            Column("promise_kept_rate", "number", "Share of promised probes answered in time."),
            Column("quality_mean", "number", "Mean quality points ({scale}) of marked answers."),
            # then a within_<seconds>s column per reference threshold: see columns()
        ),
    ),
    "statistics": (
        "One row per edition indicator and segment.",
        (
            Column("edition", "string", "Edition id."),
            Column("id", "string", "Indicator id (stable)."),
            Column("segment", "string", "all, or the sector the figure is restricted to."),
            Column("label", "string", "What the figure measures."),
            Column("value", "number", "The figure (a share 0-1, seconds, points, count or ratio)."),
            Column("numerator", "number", "For shares and counts: how many."),
            Column("denominator", "integer", "Out of how many (companies, probes or answers)."),
            Column("unit", "string", "share, seconds, points, count or ratio."),
        ),
    ),
}


def columns(name: str, methods: Iterable[Methodology]) -> tuple[Column, ...]:
    """The columns of one exported table under the methodologies of the data.

    A description names the quality scale the methodologies set; the channels table has a
    column for each reference threshold of any methodology, as the scorer computes them.
    """
    methods = list(methods)
    scales = sorted({m.quality_scale for m in methods})
    scale = " or ".join(f"0-{s:g}" for s in scales)
    found = tuple(
        replace(c, description=c.description.format(scale=scale)) for c in TABLES[name][1]
    )
    if name != "channels":
        return found
    limits = sorted({int(t) for m in methods for ts in m.thresholds.values() for t in ts})
    return found + tuple(
        Column(
            f"within_{s}s",
            "number",
            f"Share of probes answered within {s} seconds "
            "(only the thresholds of the channel's family are filled).",
        )
        for s in limits
    )


def _clean(value: Any, kind: str) -> Any:
    """A JSON-ready value of the column's type; None for missing."""
    if is_missing(value):
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        number = round(float(value), 6)
        return 0.0 if number == 0 else number
    if kind == "boolean":
        return bool(value)
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any, kind: str) -> Any:
    """A cleaned value as a CSV cell: empty for None; text a spreadsheet would run, quoted."""
    if value is None:
        return ""
    if kind == "string" and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _typed(values: list[Any], kind: str) -> list[Any]:
    """``_clean`` of each of a column's values, NaN already turned to None (NumPy columns)."""
    if kind == "number":
        # round(…) or 0.0: a rounded zero of either sign is 0.0, as _clean gives it
        return [None if v is None else round(float(v), 6) or 0.0 for v in values]
    if kind == "integer":
        return [None if v is None else int(v) for v in values]
    if kind == "boolean":
        return [None if v is None else bool(v) for v in values]
    return [None if v is None else str(v) for v in values]


def _cleaned(column: pd.Series, kind: str) -> list[Any]:
    """``[_clean(v, kind) for v in column]``, the same values, without a call per value.

    A NumPy column is boxed by one ``tolist`` (the Python objects ``to_numpy(object)``
    gives), its NaNs found at once; a text column's strings are kept as they are; any other
    value goes through ``_clean``. tests/test_export_values.py compares the two.
    """
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        array = column.to_numpy()
        values: list[Any] = array.tolist()
        if dtype.kind == "f":
            for n in np.flatnonzero(np.isnan(array)).tolist():
                values[n] = None
        return _typed(values, kind)
    objects = column.to_numpy(dtype=object).tolist()
    if kind == "string":
        return [v if type(v) is str else _clean(v, kind) for v in objects]
    return [_clean(v, kind) for v in objects]


def _values(frame: pd.DataFrame, columns: Sequence[Column]) -> tuple[list[Any], ...]:
    # A column the scores lack (a v1-only edition has no interval) is exported as nulls.
    return tuple(
        _cleaned(frame[c.source or c.name], c.type)
        if (c.source or c.name) in frame
        else [None] * len(frame)
        for c in columns
    )


@dataclass(frozen=True, slots=True)
class Table:
    """One export table: its columns and each column's JSON-ready values, row by row.

    Kept by column, not as a dict per row: at 10,000 companies the rows as dicts are
    hundreds of MB; a row becomes a dict only while it is written.
    """

    columns: tuple[Column, ...]
    values: tuple[list[Any], ...]

    def __len__(self) -> int:
        return len(self.values[0]) if self.values else 0

    def row(self, n: int) -> dict[str, Any]:
        """Row ``n`` as a dict, column name → value."""
        return {c.name: v[n] for c, v in zip(self.columns, self.values, strict=True)}

    def rows_at(self, numbers: list[int]) -> list[dict[str, Any]]:
        """Rows ``numbers``, in that order, as dicts (each column read once for all)."""
        if len(numbers) < 2:
            return [self.row(n) for n in numbers]
        get = itemgetter(*numbers)
        names = [c.name for c in self.columns]
        part = [get(v) for v in self.values]
        return [dict(zip(names, row, strict=True)) for row in zip(*part, strict=True)]

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[dict[str, Any]]:
        """The rows from ``start`` to ``stop`` as dicts, one at a time."""
        names = [c.name for c in self.columns]
        part = (v[start:stop] for v in self.values)
        return (dict(zip(names, row, strict=True)) for row in zip(*part, strict=True))


def _frames(scores: Scores) -> dict[str, pd.DataFrame]:
    probes = scores.probes.copy()
    probes["probe"] = probes["probe"] + 1
    return {
        "companies": scores.tables.companies.sort_values("slug"),
        "probes": probes.sort_values(["edition", "slug", "probe"]),
        "scores": scores.companies.sort_values(["edition", "rank_overall", "slug"]),
        "channels": scores.channels.sort_values(["edition", "slug", "channel"]),
        "statistics": scores.statistics.sort_values(["edition", "id", "segment"]),
    }


def json_schema(name: str, methods: Iterable[Methodology]) -> dict[str, Any]:
    """The JSON Schema of one exported JSON file."""
    description = TABLES[name][0]
    fields = columns(name, methods)
    types = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ccr.example/api/v1/{name}.schema.json",
        "title": f"CCR export: {name}",
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": ["format_version", "rows"],
        "properties": {
            "format_version": {
                "description": "Version of this export format.",
                "const": FORMAT_VERSION,
            },
            "rows": {
                "description": description,
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [c.name for c in fields],
                    "properties": {
                        c.name: {"description": c.description, "type": [types[c.type], "null"]}
                        for c in fields
                    },
                },
            },
        },
    }


Tables = dict[str, Table]
RowTexts = dict[str, list[str]]  # table name → each row's JSON text in a record file

# A company's record: the export table each part comes from, and its key in the record.
PARTS = (
    ("companies", "company"),
    ("scores", "scores"),
    ("channels", "channels"),
    ("probes", "probes"),
)
RECORD_PARTS = frozenset(name for name, _ in PARTS)


def export_tables(scores: Scores) -> Tables:
    """Every export table: its columns and their JSON-ready values, by name."""
    methods = scores.methodologies.values()
    tables: Tables = {}
    for name, frame in _frames(scores).items():
        fields = tuple(columns(name, methods))
        tables[name] = Table(fields, _values(frame, fields))
    return tables


_SCALARS = (str, int, float, bool, type(None))
# Each row as json.dumps(row, indent=1) inside the list prints it, by the C encoder (with an
# indent, json takes its pure-Python one: a fifth of the exports' time).
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": "))


def _indented(table: dict[str, Any]) -> str:
    """``json.dumps(table, ensure_ascii=False, indent=1)``, the same text, faster.

    Rows whose values are all scalars are encoded in one C call each; any other table goes
    through ``json.dumps`` itself. tests/test_render_records.py compares the two.
    """
    rows = table.get("rows")
    flat = (
        list(table) == ["format_version", "rows"]
        and type(table["format_version"]) is int
        and isinstance(rows, list)
        and all(
            type(r) is dict and r and all(type(v) in _SCALARS for v in r.values()) for r in rows
        )
    )
    if not flat or not rows:
        return json.dumps(table, ensure_ascii=False, indent=1, sort_keys=False)
    body = ",\n".join("  {\n   " + _ROW.encode(r)[1:-1] + "\n  }" for r in rows)
    return f'{{\n "format_version": {table["format_version"]},\n "rows": [\n{body}\n ]\n}}'


CHUNK = 2000  # rows encoded at a time: the text of a whole table is never one str

_LITERALS = {None: "null", True: "true", False: "false"}
_NOT_FINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}
_ANY = json.JSONEncoder(ensure_ascii=False).encode
# The types each kind of column holds (_clean's), encoded here without the JSON encoder.
_KIND_TYPES = {
    "string": {str, type(None)},
    "number": {float, type(None)},
    "integer": {int, type(None)},
    "boolean": {bool, type(None)},
}


def _encoded(values: list[Any], kind: str) -> list[str]:
    """Each of a column's values as JSON text, as ``json.dumps(v, ensure_ascii=False)``.

    One pass per column, not a call of the encoder per value; a column holding any other
    type than its kind's goes through the encoder value by value.
    """
    types = set(map(type, values))
    if not types <= _KIND_TYPES[kind]:
        return [_ANY(v) for v in values]
    if kind == "boolean":
        return [_LITERALS[v] for v in values]
    encode = encode_basestring if kind == "string" else repr
    if type(None) in types:
        text = ["null" if v is None else encode(v) for v in values]
    else:  # no gaps: one call per value, from C
        text = list(map(encode, values))
    if kind == "number" and ("inf" in text or "-inf" in text or "nan" in text):
        text = [_NOT_FINITE.get(t, t) for t in text]
    return text


def _template(columns: Sequence[Column], form: str, sep: str, order: Iterable[int]) -> str:
    """A row's JSON text with a ``{n}`` slot for column n's value (``form`` = key, value)."""
    fields = (
        form.format(encode_basestring(columns[n].name).replace("{", "{{").replace("}", "}}"), n)
        for n in order
    )
    return sep.join(fields)


def _cells(table: Table, start: int, stop: int) -> list[tuple[str, ...]]:
    """Rows ``start`` to ``stop``, each a tuple of its values' JSON texts."""
    cells = [
        _encoded(values[start:stop], c.type)
        for c, values in zip(table.columns, table.values, strict=True)
    ]
    return list(zip(*cells, strict=True))


def _compact(columns: Sequence[Column]) -> str:
    """A row's JSON text as a company's record file writes it: keys sorted, no spaces."""
    order = sorted(range(len(columns)), key=lambda n: columns[n].name)
    return "{{" + _template(columns, "{}:{{{}}}", ",", order) + "}}"


def _json_bytes(table: Table, compact: list[str] | None = None) -> bytes:
    """The table's JSON file: ``_indented`` of its rows, encoded a chunk of rows at a time.

    ``compact``: a list that gets each row's text as a record file writes it (the values
    are encoded once for both: see :class:`CompanyRecords`).
    """
    if not len(table) or not table.columns:
        rows = list(table.rows())
        return (_indented({"format_version": FORMAT_VERSION, "rows": rows}) + "\n").encode()
    body = _template(table.columns, "{}: {{{}}}", ",\n   ", range(len(table.columns)))
    template = "  {{\n   " + body + "\n  }}"
    small = _compact(table.columns)
    out = io.BytesIO()
    out.write(f'{{\n "format_version": {FORMAT_VERSION},\n "rows": [\n'.encode())
    for start in range(0, len(table), CHUNK):
        cells = _cells(table, start, start + CHUNK)
        text = ",\n".join(starmap(template.format, cells))
        out.write((",\n" + text if start else text).encode())
        if compact is not None:
            compact.extend(starmap(small.format, cells))
    out.write(b"\n ]\n}\n")
    return out.getvalue()


# A text that begins with a formula's first character, in texts joined by NUL (a NUL of a
# text itself can only make it match where no text begins so: the slow way, still right).
_FORMULA_AFTER_NUL = re.compile("(?:^|\x00)[" + re.escape("".join(FORMULA_START)) + "]")


def _csv_column(values: list[Any], kind: str) -> list[Any]:
    """``[csv_cell(v, kind) for v in values]``: the csv module writes None as an empty cell.

    A text column none of whose texts a spreadsheet would run (found in one search of them
    all) is written as it is.
    """
    if kind != "string":
        return values
    if set(map(type, values)) <= {str, type(None)} and not _FORMULA_AFTER_NUL.search(
        "\x00".join(filter(None, values))
    ):
        return values
    return ["'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]


def _csv_bytes(table: Table) -> bytes:
    """The table's CSV file, written a chunk of rows at a time."""
    out = io.BytesIO()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for start in range(0, max(len(table), 1), CHUNK):
        cells = (
            _csv_column(values[start : start + CHUNK], c.type)
            for c, values in zip(table.columns, table.values, strict=True)
        )
        writer.writerows(zip(*cells, strict=True))
        out.write(text.getvalue().encode())
        text.seek(0)
        text.truncate()
    return out.getvalue()


def table_files(
    name: str, table: Table, methods: Iterable[Methodology], texts: RowTexts | None = None
) -> dict[str, bytes]:
    """One table's export files: its CSV, its JSON and its JSON Schema, by file name.

    ``texts``: where the rows' texts of a company record's table are kept, made with its
    JSON (``company_records(scores, tables, texts)`` then encodes nothing again).
    """
    compact = texts.setdefault(name, []) if texts is not None and name in RECORD_PARTS else None
    return {
        f"{name}.csv": _csv_bytes(table),
        f"{name}.json": _json_bytes(table, compact),
        f"{name}.schema.json": (
            json.dumps(json_schema(name, methods), indent=2, ensure_ascii=False) + "\n"
        ).encode(),
    }


def export_files(scores: Scores, tables: Tables | None = None) -> dict[str, bytes]:
    """Every export file name → its bytes (``tables``: :func:`export_tables`, if made)."""
    files: dict[str, bytes] = {}
    methods = list(scores.methodologies.values())
    for name, table in (tables or export_tables(scores)).items():
        files.update(table_files(name, table, methods))
    return files


def _by_slug(table: Table) -> tuple[list[int], dict[str, tuple[int, int]]]:
    """The table's row numbers sorted by slug (stable) and each slug's span in them."""
    slugs = [str(s) for s in table.values[[c.name for c in table.columns].index("slug")]]
    known = sorted(set(slugs))
    index = {slug: n for n, slug in enumerate(known)}
    codes = np.fromiter((index[s] for s in slugs), np.int64, count=len(slugs))
    counts = np.bincount(codes, minlength=len(known)).tolist()
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for slug, count in zip(known, counts, strict=True):
        spans[slug] = (start, start + count)
        start += count
    return np.argsort(codes, kind="stable").tolist(), spans


class CompanyRecords:
    """Per company: its export rows (company, scores per edition, channels, probes).

    Each row is kept as its JSON text (keys sorted, no spaces: how the company's record
    file writes it), made column by column up front; a company's record file is put
    together from those texts when asked for (:meth:`json`), and holds no tables.
    """

    def __init__(self, tables: Tables, texts: RowTexts | None = None) -> None:
        self._columns: dict[str, tuple[str, ...]] = {}
        self._rows: dict[str, list[str]] = {}
        self._index: dict[str, tuple[list[int], dict[str, tuple[int, int]]]] = {}
        for name, _ in PARTS:
            table = tables[name]
            names = [c.name for c in table.columns]
            self._columns[name] = tuple(names)
            made = (texts or {}).get(name)
            if made is None or len(made) != len(table):
                template = _compact(table.columns)
                made = [
                    template.format(*row)
                    for start in range(0, len(table), CHUNK)
                    for row in _cells(table, start, start + CHUNK)
                ]
            self._rows[name] = made
            self._index[name] = _by_slug(table)

    def json(self, slug: str) -> bytes:
        """The company's record file, as ``render`` writes ``records[slug]``.

        That is ``json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",",
        ":"))`` and a newline; tests/test_render_memory.py compares the two.
        """
        parts = {"format_version": str(FORMAT_VERSION)}
        for name, key in PARTS:
            order, spans = self._index[name]
            if slug not in spans:
                continue
            start, stop = spans[slug]
            rows = self._rows[name]
            if name == "companies":
                parts[key] = rows[order[stop - 1]]
            else:
                parts[key] = "[" + ",".join([rows[n] for n in order[start:stop]]) + "]"
        if len(parts) == 1:
            raise KeyError(slug)
        return ("{" + ",".join(f'"{k}":{parts[k]}' for k in sorted(parts)) + "}\n").encode()

    def __getitem__(self, slug: str) -> dict[str, Any]:
        """The company's record: its rows as dicts, keys in the tables' column order."""
        made = json.loads(self.json(slug))
        record: dict[str, Any] = {"format_version": made["format_version"]}
        for name, key in PARTS:
            if key not in made:
                continue
            names = self._columns[name]
            if name == "companies":
                record[key] = {n: made[key][n] for n in names}
            else:
                record[key] = [{n: row[n] for n in names} for row in made[key]]
        return record


def company_records(
    scores: Scores, tables: Tables | None = None, texts: RowTexts | None = None
) -> CompanyRecords:
    """Per company: its export rows (company, scores per edition, channels, probes).

    ``texts``: the rows' texts :func:`table_files` kept while writing the tables' JSON.
    """
    return CompanyRecords(tables or export_tables(scores), texts)
