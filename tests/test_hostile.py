"""The hostile-input corpus (tests/hostile.py): each case gives its expected outcome.

A problem case must end in that kind of problem, printed as file:line:col with a hint, exit
1 and no traceback; heavy cases run in a child process with a memory limit and a timeout. A
text case must validate and its page must show the string as text: no element, attribute or
link comes from it.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner
from mkdocs.config import load_config

from benchmark.cli import cli
from benchmark.pipeline import run
from benchmark.render import render
from benchmark.render.common import Settings
from tests.helpers import FIXTURES, REPO, DrawnCharts
from tests.hostile import CASES, TEXTS, Case, place

NOW = datetime(2026, 11, 23, tzinfo=UTC)
LINE = re.compile(
    r"^data/(companies|editions|methodology)/[\w.-]+\.yaml:[1-9]\d*:[1-9]\d*: .+ — hint: .+$"
)
MEMORY = 1536 * 1024 * 1024  # a child's address-space limit for the heavy cases
PROBLEMS = [c for c in CASES if c.kind]


def test_corpus_is_large_and_named_once() -> None:
    """At least 60 cases, each name once, each with exactly one kind of outcome."""
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    assert all((c.kind is None) == (c.literal is not None) for c in CASES)


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM after ``seconds``."""

    def expire(_sig: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def validate(tree: Path, target: Path, case: Case, fmt: str) -> tuple[int, str]:
    """Exit code and output of `ccr validate --format fmt` on the case's file."""
    args = ["validate", "--format", fmt, str(target)]
    if case.heavy:
        done = subprocess.run(
            [sys.executable, "-m", "benchmark", *args],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=_limit_memory,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert "MemoryError" not in done.stderr
        return done.returncode, done.stdout
    with deadline(30):
        result = CliRunner().invoke(cli, [*args, "--root", str(tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("case", PROBLEMS, ids=lambda c: c.name)
def test_problem_case(tree: Path, case: Case) -> None:
    """Its kind of problem (and line, if given): file:line:col, hint, exit 1, no traceback.

    A warning case (a look-alike) exits 0: the file is valid, the reviewer is warned.
    """
    target = place(tree, case)
    code, out = validate(tree, target, case, "json")
    assert code == (0 if case.warning else 1), out
    report = json.loads(out)
    kinds = {
        p["kind"] for p in report["problems"] if p["file"] == target.relative_to(tree).as_posix()
    }
    assert case.kind in kinds, report["problems"][:3]
    code, out = validate(tree, target, case, "text")
    lines = [line for line in out.splitlines() if line.startswith("data/")]
    assert lines, out
    assert all(LINE.match(line) for line in lines), lines[:3]
    assert case.text is None or case.text in lines, lines


@cache
def _site_config() -> Any:
    """The site's MkDocs configuration (read once)."""
    return load_config(str(REPO / "mkdocs.yml"), docs_dir=str(FIXTURES))


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's extensions and their settings, as MkDocs runs it."""
    config = _site_config()
    return markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )


class _Page(HTMLParser):
    """Collects a page's text, its tags and their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html(md: str) -> str:
    body = md.split("\n---\n", 1)[1] if md.startswith("---\n") else md
    return _site_markdown().convert(body)


@pytest.mark.parametrize("case", TEXTS, ids=lambda c: c.name)
def test_text_case_shows_literally(site_tree: Path, case: Case, chart_store: DrawnCharts) -> None:
    """The case validates; its page, through Markdown, shows the string as text only."""
    place(site_tree, case)
    with deadline(30):
        result = run(site_tree, NOW)
        pages = {
            o.path: o.content.decode()
            for o in render(result.dataset, result.scores, Settings(), exports=chart_store)
            if o.path.endswith(".md")
        }
    page = pages[
        "editions/fixture-edition.md" if case.target == "edition" else "companies/valid.md"
    ]
    parsed = _Page()
    parsed.feed(_html(page))
    shown = re.sub(r"\s+", " ", "".join(parsed.text))
    assert case.literal is not None
    assert re.sub(r"\s+", " ", case.literal) in shown
    for tag, attrs in parsed.tags:
        # The only images: the company's badge, and a report chart's own build-time SVG
        # (shown until the interactive chart is drawn), both made by CCR, never from data.
        ours = ("../../badges/", "../../charts/editions/fixture-edition/")
        assert tag not in {"script", "iframe", "img", "svg", "object", "embed", "b"} or (
            tag == "img"
            and str(attrs.get("src", "")).startswith(ours)
            and str(attrs.get("src", "")).endswith(".svg")
        ), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href and ":" in href.split("/")[0]:
            assert href.startswith(("http://", "https://")), href
