#!/usr/bin/env python3
"""Generate CCR's demo data: two fictional editions, or a synthetic data set for scale tests.

Run from the repository root:

    python scripts/generate_demo.py                    # rewrite data/editions + data/companies
    python scripts/generate_demo.py --out DIR          # the same files under DIR/
    python scripts/generate_demo.py --count 10000 --out /tmp/ccr-scale   # synthetic companies

The demo editions are modelled on two published studies (129 Polish software houses, 2019;
417 Russian online shops and services, 2016), but every company is invented: ``fictional: true``,
an invented name and a ``.example`` domain. Outcomes are assigned by shuffled quotas so that the
studies' headline figures come out of the data exactly (docs/demo-data.md lists them).

Everything is drawn from ``random.Random(SEED)`` in a fixed order and written by a small,
deterministic YAML emitter: the output is byte-identical on every run and on every machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from statistics import NormalDist
from typing import Any

SEED = 20190415
ROOT = Path(__file__).resolve().parent.parent

COMPANY_HEADER = "# yaml-language-server: $schema=../../benchmark/schemas/company.schema.json\n"
EDITION_HEADER = "# yaml-language-server: $schema=../../benchmark/schemas/edition.schema.json\n"

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
# How likely each rubric item is to be among the items an answer meets.
ITEM_WEIGHTS = {
    "polite_literate": 9.0,
    "answered_question": 8.0,
    "no_needless_redirect": 7.0,
    "personal": 5.0,
    "next_step": 5.0,
    "complete_correct": 4.0,
    "data_request_explained": 3.0,
    "went_beyond": 1.0,
}
CHANNEL_ORDER = (
    "email", "contact_form", "phone", "live_chat", "chatbot", "web_callback",
    "facebook", "instagram", "x", "linkedin", "vkontakte", "telegram", "whatsapp",
    "faq", "knowledge_base", "community", "mobile_app",
)  # fmt: skip
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CET = timezone(timedelta(hours=1))  # Poland, January-March 2019 (DST began on 31 March)
MSK = timezone(timedelta(hours=3))  # Moscow, permanently UTC+3 since 2014
NORMAL = NormalDist()


# --------------------------------------------------------------------------------------------
# YAML emitter: block style, fixed key order, conservative quoting. Much faster than
# yaml.safe_dump and independent of the PyYAML version.
# --------------------------------------------------------------------------------------------

_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9 _./,()+-]*[A-Za-z0-9_./)-]|[A-Za-z]")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9_./+-]*")
# Text that folds safely: printable, single spaces, no leading or trailing blanks.
_FOLDABLE = re.compile(r"[^\s](?:[^\s]| (?! ))*[^\s]")
WIDTH = 100
_RESERVED = frozenset(
    ("y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "e")
)


def _scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    if "\n" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _emit_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            if value:
                out.append(f"{pad}{key}:")
                _emit_mapping(value, indent + 2, out)
            else:
                out.append(f"{pad}{key}: {{}}")
        elif isinstance(value, list):
            if not value:
                out.append(f"{pad}{key}: []")
            elif all(not isinstance(item, dict | list) for item in value):
                out.append(f"{pad}{key}: [" + ", ".join(_scalar(v, True) for v in value) + "]")
            else:
                out.append(f"{pad}{key}:")
                _emit_sequence(value, indent + 2, out)
        else:
            line = f"{pad}{key}: {_scalar(value)}"
            if len(line) > WIDTH and isinstance(value, str) and _foldable(value):
                out.append(f"{pad}{key}: >-")
                _fold(value, indent + 2, out)
            else:
                out.append(line)


def _foldable(text: str) -> bool:
    return text.isprintable() and _FOLDABLE.fullmatch(text) is not None


def _fold(text: str, indent: int, out: list[str]) -> None:
    """Append ``text`` as the lines of a folded block scalar, wrapped at spaces."""
    pad = " " * indent
    line = ""
    for word in text.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > WIDTH:
            out.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(pad + line)


def _emit_sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            start = len(out)
            _emit_mapping(item, indent + 2, out)
            out[start] = pad + "- " + out[start][indent + 2 :]
        elif isinstance(item, dict | list):
            raise ValueError("nested empty containers in sequences are not emitted")
        else:
            out.append(f"{pad}- {_scalar(item)}")


def to_yaml(document: dict[str, Any], header: str = "") -> str:
    """Return ``document`` as block-style YAML text, preceded by ``header``."""
    out: list[str] = []
    _emit_mapping(document, 0, out)
    return header + "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Channel:
    """A contact channel a company offers."""

    type: str
    proactive: bool | None = None
    handoff: bool | None = None
    follows_up: bool | None = None
    declared: dict[str, str] | None = None
    notes: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the channel in file order."""
        out: dict[str, Any] = {"type": self.type}
        if self.proactive is not None:
            out["proactive"] = self.proactive
        if self.handoff is not None:
            out["handoff"] = self.handoff
        if self.follows_up is not None:
            out["follows_up"] = self.follows_up
        if self.declared is not None:
            out["declared_response_time"] = self.declared
        if self.notes is not None:
            out["notes"] = self.notes
        return out


