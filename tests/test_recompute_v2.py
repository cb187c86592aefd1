"""Every v2 figure CCR publishes equals an outside recomputation from the doc and the YAML.

``tests/recompute_v2.py`` scores the bundled data from ``docs/methodology.md`` and the YAML files
alone, importing nothing from ``benchmark``. This file is the comparison side: it runs CCR
(``benchmark.pipeline.run``, the figures ``ccr explain`` prints and the site shows; and the
export files ``ccr export`` writes, made in process) and checks, for every company-edition of
every v2 edition, that the two agree on each figure a reader sees — the score to 4 decimals,
the shown score and interval, the ranked flag, ranks, rank ranges and indistinguishable groups
(overall, per sector, per country), grade and tier — and on the terms behind them (per probe,
sub-scores, fixed and probe parts, the leave-one-out prior, B). The last test breaks the
recomputation in a few ways (no τ² floor, a truncating rounding, …) and checks the
comparison notices, so a comparison that has gone blind fails too.
"""

from __future__ import annotations

import ast
import csv
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmark import pipeline
from benchmark.export import export_files

from . import recompute_v2 as rv
from .conftest import REPO

# A 4-decimal figure computed the same way can still differ by one unit of the 4th decimal
# when the two sides sum floats in another order and land on either side of a half.
FOURTH = 1e-4 + 1e-9


@dataclass(frozen=True)
class Published:
    """CCR's figures: its scoring frames and the rows of its export files."""

    companies: dict[tuple[str, str], dict[str, Any]]      # the scoring frame's rows
    probes: dict[tuple[str, str, int], dict[str, Any]]    # by probe, counted from 0
    scores_csv: dict[tuple[str, str], dict[str, str]]
    probes_csv: dict[tuple[str, str, int], dict[str, str]]


def _csv(data: bytes) -> list[dict[str, str]]:
    """The rows of an exported CSV file."""
    return list(csv.DictReader(io.StringIO(data.decode())))


@pytest.fixture(scope="module")
def data() -> rv.Data:
    """The v2 editions and the company files, read once."""
    return rv.read_data(REPO)


@pytest.fixture(scope="module")
def method() -> rv.Method:
    """The v2 parameters."""
    return rv.read_method(REPO)


@pytest.fixture(scope="module")
def ours(data: rv.Data, method: rv.Method) -> list[rv.Company]:
    """The outside recomputation of every v2 company-edition."""
    return rv.recompute(REPO, method, data)


@pytest.fixture(scope="module")
def published(data: rv.Data) -> Published:
    """CCR's figures for the v2 editions: its scoring frames and its export files."""
    scores = pipeline.run(REPO).scores
    files = export_files(scores)
    editions = set(data.editions)
    companies = scores.companies[scores.companies["edition"].isin(editions)]
    probes = scores.probes[scores.probes["edition"].isin(editions)]
    return Published(
        companies=companies.set_index(["edition", "slug"]).to_dict("index"),
        probes=probes.set_index(["edition", "slug", "probe"]).to_dict("index"),
        scores_csv={(r["edition"], r["slug"]): r for r in _csv(files["scores.csv"])
                    if r["edition"] in editions},
        probes_csv={(r["edition"], r["slug"], int(r["probe"]) - 1): r
                    for r in _csv(files["probes.csv"]) if r["edition"] in editions},
    )


# --------------------------------------------------------------------------- comparing

def _value(x: Any) -> Any:
    """A frame or CSV cell as a plain value: None for missing, numbers as float."""
    if x is None or x is pd.NA:
        return None
    if isinstance(x, str):
        if not x:
            return None
        if x in ("True", "False"):
            return x == "True"
        try:
            return float(x)
        except ValueError:
            return x
    if pd.isna(x):
        return None
    if isinstance(x, bool):
        return x
    return float(x) if isinstance(x, int | float) else x


def _same(a: Any, b: Any, tol: float) -> bool:
    a, b = _value(a), _value(b)
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=0, abs_tol=tol)
    return bool(a == b)


