"""The ccr command line: formats, exit codes and the exact text users see."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from benchmark.check import format_github
from benchmark.cli import cli
from benchmark.problems import Problem

from .helpers import FIXTURES, REPO, use_v2
from .helpers import run_ccr as ccr

ANNOTATION = re.compile(
    r"^::(error|warning) file=[^,:\n]+,line=[1-9][0-9]*,col=[1-9][0-9]*,title=[^,:\n]+::[^\n]+$"
)


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
    result = CliRunner().invoke(
        cli, ["validate", "--root", str(bad_tree(tree)), "--format", "github"]
    )
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
        "fix, then: go"
    )


def test_json_format_matches_its_schema(tree: Path) -> None:
    """--format json validates against benchmark/schemas/problems.schema.json."""
    result = CliRunner().invoke(
        cli, ["validate", "--root", str(bad_tree(tree)), "--format", "json"]
    )
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
    assert result.stderr == (
        "Error: nope.yaml: no such file or directory — hint: give files or "
        "folders below data/, or no path to check everything\n"
    )


def test_unknown_format_is_a_usage_error(tree: Path) -> None:
    """A bad option value exits 2 (click's usage error), with no traceback."""
    result = ccr("validate", "--format", "xml", cwd=tree)
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_writes_a_clean_file(tree: Path) -> None:
    """`ccr new` writes a file with the schema line that validates clean."""
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "new",
            "Zażółć Soft",
            "--website",
            "https://zazolc.example",
            "--sector",
            "Software House",
            "--fictional",
            "--root",
            str(tree),
        ],
    )
    assert result.output == (
        "Wrote data/companies/zazolc-soft.yaml. Fill in channels and "
        "probes, then: ccr validate data/companies/zazolc-soft.yaml\n"
    )
    assert result.exit_code == 0
    path = tree / "data/companies/zazolc-soft.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../benchmark/schemas/company.schema.json\n"
    )
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
    result = CliRunner().invoke(
        cli,
        [
            "new",
            "Neighbour",
            "--website",
            "https://n2.example",
            "--sector",
            "software-house",
            "--root",
            str(tree),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: data/companies/neighbour.yaml already exists — hint: edit "
        "that file, or choose another name\n"
    )
    assert (tree / "data/companies/neighbour.yaml").read_bytes() == before


def test_new_rejects_a_non_http_website(tree: Path) -> None:
    """`ccr new` with a javascript: URL is a usage error, exit 2."""
    result = CliRunner().invoke(
        cli, ["new", "X", "--website", "javascript:alert(1)", "--sector", "s", "--root", str(tree)]
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: --website 'javascript:alert(1)' is not an http(s) URL — "
        "hint: write it in full, e.g. https://www.acme.example\n"
    )


def _many_problems(tree: Path, n: int) -> Path:
    """valid.yaml with ``n`` probes that are numbers and a misspelt key: n + 1 problems."""
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    path = tree / "data" / "companies" / "valid.yaml"
    path.write_text(
        text.replace(
            "    probes:\n", "    probes: [" + ", ".join(["1"] * n) + "]\n    probez:\n", 1
        ),
        encoding="utf-8",
    )
    return path


def test_each_format_lists_twenty_problems_a_file_and_counts_the_rest(tree: Path) -> None:
    """45 problems in a file: every format lists the first 20 and says how many more there are."""
    _many_problems(tree, 44)
    file = "data/companies/valid.yaml"

    def validate(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["validate", "--root", str(tree), *args])
        assert result.exit_code == 1
        return result.stdout.splitlines()

    lines = validate()
    assert len(lines) == 22
    assert all(line.startswith(f"{file}:29:") for line in lines[:20])
    assert lines[20:] == [
        f"{file}: … and 25 more problems in this file",
        "Checked 2 company files and 1 edition: 45 errors.",
    ]
    lines = validate("--format", "github")
    assert len(lines) == 22
    assert all(ANNOTATION.match(line) for line in lines[:20])
    assert lines[20] == (
        f"::notice file={file},title=more problems::{file}: … and 25 more problems in this file"
    )
    report = json.loads("\n".join(validate("--format", "json")))
    schema = json.loads((REPO / "benchmark/schemas/problems.schema.json").read_text())
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert len(report["problems"]) == 20
    assert report["summary"]["errors"] == 45
    assert report["summary"]["omitted"] == 25
    assert report["omitted"] == [{"file": file, "problems": 25}]
    assert len(validate("--max-per-file", "0")) == 46
    assert (
        len(json.loads("\n".join(validate("--format", "json", "--max-per-file", "0")))["problems"])
        == 45
    )


V1_BOARD = """\
| rank | company | score | grade | tier | reach | speed | quality | transp. | respect | probes | movement |
|---:|---|---:|:-:|---|---:|---:|---:|---:|---:|---:|---|
| 1 | Valid Soft | 80.5 | A | High performer | 95 | 57 | 71 | 100 | 100 | 2 (limited evidence) | new |
| 2 | Neighbour Works | 10.8 | E | Underperformer | 2 | 0 | 0 | 0 | 100 | 1 (limited evidence) | new |
"""  # noqa: E501 - the exact lines a user sees
V2_HEAD = """\
| rank | company | score | 90% interval | grade | tier | reach | speed | quality | transp. | respect | probes | movement |
|---:|---|---:|:-:|:-:|---|---:|---:|---:|---:|---:|---:|---|
| 1–2 | Valid Soft | 66 | 37–95 | B | High performer | 95 | 69 | 76 | 92 | 100 | 3 | new |
"""  # noqa: E501
V2_BOARD = (
    V2_HEAD
    + """\
| 1–2 | Neighbour Works | 32 | 4–61 | E | Underperformer | 2 | 0 | 0 | 25 | 100 | 3 | new |
| unranked | Thin Support | 55 | 21–89 | — | — | 92 | 95 | 100 | 25 | 100 | 1 | new |

Ranks are the places the 90% intervals allow; both ranked companies are statistically indistinguishable.

Unranked — limited evidence: 1 company, scored on fewer than 3 probes, is listed after the ranked ones, with no rank, grade or tier. More probes in the next edition will rank it.
"""  # noqa: E501
)
V2_TOP = (
    V2_HEAD
    + """
Ranks are the places the 90% intervals allow; both ranked companies are statistically indistinguishable.

Unranked — limited evidence: 1 company, scored on fewer than 3 probes, is never in a top list, with no rank, grade or tier. More probes in the next edition will rank it.
"""  # noqa: E501
)


def _board(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["leaderboard", "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_leaderboard_v1_text(site_tree: Path) -> None:
    """A v1 edition prints point scores and single ranks, exactly as before v2."""
    assert _board(site_tree) == V1_BOARD


def test_leaderboard_v2_text(site_tree: Path) -> None:
    """v2: score, interval, rank range and probes; the unranked company last, and why."""
    use_v2(site_tree)
    assert _board(site_tree) == V2_BOARD


def test_leaderboard_top_is_ranked_companies_only(site_tree: Path) -> None:
    """``--top`` lists ranked companies only: Thin Support outscores one, but is never in."""
    use_v2(site_tree)
    assert _board(site_tree, "--top", "1") == V2_TOP
    assert "Thin Support" not in _board(site_tree, "--top", "3")


def test_leaderboard_names_the_indistinguishable_groups(site_tree: Path) -> None:
    """When the intervals separate companies, the note lists each group's places."""
    from benchmark.leaderboard import leaderboard_text
    from benchmark.pipeline import run
    from benchmark.score.ranking import leaderboard

    use_v2(site_tree)
    scores = run(site_tree, datetime(2026, 11, 23, tzinfo=UTC)).scores
    board = leaderboard(scores.companies, "fixture-edition")
    ranked = board["ranked"].astype(bool)
    # Pretend the intervals no longer overlap: two groups, one place each.
    board.loc[ranked, "group_overall"] = [1, 2]
    board.loc[ranked, "rank_overall_low"] = [1, 2]
    board.loc[ranked, "rank_overall_high"] = [1, 2]
    text = leaderboard_text(board, "overall", scores.methodologies["v2"])
    assert "| 1 | Valid Soft | 66 | 37–95 |" in text
    assert "| 2 | Neighbour Works | 32 | 4–61 |" in text
    assert (
        "Ranks are the places the 90% intervals allow; the 2 ranked companies form 2 "
        "groups of statistically indistinguishable scores, at places 1, 2."
    ) in text
