"""A graph as CSV files: ``people.csv``, ``ties.csv`` and ``deal.csv`` in one folder.

The columns are the field names of :class:`~stakegraph.Person`, :class:`~stakegraph.Tie`
and :class:`~stakegraph.Deal`, matched exactly (after trimming spaces), in any
order; any other column is kept as an extra attribute (as text). List fields
(``roles``, ``competitors``) separate their items with ``;``; dates are
written ``YYYY-MM-DD``. Files are UTF-8; a byte-order mark, as Excel writes
it, is accepted.

``people.csv``
    id (required), name, title, department, org, level, roles, stance,
    support, reason, power, openness, relationship, owner, last_contact,
    needs, interests, notes, and extra columns.
``ties.csv``
    source, target, kind (all three required), strength (default 1), note,
    and extra columns.
``deal.csv``
    a header and one row: name, stage, decision_date, competitors, as_of,
    and extra columns.

An empty cell is a missing value. Line numbers in errors count the header as
line 1, so the first person is on line 2.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io as _io
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..method.lexicon import VocabularySource
from ..method.vocabulary import TieKind
from ..model import DEAL_FIELDS, PERSON_FIELDS, TIE_FIELDS, Deal, Source, StakeholderGraph
from ..observation import OBSERVATION_FIELDS
from ._common import (
    Decoded,
    PathOrFile,
    ReadOptions,
    Table,
    build_graph,
    extra_text,
    is_file_object,
    read_source,
    records_of,
    ties_by_name,
    write_files_atomically,
)

__all__ = [
    "FORMULA_START",
    "cell_text",
    "graph_tables",
    "guard_cell",
    "read_csv",
    "unguard_cell",
    "write_csv",
]

PEOPLE_FILE = "people.csv"
TIES_FILE = "ties.csv"
DEAL_FILE = "deal.csv"
OBSERVATIONS_FILE = "observations.csv"


# ----------------------------------------------------------------------------- reading
def _delimiter(text: str, name: str) -> str:
    """Tabs for a ``.tsv`` file or a header split by tabs; ``;`` for a header split only by semicolons
    (Excel's CSV where the decimal mark is a comma); commas otherwise."""
    if name.lower().endswith((".tsv", ".tab")):
        return "\t"
    header = text.split("\n", 1)[0]
    if "\t" in header and "," not in header:
        return "\t"
    if ";" in header and "," not in header and "\t" not in header:
        return ";"
    return ","


def _table(
    src: PathOrFile,
    default_name: str,
    required: Sequence[str],
    what: str,
    fields: Sequence[str],
    encoding: str = "auto",
) -> tuple[str, list[tuple[int, dict[str, str]]], list[Problem], Decoded]:
    """Parse one CSV file: its name, (line, record) pairs, the problems of its header and layout, and
    how its bytes were decoded."""
    table, problems = csv_table(src, default_name, encoding=encoding)
    if what == "people" and not table.header and not problems:  # no people file is empty (ties may be)
        problems.append(
            Problem(
                f"the file is empty: no header line naming its columns (at least {', '.join(required)}); "
                "export it again",
                table.name,
                1,
                None,
            )
        )
    decoded = Decoded("", table.encoding, table.confidence)
    if problems:
        return table.name, [], problems, decoded
    records, problems = records_of(table, required, what, fields)
    return table.name, records, problems, decoded


def csv_table(src: PathOrFile, default_name: str, *, encoding: str = "auto") -> tuple[Table, list[Problem]]:
    """One CSV file as a :class:`Table` of its non-empty lines, and the problems of its layout."""
    decoded, name = read_source(src, default_name, encoding=encoding, hint="in Excel: 'CSV UTF-8'")
    text = decoded.text
    problems: list[Problem] = []
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=_delimiter(text, name))
    rows: list[tuple[int, list[Any]]] = []
    prev = 0
    try:
        for row in reader:
            rows.append((prev + 1, [unguard_cell(cell) for cell in row]))
            prev = reader.line_num
    except csv.Error as e:
        problems.append(Problem(f"not a readable CSV file: {e}", name, prev + 1, None))
        rows = []
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    return Table.of(name, rows, decoded), problems


def _is_workbook(src: Any) -> bool:
    return not is_file_object(src) and Path(src).suffix.lower() in (".xlsx", ".xlsm")


def _is_folder(src: Any) -> bool:
    return not is_file_object(src) and Path(src).is_dir()


