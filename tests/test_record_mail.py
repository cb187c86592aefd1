"""`ccr import mail`: the auditor's mailbox becomes probes, exactly as the mailbox says."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmark.record.log import Companies
from benchmark.record.mail import Mail, classify, promise
from benchmark.record.mailplan import plan_import
from benchmark.record.probes import Edition
from benchmark.record.yamltext import apply

from . import make_mailbox as box
from .helpers import probes, setup_edition, sources
from .recording import DEMO_COMPANIES, ccr, only_added, snapshot

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
EDITION = box.EDITION
REFUSED = (
    "Error: {n} messages cannot be imported, so nothing was written — hint: the lines "
    "above name each source and why"
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scenario's data tree (below tmp/repo) and its mailbox (tmp/mail)."""
    return setup_edition(tmp_path / "repo", monkeypatch)


def test_the_mailbox_gives_every_probe_exactly_as_the_script_defined(root: Path) -> None:
    """Times, who replied, promises, marketing, the bounce: all as make_mailbox defines them."""
    paths = sources(root)
    before = {s: (DEMO_COMPANIES / f"{s}.yaml").read_text("utf-8") for s in box.EXISTING}
    code, out, _ = ccr(root, "import", "mail", "--edition", EDITION, *paths)
    assert code == 0, out
    assert out.splitlines()[-1] == (
        "Imported 32 messages: 12 new probes, 0 updated, in 7 company files; 2 unmatched."
    )
    for (slug, number), facts in box.EXPECTED.items():
        probe = probes(root, slug)[number - 1]
        assert {k: v for k, v in probe.items() if k not in ("evidence",)} == {
            "channel": "email",
            "script": "sh-quote",
            **facts,
        }, (slug, number)
    assert sum(len(probes(root, s)) for s in (*box.EXISTING, *box.NEW)) == 12
    slug, when = box.BOUNCED
    data = yaml.safe_load((root / f"data/companies/{slug}.yaml").read_text("utf-8"))
    assert data["audits"][-1]["channels"] == [{"type": "email", "bounced": when}]
    for slug in box.EXISTING:  # the audit block added by ccr audit add, then only insertions
        new = (root / f"data/companies/{slug}.yaml").read_text("utf-8")
        assert only_added(before[slug], new)


def test_evidence_is_each_message_s_hash_and_id_never_its_text_or_sender(root: Path) -> None:
    """Every message used is kept as its Message-ID and SHA-256; no address or text leaks."""
    paths = sources(root)
    assert ccr(root, "import", "mail", "--edition", EDITION, *paths)[0] == 0
    built = {m.mid: hashlib.sha256(m.build()).hexdigest() for m in [*box.Q.values(), *box.REPLIES]}
    loom = probes(root, "alderloom-devhouse")[0]["evidence"]
    assert loom == [
        {"role": "question", "message_id": box.Q[1].mid, "sha256": built[box.Q[1].mid]},
        {
            "role": "acknowledgement",
            "message_id": box.ZENDESK_ACK,
            "sha256": built[box.ZENDESK_ACK],
        },
        {
            "role": "human_response",
            "message_id": "<r1@alderloom.example>",
            "sha256": built["<r1@alderloom.example>"],
        },
    ]
    roles = [e["role"] for e in probes(root, "aldertack-digital")[0]["evidence"]]
    assert roles == ["question", "acknowledgement", "marketing", "marketing"]
    roles = [e["role"] for e in probes(root, "bramblewick-systems")[1]["evidence"]]
    assert roles == ["question", "bounce"]
    text = "".join(
        (root / "data/companies" / f"{s}.yaml").read_text("utf-8")
        for s in (*box.EXISTING, *box.NEW)
    )
    for leak in (
        "anna.kowalska",
        "Kowalska",
        "ivan.petrov",
        "Petrov",
        "przygotujemy wycenę",
        "Olga",
        "out of the office",
        box.AUDIT,
    ):
        assert leak not in text


