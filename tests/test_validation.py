"""Bad input: every loader reports every problem at once, naming file, line or record, field and the rule.

Each case is a small set of records with one thing wrong. It goes through
every loader (CSV files, a JSON document, a networkx graph, a GraphML file
written by networkx itself, pandas DataFrames), and each must raise one
ValidationError whose problem names the right place, the field and the
message (the rule, the value, the allowed values and the closest one).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import networkx as nx
import numpy as np
import pytest

import stakegraph as sg
from stakegraph import StakegraphError, StakeholderGraph, ValidationError

STANCES = "Allowed: champion, ally, supporter, neutral, skeptic, hostile, unknown"
ROLES = (
    "Allowed: decision_maker, sponsor, approver, evaluator, user, influencer, gatekeeper, procurement, coach"
)
KINDS = "Allowed: reports_to, dotted_line, advises, influences, friend, rival, knows"
STAGES = "Allowed: initiation, solution, deep_contact, product_fixed, commercial, signed, executing, service"
ORGS = "Allowed: customer, us, partner, competitor"
REASONS = "Allowed: doubt, misinformed, backsliding"
DATE = "is not a date; write it as YYYY-MM-DD (e.g. 2026-03-31)"


def people(*extra: dict[str, str], ids: str = "abc") -> list[dict[str, str]]:
    return [{"id": i, "name": f"Person {i.upper()}"} for i in ids] + list(extra)


@dataclass
class Case:
    """Records with something wrong, and where and what the problem is.

    ``at`` is ("person", i), ("tie", j) or ("deal", None); ``message`` lists
    pieces the problem's message must hold.
    """

    people: list[dict[str, str]]
    ties: list[dict[str, str]] = field(default_factory=list)
    deal: dict[str, str] = field(default_factory=dict)
    at: tuple[str, Any] = ("person", 0)
    field: str | None = None
    message: tuple[str, ...] = ()
    loaders: tuple[str, ...] = ("csv", "json", "networkx", "graphml", "frames")


CASES = {
    "duplicate id": Case(
        people(ids="aba"),
        at=("person", 2),
        field="id",
        message=("duplicate id 'a'",),
        loaders=("csv", "json", "graphml", "frames"),
    ),  # networkx: see below
    "tie to an unknown person": Case(
        people(),
        [{"source": "a", "target": "zz", "kind": "advises"}],
        at=("tie", 0),
        field="target",
        message=("no person with id 'zz'",),
        # a networkx graph creates the node of every edge end, so it cannot name an unknown person
        loaders=("csv", "json", "graphml", "frames"),
    ),
    "tie from an unknown person with a hint": Case(
        people(ids=["wang", "li"]),
        [{"source": "wnag", "target": "li", "kind": "advises"}],
        at=("tie", 0),
        field="source",
        message=("no person with id 'wnag'", "did you mean 'wang'?"),
        loaders=("csv", "json", "graphml", "frames"),
    ),
    "strength 0": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "advises", "strength": "0"}],
        at=("tie", 0),
        field="strength",
        message=("must be a number in (0, 1]; got '0'",),
    ),
    "strength above 1": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "friend", "strength": "1.5"}],
        at=("tie", 0),
        field="strength",
        message=("must be a number in (0, 1]; got '1.5'",),
    ),
    "negative strength": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "knows", "strength": "-0.2"}],
        at=("tie", 0),
        field="strength",
        message=("must be a number in (0, 1]; got '-0.2'",),
    ),
    "NaN strength": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "advises", "strength": "NaN"}],
        at=("tie", 0),
        field="strength",
        message=("must be a number in (0, 1]; got 'NaN'",),
    ),
    "text strength": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "advises", "strength": "strong"}],
        at=("tie", 0),
        field="strength",
        message=("'strong' is not a number",),
    ),
    "unknown stance": Case(
        people({"id": "d", "stance": "alley"}),
        at=("person", 3),
        field="stance",
        message=("'alley' is not a stance; did you mean 'ally'?", STANCES),
    ),
    "unknown role": Case(
        people({"id": "d", "roles": "decision_maker;evaluater"}),
        at=("person", 3),
        field="roles",
        message=("'evaluater' is not a role; did you mean 'evaluator'?", ROLES),
    ),
    "unknown kind": Case(
        people(),
        [{"source": "a", "target": "b", "kind": "advice"}],
        at=("tie", 0),
        field="kind",
        message=("'advice' is not a tie kind; did you mean 'advises'?", KINDS),
    ),
    "unknown stage": Case(
        people(),
        deal={"name": "CRM", "stage": "deep_contac"},
        at=("deal", None),
        field="stage",
        message=("'deep_contac' is not a deal stage; did you mean 'deep_contact'?", STAGES),
    ),
    "unknown org": Case(
        people({"id": "d", "org": "cusomer"}),
        at=("person", 3),
        field="org",
        message=("'cusomer' is not a", "did you mean 'customer'?", ORGS),
    ),
    "unknown reason": Case(
        people({"id": "d", "stance": "skeptic", "reason": "dout"}),
        at=("person", 3),
        field="reason",
        message=("'dout' is not a reason; did you mean 'doubt'?", REASONS),
    ),
    "reason of a supporter": Case(
        people({"id": "d", "stance": "ally", "reason": "doubt"}),
        at=("person", 3),
        field="reason",
        message=("an ally has no non-support reason; got 'doubt'",),
    ),
    "self tie": Case(
        people(),
        [{"source": "b", "target": "b", "kind": "advises"}],
        at=("tie", 0),
        field="target",
        message=("a tie from 'b' to itself is not allowed (self tie)",),
    ),
    "reports_to cycle": Case(
        people(),
        [
            {"source": "a", "target": "b", "kind": "reports_to"},
            {"source": "b", "target": "c", "kind": "reports_to"},
            {"source": "c", "target": "a", "kind": "reports_to"},
        ],
        at=("tie", 2),
        field="target",
        message=("reports_to cycle: a -> b -> c -> a",),
    ),
    "two managers": Case(
        people(),
        [
            {"source": "a", "target": "b", "kind": "reports_to"},
            {"source": "a", "target": "c", "kind": "reports_to"},
        ],
        at=("tie", 1),
        field="kind",
        message=(
            "'a' reports to both 'b' and 'c'",
            "a person has one reports_to manager",
            "use dotted_line for the second",
        ),
    ),
    "openness above 1": Case(
        people({"id": "d", "openness": "1.5"}),
        at=("person", 3),
        field="openness",
        message=("must be a number in [0, 1]; got '1.5'",),
    ),
    "negative openness": Case(
        people({"id": "d", "openness": "-0.1"}),
        at=("person", 3),
        field="openness",
        message=("must be a number in [0, 1]; got '-0.1'",),
    ),
    "relationship above 1": Case(
        people({"id": "d", "relationship": "2"}),
        at=("person", 3),
        field="relationship",
        message=("must be a number in [0, 1]; got '2'",),
    ),
    "support beyond a rating": Case(
        people({"id": "d", "support": "9"}),
        at=("person", 3),
        field="support",
        message=("must be a number in [-5, 5]", "got '9'"),
    ),
    "fractional level": Case(
        people({"id": "d", "level": "1.5"}),
        at=("person", 3),
        field="level",
        message=("must be a whole number >= 0; got '1.5'",),
    ),
    "bad last_contact": Case(
        people({"id": "d", "last_contact": "31/12/26"}),
        at=("person", 3),
        field="last_contact",
        message=("'31/12/26' " + DATE,),
    ),
    "bad decision date": Case(
        people(),
        deal={"decision_date": "soon"},
        at=("deal", None),
        field="decision_date",
        message=("'soon' " + DATE,),
    ),
    "impossible date": Case(
        people(),
        deal={"as_of": "2026-02-30"},
        at=("deal", None),
        field="as_of",
        message=("'2026-02-30' " + DATE,),
    ),
    "duplicate tie": Case(
        people(),
        [
            {"source": "a", "target": "b", "kind": "friend", "strength": "0.5"},
            {"source": "b", "target": "a", "kind": "friend", "strength": "0.8"},
        ],
        at=("tie", 1),
        field="kind",
        message=("duplicate friend tie",),
        loaders=("csv", "json", "frames"),
    ),  # networkx merges equal mutual ties by design
}


# ----------------------------------------------------------------------------- loaders
def _columns(records: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(k for r in records for k in r))


def _write_csv(path: Path, records: list[dict[str, str]], columns: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns)
        w.writeheader()
        w.writerows(records)


def _nx_graph(case: Case) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.graph.update(case.deal)
    for i, rec in enumerate(case.people):
        # a networkx graph cannot hold two nodes with one id: the copy gets a stand-in id
        node = rec["id"] if rec["id"] not in G else f"{rec['id']}#{i}"
        G.add_nodes_from([(node, {k: v for k, v in rec.items() if k != "id"})])
    for j, rec in enumerate(case.ties):
        G.add_edges_from(
            [
                (
                    rec["source"],
                    rec["target"],
                    f"t{j}",
                    {k: v for k, v in rec.items() if k not in ("source", "target")},
                )
            ]
        )
    return G


def load_csv(case: Case, tmp: Path) -> tuple[Any, Any, Any]:
    _write_csv(tmp / "people.csv", case.people, _columns(case.people))
    _write_csv(tmp / "ties.csv", case.ties, _columns(case.ties) or ["source", "target", "kind"])
    _write_csv(tmp / "deal.csv", [case.deal], _columns([case.deal]))
    sg.read_csv(tmp)
    return None


def where_csv(case: Case, tmp: Path) -> tuple[Any, Any]:
    kind, i = case.at
    if kind == "deal":
        return str(tmp / "deal.csv"), 2
    return str(tmp / ("people.csv" if kind == "person" else "ties.csv")), i + 2  # header = line 1


def load_json(case: Case, tmp: Path) -> None:
    doc = {"stakegraph": 1, "deal": case.deal, "people": case.people, "ties": case.ties}
    (tmp / "g.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    sg.read_json(tmp / "g.json")


def where_json(case: Case, tmp: Path) -> tuple[Any, Any]:
    kind, i = case.at
    name = str(tmp / "g.json")
    return (
        f"{name}: deal" if kind == "deal" else f"{name}: {'people' if kind == 'person' else 'ties'}[{i}]",
        None,
    )


def load_networkx(case: Case, tmp: Path) -> None:
    sg.from_networkx(_nx_graph(case))


def _node_where(name: str, case: Case, i: int) -> str:
    return f"{name}: node {case.people[i]['id']!r}"


def _edge_where(name: str, case: Case, j: int) -> str:
    t = case.ties[j]
    return f"{name}: edge {t['source']!r} -> {t['target']!r} ['t{j}']"


def where_networkx(case: Case, tmp: Path) -> tuple[Any, Any]:
    kind, i = case.at
    if kind == "deal":
        return "<networkx>: graph", None
    return (
        _node_where("<networkx>", case, i) if kind == "person" else _edge_where("<networkx>", case, i)
    ), None


def load_graphml(case: Case, tmp: Path) -> None:
    buf = io.BytesIO()
    nx.write_graphml_xml(_nx_graph(case), buf)  # networkx's own writer
    root = ET.fromstring(buf.getvalue())
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    graph = root.find(ns + "graph")
    known = {p["id"] for p in case.people}
    for node in list(graph.findall(ns + "node")):
        nid = node.get("id")
        if "#" in nid:  # the stand-in of a duplicate id: give it the duplicate id in the file
            node.set("id", nid.split("#")[0])
        elif nid not in known:  # networkx invented the node of an unknown tie end: take it out
            graph.remove(node)
    ET.ElementTree(root).write(tmp / "g.graphml", encoding="utf-8", xml_declaration=True)
    sg.read_graphml(tmp / "g.graphml")


def where_graphml(case: Case, tmp: Path) -> tuple[Any, Any]:
    kind, i = case.at
    name = str(tmp / "g.graphml")
    if kind == "deal":
        return f"{name}: graph", None
    # the line of the element, found in the file's text
    if kind == "person":
        pid = case.people[i]["id"]
        tag = f'<ns0:node id="{xml_escape(pid, {chr(34): "&quot;"})}"'
    else:
        tag = f'id="t{i}"'
    text = (tmp / "g.graphml").read_text("utf-8").splitlines()
    found = [n for n, row in enumerate(text, 1) if tag in row]
    # a repeated id is reported at its repetition: the how-manieth node with that id this person is
    nth = sum(p["id"] == case.people[i]["id"] for p in case.people[:i]) if kind == "person" else 0
    line = found[nth]
    return (_node_where(name, case, i) if kind == "person" else _edge_where(name, case, i)), line


def load_frames(case: Case, tmp: Path) -> None:
    pd = pytest.importorskip("pandas")
    pdf = pd.DataFrame(case.people, columns=_columns(case.people))
    tdf = pd.DataFrame(case.ties, columns=_columns(case.ties) or ["source", "target", "kind"])
    sg.from_frames(pdf, tdf, deal=case.deal)


def where_frames(case: Case, tmp: Path) -> tuple[Any, Any]:
    kind, i = case.at
    if kind == "deal":
        return "<deal>", None
    return f"<{'people' if kind == 'person' else 'ties'} frame>: row {i}", None


LOADERS = {
    "csv": (load_csv, where_csv),
    "json": (load_json, where_json),
    "networkx": (load_networkx, where_networkx),
    "graphml": (load_graphml, where_graphml),
    "frames": (load_frames, where_frames),
}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_located_and_explained(name, loader, tmp_path):
    case = CASES[name]
    if loader not in case.loaders:
        pytest.skip(f"{loader} cannot express this input")
    load, where = LOADERS[loader]
    with pytest.raises(ValidationError) as e:
        load(case, tmp_path)
    assert isinstance(e.value, StakegraphError) and isinstance(e.value, ValueError)
    (p,) = e.value.problems
    assert (p.file, p.line) == where(case, tmp_path)
    assert p.field == case.field
    for piece in case.message:
        assert piece in p.message
    assert str(p) in str(e.value)


def test_networkx_nodes_equal_as_text_are_duplicate_ids():
    G = nx.MultiDiGraph()
    G.add_nodes_from(
        ["b", 1, "1"]
    )  # a networkx graph cannot hold one id twice, but 1 and "1" are one id here
    with pytest.raises(ValidationError) as e:
        sg.from_networkx(G)
    (p,) = e.value.problems
    assert (p.file, p.line, p.field, p.message) == ("<networkx>: node '1'", None, "id", "duplicate id '1'")


def test_csv_duplicate_id_names_the_first_line(tmp_path):
    (tmp_path / "people.csv").write_text("id,name\na,A\nb,B\na,A again\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path / "people.csv")
    (p,) = e.value.problems
    assert (p.line, p.field, p.message) == (4, "id", "duplicate id 'a' (first on line 2)")
    assert str(e.value) == f"{tmp_path / 'people.csv'}:4: id: duplicate id 'a' (first on line 2)"


# ----------------------------------------------------------------------------- many problems at once
MANY = Case(
    people=[
        {"id": "a", "stance": "alley"},
        {"id": "b", "openness": "7"},
        {"id": "a"},
        {"id": "c", "last_contact": "yesterday"},
    ],
    ties=[
        {"source": "a", "target": "zz", "kind": "advises"},
        {"source": "a", "target": "b", "kind": "advises", "strength": "0"},
        {"source": "b", "target": "b", "kind": "friend"},
        {"source": "a", "target": "b", "kind": "enemy"},
    ],
    deal={"stage": "won"},
)
MANY_EXPECTED = [  # (kind, index, field, piece of the message)
    ("person", 0, "stance", "did you mean 'ally'?"),
    ("person", 1, "openness", "must be a number in [0, 1]; got '7'"),
    ("person", 2, "id", "duplicate id 'a'"),
    ("person", 3, "last_contact", "'yesterday' is not a date"),
    ("tie", 0, "target", "no person with id 'zz'"),
    ("tie", 1, "strength", "must be a number in (0, 1]"),
    ("tie", 2, "target", "self tie"),
    ("tie", 3, "kind", "'enemy' is not a tie kind"),
    ("deal", None, "stage", "'won' is not a deal stage"),
]


@pytest.mark.parametrize("loader", ["csv", "json", "graphml", "frames"])
def test_a_loader_reports_every_problem_in_one_error(loader, tmp_path):
    load, where = LOADERS[loader]
    with pytest.raises(ValidationError) as e:
        load(MANY, tmp_path)
    got = {(p.file, p.line, p.field) for p in e.value.problems}
    for kind, i, fld, piece in MANY_EXPECTED:
        case = Case(MANY.people, MANY.ties, MANY.deal, at=(kind, i))
        loc = where(case, tmp_path)
        assert (*loc, fld) in got, (kind, i, fld)
        assert any(piece in p.message for p in e.value.problems if (p.file, p.line, p.field) == (*loc, fld))
    assert len(e.value.problems) == len(MANY_EXPECTED)
    assert str(e.value).startswith(f"{len(MANY_EXPECTED)} problems:\n")


def test_networkx_reports_every_problem_in_one_error():
    G = nx.MultiDiGraph()
    G.graph["stage"] = "won"
    G.add_node("a", stance="alley")
    G.add_node("b", openness=7)
    G.add_edge("a", "b", key="advises", strength=0)
    G.add_edge("b", "b", key="friend")
    G.add_edge("a", "b", key="enemy")
    with pytest.raises(ValidationError) as e:
        sg.from_networkx(G)
    got = sorted((p.file, p.field) for p in e.value.problems)
    assert got == sorted(
        [
            ("<networkx>: graph", "stage"),
            ("<networkx>: node 'a'", "stance"),
            ("<networkx>: node 'b'", "openness"),
            ("<networkx>: edge 'a' -> 'b' ['advises']", "strength"),
            ("<networkx>: edge 'b' -> 'b' ['friend']", "target"),
            ("<networkx>: edge 'a' -> 'b' ['enemy']", "kind"),
        ]
    )


# ----------------------------------------------------------------------------- file layout
def test_csv_missing_required_columns(tmp_path):
    (tmp_path / "people.csv").write_text("name,stance\nLi,ally\n", encoding="utf-8")
    (tmp_path / "ties.csv").write_text("from,to,kind\na,b,advises\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path)
    assert [(Path(p.file).name, p.line, p.field) for p in e.value.problems] == [
        ("people.csv", 1, "id"),
        ("ties.csv", 1, "source"),
        ("ties.csv", 1, "target"),
    ]
    assert "no 'id' column" in e.value.problems[0].message
    assert "(found: name, stance)" in e.value.problems[0].message
    assert "(found: from, to, kind)" in e.value.problems[1].message


def test_csv_header_and_row_layout_problems():
    text = "id,name,name,,stance\na,A,A2,,ally\nb,B,,oops,ally\nc,C,,,ally,surplus\n"
    with pytest.raises(ValidationError) as e:
        sg.read_csv(io.StringIO(text))
    probs = [(p.line, p.field) for p in e.value.problems]
    assert probs == [(1, "name"), (3, None), (4, None)]
    assert "appears twice" in e.value.problems[0].message
    assert "column 4 has no name" in e.value.problems[1].message
    assert "the line has 6 values but the header names 5 columns" in e.value.problems[2].message


def test_csv_not_utf8_names_the_line_when_utf8_is_asked_for(tmp_path):
    (tmp_path / "people.csv").write_bytes("id,name\na,Ann\nb,J\u00fcrgen\n".encode("latin-1"))
    assert sg.read_csv(tmp_path / "people.csv").person("b").name == "J\u00fcrgen"  # detected: cp1252
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path / "people.csv", encoding="utf-8")
    (p,) = e.value.problems
    assert (
        p.line == 3 and "not utf-8 text" in p.message and "0xfc at byte offset 17, column 4" in p.message
    )  # 8 + 6 + 3 bytes before it


def test_csv_empty_id_and_deal_with_two_rows(tmp_path):
    (tmp_path / "people.csv").write_text("id,name\n ,Nobody\n", encoding="utf-8")
    (tmp_path / "deal.csv").write_text("name\nA\nB\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path)
    assert [(Path(p.file).name, p.line, p.field) for p in e.value.problems] == [("deal.csv", 3, None)]
    (tmp_path / "deal.csv").write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path)
    assert [(Path(p.file).name, p.line, p.field) for p in e.value.problems] == [("people.csv", 2, "id")]
    assert "non-empty id" in e.value.problems[0].message


def test_frames_missing_columns_and_wrong_type():
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValidationError) as e:
        sg.from_frames(pd.DataFrame({"name": ["A"]}), pd.DataFrame({"source": ["a"]}))
    assert [(p.file, p.field) for p in e.value.problems] == [
        ("<people frame>", "id"),
        ("<ties frame>", "target"),
        ("<ties frame>", "kind"),
    ]
    with pytest.raises(ValidationError, match="expected a pandas DataFrame of people; got list"):
        sg.from_frames([{"id": "a"}])


def test_json_numbers_nan_and_syntax(tmp_path):
    doc = {
        "stakegraph": 1,
        "people": [{"id": "a"}, {"id": "b"}],
        "ties": [
            {"source": "a", "target": "b", "kind": "advises", "strength": float("nan")},
            {"source": "b", "target": "a", "kind": "advises", "strength": 0},
        ],
    }
    with pytest.raises(ValidationError) as e:  # a NaN literal is not JSON: refused where it stands
        sg.read_json(io.StringIO(json.dumps(doc)))
    (p,) = e.value.problems
    text = json.dumps(doc)
    assert (p.file, p.line, p.field) == ("<stream>", 1, f"column {text.index('NaN') + 1}")
    assert p.message.startswith("NaN is not a JSON number")
    doc["ties"][0]["strength"] = 0.5
    doc["ties"][1]["strength"] = 0
    with pytest.raises(ValidationError) as e:
        sg.read_json(io.StringIO(json.dumps(doc)))
    assert [(p.file, p.field, p.message) for p in e.value.problems] == [
        ("<stream>: ties[1]", "strength", "must be a number in (0, 1]; got 0"),
    ]
    with pytest.raises(ValidationError) as e:
        sg.read_json(io.StringIO('{"stakegraph": 1,\n "people": [}'))
    assert e.value.problems[0].line == 2


def test_gexf_duplicate_and_dangling_nodes(tmp_path):
    g = StakeholderGraph()
    g.add_person("a")
    g.add_person("b")
    g.add_tie("a", "b", "advises")
    buf = io.BytesIO()
    sg.write_gexf(g, buf)
    text = buf.getvalue().decode("utf-8").replace('id="b" label="b"', 'id="a" label="b"')
    path = tmp_path / "g.gexf"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_gexf(path)
    assert [(p.file, p.field) for p in e.value.problems] == [
        (f"{path}: node 'a'", "id"),
        (f"{path}: edge 'a' -> 'b' ['e0']", "target"),
    ]
    assert e.value.problems[0].message == "duplicate id 'a': two nodes have this id"
    assert e.value.problems[1].message.startswith("no person with id 'b' among the nodes")


# ----------------------------------------------------------------------------- calls on a graph
def graph() -> StakeholderGraph:
    g = StakeholderGraph()
    for pid in ("wang", "li", "chen"):
        g.add_person(pid)
    g.add_tie("li", "wang", "reports_to")
    return g


@pytest.mark.parametrize(
    "call, fld, pieces",
    [
        (lambda g: g.add_person("li"), "id", ("duplicate id 'li'",)),
        (lambda g: g.add_person("x", stance="alley"), "stance", ("did you mean 'ally'?", STANCES)),
        (lambda g: g.add_person("x", id="y"), "id", ("the id is the first argument",)),
        (
            lambda g: g.add_person("x", extra={"name": "N"}),
            "extra",
            ("extra attribute 'name' has the name of a field",),
        ),
        (lambda g: g.add_tie("li", "li", "advises"), "target", ("self tie",)),
        (
            lambda g: g.add_tie("li", "chen", "reports_to"),
            "kind",
            ("'li' already reports to 'wang'", "use dotted_line for a second one"),
        ),
        (
            lambda g: g.add_tie("wang", "li", "reports_to"),
            "target",
            ("reports_to cycle: wang -> li -> wang",),
        ),
        (
            lambda g: g.add_tie("li", "wang", "advises", 1.5),
            "strength",
            ("must be a number in (0, 1]; got 1.5",),
        ),
        (
            lambda g: g.add_tie("li", "wnag", "advises"),
            "target",
            ("no person with id 'wnag'", "did you mean 'wang'?"),
        ),
        (lambda g: g.set_stance("li", "alley"), "stance", ("'alley' is not a stance; did you mean 'ally'?",)),
        (lambda g: g.update_person("li", openness=2), "openness", ("must be a number in [0, 1]; got 2",)),
        (lambda g: g.set_deal(stage="deep_contac"), "stage", ("did you mean 'deep_contact'?",)),
        (lambda g: g.set_deal(decision_date="31/12/26"), "decision_date", (DATE,)),
    ],
)
def test_calls_on_a_graph_name_the_field(call, fld, pieces):
    g = graph()
    with pytest.raises(ValidationError) as e:
        call(g)
    (p,) = e.value.problems
    assert p.field == fld and p.line is None and p.file in ("<graph>", "<deal>")
    for piece in pieces:
        assert piece in p.message


def test_unknown_people_and_ties_raise_key_errors():
    g = graph()
    with pytest.raises(
        sg.UnknownPersonError, match="no person with id 'wnag' in the graph; did you mean 'wang'"
    ):
        g.person("wnag")
    with pytest.raises(KeyError):
        g.set_stance("nobody", "ally")
    with pytest.raises(sg.NoTieError, match="no advises tie"):
        g.remove_tie("li", "wang", "advises")
    with pytest.raises(StakegraphError):
        g.tie("li", "chen", "friend")


def test_numbers_that_would_overflow_the_analyses_are_refused_where_they_enter():
    g = sg.datasets.load("bank")
    for name, value, rule in (("level", 1e300, "[0, 1000]"), ("power", 1.7e308, "[0, 1e+12]")):
        with pytest.raises(sg.ValidationError, match=re.escape(rule)):
            g.update_person("cfo", **{name: value})
    # at the limits every analysis and picture still gives finite numbers
    g.update_person("cfo", level=1000, power=1e12)
    r = sg.rank(g)
    assert np.isfinite(r.power).all() and r.ids[0] == "cfo"
    assert np.isfinite(sg.propagate(g).committee_support)
    sg.support_grid(g)
    sg.diagnose(g)
