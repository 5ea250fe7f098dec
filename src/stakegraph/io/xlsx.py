"""A graph as an Excel workbook: a People sheet, a Ties sheet and a Deal sheet.

The sheets hold the columns of ``people.csv``, ``ties.csv`` and ``deal.csv``
(see :mod:`stakegraph.io.csvio`), matched the same forgiving way. A sheet is
recognised by its name (``People``, ``Contacts``, ``人員``; ``Ties``,
``Relationships``, ``關係``; ``Deal``, ``Opportunity``, ``商機``) or, failing
that, by its header (``source`` and ``target`` for ties, ``id`` for people);
other sheets (notes, pivot tables) are left alone. Problems name the sheet
and the cell: ``account.xlsx[People]!C14``.

Cells keep their type: a number stays a number (``14``, not ``14.0``), a
date a date, so extra attributes come back as written by :func:`write_xlsx`;
text cells are read like CSV cells. Needs openpyxl (``pip install
'stakegraph[import]'``).
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import os
from collections.abc import Mapping
from typing import Any, Literal

from ..errors import Problem, ValidationError
from ..method.lexicon import VocabularySource, is_missing, word_key
from ..model import DEAL_FIELDS, PERSON_FIELDS, TIE_FIELDS, Source, StakeholderGraph
from ..observation import OBSERVATION_FIELDS
from ._common import (
    PathOrFile,
    ReadOptions,
    Table,
    build_graph,
    extra_text,
    locate_cells,
    read_bytes,
    records_of,
    ties_by_name,
    write_bytes,
)

__all__ = ["read_xlsx", "workbook_tables", "write_xlsx"]

SheetKind = Literal["people", "ties", "deal", "observations"]

#: Sheet names (compared case-, width- and space-insensitively) that say what a sheet holds.
SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    "people": ("people", "persons", "stakeholders", "contacts", "人員", "人员", "聯絡人", "联系人"),
    "ties": ("ties", "relationships", "relations", "links", "network", "關係", "关系"),
    "deal": ("deal", "opportunity", "商機", "商机"),
    "observations": ("observations", "reports", "intelligence", "情報", "情报"),
}
_TITLES = {"people": "People", "ties": "Ties", "deal": "Deal", "observations": "Observations"}
_FIELDS = {
    "people": PERSON_FIELDS,
    "ties": TIE_FIELDS,
    "deal": DEAL_FIELDS,
    "observations": OBSERVATION_FIELDS,
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "people": ("id",),
    "ties": ("source", "target", "kind"),
    "deal": (),
    "observations": ("informant", "about", "subject", "value"),
}


def _openpyxl(name: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ValidationError(
            Problem(
                "reading and writing .xlsx workbooks needs openpyxl: pip install 'stakegraph[import]' "
                "(or save each sheet as CSV UTF-8)",
                name,
            )
        ) from None
    return openpyxl


def _value(value: Any) -> Any:
    """A cell's value: text, a bool, an int (also for a whole float), a float, a date or datetime, or None."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        return value.date()
    if isinstance(value, (_dt.time, _dt.timedelta)):
        return str(value)
    return value


