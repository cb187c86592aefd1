"""`ccr audit add`: an edition's audit block in company files, by insertion only."""

from __future__ import annotations

from typing import Any

from ..errors import DataError
from .yamltext import Append, Op


def audit_entry(edition: dict[str, Any], channels: list[str]) -> dict[str, Any]:
    """A new, empty audit of ``edition``: its period as the audit's dates, no probes yet."""
    period = edition.get("period") or {}
    return {
        "edition": str(edition["id"]),
        "started": str(period.get("start")),
        "ended": str(period.get("end")),
        "channels": [{"type": c} for c in channels],
        "support_hours": None,
        "probes": [],
    }


def audit_index(company: Any, edition_id: str) -> int | None:
    """Where the company's audit of ``edition_id`` is in its audits list, or None."""
    audits = company.get("audits") if isinstance(company, dict) else None
    for i, audit in enumerate(audits if isinstance(audits, list) else []):
        if isinstance(audit, dict) and audit.get("edition") == edition_id:
            return i
    return None


def add_audit(company: Any, file: str, edition: dict[str, Any], channels: list[str]) -> list[Op]:
    """The insertion that adds an audit of ``edition`` to a company file's ``audits``."""
    if audit_index(company, str(edition["id"])) is not None:
        raise DataError(
            f"{file} already has an audit of {edition['id']}",
            "record its probes with ccr probe, ccr import log or ccr import mail",
        )
    return [Append(("audits",), (audit_entry(edition, channels),))]
