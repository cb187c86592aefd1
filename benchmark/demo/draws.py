"""The demo generator's draws: quotas, delays, working hours, rubric marks and names.

Every function takes the ``random.Random`` it draws from; the editions call them in a fixed
order, so the same seed gives the same files.
"""

from __future__ import annotations

import math
import random
import re
from datetime import date, datetime, timedelta, tzinfo
from statistics import NormalDist
from typing import Any

from ..values import WEEKDAYS
from .vocabulary import ITEM_WEIGHTS, Probe, rubric

NORMAL = NormalDist()


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
    """Whole seconds drawn evenly on a log scale between ``low`` and ``high``."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def quantile_delays(n: int, median: float, sigma: float, low: float, high: float) -> list[int]:
    """``n`` delays in seconds at evenly spaced quantiles of a log-normal distribution."""
    out = []
    for i in range(n):
        z = NORMAL.inv_cdf((i + 0.5) / n)
        out.append(int(min(high, max(low, median * math.exp(sigma * z)))))
    return out


def weekdays(start: date, end: date, skip: tuple[date, ...] = ()) -> list[date]:
    """Monday to Friday from ``start`` to ``end``, both included, except the ``skip`` days."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def at(day: date, minutes: int, tz: tzinfo | None, seconds: int = 0) -> datetime:
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
    morning = at(day, open_h * 60, moment.tzinfo, 0)
    return max(moment, morning + timedelta(seconds=rng.randrange(5 * 60, 150 * 60)))


def marks(
    rng: random.Random, k: int, applicable: int, aq: bool, redirected: bool
) -> dict[str, Any]:
    """Rubric marks with exactly ``k`` of ``applicable`` (7 or 8) items met."""
    items = [r for r in rubric() if applicable == 8 or r != "data_request_explained"]
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
    return {r: (r in met) if r in items else "n/a" for r in rubric()}


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
    """How many rubric items an answer meets, drawn leaning high, within ``low``..``high``."""
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
    """Published support hours: weekdays from 8-10 for 8-10 hours, Saturdays now and then."""
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
