"""Scoring: fairness, monotonicity, the channel-count bound, business time, ties, intervals."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmark.load import Dataset, Document, parse_document, read_dataset
from benchmark.score import score
from benchmark.score.business_time import holiday_dates
from benchmark.score.changes import label_changes
from benchmark.score.composite import display_round
from benchmark.score.ranking import shared_rank
from benchmark.score.uncertainty import wilson
from benchmark.validate import validate

from .helpers import (
    EDITION_DOC as EDITION,
)
from .helpers import (
    METHODOLOGY,
    NOW,
    PROBED,
    REPO,
    RUBRIC,
    START,
    TOP,
    build,
    company,
    improve,
    number_at,
    outcome,
    probe,
    row_at,
)

WARSAW = ZoneInfo("Europe/Warsaw")
BOUND = 3.0  # points: weight of reachability (0.30) × breadth share (0.10) × 100


def scored(*companies: Document) -> pd.DataFrame:
    """Validate (must be clean) and score the companies; one row per company, by slug."""
    dataset = Dataset(list(companies), [EDITION], [METHODOLOGY])
    assert validate(dataset, NOW) == []
    return score(dataset).companies.set_index("slug")


def hosting_company() -> Document:
    """Seed 003: email only, every probe answered by a person within 15 minutes, top quality."""
    return company(
        "hosting",
        ["email"],
        [probe("email", START + timedelta(days=d), 14 * 60, TOP) for d in range(3)],
    )


def test_one_channel_done_well_outranks_six_channels_unanswered() -> None:
    """Seed 003's company outranks six channels answering none and four answering half slowly."""
    six = ["email", "contact_form", "phone", "live_chat", "web_callback", "facebook"]
    silent = company(
        "silent", six, [probe(c, START + timedelta(hours=i), None) for i, c in enumerate(six)]
    )
    four = ["email", "phone", "live_chat", "web_callback"]
    half = company(
        "half",
        four,
        [
            probe(
                c,
                START + timedelta(days=i),
                30 * 3600 if i % 2 == 0 else None,
                dict.fromkeys(RUBRIC, False) | {"answered_question": True} if i % 2 == 0 else None,
            )
            for i, c in enumerate(four)
        ],
    )
    result = scored(hosting_company(), silent, half)
    assert number_at(result, "hosting", "rank_overall") == 1
    assert (
        number_at(result, "hosting", "score")
        > number_at(result, "half", "score")
        > number_at(result, "silent", "score")
    )


def test_business_time_ignores_the_night() -> None:
    """Sent at 23:00 and answered 10 minutes after opening: scored as a 10-minute reply."""
    evening = START.replace(hour=23) - timedelta(days=1)  # Sunday 23:00
    night = company(
        "night", ["email"], [probe("email", evening, 10 * 3600 + 10 * 60, TOP)], hours=True
    )
    day = company(
        "day", ["email"], [probe("email", START.replace(hour=9), 10 * 60, TOP)], hours=True
    )
    result = scored(night, day)
    assert number_at(result, "night", "median_reply_business_seconds") == 600
    assert number_at(result, "night", "median_reply_seconds") == 36600
    assert number_at(result, "night", "score") == number_at(result, "day", "score")


answer = st.tuples(
    st.floats(1, 6 * 86400),
    st.lists(st.sampled_from([True, False, "n/a"]), min_size=len(RUBRIC), max_size=len(RUBRIC)),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # one perfect answer among silence, then a slow, poor answer: must not drop
    outcomes=[(600.0, [True] * len(RUBRIC))] + [None] * 7,
    which=1,
    how=0,
    item=0,
    reply=(6 * 86400.0, [False] * len(RUBRIC)),
)
@given(
    outcomes=st.lists(outcome, min_size=1, max_size=8),
    which=st.integers(0, 7),
    how=st.integers(0, 1),
    item=st.integers(0, len(RUBRIC) - 1),
    reply=answer,
)
def test_improving_one_probe_never_lowers_the_score(
    outcomes: list[Any], which: int, how: int, item: int, reply: Any
) -> None:
    """Any answer instead of none, faster, or better quality: the score never goes down."""
    which %= len(outcomes)
    better = list(outcomes)
    better[which] = improve(outcomes[which], how, item, reply)
    before = number_at(scored(build(outcomes)), "subject", "score")
    after = number_at(scored(build(better)), "subject", "score")
    assert after >= before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    outcomes=st.lists(outcome, min_size=1, max_size=6),
    probed=st.lists(st.sampled_from(PROBED), min_size=1, max_size=4, unique=True),
    extra=st.lists(
        st.sampled_from(
            [
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
            ]
        ),
        unique=True,
    ),
)
def test_channel_count_alone_moves_the_score_by_at_most_the_bound(
    outcomes: list[Any], probed: list[str], extra: list[str]
) -> None:
    """Offering more channels, with the same probes, moves the score by at most 3 points."""
    base = build(outcomes, probed)
    more = build(outcomes, probed)
    more.data["audits"][0]["channels"] += [{"type": t} for t in extra if t not in probed]
    delta = number_at(scored(more), "subject", "score") - number_at(
        scored(base), "subject", "score"
    )
    assert 0 <= delta <= BOUND


