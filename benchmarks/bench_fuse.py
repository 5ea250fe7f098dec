"""Time the fusion of informants' reports against the reference implementations, in the same run.

Butts' network accuracy model (``sg.fuse(ties="bayes")``) on Krackhardt's
cognitive social structure: the 21 managers' perceptions of the whole advice
network (21 x 21 x 21 reports), 5 chains of 1,500 draws after 500 discarded,
against ``sna::bbnam`` (the model's author's R implementation, run through
``Rscript`` when R and the sna package are installed: ``apt install
r-cran-sna``) with the same priors. CPU seconds, and how far the two posterior
tie probabilities differ.

Uncertainty through the analyses: committee support (``sg.support_spread``)
and key people (``sg.rank`` on beliefs) over 200 drawn accounts, batched,
against the same analysis run on each account :meth:`Beliefs.sample` builds
(and, for key people, python-igraph's PageRank and betweenness on each
account, built beforehand).

Dawid-Skene (``stances="dawid_skene"``, through :func:`stakegraph.analysis.fuse.dawid_skene`)
on seeded synthetic labels, against crowd-kit's ``DawidSkene``, 100 EM
iterations each.

Usage::

    python benchmarks/bench_fuse.py
    python benchmarks/bench_fuse.py --repeats 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import stakegraph as sg
from stakegraph.analysis.fuse import dawid_skene

R_SCRIPT = r"""
suppressMessages(library(sna))
x <- as.matrix(read.csv("{csv}", header = FALSE))
d <- array(x, dim = c(21, 21, 21))  # d[k, i, j]: perceiver k says i goes to j for advice
t <- system.time(b <- bbnam(d, model = "actor", nprior = 0.5, emprior = c(1, 4), epprior = c(1, 9),
                            diag = FALSE, mode = "digraph", reps = 5, draws = {draws}, burntime = 500,
                            quiet = TRUE, compute.sqrtrhat = FALSE))
