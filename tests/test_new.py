"""`ccr new`: only files that validate against the whole data set, pointing at real pages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.new import TEMPLATE, CompanySpec, new_company
from benchmark.render.reference import data_reference
from benchmark.render.text import text

from .helpers import REPO

REFUSED = (
    "Error: data/companies/{slug}.yaml would not be valid, so it was not written — hint: "
    "the lines above point into the file as it would have been; fix the option behind "
    "each (--website, --sector, --country, --fictional, --edition) and run ccr new "
    "again"
)


def new(tree: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `ccr new` in the fixture tree."""
    result = CliRunner().invoke(cli, ["new", *args, "--root", str(tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_duplicate_domain_writes_nothing(tree: Path) -> None:
    """www.neighbour.example is the neighbour's domain: the problem is printed, no file."""
    code, out, err = new(
        tree,
        "Neighbour Two",
        "--website",
        "https://www.neighbour.example",
        "--sector",
        "software-house",
        "--fictional",
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "data/companies/neighbour-two.yaml:7:1: website: domain neighbour.example is also used "
        "by data/companies/neighbour.yaml — hint: one file per company: merge the two files, "
        "or correct the website",
        REFUSED.format(slug="neighbour-two"),
    ]
    assert not (tree / "data/companies/neighbour-two.yaml").exists()


def test_example_domain_needs_fictional(tree: Path) -> None:
    """A .example site on a company marked real is refused; with --fictional it is written."""
    code, out, err = new(
        tree, "Acme", "--website", "https://acme.example", "--sector", "software-house"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "data/companies/acme.yaml:14:1: fictional: a .example domain on a company marked real "
        "— hint: set fictional: true, or give the company's real website",
        REFUSED.format(slug="acme"),
    ]
    assert not (tree / "data/companies/acme.yaml").exists()
    code, out, err = new(
        tree,
        "Acme",
        "--website",
        "https://acme.example",
        "--sector",
        "software-house",
        "--fictional",
    )
    assert (code, err) == (0, "")
    assert yaml.safe_load((tree / "data/companies/acme.yaml").read_text())["fictional"] is True


def test_sector_and_country_are_checked_against_the_edition(tree: Path) -> None:
    """A sector the edition does not review, a country that is no ISO code: nothing written."""
    code, _, err = new(
        tree,
        "Acme",
        "--website",
        "https://acme.example",
        "--sector",
        "online-shop",
        "--country",
        "ZZ",
        "--fictional",
    )
    assert code == 1
    assert [line.split(": ")[1] for line in err.splitlines()[:-1]] == ["sector", "country"]
    assert not (tree / "data/companies/acme.yaml").exists()


def test_template_points_at_pages_and_files_that_exist() -> None:
    """The data reference page is built from the schemas; the schema file named exists."""
    body = new_company(
        CompanySpec(
            "Acme", "https://acme.example", "s", "PL", ["en"], "e", "2019-01-01", "2019-01-02", True
        )
    ).text
    assert "docs/data-reference.md" not in TEMPLATE
    assert "Data reference page (data-reference/" in body
    for path in re.findall(r"benchmark/[\w/.-]+\.json", body):
        assert (REPO / path).is_file(), path
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"]
    assert {"Data reference": "data-reference.md"} in nav
    page = data_reference()
    assert "# Data reference" in page
    for field in (
        "slug",
        "website",
        "sector",
        "country",
        "probes",
        "sent_at",
        "status",
        "limits",
        "probes_per_channel",
    ):
        assert f"<code>{text(field)}</code>" in page, field
