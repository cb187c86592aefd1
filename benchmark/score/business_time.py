"""Reply times in a company's own business hours, computed on whole columns.

A weekly schedule is a set of open intervals within the week. B(t), the business seconds
from a fixed Monday to the local wall-clock time t, is whole weeks × open seconds per week
plus the open seconds of this week before t. The business time between two moments is
B(reply) - B(sent): a question sent at night starts counting at the next opening.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import DAYS

WEEK = 7 * 86400
_ANCHOR = pd.Timestamp("2000-01-03")  # a Monday


def parse_schedule(key: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Split a schedule key into its time zone and interval starts/ends (seconds in week)."""
    timezone, _, body = key.partition("|")
    starts, ends = [], []
    for part in filter(None, body.split(";")):
        day, _, span = part.partition(" ")
        opens, _, closes = span.partition("-")
        base = DAYS.index(day) * 86400
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


def business_seconds(start: pd.Series, end: pd.Series, schedule: pd.Series) -> pd.Series:
    """Business seconds between two UTC datetime columns, per row's schedule (NaN if no end)."""
    out = pd.Series(np.nan, index=start.index, dtype=float)
    has_end = end.notna()
    for key, rows in schedule[has_end].groupby(schedule[has_end]).groups.items():
        timezone, starts, ends = parse_schedule(str(key))
        local = []
        for column in (start, end):
            wall = column.loc[rows].dt.tz_convert(timezone).dt.tz_localize(None)
            local.append(((wall - _ANCHOR).dt.total_seconds()).to_numpy(dtype=float))
        b0 = _business_clock(local[0], starts, ends)
        b1 = _business_clock(local[1], starts, ends)
        out.loc[rows] = np.maximum(b1 - b0, 0.0)
    return out
