"""The `ccr` command line: the only place where exceptions become messages and exit codes."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import click

from . import fsutil, load
from .check import FORMATS
from .errors import CCRError, ProblemsFound, UsageError
from .problems import MAX_PER_FILE
from .record.cli import register as register_recording
from .values import parse_date

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _fail(error: CCRError) -> None:
    if isinstance(error, ProblemsFound):  # where and why, before the error line
        for problem in error.problems:
            click.echo(problem.format(), err=True)
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


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
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
    from .check import check, report

    checked = check(root, paths, datetime.now(UTC))
    for line in report(checked, fmt, limit):
        click.echo(line)
    sys.exit(EXIT_PROBLEMS if checked.errors else EXIT_OK)


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
    from .new import NewOptions, create_company

    options = NewOptions(name, website, sector, country, languages, edition, fictional)
    created = create_company(root, options, datetime.now(UTC))
    for problem in created.warnings:
        click.echo(problem.format(), err=True)
    click.echo(
        f"Wrote {created.path}. Fill in channels and probes, then: ccr validate {created.path}"
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
    from .correct import CorrectionRequest, record_correction
    from .effect import describe

    def removed(stray: str) -> None:
        click.echo(
            f"Removed {load.COMPANIES_DIR}/{stray}, left by an interrupted ccr correct.", err=True
        )

    request = CorrectionRequest(slug, summary, kind, link, on)
    done = record_correction(root, request, datetime.now(UTC), on_removed=removed)
    on, name = done.entry["date"], done.name
    click.echo(f"Recorded the {kind} of {on} in {name}. Review it with: git diff {name}")
    click.echo(f"Effect: {describe(done.entry['effect'])}.")


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
    from .leaderboard import BoardQuery, leaderboard_markdown

    query = BoardQuery(edition, sector, country, top)
    click.echo(leaderboard_markdown(_scored(root), query), nl=False)


@cache
def _freeze_imports() -> None:
    """Keep what the imports made (modules, classes, schemas) out of the garbage collector's way.

    A build makes enough objects to start a few hundred collections, and each full one would
    walk every object the imports left (pandas, Altair's schema classes): a tenth of a second
    or more a build. ``gc.freeze`` moves them to a generation that is never collected. Once a
    process (``ccr serve`` builds again and again), right after the first imports, so no
    build's garbage is ever frozen.
    """
    gc.freeze()


def _build(root: Path, site: Path | None, drafts: bool = False, clean: bool = False) -> Any:
    """Run every stage with progress on stderr; print the problems when the data is invalid."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .pipeline import BuildOptions, InvalidData, build

    _freeze_imports()
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
            options = BuildOptions(drafts=drafts, clean=clean)
            return build(root, site, options=options, on_stage=stage, on_output=output)
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


def _end_process(code: object) -> None:
    """End this process with ``code`` without tearing down every object it made.

    After a build the interpreter would spend a few tenths of a second freeing objects one
    by one (frames, the data's rows, templates) just before the OS reclaims the memory at
    once. Ending with ``os._exit`` skips that, and only that: the streams are flushed first
    and the ``atexit`` functions run (coverage saves its data there, logging flushes its
    handlers). When that cannot be done exactly as a normal exit would (a stream that will
    not flush, a thread still running, an exit status that is not a number, coverage
    measuring: ``coverage run`` saves after the program returns, not at exit) this
    returns, and the caller exits the normal way.
    """
    if "coverage" in sys.modules:
        return
    if code is not None and type(code) is not int:
        return  # sys.exit("message"): Python prints it and exits 1
    if threading.active_count() > 1:
        return  # a normal exit waits for non-daemon threads: let it
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # e.g. a closed pipe: Python reports it on the way out, and exits 120
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()  # what the atexit functions wrote
        sys.stderr.flush()
    except (OSError, ValueError):
        os._exit(120)  # what Python's own exit does when the final flush fails
    os._exit(code or 0)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script; no traceback ever reaches the user.

    Called without ``argv`` it is the process's entry point (``ccr``, ``python -m
    benchmark``) and ends the process itself (:func:`_end_process`); with ``argv`` it
    raises SystemExit as click does, for callers that go on running.
    """
    try:
        _main(argv)
    except SystemExit as done:
        if argv is None:
            _end_process(done.code)
        raise


def _main(argv: Sequence[str] | None) -> None:
    """Run the command line; SystemExit carries the exit status."""
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
