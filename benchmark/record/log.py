"""`ccr import log`: probes of channels without mail (chat, phone, callback, social) from a CSV.

One row per probe, with a header row naming the columns (any order, any case):

| column | what |
|---|---|
| company | the company's slug, name or website domain (required) |
| channel | live_chat, phone, web_callback, facebook … (required) |
| sent | when the question was sent (required) |
| script | the script id; may stay empty when the edition has one for the company's sector |
| first_reply | when the first reply of any kind came; empty when none came |
| by | who gave that first reply: human, bot or auto_reply |
| human_reply | when a person replied after a bot or an auto-reply |
| notes | what else happened, without naming the company's staff |
| promised | optional: the reply time a bot or auto-reply promised (PT24H, 24h, 2d) |

A spreadsheet saved as CSV by Excel or LibreOffice is read as it comes: UTF-8 with or
without a byte-order mark, separated by commas, semicolons or tabs, dates as
``2026-09-02 10:15``, ``02.09.2026 10:15``, ``2/9/2026 10:15`` (day first; month first in a US
market) or with an offset. Times without an offset are the edition's. Every cell is checked
and every problem reported as ``file.csv:LINE:COLUMN: column: message — hint: …`` before
anything is written. A row already recorded (same company, channel, script and sent time)
is skipped, so a log can be imported again as it grows.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .. import problem_kinds
from ..errors import UsageError
from ..problems import Problem
from ..validate import channel_types
from ..values import website_domain
from .probes import Edition, choose_script, quality_to_review
from .when import BadMoment, parse_moment, stamp

COLUMNS = (
    "company",
    "channel",
    "sent",
    "script",
    "first_reply",
    "by",
    "human_reply",
    "notes",
    "promised",
)
REQUIRED = ("company", "channel", "sent")
TEMPLATE = "company,channel,sent,script,first_reply,by,human_reply,notes\n"
_ALIASES = {
    "slug": "company",
    "sent_at": "sent",
    "first_response": "first_reply",
    "by_whom": "by",
    "first_reply_by": "by",
    "reply_by_a_person": "human_reply",
    "human_response": "human_reply",
    "person_reply": "human_reply",
    "note": "notes",
}
_BY = {
    "human": "human",
    "person": "human",
    "bot": "bot",
    "chatbot": "bot",
    "auto_reply": "auto_reply",
    "auto-reply": "auto_reply",
    "autoreply": "auto_reply",
    "auto reply": "auto_reply",
}
_SIMPLE_DURATION = re.compile(r"([0-9]+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)\Z")
_DURATION = re.compile(r"P(?!\Z)([0-9]+D)?(T(?!\Z)([0-9]+H)?([0-9]+M)?)?\Z")


@dataclass(frozen=True, slots=True)
class LogRow:
    """One probe read from a log: where it came from and what it says."""

    line: int
    file: str  # the company file
    probe: dict[str, Any]


@dataclass(slots=True)
class Companies:
    """Company files found by slug, name or website domain."""

    by_key: dict[str, str]
    data: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, docs: list[Any]) -> Companies:
        """Index the readable company documents."""
        by_key: dict[str, str] = {}
        data: dict[str, dict[str, Any]] = {}
        for doc in docs:
            if not isinstance(doc.data, dict):
                continue
            data[doc.file] = doc.data
            for key in (
                doc.data.get("slug"),
                doc.data.get("name"),
                website_domain(doc.data.get("website")),
            ):
                if isinstance(key, str):
                    by_key.setdefault(key.casefold(), doc.file)
        return cls(by_key, data)

    def find(self, value: str) -> str | None:
        """The file of the company named by slug, name, domain or website."""
        key = value.strip().casefold()
        return self.by_key.get(key) or self.by_key.get(website_domain(key) or "\0")


def _column(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def parse_duration_text(value: str) -> str | None:
    """``PT24H``, ``24h``, ``2 days``, ``30 min`` → an ISO 8601 duration; None otherwise."""
    text = value.strip()
    if _DURATION.match(text.upper()) and text.upper() not in ("P", "PT"):
        return text.upper()
    m = _SIMPLE_DURATION.match(text.lower())
    if not m or int(m[1]) == 0:
        return None
    unit = m[2][0]
    return (
        f"PT{int(m[1])}M" if unit == "m" else f"PT{int(m[1])}H" if unit == "h" else f"P{int(m[1])}D"
    )


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The CSV's text (a byte-order mark dropped); a problem when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                problem_kinds.CSV_ENCODING.id,
                name,
                line,
                1,
                "",
                "the file is not UTF-8 text",
                "save it as 'CSV UTF-8' (Excel) or with the character set "
                "Unicode (UTF-8) (LibreOffice)",
            )
        ]


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


class _Row:
    """The cells of one record, each reported by its line and column."""

    def __init__(self, name: str, line: int, cells: list[str], where: dict[str, int]) -> None:
        self.name, self.line, self.cells, self.where = name, line, cells, where
        self.problems: list[Problem] = []

    def get(self, column: str) -> str:
        i = self.where.get(column)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def add(self, column: str, message: str, hint: str) -> None:
        col = self.where.get(column, 0) + 1
        self.problems.append(
            Problem(problem_kinds.LOG_CELL.id, self.name, self.line, col, column, message, hint)
        )


def read_log(
    name: str, raw: bytes, edition: Edition, companies: Companies, now: datetime
) -> tuple[list[LogRow], list[Problem]]:
    """Every probe of a log, or the problems of every cell that cannot be one."""
    text, problems = decode(name, raw)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [
            Problem(
                problem_kinds.CSV_UNREADABLE.id,
                name,
                1,
                1,
                "",
                f"not CSV: {error}",
                "save the sheet as CSV",
            )
        ]
    if not header or not any(h.strip() for h in header):
        return [], [
            Problem(
                problem_kinds.LOG_HEADER_EMPTY.id,
                name,
                1,
                1,
                "",
                "the first row names no columns",
                "start with the header row: " + TEMPLATE.strip(),
            )
        ]
    where, problems = _header(name, header)
    if problems:
        return [], problems
    return _rows(name, reader, where, _Context(edition, companies, now))


def _header(name: str, header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """The index of each known column, and the problems of the header row."""
    problems: list[Problem] = []
    where: dict[str, int] = {}
    for i, cell in enumerate(header):
        column = _column(cell)
        if not column:
            continue
        if column not in COLUMNS:
            close = difflib.get_close_matches(column, COLUMNS, n=1)
            problems.append(
                Problem(
                    problem_kinds.LOG_HEADER_UNKNOWN.id,
                    name,
                    1,
                    i + 1,
                    "",
                    f"unknown column {cell.strip()!r}",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "the columns are: " + ", ".join(COLUMNS),
                )
            )
        elif column in where:
            problems.append(
                Problem(
                    problem_kinds.LOG_HEADER_TWICE.id,
                    name,
                    1,
                    i + 1,
                    "",
                    f"column {column!r} is named twice",
                    f"keep one (the first is column {where[column] + 1})",
                )
            )
        else:
            where[column] = i
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        problems.append(
            Problem(
                problem_kinds.LOG_HEADER_MISSING.id,
                name,
                1,
                1,
                "",
                f"no {', '.join(missing)} column",
                "the header row names at least company, channel and sent",
            )
        )
    return where, problems


@dataclass(frozen=True, slots=True)
class _Context:
    """What every row of a log is read against."""

    edition: Edition
    companies: Companies
    now: datetime


def _rows(
    name: str, reader: Any, where: dict[str, int], context: _Context
) -> tuple[list[LogRow], list[Problem]]:
    """The probes of the rows after the header, and the problems of their cells."""
    problems: list[Problem] = []
    rows: list[LogRow] = []
    line = 1
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            row = _Row(name, start, cells, where)
            made = _probe(row, context)
            problems += row.problems
            if made is not None and not row.problems:
                rows.append(LogRow(start, made[0], made[1]))
    except csv.Error as error:
        problems.append(
            Problem(
                problem_kinds.CSV_SYNTAX.id,
                name,
                reader.line_num,
                1,
                "",
                f"not CSV: {error}",
                "check the quotes on this line",
            )
        )
    return rows, problems


@dataclass(frozen=True, slots=True)
class _Replies:
    """When a row's question left, and who replied when."""

    sent: datetime | None
    first: datetime | None
    by: str | None
    human: datetime | None


