"""``sg.propagate(model="fj")`` against a bare scipy fixed-point loop on the same matrix: the cost around the solve.

The loop iterates ``x = M x + b`` from ``x0`` until no view moves by more than
1e-10, on the system ``sg.propagate`` built (``Propagation.system``), so the
difference is everything else a call does: reading the compiled view, the
result's fields, reach and its departments. Wall clock, median of 15 calls on
an account whose compiled view is already built.

Usage::

    python benchmarks/bench_fj_overhead.py               # 10^4 and 10^5 people
    python benchmarks/bench_fj_overhead.py 10000 1000000
"""

from __future__ import annotations

import sys
import time

import numpy as np

import stakegraph as sg


def median(f, k: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(k):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return sorted(times)[k // 2]


def main(sizes: list[int]) -> None:
    print("| people | sg.propagate (fj) | bare scipy loop | ratio |\n|---:|---:|---:|---:|")
    for n in sizes:
        g = sg.datasets.synthetic_org(n, seed=0)
        system = sg.propagate(g).system
        M, b, x0 = system.M, system.anchor * system.x0, system.x0

        def bare() -> np.ndarray:
            x = x0.copy()
            while True:
                nxt = M @ x + b
                if np.max(np.abs(nxt - x)) <= 1e-10:
                    return nxt
                x = nxt

        ours, loop = median(lambda: sg.propagate(g)), median(bare)
        print(f"| {n:,} | {ours * 1000:.1f} ms | {loop * 1000:.1f} ms | {ours / loop:.2f}x |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
