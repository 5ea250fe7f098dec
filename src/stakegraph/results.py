"""Shared behaviour of result objects: ``to_dict``, ``to_frame``, HTML for notebooks.

Every analysis returns a frozen dataclass deriving from :class:`Result`. A
result implements :meth:`Result.to_dict` (JSON-serialisable, stable keys,
people by id) and :meth:`Result._table` (the rows of its main table, one dict a
row); ``to_frame`` and ``_repr_html_`` are built on those.
"""

from __future__ import annotations

import html
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .method.words import stage_words, value

if TYPE_CHECKING:  # pragma: no cover
    from .model import StakeholderGraph

__all__ = ["PERSON_COLUMNS", "Result", "Roster", "graph_html", "html_table", "jsonable", "require_pandas"]


def require_pandas() -> Any:
    """Import pandas, or raise ImportError with the install hint."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - exercised where pandas is missing
        raise ImportError("to_frame() needs pandas: pip install 'stakegraph[pandas]'") from e
    return pd


def jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples, enums and dates to plain JSON types (nan -> None)."""
    import datetime as dt
    from enum import Enum

    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


PERSON_COLUMNS: tuple[str, ...] = (
    "id",
    "target",
    "people",
    "path",
    "gatekeepers",
    "leader",
    "members",
    "nearest",
    "via",
    "influenced",
    "listens_to",
    "manager",
    "reports",
)
"""Columns of result tables that hold person ids (one id, or a list of ids)."""


def _named(value: Any, names: Mapping[str, str]) -> Any:
    """``"Name (id)"`` for an id with a name (each item of a list), other values unchanged."""
    if isinstance(value, (list, tuple)):
        return [_named(v, names) for v in value]
    if isinstance(value, str):
        name = names.get(value)
        if name and name != value:
            return f"{name} ({value})"
    return value


def html_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    caption: str = "",
    max_rows: int = 30,
    names: Mapping[str, str] | None = None,
) -> str:
    """A small, self-contained HTML table for notebooks (values escaped).

    Parameters
    ----------
    rows : sequence of mapping
        One mapping a row.
    columns : sequence of str, optional
        Which keys to show, in order (default: the keys of the first row).
    caption : str
        Shown above the table.
    max_rows : int
        Rows beyond this are summarised in one line.
    names : mapping of str to str, optional
        Display names by person id: the person columns (:data:`PERSON_COLUMNS`)
        then read ``"Name (id)"``. An ``id`` column is left as it is when the
        row has its own ``name`` column.

    Returns
    -------
    str

    Examples
    --------
    >>> t = html_table([{"id": "cfo", "power": 0.5}], names={"cfo": "Helen Park"})
    >>> "Helen Park (cfo)" in t
    True
    """
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    if names:
        rows = [
            {
                k: (_named(v, names) if k in PERSON_COLUMNS and not (k == "id" and "name" in r) else v)
                for k, v in r.items()
            }
            for r in rows
        ]
    parts = ['<table class="stakegraph" style="border-collapse:collapse;font-size:12px">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{html.escape(caption)}</caption>')
    parts.append(
        "<thead><tr>"
        + "".join(
            f'<th style="text-align:left;padding:2px 8px;border-bottom:1px solid #999">{html.escape(str(c))}</th>'
            for c in columns
        )
        + "</tr></thead><tbody>"
    )
    for r in rows[:max_rows]:
        parts.append(
            "<tr>"
            + "".join(f'<td style="padding:2px 8px">{html.escape(value(r.get(c), 3))}</td>' for c in columns)
            + "</tr>"
        )
    if len(rows) > max_rows:
        parts.append(
            f'<tr><td colspan="{len(columns)}" style="padding:2px 8px;color:#666">'
            f"… {len(rows) - max_rows} more rows</td></tr>"
        )
    parts.append("</tbody></table>")
    return "".join(parts)