def _probe(row: _Row, context: _Context) -> tuple[str, dict[str, Any]] | None:
    """The company file and the probe a row describes (its problems go to ``row``)."""
    edition, companies, now = context.edition, context.companies, context.now
    file = _company(row, edition, companies)
    channel = _channel(row)
    replies = _Replies(
        sent=_moment(row, "sent", edition, now, required=True),
        first=_moment(row, "first_reply", edition, now),
        human=_moment(row, "human_reply", edition, now),
        by=_BY.get(row.get("by").lower()),
    )
    _check_who(row, replies)
    _check_order(row, replies, edition)
    promised = _promised(row, replies.by)
    script = row.get("script")
    if file is not None and not row.problems:
        script = _script(row, edition, companies.data[file], script)
    if row.problems or file is None or replies.sent is None:
        return None
    return file, _probe_data(row, edition, channel, script, replies.sent, replies, promised)


def _company(row: _Row, edition: Edition, companies: Companies) -> str | None:
    """The company file the row names; a problem when none, or when it is not in the edition."""
    company = row.get("company")
    file = companies.find(company) if company else None
    if not company:
        row.add("company", "no company", "give its slug, name or website domain")
    elif file is None:
        close = difflib.get_close_matches(company.casefold(), list(companies.by_key), n=1)
        row.add(
            "company",
            f"no company {company!r}",
            f"did you mean {close[0]!r}?"
            if close
            else "give its slug (the file name in "
            "data/companies/), name or website domain; a new company is added with ccr "
            "audit add --new",
        )
    elif not any(
        isinstance(a, dict) and a.get("edition") == edition.id
        for a in companies.data[file].get("audits") or []
    ):
        slug = companies.data[file].get("slug")
        row.add(
            "company",
            f"{slug} is not in edition {edition.id}",
            f"add it first: ccr audit add {slug} --edition {edition.id}",
        )
    return file


