"""Support over the possible accounts: the batched solve against one Friedkin-Johnsen solve per drawn account."""

from __future__ import annotations

import numpy as np
import pytest

import stakegraph as sg
from stakegraph import ValidationError


def _reported_org(seed: int) -> sg.StakeholderGraph:
    g = sg.datasets.synthetic_org(60, seed=seed)
    rng = np.random.default_rng(seed)
    ids = [p for p in g.people if g.person(p).org is sg.Org.CUSTOMER]
    for _ in range(40):
        a, b = rng.choice(ids, size=2, replace=False)
        for informant in ("coach", "partner"):
            g.observe(informant, "tie", str(a), "advises", target=str(b), present=bool(rng.random() < 0.6))
    for pid in rng.choice(ids, size=10, replace=False):
        for informant in ("coach", "partner", "rep"):
            g.observe(
                informant, "stance", str(pid), str(rng.choice(["ally", "neutral", "skeptic", "hostile"]))
            )
    return g


@pytest.mark.parametrize("ties", ["bayes", "consensus"])
def test_the_batched_solve_equals_one_solve_per_drawn_account(ties):
    for g in (sg.datasets.load("bank"), _reported_org(5)):
        b = sg.fuse(g, ties=ties, seed=1, draws=100, burn=50)
        s = sg.support_spread(b, samples=40, seed=7)
        one_by_one = [sg.propagate(h, model="fj") for h in b.sample(40, seed=7)]
        np.testing.assert_allclose(
            s.committee_support_draws, [p.committee_support for p in one_by_one], atol=1e-8
        )
        np.testing.assert_array_equal(s.reach_draws, [p.reach for p in one_by_one])
        point = sg.propagate(b.graph(), model="fj")
        assert s.committee_support == point.committee_support and s.reach == point.reach


def test_one_truthful_informant_leaves_no_spread():
    g = sg.datasets.load("bank_later")
    truth = g.copy()
    truth.set_stance("cfo", "ally")
    for t in g.ties:
        if t.kind.value in ("advises", "friend"):
            g.observe("us_am", "tie", t.source, t.kind.value, target=t.target, strength=t.strength)
    g.observe("us_am", "stance", "cfo", "ally")
    b = sg.fuse(g, ties="consensus", stances="latest")
    s = sg.support_spread(b, samples=25, seed=0)
    lo, hi = s.committee_support_90
    expected = sg.propagate(truth, model="fj")
    assert lo == pytest.approx(hi, abs=1e-12) and lo == pytest.approx(expected.committee_support, abs=1e-10)
    assert s.reach_90 == (expected.reach, expected.reach)
    assert set(s.to_dict()) == {"samples", "threshold", "committee_support", "reach", "people"}
    assert "Committee support" in s.describe()


def test_bad_input_is_refused():
    with pytest.raises(ValidationError, match="must be the Beliefs sg.fuse returns"):
        sg.support_spread(sg.datasets.load("bank"))
    with pytest.raises(ValidationError, match="'samples' parameter"):
        sg.support_spread(sg.fuse(sg.datasets.load("bank"), seed=0), samples=0)


# ----------------------------------------------------------------------------- every analysis over beliefs
# Each spread is checked draw by draw against the plain analysis run on the
# accounts Beliefs.sample builds for the same seed (one graph per draw).


def _cases():
    bank = sg.fuse(sg.datasets.load("bank"), seed=1, draws=100, burn=50)
    org = sg.fuse(_reported_org(5), ties="consensus", stances="majority")
    return [("bank", bank), ("org", org)]


@pytest.fixture(scope="module", params=["bank", "org"])
def case(request):
    return dict(_cases())[request.param]


SEED, S = 11, 24


