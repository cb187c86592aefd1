"""Rules against data that validated but should not: stuffing, sectors, countries, offsets.

Stuffing (too many or repeated probes), unknown sectors and countries, and UTC offsets that
are not the edition's time zone. Each test shows the exact lines the user sees.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from benchmark.cli import cli

from .helpers import FIXTURES

VALID = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
PROBES_AT = "    probes:\n"
UNANSWERED = (
    "      - {channel: email, script: quote, sent_at: '2019-02-13T10:00:00+01:00', "
    "first_response: null}\n"
)


def check(tree: Path, text: str, name: str = "valid") -> tuple[int, list[str]]:
    """Write data/companies/NAME.yaml and validate just it; exit code and output lines."""
    target = tree / "data" / "companies" / f"{name}.yaml"
    target.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree), str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def stuffed(copies: int, probe: str = UNANSWERED) -> str:
    """The valid file with ``copies`` more copies of one probe after its own two."""
    head, tail = VALID.split("corrections:\n", 1)
    return head + probe * copies + "corrections:\n" + tail


def test_stuffed_file_is_refused_with_one_line_per_limit(tree: Path) -> None:
    """8,689 copies of one unanswered probe: over the audit, channel and repeat limits."""
    code, lines = check(tree, stuffed(8689))
    assert code == 1
    assert lines == [
        "data/companies/valid.yaml:57:9: audits[0].probes[3]: the same probe as probes[2] "
        "(script, channel and sent_at): 8,689 copies, 1 allowed — hint: a probe is one "
        "question sent at one moment; remove the copies — each one would count the same "
        "question again in every statistic",
        "data/companies/valid.yaml:75:10: audits[0].probes[21].channel: 8,690 probes on "
        "channel 'email' in this audit; the limit of edition 'fixture-edition' "
        "(data/editions/fixture-edition.yaml) is 20 per channel — hint: record each question "
        "sent once; if the edition really sent more, raise limits.probes_per_channel in the "
        "edition file",
        "data/companies/valid.yaml:104:9: audits[0].probes[50]: the audit holds 8,691 probes; "
        "the limit of edition 'fixture-edition' (data/editions/fixture-edition.yaml) is 50 — "
        "hint: record each question sent once; if the edition really sent more, raise "
        "limits.probes_per_audit in the edition file",
        "Checked 1 company file and 0 editions: 3 errors.",
    ]


def test_limits_come_from_the_edition(tree: Path) -> None:
    """An edition that sends more may say so; then the same file passes (but for repeats)."""
    edition = tree / "data" / "editions" / "fixture-edition.yaml"
    edition.write_text(
        edition.read_text() + "limits:\n  probes_per_audit: 100\n"
        "  probes_per_channel: 60\n  identical_probes: 60\n"
    )
    code, lines = check(tree, stuffed(59))
    assert (code, lines) == (0, ["Checked 1 company file and 0 editions: no problems."])
    code, lines = check(tree, stuffed(61))
    assert code == 1
    assert [line.split(": ")[1] for line in lines[:-1]] == [
        "audits[0].probes[61].channel",
        "audits[0].probes[62]",
    ]


def test_same_moment_with_another_offset_is_a_repeat(tree: Path) -> None:
    """The same instant written twice (+01:00 and Z) is one probe sent twice."""
    again = UNANSWERED.replace("10:00:00+01:00", "09:00:00Z")
    code, lines = check(tree, stuffed(1, UNANSWERED + again))
    assert code == 1
    assert "audits[0].probes[3]: the same probe as probes[2]" in lines[0]


def test_bundled_editions_fit_the_default_limits() -> None:
    """The demo data, generated to reproduce real reports, passes the defaults."""
    result = CliRunner().invoke(cli, ["validate", "--root", str(FIXTURES.parent.parent)])
    assert result.exit_code == 0, result.output[-2000:]


def test_sector_must_be_one_the_edition_reviews(tree: Path) -> None:
    """A made-up sector would make the company "1 of 1" in its own leaderboard."""
    code, lines = check(tree, VALID.replace("sector: software-house", "sector: best-shop-ever"))
    assert (code, lines) == (
        1,
        [
            "data/companies/valid.yaml:5:1: sector: 'best-shop-ever' is not a sector of edition "
            "'fixture-edition' — hint: known: software-house (the sectors an edition reviews are "
            "listed in data/editions/fixture-edition.yaml)",
            "Checked 1 company file and 0 editions: 1 error.",
        ],
    )
    code, lines = check(tree, VALID.replace("sector: software-house", "sector: software-houses"))
    assert lines[0].endswith(
        "hint: did you mean 'software-house'? (the sectors an edition "
        "reviews are listed in data/editions/fixture-edition.yaml)"
    )


def test_country_must_be_an_iso_3166_code(tree: Path) -> None:
    """ZZ, UK and XK are two capital letters but no ISO 3166-1 alpha-2 code."""
    code, lines = check(tree, VALID.replace("country: PL", "country: ZZ"))
    assert (code, lines) == (
        1,
        [
            "data/companies/valid.yaml:6:1: country: 'ZZ' is not an ISO 3166-1 alpha-2 country "
            "code — hint: did you mean 'PL'? (the market of the company's edition)",
            "Checked 1 company file and 0 editions: 1 error.",
        ],
    )
    _, lines = check(tree, VALID.replace("country: PL", "country: UK"))
    assert lines[0].endswith(
        "— hint: did you mean 'GB'? (UK is often written for the United Kingdom)"
    )
    _, lines = check(tree, VALID.replace("country: PL", "country: XK"))
    assert lines[0].endswith(
        "— hint: XK stands for Kosovo, which has no ISO 3166-1 code yet; "
        "give the country of the company's seat"
    )
    assert check(tree, VALID.replace("country: PL", "country: GB"))[0] == 0


def test_offset_not_the_edition_zone_warns_with_the_expected_offset(tree: Path) -> None:
    """+01:00 in Warsaw's summer time, +05:30 in a Polish audit: warnings, exit 0."""
    edition = tree / "data" / "editions" / "fixture-edition.yaml"
    edition.write_text(edition.read_text().replace("end: '2019-03-31'", "end: '2019-07-31'"))
    text = (
        VALID.replace("ended: '2019-02-28'", "ended: '2019-07-31'")
        .replace("sent_at: '2019-02-12T11:00:00+01:00'", "sent_at: '2019-07-02T11:00:00+01:00'")
        .replace("at: '2019-02-12T11:00:05+01:00'", "at: '2019-07-02T12:00:05+02:00'")
        .replace("at: '2019-02-12T11:03:00+01:00'", "at: '2019-07-02T12:03:00+02:00'")
        .replace("at: '2019-02-11T12:40:00+01:00'", "at: '2019-02-11T16:10:00+05:30'")
    )
    code, lines = check(tree, text)
    assert (code, lines) == (
        0,
        [
            "data/companies/valid.yaml:37:11: warning: audits[0].probes[0].first_response.at: "
            "offset +05:30 is not that of Europe/Warsaw on 2019-02-11 (+01:00) — hint: the "
            "edition's times are in Europe/Warsaw: if the clock time is right, write "
            "2019-02-11T16:10:00+01:00; if the moment is right, write 2019-02-11T11:40:00+01:00",
            "data/companies/valid.yaml:50:9: warning: audits[0].probes[1].sent_at: offset +01:00 "
            "is not that of Europe/Warsaw on 2019-07-02 (+02:00) — hint: the edition's times are "
            "in Europe/Warsaw: if the clock time is right, write 2019-07-02T11:00:00+02:00; if "
            "the moment is right, write 2019-07-02T12:00:00+02:00",
            "Checked 1 company file and 0 editions: 0 errors, 2 warnings.",
        ],
    )


