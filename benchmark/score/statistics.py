"""Edition statistics: every indicator of the seed reports, each with its denominator.

An indicator is computed for an edition whenever its data allows (a denominator above 0).
Shares carry numerator and denominator; times are in seconds; means carry their count.
Each statistic also carries, as data, its report section, its measure and the parameters
its id is written from (``Key``): readers take them from there, never from the id. One
function computes each section of the seed reports; ``edition_statistics`` calls them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from ..methodology import Methodology
from ..values import is_missing
from .tables import Tables

CONTACT_FAMILIES = ("written", "phone", "chat", "callback")
WRITTEN = ("email", "contact_form")
HOUR = 3600.0
GOOD_QUALITY = 3.0  # points: an e-mail answer "of good quality" in the fast-and-good share
# Answer defects and correspondence culture (seed 004 #8, #9), each from one rubric item:
# (id, rubric item, the mark counted, label). The share is over the answered probes on which
# the item is marked true or false; "n/a" and unmarked are left out of the denominator.
RUBRIC_SHARES = (
    ("no_solution", "next_step", False, "answered {probes}: offered no solution (no next step)"),
    (
        "data_unexplained",
        "data_request_explained",
        False,
        "answered {probes} that asked for data: did not say why",
    ),
    (
        "polite_literate",
        "polite_literate",
        True,
        "answered {probes}: polite, with correct spelling and punctuation",
    ),
    (
        "personal",
        "personal",
        True,
        "answered {probes}: personal (greets the customer, signed by a person)",
    ),
)


# The report section of every measure (a statistic's id without its parameters): the one
# table that places a statistic in the edition report (``render/sentences.SECTIONS``).
SECTION_OF = {
    "channel_offered": "channels",
    "all_contact_families": "channel-mix",
    "email_only": "channel-mix",
    "callback_offered": "channel-mix",
    "proactive_chat": "channel-mix",
    "chat_only": "channel-mix",
    "chat_only_bot_only": "channel-mix",
    "companies_redirecting": "channel-mix",
    "language": "languages-countries",
    "country": "languages-countries",
    "hours_published": "promises",
    "email_declared": "promises",
    "chat_declared": "promises",
    "callback_declared": "promises",
    "callback_never": "callback",
    "callback_max_undeclared": "callback",
    "callback_median": "callback",
    "chat_promise_kept": "chat",
    "chat_tail_5min": "chat",
    "chatbot_share": "chat",
    "bot_only": "chat",
    "bot_first": "chat",
    "bot_first_no_person": "chat",
    "email_within_6h": "email",
    "marketing_after_no_answer": "email",
    "fast_good_email": "email",
    "email_quality_mean": "email",
    "email_quality_ratio": "email",
    "within": "thresholds",
    "response_rate": "response-rates",
    "median_reply": "reply-times",
    "mean_reply": "reply-times",
    "next_day": "shortfalls",
    "not_answered_at_once": "shortfalls",
    "redirect": "shortfalls",
    "no_solution": "answer-defects",
    "data_unexplained": "answer-defects",
    "polite_literate": "correspondence",
    "personal": "correspondence",
    "helpdesk": "helpdesk",
    "helpdesk_quality_ratio": "helpdesk",
    "helpdesk_speed_ratio": "helpdesk",
}


@dataclass(frozen=True, slots=True)
class Key:
    """What a statistic measures, as data: its measure and the parameters its id is made of.

    The id is written from them (``response_rate_email``, ``within_written_3600s``), so no
    reader of a statistic parses an id back into its parts: it reads these fields.
    """

    measure: str
    channel: str | None = None  # a channel type: response_rate_email
    family: str | None = None  # a channel family: within_written_3600s, response_rate_social
    language: str | None = None  # language_pl
    country: str | None = None  # country_PL
    seconds: int | None = None  # a reference or declared time: chat_declared_30s

    @property
    def id(self) -> str:
        """The statistic's id: the measure, then each parameter given, seconds as ``…s``."""
        words = [self.measure, self.channel, self.family, self.language, self.country]
        if self.seconds is not None:
            words.append(f"{self.seconds}s")
        return "_".join(w for w in words if w)


PARAMETERS = tuple(f.name for f in fields(Key) if f.name != "measure")  # in the id's order


