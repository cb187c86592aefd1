"""A realistic audit mailbox, made with the standard library, and what importing it must give.

The scenario is an autumn 2026 edition of Polish software houses (Europe/Warsaw, +02:00):
twelve questions sent from the audit mailbox to seven companies, and what came back —
helpdesk acknowledgements shaped like Zendesk's, Freshdesk's and Help Scout's, a Gmail
vacation responder, an Exchange/Outlook out-of-office, a Zimbra vacation reply, ticket
acknowledgements promising a reply time in English, Polish, German and Russian, replies by
people in Polish, German, Russian and English (one from Outlook with
X-Auto-Response-Suppress, one saying Auto-Submitted: no), marketing mail with
List-Unsubscribe or a Mailchimp header instead of an answer, a bounce, a reply whose Date:
is a week wrong, a reply whose arrival time has no UTC offset, a reply that names no
question (found by its domain), a newsletter from a stranger and a private message from the
audit mailbox. The questions are in a Maildir (Sent), most replies in an mbox (inbox.mbox),
two as .eml files.

``EXPECTED`` holds, per company and probe number, every fact the import must record.
Run ``python tests/make_mailbox.py OUT`` to write the mailbox into OUT for a manual try.
"""

from __future__ import annotations

import mailbox
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

AUDIT = "audit@ccr.example"
EDITION = "2026-q3-software-houses"
QUOTE = (
    "We are planning a web application for booking appointments in our clinics. Could "
    "you estimate the cost and the time needed?"
)
CHAT = "Do you build mobile apps as well, and can we talk about a quote?"
WARSAW = timezone(timedelta(hours=2))  # CEST, all of September 2026
UTC = timezone.utc  # noqa: UP017 - the stdlib name reads better beside WARSAW
MOSCOW = timezone(timedelta(hours=3))
PACIFIC = timezone(timedelta(hours=-7))
EXISTING = (
    "alderloom-devhouse",
    "aldertack-digital",
    "alderwick-tech",
    "bilberryspire-code",
    "bramblewick-systems",
)
NEW = {
    "nowa-firma": "Nowa Firma=https://nowa-firma.example",
    "krakow-code": "Kraków Code=https://krakow-code.example",
}


def at(day: int, hour: int, minute: int, second: int = 0, tz: timezone = WARSAW) -> datetime:
    """A moment of September 2026."""
    return datetime(2026, 9, day, hour, minute, second, tzinfo=tz)


def iso(moment: datetime) -> str:
    """As CCR stamps it: in Warsaw, to the second."""
    return moment.astimezone(WARSAW).isoformat()


@dataclass
class Message:
    """One message: headers, text, where it is stored and when the audit server got it."""

    sender: str
    to: str
    subject: str
    body: str
    date: datetime
    mid: str
    arrived: datetime | None = None  # topmost Received; None for the auditor's own questions
    headers: dict[str, str] = field(default_factory=dict)
    reply_to: str | None = None  # In-Reply-To
    references: list[str] = field(default_factory=list)
    store: str = "inbox"  # inbox (mbox), sent (Maildir) or an .eml file name
    received_offset: bool = True

    def build(self) -> bytes:
        """The message's bytes, as the audit mailbox holds it."""
        msg = EmailMessage()
        if self.arrived is not None:
            when = (
                format_datetime(self.arrived)
                if self.received_offset
                else self.arrived.strftime("%a, %d %b %Y %H:%M:%S")
            )
            msg["Received"] = (
                f"from mail.sender.example (mail.sender.example [192.0.2.10]) by "
                f"mx.ccr.example (Postfix) with ESMTPS id 4B7X; {when}"
            )
            relay = self.arrived - timedelta(seconds=3)
            msg["Received"] = f"from [10.1.2.3] by mail.sender.example; {format_datetime(relay)}"
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = format_datetime(self.date)
        msg["Message-ID"] = self.mid
        if self.reply_to:
            msg["In-Reply-To"] = self.reply_to
        if self.references:
            msg["References"] = " ".join(self.references)
        for name, value in self.headers.items():
            msg[name] = value
        msg.set_content(self.body)
        return bytes(msg)