@dataclass(frozen=True)
class Roster:
    """Everyone a result speaks of: id, name and side of every person of the graph, in graph order.

    The row rule of every result that lists people: one row per person of the
    graph, each with ``id``, ``name``, ``org`` and ``customer`` first, then the
    result's own fields (None where the result has nothing to say about that
    person, e.g. our own team in a ranking of the customer's people). People the
    result orders come first, in its order; the others follow in graph order.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("a", name="Ann"); g.add_person("me", org="us")
    >>> Roster.of(g).rows({"a": {"score": 1.0}}, ("score",))
    [{'id': 'a', 'name': 'Ann', 'org': 'customer', 'customer': True, 'score': 1.0}, {'id': 'me', 'name': '', 'org': 'us', 'customer': False, 'score': None}]
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    orgs: tuple[str, ...]

    @classmethod
    def of(cls, graph: StakeholderGraph) -> Roster:
        """The roster of a graph."""
        people = list(graph.people.values())
        return cls(
            ids=tuple(p.id for p in people),
            names=tuple(p.name for p in people),
            orgs=tuple(p.org.value for p in people),
        )

    def rows(self, by_id: Mapping[str, Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
        """One row per person by the row rule: the people of ``by_id`` in its order, then everyone else."""
        where = {pid: k for k, pid in enumerate(self.ids)}
        order = [pid for pid in by_id if pid in where]
        seen = set(order)
        order += [pid for pid in self.ids if pid not in seen]
        out = []
        for pid in order:
            k = where[pid]
            row: dict[str, Any] = {
                "id": pid,
                "name": self.names[k],
                "org": self.orgs[k],
                "customer": self.orgs[k] == "customer",
            }
            own = by_id.get(pid, {})
            row.update({c: own.get(c) for c in columns})
            out.append(row)
        return out


class Result(ABC):
    """Base of analysis results (frozen dataclasses): arrays they hold are read-only."""

    _title: str = "Result"

    def __post_init__(self) -> None:
        if is_dataclass(self):
            for f in fields(self):
                v = getattr(self, f.name, None)
                if isinstance(v, np.ndarray):
                    v.setflags(write=False)

    def describe(self) -> str:
        """The result in plain sentences (the lines shown above its table in notebooks)."""
        return "\n".join(self._summary())

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: stable keys, people by id."""

    def _table(self) -> list[dict[str, Any]]:
        """Rows of the main table (default: ``to_dict()["people"]``)."""
        return list(self.to_dict().get("people", []))

    def _summary(self) -> list[str]:
        """Lines shown above the table in notebooks."""
        return []

    def display_names(self) -> Mapping[str, str]:
        """Display names of the people the result mentions, by id (a ``names`` mapping when it has one)."""
        names = getattr(self, "names", None)
        return names if isinstance(names, Mapping) else {}

    def name_of(self, person_id: str) -> str:
        """The display name of ``person_id`` as this result knows it; the id when it knows none.

        Examples
        --------
        >>> import stakegraph as sg
        >>> r = sg.rank(sg.datasets.load("bank"))
        >>> r.name_of("cfo"), r.name_of("nobody")
        ('Helen Park', 'nobody')
        """
        return self.display_names().get(person_id) or person_id

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict()`` as a JSON string."""
        return json.dumps(jsonable(self.to_dict()), ensure_ascii=False, **kwargs)

    def to_frame(self) -> Any:
        """The main table as a pandas DataFrame (needs the ``pandas`` extra)."""
        pd = require_pandas()
        rows = self._table()
        frame = pd.DataFrame(rows)
        if "id" in frame.columns:
            frame = frame.set_index("id")
        return frame

    def _repr_html_(self) -> str:
        head = f"<div><b>{html.escape(self._title)}</b>"
        lines = self._summary()
        if lines:
            head += "<br>" + "<br>".join(html.escape(line) for line in lines)
        head += "</div>"
        return head + html_table(self._table(), names=self.display_names())


def graph_html(graph: "StakeholderGraph", *, max_rows: int = 40) -> str:
    """HTML view of a graph: a summary line, a small inline SVG map and the people table."""
    from .method.vocabulary import Org

    d = graph.deal
    head = html.escape(repr(graph))
    try:
        from .viz.svg import small_svg

        svg = small_svg(graph)
    except Exception:  # the map is a convenience; the table must always render
        svg = ""
    rows = []
    for p in graph.people.values():
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "title": p.title,
                "department": p.department,
                "org": p.org.value,
                "roles": [r.value for r in p.roles],
                "stance": p.stance.value,
            }
        )
    stage = f" — {stage_words(d.stage)}" if d.stage else ""
    n_c = sum(1 for p in graph.people.values() if p.org is Org.CUSTOMER)
    return (
        f"<div><b>{html.escape(d.name or 'Stakeholder graph')}</b>{html.escape(stage)}<br>"
        f"<small>{head}; {n_c} customer people</small></div>{svg}" + html_table(rows, max_rows=max_rows)
    )


def records(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Helper: ``to_dict()`` of each item."""
    return [i.to_dict() for i in items]
