"""The ccr command line: formats, exit codes and the exact text users see."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from benchmark.cli import cli, format_github
from benchmark.problems import Problem

from .conftest import FIXTURES, REPO

ANNOTATION = re.compile(
    r"^::(error|warning) file=[^,:\n]+,line=[1-9][0-9]*,col=[1-9][0-9]*,title=[^,:\n]+::[^\n]+$")


def ccr(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-c", "from benchmark.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def bad_tree(tree: Path) -> Path:
    """The fixture tree with every invalid fixture copied in."""
    for path in (FIXTURES / "invalid").glob("*.yaml"):
        shutil.copyfile(path, tree / "data" / "companies" / path.name)
    return tree


def test_fifty_megabyte_file_is_one_clear_problem(tree: Path) -> None:
    """A 50 MB file gives one problem line, exit 1 and no traceback (it is never read whole)."""
    big = tree / "data" / "companies" / "huge.yaml"
    with big.open("wb") as fh:
        fh.write(b"slug: huge\nnotes: '" + b"x" * (50 * 1024 * 1024) + b"'\n")
    size = big.stat().st_size
    result = ccr("validate", "data/companies/huge.yaml", cwd=tree)
    assert result.stdout.splitlines() == [
        f"data/companies/huge.yaml:1:1: file is {size:,} bytes, over the limit of 1,000,000 — "
        "hint: a company file is a few kilobytes; move evidence to evidence/<slug>/ and keep "
        "notes short",
        "Checked 1 company file and 0 editions: 1 error.",
    ]
    assert result.returncode == 1
    assert result.stderr == ""


def test_no_traceback_on_any_bad_fixture(tree: Path) -> None:
    """The real command on every bad fixture at once: problems on stdout, nothing on stderr."""
    result = ccr("validate", cwd=bad_tree(tree))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].startswith("Checked 25 company files and 1 edition: ")


def test_github_format_is_annotation_syntax(tree: Path) -> None:
    """Every line of --format github but the summary is a well-formed workflow annotation."""
    result = CliRunner().invoke(cli, ["validate", "--root", str(bad_tree(tree)), "--format",
                                      "github"])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert len(lines) > 20
    for line in lines[:-1]:
        assert ANNOTATION.match(line), line
    assert lines[-1].startswith("Checked ")


def test_github_format_escapes_data() -> None:
    """Percent signs, newlines, colons and commas from data cannot break the annotation."""
    problem = Problem("k,x", "data/a:b.yaml", 3, 4, "notes", "100%\nnext", "fix, then: go")
    assert format_github(problem) == (
        "::error file=data/a%3Ab.yaml,line=3,col=4,title=k%2Cx::notes: 100%25%0Anext — hint: "
        "fix, then: go")


def test_json_format_matches_its_schema(tree: Path) -> None:
    """--format json validates against benchmark/schemas/problems.schema.json."""
    result = CliRunner().invoke(cli, ["validate", "--root", str(bad_tree(tree)), "--format",
                                      "json"])
    report = json.loads(result.output)
    schema = json.loads((REPO / "benchmark/schemas/problems.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert report["summary"]["company_files"] == 25
    summary = report["summary"]
    assert summary["errors"] + summary["warnings"] == len(report["problems"])
    assert summary["errors"] > 20
    assert result.exit_code == 1


def test_missing_path_is_a_usage_error(tree: Path) -> None:
    """A path that does not exist exits 2 with one line on stderr."""
    result = ccr("validate", "nope.yaml", cwd=tree)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("Error: nope.yaml: no such file or directory — hint: give files or "
                             "folders below data/, or no path to check everything\n")


def test_unknown_format_is_a_usage_error(tree: Path) -> None:
    """A bad option value exits 2 (click's usage error), with no traceback."""
    result = ccr("validate", "--format", "xml", cwd=tree)
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_writes_a_clean_file(tree: Path) -> None:
    """`ccr new` writes a file with the schema line that validates clean."""
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "Zażółć Soft", "--website", "https://zazolc.example",
                                 "--sector", "Software House", "--fictional", "--root",
                                 str(tree)])
    assert result.output == ("Wrote data/companies/zazolc-soft.yaml. Fill in channels and "
                             "probes, then: ccr validate data/companies/zazolc-soft.yaml\n")
    assert result.exit_code == 0
    path = tree / "data/companies/zazolc-soft.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../benchmark/schemas/company.schema.json\n")
    data = yaml.safe_load(text)
    assert data["name"] == "Zażółć Soft"
    assert data["sector"] == "software-house"
    assert data["audits"][0]["edition"] == "fixture-edition"
    check = runner.invoke(cli, ["validate", "--root", str(tree), str(path)])
    assert check.output == "Checked 1 company file and 0 editions: no problems.\n"
    assert check.exit_code == 0


def test_new_refuses_to_overwrite(tree: Path) -> None:
    """`ccr new` for a company that has a file already exits 1 and leaves the file alone."""
    before = (tree / "data/companies/neighbour.yaml").read_bytes()
    result = CliRunner().invoke(cli, ["new", "Neighbour", "--website", "https://n2.example",
                                      "--sector", "software-house", "--root", str(tree)])
    assert result.exit_code == 1
    assert result.output == ("Error: data/companies/neighbour.yaml already exists — hint: edit "
                             "that file, or choose another name\n")
    assert (tree / "data/companies/neighbour.yaml").read_bytes() == before


def test_new_rejects_a_non_http_website(tree: Path) -> None:
    """`ccr new` with a javascript: URL is a usage error, exit 2."""
    result = CliRunner().invoke(cli, ["new", "X", "--website", "javascript:alert(1)",
                                      "--sector", "s", "--root", str(tree)])
    assert result.exit_code == 2
    assert result.output == ("Error: --website 'javascript:alert(1)' is not an http(s) URL — "
                             "hint: write it in full, e.g. https://www.acme.example\n")
