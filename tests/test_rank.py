"""sg.rank: each score against an independent reference (networkx, a dense solve, exact path
enumeration, the Krackhardt reference numbers, hand-worked cases), the blend, the hidden-influencer
rule, properties, and the result object."""

from __future__ import annotations

import itertools
import json
import math
import os
from collections import defaultdict
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph.analysis._centrality import betweenness, jit_available, pagerank, social_power
from stakegraph.analysis.rank import DEFAULT_WEIGHTS, hidden_rule
from strategies import graphs

KRACKHARDT_CITATION = (
    "Krackhardt, D. (1987). Cognitive social structures. Social Networks, 9(2), 109-134. "
    "doi:10.1016/0378-8733(87)90009-8 (data: Wasserman & Faust 1994, via Batagelj's Pajek collection)"
)


# ----------------------------------------------------------------------------- independent references
def customers(g):
    return [p.id for p in g.people.values() if p.org.value == "customer"]


def listening_graph(g):
    """Who listens to whom among customer people, built straight from the ties and the model's kind weights."""
    w = defaultdict(float)
    for t in g.ties:
        on_target, on_source = g.model.kind_weights[t.kind.value]
        w[(t.target, t.source)] += on_target * t.strength  # the target listens to the source
        w[(t.source, t.target)] += on_source * t.strength
    cust = customers(g)
    keep = set(cust)
    G = nx.DiGraph()
    G.add_nodes_from(cust)
    for (i, j), v in w.items():
        if v > 0 and i in keep and j in keep:
            G.add_edge(i, j, weight=v)
    return G


def informal_graph(g):
    """advises/influences source -> target and friend both ways; the strongest strength per arc; cost 1/strength."""
    best = {}
    for t in g.ties:
        k = t.kind.value
        arcs = (
            [(t.source, t.target)]
            if k in ("advises", "influences")
            else [(t.source, t.target), (t.target, t.source)]
            if k == "friend"
            else []
        )
        for a in arcs:
            best[a] = max(best.get(a, 0.0), t.strength)
    G = nx.DiGraph()
    G.add_nodes_from(g.people)
    for (a, b), s in best.items():
        G.add_edge(a, b, cost=1.0 / s, strength=s)
    return G


def graph(people, ties=(), **kw):
    g = sg.StakeholderGraph(**kw)
    for p in people:
        if isinstance(p, str):
            g.add_person(p)
        else:
            pid, fields = p
            g.add_person(pid, **fields)
    for t in ties:
        g.add_tie(*t)
    return g


def random_graph(
    seed,
    n=12,
    m=30,
    strengths=(0.5, 1.0, 0.8, 0.4),
    kinds=("advises", "influences", "friend", "rival", "knows", "dotted_line"),
):
    rng = np.random.default_rng(seed)
    g = sg.StakeholderGraph()
    roles = ["decision_maker", "approver", "evaluator", "user", "coach"]
    for i in range(n):
        fields = {}
        if rng.random() < 0.4:
            fields["roles"] = [roles[rng.integers(len(roles))]]
        if rng.random() < 0.15:
            fields["org"] = ["us", "partner", "competitor"][rng.integers(3)]
        fields["stance"] = ["ally", "neutral", "skeptic", "unknown"][rng.integers(4)]
        g.add_person(f"p{i:02d}", **fields)
    ids = list(g.people)
    for i in range(1, n):
        if rng.random() < 0.6:
            g.add_tie(ids[i], ids[rng.integers(i)], "reports_to", float(rng.choice(strengths)))
    for _ in range(m):
        a, b = rng.choice(n, 2, replace=False)
        try:
            g.add_tie(ids[a], ids[b], kinds[rng.integers(len(kinds))], float(rng.choice(strengths)))
        except sg.ValidationError:
            pass  # a tie of that kind exists already
    return g


# ----------------------------------------------------------------------------- influence (PageRank)
@pytest.mark.parametrize("seed", range(8))
def test_pagerank_kernel_matches_networkx_with_dangling_nodes(seed):
    rng = np.random.default_rng(seed)
    n = 25
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.12)
    np.fill_diagonal(A, 0)
    A[rng.choice(n, 5, replace=False)] = 0  # dangling rows
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from((i, j, A[i, j]) for i, j in zip(*np.nonzero(A)))
    ref = nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-14)
    x, it = pagerank(sp.csr_array(A), damping=0.85, tol=1e-13, max_iter=10_000)
    assert it > 1
    assert np.allclose(x, [ref[i] for i in range(n)], atol=1e-10)
    assert x.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(6))
def test_influence_matches_networkx_on_the_weighted_listening_layer(seed):
    g = random_graph(seed)
    r = sg.rank(g, tol=1e-13)
    ref = nx.pagerank(listening_graph(g), alpha=g.model.damping, weight="weight", tol=1e-12)
    assert set(r.ids) == set(customers(g))
    for pid, x in ref.items():
        assert r[pid].influence == pytest.approx(x, abs=1e-9)


def test_influence_raises_the_person_listened_to():
    # a advises b: b listens to a, so a gains
    g = graph(["a", "b", "c"], [("a", "b", "advises"), ("a", "c", "advises")])
    r = sg.rank(g)
    assert r["a"].influence > r["b"].influence == pytest.approx(r["c"].influence)
    # hand-worked: b and c give all their rank to a; a dangles (spreads uniformly)
    # x_b = x_c = (1-d)/3 + d*x_a/3 ; x_a = (1-d)/3 + d*x_a/3 + d*(x_b + x_c)
    d = 0.85
    M = np.array([[1 - d / 3, -d, -d], [-d / 3, 1, 0], [-d / 3, 0, 1]])
    xa, xb, xc = np.linalg.solve(M, np.full(3, (1 - d) / 3))
    assert (r["a"].influence, r["b"].influence) == (pytest.approx(xa, abs=1e-9), pytest.approx(xb, abs=1e-9))


