"""Stage 2, validate: schema and semantic checks over every document, all problems collected.

Pure: takes parsed documents and the current time, returns problems. Semantic checks are
written defensively, so a document with schema errors is still checked wherever its
parts have the right shape, and one run reports everything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import idna

from . import countries, fanout, lookalike, privacy
from . import problem_kinds as kinds
from .load import Dataset, Document
from .problem_kinds import ProblemKind
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

    def add(self, kind: ProblemKind, path: Path, /, **fields: Any) -> None:
        """A problem of ``kind`` at ``path``, its message and hint filled in from ``fields``."""
        line, col = self.doc.position(path)
        self.problems.append(kind.problem(self.doc.file, line, col, format_path(path), **fields))

    def timestamp(self, value: Any, path: Path, now: datetime) -> datetime | None:
        """Parse a timestamp; report impossible dates and moments in the future."""
        if not isinstance(value, str) or not TIMESTAMP_FORM.match(value):
            return None  # the schema reports the format
        parsed = parse_timestamp(value)
        if parsed is None:
            self.add(kinds.INVALID_TIMESTAMP, path, value=value)
            return None
        if parsed > now:
            self.add(kinds.FUTURE_TIMESTAMP, path, value=value)
        return parsed

    def date(self, value: Any, path: Path) -> date | None:
        """Parse a date; report impossible ones."""
        if not isinstance(value, str) or not DATE_FORM.match(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.add(kinds.INVALID_DATE, path, value=value)
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
        c.add(kinds.VERSION_MISMATCH, ("version",), version=version, stem=stem(doc.file))
    for key, what in (
        ("weights", "the sub-scores' shares of the composite score"),
        ("transparency_parts", "the parts' shares of the transparency sub-score"),
    ):
        _check_sum_is_one(c, data.get(key), key, what)
    _check_unique_ids(c, data.get("rubric"), "rubric", kinds.DUPLICATE_RUBRIC_ITEM)
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
        c.add(kinds.SHARES_SUM, (key,), key=key, total=total, what=what)


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
                    kinds.UNKNOWN_CHANNEL_TYPE,
                    path,
                    ctype=ctype,
                    suggestion=_did_you_mean(ctype, allowed),
                )
            elif ctype in home:
                where = (
                    "twice in this family"
                    if home[ctype] == family
                    else f"also in family '{home[ctype]}'"
                )
                c.add(kinds.CHANNEL_IN_TWO_FAMILIES, path, ctype=ctype, where=where)
            home.setdefault(ctype, family)
    missing = [t for t in allowed if t not in home]
    if missing:
        c.add(kinds.CHANNEL_WITHOUT_FAMILY, ("channel_families",), missing=", ".join(missing))
    return frozenset(str(f) for f in families)


def _check_family_times(c: _Checker, data: dict[str, Any], families: frozenset[str] | None) -> None:
    """Speed and thresholds: keys are families, durations positive, in their order."""
    if families is not None:
        _check_family_names(c, data, families)
    _check_duration(c, data.get("never_answered_after"), ("never_answered_after",))
    speed = data.get("speed")
    for family, limits in speed.items() if isinstance(speed, dict) else ():
        _check_speed(c, family, limits)
    thresholds = data.get("thresholds")
    for family, times in thresholds.items() if isinstance(thresholds, dict) else ():
        _check_thresholds(c, family, times)


def _check_family_names(c: _Checker, data: dict[str, Any], families: frozenset[str]) -> None:
    """The keys of speed and thresholds, and the breadth families, are channel families."""
    named: list[tuple[Path, Any]] = []
    for key in ("speed", "thresholds"):
        table = data.get(key)
        if isinstance(table, dict):
            named += [((key, family), family) for family in table]
    named += [
        (("breadth_families", i), family)
        for i, family in _items(data.get("breadth_families"))
        if isinstance(family, str)
    ]
    for path, family in named:
        if family not in families:
            c.add(
                kinds.UNKNOWN_FAMILY,
                path,
                family=family,
                suggestion=_did_you_mean(str(family), families),
            )


def _check_speed(c: _Checker, family: Any, limits: Any) -> None:
    """A family's speed times are positive, `zero` the longer."""
    full = _positive(c, _d(limits, "full"), ("speed", family, "full"))
    zero = _positive(c, _d(limits, "zero"), ("speed", family, "zero"))
    if full is not None and zero is not None and zero <= full:
        c.add(
            kinds.SPEED_ORDER, ("speed", family, "zero"), zero=limits["zero"], full=limits["full"]
        )


