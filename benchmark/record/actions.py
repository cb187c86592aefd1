"""What the recording commands do, without click: read the data, change it, check, write.

Each function reads the data tree into a ``ChangeSet``, makes its changes by insertion,
validates the data as it would be (``ProblemsFound`` on an error in a changed file, nothing
written) and writes the changed files; it returns what the command prints. The clock is
passed in (``now``); ``benchmark/record/cli.py`` reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .. import load
from ..errors import DataError, ProblemsFound, UsageError
from ..problems import Problem
from ..values import plural
from .changes import ChangeSet


@dataclass(frozen=True, slots=True)
class Done:
    """What a recording command wrote, and the warnings the data has about it."""

    written: list[str]
    warnings: list[Problem] = field(default_factory=list)


def editions_of(dataset: load.Dataset) -> dict[str, dict[str, Any]]:
    """The readable edition files by id."""
    out: dict[str, dict[str, Any]] = {}
    for doc in dataset.editions:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            out[doc.data["id"]] = doc.data
    return out


def edition_named(dataset: load.Dataset, edition: str) -> dict[str, Any]:
    """The edition ``edition``; UsageError listing the known ones otherwise."""
    editions = editions_of(dataset)
    if edition not in editions:
        raise UsageError(
            f"--edition {edition}: no such edition",
            "known: " + (", ".join(sorted(editions)) or "none; create one with ccr edition new"),
        )
    return editions[edition]


def methodology_versions(dataset: load.Dataset) -> list[str]:
    """The methodology versions of the data tree, oldest first."""
    versions = [
        str(d.data["version"])
        for d in dataset.methodologies
        if isinstance(d.data, dict) and isinstance(d.data.get("version"), str)
    ]
    return sorted(versions, key=lambda v: int(v[1:]) if v[1:].isdigit() else -1)


def _methodologies(changes: ChangeSet) -> dict[str, Any]:
    return {
        str(d.data["version"]): d.data
        for d in changes.dataset.methodologies
        if isinstance(d.data, dict) and "version" in d.data
    }


def edition_in(changes: ChangeSet, edition_id: str) -> Any:
    """The edition to record in or import into, with its zone and rubric."""
    from .probes import edition_context

    return edition_context(edition_named(changes.dataset, edition_id), _methodologies(changes))


def _finish(changes: ChangeSet, now: datetime) -> Done:
    """Check the changes (ProblemsFound on an error) and write them; the warnings."""
    warnings = changes.check(now)
    return Done(changes.write(), warnings)


# ``ccr edition new``


@dataclass(frozen=True, slots=True)
class EditionOptions:
    """``ccr edition new``'s options."""

    edition_id: str
    title: str
    sectors: tuple[str, ...]
    market: str
    period: str
    timezone: str | None = None
    hours: str = "mon-fri 09:00-17:00"
    scripts: tuple[str, ...] = ()
    copy_scripts: str | None = None
    language: str | None = None
    methodology: str | None = None
    method: str | None = None
    addresses: tuple[str, ...] = ()
    demo: bool = False


def _scripts(dataset: load.Dataset, options: EditionOptions) -> list[dict[str, Any]]:
    """The edition's question scripts: copied from an earlier edition, then the ones given."""
    from .edition import parse_script

    made: list[dict[str, Any]] = []
    if options.copy_scripts is not None:
        old = edition_named(dataset, options.copy_scripts)
        made += [dict(s) for s in old.get("scripts") or [] if isinstance(s, dict)]
    for value in options.scripts:
        sid, text = parse_script(value)
        script: dict[str, Any] = {"id": sid}
        if len(options.sectors) == 1:
            script["sector"] = options.sectors[0]
        if options.language:
            script["language"] = options.language
        script["text"] = text
        made.append(script)
    return made


def create_edition(root: Path, options: EditionOptions, now: datetime) -> Done:
    """Write data/editions/ID.yaml: a draft edition, valid as written."""
    from .edition import EditionDraft, default_zone, new_edition, parse_hours, parse_period

    changes = ChangeSet.read(root)
    made = _scripts(changes.dataset, options)
    versions = methodology_versions(changes.dataset)
    if options.methodology is None and not versions:
        raise DataError(
            "there is no methodology in data/methodology/", "add one before creating an edition"
        )
    draft = EditionDraft(
        edition_id=options.edition_id,
        title=options.title,
        sectors=list(options.sectors),
        market=options.market,
        period=parse_period(options.period),
        timezone=options.timezone or default_zone(options.market),
        hours=parse_hours(options.hours),
        scripts=made,
        methodology=options.methodology or versions[-1],
        method=options.method,
        addresses=options.addresses,
        demo=options.demo,
    )
    edition = new_edition(draft)
    changes.create(edition.path, edition.text)
    return _finish(changes, now)


