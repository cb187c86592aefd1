"""The export's column-wise ways give what its value-by-value ones gave, value for value.

``export._cleaned`` turns a whole column into JSON-ready values (``_clean`` of each),
``export._encoded`` a whole column into JSON text (``json.dumps`` of each), and
``CompanyRecords.json`` puts a company's record file together from its rows' texts
(``json.dumps`` of the record). Each is compared with the plain way it replaces.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from benchmark.export import (
    CompanyRecords,
    _clean,
    _cleaned,
    _csv_column,
    _encoded,
    csv_cell,
    export_tables,
    table_files,
)
from benchmark.pipeline import run

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)
NAN = float("nan")
INF = float("inf")

COLUMNS: dict[str, Any] = {
    "float": pd.Series([1.5, NAN, -0.0, 0.0, 1e20, 1 / 3, -INF, 2.0000004, 1e-9, -1e-9]),
    "int": pd.Series([1, 0, -3, 2**40]),
    "bool": pd.Series([True, False]),
    "text": pd.Series(["a", None, "=x", 'q"\u00e9\u202e\n'], dtype="str"),
    "object": pd.Series(["a", None, NAN, True, 3, 2.5, pd.NA], dtype=object),
    "nullable": pd.array([1, None, 3], dtype="Int64"),
    "boolean": pd.array([True, None, False], dtype="boolean"),
    "floating": pd.array([0.5, None, -0.0], dtype="Float64"),
    "category": pd.Series(pd.Categorical(["x", None, "y"])),
}


def _same(value: Any) -> tuple[type, str]:
    """A value by its type and text (NaN equals NaN here, 1 differs from 1.0 and True)."""
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), repr(value))


@pytest.mark.parametrize("kind", ["string", "number", "integer", "boolean"])
@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_cleaned_is_clean_of_each_value(name: str, kind: str) -> None:
    """Every kind of column, read as every kind of export column."""
    column = pd.Series(COLUMNS[name])
    try:
        expected = [_same(_clean(v, kind)) for v in column.to_numpy(dtype=object).tolist()]
    except (TypeError, ValueError, OverflowError):  # no such value of that kind
        return
    assert [_same(v) for v in _cleaned(column, kind)] == expected


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("string", ["a", None, 'q"\\\u00e9\u202e\n\x00', "</script>", ""]),
        ("number", [1.5, None, 0.0, 1e20, 1 / 3, INF, -INF, NAN, 5e-324]),
        ("integer", [1, None, -3, 10**30]),
        ("boolean", [True, None, False]),
        ("integer", [1, 2.5, "x", None, True]),  # not its kind's types: the encoder's text
        ("string", [np.float64(1.5), None]),
    ],
)
def test_encoded_is_json_dumps_of_each_value(kind: str, values: list[Any]) -> None:
    """Each value as json.dumps writes it, whatever it holds."""
    assert _encoded(values, kind) == [json.dumps(v, ensure_ascii=False) for v in values]


@pytest.mark.slow
def test_demo_record_files() -> None:
    """Every demo company's record file is json.dumps of its record; no record, KeyError."""
    scores = run(REPO, NOW).scores
    tables = export_tables(scores)
    made = CompanyRecords(tables)
    texts: dict[str, list[str]] = {}  # the rows' texts kept while the tables' JSON is made
    for name, table in tables.items():
        table_files(name, table, scores.methodologies.values(), texts)
    assert sorted(texts) == ["channels", "companies", "probes", "scores"]
    kept = CompanyRecords(tables, texts)
    records: dict[str, dict[str, Any]] = {}  # all at once, row by row: the plain way
    for name, key in (
        ("companies", "company"),
        ("scores", "scores"),
        ("channels", "channels"),
        ("probes", "probes"),
    ):
        for row in tables[name].rows():
            record = records.setdefault(str(row["slug"]), {"format_version": 1})
            if name == "companies":
                record[key] = row
            else:
                record.setdefault(key, []).append(row)
    assert len(records) > 100
    for slug, record in sorted(records.items()):
        text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert made.json(slug) == kept.json(slug) == (text + "\n").encode(), slug
    with pytest.raises(KeyError):
        made.json("no-such-company")


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "", "b"],
        ["a", "=1+1", None],
        ["=a", "b"],
        ["+x", "-", "@a", "\tb", "\rc"],
        ["a\x00=b", "c"],  # a NUL in a text: still each text's own first character
        ["x\x00", "=y"],
        [None, None],
        [],
        ["a", 3, None, "=b"],  # not all texts
    ],
)
def test_csv_column_is_csv_cell_of_each(values: list[Any]) -> None:
    """A text column's CSV cells: a formula quoted, the rest as they are."""
    assert _csv_column(values, "string") == [
        v if v is None else csv_cell(v, "string") for v in values
    ]
    assert _csv_column(values, "number") == values
