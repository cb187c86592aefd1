"""The published versions, served from gh-pages: the version selector lists every edition."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import OpenPage, serve_directory
from tests.helpers import publish

pytestmark = pytest.mark.browser


def test_version_selector_lists_both_editions(
    repo: Path, tmp_path: Path, open_page: OpenPage
) -> None:
    """Served gh-pages shows a selector with both versions; the older one says it is older."""
    publish(repo, "fixture-edition")
    publish(repo, "later-edition", "--alias", "latest")
    archive = subprocess.run(
        ["git", "archive", "gh-pages"], cwd=repo, check=True, capture_output=True
    ).stdout
    pages = tmp_path / "gh-pages"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(pages, filter="tar")
    with serve_directory(pages) as base:
        page, watch = open_page(base + "later-edition/")
        current = page.locator(".md-version__current")
        expect(current).to_have_text("later-edition")
        links = page.locator(".md-version__list .md-version__link")
        expect(links).to_have_count(2)
        assert sorted(links.all_text_contents()) == ["fixture-edition", "later-edition"]
        assert watch.console_errors == []
        assert watch.foreign_requests == []
        page, _ = open_page(base + "fixture-edition/")
        expect(page.locator(".md-banner--warning")).to_contain_text("earlier edition")
        page, _ = open_page(base)  # the root redirects to the default version (latest)
        expect(page.locator(".md-version__current")).to_have_text("later-edition")
