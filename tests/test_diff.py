"""`ccr diff`: new problems, score and rank changes with their reasons, moved statistics."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from benchmark import load
from benchmark.cli import cli
from benchmark.diff import DiffResult, compare, diff_report, introduced, moved_statistics
from benchmark.markdown import text
from benchmark.pipeline import run
from benchmark.problems import Problem

from .github_markdown import live, render, shown
from .helpers import FIXTURES, NOW, REPO, git, row_at
from .helpers import REPORT_HOSTILE_NAME as HOSTILE_NAME
from .helpers import commit_all as _commit

SLUG = "cindersprig-online"
FILE = f"data/companies/{SLUG}.yaml"
EDITION = "2016-e-commerce"
SLOW = "at: '2016-06-13T09:39:32+03:00'"  # probe 0's first (human) reply, three days late
FAST = "at: '2016-06-10T11:41:05+03:00'"  # twelve minutes after sent_at
EARLY = "at: '2016-06-09T11:41:05+03:00'"  # a day before sent_at
CORRECTION = """corrections:
  - date: '2016-07-15'
    kind: correction
    summary: 'The first reply had been dated from a later e-mail; fixed.'
"""


@dataclass(frozen=True)
class History:
    """A git repository with the demo data and three commits: base, corrected, broken."""

    root: Path
    base: str
    corrected: str
    broken: str
    problem_line: str  # the broken commit's problem, as `ccr validate` prints it
    before: pd.DataFrame  # scores.companies at base, scored from disk by the pipeline
    after: pd.DataFrame  # scores.companies at corrected


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """Base, a correction of one company, then a bad timestamp; the work tree is corrected."""
    root = tmp_path_factory.mktemp("diff-repo")
    shutil.copytree(REPO / "data", root / "data")
    git(root, "init", "-q", "-b", "main")
    base = _commit(root, "base")
    before = run(root, NOW).scores.companies
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(SLOW) == 1
    corrected_text = text.replace(SLOW, FAST) + CORRECTION
    path.write_text(corrected_text, encoding="utf-8")
    corrected = _commit(root, "correct the first reply of cindersprig-online")
    after = run(root, NOW).scores.companies
    broken_text = corrected_text.replace(FAST, EARLY)
    path.write_text(broken_text, encoding="utf-8")
    broken = _commit(root, "a reply before the question")
    at = broken_text.index(EARLY)
    line = broken_text.count("\n", 0, at) + 1
    col = at - broken_text.rfind("\n", 0, at)
    problem_line = (
        f"{FILE}:{line}:{col}: audits[0].probes[0].first_response.at: earlier than "
        "sent_at (2016-06-10T11:29:00+03:00) — hint: a reply cannot come before the "
        "question; check the date, hour and offset"
    )
    path.write_text(corrected_text, encoding="utf-8")  # uncommitted: the work tree is valid
    return History(root, base, corrected, broken, problem_line, before, after)


@pytest.fixture(scope="module")
def corrected_report(history: History) -> DiffResult:
    """The report of base → corrected."""
    return diff_report(history.root, history.base, history.corrected, NOW)


def _ranks(companies: pd.DataFrame) -> pd.Series:
    """rank_overall by slug in the edition."""
    rows = companies[companies["edition"] == EDITION]
    return rows.set_index("slug")["rank_overall"]


SHOWN = ["score_display", "grade", "tier", "ranked", "rank_overall_low", "rank_overall_high"]


def _shown(companies: pd.DataFrame) -> pd.DataFrame:
    """What a reader sees of each company in the edition: score, bands, rank range.

    v2 shows the rank as the range of places the interval allows, or no rank at all.
    """
    rows = companies[companies["edition"] == EDITION].set_index("slug")
    return rows[SHOWN].astype(object).where(rows[SHOWN].notna(), None)


@pytest.mark.slow
def test_a_correction_lists_the_company_and_everyone_it_displaced(
    history: History, corrected_report: DiffResult
) -> None:
    """A correction: old → new score with its interval, the reason, every company moved.

    Under v2 a company's change also moves the pooled prior of the others: every company
    whose shown score or rank moved is listed as displaced.
    """
    result = corrected_report
    assert result.ok
    assert result.problems == []
    before, after = _shown(history.before), _shown(history.after)
    moved = {slug for slug in before.index if before.loc[slug].tolist() != after.loc[slug].tolist()}
    displaced = moved - {SLUG}
    assert SLUG in moved
    assert displaced
    changes = result.changes.set_index("slug")
    assert set(changes.index) == moved
    assert changes.loc[SLUG, "reason"] == "correction"
    assert (changes.drop(SLUG)["reason"] == "displaced").all()

    old = row_at(history.before.set_index(["slug", "edition"]), (SLUG, EDITION))
    new = row_at(history.after.set_index(["slug", "edition"]), (SLUG, EDITION))
    assert new["score_display"] > old["score_display"]
    assert not old["ranked"]  # two probes: listed, unranked
    assert not new["ranked"]
    lines = result.markdown.splitlines()
    assert lines[0] == "## CCR: what this change does"
    scored = sum(before.loc[s, "score_display"] != after.loc[s, "score_display"] for s in moved)
    assert lines[2] == (
        f"{scored} companies change score, "
        f"{len(result.statistics)} statistics move; no new problems."
    )
    assert len(result.statistics) > 1
    assert lines[4] == (
        f"Compared {history.base} ({history.base[:10]}) with "
        f"{history.corrected} ({history.corrected[:10]})."
    )
    own = [line for line in lines if line.startswith(f"| Cindersprig Online ({SLUG}) |")]
    assert len(own) == 1

    def score(row: pd.Series) -> str:
        return (
            f"{row['score_display']:.0f} [{row['score_low_display']:.0f}–"
            f"{row['score_high_display']:.0f}]"
        )

    assert own[0] == (
        f"| Cindersprig Online ({SLUG}) | {score(old)} → {score(new)} | — | — | "
        f"unranked | {new['probes']} | correction |"
    )
    names = history.after.set_index("slug")["name"]
    for slug in displaced:
        row = [line for line in lines if line.startswith(f"| {text(names[slug])} ({slug}) |")]
        assert len(row) == 1, slug
        assert row[0].endswith(" | displaced |")


@pytest.mark.slow
def test_a_bad_timestamp_is_reported_with_its_location_and_exit_1(history: History) -> None:
    """A reply before its question: the problem's file:line:col line, and exit 1."""
    result = CliRunner().invoke(
        cli, ["diff", history.corrected, history.broken, "--root", str(history.root)]
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == "1 new problem (1 error); HEAD has 1 error and is not scored."
    assert history.problem_line in lines
    start = lines.index("### New problems")
    assert lines[start + 2 : start + 5] == ["```text", history.problem_line, "```"]
    assert "### Score and rank changes" not in lines
    assert result.stderr == ""


@pytest.mark.slow
def test_an_unknown_revision_is_a_usage_error(history: History, tmp_path: Path) -> None:
    """An unknown revision, or a folder that is no git repository: one line and exit 2."""
    result = CliRunner().invoke(cli, ["diff", "no-such-rev", "--root", str(history.root)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: unknown revision 'no-such-rev' — hint: give a commit, branch or tag of the "
        "repository, e.g. main or HEAD~1 (`git log --oneline` lists them)\n"
    )
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path}: not a git repository — hint: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_head_omitted_reads_the_work_tree(history: History, corrected_report: DiffResult) -> None:
    """Without HEAD the work tree is read: its uncommitted fix, not the broken last commit."""
    result = CliRunner().invoke(cli, ["diff", history.base, "--root", str(history.root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[4] == f"Compared {history.base} ({history.base[:10]}) with the work tree."
    assert lines[5:] == corrected_report.markdown.splitlines()[5:]


def test_problems_are_compared_without_their_line_numbers() -> None:
    """A problem that only moved to another line is not new; a second identical one is."""
    old = Problem("k", "data/companies/a.yaml", 3, 5, "slug", "bad", "fix it")
    moved = Problem("k", "data/companies/a.yaml", 9, 5, "slug", "bad", "fix it")
    again = Problem("k", "data/companies/a.yaml", 12, 5, "slug", "bad", "fix it")
    other = Problem("k", "data/companies/b.yaml", 3, 5, "slug", "bad", "fix it")
    assert introduced([old], [moved]) == []
    assert introduced([old], [moved, again, other]) == [again, other]


def test_statistics_move_beyond_a_tolerance_or_appear() -> None:
    """A statistic moves when its value changes by more than 1e-9, appears or disappears."""

    def stats(values: dict[str, float]) -> pd.DataFrame:
        """A statistics table with one share per id."""
        return pd.DataFrame(
            [
                {
                    "edition": "e",
                    "id": k,
                    "segment": "all",
                    "label": k,
                    "value": v,
                    "numerator": None,
                    "denominator": 10,
                    "unit": "share",
                }
                for k, v in values.items()
            ]
        )

    moved = moved_statistics(
        stats({"same": 0.5, "tiny": 0.5, "moves": 0.5, "gone": 0.1}),
        stats({"same": 0.5, "tiny": 0.5 + 1e-12, "moves": 0.6, "new": 0.2}),
    )
    assert moved["id"].tolist() == ["gone", "moves", "new"]


def test_an_added_company_is_new_and_removed_when_reverted(tree: Path) -> None:
    """A company file added shows as new data, taken out again as removed; its rival moves."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    added = _commit(tree, "add valid")
    lines = diff_report(tree, base, added, NOW).markdown.splitlines()
    assert lines[2].startswith("1 company changes rank, 1 is new, ")
    new_row = next(line for line in lines if line.startswith("| Valid Soft (valid) | new → "))
    assert new_row.endswith(" | new → 1 of 2 | new → 2 | new data |")
    assert (
        "| Neighbour Works (neighbour) | 10.8 | E | Underperformer | 1 of 1 → 2 of 2 "
        "(down 1) | 1 | displaced |"
    ) in lines
    lines = diff_report(tree, added, base, NOW).markdown.splitlines()
    assert lines[2].startswith("1 company changes rank, 1 is removed, ")
    assert next(line for line in lines if line.startswith("| Valid Soft (valid) |")).endswith(
        " → removed | 1 of 2 → removed | 2 → removed | removed |"
    )


def test_compare_takes_two_datasets_and_runs_no_git(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare() is pure: two datasets in, the report out; only the git reader runs git."""
    before = load.read_dataset(tree)
    shutil.copyfile(FIXTURES / "valid.yaml", tree / "data" / "companies" / "valid.yaml")
    after = load.read_dataset(tree)

    def no_commands(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"compare ran a command: {args}")

    monkeypatch.setattr(subprocess, "run", no_commands)
    result = compare(before, after, NOW)
    assert result.ok
    assert result.summary.startswith("1 company changes rank, 1 is new, ")
    assert result.markdown.splitlines()[4] == "Compared BASE with HEAD."
    assert sorted(result.changes["reason"]) == ["displaced", "new data"]
    backwards = compare(after, before, NOW, "after", "before")
    assert backwards.summary.startswith("1 company changes rank, 1 is removed, ")
    assert backwards.markdown.splitlines()[4] == "Compared after with before."


def test_an_oversized_file_is_a_new_problem_without_being_read(tree: Path) -> None:
    """A blob over the size limit is reported from its size; HEAD is then not scored."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    (tree / "data" / "companies" / "huge.yaml").write_text("# " + "x" * 1_100_000 + "\n")
    big = _commit(tree, "a huge file")
    result = diff_report(tree, base, big, NOW)
    assert not result.ok
    assert [(p.kind, p.file, p.line) for p in result.problems] == [
        ("file-too-large", "data/companies/huge.yaml", 1)
    ]
    assert (
        "Not scored: HEAD has 1 error; fix it to see what the change does to scores and "
        "ranks." in result.markdown.splitlines()
    )


def test_a_hostile_name_is_text_in_the_report(tree: Path) -> None:
    """A company name full of mentions, links, images and HTML shows literally, and none is live."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    text_ = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    hostile = text_.replace("name: Valid Soft", f"name: {json.dumps(HOSTILE_NAME)}", 1)
    (tree / "data" / "companies" / "valid.yaml").write_text(hostile, encoding="utf-8")
    added = _commit(tree, "add a hostile name")
    result = diff_report(tree, base, added, NOW)
    assert result.ok
    html = render(result.markdown)
    assert live(html) == [], result.markdown
    seen, _code = shown(html)
    assert f"{HOSTILE_NAME} (valid)" in seen


def test_a_hostile_key_stays_in_its_code_block(tree: Path) -> None:
    """A key with a line break and a fence cannot end the block and write a heading."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    key = "x\n````\n# Approved by maintainers\n<!-- @octocat"
    text_ = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    (tree / "data" / "companies" / "valid.yaml").write_text(
        text_ + f"{json.dumps(key)}: 1\n", encoding="utf-8"
    )
    broken = _commit(tree, "a hostile key")
    result = diff_report(tree, base, broken, NOW)
    assert not result.ok
    html = render(result.markdown)
    assert live(html) == [], result.markdown
    seen, code = shown(html)
    assert "Approved" not in seen
    assert '["x\\n````\\n# Approved by maintainers\\n<!-- @octocat"]: unknown property' in code
    assert "<h1>" not in html


def _many_problems(tree: Path, n: int) -> str:
    """Commit valid.yaml with ``n`` probes that are numbers (one problem each); the commit."""
    text_ = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    many = text_.replace(
        "    probes:\n", "    probes: [" + ", ".join(["1"] * n) + "]\n    probez:\n", 1
    )
    (tree / "data" / "companies" / "valid.yaml").write_text(many, encoding="utf-8")
    return _commit(tree, f"{n} problems")


def test_the_report_lists_twenty_problems_a_file_and_counts_the_rest(tree: Path) -> None:
    """45 problems in one file: the first 20 are listed, then one line counts the other 25."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    head = _many_problems(tree, 44)  # 44 probes and the misspelt probez: 45 problems
    result = CliRunner().invoke(cli, ["diff", base, head, "--root", str(tree)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2] == "45 new problems (45 errors); HEAD has 45 errors and is not scored."
    start = lines.index("### New problems") + 2
    end = lines.index("```", start + 1)
    assert lines[start] == "```text"
    listed = lines[start + 1 : end]
    assert len(listed) == 21
    assert listed[0].startswith("data/companies/valid.yaml:29:")
    assert listed[-1] == "data/companies/valid.yaml: … and 25 more problems in this file"


def test_problems_are_matched_without_comparing_each_pair(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling new problems from old ones compares no two problems: it is linear, not n × m."""
    git(tree, "init", "-q", "-b", "main")
    base = _many_problems(tree, 300)
    head = _many_problems(tree, 600)
    calls = 0
    original = Problem.__eq__

    def counting(self: Problem, other: object) -> bool:
        nonlocal calls
        calls += 1
        return original(self, other)

    monkeypatch.setattr(Problem, "__eq__", counting)
    result = diff_report(tree, base, head, NOW)
    assert len(result.problems) == 300
    assert result.head_errors == 601
    assert calls == 0
