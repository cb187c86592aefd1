"""`ccr edition new`: the text of a draft edition file, valid as written, with comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from ..errors import UsageError
from ..values import WEEKDAYS
from .yamltext import Style, flow, item_lines, scalar

SCHEMA_LINE = "# yaml-language-server: $schema=../../benchmark/schemas/edition.schema.json"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_HOURS = re.compile(
    r"(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>[0-2][0-9]:[0-5][0-9])-(?P<close>[0-2][0-9]:[0-5][0-9])\Z"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
DEFAULT_METHOD = (
    "Auditors contacted each company as a prospective customer would, through the "
    "channels its website offers, on working days within business hours."
)


@dataclass(frozen=True, slots=True)
class NewEdition:
    """An edition file to write: its id, its path and its text."""

    id: str
    path: str
    text: str


def parse_period(value: str) -> tuple[date, date]:
    """``START..END`` (YYYY-MM-DD each) → the two dates; UsageError otherwise."""
    start, sep, end = value.partition("..")
    first: date | None
    last: date | None
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        first = last = None
    if not sep or first is None or last is None:
        raise UsageError(
            f"--period {value!r} is not START..END",
            "give two dates, e.g. --period 2025-01-06..2025-02-28",
        )
    if last < first:
        raise UsageError(f"--period {value!r} ends before it starts", "swap the two dates")
    return first, last


def parse_hours(value: str) -> dict[str, Any]:
    """``mon-fri 09:00-17:00`` → the edition's business_hours mapping; UsageError otherwise."""
    match = _HOURS.match(value.strip().lower())
    if (
        not match
        or match["first"] not in WEEKDAYS
        or (match["last"] or match["first"]) not in WEEKDAYS
    ):
        raise UsageError(
            f"--hours {value!r} is not DAY[-DAY] HH:MM-HH:MM", "e.g. --hours 'mon-fri 09:00-17:00'"
        )
    first, last = WEEKDAYS.index(match["first"]), WEEKDAYS.index(match["last"] or match["first"])
    if last < first or match["open"] >= match["close"] or match["close"] > "24:00":
        raise UsageError(
            f"--hours {value!r}: the days or the hours are in the wrong order",
            "e.g. --hours 'mon-fri 09:00-17:00'",
        )
    return {
        "days": list(WEEKDAYS[first : last + 1]),
        "open": match["open"],
        "close": match["close"],
    }


def zones_of(country: str) -> list[str]:
    """The IANA time zones of a country (ISO 3166-1 alpha-2), from tzdata's zone.tab."""
    try:
        table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata is a dependency
        return []
    return [
        fields[2]
        for line in table.splitlines()
        if not line.startswith("#")
        and len(fields := line.split("\t")) >= 3
        and fields[0] == country.upper()
    ]


def default_zone(market: str) -> str:
    """The edition's zone when its market is a country with one zone; UsageError otherwise."""
    zones = zones_of(market) if len(market) == 2 else []
    if len(zones) == 1:
        return zones[0]
    known = f" ({', '.join(zones)})" if zones else ""
    raise UsageError(
        "--timezone is needed",
        f"the market {market} has no single time zone"
        f"{known}; give one, e.g. --timezone Europe/Warsaw",
    )


def parse_script(value: str) -> tuple[str, str]:
    """``ID=TEXT`` → (id, text); UsageError otherwise."""
    sid, sep, text = value.partition("=")
    if not sep or not _ID.match(sid.strip()) or not text.strip():
        raise UsageError(
            f"--script {value[:40]!r} is not ID=TEXT",
            "e.g. --script quote='Could you estimate the cost of …?' (the id: "
            "lower-case letters, digits and hyphens)",
        )
    return sid.strip(), " ".join(text.split())


@dataclass(frozen=True, slots=True)
class EditionDraft:
    """What `ccr edition new` was told: the fields of a draft edition."""

    edition_id: str
    title: str
    sectors: list[str]
    market: str
    period: tuple[date, date]
    timezone: str
    hours: dict[str, Any]
    scripts: list[dict[str, Any]]
    methodology: str
    method: str | None = None
    addresses: tuple[str, ...] = ()
    demo: bool = False


def _check_draft(draft: EditionDraft) -> None:
    """UsageError for the first argument a draft edition cannot be built from."""
    edition_id, sectors, scripts = draft.edition_id, draft.sectors, draft.scripts
    if not _ID.match(edition_id) or len(edition_id) > 80:
        raise UsageError(
            f"{edition_id!r} is not an edition id",
            "lower-case letters, digits and hyphens, e.g. 2025-q1-online-shops",
        )
    if not draft.title.strip():
        raise UsageError("--title is empty", "give the report's title")
    bad = [s for s in sectors if not _ID.match(s)]
    if not sectors or bad:
        raise UsageError(
            f"--sector {bad[0] if bad else ''!r} is not a sector id",
            "lower-case letters, digits and hyphens, e.g. --sector online-shop",
        )
    if not scripts:
        raise UsageError(
            "an edition needs at least one question script",
            "give --script ID=TEXT (repeatable) or --copy-scripts EDITION",
        )
    for address in draft.addresses:
        if not _EMAIL.match(address):
            raise UsageError(
                f"--auditor-address {address!r} is not an e-mail address",
                "give the audit mailbox's address, e.g. audit@ccr.example",
            )
    ids = [str(s.get("id")) for s in scripts]
    if len(set(ids)) != len(ids):
        raise UsageError("two scripts share an id", "give every --script its own id")


def new_edition(draft: EditionDraft) -> NewEdition:
    """Build the text of a draft edition file; UsageError for unusable arguments."""
    _check_draft(draft)
    style = Style()
    lines = [
        SCHEMA_LINE,
        "# A draft edition, written by `ccr edition new`. What comes next, step by step:",
        "# docs/run-an-edition.md (ccr audit add, ccr import mail, ccr import log, ccr review).",
        "# While status is draft, quality marks still to review are warnings; set status:",
        "# published (and published: YYYY-MM-DD) once the report may go out.",
        f"id: {scalar(draft.edition_id)}",
        f"title: {scalar(' '.join(draft.title.split()))}",
        f"sectors: {flow(list(draft.sectors))}",
        f"market: {scalar(draft.market)}",
        "period:",
        f"  start: {scalar(draft.period[0].isoformat())}",
        f"  end: {scalar(draft.period[1].isoformat())}",
        f"method: {scalar(' '.join((draft.method or DEFAULT_METHOD).split()))}",
        f"timezone: {scalar(draft.timezone)}",
        "business_hours:",
        f"  days: {flow(draft.hours['days'])}",
        f"  open: {scalar(draft.hours['open'])}",
        f"  close: {scalar(draft.hours['close'])}",
    ]
    if draft.addresses:
        lines += [
            "# the audit mailbox the questions are sent from (ccr import mail finds them by it)",
            f"auditor_addresses: {flow(list(draft.addresses))}",
        ]
    lines.append("scripts:")
    for script in draft.scripts:
        lines += item_lines(script, 2, style)
    lines += [
        f"methodology: {scalar(draft.methodology)}",
        f"demo: {flow(draft.demo)}",
        "status: draft",
    ]
    path = f"data/editions/{draft.edition_id}.yaml"
    return NewEdition(id=draft.edition_id, path=path, text="\n".join(lines) + "\n")