def read_csv(
    people: PathOrFile,
    ties: PathOrFile | None = None,
    *,
    deal: PathOrFile | Deal | Mapping[str, Any] | None = None,
    observations: PathOrFile | None = None,
    encoding: str = "auto",
    vocabulary: VocabularySource = None,
    duplicates: str = "error",
    strength_scale: float | None = None,
    dayfirst: bool | None = None,
) -> StakeholderGraph:
    """Read a graph from CSV files (paths or file objects), or from a folder.

    Parameters
    ----------
    people : path or file object
        ``people.csv``, or a folder holding ``people.csv`` and, when present,
        ``ties.csv`` and ``deal.csv``, or an ``.xlsx`` workbook of People,
        Ties and Deal sheets (read by :func:`~stakegraph.io.read_xlsx`).
    ties : path or file object, optional
        ``ties.csv`` (no ties when left out and ``people`` is a file).
    deal : path, file object, Deal or mapping, optional
        ``deal.csv`` (a header and one row), or the deal itself.
    observations : path or file object, optional
        ``observations.csv``: what the informants reported, one report per
        line (columns: the fields of :class:`~stakegraph.Observation`); read
        from the folder too when it is there.
    encoding : str, default "auto"
        The files' text encoding. ``"auto"``: a byte-order mark, else UTF-8,
        else the most likely of GB18030 (GBK), Big5, Shift_JIS and cp1252,
        each file on its own (see :attr:`StakeholderGraph.provenance`); or
        name one (``"gb18030"``) to read every file in it.
    vocabulary : Vocabulary, mapping or TOML path, optional
        The words accepted for stances, reasons, roles, tie kinds, sides and
        stages besides the canonical names (default: the built-in
        :class:`~stakegraph.Vocabulary`).
    duplicates : {"error", "max", "sum", "last"}, default "error"
        A tie listed twice; see :meth:`StakeholderGraph.from_records`.
    strength_scale : float, optional
        Tie strengths are written from 0 to this (5 for a 1-5 rating, 100 for
        percentages) instead of in (0, 1].
    dayfirst : bool, optional
        Read 04/03/2026 as 4 March (True) or 3 April (False); None refuses
        such a date rather than guess.

    Returns
    -------
    StakeholderGraph

    Raises
    ------
    ValidationError
        Listing every problem found in every file, each with the file, the
        line (the header is line 1), the column and what is wrong: a missing
        ``id``, ``source``, ``target`` or ``kind`` column, a bad value,
        a duplicate id, a tie naming an unknown person, a self tie, a second
        manager, a reporting cycle.

    Notes
    -----
    Open a text file object with ``newline=""`` (as the :mod:`csv` module
    asks), so that line breaks inside quoted cells are kept as written;
    paths and binary file objects need nothing.

    See Also
    --------
    write_csv : the inverse.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> people = io.StringIO("id,name,roles,stance\\nwang,王建國,decision_maker;approver,neutral\\nli,Li Wei,,ally\\n")
    >>> ties = io.StringIO("source,target,kind,strength\\nli,wang,advises,0.7\\n")
    >>> g = sg.read_csv(people, ties)
    >>> g.person("wang").name, [r.value for r in g.person("wang").roles], g.ties[0].strength
    ('王建國', ['decision_maker', 'approver'], 0.7)
    >>> sg.read_csv(io.StringIO("id,stance\\nli,alley\\n"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: <people.csv>:2: stance: 'alley' is not a stance; did you mean 'ally'? Allowed: champion, ally, supporter, neutral, skeptic, hostile, unknown, or one of the words Mentor, ...
    """
    if _is_workbook(people) and ties is None and deal is None:
        from .xlsx import read_xlsx

        return read_xlsx(
            people,
            vocabulary=vocabulary,
            duplicates=duplicates,
            strength_scale=strength_scale,
            dayfirst=dayfirst,
        )
    if _is_folder(people):
        folder = Path(people)  # type: ignore[arg-type]
        people = folder / PEOPLE_FILE
        if not people.exists():
            raise ValidationError(Problem(f"no {PEOPLE_FILE} in this folder", str(folder), None, None))
        if ties is None and (folder / TIES_FILE).exists():
            ties = folder / TIES_FILE
        if deal is None and (folder / DEAL_FILE).exists():
            deal = folder / DEAL_FILE
        if observations is None and (folder / OBSERVATIONS_FILE).exists():
            observations = folder / OBSERVATIONS_FILE
    problems: list[Problem] = []
    sources: list[Source] = []
    pname, precs, probs, dec = _table(people, f"<{PEOPLE_FILE}>", ("id",), "people", PERSON_FIELDS, encoding)
    problems += probs
    sources.append(Source(pname, "csv", dec.encoding, dec.confidence, len(precs)))
    trecs: list[tuple[int, dict[str, str]]] = []
    tname = f"<{TIES_FILE}>"
    if ties is not None:
        tname, trecs, probs, dec = _table(
            ties, tname, ("source", "target", "kind"), "ties", TIE_FIELDS, encoding
        )
        problems += probs
        sources.append(Source(tname, "csv", dec.encoding, dec.confidence, len(trecs)))
    deal_rec: Mapping[str, Any] | Deal | None = None
    deal_where: tuple[Any, Any] = ("<deal>", None)
    if isinstance(deal, (Deal, Mapping)):
        deal_rec = deal
    elif deal is not None:
        dname, drecs, probs, dec = _table(deal, f"<{DEAL_FILE}>", (), "deal", DEAL_FIELDS, encoding)
        problems += probs
        sources.append(Source(dname, "csv", dec.encoding, dec.confidence, len(drecs)))
        if len(drecs) > 1:
            problems.append(
                Problem(
                    f"the deal file holds one deal (a header and one row); found {len(drecs)} rows",
                    dname,
                    drecs[1][0],
                    None,
                )
            )
        if drecs:
            deal_where = (dname, drecs[0][0])
            deal_rec = drecs[0][1]
    orecs: list[tuple[int, dict[str, str]]] = []
    oname = f"<{OBSERVATIONS_FILE}>"
    if observations is not None:
        oname, orecs, probs, dec = _table(
            observations,
            oname,
            ("informant", "about", "subject", "value"),
            "observations",
            OBSERVATION_FIELDS,
            encoding,
        )
        problems += probs
        sources.append(Source(oname, "csv", dec.encoding, dec.confidence, len(orecs)))
    if problems:
        raise ValidationError(problems)
    ties_where = [(tname, line) for line, _ in trecs]
    tie_recs, probs = ties_by_name([r for _, r in precs], [r for _, r in trecs], ties_where)
    return build_graph(
        [r for _, r in precs],
        tie_recs,
        deal_rec,
        people_where=[(pname, line) for line, _ in precs],
        ties_where=ties_where,
        deal_where=deal_where,
        problems=probs,
        options=ReadOptions(vocabulary, duplicates, strength_scale, dayfirst),
        provenance=sources,
        observations=[r for _, r in orecs],
        observations_where=[(oname, line) for line, _ in orecs],
    )