@dataclass(eq=False)
class Probe:
    """One question sent, and what came back."""

    channel: str
    script: str
    sent: datetime
    ack_at: datetime | None = None
    ack_quote: str | None = None
    ack_promised: str | None = None
    first_at: datetime | None = None
    first_by: str | None = None
    human_at: datetime | None = None
    redirected_to: str | None = None
    quality: dict[str, bool | str] | None = None
    marketing: int | None = None
    notes: str | None = None
    # generation-only attributes (never written)
    sector: str = ""
    helpdesk: bool = False
    company: int = -1
    aq: bool | None = None

    def reply(self, moment: datetime) -> None:
        """Record a human reply at ``moment``, after an automatic first response if one came."""
        if self.first_by in ("bot", "auto_reply"):
            self.human_at = moment
        else:
            self.first_at, self.first_by = moment, "human"

    @property
    def human_reply_at(self) -> datetime | None:
        """When a person first replied, if anyone did."""
        if self.first_by == "human":
            return self.first_at
        return self.human_at

    def human_delay(self) -> float | None:
        """Seconds from sending to the first human reply."""
        at = self.human_reply_at
        return None if at is None else (at - self.sent).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        """Return the probe in file order."""
        out: dict[str, Any] = {
            "channel": self.channel,
            "script": self.script,
            "sent_at": iso(self.sent),
        }
        if self.ack_at is not None:
            ack: dict[str, Any] = {"at": iso(self.ack_at)}
            if self.ack_promised:
                ack["promised"] = self.ack_promised
            if self.ack_quote:
                ack["quote"] = self.ack_quote
            out["acknowledgement"] = ack
        out["first_response"] = (
            None if self.first_at is None else {"at": iso(self.first_at), "by": self.first_by}
        )
        if self.human_at is not None:
            out["human_response"] = {"at": iso(self.human_at)}
        if self.redirected_to is not None:
            out["redirected_to"] = self.redirected_to
        if self.quality is not None:
            out["quality"] = self.quality
        if self.marketing is not None:
            out["marketing_after_no_answer"] = self.marketing
        if self.notes is not None:
            out["notes"] = self.notes
        return out


@dataclass(eq=False)
class Company:
    """A fictional company and its audit in one edition."""

    slug: str
    name: str
    sector: str
    country: str
    languages: list[str]
    edition: str
    helpdesk: dict[str, Any] | None = None
    started: date | None = None
    ended: date | None = None
    channels: list[Channel] = field(default_factory=list)
    support_hours: dict[str, Any] | None = None
    probes: list[Probe] = field(default_factory=list)
    notes: str | None = None
    corrections: list[dict[str, str]] | None = None
    statement: dict[str, str] | None = None

    def channel(self, kind: str) -> Channel | None:
        """Return the channel of type ``kind``, if offered."""
        for ch in self.channels:
            if ch.type == kind:
                return ch
        return None

    def as_dict(self) -> dict[str, Any]:
        """Return the company file's document in a readable key order."""
        assert self.started is not None
        assert self.ended is not None
        channels = sorted(self.channels, key=lambda c: CHANNEL_ORDER.index(c.type))
        probes = sorted(self.probes, key=lambda p: (p.sent, CHANNEL_ORDER.index(p.channel)))
        audit: dict[str, Any] = {
            "edition": self.edition,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "channels": [c.as_dict() for c in channels],
            "support_hours": self.support_hours,
            "probes": [p.as_dict() for p in probes],
        }
        if self.notes is not None:
            audit["notes"] = self.notes
        out: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "website": f"https://{self.slug}.example",
            "sector": self.sector,
            "country": self.country,
            "languages": self.languages,
        }
        if self.helpdesk is not None:
            out["helpdesk"] = self.helpdesk
        out["fictional"] = True
        out["audits"] = [audit]
        if self.corrections:
            out["corrections"] = self.corrections
        if self.statement:
            out["statement"] = self.statement
        return out


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def quota(rng: random.Random, n: int, k: int) -> list[bool]:
    """Exactly ``k`` True among ``n`` flags, in shuffled order."""
    if not 0 <= k <= n:
        raise ValueError(f"quota {k} of {n}")
    flags = [True] * k + [False] * (n - k)
    rng.shuffle(flags)
    return flags


