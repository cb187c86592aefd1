"""The `ccr` command line: the only place where exceptions become messages and exit codes."""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import fsutil, load
from .errors import CCRError, DataError, UsageError
from .problems import (
    MAX_PER_FILE,
    Problem,
    cap_per_file,
    capped_lines,
    count_errors,
    more_problems,
    sort_problems,
)
from .record.cli import register as register_recording
from .validate import SLUG, validate
from .values import counted, edition_order, is_missing, parse_date

if TYPE_CHECKING:
    from .methodology import Methodology

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def github_escape(text: str, prop: bool = False) -> str:
    """Escape text for a GitHub workflow command (its data, or a property with ``prop``)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problem: Problem) -> str:
    """One problem as a GitHub annotation: ``::error file=…,line=…,col=…,title=…::…``."""
    level = "error" if problem.severity == "error" else "warning"
    props = ",".join(
        [
            f"file={github_escape(problem.file, True)}",
            f"line={problem.line}",
            f"col={problem.column}",
            f"title={github_escape(problem.kind, True)}",
        ]
    )
    what = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"::{level} {props}::{github_escape(what + ' — hint: ' + problem.hint)}"


def github_more(file: str, n: int) -> str:
    """The annotation that stands for the problems of a file that are not listed."""
    props = f"file={github_escape(file, True)},title=more problems"
    return f"::notice {props}::{github_escape(more_problems(file, n))}"


def _summary(companies: int, editions: int, problems: Sequence[Problem]) -> str:
    checked = f"Checked {counted(companies, 'company file')} and {counted(editions, 'edition')}"
    errors = count_errors(problems)
    warnings = len(problems) - errors
    if not problems:
        return f"{checked}: no problems."
    parts = [counted(errors, "error")] + ([counted(warnings, "warning")] if warnings else [])
    return f"{checked}: {', '.join(parts)}."


def _fail(error: CCRError) -> None:
    message = f"Error: {error.message}"
    if error.hint:
        message += f" — hint: {error.hint}"
    click.echo(message, err=True)
    sys.exit(error.exit_code)


def handles_errors(fn: F) -> F:
    """Turn CCR's exceptions into a one-line message and its exit code."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CCRError as error:
            _fail(error)
        return None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="customer-care-review", prog_name="ccr")
def cli() -> None:
    """Customer Care Review: validate, score and publish the benchmark."""


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding a data tree, relative to ``start``.

    A data tree is a data/ folder with editions/ or companies/ in it; None when none is found.
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        data = folder / "data"
        if (data / "editions").is_dir() or (data / "companies").is_dir():
            return Path(os.path.relpath(folder, here))
    return None


def _root(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    """--root as given, or the repository the current folder is in (found by walking up)."""
    if value is not None:
        return value
    found = find_root(Path.cwd())
    if found is None:
        _fail(
            UsageError(
                f"{Path.cwd()} is not inside a CCR repository: no folder above it "
                "holds data/editions or data/companies",
                "run ccr inside the repository, or give --root",
            )
        )
    return found or Path(".")


ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_root,
    help="Repository root holding data/ (default: the nearest folder at or "
    "above the current one that holds a data tree).",
)