def test_damping_comes_from_the_influence_model_and_can_be_overridden():
    g = random_graph(3)
    ref = nx.pagerank(listening_graph(g), alpha=0.6, weight="weight", tol=1e-12)
    g.model = sg.InfluenceModel(damping=0.6)
    r = sg.rank(g, tol=1e-13)
    assert all(r[p].influence == pytest.approx(x, abs=1e-9) for p, x in ref.items())
    r2 = sg.rank(g, damping=0.6, influence=sg.InfluenceModel(), tol=1e-13)
    assert all(r2[p].influence == pytest.approx(x, abs=1e-9) for p, x in ref.items())


def test_tolerance_is_fixed_not_scaled_and_iterations_are_reported():
    g = sg.datasets.synthetic_org(2000, seed=2)
    r = sg.rank(g, tol=1e-10, exact_max=0, pivots=4)
    # networkx multiplies tol by N; ours stops on the plain L1 change, so it needs many iterations
    assert r.iterations["influence"] > 50
    ref = nx.pagerank(listening_graph(g), alpha=0.85, weight="weight", tol=1e-14)
    worst = max(abs(r[p].influence - x) for p, x in ref.items())
    assert worst < 1e-9


# ----------------------------------------------------------------------------- Krackhardt (real data)
@pytest.fixture(scope="module")
def krackhardt():
    # Data: KRACKHARDT_CITATION. advises ties point advisor -> the manager who asks.
    return sg.datasets.load("krackhardt")


def test_krackhardt_advice_pagerank_reference_numbers(krackhardt):
    g = krackhardt
    advice = sg.StakeholderGraph(list(g.people.values()), [t for t in g.ties if t.kind.value == "advises"])
    r = sg.rank(advice, tol=1e-13)
    # reference (data README, networkx 3.6.1, alpha 0.85, seeker -> advisor): 21 > 7 > 2
    assert [round(r[p].influence, 4) for p in ("21", "7", "2")] == [0.1638, 0.1040, 0.0939]
    informal_order = sorted(r.ids, key=lambda p: -r[p].influence)
    assert informal_order[:3] == ["21", "7", "2"]
    # reference: directed normalised betweenness on advice: 18 (0.234) > 21 (0.158) > 7 (0.073)
    assert [round(r[p].brokerage, 3) for p in ("18", "21", "7")] == [0.234, 0.158, 0.073]


def test_krackhardt_influence_matches_networkx_on_all_layers(krackhardt):
    r = sg.rank(krackhardt, tol=1e-13)
    ref = nx.pagerank(listening_graph(krackhardt), alpha=0.85, weight="weight", tol=1e-12)
    assert len(ref) == 21
    for pid, x in ref.items():
        assert r[pid].influence == pytest.approx(x, abs=1e-9)
    bref = nx.betweenness_centrality(informal_graph(krackhardt), weight="cost", normalized=True)
    for pid, b in bref.items():
        assert r[pid].brokerage == pytest.approx(b, abs=1e-12)


def test_krackhardt_hidden_influencers_are_managers_central_in_advice(krackhardt):
    g = krackhardt
    r = sg.rank(g)
    # independent formal rank: base power 0.1 x 0.8**level x (1 + below / (below + 10))
    chart = nx.DiGraph((t.target, t.source) for t in g.ties if t.kind.value == "reports_to")
    levels = g.levels()
    below = {p: len(nx.descendants(chart, p)) if p in chart else 0 for p in g.people}
    authority = {p: 0.1 * 0.8 ** levels[p] * (1 + below[p] / (below[p] + 10)) for p in g.people}
    infl = nx.pagerank(listening_graph(g), alpha=0.85, weight="weight", tol=1e-12)
    from scipy.stats import rankdata

    ids = sorted(g.people)
    formal = rankdata([-round(authority[p], 12) for p in ids], method="average")
    informal = rankdata([-round(infl[p], 12) for p in ids], method="average")
    expected = {p for p, f, i in zip(ids, formal, informal) if i <= 10.5 and f - i >= 0.25 * 21}
    got = {row.id for row in r.hidden_influencers()}
    assert got == expected
    assert got and all(levels[p] == 2 for p in got)  # managers, the bottom of the chart
    # and they stand out in words
    text = r.explain(sorted(got)[0])
    assert "Hidden influencer" in text and "level 2" in text


# ----------------------------------------------------------------------------- brokerage (betweenness)
@pytest.fixture(scope="module", params=["numpy", "numba"])
def engine(request):
    """Each kernel test runs on the numpy kernel and on the compiled one.

    Without numba the compiled runs are skipped, except under CI (``CI`` set),
    where they fail so the compiled kernel cannot drop out of testing unseen.
    """
    if request.param == "numba" and not jit_available():
        if os.environ.get("CI"):
            pytest.fail("the compiled kernel cannot run in CI: numba is missing or STAKEGRAPH_JIT=0")
        pytest.skip("numba not installed (pip install '.[fast]')")
    return request.param


