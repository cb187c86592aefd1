"""The recording commands of `ccr`: parse options, call the library, print. Nothing else.

``ccr edition new``, ``ccr audit add``, ``ccr probe``, ``ccr reply``, ``ccr import log``,
``ccr import mail`` and ``ccr review``. The clock is read here and only here (``now``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import load
from ..errors import DataError, ProblemsFound, UsageError
from ..problems import Problem

F = TypeVar("F", bound=Callable[..., Any])


def _now() -> datetime:
    """The one place the recording commands read the clock."""
    return datetime.now(UTC)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def _prints_problems(fn: F) -> F:
    """Print the problems a ProblemsFound carries before the error line."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ProblemsFound as error:
            _print_problems(error.problems)
            raise

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


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


def _methodology_versions(dataset: load.Dataset) -> list[str]:
    versions = [
        str(d.data["version"])
        for d in dataset.methodologies
        if isinstance(d.data, dict) and isinstance(d.data.get("version"), str)
    ]
    return sorted(versions, key=lambda v: int(v[1:]) if v[1:].isdigit() else -1)


def register(
    cli: click.Group, root_option: Callable[[Any], Any], handles_errors: Callable[[Any], Any]
) -> None:
    """Add the recording commands to the ``ccr`` group."""

    @cli.group("edition")
    def edition_group() -> None:
        """Create edition files."""

    @edition_group.command("new")
    @click.argument("edition_id", metavar="ID")
    @click.option("--title", required=True, help="Title of the edition report.")
    @click.option(
        "--sector",
        "sectors",
        multiple=True,
        required=True,
        help="A sector reviewed (repeatable), e.g. online-shop.",
    )
    @click.option("--market", required=True, help="ISO 3166-1 alpha-2 code or a region name.")
    @click.option(
        "--period",
        required=True,
        metavar="START..END",
        help="First and last day, e.g. 2025-01-06..2025-02-28.",
    )
    @click.option(
        "--timezone",
        default=None,
        help="IANA zone of the auditors; default: the market's, when it has one.",
    )
    @click.option(
        "--hours", default="mon-fri 09:00-17:00", show_default=True, help="Default business hours."
    )
    @click.option(
        "--script",
        "scripts",
        multiple=True,
        metavar="ID=TEXT",
        help="A question script (repeatable).",
    )
    @click.option(
        "--copy-scripts",
        default=None,
        metavar="EDITION",
        help="Take the question scripts of an earlier edition.",
    )
    @click.option("--language", default=None, help="Language of the --script texts (ISO 639-1).")
    @click.option("--methodology", default=None, help="Methodology version; default: the latest.")
    @click.option("--method", default=None, help="How companies were reached, in plain words.")
    @click.option(
        "--auditor-address",
        "addresses",
        multiple=True,
        help="The audit mailbox questions are sent from (repeatable).",
    )
    @click.option("--demo", is_flag=True, help="Mark the edition as demo (fictional) data.")
    @root_option
    @handles_errors
    @_prints_problems
    def edition_new_cmd(
        edition_id: str,
        title: str,
        sectors: tuple[str, ...],
        market: str,
        period: str,
        timezone: str | None,
        hours: str,
        scripts: tuple[str, ...],
        copy_scripts: str | None,
        language: str | None,
        methodology: str | None,
        method: str | None,
        addresses: tuple[str, ...],
        demo: bool,
        root: Path,
    ) -> None:
        """Write data/editions/ID.yaml: a draft edition, valid as written."""
        from .changes import ChangeSet
        from .edition import (
            EditionDraft,
            default_zone,
            new_edition,
            parse_hours,
            parse_period,
            parse_script,
        )

        changes = ChangeSet.read(root)
        made: list[dict[str, Any]] = []
        if copy_scripts is not None:
            old = edition_named(changes.dataset, copy_scripts)
            made += [dict(s) for s in old.get("scripts") or [] if isinstance(s, dict)]
        for value in scripts:
            sid, text = parse_script(value)
            script: dict[str, Any] = {"id": sid}
            if len(sectors) == 1:
                script["sector"] = sectors[0]
            if language:
                script["language"] = language
            script["text"] = text
            made.append(script)
        versions = _methodology_versions(changes.dataset)
        if methodology is None and not versions:
            raise DataError(
                "there is no methodology in data/methodology/", "add one before creating an edition"
            )
        draft = EditionDraft(
            edition_id=edition_id,
            title=title,
            sectors=list(sectors),
            market=market,
            period=parse_period(period),
            timezone=timezone or default_zone(market),
            hours=parse_hours(hours),
            scripts=made,
            methodology=methodology or versions[-1],
            method=method,
            addresses=addresses,
            demo=demo,
        )
        made_edition = new_edition(draft)
        changes.create(made_edition.path, made_edition.text)
        _print_problems(changes.check(_now()))
        changes.write()
        click.echo(
            f"Wrote {made_edition.path} (status: draft). Next: ccr audit add SLUG… "
            f"--edition {edition_id}"
        )

    @cli.group("audit")
    def audit_group() -> None:
        """Add audits of an edition to company files."""

    @audit_group.command("add")
    @click.argument("slugs", nargs=-1)
    @click.option("--edition", "edition_id", required=True, help="Edition id.")
    @click.option(
        "--new",
        "new",
        multiple=True,
        metavar="NAME=URL",
        help="A company without a file yet: its name and website (repeatable).",
    )
    @click.option(
        "--sector",
        default=None,
        help="Sector of --new companies; default: the edition's, when it has one.",
    )
    @click.option(
        "--country", default=None, help="Country of --new companies; default: the edition's market."
    )
    @click.option(
        "--language",
        "languages",
        multiple=True,
        help="Site language of --new companies (repeatable).",
    )
    @click.option(
        "--channel",
        "channels",
        multiple=True,
        help="A channel every one of these companies offers (repeatable).",
    )
    @click.option("--fictional", is_flag=True, help="Mark --new companies as invented.")
    @root_option
    @handles_errors
    @_prints_problems
    def audit_add_cmd(
        slugs: tuple[str, ...],
        edition_id: str,
        new: tuple[str, ...],
        sector: str | None,
        country: str | None,
        languages: tuple[str, ...],
        channels: tuple[str, ...],
        fictional: bool,
        root: Path,
    ) -> None:
        """Add an audit of the edition to each company's file (by insertion), or create it."""
        from ..new import new_company
        from .audit import add_audit
        from .changes import ChangeSet, data_of
        from .probes import channel_ops

        if not slugs and not new:
            raise UsageError("no company given", "name company slugs, or --new NAME=URL")
        changes = ChangeSet.read(root)
        edition = edition_named(changes.dataset, edition_id)
        for slug in slugs:
            name = f"{load.COMPANIES_DIR}/{slug}.yaml"
            doc = changes.document(name)
            if doc is None:
                raise DataError(
                    f"there is no {name}",
                    f"add a new company with --new 'Name=https://…' (ccr audit add "
                    f"--edition {edition_id} --new …)",
                )
            changes.edit(name, add_audit(data_of(doc), name, edition, list(channels)))
        sectors = [str(s) for s in edition.get("sectors") or []]
        market = str(edition.get("market", ""))
        for value in new:
            company_name, sep, website = value.rpartition("=")
            if (
                not sep
                or not company_name.strip()
                or not website.startswith(("http://", "https://"))
            ):
                raise UsageError(
                    f"--new {value!r} is not NAME=URL",
                    "e.g. --new 'Acme Shop=https://acme.example'",
                )
            chosen = sector or (sectors[0] if len(sectors) == 1 else None)
            if chosen is None:
                raise UsageError(
                    "--sector is needed for --new companies",
                    f"the edition reviews {', '.join(sectors)}",
                )
            where = country or (market if len(market) == 2 and market.isalpha() else None)
            if where is None:
                raise UsageError(
                    "--country is needed (ISO 3166-1 alpha-2, e.g. PL)",
                    "the edition's market is not a country code",
                )
            period = edition.get("period") or {}
            made = new_company(
                company_name.strip(),
                website,
                chosen,
                where,
                list(languages) or _languages(edition),
                edition_id,
                str(period.get("start")),
                str(period.get("end")),
                fictional,
            )
            changes.create(made.path, made.text)
            if channels:
                changes.edit(
                    made.path, channel_ops(data_of(changes.document(made.path)), 0, list(channels))
                )
        _print_problems(changes.check(_now()))
        written = changes.write()
        click.echo(
            f"Added the audit of {edition_id} to {len(written)} company file"
            f"{'s' if len(written) != 1 else ''}: {', '.join(written)}"
        )

    @cli.command("probe")
    @click.argument("slug")
    @click.option("--channel", required=True, help="The channel used: email, live_chat, phone …")
    @click.option(
        "--sent",
        required=True,
        metavar="now|TIME",
        help="When the question was sent, e.g. now, 10:15, '2026-09-02 10:15'.",
    )
    @click.option(
        "--script",
        default=None,
        help="Script id; default: the edition's only one for the company's sector.",
    )
    @click.option(
        "--edition",
        "edition_id",
        default=None,
        help="Edition id; default: the one draft edition the company is audited in.",
    )
    @root_option
    @handles_errors
    @_prints_problems
    def probe_cmd(
        slug: str, channel: str, sent: str, script: str | None, edition_id: str | None, root: Path
    ) -> None:
        """Record a question just sent (live chat, phone …), stamped in the edition's zone."""
        from .probes import audit_of, channel_ops, choose_script
        from .yamltext import Append

        changes, name, company, edition = _company_in_edition(root, slug, edition_id)
        a = audit_of(company, name, edition.id)
        when = _moment(sent, edition, "--sent")
        probe = {
            "channel": channel,
            "script": choose_script(edition, company, script, name),
            "sent_at": when,
            "first_response": None,
        }
        changes.edit(
            name, [*channel_ops(company, a, [channel]), Append(("audits", a, "probes"), (probe,))]
        )
        _print_problems(changes.check(_now()))
        changes.write()
        number = len(company["audits"][a].get("probes") or []) + 1
        click.echo(
            f"Recorded probe {number} of {slug} in {edition.id}: {channel}, sent {when}. "
            f"When it is answered: ccr reply {slug} {number} --by human --at now"
        )

    @cli.command("reply")
    @click.argument("slug")
    @click.argument("probe", metavar="PROBE")
    @click.option(
        "--by",
        "by",
        required=True,
        type=click.Choice(["human", "bot", "auto_reply"]),
        help="Who replied.",
    )
    @click.option("--at", "at", required=True, metavar="now|TIME", help="When the reply came.")
    @click.option(
        "--promised",
        default=None,
        metavar="DURATION",
        help="The reply time an automatic reply promised, e.g. PT24H.",
    )
    @click.option(
        "--edition",
        "edition_id",
        default=None,
        help="Edition id; default: the one draft edition the company is audited in.",
    )
    @root_option
    @handles_errors
    @_prints_problems
    def reply_cmd(
        slug: str,
        probe: str,
        by: str,
        at: str,
        promised: str | None,
        edition_id: str | None,
        root: Path,
    ) -> None:
        """Record a reply to probe PROBE (its number, or last) of a company."""
        from .probes import audit_of, probe_number, reply_ops

        changes, name, company, edition = _company_in_edition(root, slug, edition_id)
        a = audit_of(company, name, edition.id)
        p = probe_number(company["audits"][a], probe, name)
        when = _moment(at, edition, "--at")
        target = company["audits"][a]["probes"][p]
        changes.edit(
            name, reply_ops(target, ("audits", a, "probes", p), by, when, edition.rubric, promised)
        )
        _print_problems(changes.check(_now()))
        changes.write()
        review = (
            " Judge its quality with: ccr review " + slug
            if by == "human" and edition.rubric
            else ""
        )
        click.echo(f"Recorded the reply by {by} at {when} to probe {p + 1} of {slug}.{review}")

    @cli.group("import")
    def import_group() -> None:
        """Import probes from logs and mailboxes."""

    @import_group.command("log")
    @click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--edition", "edition_id", default=None, help="Edition id (required).")
    @click.option("--template", is_flag=True, help="Print the CSV header row and stop.")
    @root_option
    @handles_errors
    @_prints_problems
    def import_log_cmd(
        file: Path | None, edition_id: str | None, template: bool, root: Path
    ) -> None:
        """Import probes from a CSV log (chat, phone, callback, social): one row per probe."""
        from .changes import ChangeSet
        from .log import TEMPLATE, Companies, log_ops, read_log

        if template:
            click.echo(TEMPLATE, nl=False)
            return
        if file is None or edition_id is None:
            raise UsageError(
                "give --edition ID and the CSV file",
                "e.g. ccr import log --edition 2026-q3-shops log.csv "
                "(ccr import log --template prints the header row)",
            )
        if not file.is_file():
            raise UsageError(f"{file}: no such file", "give the CSV file's path")
        changes = ChangeSet.read(root)
        edition = _edition(changes, edition_id)
        companies = Companies.of(changes.dataset.companies)
        rows, problems = read_log(str(file), file.read_bytes(), edition, companies, _now())
        if problems:
            raise ProblemsFound(
                f"{file} has {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''}, so nothing was written",
                "correct the cells named above and import the file again",
                problems,
            )
        ops, skipped = log_ops(rows, companies, edition)
        for name, file_ops in ops.items():
            changes.edit(name, file_ops)
        _print_problems(changes.check(_now()))
        written = changes.write()
        added = len(rows) - len(skipped)
        again = f" ({len(skipped)} already recorded)" if skipped else ""
        click.echo(
            f"Imported {added} probe{'s' if added != 1 else ''} from {file} into "
            f"{len(written)} company file{'s' if len(written) != 1 else ''}{again}."
        )

    @import_group.command("mail")
    @click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--edition", "edition_id", required=True, help="Edition id.")
    @click.option(
        "--auditor",
        "auditors",
        multiple=True,
        metavar="ADDRESS",
        help="The audit mailbox's address (repeatable); default: the edition's auditor_addresses.",
    )
    @click.option(
        "--script",
        default=None,
        help="The script every question sent; default: "
        "the edition's only one for each company's sector.",
    )
    @click.option(
        "--max-date-gap",
        default=60,
        show_default=True,
        type=click.IntRange(min=1),
        metavar="MINUTES",
        help="Report a Date: this far from the arrival.",
    )
    @click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
    @root_option
    @handles_errors
    @_prints_problems
    def import_mail_cmd(
        sources: tuple[Path, ...],
        edition_id: str,
        auditors: tuple[str, ...],
        script: str | None,
        max_date_gap: int,
        dry_run: bool,
        root: Path,
    ) -> None:
        """Import e-mail probes from an mbox, a Maildir or .eml files (SOURCE…)."""
        from datetime import timedelta

        from .changes import ChangeSet
        from .log import Companies
        from .mail import read_sources
        from .mailplan import plan_import

        changes = ChangeSet.read(root)
        edition = _edition(changes, edition_id)
        addresses = {a.lower() for a in auditors or edition.data.get("auditor_addresses") or []}
        if not addresses:
            raise UsageError(
                "which address are the questions sent from?",
                "give --auditor ADDRESS, or set auditor_addresses in "
                f"data/editions/{edition_id}.yaml (ccr edition new "
                "--auditor-address)",
            )
        mails, problems = read_sources(list(sources), edition.zone)
        plan = plan_import(
            mails,
            edition,
            Companies.of(changes.dataset.companies),
            addresses,
            script,
            timedelta(minutes=max_date_gap),
        )
        problems += plan.problems
        if problems:
            raise ProblemsFound(
                f"{len(problems)} message{'s' if len(problems) != 1 else ''} "
                "cannot be imported, so nothing was written",
                "the lines above name each source and why",
                problems,
            )
        for line in plan_table(plan.rows, edition.zone):
            click.echo(line)
        for name, ops in plan.ops.items():
            changes.edit(name, ops)
        warnings = changes.check(_now())
        unmatched = sum(1 for r in plan.rows if r.action == "unmatched")
        summary = (
            f"{len(mails)} message{'s' if len(mails) != 1 else ''}: "
            f"{plan.new_probes} new probe{'s' if plan.new_probes != 1 else ''}, "
            f"{plan.updated_probes} updated, in {len(plan.ops)} company file"
            f"{'s' if len(plan.ops) != 1 else ''}; {unmatched} unmatched."
        )
        if dry_run:
            click.echo(f"Dry run, nothing written. {summary}")
            return
        _print_problems(warnings)
        changes.write()
        click.echo(f"Imported {summary}")

    @cli.command("review")
    @click.argument("slugs", nargs=-1)
    @click.option(
        "--edition", "edition_id", default=None, help="Edition id; default: every draft edition."
    )
    @click.option(
        "--answers",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="YAML file of marks (slug → probe number → item → true, false or "
        "n/a) instead of asking.",
    )
    @root_option
    @handles_errors
    @_prints_problems
    def review_cmd(
        slugs: tuple[str, ...], edition_id: str | None, answers: Path | None, root: Path
    ) -> None:
        """Judge the rubric items still marked to_review, probe by probe."""
        from .changes import ChangeSet
        from .log import Companies
        from .review import pending, read_answers, review_ops

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
        items = [i for i in every if i.items]
        if not items:
            click.echo(
                "Nothing to review: no rubric item is marked to_review"
                + (f" in {', '.join(sorted(chosen))}." if chosen else ".")
            )
            return
        context = {e: _edition(changes, e) for e in {i.edition for i in items}}
        if answers is not None:
            marks, problems = read_answers(str(answers), answers.read_bytes(), every)
            if problems:
                raise ProblemsFound(
                    f"{answers} has problems, so nothing was written",
                    "correct the lines named above",
                    problems,
                )
            done = 0
            for item in items:
                ops = review_ops(item, marks.get((item.slug, item.number), {}))
                changes.edit(item.file, ops)
                done += len(ops)
            _print_problems(changes.check(_now()))
            written = changes.write()
            left = sum(len(i.items) for i in items) - done
            click.echo(
                f"Wrote {done} mark{'s' if done != 1 else ''} in {len(written)} company "
                f"file{'s' if len(written) != 1 else ''}; {left} still to review."
            )
            return
        _review_interactively(root, items, context)