def _check_thresholds(c: _Checker, family: Any, times: Any) -> None:
    """A family's reply-time thresholds are positive, shortest first, each once."""
    previous: tuple[timedelta, str] | None = None
    for j, value in _items(times):
        parsed = _positive(c, value, ("thresholds", family, j))
        if parsed is None:
            previous = None
            continue
        if previous is not None and parsed <= previous[0]:
            c.add(
                kinds.THRESHOLDS_ORDER,
                ("thresholds", family, j),
                value=value,
                previous=previous[1],
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
            c.add(kinds.BAND_ORDER, (key, i, "min"), low=low, name=name, previous=previous, key=key)
        previous, last = low, (i, low)
    if last is not None and last[0] == len(bands) - 1 and last[1] != 0:
        c.add(kinds.BAND_FLOOR, (key, last[0], "min"), name=name, low=last[1])


def _check_promise_points(c: _Checker, points: Any) -> None:
    """Kept ≥ none ≥ broken: not promising never scores below promising and breaking it."""
    kept, none, broken = (_number(_d(points, k)) for k in ("kept", "none", "broken"))
    if none is not None and broken is not None and none < broken:
        c.add(kinds.PROMISE_ORDER_NONE, ("promise_points", "none"), none=none, broken=broken)
    if kept is not None and none is not None and kept < none:
        c.add(kinds.PROMISE_ORDER_KEPT, ("promise_points", "kept"), kept=kept, none=none)


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
        c.add(kinds.ID_MISMATCH, ("id",), id=eid, stem=stem(doc.file))
    period = data.get("period")
    start = c.date(_d(period, "start"), ("period", "start"))
    end = c.date(_d(period, "end"), ("period", "end"))
    if start and end and end < start:
        c.add(kinds.PERIOD_ORDER, ("period", "end"), end=end, start=start)
    if start and start > now.date() and data.get("status") != "draft":
        c.add(kinds.FUTURE_DATE, ("period", "start"), start=start)
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
                kinds.UNKNOWN_METHODOLOGY,
                ("methodology",),
                methodology=methodology,
                known=", ".join(sorted(rubrics)),
            )
    scripts = _check_unique_ids(c, data.get("scripts"), "scripts", kinds.DUPLICATE_SCRIPT)
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


def _check_unique_ids(c: _Checker, items: Any, key: str, kind: ProblemKind) -> frozenset[str]:
    """Each ``id`` of a list once; the second one is the problem, naming the first.

    Returns the ids found.
    """
    seen: dict[str, int] = {}
    for i, item in _items(items):
        ident = _d(item, "id")
        if isinstance(ident, str):
            if ident in seen:
                c.add(kind, (key, i, "id"), id=ident, first=seen[ident])
            seen.setdefault(ident, i)
    return frozenset(seen)


def _check_zone(c: _Checker, tz: str, path: Path) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        c.add(kinds.UNKNOWN_TIMEZONE, path, tz=tz)


def _check_open_close(c: _Checker, entry: Any, path: Path) -> None:
    opens, closes = _d(entry, "open"), _d(entry, "close")
    if isinstance(opens, str) and isinstance(closes, str) and opens >= closes:
        c.add(kinds.HOURS_ORDER, (*path, "close"), closes=closes, opens=opens)


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
        c.add(kinds.SLUG_MISMATCH, ("slug",), slug=slug, stem=file_stem)
    if isinstance(slug, str) and slug.split(".")[0].casefold() in WINDOWS_DEVICES:
        c.add(kinds.RESERVED_SLUG, ("slug",), slug=slug)
    if (
        data.get("fictional") is False
        and website_domain(data.get("website"))
        and str(website_domain(data.get("website"))).endswith(".example")
    ):
        c.add(kinds.FICTIONAL_DOMAIN, ("fictional",))
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
            c.add(kinds.PERSONAL_DATA, path, where=where, what=found.what, found=found.found)


