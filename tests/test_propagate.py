"""sg.propagate against independent references.

- Friedkin–Johnsen against a dense ``numpy.linalg.solve`` of a system built
  here from the ties (not from the compiled view), on random graphs, and
  against the published four-agent example of Friedkin and Johnsen.
- DeGroot against the left-eigenvector-weighted consensus.
- Independent cascade and linear threshold against exact expectations:
  every live-edge outcome enumerated (ic; lt without competition) and every
  threshold interval enumerated (lt with competition), on many tiny graphs.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph import ConvergenceError, InfluenceModel, Person, Role, StakeholderGraph, Tie, TieKind
from stakegraph.analysis import _cascade, _opinion
from stakegraph.analysis.propagate import Propagation, propagate
from strategies import graphs

# Influence weights as DESIGN.md states them: (source on target, target on source).
KIND_W = {
    "influences": (1.0, 0.0),
    "advises": (1.0, 0.0),
    "reports_to": (0.4, 0.8),
    "dotted_line": (0.2, 0.4),
    "friend": (0.6, 0.6),
    "rival": (-0.6, -0.6),
    "knows": (0.0, 0.0),
}
KINDS = list(KIND_W)


# ----------------------------------------------------------------------------- references
def influence_of(n: int, ties: list[tuple[int, int, str, float]]) -> np.ndarray:
    """A[listener, influencer]: summed influence weights, computed from the ties alone."""
    a = np.zeros((n, n))
    for s, t, k, w in ties:
        st_, ts = KIND_W[k]
        a[t, s] += st_ * w
        a[s, t] += ts * w
    return a


def row_normalised(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W = A / |A| row sums; lonely rows (no weight) keep their own view."""
    tot = np.abs(a).sum(axis=1)
    lonely = np.isclose(tot, 0.0, atol=1e-15)
    w = np.zeros_like(a)
    w[~lonely] = a[~lonely] / tot[~lonely, None]
    w[np.flatnonzero(lonely), np.flatnonzero(lonely)] = 1.0
    return w, lonely


def fj_reference(a: np.ndarray, lam: np.ndarray, x0: np.ndarray) -> np.ndarray:
    w, lonely = row_normalised(a)
    lam = np.where(lonely, 0.0, lam)
    n = len(x0)
    L = np.diag(lam)
    return np.linalg.solve(np.eye(n) - L @ w, (np.eye(n) - L) @ x0)


def build(
    n: int,
    ties: list[tuple[int, int, str, float]],
    *,
    support=None,
    openness=None,
    roles=None,
    orgs=None,
    departments=None,
    power=None,
) -> StakeholderGraph:
    people = []
    for i in range(n):
        kw: dict = {}
        if (
            support is not None
            and support[i] is not None
            and not (isinstance(support[i], float) and math.isnan(support[i]))
        ):
            kw["support"] = float(support[i])
        if openness is not None and openness[i] is not None:
            kw["openness"] = float(openness[i])
        if roles is not None:
            kw["roles"] = tuple(Role(r) for r in roles[i])
        if orgs is not None:
            kw["org"] = sg.Org(orgs[i])
        if departments is not None:
            kw["department"] = departments[i]
        if power is not None:
            kw["power"] = float(power[i])
        people.append(Person(f"p{i}", **kw))
    tie_objs = [Tie(f"p{s}", f"p{t}", TieKind(k), float(w)) for s, t, k, w in ties]
    return StakeholderGraph(people, tie_objs)


@st.composite
def tie_lists(draw, n: int, max_ties: int = 14, kinds=KINDS, strengths=None):
    """Valid ties among n people: one manager at most, reports_to only upward (no cycle), no duplicates."""
    out, seen, manager = [], set(), set()
    if n < 2:
        return out
    for _ in range(draw(st.integers(0, max_ties))):
        s = draw(st.integers(0, n - 1))
        t = draw(st.integers(0, n - 2))
        t = t + 1 if t >= s else t
        k = draw(st.sampled_from(kinds))
        if k == "reports_to":
            if s in manager or t > s:
                continue
            manager.add(s)
        key = (min(s, t), max(s, t), k) if k in ("friend", "rival", "knows") else (s, t, k)
        if key in seen:
            continue
        seen.add(key)
        w = draw(strengths) if strengths is not None else draw(st.floats(0.05, 1.0))
        out.append((s, t, k, w))
    return out


# ----------------------------------------------------------------------------- Friedkin–Johnsen
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fj_equals_dense_solve(data):
    n = data.draw(st.integers(1, 9))
    ties = data.draw(tie_lists(n))
    support = data.draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    lam = data.draw(st.lists(st.floats(0, 0.97), min_size=n, max_size=n))
    g = build(n, ties, support=support, openness=lam)
    ref = fj_reference(influence_of(n, ties), np.array(lam), np.array(support))
    p = propagate(g)
    np.testing.assert_allclose(p.after, ref, atol=1e-9)
    assert p.converged and p.model == "fj"
    # the attribution reproduces the views: after = V @ before
    np.testing.assert_allclose(p.attribution @ p.before, p.after, atol=1e-9)


def test_fj_iterative_and_krylov_paths_equal_dense_solve(monkeypatch):
    rng = np.random.default_rng(3)
    n = 120
    ties = []
    for i in range(1, n):  # a reporting tree plus informal ties
        ties.append((i, int(rng.integers(0, i)), "reports_to", float(rng.uniform(0.3, 1))))
    pairs = set()
    for _ in range(3 * n):
        s, t = rng.choice(n, 2, replace=False)
        if (s, t) not in pairs:
            pairs.add((s, t))
            ties.append((int(s), int(t), "advises", float(rng.uniform(0.1, 1))))
    support = rng.uniform(-1, 1, n)
    for lam_hi, method in ((0.6, "fixed_point"), (0.9995, "bicgstab")):
        lam = rng.uniform(0.2, lam_hi, n)
        if method == "bicgstab":
            lam[:] = 0.9995
            lam[0] = 0.5
        g = build(n, ties, support=support, openness=lam)
        monkeypatch.setattr(_opinion, "DENSE_MAX", 10)
        p = propagate(g, tol=1e-12)
        ref = fj_reference(influence_of(n, ties), lam, support)
        np.testing.assert_allclose(p.after, ref, atol=1e-8)
        assert p.method in ((method,) if method == "fixed_point" else ("bicgstab", "gmres"))


