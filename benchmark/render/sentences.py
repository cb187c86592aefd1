"""Edition statistics as report sections: each figure gets a sentence written from its numbers.

Every number in a sentence comes from the statistic's row (value, numerator, denominator):
change the data and the sentence changes with it. The section, sentence and short label a
statistic gets come from its ``section``, ``measure`` and parameter fields, never its id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ..score.statistics import GOOD_QUALITY, PARAMETERS
from ..values import format_statistic, human_duration, is_missing, out_of, percent
from .common import channel_name, country_name, language_name, sector_name

Row = dict[str, Any]


def parameters(row: Row) -> dict[str, str | int]:
    """The parameters a statistic row carries, in id order; a missing one (None, NaN) is left out.

    A statistic carries them as fields (``score.statistics.Key``): nothing parses its id.
    """
    out: dict[str, str | int] = {}
    for name in PARAMETERS:
        value = row.get(name)
        if isinstance(value, str) and value:
            out[name] = value
        elif isinstance(value, Real) and not isinstance(value, bool) and not is_missing(value):
            out[name] = int(float(value))
    return out


@dataclass(frozen=True, slots=True)
class Part:
    """A statistic shown on its own, under its own heading, inside a section."""

    key: str
    title: str
    measure: str

    def holds(self, row: Row) -> bool:
        """True when the statistic (all channels or one) belongs here."""
        return bool(row.get("measure") == self.measure)


@dataclass(frozen=True, slots=True)
class Section:
    """A report section: its anchor, heading, introduction and, maybe, its parts.

    A statistic belongs to the section its ``section`` field names. A section with ``parts``
    shows each part (one statistic, all channels and by channel) under a heading of its own,
    with its own chart and sentences; the others show one chart per unit and then every
    sentence.
    """

    key: str
    title: str
    intro: str
    parts: tuple[Part, ...] = ()

    def holds(self, row: Row) -> bool:
        """True when the statistic belongs here."""
        return bool(row.get("section") == self.key)


SECTIONS = (
    Section(
        "channels",
        "Which channels companies offer",
        "The contact channels found on each company's website, probed or not.",
    ),
    Section(
        "channel-mix",
        "Channel mix",
        "How many ways there are to reach a company, and how often it sends customers elsewhere.",
    ),
    Section(
        "languages-countries",
        "Languages and countries",
        "Where the companies are based and which languages their websites speak.",
    ),
    Section(
        "promises",
        "Published hours and promised response times",
        "Whether companies tell customers when they are open and how fast they will reply.",
    ),
    Section(
        "callback",
        "Web callback",
        "Requests for a call back left through the company's website.",
    ),
    Section(
        "chat",
        "Live chat and chatbots",
        "Chat windows, the bots behind them and whether a person ever joins.",
    ),
    Section(
        "email",
        "E-mail and contact forms",
        "Questions sent by e-mail or through a contact form.",
    ),
    Section(
        "thresholds",
        "Answered within a given time",
        "The share of probes a person answered within each reference time of the methodology.",
    ),
    Section(
        "response-rates",
        "Response rate by channel",
        "The share of probes a person answered at all, by channel.",
    ),
    Section(
        "reply-times",
        "Reply times by channel",
        "How long a person took to answer, by channel (calendar time).",
    ),
    Section(
        "shortfalls",
        "Answers that fell short",
        "Replies that came only on a later day, missed the question or sent the customer "
        "elsewhere.",
    ),
    Section(
        "answer-defects",
        "Answer defects",
        "Replies that offered the customer no solution, and replies that asked for data "
        "without saying why — in all channels and by channel. Each share counts only the "
        "replies its rubric item applies to. Replies that missed the question are under "
        "“Answers that fell short”.",
        (
            Part("no-solution", "No solution offered", "no_solution"),
            Part("data-unexplained", "Data asked for without saying why", "data_unexplained"),
        ),
    ),
    Section(
        "correspondence",
        "Correspondence culture",
        "How replies were written: politely and with correct spelling and punctuation, "
        "and whether they greeted the customer and were signed by a person — in all "
        "channels and by channel.",
        (
            Part("polite-literate", "Politeness, spelling and punctuation", "polite_literate"),
            Part("personal", "Greeting and signature", "personal"),
        ),
    ),
    Section(
        "helpdesk",
        "Helpdesk systems",
        "Companies that answer from a helpdesk system rather than a plain mailbox.",
    ),
)


def section_of(row: Row) -> Section | None:
    """The section a statistic belongs to (None for a section the report does not have)."""
    return next((s for s in SECTIONS if s.holds(row)), None)


def _p(r: Row) -> str:
    return percent(r["value"])


def _kn(r: Row) -> str:
    return out_of(r["numerator"], r["denominator"])


def _family(f: str) -> str:
    return {
        "written": "e-mail and form",
        "chat": "chat",
        "callback": "callback",
        "phone": "phone",
        "social": "social-media",
    }.get(f, f)


PROPER = frozenset(
    {"facebook", "instagram", "x", "linkedin", "vkontakte", "telegram", "whatsapp", "faq"}
)  # channel names that keep their capitals in a sentence


def _ch(c: str) -> str:
    """A channel's name inside a sentence: "e-mail", "live chat", but "Facebook", "FAQ"."""
    name = channel_name(c)
    return name if c in PROPER else name.lower()


