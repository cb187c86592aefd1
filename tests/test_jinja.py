"""The page templates' environment escapes by default, for HTML and for Markdown."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from benchmark.render.jinja import environment


def test_data_text_prints_inert() -> None:
    """Text from data shows literally for HTML and Markdown; numbers and markup pass."""
    out = environment().from_string("{{ name }}|{{ n }}|{{ m }}").render(
        name="<b>*x*</b> [a](javascript:x)", n=3.5, m=Markup("<em>ok</em>"))
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
        '<a href="https://a.example/?q=1&amp;r=2">x</a>')
