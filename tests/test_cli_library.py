"""The library behind the `ccr` commands, called without click (issue 19).

``ccr validate`` (benchmark/check.py), ``ccr new`` (benchmark/new.py), ``ccr correct``
(benchmark/correct.py), ``ccr leaderboard`` (benchmark/leaderboard.py) and the site settings
read from mkdocs.yml with MkDocs' own loader (benchmark/build.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmark import pipeline
from benchmark.build import read_settings
from benchmark.check import Checked, check, report
from benchmark.cli import cli
from benchmark.correct import CorrectionRequest, company_file, correction_entry, record_correction
from benchmark.errors import DataError, ProblemsFound, UsageError
from benchmark.leaderboard import BoardQuery, leaderboard_markdown
from benchmark.new import NewOptions, company_spec, create_company
from benchmark.problems import Problem, Severity

from .helpers import REPO, git

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _problem(file: str, severity: Severity) -> Problem:
    return Problem("kind", file, 1, 1, "path", "message", "hint", severity)


def test_checked_summary_counts_errors_and_warnings() -> None:
    """The summary line names what was checked and counts errors, then warnings."""
    problems = [_problem("a.yaml", "error"), _problem("a.yaml", "warning")]
    assert Checked(1, 0, []).summary() == "Checked 1 company file and 0 editions: no problems."
    assert Checked(2, 1, problems).summary() == (
        "Checked 2 company files and 1 edition: 1 error, 1 warning."
    )
    assert Checked(2, 1, problems[:1]).errors == 1


def test_check_reports_on_the_files_named(tree: Path) -> None:
    """Check reads everything but reports on the files named; report ends with the summary."""
    named = tree / "data/companies/neighbour.yaml"
    checked = check(tree, [named], NOW)
    assert (checked.companies, checked.editions, checked.problems) == (1, 0, [])
    assert report(checked, "text", 20) == [checked.summary()]
    assert report(checked, "github", 20) == [checked.summary()]
    data = json.loads(report(checked, "json", 20)[0])
    assert data["summary"]["company_files"] == 1
    assert data["problems"] == []
    everything = check(tree, [], NOW)
    assert everything.companies >= 1
    assert everything.editions == 1


def test_check_refuses_a_missing_path_and_nothing_to_check(tree: Path) -> None:
    """A path that does not exist, or one that holds no data file, is a usage error."""
    with pytest.raises(UsageError, match="no such file or directory"):
        check(tree, [tree / "data/companies/missing.yaml"], NOW)
    empty = tree / "data/companies/empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="nothing to check"):
        check(tree, [empty], NOW)


def test_company_spec_takes_the_editions_defaults(tree: Path) -> None:
    """Without --edition and --country, the latest edition and its market are used."""
    spec = company_spec(tree, NewOptions("Acme", "https://acme.example", "software-house"))
    assert spec.edition == "fixture-edition"
    assert len(spec.country) == 2
    assert spec.languages == ["en"]
    with pytest.raises(UsageError, match="--edition nope: no such edition"):
        company_spec(tree, NewOptions("Acme", "https://a.example", "s", edition="nope"))


def test_create_company_writes_once_and_reports_errors_as_problems(tree: Path) -> None:
    """The file is written when valid; a second time is a DataError; errors are problems."""
    options = NewOptions("Zażółć Soft", "https://zazolc.example", "software-house", fictional=True)
    created = create_company(tree, options, NOW)
    assert created.path == "data/companies/zazolc-soft.yaml"
    assert created.warnings == []
    assert (tree / created.path).read_text(encoding="utf-8").startswith("# yaml-language-server")
    with pytest.raises(DataError, match="already exists"):
        create_company(tree, options, NOW)
    real = NewOptions("Other Soft", "https://other.example", "software-house", fictional=False)
    with pytest.raises(ProblemsFound) as raised:
        create_company(tree, real, NOW)
    assert raised.value.problems
    assert {p.file for p in raised.value.problems} == {"data/companies/other-soft.yaml"}
    assert not (tree / "data/companies/other-soft.yaml").exists()


def test_correction_entry_and_company_file(tree: Path) -> None:
    """The entry's date defaults to today; a bad date, slug or file name is refused."""
    entry = correction_entry(
        CorrectionRequest("x", "  Two   words ", link="https://l.example"), NOW
    )
    assert entry == {
        "date": "2026-11-23",
        "kind": "correction",
        "summary": "Two words",
        "link": "https://l.example",
    }
    with pytest.raises(UsageError, match="--date 2026-13-01: not a date"):
        correction_entry(CorrectionRequest("x", "s", on="2026-13-01"), NOW)
    with pytest.raises(UsageError, match="is not a company slug"):
        company_file(tree, "../x")
    with pytest.raises(DataError, match=r"no data/companies/neighbor\.yaml") as raised:
        company_file(tree, "neighbor")
    assert raised.value.hint == "did you mean neighbour?"
    assert company_file(tree, "neighbour") == tree / "data/companies/neighbour.yaml"


