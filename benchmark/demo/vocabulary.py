"""The demo generator's shared vocabulary: the rubric, channels and days, and its model.

The rubric comes from the methodology the demo editions use (``data/methodology/v2.yaml``),
the channel types from the company schema and durations are read by
:func:`benchmark.values.parse_duration`: the generator keeps no copy of them. The model
(:class:`Channel`, :class:`Probe`, :class:`Company`) is what the editions are drawn into;
``as_dict`` gives each in the order its file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..methodology import from_data
from ..schema import load_schema
from ..values import parse_duration

SEED = 20190415
ROOT = Path(__file__).resolve().parents[2]  # the repository: its data/ is the default output
METHODOLOGY = "v2"  # the methodology of the demo editions


@cache
def rubric() -> tuple[str, ...]:
    """Edge: the rubric items of the demo's methodology in the repository, in order (read once)."""
    path = ROOT / "data" / "methodology" / f"{METHODOLOGY}.yaml"
    return from_data(yaml.safe_load(path.read_text(encoding="utf-8"))).rubric


# How likely each rubric item is to be among the items an answer meets.
ITEM_WEIGHTS = {
    "polite_literate": 9.0,
    "answered_question": 8.0,
    "no_needless_redirect": 7.0,
    "personal": 5.0,
    "next_step": 5.0,
    "complete_correct": 4.0,
    "data_request_explained": 3.0,
    "went_beyond": 1.0,
}
# Every channel type, in the schema's order: channels and probes are written in it.
CHANNEL_ORDER: tuple[str, ...] = tuple(load_schema("company")["$defs"]["channel_type"]["enum"])

CET = timezone(timedelta(hours=1))  # Poland, January-March 2019 (DST began on 31 March)
MSK = timezone(timedelta(hours=3))  # Moscow, permanently UTC+3 since 2014


def iso(moment: datetime) -> str:
    """A timestamp as the data write it: to the second, with its offset."""
    return moment.isoformat(timespec="seconds")


def duration_seconds(text: str) -> int:
    """Whole seconds of an ISO 8601 duration (``PT15M`` → 900)."""
    duration = parse_duration(text)
    if duration is None:
        raise ValueError(f"not a duration: {text!r}")
    return int(duration.total_seconds())


@dataclass(eq=False)
class Channel:
    """A contact channel a company offers."""

    type: str
    proactive: bool | None = None
    handoff: bool | None = None
    follows_up: bool | None = None
    declared: dict[str, str] | None = None
    notes: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the channel in file order."""
        out: dict[str, Any] = {"type": self.type}
        if self.proactive is not None:
            out["proactive"] = self.proactive
        if self.handoff is not None:
            out["handoff"] = self.handoff
        if self.follows_up is not None:
            out["follows_up"] = self.follows_up
        if self.declared is not None:
            out["declared_response_time"] = self.declared
        if self.notes is not None:
            out["notes"] = self.notes
        return out


@dataclass(eq=False)
class Probe:
    """One question sent, and what came back."""

    channel: str
    script: str
    sent: datetime
    ack_at: datetime | None = None
    ack_quote: str | None = None
    ack_promised: str | None = None
    first_at: datetime | None = None
    first_by: str | None = None
    human_at: datetime | None = None
    redirected_to: str | None = None
    quality: dict[str, bool | str] | None = None
    marketing: int | None = None
    notes: str | None = None
    # generation-only attributes (never written)
    sector: str = ""
    helpdesk: bool = False
    company: int = -1
    aq: bool | None = None

    def reply(self, moment: datetime) -> None:
        """Record a human reply at ``moment``, after an automatic first response if one came."""
        if self.first_by in ("bot", "auto_reply"):
            self.human_at = moment
        else:
            self.first_at, self.first_by = moment, "human"

    @property
    def human_reply_at(self) -> datetime | None:
        """When a person first replied, if anyone did."""
        if self.first_by == "human":
            return self.first_at
        return self.human_at

    def human_delay(self) -> float | None:
        """Seconds from sending to the first human reply."""
        at = self.human_reply_at
        return None if at is None else (at - self.sent).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        """Return the probe in file order."""
        out: dict[str, Any] = {
            "channel": self.channel,
            "script": self.script,
            "sent_at": iso(self.sent),
        }
        if self.ack_at is not None:
            ack: dict[str, Any] = {"at": iso(self.ack_at)}
            if self.ack_promised:
                ack["promised"] = self.ack_promised
            if self.ack_quote:
                ack["quote"] = self.ack_quote
            out["acknowledgement"] = ack
        out["first_response"] = (
            None if self.first_at is None else {"at": iso(self.first_at), "by": self.first_by}
        )
        if self.human_at is not None:
            out["human_response"] = {"at": iso(self.human_at)}
        if self.redirected_to is not None:
            out["redirected_to"] = self.redirected_to
        if self.quality is not None:
            out["quality"] = self.quality
        if self.marketing is not None:
            out["marketing_after_no_answer"] = self.marketing
        if self.notes is not None:
            out["notes"] = self.notes
        return out


@dataclass(eq=False)
class Company:
    """A fictional company and its audit in one edition."""

    slug: str
    name: str
    sector: str
    country: str
    languages: list[str]
    edition: str
    helpdesk: dict[str, Any] | None = None
    started: date | None = None
    ended: date | None = None
    channels: list[Channel] = field(default_factory=list)
    support_hours: dict[str, Any] | None = None
    probes: list[Probe] = field(default_factory=list)
    notes: str | None = None
    corrections: list[dict[str, str]] | None = None
    statement: dict[str, str] | None = None

    def channel(self, kind: str) -> Channel | None:
        """Return the channel of type ``kind``, if offered."""
        for ch in self.channels:
            if ch.type == kind:
                return ch
        return None

    def as_dict(self) -> dict[str, Any]:
        """Return the company file's document in a readable key order."""
        assert self.started is not None
        assert self.ended is not None
        channels = sorted(self.channels, key=lambda c: CHANNEL_ORDER.index(c.type))
        probes = sorted(self.probes, key=lambda p: (p.sent, CHANNEL_ORDER.index(p.channel)))
        audit: dict[str, Any] = {
            "edition": self.edition,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "channels": [c.as_dict() for c in channels],
            "support_hours": self.support_hours,
            "probes": [p.as_dict() for p in probes],
        }
        if self.notes is not None:
            audit["notes"] = self.notes
        out: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "website": f"https://{self.slug}.example",
            "sector": self.sector,
            "country": self.country,
            "languages": self.languages,
        }
        if self.helpdesk is not None:
            out["helpdesk"] = self.helpdesk
        out["fictional"] = True
        out["audits"] = [audit]
        if self.corrections:
            out["corrections"] = self.corrections
        if self.statement:
            out["statement"] = self.statement
        return out
