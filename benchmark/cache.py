"""What an incremental build remembers: the manifest of the last build and the parse cache.

Both live in ``.ccr-build/`` and are hints, never trusted blindly: each file carries the
CCR version and source hash it was written by and a seal of its own bytes (:func:`seal`:
an HMAC with a key kept outside the project, so a pull request that commits ``.ccr-build/``
cannot make one that holds); anything corrupt, truncated, planted, foreign or from another
CCR is ignored (the build then does the full work) and replaced at the end of the next
successful build. The format is JSON (never pickle): reading a planted file can do nothing
but fail its check.

- ``manifest.json``: the content hash of every file the last successful build wrote into
  the docs tree and the site, the key of the MkDocs part's inputs, the shells; its first
  line is the seal of the JSON text after it. It is
  removed when a build starts and written when it ends, so a killed build leaves none and
  the next build is a full one.
- ``parse-cache.jsonl``: one line per parsed data file, ``<seal of the line's JSON> <JSON>``;
  the JSON names the sha256 of the YAML bytes it was parsed from. A file whose bytes have
  not changed is not parsed again.
- ``cache/exports/``: chart renderings (SVG, PNG) by the sha256 of their kind, vl-convert's
  version and the spec bytes; each entry sealed by its first line (:class:`ExportCache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import fsutil

FORMAT = 2  # 2: seals are keyed (HMAC); files of format 1 are ignored
MANIFEST = "manifest.json"
PARSE_CACHE = "parse-cache.jsonl"
_PACKAGE = Path(__file__).resolve().parent


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


# --- the seal: an HMAC with a key that never leaves this machine -------------------------

KEY_FILE = "build-key"
KEY_SIZE = 32
_KEY: bytes | None = None
_KEY_AT: str | None = None  # the real path of the key file in use; None: this process's own
_GUARDED: set[str] = set()


def key_path() -> Path | None:
    """Where this machine's build key lives: ``$XDG_CACHE_HOME/ccr/build-key``.

    ``XDG_CACHE_HOME`` defaults to ``~/.cache`` (from ``HOME``); None when neither is an
    absolute path. Outside every project on purpose: a pull request can commit any file
    of the repository, ``.ccr-build/`` included, but not one in the user's own folders.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "ccr" / KEY_FILE


def _load_key() -> tuple[bytes, str | None]:
    """The key file's bytes and real path, made first if missing; else a key of our own."""
    path = key_path()
    if path is not None:
        found = fsutil.read_private(path, KEY_SIZE)
        if found is None and not os.path.lexists(path):
            with contextlib.suppress(OSError):
                fsutil.create_private(path, secrets.token_bytes(KEY_SIZE))
            found = fsutil.read_private(path, KEY_SIZE)
        if found is not None:
            return found, os.path.realpath(path)
    # No home, a read-only one, a link, a file others can touch: nothing sealed by an
    # earlier run is trusted (the build does the full work, its output the same).
    return secrets.token_bytes(KEY_SIZE), None


def build_key() -> bytes:
    """The key every seal is made with, read once per process (:func:`reset_key`)."""
    global _KEY, _KEY_AT
    if _KEY is None:
        _KEY, _KEY_AT = _load_key()
    return _KEY


def key_is_shared() -> bool:
    """True when seals are made with the key file (later runs can trust them)."""
    build_key()
    return _KEY_AT is not None


def reset_key() -> None:
    """Forget the key: the next seal reads (or makes) it again. For tests."""
    global _KEY, _KEY_AT
    _KEY = _KEY_AT = None
    _GUARDED.clear()


def guard_key(root: Path) -> None:
    """Stop using the key file when it lies inside ``root`` (which a pull request writes).

    ``XDG_CACHE_HOME`` pointing into the checkout would put the key among the files a
    pull request can commit; from then on this process seals with a key of its own.
    """
    global _KEY, _KEY_AT
    build_key()
    where = os.fspath(root)
    if _KEY_AT is None or where in _GUARDED:
        return
    _GUARDED.add(where)
    if Path(_KEY_AT).is_relative_to(os.path.realpath(root)):
        _KEY, _KEY_AT = secrets.token_bytes(KEY_SIZE), None


