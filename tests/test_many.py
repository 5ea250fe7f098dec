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
    assert (
        "an account is a StakeholderGraph, a path or a function returning a graph, not NoneType"
        in rows[1]["error"]
    )
    assert rows[1]["health"] is None
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


def test_rows_hold_the_route_and_the_next_target_of_the_single_analyses():
    g = sg.datasets.load("bank")
    row = sg.analyze_many({"bank": g}).rows[0]
    best = sg.paths(g).to_dict()["targets"][0]
    assert row["decision_maker"] == best["target"]
    assert row["route"] == ";".join(best["paths"][0]["people"])
    assert row["route_probability"] == pytest.approx(best["paths"][0]["probability"])
    pick = sg.targets(g).to_dict()["targets"][0]
    assert (row["next_target"], row["next_target_gain"]) == (pick["id"], pytest.approx(pick["gain"]))
    assert row["top_power"] == pytest.approx(sg.rank(g, seed=0).top(1)[0]["power"])


def test_only_the_analyses_asked_for_run_and_have_columns():
    g = sg.datasets.load("bank")
    result = sg.analyze_many({"bank": g}, analyses=["rank", "diagnose"])
    (row,) = result.rows
    assert tuple(row) == result.columns
    assert "reach" not in row and "route" not in row and row["top_person"] == sg.rank(g).top(1)[0]["id"]
    with pytest.raises(sg.ValidationError, match="'analyses' parameter of analyze_many"):
        sg.analyze_many({"bank": g}, analyses=["rank", "forecast"])
    with pytest.raises(sg.ValidationError, match="executor"):
        sg.analyze_many({"bank": g}, executor="threads")


def test_rows_stream_as_accounts_finish():
    import threading

    release = threading.Event()
    bank = sg.datasets.load("bank")

    def slow():  # finishes only once the fast account's row has been taken
        assert release.wait(60), "the fast row never arrived while this account was running"
        return sg.datasets.load("bank_later")

    with ThreadPoolExecutor(max_workers=2) as ex:
        result = sg.analyze_many({"slow": slow, "fast": bank}, executor=ex, chunk_size=1, progress=False)
        arrived = []
        for row in result:
            arrived.append(row["account"])
            release.set()
    assert arrived == ["fast", "slow"]
    assert [r["account"] for r in result.rows] == ["slow", "fast"]  # rows keep the order given
    assert all(r["error"] is None for r in result.rows)


def test_paths_and_loaders_are_read_where_the_work_runs(tmp_path):
    import functools

    bank, later = sg.datasets.load("bank"), sg.datasets.load("bank_later")
    sg.write_csv(bank, tmp_path / "north")
    sg.write_json(later, tmp_path / "later.json")
    accounts = [
        tmp_path / "north",
        functools.partial(sg.read_json, tmp_path / "later.json"),
        tmp_path / "gone",
    ]
    with ProcessPoolExecutor(max_workers=2) as ex:
        rows = sg.analyze_many(accounts, executor=ex).rows
    expected = sg.analyze_many({"north": bank, "later": later}).rows
    assert rows[0] == {**expected[0], "account": "north"}
    assert {k: v for k, v in rows[1].items() if k != "account"} == {
        k: v for k, v in expected[1].items() if k != "account"
    }
    assert rows[2]["account"] == "gone" and "file not found" in rows[2]["error"]


def test_a_local_process_pool_by_name_and_a_progress_bar(capsys):
    pytest.importorskip("tqdm")
    accounts = {"now": sg.datasets.load("bank"), "later": sg.datasets.load("bank_later")}
    rows = sg.analyze_many(accounts, analyses=["rank"], executor="processes", progress=True).rows
    assert rows == sg.analyze_many(accounts, analyses=["rank"]).rows
    assert "2/2" in capsys.readouterr().err


def test_a_dask_cluster_gives_the_serial_answer():
    distributed = pytest.importorskip("distributed")
    accounts = {f"a{i}": sg.datasets.synthetic_org(40, seed=i) for i in range(6)}
    serial = sg.analyze_many(accounts).rows
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            rows = sg.analyze_many(accounts, executor=client.get_executor(), chunk_size=2).rows
    assert rows == serial
