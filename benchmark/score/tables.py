"""Flatten validated documents into tables (one row per company, audit, channel, probe).

This is the only place that walks documents; everything after works on whole columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..load import Document
from ..methodology import Methodology
from ..values import WEEKDAYS, parse_duration, website_domain


@dataclass(frozen=True, slots=True)
class Tables:
    """The data as tables: companies, audits, channels and probes."""

    companies: pd.DataFrame
    audits: pd.DataFrame
    channels: pd.DataFrame
    probes: pd.DataFrame
    editions: pd.DataFrame


def edition_ends(editions: pd.DataFrame) -> dict[str, str]:
    """Edition id → period end, from the editions table: what ``values.edition_order`` sorts."""
    return {str(e): str(end) for e, end in zip(editions["edition"], editions["end"], strict=True)}


def _seconds(value: Any) -> float | None:
    parsed = parse_duration(value)
    return parsed.total_seconds() if parsed is not None else None


def schedule_key(timezone: str, schedule: Sequence[dict[str, Any]]) -> str:
    """A canonical text for a weekly schedule: ``Europe/Warsaw|mon 09:00-17:00;…``."""
    parts = []
    for entry in schedule:
        for day in entry["days"]:
            parts.append((WEEKDAYS.index(day), f"{day} {entry['open']}-{entry['close']}"))
    return timezone + "|" + ";".join(text for _, text in sorted(parts))


_COMPANY_COLUMNS = (
    "slug",
    "name",
    "website",
    "domain",
    "sector",
    "country",
    "languages",
    "helpdesk",
    "helpdesk_system",
    "fictional",
    "file",
    "corrections",
    "has_statement",
)
_AUDIT_COLUMNS = (
    "slug",
    "edition",
    "started",
    "ended",
    "verified",
    "hours_published",
    "schedule",
    "channels_offered",
    "families_offered",
    "channel_types",
)
_CHANNEL_COLUMNS = (
    "slug",
    "edition",
    "type",
    "family",
    "proactive",
    "handoff",
    "follows_up",
    "declared_seconds",
    "declared_where",
)
_PROBE_COLUMNS = (
    "slug",
    "edition",
    "probe",
    "channel",
    "family",
    "script",
    "sent_at",
    "first_at",
    "first_by",
    "human_at",
    "ack_at",
    "ack_promised_seconds",
    "declared_seconds",
    "chatbot_ok",
    "country",
    "redirected_to",
    "marketing",
    "evidence",
    "schedule",
)
# A rubric item the probe's methodology does not have: what pandas fills a missing key with.
_ABSENT = np.nan


def _frame(rows: list[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    """A table from row tuples; no rows, no columns (as a frame of no records is).

    Rows are tuples, not dicts (the same values, the same dtypes pandas infers for them):
    at 10,000 companies a dict a row cost more than the walk itself.
    """
    return pd.DataFrame(rows, columns=list(columns)) if rows else pd.DataFrame()


def _edition_rows(editions: Sequence[Document]) -> list[dict[str, Any]]:
    rows = []
    for doc in editions:
        e = doc.data
        hours = e["business_hours"]
        rows.append(
            {
                "edition": e["id"],
                "title": e["title"],
                "market": e["market"],
                "start": e["period"]["start"],
                "end": e["period"]["end"],
                "methodology": e["methodology"],
                "demo": bool(e["demo"]),
                "timezone": e["timezone"],
                "default_schedule": schedule_key(e["timezone"], [hours]),
                "sectors": ",".join(e["sectors"]),
                "file": doc.file,
                "draft": e.get("status") == "draft",
            }
        )
    return rows


def _mark(mark: Any) -> float | None:
    """A quality mark as a number; "to_review" (a draft's pending mark) counts as not met."""
    if mark is None or mark == "n/a":
        return None
    return 0.0 if mark == "to_review" else float(mark)


class _Walk:
    """The rows of the company, audit, channel and probe tables, as the documents are walked.

    ``rubric`` is every rubric item of the methodologies the probes use, in the order a
    probe first names it (a table's columns); a probe whose methodology lacks an item holds
    :data:`_ABSENT` there.
    """

    def __init__(
        self,
        editions: list[dict[str, Any]],
        method: dict[str, Methodology],
        rubric: tuple[str, ...],
    ) -> None:
        self.method = method
        self.hours = {row["edition"]: row["default_schedule"] for row in editions}
        self.rubric = rubric
        self.items: dict[str, tuple[tuple[str | None, ...], tuple[Any, ...]]] = {}
        self.companies: list[tuple[Any, ...]] = []
        self.audits: list[tuple[Any, ...]] = []
        self.channels: list[tuple[Any, ...]] = []
        self.probes: list[tuple[Any, ...]] = []

    def items_of(self, method: Methodology) -> tuple[tuple[str | None, ...], tuple[Any, ...]]:
        """Its item in each rubric column (None: not in its rubric); a probe's marks if none."""
        found = self.items.get(method.version)
        if found is None:
            own = set(method.rubric)
            items = tuple(item if item in own else None for item in self.rubric)
            blank = tuple(_ABSENT if item is None else None for item in items)
            found = self.items[method.version] = (items, blank)
        return found

    def company(self, doc: Document) -> None:
        c = doc.data
        helpdesk = c.get("helpdesk")
        self.companies.append(
            (
                c["slug"],
                c["name"],
                c["website"],
                website_domain(c["website"]),
                c["sector"],
                c["country"],
                ",".join(c["languages"]),
                None if helpdesk is None else bool(helpdesk["used"]),
                None if helpdesk is None else helpdesk.get("system"),
                bool(c["fictional"]),
                doc.file,
                len(c.get("corrections", [])),
                "statement" in c,
            )
        )
        for audit in c["audits"]:
            self.audit(c, audit)

    def audit(self, c: dict[str, Any], audit: dict[str, Any]) -> None:
        slug, edition = c["slug"], audit["edition"]
        method = self.method[edition]
        hours = audit.get("support_hours")
        schedule = (
            schedule_key(hours["timezone"], hours["schedule"]) if hours else self.hours[edition]
        )
        offered = {ch["type"] for ch in audit["channels"]}
        # a channel whose published address bounced is unreachable: listed (and its probes
        # never answered), but it adds no breadth (methodology v2 on)
        reachable = {
            ch["type"] for ch in audit["channels"] if not (method.pooled and ch.get("bounced"))
        }
        self.audits.append(
            (
                slug,
                edition,
                audit["started"],
                audit["ended"],
                audit.get("verified", audit["ended"]),
                hours is not None,
                schedule,
                len(offered),
                ",".join(sorted({method.families[t] for t in reachable})),
                ",".join(sorted(offered)),
            )
        )
        declared: dict[str, float | None] = {}
        bot_ok: dict[str, bool | None] = {}
        for ch in audit["channels"]:
            known = [ch[k] for k in ("handoff", "follows_up") if ch.get(k) is not None]
            bot_ok[ch["type"]] = any(known) if known else None
            promise = ch.get("declared_response_time")
            declared[ch["type"]] = _seconds(promise["duration"]) if promise else None
            self.channels.append(
                (
                    slug,
                    edition,
                    ch["type"],
                    method.families[ch["type"]],
                    ch.get("proactive"),
                    ch.get("handoff"),
                    ch.get("follows_up"),
                    declared[ch["type"]],
                    promise["where"] if promise else None,
                )
            )
        head = (slug, edition)
        tail = (c["country"],)
        items, blank = self.items_of(method)
        for i, probe in enumerate(audit["probes"]):
            first = probe.get("first_response")
            human = probe.get("human_response")
            ack = probe.get("acknowledgement")
            quality = probe.get("quality")
            channel = probe["channel"]
            self.probes.append(
                (
                    *head,
                    i,
                    channel,
                    method.families[channel],
                    probe["script"],
                    probe["sent_at"],
                    first["at"] if first else None,
                    first["by"] if first else None,
                    (
                        first["at"]
                        if first and first["by"] == "human"
                        else human["at"]
                        if human
                        else None
                    ),
                    ack["at"] if ack else None,
                    _seconds(ack.get("promised")) if ack else None,
                    declared.get(channel),
                    bot_ok.get(channel) if channel == "chatbot" else None,
                    *tail,
                    probe.get("redirected_to"),
                    int(probe.get("marketing_after_no_answer", 0)),
                    len(probe.get("evidence", [])),
                    schedule,
                    *(
                        [_ABSENT if item is None else _mark(quality.get(item)) for item in items]
                        if quality
                        else blank
                    ),
                )
            )


def _rubric_columns(
    companies: Sequence[Document], method: dict[str, Methodology]
) -> tuple[str, ...]:
    """Every rubric item of the audits with probes, in the order a probe first names it."""
    seen: dict[str, None] = {}
    versions: set[str] = set()
    for doc in companies:
        for audit in doc.data["audits"]:
            version = method[audit["edition"]].version
            if version not in versions and audit["probes"]:
                versions.add(version)
                seen.update(dict.fromkeys(method[audit["edition"]].rubric))
    return tuple(seen)


def build_tables(
    companies: Sequence[Document],
    editions: Sequence[Document],
    methodologies: dict[str, Methodology],
) -> Tables:
    """Tables from valid documents (call only after validation passed)."""
    edition_rows = _edition_rows(editions)
    # the first edition of an id names its methodology (ids are unique once validated)
    method = {
        row["edition"]: methodologies[str(row["methodology"])] for row in reversed(edition_rows)
    }
    rubric = _rubric_columns(companies, method)
    walk = _Walk(edition_rows, method, rubric)
    for doc in companies:
        walk.company(doc)
    return Tables(
        companies=_frame(walk.companies, _COMPANY_COLUMNS),
        audits=_frame(walk.audits, _AUDIT_COLUMNS),
        channels=_frame(walk.channels, _CHANNEL_COLUMNS),
        probes=_typed_probes(
            _frame(walk.probes, (*_PROBE_COLUMNS, *(f"q_{item}" for item in rubric)))
        ),
        editions=pd.DataFrame(edition_rows),
    )


def _typed_probes(probes: pd.DataFrame) -> pd.DataFrame:
    """Parse timestamp columns to UTC datetimes, keeping each sent_at's own offset."""
    if probes.empty:
        return probes
    probes["sent_at_local_date"] = probes["sent_at"].str[:10]
    probes["human_at_local_date"] = probes["human_at"].str[:10]
    for column in ("sent_at", "first_at", "human_at", "ack_at"):
        probes[f"{column}_text"] = probes[column]
        probes[column] = pd.to_datetime(probes[column], utc=True, format="ISO8601")
    return probes
