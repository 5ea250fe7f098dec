"""Fuzz every loader with mutated files and print the table of outcomes (docs/reliability.md).

Each case mutates a valid file of one format (bit flips, truncation, random
byte runs, huge and non-finite numbers, confusable and dangerous text,
re-encoding, byte-order marks, duplicated and dropped lines) and reads it.
Every input must either load and survive a round trip through every writer,
or be refused with a StakegraphError. Crashes and lost round trips are
listed with the seed that makes them again.

Usage::

    python benchmarks/fuzz.py                 # 2,000 cases per format
    python benchmarks/fuzz.py --cases 10000
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from mutations import FORMATS, mutate, outcome, valid  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="cases per format")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(
        "| format | cases | loaded and round-tripped | refused (ValidationError) | crashed | round trip lost | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    totals: collections.Counter[str] = collections.Counter()
    for fmt in FORMATS:
        base = valid(fmt)
        counts: collections.Counter[str] = collections.Counter()
        start = time.perf_counter()
        for k in range(args.cases):
            rng = random.Random(f"{args.seed}-{fmt}-{k}")
            kind, detail = outcome(fmt, mutate(base, rng))
            counts[kind] += 1
            if kind in ("crash", "lost"):
                failures.append((fmt, k, kind, f"{type(detail).__name__}: {str(detail)[:160]}"))
        totals.update(counts)
        print(
            f"| {fmt} | {args.cases:,} | {counts['loaded']:,} | {counts['refused']:,} | {counts['crash']} "
            f"| {counts['lost']} | {time.perf_counter() - start:.0f} |"
        )
    n = args.cases * len(FORMATS)
    print(
        f"| all | {n:,} | {totals['loaded']:,} | {totals['refused']:,} | {totals['crash']} | {totals['lost']} | |"
    )
    for fmt, k, kind, text in failures[:50]:
        print(f"{kind}: {fmt} case {k} (seed '{args.seed}-{fmt}-{k}'): {text}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
