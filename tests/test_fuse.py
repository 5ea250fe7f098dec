"""Fusing informants' reports: Krackhardt's structures on his own data, Butts' model against exact
enumeration and simulation, Dawid-Skene against crowd-kit, the small rules by hand."""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

import stakegraph as sg
from stakegraph import ValidationError
from stakegraph.analysis.fuse import dawid_skene

CSS = Path(sg.datasets.__file__).parent / "data" / "krackhardt" / "css_perceptions.csv"


# ----------------------------------------------------------------------------- Krackhardt
@pytest.fixture(scope="module")
def css():
    return sg.datasets.load("krackhardt_css")


def _perceptions() -> dict[str, set[tuple[str, str]]]:
    """Each perceiver's advice arcs (i goes to j for advice), read straight from the file."""
    out: dict[str, set[tuple[str, str]]] = {str(p): set() for p in range(1, 22)}
    with open(CSS, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["relation"] == "advice" and row["weight"] == "1":
                out[row["perceiver"]].add((row["source"], row["target"]))
    return out


def _fused_arcs(beliefs: sg.Beliefs, threshold: float = 0.5) -> set[tuple[str, str]]:
    # an advises tie advisor -> asker is the data's arc asker -> advisor
    return {(t, s) for (s, t, k), p in beliefs.tie_probability.items() if k == "advises" and p >= threshold}


def test_las_and_consensus_match_their_definitions_on_krackhardts_perceptions(css):
    R = _perceptions()
    pairs = [(i, j) for i in R for j in R if i != j]
    inter = {(i, j) for i, j in pairs if (i, j) in R[i] and (i, j) in R[j]}
    union = {(i, j) for i, j in pairs if (i, j) in R[i] or (i, j) in R[j]}
    consensus = {(i, j) for i, j in pairs if sum((i, j) in R[k] for k in R) >= 11}
    assert (len(inter), len(union), len(consensus)) == (129, 276, 95)  # the data set's reference numbers
    assert _fused_arcs(sg.fuse(css, ties="las_intersection", stances="majority")) == inter
    assert _fused_arcs(sg.fuse(css, ties="las_union", stances="majority")) == union
    assert _fused_arcs(sg.fuse(css, ties="consensus", stances="majority")) == consensus


def test_the_row_las_is_the_self_reported_network(css):
    R = _perceptions()
    own = {(i, j) for i in R for (a, j) in R[i] if a == i}
    data = {(t.target, t.source) for t in sg.datasets.load("krackhardt").ties if t.kind is sg.TieKind.ADVISES}
    assert own == data and len(own) == 190


# ----------------------------------------------------------------------------- Butts' model
def _tiny(n_informants: int, rng: np.random.Generator) -> sg.StakeholderGraph:
    g = sg.StakeholderGraph()
    for pid in ("a", "b", "c"):
        g.add_person(pid)
    for k in range(n_informants):
        for s, t in itertools.permutations("abc", 2):
            if rng.random() < 0.8:  # some informants say nothing about some ties
                g.observe(f"i{k}", "tie", s, "advises", target=t, present=bool(rng.random() < 0.5))
    return g


@pytest.mark.parametrize("case", range(12))
def test_bayes_with_known_rates_equals_exact_enumeration(case):
    rng = np.random.default_rng(case)
    n_inf = 2 + case % 3
    g = _tiny(n_inf, rng)
    rates = {f"i{k}": (float(rng.uniform(0.05, 0.3)), float(rng.uniform(0.05, 0.4))) for k in range(n_inf)}
    prior = float(rng.uniform(0.2, 0.8))
    b = sg.fuse(g, ties="bayes", stances="majority", error_rates=rates, tie_prior=prior, half_life=None)
    keys = list(b.tie_keys)
    reports = [(o.tie_key, o.informant, o.present) for o in g.observations]
    marg = np.zeros(len(keys))
    total = 0.0
    for ys in itertools.product([0, 1], repeat=len(keys)):  # every graph on the ties reported on
        y = dict(zip(keys, ys))
        p = math.prod(prior if v else 1 - prior for v in ys)
        for key, who, said in reports:
            fp, fn = rates[who]
            p *= (1 - fn if said else fn) if y[key] else (fp if said else 1 - fp)
        total += p
        marg += p * np.array(ys)
    np.testing.assert_allclose(b.tie_p, marg / total, rtol=1e-10)


def test_bayes_recovers_the_error_rates_it_simulates():
    """Rates and networks drawn from the model's own priors: the 90% intervals hold the truth about 90% of
    the time (100 seeded cases, 5 informants, two rates each)."""
    hits = total = 0
    for case in range(100):
        rng = np.random.default_rng(1000 + case)
        n, k = 12, 5
        g = sg.StakeholderGraph()
        ids = [f"p{i}" for i in range(n)]
        for pid in ids:
            g.add_person(pid)
        truth = {(s, t): bool(rng.random() < 0.5) for s in ids for t in ids if s != t}
        fp = rng.beta(1.0, 9.0, size=k)
        fn = rng.beta(1.0, 4.0, size=k)
        records = []
        for j in range(k):
            for (s, t), on in truth.items():
                said = rng.random() < (1 - fn[j] if on else fp[j])
                records.append(
                    {
                        "informant": f"i{j}",
                        "about": "tie",
                        "subject": s,
                        "target": t,
                        "value": "advises",
                        "present": said,
                    }
                )
        g = sg.StakeholderGraph.from_records([{"id": pid} for pid in ids], observations=records)
        b = sg.fuse(g, stances="majority", chains=2, draws=300, burn=150, seed=case, half_life=None)
        rows = {r["informant"]: r for r in b.informants}
        for j in range(k):
            r = rows[f"i{j}"]
            for true, band in ((fp[j], r["false_positive_90"]), (fn[j], r["false_negative_90"])):
                hits += band[0] <= true <= band[1]
                total += 1
    coverage = hits / total
    assert 0.84 <= coverage <= 0.96, coverage


def test_bayes_is_seeded_and_its_samples_are_joint_draws():
    rng = np.random.default_rng(3)
    g = _tiny(3, rng)
    a = sg.fuse(g, seed=7, draws=200, burn=50)
    b = sg.fuse(g, seed=7, draws=200, burn=50)
    np.testing.assert_array_equal(a.tie_p, b.tie_p)
    assert a.draws is not None and a.draws.shape == (4 * 200, len(a.tie_keys))
    # the draws' mean agrees with the Rao-Blackwellised probabilities
    np.testing.assert_allclose(a.draws.mean(axis=0), a.tie_p, atol=0.06)
    graphs = a.sample(5, seed=1)
    assert len(graphs) == 5 and all(isinstance(x, sg.StakeholderGraph) for x in graphs)
    assert [len(x.ties) for x in graphs] == [len(x.ties) for x in a.sample(5, seed=1)]


def test_one_truthful_informant_gives_the_true_graph():
    g = sg.datasets.load("bank_later")  # an account without reports
    dropped = next(t for t in g.ties if t.kind is sg.TieKind.ADVISES)
    truth = g.copy()
    truth.remove_tie(dropped.source, dropped.target, "advises")
    have = {frozenset((t.source, t.target)) for t in g.ties if t.kind is sg.TieKind.KNOWS}
    stranger = next(p for p in g.ids("customer") if frozenset(("us_am", p)) not in have)
    truth.add_tie("us_am", stranger, "knows", 0.4)
    truth.set_stance("cfo", "ally")
    reported = g.copy()
    keys = {t.key for t in truth.ties}
    for s, t, kind in sorted({t.key for t in g.ties} | keys):
        if kind in ("advises", "influences", "friend", "knows"):
            strength = truth.tie(s, t, kind).strength if (s, t, kind) in keys else None
            reported.observe(
                "us_am", "tie", s, kind, target=t, present=(s, t, kind) in keys, strength=strength
            )
    reported.observe("us_am", "stance", "cfo", "ally")
    for b in (
        sg.fuse(reported, ties="consensus", stances="latest"),
        sg.fuse(reported, ties="consensus", stances="majority"),
        sg.fuse(reported, ties="bayes", stances="dawid_skene", error_rates=(0.01, 0.01)),
    ):
        fused = b.graph()
        assert fused.observations == reported.observations  # the evidence stays with the graph
        assert (fused.people, set(fused.ties), fused.deal) == (truth.people, set(truth.ties), truth.deal)


# ----------------------------------------------------------------------------- Dawid-Skene
def _labels(seed: int, tasks: int = 40, workers: int = 5, classes: int = 4):
    rng = np.random.default_rng(seed)
    truth = rng.integers(classes, size=tasks)
    conf = []
    for _ in range(workers):
        m = rng.dirichlet(np.ones(classes) * 0.6, size=classes)
        m += np.eye(classes) * rng.uniform(1.0, 3.0)
        conf.append(m / m.sum(axis=1, keepdims=True))
    rows = []
    for t in range(tasks):
        for w in range(workers):
            if rng.random() < 0.85:
                rows.append((t, w, int(rng.choice(classes, p=conf[w][truth[t]]))))
    return rows, classes


@pytest.mark.filterwarnings("ignore:::crowdkit")  # crowd-kit's own use of pandas
@pytest.mark.parametrize("seed", range(5))
def test_dawid_skene_agrees_with_crowd_kit(seed):
    pd = pytest.importorskip("pandas")
    crowdkit = pytest.importorskip("crowdkit.aggregation")
    rows, classes = _labels(seed)
    df = pd.DataFrame(rows, columns=["task", "worker", "label"])
    # 100 EM iterations each, no early stop: the same iterates
    theirs = crowdkit.DawidSkene(n_iter=100, tol=-1.0).fit_predict_proba(df).sort_index()
    t, w, lab = (np.array(c) for c in zip(*rows))
    P, _rho, _pi = dawid_skene(t, w, lab, np.ones(len(rows)), 40, 5, classes, n_iter=100, tol=0.0)
    ours = P[theirs.index.to_numpy()][:, [int(c) for c in theirs.columns]]
    np.testing.assert_allclose(ours, theirs.to_numpy(), atol=1e-8)


@pytest.mark.filterwarnings("ignore:::crowdkit")
def test_fused_stances_with_the_classic_prior_agree_with_crowd_kit():
    pd = pytest.importorskip("pandas")
    crowdkit = pytest.importorskip("crowdkit.aggregation")
    stances = ["champion", "ally", "supporter", "neutral", "skeptic", "hostile"]
    rows, _ = _labels(11, tasks=25, workers=4, classes=6)
    g = sg.StakeholderGraph()
    for t in range(25):
        g.add_person(f"p{t}")
    for t, w, lab in rows:
        g.observe(f"w{w}", "stance", f"p{t}", stances[lab])
    b = sg.fuse(g, ties="consensus", stances="dawid_skene", confusion_prior=(0, 0), half_life=None)
    df = pd.DataFrame(
        [(f"p{t}", f"w{w}", stances[lab]) for t, w, lab in rows], columns=["task", "worker", "label"]
    )
    theirs = crowdkit.DawidSkene(n_iter=100, tol=-1.0).fit_predict_proba(df)
    for pid, row in theirs.iterrows():
        for s in theirs.columns:
            assert b.stance_distribution[pid][s] == pytest.approx(row[s], abs=1e-4)


# ----------------------------------------------------------------------------- the small rules
def _people(*ids: str) -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(deal=sg.Deal(as_of="2026-12-01"))
    for pid in ids:
        g.add_person(pid)
    return g


def test_latest_majority_and_recency_by_hand():
    g = _people("cfo", "cio")
    g.observe("coach", "stance", "cfo", "supporter", date="2026-06-04")  # 180 days old: weight 0.5
    g.observe("partner", "stance", "cfo", "skeptic", date="2026-12-01", confidence=0.8)
    g.observe("rep", "stance", "cfo", "supporter")  # undated: weight 1
    g.observe("coach", "stance", "cio", "neutral", date="2026-01-01")
    g.observe(
        "coach", "stance", "cio", "ally", date="2026-11-01"
    )  # the coach's newest view replaces the old one
    latest = sg.fuse(g, ties="consensus", stances="latest")
    assert latest.stance("cfo") == (sg.Stance.SKEPTIC, 1.0) and latest.stance("cio")[0] is sg.Stance.ALLY
    major = sg.fuse(g, ties="consensus", stances="majority")
    assert major.stance_distribution["cfo"]["supporter"] == pytest.approx(1.5 / 2.3)
    assert major.stance_distribution["cfo"]["skeptic"] == pytest.approx(0.8 / 2.3)
    flat = sg.fuse(g, ties="consensus", stances="majority", half_life=None)
    assert flat.stance_distribution["cfo"]["supporter"] == pytest.approx(2 / 2.8)
    early = sg.fuse(g, ties="consensus", stances="majority", as_of="2026-11-15")  # the partner had not spoken
    assert early.stance_distribution["cfo"]["skeptic"] == 0.0


def test_reasons_roles_and_the_most_probable_graph():
    g = _people("cfo", "cio", "coo")
    g.observe("coach", "stance", "coo", "skeptic")
    g.observe("coach", "reason", "coo", "misinformed")
    g.observe("rep", "reason", "coo", "misinformed")
    g.observe("partner", "reason", "coo", "doubt")
    g.observe("coach", "role", "cio", "evaluator")
    g.observe("rep", "role", "cio", "evaluator", present=False, confidence=0.5)
    g.observe("coach", "tie", "cio", "advises", target="cfo", strength=0.6)
    g.observe("rep", "tie", "cio", "advises", target="cfo", strength=0.8)
    g.observe("partner", "tie", "coo", "advises", target="cfo", present=False)
    b = sg.fuse(g, ties="consensus", stances="majority")
    assert b.role_probability[("cio", "evaluator")] == pytest.approx(1 / 1.5)
    h = b.graph()
    assert h.person("coo").stance is sg.Stance.SKEPTIC and h.person("coo").reason is sg.Reason.MISINFORMED
    assert h.person("cio").roles == (sg.Role.EVALUATOR,)
    assert h.tie("cio", "cfo", "advises").strength == pytest.approx(0.7)
    assert [t.key for t in h.ties] == [("cio", "cfo", "advises")]
    assert b.graph(threshold=0.7).person("cio").roles == ()


def test_informants_table_and_result_views():
    g = sg.datasets.load("krackhardt_css")
    b = sg.fuse(g, ties="consensus", stances="majority")
    rows = {r["informant"]: r for r in b.informants}
    assert len(rows) == 21 and rows["7"]["tie_reports"] == 630
    assert all(
        0 <= r["false_positive"] <= 1 and r["false_positive_90"][0] <= r["false_positive"]
        for r in rows.values()
    )
    d = b.to_dict()
    assert set(d) == {"methods", "as_of", "ties", "people", "informants", "roles"} and len(d["ties"]) == 630
    assert "Beliefs fused" in b._repr_html_()
    assert b.describe().startswith("21 informants; 630 ties reported on")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"ties": "vote"}, "'ties' parameter"),
        ({"stances": "mode"}, "'stances' parameter"),
        ({"tie_prior": 1.0}, "'tie_prior' parameter"),
        ({"fp_prior": (0, 1)}, "'fp_prior' parameter"),
        ({"error_rates": {"coach": (0.1, 0.2)}}, "no rates for the informant 'rep'"),
        ({"error_rates": (0.0, 0.2)}, "strictly between 0 and 1"),
        ({"as_of": "soon"}, "'as_of' parameter"),
        ({"draws": 0}, "'draws' parameter"),
    ],
)
def test_bad_parameters_are_refused(kwargs, fragment):
    g = _people("a", "b")
    g.observe("coach", "tie", "a", "advises", target="b")
    g.observe("rep", "tie", "a", "advises", target="b", present=False)
    with pytest.raises(ValidationError, match=fragment):
        sg.fuse(g, **kwargs)