def _nx_bc(A, sources=None):
    G = nx.DiGraph()
    G.add_nodes_from(range(A.shape[0]))
    coo = sp.coo_array(A)
    G.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    if sources is None:
        ref = nx.betweenness_centrality(G, weight="weight", normalized=False)
    else:
        ref = nx.betweenness_centrality_subset(G, sources, list(G), weight="weight", normalized=False)
    return np.array([ref[i] for i in range(A.shape[0])])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 14),
    st.lists(
        st.tuples(st.integers(0, 13), st.integers(0, 13), st.sampled_from([1.0, 2.0, 1.25, 2.5, 0.5, 4.0])),
        max_size=45,
    ),
)
def test_betweenness_counts_tied_paths_like_networkx(engine, n, arcs):
    A = np.zeros((n, n))
    for a, b, w in arcs:
        if a < n and b < n and a != b:
            A[a, b] = w  # costs whose sums are exact in binary floating point: ties are exact
    ours = betweenness(sp.csr_array(A), engine=engine)
    assert np.allclose(ours, _nx_bc(A), atol=1e-9)


@pytest.mark.parametrize("shape", [(6, 6), (4, 9)])
def test_betweenness_on_grids_full_of_equal_paths(engine, shape):
    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(*shape).to_directed())
    n = G.number_of_nodes()
    A = nx.to_scipy_sparse_array(G, nodelist=range(n), weight=None, format="csr").astype(float)
    ours = betweenness(A, engine=engine)
    ref = nx.betweenness_centrality(G, normalized=False)
    assert np.allclose(ours, [ref[i] for i in range(n)], atol=1e-8)
    assert ours.max() > 10  # many paths tie on a grid


def _exact_betweenness(n, arcs):
    """Enumerate every simple path with exact rational costs (tiny graphs only)."""
    succ = defaultdict(list)
    for a, b, c in arcs:
        succ[a].append((b, c))
    out = [Fraction(0)] * n
    for s in range(n):
        paths = defaultdict(list)  # target -> [(cost, inner nodes)]

        def walk(u, cost, seen):
            for v, c in succ[u]:
                if v not in seen:
                    paths[v].append((cost + c, seen[1:]))
                    walk(v, cost + c, seen + (v,))

        walk(s, Fraction(0), (s,))
        for t, ps in paths.items():
            if t == s:
                continue
            best = min(c for c, _ in ps)
            short = [inner for c, inner in ps if c == best]
            for inner in short:
                for v in inner:
                    out[v] += Fraction(1, len(short))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_betweenness_counts_ties_only_equal_up_to_rounding(engine, seed):
    # 1/0.05 + 1/0.3 equals 1/0.06 + 1/0.15 exactly, not in floating point; 1/0.6 + 1/0.6 = 1/0.3
    rng = np.random.default_rng(seed)
    n = 7
    S = [Fraction(5, 100), Fraction(3, 10), Fraction(6, 100), Fraction(15, 100), Fraction(6, 10), Fraction(1)]
    arcs = {}
    for _ in range(16):
        a, b = rng.choice(n, 2, replace=False)
        arcs[(int(a), int(b))] = S[rng.integers(len(S))]
    A = np.zeros((n, n))
    exact_arcs = []
    for (a, b), s in arcs.items():
        A[a, b] = 1.0 / float(s)
        exact_arcs.append((a, b, 1 / s))
    ref = _exact_betweenness(n, exact_arcs)
    assert np.allclose(betweenness(sp.csr_array(A), engine=engine), [float(x) for x in ref], atol=1e-9)


def test_a_rounding_tie_is_counted(engine):
    # two routes 0 -> 2 of equal cost 1/0.05 + 1/0.3 = 1/0.06 + 1/0.15 = 70/3, unequal in floating point
    A = np.zeros((4, 4))
    A[0, 1], A[1, 2] = 1 / 0.05, 1 / 0.3
    A[0, 3], A[3, 2] = 1 / 0.06, 1 / 0.15
    assert A[0, 1] + A[1, 2] != A[0, 3] + A[3, 2]
    b = betweenness(sp.csr_array(A), engine=engine)
    assert b[1] == pytest.approx(0.5) and b[3] == pytest.approx(0.5)
    # networkx compares costs exactly and credits one route only
    ref = _nx_bc(A)
    assert sorted([ref[1], ref[3]]) == [0.0, 1.0]


def test_shortest_path_arcs_never_touch_unreachable_people(monkeypatch):
    # two separate groups: from a source in one, the other is unreachable and must bring no arc along
    import stakegraph.analysis._centrality as C

    seen = []
    real = C._levels

    def spy(flat, tails, heads, *args):
        seen.append((not np.isfinite(flat[tails]).all() or not np.isfinite(flat[heads]).all(), len(tails)))
        return real(flat, tails, heads, *args)

    monkeypatch.setattr(C, "_levels", spy)
    A = np.zeros((8, 8))
    for a, b in [(0, 1), (1, 2), (2, 3), (4, 5), (5, 6), (6, 7), (7, 4)]:
        A[a, b] = 1.0
    b = C.betweenness(sp.csr_array(A), engine="numpy")
    assert seen and not any(bad for bad, _ in seen)
    assert np.allclose(b, _nx_bc(A))