def test_the_plan_lists_what_it_could_not_match_and_what_looks_wrong(root: Path) -> None:
    """--dry-run prints the table and writes nothing; unmatched, a wrong Date, no offset."""
    paths = sources(root)
    before = snapshot(root)
    code, out, err = ccr(root, "import", "mail", "--edition", EDITION, "--dry-run", *paths)
    assert (code, err) == (0, "")
    assert snapshot(root) == before
    lines = out.splitlines()
    assert lines[0] == ("| source | arrived | from | class | becomes | probe | matched by | note |")
    assert lines[-1] == (
        "Dry run, nothing written. 32 messages: 12 new probes, 0 updated, in "
        "7 company files; 2 unmatched."
    )
    rows = {line.split(" | ")[1]: line for line in lines[2:-1]}
    assert rows["2026-09-09 15:30"].endswith(
        "| person | human response | bilberryspire-code #1 | In-Reply-To | its Date: "
        "(2026-09-01T09:00:00+02:00) is 8.3 days off its arrival; the arrival is used |"
    )
    assert rows["2026-09-10 14:30"].endswith(
        "| krakow-code.example | person | first response | krakow-code #1 | sender's domain "
        "(krakow-code.example) | its time has no UTC offset; read as Europe/Warsaw time |"
    )
    assert rows["2026-09-12 06:00"].endswith(
        "| unrelated-shop.example | marketing (List-Unsubscribe header) | unmatched |  |  | no "
        "question in this mailbox or the data matches its In-Reply-To, References or sender's "
        "domain |"
    )
    assert rows["2026-09-11 12:00"].endswith(
        "| ccr.example | from the audit mailbox | unmatched |  |  | sent from the audit mailbox "
        "to no company's domain |"
    )
    assert rows["2026-09-09 09:00"].endswith(
        "| bramblewick-systems.example | auto-reply (automatic subject) | acknowledgement | "
        "bramblewick-systems #1 | In-Reply-To |  |"
    )
    assert rows["2026-09-08 13:45"].split(" | ")[5:7] == ["alderwick-tech #1", "References"]
    for line in lines:
        assert "@" not in line.split(" | ", 1)[-1]  # no address, only domains


def test_a_second_import_changes_nothing_and_a_later_one_fills_in(root: Path) -> None:
    """Idempotent by Message-ID; replies that arrive after an import update its probes."""
    paths = sources(root)
    inbox = Path(paths[1])
    early = root.parent / "early.mbox"
    shutil.copyfile(inbox, early)
    import mailbox

    kept = mailbox.mbox(early)
    for key, message in list(kept.items()):  # only what had come by 8 September
        arrived = message.get_all("Received") or []
        moment = (
            datetime.strptime(
                str(arrived[0]).rpartition(";")[2].strip()[:25].strip(), "%a, %d %b %Y %H:%M:%S"
            )
            if arrived
            else None
        )
        if moment is None or moment > datetime(2026, 9, 8, 0, 0):
            kept.remove(key)
    kept.flush()
    kept.close()
    code, out, _ = ccr(root, "import", "mail", "--edition", EDITION, paths[0], str(early))
    assert code == 0, out
    assert probes(root, "alderloom-devhouse")[0]["first_response"]["by"] == "auto_reply"
    assert "human_response" not in probes(root, "alderloom-devhouse")[0]
    code, out, _ = ccr(root, "import", "mail", "--edition", EDITION, *paths)
    assert code == 0, out
    assert out.splitlines()[-1].startswith("Imported 32 messages: 0 new probes, ")
    for (slug, number), facts in box.EXPECTED.items():
        probe = probes(root, slug)[number - 1]
        assert {k: v for k, v in probe.items() if k != "evidence"} == {
            "channel": "email",
            "script": "sh-quote",
            **facts,
        }, (slug, number)
    same = snapshot(root)
    code, out, _ = ccr(root, "import", "mail", "--edition", EDITION, *paths)
    assert out.splitlines()[-1] == (
        "Imported 32 messages: 0 new probes, 0 updated, in 0 company files; 2 unmatched."
    )
    assert snapshot(root) == same


def _bad(root: Path, name: str, data: bytes) -> str:
    (root.parent / name).write_bytes(data)
    return str(root.parent / name)


GOOD = (
    b"Received: by mx.ccr.example; Mon, 07 Sep 2026 07:10:42 +0000\n"
    b"From: support@alderloom-devhouse.example\nTo: audit@ccr.example\n"
    b"Message-ID: <ok@alderloom-devhouse.example>\nSubject: hi\n\nHello\n"
)