def pick(rng: random.Random, items: list[Any], k: int) -> list[Any]:
    """Exactly ``k`` of ``items`` (in their original order)."""
    flags = quota(rng, len(items), k)
    return [item for item, flag in zip(items, flags, strict=True) if flag]


def loguniform(rng: random.Random, low: float, high: float) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def quantile_delays(n: int, median: float, sigma: float, low: float, high: float) -> list[int]:
    """``n`` delays in seconds at evenly spaced quantiles of a log-normal distribution."""
    out = []
    for i in range(n):
        z = NORMAL.inv_cdf((i + 0.5) / n)
        out.append(int(min(high, max(low, median * math.exp(sigma * z)))))
    return out


def weekdays(start: date, end: date, skip: tuple[date, ...] = ()) -> list[date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def at(day: date, minutes: int, tz: timezone, seconds: int = 0) -> datetime:
    """``minutes`` after midnight of ``day`` in ``tz``."""
    return datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
        minutes=minutes, seconds=seconds
    )


def working_time(
    moment: datetime, rng: random.Random, open_h: int = 8, close_h: int = 20
) -> datetime:
    """``moment`` if on a weekday between open_h and close_h, else the next such morning."""
    if moment.weekday() < 5 and open_h <= moment.hour < close_h:
        return moment
    day = moment.date()
    if moment.hour >= close_h or moment.weekday() >= 5:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    morning = at(day, open_h * 60, moment.tzinfo, 0)  # type: ignore[arg-type]
    return max(moment, morning + timedelta(seconds=rng.randrange(5 * 60, 150 * 60)))


def duration_seconds(text: str) -> int:
    match = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text)
    assert match, text
    d, h, m, s = (int(g or 0) for g in match.groups())
    return ((d * 24 + h) * 60 + m) * 60 + s


def marks(
    rng: random.Random, k: int, applicable: int, aq: bool, redirected: bool
) -> dict[str, Any]:
    """Rubric marks with exactly ``k`` of ``applicable`` (7 or 8) items met."""
    items = [r for r in RUBRIC if applicable == 8 or r != "data_request_explained"]
    forced_false = [] if aq else ["answered_question", "complete_correct", "went_beyond"]
    if redirected:
        forced_false.append("no_needless_redirect")
    met = ["answered_question"] if aq else []
    if not redirected:
        met.append("no_needless_redirect")
    pool = [r for r in items if r not in forced_false and r not in met]
    need = k - len(met)
    if not 0 <= need <= len(pool):
        raise ValueError(
            f"cannot meet {k} of {applicable} items (aq={aq}, redirected={redirected})"
        )
    for _ in range(need):
        total = sum(ITEM_WEIGHTS[r] for r in pool)
        x = rng.uniform(0.0, total)
        for r in pool:
            x -= ITEM_WEIGHTS[r]
            if x <= 0:
                break
        pool.remove(r)
        met.append(r)
    return {r: (r in met) if r in items else "n/a" for r in RUBRIC}


def k_bounds(applicable: int, aq: bool | None, redirected: bool) -> tuple[int, int]:
    """Least and most items an answer can meet given its forced marks."""
    high = applicable - (0 if aq in (True, None) else 3) - (1 if redirected else 0)
    low = max(1, (1 if aq is True else 0) + (0 if redirected else 1))
    return low, high


