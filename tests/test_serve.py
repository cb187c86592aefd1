"""`ccr serve`: the port first, one rebuild per change, the last good site on bad data.

And the live-reload script in the HTML it serves, never in the site on disk.
"""

from __future__ import annotations

import errno
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from watchdog.observers import Observer

import benchmark.serve
from benchmark.cli import cli
from benchmark.serve import ServeError, Status, open_server, serve

RELOAD_TAG = re.compile(
    r'<script id="ccr-serve-reload" src="/__ccr__/reload\.js" '
    r'data-state="([0-9a-f]{8}\.\d+)" defer></script></body>'
)

SUMMARY = re.compile(r"Built \d+ companies: .+ → .+\n")
SERVING = re.compile(r"Serving (http://127\.0\.0\.1:\d+/) — press Ctrl\+C to stop\.\n")
PROBLEM = (
    "data/companies/valid.yaml:37:11: audits[0].probes[0].first_response.at: earlier "
    "than sent_at (2019-02-11T10:15:00+01:00) — hint: a reply cannot come before the "
    "question; check the date, hour and offset"
)


def test_a_busy_port_is_reported_before_any_build(site_tree: Path) -> None:
    """The port is bound first: taken, it is one clear message, and nothing is built."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmark",
                "serve",
                "--port",
                str(port),
                "--root",
                str(site_tree),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "",
        (
            f"Error: port {port} is in use (another server, or another ccr serve?) — hint: stop "
            f"it, or choose another port: ccr serve --port {port + 1}\n"
        ),
    )
    assert not (site_tree / "site").exists()
    assert not (site_tree / ".ccr-build").exists()
    assert time.monotonic() - started < 30


def test_changes_that_cannot_be_watched_are_an_error_with_a_hint(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The kernel's inotify limit reached: a ServeError that says what to do, port let go."""

    def full(_self: Any) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", full)
    (tmp_path / "site").mkdir()
    server = open_server(tmp_path / "site", 0, Status())
    with pytest.raises(ServeError) as raised:
        serve(tmp_path, server, lambda: None, lambda _url: None)
    assert raised.value.message == (
        f"cannot watch {tmp_path} for changes: inotify watch limit reached"
    )
    assert "fs.inotify.max_user_watches" in raised.value.hint
    assert server.socket.fileno() == -1  # the port is free again


@pytest.mark.slow
def test_one_save_is_one_rebuild(tmp_path: Path) -> None:
    """One save, several events (truncate, write, the folder's, a later write): one rebuild.

    A rebuild starts once the events stop; editors' swap files and __pycache__ are no change.
    """
    company = tmp_path / "data" / "companies" / "a.yaml"
    company.parent.mkdir(parents=True)
    company.write_text("slug: a\n")
    (tmp_path / "site").mkdir()
    rebuilds: list[float] = []
    ready, stop = threading.Event(), threading.Event()

    def rebuild() -> None:
        rebuilds.append(time.monotonic())
        time.sleep(0.3)  # a build takes time; the save's late events arrive meanwhile

    server = open_server(tmp_path / "site", 0, Status())
    thread = threading.Thread(
        target=serve, args=(tmp_path, server, rebuild, lambda _url: ready.set(), stop)
    )
    thread.start()
    try:
        assert ready.wait(10)
        time.sleep(0.5)
        company.write_text("slug: a\nname: A\n")
        time.sleep(3)
        assert len(rebuilds) == 1
        (tmp_path / "data" / "companies" / ".a.yaml.swp").write_bytes(b"swap")  # an editor's
        (tmp_path / "data" / "__pycache__").mkdir()
        time.sleep(2)
        assert len(rebuilds) == 1
        company.write_text("slug: a\nname: B\n")
        time.sleep(3)
        assert len(rebuilds) == 2
        with company.open("a") as fh:  # a save in two steps, as some editors write
            fh.write("website: https://a.example\n")
            fh.flush()
            time.sleep(0.2)
            fh.write("country: PL\n")
        time.sleep(3)
        assert len(rebuilds) == 3
    finally:
        stop.set()
        thread.join(10)


