"""Reading the auditor's mailbox: sources, messages, arrival times, classes and promises.

Sources are mbox files, Maildir folders and single ``.eml`` messages, read with the
standard library (``mailbox`` for mbox, ``email`` with ``policy.default`` for every
message). Nothing here writes or decides what a probe is (``mailplan`` does); this module
turns bytes into ``Mail`` facts, and bad input into problems with a file and line.

- **Arrival** is the date of the topmost ``Received:`` header — the one the auditor's own
  server added when the message arrived. ``Date:`` is set by the sender's client and is
  only a cross-check. A date without a UTC offset is read in the edition's zone (noted).
- **Class**: a delivery report (bounce, decided by ``flufl.bounce``), an **auto-reply**
  (RFC 3834 ``Auto-Submitted`` other than ``no``, ``X-Autoreply``, ``X-Autorespond``,
  ``Precedence: auto_reply``, a null ``Return-Path``, or an automatic subject in one of
  several languages — never ``X-Auto-Response-Suppress``, which asks *others* not to
  auto-reply), **marketing** (``List-Unsubscribe``, ``List-Id``, ``Precedence: bulk``,
  ``list`` or ``junk``, the headers of e-mail service providers) or a **person**.
- **Promise**: the reply time an acknowledgement states ("within 24 hours", "w ciągu 24
  godzin", "innerhalb von 24 Stunden", "в течение 24 часов" …), as an ISO 8601 duration.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.errors import MessageError, MissingHeaderBodySeparatorDefect
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import problem_kinds
from ..problems import Problem

MAX_MESSAGE = 25_000_000
_HEADER_LINE = re.compile(rb"[!-9;-~]+:")
_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s]+>")
_PARSE_ERRORS = (ValueError, IndexError, TypeError, AttributeError, LookupError, MessageError)


@dataclass(slots=True)
class Mail:
    """One message of the mailbox, as facts."""

    source: str  # file (and line, for an mbox) it came from
    line: int
    message_id: str
    sha256: str
    sender: str  # the From address, lower case
    recipients: list[str]
    subject: str
    arrival: datetime  # aware, from the topmost Received (or Date)
    date: datetime | None  # the Date: header, aware
    in_reply_to: list[str]  # In-Reply-To
    references: list[str]  # References not in In-Reply-To, newest first
    kind: str = "person"  # person, auto_reply, marketing, bounce (set by classify)
    reason: str = ""
    promised: str | None = None
    promise_quote: str | None = None
    bounced: list[str] = field(default_factory=list)  # recipients a bounce reports failed
    bounced_ids: list[str] = field(default_factory=list)  # Message-IDs it quotes
    notes: list[str] = field(default_factory=list)
    text: str = ""  # the start of its text, to tell which script a question sent; never stored

    @property
    def domain(self) -> str:
        """The sender's domain."""
        return self.sender.rpartition("@")[2]


# --- sources ---------------------------------------------------------------------------


def read_sources(paths: list[Path], zone: ZoneInfo) -> tuple[list[Mail], list[Problem]]:
    """Every message of every source, or the problems that make a source unreadable."""
    mails: list[Mail] = []
    problems: list[Problem] = []
    for path in paths:
        for name, line, raw in _messages(path, problems):
            mail = parse_mail(name, line, raw, zone, problems)
            if mail is not None:
                mails.append(mail)
    return mails, problems


