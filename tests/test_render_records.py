"""``render.common.records`` gives what ``DataFrame.to_dict("records")`` gives, value for value.

The render stage turns tables into plain rows with it (pandas' own ``to_dict`` walks row by
row and was a tenth of a rebuild); a page is rendered from those rows, so a value of another
type (an ``np.int64`` for an ``int``, ``NA`` for ``None``) could change a page.
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

from benchmark.export import _indented, _json_bytes, export_tables
from benchmark.pipeline import run
from benchmark.render.common import records

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _same(value: Any) -> tuple[type, str]:
    """A value by its type and text (NaN equals NaN here, 1 differs from 1.0 and True)."""
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), repr(value))


def _plain(rows: list[dict[Any, Any]]) -> list[list[tuple[Any, tuple[type, str]]]]:
    return [[(k, _same(v)) for k, v in row.items()] for row in rows]


def test_every_kind_of_column() -> None:
    """Numbers, booleans, text with gaps, nullable integers, dates, categories, objects."""
    frame = pd.DataFrame(
        {
            "int": [1, 2, 3],
            "float": [1.5, float("nan"), 3.0],
            "bool": [True, False, True],
            "text": ["a", None, "c"],
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "boolean": pd.array([True, None, False], dtype="boolean"),
            "when": pd.to_datetime(pd.Series(["2016-01-01", None, "2016-03-01"])),
            "utc": pd.to_datetime(pd.Series(["2016-01-01", None, "2016-03-01"]), utc=True),
            "wait": pd.to_timedelta([1, None, 3], unit="h"),
            "kind": pd.Categorical(["x", None, "y"]),
            "mixed": pd.Series([np.int64(4), np.float64(2.5), pd.NA], dtype=object),
            "lists": pd.Series([[1], None, {"a": 1}], dtype=object),
            "na_text": pd.array(["a", None, "c"], dtype="string"),
        }
    )
    assert _plain(records(frame)) == _plain(frame.to_dict("records"))
    assert records(frame.iloc[:0]) == frame.iloc[:0].to_dict("records") == []
    assert records(pd.DataFrame(index=[0, 1])) == [{}, {}]


@pytest.mark.slow
def test_every_table_of_the_demo() -> None:
    """Every table the score stage makes from the demo data, as the render stage reads it."""
    scores = run(REPO, NOW).scores
    frames = {
        "companies": scores.companies,
        "probes": scores.probes,
        "statistics": scores.statistics,
        "channels": scores.channels,
        **{
            f"tables.{name}": value
            for name in dir(scores.tables)
            if isinstance(value := getattr(scores.tables, name), pd.DataFrame)
        },
    }
    assert len(frames) > 4
    for name, frame in frames.items():
        assert _plain(records(frame)) == _plain(frame.to_dict("records")), name


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [{}],
        [{"a": 1, "b": 'x"y\u00e9\u202e', "c": None, "d": 1.5, "e": True, "f": float("nan")}],
        [{"a": [1, 2]}, {"a": {"b": None}}],  # not flat: json.dumps itself
        [{"k": "<"}, {"k": -0.0, "n": 10**20}],
    ],
)
def test_export_json_is_json_dumps_text(rows: list[dict[str, Any]]) -> None:
    """The exports' JSON (rows encoded one by one) is the text json.dumps(indent=1) gives."""
    table = {"format_version": 1, "rows": rows}
    assert _indented(table) == json.dumps(table, ensure_ascii=False, indent=1, sort_keys=False)


@pytest.mark.slow
def test_every_demo_export_json_is_json_dumps_text() -> None:
    """Every table the demo exports."""
    tables = export_tables(run(REPO, NOW).scores)
    for name, made in tables.items():
        table = {"format_version": 1, "rows": list(made.rows())}
        expected = json.dumps(table, ensure_ascii=False, indent=1, sort_keys=False)
        assert _indented(table) == expected, name
        assert _json_bytes(made) == (expected + "\n").encode(), name


def test_records_of_some_columns() -> None:
    """``only``: those of the columns the frame has, in that order; the values the same."""
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [0.5, float("nan")]})
    got = records(frame, ("c", "a", "absent"))
    assert _plain(got) == _plain(frame[["c", "a"]].to_dict("records"))
    assert records(frame, ()) == [{}, {}]
