"""Benchmark sg.propagate (FJ, IC, LT) against ndlib and plain Python loops, in one run.

Usage::

    python benchmarks/bench_propagate.py                 # 1k, 10k, 100k people, 1,000 runs
    python benchmarks/bench_propagate.py --sizes 1000 10000 --budget 30

Graphs are ``sg.datasets.synthetic_org(n, seed=1)``. Every contender runs the
same workload on the same graph:

- FJ: stakegraph (``model="fj"``); a plain Python fixed-point loop over
  adjacency lists; ``scipy.sparse.linalg.spsolve`` of ``(I − ΛW) x = (I − Λ) x₀``
  (skipped above 10⁴ people: its fill-in takes minutes). ndlib has no
  Friedkin–Johnsen model.
- IC, 1,000 runs: our side spreading from the same seeds along the same
  directed edges with the same probabilities. stakegraph is timed with
  ``competition=False`` (the workload ndlib and the loop do) and, for
  reference, with ``competition=True`` (both sides at once, same-round
  tie-break). ndlib: ``IndependentCascadesModel`` with per-edge thresholds.
- LT, 1,000 runs: stakegraph ``model="lt"`` (weighted thresholds);
  a plain Python loop with the same weights and fresh uniform thresholds per
  run; ndlib's ``ThresholdModel`` (unweighted fraction of infected
  in-neighbours, thresholds redrawn each run): not the same rule, the same
  amount of work per round.

A peer too slow to finish within ``--budget`` seconds is timed on a sample of
runs and extrapolated linearly to all runs; the table marks it ``~`` and says
how many runs were timed. stakegraph times are medians of repeated calls on
the graph's cached compiled view (compiling is reported separately); ndlib's
graph and configuration are built outside its timing too.

ndlib is an optional benchmark dependency (``pip install 'stakegraph[bench]'``,
which brings ``six``, an undeclared dependency of ndlib).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import stakegraph as sg
from stakegraph.analysis.propagate import cascade_edges
from stakegraph.method import is_active_for_us


# ----------------------------------------------------------------------------- timing helpers
def median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def budgeted(run_one: Callable[[int], None], runs: int, budget: float) -> tuple[float, int]:
    """Time up to ``runs`` runs within ``budget`` seconds; returns (seconds for all runs, runs timed)."""
    t0 = time.perf_counter()
    done = 0
    while done < runs:
        run_one(done)
        done += 1
        if time.perf_counter() - t0 > budget:
            break
    spent = time.perf_counter() - t0
    return spent * runs / done, done


# ----------------------------------------------------------------------------- plain Python loops
def python_fj(c: Any, tol: float = 1e-10) -> list[float]:
    n = c.n
    W = c.W
    indptr, indices, data = W.indptr.tolist(), W.indices.tolist(), W.data.tolist()
    lonely = (np.diff(c.influence.indptr) == 0).tolist()
    lam = [0.0 if lonely[i] else float(c.openness[i]) for i in range(n)]
    x0 = [0.0 if v != v else float(v) for v in c.support.tolist()]
    x = list(x0)
    for _ in range(10_000):
        nx_ = [0.0] * n
        delta = 0.0
        for i in range(n):
            s = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                s += data[k] * x[indices[k]]
            v = lam[i] * s + (1.0 - lam[i]) * x0[i]
            d = abs(v - x[i])
            if d > delta:
                delta = d
            nx_[i] = v
        x = nx_
        if delta <= tol:
            break
    return x


def adjacency(edges: Any, n: int) -> list[list[tuple[int, float]]]:
    out: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u, v, p in zip(edges.src.tolist(), edges.dst.tolist(), edges.p.tolist()):
        out[u].append((v, p))
    return out


def python_ic_run(out: list[list[tuple[int, float]]], seeds: list[int], rnd: random.Random) -> int:
    active = bytearray(len(out))
    for s in seeds:
        active[s] = 1
    frontier = list(seeds)
    count = len(seeds)
    while frontier:
        nxt = []
        for u in frontier:
            for v, p in out[u]:
                if not active[v] and rnd.random() < p:
                    active[v] = 1
                    nxt.append(v)
        count += len(nxt)
        frontier = nxt
    return count


def python_lt_run(out: list[list[tuple[int, float]]], seeds: list[int], rnd: random.Random) -> int:
    n = len(out)
    theta = [rnd.random() for _ in range(n)]
    active = bytearray(n)
    pressure = [0.0] * n
    for s in seeds:
        active[s] = 1
    frontier = list(seeds)
    count = len(seeds)
    while frontier:
        touched = []
        for u in frontier:
            for v, b in out[u]:
                if not active[v]:
                    pressure[v] += b
                    touched.append(v)
        nxt = []
        for v in touched:
            if not active[v] and pressure[v] >= theta[v]:
                active[v] = 1
                nxt.append(v)
        count += len(nxt)
        frontier = nxt
    return count


# ----------------------------------------------------------------------------- ndlib
def ndlib_models(edges_ic: Any, edges_lt: Any, n: int, seeds: list[int]) -> tuple[Any, Any]:
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc
    import networkx as nx

    gi = nx.DiGraph()
    gi.add_nodes_from(range(n))
    gi.add_edges_from(zip(edges_ic.src.tolist(), edges_ic.dst.tolist()))
    ic = ep.IndependentCascadesModel(gi, seed=1)
    cfg = mc.Configuration()
    cfg.add_model_initial_configuration("Infected", seeds)
    for u, v, p in zip(edges_ic.src.tolist(), edges_ic.dst.tolist(), edges_ic.p.tolist()):
        cfg.add_edge_configuration("threshold", (u, v), p)
    ic.set_initial_status(cfg)

    gl = nx.DiGraph()
    gl.add_nodes_from(range(n))
    gl.add_edges_from(zip(edges_lt.src.tolist(), edges_lt.dst.tolist()))
    lt = ep.ThresholdModel(gl, seed=1)
    cfg2 = mc.Configuration()
    cfg2.add_model_initial_configuration("Infected", seeds)
    for i in range(n):
        cfg2.add_node_configuration("threshold", i, 0.5)
    lt.set_initial_status(cfg2)
    return ic, lt


def ndlib_ic_run(model: Any, seeds: list[int]) -> int:
    model.reset(seeds)
    while True:
        it = model.iteration(node_status=False)
        if it["iteration"] > 0 and it["node_count"].get(1, 0) == 0:
            return it["node_count"].get(2, 0)


def ndlib_lt_run(model: Any, seeds: list[int], rng: np.random.Generator) -> int:
    model.reset(seeds)
    model.params["nodes"]["threshold"] = dict(enumerate(rng.random(model.graph.number_of_nodes()).tolist()))
    last = -1
    while True:
        it = model.iteration(node_status=False)
        now = it["node_count"].get(1, 0)
        if it["iteration"] > 0 and now == last:
            return now
        last = now


# ----------------------------------------------------------------------------- main
def fmt(seconds: float | None, sampled: int | None = None, runs: int | None = None) -> str:
    if seconds is None:
        return "—"
    s = f"{seconds:.3g} s" if seconds >= 0.01 else f"{seconds * 1000:.3g} ms"
    if sampled is not None and runs is not None and sampled < runs:
        s = f"~{s} ({sampled} runs)"
    return s


def ratio(a: float | None, b: float) -> str:
    return "—" if a is None else f"{a / b:,.0f}×"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument(
        "--budget", type=float, default=150.0, help="seconds per peer measurement before sampling"
    )
    ap.add_argument("--no-ndlib", action="store_true")
    ap.add_argument("--json", help="write the numbers to this file")
    args = ap.parse_args(argv)
    have_ndlib = not args.no_ndlib
    if have_ndlib:
        try:
            import ndlib  # noqa: F401
        except ImportError:
            print("ndlib not installed (pip install 'stakegraph[bench]'); skipping it", file=sys.stderr)
            have_ndlib = False

    print(
        f"# sg.propagate benchmark — Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, {args.runs} runs"
    )
    rows = []
    for n in args.sizes:
        g = sg.datasets.synthetic_org(n, seed=1)
        t = time.perf_counter()
        c = g.compiled()
        t_compile = time.perf_counter() - t
        reps = 3 if n <= 10_000 else 1
        e_ic = cascade_edges(c, "ic")
        e_lt = cascade_edges(c, "lt")
        sup = np.nan_to_num(c.support, nan=0.0)
        seeds = np.flatnonzero(is_active_for_us(sup)).tolist()
        print(
            f"\n## {n:,} people ({c.influence.nnz:,} influence entries, {len(seeds)} seeds, "
            f"compile {t_compile:.3g} s)"
        )

        # --- FJ
        sg.propagate(g, model="fj")
        t_fj = median_time(lambda: sg.propagate(g, model="fj"), reps * 3)
        fj_iters = sg.propagate(g, model="fj").iterations
        t0 = time.perf_counter()
        ref = python_fj(c)
        t_pyfj = time.perf_counter() - t0
        ours = sg.propagate(g, model="fj").after
        assert np.nanmax(np.abs(np.asarray(ref) - np.nan_to_num(ours))) < 1e-8
        t_sps = None
        if n <= 10_000:
            lonely = np.diff(c.influence.indptr) == 0
            lam = np.where(lonely, 0.0, c.openness)
            A = sp.csc_array(sp.eye_array(n) - sp.diags_array(lam) @ c.W)
            b = (1 - lam) * np.nan_to_num(c.support)
            t0 = time.perf_counter()
            spla.spsolve(A, b)
            t_sps = time.perf_counter() - t0
        rows.append(dict(n=n, measure="FJ", ours=t_fj, ndlib=None, python=t_pyfj, other=t_sps))
        print(
            f"FJ ({fj_iters} iterations): stakegraph {fmt(t_fj)} | python loop {fmt(t_pyfj)} "
            f"({ratio(t_pyfj, t_fj)}) | scipy spsolve {fmt(t_sps)} ({ratio(t_sps, t_fj)}) | ndlib: no FJ model"
        )

        # --- IC / LT
        out_ic = adjacency(e_ic, n)
        out_lt = adjacency(e_lt, n)
        ic_model = lt_model = None
        if have_ndlib:
            ic_model, lt_model = ndlib_models(e_ic, e_lt, n, seeds)
        for model, out, run_py in (("ic", out_ic, python_ic_run), ("lt", out_lt, python_lt_run)):
            sg.propagate(g, model=model, runs=args.runs, seed=1, competition=False)
            t_ours = median_time(
                lambda: sg.propagate(g, model=model, runs=args.runs, seed=1, competition=False), reps
            )
            t_comp = median_time(
                lambda: sg.propagate(g, model=model, runs=args.runs, seed=1, competition=True), reps
            )
            rnd = random.Random(1)
            t_py, k_py = budgeted(lambda i: run_py(out, seeds, rnd), args.runs, args.budget)
            t_nd = k_nd = None
            if have_ndlib:
                if model == "ic":
                    t_nd, k_nd = budgeted(lambda i: ndlib_ic_run(ic_model, seeds), args.runs, args.budget)
                else:
                    nrng = np.random.default_rng(1)
                    t_nd, k_nd = budgeted(
                        lambda i: ndlib_lt_run(lt_model, seeds, nrng), args.runs, args.budget
                    )
            rows.append(
                dict(
                    n=n,
                    measure=model.upper(),
                    ours=t_ours,
                    ours_competition=t_comp,
                    ndlib=t_nd,
                    ndlib_runs_timed=k_nd,
                    python=t_py,
                    python_runs_timed=k_py,
                )
            )
            print(
                f"{model.upper()} ({args.runs} runs): stakegraph {fmt(t_ours)} (with competition {fmt(t_comp)}) | "
                f"ndlib {fmt(t_nd, k_nd, args.runs)} ({ratio(t_nd, t_ours)}) | "
                f"python loop {fmt(t_py, k_py, args.runs)} ({ratio(t_py, t_ours)})"
            )
        del ic_model, lt_model, out_ic, out_lt

    print(
        "\n| measure | people | stakegraph | with competition | ndlib | plain Python loop | ndlib / ours | "
        "loop / ours | other |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        other = f"spsolve {fmt(r['other'])} ({ratio(r['other'], r['ours'])})" if r.get("other") else ""
        nd = "no FJ model" if r["measure"] == "FJ" else fmt(r["ndlib"], r.get("ndlib_runs_timed"), args.runs)
        print(
            f"| {r['measure']} | {r['n']:,} | {fmt(r['ours'])} | {fmt(r.get('ours_competition'))} | {nd} | "
            f"{fmt(r['python'], r.get('python_runs_timed'), args.runs)} | {ratio(r['ndlib'], r['ours'])} | "
            f"{ratio(r['python'], r['ours'])} | {other} |"
        )
    print("\n~ = timed on the number of runs shown and extrapolated linearly to all runs.")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
