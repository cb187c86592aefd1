"""The catalogue of problem kinds: each kind a check can report, declared once.

An entry holds the kind's id (what ``--format json`` and GitHub annotations show), its
severity, what it means, and the templates of its message and hint: ``str.format`` text with
named fields, filled by the check that finds it (``ProblemKind.problem``). One id may have
several entries ("variants") when the same finding is worded for different cases, e.g. a
quality mark still to review is a warning in a draft edition and an error in a published one.

The site's problem reference page (``problems/``) is generated from this catalogue, each entry
shown with its ``example`` fields filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .problems import Problem, Severity

# The stages, in the order a file meets them (the reference page's sections).
FILES = "Reading files"
YAML = "YAML"
SCHEMA = "Schema"
METHODOLOGY = "Methodology files"
EDITION = "Edition files"
COMPANY = "Company files"
AUDIT = "Audits and probes"
CORRECTION = "Corrections"
RECORD = "Imports (ccr record, ccr review)"
STAGES = (FILES, YAML, SCHEMA, METHODOLOGY, EDITION, COMPANY, AUDIT, CORRECTION, RECORD)


@dataclass(frozen=True, slots=True, eq=False)
class ProblemKind:
    """One kind of problem: id, severity, meaning, and its message and hint templates."""

    id: str
    stage: str
    meaning: str
    message: str  # str.format template with named fields
    hint: str  # likewise
    example: Mapping[str, Any] = field(default_factory=dict)  # fields of an example message
    severity: Severity = "error"

    def text(self, **fields: Any) -> tuple[str, str]:
        """The message and the hint, their fields filled in."""
        return self.message.format(**fields), self.hint.format(**fields)

    def problem(self, file: str, line: int, column: int, path: str, /, **fields: Any) -> Problem:
        """A problem of this kind at a place, its message and hint filled in from ``fields``."""
        message, hint = self.text(**fields)
        return Problem(self.id, file, line, column, path, message, hint, self.severity)

    def example_text(self) -> tuple[str, str]:
        """The message and the hint of the example."""
        return self.text(**self.example)


CATALOGUE: list[ProblemKind] = []


def _kind(
    id: str,
    stage: str,
    meaning: str,
    message: str,
    hint: str,
    example: Mapping[str, Any] | None = None,
    severity: Severity = "error",
) -> ProblemKind:
    entry = ProblemKind(id, stage, meaning, message, hint, dict(example or {}), severity)
    CATALOGUE.append(entry)
    return entry


_DETAIL = "{detail}"
_SUGGESTION = "{suggestion}"

# --- Reading files --------------------------------------------------------------------------

FILE_TOO_LARGE = _kind(
    "file-too-large",
    FILES,
    "The file is larger than a data file can be; it is not read.",
    "file is {size:,} bytes, over the limit of {limit:,}",
    "a company file is a few kilobytes; move evidence to evidence/<slug>/ and keep notes short",
    {"size": 3_000_000, "limit": 2_000_000},
)
NOT_UTF8 = _kind(
    "not-utf8",
    FILES,
    "The file is not UTF-8 text.",
    "byte 0x{byte:02x} is not valid UTF-8",
    "save the file as UTF-8 (Latin-1 and Windows-1250 are not accepted)",
    {"byte": 0xE9},
)
NUL_BYTE = _kind(
    "nul-byte",
    FILES,
    "The file holds a NUL byte, so it is no text file.",
    "the file contains a NUL byte",
    "this is not a text file; save it again as plain UTF-8 YAML",
)
INVALID_CHARACTER = _kind(
    "invalid-character",
    FILES,
    "The text holds a control character, a bidirectional override, a noncharacter or an "
    "unpaired surrogate.",
    "contains U+{code:04X}, {what}",
    "remove it: text is plain Unicode, without control characters or direction overrides "
    "(they can make a line read differently)",
    {"code": 0x202E, "what": "a bidirectional override"},
)
INVALID_CHARACTER_IN_VALUE = _kind(
    "invalid-character",
    FILES,
    "A value or a key holds a control character, a bidirectional override, a noncharacter or "
    "an unpaired surrogate written as an escape (\\u202e in a quoted string).",
    "contains U+{code:04X}, {what}",
    "remove it: text is plain Unicode, without control characters or direction overrides",
    {"code": 0x202E, "what": "a bidirectional override"},
)
UNREADABLE = _kind(
    "unreadable",
    FILES,
    "The file cannot be opened or read.",
    "cannot be read: {reason}",
    "check that it is a file and that you may read it",
    {"reason": "Permission denied"},
)
NOT_A_FILE = _kind(
    "not-a-file",
    FILES,
    "Where a data file is expected there is a folder, a device or a pipe.",
    "not a regular file",
    "a data file is a plain YAML file; remove what is there",
)
SYMLINK = _kind(
    "symlink",
    FILES,
    "A symbolic link below data/, docs/ or overrides/.",
    "a symbolic link; {where}",
    "replace the link by a copy of the file, or delete it: CCR never reads, publishes or "
    "writes through a link (it could reach files outside the repository)",
    {"where": "none is allowed under data/, docs/ or overrides/"},
)
DOTFILE = _kind(
    "dotfile",
    FILES,
    "A hidden file or folder below data/, docs/ or overrides/.",
    "a hidden file or folder (its name starts with a dot); {where}",
    "rename it without the leading dot, or delete it (a *.ccr-tmp file is left over from an "
    "interrupted `ccr correct`: delete it)",
    {"where": "none is allowed under data/, docs/ or overrides/"},
)

# --- YAML -----------------------------------------------------------------------------------

TAB_INDENT = _kind(
    "tab-indent",
    YAML,
    "A line is indented with a tab.",
    "tab used for indentation",
    "YAML indents with spaces only; replace the tab with spaces",
)
YAML_SYNTAX = _kind(
    "yaml-syntax",
    YAML,
    "The file is not valid YAML; the message is the parser's.",
    "YAML syntax: {detail}",
    "check indentation and quoting on this line and the one above; quote values that "
    "contain ': ' or start with a special character",
    {"detail": "mapping values are not allowed here"},
)
YAML_SYNTAX_UNPLACED = _kind(
    "yaml-syntax",
    YAML,
    "The YAML parser failed without saying where; the message is the parser's.",
    "YAML syntax: {detail}",
    "save the file as plain YAML",
    {"detail": "unacceptable character #x0080"},
)
EMPTY_FILE = _kind(
    "empty-file",
    YAML,
    "The file holds nothing.",
    "the file is empty",
    "a data file holds one mapping; start from `ccr new` or a neighbouring file",
)
MULTIPLE_DOCUMENTS = _kind(
    "multiple-documents",
    YAML,
    "The file holds more than one YAML document.",
    "more than one YAML document in the file",
    "remove the `---` line; one file holds one company or edition",
)
YAML_ANCHOR = _kind(
    "yaml-anchor",
    YAML,
    "An anchor (&name): data files write every value out.",
    "anchor &{anchor} is not allowed",
    "write the value out in full; anchors and aliases are not accepted",
    {"anchor": "hours"},
)
YAML_ALIAS = _kind(
    "yaml-alias",
    YAML,
    "An alias (*name): data files write every value out.",
    "alias *{anchor} is not allowed",
    "write the value out in full; anchors and aliases are not accepted",
    {"anchor": "hours"},
)
YAML_TAG = _kind(
    "yaml-tag",
    YAML,
    "A YAML tag (!name or !!type).",
    "tag {tag} is not allowed",
    "remove the tag; values are plain strings, numbers, booleans or null",
    {"tag": "!!binary"},
)
YAML_TAG_ON_COLLECTION = _kind(
    "yaml-tag",
    YAML,
    "A YAML tag on a mapping or a list (!!omap, !!set …).",
    "tag {tag} is not allowed",
    "remove the tag; values are plain mappings and lists",
    {"tag": "!!omap"},
)
YAML_MERGE_KEY = _kind(
    "yaml-merge-key",
    YAML,
    "A merge key (<<).",
    "merge keys (<<) are not allowed",
    "write the keys out in full",
)
YAML_COMPLEX_KEY = _kind(
    "yaml-complex-key",
    YAML,
    "A mapping key that is a list or a mapping.",
    "a key must be a plain string",
    "use a simple word as the key",
)
DUPLICATE_KEY = _kind(
    "duplicate-key",
    YAML,
    "A mapping names the same key twice; YAML would keep only the last value.",
    "duplicate key '{key}' (first at line {first})",
    "remove one of the two; YAML keeps only the last, so data would be lost",
    {"key": "website", "first": 4},
)
NOT_FINITE = _kind(
    "not-finite",
    YAML,
    "A number that is infinite or not a number (.inf, .nan).",
    "{value} is not a finite number",
    "use a plain number, or quote the value if it is text",
    {"value": ".inf"},
)
TOO_DEEP = _kind(
    "too-deep",
    YAML,
    "Mappings and lists nested deeper than any data file needs.",
    "nested deeper than {depth} levels",
    "company files are at most a few levels deep; check the indentation",
    {"depth": 32},
)

# --- Schema ---------------------------------------------------------------------------------

_FIELD_HELP = "the field's description from the JSON Schema (see the data reference page)"

SCHEMA_TYPE = _kind(
    "schema-type",
    SCHEMA,
    "A value of the wrong type (text where a number belongs, a list where a mapping does).",
    "expected {expected}, got {got}",
    "{description}",
    {"expected": "a whole number", "got": 'text ("three")', "description": _FIELD_HELP},
)
SCHEMA_REQUIRED = _kind(
    "schema-required",
    SCHEMA,
    "A required field is missing.",
    "missing required property '{key}'",
    "add `{key}:` — {description}",
    {"key": "website", "description": _FIELD_HELP},
)
SCHEMA_UNKNOWN_PROPERTY = _kind(
    "schema-unknown-property",
    SCHEMA,
    "A field the schema does not know (often a typo).",
    "unknown property '{key}'",
    _SUGGESTION,
    {"key": "webiste", "suggestion": "did you mean 'website'?"},
)
SCHEMA_ENUM = _kind(
    "schema-enum",
    SCHEMA,
    "A value that is not one of the allowed ones.",
    "{value} is not one of: {options}",
    _SUGGESTION,
    {"value": '"emial"', "options": "email, phone", "suggestion": "did you mean 'email'?"},
)
SCHEMA_FORMAT = _kind(
    "schema-format",
    SCHEMA,
    "Text not in the expected form (a slug, a timestamp, a duration …).",
    "{value} is not in the expected format",
    "{description}",
    {"value": '"2025-13-01"', "description": _FIELD_HELP},
)
SCHEMA_KEY_FORMAT = _kind(
    "schema-format",
    SCHEMA,
    "A mapping key not in the expected form.",
    "key {value} is not a valid name",
    "{description}",
    {"value": '"Rubric Item"', "description": _FIELD_HELP},
)
SCHEMA_EMPTY_TEXT = _kind(
    "schema-length",
    SCHEMA,
    "Empty text where some is required.",
    "must not be empty",
    "{description}",
    {"description": _FIELD_HELP},
)
SCHEMA_TEXT_LENGTH = _kind(
    "schema-length",
    SCHEMA,
    "Text that is too short or too long.",
    "text is {length} characters; {bound} {limit} allowed",
    "{description}",
    {"length": 300, "bound": "at most", "limit": 200, "description": _FIELD_HELP},
)
SCHEMA_ENTRIES = _kind(
    "schema-length",
    SCHEMA,
    "A list or mapping with too few or too many entries.",
    "has {count} entries; {bound} {limit} required",
    "{description}",
    {"count": 0, "bound": "at least", "limit": 1, "description": _FIELD_HELP},
)
SCHEMA_NO_ENTRIES = _kind(
    "schema-length",
    SCHEMA,
    "An empty mapping where at least one entry is required.",
    "has no entries",
    "{description}",
    {"description": _FIELD_HELP},
)
SCHEMA_RANGE = _kind(
    "schema-range",
    SCHEMA,
    "A number below the minimum or above the maximum.",
    "{value} is {side} of {limit}",
    "{description}",
    {"value": "-1", "side": "below the minimum", "limit": 0, "description": _FIELD_HELP},
)
SCHEMA_EXCLUSIVE_RANGE = _kind(
    "schema-range",
    SCHEMA,
    "A number that must lie strictly above (or below) a bound.",
    "{value} is not {side} {limit}",
    "{description}",
    {"value": "0", "side": "above", "limit": 0, "description": _FIELD_HELP},
)
SCHEMA_UNIQUE = _kind(
    "schema-unique",
    SCHEMA,
    "A list that must not repeat an entry repeats one.",
    "has the same entry twice",
    "remove the repeated entry",
)
SCHEMA_CONST = _kind(
    "schema-const",
    SCHEMA,
    "A value that must be exactly one thing is another; the message is the schema validator's.",
    _DETAIL,
    "{description}",
    {"detail": "'human' was expected", "description": _FIELD_HELP},
)
SCHEMA_OTHER = _kind(
    "schema-other",
    SCHEMA,
    "Any other schema rule (none of the shipped schemas uses one); the message is the "
    "schema validator's.",
    _DETAIL,
    "{description}",
    {"detail": "5 is not a multiple of 2", "description": _FIELD_HELP},
)

# --- Methodology files ----------------------------------------------------------------------

_RUBRIC_RULE = (
    'methodology {version} needs every rubric item marked true, false or "n/a" on a probe a '
    "person answered"
)

VERSION_MISMATCH = _kind(
    "version-mismatch",
    METHODOLOGY,
    "A methodology's version differs from its file name.",
    "version '{version}' differs from the file name '{stem}'",
    "rename the file to {version}.yaml or set version: {stem}",
    {"version": "v2", "stem": "v1"},
)
SHARES_SUM = _kind(
    "shares-sum",
    METHODOLOGY,
    "Shares (weights, transparency parts) that do not add up to 1.",
    "{key} sum to {total:.10g}, not 1",
    "they are {what}; change them so that they add up to 1",
    {"key": "weights", "total": 0.9, "what": "the sub-scores' shares of the composite score"},
)
DUPLICATE_RUBRIC_ITEM = _kind(
    "duplicate-rubric-item",
    METHODOLOGY,
    "Two rubric items with the same id.",
    "rubric item '{id}' is listed twice (first in rubric[{first}])",
    "give every rubric item its own id",
    {"id": "solved", "first": 0},
)
UNKNOWN_CHANNEL_TYPE = _kind(
    "unknown-channel-type",
    METHODOLOGY,
    "A channel family lists a type that company files cannot list.",
    "'{ctype}' is not a channel type a company file can list",
    _SUGGESTION,
    {"ctype": "emial", "suggestion": "did you mean 'email'?"},
)
CHANNEL_IN_TWO_FAMILIES = _kind(
    "channel-in-two-families",
    METHODOLOGY,
    "A channel type listed twice, in one family or in two.",
    "'{ctype}' is {where}",
    "families are disjoint: list each channel type in exactly one family",
    {"ctype": "email", "where": "also in family 'written'"},
)
CHANNEL_WITHOUT_FAMILY = _kind(
    "channel-without-family",
    METHODOLOGY,
    "A channel type that no channel family holds.",
    "no family holds {missing}",
    "every channel type a company file can list (benchmark/schemas/company.schema.json) "
    "belongs to exactly one family; add each to one",
    {"missing": "whatsapp, sms"},
)
UNKNOWN_FAMILY = _kind(
    "unknown-family",
    METHODOLOGY,
    "Speed, thresholds or breadth name a family that channel_families does not.",
    "'{family}' is not a channel family",
    "{suggestion} (families are the keys of channel_families)",
    {"family": "writen", "suggestion": "did you mean 'written'?"},
)
INVALID_DURATION = _kind(
    "invalid-duration",
    METHODOLOGY,
    "A duration that is zero or negative (anywhere a duration is given).",
    "{value} is not a positive duration",
    "write an ISO 8601 duration such as PT15M, PT24H or P2D",
    {"value": "PT0S"},
)
SPEED_ORDER = _kind(
    "speed-order",
    METHODOLOGY,
    "A family's speed `zero` time is not longer than its `full` time.",
    "zero ({zero}) is not longer than full ({full})",
    "speed points fall from 1 at `full` to 0 at `zero`, so `zero` is the longer time",
    {"zero": "PT1H", "full": "PT2H"},
)
THRESHOLDS_ORDER = _kind(
    "thresholds-order",
    METHODOLOGY,
    "Reply-time thresholds not listed shortest first, or one listed twice.",
    "{value} is not longer than the time before it ({previous})",
    "list the reply times shortest first, each once",
    {"value": "PT1H", "previous": "PT4H"},
)
BAND_ORDER = _kind(
    "band-order",
    METHODOLOGY,
    "Grades or tiers whose lower bounds do not fall from one to the next.",
    "{low:g} is not below the {name} before it ({previous:g})",
    "list {key} highest first, each starting below the one before",
    {"low": 80, "name": "grade", "previous": 70, "key": "grades"},
)
BAND_FLOOR = _kind(
    "band-floor",
    METHODOLOGY,
    "The lowest grade or tier does not start at 0, so some scores would get none.",
    "the last {name} starts at {low:g}, not 0",
    "the lowest {name} starts at 0, so that every score gets one",
    {"name": "grade", "low": 10},
)
PROMISE_ORDER_NONE = _kind(
    "promise-order",
    METHODOLOGY,
    "Not promising scores below promising and breaking the promise.",
    "not promising (none: {none:g}) scores below promising and breaking it (broken: {broken:g})",
    "not promising must never score below promising and breaking it; order them kept ≥ none "
    "≥ broken",
    {"none": 0.2, "broken": 0.5},
)
PROMISE_ORDER_KEPT = _kind(
    "promise-order",
    METHODOLOGY,
    "Keeping a promise scores below making none.",
    "keeping a promise (kept: {kept:g}) scores below not promising (none: {none:g})",
    "a promise kept must never score below no promise; order them kept ≥ none ≥ broken",
    {"kept": 0.5, "none": 0.8},
)

# --- Edition files --------------------------------------------------------------------------

ID_MISMATCH = _kind(
    "id-mismatch",
    EDITION,
    "An edition's id differs from its file name.",
    "id '{id}' differs from the file name '{stem}'",
    "rename the file to {id}.yaml or set id: {stem}",
    {"id": "2025-q3", "stem": "2025-q2"},
)
PERIOD_ORDER = _kind(
    "period-order",
    EDITION,
    "An edition's period ends before it starts.",
    "ends ({end}) before it starts ({start})",
    "swap start and end",
    {"end": "2025-01-01", "start": "2025-03-31"},
)
FUTURE_DATE = _kind(
    "future-date",
    EDITION,
    "A published edition whose period starts in the future.",
    "{start} is in the future",
    "a published edition is recorded once its probes have been sent; an edition being "
    "prepared has status: draft",
    {"start": "2099-01-01"},
)
UNKNOWN_METHODOLOGY = _kind(
    "unknown-methodology",
    EDITION,
    "An edition names a methodology version that has no file.",
    "methodology {methodology} does not exist",
    "add data/methodology/{methodology}.yaml or use one of: {known}",
    {"methodology": "v9", "known": "v1, v2"},
)
DUPLICATE_SCRIPT = _kind(
    "duplicate-script",
    EDITION,
    "Two scripts of an edition with the same id.",
    "script id '{id}' is used twice (first in scripts[{first}])",
    "give every script its own id",
    {"id": "refund", "first": 0},
)
UNKNOWN_TIMEZONE = _kind(
    "unknown-timezone",
    EDITION,
    "A time zone that is not in the IANA database (in editions and in audits' support hours).",
    "'{tz}' is not an IANA time zone",
    "use a name like Europe/Warsaw or America/New_York",
    {"tz": "Europe/Warsow"},
)
HOURS_ORDER = _kind(
    "hours-order",
    EDITION,
    "Business or support hours that close before they open.",
    "closes ({closes}) before it opens ({opens})",
    "give the closing time after the opening time; use 24:00 for midnight",
    {"closes": "08:00", "opens": "17:00"},
)
INVALID_DATE = _kind(
    "invalid-date",
    EDITION,
    "A date in the right form that does not exist (anywhere a date is given).",
    "{value} is not a real date",
    "check the day of the month (e.g. there is no 30 February)",
    {"value": "2025-02-30"},
)

# --- Company files --------------------------------------------------------------------------

SLUG_MISMATCH = _kind(
    "slug-mismatch",
    COMPANY,
    "A company's slug differs from its file name.",
    "slug '{slug}' differs from the file name '{stem}'",
    "rename the file to {slug}.yaml or set slug: {stem}",
    {"slug": "acme", "stem": "acme-bank"},
)
RESERVED_SLUG = _kind(
    "reserved-slug",
    COMPANY,
    "A slug that Windows reserves as a device name (con, nul, com1 …).",
    "'{slug}' is a reserved device name on Windows",
    "pick another slug (e.g. {slug}-company): a file {slug}.yaml cannot be checked out on Windows",
    {"slug": "aux"},
)
FICTIONAL_DOMAIN = _kind(
    "fictional-domain",
    COMPANY,
    "A company marked real whose website is a .example domain.",
    "a .example domain on a company marked real",
    "set fictional: true, or give the company's real website",
)
DUPLICATE_SLUG = _kind(
    "duplicate-slug",
    COMPANY,
    "Two company files with the same slug (letter case aside).",
    "slug '{slug}' is also used by {others}",
    "every company has its own slug; pick another or merge the two files",
    {"slug": "acme", "others": "data/companies/Acme.yaml"},
)
DUPLICATE_DOMAIN = _kind(
    "duplicate-domain",
    COMPANY,
    "Two company files with the same website domain.",
    "domain {domain} is also used by {others}",
    "one file per company: merge the two files, or correct the website",
    {"domain": "acme.example", "others": "data/companies/acme-bank.yaml"},
)
UNKNOWN_SECTOR = _kind(
    "unknown-sector",
    COMPANY,
    "A company's sector is not one of those an edition it is audited in reviews.",
    "{sector!r} is not a sector of edition '{edition}'",
    "{suggestion} (the sectors an edition reviews are listed in {file})",
    {
        "sector": "bankng",
        "edition": "2025-q2",
        "suggestion": "did you mean 'banking'?",
        "file": "data/editions/2025-q2.yaml",
    },
)
UNKNOWN_COUNTRY = _kind(
    "unknown-country",
    COMPANY,
    "Two capital letters that are no ISO 3166-1 alpha-2 country code; the hint suggests the "
    "code meant (UK → GB) or the market of the company's edition.",
    "'{country}' is not an ISO 3166-1 alpha-2 country code",
    _SUGGESTION,
    {
        "country": "UK",
        "suggestion": "did you mean 'GB'? (UK is often written for the United Kingdom)",
    },
)
INVALID_DOMAIN = _kind(
    "invalid-domain",
    COMPANY,
    "A website whose host is no valid domain name.",
    "'{host}' is not a valid domain name",
    "check the address: a domain's labels hold letters, digits and hyphens",
    {"host": "acme..example"},
)
CONFUSABLE_DOMAIN = _kind(
    "confusable-domain",
    COMPANY,
    "A website domain that mixes look-alike letters and may pass for another domain.",
    "{domain} ({ascii}) may pass for another domain: {finding}",
    "check that this is the company's own website, and write it as it reads (a company's site "
    "in another script is fine; a mix of look-alike letters is not)",
    {
        "domain": "аcme.example",
        "ascii": "xn--cme-8cd.example",
        "finding": "it mixes Cyrillic and Latin letters",
    },
    severity="warning",
)
CONFUSABLE_DOMAINS = _kind(
    "confusable-domain",
    COMPANY,
    "A website domain that reads like that of another company file.",
    "{domain} looks like {others}",
    "one file per company: if it is the same company, merge the files; if not, check that the "
    "website is this company's own",
    {"domain": "acrne.example", "others": "acme.example (data/companies/acme.yaml)"},
    severity="warning",
)
DUPLICATE_NAME = _kind(
    "duplicate-name",
    COMPANY,
    "A company name that reads the same as that of another company file.",
    "the name {name!r} reads the same as that of {others}",
    "readers tell companies apart by name: if it is the same company, merge the files; if "
    "not, add what tells them apart (a country, a brand)",
    {"name": "ACME", "others": "data/companies/acme.yaml"},
    severity="warning",
)
PERSONAL_DATA = _kind(
    "personal-data",
    COMPANY,
    "A staff member's e-mail address or phone number in free text or an evidence file name.",
    "{where} holds {what}: {found}",
    "CCR publishes no personal data of the company's staff; remove it or write what it was "
    "(e.g. 'the agent gave a direct number'). A service number or a team address the company "
    "publishes may stay",
    {"where": "this text", "what": "an e-mail address", "found": "jan.kowalski@acme.example"},
    severity="warning",
)
INVALID_TIMESTAMP = _kind(
    "invalid-timestamp",
    COMPANY,
    "A timestamp in the right form that names no real moment.",
    "{value} is not a real moment in time",
    "check the day of the month and the hour (e.g. there is no 30 February)",
    {"value": "2025-02-30T10:00:00+01:00"},
)
FUTURE_TIMESTAMP = _kind(
    "future-timestamp",
    COMPANY,
    "A timestamp after the time of the check.",
    "{value} is in the future",
    "record only what has happened; check the year and the UTC offset",
    {"value": "2099-01-01T10:00:00+01:00"},
)

# --- Audits and probes ----------------------------------------------------------------------

UNKNOWN_EDITION = _kind(
    "unknown-edition",
    AUDIT,
    "An audit names an edition that has no file.",
    "edition '{edition}' does not exist",
    "{suggestion} (editions live in data/editions/)",
    {"edition": "2025-q5", "suggestion": "did you mean '2025-q2'?"},
)
DUPLICATE_AUDIT = _kind(
    "duplicate-audit",
    AUDIT,
    "Two audits of a company for the same edition.",
    "edition '{edition}' is audited twice (first in audits[{first}])",
    "one audit per edition; put every probe of the edition in one audit",
    {"edition": "2025-q2", "first": 0},
)
AUDIT_ORDER = _kind(
    "audit-order",
    AUDIT,
    "An audit ends before it starts.",
    "ends ({ended}) before it starts ({started})",
    "swap started and ended",
    {"ended": "2025-04-01", "started": "2025-04-20"},
)
DUPLICATE_CHANNEL = _kind(
    "duplicate-channel",
    AUDIT,
    "An audit lists a channel type twice.",
    "channel '{channel}' is listed twice (first in channels[{first}])",
    "list each channel once; put all its facts in one entry",
    {"channel": "email", "first": 0},
)
FIELD_FOR_OTHER_CHANNEL = _kind(
    "field-for-other-channel",
    AUDIT,
    "A channel fact that belongs to another channel type (proactive to live chat; handoff "
    "and follows_up to chatbots).",
    "'{field}' applies to {applies}, not {channel}",
    "remove it from this channel",
    {"field": "proactive", "applies": "live_chat", "channel": "email"},
)
CHANNEL_NOT_OFFERED = _kind(
    "channel-not-offered",
    AUDIT,
    "A probe on a channel that its audit does not list.",
    "channel '{channel}' is not among the audit's channels",
    "add it to the audit's channels, or correct the probe's channel ({offered})",
    {"channel": "phone", "offered": "email, live_chat"},
)
UNKNOWN_SCRIPT = _kind(
    "unknown-script",
    AUDIT,
    "A probe names a script its edition does not have.",
    "script '{script}' is not in edition '{edition}'",
    _SUGGESTION,
    {"script": "refnd", "edition": "2025-q2", "suggestion": "did you mean 'refund'?"},
)
OUTSIDE_PERIOD = _kind(
    "outside-period",
    AUDIT,
    "A probe sent outside its edition's period.",
    "sent on {sent}, outside the edition period ({start} to {end})",
    "check the date, or move the probe to the audit of the right edition",
    {"sent": "2025-07-02", "start": "2025-04-01", "end": "2025-06-30"},
)
OUTSIDE_AUDIT = _kind(
    "outside-audit",
    AUDIT,
    "A probe sent outside its audit's started and ended dates.",
    "sent on {sent}, outside the audit's dates ({started} to {ended})",
    "widen the audit's started/ended dates or correct sent_at",
    {"sent": "2025-05-02", "started": "2025-04-01", "ended": "2025-04-30"},
)
RESPONSE_BEFORE_QUESTION = _kind(
    "response-before-question",
    AUDIT,
    "A reply timed before the question was sent.",
    "earlier than sent_at ({sent_at})",
    "a reply cannot come before the question; check the date, hour and offset",
    {"sent_at": "2025-04-02T10:00:00+02:00"},
)
HUMAN_RESPONSE_MISPLACED = _kind(
    "human-response-misplaced",
    AUDIT,
    "A human_response without a first reply by a bot or an auto-reply before it.",
    "human_response is only for a person replying after a bot or auto-reply",
    "when a person replied first, record it as first_response with by: human",
)
RESPONSE_ORDER = _kind(
    "response-order",
    AUDIT,
    "A human_response timed before the first_response.",
    "earlier than first_response.at",
    "first_response is the first reply of any kind; swap the two",
)
QUALITY_WITHOUT_ANSWER = _kind(
    "quality-without-answer",
    AUDIT,
    "Quality marks on a probe no person answered.",
    "quality is marked but no person answered",
    "mark quality only on probes with a human reply; remove it or record the reply",
)
UNKNOWN_RUBRIC_ITEM = _kind(
    "unknown-rubric-item",
    AUDIT,
    "A quality mark for an item the edition's methodology does not have.",
    "'{item}' is not a rubric item of the edition's methodology",
    _SUGGESTION,
    {"item": "polite", "suggestion": "did you mean 'politeness'?"},
)
QUALITY_MARKS_MISSING = _kind(
    "quality-marks-missing",
    AUDIT,
    "A methodology with `quality_marks: complete`, and a probe a person answered without "
    "quality marks.",
    "a person answered, but no rubric item is marked",
    _RUBRIC_RULE + "; add quality: with {items}",
    {"version": "v2", "items": "solved, polite"},
)
QUALITY_MARKS_INCOMPLETE = _kind(
    "quality-marks-missing",
    AUDIT,
    "A methodology with `quality_marks: complete`, and a probe a person answered with some "
    "rubric items not marked.",
    "{count} rubric {items_are} not marked",
    _RUBRIC_RULE + "; add {missing}",
    {"version": "v2", "count": 1, "items_are": "item is", "missing": "polite"},
)
NO_RUBRIC_ITEM_APPLIES = _kind(
    "no-rubric-item-applies",
    AUDIT,
    'A probe a person answered with every rubric item marked "n/a".',
    "no rubric item applies",
    'every item is marked "n/a"; an answer by a person is judged on at least one item: mark '
    "it true or false (e.g. {first})",
    {"first": "solved"},
)
QUALITY_TO_REVIEW_DRAFT = _kind(
    "quality-to-review",
    AUDIT,
    "Quality marks an import left to_review, in a draft edition (they count as not met).",
    "{count} rubric {items_are} still to review: {pending}",
    "judge them with ccr review; until then they count as not met in this draft edition's scores",
    {"count": 2, "items_are": "items are", "pending": "solved, polite"},
    severity="warning",
)
QUALITY_TO_REVIEW = _kind(
    "quality-to-review",
    AUDIT,
    "Quality marks an import left to_review, in a published edition.",
    "{count} rubric {items_are} still to review: {pending}, in a published edition",
    "judge them with ccr review before the edition is published (status: draft while it is "
    "being audited)",
    {"count": 1, "items_are": "item is", "pending": "solved"},
)
REDIRECT_WITHOUT_ANSWER = _kind(
    "redirect-without-answer",
    AUDIT,
    "A redirect recorded on a probe nothing replied to.",
    "a redirect is recorded but nothing replied",
    "record the reply that redirected, or remove redirected_to",
)
MARKETING_AFTER_ANSWER = _kind(
    "marketing-after-answer",
    AUDIT,
    "Marketing mail counted as sent after no answer, on a probe a person answered.",
    "marketing after no answer is recorded, but a person answered",
    "set it to 0, or remove the human reply if none came",
)
EVIDENCE_PATH = _kind(
    "evidence-path",
    AUDIT,
    "An evidence file outside the company's own evidence folder.",
    "evidence path '{file}' is outside evidence/{slug}/",
    "put the file under evidence/{slug}/ and name it there",
    {"file": "evidence/other/mail.eml", "slug": "acme"},
)
TOO_MANY_PROBES = _kind(
    "too-many-probes",
    AUDIT,
    "An audit with more probes than its edition's limits.probes_per_audit.",
    "the audit holds {count:,} probes; the limit of {where} is {limit:,}",
    "record each question sent once; if the edition really sent more, raise "
    "limits.probes_per_audit in the edition file",
    {"count": 8689, "where": "edition '2025-q2' (data/editions/2025-q2.yaml)", "limit": 50},
)
TOO_MANY_PROBES_ON_CHANNEL = _kind(
    "too-many-probes",
    AUDIT,
    "An audit with more probes on one channel than its edition's limits.probes_per_channel.",
    "{count:,} probes on channel '{channel}' in this audit; the limit of {where} is "
    "{limit:,} per channel",
    "record each question sent once; if the edition really sent more, raise "
    "limits.probes_per_channel in the edition file",
    {"count": 30, "channel": "email", "where": "the default", "limit": 20},
)
REPEATED_PROBE = _kind(
    "repeated-probe",
    AUDIT,
    "The same probe (script, channel and sent_at) recorded more often than the edition's "
    "limits.identical_probes.",
    "the same probe as probes[{first}] (script, channel and sent_at): {copies:,} copies, "
    "{allowed:,} allowed",
    "a probe is one question sent at one moment; remove the copies — each one would count the "
    "same question again in every statistic",
    {"first": 0, "copies": 3, "allowed": 1},
)
OFFSET_NOT_EDITION_ZONE = _kind(
    "offset-not-edition-zone",
    AUDIT,
    "A timestamp whose UTC offset is not that of the edition's time zone at that moment.",
    "offset {actual} is not that of {zone} on {day} ({want})",
    "the edition's times are in {zone}: if the clock time is right, write {clock}{want}; if "
    "the moment is right, write {local}",
    {
        "actual": "+01:00",
        "zone": "Europe/Warsaw",
        "day": "2025-06-02",
        "want": "+02:00",
        "clock": "2025-06-02T10:00:00",
        "local": "2025-06-02T11:00:00+02:00",
    },
    severity="warning",
)

# --- Corrections ----------------------------------------------------------------------------

CORRECTION_EFFECT = _kind(
    "correction-effect",
    CORRECTION,
    "A correction added in a pull request whose recorded effect the data do not give.",
    "records {recorded}, but BASE → HEAD gives {computed}",
    "the effect must follow from the data: edit the data, then record the correction with "
    "`ccr correct` on a work tree that holds every change of this pull request (rebased on "
    "its base), or write the numbers above",
    {"recorded": "score 61.0 → 64.0", "computed": "score 61.0 → 63.5"},
)

# --- Imports --------------------------------------------------------------------------------

CSV_ENCODING = _kind(
    "csv-encoding",
    RECORD,
    "A log sheet that is not UTF-8 text.",
    "the file is not UTF-8 text",
    "save it as 'CSV UTF-8' (Excel) or with the character set Unicode (UTF-8) (LibreOffice)",
)
CSV_SYNTAX = _kind(
    "csv-syntax",
    RECORD,
    "A log sheet that is not valid CSV; the message is the CSV reader's.",
    "not CSV: {error}",
    "check the quotes on this line",
    {"error": "unexpected end of data"},
)
CSV_UNREADABLE = _kind(
    "csv-syntax",
    RECORD,
    "A log sheet the CSV reader cannot start on; the message is the CSV reader's.",
    "not CSV: {error}",
    "save the sheet as CSV",
    {"error": "line contains NUL"},
)
LOG_HEADER_EMPTY = _kind(
    "log-header",
    RECORD,
    "A log sheet whose first row names no columns.",
    "the first row names no columns",
    "start with the header row: {header}",
    {"header": "company,channel,script,sent,first_reply,by"},
)
LOG_HEADER_UNKNOWN = _kind(
    "log-header",
    RECORD,
    "A log sheet's header names a column the log does not have.",
    "unknown column {column!r}",
    _SUGGESTION,
    {"column": "chanel", "suggestion": "did you mean 'channel'?"},
)
LOG_HEADER_TWICE = _kind(
    "log-header",
    RECORD,
    "A log sheet's header names a column twice.",
    "column {column!r} is named twice",
    "keep one (the first is column {first})",
    {"column": "sent", "first": 4},
)
LOG_HEADER_MISSING = _kind(
    "log-header",
    RECORD,
    "A log sheet's header lacks a column every log needs.",
    "no {columns} column",
    "the header row names at least company, channel and sent",
    {"columns": "channel"},
)
LOG_CELL = _kind(
    "log-cell",
    RECORD,
    "A cell of a log sheet that cannot be read (no company, an unknown channel, a time "
    "that is no time …).",
    _DETAIL,
    "{hint}",
    {"detail": "'robot' is not who replied", "hint": "write human, bot or auto_reply"},
)
_GIVE_MAIL = "give a Maildir folder, an mbox file or .eml files"
MAIL_SOURCE_MISSING = _kind(
    "mail-source",
    RECORD,
    "What `ccr record mail` was given does not exist.",
    "no such file or folder",
    _GIVE_MAIL,
)
MAIL_SOURCE_NOT_MAILDIR = _kind(
    "mail-source",
    RECORD,
    "`ccr record mail` was given a folder that is not a Maildir.",
    "a folder that is not a Maildir (it has no cur/, new/ and tmp/)",
    _GIVE_MAIL,
)
MAIL_SOURCE_NOT_MAIL = _kind(
    "mail-source",
    RECORD,
    "`ccr record mail` was given a file that is neither an mbox nor a message.",
    "not mail: neither an mbox (starting with a 'From ' line) nor a message (starting with "
    "headers)",
    "give an mbox file, a Maildir folder or .eml files exported from the audit mailbox",
)
MAIL_SOURCE_LARGE_FILE = _kind(
    "mail-source",
    RECORD,
    "A message file (.eml) over 25 MB.",
    "a message over 25 MB",
    "export the message without its attachments",
)
MAIL_SOURCE_LARGE_MESSAGE = _kind(
    "mail-source",
    RECORD,
    "A message of an mbox over 25 MB.",
    "a message over 25 MB",
    "export it without attachments",
)
MAIL_MESSAGE = _kind(
    "mail-message",
    RECORD,
    "A message of the mailbox that cannot be read (damaged, no Message-ID, no date …).",
    _DETAIL,
    "{hint}",
    {
        "detail": "the message holds NUL bytes: the file is damaged or not mail",
        "hint": "export the message again from the mail program",
    },
)
MAIL_COMPANY_NOT_IN_EDITION = _kind(
    "mail-company-not-in-edition",
    RECORD,
    "A question mailed to a company that has no audit in the edition being recorded.",
    "a question to {slug} ({domain}), which is not in edition {edition}",
    "add it first: ccr audit add {slug} --edition {edition}",
    {"slug": "acme", "domain": "acme.example", "edition": "2025-q2"},
)
MAIL_SCRIPT = _kind(
    "mail-script",
    RECORD,
    "A question mailed to a company whose script cannot be told from its subject.",
    "a question to {slug}: which script was sent?",
    "{hint} (or give --script)",
    {"slug": "acme", "hint": "put the script id in the subject, e.g. [refund]"},
)
REVIEW_ANSWERS = _kind(
    "review-answers",
    RECORD,
    "An answers file given to `ccr review` that cannot be applied.",
    _DETAIL,
    "{hint}",
    {"detail": "not a mapping of company slugs", "hint": "see ccr review --help"},
)


def ids() -> frozenset[str]:
    """Every problem kind's id."""
    return frozenset(kind.id for kind in CATALOGUE)
