"""`ccr serve`: the built site on localhost, rebuilt when data, pages or config change.

Changes are watched with watchdog, which MkDocs itself uses.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

WATCHED = ("data", "docs", "overrides", "mkdocs.yml")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Changed(FileSystemEventHandler):
    def __init__(self, flag: threading.Event, root: Path) -> None:
        self.flag = flag
        self.watched = [(root / name).resolve() for name in WATCHED]

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("modified", "created", "deleted", "moved"):
            return
        path = Path(str(event.src_path)).resolve()
        if any(path == w or w in path.parents for w in self.watched):
            self.flag.set()


def serve(root: Path, site: Path, port: int, rebuild: Callable[[], None],
          announce: Callable[[str], None]) -> None:
    """Serve ``site`` until interrupted; call ``rebuild`` after changes settle (0.5 s)."""
    handler = functools.partial(_Quiet, directory=str(site.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    changed = threading.Event()
    observer = Observer()
    watch = _Changed(changed, root)
    for name in WATCHED:
        path = root / name
        if path.is_dir():
            observer.schedule(watch, str(path), recursive=True)
    observer.schedule(watch, str(root), recursive=False)  # mkdocs.yml; the filter drops site/
    observer.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        while True:
            if changed.wait(1.0):
                changed.wait(0.5)
                changed.clear()
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
        server.shutdown()
        server.server_close()
