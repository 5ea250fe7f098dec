"""Readers and writers: CSV, JSON, networkx, GraphML, GEXF, pandas DataFrames and the JSON Schema.

Round trips are checked on generated graphs (unicode, extras, every enum)
and on two real data sets read straight from their original files:

* Krackhardt, D. (1987). Cognitive social structures. Social Networks, 9(2),
  109-134. doi:10.1016/0378-8733(87)90009-8 (high-tech managers).
* Lazega, E. (2001). The Collegial Phenomenon. Oxford University Press
  (law firm); Lazega & Pattison (1999), Social Networks 21, 67-90.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

import stakegraph as sg
import stakegraph.io
from stakegraph import Deal, StakeholderGraph, ValidationError
from stakegraph.io import csvio, jsonio, nxio
from strategies import graphs

# the shared originals; a clean checkout elsewhere uses the identical copies shipped in the package
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data beside the repo
if not (DATA / "krackhardt" / "relations.csv").exists():
    DATA = Path(sg.datasets.__file__).parent / "data"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CITATIONS = {
    "krackhardt": "Krackhardt, D. (1987). Cognitive social structures. Social Networks, 9(2), 109-134. "
    "doi:10.1016/0378-8733(87)90009-8",
    "lazega": "Lazega, E. (2001). The Collegial Phenomenon. Oxford University Press; Lazega, E. & Pattison, "
    "P. E. (1999). Social Networks, 21, 67-90.",
}


def csv_files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("people.csv", "ties.csv", "deal.csv")}


def graphml_of(g: StakeholderGraph) -> bytes:
    buf = io.BytesIO()
    sg.write_graphml(g, buf)
    return buf.getvalue()


def gexf_of(g: StakeholderGraph) -> bytes:
    buf = io.BytesIO()
    sg.write_gexf(g, buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------- real data
def real_graph(name: str) -> StakeholderGraph:
    """A graph built from the original files of a data set (csv module only, no stakegraph reader).

    advice seeker -> advisor means the advisor influences the seeker, so an
    advice row source -> target is an ``advises`` tie target -> source;
    friendship and co-work nominations are mutual kinds (``friend``,
    ``knows``): a pair named both ways has strength 1, one way 0.5.
    """
    folder = DATA / name
    with open(folder / "people.csv", encoding="utf-8", newline="") as fh:
        people_rows = list(csv.DictReader(fh))
    with open(folder / "relations.csv", encoding="utf-8", newline="") as fh:
        rel_rows = list(csv.DictReader(fh))
    people = []
    for r in people_rows:
        rec = {"id": r["id"], "name": r["label"]}
        rec.update({k: v for k, v in r.items() if k not in ("id", "label") and v != ""})
        if name == "krackhardt":
            rec["level"] = int(r["level"]) - 1  # 1 = CEO in the file, 0 = top here
            rec["department"] = r["department"]
        people.append(rec)
    ties = []
    nominations: dict[str, dict[tuple[str, str], int]] = {"friend": {}, "knows": {}}
    for r in rel_rows:
        s, t, rel = r["source"], r["target"], r["relation"]
        if rel == "advice":
            ties.append({"source": t, "target": s, "kind": "advises"})
        elif rel == "reports_to":
            ties.append({"source": s, "target": t, "kind": "reports_to"})
        else:
            kind = {"friendship": "friend", "cowork": "knows"}[rel]
            pair = (min(s, t), max(s, t))
            nominations[kind][pair] = nominations[kind].get(pair, 0) + 1
    for kind, pairs in nominations.items():
        for (a, b), n in pairs.items():
            ties.append({"source": a, "target": b, "kind": kind, "strength": 1.0 if n == 2 else 0.5})
    deal = {"name": name, "citation": CITATIONS[name]}
    return StakeholderGraph.from_records(people, ties, deal)


@pytest.fixture(scope="module", params=["krackhardt", "lazega"])
def real(request):
    return request.param, real_graph(request.param)


def count_kinds(g: StakeholderGraph) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in g.ties:
        out[t.kind.value] = out.get(t.kind.value, 0) + 1
    return out


# Arc counts published with the data (Batagelj; Rawlings et al.), pair counts from the dyad
# censuses in the data READMEs (mutual + asymmetric pairs).
REAL_COUNTS = {
    "krackhardt": (21, {"advises": 190, "friend": 23 + 56, "reports_to": 20}),
    "lazega": (71, {"advises": 892, "friend": 176 + 223, "knows": 378 + 348}),
}


def test_real_data_builds_with_the_published_counts(real):
    name, g = real
    n, kinds = REAL_COUNTS[name]
    assert len(g) == n
    assert count_kinds(g) == kinds


def test_real_data_round_trips_through_every_format(real, tmp_path):
    name, g = real
    sg.write_csv(g, tmp_path / "a")
    g1 = sg.read_csv(tmp_path / "a")
    assert g1 == g
    g2 = sg.read_json(io.StringIO(sg.write_json(g1)))
    assert g2 == g
    g3 = sg.from_networkx(sg.to_networkx(g2))
    assert g3 == g
    sg.write_graphml(g3, tmp_path / "g.graphml")
    g4 = sg.read_graphml(tmp_path / "g.graphml")
    assert g4 == g
    sg.write_csv(g4, tmp_path / "b")
    assert csv_files(tmp_path / "a") == csv_files(tmp_path / "b")
    sg.write_gexf(g, tmp_path / "g.gexf")
    assert sg.read_gexf(tmp_path / "g.gexf") == g
    assert sg.from_frames(*sg.to_frames(g)) == g
    assert g4.deal.extra["citation"] == CITATIONS[name]


def test_krackhardt_advice_in_networkx_matches_the_file():
    # who is sought out for advice: in-degree of the advice relation in the raw file
    g = real_graph("krackhardt")
    with open(DATA / "krackhardt" / "relations.csv", encoding="utf-8", newline="") as fh:
        sought: dict[str, int] = {}
        for r in csv.DictReader(fh):
            if r["relation"] == "advice":
                sought[r["target"]] = sought.get(r["target"], 0) + 1
    G = sg.to_networkx(g)
    advisors = {n: sum(1 for _, _, k in G.out_edges(n, keys=True) if k == "advises") for n in G}
    assert {n: c for n, c in advisors.items() if c} == sought
    assert advisors["2"] == 18 and advisors["18"] == 15 and advisors["21"] == 15  # README reference numbers


def as_text_extras(g: StakeholderGraph) -> StakeholderGraph:
    """``g`` with every extra attribute as the text CSV holds (JSON text for non-strings)."""

    def text(extra):
        return {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in extra.items()}

    doc = json.loads(sg.write_json(g))
    fields = {"people": sg.model.PERSON_FIELDS, "ties": sg.model.TIE_FIELDS}
    for part, names in fields.items():
        for rec in doc[part]:
            rec.update(text({k: v for k, v in rec.items() if k not in names}))
    doc["deal"].update(text({k: v for k, v in doc["deal"].items() if k not in sg.model.DEAL_FIELDS}))
    return jsonio.graph_from_dict(doc)


@pytest.mark.parametrize("name", ["bank", "bank_later", "krackhardt"])  # lazega: see the real-data tests
def test_embedded_datasets_round_trip(name, tmp_path):
    g = sg.datasets.load(name)
    bare = g.copy(observations=False)  # what GraphML, GEXF and DataFrames hold
    assert sg.read_json(io.StringIO(sg.write_json(g))) == g
    assert sg.from_networkx(sg.to_networkx(g)) == g
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if g.observations else "error")
        assert sg.read_graphml(io.BytesIO(graphml_of(g))) == bare
        assert sg.read_gexf(io.BytesIO(gexf_of(g))) == bare  # numeric extras mixing 2 and 9.333 stay numbers
    assert sg.from_frames(*sg.to_frames(g)) == bare
    sg.write_csv(g, tmp_path)
    assert sg.read_csv(tmp_path) == as_text_extras(g)  # CSV holds extra attributes as text


# ----------------------------------------------------------------------------- generated round trips
@SETTINGS
@given(graphs())
def test_chain_csv_json_networkx_graphml_csv_is_identical(g):
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        sg.write_csv(g, a)
        g1 = sg.read_csv(a)
        assert g1 == g
        g2 = sg.read_json(io.StringIO(sg.write_json(g1)))
        assert g2 == g
        G = sg.to_networkx(g2)
        g3 = sg.from_networkx(G)
        assert g3 == g
        g4 = sg.read_graphml(io.BytesIO(graphml_of(g3)))
        assert g4 == g
        sg.write_csv(g4, b)
        assert csv_files(a) == csv_files(b)
        # people keep their order through every format
        assert list(g4.people) == list(g.people)


@SETTINGS
@given(graphs())
def test_gexf_round_trip(g):
    assert sg.read_gexf(io.BytesIO(gexf_of(g))) == g


@SETTINGS
@given(graphs())
def test_frames_round_trip(g):
    people, ties = sg.to_frames(g)
    assert len(people) == len(g) and len(ties) == len(g.ties)
    assert sg.from_frames(people, ties) == g


@SETTINGS
@given(graphs())
def test_json_schema_accepts_written_documents(g):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(sg.io.schema())
    doc = json.loads(sg.write_json(g))
    assert list(validator.iter_errors(doc)) == []


# ----------------------------------------------------------------------------- CSV
PEOPLE = (
    "id,name,roles,stance,level,support,openness,last_contact,budget\n"
    "wang,王建國,decision_maker; approver,neutral,0,,0.3,2026-03-01,4M\n"
    "li,Li Wei,evaluator;coach,ally,,3,,,\n"
)
TIES = 'target,source,kind,strength,note,since\nwang,li,advises,0.7,"weekly, on Fridays",2020\n'


def hand_built() -> StakeholderGraph:
    g = StakeholderGraph(deal=Deal(name="Core banking", stage="deep_contact", competitors=("Acme", "Globex")))
    g.add_person(
        "wang",
        name="王建國",
        roles=["decision_maker", "approver"],
        stance="neutral",
        level=0,
        openness=0.3,
        last_contact=dt.date(2026, 3, 1),
        budget="4M",
    )
    g.add_person("li", name="Li Wei", roles=["evaluator", "coach"], stance="ally", support=0.6)
    g.add_tie("li", "wang", "advises", 0.7, note="weekly, on Fridays", since="2020")
    return g


DEAL = "name,stage,competitors\nCore banking,deep_contact,Acme;Globex\n"


def test_read_csv_matches_a_hand_built_graph(tmp_path):
    (tmp_path / "p.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "t.csv").write_text(TIES, encoding="utf-8")
    (tmp_path / "d.csv").write_text(DEAL, encoding="utf-8")
    g = sg.read_csv(tmp_path / "p.csv", tmp_path / "t.csv", deal=tmp_path / "d.csv")
    assert g == hand_built()
    assert g.person("li").support == pytest.approx(0.6)  # a -5..+5 rating of 3, divided by 5
    assert g.person("wang").extra == {"budget": "4M"}


def test_read_csv_accepts_text_and_binary_file_objects_and_a_bom():
    expected = hand_built()
    for make in (
        io.StringIO,
        lambda s: io.BytesIO(s.encode("utf-8")),
        lambda s: io.BytesIO(b"\xef\xbb\xbf" + s.encode("utf-8")),
        lambda s: io.StringIO("\ufeff" + s),
    ):
        g = sg.read_csv(make(PEOPLE), make(TIES), deal=make(DEAL))
        assert g == expected


def test_read_csv_with_crlf_blank_lines_and_a_deal_object(tmp_path):
    p = tmp_path / "people.csv"
    p.write_bytes(("\ufeff" + PEOPLE + "\n,,,,,,,,\n").replace("\n", "\r\n").encode("utf-8"))
    g = sg.read_csv(
        p,
        io.StringIO(TIES),
        deal={"name": "Core banking", "stage": "deep_contact", "competitors": ["Acme", "Globex"]},
    )
    assert g == hand_built()
    g = sg.read_csv(p, io.StringIO(TIES), deal=hand_built().deal)
    assert g == hand_built()


def test_read_csv_folder_picks_up_ties_and_deal(tmp_path):
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    assert sg.read_csv(tmp_path) == StakeholderGraph.from_records(
        [dict(p.to_record()) for p in hand_built().people.values()]
    )
    (tmp_path / "ties.csv").write_text(TIES, encoding="utf-8")
    (tmp_path / "deal.csv").write_text(DEAL, encoding="utf-8")
    assert sg.read_csv(str(tmp_path)) == hand_built()


def test_read_csv_folder_without_people(tmp_path):
    with pytest.raises(ValidationError) as e:
        sg.read_csv(tmp_path)
    assert e.value.problems[0].file == str(tmp_path)
    assert "no people.csv" in e.value.problems[0].message


def test_write_csv_text(tmp_path):
    sg.write_csv(hand_built(), tmp_path / "new" / "folder")
    folder = tmp_path / "new" / "folder"
    people = (folder / "people.csv").read_text(encoding="utf-8")
    assert people.splitlines()[0] == (
        "id,name,title,department,org,level,roles,stance,support,reason,power,"
        "openness,relationship,owner,last_contact,needs,interests,notes,budget"
    )
    assert (
        people.splitlines()[1]
        == "wang,王建國,,,customer,0,decision_maker;approver,neutral,,,,0.3,,,2026-03-01,,,,4M"
    )
    assert (folder / "ties.csv").read_text(encoding="utf-8").splitlines() == [
        "source,target,kind,strength,note,since",
        'li,wang,advises,0.7,"weekly, on Fridays",2020',
    ]
    assert (folder / "deal.csv").read_text(encoding="utf-8").splitlines() == [
        "name,stage,decision_date,competitors,as_of",
        "Core banking,deep_contact,,Acme;Globex,",
    ]
    assert sorted(os.listdir(folder)) == ["deal.csv", "people.csv", "ties.csv"]  # no temporary files left


def test_write_csv_orders_ties_by_people_then_kind(tmp_path):
    g = StakeholderGraph()
    for pid in ("c", "a", "b"):
        g.add_person(pid)
    g.add_tie("b", "a", "friend")
    g.add_tie("a", "b", "reports_to")
    g.add_tie("c", "b", "advises")
    g.add_tie("c", "a", "knows")
    sg.write_csv(g, tmp_path)
    rows = [line.split(",")[:3] for line in (tmp_path / "ties.csv").read_text().splitlines()[1:]]
    # people order c, a, b, so positions c=0, a=1, b=2; a mutual tie is stored from the smaller id
    # ('a' < 'c'), so the knows tie is a -> c at positions (1, 0) and comes before a -> b at (1, 2)
    assert rows == [
        ["c", "b", "advises"],
        ["a", "c", "knows"],
        ["a", "b", "reports_to"],
        ["a", "b", "friend"],
    ]


def test_write_csv_bom_for_excel(tmp_path):
    sg.write_csv(hand_built(), tmp_path, bom=True)
    assert (tmp_path / "people.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert sg.read_csv(tmp_path) == hand_built()


def test_write_csv_is_atomic_when_a_file_cannot_be_written(tmp_path, monkeypatch):
    g = hand_built()
    sg.write_csv(g, tmp_path)
    before = csv_files(tmp_path)
    changed = g.copy()
    changed.add_person("new", name="Someone new")
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        if "ties.csv" in str(path) and "x" in mode:
            raise OSError("disk full")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OSError, match="disk full"):
        sg.write_csv(changed, tmp_path)
    monkeypatch.undo()
    assert csv_files(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["deal.csv", "people.csv", "ties.csv"]


def test_write_csv_refuses_text_utf8_cannot_hold_and_keeps_old_files(tmp_path):
    sg.write_csv(hand_built(), tmp_path)
    before = csv_files(tmp_path)
    g = hand_built()
    # text no file can hold never enters the graph, so every graph there is can be written
    with pytest.raises(ValidationError, match=r"notes.*lone surrogate U\+D800 at position 8"):
        g.update_person("li", notes="broken \ud800 surrogate")
    assert g == hand_built()
    sg.write_csv(g, tmp_path)
    assert csv_files(tmp_path) == before


def test_csv_extras_are_text(tmp_path):
    g = StakeholderGraph()
    g.add_person("a", age=42, tags=["x", "y"], vip=True)
    sg.write_csv(g, tmp_path)
    assert sg.read_csv(tmp_path).person("a").extra == {"age": "42", "tags": '["x", "y"]', "vip": "true"}


def test_csv_quoted_multiline_cell_keeps_line_numbers():
    people = 'id,notes,stance\na,"line one\nline two",ally\nb,,alley\n'
    with pytest.raises(ValidationError) as e:
        sg.read_csv(io.StringIO(people))
    (p,) = e.value.problems
    assert (p.file, p.line, p.field) == ("<people.csv>", 4, "stance")


# ----------------------------------------------------------------------------- networkx
def small() -> StakeholderGraph:
    g = StakeholderGraph(deal=Deal(name="CRM", stage="commercial", decision_date=dt.date(2026, 6, 30)))
    g.add_person("wang", name="王建國", roles=["decision_maker"], level=0, region="APAC")
    g.add_person("li", stance="skeptic", reason="doubt", openness=0.4)
    g.add_tie("li", "wang", "reports_to", 0.9)
    g.add_tie("wang", "li", "friend", 0.5, note="golf")
    return g


def test_to_networkx_structure():
    G = sg.to_networkx(small())
    assert isinstance(G, nx.MultiDiGraph)
    assert list(G.nodes(data=True)) == [
        (
            "wang",
            {
                "name": "王建國",
                "org": "customer",
                "level": 0,
                "roles": ["decision_maker"],
                "stance": "unknown",
                "region": "APAC",
            },
        ),
        ("li", {"org": "customer", "stance": "skeptic", "reason": "doubt", "openness": 0.4}),
    ]
    assert list(G.edges(keys=True, data=True)) == [
        ("li", "wang", "reports_to", {"kind": "reports_to", "strength": 0.9}),
        (
            "li",
            "wang",
            "friend",
            {"kind": "friend", "strength": 0.5, "note": "golf"},
        ),  # mutual: smaller id first
    ]
    assert G.graph == {"name": "CRM", "stage": "commercial", "decision_date": dt.date(2026, 6, 30)}


def test_from_networkx_digraph_and_undirected_graph():
    D = nx.DiGraph()
    D.add_node("wang", name="王建國", roles="decision_maker")
    D.add_node("li", stance="skeptic", reason="doubt", openness=0.4)
    D.add_edge("li", "wang", kind="reports_to", strength=0.9)
    D.add_edge("wang", "li", kind="friend", strength=0.5, note="golf")
    g = sg.from_networkx(D)
    assert g.manager("li") == "wang"
    assert g.tie("li", "wang", "friend").note == "golf"
    U = nx.Graph()
    U.add_nodes_from(D.nodes(data=True))
    U.add_edge("wang", "li", kind="reports_to", strength=0.9, source="li")
    g2 = sg.from_networkx(U)
    assert g2.manager("li") == "wang" and g2.ties[0].extra == {}
    U.add_edge("wang", "li", kind="reports_to", strength=0.9, target="wang")  # replaces: a Graph has one edge
    assert sg.from_networkx(U).manager("li") == "wang"


def test_from_networkx_undirected_directed_kind_without_source_is_a_problem():
    U = nx.Graph([("a", "b", {"kind": "advises"})])
    with pytest.raises(ValidationError) as e:
        sg.from_networkx(U)
    (p,) = e.value.problems
    assert p.file == "<networkx>: edge 'a' -> 'b'" and p.field == "source"
    assert "needs a 'source' attribute" in p.message


def test_from_networkx_mutual_tie_in_both_directions_is_one_tie():
    M = nx.MultiDiGraph()
    M.add_edge("a", "b", key="friend", strength=0.5)
    M.add_edge("b", "a", key="friend", strength=0.5)
    assert len(sg.from_networkx(M).ties) == 1
    M.add_edge("b", "a", key="knows", strength=0.5)
    M.add_edge("a", "b", key="knows", strength=0.7)  # two different ties of one kind between one pair
    with pytest.raises(ValidationError, match="duplicate knows tie between 'b' and 'a'"):
        sg.from_networkx(M)


def test_from_networkx_plain_graph_with_default_kind():
    G = nx.karate_club_graph()
    g = sg.from_networkx(G, default_kind="knows")
    assert len(g) == 34 and len(g.ties) == G.number_of_edges() == 78
    assert all(t.kind.value == "knows" for t in g.ties)
    assert g.ties[0].extra == {"weight": 4}  # the karate club's own edge weight, kept as an extra
    with pytest.raises(ValidationError, match="every tie needs a kind"):
        sg.from_networkx(G)


def test_from_networkx_refuses_non_graphs_and_clashing_ids():
    with pytest.raises(ValidationError, match="expected a networkx graph"):
        sg.from_networkx({"a": "b"})  # type: ignore[arg-type]
    G = nx.MultiDiGraph()
    G.add_node(1)
    G.add_node("1")
    with pytest.raises(ValidationError, match="duplicate id '1'"):
        sg.from_networkx(G)
    G = nx.MultiDiGraph()
    G.add_node("a", id="b")
    with pytest.raises(ValidationError, match="differs from the node 'a'"):
        sg.from_networkx(G)


# ----------------------------------------------------------------------------- GraphML and GEXF
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://www.gexf.net/1.2draft}"


@SETTINGS
@given(graphs(max_people=5))
def test_graphml_is_well_formed_for_yed_and_gephi(g):
    root = ET.fromstring(graphml_of(g))
    assert root.tag == GRAPHML_NS + "graphml"
    keys = {k.get("id"): k for k in root.findall(GRAPHML_NS + "key")}
    assert all(
        k.get("attr.type") in {"boolean", "int", "long", "float", "double", "string"} for k in keys.values()
    )
    (graph,) = root.findall(GRAPHML_NS + "graph")
    assert graph.get("edgedefault") == "directed"
    nodes = [n.get("id") for n in graph.findall(GRAPHML_NS + "node")]
    assert nodes == list(g.people)
    edges = graph.findall(GRAPHML_NS + "edge")
    assert sorted(e.get("id") for e in edges) == sorted(f"e{i}" for i in range(len(g.ties)))
    for e in edges:
        t = g.ties[int(e.get("id")[1:])]
        assert (e.get("source"), e.get("target")) == (t.source, t.target)
    for el in root.iter(GRAPHML_NS + "data"):
        assert el.get("key") in keys
    # every node carries a label (the name, or the id) for Gephi
    label_key = (
        next(i for i, k in keys.items() if k.get("attr.name") == "label" and k.get("for") == "node")
        if nodes
        else None
    )
    for n in graph.findall(GRAPHML_NS + "node"):
        (lab,) = [d.text for d in n.findall(GRAPHML_NS + "data") if d.get("key") == label_key]
        assert lab == g.person(n.get("id")).label


@SETTINGS
@given(graphs(max_people=5))
def test_gexf_is_well_formed_for_gephi(g):
    root = ET.fromstring(gexf_of(g))
    assert root.tag == GEXF_NS + "gexf" and root.get("version") == "1.2"
    (graph,) = root.findall(GEXF_NS + "graph")
    declared = {
        (a.get("class"), at.get("id")): at.get("type")
        for a in graph.findall(GEXF_NS + "attributes")
        for at in a.findall(GEXF_NS + "attribute")
    }
    assert set(declared.values()) <= {"string", "long", "double", "boolean", "integer", "float"}
    nodes = graph.findall(f"{GEXF_NS}nodes/{GEXF_NS}node")
    assert [(n.get("id"), n.get("label")) for n in nodes] == [(p.id, p.label) for p in g.people.values()]
    edges = graph.findall(f"{GEXF_NS}edges/{GEXF_NS}edge")
    # edge i of the graph is written with id "e<i>", labelled with its kind and weighted by its strength
    assert sorted(e.get("id") for e in edges) == sorted(f"e{i}" for i in range(len(g.ties)))
    for e in edges:
        t = g.ties[int(e.get("id")[1:])]
        assert (e.get("source"), e.get("target"), e.get("label"), float(e.get("weight"))) == (
            t.source,
            t.target,
            t.kind.value,
            t.strength,
        )
    for cls, parent in (("node", nodes), ("edge", edges)):
        for el in parent:
            for av in el.iter(GEXF_NS + "attvalue"):
                assert (cls, av.get("for")) in declared


def test_graphml_read_by_networkx_itself(tmp_path):
    sg.write_graphml(small(), tmp_path / "a.graphml")
    G = nx.read_graphml(tmp_path / "a.graphml")
    assert G.nodes["wang"]["roles"] == "decision_maker" and G.nodes["wang"]["level"] == 0
    assert G.nodes["li"]["label"] == "li" and G.nodes["wang"]["label"] == "王建國"
    assert G.graph["decision_date"] == "2026-06-30"
    kinds = sorted(d["kind"] for _, _, d in G.edges(data=True))
    assert kinds == ["friend", "reports_to"]
    assert sg.read_graphml(str(tmp_path / "a.graphml")) == small()
    with open(tmp_path / "a.graphml", "rb") as fh:
        assert sg.read_graphml(fh) == small()


def test_gexf_read_by_networkx_itself(tmp_path):
    sg.write_gexf(small(), tmp_path / "a.gexf")
    G = nx.read_gexf(tmp_path / "a.gexf")
    assert G.nodes["wang"]["label"] == "王建國" and G.nodes["wang"]["roles"] == "decision_maker"
    assert sorted(d["weight"] for *_, d in G.edges(data=True)) == [0.5, 0.9]
    assert sg.read_gexf(tmp_path / "a.gexf") == small()


def test_reserved_attribute_names_survive():
    g = StakeholderGraph(deal=Deal(extra={"id": "deal-7", "node_default": "x", "extra:z": "z"}))
    g.add_person("a", label="A-label", weight="70kg", key="k", viz="v", **{"extra:x": "x"})
    g.add_person("b", name="Bee")
    g.add_tie("a", "b", "advises", 0.5, id="t1", label="L", weight="heavy", type="t", key="k2")
    for data, read in ((graphml_of(g), sg.read_graphml), (gexf_of(g), sg.read_gexf)):
        back = read(io.BytesIO(data))
        assert back == g
        assert back.person("a").extra["label"] == "A-label"
        assert back.ties[0].extra["weight"] == "heavy"


def test_control_characters_xml_cannot_hold_never_enter_the_graph():
    g = StakeholderGraph()
    with pytest.raises(ValidationError) as e:
        g.add_person("a", notes="bell \x07 here")
    (p,) = e.value.problems
    assert p.field == "notes" and "U+0007 at position 6" in p.message
    assert len(g) == 0
    for bad in ("\x00", "\ufffe", "\U0010ffff", "\udc80"):
        with pytest.raises(ValidationError):
            g.add_person("b", name=f"x{bad}")
        with pytest.raises(ValidationError):
            g.add_person(f"b{bad}")
    g.add_person("c", notes="tab\tnew\nline\rok")  # what XML and CSV hold


def test_carriage_returns_and_tabs_survive_xml():
    g = StakeholderGraph()
    g.add_person("a", notes="one\r\ntwo\rthree\tfour\n", name="  spaced  ")
    assert sg.read_graphml(io.BytesIO(graphml_of(g))) == g
    assert sg.read_gexf(io.BytesIO(gexf_of(g))) == g


def test_write_graphml_path_is_atomic(tmp_path, monkeypatch):
    from stakegraph.io import _common

    path = tmp_path / "g.graphml"
    sg.write_graphml(small(), path)
    before = path.read_bytes()

    def fails(tmp, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_common, "_write_temp", fails)
    g = small()
    g.update_person("li", notes="changed")
    with pytest.raises(OSError):
        sg.write_graphml(g, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["g.graphml"]


YED = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key attr.name="stance" attr.type="string" for="node" id="d7"/>
  <graph edgedefault="directed" id="G">
    <node id="n0">
      <data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="10.0" y="20.0"/>
        <y:NodeLabel>王建國</y:NodeLabel></y:ShapeNode></data>
      <data key="d7">ally</data>
    </node>
    <node id="n1"/>
    <edge id="e0" source="n1" target="n0"/>
  </graph>
</graphml>
"""


