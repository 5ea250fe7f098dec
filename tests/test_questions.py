"""What to ask next, against brute-force expected value of information on a tiny account."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import stakegraph as sg
from stakegraph import ValidationError


def _account() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(deal=sg.Deal(stage="deep_contact"))
    g.add_person("dm", roles=["decision_maker"], stance="neutral", level=0)
    g.add_person("cfo", roles=["approver"], level=1)
    g.add_person("cio", roles=["evaluator"], stance="ally", level=1)
    g.add_person("rep", org="us")
    g.add_tie("cfo", "dm", "reports_to")
    g.add_tie("cio", "dm", "reports_to")
    g.add_tie("rep", "cio", "knows", 0.7)
    g.observe("rep", "stance", "cfo", "supporter")
    g.observe("partner", "stance", "cfo", "hostile", confidence=0.6)
    g.observe("rep", "tie", "cio", "advises", target="dm", strength=0.8)
    g.observe("partner", "tie", "cio", "advises", target="dm", present=False)
    g.observe("rep", "tie", "cfo", "influences", target="cio", strength=0.5, confidence=0.3)
    g.observe("partner", "tie", "cfo", "influences", target="cio", present=False)
    return g


def _brute_force(beliefs: sg.Beliefs) -> dict[tuple[str, str], float]:
    """Expected reduction of the variance of committee support by each question, by enumeration."""
    ties = [(k, p) for k, p in beliefs.tie_probability.items() if 0 < p < 1]
    cfo = beliefs.stance_distribution["cfo"]
    stances = [(s, p) for s, p in cfo.items() if p > 0]
    states = []
    for tie_on in itertools.product([True, False], repeat=len(ties)):
        for stance, ps in stances:
            w = ps * np.prod([p if on else 1 - p for (_, p), on in zip(ties, tie_on)])
            g = beliefs.graph_.copy()
            for ((s, t, kind), _), on in zip(ties, tie_on):
                if on:
                    g.add_tie(s, t, kind, 0.8 if kind == "advises" else 0.5)
            g.set_stance("cfo", stance)
            f = sg.propagate(g, model="fj").committee_support
            states.append((w, f, dict(zip([k for k, _ in ties], tie_on)), stance))
    w = np.array([s[0] for s in states])
    f = np.array([s[1] for s in states])
    w /= w.sum()
    var = float(np.sum(w * (f - np.sum(w * f)) ** 2))

    def after(key) -> float:
        out = 0.0
        for a in {key(s) for s in states}:
            idx = [i for i, s in enumerate(states) if key(s) == a]
            wa, fa = w[idx], f[idx]
            out += float(np.sum(wa * (fa - np.sum(wa * fa) / wa.sum()) ** 2))
        return out

    worth = {("stance", "cfo"): var - after(lambda s: s[3])}
    for k, _ in ties:
        worth[("tie", k[0] + ">" + k[1])] = var - after(lambda s, k=k: s[2][k])
    return worth


def test_questions_rank_as_brute_force_value_of_information_does():
    beliefs = sg.fuse(_account(), ties="consensus", stances="majority")
    q = sg.next_questions(beliefs, k=10)
    assert q.exact and q.states == 8
    expected = _brute_force(beliefs)
    got = {
        (x.about, x.subject if x.about == "stance" else f"{x.subject}>{x.target}"): x.worth
        for x in q.questions
    }
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12)
    order = sorted(expected, key=lambda k: -expected[k])
    assert [
        (x.about, x.subject if x.about == "stance" else f"{x.subject}>{x.target}") for x in q.questions
    ] == order


def test_sampling_approximates_the_exact_worth():
    beliefs = sg.fuse(_account(), ties="consensus", stances="majority")
    exact = {(x.about, x.subject, x.target): x.worth for x in sg.next_questions(beliefs, k=10).questions}
    sampled = sg.next_questions(beliefs, k=10, exact=1, samples=400, seed=2)
    assert not sampled.exact and sampled.states == 400
    for x in sampled.questions:
        assert x.worth == pytest.approx(exact[(x.about, x.subject, x.target)], abs=0.25 * max(exact.values()))


def test_whom_to_ask_is_the_most_reliable_informant_who_can_know():
    beliefs = sg.fuse(_account(), ties="consensus", stances="majority")
    q = sg.next_questions(beliefs, k=10)
    by = {(x.about, x.subject): x for x in q.questions}
    assert by[("stance", "cfo")].ask in {"rep", "partner"}
    assert "Ask " in by[("stance", "cfo")].text and "Where does cfo stand?" in by[("stance", "cfo")].text
    assert q.lines()[0].startswith("1. ")


def test_other_objectives_and_refusals():
    beliefs = sg.fuse(_account(), ties="consensus", stances="majority")
    t = sg.next_questions(beliefs, objective="targets")
    assert all(0 <= x.worth <= 1 for x in t.questions)  # the probability that the first target changes
    p = sg.next_questions(beliefs, objective="best_path")
    assert all(x.worth >= 0 for x in p.questions)
    with pytest.raises(ValidationError, match="'objective' parameter"):
        sg.next_questions(beliefs, objective="luck")
    with pytest.raises(ValidationError, match="must be the Beliefs sg.fuse returns"):
        sg.next_questions(_account())
    settled = sg.fuse(sg.datasets.load("krackhardt"))
    assert sg.next_questions(settled).questions == ()
    assert set(t.to_dict()) == {"objective", "variance", "exact", "states", "questions"}
