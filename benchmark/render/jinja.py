"""The one Jinja2 environment every generated page body is rendered with: escape by default.

Autoescape is on, and every value a template prints that is not already markup passes
through :func:`~benchmark.render.text.text` on its way out (the environment's ``finalize``):
a string from a data file becomes inert for HTML *and* for Markdown, whichever reads the page
next. Numbers print as they are. A helper that must emit markup returns
:class:`markupsafe.Markup`; such helpers are few, live beside the page they serve and are
tested. Templates live in ``benchmark/render/templates/`` (one per page kind, partials
named ``_*.html``).

Modules register their own filters and globals with :func:`register_filter` /
:func:`register_global` at import time, so this file stays the one place the environment is
configured.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .text import _BIDI, attr, safe_url, text

try:  # markupsafe's C escape without its Markup wrapper (the HTML-only env prints str)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    from markupsafe._native import _escape_inner

TEMPLATES = Path(__file__).with_name("templates")

_FILTERS: dict[str, Callable[..., Any]] = {}
_GLOBALS: dict[str, Any] = {}


def _finalize(value: Any) -> Any:
    """What a template prints: markup as it is, numbers as they are, anything else inert."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool) or value is None:
        return Markup(text(value if value is not None else ""))
    if isinstance(value, int | float):
        return Markup(str(value))
    return Markup(text(value))


def html_text(value: Any) -> Markup:
    """A data string as inert HTML, for bodies no Markdown reads (stamped company pages).

    HTML-escaped by markupsafe's C ``escape`` (``& < > " '``), bidi controls replaced and
    whitespace folded to one line as :func:`~benchmark.render.text.text` does (no blank line
    can end the raw HTML block); Markdown punctuation stays as it is, which is safe only
    inside one raw HTML block that Markdown passes through unread.
    """
    return Markup(_html_str(value))


def _html_str(value: Any) -> str:
    """:func:`html_text` as a plain string."""
    return _inert("" if value is None else str(value))


def _inert(s: str) -> str:
    if not s.isascii():
        s = _BIDI.sub("\ufffd", s)
    return _escape_inner(" ".join(s.split()))


# Short texts already made inert, by text: a page prints the same words again and again
# ("met", "—", channel names). Bounded: once full, new texts are escaped each time.
_SEEN: dict[str, str] = {}
_SEEN_MAX = 50_000
_SEEN_LONGEST = 80


def _finalize_html(value: Any) -> str:
    """What an HTML-only template prints: markup and numbers as they are, text HTML-inert.

    That environment has no autoescape: this is its escaping, one pass over each value.
    """
    cls = type(value)
    if cls is str:
        done = _SEEN.get(value)
        if done is None:
            done = _inert(value)
            if len(value) <= _SEEN_LONGEST and len(_SEEN) < _SEEN_MAX:
                _SEEN[value] = done
        return done
    if cls is Markup or cls is int or cls is float:
        return str(value)
    if hasattr(value, "__html__"):  # markup (Markup and its kind)
        return str(value.__html__())
    if isinstance(value, bool) or value is None:
        return _html_str(value if value is not None else "")
    if isinstance(value, int | float):
        return str(value)
    return _html_str(value)


def _attr(value: Any) -> Markup:
    """A value for an HTML attribute in double quotes (HTML-escaped, not Markdown-escaped)."""
    return Markup(attr(value))


def _url(value: Any) -> Markup | None:
    """An http(s) URL from data, escaped for an attribute; None for any other scheme."""
    url = safe_url(value)
    return None if url is None else Markup(attr(url))


def register_filter(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: make ``fn`` the template filter ``name``."""

    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        _FILTERS[name] = fn
        environment.cache_clear()
        return fn

    return add


def register_global(name: str, value: Any) -> None:
    """Make ``value`` available to every template as ``name``."""
    _GLOBALS[name] = value
    environment.cache_clear()


@cache
def environment(html_only: bool = False) -> jinja2.Environment:
    """The environment (made once; registering a filter or global makes it anew).

    ``html_only``: the environment for bodies that never go through Markdown (stamped company
    pages, one raw HTML block): printed text is HTML-escaped only (:func:`html_text`), which
    is much faster and smaller than the Markdown-safe :func:`~benchmark.render.text.text`.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # HTML-only: every printed value passes _finalize_html, which escapes it (a second
        # escape pass by autoescape would cost as much again and change nothing)
        autoescape=not html_only,
        finalize=_finalize_html if html_only else _finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    inert = html_text if html_only else (lambda v: Markup(text(v)))
    env.filters.update({"attr": _attr, "url": _url, "inert": inert})
    env.filters.update(_FILTERS)
    env.globals.update(_GLOBALS)
    return env


def render_template(name: str, /, **context: Any) -> str:
    """The template ``name`` rendered with ``context``."""
    return environment().get_template(name).render(**context)


def render_html(name: str, /, **context: Any) -> str:
    """The template ``name`` rendered for a body no Markdown reads (see :func:`html_text`)."""
    return environment(html_only=True).get_template(name).render(**context)
