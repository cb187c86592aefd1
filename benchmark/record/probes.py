"""Probes and replies as insertions: `ccr probe`, `ccr reply`, and the importers' building blocks.

A probe is written with the facts known so far; a reply fills them in place (``null`` →
the reply) or adds the keys that were missing (``acknowledgement``, ``human_response``).
A reply by a person brings every rubric item of the edition's methodology as
``to_review``: `ccr review` asks for each, and until then `ccr validate` warns (draft) or
refuses (published edition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import DataError, UsageError
from .audit import audit_index
from .yamltext import AddKey, Append, Op, Replace

TO_REVIEW = "to_review"
BY = ("human", "bot", "auto_reply")


@dataclass(frozen=True, slots=True)
class Edition:
    """What recording needs to know about an edition."""

    id: str
    data: dict[str, Any]
    zone: ZoneInfo
    rubric: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def month_first(self) -> bool:
        """Spreadsheet dates are month first in a US market, day first elsewhere."""
        return str(self.data.get("market", "")).upper() == "US"


def edition_context(data: dict[str, Any], methodologies: dict[str, Any]) -> Edition:
    """An edition's zone and rubric; DataError when the edition file cannot give them."""
    eid = str(data.get("id"))
    try:
        zone = ZoneInfo(str(data.get("timezone")))
    except (ValueError, KeyError) as error:
        raise DataError(f"edition {eid} has no valid timezone", "run ccr validate") from error
    method = methodologies.get(str(data.get("methodology")))
    items = [i for i in (method or {}).get("rubric") or [] if isinstance(i, dict) and "id" in i]
    return Edition(
        eid,
        data,
        zone,
        tuple(str(i["id"]) for i in items),
        {str(i["id"]): str(i.get("label", i["id"])) for i in items},
    )


def audit_of(company: Any, file: str, edition: str) -> int:
    """The index of the company's audit of ``edition``; DataError when it has none."""
    index = audit_index(company, edition)
    if index is None:
        slug = company.get("slug", "SLUG") if isinstance(company, dict) else "SLUG"
        raise DataError(
            f"{file} is not in edition {edition}",
            f"add it first: ccr audit add {slug} --edition {edition}",
        )
    return index


def default_edition(company: Any, file: str, editions: dict[str, dict[str, Any]]) -> str:
    """The one draft edition the company is audited in; UsageError when there is not one."""
    audited = [a.get("edition") for a in company.get("audits") or [] if isinstance(a, dict)]
    drafts = [
        e
        for e in audited
        if isinstance(e, str) and (editions.get(e) or {}).get("status") == "draft"
    ]
    if len(drafts) == 1:
        return drafts[0]
    raise UsageError(
        "--edition is needed",
        f"{file} is audited in "
        + (
            f"the draft editions {', '.join(drafts)}"
            if drafts
            else "no draft edition (ccr audit add SLUG --edition ID)"
        ),
    )


def choose_script(edition: Edition, company: Any, requested: str | None, where: str) -> str:
    """The script sent: ``requested``, or the edition's only one for the company's sector."""
    scripts = [s for s in edition.data.get("scripts") or [] if isinstance(s, dict)]
    ids = [str(s.get("id")) for s in scripts]
    if requested is not None:
        if requested not in ids:
            raise UsageError(
                f"{where}: script {requested!r} is not in edition {edition.id}",
                "known: " + ", ".join(ids),
            )
        return requested
    sector = company.get("sector") if isinstance(company, dict) else None
    fitting = [str(s.get("id")) for s in scripts if s.get("sector") in (None, sector)]
    if len(fitting) == 1:
        return fitting[0]
    raise UsageError(
        f"{where}: which script was sent?",
        "give it (--script, or the script column): " + ", ".join(fitting or ids),
    )


def probe_number(audit: dict[str, Any], value: str, file: str) -> int:
    """A probe's 0-based index from its number as shown (1, 2 …) or ``last``."""
    probes = audit.get("probes") or []
    if value == "last" and probes:
        return len(probes) - 1
    if value.isdigit() and 1 <= int(value) <= len(probes):
        return int(value) - 1
    raise UsageError(
        f"{file} has no probe {value} in edition {audit.get('edition')}",
        f"probes are numbered 1 to {len(probes)} in the order of the file, or say last"
        if probes
        else "record one first with ccr probe",
    )


def channel_ops(company: dict[str, Any], a: int, channels: list[str]) -> list[Op]:
    """Add the channels the audit does not list yet."""
    listed = {
        c.get("type") for c in company["audits"][a].get("channels") or [] if isinstance(c, dict)
    }
    missing = [c for c in dict.fromkeys(channels) if c not in listed]
    return (
        [Append(("audits", a, "channels"), tuple({"type": c} for c in missing))] if missing else []
    )


def quality_to_review(rubric: tuple[str, ...]) -> dict[str, str]:
    """Every rubric item, to be judged by a person."""
    return dict.fromkeys(rubric, TO_REVIEW)


def reply_ops(
    probe: dict[str, Any],
    at: tuple[str | int, ...],
    by: str,
    when: str,
    rubric: tuple[str, ...],
    promised: str | None = None,
    quote: str | None = None,
) -> list[Op]:
    """The changes that record a reply ``by`` at ``when`` to the probe at path ``at``."""
    first = probe.get("first_response")
    ops: list[Op] = []
    if by not in BY:
        raise UsageError(f"--by {by}: not one of {', '.join(BY)}", "say who replied")
    if first is None:
        ops.append(Replace((*at, "first_response"), {"at": when, "by": by}))
        if by == "human":
            if "quality" not in probe and rubric:
                ops.append(AddKey(at, "quality", quality_to_review(rubric), after="first_response"))
        elif "acknowledgement" not in probe and (by == "auto_reply" or promised):
            ack: dict[str, Any] = {"at": when}
            if promised:
                ack["promised"] = promised
                if quote:
                    ack["quote"] = quote
            ops.append(AddKey(at, "acknowledgement", ack, after="sent_at"))
        return ops
    if not isinstance(first, dict):
        raise DataError("the probe's first_response is not a reply", "run ccr validate")
    if by != "human":
        raise DataError(
            f"the probe already has its first reply ({first.get('by')} at {first.get('at')})",
            "only a later reply by a person can be added (--by human)",
        )
    if first.get("by") == "human" or "human_response" in probe:
        raise DataError(
            "the probe already has a reply by a person", "correct it in the file if it is wrong"
        )
    ops.append(AddKey(at, "human_response", {"at": when}, after="first_response"))
    if "quality" not in probe and rubric:
        ops.append(AddKey(at, "quality", quality_to_review(rubric), after="human_response"))
    return ops
