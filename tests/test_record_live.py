"""`ccr probe` and `ccr reply`: live probes stamped in the edition's zone, `to_review` marks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from benchmark import load
from benchmark.record import cli as record_cli
from benchmark.record.when import BadMoment, parse_moment
from benchmark.score import score

from .recording import DEMO_COMPANIES, ccr, draft_edition, only_added, snapshot

EDITION = "2026-q3-software-houses"
SLUG = "alderloom-devhouse"
FILE = f"data/companies/{SLUG}.yaml"
NOW = datetime(2026, 9, 2, 8, 30, 5, tzinfo=UTC)  # 10:30:05 in Warsaw
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
PENDING = (
    "data/companies/alderloom-devhouse.yaml:{line}:9: warning: audits[1].probes[{p}]."
    "quality: 8 rubric items are still to review: " + ", ".join(RUBRIC) + " — hint: "
    "judge them with ccr review; until then they count as not met in this draft "
    "edition's scores"
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A draft edition with one audited software house; the clock stopped at NOW."""
    monkeypatch.setattr(record_cli, "_now", lambda: NOW)
    draft_edition(tmp_path, EDITION, SLUG)
    return tmp_path


def test_a_chat_answered_by_a_bot_then_a_person(root: Path) -> None:
    """Probe, bot, person: three commands, no YAML typed, the times in Warsaw's offset."""
    before = (root / FILE).read_text("utf-8")
    before = before.replace("probes: []", "probes:").replace("channels: []", "channels:")
    assert ccr(
        root,
        "probe",
        SLUG,
        "--channel",
        "live_chat",
        "--sent",
        "10:15",
        "--script",
        "sh-chat-question",
    ) == (
        0,
        f"Recorded probe 1 of {SLUG} in {EDITION}: live_chat, sent "
        f"2026-09-02T10:15:00+02:00. When it is answered: ccr reply {SLUG} 1 --by human --at "
        "now\n",
        "",
    )
    assert only_added(before, (root / FILE).read_text("utf-8"))  # two `[]` went
    assert ccr(root, "reply", SLUG, "1", "--by", "bot", "--at", "02.09.2026 10:15:40") == (
        0,
        f"Recorded the reply by bot at 2026-09-02T10:15:40+02:00 to probe 1 of {SLUG}.\n",
        "",
    )
    code, out, err = ccr(root, "reply", SLUG, "last", "--by", "human", "--at", "now")
    assert (code, err) == (0, PENDING.format(line=39, p=0) + "\n")
    assert out == (
        f"Recorded the reply by human at 2026-09-02T10:30:05+02:00 to probe 1 of "
        f"{SLUG}. Judge its quality with: ccr review {SLUG}\n"
    )
    probe = yaml.safe_load((root / FILE).read_text("utf-8"))["audits"][1]["probes"][0]
    assert probe == {
        "channel": "live_chat",
        "script": "sh-chat-question",
        "sent_at": "2026-09-02T10:15:00+02:00",
        "first_response": {"at": "2026-09-02T10:15:40+02:00", "by": "bot"},
        "human_response": {"at": "2026-09-02T10:30:05+02:00"},
        "quality": dict.fromkeys(RUBRIC, "to_review"),
    }
    channels = yaml.safe_load((root / FILE).read_text("utf-8"))["audits"][1]["channels"]
    assert channels == [{"type": "live_chat"}]  # added with the first probe on it
    code, out, err = ccr(root, "validate")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        PENDING.format(line=39, p=0),
        "Checked 1 company file and 3 editions: 0 errors, 1 warning.",
    ]


