"""The recording commands of `ccr`: parse options, call the library, print. Nothing else.

``ccr edition new``, ``ccr audit add``, ``ccr probe``, ``ccr reply``, ``ccr import log``,
``ccr import mail`` and ``ccr review``; what each does is in benchmark/record/actions.py.
The clock is read here and only here (``now``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from ..problems import Problem
from ..values import plural
from . import actions

Decorator = Callable[[Any], Any]


def _now() -> datetime:
    """The one place the recording commands read the clock."""
    return datetime.now(UTC)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def register(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
    """Add the recording commands to the ``ccr`` group.

    ``handles_errors`` turns CCR's exceptions into messages (the problems of a
    ProblemsFound first).
    """
    for add in (_edition, _audit, _probe, _reply, _import, _review):
        add(cli, root_option, handles_errors)


def _edition(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
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
    def edition_new_cmd(root: Path, **given: Any) -> None:
        """Write data/editions/ID.yaml: a draft edition, valid as written."""
        options = actions.EditionOptions(**given)
        done = actions.create_edition(root, options, _now())
        _print_problems(done.warnings)
        click.echo(
            f"Wrote {done.written[0]} (status: draft). Next: ccr audit add SLUG… "
            f"--edition {options.edition_id}"
        )


def _audit(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
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
    def audit_add_cmd(root: Path, **given: Any) -> None:
        """Add an audit of the edition to each company's file (by insertion), or create it."""
        options = actions.AuditOptions(**given)
        done = actions.add_audits(root, options, _now())
        _print_problems(done.warnings)
        written = done.written
        click.echo(
            f"Added the audit of {options.edition_id} to {len(written)} company "
            f"{plural(len(written), 'file')}: {', '.join(written)}"
        )


def _probe(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
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
    def probe_cmd(
        slug: str, channel: str, sent: str, script: str | None, edition_id: str | None, root: Path
    ) -> None:
        """Record a question just sent (live chat, phone …), stamped in the edition's zone."""
        options = actions.ProbeOptions(slug, channel, sent, script, edition_id)
        made = actions.record_probe(root, options, _now())
        _print_problems(made.done.warnings)
        click.echo(
            f"Recorded probe {made.number} of {slug} in {made.edition}: {channel}, sent "
            f"{made.sent_at}. When it is answered: ccr reply {slug} {made.number} --by human "
            "--at now"
        )


def _reply(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
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
        options = actions.ReplyOptions(slug, probe, by, at, promised, edition_id)
        made = actions.record_reply(root, options, _now())
        _print_problems(made.done.warnings)
        review = " Judge its quality with: ccr review " + slug if made.to_review else ""
        click.echo(
            f"Recorded the reply by {by} at {made.at} to probe {made.number} of {slug}.{review}"
        )


def _import(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
    @cli.group("import")
    def import_group() -> None:
        """Import probes from logs and mailboxes."""

    @import_group.command("log")
    @click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--edition", "edition_id", default=None, help="Edition id (required).")
    @click.option("--template", is_flag=True, help="Print the CSV header row and stop.")
    @root_option
    @handles_errors
    def import_log_cmd(
        file: Path | None, edition_id: str | None, template: bool, root: Path
    ) -> None:
        """Import probes from a CSV log (chat, phone, callback, social): one row per probe."""
        from .log import TEMPLATE

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
        made = actions.import_log(root, str(file), file.read_bytes(), edition_id, _now())
        _print_problems(made.done.warnings)
        written = len(made.done.written)
        again = f" ({made.skipped} already recorded)" if made.skipped else ""
        click.echo(
            f"Imported {made.added} {plural(made.added, 'probe')} from {file} into "
            f"{written} company {plural(written, 'file')}{again}."
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
        options = actions.MailOptions(sources, edition_id, auditors, script, max_date_gap)
        planned = actions.plan_mail(root, options)
        for line in plan_table(planned.rows, planned.zone):
            click.echo(line)
        done = actions.write_mail(planned, _now(), dry_run)
        if done is None:
            click.echo(f"Dry run, nothing written. {planned.summary()}")
            return
        _print_problems(done.warnings)
        click.echo(f"Imported {planned.summary()}")


def _review(cli: click.Group, root_option: Decorator, handles_errors: Decorator) -> None:
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
    def review_cmd(
        slugs: tuple[str, ...], edition_id: str | None, answers: Path | None, root: Path
    ) -> None:
        """Judge the rubric items still marked to_review, probe by probe."""
        review = actions.to_review(root, slugs, edition_id)
        items = review.items
        if not items:
            chosen = review.editions
            click.echo(
                "Nothing to review: no rubric item is marked to_review"
                + (f" in {', '.join(sorted(chosen))}." if chosen else ".")
            )
            return
        context = {e: actions.edition_in(review.changes, e) for e in {i.edition for i in items}}
        if answers is None:
            _review_interactively(root, items, context)
            return
        made = actions.review_answers(review, str(answers), answers.read_bytes(), _now())
        _print_problems(made.done.warnings)
        marks, files = made.marks, len(made.done.written)
        click.echo(
            f"Wrote {marks} {plural(marks, 'mark')} in {files} company "
            f"{plural(files, 'file')}; {made.left} still to review."
        )


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
    from .review import describe, parse_mark

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
            actions.write_marks(root, item, marks, _now())
        done += len(marks)
        left += len(item.items) - len(marks)
        if stop:
            left += sum(len(i.items) for i in items[n:])
            break
    click.echo(f"Wrote {done} {plural(done, 'mark')}; {left} still to review.")
