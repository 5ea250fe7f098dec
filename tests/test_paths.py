"""Introduction paths checked against brute-force enumeration, networkx and hand-computed cases."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph.analysis.paths import IntroPath, Paths, TargetPaths
from strategies import graphs

STANCES = ["champion", "ally", "supporter", "neutral", "skeptic", "hostile", "unknown"]
ORGS = ["us", "customer", "customer", "customer", "partner", "competitor"]
KINDS = ["reports_to", "dotted_line", "advises", "influences", "friend", "rival", "knows"]
POLICIES = ["block", "penalise", "allow"]


# ----------------------------------------------------------------------------- random graphs
@st.composite
def small_graphs(draw, max_people: int = 12):
    n = draw(st.integers(2, max_people))
    g = sg.StakeholderGraph()
    for i in range(n):
        org = draw(st.sampled_from(ORGS))
        rel = draw(st.sampled_from([None, None, 0.3, 0.6, 1.0]))
        roles = (
            ["decision_maker"] if i == n - 1 else draw(st.sampled_from([[], [], ["gatekeeper"], ["user"]]))
        )
        if org != "customer":
            roles = []
        g.add_person(f"p{i}", org=org, stance=draw(st.sampled_from(STANCES)), relationship=rel, roles=roles)
    m = draw(st.integers(0, 2 * n))
    for _ in range(m):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(0, n - 1))
        kind = draw(st.sampled_from(KINDS))
        strength = draw(st.sampled_from([0.2, 0.35, 0.5, 0.7, 0.85, 1.0]))
        if a == b:
            continue
        if kind == "reports_to":
            a, b = max(a, b), min(a, b)  # a report has a lower row than nobody: no cycles
            if g.manager(f"p{a}") is not None:
                continue
        try:
            g.add_tie(f"p{a}", f"p{b}", kind, strength)
        except sg.ValidationError:
            pass  # a tie of that kind exists already
    return g


# ----------------------------------------------------------------------------- the reference
def factor_of(g, pid, policy):
    """Stance factor of an introducer, from the person record (not the compiled view)."""
    p = g.person(pid)
    if p.support is not None:
        s = p.support
    elif p.stance is not sg.Stance.UNKNOWN:
        s = p.stance.support
    else:
        s = {"us": 1.0, "competitor": -1.0}.get(p.org.value, math.nan)
    st_ = sg.Stance.from_support(s)
    if st_ is sg.Stance.SKEPTIC:
        return 0.5
    if st_ is sg.Stance.HOSTILE:
        return {"block": 0.0, "penalise": 0.1, "allow": 1.0}[policy]
    return 1.0


def start_of(g, pid):
    p = g.person(pid)
    if p.org.value == "us":
        return 1.0
    if p.org.value == "customer" and p.relationship:
        return p.relationship
    return 0.0


def contact_graph(g):
    """Undirected graph of introductions straight from the ties: strongest non-rival tie per pair."""
    G = nx.Graph()
    G.add_nodes_from(g.people)
    for t in g.ties:
        if t.kind.value == "rival":
            continue
        old = G.edges[t.source, t.target]["s"] if G.has_edge(t.source, t.target) else 0.0
        G.add_edge(t.source, t.target, s=max(old, t.strength))
    return G


def path_probability(g, G, people, policy):
    us = {i for i, p in g.people.items() if p.org.value == "us"}
    if any(x in us for x in people[1:]):
        return 0.0
    prob = start_of(g, people[0])
    for a, b in zip(people[:-1], people[1:]):
        prob *= G.edges[a, b]["s"] * factor_of(g, a, policy)
        if b != people[-1] and start_of(g, b) >= prob * (1 - 1e-12):
            return 0.0  # we know b at least as well ourselves: the path from b on is better
    return prob


def all_path_probabilities(g, target, policy):
    """Probability of every simple path to ``target`` with probability > 0."""
    G = contact_graph(g)
    out = {}
    for s in g.people:
        if start_of(g, s) == 0:
            continue
        cands = [[s]] if s == target else nx.all_simple_paths(G, s, target)
        for p in cands:
            pr = path_probability(g, G, p, policy)
            if pr > 0:
                out[tuple(p)] = pr
    return out


# ----------------------------------------------------------------------------- brute force
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=small_graphs(), policy=st.sampled_from(POLICIES), k=st.integers(1, 5), data=st.data())
def test_k_best_equal_brute_force(g, policy, k, data):
    target = data.draw(st.sampled_from(list(g.people)))
    res = sg.paths(g, target, k=k, through_hostile=policy)
    ref = all_path_probabilities(g, target, policy)
    got = res.paths
    expected = sorted(ref.values(), reverse=True)[:k]
    assert len(got) == len(expected)
    # the best path is the best over every simple path, and the k found are the k best
    assert [p.probability for p in got] == pytest.approx(expected, rel=1e-9)
    # distinct, simple, sorted, end at the target, probability as the reference computes it
    assert len({p.people for p in got}) == len(got)
    for p in got:
        assert len(set(p.people)) == len(p.people)
        assert p.people[-1] == target
        assert ref[p.people] == pytest.approx(p.probability, rel=1e-9)
    probs = [p.probability for p in got]
    assert probs == sorted(probs, reverse=True)
    if not got:
        assert res.reason
        assert res.to_dict()["targets"][0]["paths"] == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=small_graphs(), k=st.integers(1, 6), data=st.data())
def test_block_never_passes_a_hostile(g, k, data):
    target = data.draw(st.sampled_from(list(g.people)))
    res = sg.paths(g, target, k=k, through_hostile="block")
    for p in res.paths:
        for pid in p.people[:-1]:
            assert factor_of(g, pid, "block") > 0
        assert p.hostiles == ()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=small_graphs(max_people=10), policy=st.sampled_from(POLICIES), k=st.integers(1, 4), data=st.data())
def test_disjoint_paths_are_greedy_best_avoiding_earlier_ones(g, policy, k, data):
    target = data.draw(st.sampled_from(list(g.people)))
    res = sg.paths(g, target, k=k, disjoint=True, through_hostile=policy)
    ref = all_path_probabilities(g, target, policy)
    used: set[str] = set()
    seen_direct = False
    for p in res.paths:
        assert not (set(p.people[:-1]) & used)
        ok = {q: v for q, v in ref.items() if not (set(q[:-1]) & used) and not (len(q) == 1 and seen_direct)}
        assert p.probability == pytest.approx(max(ok.values()), rel=1e-9)
        used |= set(p.people[:-1])
        seen_direct |= len(p.people) == 1
    left = {q for q in ref if not (set(q[:-1]) & used) and not (len(q) == 1 and seen_direct)}
    assert len(res.paths) == k or not left


# ----------------------------------------------------------------------------- Yen vs networkx
def _random_org(n, seed):
    rng = np.random.default_rng(seed)
    g = sg.StakeholderGraph()
    for i in range(n):
        org = "us" if i < 3 else "customer"
        stance = rng.choice(STANCES, p=[0.05, 0.1, 0.15, 0.3, 0.15, 0.05, 0.2])
        rel = float(rng.choice([0.0, 0.4, 0.8])) if org == "customer" and rng.random() < 0.1 else None
        g.add_person(
            f"p{i}",
            org=org,
            stance=str(stance),
            relationship=rel or None,
            roles=["decision_maker"] if i == n - 1 else [],
        )
    pairs = set()
    while len(pairs) < 3 * n:
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a != b and (min(a, b), max(a, b)) not in pairs:
            pairs.add((min(a, b), max(a, b)))
            g.add_tie(
                f"p{a}",
                f"p{b}",
                str(rng.choice(["knows", "friend", "advises"])),
                float(np.round(rng.uniform(0.05, 1.0), 3)),
            )
    return g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_k_best_equal_networkx_on_whole_graph(seed):
    g = _random_org(400, seed)
    target = "p399"
    G = contact_graph(g)
    D = nx.DiGraph()
    us = {i for i, p in g.people.items() if p.org.value == "us"}
    for a, b, d in G.edges(data=True):
        for u, v in ((a, b), (b, a)):
            f = factor_of(g, u, "block")
            if f > 0 and v not in us:
                D.add_edge(u, v, w=-math.log(d["s"] * f))
    for s in g.people:
        if start_of(g, s) > 0:
            D.add_edge("SRC", s, w=-math.log(start_of(g, s)))
    ref = []
    for p in nx.shortest_simple_paths(D, "SRC", target, weight="w"):
        if path_probability(g, G, p[1:], "block") == 0:
            continue  # passes through someone we know better ourselves
        ref.append(math.exp(-sum(D.edges[a, b]["w"] for a, b in zip(p[:-1], p[1:]))))
        if len(ref) == 8:
            break
    got = sg.paths(g, target, k=8)
    assert [p.probability for p in got.paths] == pytest.approx(ref, rel=1e-9)


# ----------------------------------------------------------------------------- hand-computed cases
def _bank_like():
    g = sg.StakeholderGraph()
    g.add_person("me", name="Ana", org="us")
    g.add_person("chen", name="Chen Yu", title="IT architect", stance="ally", relationship=0.9)
    g.add_person("zhou", name="Zhou Min", title="COO", stance="skeptic")
    g.add_person("liu", name="Liu Fang", title="Assistant", roles=["gatekeeper"], stance="neutral")
    g.add_person("wang", name="Wang Li", title="CFO", roles=["decision_maker"])
    g.add_tie("me", "chen", "knows", 0.8)
    g.add_tie("chen", "wang", "advises", 0.7)
    g.add_tie("chen", "zhou", "friend", 0.9)
    g.add_tie("zhou", "wang", "reports_to", 1.0)
    g.add_tie("me", "liu", "knows", 0.5)
    g.add_tie("liu", "wang", "reports_to", 0.9)
    return g


def test_hand_computed_paths_and_words():
    g = _bank_like()
    r = sg.paths(g, k=5)
    got = {p.people: p.probability for p in r.paths}
    # Ana knowing Chen (0.8) adds nothing to our own relationship with Chen (0.9)
    assert got == pytest.approx(
        {
            ("chen", "wang"): 0.9 * 0.7,
            ("me", "liu", "wang"): 0.5 * 0.9,
            ("chen", "zhou", "wang"): 0.9 * 0.9 * 0.5 * 1.0,
        }
    )
    g.update_person("chen", relationship=0.6)
    got = {p.people: p.probability for p in sg.paths(g, k=5).paths}
    assert got == pytest.approx(
        {
            ("me", "chen", "wang"): 0.8 * 0.7,
            ("chen", "wang"): 0.6 * 0.7,
            ("me", "liu", "wang"): 0.5 * 0.9,
            ("me", "chen", "zhou", "wang"): 0.8 * 0.9 * 0.5,
            ("chen", "zhou", "wang"): 0.6 * 0.9 * 0.5,
        }
    )
    g.update_person("chen", relationship=0.9)
    r = sg.paths(g, k=5)
    assert r.paths[0].first_step == "ask Chen Yu (ally) to introduce you to Wang Li (CFO)"
    liu = next(p for p in r.paths if "liu" in p.people)
    assert liu.gatekeepers == ("liu",)
    assert liu.first_step == "ask your colleague Ana to introduce you to Liu Fang (Assistant, gatekeeper)"
    via_zhou = next(p for p in r.paths if p.people == ("chen", "zhou", "wang"))
    assert via_zhou.skeptics == ("zhou",)
    assert via_zhou.weakest_link == ("zhou", "wang")  # 1.0 x 0.5 (skeptic) < 0.9
    assert via_zhou.hop_probabilities == pytest.approx((0.9, 0.5))
    assert via_zhou.hops == 2


def test_hostile_policies():
    g = sg.StakeholderGraph()
    g.add_person("me", org="us")
    g.add_person("h", stance="hostile")
    g.add_person("dm", roles=["decision_maker"])
    g.add_tie("me", "h", "knows", 0.8)
    g.add_tie("h", "dm", "advises", 0.5)
    blocked = sg.paths(g)
    assert blocked.paths == ()
    assert "blocks" in blocked.reason and "h" in blocked.reason
    assert blocked.nearest == "h"  # reachable as the end of a path, one tie from the target
    pen = sg.paths(g, through_hostile="penalise")
    assert pen.paths[0].probability == pytest.approx(0.8 * 0.5 * 0.1)
    assert pen.paths[0].hostiles == ("h",)
    allow = sg.paths(g, through_hostile="allow")
    assert allow.paths[0].probability == pytest.approx(0.4)


def test_competitor_blocks_and_partner_passes():
    g = sg.StakeholderGraph()
    g.add_person("me", org="us")
    g.add_person("rival_rep", org="competitor")
    g.add_person("pa", org="partner")
    g.add_person("dm", roles=["decision_maker"])
    g.add_tie("me", "rival_rep", "knows", 1.0)
    g.add_tie("rival_rep", "dm", "knows", 1.0)
    g.add_tie("me", "pa", "knows", 0.6)
    g.add_tie("pa", "dm", "friend", 0.5)
    r = sg.paths(g, k=3)
    assert [p.people for p in r.paths] == [("me", "pa", "dm")]
    assert r.paths[0].probability == pytest.approx(0.3)


def test_strength_one_ties_are_edges():
    g = sg.StakeholderGraph()
    g.add_person("me", org="us")
    g.add_person("a")
    g.add_person("dm", roles=["decision_maker"])
    g.add_tie("me", "a", "knows", 1.0)
    g.add_tie("a", "dm", "knows", 1.0)
    r = sg.paths(g)
    assert [p.people for p in r.paths] == [("me", "a", "dm")]
    assert r.paths[0].probability == 1.0


def test_no_path_reasons():
    g = sg.StakeholderGraph()
    g.add_person("a")
    g.add_person("dm", roles=["decision_maker"])
    g.add_tie("a", "dm", "knows", 0.5)
    r = sg.paths(g)
    assert r.paths == () and "nobody to start from" in r.reason and r.nearest is None
    g.add_person("me", org="us")
    g.add_person("b")
    g.add_tie("me", "b", "knows", 0.5)
    r = sg.paths(g)
    assert "unreachable" in r.reason and r.nearest is None
    g.add_tie("b", "a", "rival", 0.5)  # rivals do not introduce
    assert sg.paths(g).paths == ()
    g.add_tie("b", "a", "friend", 0.5)
    assert sg.paths(g).paths[0].people == ("me", "b", "a", "dm")


def test_nearest_is_closest_reachable_person():
    g = sg.StakeholderGraph()
    g.add_person("me", org="us")
    for p in ("a", "b", "h"):
        g.add_person(p)
    g.update_person("h", stance="hostile")
    g.add_person("dm", roles=["decision_maker"])
    g.add_tie("me", "a", "knows", 0.5)
    g.add_tie("a", "b", "knows", 0.5)
    g.add_tie("b", "h", "knows", 0.5)
    g.add_tie("h", "dm", "knows", 0.5)
    r = sg.paths(g)
    assert r.paths == () and r.nearest == "h"


def test_several_decision_makers_and_shapes():
    g = _bank_like()
    g.add_person("ceo", name="Zhang", roles=["decision_maker"])
    g.add_tie("wang", "ceo", "reports_to", 0.6)
    r = sg.paths(g, k=2)
    assert isinstance(r, Paths) and r.targets == ("wang", "ceo")
    d = r.to_dict()
    assert set(d) == {"targets"} and [t["target"] for t in d["targets"]] == ["wang", "ceo"]
    single = sg.paths(g, "ceo", k=2).to_dict()
    assert set(single) == {"targets"} and len(single["targets"]) == 1  # one shape whatever the number
    one = single["targets"][0]
    assert set(one) == {"target", "paths", "reason", "nearest"}
    assert set(one["paths"][0]) == {"people", "probability", "weakest_link"}
    assert one["paths"][0]["people"][-1] == "ceo"
    assert isinstance(r["ceo"], TargetPaths) and isinstance(r["ceo"].paths[0], IntroPath)
    assert r["ceo"].to_dict() == one
    assert len(r._table()) == 4 and r._summary()
    assert "Introduction paths" in r._repr_html_()
    sg.paths(g, ["ceo", "wang", "ceo"]).to_json()


def test_direct_relationship_with_target():
    g = sg.StakeholderGraph()
    g.add_person("dm", name="Wang", roles=["decision_maker"], relationship=0.6)
    r = sg.paths(g, k=3)
    assert [p.people for p in r.paths] == [("dm",)]
    assert r.paths[0].weakest_link is None and r.paths[0].probability == 0.6
    g.add_person("am", org="us")
    g.update_person("dm", owner="am")
    assert sg.paths(g).paths[0].weakest_link == ("am", "dm")
    assert r.paths[0].first_step.startswith("talk to Wang directly")
    assert sg.paths(g, k=3, disjoint=True).paths[0].people == ("dm",)


def test_graph_unchanged_and_deterministic():
    g = _bank_like()
    before = g.to_dict()
    a = sg.paths(g, k=4).to_dict()
    b = sg.paths(g, k=4).to_dict()
    assert a == b and g.to_dict() == before


@pytest.mark.parametrize(
    "kwargs, text",
    [
        ({"k": 0}, "The 'k' parameter of paths must be an int >= 1. Got 0 instead."),
        ({"k": 2.5}, "The 'k' parameter of paths must be an int >= 1. Got 2.5 instead."),
        ({"through_hostile": "penalize"}, "The 'through_hostile' parameter of paths must be one of"),
        ({"disjoint": "yes"}, "The 'disjoint' parameter of paths must be a bool"),
        ({"target": 3}, "The 'target' parameter of paths"),
        ({"target": []}, "The 'target' parameter of paths"),
    ],
)
def test_bad_parameters(kwargs, text):
    with pytest.raises(
        sg.ValidationError, match=text.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        sg.paths(_bank_like(), **kwargs)


def test_unknown_target_and_no_decision_maker():
    g = _bank_like()
    with pytest.raises(sg.UnknownPersonError, match="wnag"):
        sg.paths(g, "wnag")
    with pytest.raises(KeyError):
        sg.paths(g, ["wang", "nobody"])
    h = sg.StakeholderGraph()
    h.add_person("a")
    with pytest.raises(sg.ValidationError, match="no decision-maker"):
        sg.paths(h)


def test_weakest_link_can_be_our_relationship_and_describe():
    g = sg.StakeholderGraph()
    g.add_person("me", name="Ana", org="us")
    g.add_person("a", name="Bo", stance="ally", relationship=0.3, owner="me")
    g.add_person("z", name="Zed", stance="skeptic")
    g.add_person("dm", name="Wang", title="CFO", roles=["decision_maker"])
    g.add_tie("a", "dm", "advises", 0.9)
    g.add_tie("me", "z", "knows", 0.9)
    g.add_tie("z", "dm", "knows", 0.5)
    r = sg.paths(g)
    first, second = r.paths
    assert first.people == ("a", "dm") and first.weakest_link == ("me", "a")  # 0.3 < 0.9
    g.update_person("a", owner="")
    assert sg.paths(g).paths[0].weakest_link == ("a", "dm")  # no owner named: the weakest tie
    g.update_person("a", owner="me")
    assert second.people == ("me", "z", "dm") and second.weakest_link == ("z", "dm")  # 0.5 x 0.5 (skeptic)
    lines = r.lines()
    assert lines[0].startswith("1. Bo → Wang (probability 0.27; weakest link our relationship with Bo 0.30)")
    assert "First step: ask Bo (ally) to introduce you to Wang (CFO)." in lines[0]
    assert "weakest link Zed – Wang 0.25" in lines[1] and "Through Zed (skeptic)." in lines[1]
    g.add_person("x", name="Xi")
    both = sg.paths(g, ["dm", "x"]).lines()
    assert both[0] == "To Wang:" and both[-1].startswith("  No introduction path to Xi: Xi is unreachable")


def test_graph_parameter_is_checked():
    with pytest.raises(sg.ValidationError, match="The 'g' parameter of paths must be a StakeholderGraph"):
        sg.paths(nx.Graph())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=graphs(min_people=1), data=st.data())
def test_contract_on_any_valid_graph(g, data):
    """Unicode ids, every field and kind: a result for every target asked, JSON-ready, ids preserved."""
    targets = data.draw(st.lists(st.sampled_from(list(g.people)), min_size=1, max_size=3, unique=True))
    res = sg.paths(g, targets, k=2, through_hostile=data.draw(st.sampled_from(POLICIES)))
    assert res.targets == tuple(targets)
    for tp in res:
        assert (tp.paths == ()) == (tp.reason is not None)
        for p in tp.paths:
            assert p.people[-1] == tp.target and 0 < p.probability <= 1
            assert set(p.people) <= set(g.people)
    import json

    json.loads(res.to_json())
    assert res.describe()


def test_require_gives_the_best_path_or_raises_no_path_error():
    g = sg.StakeholderGraph()
    g.add_person("me", org="us")
    g.add_person("dm", roles=["decision_maker"])
    g.add_person("lonely", roles=["approver"])
    g.add_tie("me", "dm", "knows", 0.5)
    r = sg.paths(g, ["dm", "lonely"])
    assert r["dm"].require() is r["dm"].best and r["dm"].require().people == ("me", "dm")
    with pytest.raises(sg.NoPathError, match="No introduction path to lonely") as e:
        r["lonely"].require()
    assert isinstance(e.value, sg.StakegraphError)
