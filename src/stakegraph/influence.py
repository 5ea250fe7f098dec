"""How much influence each tie carries, and the defaults for power and openness.

:class:`InfluenceModel` is the one place where the semantics every analysis
shares are written down. Change one object to change every analysis.

Defaults
--------
- influence weight of a tie = kind weight x strength; ``influences`` and
  ``advises`` 1.0 (source on target); ``reports_to`` 0.8 manager on report and
  0.4 report on manager; ``dotted_line`` half of that; ``friend`` 0.6 each way;
  ``rival`` -0.6 each way; ``knows`` 0 (it only opens introduction paths).
- ``power`` = role power x ``level_decay ** level``; role power is the
  largest of the person's roles (decision_maker 1.0, sponsor and approver 0.7,
  evaluator 0.5, influencer and procurement 0.4, user 0.3, anything else 0.1).
- ``openness`` = 0.5, decision makers 0.3, coaches 0.6 (the decision maker
  rule wins when a person holds both). People of our own team and of a
  competitor default to openness 0: they do not change sides by talking.
- a person whose stance is not given takes the ``org_support`` of their side
  when there is one (our team +1, a competitor -1); otherwise it is unknown.
- an introduction through a skeptic multiplies the path by 0.5; a hostile
  person blocks it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from .errors import ValidationError
from .method.vocabulary import Org, Role, TieKind

__all__ = ["DEFAULT_MODEL", "InfluenceModel", "check_influence"]


def _frozen(d: Mapping[Any, float]) -> Mapping[str, float]:
    return MappingProxyType({str(getattr(k, "value", k)): float(v) for k, v in d.items()})


_KIND_WEIGHTS = {
    # (weight of source on target, weight of target on source)
    "influences": (1.0, 0.0),
    "advises": (1.0, 0.0),
    "reports_to": (0.4, 0.8),  # source reports to target: report on manager 0.4, manager on report 0.8
    "dotted_line": (0.2, 0.4),
    "friend": (0.6, 0.6),
    "rival": (-0.6, -0.6),
    "knows": (0.0, 0.0),
}

_ROLE_POWER = {
    "decision_maker": 1.0,
    "sponsor": 0.7,
    "approver": 0.7,
    "evaluator": 0.5,
    "influencer": 0.4,
    "procurement": 0.4,
    "user": 0.3,
    "gatekeeper": 0.1,
    "coach": 0.1,
}


@dataclass(frozen=True)
class InfluenceModel:
    """The influence each tie kind carries and the defaults derived from roles.

    Parameters
    ----------
    kind_weights : mapping of str to (float, float)
        For each tie kind, the weight of the tie's source on its target and
        of its target on its source (before multiplying by strength).
    role_power : mapping of str to float
        Decision weight of each buying role; a person without a role gets
        ``base_power``.
    base_power : float
        Power of a person with no buying role (0.1).
    level_decay : float
        Power is multiplied by ``level_decay ** level`` (level 0 = top).
    openness : float
        Default openness (0.5).
    role_openness : mapping of str to float
        Openness by role; the first role of ``openness_priority`` the person
        holds decides (decision_maker 0.3, coach 0.6).
    org_openness : mapping of str to float
        Openness by side, before roles (``us`` and ``competitor``: 0).
    org_support : mapping of str to float
        Support of a person whose stance is not given, by side (``us`` +1,
        ``competitor`` -1).
    skeptic_factor : float
        Factor an introduction path takes through a skeptic (0.5).
    hostile_factor : float
        Factor through a hostile person when ``through_hostile="penalise"`` (0.1).
    damping : float
        PageRank damping of the informal influence score (0.85).

    Examples
    --------
    >>> m = InfluenceModel()
    >>> m.weights("reports_to", 0.5)   # (source on target, target on source)
    (0.2, 0.4)
    >>> round(m.power_for(["decision_maker"], level=1), 2)
    0.8
    >>> m.with_kind_weight("friend", 0.3, 0.3).weights("friend", 1.0)
    (0.3, 0.3)
    """

    kind_weights: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType(dict(_KIND_WEIGHTS))
    )
    role_power: Mapping[str, float] = field(default_factory=lambda: _frozen(_ROLE_POWER))
    base_power: float = 0.1
    level_decay: float = 0.8
    openness: float = 0.5
    role_openness: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"decision_maker": 0.3, "coach": 0.6})
    )
    openness_priority: tuple[str, ...] = ("decision_maker", "coach")
    org_openness: Mapping[str, float] = field(default_factory=lambda: _frozen({"us": 0.0, "competitor": 0.0}))
    org_support: Mapping[str, float] = field(default_factory=lambda: _frozen({"us": 1.0, "competitor": -1.0}))
    skeptic_factor: float = 0.5
    hostile_factor: float = 0.1
    damping: float = 0.85

    def __post_init__(self) -> None:
        kw = {}
        for k, v in dict(self.kind_weights).items():
            kind = TieKind.parse(k).value
            try:
                a, b = v
            except (TypeError, ValueError):
                raise ValidationError(
                    f"kind_weights[{kind!r}] must be a pair (source on target, target on source); got {v!r}"
                ) from None
            kw[kind] = (float(a), float(b))
        for kind in TieKind:
            kw.setdefault(kind.value, _KIND_WEIGHTS[kind.value])
        object.__setattr__(self, "kind_weights", MappingProxyType(kw))
        for role in self.role_power:
            Role.parse(role)
        object.__setattr__(self, "role_power", _frozen(self.role_power))
        object.__setattr__(self, "role_openness", _frozen(self.role_openness))
        object.__setattr__(self, "org_openness", _frozen(self.org_openness))
        object.__setattr__(self, "org_support", _frozen(self.org_support))
        for org in list(self.org_openness) + list(self.org_support):
            Org.parse(org)
        for name in ("skeptic_factor", "hostile_factor"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValidationError(f"The {name!r} of InfluenceModel must be in [0, 1]. Got {v!r} instead.")
        if not 0.0 < self.damping < 1.0:
            raise ValidationError(
                f"The 'damping' of InfluenceModel must be in (0, 1). Got {self.damping!r} instead."
            )
        if not 0.0 < self.level_decay <= 1.0:
            raise ValidationError(
                f"The 'level_decay' of InfluenceModel must be in (0, 1]. Got {self.level_decay!r} instead."
            )
        for name, mapping in (("role_openness", self.role_openness), ("org_openness", self.org_openness)):
            for k, share in mapping.items():
                if not 0.0 <= share <= 1.0:
                    raise ValidationError(f"{name}[{k!r}] must be in [0, 1]. Got {share!r} instead.")
        if not 0.0 <= self.openness <= 1.0:
            raise ValidationError(
                f"The 'openness' of InfluenceModel must be in [0, 1]. Got {self.openness!r}."
            )

    # -- ties ------------------------------------------------------------------
    def weights(self, kind: str | TieKind, strength: float = 1.0) -> tuple[float, float]:
        """Influence of a tie: (source on target, target on source), strength included."""
        a, b = self.kind_weights[str(getattr(kind, "value", kind))]
        return (a * strength, b * strength)

    def with_kind_weight(
        self, kind: str | TieKind, source_on_target: float, target_on_source: float
    ) -> "InfluenceModel":
        """A copy with one kind's weights changed."""
        kw = dict(self.kind_weights)
        kw[TieKind.parse(kind).value] = (float(source_on_target), float(target_on_source))
        return replace(self, kind_weights=kw)

    # -- people ----------------------------------------------------------------
    def power_for(self, roles: Iterable[str], level: int | None) -> float:
        """Decision weight from roles and level: max role power x level_decay**level."""
        rp = [self.role_power.get(str(getattr(r, "value", r)), self.base_power) for r in roles]
        base = max(rp) if rp else self.base_power
        lvl = 0 if level is None else max(int(level), 0)
        return base * self.level_decay**lvl

    def openness_for(self, roles: Iterable[str], org: str = "customer") -> float:
        """Default openness from side and roles."""
        org = str(getattr(org, "value", org))
        if org in self.org_openness:
            return self.org_openness[org]
        rs = {str(getattr(r, "value", r)) for r in roles}
        for role in self.openness_priority:
            if role in rs and role in self.role_openness:
                return self.role_openness[role]
        return self.openness

    def default_support(self, org: str) -> float:
        """Support of a person whose stance is not given (nan when unknown)."""
        return self.org_support.get(str(getattr(org, "value", org)), math.nan)


DEFAULT_MODEL = InfluenceModel()


def check_influence(influence: Any, func: str) -> InfluenceModel | None:
    """``influence`` when it is an :class:`InfluenceModel` or None, else a ValidationError.

    Examples
    --------
    >>> check_influence("fj", "rank")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'influence' parameter of rank must be an InfluenceModel or None. Got 'fj' instead.
    """
    if influence is not None and not isinstance(influence, InfluenceModel):
        raise ValidationError(
            f"The 'influence' parameter of {func} must be an InfluenceModel or None. Got {influence!r} instead."
        )
    return influence
