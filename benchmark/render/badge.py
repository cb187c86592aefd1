"""An SVG badge per company: its score and grade, for the company to embed on its site."""

from __future__ import annotations

from .text import attr

COLOURS = {"A": "#2e7d32", "B": "#33691e", "C": "#8a6700", "D": "#a84f00", "E": "#c62828"}
WIDTH, LEFT, HEIGHT = 180, 108, 20


def badge_svg(score: str, grade: str) -> str:
    """The badge: ``customer care | 72.3 · B`` in the grade's colour (no external font)."""
    colour = COLOURS.get(grade, "#555")
    value = f"{score} · {grade}"
    label = f"Customer Care Review: {score}, grade {grade}"
    mid_l, mid_r = LEFT / 2, LEFT + (WIDTH - LEFT) / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{attr(label)}"><title>{attr(label)}</title>'
        f'<rect width="{LEFT}" height="{HEIGHT}" rx="3" fill="#444"/>'
        f'<rect x="{LEFT}" width="{WIDTH - LEFT}" height="{HEIGHT}" rx="3" '
        f'fill="{colour}"/><rect x="{LEFT}" width="4" height="{HEIGHT}" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,sans-serif" '
        'font-size="11">'
        f'<text x="{mid_l:g}" y="14">customer care</text>'
        f'<text x="{mid_r:g}" y="14" font-weight="bold">{attr(value)}</text></g></svg>\n')
