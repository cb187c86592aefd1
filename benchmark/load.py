"""Stage 1, load: bytes of YAML files → documents with a line and column for every node.

The parser is libyaml (``CSafeLoader``'s C parser); the document is built here from its
events so that every node keeps its position and nothing unsafe is ever constructed.
Timestamps stay strings (the schema and the validator check them). Rejected, each as one
problem: files over the size limit, bytes that are not UTF-8, NUL bytes, tabs in
indentation, anchors and aliases (YAML bombs), merge keys, tags, duplicate keys, nesting
deeper than the limit, more than one document, non-finite numbers.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, NamedTuple, NoReturn, Protocol

import yaml

from . import fanout, problem_kinds, tree_policy
from .problem_kinds import ProblemKind
from .problems import Path, Problem, format_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

try:  # libyaml is bundled with PyYAML's wheels; the pure parser is a slow fallback.
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

# YAML 1.2 core schema (what editors use): `NO`, `yes` and `on` stay strings.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_KEYWORDS: dict[str, bool | None] = {
    **dict.fromkeys(_NULLS),
    **dict.fromkeys(_TRUES, True),
    **dict.fromkeys(_FALSES, False),
}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OTHER = re.compile(r"0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_MAYBE_NOT_STR = frozenset("0123456789+-.~nNtTfF")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True)
class Document:
    """A parsed data file: its data, where each node stands, and what was wrong with it.

    Where each node stands (``marks``: line and column by path) is found only when first
    asked for (a problem to place is rare in a valid tree): the file's bytes (``source``) are
    parsed again then, recording positions, and let go. ``located`` holds the marks once
    found (or as given); a document with neither places everything at line 1, column 1.
    """

    file: str
    data: Any
    located: dict[Path, tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    problems: list[Problem] = field(default_factory=list)
    source: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the file parsed into a document (it may still fail validation)."""
        return not self.problems

    @property
    def marks(self) -> dict[Path, tuple[int, int]]:
        """Line and column of every node, by path (found on first use)."""
        if self.located is None:
            self.located = {} if self.source is None else locate(self.file, self.source)
            self.source = None
        return self.located

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of the node at ``path``, or of its nearest located ancestor."""
        marks = self.marks
        p = tuple(path)
        while p:
            if p in marks:
                return marks[p]
            p = p[:-1]
        return marks.get((), (1, 1))

    def forget_source(self) -> None:
        """Let the bytes go (once validated, nothing asks where a node stands)."""
        self.source = None


# Characters a data string may not hold, even through a "\\x07"-style escape: control
# characters, unpaired surrogates (not encodable), noncharacters, and the bidirectional
# overrides and isolates that can make text read differently from what it says.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


def _forbidden(value: str) -> str | None:
    """What is wrong with a string's characters, or None."""
    bad = _FORBIDDEN.search(value)
    if bad is None:
        return None
    code = ord(bad.group(0))
    what = (
        "an unpaired surrogate"
        if 0xD800 <= code <= 0xDFFF
        else "a bidirectional override"
        if code >= 0x202A and code not in (0xFFFE, 0xFFFF)
        else "a noncharacter"
        if code >= 0xFFFE
        else "a control character"
    )
    return f"contains U+{code:04X}, {what}"


# Short values repeat across files (channels, "n/a", times of day, country codes): the loaded
# data holds one string object for each, not one for each occurrence. Bounded, and equal
# strings are equal whichever object they are, so nothing but memory depends on it.
_SHORT = 16
_SHARED_MAX = 100_000
_SHARED: dict[str, str] = {}


def _share(value: str) -> str:
    """The one object kept for a short string (``value`` itself once the table is full)."""
    shared = _SHARED.get(value)
    if shared is not None:
        return shared
    if len(_SHARED) < _SHARED_MAX:
        _SHARED[value] = value
    return value


class _Reject(Exception):
    """Stops parsing a file after a problem that makes the rest meaningless."""


def _resolve(value: str) -> Any:
    """Type of a plain scalar under the YAML 1.2 core schema (timestamps stay strings)."""
    if not value or value[0] not in _MAYBE_NOT_STR:
        return value
    if value in _KEYWORDS:
        return _KEYWORDS[value]
    if _INT.match(value):
        return int(value)
    if _INT_OTHER.match(value):
        return int(value, 0)
    if _FLOAT.match(value):
        return float(value)
    if _SPECIAL_FLOAT.match(value):
        return math.nan if "n" in value.lower() else float(value.replace(".", ""))
    return value


