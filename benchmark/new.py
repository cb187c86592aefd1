"""`ccr new`: the text of a new company file, valid as written, with guiding comments."""

from __future__ import annotations

import json
from dataclasses import dataclass

from slugify import slugify

from .errors import UsageError
from .values import website_domain

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


def _scalar(value: str) -> str:
    """Quote a value for YAML (JSON strings are valid YAML double-quoted scalars)."""
    return json.dumps(value, ensure_ascii=False)


def new_company(
    name: str,
    website: str,
    sector: str,
    country: str,
    languages: list[str],
    edition: str,
    started: str,
    ended: str,
    fictional: bool,
) -> NewCompany:
    """Build the text of a new company file; raise UsageError for unusable arguments."""
    slug = slugify(name, max_length=64, word_boundary=True)
    if not slug:
        raise UsageError(
            f"cannot make a file name from {name!r}", "give a name with letters or digits"
        )
    if not website.startswith(("http://", "https://")) or not website_domain(website):
        raise UsageError(
            f"--website {website!r} is not an http(s) URL",
            "write it in full, e.g. https://www.acme.example",
        )
    sector_slug = slugify(sector)
    if not sector_slug:
        raise UsageError(f"--sector {sector!r} is empty", "e.g. --sector online-shop")
    path = f"data/companies/{slug}.yaml"
    text = TEMPLATE.format(
        schema_line=SCHEMA_LINE,
        schema=SCHEMA_FILE,
        path=path,
        slug=slug,
        name=_scalar(name),
        website=_scalar(website),
        sector=sector_slug,
        country=country.upper(),
        languages=", ".join(languages),
        fictional="true" if fictional else "false",
        edition=edition,
        started=started,
        ended=ended,
    )
    return NewCompany(slug=slug, path=path, text=text)
