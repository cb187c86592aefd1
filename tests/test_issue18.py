"""Issue 18's scenario end to end: a new edition, 5 companies re-audited and 2 added, 19 probes.

Twelve e-mail probes come from the mailbox tests/make_mailbox.py writes, seven chat, phone,
callback and social probes from one CSV log; a person then judges the rubric with
`ccr review --answers`, and the edition validates clean — with no line of YAML typed. The
other acceptance items have their own tests: every bundled company file only gains lines
(test_record_edition, test_record_mail), bad input writes nothing (test_record_mail,
test_record_log: `file.csv:7:3`), a company outside the edition (both).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmark import load
from benchmark.score import score

from . import make_mailbox as box
from .helpers import probes, setup_edition, sources
from .recording import ccr

LOG = (
    "Company;Channel;Sent;Script;First reply;By whom;Reply by a person;Notes;Promised\r\n"
    "alderloom-devhouse;live_chat;07.09.2026 13:00;sh-chat;07.09.2026 13:00:05;bot;"
    "07.09.2026 13:03;;\r\n"
    "aldertack-digital;phone;08.09.2026 10:00;sh-chat;08.09.2026 10:01;human;;;\r\n"
    "Alderwick Tech;live_chat;08.09.2026 14:00;sh-chat;08.09.2026 14:02;human;;;\r\n"
    "bilberryspire-code;web_callback;09.09.2026 11:00;sh-chat;;;;Nobody called back.;\r\n"
    "bramblewick-systems.example;chatbot;10.09.2026 12:00;sh-chat;10.09.2026 12:00:02;bot;;"
    "The bot took a message.;24h\r\n"
    "nowa-firma;phone;11.09.2026 09:30;sh-chat;11.09.2026 09:31;human;;;\r\n"
    "krakow-code;facebook;11.09.2026 16:00;sh-chat;11.09.2026 16:00:10;auto_reply;"
    "12.09.2026 10:00;;\r\n"
)
MARKS = {
    "answered_question": True,
    "complete_correct": False,
    "personal": True,
    "polite_literate": True,
    "next_step": True,
    "no_needless_redirect": True,
    "data_request_explained": "n/a",
    "went_beyond": False,
}
COMMANDS = 6  # edition new, audit add, import mail, import log, review, validate


def test_nineteen_probes_without_a_line_of_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mail and log imported, reviewed, valid; every mail fact as the mailbox script says."""
    root = setup_edition(tmp_path / "repo", monkeypatch)
    code, out, _ = ccr(root, "import", "mail", "--edition", box.EDITION, *sources(root))
    assert code == 0, out
    (tmp_path / "log.csv").write_bytes(("\ufeff" + LOG).encode("utf-8"))
    code, out, err = ccr(root, "import", "log", "--edition", box.EDITION, str(tmp_path / "log.csv"))
    assert code == 0, err
    companies = (*box.EXISTING, *box.NEW)
    assert sum(len(probes(root, slug)) for slug in companies) == 19
    for (slug, number), facts in box.EXPECTED.items():
        probe = probes(root, slug)[number - 1]
        assert {k: v for k, v in probe.items() if k != "evidence"} == {
            "channel": "email",
            "script": "sh-quote",
            **facts,
        }, (slug, number)
    chatbot = probes(root, "bramblewick-systems")[-1]
    assert chatbot == {
        "channel": "chatbot",
        "script": "sh-chat",
        "sent_at": "2026-09-10T12:00:00+02:00",
        "acknowledgement": {"at": "2026-09-10T12:00:02+02:00", "promised": "PT24H"},
        "first_response": {"at": "2026-09-10T12:00:02+02:00", "by": "bot"},
        "notes": "The bot took a message.",
    }
    pending = {
        slug: {
            n + 1: dict(MARKS)
            for n, p in enumerate(probes(root, slug))
            if "to_review" in (p.get("quality") or {}).values()
        }
        for slug in companies
    }
    assert sum(len(v) for v in pending.values()) == 12  # 7 by mail, 5 from the log
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(pending), "utf-8")
    code, out, err = ccr(root, "review", "--answers", str(tmp_path / "answers.yaml"))
    assert (code, err) == (0, ""), err
    assert out == "Wrote 96 marks in 7 company files; 0 still to review.\n"
    assert ccr(root, "validate") == (
        0,
        "Checked 8 company files and 3 editions: no problems.\n",
        "",
    )
    scores = score(load.read_dataset(root)).companies
    assert set(scores[scores["edition"] == box.EDITION]["slug"]) == set(companies)


def hand_typed_lines(root: Path) -> int:
    """Lines of YAML the new edition holds that someone would type without the commands.

    The edition file and each company's audit of the edition, without comments, blank lines
    and the e-mail evidence (which nobody could type by hand); a new company file counts
    whole, as `ccr new` writes most of it but its audit still had to be filled in.
    """
    edition = (root / f"data/editions/{box.EDITION}.yaml").read_text("utf-8").splitlines()
    lines = [x for x in edition if x.strip() and not x.lstrip().startswith("#")]
    count = len(lines)
    for path in sorted((root / "data/companies").glob("*.yaml")):
        text = path.read_text("utf-8").splitlines()
        start = next(
            (
                i
                for i, x in enumerate(text)
                if x.strip() == f"- edition: '{box.EDITION}'"
                or x.strip() == f"- edition: {box.EDITION}"
            ),
            None,
        )
        if start is None:
            continue
        block: list[str] = []
        for line in text[start:]:
            if block and line and not line.startswith("    ") and not line.startswith("  -"):
                break
            if block and line.startswith("  - ") and "edition:" in line:
                break
            block.append(line)
        evidence = False
        for line in block:
            stripped = line.strip()
            if stripped == "evidence:":
                evidence = True
                continue
            if evidence and (stripped.startswith(("- role:", "message_id:", "sha256:"))):
                continue
            evidence = False
            if stripped and not stripped.startswith("#"):
                count += 1
    return count


def test_the_measurement_for_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: every line below typed by hand. After: six commands, 7 CSV rows, no YAML."""
    root = setup_edition(tmp_path / "repo", monkeypatch)
    assert ccr(root, "import", "mail", "--edition", box.EDITION, *sources(root))[0] == 0
    (tmp_path / "log.csv").write_text(LOG, "utf-8")
    assert ccr(root, "import", "log", "--edition", box.EDITION, str(tmp_path / "log.csv"))[0] == 0
    typed = hand_typed_lines(root)
    rows = LOG.count("\r\n") - 1
    print(
        f"\nissue 18 scenario: {typed} YAML lines by hand before; after: {COMMANDS} commands, "
        f"{rows} CSV rows, 0 YAML lines (+ one y/n/na answer per rubric item in ccr review)"
    )
    assert rows == 7
    assert 250 <= typed <= 400, typed