def with_website(url: str) -> str:
    """The valid file with another website."""
    return VALID.replace("website: https://valid-soft.example", f"website: {url}")


def test_domain_is_normalised_before_the_uniqueness_check(tree: Path) -> None:
    """Root dot, capitals, www. and fullwidth letters do not make another domain."""
    for url in (
        "https://neighbour.example./",
        "https://WWW.NEIGHBOUR.example",
        "https://ｎｅｉｇｈｂｏｕｒ.example",
    ):
        code, lines = check(tree, with_website(url))
        assert (code, lines) == (
            1,
            [
                "data/companies/valid.yaml:4:1: website: domain neighbour.example is also used by "
                "data/companies/neighbour.yaml — hint: one file per company: merge the two files, "
                "or correct the website",
                "Checked 1 company file and 0 editions: 1 error.",
            ],
        ), url


def test_homoglyph_of_another_domain_warns(tree: Path) -> None:
    """A Cyrillic е in "neighbour": a mixed-script label that looks like the neighbour's."""
    code, lines = check(tree, with_website("https://n\u0435ighbour.example"))
    assert (code, lines) == (
        0,
        [
            "data/companies/valid.yaml:4:1: warning: website: n\u0435ighbour.example "
            "(xn--nighbour-c8g.example) may pass for another domain: the label 'n\u0435ighbour' "
            "mixes cyrillic and latin letters — hint: check that this is the company's own "
            "website, and write it as it reads (a company's site in another script is fine; a mix "
            "of look-alike letters is not)",
            "data/companies/valid.yaml:4:1: warning: website: n\u0435ighbour.example looks like "
            "neighbour.example (data/companies/neighbour.yaml) — hint: one file per company: if "
            "it is the same company, merge the files; if not, check that the website is this "
            "company's own",
            "Checked 1 company file and 0 editions: 0 errors, 2 warnings.",
        ],
    )
    _, lines = check(tree, with_website("https://neighb0ur.example"))
    assert lines[0].startswith(
        "data/companies/valid.yaml:4:1: warning: website: "
        "neighb0ur.example looks like neighbour.example"
    )