def test_fj_reproduces_published_four_agent_example():
    """The four-agent example of Friedkin and Johnsen, as worked in

    S. E. Parsegov, A. V. Proskurnikov, R. Tempo and N. E. Friedkin, "Novel
    multidimensional models of opinion dynamics in social networks", IEEE
    Transactions on Automatic Control 62(5):2270-2285, 2017
    (doi:10.1109/TAC.2016.2613905; arXiv:1505.04920): the influence matrix W
    identified by Friedkin and Johnsen (1999), susceptibilities Λ = I − diag(W),
    initial opinions on two topics x(0) = (25, 25, 75, 85) and
    (25, 15, −50, 5), and, when the topics do not interact, the final opinions
    (60, 60, 75, 75) and (−19.3, −21.5, −50, −23.2).

    Opinions are scaled by 1/100 into support values. The published W has
    self-weights w_ii; a tie cannot point at its own person, so each agent's
    self-weight is folded into its openness: with W' the off-diagonal part
    renormalised, FJ with (W, λ) and with (W', λ') where
    λ'_i = λ_i (1 − w_ii) / (1 − λ_i w_ii) settle at the same views
    (x_i = λ_i Σ_j w_ij x_j + (1 − λ_i) u_i, solved for x_i). Agent 3 listens
    to nobody (w_33 = 1): it keeps its view.
    """
    W = np.array(
        [
            [0.220, 0.120, 0.360, 0.300],
            [0.147, 0.215, 0.344, 0.294],
            [0.000, 0.000, 1.000, 0.000],
            [0.090, 0.178, 0.446, 0.286],
        ]
    )
    lam = 1.0 - np.diag(W)
    d = np.diag(W)
    lam_eff = np.divide(lam * (1 - d), 1 - lam * d, out=np.zeros(4), where=(1 - lam * d) > 0)
    ties = [(j, i, "influences", W[i, j]) for i in range(4) for j in range(4) if i != j and W[i, j] > 0]
    for u, published, digits in (
        ((0.25, 0.25, 0.75, 0.85), (0.60, 0.60, 0.75, 0.75), 2),
        ((0.25, 0.15, -0.50, 0.05), (-0.193, -0.215, -0.500, -0.232), 3),
    ):
        g = build(4, ties, support=list(u), openness=list(lam_eff))
        p = propagate(g)
        assert [round(float(x), digits) for x in p.after] == list(published)
        # the compiled W is the published one without its diagonal, rows renormalised
        c = g.compiled()
        off = W - np.diag(d)
        off[2, 2] = 1.0
        expect = off / off.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(c.W.toarray(), expect, atol=1e-12)


def test_fj_openness_zero_and_one():
    # a (ally) <- b; b fully open listens to a only; c openness 0 listens to a; d isolated, fully open
    ties = [(0, 1, "advises", 1.0), (0, 2, "advises", 1.0)]
    g = build(4, ties, support=[0.75, -0.5, -1.0, 0.5], openness=[0.5, 1.0, 0.0, 1.0])
    p = propagate(g)
    np.testing.assert_allclose(p.after, [0.75, 0.75, -1.0, 0.5])


def test_fj_fully_open_closed_group_is_explained():
    ties = [(0, 1, "friend", 1.0), (1, 2, "friend", 1.0), (0, 2, "friend", 1.0)]
    g = build(4, ties, support=[1.0, 0.0, -1.0, 0.5], openness=[1.0, 1.0, 1.0, 0.5])
    with pytest.raises(ConvergenceError) as e:
        propagate(g)
    msg = str(e.value)
    assert "'p0'" in msg and "'p1'" in msg and "'p2'" in msg and "'p3'" not in msg
    assert "singular" in msg and "degroot" in msg
    # DeGroot is the answer the message points to: the group reaches a consensus
    d = propagate(g, model="degroot", max_iter=5000)
    assert d.converged
    np.testing.assert_allclose(d.after[:3], d.after[0], atol=1e-8)


def test_fj_everyone_fully_open_is_singular():
    ties = [(0, 1, "influences", 0.5), (1, 2, "influences", 0.5), (2, 0, "influences", 0.5)]
    g = build(3, ties, support=[1.0, 0.0, -1.0], openness=[1.0, 1.0, 1.0])
    with pytest.raises(ConvergenceError):
        propagate(g)


