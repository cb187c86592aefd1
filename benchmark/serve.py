"""`ccr serve`: the built site on localhost, rebuilt when data, pages or config change.

The port is bound first, so a busy port is reported before any build. Changes are watched
with watchdog, which MkDocs itself uses; a save fires several events (truncate, write, the
folder's own), so a rebuild starts only once no event came for ``SETTLE`` seconds: one
rebuild per change. While the last build failed, the previous site is served with a notice
at the top of every page that lists the problems (a page that says so when there is no
previous site).
"""

from __future__ import annotations

import errno
import functools
import html
import threading
from collections.abc import Callable, Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .errors import CCRError

WATCHED = ("data", "docs", "overrides", "mkdocs.yml")
SETTLE = 0.5  # seconds without an event before a rebuild starts
NOTICE_LINES = 50


class ServeError(CCRError):
    """The server cannot start (the port is taken, or not ours to bind)."""


class Status:
    """What the last build said: nothing when it succeeded, else its problem lines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._problems: tuple[str, ...] = ()

    def failed(self, problems: Sequence[str]) -> None:
        """Record a failed build and its problem lines."""
        with self._lock:
            self._problems = tuple(problems) or ("the build failed",)

    def succeeded(self) -> None:
        """Record a successful build."""
        with self._lock:
            self._problems = ()

    @property
    def problems(self) -> tuple[str, ...]:
        """The problem lines of the last build (empty when it succeeded)."""
        with self._lock:
            return self._problems


def notice(problems: Sequence[str]) -> str:
    """The HTML notice shown on top of every page while the last build failed."""
    shown = list(problems[:NOTICE_LINES])
    if len(problems) > NOTICE_LINES:
        shown.append(f"… and {len(problems) - NOTICE_LINES:,} more (see the terminal)")
    body = html.escape("\n".join(shown))
    return ('<div id="ccr-serve-notice" role="alert" style="background:#fff3cd;color:#000;'
            'border:2px solid #c00;padding:1em;margin:0;font:14px/1.4 sans-serif">'
            "<strong>ccr serve: the last build failed, so this is the previous site.</strong> "
            "Fix these problems and save; the site is rebuilt."
            f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{body}</pre></div>')


class _Handler(SimpleHTTPRequestHandler):
    status: Status

    def __init__(self, *args: Any, status: Status, **kwargs: Any) -> None:
        self.status = status
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        problems = self.status.problems
        if not problems:
            super().do_GET()
            return
        asked = self.path.split("?", 1)[0].split("#", 1)[0]
        if not asked.endswith(("/", ".html")):
            super().do_GET()  # assets as they are; a folder without "/" is redirected
            return
        target = Path(self.translate_path(self.path))
        page = target / "index.html" if asked.endswith("/") else target
        try:
            text = page.read_text(encoding="utf-8")
            code = 200
        except (OSError, UnicodeDecodeError):
            text = ("<!doctype html><html><head><meta charset=utf-8><title>ccr serve</title>"
                    "</head><body></body></html>")
            code = 503
        at = text.find(">", text.find("<body")) + 1 if "<body" in text else 0
        body = (text[:at] + notice(problems) + text[at:]).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def open_server(site: Path, port: int, status: Status) -> ThreadingHTTPServer:
    """Bind 127.0.0.1:``port`` (before any build); ServeError when that is not possible."""
    handler = functools.partial(_Handler, directory=str(site.absolute()), status=status)
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use (another server, or another ccr serve?)",
                             f"stop it, or choose another port: ccr serve --port {port + 1}"
                             ) from None
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
                         "choose another port with --port (0 picks a free one)") from None


class _Changed(FileSystemEventHandler):
    def __init__(self, flag: threading.Event, root: Path) -> None:
        self.flag = flag
        self.root = root.resolve()
        self.watched = [self.root / name for name in WATCHED]

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("modified", "created", "deleted", "moved"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder "changes" with every file event inside it: one save, two builds
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and self._matters(Path(str(raw)).resolve()):
                self.flag.set()
                return

    def _matters(self, path: Path) -> bool:
        if not any(path == w or w in path.parents for w in self.watched):
            return False
        parts = path.relative_to(self.root).parts
        # editors' swap and backup files, and Python's bytecode caches (MkDocs imports the
        # hooks in overrides/, which writes one): not changes to the site
        return not any(p.startswith(".") or p == "__pycache__" for p in parts) and \
            not path.name.endswith("~")


def watch(changed: threading.Event, rebuild: Callable[[], None], stop: threading.Event,
          settle: float = SETTLE) -> None:
    """Call ``rebuild`` once per burst of changes: after ``settle`` seconds without one."""
    while not stop.is_set():
        if not changed.wait(0.2):
            continue
        changed.clear()
        while changed.wait(settle):  # more events of the same save: wait until they stop
            changed.clear()
            if stop.is_set():
                return
        if not stop.is_set():
            rebuild()


def serve(root: Path, server: ThreadingHTTPServer, rebuild: Callable[[], None],
          announce: Callable[[str], None], stop: threading.Event | None = None) -> None:
    """Serve until interrupted (or ``stop`` is set); ``rebuild`` after changes settle."""
    changed = threading.Event()
    stop = stop or threading.Event()
    observer = Observer()
    handler = _Changed(changed, root)
    for name in WATCHED:
        path = root / name
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # mkdocs.yml; the filter drops site/
    observer.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        watch(changed, rebuild, stop)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
        server.shutdown()
        server.server_close()
