"""The method's one home: stance classes, the decision group, the words, and a read-only compiled view."""

from __future__ import annotations

import math

import numpy as np
import pytest

import stakegraph as sg
from stakegraph import method
from stakegraph.method import Stance

NAMED = [s for s in Stance if s is not Stance.UNKNOWN]


def _nearest(v: float) -> Stance:
    """Brute force: the stance whose value is nearest; midway goes to the more supportive one."""
    return min(NAMED, key=lambda s: (abs(s.support - v), -s.support))


@pytest.mark.parametrize("v", np.round(np.linspace(-1.0, 1.0, 1601), 6).tolist())
def test_stance_of_is_the_nearest_stance(v):
    assert method.stance_of(v) is _nearest(v)


def test_vectorised_classes_agree_with_the_scalar_rule():
    s = np.concatenate([np.linspace(-1, 1, 801), [np.nan, 0.875, 0.625, 0.25, -0.25, -0.75]])
    order = list(Stance)
    codes = method.stance_codes(s)
    assert [order[k] for k in codes] == [method.stance_of(float(x)) for x in s]
    opp = method.opposition_codes(s)
    expected = [{Stance.HOSTILE: 2, Stance.SKEPTIC: 1}.get(method.stance_of(float(x)), 0) for x in s]
    assert opp.tolist() == expected
    active = [method.stance_of(float(x)) in (Stance.CHAMPION, Stance.ALLY) for x in s]
    assert method.is_active_for_us(s).tolist() == active
    against = [method.stance_of(float(x)) is Stance.HOSTILE for x in s]
    assert method.is_active_against_us(s).tolist() == against


def test_each_stance_value_is_its_own_class_and_from_support_follows():
    for s in NAMED:
        assert method.stance_of(s.support) is s
        assert Stance.from_support(s.support) is s
    assert Stance.from_support(float("nan")) is Stance.UNKNOWN


def test_decision_group_is_customers_with_a_buying_role():
    g = sg.datasets.load("bank")
    c = g.compiled()
    expected = [method.in_decision_group(p.org, p.roles) for p in g.people.values()]
    assert c.decision_group.tolist() == expected
    assert any(expected) and not all(expected)


def test_words_of_people_stances_deals_and_numbers():
    p = sg.Person(id="w", name="Wang Li", title="CFO")
    assert method.who(p) == "Wang Li (CFO)"
    assert method.who(sg.Person(id="x")) == "x"
    assert method.name_list([p, sg.Person(id="a"), sg.Person(id="b")], title=False) == "Wang Li, a and b"
    assert method.stance_word("unknown", 0.8) == "ally"
    assert method.stance_phrase("unknown") == "of unknown stance"
    d = sg.Deal(name="X", stage="commercial", competitors=("A", "B"))
    assert method.describe_deal(d) == "X; stage commercial (70%); competing with A, B"
    assert method.signed(-0.5) == "-0.50" and method.signed(math.inf) == method.DASH
    assert method.finite_or_none(np.float32(0.5)) == 0.5 and method.finite_or_none("1") is None


def test_the_compiled_view_is_read_only():
    g = sg.datasets.load("bank")
    before = sg.propagate(g).committee_support
    c = g.compiled()
    with pytest.raises(ValueError):
        c.support[:] = 1
    with pytest.raises(ValueError):
        c.W.data[:] = 0
    with pytest.raises(ValueError):
        c.power[0] = 9
    assert sg.propagate(g).committee_support == before


def test_cache_entries_are_declared_once():
    import stakegraph.analysis.diagnose  # noqa: F401  (declares the entries of paths, propagate, rank)
    from stakegraph._compiled import ENTRIES, Entry

    assert "paths.intro" in ENTRIES and "propagate.committee_summary" in ENTRIES
    with pytest.raises(ValueError, match="already has a cache entry"):
        Entry("paths.intro")
    c = sg.datasets.load("bank").compiled()
    with pytest.raises(TypeError):
        c.cached("paths.intro", lambda: 1)  # type: ignore[arg-type]
