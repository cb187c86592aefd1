"""Slots: the data-heavy raw-HTML blocks of generated Markdown pages, kept beside the page.

A generated page (an edition's report, a leaderboard, the A–Z list) holds big blocks of
HTML the render stage finished: a board's table, the lists of companies. Python-Markdown
passes such a block through as it is, so MkDocs is not needed to build it; but while it is
in the Markdown, a rename of one company changes the page and MkDocs runs again. The build
therefore takes each such block out of the Markdown (:func:`split`), leaving a placeholder
element that data can never produce (data is HTML-escaped: ``<`` never reaches a page as
itself), and keeps the blocks. MkDocs builds the page with the
placeholders (the *frame*); CCR then puts each block where its placeholder is
(:func:`fill`). The result is what MkDocs builds with the HTML inline. The blocks stay in
memory between the render and the filling (a few MB at 10,000 companies: boards carry their
first rows only), so no file on disk is ever read for them; the manifest keeps the sha256 of
each page's slots to tell an unchanged page.

Only a block Python-Markdown surely keeps byte for byte is taken out: it starts at the
beginning of a line after a blank line with one of :data:`OPENERS`, ends at the end of the
line where its element closes, before a blank line, and holds no blank line, tab, carriage
return, Python-Markdown placeholder character or ``markdown=`` attribute; a page with a
``markdown=`` attribute anywhere keeps all its blocks. Headings are never in a slot (the
table of contents is made from them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .errors import CCRError

# The opening tags of the blocks the render stage emits as slots: a board's table, an
# edition's lists by sector, the A–Z list (its letters, and each letter's heading and list:
# raw HTML, so never in the table of contents).
OPENERS = (
    '<div class="ccr-board" ',
    '<div class="ccr-sector-lists">',
    '<ul class="ccr-columns">',
    '<nav class="ccr-letters" ',
    '<h2 id="letter-',
)
PLACEHOLDER = '<div data-ccr-slot="{}"></div>'
_PLACEHOLDER = re.compile(r'<div data-ccr-slot="(\d+)"></div>')
_UNSAFE = re.compile(r"[\t\r\x02\x03]|\smarkdown\s*=")
_MARKDOWN_ATTR = re.compile(r"\smarkdown\s*=\s*[\"'\w]")


class SlotError(CCRError):
    """A built page does not hold its slots' placeholders as the build wrote them."""


def _tag(opener: str) -> str:
    return opener[1:].split(" ", 1)[0].rstrip(">")


def _end(lines: Sequence[str], start: int, tag: str) -> int | None:
    """The last line of the block opened at ``start``; None when it cannot be a slot."""
    pattern = re.compile(rf"<(/?){tag}[\s>/]")
    depth = 0
    for at in range(start, len(lines)):
        line = lines[at]
        if not line or _UNSAFE.search(line):
            return None
        for found in pattern.finditer(line):
            if depth == 0 and found.group(1) == "" and (at, found.start()) != (start, 0):
                return None  # a second element after the first closed
            depth += -1 if found.group(1) else 1
            if depth == 0 and line[found.start() :] != f"</{tag}>":
                return None  # text after the element's end on its line
        if depth == 0:
            return at if at + 1 == len(lines) or lines[at + 1] == "" else None
        if depth < 0:
            return None
    return None


def split(markdown: str) -> tuple[str, list[str]]:
    """(the page with each slot's block replaced by its placeholder, the blocks in order)."""
    if _MARKDOWN_ATTR.search(markdown):
        return markdown, []
    lines = markdown.split("\n")
    frame: list[str] = []
    blocks: list[str] = []
    at = 0
    while at < len(lines):
        end = _block(lines, at) if at > 0 and lines[at - 1] == "" else None
        if end is None:
            frame.append(lines[at])
            at += 1
            continue
        run = ["\n".join(lines[at : end + 1])]
        # Blocks one blank line apart make one slot; Python-Markdown writes them one line
        # apart, and the post-build pass makes any whitespace between them one line break.
        while end + 2 < len(lines) and (more := _block(lines, end + 2)) is not None:
            run.append("\n".join(lines[end + 2 : more + 1]))
            end = more
        frame.append(PLACEHOLDER.format(len(blocks)))
        blocks.append("\n".join(run))
        at = end + 1
    return "\n".join(frame), blocks


def _block(lines: Sequence[str], at: int) -> int | None:
    """The last line of a slot's block opening at line ``at``; None when none opens there."""
    opener = next((o for o in OPENERS if lines[at].startswith(o)), None)
    return None if opener is None else _end(lines, at, _tag(opener))


def record(path: str, blocks: Sequence[str]) -> bytes:
    """A page's slots as bytes (their sha256 goes into the manifest)."""
    return json.dumps({"path": path, "slots": list(blocks)}, ensure_ascii=False).encode("utf-8")


def fill(html: str, blocks: Sequence[str], page: str) -> str:
    """The built frame ``html`` with each placeholder replaced by its block.

    Each placeholder must be in the page exactly once, and no other: anything else means the
    engine changed the frame (SlotError).
    """
    found = list(_PLACEHOLDER.finditer(html))
    numbers = [int(m.group(1)) for m in found]
    if sorted(numbers) != list(range(len(blocks))):
        missing = sorted(set(range(len(blocks))) - set(numbers))
        doubled = sorted({n for n in numbers if numbers.count(n) > 1 or n >= len(blocks)})
        raise SlotError(
            f"{page}: the built page holds slot placeholders {missing} missing, "
            f"{doubled} doubled or unknown",
            "a Markdown extension or theme change altered the raw HTML; "
            "build with slots off (BuildOptions(slots=False)) to compare, or run ccr build --clean",
        )
    out, last = [], 0
    for match, number in zip(found, numbers, strict=True):
        out.append(html[last : match.start()])
        out.append(blocks[number])
        last = match.end()
    out.append(html[last:])
    return "".join(out)
