"""Edition statistics as report sections: each figure gets a sentence written from its numbers.

Every number in a sentence comes from the statistic's row (value, numerator, denominator):
change the data and the sentence changes with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..values import format_statistic, human_duration, out_of, percent
from .common import channel_name, country_name, language_name, sector_name

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Part:
    """A statistic shown on its own, under its own heading, inside a section."""

    key: str
    title: str
    pattern: str

    def holds(self, sid: str) -> bool:
        """True when the statistic id belongs here."""
        return re.fullmatch(self.pattern, sid) is not None


@dataclass(frozen=True, slots=True)
class Section:
    """A report section: its anchor, heading, introduction and the statistics it holds.

    A section with ``parts`` shows each part (one statistic, all channels and by channel)
    under a heading of its own, with its own chart and sentences; the others show one chart
    per unit and then every sentence.
    """

    key: str
    title: str
    intro: str
    patterns: tuple[str, ...]
    parts: tuple[Part, ...] = ()

    def holds(self, sid: str) -> bool:
        """True when the statistic id belongs here."""
        return any(re.fullmatch(p, sid) for p in self.patterns)


SECTIONS = (
    Section(
        "channels",
        "Which channels companies offer",
        "The contact channels found on each company's website, probed or not.",
        (r"channel_offered_.+",),
    ),
    Section(
        "channel-mix",
        "Channel mix",
        "How many ways there are to reach a company, and how often it sends customers elsewhere.",
        (
            r"all_contact_families",
            r"email_only",
            r"callback_offered",
            r"proactive_chat",
            r"chat_only",
            r"chat_only_bot_only",
            r"companies_redirecting",
        ),
    ),
    Section(
        "languages-countries",
        "Languages and countries",
        "Where the companies are based and which languages their websites speak.",
        (r"language_.+", r"country_.+"),
    ),
    Section(
        "promises",
        "Published hours and promised response times",
        "Whether companies tell customers when they are open and how fast they will reply.",
        (r"hours_published", r"email_declared", r"chat_declared(_\d+s)?", r"callback_declared"),
    ),
    Section(
        "callback",
        "Web callback",
        "Requests for a call back left through the company's website.",
        (r"callback_never", r"callback_max_undeclared", r"callback_median"),
    ),
    Section(
        "chat",
        "Live chat and chatbots",
        "Chat windows, the bots behind them and whether a person ever joins.",
        (
            r"chat_promise_kept",
            r"chat_tail_5min",
            r"chatbot_share",
            r"bot_only",
            r"bot_first",
            r"bot_first_no_person",
        ),
    ),
    Section(
        "email",
        "E-mail and contact forms",
        "Questions sent by e-mail or through a contact form.",
        (
            r"email_within_6h",
            r"marketing_after_no_answer",
            r"fast_good_email",
            r"email_quality_mean",
            r"email_quality_ratio",
        ),
    ),
    Section(
        "thresholds",
        "Answered within a given time",
        "The share of probes a person answered within each reference time of the methodology.",
        (r"within_.+",),
    ),
    Section(
        "response-rates",
        "Response rate by channel",
        "The share of probes a person answered at all, by channel.",
        (r"response_rate(_.+)?",),
    ),
    Section(
        "reply-times",
        "Reply times by channel",
        "How long a person took to answer, by channel (calendar time).",
        (r"median_reply_.+", r"mean_reply_.+"),
    ),
    Section(
        "shortfalls",
        "Answers that fell short",
        "Replies that came only on a later day, missed the question or sent the customer "
        "elsewhere.",
        (r"next_day_.+", r"not_answered_at_once_.+", r"redirect"),
    ),
    Section(
        "answer-defects",
        "Answer defects",
        "Replies that offered the customer no solution, and replies that asked for data "
        "without saying why — in all channels and by channel. Each share counts only the "
        "replies its rubric item applies to. Replies that missed the question are under "
        "“Answers that fell short”.",
        (r"no_solution(_.+)?", r"data_unexplained(_.+)?"),
        (
            Part("no-solution", "No solution offered", r"no_solution(_.+)?"),
            Part(
                "data-unexplained", "Data asked for without saying why", r"data_unexplained(_.+)?"
            ),
        ),
    ),
    Section(
        "correspondence",
        "Correspondence culture",
        "How replies were written: politely and with correct spelling and punctuation, "
        "and whether they greeted the customer and were signed by a person — in all "
        "channels and by channel.",
        (r"polite_literate(_.+)?", r"personal(_.+)?"),
        (
            Part(
                "polite-literate", "Politeness, spelling and punctuation", r"polite_literate(_.+)?"
            ),
            Part("personal", "Greeting and signature", r"personal(_.+)?"),
        ),
    ),
    Section(
        "helpdesk",
        "Helpdesk systems",
        "Companies that answer from a helpdesk system rather than a plain mailbox.",
        (r"helpdesk", r"helpdesk_quality_ratio", r"helpdesk_speed_ratio"),
    ),
)


def section_of(sid: str) -> Section | None:
    """The section a statistic belongs to."""
    for s in SECTIONS:
        if s.holds(sid):
            return s
    return None


def _p(r: Row) -> str:
    return percent(r["value"])


def _kn(r: Row) -> str:
    return out_of(r["numerator"], r["denominator"])


def _dur(seconds: float) -> str:
    return human_duration(seconds)


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


Groups = dict[str, str]
Writer = Callable[[Row, Groups], str]


def _share(template: str, good: bool = True) -> Writer:
    """A share sentence: {P} starts it (with "Only" when a good thing is rare), {kn} counts."""

    def write(r: Row, groups: Groups) -> str:
        p = _p(r)
        words = {**groups, "p": p, "kn": _kn(r)}
        if "{P}" in template:
            v = float(r["value"])
            lead = "None" if v == 0 else ("All" if v == 1 else p)
            if good and 0 < v < 0.5:
                lead = f"Only {p}"
            words["P"] = lead
        return template.format(**words)

    return write


def _named(template: str, good: bool, **names: Callable[[str], str]) -> Writer:
    """A share sentence whose groups are shown by name (channel, language, country)."""
    inner = _share(template, good)

    def write(r: Row, groups: Groups) -> str:
        return inner(r, {k: names[k](v) if k in names else v for k, v in groups.items()})

    return write


def _time(template: str) -> Writer:
    def write(r: Row, groups: Groups) -> str:
        named = {k: _ch(v) for k, v in groups.items()}
        return template.format(d=_dur(float(r["value"])), n=int(r["denominator"]), **named)

    return write


def _count(template: str) -> Writer:
    def write(r: Row, groups: Groups) -> str:
        return template.format(k=round(float(r["value"])), n=int(r["denominator"]))

    return write


def _ratio(template: str) -> Writer:
    def write(r: Row, groups: Groups) -> str:
        label = str(r["label"])
        pair = label.split(": ", 1)[-1].split(" ÷ ")
        hi, lo = (sector_name(pair[0]), sector_name(pair[1])) if len(pair) == 2 else ("", "")
        return template.format(x=f"{float(r['value']):.2f}", n=int(r["denominator"]), hi=hi, lo=lo)

    return write


def _threshold(r: Row, groups: Groups) -> str:
    return _share("{P} of the {fam} probes were answered by a person within {within} ({kn}).")(
        r, {"fam": _family(groups["family"]), "within": _dur(float(groups["secs"]))}
    )


SENTENCES: tuple[tuple[str, Writer], ...] = (
    (r"channel_offered_(?P<c>.+)", _named("{P} of the companies offer {c} ({kn}).", False, c=_ch)),
    (
        r"all_contact_families",
        _share(
            "{P} of the companies offer every kind of contact channel "
            "— written, phone, chat and callback ({kn})."
        ),
    ),
    (
        r"email_only",
        _share(
            "{P} of the companies can be reached by e-mail or a contact form alone ({kn}).", False
        ),
    ),
    (r"callback_offered", _share("{P} of the companies offer a web callback ({kn}).")),
    (
        r"proactive_chat",
        _share("{P} of the companies open their live chat proactively ({kn}).", False),
    ),
    (r"chat_only", _count("{k} of the {n} companies can be reached by chat alone.")),
    (
        r"chat_only_bot_only",
        _count("{k} of the {n} companies can be reached by chat alone, and there only by a bot."),
    ),
    (
        r"companies_redirecting",
        _share(
            "{P} of the companies sent the customer to another channel at least once ({kn}).", False
        ),
    ),
    (
        r"language_(?P<lang>.+)",
        _named(
            "{P} of the companies offer their website in {lang} ({kn}).", False, lang=language_name
        ),
    ),
    (
        r"country_(?P<cc>.+)",
        _named("{P} of the companies are based in {cc} ({kn}).", False, cc=country_name),
    ),
    (
        r"hours_published",
        _share("{P} of the companies publish their customer-service hours ({kn})."),
    ),
    (
        r"email_declared",
        _share(
            "Of the companies reachable by e-mail or a form, {p} declare a response time ({kn})."
        ),
    ),
    (r"chat_declared", _share("Of the live chats, {p} declare a response time ({kn}).")),
    (
        r"chat_declared_(?P<s>\d+)s",
        _named(
            "{P} of the live chats promise a reply within {s} ({kn}).",
            False,
            s=lambda v: _dur(float(v)),
        ),
    ),
    (
        r"callback_declared",
        _share(
            "Of the companies offering a web callback, {p} say when they will call back ({kn})."
        ),
    ),
    (r"callback_never", _share("{P} of the callback requests were never returned ({kn}).", False)),
    (
        r"callback_max_undeclared",
        _time(
            "Where no callback time was declared, the longest wait for a call was {d} ({n} calls)."
        ),
    ),
    (r"callback_median", _time("The median wait for a call back was {d} ({n} calls).")),
    (
        r"chat_promise_kept",
        _share(
            "Where a chat declared its response time, the promise was "
            "kept in {p} of the probes ({kn})."
        ),
    ),
    (
        r"chat_tail_5min",
        _share("In {p} of the chat probes no person replied within 5 minutes ({kn})."),
    ),
    (r"chatbot_share", _share("Of the companies with a chat, {p} use a bot ({kn}).")),
    (
        r"bot_only",
        _share(
            "{P} of the chatbots are a bot only: no hand-off to a person and no follow-up ({kn}).",
            False,
        ),
    ),
    (r"bot_first", _share("{P} of the probes were first answered by a bot ({kn}).", False)),
    (
        r"bot_first_no_person",
        _share("When a bot answered first, no person followed in {p} of the cases ({kn})."),
    ),
    (
        r"email_within_6h",
        _share("A person answered {p} of the e-mail and form probes within 6 hours ({kn})."),
    ),
    (
        r"marketing_after_no_answer",
        _count("{k} of the {n} probes brought marketing mail instead of an answer."),
    ),
    (
        r"fast_good_email",
        _share(
            "{P} of the companies answered e-mail within an hour with a "
            "quality above 3 of 5 points ({kn})."
        ),
    ),
    (
        r"email_quality_mean",
        lambda r, _g: (
            f"E-mail answers scored {float(r['value']):.1f} of 5 quality points on average "
            f"({int(r['denominator'])} companies)."
        ),
    ),
    (
        r"email_quality_ratio",
        _ratio(
            "E-mail answers from {hi} companies scored {x} times the "
            "quality of those from {lo} companies."
        ),
    ),
    (r"within_(?P<family>[a-z]+)_(?P<secs>\d+)s", _threshold),
    (r"response_rate", _share("A person answered {p} of all probes ({kn}).")),
    (r"response_rate_social", _share("A person answered {p} of the social-media probes ({kn}).")),
    (
        r"response_rate_(?P<c>.+)",
        _named("A person answered {p} of the {c} probes ({kn}).", True, c=_ch),
    ),
    (r"median_reply_(?P<c>.+)", _time("The median {c} reply took {d} ({n} replies).")),
    (r"mean_reply_(?P<c>.+)", _time("On average a {c} reply took {d} ({n} replies).")),
    (
        r"next_day_(?P<c>.+)",
        _named(
            "{P} of the answered {c} probes were answered only on a later day ({kn}).", False, c=_ch
        ),
    ),
    (
        r"not_answered_at_once_(?P<c>.+)",
        _named(
            "{P} of the {c} replies did not answer the question actually asked ({kn}).",
            False,
            c=_ch,
        ),
    ),
    (r"no_solution", _share("{P} of the replies offered no solution or next step ({kn}).", False)),
    (
        r"no_solution_(?P<c>.+)",
        _named("{P} of the {c} replies offered no solution or next step ({kn}).", False, c=_ch),
    ),
    (
        r"data_unexplained",
        _share("Of the replies that asked the customer for data, {p} did not say why ({kn})."),
    ),
    (
        r"data_unexplained_(?P<c>.+)",
        _named("Of the {c} replies that asked for data, {p} did not say why ({kn}).", False, c=_ch),
    ),
    (
        r"polite_literate",
        _share("{P} of the replies were polite, with correct spelling and punctuation ({kn})."),
    ),
    (
        r"polite_literate_(?P<c>.+)",
        _named(
            "{P} of the {c} replies were polite, with correct spelling and punctuation ({kn}).",
            True,
            c=_ch,
        ),
    ),
    (
        r"personal",
        _share("{P} of the replies greeted the customer and were signed by a person ({kn})."),
    ),
    (
        r"personal_(?P<c>.+)",
        _named(
            "{P} of the {c} replies greeted the customer and were signed by a person ({kn}).",
            True,
            c=_ch,
        ),
    ),
    (
        r"redirect",
        _share("{P} of the answers sent the customer to another channel instead ({kn}).", False),
    ),
    (
        r"helpdesk",
        _share("{P} of the companies (where known) answer from a helpdesk system ({kn}).", False),
    ),
    (
        r"helpdesk_quality_ratio",
        _ratio(
            "With a helpdesk system, e-mail answers scored {x} "
            "times the quality of answers without one."
        ),
    ),
    (
        r"helpdesk_speed_ratio",
        _ratio(
            "With a helpdesk system, the median e-mail reply took {x} times as long as without one."
        ),
    ),
)


def sentence(row: Row) -> str:
    """The sentence for one statistic row (plain text, not yet escaped)."""
    sid = str(row["id"])
    for pattern, write in SENTENCES:
        m = re.fullmatch(pattern, sid)
        if m:
            out = write(row, m.groupdict())
            break
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


def by_channel(rows: list[Row]) -> str | None:
    """The response rate of all probes and of each channel, highest first, as one sentence.

    ``rows`` are the all-companies ``response_rate…`` statistics; None without the overall one.
    """
    overall = next((r for r in rows if r["id"] == "response_rate"), None)
    if overall is None:
        return None
    lead = sentence(overall)
    channels = sorted(
        (
            r
            for r in rows  # social media sums channels already listed
            if r["id"] not in ("response_rate", "response_rate_social")
        ),
        key=lambda r: (-float(r["value"]), str(r["id"])),
    )
    if len(channels) < 2:
        return lead
    named = ", ".join(f"{_channel_of(r)} {_p(r)}" for r in channels)
    return f"{lead.removesuffix('.')}; by channel, highest first: {named}."


def _channel_of(row: Row) -> str:
    return _ch(str(row["id"]).removeprefix("response_rate_"))


def short_label(row: Row) -> str:
    """A short label for the statistic in a chart or table."""
    sid = str(row["id"])
    fixed = {"response_rate": "all channels", "response_rate_social": "social media"}
    if sid in fixed:
        return fixed[sid]
    m = re.fullmatch(
        r"(channel_offered|response_rate|median_reply|mean_reply|next_day|"
        r"not_answered_at_once)_(?P<c>.+)",
        sid,
    )
    if m and sid != "response_rate_social":
        prefix = {"median_reply": "median ", "mean_reply": "mean "}.get(m.group(1), "")
        return prefix + channel_name(m.group("c"))
    m = re.fullmatch(r"(no_solution|data_unexplained|polite_literate|personal)(_(?P<c>.+))?", sid)
    if m:  # shown in a chart of its own statistic (a Part): the channel is the label
        return channel_name(m.group("c")) if m.group("c") else "all channels"
    m = re.fullmatch(r"language_(.+)", sid)
    if m:
        return language_name(m.group(1))
    m = re.fullmatch(r"country_(.+)", sid)
    if m:
        return country_name(m.group(1))
    m = re.fullmatch(r"within_([a-z]+)_(\d+)s", sid)
    if m:
        return f"{_family(m.group(1))} within {_dur(float(m.group(2)))}"
    return str(row["label"])