def _messages(path: Path, problems: list[Problem]) -> list[tuple[str, int, bytes]]:
    """(source name, line, raw bytes) of each message of one source."""
    shown = str(path)
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            problems.append(
                Problem(
                    problem_kinds.MAIL_SOURCE_NOT_MAILDIR.id,
                    shown,
                    1,
                    1,
                    "",
                    "a folder that is not a Maildir (it has no cur/, new/ and tmp/)",
                    "give a Maildir folder, an mbox file or .eml files",
                )
            )
            return []
        box = mailbox.Maildir(path, factory=None, create=False)
        out = []
        for key in sorted(box.keys()):
            out.append((f"{shown}/{key}", 1, box.get_bytes(key)))
        return out
    if not path.is_file():
        problems.append(
            Problem(
                problem_kinds.MAIL_SOURCE_MISSING.id,
                shown,
                1,
                1,
                "",
                "no such file or folder",
                "give a Maildir folder, an mbox file or .eml files",
            )
        )
        return []
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith(b"From "):
        return _mbox(path, problems)
    if _HEADER_LINE.match(head.lstrip(b"\xef\xbb\xbf")):
        if path.stat().st_size > MAX_MESSAGE:
            problems.append(
                Problem(
                    problem_kinds.MAIL_SOURCE_LARGE_FILE.id,
                    shown,
                    1,
                    1,
                    "",
                    "a message over 25 MB",
                    "export the message without its attachments",
                )
            )
            return []
        return [(shown, 1, path.read_bytes())]
    problems.append(
        Problem(
            problem_kinds.MAIL_SOURCE_NOT_MAIL.id,
            shown,
            1,
            1,
            "",
            "not mail: neither an mbox "
            "(starting with a 'From ' line) nor a message (starting with "
            "headers)",
            "give an mbox file, a Maildir folder or .eml files exported from the audit mailbox",
        )
    )
    return []


def _mbox(path: Path, problems: list[Problem]) -> list[tuple[str, int, bytes]]:
    """The messages of an mbox, each with the line of its 'From ' line."""
    lines = [1]
    previous_blank = True
    with path.open("rb") as fh:
        for number, text in enumerate(fh, start=1):
            if number > 1 and previous_blank and text.startswith(b"From "):
                lines.append(number)
            previous_blank = text in (b"\n", b"\r\n")
    box = mailbox.mbox(path, factory=None, create=False)
    out = []
    try:
        for i, key in enumerate(box.keys()):
            line = lines[i] if i < len(lines) else 1
            raw = box.get_bytes(key)
            if len(raw) > MAX_MESSAGE:
                problems.append(
                    Problem(
                        problem_kinds.MAIL_SOURCE_LARGE_MESSAGE.id,
                        str(path),
                        line,
                        1,
                        "",
                        "a message over 25 MB",
                        "export it without attachments",
                    )
                )
                continue
            out.append((str(path), line + 1, raw))
    finally:
        box.close()
    return out


# --- one message -----------------------------------------------------------------------


def _text(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
    except _PARSE_ERRORS:
        return None
    return None if value is None else " ".join(str(value).split())


def _moment(value: str | None, zone: ZoneInfo) -> tuple[datetime | None, bool]:
    """An RFC 5322 date → (aware datetime, whether it had an offset)."""
    if not value:
        return None, False
    try:
        parsed = parsedate_to_datetime(value)
    except _PARSE_ERRORS:
        return None, False
    if parsed is None:
        return None, False
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone), False
    return parsed, True


