"""Browser-test fixtures: Debian's Chromium once per session, a watched page per test.

Every test below tests/browser/ is marked ``browser`` (tests/conftest.py does it by path).
Without /usr/bin/chromium the tests here FAIL (never skip), saying how to install it;
Playwright's own browsers are never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    OpenPage,
    PageWatch,
    origin_of,
)


@pytest.fixture(autouse=True)
def _require_chromium() -> None:
    """Fail (never skip) every browser test when Debian's Chromium is missing."""
    if CHROMIUM_MISSING:
        pytest.fail(CHROMIUM_MISSING, pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per test session (per xdist worker)."""
    if CHROMIUM_MISSING:
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """Factory: a fresh watched context and page, navigated to a URL that must answer 2xx."""
    contexts: list[BrowserContext] = []

    def open_(url: str, **context_options: Any) -> tuple[Page, PageWatch]:
        """Open ``url`` in a new context whose served origin is ``url``'s own."""
        options: dict[str, Any] = {
            "service_workers": "block",
            "locale": "en-US",
            "timezone_id": "UTC",
            **context_options,
        }
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(10_000)
        watch = PageWatch(origin=origin_of(url))
        watch.attach(context)
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.ok, f"{url} answered {response.status} {response.status_text}"
        return page, watch

    yield open_
    for context in contexts:
        context.close()
