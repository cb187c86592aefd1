"""Demo edition A: 129 fictional software houses, Poland, Q1 2019.

Modelled on a published study of Polish software houses; every company is invented.
Outcomes are assigned by shuffled quotas so that the study's headline figures come out of
the data exactly (docs/demo-data.md lists them). Each step draws from the same
``random.Random`` in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from ..values import WEEKDAYS, plural
from .draws import (
    Names,
    apply_quality,
    at,
    k_bounds,
    loguniform,
    pick,
    quota,
    random_k,
    support_schedule,
    weekdays,
    working_time,
)
from .vocabulary import CET, Channel, Company, Probe, duration_seconds

SH_EDITION = "2019-q1-software-houses"
SH_KINDS = ("Software", "Labs", "Code", "Systems", "Studio", "Devhouse", "Digital", "Tech")
SH_COUNTRIES = {
    "PL": ("Europe/Warsaw", (["pl", "en"], ["pl", "en"], ["pl"], ["pl", "en", "de"])),
    "DE": ("Europe/Berlin", (["de", "en"], ["de", "en", "pl"], ["en", "de"])),
    "GB": ("Europe/London", (["en"], ["en", "pl"])),
    "US": ("America/New_York", (["en"], ["en", "pl"])),
    "UA": ("Europe/Kyiv", (["uk", "en"], ["en", "uk", "pl"])),
    "CZ": ("Europe/Prague", (["cs", "en"], ["en", "cs"])),
}
SH_WRITTEN_ACKS = (
    "Dziękujemy za wiadomość. Odpowiemy najszybciej, jak to możliwe.",
    "Thank you for contacting us. We will get back to you shortly.",
    "Wiadomość została wysłana. Skontaktujemy się z Tobą wkrótce.",
)
SH_PROBE_NOTES = {
    "written_never": (
        "No reply, but marketing e-mails followed.",
        "Form accepted the message, nothing followed.",
    ),
    "written_late": ("Reply came after a reminder-free wait of several days.",),
    "chat_never": (
        "Widget showed an agent avatar, but nobody joined within 30 minutes.",
        "Chat said agents were online; the question stayed unanswered.",
    ),
    "chat_later": ("Answer came through the chat after the visitor had waited a while.",),
    "callback_never": ("Callback form confirmed the request; no call came.",),
    "redirect": ("Asked to write an e-mail with the same question instead.",),
}

# Contact channel families of each profile: Written, Phone, Chat, callBack.
SH_FAMILIES = {
    "written": "W", "chat_only": "C", "all4": "WPCB", "w_cb": "WB", "w_p_cb": "WPB",
    "w_chat": "WC", "w_p_chat": "WPC", "w_p": "WP",
}  # fmt: skip


@dataclass(frozen=True)
class _Plan:
    """Who offers what: quotas drawn before any company is made."""

    profiles: list[str]
    countries: list[str]
    hours_published: list[bool]
    bot_kind: dict[int, str]  # company index → bot_only / handoff / follows_up / both
    proactive: dict[int, bool]  # company index → its live chat opens by itself


class _Probes(NamedTuple):
    """The probes of the edition, by the channel family they were sent through."""

    written: list[Probe]
    live: list[Probe]
    bots: list[Probe]
    callbacks: list[Probe]


def _plan(rng: random.Random) -> _Plan:
    """Profiles, countries and chat kinds by shuffled quotas."""
    n = 129
    profiles = (
        ["written"] * 19 + ["chat_only"] + ["all4"] * 20 + ["w_cb"] * 2 + ["w_p_cb"] * 2
        + ["w_chat"] * 15 + ["w_p_chat"] * 30 + ["w_p"] * 40
    )  # fmt: skip
    assert len(profiles) == n
    rng.shuffle(profiles)
    countries = ["PL"] * 105 + ["DE"] * 6 + ["GB"] * 6 + ["US"] * 5 + ["UA"] * 4 + ["CZ"] * 3
    rng.shuffle(countries)
    hours_published = quota(rng, n, 46)

    chat_idx = [i for i, p in enumerate(profiles) if p in ("all4", "w_chat", "w_p_chat")]
    chat_only = profiles.index("chat_only")
    bot_idx = pick(rng, chat_idx, 10)
    bot_kinds = ["bot_only"] * 5 + ["handoff"] * 3 + ["follows_up", "both"]
    rng.shuffle(bot_kinds)
    bot_kind = dict(zip(bot_idx, bot_kinds, strict=True))
    bot_kind[chat_only] = "bot_only"
    live_idx = [i for i in chat_idx if i not in bot_kind]
    assert len(live_idx) == 55
    proactive = dict(zip(live_idx, quota(rng, len(live_idx), 37), strict=True))
    return _Plan(profiles, countries, hours_published, bot_kind, proactive)


def _contact_channels(rng: random.Random, plan: _Plan, i: int) -> list[Channel]:
    """The written, phone, chat and callback channels of company ``i``'s profile."""
    families = SH_FAMILIES[plan.profiles[i]]
    channels: list[Channel] = []
    if "W" in families:
        x = rng.random()
        if x < 0.45:
            channels.append(Channel("email"))
        elif x < 0.6:
            channels.append(Channel("contact_form"))
        else:
            channels += [Channel("email"), Channel("contact_form")]
    if "P" in families:
        channels.append(Channel("phone"))
    if "C" in families:
        if i in plan.bot_kind:
            kind = plan.bot_kind[i]
            channels.append(
                Channel(
                    "chatbot",
                    handoff=kind in ("handoff", "both"),
                    follows_up=kind in ("follows_up", "both"),
                )
            )
        else:
            channels.append(Channel("live_chat", proactive=plan.proactive[i]))
    if "B" in families:
        channels.append(Channel("web_callback"))
    return channels


