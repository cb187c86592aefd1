"""The browser harness itself: it sees what it must see, and it can fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import OpenPage, axe_violations, is_foreign, serve_directory

pytestmark = pytest.mark.browser

FOREIGN_IMG = "https://cdn.example.invalid/x.png"


def html(body: str, head: str = "") -> str:
    """A minimal, accessible HTML document around ``body``."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Harness</title>{head}</head><body><main>{body}</main></body></html>"
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A tiny static site, served; yields its base URL."""
    pages = {
        "clean/index.html": html(
            "<h1>Clean</h1><p>Nothing to see.</p>", '<script src="../app.js"></script>'
        ),
        "app.js": 'document.documentElement.dataset.app = "ran";\n',
        "foreign/index.html": html(f'<h1>Foreign</h1><img src="{FOREIGN_IMG}" alt="x">'),
        "alert/index.html": html("<h1>Alert</h1><script>alert(1)</script>"),
        "console/index.html": html('<h1>Console</h1><script>console.error("x")</script>'),
        "throws/index.html": html("<h1>Throws</h1><script>null.boom()</script>"),
        "noalt/index.html": html(
            '<h1>No alt</h1><img src="data:image/gif;base64,'
            'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">'
        ),
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with serve_directory(tmp_path) as base_url:
        yield base_url


def test_same_origin_page_is_clean(site: str, open_page: OpenPage) -> None:
    """A page loading a same-origin script: it runs, and nothing is foreign, logged or shown."""
    page, watch = open_page(site + "clean/")
    assert page.evaluate("document.documentElement.dataset.app") == "ran"
    assert site + "app.js" in watch.requests
    assert watch.foreign_requests == []
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.dialogs == []


def test_foreign_request_is_recorded_and_aborted(site: str, open_page: OpenPage) -> None:
    """An image from another origin is recorded as foreign, exactly once, and never loads."""
    page, watch = open_page(site + "foreign/")
    assert watch.foreign_requests == [FOREIGN_IMG]
    assert page.evaluate("document.querySelector('img').naturalWidth") == 0
    assert [e for e in watch.console_errors if "ERR_BLOCKED_BY_CLIENT" not in e] == []


def test_alert_is_recorded_and_dismissed(site: str, open_page: OpenPage) -> None:
    """An alert() is recorded as a dialog (and dismissed, so the page finishes loading)."""
    _, watch = open_page(site + "alert/")
    assert watch.dialogs == ["alert: 1"]


def test_console_error_is_recorded(site: str, open_page: OpenPage) -> None:
    """console.error("x") is recorded."""
    _, watch = open_page(site + "console/")
    assert [e.split(" [")[0] for e in watch.console_errors] == ["x"]


def test_uncaught_exception_is_recorded(site: str, open_page: OpenPage) -> None:
    """An uncaught exception is recorded as a page error."""
    _, watch = open_page(site + "throws/")
    assert len(watch.page_errors) == 1
    assert watch.page_errors[0].startswith("TypeError")


def test_missing_page_fails(site: str, open_page: OpenPage) -> None:
    """Opening a page that does not exist fails instead of testing a 404 page."""
    with pytest.raises(AssertionError, match="404"):
        open_page(site + "missing/")


def test_axe_flags_image_without_alt(site: str, open_page: OpenPage) -> None:
    """The axe check reports an image without alt text as a critical image-alt violation."""
    page, _ = open_page(site + "noalt/")
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    assert violations[0]["impact"] == "critical"
    assert violations[0]["targets"] == [["img"]]


def test_axe_passes_clean_page(site: str, open_page: OpenPage) -> None:
    """The axe check finds no serious or critical violation on a clean page."""
    page, _ = open_page(site + "clean/")
    assert axe_violations(page) == []


def test_local_schemes_are_not_foreign() -> None:
    """data:, blob: and about:blank stay in the document; other origins do not."""
    origin = "http://127.0.0.1:8000"
    assert not is_foreign("data:image/gif;base64,R0lGOD", origin)
    assert not is_foreign("blob:http://127.0.0.1:8000/0b7c", origin)
    assert not is_foreign("about:blank", origin)
    assert not is_foreign("http://127.0.0.1:8000/a.css", origin)
    assert is_foreign("http://127.0.0.1:8001/a.css", origin)
    assert is_foreign("https://cdn.example.invalid/x.png", origin)
