"""Deal health: the findings of the method, each with a severity, the people and an action.

:func:`diagnose` reads the account as the method reads it before a large deal:
was the decision-maker ever met, is there a coach and a champion, does our
access hang on one person, who is a powerful opponent and how does their view
spread, whose stance is unknown, why each non-supporter is not with us, which
departments and informal coalitions nobody covers, whether a gatekeeper sits
on every route to the decision-maker, whether committee support is enough for
the deal stage, which key people have not been seen for too long, and whether
support shrank since the previous snapshot.

Finding codes (stable; they are the public contract)
----------------------------------------------------
``DM_NOT_MET``
    A decision-maker has no relationship with us and no tie to anyone of our
    team, or no decision-maker is named. Critical from ``late_stage`` on
    (default ``product_fixed``), warning before.
``NO_COACH``
    No coach, or only coaches who are weak: power below the customer median
    and no key person listens to them. Warning.
``NO_CHAMPION``
    Nobody is a champion. Critical from ``late_stage`` on, warning before.
``SINGLE_THREADED``
    Fewer than ``min_contacts`` customer contacts, or all of them in fewer
    than ``min_departments`` departments. Critical from ``late_stage`` on
    with one contact or none, warning otherwise.
``POWERFUL_OPPONENT``
    A hostile or skeptic among the most powerful customer people by rank (the
    top ``powerful_top``, or the top ``powerful_share`` when that is more), or
    a decision-maker; the message names who listens to them and the strongest
    chain of influence from them to each decision-maker. Critical for a
    hostile, warning for a skeptic.
``UNKNOWN_STANCE``
    Key people whose stance is unknown. Warning.
``NON_SUPPORTER``
    One per skeptic or hostile customer person, or person with a non-support
    reason; the action follows the reason (doubt: proof; misinformed: correct
    the record, naming the likely source; backsliding: re-engage). Warning
    for key people, info otherwise.
``UNCOVERED_GROUP``
    A department, or an informal coalition of :func:`~stakegraph.structure`,
    with nobody we cover. Warning when it holds a key person, info otherwise.
``GATEKEEPER``
    A gatekeeper lies on every introduction path (as :func:`~stakegraph.paths`
    defines them) from us to a decision-maker. Warning.
``LOW_SUPPORT``
    Committee support now below what the deal stage needs
    (:data:`STAGE_SUPPORT`). Critical from ``late_stage`` on, warning before.
``STALE_CONTACT``
    Key people last contacted more than ``stale_days`` before ``as_of``.
    Warning.
``SUPPORT_SHRINKING``
    Committee support or reach lower than in the ``previous`` snapshot; the
    backsliders are named. Warning.
``HIDDEN_INFLUENCER``
    A hidden influencer per :func:`~stakegraph.rank`. Warning when we do not
    cover them or they are not supportive, info otherwise.

The intelligence system (only when the graph holds informants' reports, ``g.observations``):

``SINGLE_SOURCE``
    Key people whose stance only one informant has reported. Warning when a
    decision-maker is among them, info otherwise.
``INFORMANTS_DISAGREE``
    A key person about whom informants' newest reports lie two stance steps
    apart or more (a supporter and a skeptic). Warning.
``UNRELIABLE_INFORMANT``
    An informant whose stance reports on at least ``informant_reports`` people
    the others also reported on are borne out by the others (Dawid-Skene,
    :func:`~stakegraph.fuse`, leaving the informant's own report out) clearly
    less often than ``informant_accuracy`` (the whole 90% interval below it).
    Warning.
``STALE_INTELLIGENCE``
    Key people whose newest report is older than ``intel_days``. Warning.

Definitions shared by the findings
----------------------------------
- *covered*: a customer person with a ``relationship`` above 0 or any tie to a
  person of our team (``org="us"``).
- *key people*: the decision group (customer people with a buying role) among
  the ``key_people`` most powerful customer people by :func:`~stakegraph.rank`,
  plus every decision-maker.
- stance classes follow the support value: hostile below -0.75, skeptic below
  -0.25, champion above 0.875 (so an explicit ``support`` counts as the nearest
  stance).

Score
-----
``score = 100 - min(60, 20 x critical) - min(30, 8 x warning) - min(10, 2 x info)``
(penalties and caps in :class:`DiagnoseSettings`): each severity can take at
most its cap off the score, so a long list of minor findings cannot by
itself sink the score, and the score stays in [0, 100].
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, dijkstra

from .._compiled import Entry
from ..errors import StakegraphError, ValidationError, closest
from ..influence import InfluenceModel, check_influence
from ..method import words
from ..method.checks import bad, check_float, check_int
from ..method.vocabulary import ACTIVE_SUPPORT, Reason, Role, Stage, Stance, opposition_codes, stance_codes
from ..model import check_graph
from ..observation import Observation, newest
from ..results import Result
from .fuse import Beliefs, fuse
from .paths import best_routes, intro_graph, paths, route_to
from .propagate import committee_summary
from .rank import rank
from .structure import structure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._compiled import CompiledGraph
    from ..model import Person, StakeholderGraph
    from .uncertain import DiagnosisSpread

__all__ = [
    "CODES",
    "FINDINGS",
    "SEVERITIES",
    "STAGE_SUPPORT",
    "DiagnoseSettings",
    "Diagnosis",
    "Finding",
    "diagnose",
    "finding",
]

_ADJACENCY: Entry[sp.csr_array] = Entry("diagnose.adjacency", "Any tie between two people, both directions.")
_RANK_ROWS: Entry[list[tuple[str, float, bool, float, float]]] = Entry(
    "diagnose.rank", "Power, hidden-influencer flag and ranks of each person."
)
_SPREAD: Entry[sp.csr_array] = Entry(
    "diagnose.spread", "Cost of a view spreading from influencer to listener."
)
_TOWARD: Entry[tuple[np.ndarray, np.ndarray]] = Entry(
    "diagnose.toward",
    "Cost of the strongest chain from each person to each decision-maker, and its next link.",
)
_W_COLUMNS: Entry[sp.csc_array] = Entry(
    "diagnose.w_columns", "The influence matrix W by columns (who listens)."
)
_AGAINST: Entry[np.ndarray] = Entry(
    "diagnose.against", "People against us, on a competitor's side, or tied to a competitor."
)
_COALITIONS: Entry[list[list[str]]] = Entry("diagnose.coalitions", "Members of each informal coalition.")

Severity = Literal["critical", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")
"""Severities, most severe first."""

STAGE_SUPPORT: Mapping[str, float] = MappingProxyType(
    {
        "initiation": -0.5,
        "solution": -0.25,
        "deep_contact": 0.0,
        "product_fixed": 0.2,
        "commercial": 0.35,
        "signed": 0.35,
        "executing": 0.25,
        "service": 0.25,
    }
)
"""The committee support (power-weighted, in [-1, 1]) each deal stage needs.

Early on a committee may still lean against us; by ``deep_contact`` it should
not; once the product is fixed and the commercial terms are negotiated a clear
majority of the decision weight must be with us. After signing, support keeps
the project and the next sale alive, at a lower bar. ``LOW_SUPPORT`` is raised
when committee support now is below the stage's value; a deal without a stage
is held to ``DiagnoseSettings.support_unstaged`` (0.0).