@pytest.mark.slow
def test_a_change_during_a_rebuild_makes_exactly_one_more(tmp_path: Path) -> None:
    """Saves while a rebuild runs are not lost, nor each one rebuilt: exactly one more."""
    company = tmp_path / "data" / "companies" / "a.yaml"
    company.parent.mkdir(parents=True)
    company.write_text("slug: a\n")
    (tmp_path / "site").mkdir()
    started: list[float] = []
    ended: list[float] = []
    ready, stop = threading.Event(), threading.Event()

    def rebuild() -> None:
        started.append(time.monotonic())
        time.sleep(2.5)
        ended.append(time.monotonic())

    server = open_server(tmp_path / "site", 0, Status())
    thread = threading.Thread(
        target=serve, args=(tmp_path, server, rebuild, lambda _url: ready.set(), stop)
    )
    thread.start()
    try:
        assert ready.wait(10)
        time.sleep(0.5)
        company.write_text("slug: a\nname: A\n")
        deadline = time.monotonic() + 10
        while not started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(started) == 1
        for name in ("B", "C", "D"):  # three saves, a second apart, all during the rebuild
            time.sleep(0.6)
            company.write_text(f"slug: a\nname: {name}\n")
        time.sleep(6)
        assert len(started) == 2
        assert started[1] >= ended[0]  # one after the other, never two at once
    finally:
        stop.set()
        thread.join(10)


def _fake_site(site: Path) -> None:
    (site / "companies" / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        "<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"
    )
    (site / "companies" / "a" / "index.html").write_text(
        "<!doctype html><html><body class=x><h1>A &amp; B</h1></body></html>"
    )
    (site / "404.html").write_text("<html><body>Not here</body></html>")
    (site / "ccr.css").write_text("body { color: black } /* </body> */")
    (site / "ccr.js").write_text("document.write('</body>');")
    (site / "search.json").write_text('{"docs": ["</body>"]}')


