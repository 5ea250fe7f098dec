"""Snapshots over time: compare() against changes read straight from the JSON documents and from
hand-built snapshots, and timeline() against per-snapshot analyses."""

from __future__ import annotations

import datetime as dt
import io
import json
from importlib.resources import files

import pytest

import stakegraph as sg
from stakegraph.analysis.compare import Change, StanceChange, Timeline


def raw(name: str) -> dict:
    return json.loads(files("stakegraph").joinpath(f"datasets/data/{name}.json").read_text("utf-8"))


def tie_key(t: dict) -> tuple[str, str, str]:
    a, b, k = t["source"], t["target"], t["kind"]
    if k in ("friend", "rival", "knows") and b < a:
        a, b = b, a
    return (a, b, k)


@pytest.fixture(scope="module")
def bank_change() -> Change:
    return sg.compare(sg.datasets.load("bank"), sg.datasets.load("bank_later"))


# ----------------------------------------------------------------------------- the bank example
def test_bank_names_the_backslider_the_new_ally_and_the_new_person(bank_change):
    ch = bank_change
    assert ch.added == ("ciso",)
    assert ch.removed == ()
    assert ch.backsliders == ("head_fpa",)
    assert ch.new_allies == ("it_security",)
    changes = {s.id: s for s in ch.stance_changes}
    assert (changes["head_fpa"].stance_from, changes["head_fpa"].stance_to) == (
        sg.Stance.SUPPORTER,
        sg.Stance.SKEPTIC,
    )
    assert changes["head_fpa"].reason_to == "backsliding" and changes["head_fpa"].direction == "down"
    assert changes["it_security"].direction == "up" and changes["it_security"].reason_from == "misinformed"
    text = ch.describe()
    assert "Kim Soo-jin" in text and "Kwame Mensah" in text and "Naomi Fischer" in text


def test_bank_people_and_ties_match_the_documents(bank_change):
    a, b = raw("bank"), raw("bank_later")
    ids_a = {p["id"] for p in a["people"]}
    ids_b = {p["id"] for p in b["people"]}
    assert set(bank_change.added) == ids_b - ids_a
    assert set(bank_change.removed) == ids_a - ids_b
    ta = {tie_key(t) for t in a["ties"]}
    tb = {tie_key(t) for t in b["ties"]}
    assert {t.key for t in bank_change.ties_gained} == tb - ta
    assert {t.key for t in bank_change.ties_lost} == ta - tb
    stance_a = {p["id"]: (p.get("stance"), p.get("reason")) for p in a["people"]}
    stance_b = {p["id"]: (p.get("stance"), p.get("reason")) for p in b["people"]}
    moved = {i for i in ids_a & ids_b if stance_a[i] != stance_b[i]}
    assert {s.id for s in bank_change.stance_changes} == moved


def test_bank_support_reach_and_score_then_and_now(bank_change):
    old, new = sg.datasets.load("bank"), sg.datasets.load("bank_later")
    for g, i in ((old, 0), (new, 1)):
        p = sg.propagate(g, model="fj")
        d = p.to_dict()
        assert bank_change.committee_support_after[i] == pytest.approx(d["committee_support"])
        assert bank_change.reach[i] == pytest.approx(d["reach"])
        assert bank_change.committee_support[i] == pytest.approx(p.committee_support_before)
    assert bank_change.score[0] == sg.diagnose(old).score
    assert bank_change.score[1] == sg.diagnose(new, previous=old).score


def test_bank_findings_appeared_and_resolved(bank_change):
    old, new = sg.datasets.load("bank"), sg.datasets.load("bank_later")
    k0 = {f.key for f in sg.diagnose(old).findings}
    k1 = {f.key for f in sg.diagnose(new, previous=old).findings}
    assert {f.key for f in bank_change.findings_appeared} == k1 - k0
    assert {f.key for f in bank_change.findings_resolved} == k0 - k1
    # the misinformed skeptic turned ally: that finding is resolved; the backslider's appeared
    assert ("NON_SUPPORTER", ("it_security",)) in k0 - k1
    assert ("NON_SUPPORTER", ("head_fpa",)) in k1 - k0


