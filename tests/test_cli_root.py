"""`ccr` finds the repository from a sub-folder, and never says "no problems" about nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmark.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ccr in the current folder."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_validate_from_a_sub_folder_checks_the_whole_repository(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From data/companies/ every file is checked, and paths are relative to the folder."""
    monkeypatch.chdir(tree / "data" / "companies")
    assert run("validate") == (0, "Checked 1 company file and 1 edition: no problems.\n", "")
    (tree / "data" / "companies" / "neighbour.yaml").write_text(
        (tree / "data" / "companies" / "neighbour.yaml")
        .read_text()
        .replace("country: PL", "country: ZZ")
    )
    code, out, _ = run("validate", "neighbour.yaml")
    assert code == 1
    assert out.splitlines()[0].startswith("data/companies/neighbour.yaml:6:1: country: 'ZZ'")


def test_outside_a_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No folder above holds a data tree: exit 2 and say so, never "no problems"."""
    monkeypatch.chdir(tmp_path)
    assert run("validate") == (
        2,
        "",
        (
            f"Error: {tmp_path} is not inside a CCR repository: no folder above it holds "
            "data/editions or data/companies — hint: run ccr inside the repository, or give "
            "--root\n"
        ),
    )


def test_nothing_to_check_exits_non_zero(tree: Path, tmp_path: Path) -> None:
    """An empty --root or a folder without data files: exit 2, nothing claimed."""
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("validate", "--root", str(empty))
    assert (code, out) == (2, "")
    assert err == (
        f"Error: nothing to check: {empty}/data holds no company, edition or "
        "methodology file — hint: give .yaml files or folders below data/, or run "
        "ccr validate inside the repository (or with --root) to check everything\n"
    )
    (tree / "notes").mkdir()
    code, out, err = run("validate", "--root", str(tree), str(tree / "notes"))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: nothing to check: {tree / 'notes'} holds no company")
