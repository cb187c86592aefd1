"""The page templates' environment escapes by default, for HTML and for Markdown."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from benchmark.render.jinja import environment


def test_data_text_prints_inert() -> None:
    """Text from data shows literally for HTML and Markdown; numbers and markup pass."""
    out = (
        environment()
        .from_string("{{ name }}|{{ n }}|{{ m }}")
        .render(name="<b>*x*</b> [a](javascript:x)", n=3.5, m=Markup("<em>ok</em>"))
    )
    for syntax in ("<b>", "*x*", "]("):
        assert syntax not in out
    assert out.endswith("|3.5|<em>ok</em>")


def test_undefined_is_an_error() -> None:
    """A name the template does not get fails the render instead of printing nothing."""
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ nothing }}").render()


def test_url_filter_drops_other_schemes() -> None:
    """Only http(s) URLs become links, escaped for the attribute."""
    t = environment().from_string('{% if u|url %}<a href="{{ u|url }}">x</a>{% endif %}')
    assert t.render(u="javascript:alert(1)") == ""
    assert t.render(u="https://a.example/?q=1&r=2") == (
        '<a href="https://a.example/?q=1&amp;r=2">x</a>'
    )


HOSTILE_HTML = [
    "*em* _x_ `c`",
    "[x](javascript:alert(1))",
    "{{ 7*7 }} {% x %}",
    "<!-- open",
    "# Heading {#id}",
    "<script>alert(1)</script>",
    "a \"q\" & 's'",
    "line\n\nbreak\tand  space",
    "left\u202eright\u2066iso",
]


@pytest.mark.parametrize("value", HOSTILE_HTML)
def test_html_only_text_is_literal_after_markdown(value: str) -> None:
    """The HTML-only environment: data text inside one raw block shows literally via Markdown."""
    import html
    import re

    import markdown

    env = environment(html_only=True)
    out = env.from_string('<div class="x">\n<p>{{ v }}</p>\n</div>').render(v=value)
    for bad in ("\n\n", "\u202e", "\u2066", "<script", "<!--"):
        assert bad not in out
    shown = " ".join(value.replace("\u202e", "\ufffd").replace("\u2066", "\ufffd").split())
    assert html.unescape(re.sub(r"<[^>]+>", "", out)).strip() == shown
    converted = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables"]).convert(out)
    assert converted == out  # one raw HTML block: Markdown passes it through unread


def test_html_only_prints_markup_and_numbers_as_they_are() -> None:
    """Markup, numbers and None print as in the Markdown-safe environment; text gets no entities."""
    env = environment(html_only=True)
    t = env.from_string("{{ m }}|{{ n }}|{{ f }}|{{ b }}|{{ z }}|{{ s }}|{{ s|inert }}")
    assert (
        t.render(m=Markup("<b>ok</b>"), n=3, f=1.5, b=True, z=None, s="a.b-c: d")
        == "<b>ok</b>|3|1.5|True||a.b-c: d|a.b-c: d"
    )
    assert environment().from_string("{{ s }}").render(s="a.b") == "a&#46;b"