def _ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def parse_mail(
    name: str, line: int, raw: bytes, zone: ZoneInfo, problems: list[Problem]
) -> Mail | None:
    """The facts of one message, or its problems (a broken header, no Message-ID …)."""

    def bad(message: str, hint: str) -> None:
        problems.append(Problem(problem_kinds.MAIL_MESSAGE.id, name, line, 1, "", message, hint))

    if b"\0" in raw:
        bad(
            "the message holds NUL bytes: the file is damaged or not mail",
            "export the message again from the mail program",
        )
        return None
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except _PARSE_ERRORS as error:
        bad(f"the message cannot be parsed ({error})", "export it again from the mail program")
        return None
    if (
        not isinstance(msg, EmailMessage)
        or not msg.keys()
        or any(isinstance(d, MissingHeaderBodySeparatorDefect) for d in msg.defects)
    ):
        bad(
            "the message's header is broken: a line in it is not `Name: value`",
            "the file is damaged; export the message again from the mail program",
        )
        return None
    message_id = _ids(_text(msg, "Message-ID"))
    senders = [a for _, a in getaddresses([_text(msg, "From") or ""]) if "@" in a]
    if not message_id:
        bad(
            "the message has no valid Message-ID",
            "CCR records each message by its "
            "Message-ID; export the message as the mailbox received it",
        )
    if len(senders) != 1:
        raw_from = next(
            (" ".join(str(v).split()) for k, v in msg.raw_items() if k.lower() == "from"), ""
        )
        bad(
            f"the From header {raw_from[:80]!r} holds no single address",
            "the header is broken; export the message again from the mail program",
        )
    received = msg.get_all("Received") or []
    date, date_has_offset = _moment(_text(msg, "Date"), zone)
    arrival, arrival_has_offset = _moment(
        str(received[0]).rpartition(";")[2].strip() if received else None, zone
    )
    notes = []
    if arrival is None:
        if received:
            notes.append("its Received header has no date; Date: is used")
        arrival, arrival_has_offset = date, date_has_offset
    if arrival is None:
        bad(
            "the message has neither a Received nor a Date header with a date",
            "export the message with its full headers",
        )
    if not message_id or len(senders) != 1 or arrival is None:
        return None
    if not arrival_has_offset:
        notes.append(f"its time has no UTC offset; read as {zone.key} time")
    to = [
        a.lower() for _, a in getaddresses([_text(msg, h) or "" for h in ("To", "Cc")]) if "@" in a
    ]
    replied = _ids(_text(msg, "In-Reply-To"))
    refs = [i for i in reversed(_ids(_text(msg, "References"))) if i not in replied]
    return Mail(
        source=name,
        line=line,
        message_id=message_id[0],
        sha256=hashlib.sha256(raw).hexdigest(),
        sender=senders[0].lower(),
        recipients=to,
        subject=_text(msg, "Subject") or "",
        arrival=arrival,
        date=date,
        in_reply_to=replied,
        references=refs,
        notes=notes,
        text=body_text(msg)[:5000],
        **classify(msg),
    )


# --- classes ---------------------------------------------------------------------------

AUTO_SUBJECTS = re.compile(
    "|".join(
        [
            # en
            r"^\s*(automatic reply|auto[- ]?reply|auto[- ]?response|automatic response|autoreply"
            r"|out of (the )?office|away from (the )?office|vacation( reply)?|on holiday)\b",
            r"\b(we('ve| have) received|thank you for contacting|thanks for contacting)\b",
            r"\b(request|ticket|case|enquiry|inquiry|message)\b.{0,40}\b(received|created|logged)\b",
            # de
            r"^\s*(automatische (antwort|rückantwort)|abwesenheitsnotiz|abwesenheit|nicht im büro)",
            r"(anfrage|nachricht|ticket)\b.{0,40}\b(erhalten|eingegangen)|eingangsbestätigung",
            # pl
            r"^\s*(odpowiedź automatyczna|automatyczna odpowiedź|autoodpowiedź|poza biurem"
            r"|nieobecność)",
            r"(otrzymaliśmy|potwierdzenie otrzymania|zgłoszenie\b.{0,40}\b(przyjęte|zarejestrowane"
            r"|otrzymane))",
            # ru
            r"^\s*(автоматический ответ|автоответ|нет на месте|вне офиса|в отпуске)",
            r"(обращение|письмо|сообщение|заявка)\b.{0,40}(получен|принят|зарегистрирован)"
            r"|мы получили",
            # fr, es, it
            r"^\s*(réponse automatique|absence du bureau|absent\(e\)|respuesta automática"
            r"|fuera de la oficina|risposta automatica|fuori ufficio)",
            r"accusé de réception|(demande|message)\b.{0,40}\bbien reçu|hemos recibido"
            r"|abbiamo ricevuto",
        ]
    ),
    re.IGNORECASE,
)
# A person answering keeps the subject of what they answer: "Re: Ticket received" is theirs.
REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|odp|ответ|rif|r)\s*(\[[0-9]+\])?\s*:", re.IGNORECASE)
# Headers e-mail service providers put on bulk mail (their presence alone marks it).
ESP_HEADERS = (
    "X-Mailchimp-Campaign",
    "X-MC-User",
    "X-Mandrill-User",
    "X-SG-EID",
    "X-Mailgun-Tag",
    "X-Campaign",
    "X-CampaignID",
    "X-Campaign-ID",
    "X-Newsletter",
    "X-CSA-Complaints",
    "X-Klaviyo-Campaign",
    "X-Sendinblue-Campaign",
    "X-Mailjet-Campaign",
    "X-EMarSys-Identify",
)
_ESP_MAILERS = re.compile(
    r"mailchimp|sendinblue|brevo|mailerlite|getresponse|klaviyo|"
    r"hubspot|mailjet|campaign monitor|constant contact|sendgrid",
    re.IGNORECASE,
)
_DAEMONS = ("mailer-daemon", "postmaster")