def seal(data: bytes) -> str:
    """The seal of a cache entry or manifest: what proves this CCR wrote ``data``.

    The hex HMAC-SHA256 of ``data`` with this machine's build key (:func:`build_key`),
    which only the user's own processes can read: anyone can compute a sha256, so a file
    planted in ``.ccr-build/`` (a pull request can commit it) could carry a plain checksum
    that holds. Every cache file and the manifest are checked when read (:func:`unsealed`).
    """
    return hmac.digest(build_key(), data, "sha256").hex()


def unsealed(check: str | bytes, data: bytes) -> bool:
    """True when ``check`` is the seal of ``data``."""
    expected = seal(data)
    return hmac.compare_digest(
        check if isinstance(check, str) else check.decode("ascii", "replace"), expected
    )


_SOURCE: str | None = None


def source_hash() -> str:
    """CCR's version and the hash of its own code and templates (the package's files)."""
    global _SOURCE
    if _SOURCE is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ccr = version("customer-care-review")
        except PackageNotFoundError:  # pragma: no cover - run from a checkout
            ccr = "unknown"
        digest = hashlib.sha256(ccr.encode())
        for folder, dirs, files in os.walk(_PACKAGE):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = Path(folder) / name
                digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
                digest.update(sha256(path.read_bytes()).encode())
        _SOURCE = f"{ccr}+{digest.hexdigest()[:32]}"
    return _SOURCE


def tree_hashes(folder: Path, prefix: str = "") -> dict[str, str]:
    """``{relative path: sha256}`` of every regular file below ``folder`` (links skipped)."""
    found: dict[str, str] = {}
    if folder.is_symlink() or not folder.is_dir():
        return found
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(base, d)))
        for name in sorted(files):
            path = Path(base) / name
            data = fsutil.read_regular(path)
            if data is not None:
                found[prefix + path.relative_to(folder).as_posix()] = sha256(data)
    return found


def _sealed(body: dict[str, Any]) -> bytes:
    """The manifest's bytes: the seal of its JSON text, a newline, the text.

    The text is sealed as it is written (not wrapped in another JSON document: at 10,000
    companies that is 14 MB escaped on each write and unescaped on each read).
    """
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return seal(text).encode() + b"\n" + text


def _unseal(data: bytes | None) -> dict[str, Any] | None:
    """The manifest's body when its seal holds and it is this CCR's; else None."""
    if data is None:
        return None
    check, _, text = data.partition(b"\n")
    if len(check) != 64 or not unsealed(check, text):
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        return None
    if body.get("ccr") != source_hash():
        return None
    return body


# The manifest as last read: (its path, the identity of the file read, the key it was
# unsealed with, its body). Read once per build: the page cache reads it when the build is
# set up, the build itself again (a 10,000-company manifest is 14 MB of JSON); the second
# read takes the body read first only while the file is the very one read then.
_READ: tuple[str, list[int], bytes, dict[str, Any]] | None = None
VERIFIED = "verified units"  # not a key of the file: what PageCache.kept found still there


def read_manifest(work: Path) -> dict[str, Any]:
    """The last successful build's manifest; ``{}`` when missing, corrupt or foreign.

    When the manifest is the very file this process read last (same path, identity and
    key), the body read then is returned (one read per build: :data:`_READ`).
    """
    global _READ
    fsutil.check_no_link(work)
    guard_key(work.parent)
    path = os.path.join(os.path.abspath(work), MANIFEST)
    last, _READ = _READ, None
    same = last is not None and last[0] == path and last[2] is build_key()
    if last is not None and same and identity(path) == last[1]:
        return last[3]
    opened = fsutil.read_with_stat(Path(path))
    if opened is None:
        return {}
    body = _unseal(opened[0]) or {}
    read_as = identity_of(opened[1])
    if body and read_as is not None:
        _READ = (path, read_as, build_key(), body)
    return body


def forget_manifest(work: Path, root: Path | None = None) -> None:
    """Remove the manifest (a build has started: until it ends, nothing may be trusted)."""
    global _READ
    _READ = None
    fsutil.check_no_link(work, root, "delete")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(work / MANIFEST)


def write_manifest(work: Path, body: dict[str, Any], root: Path | None = None) -> None:
    """Seal and write the manifest of a build that succeeded."""
    fsutil.atomic_write(
        work / MANIFEST, _sealed({**body, "format": FORMAT, "ccr": source_hash()}), root
    )


