"""Personal data of the company's staff in notes and evidence: the validator warns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmark import privacy
from benchmark.cli import cli

from .helpers import FIXTURES, REPO

PERSONAL = [
    (
        "Anna wrote from anna.nowak@valid-soft.example the next day",
        "PL",
        [("an e-mail address", "anna.nowak@valid-soft.example")],
    ),
    (
        "signed J.Kowalski <j.kowalski@shop.example>",
        "PL",
        [("an e-mail address", "j.kowalski@shop.example")],
    ),
    (
        "the agent gave his mobile, +48 601 234 567, to call back",
        "PL",
        [("a mobile number", "+48 601 234 567")],
    ),
    ("call me on 601-234-567", "PL", [("a mobile number", "601-234-567")]),
    ("direct line (212) 555-0133", "US", [("a phone number", "(212) 555-0133")]),
    ("ring 22 123 45 67 ext. 12", "PL", [("a phone number", "22 123 45 67 ext. 12")]),
    ("Her UK mobile: 07911 123456", "GB", [("a mobile number", "07911 123456")]),
]

NOT_PERSONAL = [
    ("Replies came from support@valid-soft.example", "PL"),
    ("Sent to kontakt@sklep.example and Info@Shop.Example", "PL"),
    ("No reply from no-reply@mail.example", "DE"),
    ("Order 123456789 was shipped", "PL"),
    ("Ticket #48601234567 was closed", "PL"),
    ("The hotline 801 123 456 answered", "PL"),
    ("Free line 0800 123 4567", "GB"),
    ("Free line 1-800-555-0199", "US"),
    ("Replied at 2019-02-11T10:15:00+01:00, 12:40 local time", "PL"),
    ("A price of 1 299,00 zł and 2 x 49.99", "PL"),
    ("", None),
    ("@@@ a@b x@y.z user@localhost", None),
]


@pytest.mark.parametrize(("text", "region", "expected"), PERSONAL)
def test_staff_contact_details_are_found(
    text: str, region: str, expected: list[tuple[str, str]]
) -> None:
    """A person's e-mail address or phone number in a text is found, as written."""
    assert [(f.what, f.found) for f in privacy.findings(text, region)] == expected


@pytest.mark.parametrize(("text", "region"), NOT_PERSONAL)
def test_role_addresses_service_numbers_and_other_digits_pass(
    text: str, region: str | None
) -> None:
    """Team addresses, toll-free and shared-cost numbers, order numbers and dates pass."""
    assert privacy.findings(text, region) == []


def _with_personal_data(tree: Path) -> Path:
    """The valid fixture with a staff address in notes, a mobile in a quote, one in evidence."""
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "          promised: PT24H\n",
        "          promised: PT24H\n          quote: 'Thanks! Marta, +48 601 234 567'\n",
        1,
    )
    text = text.replace(
        "          by: bot\n",
        "          by: bot\n"
        "        notes: The bot handed over to marta.wisniewska@valid-soft.example\n"
        "        evidence: [evidence/valid/chat.png, evidence/valid/sms-from-601-234-567.png]\n",
        1,
    )
    target = tree / "data" / "companies" / "valid.yaml"
    target.write_text(text, encoding="utf-8")
    return target


def test_validate_warns_about_personal_data(tree: Path) -> None:
    """`ccr validate` prints one warning per finding with its place, and still exits 0."""
    target = _with_personal_data(tree)
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree), str(target)])
    hint = (
        "hint: CCR publishes no personal data of the company's staff; remove it or write "
        "what it was (e.g. 'the agent gave a direct number'). A service number or a team "
        "address the company publishes may stay"
    )
    assert result.output.splitlines() == [
        "data/companies/valid.yaml:36:11: warning: audits[0].probes[0].acknowledgement.quote: "
        f"this text holds a mobile number: +48 601 234 567 — {hint}",
        "data/companies/valid.yaml:55:9: warning: audits[0].probes[1].notes: this text holds an "
        f"e-mail address: marta.wisniewska@valid-soft.example — {hint}",
        "data/companies/valid.yaml:56:45: warning: audits[0].probes[1].evidence[1]: an evidence "
        f"file name holds a mobile number: 601-234-567 — {hint}",
        "Checked 1 company file and 0 editions: 0 errors, 3 warnings.",
    ]
    assert result.exit_code == 0


def test_bundled_data_holds_no_personal_data(tmp_path: Path) -> None:
    """The demo data raises no personal-data warning (it is invented, and must look clean)."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    result = CliRunner().invoke(cli, ["validate", "--root", str(tmp_path), "--format", "json"])
    assert '"personal-data"' not in result.output
    assert result.exit_code == 0