def _languages(edition: dict[str, Any]) -> list[str]:
    """The languages of an edition's scripts, or English."""
    found = [
        str(s["language"])
        for s in edition.get("scripts") or []
        if isinstance(s, dict) and isinstance(s.get("language"), str)
    ]
    return sorted(set(found)) or ["en"]


def _company_in_edition(root: Path, slug: str, edition_id: str | None) -> tuple[Any, str, Any, Any]:
    """The change set, a company file's name and data, and the edition to record in."""
    from ..validate import SLUG
    from .changes import ChangeSet
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
    return changes, name, doc.data, edition


def _methodologies(changes: Any) -> dict[str, Any]:
    return {
        str(d.data["version"]): d.data
        for d in changes.dataset.methodologies
        if isinstance(d.data, dict) and "version" in d.data
    }


def _moment(text: str, edition: Any, option: str) -> str:
    """A moment given on the command line, stamped in the edition's zone."""
    from .when import BadMoment, parse_moment, stamp

    try:
        moment = parse_moment(text, edition.zone, _now(), month_first=edition.month_first)
    except BadMoment as error:
        raise UsageError(f"{option} {text}: {error.message}", error.hint) from error
    return stamp(moment, edition.zone)


def _edition(changes: Any, edition_id: str) -> Any:
    """The edition to import into, with its zone and rubric."""
    from .probes import edition_context

    return edition_context(edition_named(changes.dataset, edition_id), _methodologies(changes))


