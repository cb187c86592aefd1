"""Stamped pages: MkDocs builds ONE shell page per folder; CCR fills it for every page there.

A stamped output (``kind="stamped"``) is a finished HTML body with a plain-text title,
description and search text. Building 10,000 such pages through MkDocs converts 10,000
Markdown files that hold no Markdown; instead the build writes one shell page per folder
(``companies/ccr_shell.md``: the same front matter and depth as a real page, with
placeholder title, description and body), lets MkDocs build it once, and fills that shell
for each page: the body where MkDocs puts the content, the title and description where
Material prints them (escaped exactly as the Markdown page's front matter has them), the
page's URL where the shell's URL is (its canonical link). The result is byte for byte the
page MkDocs would have built from ``render.as_markdown_page`` (``tests/test_stamp.py``).

``ccr_shell`` cannot be a company's slug: slugs are lower-case letters, digits and hyphens.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, TypeVar

import markupsafe

from . import postbuild
from .errors import CCRError
from .render import Output

SHELL_STEM = "ccr_shell"  # "_" is outside the slug alphabet [a-z0-9-]
# The shell's title and description: probes whose printed form shows, at each place the
# theme prints them, which filters it applied (Material prints the front matter title as
# it is; an Open Graph tag applies striptags, then e).
TITLE = "CCRSTAMPTITLE9q4z \"a\" 'b' & <i>c</i>  d"
DESCRIPTION = "CCRSTAMPDESCRIPTION9q4z \"a\" 'b' & <i>c</i>  d"
BODY = "<!--CCRSTAMPBODY9q4z-->"
T = TypeVar("T")


def _striptags(value: str) -> str:
    return str(markupsafe.Markup(value).striptags())


# Jinja's filters, applied to the front matter's (HTML-escaped) value, as MkDocs' Jinja
# environment (no autoescape) prints them.
FILTERS: dict[str, Callable[[str], str]] = {
    "raw": lambda v: v,
    "striptags|e": lambda v: str(markupsafe.escape(_striptags(v))),
    "striptags": _striptags,
    "e": lambda v: str(markupsafe.escape(v)),
}


class StampError(CCRError):
    """The shell page MkDocs built is not what stamping expects."""


def escape(value: str) -> str:
    """Text as the front matter holds it and Material prints it (``html.escape``, quotes too)."""
    return html.escape(value, quote=True)


def _parts(path: str) -> tuple[str, ...]:
    """``PurePosixPath(path).parts``; a plain relative path (as render makes) split as text.

    Paths are split thousands of times per build (twice per company page): a path with
    nothing a PurePosixPath would normalize (no empty, ``.`` or leading ``/`` part) needs
    no PurePosixPath.
    """
    parts = tuple(path.split("/"))
    if "" in parts or "." in parts:
        return PurePosixPath(path).parts
    return parts


def folder(path: str) -> str:
    """The folder of a generated path (``companies`` for ``companies/acme.md``)."""
    parts = _parts(path)
    if len(parts) > 1 and parts[0] != "/":
        return "/".join(parts[:-1])
    return str(PurePosixPath(path).parent)


def shell_path(directory: str) -> str:
    """Where the shell page of ``directory`` goes in the docs tree."""
    return f"{directory}/{SHELL_STEM}.md"


def shell_output(directory: str) -> Output:
    """The shell page of ``directory``: a stamped page whose every value is a placeholder."""
    return Output(
        shell_path(directory), BODY.encode(), "stamped", title=TITLE, description=DESCRIPTION
    )


def page_url(path: str) -> str:
    """The directory URL MkDocs gives ``companies/acme.md``: ``companies/acme/``."""
    return path.removesuffix(".md") + "/"


def site_file(path: str) -> str:
    """Where the page of ``companies/acme.md`` lands in the site."""
    return page_url(path) + "index.html"


_TOKENS = re.compile("\0[^\0]*\0|" + re.escape(BODY))


def _mark(built: str, directory: str) -> str:
    """The shell with each printed probe replaced by a token naming its field and filters."""
    for field, probe in (("title", TITLE), ("description", DESCRIPTION)):
        for name, chain in FILTERS.items():
            built = built.replace(chain(escape(probe)), f"\0{field}:{name}\0")
        if probe.split()[0] in built:
            raise StampError(
                f"the shell page {shell_path(directory)} prints its {field} "
                "through a filter stamping does not know",
                "add the filter to FILTERS in benchmark/stamp.py (the equivalence "
                "test, tests/test_stamp.py, shows whether it is right)",
            )
    return built


@dataclass(frozen=True, slots=True)
class Shell:
    """A shell page as MkDocs built it, cut at its placeholders, ready to be filled.

    ``parts`` come from the shell as built; ``compact`` from the shell after the post-build
    pass, so that a page whose values cannot interact with the whitespace around them (no
    line break, no leading or trailing space, no unclosed <pre>/<script> in the body) is
    finished without compacting all of it again.
    """

    directory: str
    with_h1: tuple[str, ...]  # the parts, for a body without <h1> (Material adds one)
    without_h1: tuple[str, ...]  # for a body that has its own <h1>
    compact_with_h1: tuple[str, ...]
    compact_without_h1: tuple[str, ...]

    @classmethod
    def parse(cls, directory: str, built: str) -> Shell:
        """Cut the shell's built HTML; StampError when a placeholder is missing."""
        if built.count(BODY) != 1:
            raise StampError(
                f"the shell page {shell_path(directory)} was not built as "
                "expected (its body placeholder is not there once)",
                "check overrides/ and mkdocs.yml: the page content must appear "
                "once, as MkDocs renders it",
            )
        url = page_url(shell_path(directory))
        built = _mark(built.replace(url, "\0URL\0"), directory)
        added = re.compile(re.escape("<h1>\0title:raw\0</h1>") + r"\s*(?=" + re.escape(BODY) + ")")
        if added.search(built) is None:
            raise StampError(
                f"the shell page {shell_path(directory)} has no heading before its body",
                "has Material changed partials/content.html?",
            )
        before = built[: built.index(BODY)]
        if _unclosed(before):
            raise StampError(
                f"the shell page {shell_path(directory)} puts the body inside "
                "<pre>, <textarea>, <script> or <style>",
                "check overrides/main.html",
            )
        small = postbuild.compact(built)
        return cls(
            directory,
            _cut(built),
            _cut(added.sub("", built)),
            _cut(small),
            _cut(added.sub("", small)),
        )

    def fill(self, out: Output) -> str:
        """The page of ``out`` as MkDocs would have built it (before the post-build pass)."""
        body = out.content.decode("utf-8")
        parts = self.without_h1 if "<h1" in body else self.with_h1
        return _join(parts, out, body)

    def finish(self, out: Output) -> str:
        """The page of ``out`` as the site serves it: ``compact(fill(out))``, faster."""
        body = out.content.decode("utf-8")
        parts = self.compact_without_h1 if "<h1" in body else self.compact_with_h1
        values = _values(parts, out, body)
        if _loose(body, lines=True) or any(_loose(v) for k, v in values.items() if k != BODY):
            return postbuild.compact(self.fill(out))
        if not postbuild.is_compact(body):  # else compact(body) is body: nothing to copy
            if _unclosed(body):
                return postbuild.compact(self.fill(out))
            values[BODY] = postbuild.compact(body)
        return "".join(values.get(p, p) for p in parts)