Names = dict[str, str]  # a statistic's parameters as a sentence shows them, by name
Writer = Callable[[Row, Names], str]
NAMERS: dict[str, Callable[[Any], str]] = {
    "channel": lambda v: _ch(str(v)),
    "family": lambda v: _family(str(v)),
    "language": lambda v: language_name(str(v)),
    "country": lambda v: country_name(str(v)),
    "seconds": lambda v: human_duration(float(v)),
}


def names(row: Row) -> Names:
    """The statistic's parameters as a sentence shows them: "live chat", "Polish", "5 min"."""
    return {k: NAMERS[k](v) for k, v in parameters(row).items()}


def _quality_scale(r: Row) -> dict[str, str]:
    """The quality scale (its edition's methodology) and a good answer's points, as shown."""
    if "quality_scale" not in r:  # a row made by hand; every row of `statistics()` has it
        return {}
    return {"scale": f"{float(r['quality_scale']):g}", "good": f"{GOOD_QUALITY:g}"}


def _share(template: str, good: bool = True) -> Writer:
    """A share sentence: {P} starts it (with "Only" when a good thing is rare), {kn} counts."""

    def write(r: Row, named: Names) -> str:
        p = _p(r)
        words = {**named, "p": p, "kn": _kn(r), **_quality_scale(r)}
        if "{P}" in template:
            v = float(r["value"])
            lead = "None" if v == 0 else ("All" if v == 1 else p)
            if good and 0 < v < 0.5:
                lead = f"Only {p}"
            words["P"] = lead
        return template.format(**words)

    return write


def _time(template: str) -> Writer:
    def write(r: Row, named: Names) -> str:
        return template.format(
            d=human_duration(float(r["value"])), n=int(r["denominator"]), **named
        )

    return write


def _count(template: str) -> Writer:
    def write(r: Row, named: Names) -> str:
        return template.format(k=round(float(r["value"])), n=int(r["denominator"]))

    return write


def _sector(r: Row, field: str) -> str:
    value = r.get(field)
    return sector_name(value) if isinstance(value, str) and value else ""


def _ratio(template: str) -> Writer:
    """A ratio sentence; {hi} and {lo} name the two sectors it compares, when it does."""

    def write(r: Row, named: Names) -> str:
        return template.format(
            x=f"{float(r['value']):.2f}",
            n=int(r["denominator"]),
            hi=_sector(r, "ratio_of"),
            lo=_sector(r, "ratio_to"),
        )

    return write


