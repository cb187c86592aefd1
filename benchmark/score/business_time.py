"""Reply times in a company's own business hours, computed on whole columns.

A weekly schedule is a set of open intervals within the week. B(t), the business seconds
from a fixed Monday to the local wall-clock time t, is whole weeks × open seconds per week
plus the open seconds of this week before t. The business time between two moments is
B(reply) - B(sent): a question sent at night starts counting at the next opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from ..values import WEEKDAYS

WEEK = 7 * 86400
_ANCHOR = pd.Timestamp("2000-01-03")  # a Monday


def parse_schedule(key: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Split a schedule key into its time zone and interval starts/ends (seconds in week)."""
    timezone, _, body = key.partition("|")
    starts, ends = [], []
    for part in filter(None, body.split(";")):
        day, _, span = part.partition(" ")
        opens, _, closes = span.partition("-")
        base = WEEKDAYS.index(day) * 86400
        starts.append(base + _clock(opens))
        ends.append(base + _clock(closes))
    return timezone, np.array(starts, dtype=float), np.array(ends, dtype=float)


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def _business_clock(local_seconds: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """B(t) for wall-clock seconds since the anchor Monday."""
    weeks = np.floor(local_seconds / WEEK)
    within = local_seconds - weeks * WEEK
    per_week = float(np.sum(ends - starts))
    lengths = (ends - starts)[None, :]
    open_so_far = np.clip(within[:, None] - starts[None, :], 0, lengths).sum(axis=1)
    result: np.ndarray = weeks * per_week + open_so_far
    return result


def holiday_dates(country: str, first_year: int, last_year: int) -> list[date]:
    """Public holidays of a country (ISO 3166-1 code) from the maintained `holidays` package.

    A country the package does not cover has none; its business time is its opening hours.
    """
    return list(_holiday_dates(country, first_year, last_year))


@lru_cache(maxsize=1024)
def _holiday_dates(country: str, first_year: int, last_year: int) -> tuple[date, ...]:
    """``holiday_dates``, computed once per process for each country and years (immutable)."""
    try:
        calendar = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    except NotImplementedError:
        return ()
    return tuple(sorted(calendar))


def _holiday_intervals(
    days: list[date], starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The open intervals that fall on holidays, as wall-clock seconds since the anchor."""
    begin, length = [], []
    anchor = _ANCHOR.date()
    for day in days:
        index = (day - anchor).days
        weekday = index % 7
        base = index * 86400.0 - weekday * 86400.0
        on_day = (starts >= weekday * 86400) & (starts < (weekday + 1) * 86400)
        for s, e in zip(starts[on_day], ends[on_day], strict=True):
            begin.append(base + s)
            length.append(e - s)
    return np.array(begin, dtype=float), np.array(length, dtype=float)


def _holiday_clock(local_seconds: np.ndarray, begin: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Open seconds spent on holidays before each wall-clock time."""
    if not len(begin):
        return np.zeros_like(local_seconds)
    spent: np.ndarray = np.clip(local_seconds[:, None] - begin[None, :], 0, length[None, :]).sum(
        axis=1
    )
    return spent


def business_seconds(
    start: pd.Series, end: pd.Series, schedule: pd.Series, country: pd.Series | None = None
) -> pd.Series:
    """Business seconds between two UTC datetime columns, per row's schedule (NaN if no end).

    With ``country`` (methodology v2), the public holidays of each row's country are closed.
    Wall-clock times are converted once per time zone; each schedule then works on arrays.
    """
    out = pd.Series(np.nan, index=start.index, dtype=float)
    has_end = end.notna()
    keys = (schedule if country is None else schedule + "\n" + country)[has_end]
    if keys.empty:
        return out
    walls = _wall_clocks(start[has_end], end[has_end], keys.str.partition("|")[0])
    result = np.full(len(keys), np.nan)
    for key, rows in keys.groupby(keys).indices.items():
        schedule_key, _, country_code = str(key).partition("\n")
        _, starts, ends = parse_schedule(schedule_key)
        local = (walls.local[0][rows], walls.local[1][rows])
        b0 = _business_clock(local[0], starts, ends)
        b1 = _business_clock(local[1], starts, ends)
        if country_code:
            days = _holiday_dates(
                country_code, int(walls.years[0][rows].min()), int(walls.years[1][rows].max())
            )
            begin, length = _holiday_intervals(list(days), starts, ends)
            b0 = b0 - _holiday_clock(local[0], begin, length)
            b1 = b1 - _holiday_clock(local[1], begin, length)
        result[rows] = np.maximum(b1 - b0, 0.0)
    out.loc[has_end] = result
    return out


@dataclass(frozen=True, slots=True)
class _Walls:
    """Per row: wall-clock seconds since the anchor Monday and the year, of start and end."""

    local: tuple[np.ndarray, np.ndarray]
    years: tuple[np.ndarray, np.ndarray]


def _wall_clocks(start: pd.Series, end: pd.Series, timezone: pd.Series) -> _Walls:
    """Each row's start and end on the wall clock of its time zone, converted once per zone."""
    local = (np.empty(len(start)), np.empty(len(start)))
    years = (np.empty(len(start), dtype=int), np.empty(len(start), dtype=int))
    for zone, rows in timezone.groupby(timezone).indices.items():
        for i, column in enumerate((start, end)):
            wall = column.iloc[rows].dt.tz_convert(str(zone)).dt.tz_localize(None)
            local[i][rows] = ((wall - _ANCHOR).dt.total_seconds()).to_numpy(dtype=float)
            years[i][rows] = wall.dt.year.to_numpy()
    return _Walls(local, years)