def workbook_tables(src: PathOrFile, default_name: str = "<workbook>") -> list[Table]:
    """Every sheet of an ``.xlsx`` workbook as a :class:`~stakegraph.io._common.Table` named ``file[Sheet]``.

    Raises
    ------
    ValidationError
        For a file that is not a readable ``.xlsx`` workbook (an old ``.xls``,
        a CSV renamed, a damaged or password-protected file), saying how to
        save it.
    """
    raw, name = read_bytes(src, default_name)
    openpyxl = _openpyxl(name)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            Problem(
                "an old-style .xls workbook (or a password-protected one); open it in Excel and save it "
                "as 'Excel Workbook (.xlsx)'",
                name,
            )
        )
    try:
        wb = openpyxl.load_workbook(_io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # openpyxl reports damage as zip, XML, key or type errors alike
        raise ValidationError(
            Problem(
                f"not a readable .xlsx workbook ({_damage(e)}); save it from Excel as "
                "'Excel Workbook (.xlsx)' or each sheet as CSV UTF-8",
                name,
            )
        ) from None
    tables: list[Table] = []
    try:
        for ws in wb.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            for r, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                cells = [_value(v) for v in values]
                if not all(is_missing(c) for c in cells):
                    rows.append((r, cells))
            tables.append(Table.of(f"{name}[{ws.title}]", rows, cells=True))
    except Exception as e:  # a sheet damaged past its index
        raise ValidationError(
            Problem(f"a sheet of this workbook cannot be read ({type(e).__name__}); save it again", name)
        ) from None
    finally:
        wb.close()
    return tables


def _sheet(table: Table) -> str:
    return table.name[table.name.rindex("[") + 1 : -1]


def _kind_by_name(table: Table) -> SheetKind | None:
    key = word_key(_sheet(table))
    for kind, names in SHEET_NAMES.items():
        if key in {word_key(n) for n in names}:
            return kind
    return None


def _kind_by_header(table: Table) -> SheetKind | None:
    cols = {word_key(c) for c in table.header}
    if {"informant", "about", "subject"} <= cols:
        return "observations"
    if {"source", "target"} <= cols:
        return "ties"
    if "id" in cols:
        return "people"
    if cols & {"stage", "decision_date"}:
        return "deal"
    return None


def _choose(tables: list[Table], name: str, chosen: Mapping[SheetKind, str | None]) -> dict[SheetKind, Table]:
    """Which sheet holds the people, the ties and the deal: as named by the caller, else by name or header."""
    by_title = {word_key(_sheet(t)): t for t in tables}
    out: dict[SheetKind, Table] = {}
    problems: list[Problem] = []
    for kind, sheet in chosen.items():
        if sheet is None:
            continue
        t = by_title.get(word_key(sheet))
        if t is None:
            problems.append(
                Problem(
                    f"no sheet {sheet!r} in the workbook (sheets: {', '.join(_sheet(t) for t in tables)})",
                    name,
                    field=f"{kind}_sheet",
                )
            )
        else:
            out[kind] = t
    if problems:
        raise ValidationError(problems)
    rest = [t for t in tables if t not in out.values()]
    for how in (_kind_by_name, _kind_by_header):
        for t in rest:
            found = how(t)
            if found is None or found in out or t in out.values():
                continue
            kind = found
            rivals = [u for u in rest if u is not t and u not in out.values() and how(u) == kind]
            if rivals:
                sheets = ", ".join(repr(_sheet(u)) for u in [t, *rivals])
                raise ValidationError(
                    Problem(
                        f"the sheets {sheets} could each hold the {kind}; pass {kind}_sheet='...' to choose one",
                        name,
                    )
                )
            out[kind] = t
    if "people" not in out:
        sheets = ", ".join(repr(_sheet(t)) for t in tables) or "none"
        raise ValidationError(
            Problem(
                f"no sheet of people: name it 'People' (with an 'id' column) or pass people_sheet='...' "
                f"(sheets: {sheets})",
                name,
            )
        )
    return out


def _text_cell(ws: Any, value: Any) -> Any:
    """A write-only cell holding ``value``; text stays text, whatever it starts with (never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value=value)
    if isinstance(c.value, str):
        c.data_type = "s"
    return c


def _damage(e: Exception) -> str:
    """What openpyxl's error says about a damaged workbook, short: ``BadZipFile: File is not a zip file``."""
    detail = " ".join(str(e).split())[:120]
    return f"{type(e).__name__}: {detail}" if detail else type(e).__name__


def read_xlsx(
    path: PathOrFile,
    *,
    people_sheet: str | None = None,
    ties_sheet: str | None = None,
    deal_sheet: str | None = None,
    observations_sheet: str | None = None,
    vocabulary: VocabularySource = None,
    duplicates: str = "error",
    strength_scale: float | None = None,
    dayfirst: bool | None = None,
) -> StakeholderGraph:
    """Read a graph from an Excel workbook: its People, Ties and Deal sheets.

    Parameters
    ----------
    path : path or binary file object
        The ``.xlsx`` workbook.
    people_sheet, ties_sheet, deal_sheet, observations_sheet : str, optional
        The sheets to read, when their names and headers do not say (see the
        module's notes); a workbook without ties, a deal or observations
        sheet has none.
    vocabulary, duplicates, strength_scale, dayfirst
        As for :func:`~stakegraph.read_csv`.

    Returns
    -------
    StakeholderGraph
        With one :class:`~stakegraph.Source` per sheet read in ``provenance``.

    Raises
    ------
    ValidationError
        Listing every problem, each at its sheet and cell
        (``account.xlsx[People]!E7: stance: 'alley' is not a stance; ...``).

    See Also
    --------
    write_xlsx : the inverse.
    read_csv : the same tables as CSV files.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> buf = io.BytesIO()
    >>> sg.io.write_xlsx(sg.datasets.load("bank"), buf)
    >>> sg.io.read_xlsx(io.BytesIO(buf.getvalue())) == sg.datasets.load("bank")
    True
    """
    tables = workbook_tables(path, "<workbook>")
    name = tables[0].name.rsplit("[", 1)[0] if tables else str(path)
    chosen = _choose(
        tables,
        name,
        {"people": people_sheet, "ties": ties_sheet, "deal": deal_sheet, "observations": observations_sheet},
    )
    problems: list[Problem] = []
    records: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for kind, table in chosen.items():
        recs, probs = records_of(table, _REQUIRED[kind], kind, _FIELDS[kind])
        records[kind] = recs
        problems += probs
    used = list(chosen.values())
    if "deal" in records and len(records["deal"]) > 1:
        t = chosen["deal"]
        problems.append(
            Problem(
                f"the deal sheet holds one deal (a header and one row); found {len(records['deal'])} rows",
                **t.where(records["deal"][1][0], None),
            )
        )
    if problems:
        raise ValidationError(problems)
    people = records["people"]
    ties = records.get("ties", [])
    pt = chosen["people"]
    tt = chosen.get("ties")
    ot = chosen.get("observations")
    ties_where = [(tt.name if tt else "", line) for line, _ in ties]
    tie_recs, probs = ties_by_name([r for _, r in people], [r for _, r in ties], ties_where)
    deal_rec: dict[str, Any] | None = None
    deal_where: tuple[Any, Any] = ("<deal>", None)
    if records.get("deal"):
        deal_where = (chosen["deal"].name, records["deal"][0][0])
        deal_rec = records["deal"][0][1]
    try:
        return build_graph(
            [r for _, r in people],
            tie_recs,
            deal_rec,
            people_where=[(pt.name, line) for line, _ in people],
            ties_where=ties_where,
            deal_where=deal_where,
            problems=probs,
            options=ReadOptions(vocabulary, duplicates, strength_scale, dayfirst),
            provenance=[Source(t.name, "xlsx", "xlsx", 1.0, len(records[k])) for k, t in chosen.items()],
            observations=[r for _, r in records.get("observations", [])],
            observations_where=[(ot.name if ot else "", line) for line, _ in records.get("observations", [])],
        )
    except ValidationError as e:
        raise ValidationError(locate_cells(e.problems, used)) from None


def _written(value: Any) -> Any:
    """A value as a cell: numbers, booleans and dates typed, lists joined by ``;``, the rest as text."""
    from .csvio import cell_text

    if value is None or isinstance(value, (bool, int, float, _dt.date)):
        return value
    if isinstance(value, (str, tuple)) or hasattr(value, "value"):
        return cell_text(value)
    return extra_text(value)


def write_xlsx(graph: StakeholderGraph, path: str | os.PathLike[str] | Any) -> None:
    """Write ``graph`` as an Excel workbook with a People, a Ties and a Deal sheet.

    Numbers and dates are typed cells; text is always stored as text (a
    name such as ``=SUM(A1)`` or ``+86 10`` is never read as a formula).
    Written to a temporary file and renamed into place, so a failure leaves
    the old workbook intact.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> buf = io.BytesIO()
    >>> sg.io.write_xlsx(sg.datasets.load("bank"), buf)
    >>> buf.getvalue()[:2]
    b'PK'
    """
    from .csvio import graph_tables

    openpyxl = _openpyxl(str(path))
    wb = openpyxl.Workbook(write_only=True)
    for fname, (columns, rows) in graph_tables(graph).items():
        ws = wb.create_sheet(_TITLES[fname.removesuffix(".csv")])
        ws.append([_text_cell(ws, name) for name in columns])  # a header can start with "=" (an extra's name)
        for row in rows:
            ws.append([_text_cell(ws, _written(v)) for v in row])
    buf = _io.BytesIO()
    wb.save(buf)
    write_bytes(buf.getvalue(), path)