def test_las_reads_only_the_reports_of_the_two_people_a_tie_joins():
    g = _people("a", "b", "c")
    g.observe("c", "tie", "a", "advises", target="b")  # a third party: not read by LAS
    g.observe("a", "tie", "a", "advises", target="b")
    assert sg.fuse(g, ties="las_intersection", stances="majority").tie_p.tolist() == [0.0]
    assert sg.fuse(g, ties="las_union", stances="majority").tie_p.tolist() == [1.0]
    g.observe("b", "tie", "a", "advises", target="b")
    assert sg.fuse(g, ties="las_intersection", stances="majority").tie_p.tolist() == [1.0]


def test_a_graph_without_reports_fuses_to_itself():
    g = sg.datasets.load("bank_later")
    b = sg.fuse(g)
    assert b.tie_keys == () and b.graph() == g and b.informants == ()


def test_bayes_agrees_with_the_models_reference_implementation(css):
    """sna::bbnam, Butts' own R implementation, on the same advice perceptions with the same priors
    (its posterior is stored in tests/data, written by benchmarks/bench_fuse.py --save-reference)."""
    ref = {}
    with open(Path(__file__).parent / "data" / "bbnam_krackhardt_advice.csv", encoding="utf-8") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    for row in csv.DictReader(rows):
        ref[(row["advisor"], row["asker"])] = float(row["probability"])
    advice = [o.to_record() for o in css.observations if o.value is sg.TieKind.ADVISES]
    g = sg.StakeholderGraph.from_records([{"id": p} for p in css.people], observations=advice)
    b = sg.fuse(g, ties="bayes", stances="majority", chains=5, draws=1500, burn=500, seed=3, half_life=None)
    ours = b.tie_probability
    diff = np.array([abs(ours[(s, t, "advises")] - p) for (s, t), p in ref.items()])
    assert len(diff) == 420 and diff.mean() < 0.01 and diff.max() < 0.06
    assert {k for k, p in ref.items() if p >= 0.5} == {(s, t) for (s, t, _), p in ours.items() if p >= 0.5}


