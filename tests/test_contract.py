"""The contract every analysis keeps, over the same graphs (as scikit-network's shared API test does).

Every analysis in ``ANALYSES`` and ``SUMMARIES``, on every graph of ``GRAPHS`` and on generated graphs:

- it returns a result, or refuses the graph with a :class:`~stakegraph.StakegraphError` saying why
  (e.g. ``targets`` on a graph with no decision group), never another exception;
- ``to_dict()`` is plain JSON as it is (no numpy types, no NaN), with the same keys whatever the graph;
- the same seed gives the same result, on the graph and on a copy of it; a pickled result gives the
  same ``to_dict()``; arrays it holds are read-only;
- ``describe()`` is text, ``to_frame()`` a DataFrame, ``_repr_html_()`` an HTML table.

Results that list people (``ANALYSES``) follow the row rule of :class:`stakegraph.results.Roster`:
every person of the graph exactly once, by id, with ``name``, ``org`` and a ``customer`` flag that
agrees with the graph, every row with the same keys, every number finite; ``to_frame()`` has one row
per person indexed by id.

To enrol another analysis, add one ``(name, callable)`` entry.
"""

from __future__ import annotations

import json
import math
import numbers
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from strategies import graphs


def _change(g: sg.StakeholderGraph) -> dict[str, str]:
    cust = g.ids("customer")
    return {cust[0]: "ally"} if cust else {}


ANALYSES = [
    ("rank", lambda g, seed: sg.rank(g, seed=seed)),
    ("rank-sampled", lambda g, seed: sg.rank(g, seed=seed, exact_max=4, pivots=3)),
    ("structure", lambda g, seed: sg.structure(g, seed=seed)),
    ("propagate-fj", lambda g, seed: sg.propagate(g, model="fj")),
    ("propagate-degroot", lambda g, seed: sg.propagate(g, model="degroot")),
    ("propagate-ic", lambda g, seed: sg.propagate(g, model="ic", runs=40, seed=seed)),
    ("propagate-lt", lambda g, seed: sg.propagate(g, model="lt", runs=40, seed=seed)),
    ("what_if", lambda g, seed: sg.what_if(g, _change(g))),
    ("what_if-ic", lambda g, seed: sg.what_if(g, _change(g), model="ic", runs=40, seed=seed)),
]

SUMMARIES = [
    ("paths", lambda g, seed: sg.paths(g)),
    ("targets", lambda g, seed: sg.targets(g, k=2)),
    ("targets-ic", lambda g, seed: sg.targets(g, k=1, model="ic", runs=30, shortlist=3, seed=seed)),
    ("diagnose", lambda g, seed: sg.diagnose(g, as_of="2026-01-01")),
    ("compare", lambda g, seed: sg.compare(g, _changed(g))),
    ("analyze_many", lambda g, seed: sg.analyze_many({"one": g, "two": _changed(g)})),
]


def _changed(g: sg.StakeholderGraph) -> sg.StakeholderGraph:
    h = g.copy()
    for pid, stance in _change(g).items():
        h.set_stance(pid, stance)
    return h


def _hand_built() -> sg.StakeholderGraph:
    """Every side, every tie kind, an isolated person, unknown stances, a rival, a fully open pair."""
    g = sg.StakeholderGraph(deal=sg.Deal(name="contract", stage="solution"))
    g.add_person("dm", roles=["decision_maker"], stance="neutral", department="Board")
    g.add_person("cfo", roles=["approver"], stance="skeptic", reason="doubt", department="Finance")
    g.add_person("cio", roles=["sponsor"], stance="ally", department="IT")
    g.add_person("arch", roles=["evaluator", "coach"], stance="champion", department="IT")
    g.add_person("buyer", roles=["procurement"], department="Procurement")
    g.add_person("ops", stance="hostile", department="Operations", openness=1.0)
    g.add_person("ops2", department="Operations", openness=1.0)
    g.add_person("loner", department="Legal")
    g.add_person("王建國", name="王建國", roles=["user"], stance="supporter", department="IT")
    g.add_person("us", org="us")
    g.add_person("partner", org="partner")
    g.add_person("rival_se", org="competitor")
    for a, b in [
        ("cfo", "dm"),
        ("cio", "dm"),
        ("arch", "cio"),
        ("buyer", "cfo"),
        ("ops", "dm"),
        ("王建國", "arch"),
    ]:
        g.add_tie(a, b, "reports_to")
    g.add_tie("ops2", "ops", "reports_to", 0.5)
    g.add_tie("arch", "dm", "advises", 0.8)
    g.add_tie("王建國", "cio", "influences", 0.6)
    g.add_tie("cfo", "buyer", "dotted_line", 0.3)
    g.add_tie("ops", "ops2", "friend", 1.0)
    g.add_tie("ops2", "ops", "advises", 1.0)
    g.add_tie("cfo", "ops", "rival", 0.7)
    g.add_tie("us", "arch", "knows", 0.9)
    g.add_tie("partner", "cio", "advises", 0.4)
    g.add_tie("rival_se", "ops", "influences", 0.9)
    return g


