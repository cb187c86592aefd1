r"""Text from data as GitHub Markdown: shown literally, never read as markup, mention or link.

`ccr diff` writes a report that GitHub renders (a job summary, a pull request comment), so
every value it takes from data or from the command line passes through one of these:

- :func:`text` for inline text (a table cell, a sentence): each character GitHub Markdown or
  HTML could read as syntax is backslash-escaped (CommonMark shows ``\X`` as ``X`` for any
  ASCII punctuation X), and the things GitHub links after rendering are broken with an
  invisible ZERO WIDTH SPACE: ``@`` (mentions, e-mail autolinks), ``#`` (issue references),
  ``:`` (``https://`` autolinks, ``:emoji:``), ``www.`` and ``GH-123``. Line breaks and other
  whitespace become one space, so a value stays on its line and in its table cell.
- :func:`fence` for a block of lines shown as code: the fence is longer than any run of
  backticks inside, so no line can close it; a line break inside a line is shown as ``\n``.

Neither uses inline code spans: the comment workflow escapes every backtick outside a fenced
block again (see .github/workflows/pr-comment.yml), which this output passes unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

ZWSP = "\u200b"  # breaks a mention, reference or autolink without showing
# ASCII punctuation with a meaning in GitHub Markdown, its HTML, tables, math or links.
_ESCAPE = frozenset("\\`*_[]()!<>&|~#@:$")
_BREAK_AFTER = frozenset("@#:")
_GH = re.compile(r"(?<=gh)(?=-[0-9])", re.IGNORECASE)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BACKTICKS = re.compile("`+")


def _plain(value: Any) -> str:
    """The value as a string; bidirectional overrides and controls shown as U+FFFD."""
    s = "" if value is None else str(value)
    return _BIDI.sub("\ufffd", s)


def text(value: Any) -> str:
    """Inline Markdown that GitHub shows as exactly ``value`` (whitespace runs as one space).

    Not for the start of a line: the result may begin with ``+``, ``-``, ``=`` or a digit.
    """
    words = _plain(value).split()
    s = _CONTROL.sub("\ufffd", " ".join(words))
    out = []
    for c in s:
        if c in _ESCAPE:
            out.append("\\" + c)
            if c in _BREAK_AFTER:
                out.append(ZWSP)
        elif c == "." and out[-3:] and "".join(out[-3:]).lower() == "www":
            out.append("\\." + ZWSP)
        else:
            out.append(c)
    return _GH.sub(ZWSP, "".join(out))


def fence_line(value: Any) -> str:
    r"""One line of a code block: line breaks shown as ``\n``, other controls as U+FFFD."""
    s = _LINE_BREAK.sub("\\\\n", _plain(value))
    return _CONTROL.sub(lambda m: "\t" if m.group() == "\t" else "\ufffd", s)


def fence(lines: Iterable[Any], info: str = "text") -> list[str]:
    """A fenced code block showing ``lines`` literally, one per line, as Markdown lines."""
    body = [fence_line(line) for line in lines]
    longest = max((len(m.group()) for line in body for m in _BACKTICKS.finditer(line)), default=0)
    marker = "`" * max(3, longest + 1)
    return [marker + info, *body, marker]
