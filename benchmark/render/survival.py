"""Reply times as survival data: the Kaplan–Meier "still waiting" curve and time buckets.

A probe is followed from the moment its question was sent. An *event* is the first reply by a
person, after ``t`` seconds (business time); a probe no person answered is *censored*: we know
only that it was still waiting when observation stopped (the methodology's never-answered
cut-off). The Kaplan–Meier estimator gives the share of probes still waiting after ``t``:

    S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ / nᵢ)

over the distinct event times ``tᵢ``, with ``dᵢ`` replies at ``tᵢ`` and ``nᵢ`` probes still at
risk just before ``tᵢ`` (neither answered nor censored earlier). A probe censored at the same
time as a reply is counted at risk at that time (the usual convention).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..values import is_missing

HOUR = 3600.0
BUCKETS = (
    ("≤ 1 h", 0.0, HOUR),
    ("1–6 h", HOUR, 6 * HOUR),
    ("6–24 h", 6 * HOUR, 24 * HOUR),
    ("> 24 h", 24 * HOUR, math.inf),
)
NEVER = "never"


@dataclass(frozen=True, slots=True)
class Step:
    """The curve after one distinct reply time: still waiting from ``t`` on."""

    t: float  # seconds
    at_risk: int
    replies: int
    still_waiting: float  # S(t), 0..1


def kaplan_meier(times: Iterable[float | None], cutoff: float) -> list[Step]:
    """The still-waiting curve of probes answered after ``times`` (None: never answered).

    A reply at or after ``cutoff`` counts as never answered (censored at ``cutoff``). The
    first step is (0, n, 0, 1.0): every probe is waiting when its question is sent.
    """
    events: dict[float, int] = {}
    n = 0
    for t in times:
        n += 1
        if t is not None and not is_missing(t) and t < cutoff:
            events[max(float(t), 0.0)] = events.get(max(float(t), 0.0), 0) + 1
    steps = [Step(0.0, n, 0, 1.0)]
    at_risk, s = n, 1.0
    for t in sorted(events):
        d = events[t]
        s *= 1 - d / at_risk
        steps.append(Step(t, at_risk, d, s))
        at_risk -= d
    return steps


def still_waiting(steps: Sequence[Step], t: float) -> float:
    """S(t) read off the curve: the last step at or before ``t``."""
    value = 1.0
    for step in steps:
        if step.t > t:
            break
        value = step.still_waiting
    return value


def buckets(times: Iterable[float | None], cutoff: float) -> list[tuple[str, int]]:
    """Probes per reply-time bucket (≤ 1 h, 1–6 h, 6–24 h, > 24 h, never), counts."""
    counts = dict.fromkeys([b[0] for b in BUCKETS] + [NEVER], 0)
    for t in times:
        if t is None or is_missing(t) or t >= cutoff:
            counts[NEVER] += 1
            continue
        for name, low, high in BUCKETS:
            if (low < t <= high) or (low == 0.0 and t <= high):
                counts[name] += 1
                break
    return list(counts.items())