def test_to_dict_is_json_and_complete(bank_change):
    doc = bank_change.to_dict()
    assert set(doc) == {
        "as_of",
        "people_added",
        "people_removed",
        "stance_changes",
        "backsliders",
        "new_allies",
        "ties_gained",
        "ties_lost",
        "ties_changed",
        "committee_support",
        "committee_support_after",
        "reach",
        "score",
        "findings_appeared",
        "findings_resolved",
    }
    assert doc["as_of"] == {"old": "2026-09-15", "new": "2026-10-13"}
    assert doc["backsliders"] == ["head_fpa"] and doc["new_allies"] == ["it_security"]
    assert set(doc["stance_changes"][0]) == {
        "id",
        "from",
        "to",
        "support_from",
        "support_to",
        "reason_from",
        "reason_to",
        "direction",
    }
    assert json.loads(bank_change.to_json()) == json.loads(json.dumps(doc))


def test_frame_and_html(bank_change):
    frame = bank_change.to_frame()
    assert set(frame.index) == {"ciso", "head_fpa", "it_security"}
    assert frame.loc["head_fpa", "change"] == "backslider"
    assert frame.loc["it_security", "change"] == "new ally"
    assert frame.loc["ciso", "change"] == "added"
    assert "Change between snapshots" in bank_change._repr_html_()


# ----------------------------------------------------------------------------- hand-built snapshots
def base() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(deal=sg.Deal(stage="solution", as_of="2026-01-01"))
    g.add_person("me", org="us")
    g.add_person("a", name="Ann", roles=["decision_maker"], stance="supporter", relationship=0.5)
    g.add_person("b", name="Ben", roles=["evaluator"], stance="neutral")
    g.add_person("c", name="Cat", roles=["user"], stance="champion")
    g.add_tie("me", "a", "knows", 0.5)
    g.add_tie("b", "a", "reports_to")
    g.add_tie("c", "a", "advises", 0.4)
    return g


def test_hand_built_change():
    old = base()
    new = old.snapshot("2026-02-01")
    new.remove_person("c")
    new.add_person("d", name="Dan", stance="ally")
    new.set_stance("b", "ally")
    new.set_stance("a", "neutral")
    new.update_tie("b", "a", "reports_to", strength=0.5)
    new.add_tie("d", "b", "friend", 0.3)
    ch = sg.compare(old, new)
    assert ch.as_of == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert ch.added == ("d",) and ch.removed == ("c",)
    assert ch.backsliders == ("a",)
    assert ch.new_allies == ("b",)  # d is new, listed under added
    assert [(s.id, s.direction) for s in ch.stance_changes] == [("a", "down"), ("b", "up")]
    assert {t.key for t in ch.ties_gained} == {("b", "d", "friend")}
    assert {t.key for t in ch.ties_lost} == {("c", "a", "advises")}
    assert [(a.strength, b.strength) for a, b in ch.ties_changed] == [(1.0, 0.5)]


def test_compare_with_itself_is_empty():
    g = base()
    ch = sg.compare(g, g.copy())
    assert (ch.added, ch.removed, ch.stance_changes, ch.backsliders, ch.new_allies) == ((), (), (), (), ())
    assert (ch.ties_gained, ch.ties_lost, ch.ties_changed) == ((), (), ())
    assert ch.findings_appeared == () and ch.findings_resolved == ()
    assert ch.committee_support[0] == ch.committee_support[1]
    assert ch.score[0] == ch.score[1]


def test_support_shrinking_appears_in_compare():
    old = base()
    new = old.copy()
    new.set_stance("a", "skeptic")
    ch = sg.compare(old, new)
    assert ch.committee_support[1] < ch.committee_support[0]
    appeared = {f.code: f for f in ch.findings_appeared}
    assert appeared["SUPPORT_SHRINKING"].people == ("a",)


