"""Informants' reports: validated like every mutation, kept by every format that can hold them."""

from __future__ import annotations

import datetime as dt
import io
import json

import networkx as nx
import pytest

import stakegraph as sg
from stakegraph import ValidationError


def _graph() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph()
    for pid in ("cfo", "cio", "coach", "rep"):
        g.add_person(pid, org="us" if pid == "rep" else "customer")
    g.observe("coach", "stance", "cfo", "支持者", date="2026-10-01", confidence=0.8, note="said so at lunch")
    g.observe("rep", "stance", "cfo", "skeptic", date="2026/10/20")
    g.observe("partner: Brightwater", "reason", "cfo", "懷疑")
    g.observe("rep", "tie", "cio", "advises", target="cfo", strength=0.6)
    g.observe("coach", "tie", "cfo", "friend", target="cio", present=False, confidence=0.5)
    g.observe("coach", "role", "cio", "Economic Buyer")
    return g


def test_reports_are_stored_with_canonical_values():
    g = _graph()
    o = g.observations
    assert [x.about for x in o] == ["stance", "stance", "reason", "tie", "tie", "role"]
    assert o[0].value is sg.Stance.SUPPORTER and o[0].date == dt.date(2026, 10, 1) and o[0].confidence == 0.8
    assert o[2].value is sg.Reason.DOUBT and o[2].informant == "partner: Brightwater"
    assert o[3].tie_key == ("cio", "cfo", "advises") and o[3].strength == 0.6
    assert o[4].tie_key == ("cfo", "cio", "friend") and o[4].present is False  # mutual: smaller id first
    assert o[5].value is sg.Role.DECISION_MAKER


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"about": "stance", "subject": "nobody", "value": "ally"}, "subject", "no person with id 'nobody'"),
        ({"about": "mood", "subject": "cfo", "value": "ally"}, "about", "one of stance, reason, role, tie"),
        ({"about": "stance", "subject": "cfo", "value": "unknown"}, "value", "says nothing"),
        ({"about": "stance", "subject": "cfo", "value": "alley"}, "value", "did you mean 'ally'"),
        (
            {"about": "stance", "subject": "cfo", "value": "ally", "target": "cio"},
            "target",
            "only a tie report",
        ),
        ({"about": "tie", "subject": "cfo", "value": "advises"}, "target", "names the tie's target"),
        (
            {"about": "tie", "subject": "cfo", "value": "advises", "target": "cfo"},
            "target",
            "both its source",
        ),
        (
            {"about": "tie", "subject": "cfo", "value": "advises", "target": "zz"},
            "target",
            "no person with id 'zz'",
        ),
        ({"about": "stance", "subject": "cfo", "value": "ally", "confidence": 0}, "confidence", "(0, 1]"),
        ({"about": "stance", "subject": "cfo", "value": "ally", "strength": 0.5}, "strength", "only a tie"),
        (
            {"about": "stance", "subject": "cfo", "value": "ally", "present": False},
            "present",
            "report the new one",
        ),
        ({"about": "role", "subject": "cfo", "value": "Other"}, "value", "means no role"),
        ({"about": "stance", "subject": "cfo", "value": "ally", "date": "04/03/2026"}, "date", "dayfirst"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_changes(kwargs, field, fragment):
    g = _graph()
    before = g.observations
    with pytest.raises(ValidationError) as e:
        g.observe("rep", **kwargs)
    assert any(p.field == field and fragment in p.message for p in e.value.problems), e.value.problems
    assert g.observations == before


def test_equality_copies_and_removing_a_person():
    g = _graph()
    h = g.copy()
    assert h == g
    h.observe("rep", "stance", "cio", "ally")
    assert h != g and len(g.observations) == 6
    g.remove_person("cio")
    assert [o.subject for o in g.observations] == ["cfo", "cfo", "cfo"]


def test_json_round_trip_is_version_2_and_a_graph_without_reports_stays_version_1(tmp_path):
    g = _graph()
    doc = json.loads(sg.write_json(g))
    assert doc["stakegraph"] == 2 and len(doc["observations"]) == 6
    assert doc["observations"][0] == {
        "informant": "coach",
        "about": "stance",
        "subject": "cfo",
        "value": "supporter",
        "present": True,
        "date": "2026-10-01",
        "confidence": 0.8,
        "note": "said so at lunch",
    }
    assert sg.read_json(io.StringIO(json.dumps(doc))) == g
    plain = sg.StakeholderGraph()
    plain.add_person("a")
    assert json.loads(sg.write_json(plain))["stakegraph"] == 1
    doc["stakegraph"] = 1
    with pytest.raises(ValidationError, match="observations need version 2"):
        sg.read_json(io.StringIO(json.dumps(doc)))
    doc["stakegraph"] = 2
    doc["observations"][3]["target"] = "nobody"
    with pytest.raises(ValidationError) as e:
        sg.read_json(io.StringIO(json.dumps(doc)))
    assert str(e.value).startswith("<stream>: observations[3]: target: no person with id 'nobody'")


def test_the_schema_describes_reports():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(sg.io.schema())
    doc = json.loads(sg.write_json(_graph()))
    assert validator.is_valid(doc)
    for bad in (
        {"about": "stance", "value": "unknown"},
        {"about": "tie", "target": None},
        {"about": "stance", "target": "cio"},
        {"colour": "red"},
    ):
        broken = json.loads(json.dumps(doc))
        rec = broken["observations"][0 if bad.get("about") != "tie" else 3]
        rec.update({k: v for k, v in bad.items() if v is not None})
        for k in [k for k, v in bad.items() if v is None]:
            rec.pop(k)
        assert not validator.is_valid(broken), bad
        with pytest.raises(ValidationError):
            sg.io.jsonio.graph_from_dict(broken)


def test_csv_folder_and_workbook_round_trip(tmp_path):
    g = _graph()
    sg.write_csv(g, tmp_path / "acct")
    assert (
        (tmp_path / "acct" / "observations.csv")
        .read_bytes()
        .decode("utf-8")
        .startswith(
            "informant,about,subject,target,value,present,strength,date,confidence,note\r\n"
            "coach,stance,cfo,,supporter,true,,2026-10-01,0.8,said so at lunch\r\n"
        )
    )
    assert sg.read_csv(tmp_path / "acct") == g
    sg.write_csv(
        sg.datasets.load("bank_later"), tmp_path / "acct"
    )  # no reports: the old file must not come back
    assert sg.read_csv(tmp_path / "acct").observations == ()
    pytest.importorskip("openpyxl")
    sg.io.write(g, tmp_path / "acct.xlsx")
    assert sg.io.read(tmp_path / "acct.xlsx") == g


def test_observations_csv_problems_are_located(tmp_path):
    sg.write_csv(_graph(), tmp_path)
    path = tmp_path / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("skeptic", "skeptik")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path)
    (p,) = e.value.problems
    assert (p.file, p.line, p.field) == (str(path), 3, "value") and "did you mean 'skeptic'" in p.message


