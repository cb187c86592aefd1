"""`ccr serve`: the built site on localhost, rebuilt when data, pages or config change.

The port is bound first, so a busy port is reported before any build. Changes are watched
with watchdog, which MkDocs itself uses; a save fires several events (truncate, write, the
folder's own), so a rebuild starts only once no event came for ``SETTLE`` seconds: one
rebuild per change; a change during a rebuild makes exactly one more. While the last build
failed, the previous site is served with a notice at the top of every page that lists the
problems (a page that says so when there is no previous site).

Live reload: every HTML page served here (never the site on disk) gets a small same-origin
script, ``serve_reload.js``, that long-polls ``/__ccr__/events`` for the next finished build.
After a successful one it reloads the page; after a failed one it fetches the page again and
puts its notice on top of the page being read, which stays as it is.
"""

from __future__ import annotations

import errno
import functools
import html
import json
import secrets
import sys
import threading
from collections.abc import Callable, Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .errors import CCRError

WATCHED = ("data", "docs", "overrides", "mkdocs.yml")
SETTLE = 0.5  # seconds without an event before a rebuild starts
NOTICE_LINES = 50
RELOAD_SCRIPT = "/__ccr__/reload.js"  # served by ccr serve only, never written to the site
EVENTS = "/__ccr__/events"  # ?since=<state>: answers once another build has finished
POLL = 25.0  # seconds a request to EVENTS waits at most (the script then asks again)


class ServeError(CCRError):
    """The server cannot start (the port is taken, or not ours to bind)."""


