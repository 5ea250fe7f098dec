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
