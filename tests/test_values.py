"""The shared values (benchmark/values.py): each idea several stages use, written once.

Durations and timestamps as the data writes them, the missing-value check, durations and
counts in words, the one order of editions (ties included) and statistics as a reader sees
them. Every stage imports these; a change here shows on every page, export and report.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import idna
import numpy as np
import pandas as pd
import pytest
import yaml

from benchmark.export import columns
from benchmark.methodology import Methodology, from_data
from benchmark.render.report import measure_of
from benchmark.values import (
    counted,
    edition_order,
    format_statistic,
    human_duration,
    is_missing,
    newest_edition,
    normal_domain,
    out_of,
    parse_date,
    parse_duration,
    parse_timestamp,
    percent,
    plural,
    whole_unit_duration,
)
from tests.helpers import REPO

# --- durations and timestamps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT15M", 900),
        ("PT1H30M", 5400),
        ("P7D", 7 * 86400),
        ("P1DT2H", 93600),
        ("PT0.5S", 0.5),
    ],
)
def test_a_duration_in_days_hours_minutes_seconds_is_read(text: str, seconds: float) -> None:
    """Durations as methodology and company files write them."""
    parsed = parse_duration(text)
    assert parsed is not None
    assert parsed.total_seconds() == seconds


@pytest.mark.parametrize("text", ["P", "PT", "P1W", "P1Y", "P1M", "15M", "pt15m", "", None, 900])
def test_anything_else_is_not_a_duration(text: object) -> None:
    """Weeks, months and years have no fixed length: the data never uses them."""
    assert parse_duration(text) is None


def test_a_timestamp_needs_its_offset() -> None:
    """A moment without an offset is no moment; an impossible date is no date."""
    assert parse_timestamp("2026-03-02T09:15:00+01:00") == datetime(
        2026, 3, 2, 9, 15, tzinfo=timezone(timedelta(hours=1))
    )
    assert parse_timestamp("2026-03-02T09:15Z") == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert parse_timestamp("2026-03-02T09:15:00") is None  # local time of where?
    assert parse_timestamp("2026-02-30T09:15:00Z") is None
    assert parse_date("2026-03-02") == date(2026, 3, 2)
    assert parse_date("2026-3-2") is None


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.6, "1 min"),
        (125, "2 min 5 s"),
        (605, "10 min"),  # seconds only under ten minutes
        (3600, "1 h"),
        (8700, "2 h 25 min"),
        (86400, "1 d"),
        (273600, "3 d 4 h"),
        (None, "—"),
        (math.nan, "—"),
        (np.float64("nan"), "—"),
    ],
)
def test_durations_in_words(seconds: float | None, words: str) -> None:
    """Reply times as pages, reports and ``ccr explain`` show them; none is an em dash."""
    assert human_duration(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (30, "30 s"),
        (900, "15 min"),
        (5400, "90 min"),
        (14400, "4 h"),
        (172800, "48 h"),  # whole hours up to two days stay hours
        (604800, "7 d"),
        (3630, "1.00833 h"),
    ],
)
def test_methodology_durations_in_one_unit(seconds: float, words: str) -> None:
    """Thresholds and cut-offs as the methodology page lists them."""
    assert whole_unit_duration(seconds) == words


# --- missing values ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, math.nan, np.nan, np.float64("nan"), pd.NaT, pd.NA])
def test_none_nan_nat_and_na_are_missing(value: object) -> None:
    """Every way pandas and the scorer write "no value"."""
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "", "nan", [], [None], np.int64(3), 1e308])
def test_zero_false_empty_and_lists_are_values(value: object) -> None:
    """Falsy values are values; a list is never missing (nor an error)."""
    assert not is_missing(value)


# --- plurals -------------------------------------------------------------------------------


def test_one_is_singular_and_every_other_count_plural() -> None:
    """Zero takes the plural; irregular plurals are given; counted groups thousands."""
    assert [plural(n, "probe") for n in (0, 1, 2)] == ["probes", "probe", "probes"]
    assert plural(1, "company", "companies") == "company"
    assert plural(3, "company", "companies") == "companies"
    assert plural(2, "is", "are") == "are"
    assert counted(1, "warning") == "1 warning"
    assert counted(1204, "error") == "1,204 errors"
    assert counted(0, "channel family", "channel families") == "0 channel families"


# --- edition order -------------------------------------------------------------------------


def test_editions_are_ordered_by_period_end_then_id() -> None:
    """Two editions that end on the same day are in the order of their ids."""
    ends = {"2026-b": "2026-06-30", "2025": "2025-12-31", "2026-a": "2026-06-30"}
    assert edition_order(ends) == ["2025", "2026-a", "2026-b"]
    assert newest_edition(ends) == "2026-b"  # a tie on the end: the greater id is newer


def test_the_order_does_not_depend_on_the_order_given() -> None:
    """Not the order of the files read: the ids break the tie."""
    ends = {"z": "2026-01-31", "a": "2026-01-31", "m": "2025-01-31"}
    backwards = dict(reversed(ends.items()))
    assert edition_order(ends) == edition_order(backwards) == ["m", "a", "z"]


def test_an_end_read_as_a_date_orders_as_its_text() -> None:
    """A ``date`` and its ``YYYY-MM-DD`` text order alike; no edition has no newest."""
    assert edition_order({"x": date(2026, 1, 2), "y": "2026-01-01"}) == ["y", "x"]
    assert newest_edition({}) is None


# --- statistics as a reader sees them ------------------------------------------------------


def test_percent_and_out_of() -> None:
    """Shares as percentages, counts as ``k of n``."""
    assert percent(0.3449) == "34%"
    assert percent(0.5012, 1) == "50.1%"
    assert percent(None) == percent(math.nan) == "—"
    assert out_of(209.0, 417) == "209 of 417"
    assert out_of(1209, 4417, grouped=True) == "1,209 of 4,417"


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "denominator", "full", "brief"),
    [
        (0.5012, "share", 209, 417, "50.1% (209 of 417)", "50%"),
        (0.5012, "share", None, None, "50.1%", "50%"),
        (7500.0, "seconds", None, 12, "2 h 5 min", "2 h 5 min"),
        (6.0, "count", None, 12, "6", "6 of 12"),
        (1204.0, "count", None, 2000, "1,204", "1204 of 2000"),
        (3.2, "points", None, 40, "3.20", "3.20"),
        (1.456, "ratio", None, None, "1.46", "1.46"),
        (math.nan, "share", 1, 2, "—", "—"),
    ],
)
def test_a_statistic_in_full_and_brief(
    value: float, unit: str, numerator: float | None, denominator: int | None, full: str, brief: str
) -> None:
    """In full for ``ccr diff`` reports, brief for the site's tables."""
    assert format_statistic(value, unit, numerator, denominator) == full
    assert format_statistic(value, unit, numerator, denominator, brief=True) == brief