def fit_points(
    rng: random.Random,
    group: list[tuple[Probe, int, int, int]],
    target: float,
    tol: float,
) -> list[int]:
    """Choose items met per probe so the group's mean quality points is target ± tol.

    ``group`` holds (probe, applicable, least, most); returns the items met per probe.
    """
    ks = []
    for _, applicable, low, high in group:
        guess = round(rng.gauss(target / 5 * applicable, 1.3))
        ks.append(min(high, max(low, guess)))
    n = len(group)
    for _ in range(100_000):
        mean = sum(5 * k / g[1] for k, g in zip(ks, group, strict=True)) / n
        if abs(mean - target) <= tol:
            return _refine(ks, group, target) if n <= 60 else ks
        if mean < target:
            movable = [i for i, g in enumerate(group) if ks[i] < g[3]]
            step = 1
        else:
            movable = [i for i, g in enumerate(group) if ks[i] > g[2]]
            step = -1
        if not movable:
            break
        ks[rng.choice(movable)] += step
    raise RuntimeError(f"cannot reach mean quality {target} in a group of {n}")


def _refine(ks: list[int], group: list[tuple[Probe, int, int, int]], target: float) -> list[int]:
    """Move single probes, or pairs with 7 and 8 applicable items, while that nears the target."""
    goal = target * len(group)
    total = sum(5 * k / g[1] for k, g in zip(ks, group, strict=True))
    while True:
        best: tuple[float, list[tuple[int, int]]] = (abs(total - goal), [])
        for i, (_, a_i, low_i, high_i) in enumerate(group):
            for di in (1, -1):
                if not low_i <= ks[i] + di <= high_i:
                    continue
                moves = [[(i, di)]] + [
                    [(i, di), (j, -di)]
                    for j, (_, a_j, low_j, high_j) in enumerate(group)
                    if a_j != a_i and low_j <= ks[j] - di <= high_j
                ]
                for move in moves:
                    new = total + sum(5 * d / group[m][1] for m, d in move)
                    if abs(new - goal) < best[0] - 1e-9:
                        best = (abs(new - goal), move)
        if not best[1]:
            return ks
        for m, d in best[1]:
            ks[m] += d
            total += 5 * d / group[m][1]


def random_k(rng: random.Random, applicable: int, low: int, high: int) -> int:
    guess = round(rng.triangular(1, applicable, applicable * 0.7))
    return min(high, max(low, guess))


def apply_quality(rng: random.Random, probe: Probe, k: int, applicable: int) -> None:
    """Write marks for ``k`` items met, settling answered_question when it is not forced."""
    redirected = probe.redirected_to is not None
    aq = probe.aq
    if aq is None:
        aq = k >= (1 if redirected else 2) and not (k <= 2 and rng.random() < 0.5)
    probe.quality = marks(rng, k, applicable, aq, redirected)


def support_schedule(rng: random.Random, tz_name: str, website: str) -> dict[str, Any]:
    open_h = rng.choice((8, 8, 9, 9, 9, 10))
    close_h = open_h + rng.choice((8, 8, 9, 10))
    schedule = [
        {"days": list(WEEKDAYS[:5]), "open": f"{open_h:02d}:00", "close": f"{close_h:02d}:00"}
    ]
    if rng.random() < 0.2:
        schedule.append({"days": ["sat"], "open": "10:00", "close": "14:00"})
    return {"timezone": tz_name, "schedule": schedule, "source": f"{website}/contact"}


class Names:
    """Invented, unique company names: a made-up compound word and a kind word."""

    HEADS = (
        "Quill", "Brindle", "Corvid", "Dapple", "Fennel", "Gallow", "Hazel", "Juniper",
        "Kestrel", "Larch", "Marrow", "Nettle", "Osier", "Pebble", "Quince", "Rook",
        "Sorrel", "Thistle", "Umber", "Vellum", "Wren", "Yarrow", "Alder", "Bramble",
        "Cinder", "Ember", "Flint", "Gorse", "Heron", "Jasper", "Kelp", "Lichen", "Nimbus",
        "Otter", "Plover", "Russet", "Sable", "Tansy", "Vetch", "Bilberry", "Copper",
        "Damson", "Elder", "Fern", "Garnet", "Hollin", "Mallow", "Sedge", "Teasel", "Woad",
    )  # fmt: skip
    # No place-name endings (-ley, -mere, -combe, …): they would make real-sounding names.
    TAILS = (
        "mark", "loom", "wick", "forge", "crest", "wright", "burrow", "fold", "byte",
        "pixel", "spire", "quay", "lane", "nook", "lume", "glint", "rill", "sprig", "weft",
        "tack",
    )  # fmt: skip

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, kinds: tuple[str, ...]) -> tuple[str, str]:
        """Return (name, slug) for a new company."""
        while True:
            word = self.rng.choice(self.HEADS) + self.rng.choice(self.TAILS)
            if word not in self.used:
                break
        self.used.add(word)
        kind = self.rng.choice(kinds)
        name = f"{word} {kind}"
        return name, re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --------------------------------------------------------------------------------------------
