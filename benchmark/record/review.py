"""`ccr review`: a person judges the rubric items an import left ``to_review``.

Each probe with pending marks is shown with its facts — the channel, the script, when the
question left, when and from whom each reply came, what an acknowledgement promised, the
evidence kept — and each pending item is asked for: yes, no, n/a, or skip. Every answer
replaces its ``to_review`` in place; nothing else in the file changes. For scripts and
tests, ``--answers FILE`` gives the marks as YAML::

    alderloom-devhouse:          # company slug
      1:                         # probe number in the edition's audit
        answered_question: true
        data_request_explained: n/a
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import load, problem_kinds
from ..problems import Problem, format_path
from ..values import parse_timestamp
from .probes import TO_REVIEW, Edition
from .yamltext import Op, Replace, scalar

_YES = {"y", "yes", "t", "true", "1", "tak", "ja", "да"}
_NO = {"n", "no", "f", "false", "0", "nie", "nein", "нет"}
_NA = {"na", "n/a", "-", "nd", "n.d."}
_SKIP = {"", "s", "skip", "?"}


@dataclass(frozen=True, slots=True)
class Pending:
    """A probe with rubric items still to review."""

    file: str
    slug: str
    edition: str
    audit: int
    index: int
    probe: dict[str, Any]
    items: tuple[str, ...]

    @property
    def number(self) -> int:
        """The probe's number as shown (1, 2 …)."""
        return self.index + 1


def pending(companies: dict[str, Any], editions: set[str], done: bool = False) -> list[Pending]:
    """Every probe of these editions with an item marked ``to_review``, in file order.

    With ``done``, also the probes whose marks are all judged (with no items).
    """
    out = []
    for file, data in sorted(companies.items()):
        for a, audit in enumerate(data.get("audits") or []):
            if not isinstance(audit, dict) or audit.get("edition") not in editions:
                continue
            for p, probe in enumerate(audit.get("probes") or []):
                quality = probe.get("quality") if isinstance(probe, dict) else None
                items = (
                    tuple(k for k, v in (quality or {}).items() if v == TO_REVIEW)
                    if isinstance(quality, dict)
                    else ()
                )
                if items or (done and isinstance(quality, dict)):
                    out.append(
                        Pending(
                            file, str(data.get("slug")), str(audit["edition"]), a, p, probe, items
                        )
                    )
    return out


def parse_mark(text: str) -> bool | str | None:
    """An answer → True, False or "n/a"; None to skip; ValueError when it is none of them."""
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    if value in _NA:
        return "n/a"
    if value in _SKIP:
        return None
    raise ValueError(text)


def _after(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    minutes = int((end - start).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return f" ({' '.join(parts)} after the question)"


def describe(item: Pending, edition: Edition) -> list[str]:
    """The facts of a probe a reviewer needs, one per line."""
    probe = item.probe
    scripts = {
        str(s.get("id")): str(s.get("text", ""))
        for s in edition.data.get("scripts") or []
        if isinstance(s, dict)
    }
    text = scripts.get(str(probe.get("script")), "")
    sent = parse_timestamp(probe.get("sent_at"))
    lines = [
        f"{item.slug} #{item.number} — {item.edition}, {probe.get('channel')}, "
        f"script {probe.get('script')}",
        f"  question:          {text[:150]}{'…' if len(text) > 150 else ''}",
        f"  sent:              {probe.get('sent_at')}",
    ]
    ack = probe.get("acknowledgement")
    if isinstance(ack, dict):
        promised = f", promised {ack['promised']}" if ack.get("promised") else ""
        quote = f" (“{ack['quote']}”)" if ack.get("quote") else ""
        lines.append(f"  acknowledgement:   {ack.get('at')}{promised}{quote}")
    first = probe.get("first_response")
    if isinstance(first, dict):
        lines.append(
            f"  first response:    {first.get('at')} by {first.get('by')}"
            + _after(sent, parse_timestamp(first.get("at")))
        )
    human = probe.get("human_response")
    if isinstance(human, dict):
        lines.append(
            f"  reply by a person: {human.get('at')}"
            + _after(sent, parse_timestamp(human.get("at")))
        )
    if probe.get("notes"):
        lines.append(f"  notes:             {probe['notes']}")
    for ev in probe.get("evidence") or []:
        if isinstance(ev, dict):
            lines.append(
                f"  evidence:          {ev.get('role')} e-mail {ev.get('message_id')}"
                f" (SHA-256 {str(ev.get('sha256'))[:12]}…)"
            )
        else:
            lines.append(f"  evidence:          {ev}")
    return lines


def review_ops(item: Pending, marks: dict[str, bool | str]) -> list[Op]:
    """Each answered item's ``to_review`` replaced by its mark, in place."""
    at = ("audits", item.audit, "probes", item.index, "quality")
    return [Replace((*at, name), value) for name, value in marks.items() if name in item.items]


def read_answers(
    name: str, raw: bytes, items: list[Pending]
) -> tuple[dict[tuple[str, int], dict[str, bool | str]], list[Problem]]:
    """Marks from an answers file by (slug, probe number); every problem with its line."""
    doc = load.parse_document(name, raw)
    if not doc.ok:
        return {}, doc.problems
    problems: list[Problem] = []

    def bad(path: tuple[str | int, ...], message: str, hint: str) -> None:
        line, col = doc.position(path)
        problems.append(
            Problem(
                problem_kinds.REVIEW_ANSWERS.id, name, line, col, format_path(path), message, hint
            )
        )

    by_key = {(i.slug, i.number): i for i in items}
    out: dict[tuple[str, int], dict[str, bool | str]] = {}
    if not isinstance(doc.data, dict):
        bad((), "not a mapping of company slugs", "see ccr review --help")
        return {}, problems
    for slug, probes in doc.data.items():
        if not isinstance(probes, dict):
            bad((slug,), "not a mapping of probe numbers", "e.g. 1: {answered_question: true}")
            continue
        for number, marks in probes.items():
            key = (str(slug), int(number) if str(number).isdigit() else -1)
            if key not in by_key:
                known = sorted(f"{s} {n}" for (s, n), i in by_key.items() if i.items)
                bad(
                    (slug, number),
                    f"{slug} has no probe {number} with rubric marks",
                    "pending: " + (", ".join(known) or "none"),
                )
                continue
            if not isinstance(marks, dict):
                bad((slug, number), "not a mapping of rubric items", "e.g. personal: true")
                continue
            out[key] = _chosen(by_key[key], (slug, number), marks, bad)
    return out, problems


def _chosen(
    item: Pending,
    at: tuple[str | int, ...],
    marks: dict[Any, Any],
    bad: Callable[[tuple[str | int, ...], str, str], None],
) -> dict[str, bool | str]:
    """The marks of one probe's pending items; ``bad`` hears of every other one."""
    chosen: dict[str, bool | str] = {}
    quality = item.probe.get("quality") or {}
    for name, value in marks.items():
        if not (value is True or value is False or value == "n/a"):
            bad(
                (*at, name),
                f"{value!r} is not a mark",
                'write true, false or "n/a"',
            )
        elif name in item.items:
            chosen[str(name)] = value
        elif name not in quality:
            bad(
                (*at, name),
                f"{name} is not a rubric item of this probe",
                "its items: " + ", ".join(quality),
            )
        elif quality[name] is not value and quality[name] != value:
            bad(
                (*at, name),
                f"{name} is already marked {scalar(quality[name])}",
                "a judged mark is changed in the file itself, with a correction",
            )
    return chosen