def test_betweenness_from_sources_matches_networkx_subset(engine):
    rng = np.random.default_rng(5)
    n = 30
    A = rng.choice([0.0, 1.0, 1.25, 2.0], size=(n, n), p=[0.85, 0.05, 0.05, 0.05])
    np.fill_diagonal(A, 0)
    S = [1, 4, 9, 17, 29]
    assert np.allclose(betweenness(sp.csr_array(A), np.array(S), engine=engine), _nx_bc(A, S), atol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_on_random_weighted_graphs_like_networkx(engine, seed):
    # continuous costs (no ties), sources with and without arcs, unreachable parts
    rng = np.random.default_rng(seed)
    n = 60
    A = np.where(rng.random((n, n)) < 0.06, rng.uniform(0.2, 3.0, (n, n)), 0.0)
    np.fill_diagonal(A, 0)
    A[:, :5] = 0.0  # five people no one reaches
    S = np.sort(rng.choice(n, 20, replace=False))
    assert np.allclose(betweenness(sp.csr_array(A), engine=engine), _nx_bc(A), atol=1e-9)
    assert np.allclose(betweenness(sp.csr_array(A), S, engine=engine), _nx_bc(A, S.tolist()), atol=1e-9)
    if engine == "numba":  # the 64-bit build, which graphs beyond 2**31 ties use
        from stakegraph.analysis._jit import brandes

        C, out = sp.csr_array(A), np.zeros(n)
        assert brandes(C.indptr.astype(np.int64), C.indices.astype(np.int64), C.data, S, 1e-9, out)
        assert np.allclose(out, _nx_bc(A, S.tolist()), atol=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_compiled_kernel_hands_over_when_costs_are_too_spread(engine, seed):
    # arcs of cost 1e-3 next to arcs of cost 1e3: relative tolerance times the longest path exceeds the
    # compiled kernel's bucket margin, so it declines and the numpy kernel answers; exact enumeration
    # with rational costs is the reference
    from stakegraph.analysis._jit import brandes

    rng = np.random.default_rng(seed)
    n = 8
    costs = [Fraction(1, 1000), Fraction(1), Fraction(1000)]
    arcs = {}
    for _ in range(18):
        a, b = rng.choice(n, 2, replace=False)
        arcs[(int(a), int(b))] = costs[rng.integers(3)]
    arcs[(0, 1)], arcs[(1, 2)] = Fraction(1000), Fraction(1, 1000)
    A = np.zeros((n, n))
    for (a, b), c in arcs.items():
        A[a, b] = float(c)
    C = sp.csr_array(A)
    if engine == "numba":
        out = np.zeros(n)
        ok = brandes(
            C.indptr.astype(np.int32),
            C.indices.astype(np.int32),
            C.data.astype(float),
            np.arange(n, dtype=np.int64),
            1e-9,
            out,
        )
        assert not ok
    ref = _exact_betweenness(n, [(a, b, c) for (a, b), c in arcs.items()])
    assert np.allclose(betweenness(C, engine=engine), [float(x) for x in ref], atol=1e-9)


def test_auto_engine_switches_on_size_and_can_be_switched_off(monkeypatch):
    import stakegraph.analysis._centrality as C

    monkeypatch.setenv("STAKEGRAPH_JIT", "0")
    assert not C.jit_available()
    monkeypatch.setenv("STAKEGRAPH_JIT", "1")
    assert C.jit_available() == (C._import_jit() is not None)
    with pytest.raises(ValueError, match="engine must be"):
        C.betweenness(sp.csr_array(np.ones((2, 2))), engine="fast")
    if C._import_jit() is None:
        with pytest.raises(ModuleNotFoundError, match=r"stakegraph\[fast\]"):
            C.betweenness(sp.csr_array(np.ones((2, 2))), engine="numba")
        return
    calls = []
    real = C._import_jit()
    monkeypatch.setattr(C, "_import_jit", lambda: lambda *a: calls.append(1) or real(*a))
    A = sp.csr_array(np.array([[0, 1.0, 0], [0, 0, 1.0], [1.0, 0, 0]]))
    small = C.betweenness(A)
    assert calls == []  # below JIT_MIN_WORK: numpy
    monkeypatch.setattr(C, "JIT_MIN_WORK", 1)
    assert np.allclose(C.betweenness(A), small) and calls == [1]
    monkeypatch.setenv("STAKEGRAPH_JIT", "0")
    C.betweenness(A)
    assert calls == [1]


def test_numba_that_cannot_load_warns_and_leaves_numpy(monkeypatch):
    import sys

    import stakegraph.analysis._centrality as C

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("cannot cache function 'brandes': no locator available")

    A = sp.csr_array(np.array([[0, 1.0, 1.0, 0], [0, 0, 0, 1.0], [0, 0, 0, 1.0], [0, 0, 0, 0]]))
    monkeypatch.setitem(sys.modules, "stakegraph.analysis._jit", Broken())
    C._import_jit.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="no locator available"):
            assert not C.jit_available()
        monkeypatch.setattr(C, "JIT_MIN_WORK", 1)
        assert C.betweenness(A).tolist() == [0.0, 0.5, 0.5, 0.0]
    finally:
        C._import_jit.cache_clear()


def test_sampled_brokerage_of_a_large_organisation_agrees_across_kernels_and_with_igraph():
    # 2,500 people: sampled pivots, and enough work for the compiled kernel under engine="auto"
    ig = pytest.importorskip("igraph")
    from stakegraph.analysis._centrality import JIT_MIN_WORK

    g = sg.datasets.synthetic_org(2500, seed=4)
    c = g.compiled()
    cost = sp.csr_array(c.informal, copy=True)
    cost.data = 1.0 / cost.data
    S = np.sort(np.random.default_rng(4).choice(c.n, size=256, replace=False))
    assert len(S) * cost.nnz >= JIT_MIN_WORK
    coo = cost.tocoo()
    G = ig.Graph(n=c.n, edges=list(zip(coo.row.tolist(), coo.col.tolist())), directed=True)
    ref = np.array(G.betweenness(weights=coo.data.tolist(), sources=S.tolist()))
    engines = ["numpy"] + (["numba"] if jit_available() else [])
    for e in engines:
        assert np.allclose(betweenness(cost, S, engine=e), ref, rtol=1e-9, atol=1e-9)
    assert np.allclose(betweenness(cost, S), ref, rtol=1e-9, atol=1e-9)


def test_brokerage_is_normalised_like_networkx_and_paths_pass_outsiders():
    g = graph(
        ["a", "b", "c", "d", ("x", {"org": "us"})],
        [
            ("a", "x", "advises", 0.5),
            ("x", "b", "advises", 0.8),
            ("b", "c", "friend", 0.4),
            ("c", "d", "influences", 1.0),
            ("a", "d", "advises", 0.25),
        ],
    )
    r = sg.rank(g)
    ref = nx.betweenness_centrality(informal_graph(g), weight="cost", normalized=True)
    assert "x" not in r and ref["x"] > 0  # our own person brokers but is not ranked
    for pid in r.ids:
        assert r[pid].brokerage == pytest.approx(ref[pid], abs=1e-12)
    assert r.brokerage_exact and r.brokerage_pivots == 5


def test_sampled_brokerage_scales_like_networkx_and_reports_the_sample():
    g = random_graph(11, n=40, m=120)
    seed, k = 7, 10
    r = sg.rank(g, exact_max=10, pivots=k, seed=seed)
    assert not r.brokerage_exact and r.brokerage_pivots == k
    n = len(g)
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    ids = list(g.people)
    G = informal_graph(g)
    raw = nx.betweenness_centrality_subset(G, [ids[s] for s in sources], ids, weight="cost", normalized=False)
    chosen = {ids[s] for s in sources}
    for pid in r.ids:
        scale = 1 / ((k - 1) * (n - 2)) if pid in chosen else 1 / (k * (n - 2))
        assert r[pid].brokerage == pytest.approx(raw[pid] * scale, abs=1e-12)
    assert sg.rank(g, exact_max=10, pivots=k, seed=seed) == r
    assert sg.rank(g, exact_max=10, pivots=k, seed=np.random.default_rng(seed)) == r
    assert sg.rank(g, exact_max=10, pivots=n).brokerage_exact


def test_sampled_brokerage_is_unbiased():
    g = random_graph(4, n=30, m=90)
    exact = sg.rank(g)
    runs = [sg.rank(g, exact_max=5, pivots=8, seed=s) for s in range(200)]
    for pid in exact.ids[:10]:
        mean = np.mean([r[pid].brokerage for r in runs])
        assert mean == pytest.approx(exact[pid].brokerage, abs=0.015 + 0.15 * exact[pid].brokerage)


# ----------------------------------------------------------------------------- social power
def _dense_social_power(g):
    c = g.compiled()
    n = c.n
    W = c.W.toarray()
    L = np.diag(c.openness)
    V = np.linalg.solve(np.eye(n) - L @ W, np.eye(n) - L)
    group = c.decision_group if c.decision_group.any() else c.customer
    p = np.where(group, c.power, 0.0)
    p = p / p.sum()
    return dict(zip(c.ids, p @ V))


@pytest.mark.parametrize("seed", range(8))
def test_social_power_matches_a_dense_solve(seed):
    g = random_graph(seed, kinds=("advises", "influences", "friend", "rival", "reports_to"))
    ref = _dense_social_power(g)
    r = sg.rank(g)
    for pid in r.ids:
        assert r[pid].social_power == pytest.approx(ref[pid], abs=1e-10)


def test_social_power_iterative_path_matches_a_dense_solve():
    rng = np.random.default_rng(1)
    n = 1200
    A = sp.random_array((n, n), density=3 / n, random_state=rng, format="csr")
    A.setdiag(0)
    A.eliminate_zeros()
    rows = np.asarray(A.sum(axis=1)).ravel()
    W = sp.diags_array(np.divide(1, rows, out=np.zeros(n), where=rows > 0)) @ A
    W = sp.csr_array(W + sp.diags_array((rows == 0).astype(float)))
    lam = rng.uniform(0, 0.8, n)
    p = rng.random(n)
    p /= p.sum()
    s, it = social_power(W, lam, p, tol=1e-13, max_iter=10_000, direct_max=100)
    assert it > 0  # the iteration was used
    Wd = W.toarray()
    ref = np.linalg.solve((np.eye(n) - lam[:, None] * Wd).T, p) * (1 - lam)
    assert np.abs(s - ref).max() < 1e-10


def test_social_power_without_roles_uses_every_customer_weighted_by_power():
    g = graph(
        [("a", {"power": 1.0}), ("b", {"power": 3.0}), ("x", {"org": "us"})],
        [("a", "b", "advises", 1.0), ("x", "a", "influences", 0.5)],
    )
    # by hand: W_b = [1 from a], W_a = [1 from x], openness 0.5 -> a: 0.5 own + 0.5 x; b: 0.5 own + 0.5 a's view
    # settled: x* = x0 (openness 0); a* = 0.5 a + 0.5 x; b* = 0.5 b + 0.5 a* = 0.5 b + 0.25 a + 0.25 x
    # group = a (0.25) and b (0.75): s_a = 0.25*0.5 + 0.75*0.25, s_b = 0.75*0.5
    r = sg.rank(g)
    assert r["a"].social_power == pytest.approx(0.25 * 0.5 + 0.75 * 0.25)
    assert r["b"].social_power == pytest.approx(0.375)


def test_social_power_with_a_closed_group_of_fully_open_people():
    # a and b listen only to each other with openness 1 (views swap forever); c listens to a
    g = graph(
        [
            ("a", {"openness": 1.0, "roles": ["user"]}),
            ("b", {"openness": 1.0}),
            ("c", {"openness": 0.5, "roles": ["user"]}),
        ],
        [("a", "b", "advises"), ("b", "a", "advises"), ("a", "c", "advises")],
    )
    r = sg.rank(g)
    # long-run weights of the {a, b} cycle are 1/2 each: a's settled view is (a + b) / 2;
    # c's is c/2 + a*/2. group weights a, c equal (same role and level)
    sa = 0.5 * 0.5 + 0.5 * 0.25
    assert (r["a"].social_power, r["b"].social_power, r["c"].social_power) == (
        pytest.approx(sa, abs=1e-6),
        pytest.approx(sa, abs=1e-6),
        pytest.approx(0.25, abs=1e-6),
    )


# ----------------------------------------------------------------------------- authority, blend, rule
def test_authority_hand_worked():
    # boss (decision_maker, level 0) with two reports and one report below them; level decay 0.8
    g = graph(
        [("boss", {"roles": ["decision_maker"]}), ("mid", {"roles": ["evaluator"]}), "low", "side"],
        [("mid", "boss", "reports_to"), ("side", "boss", "reports_to"), ("low", "mid", "reports_to")],
    )
    r = sg.rank(g)
    # authority = power x (1 + below / (below + 10))
    assert r["boss"].authority == pytest.approx(1.0 * (1 + 3 / 13))  # three people below
    assert r["mid"].authority == pytest.approx(0.5 * 0.8 * (1 + 1 / 11))  # evaluator at level 1, one below
    assert r["side"].authority == pytest.approx(0.1 * 0.8)
    assert r["low"].authority == pytest.approx(0.1 * 0.8**2)
    assert r["boss"].formal_rank == 1 and r["low"].formal_rank == 4


def test_authority_uses_given_power():
    g = graph([("a", {"power": 2.0}), ("b", {"roles": ["decision_maker"]})], [("a", "b", "reports_to")])
    r = sg.rank(g)
    assert r["a"].authority == 2.0 and r["b"].authority == pytest.approx(1.0 * (1 + 1 / 11))


def test_blend_hand_worked_three_people():
    # no ties: influence 1/3 each, brokerage 0, social power = own power share (V = I)
    g = graph(
        [
            ("a", {"power": 2.0, "roles": ["approver"]}),
            ("b", {"power": 1.0, "roles": ["user"]}),
            ("c", {"power": 0.5}),
        ]
    )
    r = sg.rank(g)
    # authority a 2, b 1, c 0.5 -> 1, 0.5, 0.25; influence -> 1, 1, 1; brokerage 0;
    # social power over the decision group {a, b}: 2/3, 1/3, 0 -> 1, 0.5, 0
    w = DEFAULT_WEIGHTS
    expect = {
        "a": w["authority"] + w["influence"] + w["social_power"],
        "b": 0.5 * w["authority"] + w["influence"] + 0.5 * w["social_power"],
        "c": 0.25 * w["authority"] + w["influence"],
    }
    for pid, p in expect.items():
        assert r[pid].power == pytest.approx(p)
    assert r.ids == ("a", "b", "c")
    assert [r[p].rank for p in ("a", "b", "c")] == [1, 2, 3]


def test_weights_override_key_by_key_and_rescale():
    g = graph([("a", {"power": 2.0, "roles": ["approver"]}), ("b", {"power": 1.0, "roles": ["user"]})])
    r = sg.rank(g, weights={"authority": 0.0, "influence": 0.0, "brokerage": 0.0})
    assert dict(r.weights) == {"authority": 0.0, "influence": 0.0, "brokerage": 0.0, "social_power": 1.0}
    assert r["a"].power == pytest.approx(1.0) and r["b"].power == pytest.approx(0.5)
    r = sg.rank(g, weights={"authority": 0.7})  # the others keep their defaults, then all rescale
    total = (
        0.7 + DEFAULT_WEIGHTS["influence"] + DEFAULT_WEIGHTS["brokerage"] + DEFAULT_WEIGHTS["social_power"]
    )
    assert r.weights["authority"] == pytest.approx(0.7 / total)
    assert sum(r.weights.values()) == pytest.approx(1.0)


def test_ties_are_broken_by_id():
    g = graph(["c", "a", "b"])
    r = sg.rank(g)
    assert r.ids == ("a", "b", "c") and len({row.power for row in r}) == 1


def test_hidden_rule_hand_worked():
    # five people: formal ranks by authority, informal by influence
    formal = np.array([1, 2, 3, 4, 5], dtype=float)
    informal = np.array([2, 3, 4, 5, 1], dtype=float)
    # N = 5: flag when informal rank <= 2.5 and gap >= 0.25 * 5 = 1.25
    assert hidden_rule(formal, informal, 0.25).tolist() == [False, False, False, False, True]
    # gap 4 is below 0.9 * 5 = 4.5
    assert not hidden_rule(formal, informal, 0.9).any()
    # informal rank 3 is not in the top half of 5 even with a big gap
    assert hidden_rule(np.array([1.0, 2, 5, 4, 3]), np.array([4.0, 5, 3, 2, 1]), 0.25).tolist() == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert not hidden_rule(np.array([1.0]), np.array([1.0]), 0.25).any()


def test_hidden_influencer_end_to_end_four_people():
    # the decision maker and two approvers all take advice from "eng", the least powerful on paper
    g = graph(
        [("ceo", {"power": 1.0}), ("m1", {"power": 0.7}), ("m2", {"power": 0.7}), ("eng", {"power": 0.1})],
        [("eng", "ceo", "advises"), ("eng", "m1", "advises"), ("eng", "m2", "advises")],
    )
    r = sg.rank(g, tol=1e-13)
    # by hand: the three listen only to eng; eng listens to no one and spreads uniformly
    # x_o = (1-d)/4 + d x_e/4 ; x_e = (1-d)/4 + d x_e/4 + 3 d x_o
    d = 0.85
    xe, xo = np.linalg.solve([[1 - d / 4, -3 * d], [-d / 4, 1]], [(1 - d) / 4, (1 - d) / 4])
    assert r["eng"].influence == pytest.approx(xe) and r["m1"].influence == pytest.approx(xo)
    row = r["eng"]
    # formal ranks 4 (eng), 2.5 (m1, m2 tie), 1 (ceo); informal: eng 1, the others tie at 3
    assert (row.formal_rank, row.informal_rank, row.gap) == (4, 1, 3)
    assert (r["m1"].formal_rank, r["m1"].informal_rank) == (2.5, 3)
    # N = 4: gap 3 >= 0.25 * 4 and informal rank 1 <= 2
    assert row.hidden_influencer and [x.id for x in r.hidden_influencers()] == ["eng"]
    assert not sg.rank(g, hidden_gap=0.8)["eng"].hidden_influencer  # would need a gap of 3.2
    text = r.explain("eng")
    assert "ceo (advises, weight 1.00)" in text and "Hidden influencer" in text
    assert "informal rank 1 is 3 places above formal rank 4" in text


# ----------------------------------------------------------------------------- properties
def relabel(g, mapping):
    people = []
    for p in g.people.values():
        rec = p.to_record()
        rec["id"] = mapping[p.id]
        people.append(rec)
    ties = []
    for t in g.ties:
        rec = t.to_record()
        rec["source"], rec["target"] = mapping[t.source], mapping[t.target]
        ties.append(rec)
    return sg.StakeholderGraph.from_records(people, ties, g.deal)


def _order_preserved(r1, r2, ids, tol=1e-9):
    for a, b in itertools.combinations(ids, 2):
        pa, pb = r1[a].power, r1[b].power
        if abs(pa - pb) > tol:
            assert (r1[a].rank < r1[b].rank) == (r2[a].rank < r2[b].rank)


FIELDS = (
    "power",
    "authority",
    "influence",
    "brokerage",
    "social_power",
    "formal_rank",
    "informal_rank",
    "hidden_influencer",
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(min_people=1, max_people=9, max_ties=16), st.randoms(use_true_random=False))
def test_relabelling_ids_permutes_the_result_and_nothing_else(g, rnd):
    ids = list(g.people)
    new = [f"n{k}" for k in range(len(ids))]
    rnd.shuffle(new)
    mapping = dict(zip(ids, new))
    r1, r2 = sg.rank(g), sg.rank(relabel(g, mapping))
    assert sorted(r2.ids) == sorted(mapping[i] for i in r1.ids)
    for pid in r1.ids:
        a, b = r1[pid], r2[mapping[pid]]
        for f in FIELDS:
            assert getattr(a, f) == pytest.approx(getattr(b, f), abs=1e-9), f
    # the order changes only among exact ties (broken by id)
    for x, y in itertools.combinations(r1.ids, 2):
        if abs(r1[x].power - r1[y].power) > 1e-9:
            assert (r1[x].rank < r1[y].rank) == (r2[mapping[x]].rank < r2[mapping[y]].rank)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(min_people=1, max_people=9, max_ties=16))