Pairs = Iterator[tuple[str, Any, Any]]
SCOPES = ("overall", "sector", "country")


def _scores(c: rv.Company, p: Published) -> Pairs:
    yield "score (4 decimals, scores.csv)", c.score, p.scores_csv[c.edition, c.slug]["score"]


def _interval(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    yield "interval low (4 decimals, ccr explain)", c.low, row["score_low"]
    yield "interval high (4 decimals, ccr explain)", c.high, row["score_high"]


def _shown(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    yield "shown score (scores.csv)", c.shown, p.scores_csv[c.edition, c.slug]["score_display"]
    yield "shown score", c.shown, row["score_display"]
    yield "shown interval low", c.shown_low, row["score_low_display"]
    yield "shown interval high", c.shown_high, row["score_high_display"]


def _ranked(c: rv.Company, p: Published) -> Pairs:
    yield "ranked", c.ranked, p.companies[c.edition, c.slug]["ranked"]
    yield ("limited evidence (scores.csv)", not c.ranked,
           p.scores_csv[c.edition, c.slug]["limited_evidence"])


def _ranks(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    for scope in SCOPES:
        yield f"rank {scope}", c.rank[scope], row[f"rank_{scope}"]
        yield f"rank {scope} (scores.csv)", c.rank[scope], p.scores_csv[c.edition, c.slug][
            f"rank_{scope}"]


def _ranges(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    for scope in SCOPES:
        yield f"rank range {scope}: best", c.rank_best[scope], row[f"rank_{scope}_low"]
        yield f"rank range {scope}: worst", c.rank_worst[scope], row[f"rank_{scope}_high"]


def _groups(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    for scope in SCOPES:
        yield f"indistinguishable group {scope}", c.group[scope], row[f"group_{scope}"]


def _grades(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    csv_row = p.scores_csv[c.edition, c.slug]
    yield "grade", c.grade, row["grade"]
    yield "tier", c.tier, row["tier"]
    yield "grade (scores.csv)", c.grade, csv_row["grade"]
    yield "tier (scores.csv)", c.tier, csv_row["tier"]


def _sub_scores(c: rv.Company, p: Published) -> Pairs:
    csv_row = p.scores_csv[c.edition, c.slug]
    for name in ("reachability", "speed", "quality", "transparency", "respect"):
        # scores.csv carries sub-scores to 6 decimals
        yield f"{name} (scores.csv)", round(getattr(c, name), 6), csv_row[name]


def _parts(c: rv.Company, p: Published) -> Pairs:
    row = p.companies[c.edition, c.slug]
    yield "raw score", round(c.raw_score, 4), row["raw_score"]
    yield "fixed part F", c.fixed, row["fixed_part"]
    yield "probe part ȳ", c.probe_part, row["probe_part"]
    yield "prior mean m", c.prior_mean, row["prior_mean"]
    yield "prior σ²", c.prior_within_var, row["prior_within_var"]
    yield "prior τ²", c.prior_between_var, row["prior_between_var"]
    yield "prior companies", c.prior_companies, row["prior_companies"]
    yield "B", c.shrinkage, row["shrinkage"]
    yield "shrunk probe part", c.shrunk, row["probe_part_shrunk"]


def _probes(c: rv.Company, p: Published) -> Pairs:
    for i, probe in enumerate(c.probes):
        row = p.probes[c.edition, c.slug, i]
        out = p.probes_csv[c.edition, c.slug, i]
        at = f"probe {i + 1}"
        yield f"{at} answered (probes.csv)", probe.answered, out["answered"]
        yield (f"{at} business-time reply s (probes.csv)", probe.reply_business_seconds,
               out["reply_business_seconds"])
        yield f"{at} speed points (probes.csv)", round(probe.speed, 6), out["speed_points"]
        yield (f"{at} quality points (probes.csv)",
               None if probe.quality_points is None else round(probe.quality_points, 6),
               out["quality_points"])
        yield f"{at} promise points", probe.promise, row["promise_points"]
        yield f"{at} respect points", probe.respect, row["respect_points"]
        yield f"{at} probe value", probe.value, row["probe_value"]


# figure → (its pairs, the tolerance of a number)
FIGURES: dict[str, tuple[Callable[[rv.Company, Published], Pairs], float]] = {
    "score": (_scores, 0.001),          # the 4-decimal score, as the brief asks
    "interval": (_interval, FOURTH),    # catches the rounded z = 1.6449 (off by up to 0.0004)
    "shown": (_shown, 0.0),
    "ranked": (_ranked, 0.0),
    "ranks": (_ranks, 0.0),
    "rank ranges": (_ranges, 0.0),
    "groups": (_groups, 0.0),
    "grades and tiers": (_grades, 0.0),
    "sub-scores": (_sub_scores, 1e-9),
    "parts and prior": (_parts, 1e-6),
    "probes": (_probes, 1e-9),
}


def mismatches(figure: str, ours: list[rv.Company], published: Published) -> Iterator[str]:
    """Each company-edition figure where the recomputation and CCR differ."""
    pairs, tol = FIGURES[figure]
    for c in ours:
        for label, mine, theirs in pairs(c, published):
            if not _same(mine, theirs, tol):
                yield f"{c.edition}/{c.slug} {label}: recomputed {mine!r}, CCR {theirs!r}"


# --------------------------------------------------------------------------- the tests

def test_the_recomputation_reads_no_ccr_code() -> None:
    """recompute_v2.py imports nothing of CCR's: it is the doc and the YAML alone."""
    tree = ast.parse((Path(rv.__file__)).read_text("utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"benchmark", "tests"}}


def test_every_company_edition_is_recomputed(ours: list[rv.Company], published: Published,
                                             data: rv.Data) -> None:
    """Both sides cover the same company-editions, each once."""
    assert len(data.editions) >= 2  # both demo editions use v2
    keys = {(c.edition, c.slug) for c in ours}
    assert len(keys) == len(ours)
    assert keys == set(published.companies)
    assert keys == set(published.scores_csv)


@pytest.mark.parametrize("figure", FIGURES)
def test_figure_is_reproduced(figure: str, ours: list[rv.Company], published: Published) -> None:
    """Every company-edition's figure equals the recomputed one."""
    wrong = list(mismatches(figure, ours, published))
    assert not wrong, f"{len(wrong)} differences, the first: " + "\n".join(wrong[:10])


def _floor(value: float, decimals: int = 0) -> float:
    """Rounding down: the wrong rounding rule."""
    step = 10.0 ** decimals
    return math.floor(value * step) / step


BREAKS: dict[str, tuple[Callable[[rv.Method], rv.Method], str]] = {
    "no τ² floor": (lambda m: replace(m, sd_floor=0.0), "shown"),
    "one decimal shown": (lambda m: replace(m, decimals=1), "shown"),
    "no public holidays": (lambda m: replace(m, public_holidays=False), "score"),
    "ranked from 2 probes": (lambda m: replace(m, min_probes=2), "ranked"),
    "95 % interval": (lambda m: replace(m, interval=0.95), "interval"),
    "half as many points for speed": (
        lambda m: replace(m, weights={**m.weights, "speed": m.weights["speed"] / 2}), "probes"),
}


@pytest.mark.parametrize("rule", [*BREAKS, "truncating rounding"])
def test_a_broken_rule_is_noticed(rule: str, method: rv.Method, data: rv.Data,
                                  published: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    """A recomputation with one rule broken no longer matches: the comparison can fail."""
    if rule == "truncating rounding":
        monkeypatch.setattr(rv, "half_up", _floor)
        broken, figure = method, "shown"
    else:
        change, figure = BREAKS[rule]
        broken = change(method)
    assert next(mismatches(figure, rv.recompute(REPO, broken, data), published), None)
