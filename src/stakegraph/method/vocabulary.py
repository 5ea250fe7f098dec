"""The vocabularies of the method and their semantics: stances with their support values and cut-offs,
reasons, roles and the decision group, tie kinds, sides, stages with their percentages.

This is the one place where a support value becomes a stance class: the
model, every analysis and every view classify through :func:`stance_of`,
:func:`stance_codes`, :func:`opposition_codes`, :func:`is_active_for_us`
and :func:`is_active_against_us`.

Every enum is a ``str`` enum: its members compare equal to their string value,
so ``Stance.ALLY == "ally"`` and plain strings can be used anywhere an enum is
expected.

Examples
--------
>>> Stance.ALLY.value, Stance.ALLY.support
('ally', 0.75)
>>> Stage.DEEP_CONTACT.probability
0.3
>>> Stance.parse("Champion")
<Stance.CHAMPION: 'champion'>
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from ..errors import ValidationError, closest

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "ACTIVE_SUPPORT",
    "HOSTILE_BELOW",
    "STANCE_CUTOFFS",
    "Org",
    "Reason",
    "Role",
    "Stage",
    "Stance",
    "Term",
    "TieKind",
    "in_decision_group",
    "is_active_against_us",
    "is_active_for_us",
    "opposition_codes",
    "stance_codes",
    "stance_of",
]

E = TypeVar("E", bound="Term")


class Term(str, Enum):
    """A value of the method (stance, reason, role, tie kind, side, stage): a str enum that parses user
    text with a helpful error."""

    @classmethod
    def allowed(cls) -> list[str]:
        """The allowed values, in their documented order."""
        return [m.value for m in cls]

    @classmethod
    def parse(cls: type[E], value: object, *, what: str | None = None) -> E:
        """Parse ``value`` (a member or its name, any case) or raise ValidationError."""
        if isinstance(value, cls):
            return value
        what = what or cls._what()
        if isinstance(value, str):
            key = value.strip().lower().replace(" ", "_").replace("-", "_")
            member = cls._value2member_map_.get(key)  # a dict lookup: loaders parse many values
            if member is not None:
                return member  # type: ignore[return-value]
        article = "an" if what[:1] in "aeiou" else "a"
        text = f"{value!r} is not {article} {what}"
        hint = closest(str(value).strip().lower(), cls.allowed())
        text += f"; did you mean {hint!r}?" if hint else "."
        text += f" Allowed: {', '.join(cls.allowed())}."
        raise ValidationError(text)

    @classmethod
    def _what(cls) -> str:
        return cls.__name__.lower()

    def __str__(self) -> str:
        return str(self.value)


class Stance(Term):
    """A person's stance toward us, with its support value (``unknown`` has none)."""

    CHAMPION = "champion"
    ALLY = "ally"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    HOSTILE = "hostile"
    UNKNOWN = "unknown"

    @property
    def support(self) -> float:
        """The stance's value in [-1, 1]; ``nan`` for ``unknown`` (never silently 0)."""
        return _STANCE_VALUE[self]

    @property
    def supportive(self) -> bool:
        """True for champion, ally and supporter."""
        return self in (Stance.CHAMPION, Stance.ALLY, Stance.SUPPORTER)

    @classmethod
    def from_support(cls, value: float | None) -> Stance:
        """The stance class of a support value (``unknown`` for None or nan); see :func:`stance_of`."""
        return stance_of(value)


_STANCE_VALUE = {
    Stance.CHAMPION: 1.0,
    Stance.ALLY: 0.75,
    Stance.SUPPORTER: 0.5,
    Stance.NEUTRAL: 0.0,
    Stance.SKEPTIC: -0.5,
    Stance.HOSTILE: -1.0,
    Stance.UNKNOWN: math.nan,
}


class Reason(Term):
    """Why a person is not (or no longer) supportive; each calls for a different action."""

    DOUBT = "doubt"
    MISINFORMED = "misinformed"
    BACKSLIDING = "backsliding"


class Role(Term):
    """Buying roles; a person may hold several."""

    DECISION_MAKER = "decision_maker"
    SPONSOR = "sponsor"
    APPROVER = "approver"
    EVALUATOR = "evaluator"
    USER = "user"
    INFLUENCER = "influencer"
    GATEKEEPER = "gatekeeper"
    PROCUREMENT = "procurement"
    COACH = "coach"


class TieKind(Term):
    """Kinds of tie. Formal: ``reports_to``, ``dotted_line``; hidden: the others."""

    REPORTS_TO = "reports_to"
    DOTTED_LINE = "dotted_line"
    ADVISES = "advises"
    INFLUENCES = "influences"
    FRIEND = "friend"
    RIVAL = "rival"
    KNOWS = "knows"

    @classmethod
    def _what(cls) -> str:
        return "tie kind"

    @property
    def formal(self) -> bool:
        """True for the org-chart kinds."""
        return self in (TieKind.REPORTS_TO, TieKind.DOTTED_LINE)

    @property
    def mutual(self) -> bool:
        """True for kinds without direction (friend, rival, knows)."""
        return self in (TieKind.FRIEND, TieKind.RIVAL, TieKind.KNOWS)


class Org(Term):
    """Which side a person is on."""

    CUSTOMER = "customer"
    US = "us"
    PARTNER = "partner"
    COMPETITOR = "competitor"

    @classmethod
    def _what(cls) -> str:
        return "org"