def _company(
    rng: random.Random, names: Names, plan: _Plan, i: int, start_days: list[date]
) -> Company:
    """Company ``i``: its name, languages, audit dates, channels and published hours."""
    profile, country = plan.profiles[i], plan.countries[i]
    name, slug = names.new(SH_KINDS)
    tz_name, language_options = SH_COUNTRIES[country]
    c = Company(
        slug=slug, name=name, sector="software-house", country=country,
        languages=list(rng.choice(language_options)), edition=SH_EDITION,
    )  # fmt: skip
    c.started = rng.choice(start_days)
    c.ended = c.started + timedelta(days=14)
    c.channels += _contact_channels(rng, plan, i)
    if profile not in ("written", "chat_only"):
        if rng.random() < 0.45:
            c.channels.append(Channel("facebook"))
        if rng.random() < 0.35:
            c.channels.append(Channel("linkedin"))
    if profile != "chat_only" and rng.random() < 0.3:
        c.channels.append(Channel("faq"))
    if plan.hours_published[i]:
        c.support_hours = support_schedule(rng, tz_name, f"https://{slug}.example")
    return c


def _send_time(rng: random.Random, c: Company, latest_minute: int) -> datetime:
    """A moment on one of the audit's first five working days, 9:00 to ``latest_minute``."""
    assert c.started is not None
    day = rng.choice(weekdays(c.started, c.started + timedelta(days=6)))
    return at(day, 9 * 60 + rng.randrange(0, latest_minute - 9 * 60), CET)


def _probes(rng: random.Random, companies: list[Company]) -> _Probes:
    """One probe per probed channel family, on one of the audit's first five working days."""
    probes = _Probes([], [], [], [])
    for ci, c in enumerate(companies):
        kinds = [ch.type for ch in c.channels]
        written_kinds = [k for k in kinds if k in ("email", "contact_form")]
        plan = []
        if written_kinds:
            plan.append(
                (probes.written, rng.choice(written_kinds), "sh-project-quote", 16 * 60 + 30)
            )
        if "live_chat" in kinds:
            plan.append((probes.live, "live_chat", "sh-chat-question", 16 * 60 + 45))
        if "chatbot" in kinds:
            plan.append((probes.bots, "chatbot", "sh-chat-question", 16 * 60 + 45))
        if "web_callback" in kinds:
            plan.append((probes.callbacks, "web_callback", "sh-project-quote", 16 * 60))
        for bucket, kind, script, latest in plan:
            probe = Probe(kind, script, _send_time(rng, c, latest), company=ci)
            bucket.append(probe)
            c.probes.append(probe)
    assert tuple(len(bucket) for bucket in probes) == (128, 55, 11, 24)
    return probes


def _answer_written(rng: random.Random, written: list[Probe], companies: list[Company]) -> None:
    """Written: 72 answered by a person within 6 hours, 30 later, 26 never."""
    outcomes = ["fast"] * 72 + ["late"] * 30 + ["never"] * 26
    rng.shuffle(outcomes)
    for p, outcome in zip(written, outcomes, strict=True):
        if rng.random() < 0.35:
            p.ack_at = p.sent + timedelta(seconds=rng.randrange(5, 90))
            polish = "pl" in companies[p.company].languages
            p.ack_quote = rng.choice(SH_WRITTEN_ACKS if polish else SH_WRITTEN_ACKS[1:2])
            p.first_at, p.first_by = p.ack_at, "auto_reply"
        if outcome == "fast":
            until_eight = (at(p.sent.date(), 20 * 60, CET) - p.sent).total_seconds()
            delay = loguniform(rng, 8 * 60, min(5 * 3600 + 50 * 60, until_eight))
            p.reply(p.sent + timedelta(seconds=delay))
        elif outcome == "late":
            moment = p.sent + timedelta(seconds=loguniform(rng, 6 * 3600 + 600, 4 * 86400))
            p.reply(working_time(moment, rng))
            if rng.random() < 0.15:
                p.notes = rng.choice(SH_PROBE_NOTES["written_late"])
    never = [p for p, o in zip(written, outcomes, strict=True) if o == "never"]
    for p in pick(rng, never, 4):
        p.marketing = rng.randint(1, 3)
        p.notes = SH_PROBE_NOTES["written_never"][0]
    for p in pick(rng, [p for p in never if p.marketing is None], 3):
        p.notes = SH_PROBE_NOTES["written_never"][1]


