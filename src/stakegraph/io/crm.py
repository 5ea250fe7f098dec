"""CRM exports in one call: Salesforce and HubSpot presets, or a column mapping a team keeps.

An export is a set of tables (CSV files in any encoding, or sheets of
``.xlsx`` workbooks). :func:`read_crm` tells them apart by their columns,
maps each column to a stakegraph field and builds one graph:

``people``
    one row per person (Salesforce ``Contact``, HubSpot contacts): ``id``,
    ``name`` (several columns joined), ``title``, ``department``, ``roles``,
    ``stance``, ... any field of :class:`~stakegraph.Person`; ``reports_to``
    (the manager's id, which becomes a ``reports_to`` tie); ``account`` (the
    company, to keep only the deal's people); ``deals`` (ids of the deals the
    person is on, as HubSpot exports them).
``roles``
    one row per person on a deal (Salesforce ``OpportunityContactRole``,
    HubSpot deal associations): ``person``, ``deal``, ``role``, ``primary``.
``deal``
    one row per opportunity: ``id``, ``name``, ``stage``, ``decision_date``,
    ``account``, ``people`` (ids, as HubSpot exports them); other keys are
    kept as extra attributes (``amount``, ``probability``).
``ties``
    an influence sheet the team keeps: ``source``, ``target``, ``kind``,
    ``strength``, ``note`` (people named by id or by unique name).

A mapping names, for each table and field, where the value comes from:

* ``"Title"``: a column (compared case-, width- and space-insensitively);
  ``"Id|Contact ID"``: the first of these columns the table has;
* ``["FirstName", "LastName"]``: columns joined with a space; for ``name``,
  parts written in Chinese, Japanese or Korean script are joined family name
  first and without a space (``王`` + ``建國`` is ``王建國``);
* ``{"value": "customer"}``: a constant;
* a function of the row (a dict of column -> value), in a Python mapping.

The top-level keys ``strength_scale`` and ``dayfirst`` of a mapping say how
the files write strengths and dates. Columns no field names (emails, phone
numbers, addresses) are dropped unless ``keep=`` names them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..method.lexicon import Vocabulary, VocabularySource, read_toml
from ..model import DEAL_FIELDS, PERSON_FIELDS, TIE_FIELDS, Source, StakeholderGraph
from ._common import PathOrFile, ReadOptions, Table, build_graph, is_file_object, ties_by_name

__all__ = ["PRESETS", "preset_of", "read_crm"]

TABLES = ("ties", "roles", "deal", "people")  # the order tables are recognised in: most specific first
#: The fields a table needs, whose columns also tell the table apart.
REQUIRED = {"ties": ("source", "target"), "roles": ("person", "deal"), "deal": ("stage",), "people": ("id",)}
#: Fields of the people table that are not person fields: read for ties, accounts and deals.
_PEOPLE_LINKS = ("reports_to", "account", "deals")
_TIES_TABLE: dict[str, Any] = {
    "source": "source|from",
    "target": "target|to",
    "kind": "kind|type",
    "strength": "strength|weight",
    "note": "note|notes",
}

#: The column layouts of the CRMs stakegraph knows, as mappings (see the module's notes).
PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "salesforce": {
        # Contact (Data Loader API names, then report labels)
        "people": {
            "id": "Id|Contact ID",
            "name": ["FirstName|First Name|Name|Full Name", "LastName|Last Name"],
            "title": "Title",
            "department": "Department",
            "reports_to": "ReportsToId|Reports To ID|Reports To: Contact ID",
            "account": "AccountId|Account ID",
            "owner": "OwnerId|Contact Owner|Owner Name",
            "org": {"value": "customer"},
        },
        # OpportunityContactRole
        "roles": {
            "person": "ContactId|Contact ID",
            "deal": "OpportunityId|Opportunity ID",
            "role": "Role|Contact Role",
            "primary": "IsPrimary|Primary",
        },
        # Opportunity
        "deal": {
            "id": "Id|Opportunity ID",
            "name": "Name|Opportunity Name",
            "stage": "StageName|Stage",
            "decision_date": "CloseDate|Close Date",
            "account": "AccountId|Account ID",
            "probability": "Probability|Probability (%)",
            "amount": "Amount",
        },
        "ties": dict(_TIES_TABLE),
    },
    "hubspot": {
        # the contacts export
        "people": {
            "id": "Record ID|Contact ID|hs_object_id",
            "name": ["First Name|firstname", "Last Name|lastname"],
            "title": "Job Title|jobtitle",
            "department": "Department|Job function|job_function",
            "roles": "Buying Role|Buying Roles|hs_buying_role",
            "owner": "Contact owner|hubspot_owner_id",
            "deals": "Associated Deal IDs|Associated Deals IDs",
            "org": {"value": "customer"},
        },
        # deal-contact associations (with their labels)
        "roles": {
            "person": "Contact ID|Contact Record ID|Record ID (Contact)",
            "deal": "Deal ID|Deal Record ID|Record ID (Deal)",
            "role": "Association label|Association labels|Label",
        },
        # the deals export
        "deal": {
            "id": "Record ID|Deal ID|hs_object_id",
            "name": "Deal Name|dealname",
            "stage": "Deal Stage|dealstage",
            "decision_date": "Close Date|closedate",
            "people": "Associated Contact IDs|Associated Contacts IDs",
            "amount": "Amount|amount",
            "pipeline": "Pipeline|pipeline",
        },
        "ties": dict(_TIES_TABLE),
    },
}
_GENERIC: dict[str, dict[str, Any]] = {
    "people": {f: f for f in PERSON_FIELDS} | {"reports_to": "reports_to"},
    "roles": {"person": "person", "deal": "deal", "role": "role"},
    "deal": {f: f for f in DEAL_FIELDS} | {"id": "id"},
    "ties": {f: f for f in TIE_FIELDS},
}
_OPTIONS = ("strength_scale", "dayfirst")


def _key(text: Any) -> str:
    """A column name as compared: NFKC, case-folded, without spaces, ``_ - . : ( ) /``."""
    return re.sub(r"[\s_\-.:()/%]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def _cjk(text: str) -> bool:
    return bool(text) and all(unicodedata.east_asian_width(ch) in "WF" for ch in text if not ch.isspace())


class _MappingFailed(Exception):
    def __init__(self, fname: str, error: Exception) -> None:
        super().__init__(fname)
        self.fname, self.error = fname, error


@dataclass
class _Layout:
    """One table's mapping resolved against its header: field -> (columns used, how to read them)."""

    table: Table
    kind: str
    specs: dict[str, Any]
    index: dict[str, int] = field(default_factory=dict)  # column key -> position in the header

    def __post_init__(self) -> None:
        for i, col in enumerate(self.table.header):
            self.index.setdefault(_key(col), i)

    def column(self, alternatives: str) -> int | None:
        """The position of the first of ``A|B|C`` the header has."""
        for alt in alternatives.split("|"):
            i = self.index.get(_key(alt))
            if i is not None:
                return i
        return None

    def columns(self, spec: Any) -> list[int]:
        """The header positions a spec reads (empty for a constant, a function or absent columns)."""
        if isinstance(spec, str):
            i = self.column(spec)
            return [] if i is None else [i]
        if isinstance(spec, (list, tuple)):
            return [i for s in spec if isinstance(s, str) for i in self.columns(s)]
        return []

    def has(self, fname: str) -> bool:
        spec = self.specs.get(fname)
        return spec is not None and (not isinstance(spec, (str, list, tuple)) or bool(self.columns(spec)))

    def name_of(self, fname: str) -> str:
        """The column (as the export spells it) a field is read from, for problems; else the field."""
        cols = self.columns(self.specs.get(fname))
        return self.table.header[cols[0]].strip() if cols else fname

    def read(self, fname: str, row: list[Any]) -> Any:
        spec = self.specs.get(fname)
        if spec is None:
            return None
        if isinstance(spec, Mapping):
            return spec.get("value")
        if callable(spec):
            cells = {h: (row[i] if i < len(row) else None) for i, h in enumerate(self.table.header)}
            try:
                return spec(cells)
            except Exception as e:  # the team's own function: say where it failed, not a traceback
                raise _MappingFailed(fname, e) from None
        if isinstance(spec, str):
            i = self.column(spec)
            return row[i] if i is not None and i < len(row) else None
        parts = []
        for s in spec:
            v = self.value_of(s, row)
            if v is not None and str(v).strip():
                parts.append(str(v).strip())
        if not parts:
            return None
        if fname == "name" and len(parts) > 1 and all(_cjk(p) for p in parts):
            return "".join(reversed(parts))  # 建國 + 王: the family name first, no space
        return " ".join(parts)

    def value_of(self, alternatives: str, row: list[Any]) -> Any:
        i = self.column(alternatives)
        return row[i] if i is not None and i < len(row) else None

    def where(self, line: int, fname: str | None) -> dict[str, Any]:
        cols = self.columns(self.specs.get(fname)) if fname else []
        at = self.table.where(line, cols[0] if cols else None)
        return at | {"field": self.name_of(fname) if fname else None}


