"""`ccr import mail`: from the auditor's messages to probes, as a plan of insertions.

1. **Questions** are the messages from the edition's audit mailbox (``auditor_addresses``)
   that answer nothing; each goes to the company whose website domain its recipient's
   domain is (or is below). A question to a company outside the edition is an error; one to
   an unknown domain, or outside the edition's period, is listed and left out.
2. **Replies** are matched to a question by ``In-Reply-To`` / ``References`` (following a
   thread through messages already matched), then — for a message that names none — by the
   sender's domain to the company's latest question sent before it arrived. A message
   matched by neither is listed as unmatched, never guessed.
3. Per question, in order of arrival: the first automatic reply is the acknowledgement and
   first response (with what it promised); the first reply by a person is the first or the
   human response, and brings the rubric as ``to_review``; marketing mail counts as
   ``marketing_after_no_answer`` when no person answered; a bounce is a fact about the
   channel (``bounced``), and the probe has no response.
4. Every message used is kept as evidence — its SHA-256 and Message-ID, never its text or
   its sender — and a message already in the evidence of any company file is skipped, so
   importing the same mailbox twice changes nothing. A reply arriving after an earlier
   import fills in the probe recorded then.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .. import problem_kinds
from ..errors import UsageError
from ..problems import Problem
from ..values import parse_timestamp, website_domain
from .log import Companies
from .mail import Mail
from .probes import Edition, audit_of, choose_script, quality_to_review, reply_ops
from .when import stamp
from .yamltext import AddKey, Append, Op, Replace, expected

Key = tuple[str, int, int | str]  # company file, audit index, probe index or question id


@dataclass(slots=True)
class Row:
    """One line of the plan: a message and what becomes of it."""

    mail: Mail
    action: str  # question, acknowledgement, first_response, human_response, marketing,
    # bounce, ignored, unmatched, recorded, skipped
    target: str = ""  # "slug #n"
    how: str = ""
    note: str = ""


@dataclass(slots=True)
class _Probe:
    file: str
    audit: int
    sent: datetime
    index: int | None = None  # an existing probe's index
    question: Mail | None = None
    existing: dict[str, Any] | None = None
    replies: list[Mail] = field(default_factory=list)
    number: int = 0


@dataclass(slots=True)
class Plan:
    """What an import would do."""

    rows: list[Row]
    ops: dict[str, list[Op]]
    problems: list[Problem]
    new_probes: int = 0
    updated_probes: int = 0


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _company_for(domain: str, domains: dict[str, str]) -> str | None:
    """The company file whose website domain ``domain`` is, or lies below."""
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        found = domains.get(".".join(parts[i:]))
        if found:
            return found
    return None


def plan_import(
    mails: list[Mail],
    edition: Edition,
    companies: Companies,
    auditors: set[str],
    script: str | None = None,
    max_gap: timedelta = timedelta(hours=1),
) -> Plan:
    """The rows, insertions and problems of importing ``mails`` into ``edition``."""
    rows: list[Row] = []
    problems: list[Problem] = []
    domains = {
        d: file
        for file, data in companies.data.items()
        if (d := website_domain(data.get("website")))
    }
    period = edition.data.get("period") or {}
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    recorded, thread, existing = _recorded(companies, edition)
    probes: dict[Key, _Probe] = {}
    slug = {file: str(data.get("slug")) for file, data in companies.data.items()}
    context = _Questions(
        rows, problems, probes, thread, domains, companies, edition, (start, end), slug
    )
    for mail in sorted(mails, key=lambda m: (m.arrival, m.source, m.line)):
        if (
            mail.date is not None
            and abs(mail.arrival - mail.date) > max_gap
            and mail.sender not in auditors
        ):
            mail.notes.append(
                f"its Date: ({stamp(mail.date, edition.zone)}) is "
                f"{_span(abs(mail.arrival - mail.date))} off its arrival; the "
                "arrival is used"
            )
        if mail.message_id in recorded:
            rows.append(
                Row(
                    mail, "recorded", recorded[mail.message_id], "Message-ID", "already in the data"
                )
            )
            continue
        if mail.sender in auditors:
            _question(mail, context)
            continue
        target = _match(mail, thread, probes, existing, domains, edition, companies)
        if target is None:
            rows.append(
                Row(
                    mail,
                    "unmatched",
                    "",
                    "",
                    "no question in this mailbox or the "
                    "data matches its In-Reply-To, References or sender's domain",
                )
            )
            continue
        key, how = target
        if key not in probes:
            probes[key] = existing[key]
        probes[key].replies.append(mail)
        thread.setdefault(mail.message_id, key)
        rows.append(Row(mail, "reply", "", how))
    ops: dict[str, list[Op]] = {}
    plan = Plan(rows, ops, problems)
    by_row = {id(r.mail): r for r in rows}
    for file in dict.fromkeys(p.file for p in probes.values()):
        _file_ops(
            file,
            [p for p in probes.values() if p.file == file],
            companies,
            edition,
            script,
            plan,
            by_row,
            slug[file],
        )
    for row in rows:
        row.note = "; ".join([*row.mail.notes, *([row.note] if row.note else [])])
    return plan


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"


def _recorded(
    companies: Companies, edition: Edition
) -> tuple[dict[str, str], dict[str, Key], dict[Key, _Probe]]:
    """Message-IDs already recorded; the thread map; this edition's email probes."""
    recorded: dict[str, str] = {}
    thread: dict[str, Key] = {}
    existing: dict[Key, _Probe] = {}
    for file, data in companies.data.items():
        for a, audit in enumerate(data.get("audits") or []):
            if not isinstance(audit, dict):
                continue
            for p, probe in enumerate(audit.get("probes") or []):
                if not isinstance(probe, dict):
                    continue
                where = f"{data.get('slug')} #{p + 1}"
                ids = [
                    e["message_id"]
                    for e in probe.get("evidence") or []
                    if isinstance(e, dict) and isinstance(e.get("message_id"), str)
                ]
                for mid in ids:
                    recorded[mid] = where
                sent = parse_timestamp(probe.get("sent_at"))
                if (
                    audit.get("edition") == edition.id
                    and probe.get("channel") == "email"
                    and sent is not None
                ):
                    key: Key = (file, a, p)
                    existing[key] = _Probe(file, a, sent, index=p, existing=probe, number=p + 1)
                    for mid in ids:
                        thread[mid] = key
    return recorded, thread, existing


