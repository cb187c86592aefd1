"""Methodology v1 stays reproducible: the bundled data scored with v1 gives its published scores.

`tests/pinned/v1-scores.csv` was written by `v1_scores_csv` on the commit before methodology
v2 existed, when both demo editions named v1. Each edition now names v2; this test scores the
same data with each edition switched back to v1 and compares the bytes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from benchmark.load import Dataset, read_dataset
from benchmark.score import score

from .helpers import REPO

PINNED = REPO / "tests/pinned/v1-scores.csv"
COLUMNS = [
    "edition",
    "slug",
    "term_reachability",
    "term_speed",
    "term_quality",
    "term_transparency",
    "term_respect",
    "score",
    "score_display",
    "grade",
    "tier",
    "rank_overall",
    "rank_sector",
    "rank_country",
]


def as_v1(dataset: Dataset) -> Dataset:
    """The same data with every edition scored by methodology v1."""
    editions = [replace(doc, data={**doc.data, "methodology": "v1"}) for doc in dataset.editions]
    return replace(dataset, editions=editions)


def v1_scores_csv(dataset: Dataset) -> str:
    """Every company's v1 terms, score, grade, tier and ranks as CSV text."""
    rows = score(as_v1(dataset)).companies.sort_values(["edition", "slug"])
    lines = [",".join(COLUMNS)]
    for row in rows[COLUMNS].itertuples(index=False):
        cells = [f"{v:.4f}" if isinstance(v, float) else str(v) for v in row]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def test_v1_scores_reproduce_byte_for_byte() -> None:
    """Every published v1 score, term, grade, tier and rank of the demo data, unchanged."""
    assert v1_scores_csv(read_dataset(Path(REPO))) == PINNED.read_text(encoding="utf-8")
