"""MkDocs hook: drop the template indentation from every page (MkDocs skips .py theme files).

Material's templates indent their HTML deeply; on a company page that indentation is an
eighth of the bytes. Each run of whitespace that holds a line break becomes one line break,
which renders the same, except inside <pre>, <textarea>, <script> and <style>, kept as they are.
"""

from __future__ import annotations

import re
from typing import Any

KEEP = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")


def compact(html: str) -> str:
    """The page with each whitespace run that holds a line break made one line break."""
    out, last = [], 0
    for kept in KEEP.finditer(html):
        out.append(BREAK.sub("\n", html[last:kept.start()]))
        out.append(kept.group(0))
        last = kept.end()
    out.append(BREAK.sub("\n", html[last:]))
    return "".join(out)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Compact each page's HTML before MkDocs writes it."""
    return compact(output)