def _decode(file: str, raw: bytes, size: int) -> tuple[str | None, list[Problem]]:
    """Check size and encoding; return the text, or the one problem that stops us."""

    def stop(line: int, col: int, kind: str, message: str, hint: str) -> tuple[None, list[Problem]]:
        return None, [Problem(kind, file, line, col, "", message, hint)]

    if size > MAX_BYTES:
        return stop(
            1,
            1,
            problem_kinds.FILE_TOO_LARGE.id,
            f"file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
            "a company file is a few kilobytes; move evidence to evidence/<slug>/ "
            "and keep notes short",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return stop(
            line,
            col,
            problem_kinds.NOT_UTF8.id,
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "save the file as UTF-8 (Latin-1 and Windows-1250 are not accepted)",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return stop(
            line,
            col,
            problem_kinds.NUL_BYTE.id,
            "the file contains a NUL byte",
            "this is not a text file; save it again as plain UTF-8 YAML",
        )
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        col = tab.end() - tab.start()
        return stop(
            line,
            col,
            problem_kinds.TAB_INDENT.id,
            "tab used for indentation",
            "YAML indents with spaces only; replace the tab with spaces",
        )
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return stop(
            line,
            col,
            problem_kinds.INVALID_CHARACTER.id,
            str(_forbidden(bad.group(0))),
            "remove it: text is plain Unicode, without control characters or "
            "direction overrides (they can make a line read differently)",
        )
    return text, []


def parse_document(file: str, raw: bytes, size: int | None = None) -> Document:
    """Parse one YAML file's bytes into a located document; never raises for bad input.

    ``size`` is the file's real size when ``raw`` was read only up to the limit.
    """
    text, problems = _decode(file, raw, len(raw) if size is None else size)
    doc = Document(file=file, data=None)
    if text is None:
        doc.problems = problems
        doc.located = {}
        return doc
    doc.source = raw  # where each node stands is found from it when first asked for
    try:
        _build(doc, text, record=False)
    except _Reject:
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = str(exc.problem or exc.context or "not valid YAML")
        doc.problems.append(
            Problem(
                problem_kinds.YAML_SYNTAX.id,
                file,
                line,
                col,
                "",
                f"YAML syntax: {message}",
                "check indentation and quoting on this line and the one above; "
                "quote values that contain ': ' or start with a special character",
            )
        )
        doc.data = None
    except yaml.YAMLError as exc:
        doc.problems.append(
            Problem(
                problem_kinds.YAML_SYNTAX_UNPLACED.id,
                file,
                1,
                1,
                "",
                f"YAML syntax: {exc}",
                "save the file as plain YAML",
            )
        )
        doc.data = None
    if not doc.problems and doc.data is None:
        doc.problems.append(
            Problem(
                problem_kinds.EMPTY_FILE.id,
                file,
                1,
                1,
                "",
                "the file is empty",
                "a data file holds one mapping; start from `ccr new` or a neighbouring file",
            )
        )
    return doc


def locate(file: str, raw: bytes) -> dict[Path, tuple[int, int]]:
    """Line and column of every node of the document parsed from ``raw``, by path.

    The bytes are parsed again exactly as :func:`parse_document` parsed them, so a file
    that stopped with a problem is located as far as it was read.
    """
    text, _ = _decode(file, raw, len(raw))
    doc = Document(file=file, data=None, located={})
    if text is not None:
        with contextlib.suppress(_Reject, yaml.YAMLError):
            _build(doc, text, record=True)
    return doc.located or {}


def _build(doc: Document, text: str, *, record: bool) -> None:
    """Build the document from libyaml's events; with ``record``, a position for every node."""
    builder = _Builder(doc, record)
    events: Iterable[Any] = yaml.parse(text, Loader=_Parser)
    for event in events:
        handle = _HANDLERS.get(type(event))
        if handle is not None:
            handle(builder, event)
    doc.data = builder.root


class _Builder:
    """The containers open while the events of one document are read, and where each stands."""

    def __init__(self, doc: Document, record: bool) -> None:
        self.doc = doc
        # Where each node stands, by path: only when asked for (``Document.marks``).
        self.marks: dict[Path, tuple[int, int]] | None = doc.located if record else None
        # Each frame: [container, path, pending_key]; in a mapping, keys alternate with values.
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0
        self.key_lines: dict[int, dict[str, int]] = {}

    def reject(self, event: Any, kind: str, message: str, hint: str, path: Path = ()) -> NoReturn:
        """Record the problem at the event and stop building."""
        m = event.start_mark
        self.doc.problems.append(
            Problem(kind, self.doc.file, m.line + 1, m.column + 1, format_path(path), message, hint)
        )
        raise _Reject

    def expects_key(self) -> bool:
        """True when the next node is a mapping key."""
        return (
            bool(self.stack) and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None
        )

    def attach(self, value: Any, event: Any) -> Path:
        """Put a node in its container (or make it the root); its path."""
        marks = self.marks
        if not self.stack:
            self.root = value
            if marks is not None:
                marks[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return ()
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            path = (*frame[1], len(container))
            container.append(value)
            if marks is not None:
                marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return path
        key = frame[2]
        path = (*frame[1], key)
        container[key] = value
        frame[2] = None
        return path

    def check_node(
        self, event: Any, tags: tuple[str, ...], tag_kind: ProblemKind, tag_hint: str
    ) -> None:
        """Reject an anchor, or a tag other than ``tags`` (as a ``tag_kind`` problem)."""
        if event.anchor is not None:
            self.reject(
                event,
                problem_kinds.YAML_ANCHOR.id,
                f"anchor &{event.anchor} is not allowed",
                "write the value out in full; anchors and aliases are not accepted",
            )
        if event.tag is not None and event.tag not in tags:
            self.reject(
                event,
                tag_kind.id,
                f"tag {event.tag} is not allowed",
                tag_hint,
            )

    def scalar(self, event: Any) -> None:
        """A key or a value."""
        if event.anchor is not None or event.tag is not None:
            self.check_node(
                event,
                (_STR_TAG, "!"),
                problem_kinds.YAML_TAG,
                "remove the tag; values are plain strings, numbers, booleans or null",
            )
        plain = event.implicit[0]
        stack = self.stack
        if event.style == '"' and (bad := _forbidden(event.value)):
            where = (
                (*stack[-1][1], stack[-1][2])
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is not None
                else (stack[-1][1] if stack else ())
            )
            self.reject(
                event,
                problem_kinds.INVALID_CHARACTER_IN_VALUE.id,
                bad,
                "remove it: text is plain Unicode, without control characters or "
                "direction overrides",
                where,
            )
        if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
            self.key(event, plain)
            return
        value: Any = _resolve(event.value) if plain else event.value
        if type(value) is str and len(value) <= _SHORT:
            value = _share(value)
        if isinstance(value, float) and not math.isfinite(value):
            path = (*stack[-1][1], stack[-1][2]) if stack and isinstance(stack[-1][0], dict) else ()
            self.reject(
                event,
                problem_kinds.NOT_FINITE.id,
                f"{event.value} is not a finite number",
                "use a plain number, or quote the value if it is text",
                path,
            )
        self.attach(value, event)

    def key(self, event: Any, plain: bool) -> None:
        """A mapping key: not a merge key, not seen before in this mapping."""
        frame = self.stack[-1]
        key = sys.intern(event.value)  # one string for each key name, not one a file
        m = event.start_mark
        if key == "<<" and plain:
            self.reject(
                event,
                problem_kinds.YAML_MERGE_KEY.id,
                "merge keys (<<) are not allowed",
                "write the keys out in full",
                frame[1],
            )
        seen = self.key_lines.setdefault(id(frame[0]), {})
        if key in seen:
            path = (*frame[1], key)
            self.reject(
                event,
                problem_kinds.DUPLICATE_KEY.id,
                f"duplicate key '{key}' (first at line {seen[key]})",
                "remove one of the two; YAML keeps only the last, so data would be lost",
                path,
            )
        seen[key] = m.line + 1
        frame[2] = key
        if self.marks is not None:
            self.marks[(*frame[1], key)] = (m.line + 1, m.column + 1)

    def start(self, event: Any) -> None:
        """A mapping or a list opens."""
        self.check_node(
            event,
            ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"),
            problem_kinds.YAML_TAG_ON_COLLECTION,
            "remove the tag; values are plain mappings and lists",
        )
        if self.expects_key():
            self.reject(
                event,
                problem_kinds.YAML_COMPLEX_KEY.id,
                "a key must be a plain string",
                "use a simple word as the key",
                self.stack[-1][1],
            )
        if len(self.stack) >= MAX_DEPTH:
            self.reject(
                event,
                problem_kinds.TOO_DEEP.id,
                f"nested deeper than {MAX_DEPTH} levels",
                "company files are at most a few levels deep; check the indentation",
            )
        container: Any = {} if type(event) is yaml.MappingStartEvent else []
        path = self.attach(container, event)
        self.stack.append([container, path, None])

    def end(self, _event: Any) -> None:
        """A mapping or a list closes."""
        done = self.stack.pop()
        self.key_lines.pop(id(done[0]), None)

    def alias(self, event: Any) -> None:
        """An alias is never followed."""
        self.reject(
            event,
            problem_kinds.YAML_ALIAS.id,
            f"alias *{event.anchor} is not allowed",
            "write the value out in full; anchors and aliases are not accepted",
        )

    def document_start(self, event: Any) -> None:
        """A file holds one document."""
        self.documents += 1
        if self.documents > 1:
            self.reject(
                event,
                problem_kinds.MULTIPLE_DOCUMENTS.id,
                "more than one YAML document in the file",
                "remove the `---` line; one file holds one company or edition",
            )


# What each libyaml event does; the events not named (stream and document ends) do nothing.
_HANDLERS: dict[type, Callable[[_Builder, Any], None]] = {
    yaml.ScalarEvent: _Builder.scalar,
    yaml.MappingStartEvent: _Builder.start,
    yaml.SequenceStartEvent: _Builder.start,
    yaml.MappingEndEvent: _Builder.end,
    yaml.SequenceEndEvent: _Builder.end,
    yaml.AliasEvent: _Builder.alias,
    yaml.DocumentStartEvent: _Builder.document_start,
}


class Source(NamedTuple):
    """A file's name (relative, POSIX), its bytes (read up to the limit) and its real size.

    ``problem`` is set when the file could not be read (a link, not a regular file).
    """

    name: str
    raw: bytes
    size: int
    problem: Problem | None = None


def real_parent(path: FsPath) -> FsPath:
    """``path`` with its folders resolved but not its last part (a link stays a link)."""
    return path.parent.resolve() / path.name


def display_name(path: FsPath, root: FsPath) -> str:
    """Name a file relative to ``root`` when it lies below it, as given otherwise.

    A link is named as itself, never as its target.
    """
    return _namer(root)(path)


def _namer(root: FsPath) -> Callable[[FsPath], str]:
    """:func:`display_name` for many files below ``root``: each folder resolved once."""
    base = root.resolve()
    # each folder's name relative to ``root`` as a prefix ("data/companies/"; "" for root
    # itself), or None when it lies outside: 10,000 files, one folder resolved
    prefixes: dict[FsPath, str | None] = {}

    def prefix(parent: FsPath) -> str | None:
        folder = parent.resolve()
        if not folder.is_relative_to(base):
            return None
        relative = folder.relative_to(base).as_posix()
        return "" if relative == "." else relative + "/"

    def name(path: FsPath) -> str:
        parent = path.parent
        if parent not in prefixes:
            prefixes[parent] = prefix(parent)
        before = prefixes[parent]
        if before is not None and path.name:
            return before + path.name
        try:  # outside root, or root itself
            return (parent.resolve() / path.name).relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()

    return name


_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_source(path: FsPath, name: str) -> Source:
    """Edge: one file's bytes up to the limit, never through a link (``O_NOFOLLOW``).

    A link, a folder, a device or a file that cannot be read is a problem, not an error.
    """

    def refuse(kind: str, message: str, hint: str) -> Source:
        return Source(name, b"", 0, Problem(kind, tree_policy.shown(name), 1, 1, "", message, hint))

    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Source(name, b"", 0, tree_policy.symlink_problem(name))
        return refuse(
            problem_kinds.UNREADABLE.id,
            f"cannot be read: {error.strerror}",
            "check that it is a file and that you may read it",
        )
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return refuse(
                problem_kinds.NOT_A_FILE.id,
                "not a regular file",
                "a data file is a plain YAML file; remove what is there",
            )
        try:
            raw = fh.read(MAX_BYTES + 1)
            size = len(raw) if len(raw) <= MAX_BYTES else fh.seek(0, 2)
        except OSError as error:
            return refuse(
                problem_kinds.UNREADABLE.id,
                f"cannot be read: {error.strerror}",
                "check that it is a file and that you may read it",
            )
    return Source(name, raw, size)


def read_files(paths: Iterable[FsPath], root: FsPath) -> list[Source]:
    """Edge: read files as bytes, never more than the size limit (a 5 GB file costs nothing)."""
    name = _namer(root)
    return [read_source(p, name(p)) for p in paths]


class Cache(Protocol):
    """A parse cache (benchmark/cache.py): documents by the bytes they were parsed from."""

    def get(self, raw: bytes) -> Any:
        """The data parsed from these bytes before (never None), or None."""

    def entry(self, raw: bytes, data: Any) -> bytes | None:
        """What to remember of these bytes and what they parsed into, or None (not kept).

        Pure (it reads and changes nothing of the cache), so it runs where the file was
        parsed, in either process (benchmark/fanout.py).
        """

    def keep(self, entry: bytes) -> None:
        """Remember an entry made by :meth:`entry` (of a document without problems)."""


def _known(source: Source, cache: Cache | None) -> Document | None:
    """The document of a source that needs no parsing (unreadable, or in the cache)."""
    if source.problem is not None:
        return Document(source.name, None, problems=[source.problem])
    if cache is not None and source.size == len(source.raw):
        found = cache.get(source.raw)
        if found is not None:
            return Document(source.name, found, source=source.raw)
    return None


def _parsed(source: Source) -> Document:
    """A source parsed, its bytes left out (for the trip back from another process)."""
    doc = parse_document(source.name, source.raw, source.size)
    doc.source = None
    return doc


def parse_all(sources: Iterable[Source], cache: Cache | None = None) -> list[Document]:
    """Parse every source; with ``cache``, bytes parsed before are not parsed again.

    Many sources to parse are parsed in two processes (benchmark/fanout.py).
    """
    listed = list(sources)
    docs = [_known(s, cache) for s in listed]
    todo = [i for i, doc in enumerate(docs) if doc is None]

    def parse(k: int) -> tuple[Document, bytes | None]:
        # the cache's entry is made here too: in the other process for its half of the files
        source = listed[todo[k]]
        doc = _parsed(source)
        kept = cache is not None and source.size == len(source.raw) and doc.ok
        return doc, cache.entry(source.raw, doc.data) if cache is not None and kept else None

    for i, (doc, entry) in zip(todo, fanout.fan_out(parse, len(todo)), strict=True):
        if doc.located is None:  # decoded: the bytes place its nodes when asked
            doc.source = listed[i].raw
        if cache is not None and entry is not None:
            cache.keep(entry)
        docs[i] = doc
    return [doc for doc in docs if doc is not None]


@dataclass(slots=True)
class Dataset:
    """Everything the pipeline reads: company, edition and methodology documents."""

    companies: list[Document] = field(default_factory=list)
    editions: list[Document] = field(default_factory=list)
    methodologies: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # of the tree: links, dotfiles

    def files(self) -> int:
        """How many files the dataset holds."""
        return len(self.companies) + len(self.editions) + len(self.methodologies)

    def forget_sources(self) -> None:
        """Let every file's bytes go (validated data: no problem left to place)."""
        for doc in (*self.companies, *self.editions, *self.methodologies):
            doc.forget_source()


COMPANIES_DIR = "data/companies"
EDITIONS_DIR = "data/editions"
METHODOLOGY_DIR = "data/methodology"


def yaml_files(folder: FsPath) -> list[FsPath]:
    """The .yaml files directly in ``folder``, sorted; none when it does not exist.

    Links and dotfiles are not data files (the tree policy reports them), and a folder that
    is a link is not listed.
    """
    if folder.is_symlink() or not folder.is_dir():
        return []
    names = sorted(  # by name: the order of the paths, without comparing 10,000 Paths
        e.name
        for e in os.scandir(folder)
        if e.name.endswith(".yaml")
        and not e.name.startswith(".")
        and e.is_file(follow_symlinks=False)
    )
    return [folder / name for name in names]


def read_dataset(
    root: FsPath, companies: Iterable[FsPath] | None = None, cache: Cache | None = None
) -> Dataset:
    """Edge: read and parse the data tree below ``root``, with the tree policy's problems.

    ``companies`` names the company files to read (default: every one in data/companies);
    ``cache`` (benchmark/cache.py ParseCache) spares parsing files whose bytes it has seen.
    A data folder reached through a link is not read.
    """
    linked = (root / "data").is_symlink()

    def listed(folder: str) -> list[FsPath]:
        return [] if linked else yaml_files(root / folder)

    company_paths = list(companies) if companies is not None else listed(COMPANIES_DIR)
    return Dataset(
        companies=parse_all(read_files(company_paths, root), cache),
        editions=parse_all(read_files(listed(EDITIONS_DIR), root), cache),
        methodologies=parse_all(read_files(listed(METHODOLOGY_DIR), root), cache),
        problems=tree_policy.scan_tree(root),
    )
