#!/usr/bin/env python3
"""Generate CCR's demo data: two fictional editions, or a synthetic data set for scale tests.

Run from the repository root:

    python scripts/generate_demo.py                    # rewrite data/editions + data/companies
    python scripts/generate_demo.py --out DIR          # the same files under DIR/
    python scripts/generate_demo.py --count 10000 --out /tmp/ccr-scale   # synthetic companies

The generator is the package :mod:`benchmark.demo` (``python -m benchmark.demo`` is the same
command); this file keeps the command the README, the docs, the tests and scripts/bench.py run.
It reads the rubric from the methodology, so it needs CCR's dependencies: a Python without
them hands over to the project's ``.venv`` (``python3 scripts/dev.py install`` makes it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

sys.path.insert(0, str(ROOT))

if __name__ == "__main__":
    try:
        from benchmark.demo.__main__ import main
    except ModuleNotFoundError:
        if not VENV_PYTHON.exists() or Path(sys.prefix).resolve() == VENV_PYTHON.parents[1]:
            raise
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])
    raise SystemExit(main())
