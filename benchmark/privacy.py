"""Personal data of the company's staff in notes, quotes and evidence: found, never published.

Auditors copy text from replies; a reply signed "Anna Nowak, anna.nowak@acme.example,
+48 601 234 567" must not reach the site. These checks find e-mail addresses that are not
role addresses (support@, info@, …) and phone numbers written as phone numbers, in the free
text of a company file and in its evidence file names. They are warnings: the auditor decides,
the validator makes sure somebody looked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import phonenumbers

# Free-text fields of a company file: notes, the company's own words, corrections, statement.
TEXT_KEYS = frozenset({"notes", "quote", "summary", "text"})

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]{1,64})@((?:[\w-]{1,63}\.)+[A-Za-z]{2,63})\b")

# Local parts that name a role or a team, not a person (en, pl, de, fr, es, it, nl, cs).
# A list of words per language reads better so than one list literal.
_ROLE_WORDS = """
abuse accounts admin administration info information contact contacts contactus hello hi
help helpdesk support customersupport customerservice customer-service customercare care
service services servicedesk service-desk team office mail email post postmaster webmaster
hostmaster noreply no-reply donotreply do-not-reply reply replies notifications notification
news newsletter marketing sales orders order shop store billing invoices invoice payments
accounting finance returns return complaints complaint feedback press media pr legal privacy
gdpr dpo security jobs careers hr recruitment partners partner b2b wholesale enquiries
inquiries questions
kontakt biuro pomoc obsluga obsluga.klienta bok sklep zamowienia reklamacje zwroty faktury
sekretariat handel
kundenservice kundendienst service-center anfrage anfragen bestellung bestellungen rechnung
datenschutz
bonjour serviceclient service-client commande commandes
atencion atencionalcliente ventas pedidos soporte ayuda
assistenza ordini
klantenservice
podpora objednavky
"""
ROLE_ADDRESSES = frozenset(_ROLE_WORDS.split())

# Service numbers nobody owns personally: toll-free, premium, shared-cost, universal access.
SERVICE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)
_MOBILE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
        phonenumbers.PhoneNumberType.PAGER,
    }
)
_SEPARATED = re.compile(r"[\s().+/-]")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in a text that looks like a person's contact detail."""

    what: str  # "an e-mail address", "a mobile number" or "a phone number"
    found: str  # the text as written


def personal_emails(text: str) -> Iterator[Finding]:
    """E-mail addresses whose local part is not a role (support@, info@, …)."""
    for match in _EMAIL.finditer(text):
        local = match.group(1).casefold()
        if local not in ROLE_ADDRESSES:
            yield Finding("an e-mail address", match.group(0))


def phone_numbers(text: str, region: str | None) -> Iterator[Finding]:
    """Phone numbers written as such (with a +, spaces, dashes or brackets), not service ones.

    A bare run of digits is left alone: in audit notes it is an order or ticket number far
    more often than a phone number.
    """
    if sum(ch.isdigit() for ch in text) < 6:
        return
    region = region if region and len(region) == 2 else None
    matcher = phonenumbers.PhoneNumberMatcher(
        text, region or "ZZ", leniency=phonenumbers.Leniency.VALID
    )
    for match in matcher:
        if not _SEPARATED.search(match.raw_string):
            continue
        kind = phonenumbers.number_type(match.number)
        if kind in SERVICE_TYPES:
            continue
        yield Finding(
            "a mobile number" if kind in _MOBILE_TYPES else "a phone number", match.raw_string
        )


def findings(text: str, region: str | None) -> list[Finding]:
    """Every personal e-mail address and phone number in a text."""
    return [*personal_emails(text), *phone_numbers(text, region)]


def walk_text(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every free-text value and evidence path of a company file, with its document path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            if isinstance(value, str) and key in TEXT_KEYS:
                yield (*path, key), value
            elif key == "evidence" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        yield (*path, key, i), item.rsplit("/", 1)[-1]
            else:
                yield from walk_text(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from walk_text(item, (*path, i))