@dataclass(frozen=True, slots=True)
class Stat:
    """One figure of an edition report: its key (measure and parameters) and its numbers."""

    edition: str
    key: Key
    label: str
    value: float | None
    numerator: float | None
    denominator: int
    unit: str  # share, seconds, points, count, ratio
    segment: str = "all"
    compared: tuple[str, str] | None = None  # a ratio of two sectors: (numerator's, denominator's)

    @property
    def id(self) -> str:
        """The statistic's stable id, written from its key."""
        return self.key.id

    @property
    def section(self) -> str:
        """The key of the report section that shows the statistic."""
        return SECTION_OF[self.key.measure]

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, value rounded for a stable export; then the section and parameters.

        The export writes the columns it declares (``export.TABLES``), not the parameters.
        """
        value = None if self.value is None or is_missing(self.value) else round(self.value, 6)
        num = None if self.numerator is None else round(float(self.numerator), 6)
        return {
            "edition": self.edition,
            "id": self.id,
            "segment": self.segment,
            "label": self.label,
            "value": value,
            "numerator": num,
            "denominator": int(self.denominator),
            "unit": self.unit,
            "section": self.section,
            "measure": self.key.measure,
            **{name: getattr(self.key, name) for name in PARAMETERS},
            "ratio_of": self.compared[0] if self.compared else None,
            "ratio_to": self.compared[1] if self.compared else None,
        }


# The columns of a company's first e-mail probe that the per-company indicators read.
EMAIL_COLUMNS = ["channel", "reply_seconds", "quality_points"]


def _key(key: Key | str) -> Key:
    return key if isinstance(key, Key) else Key(key)


class _Collector:
    """The statistics of one section of an edition, each kept only when its data allows."""

    def __init__(self, edition: str) -> None:
        self.edition = edition
        self.stats: list[Stat] = []

    def share(self, key: Key | str, label: str, mask: pd.Series, segment: str = "all") -> None:
        values = mask.to_numpy()
        present = ~pd.isna(values)
        n = int(present.sum())
        if n:  # the marks are 0 and 1: their sum is exact in any order
            k = float(values[present].astype(float).sum())
            self.stats.append(Stat(self.edition, _key(key), label, k / n, k, n, "share", segment))

    def value(
        self,
        key: Key | str,
        label: str,
        values: pd.Series,
        how: str,
        unit: str,
        segment: str = "all",
    ) -> None:
        v = values.dropna()
        if len(v):
            result = v.median() if how == "median" else v.mean() if how == "mean" else v.max()
            self.stats.append(
                Stat(self.edition, _key(key), label, float(result), None, len(v), unit, segment)
            )

    def count(self, key: Key | str, label: str, mask: pd.Series, segment: str = "all") -> None:
        n = len(mask)
        if n:
            k = int(mask.sum())
            self.stats.append(
                Stat(self.edition, _key(key), label, float(k), k, n, "count", segment)
            )

    def ratio(
        self,
        key: Key | str,
        label: str,
        a: float | None,
        b: float | None,
        n: int,
        segment: str = "all",
        compared: tuple[str, str] | None = None,
    ) -> None:
        if a is not None and b and not is_missing(a) and not is_missing(b):
            stat = Stat(self.edition, _key(key), label, a / b, None, n, "ratio", segment, compared)
            self.stats.append(stat)


def _mean(values: pd.Series) -> float | None:
    v = values.dropna()
    return float(v.mean()) if len(v) else None


def marked(probes: pd.DataFrame, item: str, mark: bool) -> pd.Series:
    """Per probe: 1.0 where rubric ``item`` is marked ``mark``, 0.0 where marked otherwise.

    NaN where the probe was not answered (by a person, in time), or the item is "n/a",
    unmarked or not in the methodology: a share over it counts only the probes it applies to.
    """
    column = f"q_{item}"
    if column not in probes.columns:
        return pd.Series(np.nan, index=probes.index, dtype=float)
    marks = probes[column].astype(float).where(probes["answered"].astype(bool))
    return (marks == float(mark)).astype(float).where(marks.notna())


def _median(values: pd.Series) -> float | None:
    v = values.dropna()
    return float(v.median()) if len(v) else None


@dataclass(frozen=True, slots=True)
class _Edition:
    """One edition's frames, cut once, that every section reads."""

    name: str
    method: Methodology
    audits: pd.DataFrame
    companies: pd.DataFrame  # one row per audit, in the audits' order
    channels: pd.DataFrame
    probes: pd.DataFrame
    slugs: pd.Series  # the audited companies, in the audits' order
    types: pd.Series  # per company: the channel types it offers
    contact: pd.Series  # per company: the channel types that are not self-service
    families: pd.Series  # per company: the families of its contact channels
    sector: pd.Series  # per company: its sector
    bots: pd.DataFrame  # the chatbot channels, by slug
    bot_only_slugs: frozenset[str]  # companies whose chatbot neither hands off nor follows up
    first_email: pd.DataFrame  # each company's first e-mail probe, by slug (EMAIL_COLUMNS)