def _check_audit(
    c: _Checker,
    audit: dict[str, Any],
    at: Path,
    editions: dict[str, _EditionInfo],
    seen_editions: dict[str, int],
    slug: Any,
    now: datetime,
) -> None:
    edition = _audit_edition(c, audit.get("edition"), at, editions, seen_editions)
    started = c.date(audit.get("started"), (*at, "started"))
    ended = c.date(audit.get("ended"), (*at, "ended"))
    if started and ended and ended < started:
        c.add(kinds.AUDIT_ORDER, (*at, "ended"), ended=ended, started=started)
    c.date(audit.get("verified"), (*at, "verified"))
    _check_support_hours(c, audit.get("support_hours"), (*at, "support_hours"))
    offered = _check_channels(c, audit.get("channels"), (*at, "channels"))
    context = _AuditContext(edition, offered, slug, started, ended, now)
    for p, probe in _items(audit.get("probes")):
        if isinstance(probe, dict):
            _check_probe(_Probe(c, probe, (*at, "probes", p), context))
            _check_offsets(c, probe, (*at, "probes", p), edition)
    _check_limits(c, audit, at, edition)


def _audit_edition(
    c: _Checker,
    eid: Any,
    at: Path,
    editions: dict[str, _EditionInfo],
    seen_editions: dict[str, int],
) -> _EditionInfo | None:
    """The audited edition: one that exists, audited once by the company."""
    if not isinstance(eid, str):
        return None
    edition = editions.get(eid)
    if edition is None:
        c.add(
            kinds.UNKNOWN_EDITION,
            (*at, "edition"),
            edition=eid,
            suggestion=_did_you_mean(eid, editions),
        )
    if eid in seen_editions:
        c.add(kinds.DUPLICATE_AUDIT, (*at, "edition"), edition=eid, first=seen_editions[eid])
    seen_editions.setdefault(eid, int(at[-1]))
    return edition


def _check_support_hours(c: _Checker, hours: Any, path: Path) -> None:
    """An audit's support hours: a real time zone, each day closing after it opens."""
    if not isinstance(hours, dict):
        return
    tz = hours.get("timezone")
    if isinstance(tz, str):
        _check_zone(c, tz, (*path, "timezone"))
    for s, entry in _items(hours.get("schedule")):
        _check_open_close(c, entry, (*path, "schedule", s))


# Channel facts that belong to one channel type only: field → that type.
_CHANNEL_FIELDS = (("proactive", "live_chat"), ("handoff", "chatbot"), ("follows_up", "chatbot"))


def _check_channels(c: _Checker, channels: Any, at: Path) -> dict[str, int]:
    """The audit's channels, each type once with its own facts; type → first index."""
    offered: dict[str, int] = {}
    for i, channel in _items(channels):
        ctype = _d(channel, "type")
        if not isinstance(ctype, str):
            continue
        cpath = (*at, i)
        if ctype in offered:
            c.add(kinds.DUPLICATE_CHANNEL, (*cpath, "type"), channel=ctype, first=offered[ctype])
        offered.setdefault(ctype, i)
        for key, applies in _CHANNEL_FIELDS:
            if _d(channel, key) is not None and ctype != applies:
                c.add(
                    kinds.FIELD_FOR_OTHER_CHANNEL,
                    (*cpath, key),
                    field=key,
                    applies=applies,
                    channel=ctype,
                )
        declared = _d(channel, "declared_response_time")
        _check_duration(c, _d(declared, "duration"), (*cpath, "declared_response_time", "duration"))
    return offered


def _check_duration(c: _Checker, value: Any, path: Path) -> None:
    if not isinstance(value, str) or not DURATION_FORM.match(value):
        return  # the schema reports the format
    parsed = parse_duration(value)
    if parsed is None or parsed <= timedelta(0):
        c.add(kinds.INVALID_DURATION, path, value=value)


@dataclass(frozen=True, slots=True)
class _AuditContext:
    """What the probes of one audit are checked against."""

    edition: _EditionInfo | None
    offered: dict[str, int]  # the audit's channel types → their index
    slug: Any  # the company's slug, as written
    started: date | None
    ended: date | None
    now: datetime


@dataclass(slots=True)
class _Probe:
    """One probe under check; the rules that read its times note them for the later ones."""

    c: _Checker
    probe: dict[str, Any]
    at: Path
    audit: _AuditContext
    sent: datetime | None = None  # sent_at, once read
    first_at: datetime | None = None  # first_response.at, once read

    @property
    def edition(self) -> _EditionInfo | None:
        return self.audit.edition

    @property
    def answered(self) -> bool:
        """A person answered: the first reply was a person's, or a human reply followed."""
        first_by = _d(self.probe.get("first_response"), "by")
        return first_by == _HUMAN or isinstance(self.probe.get("human_response"), dict)