def _one() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph()
    g.add_person("solo")
    return g


GRAPHS = {
    "bank": lambda: sg.datasets.load("bank"),
    "krackhardt": lambda: sg.datasets.load("krackhardt"),
    "hand-built": _hand_built,
    "synthetic": lambda: sg.datasets.synthetic_org(80, seed=3),
    "one person": _one,
    "empty": sg.StakeholderGraph,
}


def _run(g, run, seed):
    try:
        return run(g, seed)
    except sg.StakegraphError as e:  # a refusal must say why
        assert str(e)
        return None


def _common(result, run, g, seed) -> dict:
    d = result.to_dict()
    json.dumps(d, allow_nan=False)  # plain JSON as it is
    assert run(g, seed).to_dict() == d
    assert run(g.copy(), seed).to_dict() == d
    assert pickle.loads(pickle.dumps(result)).to_dict() == d
    for value in vars(result).values():
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable
    assert isinstance(result.describe(), str)
    assert isinstance(result._repr_html_(), str) and "<table" in result._repr_html_()
    result.to_frame()
    return d


def check_people_contract(g: sg.StakeholderGraph, run, seed: int) -> None:
    result = _run(g, run, seed)
    if result is None:
        return
    d = _common(result, run, g, seed)
    rows = d["people"]
    ids = [row["id"] for row in rows]
    assert sorted(ids) == sorted(g.people) and len(ids) == len(set(ids))
    keys = set(rows[0]) if rows else set()
    for row in rows:
        assert set(row) == keys
        p = g.person(row["id"])
        assert row["name"] == p.name and row["org"] == p.org.value
        assert row["customer"] is (p.org.value == "customer")
        for key, value in row.items():
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                assert math.isfinite(value), (key, row)
    frame = result.to_frame()
    assert len(frame) == len(g) and sorted(frame.index) == sorted(g.people)


KEYS: dict[str, set[str]] = {}


def check_summary_contract(name: str, g: sg.StakeholderGraph, run, seed: int) -> None:
    result = _run(g, run, seed)
    if result is None:
        return
    d = _common(result, run, g, seed)
    reference = KEYS.setdefault(name, set(_run(sg.datasets.load("bank"), run, 0).to_dict()))
    assert set(d) == reference


@pytest.mark.parametrize("graph_name", sorted(GRAPHS))
@pytest.mark.parametrize("name, run", ANALYSES, ids=[a[0] for a in ANALYSES])
def test_people_contract_on_reference_graphs(name, run, graph_name):
    check_people_contract(GRAPHS[graph_name](), run, seed=0)


@pytest.mark.parametrize("graph_name", sorted(GRAPHS))
@pytest.mark.parametrize("name, run", SUMMARIES, ids=[a[0] for a in SUMMARIES])
def test_summary_contract_on_reference_graphs(name, run, graph_name):
    check_summary_contract(name, GRAPHS[graph_name](), run, seed=0)


_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("name, run", ANALYSES, ids=[a[0] for a in ANALYSES])
@_SETTINGS
@given(g=graphs(min_people=0, max_people=8, max_ties=14), seed=st.integers(0, 2**31 - 1))
def test_people_contract_on_generated_graphs(name, run, g, seed):
    check_people_contract(g, run, seed)


@pytest.mark.parametrize("name, run", SUMMARIES, ids=[a[0] for a in SUMMARIES])
@_SETTINGS
@given(g=graphs(min_people=0, max_people=8, max_ties=14), seed=st.integers(0, 2**31 - 1))
def test_summary_contract_on_generated_graphs(name, run, g, seed):
    check_summary_contract(name, g, run, seed)