@dataclass(frozen=True, slots=True)
class _Questions:
    """Where the auditor's questions go, and what they are matched against."""

    rows: list[Row]
    problems: list[Problem]
    probes: dict[Key, _Probe]
    thread: dict[str, Key]
    domains: dict[str, str]  # website domain → company file
    companies: Companies
    edition: Edition
    period: tuple[date, date]
    slug: dict[str, str]  # company file → slug


def _question(mail: Mail, context: _Questions) -> None:
    """Record an auditor's message: a new question, or a follow-up in a thread."""
    rows, problems, probes, thread = context.rows, context.problems, context.probes, context.thread
    domains, companies, edition = context.domains, context.companies, context.edition
    period, slug = context.period, context.slug
    if any(i in thread for i in [*mail.in_reply_to, *mail.references]):
        rows.append(Row(mail, "ignored", "", "", "the auditor's follow-up in a thread"))
        return
    files = list(
        dict.fromkeys(f for r in mail.recipients if (f := _company_for(_domain_of(r), domains)))
    )
    if not files:
        rows.append(
            Row(mail, "unmatched", "", "", "sent from the audit mailbox to no company's domain")
        )
        return
    file = files[0]
    sent = mail.date or mail.arrival
    local = sent.astimezone(edition.zone).date()
    if not period[0] <= local <= period[1]:
        rows.append(
            Row(
                mail,
                "skipped",
                slug[file],
                "",
                f"sent on {local}, outside the edition period ({period[0]} to {period[1]})",
            )
        )
        return
    data = companies.data[file]
    if not any(
        isinstance(a, dict) and a.get("edition") == edition.id for a in data.get("audits") or []
    ):
        problems.append(
            Problem(
                problem_kinds.MAIL_COMPANY_NOT_IN_EDITION.id,
                mail.source,
                mail.line,
                1,
                "",
                f"a question to {slug[file]} ({_domain_of(mail.recipients[0])}), which is not in "
                f"edition {edition.id}",
                f"add it first: ccr audit add {slug[file]} --edition {edition.id}",
            )
        )
        return
    key: Key = (file, audit_of(data, file, edition.id), mail.message_id)
    probes[key] = _Probe(file, key[1], sent, question=mail)
    thread[mail.message_id] = key
    rows.append(Row(mail, "question", "", ""))


def _match(
    mail: Mail,
    thread: dict[str, Key],
    probes: dict[Key, _Probe],
    existing: dict[Key, _Probe],
    domains: dict[str, str],
    edition: Edition,
    companies: Companies,
) -> tuple[Key, str] | None:
    """The probe a reply belongs to, and how it was found; None when none is."""
    if mail.kind == "bounce":
        for mid in mail.bounced_ids:
            if mid in thread:
                return thread[mid], "the bounce quotes the question's Message-ID"
        for key, probe in probes.items():
            if probe.question and set(probe.question.recipients) & set(mail.bounced):
                return key, "the bounce names the question's recipient"
        return None
    for header, ids in (("In-Reply-To", mail.in_reply_to), ("References", mail.references)):
        for mid in ids:
            if mid in thread:
                return thread[mid], header
    file = _company_for(mail.domain, domains)
    if file is None:
        return None
    candidates = [
        (p.sent, key)
        for key, p in {**existing, **probes}.items()
        if p.file == file and p.sent <= mail.arrival
    ]
    if not candidates:
        return None
    return max(candidates)[1], f"sender's domain ({mail.domain})"


