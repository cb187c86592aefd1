#!/usr/bin/env python3
"""Benchmark CCR's stages against floors measured in the same run, on synthetic data.

Run: `.venv/bin/python scripts/bench.py` (N = 546, 2000, 10000; add --lighthouse to score the
largest site with Lighthouse), or e.g. `.venv/bin/python scripts/bench.py --sizes 200 --runs 1`.

For each N the demo generator writes N synthetic companies (about 10 probes each) to a
temporary project. The data stages (load, validate, score, render) are timed in this process
(median of --runs runs; a stage of 5 s or more is timed once) next to the parse floor: the
same bytes parsed by libyaml's CSafeLoader (files are read into memory first, so disk speed
is not measured). Then the whole
`ccr build` runs as a child process (wall time, peak memory), and so does the second floor: a
plain `mkdocs build` of the Markdown that build generated, same configuration, CCR's stages
skipped. Then the full clean build (`ccr build --clean`: wall time, peak memory) and the
incremental rebuild after one company file changed, each against the parse floor. The
readers' budgets are read off the built site. Prints tables; writes JSON.

Then `ccr validate` and `ccr diff` run as child processes (wall time, peak memory) on two
large pull requests: one adding 5,000 company files, one adding a file with 200,000 problems
(--pr-companies, --pr-problems). `--pr-only` runs just that part, `--skip-pr` skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import load  # noqa: E402 - after the path is set
from benchmark.build import read_settings  # noqa: E402
from benchmark.render import render  # noqa: E402
from benchmark.score import score  # noqa: E402
from benchmark.validate import validate  # noqa: E402

MB = 1024 * 1024
SITE_FILES = ("mkdocs.yml", "docs", "overrides")

NOW = datetime(2026, 11, 23, tzinfo=UTC)


LONG = 5.0  # seconds: a stage this long is timed once (its noise is small against its length)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of up to ``runs`` calls (one if the first is LONG), and the result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if times[0] >= LONG:
            break
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Runs a command and prints its exit status, wall time and peak RSS (KB) as JSON. Linux
# records, at exec, the peak RSS of the process image being replaced: a child forked from
# this (large) benchmark process would report at least our own peak. Forked from this small
# launcher instead, the command reports only its own.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "seconds":
                  time.perf_counter() - start, "maxrss_kb": usage.ru_maxrss}))
"""