def test_punycode_and_whole_script_lookalike_warn(tree: Path) -> None:
    """xn--80ak6aa92e is "аррӏе" in Cyrillic letters only: it reads as "apple"."""
    code, lines = check(tree, with_website("https://xn--80ak6aa92e.example"))
    assert code == 0
    assert [line.split(" — ")[0] for line in lines[:-1]] == [
        "data/companies/valid.yaml:4:1: warning: website: \u0430\u0440\u0440\u04cf\u0435.example"
        " (xn--80ak6aa92e.example) may pass for another domain: it is written in punycode; "
        "readers see it as \u0430\u0440\u0440\u04cf\u0435.example",
        "data/companies/valid.yaml:4:1: warning: website: \u0430\u0440\u0440\u04cf\u0435.example"
        " (xn--80ak6aa92e.example) may pass for another domain: the cyrillic label "
        "'\u0430\u0440\u0440\u04cf\u0435' looks like the Latin 'apple'",
    ]
    assert check(tree, with_website("https://b\u00fccher.example")) == (
        0,
        ["Checked 1 company file and 0 editions: no problems."],
    )


def test_host_that_is_no_domain_is_an_error(tree: Path) -> None:
    """An underscore cannot be in a domain name (IDNA refuses it)."""
    assert check(tree, with_website("https://a_b.example")) == (
        1,
        [
            "data/companies/valid.yaml:4:1: website: 'a_b.example' is not a valid domain name — "
            "hint: check the address: a domain's labels hold letters, digits and hyphens",
            "Checked 1 company file and 0 editions: 1 error.",
        ],
    )


def test_same_display_name_warns_on_both_files(tree: Path) -> None:
    """'NEIGHBOUR  wоrks' (capitals, two spaces, a Cyrillic о) reads as 'Neighbour Works'."""
    (tree / "data" / "companies" / "valid.yaml").write_text(
        VALID.replace("name: Valid Soft", "name: 'NEIGHBOUR  w\u043erks'")
    )
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree)])
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            "data/companies/neighbour.yaml:3:1: warning: name: the name 'Neighbour Works' reads "
            "the same as that of data/companies/valid.yaml — hint: readers tell companies apart "
            "by name: if it is the same company, merge the files; if not, add what tells them "
            "apart (a country, a brand)",
            "data/companies/valid.yaml:3:1: warning: name: the name 'NEIGHBOUR  w\u043erks' reads "
            "the same as that of data/companies/neighbour.yaml — hint: readers tell companies "
            "apart by name: if it is the same company, merge the files; if not, add what tells "
            "them apart (a country, a brand)",
            "Checked 2 company files and 1 edition: 0 errors, 2 warnings.",
        ],
    )