def _rule_channel_offered(p: _Probe) -> None:
    channel = p.probe.get("channel")
    if isinstance(channel, str) and channel not in p.audit.offered:
        offered = ", ".join(p.audit.offered) or "no channels listed"
        p.c.add(kinds.CHANNEL_NOT_OFFERED, (*p.at, "channel"), channel=channel, offered=offered)


def _rule_script_known(p: _Probe) -> None:
    script, edition = p.probe.get("script"), p.edition
    if isinstance(script, str) and edition is not None and script not in edition.scripts:
        p.c.add(
            kinds.UNKNOWN_SCRIPT,
            (*p.at, "script"),
            script=script,
            edition=edition.id,
            suggestion=_did_you_mean(script, edition.scripts),
        )


def _rule_sent_at(p: _Probe) -> None:
    p.sent = p.c.timestamp(p.probe.get("sent_at"), (*p.at, "sent_at"), p.audit.now)


def _rule_sent_in_period(p: _Probe) -> None:
    edition = p.edition
    if p.sent is None or edition is None or not edition.start or not edition.end:
        return
    local = p.sent.date()
    if not edition.start <= local <= edition.end:
        p.c.add(
            kinds.OUTSIDE_PERIOD,
            (*p.at, "sent_at"),
            sent=local,
            start=edition.start,
            end=edition.end,
        )


def _rule_sent_in_audit(p: _Probe) -> None:
    started, ended = p.audit.started, p.audit.ended
    if p.sent is not None and started and ended and not started <= p.sent.date() <= ended:
        p.c.add(
            kinds.OUTSIDE_AUDIT,
            (*p.at, "sent_at"),
            sent=p.sent.date(),
            started=started,
            ended=ended,
        )


def _rule_reply_times(p: _Probe) -> None:
    for key in _TIMESTAMPED:
        when = p.c.timestamp(_d(p.probe.get(key), "at"), (*p.at, key, "at"), p.audit.now)
        if key == "first_response":
            p.first_at = when
        if when is not None and p.sent is not None and when < p.sent:
            p.c.add(
                kinds.RESPONSE_BEFORE_QUESTION,
                (*p.at, key, "at"),
                sent_at=p.probe.get("sent_at"),
            )


def _rule_human_response(p: _Probe) -> None:
    human, first = p.probe.get("human_response"), p.probe.get("first_response")
    if not isinstance(human, dict):
        return
    if _d(first, "by") == _HUMAN or not isinstance(first, dict):
        p.c.add(kinds.HUMAN_RESPONSE_MISPLACED, (*p.at, "human_response"))
    human_at = parse_timestamp(human.get("at"))
    if human_at and p.first_at and human_at < p.first_at:
        p.c.add(kinds.RESPONSE_ORDER, (*p.at, "human_response", "at"))


def _rule_promised_duration(p: _Probe) -> None:
    promised = _d(p.probe.get("acknowledgement"), "promised")
    _check_duration(p.c, promised, (*p.at, "acknowledgement", "promised"))


def _rule_quality(p: _Probe) -> None:
    quality = p.probe.get("quality")
    if not isinstance(quality, dict):
        return
    if not p.answered:
        p.c.add(kinds.QUALITY_WITHOUT_ANSWER, (*p.at, "quality"))
    rubric = p.edition.rubric if p.edition else None
    if rubric is None:
        return
    for item in quality:
        if item not in rubric:
            p.c.add(
                kinds.UNKNOWN_RUBRIC_ITEM,
                (*p.at, "quality", item),
                item=item,
                suggestion=_did_you_mean(str(item), rubric),
            )


def _rule_complete_marks(p: _Probe) -> None:
    _check_complete_marks(p.c, p.probe, p.at, p.edition, p.answered)


def _rule_redirect(p: _Probe) -> None:
    if p.probe.get("redirected_to") is not None and p.probe.get("first_response") is None:
        p.c.add(kinds.REDIRECT_WITHOUT_ANSWER, (*p.at, "redirected_to"))


def _rule_marketing(p: _Probe) -> None:
    marketing = p.probe.get("marketing_after_no_answer")
    counted = isinstance(marketing, int) and not isinstance(marketing, bool) and marketing > 0
    if counted and p.answered:
        p.c.add(kinds.MARKETING_AFTER_ANSWER, (*p.at, "marketing_after_no_answer"))


