"""Calibration by simulation: methodology v2's intervals and rank ranges mean what they say.

Editions are generated from a known model: each company has a true quality, its probes are
drawn from it (1-5 per company), and its true score is computable exactly. The editions are
scored by the real pipeline (documents → validate → score) with v2; then

- the nominal 90 % score intervals must contain the true score for 85-95 % of companies;
- the published rank range must contain the true rank for at least 85 % of ranked companies;
- v1's point ranking of the same data must fail that (so the test can fail).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from benchmark.load import Dataset, Document, parse_document
from benchmark.score import Scores, score
from benchmark.validate import validate

from .helpers import FIXTURES, NOW, REPO

RUBRIC = [
    "answered_question",
    "complete_correct",
    "personal",
    "polite_literate",
    "next_step",
    "no_needless_redirect",
    "data_request_explained",
    "went_beyond",
]
# Probe outcomes, worst first: (minutes to a person's reply or None, rubric items met).
TEMPLATES: list[tuple[int | None, int]] = [
    (None, 0),
    (30 * 60, 2),
    (6 * 60, 4),
    (90, 6),
    (25, 7),
    (8, 8),
]
GOODNESS = [-2.0, -1.0, -0.3, 0.4, 1.0, 2.0]
START = datetime.fromisoformat("2019-01-07T09:30:00+01:00")  # a Monday, in business hours
EDITIONS = 5
COMPANIES = 120
SEED = 20261130


def _methodology(version: str) -> Document:
    path = f"data/methodology/{version}.yaml"
    return parse_document(path, (REPO / path).read_bytes())


def _edition(number: int) -> Document:
    base = parse_document(
        "data/editions/fixture-edition.yaml",
        (FIXTURES / "tree/data/editions/fixture-edition.yaml").read_bytes(),
    )
    return replace(
        base,
        file=f"data/editions/sim-{number}.yaml",
        data={**base.data, "id": f"sim-{number}", "methodology": "v2"},
    )


def _probe(template: int, sent: datetime) -> dict[str, Any]:
    minutes, met = TEMPLATES[template]
    probe: dict[str, Any] = {
        "channel": "email",
        "script": "quote",
        "sent_at": sent.isoformat(),
        "first_response": None,
    }
    if minutes is not None:
        probe["first_response"] = {
            "at": (sent + timedelta(minutes=minutes)).isoformat(),
            "by": "human",
        }
        probe["quality"] = {item: i < met for i, item in enumerate(RUBRIC)}
    return probe


def _weekday(day: int, minutes: int) -> datetime:
    """The day-th weekday after START, plus some minutes (always inside business hours)."""
    return START + timedelta(days=7 * (day // 5) + day % 5, minutes=minutes)


def simulate(rng: random.Random) -> tuple[Dataset, dict[tuple[str, str], list[float]]]:
    """Editions drawn from the model, and each company's template probabilities."""
    companies, truth = [], {}
    for e in range(EDITIONS):
        for c in range(COMPANIES):
            slug = f"sim-{e}-{c}"
            quality = rng.gauss(0.0, 1.0)
            weights = [pow(2.718281828, quality * g) for g in GOODNESS]
            total = sum(weights)
            pi = [w / total for w in weights]
            n = rng.randint(1, 5)
            templates = rng.choices(range(len(TEMPLATES)), weights=pi, k=n)
            probes = [
                _probe(t, _weekday(3 * i + c % 3, 7 * (c % 20))) for i, t in enumerate(templates)
            ]
            families = ["email", "phone", "live_chat", "web_callback"][: rng.randint(1, 4)]
            hours = rng.random() < 0.4
            companies.append(
                Document(
                    file=f"data/companies/{slug}.yaml",
                    data={
                        "slug": slug,
                        "name": f"Sim {e} {c}",
                        "website": f"https://{slug}.example",
                        "sector": "software-house",
                        "country": "PL",
                        "languages": ["pl"],
                        "fictional": True,
                        "audits": [
                            {
                                "edition": f"sim-{e}",
                                "started": "2019-01-02",
                                "ended": "2019-03-29",
                                "support_hours": (
                                    {
                                        "timezone": "Europe/Warsaw",
                                        "schedule": [
                                            {
                                                "days": ["mon", "tue", "wed", "thu", "fri"],
                                                "open": "09:00",
                                                "close": "17:00",
                                            }
                                        ],
                                    }
                                    if hours
                                    else None
                                ),
                                "channels": [{"type": t} for t in families],
                                "probes": probes,
                            }
                        ],
                    },
                )
            )
            truth[(slug, f"sim-{e}")] = pi
    dataset = Dataset(
        companies, [_edition(e) for e in range(EDITIONS)], [_methodology("v1"), _methodology("v2")]
    )
    return dataset, truth