# ``ccr audit add``


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """``ccr audit add``'s options: the companies, the edition, and the --new companies' data."""

    slugs: tuple[str, ...]
    edition_id: str
    new: tuple[str, ...] = ()
    sector: str | None = None
    country: str | None = None
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    fictional: bool = False


def _languages(edition: dict[str, Any]) -> list[str]:
    """The languages of an edition's scripts, or English."""
    found = [
        str(s["language"])
        for s in edition.get("scripts") or []
        if isinstance(s, dict) and isinstance(s.get("language"), str)
    ]
    return sorted(set(found)) or ["en"]


def _new_company_spec(value: str, edition: dict[str, Any], options: AuditOptions) -> Any:
    """The file of a ``--new NAME=URL`` company, its defaults taken from the edition."""
    from ..new import CompanySpec

    company_name, sep, website = value.rpartition("=")
    if not sep or not company_name.strip() or not website.startswith(("http://", "https://")):
        raise UsageError(
            f"--new {value!r} is not NAME=URL", "e.g. --new 'Acme Shop=https://acme.example'"
        )
    sectors = [str(s) for s in edition.get("sectors") or []]
    chosen = options.sector or (sectors[0] if len(sectors) == 1 else None)
    if chosen is None:
        raise UsageError(
            "--sector is needed for --new companies", f"the edition reviews {', '.join(sectors)}"
        )
    market = str(edition.get("market", ""))
    where = options.country or (market if len(market) == 2 and market.isalpha() else None)
    if where is None:
        raise UsageError(
            "--country is needed (ISO 3166-1 alpha-2, e.g. PL)",
            "the edition's market is not a country code",
        )
    period = edition.get("period") or {}
    return CompanySpec(
        company_name.strip(),
        website,
        chosen,
        where,
        list(options.languages) or _languages(edition),
        options.edition_id,
        str(period.get("start")),
        str(period.get("end")),
        options.fictional,
    )


def add_audits(root: Path, options: AuditOptions, now: datetime) -> Done:
    """Add an audit of the edition to each company's file (by insertion), or create it."""
    from ..new import new_company
    from .audit import add_audit
    from .changes import data_of
    from .probes import channel_ops

    if not options.slugs and not options.new:
        raise UsageError("no company given", "name company slugs, or --new NAME=URL")
    changes = ChangeSet.read(root)
    edition = edition_named(changes.dataset, options.edition_id)
    channels = list(options.channels)
    for slug in options.slugs:
        name = f"{load.COMPANIES_DIR}/{slug}.yaml"
        doc = changes.document(name)
        if doc is None:
            raise DataError(
                f"there is no {name}",
                f"add a new company with --new 'Name=https://…' (ccr audit add "
                f"--edition {options.edition_id} --new …)",
            )
        changes.edit(name, add_audit(data_of(doc), name, edition, channels))
    for value in options.new:
        made = new_company(_new_company_spec(value, edition, options))
        changes.create(made.path, made.text)
        if channels:
            changes.edit(made.path, channel_ops(data_of(changes.document(made.path)), 0, channels))
    return _finish(changes, now)


# ``ccr probe`` and ``ccr reply``


@dataclass(frozen=True, slots=True)
class InEdition:
    """A company file to record in: the change set, its name and data, and the edition."""

    changes: ChangeSet
    name: str
    company: Any
    edition: Any


def company_in_edition(root: Path, slug: str, edition_id: str | None) -> InEdition:
    """The change set, a company file's name and data, and the edition to record in."""
    from ..validate import SLUG
    from .probes import default_edition, edition_context

    if not SLUG.fullmatch(slug):
        raise UsageError(
            f"{slug!r} is not a company slug", "give the file name without .yaml, e.g. acme-shop"
        )
    changes = ChangeSet.read(root)
    name = f"{load.COMPANIES_DIR}/{slug}.yaml"
    doc = changes.document(name)
    if doc is None or not isinstance(doc.data, dict):
        raise DataError(
            f"there is no readable {name}",
            "check the slug (ls data/companies), or run ccr validate",
        )
    editions = editions_of(changes.dataset)
    chosen = edition_id or default_edition(doc.data, name, editions)
    edition = edition_context(edition_named(changes.dataset, chosen), _methodologies(changes))
    return InEdition(changes, name, doc.data, edition)


