"""The benchmark script runs on a tiny N and writes well-formed JSON (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, script

STAGES = [
    "parse floor (CSafeLoader)",
    "load",
    "validate",
    "load + validate",
    "score + statistics",
    "plain mkdocs build (floor)",
    "render: Markdown + chart specs",
    "whole ccr build",
    "full clean ccr build --clean",
    "rebuild after one company file changed",
    "rebuild ÷ full clean build",
    "least rebuild: start + a new tree of links",
    "least rebuild ÷ a clean build of 3 × parse",
]
BUDGETS = [
    "load + validate",
    "score + statistics",
    "Markdown + chart specs",
    "whole ccr build",
    "peak memory of ccr build",
    "company page HTML",
    "leaderboard first HTML",
    "search index",
    "Vega bundle only on pages with a chart",
    "build time growth",
    "full clean build",
    "peak memory of the full clean build",
    "rebuild after one company changed",
    "rebuild share of the full build",
    "full clean build time growth",
    "rebuild time growth",
    "least rebuild share of a clean build at 3 × parse",
]


HOSTILE = [
    "fifty-mb-file",
    "html-in-edition-title",
    "emoji",
    "slug-windows-device",
    "methodology-missing-key",
    "v2-probe-missing-two-rubric-items",
]


@pytest.mark.slow
def test_bench_runs_on_a_tiny_n(tmp_path: Path) -> None:
    """scripts/bench.py on two tiny sizes writes every stage, ratio and budget row as JSON."""
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench.py",
            "--sizes",
            "6",
            "12",
            "--runs",
            "1",
            "--hostile-only",
            *HOSTILE,
            "--skip-pr",
            "--json",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert [size["companies"] for size in report["results"]] == [6, 12]
    size = report["results"][1]
    assert size["probes"] >= 12 * 8
    assert [row["stage"] for row in size["rows"]] == STAGES
    for row in size["rows"]:
        assert row["seconds"] > 0
        assert row["ratio"] > 0
    limits = {row["stage"]: row.get("budget") for row in size["rows"]}
    assert limits["load + validate"] == 2.5
    assert limits["score + statistics"] == 1.0
    assert limits["render: Markdown + chart specs"] == 0.5
    assert limits["whole ccr build"] == 1.6
    assert limits["least rebuild ÷ a clean build of 3 × parse"] == 0.05
    assert size["build_peak_rss_mb"] > 10
    assert size["site"]["company_page_max_kb"] > 1
    assert size["site"]["vega_only_on_chart_pages"] is True
    names = [b["what"] for b in report["budgets"]]
    for name in BUDGETS:
        assert any(n.startswith(name) for n in names), name
    assert all(isinstance(b["ok"], bool) for b in report["budgets"])
    assert "| load + validate |" in result.stdout
    assert "| search index at 12 |" in result.stdout
    hostile = {row["case"]: row for row in report["hostile"]}
    assert sorted(hostile) == sorted(HOSTILE)
    assert {name: row["exit"] for name, row in hostile.items()} == {
        "fifty-mb-file": 1,
        "html-in-edition-title": 0,
        "emoji": 0,
        "slug-windows-device": 1,
        "methodology-missing-key": 1,
        "v2-probe-missing-two-rubric-items": 1,
    }
    assert not any(row["traceback"] for row in hostile.values())
    assert all(row["peak_rss_mb"] > 10 for row in hostile.values())
    assert "hostile-corpus cases (whole process)" in result.stdout


@pytest.mark.slow
def test_bench_times_validate_and_diff_on_large_pull_requests(tmp_path: Path) -> None:
    """--pr-only times ccr validate and ccr diff on the two pull requests, and nothing else."""
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench.py",
            "--pr-only",
            "--pr-companies",
            "8",
            "--pr-problems",
            "300",
            "--json",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["results"] == []
    assert report["hostile"] == []
    rows = report["pull_requests"]
    assert [(r["case"], r["command"]) for r in rows] == [
        ("PR adding 8 company files", "ccr validate"),
        ("PR adding 8 company files", "ccr diff"),
        ("PR adding one 3 KB file with 300 problems", "ccr validate"),
        ("PR adding one 3 KB file with 300 problems", "ccr diff"),
    ]
    assert all(r["seconds"] > 0 and r["peak_rss_mb"] > 10 for r in rows)
    assert "| PR adding 8 company files | ccr diff |" in result.stdout


def test_tree_floor_links_every_file_into_a_new_tree_then_deletes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The least rebuild's tree: every folder made, every file a hard link, nothing left."""
    bench = script("bench")
    site = tmp_path / "site"
    (site / "companies" / "a").mkdir(parents=True)
    (site / "empty").mkdir()
    for rel in ("index.html", "companies/a/index.html", "companies/a/badge.svg"):
        (site / rel).write_text(rel, encoding="utf-8")
    seen: list[tuple[str, int]] = []
    delete = bench.shutil.rmtree

    def look(path: str) -> None:  # what the timed part made, just before it is deleted
        for top, dirs, names in os.walk(path):
            rel = Path(top).relative_to(path)
            seen.extend((f"{rel / d}/", 0) for d in dirs)
            seen.extend((str(rel / n), os.stat(Path(top) / n).st_ino) for n in names)
        delete(path)

    monkeypatch.setattr(bench.shutil, "rmtree", look)
    assert bench.tree_floor(site, 2) > 0
    inode = {rel: os.stat(site / rel).st_ino for rel in ("index.html", "companies/a/index.html")}
    inode["companies/a/badge.svg"] = os.stat(site / "companies/a/badge.svg").st_ino
    once = sorted(set(seen))
    assert once == sorted(
        [("companies/", 0), ("companies/a/", 0), ("empty/", 0)]
        + [(rel, ino) for rel, ino in inode.items()]
    )
    assert len(seen) == 2 * len(once)  # two runs, the same tree each time
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