def test_adding_an_isolated_person_changes_no_one_elses_order(g):
    c = g.compiled()
    group = c.decision_group if c.decision_group.any() else c.customer
    assume(not group.any() or c.power[group].sum() > 0)
    r1 = sg.rank(g)
    h = g.copy()
    h.add_person("zz-isolated", power=0.0)
    r2 = sg.rank(h)
    assert "zz-isolated" in r2 and len(r2) == len(r1) + 1
    n = len(g)
    shrink = (n - 2) / n if n > 2 else 0.0  # brokerage is normalised by (n - 1)(n - 2) pairs
    for pid in r1.ids:
        a, b = r1[pid], r2[pid]
        assert a.power == pytest.approx(b.power, abs=1e-9)
        assert a.authority == pytest.approx(b.authority, abs=1e-12)
        assert b.brokerage == pytest.approx(a.brokerage * shrink, abs=1e-12)
    _order_preserved(r1, r2, list(r1.ids))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(min_people=0, max_people=9, max_ties=16), st.integers(0, 2**32 - 1))
def test_same_seed_same_result(g, seed):
    kw = dict(exact_max=3, pivots=2)
    assert sg.rank(g, seed=seed, **kw) == sg.rank(g.copy(), seed=seed, **kw)
    assert sg.rank(g, seed=seed, **kw).to_dict() == sg.rank(g, seed=seed, **kw).to_dict()


