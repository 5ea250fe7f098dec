"""Whom to win next, and what a change would do: ``sg.targets`` and ``sg.what_if``.

:func:`targets` ranks the customer people whose conversion to ``ally`` would
raise committee support most, weighted by how reachable they are (the
probability of the best introduction path to them, from
:func:`~stakegraph.paths`). :func:`what_if` applies stance and tie changes to
a copy of the graph and reports committee support, reach and every person's
predicted support before and after.

How gains are computed
----------------------
``"fj"``
    Friedkin–Johnsen is linear in the starting views: ``x* = V x0`` with
    ``V = (I − ΛW)⁻¹ (I − Λ)``. Converting person ``j`` moves ``x0[j]`` to the
    ally value 0.75, so committee support rises by
    ``Σ_i w_i V[i, j] (0.75 − x0[j]) / Σ_i w_i`` over the decision group
    (``w`` = power). One transposed solve ``z = w + (ΛW)ᵀ z``,
    ``y = (I − Λ) z`` gives every candidate's gain at once (``y = Vᵀ w``);
    gains of several people add up exactly.
``"degroot"``
    The same with ``V`` the limit of ``Wᵗ``: ``y = (Wᵀ)ᵗ w`` for the rounds
    the propagation took.
``"ic"``, ``"lt"``
    Cascades are not linear: a set of ``k`` people is chosen greedily by
    expected marginal gain (marginal gain of committee support x reachability),
    with lazy evaluation (CELF, Leskovec et al. 2007): a candidate's last
    marginal gain bounds its next one, so most candidates are never
    re-evaluated. The ``runs`` live-edge graphs of the cascade are drawn once
    per call (independent cascade: each tie live with its activation
    probability; linear threshold: each listener keeps at most one incoming
    tie, with probability its weight, the live-edge form of Kempe, Kleinberg
    and Tardos) and every evaluation spreads over these same graphs (common
    random numbers, a sample average approximation); each evaluation equals
    :func:`~stakegraph.propagate` with the same ``runs`` and seed on the
    changed graph whenever the sample fits in one chunk of runs (up to
    ``4·2²⁰ / (ties + people)`` words of 64 runs). Without competition (and,
    for ic, without rival ties; lt gives rivals no weight) a run's outcome
    is a coverage function of the people turned ally (who reaches whom over
    that run's graph, the competitor's people blocking), so the sample average is monotone and submodular: CELF
    then returns exactly the set plain greedy returns (exact ties in expected
    gain go to the person listed first in the graph, in both). With
    ``competition=True`` (both sides spreading, same-round tie-breaks) or, in
    ic, rival ties (a rival brought along turns against us) it is neither, and
    the greedy choice, lazy or not, is a heuristic. The search runs over a
    shortlist of the candidates with the largest Friedkin–Johnsen expected
    gain.

    Without competition on large accounts (more candidates than the
    shortlist), or with ``method="imm"``, the greedy choice runs instead over reverse-reachable
    sets, as many as IMM's bound asks for (Tang, Shi & Xiao 2015), among
    every candidate; the cascades then run only for the people picked, to
    measure their gains. The same coverage function underlies both, so
    without competition and rival ties the IMM set carries the
    ``1 - 1/e - epsilon`` guarantee with probability ``1 - 1/n``.

Candidates are the customer people not already ``ally`` or ``champion``
(support below 0.75) with a path to them; unknown stances count as neutral
(the ``"neutral"`` policy of :func:`~stakegraph.propagate`).
"""

from __future__ import annotations

import heapq
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import scipy.sparse as sp

from .._compat import old_spellings
from .._compiled import restanced
from ..errors import NoTieError, UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_bool, check_choice, check_float, check_int, check_seed
from ..method.vocabulary import Stance, TieKind, is_active_against_us, is_active_for_us
from ..method.words import finite_or_none, signed
from ..model import check_graph
from ..results import Result, Roster
from . import _opinion
from ._imm import imm
from .fuse import Beliefs
from .paths import POLICIES, best_routes, first_step, route_to
from .propagate import Propagation, cascade_on, edges_of, live_samples, propagate

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._compiled import CompiledGraph
    from ..model import StakeholderGraph
    from .uncertain import TargetSpread, WhatIfSpread

__all__ = [
    "Target",
    "Targets",
    "WhatIf",
    "apply_changes",
    "candidate_mask",
    "committee_weights",
    "fj_flow",
    "targets",
    "what_if",
]

