"""Introduction paths and targets on synthetic organisations, against networkx, in one run.

Usage::

    python benchmarks/bench_paths_targets.py              # 1k, 10k and 100k people
    python benchmarks/bench_paths_targets.py 1000 10000   # chosen sizes

For each size (``sg.datasets.synthetic_org(n, seed=1)``) it prints the median
seconds of:

- ``sg.paths(g, k=5)`` to the decision-maker (Yen's algorithm on the compiled
  graph, each detour searched only where the best routes are cut), cold: the
  cached introduction graph and best routes are dropped before each run;
- the same 5 best paths with networkx ``shortest_simple_paths`` on the whole
  graph (the same -log costs and virtual source; building the networkx graph
  is timed apart), checked to give the same probabilities;
- ``sg.paths(g, k=5, disjoint=True)``;
- ``sg.targets(g, k=5)`` (Friedkin–Johnsen, exact gains from one transposed
  solve), cold, and once including the compilation of the graph; against
  re-solving the model once per candidate (measured at 1k, extrapolated from
  one re-solve above);
- cascade targets (ic, lt; k=5, 256 runs, shortlist 50): evaluations and
  seconds with lazy greedy (CELF) and with plain greedy (run at 1k; above, the
  plain greedy count is exact by construction: every remaining candidate each
  round).
"""

from __future__ import annotations

import math
import statistics
import sys
import time

import networkx as nx
import numpy as np

import stakegraph as sg
from stakegraph.analysis import paths as P
from stakegraph.analysis.targets import _candidates


def timed(fn, repeat=3, before=None):
    out, val = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        t = time.perf_counter()
        val = fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out), val


def drop_cache(c):
    def run():
        for key in [k for k in c._extra if k.startswith(("paths.", "diagnose."))]:
            del c._extra[key]

    return run


def networkx_graph(c, policy="block"):
    """The introduction graph of the compiled view as a networkx DiGraph ('SRC' = virtual source)."""
    A, rows, cols, cost = P._intro_graph(c, policy)
    G = nx.DiGraph()
    names = list(c.ids) + ["SRC"]
    G.add_weighted_edges_from(
        zip((names[r] for r in rows.tolist()), (names[q] for q in cols.tolist()), cost.tolist()), weight="w"
    )
    return G


def networkx_k_best(G, c, target, k, policy="block"):
    """First k non-dominated simple paths by networkx (same rule as sg.paths) and their probabilities."""
    start = P.start_probability(c)
    f = P.pass_factor(c, policy)
    ix = c.index
    out = []
    for p in nx.shortest_simple_paths(G, "SRC", target, weight="w"):
        people = p[1:]
        prob = start[ix[people[0]]]
        dominated = False
        for a, b in zip(people[:-1], people[1:]):
            prob *= c.contacts[ix[a], ix[b]] * f[ix[a]]
            if b != people[-1] and start[ix[b]] >= prob * (1 - 1e-12):
                dominated = True
                break
        if not dominated:
            out.append(prob)
            if len(out) == k:
                break
    return out


def main(sizes):
    for n in sizes:
        t = time.perf_counter()
        g = sg.datasets.synthetic_org(n, seed=1)
        t_build = time.perf_counter() - t
        t = time.perf_counter()
        c = g.compiled()
        t_compile = time.perf_counter() - t
        dm = g.decision_makers()[0]
        k = 5
        t_paths, res = timed(lambda: sg.paths(g, k=k), before=drop_cache(c))
        ours = [p.probability for p in res.paths]
        t_dis, dis = timed(lambda: sg.paths(g, k=k, disjoint=True), before=drop_cache(c))

        t = time.perf_counter()
        G = networkx_graph(c)
        t_nx_build = time.perf_counter() - t
        t_nx, ref = timed(lambda: networkx_k_best(G, c, dm, k), repeat=1 if n >= 100_000 else 3)
        agree = len(ref) == len(ours) and all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(ours, ref))

        t_tgt, tg = timed(lambda: sg.targets(g, k=k), before=drop_cache(c))
        g2 = sg.datasets.synthetic_org(n, seed=1)
        t = time.perf_counter()
        sg.targets(g2, k=k)
        t_tgt_all = time.perf_counter() - t

        # re-solving once per candidate (the way around the transposed solve)
        cands = tg.candidates
        one = g.copy()
        pid = tg.targets[0].id
        one.set_stance(pid, "ally")
        one.compiled()
        t_one, _ = timed(lambda: sg.propagate(one, "fj").committee_support, repeat=3)
        if n <= 1000:
            t = time.perf_counter()
            reach = P.best_routes(c, "block")[0]
            for j in [c.ids[r] for r in _candidates(c, reach)]:
                h = g.copy()
                h.set_stance(j, "ally")
                sg.propagate(h, "fj")
            t_resolve = time.perf_counter() - t
            how = "measured (incl. compiling each copy)"
        else:
            t_resolve = t_one * cands
            how = "extrapolated (propagate only, no compile)"

        print(f"n={n:>7}: synthetic_org {t_build:.2f}s, compile {t_compile:.2f}s", flush=True)
        print(f"  paths k=5 (cold)            {t_paths:8.3f} s   probabilities {[round(x, 4) for x in ours]}")
        print(
            f"  networkx k=5 (whole graph)  {t_nx:8.3f} s   (+ {t_nx_build:.2f} s to build the DiGraph); "
            f"same probabilities: {agree}"
        )
        print(f"  paths k=5 disjoint          {t_dis:8.3f} s   ({len(dis.paths)} node-disjoint paths)")
        best = [(x.id, round(x.expected_gain, 4)) for x in tg.targets]
        print(f"  targets k=5 fj (cold)       {t_tgt:8.3f} s   ({cands} candidates) {best}")
        print(f"  targets k=5 fj incl compile {t_tgt_all:8.3f} s")
        print(f"  re-solve per candidate      {t_resolve:8.3f} s   {how}; one re-solve {t_one:.4f} s")

        for model in ("ic", "lt"):
            runs = 256 if n <= 10_000 else 64
            t = time.perf_counter()
            lazy = sg.targets(g, k=k, model=model, runs=runs, seed=3)
            t_lazy = time.perf_counter() - t
            short = lazy.candidates
            greedy_count = 1 + sum(short - i for i in range(len(lazy.targets)))
            if n <= 1000:
                t = time.perf_counter()
                plain = sg.targets(g, k=k, model=model, runs=runs, seed=3, lazy=False)
                t_plain = time.perf_counter() - t
                plain_txt = (
                    f"plain greedy {plain.evaluations} evaluations {t_plain:.2f} s, "
                    f"same set: {plain.ids == lazy.ids}"
                )
            else:
                plain_txt = f"plain greedy would need {greedy_count} evaluations (~{t_lazy / lazy.evaluations * greedy_count:.1f} s)"
            print(
                f"  targets k=5 {model} CELF ({runs} runs) {t_lazy:7.3f} s   {lazy.evaluations} evaluations "
                f"(shortlist {short}); {plain_txt}"
            )
        print(flush=True)


if __name__ == "__main__":
    sizes = [int(x) for x in sys.argv[1:]] or [1_000, 10_000, 100_000]
    np.seterr(all="ignore")
    main(sizes)
