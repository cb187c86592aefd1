"""The chart export cache: a rebuild draws no chart again, and a bad entry is never used.

Report and home charts are drawn by vl-convert into SVG and PNG (the slowest part of the
render). The build keeps each rendering in ``.ccr-build/cache/exports/`` under the sha256 of
what vl-convert was given; an entry is used only when its sealed first line holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import vl_convert

from benchmark import cache, pipeline
from benchmark.render.charts import Chart
from tests.helpers import files, make_project

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"a": 1, "b": "x"}, {"a": 3, "b": "y"}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "a", "type": "quantitative"},
        "y": {"field": "b", "type": "nominal"},
    },
}
CHART = Chart(path="charts/editions/e/one.json", spec=SPEC, height=80, caption="One", table="")


class Counted:
    """vl-convert's drawing calls, counted: charts (SVG, then PNG) and share cards (PNG)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.svg = self.png = self.cards = 0
        svg, png, card = (
            vl_convert.vegalite_to_svg,
            vl_convert.svg_to_png,
            vl_convert.vegalite_to_png,
        )

        def count_card(*args: object, **kwargs: object) -> bytes:
            self.cards += 1
            return bytes(card(*args, **kwargs))  # type: ignore[arg-type]

        def count_svg(*args: object, **kwargs: object) -> str:
            self.svg += 1
            return svg(*args, **kwargs)  # type: ignore[arg-type]

        def count_png(*args: object, **kwargs: object) -> bytes:
            self.png += 1
            return png(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(vl_convert, "vegalite_to_svg", count_svg)
        monkeypatch.setattr(vl_convert, "svg_to_png", count_png)
        monkeypatch.setattr(vl_convert, "vegalite_to_png", count_card)

    def reset(self) -> None:
        """Start counting again."""
        self.svg = self.png = self.cards = 0


def entries(folder: Path) -> list[Path]:
    """The cache's entry files."""
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_a_stored_rendering_is_reused_and_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored rendering comes back byte for byte, and vl-convert is not called."""
    drawn = Counted(monkeypatch)
    plain = CHART.exports("")
    assert (drawn.svg, drawn.png) == (1, 1)
    store = cache.ExportCache(tmp_path / "exports", tmp_path)
    assert CHART.exports("", store) == plain
    assert (store.hits, store.misses) == (0, 2)
    drawn.reset()
    again = cache.ExportCache(tmp_path / "exports", tmp_path)
    assert CHART.exports("", again) == plain
    assert (drawn.svg, drawn.png) == (0, 0)
    assert (again.hits, again.misses) == (2, 0)


def test_the_key_names_kind_version_and_input() -> None:
    """Another kind or other input bytes: another key."""
    keys = {
        cache.ExportCache.key("svg", b"{}"),
        cache.ExportCache.key("png", b"{}"),
        cache.ExportCache.key("svg", b"{ }"),
    }
    assert len(keys) == 3


@pytest.mark.parametrize("damage", ["flipped", "cut", "foreign", "garbage", "empty"])
def test_a_bad_entry_is_drawn_again_and_replaced(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Corrupt, cut, planted or garbage: drawn again, same bytes, entry repaired."""
    folder = tmp_path / "exports"
    plain = CHART.exports("", cache.ExportCache(folder, tmp_path))
    stored = entries(folder)
    assert len(stored) == 2
    target, other = stored
    raw = target.read_bytes()
    if damage == "flipped":  # one byte of the content changed, the seal kept
        target.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    elif damage == "cut":
        target.write_bytes(raw[: len(raw) // 2])
    elif damage == "foreign":  # another entry's file, seal and all, under this name
        shutil.copyfile(other, target)
    elif damage == "garbage":
        target.write_bytes(b"\x00\xff not an entry")
    else:
        target.write_bytes(b"")
    drawn = Counted(monkeypatch)
    store = cache.ExportCache(folder, tmp_path)
    assert CHART.exports("", store) == plain
    assert (store.hits, store.misses) == (1, 1)
    assert drawn.svg + drawn.png == 1
    assert target.read_bytes() == raw  # replaced by a good entry


def test_a_clean_store_reads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean build's store draws every chart."""
    CHART.exports("", cache.ExportCache(tmp_path / "exports", tmp_path))
    drawn = Counted(monkeypatch)
    store = cache.ExportCache(tmp_path / "exports", tmp_path, read=False)
    CHART.exports("", store)
    assert (drawn.svg, drawn.png) == (1, 1)


@pytest.mark.slow
def test_a_rebuild_draws_no_chart_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole rebuild draws nothing and writes a clean build's bytes; a bad entry is redrawn."""
    root = make_project(tmp_path / "p")
    drawn = Counted(monkeypatch)
    pipeline.build(root, options=pipeline.BuildOptions(clean=True))
    assert drawn.svg > 0
    assert drawn.png == drawn.svg
    clean = files(root / "site")
    folder = root / ".ccr-build" / cache.EXPORTS
    assert drawn.cards > 0
    assert len(entries(folder)) == 2 * drawn.svg + drawn.cards
    drawn.reset()
    shutil.rmtree(root / "site")  # every page written anew, from the cache's renderings
    pipeline.build(root)
    assert (drawn.svg, drawn.png, drawn.cards) == (0, 0, 0)
    assert files(root / "site") == clean
    svg = next(p for p in entries(folder) if p.read_bytes().count(b"<svg"))
    svg.write_bytes(svg.read_bytes().replace(b"<svg", b"<svg data-x", 1))
    pipeline.build(root)
    assert (drawn.svg, drawn.png) == (1, 0)
    assert files(root / "site") == clean
