#!/usr/bin/env python3
"""Rewrite the generated blocks of docs/ from their sources (methodology parameters).

docs/methodology.md holds one block per methodology version, between
`<!-- generated:methodology:VERSION:start -->` and `<!-- generated:methodology:VERSION:end -->`,
each made from data/methodology/VERSION.yaml.

Rewrite: `.venv/bin/python scripts/sync_docs.py`; `--check` exits 1 if a block is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark.fsutil import atomic_write  # noqa: E402 - after the path is set
from benchmark.load import parse_document  # noqa: E402 - after the path is set
from benchmark.methodology import from_data, to_markdown  # noqa: E402

BLOCK = re.compile(
    r"(<!-- generated:methodology:(v[0-9]+):start -->\n)(.*?)"
    r"(<!-- generated:methodology:\2:end -->)",
    re.S,
)


def block(version: str) -> str:
    """The generated Markdown of one methodology version."""
    path = ROOT / "data/methodology" / f"{version}.yaml"
    return to_markdown(from_data(parse_document(path.name, path.read_bytes()).data))


def expected(text: str) -> str:
    """The page with every generated block rewritten from its methodology file."""
    return BLOCK.sub(lambda m: m.group(1) + block(m.group(2)) + m.group(4), text)


def main() -> int:
    """Rewrite, or with --check report, the methodology page's generated blocks."""
    page = ROOT / "docs/methodology.md"
    text = page.read_text(encoding="utf-8")
    new = expected(text)
    if "--check" in sys.argv:
        if new != text:
            print("docs/methodology.md is out of date: run scripts/sync_docs.py")
            return 1
        return 0
    atomic_write(page, new.encode("utf-8"), ROOT)  # never through a link a PR planted
    return 0


if __name__ == "__main__":
    sys.exit(main())