# ----------------------------------------------------------------------------- writing
def cell_text(value: Any) -> str:
    """A stored value as a CSV cell: enums by value, lists joined by ``;``, dates ISO, floats exact."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value
    return str(value)


# The csv module refuses fields over 128 KiB by default; RFC 4180 sets no limit and long notes exist,
# so a field may be as long as a file stakegraph reads (the limit is the process's, raised only).
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))

#: First characters a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _risky(cell: str) -> bool:
    """A cell a spreadsheet would run as a formula (apostrophes in front do not count): not a plain number."""
    core = cell.lstrip("'")
    return core[:1] in FORMULA_START and _NUMBER.fullmatch(core) is None


def guard_cell(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: an apostrophe in front of a risky one.

    :func:`unguard_cell` takes it off again, so a graph written and read back
    is unchanged (a cell that already begins with apostrophes before a
    formula character gets one more, and loses one when read).

    Examples
    --------
    >>> [guard_cell(c) for c in ["=HYPERLINK(1)", "-0.5", "+44 20 7946 0000", "'=x", "Wang"]]
    ["'=HYPERLINK(1)", '-0.5', "'+44 20 7946 0000", "''=x", 'Wang']
    >>> all(unguard_cell(guard_cell(c)) == c for c in ["=1+1", "'=1", "''@x", "'", "-3", "@home"])
    True
    """
    return "'" + cell if _risky(cell) else cell


def unguard_cell(cell: str) -> str:
    """The cell :func:`guard_cell` was given (a leading apostrophe before a formula character dropped)."""
    return cell[1:] if cell.startswith("'") and _risky(cell) else cell


