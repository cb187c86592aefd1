"""`ccr import log`: one CSV row per chat, phone or callback probe, every cell checked first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from benchmark.record import cli as record_cli

from .recording import ccr, only_added, small_tree, snapshot

EDITION = "2026-q3-software-houses"
HOUSES = ("alderloom-devhouse", "aldertack-digital")
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
REFUSED = (
    "Error: {file} has {n} problems, so nothing was written — hint: correct the cells "
    "named above and import the file again"
)

# As Excel saves "CSV UTF-8" in Poland: a byte-order mark, semicolons, CRLF, dotted dates.
EXCEL = (
    "\ufeffCompany;Channel;Sent;Script;First reply;By whom;Reply by a person;Notes\r\n"
    "alderloom-devhouse;live_chat;02.09.2026 11:00;sh-chat-question;02.09.2026 11:00:20;"
    "bot;02.09.2026 11:04;The bot asked for an e-mail address first.\r\n"
    "Aldertack Digital;phone;03.09.2026 14:05;sh-chat-question;03.09.2026 14:06;human;;\r\n"
    "aldertack-digital.example;web_callback;4.9.2026 9:00;sh-chat-question;;;;"
    '"No call back; we waited two weeks"\r\n'
    ";;;;;;;\r\n"
)
# As LibreOffice saves it by default: commas, ISO dates, a quoted comma, an offset.
LIBRE = (
    "company,channel,sent,script,first_reply,by,human_reply,notes,promised\n"
    "alderloom-devhouse,facebook,2026-09-07 16:20,sh-chat-question,"
    '2026-09-07T14:20:05Z,auto_reply,2026-09-08 10:00,"Thanks, we reply soon",24h\n'
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A draft edition (v2, Europe/Warsaw) auditing two software houses; a fixed clock."""
    monkeypatch.setattr(record_cli, "_now", lambda: NOW)
    small_tree(tmp_path, *HOUSES, "alderbyte-goods")
    assert (
        ccr(
            tmp_path,
            "edition",
            "new",
            EDITION,
            "--title",
            "Software houses",
            "--sector",
            "software-house",
            "--market",
            "PL",
            "--period",
            "2026-09-01..2026-10-30",
            "--copy-scripts",
            "2019-q1-software-houses",
        )[0]
        == 0
    )
    assert ccr(tmp_path, "audit", "add", *HOUSES, "--edition", EDITION)[0] == 0
    return tmp_path


def _write(root: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    (root / name).write_bytes(text.encode(encoding))
    return str(root / name)


def _probes(root: Path, slug: str) -> list[dict[str, object]]:
    data = yaml.safe_load((root / f"data/companies/{slug}.yaml").read_text("utf-8"))
    return list(data["audits"][-1]["probes"])


def test_an_excel_sheet_is_read_as_it_comes(root: Path) -> None:
    """BOM, semicolons, CRLF, day-first dates, header words, a name and a domain for company."""
    log = _write(root, "log.csv", EXCEL)
    before = {s: (root / f"data/companies/{s}.yaml").read_text("utf-8") for s in HOUSES}
    code, out, err = ccr(root, "import", "log", "--edition", EDITION, log)
    assert code == 0, err
    assert out == f"Imported 3 probes from {log} into 2 company files.\n"
    assert _probes(root, "alderloom-devhouse") == [
        {
            "channel": "live_chat",
            "script": "sh-chat-question",
            "sent_at": "2026-09-02T11:00:00+02:00",
            "first_response": {"at": "2026-09-02T11:00:20+02:00", "by": "bot"},
            "human_response": {"at": "2026-09-02T11:04:00+02:00"},
            "quality": dict.fromkeys(RUBRIC, "to_review"),
            "notes": "The bot asked for an e-mail address first.",
        }
    ]
    assert _probes(root, "aldertack-digital") == [
        {
            "channel": "phone",
            "script": "sh-chat-question",
            "sent_at": "2026-09-03T14:05:00+02:00",
            "first_response": {"at": "2026-09-03T14:06:00+02:00", "by": "human"},
            "quality": dict.fromkeys(RUBRIC, "to_review"),
        },
        {
            "channel": "web_callback",
            "script": "sh-chat-question",
            "sent_at": "2026-09-04T09:00:00+02:00",
            "first_response": None,
            "notes": "No call back; we waited two weeks",
        },
    ]
    for slug in HOUSES:
        new = (root / f"data/companies/{slug}.yaml").read_text("utf-8")
        assert only_added(before[slug].replace(": []", ":"), new)
    same = snapshot(root)
    assert ccr(root, "import", "log", "--edition", EDITION, log)[1] == (
        f"Imported 0 probes from {log} into 0 company files (3 already recorded).\n"
    )
    assert snapshot(root) == same
    code, out, _ = ccr(root, "validate")
    assert (code, out.splitlines()[-1]) == (
        0,
        "Checked 3 company files and 3 editions: 0 errors, 2 warnings.",
    )


def test_a_libreoffice_sheet_with_an_auto_reply_promise(root: Path) -> None:
    """Commas, a quoted comma, a UTC time (stamped in Warsaw) and a promise in hours."""
    log = _write(root, "libre.csv", LIBRE)
    assert ccr(root, "import", "log", "--edition", EDITION, log)[0] == 0
    assert _probes(root, "alderloom-devhouse") == [
        {
            "channel": "facebook",
            "script": "sh-chat-question",
            "sent_at": "2026-09-07T16:20:00+02:00",
            "acknowledgement": {"at": "2026-09-07T16:20:05+02:00", "promised": "PT24H"},
            "first_response": {"at": "2026-09-07T16:20:05+02:00", "by": "auto_reply"},
            "human_response": {"at": "2026-09-08T10:00:00+02:00"},
            "quality": dict.fromkeys(RUBRIC, "to_review"),
            "notes": "Thanks, we reply soon",
        }
    ]


def test_a_bad_date_in_row_7_is_reported_at_7_3_and_nothing_is_written(root: Path) -> None:
    """Every cell is checked before anything is written; each problem has line and column."""
    rows = [
        f"alderloom-devhouse,live_chat,2026-09-{d:02d} 10:00,sh-chat-question" for d in range(1, 6)
    ]
    log = _write(
        root,
        "file.csv",
        "company,channel,sent,script\n" + "\n".join(rows) + "\n"
        "alderloom-devhouse,live_chat,31.09.2026 10:00,sh-chat-question\n"
        "alderbyte-goods,phone,2026-09-02 10:00,sh-chat-question\n"
        "alderloom-devhouse,fax,2026-12-24 10:00,sh-chat-question\n",
    )
    before = snapshot(root)
    code, out, err = ccr(root, "import", "log", "--edition", EDITION, log)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{log}:7:3: sent: 31.09.2026 10:00 is not a real date and time — hint: check the day "
        "of the month and the hour (e.g. there is no 30 February, no 24:30)",
        f"{log}:8:1: company: alderbyte-goods is not in edition {EDITION} — hint: add it first: "
        f"ccr audit add alderbyte-goods --edition {EDITION}",
        f"{log}:9:2: channel: no channel 'fax' — hint: did you mean 'faq'?",
        f"{log}:9:3: sent: 2026-12-24T10:00:00+01:00 is in the future — hint: record only what "
        "has happened; check the year",
        REFUSED.format(file=log, n=4),
    ]
    assert snapshot(root) == before