def test_unknown_support_changes_direction_unknown():
    old = base()
    new = old.copy()
    new.set_stance("b", "unknown")
    ch = sg.compare(old, new)
    assert [(s.id, s.direction, s.stance_to) for s in ch.stance_changes] == [
        ("b", "unknown", sg.Stance.UNKNOWN)
    ]
    assert ch.backsliders == ()


def test_reason_only_change():
    old = base()
    new = old.copy()
    new.set_stance("c", "champion", reason="backsliding")
    ch = sg.compare(old, new)
    (s,) = ch.stance_changes
    assert (s.id, s.direction, s.reason_from, s.reason_to) == ("c", "same", None, "backsliding")
    assert ch.backsliders == ("c",)
    assert isinstance(s, StanceChange)


def test_compare_bad_parameters():
    with pytest.raises(sg.ValidationError, match="'old' parameter of compare must be a StakeholderGraph"):
        sg.compare("bank", base())
    with pytest.raises(sg.ValidationError, match="'settings' parameter of compare"):
        sg.compare(base(), base(), settings={"stale_days": 3})


# ----------------------------------------------------------------------------- timeline
def test_timeline_rows_match_per_snapshot_analyses():
    g0 = base()
    g1 = g0.snapshot("2026-02-01")
    g1.set_stance("b", "ally")
    g2 = g1.snapshot("2026-03-01")
    g2.set_stance("a", "hostile")
    tl = sg.timeline([g0, g1, g2])
    assert isinstance(tl, Timeline) and len(tl) == 3
    rows = tl.to_dict()["snapshots"]
    assert [r["as_of"] for r in rows] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    prev = None
    for r, g in zip(rows, (g0, g1, g2)):
        p = sg.propagate(g, model="fj")
        assert r["committee_support"] == pytest.approx(p.committee_support_before)
        assert r["committee_support_after"] == pytest.approx(p.to_dict()["committee_support"])
        assert r["reach"] == pytest.approx(p.to_dict()["reach"])
        d = sg.diagnose(g, previous=prev)
        assert r["score"] == d.score and r["codes"] == d.codes()
        assert r["people"] == 3
        prev = g
    assert "SUPPORT_SHRINKING" in rows[2]["codes"]
    assert rows[2]["committee_support"] < rows[1]["committee_support"] > rows[0]["committee_support"]


def test_timeline_from_a_snapshots_document():
    buf = io.StringIO()
    sg.write_snapshots([sg.datasets.load("bank_later"), sg.datasets.load("bank")], buf)
    snaps = sg.read_snapshots(io.StringIO(buf.getvalue()))  # sorted oldest first
    tl = sg.timeline(snaps)
    assert [r["as_of"] for r in tl.to_dict()["snapshots"]] == ["2026-09-15", "2026-10-13"]
    assert tl.to_frame().index.tolist() == ["2026-09-15", "2026-10-13"]


def test_timeline_plot():
    import matplotlib
    import matplotlib.pyplot as plt

    tl = sg.timeline([base(), base().snapshot("2026-02-01")])
    n_open = len(plt.get_fignums())
    fig = tl.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(plt.get_fignums()) == n_open  # no global pyplot state touched
    ax = fig.axes[0]
    labels = [ln.get_label() for ln in ax.get_lines()] + [ln.get_label() for ln in fig.axes[1].get_lines()]
    assert {"committee support now", "after people talk (FJ)", "reach"} <= set(labels)
    fig2, ax2 = plt.subplots()
    assert tl.plot(ax=ax2) is fig2
    plt.close(fig2)
    undated = base()
    undated.set_deal(as_of=None)
    fig3 = sg.timeline([undated, undated.copy()]).plot()
    assert list(fig3.axes[0].get_lines()[1].get_xdata()) == [1, 2]


def test_timeline_bad_parameters():
    with pytest.raises(sg.ValidationError, match="at least one StakeholderGraph"):
        sg.timeline([])
    with pytest.raises(sg.ValidationError, match=r"'snapshots\[1\]' parameter of timeline"):
        sg.timeline([base(), "x"])
    with pytest.raises(sg.ValidationError, match="'snapshots' parameter of timeline"):
        sg.timeline(3)
