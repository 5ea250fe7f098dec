"""The exception tree of stakegraph.

Every error the library raises on purpose derives from :class:`StakegraphError`.
Input errors are :class:`ValidationError`; they carry one :class:`Problem` per
thing that is wrong, each naming the file, line, field and the rule, so a
loader can report every problem at once instead of stopping at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ConvergenceError",
    "NoPathError",
    "NoTieError",
    "Problem",
    "StakegraphError",
    "UnknownPersonError",
    "ValidationError",
    "closest",
]


class StakegraphError(Exception):
    """Base class of every error stakegraph raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    Attributes
    ----------
    message : str
        What is wrong, the rule and the value, and how to fix it.
    file : str or None
        The file (or ``"<graph>"`` for a call on a graph in memory).
    line : int or None
        1-based line of the file (the header is line 1 of a CSV file).
    field : str or None
        The column or attribute concerned.
    cell : str or None
        The spreadsheet cell (``C14``) for a problem in a workbook; shown as
        ``account.xlsx[People]!C14`` in place of the line.
    """

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.cell is not None:
            loc = "!".join(where + [self.cell])
        else:
            if self.line is not None:
                where.append(str(self.line))
            loc = ":".join(where)
        parts = [p for p in (loc, self.field) if p]
        return ": ".join(parts + [self.message])


class ValidationError(StakegraphError, ValueError):
    """Input that breaks a rule of the data model.

    Holds every :class:`Problem` found (``.problems``); ``str()`` lists them
    one per line as ``file:line: field: message``.
    """

    def __init__(self, problems: Problem | str | Sequence[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    @property
    def message(self) -> str:
        """The text of the first problem, without its location."""
        return self.problems[0].message if self.problems else ""


class UnknownPersonError(StakegraphError, KeyError):
    """A person id that is not in the graph."""

    def __init__(self, person_id: object, known: Iterable[str] = ()) -> None:
        self.person_id = person_id
        hint = closest(str(person_id), known)
        msg = f"no person with id {person_id!r} in the graph"
        if hint:
            msg += f"; did you mean {hint!r}?"
        self.text = msg
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message again
        return self.text


class NoTieError(StakegraphError, KeyError):
    """A tie that is not in the graph."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class NoPathError(StakegraphError):
    """No introduction path can reach the person asked for."""


class ConvergenceError(StakegraphError, RuntimeError):
    """An iterative method did not converge within its iteration budget."""


def closest(value: str, allowed: Iterable[str]) -> str | None:
    """The allowed value closest in spelling to ``value``, if any is close.

    Examples
    --------
    >>> closest("alley", ["champion", "ally", "supporter"])
    'ally'
    """
    matches = difflib.get_close_matches(str(value).lower(), list(allowed), n=1, cutoff=0.6)
    return matches[0] if matches else None