def _edition(
    tables: Tables, probes: pd.DataFrame, edition: str, method: Methodology
) -> _Edition | None:
    """The frames of one edition; None when it has no audits."""
    audits = tables.audits[tables.audits["edition"] == edition]
    if not len(audits):
        return None
    companies = tables.companies.set_index("slug").loc[audits["slug"]].reset_index()
    channels = tables.channels[tables.channels["edition"] == edition]
    slugs = audits["slug"]
    offered: dict[str, set[str]] = {}
    for slug, ctype in zip(channels["slug"], channels["type"], strict=True):
        offered.setdefault(slug, set()).add(ctype)
    types = pd.Series(
        [frozenset(offered.get(slug, ())) for slug in slugs], index=slugs.to_numpy(), dtype=object
    )
    # companies share a few sets of channel types: each set's contact types are found once
    contact_of = {
        ts: frozenset(t for t in ts if method.families[t] != "self_service") for ts in set(types)
    }
    contact = types.map(contact_of.__getitem__)
    families_of = {ts: frozenset(method.families[t] for t in ts) for ts in set(contact)}
    bots = channels[channels["type"] == "chatbot"].set_index("slug")
    edition_probes = probes[probes["edition"] == edition]
    hands_over = bots["handoff"].fillna(False).astype(bool) | bots["follows_up"].fillna(
        False
    ).astype(bool)
    return _Edition(
        name=edition,
        method=method,
        audits=audits,
        companies=companies,
        channels=channels,
        probes=edition_probes,
        slugs=slugs,
        types=types,
        contact=contact,
        families=contact.map(families_of.__getitem__),
        sector=companies.set_index("slug")["sector"].reindex(slugs),
        bots=bots,
        bot_only_slugs=frozenset(bots.index[~hands_over]),
        first_email=edition_probes.loc[
            edition_probes["channel"] == "email", ["slug", *EMAIL_COLUMNS]
        ]
        .groupby("slug")
        .first(),
    )


def _channel_mix(e: _Edition) -> list[Stat]:
    """Channel mix (seed 000 #1, #2, #3, #4): what is offered, and reach by one kind alone."""
    c = _Collector(e.name)
    for ctype in sorted(e.method.families):
        offered = e.types.map(lambda ts, t=ctype: t in ts)
        if offered.any():
            c.share(
                Key("channel_offered", channel=ctype), f"offer {ctype.replace('_', ' ')}", offered
            )
    c.share(
        "all_contact_families",
        "offer every contact channel (written, phone, chat, callback)",
        e.families.map(lambda fs: all(f in fs for f in CONTACT_FAMILIES)),
    )
    c.share(
        "email_only",
        "rely on email or a contact form only",
        e.contact.map(lambda ts: bool(ts) and ts <= set(WRITTEN)),
    )
    chat_only = e.contact.map(lambda ts: bool(ts) and ts <= {"live_chat", "chatbot"})
    c.count("chat_only", "rely on chat only", chat_only)
    c.count(
        "chat_only_bot_only",
        "rely on chat only, with a bot only",
        chat_only
        & e.contact.map(lambda ts: ts == {"chatbot"})
        & e.slugs.isin(e.bot_only_slugs).to_numpy(),
    )
    return c.stats


def _languages_countries(e: _Edition) -> list[Stat]:
    """Languages and countries (seed 000 #5)."""
    c = _Collector(e.name)
    languages = e.companies["languages"]
    for lang in sorted({x for v in languages for x in v.split(",")}):
        c.share(
            Key("language", language=lang),
            f"site in language {lang}",
            languages.map(lambda v, lg=lang: lg in v.split(",")),
        )
    for country in sorted(e.companies["country"].unique()):
        c.share(
            Key("country", country=country),
            f"based in {country}",
            e.companies["country"] == country,
        )
    return c.stats


def _hours(e: _Edition) -> list[Stat]:
    """Published hours (seed 000 #6)."""
    c = _Collector(e.name)
    c.share("hours_published", "publish their customer-service hours", e.audits["hours_published"])
    return c.stats