def true_scores(scores: Scores, truth: dict[tuple[str, str], list[float]]) -> pd.Series:
    """Fixed part + the expected probe value under each company's true probabilities."""
    probes = scores.probes
    minutes = (probes["human_at"] - probes["sent_at"]).dt.total_seconds() / 60
    met = probes[[f"q_{item}" for item in RUBRIC]].fillna(0).sum(axis=1)
    value_of: dict[tuple[int | None, int], float] = {}
    for (m, q), v in zip(zip(minutes, met, strict=True), probes["probe_value"], strict=True):
        key = (None if pd.isna(m) else round(m), int(q))
        value_of[key] = v
    template_value = [value_of[(t[0], t[1])] for t in TEMPLATES]
    rows = scores.companies.set_index(["slug", "edition"])
    expected = pd.Series(
        {
            key: sum(p * v for p, v in zip(pi, template_value, strict=True))
            for key, pi in truth.items()
        }
    )
    result: pd.Series = rows["fixed_part"] + expected.reindex(rows.index)
    return result


@pytest.fixture(scope="module")
def simulated() -> tuple[Dataset, Scores, pd.Series]:
    """Five simulated editions scored with v2, and every company's true score."""
    dataset, truth = simulate(random.Random(SEED))
    assert validate(dataset, NOW) == []
    scores = score(dataset)
    return dataset, scores, true_scores(scores, truth)


def test_every_template_value_was_observed(simulated: tuple[Dataset, Scores, pd.Series]) -> None:
    """The truth is complete: every company has a true score."""
    assert simulated[2].notna().all()


def test_score_intervals_cover_the_true_score_at_their_nominal_rate(
    simulated: tuple[Dataset, Scores, pd.Series],
) -> None:
    """The nominal 90 % intervals contain the true score for 85-95 % of companies."""
    _, scores, truth = simulated
    rows = scores.companies.set_index(["slug", "edition"])
    inside = (rows["score_low"] <= truth) & (truth <= rows["score_high"])
    assert 0.85 <= inside.mean() <= 0.95, inside.mean()
    one_probe = rows["probes"] == 1
    assert (rows.loc[one_probe, "score_high"] - rows.loc[one_probe, "score_low"]).min() > 5


def _true_ranks(rows: pd.DataFrame, truth: pd.Series) -> pd.Series:
    ranked = rows[rows["ranked"]]
    ranks: pd.Series = (
        truth.reindex(ranked.index).groupby(level="edition").rank(method="min", ascending=False)
    )
    return ranks


def test_rank_ranges_contain_the_true_rank(simulated: tuple[Dataset, Scores, pd.Series]) -> None:
    """The published rank range contains the true rank for at least 85 % of ranked companies."""
    _, scores, truth = simulated
    rows = scores.companies.set_index(["slug", "edition"])
    ranked = rows[rows["ranked"]]
    true_rank = _true_ranks(rows, truth)
    inside = (
        (ranked["rank_overall_low"] <= true_rank) & (true_rank <= ranked["rank_overall_high"])
    ).astype(bool)
    assert len(ranked) > 200
    assert inside.mean() >= 0.85, inside.mean()


def test_v1_point_ranking_fails_the_same_check(
    simulated: tuple[Dataset, Scores, pd.Series],
) -> None:
    """v1's point rank (a range of one place) matches the true rank far less often."""
    dataset, scores, truth = simulated
    v1 = replace(
        dataset,
        editions=[replace(d, data={**d.data, "methodology": "v1"}) for d in dataset.editions],
    )
    rows = score(v1).companies.set_index(["slug", "edition"])
    ranked = scores.companies.set_index(["slug", "edition"])["ranked"]
    rows = rows[ranked.reindex(rows.index)]
    point = rows["score_display"].groupby(level="edition").rank(method="min", ascending=False)
    true_rank = (
        truth.reindex(rows.index).groupby(level="edition").rank(method="min", ascending=False)
    )
    assert (point == true_rank).mean() < 0.5
