"""Edition statistics: every indicator of the seed reports, each with its denominator.

An indicator is computed for an edition whenever its data allows (a denominator above 0).
Shares carry numerator and denominator; times are in seconds; means carry their count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..methodology import Methodology
from .tables import Tables

CONTACT_FAMILIES = ("written", "phone", "chat", "callback")
WRITTEN = ("email", "contact_form")
HOUR = 3600.0
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


@dataclass(frozen=True, slots=True)
class Stat:
    """One figure of an edition report."""

    edition: str
    id: str
    label: str
    value: float | None
    numerator: float | None
    denominator: int
    unit: str  # share, seconds, points, count, ratio
    segment: str = "all"

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, value rounded for a stable export."""
        value = None if self.value is None or np.isnan(self.value) else round(self.value, 6)
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
        }


class _Collector:
    def __init__(self, edition: str) -> None:
        self.edition = edition
        self.stats: list[Stat] = []

    def share(self, sid: str, label: str, mask: pd.Series, segment: str = "all") -> None:
        n = int(mask.notna().sum())
        if n:
            k = float(mask.dropna().astype(float).sum())
            self.stats.append(Stat(self.edition, sid, label, k / n, k, n, "share", segment))

    def value(
        self, sid: str, label: str, values: pd.Series, how: str, unit: str, segment: str = "all"
    ) -> None:
        v = values.dropna()
        if len(v):
            result = v.median() if how == "median" else v.mean() if how == "mean" else v.max()
            self.stats.append(
                Stat(self.edition, sid, label, float(result), None, len(v), unit, segment)
            )

    def count(self, sid: str, label: str, mask: pd.Series, segment: str = "all") -> None:
        n = len(mask)
        if n:
            k = int(mask.sum())
            self.stats.append(Stat(self.edition, sid, label, float(k), k, n, "count", segment))

    def ratio(
        self, sid: str, label: str, a: float | None, b: float | None, n: int, segment: str = "all"
    ) -> None:
        if a is not None and b and not np.isnan(a) and not np.isnan(b):
            self.stats.append(Stat(self.edition, sid, label, a / b, None, n, "ratio", segment))


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