class Stage(Term):
    """Deal stage, with the method's completion percentage (``service`` can exceed 100%)."""

    INITIATION = "initiation"
    SOLUTION = "solution"
    DEEP_CONTACT = "deep_contact"
    PRODUCT_FIXED = "product_fixed"
    COMMERCIAL = "commercial"
    SIGNED = "signed"
    EXECUTING = "executing"
    SERVICE = "service"

    @classmethod
    def _what(cls) -> str:
        return "deal stage"

    @property
    def probability(self) -> float:
        """The stage's percentage as a fraction (``deep_contact`` -> 0.3)."""
        return _STAGE_PERCENT[self] / 100.0

    @property
    def percent(self) -> int:
        """The stage's percentage (``service`` -> 110)."""
        return _STAGE_PERCENT[self]

    @property
    def order(self) -> int:
        """Position in the sales cycle, 0 for ``initiation``."""
        return list(Stage).index(self)


_STAGE_PERCENT = {
    Stage.INITIATION: 5,
    Stage.SOLUTION: 10,
    Stage.DEEP_CONTACT: 30,
    Stage.PRODUCT_FIXED: 40,
    Stage.COMMERCIAL: 70,
    Stage.SIGNED: 75,
    Stage.EXECUTING: 100,
    Stage.SERVICE: 110,
}


# ----------------------------------------------------------------------------- stance classes
STANCE_CUTOFFS: tuple[tuple[float, Stance], ...] = (
    (0.875, Stance.CHAMPION),
    (0.625, Stance.ALLY),
    (0.25, Stance.SUPPORTER),
    (-0.25, Stance.NEUTRAL),
    (-0.75, Stance.SKEPTIC),
)
"""The lowest support of each stance class, from the top; below the last one a person is hostile.

Each cut-off lies midway between two stances' values, so a support value
belongs to the stance whose value is nearest; a value exactly midway belongs
to the more supportive of the two.
"""

ACTIVE_SUPPORT: float = 0.625
"""Support at or above which a person is ally or champion: an active supporter who works for us
(a seed of our side in the cascades, an ally in :func:`~stakegraph.compare`)."""

HOSTILE_BELOW: float = -0.75
"""Support below which a person is hostile: an active opponent (a seed of the competitor's side)."""


def stance_of(value: float | None) -> Stance:
    """The stance class of one support value: ``unknown`` for None or nan.

    Examples
    --------
    >>> stance_of(0.7), stance_of(0.625), stance_of(-0.8), stance_of(float("nan"))
    (<Stance.ALLY: 'ally'>, <Stance.ALLY: 'ally'>, <Stance.HOSTILE: 'hostile'>, <Stance.UNKNOWN: 'unknown'>)
    """
    if value is None or math.isnan(value):
        return Stance.UNKNOWN
    for low, stance in STANCE_CUTOFFS:
        if value >= low:
            return stance
    return Stance.HOSTILE


def stance_codes(support: np.ndarray) -> np.ndarray:
    """The stance class of each support value as an int8 code into ``list(Stance)`` (6 = unknown, for nan).

    Examples
    --------
    >>> import numpy as np
    >>> [list(Stance)[k].value for k in stance_codes(np.array([1.0, 0.3, -0.3, np.nan]))]
    ['champion', 'supporter', 'skeptic', 'unknown']
    """
    import numpy as np

    s = np.asarray(support, dtype=float)
    lows = np.array([low for low, _ in STANCE_CUTOFFS])[::-1]  # ascending
    with np.errstate(invalid="ignore"):
        above = np.searchsorted(lows, s, side="right")  # how many cut-offs are <= s
    codes = (len(lows) - above).astype(np.int8)  # 0 champion ... 5 hostile
    codes[np.isnan(s)] = list(Stance).index(Stance.UNKNOWN)
    return codes


def opposition_codes(support: np.ndarray) -> np.ndarray:
    """2 for hostile, 1 for skeptic, 0 otherwise (unknown included), as int8: how much a person resists us.

    Examples
    --------
    >>> import numpy as np
    >>> opposition_codes(np.array([-1.0, -0.75, -0.5, -0.25, np.nan])).tolist()
    [2, 1, 1, 0, 0]
    """
    import numpy as np

    s = np.asarray(support, dtype=float)
    out = np.zeros(s.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        out[s < HOSTILE_BELOW] = 2
        out[(s >= HOSTILE_BELOW) & (s < -0.25)] = 1
    return out


def is_active_for_us(support: np.ndarray) -> np.ndarray:
    """True where the support makes a person an ally or champion (nan is never active).

    Examples
    --------
    >>> import numpy as np
    >>> is_active_for_us(np.array([1.0, 0.75, 0.5, np.nan])).tolist()
    [True, True, False, False]
    """
    import numpy as np

    out: np.ndarray = np.nan_to_num(np.asarray(support, dtype=float), nan=0.0) >= ACTIVE_SUPPORT
    return out


def is_active_against_us(support: np.ndarray) -> np.ndarray:
    """True where the support makes a person hostile (nan is never active).

    Examples
    --------
    >>> import numpy as np
    >>> is_active_against_us(np.array([-1.0, -0.5, np.nan])).tolist()
    [True, False, False]
    """
    import numpy as np

    out: np.ndarray = np.nan_to_num(np.asarray(support, dtype=float), nan=0.0) < HOSTILE_BELOW
    return out


def in_decision_group(org: Org | str, roles: Iterable[Role | str]) -> bool:
    """True for a customer person with a buying role: the decision group whose support decides the deal.

    Examples
    --------
    >>> in_decision_group("customer", ["evaluator"]), in_decision_group("customer", []), in_decision_group("us", ["coach"])
    (True, False, False)
    """
    return Org.parse(org) is Org.CUSTOMER and any(True for _ in roles)
