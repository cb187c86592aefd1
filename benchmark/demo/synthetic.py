"""Synthetic data for scale tests: N machine-made companies with about ten probes each.

Every channel kind and mixed outcomes, valid against the same rules as the demo editions.
The companies of ``--count N`` are drawn from ``random.Random(SEED + N)``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..values import WEEKDAYS
from .draws import at, marks, support_schedule, weekdays
from .vocabulary import SEED, Channel, Company, Probe

SYN_EDITION = "synthetic"
SYN_PROBED = (
    "email", "contact_form", "phone", "live_chat", "chatbot", "web_callback", "facebook",
    "vkontakte",
)  # fmt: skip

START_DAYS = weekdays(date(2024, 1, 8), date(2024, 12, 2))

Marks = dict[str, Any]


def _templates(rng: random.Random) -> tuple[list[Marks], list[Marks]]:
    """Quality marks to reuse: 64 of answers, 16 of answers that redirect."""
    templates = []
    for _ in range(64):
        applicable = rng.choice((7, 8))
        templates.append(marks(rng, rng.randint(2, applicable), applicable, True, False))
    redirected_templates = []
    for _ in range(16):
        applicable = rng.choice((7, 8))
        redirected_templates.append(
            marks(rng, rng.randint(1, applicable - 4), applicable, False, True)
        )
    return templates, redirected_templates


def _channel(rng: random.Random, kind: str) -> Channel:
    """A channel of ``kind``, with a declared response time now and then."""
    ch = Channel(kind)
    if kind == "live_chat":
        ch.proactive = rng.random() < 0.4
    elif kind == "chatbot":
        ch.handoff = rng.random() < 0.5
        ch.follows_up = rng.random() < 0.3
    if kind in ("live_chat", "web_callback") and rng.random() < 0.2:
        ch.declared = {"duration": rng.choice(("PT2M", "PT15M")), "where": "site"}
    return ch


def _respond(rng: random.Random, p: Probe) -> None:
    """A bot, a person, an auto-reply (and later a person) or nobody answers ``p``."""
    x = rng.random()
    sent = p.sent
    if p.channel == "chatbot":
        p.first_at, p.first_by = sent + timedelta(seconds=rng.randrange(1, 10)), "bot"
        if x < 0.4:
            p.human_at = sent + timedelta(seconds=rng.randrange(60, 7200))
    elif x < 0.55:
        p.first_at, p.first_by = sent + timedelta(seconds=rng.randrange(30, 86400)), "human"
    elif x < 0.7:
        p.first_at, p.first_by = (
            sent + timedelta(seconds=rng.randrange(5, 60)),
            "auto_reply",
        )
        p.ack_at = p.first_at
        if x < 0.65:
            p.human_at = sent + timedelta(seconds=rng.randrange(600, 4 * 86400))


def _probe(
    rng: random.Random, kind: str, sent: datetime, templates: tuple[list[Marks], list[Marks]]
) -> Probe:
    """A probe sent through ``kind`` at ``sent``, its answer and its marks."""
    p = Probe(kind, "synthetic-question", sent)
    _respond(rng, p)
    if p.human_reply_at is not None:
        if rng.random() < 0.08:
            p.redirected_to = "email" if kind != "email" else "phone"
            p.quality = rng.choice(templates[1])
        else:
            p.quality = rng.choice(templates[0])
    elif rng.random() < 0.05:
        p.marketing = rng.randint(1, 5)
    return p


def _company(
    rng: random.Random, i: int, width: int, templates: tuple[list[Marks], list[Marks]]
) -> Company:
    """Synthetic company number ``i``: 3 to 6 channels probed 8 to 12 times."""
    slug = f"synthetic-{i:0{width}d}"
    c = Company(
        slug=slug, name=f"Synthetic Company {i:0{width}d}", sector="synthetic",
        country="PL", languages=["en"], edition=SYN_EDITION,
    )  # fmt: skip
    c.started = rng.choice(START_DAYS)
    c.ended = c.started + timedelta(days=21)
    kinds = rng.sample(SYN_PROBED, rng.randint(3, 6))
    c.channels += [_channel(rng, kind) for kind in kinds]
    if rng.random() < 0.3:
        c.channels.append(Channel("faq"))
    if rng.random() < 0.4:
        c.support_hours = support_schedule(rng, "UTC", f"https://{slug}.example")
    days = weekdays(c.started, c.started + timedelta(days=14))
    sent_on: set[tuple[str, datetime]] = set()  # a probe is never repeated (edition limits)
    for _ in range(rng.randint(8, 12)):
        kind = rng.choice(kinds)
        sent = at(rng.choice(days), 9 * 60 + rng.randrange(0, 8 * 60), UTC)
        while (kind, sent) in sent_on:
            sent = at(rng.choice(days), 9 * 60 + rng.randrange(0, 8 * 60), UTC)
        sent_on.add((kind, sent))
        c.probes.append(_probe(rng, kind, sent, templates))
    return c


def _edition() -> dict[str, Any]:
    """The edition file."""
    return {
        "id": SYN_EDITION,
        "title": "Synthetic scale-test edition",
        "sectors": ["synthetic"],
        "market": "Synthetic",
        "period": {"start": "2024-01-01", "end": "2024-12-31"},
        "method": "Machine-generated companies and probes for load tests; no real audit.",
        "timezone": "UTC",
        "business_hours": {"days": list(WEEKDAYS[:5]), "open": "09:00", "close": "17:00"},
        "scripts": [{"id": "synthetic-question", "text": "A synthetic question."}],
        "methodology": "v2",
        "demo": True,
        "status": "published",
        "published": "2025-01-15",
    }


def build_synthetic(count: int) -> tuple[dict[str, Any], list[Company]]:
    """The synthetic edition and ``count`` companies, the same for the same count."""
    rng = random.Random(SEED + count)
    width = max(5, len(str(count)))
    templates = _templates(rng)
    companies = [_company(rng, i, width, templates) for i in range(1, count + 1)]
    return _edition(), companies
