"""How far support reaches: views settling as people talk, and cascades of ours and a competitor's support.

Four models on the compiled influence matrix (see :mod:`stakegraph._compiled`):

``"fj"`` (default)
    Friedkin–Johnsen: each person's view moves toward the views of the people
    they listen to, by their ``openness``, while staying anchored to their own
    starting view: ``x* = (I − ΛW)⁻¹ (I − Λ) x₀``.
``"degroot"``
    DeGroot averaging, the ``Λ = I`` limit: everyone fully open, views repeatedly
    averaged until they stop changing.
``"ic"``, ``"lt"``
    Independent cascade and linear threshold Monte Carlo of *active support*:
    ours spreading from our champions and allies (and our own team) and, at
    the same time, the competitor's from hostile people and the competitor's
    people. Each person ends with us, with them, or undecided.

Examples
--------
>>> import stakegraph as sg
>>> g = sg.StakeholderGraph()
>>> g.add_person("cto", roles=["decision_maker"], stance="neutral")
>>> g.add_person("arch", roles=["evaluator"], stance="champion")
>>> g.add_tie("arch", "cto", "advises", 0.8)
>>> p = sg.propagate(g)
>>> round(p.committee_support_before, 3), round(p.committee_support, 3)
(0.333, 0.533)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import scipy.sparse as sp

from .._compat import old_spellings
from .._compiled import Entry
from ..errors import UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_bool, check_choice, check_float, check_int, rng
from ..method.vocabulary import Stance, is_active_against_us, is_active_for_us
from ..method.words import finite_or_none, signed
from ..model import StakeholderGraph, check_graph
from ..results import Result
from . import _cascade, _opinion
from .fuse import Beliefs

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._compiled import CompiledGraph
    from .uncertain import SupportSpread

__all__ = ["REACH_THRESHOLD", "Propagation", "committee_summary", "propagate"]

_CASCADE_EDGES: Entry[_cascade.CascadeEdges] = Entry(
    "propagate.cascade_edges", "Live-edge probabilities of a cascade model, per model."
)
_FJ_SYSTEM: Entry[_opinion.FJSystem] = Entry(
    "propagate.fj_system", "The Friedkin–Johnsen system x = Mx + Dx0, per policy for unknown stances."
)
_CUSTOMER_DEPTS: Entry[np.ndarray] = Entry(
    "propagate.customer_departments", "Departments the customer's people are in."
)
_ID_ARRAY: Entry[np.ndarray] = Entry("propagate.id_array", "The ids in row order, as an object array.")
_LABELS: Entry[tuple[tuple[Any, ...], tuple[str, ...], tuple[str, ...]]] = Entry(
    "propagate.labels", "Each person's name, department and side, in row order."
)
_COMMITTEE: Entry[tuple[float, float, float]] = Entry(
    "propagate.committee_summary", "Committee support now, after Friedkin–Johnsen, and reach."
)

"""Support at or above which a person starts a cascade for us (ally, champion); at or below minus it, for the
competitor (hostile)."""

_MODELS = ("fj", "degroot", "ic", "lt")
_UNKNOWN = ("neutral", "exclude")
_Z = 1.959963984540054  # two-sided 95% normal quantile


# ----------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False, repr=False)
class Propagation(Result):
    """How support settles or spreads: per person, over the committee, and in reach.

    Arrays are aligned with ``ids`` (every person of the graph, in graph
    order). For ``"fj"`` and ``"degroot"``, ``after`` is the predicted support
    in [-1, 1]; for ``"ic"`` and ``"lt"`` it is the probability of ending with
    us, with 95% confidence intervals in ``after_ci``.

    Attributes
    ----------
    model : {"fj", "degroot", "ic", "lt"}
    unknown : {"neutral", "exclude"}
        The policy used for people whose stance is unknown.
    ids, names, departments, orgs : tuple of str
    before : ndarray
        Support each person starts from (0 for an unknown stance under
        ``"neutral"``, nan under ``"exclude"``).
    after : ndarray
        Predicted support (fj, degroot; nan for a person left without a view)
        or probability of ending with us (ic, lt).
    committee_support, committee_support_before : float
        Power-weighted mean over the decision group (customer people with a
        buying role) after and before; nan when the group has no power. For
        ic and lt, a person counts +1 with us, -1 with them, 0 undecided.
    reach, reach_before : float
        Customer people ending supportive: predicted support at or above
        ``threshold`` (fj, degroot), or the expected number ending with us
        (ic, lt; ``reach_before`` counts those starting with us).
    reach_ids : tuple of str
        Customer people ending supportive (ic, lt: more likely than not with us).
    reach_by_department : mapping of str to float
        ``reach`` per department (customer people only; ``""`` = no department).
    threshold : float or None
        Support at which a person counts as supportive (fj, degroot).
    converged : bool
        FJ: always True (it raises otherwise); DeGroot: the views stopped
        changing within ``max_iter``; ic, lt: every cascade stopped by itself.
    iterations : int
        Solver iterations (fj), rounds (degroot), or the longest cascade in rounds.
    method : str
        ``"direct"``, ``"fixed_point"``, ``"bicgstab"``, ``"gmres"``,
        ``"averaging"`` or ``"monte_carlo"``.
    runs, competition : int or None, bool or None
        Monte Carlo settings (ic, lt).
    after_ci, p_them, p_them_ci : ndarray or None
        ic, lt: Wilson 95% intervals of ``after``, probability of ending with
        the competitor and its interval.
    committee_support_ci, reach_ci : tuple of float or None
        ic, lt: normal 95% intervals over runs.
    reach_by_department_ci : mapping or None
    trajectory : ndarray or None
        Views round by round, shape (rounds + 1, people), when asked for.
    system : FJSystem or None
        fj: the linear system that was solved (``x = ΛW x + (I − Λ) x0``),
        which :attr:`attribution` and :func:`~stakegraph.targets` reuse.
    """

    model: str
    unknown: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    departments: tuple[str, ...]
    orgs: tuple[str, ...]
    customer: np.ndarray
    unknown_stance: np.ndarray
    before: np.ndarray
    after: np.ndarray
    committee_support: float
    committee_support_before: float
    reach: float
    reach_before: float
    reach_ids: tuple[str, ...]
    reach_by_department: Mapping[str, float]
    threshold: float | None
    converged: bool
    iterations: int
    method: str
    runs: int | None = None
    competition: bool | None = None
    after_ci: np.ndarray | None = None
    p_them: np.ndarray | None = None
    p_them_ci: np.ndarray | None = None
    committee_support_ci: tuple[float, float] | None = None
    reach_ci: tuple[float, float] | None = None
    reach_by_department_ci: Mapping[str, tuple[float, float]] | None = None
    trajectory: np.ndarray | None = None
    system: _opinion.FJSystem | None = field(default=None, repr=False)
    _index: Mapping[str, int] = field(default_factory=dict, repr=False)

    _title = "Propagation"

    @property
    def stochastic(self) -> bool:
        """True for the Monte Carlo models (ic, lt)."""
        return self.model in ("ic", "lt")

    def _row(self, person_id: str) -> int:
        try:
            return self._index[person_id]
        except KeyError:
            raise UnknownPersonError(person_id, self.ids) from None

    def support_of(self, person_id: str) -> float:
        """``after`` for one person: predicted support, or probability of ending with us (ic, lt)."""
        return float(self.after[self._row(person_id)])

    # -- attribution -------------------------------------------------------------
    @property
    def attribution(self) -> sp.csr_array:
        """Who drives whose view (fj): ``V = (I − ΛW)⁻¹ (I − Λ)``, sparse, rows and columns in ``ids`` order.

        ``V[i, j]`` is person j's share in person i's settled view
        (``after = V @ before`` under the ``unknown`` policy). Exact, with
        entries below 1e-12 dropped, up to 2,000 people; on larger graphs the
        Neumann series ``Σ (ΛW)^k (I − Λ)`` with each term's entries below 1e-4
        dropped, so no dense inverse is formed (use :meth:`top_contributors`
        for exact rows). Computed on first use.

        Raises
        ------
        ValidationError
            For any model other than ``"fj"``.
        """
        return self._fj().attribution()

    def _fj(self) -> _opinion.FJSystem:
        if self.model != "fj" or self.system is None:
            raise ValidationError(
                f"attribution is defined for model='fj'; this propagation used "
                f"model={self.model!r}. Call sg.propagate(g, model='fj')."
            )
        return self.system

    def top_contributors(self, person_id: str, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` people whose starting views weigh most in ``person_id``'s settled view (fj).

        Shares are rows of :attr:`attribution`, computed exactly for this one
        person (a transposed solve on large graphs); the person's own anchor
        is included. Sorted by absolute share; zero shares are left out.

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> g.add_person("cto", roles=["decision_maker"], stance="neutral")
        >>> g.add_person("arch", stance="champion")
        >>> g.add_tie("arch", "cto", "advises")
        >>> [(pid, round(s, 2)) for pid, s in sg.propagate(g).top_contributors("cto")]
        [('cto', 0.7), ('arch', 0.3)]
        """
        system = self._fj()
        i = self._row(person_id)
        k = check_int(n, "n", "Propagation.top_contributors", low=1)
        row = system.attribution_row(i)
        nz = np.flatnonzero(np.abs(row) > 1e-12)
        order = nz[np.lexsort((nz, -np.abs(row[nz])))][:k]
        return [(self.ids[j], float(row[j])) for j in order]

    # -- views -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: model, committee support, reach, and one row per person.

        Keys: ``model``, ``unknown``, ``committee_support``,
        ``committee_support_before``, ``committee_support_ci``, ``reach``,
        ``reach_before``, ``reach_ci``, ``reach_ids``, ``reach_by_department``,
        ``reach_by_department_ci``, ``threshold``, ``converged``,
        ``iterations``, ``method``, ``runs``, ``competition``, ``people`` and
        ``trajectory``. Each person: ``id``, ``name``, ``department``,
        ``org``, ``unknown``, ``before``, ``after``, ``after_ci``, ``p_them``,
        ``p_them_ci``, ``p_undecided``, ``stance_after``, ``supportive``.
        Entries that do not apply to the model are None.
        """
        reach_set = set(self.reach_ids)
        people = []
        for i, pid in enumerate(self.ids):
            a = float(self.after[i])
            row: dict[str, Any] = {
                "id": pid,
                "name": self.names[i],
                "department": self.departments[i],
                "org": self.orgs[i],
                "customer": self.orgs[i] == "customer",
                "unknown": bool(self.unknown_stance[i]),
                "before": finite_or_none(self.before[i]),
                "after": finite_or_none(a),
                "after_ci": None,
                "p_them": None,
                "p_them_ci": None,
                "p_undecided": None,
                "stance_after": None,
                "supportive": pid in reach_set,
            }
            if self.stochastic:
                row["after_ci"] = [finite_or_none(v) for v in self.after_ci[i]]  # type: ignore[index]
                row["p_them"] = finite_or_none(self.p_them[i])  # type: ignore[index]
                row["p_them_ci"] = [finite_or_none(v) for v in self.p_them_ci[i]]  # type: ignore[index]
                row["p_undecided"] = finite_or_none(max(0.0, 1.0 - a - float(self.p_them[i])))  # type: ignore[index]
            else:
                row["stance_after"] = Stance.from_support(a).value
            people.append(row)
        return {
            "model": self.model,
            "unknown": self.unknown,
            "committee_support": finite_or_none(self.committee_support),
            "committee_support_before": finite_or_none(self.committee_support_before),
            "committee_support_ci": _pair(self.committee_support_ci),
            "reach": finite_or_none(self.reach) if self.stochastic else int(self.reach),
            "reach_before": finite_or_none(self.reach_before) if self.stochastic else int(self.reach_before),
            "reach_ci": _pair(self.reach_ci),
            "reach_ids": list(self.reach_ids),
            "reach_by_department": {
                k: (finite_or_none(v) if self.stochastic else int(v))
                for k, v in self.reach_by_department.items()
            },
            "reach_by_department_ci": (
                None
                if self.reach_by_department_ci is None
                else {k: _pair(v) for k, v in self.reach_by_department_ci.items()}
            ),
            "threshold": self.threshold,
            "converged": bool(self.converged),
            "iterations": int(self.iterations),
            "method": self.method,
            "runs": self.runs,
            "competition": self.competition,
            "people": people,
            "trajectory": None
            if self.trajectory is None
            else [[finite_or_none(v) for v in row] for row in self.trajectory],
        }

    def _table(self) -> list[dict[str, Any]]:
        rows = []
        for r in self.to_dict()["people"]:
            out = {k: r[k] for k in ("id", "name", "org", "customer", "department", "before", "after")}
            if self.stochastic:
                out["after_low"], out["after_high"] = r["after_ci"]
                out["p_them"] = r["p_them"]
                out["p_undecided"] = r["p_undecided"]
            else:
                out["stance_after"] = r["stance_after"]
            out["supportive"] = r["supportive"]
            out["unknown"] = r["unknown"]
            rows.append(out)
        return rows

    def _summary(self) -> list[str]:
        label = {
            "fj": "Friedkin–Johnsen",
            "degroot": "DeGroot",
            "ic": "independent cascade",
            "lt": "linear threshold",
        }[self.model]
        lines = [
            f"{label}: committee support {signed(self.committee_support_before)} → "
            f"{signed(self.committee_support)}"
            + (
                f" (95% CI {signed(self.committee_support_ci[0])} to {signed(self.committee_support_ci[1])})"
                if self.committee_support_ci
                else ""
            )
        ]
        n_c = int(np.count_nonzero(self.customer))
        if self.stochastic:
            lines.append(
                f"reach: {self.reach:.1f} of {n_c} customer people expected with us "
                f"({self.runs} runs, competition {'on' if self.competition else 'off'})"
            )
        else:
            lines.append(f"reach: {int(self.reach)} of {n_c} customer people at support ≥ {self.threshold:g}")
        unit = "iteration" if self.model == "fj" else "round"
        lines.append(
            f"unknown stances: {self.unknown}; {'converged' if self.converged else 'not converged'} "
            f"after {self.iterations} {unit}{'' if self.iterations == 1 else 's'} ({self.method})"
        )
        return lines

    def __repr__(self) -> str:
        reach = f"{self.reach:.1f}" if self.stochastic else f"{int(self.reach)}"
        return (
            f"<Propagation {self.model}: committee support {signed(self.committee_support_before)} -> "
            f"{signed(self.committee_support)}, reach {reach} of {int(np.count_nonzero(self.customer))} "
            f"customer people>"
        )

    def display_names(self) -> Mapping[str, str]:
        return {pid: name or pid for pid, name in zip(self.ids, self.names)}

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """Before and after per customer person, by name; see :func:`stakegraph.viz.plots.plot_propagation`."""
        from ..viz.plots import plot_propagation

        return plot_propagation(self, ax, **kw)


def _pair(v: tuple[float, float] | None) -> list[float | None] | None:
    return None if v is None else [finite_or_none(v[0]), finite_or_none(v[1])]


# ----------------------------------------------------------------------------- helpers
def _wmean(values: np.ndarray, weight: np.ndarray) -> float:
    """Weighted mean over finite values with positive total weight; nan otherwise."""
    ok = np.isfinite(values) & (weight > 0)
    total = float(weight[ok].sum())
    if total <= 0:
        return math.nan
    return float(weight[ok] @ values[ok] / total)


def _mean_ci(samples: np.ndarray) -> tuple[float, tuple[float, float]]:
    r = samples.size
    mean = float(samples.mean()) if r else math.nan
    if r < 2 or not np.isfinite(mean):
        return mean, (math.nan, math.nan)
    half = _Z * float(samples.std(ddof=1)) / math.sqrt(r)
    return mean, (mean - half, mean + half)


def _wilson(k: np.ndarray, r: int) -> np.ndarray:
    p = k / r
    z2 = _Z * _Z
    den = 1.0 + z2 / r
    centre = (p + z2 / (2 * r)) / den
    half = _Z * np.sqrt(p * (1 - p) / r + z2 / (4 * r * r)) / den
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(k == r, 1.0, np.clip(centre + half, 0.0, 1.0))
    out: np.ndarray = np.c_[lo, hi]
    return out


REACH_THRESHOLD = 0.25
"""Support at which a customer person counts toward ``reach`` (the default of :func:`propagate`)."""


@overload
def propagate(
    g: "StakeholderGraph",
    *,
    model: Literal["fj", "degroot", "ic", "lt"] = "fj",
    unknown: Literal["neutral", "exclude"] = "neutral",
    threshold: float = REACH_THRESHOLD,
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    max_iter: int | None = None,
    tol: float = 1e-10,
    trajectory: bool = False,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Propagation: ...


@overload
def propagate(
    g: Beliefs,
    *,
    model: Literal["fj", "degroot", "ic", "lt"] = "fj",
    unknown: Literal["neutral", "exclude"] = "neutral",
    threshold: float = REACH_THRESHOLD,
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    max_iter: int | None = None,
    tol: float = 1e-10,
    trajectory: bool = False,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> SupportSpread: ...


# ----------------------------------------------------------------------------- main
@old_spellings(renamed={"influence_model": "influence", "max_steps": "max_iter"}, positional=("model",))
def propagate(
    g: "StakeholderGraph | Beliefs",
    *,
    model: Literal["fj", "degroot", "ic", "lt"] = "fj",
    unknown: Literal["neutral", "exclude"] = "neutral",
    threshold: float = REACH_THRESHOLD,
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    max_iter: int | None = None,
    tol: float = 1e-10,
    trajectory: bool = False,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Propagation | SupportSpread:
    r"""How support settles or spreads through the organisation.

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.SupportSpread` (see
        :func:`~stakegraph.analysis.uncertain.support_spread`).
    samples : int, default 200
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    model : {"fj", "degroot", "ic", "lt"}, default "fj"
        ``"fj"``: Friedkin–Johnsen, ``x* = (I − ΛW)⁻¹ (I − Λ) x₀`` with ``W``
        the row-normalised influence matrix (who listens to whom), ``Λ`` the
        diagonal of openness and ``x₀`` each person's support.
        ``"degroot"``: ``x(t+1) = W x(t)`` (``Λ = I``: openness is ignored)
        until the views stop changing or ``max_iter``.
        ``"ic"``/``"lt"``: independent-cascade / linear-threshold Monte Carlo
        of active support (see Notes).
    unknown : {"neutral", "exclude"}, default "neutral"
        People whose stance is unknown. ``"neutral"``: they start at 0 like a
        neutral person. ``"exclude"``: their starting view does not count
        (fj: openness 1, no anchor, so they only pass on what they hear;
        degroot: views are averaged over the known starting views only). A
        person no known view reaches is left without a view (``after`` nan)
        and out of the committee figure; people listening to them listen to
        the others instead. The policy is recorded in the result. In ic and
        lt unknown people are simply undecided at the start either way.
    threshold : float in [-1, 1], default 0.25
        fj, degroot: a customer person counts toward ``reach`` when their
        predicted support is at least this (0.25 is halfway between neutral
        and supporter).
    runs : int >= 1, default 1000
        ic, lt: number of Monte Carlo runs.
    seed : int, numpy.random.Generator or None
        ic, lt: randomness; the same seed gives the same numbers.
    competition : bool, default True
        ic, lt: whether the competitor's support spreads too. When False only
        ours spreads: the competitor's people and hostile people (and anyone
        a rival turns against us) keep their side but pass nothing on.
    max_iter : int >= 1 or None
        fj: iteration budget (default 10,000; :class:`ConvergenceError` when
        exceeded); degroot: rounds (default 1,000; ``converged`` says whether
        the views settled); ic, lt: rounds of the cascade (default: until it
        stops by itself), e.g. 2 for "within two conversations".
    tol : float > 0, default 1e-10
        fj, degroot: largest change of any view (or residual) at which the
        views count as settled.
    trajectory : bool, default False
        fj, degroot: keep the views round by round (``result.trajectory``)
        so they can be plotted.
    influence : InfluenceModel, optional
        How ties carry influence (default: the graph's model); formerly ``influence_model``.

    Returns
    -------
    Propagation
        Per person ``before``/``after``, committee support before and after,
        reach (overall, ids, per department), and for fj the attribution
        (:attr:`Propagation.attribution`, :meth:`Propagation.top_contributors`).

    Raises
    ------
    ValidationError
        For a bad parameter.
    ConvergenceError
        fj: when some people are fully open (openness 1) and listen only to
        fully open people (``I − ΛW`` singular; the message names them), or
        the solve does not reach ``tol`` within ``max_iter``.

    Notes
    -----
    **Friedkin–Johnsen.** ``W`` is read from the compiled graph: row *i* holds
    the weights of the people *i* listens to, normalised by the sum of their
    absolute values (a rival's negative weight pulls toward the opposite
    view); ``openness`` and ``support`` set on a person are used as given, so
    a textbook example can be reproduced exactly. A person who listens to
    nobody keeps their own view. Small graphs (≤ 400 people) are solved
    directly; larger ones by the fixed-point iteration
    ``x ← ΛWx + (I − Λ)x₀`` (a sparse mat-vec per step), with BiCGSTAB and
    then GMRES when it contracts slowly; a sparse factorisation is never used.
    Person *i*'s settled view is ``Σ_j V[i, j] x₀[j]`` with
    ``V = (I − ΛW)⁻¹(I − Λ)``: the attribution.

    **Cascades.** A tie's activation probability is ``min(1, |weight|)`` along
    the direction of influence (from the influencer to the listener). Our
    side starts from people with support ≥ 0.75 (champions, allies and, by
    default, our own team); the competitor's from people with support ≤ −0.75
    (hostile people and, by default, the competitor's people). In ``"ic"``
    each person who joins a side has one chance to bring each listener
    along; a rival (negative weight) who is brought along joins the other
    side. In ``"lt"`` a listener's incoming weights are the positive
    influence weights (rivals carry none), scaled to sum to 1 only where they
    sum to more, and thresholds are uniform on [0, 1]: a listener decides
    once the weight of decided people they listen to reaches their threshold,
    taking the side of the listened-to people who decided in the last round
    with probability proportional to their weights. (Drawn in the equivalent
    live-edge form of Kempe, Kleinberg and Tardos, 2003.) Tie-break when both
    sides reach a person in the same round (ic): the side whose successful
    ties of that round carry the larger summed probability wins; an exact tie
    is settled by a fair coin drawn from ``seed``. All runs are simulated at
    once as bit matrices (64 runs per machine word). Every figure is a mean
    with a 95% interval: Wilson intervals for each person's probabilities,
    normal intervals over runs for reach and committee support.

    **Committee support** is the power-weighted mean of ``after`` over the
    decision group (customer people with a buying role), leaving out people
    without a view; for ic and lt each person counts +1 with us, −1 with them
    and 0 undecided (``committee_support_before`` counts who starts on each
    side).

    References
    ----------
    .. [1] N. E. Friedkin and E. C. Johnsen, "Social influence networks and
       opinion change", Advances in Group Processes 16 (1999), 1–29.
    .. [2] M. H. DeGroot, "Reaching a consensus", Journal of the American
       Statistical Association 69(345) (1974), 118–121.
    .. [3] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the spread of
       influence through a social network", KDD 2003.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("cfo", roles=["decision_maker"], department="Finance", stance="skeptic")
    >>> g.add_person("cio", roles=["approver"], department="IT", stance="neutral")
    >>> g.add_person("arch", roles=["evaluator"], department="IT", stance="champion")
    >>> g.add_person("rep", org="us")
    >>> g.add_tie("arch", "cio", "advises", 0.9)
    >>> g.add_tie("cio", "cfo", "influences", 0.6)
    >>> g.add_tie("rep", "arch", "friend", 0.5)
    >>> p = sg.propagate(g)
    >>> round(p.committee_support_before, 2), round(p.committee_support, 2)
    (0.0, 0.3)
    >>> p.reach, p.reach_ids, p.reach_by_department
    (2, ('cio', 'arch'), {'Finance': 0, 'IT': 2})
    >>> round(p.support_of("cfo"), 2)
    -0.2
    >>> [(pid, round(s, 2)) for pid, s in p.top_contributors("cio", 3)]
    [('cio', 0.5), ('arch', 0.25), ('rep', 0.25)]

    Cascades, seeded (the champion reaches the CIO with probability 0.9, who
    reaches the CFO with probability 0.6: 1 + 0.9 + 0.54 = 2.44 expected):

    >>> ic = sg.propagate(g, model="ic", runs=2000, seed=4)
    >>> round(ic.support_of("cio"), 1), round(ic.reach, 1), ic.reach_ci[0] < 2.44 < ic.reach_ci[1]
    (0.9, 2.4, True)
    """
    if isinstance(g, Beliefs):
        from .uncertain import support_spread

        options: dict[str, Any] = {} if unknown == "neutral" else {"unknown": unknown}
        if model in ("ic", "lt"):
            options.update(runs=runs, competition=competition)
        if max_iter is not None:
            options["max_iter"] = max_iter
        return support_spread(
            g,
            samples=samples,
            seed=seed,
            threshold=threshold,
            model=model,
            influence=influence,
            tol=tol,
            **options,
        )
    func = "propagate"
    check_graph(g, func)
    model = check_choice(model, "model", func, _MODELS)  # type: ignore[assignment]
    unknown = check_choice(unknown, "unknown", func, _UNKNOWN)  # type: ignore[assignment]
    threshold = check_float(threshold, "threshold", func, -1.0, 1.0, low_open=False, high_open=False)
    runs_ = check_int(runs, "runs", func, low=1)
    competition = check_bool(competition, "competition", func)
    max_iter = check_int(max_iter, "max_iter", func, low=1, none=True)
    tol = check_float(tol, "tol", func, 0.0, math.inf)
    trajectory = check_bool(trajectory, "trajectory", func)
    influence = check_influence(influence, func)
    gen = rng(seed, func)  # validated for every model, used by the stochastic ones only

    c = g.compiled(influence)
    common, before, weight, unknown_mask = _setup(g, c, model, unknown)
    if model in ("fj", "degroot"):
        return _deterministic(
            c,
            model,
            common,
            before,
            weight,
            unknown_mask,
            unknown=unknown,
            threshold=threshold,
            max_steps=max_iter,
            tol=tol,
            trajectory=trajectory,
        )
    return _stochastic(
        c, model, common, weight, runs=runs_, rng=gen, competition=competition, max_steps=max_iter
    )[0]


def _labels(g: StakeholderGraph, c: Any) -> tuple[tuple[Any, ...], tuple[str, ...], tuple[str, ...]]:
    """Each person's name, department and side, in row order (built once per view)."""
    people = g.people
    names = tuple(people[i].name for i in c.ids)
    departments = tuple(c.departments[d] for d in c.department) if c.n else ()
    orgs = tuple(c.ORGS[o] for o in c.org)
    return names, departments, orgs


def _setup(
    g: StakeholderGraph, c: Any, model: str, unknown: str
) -> tuple[dict[str, Any], np.ndarray, np.ndarray, np.ndarray]:
    """The fields every result shares, the starting views, committee weights and unknown stances."""
    names, departments, orgs = c.cached(_LABELS, lambda: _labels(g, c))
    unknown_mask = np.isnan(c.support)
    before = np.where(unknown_mask, 0.0 if unknown == "neutral" else np.nan, c.support)
    weight = np.where(c.decision_group, c.power, 0.0)
    common: dict[str, Any] = dict(
        model=model,
        unknown=unknown,
        ids=c.ids,
        names=names,
        departments=departments,
        orgs=orgs,
        customer=c.customer.copy(),
        unknown_stance=unknown_mask,
        before=before,
        _index=dict(c.index),
    )
    return common, before, weight, unknown_mask


def live_samples(
    c: Any, model: str, *, runs: int, seed: int | np.random.Generator | None
) -> _cascade.LiveSamples:
    """A fixed sample of ``runs`` live-edge graphs of ``model`` on compiled graph ``c`` (for :func:`cascade_on`).

    Drawn exactly as :func:`propagate` draws them with the same ``seed``.
    """
    return _cascade.draw_samples(edges_of(c, model), model, runs=runs, rng=rng(seed, "live_samples"))


def edges_of(c: Any, model: str) -> _cascade.CascadeEdges:
    """The cascade edges of ``model`` on compiled graph ``c``, built once per view."""
    edges: _cascade.CascadeEdges = c.cached(_CASCADE_EDGES, lambda: cascade_edges(c, model), model)
    return edges


def cascade_on(
    g: StakeholderGraph,
    samples: _cascade.LiveSamples,
    *,
    competition: bool,
    influence: InfluenceModel | None = None,
) -> tuple[Propagation, np.ndarray]:
    """The cascade of ``samples.model`` on ``g`` over a fixed sample of live-edge graphs.

    ``g`` must have the influence ties the sample was drawn for (stances may
    differ: common random numbers for comparing starting sides). Returns the
    propagation (as :func:`propagate` gives it with the same ``runs`` and
    seed when the sample is one chunk) and, per person, the runs ending with
    us minus the runs ending with them (integers).
    """
    c = g.compiled(influence)
    common, _, weight, _ = _setup(g, c, samples.model, "neutral")
    return _stochastic(
        c,
        samples.model,
        common,
        weight,
        runs=samples.runs,
        rng=samples.coin_rng(),
        competition=competition,
        max_steps=None,
        samples=samples,
    )


def _dept_counts(c: Any, chosen: np.ndarray) -> dict[str, int]:
    """How many of ``chosen`` each department of the customer holds (every such department, 0 included)."""
    present = c.cached(_CUSTOMER_DEPTS, lambda: np.unique(c.department[c.customer]))
    counts = np.bincount(c.department[c.customer & chosen], minlength=len(c.departments))
    return {c.departments[d]: int(counts[d]) for d in present.tolist()}


def _ids_of(c: Any, mask: np.ndarray) -> tuple[str, ...]:
    """The ids of the rows in ``mask``, in row order."""
    ids = c.cached(_ID_ARRAY, lambda: np.array(c.ids, dtype=object))
    return tuple(ids[mask].tolist())


def _deterministic(
    c: Any,
    model: str,
    common: dict[str, Any],
    before: np.ndarray,
    weight: np.ndarray,
    unknown_mask: np.ndarray,
    *,
    unknown: str,
    threshold: float,
    max_steps: int | None,
    tol: float,
    trajectory: bool,
) -> Propagation:
    n = c.n
    lonely = np.diff(c.influence.indptr) == 0
    W = c.W
    excluded = unknown_mask if unknown == "exclude" else np.zeros(n, dtype=bool)
    x0 = np.where(np.isnan(before), 0.0, before)
    system = None
    traj = None
    if n == 0:
        after = np.zeros(0)
        iterations, method, converged = 0, "direct", True
    elif model == "fj":
        steps = max_steps if max_steps is not None else 10_000
        system = c.cached(
            _FJ_SYSTEM, lambda: _opinion.fj_system(W, c.openness, x0, lonely, excluded, c.ids), unknown
        )
        after, iterations, method = system.solve(tol=tol, max_steps=steps)
        after = np.where(system.defined, after, np.nan)
        converged = True
        if trajectory:
            traj = system.trajectory(tol=tol, max_steps=steps)
            traj[:, ~system.defined] = np.nan
    else:
        steps = max_steps if max_steps is not None else 1_000
        after, iterations, converged, traj = _opinion.degroot(
            W, x0, ~excluded, tol=tol, max_steps=steps, trajectory=trajectory
        )
        method = "averaging"
    supportive = c.customer & (np.nan_to_num(after, nan=-np.inf) >= threshold)
    started = c.customer & (np.nan_to_num(before, nan=-np.inf) >= threshold)
    return Propagation(
        **common,
        after=after,
        committee_support=_wmean(after, weight),
        committee_support_before=_wmean(before, weight),
        reach=int(np.count_nonzero(supportive)),
        reach_before=int(np.count_nonzero(started)),
        reach_ids=_ids_of(c, supportive),
        reach_by_department=_dept_counts(c, supportive),
        threshold=threshold,
        converged=bool(converged),
        iterations=int(iterations),
        method=method,
        trajectory=traj,
        system=system,
    )


def cascade_edges(c: "CompiledGraph", model: str) -> _cascade.CascadeEdges:
    """The cascade's edges from the compiled influence matrix (influencer -> listener)."""
    inf = c.influence
    n = c.n
    dst = np.repeat(np.arange(n), np.diff(inf.indptr))
    src = inf.indices.astype(np.int64)
    w = inf.data.astype(float)
    if model == "ic":
        # each listener's edges by decreasing probability: same-round clashes are settled sooner
        p = np.minimum(1.0, np.abs(w))
        order = np.lexsort((-p, dst))
        return _cascade.CascadeEdges(n, src[order], dst[order], p[order], w[order] > 0)
    keep = w > 0
    src, dst, w = src[keep], dst[keep], w[keep]
    total = np.bincount(dst, weights=w, minlength=n)
    scale = np.maximum(total, 1.0)
    return _cascade.CascadeEdges(n, src, dst, w / scale[dst], np.ones(src.size, dtype=bool))


def _stochastic(
    c: Any,
    model: str,
    common: dict[str, Any],
    weight: np.ndarray,
    *,
    runs: int,
    rng: np.random.Generator,
    competition: bool,
    max_steps: int | None,
    samples: _cascade.LiveSamples | None = None,
) -> tuple[Propagation, np.ndarray]:
    n = c.n
    support = c.support
    seed_us = is_active_for_us(support)
    seed_them = is_active_against_us(support)
    total = float(weight.sum())
    share = weight / total if total > 0 else np.zeros(n)
    dept_codes = np.unique(c.department[c.customer])
    remap = np.full(max(len(c.departments), 1), -1)
    remap[dept_codes] = np.arange(dept_codes.size)
    if samples is not None:
        edges = samples.edges
    else:
        edges = edges_of(c, model)
    totals = _cascade.simulate(
        edges,
        model,
        runs=runs,
        rng=rng,
        seed_us=seed_us,
        seed_them=seed_them,
        competition=competition,
        max_rounds=max_steps,
        customer=c.customer,
        committee_weight=share,
        department=remap[c.department] if n else np.zeros(0, dtype=np.int64),
        n_departments=dept_codes.size,
        samples=samples,
    )
    p_us = totals.with_us / runs
    p_them = totals.with_them / runs
    reach, reach_ci = _mean_ci(totals.reach)
    if total > 0:
        committee, committee_ci = _mean_ci(totals.committee)
        committee_before = float(share @ (seed_us.astype(float) - (seed_them & ~seed_us)))
    else:
        committee, committee_ci, committee_before = math.nan, (math.nan, math.nan), math.nan
    by_dept: dict[str, float] = {}
    by_dept_ci: dict[str, tuple[float, float]] = {}
    for k, d in enumerate(dept_codes):
        mean, ci = _mean_ci(totals.departments[k])
        by_dept[c.departments[d]] = mean
        by_dept_ci[c.departments[d]] = ci
    likely = c.customer & (p_us >= 0.5)
    return Propagation(
        **common,
        after=p_us,
        committee_support=committee,
        committee_support_before=committee_before,
        reach=reach,
        reach_before=float(np.count_nonzero(seed_us & c.customer)),
        reach_ids=_ids_of(c, likely),
        reach_by_department=by_dept,
        threshold=None,
        converged=totals.quiet,
        iterations=totals.rounds,
        method="monte_carlo",
        runs=runs,
        competition=competition,
        after_ci=_wilson(totals.with_us, runs),
        p_them=p_them,
        p_them_ci=_wilson(totals.with_them, runs),
        committee_support_ci=committee_ci,
        reach_ci=reach_ci,
        reach_by_department_ci=by_dept_ci,
    ), totals.with_us - totals.with_them


def committee_summary(
    g: StakeholderGraph, *, influence: InfluenceModel | None = None
) -> tuple[float, float, float]:
    """Committee support now, after Friedkin–Johnsen, and our reach, on ``g`` (nan where undefined; cached).

    The three numbers :func:`~stakegraph.diagnose` and :func:`~stakegraph.compare`
    read from ``propagate(g, model="fj")``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> now, after, reach = committee_summary(g)
    >>> p = sg.propagate(g, model="fj")
    >>> (now, after, reach) == (p.committee_support_before, p.committee_support, p.reach)
    True
    """

    def build() -> tuple[float, float, float]:
        p = propagate(g, model="fj", influence=influence)
        return float(p.committee_support_before), float(p.committee_support), float(p.reach)

    return g.compiled(influence).cached(_COMMITTEE, build)
