"""``common._relpath`` is ``posixpath.relpath`` for every pair of paths a page may link."""

from __future__ import annotations

import itertools
import posixpath

from benchmark.render.common import _relpath, rel

NAMES = ["a", "b", "é.x", "..", ".", ""]


def _paths() -> list[str]:
    paths = {"."}
    for n in range(1, 4):
        for names in itertools.product(NAMES, repeat=n):
            paths.add("/".join(names))
    paths |= {"/", "/a", "/a/b", "a//b", "./a", "a/./b", "a/../b", "../a"}
    return sorted(p for p in paths if p)


def test_relpath_is_posixpath_relpath() -> None:
    """Plain names, dots, empty names and absolute paths, every pair."""
    paths = _paths()
    assert len(paths) > 200
    for start, path in itertools.product(paths, paths):
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)


def test_rel_links() -> None:
    """The site's links: down, across, up and to itself."""
    assert rel("", "companies/acme/") == "companies/acme/"
    assert rel("companies/", "companies/acme/") == "acme/"
    assert rel("companies/acme/", "leaderboards/2026/") == "../../leaderboards/2026/"
    assert rel("companies/acme/", "companies/acme/") == "./"
    assert rel("editions/e/", "api/v1/x.json") == "../../api/v1/x.json"