def question(n: int, to: str, day: int, hour: int, minute: int, text: str = QUOTE) -> Message:
    """The auditor's question number ``n``."""
    return Message(
        AUDIT,
        to,
        "Zapytanie o wycenę aplikacji",
        f"Dzień dobry,\n\n{text}\n\nPozdrawiam",
        at(day, hour, minute),
        f"<q{n}.{day}@ccr.example>",
        store="sent",
    )


Q = {
    n: q
    for n, q in enumerate(
        [
            question(1, "kontakt@alderloom-devhouse.example", 7, 9, 10),
            question(2, "biuro@aldertack-digital.example", 7, 9, 20),
            question(3, "hello@alderwick-tech.example", 8, 10, 0),
            question(4, "info@bilberryspire-code.example", 8, 11, 0),
            question(5, "kontakt@bramblewick-systems.example", 9, 9, 0),
            question(6, "kontakt@nowa-firma.example", 9, 10, 0),
            question(7, "hello@krakow-code.example", 10, 12, 0),
            question(8, "sales@bramblewick-systems.example", 10, 9, 30),
            question(9, "sales@bilberryspire-code.example", 14, 10, 0),
            question(10, "hello@alderwick-tech.example", 15, 10, 0),
            question(11, "kontakt@nowa-firma.example", 15, 11, 0),
            question(12, "hello@krakow-code.example", 16, 9, 0),
        ],
        start=1,
    )
}
ZENDESK_ACK = "<ack1.zendesk@alderloom-devhouse.zendesk.com>"

