"""Writes and deletes that never follow a symbolic link.

A pull request can commit a symbolic link anywhere in the repository: in place of a file CCR
writes (``data/companies/.x.yaml.ccr-tmp`` → ``.git/hooks/pre-commit``) or of a folder it
deletes (``.ccr-build`` → ``/home/you``). So every file CCR writes is created with a fresh
random name (``tempfile.mkstemp``: ``O_CREAT|O_EXCL``, which never opens an existing path, a
link included) in a folder that is not a link, and renamed over its target; files written
into a folder CCR has just made itself are created with ``O_EXCL|O_NOFOLLOW`` under their own
name. A folder is deleted or written into only when neither it nor any folder between it and
the repository root is a link.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import re
import secrets
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import CCRError

TEMP_SUFFIX = ".ccr-tmp"
# CCR's temporary files: .<name>.<pid>.<random>.ccr-tmp beside the file they replace.
_TEMP = re.compile(r"\..+\.(\d+)\.[^./]+\.ccr-tmp\Z")


class UnsafePath(CCRError):
    """A path CCR would write or delete through is a symbolic link; nothing was changed."""


class WriteError(CCRError):
    """The file system refused a write (disk full, no permission…); says what and where."""


def _shown(path: Path, root: Path | None) -> Path:
    """``path`` relative to ``root`` when it lies below it, else as it is."""
    if root is not None:
        base = os.path.abspath(root)
        if path.is_relative_to(base) and path != Path(base):
            return Path(os.path.relpath(path, base))
    return path


def _refuse(shown: Path, action: str) -> UnsafePath:
    return UnsafePath(
        f"{shown} is a symbolic link, so CCR will not {action} through it (nothing was changed)",
        "remove the link (`git rm` it if it was committed) and run the command again",
    )


def check_no_link(path: Path, root: Path | None = None, action: str = "write") -> None:
    """UnsafePath when ``path``, or a folder between ``root`` and it, is a symbolic link.

    Folders above ``root`` (or above ``path`` when it does not lie below ``root``) are the
    user's own and are not checked.
    """
    target = Path(os.path.abspath(path))
    chain = [target]
    if root is not None:
        base = Path(os.path.abspath(root))
        with contextlib.suppress(ValueError):
            relative = target.relative_to(base)
            chain = [
                base.joinpath(*relative.parts[: i + 1]) for i in range(len(relative.parts))
            ] or [target]
    for step in chain:
        if os.path.islink(step):
            raise _refuse(_shown(step, root), action)


def make_dir(path: Path, root: Path | None = None) -> None:
    """``mkdir -p path``, refusing to create or enter a folder through a link."""
    check_no_link(path, root)
    path.mkdir(parents=True, exist_ok=True)
    check_no_link(path, root)  # a link put there meanwhile


def make_child(path: str | Path, root: Path | None = None) -> None:
    """Make the folder ``path`` in a folder this build made or checked: one ``mkdir``.

    ``mkdir`` makes a new folder or fails: it never enters what is there, a link included.
    When something is there already (or the parent is missing) :func:`make_dir` decides.
    """
    try:
        os.mkdir(path)
    except (FileExistsError, FileNotFoundError):
        make_dir(Path(path), root)


def remove_tree(path: Path, root: Path | None = None) -> None:
    """Delete the folder ``path`` if it exists; UnsafePath when it or a parent is a link."""
    check_no_link(path, root, "delete")
    if os.path.lexists(path):
        shutil.rmtree(path)


def _delete(path: Path, stop: threading.Event | None = None) -> bool:
    """Delete ``path``: a folder with everything in it, or a file or link (never followed).

    With ``stop``, a folder is deleted entry by entry and the deletion ends once ``stop`` is
    set: False, the rest left where it is (for the next build's trash thread).
    """
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        os.unlink(path)
        return True
    if stop is None:
        shutil.rmtree(path)  # removes the links inside as links
        return True
    fd = os.open(path, _FOLDER)
    try:
        done = _empty_folder(fd, stop)
    finally:
        os.close(fd)
    if done:
        os.rmdir(path)
    return done


# A folder opened to delete what it holds: never through a link (ELOOP), never a file.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _empty_folder(fd: int, stop: threading.Event) -> bool:
    """Delete what the open folder ``fd`` holds; False when ``stop`` was set before the end.

    Relative to the open folder, as shutil.rmtree's safe variant works: a link is removed as
    a link, a folder is opened without following one.
    """
    with os.scandir(fd) as entries:
        found = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    for name, folder in found:
        if stop.is_set():
            return False
        if not folder:
            os.unlink(name, dir_fd=fd)
            continue
        inner = os.open(name, _FOLDER, dir_fd=fd)
        try:
            done = _empty_folder(inner, stop)
        finally:
            os.close(inner)
        if not done:
            return False
        os.rmdir(name, dir_fd=fd)
    return True


class Trash:
    """Folders done with, moved aside in one rename and deleted by a background thread.

    Deleting a tree costs a system call a file; a rename costs one. :meth:`start` makes the
    trash folder (refusing a link, like every folder CCR deletes in) and starts a thread that
    deletes what the trash already holds, then each folder :meth:`put` with ``now``; a folder
    put without ``now`` stays until the next build's thread. Each folder goes into a new
    folder of its own (``mkdtemp``), so names never meet. When the rename fails (the folder
    is on another file system) the folder is deleted at once, as before. The trash must be
    used under the build lock: one build at a time empties it. The thread works while the
    build does and stops when it ends (:meth:`close`), so a build never waits for deletions;
    a trash half deleted (a build ended or killed) is finished by the next one.
    """

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder, self.root = folder, root
        self.failed: list[str] = []  # what the thread could not delete (error messages)
        self._todo: queue.SimpleQueue[Path | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()  # set by close(): what is left waits for the next build

    def start(self) -> None:
        """Make the trash folder and start deleting what it holds, in a thread."""
        make_dir(self.folder, self.root)
        for name in sorted(os.listdir(self.folder)):
            self._todo.put(self.folder / name)
        self._thread = threading.Thread(target=self._empty, name="ccr-trash", daemon=True)
        self._thread.start()

    def _empty(self) -> None:
        while (path := self._todo.get()) is not None:
            try:
                _delete(path, self._stop)
            except OSError as error:
                self.failed.append(f"{_shown(path, self.root)}: {error.strerror or error}")

    def put(self, path: Path, now: bool = True) -> None:
        """Move the folder ``path`` (if any) into the trash; deleted now or by the next build."""
        check_no_link(path, self.root, "delete")
        if not os.path.lexists(path):
            return
        check_no_link(self.folder, self.root, "delete")
        holder = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=self.folder))
        try:
            os.rename(path, holder / path.name)
        except OSError:  # another file system (EXDEV): delete it here, as before
            os.rmdir(holder)
            shutil.rmtree(path)
            return
        if now and self._thread is not None:
            self._todo.put(holder)

    def close(self, finish: bool = False) -> list[str]:
        """Stop the thread and wait for it; what it could not delete.

        The build does not wait for the deletions: the thread stops at its next file, and
        what it had not deleted stays in the trash folder for the next build's thread. With
        ``finish`` the thread first deletes everything it was given.
        """
        if self._thread is not None:
            if not finish:
                self._stop.set()
            self._todo.put(None)
            self._thread.join()
            self._thread = None
        return self.failed


def describe(error: OSError) -> WriteError:
    """A file-system error as a message that says what happened and where."""
    where = f" {error.filename}" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(
            f"the disk is full: could not write{where}",
            "free some space on that disk (or raise the quota) and run the command again",
        )
    reason = error.strerror or str(error)
    return WriteError(
        f"file-system error at{where or ' a file'}: {reason}",
        "check that the folder exists, is writable and has space, then run the command again",
    )


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


@contextlib.contextmanager
def _temporary(path: Path, root: Path | None) -> Iterator[tuple[int, str]]:
    """A new file beside ``path`` with a random name; removed unless renamed away."""
    check_no_link(path.parent, root)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        yield fd, name
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def atomic_write(
    path: Path, data: bytes, root: Path | None = None, mode: int | None = None, durable: bool = True
) -> None:
    """Replace ``path`` by a file holding ``data``: readers see the old file or the new one.

    The bytes go into a new file with a random name in the same folder, which is then
    renamed over ``path`` (a rename replaces a link itself, never its target). ``mode``
    defaults to the old file's permissions, or 0o666 less the umask for a new file. With
    ``durable`` the bytes reach the disk before the rename (skip it for build output, which
    is swapped in later as a whole).
    """
    if mode is None:
        try:
            info = os.lstat(path)
            mode = stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None
        except FileNotFoundError:
            mode = None
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        with _temporary(path, root) as (fd, name):
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), mode)
                fh.write(data)
                fh.flush()
                if durable:
                    os.fsync(fh.fileno())
            os.replace(name, path)
    except OSError as error:
        if error.filename is None:
            error.filename = str(path)
        raise describe(error) from None


def create_new(path: str | Path, data: bytes) -> os.stat_result:
    """Write a file that must not exist yet (in a folder CCR made): O_EXCL|O_NOFOLLOW.

    Returns the new file's stat, taken once every byte is written.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def read_regular(path: Path, limit: int | None = None) -> bytes | None:
    """A regular file's bytes (up to ``limit``) without following a link; None otherwise."""
    opened = _open_regular(path)
    if opened is None:
        return None
    with os.fdopen(opened[0], "rb") as fh:
        return fh.read() if limit is None else fh.read(limit)


def read_with_stat(path: Path) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes and the stat of the very file read (no link followed)."""
    opened = _open_regular(path)
    if opened is None:
        return None
    with os.fdopen(opened[0], "rb") as fh:
        return fh.read(), opened[1]


def _open_regular(path: Path) -> tuple[int, os.stat_result] | None:
    """An open descriptor of a regular file and its stat, not following a link; else None.

    The type is checked on the descriptor before anything reads it (a folder, a FIFO or a
    device planted where a file belongs gives None).
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None
    return fd, info


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stray_temps(folder: Path) -> list[str]:
    """Delete CCR's temporary files left in ``folder`` by a killed run; their names.

    Only regular files named like CCR's own (``.<name>.<pid>.<random>.ccr-tmp``) whose
    process has ended are removed; a link is never followed nor removed.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMP.fullmatch(entry.name)
        if not found or not entry.is_file(follow_symlinks=False):
            continue
        if int(found.group(1)) != os.getpid() and _alive(int(found.group(1))):
            continue  # another run is writing it right now
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def read_private(path: Path, size: int) -> bytes | None:
    """The ``size`` bytes of a file only this user can touch; None for anything else.

    Read without following a link; trusted only when it is a regular file owned by this
    user, with no permission for group or others (a key others can read is no secret, and
    a file git checks out is never 0600 under the usual umask), and exactly ``size`` bytes.
    """
    opened = _open_regular(path)
    if opened is None:
        return None
    fd, info = opened
    try:
        if (
            info.st_uid != os.geteuid()
            or stat.S_IMODE(info.st_mode) & 0o077
            or info.st_size != size
        ):
            return None
        data = os.read(fd, size + 1)
    finally:
        os.close(fd)
    return data if len(data) == size else None


def create_private(path: Path, data: bytes) -> None:
    """Create ``path`` (mode 0600) holding ``data`` unless it exists: the first writer wins.

    The bytes go into a new file (``O_EXCL|O_NOFOLLOW``, 0600) beside ``path``, which is
    then hard-linked to ``path``: a link never replaces an existing file, so of two racing
    processes one creates it and the other keeps what is there. Raises OSError when the
    folder cannot be made or written; an existing ``path`` is not an error.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path, follow_symlinks=False)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
