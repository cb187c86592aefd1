#!/usr/bin/env python3
"""Benchmark CCR's stages against floors measured in the same run, on synthetic data.

Run: `.venv/bin/python scripts/bench.py` (N = 546, 2000, 10000), or e.g.
`.venv/bin/python scripts/bench.py --sizes 200 --runs 1 --json out.json`.

For each N the demo generator writes N synthetic companies (about 10 probes each) to a
temporary folder; then each stage is timed (median of --runs runs) next to its floor:
parsing the same bytes with libyaml's CSafeLoader. Files are read into memory first, so
disk speed is not measured. Prints a table and writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import load  # noqa: E402 - after the path is set
from benchmark.score import score  # noqa: E402
from benchmark.validate import validate  # noqa: E402

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_size(n: int, runs: int, workdir: Path) -> dict[str, Any]:
    """Generate N companies and time every stage against the parse floor."""
    out = workdir / f"n{n}"
    subprocess.run([sys.executable, str(ROOT / "scripts/generate_demo.py"), "--count", str(n),
                    "--out", str(out)], check=True, capture_output=True)
    methodology = ROOT / "data/methodology"
    company_paths = load.yaml_files(out / "companies")
    sources = load.read_files(company_paths, out)
    other = load.read_files(load.yaml_files(out / "editions"), out)
    meth = load.read_files(load.yaml_files(methodology), ROOT)
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
    t_score, _ = median_time(lambda: score(dataset), runs)
    rows = [
        {"stage": "parse floor (CSafeLoader)", "seconds": floor, "floor": "parse", "ratio": 1.0},
        {"stage": "load", "seconds": t_load, "floor": "parse", "ratio": t_load / floor},
        {"stage": "validate", "seconds": t_validate, "floor": "parse",
         "ratio": t_validate / floor},
        {"stage": "load + validate", "seconds": t_load + t_validate, "floor": "parse",
         "ratio": (t_load + t_validate) / floor, "budget": 2.5},
        {"stage": "score + statistics", "seconds": t_score, "floor": "parse",
         "ratio": t_score / floor, "budget": 1.0},
    ]
    probes = sum(len(a.get("probes", [])) for d in dataset.companies
                 for a in d.data.get("audits", []))
    return {"companies": n, "probes": probes, "input_bytes": total_bytes, "runs": runs,
            "rows": rows, "peak_rss_mb": peak_rss_mb()}


def bench_hostile(workdir: Path) -> list[dict[str, Any]]:
    """Wall time of `ccr validate` (a whole process) on each rejected-input fixture."""
    tree = workdir / "hostile"
    shutil.copytree(ROOT / "tests/fixtures/tree", tree)
    shutil.copytree(ROOT / "data/methodology", tree / "data/methodology")
    cases = sorted((ROOT / "tests/fixtures/invalid").glob("*.yaml"))
    big = tree / "data/companies/fifty-mb.yaml"
    with big.open("wb") as fh:
        fh.write(b"slug: fifty-mb\nnotes: '" + b"x" * (50 * 1024 * 1024) + b"'\n")
    rows = []
    for case in [*cases, big]:
        target = tree / "data/companies" / case.name
        if case != big:
            shutil.copyfile(case, target)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "benchmark", "validate", str(target)],
                              cwd=tree, capture_output=True, text=True, check=False)
        rows.append({"case": case.stem, "seconds": time.perf_counter() - start,
                     "exit": done.returncode, "traceback": "Traceback" in done.stderr})
        target.unlink()
    return rows


def print_table(result: dict[str, Any]) -> None:
    """Print one size's rows as a Markdown table."""
    print(f"\nN = {result['companies']:,} companies, {result['probes']:,} probes, "
          f"{result['input_bytes'] / 1e6:.1f} MB of YAML, median of {result['runs']} runs, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB")
    print("| stage | seconds | × floor | budget |")
    print("|---|---:|---:|---:|")
    for row in result["rows"]:
        budget = f"≤ {row['budget']} ×" if "budget" in row else ""
        print(f"| {row['stage']} | {row['seconds']:.3f} | {row['ratio']:.2f} | {budget} |")


def main() -> int:
    """Run the benchmark for every size and write the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[546, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results/bench.json")
    parser.add_argument("--skip-hostile", action="store_true",
                        help="Skip timing `ccr validate` on each bad-input fixture.")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="ccr-bench-") as tmp:
        for n in args.sizes:
            result = bench_size(n, args.runs, Path(tmp))
            print_table(result)
            results.append(result)
    hostile = []
    if not args.skip_hostile:
        with tempfile.TemporaryDirectory(prefix="ccr-hostile-") as tmp:
            hostile = bench_hostile(Path(tmp))
        print("\nccr validate on each bad file (whole process, seconds):")
        print(", ".join(f"{r['case']} {r['seconds']:.2f}" for r in hostile))
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count() or 0,
                          "platform": platform.platform()},
              "results": results, "hostile": hostile}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