def test_the_how_to_page_runs_as_written(tmp_path, monkeypatch):
    import re

    monkeypatch.chdir(tmp_path)  # the page writes map.html

    page = (Path(__file__).resolve().parents[1] / "docs" / "intelligence.md").read_text(encoding="utf-8")
    ns: dict = {}
    exec("\n".join(re.findall(r"```python\n(.*?)```", page, re.S)), ns)
    b = ns["beliefs"]
    stance, p = b.stance("cfo")
    # the coach and our account manager say skeptic, the partner said supporter weeks earlier
    assert stance is sg.Stance.SKEPTIC and 0.6 < p < 1
    assert len(ns["possible"]) == 100 and isinstance(ns["likely"], sg.StakeholderGraph)
    # the page's claims about the analyses on beliefs
    ranked = ns["ranked"]
    lo, hi = ranked.rank_90["cfo"]
    assert lo <= sg.rank(b.graph(), exact_max=500)["cfo"].rank <= hi
    assert {"rank", "rank_90", "p_top", "power", "power_90", "hidden", "p_hidden"} <= set(
        ranked.to_frame().columns
    )
    assert isinstance(ns["support"], sg.SupportSpread) and isinstance(ns["health"], sg.DiagnosisSpread)
    assert ns["routes"].point == sg.paths(b.graph(), "ceo")
    assert 0 <= ns["change"].p_better <= 1