def _callback(e: _Edition) -> list[Stat]:
    """Web callback (seed 000 #7-#10): offered, declared, returned and how fast."""
    c = _Collector(e.name)
    cb = e.channels[e.channels["type"] == "web_callback"]
    c.share("callback_offered", "offer a web callback", e.slugs.isin(cb["slug"]))
    if not len(cb):
        return c.stats
    c.share(
        "callback_declared",
        "of those offering a callback: declare a callback time",
        cb["declared_seconds"].notna(),
    )
    cbp = e.probes[e.probes["channel"] == "web_callback"]
    c.share("callback_never", "of callback probes: never called back", ~cbp["answered"])
    undeclared = cbp[cbp["declared_seconds"].isna()]
    c.value(
        "callback_max_undeclared",
        "longest call-back time without a declaration",
        undeclared["reply_seconds"],
        "max",
        "seconds",
    )
    c.value("callback_median", "median call-back time", cbp["reply_seconds"], "median", "seconds")
    return c.stats


def _chat(e: _Edition) -> list[Stat]:
    """Chat (seed 000 #11-#16): proactive, declared times, promises kept, bots."""
    c = _Collector(e.name)
    live = e.channels[e.channels["type"] == "live_chat"]
    c.share(
        "proactive_chat",
        "use a proactive live chat",
        e.slugs.isin(live.loc[live["proactive"].fillna(False).astype(bool), "slug"]),
    )
    if len(live):
        c.share(
            "chat_declared",
            "of live chats: declare a response time",
            live["declared_seconds"].notna(),
        )
        for secs in sorted(live["declared_seconds"].dropna().unique()):
            c.share(
                Key("chat_declared", seconds=int(secs)),
                f"of live chats: declare {int(secs)} s",
                live["declared_seconds"] == secs,
            )
    chat_probes = e.probes[e.probes["channel"] == "live_chat"]
    c.share(
        "chat_promise_kept",
        "of chat probes with a declared time: the promise was kept",
        chat_probes["promise_kept"],
    )
    c.share(
        "chat_tail_5min",
        "of chat probes: no reply by a person within 5 minutes",
        ~(chat_probes["reply_seconds"].fillna(np.inf) <= 300)
        if len(chat_probes)
        else chat_probes["answered"],
    )
    chat_types = ["live_chat", "chatbot"]
    chat_any = e.slugs.isin(e.channels.loc[e.channels["type"].isin(chat_types), "slug"])
    if chat_any.any():
        c.share(
            "chatbot_share",
            "of companies with chat: use a bot",
            e.slugs[chat_any].isin(e.bots.index),
        )
    if len(e.bots):
        c.share(
            "bot_only",
            "of chatbots: a bot only (no hand-off, no follow-up)",
            pd.Series(e.bots.index.isin(e.bot_only_slugs)),
        )
    return c.stats


def _email(e: _Edition) -> list[Stat]:
    """E-mail (seed 000 #17-#19): declared times, answers within 6 hours, marketing mail."""
    c = _Collector(e.name)
    pr = e.probes
    written = e.channels[e.channels["type"].isin(WRITTEN)]
    if len(written):
        declared = written["declared_seconds"].notna().groupby(written["slug"]).any()
        promised = pr[pr["channel"].isin(WRITTEN)]
        ack_promise = promised["ack_promised_seconds"].notna().groupby(promised["slug"]).any()
        c.share(
            "email_declared",
            "of companies with email or a form: declare a response time",
            declared | ack_promise.reindex(declared.index).eq(True),
        )  # NaN: no promise
    wp = pr[pr["channel"].isin(WRITTEN)]
    c.share(
        "email_within_6h",
        "of email/form probes: answered by a person within 6 hours",
        wp["reply_seconds"].fillna(np.inf) <= 6 * HOUR,
    )
    c.count(
        "marketing_after_no_answer",
        "probes answered with marketing mail instead",
        pr["marketing"] > 0,
    )
    return c.stats


def _thresholds(e: _Edition) -> list[Stat]:
    """Answered within each reference time of the methodology, per channel family."""
    c = _Collector(e.name)
    waited = e.probes["reply_seconds"].fillna(np.inf)
    for family, limits in e.method.thresholds.items():
        fp = waited[e.probes["family"] == family]
        for limit in limits:
            c.share(
                Key("within", family=family, seconds=int(limit)),
                f"{family} probes answered within {int(limit)} s",
                fp <= limit,
            )
    return c.stats