def _answer_live(rng: random.Random, live: list[Probe], companies: list[Company]) -> None:
    """Live chat: 27 answered by a person within 5 minutes, 28 later or never."""
    outcomes = ["fast"] * 27 + ["later"] * 13 + ["never"] * 15
    rng.shuffle(outcomes)
    for p, outcome in zip(live, outcomes, strict=True):
        if outcome == "fast":
            p.reply(p.sent + timedelta(seconds=rng.randrange(15, 290)))
        elif outcome == "later":
            p.reply(p.sent + timedelta(seconds=rng.randrange(6 * 60, 45 * 60)))
            if rng.random() < 0.3:
                p.notes = SH_PROBE_NOTES["chat_later"][0]
        elif rng.random() < 0.5:
            p.notes = rng.choice(SH_PROBE_NOTES["chat_never"])
    # Ten chats declare a response time in the widget; four of them keep it.
    fast_live = [p for p, o in zip(live, outcomes, strict=True) if o == "fast"]
    slow_live = [p for p, o in zip(live, outcomes, strict=True) if o != "fast"]
    for p, kept in [(p, True) for p in pick(rng, fast_live, 4)] + [
        (p, False) for p in pick(rng, slow_live, 6)
    ]:
        options = ["PT1M", "PT2M", "PT3M", "PT5M"]
        if kept:
            delay = p.human_delay()
            assert delay is not None
            options = [d for d in options if duration_seconds(d) > delay]
        duration = rng.choice(options)
        minutes = duration_seconds(duration) // 60
        ch = companies[p.company].channel("live_chat")
        assert ch is not None
        ch.declared = {
            "duration": duration,
            "where": "chat_widget",
            "quote": f"We usually reply within {minutes} {plural(minutes, 'minute')}.",
        }


def _answer_bots(rng: random.Random, bots: list[Probe], companies: list[Company]) -> None:
    """Chatbots answer within seconds; a person follows only where the bot hands over."""
    for p in bots:
        ch = companies[p.company].channel("chatbot")
        assert ch is not None
        p.first_at, p.first_by = p.sent + timedelta(seconds=rng.randrange(2, 7)), "bot"
        if ch.handoff and ch.follows_up:
            p.human_at = p.sent + timedelta(seconds=rng.randrange(120, 400))
        elif ch.handoff:
            ch.notes = "Bot offers to connect to a consultant."
            if rng.random() < 0.7:
                p.human_at = p.sent + timedelta(seconds=rng.randrange(60, 600))
            else:
                p.notes = "Bot promised a consultant; nobody joined."
        elif ch.follows_up:
            moment = p.sent + timedelta(seconds=rng.randrange(3 * 3600, 5 * 3600))
            p.human_at = working_time(moment, rng)
            p.notes = "The bot took an e-mail address; a person wrote back by e-mail."
        else:
            p.notes = "The bot offered menu answers only; no way to reach a person."


def _declare_callback(rng: random.Random, ch: Channel) -> None:
    """A callback time the site promises, with the sentence that promises it."""
    duration = rng.choice(("PT15M", "PT30M", "PT1H", "PT2H"))
    seconds = duration_seconds(duration)
    words = f"{seconds // 60} minutes" if seconds < 3600 else f"{seconds // 3600} hour"
    if seconds > 3600:
        words += "s"
    ch.declared = {
        "duration": duration,
        "where": "site",
        "quote": f"We will call you back within {words}.",
    }


