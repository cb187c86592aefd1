#!/usr/bin/env python3
"""Lighthouse scores of a built site, served with gzip as a static host would serve it.

Run: `.venv/bin/python scripts/lighthouse.py site/` (after `ccr build`), or through
`scripts/bench.py --lighthouse`. Installs the pinned npm `lighthouse` once into
`.ccr-build/lighthouse/` (never a browser download: it drives Debian's Chromium through
CHROME_PATH=/usr/bin/chromium) and runs the mobile preset (its default) on the home page, a
leaderboard, a company page and an edition report, three runs each, median score kept.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.8.2"  # the newest release that runs on Node 20 (13.x needs 22.19)
PREFIX = ROOT / ".ccr-build" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
BUDGETS = {"performance": 90, "accessibility": 95}


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (level 6, as nginx does)."""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: Lighthouse makes many requests."""

    def send_head(self) -> Any:
        """Serve a compressible file gzipped, with a cache lifetime like a static host's."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_gzip(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free localhost port; yield its base URL."""
    handler = partial(GzipHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def install() -> Path:
    """The pinned Lighthouse CLI, installed once with npm."""
    cli = PREFIX / "node_modules" / ".bin" / "lighthouse"
    stamp = PREFIX / "installed"
    if not (cli.exists() and stamp.exists() and stamp.read_text() == LIGHTHOUSE):
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(PREFIX),
                "--no-save",
                "--no-package-lock",
                LIGHTHOUSE,
            ],
            check=True,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
        stamp.write_text(LIGHTHOUSE)
    return cli


def audit(cli: Path, url: str) -> dict[str, float]:
    """One Lighthouse run (mobile preset): category scores out of 100 and key metrics."""
    with tempfile.TemporaryDirectory(prefix="ccr-lh-") as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(cli),
                url,
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
    }


def default_pages(site: Path) -> dict[str, str]:
    """Home, the first leaderboard, the first company page and the first edition report."""

    def first(pattern: str) -> str:
        found = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob(pattern))
        if not found:
            raise SystemExit(f"{site}: no page matches {pattern}; build the site first")
        return found[0]

    return {
        "home": "",
        "leaderboard": first("leaderboards/*/index.html"),
        "company page": first("companies/*/index.html"),
        "edition report": first("editions/*/index.html"),
    }


def lighthouse(site: Path, runs: int = 3) -> list[dict[str, Any]]:
    """Median scores of each page over ``runs`` Lighthouse runs, with the budgets."""
    cli = install()
    rows = []
    with serve_gzip(site) as base:
        for name, path in default_pages(site).items():
            results = [audit(cli, base + path) for _ in range(runs)]
            row: dict[str, Any] = {"page": name, "path": path or "/"}
            for key in results[0]:
                row[key] = statistics.median(r[key] for r in results)
            row["ok"] = all(row[k] >= v for k, v in BUDGETS.items())
            rows.append(row)
    return rows


def print_rows(rows: list[dict[str, Any]]) -> None:
    """The scores as a Markdown table."""
    print("| page | performance (≥ 90) | accessibility (≥ 95) | LCP | TBT | CLS | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['page']} (`{r['path']}`) | {r['performance']:.0f} | "
            f"{r['accessibility']:.0f} | {r['lcp_ms'] / 1000:.1f} s | {r['tbt_ms']:.0f} ms | "
            f"{r['cls']:.3f} | {r['bytes'] / 1024:.0f} KB |"
        )


def main() -> int:
    """Score a built site and print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Lighthouse drives Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    rows = lighthouse(args.site, args.runs)
    print_rows(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
