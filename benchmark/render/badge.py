"""An SVG badge per company: its score, interval and grade, for the company to embed.

``customer care | 44 [36–51] · D · 12 probes · 2019`` in the grade's colour (the edition's
year and the evidence travel with the score); a company below the evidence threshold gets no
grade: ``customer care | 37 [25–49] · unranked · 2 probes · 2019`` in grey. The badge is as
wide as its text (widths from DejaVu Sans Bold, the first font it names; ``textLength`` keeps
the text inside the box in any other font), and it carries the full sentence — score,
interval, grade or "unranked — limited evidence", rank range, probes — as its accessible name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..methodology import Methodology
from . import standing
from .text import attr

COLOURS = {"A": "#2e7d32", "B": "#33691e", "C": "#8a6700", "D": "#a84f00", "E": "#c62828"}
UNRANKED = "#555"
LEFT, HEIGHT, PAD = 108, 20, 8
# Advance widths at 11 px, bold: narrow punctuation, wide letters, digits, everything else.
NARROW, WIDE, DIGIT, OTHER = 4.2, 11.5, 7.7, 7.6


@dataclass(frozen=True, slots=True)
class Badge:
    """A company's badge: the SVG, its size and the sentence it stands for."""

    svg: str
    width: int
    height: int
    label: str


def text_width(value: str) -> float:
    """The width of bold 11 px text, from a coarse table of advance widths."""
    width = 0.0
    for ch in value:
        if ch in " ·.,:;il|[]()-–'!jtrf":
            width += NARROW
        elif ch in "mwMW":
            width += WIDE
        elif ch.isdigit():
            width += DIGIT
        else:
            width += OTHER
    return width


def badge_svg(value: str, label: str, colour: str) -> tuple[str, int]:
    """The SVG of ``customer care | value`` on ``colour`` named ``label``, and its width."""
    inner = math.ceil(text_width(value))
    width = LEFT + inner + 2 * PAD
    mid_l, mid_r = LEFT / 2, LEFT + (width - LEFT) / 2
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'role="img" aria-label="{attr(label)}"><title>{attr(label)}</title>'
        f'<rect width="{LEFT}" height="{HEIGHT}" rx="3" fill="#444"/>'
        f'<rect x="{LEFT}" width="{width - LEFT}" height="{HEIGHT}" rx="3" '
        f'fill="{colour}"/><rect x="{LEFT}" width="4" height="{HEIGHT}" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,sans-serif" '
        'font-size="11">'
        f'<text x="{mid_l:g}" y="14">customer care</text>'
        f'<text x="{mid_r:g}" y="14" font-weight="bold" textLength="{inner}">'
        f"{attr(value)}</text></g></svg>\n"
    )
    return svg, width


def badge(row: Any, method: Methodology) -> Badge:
    """The badge of a company's scored row (its latest edition)."""
    grade = standing.grade_or_none(row)
    shown = standing.score_compact(row, method)
    bounds = standing.interval(row, method)
    words = f"score {standing.score(row, method)} of 100" + (
        f" ({standing.level(method)} interval {bounds[0]}–{bounds[1]})" if bounds else ""
    )
    evidence = standing.probes(row["probes"])
    # The edition (its year on the badge, its id in the name) and the evidence behind the score
    # travel with it: a badge copied elsewhere still says when and on how many probes.
    edition, year = str(row["edition"]), str(row["started"])[:4]
    where = f"Customer Care Review, edition {edition}"
    if grade is None:
        value = f"{shown} · unranked · {evidence} · {year}"
        label = f"{where}: {words}; unranked — limited evidence ({evidence})"
        colour = UNRANKED
    else:
        value = f"{shown} · {grade} · {evidence} · {year}"
        label = (
            f"{where}: {words}, grade {grade}, "
            f"rank: {standing.rank_words(row).removeprefix('rank ')}, {evidence}"
        )
        colour = COLOURS.get(grade, UNRANKED)
    svg, width = badge_svg(value, label, colour)
    return Badge(svg, width, HEIGHT, label)
