"""Moments as auditors write them, read in the edition's time zone and stamped with its offset.

Accepted: ``now`` (the clock, read by the CLI and passed in), ISO 8601 with or without an
offset (``2026-09-02T10:15+02:00``, ``2026-09-02 10:15``), the day-first dates spreadsheets
write in most of Europe (``02.09.2026 10:15``, ``2/9/2026 10:15:30``; month first for a US
market), 12-hour times with AM/PM, and a bare ``10:15`` (today, in the edition's zone). A
local time that the zone skips (spring forward) or repeats (fall back) is refused with a
hint to give the offset. Every result is stamped in the edition's zone, to the second.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_ISO = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<time>[0-9]{1,2}:[0-9]{2}"
    r"(?::[0-9]{2}(?:\.[0-9]+)?)?)\s*(?P<offset>Z|[+-][0-9]{2}:?[0-9]{2})?\Z"
)
_LOCAL = re.compile(
    r"(?P<a>[0-9]{1,2})(?P<sep>[./-])(?P<b>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4}),?"
    r"\s+(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)\s*(?P<ampm>[AaPp][Mm])?\Z"
)
_TIME = re.compile(r"(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)\Z")


class BadMoment(ValueError):
    """A moment that cannot be read; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


FORMATS = "2026-09-02 10:15, 02.09.2026 10:15, 2026-09-02T10:15+02:00 or now"


def _clock(text: str, ampm: str | None = None) -> time:
    parts = [int(p) for p in text.split(":")]
    hour, minute, second = parts[0], parts[1], parts[2] if len(parts) > 2 else 0
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    return time(hour, minute, second)


def local(day: date, clock: time, zone: ZoneInfo, text: str) -> datetime:
    """A wall-clock moment in ``zone``; BadMoment when the zone skips or repeats it."""
    naive = datetime.combine(day, clock)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise BadMoment(
            f"{text} does not exist in {zone.key} (the clocks moved forward)",
            "check the hour, or give the UTC offset, e.g. 2026-03-29T03:15+02:00",
        )
    if first.utcoffset() != second.utcoffset():
        raise BadMoment(
            f"{text} happened twice in {zone.key} (the clocks moved back)",
            "give the UTC offset to say which, e.g. 2026-10-25T02:30+01:00",
        )
    return first


def parse_moment(
    text: str, zone: ZoneInfo, now: datetime, *, month_first: bool = False
) -> datetime:
    """The moment ``text`` names, aware, in ``zone``; BadMoment when it names none."""
    value = " ".join(text.split())
    hint = f"write it as {FORMATS}"
    if not value:
        raise BadMoment("no time given", hint)
    if value.lower() == "now":
        return now.astimezone(zone).replace(microsecond=0)
    try:
        if m := _ISO.match(value):
            day, clock = date.fromisoformat(m["date"]), _clock(m["time"].split(".")[0])
            if m["offset"]:
                offset = m["offset"].replace("Z", "+00:00")
                if ":" not in offset:
                    offset = offset[:3] + ":" + offset[3:]
                stamped = datetime.fromisoformat(f"{day.isoformat()}T{clock.isoformat()}{offset}")
                return stamped.astimezone(zone)
            return local(day, clock, zone, value)
        if m := _LOCAL.match(value):
            a, b = int(m["a"]), int(m["b"])
            month, day_ = (a, b) if month_first else (b, a)
            return local(
                date(int(m["year"]), month, day_), _clock(m["time"], m["ampm"]), zone, value
            )
        if m := _TIME.match(value):
            return local(now.astimezone(zone).date(), _clock(m["time"]), zone, value)
    except ValueError as error:
        if isinstance(error, BadMoment):
            raise
        raise BadMoment(
            f"{value} is not a real date and time",
            "check the day of the month and the hour (e.g. there is no 30 February, no 24:30)",
        ) from error
    raise BadMoment(f"{value} is not a date and time CCR can read", hint)


def stamp(moment: datetime, zone: ZoneInfo) -> str:
    """``moment`` in ``zone`` as ISO 8601 with its offset, to the second."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def iso_duration(delta: timedelta) -> str:
    """A positive timedelta as an ISO 8601 duration in days, hours, minutes (PT24H, P2D)."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if not seconds:
        return "PT0M"
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