def test_rank_over_beliefs_equals_rank_of_each_drawn_account(case):
    r = sg.rank(case, samples=S, seed=SEED)
    assert isinstance(r, sg.RankSpread)
    one_by_one = [sg.rank(h) for h in case.sample(S, seed=SEED)]
    power = np.array([[x[pid].power for pid in r.ids] for x in one_by_one])
    np.testing.assert_allclose(r.power_draws, power, atol=1e-8)
    ranks = np.array([[x[pid].rank for pid in r.ids] for x in one_by_one])
    # ranks are compared in the draws where no two powers are within rounding of each other yet not equal
    diff = np.abs(power[:, :, None] - power[:, None, :])
    near = (diff < 1e-7) & (np.round(power, 12)[:, :, None] != np.round(power, 12)[:, None, :])
    clear = ~near.any(axis=(1, 2))
    assert clear.sum() >= S // 2
    np.testing.assert_array_equal(r.rank_draws[clear], ranks[clear])
    top = (ranks[clear] <= 5).mean(axis=0)
    np.testing.assert_allclose((r.rank_draws[clear] <= 5).mean(axis=0), top)
    hidden = np.array([[x[pid].hidden_influencer for pid in r.ids] for x in one_by_one])
    np.testing.assert_allclose(r.p_hidden, hidden.mean(axis=0))
    assert r.point == sg.rank(case.graph(), exact_max=500)
    lo_hi = r.rank_90
    for j, pid in enumerate(r.ids):
        assert lo_hi[pid][0] <= np.median(ranks[:, j]) <= lo_hi[pid][1]


def test_rank_over_beliefs_estimates_brokerage_per_draw_beyond_exact_max():
    b = dict(_cases())["org"]
    r = sg.rank(b, samples=6, seed=3, exact_max=10, pivots=20)
    exact = sg.rank(b, samples=6, seed=3)
    # an unbiased estimate from 20 of 60+ sources: close to the exact scores, not equal
    assert not np.allclose(r.power_draws, exact.power_draws)
    assert np.abs(r.power_draws - exact.power_draws).mean() < 0.05


def test_propagate_over_beliefs_is_support_spread_and_takes_the_other_models(case):
    s = sg.propagate(case, samples=S, seed=SEED)
    t = sg.support_spread(case, samples=S, seed=SEED)
    np.testing.assert_array_equal(s.committee_support_draws, t.committee_support_draws)
    d = sg.propagate(case, samples=S, seed=SEED, model="degroot")
    one_by_one = [sg.propagate(h, model="degroot") for h in case.sample(S, seed=SEED)]
    np.testing.assert_allclose(
        d.committee_support_draws, [p.committee_support for p in one_by_one], atol=1e-9
    )
    np.testing.assert_array_equal(d.reach_draws, [p.reach for p in one_by_one])


def test_paths_over_beliefs_equal_the_best_path_of_each_drawn_account(case):
    p = sg.paths(case, samples=S, seed=SEED)
    assert isinstance(p, sg.PathSpread)
    drawn = case.sample(S, seed=SEED)
    for t in p.point.targets:
        best = []
        for h in drawn:
            try:
                best.append(sg.paths(h, t, k=1).paths[0])
            except IndexError:
                best.append(None)
        np.testing.assert_allclose(p.reach_draws[t], [b.probability if b else 0.0 for b in best], atol=1e-9)
        rows = {row["people"]: row for row in p.paths[t]}
        for people, row in rows.items():
            assert row["p_best"] == pytest.approx(sum(b is not None and b.people == people for b in best) / S)
            # exists: every introduction of it can be made in that account (checked on the built graph)
            there = [_path_possible(h, people) for h in drawn]
            assert row["p_exists"] == pytest.approx(np.mean(there))
        assert [row["people"] for row in p.paths[t]][: len(p.point[t].paths)] == [
            x.people for x in p.point[t].paths
        ]


def _path_possible(h: sg.StakeholderGraph, people: tuple[str, ...]) -> bool:
    start = h.person(people[0])
    if not (start.org is sg.Org.US or (start.relationship or 0) > 0):
        return False
    for a, b in zip(people, people[1:]):
        kinds = {t.kind for t in h.ties if {t.source, t.target} == {a, b} and t.kind is not sg.TieKind.RIVAL}
        pa = h.person(a)
        blocked = (
            pa.org is sg.Org.COMPETITOR
            or (pa.support if pa.support is not None else pa.stance.support) <= -0.75
        )
        if not kinds or blocked or h.person(b).org is sg.Org.US:
            return False
    return True


