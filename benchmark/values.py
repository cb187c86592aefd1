"""Shared values: the one home of ideas several stages use (Pelican's ``utils``).

Timestamps, dates and durations as the data writes them, and website domains. Pure
functions of their arguments; no stage reads files or the clock through this module.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import idna
import isodate

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


def normal_domain(host: str) -> str | None:
    """A host in IDNA's UTS-46 form (fullwidth letters folded, punycode read); None if invalid."""
    try:
        return str(idna.decode(idna.encode(host, uts46=True)))
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def website_domain(url: Any) -> str | None:
    """The domain of a website URL, normalised: IDNA UTS-46, no root dot, no ``www.``.

    ``https://WWW.Acme.example./``, ``https://ａｃｍｅ.example`` and the punycode of a
    Unicode domain all give one domain, so the uniqueness check sees through them.
    """
    host = website_host(url)
    if host is None:
        return None
    domain = normal_domain(host) or host
    return domain[4:] if domain.startswith("www.") else domain