def edition_statistics(
    tables: Tables, probes: pd.DataFrame, edition: str, method: Methodology
) -> list[Stat]:
    """Every indicator for one edition."""
    c = _Collector(edition)
    audits = tables.audits[tables.audits["edition"] == edition]
    companies = tables.companies.set_index("slug").loc[audits["slug"]].reset_index()
    channels = tables.channels[tables.channels["edition"] == edition]
    pr = probes[probes["edition"] == edition]
    slugs = audits["slug"]
    n = len(audits)
    if not n:
        return []
    by_slug = channels.groupby("slug")
    types = (
        by_slug["type"]
        .agg(frozenset)
        .reindex(slugs)
        .map(lambda v: v if isinstance(v, frozenset) else frozenset())
    )
    contact = types.map(lambda ts: frozenset(t for t in ts if method.families[t] != "self_service"))
    families = contact.map(lambda ts: frozenset(method.families[t] for t in ts))
    sector = companies.set_index("slug")["sector"].reindex(slugs)

    # channel mix (seed 000 #1, #2, #3, #4)
    for ctype in sorted(method.families):
        offered = types.map(lambda ts, t=ctype: t in ts)
        if offered.any():
            c.share(f"channel_offered_{ctype}", f"offer {ctype.replace('_', ' ')}", offered)
    c.share(
        "all_contact_families",
        "offer every contact channel (written, phone, chat, callback)",
        families.map(lambda fs: all(f in fs for f in CONTACT_FAMILIES)),
    )
    c.share(
        "email_only",
        "rely on email or a contact form only",
        contact.map(lambda ts: bool(ts) and ts <= set(WRITTEN)),
    )
    chat_only = contact.map(lambda ts: bool(ts) and ts <= {"live_chat", "chatbot"})
    c.count("chat_only", "rely on chat only", chat_only)
    bots = channels[channels["type"] == "chatbot"].set_index("slug")
    bot_only_slugs = set(
        bots.index[
            ~(
                bots["handoff"].fillna(False).astype(bool)
                | bots["follows_up"].fillna(False).astype(bool)
            )
        ]
    )
    c.count(
        "chat_only_bot_only",
        "rely on chat only, with a bot only",
        chat_only
        & contact.map(lambda ts: ts == {"chatbot"})
        & slugs.isin(bot_only_slugs).to_numpy(),
    )
    # languages and countries (seed 000 #5)
    for lang in sorted({x for v in companies["languages"] for x in v.split(",")}):
        c.share(
            f"language_{lang}",
            f"site in language {lang}",
            companies["languages"].map(lambda v, lg=lang: lg in v.split(",")),
        )
    for country in sorted(companies["country"].unique()):
        c.share(f"country_{country}", f"based in {country}", companies["country"] == country)
    # hours (seed 000 #6)
    c.share("hours_published", "publish their customer-service hours", audits["hours_published"])

    # web callback (seed 000 #7-#10)
    cb = channels[channels["type"] == "web_callback"]
    c.share("callback_offered", "offer a web callback", slugs.isin(cb["slug"]))
    if len(cb):
        c.share(
            "callback_declared",
            "of those offering a callback: declare a callback time",
            cb["declared_seconds"].notna(),
        )
        cbp = pr[pr["channel"] == "web_callback"]
        c.share("callback_never", "of callback probes: never called back", ~cbp["answered"])
        undeclared = cbp[cbp["declared_seconds"].isna()]
        c.value(
            "callback_max_undeclared",
            "longest call-back time without a declaration",
            undeclared["reply_seconds"],
            "max",
            "seconds",
        )
        c.value(
            "callback_median", "median call-back time", cbp["reply_seconds"], "median", "seconds"
        )

    # chat (seed 000 #11-#16)
    live = channels[channels["type"] == "live_chat"]
    c.share(
        "proactive_chat",
        "use a proactive live chat",
        slugs.isin(live.loc[live["proactive"].fillna(False).astype(bool), "slug"]),
    )
    if len(live):
        c.share(
            "chat_declared",
            "of live chats: declare a response time",
            live["declared_seconds"].notna(),
        )
        for secs in sorted(live["declared_seconds"].dropna().unique()):
            c.share(
                f"chat_declared_{int(secs)}s",
                f"of live chats: declare {int(secs)} s",
                live["declared_seconds"] == secs,
            )
    chat_probes = pr[pr["channel"] == "live_chat"]
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
    chat_any = slugs.isin(channels.loc[channels["type"].isin(["live_chat", "chatbot"]), "slug"])
    if chat_any.any():
        c.share(
            "chatbot_share", "of companies with chat: use a bot", slugs[chat_any].isin(bots.index)
        )
    if len(bots):
        c.share(
            "bot_only",
            "of chatbots: a bot only (no hand-off, no follow-up)",
            pd.Series(bots.index.isin(bot_only_slugs)),
        )

    # email (seed 000 #17-#19)
    written = channels[channels["type"].isin(WRITTEN)]
    if len(written):
        declared = written.groupby("slug")["declared_seconds"].apply(lambda s: s.notna().any())
        ack_promise = (
            pr[pr["channel"].isin(WRITTEN)]
            .groupby("slug")["ack_promised_seconds"]
            .apply(lambda s: s.notna().any())
        )
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

    # thresholds, reply times, response rates, next day, per channel and family
    for family, limits in method.thresholds.items():
        fp = pr[pr["family"] == family]
        for limit in limits:
            c.share(
                f"within_{family}_{int(limit)}s",
                f"{family} probes answered within {int(limit)} s",
                fp["reply_seconds"].fillna(np.inf) <= limit,
            )
    segments = [("all", pr)]
    if sector.nunique() > 1:
        segments += [(str(s), pr[pr["slug"].map(sector) == s]) for s in sorted(sector.unique())]
    for seg, sp in segments:
        for ch in sorted(sp["channel"].unique()):
            cp = sp[sp["channel"] == ch]
            c.share(f"response_rate_{ch}", f"{ch} probes answered by a person", cp["answered"], seg)
            c.value(
                f"median_reply_{ch}",
                f"median {ch} reply time",
                cp["reply_seconds"],
                "median",
                "seconds",
                seg,
            )
            c.value(
                f"mean_reply_{ch}",
                f"mean {ch} reply time",
                cp["reply_seconds"],
                "mean",
                "seconds",
                seg,
            )
            c.share(
                f"next_day_{ch}", f"answered {ch} probes: only on a later day", cp["next_day"], seg
            )
            c.share(
                f"not_answered_at_once_{ch}",
                f"answered {ch} probes: did not answer the actual question",
                marked(cp, "answered_question", False),
                seg,
            )
        social = sp[sp["family"] == "social"]
        c.share(
            "response_rate_social", "social probes answered by a person", social["answered"], seg
        )
        c.share("response_rate", "probes answered by a person", sp["answered"], seg)
        c.share(
            "redirect",
            "answered probes that redirect to another channel",
            sp["redirected"].where(sp["answered"]),
            seg,
        )
        # answer defects and correspondence culture: all channels, then each channel
        for sid, item, mark, label in RUBRIC_SHARES:
            c.share(sid, label.format(probes="probes"), marked(sp, item, mark), seg)
            for ch in sorted(sp["channel"].unique()):
                c.share(
                    f"{sid}_{ch}",
                    label.format(probes=f"{ch} probes"),
                    marked(sp[sp["channel"] == ch], item, mark),
                    seg,
                )

    # per company (seed 004 #5, #6, #11-#14)
    email = pr[pr["channel"] == "email"].groupby("slug").first()
    for seg in ["all", *sorted(sector.unique())]:
        seg_slugs = slugs if seg == "all" else slugs[sector.to_numpy() == seg]
        e = email.reindex(seg_slugs)
        e = e[e["channel"].notna()]
        if len(e):
            c.share(
                "fast_good_email",
                "companies whose email got a reply within 1 hour with quality above 3",
                (e["reply_seconds"].fillna(np.inf) <= HOUR) & (e["quality_points"].fillna(0) > 3),
                seg,
            )
            c.value(
                "email_quality_mean",
                "average email quality (points of 5)",
                e["quality_points"],
                "mean",
                "points",
                seg,
            )
        redirected = pr[pr["redirected"]].groupby("slug").size()
        c.share(
            "companies_redirecting",
            "companies that redirect to another channel",
            seg_slugs.isin(redirected.index),
            seg,
        )
        hd = companies.set_index("slug")["helpdesk"].reindex(seg_slugs)
        c.share(
            "helpdesk",
            "use a helpdesk system (of companies where known)",
            hd.map(lambda v: np.nan if v is None or pd.isna(v) else float(bool(v))),
            seg,
        )
        if len(e):
            ehd = hd.reindex(e.index)
            with_q, without_q = (
                _mean(e.loc[ehd.eq(True), "quality_points"]),
                _mean(e.loc[ehd.eq(False), "quality_points"]),
            )
            c.ratio(
                "helpdesk_quality_ratio",
                "email quality with a helpdesk ÷ without",
                with_q,
                without_q,
                len(e),
                seg,
            )
            c.ratio(
                "helpdesk_speed_ratio",
                "median email reply time with a helpdesk ÷ without",
                _median(e.loc[ehd.eq(True), "reply_seconds"]),
                _median(e.loc[ehd.eq(False), "reply_seconds"]),
                len(e),
                seg,
            )
    means = {
        s.segment: s.value
        for s in c.stats
        if s.id == "email_quality_mean" and s.segment != "all" and s.value
    }
    if len(means) == 2:
        (hi, hi_v), (lo, lo_v) = sorted(means.items(), key=lambda kv: -float(kv[1] or 0))
        c.ratio("email_quality_ratio", f"average email quality: {hi} ÷ {lo}", hi_v, lo_v, n)
    # bots among first replies
    c.share("bot_first", "probes first answered by a bot", pr["first_by"] == "bot")
    first_bot = pr[pr["first_by"] == "bot"]
    c.share(
        "bot_first_no_person",
        "probes first answered by a bot: no person followed",
        first_bot["human_at"].isna(),
    )
    return c.stats


def statistics(
    tables: Tables, probes: pd.DataFrame, methods: dict[str, Methodology]
) -> pd.DataFrame:
    """Every indicator of every edition, as a table."""
    rows = []
    for _, e in tables.editions.sort_values("edition").iterrows():
        rows += [
            s.as_dict()
            for s in edition_statistics(tables, probes, e["edition"], methods[e["methodology"]])
        ]
    return pd.DataFrame(rows)
