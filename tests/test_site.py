"""`ccr build`: the demo site from a clean clone, strict MkDocs and no third-party request.

Also a small navigation, atomic output and the exact messages a user sees.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmark.cli import cli
from tests.helpers import (
    FIXTURES,
    HOSTILE_NAME,
    DemoRepo,
    git,
    hostile_yaml,
    tree_digest,
)

SUMMARY = re.compile(
    r"Built (\d+) companies: ([\d,]+) pages, ([\d,]+) charts, ([\d,]+) files in "
    r"\d+\.\d s → (.+)\n"
)


def test_demo_site_builds_and_leaves_git_clean(demo_repo: DemoRepo) -> None:
    """The README's build on a clean clone: every company has a page; `git status` stays clean."""
    m = SUMMARY.fullmatch(demo_repo.stdout)
    assert m, demo_repo.stdout
    companies = len(list((demo_repo.root / "data" / "companies").glob("*.yaml")))
    assert int(m.group(1)) == companies
    assert git(demo_repo.root, "status", "--porcelain", "--untracked-files=all") == ""
    site = demo_repo.site
    pages = list((site / "companies").glob("*/index.html"))
    assert len(pages) == companies
    for name in (
        "index.html",
        "compare/index.html",
        "data/index.html",
        "for-companies/index.html",
        "methodology/index.html",
        "editions/2019-q1-software-houses/index.html",
        "leaderboards/2016-e-commerce/sector/online-shop/index.html",
        "api/v1/scores.csv",
        "api/v1/scores.json",
        "api/v1/scores.schema.json",
        "api/v1/companies/alderbyte-goods.json",
        "badges/alderbyte-goods.svg",
        "assets/vendor/vega.js",
    ):
        assert (site / name).is_file(), name


def test_plain_mkdocs_build_strict_passes(demo_repo: DemoRepo, tmp_path: Path) -> None:
    """After `ccr build`, `mkdocs build --strict` on the generated pages passes on its own."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(tmp_path / "plain"),
        ],
        cwd=demo_repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # company pages are stamped by ccr build; MkDocs builds their one shell page
    assert (tmp_path / "plain" / "companies" / "ccr_shell" / "index.html").is_file()
    assert (tmp_path / "plain" / "companies" / "index.html").is_file()


THIRD_PARTY = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_no_third_party_resource_in_the_site(demo_repo: DemoRepo) -> None:
    """No page loads a script, style, font or image from another origin; no CDN anywhere."""
    config = yaml.safe_load((demo_repo.root / "mkdocs.yml").read_text())
    assert config["theme"]["font"] is False
    for path in demo_repo.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html):
            if re.search(r'rel="(canonical|alternate)"', tag):
                continue  # a reference to the page's own public address, never fetched
            assert not THIRD_PARTY.search(tag), f"{path}: {tag}"
        assert "fonts.googleapis" not in html, path
        assert "fonts.gstatic" not in html, path
    scripts = sorted((demo_repo.site / "javascripts").glob("*.js"))
    assert demo_repo.site / "javascripts" / "leaderboard.js" in scripts
    for path in [*list(demo_repo.site.rglob("*.css")), *scripts]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?https?://", text), path
        assert not re.search(r"(cdn\.jsdelivr|unpkg\.com|googleapis|cdnjs)", text), path


def test_navigation_stays_small(demo_repo: DemoRepo) -> None:
    """A company page links to a handful of companies (itself), not to every company."""
    html = (demo_repo.site / "companies" / "alderbyte-goods" / "index.html").read_text()
    linked = set(re.findall(r'href="[./]*companies/([a-z0-9-]+)/"', html))
    assert linked <= {"alderbyte-goods"}, sorted(linked)[:10]
    nav = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>', html, re.S)
    assert nav
    assert nav.group(0).count("<li") < 30


def test_search_index_holds_names_and_domains(demo_repo: DemoRepo) -> None:
    """The search documents (fetched by the worker) know each company's name and domain."""
    docs = (demo_repo.site / "search" / "search_docs.json").read_text(encoding="utf-8")
    assert "Alderbyte Goods" in docs
    assert "alderbyte-goods.example" in docs
    titles = {d["title"] for d in json.loads(docs)["docs"]}
    assert "Alderbyte Goods" in titles


def test_pages_fetch_no_search_documents(demo_repo: DemoRepo) -> None:
    """Pages fetch an index with the config and no document, and name CCR's search worker."""
    index = json.loads((demo_repo.site / "search" / "search_index.json").read_text("utf-8"))
    assert index["docs"] == []
    assert index["config"]["separator"] == r"[\s\-\.]+"
    html = (demo_repo.site / "companies" / "alderbyte-goods" / "index.html").read_text("utf-8")
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    assert config
    worker = re.fullmatch(
        r"\.\./\.\./javascripts/search-worker\.js"
        r"\?material=(search\.[0-9a-f]+\.min\.js)",
        json.loads(config.group(1))["search"],
    )
    assert worker
    assert (demo_repo.site / "assets" / "javascripts" / "workers" / worker.group(1)).is_file()
    assert (demo_repo.site / "javascripts" / "search-worker.js").is_file()