def _file_ops(
    file: str,
    states: list[_Probe],
    companies: Companies,
    edition: Edition,
    script: str | None,
    plan: Plan,
    by_row: dict[int, Row],
    slug: str,
) -> None:
    """The insertions into one company file."""
    data = copy.deepcopy(companies.data[file])
    ops: list[Op] = []
    new = sorted((s for s in states if s.index is None), key=lambda s: s.sent)
    bounces: list[Mail] = []
    for state in states:
        if state.index is not None:
            state_ops = _update(state, data, edition, by_row, slug, bounces)
            if state_ops:
                plan.updated_probes += 1
                ops += state_ops
                data = expected(data, state_ops)
    by_audit: dict[int, list[dict[str, Any]]] = {}
    for state in new:
        question = state.question
        assert question is not None
        try:
            sid = (
                choose_script(edition, data, script, "")
                if script
                else _script_in(question, edition) or choose_script(edition, data, None, "")
            )
        except UsageError as error:  # reported on the question's line
            plan.problems.append(
                Problem(
                    problem_kinds.MAIL_SCRIPT.id,
                    question.source,
                    question.line,
                    1,
                    "",
                    f"a question to {slug}: which script was sent?",
                    error.hint + " (or give --script)",
                )
            )
            continue
        count = len(data["audits"][state.audit].get("probes") or []) + len(
            by_audit.setdefault(state.audit, [])
        )
        state.number = count + 1
        by_audit[state.audit].append(_new_probe(state, sid, edition, by_row, slug, bounces))
        by_row[id(question)].target = f"{slug} #{state.number}"
        plan.new_probes += 1
    channel_ops: list[Op] = []
    for a, made in by_audit.items():
        channel_ops += _email_channel(data, a, bounces, edition)
        ops += [*channel_ops, Append(("audits", a, "probes"), tuple(made))]
        channel_ops = []
    if not by_audit and bounces:
        for state in states:
            ops += _email_channel(data, state.audit, bounces, edition)
            break
    if ops:
        plan.ops[file] = ops


def _script_in(question: Mail, edition: Edition) -> str | None:
    """The one script whose text the question's text holds, if exactly one does."""
    text = " ".join(question.text.split()).casefold()
    found = [
        str(s.get("id"))
        for s in edition.data.get("scripts") or []
        if isinstance(s, dict) and " ".join(str(s.get("text", "")).split()).casefold() in text
    ]
    return found[0] if len(found) == 1 else None


def _events(
    state: _Probe, by_row: dict[int, Row], slug: str
) -> tuple[list[Mail], list[Mail], list[Mail]]:
    replies = sorted(state.replies, key=lambda m: m.arrival)
    for mail in replies:
        by_row[id(mail)].target = f"{slug} #{state.number}" if state.number else slug
    answers = [m for m in replies if m.kind in ("auto_reply", "person")]
    return (
        answers,
        [m for m in replies if m.kind == "marketing"],
        [m for m in replies if m.kind == "bounce"],
    )


def _new_probe(
    state: _Probe,
    script: str,
    edition: Edition,
    by_row: dict[int, Row],
    slug: str,
    bounces: list[Mail],
) -> dict[str, Any]:
    """A probe from a question and its replies."""
    question = state.question
    assert question is not None
    answers, marketing, bounced = _events(state, by_row, slug)
    probe: dict[str, Any] = {
        "channel": "email",
        "script": script,
        "sent_at": stamp(state.sent, edition.zone),
    }
    evidence = [_evidence("question", question)]
    first = answers[0] if answers else None
    human = next((m for m in answers if m.kind == "person"), None)
    if first is not None and first.kind == "auto_reply":
        ack: dict[str, Any] = {"at": stamp(first.arrival, edition.zone)}
        if first.promised:
            ack["promised"] = first.promised
            ack["quote"] = first.promise_quote
        probe["acknowledgement"] = ack
        evidence.append(_evidence("acknowledgement", first))
        by_row[id(first)].action = "acknowledgement"
    probe["first_response"] = (
        None
        if first is None
        else {
            "at": stamp(first.arrival, edition.zone),
            "by": "auto_reply" if first.kind == "auto_reply" else "human",
        }
    )
    if human is not None:
        if human is not first:
            probe["human_response"] = {"at": stamp(human.arrival, edition.zone)}
        if edition.rubric:
            probe["quality"] = quality_to_review(edition.rubric)
        evidence.append(
            _evidence("human_response" if human is not first else "first_response", human)
        )
        by_row[id(human)].action = "first_response" if human is first else "human_response"
    elif marketing:
        probe["marketing_after_no_answer"] = len(marketing)
    for mail in marketing:
        by_row[id(mail)].action = "marketing" if human is None else "ignored"
        if human is None:
            evidence.append(_evidence("marketing", mail))
        else:
            by_row[id(mail)].note = "a person answered: marketing is not counted"
    for mail in bounced:
        by_row[id(mail)].action = "bounce"
        evidence.append(_evidence("bounce", mail))
        bounces.append(mail)
    for mail in answers:
        if by_row[id(mail)].action == "reply":
            by_row[id(mail)].action = "ignored"
            by_row[id(mail)].note = "a later reply: the first ones are recorded"
    probe["evidence"] = evidence
    return probe


