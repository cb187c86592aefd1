"""Filling a shell without MkDocs: ``Shell.finish`` is ``compact(fill(out))``, faster.

The stamping finishes a page by compacting only its body (or nothing, when the body is
compact already: :func:`benchmark.postbuild.is_compact`). These tests hold it to the slow
definition on a small shell, for hand-made bodies and a seeded crowd of random ones made
of the pieces compaction cares about: kept elements (closed, unclosed, in any case, the
long s that matches ``s`` when the case is ignored), whitespace around line breaks, empty
values. tests/test_stamp.py compares whole stamped sites with MkDocs' own.
"""

from __future__ import annotations

import random

import pytest

from benchmark import postbuild, stamp
from benchmark.render import Output

E = stamp.escape
BUILT = (
    f"<html>\n  <head>\n    <title>{E(stamp.TITLE)} - CCR</title>\n"
    '    <link rel="canonical" href="https://x.example/companies/ccr_shell/">\n'
    f'    <meta property="og:title" content="{E(stamp.TITLE)}">\n  </head>\n  <body>\n'
    "   <pre> a  \n\n b</pre>\n    <article>\n"
    f"      <h1>{E(stamp.TITLE)}</h1>\n\n{stamp.BODY}\n\n   </article>\n"
    "  <script>\n  x </script>\n</body>\n</html>\n"
)
PIECES = [
    *("<pre>", "</pre>", "<PRE x>", "</pre >", "<script>", "</script>", "<ſcript>"),
    *("<style>", "</STYLE>", "<textarea>", "</textarea>", "pre>", "<h1>", "<p>", "<", ">"),
    *("\n", " ", "\t", "\xa0", "\u2028", "a", "\n\n", " \n", "\n "),
]


def _finish_is_fill_compacted(body: str, title: str) -> None:
    shell = stamp.Shell.parse("companies", BUILT)
    out = Output("companies/x.md", body.encode(), "stamped", title=title, description="d")
    assert shell.finish(out) == postbuild.compact(shell.fill(out)), (body, title)


@pytest.mark.parametrize(
    "body",
    [
        '<div class="ccr-company"><h1>A</h1>\n<p>b</p>\n<pre>  x\n\n  y</pre>\n</div>',
        "<div><h1>A</h1>\n   <p>indented</p>\n</div>",
        "<div><h1>A</h1><pre>never closed\n\n</div>",
        "<div><h1>A</h1><<pre></pre>pre>\n  x</div>",
        "<div><h1>A</h1><ſcript>\n  x</div>",
        "",
        "x",
    ],
)
def test_finish_equals_compacted_fill(body: str) -> None:
    """Hand-made bodies: compact, indented, unclosed, the long s, empty."""
    _finish_is_fill_compacted(body, "Title")


def test_finish_equals_compacted_fill_for_random_bodies() -> None:
    """A seeded crowd of bodies and titles (empty ones too) made of the pieces that matter."""
    rng = random.Random(16)
    for _ in range(3000):
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        title = "".join(rng.choice("a <&\n") for _ in range(rng.randint(0, 4)))
        _finish_is_fill_compacted(body, title)


def _open_element(html: str) -> bool:
    """True when an element compaction keeps is opened and never closed (scanned as it scans)."""
    at = 0
    while (opener := postbuild.OPENER.search(html, at)) is not None:
        kept = postbuild.KEEP.match(html, opener.start())
        if kept is None:
            return True
        at = kept.end()
    return False


def test_is_compact_never_claims_what_compact_denies() -> None:
    """``is_compact`` true means compaction changes nothing and no kept element is open."""
    rng = random.Random(61)
    claimed = 0
    for _ in range(5000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        if postbuild.is_compact(html):
            claimed += 1
            assert postbuild.compact(html) == html, html
            assert not _open_element(html), html
    assert claimed > 100  # the fast path is taken, not only the slow one


def test_compact_pages_are_recognised() -> None:
    """A page the templates wrote compact (kept elements hold blank lines) takes the fast path."""
    assert postbuild.is_compact('<div><h1>A</h1>\n<pre>  x\n\n  y</pre>\n<p class="b">c</p></div>')
    assert not postbuild.is_compact("<div>\n  <p>c</p></div>")
    assert not postbuild.is_compact("<div><pre>open</div>")
