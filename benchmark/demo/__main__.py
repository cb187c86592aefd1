"""The command line of the demo generator (``python -m benchmark.demo``)."""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

from .draws import Names
from .ecommerce import build_ecommerce
from .files import write
from .software_houses import build_software_houses
from .synthetic import build_synthetic
from .vocabulary import ROOT, SEED, Company

DESCRIPTION = (
    "Generate CCR's demo data: two fictional editions, or a synthetic data set for scale tests."
)


def demo() -> tuple[list[dict[str, Any]], list[Company]]:
    """Both demo editions and their companies, drawn from one seeded generator."""
    rng = random.Random(SEED)
    names = Names(rng)
    edition_a, companies_a = build_software_houses(rng, names)
    edition_b, companies_b = build_ecommerce(rng, names)
    return [edition_a, edition_b], companies_a + companies_b


def main(argv: list[str] | None = None) -> int:
    """Write the demo (or ``--count`` synthetic companies) and say what was written."""
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument(
        "--out", type=Path, help="write DIR/companies and DIR/editions (default: the repo's data/)"
    )
    parser.add_argument(
        "--count", type=int, help="write N synthetic companies instead of the demo (needs --out)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.count is not None:
        if args.out is None:
            parser.error("--count needs --out, so that data/ is not overwritten")
        if args.count < 1:
            parser.error("--count must be at least 1")
        edition, companies = build_synthetic(args.count)
        editions = [edition]
    else:
        editions, companies = demo()
    out = args.out if args.out is not None else ROOT / "data"
    write(out, editions, companies)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {len(companies)} companies and {len(editions)} editions to {out}"
        f" in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