def _values(parts: tuple[str, ...], out: Output, body: str) -> dict[str, str]:
    """What each token of ``parts`` becomes for ``out``."""
    values = {BODY: body, "\0URL\0": page_url(out.path)}
    for part in parts:
        if part.startswith("\0") and part not in values:
            field, _, name = part.strip("\0").partition(":")
            text = out.title if field == "title" else out.description
            values[part] = FILTERS[name](escape(text))
    return values


def _join(parts: tuple[str, ...], out: Output, body: str) -> str:
    values = _values(parts, out, body)
    return "".join(values.get(p, p) for p in parts)


def _loose(value: str, lines: bool = False) -> bool:
    """True when compaction could join ``value``'s whitespace with the shell's around it.

    A value that starts or ends with whitespace could; so could an empty one (the runs on
    either side meet) and a line break in a title or description (the body, compacted alone,
    may hold line breaks: ``lines``).
    """
    return not value or value != value.strip() or (not lines and "\n" in value)


def _unclosed(html: str) -> bool:
    """True when ``html`` opens a <pre>, <textarea>, <script> or <style> it does not close."""
    return postbuild.OPENER.search(postbuild.KEEP.sub("", html)) is not None


def _cut(built: str) -> tuple[str, ...]:
    parts: list[str] = []
    for piece in re.split("(\0URL\0)", built):
        if piece == "\0URL\0":
            parts.append(piece)
            continue
        last = 0
        for found in _TOKENS.finditer(piece):
            parts.extend((piece[last : found.start()], found.group(0)))
            last = found.end()
        parts.append(piece[last:])
    return tuple(p for p in parts if p)


def search_doc(out: Output) -> dict[str, str]:
    """The search document Material's plugin writes for a page holding only its title/text."""
    return {
        "location": page_url(out.path),
        "title": html.escape(out.title, quote=False),
        "text": html.escape(out.search, quote=False),
    }