def _rule_evidence(p: _Probe) -> None:
    slug = p.audit.slug
    for e, path in _items(p.probe.get("evidence")):
        if not isinstance(path, str):
            continue
        parts = path.split("/")
        if any(part in (".", "..") for part in parts) or (
            isinstance(slug, str) and len(parts) > 1 and parts[1] != slug
        ):
            p.c.add(kinds.EVIDENCE_PATH, (*p.at, "evidence", e), file=path, slug=slug)


# The rules of a probe, in the order its problems are reported. A rule that reads a time
# (sent_at, the replies' times) notes it on the probe for the rules after it.
_PROBE_RULES = (
    _rule_channel_offered,
    _rule_script_known,
    _rule_sent_at,
    _rule_sent_in_period,
    _rule_sent_in_audit,
    _rule_reply_times,
    _rule_human_response,
    _rule_promised_duration,
    _rule_quality,
    _rule_complete_marks,
    _rule_redirect,
    _rule_marketing,
    _rule_evidence,
)


def _check_probe(p: _Probe) -> None:
    """Every rule of a probe, in order."""
    for rule in _PROBE_RULES:
        rule(p)


def _check_complete_marks(
    c: _Checker, probe: dict[str, Any], at: Path, edition: _EditionInfo | None, answered: bool
) -> None:
    """With `quality_marks: complete`: every rubric item marked on an answered probe."""
    if edition is None or edition.complete_marks is None or not answered:
        return
    version, items = edition.complete_marks
    quality = probe.get("quality")
    if quality is None:
        c.add(kinds.QUALITY_MARKS_MISSING, at, version=version, items=", ".join(items))
        return
    if not isinstance(quality, dict):
        return  # the schema reports it
    missing = [item for item in items if item not in quality]
    if missing:
        c.add(
            kinds.QUALITY_MARKS_INCOMPLETE,
            (*at, "quality"),
            version=version,
            count=len(missing),
            items_are=_items_are(len(missing)),
            missing=", ".join(missing),
        )
    elif all(quality[item] == "n/a" for item in items):
        c.add(kinds.NO_RUBRIC_ITEM_APPLIES, (*at, "quality"), first=items[0])


def _items_are(n: int) -> str:
    """'item is' or 'items are', for ``n`` rubric items."""
    return "items are" if n > 1 else "item is"


class Checked(Protocol):
    """Company files found clean before (benchmark/cache.py CheckedCache), by key."""

    def key(self, file: str, raw: bytes | None) -> str | None:
        """The key of a file with these bytes in this run's context, or None."""

    def clean(self, key: str) -> bool:
        """True when the file with this key had no problem of its own."""

    def put(self, key: str) -> None:
        """Remember that the file with this key has no problem of its own."""


def _own_problems(
    doc: Document, checked: Checked | None, check: Callable[[Document], list[Problem]]
) -> list[Problem]:
    """A parsed file's own problems (``check``); none when ``checked`` found it clean."""
    key = checked.key(doc.file, doc.source) if checked is not None else None
    if key is not None and checked is not None and checked.clean(key):
        return []
    found = check(doc)
    if key is not None and checked is not None and not found:
        checked.put(key)
    return found


def _companies_own(
    docs: list[Document], checked: Checked | None, check: Callable[[Document], list[Problem]]
) -> list[list[Problem]]:
    """Each parsed company file's own problems (:func:`_own_problems`), in order.

    Many files to check are checked in two processes (benchmark/fanout.py): each check
    reads its file and what was read before only.
    """
    keys = [
        checked.key(doc.file, doc.source) if checked is not None and doc.ok else None
        for doc in docs
    ]
    found: list[list[Problem]] = [[] for _ in docs]
    todo = [
        i
        for i, (doc, key) in enumerate(zip(docs, keys, strict=True))
        if doc.ok and not (key is not None and checked is not None and checked.clean(key))
    ]

    def own(k: int) -> list[Problem]:
        doc = docs[todo[k]]
        return schema_problems("company", doc) + check(doc)

    for i, problems in zip(todo, fanout.fan_out(own, len(todo)), strict=True):
        found[i] = problems
        key = keys[i]
        if key is not None and checked is not None and not problems:
            checked.put(key)
    return found


