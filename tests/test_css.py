"""The site's style sheet parses: every block closes (a lost brace swallows all rules after it)."""

from __future__ import annotations

import re

from tests.helpers import REPO


def test_every_block_of_the_style_sheet_closes() -> None:
    """Braces balance and never close more than was opened, outside comments and strings."""
    css = (REPO / "docs" / "stylesheets" / "ccr.css").read_text(encoding="utf-8")
    code = re.sub(r'/\*.*?\*/|"[^"\n]*"', "", css, flags=re.DOTALL)
    depth = 0
    for line, text in enumerate(code.splitlines(), 1):
        depth += text.count("{") - text.count("}")
        assert depth >= 0, f"ccr.css: a '}}' near line {line} closes nothing"
    assert depth == 0, "ccr.css: a block is never closed"