def test_targets_over_beliefs_equal_the_gains_of_each_drawn_account(case):
    t = sg.targets(case, samples=S, seed=SEED, k=3)
    assert isinstance(t, sg.TargetSpread)
    drawn = case.sample(S, seed=SEED)
    every = [sg.targets(h, k=10_000) for h in drawn]
    chosen = [sg.targets(h, k=3) for h in drawn]
    for j, pid in enumerate(t.ids):
        gains = [next((x.gain for x in e if x.id == pid), np.nan) for e in every]
        got = t.gain_draws[:, j]
        listed = ~np.isnan(np.asarray(gains))
        np.testing.assert_allclose(got[listed], np.asarray(gains)[listed], atol=1e-8)
        assert t.p_chosen[j] == pytest.approx(np.mean([pid in c.ids for c in chosen]))
    assert t.ids[: len(t.point)] == t.point.ids


def test_what_if_over_beliefs_equals_what_if_on_each_drawn_account(case):
    drawn = case.sample(S, seed=SEED)
    pid = next(p for p in case.graph().people if case.graph().person(p).org is sg.Org.CUSTOMER)
    other = [p for p in case.graph().people if case.graph().person(p).org is sg.Org.CUSTOMER][3]
    for changes in (
        {pid: "ally"},
        {pid: -0.4},
        {pid: 3},
        {"add_tie": (pid, other, "advises", 0.7)},
    ):  # 3: a rating
        w = sg.what_if(case, changes, samples=S, seed=SEED)
        assert isinstance(w, sg.WhatIfSpread)
        one_by_one = [sg.what_if(h, changes) for h in drawn]
        np.testing.assert_allclose(w.before_draws, [x.committee_support[0] for x in one_by_one], atol=1e-8)
        np.testing.assert_allclose(w.after_draws, [x.committee_support[1] for x in one_by_one], atol=1e-8)
        np.testing.assert_array_equal(w.reach_after_draws, [x.reach[1] for x in one_by_one])
        d = np.array([x.committee_support[1] - x.committee_support[0] for x in one_by_one])
        assert w.p_better == pytest.approx(np.mean(d > 1e-12))


def test_diagnose_over_beliefs_counts_each_finding_over_the_drawn_accounts():
    b = dict(_cases())["bank"]
    d = sg.diagnose(b, samples=12, seed=SEED)
    assert isinstance(d, sg.DiagnosisSpread)
    found = [sg.diagnose(h).findings for h in b.sample(12, seed=SEED)]
    for row in d.findings:
        share = np.mean(
            [any(f.code == row["code"] and tuple(f.people) == row["people"] for f in fs) for fs in found]
        )
        assert row["probability"] == pytest.approx(share)
    codes = {f.code for fs in found for f in fs}
    for code in codes:
        assert d.probability(code) == pytest.approx(
            np.mean([any(f.code == code for f in fs) for fs in found])
        )
    point = sg.diagnose(b.graph())
    assert [(r["code"], r["people"]) for r in d.findings if r["in_point"]] == [
        (f.code, tuple(f.people)) for f in point.findings
    ]


def test_a_drawn_reporting_line_is_built_account_by_account():
    g = sg.datasets.load("bank")
    # the coach says the chief architect reports to the CIO, our account manager says not
    g.observe("head_core_it", "tie", "head_arch", "reports_to", target="cio")
    g.observe("us_am", "tie", "head_arch", "reports_to", target="cio", present=False)
    b = sg.fuse(g, ties="consensus", stances="majority")
    r = sg.rank(b, samples=16, seed=2)
    one_by_one = [sg.rank(h) for h in b.sample(16, seed=2)]
    power = np.array([[x[pid].power for pid in r.ids] for x in one_by_one])
    np.testing.assert_allclose(r.power_draws, power, atol=1e-8)
    assert len({round(float(x["cio"].authority), 9) for x in one_by_one}) == 2  # the line does come and go
    # committee support weighs each account by its own power (the line moves the CIO's)
    drawn = b.sample(16, seed=2)
    s = sg.propagate(b, samples=16, seed=2)
    np.testing.assert_allclose(
        s.committee_support_draws, [sg.propagate(h).committee_support for h in drawn], atol=1e-8
    )
    w = sg.what_if(b, {"cfo": "ally"}, samples=16, seed=2)
    np.testing.assert_allclose(
        w.after_draws, [sg.what_if(h, {"cfo": "ally"}).committee_support[1] for h in drawn], atol=1e-8
    )