def test_read_graphml_from_yed():
    g = sg.read_graphml(io.StringIO(YED), default_kind="knows")
    assert g.person("n0").name == "王建國" and g.person("n0").stance.value == "ally"
    assert g.ties[0].kind.value == "knows"
    assert g.person("n0").extra["x"] == "10.0"  # yEd's layout is kept as extras


def test_read_graphml_and_gexf_syntax_errors(tmp_path):
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml>\n<graph>\n<node id='a'>\n</graph>", encoding="utf-8")
    for read in (sg.read_graphml, sg.read_gexf):
        with pytest.raises(ValidationError) as e:
            read(bad)
        (p,) = e.value.problems
        assert p.file == str(bad) and p.line == 4 and "not a readable" in p.message
    with pytest.raises(ValidationError, match="file not found"):
        sg.read_graphml(tmp_path / "missing.graphml")


# ----------------------------------------------------------------------------- frames
def test_to_frames_columns_and_types():
    pd = pytest.importorskip("pandas")
    people, ties = sg.to_frames(small())
    assert list(people.columns) == list(sg.model.PERSON_FIELDS) + ["region"]
    assert people["level"].dtype == "Int64" and people["level"].isna().tolist() == [False, True]
    assert people["openness"].tolist()[1] == 0.4 and math.isnan(people["openness"].tolist()[0])
    assert people["roles"].tolist() == ["decision_maker", ""]
    assert list(ties.columns) == ["source", "target", "kind", "strength", "note"]
    assert ties.attrs["deal"] == {"name": "CRM", "stage": "commercial", "decision_date": "2026-06-30"}
    assert isinstance(people, pd.DataFrame)