def test_the_reload_script_is_only_in_html_served_by_serve(tmp_path: Path) -> None:
    """HTML pages get the script tag (and, while a build failed, the notice); nothing else."""
    site = tmp_path / "site"
    _fake_site(site)
    on_disk = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    status = Status()
    status.succeeded()
    server = open_server(site, 0, status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for path in ("", "companies/a/", "404.html", "companies/a/index.html?x=1#y"):
            code, page = _get(base + path)
            assert code == 200
            tag = RELOAD_TAG.search(page)
            assert tag, path
            assert tag.group(1) == status.state
            assert page.count("ccr-serve-reload") == 1
            assert page.endswith("</body></html>")
            assert "ccr-serve-notice" not in page
        for path in ("ccr.css", "ccr.js", "search.json"):
            code, text = _get(base + path)
            assert code == 200
            assert text == (site / path).read_text(), path
        for path, cache in (
            ("", "no-store"),
            ("ccr.css", "no-cache"),
            ("__ccr__/reload.js", "no-store"),
        ):
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.headers["Cache-Control"] == cache, path
        code, script = _get(base + "__ccr__/reload.js")
        assert code == 200
        assert "/__ccr__/events?since=" in script
        assert _get(base + "nothing/")[0] == 404
        with urllib.request.urlopen(base + "companies/a", timeout=30) as response:  # redirected
            assert response.url == base + "companies/a/"
        status.failed(["data/companies/a.yaml:1:1: <b>bad</b> name"])
        code, page = _get(base + "companies/a/")
        assert code == 200
        assert page.startswith('<!doctype html><html><body class=x><div id="ccr-serve-notice"')
        assert "&lt;b&gt;bad&lt;/b&gt; name" in page
        assert RELOAD_TAG.search(page)
        assert _get(base + "ccr.css")[1] == (site / "ccr.css").read_text()
    finally:
        server.status.close()
        server.shutdown()
        server.server_close()
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == on_disk


@pytest.mark.slow
def test_the_events_endpoint_answers_when_a_build_finishes(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A page's request waits for the next finished build, then says which and how it went."""
    monkeypatch.setattr(benchmark.serve, "POLL", 1.5)
    (tmp_path / "site").mkdir()
    status = Status()
    server = open_server(tmp_path / "site", 0, status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    events = f"http://127.0.0.1:{server.server_address[1]}/__ccr__/events?since="
    try:
        first = status.state
        started = time.monotonic()
        assert json.loads(_get(events + first)[1]) == {"state": first, "ok": True}
        assert time.monotonic() - started >= 1.4  # nothing finished: it waited, then answered
        assert json.loads(_get(events + "elsewhere.3")[1]) == {"state": first, "ok": True}
        for finish, ok in ((lambda: status.failed(["bad"]), False), (status.succeeded, True)):
            before = status.state
            threading.Timer(0.5, finish).start()
            started = time.monotonic()
            answer = json.loads(_get(events + before)[1])
            assert 0.4 <= time.monotonic() - started < 1.4
            assert answer == {"state": status.state, "ok": ok}
            assert answer["state"] != before
        waiting = threading.Thread(target=_get, args=(events + status.state,))
        waiting.start()
        time.sleep(0.2)
        status.close()  # the server stopping: waiting requests answer at once
        waiting.join(0.5)
        assert not waiting.is_alive()
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def _break(root: Path) -> Path:
    company = root / "data" / "companies" / "valid.yaml"
    company.write_text(
        company.read_text().replace("'2019-02-11T12:40:00+01:00'", "'2019-02-11T09:40:00+01:00'")
    )
    return company


@pytest.mark.slow
def test_invalid_data_at_start_serves_the_last_good_site(site_tree: Path) -> None:
    """Bad data at start-up: the problems in the terminal and on every page of the old site."""
    result = CliRunner().invoke(cli, ["build", "--root", str(site_tree)])
    assert result.exit_code == 0, result.output
    company = _break(site_tree)
    with subprocess.Popen(
        [sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root", str(site_tree)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stderr.readline() == PROBLEM + "\n"
            assert proc.stderr.readline() == (
                "Error: the data has 1 error — hint: run `ccr validate` and fix each problem "
                "it lists (still serving the previous site)\n"
            )
            serving = SERVING.fullmatch(proc.stdout.readline())
            assert serving
            code, page = _get(serving.group(1) + "companies/valid/")
            assert code == 200
            assert "Valid Soft" in page
            assert 'id="ccr-serve-notice"' in page
            assert "earlier than sent_at (2019-02-11T10:15:00+01:00)" in page
            code, css = _get(serving.group(1) + "stylesheets/ccr.css")
            assert code == 200
            assert "ccr-serve-notice" not in css
            company.write_text(
                company.read_text().replace(
                    "'2019-02-11T09:40:00+01:00'", "'2019-02-11T12:40:00+01:00'"
                )
            )
            assert SUMMARY.fullmatch(proc.stdout.readline())
            code, page = _get(serving.group(1) + "companies/valid/")
            assert (code, "ccr-serve-notice" in page) == (200, False)
            assert RELOAD_TAG.search(page)
            site = site_tree / "site"
            assert not [
                p for p in site.rglob("*") if p.is_file() and b"__ccr__" in p.read_bytes()
            ]  # the site on disk (and so the published one): none
        finally:
            proc.terminate()
            proc.communicate(timeout=30)


def test_invalid_data_without_a_site_serves_the_problems(site_tree: Path) -> None:
    """No previous site: every page is a notice listing the problems (503), not an exit."""
    _break(site_tree)
    with subprocess.Popen(
        [sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root", str(site_tree)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stderr.readline() == PROBLEM + "\n"
            assert proc.stderr.readline().endswith(
                "(serving a page that lists the problems; there is no previous site)\n"
            )
            serving = SERVING.fullmatch(proc.stdout.readline())
            assert serving
            code, page = _get(serving.group(1))
            assert code == 503
            assert 'id="ccr-serve-notice"' in page
            assert "earlier than sent_at" in page
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