ModelName = Literal["fj", "degroot", "ic", "lt"]
_MODELS = ("fj", "degroot", "ic", "lt")
ALLY = Stance.ALLY.support
NOISE = 1e-12  # gains below this are rounding noise, not a reason to win someone
MOVED = 0.01
"""A committee member counts as influenced when the conversion moves their predicted support (or, in
cascades, their probability of ending with us) by at least this much."""


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Target:
    """One person to win over.

    Attributes
    ----------
    id : str
    gain : float
        Rise of committee support if the person turns ``ally`` (for cascades:
        the marginal rise given the targets ranked before them).
    reachability : float
        Probability of the best introduction path to the person.
    expected_gain : float
        ``gain × reachability``.
    path : tuple of str
        The best introduction path, from the starting person to this person.
    first_step : str
        The first introduction of that path, in words.
    reason : str
        Why the person matters, in words.
    influenced : tuple of str
        Committee members the conversion moves by at least 0.01.
    via : str or None
        The person through whom most of the influence flows (None when it is
        the person's own seat on the committee).
    """

    id: str
    gain: float
    reachability: float
    expected_gain: float
    path: tuple[str, ...]
    first_step: str
    reason: str
    influenced: tuple[str, ...] = ()
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "gain", "reachability", "expected_gain", "path", "reason"}``."""
        return {
            "id": self.id,
            "gain": float(self.gain),
            "reachability": float(self.reachability),
            "expected_gain": float(self.expected_gain),
            "path": list(self.path),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Targets(Result):
    """Whom to win next, best first.

    Attributes
    ----------
    model : {"fj", "degroot", "ic", "lt"}
    targets : tuple of Target
        At most ``k``, by expected gain (for cascades: in the order chosen);
        people whose expected gain would not be positive are left out.
    committee_support : float
        Committee support predicted by ``model`` before any conversion.
    candidates : int
        People considered (customer people below ``ally`` with a path to them;
        for cascades, every one with ``method="imm"``, the shortlist with CELF).
    evaluations : int
        Propagation runs used (1 for fj and degroot; for cascades, counted
        with lazy evaluation or, with ``lazy=False``, plain greedy).
    method : {"exact", "imm", "celf", "greedy"}
        How the set was chosen (see :func:`targets`).
    """

    model: str
    targets: tuple[Target, ...]
    committee_support: float
    candidates: int
    evaluations: int
    method: str
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    _title = "Whom to win next"

    @property
    def ids(self) -> tuple[str, ...]:
        """The targets' ids, best first."""
        return tuple(t.id for t in self.targets)

    def __getitem__(self, i: int) -> Target:
        return self.targets[i]

    def __len__(self) -> int:
        return len(self.targets)

    def __iter__(self) -> Any:
        return iter(self.targets)

    def to_dict(self) -> dict[str, Any]:
        """``{"model", "targets": [{"id", "gain", "reachability", "expected_gain", "path", "reason"}]}``."""
        return {"model": self.model, "targets": [t.to_dict() for t in self.targets]}

    def _table(self) -> list[dict[str, Any]]:
        return [
            {
                "id": t.id,
                "rank": r + 1,
                "gain": t.gain,
                "reachability": t.reachability,
                "expected_gain": t.expected_gain,
                "path": list(t.path),
                "first_step": t.first_step,
                "reason": t.reason,
            }
            for r, t in enumerate(self.targets)
        ]

    def _summary(self) -> list[str]:
        total = sum(t.expected_gain for t in self.targets)
        return [
            f"Committee support now {signed(self.committee_support)} ({self.model}); winning these "
            f"{len(self.targets)} would add about {total:+.3f} (reach-weighted); "
            f"{self.candidates} candidates, {self.evaluations} evaluation(s), {self.method}"
        ]

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """Gain and reach-weighted gain per candidate, by name; see :func:`stakegraph.viz.plots.plot_targets`."""
        from ..viz.plots import plot_targets

        return plot_targets(self, ax, **kw)