def moment(text: str, edition: Any, option: str, now: datetime) -> str:
    """A moment given on the command line, stamped in the edition's zone."""
    from .when import BadMoment, parse_moment, stamp

    try:
        when = parse_moment(text, edition.zone, now, month_first=edition.month_first)
    except BadMoment as error:
        raise UsageError(f"{option} {text}: {error.message}", error.hint) from error
    return stamp(when, edition.zone)


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    """``ccr probe``'s options."""

    slug: str
    channel: str
    sent: str
    script: str | None = None
    edition_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProbeRecorded:
    """A probe recorded: its number in the audit, its edition and when it was sent."""

    done: Done
    number: int
    edition: str
    sent_at: str


def record_probe(root: Path, options: ProbeOptions, now: datetime) -> ProbeRecorded:
    """Record a question just sent (live chat, phone …), stamped in the edition's zone."""
    from .probes import audit_of, channel_ops, choose_script
    from .yamltext import Append

    at = company_in_edition(root, options.slug, options.edition_id)
    company, edition = at.company, at.edition
    a = audit_of(company, at.name, edition.id)
    when = moment(options.sent, edition, "--sent", now)
    probe = {
        "channel": options.channel,
        "script": choose_script(edition, company, options.script, at.name),
        "sent_at": when,
        "first_response": None,
    }
    ops = [*channel_ops(company, a, [options.channel])]
    at.changes.edit(at.name, [*ops, Append(("audits", a, "probes"), (probe,))])
    done = _finish(at.changes, now)
    number = len(company["audits"][a].get("probes") or []) + 1
    return ProbeRecorded(done, number, str(edition.id), when)


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    """``ccr reply``'s options."""

    slug: str
    probe: str
    by: str
    at: str
    promised: str | None = None
    edition_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyRecorded:
    """A reply recorded: to which probe (its number), when, and whether to review it."""

    done: Done
    number: int
    at: str
    to_review: bool


def record_reply(root: Path, options: ReplyOptions, now: datetime) -> ReplyRecorded:
    """Record a reply to a probe (its number, or last) of a company."""
    from .probes import audit_of, probe_number, reply_ops

    at = company_in_edition(root, options.slug, options.edition_id)
    edition = at.edition
    a = audit_of(at.company, at.name, edition.id)
    p = probe_number(at.company["audits"][a], options.probe, at.name)
    when = moment(options.at, edition, "--at", now)
    target = at.company["audits"][a]["probes"][p]
    path = ("audits", a, "probes", p)
    at.changes.edit(
        at.name, reply_ops(target, path, options.by, when, edition.rubric, options.promised)
    )
    done = _finish(at.changes, now)
    return ReplyRecorded(done, p + 1, when, bool(options.by == "human" and edition.rubric))


# ``ccr import log`` and ``ccr import mail``


def _plural(n: int, word: str) -> str:
    """``3 messages``: the count as it is (not grouped), then the word."""
    return f"{n} {plural(n, word)}"


@dataclass(frozen=True, slots=True)
class LogImported:
    """A log imported: the probes added, the rows already recorded, the files written."""

    done: Done
    added: int
    skipped: int


def import_log(root: Path, file: str, data: bytes, edition_id: str, now: datetime) -> LogImported:
    """Import probes from a CSV log (``file`` names it, ``data`` is its bytes)."""
    from .log import Companies, log_ops, read_log

    changes = ChangeSet.read(root)
    edition = edition_in(changes, edition_id)
    companies = Companies.of(changes.dataset.companies)
    rows, problems = read_log(file, data, edition, companies, now)
    if problems:
        raise ProblemsFound(
            f"{file} has {_plural(len(problems), 'problem')}, so nothing was written",
            "correct the cells named above and import the file again",
            problems,
        )
    ops, skipped = log_ops(rows, companies, edition)
    for name, file_ops in ops.items():
        changes.edit(name, file_ops)
    done = _finish(changes, now)
    return LogImported(done, len(rows) - len(skipped), len(skipped))


@dataclass(frozen=True, slots=True)
class MailOptions:
    """``ccr import mail``'s options."""

    sources: tuple[Path, ...]
    edition_id: str
    auditors: tuple[str, ...] = ()
    script: str | None = None
    max_date_gap: int = 60  # minutes
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class MailPlan:
    """A mail import planned, nothing written yet: its rows, and the changes they make."""

    changes: ChangeSet
    plan: Any
    mails: int
    zone: Any

    @property
    def rows(self) -> list[Any]:
        """One row per message: what it becomes."""
        return list(self.plan.rows)

    def summary(self) -> str:
        """How many messages, probes and files; how many matched no company."""
        plan = self.plan
        unmatched = sum(1 for r in plan.rows if r.action == "unmatched")
        return (
            f"{_plural(self.mails, 'message')}: "
            f"{_plural(plan.new_probes, 'new probe')}, "
            f"{plan.updated_probes} updated, in {_plural(len(plan.ops), 'company file')}; "
            f"{unmatched} unmatched."
        )