def test_from_frames_nan_is_missing_and_index_named_id():
    pd = pytest.importorskip("pandas")
    people = pd.DataFrame(
        {"name": ["A", None], "level": [float("nan"), 2.0], "team": [None, "x"]},
        index=pd.Index(["a", "b"], name="id"),
    )
    ties = pd.DataFrame(
        {"source": ["b"], "target": ["a"], "kind": ["reports_to"], "strength": [float("nan")]}
    )
    g = sg.from_frames(people, ties, deal=Deal(name="d"))
    assert g.person("a").level is None and g.person("b").level == 2 and g.person("a").name == "A"
    assert g.person("a").extra == {} and g.person("b").extra == {"team": "x"}
    assert g.ties[0].strength == 1.0 and g.deal.name == "d"


def test_frames_written_with_pandas_read_by_read_csv(tmp_path):
    pytest.importorskip("pandas")
    g = hand_built()
    people, ties = sg.to_frames(g)
    people.to_csv(tmp_path / "people.csv", index=False)
    ties.to_csv(tmp_path / "ties.csv", index=False)
    assert sg.read_csv(tmp_path / "people.csv", tmp_path / "ties.csv", deal=g.deal) == g


def test_frames_need_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'stakegraph\[pandas\]'"):
        sg.to_frames(small())
    with pytest.raises(ImportError, match=r"from_frames\(\) needs pandas"):
        sg.from_frames(None)


