"""Every analysis at growing sizes in one table, with peak memory and the growth of time against ties.

For each size ``n`` (``sg.datasets.synthetic_org(n, seed=0)``, about six ties per person) it times,
in CPU seconds of this process (the compiled kernels run on every core, so CPU can exceed wall):
building the graph, compiling its view, ``rank``, ``structure``, ``propagate`` (fj; ic with 1,000
runs, 100 at 10^6), ``paths`` (k=3), ``targets`` (fj) and ``diagnose``, each with the cached work of
the analyses before it dropped (the compiled view is kept), so no analysis reuses another's (``diagnose`` reads rank, structure and paths:
it is timed cold). Beside them, the peers on the same graph: igraph's PageRank + multilevel
Louvain (for rank and structure) at every size, networkx's PageRank and Louvain up to
``--networkx-max`` people. Then the peak resident memory of the process after each size, and the
log-log slope of time against ties from the second size to the largest (the first is mostly fixed
costs; with two sizes, between them): 1 is linear.

Usage::

    python benchmarks/run.py                          # 10^3, 10^4, 10^5 people
    python benchmarks/run.py --sizes 1000 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import math
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import stakegraph as sg


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def forget(g: sg.StakeholderGraph) -> sg.StakeholderGraph:
    """``g`` with its compiled view kept but every analysis' cached work on it dropped."""
    g.compiled()._cache.clear()
    return g


def warm_up() -> None:
    """Imports, compiled kernels loaded from their cache: paid once, not by the first size timed."""
    g = sg.datasets.synthetic_org(300, seed=1)
    sg.rank(g, seed=0), sg.structure(g, seed=0), sg.propagate(g, model="ic", runs=64, seed=0)
    sg.paths(g), sg.targets(g), sg.diagnose(g)
    peers(g, True)


def peers(g: sg.StakeholderGraph, networkx: bool) -> dict[str, float]:
    import igraph

    c = g.compiled()
    W = c.influence.tocoo()
    keep = W.data > 0
    src, dst, w = W.col[keep], W.row[keep], W.data[keep]  # influencer -> listener
    out: dict[str, float] = {}
    G = igraph.Graph(n=c.n, directed=True)
    G.add_edges(np.column_stack((src, dst)).astype(np.int64))
    G.es["weight"] = w
    out["igraph PageRank"], _ = cpu(lambda: G.pagerank(weights="weight"))
    U = G.as_undirected(combine_edges="sum")
    out["igraph Louvain"], _ = cpu(lambda: U.community_multilevel(weights="weight"))
    if networkx:
        import networkx as nx

        H = nx.DiGraph()
        H.add_nodes_from(range(c.n))
        H.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
        out["networkx PageRank"], _ = cpu(lambda: nx.pagerank(H, weight="weight"))
        Hu = H.to_undirected()
        out["networkx Louvain"], _ = cpu(
            lambda: nx.community.louvain_communities(Hu, weight="weight", seed=0)
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--networkx-max", type=int, default=10_000, help="largest size networkx is timed on")
    args = ap.parse_args()
    rows: dict[str, dict[int, float]] = {}
    ties: dict[int, int] = {}
    memory: dict[int, float] = {}
    warm_up()

    def put(name: str, n: int, seconds: float) -> None:
        rows.setdefault(name, {})[n] = seconds
        print(f"  {name:<28} {seconds:9.2f} s", flush=True)

    for n in args.sizes:
        print(f"-- {n:,} people", flush=True)
        t, g = cpu(lambda: sg.datasets.synthetic_org(n, seed=0))
        put("build (synthetic_org)", n, t)
        ties[n] = len(g.ties)
        t, _ = cpu(g.compiled)
        put("compile", n, t)
        ic_runs = 1000 if n < 1_000_000 else 100
        analyses: dict[str, Callable[[sg.StakeholderGraph], Any]] = {
            "rank": lambda h: sg.rank(h, seed=0),
            "structure": lambda h: sg.structure(h, seed=0),
            "propagate fj": lambda h: sg.propagate(h),
            f"propagate ic ({ic_runs} runs)": lambda h: sg.propagate(h, model="ic", runs=ic_runs, seed=0),
            "paths (k=3)": lambda h: sg.paths(h, k=3),
            "targets (fj)": lambda h: sg.targets(h),
            "diagnose (cold)": lambda h: sg.diagnose(h),
        }
        for name, run in analyses.items():
            h = forget(g)
            t, _ = cpu(lambda: run(h))
            put(name, n, t)
        for name, t in peers(g, n <= args.networkx_max).items():
            put(name, n, t)
        memory[n] = peak_gb()
        print(f"  peak memory so far           {memory[n]:9.2f} GB", flush=True)
        del g

    sizes = args.sizes
    head = " | ".join(f"{n:,}" for n in sizes)
    print(f"\n| CPU seconds | {head} | slope against ties |")
    print("|---|" + "---:|" * len(sizes) + "---:|")
    print("| ties | " + " | ".join(f"{ties[n]:,}" for n in sizes) + " | |")
    for name, by_size in rows.items():
        cells = " | ".join(f"{by_size[n]:.3g}" if n in by_size else "—" for n in sizes)
        have = [n for n in sizes if n in by_size and by_size[n] > 0]
        slope = ""
        if len(have) >= 2:
            a, b = have[1 if len(have) >= 3 else 0], have[-1]  # the smallest size is mostly fixed costs
            slope = f"{math.log(by_size[b] / by_size[a]) / math.log(ties[b] / ties[a]):.2f}"
        print(f"| {name} | {cells} | {slope} |")
    print("| peak memory (GB, process) | " + " | ".join(f"{memory[n]:.2f}" for n in sizes) + " | |")


if __name__ == "__main__":
    main()
