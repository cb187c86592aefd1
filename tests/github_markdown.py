"""GitHub's Markdown, as far as a test can have it: cmark-gfm, then what GitHub links after.

:func:`render` is GitHub's own renderer (cmark-gfm, through cmarkgfm) with raw HTML let
through, so any HTML a report lets in shows as a tag. :func:`live` then lists everything in
the HTML that would be more than text on GitHub: elements other than the plain structure of
a report, comments, links and images, and the text GitHub turns into links after rendering
(``@mentions``, ``#123`` and ``GH-123`` references, bare URLs, ``:emoji:``), outside code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# What a report's Markdown makes: headings, paragraphs, tables, lists, code, emphasis.
STRUCTURE = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "pre",
        "code",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "del",
        "hr",
        "br",
        "blockquote",
    }
)
# Text GitHub links after rendering (outside code, pre and links).
POST_LINKS = re.compile(
    r"(?<![A-Za-z0-9_`])@[A-Za-z0-9]"  # @user, @org/team, a@b.example
    r"|(?<![A-Za-z0-9_&])#[0-9]"  # #123, owner/repo#123
    r"|(?i:\bgh-[0-9])"  # GH-123
    r"|(?i:\b(?:https?|ftp)://|\bwww\.(?!\u200b))"  # bare URLs
    r"|:[a-z0-9_+-]+:"
)  # :emoji: (custom ones are images)


def render(markdown: str) -> str:
    """The HTML cmark-gfm makes of ``markdown``, GitHub's extensions on, raw HTML kept."""
    return str(
        cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    )


class _Scan(HTMLParser):
    """Collects what is live in the HTML, and the text outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []
        self.code: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.found.append(f"link {dict(attrs).get('href')!r}")
        elif tag not in STRUCTURE:
            self.found.append(f"<{tag}> {attrs!r}")
        elif [a for a in attrs if a[0] != "lang" and not (tag in {"td", "th"} and a[0] == "align")]:
            self.found.append(f"<{tag}> with {attrs!r}")
        if tag not in {"br", "hr", "img"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_comment(self, data: str) -> None:
        self.found.append(f"<!--{data}-->")

    def handle_data(self, data: str) -> None:
        if {"code", "pre"} & set(self.stack):
            self.code.append(data)
            return
        self.text.append(data)
        if "a" not in self.stack:
            self.found += [
                f"post-render link {m.group()!r} in {data!r}" for m in POST_LINKS.finditer(data)
            ]


def live(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in ``html`` is more than text on GitHub, less the ``allowed`` findings."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    # An unclosed comment reaches the parser as text, but hides the rest of a page.
    unclosed = [
        f"unclosed <!-- at {i}"
        for i in range(len(html))
        if html.startswith("<!--", i) and "-->" not in html[i:]
    ]
    return [f for f in scan.found + unclosed if f not in allowed]


def shown(html: str) -> tuple[str, str]:
    """The text a reader sees outside code, and inside code (ZERO WIDTH SPACEs removed)."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return ("".join(scan.text).replace("\u200b", ""), "".join(scan.code))