@dataclass(frozen=True, eq=False)
class WhatIf(Result):
    """Committee support, reach and everyone's predicted support before and after some changes.

    Attributes
    ----------
    model : {"fj", "degroot", "ic", "lt"}
    changes : tuple of str
        The changes applied, in words.
    before, after : Propagation
        :func:`~stakegraph.propagate` on the graph and on the changed copy.
    ids : tuple of str
        Every person (of the changed copy; a person of the graph is never removed).

    Notes
    -----
    ``to_dict()`` is ``{"before": {"committee_support", "reach"}, "after":
    {...}, "people": [{"id", "before", "after"}]}``; a person's ``before`` and
    ``after`` are the predicted support in [-1, 1] (fj, degroot) or the
    probability of ending with us (ic, lt), None when the person has no view.
    """

    model: str
    changes: tuple[str, ...]
    before: Propagation
    after: Propagation
    ids: tuple[str, ...]

    _title = "What if"

    @property
    def committee_support(self) -> tuple[float, float]:
        """Committee support (before, after)."""
        return (self.before.committee_support, self.after.committee_support)

    @property
    def reach(self) -> tuple[float, float]:
        """Reach (before, after)."""
        return (self.before.reach, self.after.reach)

    def person(self, person_id: str) -> tuple[float, float]:
        """One person's predicted support (before, after)."""
        if person_id not in self.after.ids:
            raise UnknownPersonError(person_id, self.ids)
        return (
            self.before.support_of(person_id),
            self.after.support_of(person_id),
        )

    def _people(self) -> list[tuple[str, float | None, float | None]]:
        out = []
        for pid in self.ids:
            out.append(
                (
                    pid,
                    finite_or_none(self.before.support_of(pid)),
                    finite_or_none(self.after.support_of(pid)),
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """``{"before": {"committee_support", "reach"}, "after": {...}, "people": [{"id", "before", "after"}]}``."""

        def side(p: Propagation) -> dict[str, Any]:
            return {
                "committee_support": finite_or_none(p.committee_support),
                "reach": finite_or_none(p.reach) if p.stochastic else int(p.reach),
            }

        return {
            "before": side(self.before),
            "after": side(self.after),
            "people": self._roster().rows(
                {i: {"before": b, "after": a} for i, b, a in self._people()}, ("before", "after")
            ),
        }

    def _roster(self) -> Roster:
        return Roster(ids=self.after.ids, names=self.after.names, orgs=self.after.orgs)

    def _table(self) -> list[dict[str, Any]]:
        rows = []
        where = {pid: k for k, pid in enumerate(self.after.ids)}
        for pid, b, a in self._people():
            k = where[pid]
            row: dict[str, Any] = {
                "id": pid,
                "name": self.after.names[k],
                "org": self.after.orgs[k],
                "customer": self.after.orgs[k] == "customer",
                "before": b,
                "after": a,
                "change": None if a is None or b is None else a - b,
            }
            if not self.before.stochastic:
                row["stance_before"] = None if b is None else Stance.from_support(b).value
                row["stance_after"] = None if a is None else Stance.from_support(a).value
            rows.append(row)
        return rows

    def _summary(self) -> list[str]:
        b, a = self.committee_support
        rb, ra = self.reach
        digits = 1 if self.before.stochastic else 0

        def fmt(v: float) -> str:
            return f"{v:.{digits}f}"

        return [
            f"If {'; '.join(self.changes) or 'nothing changes'}: committee support goes from {signed(b)} "
            f"to {signed(a)}, reach from {fmt(rb)} to {fmt(ra)} ({self.model})"
        ]

    def display_names(self) -> Mapping[str, str]:
        return self.after.display_names()

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """Change of predicted support per person, by name; see :func:`stakegraph.viz.plots.plot_what_if`."""
        from ..viz.plots import plot_what_if

        return plot_what_if(self, ax, **kw)


# ----------------------------------------------------------------------------- helpers
def committee_weights(c: "CompiledGraph", after: np.ndarray) -> np.ndarray:
    """Power over the decision group, for people with a view (as propagate weighs the committee)."""
    w = np.where(c.decision_group & np.isfinite(after), c.power, 0.0)
    return np.where(w > 0, w, 0.0)


def _influenced_words(
    g: "StakeholderGraph",
    c: "CompiledGraph",
    j: int,
    moved: np.ndarray,
    committee: np.ndarray,
    via: int | None,
    gain: float,
) -> tuple[str, tuple[str, ...]]:
    members = np.flatnonzero(committee)
    hit = members[moved[members] >= MOVED]
    n_c = len(members)
    member = bool(committee[j])
    if via is not None:
        via_text = (
            f", most through {g.person(c.ids[via]).label}"
            if member
            else f" through {g.person(c.ids[via]).label}"
        )
    else:
        via_text = ", themself included" if member and j in hit else ""
    head = "on the committee; " if member else ""
    if len(hit):
        text = f"{head}influences {len(hit)} of the {n_c} committee members{via_text}"
    else:
        text = f"{head}moves committee support only slightly ({gain:+.3f})"
    return text, tuple(c.ids[i] for i in hit)


def _pick_via(contrib: np.ndarray, own: float, j: int) -> int | None:
    """The listener carrying most of person j's influence, unless j's own seat carries more."""
    contrib = contrib.copy()
    contrib[j] = -np.inf
    if not len(contrib) or not np.isfinite(contrib).any():
        return None
    i = int(np.argmax(contrib))
    if contrib[i] <= max(own, 0.0) or contrib[i] <= 0:
        return None
    return i


def candidate_mask(c: "CompiledGraph", reach: np.ndarray) -> np.ndarray:
    """Who can be won: customer people short of ally (unknown counts as neutral) with a path to them."""
    s = np.nan_to_num(c.support, nan=0.0)
    mask: np.ndarray = c.customer & (s < ALLY) & (reach > 0)
    return mask


def _candidates(c: "CompiledGraph", reach: np.ndarray) -> np.ndarray:
    return np.flatnonzero(candidate_mask(c, reach))


def fj_flow(
    system: _opinion.FJSystem, w: np.ndarray, *, tol: float, max_steps: int, blocks: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Friedkin-Johnsen's committee flow: ``(y, flow)`` with ``y = Vᵀ w / Σw``, from one transposed solve.

    ``flow = z / Σw`` with ``z = w + Mᵀ z``, and ``y = anchor ∘ flow`` (0 where
    no view is defined). ``blocks``: the system holds that many accounts side
    by side, each divided by its own committee's total weight.
    """
    n = len(w) // blocks
    total = np.repeat(w.reshape(blocks, n).sum(axis=1), n)
    z, _, _ = _opinion.solve(sp.csr_array(system.M.T), w, w, tol=tol, max_steps=max_steps)
    flow = np.divide(z, total, out=np.zeros_like(z), where=total > 0)
    y = system.anchor * flow
    y[~system.defined] = 0.0
    return y, flow


def _make_target(
    g: "StakeholderGraph",
    c: "CompiledGraph",
    j: int,
    gain: float,
    reach: np.ndarray,
    pred: np.ndarray,
    reason: str,
    influenced: tuple[str, ...],
    via: int | None,
) -> Target:
    rows = route_to(pred, c.n, j)
    path = tuple(c.ids[r] for r in rows)
    return Target(
        id=c.ids[j],
        gain=float(gain),
        reachability=float(reach[j]),
        expected_gain=float(gain * reach[j]),
        path=path,
        first_step=first_step(g, c, path) if path else "",
        reason=reason,
        influenced=influenced,
        via=None if via is None else c.ids[via],
    )


# ----------------------------------------------------------------------------- linear models
def _linear_gains(
    c: "CompiledGraph", p: Propagation, model: str, max_steps: int, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """Committee gain of converting each person to ally (fj, degroot), and what the reasons need.

    Returns (gain per person, x0, flow, operator): fj: ``flow = z / Σw`` with
    ``z = w + Mᵀ z`` (so ``Vᵀ w / Σw = anchor ∘ flow``) and the FJ system;
    degroot: ``flow = (Wᵀ)ᵗ w / Σw`` and ``W``.
    """
    x0 = np.nan_to_num(p.before, nan=0.0)
    w = committee_weights(c, p.after)
    total = float(w.sum())
    if model == "fj":
        system = p.system
        if system is None:  # a Friedkin-Johnsen propagation always keeps its system
            raise ValueError("the Friedkin-Johnsen propagation holds no system")
        y, flow = fj_flow(system, w, tol=tol, max_steps=max_steps)
        op: Any = system
    else:
        WT = sp.csr_array(c.W.T)
        flow = w.copy()
        for _ in range(max(int(p.iterations), 0)):
            flow = WT @ flow
        flow = flow / total
        y = flow
        op = c.W
    return y * (ALLY - x0), x0, flow, op


def _linear_reason(
    g: "StakeholderGraph",
    c: "CompiledGraph",
    model: str,
    op: Any,
    p: Propagation,
    j: int,
    x0: np.ndarray,
    flow: np.ndarray,
    gain: float,
    max_steps: int,
    tol: float,
) -> tuple[str, tuple[str, ...], int | None]:
    """Reason in words for one linear-model target: committee members moved, and through whom.

    The committee's sensitivity to person j splits exactly over the people
    listening to j: fj ``z_j = w_j/Σw + Σ_i M[i, j] z_i``, degroot
    ``y_j = Σ_i W[i, j] y_i``; the listener with the largest term carries most
    of j's influence (unless j's own seat on the committee carries more).
    """
    w = committee_weights(c, p.after)
    committee = w > 0
    delta = ALLY - x0[j]
    if model == "fj":
        system = op
        e = np.zeros(c.n)
        e[j] = system.anchor[j]
        col, _, _ = _opinion.solve(system.M, e, e, tol=tol, max_steps=max_steps)  # column j of V
        contrib = sp.csc_array(system.M)[:, [j]].toarray().ravel() * flow
        own = float(w[j] / w.sum())
    else:
        W = op
        col = np.zeros(c.n)
        col[j] = 1.0
        for _ in range(max(int(p.iterations), 0)):
            col = W @ col
        contrib = sp.csc_array(W)[:, [j]].toarray().ravel() * flow
        own = 0.0
    via = _pick_via(contrib, own, j)
    text, hit = _influenced_words(g, c, j, col * delta, committee, via, gain)
    return text, hit, via


# ----------------------------------------------------------------------------- cascades
class _Evaluator:
    """Committee support of the cascade model with a set of people turned ally (counted, memoised).

    Every evaluation spreads over the same sample of live-edge graphs, drawn
    once (common random numbers over a fixed sample, i.e. a sample average
    approximation): a run's outcome then depends on the people turned ally
    only through what they reach in that run's graph.
    """

    def __init__(
        self, g: "StakeholderGraph", c: "CompiledGraph", model: str, runs: int, seed: int, competition: bool
    ) -> None:
        self.g, self.c, self.model = g, c, model
        self.runs, self.seed, self.competition = runs, seed, competition
        self.count = 0
        self.samples = live_samples(c, model, runs=runs, seed=seed)
        weight = np.where(c.decision_group, c.power, 0.0)
        self._group = np.flatnonzero(weight > 0)
        self._share = weight[self._group] / float(weight.sum())
        self._memo: dict[frozenset[int], tuple[Propagation, np.ndarray]] = {}

    def _run(self, S: frozenset[int]) -> tuple[Propagation, np.ndarray]:
        if S in self._memo:
            return self._memo[S]
        self.count += 1
        g2 = self.g.copy()
        support = self.c.support.copy()
        given = self.c.stance_given.copy()
        for r in S:
            g2.set_stance(self.c.ids[r], Stance.ALLY)
            support[r] = ALLY
            given[r] = True
        restanced(g2, self.c, support, given)
        out = cascade_on(g2, self.samples, competition=self.competition, influence=self.c.model)
        self._memo[S] = out
        return out

    def __call__(self, S: frozenset[int]) -> Propagation:
        return self._run(S)[0]

    def gain(self, S: frozenset[int], j: int) -> float:
        """Marginal committee support of turning ``j`` ally after the people in ``S``.

        Summed from each committee member's change in runs with us minus runs
        with them (integers) with non-negative weights, in a correctly rounded
        sum: when every member's change can only shrink as ``S`` grows (as over
        fixed live-edge graphs without competition), so does the computed
        gain, bit for bit, and lazy evaluation stays exact.
        """
        after = self._run(S | {j})[1][self._group]
        now = self._run(S)[1][self._group]
        return math.fsum((self._share * (after - now)).tolist()) / self.runs


def _imm_pick(
    c: "CompiledGraph", model: str, cand: np.ndarray, reach: np.ndarray, k: int, epsilon: float, seed: int
) -> list[int]:
    """The people IMM picks among ``cand`` (rows): the committee gain over reverse-reachable sets in the
    cascades without competition, each person's marginal gain weighed by their reachability."""
    edges = edges_of(c, model)
    ours = is_active_for_us(c.support)
    theirs = is_active_against_us(c.support) & ~ours
    weight = np.where(c.decision_group, c.power, 0.0)  # as the cascades weigh the committee
    stake = np.where(ours, 0.0, weight / max(float(weight.sum()), 1e-300)) * np.where(theirs, 2.0, 1.0)
    res = imm(
        edges,
        model,
        stake,
        ours,
        theirs,
        np.asarray(cand, dtype=np.int64),
        k,
        epsilon=epsilon,
        weight=reach,
        rng=np.random.default_rng([seed, 1]),
    )
    if res.capped:
        warnings.warn(
            f"targets drew the most reverse-reachable sets it allows ({res.sets:,}), fewer than IMM asks for "
            f"epsilon={epsilon}: the people picked may be further from the best; pass a larger epsilon, or "
            "method='celf'",
            RuntimeWarning,
            stacklevel=3,
        )
    return [j for j, gain in zip(res.picked, res.gains) if gain * reach[j] > NOISE]


def _select(
    ev: _Evaluator, cand: Sequence[int], reach: np.ndarray, k: int, lazy: bool
) -> list[tuple[int, float, frozenset[int]]]:
    """Greedy selection by expected marginal gain; CELF when ``lazy``. Returns (row, gain, set before).

    Both break exact ties in expected gain by the lower row, so they pick the
    same people whenever no candidate's gain grows as others are chosen.
    """
    chosen: list[tuple[int, float, frozenset[int]]] = []
    S: frozenset[int] = frozenset()
    ev(S)
    if lazy:
        heap: list[tuple[float, int, int, float]] = []  # (-expected, row, round evaluated, gain)
        for j in cand:
            gain = ev.gain(S, j)
            heapq.heappush(heap, (-gain * reach[j], j, 0, gain))
        while heap and len(chosen) < k:
            neg, j, rnd, gain = heapq.heappop(heap)
            if rnd == len(chosen):
                if -neg <= NOISE:
                    break
                chosen.append((j, gain, S))
                S = S | {j}
                continue
            gain = ev.gain(S, j)
            heapq.heappush(heap, (-gain * reach[j], j, len(chosen), gain))
        return chosen
    left = list(cand)
    while left and len(chosen) < k:
        best = None
        for j in left:
            gain = ev.gain(S, j)
            key = (-gain * reach[j], j)
            if best is None or key < best[0]:
                best = (key, j, gain)
        assert best is not None
        if -best[0][0] <= NOISE:
            break
        _, j, gain = best
        chosen.append((j, gain, S))
        S = S | {j}
        left.remove(j)
    return chosen


def _cascade_reason(
    g: "StakeholderGraph", c: "CompiledGraph", before: Propagation, after: Propagation, j: int, gain: float
) -> tuple[str, tuple[str, ...], int | None]:
    committee = committee_weights(c, before.after) > 0
    moved = after.after - before.after
    listeners = c.influence[:, [j]].toarray().ravel() > 0
    contrib = np.where(listeners, moved, -np.inf)
    own = float(moved[j]) if committee[j] else 0.0
    via = _pick_via(contrib, own, j)
    return (*_influenced_words(g, c, j, moved, committee, via, gain)[:2], via)


# ----------------------------------------------------------------------------- public
def _seed_int(seed: Any, func: str) -> int:
    seed = check_seed(seed, func)
    if isinstance(seed, int):
        return seed
    return int(np.random.default_rng(seed).integers(0, 2**63 - 1))


@overload
def targets(
    g: "StakeholderGraph",
    *,
    k: int = 3,
    model: ModelName = "fj",
    through_hostile: Literal["block", "penalise", "allow"] = "block",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    shortlist: int = 50,
    lazy: bool = True,
    method: str = "auto",
    epsilon: float = 0.1,
    max_iter: int = 10_000,
    tol: float = 1e-10,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Targets: ...


@overload
def targets(
    g: Beliefs,
    *,
    k: int = 3,
    model: ModelName = "fj",
    through_hostile: Literal["block", "penalise", "allow"] = "block",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    shortlist: int = 50,
    lazy: bool = True,
    method: str = "auto",
    epsilon: float = 0.1,
    max_iter: int = 10_000,
    tol: float = 1e-10,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> TargetSpread: ...


@old_spellings(renamed={"max_steps": "max_iter"}, positional=("k", "model"))
def targets(
    g: "StakeholderGraph | Beliefs",
    *,
    k: int = 3,
    model: ModelName = "fj",
    through_hostile: Literal["block", "penalise", "allow"] = "block",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    shortlist: int = 50,
    lazy: bool = True,
    method: str = "auto",
    epsilon: float = 0.1,
    max_iter: int = 10_000,
    tol: float = 1e-10,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Targets | TargetSpread:
    """Whom to win over next so that committee support rises most, weighted by reachability.

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.TargetSpread` (see
        :func:`~stakegraph.analysis.uncertain.target_spread`).
    samples : int, default 200
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    k : int, default 3
        Number of people to return.
    model : {"fj", "degroot", "ic", "lt"}, default "fj"
        The propagation model of :func:`~stakegraph.propagate` that predicts
        committee support.
    through_hostile : {"block", "penalise", "allow"}, default "block"
        How hostile introducers affect reachability (see :func:`~stakegraph.paths`).
    runs : int, default 1000
        ic, lt: Monte Carlo runs per evaluation.
    seed : int, numpy.random.Generator or None
        ic, lt: randomness. The live-edge graphs of the ``runs`` cascades are
        drawn once from it (an int drawn from it when a Generator, or fresh
        when None) and every evaluation spreads over the same graphs, so
        candidates are compared on the same random cascades.
    competition : bool, default True
        ic, lt: whether the competitor's support spreads too (as in
        :func:`~stakegraph.propagate`). The greedy choice is then a heuristic:
        with both sides spreading, the committee gain is not submodular.
    shortlist : int, default 50
        ic, lt: search among this many candidates, those with the largest
        Friedkin–Johnsen expected gain (every candidate when there are fewer).
    lazy : bool, default True
        ic, lt with ``method="celf"``: lazy greedy evaluation (CELF). False
        runs plain greedy, which re-evaluates every candidate each round;
        both pick the same people whenever the gains are submodular (always
        with ``competition=False``, for ic when there are no rival ties);
        ``evaluations`` tells the cost of each.
    method : {"auto", "imm", "celf"}, default "auto"
        ic, lt: how the set is chosen. ``"imm"`` picks greedily over
        reverse-reachable sets, as many as IMM's bound asks for (Tang, Shi &
        Xiao 2015), among every candidate, and then runs the cascades only
        for the people picked; ``"celf"`` evaluates the ``shortlist`` with
        the cascades themselves (the reference; slower on large accounts).
        ``"auto"``: IMM where its coverage model is the cascade itself (no
        competition, and for ic no rival ties) and there are more candidates
        than the shortlist; CELF otherwise: when every candidate fits in the
        shortlist (it then weighs them all on the cascades), with
        ``competition=True`` (much of a person's gain is then the
        competitor's spread they stop), and in ic with rival ties (a rival
        reached turns against us first or not, a race reverse-reachable sets
        do not see). On synthetic organisations of 10^4 and 10^5 people,
        IMM's sets reach clearly less committee support in those two cases.
    epsilon : float, default 0.1
        ic, lt with ``method="imm"``: the approximation slack, in (0, 1).
        Without competition and rival ties, the set is within
        ``1 - 1/e - epsilon`` of the best committee gain with probability at
        least ``1 - 1/n``; smaller draws more sets.
    max_iter : int, default 10000
        fj: iteration budget of the solves (formerly ``max_steps``).
    tol : float, default 1e-10
        fj, degroot: tolerance of the solve.
    influence : InfluenceModel, optional
        How ties carry influence (default: the graph's model).

    Returns
    -------
    Targets
        Up to ``k`` :class:`Target` (gain, reachability, expected gain, best
        path, first step and reason in words), best first.

    Raises
    ------
    ValidationError
        For a bad parameter, or when the graph has no decision group (no
        customer person with a buying role), so committee support is undefined.
    ConvergenceError
        From the propagation (fj: fully open people who listen only to one
        another).

    Notes
    -----
    For fj the gain of converting person ``j`` is exact: committee support
    is ``Σ w_i x*_i / Σ w_i`` and ``x* = V x0`` is linear, so the gain is
    ``(Vᵀ w)_j (0.75 − x0_j) / Σ w``, all candidates from one transposed
    solve; degroot likewise with the rounds of averaging. For ic and lt the
    set is chosen greedily with CELF over one fixed sample of ``runs``
    live-edge graphs (see the module documentation). With
    ``competition=False`` (ic: and no rival ties) each run's committee gain
    is a coverage function of the people turned ally (plus a modular term
    for competitor people won over), so the sample average is monotone and
    submodular: the greedy set keeps the ``1 − 1/e`` guarantee for the
    (unweighted) sample-average gain, and CELF picks exactly the set plain
    greedy picks. With ``competition=True`` (or rival ties in ic) it is a
    heuristic.

    ``method="imm"`` estimates the same gains from reverse-reachable sets
    (see :mod:`stakegraph.analysis._imm`): each member of the committee not
    yet with us, drawn by their stake, and everyone who reaches them in one
    random live-edge graph; the gain of a set is the total stake times the
    share of RR sets it meets. IMM draws as many sets as its martingale bound
    asks for, so that without competition and rival ties the greedy set is
    within ``1 - 1/e - epsilon`` of the best with probability at least
    ``1 - 1/n`` (n people); targets weighs each marginal gain by
    reachability when choosing, as CELF does. The gains reported are then
    measured on the cascades themselves (``runs`` live-edge graphs), one
    evaluation per person picked. The search is compiled with numba when
    installed (extra ``fast``).

    References
    ----------
    .. [1] J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen
       and N. Glance, "Cost-effective outbreak detection in networks", KDD 2007.
    .. [2] Y. Tang, Y. Shi and X. Xiao, "Influence maximization in near-linear
       time: a martingale approach", SIGMOD 2015.
    .. [3] C. Borgs, M. Brautbar, J. Chayes and B. Lucier, "Maximizing social
       influence in nearly optimal time", SODA 2014.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("me", org="us")
    >>> g.add_person("wang", name="Wang Li", title="CFO", roles=["decision_maker"], stance="neutral")
    >>> g.add_person("zhou", name="Zhou Min", title="COO", roles=["approver"], stance="skeptic")
    >>> g.add_person("li", name="Li Na", title="Analyst", stance="neutral", relationship=0.8)
    >>> g.add_tie("li", "zhou", "advises", 0.9)
    >>> g.add_tie("zhou", "wang", "influences", 0.8)
    >>> g.add_tie("me", "zhou", "knows", 0.3)
    >>> t = sg.targets(g, k=2)
    >>> [(x.id, round(x.gain, 3), round(x.reachability, 2), round(x.expected_gain, 3)) for x in t]
    [('zhou', 0.368, 0.72, 0.265), ('li', 0.221, 0.8, 0.176)]
    >>> t[0].first_step
    'ask Li Na (neutral) to introduce you to Zhou Min (COO)'
    >>> t[1].reason
    'influences 2 of the 2 committee members through Zhou Min'
    >>> t.to_dict()["targets"][1]["path"]
    ['li']
    """
    if isinstance(g, Beliefs):
        from .uncertain import target_spread

        cascade = {
            "runs": runs,
            "competition": competition,
            "shortlist": shortlist,
            "lazy": lazy,
            "method": method,
            "epsilon": epsilon,
        }
        return target_spread(
            g,
            samples=samples,
            seed=seed,
            k=k,
            model=model,
            through_hostile=through_hostile,
            tol=tol,
            max_iter=max_iter,
            influence=influence,
            **(cascade if model in ("ic", "lt") else {}),
        )
    func = "targets"
    check_graph(g, func)
    k = check_int(k, "k", func, low=1)
    model = check_choice(model, "model", func, _MODELS)  # type: ignore[assignment]
    through_hostile = check_choice(through_hostile, "through_hostile", func, POLICIES)  # type: ignore[assignment]
    runs = check_int(runs, "runs", func, low=1)
    competition = check_bool(competition, "competition", func)
    shortlist = check_int(shortlist, "shortlist", func, low=1)
    lazy = check_bool(lazy, "lazy", func)
    method = check_choice(method, "method", func, ("auto", "imm", "celf"))
    epsilon = check_float(epsilon, "epsilon", func, 0.0, 1.0)
    max_steps = check_int(max_iter, "max_iter", func, low=1)
    influence = check_influence(influence, func)
    check_float(tol, "tol", func, 0.0, math.inf)
    seed_ = _seed_int(seed, func) if model in ("ic", "lt") else None
    if seed_ is None and seed is not None:
        _seed_int(seed, func)  # validated, unused by the deterministic models
    c = g.compiled(influence)
    if not (c.decision_group & (c.power > 0)).any():
        raise ValidationError(
            f"{func} needs a decision group to raise committee support: no customer person has a buying role "
            "with positive power. Give the people who decide a role (decision_maker, approver, evaluator, ...)."
        )
    reach, pred = best_routes(c, through_hostile)

    fj = propagate(g, model="fj", max_iter=max_steps, tol=float(tol), influence=influence)
    fj_gain, fj_x0, fj_flow, fj_op = _linear_gains(c, fj, "fj", max_steps, float(tol))
    cand = _candidates(c, reach)

    if model in ("fj", "degroot"):
        if model == "fj":
            p, gain, x0, flow, op = fj, fj_gain, fj_x0, fj_flow, fj_op
        else:
            p = propagate(g, model="degroot", tol=float(tol), influence=influence)
            gain, x0, flow, op = _linear_gains(c, p, "degroot", max_steps, float(tol))
        exp = gain[cand] * reach[cand]
        order = cand[np.lexsort((cand, -exp))]
        order = order[gain[order] * reach[order] > NOISE][:k]
        out = []
        for j in order:
            text, hit, via = _linear_reason(
                g, c, model, op, p, int(j), x0, flow, float(gain[j]), max_steps, float(tol)
            )
            out.append(_make_target(g, c, int(j), float(gain[j]), reach, pred, text, hit, via))
        return Targets(
            model=model,
            targets=tuple(out),
            committee_support=float(p.committee_support),
            candidates=int(len(cand)),
            evaluations=1,
            method="exact",
            names={pid: p.label for pid, p in g.people.items()},
        )

    assert seed_ is not None
    ev = _Evaluator(g, c, model, runs, seed_, competition)
    if method == "auto":
        exact = not competition and (model == "lt" or bool(edges_of(c, model).pos.all()))
        method = "imm" if len(cand) > shortlist and exact else "celf"
    if method == "imm":
        picked = _imm_pick(c, model, cand, reach, k, float(epsilon), seed_)
        chosen, S = [], frozenset[int]()
        for j in picked:  # the gains of the people picked, from the cascades themselves
            chosen.append((j, ev.gain(S, j), S))
            S = S | {j}
        considered, how = len(cand), "imm"
    else:
        # shortlist by the Friedkin-Johnsen expected gain, then (lazy) greedy
        exp = fj_gain[cand] * reach[cand]
        short = np.sort(cand[np.lexsort((cand, -exp))][:shortlist])
        chosen = _select(ev, [int(j) for j in short], reach, k, lazy)
        considered, how = len(short), "celf" if lazy else "greedy"
    base = ev(frozenset())
    out = []
    for j, won, S in chosen:
        before, after = ev(S), ev(S | {j})
        text, hit, via = _cascade_reason(g, c, before, after, j, won)
        out.append(_make_target(g, c, j, won, reach, pred, text, hit, via))
    return Targets(
        model=model,
        targets=tuple(out),
        committee_support=float(base.committee_support),
        candidates=int(considered),
        evaluations=ev.count,
        method=how,
        names={pid: p.label for pid, p in g.people.items()},
    )


# ----------------------------------------------------------------------------- what if
_TIE_FORMS = ("add_tie", "remove_tie")


def _tie_list(key: str, value: Any) -> list[tuple[Any, ...]]:
    """One tie tuple or a list of them."""
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, (tuple, list)) for v in value):
        items = [tuple(v) for v in value]
    elif isinstance(value, (tuple, list)):
        items = [tuple(value)]
    else:
        items = [value]
    lo, hi = (3, 4) if key == "add_tie" else (2, 3)
    form = (
        "(source, target, kind) or (source, target, kind, strength)"
        if key == "add_tie"
        else "(source, target) or (source, target, kind)"
    )
    for it in items:
        if (
            not isinstance(it, tuple)
            or not lo <= len(it) <= hi
            or not all(isinstance(x, str) for x in it[:2])
        ):
            raise ValidationError(
                f"The {key!r} change of what_if must be a tuple {form}, or a list of them. "
                f"Got {it!r} instead."
            )
    return items


def apply_changes(g2: "StakeholderGraph", changes: Mapping[str, Any]) -> list[str]:
    """Apply :func:`what_if`'s ``changes`` to ``g2`` in order; the words describing each (validated as they go)."""
    words: list[str] = []
    for key, value in changes.items():
        if key == "add_tie":
            for t in _tie_list(key, value):
                src, dst, kind = t[0], t[1], t[2]
                strength = t[3] if len(t) == 4 else 1.0
                for pid in (src, dst):
                    if pid not in g2:
                        raise UnknownPersonError(pid, g2.people)
                g2.add_tie(src, dst, kind, strength)
                words.append(f"add {TieKind.parse(kind).value} {src} -> {dst} ({float(strength):g})")
        elif key == "remove_tie":
            for t in _tie_list(key, value):
                src, dst = t[0], t[1]
                kind = t[2] if len(t) == 3 else None
                for pid in (src, dst):
                    if pid not in g2:
                        raise UnknownPersonError(pid, g2.people)
                try:
                    g2.remove_tie(src, dst, kind)
                except NoTieError as e:
                    raise ValidationError(
                        f"The 'remove_tie' change of what_if names a tie that does not exist: {e}."
                    ) from None
                words.append(f"remove {kind + ' ' if kind else ''}tie {src} - {dst}")
        else:
            if not isinstance(key, str):
                raise ValidationError(
                    f"The keys of the 'changes' parameter of what_if must be person ids, "
                    f"'add_tie' or 'remove_tie'. Got {key!r} instead."
                )
            if key not in g2:
                raise UnknownPersonError(key, g2.people)
            if isinstance(value, (Stance, str)):
                st = Stance.parse(value)
                g2.set_stance(key, st)
                words.append(f"{key} turns {st.value}")
            elif isinstance(value, numbers.Real) and not isinstance(value, bool):
                g2.update_person(key, support=float(value))
                words.append(f"{key} moves to support {float(value):+.2f}")
            else:
                raise ValidationError(
                    f"The change for {key!r} in what_if must be a stance (e.g. 'ally') or a "
                    f"support value in [-1, 1]. Got {value!r} instead."
                )
    return words


@overload
def what_if(
    g: "StakeholderGraph",
    changes: Mapping[str, Any],
    *,
    model: ModelName = "fj",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> WhatIf: ...


@overload
def what_if(
    g: Beliefs,
    changes: Mapping[str, Any],
    *,
    model: ModelName = "fj",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> WhatIfSpread: ...


@old_spellings(positional=("model",))
def what_if(
    g: "StakeholderGraph | Beliefs",
    changes: Mapping[str, Any],
    *,
    model: ModelName = "fj",
    runs: int = 1000,
    seed: int | np.random.Generator | None = None,
    competition: bool = True,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> WhatIf | WhatIfSpread:
    """Committee support, reach and everyone's predicted support before and after some changes.

    ``g`` is never modified: the changes are applied to ``g.copy()``.

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.WhatIfSpread` (see
        :func:`~stakegraph.analysis.uncertain.what_if_spread`).
    samples : int, default 200
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    changes : mapping
        Person id -> new stance (``"ally"``, a :class:`~stakegraph.Stance`) or
        a support value (as ``Person.support``: in [-1, 1], or a -5..+5 rating
        divided by 5); and the special keys ``"add_tie"``: a
        tuple ``(source, target, kind)`` or ``(source, target, kind,
        strength)``, or a list of such tuples; ``"remove_tie"``: ``(source,
        target)`` (every tie between them, as :meth:`StakeholderGraph.remove_tie`)
        or ``(source, target, kind)``, or a list of them. Changes apply in
        the order given.
    model : {"fj", "degroot", "ic", "lt"}, default "fj"
    runs, seed, competition
        ic, lt: as in :func:`~stakegraph.propagate`; before and after use the
        same seed (drawn once when None), so they see the same random cascades.
    influence : InfluenceModel, optional
        How ties carry influence (default: the graph's model).

    Returns
    -------
    WhatIf

    Raises
    ------
    UnknownPersonError
        For a person id not in the graph.
    ValidationError
        For a bad stance, tie or parameter (nothing is applied to ``g``).
    ConvergenceError
        From the propagation (fj: fully open people who listen only to one
        another).

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("wang", roles=["decision_maker"], stance="neutral")
    >>> g.add_person("li", roles=["evaluator"], stance="skeptic")
    >>> g.add_tie("li", "wang", "advises", 0.8)
    >>> w = sg.what_if(g, {"li": "ally"})
    >>> [round(v, 3) for v in w.committee_support]
    [-0.267, 0.4]
    >>> w.to_dict()["people"][1]
    {'id': 'li', 'name': '', 'org': 'customer', 'customer': True, 'before': -0.5, 'after': 0.75}
    >>> g.person("li").stance.value
    'skeptic'
    >>> w2 = sg.what_if(g, {"add_tie": ("li", "wang", "friend", 0.5), "remove_tie": ("li", "wang", "advises")})
    >>> round(w2.after.committee_support, 3)
    -0.157
    """
    if isinstance(g, Beliefs):
        from .uncertain import what_if_spread

        cascade = {"runs": runs, "competition": competition}
        return what_if_spread(
            g,
            changes,
            samples=samples,
            seed=seed,
            model=model,
            influence=influence,
            **(cascade if model in ("ic", "lt") else {}),
        )
    func = "what_if"
    check_graph(g, func)
    if not isinstance(changes, Mapping):
        raise ValidationError(
            f"The 'changes' parameter of what_if must be a mapping (person id -> stance, "
            f"'add_tie' or 'remove_tie' -> tie tuples). Got {type(changes).__name__} instead."
        )
    model = check_choice(model, "model", func, _MODELS)  # type: ignore[assignment]
    runs = check_int(runs, "runs", func, low=1)
    competition = check_bool(competition, "competition", func)
    seed_ = _seed_int(seed, func)
    g2 = g.copy()
    words = apply_changes(g2, changes)
    kw: dict[str, Any] = {}
    influence = check_influence(influence, "what_if")
    if model in ("ic", "lt"):
        kw = {"runs": runs, "seed": seed_, "competition": competition}
    before = propagate(g, model=model, influence=influence, **kw)
    after = propagate(g2, model=model, influence=influence, **kw)
    return WhatIf(model=model, changes=tuple(words), before=before, after=after, ids=tuple(g2.people))
