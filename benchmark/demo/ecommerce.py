"""Demo edition B: 417 fictional online shops and services, Russia, 2016.

Modelled on a published study of Russian online shops and services; every company is
invented. Outcomes are assigned by shuffled quotas so that the study's headline figures
come out of the data exactly (docs/demo-data.md lists them). Each step draws from the same
``random.Random`` in a fixed order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from ..values import WEEKDAYS
from .draws import (
    Names,
    apply_quality,
    at,
    fit_points,
    k_bounds,
    loguniform,
    pick,
    quantile_delays,
    quota,
    random_k,
    support_schedule,
    weekdays,
    working_time,
)
from .vocabulary import MSK, Channel, Company, Probe

EC_EDITION = "2016-e-commerce"
SHOP, SERVICE = "online-shop", "online-service"
EC_KINDS = {
    SHOP: ("Shop", "Store", "Market", "Lavka", "Bazaar", "Goods"),
    SERVICE: ("Cloud", "Online", "Service", "Hosting", "Pay", "Connect"),
}
EC_SCRIPTS = {SHOP: "shop-pickup-delivery", SERVICE: "service-tariffs-contract"}
HELPDESKS = ("Zendesk", "Freshdesk", "Omnidesk", "Usedesk", "Help Scout", "Kayako")
RUSSIA_DAY = date(2016, 6, 13)
START_DAYS = weekdays(date(2016, 6, 1), date(2016, 7, 1), (RUSSIA_DAY,))

COUNTS = {SHOP: 100, SERVICE: 317}
HELPDESK_N = {SHOP: 33, SERVICE: 106}
FACEBOOK_N = {SHOP: 40, SERVICE: 200}
VKONTAKTE_N = {SHOP: 80, SERVICE: 160}


def _company(
    rng: random.Random, names: Names, sector: str, offers: tuple[bool, bool, bool]
) -> Company:
    """A company of ``sector``; ``offers``: it uses a helpdesk, has Facebook, has VKontakte."""
    helpdesk, facebook, vkontakte = offers
    name, slug = names.new(EC_KINDS[sector])
    c = Company(
        slug=slug, name=name, sector=sector, country="RU",
        languages=["ru", "en"] if rng.random() < 0.2 else ["ru"], edition=EC_EDITION,
    )  # fmt: skip
    c.helpdesk = {"used": True, "system": rng.choice(HELPDESKS)} if helpdesk else {"used": False}
    c.started = rng.choice(START_DAYS)
    c.ended = c.started + timedelta(days=14)
    c.channels.append(Channel("email"))
    if rng.random() < 0.7:
        c.channels.append(Channel("phone"))
    if facebook:
        c.channels.append(Channel("facebook"))
    if vkontakte:
        c.channels.append(Channel("vkontakte"))
    if rng.random() < 0.2:
        c.channels.append(Channel("instagram"))
    if rng.random() < 0.3:
        c.channels.append(Channel("faq"))
    if rng.random() < 0.4:
        c.support_hours = support_schedule(rng, "Europe/Moscow", f"https://{slug}.example")
    return c


def _companies(rng: random.Random, names: Names) -> list[Company]:
    """The shops, then the services, with their helpdesks and social pages by quota."""
    companies: list[Company] = []
    for sector in (SHOP, SERVICE):
        n = COUNTS[sector]
        helpdesk = quota(rng, n, HELPDESK_N[sector])
        facebook = quota(rng, n, FACEBOOK_N[sector])
        vkontakte = quota(rng, n, VKONTAKTE_N[sector])
        companies += [
            _company(rng, names, sector, offers)
            for offers in zip(helpdesk, facebook, vkontakte, strict=True)
        ]
    return companies


def _send_probes(rng: random.Random, companies: list[Company]) -> None:
    """E-mail on the first day, social inboxes within the first five working days."""
    for ci, c in enumerate(companies):
        assert c.started is not None
        days = weekdays(c.started, c.started + timedelta(days=6), (RUSSIA_DAY,))
        script = EC_SCRIPTS[c.sector]
        used = bool(c.helpdesk and c.helpdesk["used"])
        for kind in ("email", "facebook", "vkontakte"):
            if c.channel(kind) is None:
                continue
            day = c.started if kind == "email" else rng.choice(days)
            sent = at(day, 10 * 60 + rng.randrange(0, 7 * 60), MSK)
            c.probes.append(Probe(kind, script, sent, sector=c.sector, helpdesk=used, company=ci))


def _probes_of(
    companies: list[Company], kind: str, sector: str | None = None, helpdesk: bool | None = None
) -> list[Probe]:
    """The probes sent through ``kind``, of one sector and helpdesk use when given."""
    return [
        p
        for c in companies
        for p in c.probes
        if p.channel == kind
        and (sector is None or p.sector == sector)
        and (helpdesk is None or p.helpdesk == helpdesk)
    ]


def _answer_email(rng: random.Random, companies: list[Company]) -> list[Probe]:
    """E-mail: half answered in every sector × helpdesk stratum, with the same spread of delays.

    Returns the answered probes.
    """
    email_answered: list[Probe] = []
    strata = ((SHOP, True, 17), (SHOP, False, 33), (SERVICE, True, 53), (SERVICE, False, 105))
    for sector, used, k in strata:
        group = _probes_of(companies, "email", sector, used)
        for p in group:
            if rng.random() < (0.8 if used else 0.1):
                p.ack_at = p.sent + timedelta(seconds=rng.randrange(10, 60))
                p.first_at, p.first_by = p.ack_at, "auto_reply"
                p.ack_quote = f"Your request #{rng.randrange(10000, 99999)} has been received."
        answered = pick(rng, group, k)
        delays = quantile_delays(k, 90 * 60, 1.3, 4 * 60, 4 * 86400)
        rng.shuffle(delays)
        for p, delay in zip(answered, delays, strict=True):
            p.reply(working_time(p.sent + timedelta(seconds=delay), rng))
        email_answered += answered
    unanswered = [p for p in _probes_of(companies, "email") if p.human_reply_at is None]
    for p in pick(rng, unanswered, 6):
        p.marketing = rng.randint(1, 4)
        p.notes = "No answer, but the address was added to the shop's mailing list."
    return email_answered


def _answer_vkontakte(rng: random.Random, companies: list[Company]) -> list[Probe]:
    """VKontakte: shops answer three times as often as services; delays centred on 90 minutes.

    Returns the answered probes.
    """
    vk_answered = pick(rng, _probes_of(companies, "vkontakte", SHOP), 36) + pick(
        rng, _probes_of(companies, "vkontakte", SERVICE), 24
    )
    delays = quantile_delays(len(vk_answered), 90 * 60, 1.2, 3 * 60, 3 * 86400)
    rng.shuffle(delays)
    for p, delay in zip(vk_answered, delays, strict=True):
        p.reply(working_time(p.sent + timedelta(seconds=delay), rng))
    return vk_answered


def _answer_facebook(rng: random.Random, companies: list[Company]) -> list[Probe]:
    """Facebook: services answer 48 of 200, a third of the answers on a later day.

    With VKontakte that makes 20% over both social inboxes. Returns the answered probes.
    """
    for p in _probes_of(companies, "facebook"):
        if rng.random() < 0.1:
            p.first_at, p.first_by = p.sent + timedelta(seconds=rng.randrange(2, 10)), "auto_reply"
            p.ack_at = p.first_at
            p.ack_quote = "Thanks for your message. We typically reply within a day."
            p.ack_promised = "P1D"
    fb_answered = pick(rng, _probes_of(companies, "facebook", SHOP), 6) + pick(
        rng, _probes_of(companies, "facebook", SERVICE), 48
    )
    next_day = dict(zip(range(len(fb_answered)), quota(rng, len(fb_answered), 18), strict=True))
    for i, p in enumerate(fb_answered):
        if next_day[i]:
            day = p.sent.date() + timedelta(days=rng.choice((1, 1, 1, 2, 3)))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            p.reply(at(day, rng.randrange(9 * 60, 20 * 60), MSK, rng.randrange(60)))
        else:
            until_late = (at(p.sent.date(), 22 * 60, MSK) - p.sent).total_seconds()
            p.reply(p.sent + timedelta(seconds=loguniform(rng, 5 * 60, until_late)))
    return fb_answered


def _high_scorers(rng: random.Random, email_answered: list[Probe]) -> list[Probe]:
    """E-mail answered within an hour and scoring above 3 points: 6 shops, 44 services."""
    high: list[Probe] = []
    for sector, k in ((SHOP, 6), (SERVICE, 44)):
        fast = [p for p in email_answered if p.sector == sector and (p.human_delay() or 0) <= 3600]
        high += pick(rng, fast, k)
    return high


def _redirect(rng: random.Random, companies: list[Company], high: list[Probe]) -> None:
    """42 companies (10%) redirect at least once instead of answering."""
    candidates = []
    for c in companies:
        options = [
            p
            for p in c.probes
            if p.human_reply_at is not None
            and (
                (p.channel == "email" and p not in high) or (p.channel != "email" and p.aq is False)
            )
        ]
        if options:
            candidates.append(options)
    for options in pick(rng, candidates, 42):
        p = rng.choice(options)
        if p.channel == "email":
            p.redirected_to = "phone"
            p.aq = False
            p.notes = "Answered only with a phone number to call."
        else:
            p.redirected_to = rng.choice(("email", "phone"))
            by = "e-mail" if p.redirected_to == "email" else "phone"
            p.notes = f"Asked to repeat the question by {by}."


def _entry(rng: random.Random, p: Probe, high: list[Probe]) -> tuple[Probe, int, int, int]:
    """A probe with its applicable rubric items and the least and most it can meet."""
    applicable = 7 if rng.random() < 0.75 else 8
    low, top = k_bounds(applicable, p.aq, p.redirected_to is not None)
    if p in high:
        low = 5
    elif p.channel == "email" and (p.human_delay() or 0) <= 3600:
        top = min(top, 4)
    return p, applicable, low, top


def _mark(
    rng: random.Random, email_answered: list[Probe], social: list[Probe], high: list[Probe]
) -> None:
    """Quality marks: fitted to a mean on e-mail, drawn at random on social inboxes.

    Shops' e-mail answers average 1.8 points (helpdesk 1.5× the others), services' 2.7.
    """
    shop_no = 90 / (17 * 1.5 + 33)
    for group, target, tol in (
        ([p for p in email_answered if p.sector == SHOP and p.helpdesk], 1.5 * shop_no, 0.025),
        ([p for p in email_answered if p.sector == SHOP and not p.helpdesk], shop_no, 0.025),
        ([p for p in email_answered if p.sector == SERVICE], 2.7, 0.005),
    ):
        entries = [_entry(rng, p, high) for p in group]
        for (p, applicable, _, _), k in zip(
            entries, fit_points(rng, entries, target, tol), strict=True
        ):
            apply_quality(rng, p, k, applicable)
    for p in social:
        _, applicable, low, top = _entry(rng, p, high)
        apply_quality(rng, p, random_k(rng, applicable, low, top), applicable)


def _annotate(rng: random.Random, companies: list[Company]) -> None:
    """Audit notes on twelve companies."""
    for c in pick(rng, companies, 12):
        c.notes = rng.choice(
            (
                "Pick-up points are listed on a map only; no opening hours given.",
                "The contract is offered as a downloadable PDF before sign-up.",
                "Contact page shows a phone number in another city.",
            )
        )


def _edition() -> dict[str, Any]:
    """The edition file."""
    return {
        "id": EC_EDITION,
        "title": "E-commerce support: shops and online services",
        "sectors": [SHOP, SERVICE],
        "market": "RU",
        "period": {"start": "2016-06-01", "end": "2016-07-15"},
        "method": (
            "Auditors wrote to each shop and online service as a prospective customer: by e-mail, "
            "and through the Facebook and VKontakte pages where the company had one. Questions "
            "were sent only on weekdays between 10:00 and 17:00 Moscow time; replies were "
            "awaited for two weeks."
        ),
        "timezone": "Europe/Moscow",
        "business_hours": {"days": list(WEEKDAYS[:5]), "open": "10:00", "close": "17:00"},
        "scripts": [
            {
                "id": EC_SCRIPTS[SHOP],
                "sector": SHOP,
                "language": "ru",
                "text": (
                    "Hello! What are the opening hours of your pick-up point, and how much would "
                    "delivery to my home cost and how long would it take?"
                ),
            },
            {
                "id": EC_SCRIPTS[SERVICE],
                "sector": SERVICE,
                "language": "ru",
                "text": (
                    "Hello! Which tariff would suit a small company of five people, and how do we "
                    "conclude a contract with you?"
                ),
            },
        ],
        "methodology": "v2",
        "demo": True,
        "status": "published",
        "published": "2016-07-20",
        "summary": (
            "Demo edition with 417 fictional online shops and services: half answer e-mail, "
            "one in five services answers on social networks, and a helpdesk alone does not "
            "make replies faster."
        ),
    }


def build_ecommerce(rng: random.Random, names: Names) -> tuple[dict[str, Any], list[Company]]:
    """The e-commerce edition and its companies."""
    companies = _companies(rng, names)
    _send_probes(rng, companies)
    email_answered = _answer_email(rng, companies)
    vk_answered = _answer_vkontakte(rng, companies)
    fb_answered = _answer_facebook(rng, companies)
    # Answers on VKontakte miss the question three times as often as on Facebook.
    for p, missed in zip(vk_answered, quota(rng, len(vk_answered), 20), strict=True):
        p.aq = not missed
    for p, missed in zip(fb_answered, quota(rng, len(fb_answered), 6), strict=True):
        p.aq = not missed
    high = _high_scorers(rng, email_answered)
    _redirect(rng, companies, high)
    _mark(rng, email_answered, vk_answered + fb_answered, high)
    _annotate(rng, companies)
    return _edition(), companies
