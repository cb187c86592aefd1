"""MkDocs hook: the search documents are fetched and parsed by the search worker, not the page.

Material's page script fetches ``search/search_index.json``, parses it and posts it to its
search worker, all on the main thread: at 10,000 companies that blocks every page for seconds
(Lighthouse's Total Blocking Time). After the search plugin has written the index, this hook
keeps only its ``config`` in that file (``docs`` empty) and writes the documents to
``search/search_docs.json``; every page's ``__config`` names ``javascripts/search-worker.js``
as the worker, which fetches the documents itself and hands them to Material's own worker.
Search then works as shipped, and the page's main thread never touches the index.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from benchmark.fsutil import atomic_write

WORKER = "javascripts/search-worker.js"
DOCS = "search/search_docs.json"
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
MATERIAL = re.compile(r"^(?P<prefix>(?:\.\./)*|\./)?assets/javascripts/workers/"
                      r"(?P<name>search\.[0-9a-f]+\.min\.js)$")


def point_at_worker(html: str) -> str:
    """The page with its ``__config`` search worker replaced by CCR's, which wraps Material's."""
    found = CONFIG.search(html)
    if found is None:
        return html
    app = json.loads(found.group(2))
    worker = MATERIAL.match(str(app.get("search", "")))
    if worker is None:
        raise PluginError(f"search_hook: unexpected search worker {app.get('search')!r} in "
                          "__config; has Material changed how it names its worker?")
    app["search"] = f"{worker['prefix'] or ''}{WORKER}?material={worker['name']}"
    body = json.dumps(app, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in HTML_SAFE.items():  # as Jinja's tojson writes it inside <script>
        body = body.replace(char, escaped)
    return html[:found.start(2)] + body + html[found.end(2):]


def split_index(index: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the page fetches: the config and no documents, what the worker fetches)."""
    return {"config": index["config"], "docs": []}, {"docs": index["docs"]}


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Point each page at CCR's search worker."""
    return point_at_worker(output)


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(config: Any) -> None:
    """Move the documents out of search_index.json into search_docs.json."""
    site = Path(config["site_dir"])
    path = site / "search" / "search_index.json"
    if not path.exists():
        raise PluginError("search_hook: the search plugin wrote no search/search_index.json")
    stub, docs = split_index(json.loads(path.read_text(encoding="utf-8")))
    # New files renamed into place: no write follows a link (benchmark/fsutil.py).
    for target, data in ((site / DOCS, docs), (path, stub)):
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(target, body, site, durable=False)
