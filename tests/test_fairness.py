"""Methodology v2's fairness claims (docs/methodology.md), each a property through every term.

- Channel count: listing any set of unprobed channels, with any declared response times and
  any bot or proactive flags, moves a score (and its interval) by at most the stated bound,
  and never down.
- Promises: not promising never scores below promising and breaking the promise, whether the
  promise is a channel's declared time or an acknowledgement's (an auto-reply).
- Monotone: answering instead of not, faster, or better never lowers a score.

The subject is scored beside a fixed crowd of other companies, so the pooled prior is the
edition's (leave-one-out), not the fallback.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.load import Dataset, Document, parse_document
from benchmark.methodology import from_data
from benchmark.score import score
from benchmark.validate import validate

from .helpers import (
    EDITION_DOC as EDITION,
)
from .helpers import (
    NOW,
    REPO,
    RUBRIC,
    START,
    TOP,
    build,
    company,
    improve,
    outcome,
    probe,
    row_at,
)

V2 = parse_document("data/methodology/v2.yaml", (REPO / "data/methodology/v2.yaml").read_bytes())
EDITION_V2 = replace(EDITION, data={**EDITION.data, "methodology": "v2"})
METHOD = from_data(V2.data)
BOUND = 100 * METHOD.weights["reachability"] * METHOD.breadth_share  # 3 points, as documented
DURATIONS = st.sampled_from(["PT1M", "PT30M", "PT4H", "P2D", "P10D"])


def _applicable(o: Any) -> Any:
    """v2 needs at least one rubric item that applies on an answered probe."""
    if o is None or any(m != "n/a" for m in o[1]):
        return o
    return (o[0], [False, *o[1][1:]])


OUTCOME = outcome.map(_applicable)
EXTRA = [
    "phone",
    "contact_form",
    "chatbot",
    "whatsapp",
    "x",
    "instagram",
    "faq",
    "mobile_app",
    "email",
    "live_chat",
    "web_callback",
    "facebook",
    "linkedin",
    "vkontakte",
]


@cache
def crowd() -> tuple[Document, ...]:
    """Twelve other companies of the edition, so the subject's prior is estimated from data."""
    docs = []
    for i in range(12):
        answered = [
            probe(
                "email",
                START + timedelta(days=d, hours=i % 6),
                600 * (i + d + 1),
                dict.fromkeys(RUBRIC, (i + d) % 3 != 0),
            )
            for d in range(i % 4)
        ]
        silent = [probe("email", START + timedelta(days=5 + d), None) for d in range(1 + i % 2)]
        docs.append(company(f"crowd-{i}", ["email", "phone"][: 1 + i % 2], answered + silent))
    return tuple(docs)


def v2_row(subject: Document) -> pd.Series:
    """The subject's v2 row, scored among the crowd (the data must validate)."""
    dataset = Dataset([subject, *crowd()], [EDITION_V2], [V2])
    assert validate(dataset, NOW) == []
    return row_at(score(dataset).companies.set_index("slug"), "subject")