def plan_mail(root: Path, options: MailOptions) -> MailPlan:
    """Plan the import of e-mail probes from an mbox, a Maildir or .eml files.

    ProblemsFound when a message cannot be imported; the changes are made in the change set,
    not checked or written (:func:`write_mail`).
    """
    from .log import Companies
    from .mail import read_sources
    from .mailplan import plan_import

    changes = ChangeSet.read(root)
    edition = edition_in(changes, options.edition_id)
    auditors = options.auditors or edition.data.get("auditor_addresses") or []
    addresses = {a.lower() for a in auditors}
    if not addresses:
        raise UsageError(
            "which address are the questions sent from?",
            "give --auditor ADDRESS, or set auditor_addresses in "
            f"data/editions/{options.edition_id}.yaml (ccr edition new "
            "--auditor-address)",
        )
    mails, problems = read_sources(list(options.sources), edition.zone)
    companies = Companies.of(changes.dataset.companies)
    gap = timedelta(minutes=options.max_date_gap)
    plan = plan_import(mails, edition, companies, addresses, options.script, gap)
    problems += plan.problems
    if problems:
        raise ProblemsFound(
            f"{_plural(len(problems), 'message')} cannot be imported, so nothing was written",
            "the lines above name each source and why",
            problems,
        )
    for name, ops in plan.ops.items():
        changes.edit(name, ops)
    return MailPlan(changes, plan, len(mails), edition.zone)


def write_mail(planned: MailPlan, now: datetime, dry_run: bool) -> Done | None:
    """Check the planned changes (ProblemsFound on an error); write them unless ``dry_run``."""
    warnings = planned.changes.check(now)
    if dry_run:
        return None
    return Done(planned.changes.write(), warnings)


# ``ccr review``


@dataclass(frozen=True, slots=True)
class ToReview:
    """The probes with rubric items still to review, and their editions."""

    changes: ChangeSet
    every: list[Any]  # every probe of the chosen companies and editions
    items: list[Any]  # those with items still to review
    editions: set[str]  # the editions chosen


def to_review(root: Path, slugs: Sequence[str], edition_id: str | None) -> ToReview:
    """What ``ccr review`` asks about: the chosen editions (default: the drafts)."""
    from .log import Companies
    from .review import pending

    changes = ChangeSet.read(root)
    editions = editions_of(changes.dataset)
    chosen = (
        {edition_named(changes.dataset, edition_id)["id"]}
        if edition_id
        else {e for e, d in editions.items() if d.get("status") == "draft"}
    )
    companies = Companies.of(changes.dataset.companies).data
    if slugs:
        unknown = [s for s in slugs if f"{load.COMPANIES_DIR}/{s}.yaml" not in companies]
        if unknown:
            raise UsageError(
                f"no company file {unknown[0]}.yaml",
                "give company slugs (file names without .yaml)",
            )
        companies = {f: d for f, d in companies.items() if d.get("slug") in slugs}
    every = pending(companies, chosen, done=True)
    return ToReview(changes, every, [i for i in every if i.items], chosen)


@dataclass(frozen=True, slots=True)
class Reviewed:
    """Marks written from an answers file: how many, in how many files, and how many left."""

    done: Done
    marks: int
    left: int


def review_answers(review: ToReview, name: str, data: bytes, now: datetime) -> Reviewed:
    """Write the marks of an answers file (``name``, its bytes ``data``)."""
    from .review import read_answers, review_ops

    marks, problems = read_answers(name, data, review.every)
    if problems:
        raise ProblemsFound(
            f"{name} has problems, so nothing was written",
            "correct the lines named above",
            problems,
        )
    done = 0
    for item in review.items:
        ops = review_ops(item, marks.get((item.slug, item.number), {}))
        review.changes.edit(item.file, ops)
        done += len(ops)
    finished = _finish(review.changes, now)
    left = sum(len(i.items) for i in review.items) - done
    return Reviewed(finished, done, left)


def write_marks(root: Path, item: Any, marks: dict[str, bool | str], now: datetime) -> Done:
    """Write one probe's marks, as given in ``ccr review``'s questions."""
    from .review import review_ops

    changes = ChangeSet.read(root)
    changes.edit(item.file, review_ops(item, marks))
    return _finish(changes, now)
