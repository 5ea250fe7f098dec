"""The contract every analysis keeps, over the same graphs.

For each entry of ``ANALYSES`` (a name and a function ``(graph, seed) -> Result``) and each graph:

- every customer person appears exactly once in ``to_dict()["people"]``, by their own id, and no one
  else does;
- every number in those rows is finite;
- the same seed gives the same result (on the graph and on a copy of it);
- ``to_dict()`` is JSON-serialisable as it is (no numpy types, no NaN);
- ``to_frame()`` has one row per customer person indexed by id, and ``_repr_html_()`` renders a table.

To enrol another analysis, add one ``(name, callable)`` entry to ``ANALYSES``.
"""

from __future__ import annotations

import json
import math
import numbers

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from strategies import graphs

ANALYSES = [
    ("rank", lambda g, seed: sg.rank(g, seed=seed)),
    ("rank-sampled", lambda g, seed: sg.rank(g, seed=seed, exact_max=4, pivots=3)),
    ("structure", lambda g, seed: sg.structure(g, seed=seed)),
]


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


def check_contract(g: sg.StakeholderGraph, run, seed: int) -> None:
    result = run(g, seed)
    d = result.to_dict()
    json.dumps(d, allow_nan=False)  # plain JSON as it is
    rows = d["people"]
    customers = g.ids("customer")
    ids = [row["id"] for row in rows]
    assert sorted(ids) == sorted(customers) and len(ids) == len(set(ids))
    assert all(isinstance(i, str) for i in ids)
    for row in rows:
        for key, value in row.items():
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                assert math.isfinite(value), (key, row)
    again = run(g, seed)
    assert again.to_dict() == d
    assert run(g.copy(), seed).to_dict() == d
    frame = result.to_frame()
    assert len(frame) == len(customers) and sorted(frame.index) == sorted(customers)
    html = result._repr_html_()
    assert isinstance(html, str) and "<table" in html


@pytest.mark.parametrize("graph_name", sorted(GRAPHS))
@pytest.mark.parametrize("name, run", ANALYSES, ids=[a[0] for a in ANALYSES])
def test_contract_on_reference_graphs(name, run, graph_name):
    check_contract(GRAPHS[graph_name](), run, seed=0)


@pytest.mark.parametrize("name, run", ANALYSES, ids=[a[0] for a in ANALYSES])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(g=graphs(min_people=0, max_people=8, max_ties=14), seed=st.integers(0, 2**31 - 1))
def test_contract_on_generated_graphs(name, run, g, seed):
    check_contract(g, run, seed)