========== =========== ============== =============== ============ ====== ========= =======
initiation solution    deep_contact   product_fixed   commercial   signed executing service
========== =========== ============== =============== ============ ====== ========= =======
-0.50      -0.25       0.00           0.20            0.35         0.35   0.25      0.25
========== =========== ============== =============== ============ ====== ========= =======
"""

_SEV_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


# ----------------------------------------------------------------------------- settings
_SETTINGS = "DiagnoseSettings"


@dataclass(frozen=True)
class DiagnoseSettings:
    """Thresholds of :func:`diagnose`, with their documented defaults.

    Parameters
    ----------
    stale_days : int, default 60
        A key person last contacted more than this many days before ``as_of``
        raises ``STALE_CONTACT``.
    key_people : int, default 10
        Key people are the decision-group members among this many most
        powerful customer people (plus every decision-maker).
    powerful_top : int, default 5
        A hostile or skeptic among this many most powerful customer people by
        :func:`~stakegraph.rank` (or the top ``powerful_share``, when that is
        more people, or a decision-maker) raises ``POWERFUL_OPPONENT``.
    powerful_share : float in (0, 1], default 0.25
        The most powerful quarter of a large customer counts as powerful.
    min_contacts : int, default 2
        Fewer covered customer people than this raises ``SINGLE_THREADED``.
    min_departments : int, default 2
        Covered people spread over fewer departments than this raises
        ``SINGLE_THREADED`` when the customer has at least this many.
    late_stage : Stage, default "product_fixed"
        From this stage on, ``DM_NOT_MET``, ``NO_CHAMPION``, ``LOW_SUPPORT``
        and single-threading through one contact are critical.
    stage_support : mapping of stage -> float, default :data:`STAGE_SUPPORT`
        Committee support each stage needs; missing stages keep the default.
    support_unstaged : float, default 0.0
        Committee support a deal without a stage needs.
    shrink_tolerance : float, default 0.01
        Committee support must fall by more than this to count as shrinking.
    spread_listeners : int, default 3
        How many listeners of a powerful opponent a finding names.
    intel_days : int, default 90
        The newest informant's report about a key person older than this
        raises ``STALE_INTELLIGENCE``.
    informant_accuracy : float in (0, 1], default 0.6
        An informant whose stance reports the others bear out clearly less
        often than this raises ``UNRELIABLE_INFORMANT``...
    informant_reports : int, default 3
        ... once they have reported on at least this many people.
    individual : int, default 8
        Findings of one kind about one person each (``POWERFUL_OPPONENT``,
        ``NON_SUPPORTER``, ``HIDDEN_INFLUENCER``) beyond this many are
        grouped: the most powerful people keep a finding each, the rest are
        one ``info`` finding of that code listing them by power, so a large
        account reads like a small one.
    penalty : mapping of severity -> float, default critical 20, warning 8, info 2
        Points each finding takes off the score.
    cap : mapping of severity -> float, default critical 60, warning 30, info 10
        The most points one severity can take off in all.

    Examples
    --------
    >>> DiagnoseSettings(stale_days=30).stale_days
    30
    >>> DiagnoseSettings(stale_days=0)
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'stale_days' parameter of DiagnoseSettings must be an int >= 1. Got 0 instead.
    """

    stale_days: int = 60
    key_people: int = 10
    powerful_top: int = 5
    powerful_share: float = 0.25
    min_contacts: int = 2
    min_departments: int = 2
    late_stage: Stage = Stage.PRODUCT_FIXED
    stage_support: Mapping[str, float] = field(default_factory=lambda: STAGE_SUPPORT)
    support_unstaged: float = 0.0
    shrink_tolerance: float = 0.01
    spread_listeners: int = 3
    intel_days: int = 90
    informant_accuracy: float = 0.6
    informant_reports: int = 3
    individual: int = 8
    penalty: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"critical": 20.0, "warning": 8.0, "info": 2.0})
    )
    cap: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"critical": 60.0, "warning": 30.0, "info": 10.0})
    )

    def __post_init__(self) -> None:
        for name in (
            "stale_days",
            "key_people",
            "powerful_top",
            "min_contacts",
            "min_departments",
            "spread_listeners",
            "intel_days",
            "informant_reports",
            "individual",
        ):
            object.__setattr__(self, name, check_int(getattr(self, name), name, _SETTINGS, low=1))
        try:
            object.__setattr__(self, "late_stage", Stage.parse(self.late_stage))
        except ValidationError:
            raise bad(
                _SETTINGS, "late_stage", f"a deal stage ({', '.join(Stage.allowed())})", self.late_stage
            ) from None
        table = dict(STAGE_SUPPORT)
        rule = "a mapping of deal stage to a float in [-1, 1]"
        if not isinstance(self.stage_support, Mapping):
            raise bad(_SETTINGS, "stage_support", rule, self.stage_support)
        for k, v in self.stage_support.items():
            try:
                stage = Stage.parse(k)
            except ValidationError:
                raise bad(
                    _SETTINGS, "stage_support", f"keyed by deal stages ({', '.join(Stage.allowed())})", k
                ) from None
            table[stage.value] = _entry(v, "stage_support", rule, -1.0, 1.0)
        object.__setattr__(self, "stage_support", MappingProxyType(table))
        for name, low, high, low_open in (
            ("support_unstaged", -1.0, 1.0, False),
            ("powerful_share", 0.0, 1.0, True),
            ("shrink_tolerance", 0.0, 2.0, False),
            ("informant_accuracy", 0.0, 1.0, True),
        ):
            object.__setattr__(
                self,
                name,
                check_float(
                    getattr(self, name), name, _SETTINGS, low, high, low_open=low_open, high_open=False
                ),
            )
        for name, default in (
            ("penalty", {"critical": 20.0, "warning": 8.0, "info": 2.0}),
            ("cap", {"critical": 60.0, "warning": 30.0, "info": 10.0}),
        ):
            m = getattr(self, name)
            rule = "a mapping of severity (critical, warning, info) to a float in [0, 100]"
            if not isinstance(m, Mapping):
                raise bad(_SETTINGS, name, rule, m)
            out = dict(default)
            for k, v in m.items():
                if k not in SEVERITIES:
                    raise bad(_SETTINGS, name, rule, k)
                out[k] = _entry(v, name, rule, 0.0, 100.0)
            object.__setattr__(self, name, MappingProxyType(out))

    def support_needed(self, stage: Stage | str | None) -> float:
        """The committee support ``stage`` needs (``support_unstaged`` for None).

        Examples
        --------
        >>> DiagnoseSettings().support_needed("commercial")
        0.35
        """
        if stage is None:
            return self.support_unstaged
        return float(self.stage_support[Stage.parse(stage).value])


def _entry(v: Any, name: str, rule: str, low: float, high: float) -> float:
    """A value of the mapping parameter ``name`` of DiagnoseSettings, in [low, high]; errors give the mapping's rule."""
    try:
        return check_float(v, name, _SETTINGS, low, high, low_open=False, high_open=False)
    except ValidationError:
        raise bad(_SETTINGS, name, rule, v) from None


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) about the deal.

    Attributes
    ----------
    code : str
        One of :data:`CODES`.
    severity : {"critical", "warning", "info"}
    people : tuple of str
        Ids of the people it concerns (may be empty).
    message : str
        What is wrong, in plain words, naming people by name.
    action : str
        What to do about it.
    details : mapping
        Machine-readable facts behind the message (e.g. the listeners of an
        opponent, the days since the last contact); not part of ``to_dict()``.
    """

    code: str
    severity: Severity
    people: tuple[str, ...]
    message: str
    action: str
    details: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValidationError(
                f"The 'severity' of a Finding must be one of {', '.join(SEVERITIES)}. "
                f"Got {self.severity!r} instead."
            )
        object.__setattr__(self, "people", tuple(str(p) for p in self.people))

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """``(code, people)``: identifies a finding across snapshots."""
        return (self.code, self.people)

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "severity", "people", "message", "action"}``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "people": list(self.people),
            "message": self.message,
            "action": self.action,
        }


def _sort_key(f: Finding) -> tuple[int, int, tuple[str, ...]]:
    return (_SEV_ORDER[f.severity], _CODE_ORDER.get(f.code, len(CODES)), f.people)


def health_score(findings: Sequence[Finding], settings: DiagnoseSettings | None = None) -> float:
    """The deal-health score of a list of findings (see the module notes for the formula).

    Examples
    --------
    >>> fs = [Finding("DM_NOT_MET", "critical", ("wang",), "", ""),
    ...       Finding("NO_COACH", "warning", (), "", ""),
    ...       Finding("NON_SUPPORTER", "info", ("li",), "", "")]
    >>> health_score(fs)   # 100 - 20 - 8 - 2
    70.0
    """
    s = settings if settings is not None else DiagnoseSettings()
    total = 100.0
    for sev in SEVERITIES:
        n = sum(1 for f in findings if f.severity == sev)
        total -= min(s.cap[sev], s.penalty[sev] * n)
    return max(0.0, min(100.0, total))


@dataclass(frozen=True)
class Diagnosis(Result):
    """Deal health: a score and the findings, most severe first.

    Attributes
    ----------
    score : float
        Deal health in [0, 100] (see :func:`health_score`).
    findings : tuple of Finding
        Most severe first, then in the order of :data:`CODES`, then by people.
    as_of : datetime.date
        The date stale contacts were measured against.
    stage : Stage or None
        The deal stage the thresholds were taken for.
    """

    score: float
    findings: tuple[Finding, ...]
    as_of: _dt.date | None = None
    stage: Stage | None = None
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    _title = "Deal health"

    def to_dict(self) -> dict[str, Any]:
        """``{"score": float, "findings": [{"code", "severity", "people", "message", "action"}]}``."""
        return {"score": float(self.score), "findings": [f.to_dict() for f in self.findings]}

    def codes(self) -> list[str]:
        """The codes of the findings, in order, without repeats."""
        out: list[str] = []
        for f in self.findings:
            if f.code not in out:
                out.append(f.code)
        return out

    def by_code(self, code: str) -> list[Finding]:
        """The findings with ``code`` (an empty list when there are none).

        Raises
        ------
        ValidationError
            If ``code`` is not one of :data:`CODES`.
        """
        if code not in _CODE_ORDER:
            hint = closest(str(code).lower(), [c.lower() for c in CODES])
            extra = f"; did you mean {hint.upper()!r}?" if hint else ""
            raise ValidationError(f"{code!r} is not a finding code{extra} Allowed: {', '.join(CODES)}.")
        return [f for f in self.findings if f.code == code]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def _table(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.findings]

    def _summary(self) -> list[str]:
        n = self.counts()
        return [
            f"Score {self.score:.0f}/100: {n['critical']} critical, {n['warning']} warning(s), "
            f"{n['info']} info"
        ]

    def to_markdown(self) -> str:
        """The diagnosis as Markdown, for pasting into an account plan.

        Examples
        --------
        >>> d = Diagnosis(score=80.0, findings=(Finding("NO_COACH", "warning", (), "No coach.", "Find one."),))
        >>> print(d.to_markdown())
        ## Deal health: 80/100
        <BLANKLINE>
        0 critical, 1 warning, 0 info.
        <BLANKLINE>
        1. **WARNING — NO_COACH**: No coach.
           *Action:* Find one.
        """
        n = self.counts()
        lines = [f"## Deal health: {self.score:.0f}/100", ""]
        facts = []
        if self.stage is not None:
            facts.append(words.stage_words(self.stage).capitalize())
        if self.as_of is not None:
            facts.append(f"as of {self.as_of.isoformat()}")
        head = f"{n['critical']} critical, {n['warning']} warning{'s' if n['warning'] != 1 else ''}, {n['info']} info."
        lines.append((", ".join(facts) + ". " if facts else "") + head)
        lines.append("")
        if not self.findings:
            lines.append("No findings.")
        for i, f in enumerate(self.findings, 1):
            who = " (" + ", ".join(words.markdown_code(p) for p in f.people) + ")" if f.people else ""
            lines.append(f"{i}. **{f.severity.upper()} — {f.code}**{who}: {_md(f.message)}")
            lines.append(f"   *Action:* {_md(f.action)}")
        return "\n".join(lines)

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """The findings by severity, each with the people it concerns; see :func:`stakegraph.viz.plots.plot_diagnosis`."""
        from ..viz.plots import plot_diagnosis

        return plot_diagnosis(self, ax, **kw)


def _md(text: str) -> str:
    return words.markdown_text(text)


# ----------------------------------------------------------------------------- words
def _owner(g: "StakeholderGraph", owner: str) -> str:
    return g.person(owner).label if owner in g else owner


# ----------------------------------------------------------------------------- context
@dataclass
class _Ctx:
    g: "StakeholderGraph"
    c: "CompiledGraph"
    s: DiagnoseSettings
    stage: Stage | None
    late: bool
    as_of: _dt.date
    power: np.ndarray  # rank power per row (nan for people without a rank row)
    hidden: np.ndarray  # bool
    ranks: np.ndarray  # (n, 2): formal and informal rank per rank()
    position: np.ndarray  # position among customer people by power (0 = most powerful), n for others
    covered: np.ndarray  # bool
    key: np.ndarray  # bool
    cls: np.ndarray  # stance class: 2 hostile, 1 skeptic, 0 other, -1 champion
    dms: list[str]
    influence: InfluenceModel | None = None
    committee: tuple[float, float, float] = (math.nan, math.nan, math.nan)  # now, after FJ, reach
    previous: StakeholderGraph | None = None
    previous_committee: tuple[float, float, float] = (math.nan, math.nan, math.nan)

    def ids(self, mask: np.ndarray) -> list[str]:
        """Ids of a mask, most powerful first."""
        rows = np.flatnonzero(mask)
        rows = rows[np.lexsort((rows, self.position[rows]))]
        return [self.c.ids[r] for r in rows]


def _classes(support: np.ndarray) -> np.ndarray:
    """-1 champion, 2 hostile, 1 skeptic, 0 otherwise: the opposition codes with champions marked."""
    cls = opposition_codes(support)
    cls[stance_codes(support) == list(Stance).index(Stance.CHAMPION)] = -1
    return cls


def _adjacency(c: "CompiledGraph") -> sp.csr_array:
    """Symmetric: nonzero where two people share any tie (rivalry and acquaintance included)."""
    return c.cached(_ADJACENCY, lambda: sp.csr_array(abs(c.influence) + abs(c.influence).T + c.contacts))


def _tied_to(c: "CompiledGraph", side: str) -> np.ndarray:
    """People with any tie to someone of ``side``."""
    return np.asarray(_adjacency(c) @ c.side(side).astype(float)).ravel() > 0


def _covered(c: "CompiledGraph") -> np.ndarray:
    """Customer people with a relationship or any tie (rivalry included) to our team."""
    touch = _tied_to(c, "us")
    covered: np.ndarray = c.customer & ((c.relationship > 0) | touch)
    return covered


def _context(
    g: "StakeholderGraph", s: DiagnoseSettings, as_of: _dt.date, influence: InfluenceModel | None = None
) -> _Ctx:

    c = g.compiled(influence)
    n = c.n
    power = np.full(n, np.nan)
    hidden = np.zeros(n, dtype=bool)
    ranks = np.full((n, 2), np.nan)
    rows = c.cached(
        _RANK_ROWS,
        lambda: [
            (r.id, r.power, r.hidden_influencer, r.formal_rank, r.informal_rank)
            for r in rank(g, seed=0, influence=influence).people
        ],
    )
    for pid, pw_, hid, formal, informal in rows:
        i = c.index[pid]
        power[i] = pw_
        hidden[i] = bool(hid)
        ranks[i] = (formal, informal)
    cust = np.flatnonzero(c.customer)
    pw = np.where(np.isnan(power[cust]), -np.inf, power[cust])
    order = cust[np.lexsort((cust, -pw))]
    position = np.full(n, n, dtype=np.int64)
    position[order] = np.arange(len(order))
    dms = g.decision_makers()
    key = c.decision_group & (position < s.key_people)
    if dms:
        key[c.rows(dms)] = True
    stage = g.deal.stage
    late = stage is not None and stage.order >= s.late_stage.order
    return _Ctx(
        g=g,
        c=c,
        s=s,
        stage=stage,
        late=late,
        as_of=as_of,
        power=power,
        hidden=hidden,
        ranks=ranks,
        position=position,
        covered=_covered(c),
        key=key,
        cls=_classes(c.support),
        influence=influence,
        dms=dms,
    )


# ----------------------------------------------------------------------------- findings
# ----------------------------------------------------------------------------- the registry of findings
Check = Callable[[_Ctx], list[Finding]]

FINDINGS: dict[str, Check] = {}
"""Every finding's check by code, in the order they run and are listed (the order of :data:`CODES`)."""


