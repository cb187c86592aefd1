"""Edge: how the recording commands write files — through benchmark.fsutil, never via a link.

A changed file is written to a new temporary file beside it and renamed over the old one
(``fsutil.atomic_write``): a reader sees the old file or the new one, never half. A new file
is created with ``O_EXCL | O_NOFOLLOW`` in a folder checked for links (``fsutil``).
"""

from __future__ import annotations

from pathlib import Path

from .. import fsutil
from ..errors import DataError


def replace_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Replace ``path`` by a file holding ``data``, atomically."""
    fsutil.atomic_write(path, data, root)


def create_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write a file that must not exist yet."""
    fsutil.make_dir(path.parent, root)
    try:
        fsutil.create_new(path, data)
    except FileExistsError as error:
        raise DataError(f"{path} already exists", "edit that file instead") from error
    except OSError as error:
        raise fsutil.describe(error) from None