def preset_of(header: Sequence[str]) -> str | None:
    """The CRM whose contacts or deals export has this header (``"salesforce"``, ``"hubspot"``), if any.

    Examples
    --------
    >>> preset_of(["Id", "FirstName", "LastName", "ReportsToId"]), preset_of(["id", "name"])
    ('salesforce', None)
    """
    cols = {_key(c) for c in header}
    marks = {
        "salesforce": ({"reportstoid"}, {"accountid"}, {"opportunityid", "contactid"}, {"stagename"}),
        "hubspot": ({"recordid", "firstname"}, {"recordid", "dealstage"}, {"recordid", "jobtitle"}),
    }
    for name, sets in marks.items():
        if any(s <= cols for s in sets):
            return name
    return None


def _show(spec: Any) -> str:
    """A spec as the user reads it: ``'Id' (or 'Contact ID')``."""
    if isinstance(spec, str):
        first, *rest = spec.split("|")
        return repr(first) + (f" (or {', '.join(repr(r) for r in rest)})" if rest else "")
    if isinstance(spec, (list, tuple)):
        return " + ".join(_show(s) for s in spec)
    return "a constant" if isinstance(spec, Mapping) else "a function"


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _truthy(v: Any) -> bool:
    return v is True or _text(v).casefold() in ("true", "1", "yes", "y", "x", "是", "✓")