def test_unknown_policy_neutral_and_exclude():
    # p0 ally (listens to nobody); p1 unknown listens to p0; p2 unknown isolated; p3 unknown listens to p2 only;
    # p4 neutral listens to p1 and p2 equally.
    ties = [(0, 1, "advises", 1.0), (2, 3, "advises", 1.0), (1, 4, "advises", 0.5), (2, 4, "advises", 0.5)]
    sup = [0.75, None, None, None, 0.0]
    lam = [0.5, 0.5, 0.5, 0.5, 0.5]
    roles = [["evaluator"], ["user"], ["user"], ["user"], ["decision_maker"]]
    g = build(5, ties, support=sup, openness=lam, roles=roles, power=[1, 1, 1, 1, 1])
    neutral = propagate(g, unknown="neutral")
    # by hand: p1 = .5*.75 = .375; p2 = 0; p3 = 0; p4 = .5*(.5*.375 + .5*0) = .09375
    np.testing.assert_allclose(neutral.after, [0.75, 0.375, 0.0, 0.0, 0.09375])
    assert neutral.unknown == "neutral" and neutral.before[1] == 0.0
    ex = propagate(g, unknown="exclude")
    # p1 fully open -> .75; p2, p3 have no view (nan); p4 listens to p1 only -> .5*.75 = .375
    assert ex.after[0] == 0.75 and ex.after[1] == pytest.approx(0.75)
    assert np.isnan(ex.after[2]) and np.isnan(ex.after[3])
    assert ex.after[4] == pytest.approx(0.375)
    assert np.isnan(ex.before[1])
    # committee: mean over people with a view (p0, p1, p4), equal power
    assert ex.committee_support == pytest.approx((0.75 + 0.75 + 0.375) / 3)
    assert neutral.committee_support == pytest.approx((0.75 + 0.375 + 0 + 0 + 0.09375) / 5)
    d = ex.to_dict()
    assert d["unknown"] == "exclude" and d["people"][2]["after"] is None and d["people"][2]["unknown"]
    json.dumps(d)


def test_attribution_and_top_contributors(monkeypatch):
    rng = np.random.default_rng(11)
    n = 40
    ties = []
    for _ in range(120):
        s, t = rng.choice(n, 2, replace=False)
        ties.append((int(s), int(t), "influences", float(rng.uniform(0.1, 1))))
    ties = list({(s, t): (s, t, k, w) for s, t, k, w in ties}.values())
    lam = rng.uniform(0, 0.9, n)
    sup = rng.uniform(-1, 1, n)
    g = build(n, ties, support=sup, openness=lam)
    w, lonely = row_normalised(influence_of(n, ties))
    L = np.diag(np.where(lonely, 0.0, lam))
    V = np.linalg.solve(np.eye(n) - L @ w, np.eye(n) - L)
    p = propagate(g)
    np.testing.assert_allclose(p.attribution.toarray(), V, atol=1e-10)
    top = p.top_contributors("p5", 4)
    order = np.argsort(-np.abs(V[5]), kind="stable")[:4]
    assert [pid for pid, _ in top] == [f"p{j}" for j in order]
    np.testing.assert_allclose([s for _, s in top], V[5, order], atol=1e-10)
    # the large-graph paths: per-person transposed solve, and the pruned series
    monkeypatch.setattr(_opinion, "DENSE_MAX", 5)
    monkeypatch.setattr(_opinion, "ATTRIBUTION_DENSE_MAX", 5)
    big = propagate(g, tol=1e-13)
    np.testing.assert_allclose([s for _, s in big.top_contributors("p5", 4)], V[5, order], atol=1e-9)
    A = big.attribution.toarray()
    assert np.abs(A - V).max() < 40 * _opinion.ATTRIBUTION_DROP
    with pytest.raises(sg.UnknownPersonError):
        p.top_contributors("nobody")
    with pytest.raises(sg.ValidationError, match="model='fj'"):
        _ = propagate(g, model="degroot").attribution


# ----------------------------------------------------------------------------- DeGroot
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_degroot_consensus_is_left_eigenvector_average(data):
    n = data.draw(st.integers(3, 8))
    # a ring and a ring that skips the last person: strongly connected, cycles of length n and n-1 (aperiodic)
    ties = [(i, (i + 1) % n, "influences", data.draw(st.floats(0.2, 1))) for i in range(n)]
    ties.append((n - 2, 0, "influences", data.draw(st.floats(0.2, 1))))
    extra = data.draw(tie_lists(n, 8, kinds=["advises", "friend"]))
    keys = {(s, t) for s, t, _, _ in ties}
    ties += [t for t in extra if (t[0], t[1]) not in keys and (t[1], t[0]) not in keys]
    x0 = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n)))
    g = build(n, ties, support=list(x0), openness=[0.3] * n)
    w, _ = row_normalised(influence_of(n, ties))
    vals, vecs = np.linalg.eig(w.T)
    pi = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    pi = pi / pi.sum()
    d = propagate(g, model="degroot", max_iter=200_000, tol=1e-13)
    assert d.converged
    np.testing.assert_allclose(d.after, np.full(n, pi @ x0), atol=1e-8)


def test_degroot_periodic_does_not_converge_and_trajectory():
    g = build(2, [(0, 1, "friend", 1.0)], support=[1.0, -1.0])
    d = propagate(g, model="degroot", max_iter=7, trajectory=True)
    assert not d.converged and d.iterations == 7
    assert d.trajectory.shape == (8, 2)
    np.testing.assert_allclose(d.trajectory[:3], [[1, -1], [-1, 1], [1, -1]])
    assert d.to_dict()["trajectory"][1] == [-1.0, 1.0]


def test_degroot_exclude_averages_known_views_only():
    # p0 (1.0) and p1 (unknown) listen to each other and to p2 (-0.5): equal weights all round
    ties = [(0, 1, "friend", 1.0), (0, 2, "friend", 1.0), (1, 2, "friend", 1.0), (2, 3, "advises", 1.0)]
    g = build(4, ties, support=[1.0, None, -0.5, None])
    d = propagate(g, model="degroot", unknown="exclude", max_iter=10_000, tol=1e-14)
    # symmetric weights: stationary distribution uniform over p0..p2; known views are p0 and p2 only
    assert d.after[0] == pytest.approx(0.25, abs=1e-9)
    assert d.after[1] == pytest.approx(0.25, abs=1e-9)
    neutral = propagate(g, model="degroot", max_iter=10_000, tol=1e-14)
    assert neutral.after[0] == pytest.approx((1.0 + 0.0 - 0.5) / 3, abs=1e-9)


