"""Excel workbooks: sheets found by name or header, typed cells, errors at their cell, text never a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest

import stakegraph as sg
from stakegraph import ValidationError

openpyxl = pytest.importorskip("openpyxl")


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _hand_built() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(
        deal=sg.Deal(name="核心系統", stage="deep_contact", decision_date=dt.date(2026, 12, 15))
    )
    g.add_person("1001", name="王建國", stance="supporter", roles=["decision_maker"], level=0, seats=3)
    g.add_person("1002", name="李偉", stance="neutral", roles=["procurement"], level=1)
    g.add_tie("1002", "1001", "reports_to")
    g.add_tie("1002", "1001", "advises", 0.5)
    return g


def test_a_workbook_made_in_excel_reads_to_the_graph_built_by_hand(tmp_path):
    path = tmp_path / "account.xlsx"
    path.write_bytes(
        _workbook(
            {
                "說明": [["這個工作簿記錄客戶的決策鏈"]],  # a notes sheet, left alone
                "人員": [
                    ["ID", "Name", "Stance", "Roles", "Level", "seats"],
                    [1001, "王建國", "支持者", "決策者", 0, 3],
                    [1002, "李偉", "中立者", "採購", 1.0, None],
                ],
                "關係": [
                    ["source", "target", "kind", "strength"],
                    [1002, 1001, "匯報", None],
                    [1002, 1001, "建議", 0.5],
                ],
                "商機": [
                    ["name", "stage", "decision_date"],
                    ["核心系統", "深度接觸 30%", dt.datetime(2026, 12, 15)],
                ],
            }
        )
    )
    g = sg.read_csv(path)  # anywhere a CSV is accepted
    assert g == _hand_built()
    assert g.person("1001").extra["seats"] == 3  # a number cell stays a number
    assert [s.file.rsplit("[", 1)[1] for s in g.provenance] == ["人員]", "關係]", "商機]"]
    assert sg.io.read(path) == g


def test_write_then_read_loses_nothing_and_text_is_never_a_formula(tmp_path):
    g = sg.datasets.load("bank")
    g.add_person("x", name='=HYPERLINK("http://e.example")', notes="+86 10 5555", seats=2, flag=True)
    path = tmp_path / "bank.xlsx"
    sg.io.write(g, path)
    assert sg.io.read(path) == g
    ws = openpyxl.load_workbook(path)["People"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "x")
    assert row[header.index("name")].data_type == "s"
    assert row[header.index("name")].value.startswith("=HYPERLINK")


def test_problems_name_sheet_and_cell():
    raw = _workbook(
        {
            "People": [["id", "name", "stance"], ["a", "A", "supporter"], ["b", "B", "alley"]],
            "Ties": [["source", "target", "kind"], ["a", "zz", "advises"]],
        }
    )
    with pytest.raises(ValidationError) as e:
        sg.io.read_xlsx(io.BytesIO(raw))
    text = str(e.value)
    assert "<workbook>[People]!C3: stance: 'alley' is not a stance; did you mean 'ally'?" in text
    assert "<workbook>[Ties]!B2: target: no person with id 'zz'" in text
    cells = {p.cell for p in e.value.problems}
    assert cells == {"C3", "B2"}


def test_sheets_are_chosen_by_name_then_header_or_by_the_caller():
    two = _workbook({"Q1": [["id", "name"], ["a", "A"]], "Q2": [["id", "name"], ["b", "B"]]})
    with pytest.raises(ValidationError, match="'Q1', 'Q2' could each hold the people; pass people_sheet"):
        sg.io.read_xlsx(io.BytesIO(two))
    assert list(sg.io.read_xlsx(io.BytesIO(two), people_sheet="q2").people) == ["b"]
    with pytest.raises(ValidationError, match="no sheet 'Q3' in the workbook"):
        sg.io.read_xlsx(io.BytesIO(two), people_sheet="Q3")
    empty = _workbook({"Notes": [["hello"]]})
    with pytest.raises(ValidationError, match="no sheet of people"):
        sg.io.read_xlsx(io.BytesIO(empty))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"PK\x03\x04not really a zip", "not a readable .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old-style .xls"),
        (b"id,name\na,A\n", "not a readable .xlsx workbook"),
    ],
)
def test_a_damaged_or_old_workbook_is_refused_with_the_fix(tmp_path, raw, message):
    path = tmp_path / "account.xlsx"
    path.write_bytes(raw)
    with pytest.raises(ValidationError, match=message) as e:
        sg.io.read(path)
    assert e.value.problems[0].file == str(path)


def test_text_that_looks_like_a_formula_stays_text_in_cells_and_headers():
    openpyxl = pytest.importorskip("openpyxl")
    g = sg.StakeholderGraph(deal=sg.Deal(name="=HYPERLINK(1)", extra={"=cmd|'/c calc'!A1": "+1", "@x": "-2"}))
    g.add_person("li", name="=SUM(A1)", **{"=formula column": "=1+1"})
    buf = io.BytesIO()
    sg.write_xlsx(g, buf)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    # every cell is stored as text ("s"), none as a formula ("f")
    types = {
        c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    }
    assert "f" not in types
    assert sg.read_xlsx(io.BytesIO(buf.getvalue())) == g
