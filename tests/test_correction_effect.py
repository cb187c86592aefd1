"""Issue 17: each correction with its effect on score and rank.

`ccr correct` records the effect (HEAD against the work tree), `ccr diff` checks a recorded
effect against the scores it computes itself, and the company page shows it.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.effect import describe
from benchmark.render.company import NO_EFFECT

from .company_helpers import HOSTILE, _Text, pages, site_markdown
from .helpers import REPO, git

SLUG = "umberrill-studio"
FILE = f"data/companies/{SLUG}.yaml"
SLOW, FAST = "at: '2019-02-19T13:05:40+01:00'", "at: '2019-02-19T12:46:40+01:00'"
SUMMARY = "The chat's first reply came at 12:46, not 13:05 — see #17."
LINK = "https://github.com/ccr/ccr/pull/17"
ENTRY = (
    "corrections:\n"
    "  - date: '2026-11-20'\n"
    "    kind: correction\n"
    "    summary: 'The chat''s first reply came at 12:46, not 13:05 — see #17.'\n"
    "    link: https://github.com/ccr/ccr/pull/17\n"
    "    effect: {edition: 2019-q1-software-houses, score: [55, 56], rank: [1–20, 1–20]}\n"
)


@dataclass(frozen=True)
class Repo:
    """The test repository and what `ccr correct` did in it."""

    root: Path
    before: str  # the company file at the base commit
    corrected: str  # the file after the data change and `ccr correct`
    out: str  # what `ccr correct` printed
    code: int


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Three tagged commits: the demo data, a recorded correction, its forged score.

    base: the demo data; corrected: the chat reply made faster and recorded with
    `ccr correct`; forged: the same entry with a score the data do not give.
    """
    root = tmp_path_factory.mktemp("effect")
    shutil.copytree(REPO / "data", root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    path = root / FILE
    before = path.read_text(encoding="utf-8")
    assert before.count(SLOW) == 1
    path.write_text(before.replace(SLOW, FAST), encoding="utf-8")
    code, out, err = _run(
        "correct",
        SLUG,
        "--summary",
        SUMMARY,
        "--link",
        LINK,
        "--date",
        "2026-11-20",
        "--root",
        str(root),
    )
    assert err == ""
    corrected = path.read_text(encoding="utf-8")
    git(root, "commit", "-q", "-am", "correct the chat reply")
    git(root, "tag", "corrected")
    path.write_text(re.sub(r"score: \[[^]]*\]", "score: [55, 60]", corrected), encoding="utf-8")
    git(root, "commit", "-q", "-am", "forge the effect")
    git(root, "tag", "forged")
    return Repo(root, before, corrected, out, code)


def test_correct_records_the_effect_and_only_adds_the_entry(repo: Repo) -> None:
    """The entry carries the score and rank at HEAD and in the work tree; no other byte moves."""
    assert repo.code == 0
    assert repo.out == (
        f"Recorded the correction of 2026-11-20 in {FILE}. Review it with: "
        f"git diff {FILE}\n"
        "Effect: score 55 → 56; rank 1–20, unchanged "
        "(edition 2019-q1-software-houses).\n"
    )
    assert repo.corrected == repo.before.replace(SLOW, FAST) + ENTRY
    assert yaml.safe_load(repo.corrected)["corrections"][-1]["effect"] == {
        "edition": "2019-q1-software-houses",
        "score": [55, 56],
        "rank": ["1–20", "1–20"],
    }


def test_correct_refuses_when_the_data_is_as_committed(tmp_path: Path) -> None:
    """Without a change to record, nothing is written and the message says what to do."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    got = _run("correct", SLUG, "--summary", "x", "--root", str(tmp_path))
    assert got == (
        2,
        "",
        f"Error: {tmp_path}: no committed data to compare with — hint: ccr "
        "correct records the change's effect on score and rank against the "
        "last commit (HEAD); run it in a clone of the repository\n",
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    got = _run("correct", SLUG, "--summary", "x", "--root", str(tmp_path))
    assert got == (
        1,
        "",
        "Error: the data is as committed, so the correction has no effect "
        f"to record — hint: edit the data first (e.g. {FILE}), then record "
        "the correction before committing: ccr correct compares the work "
        "tree with HEAD\n",
    )
    assert git(tmp_path, "status", "--porcelain") == ""


def test_diff_accepts_the_recorded_effect(repo: Repo) -> None:
    """The effect `ccr correct` recorded is the one `ccr diff` computes: no problem."""
    code, out, err = _run("diff", "base", "corrected", "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert "### New problems" not in out
    assert out.splitlines()[2].endswith("; no new problems.")


def test_diff_reports_a_forged_effect(repo: Repo) -> None:
    """A recorded score the data do not give is an error at the effect's line and column."""
    code, out, err = _run("diff", "base", "forged", "--root", str(repo.root))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[2] == ("6 companies change score, 5 statistics move; 1 new problem (1 error).")
    assert (
        (repo.root / FILE)
        .read_text(encoding="utf-8")
        .splitlines()[59]
        .startswith("    effect: {edition: 2019-q1-software-houses, score: [55, 60]")
    )
    problems = out[out.index("### New problems") : out.index("### Score and rank changes")]
    assert problems == (
        "### New problems\n\n```text\n"
        f"{FILE}:60:5: corrections[0].effect: records score 55 → 60; rank 1–20, unchanged "
        "(edition 2019-q1-software-houses), but BASE → HEAD gives score 55 → 56; rank 1–20, "
        "unchanged (edition 2019-q1-software-houses) — hint: the effect must follow from the "
        "data: edit the data, then record the correction with `ccr correct` on a work tree "
        "that holds every change of this pull request (rebased on its base), or write the "
        "numbers above\n```\n\n"
    )


def test_an_effect_already_at_base_is_not_checked_again(repo: Repo) -> None:
    """Only corrections added between BASE and HEAD are checked (later commits move ranks)."""
    code, out, _ = _run("diff", "forged", "forged", "--root", str(repo.root))
    assert code == 0
    assert "### New problems" not in out


def test_describe_words_unscored_and_unranked_sides() -> None:
    """A side without a score or a rank is said in words."""
    assert describe({"edition": "e", "score": [None, 48.6], "rank": [None, "3"]}) == (
        "score none → 48.6; rank unranked → 3 (edition e)"
    )


def _page_with(site_tree: Path, corrections: list[dict[str, object]]) -> str:
    company = site_tree / "data" / "companies" / "valid.yaml"
    doc = yaml.safe_load(company.read_text())
    doc["corrections"] = corrections
    company.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return pages(site_tree)["companies/valid.md"].body


def test_the_page_shows_each_effect(site_tree: Path) -> None:
    """With an effect: score and rank before → after; without: that none was recorded."""
    body = _page_with(
        site_tree,
        [
            {
                "date": "2019-03-02",
                "kind": "correction",
                "summary": "One.",
                "effect": {
                    "edition": "fixture-edition",
                    "score": [61, 64],
                    "rank": ["12–18", "9–15"],
                },
            },
            {"date": "2019-04-02", "kind": "re-audit", "summary": "Two."},
        ],
    )
    items = re.findall(r"<li><time>.*?</li>", body[body.index('class="ccr-corrections"') :])
    assert len(items) == 2
    muted = [re.search(r'<span class="ccr-muted">(.*?)</span>', i) for i in items]
    assert [html.unescape(m.group(1)) if m else None for m in muted] == [
        "Score 61 → 64; rank 12–18 → 9–15 (edition fixture-edition).",
        "Effect not recorded (recorded before CCR kept effects).",
    ]
    assert NO_EFFECT.startswith("Effect not recorded")


@pytest.mark.parametrize("hostile", HOSTILE[:-1], ids=range(len(HOSTILE) - 1))
def test_hostile_summary_and_edition_stay_literal(site_tree: Path, hostile: str) -> None:
    """Text from data in a correction and its effect is shown as written, never as markup."""
    body = _page_with(
        site_tree,
        [
            {
                "date": "2019-03-02",
                "kind": "correction",
                "summary": f"Fixed {hostile}.",
                "effect": {"edition": f"e {hostile}", "score": [1, 2], "rank": [None, "3"]},
            }
        ],
    )
    assert site_markdown(body) == body
    shown = _Text()
    shown.feed(body)
    words = re.sub(r"\s+", " ", "".join(shown.data))
    assert " ".join(f"Fixed {hostile}.".split()) in words
    assert " ".join(f"rank unranked → 3 (edition e {hostile}).".split()) in words
    assert not {"script", "img", "b", "em", "code"} & shown.unexpected


def test_a_malformed_effect_is_a_validation_error(tmp_path: Path) -> None:
    """The schema checks the effect's shape: two scores, ranks as shown, nothing else."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / FILE
    path.write_text(
        path.read_text(encoding="utf-8")
        + (
            "corrections:\n  - date: '2026-11-20'\n    kind: correction\n    summary: x\n"
            "    effect: {edition: e, score: [true, 56, 3], rank: [1-20, null], more: 1}\n"
        ),
        encoding="utf-8",
    )
    code, out, _ = _run("validate", "--root", str(tmp_path), str(path))
    assert code == 1
    assert out == (
        f"{FILE}:59:26: corrections[0].effect.score: has 3 entries; at most 2 required — hint: "
        "The score as shown (the methodology's decimals), before and after; null where the "
        "company had no score.\n"
        f"{FILE}:59:34: corrections[0].effect.score[0]: expected null or a number, got true or "
        "false — hint: see the Data reference page of the site (data-reference/)\n"
        f'{FILE}:59:55: corrections[0].effect.rank[0]: "1-20" is not in the expected format '
        "— hint: A rank as shown: one place (9) or a range of places (9–15, with an en dash).\n"
        f"{FILE}:59:68: corrections[0].effect.more: unknown property 'more' — hint: did you "
        "mean 'score'?\n"
        "Checked 1 company file and 0 editions: 4 errors.\n"
    )