# The sentence of each statistic, by its measure and the parameters it carries.
SENTENCES: dict[tuple[str, ...], Writer] = {
    ("channel_offered", "channel"): _share("{P} of the companies offer {channel} ({kn}).", False),
    ("all_contact_families",): _share(
        "{P} of the companies offer every kind of contact channel "
        "— written, phone, chat and callback ({kn})."
    ),
    ("email_only",): _share(
        "{P} of the companies can be reached by e-mail or a contact form alone ({kn}).", False
    ),
    ("callback_offered",): _share("{P} of the companies offer a web callback ({kn})."),
    ("proactive_chat",): _share(
        "{P} of the companies open their live chat proactively ({kn}).", False
    ),
    ("chat_only",): _count("{k} of the {n} companies can be reached by chat alone."),
    ("chat_only_bot_only",): _count(
        "{k} of the {n} companies can be reached by chat alone, and there only by a bot."
    ),
    ("companies_redirecting",): _share(
        "{P} of the companies sent the customer to another channel at least once ({kn}).", False
    ),
    ("language", "language"): _share(
        "{P} of the companies offer their website in {language} ({kn}).", False
    ),
    ("country", "country"): _share("{P} of the companies are based in {country} ({kn}).", False),
    ("hours_published",): _share(
        "{P} of the companies publish their customer-service hours ({kn})."
    ),
    ("email_declared",): _share(
        "Of the companies reachable by e-mail or a form, {p} declare a response time ({kn})."
    ),
    ("chat_declared",): _share("Of the live chats, {p} declare a response time ({kn})."),
    ("chat_declared", "seconds"): _share(
        "{P} of the live chats promise a reply within {seconds} ({kn}).", False
    ),
    ("callback_declared",): _share(
        "Of the companies offering a web callback, {p} say when they will call back ({kn})."
    ),
    ("callback_never",): _share("{P} of the callback requests were never returned ({kn}).", False),
    ("callback_max_undeclared",): _time(
        "Where no callback time was declared, the longest wait for a call was {d} ({n} calls)."
    ),
    ("callback_median",): _time("The median wait for a call back was {d} ({n} calls)."),
    ("chat_promise_kept",): _share(
        "Where a chat declared its response time, the promise was kept in {p} of the probes ({kn})."
    ),
    ("chat_tail_5min",): _share(
        "In {p} of the chat probes no person replied within 5 minutes ({kn})."
    ),
    ("chatbot_share",): _share("Of the companies with a chat, {p} use a bot ({kn})."),
    ("bot_only",): _share(
        "{P} of the chatbots are a bot only: no hand-off to a person and no follow-up ({kn}).",
        False,
    ),
    ("bot_first",): _share("{P} of the probes were first answered by a bot ({kn}).", False),
    ("bot_first_no_person",): _share(
        "When a bot answered first, no person followed in {p} of the cases ({kn})."
    ),
    ("email_within_6h",): _share(
        "A person answered {p} of the e-mail and form probes within 6 hours ({kn})."
    ),
    ("marketing_after_no_answer",): _count(
        "{k} of the {n} probes brought marketing mail instead of an answer."
    ),
    ("fast_good_email",): _share(
        "{P} of the companies answered e-mail within an hour with a "
        "quality above {good} of {scale} points ({kn})."
    ),
    ("email_quality_mean",): lambda r, _n: (
        f"E-mail answers scored {float(r['value']):.1f} of {float(r['quality_scale']):g} "
        "quality points on average "
        f"({int(r['denominator'])} companies)."
    ),
    ("email_quality_ratio",): _ratio(
        "E-mail answers from {hi} companies scored {x} times the "
        "quality of those from {lo} companies."
    ),
    ("within", "family", "seconds"): _share(
        "{P} of the {family} probes were answered by a person within {seconds} ({kn})."
    ),
    ("response_rate",): _share("A person answered {p} of all probes ({kn})."),
    ("response_rate", "family"): _share("A person answered {p} of the {family} probes ({kn})."),
    ("response_rate", "channel"): _share("A person answered {p} of the {channel} probes ({kn})."),
    ("median_reply", "channel"): _time("The median {channel} reply took {d} ({n} replies)."),
    ("mean_reply", "channel"): _time("On average a {channel} reply took {d} ({n} replies)."),
    ("next_day", "channel"): _share(
        "{P} of the answered {channel} probes were answered only on a later day ({kn}).", False
    ),
    ("not_answered_at_once", "channel"): _share(
        "{P} of the {channel} replies did not answer the question actually asked ({kn}).", False
    ),
    ("no_solution",): _share("{P} of the replies offered no solution or next step ({kn}).", False),
    ("no_solution", "channel"): _share(
        "{P} of the {channel} replies offered no solution or next step ({kn}).", False
    ),
    ("data_unexplained",): _share(
        "Of the replies that asked the customer for data, {p} did not say why ({kn})."
    ),
    ("data_unexplained", "channel"): _share(
        "Of the {channel} replies that asked for data, {p} did not say why ({kn}).", False
    ),
    ("polite_literate",): _share(
        "{P} of the replies were polite, with correct spelling and punctuation ({kn})."
    ),
    ("polite_literate", "channel"): _share(
        "{P} of the {channel} replies were polite, with correct spelling and punctuation ({kn})."
    ),
    ("personal",): _share(
        "{P} of the replies greeted the customer and were signed by a person ({kn})."
    ),
    ("personal", "channel"): _share(
        "{P} of the {channel} replies greeted the customer and were signed by a person ({kn})."
    ),
    ("redirect",): _share(
        "{P} of the answers sent the customer to another channel instead ({kn}).", False
    ),
    ("helpdesk",): _share(
        "{P} of the companies (where known) answer from a helpdesk system ({kn}).", False
    ),
    ("helpdesk_quality_ratio",): _ratio(
        "With a helpdesk system, e-mail answers scored {x} "
        "times the quality of answers without one."
    ),
    ("helpdesk_speed_ratio",): _ratio(
        "With a helpdesk system, the median e-mail reply took {x} times as long as without one."
    ),
}