class Status:
    """What the last build said, and which build that was (the pages' reload script waits on it).

    ``state`` names the last finished build (``<start token>.<count>``): a page remembers the
    state it was served at, and ``wait`` answers as soon as the state differs from it, so a page
    from before a restart of ``ccr serve`` is refreshed too.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._problems: tuple[str, ...] = ()
        self._start = secrets.token_hex(4)
        self._builds = 0
        self._closed = False

    def _finished(self, problems: tuple[str, ...]) -> None:
        with self._changed:
            self._problems = problems
            self._builds += 1
            self._changed.notify_all()

    def failed(self, problems: Sequence[str]) -> None:
        """Record a failed build and its problem lines."""
        self._finished(tuple(problems) or ("the build failed",))

    def succeeded(self) -> None:
        """Record a successful build."""
        self._finished(())

    def close(self) -> None:
        """Let every waiting request answer now (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def problems(self) -> tuple[str, ...]:
        """The problem lines of the last build (empty when it succeeded)."""
        with self._changed:
            return self._problems

    @property
    def state(self) -> str:
        """Which build finished last."""
        with self._changed:
            return self._state()

    def snapshot(self) -> tuple[str, tuple[str, ...]]:
        """The state and the problem lines, of the same build."""
        with self._changed:
            return self._state(), self._problems

    def _state(self) -> str:
        return f"{self._start}.{self._builds}"

    def wait(self, since: str, timeout: float) -> tuple[str, bool]:
        """Wait up to ``timeout`` s for a build other than ``since``: (its state, succeeded)."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._state() != since, timeout)
            return self._state(), not self._problems


def notice(problems: Sequence[str]) -> str:
    """The HTML notice shown on top of every page while the last build failed."""
    shown = list(problems[:NOTICE_LINES])
    if len(problems) > NOTICE_LINES:
        shown.append(f"… and {len(problems) - NOTICE_LINES:,} more (see the terminal)")
    body = html.escape("\n".join(shown))
    return (
        '<div id="ccr-serve-notice" role="alert" style="background:#fff3cd;color:#000;'
        'border:2px solid #c00;padding:1em;margin:0;font:14px/1.4 sans-serif">'
        "<strong>ccr serve: the last build failed, so this is the previous site.</strong> "
        "Fix these problems and save; the site is rebuilt."
        f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{body}</pre></div>'
    )


def reload_tag(state: str) -> str:
    """The script element added to every HTML page served (never to the site on disk)."""
    return (
        f'<script id="ccr-serve-reload" src="{RELOAD_SCRIPT}" '
        f'data-state="{html.escape(state)}" defer></script>'
    )


def inject(page: str, state: str, problems: Sequence[str]) -> str:
    """``page`` with the notice (while the last build failed) and the reload script."""
    if problems:
        at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
        page = page[:at] + notice(problems) + page[at:]
    end = page.rfind("</body>")
    end = end if end >= 0 else len(page)
    return page[:end] + reload_tag(state) + page[end:]


@functools.cache
def _reload_js() -> bytes:
    return resources.files(__package__).joinpath("serve_reload.js").read_bytes()


class _Handler(SimpleHTTPRequestHandler):
    status: Status
    cache = "no-cache"  # files as they are on disk; "no-store" for what this handler makes

    def __init__(self, *args: Any, status: Status, **kwargs: Any) -> None:
        self.status = status
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Any file may change with the next rebuild: the browser asks again every time (a
        # file as it is on disk may come from its cache after a "304 Not Modified"; a page
        # with the script never does, it names the build it was served at).
        self.send_header("Cache-Control", self.cache)
        super().end_headers()

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.cache = "no-store"
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.cache = "no-cache"
        url = urlsplit(self.path)
        asked = url.path
        if asked == RELOAD_SCRIPT:
            self._send(200, "text/javascript; charset=utf-8", _reload_js())
            return
        if asked == EVENTS:
            since = parse_qs(url.query).get("since", [""])[0]
            state, ok = self.status.wait(since, POLL)
            self._send(200, "application/json", json.dumps({"state": state, "ok": ok}).encode())
            return
        if not asked.endswith(("/", ".html")):
            super().do_GET()  # assets as they are; a folder without "/" is redirected
            return
        state, problems = self.status.snapshot()  # before the page is read: never too new
        target = Path(self.translate_path(self.path))
        page = target / "index.html" if asked.endswith("/") else target
        try:
            text = page.read_text(encoding="utf-8")
            code = 200
        except (OSError, UnicodeDecodeError):
            if not problems:
                super().do_GET()  # a 404, or a folder's listing, as the plain server answers
                return
            text = (
                "<!doctype html><html><head><meta charset=utf-8><title>ccr serve</title>"
                "</head><body></body></html>"
            )
            code = 503
        self._send(code, "text/html; charset=utf-8", inject(text, state, problems).encode())


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: its build status, quiet about browsers hanging up."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], status: Status, site: Path) -> None:
        self.status = status
        handler = functools.partial(_Handler, directory=str(site.absolute()), status=status)
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page reloading drops its waiting request: no error; anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def open_server(site: Path, port: int, status: Status) -> PreviewServer:
    """Bind 127.0.0.1:``port`` (before any build); ServeError when that is not possible."""
    try:
        return PreviewServer(("127.0.0.1", port), status, site)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} is in use (another server, or another ccr serve?)",
                f"stop it, or choose another port: ccr serve --port {port + 1}",
            ) from None
        raise ServeError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
            "choose another port with --port (0 picks a free one)",
        ) from None


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
        return not any(
            p.startswith(".") or p == "__pycache__" for p in parts
        ) and not path.name.endswith("~")


def watch(
    changed: threading.Event,
    rebuild: Callable[[], None],
    stop: threading.Event,
    settle: float = SETTLE,
) -> None:
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


def serve(
    root: Path,
    server: PreviewServer,
    rebuild: Callable[[], None],
    announce: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Serve until interrupted (or ``stop`` is set); ``rebuild`` after changes settle."""
    changed = threading.Event()
    stop = stop or threading.Event()
    observer = Observer()
    handler = _Changed(changed, root)
    try:
        for name in WATCHED:
            path = root / name
            if path.is_dir():
                observer.schedule(handler, str(path), recursive=True)
        observer.schedule(handler, str(root), recursive=False)  # mkdocs.yml; not site/
        observer.start()
    except OSError as error:  # mostly the kernel's inotify limits
        server.server_close()
        raise ServeError(
            f"cannot watch {root} for changes: {error.strerror or error}",
            "raise the inotify limits (sysctl fs.inotify.max_user_watches and "
            "fs.inotify.max_user_instances) or stop other programs that watch "
            "many files, then run ccr serve again",
        ) from None
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
        server.status.close()
        server.shutdown()
        server.server_close()