def classify(msg: EmailMessage) -> dict[str, Any]:
    """``kind`` and ``reason`` of a message (and a bounce's failed recipients)."""
    from flufl.bounce import all_failures

    sender = (getaddresses([_text(msg, "From") or ""]) or [("", "")])[0][1].lower()
    if msg.get_content_type() == "multipart/report" or sender.partition("@")[0] in _DAEMONS:
        try:
            temporary, permanent = all_failures(msg)
        except _PARSE_ERRORS:
            temporary, permanent = frozenset(), frozenset()
        failed = sorted(a.decode("ascii").lower() for a in permanent | temporary)
        if failed:
            return {
                "kind": "bounce",
                "reason": "a delivery status notification",
                "bounced": failed,
                "bounced_ids": _quoted_ids(msg),
            }
    reason = auto_reply_reason(msg)
    if reason:
        promised, quote = promise(body_text(msg))
        return {
            "kind": "auto_reply",
            "reason": reason,
            "promised": promised,
            "promise_quote": quote,
        }
    reason = marketing_reason(msg)
    if reason:
        return {"kind": "marketing", "reason": reason}
    promised, quote = promise(body_text(msg))
    return {
        "kind": "person",
        "reason": "no automatic or bulk mark",
        "promised": promised,
        "promise_quote": quote,
    }


def auto_reply_reason(msg: EmailMessage) -> str | None:
    """Why a message is an automatic reply, or None (X-Auto-Response-Suppress is ignored)."""
    submitted = _text(msg, "Auto-Submitted")
    if submitted and re.split(r"[\s;(]", submitted.lower(), maxsplit=1)[0] != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        value = _text(msg, name)
        if value is not None and value.lower() not in ("no", "false", "0"):
            return f"{name}: {value}"
    precedence = (_text(msg, "Precedence") or "").lower()
    if precedence == "auto_reply":
        return "Precedence: auto_reply"
    return_path = _text(msg, "Return-Path")
    if return_path is not None and return_path.replace(" ", "") in ("<>", ""):
        return "Return-Path: <> (null)"
    subject = _text(msg, "Subject") or ""
    if AUTO_SUBJECTS.search(subject) and not REPLY_PREFIX.match(subject):
        return "automatic subject"
    return None


def marketing_reason(msg: EmailMessage) -> str | None:
    """Why a message is bulk or marketing mail, or None."""
    for name in ("List-Unsubscribe", "List-Id"):
        if _text(msg, name) is not None:
            return f"{name} header"
    precedence = (_text(msg, "Precedence") or "").lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    for name in ESP_HEADERS:
        if _text(msg, name) is not None:
            return f"{name} header (an e-mail service provider)"
    mailer = _text(msg, "X-Mailer") or ""
    if _ESP_MAILERS.search(mailer):
        return f"X-Mailer: {mailer}"
    return None


def _quoted_ids(msg: EmailMessage) -> list[str]:
    """The Message-IDs of the original a delivery report quotes."""
    out: list[str] = []
    for part in msg.walk():
        if part.get_content_type() in (
            "message/rfc822",
            "text/rfc822-headers",
            "message/rfc822-headers",
        ):
            try:
                payload = part.get_payload()
            except _PARSE_ERRORS:
                continue
            text = (
                str(payload[0])
                if isinstance(payload, list) and payload
                else payload
                if isinstance(payload, str)
                else ""
            )
            out += [
                i
                for line in text.splitlines()
                if line.lower().startswith("message-id:")
                for i in _ids(line)
            ]
    return out