# ----------------------------------------------------------------------------- JSON Schema
def test_schema_loads_and_is_a_valid_2020_12_schema():
    jsonschema = pytest.importorskip("jsonschema")
    s = jsonio.schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)


def test_schema_enums_are_the_library_vocabularies():
    d = jsonio.schema()["$defs"]
    assert d["stance"]["enum"] == sg.Stance.allowed()
    assert d["role"]["enum"] == sg.Role.allowed()
    assert d["kind"]["enum"] == sg.TieKind.allowed()
    assert d["org"]["enum"] == sg.Org.allowed()
    assert d["stage"]["enum"] == sg.Stage.allowed()
    assert d["reason"]["enum"] == sg.Reason.allowed()


@pytest.mark.parametrize(
    "change, ok",
    [
        (lambda doc: None, True),
        (lambda doc: doc["people"][0].update(stance="alley"), False),
        (lambda doc: doc["people"][0].update(openness=1.5), False),
        (lambda doc: doc["people"][0].update(last_contact="31/12/26"), False),
        (lambda doc: doc["people"][1].update(reason="doubt"), False),  # li is an ally
        (lambda doc: doc["ties"][0].update(strength=0), False),
        (lambda doc: doc["ties"][0].update(kind="advice"), False),
        (lambda doc: doc["ties"][0].pop("kind"), False),
        (lambda doc: doc["deal"].update(stage="won"), False),
        (lambda doc: doc.update(stakegraph=3), False),
        (lambda doc: doc.update(stakegraph=2), True),  # version 2: observations may follow
        (lambda doc: doc.update(observations=[]), False),  # observations need version 2
        (lambda doc: doc["people"][0].update(favourite_colour="green"), True),  # extras are allowed
    ],
)
def test_schema_rejects_what_the_reader_rejects(change, ok):
    """The schema describes the canonical document the writer writes; the reader rejects all it rejects
    except the vocabulary's words and the common date forms, which it reads as their canonical values."""
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(sg.write_json(hand_built()))
    change(doc)
    valid = jsonschema.Draft202012Validator(jsonio.schema()).is_valid(doc)
    assert valid is ok
    if ok:
        jsonio.graph_from_dict(doc)
    else:
        with pytest.raises(ValidationError):
            jsonio.graph_from_dict(doc)