def test_channel_bound_is_reached() -> None:
    """The bound is tight: going from one contact family to four adds exactly 2.25 points."""
    one = company("subject", ["email"], [probe("email", START, None)])
    four = company(
        "subject",
        ["email", "phone", "live_chat", "web_callback", "facebook"],
        [probe("email", START, None)],
    )
    delta = number_at(scored(four), "subject", "score") - number_at(scored(one), "subject", "score")
    assert delta == pytest.approx(BOUND * 3 / 4)


def test_ties_share_a_rank() -> None:
    """Scores equal at the displayed precision share a rank: 1, 2, 2, 4."""
    shown = pd.Series([display_round(v, 1) for v in (91.0, 80.04, 79.96, 70.0)])
    assert shown.tolist() == [91.0, 80.0, 80.0, 70.0]
    assert shared_rank(shown).tolist() == [1, 2, 2, 4]


def test_display_rounding_is_half_up() -> None:
    """80.05 shows as 80.1 (half up), not 80.0 (banker's rounding)."""
    assert display_round(80.05, 1) == 80.1
    assert display_round(80.0499, 1) == 80.0


def test_equal_companies_share_a_rank_in_scoring() -> None:
    """Two companies with identical records get the same rank; the next one skips a place."""
    a = company("a-co", ["email"], [probe("email", START, 600, TOP)])
    b = company("b-co", ["email"], [probe("email", START, 600, TOP)])
    c = company("c-co", ["email"], [probe("email", START, None)])
    result = scored(a, b, c)
    assert result["rank_overall"].to_dict() == {"a-co": 1, "b-co": 1, "c-co": 3}


def test_wilson_interval_known_values() -> None:
    """Wilson 95% intervals match published values (0/1, 5/10, 10/10)."""
    low, high = wilson(pd.Series([0, 5, 10]), pd.Series([1, 10, 10]))
    assert low.round(4).tolist() == [0.0, 0.2366, 0.7225]
    assert high.round(4).tolist() == [0.7935, 0.7634, 1.0]


def test_limited_evidence_flag() -> None:
    """Fewer probes than the methodology's minimum (3) flags limited evidence."""
    two = company(
        "two", ["email"], [probe("email", START + timedelta(days=i), 600, TOP) for i in range(2)]
    )
    result = scored(two, hosting_company())
    assert bool(result.loc["two", "limited_evidence"]) is True
    assert bool(result.loc["hosting", "limited_evidence"]) is False


def test_score_changes_carry_a_reason() -> None:
    """Comparing two revisions labels correction, re-audit, new data and displaced companies."""
    a = company("a-co", ["email"], [probe("email", START, None)])
    b = company("b-co", ["email"], [probe("email", START, 3 * 3600, TOP)])
    c = company("c-co", ["email"], [probe("email", START, 2 * 3600, TOP)])
    old_docs = {d.data["slug"]: d.data for d in (a, b, c)}
    old = score(Dataset([a, b, c], [EDITION], [METHODOLOGY]))
    fixed = company("a-co", ["email"], [probe("email", START, 600, TOP)])
    fixed.data["corrections"] = [
        {"date": "2019-05-01", "kind": "re-audit", "summary": "Audited again."}
    ]
    d = company("d-co", ["email"], [probe("email", START, 5 * 3600, TOP)])
    new_docs = {x.data["slug"]: x.data for x in (fixed, b, c, d)}
    new = score(Dataset([fixed, b, c, d], [EDITION], [METHODOLOGY]))
    changes = label_changes(old, new, old_docs, new_docs).set_index("slug")
    assert changes["reason"].to_dict() == {
        "a-co": "re-audit",
        "b-co": "displaced",
        "c-co": "displaced",
        "d-co": "new data",
    }
    assert number_at(changes, "a-co", "rank_overall_old") == 3
    assert number_at(changes, "a-co", "rank_overall_new") == 1


def test_movement_against_the_previous_edition() -> None:
    """A company audited in two editions shows its previous score, rank and the change."""
    second = Document(
        file="data/editions/fixture-edition-2.yaml",
        data={
            **EDITION.data,
            "id": "fixture-edition-2",
            "period": {"start": "2019-04-01", "end": "2019-06-30"},
        },
    )
    riser = company("riser", ["email"], [probe("email", START, None)])
    riser.data["audits"].append(
        {
            **riser.data["audits"][0],
            "edition": "fixture-edition-2",
            "started": "2019-04-01",
            "ended": "2019-04-30",
            # two months on, Warsaw is on summer time (+02:00): the auditors' clock says so
            "probes": [probe("email", (START + timedelta(days=60)).astimezone(WARSAW), 600, TOP)],
        }
    )
    other = company("other", ["email"], [probe("email", START, 600, TOP)])
    dataset = Dataset([riser, other], [EDITION, second], [METHODOLOGY])
    assert validate(dataset, NOW) == []
    rows = score(dataset).companies.set_index(["slug", "edition"])
    later = row_at(rows, ("riser", "fixture-edition-2"))
    first = row_at(rows, ("riser", "fixture-edition"))
    assert later["previous_edition"] == "fixture-edition"
    assert later["previous_score"] == first["score_display"]
    assert later["score_change"] == pytest.approx(later["score_display"] - first["score_display"])
    assert later["previous_rank"] == 2
    assert later["rank_change"] == 1
    assert pd.isna(first["previous_edition"])