Key = tuple[tuple[str, ...], bool, str]


def _stem(name: str) -> str:
    """``PurePosixPath(name).stem`` of a file name: the name without its last suffix."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _order(path: str) -> Key:
    """MkDocs' file order (mkdocs.structure.files.file_sort_key)."""
    parts = _parts(path)
    return parts[:-1], _stem(parts[-1]) != "index", parts[-1]


def ordered(paths: Iterable[str]) -> list[str]:
    """Page sources in the order MkDocs lists pages (and so the sitemap and search index)."""
    return sorted(paths, key=_order)


def source_url(source: str) -> str:
    """The directory URL of a page source: a.md → a/, x/index.md → x/, index.md → ''."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def keys_of(sources: Iterable[str]) -> dict[str, Key]:
    """The sort key of each page, by its URL (to place stamped pages among the others)."""
    return {source_url(s): _order(s) for s in sources if s.endswith(".md")}


def _merge(
    items: list[T],
    url: Callable[[T], str],
    stamped: list[tuple[Key, list[T]]],
    keys: dict[str, Key],
) -> list[T]:
    """``items`` (in MkDocs' order) with the shells' left out and ``stamped`` merged in."""
    out: list[T] = []
    queue = sorted(stamped, key=lambda s: s[0])
    at = 0
    for item in items:
        where = url(item)
        if f"/{SHELL_STEM}/" in "/" + where:
            continue
        key = keys.get(where)
        if key is not None:
            while at < len(queue) and queue[at][0] < key:
                out.extend(queue[at][1])
                at += 1
        out.append(item)
    for _, rest in queue[at:]:
        out.extend(rest)
    return out


def splice_search(
    index: dict[str, Any], docs: dict[str, dict[str, str]], keys: dict[str, Key]
) -> None:
    """Each stamped page's search document in MkDocs' page order; the shells' dropped."""
    stamped = [(_order(path), [doc]) for path, doc in docs.items()]
    index["docs"] = _merge(
        index["docs"], lambda d: str(d.get("location", "")).split("#")[0], stamped, keys
    )


_URL = re.compile(r"[ \t]*<url>.*?</url>\n?", re.DOTALL)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def splice_sitemap(xml: str, pages: Iterable[str], keys: dict[str, Key]) -> str:
    """The sitemap with each shell's entry replaced by one per stamped page (MkDocs' form).

    Each stamped page's entry is its folder's shell entry with the address changed, placed
    where MkDocs lists that page among the others.
    """
    blocks = [b.group(0) for b in _URL.finditer(xml)]
    pages = list(pages)
    shells: dict[str, str] = {}  # folder: its shell's entry
    base = ""
    for directory in {folder(p) for p in pages}:
        tail = page_url(shell_path(directory))
        for block in blocks:
            loc = _LOC.search(block)
            if loc and loc.group(1).endswith(tail):
                shells[directory] = block
                base = loc.group(1).removesuffix(tail)
    if not shells:
        return xml
    locs = {directory: base + page_url(shell_path(directory)) for directory in shells}
    stamped = []
    for path in pages:
        directory = folder(path)
        entry = shells[directory]
        stamped.append((_order(path), [entry.replace(locs[directory], base + page_url(path))]))

    def where(block: str) -> str:
        loc = _LOC.search(block)
        return loc.group(1).removeprefix(base) if loc else ""

    merged = _merge(blocks, where, stamped, keys)
    first = xml.index(blocks[0])
    last = xml.rindex(blocks[-1]) + len(blocks[-1])
    return xml[:first] + "".join(merged) + xml[last:]


def gzip_like(xml: bytes, previous: bytes) -> bytes:
    """``xml`` gzipped as MkDocs gzips sitemap.xml (the previous file's timestamp)."""
    mtime = struct.unpack("<I", previous[4:8])[0] if len(previous) >= 8 else 0
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename="sitemap.xml.gz", mode="wb", mtime=mtime) as gz:
        gz.write(xml)
    return buffer.getvalue()


def record(out: Output) -> bytes:
    """A stamped output as bytes (kept between the render and the stamping step)."""
    return json.dumps(
        {
            "path": out.path,
            "title": out.title,
            "description": out.description,
            "search": out.search,
            "content": out.content.decode("utf-8"),
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")


def from_record(data: bytes) -> Output:
    """The stamped output :func:`record` wrote."""
    fields = json.loads(data)
    return Output(
        fields["path"],
        fields["content"].encode("utf-8"),
        "stamped",
        title=fields["title"],
        description=fields["description"],
        search=fields["search"],
    )
