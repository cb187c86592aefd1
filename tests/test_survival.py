"""The Kaplan–Meier "still waiting" estimator and the reply-time buckets, checked by hand."""

from __future__ import annotations

import math

import pytest

from benchmark.render.survival import HOUR, Step, buckets, kaplan_meier, still_waiting


def test_known_curve_with_censoring() -> None:
    """Six probes: replies at 1, 2, 2, 4 h; two never answered (censored at the 10 h cut-off).

    By hand: S(1) = 5/6; S(2) = 5/6 · (1 − 2/5) = 1/2; S(4) = 1/2 · (1 − 1/3) = 1/3.
    """
    steps = kaplan_meier([HOUR, 2 * HOUR, None, 2 * HOUR, 4 * HOUR, math.nan], 10 * HOUR)
    assert [(s.t / HOUR, s.at_risk, s.replies) for s in steps] == [
        (0, 6, 0),
        (1, 6, 1),
        (2, 5, 2),
        (4, 3, 1),
    ]
    assert [s.still_waiting for s in steps] == pytest.approx([1, 5 / 6, 1 / 2, 1 / 3])
    assert still_waiting(steps, 3 * HOUR) == pytest.approx(1 / 2)
    assert still_waiting(steps, 0.5 * HOUR) == 1.0


def test_reply_after_the_cutoff_is_censored() -> None:
    """A reply at or after the cut-off counts as never answered: the curve stays at 1/2."""
    steps = kaplan_meier([HOUR, 7 * 24 * HOUR, 8 * 24 * HOUR, 2 * HOUR], 7 * 24 * HOUR)
    last = steps[-1]
    assert (last.t, last.at_risk, last.replies) == (2 * HOUR, 3, 1)
    assert last.still_waiting == pytest.approx(1 / 2)


def test_everyone_answered_ends_at_zero_and_nobody_stays_at_one() -> None:
    """All answered: S ends at 0. None answered, or no probe: S stays at 1."""
    assert kaplan_meier([60.0, 120.0], HOUR)[-1].still_waiting == 0.0
    assert kaplan_meier([None, None], HOUR) == [Step(0.0, 2, 0, 1.0)]
    assert kaplan_meier([], HOUR) == [Step(0.0, 0, 0, 1.0)]


def test_buckets_edges() -> None:
    """Edges belong to the lower bucket: exactly 1 h is "≤ 1 h", exactly 6 h is "1–6 h"."""
    times = [0.0, HOUR, HOUR + 1, 6 * HOUR, 24 * HOUR, 24 * HOUR + 1, None, 200 * HOUR]
    assert buckets(times, 168 * HOUR) == [
        ("≤ 1 h", 2),
        ("1–6 h", 2),
        ("6–24 h", 1),
        ("> 24 h", 1),
        ("never", 2),
    ]
