#!/usr/bin/env python3
"""Rewrite the generated blocks of docs/ from their sources (methodology parameters).

Rewrite: `.venv/bin/python scripts/sync_docs.py`; `--check` exits 1 if a block is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark.fsutil import atomic_write  # noqa: E402 - after the path is set
from benchmark.load import parse_document  # noqa: E402 - after the path is set
from benchmark.methodology import from_data, to_markdown  # noqa: E402

START, END = "<!-- generated:methodology:start -->", "<!-- generated:methodology:end -->"


def expected(text: str) -> str:
    """The page with its generated block rewritten from data/methodology/v1.yaml."""
    path = ROOT / "data/methodology/v1.yaml"
    method = from_data(parse_document(path.name, path.read_bytes()).data)
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{to_markdown(method)}{END}{tail}"


def main() -> int:
    """Rewrite, or with --check report, the methodology page's generated block."""
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