def finding(code: str) -> Callable[[Check], Check]:
    """Register the check that raises the findings of ``code``: adding a finding touches only its check.

    The check takes the diagnosis context (the graph, its compiled view,
    the settings, the analyses diagnose read) and returns its findings; each
    must carry ``code``.
    """
    if not re.fullmatch(r"[A-Z][A-Z_]*", code) or code in FINDINGS:
        raise ValueError(f"a finding code is unique and written in capitals: {code!r}")

    def register(check: Check) -> Check:
        def checked(x: _Ctx) -> list[Finding]:
            out = check(x)
            wrong = [f.code for f in out if f.code != code]
            if wrong:
                raise RuntimeError(f"the check of {code} returned findings of {', '.join(wrong)}")
            return out

        FINDINGS[code] = checked
        return check

    return register


@finding("DM_NOT_MET")
def _dm_not_met(x: _Ctx) -> list[Finding]:
    sev: Severity = "critical" if x.late else "warning"
    g, c = x.g, x.c
    if not x.dms:
        coaches = [i for i in x.ids(c.customer) if Role.COACH in g.person(i).roles and x.cls[c.index[i]] < 1]
        ask = f"ask your coach {g.person(coaches[0]).label}" if coaches else "ask your contacts"
        return [
            Finding(
                "DM_NOT_MET",
                sev,
                (),
                "No decision-maker is named for this account, so nobody on our team can have met them.",
                f"Find out who signs: {ask} who has the final say, and give that person the decision_maker role.",
            )
        ]
    out = []
    for dm in x.dms:
        i = c.index[dm]
        if x.covered[i]:
            continue
        stance = words.stance_word(g.person(dm).stance, float(c.support[c.index[dm]]))
        stance = "stance unknown" if stance == "unknown" else f"stance: {stance}"
        msg = (
            f"{words.who(g.person(dm))}, the decision-maker, has never been contacted: no relationship with us and "
            f"no tie to anyone of our team ({stance})."
        )
        if x.late and x.stage is not None:
            msg += f" At stage {x.stage.value} a deal in which we never met the decision-maker is in danger."
        action, details = _route_action(x, dm)
        out.append(Finding("DM_NOT_MET", sev, (dm,), msg, action, MappingProxyType(details)))
    return out


