"""The post-build pass: what CCR does to the finished site after the engine (MkDocs) built it.

It runs over the site tree, so it works whatever engine built the shell pages:

- **compaction**: Material's templates indent their HTML deeply (on a company page an eighth
  of the bytes). Each run of whitespace that holds a line break becomes one line break, which
  renders the same, except inside <pre>, <textarea>, <script> and <style>, kept as they are.
- **search off the main thread**: Material's page script fetches ``search/search_index.json``,
  parses it and posts it to its worker, all on the main thread (at 10,000 companies that
  blocks every page for seconds). The index keeps only its ``config`` (``docs`` empty); the
  documents go to ``search/search_docs.json``; every page's ``__config`` names
  ``javascripts/search-worker.js`` as the worker, which fetches the documents itself and hands
  them to Material's own worker. Search works as shipped; the main thread never touches it.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import fsutil
from .errors import CCRError

KEEP = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")
OPENER = re.compile(r"<(?:pre|textarea|script|style)\b", re.IGNORECASE)  # where KEEP can start
# A line break that compaction changes: whitespace before it or after it.
CHANGED = re.compile(r"\n(?:(?<=[ \t\r\f\v]\n)|\s)")

WORKER = "javascripts/search-worker.js"
INDEX = "search/search_index.json"
DOCS = "search/search_docs.json"
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
MATERIAL = re.compile(
    r"^(?P<prefix>(?:\.\./)*|\./)?assets/javascripts/workers/"
    r"(?P<name>search\.[0-9a-f]+\.min\.js)$"
)


class PostBuildError(CCRError):
    """The built site is not what the post-build pass expects (a changed theme or engine)."""


def compact(html: str) -> str:
    """The page with each whitespace run that holds a line break made one line break."""
    out, last = [], 0
    for kept in KEEP.finditer(html):
        out.append(BREAK.sub("\n", html[last : kept.start()]))
        out.append(kept.group(0))
        last = kept.end()
    out.append(BREAK.sub("\n", html[last:]))
    return "".join(out)


def is_compact(html: str) -> bool:
    """True when ``compact(html) == html`` and ``html`` closes each element KEEP keeps.

    Then each part compacts alone as it does in a whole page. Fast where the templates
    wrote the page compact: the kept elements are found from their openers as
    :func:`compact` finds them, and every line break compaction changes must lie in one.
    """
    kept: list[tuple[int, int]] = []
    end = 0
    for opener in OPENER.finditer(html):
        if opener.start() < end:
            continue  # inside the element kept before
        found = KEEP.match(html, opener.start())
        if found is None:
            return False
        end = found.end()
        kept.append((found.start(), end))
    starts = [start for start, _ in kept]
    for change in CHANGED.finditer(html):
        at = bisect.bisect_right(starts, change.start()) - 1
        if at < 0 or change.start() >= kept[at][1]:
            return False
    return True


def point_at_worker(html: str) -> str:
    """The page with its ``__config`` search worker replaced by CCR's, which wraps Material's."""
    found = CONFIG.search(html)
    if found is None:
        return html
    app = json.loads(found.group(2))
    worker = MATERIAL.match(str(app.get("search", "")))
    if worker is None:
        raise PostBuildError(
            f"unexpected search worker {app.get('search')!r} in a page's __config",
            "has Material changed how it names its worker? "
            "update MATERIAL in benchmark/postbuild.py",
        )
    app["search"] = f"{worker['prefix'] or ''}{WORKER}?material={worker['name']}"
    body = json.dumps(app, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in HTML_SAFE.items():  # as Jinja's tojson writes it inside <script>
        body = body.replace(char, escaped)
    return html[: found.start(2)] + body + html[found.end(2) :]


def finish_page(html: str) -> str:
    """One page as the site serves it: compacted, pointed at CCR's search worker."""
    return point_at_worker(compact(html))


def split_index(index: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the page fetches: the config and no documents, what the worker fetches)."""
    return {"config": index["config"], "docs": []}, {"docs": index["docs"]}


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def page_file(source: str) -> str:
    """Where MkDocs (directory URLs) writes the page of ``source``: a.md → a/index.html."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") + "index.html"
    return stem + "/index.html"


def finish_pages(site: Path, sources: Iterable[str]) -> int:
    """Run :func:`finish_page` over the page built from each Markdown source; how many.

    Only pages are touched, as MkDocs' ``on_post_page`` did: not 404.html (a theme
    template) nor an HTML file copied as it is. Files are replaced by new ones (a rename),
    never written through: a hard link shared with the previous site keeps its bytes.
    """
    done = 0
    for source in sources:
        path = site / page_file(source)
        data = fsutil.read_regular(path)
        if data is None:
            continue
        html = data.decode("utf-8")
        finished = finish_page(html)
        if finished != html:
            fsutil.atomic_write(path, finished.encode("utf-8"), site, durable=False)
        done += 1
    return done


def read_index(site: Path) -> dict[str, Any]:
    """The search index the search plugin wrote (config and every document)."""
    path = site / INDEX
    data = fsutil.read_regular(path)
    if data is None:
        raise PostBuildError(
            f"the site has no {INDEX}", "the search plugin must stay enabled in mkdocs.yml"
        )
    index: dict[str, Any] = json.loads(data)
    return index


def write_index(site: Path, index: dict[str, Any]) -> None:
    """Split ``index``: the documents into search_docs.json, the config into the index."""
    stub, docs = split_index(index)
    for target, data in ((site / DOCS, docs), (site / INDEX, stub)):
        fsutil.atomic_write(target, _json(data), site, durable=False)