def _channel(row: _Row) -> str:
    """The row's channel type; a problem when it is none of the company schema's."""
    channel = row.get("channel").lower().replace(" ", "_").replace("-", "_")
    if channel not in channel_types():
        close = difflib.get_close_matches(channel, channel_types(), n=1)
        row.add(
            "channel",
            f"no channel {row.get('channel')!r}",
            f"did you mean {close[0]!r}?" if close else "one of: " + ", ".join(channel_types()),
        )
    return channel


def _check_who(row: _Row, replies: _Replies) -> None:
    """Who replied first agrees with the reply times given."""
    first, by, human = replies.first, replies.by, replies.human
    if row.get("by") and by is None:
        row.add("by", f"{row.get('by')!r} is not who replied", "write human, bot or auto_reply")
    elif first is not None and by is None:
        row.add("by", "who gave the first reply?", "write human, bot or auto_reply")
    elif first is None and by is not None:
        row.add(
            "by",
            f"{by} replied, but first_reply is empty",
            "give the time of the first reply, or leave by empty",
        )
    if human is not None and by == "human":
        row.add(
            "human_reply",
            "the first reply was already by a person",
            "give human_reply only when a bot or an auto-reply answered first",
        )
    if human is not None and first is None:
        row.add(
            "human_reply",
            "a person replied, but first_reply is empty",
            "the first reply of any kind goes to first_reply",
        )


def _check_order(row: _Row, replies: _Replies, edition: Edition) -> None:
    """The question comes before the replies, and the first reply before a person's."""
    sent, first, human = replies.sent, replies.first, replies.human
    for column, moment in (("first_reply", first), ("human_reply", human)):
        if moment is not None and sent is not None and moment < sent:
            row.add(
                column,
                f"earlier than sent ({stamp(sent, edition.zone)})",
                "a reply cannot come before the question; check the date and hour",
            )
    if human is not None and first is not None and human < first:
        row.add(
            "human_reply",
            "earlier than first_reply",
            "first_reply is the first reply of any kind; swap the two",
        )


