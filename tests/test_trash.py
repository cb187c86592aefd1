"""Trees done with are renamed into .ccr-build/trash and deleted by a thread of a later build.

The old site swapped out at the end of one build lies in the trash until the next build
deletes it (in a background thread that stops when the build ends: what it has not deleted
yet waits in the trash for the next build, so no build waits for deletions). The trash never
makes CCR delete through a link, a killed build leaves a correct site and the next build
empties the trash, and a folder that cannot be renamed there (another file system) is
deleted at once, as before.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from benchmark import fsutil, pipeline
from benchmark.errors import CCRError
from tests.helpers import make_project, tree_digest

pytestmark = pytest.mark.slow

TRASH = Path(".ccr-build") / "trash"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with its site built once."""
    root = make_project(tmp_path_factory.mktemp("trash"), companies=6)
    pipeline.build(root)
    return root


def outside(tmp_path: Path) -> Path:
    """A folder outside the project with a file CCR must never delete."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me", encoding="utf-8")
    return folder


def finish_trash(project: Path) -> list[str]:
    """Let a trash thread delete all the trash holds (a build's stops when the build ends)."""
    trash = fsutil.Trash(project / TRASH, project)
    trash.start()
    return trash.close(finish=True)


def test_old_site_lies_in_trash_until_the_next_build(project: Path) -> None:
    """Build N moves the old site into the trash; build N+1 deletes it."""
    (project / "site" / "marker.txt").write_text("old site", encoding="utf-8")
    pipeline.build(project)
    assert not (project / "site" / "marker.txt").exists()
    holders = os.listdir(project / TRASH)
    assert len(holders) == 1
    assert (project / TRASH / holders[0] / "site.old" / "marker.txt").is_file()
    assert not (project / "site.old").exists()

    pipeline.build(project)  # its thread deletes the old holder (or stops with the build)
    assert holders[0] not in os.listdir(project / TRASH) or len(os.listdir(project / TRASH)) == 2
    assert finish_trash(project) == []
    assert os.listdir(project / TRASH) == []


def test_linked_trash_is_not_followed(project: Path, tmp_path: Path) -> None:
    """A .ccr-build/trash link stops the build with a clear error; its target is untouched."""
    target = outside(tmp_path)
    before = tree_digest(project / "site")
    shutil.rmtree(project / TRASH)
    (project / TRASH).symlink_to(target, target_is_directory=True)
    try:
        with pytest.raises(CCRError, match="trash is a symbolic link"):
            pipeline.build(project)
        assert (target / "precious.txt").read_text(encoding="utf-8") == "keep me"
        assert tree_digest(project / "site") == before
    finally:
        (project / TRASH).unlink()
    pipeline.build(project)
    assert (target / "precious.txt").is_file()


def test_links_inside_the_trash_are_removed_as_links(project: Path, tmp_path: Path) -> None:
    """A link in the trash, or inside a folder there, goes; what it points at stays."""
    target = outside(tmp_path)
    (project / TRASH / "planted").symlink_to(target, target_is_directory=True)
    (project / TRASH / "folder").mkdir()
    (project / TRASH / "folder" / "inner").symlink_to(target, target_is_directory=True)
    (project / TRASH / "file").symlink_to(target / "precious.txt")
    pipeline.build(project)
    for name in ("planted", "folder", "file"):
        assert not os.path.lexists(project / TRASH / name)
    assert sorted(os.listdir(target)) == ["precious.txt"]
    assert (target / "precious.txt").read_text(encoding="utf-8") == "keep me"


KILL_AFTER_SWAP = """
import os, runpy, signal, sys
from benchmark import cache
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
cache.write_manifest = killed  # called right after the new site is swapped in
sys.argv = ["ccr", "build", "--root", sys.argv[1]]
runpy.run_module("benchmark", run_name="__main__")
"""


def test_build_killed_after_the_swap(project: Path, tmp_path: Path) -> None:
    """SIGKILL after the swap: the new site is whole; the next build empties the trash."""
    company = sorted((project / "data" / "companies").glob("*.yaml"))[0]
    text = company.read_text(encoding="utf-8")
    company.write_text(text.replace("\nname: ", "\nname: Killed ", 1), encoding="utf-8")
    left = set(os.listdir(project / TRASH))
    child = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_SWAP, str(project)],
        cwd=project,
        capture_output=True,
        check=False,
        timeout=600,
    )
    assert child.returncode == -9, child.stderr
    page = project / "site" / "companies" / company.stem / "index.html"
    assert "Killed" in page.read_text(encoding="utf-8")
    killed = set(os.listdir(project / TRASH)) - left
    # the killed build's old site; other folders it put there may not be deleted yet
    assert [name.split(".")[0] for name in killed].count("site") == 1, killed

    pipeline.build(project)
    assert finish_trash(project) == []  # nothing the kill left is stuck
    assert os.listdir(project / TRASH) == []
    clean = tmp_path / "clean"
    pipeline.build(project, clean, options=pipeline.BuildOptions(clean=True))
    assert tree_digest(clean) == tree_digest(project / "site")