def test_fj_trajectory_ends_at_the_solution():
    ties = [(0, 1, "advises", 0.8), (1, 2, "friend", 0.5), (2, 0, "influences", 0.4)]
    g = build(3, ties, support=[1.0, 0.0, -0.5], openness=[0.5, 0.6, 0.4])
    p = propagate(g, trajectory=True)
    assert p.trajectory.shape[1] == 3
    np.testing.assert_allclose(p.trajectory[0], [1.0, 0.0, -0.5])
    np.testing.assert_allclose(p.trajectory[-1], p.after, atol=1e-9)


# ----------------------------------------------------------------------------- cascades: exact references
def cascade_edges_of(n, ties):
    a = influence_of(n, ties)
    edges = []
    for v in range(n):
        for u in range(n):
            if a[v, u] != 0:
                edges.append((u, v, a[v, u]))
    return edges


def exact_ic(n, ties, support, competition):
    """Expected outcome of the competitive cascade: every live-edge outcome, coin ties branched."""
    edges = [(u, v, min(1.0, abs(w)), 1 if w > 0 else -1) for u, v, w in cascade_edges_of(n, ties)]
    assert len(edges) <= 14
    side0 = [
        1 if s is not None and s >= 0.75 else (-1 if s is not None and s <= -0.75 else 0) for s in support
    ]
    p_us = np.zeros(n)
    p_them = np.zeros(n)
    for mask in itertools.product([0, 1], repeat=len(edges)):
        prob = 1.0
        for (_u, _v, p, _sg), on in zip(edges, mask):
            prob *= p if on else 1 - p
        if prob == 0:
            continue
        live = [e for e, on in zip(edges, mask) if on]
        for q, side in _ic_runs(n, live, list(side0), competition):
            p_us += prob * q * (np.array(side) == 1)
            p_them += prob * q * (np.array(side) == -1)
    return p_us, p_them


def _ic_runs(n, live, side, competition):
    frontier = [i for i in range(n) if side[i] != 0 and (competition or side[i] == 1)]
    outcomes = [(1.0, side, frontier)]
    done = []
    while outcomes:
        q, side, frontier = outcomes.pop()
        if not frontier:
            done.append((q, side))
            continue
        score = {}
        for u, v, p, sgn in live:
            if u in frontier and side[v] == 0:
                s = side[u] * sgn
                score.setdefault(v, [0.0, 0.0])[0 if s == 1 else 1] += p
        branches = [(q, list(side), [])]
        for v in sorted(score):
            su, sh = score[v]
            if su > 0 and sh > 0 and su == sh:
                nb = []
                for qq, sd, fr in branches:
                    for choice in (1, -1):
                        s2 = list(sd)
                        s2[v] = choice
                        nb.append((qq / 2, s2, fr + [v]))
                branches = nb
            else:
                choice = 1 if su > sh else -1
                for _, sd, fr in branches:
                    sd[v] = choice
                    fr.append(v)
        for qq, sd, fr in branches:
            nf = [v for v in fr if competition or sd[v] == 1]
            outcomes.append((qq, sd, nf))
    return done


def lt_weights(n, ties):
    """b[v][u]: positive influence weights of u on v, scaled to sum to 1 where they sum to more."""
    a = influence_of(n, ties)
    b = {}
    for v in range(n):
        w = {u: a[v, u] for u in range(n) if a[v, u] > 0}
        tot = sum(w.values())
        if tot > 1:
            w = {u: x / tot for u, x in w.items()}
        b[v] = w
    return b


def exact_lt_live_edge(n, ties, support):
    """Linear threshold without competition: each listener keeps at most one incoming edge (Kempe et al.)."""
    b = lt_weights(n, ties)
    side0 = [
        1 if s is not None and s >= 0.75 else (-1 if s is not None and s <= -0.75 else 0) for s in support
    ]
    choices = []
    for v in range(n):
        opts = [(u, x) for u, x in sorted(b[v].items())]
        choices.append(opts + [(None, max(0.0, 1 - sum(x for _, x in opts)))])
    p_us = np.zeros(n)
    for pick in itertools.product(*choices):
        prob = math.prod(x for _, x in pick)
        if prob == 0:
            continue
        us = [side0[i] == 1 for i in range(n)]
        changed = True
        while changed:
            changed = False
            for v in range(n):
                u = pick[v][0]
                if not us[v] and side0[v] == 0 and u is not None and us[u]:
                    us[v] = True
                    changed = True
        p_us += prob * np.array(us, dtype=float)
    return p_us


