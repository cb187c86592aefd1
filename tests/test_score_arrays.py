"""The score stage's array paths give what one row, one group or one channel at a time gives.

Business time converts each time zone once and works per schedule on arrays; the groups of
indistinguishable companies walk lists; a share counts its marks on arrays. Each is checked
here against the plain computation it replaced, on rows mixed so that order matters.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from benchmark import pipeline
from benchmark.score import methodologies_of
from benchmark.score.business_time import business_seconds
from benchmark.score.ranking import indistinguishable_groups
from benchmark.score.statistics import _Collector
from benchmark.score.tables import build_tables
from tests.helpers import REPO

WARSAW = "Europe/Warsaw|mon 09:00-17:00;tue 09:00-17:00;wed 09:00-17:00;thu 09:00-17:00"
NEW_YORK = "America/New_York|mon 08:00-20:00;wed 08:00-12:00;fri 10:00-18:00"


def _utc(texts: list[str | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(texts, dtype=object), utc=True, format="ISO8601")


def test_business_seconds_of_mixed_rows_equal_each_row_alone() -> None:
    """Rows of two time zones, schedules and countries, interleaved: as if computed alone."""
    start = _utc(
        [
            "2024-03-29T16:30:00+01:00",  # then Easter Monday (closed in Poland), summer time
            "2024-03-29T16:30:00+01:00",
            "2024-12-31T22:00:00+00:00",  # across a new year: holidays of two years
            "2024-05-01T08:00:00+02:00",
            "2024-07-03T23:00:00+00:00",
        ]
    )
    end = _utc(
        [
            "2024-04-03T10:15:00+02:00",
            "2024-04-03T10:15:00+02:00",
            "2025-01-08T12:00:00+00:00",
            None,  # never answered: no business time
            "2024-07-05T15:00:00+00:00",
        ]
    )
    schedule = pd.Series([WARSAW, NEW_YORK, WARSAW, WARSAW, NEW_YORK])
    country = pd.Series(["PL", "US", "PL", "PL", "PL"])
    together = business_seconds(start, end, schedule, country)
    alone = [
        business_seconds(start[[i]], end[[i]], schedule[[i]], country[[i]]).iloc[0]
        for i in range(len(start))
    ]
    assert together.tolist()[:3] + together.tolist()[4:] == alone[:3] + alone[4:]
    assert np.isnan(together.iloc[3])
    assert np.isnan(alone[3])
    # the holidays and the time zones count: the same moments give different business times
    assert together.iloc[0] != together.iloc[1]
    assert together.iloc[0] < business_seconds(start[[0]], end[[0]], schedule[[0]]).iloc[0]


def _groups_one_by_one(
    score: pd.Series, low: pd.Series, high: pd.Series, slug: pd.Series
) -> list[int]:
    order = sorted(score.index, key=lambda i: (-score[i], slug[i]))
    groups: dict[int, int] = {}
    number, leader_low = 0, np.inf
    for key in order:
        if high[key] < leader_low:
            number += 1
            leader_low = low[key]
        groups[key] = number
    return [groups[i] for i in score.index]


def test_indistinguishable_groups_follow_the_index_not_the_position() -> None:
    """Groups land on their companies' index labels, as the one-by-one walk puts them."""
    index = [40, 7, 12, 3, 25, 9]
    score = pd.Series([50.0, 80.0, 79.0, 60.0, 80.0, 30.0], index=index)
    low = score - pd.Series([5.0, 1.0, 2.0, 15.0, 0.5, 1.0], index=index)
    high = score + pd.Series([5.0, 1.0, 2.0, 15.0, 0.5, 1.0], index=index)
    slug = pd.Series(["e", "b", "c", "d", "a", "f"], index=index)
    groups = indistinguishable_groups(score, low, high, slug)
    assert groups.index.tolist() == index
    assert groups.dtype == np.dtype(int)
    assert groups.tolist() == _groups_one_by_one(score, low, high, slug)
    assert groups.tolist() == [2, 1, 1, 2, 1, 3]


def test_a_share_leaves_out_none_and_nan_and_counts_the_rest() -> None:
    """Object, float and bool marks: None and NaN are not in the denominator."""
    c = _Collector("2024")
    c.share("redirect", "objects", pd.Series([True, None, False, True, np.nan], dtype=object))
    c.share("redirect", "floats", pd.Series([1.0, np.nan, 0.0, 0.0]))
    c.share("redirect", "booleans", pd.Series([True, False, False]))
    c.share("redirect", "nothing known", pd.Series([None, np.nan], dtype=object))
    assert [(s.label, s.numerator, s.denominator, s.value) for s in c.stats] == [
        ("objects", 2.0, 3, 2 / 3),
        ("floats", 1.0, 3, 1 / 3),
        ("booleans", 1.0, 3, 1 / 3),
    ]


def test_probe_table_has_every_rubric_item_absent_where_its_methodology_lacks_it() -> None:
    """Two rubrics: a q_ column per item, as first named; NaN where a probe's rubric lacks it.

    The columns come in the order a probe first names them; a probe has its marks under its
    own methodology's items and none under the others'.
    """
    data = pipeline.load_valid(REPO)
    v2 = methodologies_of(data)["v2"]
    one = replace(v2, version="one", rubric=v2.rubric[2:])
    two = replace(v2, version="two", rubric=("extra", *reversed(v2.rubric[:5])))
    methods = {"one": one, "two": two}
    editions = [
        replace(doc, data={**doc.data, "methodology": name})
        for doc, name in zip(data.editions, ("one", "two"), strict=True)
    ]
    by_edition = {doc.data["id"]: methods[doc.data["methodology"]] for doc in editions}
    expected: dict[str, None] = {}
    for doc in data.companies:
        for audit in doc.data["audits"]:
            if audit["probes"]:
                expected.update(dict.fromkeys(by_edition[audit["edition"]].rubric))
    probes = build_tables(data.companies, editions, methods).probes
    assert [c for c in probes.columns if c.startswith("q_")] == [f"q_{i}" for i in expected]
    assert set(expected) == {*one.rubric, *two.rubric}
    for edition, method in by_edition.items():
        rows = probes[probes["edition"] == edition]
        for item in expected:
            column = rows[f"q_{item}"]
            assert column.dtype == float
            if item in method.rubric and item != "extra":
                assert column.notna().any(), (edition, item)
            else:
                assert column.isna().all(), (edition, item)
