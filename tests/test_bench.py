"""The benchmark script runs on a tiny N and writes well-formed JSON (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

STAGES = ["parse floor (CSafeLoader)", "load", "validate", "load + validate",
          "score + statistics"]


def test_bench_runs_on_a_tiny_n(tmp_path: Path) -> None:
    """scripts/bench.py --sizes 12 writes a report with every stage, ratio and budget."""
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "scripts/bench.py", "--sizes", "12", "--runs", "1",
                             "--skip-hostile", "--json", str(out)], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    (size,) = report["results"]
    assert size["companies"] == 12
    assert size["probes"] >= 12 * 8
    assert [row["stage"] for row in size["rows"]] == STAGES
    for row in size["rows"]:
        assert row["seconds"] > 0
        assert row["ratio"] > 0
    budgets = {row["stage"]: row.get("budget") for row in size["rows"]}
    assert budgets["load + validate"] == 2.5
    assert budgets["score + statistics"] == 1.0
    assert "| load + validate |" in result.stdout
