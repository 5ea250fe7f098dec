"""pandas DataFrames: one table of people, one of ties (needs the ``pandas`` extra).

The columns are those of the CSV files (see :mod:`stakegraph.io.csvio`): the
fields of :class:`~stakegraph.Person` and :class:`~stakegraph.Tie`, then one
column per extra attribute. ``roles`` is ``;``-joined text (lists are accepted
too), so ``people.to_csv("people.csv", index=False)`` writes a file
:func:`~stakegraph.read_csv` reads. A missing cell (``NaN``, ``None``,
``NaT``, ``pd.NA`` or an empty string) is a missing value. The deal travels in
``DataFrame.attrs["deal"]`` of both tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..errors import Problem, ValidationError
from ..method.lexicon import VocabularySource
from ..model import PERSON_FIELDS, Deal, StakeholderGraph
from ._common import ReadOptions, build_graph

__all__ = ["from_frames", "to_frames"]

_FLOAT = ("support", "power", "openness", "relationship")


def _pandas(func: str) -> Any:
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError(f"{func}() needs pandas: pip install 'stakegraph[pandas]'") from e
    return pd


def _deal_record(deal: Deal) -> dict[str, Any]:
    """The deal as plain values (enums as text, dates ISO), fields left out when unset."""
    return {k: v for k, v in deal.to_record().items() if v is not None and v != "" and v != []}


def to_frames(graph: StakeholderGraph) -> tuple[Any, Any]:
    """The graph as two pandas DataFrames, ``(people, ties)``, losing nothing.

    ``people`` has one row per person in the graph's order, with the columns
    of ``people.csv`` (text fields as strings, ``org``, ``stance`` and
    ``reason`` as their values, ``level`` as a nullable integer, numbers as
    floats with ``NaN`` when missing, ``roles`` ``;``-joined, ``last_contact``
    as :class:`datetime.date`) and one column per extra attribute (``None``
    where a person has none). ``ties`` has ``source``, ``target``, ``kind``,
    ``strength``, ``note`` and the extras. Both carry the deal in
    ``.attrs["deal"]``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)

    Raises
    ------
    ImportError
        When pandas is not installed (``pip install 'stakegraph[pandas]'``).

    See Also
    --------
    from_frames : the inverse.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking"))
    >>> g.add_person("wang", name="王建國", roles=["decision_maker"], support=0.25)
    >>> g.add_person("li", stance="ally", budget="4M")
    >>> g.add_tie("li", "wang", "advises", 0.7)
    >>> people, ties = sg.to_frames(g)
    >>> people[["id", "name", "stance", "support", "budget"]].values.tolist()
    [['wang', '王建國', 'unknown', 0.25, None], ['li', '', 'ally', nan, '4M']]
    >>> ties[["source", "target", "kind", "strength"]].values.tolist()
    [['li', 'wang', 'advises', 0.7]]
    >>> sg.from_frames(people, ties) == g
    True
    """
    pd = _pandas("to_frames")
    people = list(graph.people.values())
    pextra = list(dict.fromkeys(k for p in people for k in p.extra))
    cols: dict[str, list[Any]] = {f: [] for f in PERSON_FIELDS}
    for p in people:
        for f in PERSON_FIELDS:
            v = getattr(p, f)
            if f == "roles":
                v = ";".join(r.value for r in v)
            elif f in _FLOAT:
                v = math.nan if v is None else v
            elif f in ("org", "stance", "reason"):
                v = None if v is None else v.value
            cols[f].append(v)
    pdf = pd.DataFrame(cols, columns=list(cols))
    for k in pextra:  # object columns keep each value's own type
        pdf[k] = pd.Series([p.extra.get(k) for p in people], dtype=object, index=pdf.index)
    pdf["level"] = pd.array(cols["level"], dtype="Int64")
    for f in _FLOAT:
        pdf[f] = pdf[f].astype(float)
    ties = list(graph.ties)
    textra = list(dict.fromkeys(k for t in ties for k in t.extra))
    tcols: dict[str, list[Any]] = {
        "source": [t.source for t in ties],
        "target": [t.target for t in ties],
        "kind": [t.kind.value for t in ties],
        "strength": [t.strength for t in ties],
        "note": [t.note for t in ties],
    }
    tdf = pd.DataFrame(tcols, columns=list(tcols))
    for k in textra:
        tdf[k] = pd.Series([t.extra.get(k) for t in ties], dtype=object, index=tdf.index)
    tdf["strength"] = tdf["strength"].astype(float)
    deal = _deal_record(graph.deal)
    pdf.attrs["deal"] = dict(deal)
    tdf.attrs["deal"] = dict(deal)
    return pdf, tdf


def _cell(pd: Any, v: Any) -> Any:
    """A DataFrame cell as a plain Python value (missing -> None)."""
    if v is None:
        return None
    if isinstance(v, (list, tuple, dict, set)):
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        return v.item()  # numpy scalar
    return v


def _records(
    pd: Any, df: Any, what: str, required: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[Any], list[Problem]]:
    label = f"<{what} frame>"
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(
            Problem(f"expected a pandas DataFrame of {what}; got {type(df).__name__}", label, None, None)
        )
    if "id" in required and "id" not in df.columns and df.index.name == "id":
        df = df.reset_index()
    problems = []
    columns = [str(c) for c in df.columns]
    dup = sorted({c for c in columns if columns.count(c) > 1})
    for c in dup:
        problems.append(Problem(f"column {c!r} appears twice", label, None, c))
    for col in required:
        if col not in columns:
            problems.append(
                Problem(
                    f"no {col!r} column: the {what} frame must have the columns "
                    f"{', '.join(required)} (found: {', '.join(columns) or 'nothing'})",
                    label,
                    None,
                    col,
                )
            )
    if problems:
        return [], [], problems
    records = []
    where = []
    for index, row in zip(df.index, df.itertuples(index=False, name=None)):
        records.append({c: _cell(pd, v) for c, v in zip(columns, row)})
        where.append((f"{label}: row {_cell(pd, index)!r}", None))
    return records, where, problems


def from_frames(
    people: Any,
    ties: Any = None,
    deal: Deal | Mapping[str, Any] | None = None,
    *,
    vocabulary: VocabularySource = None,
    duplicates: str = "error",
    strength_scale: float | None = None,
    dayfirst: bool | None = None,
) -> StakeholderGraph:
    """Build a graph from pandas DataFrames of people and ties.

    Parameters
    ----------
    people : pandas.DataFrame
        One row per person; the columns of ``people.csv`` (``id`` required,
        or an index named ``id``), any other column an extra attribute.
    ties : pandas.DataFrame, optional
        One row per tie: ``source``, ``target``, ``kind`` required,
        ``strength`` (default 1), ``note``, extras.
    deal : Deal or mapping, optional
        The deal; by default ``people.attrs["deal"]`` (as :func:`to_frames`
        leaves it), else none.
    vocabulary, duplicates, strength_scale, dayfirst
        As for :meth:`StakeholderGraph.from_records`.

    Returns
    -------
    StakeholderGraph

    Raises
    ------
    ValidationError
        Listing every problem, each located as ``<people frame>: row 3``
        (the index label) with the column.
    ImportError
        When pandas is not installed (``pip install 'stakegraph[pandas]'``).

    Notes
    -----
    A missing cell (``NaN``, ``None``, ``NaT``, ``pd.NA``, empty text) is a
    missing value, so a ``NaN`` strength means the default strength 1; the
    text ``"nan"`` is refused like any other non-number.

    Examples
    --------
    >>> import pandas as pd, stakegraph as sg
    >>> people = pd.DataFrame({"id": ["wang", "li"], "name": ["王建國", "Li Wei"],
    ...                        "stance": ["neutral", "ally"], "openness": [0.3, float("nan")]})
    >>> ties = pd.DataFrame({"source": ["li"], "target": ["wang"], "kind": ["advises"], "strength": [0.7]})
    >>> g = sg.from_frames(people, ties)
    >>> g.person("wang").name, g.person("li").openness, g.ties[0].strength
    ('王建國', None, 0.7)
    """
    pd = _pandas("from_frames")
    precs, pw, problems = _records(pd, people, "people", ("id",))
    trecs: list[dict[str, Any]] = []
    tw: list[Any] = []
    if ties is not None:
        trecs, tw, probs = _records(pd, ties, "ties", ("source", "target", "kind"))
        problems += probs
    if problems:
        raise ValidationError(problems)
    if deal is None:
        for df in (people, ties):
            d = getattr(df, "attrs", {}).get("deal") if df is not None else None
            if isinstance(d, Mapping):
                deal = d
                break
    return build_graph(
        precs,
        trecs,
        deal,
        people_where=pw,
        ties_where=tw,
        deal_where=("<deal>", None),
        options=ReadOptions(vocabulary, duplicates, strength_scale, dayfirst),
    )
