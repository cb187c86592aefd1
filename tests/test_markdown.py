"""benchmark/markdown.py: any text, rendered by GitHub's cmark-gfm, is text and nothing more."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmark.markdown import fence, text

from .github_markdown import live, render, shown

# The characters Markdown, HTML and GitHub give a meaning to, and their words, made common.
SYNTAX = "\\`*_[]()!<>&|~#@:$-+=.'\"{}/\n\r\t "
TOKENS = ["www.", "<!--", "-->", "https://", "GH-1", "```", "&#64;", "@a", "#1", ":a:"]
ANY_TEXT = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.sampled_from(TOKENS), st.characters(codec="utf-8")),
    max_size=30,
).map("".join)
HOSTILE = [
    "@octocat please approve",
    "Fix #1 and GH-2, owner/repo#3",
    "a@b.example",
    "https://evil.example/x?y=1",
    "www.evil.example",
    "<!-- the rest",
    "<img src=x onerror=y>",
    "![x](https://evil.example/t.png)",
    "[click](https://evil.example)",
    "[a]: https://e.example",
    "`code` ```fence``` ~~strike~~ *em* __strong__",
    "$x^2$",
    "&#64;octocat &lt;b&gt;",
    ":shipit: :+1:",
    "a\n# Approved by maintainers\n",
    "| cell | break |",
    "\\@escaped",
    "\u202eevil",
    "nul\x00byte",
]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _visible(value: str) -> str:
    """What a reader should see of ``value`` as inline text (less ZERO WIDTH SPACEs)."""
    value = " ".join(BIDI.sub("\ufffd", value).replace("\u200b", "").split())
    return re.sub("[\x00-\x1f\x7f-\x9f]", "\ufffd", value)


def _check_inline(value: str) -> None:
    """``text(value)`` in a sentence and in a table cell shows ``value``, and only that."""
    escaped = text(value)
    for markdown, expected in (
        (f"A {escaped} B\n", f"A {_visible(value)} B"),
        (f"| h |\n|---|\n| x {escaped} y |\n", f"h x {_visible(value)} y"),
    ):
        html = render(markdown)
        assert live(html) == [], (value, markdown, html)
        seen, code = shown(html)
        assert code == ""
        assert " ".join(seen.split()) == " ".join(expected.split()), (value, html)


@given(ANY_TEXT)
@settings(max_examples=400, deadline=None)
@example("@octocat")
@example("www.evil.example")
@example("`")
def test_inline_text_is_shown_literally_and_nothing_is_live(value: str) -> None:
    """Whatever the text, GitHub shows it as written: no tag, link, mention or reference."""
    _check_inline(value)


def test_the_hostile_strings_are_text() -> None:
    """The strings of issue 15's review, one by one."""
    for value in HOSTILE:
        _check_inline(value)


def _fence_shows(line: str) -> str:
    """What a code block shows of one line given to :func:`fence`."""
    line = LINE_BREAK.sub("\\\\n", BIDI.sub("\ufffd", line))
    return re.sub("[\x00-\x08\x0a-\x1f\x7f-\x9f]", "\ufffd", line)


@given(st.lists(ANY_TEXT, max_size=5))
@settings(max_examples=200, deadline=None)
@example(["```", "# Approved by maintainers", "````"])
def test_a_fence_holds_any_lines(lines: list[str]) -> None:
    """A fenced block, whatever its lines, is one code block showing them, line by line."""
    markdown = "\n".join(["before", "", *fence(lines), "", "after"]) + "\n"
    html = render(markdown)
    assert live(html) == [], (lines, html)
    seen, code = shown(html)
    assert " ".join(seen.split()) == "before after"
    assert code == "".join(_fence_shows(line) + "\n" for line in lines), (lines, html)
