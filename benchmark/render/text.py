"""Text from data is text: escaping for Markdown and HTML, safe links, number formats.

Every string that comes from a data file passes through :func:`text` (or :func:`attr`) where
it is written. :func:`text` turns every character Markdown or HTML could read as syntax into
a numeric character reference, so Python-Markdown and the browser both show it literally and
neither can find a tag, a link, an emphasis or a table cell boundary in it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ..values import is_missing

# Characters with a meaning in Markdown (inline and block), HTML, tables, attribute lists,
# Jinja-style templates and pymdownx syntax. Letters, digits and spaces stay as they are.
_SPECIAL = set("\\`*_{}[]()#+-.!|~<>&\"'=:;/%$^@?")
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})
# Bidirectional overrides and isolates could reorder what the page around them shows.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def text(value: Any) -> str:
    """A data string as inert Markdown/HTML: shown literally, never read as markup."""
    s = "" if value is None else str(value)
    s = _BIDI.sub("\ufffd", s)
    s = s.translate(_TABLE)
    return " ".join(s.split())  # one line: no block syntax, no table row break


def attr(value: Any) -> str:
    """A string for an HTML attribute value in double quotes."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """The URL when it is http(s) with a host; None for any other scheme (javascript:, data:)."""
    if not isinstance(url, str):
        return None
    if re.fullmatch(r"https?://[^\s/?#\"'<>\\]+[^\s\"'<>\\]*", url):
        return url
    return None


def link(url: Any, label: Any) -> str:
    """An HTML link to an http(s) URL from data, or the label alone when the URL is not one."""
    target = safe_url(url)
    if target is None:
        return text(label)
    return f'<a href="{attr(target)}" rel="nofollow noopener">{text(label)}</a>'


def signed(value: Any, decimals: int = 1) -> str:
    """``+2.5``, ``−1.0``, ``0.0``; an em dash when there is none."""
    if is_missing(value):
        return "—"
    v = round(float(value), decimals)
    if v > 0:
        return f"+{v:.{decimals}f}"
    if v < 0:
        return f"−{-v:.{decimals}f}"
    return f"{0:.{decimals}f}"


def front_matter(**fields: Any) -> str:
    """YAML front matter; every value JSON-quoted (valid YAML) and HTML-escaped for titles."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, str):
            value = html.escape(value, quote=True)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"