def _update(
    state: _Probe,
    data: dict[str, Any],
    edition: Edition,
    by_row: dict[int, Row],
    slug: str,
    bounces: list[Mail],
) -> list[Op]:
    """The changes a probe recorded earlier takes from replies that arrived since."""
    at = ("audits", state.audit, "probes", state.index or 0)
    answers, marketing, bounced = _events(state, by_row, slug)
    ops: list[Op] = []
    used: list[dict[str, str]] = []
    current = data
    for mail in answers:
        probe = current["audits"][state.audit]["probes"][state.index or 0]
        first = probe.get("first_response")
        by = "auto_reply" if mail.kind == "auto_reply" else "human"
        takes = first is None or (
            by == "human"
            and isinstance(first, dict)
            and first.get("by") != "human"
            and "human_response" not in probe
        )
        if not takes:
            by_row[id(mail)].action = "ignored"
            by_row[id(mail)].note = "a later reply: the first ones are recorded"
            continue
        auto = by == "auto_reply"
        step = reply_ops(
            probe,
            at,
            by,
            stamp(mail.arrival, edition.zone),
            edition.rubric,
            mail.promised if auto else None,
            mail.promise_quote if auto else None,
        )
        ops += step
        current = expected(current, step)
        role = (
            "acknowledgement"
            if by == "auto_reply"
            else "first_response"
            if first is None
            else "human_response"
        )
        by_row[id(mail)].action = role
        used.append(_evidence(role, mail))
    probe = current["audits"][state.audit]["probes"][state.index or 0]
    answered = isinstance(probe.get("first_response"), dict) and (
        probe["first_response"].get("by") == "human" or "human_response" in probe
    )
    if marketing and not answered:
        total = int(probe.get("marketing_after_no_answer") or 0) + len(marketing)
        step = [
            Replace((*at, "marketing_after_no_answer"), total)
            if "marketing_after_no_answer" in probe
            else AddKey(at, "marketing_after_no_answer", total)
        ]
        ops += step
        current = expected(current, step)
        for mail in marketing:
            by_row[id(mail)].action = "marketing"
            used.append(_evidence("marketing", mail))
    elif marketing:
        for mail in marketing:
            by_row[id(mail)].action = "ignored"
            by_row[id(mail)].note = "a person answered: marketing is not counted"
    for mail in bounced:
        by_row[id(mail)].action = "bounce"
        used.append(_evidence("bounce", mail))
        bounces.append(mail)
    if used:
        probe = current["audits"][state.audit]["probes"][state.index or 0]
        ops.append(
            Append((*at, "evidence"), tuple(used))
            if "evidence" in probe
            else AddKey(at, "evidence", used)
        )
    return ops


def _email_channel(data: dict[str, Any], a: int, bounces: list[Mail], edition: Edition) -> list[Op]:
    """List the email channel if the audit does not, with the first bounce as its fact."""
    channels = data["audits"][a].get("channels") or []
    bounced = stamp(min(m.arrival for m in bounces), edition.zone) if bounces else None
    for c, channel in enumerate(channels):
        if isinstance(channel, dict) and channel.get("type") == "email":
            if bounced and "bounced" not in channel:
                return [AddKey(("audits", a, "channels", c), "bounced", bounced)]
            return []
    entry: dict[str, Any] = {"type": "email"}
    if bounced:
        entry["bounced"] = bounced
    return [Append(("audits", a, "channels"), (entry,))]


def _evidence(role: str, mail: Mail) -> dict[str, str]:
    return {"role": role, "message_id": mail.message_id, "sha256": mail.sha256}