def test_bad_sources_are_refused_and_nothing_is_written(root: Path) -> None:
    """A corrupt mbox, a non-mail file, broken headers, a company outside the edition."""
    paths = sources(root)
    before = snapshot(root)
    corrupt = _bad(
        root,
        "corrupt.mbox",
        b"From a Mon Sep  7 07:10:42 2026\n"
        + GOOD
        + b"\nFrom b Mon Sep  7 08:00:00 2026\n\x89PNG this is no header\n\x00\x01\n",
    )
    picture = _bad(root, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    broken = _bad(
        root,
        "broken.eml",
        b"Message-ID: <b@x.example>\nFrom: x@acme.example\n"
        b"this header line has no colon\nDate: Mon, 07 Sep 2026 10:00:00 +0200\n\nHi\n",
    )
    nameless = _bad(
        root,
        "nameless.eml",
        b"Message-ID: <b@x.example>\nFrom: Support Team\nDate: someday\n\nHi\n",
    )
    outsider = _bad(
        root,
        "outsider.eml",
        b"From: audit@ccr.example\n"
        b"To: kontakt@aldercrest-store.example\nDate: Mon, 07 Sep 2026 10:00:00 "
        b"+0200\nMessage-ID: <q-out@ccr.example>\nSubject: Pytanie\n\nPytanie\n",
    )
    code, out, err = ccr(
        root,
        "import",
        "mail",
        "--edition",
        EDITION,
        *paths,
        corrupt,
        picture,
        broken,
        nameless,
        outsider,
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{corrupt}:11:1: the message holds NUL bytes: the file is damaged or not mail — hint: "
        "export the message again from the mail program",
        f"{picture}:1:1: not mail: neither an mbox (starting with a 'From ' line) nor a message "
        "(starting with headers) — hint: give an mbox file, a Maildir folder or .eml files "
        "exported from the audit mailbox",
        f"{broken}:1:1: the message's header is broken: a line in it is not `Name: value` — "
        "hint: the file is damaged; export the message again from the mail program",
        f"{nameless}:1:1: the From header 'Support Team' holds no single address — hint: the "
        "header is broken; export the message again from the mail program",
        f"{nameless}:1:1: the message has neither a Received nor a Date header with a date — "
        "hint: export the message with its full headers",
        f"{outsider}:1:1: a question to aldercrest-store (aldercrest-store.example), which is "
        f"not in edition {EDITION} — hint: add it first: ccr audit add aldercrest-store "
        f"--edition {EDITION}",
        REFUSED.format(n=6),
    ]
    assert snapshot(root) == before
    headless = _bad(
        root,
        "headless.mbox",
        b"From a Mon Sep  7 07:10:42 2026\n"
        + GOOD
        + b"\nFrom b Mon Sep  7 08:00:00 2026\nthis is no header\n",
    )
    assert ccr(root, "import", "mail", "--edition", EDITION, headless) == (
        1,
        "",
        (
            f"{headless}:11:1: the message's header is broken: a line in it is not `Name: value` — "
            "hint: the file is damaged; export the message again from the mail program\n"
            "Error: 1 message cannot be imported, so nothing was written — hint: the lines above "
            "name each source and why\n"
        ),
    )
    assert snapshot(root) == before


def _message(headers: str, body: str = "Hello") -> Any:
    return BytesParser(policy=policy.default).parsebytes(
        (headers.strip() + "\nFrom: x@acme.example\n\n" + body + "\n").encode()
    )


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ("Auto-Submitted: auto-replied", "auto_reply"),
        ("Auto-Submitted: auto-generated", "auto_reply"),
        ("Auto-Submitted: auto-replied (zimbra; vacation)", "auto_reply"),
        ("Auto-Submitted: no", "person"),
        ("X-Autoreply: yes", "auto_reply"),
        ("X-Autorespond: Autoresponder", "auto_reply"),
        ("Precedence: auto_reply", "auto_reply"),
        ("Return-Path: <>", "auto_reply"),
        ("X-Auto-Response-Suppress: All", "person"),
        ("X-Auto-Response-Suppress: OOF, AutoReply\nSubject: RE: offer", "person"),
        ("Subject: Automatic reply: offer", "auto_reply"),
        ("Subject: Abwesenheitsnotiz: Angebot", "auto_reply"),
        ("Subject: Odpowiedź automatyczna: oferta", "auto_reply"),
        ("Subject: Автоматический ответ: предложение", "auto_reply"),
        ("Subject: Réponse automatique : offre", "auto_reply"),
        ("Subject: [#123] Request received: offer", "auto_reply"),
        ("Subject: Re: [#123] Request received: offer", "person"),
        ("Subject: Out of Office", "auto_reply"),
        ("List-Unsubscribe: <https://acme.example/u>", "marketing"),
        ("List-Id: <news.acme.example>", "marketing"),
        ("Precedence: bulk", "marketing"),
        ("Precedence: list", "marketing"),
        ("X-SG-EID: abc", "marketing"),
        ("X-Mailer: Mailchimp Mailer - **CID1234**", "marketing"),
        ("Auto-Submitted: auto-replied\nPrecedence: bulk", "auto_reply"),
        ("Subject: Your offer", "person"),
    ],
)
def test_classes_follow_rfc_3834_and_the_common_headers(headers: str, kind: str) -> None:
    """RFC 3834 and the usual marks; X-Auto-Response-Suppress and "Re:" mark no auto-reply."""
    assert classify(_message(headers))["kind"] == kind