def channel(
    ctype: str, declared: str | None, flags: tuple[bool | None, bool | None]
) -> dict[str, Any]:
    """A channel entry with an optional declared time and the flags its type allows."""
    out: dict[str, Any] = {"type": ctype}
    if declared is not None and ctype not in ("faq", "knowledge_base", "community"):
        out["declared_response_time"] = {"duration": declared, "where": "site"}
    if ctype == "chatbot":
        for key, flag in zip(("handoff", "follows_up"), flags, strict=True):
            if flag is not None:
                out[key] = flag
    if ctype == "live_chat" and flags[0] is not None:
        out["proactive"] = flags[0]
    return out


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    outcomes=st.lists(OUTCOME, min_size=1, max_size=6),
    probed=st.lists(
        st.sampled_from(["email", "live_chat", "web_callback", "facebook"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    extra=st.lists(
        st.tuples(
            st.sampled_from(EXTRA),
            st.none() | DURATIONS,
            st.tuples(st.none() | st.booleans(), st.none() | st.booleans()),
        ),
        unique_by=lambda t: t[0],
    ),
)
def test_unprobed_channels_move_a_score_by_at_most_the_bound(
    outcomes: list[Any], probed: list[str], extra: list[Any]
) -> None:
    """Any unprobed channels, declarations and bot flags: score and interval move ≤ 3 points."""
    base = build(outcomes, probed)
    more = build(outcomes, probed)
    more.data["audits"][0]["channels"] += [channel(t, d, f) for t, d, f in extra if t not in probed]
    before, after = v2_row(base), v2_row(more)
    for column in ("raw_score", "score", "score_low", "score_high"):
        delta = after[column] - before[column]
        assert -1e-9 <= delta <= BOUND + 1e-9, (column, delta)


def test_the_bound_is_reached() -> None:
    """Tight: from one contact family to four or more adds exactly three quarters of it."""
    one = company("subject", ["email"], [probe("email", START, None)])
    many = company(
        "subject",
        ["email", "phone", "live_chat", "web_callback", "facebook"],
        [probe("email", START, None)],
    )
    delta = v2_row(many)["score"] - v2_row(one)["score"]
    assert abs(delta - BOUND * 3 / 4) < 1e-6


def _promised(subject: Document, via: str, duration: str) -> Document:
    """The same company, now promising ``duration`` on every probe (channel or acknowledgement)."""
    data = subject.data
    audit = data["audits"][0]
    if via == "channel":
        channels = [
            {**ch, "declared_response_time": {"duration": duration, "where": "site"}}
            for ch in audit["channels"]
        ]
        probes = audit["probes"]
    else:
        channels = audit["channels"]
        probes = []
        for p in audit["probes"]:
            ack_at = (pd.Timestamp(p["sent_at"]) + timedelta(seconds=1)).isoformat()
            extra: dict[str, Any] = {"acknowledgement": {"at": ack_at, "promised": duration}}
            if p["first_response"] is None:
                extra["first_response"] = {"at": ack_at, "by": "auto_reply"}
            elif p["first_response"]["by"] == "human":
                extra["first_response"] = {"at": ack_at, "by": "auto_reply"}
                extra["human_response"] = {"at": p["first_response"]["at"]}
            probes.append({**p, **extra})
    return Document(
        file=subject.file,
        data={**data, "audits": [{**audit, "channels": channels, "probes": probes}]},
    )


def _slower_than_a_minute(o: Any) -> Any:
    return o if o is None else (max(o[0], 120.0), o[1])


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    outcomes=st.lists(OUTCOME.map(_slower_than_a_minute), min_size=1, max_size=6),
    via=st.sampled_from(["channel", "acknowledgement"]),
)
def test_not_promising_never_scores_below_a_broken_promise(outcomes: list[Any], via: str) -> None:
    """A promise of one minute that every reply breaks: the score can only fall."""
    plain = build(outcomes, ["email"])
    broken = _promised(plain, via, "PT1M")
    assert v2_row(plain)["score"] >= v2_row(broken)["score"]


def test_a_kept_promise_scores_above_none() -> None:
    """Declaring a time pays only when it is kept."""
    plain = company("subject", ["email"], [probe("email", START, 600, TOP)])
    kept = _promised(plain, "channel", "PT1H")
    broken = _promised(plain, "channel", "PT1M")
    scores = [v2_row(d)["score"] for d in (kept, plain, broken)]
    assert scores[0] > scores[1] > scores[2]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    outcomes=st.lists(OUTCOME, min_size=1, max_size=8),
    which=st.integers(0, 7),
    how=st.integers(0, 1),
    item=st.integers(0, len(RUBRIC) - 1),
    reply=st.tuples(
        st.floats(1, 6 * 86400),
        st.lists(st.sampled_from([True, False, "n/a"]), min_size=len(RUBRIC), max_size=len(RUBRIC)),
    ).map(_applicable),
)
def test_improving_one_probe_never_lowers_a_v2_score(
    outcomes: list[Any], which: int, how: int, item: int, reply: Any
) -> None:
    """Any answer instead of none, faster, or better quality: the shrunk score never drops."""
    which %= len(outcomes)
    better = list(outcomes)
    better[which] = improve(outcomes[which], how, item, reply)
    assert v2_row(build(better))["score"] >= v2_row(build(outcomes))["score"]


def test_a_bounced_channel_is_unreachable() -> None:
    """An e-mail address that bounced adds no breadth, and its probe is never answered."""
    probes = [probe("phone", START, 600, TOP), probe("email", START + timedelta(hours=1), None)]
    working = company("subject", ["phone", "email"], probes)
    bounced = company("subject", ["phone", "email"], probes)
    bounced.data["audits"][0]["channels"][1]["bounced"] = (
        START + timedelta(hours=1, minutes=2)
    ).isoformat()
    rows = [v2_row(d) for d in (working, bounced)]
    assert rows[0]["breadth_families"] == 2
    assert rows[1]["breadth_families"] == 1
    assert rows[1]["score"] < rows[0]["score"]
