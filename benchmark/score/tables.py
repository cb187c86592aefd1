"""Flatten validated documents into tables (one row per company, audit, channel, probe).

This is the only place that walks documents; everything after works on whole columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


def build_tables(
    companies: Sequence[Document],
    editions: Sequence[Document],
    methodologies: dict[str, Methodology],
) -> Tables:
    """Tables from valid documents (call only after validation passed)."""
    edition_rows = []
    edition_hours: dict[str, str] = {}
    for doc in editions:
        e = doc.data
        hours = e["business_hours"]
        edition_hours[e["id"]] = schedule_key(e["timezone"], [hours])
        edition_rows.append(
            {
                "edition": e["id"],
                "title": e["title"],
                "market": e["market"],
                "start": e["period"]["start"],
                "end": e["period"]["end"],
                "methodology": e["methodology"],
                "demo": bool(e["demo"]),
                "timezone": e["timezone"],
                "default_schedule": edition_hours[e["id"]],
                "sectors": ",".join(e["sectors"]),
                "file": doc.file,
                "draft": e.get("status") == "draft",
            }
        )
    company_rows, audit_rows, channel_rows, probe_rows = [], [], [], []
    for doc in companies:
        c = doc.data
        slug = c["slug"]
        helpdesk = c.get("helpdesk")
        company_rows.append(
            {
                "slug": slug,
                "name": c["name"],
                "website": c["website"],
                "domain": website_domain(c["website"]),
                "sector": c["sector"],
                "country": c["country"],
                "languages": ",".join(c["languages"]),
                "helpdesk": None if helpdesk is None else bool(helpdesk["used"]),
                "helpdesk_system": None if helpdesk is None else helpdesk.get("system"),
                "fictional": bool(c["fictional"]),
                "file": doc.file,
                "corrections": len(c.get("corrections", [])),
                "has_statement": "statement" in c,
            }
        )
        for audit in c["audits"]:
            edition = audit["edition"]
            method = methodologies[_methodology_of(edition_rows, edition)]
            hours = audit.get("support_hours")
            schedule = (
                schedule_key(hours["timezone"], hours["schedule"])
                if hours
                else edition_hours[edition]
            )
            offered = {ch["type"] for ch in audit["channels"]}
            # a channel whose published address bounced is unreachable: listed (and its probes
            # never answered), but it adds no breadth (methodology v2 on)
            reachable = {
                ch["type"] for ch in audit["channels"] if not (method.pooled and ch.get("bounced"))
            }
            audit_rows.append(
                {
                    "slug": slug,
                    "edition": edition,
                    "started": audit["started"],
                    "ended": audit["ended"],
                    "verified": audit.get("verified", audit["ended"]),
                    "hours_published": hours is not None,
                    "schedule": schedule,
                    "channels_offered": len(offered),
                    "families_offered": ",".join(sorted({method.families[t] for t in reachable})),
                    "channel_types": ",".join(sorted(offered)),
                }
            )
            declared: dict[str, float | None] = {}
            bot_ok: dict[str, bool | None] = {}
            for ch in audit["channels"]:
                known = [ch[k] for k in ("handoff", "follows_up") if ch.get(k) is not None]
                bot_ok[ch["type"]] = any(known) if known else None
                promise = ch.get("declared_response_time")
                declared[ch["type"]] = _seconds(promise["duration"]) if promise else None
                channel_rows.append(
                    {
                        "slug": slug,
                        "edition": edition,
                        "type": ch["type"],
                        "family": method.families[ch["type"]],
                        "proactive": ch.get("proactive"),
                        "handoff": ch.get("handoff"),
                        "follows_up": ch.get("follows_up"),
                        "declared_seconds": declared[ch["type"]],
                        "declared_where": promise["where"] if promise else None,
                    }
                )
            for i, probe in enumerate(audit["probes"]):
                first = probe.get("first_response")
                human = probe.get("human_response")
                ack = probe.get("acknowledgement")
                quality = probe.get("quality") or {}
                row = {
                    "slug": slug,
                    "edition": edition,
                    "probe": i,
                    "channel": probe["channel"],
                    "family": method.families[probe["channel"]],
                    "script": probe["script"],
                    "sent_at": probe["sent_at"],
                    "first_at": first["at"] if first else None,
                    "first_by": first["by"] if first else None,
                    "human_at": (
                        first["at"]
                        if first and first["by"] == "human"
                        else human["at"]
                        if human
                        else None
                    ),
                    "ack_at": ack["at"] if ack else None,
                    "ack_promised_seconds": _seconds(ack.get("promised")) if ack else None,
                    "declared_seconds": declared.get(probe["channel"]),
                    "chatbot_ok": (
                        bot_ok.get(probe["channel"]) if probe["channel"] == "chatbot" else None
                    ),
                    "country": c["country"],
                    "redirected_to": probe.get("redirected_to"),
                    "marketing": int(probe.get("marketing_after_no_answer", 0)),
                    "evidence": len(probe.get("evidence", [])),
                    "schedule": schedule,
                }
                for item in method.rubric:
                    mark = quality.get(item)
                    # "to_review" (a draft's pending mark, warned about) counts as not met
                    row[f"q_{item}"] = (
                        None
                        if mark is None or mark == "n/a"
                        else 0.0
                        if mark == "to_review"
                        else float(mark)
                    )
                probe_rows.append(row)
    return Tables(
        companies=pd.DataFrame(company_rows),
        audits=pd.DataFrame(audit_rows),
        channels=pd.DataFrame(channel_rows),
        probes=_typed_probes(pd.DataFrame(probe_rows)),
        editions=pd.DataFrame(edition_rows),
    )


def _methodology_of(edition_rows: list[dict[str, Any]], edition: str) -> str:
    for row in edition_rows:
        if row["edition"] == edition:
            return str(row["methodology"])
    raise KeyError(edition)


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