DEMO_EDITIONS = {  # edition → sector, country, script, a Monday 10:00 local inside its period
    "2016-e-commerce": ("online-shop", "RU", "shop-pickup-delivery", "2016-06-06T10:00:00+03:00"),
    "2019-q1-software-houses": (
        "software-house",
        "PL",
        "sh-project-quote",
        "2019-02-04T10:00:00+01:00",
    ),
}


def _demo_company(
    slug: str, edition: str, channels: list[str], probes: list[dict[str, Any]]
) -> Document:
    sector, country, script, _ = DEMO_EDITIONS[edition]
    doc = company(slug, channels, [{**p, "script": script} for p in probes])
    audit = doc.data["audits"][0]
    audit["edition"] = edition
    audit["started"], audit["ended"] = (
        probes[0]["sent_at"][:10],
        "2019-03-29" if (edition.startswith("2019")) else "2016-07-10",
    )
    doc.data.update(sector=sector, country=country)
    return doc


@pytest.fixture(scope="module")
def demo_data() -> Dataset:
    """The bundled demo data, read once for the module: add to its lists, never change them."""
    return read_dataset(REPO)


@pytest.mark.parametrize("edition", sorted(DEMO_EDITIONS))
def test_seed_003_pair_holds_in_each_demo_edition(demo_data: Dataset, edition: str) -> None:
    """Seed 003 in a real edition's pool (v2), with intervals.

    One e-mail channel answered by a person in ten minutes at full quality outranks six
    channels answering half their probes slowly; both are ranked and carry an interval.
    """
    monday = datetime.fromisoformat(DEMO_EDITIONS[edition][3])
    hosting = _demo_company(
        "seed-hosting",
        edition,
        ["email"],
        [probe("email", monday + timedelta(days=d), 10 * 60, TOP) for d in range(3)],
    )
    six = ["email", "contact_form", "phone", "live_chat", "web_callback", "facebook"]
    half = _demo_company(
        "seed-six-channels",
        edition,
        six,
        [
            probe(
                c,
                monday + timedelta(days=7 + i),
                30 * 3600 if i % 2 == 0 else None,
                dict.fromkeys(RUBRIC, False) | {"answered_question": True} if i % 2 == 0 else None,
            )
            for i, c in enumerate(six)
        ],
    )
    demo = demo_data
    dataset = Dataset([*demo.companies, hosting, half], demo.editions, demo.methodologies)
    assert validate(dataset, NOW, only={hosting.file, half.file}) == []
    rows = score(dataset).companies.set_index(["slug", "edition"])
    one, many = (
        row_at(rows, ("seed-hosting", edition)),
        row_at(rows, ("seed-six-channels", edition)),
    )
    assert bool(one["ranked"])
    assert bool(many["ranked"])
    assert one["score"] > many["score"]
    assert one["rank_overall"] < many["rank_overall"]
    assert one["score_low"] < one["score"] < one["score_high"]
    assert many["score_low"] < many["score"] < many["score_high"]


def test_v2_business_time_skips_the_countrys_public_holidays() -> None:
    """v2 closes public holidays: 30 business minutes under v2, 7 h 30 min under v1.

    New Year's Day 2019 is a Polish holiday; the question is sent that morning and answered at
    9:30 the next day.
    """
    sent = datetime.fromisoformat("2019-01-01T10:00:00+01:00")  # a Tuesday, a holiday
    doc = company("holiday", ["email"], [probe("email", sent, 23.5 * 3600, TOP)], hours=True)
    doc.data["audits"][0]["started"] = "2019-01-01"
    v1 = score(Dataset([doc], [EDITION], [METHODOLOGY])).probes
    v2_edition = Document(file=EDITION.file, data={**EDITION.data, "methodology": "v2"})
    v2_method = parse_document(
        "data/methodology/v2.yaml", (REPO / "data/methodology/v2.yaml").read_bytes()
    )
    dataset = Dataset([doc], [v2_edition], [METHODOLOGY, v2_method])
    assert validate(dataset, NOW) == []
    v2 = score(dataset).probes
    assert v1["reply_business_seconds"].tolist() == [7.5 * 3600]
    assert v2["reply_business_seconds"].tolist() == [30 * 60]


def test_holidays_of_an_uncovered_country_are_none() -> None:
    """A country the holidays package does not cover has no holidays (not an error)."""
    assert holiday_dates("XX", 2019, 2019) == []
    assert date(2016, 6, 13) in holiday_dates("RU", 2016, 2016)  # Russia Day, observed