def exact_lt_thresholds(n, ties, support, competition):
    """Linear threshold by its definition: every interval of every threshold enumerated, side draws branched.

    A person decides in the first round in which the weight of the decided
    people they listen to reaches their threshold (uniform on [0, 1]); they
    join a side with probability proportional to the weight of those who
    decided in the previous round on that side.
    """
    b = lt_weights(n, ties)
    side0 = [
        1 if s is not None and s >= 0.75 else (-1 if s is not None and s <= -0.75 else 0) for s in support
    ]
    free = [v for v in range(n) if side0[v] == 0]
    intervals = []
    for v in free:
        ws = sorted(b[v].items())
        sums = sorted(
            {
                round(sum(x for _, x in sub), 12)
                for r in range(len(ws) + 1)
                for sub in itertools.combinations(ws, r)
            }
        )
        cuts = [s for s in sums if s > 0] + [1.0 + 1e-9]
        lo = 0.0
        opts = []
        for c in cuts:  # theta in (lo, c]: decides once the pressure reaches c
            hi = min(c, 1.0)
            if hi > lo:
                opts.append((c, hi - lo))
            lo = hi
        intervals.append(opts)
    p_us = np.zeros(n)
    p_them = np.zeros(n)
    for pick in itertools.product(*intervals):
        prob = math.prod(x for _, x in pick)
        if prob <= 0:
            continue
        need = dict(zip(free, (c for c, _ in pick)))
        states = [(1.0, list(side0), {v for v in range(n) if side0[v] != 0})]
        while states:
            q, side, last = states.pop()
            newly = []
            for v in free:
                if side[v] != 0:
                    continue
                pressure = sum(x for u, x in b[v].items() if side[u] == 1 or (competition and side[u] == -1))
                if round(pressure, 12) >= need[v] - 1e-12:
                    w_us = sum(x for u, x in b[v].items() if u in last and side[u] == 1)
                    w_th = sum(x for u, x in b[v].items() if u in last and side[u] == -1 and competition)
                    newly.append((v, w_us, w_th))
            if not newly:
                p_us += prob * q * (np.array(side) == 1)
                p_them += prob * q * (np.array(side) == -1)
                continue
            branches = [(q, list(side))]
            for v, w_us, w_th in newly:
                nb = []
                tot = w_us + w_th
                for qq, sd in branches:
                    for choice, x in ((1, w_us), (-1, w_th)):
                        if x > 0:
                            s2 = list(sd)
                            s2[v] = choice
                            nb.append((qq * x / tot, s2))
                branches = nb
            for qq, sd in branches:
                states.append((qq, sd, {v for v, _, _ in newly}))
    return p_us, p_them


def random_tiny(rng, *, max_edges=14, strengths=(0.3, 0.5, 0.7, 1.0), kinds=None):
    """A tiny random account: 3-6 people, sides and stances, ties of assorted kinds; at most max_edges edges."""
    kinds = kinds or ["influences", "advises", "friend", "rival", "reports_to"]
    while True:
        n = int(rng.integers(4, 8))
        ties, seen, manager = [], set(), set()
        for _ in range(int(rng.integers(3, 11))):
            s, t = (int(x) for x in rng.choice(n, 2, replace=False))
            k = str(rng.choice(kinds))
            if k == "reports_to" and (s in manager or t > s):
                continue
            key = (min(s, t), max(s, t)) if k in ("friend", "rival") else (s, t)
            if key in seen or (t, s) in seen or (s, t) in seen:
                continue
            seen.add(key)
            manager.add(s) if k == "reports_to" else None
            ties.append((s, t, k, float(rng.choice(strengths))))
        if len(cascade_edges_of(n, ties)) > max_edges:
            continue
        if len(cascade_edges_of(n, ties)) < max_edges // 2:
            continue
        support = list(rng.choice([0.5, 0.0, -0.5, None], n))
        order = rng.permutation(n)
        for i in order[: int(rng.integers(1, 3))]:
            support[i] = float(rng.choice([1.0, 0.75]))
        for i in order[2 : 2 + int(rng.integers(0, 3))]:
            support[i] = -1.0
        roles = [
            ["decision_maker"] if i == 0 else (["evaluator"] if rng.random() < 0.5 else []) for i in range(n)
        ]
        return n, ties, support, roles


def _coverage_check(cases):
    """Exact values inside the reported 95% intervals for most cases, and never far off."""
    inside = [lo - 1e-9 <= exact <= hi + 1e-9 for exact, lo, hi, _ in cases]
    assert np.mean(inside) >= 0.85, np.mean(inside)
    for exact, lo, hi, est in cases:
        half = max((hi - lo) / 2, 1e-9)
        assert abs(est - exact) <= 2.6 * half + 1e-9


@pytest.mark.parametrize("competition", [True, False])
def test_ic_agrees_with_exact_enumeration(competition):
    rng = np.random.default_rng(100 + competition)
    reach_cases, person_cases, them_cases = [], [], []
    for k in range(30):
        n, ties, support, roles = random_tiny(rng)
        g = build(n, ties, support=support, roles=roles)
        p_us, p_them = exact_ic(n, ties, support, competition)
        res = propagate(g, model="ic", runs=3000, seed=k, competition=competition)
        reach_cases.append((p_us.sum(), *res.reach_ci, res.reach))
        for i in range(n):
            person_cases.append((p_us[i], *res.after_ci[i], res.after[i]))
            them_cases.append((p_them[i], *res.p_them_ci[i], res.p_them[i]))
    _coverage_check(reach_cases)
    _coverage_check(person_cases)
    _coverage_check(them_cases)


def test_ic_equal_scores_are_settled_by_a_fair_coin():
    # p0 (us) and p1 (them) both influence p2 with probability 1: a same-round tie every run
    g = build(3, [(0, 2, "influences", 1.0), (1, 2, "influences", 1.0)], support=[1.0, -1.0, 0.0])
    r = propagate(g, model="ic", runs=4000, seed=5)
    assert r.after_ci[2][0] <= 0.5 <= r.after_ci[2][1]
    assert r.after[2] + r.p_them[2] == 1.0
    # a stronger tie wins outright
    g2 = build(3, [(0, 2, "influences", 1.0), (1, 2, "advises", 0.9)], support=[1.0, -1.0, 0.0])
    r2 = propagate(g2, model="ic", runs=4000, seed=5)
    exact_us, _ = exact_ic(3, [(0, 2, "influences", 1.0), (1, 2, "advises", 0.9)], [1.0, -1.0, 0.0], True)
    assert exact_us[2] == 1.0 and r2.after[2] == 1.0


def test_lt_agrees_with_live_edge_enumeration_without_competition():
    rng = np.random.default_rng(7)
    reach_cases, person_cases = [], []
    for k in range(30):
        n, ties, support, roles = random_tiny(rng)
        g = build(n, ties, support=support, roles=roles)
        p_us = exact_lt_live_edge(n, ties, support)
        res = propagate(g, model="lt", runs=3000, seed=k, competition=False)
        reach_cases.append((p_us.sum(), *res.reach_ci, res.reach))
        for i in range(n):
            person_cases.append((p_us[i], *res.after_ci[i], res.after[i]))
    _coverage_check(reach_cases)
    _coverage_check(person_cases)