REPLIES = [
    # 1 Zendesk: an acknowledgement with a promise, then a person in Polish, in its thread.
    Message(
        "Alderloom Support <support@alderloom-devhouse.zendesk.com>",
        AUDIT,
        "[Alderloom] Re: Zapytanie o wycenę aplikacji",
        "Your request (#4821) has been received and is being reviewed by our support "
        "staff. We will get back to you within 24 hours.",
        at(7, 7, 10, 40, UTC),
        ZENDESK_ACK,
        at(7, 7, 10, 42, UTC),
        {"Auto-Submitted": "auto-generated", "X-Mailer": "Zendesk Mailer"},
        reply_to=Q[1].mid,
        references=[Q[1].mid],
    ),
    Message(
        "Anna Kowalska <anna.kowalska@alderloom-devhouse.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Dzień dobry, przygotujemy wycenę do piątku. Czy możemy porozmawiać jutro o 10?",
        at(8, 11, 2, 10),
        "<r1@alderloom.example>",
        at(8, 9, 2, 17, UTC),
        reply_to=ZENDESK_ACK,
        references=[Q[1].mid, ZENDESK_ACK],
    ),
    # 2 Freshdesk: an automatic subject (no header says so), a promise in Polish; then only
    # marketing mail.
    Message(
        "Aldertack Digital <support@aldertack-digital.freshdesk.com>",
        AUDIT,
        "Ticket Received - Zapytanie o wycenę aplikacji",
        "Dziękujemy za wiadomość. Odpowiemy w ciągu 2 dni roboczych.",
        at(7, 9, 21, 3),
        "<ticket-77@aldertack-digital.freshdesk.com>",
        at(7, 9, 21, 5),
        {"X-Freshdesk-Ticket-Id": "77"},
        reply_to=Q[2].mid,
    ),
    Message(
        "Aldertack Digital <newsletter@news.aldertack-digital.example>",
        AUDIT,
        "Nowości we wrześniu",
        "Zobacz nasze realizacje.",
        at(10, 8, 0),
        "<nl-0910@news.aldertack-digital.example>",
        at(10, 8, 0, 4),
        {
            "List-Unsubscribe": "<https://news.aldertack-digital.example/u/123>",
            "Precedence": "bulk",
        },
    ),
    Message(
        "Aldertack Digital <newsletter@news.aldertack-digital.example>",
        AUDIT,
        "Webinar: aplikacje mobilne",
        "Zapraszamy na webinar.",
        at(17, 8, 0),
        "<nl-0917@news.aldertack-digital.example>",
        at(17, 8, 0, 6),
        {"List-Unsubscribe": "<mailto:unsubscribe@news.aldertack-digital.example>"},
    ),
    # 3 Help Scout: X-Autoreply and a promise in German; the person answers in References only.
    Message(
        "Alderwick Tech <hello@alderwick-tech.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Danke für Ihre Nachricht! Wir melden uns innerhalb von 4 Stunden bei Ihnen.",
        at(8, 10, 0, 30),
        "<hs-auto-1@helpscout.net>",
        at(8, 8, 0, 31, UTC),
        {"X-Autoreply": "yes", "X-HelpScout-Conversation-Id": "1"},
        reply_to=Q[3].mid,
    ),
    Message(
        "Jana Weber <jana.weber@alderwick-tech.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Guten Tag, gerne erstellen wir ein Angebot. Wann passt Ihnen ein Telefonat?",
        at(8, 13, 44, 50),
        "<r3@alderwick-tech.example>",
        at(8, 11, 45, 0, UTC),
        references=[Q[3].mid],
        store="alderwick.eml",
    ),
    # 4 Gmail vacation (Auto-Submitted and Precedence: bulk), a promise in Russian; the
    # person's reply carries a Date: a week wrong and arrives via a +03:00 server.
    Message(
        "Ivan Petrov <ivan.petrov@bilberryspire-code.example>",
        AUDIT,
        "Отпуск",
        "Я в отпуске до 14 сентября. Мы ответим в течение 3 рабочих дней.",
        at(8, 11, 0, 20),
        "<CAvacation1@mail.gmail.com>",
        at(8, 9, 0, 25, UTC),
        {"Auto-Submitted": "auto-replied", "Precedence": "bulk"},
        reply_to=Q[4].mid,
    ),
    Message(
        "Ivan Petrov <ivan.petrov@bilberryspire-code.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Здравствуйте! Стоимость зависит от объёма. Давайте созвонимся.",
        at(1, 9, 0),
        "<r4@bilberryspire-code.example>",
        at(9, 16, 30, 0, MOSCOW),
        reply_to=Q[4].mid,
    ),
    # 5 Exchange/Outlook out-of-office: only its subject says so; the person's Outlook reply
    # carries X-Auto-Response-Suppress, which does not make it automatic.
    Message(
        "Piotr Nowak <piotr.nowak@bramblewick-systems.example>",
        AUDIT,
        "Automatic reply: Zapytanie o wycenę aplikacji",
        "I am out of the office until Thursday.",
        at(9, 9, 0, 9),
        "<oof5@bramblewick-systems.example>",
        at(9, 7, 0, 10, UTC),
        {
            "X-Auto-Response-Suppress": "All",
            "X-MS-Exchange-Inbox-Rules-Loop": "piotr.nowak@bramblewick-systems.example",
        },
        reply_to=Q[5].mid,
    ),
    Message(
        "Piotr Nowak <piotr.nowak@bramblewick-systems.example>",
        AUDIT,
        "RE: Zapytanie o wycenę aplikacji",
        "Hello, thank you for your question. We would be glad to prepare an estimate.",
        at(10, 8, 14),
        "<r5@bramblewick-systems.example>",
        at(10, 8, 15, 2),
        {"X-Auto-Response-Suppress": "All", "Thread-Topic": "Zapytanie"},
        reply_to=Q[5].mid,
    ),
    # 6 Zimbra vacation, a promise in Polish; nobody follows.
    Message(
        "Nowa Firma <kontakt@nowa-firma.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Dziękujemy. Odpowiemy w ciągu 24 godzin.",
        at(9, 10, 0, 50),
        "<zimbra-6@nowa-firma.example>",
        at(9, 10, 0, 51),
        {"Auto-Submitted": "auto-replied (zimbra; vacation)"},
        reply_to=Q[6].mid,
    ),
    # 7 a person writes a new message (no In-Reply-To): found by the sender's domain; the
    # audit server's Received has no offset (read as Warsaw time).
    Message(
        "Jan <jan@krakow-code.example>",
        AUDIT,
        "Wycena",
        "Hi, we can do it. Let's talk.",
        at(10, 14, 29, 50),
        "<r7@krakow-code.example>",
        at(10, 14, 30, 0),
        store="krakow.eml",
        received_offset=False,
    ),
    # 10 a person, with Auto-Submitted: no (which is not automatic).
    Message(
        "Jane Roe <jane.roe@alderwick-tech.example>",
        AUDIT,
        "Re: Zapytanie o wycenę aplikacji",
        "Hi! Sure, we can estimate it.",
        at(15, 10, 19),
        "<r10@alderwick-tech.example>",
        at(15, 8, 20, 1, UTC),
        {"Auto-Submitted": "no"},
        reply_to=Q[10].mid,
    ),
    # 9 marketing by a Mailchimp header instead of an answer, found by the sender's domain.
    Message(
        "Bilberryspire <promo@bilberryspire-code.example>",
        AUDIT,
        "Autumn offer",
        "Save 20% this autumn.",
        at(16, 12, 0),
        "<promo-916@bilberryspire-code.example>",
        at(16, 3, 0, 5, PACIFIC),
        {"X-MC-User": "abc123"},
    ),
    # 11 a ticket acknowledgement in Russian (subject only), then a person.
    Message(
        "Nowa Firma <support@nowa-firma.example>",
        AUDIT,
        "Ваша заявка принята",
        "Ваше обращение зарегистрировано. Мы ответим в течение 24 часов.",
        at(15, 11, 2, 0),
        "<ticket-11@nowa-firma.example>",
        at(15, 11, 2, 3),
        reply_to=Q[11].mid,
    ),
    Message(
        "Olga <olga@nowa-firma.example>",
        AUDIT,
        "Re: Ваша заявка принята",
        "Добрый день! Пришлём оценку завтра.",
        at(16, 9, 0),
        "<r11@nowa-firma.example>",
        at(16, 9, 0, 12),
        reply_to="<ticket-11@nowa-firma.example>",
    ),
    # unrelated: a stranger's newsletter
    Message(
        "Deals <deals@unrelated-shop.example>",
        AUDIT,
        "Weekend deals",
        "Buy now.",
        at(12, 6, 0),
        "<deal-1@unrelated-shop.example>",
        at(12, 6, 0, 8),
        {"List-Unsubscribe": "<https://unrelated-shop.example/u>"},
    ),
]
PRIVATE = Message(
    AUDIT,
    "friend@elsewhere.example",
    "Lunch?",
    "Lunch on Friday?",
    at(11, 12, 0),
    "<lunch@ccr.example>",
    store="sent",
)
BOUNCE = f"""\
Received: from localhost by mx.ccr.example (Postfix); Thu, 10 Sep 2026 07:30:04 +0000
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.ccr.example>
To: {AUDIT}
Subject: Undelivered Mail Returned to Sender
Date: Thu, 10 Sep 2026 07:30:04 +0000
Message-ID: <dsn-8@mx.ccr.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn8"

--dsn8
Content-Type: text/plain

This is the mail system at host mx.ccr.example. Your message could not be delivered.

--dsn8
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.ccr.example

Final-Recipient: rfc822; sales@bramblewick-systems.example
Original-Recipient: rfc822;sales@bramblewick-systems.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <sales@bramblewick-systems.example>: User unknown

--dsn8
Content-Type: text/rfc822-headers

From: {AUDIT}
To: sales@bramblewick-systems.example
Subject: Zapytanie o wycenę aplikacji
Message-ID: {Q[8].mid}

--dsn8--
""".encode()

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
PENDING = dict.fromkeys(RUBRIC, "to_review")