@pytest.mark.slow  # git / a site build
def test_record_correction_adds_the_entry_with_its_effect(tmp_path: Path) -> None:
    """A data change recorded against HEAD: the entry, its effect, and the stray file told."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    slug = "umberrill-studio"
    path = tmp_path / f"data/companies/{slug}.yaml"
    slow, fast = "at: '2019-02-19T13:05:40+01:00'", "at: '2019-02-19T12:46:40+01:00'"
    path.write_text(path.read_text(encoding="utf-8").replace(slow, fast), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    stray = path.parent / f".{slug}.yaml.999999999.x.ccr-tmp"  # its process has ended
    stray.write_bytes(b"")
    removed: list[str] = []
    request = CorrectionRequest(slug, "Faster.", on="2026-11-20")
    done = record_correction(tmp_path, request, NOW, on_removed=removed.append)
    assert done.name == f"data/companies/{slug}.yaml"
    assert done.entry["effect"] == {
        "edition": "2019-q1-software-houses",
        "score": [55, 56],
        "rank": ["1–20", "1–20"],
    }
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "summary: Faster." in after[len(before) :]
    assert removed == [stray.name]
    assert not stray.exists()


def test_leaderboard_markdown_is_what_the_command_prints(site_tree: Path) -> None:
    """The library's text is the command's output; its checks are usage errors."""
    scores = pipeline.run(site_tree).scores
    printed = CliRunner().invoke(cli, ["leaderboard", "--root", str(site_tree)]).output
    assert leaderboard_markdown(scores, BoardQuery()) == printed
    with pytest.raises(UsageError, match="--sector or --country, not both"):
        leaderboard_markdown(scores, BoardQuery(sector="a", country="PL"))
    with pytest.raises(UsageError, match="--edition nope: no such edition"):
        leaderboard_markdown(scores, BoardQuery(edition="nope"))
    with pytest.raises(UsageError, match="no company in fixture-edition with sector nope"):
        leaderboard_markdown(scores, BoardQuery(sector="nope"))


ENV_CONFIG = """\
site_name: !ENV [CCR_TEST_SITE_NAME, Fallback Name]
site_url: !ENV CCR_TEST_SITE_URL
repo_url: https://github.com/example/ccr
"""


def test_settings_are_read_with_mkdocs_own_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ``!ENV`` tag, which MkDocs accepts, is read as MkDocs reads it."""
    (tmp_path / "mkdocs.yml").write_text(ENV_CONFIG, encoding="utf-8")
    monkeypatch.delenv("CCR_TEST_SITE_NAME", raising=False)
    monkeypatch.setenv("CCR_TEST_SITE_URL", "https://env.example/")
    settings = read_settings(tmp_path)
    assert settings.site_name == "Fallback Name"
    assert settings.site_url == "https://env.example/"
    assert settings.repo_url == "https://github.com/example/ccr"
    assert settings.edit_uri == "edit/main/"


@pytest.mark.slow  # git / a site build
def test_a_site_with_an_env_tag_builds(site_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml's site_url given as ``!ENV``: the site builds, its links use the value."""
    config = site_tree / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        "site_url: !ENV CCR_TEST_SITE_URL\n" if x.startswith("site_url:") else x for x in lines
    ]
    config.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("CCR_TEST_SITE_URL", "https://env-site.example/")
    built = pipeline.build(site_tree, now=NOW)
    assert built.companies >= 1
    home = (site_tree / "site" / "index.html").read_text(encoding="utf-8")
    assert "https://env-site.example/" in home