def _csv_text(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = _io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; also quotes values holding a carriage return
    w.writerow([guard_cell(c) for c in columns])
    w.writerows([guard_cell(c) for c in row] for row in rows)
    return buf.getvalue()


def _extra_columns(items: Sequence[Any]) -> list[str]:
    return list(dict.fromkeys(k for it in items for k in it.extra))


def graph_tables(graph: StakeholderGraph) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The people, ties and deal of ``graph`` as ``{file name: (columns, rows)}``, values as stored.

    People come in the graph's order; ties grouped by source in people order,
    then by target, then by kind, so equal graphs give equal tables. Every
    standard column comes first, then the extra attributes in the order they
    first appear (``None`` where an item lacks one).
    """
    people = list(graph.people.values())
    pextra = _extra_columns(people)
    prows = [[getattr(p, f) for f in PERSON_FIELDS] + [p.extra.get(k) for k in pextra] for p in people]
    pos = {pid: i for i, pid in enumerate(graph.people)}
    kinds = {k: i for i, k in enumerate(TieKind)}
    ties = sorted(graph.ties, key=lambda t: (pos[t.source], pos[t.target], kinds[t.kind]))
    textra = _extra_columns(ties)
    trows = [[getattr(t, f) for f in TIE_FIELDS] + [t.extra.get(k) for k in textra] for t in ties]
    d = graph.deal
    dextra = list(d.extra)
    drow = [getattr(d, f) for f in DEAL_FIELDS] + [d.extra[k] for k in dextra]
    out = {
        PEOPLE_FILE: (list(PERSON_FIELDS) + pextra, prows),
        TIES_FILE: (list(TIE_FIELDS) + textra, trows),
        DEAL_FILE: (list(DEAL_FIELDS) + dextra, [drow]),
    }
    if graph.observations:
        orows = [[o.to_record()[f] for f in OBSERVATION_FIELDS] for o in graph.observations]
        out[OBSERVATIONS_FILE] = (list(OBSERVATION_FIELDS), orows)
    return out


def _csv_texts(graph: StakeholderGraph) -> dict[str, str]:
    """The three CSV files of ``graph`` as text: ``{"people.csv": ..., "ties.csv": ..., "deal.csv": ...}``."""
    out = {}
    for fname, (columns, rows) in graph_tables(graph).items():
        nstd = len(
            {
                PEOPLE_FILE: PERSON_FIELDS,
                TIES_FILE: TIE_FIELDS,
                DEAL_FILE: DEAL_FIELDS,
                OBSERVATIONS_FILE: OBSERVATION_FIELDS,
            }[fname]
        )
        text_rows = [
            [cell_text(v) for v in row[:nstd]] + ["" if v is None else extra_text(v) for v in row[nstd:]]
            for row in rows
        ]
        out[fname] = _csv_text(columns, text_rows)
    return out


def write_csv(graph: StakeholderGraph, folder: str | Path, *, bom: bool = False) -> None:
    """Write ``graph`` as ``people.csv``, ``ties.csv`` and ``deal.csv`` into ``folder``.

    The informants' reports, when the graph has any, go to ``observations.csv``
    (an ``observations.csv`` already in the folder is emptied when it has none).

    Every standard column is written, then the extra attributes (as text),
    in the order they first appear. The folder is created when missing. The
    files are written to temporary names and renamed into place only once all
    three are complete, so a failure leaves the files already there intact.

    Parameters
    ----------
    graph : StakeholderGraph
    folder : path
        The folder to write into (existing files of these names are replaced).
    bom : bool, default False
        Start each file with a UTF-8 byte-order mark, so that Excel opens
        non-Latin names (such as 王建國) correctly on a double click.

    See Also
    --------
    read_csv : reads the folder back (``read_csv(folder)``).

    Examples
    --------
    >>> import tempfile, stakegraph as sg
    >>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking", stage="deep_contact"))
    >>> g.add_person("wang", name="王建國", roles=["decision_maker"], budget="4M")
    >>> g.add_person("li", name="Li Wei", stance="ally")
    >>> g.add_tie("li", "wang", "advises", 0.7)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sg.write_csv(g, folder)
    ...     back = sg.read_csv(folder)
    >>> back == g, back.person("wang").extra["budget"], back.deal.stage.percent
    (True, '4M', 30)
    """
    texts = _csv_texts(graph)
    folder = Path(folder)
    if OBSERVATIONS_FILE not in texts and (folder / OBSERVATIONS_FILE).exists():
        texts[OBSERVATIONS_FILE] = _csv_text(OBSERVATION_FIELDS, [])  # no stale reports read back later
    prefix = "\ufeff" if bom else ""
    data: dict[Path, bytes] = {}
    for fname, text in texts.items():
        try:
            data[folder / fname] = (prefix + text).encode("utf-8")
        except UnicodeEncodeError as e:
            bad = e.object[e.start : e.end]
            raise ValidationError(
                Problem(
                    f"the text {bad!r} cannot be written as UTF-8 (a lone surrogate)",
                    str(folder / fname),
                    None,
                    None,
                )
            ) from None
    folder.mkdir(parents=True, exist_ok=True)
    write_files_atomically(data)
