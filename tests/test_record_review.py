"""`ccr review`: each pending rubric mark judged, replaced in place, nothing else changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from benchmark.record import cli as record_cli

from .recording import ccr, draft_edition, snapshot

EDITION = "2026-q3-software-houses"
SLUG = "alderloom-devhouse"
FILE = f"data/companies/{SLUG}.yaml"
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
RUBRIC = (
    "answered_question",
    "complete_correct",
    "personal",
    "polite_literate",
    "next_step",
    "no_needless_redirect",
    "data_request_explained",
    "went_beyond",
)
ALL = {
    "answered_question": True,
    "complete_correct": False,
    "personal": True,
    "polite_literate": True,
    "next_step": False,
    "no_needless_redirect": True,
    "data_request_explained": "n/a",
    "went_beyond": False,
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A draft edition; two chat probes of one company answered by a person (to review)."""
    monkeypatch.setattr(record_cli, "_now", lambda: NOW)
    draft_edition(tmp_path, EDITION, SLUG)
    for day in ("02", "03"):
        assert (
            ccr(
                tmp_path,
                "probe",
                SLUG,
                "--channel",
                "live_chat",
                "--sent",
                f"2026-09-{day} 10:00",
                "--script",
                "sh-chat-question",
            )[0]
            == 0
        )
        assert (
            ccr(tmp_path, "reply", SLUG, "last", "--by", "human", "--at", f"2026-09-{day} 10:02")[0]
            == 0
        )
    return tmp_path


def _quality(root: Path, n: int) -> dict[str, object]:
    data = yaml.safe_load((root / FILE).read_text("utf-8"))
    return dict(data["audits"][-1]["probes"][n]["quality"])


def _answers(root: Path, text: str) -> str:
    (root / "answers.yaml").write_text(text, "utf-8")
    return str(root / "answers.yaml")


def test_answers_replace_only_the_pending_values(root: Path) -> None:
    """Sixteen marks from a file: the only changed lines are the 16 `to_review` lines."""
    before = (root / FILE).read_text("utf-8")
    marks = "\n".join(f"    {k}: {'n/a' if v == 'n/a' else str(v).lower()}" for k, v in ALL.items())
    answers = _answers(root, f"{SLUG}:\n  1:\n{marks}\n  2:\n{marks}\n")
    code, out, err = ccr(root, "review", "--answers", answers)
    assert (code, err) == (0, "")
    assert out == "Wrote 16 marks in 1 company file; 0 still to review.\n"
    after = (root / FILE).read_text("utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 16
    assert all(a.endswith(": to_review") and a.split(":")[0] == b.split(":")[0] for a, b in changed)
    assert _quality(root, 0) == ALL == _quality(root, 1)
    assert ccr(root, "validate") == (0, "Checked 1 company file and 3 editions: no problems.\n", "")
    assert ccr(root, "review", "--answers", answers) == (
        0,
        f"Nothing to review: no rubric item is marked to_review in {EDITION}.\n",
        "",
    )


def test_a_bad_answers_file_writes_nothing(root: Path) -> None:
    """A mark that is none, a probe without marks, an item not pending: each on its line."""
    before = snapshot(root)
    answers = _answers(
        root, f"{SLUG}:\n  1:\n    personal: maybe\n    tone: true\n  9:\n    personal: true\n"
    )
    code, out, err = ccr(root, "review", "--answers", answers)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{answers}:3:5: {SLUG}[\"1\"].personal: 'maybe' is not a mark — hint: write true, "
        'false or "n/a"',
        f'{answers}:4:5: {SLUG}["1"].tone: tone is not a rubric item of this probe — hint: '
        "its items: " + ", ".join(RUBRIC),
        f'{answers}:5:3: {SLUG}["9"]: {SLUG} has no probe 9 with rubric marks — hint: '
        f"pending: {SLUG} 1, {SLUG} 2",
        f"Error: {answers} has problems, so nothing was written — hint: correct the lines named "
        "above",
    ]
    assert snapshot(root) == before


def test_marks_that_leave_nothing_applicable_are_refused(root: Path) -> None:
    """Every item "n/a" on a probe a person answered breaks v2's rule: nothing is written."""
    before = snapshot(root)
    nothing = "\n".join(f"    {k}: n/a" for k in RUBRIC)
    code, out, err = ccr(root, "review", "--answers", _answers(root, f"{SLUG}:\n  1:\n{nothing}\n"))
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith(
        f"{FILE}:37:9: audits[1].probes[0].quality: no rubric item applies — hint:"
    )
    assert snapshot(root) == before


def test_asking_at_the_terminal(root: Path) -> None:
    """The facts, then one question per item; skip leaves to_review, q stops, done is kept."""
    code, out, err = ccr(root, "review", SLUG, stdin="y\nn\n\nna\nmaybe\ny\nq\n")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    ask = "? [y]es, [n]o, [na], [s]kip, [q]uit: "
    assert lines[1:] == [
        f"[1/2] {SLUG} #1 — {EDITION}, live_chat, script sh-chat-question",
        "  question:          Hello, do you build mobile apps as well, and can we talk about a "
        "quote?",
        "  sent:              2026-09-02T10:00:00+02:00",
        "  first response:    2026-09-02T10:02:00+02:00 by human (2 min after the question)",
        f"  Answered the actual question (answered_question){ask}y",
        f"  Complete and correct (complete_correct){ask}n",
        f"  Personal (addresses the customer, signed by a person) (personal){ask}",
        f"  Polite, with correct spelling and punctuation (polite_literate){ask}na",
        f"  Offers a next step (next_step){ask}maybe",
        "  Answer y, n, na, s or q.",
        f"  Offers a next step (next_step){ask}y",
        f"  Does not redirect to another channel without need (no_needless_redirect){ask}q",
        "Wrote 4 marks; 12 still to review.",
    ]
    assert _quality(root, 0) == {
        "answered_question": True,
        "complete_correct": False,
        "personal": "to_review",
        "polite_literate": "n/a",
        "next_step": True,
        "no_needless_redirect": "to_review",
        "data_request_explained": "to_review",
        "went_beyond": "to_review",
    }
    assert set(_quality(root, 1).values()) == {"to_review"}