def test_reader_takes_the_vocabulary_and_common_dates_the_schema_leaves_out():
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(sg.write_json(hand_built()))
    doc["people"][0].update(stance="支持者", last_contact="31/12/2026")
    assert not jsonschema.Draft202012Validator(jsonio.schema()).is_valid(doc)
    p = jsonio.graph_from_dict(doc).person(doc["people"][0]["id"])
    assert (p.stance, p.last_contact) == (sg.Stance.SUPPORTER, dt.date(2026, 12, 31))


def test_schema_describes_the_snapshots_document():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(jsonio.schema())
    g = hand_built()
    doc = json.loads(sg.write_snapshots([g.snapshot("2026-01-01"), g.snapshot("2026-02-01")]))
    assert validator.is_valid(doc)
    assert len(sg.read_snapshots(io.StringIO(json.dumps(doc)))) == 2
    undated = json.loads(sg.write_snapshots([g]))
    assert not validator.is_valid(undated)  # every snapshot needs deal.as_of
    mixed = dict(doc, people=[])
    assert not validator.is_valid(mixed)  # one account or snapshots, not both


# ----------------------------------------------------------------------------- JSON
def test_json_writes_extras_without_a_json_type():
    g = StakeholderGraph()
    g.add_person("a", met=dt.date(2026, 1, 2), tags=("x", "y"))
    doc = json.loads(sg.write_json(g))
    assert doc["people"][0]["met"] == "2026-01-02" and doc["people"][0]["tags"] == ["x", "y"]


