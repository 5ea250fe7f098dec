"""The vocabularies of the method: stances, reasons, roles, tie kinds, sides, stages.

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
from enum import Enum
from typing import TypeVar

from .errors import ValidationError, closest

__all__ = ["Org", "Reason", "Role", "Stage", "Stance", "TieKind"]

E = TypeVar("E", bound="_Vocabulary")


class _Vocabulary(str, Enum):
    """A str enum that parses user text with a helpful error."""

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
        return self.value


class Stance(_Vocabulary):
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
    def from_support(cls, value: float) -> "Stance":
        """The stance whose value is nearest to a support value (``unknown`` for nan)."""
        if value is None or math.isnan(value):
            return cls.UNKNOWN
        best = min((m for m in cls if m is not cls.UNKNOWN), key=lambda m: abs(m.support - value))
        return best


_STANCE_VALUE = {
    Stance.CHAMPION: 1.0,
    Stance.ALLY: 0.75,
    Stance.SUPPORTER: 0.5,
    Stance.NEUTRAL: 0.0,
    Stance.SKEPTIC: -0.5,
    Stance.HOSTILE: -1.0,
    Stance.UNKNOWN: math.nan,
}


class Reason(_Vocabulary):
    """Why a person is not (or no longer) supportive; each calls for a different action."""

    DOUBT = "doubt"
    MISINFORMED = "misinformed"
    BACKSLIDING = "backsliding"


class Role(_Vocabulary):
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


class TieKind(_Vocabulary):
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


class Org(_Vocabulary):
    """Which side a person is on."""

    CUSTOMER = "customer"
    US = "us"
    PARTNER = "partner"
    COMPETITOR = "competitor"

    @classmethod
    def _what(cls) -> str:
        return "org"


class Stage(_Vocabulary):
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
