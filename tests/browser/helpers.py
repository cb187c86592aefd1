"""Browser-test harness: serve a directory, watch every page, run axe (fixtures: conftest.py)."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    Route,
    WebError,
    WebSocketRoute,
    expect,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    None
    if CHROMIUM.exists()
    else f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
    "Install it with: sudo apt-get install -y chromium   (never `playwright install`)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",  # the container runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    # Belt and braces under the route guard: no host name but the local server ever resolves,
    # so not even a preconnect or DNS prefetch can leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL_SCHEMES = {"data", "blob", "about"}  # same-document URLs: never a network request
AXE = Axe()  # axe-core ships inside axe_playwright_python (axe.min.js) and is injected inline


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files with fixed web MIME types, no access log and a read timeout."""

    timeout = 10
    extensions_map = {  # noqa: RUF012 - the standard library declares it a plain class dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".css": "text/css",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


class _QuietServer(ThreadingHTTPServer):
    """A threaded server that ignores clients hanging up (the browser aborting a load)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about connection resets; report anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) and yield its base URL, ending in "/"."""
    if not directory.is_dir():
        raise FileNotFoundError(f"nothing to serve: {directory} is not a directory")
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="static-site", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def origin_of(url: str) -> str:
    """The scheme://host:port of ``url`` (lower-case), as the browser compares origins."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_foreign(url: str, origin: str) -> bool:
    """Whether loading ``url`` would leave ``origin`` (data:, blob: and about: never do)."""
    return urlsplit(url).scheme.lower() not in LOCAL_SCHEMES and origin_of(url) != origin


@dataclass
class PageWatch:
    """What one browser context did: requests, foreign requests, console errors, dialogs."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        """Listen to every page of ``context`` and abort whatever leaves the served origin."""
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)
        context.on("dialog", self._on_dialog)
        context.route("**/*", self._route)
        context.route_web_socket("**/*", self._route_web_socket)

    def _on_request(self, request: Request) -> None:
        """Record every request the pages make."""
        self.requests.append(request.url)

    def _route(self, route: Route) -> None:
        """Let same-origin requests through; record and abort all others."""
        url = route.request.url
        if is_foreign(url, self.origin):
            self.foreign_requests.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _route_web_socket(self, ws: WebSocketRoute) -> None:
        """Connect same-origin WebSockets; record foreign ones and leave them unconnected."""
        self.requests.append(ws.url)
        if is_foreign(ws.url, self.origin.replace("http", "ws", 1)):
            self.foreign_requests.append(ws.url)
            ws.close()
        else:
            ws.connect_to_server()

    def _on_console(self, message: ConsoleMessage) -> None:
        """Record console messages of type "error", with where they came from."""
        if message.type == "error":
            where = message.location.get("url")
            line = message.location.get("lineNumber")
            text = message.text
            self.console_errors.append(f"{text} [{where}:{line}]" if where else text)

    def _on_page_error(self, error: WebError) -> None:
        """Record uncaught exceptions and unhandled rejections."""
        self.page_errors.append(f"{error.error.name or 'Error'}: {error.error.message}")

    def _on_dialog(self, dialog: Dialog) -> None:
        """Record alert/confirm/prompt/beforeunload dialogs and dismiss them."""
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


class OpenPage(Protocol):
    """The ``open_page`` fixture: ``page, watch = open_page(url)``."""

    def __call__(self, url: str, **context_options: Any) -> tuple[Page, PageWatch]:
        """Open ``url`` in a fresh watched context; extra keywords go to ``new_context``."""
        ...


def axe_violations(
    page: Page, impacts: Iterable[str] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """The page's axe-core violations of the given impacts, reduced to a readable summary."""
    wanted = set(impacts)
    results = AXE.run(page)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": len(violation["nodes"]),
            "targets": [node["target"] for node in violation["nodes"][:3]],
        }
        for violation in results.response["violations"]
        if violation["impact"] in wanted
    ]


def settle(page: Page) -> None:
    """Scroll to each chart until drawn; hover each leaderboard until its rows are loaded."""
    page.wait_for_load_state("networkidle")
    for box in page.locator(".ccr-chart").all():
        box.scroll_into_view_if_needed()
        expect(box).to_have_attribute("data-rendered", "true", timeout=15_000)
    for board in page.locator(".ccr-board").all():
        board.hover()
        expect(board).to_have_attribute("data-ready", "true")
    page.mouse.move(0, 0)  # no hover styles left behind for the accessibility check