def plan_table(rows: list[Any], zone: Any) -> list[str]:
    """The plan as a Markdown table: one row per message, no address or text of it."""
    from .when import stamp

    out = [
        "| source | arrived | from | class | becomes | probe | matched by | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        mail = row.mail
        where = f"{mail.source}:{mail.line}" if mail.line > 1 else mail.source
        kind = (
            "from the audit mailbox"
            if row.action in ("question", "skipped")
            or (row.action == "unmatched" and not row.how and "audit mailbox" in row.note)
            else mail.kind.replace("_", "-")
            + (f" ({mail.reason})" if mail.kind != "person" else "")
        )
        cells = [
            where,
            stamp(mail.arrival, zone)[:16].replace("T", " "),
            mail.domain,
            kind,
            row.action.replace("_", " "),
            row.target,
            row.how,
            row.note,
        ]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return out


def _review_interactively(root: Path, items: list[Any], context: dict[str, Any]) -> None:
    """Ask for each pending item; write each probe's marks as soon as it is done."""
    from .changes import ChangeSet
    from .review import describe, parse_mark, review_ops

    done = left = 0
    for n, item in enumerate(items, start=1):
        edition = context[item.edition]
        click.echo(f"\n[{n}/{len(items)}] " + "\n".join(describe(item, edition)))
        marks: dict[str, bool | str] = {}
        stop = False
        for name in item.items:
            while True:
                try:
                    answer = click.prompt(
                        f"  {edition.labels.get(name, name)} ({name})? "
                        "[y]es, [n]o, [na], [s]kip, [q]uit",
                        default="",
                        show_default=False,
                    )
                except click.Abort:
                    answer = "q"
                if answer.strip().lower() in ("q", "quit"):
                    stop = True
                    break
                try:
                    value = parse_mark(answer)
                except ValueError:
                    click.echo("  Answer y, n, na, s or q.")
                    continue
                if value is not None:
                    marks[name] = value
                break
            if stop:
                break
        if marks:
            changes = ChangeSet.read(root)
            changes.edit(item.file, review_ops(item, marks))
            changes.check(_now())
            changes.write()
        done += len(marks)
        left += len(item.items) - len(marks)
        if stop:
            left += sum(len(i.items) for i in items[n:])
            break
    click.echo(f"Wrote {done} mark{'s' if done != 1 else ''}; {left} still to review.")
