"""The demo generator (benchmark.demo): the methodology's vocabulary, output pinned byte for byte.

The demo editions are compared with the committed data by tests/test_demo_figures.py; the
synthetic data set is pinned here by a digest, in process.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from benchmark.demo.draws import marks
from benchmark.demo.files import write
from benchmark.demo.synthetic import build_synthetic
from benchmark.demo.vocabulary import CHANNEL_ORDER, ITEM_WEIGHTS, duration_seconds, rubric
from benchmark.methodology import from_data

from .helpers import REPO, tree_digest

# The files of `scripts/generate_demo.py --count 40`, as the single-file generator wrote them
# before it became a package (tag pre-19).
SYNTHETIC_40 = "be36faa4baa17b806f69ef410d294acb8797b3d939ec523527ed7b88c38c35ce"


def _methodology(version: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(
        (REPO / "data" / "methodology" / f"{version}.yaml").read_text(encoding="utf-8")
    )
    return data


def test_marks_use_the_rubric_of_the_demo_methodology() -> None:
    """Quality marks name exactly the v2 rubric items, in its order, each with a weight."""
    items = from_data(_methodology("v2")).rubric
    assert rubric() == items
    assert set(ITEM_WEIGHTS) == set(items)
    drawn = marks(random.Random(1), 4, 8, True, False)
    assert tuple(drawn) == items
    assert sum(value is True for value in drawn.values()) == 4


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_channel_order_names_every_channel_type_of_the_methodology(version: str) -> None:
    """The generator writes channels in an order that knows every methodology channel type."""
    families = from_data(_methodology(version)).families
    assert sorted(CHANNEL_ORDER) == sorted(families)
    assert len(set(CHANNEL_ORDER)) == len(CHANNEL_ORDER)


def test_durations_are_read_as_iso_8601() -> None:
    """Declared response times are ISO 8601 durations, read as whole seconds."""
    assert duration_seconds("PT2M") == 120
    assert duration_seconds("PT1H30M") == 5400
    assert duration_seconds("P1DT1S") == 86401
    with pytest.raises(ValueError, match="not a duration"):
        duration_seconds("90 minutes")


def test_synthetic_files_are_byte_identical_to_the_pinned_digest(tmp_path: Path) -> None:
    """The synthetic companies of --count 40 are the same bytes as before the split."""
    edition, companies = build_synthetic(40)
    write(tmp_path, [edition], companies)
    assert len(list((tmp_path / "companies").glob("*.yaml"))) == 40
    assert tree_digest(tmp_path) == SYNTHETIC_40
