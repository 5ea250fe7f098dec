"""Cascade targets on large accounts: IMM over reverse-reachable sets against CELF on the cascades.

For each size (``sg.datasets.synthetic_org(n, seed=0)``) and case (ic
without competition and rival ties, lt without competition, where IMM's
coverage model is the cascade; ic with rival ties, and with competition,
where it is not and ``method="auto"`` takes CELF) it times ``sg.targets(g, k=5, model=..., runs=R)`` with ``method="imm"`` (every
candidate) and ``method="celf"`` (the 50-candidate shortlist), both after a
first call has built the compiled view and the Friedkin-Johnsen shortlist
(CPU seconds), and measures the committee support each chosen set reaches on
fresh cascades (``sg.propagate``, 2,000 other runs, with its 95% interval).

Usage::

    python benchmarks/bench_imm.py                       # 10^4 and 10^5 people, 256 runs
    python benchmarks/bench_imm.py --sizes 10000 --runs 1000
"""

from __future__ import annotations

import argparse
import time

import stakegraph as sg


def value(g: sg.StakeholderGraph, ids: tuple[str, ...], model: str, competition: bool) -> sg.Propagation:
    h = g.copy()
    for pid in ids:
        h.set_stance(pid, "ally")
    return sg.propagate(h, model=model, runs=2000, seed=99, competition=competition)


CASES = {
    # (model, competitor spreads, rival ties kept): IMM's coverage model is the cascade in the first two
    "ic, no competition, no rival ties": ("ic", False, False),
    "lt, no competition": ("lt", False, True),
    "ic, no competition, rival ties": ("ic", False, True),
    "ic, competition": ("ic", True, True),
}


def without_rivals(g: sg.StakeholderGraph) -> sg.StakeholderGraph:
    h = g.copy()
    for t in [t for t in h.ties if t.kind.value == "rival"]:
        h.remove_tie(t.source, t.target, t.kind)
    return h


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=256)
    args = ap.parse_args()
    print(
        "| people | case | method | CPU s | cascade evaluations | candidates | committee support of the set "
        "(95% interval) |\n|---:|---|---|---:|---:|---:|---|"
    )
    for n in args.sizes:
        org = sg.datasets.synthetic_org(n, seed=0)
        plain = without_rivals(org)
        for label, (model, competition, rivals) in CASES.items():
            g = org if rivals else plain
            sg.targets(g, k=1, model=model, runs=8, seed=0, method="imm")  # compiled view, shortlist, kernel
            times = {}
            for method in ("imm", "celf"):
                start = time.process_time()
                t = sg.targets(
                    g, k=5, model=model, runs=args.runs, seed=1, method=method, competition=competition
                )
                times[method] = time.process_time() - start
                p = value(g, t.ids, model, competition)
                lo, hi = p.committee_support_ci
                print(
                    f"| {n:,} | {label} | {method} | {times[method]:.1f} | {t.evaluations} | {t.candidates:,} | "
                    f"{p.committee_support:+.4f} ({lo:+.4f} to {hi:+.4f}) |",
                    flush=True,
                )
            print(f"| | | CELF / IMM | {times['celf'] / times['imm']:.1f}x | | | |", flush=True)


if __name__ == "__main__":
    main()
