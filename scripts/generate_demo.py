#!/usr/bin/env python3
"""Generate CCR's demo data: two fictional editions, or a synthetic data set for scale tests.

Run from the repository root:

    python scripts/generate_demo.py                    # rewrite data/editions + data/companies
    python scripts/generate_demo.py --out DIR          # the same files under DIR/
    python scripts/generate_demo.py --count 10000 --out /tmp/ccr-scale   # synthetic companies

The generator is the package :mod:`benchmark.demo` (``python -m benchmark.demo`` is the same
command); this file keeps the command the README, the docs, the tests and scripts/bench.py run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmark.demo.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
