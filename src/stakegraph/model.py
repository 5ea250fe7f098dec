"""The data model: people, ties, the deal, and the graph users hold.

A :class:`StakeholderGraph` is the one object users hold. Every mutation
validates at once and leaves the graph unchanged when it fails; every loader
collects all problems into one :class:`~stakegraph.errors.ValidationError`.

Examples
--------
>>> import stakegraph as sg
>>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking", stage="deep_contact"))
>>> g.add_person("wang", name="Wang Li", title="CFO", roles=["decision_maker"], stance="neutral")
>>> g.add_person("chen", name="Chen Yu", title="IT architect", roles=["evaluator", "coach"], stance="ally")
>>> g.add_tie("chen", "wang", "advises", 0.7)
>>> g.person("chen").stance, len(g), len(g.ties)
(<Stance.ALLY: 'ally'>, 2, 1)
>>> g.set_stance("chen", "alley")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
stakegraph.errors.ValidationError: <graph>: stance: 'alley' is not a stance; did you mean 'ally'? Allowed: champion, ally, supporter, neutral, skeptic, hostile, unknown, or one of the words Mentor, ...
"""

from __future__ import annotations

import copyreg
import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import NoTieError, Problem, UnknownPersonError, ValidationError
from .influence import DEFAULT_MODEL, InfluenceModel

if TYPE_CHECKING:  # pragma: no cover
    from ._compiled import CompiledGraph
from .method.checks import unwritable
from .method.lexicon import FIELD_OF, Vocabulary, VocabularySource, is_missing, parse_date
from .method.vocabulary import Org, Reason, Role, Stage, Stance, TieKind, stance_of
from .observation import Observation, parse_observation

__all__ = [
    "Deal",
    "Source",
    "InfluenceModel",
    "Org",
    "Person",
    "PERSON_FIELDS",
    "Reason",
    "Role",
    "Stage",
    "Stance",
    "StakeholderGraph",
    "TIE_FIELDS",
    "check_graph",
    "DEAL_FIELDS",
    "Tie",
    "TieKind",
]

PERSON_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "title",
    "department",
    "org",
    "level",
    "roles",
    "stance",
    "support",
    "reason",
    "power",
    "openness",
    "relationship",
    "owner",
    "last_contact",
    "needs",
    "interests",
    "notes",
)
TIE_FIELDS: tuple[str, ...] = ("source", "target", "kind", "strength", "note")
DEAL_FIELDS: tuple[str, ...] = ("name", "stage", "decision_date", "competitors", "as_of")

_EMPTY: MappingProxyType[str, Any] = MappingProxyType({})


# ----------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Person:
    """One stakeholder, on the customer's side or around it.

    Fields are stored as given; values left out (``None``) are derived when an
    analysis compiles the graph: ``level`` from ``reports_to``, ``power`` and
    ``openness`` from roles through :class:`InfluenceModel`, ``support`` from
    the stance. ``extra`` keeps any other attribute.

    Examples
    --------
    >>> p = Person("li", name="Li Wei", roles=(Role.EVALUATOR,), stance=Stance.SKEPTIC)
    >>> p.support_value
    -0.5
    >>> Person("x").support_value
    nan
    """

    id: str
    name: str = ""
    title: str = ""
    department: str = ""
    org: Org = Org.CUSTOMER
    level: int | None = None
    roles: tuple[Role, ...] = ()
    stance: Stance = Stance.UNKNOWN
    support: float | None = None
    reason: Reason | None = None
    power: float | None = None
    openness: float | None = None
    relationship: float | None = None
    owner: str = ""
    last_contact: _dt.date | None = None
    needs: str = ""
    interests: str = ""
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=True, hash=False)

    @property
    def support_value(self) -> float:
        """Support in [-1, 1]: ``support`` if given, else the stance's value (nan if unknown)."""
        return self.support if self.support is not None else self.stance.support

    @property
    def effective_stance(self) -> Stance:
        """The stated stance, else the stance class of an explicit ``support`` (``unknown`` when neither)."""
        if self.stance is not Stance.UNKNOWN or self.support is None:
            return self.stance
        return stance_of(self.support)

    @property
    def label(self) -> str:
        """The name, or the id when there is no name."""
        return self.name or self.id

    def has_role(self, role: str | Role) -> bool:
        """True if the person holds ``role``."""
        return Role.parse(role) in self.roles

    def to_record(self) -> dict[str, Any]:
        """The person as a plain dict (enums as strings, dates ISO, extras flattened)."""
        rec: dict[str, Any] = {}
        for f in PERSON_FIELDS:
            v = getattr(self, f)
            rec[f] = _plain(v)
        for k, v in self.extra.items():
            rec[k] = v
        return rec


@dataclass(frozen=True)
class Tie:
    """A tie between two people.

    Direction: for ``reports_to`` and ``dotted_line`` the source reports to the
    target; for ``advises`` and ``influences`` the source influences the target;
    ``friend``, ``rival`` and ``knows`` are mutual (stored with the smaller id
    as source).
    """

    source: str
    target: str
    kind: TieKind
    strength: float = 1.0
    note: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=True, hash=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """The tie's identity: (source, target, kind), sorted ends for mutual kinds."""
        return tie_key(self.source, self.target, self.kind)

    def to_record(self) -> dict[str, Any]:
        """The tie as a plain dict."""
        rec: dict[str, Any] = {f: _plain(getattr(self, f)) for f in TIE_FIELDS}
        rec.update(self.extra)
        return rec


def tie_key(source: str, target: str, kind: TieKind | str) -> tuple[str, str, str]:
    """Identity of a tie: mutual kinds ignore direction."""
    k = TieKind.parse(kind)
    if k.mutual and target < source:
        source, target = target, source
    return (source, target, k.value)


@dataclass(frozen=True)
class Deal:
    """The deal under way with this customer.

    Examples
    --------
    >>> d = Deal(name="Core banking", stage="commercial")
    >>> d.stage.percent
    70
    """

    name: str = ""
    stage: Stage | None = None
    decision_date: _dt.date | None = None
    competitors: tuple[str, ...] = ()
    as_of: _dt.date | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=True, hash=False)

    def __post_init__(self) -> None:
        values, problems = parse_deal(
            {f: getattr(self, f) for f in DEAL_FIELDS} | dict(self.extra), where=("<deal>", None)
        )
        if problems:
            raise ValidationError(problems)
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def to_record(self) -> dict[str, Any]:
        """The deal as a plain dict."""
        rec: dict[str, Any] = {f: _plain(getattr(self, f)) for f in DEAL_FIELDS}
        rec.update(self.extra)
        return rec