def validate(
    dataset: Dataset,
    now: datetime,
    only: set[str] | None = None,
    checked: Checked | None = None,
) -> list[Problem]:
    """Every problem in the dataset; with ``only``, just those in the named files.

    Cross-file checks (unique slugs and domains, editions that exist) always see the
    whole dataset, so a change to one file is checked against all the others. With
    ``checked``, a company file found clean before in the same context is not checked
    again on its own (the cross-file checks still run).
    """
    problems: list[Problem] = []

    def wanted(doc: Document) -> bool:
        return only is None or doc.file in only

    for doc in dataset.methodologies:
        if wanted(doc):
            problems.extend(doc.problems)
            if doc.ok:
                problems.extend(
                    _own_problems(
                        doc,
                        checked,
                        lambda d: schema_problems("methodology", d) + _check_methodology(d),
                    )
                )
    rubrics = _rubric_by_version([d for d in dataset.methodologies if d.ok])
    complete = _complete_marks_by_version([d for d in dataset.methodologies if d.ok])
    editions: dict[str, _EditionInfo] = {}
    for doc in dataset.editions:
        found = list(doc.problems)
        if doc.ok:
            found += _own_problems(doc, checked, lambda d: schema_problems("edition", d))
            more, info = _check_edition(doc, rubrics, now)
            found += more
            if info is not None:
                editions.setdefault(info.id, _with_marks_rule(info, doc, complete))
        if wanted(doc):
            problems.extend(found)
    shared = _shared_keys([d for d in dataset.companies if d.ok])
    alike = _lookalikes([d for d in dataset.companies if d.ok])
    drafts = {_d(d.data, "id") for d in dataset.editions if _d(d.data, "status") == "draft"}
    companies = [doc for doc in dataset.companies if wanted(doc)]
    own = _companies_own(companies, checked, lambda d: _check_company(d, editions, now))
    for doc, found in zip(companies, own, strict=True):
        problems.extend(doc.problems)
        if doc.ok:
            problems.extend(found)
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
            c.add(
                kinds.QUALITY_TO_REVIEW_DRAFT if draft else kinds.QUALITY_TO_REVIEW,
                ("audits", a, "probes", p, "quality"),
                count=len(pending),
                items_are=_items_are(len(pending)),
                pending=", ".join(pending),
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
        c.add(kinds.DUPLICATE_SLUG, ("slug",), slug=slug, others=", ".join(others))
    domain = website_domain(_d(doc.data, "website"))
    if domain and ("domain", domain) in shared:
        others = [f for f in shared[("domain", domain)] if f != doc.file]
        c.add(kinds.DUPLICATE_DOMAIN, ("website",), domain=domain, others=", ".join(others))
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
            kinds.TOO_MANY_PROBES,
            (*at, "probes", probes[limits.probes_per_audit][0]),
            count=len(probes),
            where=where,
            limit=limits.probes_per_audit,
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
                kinds.TOO_MANY_PROBES_ON_CHANNEL,
                (*at, "probes", indices[limits.probes_per_channel], "channel"),
                count=len(indices),
                channel=channel,
                where=where,
                limit=limits.probes_per_channel,
            )
    for indices in same.values():
        if len(indices) > limits.identical_probes:
            c.add(
                kinds.REPEATED_PROBE,
                (*at, "probes", indices[limits.identical_probes]),
                first=indices[0],
                copies=len(indices),
                allowed=limits.identical_probes,
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
            kinds.UNKNOWN_SECTOR,
            ("sector",),
            sector=sector,
            edition=edition.id,
            suggestion=_did_you_mean(sector, edition.sectors),
            file=edition.file,
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
    c.add(kinds.UNKNOWN_COUNTRY, ("country",), country=country, suggestion=hint)


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
            kinds.OFFSET_NOT_EDITION_ZONE,
            (*at, *rest),
            actual=_offset(actual),
            zone=edition.zone.key,
            day=local.date(),
            want=want,
            clock=clock,
            local=local.isoformat(),
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
        c.add(kinds.INVALID_DOMAIN, ("website",), host=host)
        return
    for finding in lookalike.domain_findings(host, domain):
        ascii_form = idna.encode(domain, uts46=True).decode()
        c.add(
            kinds.CONFUSABLE_DOMAIN, ("website",), domain=domain, ascii=ascii_form, finding=finding
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
                    kinds.CONFUSABLE_DOMAINS, ("website",), domain=domain, others="; ".join(others)
                )
                out.setdefault(file, []).extend(c.problems)
    for group_names in names.values():
        if len(group_names) < 2:
            continue
        for file, name in group_names:
            others = sorted(f for f, _n in group_names if f != file)
            c = _Checker(by_file[file])
            c.add(kinds.DUPLICATE_NAME, ("name",), name=name, others=", ".join(others))
            out.setdefault(file, []).extend(c.problems)
    return out