def test_folder_on_another_file_system_is_deleted_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the rename into the trash fails with EXDEV, the folder is deleted at once."""
    trash = fsutil.Trash(tmp_path / "trash", tmp_path)
    trash.start()
    old = tmp_path / "site"
    (old / "a").mkdir(parents=True)
    (old / "a" / "page.html").write_text("x", encoding="utf-8")

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))

    monkeypatch.setattr(os, "rename", cross_device)
    trash.put(old, now=False)
    monkeypatch.undo()
    assert not old.exists()
    assert os.listdir(tmp_path / "trash") == []
    assert trash.close() == []


def test_trash_that_cannot_be_emptied_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deletion that fails in the thread is returned by close(), not raised or lost."""
    (tmp_path / "trash" / "stuck").mkdir(parents=True)

    def refuse(path: Path, *_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(fsutil, "_delete", refuse)
    trash = fsutil.Trash(tmp_path / "trash", tmp_path)
    trash.start()
    assert trash.close() == [f"{Path('trash') / 'stuck'}: Permission denied"]


def test_build_succeeds_and_warns_when_the_trash_cannot_be_emptied(
    project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing deletion in the thread: the build succeeds, one warning line per entry."""

    def refuse(path: Path, *_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    pipeline.build(project)  # the trash holds the old site
    monkeypatch.setattr(fsutil, "_delete", refuse)
    left = sorted(os.listdir(project / TRASH))
    assert left
    with caplog.at_level(logging.WARNING, logger="benchmark.build"):
        pipeline.build(project)
    warned = [r.getMessage() for r in caplog.records if "could not empty" in r.getMessage()]
    assert warned == [
        f"could not empty the trash: {TRASH / name}: Permission denied" for name in left
    ]
    monkeypatch.undo()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="benchmark.build"):
        pipeline.build(project)  # the next build's thread deletes them (it stops with the build)
    assert not [r for r in caplog.records if "could not empty" in r.getMessage()]
    assert finish_trash(project) == []  # a thread left to finish: nothing stuck
    assert os.listdir(project / TRASH) == []


def _below(folder: Path) -> list[str]:
    """Every path below ``folder``, relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


class _StopAfter(threading.Event):
    """An event that reads as set from its ``n``-th look on: a build ending mid-deletion."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.looks = n

    def is_set(self) -> bool:
        self.looks -= 1
        return self.looks < 0


def test_stopped_deletion_leaves_the_rest_for_the_next_build(tmp_path: Path) -> None:
    """A deletion stopped part way leaves the rest in the trash; the next thread ends it.

    Links inside are removed as links on the way, their targets untouched.
    """
    target = outside(tmp_path)
    old = tmp_path / "trash" / "holder" / "site"
    for n in range(5):
        (old / f"d{n}").mkdir(parents=True)
        for m in range(20):
            (old / f"d{n}" / f"f{m}.html").write_text("x", encoding="utf-8")
        (old / f"d{n}" / "link").symlink_to(target, target_is_directory=True)
    assert fsutil._delete(tmp_path / "trash" / "holder", _StopAfter(30)) is False
    left = _below(tmp_path / "trash")
    assert left  # some of it is left
    assert len(left) < 2 + 5 * 22  # some of it went
    trash = fsutil.Trash(tmp_path / "trash", tmp_path)
    trash.start()
    trash._todo.put(None)  # let the thread finish what the trash holds before closing
    assert trash._thread is not None
    trash._thread.join()
    trash._thread = None
    assert trash.close() == []
    assert not _below(tmp_path / "trash")
    assert (target / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_closing_does_not_wait_for_the_deletions(tmp_path: Path) -> None:
    """close() right after start(): the thread stops at once; nothing is lost or reported."""
    old = tmp_path / "trash" / "holder"
    for n in range(50):
        (old / f"d{n}").mkdir(parents=True)
        (old / f"d{n}" / "f.html").write_text("x", encoding="utf-8")
    trash = fsutil.Trash(tmp_path / "trash", tmp_path)
    trash._stop.set()  # the build has ended before the thread looks at the trash
    trash.start()
    assert trash.close() == []
    assert len(_below(tmp_path / "trash")) == 1 + 50 * 2  # all of it waits for the next build
