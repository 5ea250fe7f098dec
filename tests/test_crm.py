"""CRM exports: the Salesforce example against a hand-written reference, every broken reference located,
HubSpot's layout, a team's own mapping, workbooks and encodings."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph import ValidationError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "salesforce"
C = "0035g00000Qa00{}AAA".format  # the example's contact ids
U1, U2 = "0055g00000Rp1AAA", "0055g00000Rp2AAA"


def _reference() -> sg.StakeholderGraph:
    """The example export, transcribed by hand from the four files."""
    g = sg.StakeholderGraph(
        deal=sg.Deal(
            name="Meridian warehouse management renewal",
            stage="product_fixed",  # Salesforce's "Perception Analysis"
            decision_date=dt.date(2027, 3, 31),
            extra={"crm_id": "0065g00000Zq7AAA", "probability": "70", "amount": "1850000"},
        )
    )
    people = [
        (1, "Helen Marsh", "Chief Executive Officer", "Executive", ["decision_maker"], U1),
        (2, "Daniel Okafor", "Chief Financial Officer", "Finance", ["decision_maker"], U1),
        (3, "Priya Natarajan", "Chief Information Officer", "IT", ["sponsor"], U1),
        (4, "Tomasz Wójcik", "Head of Enterprise Architecture", "IT", ["evaluator"], U2),
        (5, "Sarah Lindqvist", "IT Operations Manager", "IT", ["evaluator"], U2),
        (6, "Marcus Bell", "Head of Procurement", "Finance", [], U1),  # role "Other"
        (7, "Aisha Rahman", "Warehouse Operations Director", "Operations", ["user"], U2),
        (8, "Jonas Berg", "Depot Manager North", "Operations", [], U2),  # no contact role
        (9, "Li Wei", "Data Protection Officer", "Legal", ["influencer"], U1),
    ]
    for n, name, title, dept, roles, owner in people:
        extra = {"primary_contact": True} if n == 3 else {}
        g.add_person(
            C(n), name=name, title=title, department=dept, roles=roles, owner=owner, org="customer", **extra
        )
    for sub, boss in [(2, 1), (3, 1), (4, 3), (5, 3), (6, 2), (7, 1), (8, 7), (9, 2)]:
        g.add_tie(C(sub), C(boss), "reports_to")
    g.add_tie(C(4), C(3), "advises", 0.9, note="The CIO signs no architecture decision without him")
    g.add_tie(C(7), C(1), "influences", 0.7, note="Ran the depots with the CEO for ten years")
    g.add_tie(C(6), C(2), "advises", 0.6)
    g.add_tie(C(7), C(2), "rival", 0.5, note="Budget fight over the new depots")
    return g


def _copy(tmp_path: Path) -> Path:
    out = tmp_path / "export"
    shutil.copytree(EXAMPLE, out)
    (out / "README.md").unlink()
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_salesforce_example_gives_the_hand_written_graph():
    g = sg.read_crm(EXAMPLE, preset="salesforce")
    assert g == _reference()
    assert all("Email" not in p.extra and "Phone" not in p.extra for p in g.people.values())
    assert sorted(Path(s.file).name for s in g.provenance) == [
        "Contact.csv",
        "Opportunity.csv",
        "OpportunityContactRole.csv",
        "influence.csv",
    ]


def test_files_in_any_order_and_as_a_list(tmp_path):
    files = sorted(EXAMPLE.glob("*.csv"), reverse=True)
    assert sg.read_crm(files, preset="salesforce") == _reference()


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "Contact.csv",
            "Executive Officer,Executive,,",
            "Executive Officer,Executive,0035g00000XyZ,",
            "Contact.csv:2: ReportsToId: no contact with Id 0035g00000XyZ",
        ),
        (
            "OpportunityContactRole.csv",
            "0035g00000Qa007AAA,Business User",
            "0035g00000Qa077AAA,Business User",
            "OpportunityContactRole.csv:8: ContactId: no contact with Id 0035g00000Qa077AAA",
        ),
        (
            "OpportunityContactRole.csv",
            "Technical Buyer",
            "Techincal Buyer",
            "OpportunityContactRole.csv:5: Role: 'Techincal Buyer' is not a role; did you mean 'Technical Buyer'?",
        ),
        (
            "Opportunity.csv",
            "Perception Analysis",
            "Perception Analyses",
            "Opportunity.csv:2: StageName: 'Perception Analyses' is not a deal stage; did you mean 'Perception Analysis'?",
        ),
        (
            "Opportunity.csv",
            "2027-03-31",
            "31.13.2027",
            "Opportunity.csv:2: CloseDate:",
        ),
        (
            "influence.csv",
            "Aisha Rahman,Daniel Okafor",
            "Aisha Rahman,Danny Okafor",
            "influence.csv:5: target: no person with id 'Danny Okafor'",
        ),
        (
            "influence.csv",
            "advises,0.9",
            "advices,0.9",
            "influence.csv:2: kind: 'advices' is not a tie kind; did you mean 'advises'?",
        ),
    ],
)
def test_each_broken_reference_is_reported_at_its_file_line_and_column(tmp_path, file, old, new, expected):
    folder = _copy(tmp_path)
    _edit(folder / file, old, new)
    with pytest.raises(ValidationError) as e:
        sg.read_crm(folder, preset="salesforce")
    texts = [str(p) for p in e.value.problems]
    assert len(texts) == 1, texts
    assert texts[0].startswith(str(folder / expected)), texts


def test_a_reporting_cycle_is_located_at_the_contacts(tmp_path):
    folder = _copy(tmp_path)
    _edit(
        folder / "Contact.csv",
        "Chief Executive Officer,Executive,,",
        "Chief Executive Officer,Executive,0035g00000Qa008AAA,",
    )
    with pytest.raises(ValidationError) as e:
        sg.read_crm(folder, preset="salesforce")
    (p,) = e.value.problems
    assert Path(p.file).name == "Contact.csv" and p.field == "ReportsToId" and "cycle" in p.message


def test_several_opportunities_need_opportunity(tmp_path):
    folder = _copy(tmp_path)
    with open(folder / "Opportunity.csv", "a", encoding="utf-8") as fh:
        fh.write(
            "0065g00000Zq8AAA,0015g00000Kx9AAA,Meridian fleet telematics,Prospecting,2027-06-30,10,400000\n"
        )
    with open(folder / "OpportunityContactRole.csv", "a", encoding="utf-8") as fh:
        fh.write("00K5g00000Mn009AAA,0065g00000Zq8AAA,0035g00000Qa008AAA,Decision Maker,true\n")
    with pytest.raises(
        ValidationError, match="holds 2 opportunities: .*Meridian fleet telematics.*pass opportunity="
    ):
        sg.read_crm(folder, preset="salesforce")
    assert sg.read_crm(folder, preset="salesforce", opportunity="0065g00000Zq7AAA") == _reference()
    fleet = sg.read_crm(folder, preset="salesforce", opportunity="Meridian fleet telematics")
    assert fleet.deal.stage is sg.Stage.INITIATION and fleet.decision_makers() == [C(8)]
    with pytest.raises(ValidationError, match="no opportunity 'nope'"):
        sg.read_crm(folder, preset="salesforce", opportunity="nope")


def test_people_of_other_accounts_are_left_out_and_keep_names_columns(tmp_path):
    folder = _copy(tmp_path)
    with open(folder / "Contact.csv", "a", encoding="utf-8") as fh:
        fh.write("0035g00000Zz001AAA,0015g00000Other,Ann,Other,CTO,IT,,ann@other.example,,,\n")
    g = sg.read_crm(folder, preset="salesforce", keep=["email", "Phone"])
    assert "0035g00000Zz001AAA" not in g.people
    assert g.person(C(1)).extra["Email"] == "helen.marsh@meridian-logistics.example"
    assert g.person(C(1)).extra["Phone"] == "+44 20 7946 0101" and "MobilePhone" not in g.person(C(2)).extra
    assert (
        sg.read_crm(folder, preset="salesforce", keep="*").person(C(2)).extra["MobilePhone"]
        == "+44 7700 900102"
    )


def test_chinese_names_in_gbk_join_family_name_first(tmp_path):
    contacts = "Id,FirstName,LastName,Title,ReportsToId\n003A,建國,王,財務總監,\n003B,Wei,Li,CIO,003A\n"
    (tmp_path / "Contact.csv").write_bytes(contacts.encode("gb18030"))
    g = sg.read_crm(tmp_path / "Contact.csv", preset="salesforce")
    assert g.person("003A").name == "王建國" and g.person("003B").name == "Wei Li"
    assert g.provenance[0].encoding == "gb18030"


def test_a_workbook_export_gives_the_same_graph_and_names_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import csv

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for f in sorted(EXAMPLE.glob("*.csv")):
        ws = wb.create_sheet(f.stem[:31])
        with open(f, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                ws.append(row)
    path = tmp_path / "export.xlsx"
    wb.save(path)
    assert sg.read_crm(path, preset="salesforce") == _reference()
    wb["Contact"]["G3"] = "0035g00000Nobody"  # ReportsToId of the second contact
    wb.save(path)
    with pytest.raises(ValidationError) as e:
        sg.read_crm(path, preset="salesforce")
    assert str(e.value).startswith(f"{path}[Contact]!G3: ReportsToId: no contact with Id 0035g00000Nobody")


def test_hubspot_contacts_and_deals():
    contacts = io.StringIO(
        "Record ID,First Name,Last Name,Email,Job Title,Buying Role,Associated Deal IDs\n"
        "501,Grace,Okafor,grace@example.com,CFO,Budget Holder;Decision Maker,9001\n"
        "502,Tom,Reyes,tom@example.com,Head of IT,Champion,9001\n"
        "503,Ines,Duarte,ines@example.com,Security lead,Blocker,9001\n"
    )
    deals = io.StringIO(
        "Record ID,Deal Name,Deal Stage,Close Date,Amount,Pipeline\n9001,Acme renewal,Contract Sent,2027-01-31,120000,Sales Pipeline\n"
    )
    g = sg.read_crm([contacts, deals], preset="hubspot")
    ref = sg.StakeholderGraph(
        deal=sg.Deal(
            name="Acme renewal",
            stage="commercial",
            decision_date=dt.date(2027, 1, 31),
            extra={"crm_id": "9001", "amount": "120000", "pipeline": "Sales Pipeline"},
        )
    )
    ref.add_person(
        "501", name="Grace Okafor", title="CFO", roles=["approver", "decision_maker"], org="customer"
    )
    ref.add_person("502", name="Tom Reyes", title="Head of IT", stance="champion", org="customer")
    ref.add_person("503", name="Ines Duarte", title="Security lead", stance="hostile", org="customer")
    assert g == ref


def test_a_teams_own_mapping_from_toml(tmp_path):
    (tmp_path / "hr.csv").write_text(
        "Employee No,Given name,Family name,Position,Manager No,E-mail\n"
        "E1,Ana,Silva,COO,,ana@example.com\nE2,Rui,Costa,Plant manager,E1,rui@example.com\n",
        encoding="utf-8",
    )
    (tmp_path / "links.csv").write_text("From,To,Weight\nE2,E1,4\n", encoding="utf-8")
    (tmp_path / "mapping.toml").write_text(
        'strength_scale = 5\n[people]\nid = "Employee No"\nname = ["Given name", "Family name"]\n'
        'title = "Position"\nreports_to = "Manager No"\nstance = { value = "neutral" }\n'
        '[ties]\nsource = "From"\ntarget = "To"\nkind = { value = "advises" }\nstrength = "Weight"\n',
        encoding="utf-8",
    )
    g = sg.read_crm([tmp_path / "hr.csv", tmp_path / "links.csv"], mapping=tmp_path / "mapping.toml")
    ref = sg.StakeholderGraph()
    ref.add_person("E1", name="Ana Silva", title="COO", stance="neutral")
    ref.add_person("E2", name="Rui Costa", title="Plant manager", stance="neutral")
    ref.add_tie("E2", "E1", "reports_to")
    ref.add_tie("E2", "E1", "advises", 0.8)
    assert g == ref


def test_a_mapping_function_and_bad_mappings():
    people = io.StringIO("Id,LastName,Grade\n1,Ng,VP\n2,Ho,Director\n")
    level = {"VP": 1, "Director": 2}
    g = sg.read_crm(
        people, preset="salesforce", mapping={"people": {"level": lambda row: level[row["Grade"]]}}
    )
    assert g.person("1").level == 1 and g.person("2").level == 2
    with pytest.raises(ValidationError, match="'contacts' is not a table of an export"):
        sg.read_crm(io.StringIO("Id\n1\n"), mapping={"contacts": {"id": "Id"}})
    with pytest.raises(ValidationError, match="people.title: a field is read from a column"):
        sg.read_crm(io.StringIO("Id\n1\n"), mapping={"people": {"title": 3}})
    with pytest.raises(ValidationError, match="'preset' parameter must be one of 'salesforce', 'hubspot'"):
        sg.read_crm(io.StringIO("Id\n1\n"), preset="dynamics")


def test_a_file_that_is_no_table_of_the_export_is_named(tmp_path):
    (tmp_path / "Contact.csv").write_text("Id,LastName\n1,Ng\n", encoding="utf-8")
    (tmp_path / "Account.csv").write_text("AccountNumber,Industry\nA1,Retail\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        sg.read_crm(tmp_path, preset="salesforce")
    (p,) = e.value.problems
    assert Path(p.file).name == "Account.csv" and p.line == 1 and "not a table of the export" in p.message
    (tmp_path / "influence.csv").write_text("source,target,kind\n1,2,advises\n", encoding="utf-8")
    with pytest.raises(
        ValidationError,
        match="no table of people in the export: one needs the column 'Id' \\(or 'Contact ID'\\)",
    ):
        sg.read_crm(tmp_path / "influence.csv", preset="salesforce")


def test_the_how_to_mapping_and_words_files_work_as_written(tmp_path):
    page = (Path(__file__).resolve().parents[1] / "docs" / "load-your-crm-export.md").read_text(
        encoding="utf-8"
    )
    blocks = [b.split("```", 1)[0] for b in page.split("```toml\n")[1:]]
    hr = next(b for b in blocks if b.startswith("# hr.toml"))
    words = next(b for b in blocks if b.startswith("# words.toml"))
    (tmp_path / "hr.toml").write_text(hr, encoding="utf-8")
    (tmp_path / "words.toml").write_text(words, encoding="utf-8")
    (tmp_path / "hr_export.csv").write_text(
        "Employee No,Given name,Family name,Position,Department,Manager No,Hired\n"
        "E1,Ana,Silva,COO,Operations,,04/03/2019\nE2,建國,王,Plant manager,Operations,E1,\n",
        encoding="utf-8",
    )
    (tmp_path / "links.csv").write_text("From,To,Weight\nE2,E1,4\n", encoding="utf-8")
    g = sg.read_crm(
        [tmp_path / "hr_export.csv", tmp_path / "links.csv"],
        mapping=tmp_path / "hr.toml",
        vocabulary=tmp_path / "words.toml",
        keep=["Hired"],
    )
    assert g.person("E2").name == "王建國" and g.person("E2").department == "Operations"
    assert g.manager("E2") == "E1" and g.tie("E2", "E1", "advises").strength == 0.8
    assert g.person("E1").extra["Hired"] == "04/03/2019"
    v = sg.Vocabulary(tmp_path / "words.toml")
    assert v.parse("stance", "doubter").also["reason"] is sg.Reason.DOUBT
    assert v.parse("role", "Signs the PO").value is sg.Role.APPROVER


def test_a_failing_mapping_function_is_located():
    people = io.StringIO("Id,LastName,Grade\n1,Ng,VP\n2,Ho,Intern\n")
    level = {"VP": 1}
    with pytest.raises(ValidationError) as e:
        sg.read_crm(
            people, preset="salesforce", mapping={"people": {"level": lambda row: level[row["Grade"]]}}
        )
    assert (
        str(e.value)
        == "<export>:3: level: the mapping's function for people.level failed on this row: KeyError: 'Intern'"
    )


_COLUMNS = [
    "Id",
    "FirstName",
    "LastName",
    "ReportsToId",
    "AccountId",
    "ContactId",
    "OpportunityId",
    "Role",
    "StageName",
    "source",
    "target",
    "kind",
    "strength",
]


@settings(max_examples=150, deadline=None)
@given(
    header=st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=6, unique=True),
    cells=st.lists(
        st.lists(
            st.sampled_from(
                ["", "1", "2", "003A", "Decision Maker", "advises", "0.5", "x,y", '"', "建國", "Closed Won"]
            ),
            max_size=6,
        ),
        max_size=6,
    ),
)
def test_any_export_table_loads_or_is_refused_with_located_problems(header, cells):
    text = ",".join(header) + "\n" + "\n".join(",".join(row) for row in cells) + "\n"
    try:
        g = sg.read_crm([io.StringIO(text)], preset="salesforce")
    except ValidationError as e:
        assert e.problems and all(p.message for p in e.problems)
    else:
        assert isinstance(g, sg.StakeholderGraph)
