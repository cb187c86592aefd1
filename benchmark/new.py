"""`ccr new`: a new company file, valid as written, with guiding comments.

``new_company`` makes its text (pure); ``create_company`` takes the defaults from the
edition, checks the file against the whole data set and writes it (the edge).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from slugify import slugify

from . import fsutil, load
from .errors import DataError, ProblemsFound, UsageError
from .problems import Problem, count_errors, sort_problems
from .validate import validate
from .values import edition_order, parse_date, website_domain

SCHEMA_FILE = "benchmark/schemas/company.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"

TEMPLATE = """\
{schema_line}
# A company audited by Customer Care Review. Every field is described on the site's
# Data reference page (data-reference/, written from {schema}); your editor
# completes and checks them through the schema line above. Check: ccr validate {path}
slug: {slug}  # equals the file name
name: {name}
website: {website}
sector: {sector}
country: {country}  # ISO 3166-1 alpha-2
languages: [{languages}]  # languages the site is offered in (ISO 639-1)
# helpdesk:           # uncomment once known
#   used: true        # replies come from a helpdesk system, not a mail program
#   system: Zendesk
fictional: {fictional}
audits:
  - edition: {edition}
    started: '{started}'
    ended: '{ended}'
    # support_hours: null when the site publishes none; otherwise e.g.
    #   timezone: Europe/Warsaw
    #   schedule:
    #     - {{days: [mon, tue, wed, thu, fri], open: '09:00', close: '17:00'}}
    support_hours: null
    # Every channel the site offers, probed or not, e.g.
    #   - type: email
    #   - type: live_chat
    #     proactive: true
    #     declared_response_time: {{duration: PT5M, where: chat_widget}}
    channels: []
    # Every question sent, e.g.
    #   - channel: email
    #     script: <a script id from the edition file>
    #     sent_at: '2019-02-11T10:15:00+01:00'
    #     first_response: {{at: '2019-02-11T12:40:00+01:00', by: human}}
    #     quality: {{answered_question: true, complete_correct: true, ...}}
    probes: []
"""


@dataclass(frozen=True, slots=True)
class NewCompany:
    """A company file to write: its slug, its path and its text."""

    slug: str
    path: str
    text: str


@dataclass(frozen=True, slots=True)
class CompanySpec:
    """What a new company file says: the company, and the edition its first audit is in."""

    name: str
    website: str
    sector: str
    country: str
    languages: list[str]
    edition: str
    started: str
    ended: str
    fictional: bool


def _scalar(value: str) -> str:
    """Quote a value for YAML (JSON strings are valid YAML double-quoted scalars)."""
    return json.dumps(value, ensure_ascii=False)


def new_company(spec: CompanySpec) -> NewCompany:
    """Build the text of a new company file; raise UsageError for unusable arguments."""
    slug = slugify(spec.name, max_length=64, word_boundary=True)
    if not slug:
        raise UsageError(
            f"cannot make a file name from {spec.name!r}", "give a name with letters or digits"
        )
    if not spec.website.startswith(("http://", "https://")) or not website_domain(spec.website):
        raise UsageError(
            f"--website {spec.website!r} is not an http(s) URL",
            "write it in full, e.g. https://www.acme.example",
        )
    sector_slug = slugify(spec.sector)
    if not sector_slug:
        raise UsageError(f"--sector {spec.sector!r} is empty", "e.g. --sector online-shop")
    path = f"data/companies/{slug}.yaml"
    text = TEMPLATE.format(
        schema_line=SCHEMA_LINE,
        schema=SCHEMA_FILE,
        path=path,
        slug=slug,
        name=_scalar(spec.name),
        website=_scalar(spec.website),
        sector=sector_slug,
        country=spec.country.upper(),
        languages=", ".join(spec.languages),
        fictional="true" if spec.fictional else "false",
        edition=spec.edition,
        started=spec.started,
        ended=spec.ended,
    )
    return NewCompany(slug=slug, path=path, text=text)


@dataclass(frozen=True, slots=True)
class NewOptions:
    """``ccr new``'s options; None where the edition gives the default."""

    name: str
    website: str
    sector: str
    country: str | None = None
    languages: tuple[str, ...] = ()
    edition: str | None = None
    fictional: bool = False


@dataclass(frozen=True, slots=True)
class Created:
    """A company file written: its path and the warnings the data set has about it."""

    path: str
    warnings: list[Problem] = field(default_factory=list)


def _editions(root: Path) -> dict[str, dict[str, Any]]:
    """The readable edition files by id; DataError when there is none."""
    editions = {}
    for doc in load.read_dataset(root, companies=[]).editions:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            editions[doc.data["id"]] = doc.data
    if not editions:
        raise DataError(
            "there is no edition in data/editions/",
            "add an edition file before adding companies to it",
        )
    return editions


def company_spec(root: Path, options: NewOptions) -> CompanySpec:
    """The new company's file contents, defaults taken from the edition (the latest by default)."""
    editions = _editions(root)
    edition = options.edition
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
    country = options.country or (market if len(market) == 2 and market.isalpha() else None)
    if not country or len(country) != 2 or not country.isalpha():
        raise UsageError(
            "--country is needed (ISO 3166-1 alpha-2, e.g. PL)",
            "the edition's market is not a country code",
        )
    if parse_date(period.get("start")) is None:
        raise DataError(f"edition {edition} has no valid period", "run ccr validate")
    return CompanySpec(
        name=options.name,
        website=options.website,
        sector=options.sector,
        country=country,
        languages=list(options.languages) or ["en"],
        edition=edition,
        started=str(period["start"]),
        ended=str(period["end"]),
        fictional=options.fictional,
    )


def check_new(root: Path, name: str, text: str, now: datetime) -> list[Problem]:
    """A new company file's problems, validated against the whole data set; sorted.

    Its errors (a domain another file uses, a sector the edition does not review, a .example
    site on a company marked real …) raise ProblemsFound, with every problem; the warnings
    are returned.
    """
    dataset = load.read_dataset(root)
    dataset.companies = [d for d in dataset.companies if d.file != name]
    dataset.companies.append(load.parse_document(name, text.encode("utf-8")))
    problems = sort_problems(validate(dataset, now, {name}))
    if count_errors(problems):
        raise ProblemsFound(
            f"{name} would not be valid, so it was not written",
            "the lines above point into the file as it would have been; fix the "
            "option behind each (--website, --sector, --country, --fictional, "
            "--edition) and run ccr new again",
            problems,
        )
    return problems


def create_company(root: Path, options: NewOptions, now: datetime) -> Created:
    """``ccr new``: write data/companies/<slug>.yaml, checked against the data set first."""
    company = new_company(company_spec(root, options))
    target = root / company.path
    if target.exists():
        raise DataError(f"{company.path} already exists", "edit that file, or choose another name")
    warnings = check_new(root, company.path, company.text, now)
    fsutil.make_dir(target.parent, root)  # never into a folder that is a link
    with target.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(company.text)
    return Created(company.path, warnings)