def test_read_snapshots_folder_reports_every_file(tmp_path):
    good = hand_built().snapshot("2026-01-01")
    sg.write_json(good, tmp_path / "1.json")
    (tmp_path / "2.json").write_text('{"stakegraph": 1, "people": [{"id": "a", "stance": "alley"}]}', "utf-8")
    (tmp_path / "3.json").write_text('{"stakegraph": 1, "people": [{"id": "b", "openness": 3}]}', "utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_snapshots(tmp_path)
    assert [(p.file, p.field) for p in e.value.problems] == [
        (f"{tmp_path / '2.json'}: people[0]", "stance"),
        (f"{tmp_path / '3.json'}: people[0]", "openness"),
    ]
    (tmp_path / "2.json").unlink()
    (tmp_path / "3.json").unlink()
    assert sg.read_snapshots(tmp_path) == [good]


# ----------------------------------------------------------------------------- namespace
def test_io_namespace_exports_every_reader_and_writer():
    names = {
        "read_csv",
        "write_csv",
        "read_json",
        "write_json",
        "read_snapshots",
        "write_snapshots",
        "schema",
        "to_networkx",
        "from_networkx",
        "read_graphml",
        "write_graphml",
        "read_gexf",
        "write_gexf",
        "from_frames",
        "to_frames",
        "read_xlsx",
        "write_xlsx",
        "read_crm",
    }
    registry = {"FORMATS", "Format", "format_for", "formats", "read", "write"}
    assert set(stakegraph.io.__all__) == names | registry
    for name in names:
        assert (
            getattr(stakegraph.io, name) is getattr(sg, name) if name != "schema" else callable(jsonio.schema)
        )
    assert stakegraph.io.read_csv is csvio.read_csv and stakegraph.io.to_networkx is nxio.to_networkx
    with pytest.raises(AttributeError):
        stakegraph.io.nope  # noqa: B018


# ----------------------------------------------------------------------------- one way in for every reader
@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ('{"stakegraph": 1}'.encode("utf-16")[:-1], "starts with a UTF-16 byte-order mark but is not UTF-16"),
        (bytes(range(128, 256)), "not UTF-8 text, and not clearly any of"),
        (b"[" * 100_000, "nested 100000 deep"),
        (b'{"stakegraph": 1, "people": [{"id": "a", "power": NaN}]}', "NaN is not a JSON number"),
        (
            b'{"stakegraph": 1, "people": [{"id": "a", "level": ' + b"7" * 5000 + b"}]}",
            "an integer of 5000 digits",
        ),
    ],
    ids=["broken utf-16", "random bytes", "deep nesting", "NaN literal", "huge integer"],
)
def test_read_json_refuses_bad_bytes_with_a_located_validation_error(tmp_path, raw, fragment):
    path = tmp_path / "account.json"
    path.write_bytes(raw)
    with pytest.raises(sg.ValidationError) as e:
        sg.read_json(path)
    text = str(e.value)
    assert str(path) in text and fragment in text


def test_readers_refuse_a_folder_and_a_missing_file(tmp_path):
    for read in (sg.read_json, sg.read_graphml, sg.read_gexf):
        with pytest.raises(sg.ValidationError, match="is a folder, not a file"):
            read(tmp_path)
        with pytest.raises(sg.ValidationError, match="file not found"):
            read(tmp_path / "missing.json")