def test_one_truthful_informant_gives_every_analysis_of_the_plain_graph():
    g = sg.datasets.load("bank_later")
    truth = g.copy()
    for t in g.ties:
        if t.kind.value in ("advises", "friend", "influences"):
            g.observe("us_am", "tie", t.source, t.kind.value, target=t.target, strength=t.strength)
    for pid, p in g.people.items():
        if p.org is sg.Org.CUSTOMER and p.stance is not sg.Stance.UNKNOWN:
            g.observe("us_am", "stance", pid, p.stance.value)
    b = sg.fuse(g, ties="consensus", stances="latest")
    r = sg.rank(b, samples=10, seed=0)
    plain = sg.rank(truth, exact_max=500)
    assert r.ids == plain.ids and all(lo == hi for lo, hi in r.rank_90.values())
    np.testing.assert_array_equal(r.rank_draws, np.tile(np.arange(1, len(plain) + 1), (10, 1)))
    p = sg.paths(b, samples=10, seed=0)
    for t in p.point.targets:
        best = sg.paths(truth, t).paths[0]
        np.testing.assert_allclose(p.reach_draws[t], best.probability, atol=1e-12)
        assert p.paths[t][0]["p_best"] == 1.0 and p.paths[t][0]["people"] == best.people
    tg = sg.targets(b, samples=10, seed=0)
    assert tg.ids[:3] == sg.targets(truth).ids and all(x in (0.0, 1.0) for x in tg.p_chosen)
    for j in range(3):
        lo, hi = tg.to_dict()["targets"][j]["gain_90"]
        assert lo == pytest.approx(hi, abs=1e-9)
    cfo = "cfo"
    w = sg.what_if(b, {cfo: "ally"}, samples=10, seed=0)
    exact = sg.what_if(truth, {cfo: "ally"})
    assert w.change_90 == pytest.approx(
        (exact.committee_support[1] - exact.committee_support[0],) * 2, abs=1e-9
    )
    d = sg.diagnose(b, samples=10, seed=0)
    plain_codes = [(f.code, tuple(f.people)) for f in sg.diagnose(truth).findings]
    spread_codes = [(r_["code"], r_["people"]) for r_ in d.findings]
    assert set(plain_codes) - {c for c in plain_codes if c[0].endswith(("SOURCE", "INTELLIGENCE"))} <= set(
        spread_codes
    )
    assert all(r_["probability"] in (0.0, 1.0) for r_ in d.findings)


def test_spread_results_speak_every_format(case):
    results = [
        sg.rank(case, samples=8, seed=0),
        sg.paths(case, samples=8, seed=0),
        sg.targets(case, samples=8, seed=0),
        sg.what_if(case, {next(iter(case.stance_distribution)): "ally"}, samples=8, seed=0),
        sg.propagate(case, samples=8, seed=0),
    ]
    for res in results:
        assert res.describe()
        json = res.to_json()
        assert json.startswith("{") and "NaN" not in json
        html = res._repr_html_()
        assert html.startswith("<div>")
    frame = results[0].to_frame()
    assert list(frame.index) == list(results[0].ids)
    assert {"rank_90", "p_top", "p_hidden"} <= set(frame.columns)
    fig = results[0].plot()
    assert len(fig.axes[0].get_yticklabels()) == min(15, len(results[0].ids))
    # the bars are the chances the results hold; the histograms count every draw
    assert [p.get_width() for p in results[2].plot().axes[0].patches] == pytest.approx(
        list(results[2].p_chosen[:12])
    )
    paths_bars = [p.get_width() for p in results[1].plot().axes[0].patches]
    assert paths_bars == pytest.approx(
        [r["p_best"] for t in results[1].paths for r in results[1].paths[t]][:12]
    )
    for res in (results[3], results[4]):
        heights = [p.get_height() for p in res.plot().axes[0].containers[0]]
        assert sum(heights) == res.samples
    import matplotlib.pyplot as plt

    plt.close("all")