def child(
    cmd: list[str | Path], cwd: Path, runs: int, ok: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Median wall time of ``runs`` runs of a command, and its largest peak RSS in MB.

    Its stderr goes to a temporary file, not a pipe: a pipe nobody reads while we wait
    would stall a child that writes more than the pipe holds. An exit code not in ``ok``
    stops the benchmark.
    """
    times, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryFile() as err:
            done = subprocess.run(
                [sys.executable, "-c", LAUNCHER, *map(str, cmd)],
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=err,
                check=False,
            )
            report = json.loads(done.stdout or b'{"code": "no report from the launcher"}')
            code = report["code"]
            if code not in ok:
                err.seek(0)
                how = (
                    f"killed by signal {-code}"
                    if isinstance(code, int) and code < 0
                    else (f"exit code {code}")
                )
                raise SystemExit(
                    f"{' '.join(map(str, cmd))} failed ({how}):\n"
                    + err.read().decode(errors="replace")[-4000:]
                )
            times.append(float(report["seconds"]))
            peaks.append(int(report["maxrss_kb"]) / 1024)
    return statistics.median(times), max(peaks)


def project(n: int, workdir: Path) -> Path:
    """A project folder with N synthetic companies and the site configuration."""
    root = workdir / f"n{n}"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/generate_demo.py"),
            "--count",
            str(n),
            "--out",
            str(root / "data"),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copytree(ROOT / "data/methodology", root / "data/methodology")
    for name in SITE_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
        else:
            shutil.copyfile(ROOT / name, root / name)
    return root


def site_sizes(site: Path) -> dict[str, Any]:
    """What readers download: page sizes, the search index, where the Vega bundle loads."""

    def sizes(paths: list[Path]) -> list[int]:
        return sorted(p.stat().st_size for p in paths)

    companies = sizes([p for p in site.glob("companies/*/index.html")])
    boards = sizes(list(site.glob("leaderboards/**/index.html")))
    vega_pages = chart_pages = mismatched = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        charts, vega = 'class="ccr-chart"' in html, "vendor/vega.js" in html
        chart_pages += charts
        vega_pages += vega
        mismatched += charts != vega
    return {
        "company_page_max_kb": companies[-1] / 1024 if companies else 0.0,
        "company_page_median_kb": statistics.median(companies) / 1024 if companies else 0.0,
        "leaderboard_max_kb": boards[-1] / 1024 if boards else 0.0,
        # What search downloads: the config every page fetches plus the documents the worker does
        "search_index_mb": sum(
            (site / "search" / name).stat().st_size
            for name in ("search_index.json", "search_docs.json")
        )
        / MB,
        "report_page_max_kb": max(sizes(list(site.glob("editions/*/index.html"))), default=0)
        / 1024,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / MB,
        "files": sum(1 for p in site.rglob("*") if p.is_file()),
        "chart_pages": chart_pages,
        "vega_pages": vega_pages,
        "vega_only_on_chart_pages": mismatched == 0,
    }


def bench_size(n: int, runs: int, build_runs: int, workdir: Path) -> dict[str, Any]:
    """Generate N companies and time every stage against its floor."""
    root = project(n, workdir)
    out = root / "data"
    company_paths = load.yaml_files(out / "companies")
    sources = load.read_files(company_paths, root)
    other = load.read_files(load.yaml_files(out / "editions"), root)
    meth = load.read_files(load.yaml_files(out / "methodology"), root)
    total_bytes = sum(len(s.raw) for s in sources)

    def parse_floor() -> None:
        for s in sources:
            yaml.load(s.raw, Loader=yaml.CSafeLoader)

    def load_stage() -> load.Dataset:
        return load.Dataset(load.parse_all(sources), load.parse_all(other), load.parse_all(meth))

    floor, _ = median_time(parse_floor, runs)
    t_load, dataset = median_time(load_stage, runs)
    t_validate, problems = median_time(lambda: validate(dataset, NOW), runs)
    if problems:
        raise SystemExit(f"synthetic data has problems: {problems[0].format()}")
    t_score, scores = median_time(lambda: score(dataset), runs)
    settings = read_settings(root)
    t_render, generated = median_time(
        lambda: sum(len(o.content) for o in render(dataset, scores, settings)), runs
    )
    probes = sum(
        len(a.get("probes", [])) for d in dataset.companies for a in d.data.get("audits", [])
    )
    t_build, build_rss = child(
        [sys.executable, "-m", "benchmark", "build", "--root", root], root, build_runs
    )
    sizes = site_sizes(root / "site")
    t_mkdocs, mkdocs_rss = child(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            root / "mkdocs.yml",
            "-d",
            root / "plain-site",
        ],
        root,
        build_runs,
    )
    shutil.rmtree(root / "plain-site")
    t_clean, clean_rss = child(
        [sys.executable, "-m", "benchmark", "build", "--clean", "--root", root], root, build_runs
    )
    t_rebuild = rebuild_one(root, company_paths[len(company_paths) // 2], build_runs)
    t_start, _ = child([sys.executable, "-c", START], root, build_runs)
    t_tree = tree_floor(root / "site", build_runs)
    rows = [
        {"stage": "parse floor (CSafeLoader)", "seconds": floor, "floor": "parse", "ratio": 1.0},
        {"stage": "load", "seconds": t_load, "floor": "parse", "ratio": t_load / floor},
        {"stage": "validate", "seconds": t_validate, "floor": "parse", "ratio": t_validate / floor},
        {
            "stage": "load + validate",
            "seconds": t_load + t_validate,
            "floor": "parse",
            "ratio": (t_load + t_validate) / floor,
            "budget": 2.5,
        },
        {
            "stage": "score + statistics",
            "seconds": t_score,
            "floor": "parse",
            "ratio": t_score / floor,
            "budget": 1.0,
        },
        {
            "stage": "plain mkdocs build (floor)",
            "seconds": t_mkdocs,
            "floor": "mkdocs",
            "ratio": 1.0,
        },
        {
            "stage": "render: Markdown + chart specs",
            "seconds": t_render,
            "floor": "mkdocs",
            "ratio": t_render / t_mkdocs,
            "budget": 0.5,
        },
        {
            "stage": "whole ccr build",
            "seconds": t_build,
            "floor": "mkdocs + parse",
            "ratio": t_build / (t_mkdocs + floor),
            "budget": 1.6,
        },
        {
            "stage": "full clean ccr build --clean",
            "seconds": t_clean,
            "floor": "parse",
            "ratio": t_clean / floor,
            "budget": 3.0,
        },
        {
            "stage": "rebuild after one company file changed",
            "seconds": t_rebuild,
            "floor": "parse",
            "ratio": t_rebuild / floor,
            "budget": 1.0,
        },
        {
            "stage": "rebuild ÷ full clean build",
            "seconds": t_rebuild,
            "floor": "clean build",
            "ratio": t_rebuild / t_clean,
            "budget": 0.05,
        },
        {
            "stage": "least rebuild: start + a new tree of links",
            "seconds": t_start + t_tree,
            "floor": "parse",
            "ratio": (t_start + t_tree) / floor,
        },
        {
            "stage": "least rebuild ÷ a clean build of 3 × parse",
            "seconds": t_start + t_tree,
            "floor": "3 × parse",
            "ratio": (t_start + t_tree) / (3 * floor),
            "budget": 0.05,
        },
    ]
    shutil.rmtree(root / ".ccr-build")
    return {
        "companies": n,
        "probes": probes,
        "input_bytes": total_bytes,
        "runs": runs,
        "build_runs": build_runs,
        "generated_bytes": generated,
        "rows": rows,
        "build_peak_rss_mb": build_rss,
        "mkdocs_peak_rss_mb": mkdocs_rss,
        "clean_build_peak_rss_mb": clean_rss,
        "bench_peak_rss_mb": peak_rss_mb(),
        "site": sizes,
        "root": str(root),
    }


# What any rebuild pays before it reads a file: Python started with CCR's modules imported.
START = "import benchmark.cli, benchmark.pipeline, benchmark.build, benchmark.render"


def tree_floor(site: Path, runs: int) -> float:
    """Median time to make a new tree with the folders of ``site`` and a hard link per file.

    The least a rebuild does that leaves the last site whole until the new one is swapped in
    (issue 16: a killed build leaves the previous site intact): one mkdir per folder and one
    link per file, nothing read, rendered or checked. Made beside ``site`` (same file
    system), then deleted (not timed).
    """
    folders: list[str] = []
    files: list[str] = []
    for top, _, names in os.walk(site):
        rel = os.path.relpath(top, site)
        folders.append(rel)
        files.extend(os.path.join(rel, name) for name in names)
    times = []
    for _ in range(runs):
        target = tempfile.mkdtemp(dir=site.parent, prefix=".tree-floor.")
        start = time.perf_counter()
        for rel in folders[1:]:  # the first is site itself: the new tree's top exists
            os.mkdir(os.path.join(target, rel))
        for rel in files:
            os.link(os.path.join(site, rel), os.path.join(target, rel))
        times.append(time.perf_counter() - start)
        shutil.rmtree(target)
    return statistics.median(times)


def rebuild_one(root: Path, company: Path, runs: int) -> float:
    """Median wall time of `ccr build` after one company file changed (a new name each run).

    The site was built just before, so the build is incremental: what a pull request that
    corrects one company costs.
    """
    times = []
    original = company.read_text(encoding="utf-8")
    for run in range(runs):
        company.write_text(
            original.replace("\nname: ", f"\nname: Renamed {run} ", 1), encoding="utf-8"
        )
        seconds, _ = child([sys.executable, "-m", "benchmark", "build", "--root", root], root, 1)
        times.append(seconds)
    company.write_text(original, encoding="utf-8")
    return statistics.median(times)


def budgets(
    results: list[dict[str, Any]], lighthouse: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Every budget of both tables at the largest N (growth: the two largest), and if met."""
    big = max(results, key=lambda r: r["companies"])
    ratio = {row["stage"]: row["ratio"] for row in big["rows"]}
    site = big["site"]
    n = f"at {big['companies']:,}"
    out = [
        {
            "what": f"load + validate {n}",
            "measured": ratio["load + validate"],
            "unit": "× parse",
            "budget": 2.5,
        },
        {
            "what": f"score + statistics {n}",
            "measured": ratio["score + statistics"],
            "unit": "× parse",
            "budget": 1.0,
        },
        {
            "what": f"Markdown + chart specs {n}",
            "measured": ratio["render: Markdown + chart specs"],
            "unit": "× plain mkdocs",
            "budget": 0.5,
        },
        {
            "what": f"whole ccr build {n}",
            "measured": ratio["whole ccr build"],
            "unit": "× (plain mkdocs + parse)",
            "budget": 1.6,
        },
        {
            "what": f"peak memory of ccr build {n}",
            "measured": big["build_peak_rss_mb"],
            "unit": "MB",
            "budget": 1536,
        },
        {
            "what": f"full clean build {n}",
            "measured": ratio["full clean ccr build --clean"],
            "unit": "× parse",
            "budget": 3.0,
        },
        {
            "what": f"peak memory of the full clean build {n}",
            "measured": big["clean_build_peak_rss_mb"],
            "unit": "MB",
            "budget": 1024,
        },
        {
            "what": f"rebuild after one company changed {n}",
            "measured": ratio["rebuild after one company file changed"],
            "unit": "× parse",
            "budget": 1.0,
        },
        {
            "what": f"rebuild share of the full build {n}",
            "measured": ratio["rebuild ÷ full clean build"],
            "unit": "×",
            "budget": 0.05,
        },
        {  # not a budget of its own: whether the two above can both hold at all
            "what": f"least rebuild share of a clean build at 3 × parse {n}",
            "measured": ratio["least rebuild ÷ a clean build of 3 × parse"],
            "unit": "×",
            "budget": 0.05,
        },
        {
            "what": f"company page HTML (largest) {n}",
            "measured": site["company_page_max_kb"],
            "unit": "KB",
            "budget": 40,
        },
        {
            "what": f"leaderboard first HTML (largest) {n}",
            "measured": site["leaderboard_max_kb"],
            "unit": "KB",
            "budget": 300,
        },
        {
            "what": f"search index {n}",
            "measured": site["search_index_mb"],
            "unit": "MB",
            "budget": 6,
        },
        {
            "what": "Vega bundle only on pages with a chart",
            "measured": float(site["vega_only_on_chart_pages"]),
            "unit": "yes = 1",
            "budget": 1,
            "at_least": True,
        },
    ]
    sized = sorted(results, key=lambda r: r["companies"])
    if len(sized) >= 2:
        small, large = sized[-2], sized[-1]
        build = {
            r["companies"]: next(
                row["seconds"] for row in r["rows"] if row["stage"] == "whole ccr build"
            )
            for r in sized
        }
        # 2,000 → 10,000 may take 5.5 × as long: linear growth with 10 % to spare.
        allowed = 1.1 * large["companies"] / small["companies"]
        out.append(
            {
                "what": f"build time growth {small['companies']:,} → {large['companies']:,}",
                "measured": build[large["companies"]] / build[small["companies"]],
                "unit": "×",
                "budget": round(allowed, 2),
            }
        )
        for stage, name in (
            ("full clean ccr build --clean", "full clean build"),
            ("rebuild after one company file changed", "rebuild"),
        ):
            times = {
                r["companies"]: next(row["seconds"] for row in r["rows"] if row["stage"] == stage)
                for r in sized
            }
            out.append(
                {
                    "what": f"{name} time growth {small['companies']:,} → {large['companies']:,}",
                    "measured": times[large["companies"]] / times[small["companies"]],
                    "unit": "×",
                    "budget": round(allowed, 2),
                }
            )
    for row in lighthouse or []:
        for key, minimum in (("performance", 95), ("accessibility", 100)):  # issue 17
            out.append(
                {
                    "what": f"Lighthouse {key}, {row['page']} {n}",
                    "measured": row[key],
                    "unit": "score",
                    "budget": minimum,
                    "at_least": True,
                }
            )
    for b in out:
        b["ok"] = (
            (b["measured"] >= b["budget"]) if b.get("at_least") else (b["measured"] <= b["budget"])
        )
    return out


def bench_hostile(workdir: Path, only: list[str] | None = None) -> list[dict[str, Any]]:
    """`ccr validate` as a whole process on every corpus case: wall time, peak memory, exit.

    The corpus is tests/hostile.py; each case's file replaces the one it is made from in the
    fixture tree, under the same 1.5 GB address-space limit the tests use.
    """
    from tests.hostile import CASES, place

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * MB, 1536 * MB))

    rows = []
    for case in CASES:
        if only is not None and case.name not in only:
            continue
        tree = workdir / "hostile"  # a fresh tree per case: a case may change several files
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(ROOT / "tests/fixtures/tree", tree)
        shutil.copytree(ROOT / "data/methodology", tree / "data/methodology")
        target = place(tree, case)
        with tempfile.TemporaryFile() as err:  # through the launcher: its own peak memory
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    LAUNCHER,
                    sys.executable,
                    "-m",
                    "benchmark",
                    "validate",
                    str(target),
                ],
                cwd=tree,
                stdout=subprocess.PIPE,
                stderr=err,
                check=False,
                preexec_fn=limit,
            )
            err.seek(0)
            traceback = b"Traceback" in err.read()
        report = json.loads(done.stdout)
        rows.append(
            {
                "case": case.name,
                "expected": case.kind or "shown as text",
                "seconds": report["seconds"],
                "peak_rss_mb": report["maxrss_kb"] / 1024,
                "exit": report["code"],
                "traceback": traceback,
            }
        )
    return rows