def _answer_callbacks(rng: random.Random, callbacks: list[Probe], companies: list[Company]) -> None:
    """Web callback: 9 of 24 declare a callback time; 8 never call back.

    The 10 callers without a declaration all call within 90 minutes.
    """
    declared = dict(zip(range(24), quota(rng, 24, 9), strict=True))
    undeclared_i = [i for i in range(24) if not declared[i]]
    declared_i = [i for i in range(24) if declared[i]]
    never_i = pick(rng, undeclared_i, 5) + pick(rng, declared_i, 3)
    declared_answered = [i for i in declared_i if i not in never_i]
    kept_i = pick(rng, declared_answered, 3)
    for i, p in enumerate(callbacks):
        ch = companies[p.company].channel("web_callback")
        assert ch is not None
        if declared[i]:
            _declare_callback(rng, ch)
        if i in never_i:
            if rng.random() < 0.5:
                p.notes = SH_PROBE_NOTES["callback_never"][0]
            continue
        if not declared[i]:
            p.reply(p.sent + timedelta(seconds=rng.randrange(4 * 60, 88 * 60)))
        else:
            assert ch.declared is not None
            limit = duration_seconds(ch.declared["duration"])
            if i in kept_i:
                p.reply(p.sent + timedelta(seconds=rng.randrange(limit // 4, limit - 30)))
            else:
                moment = p.sent + timedelta(seconds=rng.randrange(limit + 600, 26 * 3600))
                p.reply(working_time(moment, rng))


def _redirect_and_mark(rng: random.Random, probes: _Probes) -> None:
    """Redirects and quality marks on everything a person answered."""
    answered_chat = [p for p in probes.live if p.human_reply_at is not None]
    for p in pick(rng, answered_chat, 5):
        p.redirected_to = "email"
        p.aq = False
        p.notes = SH_PROBE_NOTES["redirect"][0]
    answered_written = [p for p in probes.written if p.human_reply_at is not None]
    for p in pick(rng, answered_written, 2):
        p.redirected_to = "phone"
        p.aq = False
        p.notes = "Reply asked for a phone number to discuss the project by phone."
    for p in probes.written + probes.live + probes.bots + probes.callbacks:
        if p.human_reply_at is None:
            continue
        applicable = 7 if rng.random() < 0.7 else 8
        low, high = k_bounds(applicable, p.aq, p.redirected_to is not None)
        apply_quality(rng, p, random_k(rng, applicable, low, high), applicable)


def _annotate(rng: random.Random, companies: list[Company]) -> None:
    """Audit notes on six companies, a statement and a correction on two others."""
    for c in pick(rng, companies, 6):
        c.notes = rng.choice(
            (
                "Contact page lists only a general address for sales and support.",
                "Pricing page leads to the contact form; no prices published.",
                "Site switches to English for visitors outside Poland.",
            )
        )
    first = min(companies, key=lambda c: c.slug)
    first.statement = {
        "date": "2019-04-29",
        "text": "We have since added a callback form and publish our office hours on the site.",
    }
    second = sorted(companies, key=lambda c: c.slug)[1]
    second.corrections = [
        {
            "date": "2019-05-06",
            "kind": "correction",
            "summary": "The contact form had been recorded as an e-mail address; fixed.",
        }
    ]


def _edition() -> dict[str, Any]:
    """The edition file."""
    return {
        "id": SH_EDITION,
        "title": "Software houses: how do they handle customers?",
        "sectors": ["software-house"],
        "market": "PL",
        "period": {"start": "2019-01-01", "end": "2019-03-31"},
        "method": (
            "Auditors acted as a prospective customer looking for a software house online. "
            "They went through each company's website, asked about a project by e-mail or the "
            "contact form, put a short question to the live chat or chatbot, and requested a "
            "call through the web callback form, always on working days within business hours."
        ),
        "timezone": "Europe/Warsaw",
        "business_hours": {"days": list(WEEKDAYS[:5]), "open": "09:00", "close": "17:00"},
        "scripts": [
            {
                "id": "sh-project-quote",
                "sector": "software-house",
                "language": "pl",
                "text": (
                    "We are planning a web application for booking appointments in our clinics "
                    "(about 20 screens, an admin panel, payments). Could you estimate the cost "
                    "and the time needed, and tell us how you would start?"
                ),
            },
            {
                "id": "sh-chat-question",
                "sector": "software-house",
                "language": "pl",
                "text": "Hello, do you build mobile apps as well, and can we talk about a quote?",
            },
        ],
        "methodology": "v2",
        "demo": True,
        "status": "published",
        "published": "2019-04-15",
        "summary": (
            "Demo edition with 129 fictional software houses: few offer every contact channel, "
            "chats often keep customers waiting and nobody promises an e-mail response time."
        ),
    }


def build_software_houses(rng: random.Random, names: Names) -> tuple[dict[str, Any], list[Company]]:
    """The software houses edition and its companies."""
    plan = _plan(rng)
    start_days = weekdays(date(2019, 1, 14), date(2019, 3, 8))
    companies = [_company(rng, names, plan, i, start_days) for i in range(len(plan.profiles))]
    probes = _probes(rng, companies)
    _answer_written(rng, probes.written, companies)
    _answer_live(rng, probes.live, companies)
    _answer_bots(rng, probes.bots, companies)
    _answer_callbacks(rng, probes.callbacks, companies)
    _redirect_and_mark(rng, probes)
    _annotate(rng, companies)
    return _edition(), companies