# ----------------------------------------------------------------------------- the format registry
def test_every_format_of_the_registry_round_trips_the_bank(tmp_path):
    from stakegraph.io import registry

    g = sg.datasets.load("bank")
    assert [f.name for f in stakegraph.io.formats()] == ["json", "csv", "xlsx", "graphml", "gexf"]
    for f in stakegraph.io.formats():
        target = tmp_path / ("bank_csv" if f.name == "csv" else f"bank{f.suffixes[0]}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GraphML and GEXF say they drop the bank's reports
            stakegraph.io.write(g, target, fmt="csv" if f.name == "csv" else None)
        assert stakegraph.io.format_for(target) is f
        back = stakegraph.io.read(target)
        expected = g if f.name in ("json", "csv", "xlsx") else g.copy(observations=False)
        if f.name == "csv":  # CSV keeps extra columns as text: compare with the CSV reader itself
            assert back == sg.read_csv(target) and sorted(back.people) == sorted(g.people)
            assert sorted(t.key for t in back.ties) == sorted(t.key for t in g.ties)
        else:
            assert back == expected, f.name
        if f.name != "csv":  # the bytes alone tell the format, whatever the suffix
            renamed = target.with_suffix(".dat")
            target.rename(renamed)
            assert stakegraph.io.format_for(renamed) is f
            assert stakegraph.io.read(renamed) == expected
    assert registry.csv_kind(tmp_path / "bank_csv" / "ties.csv") == "ties"
    assert registry.csv_kind(tmp_path / "bank_csv" / "people.csv") == "people"


def test_the_registry_names_the_allowed_formats_when_it_cannot_tell(tmp_path):
    odd = tmp_path / "notes.xyz"
    odd.write_bytes(b"just some notes\n")
    with pytest.raises(sg.ValidationError) as e:
        stakegraph.io.read(odd)
    text = str(e.value)
    assert str(odd) in text and "json (.json)" in text and "gexf (.gexf)" in text and "fmt=" in text
    with pytest.raises(sg.ValidationError, match="'fmt' parameter must be one of 'json', 'csv'"):
        stakegraph.io.read(odd, fmt="xml")


def test_the_cli_reads_every_format_through_the_registry(tmp_path, capsys):
    from stakegraph.cli import main

    g = sg.datasets.load("bank_later")  # no reports for GEXF to drop
    sg.write_gexf(g, tmp_path / "account.export")  # an unknown suffix: recognised by its content
    assert main(["validate", str(tmp_path / "account.export")]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("reader", ["read_graphml", "read_gexf"])
def test_graphml_and_gexf_share_one_xml_reader_that_refuses_entities(tmp_path, reader):
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        b'<node id="&lol2;"/></graph></graphml>'
    )
    path = tmp_path / "bomb.xml"
    path.write_bytes(bomb)
    with pytest.raises(sg.ValidationError, match="line 2 declares a DOCTYPE") as e:
        getattr(sg, reader)(path)
    assert str(path) in str(e.value)
    # wherever the declaration stands, in whatever encoding, with an external DTD too: refused at once
    body = b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"/></graphml>'
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    for doc in (
        b'<?xml version="1.0"?>\n<!--' + b"x" * 20_000 + b'-->\n<!DOCTYPE g [<!ENTITY e "e">]>\n' + body,
        ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE g [<!ENTITY e "e">]>\n' + body.decode()).encode(
            "utf-16"
        ),
        b'<?xml version="1.0"?>\n<!DOCTYPE graphml SYSTEM "http://example.com/evil.dtd">\n' + body,
        f'<?xml version="1.0"?>\n<!DOCTYPE g [{laughs}]>\n'.encode()
        + body.replace(b"/>", b">&l9;</graph>", 1),
    ):
        with pytest.raises(sg.ValidationError, match="declares a DOCTYPE"):
            getattr(sg, reader)(io.BytesIO(doc))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<?xml version="1.0"?>\n<graphml>\n<graph>\n<node id="a">\n</graphml>')
    with pytest.raises(sg.ValidationError) as e:
        getattr(sg, reader)(broken)
    assert e.value.problems[0].line == 5 and "not a readable" in str(e.value)