def _git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; its output."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@ccr.example",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@ccr.example",
    }
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def _commit(root: Path, message: str) -> str:
    """Commit everything in ``root``; the commit id."""
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message)
    return _git(root, "rev-parse", "HEAD").strip()


def _measure(case: str, root: Path, base: str, head: str, runs: int) -> list[dict[str, Any]]:
    """`ccr validate` of HEAD's work tree and `ccr diff BASE HEAD`, as whole processes."""
    rows = []
    for command, args in (("ccr validate", ["validate"]), ("ccr diff", ["diff", base, head])):
        seconds, rss = child(
            [sys.executable, "-m", "benchmark", *args, "--root", root], root, runs, ok=(0, 1)
        )
        rows.append({"case": case, "command": command, "seconds": seconds, "peak_rss_mb": rss})
    return rows


def bench_pr(workdir: Path, companies: int, problems: int, runs: int) -> list[dict[str, Any]]:
    """What a large pull request costs `ccr validate` and `ccr diff` (time, peak memory).

    Two repositories: one whose PR adds ``companies`` synthetic company files (about ten
    probes each) to 546 already there, so both sides are scored and every rank moves; and
    one whose PR adds a single file with ``problems`` problems (its probes are numbers).
    """
    rows = []
    root = workdir / "pr-companies"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/generate_demo.py"),
            "--count",
            str(546 + companies),
            "--out",
            str(root / "data"),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copytree(ROOT / "data/methodology", root / "data/methodology")
    files = load.yaml_files(root / "data/companies")
    added = workdir / "added"
    added.mkdir()
    for path in files[546:]:
        path.rename(added / path.name)
    _git(root, "init", "-q", "-b", "main")
    base = _commit(root, "base: 546 companies")
    for path in added.iterdir():
        path.rename(root / "data/companies" / path.name)
    head = _commit(root, f"add {companies} companies")
    rows += _measure(f"PR adding {companies:,} company files", root, base, head, runs)

    root = workdir / "pr-problems"
    shutil.copytree(ROOT / "tests/fixtures/tree", root)
    shutil.copytree(ROOT / "data/methodology", root / "data/methodology")
    _git(root, "init", "-q", "-b", "main")
    base = _commit(root, "base")
    valid = (ROOT / "tests/fixtures/valid.yaml").read_text(encoding="utf-8")
    many = valid.replace(
        "    probes:\n", "    probes: [" + ", ".join(["1"] * (problems - 1)) + "]\n    probez:\n", 1
    )  # n - 1 probes that are numbers, one typo
    (root / "data/companies/valid.yaml").write_text(many, encoding="utf-8")
    head = _commit(root, f"a file with {problems} problems")
    size = len(many.encode()) / 1024
    rows += _measure(
        f"PR adding one {size:,.0f} KB file with {problems:,} problems", root, base, head, runs
    )
    return rows


