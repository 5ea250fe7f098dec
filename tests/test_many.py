"""Many accounts at once, and graphs crossing process boundaries."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import stakegraph as sg


def test_graph_and_model_pickle_round_trip():
    g = sg.datasets.load("bank")
    sg.rank(g)  # fill the compiled cache: it must not travel
    h = pickle.loads(pickle.dumps(g))
    assert h == g and h.model == g.model and h.deal == g.deal
    assert h.person("arch_lead").extra == g.person("arch_lead").extra
    assert h._cache == {}


def test_rows_match_the_single_analyses():
    g = sg.datasets.load("bank")
    row = sg.analyze_many({"bank": g}).to_dict()["accounts"][0]
    fj = sg.propagate(g)
    diag = sg.diagnose(g).to_dict()
    assert row["people"] == len(g) and row["customer_people"] == len(g.ids("customer"))
    assert row["committee_support_now"] == pytest.approx(fj.committee_support_before)
    assert row["committee_support_after"] == pytest.approx(fj.committee_support)
    assert row["health"] == diag["score"]
    assert row["findings"] == [f["code"] for f in diag["findings"]]
    assert row["critical"] == sum(f["severity"] == "critical" for f in diag["findings"])
    assert row["top_person"] == sg.rank(g).top(1)[0]["id"]


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_executors_give_the_serial_answer(pool):
    accounts = {"now": sg.datasets.load("bank"), "later": sg.datasets.load("bank_later")}
    serial = sg.analyze_many(accounts).to_dict()
    with pool(max_workers=2) as ex:
        parallel = sg.analyze_many(accounts, executor=ex).to_dict()
    assert parallel == serial
    assert [r["account"] for r in serial["accounts"]] == ["now", "later"]


def test_unnamed_accounts_and_bad_input():
    rows = sg.analyze_many([sg.datasets.load("bank")]).to_dict()["accounts"]
    assert rows[0]["account"] == "Northbridge core banking replacement"
    frame = sg.analyze_many({"a": sg.datasets.load("bank")}).to_frame()
    assert list(frame.index) == ["a"]


@pytest.mark.parametrize("pool", [None, ThreadPoolExecutor, ProcessPoolExecutor])
def test_one_bad_account_keeps_its_row_and_costs_the_others_nothing(pool):
    broken = sg.StakeholderGraph()
    broken.add_person("a", roles=["decision_maker"], openness=1.0)  # fully open and alone: no settled view
    broken.add_person("b", openness=1.0)
    broken.add_tie("a", "b", "friend")
    accounts = {
        "now": sg.datasets.load("bank"),
        "none": None,
        "broken": broken,
        "later": sg.datasets.load("bank_later"),
    }
    if pool is None:
        rows = sg.analyze_many(accounts).to_dict()["accounts"]
    else:
        with pool(max_workers=2) as ex:
            rows = sg.analyze_many(accounts, executor=ex).to_dict()["accounts"]
    assert [r["account"] for r in rows] == ["now", "none", "broken", "later"]
    good = sg.analyze_many({"now": accounts["now"], "later": accounts["later"]}).to_dict()["accounts"]
    assert [rows[0], rows[3]] == good and all(r["error"] is None for r in good)
    assert "not a StakeholderGraph but NoneType" in rows[1]["error"] and rows[1]["health"] is None
    assert rows[2]["error"].startswith("ConvergenceError") and rows[2]["people"] is None


def test_every_result_pickles():
    g = sg.datasets.load("bank")
    later = sg.datasets.load("bank_later")
    results = [
        sg.rank(g),
        sg.structure(g),
        sg.propagate(g),
        sg.propagate(g, model="ic", runs=64, seed=1),
        sg.paths(g),
        sg.targets(g),
        sg.what_if(g, {"cfo": "ally"}),
        sg.diagnose(g),
        sg.compare(g, later),
        sg.timeline([g, later]),
    ]
    for r in results:
        back = pickle.loads(pickle.dumps(r))
        assert back.to_json() == r.to_json(), type(r).__name__