# ----------------------------------------------------------------------------- the result object
@pytest.fixture(scope="module")
def bank_ranking():
    return sg.rank(sg.datasets.load("bank"))


def test_to_dict_has_exactly_the_documented_keys(bank_ranking):
    d = bank_ranking.to_dict()
    assert list(d) == ["people"]
    keys = ["id", "name", "org", "customer", "rank", "power", "authority", "influence", "brokerage"]
    keys += ["social_power", "hidden_influencer"]
    assert all(list(row) == keys for row in d["people"])
    ranked = [row for row in d["people"] if row["rank"] is not None]
    assert [row["id"] for row in ranked] == list(bank_ranking.ids)  # customers in rank order, then the others
    assert all(row["customer"] for row in ranked) and not any(
        row["customer"] for row in d["people"][len(ranked) :]
    )
    assert [row["rank"] for row in ranked] == list(range(1, len(ranked) + 1))
    powers = [row["power"] for row in ranked]
    assert powers == sorted(powers, reverse=True)
    json.dumps(d, allow_nan=False)


def test_bank_finds_its_hidden_influencer_and_decision_maker(bank_ranking):
    r = bank_ranking
    g = sg.datasets.load("bank")
    assert r.top(1)[0].id in g.decision_makers()
    assert "arch_lead" in [x.id for x in r.hidden_influencers()]
    # the principal architect: low on the chart, high in who is listened to
    assert r["arch_lead"].formal_rank > 15 and r["arch_lead"].informal_rank <= 3