def _ack(moment: datetime, promised: str | None = None, quote: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"at": iso(moment)}
    if promised:
        out.update(promised=promised, quote=quote)
    return out


# (slug, probe number) → the facts the import must record (evidence checked apart).
EXPECTED: dict[tuple[str, int], dict[str, Any]] = {
    ("alderloom-devhouse", 1): {
        "sent_at": iso(Q[1].date),
        "acknowledgement": _ack(at(7, 7, 10, 42, UTC), "PT24H", "within 24 hours"),
        "first_response": {"at": iso(at(7, 7, 10, 42, UTC)), "by": "auto_reply"},
        "human_response": {"at": iso(at(8, 9, 2, 17, UTC))},
        "quality": PENDING,
    },
    ("aldertack-digital", 1): {
        "sent_at": iso(Q[2].date),
        "acknowledgement": _ack(at(7, 9, 21, 5), "P2D", "w ciągu 2 dni roboczych"),
        "first_response": {"at": iso(at(7, 9, 21, 5)), "by": "auto_reply"},
        "marketing_after_no_answer": 2,
    },
    ("alderwick-tech", 1): {
        "sent_at": iso(Q[3].date),
        "acknowledgement": _ack(at(8, 8, 0, 31, UTC), "PT4H", "innerhalb von 4 Stunden"),
        "first_response": {"at": iso(at(8, 8, 0, 31, UTC)), "by": "auto_reply"},
        "human_response": {"at": iso(at(8, 11, 45, 0, UTC))},
        "quality": PENDING,
    },
    ("alderwick-tech", 2): {
        "sent_at": iso(Q[10].date),
        "first_response": {"at": iso(at(15, 8, 20, 1, UTC)), "by": "human"},
        "quality": PENDING,
    },
    ("bilberryspire-code", 1): {
        "sent_at": iso(Q[4].date),
        "acknowledgement": _ack(at(8, 9, 0, 25, UTC), "P3D", "в течение 3 рабочих дней"),
        "first_response": {"at": iso(at(8, 9, 0, 25, UTC)), "by": "auto_reply"},
        "human_response": {"at": iso(at(9, 16, 30, 0, MOSCOW))},
        "quality": PENDING,
    },
    ("bilberryspire-code", 2): {
        "sent_at": iso(Q[9].date),
        "first_response": None,
        "marketing_after_no_answer": 1,
    },
    ("bramblewick-systems", 1): {
        "sent_at": iso(Q[5].date),
        "acknowledgement": _ack(at(9, 7, 0, 10, UTC)),
        "first_response": {"at": iso(at(9, 7, 0, 10, UTC)), "by": "auto_reply"},
        "human_response": {"at": iso(at(10, 8, 15, 2))},
        "quality": PENDING,
    },
    ("bramblewick-systems", 2): {"sent_at": iso(Q[8].date), "first_response": None},
    ("nowa-firma", 1): {
        "sent_at": iso(Q[6].date),
        "acknowledgement": _ack(at(9, 10, 0, 51), "PT24H", "w ciągu 24 godzin"),
        "first_response": {"at": iso(at(9, 10, 0, 51)), "by": "auto_reply"},
    },
    ("nowa-firma", 2): {
        "sent_at": iso(Q[11].date),
        "acknowledgement": _ack(at(15, 11, 2, 3), "PT24H", "в течение 24 часов"),
        "first_response": {"at": iso(at(15, 11, 2, 3)), "by": "auto_reply"},
        "human_response": {"at": iso(at(16, 9, 0, 12))},
        "quality": PENDING,
    },
    ("krakow-code", 1): {
        "sent_at": iso(Q[7].date),
        "first_response": {"at": iso(at(10, 14, 30, 0)), "by": "human"},
        "quality": PENDING,
    },
    ("krakow-code", 2): {"sent_at": iso(Q[12].date), "first_response": None},
}
BOUNCED = ("bramblewick-systems", "2026-09-10T09:30:04+02:00")  # the email channel's fact
UNMATCHED = {"<deal-1@unrelated-shop.example>", "<lunch@ccr.example>"}
WRONG_DATE = "<r4@bilberryspire-code.example>"
NO_OFFSET = "<r7@krakow-code.example>"


def write(folder: Path) -> list[Path]:
    """Write the mailbox into ``folder``: Sent (Maildir), inbox.mbox, two .eml files."""
    folder.mkdir(parents=True, exist_ok=True)
    sent = mailbox.Maildir(folder / "Sent", create=True)
    for message in [*Q.values(), PRIVATE]:
        sent.add(message.build())
    inbox = mailbox.mbox(folder / "inbox.mbox", create=True)
    emls = []
    for message in REPLIES:
        if message.store == "inbox":
            inbox.add(message.build())  # bytes: stored as they are, as a server stores them
        else:
            (folder / message.store).write_bytes(message.build())
            emls.append(folder / message.store)
    inbox.add(BOUNCE)
    inbox.flush()
    inbox.close()
    return [folder / "Sent", folder / "inbox.mbox", *emls]


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "mailbox")):
        print(path)