def test_rows_that_contradict_themselves(root: Path) -> None:
    """A reply before the question, a person twice, who replied unsaid, an unknown column."""
    log = _write(
        root,
        "odd.csv",
        "company;channel;sent;first_reply;by;human_reply\n"
        "alderloom-devhouse;phone;2026-09-02 10:00;2026-09-02 09:00;human;\n"
        "alderloom-devhouse;phone;2026-09-02 11:00;2026-09-02 11:05;;\n"
        "alderloom-devhouse;phone;2026-09-02 12:00;2026-09-02 12:05;human;"
        "2026-09-02 12:10\n",
    )
    code, _, err = ccr(root, "import", "log", "--edition", EDITION, log)
    assert code == 1
    assert err.splitlines() == [
        f"{log}:2:4: first_reply: earlier than sent (2026-09-02T10:00:00+02:00) — hint: a reply "
        "cannot come before the question; check the date and hour",
        f"{log}:3:5: by: who gave the first reply? — hint: write human, bot or auto_reply",
        f"{log}:4:6: human_reply: the first reply was already by a person — hint: give "
        "human_reply only when a bot or an auto-reply answered first",
        REFUSED.format(file=log, n=3),
    ]
    header = _write(root, "header.csv", "company,chanel,sent\n")
    assert ccr(root, "import", "log", "--edition", EDITION, header) == (
        1,
        "",
        (
            f"{header}:1:2: unknown column 'chanel' — hint: did you mean 'channel'?\n"
            f"{header}:1:1: no channel column — hint: the header row names at least company, "
            "channel and sent\n" + REFUSED.format(file=header, n=2) + "\n"
        ),
    )


def test_a_sheet_saved_in_a_legacy_code_page_is_refused(root: Path) -> None:
    """Windows-1250 (Excel's plain "CSV" in Poland) is not guessed: save it as UTF-8."""
    log = _write(
        root,
        "cp.csv",
        "company,channel,sent,notes\nalderloom-devhouse,phone,"
        "2026-09-02 10:00,Zadzwonił po godzinie\n",
        "cp1250",
    )
    assert ccr(root, "import", "log", "--edition", EDITION, log) == (
        1,
        "",
        (
            f"{log}:2:1: the file is not UTF-8 text — hint: save it as 'CSV UTF-8' (Excel) or with "
            "the character set Unicode (UTF-8) (LibreOffice)\n"
            f"Error: {log} has 1 problem, so nothing was written — hint: correct the cells named "
            "above and import the file again\n"
        ),
    )


def test_the_template_is_the_header_row(root: Path) -> None:
    """`--template` prints the columns to start a sheet with."""
    assert ccr(root, "import", "log", "--template") == (
        0,
        "company,channel,sent,script,first_reply,by,human_reply,notes\n",
        "",
    )