def print_pr(rows: list[dict[str, Any]]) -> None:
    """Print the pull-request measurements as a Markdown table."""
    print("\n| pull request | command | seconds | peak memory MB |")
    print("|---|---|---:|---:|")
    for row in rows:
        print(
            f"| {row['case']} | {row['command']} | {row['seconds']:.2f} | "
            f"{row['peak_rss_mb']:.0f} |"
        )


def print_table(result: dict[str, Any]) -> None:
    """Print one size's rows as a Markdown table."""
    print(
        f"\nN = {result['companies']:,} companies, {result['probes']:,} probes, "
        f"{result['input_bytes'] / 1e6:.1f} MB of YAML; data stages: median of "
        f"{result['runs']} runs; builds: median of {result['build_runs']}; peak RSS of "
        f"ccr build {result['build_peak_rss_mb']:.0f} MB"
    )
    print("| stage | seconds | floor | × floor | budget |")
    print("|---|---:|---|---:|---:|")
    for row in result["rows"]:
        budget = f"≤ {row['budget']} ×" if "budget" in row else ""
        print(
            f"| {row['stage']} | {row['seconds']:.2f} | {row['floor']} | {row['ratio']:.2f} |"
            f" {budget} |"
        )


def print_budgets(rows: list[dict[str, Any]]) -> None:
    """Print every budget with its measurement."""
    print("\n| budget | measured | limit | met |")
    print("|---|---:|---:|:---:|")
    for b in rows:
        sign = "≥" if b.get("at_least") else "≤"
        print(
            f"| {b['what']} | {b['measured']:,.2f} {b['unit']} | {sign} {b['budget']:,} | "
            f"{'yes' if b['ok'] else '**no**'} |"
        )


