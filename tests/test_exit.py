"""How a `ccr` process ends: quickly (os._exit), yet as a normal exit would for everything seen.

benchmark.cli.main, as the process's entry point, skips the interpreter's teardown of every
object; these run it as a child and check that what the teardown is not needed for still
happens: output flushed, exit status kept, atexit functions run (coverage saves its data
there), threads still running waited for. The children run without coverage (under it
the process exits the normal way, see benchmark.cli._end_process), so the fast way is tested.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark import cli
from benchmark.errors import CCRError

from .helpers import fill_tree


def _child(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("COVERAGE")},
    )


ATEXIT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('atexit ran', file=sys.stderr))\n"
    "from benchmark.cli import main\n"
    "main()\n"
)


def test_atexit_functions_run_and_output_is_flushed(tmp_path: Path) -> None:
    """The output is all there, then the atexit functions ran."""
    done = _child(ATEXIT, "--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("ccr, version ")
    assert done.stderr == "atexit ran\n"


def test_exit_status_kept_with_atexit(tmp_path: Path) -> None:
    """A usage error (2, click's) and CCR's error (1) are the process's exit status."""
    done = _child(ATEXIT, "build", "--no-such-option", cwd=tmp_path)
    assert done.returncode == 2  # click's usage error
    assert "No such option" in done.stderr
    done = _child(ATEXIT, "explain", "nobody", "--root", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1  # CCR's error: nothing to score
    assert "Error: there is nothing to score" in done.stderr
    assert done.stderr.endswith("atexit ran\n")


def test_validate_problems_exit_1(tmp_path: Path) -> None:
    """`ccr validate` on a broken file lists it and exits 1."""
    root = fill_tree(tmp_path / "repo")
    bad = root / "data" / "companies" / "broken.yaml"
    bad.write_text("name: [\n", encoding="utf-8")
    done = _child(ATEXIT, "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1
    assert "broken.yaml" in done.stdout + done.stderr
    assert done.stderr.endswith("atexit ran\n")


# The thread starts after the imports (a slow import on a loaded machine must not let it
# finish first) and outlives `--version` by far.
THREAD = (
    "import threading, time\n"
    "from benchmark.cli import main\n"
    "def late():\n"
    "    time.sleep(1.0)\n"
    "    print('thread done', flush=True)\n"
    "threading.Thread(target=late).start()\n"
    "main()\n"
)


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    """A non-daemon thread still running finishes before the process ends, as normally."""
    done = _child(THREAD, "--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "thread done"


def test_main_with_argv_raises_system_exit() -> None:
    """In-process callers (argv given) get SystemExit, never an ended process."""
    with pytest.raises(SystemExit) as raised:
        cli.main(["--version"])
    assert raised.value.code == 0


FREEZE = (
    "import gc\n"
    "from benchmark import cli\n"
    "cli._freeze_imports()\n"
    "frozen = gc.get_freeze_count()\n"
    "garbage = [[i] for i in range(10_000)]\n"
    "cli._freeze_imports()\n"
    "print(frozen > 0, gc.get_freeze_count() - frozen)\n"
)


def test_imports_frozen_once(tmp_path: Path) -> None:
    """The first build freezes what the imports made; later ones (ccr serve) freeze nothing."""
    done = _child(FREEZE, cwd=tmp_path)
    assert done.stdout.split() == ["True", "0"], done.stderr


def test_build_freezes_the_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ccr build` and `ccr serve` freeze the imports before the stages run."""
    calls: list[str] = []
    monkeypatch.setattr(cli, "_freeze_imports", lambda: calls.append("frozen"))
    root = fill_tree(tmp_path / "repo")
    (root / "data" / "companies" / "broken.yaml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(CCRError):
        cli._build(root, tmp_path / "site")
    assert calls == ["frozen"]
