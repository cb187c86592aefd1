"""Share previews: Open Graph / Twitter meta tags and the 1200 × 630 cards they point to.

The home page, each edition report and each company page carry og:title, og:description,
og:url, og:image (absolute, on the site's own address) and a large-image Twitter card; every
image they name is a PNG of 1200 × 630 written by the build. Company pages of an edition share
one card (a card per company would cost the 10,000-company build minutes).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import vl_convert
import yaml

from benchmark import cache
from benchmark.pipeline import run
from benchmark.render.common import Context, Settings
from benchmark.render.figures import share_cards

from .helpers import DemoRepo

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, tzinfo=UTC)
NEEDED = ("og:title", "og:description", "og:url", "og:image", "twitter:card")


class Meta(HTMLParser):
    """The page's <meta> tags: property or name → content (unescaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep a <meta> tag's content under its property or name."""
        if tag != "meta":
            return
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if key and a.get("content") is not None:
            self.found[key] = str(a["content"])


def meta(path: Path) -> dict[str, str]:
    """The meta tags of a built page."""
    parser = Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (signature, then the IHDR chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR", "no IHDR chunk first"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_png_size_reads_the_header() -> None:
    """The header check fails on what is not a PNG (so the size test means something)."""
    with pytest.raises(AssertionError):
        png_size(b"GIF89a" + bytes(30))
    head = (
        b"\x89PNG\r\n\x1a\n"
        + bytes(4)
        + b"IHDR"
        + (1200).to_bytes(4, "big")
        + (630).to_bytes(4, "big")
    )
    assert png_size(head) == (1200, 630)


def test_cards_are_1200_by_630() -> None:
    """share_cards: the home cards and, per edition, a report card and one company card."""
    result = run(REPO, NOW)
    ctx = Context.make(result.dataset, result.scores, Settings())
    cards = share_cards(ctx)
    assert sorted(cards) == [
        "charts/editions/2016-e-commerce/card.png",
        "charts/editions/2016-e-commerce/company-card.png",
        "charts/editions/2019-q1-software-houses/card.png",
        "charts/editions/2019-q1-software-houses/company-card.png",
        "charts/home/card.png",
        "charts/home/company-card.png",
    ]
    for data in cards.values():
        assert png_size(data) == (1200, 630)
    assert (
        cards["charts/home/card.png"] == cards["charts/editions/2019-q1-software-houses/card.png"]
    )  # the latest edition's


def test_cards_are_drawn_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build's export cache, a rebuild draws no card again and gets the same bytes."""
    result = run(REPO, NOW)
    ctx = Context.make(result.dataset, result.scores, Settings())
    drawn = []
    draw = vl_convert.vegalite_to_png

    def counted(*args: Any, **kwargs: Any) -> bytes:
        drawn.append(1)
        return bytes(draw(*args, **kwargs))

    monkeypatch.setattr(vl_convert, "vegalite_to_png", counted)
    first = share_cards(ctx, cache.ExportCache(tmp_path / "exports", tmp_path))
    assert len(drawn) == 4  # per edition: the report's card and the company card
    again = share_cards(ctx, cache.ExportCache(tmp_path / "exports", tmp_path))
    assert len(drawn) == 4
    assert again == first


def test_built_pages_carry_share_meta(demo_repo: DemoRepo) -> None:
    """Home, reports and a company page: the tags, absolute URLs on the site, real PNGs."""
    site_url = yaml.safe_load((demo_repo.root / "mkdocs.yml").read_text())["site_url"]
    assert site_url.startswith("https://")
    pages = {
        "index.html": "charts/home/card.png",
        "editions/2016-e-commerce/index.html": "charts/editions/2016-e-commerce/card.png",
        "editions/2019-q1-software-houses/index.html": "charts/editions/2019-q1-software-houses/card.png",  # noqa: E501 - the exact line the user sees
        "companies/alderbyte-goods/index.html": "charts/home/company-card.png",
    }
    for page, image in pages.items():
        found = meta(demo_repo.site / page)
        missing = [k for k in NEEDED if k not in found]
        assert missing == [], f"{page}: {missing}"
        assert found["twitter:card"] == "summary_large_image"
        assert found["og:image"] == site_url + image, page
        assert found["og:url"] == site_url + page.removesuffix("index.html")
        assert found["og:title"]
        assert found["og:description"]
        assert png_size((demo_repo.site / image).read_bytes()) == (1200, 630)
        for key, value in found.items():  # every URL in them is the site's own
            if re.match(r"(?:https?:)?//", value):
                assert value.startswith(site_url), f"{page}: {key} = {value}"
    report = meta(demo_repo.site / "editions/2016-e-commerce/index.html")
    assert report["og:title"] == "E-commerce support: shops and online services"
    assert "&amp;" not in report["og:description"]  # escaped once, read back as text
