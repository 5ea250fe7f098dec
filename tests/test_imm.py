"""IMM over reverse-reachable sets: the committee gain it estimates against exact enumeration of every
live-edge graph, and the set it picks against CELF's on the cascades themselves."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import stakegraph as sg
from stakegraph.analysis import _imm
from stakegraph.analysis.propagate import edges_of
from stakegraph.method.vocabulary import is_active_against_us, is_active_for_us


def _account() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph()
    g.add_person("us", org="us", stance="champion")
    g.add_person("a", stance="ally")
    g.add_person("b", roles=["decision_maker"], stance="neutral", power=2.0)
    g.add_person("c", roles=["approver"], stance="skeptic")
    g.add_person("d", stance="hostile", roles=["evaluator"])
    g.add_person("e", stance="neutral")
    g.add_person("f", stance="neutral")
    g.add_tie("a", "b", "influences", 0.5)
    g.add_tie("e", "b", "advises", 0.7)
    g.add_tie("e", "c", "influences", 0.6)
    g.add_tie("f", "e", "advises", 0.8)
    g.add_tie("d", "c", "advises", 0.9)
    g.add_tie("f", "d", "influences", 0.5)
    g.add_tie("us", "f", "knows", 0.3)
    return g


def _worlds(edges, model):
    """Every live-edge graph of the positive edges with its probability (enumerated, no sampling)."""
    keep = np.flatnonzero(edges.pos & (edges.p > 0))
    src, dst, p = edges.src[keep], edges.dst[keep], edges.p[keep]
    if model == "ic":
        for live in itertools.product([False, True], repeat=len(keep)):
            live = np.array(live)
            yield float(np.prod(np.where(live, p, 1 - p))), list(zip(src[live], dst[live]))
        return
    listeners = sorted(set(dst.tolist()))
    options = [
        [(None, 1 - p[dst == v].sum())] + [(e, p[e]) for e in np.flatnonzero(dst == v)] for v in listeners
    ]
    for choice in itertools.product(*options):
        prob = math.prod(q for _, q in choice)
        yield prob, [(src[e], dst[e]) for e, _ in choice if e is not None]


def _exact_committee(c, edges, model, S):
    """Committee support with the rows ``S`` turned ally, without competition: by enumeration."""
    ours = is_active_for_us(c.support) | np.isin(np.arange(c.n), list(S))
    theirs = is_active_against_us(c.support) & ~ours
    w = np.where(c.decision_group, c.power, 0.0)
    share = w / w.sum()
    p_us = np.zeros(c.n)
    for prob, live in _worlds(edges, model):
        reached = set(np.flatnonzero(ours).tolist())
        frontier = list(reached)
        while frontier:
            nxt = []
            for u, v in live:
                if u in frontier and v not in reached and not theirs[v]:
                    reached.add(int(v))
                    nxt.append(int(v))
            frontier = nxt
        p_us[list(reached)] += prob
    return float(share @ (p_us - theirs))


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@pytest.mark.parametrize("model", ["ic", "lt"])
def test_rr_sets_estimate_the_exact_committee_gain(model, engine, monkeypatch):
    if engine == "compiled":
        pytest.importorskip("numba")
    monkeypatch.setenv("STAKEGRAPH_JIT", "1" if engine == "compiled" else "0")
    assert (_imm._kernel() is not None) == (engine == "compiled")
    g = _account()
    c = g.compiled()
    edges = edges_of(c, model)
    ours = is_active_for_us(c.support)
    theirs = is_active_against_us(c.support) & ~ours
    w = np.where(c.decision_group, c.power, 0.0)
    stake = np.where(ours, 0.0, w / w.sum()) * np.where(theirs, 2.0, 1.0)
    rng = np.random.default_rng(3)
    R = _imm.rr_sets(edges, model, rng.choice(c.n, size=200_000, p=stake / stake.sum()), ours, theirs, rng)
    base = _exact_committee(c, edges, model, ())
    # the simulation of sg.propagate agrees with the enumeration (the model is the same)
    sim = sg.propagate(g, model=model, runs=20_000, seed=1, competition=False)
    assert sim.committee_support == pytest.approx(
        base, abs=4 * (sim.committee_support_ci[1] - sim.committee_support) + 1e-3
    )
    for pid in ("e", "f", "c", "d", "b"):
        j = c.index[pid]
        exact = _exact_committee(c, edges, model, (j,)) - base
        hits = np.zeros(R.drawn, dtype=bool)
        owner = np.repeat(np.arange(R.drawn), np.diff(R.start))
        hits[owner[R.members == j]] = True
        frac = hits.mean()
        estimate = stake.sum() * frac
        se = stake.sum() * math.sqrt(frac * (1 - frac) / R.drawn)
        assert abs(estimate - exact) <= 4 * se + 1e-9, (pid, estimate, exact)


@pytest.mark.parametrize("model", ["ic", "lt"])
@pytest.mark.parametrize("seed", [1, 2])
def test_imm_picks_a_set_as_good_as_celf_on_the_cascades(model, seed):
    g = sg.datasets.synthetic_org(400, seed=seed)
    for t in [t for t in g.ties if t.kind.value == "rival"]:  # IMM's guarantee holds without rival ties
        g.remove_tie(t.source, t.target, t.kind)
    kw = dict(k=4, model=model, runs=512, seed=seed, competition=False)
    imm = sg.targets(g, method="imm", **kw)
    celf = sg.targets(g, method="celf", shortlist=40, **kw)
    assert imm.method == "imm" and celf.method == "celf" and len(imm.targets) == 4
    assert imm.evaluations <= 5 < celf.evaluations  # the cascades run only for the people picked
    assert imm.candidates > celf.candidates  # every candidate, not a shortlist

    def value(ids):
        h = g.copy()
        for pid in ids:
            h.set_stance(pid, "ally")
        return sg.propagate(h, model=model, runs=4000, seed=99, competition=False)

    ours, theirs = value(imm.ids), value(celf.ids)
    half = theirs.committee_support_ci[1] - theirs.committee_support
    assert ours.committee_support >= theirs.committee_support - half - 1e-9


def test_auto_takes_imm_only_without_competition_on_many_candidates_and_epsilon_is_checked():
    g = sg.datasets.load("bank")
    small = sg.targets(g, model="ic", runs=64, seed=1)
    assert small.method == "celf"
    assert any(t.kind.value == "rival" for t in g.ties)
    assert sg.targets(g, model="lt", runs=64, seed=1, shortlist=5, competition=False).method == "imm"
    assert (
        sg.targets(g, model="ic", runs=64, seed=1, shortlist=5, competition=False).method == "celf"
    )  # rivals
    assert sg.targets(g, model="lt", runs=64, seed=1, shortlist=5).method == "celf"  # the competitor spreads
    calm = g.copy()
    for t in [t for t in calm.ties if t.kind.value == "rival"]:
        calm.remove_tie(t.source, t.target, t.kind)
    assert sg.targets(calm, model="ic", runs=64, seed=1, shortlist=5, competition=False).method == "imm"
    with pytest.raises(sg.ValidationError, match="'epsilon' parameter of targets"):
        sg.targets(g, model="ic", method="imm", epsilon=0.0)
    with pytest.raises(sg.ValidationError, match="'method' parameter of targets"):
        sg.targets(g, model="ic", method="tim")
