#!/usr/bin/env python3
"""Take the README's screenshots of the built site: the home page on a desktop and a phone.

    .venv/bin/ccr build && .venv/bin/python scripts/screenshots.py

Serves ``site/`` on a free loopback port, opens it in Debian's Chromium through Playwright
(``/usr/bin/chromium``; never ``playwright install``) and writes
``docs/images/screenshot-desktop.png`` (the home page, 1280 × 800) and
``docs/images/screenshot-phone.png`` (its top 10, 390 × 844, touch, device scale 2 as a phone
draws it).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# name → where on the home page, viewport, device scale, touch
SHOTS: dict[str, tuple[str, ViewportSize, int, bool]] = {
    "desktop": ("", {"width": 1280, "height": 800}, 1, False),
    "phone": ("#top-10", {"width": 390, "height": 844}, 2, True),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Serve without a line per request."""


def main() -> int:
    """Write the screenshots; 1 with a message when there is no built site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"No built site in {args.site}: run `.venv/bin/ccr build` first.", file=sys.stderr)
        return 1
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for name, (anchor, viewport, scale, touch) in SHOTS.items():
                context = browser.new_context(
                    viewport=viewport, device_scale_factor=scale, has_touch=touch, is_mobile=touch
                )
                page = context.new_page()
                page.goto(url + anchor, wait_until="networkidle")
                target = args.out / f"screenshot-{name}.png"
                page.screenshot(path=str(target))
                shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
                print(f"Wrote {shown}")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