def test_networkx_carries_them_and_graphml_says_it_drops_them(tmp_path):
    g = _graph()
    G = sg.to_networkx(g)
    assert len(G.graph["observations"]) == 6 and "observations" not in sg.from_networkx(G).deal.extra
    assert sg.from_networkx(G) == g
    H = nx.MultiDiGraph(G)
    H.graph["observations"] = "not a list"
    with pytest.raises(ValidationError, match="must be a list of dicts"):
        sg.from_networkx(H)
    with pytest.warns(UserWarning, match="GraphML does not carry the 6 informants' reports"):
        sg.write_graphml(g, tmp_path / "g.graphml")
    with pytest.warns(UserWarning, match="GEXF does not carry"):
        sg.write_gexf(g, tmp_path / "g.gexf")
    assert sg.read_graphml(tmp_path / "g.graphml").observations == ()


def test_anonymising_keeps_the_reports_under_pseudonyms():
    from stakegraph.privacy import anonymise_with_map

    g = _graph()
    a, ids = anonymise_with_map(g)
    assert len(a.observations) == len(g.observations)
    for o, p in zip(g.observations, a.observations):
        assert p.subject == ids[o.subject] and p.value is o.value and p.date == o.date and p.note == ""
        assert p.informant == ids[o.informant] if o.informant in ids else p.informant.startswith("informant-")
    text = json.dumps(a.to_dict(), ensure_ascii=False)
    assert "Brightwater" not in text and "lunch" not in text


def test_a_report_with_text_no_file_can_hold_is_refused():
    g = sg.datasets.load("bank")
    n = len(g.observations)
    with pytest.raises(sg.ValidationError, match=r"note.*U\+0000"):
        g.observe("us_am", "stance", "cfo", "ally", note="a\x00b")
    with pytest.raises(sg.ValidationError, match="informant.*lone surrogate"):
        g.observe("x\udcff", "stance", "cfo", "ally")
    assert len(g.observations) == n