@pytest.mark.parametrize("competition", [True, False])
def test_lt_agrees_with_threshold_enumeration(competition):
    rng = np.random.default_rng(21 + competition)
    reach_cases, person_cases, them_cases = [], [], []
    for k in range(20):
        n, ties, support, roles = random_tiny(
            rng, max_edges=8, kinds=["influences", "advises", "friend", "reports_to"]
        )
        g = build(n, ties, support=support, roles=roles)
        p_us, p_them = exact_lt_thresholds(n, ties, support, competition)
        res = propagate(g, model="lt", runs=3000, seed=k, competition=competition)
        reach_cases.append((p_us.sum(), *res.reach_ci, res.reach))
        for i in range(n):
            person_cases.append((p_us[i], *res.after_ci[i], res.after[i]))
            them_cases.append((p_them[i], *res.p_them_ci[i], res.p_them[i]))
    _coverage_check(reach_cases)
    _coverage_check(person_cases)
    _coverage_check(them_cases)


def test_cascade_committee_support_against_exact_sides():
    rng = np.random.default_rng(42)
    n, ties, support, roles = random_tiny(rng)
    power = rng.uniform(0.1, 1, n)
    g = build(n, ties, support=support, roles=roles, power=power)
    p_us, p_them = exact_ic(n, ties, support, True)
    dg = np.array([bool(r) for r in roles])
    w = np.where(dg, power, 0)
    exact = float(w @ (p_us - p_them) / w.sum())
    res = propagate(g, model="ic", runs=20_000, seed=1)
    lo, hi = res.committee_support_ci
    assert lo - 1e-9 <= exact <= hi + 1e-9
    side0 = np.array(
        [1 if s is not None and s >= 0.75 else (-1 if s is not None and s <= -0.75 else 0) for s in support]
    )
    assert res.committee_support_before == pytest.approx(float(w @ side0 / w.sum()))


def test_same_seed_same_numbers_and_generator_seed():
    rng = np.random.default_rng(9)
    n, ties, support, roles = random_tiny(rng)
    g = build(n, ties, support=support, roles=roles)
    for model in ("ic", "lt"):
        a = propagate(g, model=model, runs=500, seed=123).to_dict()
        b = propagate(g, model=model, runs=500, seed=123).to_dict()
        assert a == b
        c1 = propagate(g, model=model, runs=500, seed=np.random.default_rng(5)).to_dict()
        c2 = propagate(g, model=model, runs=500, seed=np.random.default_rng(5)).to_dict()
        assert c1 == c2


def test_runs_not_a_multiple_of_64_and_chunks():
    g = build(3, [(0, 1, "influences", 0.5), (1, 2, "influences", 0.5)], support=[1.0, 0.0, 0.0])
    for runs in (1, 63, 65, 130):
        r = propagate(g, model="ic", runs=runs, seed=0)
        assert r.runs == runs
        assert 0 <= r.after[2] <= r.after[1] <= 1
        assert r.after[0] == 1.0
    # chunking: the totals over chunks equal whole-run probabilities (exact: p1 = .5, p2 = .25)
    edges = _cascade.CascadeEdges(
        3, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.5]), np.array([True, True])
    )
    t = _cascade.simulate(
        edges,
        "ic",
        runs=64 * 40,
        rng=np.random.default_rng(1),
        seed_us=np.array([1, 0, 0], bool),
        seed_them=np.zeros(3, bool),
        competition=True,
        max_rounds=None,
        customer=np.ones(3, bool),
        committee_weight=np.array([1.0, 0, 0]),
        department=np.zeros(3, int),
        n_departments=1,
        chunk_words=3,
    )
    assert abs(t.with_us[1] / 2560 - 0.5) < 0.04 and abs(t.with_us[2] / 2560 - 0.25) < 0.04


def test_max_steps_limits_cascade_rounds():
    chain = [(i, i + 1, "influences", 1.0) for i in range(5)]
    g = build(6, chain, support=[1.0, 0, 0, 0, 0, 0])
    r = propagate(g, model="ic", runs=64, seed=0, max_iter=2)
    np.testing.assert_array_equal(r.after, [1, 1, 1, 0, 0, 0])
    assert not r.converged and r.iterations == 2
    full = propagate(g, model="ic", runs=64, seed=0)
    assert full.converged and full.reach == 6


# ----------------------------------------------------------------------------- bit machinery
def test_bernoulli_bits_frequencies():
    rng = np.random.default_rng(0)
    p = np.array([0.0, 1.0, 0.5, 0.1, 0.9, 1 / 3, 1e-3, 0.999999, 0.25, 2.0, -1.0])
    bits = _cascade.bernoulli_bits(p, 200, rng)  # 12,800 lanes per row
    freq = np.bitwise_count(bits).sum(axis=1) / 12_800
    se = np.sqrt(np.clip(p, 0, 1) * (1 - np.clip(p, 0, 1)) / 12_800)
    assert np.all(np.abs(freq - np.clip(p, 0, 1)) <= 4.5 * se + 1e-12)
    assert freq[0] == 0 and freq[1] == 1 and freq[-2] == 1 and freq[-1] == 0


def test_lt_live_bits_one_edge_per_listener():
    rng = np.random.default_rng(1)
    dst = np.array([0, 0, 0, 1, 1, 2])
    b = np.array([0.2, 0.3, 0.5, 0.4, 0.1, 1.0])
    live = _cascade.lt_live_bits(dst, b, 100, rng)
    for v in range(3):
        rows = live[dst == v]
        acc = np.zeros(100, dtype=np.uint64)
        for r in rows:
            assert not np.any(acc & r)
            acc |= r
    freq = np.bitwise_count(live).sum(axis=1) / 6400
    assert np.all(np.abs(freq - b) < 0.03)


