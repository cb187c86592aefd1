"""Shared values: the one home of ideas several stages use (Pelican's ``utils``).

Timestamps, dates and durations as the data writes them, website domains, the missing-value
check, durations and counts in words, the order of editions and statistics as a reader sees
them. Pure functions of their arguments; no stage reads files or the clock through this
module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

import idna
import isodate

# The data's day names, Monday first: the index is ``date.weekday()``.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

TIMESTAMP_FORM = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
DATE_FORM = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DURATION_FORM = re.compile(
    r"^P(?!\Z)([0-9]+D)?(T(?!\Z)([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?\Z"
)


def parse_timestamp(value: Any) -> datetime | None:
    """A timestamp string with offset → aware datetime; None when it is not one."""
    if not isinstance(value, str) or not TIMESTAMP_FORM.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    """A YYYY-MM-DD string → date; None when it is not one."""
    if not isinstance(value, str) or not DATE_FORM.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_duration(value: Any) -> timedelta | None:
    """An ISO 8601 duration in days/hours/minutes/seconds → timedelta; None otherwise."""
    if not isinstance(value, str) or not DURATION_FORM.match(value):
        return None
    try:
        result = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError, OverflowError):
        return None
    return result if isinstance(result, timedelta) else None


def website_host(url: Any) -> str | None:
    """The host of a website URL as written (lower-case, without the root dot)."""
    if not isinstance(url, str):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    host = host.rstrip(".") if host else None
    return host or None


# A host IDNA leaves as it is: lower-case ASCII labels of letters, digits and inner hyphens
# (no "--", so no punycode and no hyphen in the 3rd and 4th place), each 1-63 long.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PLAIN_HOST = re.compile(rf"(?!.*--){_LABEL}(?:\.{_LABEL})*\Z")


@cache  # pure, and IDNA's UTS-46 mapping is slow: the same hosts recur in every check
def normal_domain(host: str) -> str | None:
    """A host in IDNA's UTS-46 form (fullwidth letters folded, punycode read); None if invalid."""
    if len(host) <= 253 and _PLAIN_HOST.match(host):
        return host  # what IDNA gives for it (tests/test_values.py checks the two agree)
    try:
        return str(idna.decode(idna.encode(host, uts46=True)))
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def website_domain(url: Any) -> str | None:
    """The domain of a website URL, normalised: IDNA UTS-46, no root dot, no ``www.``.

    ``https://WWW.Acme.example./``, ``https://ａｃｍｅ.example`` and the punycode of a
    Unicode domain all give one domain, so the uniqueness check sees through them.
    """
    return _domain_of(url) if isinstance(url, str) else None


@lru_cache(maxsize=1 << 16)  # pure: validation asks for each company's domain four times
def _domain_of(url: str) -> str | None:
    host = website_host(url)
    if host is None:
        return None
    domain = normal_domain(host) or host
    return domain[4:] if domain.startswith("www.") else domain


# Missing values --------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA; False for any other value, a list included."""
    if value is None:
        return True
    if isinstance(value, float):  # numpy's float64 too
        return math.isnan(value)
    if isinstance(value, (str, int, bool)):
        return False
    # pandas only for what may be its NaT or NA: the CLI's commands that score nothing never
    # load it.
    import pandas as pd

    if not pd.api.types.is_scalar(value):
        return False
    return bool(pd.isna(value))


# Durations and counts in words -----------------------------------------------------------


def human_duration(seconds: float | None) -> str:
    """``2 h 25 min``, ``45 s``, ``3 d 4 h``; an em dash for none."""
    if seconds is None or is_missing(seconds):
        return "—"
    s = round(float(seconds))
    if s < 60:
        return f"{s} s"
    minutes, s = divmod(s, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {s} s" if s and minutes < 10 else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} d" + (f" {hours} h" if hours else "")


def whole_unit_duration(seconds: float) -> str:
    """A methodology's duration in one unit: ``30 s``, ``15 min``, ``4 h``, ``48 h``, ``7 d``.

    Whole hours up to two days stay hours (``48 h``, as thresholds are read); other
    durations take the largest unit that divides them, and hours with a fraction otherwise
    (``1.5 h``).
    """
    if 3600 <= seconds <= 2 * 86400 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    return f"{int(seconds)} s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """The word for ``count`` things: ``one`` for exactly 1, else ``many`` (``one + "s"``)."""
    if count == 1:
        return one
    return one + "s" if many is None else many


def counted(count: int, one: str, many: str | None = None) -> str:
    """``1 warning``, ``0 errors``, ``1,204 companies`` (thousands grouped)."""
    return f"{count:,} {plural(count, one, many)}"


# Edition order ---------------------------------------------------------------------------


def edition_order(ends: Mapping[str, Any]) -> list[str]:
    """Edition ids, oldest first: by period end, then by id.

    ``ends`` maps each edition id to its period end (a ``YYYY-MM-DD`` string or a date).
    The one rule for every list of editions: two editions that end on the same day are in
    the order of their ids, so the newer of them is the one with the greater id.
    """
    return sorted(ends, key=lambda edition: (str(ends[edition]), str(edition)))


def newest_edition(ends: Mapping[str, Any]) -> str | None:
    """The last edition of :func:`edition_order`; None without any."""
    order = edition_order(ends)
    return order[-1] if order else None


# Statistics as a reader sees them ---------------------------------------------------------


def percent(value: Any, decimals: int = 0) -> str:
    """``34%`` (a share 0–1 as a percentage); an em dash when there is no value."""
    if is_missing(value):
        return "—"
    return f"{100 * float(value):.{decimals}f}%"


def out_of(numerator: Any, denominator: Any, grouped: bool = False) -> str:
    """``209 of 417`` (``1,209 of 4,417`` grouped)."""
    k, n = round(float(numerator)), int(denominator)
    return f"{k:,} of {n:,}" if grouped else f"{k} of {n}"


def format_statistic(
    value: Any, unit: str, numerator: Any = None, denominator: Any = None, brief: bool = False
) -> str:
    """A statistic's value as a reader sees it; an em dash when there is none.

    In full (reports of what a change moves): ``50.1% (209 of 417)``, ``2 h 5 min``,
    ``1,204``, ``3.20``. Brief (the site's tables): ``50%``, ``2 h 5 min``, ``6 of 12``, ``3.20``.
    """
    if is_missing(value):
        return "—"
    v = float(value)
    if unit == "seconds":
        return human_duration(v)
    if unit == "share" and brief:
        return percent(v)
    if unit == "share":
        known = not is_missing(numerator) and not is_missing(denominator)
        return percent(v, 1) + (
            f" ({out_of(numerator, denominator, grouped=True)})" if known else ""
        )
    if unit == "count" and brief:
        return out_of(v, denominator)
    if unit == "count":
        return f"{round(v):,}"
    return f"{v:.2f}"
