"""One small bad file per rule: the exact message, line and column the user sees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmark.cli import cli

from .helpers import FIXTURES

EXPECTED = {
    "slug-mismatch": [
        "data/companies/slug-mismatch.yaml:2:1: slug: slug 'another-name' differs from the file "
        "name 'slug-mismatch' — hint: rename the file to another-name.yaml or set slug: "
        "slug-mismatch",
    ],
    "duplicate-domain": [
        "data/companies/duplicate-domain.yaml:4:1: website: domain neighbour.example is also used "
        "by data/companies/neighbour.yaml — hint: one file per company: merge the two files, or "
        "correct the website",
    ],
    "unknown-edition": [
        "data/companies/unknown-edition.yaml:13:5: audits[0].edition: edition 'fixture-editon' "
        "does not exist — hint: did you mean 'fixture-edition'? (editions live in data/editions/)",
    ],
    "timestamp-no-offset": [
        "data/companies/timestamp-no-offset.yaml:32:9: audits[0].probes[0].sent_at: "
        '"2019-02-11T10:15:00" is not in the expected format — hint: A moment with its UTC '
        "offset, ISO 8601: YYYY-MM-DDTHH:MM[:SS]+HH:MM (or Z).",
    ],
    "future-timestamp": [
        "data/companies/future-timestamp.yaml:37:11: audits[0].probes[0].first_response.at: "
        "2099-02-11T12:40:00+01:00 is in the future — hint: record only what has happened; check "
        "the year and the UTC offset",
    ],
    "impossible-date": [
        "data/companies/impossible-date.yaml:32:9: audits[0].probes[0].sent_at: "
        "2019-02-30T10:15:00+01:00 is not a real moment in time — hint: check the day of the "
        "month and the hour (e.g. there is no 30 February)",
    ],
    "response-before-question": [
        "data/companies/response-before-question.yaml:37:11: "
        "audits[0].probes[0].first_response.at: earlier than sent_at (2019-02-11T10:15:00+01:00) "
        "— hint: a reply cannot come before the question; check the date, hour and offset",
    ],
    "outside-period": [
        "data/companies/outside-period.yaml:50:9: audits[0].probes[1].sent_at: sent on "
        "2019-04-12, outside the edition period (2019-01-01 to 2019-03-31) — hint: check the "
        "date, or move the probe to the audit of the right edition",
    ],
    "channel-not-offered": [
        "data/companies/channel-not-offered.yaml:48:9: audits[0].probes[1].channel: channel "
        "'phone' is not among the audit's channels — hint: add it to the audit's channels, or "
        "correct the probe's channel (email, live_chat)",
    ],
    "duration-not-iso": [
        "data/companies/duration-not-iso.yaml:27:11: "
        'audits[0].channels[1].declared_response_time.duration: "5 minutes" is not in the '
        "expected format — hint: An ISO 8601 duration in days, hours, minutes or seconds, e.g. "
        "PT15M, PT24H, P2D.",
    ],
    "duration-zero": [
        "data/companies/duration-zero.yaml:35:11: audits[0].probes[0].acknowledgement.promised: "
        "PT0M is not a positive duration — hint: write an ISO 8601 duration such as PT15M, PT24H "
        "or P2D",
    ],
    "quality-without-answer": [
        "data/companies/quality-without-answer.yaml:54:9: audits[0].probes[1].quality: quality is "
        "marked but no person answered — hint: mark quality only on probes with a human reply; "
        "remove it or record the reply",
    ],
    "unknown-rubric-item": [
        "data/companies/unknown-rubric-item.yaml:42:11: audits[0].probes[0].quality.personnal: "
        "'personnal' is not a rubric item of the edition's methodology — hint: did you mean "
        "'personal'?",
    ],
    "url-not-http": [
        'data/companies/url-not-http.yaml:60:5: corrections[0].link: "javascript:alert(1)" is not '
        "in the expected format — hint: An http or https URL.",
    ],
    "unknown-property": [
        "data/companies/unknown-property.yaml:48:9: audits[0].probes[1]: missing required "
        "property 'sent_at' — hint: add `sent_at:` — When the question was sent, with UTC offset.",
        "data/companies/unknown-property.yaml:50:9: audits[0].probes[1].sent_on: unknown property "
        "'sent_on' — hint: did you mean 'sent_at'?",
    ],
    "wrong-type": [
        'data/companies/wrong-type.yaml:7:1: languages: expected a list, got text ("pl") — hint: '
        "Languages the company's site is offered in, as ISO 639-1 codes (pl, en, …).",
    ],
    "duplicate-key": [
        "data/companies/duplicate-key.yaml:6:1: sector: duplicate key 'sector' (first at line 5) "
        "— hint: remove one of the two; YAML keeps only the last, so data would be lost",
    ],
    "alias-bomb": [
        "data/companies/alias-bomb.yaml:1:4: anchor &a is not allowed — hint: write the value out "
        "in full; anchors and aliases are not accepted",
    ],
    "latin1": [
        "data/companies/latin1.yaml:2:10: byte 0xe9 is not valid UTF-8 — hint: save the file as "
        "UTF-8 (Latin-1 and Windows-1250 are not accepted)",
    ],
    "tab-indent": [
        "data/companies/tab-indent.yaml:3:1: tab used for indentation — hint: YAML indents with "
        "spaces only; replace the tab with spaces",
    ],
    "empty": [
        "data/companies/empty.yaml:1:1: the file is empty — hint: a data file holds one mapping; "
        "start from `ccr new` or a neighbouring file",
    ],
    "a-list": [
        'data/companies/a-list.yaml:1:1: expected a mapping, got a list ([{"slug": "a-list"}, '
        '{"name": "A List"}]) — hint: a data file is one mapping of fields (slug: …, name: …), '
        "not a list or a single value",
    ],
    "two-documents": [
        "data/companies/two-documents.yaml:2:1: more than one YAML document in the file — hint: "
        "remove the `---` line; one file holds one company or edition",
    ],
}


def run_validate(tree: Path, name: str) -> tuple[int, list[str]]:
    """Copy one fixture into the tree and validate just that file."""
    target = tree / "data" / "companies" / f"{name}.yaml"
    shutil.copyfile(FIXTURES / "invalid" / f"{name}.yaml", target)
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree), str(target)])
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rule_reports_exact_problem(tree: Path, name: str) -> None:
    """Each bad fixture gives exactly its expected problem lines, a summary and exit 1."""
    code, lines = run_validate(tree, name)
    expected = EXPECTED[name]
    assert lines[:-1] == expected
    assert lines[-1] == f"Checked 1 company file and 0 editions: {len(expected)} error" + (
        "s." if len(expected) > 1 else "."
    )
    assert code == 1


def test_every_invalid_fixture_has_an_expectation() -> None:
    """No fixture sits in tests/fixtures/invalid without its expected message (or the reverse)."""
    on_disk = {p.stem for p in (FIXTURES / "invalid").glob("*.yaml")} - {"five-problems"}
    assert on_disk == set(EXPECTED)


def test_five_problems_reported_in_one_run(tree: Path) -> None:
    """A file with five different problems reports all five, in file order."""
    code, lines = run_validate(tree, "five-problems")
    assert code == 1
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == [
        "slug",
        "languages",
        "audits[0].edition",
        "audits[0].probes[0].first_response.at",
        "audits[0].probes[1].channel",
    ]
    assert lines[-1] == "Checked 1 company file and 0 editions: 5 errors."


def test_valid_fixture_is_clean(tree: Path) -> None:
    """The valid fixture passes with exit 0 and a clean summary."""
    target = tree / "data" / "companies" / "valid.yaml"
    shutil.copyfile(FIXTURES / "valid.yaml", target)
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree)])
    assert result.output == "Checked 2 company files and 1 edition: no problems.\n"
    assert result.exit_code == 0
