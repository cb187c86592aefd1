"""Edge: how the recording commands write files — one small place, atomic, never via a link.

A changed file is written to a new temporary file beside it (``mkstemp``, so never through a
planted name), flushed to disk and renamed over the old one: a reader sees the old file or
the new one, never half. A new file is created with ``O_EXCL | O_NOFOLLOW``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import DataError


def _no_link(path: Path) -> None:
    if path.is_symlink() or any(p.is_symlink() for p in path.parents if p != Path(".")):
        raise DataError(f"{path} is, or lies under, a symbolic link; nothing was written",
                        "CCR writes data files only through real folders; replace the link")


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` by a file holding ``data``, atomically."""
    _no_link(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ccr-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise DataError(f"{path}: could not be written ({error.strerror})",
                        "check the disk space and the folder's permissions") from error


def create_file(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet."""
    _no_link(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o644)
    except FileExistsError as error:
        raise DataError(f"{path} already exists", "edit that file instead") from error
    except OSError as error:
        raise DataError(f"{path}: could not be written ({error.strerror})",
                        "check the disk space and the folder's permissions") from error
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