def _select(root: Path, paths: Sequence[Path]) -> tuple[list[Path] | None, set[str] | None]:
    """Which company files to read and which files to report on, from PATH arguments."""
    if not paths:
        return None, None
    chosen: list[Path] = []
    for p in paths:
        if not p.exists() and not p.is_symlink():  # a dangling link is reported, not missing
            raise UsageError(
                f"{p}: no such file or directory",
                "give files or folders below data/, or no path to check everything",
            )
        chosen.extend(load.yaml_files(p) if p.is_dir() and not p.is_symlink() else [p])
    only = {load.display_name(p, root) for p in chosen}
    # Every company file is read, so that cross-file checks see the whole set. A link is
    # named as itself (the loader refuses it), never replaced by its target.
    others = {(root / d).resolve() for d in (load.EDITIONS_DIR, load.METHODOLOGY_DIR)}
    companies = {load.real_parent(p) for p in load.yaml_files(root / load.COMPANIES_DIR)}
    companies |= {load.real_parent(p) for p in chosen if p.parent.resolve() not in others}
    return sorted(companies), only


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people, github for workflow annotations, json.",
)
@click.option(
    "--max-per-file",
    "limit",
    type=click.IntRange(min=0),
    default=MAX_PER_FILE,
    show_default=True,
    help="List at most this many problems a file (0: all); the rest are counted.",
)
@ROOT_OPTION
@handles_errors
def validate_cmd(paths: tuple[Path, ...], fmt: str, limit: int, root: Path) -> None:
    """Check company and edition files (all of them by default); exit 1 on any error."""
    companies, only = _select(root, paths)
    dataset = load.read_dataset(root, companies)
    problems = sort_problems(validate(dataset, datetime.now(UTC), only))
    n_companies = sum(1 for d in dataset.companies if only is None or d.file in only)
    n_editions = sum(1 for d in dataset.editions if only is None or d.file in only)
    if (
        not n_companies
        + n_editions
        + sum(1 for d in dataset.methodologies if only is None or d.file in only)
        + sum(1 for p in dataset.problems if only is None or p.file in only)
    ):  # a link, a dotfile
        where = ", ".join(str(p) for p in paths) if paths else f"{root / 'data'}"
        raise UsageError(
            f"nothing to check: {where} holds no company, edition or methodology file",
            "give .yaml files or folders below data/, or run ccr validate "
            "inside the repository (or with --root) to check everything",
        )
    summary = _summary(n_companies, n_editions, problems)
    if fmt == "json":
        shown, omitted = cap_per_file(problems, limit)
        click.echo(
            json.dumps(
                {
                    "summary": {
                        "company_files": n_companies,
                        "editions": n_editions,
                        "errors": count_errors(problems),
                        "warnings": len(problems) - count_errors(problems),
                        "omitted": sum(omitted.values()),
                    },
                    "problems": [p.as_dict() for p in shown],
                    "omitted": [{"file": file, "problems": n} for file, n in omitted.items()],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        lines = (
            capped_lines(problems, format_github, github_more, limit)
            if fmt == "github"
            else capped_lines(problems, Problem.format, limit=limit)
        )
        for line in lines:
            click.echo(line)
        click.echo(summary)
    sys.exit(EXIT_PROBLEMS if count_errors(problems) else EXIT_OK)


@cli.command("new")
@click.argument("name")
@click.option("--website", required=True, help="The company's website, http(s) URL.")
@click.option("--sector", required=True, help="Sector, e.g. online-shop.")
@click.option("--country", default=None, help="ISO 3166-1 alpha-2; default: the edition's market.")
@click.option("--language", "languages", multiple=True, help="Site language (repeatable).")
@click.option("--edition", default=None, help="Edition id; default: the latest edition.")
@click.option("--fictional", is_flag=True, help="Mark the company as invented (demo data).")
@ROOT_OPTION
@handles_errors
def new_cmd(
    name: str,
    website: str,
    sector: str,
    country: str | None,
    languages: tuple[str, ...],
    edition: str | None,
    fictional: bool,
    root: Path,
) -> None:
    """Write data/companies/<slug>.yaml for a new company, ready to fill in."""
    from .new import new_company

    editions = {}
    for doc in load.read_dataset(root, companies=[]).editions:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            editions[doc.data["id"]] = doc.data
    if not editions:
        raise DataError(
            "there is no edition in data/editions/",
            "add an edition file before adding companies to it",
        )
    if edition is None:
        ends = {e: d.get("period", {}).get("end", "") for e, d in editions.items()}
        edition = edition_order(ends)[-1]
    if edition not in editions:
        raise UsageError(
            f"--edition {edition}: no such edition", "known: " + ", ".join(sorted(editions))
        )
    info = editions[edition]
    period = info.get("period") or {}
    market = str(info.get("market", ""))
    country = country or (market if len(market) == 2 and market.isalpha() else None)
    if not country or len(country) != 2 or not country.isalpha():
        raise UsageError(
            "--country is needed (ISO 3166-1 alpha-2, e.g. PL)",
            "the edition's market is not a country code",
        )
    if parse_date(period.get("start")) is None:
        raise DataError(f"edition {edition} has no valid period", "run ccr validate")
    company = new_company(
        name,
        website,
        sector,
        country,
        list(languages) or ["en"],
        edition,
        str(period["start"]),
        str(period["end"]),
        fictional,
    )
    target = root / company.path
    if target.exists():
        raise DataError(f"{company.path} already exists", "edit that file, or choose another name")
    _check_new(root, company.path, company.text)
    fsutil.make_dir(target.parent, root)  # never into a folder that is a link
    with target.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(company.text)
    click.echo(
        f"Wrote {company.path}. Fill in channels and probes, then: ccr validate {company.path}"
    )


def _check_new(root: Path, name: str, text: str) -> None:
    """Validate a new company file against the whole data set before it is written.

    Its errors (a domain another file uses, a sector the edition does not review, a .example
    site on a company marked real …) are printed and nothing is written; warnings are
    printed and the file is written.
    """
    dataset = load.read_dataset(root)
    dataset.companies = [d for d in dataset.companies if d.file != name]
    dataset.companies.append(load.parse_document(name, text.encode("utf-8")))
    problems = sort_problems(validate(dataset, datetime.now(UTC), {name}))
    for problem in problems:
        click.echo(problem.format(), err=True)
    if count_errors(problems):
        raise DataError(
            f"{name} would not be valid, so it was not written",
            "the lines above point into the file as it would have been; fix the "
            "option behind each (--website, --sector, --country, --fictional, "
            "--edition) and run ccr new again",
        )


@cli.command("correct")
@click.argument("slug")
@click.option("--summary", required=True, help="What changed, in one sentence.")
@click.option(
    "--kind",
    type=click.Choice(["correction", "re-audit"]),
    default="correction",
    show_default=True,
    help="correction: the record was wrong; re-audit: audited again.",
)
@click.option("--link", default=None, help="The pull request or issue, an http(s) URL.")
@click.option(
    "--date",
    "on",
    default=None,
    metavar="YYYY-MM-DD",
    help="When the change was merged; default: today (UTC).",
)
@ROOT_OPTION
@handles_errors
def correct_cmd(
    slug: str, summary: str, kind: str, link: str | None, on: str | None, root: Path
) -> None:
    """Record a correction in data/companies/SLUG.yaml; the rest of the file stays as written.

    Run it after editing the data, before committing: the entry records the effect on the
    company's latest score and rank, the committed data (HEAD) against the work tree.
    """
    from .edit import add_correction
    from .effect import describe

    path = _company_file(root, slug)
    name = load.display_name(path, root)
    for stray in fsutil.clean_stray_temps(path.parent):  # left by a killed `ccr correct`
        click.echo(
            f"Removed {load.COMPANIES_DIR}/{stray}, left by an interrupted ccr correct.", err=True
        )
    on = on or datetime.now(UTC).date().isoformat()
    if parse_date(on) is None:
        raise UsageError(f"--date {on}: not a date", "give it as YYYY-MM-DD")
    entry: dict[str, Any] = {"date": on, "kind": kind, "summary": " ".join(summary.split())}
    if link is not None:
        entry["link"] = link
    dataset = load.read_dataset(root)
    now = datetime.now(UTC)
    errors = [p for p in validate(dataset, now) if p.severity == "error"]
    if [p for p in errors if p.file == name]:
        raise DataError(
            f"{name} has errors, so it was left as it is",
            f"run ccr validate {name} and fix them first",
        )
    if errors:
        raise DataError(
            f"the data has errors ({errors[0].file} first), so the correction's "
            "effect on score and rank cannot be computed",
            "run ccr validate and fix them first",
        )
    entry["effect"] = _correction_effect(root, slug, name, dataset, now)
    raw = fsutil.read_regular(path)
    if raw is None:  # a link or not a file: the tree policy reported it, this is a race
        raise DataError(f"{name} is not a regular file", f"run ccr validate {name}")
    new = add_correction(raw.decode("utf-8"), entry, name).encode("utf-8")
    dataset.companies = [
        load.parse_document(name, new) if d.file == name else d for d in dataset.companies
    ]
    problems = [p for p in validate(dataset, now, {name}) if p.severity == "error"]
    if problems:
        for problem in sort_problems(problems):
            click.echo(problem.format(), err=True)
        raise DataError(
            "the correction is not valid, so nothing was written",
            "the lines above point into the file as it would have been; change "
            "the option they name and run the command again",
        )
    # A new file with a random name, renamed over the old one: readers see the old file or
    # the new one, never half, and no write follows a link.
    fsutil.atomic_write(path, new, root)
    click.echo(f"Recorded the {kind} of {on} in {name}. Review it with: git diff {name}")
    click.echo(f"Effect: {describe(entry['effect'])}.")


def _correction_effect(
    root: Path, slug: str, name: str, dataset: load.Dataset, now: datetime
) -> dict[str, Any]:
    """Edge: the company's score and rank at the committed data (HEAD) and in the work tree."""
    from .effect import effect_of
    from .gitread import read_revision, resolve
    from .score import score

    try:
        commit = resolve(root, "HEAD")
    except UsageError:
        raise UsageError(
            f"{root}: no committed data to compare with",
            "ccr correct records the change's effect on score and rank against "
            "the last commit (HEAD); run it in a clone of the repository",
        ) from None
    committed = read_revision(root, commit)

    def contents(data: load.Dataset) -> list[tuple[str, Any]]:
        return sorted(
            ((d.file, d.data) for d in [*data.companies, *data.editions, *data.methodologies]),
            key=lambda p: p[0],
        )

    if contents(committed) == contents(dataset):
        raise DataError(
            "the data is as committed, so the correction has no effect to record",
            f"edit the data first (e.g. {name}), then record the correction "
            "before committing: ccr correct compares the work tree with HEAD",
        )
    if [p for p in validate(committed, now) if p.severity == "error"]:
        raise DataError(
            "the committed data (HEAD) has errors, so the correction's effect cannot be computed",
            "fix them in a commit of their own first",
        )
    try:
        before = score(committed)
    except DataError:  # nothing scored yet at HEAD: every score is new
        before = None
    effect = effect_of(before, score(dataset), slug)
    if effect is None:
        raise DataError(
            f"{name} has no score in the work tree, so a correction has no effect to record",
            "record the correction once the company has an audit with probes",
        )
    return effect


def _company_file(root: Path, slug: str) -> Path:
    """The company file for ``slug``; UsageError when the slug cannot be or is not one."""
    if not SLUG.fullmatch(slug):
        raise UsageError(
            f"{slug!r} is not a company slug", "give the file name without .yaml, e.g. acme-shop"
        )
    path = root / load.COMPANIES_DIR / f"{slug}.yaml"
    if not path.is_file():
        known = [p.stem for p in load.yaml_files(root / load.COMPANIES_DIR)]
        close = difflib.get_close_matches(slug, known, n=1)
        raise DataError(
            f"there is no {load.COMPANIES_DIR}/{slug}.yaml",
            f"did you mean {close[0]}?" if close else f"check the slug: ls {load.COMPANIES_DIR}",
        )
    return path


def _scored(root: Path) -> Any:
    """Run load → validate → score; print the problems and exit 1 if the data is invalid."""
    from .pipeline import InvalidData, run

    try:
        return run(root).scores
    except InvalidData as error:
        for problem in error.problems:
            click.echo(problem.format(), err=True)
        raise


@cli.command("explain")
@click.argument("slug")
@click.option("--edition", default=None, help="Edition id; default: the company's latest.")
@ROOT_OPTION
@handles_errors
def explain_cmd(slug: str, edition: str | None, root: Path) -> None:
    """Show how a company's score is made, term by term, down to the probes."""
    from .score.explain import explain

    click.echo(explain(_scored(root), slug, edition), nl=False)


@cli.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the CSV, JSON and schema files into.",
)
@ROOT_OPTION
@handles_errors
def export_cmd(out: Path, root: Path) -> None:
    """Write companies, probes, scores and statistics as CSV and JSON, with JSON Schemas."""
    from .export import export_files

    files = export_files(_scored(root))
    fsutil.make_dir(out)  # refuses a folder that is a link
    for name, data in sorted(files.items()):
        fsutil.atomic_write(out / name, data, out)
    click.echo(f"Wrote {len(files)} files to {out}.")


@cli.command("leaderboard")
@click.option("--edition", default=None, help="Edition id; default: the latest published one.")
@click.option("--sector", default=None, help="Only this sector (ranks within it).")
@click.option("--country", default=None, help="Only this country (ranks within it).")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
@ROOT_OPTION
@handles_errors
def leaderboard_cmd(
    edition: str | None, sector: str | None, country: str | None, top: int | None, root: Path
) -> None:
    """Print an edition's leaderboard (overall, or for one sector or country) as Markdown."""
    from .score.ranking import leaderboard
    from .score.tables import edition_ends

    scores = _scored(root)
    table = scores.tables.editions
    editions = edition_order(edition_ends(table))
    drafts = set(table.loc[table["draft"], "edition"])
    published = [e for e in editions if e not in drafts]
    edition = edition or (published or editions)[-1]  # a draft only when named
    if edition not in editions:
        raise UsageError(f"--edition {edition}: no such edition", "known: " + ", ".join(editions))
    if sector and country:
        raise UsageError("give --sector or --country, not both", "one leaderboard at a time")
    scope, value = (
        ("sector", sector) if sector else ("country", country) if country else ("overall", None)
    )
    board = leaderboard(scores.companies, edition, scope, value)
    if board.empty:
        raise UsageError(
            f"no company in {edition} with {scope} {value}",
            "check the spelling; sectors and countries are as in the data files",
        )
    method = scores.methodologies[
        str(scores.tables.editions.set_index("edition").loc[edition, "methodology"])
    ]
    click.echo(leaderboard_text(board, scope, method, top), nl=False)


def leaderboard_text(board: Any, scope: str, method: Methodology, top: int | None = None) -> str:
    """``ccr leaderboard`` as Markdown, with what its ranks and unranked rows mean below.

    Ranked companies first, each score with its interval and each rank as the range of
    places the intervals allow; then the unranked ones, except with ``--top``: they are never
    in a top list.
    """
    from .render import standing
    from .score.subscores import SUBSCORES

    decimals = method.score_decimals
    level = standing.level(method)
    ranked = board[[standing.is_ranked(r) for _, r in board.iterrows()]]
    unranked = board[[not standing.is_ranked(r) for _, r in board.iterrows()]]
    shown = board if top is None else ranked.head(top)
    interval = f" {level.replace(' ', '')} interval |" if level else ""
    lines = [
        "| rank | company | score |" + interval + " grade | tier | reach | speed | quality "
        "| transp. | respect | probes | movement |",
        "|---:|---|---:|"
        + (":-:|" if level else "")
        + ":-:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for _, row in shown.iterrows():
        flag = " (limited evidence)" if row["limited_evidence"] and standing.is_ranked(row) else ""
        subs = " | ".join(f"{row[s]:.0f}" for s in SUBSCORES)
        move = (
            "new"
            if is_missing(row["previous_score"])
            else f"{row['score_change']:+.{decimals}f} since {row['previous_edition']}"
        )
        bounds = standing.interval(row, method)
        between = f" {'–'.join(bounds) if bounds else '—'} |" if level else ""
        lines.append(
            f"| {standing.rank_range(row, scope) or 'unranked'} | {row['name']} | "
            f"{standing.score(row, method)} |{between} "
            f"{standing.grade_or_none(row) or '—'} | "
            f"{row['tier'] if standing.is_ranked(row) else '—'} | "
            f"{subs} | {row['probes']}{flag} | {move} |"
        )
    notes = []
    if level and len(ranked) > 1:
        groups = ranked.groupby(f"group_{scope}")[f"rank_{scope}"].agg(["min", "max"])
        if len(groups) == 1:
            shape = (
                f"{standing.all_of(len(ranked))} ranked companies are statistically "
                "indistinguishable"
            )
        else:
            spans = ", ".join(
                str(lo) if lo == hi else f"{lo}–{hi}"
                for lo, hi in zip(groups["min"], groups["max"], strict=True)
            )
            shape = (
                f"the {len(ranked)} ranked companies form {len(groups)} groups of "
                f"statistically indistinguishable scores, at places {spans}"
            )
        notes.append(f"Ranks are the places the {level.replace(' ', '')} intervals allow; {shape}.")
    if len(unranked):
        one = len(unranked) == 1
        where = (
            f"{'is' if one else 'are'} never in a top list"
            if top is not None
            else f"{'is' if one else 'are'} listed after the ranked ones"
        )
        notes.append(
            f"Unranked — limited evidence: {len(unranked)} "
            f"compan{'y' if one else 'ies'}, scored on fewer than "
            f"{standing.threshold(method)}, {where}, with no rank, grade or tier. "
            f"More probes in the next edition will rank {'it' if one else 'them'}."
        )
    return "\n".join(lines) + "\n" + "".join(f"\n{n}\n" for n in notes)


def _build(root: Path, site: Path | None, drafts: bool = False, clean: bool = False) -> Any:
    """Run every stage with progress on stderr; print the problems when the data is invalid."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .pipeline import InvalidData, build

    console = Console(stderr=True)
    companies = len(load.yaml_files(root / load.COMPANIES_DIR))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("loading", total=companies)

        def stage(name: str) -> None:
            bar.update(task, description=name)

        def output(out: Any) -> None:
            if (
                out.kind in ("page", "stamped")
                and out.path.startswith("companies/")
                and not out.path.endswith("index.md")
            ):
                bar.advance(task)

        try:
            return build(root, site, on_stage=stage, on_output=output, drafts=drafts, clean=clean)
        except InvalidData as error:
            bar.stop()
            for problem in error.problems:
                click.echo(problem.format(), err=True)
            raise


@cli.command("build")
@click.option(
    "--site",
    "site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: site/ below --root).",
)
@click.option(
    "--drafts",
    is_flag=True,
    help="Include draft editions, each page with a draft banner (a local preview; "
    "the home page headline, changelog and feed still leave them out).",
)
@click.option(
    "--clean",
    is_flag=True,
    help="A full build: ignore what the last build left in .ccr-build/ (the parse "
    "cache, the manifest, the MkDocs output it would reuse).",
)
@ROOT_OPTION
@handles_errors
def build_cmd(site: Path | None, drafts: bool, clean: bool, root: Path) -> None:
    """Validate, score, write the pages and charts and build the site with MkDocs."""
    built = _build(root, site, drafts, clean)
    click.echo(built.summary())


@cli.command("publish")
@click.argument("version")
@click.option("--alias", "aliases", multiple=True, help="Alias to point at it (e.g. latest).")
@click.option("--push", is_flag=True, help="Push gh-pages to the remote afterwards.")
@click.option(
    "--corrected-on",
    default=None,
    metavar="YYYY-MM-DD",
    help="Republishing after a correction: show this date on every page.",
)
@click.option("--branch", default="gh-pages", show_default=True)
@click.option("--remote", default="origin", show_default=True)
@ROOT_OPTION
@handles_errors
def publish_cmd(
    version: str,
    aliases: tuple[str, ...],
    push: bool,
    corrected_on: str | None,
    branch: str,
    remote: str,
    root: Path,
) -> None:
    """Publish the site as of edition VERSION to gh-pages with mike (one version each)."""
    from .publish import publish

    if corrected_on is not None and parse_date(corrected_on) is None:
        raise UsageError(f"--corrected-on {corrected_on}: not a date", "give it as YYYY-MM-DD")
    done = publish(
        root,
        version,
        aliases=aliases,
        push=push,
        corrected_on=corrected_on,
        remote=remote,
        branch=branch,
    )
    click.echo(done.summary)
    where = f"{branch} ({remote})" if push else f"{branch} (not pushed)"
    also = f", alias {', '.join(aliases)}" if aliases else ""
    click.echo(f"Published {version}{also} to {where}.")


@cli.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--site",
    "site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: site/ below --root).",
)
@ROOT_OPTION
@handles_errors
def serve_cmd(port: int, site: Path | None, root: Path) -> None:
    """Build, serve the site on localhost and rebuild when data, docs or mkdocs.yml change.

    The port is taken first. Pages open in a browser reload by themselves after each
    rebuild. When a build fails (at start too), the previous site stays served, with the
    problems on top of every page (open ones too) and in the terminal. The preview
    includes draft editions (as ``ccr build --drafts``).
    """
    from .pipeline import InvalidData
    from .serve import Status, open_server, serve

    target = site or root / "site"
    status = Status()
    server = open_server(target, port, status)  # a busy port is reported before any build

    def rebuild() -> None:
        try:
            click.echo(_build(root, target, drafts=True).summary())
            status.succeeded()
        except CCRError as error:
            lines = [p.format() for p in error.problems] if isinstance(error, InvalidData) else []
            failed = f"Error: {error.message} — hint: {error.hint}"
            status.failed([*lines, failed])
            still = (
                "still serving the previous site"
                if target.is_dir()
                else "serving a page that lists the problems; there is no previous site"
            )
            click.echo(f"{failed} ({still})", err=True)

    rebuild()
    serve(root, server, rebuild, lambda url: click.echo(f"Serving {url} — press Ctrl+C to stop."))


@cli.command(
    "diff",
    epilog="Exit 0 when HEAD has no validation error, 1 when it has "
    "(they are listed, the new ones first), 2 for an unknown revision.",
)
@click.argument("base")
@click.argument("head", required=False)
@ROOT_OPTION
@handles_errors
def diff_cmd(base: str, head: str | None, root: Path) -> None:
    """Report in Markdown what the data change BASE → HEAD (default: the work tree) does."""
    from .diff import diff_report

    result = diff_report(root, base, head, datetime.now(UTC))
    click.echo(result.markdown, nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


register_recording(cli, ROOT_OPTION, handles_errors)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script; no traceback ever reaches the user."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="ccr", standalone_mode=True
        )
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:
        click.echo(
            f"Internal error: {type(exc).__name__}: {exc} — hint: this is a bug in CCR; "
            "please report it with the command you ran.",
            err=True,
        )
        sys.exit(70)