def _route_action(x: _Ctx, target: str) -> tuple[str, dict[str, Any]]:
    """The introduction to ask for to reach ``target``, from :func:`~stakegraph.paths`."""

    g = x.g
    name = g.person(target).label
    try:
        tp = paths(g, target=target, k=1, influence=x.influence)[target]
    except StakegraphError:
        return f"Get a meeting with {name}: find someone who can introduce us.", {}
    best = tp.best
    if best is None:
        near = (
            f" Start by building a relationship with {words.who(g.person(tp.nearest))}, the reachable person "
            f"closest to them."
            if tp.nearest
            else ""
        )
        return (
            f"Get a meeting with {name}. No introduction path exists yet ({tp.reason}).{near}",
            {"path": None, "nearest": tp.nearest},
        )
    chain = " → ".join(g.person(p).label for p in best.people)
    weak = ""
    if best.weakest_link is not None:
        a, b = best.weakest_link
        weak = f"; weakest link {g.person(a).label} – {g.person(b).label}"
    text = (
        f"Get a meeting with {name} before the decision: {best.first_step} "
        f"(best path {chain}, probability {best.probability:.2f}{weak})."
    )
    return text, {"path": list(best.people), "probability": float(best.probability)}


@finding("NO_COACH")
def _no_coach(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    coach_mask = np.zeros(c.n, dtype=bool)
    for pid in g.with_role(Role.COACH):
        coach_mask[c.index[pid]] = True
    coach_mask &= c.customer & (x.cls < 1)
    if not coach_mask.any():
        cand = c.customer & (c.support > 0) & np.isfinite(c.support)
        names = x.ids(cand)[:2]
        hint = (
            f" Candidates: {words.name_list([g.person(i) for i in names])}, who already favour us."
            if names
            else " Nobody favours us yet: win a supporter first."
        )
        return [
            Finding(
                "NO_COACH",
                "warning",
                (),
                "We have no coach: nobody inside the customer gives us accurate inside information.",
                "Develop a coach: a person who trusts us, has access to the decision-maker and will tell us "
                "how the decision is really made." + hint,
            )
        ]
    # a coach "without influence": weaker than the customer median and nobody key listens to them
    cust_power = x.power[c.customer]
    median = float(np.nanmedian(cust_power)) if np.isfinite(cust_power).any() else 0.0
    listened = np.asarray((c.influence > 0).astype(float).T @ x.key.astype(float)).ravel()  # key listeners
    rows = np.flatnonzero(coach_mask)
    has_key_listener = listened[rows] > 0  # no self ties, so a coach never counts as their own listener
    strong = (np.nan_to_num(x.power[rows], nan=-np.inf) >= median) | has_key_listener
    if strong.any():
        return []
    weak = x.ids(coach_mask)
    return [
        Finding(
            "NO_COACH",
            "warning",
            tuple(weak),
            f"Our coach{'es' if len(weak) > 1 else ''} {words.name_list([g.person(i) for i in weak])} "
            f"{'have' if len(weak) > 1 else 'has'} little influence: power below the customer median and "
            "no key person listens to them, so their information may not reach the people who decide.",
            "Develop a second coach closer to the decision: someone key people listen to; keep the current "
            "coach for day-to-day information.",
        )
    ]


@finding("NO_CHAMPION")
def _no_champion(x: _Ctx) -> list[Finding]:
    c, g = x.c, x.g
    if (c.customer & (x.cls == -1)).any():
        return []
    allies = x.ids(c.customer & (c.support >= ACTIVE_SUPPORT))
    supporters = x.ids(c.customer & (c.support >= 0.25) & (c.support < ACTIVE_SUPPORT))
    if allies:
        hint = f"Grow one from our strongest ally, {words.who(g.person(allies[0]))}: "
        who: tuple[str, ...] = (allies[0],)
    elif supporters:
        hint = f"Start from our strongest supporter, {words.who(g.person(supporters[0]))}: "
        who = (supporters[0],)
    else:
        hint = "Nobody favours us yet; first win supporters, then "
        who = ()
    return [
        Finding(
            "NO_CHAMPION",
            "critical" if x.late else "warning",
            who,
            "Nobody sells for us inside the customer: there is no champion."
            + (f" {g.person(who[0]).label} is the closest we have." if who else ""),
            hint
            + "give them the arguments, the material and the wins they need to sell our case internally.",
        )
    ]


@finding("SINGLE_THREADED")
def _single_threaded(x: _Ctx) -> list[Finding]:
    g, c, s = x.g, x.c, x.s
    cov = x.ids(x.covered)
    cust = c.customer
    uncovered_key = x.ids(x.key & ~x.covered)[:3]
    more = f" Start with {words.name_list([g.person(i) for i in uncovered_key])}." if uncovered_key else ""
    if len(cov) < s.min_contacts:
        if not cov:
            msg = "We have no relationship with anyone at the customer: no contact, no tie to our team."
        elif len(cov) == 1:
            msg = (
                f"All our relationships with the customer run through {words.who(g.person(cov[0]))}: if they leave, "
                "stall or turn, we lose our access."
            )
        else:
            msg = (
                f"Our relationships with the customer hang on only {len(cov)} people, {words.name_list([g.person(i) for i in cov])}: "
                "if one of them leaves, stalls or turns, we lose much of our access."
            )
        sev: Severity = "critical" if x.late and len(cov) <= 1 else "warning"
        return [
            Finding(
                "SINGLE_THREADED",
                sev,
                tuple(cov),
                msg,
                "Multi-thread the account: open relationships with more people, in more than one "
                "department, owned by more than one of our team." + more,
                MappingProxyType({"contacts": len(cov)}),
            )
        ]
    dept_names = c.departments
    all_depts = {dept_names[d] for d in np.unique(c.department[cust]) if dept_names[d]}
    cov_depts = {dept_names[d] for d in np.unique(c.department[x.covered]) if dept_names[d]}
    if len(all_depts) >= s.min_departments and len(cov_depts) < s.min_departments:
        where = ", ".join(sorted(cov_depts)) or "no named department"
        others = sorted(all_depts - cov_depts)
        msg = (
            f"All {len(cov)} of our contacts sit in {where}; nobody in {', '.join(others[:5])}"
            f"{' and others' if len(others) > 5 else ''} is reached, so our picture of the deal is one "
            "department's."
        )
        return [
            Finding(
                "SINGLE_THREADED",
                "warning",
                tuple(cov),
                msg,
                "Open relationships in other departments, above all where the decision is made." + more,
                MappingProxyType({"contacts": len(cov), "departments": sorted(cov_depts)}),
            )
        ]
    return []


def _spread_cost(c: "CompiledGraph") -> sp.csr_array:
    """Edge influencer -> listener with cost -log(W) (positive off-diagonal weights only), built once."""

    def build() -> sp.csr_array:
        coo = c.W.tocoo()
        keep = (coo.data > 0) & (coo.row != coo.col)
        cost = -np.log(np.minimum(coo.data[keep], 1.0)) + 1e-12
        return sp.csr_array((cost, (coo.col[keep], coo.row[keep])), shape=(c.n, c.n))

    return c.cached(_SPREAD, build)


def _toward(c: "CompiledGraph", dms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each decision-maker (rows, in ``dms`` order): the cost of the strongest chain from every person
    to them, and each person's next link on it (negative where no chain leads).

    One Dijkstra per decision-maker on the reversed spread graph instead of one per influencer.
    """

    def build() -> tuple[np.ndarray, np.ndarray]:
        if not dms:
            return np.zeros((0, c.n)), np.zeros((0, c.n), dtype=np.int64)
        reverse = sp.csr_array(_spread_cost(c).T)
        dist, nxt = dijkstra(reverse, directed=True, indices=c.rows(dms), return_predecessors=True)
        return dist, nxt.astype(np.int64)

    return c.cached(_TOWARD, build, variant=tuple(dms))


def _listeners(x: _Ctx, j: int) -> list[tuple[str, float]]:
    """Who listens to row ``j`` most (the customer's people, strongest first): column ``j`` of ``W``."""
    c = x.c
    Wc = c.cached(_W_COLUMNS, lambda: sp.csc_array(c.W))
    lo, hi = Wc.indptr[j], Wc.indptr[j + 1]
    rows, vals = Wc.indices[lo:hi], Wc.data[lo:hi]
    keep = (rows != j) & (vals > 0) & c.customer[rows]
    rows, vals = rows[keep], vals[keep]
    order = np.lexsort((rows, -vals))[: x.s.spread_listeners]
    return [(c.ids[int(rows[k])], float(vals[k])) for k in order]


def _spread(x: _Ctx, j: int) -> tuple[list[tuple[str, float]], dict[str, list[str]]]:
    """Who listens to row ``j`` (strongest first) and the strongest influence chains from ``j`` to each DM."""
    c = x.c
    dist, nxt = _toward(c, x.dms)
    chains: dict[str, list[str]] = {}
    for k, dm in enumerate(x.dms):
        t = c.index[dm]
        if t == j or not np.isfinite(dist[k, j]):
            continue
        chain = [j]
        while chain[-1] != t and nxt[k, chain[-1]] >= 0 and len(chain) <= c.n:
            chain.append(int(nxt[k, chain[-1]]))
        chains[dm] = [c.ids[r] for r in chain]
    return _listeners(x, j), chains


@finding("POWERFUL_OPPONENT")
def _powerful_opponent(x: _Ctx) -> list[Finding]:
    g, c, s = x.g, x.c, x.s
    dm_mask = np.zeros(c.n, dtype=bool)
    if x.dms:
        dm_mask[c.rows(x.dms)] = True
    top = max(s.powerful_top, math.ceil(s.powerful_share * int(c.customer.sum()) - 1e-9))
    mask = c.customer & (x.cls >= 1) & ((x.position < top) | dm_mask)
    out = []
    for pid in x.ids(mask):
        j = c.index[pid]
        hostile = x.cls[j] == 2
        listeners, chains = _spread(x, j)
        msg = (
            f"{words.who(g.person(pid))} is {words.stance_phrase(g.person(pid).stance, float(c.support[c.index[pid]]))} and ranks #{x.position[j] + 1} in power among "
            "the customer's people."
        )
        if listeners:
            msg += (
                " Their view spreads directly to "
                + words.name_list([g.person(i) for i in [i for i, _ in listeners]], title=False)
                + " (who listen to them most)."
            )
        for dm, chain in chains.items():
            if len(chain) > 2:
                msg += (
                    f" It reaches {g.person(dm).label} (decision-maker) through "
                    + " → ".join(g.person(p).label for p in chain)
                    + "."
                )
            else:
                msg += f" {g.person(dm).label} (decision-maker) listens to them directly."
        if pid in x.dms:
            msg += " They are a decision-maker themselves."
        channel = [i for i, _ in listeners if i not in x.dms][:2]
        via = (
            f" Give the people who carry their view ({words.name_list([g.person(i) for i in channel], title=False)}) our side of the "
            "story first-hand."
            if channel
            else ""
        )
        if hostile:
            action = (
                f"Contain {g.person(pid).label}: do not confront them; find out whether they back a "
                "competitor, make sure the decision-maker hears our case from someone they trust, and "
                "give the committee proof that answers their objections." + via
            )
        else:
            action = (
                f"Convert {g.person(pid).label}: find out what would convince them and answer it with "
                "proof; a powerful skeptic won over often becomes a strong ally." + via
            )
        out.append(
            Finding(
                "POWERFUL_OPPONENT",
                "critical" if hostile else "warning",
                (pid,),
                msg,
                action,
                MappingProxyType({"listeners": listeners, "chains": chains, "rank": int(x.position[j] + 1)}),
            )
        )
    return out


@finding("UNKNOWN_STANCE")
def _unknown_stance(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    mask = x.key & ~c.stance_given
    if not mask.any():
        return []
    who = x.ids(mask)
    coaches = [i for i in x.ids(c.customer & (x.cls < 1)) if Role.COACH in g.person(i).roles]
    ask = f"ask your coach {g.person(coaches[0]).label}, or " if coaches else ""
    return [
        Finding(
            "UNKNOWN_STANCE",
            "warning",
            tuple(who),
            f"We do not know where {words.name_list([g.person(i) for i in who])} stand{'s' if len(who) == 1 else ''}: key "
            f"{'people' if len(who) > 1 else 'person'} whose stance is unknown, an information gap in the account "
            "plan.",
            f"Find out: {ask}meet them; record stance, the reason behind it, needs and interests.",
        )
    ]


def _misinformer(x: _Ctx, i: int) -> str | None:
    """The person ``i`` listens to most who is against us or tied to a competitor."""
    c = x.c
    against = c.cached(
        _AGAINST,
        lambda: (_classes(c.support) >= 1) | c.side("competitor") | _tied_to(c, "competitor"),
    )
    A = c.influence if isinstance(c.influence, sp.csr_array) else sp.csr_array(c.influence)
    lo, hi = A.indptr[i], A.indptr[i + 1]
    cols, vals = A.indices[lo:hi], A.data[lo:hi]
    keep = (cols != i) & (vals > 0) & against[cols]
    if not keep.any():
        return None
    cols, vals = cols[keep], vals[keep]
    return c.ids[int(cols[np.lexsort((cols, -vals))[0]])]


@finding("NON_SUPPORTER")
def _non_supporter(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    reasons = np.array([g.person(pid).reason is not None for pid in c.ids], dtype=bool)
    mask = c.customer & ((x.cls >= 1) | reasons)
    out = []
    for pid in x.ids(mask):
        i = c.index[pid]
        p = g.person(pid)
        name = p.label
        why = f" (reason: {p.reason.value})" if p.reason is not None else " (reason not recorded)"
        msg = f"{words.who(g.person(pid))} is {words.stance_phrase(g.person(pid).stance, float(c.support[c.index[pid]]))}{why}."
        details: dict[str, Any] = {"reason": p.reason.value if p.reason is not None else None}
        if p.reason is Reason.DOUBT:
            action = (
                f"Give {name} proof: a reference visit to a customer like them, or a pilot on their own "
                "data, with success criteria agreed up front."
            )
        elif p.reason is Reason.MISINFORMED:
            src = _misinformer(x, i)
            details["source"] = src
            if src is not None:
                q = g.person(src)
                if q.org.value == "competitor":
                    side = "who works for the competitor"
                elif x.cls[c.index[src]] >= 1:
                    side = (
                        f"who is {words.stance_phrase(g.person(src).stance, float(c.support[c.index[src]]))}"
                    )
                else:
                    side = "who is close to the competitor"
                msg += f" They listen most to {words.who(g.person(src))}, {side}: the likely source."
                action = (
                    f"Correct the record: give {name} the facts directly, in writing, and address what "
                    f"{q.label} has been saying; where possible have someone {name} trusts confirm them."
                )
            else:
                action = (
                    f"Correct the record: find out what {name} was told and by whom, and give them the "
                    "facts directly, confirmed by someone they trust."
                )
        elif p.reason is Reason.BACKSLIDING:
            action = (
                f"Re-engage {name}: they were with us and slipped back; find out what changed (a new "
                "concern, a competitor's offer, a lost sponsor) and address it in person."
            )
        elif x.cls[i] == 2:
            action = (
                f"Find out why {name} is against us (doubt, misinformed or backsliding) and record the "
                "reason; meanwhile keep them from setting the committee's view."
            )
        else:
            action = (
                f"Find out what holds {name} back (doubt, misinformed or backsliding) and record it; the "
                "reason decides the action."
            )
        out.append(
            Finding(
                "NON_SUPPORTER",
                "warning" if x.key[i] else "info",
                (pid,),
                msg,
                action,
                MappingProxyType(details),
            )
        )
    return out


@finding("UNCOVERED_GROUP")
def _uncovered_group(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    out = []
    reported: list[frozenset[str]] = []
    for d, dname in enumerate(c.departments):
        if not dname:
            continue
        members = c.customer & (c.department == d)
        if not members.any() or (members & x.covered).any():
            continue
        who = x.ids(members)
        reported.append(frozenset(who))
        key = bool((members & x.key).any())
        out.append(
            Finding(
                "UNCOVERED_GROUP",
                "warning" if key else "info",
                tuple(who),
                f"Nobody in {dname} ({words.name_list([g.person(i) for i in who], title=False)}) is covered by our team.",
                f"Open a relationship in {dname}, starting with its most powerful person, {words.who(g.person(who[0]))}.",
                MappingProxyType({"group": "department", "name": dname}),
            )
        )
    for members_ids in _coalitions(x):
        rows = c.rows([i for i in members_ids if i in c.index])
        mask = np.zeros(c.n, dtype=bool)
        mask[rows] = True
        mask &= c.customer
        if mask.sum() < 2 or (mask & x.covered).any():
            continue
        who = x.ids(mask)
        if any(frozenset(who) <= r for r in reported):
            continue
        key = bool((mask & x.key).any())
        out.append(
            Finding(
                "UNCOVERED_GROUP",
                "warning" if key else "info",
                tuple(who),
                f"The informal group around {words.who(g.person(who[0]))} ({words.name_list([g.person(i) for i in who], title=False)}) talks mostly "
                "among itself, and none of them is covered by our team.",
                f"Reach the group through its most powerful member, {g.person(who[0]).label}, or through anyone "
                "they listen to; a group nobody covers forms its view without us.",
                MappingProxyType({"group": "coalition"}),
            )
        )
    return out


def _coalitions(x: _Ctx) -> list[list[str]]:
    """Coalitions (communities of the informal layer) from :func:`~stakegraph.structure` (seed 0)."""

    def build() -> list[list[str]]:
        return [list(co.members) for co in structure(x.g, seed=0, influence=x.influence).coalitions]

    return x.c.cached(_COALITIONS, build)


def _reachable(A: sp.csr_array, start: int, target: int, removed: int | None = None) -> bool:
    if removed is not None:
        keep = np.ones(A.shape[0])
        keep[removed] = 0.0
        D = sp.diags_array(keep)
        A = sp.csr_array(D @ A @ D)
        A.eliminate_zeros()
    order = breadth_first_order(A, start, directed=True, return_predecessors=False)
    return bool(np.isin(target, order))


@finding("GATEKEEPER")
def _gatekeeper(x: _Ctx) -> list[Finding]:

    g, c = x.g, x.c
    is_gate = np.zeros(c.n, dtype=bool)
    gates = g.with_role(Role.GATEKEEPER)
    if gates:
        is_gate[c.rows(gates)] = True
    is_gate &= c.customer
    if not is_gate.any() or not x.dms:
        return []
    prob, pred = best_routes(c, "block")
    A = intro_graph(c, "block")[0]
    # explicit zeros in A are edges of probability 1: make every edge structurally positive
    A = sp.csr_array((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    n = c.n
    out = []
    for dm in x.dms:
        t = c.index[dm]
        if not prob[t] > 0:
            continue
        # a person on every path is on the best one: only its gatekeepers need the removal check
        for r in route_to(pred, n, t)[:-1]:
            if not is_gate[r] or _reachable(A, n, t, removed=r):
                continue
            gk = c.ids[r]
            gname, dname = g.person(gk).label, g.person(dm).label
            out.append(
                Finding(
                    "GATEKEEPER",
                    "warning",
                    (gk, dm),
                    f"{words.who(g.person(gk))}, a gatekeeper, lies on every introduction path from us to {words.who(g.person(dm))}: "
                    f"no route reaches {dname} without them.",
                    f"Make {gname} an ally (respect their role, ask for advice on {dname}'s agenda), and open a "
                    f"second route to {dname} that does not depend on them.",
                )
            )
    return out


@finding("LOW_SUPPORT")
def _low_support(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    now, after, _ = x.committee
    if math.isnan(now):
        return []
    need = x.s.support_needed(x.stage)
    if now >= need:
        return []
    cand = c.decision_group & ~(c.support > 0.25)
    who = tuple(x.ids(cand)[:3])
    stage = f"stage {x.stage.value}" if x.stage is not None else "a deal without a stage"
    settle = f" (after people talk it settles at {after:+.2f})" if not math.isnan(after) else ""
    msg = f"Committee support is {now:+.2f}{settle}; {stage} needs at least {need:+.2f}."
    action = (
        "Raise support where the decision weight is: win over "
        + (words.name_list([g.person(i) for i in who]) if who else "the decision group")
        + " (see stakegraph.targets for whom to win next)."
    )
    return [
        Finding(
            "LOW_SUPPORT",
            "critical" if x.late else "warning",
            who,
            msg,
            action,
            MappingProxyType({"support": now, "support_after": after, "needed": need}),
        )
    ]


@finding("STALE_CONTACT")
def _stale_contact(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    stale: list[tuple[int, str, _dt.date]] = []
    for pid in x.ids(x.key):
        p = g.person(pid)
        if p.last_contact is None:
            continue
        days = (x.as_of - p.last_contact).days
        if days > x.s.stale_days:
            stale.append((days, pid, p.last_contact))
    if not stale:
        return []
    stale.sort(key=lambda t: (-t[0], x.position[c.index[t[1]]]))
    parts = []
    for days, pid, seen in stale:
        p = g.person(pid)
        own = f", owner {_owner(g, p.owner)}" if p.owner else ""
        parts.append(f"{words.who(g.person(pid))} {days} days ago ({seen.isoformat()}{own})")
    msg = (
        f"Key people not contacted for more than {x.s.stale_days} days as of {x.as_of.isoformat()}: "
        + "; ".join(parts)
        + "."
    )
    return [
        Finding(
            "STALE_CONTACT",
            "warning",
            tuple(pid for _, pid, _ in stale),
            msg,
            "Book a meeting with each of them soon; a key person not seen for months is a person "
            "the competitor may be seeing instead.",
            MappingProxyType({"days": {pid: d for d, pid, _ in stale}}),
        )
    ]


def in_both(old: "StakeholderGraph", new: "StakeholderGraph") -> Iterator[tuple[str, "Person", "Person"]]:
    """(id, person then, person now) for everyone in both snapshots, in the new snapshot's order."""
    for pid, q in new.people.items():
        p = old.people.get(pid)
        if p is not None:
            yield pid, p, q


def backsliders(old: "StakeholderGraph", new: "StakeholderGraph") -> list[str]:
    """People in both snapshots who slipped back: were supportive and are less so, or newly ``backsliding``.

    Support is compared as a number (``support``, else the stance's value);
    people whose support is unknown in either snapshot count only through the
    ``backsliding`` reason.

    Examples
    --------
    >>> import stakegraph as sg
    >>> a = sg.StakeholderGraph(); a.add_person("li", stance="ally"); a.add_person("wu", stance="neutral")
    >>> b = a.copy(); b.set_stance("li", "supporter"); b.set_stance("wu", "skeptic")
    >>> backsliders(a, b)
    ['li']
    """
    out = []
    for pid, p, q in in_both(old, new):
        s0, s1 = p.support_value, q.support_value
        dropped = s0 == s0 and s1 == s1 and s0 > 0 and s1 < s0 - 1e-12
        newly = q.reason is Reason.BACKSLIDING and p.reason is not Reason.BACKSLIDING
        if dropped or newly:
            out.append(pid)
    return out


@finding("SUPPORT_SHRINKING")
def _support_shrinking(x: _Ctx) -> list[Finding]:
    if x.previous is None:
        return []
    g, previous = x.g, x.previous
    now, after, reach = x.committee
    p_now, p_after, p_reach = x.previous_committee
    lower_support = not math.isnan(now) and not math.isnan(p_now) and now < p_now - x.s.shrink_tolerance
    lower_reach = not math.isnan(reach) and not math.isnan(p_reach) and reach < p_reach
    if not (lower_support or lower_reach):
        return []
    who = [i for i in backsliders(previous, g) if i in g]
    since = (
        f" since {previous.deal.as_of.isoformat()}" if previous.deal.as_of else " since the previous snapshot"
    )
    bits = []
    if lower_support:
        bits.append(f"committee support fell from {p_now:+.2f} to {now:+.2f}")
    if lower_reach:
        bits.append(f"reach fell from {p_reach:.0f} to {reach:.0f} supportive people")
    msg = "Support is shrinking" + since + ": " + " and ".join(bits) + "."
    if who:
        msg += f" Backsliding: {words.name_list([g.person(i) for i in who])}."
        action = (
            f"Re-engage {words.name_list([g.person(i) for i in who], title=False)} first: find out what changed for each and "
            "address it before the slide spreads to the people who listen to them."
        )
    else:
        action = (
            "Find out what changed since the last snapshot (new people, lost ties, a competitor's move) "
            "and act on it before the slide spreads."
        )
    return [
        Finding(
            "SUPPORT_SHRINKING",
            "warning",
            tuple(who),
            msg,
            action,
            MappingProxyType(
                {"support": (p_now, now), "support_after": (p_after, after), "reach": (p_reach, reach)}
            ),
        )
    ]


@finding("HIDDEN_INFLUENCER")
def _hidden_influencer(x: _Ctx) -> list[Finding]:
    g, c = x.g, x.c
    out = []
    for pid in x.ids(x.hidden & c.customer):
        i = c.index[pid]
        p = g.person(pid)
        covered = bool(x.covered[i])
        supportive = bool(c.support[i] > 0.25)
        formal, informal = x.ranks[i]
        msg = (
            f"{words.who(g.person(pid))} carries far more informal influence than their place on the org chart shows: "
            f"informal rank {informal:g}, formal rank {formal:g}; a hidden influencer."
        )
        if not covered:
            msg += " Nobody on our team covers them."
            action = (
                f"Cover {p.label}: open a relationship and learn their view; people who look minor on the "
                "chart can carry the committee."
            )
        elif not supportive:
            msg += f" We know them, but they are {words.stance_phrase(g.person(pid).stance, float(c.support[c.index[pid]]))}."
            action = f"Win {p.label} over: they shape what others think; treat them as a key person."
        else:
            action = (
                f"Keep {p.label} close: brief them early and let them carry our case to the people who "
                "listen to them."
            )
        out.append(
            Finding("HIDDEN_INFLUENCER", "info" if covered and supportive else "warning", (pid,), msg, action)
        )
    return out


# ----------------------------------------------------------------------------- the intelligence system
def _informant(g: "StakeholderGraph", informant: str) -> str:
    return words.who(g.person(informant), title=False) if informant in g.people else informant


def _stance_reports(x: _Ctx) -> dict[str, list[Observation]]:
    """Each informant's newest stance report per person, as of the diagnosis date."""
    reports = [o for o in x.g.observations if o.about == "stance" and (o.date is None or o.date <= x.as_of)]
    out: dict[str, list[Observation]] = {}
    for o in newest(reports, lambda o: o.subject):
        out.setdefault(o.subject, []).append(o)
    return out


@finding("SINGLE_SOURCE")
def _single_source(x: _Ctx) -> list[Finding]:
    if not x.g.observations:
        return []
    g = x.g
    reports = _stance_reports(x)
    one = [pid for pid in x.ids(x.key) if len(reports.get(pid, [])) == 1]
    if not one:
        return []
    parts = [
        f"{words.who(g.person(pid))}: {reports[pid][0].value.value} per {_informant(g, reports[pid][0].informant)}"
        for pid in one
    ]
    sev: Severity = "warning" if set(one) & set(x.dms) else "info"
    return [
        Finding(
            "SINGLE_SOURCE",
            sev,
            tuple(one),
            "The stance of these key people rests on one informant each: " + "; ".join(parts) + ".",
            "Confirm each stance with a second source before you plan on it: ask another informant who "
            "meets them, or meet them yourself.",
            MappingProxyType({"informant": {pid: reports[pid][0].informant for pid in one}}),
        )
    ]


@finding("INFORMANTS_DISAGREE")
def _informants_disagree(x: _Ctx) -> list[Finding]:
    if not x.g.observations:
        return []
    g = x.g
    reports = _stance_reports(x)
    out = []
    for pid in x.ids(x.key):
        said = reports.get(pid, [])
        values = [o.value.support for o in said if isinstance(o.value, Stance)]
        if len(said) < 2 or max(values) - min(values) < 1.0:
            continue  # agreeing, or one step apart (an ally and a supporter)
        told = "; ".join(f"{_informant(g, o.informant)} says {o.value.value}" for o in said)
        p = g.person(pid)
        out.append(
            Finding(
                "INFORMANTS_DISAGREE",
                "warning",
                (pid,),
                f"The reports about {words.who(p)} conflict: {told}.",
                f"Find out where {p.label} really stands before the review: meet them, or ask the informant "
                "you trust most what they saw and when.",
                MappingProxyType({"reports": {o.informant: o.value.value for o in said}}),
            )
        )
    return out


@finding("UNRELIABLE_INFORMANT")
def _unreliable_informant(x: _Ctx) -> list[Finding]:
    if not any(o.about == "stance" for o in x.g.observations):
        return []
    g = x.g
    beliefs = fuse(g, ties="consensus", stances="dawid_skene", as_of=x.as_of)
    out = []
    for row in beliefs.informants:
        acc, n = row["stance_accuracy"], row["stance_checked"]
        if acc is None or n < x.s.informant_reports or row["stance_accuracy_90"][1] >= x.s.informant_accuracy:
            continue  # too few reports the others can check, or not clearly wrong
        who = _informant(g, row["informant"])
        people = (row["informant"],) if row["informant"] in g.people else ()
        out.append(
            Finding(
                "UNRELIABLE_INFORMANT",
                "warning",
                people,
                f"The other informants bear out only {acc:.0%} of {who}'s stance reports ({n} people "
                "reported on by others too).",
                f"Weigh what {who} tells you less and confirm it elsewhere before acting on it; ask why their "
                "view differs (they may see only one side of the account).",
                MappingProxyType({"informant": row["informant"], "accuracy": acc, "reports": n}),
            )
        )
    return out


@finding("STALE_INTELLIGENCE")
def _stale_intelligence(x: _Ctx) -> list[Finding]:
    if not x.g.observations:
        return []
    g = x.g
    newest: dict[str, _dt.date] = {}
    for o in g.observations:
        if o.date is None or o.date > x.as_of:
            continue
        for pid in (o.subject, o.target):
            if pid is not None and (pid not in newest or o.date > newest[pid]):
                newest[pid] = o.date
    old = [
        ((x.as_of - newest[pid]).days, pid)
        for pid in x.ids(x.key)
        if pid in newest
        if (x.as_of - newest[pid]).days > x.s.intel_days
    ]
    if not old:
        return []
    old.sort(key=lambda t: -t[0])
    parts = [f"{words.who(g.person(pid))}: {days} days ({newest[pid].isoformat()})" for days, pid in old]
    return [
        Finding(
            "STALE_INTELLIGENCE",
            "warning",
            tuple(pid for _, pid in old),
            f"The newest report about these key people is older than {x.s.intel_days} days: "
            + "; ".join(parts)
            + ".",
            "Ask your coach and the partner for a fresh read on each of them; a stance reported months ago "
            "may have moved.",
            MappingProxyType({"days": {pid: d for d, pid in old}}),
        )
    ]


@overload
def diagnose(
    g: "StakeholderGraph",
    *,
    previous: "StakeholderGraph | None" = None,
    as_of: _dt.date | str | None = None,
    stale_days: int | None = None,
    settings: DiagnoseSettings | None = None,
    influence: InfluenceModel | None = None,
    samples: int = 100,
    seed: int | np.random.Generator | None = None,
) -> Diagnosis: ...


@overload
def diagnose(
    g: Beliefs,
    *,
    previous: "StakeholderGraph | None" = None,
    as_of: _dt.date | str | None = None,
    stale_days: int | None = None,
    settings: DiagnoseSettings | None = None,
    influence: InfluenceModel | None = None,
    samples: int = 100,
    seed: int | np.random.Generator | None = None,
) -> DiagnosisSpread: ...


# ----------------------------------------------------------------------------- public
def diagnose(
    g: "StakeholderGraph | Beliefs",
    *,
    previous: "StakeholderGraph | None" = None,
    as_of: _dt.date | str | None = None,
    stale_days: int | None = None,
    settings: DiagnoseSettings | None = None,
    influence: InfluenceModel | None = None,
    samples: int = 100,
    seed: int | np.random.Generator | None = None,
) -> Diagnosis | DiagnosisSpread:
    """Deal health: the method's findings, each with severity, people and a recommended action.

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.DiagnosisSpread` (see
        :func:`~stakegraph.analysis.uncertain.diagnosis_spread`).
    samples : int, default 100
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    previous : StakeholderGraph, optional
        An earlier snapshot of the same account; when given, ``SUPPORT_SHRINKING``
        is raised if committee support or reach is lower now.
    as_of : date or ISO string, optional
        The date stale contacts are measured against. Default: the deal's
        ``as_of``, else today.
    stale_days : int, optional
        Overrides ``settings.stale_days`` (default 60).
    settings : DiagnoseSettings, optional
        Every threshold (see :class:`DiagnoseSettings`).

    influence : InfluenceModel, optional
        How ties carry influence (default: the graph's model), for every analysis diagnose reads.
        Those analyses run with ``seed=0``, so the same graph always gets the same findings.
    Returns
    -------
    Diagnosis
        ``score`` in [0, 100] and the findings, most severe first. See the
        module documentation for every code, when it is raised and its severity.

    Raises
    ------
    ValidationError
        For a bad parameter.

    Notes
    -----
    The score starts at 100 and each finding takes points off by severity
    (critical 20, warning 8, info 2), with at most 60, 30 and 10 points per
    severity. Power, hidden influencers and coalitions come from
    :func:`~stakegraph.rank` and :func:`~stakegraph.structure`, committee
    support and reach from :func:`~stakegraph.propagate` (Friedkin-Johnsen),
    introduction routes from :func:`~stakegraph.paths`.

    Examples
    --------
    >>> import stakegraph as sg
    >>> d = sg.diagnose(sg.datasets.load("bank"))
    >>> 0 <= d.score <= 100
    True
    >>> {"DM_NOT_MET", "POWERFUL_OPPONENT", "HIDDEN_INFLUENCER"} <= set(d.codes())
    True
    >>> f = d.by_code("DM_NOT_MET")[0]
    >>> f.severity, f.people
    ('warning', ('ceo',))
    """
    from ..model import StakeholderGraph

    if isinstance(g, Beliefs):
        from .uncertain import diagnosis_spread

        return diagnosis_spread(
            g,
            samples=samples,
            seed=seed,
            previous=previous,
            as_of=as_of,
            stale_days=stale_days,
            settings=settings,
            influence=influence,
        )
    check_graph(g, "diagnose")
    if previous is not None and not isinstance(previous, StakeholderGraph):
        raise ValidationError(
            f"The 'previous' parameter of diagnose must be a StakeholderGraph or None. "
            f"Got {type(previous).__name__} instead."
        )
    if settings is None:
        settings = DiagnoseSettings()
    elif not isinstance(settings, DiagnoseSettings):
        raise ValidationError(
            f"The 'settings' parameter of diagnose must be a DiagnoseSettings or None. "
            f"Got {type(settings).__name__} instead."
        )
    stale_days = check_int(stale_days, "stale_days", "diagnose", low=1, none=True)
    if stale_days is not None:
        from dataclasses import replace

        settings = replace(settings, stale_days=int(stale_days))
    day = _as_date(as_of, "as_of", "diagnose")
    if day is None:
        day = g.deal.as_of if g.deal.as_of is not None else _dt.date.today()

    influence = check_influence(influence, "diagnose")
    x = _context(g, settings, day, influence)
    x.committee = committee_summary(g, influence=influence)
    if previous is not None:
        x.previous = previous
        x.previous_committee = committee_summary(previous, influence=influence)
    findings = _grouped([f for check in FINDINGS.values() for f in check(x)], x)
    findings.sort(key=_sort_key)
    return Diagnosis(
        score=health_score(findings, settings),
        findings=tuple(findings),
        as_of=day,
        stage=x.stage,
        names={pid: p.label for pid, p in g.people.items()},
    )


_GROUPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "POWERFUL_OPPONENT": (
            "other powerful people are against us or doubtful",
            "Once the people above are handled, work down this list: find out what each would need, and keep "
            "the decision-makers hearing our case from people they trust.",
        ),
        "NON_SUPPORTER": (
            "other people do not support us yet",
            "Work down this list by power when the key people are covered; give each a reason to support us.",
        ),
        "HIDDEN_INFLUENCER": (
            "other people have more influence than their place on the chart suggests",
            "Learn who listens to them, beginning with the most powerful, and bring the first few into the plan.",
        ),
    }
)


def _grouped(findings: list[Finding], x: _Ctx) -> list[Finding]:
    """Findings about one person each, beyond ``individual`` of a kind, as one finding of the rest by power."""
    limit = x.s.individual
    out: list[Finding] = []
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code in _GROUPS and len(f.people) == 1:
            by_code.setdefault(f.code, []).append(f)
        else:
            out.append(f)
    for code, group in by_code.items():
        group.sort(key=lambda f: (int(x.position[x.c.index[f.people[0]]]), f.people[0]))
        if len(group) <= limit + 1:  # grouping one would only rename it
            out.extend(group)
            continue
        out.extend(group[:limit])
        rest = group[limit:]
        ids = tuple(f.people[0] for f in rest)
        people = [x.g.person(i) for i in ids]
        noun, action = _GROUPS[code]
        named = words.name_list(people, title=False, limit=5)
        out.append(
            Finding(
                code,
                "info",
                ids,
                f"{len(ids)} {noun}, the most powerful first: {named}.",
                action,
                MappingProxyType(
                    {
                        "grouped": len(ids),
                        "severities": {s: sum(f.severity == s for f in rest) for s in SEVERITIES},
                        "ranks": [int(x.position[x.c.index[i]]) + 1 for i in ids],
                    }
                ),
            )
        )
    return out


def _as_date(value: Any, name: str, func: str) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        f"The {name!r} parameter of {func} must be a date or an ISO date string "
        f"(YYYY-MM-DD). Got {value!r} instead."
    )


CODES: tuple[str, ...] = tuple(FINDINGS)
"""Every finding code, in the order the findings are listed (within one severity)."""

_CODE_ORDER = {c: i for i, c in enumerate(CODES)}