@pytest.mark.parametrize(
    ("text", "duration", "quote"),
    [
        ("We will get back to you within 24 hours.", "PT24H", "within 24 hours"),
        ("We reply within one business day.", "P1D", "within one business day"),
        ("Expect an answer within 1-2 business days.", "P2D", "within 1-2 business days"),
        ("Odpowiemy w ciągu 24 godzin.", "PT24H", "w ciągu 24 godzin"),
        ("Odpowiemy w ciągu 2 dni roboczych.", "P2D", "w ciągu 2 dni roboczych"),
        ("Wir antworten innerhalb von 24 Stunden.", "PT24H", "innerhalb von 24 Stunden"),
        ("Antwort binnen zwei Werktagen.", "P2D", "binnen zwei Werktagen"),
        ("Мы ответим в течение 24 часов.", "PT24H", "в течение 24 часов"),
        ("Ответим в течение одного рабочего дня.", "P1D", "в течение одного рабочего дня"),
        ("Nous vous répondrons sous 48 heures.", "PT48H", "sous 48 heures"),
        ("Le responderemos en un plazo de 24 horas.", "PT24H", "en un plazo de 24 horas"),
        ("Risponderemo entro 24 ore.", "PT24H", "entro 24 ore"),
        ("A live agent answers within 15 minutes.", "PT15M", "within 15 minutes"),
    ],
)
def test_promises_in_several_languages(text: str, duration: str, quote: str) -> None:
    """The reply time an acknowledgement promises, as an ISO 8601 duration, and its words."""
    assert promise(text) == (duration, quote)


@pytest.mark.parametrize(
    "text",
    [
        "We will reply as soon as possible.",
        "Prześlij do 3 plików, do 5 MB każdy.",
        "Thank you for your message.",
    ],
)
def test_no_promise_is_read_into_text_that_makes_none(text: str) -> None:
    """Vague words and numbers that are no reply time give no promise."""
    assert promise(text) == (None, None)


@pytest.mark.slow
def test_a_mail_probe_only_inserts_lines_in_every_bundled_company_file() -> None:
    """Each of the 546 files, as its own edition's company: an answered mail probe inserted."""
    editions = {
        p.stem: yaml.safe_load(p.read_text("utf-8"))
        for p in (DEMO_COMPANIES.parent / "editions").glob("*.yaml")
    }
    changed = []
    for path in sorted(DEMO_COMPANIES.glob("*.yaml")):
        text = path.read_text("utf-8")
        data = yaml.safe_load(text)
        audit = data["audits"][-1]
        edition_data = editions[audit["edition"]]
        edition = Edition(audit["edition"], edition_data, _zone(edition_data), box.RUBRIC)
        script = next(s["id"] for s in edition_data["scripts"] if s["sector"] == data["sector"])
        domain = data["website"].split("//")[1]
        sent = datetime.fromisoformat(f"{audit['started']}T10:00:00+00:00")
        question = _mail("<q@ccr.example>", box.AUDIT, [f"info@{domain}"], sent)
        answer = _mail(
            "<a@x.example>",
            f"someone@{domain}",
            [box.AUDIT],
            sent.replace(hour=12),
            in_reply_to=["<q@ccr.example>"],
        )
        plan = plan_import(
            [question, answer], edition, Companies.of([_Doc(path.name, data)]), {box.AUDIT}, script
        )
        assert not plan.problems, (path.name, plan.problems)
        new = apply(text, plan.ops[path.name], path.name)
        added = yaml.safe_load(new)["audits"][-1]["probes"][-1]
        if not only_added(text, new) or added["first_response"]["by"] != "human":
            changed.append(path.name)
    assert changed == []


class _Doc:
    def __init__(self, file: str, data: Any) -> None:
        self.file, self.data = file, data


def _zone(edition: dict[str, Any]) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(edition["timezone"])


def _mail(
    mid: str, sender: str, to: list[str], when: datetime, in_reply_to: list[str] | None = None
) -> Mail:
    return Mail(
        source="x.eml",
        line=1,
        message_id=mid,
        sha256="0" * 64,
        sender=sender,
        recipients=to,
        subject="",
        arrival=when,
        date=when,
        in_reply_to=in_reply_to or [],
        references=[],
    )