def test_access_by_id(bank_ranking):
    r = bank_ranking
    row = r["ceo"]
    assert row["id"] == "ceo" and row.rank == r.ids.index("ceo") + 1 and dict(row)["power"] == row.power
    assert r.get("ceo") is row and r.get("nobody") is None and "ceo" in r and "us_am" not in r
    with pytest.raises(sg.UnknownPersonError, match="did you mean 'arch_lead'"):
        r["arch_led"]
    assert [x.id for x in r.top(2)] == list(r.ids[:2]) and r.top(0) == ()
    assert len(list(r)) == len(r) == 30


def test_explain_names_ties_and_roles(bank_ranking):
    text = bank_ranking.explain("ceo")
    assert "decision_maker" in text and "Chief Executive Officer" in text and "reporting line" in text
    assert "listened to by" in text and "reports_to" in text
    line = bank_ranking.explain("cfo", short=True)
    assert "\n" not in line and line.startswith("Helen Park (cfo): rank")
    with pytest.raises(sg.UnknownPersonError):
        bank_ranking.explain("nobody")


def test_frame_and_html(bank_ranking):
    f = bank_ranking.to_frame()
    assert list(f.index[:3]) == list(bank_ranking.ids[:3]) and "gap" in f.columns
    html = bank_ranking._repr_html_()
    assert "<table" in html and "Hidden influencers" in html and "arch_lead" in html