SERVING = re.compile(r"Serving (http://127\.0\.0\.1:\d+/) ")
BUILT = re.compile(r"Built [\d,]+ companies: .* in ([\d.]+) s → ")
SERVE_BUDGET = 3.0  # seconds from a saved company file to the browser showing the change
# When the reloaded page was first painted (else parsed), as epoch seconds.
SHOWN_AT = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return (performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd)) / 1000;
}"""
HEADING = "() => { const h = document.querySelector('h1'); return h ? h.textContent : ''; }"


def _serve_project(source: Path, root: Path) -> Path:
    """A copy of ``source``'s data and site files at ``root``, for `ccr serve` to watch."""
    root.mkdir(parents=True)
    for name in ("data", *SITE_FILES):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
        else:
            shutil.copyfile(source / name, root / name)
    return root


def _shown_at(page: Page, new: str) -> float:
    """Wait (10 minutes at most) until the open page's heading says ``new``; when it painted."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + 600
    while True:
        try:
            if new in page.evaluate(HEADING):
                return float(page.evaluate(SHOWN_AT))
        except PlaywrightError:
            pass  # the page is being reloaded just now
        if time.monotonic() > deadline:
            raise SystemExit(f"the page never showed {new!r}")
        time.sleep(0.1)


def bench_serve(
    workdir: Path, runs: int = 3, source: Path = ROOT, company: str = "alderbyte-goods"
) -> dict[str, Any]:
    """`ccr serve` on a copy of ``source``'s project: a saved change until Chromium shows it.

    A company page is open in Debian's Chromium (/usr/bin/chromium, headless); each run
    renames the company in its YAML file and waits for the page to show the new name by
    itself (the live-reload script). Times, median of ``runs``: save → first paint of the
    reloaded page (``total``), split into save → the rebuild's summary line (``to_built``: the
    settle time, the file events and the build), the build's own time as it reports it
    (``rebuild``), and summary line → first paint (``reload``: the script hears of the build,
    the page reloads and paints).
    """
    from playwright.sync_api import sync_playwright

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        raise SystemExit(
            f"--serve-only needs Debian's Chromium at {chromium}: "
            "sudo apt-get install -y chromium (never `playwright install`)"
        )
    root = _serve_project(source, workdir / "serve")
    path = root / "data" / "companies" / f"{company}.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^name: ([A-Za-z0-9][A-Za-z0-9 .&-]*)$", text, re.MULTILINE)
    if not found:
        raise SystemExit(f"{path}: no plain `name:` line to change")
    companies = len(list((root / "data" / "companies").glob("*.yaml")))
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    rows: list[dict[str, float]] = []
    with (
        tempfile.TemporaryFile() as err,
        subprocess.Popen(
            [sys.executable, "-m", "benchmark", "serve", "--port", "0", "--root", str(root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        ) as proc,
    ):

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put((time.time(), line))

        def next_line(pattern: re.Pattern[str]) -> tuple[float, re.Match[str]]:
            while True:
                try:
                    at, line = lines.get(timeout=600)
                except queue.Empty:
                    err.seek(0)
                    raise SystemExit(
                        "ccr serve said nothing for 10 minutes:\n"
                        + err.read().decode(errors="replace")[-4000:]
                    ) from None
                match = pattern.search(line)
                if match:
                    return at, match

        threading.Thread(target=read, daemon=True).start()
        try:
            url = next_line(SERVING)[1].group(1) + f"companies/{company}/"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(chromium),
                    headless=True,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    ],
                )
                page = browser.new_page()
                page.goto(url, wait_until="load")
                for run in range(runs):
                    new = f"{found.group(1)} R{run + 1}"
                    changed = text[: found.start(1)] + new + text[found.end(1) :]
                    saved = time.time()
                    path.write_text(changed, encoding="utf-8")
                    shown = _shown_at(page, new)
                    built_at, built = next_line(BUILT)
                    rows.append(
                        {
                            "total": shown - saved,
                            "to_built": built_at - saved,
                            "rebuild": float(built.group(1)),
                            "reload": shown - built_at,
                        }
                    )
                    time.sleep(1)  # the browser settles before the next save
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    return {
        "companies": companies,
        "company": company,
        "runs": rows,
        "median": median,
        "budget": SERVE_BUDGET,
        "ok": median["total"] <= SERVE_BUDGET,
    }


def print_serve(result: dict[str, Any]) -> None:
    """The save-to-visible table of ``bench_serve``."""
    runs = len(result["runs"])
    print(
        f"\n`ccr serve` at {result['companies']:,} companies: a saved change until Chromium "
        f"shows it (median of {runs})\n"
    )
    print("| step | seconds |")
    print("|---|---:|")
    median = result["median"]
    print(f"| save → rebuild done (settle + events + build) | {median['to_built']:.2f} |")
    print(f"| of which the build itself | {median['rebuild']:.2f} |")
    print(f"| rebuild done → page reloaded and painted | {median['reload']:.2f} |")
    print(
        f"| **save → visible** (budget ≤ {result['budget']:g} s) | {median['total']:.2f} "
        f"{'' if result['ok'] else '**over**'} |"
    )


# The first chart on a phone: a cold page load under slow 4G and a 4x slower CPU (Chrome
# DevTools' presets), in Debian's Chromium; the time until the page's first chart box shows a
# drawn chart (a loaded static image, or Vega's svg/canvas), read in the page at each frame.
SLOW_4G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 / 8,
    "uploadThroughput": 400 * 1024 / 8,
}
GZIPPED = {".html", ".js", ".css", ".json", ".svg", ".xml"}
FIRST_CHART_JS = """(() => {
  function drawn(box) {
    if (box.querySelector("svg, canvas")) { return "vega"; }
    const img = box.querySelector("img");
    if (img && img.complete && img.naturalWidth > 0 && img.offsetWidth > 0) { return "static"; }
    return null;
  }
  function look() {
    const box = document.querySelector(".ccr-chart");
    if (box && !window.__ccrAimed) { window.__ccrAimed = true; box.scrollIntoView(); }
    const how = box && drawn(box);
    if (how) { window.__ccrFirstChart = {ms: performance.now(), how: how}; return; }
    requestAnimationFrame(look);
  }
  requestAnimationFrame(look);
})();"""


def bench_first_chart(site: Path | None = None, runs: int = 3) -> list[dict[str, Any]]:
    """Milliseconds until the first chart is drawn, on a throttled phone: median of ``runs``.

    Serves ``site`` (default: this checkout's ``site/``, built with ``ccr build`` when
    missing) on 127.0.0.1, text gzipped as GitHub Pages serves it, and opens the home page
    and the latest edition report (the last by name) at 390 x 844, each in a fresh browser
    context (empty cache); the page scrolls its first chart into view as soon as the chart
    exists, as a reader would.
    """
    import functools
    import gzip
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    site = site or ROOT / "site"
    if not (site / "index.html").is_file():
        subprocess.run([sys.executable, "-m", "benchmark", "build", "--root", ROOT], check=True)
    reports = sorted(p.parent.name for p in (site / "editions").glob("*/index.html"))
    pages = {"home": "", "latest edition report": f"editions/{reports[-1]}/"}

    class Quiet(http.server.SimpleHTTPRequestHandler):
        """Static files, text gzipped as GitHub Pages serves them; no access log."""

        def do_GET(self) -> None:
            """A text file gzipped when the browser accepts it; anything else as usual."""
            path = Path(self.translate_path(self.path))
            if path.is_dir() and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            if (
                path.suffix not in GZIPPED
                or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")
            ):
                super().do_GET()
                return
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """No access log."""

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            """A closed page hangs up mid-download: no traceback for that."""
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    handler = functools.partial(Quiet, directory=str(site))
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu"],
            )
            for name, path in pages.items():
                times, how = [], set()
                for _ in range(runs):
                    context = browser.new_context(
                        viewport={"width": 390, "height": 844},
                        device_scale_factor=2,
                        is_mobile=True,
                        has_touch=True,
                        service_workers="block",
                    )
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    page.add_init_script(FIRST_CHART_JS)
                    page.goto(base + path, wait_until="commit")
                    page.wait_for_function("window.__ccrFirstChart", timeout=120_000)
                    seen = page.evaluate("window.__ccrFirstChart")
                    times.append(float(seen["ms"]))
                    how.add(str(seen["how"]))
                    context.close()
                rows.append(
                    {
                        "page": name,
                        "path": path,
                        "runs": runs,
                        "median_ms": statistics.median(times),
                        "times_ms": times,
                        "drawn_by": sorted(how),
                    }
                )
                print(
                    f"first chart on a phone, {name} ({path or '/'}): "
                    f"{statistics.median(times) / 1000:.1f} s median of {runs} "
                    f"({', '.join(f'{t / 1000:.1f}' for t in times)} s; {'/'.join(sorted(how))})"
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def _parser() -> argparse.ArgumentParser:
    """The command line of this script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[546, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each data stage")
    parser.add_argument(
        "--build-runs", type=int, default=1, help="runs of ccr build and of the plain mkdocs build"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results/bench.json")
    parser.add_argument(
        "--lighthouse",
        action="store_true",
        help="Score the largest site with Lighthouse (scripts/lighthouse.py).",
    )
    parser.add_argument(
        "--skip-hostile",
        action="store_true",
        help="Skip timing `ccr validate` on each hostile-corpus case.",
    )
    parser.add_argument(
        "--hostile-only",
        nargs="+",
        metavar="CASE",
        default=None,
        help="Time only these corpus cases (by name, see tests/hostile.py).",
    )
    parser.add_argument(
        "--pr-only",
        action="store_true",
        help="Only time ccr validate and ccr diff on the large pull requests.",
    )
    parser.add_argument(
        "--skip-pr",
        action="store_true",
        help="Skip timing ccr validate and ccr diff on large pull requests.",
    )
    parser.add_argument(
        "--pr-companies", type=int, default=5000, help="Company files the first pull request adds."
    )
    parser.add_argument(
        "--pr-problems",
        type=int,
        default=200_000,
        help="Problems in the one file the second pull request adds.",
    )
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="Only time `ccr serve` from a saved change to Chromium showing it "
        "(--runs times), on a copy of --serve-project; JSON to serve.json "
        "beside --json.",
    )
    parser.add_argument(
        "--serve-project",
        type=Path,
        default=ROOT,
        help="The project --serve-only copies (default: this one, the demo).",
    )
    parser.add_argument(
        "--serve-company", default="alderbyte-goods", help="The company --serve-only renames."
    )
    parser.add_argument(
        "--first-chart-only",
        nargs="?",
        type=Path,
        const=ROOT / "site",
        default=None,
        metavar="SITE",
        help="Only time the first chart on a throttled phone (slow 4G, 4x "
        "CPU), in SITE (default: site/, built when missing).",
    )
    return parser


def serve_only(args: argparse.Namespace) -> int:
    """--serve-only: time `ccr serve` and write serve.json beside --json."""
    with tempfile.TemporaryDirectory(prefix="ccr-serve-") as tmp:
        served = bench_serve(Path(tmp), args.runs, args.serve_project, args.serve_company)
    print_serve(served)
    out = args.json.with_name("serve.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count() or 0},
                "serve": served,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWrote {out}")
    return 0


def main() -> int:
    """Run the benchmark for every size and write the JSON report."""
    args = _parser().parse_args()
    if args.serve_only:
        return serve_only(args)
    if args.first_chart_only:
        rows = bench_first_chart(args.first_chart_only)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.with_name("first-chart.json").write_text(json.dumps(rows, indent=2) + "\n")
        return 0
    if args.pr_only:
        args.sizes, args.skip_hostile = [], True
    results = []
    scores = None
    with tempfile.TemporaryDirectory(prefix="ccr-bench-") as tmp:
        for n in args.sizes:
            result = bench_size(n, args.runs, args.build_runs, Path(tmp))
            print_table(result)
            results.append(result)
        if args.lighthouse:
            import lighthouse as lh  # scripts/lighthouse.py

            largest = max(results, key=lambda r: r["companies"])
            scores = lh.lighthouse(Path(largest["root"]) / "site")
            print()
            lh.print_rows(scores)
    table = budgets(results, scores) if results else []
    if table:
        print_budgets(table)
    pr: list[dict[str, Any]] = []
    if not args.skip_pr:
        with tempfile.TemporaryDirectory(prefix="ccr-pr-") as tmp:
            pr = bench_pr(Path(tmp), args.pr_companies, args.pr_problems, args.build_runs)
        print_pr(pr)
    hostile = []
    if not args.skip_hostile:
        with tempfile.TemporaryDirectory(prefix="ccr-hostile-") as tmp:
            hostile = bench_hostile(Path(tmp), args.hostile_only)
        slowest = max(hostile, key=lambda r: r["seconds"])
        largest = max(hostile, key=lambda r: r["peak_rss_mb"])
        print(
            f"\nccr validate on each of the {len(hostile)} hostile-corpus cases (whole "
            f"process): slowest {slowest['case']} {slowest['seconds']:.2f} s, most memory "
            f"{largest['case']} {largest['peak_rss_mb']:.0f} MB, tracebacks "
            f"{sum(r['traceback'] for r in hostile)}; every case under 2 s: "
            f"{'yes' if slowest['seconds'] < 2 else 'no'}"
        )
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count() or 0,
            "platform": platform.platform(),
        },
        "results": results,
        "budgets": table,
        "lighthouse": scores or [],
        "hostile": hostile,
        "pull_requests": pr,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