# --- the parse cache ---------------------------------------------------------------------


def _header() -> str:
    return json.dumps(
        {"format": FORMAT, "ccr": source_hash(), "kind": "parse-cache"}, sort_keys=True
    )


class ParseCache:
    """Parsed documents by the sha256 of their YAML bytes (see the module's docstring).

    Entries are kept as the JSON bytes of their line and decoded on each hit, so nothing a
    later stage does to a document can change what the cache holds.
    """

    def __init__(self, entries: dict[str, bytes] | None = None) -> None:
        self.entries: dict[str, bytes] = entries or {}
        self.used: dict[str, bytes] = {}
        self.seals = _Seals()
        self.hits = 0
        self.misses = 0

    @classmethod
    def read(cls, path: Path) -> ParseCache:
        """The cache at ``path``; an empty one when missing, foreign or corrupt.

        A line whose checksum fails is dropped (that file is parsed again); a file whose
        header names another format or CCR is dropped whole.
        """
        seals = _Seals()
        found = cls(_read_lines(path, _header(), seals))
        found.seals = seals
        return found

    def get(self, raw: bytes) -> Any:
        """The data parsed from these exact bytes before, or None.

        Positions are not kept: the loader finds them from the bytes when a problem needs one.
        """
        key = sha256(raw)
        payload = self.entries.get(key)
        if payload is not None:
            try:
                source, data = json.loads(payload)
            except (ValueError, TypeError):
                source = data = None
            if source == key and data is not None:
                self.hits += 1
                self.used[key] = payload
                return data
        self.misses += 1
        return None

    def put(self, raw: bytes, data: Any) -> None:
        """Remember a document parsed without problems (only JSON-exact data is kept)."""
        entry = self.entry(raw, data)
        if entry is not None:
            self.keep(entry)

    @staticmethod
    def entry(raw: bytes, data: Any) -> bytes | None:
        """The payload of the line for these bytes and their data; None unless JSON-exact.

        Pure: the loader makes it where the file was parsed (benchmark/fanout.py).
        """
        if data is None or not _exact(data):
            return None
        key = sha256(raw)
        return json.dumps([key, data], ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def keep(self, entry: bytes) -> None:
        """Remember a payload made by :meth:`entry` (its key is its first item)."""
        self.used[entry[2:66].decode("ascii")] = entry

    def write(self, path: Path, root: Path | None = None) -> None:
        """Write the entries used by this run (so deleted files leave the cache)."""
        _write_lines(path, _header(), self.used, root, self.seals)


class _Seals:
    """The seals of the lines read, by payload: an unchanged line is not sealed again.

    Only while the key they were checked with is the key in use (:func:`guard_key`).
    """

    def __init__(self) -> None:
        self.key = build_key()
        self.by_payload: dict[bytes, bytes] = {}

    def of(self, payload: bytes) -> bytes:
        """The seal of ``payload``: as read when it was read with this key, else made now."""
        known = self.by_payload.get(payload) if self.key is build_key() else None
        return known if known is not None else seal(payload).encode()


def _read_lines(path: Path, header: str, seals: _Seals | None = None) -> dict[str, bytes]:
    """The sealed lines of a line cache (parse or validation) by key; {} when foreign.

    Each line is ``<seal of the payload> <payload>``, the payload a JSON list whose first
    item is the entry's key; a line whose seal fails is dropped, a file whose first line is
    not ``header`` (another format or CCR) is dropped whole. ``seals`` keeps the seals of
    the lines that hold.
    """
    guard_key(path.parent.parent)
    data = fsutil.read_regular(path)
    if data is None:
        return {}
    lines = data.split(b"\n")
    if lines[0] != header.encode():
        return {}
    entries: dict[str, bytes] = {}
    for line in lines[1:]:
        check, _, payload = line.partition(b" ")
        if len(check) == 64 and payload[:2] == b'["' and unsealed(check, payload):
            entries[payload[2:66].decode("ascii", "replace")] = payload
            if seals is not None:
                seals.by_payload[payload] = check
    return entries


def _write_lines(
    path: Path, header: str, used: dict[str, bytes], root: Path | None, seals: _Seals
) -> None:
    """Write a line cache: ``header``, then each payload in ``used`` with its seal."""
    lines = [header.encode()]
    for key in sorted(used):
        payload = used[key]
        lines.append(seals.of(payload) + b" " + payload)
    fsutil.atomic_write(path, b"\n".join(lines) + b"\n", root, durable=False)


_PLAIN = frozenset({str, bool, int, float, type(None)})


def _exact(value: Any) -> bool:
    """True when JSON gives ``value`` back exactly (string keys; no tuples, no sets).

    Walked with a stack of the nodes still to see, not by recursion (every node of every
    file parsed passes here); by exact type, so a subclass is not taken for its base.
    """
    todo = [value]
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind is dict:
            if not all(type(k) is str for k in node):
                return False
            todo.extend(node.values())
        elif kind is list:
            todo.extend(node)
        elif kind not in _PLAIN:
            return False
    return True


# --- the chart export cache --------------------------------------------------------------

EXPORTS = "cache/exports"


def read_sealed(folder: Path, name: str, root: Path | None = None) -> bytes | None:
    """The content of a sealed cache entry; None when missing, not a file, or wrongly sealed.

    The first line of an entry seals it: its name and the seal of name and content.
    """
    fsutil.check_no_link(folder, root, "read")
    guard_key(folder if root is None else root)
    raw = fsutil.read_regular(folder / name)
    if raw is None:
        return None
    head, _, content = raw.partition(b"\n")
    if head != f"{name} {seal(name.encode() + content)}".encode():
        return None
    return content


class ExportCache:
    """Chart renderings (SVG, PNG) by the sha256 of what vl-convert was given.

    One file per rendering in ``.ccr-build/cache/exports/``, named by its key (the sha256 of
    the kind, vl-convert's version and the input bytes); its first line is the key again and
    the seal of key and content, so a corrupt, cut short or planted file (another key's
    bytes) is never returned: the chart is rendered anew and the entry replaced.
    """

    def __init__(self, folder: Path, root: Path | None = None, *, read: bool = True) -> None:
        self.folder = folder
        self.root = root
        self.read = read  # False: a clean build, which renders everything and refills
        self.hits = 0
        self.misses = 0
        self._made = False

    @staticmethod
    def key(kind: str, data: bytes) -> str:
        """The key of rendering ``data`` (vl-convert's input) as ``kind`` (svg, png)."""
        import vl_convert

        version = str(getattr(vl_convert, "__version__", "unknown"))
        return sha256(b"%s\0%s\0" % (kind.encode(), version.encode()) + data)

    def get(self, key: str) -> bytes | None:
        """The stored rendering of ``key``; None when missing or when its check fails."""
        if not self.read:
            return None
        return read_sealed(self.folder, key, self.root)

    def put(self, key: str, content: bytes) -> None:
        """Store a rendering (atomically; the first line seals it)."""
        if not self._made:
            fsutil.make_dir(self.folder, self.root)
            self._made = True
        fsutil.atomic_write(
            self.folder / key,
            f"{key} {seal(key.encode() + content)}\n".encode() + content,
            self.root,
        )

    def render(self, kind: str, data: bytes, make: Callable[[], bytes]) -> bytes:
        """The rendering of ``data`` as ``kind``: from the cache, or ``make()`` and stored."""
        key = self.key(kind, data)
        found = self.get(key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        content = make()
        self.put(key, content)
        return content


# --- the page cache ----------------------------------------------------------------------

PAGES = "cache/pages"

# One stored output: (path, kind, content, title, description, search), as render yields it.
Stored = tuple[str, str, bytes, str, str, str]


DOCS = "docs"  # the docs tree MkDocs reads, below .ccr-build
STAMPED = "stamped"  # the stamped pages' records, below .ccr-build


def identity(path: str | Path, linked: bool = False) -> list[int] | None:
    """A regular file's identity: device, inode, size, mtime and (unless ``linked``) ctime.

    None when ``path`` is missing or not a regular file (a link is not followed). The
    manifest keeps the identity of every file of the work trees; a file is reused unread
    only while its identity is the one recorded. A ``git checkout`` that overwrites an
    ignored file (a pull request may commit ``.ccr-build/``) writes it anew: the inode, or
    the mtime and ctime, differ. ``linked``: a file the build hard-links into the site; a
    link made or removed changes its ctime, so ctime is left out (a replaced file still
    differs by its inode, the old one being held by the site, or by its mtime).
    """
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return identity_of(found, linked)


def identity_of(found: os.stat_result, linked: bool = False) -> list[int] | None:
    """:func:`identity` from a file's stat (None when it is not a regular file)."""
    if not stat.S_ISREG(found.st_mode):
        return None
    ident = [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns]
    return ident if linked else [*ident, found.st_ctime_ns]


def work_file(work: str, name: str) -> str:
    """Where a file the manifest names (``files``) is: the docs tree, or a stamped record.

    ``work`` (``.ccr-build``) and the result are strings: this runs for every kept file.
    """
    if name.startswith("stamped:"):
        return f"{work}/{STAMPED}/{name[8:]}"
    return f"{work}/{DOCS}/{name}"


class PageCache:
    """The files rendered for one company, by the key of everything its page was made from.

    The render stage computes the key (the sha256 of the exact plain data the company's
    page, charts and badge are made from, and of the site-wide data they read); one file per
    key in ``.ccr-build/cache/pages/``, named by the sha256 of CCR's source hash and that
    key, so another CCR never finds it. Its first line is the name again and the seal of
    name and content: a corrupt, cut short, planted or foreign file is never returned (the
    page is rendered anew and the entry replaced). The content is each output's header, one
    line of JSON (path, kind, title, description, search, byte count), then its bytes: no
    pickle, nothing that runs. Entries no build used are removed by :meth:`prune`.

    A company whose key is the one the last successful build used for it is not even read
    (:meth:`kept`): its files are still in the work trees, as the sealed manifest names them
    (``units``), each with the identity it was written with (``stat``). The manifest is read
    here, when the build is set up, before the build itself removes it.
    """

    def __init__(self, folder: Path, root: Path | None = None, *, read: bool = True) -> None:
        self.folder = folder
        self.root = root
        self.read = read  # False: a clean build, which renders everything and refills
        self.hits = 0
        self.misses = 0
        self.kept_units = 0
        self.used: set[str] = set()
        self._made = False
        self.work = folder.parent.parent  # .ccr-build
        manifest = read_manifest(self.work) if read else {}
        self._units: dict[str, Any] = manifest.get("units", {})
        self._files: dict[str, str] = manifest.get("files", {})
        self._stat: dict[str, list[int]] = manifest.get("stat", {})
        # the units found still there, by company: kept in the manifest's body itself, so
        # the build sees them only when it reads this very body (read_manifest)
        self._verified: dict[str, Any] = manifest.setdefault(VERIFIED, {}) if manifest else {}

    def kept(self, slug: str, key: str) -> bool:
        """True when the last build made ``slug``'s files from ``key``, all still as it left them.

        Each file must be in the manifest with its identity, and be that very file now.
        """
        unit = self._units.get(slug)
        if unit is None or unit.get("key") != key:
            return False
        work = os.fspath(self.work)
        for name, kind, _path in unit["files"]:
            if name not in self._files or identity(
                work_file(work, name), kind not in ("stamped", "page")
            ) != self._stat.get(name):
                return False
        self.kept_units += 1
        # the build takes these files as checked here, a moment ago (build._DocsTree._kept)
        self._verified[slug] = unit
        return True

    @staticmethod
    def name(key: str) -> str:
        """The file an entry of ``key`` is stored in (CCR's source hash is part of it)."""
        return sha256(f"{source_hash()}\0{key}".encode())

    def get(self, key: str) -> list[Stored] | None:
        """The outputs stored for ``key``; None when missing or when any check fails."""
        name = self.name(key)
        self.used.add(name)
        found = self._load(name) if self.read else None
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def _load(self, name: str) -> list[Stored] | None:
        content = read_sealed(self.folder, name, self.root)
        if content is None:
            return None
        try:
            return _unpack(content)
        except (ValueError, TypeError, IndexError):  # pragma: no cover - sealed, so ours
            return None

    def put(self, key: str, outputs: list[Stored]) -> None:
        """Store the outputs rendered for ``key`` (atomically; the first line seals them).

        Not in a clean build (``read=False``): it renders every company, and the next build
        keeps what it made (:meth:`kept`); an entry serves a company changed and changed back,
        or a build after one that failed.
        """
        if not self.read:
            return
        if not self._made:
            fsutil.make_dir(self.folder, self.root)
            self._made = True
        name = self.name(key)
        self.used.add(name)
        content = _pack(outputs)
        fsutil.atomic_write(
            self.folder / name,
            f"{name} {seal(name.encode() + content)}\n".encode() + content,
            self.root,
            durable=False,
        )

    def prune(self) -> None:
        """Remove every entry this build did not ask for (companies gone, pages changed)."""
        fsutil.check_no_link(self.folder, self.root, "delete")
        try:
            names = os.listdir(self.folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in names:
            if len(name) == 64 and name not in self.used:
                with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                    os.unlink(self.folder / name)


def _pack(outputs: list[Stored]) -> bytes:
    parts = []
    for path, kind, content, title, description, search in outputs:
        header = [path, kind, title, description, search, len(content)]
        parts.append(json.dumps(header, ensure_ascii=False).encode() + b"\n" + content)
    return b"".join(parts)


def _unpack(data: bytes) -> list[Stored]:
    found: list[Stored] = []
    at = 0
    while at < len(data):
        end = data.index(b"\n", at)
        path, kind, title, description, search, size = json.loads(data[at:end])
        content = data[end + 1 : end + 1 + int(size)]
        if len(content) != size:
            raise ValueError("cut short")
        found.append((str(path), str(kind), content, str(title), str(description), str(search)))
        at = end + 1 + int(size)
    return found


# --- the validation cache ----------------------------------------------------------------

CHECKED = "checked.jsonl"


class CheckedCache:
    """Company files found without a problem, so an unchanged one is not checked again.

    A key covers everything the per-file checks read: the file's name and bytes and the
    context (every edition and methodology file's name and bytes, from which the editions,
    rubrics, complete marks and limits are drawn); CCR's code and schemas are in the header.
    Only files without any problem are kept, with the moment they were checked: the only
    comparison a company's checks make with "now" is "a timestamp later than now", so a
    file clean at that moment stays clean at any later one. A run with an earlier "now"
    checks it again. Entries are sealed and checked like the parse cache's.
    """

    def __init__(self, entries: dict[str, bytes] | None = None) -> None:
        self.entries: dict[str, bytes] = entries or {}
        self.used: dict[str, bytes] = {}
        self.context: str | None = None
        self.now = ""
        self.seals = _Seals()
        self.hits = 0

    @classmethod
    def read(cls, path: Path) -> CheckedCache:
        """The cache at ``path``; an empty one when missing, foreign or corrupt."""
        seals = _Seals()
        found = cls(_read_lines(path, _checked_header(), seals))
        found.seals = seals
        return found

    def prepare(self, context: list[tuple[str, bytes | None]], now: str) -> None:
        """Set the context (edition and methodology files: name, bytes) and the moment.

        ``now`` is an ISO 8601 UTC timestamp (same length, so strings compare as moments).
        A context file without bytes turns the cache off for this run.
        """
        if any(raw is None for _, raw in context):
            self.context = None
            return
        named = [[name, sha256(raw or b"")] for name, raw in context]
        self.context = sha256(json.dumps(named, ensure_ascii=False).encode("utf-8"))
        self.now = now

    def key(self, file: str, raw: bytes | None) -> str | None:
        """The key of a file with these bytes in this context, or None (not cacheable)."""
        if self.context is None or raw is None:
            return None
        return sha256(json.dumps([file, sha256(raw), self.context]).encode("utf-8"))

    def clean(self, key: str) -> bool:
        """True when this file was found clean at a moment no later than now."""
        payload = self.entries.get(key)
        if payload is None:
            return False
        try:
            found, checked_at = json.loads(payload)
        except (ValueError, TypeError):
            return False
        if found != key or not isinstance(checked_at, str) or len(checked_at) != len(self.now):
            return False
        if checked_at > self.now:
            return False
        self.hits += 1
        self.used[key] = payload
        return True

    def put(self, key: str) -> None:
        """Remember that the file with this key was found without a problem now."""
        self.used[key] = json.dumps([key, self.now], separators=(",", ":")).encode("utf-8")

    def write(self, path: Path, root: Path | None = None) -> None:
        """Write the entries used by this run (so deleted files leave the cache)."""
        _write_lines(path, _checked_header(), self.used, root, self.seals)


def _checked_header() -> str:
    return json.dumps({"format": FORMAT, "ccr": source_hash(), "kind": "checked"}, sort_keys=True)
