"""Stage 2, validate: schema and semantic checks over every document, all problems collected.

Pure: takes parsed documents and the current time, returns problems. Semantic checks are
written defensively, so a document with schema errors is still checked wherever its
parts have the right shape, and one run reports everything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import idna

from . import countries, lookalike, privacy
from .load import Dataset, Document
from .problems import Path, Problem, format_path
from .schema import load_schema, schema_problems
from .values import (
    DATE_FORM,
    DURATION_FORM,
    TIMESTAMP_FORM,
    normal_domain,
    parse_date,
    parse_duration,
    parse_timestamp,
    website_domain,
    website_host,
)

_HUMAN = "human"
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")  # the schema's slug pattern


# File names Windows reserves for devices: a company file named so breaks Windows checkouts.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def stem(file: str) -> str:
    """File name without directories and without the .yaml/.yml suffix."""
    name = file.rsplit("/", 1)[-1]
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _d(obj: Any, key: str) -> Any:
    """``obj[key]`` when obj is a mapping, else None."""
    return obj.get(key) if isinstance(obj, dict) else None


def _items(obj: Any) -> list[tuple[int, Any]]:
    """Enumerate a list, or nothing when it is not one."""
    return list(enumerate(obj)) if isinstance(obj, list) else []


class _Checker:
    """Collects the problems of one document, locating each by its path."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, kind: str, path: Path, message: str, hint: str, severity: str = "error") -> None:
        line, col = self.doc.position(path)
        self.problems.append(
            Problem(kind, self.doc.file, line, col, format_path(path), message, hint, severity)
        )

    def timestamp(self, value: Any, path: Path, now: datetime) -> datetime | None:
        """Parse a timestamp; report impossible dates and moments in the future."""
        if not isinstance(value, str) or not TIMESTAMP_FORM.match(value):
            return None  # the schema reports the format
        parsed = parse_timestamp(value)
        if parsed is None:
            self.add(
                "invalid-timestamp",
                path,
                f"{value} is not a real moment in time",
                "check the day of the month and the hour (e.g. there is no 30 February)",
            )
            return None
        if parsed > now:
            self.add(
                "future-timestamp",
                path,
                f"{value} is in the future",
                "record only what has happened; check the year and the UTC offset",
            )
        return parsed

    def date(self, value: Any, path: Path) -> date | None:
        """Parse a date; report impossible ones."""
        if not isinstance(value, str) or not DATE_FORM.match(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.add(
                "invalid-date",
                path,
                f"{value} is not a real date",
                "check the day of the month (e.g. there is no 30 February)",
            )
        return parsed


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    options = sorted(options)
    close = difflib.get_close_matches(value, options, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + (", ".join(options) if options else "none")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one company's audit may hold (edition `limits:`; defaults when absent)."""

    probes_per_audit: int = 50
    probes_per_channel: int = 20
    identical_probes: int = 1  # probes with the same script, channel and sent_at


@dataclass(frozen=True, slots=True)
class _EditionInfo:
    id: str
    file: str
    start: date | None
    end: date | None
    scripts: frozenset[str]
    rubric: frozenset[str] | None
    complete_marks: tuple[str, tuple[str, ...]] | None = None  # (methodology, rubric ids)
    sectors: frozenset[str] = frozenset()
    zone: ZoneInfo | None = None
    limits: Limits = Limits()
    market: str | None = None


def _rubric_by_version(methodologies: Sequence[Document]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for doc in methodologies:
        version = _d(doc.data, "version")
        rubric = _d(doc.data, "rubric")
        if isinstance(version, str) and isinstance(rubric, list):
            out[version] = frozenset(str(_d(item, "id")) for item in rubric)
    return out


# --- methodology files -------------------------------------------------------------------


def channel_types() -> tuple[str, ...]:
    """The channel types a company file can list (the company schema's enum)."""
    enum = load_schema("company")["$defs"]["channel_type"]["enum"]
    return tuple(str(t) for t in enum)


def _number(value: Any) -> float | None:
    """A number (not a boolean) as float; None otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _check_methodology(doc: Document) -> list[Problem]:
    """The semantic rules of a methodology file (its schema is checked apart)."""
    c = _Checker(doc)
    data = doc.data
    if not isinstance(data, dict):
        return c.problems
    version = data.get("version")
    if isinstance(version, str) and version != stem(doc.file):
        c.add(
            "version-mismatch",
            ("version",),
            f"version '{version}' differs from the file name '{stem(doc.file)}'",
            f"rename the file to {version}.yaml or set version: {stem(doc.file)}",
        )
    for key, what in (
        ("weights", "the sub-scores' shares of the composite score"),
        ("transparency_parts", "the parts' shares of the transparency sub-score"),
    ):
        _check_sum_is_one(c, data.get(key), key, what)
    _check_unique_ids(
        c,
        data.get("rubric"),
        "rubric",
        "duplicate-rubric-item",
        "rubric item '{id}' is listed twice (first in rubric[{first}])",
        "give every rubric item its own id",
    )
    families = _check_families(c, data.get("channel_families"))
    _check_family_times(c, data, families)
    for key, name in (("grades", "grade"), ("tiers", "tier")):
        _check_bands(c, data.get(key), key, name)
    _check_promise_points(c, data.get("promise_points"))
    return c.problems


def _check_sum_is_one(c: _Checker, shares: Any, key: str, what: str) -> None:
    if not isinstance(shares, dict):
        return
    values = [_number(v) for v in shares.values()]
    if not values or any(v is None for v in values):
        return  # the schema reports what is missing or not a number
    total = sum(v for v in values if v is not None)
    if abs(total - 1) > 1e-9:
        c.add(
            "shares-sum",
            (key,),
            f"{key} sum to {total:.10g}, not 1",
            f"they are {what}; change them so that they add up to 1",
        )


def _check_families(c: _Checker, families: Any) -> frozenset[str] | None:
    """Channel families are disjoint and cover every channel type; their names, or None."""
    if not isinstance(families, dict):
        return None
    allowed = channel_types()
    home: dict[str, str] = {}
    for family, types in families.items():
        for j, ctype in _items(types):
            if not isinstance(ctype, str):
                continue
            path = ("channel_families", family, j)
            if ctype not in allowed:
                c.add(
                    "unknown-channel-type",
                    path,
                    f"'{ctype}' is not a channel type a company file can list",
                    _did_you_mean(ctype, allowed),
                )
            elif ctype in home:
                where = (
                    "twice in this family"
                    if home[ctype] == family
                    else f"also in family '{home[ctype]}'"
                )
                c.add(
                    "channel-in-two-families",
                    path,
                    f"'{ctype}' is {where}",
                    "families are disjoint: list each channel type in exactly one family",
                )
            home.setdefault(ctype, family)
    missing = [t for t in allowed if t not in home]
    if missing:
        c.add(
            "channel-without-family",
            ("channel_families",),
            f"no family holds {', '.join(missing)}",
            "every channel type a company file can list (benchmark/schemas/"
            "company.schema.json) belongs to exactly one family; add each to one",
        )
    return frozenset(str(f) for f in families)


def _check_family_times(c: _Checker, data: dict[str, Any], families: frozenset[str] | None) -> None:
    """Speed and thresholds: keys are families, durations positive, in their order."""
    known = families if families is not None else frozenset()
    speed = data.get("speed")
    thresholds = data.get("thresholds")
    for key, table in (("speed", speed), ("thresholds", thresholds)):
        if isinstance(table, dict) and families is not None:
            for family in table:
                if family not in known:
                    c.add(
                        "unknown-family",
                        (key, family),
                        f"'{family}' is not a channel family",
                        _did_you_mean(str(family), known) + " (families are the keys of "
                        "channel_families)",
                    )
    for i, family in _items(data.get("breadth_families")):
        if isinstance(family, str) and families is not None and family not in known:
            c.add(
                "unknown-family",
                ("breadth_families", i),
                f"'{family}' is not a channel family",
                _did_you_mean(family, known) + " (families are the keys of channel_families)",
            )
    _check_duration(c, data.get("never_answered_after"), ("never_answered_after",))
    for family, limits in speed.items() if isinstance(speed, dict) else ():
        full = _positive(c, _d(limits, "full"), ("speed", family, "full"))
        zero = _positive(c, _d(limits, "zero"), ("speed", family, "zero"))
        if full is not None and zero is not None and zero <= full:
            c.add(
                "speed-order",
                ("speed", family, "zero"),
                f"zero ({limits['zero']}) is not longer than full ({limits['full']})",
                "speed points fall from 1 at `full` to 0 at `zero`, so `zero` is the longer time",
            )
    for family, times in thresholds.items() if isinstance(thresholds, dict) else ():
        previous: tuple[timedelta, str] | None = None
        for j, value in _items(times):
            parsed = _positive(c, value, ("thresholds", family, j))
            if parsed is None:
                previous = None
                continue
            if previous is not None and parsed <= previous[0]:
                c.add(
                    "thresholds-order",
                    ("thresholds", family, j),
                    f"{value} is not longer than the time before it ({previous[1]})",
                    "list the reply times shortest first, each once",
                )
            previous = (parsed, str(value))


def _positive(c: _Checker, value: Any, path: Path) -> timedelta | None:
    """A duration, reporting one that is not positive; None when it is not a valid one."""
    _check_duration(c, value, path)
    parsed = parse_duration(value)
    return parsed if parsed is not None and parsed > timedelta(0) else None


def _check_bands(c: _Checker, bands: Any, key: str, name: str) -> None:
    """Grades or tiers: strictly descending lower bounds, the last at 0."""
    previous: float | None = None
    last: tuple[int, float] | None = None
    for i, band in _items(bands):
        low = _number(_d(band, "min"))
        if low is None:
            previous, last = None, None
            continue
        if previous is not None and low >= previous:
            c.add(
                "band-order",
                (key, i, "min"),
                f"{low:g} is not below the {name} before it ({previous:g})",
                f"list {key} highest first, each starting below the one before",
            )
        previous, last = low, (i, low)
    if last is not None and last[0] == len(bands) - 1 and last[1] != 0:
        c.add(
            "band-floor",
            (key, last[0], "min"),
            f"the last {name} starts at {last[1]:g}, not 0",
            f"the lowest {name} starts at 0, so that every score gets one",
        )


def _check_promise_points(c: _Checker, points: Any) -> None:
    """Kept ≥ none ≥ broken: not promising never scores below promising and breaking it."""
    kept, none, broken = (_number(_d(points, k)) for k in ("kept", "none", "broken"))
    if none is not None and broken is not None and none < broken:
        c.add(
            "promise-order",
            ("promise_points", "none"),
            f"not promising (none: {none:g}) scores below promising and breaking it "
            f"(broken: {broken:g})",
            "not promising must never score below promising and breaking it; order them "
            "kept ≥ none ≥ broken",
        )
    if kept is not None and none is not None and kept < none:
        c.add(
            "promise-order",
            ("promise_points", "kept"),
            f"keeping a promise (kept: {kept:g}) scores below not promising (none: {none:g})",
            "a promise kept must never score below no promise; order them kept ≥ none ≥ broken",
        )


def _complete_marks_by_version(methodologies: Sequence[Document]) -> dict[str, tuple[str, ...]]:
    """Versions whose methodology says `quality_marks: complete` → their rubric ids, in order."""
    out: dict[str, tuple[str, ...]] = {}
    for doc in methodologies:
        version = _d(doc.data, "version")
        rubric = _d(doc.data, "rubric")
        if (
            isinstance(version, str)
            and isinstance(rubric, list)
            and _d(doc.data, "quality_marks") == "complete"
        ):
            items = tuple(
                rid for rid in (_d(item, "id") for item in rubric) if isinstance(rid, str)
            )
            if items:  # no rubric at all: the schema reports it
                out[version] = items
    return out


def _with_marks_rule(
    info: _EditionInfo, doc: Document, complete: dict[str, tuple[str, ...]]
) -> _EditionInfo:
    """The edition's info, with its methodology's rubric when every item must be marked."""
    version = _d(doc.data, "methodology")
    if isinstance(version, str) and version in complete:
        return replace(info, complete_marks=(version, complete[version]))
    return info


def _check_edition(
    doc: Document, rubrics: dict[str, frozenset[str]], now: datetime
) -> tuple[list[Problem], _EditionInfo | None]:
    c = _Checker(doc)
    data = doc.data
    if not isinstance(data, dict):
        return c.problems, None
    eid = data.get("id")
    if isinstance(eid, str) and eid != stem(doc.file):
        c.add(
            "id-mismatch",
            ("id",),
            f"id '{eid}' differs from the file name '{stem(doc.file)}'",
            f"rename the file to {eid}.yaml or set id: {stem(doc.file)}",
        )
    period = data.get("period")
    start = c.date(_d(period, "start"), ("period", "start"))
    end = c.date(_d(period, "end"), ("period", "end"))
    if start and end and end < start:
        c.add(
            "period-order",
            ("period", "end"),
            f"ends ({end}) before it starts ({start})",
            "swap start and end",
        )
    if start and start > now.date() and data.get("status") != "draft":
        c.add(
            "future-date",
            ("period", "start"),
            f"{start} is in the future",
            "a published edition is recorded once its probes have been sent; an edition "
            "being prepared has status: draft",
        )
    tz = data.get("timezone")
    if isinstance(tz, str):
        _check_zone(c, tz, ("timezone",))
    hours = data.get("business_hours")
    _check_open_close(c, hours, ("business_hours",))
    methodology = data.get("methodology")
    rubric = None
    if isinstance(methodology, str):
        rubric = rubrics.get(methodology)
        if rubric is None:
            c.add(
                "unknown-methodology",
                ("methodology",),
                f"methodology {methodology} does not exist",
                "add data/methodology/"
                + methodology
                + ".yaml or use one of: "
                + ", ".join(sorted(rubrics)),
            )
    scripts = _check_unique_ids(
        c,
        data.get("scripts"),
        "scripts",
        "duplicate-script",
        "script id '{id}' is used twice (first in scripts[{first}])",
        "give every script its own id",
    )
    info = None
    if isinstance(eid, str):
        sectors = frozenset(s for _i, s in _items(data.get("sectors")) if isinstance(s, str))
        market = data.get("market")
        info = _EditionInfo(
            eid,
            doc.file,
            start,
            end,
            scripts,
            rubric,
            sectors=sectors,
            zone=_zone(tz),
            limits=_limits(data.get("limits")),
            market=market if isinstance(market, str) else None,
        )
    return c.problems, info


def _zone(name: Any) -> ZoneInfo | None:
    """The IANA zone called ``name``; None when it is not one (reported elsewhere)."""
    if not isinstance(name, str):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _limits(value: Any) -> Limits:
    """An edition's limits, each missing (or malformed: the schema reports it) one default."""
    default = Limits()

    def get(key: str) -> int:
        n = _d(value, key)
        ok = isinstance(n, int) and not isinstance(n, bool) and n >= 1
        return n if ok else int(getattr(default, key))

    return Limits(get("probes_per_audit"), get("probes_per_channel"), get("identical_probes"))


def _check_unique_ids(
    c: _Checker, items: Any, key: str, kind: str, message: str, hint: str
) -> frozenset[str]:
    """Each ``id`` of a list once; the second one is the problem, naming the first.

    Returns the ids found.
    """
    seen: dict[str, int] = {}
    for i, item in _items(items):
        ident = _d(item, "id")
        if isinstance(ident, str):
            if ident in seen:
                c.add(kind, (key, i, "id"), message.format(id=ident, first=seen[ident]), hint)
            seen.setdefault(ident, i)
    return frozenset(seen)


def _check_zone(c: _Checker, tz: str, path: Path) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        c.add(
            "unknown-timezone",
            path,
            f"'{tz}' is not an IANA time zone",
            "use a name like Europe/Warsaw or America/New_York",
        )


def _check_open_close(c: _Checker, entry: Any, path: Path) -> None:
    opens, closes = _d(entry, "open"), _d(entry, "close")
    if isinstance(opens, str) and isinstance(closes, str) and opens >= closes:
        c.add(
            "hours-order",
            (*path, "close"),
            f"closes ({closes}) before it opens ({opens})",
            "give the closing time after the opening time; use 24:00 for midnight",
        )


def _check_company(
    doc: Document, editions: dict[str, _EditionInfo], now: datetime
) -> list[Problem]:
    c = _Checker(doc)
    data = doc.data
    if not isinstance(data, dict):
        return c.problems
    slug = data.get("slug")
    file_stem = stem(doc.file)
    if isinstance(slug, str) and slug != file_stem:
        c.add(
            "slug-mismatch",
            ("slug",),
            f"slug '{slug}' differs from the file name '{file_stem}'",
            f"rename the file to {slug}.yaml or set slug: {file_stem}",
        )
    if isinstance(slug, str) and slug.split(".")[0].casefold() in WINDOWS_DEVICES:
        c.add(
            "reserved-slug",
            ("slug",),
            f"'{slug}' is a reserved device name on Windows",
            f"pick another slug (e.g. {slug}-company): a file {slug}.yaml cannot be checked "
            "out on Windows",
        )
    if (
        data.get("fictional") is False
        and website_domain(data.get("website"))
        and str(website_domain(data.get("website"))).endswith(".example")
    ):
        c.add(
            "fictional-domain",
            ("fictional",),
            "a .example domain on a company marked real",
            "set fictional: true, or give the company's real website",
        )
    for i, correction in _items(data.get("corrections")):
        c.date(_d(correction, "date"), ("corrections", i, "date"))
    statement = data.get("statement")
    if isinstance(statement, dict):
        c.date(statement.get("date"), ("statement", "date"))
    _check_personal_data(c, data)
    seen_editions: dict[str, int] = {}
    for a, audit in _items(data.get("audits")):
        if not isinstance(audit, dict):
            continue
        _check_audit(c, audit, ("audits", a), editions, seen_editions, slug, now)
    _check_sector(c, data, editions)
    _check_country(c, data, editions)
    _check_website(c, data)
    return c.problems


def _check_personal_data(c: _Checker, data: dict[str, Any]) -> None:
    """Warn about staff e-mail addresses and phone numbers in free text and evidence names."""
    country = data.get("country")
    region = country if isinstance(country, str) else None
    for path, text in privacy.walk_text(data):
        for found in privacy.findings(text, region):
            where = "an evidence file name" if "evidence" in path else "this text"
            c.add(
                "personal-data",
                path,
                f"{where} holds {found.what}: {found.found}",
                "CCR publishes no personal data of the company's staff; remove it or write "
                "what it was (e.g. 'the agent gave a direct number'). A service number or a "
                "team address the company publishes may stay",
                severity="warning",
            )


def _check_audit(
    c: _Checker,
    audit: dict[str, Any],
    at: Path,
    editions: dict[str, _EditionInfo],
    seen_editions: dict[str, int],
    slug: Any,
    now: datetime,
) -> None:
    eid = audit.get("edition")
    edition = None
    if isinstance(eid, str):
        edition = editions.get(eid)
        if edition is None:
            c.add(
                "unknown-edition",
                (*at, "edition"),
                f"edition '{eid}' does not exist",
                _did_you_mean(eid, editions) + " (editions live in data/editions/)",
            )
        if eid in seen_editions:
            c.add(
                "duplicate-audit",
                (*at, "edition"),
                f"edition '{eid}' is audited twice (first in audits[{seen_editions[eid]}])",
                "one audit per edition; put every probe of the edition in one audit",
            )
        seen_editions.setdefault(eid, int(at[-1]))
    started = c.date(audit.get("started"), (*at, "started"))
    ended = c.date(audit.get("ended"), (*at, "ended"))
    if started and ended and ended < started:
        c.add(
            "audit-order",
            (*at, "ended"),
            f"ends ({ended}) before it starts ({started})",
            "swap started and ended",
        )
    c.date(audit.get("verified"), (*at, "verified"))
    hours = audit.get("support_hours")
    if isinstance(hours, dict):
        tz = hours.get("timezone")
        if isinstance(tz, str):
            _check_zone(c, tz, (*at, "support_hours", "timezone"))
        for s, entry in _items(hours.get("schedule")):
            _check_open_close(c, entry, (*at, "support_hours", "schedule", s))
    offered: dict[str, int] = {}
    for i, channel in _items(audit.get("channels")):
        ctype = _d(channel, "type")
        if not isinstance(ctype, str):
            continue
        cpath = (*at, "channels", i)
        if ctype in offered:
            c.add(
                "duplicate-channel",
                (*cpath, "type"),
                f"channel '{ctype}' is listed twice (first in channels[{offered[ctype]}])",
                "list each channel once; put all its facts in one entry",
            )
        offered.setdefault(ctype, i)
        if _d(channel, "proactive") is not None and ctype != "live_chat":
            c.add(
                "field-for-other-channel",
                (*cpath, "proactive"),
                f"'proactive' applies to live_chat, not {ctype}",
                "remove it from this channel",
            )
        for key in ("handoff", "follows_up"):
            if _d(channel, key) is not None and ctype != "chatbot":
                c.add(
                    "field-for-other-channel",
                    (*cpath, key),
                    f"'{key}' applies to chatbot, not {ctype}",
                    "remove it from this channel",
                )
        declared = _d(channel, "declared_response_time")
        _check_duration(c, _d(declared, "duration"), (*cpath, "declared_response_time", "duration"))
    rubric = edition.rubric if edition else None
    for p, probe in _items(audit.get("probes")):
        if isinstance(probe, dict):
            _check_probe(
                c, probe, (*at, "probes", p), edition, offered, rubric, slug, started, ended, now
            )
            _check_offsets(c, probe, (*at, "probes", p), edition)
    _check_limits(c, audit, at, edition)


def _check_duration(c: _Checker, value: Any, path: Path) -> None:
    if not isinstance(value, str) or not DURATION_FORM.match(value):
        return  # the schema reports the format
    parsed = parse_duration(value)
    if parsed is None or parsed <= timedelta(0):
        c.add(
            "invalid-duration",
            path,
            f"{value} is not a positive duration",
            "write an ISO 8601 duration such as PT15M, PT24H or P2D",
        )


def _check_probe(
    c: _Checker,
    probe: dict[str, Any],
    at: Path,
    edition: _EditionInfo | None,
    offered: dict[str, int],
    rubric: frozenset[str] | None,
    slug: Any,
    started: date | None,
    ended: date | None,
    now: datetime,
) -> None:
    channel = probe.get("channel")
    if isinstance(channel, str) and channel not in offered:
        c.add(
            "channel-not-offered",
            (*at, "channel"),
            f"channel '{channel}' is not among the audit's channels",
            "add it to the audit's channels, or correct the probe's channel ("
            + (", ".join(offered) or "no channels listed")
            + ")",
        )
    script = probe.get("script")
    if isinstance(script, str) and edition is not None and script not in edition.scripts:
        c.add(
            "unknown-script",
            (*at, "script"),
            f"script '{script}' is not in edition '{edition.id}'",
            _did_you_mean(script, edition.scripts),
        )
    sent = c.timestamp(probe.get("sent_at"), (*at, "sent_at"), now)
    if sent is not None and edition is not None and edition.start and edition.end:
        local = sent.date()
        if not edition.start <= local <= edition.end:
            c.add(
                "outside-period",
                (*at, "sent_at"),
                f"sent on {local}, outside the edition period ({edition.start} to {edition.end})",
                "check the date, or move the probe to the audit of the right edition",
            )
    if sent is not None and started and ended and not started <= sent.date() <= ended:
        c.add(
            "outside-audit",
            (*at, "sent_at"),
            f"sent on {sent.date()}, outside the audit's dates ({started} to {ended})",
            "widen the audit's started/ended dates or correct sent_at",
        )
    first = probe.get("first_response")
    first_at = None
    first_by = _d(first, "by")
    for key in ("acknowledgement", "first_response", "human_response"):
        part = probe.get(key)
        when = c.timestamp(_d(part, "at"), (*at, key, "at"), now)
        if key == "first_response":
            first_at = when
        if when is not None and sent is not None and when < sent:
            c.add(
                "response-before-question",
                (*at, key, "at"),
                f"earlier than sent_at ({probe.get('sent_at')})",
                "a reply cannot come before the question; check the date, hour and offset",
            )
    human = probe.get("human_response")
    if isinstance(human, dict):
        if first_by == _HUMAN or not isinstance(first, dict):
            c.add(
                "human-response-misplaced",
                (*at, "human_response"),
                "human_response is only for a person replying after a bot or auto-reply",
                "when a person replied first, record it as first_response with by: human",
            )
        human_at = parse_timestamp(human.get("at"))
        if human_at and first_at and human_at < first_at:
            c.add(
                "response-order",
                (*at, "human_response", "at"),
                "earlier than first_response.at",
                "first_response is the first reply of any kind; swap the two",
            )
    answered = first_by == _HUMAN or isinstance(human, dict)
    ack = probe.get("acknowledgement")
    _check_duration(c, _d(ack, "promised"), (*at, "acknowledgement", "promised"))
    quality = probe.get("quality")
    if isinstance(quality, dict):
        if not answered:
            c.add(
                "quality-without-answer",
                (*at, "quality"),
                "quality is marked but no person answered",
                "mark quality only on probes with a human reply; remove it or record the reply",
            )
        if rubric is not None:
            for item in quality:
                if item not in rubric:
                    c.add(
                        "unknown-rubric-item",
                        (*at, "quality", item),
                        f"'{item}' is not a rubric item of the edition's methodology",
                        _did_you_mean(str(item), rubric),
                    )
    _check_complete_marks(c, probe, at, edition, answered)
    if probe.get("redirected_to") is not None and first is None:
        c.add(
            "redirect-without-answer",
            (*at, "redirected_to"),
            "a redirect is recorded but nothing replied",
            "record the reply that redirected, or remove redirected_to",
        )
    marketing = probe.get("marketing_after_no_answer")
    if (
        isinstance(marketing, int)
        and not isinstance(marketing, bool)
        and marketing > 0
        and answered
    ):
        c.add(
            "marketing-after-answer",
            (*at, "marketing_after_no_answer"),
            "marketing after no answer is recorded, but a person answered",
            "set it to 0, or remove the human reply if none came",
        )
    for e, path in _items(probe.get("evidence")):
        if isinstance(path, str):
            parts = path.split("/")
            if any(part in (".", "..") for part in parts) or (
                isinstance(slug, str) and len(parts) > 1 and parts[1] != slug
            ):
                c.add(
                    "evidence-path",
                    (*at, "evidence", e),
                    f"evidence path '{path}' is outside evidence/{slug}/",
                    f"put the file under evidence/{slug}/ and name it there",
                )


def _check_complete_marks(
    c: _Checker, probe: dict[str, Any], at: Path, edition: _EditionInfo | None, answered: bool
) -> None:
    """With `quality_marks: complete`: every rubric item marked on an answered probe."""
    if edition is None or edition.complete_marks is None or not answered:
        return
    version, items = edition.complete_marks
    quality = probe.get("quality")
    rule = (
        f'methodology {version} needs every rubric item marked true, false or "n/a" on '
        "a probe a person answered"
    )
    if quality is None:
        c.add(
            "quality-marks-missing",
            at,
            "a person answered, but no rubric item is marked",
            f"{rule}; add quality: with {', '.join(items)}",
        )
        return
    if not isinstance(quality, dict):
        return  # the schema reports it
    missing = [item for item in items if item not in quality]
    if missing:
        count = f"{len(missing)} rubric item{'s are' if len(missing) > 1 else ' is'}"
        c.add(
            "quality-marks-missing",
            (*at, "quality"),
            f"{count} not marked",
            f"{rule}; add {', '.join(missing)}",
        )
    elif all(quality[item] == "n/a" for item in items):
        c.add(
            "no-rubric-item-applies",
            (*at, "quality"),
            "no rubric item applies",
            'every item is marked "n/a"; an answer by a person is judged on at least one '
            f"item: mark it true or false (e.g. {items[0]})",
        )


def validate(dataset: Dataset, now: datetime, only: set[str] | None = None) -> list[Problem]:
    """Every problem in the dataset; with ``only``, just those in the named files.

    Cross-file checks (unique slugs and domains, editions that exist) always see the
    whole dataset, so a change to one file is checked against all the others.
    """
    problems: list[Problem] = []

    def wanted(doc: Document) -> bool:
        return only is None or doc.file in only

    for doc in dataset.methodologies:
        if wanted(doc):
            problems.extend(doc.problems)
            if doc.ok:
                problems.extend(schema_problems("methodology", doc))
                problems.extend(_check_methodology(doc))
    rubrics = _rubric_by_version([d for d in dataset.methodologies if d.ok])
    complete = _complete_marks_by_version([d for d in dataset.methodologies if d.ok])
    editions: dict[str, _EditionInfo] = {}
    for doc in dataset.editions:
        found = list(doc.problems)
        if doc.ok:
            found += schema_problems("edition", doc)
            more, info = _check_edition(doc, rubrics, now)
            found += more
            if info is not None:
                editions.setdefault(info.id, _with_marks_rule(info, doc, complete))
        if wanted(doc):
            problems.extend(found)
    shared = _shared_keys([d for d in dataset.companies if d.ok])
    alike = _lookalikes([d for d in dataset.companies if d.ok])
    drafts = {_d(d.data, "id") for d in dataset.editions if _d(d.data, "status") == "draft"}
    for doc in dataset.companies:
        if not wanted(doc):
            continue
        problems.extend(doc.problems)
        if doc.ok:
            problems.extend(schema_problems("company", doc))
            problems.extend(_check_company(doc, editions, now))
            problems.extend(_cross_file(doc, shared))
            problems.extend(alike.get(doc.file, []))
            problems.extend(_check_to_review(doc, drafts))
    seen = set(problems)  # the tree's links and dotfiles, whichever files were asked for
    problems.extend(p for p in dataset.problems if p not in seen)
    return problems


def _check_to_review(doc: Document, drafts: set[Any]) -> list[Problem]:
    """Quality marks still ``to_review``: a warning in a draft edition, an error otherwise.

    An import records what a mailbox or a log can tell; the rubric needs a person's judgement
    (`ccr review`). ``to_review`` counts as marked for `quality_marks: complete`, and as not
    met in a draft's scores, so a draft's quality can only rise as it is reviewed.
    """
    c = _Checker(doc)
    for a, audit in _items(_d(doc.data, "audits")):
        edition = _d(audit, "edition")  # any YAML value: only a string names an edition
        draft = isinstance(edition, str) and edition in drafts
        for p, probe in _items(_d(audit, "probes")):
            quality = _d(probe, "quality")
            pending = (
                [k for k, v in quality.items() if v == "to_review"]
                if isinstance(quality, dict)
                else []
            )
            if not pending:
                continue
            what = (
                f"{len(pending)} rubric item{'s are' if len(pending) > 1 else ' is'} still "
                f"to review: {', '.join(pending)}"
            )
            if draft:
                c.add(
                    "quality-to-review",
                    ("audits", a, "probes", p, "quality"),
                    what,
                    "judge them with ccr review; until then they count as not met in this "
                    "draft edition's scores",
                    severity="warning",
                )
            else:
                c.add(
                    "quality-to-review",
                    ("audits", a, "probes", p, "quality"),
                    f"{what}, in a published edition",
                    "judge them with ccr review before the edition is published (status: "
                    "draft while it is being audited)",
                )
    return c.problems


def _shared_keys(docs: Sequence[Document]) -> dict[tuple[str, str], list[str]]:
    """Slugs (case-insensitive) and website domains used by more than one file."""
    seen: dict[tuple[str, str], list[str]] = {}
    for doc in docs:
        slug = _d(doc.data, "slug")
        if isinstance(slug, str):
            seen.setdefault(("slug", slug.casefold()), []).append(doc.file)
        domain = website_domain(_d(doc.data, "website"))
        if domain:
            seen.setdefault(("domain", domain), []).append(doc.file)
    return {key: files for key, files in seen.items() if len(files) > 1}


def _cross_file(doc: Document, shared: dict[tuple[str, str], list[str]]) -> list[Problem]:
    """Report, on every file involved, a slug or domain that another file also uses."""
    c = _Checker(doc)
    slug = _d(doc.data, "slug")
    if isinstance(slug, str) and ("slug", slug.casefold()) in shared:
        others = [f for f in shared[("slug", slug.casefold())] if f != doc.file]
        c.add(
            "duplicate-slug",
            ("slug",),
            f"slug '{slug}' is also used by {', '.join(others)}",
            "every company has its own slug; pick another or merge the two files",
        )
    domain = website_domain(_d(doc.data, "website"))
    if domain and ("domain", domain) in shared:
        others = [f for f in shared[("domain", domain)] if f != doc.file]
        c.add(
            "duplicate-domain",
            ("website",),
            f"domain {domain} is also used by {', '.join(others)}",
            "one file per company: merge the two files, or correct the website",
        )
    return c.problems


# --- Rules added against stuffing, unknown sectors and countries, and wrong UTC offsets ---


def _check_limits(
    c: _Checker, audit: dict[str, Any], at: Path, edition: _EditionInfo | None
) -> None:
    """Too many probes in one audit, on one channel, or the same probe repeated.

    One file can otherwise outweigh an edition: 8,689 copies of one unanswered probe moved
    the e-mail response rate of every company from 49.9 % to 2.3 %. Each breach is reported
    once, on the first probe beyond the limit, with the count.
    """
    limits = edition.limits if edition is not None else Limits()
    where = f"edition '{edition.id}' ({edition.file})" if edition is not None else "the default"
    probes = [(p, probe) for p, probe in _items(audit.get("probes")) if isinstance(probe, dict)]
    if len(probes) > limits.probes_per_audit:
        c.add(
            "too-many-probes",
            (*at, "probes", probes[limits.probes_per_audit][0]),
            f"the audit holds {len(probes):,} probes; the limit of {where} is "
            f"{limits.probes_per_audit:,}",
            "record each question sent once; if the edition really sent more, raise "
            "limits.probes_per_audit in the edition file",
        )
    per_channel: dict[str, list[int]] = {}
    same: dict[tuple[Any, ...], list[int]] = {}
    for p, probe in probes:
        channel = probe.get("channel")
        if isinstance(channel, str):
            per_channel.setdefault(channel, []).append(p)
        sent = probe.get("sent_at")
        moment = parse_timestamp(sent)
        key = (
            _hashable(probe.get("script")),
            _hashable(channel),
            moment if moment is not None else _hashable(sent),
        )
        same.setdefault(key, []).append(p)
    for channel, indices in per_channel.items():
        if len(indices) > limits.probes_per_channel:
            c.add(
                "too-many-probes",
                (*at, "probes", indices[limits.probes_per_channel], "channel"),
                f"{len(indices):,} probes on channel '{channel}' in this audit; the limit of "
                f"{where} is {limits.probes_per_channel:,} per channel",
                "record each question sent once; if the edition really sent more, raise "
                "limits.probes_per_channel in the edition file",
            )
    for indices in same.values():
        if len(indices) > limits.identical_probes:
            copies = len(indices)
            c.add(
                "repeated-probe",
                (*at, "probes", indices[limits.identical_probes]),
                f"the same probe as probes[{indices[0]}] (script, channel and sent_at): "
                f"{copies:,} copies, {limits.identical_probes:,} allowed",
                "a probe is one question sent at one moment; remove the copies — each one "
                "would count the same question again in every statistic",
            )


def _hashable(value: Any) -> Any:
    """A value usable in a dict key (lists and mappings become their text)."""
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _check_sector(c: _Checker, data: dict[str, Any], editions: dict[str, _EditionInfo]) -> None:
    """The company's sector is one each of its audited editions reviews."""
    sector = data.get("sector")
    if not isinstance(sector, str):
        return
    reported: set[str] = set()
    for _a, audit in _items(data.get("audits")):
        edition = editions.get(str(_d(audit, "edition")))
        if (
            edition is None
            or edition.id in reported
            or not edition.sectors
            or sector in edition.sectors
        ):
            continue
        reported.add(edition.id)
        c.add(
            "unknown-sector",
            ("sector",),
            f"{sector!r} is not a sector of edition '{edition.id}'",
            _did_you_mean(sector, edition.sectors)
            + f" (the sectors an edition reviews are listed in {edition.file})",
        )


def _check_country(c: _Checker, data: dict[str, Any], editions: dict[str, _EditionInfo]) -> None:
    """The company's country is an ISO 3166-1 alpha-2 code."""
    country = data.get("country")
    if (
        not isinstance(country, str)
        or not re.fullmatch(r"[A-Z]{2}", country)
        or country in countries.ALPHA2
    ):
        return  # the schema reports anything that is not two capital letters
    alias = countries.ALIASES.get(country)
    if alias is not None and alias[0] is not None:
        hint = f"did you mean '{alias[0]}'? ({country} is often written for {alias[1]})"
    elif alias is not None:
        hint = f"{country} stands for {alias[1]}; give the country of the company's seat"
    else:
        markets = sorted(
            {
                e.market
                for e in editions.values()
                if e.market in countries.ALPHA2
                for _a, audit in _items(data.get("audits"))
                if _d(audit, "edition") == e.id
            }
            - {None}
        )
        hint = (
            f"did you mean '{markets[0]}'? (the market of the company's edition)"
            if markets
            else "use the company's ISO 3166-1 alpha-2 code, e.g. PL, DE, GB"
        )
    c.add(
        "unknown-country",
        ("country",),
        f"'{country}' is not an ISO 3166-1 alpha-2 country code",
        hint,
    )


_TIMESTAMPED = ("acknowledgement", "first_response", "human_response")


def _check_offsets(
    c: _Checker, probe: dict[str, Any], at: Path, edition: _EditionInfo | None
) -> None:
    """Warn on a timestamp whose UTC offset is not the edition's time zone at that moment.

    The auditors record times on their own clock: +01:00 in Warsaw's summer, or +05:30 in a
    Polish audit, is a typo or a time copied from somewhere else, and moves the answer time.
    """
    if edition is None or edition.zone is None:
        return
    found: list[tuple[Path, Any]] = [(("sent_at",), probe.get("sent_at"))]
    found += [((key, "at"), _d(probe.get(key), "at")) for key in _TIMESTAMPED]
    for rest, value in found:
        moment = parse_timestamp(value)
        if moment is None or not isinstance(value, str):
            continue
        local = moment.astimezone(edition.zone)
        expected, actual = local.utcoffset(), moment.utcoffset()
        if expected is None or actual is None or expected == actual:
            continue
        clock = value[:-1] if value.endswith("Z") else value[:-6]
        want = _offset(expected)
        c.add(
            "offset-not-edition-zone",
            (*at, *rest),
            f"offset {_offset(actual)} is not that of {edition.zone.key} on {local.date()} "
            f"({want})",
            f"the edition's times are in {edition.zone.key}: if the clock time is right, "
            f"write {clock}{want}; if the moment is right, write "
            f"{local.isoformat()}",
            severity="warning",
        )


def _offset(delta: timedelta) -> str:
    """A UTC offset as +HH:MM."""
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


# --- Look-alike websites and names ---


def _check_website(c: _Checker, data: dict[str, Any]) -> None:
    """A host that is no domain name (error), or one that may pass for another (warning)."""
    host = website_host(data.get("website"))
    if host is None:
        return
    domain = normal_domain(host)
    if domain is None:
        c.add(
            "invalid-domain",
            ("website",),
            f"'{host}' is not a valid domain name",
            "check the address: a domain's labels hold letters, digits and hyphens",
        )
        return
    for finding in lookalike.domain_findings(host, domain):
        ascii_form = idna.encode(domain, uts46=True).decode()
        c.add(
            "confusable-domain",
            ("website",),
            f"{domain} ({ascii_form}) may pass for another domain: {finding}",
            "check that this is the company's own website, and write it as it reads "
            "(a company's site in another script is fine; a mix of look-alike letters is "
            "not)",
            severity="warning",
        )


def _lookalikes(docs: Sequence[Document]) -> dict[str, list[Problem]]:
    """Warnings, per file, for domains and names that look like another file's."""
    domains: dict[str, dict[str, list[str]]] = {}  # skeleton → domain → files
    names: dict[str, list[tuple[str, str]]] = {}  # skeleton → (file, name)
    for doc in docs:
        domain = website_domain(_d(doc.data, "website"))
        if domain:
            domains.setdefault(lookalike.skeleton(domain), {}).setdefault(domain, []).append(
                doc.file
            )
        name = _d(doc.data, "name")
        if isinstance(name, str) and name.strip():
            names.setdefault(lookalike.skeleton(name), []).append((doc.file, name))
    out: dict[str, list[Problem]] = {}
    by_file = {doc.file: doc for doc in docs}
    for group in domains.values():
        if len(group) < 2:
            continue  # one domain (maybe in two files: duplicate-domain says so)
        for domain, files in group.items():
            others = sorted(f"{d} ({', '.join(fs)})" for d, fs in group.items() if d != domain)
            for file in files:
                c = _Checker(by_file[file])
                c.add(
                    "confusable-domain",
                    ("website",),
                    f"{domain} looks like {'; '.join(others)}",
                    "one file per company: if it is the same company, merge the files; if "
                    "not, check that the website is this company's own",
                    severity="warning",
                )
                out.setdefault(file, []).extend(c.problems)
    for group_names in names.values():
        if len(group_names) < 2:
            continue
        for file, name in group_names:
            others = sorted(f for f, _n in group_names if f != file)
            c = _Checker(by_file[file])
            c.add(
                "duplicate-name",
                ("name",),
                f"the name {name!r} reads the same as that of {', '.join(others)}",
                "readers tell companies apart by name: if it is the same company, merge the "
                "files; if not, add what tells them apart (a country, a brand)",
                severity="warning",
            )
            out.setdefault(file, []).extend(c.problems)
    return out