def test_same_round_clashes_match_run_by_run_sums():
    # the bit-parallel settling against a plain loop over runs: larger summed probability wins, ties ~ coin
    rng = np.random.default_rng(11)
    ties_us = ties_total = 0
    for _ in range(150):
        n, words, m = int(rng.integers(2, 6)), int(rng.integers(1, 3)), int(rng.integers(2, 30))
        dst = rng.integers(0, n, m)
        p = rng.choice([0.1, 0.2, 0.3, 0.5, 0.7, 1.0], m)
        order = np.lexsort((-p, dst))
        dst, p = dst[order], p[order]
        pos = rng.random(m) < 0.7
        sparse = rng.integers(1, 4)

        def bits():
            out = rng.integers(0, 2**64, size=(m, words), dtype=np.uint64)
            for _ in range(sparse):
                out &= rng.integers(0, 2**64, size=(m, words), dtype=np.uint64)
            return out

        fu, ft = bits(), bits()
        new_us = np.zeros((n, words), np.uint64)
        new_them = np.zeros((n, words), np.uint64)
        passed = []
        for positive in (True, False):
            e = np.flatnonzero(pos == positive)
            np.bitwise_or.at(new_us if positive else new_them, dst[e], fu[e])
            np.bitwise_or.at(new_them if positive else new_us, dst[e], ft[e])
            passed.append((positive, e, dst[e], fu[e].copy(), ft[e].copy()))
        clash = new_us & new_them
        if not clash.any():
            continue
        got_us, got_them = new_us.copy(), new_them.copy()
        _cascade._settle(
            clash, got_us, got_them, passed, p, np.random.default_rng(int(rng.integers(1 << 30)))
        )
        assert not np.any(got_us & got_them)
        assert np.array_equal(got_us | got_them, new_us | new_them)
        for v in range(n):
            for w in range(words):
                for r in range(64):
                    bit = np.uint64(1) << np.uint64(r)
                    if not clash[v, w] & bit:
                        continue
                    into = [i for i in range(m) if dst[i] == v]
                    su = sum(p[i] for i in into if (fu[i, w] if pos[i] else ft[i, w]) & bit)
                    st = sum(p[i] for i in into if (ft[i, w] if pos[i] else fu[i, w]) & bit)
                    won = bool(got_us[v, w] & bit)
                    if math.isclose(su, st, rel_tol=1e-12):
                        ties_total += 1
                        ties_us += won
                    else:
                        assert won == (su > st)
    assert ties_total > 300
    assert abs(ties_us / ties_total - 0.5) < 4 * math.sqrt(0.25 / ties_total)


# ----------------------------------------------------------------------------- edge cases
def test_nobody_supportive():
    ties = [(0, 1, "advises", 1.0), (1, 2, "friend", 0.5)]
    g = build(3, ties, support=[0.0, 0.0, -0.5], roles=[["decision_maker"], ["user"], []])
    p = propagate(g)
    assert p.reach == 0 and p.reach_ids == ()
    assert p.committee_support <= 0
    for model in ("ic", "lt"):
        r = propagate(g, model=model, runs=200, seed=0)
        assert r.reach == 0 and np.all(r.after == 0) and r.reach_ci == (0.0, 0.0)
        assert r.committee_support == 0.0


def test_everyone_hostile():
    ties = [(0, 1, "advises", 1.0), (1, 2, "friend", 0.5)]
    g = build(3, ties, support=[-1.0, -1.0, -1.0], roles=[["decision_maker"], ["user"], ["approver"]])
    p = propagate(g)
    np.testing.assert_allclose(p.after, -1.0)
    assert p.committee_support == pytest.approx(-1.0) and p.reach == 0
    r = propagate(g, model="ic", runs=100, seed=0)
    np.testing.assert_array_equal(r.p_them, 1.0)
    assert r.committee_support == -1.0 and r.reach == 0


def test_isolated_people_keep_their_rows():
    g = build(4, [(0, 1, "advises", 1.0)], support=[1.0, 0.0, 0.5, None], openness=[0.5, 0.5, 0.9, 0.5])
    for model in ("fj", "degroot", "ic", "lt"):
        r = propagate(g, model=model, runs=64, seed=0)
        assert r.ids == ("p0", "p1", "p2", "p3") and len(r.to_dict()["people"]) == 4
    p = propagate(g)
    assert p.after[2] == 0.5 and p.after[3] == 0.0


def test_disconnected_departments():
    ties = [(0, 1, "advises", 1.0), (2, 3, "advises", 1.0)]
    g = build(
        4,
        ties,
        support=[1.0, 0.0, -1.0, 0.0],
        openness=[0.5] * 4,
        departments=["IT", "IT", "Risk", "Risk"],
        roles=[["evaluator"]] * 4,
    )
    p = propagate(g)
    np.testing.assert_allclose(p.after, [1.0, 0.5, -1.0, -0.5])
    assert p.reach_by_department == {"IT": 2, "Risk": 0}
    assert p.reach_ids == ("p0", "p1")
    r = propagate(g, model="ic", runs=640, seed=2)
    assert r.reach_by_department["Risk"] == 0.0 and r.reach_by_department["IT"] == pytest.approx(2.0)
    assert r.reach_by_department_ci["IT"] == (2.0, 2.0)


