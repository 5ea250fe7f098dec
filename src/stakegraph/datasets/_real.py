"""Readers of the real organisational network data shipped in ``data/``.

Each data set keeps the files of its source (``people.csv``, ``relations.csv``
and the ``README.md`` holding its provenance, citation and terms) and is
converted to a :class:`~stakegraph.model.StakeholderGraph` when loaded:

- a nomination ``advice`` source -> target means *source goes to target for
  advice*; it becomes an ``advises`` tie target -> source (the advisor
  influences the one who asks);
- ``friendship`` nominations become one mutual ``friend`` tie per pair named
  in either direction, and ``cowork`` nominations one ``knows`` tie per pair;
  the tie's ``nominated_by`` attribute keeps who named whom (one id, or both
  ids separated by ``;``);
- ``reports_to`` keeps its direction (source reports to target).

Stances are not part of these data: everyone's stance is ``unknown``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from ..model import StakeholderGraph

__all__ = ["REAL", "read_krackhardt", "read_krackhardt_css", "read_lazega", "readme", "readme_section"]


def _data(folder: str, name: str) -> tuple[str, str]:
    """The text of a packaged data file and a label for messages."""
    res = files("stakegraph.datasets").joinpath("data").joinpath(folder).joinpath(name)
    return res.read_text(encoding="utf-8"), f"datasets/data/{folder}/{name}"


def _rows(folder: str, name: str) -> list[tuple[int, dict[str, str]]]:
    text, _ = _data(folder, name)
    reader = csv.DictReader(io.StringIO(text))
    return [(i + 2, row) for i, row in enumerate(reader)]  # line 1 is the header


def readme(folder: str) -> str:
    """The README shipped with a real data set."""
    return _data(folder, "README.md")[0]


def readme_section(folder: str, heading: str) -> str:
    """The text under one ``## heading`` of a data set's README (stripped)."""
    out: list[str] = []
    inside = False
    for line in readme(folder).splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == heading.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def _parse_number(text: str) -> Any:
    """A CSV cell as int or float when it is a number, else the text (None when empty)."""
    text = text.strip()
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _mutual(
    pairs: list[tuple[str, str]], kind: str, where: list[tuple[str, int]], file: str
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """One mutual tie per unordered pair of nominations, with ``nominated_by``."""
    named: dict[frozenset[str], list[str]] = {}
    first_line: dict[frozenset[str], int] = {}
    for (s, t), (_, line) in zip(pairs, where):
        key = frozenset((s, t))
        named.setdefault(key, []).append(s)
        first_line.setdefault(key, line)
    ties, tw = [], []
    for key, nominators in named.items():
        a, b = sorted(key, key=_id_order)
        ties.append(
            {
                "source": a,
                "target": b,
                "kind": kind,
                "strength": 1.0,
                "nominated_by": ";".join(sorted(set(nominators), key=_id_order)),
            }
        )
        tw.append((file, first_line[key]))
    return ties, tw


def _id_order(pid: str) -> tuple[int, str]:
    return (int(pid), pid) if pid.isdigit() else (1 << 62, pid)


def _relations(folder: str, convert: dict[str, str]) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """Ties from ``relations.csv``: ``convert`` maps a relation to a tie kind."""
    _, file = _data(folder, "relations.csv")
    directed: list[dict[str, Any]] = []
    dw: list[tuple[str, int]] = []
    mutual: dict[str, tuple[list[tuple[str, str]], list[tuple[str, int]]]] = {}
    for line, row in _rows(folder, "relations.csv"):
        s, t, rel = row["source"].strip(), row["target"].strip(), row["relation"].strip()
        kind = convert[rel]
        if kind == "advises":  # source asked target for advice: the advisor influences the asker
            directed.append({"source": t, "target": s, "kind": "advises", "strength": 1.0})
            dw.append((file, line))
        elif kind == "reports_to":
            directed.append({"source": s, "target": t, "kind": "reports_to", "strength": 1.0})
            dw.append((file, line))
        else:
            pairs, where = mutual.setdefault(kind, ([], []))
            pairs.append((s, t))
            where.append((file, line))
    ties, tw = directed, dw
    for kind, (pairs, where) in mutual.items():
        more, mw = _mutual(pairs, kind, where, file)
        ties += more
        tw += mw
    return ties, tw


def read_krackhardt() -> StakeholderGraph:
    """Krackhardt's (1987) 21 high-tech managers: advice, friendship and reports-to.

    Ids are the original numbers ("7" is the CEO); ``level`` is the data's
    level minus one (0 = CEO, 1 = vice president, 2 = manager); the department
    is ``"Department 1"`` .. ``"Department 4"`` (empty for the CEO); ``age`` and
    ``tenure`` (years) are kept as extra attributes.
    """
    _, file = _data("krackhardt", "people.csv")
    people, pw = [], []
    for line, row in _rows("krackhardt", "people.csv"):
        dept = _parse_number(row["department"])
        people.append(
            {
                "id": row["id"].strip(),
                "name": row["label"].strip(),
                "title": row["level_label"].strip(),
                "department": f"Department {dept}" if dept not in (None, 0) else "",
                "level": int(row["level"]) - 1,
                "age": _parse_number(row["age"]),
                "tenure": _parse_number(row["tenure"]),
            }
        )
        pw.append((file, line))
    ties, tw = _relations(
        "krackhardt", {"advice": "advises", "friendship": "friend", "reports_to": "reports_to"}
    )
    deal = {
        "name": "Krackhardt (1987) high-tech managers",
        "dataset": "krackhardt",
        "citation": _first_paragraph(readme_section("krackhardt", "Citation")),
    }
    return StakeholderGraph.from_records(people, ties, deal, people_where=pw, ties_where=tw)


def read_krackhardt_css() -> StakeholderGraph:
    """Krackhardt's managers with their cognitive social structure: every manager's view of the whole network.

    The graph of :func:`read_krackhardt`, plus one observation per perceiver
    and pair: for advice, manager p's report on every ordered pair (i seeks
    j's advice: an ``advises`` tie j -> i, reported present or absent); for
    friendship, p's report on every unordered pair (present when p sees
    either one naming the other). 21 perceivers x (420 + 210) pairs = 13,230
    reports, each from the informant ``p`` (the perceiver's id).
    """
    g = read_krackhardt()
    ids = list(g.people)
    by: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for _line, row in _rows("krackhardt", "css_perceptions.csv"):
        rel = row["relation"].strip()
        if row["weight"].strip() not in ("1", "1.0"):
            continue
        key = (row["perceiver"].strip(), rel)
        by.setdefault(key, set()).add((row["source"].strip(), row["target"].strip()))
    reports: list[dict[str, Any]] = []
    for p in ids:
        advice = by.get((p, "advice"), set())
        friends = by.get((p, "friendship"), set())
        for i in ids:
            for j in ids:
                if i == j:
                    continue
                # i goes to j for advice: the advisor j influences i
                reports.append(
                    {
                        "informant": p,
                        "about": "tie",
                        "subject": j,
                        "target": i,
                        "value": "advises",
                        "present": (i, j) in advice,
                    }
                )
                if i < j:
                    reports.append(
                        {
                            "informant": p,
                            "about": "tie",
                            "subject": i,
                            "target": j,
                            "value": "friend",
                            "present": (i, j) in friends or (j, i) in friends,
                        }
                    )
    _, file = _data("krackhardt", "css_perceptions.csv")
    deal = {
        "name": "Krackhardt (1987) high-tech managers: cognitive social structure",
        "dataset": "krackhardt_css",
        "citation": g.deal.extra["citation"],
    }
    return StakeholderGraph.from_records(
        [dict(p.to_record(), id=p.id) for p in g.people.values()],
        [t.to_record() for t in g.ties],
        deal,
        observations=reports,
        observations_where=[(file, None)] * len(reports),
    )


def read_lazega() -> StakeholderGraph:
    """Lazega's (2001) 71 lawyers of a corporate law firm: advice, friendship, co-work.

    Ids are the original numbers (1-36 partners, 37-71 associates). There are
    no formal reporting lines: ``level`` is 0 for partners and 1 for
    associates, the department is the practice (``litigation`` or
    ``corporate``), and ``status``, ``office``, ``gender``, ``years_with_firm``,
    ``age`` and ``law_school`` are kept as extra attributes.
    """
    _, file = _data("lazega", "people.csv")
    people, pw = [], []
    for line, row in _rows("lazega", "people.csv"):
        status = row["status"].strip()
        people.append(
            {
                "id": row["id"].strip(),
                "name": row["label"].strip(),
                "title": status.capitalize(),
                "department": row["practice"].strip(),
                "level": 0 if status == "partner" else 1,
                "status": status,
                "office": row["office"].strip(),
                "gender": row["gender"].strip(),
                "years_with_firm": _parse_number(row["years_with_firm"]),
                "age": _parse_number(row["age"]),
                "law_school": row["law_school"].strip(),
            }
        )
        pw.append((file, line))
    ties, tw = _relations("lazega", {"advice": "advises", "friendship": "friend", "cowork": "knows"})
    deal = {
        "name": "Lazega (2001) law firm",
        "dataset": "lazega",
        "citation": _first_paragraph(readme_section("lazega", "Citation")),
    }
    return StakeholderGraph.from_records(people, ties, deal, people_where=pw, ties_where=tw)


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


REAL: dict[str, Callable[[], StakeholderGraph]] = {
    "krackhardt": read_krackhardt,
    "krackhardt_css": read_krackhardt_css,
    "lazega": read_lazega,
}