# --- what the methodology decides ----------------------------------------------------------


def _v1() -> Methodology:
    return from_data(yaml.safe_load((REPO / "data/methodology/v1.yaml").read_text()))


def test_the_exported_quality_scale_and_thresholds_are_the_methodologies() -> None:
    """Column descriptions name the data's quality scale; a threshold column per threshold."""
    v1 = _v1()
    probes = {c.name: c.description for c in columns("probes", [v1])}
    assert probes["quality_points"] == "Quality points 0-5 of the answer; null if none."
    ten = replace(v1, version="v9", quality_scale=10.0, thresholds={"written": (60.0,)})
    channels = {c.name: c.description for c in columns("channels", [v1, ten])}
    assert channels["quality_mean"] == "Mean quality points (0-5 or 0-10) of marked answers."
    assert [n for n in channels if n.startswith("within_")] == [
        f"within_{s}s" for s in (30, 60, 300, 900, 3600, 5400, 14400, 86400, 172800)
    ]


def test_the_quality_chart_axis_names_the_scale() -> None:
    """The report's quality chart says "points of 5" because the methodology says 5."""
    assert (
        measure_of(
            {"id": "email_quality_mean", "measure": "email_quality_mean", "unit": "points"}, 5.0
        ).axis
        == "points of 5"
    )
    assert (
        measure_of(
            {"id": "email_quality_mean", "measure": "email_quality_mean", "unit": "points"}, 10.0
        ).axis
        == "points of 10"
    )


def _idna_form(host: str) -> str | None:
    try:
        return str(idna.decode(idna.encode(host, uts46=True)))
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def test_a_plain_ascii_host_is_normalised_as_idna_would() -> None:
    """The short cut for plain ASCII hosts gives what IDNA gives (None for invalid ones)."""
    rng = random.Random(7)
    hosts = [
        "acme.example",
        "a-b.c-d.example",
        "ab--cd.example",
        "xn--bcher-kva.example",
        "-acme.example",
        "acme-.example",
        "a..b",
        "1.2.3.4",
        "a" * 63 + ".example",
        "a" * 64 + ".example",
        ".".join(["a" * 60] * 4) + ".bcdefghij",  # 253 characters
        ".".join(["a" * 60] * 4) + ".bcdefghijk",  # 254
    ]
    hosts += ["".join(rng.choice("ab09-.") for _ in range(rng.randint(1, 70))) for _ in range(3000)]
    for host in hosts:
        assert normal_domain(host) == _idna_form(host), host
