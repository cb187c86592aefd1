"""Helpers for the company page tests (tests/test_company_page.py, test_correction_effect.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import load_config

from benchmark.pipeline import run
from benchmark.render.common import Context, Settings
from benchmark.render.company import CompanyPage, company_bodies

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, tzinfo=UTC)
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)
HOSTILE = (
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "</script>",
    "{% raw %}",
    "<!--",
    "![img](https://evil.example/x.png)",
    "&lt;b&gt;",
    "| a | b |",
    "*em* _em_ `code`",
    "# Heading {#id}",
    '!!! note "x"',
    '<div markdown="1">*x*',
    "  leading space",
    "***",
    "Ω — ü ß 中文",
    "",
)


@cache
def _config() -> tuple[list[str], dict[str, dict[str, Any]]]:
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(ROOT / "tests" / "fixtures"))
    return config["markdown_extensions"], config["mdx_configs"]


def site_markdown(source: str) -> str:
    """Python-Markdown with the site's extensions and their settings, as MkDocs runs it."""
    extensions, configs = _config()
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(source)


def pages(root: Path) -> dict[str, CompanyPage]:
    """Every company page of the data below ``root``, by path."""
    result = run(root, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    return {p.path: p for p in company_bodies(ctx)}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[str] = []
        self.unexpected: set[str] = set()
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "b", "em"):
            self.unexpected.add(tag)
        if tag == "img" and not str(dict(attrs).get("src", "")).startswith("../../badges/"):
            self.unexpected.add(tag)
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if not self._pre:
            self.data.append(data)