def _ids(v: Any) -> list[str]:
    return [s.strip() for s in re.split(r"[;,]", _text(v)) if s.strip()]


def _mapping(preset: str | None, mapping: Any) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The tables' specs (the preset's, overridden field by field by ``mapping``) and the options."""
    if preset is not None and preset not in PRESETS:
        raise ValidationError(
            f"The 'preset' parameter must be one of {', '.join(repr(p) for p in PRESETS)} or None. "
            f"Got {preset!r} instead."
        )
    source = "mapping"
    if isinstance(mapping, (str, os.PathLike)):
        source = str(mapping)
        mapping = read_toml(Path(mapping))
    if mapping is not None and not isinstance(mapping, Mapping):
        raise ValidationError(
            "The 'mapping' parameter must be a mapping {table: {field: column}}, the path of a TOML file "
            f"or None. Got {type(mapping).__name__} instead."
        )
    base = PRESETS[preset] if preset is not None else _GENERIC
    specs = {t: dict(base.get(t, {})) for t in TABLES}
    options: dict[str, Any] = {}
    problems: list[Problem] = []
    for tname, fields in (mapping or {}).items():
        if tname in _OPTIONS:
            options[tname] = fields
            continue
        if tname not in TABLES:
            problems.append(
                Problem(
                    f"{tname!r} is not a table of an export. Allowed: {', '.join(TABLES)}, "
                    f"or the options {', '.join(_OPTIONS)}",
                    source,
                    field=str(tname),
                )
            )
            continue
        if not isinstance(fields, Mapping):
            problems.append(Problem(f"[{tname}] must be a table of field = column", source, field=tname))
            continue
        for fname, spec in fields.items():
            ok = (
                isinstance(spec, str)
                or callable(spec)
                or (isinstance(spec, (list, tuple)) and all(isinstance(s, str) for s in spec))
                or (isinstance(spec, Mapping) and set(spec) == {"value"})
            )
            if not ok:
                problems.append(
                    Problem(
                        f"a field is read from a column ('Title'), columns joined (['First', 'Last']), "
                        f"a constant ({{value = 'customer'}}) or a function; got {spec!r}",
                        source,
                        field=f"{tname}.{fname}",
                    )
                )
            elif isinstance(spec, str) and not spec.strip():
                specs[tname].pop(str(fname), None)  # "" leaves a preset's field out
            else:
                specs[tname][str(fname)] = spec
    if problems:
        raise ValidationError(problems)
    return specs, options


def _tables(files: Any, encoding: str) -> list[Table]:
    from .csvio import csv_table
    from .xlsx import workbook_tables

    if isinstance(files, (str, os.PathLike)) or is_file_object(files):
        files = [files]
    paths: list[Any] = []
    for f in files:
        if not is_file_object(f) and Path(f).is_dir():
            found = sorted(
                p for p in Path(f).iterdir() if p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
            )
            if not found:
                raise ValidationError(Problem("no .csv or .xlsx files in this folder", str(f)))
            paths += found
        else:
            paths.append(f)
    tables: list[Table] = []
    problems: list[Problem] = []
    for p in paths:
        name = str(getattr(p, "name", p))
        try:
            if name.lower().endswith((".xlsx", ".xlsm")):
                tables += workbook_tables(p, name)
            else:
                table, probs = csv_table(p, "<export>", encoding=encoding)
                problems += probs
                tables.append(table)
        except ValidationError as e:
            problems += e.problems
    if problems:
        raise ValidationError(problems)
    return tables


def _classify(tables: list[Table], specs: dict[str, dict[str, Any]]) -> list[_Layout]:
    out: list[_Layout] = []
    problems: list[Problem] = []
    for t in tables:
        if not t.header:
            continue  # an empty file or sheet holds nothing to read
        for kind in TABLES:
            lay = _Layout(t, kind, specs[kind])
            needs = [specs[kind].get(f) for f in REQUIRED[kind]]
            if all(isinstance(s, (str, list, tuple)) for s in needs) and all(
                lay.has(f) for f in REQUIRED[kind]
            ):
                out.append(lay)
                break
        else:
            if not t.cells:  # a CSV file given is meant to be read; a workbook may hold notes too
                wanted = "; ".join(
                    f"{kind}: {', '.join(_show(specs[kind].get(f)) for f in REQUIRED[kind])}"
                    for kind in TABLES
                    if all(specs[kind].get(f) for f in REQUIRED[kind])
                )
                problems.append(
                    Problem(
                        f"not a table of the export: its header has none of the columns that tell the tables "
                        f"apart ({wanted}); found {', '.join(h for h in t.header if h) or 'nothing'}",
                        t.name,
                        t.header_line,
                        cell=t.where(t.header_line, 0)["cell"],
                    )
                )
    if problems:
        raise ValidationError(problems)
    return out


@dataclass
class _Row:
    layout: _Layout
    line: int
    cells: list[Any]

    def get(self, fname: str) -> Any:
        try:
            return self.layout.read(fname, self.cells)
        except _MappingFailed as e:
            raise ValidationError(
                Problem(
                    f"the mapping's function for {self.layout.kind}.{e.fname} failed on this row: "
                    f"{type(e.error).__name__}: {e.error}",
                    self.layout.table.name,
                    self.line,
                    e.fname,
                )
            ) from None

    def where(self, fname: str | None) -> dict[str, Any]:
        return self.layout.where(self.line, fname)


def _choose_deal(
    deals: list[_Row], links: list[tuple[_Row, str, str]], opportunity: str | None
) -> tuple[str | None, _Row | None, list[Problem]]:
    """The deal to read: ``opportunity`` (an id or a name), else the only one the export holds."""
    names: dict[str, str] = {}
    rows: dict[str, _Row] = {}
    for r in deals:
        did = _text(r.get("id")) or _text(r.get("name"))
        if did:
            rows.setdefault(did, r)
            names[did] = _text(r.get("name"))
    for _row, _pid, did in links:
        names.setdefault(did, "")
    listed = ", ".join(f"{d} ({n})" if n and n != d else d for d, n in names.items())
    if opportunity is not None:
        want = str(opportunity).strip()
        hit = [d for d, n in names.items() if want in (d, n)]
        if not hit:
            msg = f"no opportunity {want!r} in the export (it holds: {listed or 'none'})"
            return None, None, [Problem(msg, field="opportunity")]
        return hit[0], rows.get(hit[0]), []
    if len(names) > 1:
        return (
            None,
            None,
            [
                Problem(
                    f"the export holds {len(names)} opportunities: {listed}; pass opportunity='...' "
                    "(its id or name) to read one of them",
                    field="opportunity",
                )
            ],
        )
    if names:
        did = next(iter(names))
        return did, rows.get(did), []
    return None, None, []


def read_crm(
    files: PathOrFile | Sequence[PathOrFile],
    preset: str | None = None,
    *,
    mapping: Mapping[str, Any] | str | os.PathLike[str] | None = None,
    vocabulary: VocabularySource = None,
    keep: Sequence[str] | str = (),
    opportunity: str | None = None,
    encoding: str = "auto",
    duplicates: str = "error",
    strength_scale: float | None = None,
    dayfirst: bool | None = None,
) -> StakeholderGraph:
    """Read one account from a CRM export: contacts, their roles on the deal, the deal, an influence sheet.

    Parameters
    ----------
    files : path, file object, or a sequence of them
        The exported tables: CSV files (any encoding), ``.xlsx`` workbooks
        (each sheet a table) or a folder of them, in any order; each is told
        apart by its columns.
    preset : {"salesforce", "hubspot"}, optional
        The CRM the files come from (see :data:`PRESETS`); None reads tables
        whose columns are stakegraph's own field names.
    mapping : mapping or path of a TOML file, optional
        ``{table: {field: column}}`` on top of the preset (see the module's
        notes): for renamed or custom columns; ``""`` leaves a field out.
    vocabulary : Vocabulary, mapping or TOML path, optional
        The words of the export's picklists (default: the built-in
        :class:`~stakegraph.Vocabulary`, which knows Salesforce's contact
        roles and stages and HubSpot's buying roles and pipeline).
    keep : sequence of column names, or "*"
        Columns of the people table to keep as extra attributes besides the
        mapped ones. Personal data no analysis uses (emails, phones,
        addresses) is dropped by default.
    opportunity : str, optional
        The opportunity to read (its id or name) when the export holds more
        than one.
    encoding : str, default "auto"
        The CSV files' encoding (see :func:`~stakegraph.read_csv`).
    duplicates, strength_scale, dayfirst
        As for :func:`~stakegraph.read_csv`; a mapping's top-level
        ``strength_scale`` and ``dayfirst`` apply when these are not given.

    Returns
    -------
    StakeholderGraph
        The people with their roles on the deal, ``reports_to`` ties from the
        managers' ids, the influence sheet's ties and the deal; one
        :class:`~stakegraph.Source` per table read in ``provenance``.

    Raises
    ------
    ValidationError
        Every problem of every table, each at the file, line and column the
        export has (``Contact.csv:14: ReportsToId: no contact with Id
        0035g00000XyZ``; in a workbook ``export.xlsx[Contacts]!F14``).

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> contacts = io.StringIO(
    ...     "Id,FirstName,LastName,Title,ReportsToId,Email\\n"
    ...     "003A,Grace,Okafor,CFO,,grace@example.com\\n"
    ...     "003B,Tom,Reyes,Controller,003A,tom@example.com\\n")
    >>> roles = io.StringIO("ContactId,OpportunityId,Role,IsPrimary\\n003A,006X,Economic Buyer,true\\n")
    >>> g = sg.read_crm([contacts, roles], preset="salesforce")
    >>> g.person("003A").name, g.person("003A").roles, g.manager("003B")
    ('Grace Okafor', (<Role.DECISION_MAKER: 'decision_maker'>,), '003A')
    >>> "Email" in g.person("003A").extra
    False
    """
    specs, options = _mapping(preset, mapping)
    if strength_scale is None:
        strength_scale = options.get("strength_scale")
    if dayfirst is None:
        dayfirst = options.get("dayfirst")
    layouts = _classify(_tables(files, encoding), specs)
    by_kind: dict[str, list[_Row]] = {k: [] for k in TABLES}
    for lay in layouts:
        by_kind[lay.kind] += [_Row(lay, line, cells) for line, cells in lay.table.rows]
    problems: list[Problem] = []
    if not any(lay.kind == "people" for lay in layouts):
        need = specs["people"].get("id")
        raise ValidationError(
            Problem(
                f"no table of people in the export: one needs the column {_show(need)} "
                f"({'the ' + preset + ' contacts export' if preset else 'the id of each person'})",
                ", ".join(sorted({lay.table.name for lay in layouts})) or "<export>",
            )
        )

    # who is on which deal, in what role
    links: list[tuple[_Row, str, str]] = []  # (row, person id, deal id)
    for r in by_kind["roles"]:
        pid, did = _text(r.get("person")), _text(r.get("deal"))
        if pid and did:
            links.append((r, pid, did))
    for r in by_kind["people"]:
        for did in _ids(r.get("deals")):
            links.append((r, _text(r.get("id")), did))
    for r in by_kind["deal"]:
        for pid in _ids(r.get("people")):
            links.append((r, pid, _text(r.get("id"))))
    words = Vocabulary.of(vocabulary)
    deal_id, deal_row, probs = _choose_deal(by_kind["deal"], links, opportunity)
    if probs:
        raise ValidationError(probs)

    # the people (of the deal's account, when both say which)
    account = _text(deal_row.get("account")) if deal_row is not None else ""
    rows = [r for r in by_kind["people"] if not account or _text(r.get("account")) in ("", account)]
    ids: dict[str, _Row] = {}
    for r in rows:
        pid = _text(r.get("id"))
        if pid and pid not in ids:
            ids[pid] = r
    roles: dict[str, list[str]] = {}
    primary: set[str] = set()
    for r, pid, did in links:
        if did != deal_id:
            continue
        if pid not in ids:
            what = "person" if r.layout.kind == "roles" else "people"
            problems.append(
                Problem(
                    f"no contact with Id {pid} among the people ({_tables_named(by_kind['people'])}); "
                    "export the contact too, or remove the row",
                    **r.where(what),
                )
            )
            continue
        if r.layout.kind == "roles":
            role = _text(r.get("role"))
            if role:
                try:
                    words.parse("role", role)
                except ValidationError as e:
                    problems.append(Problem(e.message, **r.where("role")))
                else:
                    roles.setdefault(pid, []).append(role)
            if r.layout.has("primary") and _truthy(r.get("primary")):
                primary.add(pid)
    keep_all = keep == "*"
    kept = {_key(k) for k in ([keep] if isinstance(keep, str) else keep)}
    people: list[dict[str, Any]] = []
    people_where: list[tuple[Any, Any]] = []
    ties: list[dict[str, Any]] = []
    ties_where: list[tuple[Any, Any]] = []
    for pid, r in ids.items():
        lay = r.layout
        rec: dict[str, Any] = {}
        used: set[int] = set()
        for fname, spec in lay.specs.items():
            if fname in _PEOPLE_LINKS:
                used.update(lay.columns(spec))
                continue
            v = r.get(fname)
            used.update(lay.columns(spec))
            if v is not None and _text(v):
                rec[fname] = v
        rec["id"] = pid
        extra_roles = roles.get(pid, [])
        if extra_roles:
            own = _text(rec.get("roles"))
            rec["roles"] = ";".join([own] * bool(own) + extra_roles)
        if pid in primary:
            rec["primary_contact"] = True
        for i, col in enumerate(lay.table.header):
            if i in used or not col.strip() or i >= len(r.cells):
                continue
            if keep_all or _key(col) in kept:
                v = r.cells[i]
                if v is not None and _text(v):
                    rec[col.strip()] = v
        people.append(rec)
        people_where.append((lay.table.name, r.line))
        boss = _text(r.get("reports_to"))
        if boss:
            if boss not in ids:
                problems.append(
                    Problem(
                        f"no contact with Id {boss} among the people ({_tables_named(by_kind['people'])}); "
                        "export the manager too, or clear the cell",
                        **r.where("reports_to"),
                    )
                )
            else:
                ties.append({"source": pid, "target": boss, "kind": "reports_to"})
                ties_where.append((lay.table.name, r.line))  # located at the contact's row
    for r in by_kind["ties"]:
        lay = r.layout
        rec = {f: v for f in lay.specs if (v := r.get(f)) is not None and _text(v)}
        ties.append(rec)
        ties_where.append((lay.table.name, r.line))
    deal_rec: dict[str, Any] | None = None
    deal_where: tuple[Any, Any] = ("<deal>", None)
    if deal_row is not None:
        dl = deal_row.layout
        deal_rec = {}
        for fname in dl.specs:
            if fname in ("account", "people"):
                continue
            v = deal_row.get(fname)
            if v is not None and _text(v):
                deal_rec["crm_id" if fname == "id" else fname] = v
        deal_where = (dl.table.name, deal_row.line)
    named, probs = ties_by_name(people, ties, ties_where)
    problems += probs
    sources = [
        Source(
            lay.table.name,
            "xlsx" if lay.table.cells else "csv",
            lay.table.encoding,
            lay.table.confidence,
            len(lay.table.rows),
        )
        for lay in layouts
    ]
    try:
        return build_graph(
            people,
            named,
            deal_rec,
            people_where=people_where,
            ties_where=ties_where,
            deal_where=deal_where,
            problems=problems,
            options=ReadOptions(vocabulary, duplicates, strength_scale, dayfirst),
            provenance=sources,
        )
    except ValidationError as e:
        raise ValidationError(_relocate(e.problems, layouts)) from None


def _tables_named(rows: list[_Row]) -> str:
    return ", ".join(dict.fromkeys(r.layout.table.name for r in rows)) or "none"


def _relocate(problems: Sequence[Problem], layouts: list[_Layout]) -> list[Problem]:
    """Problems found on the mapped records, named by the export's own columns (and cells).

    A problem of a tie located in the people table is one of a ``reports_to``
    tie made from the contact's row: its source is the contact's id, its
    target the manager's column.
    """
    by_table: dict[str, _Layout] = {}
    for lay in layouts:
        by_table.setdefault(lay.table.name, lay)
    out: list[Problem] = []
    for p in problems:
        found = by_table.get(p.file or "")
        if found is None or p.line is None or p.field is None or p.cell is not None:
            out.append(p)
            continue
        lay = found
        fname = p.field
        if lay.kind == "people" and fname in ("source", "target"):
            fname = {"source": "id", "target": "reports_to"}[fname]
        if fname == "roles" and not lay.has("roles"):
            out.append(Problem(p.message, p.file, p.line, "Role"))
            continue
        at = (
            lay.where(p.line, fname) if lay.has(fname) else {"file": p.file, "line": p.line, "field": p.field}
        )
        out.append(Problem(p.message, **at))
    return out
