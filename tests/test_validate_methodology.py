"""Methodology files are validated like the data files, and v2's complete quality marks.

Each methodology case is one small change to a bundled methodology file and the exact
problem lines `ccr validate` prints for it; the pipeline test shows that a broken
methodology stops `ccr validate`, `ccr leaderboard` and `ccr build` at validation.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.schema import load_schema
from benchmark.score.subscores import SUBSCORES
from benchmark.validate import channel_types

from .helpers import FIXTURES
from .helpers import run_ccr as ccr

TIERS = (
    "tiers:\n  - {tier: High performer, min: 70}\n  - {tier: Moderate performer, min: 40}\n"
    "  - {tier: Underperformer, min: 0}\n"
)


class Change(NamedTuple):
    """Replace ``old`` (once, and it must be there) with ``new`` in a methodology file."""

    file: str
    old: str
    new: str
    expected: list[str]


CASES = {
    "v1-missing-key": Change(
        "v1.yaml",
        TIERS,
        "",
        [
            "data/methodology/v1.yaml:4:1: missing required property 'tiers' — hint: add `tiers:` "
            "— Tiers from the composite score: lower bounds, highest first, the last at 0.",
        ],
    ),
    "v2-missing-key": Change(
        "v2.yaml",
        "public_holidays: true\n",
        "",
        [
            "data/methodology/v2.yaml:5:1: missing required property 'public_holidays' — hint: add "
            "`public_holidays:` — True when business time skips the public holidays of the "
            "company's country.",
        ],
    ),
    "v2-missing-nested-key": Change(
        "v2.yaml",
        "    within_sd: 0.5\n",
        "",
        [
            "data/methodology/v2.yaml:104:3: uncertainty.fallback_prior: missing required property "
            "'within_sd' — hint: add `within_sd:` — Standard deviation of one probe within a "
            "company.",
        ],
    ),
    "version-mismatch": Change(
        "v2.yaml",
        "version: v2",
        "version: v3",
        [
            "data/methodology/v2.yaml:5:1: version: version 'v3' differs from the file name 'v2' — "
            "hint: rename the file to v3.yaml or set version: v2",
        ],
    ),
    "weights-sum": Change(
        "v1.yaml",
        "  respect: 0.10",
        "  respect: 0.05",
        [
            "data/methodology/v1.yaml:76:1: weights: weights sum to 0.95, not 1 — hint: they are "
            "the sub-scores' shares of the composite score; change them so that they add up to 1",
        ],
    ),
    "transparency-parts-sum": Change(
        "v2.yaml",
        "  promises: 0.50",
        "  promises: 0.25",
        [
            "data/methodology/v2.yaml:84:1: transparency_parts: transparency_parts sum to 0.75, not "  # noqa: E501 - the exact line the user sees
            "1 — hint: they are the parts' shares of the transparency sub-score; change them so "
            "that they add up to 1",
        ],
    ),
    "weight-key-unknown": Change(
        "v2.yaml",
        "  respect: 0.10",
        "  respekt: 0.10",
        [
            "data/methodology/v2.yaml:78:1: weights: missing required property 'respect' — hint: "
            "add `respect:` — Weight of respect.",
            "data/methodology/v2.yaml:83:3: weights.respekt: unknown property 'respekt' — hint: did "  # noqa: E501 - the exact line the user sees
            "you mean 'respect'?",
        ],
    ),
    "v1-transparency-part-of-v2": Change(
        "v1.yaml",
        "  promises_kept: 0.25",
        "  promises: 0.25",
        [
            "data/methodology/v1.yaml:82:1: transparency_parts: missing required property "
            "'promises_kept' — hint: add `promises_kept:` — Share for the promises kept (share of "
            "promised probes answered by a person within the promise).",
            "data/methodology/v1.yaml:85:3: transparency_parts.promises: unknown property "
            "'promises' — hint: did you mean 'promises_kept'?",
        ],
    ),
    "duplicate-rubric-item": Change(
        "v2.yaml",
        "  - id: went_beyond",
        "  - id: personal",
        [
            "data/methodology/v2.yaml:27:5: rubric[7].id: rubric item 'personal' is listed twice "
            "(first in rubric[2]) — hint: give every rubric item its own id",
        ],
    ),
    "channel-in-two-families": Change(
        "v2.yaml",
        "  phone: [phone]",
        "  phone: [phone, email]",
        [
            "data/methodology/v2.yaml:37:18: channel_families.phone[1]: 'email' is also in family "
            "'written' — hint: families are disjoint: list each channel type in exactly one family",
        ],
    ),
    "unknown-channel-type": Change(
        "v2.yaml",
        "  callback: [web_callback]",
        "  callback: [web_callbak]",
        [
            "data/methodology/v2.yaml:33:1: channel_families: no family holds web_callback — hint: "
            "every channel type a company file can list (benchmark/schemas/company.schema.json) "
            "belongs to exactly one family; add each to one",
            "data/methodology/v2.yaml:36:14: channel_families.callback[0]: 'web_callbak' is not a "
            "channel type a company file can list — hint: did you mean 'web_callback'?",
        ],
    ),
    "channel-without-family": Change(
        "v2.yaml",
        "[faq, knowledge_base, community, mobile_app]",
        "[faq, knowledge_base, community]",
        [
            "data/methodology/v2.yaml:33:1: channel_families: no family holds mobile_app — hint: "
            "every channel type a company file can list (benchmark/schemas/company.schema.json) "
            "belongs to exactly one family; add each to one",
        ],
    ),
    "speed-unknown-family": Change(
        "v2.yaml",
        "  social: {full: PT1H, zero: PT48H}",
        "  socal: {full: PT1H, zero: PT48H}",
        [
            "data/methodology/v2.yaml:67:3: speed.socal: 'socal' is not a channel family — hint: "
            "did you mean 'social'? (families are the keys of channel_families)",
        ],
    ),
    "thresholds-unknown-family": Change(
        "v2.yaml",
        "  callback: [PT5M, PT1H30M]",
        "  call_back: [PT5M, PT1H30M]",
        [
            "data/methodology/v2.yaml:56:3: thresholds.call_back: 'call_back' is not a channel "
            "family — hint: did you mean 'callback'? (families are the keys of channel_families)",
        ],
    ),
    "breadth-unknown-family": Change(
        "v2.yaml",
        "breadth_families: [written, chat,",
        "breadth_families: [written, chats,",
        [
            "data/methodology/v2.yaml:96:29: breadth_families[1]: 'chats' is not a channel family — "  # noqa: E501 - the exact line the user sees
            "hint: did you mean 'chat'? (families are the keys of channel_families)",
        ],
    ),
    "duration-not-iso": Change(
        "v2.yaml",
        "never_answered_after: P7D",
        "never_answered_after: 7 days",
        [
            'data/methodology/v2.yaml:42:1: never_answered_after: "7 days" is not in the expected '
            "format — hint: An ISO 8601 duration in days, hours, minutes or seconds, e.g. PT15M, "
            "PT24H, P2D.",
        ],
    ),
    "duration-zero": Change(
        "v1.yaml",
        "  phone: [PT30S, PT5M]",
        "  phone: [PT0S, PT5M]",
        [
            "data/methodology/v1.yaml:53:11: thresholds.phone[0]: PT0S is not a positive duration — "  # noqa: E501 - the exact line the user sees
            "hint: write an ISO 8601 duration such as PT15M, PT24H or P2D",
        ],
    ),
    "speed-full-not-below-zero": Change(
        "v2.yaml",
        "  phone: {full: PT30S, zero: PT10M}",
        "  phone: {full: PT10M, zero: PT30S}",
        [
            "data/methodology/v2.yaml:66:24: speed.phone.zero: zero (PT30S) is not longer than full "  # noqa: E501 - the exact line the user sees
            "(PT10M) — hint: speed points fall from 1 at `full` to 0 at `zero`, so `zero` is the "
            "longer time",
        ],
    ),
    "thresholds-not-ascending": Change(
        "v2.yaml",
        "  written: [PT15M, PT1H, PT4H, PT24H, PT48H]",
        "  written: [PT15M, PT4H, PT1H, PT24H, PT48H]",
        [
            "data/methodology/v2.yaml:54:26: thresholds.written[2]: PT1H is not longer than the time "  # noqa: E501 - the exact line the user sees
            "before it (PT4H) — hint: list the reply times shortest first, each once",
        ],
    ),
    "grades-not-descending": Change(
        "v2.yaml",
        "{grade: C, min: 50,",
        "{grade: C, min: 65,",
        [
            "data/methodology/v2.yaml:114:16: grades[2].min: 65 is not below the grade before it "
            "(65) — hint: list grades highest first, each starting below the one before",
        ],
    ),
    "grades-not-ending-at-0": Change(
        "v2.yaml",
        "{grade: E, min: 0,",
        "{grade: E, min: 10,",
        [
            "data/methodology/v2.yaml:116:16: grades[4].min: the last grade starts at 10, not 0 — "
            "hint: the lowest grade starts at 0, so that every score gets one",
        ],
    ),
    "tiers-not-descending": Change(
        "v1.yaml",
        "{tier: Moderate performer, min: 40}",
        "{tier: Moderate performer, min: 75}",
        [
            "data/methodology/v1.yaml:99:32: tiers[1].min: 75 is not below the tier before it (70) "
            "— hint: list tiers highest first, each starting below the one before",
        ],
    ),
    "promise-none-below-broken": Change(
        "v2.yaml",
        "  broken: 0.0",
        "  broken: 0.75",
        [
            "data/methodology/v2.yaml:92:3: promise_points.none: not promising (none: 0.5) scores "
            "below promising and breaking it (broken: 0.75) — hint: not promising must never score "
            "below promising and breaking it; order them kept ≥ none ≥ broken",
        ],
    ),
    "promise-kept-below-none": Change(
        "v2.yaml",
        "  kept: 1.0",
        "  kept: 0.25",
        [
            "data/methodology/v2.yaml:91:3: promise_points.kept: keeping a promise (kept: 0.25) "
            "scores below not promising (none: 0.5) — hint: a promise kept must never score below "
            "no promise; order them kept ≥ none ≥ broken",
        ],
    ),
    "interval-one": Change(
        "v2.yaml",
        "  interval: 0.90",
        "  interval: 1",
        [
            "data/methodology/v2.yaml:101:3: uncertainty.interval: 1 is not below 1 — hint: The "
            "interval's nominal coverage, between 0 and 1 (0.90 for a 90 % interval).",
        ],
    ),
    "interval-zero": Change(
        "v2.yaml",
        "  interval: 0.90",
        "  interval: 0",
        [
            "data/methodology/v2.yaml:101:3: uncertainty.interval: 0 is not above 0 — hint: The "
            "interval's nominal coverage, between 0 and 1 (0.90 for a 90 % interval).",
        ],
    ),
    "minimum-probes-zero": Change(
        "v2.yaml",
        "minimum_probes: 3",
        "minimum_probes: 0",
        [
            "data/methodology/v2.yaml:46:1: minimum_probes: 0 is below the minimum of 1 — hint: The "  # noqa: E501 - the exact line the user sees
            "evidence threshold in probes: fewer behind a score flag it (v1: limited evidence; v2: "
            "unranked). At least 1.",
        ],
    ),
}


def change(tree: Path, file: str, old: str, new: str) -> Path:
    """Replace ``old`` (which must be there once) with ``new`` in a file below the tree."""
    path = tree / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def validate(tree: Path, *paths: Path) -> tuple[int, list[str]]:
    """Exit code and output lines of `ccr validate` on the given files."""
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree), *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def test_bundled_methodologies_are_clean(tree: Path) -> None:
    """v1 and v2 as published pass the schema and every rule."""
    folder = tree / "data" / "methodology"
    code, lines = validate(tree, folder / "v1.yaml", folder / "v2.yaml")
    assert lines == ["Checked 0 company files and 0 editions: no problems."]
    assert code == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_methodology_rule_reports_exact_problem(tree: Path, name: str) -> None:
    """Each broken methodology gives exactly its problem lines, and exit 1."""
    case = CASES[name]
    path = change(tree, f"data/methodology/{case.file}", case.old, case.new)
    code, lines = validate(tree, path)
    assert lines[:-1] == case.expected
    assert lines[-1] == f"Checked 0 company files and 0 editions: {len(case.expected)} error" + (
        "s." if len(case.expected) > 1 else "."
    )
    assert code == 1


def test_schema_names_the_five_subscores_and_reads_the_channel_types() -> None:
    """The schema's weight keys are the scorer's sub-scores; families cover the company enum."""
    defs = load_schema("methodology")["$defs"]
    assert tuple(defs["weights"]["properties"]) == SUBSCORES
    assert defs["weights"]["required"] == list(SUBSCORES)
    assert channel_types() == tuple(load_schema("company")["$defs"]["channel_type"]["enum"])


@pytest.mark.slow
def test_broken_methodology_stops_every_command_at_validation(site_tree: Path) -> None:
    """The edition's methodology misses a key: validate, leaderboard and build say so, exit 1.

    Without the methodology schema, `ccr validate` passed and `ccr leaderboard` stopped
    with a message that named no file or line.
    """
    change(site_tree, "data/methodology/v1.yaml", TIERS, "")
    problem = (
        "data/methodology/v1.yaml:4:1: missing required property 'tiers' — hint: add "
        "`tiers:` — Tiers from the composite score: lower bounds, highest first, the "
        "last at 0."
    )
    stop = "Error: the data has 1 error — hint: run `ccr validate` and fix each problem it lists"
    checked = ccr("validate", cwd=site_tree)
    assert (checked.returncode, checked.stderr) == (1, "")
    assert checked.stdout.splitlines() == [
        problem,
        "Checked 2 company files and 1 edition: 1 error.",
    ]
    for command in (["leaderboard"], ["build"]):
        done = ccr(*command, cwd=site_tree)
        assert (done.returncode, done.stdout) == (1, ""), command
        assert done.stderr.splitlines() == [problem, stop], command
    assert not (site_tree / "site").exists()


# --- complete quality marks (v2) ----------------------------------------------------------

PROBE_2 = "        human_response:\n          at: '2019-02-12T11:03:00+01:00'\n"
MARKS_2 = PROBE_2 + (
    "        quality:\n          answered_question: true\n"
    "          complete_correct: false\n          personal: n/a\n"
    "          polite_literate: true\n          next_step: n/a\n"
    "          no_needless_redirect: true\n          data_request_explained: n/a\n"
    "          went_beyond: false\n"
)
ALL_NA = {
    "          answered_question: true\n": "          answered_question: n/a\n",
    "          complete_correct: true\n": "          complete_correct: n/a\n",
    "          personal: true\n": "          personal: n/a\n",
    "          polite_literate: true\n": "          polite_literate: n/a\n",
    "          next_step: false\n": "          next_step: n/a\n",
    "          no_needless_redirect: true\n": "          no_needless_redirect: n/a\n",
    "          went_beyond: false\n": "          went_beyond: n/a\n",
}
RULE = (
    'methodology v2 needs every rubric item marked true, false or "n/a" on a probe a '
    "person answered"
)


def company(tree: Path, methodology: str, edits: dict[str, str], probe_2: str) -> Path:
    """valid.yaml on an edition scored with ``methodology``, edited for the case.

    ``edits`` change the first probe; the second probe's human reply becomes ``probe_2``.
    """
    change(
        tree, "data/editions/fixture-edition.yaml", "methodology: v1", f"methodology: {methodology}"
    )
    target = tree / "data" / "companies" / "valid.yaml"
    shutil.copyfile(FIXTURES / "valid.yaml", target)
    for old, new in {**edits, PROBE_2: probe_2}.items():
        change(tree, "data/companies/valid.yaml", old, new)
    return target


MARKS_CASES = {
    "complete": ({}, MARKS_2, []),
    "two-items-missing": (
        {"          personal: true\n": "", "          went_beyond: false\n": ""},
        MARKS_2,
        [
            "data/companies/valid.yaml:39:9: audits[0].probes[0].quality: 2 rubric items are not "
            f"marked — hint: {RULE}; add personal, went_beyond",
        ],
    ),
    "one-item-missing": (
        {"          next_step: false\n": ""},
        MARKS_2,
        [
            "data/companies/valid.yaml:39:9: audits[0].probes[0].quality: 1 rubric item is not "
            f"marked — hint: {RULE}; add next_step",
        ],
    ),
    "no-quality": (
        {},
        PROBE_2,
        [
            "data/companies/valid.yaml:48:9: audits[0].probes[1]: a person answered, but no rubric "
            f"item is marked — hint: {RULE}; add quality: with answered_question, "
            "complete_correct, personal, polite_literate, next_step, no_needless_redirect, "
            "data_request_explained, went_beyond",
        ],
    ),
    "all-not-applicable": (
        ALL_NA,
        MARKS_2,
        [
            "data/companies/valid.yaml:39:9: audits[0].probes[0].quality: no rubric item applies — "
            'hint: every item is marked "n/a"; an answer by a person is judged on at least one '
            "item: mark it true or false (e.g. answered_question)",
        ],
    ),
    "bot-only-needs-no-marks": ({}, "", []),
}


@pytest.mark.parametrize("name", sorted(MARKS_CASES))
def test_v2_quality_marks_must_be_complete(tree: Path, name: str) -> None:
    """On a v2 edition, an answered probe marks every rubric item; at least one applies."""
    edits, probe_2, expected = MARKS_CASES[name]
    code, lines = validate(tree, company(tree, "v2", edits, probe_2))
    assert lines[:-1] == expected
    assert code == (1 if expected else 0)


@pytest.mark.parametrize("name", ["two-items-missing", "no-quality", "all-not-applicable"])
def test_v1_quality_marks_may_leave_items_out(tree: Path, name: str) -> None:
    """On a v1 edition the same files are clean: unmarked items are left out, as before."""
    edits, probe_2, _ = MARKS_CASES[name]
    code, lines = validate(tree, company(tree, "v1", edits, probe_2))
    assert lines == ["Checked 1 company file and 0 editions: no problems."]
    assert code == 0
