"""What an informant reported: the raw intelligence a graph's beliefs are fused from.

The method asks the account team to build an intelligence system: coaches
inside the customer, partners outside it and our own people each report what
they see, and they do not always agree. An :class:`Observation` keeps one
such report as it was made: who said it, about whom, what, when and how sure.
The graph holds them (:meth:`~stakegraph.StakeholderGraph.observe`,
``g.observations``) beside its people and ties; :func:`stakegraph.fuse` turns
them into beliefs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Problem, ValidationError
from .method.checks import unwritable
from .method.lexicon import Vocabulary, VocabularySource, is_missing, parse_date, word_key
from .method.vocabulary import Reason, Role, Stance, TieKind

__all__ = ["ABOUT", "OBSERVATION_FIELDS", "Observation", "newest", "parse_observation", "recency"]

#: What a report can be about, and the field of the value it reports.
ABOUT: dict[str, str] = {"stance": "stance", "reason": "reason", "role": "role", "tie": "kind"}
OBSERVATION_FIELDS = (
    "informant",
    "about",
    "subject",
    "target",
    "value",
    "present",
    "strength",
    "date",
    "confidence",
    "note",
)
Value = Stance | Reason | Role | TieKind
Where = tuple[Any, Any]

_TRUE = {"true", "yes", "y", "1", "present", "是", "有", "對", "对"}
_FALSE = {"false", "no", "n", "0", "absent", "否", "無", "无", "沒有", "没有", "不是"}


@dataclass(frozen=True)
class Observation:
    """One report by one informant.

    Attributes
    ----------
    informant : str
        Who reported it: a person id of the graph (our rep, the coach, the
        partner) or a free label (``"trade press"``).
    about : {"stance", "reason", "role", "tie"}
    subject : str
        The person reported on; for a tie, its source.
    value : Stance, Reason, Role or TieKind
        The stance, reason or role reported, or the kind of the tie.
    target : str or None
        A tie's target (ties only).
    present : bool
        True when the informant says it is so (the tie exists, the person has
        the role); False when they say it is not.
    strength : float or None
        A reported tie's strength in (0, 1].
    date : datetime.date or None
        When it was reported.
    confidence : float
        How sure the informant was, in (0, 1] (default 1).
    note : str

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("cfo"); g.add_person("coach")
    >>> g.observe("coach", "stance", "cfo", "supporter", date="2026-10-01", confidence=0.8)
    >>> g.observations[0].value, g.observations[0].confidence
    (<Stance.SUPPORTER: 'supporter'>, 0.8)
    """

    informant: str
    about: str
    subject: str
    value: Value
    target: str | None = None
    present: bool = True
    strength: float | None = None
    date: _dt.date | None = None
    confidence: float = 1.0
    note: str = ""

    @property
    def tie_key(self) -> tuple[str, str, str]:
        """``(source, target, kind)`` of a tie report, the smaller id first for a mutual kind."""
        assert self.target is not None and isinstance(self.value, TieKind)
        s, t = self.subject, self.target
        if self.value.mutual and t < s:
            s, t = t, s
        return (s, t, self.value.value)

    def to_record(self) -> dict[str, Any]:
        """The report as a plain dict of its fields (values canonical, dates as dates)."""
        return {
            "informant": self.informant,
            "about": self.about,
            "subject": self.subject,
            "target": self.target,
            "value": self.value.value,
            "present": self.present,
            "strength": self.strength,
            "date": self.date,
            "confidence": self.confidence,
            "note": self.note,
        }


def recency(o: Observation, order: int) -> tuple[bool, _dt.date, int]:
    """How recent a report is, for ordering: dated after undated, then by date, then as recorded."""
    return (o.date is not None, o.date or _dt.date.min, order)


def newest(reports: Sequence[Observation], key: Callable[[Observation], Any]) -> list[Observation]:
    """Each informant's newest report per question (``key``), in the order they were recorded.

    Examples
    --------
    >>> a = Observation("rep", "stance", "cfo", Stance.ALLY, date=_dt.date(2026, 1, 2))
    >>> b = Observation("rep", "stance", "cfo", Stance.SKEPTIC)
    >>> newest([a, b], lambda o: o.subject) == [a]
    True
    """
    best: dict[Any, tuple[tuple[bool, _dt.date, int], Observation]] = {}
    for i, o in enumerate(reports):
        k = (o.informant, key(o))
        rank = recency(o, i)
        if k not in best or rank > best[k][0]:
            best[k] = (rank, o)
    return [o for _, o in sorted(best.values(), key=lambda x: x[0][2])]


def _number(problems: list[Problem], where: Where, name: str, value: Any, what: str) -> float | None:
    if is_missing(value):
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        problems.append(Problem(f"{value!r} is not a number; {what}", where[0], where[1], name))
        return None
    if not (0 < x <= 1):
        problems.append(Problem(f"must be in (0, 1]; got {value!r} ({what})", where[0], where[1], name))
        return None
    return x


def parse_observation(
    raw: Mapping[str, Any],
    where: Where = ("<graph>", None),
    *,
    vocabulary: VocabularySource = None,
    dayfirst: bool | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and convert one report's fields (raw strings or typed values).

    The value is read through ``vocabulary`` for its field (a stance, a
    reason, a role, a tie kind); returns the keyword arguments of
    :class:`Observation` and the problems found. Whether the people exist is
    the graph's check.
    """
    file, line = where
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def add(name: str, message: str) -> None:
        problems.append(Problem(message, file, line, name))

    unknown = [k for k in raw if k not in OBSERVATION_FIELDS]
    for k in unknown:
        if not is_missing(raw[k]):
            add(str(k), f"{k!r} is not a field of a report; fields: {', '.join(OBSERVATION_FIELDS)}")
    for name in ("informant", "subject"):
        v = raw.get(name)
        if is_missing(v):
            add(name, f"every report names its {name}" + (" (who said it)" if name == "informant" else ""))
        else:
            out[name] = str(v).strip()
    about = raw.get("about")
    key = word_key(str(about)) if not is_missing(about) else ""
    if key not in ABOUT:
        add(
            "about",
            f"a report is about one of {', '.join(ABOUT)}; got {about!r}"
            if key
            else f"every report says what it is about: {', '.join(ABOUT)}",
        )
    else:
        out["about"] = key
    target = raw.get("target")
    if key == "tie":
        if is_missing(target):
            add("target", "a tie report names the tie's target (the subject is its source)")
        else:
            out["target"] = str(target).strip()
    elif key in ABOUT and not is_missing(target):
        add("target", f"only a tie report has a target; a {key} report is about its subject alone")
    value = raw.get("value")
    if key in ABOUT:
        fname = ABOUT[key]
        if is_missing(value):
            add("value", f"a {key} report says which {fname}: the value is empty")
        else:
            try:
                meaning = Vocabulary.of(vocabulary).parse(fname, value)
            except ValidationError as e:
                add("value", e.message)
            else:
                if meaning.value is None:
                    add("value", f"{value!r} means no {fname}; a report says which one")
                elif meaning.value is Stance.UNKNOWN:
                    add("value", "a report of 'unknown' says nothing; leave it out")
                else:
                    out["value"] = meaning.value
    present = raw.get("present")
    if not is_missing(present):
        if isinstance(present, bool):
            out["present"] = present
        elif word_key(str(present)) in _TRUE:
            out["present"] = True
        elif word_key(str(present)) in _FALSE:
            out["present"] = False
        else:
            add("present", f"{present!r} is not true or false (true: the informant says so; false: says not)")
    if key in ("stance", "reason") and out.get("present") is False:
        add(
            "present", f"a {key} report says what the {key} is; to report that it changed, report the new one"
        )
    strength = _number(problems, where, "strength", raw.get("strength"), "a tie's strength")
    if strength is not None:
        if key != "tie":
            add("strength", "only a tie report has a strength")
        else:
            out["strength"] = strength
    conf = _number(problems, where, "confidence", raw.get("confidence"), "how sure the informant was")
    if conf is not None:
        out["confidence"] = conf
    d = raw.get("date")
    if not is_missing(d):
        if isinstance(d, _dt.datetime):
            out["date"] = d.date()
        elif isinstance(d, _dt.date):
            out["date"] = d
        else:
            try:
                out["date"] = parse_date(str(d), dayfirst=dayfirst)
            except ValidationError as e:
                add("date", e.message)
    note = raw.get("note")
    if not is_missing(note):
        out["note"] = str(note)
    if out.get("about") == "tie" and "subject" in out and out.get("target") == out["subject"]:
        add("target", f"a tie joins two people; {out['subject']!r} is both its source and its target")
    for key, text in out.items():
        bad = unwritable(text) if isinstance(text, str) else None
        if bad is not None:
            add(key, f"{key} holds {bad}, which no file can hold; remove it")
    return out, problems