cat(t[["user.self"]] + t[["sys.self"]], "\n")
m <- apply(b$net, c(2, 3), mean)
write.table(m, "{out}", sep = ",", row.names = FALSE, col.names = FALSE)
"""


def _timed(fn, repeats: int, clock=time.process_time) -> tuple[float, object]:
    """Median time of ``repeats`` runs after one warm-up (imports, first-call set-up, numba's cache)."""
    fn()
    times, out = [], None
    for _ in range(repeats):
        t = clock()
        out = fn()
        times.append(clock() - t)
    return statistics.median(times), out


def _cpu(fn, repeats: int) -> tuple[float, object]:
    return _timed(fn, repeats)


def _wall(fn, repeats: int) -> tuple[float, object]:
    return _timed(fn, repeats, time.perf_counter)  # wall time: brokerage runs on every core


def _advice_only() -> sg.StakeholderGraph:
    g = sg.datasets.load("krackhardt_css")
    keep = [o.to_record() for o in g.observations if o.value is sg.TieKind.ADVISES]
    return sg.StakeholderGraph.from_records(
        [dict(p.to_record(), id=p.id) for p in g.people.values()], observations=keep
    )


def _bbnam(g: sg.StakeholderGraph, draws: int) -> tuple[float, np.ndarray] | None:
    if shutil.which("Rscript") is None:
        return None
    ids = [str(i) for i in range(1, 22)]
    pos = {p: i for i, p in enumerate(ids)}
    d = np.zeros((21, 21, 21))
    for o in g.observations:
        if o.present:  # an advises tie advisor -> asker: the data's arc asker -> advisor
            d[pos[o.informant], pos[o.target], pos[o.subject]] = 1
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        out = Path(tmp) / "m.csv"
        np.savetxt(csv, d.reshape(21, -1, order="F"), fmt="%d", delimiter=",")
        script = R_SCRIPT.format(csv=csv, out=out, draws=draws)
        r = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
        if r.returncode != 0:
            print(
                f"(sna::bbnam could not run: {r.stderr.strip().splitlines()[-1] if r.stderr else r.returncode})"
            )
            return None
        seconds = float(r.stdout.split()[0])
        m = np.loadtxt(out, delimiter=",")
    return seconds, m


def _reported(n: int) -> tuple[sg.Beliefs, int]:
    """A synthetic organisation of ``n`` people with random tie and stance reports, fused; and the reports."""
    g = sg.datasets.synthetic_org(n, seed=2)
    rng = np.random.default_rng(n)
    ids = [p for p in g.people if g.person(p).org is sg.Org.CUSTOMER]
    records = []
    for _ in range(n // 5):
        a, b = rng.choice(ids, size=2, replace=False)
        for who in ("coach", "partner"):
            records.append(
                {
                    "informant": who,
                    "about": "tie",
                    "subject": str(a),
                    "target": str(b),
                    "value": "advises",
                    "present": bool(rng.random() < 0.6),
                }
            )
    for pid in rng.choice(ids, size=n // 20, replace=False):
        for who in ("coach", "partner", "rep"):
            records.append(
                {
                    "informant": who,
                    "about": "stance",
                    "subject": str(pid),
                    "value": str(rng.choice(["ally", "neutral", "skeptic"])),
                }
            )
    h = sg.StakeholderGraph.from_records(
        [dict(p.to_record(), id=p.id) for p in g.people.values()],
        [t.to_record() for t in g.ties],
        observations=records,
    )
    return sg.fuse(h, ties="consensus", stances="majority"), len(records)


def _spread(repeats: int) -> None:
    """Support over 200 drawn accounts: one batched Friedkin-Johnsen solve against one solve per account."""
    print(
        "| committee support over 200 drawn accounts | people | reports | batched `support_spread` "
        "| `sample()` + `propagate` each | ratio | `propagate` each on built accounts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in (1_000, 10_000):
        beliefs, reports = _reported(n)
        batched, _ = _cpu(lambda b=beliefs: sg.support_spread(b, samples=200, seed=0), repeats)
        looped, _ = _cpu(lambda b=beliefs: [sg.propagate(x, model="fj") for x in b.sample(200, seed=0)], 1)
        graphs = beliefs.sample(200, seed=0)
        solve_only, _ = _cpu(lambda gs=graphs: [sg.propagate(x, model="fj") for x in gs], 1)
        print(
            f"| | {n:,} | {reports:,} | {batched:.2f} s | {looped:.2f} s | {looped / batched:.1f}x "
            f"| {solve_only:.2f} s |"
        )


def _igraph_scores(graphs: list[sg.StakeholderGraph]):
    """PageRank and weighted betweenness of every account with python-igraph (graphs built beforehand)."""
    import igraph as ig

    built = []
    for h in graphs:
        c = h.compiled()
        lis = c.influence.tocoo()
        keep = lis.data > 0
        pr = ig.Graph(n=c.n, edges=list(zip(lis.col[keep].tolist(), lis.row[keep].tolist())), directed=True)
        inf = c.informal.tocoo()
        bt = ig.Graph(n=c.n, edges=list(zip(inf.row.tolist(), inf.col.tolist())), directed=True)
        built.append((pr, lis.data[keep].tolist(), bt, (1.0 / inf.data).tolist()))

    def run():
        return [(a.pagerank(weights=wa), b.betweenness(weights=wb)) for a, wa, b, wb in built]

    return run


def _rank_spread(repeats: int) -> None:
    """Key people over 200 drawn accounts: the batched ranking against one ranking per account."""
    print(
        "| key people over 200 drawn accounts (wall seconds) | people | distinct accounts "
        "| `sg.rank(beliefs, samples=200)` | `sample()` + `sg.rank` each | ratio "
        "| exact brokerage in every draw | igraph PageRank + exact betweenness each, accounts built |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in (200, 1_000):
        beliefs, _ = _reported(n)
        batched, r = _wall(lambda b=beliefs: sg.rank(b, samples=200, seed=0), repeats)
        looped, _ = _wall(lambda b=beliefs: [sg.rank(x, exact_max=500) for x in b.sample(200, seed=0)], 1)
        exact, _ = _wall(lambda b=beliefs: sg.rank(b, samples=200, seed=0, exact_max=n), 1)
        try:
            peer, _ = _wall(_igraph_scores(beliefs.sample(200, seed=0)), 1)
            peer_text = f"{peer:.2f} s"
        except ImportError:
            peer_text = "not installed"
        distinct = len({tuple(row) for row in np.asarray(r.power_draws).round(9)})
        print(
            f"| | {n:,} | {distinct} | {batched:.2f} s | {looped:.2f} s | {looped / batched:.1f}x "
            f"| {exact:.2f} s | {peer_text} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--save-reference",
        metavar="CSV",
        help="write bbnam's posterior tie probabilities (asker, advisor, probability) to this file",
    )
    args = ap.parse_args()
    g = _advice_only()
    ours_s, beliefs = _cpu(
        lambda: sg.fuse(g, ties="bayes", stances="majority", chains=5, draws=1500, burn=500, seed=1),
        args.repeats,
    )
    assert isinstance(beliefs, sg.Beliefs)
    ids = [str(i) for i in range(1, 22)]
    pos = {p: i for i, p in enumerate(ids)}
    ours_m = np.zeros((21, 21))
    for (s, t, _k), p in beliefs.tie_probability.items():
        ours_m[pos[t], pos[s]] = p  # asker -> advisor, as bbnam's matrix
    print(
        "| Butts' model, Krackhardt advice (21 x 21 x 21 reports), 5 chains x 1,500 draws | CPU seconds | ratio |"
    )
    print("|---|---:|---:|")
    print(f"| stakegraph `fuse(ties='bayes')` | {ours_s:.3f} | 1 |")
    ref = _bbnam(g, 5 * 1500)
    if ref is None:
        print("| sna::bbnam (R) | not installed (apt install r-cran-sna) | — |")
    else:
        secs, m = ref
        if args.save_reference:
            with open(args.save_reference, "w", encoding="utf-8") as fh:
                fh.write(
                    "# sna::bbnam posterior (model='actor', nprior=0.5, emprior=c(1,4), epprior=c(1,9), "
                    "5 chains x 1500 draws, burntime 500) on Krackhardt's advice perceptions; "
                    "written by benchmarks/bench_fuse.py --save-reference\n"
                )
                fh.write("asker,advisor,probability\n")
                for i in range(21):
                    for j in range(21):
                        if i != j:
                            fh.write(f"{ids[i]},{ids[j]},{m[i, j]:.4f}\n")
        off = ~np.eye(21, dtype=bool)
        diff = np.abs(m - ours_m)[off]
        print(f"| sna::bbnam (R) | {secs:.2f} | {secs / ours_s:.0f}x slower |")
        print()
        print(
            f"Posterior tie probabilities: mean |difference| {diff.mean():.3f}, max {diff.max():.3f}; "
            f"ties above 0.5: {int((ours_m[off] >= 0.5).sum())} (stakegraph), {int((m[off] >= 0.5).sum())} (bbnam)."
        )
    print()
    _spread(args.repeats)
    print()
    _rank_spread(args.repeats)
    print()
    try:
        import pandas as pd
        from crowdkit.aggregation import DawidSkene
    except ImportError:
        print("(crowd-kit is not installed: pip install crowd-kit)")
        return
    print(
        "| Dawid-Skene, 100 EM iterations | tasks | workers | labels | stakegraph | crowd-kit | ratio | max diff |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for tasks, workers in ((1_000, 10), (10_000, 10)):
        rng = np.random.default_rng(tasks)
        classes = 6
        truth = rng.integers(classes, size=tasks)
        conf = rng.dirichlet(np.ones(classes), size=(workers, classes)) + np.eye(classes) * 2
        conf /= conf.sum(axis=2, keepdims=True)
        t = np.repeat(np.arange(tasks), workers)
        w = np.tile(np.arange(workers), tasks)
        lab = np.array([rng.choice(classes, p=conf[wi, truth[ti]]) for ti, wi in zip(t, w)])
        df = pd.DataFrame({"task": t, "worker": w, "label": lab})
        ours_t, P = _cpu(
            lambda: dawid_skene(t, w, lab, np.ones(len(t)), tasks, workers, classes, tol=0.0)[0], 1
        )
        theirs_t, Q = _cpu(lambda: DawidSkene(n_iter=100, tol=-1.0).fit_predict_proba(df).sort_index(), 1)
        diff = float(np.abs(np.asarray(P)[:, [int(c) for c in Q.columns]] - Q.to_numpy()).max())
        print(
            f"| | {tasks:,} | {workers} | {len(t):,} | {ours_t:.2f} s | {theirs_t:.2f} s | "
            f"{theirs_t / ours_t:.1f}x | {diff:.1e} |"
        )


if __name__ == "__main__":
    main()