def test_write_json_keeps_the_old_file_and_no_temporary_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    sg.write_json(hand_built(), path)
    before = path.read_bytes()
    real_open = open

    def failing_open(file, mode="r", *args, **kwargs):
        if str(file).endswith(".tmp") and "x" in mode:
            fh = real_open(file, mode, *args, **kwargs)
            fh.write(b"{half")
            fh.close()
            raise OSError("disk full")
        return real_open(file, mode, *args, **kwargs)

    changed = hand_built()
    changed.add_person("new", name="Someone new")
    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OSError, match="disk full"):
        sg.write_json(changed, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["g.json"]


# ----------------------------------------------------------------------------- spreadsheet formulas
from hypothesis import given as _given  # noqa: E402
from hypothesis import settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

_FORMULA_TEXT = _st.text(
    alphabet=_st.sampled_from(list("=+-@'\t\r 1.eE(x)A,;\"") + ["王", "é"]), min_size=1, max_size=12
).filter(lambda s: s.strip() and s == " ".join(s.split()) or s.startswith(("=", "+", "-", "@", "'")))


def _cells(folder):
    import csv as _csv

    for f in sorted(folder.glob("*.csv")):
        with open(f, newline="", encoding="utf-8-sig") as fh:
            yield from (cell for row in _csv.reader(fh) for cell in row)


@_settings(max_examples=60, deadline=None)
@_given(_FORMULA_TEXT, _FORMULA_TEXT)
def test_no_csv_cell_starts_a_formula_and_text_comes_back_as_written(tmp_path_factory, name, note):
    import re as _re

    folder = tmp_path_factory.mktemp("csv")
    g = sg.StakeholderGraph()
    g.add_person("a", name=name, notes=note, extra={"phone": name})
    g.add_person("b", name="B", support=-0.5)
    g.add_tie("a", "b", "advises", 0.5, note=note)
    sg.write_csv(g, folder)
    number = _re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
    for cell in _cells(folder):
        # what a spreadsheet would run: a formula character first, the cell not a plain number
        assert not (cell[:1] and cell[0] in "=+-@\t\r" and not number.fullmatch(cell)), cell
    back = sg.read_csv(folder)
    assert back.person("a").name == g.person("a").name and back.person("a").notes == g.person("a").notes
    assert back.person("a").extra["phone"] == name and back.ties[0].note == g.ties[0].note
    assert back.person("b").support == -0.5


def test_networkx_attributes_become_plain_values_or_are_refused():
    import networkx as nx
    import numpy as np

    G = nx.DiGraph()
    G.add_node("a", score=np.float32(0.5), n=np.int64(3), ok=np.True_, arr=np.array([1, 2]))
    G.add_node("b")
    G.add_edge("a", "b", kind="advises", w=np.float64(0.25))
    g = sg.from_networkx(G)
    extra = g.person("a").extra
    assert extra == {"score": 0.5, "n": 3, "ok": True, "arr": [1, 2]}
    assert [type(extra[k]) for k in ("score", "n", "ok", "arr")] == [float, int, bool, list]
    assert sg.read_json(io.StringIO(sg.write_json(g))) == g  # every graph there is can be written

    class Nameless:
        def __str__(self):
            raise RuntimeError("no name")

    deep: list = [1]
    for _ in range(40):
        deep = [deep]
    for bad in ({"thing": object()}, {"x": float("inf")}, {"deep": deep}):  # nan is a blank: dropped
        H = nx.DiGraph()
        H.add_node("a", **bad)
        with pytest.raises(ValidationError, match="extra attribute"):
            sg.from_networkx(H)
    H = nx.DiGraph()
    H.add_node(Nameless())
    with pytest.raises(ValidationError, match="cannot be turned into text"):
        sg.from_networkx(H)


def test_inputs_that_used_to_slip_through_or_hang(tmp_path):
    import subprocess
    import sys

    # a field longer than the csv module's default 128 KiB comes back whole
    g = StakeholderGraph()
    g.add_person("a", notes="x" * 200_000)
    sg.write_csv(g, tmp_path / "long")
    assert sg.read_csv(tmp_path / "long").person("a").notes == "x" * 200_000
    # a rating of infinities is no rating
    with pytest.raises(ValidationError, match="'inf/inf' is not a rating"):
        sg.read_csv(io.StringIO("id,support\na,inf/inf\n"))
    # a yEd group would lose everyone inside: refused, naming the group
    nested = (
        b'<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        b'<graph edgedefault="directed"><node id="g1"><graph id="g1:" edgedefault="directed">'
        b'<node id="g1::n0"/><node id="g1::n1"/><edge source="g1::n0" target="g1::n1"/></graph></node>'
        b"</graph></graphml>"
    )
    with pytest.raises(ValidationError, match="group holding a graph of its own \\(2 nodes\\)") as e:
        sg.read_graphml(io.BytesIO(nested))
    assert e.value.problems[0].file == "<graphml>: node 'g1'"
    # an empty people file is not an empty account
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationError, match="the file is empty"):
        sg.read_csv(tmp_path / "empty.csv")
    # the command line neither says ok to an empty file nor waits on a pipe
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    for target, words in ((tmp_path / "empty.csv", "the file is empty"), (fifo, "not a regular file")):
        run = subprocess.run(
            [sys.executable, "-m", "stakegraph.cli", "validate", str(target)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 1 and words in run.stdout + run.stderr


def _line_of(data: bytes, piece: bytes) -> int:
    """The 1-based line of the first occurrence of ``piece`` in ``data`` (counted by hand, not by a parser)."""
    return data[: data.index(piece)].count(b"\n") + 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_values_networkx_cannot_read_are_located_at_their_line_and_field(fmt):
    g = sg.StakeholderGraph()
    g.add_person("li", power=2.0)
    g.add_person("wang")
    g.add_tie("li", "wang", "advises", 0.5)
    buf = io.BytesIO()
    getattr(sg, f"write_{fmt}")(g, buf)
    good = buf.getvalue()
    read = getattr(sg, f"read_{fmt}")
    # a typed value that is not of its type
    if fmt == "graphml":
        text = good.replace(b">0.5</data>", b">0.5.5</data>", 1)  # strength; weight repeats it
        bad_line = _line_of(text, b">0.5.5<")
    else:
        text = good.replace(b'value="0.5"', b'value="0.5.5"')
        bad_line = _line_of(text, b'value="0.5.5"')
    with pytest.raises(sg.ValidationError) as e:
        read(io.BytesIO(text))
    (p,) = e.value.problems
    assert (p.line, p.field) == (bad_line, "strength")
    assert p.file == f"<{fmt}>: edge 'li' -> 'wang'" and "'0.5.5' is not a number" in p.message
    # a value for an attribute the file does not declare
    if fmt == "graphml":
        key = re.search(rb'<data key="(d\d+)">2\.0</data>', good).group(1)
        text = good.replace(b'<data key="' + key + b'">2.0', b'<data key="d99">2.0')
        want = (_line_of(text, b'key="d99"'), "key", "key 'd99', which the file does not declare")
    else:
        ident = re.search(rb'<attvalue for="(\d+)" value="2\.0"', good).group(1)
        text = good.replace(b'for="' + ident + b'" value="2.0"', b'for="99" value="2.0"')
        want = (_line_of(text, b'for="99"'), "for", "attribute '99', which the file does not declare")
    with pytest.raises(sg.ValidationError) as e:
        read(io.BytesIO(text))
    (p,) = e.value.problems
    assert (p.line, p.field) == want[:2] and p.file == f"<{fmt}>: node 'li'" and want[2] in p.message


@pytest.mark.parametrize("reader", ["read_graphml", "read_gexf"])
def test_xml_nested_too_deep_or_too_large_is_refused_with_the_limit_named(reader, monkeypatch):
    import stakegraph.io.nxio as nxio

    deep = b'<?xml version="1.0"?>\n<graphml>\n' + b"<g>" * 300 + b"</g>" * 300 + b"\n</graphml>"
    with pytest.raises(sg.ValidationError, match="line 3 nests elements deeper than 256 levels") as e:
        getattr(sg, reader)(io.BytesIO(deep))
    assert e.value.problems[0].line == 3
    g = sg.StakeholderGraph()
    g.add_person("li")
    buf = io.BytesIO()
    getattr(sg, reader.replace("read", "write"))(g, buf)
    monkeypatch.setattr(nxio, "MAX_XML_BYTES", len(buf.getvalue()) - 1)
    with pytest.raises(sg.ValidationError, match="larger than .* save the graph as CSV or JSON"):
        getattr(sg, reader)(io.BytesIO(buf.getvalue()))
    monkeypatch.setattr(nxio, "MAX_XML_BYTES", len(buf.getvalue()))
    assert getattr(sg, reader)(io.BytesIO(buf.getvalue())) == g


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xinclude_is_not_processed(tmp_path, fmt):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-salary-list", encoding="utf-8")
    g = sg.StakeholderGraph()
    g.add_person("li", name="PLACEHOLDER")
    buf = io.BytesIO()
    getattr(sg, f"write_{fmt}")(g, buf)
    xi = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}" parse="text"/>'
    text = buf.getvalue().decode("utf-8")
    if fmt == "graphml":
        text = text.replace(">PLACEHOLDER<", f">{xi}<")
    else:
        text = text.replace('value="PLACEHOLDER"', 'value=""').replace("<attvalues>", f"<attvalues>{xi}", 1)
    assert xi in text
    try:
        back = getattr(sg, f"read_{fmt}")(io.BytesIO(text.encode("utf-8")))
    except sg.ValidationError as e:
        assert "the-secret" not in str(e)
    else:
        assert "the-secret" not in sg.write_json(back)