def _plain(v: Any) -> Any:
    if isinstance(v, (Stance, Role, TieKind, Org, Stage, Reason)):
        return v.value
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _mappingproxy(d: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(d)


def _pickle_mappingproxy(m: MappingProxyType[str, Any]) -> tuple[Any, ...]:
    return (_mappingproxy, (dict(m),))


# People, ties, deals, influence models and results keep their mappings read-only
# (MappingProxyType), which pickle cannot copy by itself; this teaches it, so graphs
# and results cross process boundaries (e.g. ``analyze_many`` on a process pool).
copyreg.pickle(MappingProxyType, _pickle_mappingproxy)


# ----------------------------------------------------------------------------- parsing
Where = tuple[Any, Any]  # (file, line)


_is_missing = is_missing  # the one rule for "not given" (method.lexicon)


def _float(value: Any) -> float:
    """``float(value)``; text also with full-width digits and the minus sign U+2212 (−3)."""
    try:
        return float(value)
    except ValueError:
        if not isinstance(value, str):
            raise
        return float(unicodedata.normalize("NFKC", value).replace("\u2212", "-").replace(" ", ""))


class _Collector:
    def __init__(
        self, where: Where, vocabulary: VocabularySource = None, dayfirst: bool | None = None
    ) -> None:
        self.file, self.line = where
        self.problems: list[Problem] = []
        self.vocabulary = Vocabulary.of(vocabulary)
        self.dayfirst = dayfirst
        self.implied: dict[str, tuple[str, str, Any]] = {}  # field -> (field of the word, word, value)

    def add(self, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(message, self.file, self.line, field_name))

    def enum(self, cls: Any, field_name: str, value: Any) -> Any:
        """The canonical value of a word (None for a bad word, with its problem, or a word meaning nothing)."""
        try:
            meaning = self.vocabulary.parse(FIELD_OF[cls], value)
        except ValidationError as e:
            self.add(field_name, e.message)
            return None
        for other, v in meaning.also.items():
            self.implied[other] = (field_name, str(value).strip(), v)
        return meaning.value

    def number(
        self,
        field_name: str,
        value: Any,
        lo: float | None,
        hi: float | None,
        *,
        lo_open: bool = False,
        what: str = "",
    ) -> float | None:
        if _is_missing(value):
            return None
        try:
            if isinstance(value, bool):
                raise TypeError
            x = _float(value)
        except (TypeError, ValueError):
            self.add(field_name, f"{value!r} is not a number{what}")
            return None
        bad = math.isnan(x) or math.isinf(x)
        if not bad and lo is not None and (x < lo or (lo_open and x == lo)):
            bad = True
        if not bad and hi is not None and x > hi:
            bad = True
        if bad:
            lo_s = "(" if lo_open else "["
            rng = f"{lo_s}{lo if lo is not None else '-inf'}, {f'{hi:g}' if hi is not None else 'inf'}]"
            self.add(field_name, f"must be a number in {rng}{what}; got {value!r}")
            return None
        return x

    def date(self, field_name: str, value: Any) -> _dt.date | None:
        if _is_missing(value):
            return None
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        try:
            return parse_date(str(value), dayfirst=self.dayfirst)
        except ValidationError as e:
            self.add(field_name, e.message)
            return None

    def text(self, value: Any) -> str:
        return "" if _is_missing(value) else str(value)

    def writable(self, out: dict[str, Any]) -> None:
        """The boundary every record passes: text any file can hold, extras any file can hold.

        Text with characters no output format can write is refused (see
        :func:`~stakegraph.method.checks.unwritable`); extra attributes become
        plain Python values (numpy scalars and arrays too) or are refused.
        """
        for key, value in out.items():
            if key == "extra":
                out[key] = MappingProxyType(
                    {
                        k: plain_value(v, lambda msg, k=k: self.add("extra", f"extra attribute {k!r}: {msg}"))
                        for k, v in value.items()
                    }
                )
                for k in value:
                    self._text(f"extra attribute name {k!r}", k, "extra")
            elif isinstance(value, str):
                self._text(key, value, key)
            elif isinstance(value, tuple):
                for v in value:
                    if isinstance(v, str):
                        self._text(key, v, key)

    def _text(self, what: str, text: str, field_name: str) -> None:
        bad = unwritable(text)
        if bad is not None:
            self.add(field_name, f"{what} holds {bad}, which no file can hold; remove it")


_SEMICOLONS = re.compile("[;\uff1b]")  # ; and its full-width form
_ROLE_SEPARATORS = re.compile("[;,|\u3001\uff0c\uff1b]")  # roles may also be listed with , | 、 ，


def _split_list(value: Any, separators: re.Pattern[str] = _SEMICOLONS) -> list[str]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        return [s.strip() for s in separators.split(value) if s.strip()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s.strip() if isinstance(s, str) else s for s in value if not _is_missing(s)]
    return [value]


def _extra_items(c: "_Collector", value: Mapping[Any, Any], field_names: Sequence[str]) -> dict[str, Any]:
    """Items of an ``extra`` mapping: missing values dropped, field names refused."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        k = str(k)
        if k in field_names:
            c.add("extra", f"extra attribute {k!r} has the name of a field; set the field {k!r} itself")
        elif not _is_missing(v):
            out[k] = v
    return out


_PLAIN_DEPTH = 32

MAX_LEVEL = 1000
"""The deepest level of a reporting chart (no organisation has more; far beyond, the arithmetic would overflow)."""
MAX_POWER = 1e12
"""The largest power a person can be given (a relative weight: only ratios matter)."""


def plain_value(value: Any, problem: Any, depth: int = 0) -> Any:
    """An extra attribute as a value every format can hold: text, a number, a bool, a date, a list or a mapping.

    numpy scalars and arrays become Python numbers and lists; anything else,
    text no file can hold, non-finite numbers and nesting deeper than 32 are
    reported through ``problem(message)`` (the value is then returned as is).

    Examples
    --------
    >>> import numpy as np
    >>> plain_value(np.float32(0.5), print), plain_value(np.array([1, 2]), print)
    (0.5, [1, 2])
    >>> plain_value(object(), print) is not None
    holds a object, which no file can hold; give text, a number, a date, a list or a mapping
    True
    """
    if depth > _PLAIN_DEPTH:
        problem(f"is nested deeper than {_PLAIN_DEPTH} levels; flatten it")
        return value
    if hasattr(value, "dtype") and hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if value is None or isinstance(value, (bool, _dt.date)):
        return value
    if isinstance(value, str):
        bad = unwritable(value)
        if bad is not None:
            problem(f"holds {bad}, which no file can hold; remove it")
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            problem(f"is {value!r}; give a finite number or leave it empty")
        return value
    if isinstance(value, (list, tuple)):
        return [plain_value(v, problem, depth + 1) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain_value(v, problem, depth + 1) for k, v in value.items()}
    problem(
        f"holds a {type(value).__name__}, which no file can hold; give text, a number, a date, a list or a mapping"
    )
    return value


def parse_person(
    raw: Mapping[str, Any],
    where: Where = ("<graph>", None),
    *,
    vocabulary: VocabularySource = None,
    dayfirst: bool | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and convert one person's fields (raw strings or typed values).

    Words for stance, reason, roles and org are read through ``vocabulary``
    (default: the built-in :class:`~stakegraph.Vocabulary`); dates through
    :func:`~stakegraph.method.lexicon.parse_date` with ``dayfirst``.
    Returns the keyword arguments of :class:`Person` and the problems found.
    """
    c = _Collector(where, vocabulary, dayfirst)
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    pid = raw.get("id")
    if _is_missing(pid):
        c.add("id", "every person needs a non-empty id")
    else:
        out["id"] = str(pid).strip() if isinstance(pid, str) else str(pid)
    for key, value in raw.items():
        if key == "id":
            continue
        if key == "extra" and isinstance(value, Mapping):
            extra.update(_extra_items(c, value, PERSON_FIELDS))
            continue
        if key not in PERSON_FIELDS:
            if not _is_missing(value):
                extra[str(key)] = value
            continue
        if key in ("name", "title", "department", "owner", "needs", "interests", "notes"):
            out[key] = c.text(value)
        elif key == "org":
            if not _is_missing(value):
                v = c.enum(Org, key, value)
                if v is not None:
                    out[key] = v
        elif key == "stance":
            if not _is_missing(value):
                v = c.enum(Stance, key, value)
                if v is not None:
                    out[key] = v
        elif key == "reason":
            if not _is_missing(value):
                v = c.enum(Reason, key, value)
                if v is not None:
                    out[key] = v
        elif key == "roles":
            roles: list[Role] = []
            for r in _split_list(value, _ROLE_SEPARATORS):
                v = c.enum(Role, key, r)
                if v is not None and v not in roles:
                    roles.append(v)
            out[key] = tuple(roles)
        elif key == "level":
            if not _is_missing(value):
                x = c.number(key, value, 0, MAX_LEVEL, what=" (0 is the top of the chart)")
                if x is not None:
                    if x != int(x):
                        c.add(key, f"must be a whole number >= 0; got {value!r}")
                    else:
                        out[key] = int(x)
        elif key == "support":
            out[key] = _parse_support(c, value)
        elif key == "power":
            out[key] = c.number(key, value, 0, MAX_POWER, what=" (a relative weight)")
        elif key in ("openness", "relationship"):
            out[key] = c.number(key, value, 0, 1)
        elif key == "last_contact":
            out[key] = c.date(key, value)
    if extra:
        out["extra"] = MappingProxyType(extra)
    # a word that sets a second field: a stance naming its reason (懷疑者: a skeptic in doubt), a
    # buying role naming a stance (HubSpot's Champion, Blocker)
    for implied_field, (source_field, word, implied) in c.implied.items():
        if implied_field not in ("stance", "reason"):
            continue
        if _is_missing(raw.get(implied_field)):
            out[implied_field] = implied
        elif out.get(implied_field) is not None and out[implied_field] is not implied:
            c.add(
                implied_field,
                f"the {source_field} {word!r} means the {implied_field} {implied.value!r}, but the "
                f"{implied_field} column says {out[implied_field].value!r}; leave one of them out or make "
                "them agree",
            )
    if (
        out.get("reason") is not None
        and out.get("stance") is not None
        and out["stance"].supportive
        and out["reason"] is not Reason.BACKSLIDING
    ):
        stance = out["stance"].value
        article = "an" if stance[0] in "aeiou" else "a"
        c.add(
            "reason",
            f"{article} {stance} has no non-support reason; got {out['reason'].value!r} "
            "(reasons: doubt, misinformed, backsliding apply to people who are not supportive)",
        )
    c.writable(out)
    return out, c.problems


def _parse_support(c: _Collector, value: Any) -> float | None:
    if _is_missing(value):
        return None
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        try:
            n, d = _float(num), _float(den)
        except ValueError:
            c.add("support", f"{value!r} is not a number or a rating like '3/5'")
            return None
        if not (math.isfinite(n) and math.isfinite(d)):
            c.add("support", f"{value!r} is not a rating: give finite numbers, like '3/5'")
            return None
        if d <= 0 or not abs(n) <= d:
            c.add("support", f"a rating must lie between -{den.strip()} and +{den.strip()}; got {value!r}")
            return None
        return n / d
    x = c.number("support", value, -5, 5, what=" ([-1, 1], or a -5..+5 rating divided by 5)")
    if x is None:
        return None
    return x / 5.0 if abs(x) > 1 else x


def parse_tie(
    raw: Mapping[str, Any],
    where: Where = ("<graph>", None),
    *,
    vocabulary: VocabularySource = None,
    strength_scale: float | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and convert one tie's fields. Returns the keyword arguments of :class:`Tie` and problems.

    ``strength_scale`` reads strengths written on a scale from 0 to that
    number (5 for a 1-5 rating, 100 for percentages) and divides them by it;
    without it strengths are in (0, 1].
    """
    c = _Collector(where, vocabulary)
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for end in ("source", "target"):
        v = raw.get(end)
        if _is_missing(v):
            c.add(end, f"every tie needs a {end} (a person id)")
        else:
            out[end] = str(v).strip() if isinstance(v, str) else str(v)
    kind = raw.get("kind")
    if _is_missing(kind):
        c.add("kind", f"every tie needs a kind. Allowed: {', '.join(TieKind.allowed())}.")
    else:
        k = c.enum(TieKind, "kind", kind)
        if k is not None:
            out["kind"] = k
    s = raw.get("strength")
    if isinstance(s, float) and math.isnan(s):  # NaN is a bad value here, not a missing one
        c.add("strength", f"must be a number in (0, 1]; got {s!r}")
    elif _is_missing(s):
        out["strength"] = 1.0
    elif strength_scale is None:
        x = c.number("strength", s, 0, 1, lo_open=True)
        if x is not None:
            out["strength"] = x
        elif c.problems and _above_one(s):
            last = c.problems[-1]
            c.problems[-1] = replace(last, message=last.message + _STRENGTH_HINT)
    else:
        x = c.number(
            "strength", s, 0, strength_scale, lo_open=True, what=f" (strength_scale={strength_scale:g})"
        )
        if x is not None:
            out["strength"] = min(x / strength_scale, 1.0)
    out["note"] = c.text(raw.get("note"))
    for key, value in raw.items():
        if key in TIE_FIELDS:
            continue
        if key == "extra" and isinstance(value, Mapping):
            extra.update(_extra_items(c, value, TIE_FIELDS))
        elif not _is_missing(value):
            extra[str(key)] = value
    if extra:
        out["extra"] = MappingProxyType(extra)
    if "source" in out and "target" in out and out["source"] == out["target"]:
        c.add("target", f"a tie from {out['source']!r} to itself is not allowed (self tie)")
    c.writable(out)
    return out, c.problems


_STRENGTH_HINT = "; if the file rates ties 1-5 or 0-100, pass strength_scale=5 or strength_scale=100"


def _above_one(value: Any) -> bool:
    try:
        return _float(value) > 1
    except (TypeError, ValueError):
        return False


def parse_deal(
    raw: Mapping[str, Any],
    where: Where = ("<deal>", None),
    *,
    vocabulary: VocabularySource = None,
    dayfirst: bool | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and convert the deal's fields (the stage through ``vocabulary``, dates with ``dayfirst``)."""
    c = _Collector(where, vocabulary, dayfirst)
    out: dict[str, Any] = {"extra": {}}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "name":
            out[key] = c.text(value)
        elif key == "stage":
            out[key] = None if _is_missing(value) else c.enum(Stage, key, value)
        elif key in ("decision_date", "as_of"):
            out[key] = c.date(key, value)
        elif key == "competitors":
            out[key] = tuple(str(x) for x in _split_list(value))
        elif key == "extra" and isinstance(value, Mapping):
            extra.update(_extra_items(c, value, DEAL_FIELDS))
        elif not _is_missing(value):
            extra[str(key)] = value
    out["extra"] = MappingProxyType(extra) if extra else _EMPTY
    c.writable(out)
    return out, c.problems


@dataclass(frozen=True)
class Source:
    """Where part of a graph was read from: a file, its format, and the text encoding it was read in.

    ``confidence`` (0..1) says how sure the encoding is: 1 for a byte-order
    mark, UTF-8 or an encoding passed by the caller; lower for one detected.
    """

    file: str
    format: str
    encoding: str = ""
    confidence: float = 1.0
    records: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The source as a plain dict."""
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "confidence": self.confidence,
            "records": self.records,
        }


# ----------------------------------------------------------------------------- graph
class StakeholderGraph:
    """A customer organisation as a weighted influence graph, with the deal.

    Parameters
    ----------
    people : iterable of Person, optional
    ties : iterable of Tie, optional
    deal : Deal, optional
    model : InfluenceModel, optional
        How ties carry influence; every analysis reads it (default: the
        documented defaults of :class:`InfluenceModel`).

    Notes
    -----
    Mutations (:meth:`add_person`, :meth:`add_tie`, :meth:`set_stance`,
    :meth:`update_person`, :meth:`remove_tie`, :meth:`remove_person`,
    :meth:`set_deal`) validate first and change nothing when they fail. The
    compiled sparse view used by analyses is cached on the graph and dropped by
    any mutation.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> g.deal.stage.value, len(g) > 25
    ('deep_contact', True)
    """

    def __init__(
        self,
        people: Iterable[Person] = (),
        ties: Iterable[Tie] = (),
        deal: Deal | None = None,
        *,
        model: InfluenceModel | None = None,
    ) -> None:
        self._people: dict[str, Person] = {}
        self._ties: dict[tuple[str, str, str], Tie] = {}
        self._manager: dict[str, str] = {}
        self._deal = deal if deal is not None else Deal()
        self._model = model if model is not None else DEFAULT_MODEL
        self._cache: dict[str, Any] = {}
        self._version = 0
        self._provenance: tuple[Source, ...] = ()
        self._observations: list[Observation] = []
        people = list(people)
        ties = list(ties)
        if people or ties:
            problems = _check_structure(
                [(p, ("<graph>", None)) for p in people], [(t, ("<graph>", None)) for t in ties]
            )
            if problems:
                raise ValidationError(problems)
            self._people = {p.id: p for p in people}
            for t in ties:
                self._ties[t.key] = _canonical(t)
            self._manager = {t.source: t.target for t in ties if t.kind is TieKind.REPORTS_TO}

    # -- construction from rows -------------------------------------------------
    @classmethod
    def from_records(
        cls,
        people: Iterable[Mapping[str, Any]],
        ties: Iterable[Mapping[str, Any]] = (),
        deal: Mapping[str, Any] | Deal | None = None,
        *,
        people_where: Sequence[Where] | None = None,
        ties_where: Sequence[Where] | None = None,
        model: InfluenceModel | None = None,
        vocabulary: VocabularySource = None,
        duplicates: str = "error",
        strength_scale: float | None = None,
        dayfirst: bool | None = None,
        provenance: Sequence[Source] = (),
        observations: Iterable[Mapping[str, Any]] = (),
        observations_where: Sequence[Where] | None = None,
    ) -> "StakeholderGraph":
        """Build a graph from plain records, collecting every problem into one error.

        Parameters
        ----------
        people, ties : iterables of mappings
            Field name -> value (strings as read from a file, or typed values).
            Unknown fields are kept as extra attributes.
        deal : mapping or Deal, optional
        people_where, ties_where : sequences of (file, line), optional
            Where each record came from, used in error messages.
        model : InfluenceModel, optional
        vocabulary : Vocabulary, mapping or TOML path, optional
            The words accepted for stances, reasons, roles, tie kinds, sides
            and stages (default: the built-in :class:`~stakegraph.Vocabulary`).
        duplicates : {"error", "max", "sum", "last"}, default "error"
            A tie listed twice (one kind between one pair). A mutual tie
            (friend, rival, knows) listed from both ends with the same
            strength is one tie whatever this says. Otherwise ``"error"``
            reports it; ``"max"`` keeps the larger strength, ``"sum"`` adds
            the strengths (at most 1), ``"last"`` keeps the later record.
        strength_scale : float, optional
            Strengths are written from 0 to this (5, 100) instead of (0, 1].
        dayfirst : bool, optional
            How to read a date such as 04/03/2026 (None: such a date is an error).
        provenance : sequence of Source, optional
            The files the records were read from (kept as :attr:`provenance`).
        observations : iterable of mappings, optional
            Informants' reports (fields of :class:`~stakegraph.Observation`),
            checked as :meth:`observe` checks them; ``observations_where``
            locates them.

        Raises
        ------
        ValidationError
            With one problem per bad value, duplicate id, unknown person,
            self tie, second manager or reporting cycle.

        Examples
        --------
        >>> g = StakeholderGraph.from_records(
        ...     [{"id": "a", "stance": "ally"}, {"id": "b", "roles": "decision_maker;approver"}],
        ...     [{"source": "a", "target": "b", "kind": "advises", "strength": "0.5"}])
        >>> [r.value for r in g.person("b").roles]
        ['decision_maker', 'approver']
        """
        people = list(people)
        ties = list(ties)
        pw = list(people_where) if people_where is not None else []
        tw = list(ties_where) if ties_where is not None else []
        pw += [("<people>", i + 1) for i in range(len(pw), len(people))]  # never drop a record
        tw += [("<ties>", i + 1) for i in range(len(tw), len(ties))]
        problems: list[Problem] = []
        persons: list[tuple[Person, Where]] = []
        if duplicates not in _DUPLICATES:
            raise ValidationError(
                f"The 'duplicates' parameter must be one of {', '.join(map(repr, _DUPLICATES))}. "
                f"Got {duplicates!r} instead."
            )
        if strength_scale is not None and not (
            isinstance(strength_scale, (int, float))
            and not isinstance(strength_scale, bool)
            and 0 < strength_scale < math.inf
        ):
            raise ValidationError(
                f"The 'strength_scale' parameter must be a number above 0 (5 for a 1-5 rating, 100 for "
                f"percentages) or None. Got {strength_scale!r} instead."
            )
        if dayfirst is not None and not isinstance(dayfirst, bool):
            raise ValidationError(
                f"The 'dayfirst' parameter must be True, False or None. Got {dayfirst!r} instead."
            )
        vocab = Vocabulary.of(vocabulary)
        for rec, w in zip(people, pw):
            kw, probs = parse_person(rec, w, vocabulary=vocab, dayfirst=dayfirst)
            problems += probs
            if not probs and "id" in kw:
                persons.append((Person(**kw), w))
            elif "id" in kw:
                persons.append((Person(id=kw["id"]), w))  # keep the id for the structural checks
        tie_objs: list[tuple[Tie, Where]] = []
        for rec, w in zip(ties, tw):
            kw, probs = parse_tie(rec, w, vocabulary=vocab, strength_scale=strength_scale)
            problems += probs
            if not probs:
                tie_objs.append((Tie(**kw), w))
        tie_objs, probs = _merge_duplicates(tie_objs, duplicates)
        problems += probs
        deal_obj: Deal
        if deal is None:
            deal_obj = Deal()
        elif isinstance(deal, Deal):
            deal_obj = deal
        else:
            kw, probs = parse_deal(deal, vocabulary=vocab, dayfirst=dayfirst)
            problems += probs
            deal_obj = Deal(**kw) if not probs else Deal()
        problems += _check_structure(persons, tie_objs)
        obs = list(observations)
        ow = list(observations_where) if observations_where is not None else []
        ow += [("<observations>", i + 1) for i in range(len(ow), len(obs))]
        known = {p.id for p, _ in persons}
        reports: list[Observation] = []
        for rec, w in zip(obs, ow):
            kw, probs = parse_observation(rec, w, vocabulary=vocab, dayfirst=dayfirst)
            probs += _unknown_people(kw, known, w)
            problems += probs
            if not probs:
                reports.append(Observation(**kw))
        if problems:
            raise ValidationError(problems)
        g = cls(deal=deal_obj, model=model)
        g._people = {p.id: p for p, _ in persons}
        for t, _ in tie_objs:
            g._ties[t.key] = _canonical(t)
        g._manager = {t.source: t.target for t, _ in tie_objs if t.kind is TieKind.REPORTS_TO}
        g._provenance = tuple(provenance)
        g._observations = reports
        return g

    @classmethod
    def _from_trusted(
        cls,
        people: Iterable[Person],
        ties: Iterable[Tie],
        deal: Deal | None = None,
        *,
        model: InfluenceModel | None = None,
    ) -> "StakeholderGraph":
        """Internal fast path: a graph from values the library built itself, without checks.

        Not part of the public API. For generators inside the library (such as
        :func:`stakegraph.datasets.synthetic_org`) whose people and ties satisfy
        every rule by construction: typed field values, unique ids, ties between
        known people, no self ties, no duplicate ties, at most one ``reports_to``
        manager each and no reporting cycle. Nothing of that is checked here, so
        a wrong input gives a broken graph; user data goes through
        :meth:`from_records` or the constructor instead. Mutual ties are stored
        with the smaller id as source, as everywhere else.
        """
        g = cls(deal=deal, model=model)
        g._people = {p.id: p for p in people}
        store = g._ties
        kinds = {k: (k.value, k.mutual) for k in TieKind}  # Tie.key without re-parsing the kind
        for t in ties:
            value, mutual = kinds[t.kind]
            if mutual and t.target < t.source:
                t = _canonical(t)
            store[(t.source, t.target, value)] = t
        g._manager = {t.source: t.target for t in store.values() if t.kind is TieKind.REPORTS_TO}
        return g

    # -- read access --------------------------------------------------------------
    @property
    def people(self) -> Mapping[str, Person]:
        """Read-only mapping of id -> :class:`Person`, in insertion order."""
        return MappingProxyType(self._people)

    @property
    def ties(self) -> tuple[Tie, ...]:
        """All ties, in insertion order."""
        return tuple(self._ties.values())

    @property
    def deal(self) -> Deal:
        """The :class:`Deal`."""
        return self._deal

    @property
    def provenance(self) -> tuple[Source, ...]:
        """The files this graph was read from, with the encoding of each (empty for a graph built in code).

        Examples
        --------
        >>> import io, stakegraph as sg
        >>> g = sg.read_csv(io.BytesIO("id,name\\nwang,王建國\\n".encode("big5")))
        >>> [(s.file, s.encoding) for s in g.provenance]
        [('<people.csv>', 'big5')]
        """
        return getattr(self, "_provenance", ())

    @property
    def observations(self) -> tuple[Observation, ...]:
        """What the informants reported, in the order recorded (see :meth:`observe` and :func:`stakegraph.fuse`)."""
        return tuple(getattr(self, "_observations", ()))

    @property
    def model(self) -> InfluenceModel:
        """The :class:`InfluenceModel` analyses use by default."""
        return self._model

    @model.setter
    def model(self, value: InfluenceModel) -> None:
        if not isinstance(value, InfluenceModel):
            raise ValidationError(f"model must be an InfluenceModel; got {type(value).__name__}")
        self._model = value
        self._changed()

    @property
    def version(self) -> int:
        """A counter that grows with every successful mutation."""
        return self._version

    def person(self, person_id: str) -> Person:
        """The person with ``person_id``; :class:`UnknownPersonError` if absent."""
        try:
            return self._people[person_id]
        except KeyError:
            raise UnknownPersonError(person_id, self._people) from None

    def manager(self, person_id: str) -> str | None:
        """The id of the person ``person_id`` reports to, or None."""
        self.person(person_id)
        return self._manager.get(person_id)

    def tie(self, source: str, target: str, kind: str | TieKind) -> Tie:
        """The tie (source, target, kind); :class:`KeyError` subclass if absent."""
        key = tie_key(source, target, kind)
        if key not in self._ties:
            raise NoTieError(f"no {key[2]} tie between {source!r} and {target!r}")
        return self._ties[key]

    def ties_of(self, person_id: str) -> list[Tie]:
        """Every tie with ``person_id`` at either end."""
        self.person(person_id)
        return [t for t in self._ties.values() if person_id in (t.source, t.target)]

    def ids(self, org: str | Org | None = None) -> list[str]:
        """Ids of everyone, or of one side (``org="customer"``)."""
        if org is None:
            return list(self._people)
        o = Org.parse(org)
        return [i for i, p in self._people.items() if p.org is o]

    def with_role(self, role: str | Role) -> list[str]:
        """Ids of the people holding ``role``."""
        r = Role.parse(role)
        return [i for i, p in self._people.items() if r in p.roles]

    def decision_makers(self) -> list[str]:
        """Ids of customer people with the ``decision_maker`` role."""
        return [
            i for i, p in self._people.items() if Role.DECISION_MAKER in p.roles and p.org is Org.CUSTOMER
        ]

    def levels(self) -> dict[str, int]:
        """Each person's level: as given, else one below their manager (0 at the top)."""
        out: dict[str, int] = {}
        for pid in self._people:
            chain = []
            cur: str | None = pid
            while cur is not None and cur not in out:
                p = self._people[cur]
                if p.level is not None:
                    out[cur] = p.level
                    break
                chain.append(cur)
                cur = self._manager.get(cur)
            base = out[cur] if cur is not None else -1
            for node in reversed(chain):
                base += 1
                out[node] = base
        return {pid: out[pid] for pid in self._people}

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._people

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StakeholderGraph):
            return NotImplemented
        return (
            self._people == other._people
            and self._ties == other._ties
            and self._deal == other._deal
            and self.observations == other.observations
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n_c = sum(1 for p in self._people.values() if p.org is Org.CUSTOMER)
        stage = self._deal.stage.value if self._deal.stage else "no stage"
        name = f" {self._deal.name!r}" if self._deal.name else ""
        return (
            f"<StakeholderGraph{name}: {len(self._people)} people ({n_c} customer), "
            f"{len(self._ties)} ties, {stage}>"
        )

    def _repr_html_(self) -> str:
        from .results import graph_html

        return graph_html(self)

    # -- mutations ----------------------------------------------------------------
    def _changed(self) -> None:
        self._cache.clear()
        self._version += 1

    def add_person(self, person_id: str, **fields_: Any) -> None:
        """Add a person; fields as in :class:`Person` (strings or typed values).

        Raises
        ------
        ValidationError
            If the id exists already or a field is invalid (nothing changes).

        Examples
        --------
        >>> g = StakeholderGraph()
        >>> g.add_person("li", name="Li Wei", roles=["evaluator"], stance="skeptic", reason="doubt")
        >>> g.add_person("li")
        Traceback (most recent call last):
        ...
        stakegraph.errors.ValidationError: <graph>: id: duplicate id 'li': a person with this id exists already
        """
        if "id" in fields_:
            raise ValidationError(
                Problem(
                    f"the id is the first argument; got a second one, id={fields_['id']!r}",
                    "<graph>",
                    None,
                    "id",
                )
            )
        kw, problems = parse_person({"id": person_id, **fields_})
        if "id" in kw and kw["id"] in self._people:
            problems.append(
                Problem(
                    f"duplicate id {kw['id']!r}: a person with this id exists already", "<graph>", None, "id"
                )
            )
        if problems:
            raise ValidationError(problems)
        self._people[kw["id"]] = Person(**kw)
        self._changed()

    def update_person(self, person_id: str, **fields_: Any) -> None:
        """Change some fields of a person (``None`` clears a field); validates first."""
        old = self.person(person_id)
        if "id" in fields_:
            raise ValidationError(
                Problem("a person's id cannot be changed; add a new person instead", "<graph>", None, "id")
            )
        rec = old.to_record()
        rec.update(fields_)
        kw, problems = parse_person(rec)
        if problems:
            raise ValidationError(problems)
        new = Person(**kw)
        self._people[person_id] = new
        self._changed()

    def set_stance(self, person_id: str, stance: str | Stance, reason: str | Reason | None = None) -> None:
        """Set a person's stance (and reason); the explicit ``support`` value is cleared.

        Examples
        --------
        >>> g = StakeholderGraph(); g.add_person("li")
        >>> g.set_stance("li", "skeptic", reason="doubt"); g.person("li").reason.value
        'doubt'
        """
        self.person(person_id)
        self.update_person(person_id, stance=stance, reason=reason, support=None)

    def remove_person(self, person_id: str) -> None:
        """Remove a person and every tie they are on."""
        self.person(person_id)
        del self._people[person_id]
        self._ties = {k: t for k, t in self._ties.items() if person_id not in (t.source, t.target)}
        self._manager = {a: b for a, b in self._manager.items() if person_id not in (a, b)}
        self._observations = [o for o in self.observations if person_id not in (o.subject, o.target)]
        self._changed()

    def observe(
        self,
        informant: str,
        about: str,
        subject: str,
        value: Any,
        *,
        target: str | None = None,
        present: bool = True,
        strength: float | None = None,
        date: str | _dt.date | None = None,
        confidence: float = 1.0,
        note: str = "",
    ) -> None:
        """Record what an informant reported (validated like every mutation; nothing changes on a problem).

        Parameters
        ----------
        informant : str
            Who reported it: a person id (our rep, the coach, the partner) or a
            free label such as ``"trade press"``.
        about : {"stance", "reason", "role", "tie"}
        subject : str
            The person reported on (a tie's source).
        value : str or enum
            The stance, reason, role or tie kind reported (the vocabulary's
            words are accepted: ``"支持者"``, ``"Economic Buyer"``).
        target : str, optional
            A tie's target.
        present : bool, default True
            False for "there is no such tie" or "they do not have this role".
        strength : float, optional
            A reported tie's strength in (0, 1].
        date : date or str, optional
        confidence : float, default 1
            How sure the informant was, in (0, 1].
        note : str, optional

        Raises
        ------
        ValidationError
            For a bad field, or a subject or target not in the graph.

        Examples
        --------
        >>> g = StakeholderGraph()
        >>> for pid in ("cfo", "cio", "rep"): g.add_person(pid)
        >>> g.observe("rep", "tie", "cio", "advises", target="cfo", strength=0.6, date="2026-10-02")
        >>> g.observe("coach", "tie", "cio", "advises", target="cfo", present=False)
        >>> [(o.informant, o.present) for o in g.observations]
        [('rep', True), ('coach', False)]
        """
        raw = {
            "informant": informant,
            "about": about,
            "subject": subject,
            "target": target,
            "value": value,
            "present": present,
            "strength": strength,
            "date": date,
            "confidence": confidence,
            "note": note,
        }
        kw, problems = parse_observation(raw)
        problems += _unknown_people(kw, self._people, ("<graph>", None))
        if problems:
            raise ValidationError(problems)
        self._observations = [*self.observations, Observation(**kw)]
        self._changed()

    def add_tie(
        self,
        source: str,
        target: str,
        kind: str | TieKind,
        strength: float = 1.0,
        *,
        note: str = "",
        **extra: Any,
    ) -> None:
        """Add a tie; ``source`` and ``target`` must exist.

        Raises
        ------
        ValidationError
            For an unknown kind, a strength outside (0, 1], a self tie, a tie
            that exists already (use :meth:`update_tie`), a second manager or a
            reporting cycle. Nothing changes.

        Examples
        --------
        >>> g = StakeholderGraph(); g.add_person("a"); g.add_person("b")
        >>> g.add_tie("a", "b", "reports_to")
        >>> g.add_tie("b", "a", "reports_to")
        Traceback (most recent call last):
        ...
        stakegraph.errors.ValidationError: <graph>: target: reports_to cycle: b -> a -> b
        """
        kw, problems = parse_tie(
            {"source": source, "target": target, "kind": kind, "strength": strength, "note": note, **extra}
        )
        if problems:
            raise ValidationError(problems)
        t = _canonical(Tie(**kw))
        problems = self._tie_problems(t)
        if t.key in self._ties:
            problems.append(
                Problem(
                    f"a {t.kind.value} tie between {t.source!r} and {t.target!r} exists already; "
                    "use update_tie to change it",
                    "<graph>",
                    None,
                    "kind",
                )
            )
        if problems:
            raise ValidationError(problems)
        self._ties[t.key] = t
        if t.kind is TieKind.REPORTS_TO:
            self._manager[t.source] = t.target
        self._changed()

    def update_tie(
        self,
        source: str,
        target: str,
        kind: str | TieKind,
        *,
        strength: float | None = None,
        note: str | None = None,
        **extra: Any,
    ) -> None:
        """Change the strength, note or extra attributes of an existing tie."""
        old = self.tie(source, target, kind)
        rec = old.to_record()
        if strength is not None:
            rec["strength"] = strength
        if note is not None:
            rec["note"] = note
        rec.update(extra)
        kw, problems = parse_tie(rec)
        if problems:
            raise ValidationError(problems)
        self._ties[old.key] = _canonical(Tie(**kw))
        self._changed()

    def remove_tie(self, source: str, target: str, kind: str | TieKind | None = None) -> None:
        """Remove the tie of ``kind`` between two people (every kind when ``kind`` is None)."""
        self.person(source)
        self.person(target)
        if kind is None:
            keys = [
                k
                for k, t in self._ties.items()
                if {t.source, t.target} == {source, target}
                and (t.kind.mutual or (t.source, t.target) == (source, target))
            ]
        else:
            keys = [tie_key(source, target, kind)]
            keys = [k for k in keys if k in self._ties]
        if not keys:
            raise NoTieError(f"no {kind or ''} tie from {source!r} to {target!r}".replace("  ", " "))
        for k in keys:
            t = self._ties.pop(k)
            if t.kind is TieKind.REPORTS_TO:
                self._manager.pop(t.source, None)
        self._changed()

    def set_deal(self, **fields_: Any) -> None:
        """Change fields of the deal (name, stage, decision_date, competitors, as_of, extras)."""
        rec = self._deal.to_record()
        rec.update(fields_)
        kw, problems = parse_deal(rec)
        if problems:
            raise ValidationError(problems)
        self._deal = Deal(**kw)
        self._changed()

    def _tie_problems(self, t: Tie) -> list[Problem]:
        problems = []
        for end in ("source", "target"):
            pid = getattr(t, end)
            if pid not in self._people:
                problems.append(Problem(str(UnknownPersonError(pid, self._people)), "<graph>", None, end))
        if problems:
            return problems
        if t.kind is TieKind.REPORTS_TO:
            cur = self._manager.get(t.source)
            if cur is not None and cur != t.target:
                problems.append(
                    Problem(
                        f"{t.source!r} already reports to {cur!r}; a person has one reports_to manager; "
                        "use dotted_line for a second one",
                        "<graph>",
                        None,
                        "kind",
                    )
                )
            chain = [t.source, t.target]
            node = t.target
            while node in self._manager and len(chain) <= len(self._people) + 1:
                node = self._manager[node]
                chain.append(node)
                if node == t.source:
                    problems.append(
                        Problem(f"reports_to cycle: {' -> '.join(chain)}", "<graph>", None, "target")
                    )
                    break
        return problems

    # -- copies and conversions -----------------------------------------------------
    def copy(self, *, observations: bool = True) -> "StakeholderGraph":
        """An independent copy (people and ties are immutable values, so this is cheap).

        ``observations=False`` leaves the informants' reports out, as formats
        that cannot hold them (GraphML, GEXF, DataFrames) do.
        """
        g = StakeholderGraph(deal=self._deal, model=self._model)
        g._people = dict(self._people)
        g._ties = dict(self._ties)
        g._manager = dict(self._manager)
        g._provenance = self._provenance
        g._observations = list(self.observations) if observations else []
        return g

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}  # the compiled view is rebuilt on demand
        return state

    def __copy__(self) -> "StakeholderGraph":
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> "StakeholderGraph":
        return self.copy()

    def snapshot(self, as_of: str | _dt.date | None = None) -> "StakeholderGraph":
        """A copy dated ``as_of`` (default today), to keep the account's state over time.

        Examples
        --------
        >>> g = StakeholderGraph()
        >>> g.snapshot("2026-11-01").deal.as_of.isoformat()
        '2026-11-01'
        """
        g = self.copy()
        g.set_deal(as_of=as_of if as_of is not None else _dt.date.today())
        return g

    def anonymise(self, *, salt: str = "") -> "StakeholderGraph":
        """A copy with stable pseudonyms (see :func:`stakegraph.privacy.anonymise`)."""
        from .privacy import anonymise

        return anonymise(self, salt=salt)

    anonymize = anonymise

    def to_json(self, path: Any = None, *, indent: int | None = 2) -> str | None:
        """Write the graph as one JSON document (see :func:`stakegraph.write_json`)."""
        from .io.jsonio import write_json

        return write_json(self, path, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """The graph as the JSON document's dict (``{"stakegraph": 1, ...}``)."""
        from .io.jsonio import graph_to_dict

        return graph_to_dict(self)

    def to_networkx(self) -> Any:
        """The graph as a networkx MultiDiGraph (see :func:`stakegraph.to_networkx`)."""
        from .io.nxio import to_networkx

        return to_networkx(self)

    def to_frames(self) -> Any:
        """(people, ties) pandas DataFrames (needs the ``pandas`` extra)."""
        from .io.frames import to_frames

        return to_frames(self)

    def compiled(self, model: InfluenceModel | None = None) -> CompiledGraph:
        """The cached compiled view (index of people and sparse matrices per layer), under ``model``.

        A thin facade over :func:`stakegraph._compiled.compile`, imported on call: the model
        layer does not import the compiled view at module level.
        """
        from ._compiled import compile

        return compile(self, model)


def _canonical(t: Tie) -> Tie:
    if t.kind.mutual and t.target < t.source:
        return replace(t, source=t.target, target=t.source)
    return t


_DUPLICATES = ("error", "max", "sum", "last")


def _merge_duplicates(
    ties: list[tuple[Tie, Where]], policy: str
) -> tuple[list[tuple[Tie, Where]], list[Problem]]:
    """One tie per (source, target, kind): a mutual tie listed from both ends with one strength silently,
    the other repeats by ``policy`` ("error" leaves them for the structural check to report)."""
    first: dict[tuple[str, str, str], int] = {}
    out: list[tuple[Tie, Where]] = []
    for t, w in ties:
        k = t.key
        if k not in first:
            first[k] = len(out)
            out.append((t, w))
            continue
        i = first[k]
        kept, where = out[i]
        if (
            t.kind.mutual
            and t.source == kept.target
            and t.strength == kept.strength
            and t.note in ("", kept.note)
        ):
            continue  # the same friendship (rivalry, acquaintance) seen from its other end
        if policy == "error":
            out.append((t, w))  # reported as a duplicate by _check_structure, at its line
        elif policy == "max":
            out[i] = (
                kept if kept.strength >= t.strength else replace(t, source=kept.source, target=kept.target),
                where,
            )
        elif policy == "sum":
            out[i] = (replace(kept, strength=min(kept.strength + t.strength, 1.0)), where)
        else:  # last
            out[i] = (replace(t, source=kept.source, target=kept.target), where)
    return out, []


def _unknown_people(kw: Mapping[str, Any], known: Any, where: Where) -> list[Problem]:
    """A report's subject and target must be people of the graph."""
    out = []
    for end in ("subject", "target"):
        pid = kw.get(end)
        if pid is not None and pid not in known:
            out.append(Problem(str(UnknownPersonError(pid, known)), where[0], where[1], end))
    return out


def _check_structure(people: list[tuple[Person, Where]], ties: list[tuple[Tie, Where]]) -> list[Problem]:
    """Graph-level checks: duplicate ids and ties, unknown people, two managers, reporting cycles."""
    problems: list[Problem] = []
    seen: dict[str, Where] = {}
    for p, w in people:
        if p.id in seen:
            first = seen[p.id]
            at = f" (first on line {first[1]})" if first[1] is not None else ""
            problems.append(Problem(f"duplicate id {p.id!r}{at}", w[0], w[1], "id"))
        else:
            seen[p.id] = w
    tie_seen: dict[tuple[str, ...], Where] = {}
    manager: dict[str, tuple[str, Where]] = {}
    for t, w in ties:
        bad = False
        for end in ("source", "target"):
            pid = getattr(t, end)
            if pid not in seen:
                problems.append(
                    Problem(
                        str(UnknownPersonError(pid, seen)).replace("in the graph", "in the people"),
                        w[0],
                        w[1],
                        end,
                    )
                )
                bad = True
        if t.key in tie_seen:
            first = tie_seen[t.key]
            at = f" (first on line {first[1]})" if first[1] is not None else ""
            problems.append(
                Problem(
                    f"duplicate {t.kind.value} tie between {t.source!r} and {t.target!r}{at}; "
                    "two ties of one kind between one pair are one tie: remove one, or pass "
                    "duplicates='max', 'sum' or 'last' to merge them",
                    w[0],
                    w[1],
                    "kind",
                )
            )
            continue
        tie_seen[t.key] = w
        if bad:
            continue
        if t.kind is TieKind.REPORTS_TO:
            if t.source in manager:
                other, w0 = manager[t.source]
                problems.append(
                    Problem(
                        f"{t.source!r} reports to both {other!r} and {t.target!r}; a person has one reports_to "
                        "manager; use dotted_line for the second",
                        w[0],
                        w[1],
                        "kind",
                    )
                )
            else:
                manager[t.source] = (t.target, w)
    # cycles in reports_to
    state: dict[str, int] = {}
    for start in manager:
        if start in state:
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = manager[node][0] if node in manager else None
        if node is not None and state.get(node) == 1 and node in path:
            cyc = path[path.index(node) :] + [node]
            w = manager[cyc[-2]][1]
            problems.append(Problem(f"reports_to cycle: {' -> '.join(cyc)}", w[0], w[1], "target"))
        for n in path:
            state[n] = 2
    return problems


def check_graph(g: Any, func: str, name: str = "g") -> None:
    """Raise ValidationError unless ``g`` is a StakeholderGraph.

    Examples
    --------
    >>> check_graph("people.csv", "rank")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'g' parameter of rank must be a StakeholderGraph. Got str instead.
    """
    if not isinstance(g, StakeholderGraph):
        raise ValidationError(
            f"The {name!r} parameter of {func} must be a StakeholderGraph. Got {type(g).__name__} instead."
        )