# ----------------------------------------------------------------------------- any input
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from strategies import graphs  # noqa: E402

_VALUES = [
    "ally",
    "hostile",
    "supporter",
    "支持者",
    "advises",
    "friend",
    "doubt",
    "evaluator",
    "alley",
    "",
    None,
    3,
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    graphs(max_people=6),
    st.lists(
        st.tuples(
            st.sampled_from(["coach", "rep", "partner", "trade press"]),
            st.sampled_from(["stance", "reason", "role", "tie", "mood"]),
            st.integers(0, 5),
            st.integers(0, 5),
            st.sampled_from(_VALUES),
            st.booleans(),
            st.sampled_from([None, 0.5, 1.0, 0.0, 2.0]),
            st.sampled_from([None, "2026-01-05", "2026-06-30", "30/06/2026", "later"]),
        ),
        max_size=12,
    ),
    st.sampled_from(("las_intersection", "las_union", "consensus", "bayes")),
    st.sampled_from(("latest", "majority", "dawid_skene")),
)
def test_any_reports_are_recorded_or_refused_and_always_fuse(g, reports, ties, stances):
    ids = list(g.people)
    for informant, about, i, j, value, present, conf, date in reports:
        before = g.observations
        try:
            g.observe(
                informant,
                about,
                ids[i % len(ids)] if ids else "x",
                value,
                target=ids[j % len(ids)] if ids and about == "tie" else None,
                present=present if about in ("tie", "role") else True,
                confidence=1.0 if conf is None else conf,
                date=date,
            )
        except ValidationError as e:
            assert e.problems and g.observations == before
    b = sg.fuse(g, ties=ties, stances=stances, seed=0, draws=30, burn=10)
    assert np.all((b.tie_p >= 0) & (b.tie_p <= 1))
    for dist in b.stance_distribution.values():
        assert sum(dist.values()) == pytest.approx(1.0)
    assert isinstance(b.graph(), sg.StakeholderGraph)
    assert len(b.sample(2, seed=1)) == 2


def test_reports_centuries_old_still_give_distributions_that_sum_to_one():
    g = sg.StakeholderGraph(deal=sg.Deal(as_of="9999-01-01"))  # every report decays to next to nothing
    for pid in ("a", "b"):
        g.add_person(pid)
    g.observe("coach", "stance", "a", "ally", date="2026-01-05")
    g.observe("rep", "stance", "a", "skeptic", date="2026-01-04")
    g.observe("coach", "tie", "a", "advises", target="b", date="2026-01-05")
    for stances in ("latest", "majority", "dawid_skene"):
        b = sg.fuse(g, ties="consensus", stances=stances)
        assert sum(b.stance_distribution["a"].values()) == pytest.approx(1.0)
        assert b.tie_p.tolist() == [1.0]  # the only report says the tie is there
