"""`ccr serve`: the port first, one rebuild per change, and the last good site on bad data."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.serve import Status, open_server, serve

SUMMARY = re.compile(r"Built \d+ companies: .+ → .+\n")
SERVING = re.compile(r"Serving (http://127\.0\.0\.1:\d+/) — press Ctrl\+C to stop\.\n")
PROBLEM = ("data/companies/valid.yaml:37:11: audits[0].probes[0].first_response.at: earlier "
           "than sent_at (2019-02-11T10:15:00+01:00) — hint: a reply cannot come before the "
           "question; check the date, hour and offset")


def test_a_busy_port_is_reported_before_any_build(site_tree: Path) -> None:
    """The port is bound first: taken, it is one clear message, and nothing is built."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "benchmark", "serve", "--port", str(port),
                               "--root", str(site_tree)], capture_output=True, text=True,
                              timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", (
        f"Error: port {port} is in use (another server, or another ccr serve?) — hint: stop "
        f"it, or choose another port: ccr serve --port {port + 1}\n"))
    assert not (site_tree / "site").exists()
    assert not (site_tree / ".ccr-build").exists()
    assert time.monotonic() - started < 30


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
    thread = threading.Thread(target=serve, args=(tmp_path, server, rebuild,
                                                  lambda _url: ready.set(), stop))
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


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def _break(root: Path) -> Path:
    company = root / "data" / "companies" / "valid.yaml"
    company.write_text(company.read_text().replace("'2019-02-11T12:40:00+01:00'",
                                                   "'2019-02-11T09:40:00+01:00'"))
    return company


def test_invalid_data_at_start_serves_the_last_good_site(site_tree: Path) -> None:
    """Bad data at start-up: the problems in the terminal and on every page of the old site."""
    result = CliRunner().invoke(cli, ["build", "--root", str(site_tree)])
    assert result.exit_code == 0, result.output
    company = _break(site_tree)
    with subprocess.Popen([sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root",
                           str(site_tree)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stderr.readline() == PROBLEM + "\n"
            assert proc.stderr.readline() == (
                "Error: the data has 1 error — hint: run `ccr validate` and fix each problem "
                "it lists (still serving the previous site)\n")
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
            company.write_text(company.read_text().replace("'2019-02-11T09:40:00+01:00'",
                                                           "'2019-02-11T12:40:00+01:00'"))
            assert SUMMARY.fullmatch(proc.stdout.readline())
            code, page = _get(serving.group(1) + "companies/valid/")
            assert (code, "ccr-serve-notice" in page) == (200, False)
        finally:
            proc.terminate()
            proc.communicate(timeout=30)


def test_invalid_data_without_a_site_serves_the_problems(site_tree: Path) -> None:
    """No previous site: every page is a notice listing the problems (503), not an exit."""
    _break(site_tree)
    with subprocess.Popen([sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root",
                           str(site_tree)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stderr.readline() == PROBLEM + "\n"
            assert proc.stderr.readline().endswith(
                "(serving a page that lists the problems; there is no previous site)\n")
            serving = SERVING.fullmatch(proc.stdout.readline())
            assert serving
            code, page = _get(serving.group(1))
            assert code == 503
            assert 'id="ccr-serve-notice"' in page
            assert "earlier than sent_at" in page
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
