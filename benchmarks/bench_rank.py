"""Time ``sg.rank`` and ``sg.structure`` against networkx and python-igraph on synthetic organisations.

The peers compute the same measures on the same layers in the same run; the
table also times the two heavy parts of ``sg.rank`` (its PageRank, with the
extraction of the customer listening layer, and its brokerage) on their own:

rank
    PageRank on the customer listening layer (the positive part of the
    influence layer, listener -> the person listened to) and weighted
    betweenness on the informal layer (length 1 / strength): exact up to
    ``sg.rank``'s ``exact_max`` (2,000 people), beyond it from ``--pivots``
    sources (networkx draws its own ``k`` sources; igraph gets the very sources
    stakegraph drew). networkx's PageRank tolerance is divided by the number of
    nodes so that it stops on the same L1 change as stakegraph (it multiplies
    its tolerance by N). ``sg.rank`` also computes authority and Friedkin
    social power, which the peers do not.
structure
    Louvain on the undirected customer informal layer plus the PageRank above
    (networkx ``louvain_communities``; igraph ``community_multilevel``).

The brokerage runs the compiled kernel when numba is installed
(``pip install '.[fast]'``); the table then also shows ``sg.rank`` and its
brokerage with the numpy kernel (``STAKEGRAPH_JIT=0``), and the header says
how long the kernel's first call in the process took (loading it from the
on-disk cache, or compiling it the first time on a machine).

Graph construction for the peers is not timed (they are handed ready graphs);
stakegraph is timed on a graph whose compiled view is already built (the
compile time is shown on its own row). Each figure is the median of
``--repeats`` runs after one untimed warm-up run (one-off imports and
first-call set-up are not counted, for any library); a run longer than
``--long`` seconds is not repeated (for the peers, that first run is the figure).

Usage::

    python benchmarks/bench_rank.py                       # 1k, 10k, 100k people
    python benchmarks/bench_rank.py --sizes 1000 10000 --repeats 5
    python benchmarks/bench_rank.py --skip-networkx-above 10000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

import stakegraph as sg
from stakegraph.analysis.rank import customer_rows, listening_layer


def _timer(clock: str) -> Callable[[], float]:
    return time.process_time if clock == "cpu" else time.perf_counter


def measure(
    fn: Callable[[], Any], repeats: int, long: float, clock: Callable[[], float], warm: bool = True
) -> tuple[float, Any]:
    """Median time of ``repeats`` runs of ``fn`` (after one untimed warm-up run when ``warm``)."""
    times, out = [], None
    if warm:
        t = clock()
        out = fn()
        if clock() - t > long:  # too slow to run twice: that run is the measurement
            return clock() - t, out
    for _ in range(repeats):
        t = clock()
        out = fn()
        times.append(clock() - t)
        if times[-1] > long:
            break
    return statistics.median(times), out


def peer_graphs(c: Any) -> dict[str, Any]:
    """The three layers as networkx and igraph graphs (built once, not timed)."""
    import igraph as ig
    import networkx as nx

    out: dict[str, Any] = {}
    L = listening_layer(c).tocoo()
    nL = listening_layer(c).shape[0]
    out["nx_listen"] = nx.DiGraph()
    out["nx_listen"].add_nodes_from(range(nL))
    out["nx_listen"].add_weighted_edges_from(zip(L.row.tolist(), L.col.tolist(), L.data.tolist()))
    out["ig_listen"] = ig.Graph(n=nL, edges=list(zip(L.row.tolist(), L.col.tolist())), directed=True)
    out["ig_listen_w"] = L.data.tolist()

    C = c.informal.tocoo()
    cost = (1.0 / C.data).tolist()
    out["nx_informal"] = nx.DiGraph()
    out["nx_informal"].add_nodes_from(range(c.n))
    out["nx_informal"].add_weighted_edges_from(zip(C.row.tolist(), C.col.tolist(), cost), weight="cost")
    out["ig_informal"] = ig.Graph(n=c.n, edges=list(zip(C.row.tolist(), C.col.tolist())), directed=True)
    out["ig_informal_w"] = cost

    cust = customer_rows(c)
    I = sp.csr_array(c.informal[cust][:, cust])
    U = sp.triu(I + I.T, k=1).tocoo()
    out["nx_sym"] = nx.Graph()
    out["nx_sym"].add_nodes_from(range(len(cust)))
    out["nx_sym"].add_weighted_edges_from(zip(U.row.tolist(), U.col.tolist(), U.data.tolist()))
    out["ig_sym"] = ig.Graph(n=len(cust), edges=list(zip(U.row.tolist(), U.col.tolist())), directed=False)
    out["ig_sym_w"] = U.data.tolist()
    return out


def kernel_note() -> str:
    """Which brokerage kernel runs, and what its first call in this process cost."""
    from stakegraph.analysis._centrality import betweenness, jit_available

    if not jit_available():
        return "brokerage kernel: numpy (numba not installed or STAKEGRAPH_JIT=0)"
    import numba

    t = time.perf_counter()
    betweenness(sp.csr_array(np.array([[0, 1.0], [1.0, 0]])), engine="numba")
    return (
        f"brokerage kernel: compiled (numba {numba.__version__}); its first call in this process took "
        f"{time.perf_counter() - t:.2f} s wall (cache load, or compile on a machine's first run)"
    )


class numpy_engine:
    """Run the block with the compiled kernel switched off (``STAKEGRAPH_JIT=0``)."""

    def __enter__(self) -> None:
        self.old = os.environ.get("STAKEGRAPH_JIT")
        os.environ["STAKEGRAPH_JIT"] = "0"

    def __exit__(self, *exc: Any) -> None:
        if self.old is None:
            del os.environ["STAKEGRAPH_JIT"]
        else:
            os.environ["STAKEGRAPH_JIT"] = self.old


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    import networkx as nx

    from stakegraph.analysis._centrality import jit_available
    from stakegraph.analysis.rank import _brokerage, influence_scores

    clock = _timer(args.clock)
    rows: list[dict[str, Any]] = []
    exact_max = 2000
    for n in args.sizes:
        print(f"-- {n:,} people", file=sys.stderr, flush=True)
        g = sg.datasets.synthetic_org(n, seed=args.seed)
        t = clock()
        c = g.compiled()
        t_compile = clock() - t
        P = peer_graphs(c)
        d = c.model.damping
        N_listen = P["nx_listen"].number_of_nodes()
        exact = n <= exact_max
        pivots = (
            None
            if exact
            else np.sort(
                np.random.default_rng(args.seed).choice(c.n, size=args.pivots, replace=False)
            ).tolist()
        )
        run_nx = args.skip_networkx_above is None or n <= args.skip_networkx_above

        def fresh(fn: Callable[[Any, Any], Any]) -> Callable[[], Any]:
            """Time ``fn`` on a fresh copy whose compiled view is built but holds no analysis cache."""

            def timed() -> Any:
                h = g.copy()
                hc = h.compiled()
                t0 = clock()
                out = fn(h, hc)
                return clock() - t0, out

            return timed

        def ours(fn: Callable[[Any, Any], Any]) -> tuple[float, Any]:
            timed = fresh(fn)
            timed()  # warm-up
            times, out = [], None
            for _ in range(args.repeats):
                dt, out = timed()
                times.append(dt)
                if dt > args.long:
                    break
            return statistics.median(times), out

        def m(fn: Callable[[], Any]) -> tuple[float, Any]:
            return measure(fn, args.repeats, args.long, clock)

        # stakegraph
        t_rank, r = ours(lambda h, hc: sg.rank(h, pivots=args.pivots, seed=args.seed))
        t_pr, _ = ours(lambda h, hc: influence_scores(hc, damping=d, tol=args.tol, max_iter=10_000))
        t_bc, _ = ours(lambda h, hc: _brokerage(hc, exact_max=exact_max, pivots=args.pivots, seed=args.seed))
        t_struct, s = ours(lambda h, hc: sg.structure(h, seed=args.seed))
        t_rank_np = t_bc_np = None
        if jit_available():
            with numpy_engine():
                t_rank_np, r_np = ours(lambda h, hc: sg.rank(h, pivots=args.pivots, seed=args.seed))
                t_bc_np, _ = ours(
                    lambda h, hc: _brokerage(hc, exact_max=exact_max, pivots=args.pivots, seed=args.seed)
                )
            d_np = float(np.abs(np.asarray(r_np.brokerage) - np.asarray(r.brokerage)).max())

        # igraph
        ti_pr, ig_pr = m(lambda: P["ig_listen"].pagerank(weights=P["ig_listen_w"], damping=d, directed=True))
        ti_bc, ig_bc = m(lambda: P["ig_informal"].betweenness(weights=P["ig_informal_w"], sources=pivots))
        ti_lv, ig_cl = m(lambda: P["ig_sym"].community_multilevel(weights=P["ig_sym_w"]))

        # networkx
        tn_pr = tn_bc = tn_lv = None
        if run_nx:
            print("   networkx ...", file=sys.stderr, flush=True)
            tn_pr, _ = m(
                lambda: nx.pagerank(
                    P["nx_listen"], alpha=d, weight="weight", tol=args.tol / N_listen, max_iter=10_000
                )
            )
            tn_bc, _ = m(
                lambda: nx.betweenness_centrality(
                    P["nx_informal"], k=None if exact else args.pivots, weight="cost", seed=args.seed
                )
            )
            tn_lv, _ = m(
                lambda: nx.community.louvain_communities(P["nx_sym"], weight="weight", seed=args.seed)
            )

        # same numbers? influence vs igraph's PageRank; brokerage vs igraph's betweenness (same sources)
        cust = customer_rows(c)
        pos = {pid: k for k, pid in enumerate(r.ids)}
        order = np.array([pos[c.ids[i]] for i in cust])
        d_pr = float(np.abs(np.asarray(r.influence)[order] - np.asarray(ig_pr)).max())
        raw = np.asarray(ig_bc)[cust]
        if exact:
            raw = raw / ((c.n - 1) * (c.n - 2))
        else:
            k = args.pivots
            scale = np.where(np.isin(cust, pivots), 1.0 / ((k - 1) * (c.n - 2)), 1.0 / (k * (c.n - 2)))
            raw = raw * scale
        d_bc = float(np.abs(np.asarray(r.brokerage)[order] - raw).max())

        def add(
            measure_: str, ours_t: float, nx_t: float | None, ig_t: float | None, check: str = ""
        ) -> None:
            rows.append(
                {
                    "size": n,
                    "measure": measure_,
                    "stakegraph": ours_t,
                    "networkx": nx_t,
                    "igraph": ig_t,
                    "check": check,
                }
            )

        def total(*parts: float | None) -> float | None:
            return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]

        how = "exact" if exact else f"{args.pivots} pivots"
        add("compile", t_compile, None, None)
        add("rank", t_rank, total(tn_pr, tn_bc), ti_pr + ti_bc, "peers: PageRank + betweenness")
        add("  pagerank", t_pr, tn_pr, ti_pr, f"max|Δ| vs igraph {d_pr:.1e}")
        add(f"  betweenness ({how})", t_bc, tn_bc, ti_bc, f"max|Δ| vs igraph {d_bc:.1e}")
        if t_rank_np is not None:
            add("rank, numpy kernel", t_rank_np, total(tn_pr, tn_bc), ti_pr + ti_bc, "STAKEGRAPH_JIT=0")
            add("  betweenness, numpy", t_bc_np, tn_bc, ti_bc, f"max|Δ| vs compiled {d_np:.1e}")
        add("structure", t_struct, total(tn_lv, tn_pr), ti_lv + ti_pr, "peers: Louvain + PageRank")
        add(
            "  louvain",
            None,
            tn_lv,
            ti_lv,
            f"coalitions {len(s.coalitions)} (modularity {s.modularity:.3f}); igraph {len(ig_cl)} "
            f"({ig_cl.modularity:.3f})",
        )
        del P
    return rows


def table(rows: list[dict[str, Any]], clock: str) -> str:
    def f(x: float | None) -> str:
        return "—" if x is None else (f"{x:.3f}" if x < 100 else f"{x:.0f}")

    def ratio(a: float | None, b: float | None) -> str:
        return "—" if a is None or b is None or b <= 0 else f"{a / b:.1f}×"

    head = (
        f"{'people':>8}  {'measure':<26} {'stakegraph':>10} {'networkx':>9} {'igraph':>8} "
        f"{'nx/sg':>7} {'ig/sg':>6}  check"
    )
    lines = [
        f"seconds ({'CPU time' if clock == 'cpu' else 'wall clock'}, median); ratios > 1 mean stakegraph "
        "is faster",
        head,
        "-" * len(head),
    ]
    for r in rows:
        lines.append(
            f"{r['size']:>8,}  {r['measure']:<26} {f(r['stakegraph']):>10} {f(r['networkx']):>9} "
            f"{f(r['igraph']):>8} {ratio(r['networkx'], r['stakegraph']):>7} "
            f"{ratio(r['igraph'], r['stakegraph']):>6}  {r['check']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000], help="people per organisation"
    )
    ap.add_argument("--repeats", type=int, default=3, help="runs per measurement (median reported)")
    ap.add_argument(
        "--pivots", type=int, default=256, help="sampled sources for betweenness beyond 2,000 people"
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the organisation, the pivots and Louvain")
    ap.add_argument("--tol", type=float, default=1e-10, help="PageRank L1 tolerance (stakegraph's default)")
    ap.add_argument("--long", type=float, default=20.0, help="a run longer than this (s) is not repeated")
    ap.add_argument(
        "--skip-networkx-above", type=int, default=None, help="skip networkx above this many people"
    )
    ap.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="process CPU time (steadier on a shared machine) or wall clock",
    )
    args = ap.parse_args(argv)
    note = kernel_note()
    rows = run(args)
    print(note)
    print(table(rows, args.clock))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