def test_arrays_are_read_only(bank_ranking):
    with pytest.raises(ValueError):
        bank_ranking.power[0] = 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"damping": 1.2}, "The 'damping' parameter of rank must be a float in (0, 1). Got 1.2 instead."),
        ({"damping": "x"}, "The 'damping' parameter of rank must be a float in (0, 1). Got 'x' instead."),
        ({"hidden_gap": 0}, "The 'hidden_gap' parameter of rank must be a float in (0, 1]. Got 0 instead."),
        ({"pivots": 0}, "The 'pivots' parameter of rank must be an int >= 1. Got 0 instead."),
        ({"exact_max": 2.5}, "The 'exact_max' parameter of rank must be an int >= 0. Got 2.5 instead."),
        (
            {"seed": -1},
            "The 'seed' parameter of rank must be an int >= 0, a numpy Generator or None. Got -1 instead.",
        ),
        ({"tol": 0.0}, "The 'tol' parameter of rank must be a float in (0, inf). Got 0.0 instead."),
        ({"weights": {"power": 1}}, "unknown key 'power'"),
        (
            {"weights": {"authority": -1}},
            "The \"weights['authority']\" parameter of rank must be a float in [0, inf)",
        ),
        ({"weights": dict.fromkeys(DEFAULT_WEIGHTS, 0)}, "at least one weight above 0"),
        ({"weights": [1, 2]}, "must be a mapping"),
        ({"influence": "default"}, "The 'influence' parameter of rank must be an InfluenceModel or None."),
    ],
)
def test_bad_parameters(kwargs, message):
    g = graph(["a", "b"])
    with pytest.raises(sg.ValidationError) as e:
        sg.rank(g, **kwargs)
    assert message in str(e.value)


def test_not_a_graph():
    with pytest.raises(
        sg.ValidationError, match="The 'g' parameter of rank must be a StakeholderGraph. Got dict"
    ):
        sg.rank({})


def test_empty_and_outsider_only_graphs():
    assert sg.rank(sg.StakeholderGraph()).to_dict() == {"people": []}
    g = graph([("x", {"org": "us"}), ("y", {"org": "competitor"})], [("x", "y", "rival")])
    assert len(sg.rank(g)) == 0
    one = sg.rank(graph(["solo"]))
    assert one["solo"].rank == 1 and one["solo"].social_power == 1.0 and math.isfinite(one["solo"].power)


def test_top_is_a_tuple_of_rows_that_prints_names_ids_and_power():
    import pickle

    bank = sg.datasets.load("bank")
    r = sg.rank(bank)
    top = r.top(3)
    assert top == r.people[:3] and isinstance(top, tuple)
    lines = repr(top).splitlines()
    assert len(lines) == 3
    for k, (line, row) in enumerate(zip(lines, r.people[:3]), 1):
        assert line.split()[0] == f"{k}." and f"{bank.person(row.id).name} ({row.id})" in line
        assert line.endswith(f"power {row.power:.2f}")
    assert "<table" in top._repr_html_() and bank.person(r.people[0].id).name in top._repr_html_()
    assert pickle.loads(pickle.dumps(top)) == top and repr(pickle.loads(pickle.dumps(top))) == repr(top)
    assert repr(r.top(0)) == "(no one ranked)"
