"""Every page of a site built from all the corpus's text cases, in Debian's Chromium.

Each text case of tests/hostile.py becomes a company of its own (or the edition's title) in
one site. Every HTML page of that site is loaded and must show no dialog, raise no error, make
no request off the origin, hold no script element the templates did not write (the scripts of
a site built from the clean fixture are the allowed set), no element with an event-handler
attribute, no frame or embedded object and no link with a scheme other than http(s); each
case's page must show its string as text.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page

from benchmark.cli import cli
from tests.browser.helpers import OpenPage, serve_directory, settle
from tests.helpers import FIXTURES, REPO, add_site_files
from tests.hostile import TEXTS, write_text_cases

pytestmark = pytest.mark.browser

# Each script element as a signature: its src (resolved against the page) or, for an inline
# one, its type, id and text with the page-relative base ("../..") taken out.
SCRIPTS = """() => [...document.querySelectorAll('script')].map(s => s.src
    ? 'src ' + new URL(s.getAttribute('src'), location.href).pathname
    : ['inline', s.type, s.id, s.textContent.replace(/(\\.\\.\\/?)+/g, '')].join(' '))"""
HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
SCHEMES = """() => [...document.querySelectorAll('a[href], area[href], form[action]')].map(
    a => new URL(a.getAttribute('href') ?? a.getAttribute('action'), location.href).protocol)"""
EMBEDS = "iframe, frame, object, embed, base, meta[http-equiv=refresh i]"


@dataclass(frozen=True)
class Sites:
    """The clean site's URL and pages, the hostile site's, and each case's page and literal."""

    clean: str
    clean_pages: list[str]
    hostile: str
    hostile_pages: list[str]
    shown: dict[str, str]


def _build(root: Path) -> list[str]:
    """Build the tree's site; return every HTML page's URL path, relative to the site."""
    add_site_files(root)
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    site = root / "site"
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name != "404.html"
    )


def _tree(root: Path) -> Path:
    shutil.copytree(FIXTURES / "tree", root, dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "methodology", root / "data" / "methodology")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    """Both sites built and served."""
    clean = _tree(tmp_path_factory.mktemp("clean"))
    shutil.copyfile(FIXTURES / "valid.yaml", clean / "data" / "companies" / "valid.yaml")
    clean_pages = _build(clean)
    hostile = _tree(tmp_path_factory.mktemp("texts"))
    shown = write_text_cases(hostile / "data", (FIXTURES / "valid.yaml").read_text())
    hostile_pages = _build(hostile)
    with (
        serve_directory(clean / "site") as clean_url,
        serve_directory(hostile / "site") as hostile_url,
    ):
        yield Sites(clean_url, clean_pages, hostile_url, hostile_pages, shown)


def _visit(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    settle(page)


def test_every_text_case_page_is_inert(sites: Sites, open_page: OpenPage) -> None:
    """No dialog, error, foreign request, foreign script, handler, frame or odd link anywhere."""
    assert len(sites.shown) == len(TEXTS)
    assert set(sites.shown) <= set(sites.hostile_pages)
    page, clean_watch = open_page(sites.clean)
    allowed: set[str] = set()
    for path in sites.clean_pages:
        _visit(page, sites.clean + path)
        allowed.update(page.evaluate(SCRIPTS))
    assert clean_watch.page_errors == []
    assert any(s.startswith("src ") for s in allowed)  # the signatures do see scripts

    page, watch = open_page(sites.hostile)
    found: list[str] = []
    for path in sites.hostile_pages:
        _visit(page, sites.hostile + path)
        found += [f"{path}: script {s[:80]!r}" for s in set(page.evaluate(SCRIPTS)) - allowed]
        found += [f"{path}: handler {h}" for h in page.evaluate(HANDLERS)]
        found += [
            f"{path}: scheme {s}"
            for s in set(page.evaluate(SCHEMES))
            if s not in ("http:", "https:")
        ]
        found += [f"{path}: embedded {n}" for n in range(page.locator(EMBEDS).count())]
        if path in sites.shown:
            text = re.sub(r"\s+", " ", page.locator("body").inner_text())
            if re.sub(r"\s+", " ", sites.shown[path]) not in text:
                found.append(f"{path}: does not show {sites.shown[path]!r}")
    assert found == []
    assert watch.dialogs == []
    assert watch.page_errors == []
    assert watch.console_errors == []
    assert watch.foreign_requests == []
    assert len(sites.hostile_pages) > len(TEXTS)  # every case's page, and the site's others