def _segments(e: _Edition) -> list[tuple[str, pd.DataFrame]]:
    """All probes, then each sector's when the edition has more than one."""
    segments = [("all", e.probes)]
    if e.sector.nunique() > 1:
        sectors = e.probes["slug"].map(e.sector)
        segments += [(str(s), e.probes[sectors == s]) for s in sorted(e.sector.unique())]
    return segments


def _by_channel(sp: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """Each channel of these probes, sorted, with the positions of its rows (in order)."""
    rows = {str(ch): np.asarray(pos) for ch, pos in sp.groupby("channel").indices.items()}
    return [(ch, rows[ch]) for ch in sorted(rows)]


def _per_channel(
    edition: str, seg: str, sp: pd.DataFrame, channels: list[tuple[str, np.ndarray]]
) -> list[Stat]:
    """Response rate, reply times, next-day and missed answers of each channel."""
    c = _Collector(edition)
    not_at_once = marked(sp, "answered_question", False)
    for ch, rows in channels:
        c.share(
            Key("response_rate", channel=ch),
            f"{ch} probes answered by a person",
            sp["answered"].iloc[rows],
            seg,
        )
        for how in ("median", "mean"):
            c.value(
                Key(f"{how}_reply", channel=ch),
                f"{how} {ch} reply time",
                sp["reply_seconds"].iloc[rows],
                how,
                "seconds",
                seg,
            )
        c.share(
            Key("next_day", channel=ch),
            f"answered {ch} probes: only on a later day",
            sp["next_day"].iloc[rows],
            seg,
        )
        c.share(
            Key("not_answered_at_once", channel=ch),
            f"answered {ch} probes: did not answer the actual question",
            not_at_once.iloc[rows],
            seg,
        )
    return c.stats


def _response_rates(edition: str, seg: str, sp: pd.DataFrame) -> list[Stat]:
    """Response rate of social media and of all probes, and the answers that redirect."""
    c = _Collector(edition)
    social = sp[sp["family"] == "social"]
    c.share(
        Key("response_rate", family="social"),
        "social probes answered by a person",
        social["answered"],
        seg,
    )
    c.share("response_rate", "probes answered by a person", sp["answered"], seg)
    c.share(
        "redirect",
        "answered probes that redirect to another channel",
        sp["redirected"].where(sp["answered"]),
        seg,
    )
    return c.stats


def _rubric_shares(
    edition: str, seg: str, sp: pd.DataFrame, channels: list[tuple[str, np.ndarray]]
) -> list[Stat]:
    """Answer defects and correspondence culture: all channels, then each channel."""
    c = _Collector(edition)
    for measure, item, mark, label in RUBRIC_SHARES:
        shares = marked(sp, item, mark)
        c.share(measure, label.format(probes="probes"), shares, seg)
        for ch, rows in channels:
            c.share(
                Key(measure, channel=ch),
                label.format(probes=f"{ch} probes"),
                shares.iloc[rows],
                seg,
            )
    return c.stats


def _answers(e: _Edition) -> list[Stat]:
    """Response rates, reply times, shortfalls and rubric shares: all probes, then by sector."""
    out: list[Stat] = []
    for seg, sp in _segments(e):
        channels = _by_channel(sp)
        out += _per_channel(e.name, seg, sp, channels)
        out += _response_rates(e.name, seg, sp)
        out += _rubric_shares(e.name, seg, sp, channels)
    return out


def _company_email(e: _Edition, seg: str, seg_slugs: pd.Series) -> list[Stat]:
    """Fast, good e-mail answers and their mean quality, over the companies e-mailed."""
    c = _Collector(e.name)
    email = _emailed(e, seg_slugs)
    if len(email):
        c.share(
            "fast_good_email",
            f"companies whose email got a reply within 1 hour with quality above {GOOD_QUALITY:g}",
            (email["reply_seconds"].fillna(np.inf) <= HOUR)
            & (email["quality_points"].fillna(0) > GOOD_QUALITY),
            seg,
        )
        c.value(
            "email_quality_mean",
            f"average email quality (points of {e.method.quality_scale:g})",
            email["quality_points"],
            "mean",
            "points",
            seg,
        )
    return c.stats


def _emailed(e: _Edition, seg_slugs: pd.Series) -> pd.DataFrame:
    """The first e-mail probe of each of these companies that was e-mailed, by slug."""
    email = e.first_email.reindex(seg_slugs)
    return email[email["channel"].notna()]


def _redirecting(e: _Edition, seg: str, seg_slugs: pd.Series) -> list[Stat]:
    """Companies that sent the customer to another channel at least once."""
    c = _Collector(e.name)
    redirected = e.probes.loc[e.probes["redirected"], "slug"]
    c.share(
        "companies_redirecting",
        "companies that redirect to another channel",
        seg_slugs.isin(redirected),
        seg,
    )
    return c.stats


def _helpdesk(e: _Edition, seg: str, seg_slugs: pd.Series) -> list[Stat]:
    """Helpdesk systems: their share, and e-mail quality and speed with one ÷ without."""
    c = _Collector(e.name)
    hd = e.companies.set_index("slug")["helpdesk"].reindex(seg_slugs)
    c.share(
        "helpdesk",
        "use a helpdesk system (of companies where known)",
        hd.map(lambda v: np.nan if is_missing(v) else float(bool(v))),
        seg,
    )
    email = _emailed(e, seg_slugs)
    if not len(email):
        return c.stats
    with_hd = hd.reindex(email.index)
    c.ratio(
        "helpdesk_quality_ratio",
        "email quality with a helpdesk ÷ without",
        _mean(email.loc[with_hd.eq(True), "quality_points"]),
        _mean(email.loc[with_hd.eq(False), "quality_points"]),
        len(email),
        seg,
    )
    c.ratio(
        "helpdesk_speed_ratio",
        "median email reply time with a helpdesk ÷ without",
        _median(email.loc[with_hd.eq(True), "reply_seconds"]),
        _median(email.loc[with_hd.eq(False), "reply_seconds"]),
        len(email),
        seg,
    )
    return c.stats


def _per_company(e: _Edition) -> list[Stat]:
    """Per company (seed 004 #5, #6, #11-#14): all companies, then each sector."""
    out: list[Stat] = []
    for seg in ["all", *sorted(e.sector.unique())]:
        seg_slugs = e.slugs if seg == "all" else e.slugs[e.sector.to_numpy() == seg]
        out += _company_email(e, seg, seg_slugs)
        out += _redirecting(e, seg, seg_slugs)
        out += _helpdesk(e, seg, seg_slugs)
    return out


def _quality_ratio(e: _Edition, per_company: list[Stat]) -> list[Stat]:
    """The mean e-mail quality of one sector ÷ the other's, when the edition has two."""
    c = _Collector(e.name)
    means = {
        s.segment: s.value
        for s in per_company
        if s.id == "email_quality_mean" and s.segment != "all" and s.value
    }
    if len(means) == 2:
        (hi, hi_v), (lo, lo_v) = sorted(means.items(), key=lambda kv: -float(kv[1] or 0))
        c.ratio(
            "email_quality_ratio",
            f"average email quality: {hi} ÷ {lo}",
            hi_v,
            lo_v,
            len(e.audits),
            compared=(hi, lo),
        )
    return c.stats


def _bots_first(e: _Edition) -> list[Stat]:
    """Bots among first replies, and whether a person followed."""
    c = _Collector(e.name)
    pr = e.probes
    c.share("bot_first", "probes first answered by a bot", pr["first_by"] == "bot")
    first_bot = pr[pr["first_by"] == "bot"]
    c.share(
        "bot_first_no_person",
        "probes first answered by a bot: no person followed",
        first_bot["human_at"].isna(),
    )
    return c.stats


def edition_statistics(
    tables: Tables, probes: pd.DataFrame, edition: str, method: Methodology
) -> list[Stat]:
    """Every indicator for one edition, section by section."""
    e = _edition(tables, probes, edition, method)
    if e is None:
        return []
    per_company = _per_company(e)
    return [
        *_channel_mix(e),
        *_languages_countries(e),
        *_hours(e),
        *_callback(e),
        *_chat(e),
        *_email(e),
        *_thresholds(e),
        *_answers(e),
        *per_company,
        *_quality_ratio(e, per_company),
        *_bots_first(e),
    ]


def statistics(
    tables: Tables, probes: pd.DataFrame, methods: dict[str, Methodology]
) -> pd.DataFrame:
    """Every indicator of every edition, as a table.

    Each row also carries its edition's ``quality_scale`` (the methodology's), which a
    sentence about quality points names; the export does not write it.
    """
    rows = []
    for _, e in tables.editions.sort_values("edition").iterrows():
        method = methods[e["methodology"]]
        rows += [
            {**s.as_dict(), "quality_scale": method.quality_scale}
            for s in edition_statistics(tables, probes, e["edition"], method)
        ]
    return pd.DataFrame(rows)