def _promised(row: _Row, by: str | None) -> str | None:
    """The reply time a bot or an auto-reply promised, as an ISO 8601 duration."""
    promised = None
    if row.get("promised"):
        promised = parse_duration_text(row.get("promised"))
        if promised is None:
            row.add(
                "promised",
                f"{row.get('promised')!r} is not a duration",
                "write it as PT24H, 24h, 2d or 30min",
            )
        elif by not in ("bot", "auto_reply"):
            row.add(
                "promised",
                "a promise is recorded, but no bot or auto-reply replied first",
                "put a promise a person made in notes",
            )
    return promised


def _script(row: _Row, edition: Edition, company: dict[str, Any], script: str) -> str:
    """The script sent: the row's, or the edition's only one for the company's sector."""
    try:
        return choose_script(edition, company, script or None, "")
    except UsageError as error:
        row.add("script", error.message.removeprefix(": "), error.hint)
        return script


def _probe_data(
    row: _Row,
    edition: Edition,
    channel: str,
    script: str,
    sent: datetime,
    replies: _Replies,
    promised: str | None,
) -> dict[str, Any]:
    """The probe a valid row describes, as it is written into the company file."""
    first, by, human = replies.first, replies.by, replies.human
    probe: dict[str, Any] = {
        "channel": channel,
        "script": script,
        "sent_at": stamp(sent, edition.zone),
    }
    if first is not None and by in ("auto_reply", "bot") and (by == "auto_reply" or promised):
        probe["acknowledgement"] = {"at": stamp(first, edition.zone)}
        if promised:
            probe["acknowledgement"]["promised"] = promised
    probe["first_response"] = (
        None if first is None else {"at": stamp(first, edition.zone), "by": by}
    )
    if human is not None:
        probe["human_response"] = {"at": stamp(human, edition.zone)}
    if (by == "human" or human is not None) and edition.rubric:
        probe["quality"] = quality_to_review(edition.rubric)
    if row.get("notes"):
        probe["notes"] = " ".join(row.get("notes").split())
    return probe


def _moment(
    row: _Row, column: str, edition: Edition, now: datetime, required: bool = False
) -> datetime | None:
    value = row.get(column)
    if not value:
        if required:
            row.add(column, "empty", "give the date and time, e.g. 2026-09-02 10:15")
        return None
    if value.lower() == "now" or not re.search(r"[0-9][./-][0-9]", value):
        row.add(column, f"{value} has no date", "give the date and time, e.g. 2026-09-02 10:15")
        return None
    try:
        moment = parse_moment(value, edition.zone, now, month_first=edition.month_first)
    except BadMoment as error:
        row.add(column, error.message, error.hint)
        return None
    if moment > now:
        row.add(
            column,
            f"{stamp(moment, edition.zone)} is in the future",
            "record only what has happened; check the year",
        )
        return None
    period = edition.data.get("period") or {}
    local = moment.astimezone(edition.zone).date()
    try:
        first, last = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    except (KeyError, TypeError, ValueError):
        return moment
    if column == "sent" and not first <= local <= last:
        row.add(
            column,
            f"sent on {local}, outside the edition period ({first} to {last})",
            "check the date, or import the row into the right edition",
        )
    return moment


def log_ops(
    rows: list[LogRow], companies: Companies, edition: Edition
) -> tuple[dict[str, list[Any]], list[LogRow]]:
    """The insertions per company file, and the rows already recorded (skipped)."""
    from .probes import audit_of, channel_ops
    from .yamltext import Append

    ops: dict[str, list[Any]] = {}
    skipped: list[LogRow] = []
    for file in dict.fromkeys(r.file for r in rows):
        data = companies.data[file]
        a = audit_of(data, file, edition.id)
        known = {
            (p.get("channel"), p.get("script"), p.get("sent_at"))
            for p in data["audits"][a].get("probes") or []
            if isinstance(p, dict)
        }
        new = []
        for row in (r for r in rows if r.file == file):
            key = (row.probe["channel"], row.probe["script"], row.probe["sent_at"])
            if key in known:
                skipped.append(row)
            else:
                known.add(key)
                new.append(row.probe)
        if new:
            ops[file] = [
                *channel_ops(data, a, [p["channel"] for p in new]),
                Append(("audits", a, "probes"), tuple(new)),
            ]
    return ops, skipped