# Edition A: software houses, Poland, Q1 2019
# --------------------------------------------------------------------------------------------

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


def build_software_houses(rng: random.Random, names: Names) -> tuple[dict[str, Any], list[Company]]:
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

    start_days = weekdays(date(2019, 1, 14), date(2019, 3, 8))
    companies: list[Company] = []
    for i in range(n):
        profile, country = profiles[i], countries[i]
        name, slug = names.new(SH_KINDS)
        tz_name, language_options = SH_COUNTRIES[country]
        c = Company(
            slug=slug, name=name, sector="software-house", country=country,
            languages=list(rng.choice(language_options)), edition=SH_EDITION,
        )  # fmt: skip
        c.started = rng.choice(start_days)
        c.ended = c.started + timedelta(days=14)
        families = {
            "written": "W", "chat_only": "C", "all4": "WPCB", "w_cb": "WB", "w_p_cb": "WPB",
            "w_chat": "WC", "w_p_chat": "WPC", "w_p": "WP",
        }[profile]  # fmt: skip
        if "W" in families:
            x = rng.random()
            if x < 0.45:
                c.channels.append(Channel("email"))
            elif x < 0.6:
                c.channels.append(Channel("contact_form"))
            else:
                c.channels += [Channel("email"), Channel("contact_form")]
        if "P" in families:
            c.channels.append(Channel("phone"))
        if "C" in families:
            if i in bot_kind:
                kind = bot_kind[i]
                c.channels.append(
                    Channel(
                        "chatbot",
                        handoff=kind in ("handoff", "both"),
                        follows_up=kind in ("follows_up", "both"),
                    )
                )
            else:
                c.channels.append(Channel("live_chat", proactive=proactive[i]))
        if "B" in families:
            c.channels.append(Channel("web_callback"))
        if profile not in ("written", "chat_only"):
            if rng.random() < 0.45:
                c.channels.append(Channel("facebook"))
            if rng.random() < 0.35:
                c.channels.append(Channel("linkedin"))
        if profile != "chat_only" and rng.random() < 0.3:
            c.channels.append(Channel("faq"))
        if hours_published[i]:
            c.support_hours = support_schedule(rng, tz_name, f"https://{slug}.example")
        companies.append(c)

    # One probe per probed channel family, on one of the audit's first five working days.
    def send_time(c: Company, latest_minute: int) -> datetime:
        assert c.started is not None
        day = rng.choice(weekdays(c.started, c.started + timedelta(days=6)))
        return at(day, 9 * 60 + rng.randrange(0, latest_minute - 9 * 60), CET)

    written: list[Probe] = []
    live: list[Probe] = []
    bots: list[Probe] = []
    callbacks: list[Probe] = []
    for ci, c in enumerate(companies):
        kinds = [ch.type for ch in c.channels]
        written_kinds = [k for k in kinds if k in ("email", "contact_form")]
        plan = []
        if written_kinds:
            plan.append((written, rng.choice(written_kinds), "sh-project-quote", 16 * 60 + 30))
        if "live_chat" in kinds:
            plan.append((live, "live_chat", "sh-chat-question", 16 * 60 + 45))
        if "chatbot" in kinds:
            plan.append((bots, "chatbot", "sh-chat-question", 16 * 60 + 45))
        if "web_callback" in kinds:
            plan.append((callbacks, "web_callback", "sh-project-quote", 16 * 60))
        for bucket, kind, script, latest in plan:
            probe = Probe(kind, script, send_time(c, latest), company=ci)
            bucket.append(probe)
            c.probes.append(probe)
    assert (len(written), len(live), len(bots), len(callbacks)) == (128, 55, 11, 24)

    # Written: 72 answered by a person within 6 hours, 30 later, 26 never.
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

    # Live chat: 27 answered by a person within 5 minutes, 28 later or never.
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
            "quote": f"We usually reply within {minutes} minute{'s' if minutes > 1 else ''}.",
        }

    # Chatbots answer within seconds; a person follows only where the bot hands over.
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

    # Web callback: 9 of 24 declare a callback time; 8 never call back; the 10 callers without
    # a declaration all call within 90 minutes.
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

    # Redirects and quality marks on everything a person answered.
    answered_chat = [p for p in live if p.human_reply_at is not None]
    for p in pick(rng, answered_chat, 5):
        p.redirected_to = "email"
        p.aq = False
        p.notes = SH_PROBE_NOTES["redirect"][0]
    answered_written = [p for p in written if p.human_reply_at is not None]
    for p in pick(rng, answered_written, 2):
        p.redirected_to = "phone"
        p.aq = False
        p.notes = "Reply asked for a phone number to discuss the project by phone."
    for p in written + live + bots + callbacks:
        if p.human_reply_at is None:
            continue
        applicable = 7 if rng.random() < 0.7 else 8
        low, high = k_bounds(applicable, p.aq, p.redirected_to is not None)
        apply_quality(rng, p, random_k(rng, applicable, low, high), applicable)

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

    edition = {
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
    return edition, companies


# --------------------------------------------------------------------------------------------
# Edition B: online shops and services, Russia, 2016
# --------------------------------------------------------------------------------------------

EC_EDITION = "2016-e-commerce"
SHOP, SERVICE = "online-shop", "online-service"
EC_KINDS = {
    SHOP: ("Shop", "Store", "Market", "Lavka", "Bazaar", "Goods"),
    SERVICE: ("Cloud", "Online", "Service", "Hosting", "Pay", "Connect"),
}
EC_SCRIPTS = {SHOP: "shop-pickup-delivery", SERVICE: "service-tariffs-contract"}
HELPDESKS = ("Zendesk", "Freshdesk", "Omnidesk", "Usedesk", "Help Scout", "Kayako")
RUSSIA_DAY = date(2016, 6, 13)


def build_ecommerce(rng: random.Random, names: Names) -> tuple[dict[str, Any], list[Company]]:
    counts = {SHOP: 100, SERVICE: 317}
    helpdesk_n = {SHOP: 33, SERVICE: 106}
    facebook_n = {SHOP: 40, SERVICE: 200}
    vkontakte_n = {SHOP: 80, SERVICE: 160}
    start_days = weekdays(date(2016, 6, 1), date(2016, 7, 1), (RUSSIA_DAY,))

    companies: list[Company] = []
    by_sector: dict[str, list[Company]] = {SHOP: [], SERVICE: []}
    for sector in (SHOP, SERVICE):
        n = counts[sector]
        helpdesk = quota(rng, n, helpdesk_n[sector])
        facebook = quota(rng, n, facebook_n[sector])
        vkontakte = quota(rng, n, vkontakte_n[sector])
        for i in range(n):
            name, slug = names.new(EC_KINDS[sector])
            c = Company(
                slug=slug, name=name, sector=sector, country="RU",
                languages=["ru", "en"] if rng.random() < 0.2 else ["ru"], edition=EC_EDITION,
            )  # fmt: skip
            c.helpdesk = (
                {"used": True, "system": rng.choice(HELPDESKS)} if helpdesk[i] else {"used": False}
            )
            c.started = rng.choice(start_days)
            c.ended = c.started + timedelta(days=14)
            c.channels.append(Channel("email"))
            if rng.random() < 0.7:
                c.channels.append(Channel("phone"))
            if facebook[i]:
                c.channels.append(Channel("facebook"))
            if vkontakte[i]:
                c.channels.append(Channel("vkontakte"))
            if rng.random() < 0.2:
                c.channels.append(Channel("instagram"))
            if rng.random() < 0.3:
                c.channels.append(Channel("faq"))
            if rng.random() < 0.4:
                c.support_hours = support_schedule(rng, "Europe/Moscow", f"https://{slug}.example")
            by_sector[sector].append(c)
            companies.append(c)

    # Probes: e-mail on the first day, social inboxes within the first five working days.
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

    def probes_of(
        kind: str, sector: str | None = None, helpdesk: bool | None = None
    ) -> list[Probe]:
        return [
            p
            for c in companies
            for p in c.probes
            if p.channel == kind
            and (sector is None or p.sector == sector)
            and (helpdesk is None or p.helpdesk == helpdesk)
        ]

    # E-mail: half answered in every sector × helpdesk stratum, with the same spread of delays.
    email_answered: list[Probe] = []
    strata = ((SHOP, True, 17), (SHOP, False, 33), (SERVICE, True, 53), (SERVICE, False, 105))
    for sector, used, k in strata:
        group = probes_of("email", sector, used)
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
    unanswered = [p for p in probes_of("email") if p.human_reply_at is None]
    for p in pick(rng, unanswered, 6):
        p.marketing = rng.randint(1, 4)
        p.notes = "No answer, but the address was added to the shop's mailing list."

    # VKontakte: shops answer three times as often as services; delays centred on 90 minutes.
    vk_answered = pick(rng, probes_of("vkontakte", SHOP), 36) + pick(
        rng, probes_of("vkontakte", SERVICE), 24
    )
    delays = quantile_delays(len(vk_answered), 90 * 60, 1.2, 3 * 60, 3 * 86400)
    rng.shuffle(delays)
    for p, delay in zip(vk_answered, delays, strict=True):
        p.reply(working_time(p.sent + timedelta(seconds=delay), rng))

    # Facebook: services answer 48 of 200 (20% over both social inboxes with VKontakte);
    # a third of the answers come on a later day.
    fb_all = probes_of("facebook")
    for p in fb_all:
        if rng.random() < 0.1:
            p.first_at, p.first_by = p.sent + timedelta(seconds=rng.randrange(2, 10)), "auto_reply"
            p.ack_at = p.first_at
            p.ack_quote = "Thanks for your message. We typically reply within a day."
            p.ack_promised = "P1D"
    fb_answered = pick(rng, probes_of("facebook", SHOP), 6) + pick(
        rng, probes_of("facebook", SERVICE), 48
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

    # Answers on VKontakte miss the question three times as often as on Facebook.
    for p, missed in zip(vk_answered, quota(rng, len(vk_answered), 20), strict=True):
        p.aq = not missed
    for p, missed in zip(fb_answered, quota(rng, len(fb_answered), 6), strict=True):
        p.aq = not missed

    # E-mail answered within an hour and scoring above 3 points: 6 shops, 44 services.
    high: list[Probe] = []
    for sector, k in ((SHOP, 6), (SERVICE, 44)):
        fast = [p for p in email_answered if p.sector == sector and (p.human_delay() or 0) <= 3600]
        high += pick(rng, fast, k)

    # 42 companies (10%) redirect at least once instead of answering.
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

    # Quality: shops' e-mail answers average 1.8 points (helpdesk 1.5× the others), services' 2.7.
    def entry(p: Probe) -> tuple[Probe, int, int, int]:
        applicable = 7 if rng.random() < 0.75 else 8
        low, top = k_bounds(applicable, p.aq, p.redirected_to is not None)
        if p in high:
            low = 5
        elif p.channel == "email" and (p.human_delay() or 0) <= 3600:
            top = min(top, 4)
        return p, applicable, low, top

    shop_no = 90 / (17 * 1.5 + 33)
    for group, target, tol in (
        ([p for p in email_answered if p.sector == SHOP and p.helpdesk], 1.5 * shop_no, 0.025),
        ([p for p in email_answered if p.sector == SHOP and not p.helpdesk], shop_no, 0.025),
        ([p for p in email_answered if p.sector == SERVICE], 2.7, 0.005),
    ):
        entries = [entry(p) for p in group]
        for (p, applicable, _, _), k in zip(
            entries, fit_points(rng, entries, target, tol), strict=True
        ):
            apply_quality(rng, p, k, applicable)
    for p in vk_answered + fb_answered:
        _, applicable, low, top = entry(p)
        apply_quality(rng, p, random_k(rng, applicable, low, top), applicable)

    for c in pick(rng, companies, 12):
        c.notes = rng.choice(
            (
                "Pick-up points are listed on a map only; no opening hours given.",
                "The contract is offered as a downloadable PDF before sign-up.",
                "Contact page shows a phone number in another city.",
            )
        )

    edition = {
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
    return edition, companies


# --------------------------------------------------------------------------------------------
# Synthetic data for scale tests
# --------------------------------------------------------------------------------------------

SYN_EDITION = "synthetic"
SYN_PROBED = (
    "email", "contact_form", "phone", "live_chat", "chatbot", "web_callback", "facebook",
    "vkontakte",
)  # fmt: skip


def build_synthetic(count: int) -> tuple[dict[str, Any], list[Company]]:
    rng = random.Random(SEED + count)
    width = max(5, len(str(count)))
    start_days = weekdays(date(2024, 1, 8), date(2024, 12, 2))
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
    companies = []
    for i in range(1, count + 1):
        slug = f"synthetic-{i:0{width}d}"
        c = Company(
            slug=slug, name=f"Synthetic Company {i:0{width}d}", sector="synthetic",
            country="PL", languages=["en"], edition=SYN_EDITION,
        )  # fmt: skip
        c.started = rng.choice(start_days)
        c.ended = c.started + timedelta(days=21)
        kinds = rng.sample(SYN_PROBED, rng.randint(3, 6))
        for kind in kinds:
            ch = Channel(kind)
            if kind == "live_chat":
                ch.proactive = rng.random() < 0.4
            elif kind == "chatbot":
                ch.handoff = rng.random() < 0.5
                ch.follows_up = rng.random() < 0.3
            if kind in ("live_chat", "web_callback") and rng.random() < 0.2:
                ch.declared = {"duration": rng.choice(("PT2M", "PT15M")), "where": "site"}
            c.channels.append(ch)
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
            p = Probe(kind, "synthetic-question", sent)
            x = rng.random()
            if kind == "chatbot":
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
            if p.human_reply_at is not None:
                if rng.random() < 0.08:
                    p.redirected_to = "email" if kind != "email" else "phone"
                    p.quality = rng.choice(redirected_templates)
                else:
                    p.quality = rng.choice(templates)
            elif rng.random() < 0.05:
                p.marketing = rng.randint(1, 5)
            c.probes.append(p)
        companies.append(c)
    edition = {
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
    return edition, companies


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def write(out: Path, editions: list[dict[str, Any]], companies: list[Company]) -> None:
    """Write edition and company files under ``out``, replacing earlier company files."""
    company_dir, edition_dir = out / "companies", out / "editions"
    company_dir.mkdir(parents=True, exist_ok=True)
    edition_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(company_dir.glob("*.yaml")):
        old.unlink()
    for edition in editions:
        text = to_yaml(edition, EDITION_HEADER)
        (edition_dir / f"{edition['id']}.yaml").write_text(text, encoding="utf-8", newline="\n")
    slugs = [c.slug for c in companies]
    if len(set(slugs)) != len(slugs):
        raise RuntimeError("duplicate company slugs")
    for c in companies:
        text = to_yaml(c.as_dict(), COMPANY_HEADER)
        (company_dir / f"{c.slug}.yaml").write_text(text, encoding="utf-8", newline="\n")


def demo() -> tuple[list[dict[str, Any]], list[Company]]:
    rng = random.Random(SEED)
    names = Names(rng)
    edition_a, companies_a = build_software_houses(rng, names)
    edition_b, companies_b = build_ecommerce(rng, names)
    return [edition_a, edition_b], companies_a + companies_b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="write DIR/companies and DIR/editions (default: the repo's data/)"
    )
    parser.add_argument(
        "--count", type=int, help="write N synthetic companies instead of the demo (needs --out)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.count is not None:
        if args.out is None:
            parser.error("--count needs --out, so that data/ is not overwritten")
        if args.count < 1:
            parser.error("--count must be at least 1")
        edition, companies = build_synthetic(args.count)
        editions = [edition]
    else:
        editions, companies = demo()
    out = args.out if args.out is not None else ROOT / "data"
    write(out, editions, companies)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {len(companies)} companies and {len(editions)} editions to {out}"
        f" in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