def test_samples_and_seed_are_checked_for_every_analysis():
    b = dict(_cases())["bank"]
    for call in (sg.rank, sg.propagate, sg.paths, sg.targets, sg.diagnose):
        with pytest.raises(ValidationError, match="'samples' parameter"):
            call(b, samples=0)
    with pytest.raises(ValidationError, match="'samples' parameter"):
        sg.what_if(b, {"cfo": "ally"}, samples=-1)
    with pytest.raises(ValidationError, match="'seed' parameter"):
        sg.rank(b, seed="x")


def test_block_kernels_equal_one_run_per_block():
    nx = pytest.importorskip("networkx")
    from stakegraph.analysis._centrality import betweenness, pagerank, social_power

    rng = np.random.default_rng(0)
    blocks = []
    for _ in range(4):
        G = nx.gnp_random_graph(30, 0.12, seed=int(rng.integers(1000)), directed=True)
        for u, v in G.edges:
            G[u][v]["weight"] = float(rng.uniform(0.1, 1.0))
        blocks.append(G)
    mats = [nx.to_scipy_sparse_array(G, nodelist=range(30), weight="weight", format="csr") for G in blocks]
    import scipy.sparse as sp

    A = sp.csr_array(sp.block_diag(mats, format="csr"))
    pr, _ = pagerank(A, damping=0.85, tol=1e-13, max_iter=10_000, blocks=4)
    for b, G in enumerate(blocks):
        ref = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=10_000, weight="weight")
        np.testing.assert_allclose(pr[b * 30 : (b + 1) * 30], [ref[i] for i in range(30)], atol=1e-9)
    W = sp.csr_array(A.multiply(1.0 / np.maximum(A.sum(axis=1), 1e-300)[:, None]))
    W = sp.csr_array(W + sp.diags_array((A.sum(axis=1) == 0).astype(float)))
    lam = rng.uniform(0.2, 0.8, size=120)
    p = rng.random(120)
    s, _ = social_power(W, lam, p, tol=1e-13, max_iter=100_000, blocks=4)
    dense = np.eye(120) - np.diag(lam) @ W.toarray()
    np.testing.assert_allclose(s, (1 - lam) * np.linalg.solve(dense.T, p), atol=1e-9)
    cost = sp.csr_array(A, copy=True)
    cost.data = 1.0 / cost.data
    bc = betweenness(cost)
    for b, G in enumerate(blocks):
        H = nx.DiGraph()
        H.add_nodes_from(range(30))
        H.add_weighted_edges_from((u, v, 1.0 / d["weight"]) for u, v, d in G.edges(data=True))
        ref = nx.betweenness_centrality(H, weight="weight", normalized=False)
        np.testing.assert_allclose(bc[b * 30 : (b + 1) * 30], [ref[i] for i in range(30)], atol=1e-9)


def test_accounts_side_by_side_hold_each_accounts_own_layers():
    from stakegraph.analysis.uncertain import accounts

    b = dict(_cases())["org"]
    acc = accounts(b, 12, 4)
    V, n = acc.view, acc.n
    for u, h in enumerate(acc.graphs()):
        c = h.compiled()
        part = slice(u * n, (u + 1) * n)
        for name in ("formal", "informal", "influence", "W", "contacts"):
            np.testing.assert_allclose(
                getattr(V, name)[part, part].toarray(), getattr(c, name).toarray(), atol=1e-12
            )
        np.testing.assert_allclose(np.nan_to_num(V.support[part], nan=9), np.nan_to_num(c.support, nan=9))
        np.testing.assert_array_equal(V.power[part], c.power)
    only = accounts(b, 12, 4, layers=("contacts",))
    assert only.view.influence.nnz == 0 and only.view.contacts.nnz == V.contacts.nnz