def test_an_auto_reply_with_a_promise_then_nobody(root: Path) -> None:
    """An auto-reply is the first response and the acknowledgement, with what it promised."""
    assert (
        ccr(
            root,
            "probe",
            SLUG,
            "--channel",
            "email",
            "--sent",
            "2026-09-01 09:05",
            "--script",
            "sh-project-quote",
        )[0]
        == 0
    )
    assert (
        ccr(
            root,
            "reply",
            SLUG,
            "1",
            "--by",
            "auto_reply",
            "--at",
            "2026-09-01 09:05:12",
            "--promised",
            "PT24H",
        )[0]
        == 0
    )
    probe = yaml.safe_load((root / FILE).read_text("utf-8"))["audits"][1]["probes"][0]
    assert list(probe) == ["channel", "script", "sent_at", "acknowledgement", "first_response"]
    assert probe["acknowledgement"] == {"at": "2026-09-01T09:05:12+02:00", "promised": "PT24H"}
    assert ccr(root, "reply", SLUG, "1", "--by", "bot", "--at", "2026-09-01 09:06") == (
        1,
        "",
        "Error: the probe already has its first reply (auto_reply at "
        "2026-09-01T09:05:12+02:00) — hint: only a later reply by a person can be added "
        "(--by human)\n",
    )
    assert ccr(root, "validate")[0] == 0


def test_bad_times_and_unknown_probes_write_nothing(root: Path) -> None:
    """Each refusal names the option and how to write it; the files stay as they were."""
    before = snapshot(root)
    assert ccr(
        root,
        "probe",
        SLUG,
        "--channel",
        "phone",
        "--sent",
        "2026-03-29 02:30",
        "--script",
        "sh-chat-question",
    ) == (
        2,
        "",
        "Error: --sent 2026-03-29 02:30: 2026-03-29 02:30 does not exist in "
        "Europe/Warsaw (the clocks moved forward) — hint: check the hour, or give the UTC "
        "offset, e.g. 2026-03-29T03:15+02:00\n",
    )
    assert ccr(
        root,
        "probe",
        SLUG,
        "--channel",
        "phone",
        "--sent",
        "31.02.2026 10:00",
        "--script",
        "sh-chat-question",
    ) == (
        2,
        "",
        "Error: --sent 31.02.2026 10:00: 31.02.2026 10:00 is not a real date and time "
        "— hint: check the day of the month and the hour (e.g. there is no 30 February, no "
        "24:30)\n",
    )
    assert ccr(root, "probe", SLUG, "--channel", "phone", "--sent", "now") == (
        2,
        "",
        f"Error: {FILE}: which script was sent? — hint: give it (--script, or the script "
        "column): sh-project-quote, sh-chat-question\n",
    )
    assert ccr(root, "reply", SLUG, "4", "--by", "human", "--at", "now") == (
        2,
        "",
        f"Error: {FILE} has no probe 4 in edition {EDITION} — hint: record one first "
        "with ccr probe\n",
    )
    code, out, err = ccr(
        root,
        "probe",
        SLUG,
        "--channel",
        "phone",
        "--sent",
        "2026-10-31 10:00",
        "--script",
        "sh-chat-question",
    )
    assert (code, out) == (1, "")
    assert err.splitlines()[-2:] == [
        f"{FILE}:33:9: audits[1].probes[0].sent_at: sent on 2026-10-31, outside the edition "
        f"period (2026-09-01 to 2026-10-30) — hint: check the date, or move the probe to the "
        "audit of the right edition",
        "Error: the result would not be valid, so nothing was written — hint: the lines above "
        "point into the files as they would have been; correct the input they name and run the "
        "command again",
    ]
    assert ccr(
        root,
        "probe",
        "aldertack-digital",
        "--channel",
        "phone",
        "--sent",
        "now",
        "--edition",
        EDITION,
    ) == (
        1,
        "",
        "Error: there is no readable data/companies/aldertack-digital.yaml — hint: "
        "check the slug (ls data/companies), or run ccr validate\n",
    )
    assert snapshot(root) == before