class _Strip(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def body_text(msg: EmailMessage) -> str:
    """The message's text (plain, or HTML without tags), for the promise only."""
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
        content = part.get_content() if part is not None else ""
    except _PARSE_ERRORS:
        return ""
    if not isinstance(content, str):
        return ""
    if part is not None and part.get_content_subtype() == "html":
        strip = _Strip()
        strip.feed(content)
        content = " ".join(strip.parts)
    return " ".join(content.split())


# --- promises --------------------------------------------------------------------------

_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "ten": 10,
    "twenty-four": 24,
    "forty-eight": 48,
    "einem": 1,
    "einen": 1,
    "eines": 1,
    "ein": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "jednego": 1,
    "jeden": 1,
    "jedną": 1,
    "dwóch": 2,
    "dwa": 2,
    "dwie": 2,
    "trzech": 3,
    "trzy": 3,
    "pięciu": 5,
    "одного": 1,
    "один": 1,
    "одних": 1,
    "одной": 1,
    "двух": 2,
    "два": 2,
    "трёх": 3,
    "трех": 3,
    "пяти": 5,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "due": 2,
}
_NUMBER = (
    r"(?P<n>[0-9]{1,3}|" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")"
)
_RANGE = r"(?:\s*(?:-|–|to|bis|do|до|à|a)\s*(?P<m>[0-9]{1,3}))?"
_ANCHORS = (
    r"within(?: the next)?|in the next|in less than|no later than|"
    r"innerhalb(?: von)?|binnen|spätestens in|"
    r"w ciągu|w przeciągu|do|w czasie|"
    r"в течение|в пределах|не позднее чем через|за|"
    r"sous|dans les|dans un délai de|d'ici|"
    r"en un plazo de|dentro de(?: las| los)?|en menos de|en las próximas|entro(?: le)?"
)
_QUALIFIER = (
    r"(?:business|working|werk|arbeits|roboczych|roboczego|roboczy|рабочих|рабочего|"
    r"рабочий|ouvrés|ouvrables|hábiles|laborables|lavorativi)?"
)
_UNITS = {
    "minute": r"minutes?|mins?|minuten?|minut[ya]?|минут[уы]?|minutos|minuti",
    "hour": r"hours?|hrs?|h|stunden?|std\.?|godzin[yę]?|godz\.?|час(?:а|ов)?|heures?|horas?|ore",
    "day": r"days?|tage?n?|tag|werktage?n?|arbeitstage?n?|dni|dnia|dzień|дн(?:я|ей)|день|суток"
    r"|jours?|días?|giorni|giorno",
}
_PROMISE = re.compile(
    r"\b(?P<anchor>"
    + _ANCHORS
    + r")\s+(?:(?:the|den|die|des|les|los|las|le|un|una)\s+)?"
    + _NUMBER
    + _RANGE
    + r"\s*-?\s*(?P<q1>"
    + _QUALIFIER
    + r")[\s-]*(?P<unit>"
    + "|".join(f"(?P<{k}>{v})" for k, v in _UNITS.items())
    + r")(?P<q2>\s+(?:roboczych|"
    r"roboczego|рабочих|ouvrés|ouvrables|hábiles|laborables|lavorativi))?(?![\w])",
    re.IGNORECASE,
)


def promise(text: str) -> tuple[str | None, str | None]:
    """The reply time a text promises (the upper end of a range), and the phrase saying it."""
    for match in _PROMISE.finditer(text):
        raw = (match["m"] or match["n"]).lower()
        n = int(raw) if raw.isdigit() else _WORDS.get(raw)
        if not n:
            continue
        if (
            match["anchor"].lower() in ("do", "за")
            and not (match["q1"] or match["q2"])
            and match["hour"] is None
        ):
            continue  # "do 3 dni" is a promise, but "do" and "за" alone are too common
        if match["minute"] is not None:
            duration = f"PT{n}M"
        elif match["hour"] is not None:
            duration = f"PT{n}H"
        else:
            duration = f"P{n}D"
        return duration, " ".join(match.group(0).split())
    return None, None


def gap(a: datetime, b: datetime) -> timedelta:
    """How far apart two moments are."""
    return abs(a - b)