def sentence(row: Row) -> str:
    """The sentence for one statistic row (plain text, not yet escaped).

    Chosen by the row's measure and the parameters it carries, never by its id.
    """
    named = names(row)
    write = SENTENCES.get((str(row.get("measure")), *named))
    if write is not None:
        out = write(row, named)
    else:  # a statistic without its own sentence still reads as one
        out = f"{row['label'][:1].upper()}{row['label'][1:]}: {short_value(row)}."
    if row["segment"] != "all":
        out = f"{sector_name(str(row['segment']))}: {out}"
    return out


def short_value(row: Row) -> str:
    """The value as a reader sees it in a table: 34%, 2 h 5 min, 3.2, 6."""
    return format_statistic(row["value"], row["unit"], denominator=row["denominator"], brief=True)


def basis(row: Row) -> str:
    """What a figure rests on, for a data table beside its value: 34 of 100, n = 12."""
    if row["unit"] == "share":
        return _kn(row)
    if row["unit"] == "count":
        return ""  # the value already says "6 of 12"
    return f"n = {int(row['denominator'])}"


def _overall_rate(row: Row) -> bool:
    """True for the response rate of all probes (no channel, no family)."""
    return row.get("measure") == "response_rate" and not parameters(row)


def by_channel(rows: list[Row]) -> str | None:
    """The response rate of all probes and of each channel, highest first, as one sentence.

    ``rows`` are the all-companies ``response_rate`` statistics; None without the overall one.
    Social media (a family) sums channels already listed: only the rates of one channel count.
    """
    overall = next((r for r in rows if _overall_rate(r)), None)
    if overall is None:
        return None
    lead = sentence(overall)
    channels = sorted(
        (r for r in rows if "channel" in parameters(r)),
        key=lambda r: (-float(r["value"]), str(r["id"])),
    )
    if len(channels) < 2:
        return lead
    named = ", ".join(f"{names(r)['channel']} {_p(r)}" for r in channels)
    return f"{lead.removesuffix('.')}; by channel, highest first: {named}."


# Measures charted by channel beside their all-channels figure, which is labelled so.
ALL_CHANNELS = frozenset(
    {"response_rate", "no_solution", "data_unexplained", "polite_literate", "personal"}
)
CHANNEL_PREFIX = {"median_reply": "median ", "mean_reply": "mean "}


def short_label(row: Row) -> str:
    """A short label for the statistic in a chart or table, from its measure and parameters."""
    measure, given = row.get("measure"), parameters(row)
    if "channel" in given:
        return CHANNEL_PREFIX.get(str(measure), "") + channel_name(str(given["channel"]))
    if measure == "response_rate" and given == {"family": "social"}:
        return "social media"
    if measure == "within" and "family" in given and "seconds" in given:
        return f"{_family(str(given['family']))} within {human_duration(float(given['seconds']))}"
    if "language" in given:
        return language_name(str(given["language"]))
    if "country" in given:
        return country_name(str(given["country"]))
    if measure in ALL_CHANNELS and not given:
        return "all channels"
    return str(row["label"])