@pytest.fixture
def built_tree(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the fixture tree with its site built (built once per session)."""
    return Path(shutil.copytree(built_site, tmp_path / "built", symlinks=True))


@pytest.mark.slow
def test_build_summary_line(site_tree: Path) -> None:
    """`ccr build` ends with one summary line: companies, pages, charts, files, seconds."""
    result = CliRunner().invoke(cli, ["build", "--root", str(site_tree)])
    assert result.exit_code == 0, result.output
    m = SUMMARY.fullmatch(result.stdout)
    assert m, result.stdout
    assert m.group(1) == "2"
    assert m.group(5) == str(site_tree / "site")


def test_invalid_data_fails_and_keeps_the_previous_site(built_tree: Path) -> None:
    """Bad data: each problem with file:line:col, exit 1, and the previous site untouched."""
    before = tree_digest(built_tree / "site")
    company = built_tree / "data" / "companies" / "valid.yaml"
    company.write_text(
        company.read_text().replace("'2019-02-11T12:40:00+01:00'", "'2019-02-11T09:40:00+01:00'")
    )
    result = CliRunner().invoke(cli, ["build", "--root", str(built_tree)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/companies/valid.yaml:37:11: audits[0].probes[0].first_response.at: earlier than "
        "sent_at (2019-02-11T10:15:00+01:00) — hint: a reply cannot come before the question; "
        "check the date, hour and offset",
        "Error: the data has 1 error — hint: run `ccr validate` and fix each problem it lists",
    ]
    assert result.stdout == ""
    assert tree_digest(built_tree / "site") == before


def test_failed_mkdocs_build_keeps_the_previous_site(built_tree: Path) -> None:
    """A page MkDocs rejects (a broken link) fails the build; the previous site stays."""
    before = tree_digest(built_tree / "site")
    (built_tree / "docs" / "broken.md").write_text("# Broken\n\n[gone](missing.md)\n")
    result = CliRunner().invoke(cli, ["build", "--root", str(built_tree)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: mkdocs build failed: ")
    assert "missing.md" in result.stderr
    assert "hint: " in result.stderr
    assert tree_digest(built_tree / "site") == before
    assert not (built_tree / "site.new").exists()


def test_interrupted_swap_is_repaired(built_tree: Path) -> None:
    """A site left aside by an interrupted swap (site.old, no site) is put back first."""
    site = built_tree / "site"
    before = tree_digest(site)
    site.rename(built_tree / "site.old")
    (built_tree / "docs" / "broken.md").write_text("[gone](missing.md)\n")
    result = CliRunner().invoke(cli, ["build", "--root", str(built_tree)])
    assert result.exit_code == 1
    assert tree_digest(site) == before


@pytest.mark.slow
def test_hostile_company_text_is_inert_in_html(hostile_site: Path) -> None:
    """Script, links and template syntax from a data file reach the HTML only as text."""
    page = (hostile_site / "companies" / "valid" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", page, re.I)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert h1
    assert html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))) == HOSTILE_NAME
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title
    assert html.unescape(title.group(1)).startswith(HOSTILE_NAME)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all("src=" in s or "application/json" in s or s == "<script>" for s in scripts)


@pytest.fixture
def hostile_site(site_tree: Path) -> Path:
    """The fixture tree with a company whose name and notes hold markup and script."""
    path = site_tree / "data" / "companies" / "valid.yaml"
    path.write_text(hostile_yaml((FIXTURES / "valid.yaml").read_text()))
    result = CliRunner().invoke(cli, ["build", "--root", str(site_tree)])
    assert result.exit_code == 0, result.output
    return site_tree / "site"


@pytest.mark.slow
def test_serve_rebuilds_when_a_data_file_changes(site_tree: Path) -> None:
    """`ccr serve` serves the site and rebuilds it after a company file changes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root", str(site_tree)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert SUMMARY.fullmatch(proc.stdout.readline())
        serving = proc.stdout.readline()
        m = re.fullmatch(r"Serving (http://127\.0\.0\.1:\d+/) — press Ctrl\+C to stop\.\n", serving)
        assert m, serving
        with urllib.request.urlopen(m.group(1) + "companies/valid/") as response:
            assert "Valid Soft" in response.read().decode()
        company = site_tree / "data" / "companies" / "valid.yaml"
        company.write_text(company.read_text().replace("name: Valid Soft", "name: Renamed Soft"))
        assert SUMMARY.fullmatch(proc.stdout.readline())  # blocks until the rebuild is done
        with urllib.request.urlopen(m.group(1) + "companies/valid/") as response:
            assert "Renamed Soft" in response.read().decode()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_company_page_puts_the_statement_by_the_score_and_names_questions(
    demo_repo: DemoRepo,
) -> None:
    """The right of reply comes right after the score card; questions show text, not ids."""
    for slug in ("alderbyte-goods", "marrowfold-hosting"):
        html = (demo_repo.site / "companies" / slug / "index.html").read_text()
        card, statement = html.index('class="ccr-card"'), html.index('id="statement"')
        assert card < statement < html.index('id="subscores"')
        probes = html[html.index('class="ccr-probes"') :]
        probes = probes[: probes.index("</table>")]
        assert not re.search(r"<td><span title=\"[^\"]*\">[a-z0-9]+(-[a-z0-9]+)+</span>", probes), (
            slug
        )
    editions = [
        yaml.safe_load(p.read_text()) for p in (demo_repo.root / "data" / "editions").glob("*.yaml")
    ]
    ids = {s["id"] for doc in editions for s in doc.get("scripts", [])}
    html = (demo_repo.site / "companies" / "marrowfold-hosting" / "index.html").read_text()
    probes = html[html.index('class="ccr-probes"') :]
    assert not any(f">{i}<" in probes for i in ids)
