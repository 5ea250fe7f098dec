"""Time ``sg.analyze_many`` over many small accounts: serially, on a local process pool and on Dask.

Each account is a synthetic organisation of ``--people`` people, given as a
loader (``functools.partial(sg.datasets.synthetic_org, people, seed=i)``) so
that every worker builds its own accounts and nothing big crosses the wire,
as a CRM job reading one file per account would. Every run computes the five
analyses of a row (rank, propagate, paths, targets, diagnose); the rows of
every engine are checked equal to the serial rows.

Usage::

    pip install -e '.[dask]'
    python benchmarks/bench_many.py                    # 10,000 accounts of 50 people
    python benchmarks/bench_many.py --accounts 2000 --serial-sample 500
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from concurrent.futures import ProcessPoolExecutor

import stakegraph as sg


def accounts(n: int, people: int, start: int = 0) -> dict[str, functools.partial[sg.StakeholderGraph]]:
    return {
        f"a{i}": functools.partial(sg.datasets.synthetic_org, people, seed=i) for i in range(start, start + n)
    }


def timed(label: str, run, n: int) -> tuple[str, float, list[dict]]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    rows = list(run().rows)
    wall = time.perf_counter() - start
    failed = sum(r["error"] is not None for r in rows)
    print(f"  {label:<42} {wall:8.1f} s  {n / wall:7.0f} accounts/s  ({failed} failed)", flush=True)
    return label, wall, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument(
        "--serial-sample",
        type=int,
        default=1000,
        help="accounts timed serially (scaled to the whole batch; 0: all of them)",
    )
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    n, w = args.accounts, args.workers
    print(f"analyze_many: {n:,} accounts of {args.people} people, all five analyses, {w} workers, wall clock")
    results = []
    sample = args.serial_sample or n
    label, wall, serial_rows = timed(
        f"serial ({sample:,} accounts)",
        lambda: sg.analyze_many(accounts(sample, args.people), progress=False),
        sample,
    )
    results.append((f"serial (from {sample:,} accounts, scaled)", wall * n / sample))
    with ProcessPoolExecutor(max_workers=w) as pool:
        _, wall, rows = timed(
            f"process pool, {w} workers",
            lambda: sg.analyze_many(accounts(n, args.people), executor=pool, progress=False),
            n,
        )
    assert rows[:sample] == serial_rows, "the process pool's rows differ from the serial rows"
    results.append((f"process pool, {w} workers", wall))
    if not args.no_dask:
        import distributed

        with (
            distributed.LocalCluster(
                n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            executor = client.get_executor()
            warm = sg.analyze_many(accounts(w, args.people), executor=executor, progress=False).rows
            assert all(r["error"] is None for r in warm)  # the workers have imported stakegraph
            _, wall, rows = timed(
                f"Dask LocalCluster, {w} workers",
                lambda: sg.analyze_many(accounts(n, args.people), executor=executor, progress=False),
                n,
            )
        assert rows[:sample] == serial_rows, "Dask's rows differ from the serial rows"
        results.append((f"Dask LocalCluster, {w} workers", wall))
    pool_wall = results[1][1]
    print("\n| engine | wall | accounts/s | vs process pool |\n|---|---:|---:|---:|")
    for label, wall in results:
        print(f"| {label} | {wall:.1f} s | {n / wall:,.0f} | {wall / pool_wall:.2f}x |")


if __name__ == "__main__":
    main()
