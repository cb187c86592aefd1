"""Rows made a company at a time give what making them all up front gave, value for value.

The render stage no longer turns every probe and score row into a dict before the company
pages (nor every export row before the export files): at 10,000 companies those dicts were
most of the build's peak memory. These tests compare the one-at-a-time ways with the plain
all-at-once ones they replace, on the demo and on hand-made frames.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmark.export import (
    FORMAT_VERSION,
    CompanyRecords,
    Table,
    _csv_bytes,
    _indented,
    _json_bytes,
    csv_cell,
    export_tables,
)
from benchmark.pipeline import run
from benchmark.render.common import records
from benchmark.render.company import _by_slug

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _grouped(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Every row as a dict, grouped by slug in frame order: the way it was done before."""
    by: dict[str, list[dict[str, Any]]] = {}
    for r in records(frame):
        by.setdefault(str(r["slug"]), []).append(r)
    return by


@pytest.mark.parametrize("batch", [1, 2, 3, 256])
def test_rows_by_slug_in_batches(batch: int) -> None:
    """Each slug's rows in frame order, whatever the batch; unknown slugs left out."""
    frame = pd.DataFrame(
        {
            "slug": ["b", "a", "c", "b", "x", "a", "b"],
            "n": [1, 2, 3, 4, 5, 6, 7],
            "v": [0.5, None, 1.5, 2.0, 3.0, None, 4.0],
        }
    )
    slugs = ["a", "b", "c", "d"]
    got = dict(zip(slugs, _by_slug(frame, slugs, batch), strict=True))
    expected = _grouped(frame)
    assert repr(got) == repr({s: expected.get(s, []) for s in slugs})


def test_no_rows() -> None:
    """A frame without rows gives every slug none."""
    frame = pd.DataFrame({"slug": pd.Series([], dtype=object), "n": pd.Series([], dtype=int)})
    assert list(_by_slug(frame, ["a", "b"])) == [[], []]


@pytest.fixture(scope="module")
def demo() -> Any:
    """The demo's scores."""
    return run(REPO, NOW).scores


@pytest.mark.slow
def test_demo_company_rows(demo: Any) -> None:
    """The demo's scored rows and probes by company: the same dicts, types and order."""
    slugs = sorted({str(s) for s in demo.companies["slug"].tolist()})
    for frame in (demo.companies, demo.probes):
        expected = _grouped(frame)
        got = dict(zip(slugs, _by_slug(frame, slugs, batch=7), strict=True))
        assert repr(got) == repr({s: expected.get(s, []) for s in slugs})


def _records_before(tables: dict[str, Table]) -> dict[str, dict[str, Any]]:
    """Every company's export record, all at once: the way it was done before."""
    out: dict[str, dict[str, Any]] = {}
    for name in ("companies", "scores", "channels", "probes"):
        for row in tables[name].rows():
            record = out.setdefault(str(row["slug"]), {"format_version": FORMAT_VERSION})
            if name == "companies":
                record["company"] = row
            else:
                record.setdefault(name, []).append(row)
    return out


@pytest.mark.slow
def test_demo_company_records(demo: Any) -> None:
    """Each company's export record, made when asked, is the one made all at once."""
    tables = export_tables(demo)
    expected = _records_before(tables)
    made = CompanyRecords(tables)
    for slug, record in expected.items():
        assert repr(made[slug]) == repr(record), slug
    with pytest.raises(KeyError):
        made["no-such-company"]


@pytest.mark.slow
def test_demo_csv_in_chunks(demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CSV written a few rows at a time is the one written in one go."""
    monkeypatch.setattr("benchmark.export.CHUNK", 3)
    for name, table in export_tables(demo).items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.name for c in table.columns])
        for row in table.rows():
            writer.writerow([csv_cell(row[c.name], c.type) for c in table.columns])
        assert _csv_bytes(table) == out.getvalue().encode(), name


@pytest.mark.slow
def test_demo_json_in_chunks(demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON encoded a few rows at a time is the text of all the rows at once."""
    monkeypatch.setattr("benchmark.export.CHUNK", 3)
    for name, table in export_tables(demo).items():
        whole = {"format_version": FORMAT_VERSION, "rows": list(table.rows())}
        assert _json_bytes(table) == (_indented(whole) + "\n").encode(), name