def test_one_person_and_empty_graph():
    g = StakeholderGraph()
    g.add_person("solo", roles=["decision_maker"], stance="supporter")
    for model in ("fj", "degroot", "ic", "lt"):
        r = propagate(g, model=model, runs=10, seed=0)
        assert r.ids == ("solo",)
    assert propagate(g).after[0] == 0.5 and propagate(g).committee_support == 0.5
    assert propagate(g).reach == 1
    empty = StakeholderGraph()
    for model in ("fj", "degroot", "ic", "lt"):
        r = propagate(empty, model=model, runs=10, seed=0)
        assert r.reach == 0 and math.isnan(r.committee_support) and r.to_dict()["people"] == []


def test_our_team_and_competitor_anchor_the_views():
    g = StakeholderGraph()
    g.add_person("cto", roles=["decision_maker"], stance="neutral")
    g.add_person("rep", org="us")
    g.add_person("rival_rep", org="competitor")
    g.add_tie("rep", "cto", "influences", 0.5)
    g.add_tie("rival_rep", "cto", "influences", 0.5)
    p = propagate(g)
    # equal pull from +1 and -1: the decision maker stays at 0, the sides keep theirs
    np.testing.assert_allclose(p.after, [0.0, 1.0, -1.0])
    assert p.committee_support == 0.0


# ----------------------------------------------------------------------------- contract and views
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=graphs(max_people=7))
def test_contract_every_model_on_any_graph(g):
    for model in ("fj", "degroot", "ic", "lt"):
        try:
            r = propagate(g, model=model, runs=64, seed=1)
        except ConvergenceError as e:
            assert model == "fj" and "openness 1" in str(e)
            continue
        assert isinstance(r, Propagation)
        assert r.ids == tuple(g.people)
        d = r.to_dict()
        json.dumps(d, allow_nan=False)
        assert [row["id"] for row in d["people"]] == list(g.people)
        assert {"model", "committee_support", "reach", "people"} <= set(d)
        for row in d["people"]:
            assert {"id", "before", "after"} <= set(row)
            if row["after"] is not None:
                assert -1 - 1e-9 <= row["after"] <= 1 + 1e-9
        assert 0 <= r.reach <= sum(1 for p in g.people.values() if p.org.value == "customer")


def _bank_like():
    g = StakeholderGraph()
    g.add_person("ceo", name="Wang Li", roles=["decision_maker"], department="Board", stance="neutral")
    g.add_person("cio", name="Chen Yu", roles=["approver"], department="IT", stance="skeptic")
    g.add_person("arch", name="Li Na", roles=["evaluator", "coach"], department="IT", stance="champion")
    g.add_person("ops", name="Zhao Min", roles=["user"], department="Operations")
    g.add_person("rep", org="us")
    g.add_person("comp", org="competitor")
    g.add_tie("cio", "ceo", "reports_to")
    g.add_tie("arch", "cio", "reports_to")
    g.add_tie("ops", "ceo", "reports_to")
    g.add_tie("arch", "ceo", "advises", 0.6)
    g.add_tie("rep", "arch", "friend", 0.8)
    g.add_tie("comp", "ops", "influences", 0.7)
    g.add_tie("cio", "ops", "rival", 0.5)
    return g


@pytest.mark.parametrize("model", ["fj", "degroot", "ic", "lt"])
def test_views_frame_html_plot(model):
    pytest.importorskip("pandas")
    from matplotlib.figure import Figure

    g = _bank_like()
    r = propagate(g, model=model, runs=256, seed=3)
    frame = r.to_frame()
    assert list(frame.index) == list(g.people)
    assert {"before", "after", "supportive"} <= set(frame.columns)
    html = r._repr_html_()
    assert "committee support" in html and "Li Na" in html
    fig = r.plot()
    assert isinstance(fig, Figure)
    other = Figure()
    ax = other.add_subplot()
    assert r.plot(ax=ax) is other
    assert "committee support" in repr(r)
    if model in ("fj", "degroot"):
        t = propagate(g, model=model, trajectory=True)
        assert isinstance(t.plot(), Figure)


def test_bad_parameters_have_clear_messages():
    g = _bank_like()
    cases = [
        (
            dict(model="fjj"),
            "The 'model' parameter of propagate must be one of 'fj', 'degroot', 'ic', 'lt'. "
            "Got 'fjj' instead.",
        ),
        (
            dict(unknown="zero"),
            "The 'unknown' parameter of propagate must be one of 'neutral', 'exclude'. Got 'zero' instead.",
        ),
        (dict(runs=0), "The 'runs' parameter of propagate must be an int >= 1. Got 0 instead."),
        (
            dict(threshold=1.5),
            "The 'threshold' parameter of propagate must be a float in [-1, 1]. Got 1.5 instead.",
        ),
        (dict(tol=0), "The 'tol' parameter of propagate must be a float in (0, inf). Got 0 instead."),
        (
            dict(seed=-1),
            "The 'seed' parameter of propagate must be an int >= 0, a numpy Generator or None. "
            "Got -1 instead.",
        ),
        (
            dict(max_iter=0),
            "The 'max_iter' parameter of propagate must be an int >= 1 or None. Got 0 instead.",
        ),
        (
            dict(competition="yes"),
            "The 'competition' parameter of propagate must be a bool. Got 'yes' instead.",
        ),
        (
            dict(influence={}),
            "The 'influence' parameter of propagate must be an InfluenceModel or None. Got {} instead.",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(sg.ValidationError) as e:
            propagate(g, **kwargs)
        assert str(e.value) == message
    with pytest.raises(sg.ValidationError, match="must be a StakeholderGraph"):
        propagate([])  # type: ignore[arg-type]


def test_influence_model_is_used():
    g = _bank_like()
    quiet_friends = InfluenceModel().with_kind_weight("friend", 0.0, 0.0)
    a = propagate(g)
    b = propagate(g, influence=quiet_friends)
    # without the friend tie the champion listens to nobody but her manager
    assert a.support_of("arch") != b.support_of("arch")