def test_to_review_is_an_error_in_a_published_edition(root: Path) -> None:
    """The same pending marks: a warning while the edition is a draft, an error once not."""
    assert (
        ccr(
            root,
            "probe",
            SLUG,
            "--channel",
            "email",
            "--sent",
            "2026-09-01 09:05",
            "--script",
            "sh-project-quote",
        )[0]
        == 0
    )
    assert ccr(root, "reply", SLUG, "1", "--by", "human", "--at", "2026-09-01 16:00")[0] == 0
    edition = root / f"data/editions/{EDITION}.yaml"
    edition.write_text(
        edition.read_text("utf-8").replace("status: draft", "status: published"), "utf-8"
    )
    code, out, _ = ccr(root, "validate", str(root / FILE))
    assert code == 1
    assert out.splitlines() == [
        f"{FILE}:37:9: audits[1].probes[0].quality: 8 rubric items are still to review: "
        + ", ".join(RUBRIC)
        + ", in a published edition — hint: judge them with ccr review "
        "before the edition is published (status: draft while it is being audited)",
        "Checked 1 company file and 0 editions: 1 error.",
    ]


def test_a_draft_with_pending_marks_is_scored_as_not_met(root: Path) -> None:
    """Pending marks count as not met: quality 0 until reviewed, never an exception."""
    assert (
        ccr(
            root,
            "probe",
            SLUG,
            "--channel",
            "email",
            "--sent",
            "2026-09-01 09:05",
            "--script",
            "sh-project-quote",
        )[0]
        == 0
    )
    assert ccr(root, "reply", SLUG, "1", "--by", "human", "--at", "2026-09-01 11:00")[0] == 0
    probes = score(load.read_dataset(root)).probes
    row = probes[(probes["slug"] == SLUG) & (probes["edition"] == EDITION)].iloc[0]
    assert (bool(row["answered"]), float(row["quality_points"])) == (True, 0.0)


ZONE = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("2026-09-02 10:15", False, "2026-09-02T10:15:00+02:00"),
        ("2026-09-02T08:15Z", False, "2026-09-02T10:15:00+02:00"),
        ("2026-09-02T10:15:30+0200", False, "2026-09-02T10:15:30+02:00"),
        ("02.09.2026 10:15", False, "2026-09-02T10:15:00+02:00"),
        ("2/9/2026 9:05:07", False, "2026-09-02T09:05:07+02:00"),
        ("9/2/2026 9:05 PM", True, "2026-09-02T21:05:00+02:00"),
        ("2026-01-31 14:05", False, "2026-01-31T14:05:00+01:00"),
        ("10:15", False, "2026-09-02T10:15:00+02:00"),
        ("now", False, "2026-09-02T10:30:05+02:00"),
    ],
)
def test_moments_as_auditors_write_them(text: str, month_first: bool, expected: str) -> None:
    """ISO, day-first and month-first spreadsheet dates, 12-hour times, a bare time, now."""
    assert parse_moment(text, ZONE, NOW, month_first=month_first).isoformat() == expected


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-09-02", "13/13/2026 10:00", "25:00", "2026-10-25 02:30"]
)
def test_moments_that_name_no_single_time(text: str) -> None:
    """No time, an impossible date or hour, a repeated hour: refused with a hint."""
    with pytest.raises(BadMoment):
        parse_moment(text, ZONE, NOW)


@pytest.mark.slow
def test_demo_files_take_a_reply_in_place() -> None:
    """Replacing `first_response: null` changes that one line in every bundled file holding it."""
    from benchmark.record.probes import reply_ops
    from benchmark.record.yamltext import apply

    done = 0
    for path in sorted(DEMO_COMPANIES.glob("*.yaml")):
        text = path.read_text("utf-8")
        data = yaml.safe_load(text)
        for a, audit in enumerate(data["audits"]):
            for p, probe in enumerate(audit["probes"]):
                if probe["first_response"] is None and "quality" not in probe:
                    at = ("audits", a, "probes", p)
                    new = apply(
                        text,
                        reply_ops(probe, at, "human", "2026-01-01T10:00:00+01:00", RUBRIC),
                        path.name,
                    )
                    changed = [
                        (o, n)
                        for o, n in zip(text.splitlines(), new.splitlines(), strict=False)
                        if o != n
                    ]
                    assert changed[0] == (
                        " " * 8 + "first_response: null",
                        " " * 8 + "first_response:",
                    ), path.name
                    done += 1
                    break
    assert done > 100
