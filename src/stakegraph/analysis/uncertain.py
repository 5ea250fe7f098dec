"""Support under uncertain intelligence: Friedkin-Johnsen over every possible account at once.

:func:`support_spread` draws accounts from the :class:`~stakegraph.Beliefs`
(:meth:`~stakegraph.Beliefs.draw`: which reported ties are there, each
reported person's stance) and solves Friedkin-Johnsen on all of them in one
sparse system: the influence matrices of the draws are laid out block by
block along the diagonal (built from the tie entries of the account holding
every reported tie, masked draw by draw), row-normalised at once and solved
together, starting from the most probable account's settled views; no
account is built draw by draw. It reports committee support and reach on the
most probable account with their spread: mean and 90% interval over the
draws, and each person's chance of ending supportive. Each draw's numbers
equal :func:`~stakegraph.propagate` on the account :meth:`Beliefs.sample`
builds for it with the same seed.

Roles, power and openness are those of the most probable account (they do
not move with the draws).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .._compiled import LAYERS, CompiledGraph, side_by_side, stacked
from ..errors import UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_float, check_int, check_seed
from ..method.vocabulary import Stance
from ..results import Result
from . import _opinion
from .diagnose import Diagnosis, diagnose
from .fuse import Beliefs
from .paths import HOP_COST, HostilePolicy, Paths, best_routes, intro_graph, paths
from .propagate import REACH_THRESHOLD, propagate
from .rank import Ranking, order_of, rank, reporting_lines, scores
from .targets import (
    ALLY,
    NOISE,
    ModelName,
    Targets,
    WhatIf,
    apply_changes,
    candidate_mask,
    committee_weights,
    fj_flow,
    targets,
    what_if,
)

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph

__all__ = [
    "Accounts",
    "DiagnosisSpread",
    "PathSpread",
    "RankSpread",
    "SupportSpread",
    "TargetSpread",
    "WhatIfSpread",
    "accounts",
    "committee_support",
    "diagnosis_spread",
    "path_spread",
    "rank_spread",
    "settled_views",
    "support_spread",
    "target_spread",
    "what_if_spread",
]


@dataclass(frozen=True, eq=False)
class SupportSpread(Result):
    """Committee support and reach after people talk, over the accounts the beliefs allow.

    Attributes
    ----------
    samples : int
        Draws solved.
    committee_support, reach : float
        On the most probable account (:meth:`Beliefs.graph`).
    committee_support_draws, reach_draws : ndarray
        The value in each draw.
    ids : tuple of str
    after_mean : ndarray
        Each person's mean settled view over the draws.
    supportive : ndarray
        Each person's share of draws in which they end at ``threshold`` or above.
    names : mapping
    """

    samples: int
    threshold: float
    committee_support: float
    reach: float
    committee_support_draws: np.ndarray
    reach_draws: np.ndarray
    ids: tuple[str, ...]
    after_mean: np.ndarray
    supportive: np.ndarray
    customer: np.ndarray
    names: Mapping[str, str]

    _title = "Support over the possible accounts"

    @staticmethod
    def _band(x: np.ndarray) -> tuple[float, float]:
        finite = x[np.isfinite(x)]
        if not len(finite):
            return (math.nan, math.nan)
        lo, hi = np.quantile(finite, [0.05, 0.95])
        return (float(lo), float(hi))

    @property
    def committee_support_90(self) -> tuple[float, float]:
        """The 90% interval of committee support over the draws."""
        return self._band(self.committee_support_draws)

    @property
    def reach_90(self) -> tuple[float, float]:
        """The 90% interval of reach over the draws."""
        return self._band(self.reach_draws)

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """See :func:`stakegraph.viz.plots.plot_spread`."""
        from ..viz.plots import plot_spread

        fig: Figure = plot_spread(self, ax, **kw)
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "committee_support": {"value", "mean", "90"}, "reach": {...}, "people": [...]}``."""

        def block(value: float, draws: np.ndarray, band: tuple[float, float]) -> dict[str, Any]:
            return {
                "value": value,
                "mean": float(np.nanmean(draws)) if len(draws) else None,
                "90": list(band),
            }

        return {
            "samples": self.samples,
            "threshold": self.threshold,
            "committee_support": block(
                self.committee_support, self.committee_support_draws, self.committee_support_90
            ),
            "reach": block(self.reach, self.reach_draws, self.reach_90),
            "people": self._table(),
        }

    def _table(self) -> list[dict[str, Any]]:
        return [
            {
                "id": pid,
                "name": self.names.get(pid, ""),
                "after_mean": float(self.after_mean[i]),
                "supportive": float(self.supportive[i]),
            }
            for i, pid in enumerate(self.ids)
            if self.customer[i]
        ]

    def _summary(self) -> list[str]:
        lo, hi = self.committee_support_90
        rlo, rhi = self.reach_90
        return [
            f"Committee support {self.committee_support:+.2f} on the most probable account; "
            f"90% of {self.samples} possible accounts between {lo:+.2f} and {hi:+.2f}.",
            f"Reach {self.reach:.0f}; 90% between {rlo:.0f} and {rhi:.0f}.",
        ]


# ----------------------------------------------------------------------------- possible accounts
_STANCES = tuple(Stance)


@dataclass(frozen=True, eq=False)
class Accounts:
    """Accounts drawn from the beliefs; the distinct ones laid side by side in one compiled view.

    Attributes
    ----------
    samples : int
        Draws.
    inverse : ndarray
        The distinct account of each draw.
    ties : ndarray
        ``ties[u, j]``: tie ``beliefs.tie_keys[j]`` is there in distinct account ``u``.
    stances : mapping
        Person id -> their stance in each distinct account.
    modal : int
        The distinct account that is the most probable one (:meth:`Beliefs.graph`), -1 if none was drawn.
    view : CompiledGraph
        The distinct accounts side by side (:func:`stakegraph._compiled.side_by_side`):
        account ``u`` in rows ``u * n`` to ``(u + 1) * n - 1``.
    below : ndarray
        ``below[u, i]``: customer people in person i's reporting line in account u.
    """

    beliefs: Beliefs
    samples: int
    inverse: np.ndarray
    ties: np.ndarray
    stances: Mapping[str, tuple[Stance, ...]]
    modal: int
    view: CompiledGraph
    below: np.ndarray
    n: int
    likely: StakeholderGraph

    @property
    def distinct(self) -> int:
        """How many distinct accounts the draws hold."""
        return len(self.ties)

    def graphs(self) -> list[StakeholderGraph]:
        """The distinct accounts as graphs (as :meth:`Beliefs.sample` builds them)."""
        return [
            self.beliefs._realise(self.ties[u], {pid: v[u] for pid, v in self.stances.items()}, 0.5)
            for u in range(self.distinct)
        ]

    def per_draw(self, values: np.ndarray) -> np.ndarray:
        """Values per distinct account (first axis) spread to one per draw."""
        out: np.ndarray = np.asarray(values)[self.inverse]
        return out


def accounts(
    beliefs: Beliefs,
    samples: int,
    seed: int | np.random.Generator | None,
    influence: InfluenceModel | None = None,
    *,
    drawn: tuple[np.ndarray, Mapping[str, Sequence[Stance]]] | None = None,
    layers: Sequence[str] = LAYERS,
) -> Accounts:
    """Draw ``samples`` accounts (:meth:`Beliefs.draw`) and lay the distinct ones side by side.

    ``drawn`` gives the draws instead (``(ties, stances)`` as :meth:`Beliefs.draw`
    returns them). When no drawn ``reports_to`` tie comes and goes, the
    accounts share the formal chart, power and levels of the account holding
    every reported tie, and the view is built straight from tie arrays;
    otherwise each distinct account is built as a graph and compiled.
    Only the ``layers`` named are laid side by side (see
    :func:`~stakegraph._compiled.side_by_side`).
    """
    ties, stances = drawn if drawn is not None else beliefs.draw(samples, seed)
    ties = np.asarray(ties, dtype=bool)
    S = ties.shape[0]
    pids = list(stances)
    code = {st: i for i, st in enumerate(_STANCES)}
    cols = [ties.astype(np.int16)]
    if pids:
        cols.append(np.array([[code[st] for st in stances[pid]] for pid in pids], dtype=np.int16).T)
    key = np.hstack(cols) if sum(c.shape[1] for c in cols) else np.zeros((S, 1), dtype=np.int16)
    uniq, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    U = len(uniq)
    d_ties = ties[first]
    d_stances = {pid: tuple(stances[pid][int(f)] for f in first) for pid in pids}
    modal_key = [(beliefs.tie_p >= 0.5).astype(np.int16)]
    if pids:
        modal = beliefs._modal_stances()
        modal_key.append(
            np.array(
                [code[modal.get(pid, beliefs.graph_.person(pid).stance)] for pid in pids], dtype=np.int16
            )
        )
    mk = np.concatenate(modal_key) if sum(len(m) for m in modal_key) else np.zeros(1, dtype=np.int16)
    hit = np.flatnonzero((uniq == mk[None, :]).all(axis=1))
    likely = beliefs.graph()

    formal = [j for j, k in enumerate(beliefs.tie_keys) if k[2] == "reports_to"]
    if any(d_ties[:, j].any() != d_ties[:, j].all() for j in formal):
        graphs = [
            beliefs._realise(d_ties[u], {pid: v[u] for pid, v in d_stances.items()}, 0.5) for u in range(U)
        ]
        views = [h.compiled(influence) for h in graphs]
        view = stacked(views)
        below = np.array([reporting_lines(h, v)[2] for h, v in zip(graphs, views)])
        n = views[0].n
    else:
        union = beliefs.account(
            ties={
                k: bool(d_ties[0, j]) if k[2] == "reports_to" else True
                for j, k in enumerate(beliefs.tie_keys)
            }
        )
        base = union.compiled(influence)
        n = base.n
        position = {k: j for j, k in enumerate(beliefs.tie_keys)}
        which = np.array([position.get(t.key, -1) for t in union.ties], dtype=np.int64)
        present = np.ones((U, len(which)), dtype=bool)
        varying = np.flatnonzero(which >= 0)
        present[:, varying] = d_ties[:, which[varying]]
        fused = beliefs.graph_.compiled(influence)
        support = np.tile(base.support, (U, 1))
        for pid in pids:
            i = base.index[pid]
            now = float(fused.support[fused.index[pid]])
            by_stance = np.array([beliefs._support(pid, st, now) for st in _STANCES])  # once per stance
            support[:, i] = by_stance[[code[st] for st in d_stances[pid]]]
        view = side_by_side(base, union.ties, present, support, layers)
        below = np.tile(reporting_lines(union, base)[2], (U, 1))
    return Accounts(
        beliefs=beliefs,
        samples=S,
        inverse=inverse,
        ties=d_ties,
        stances=MappingProxyType(d_stances),
        modal=int(hit[0]) if len(hit) else -1,
        view=view,
        below=below,
        n=n,
        likely=likely,
    )


def _fj(
    acc: Accounts, *, tol: float, start: np.ndarray | None = None, support: np.ndarray | None = None
) -> tuple[np.ndarray, _opinion.FJSystem]:
    """Friedkin-Johnsen's settled views in every distinct account (unknown views neutral), and the system."""
    V = acc.view
    x0 = np.where(np.isnan(V.support), 0.0, V.support) if support is None else support
    system = _opinion.fj_system(
        V.W, V.openness, x0, np.diff(V.influence.indptr) == 0, np.zeros(V.n, dtype=bool), V.ids
    )
    first = np.tile(start, acc.distinct) if start is not None else system.x0
    after, _, _ = _opinion.solve(system.M, system.anchor * system.x0, first, tol=tol, max_steps=10_000)
    return np.where(system.defined, after, np.nan).reshape(acc.distinct, acc.n), system


def settled_views(
    beliefs: Beliefs,
    ties: np.ndarray,
    stances: Mapping[str, Sequence[Stance]],
    *,
    influence: InfluenceModel | None = None,
    tol: float = 1e-10,
    start: np.ndarray | None = None,
) -> tuple[Accounts, np.ndarray]:
    """Friedkin-Johnsen's settled views in S accounts at once: one block-diagonal sparse system.

    ``ties[s, j]`` says whether tie ``beliefs.tie_keys[j]`` is there in account
    s; ``stances[pid][s]`` sets a person's stance in it (anyone else keeps the
    most probable stance). Returns the accounts (the distinct ones side by
    side) and their views, one row per distinct account (nan where
    undefined); ``Accounts.per_draw`` spreads them to one row per account
    given. Each row equals :func:`~stakegraph.propagate` on
    :meth:`Beliefs.account` with the same ties and stances.
    """
    acc = accounts(beliefs, len(ties), None, influence, drawn=(ties, stances), layers=("influence",))
    after, _ = _fj(acc, tol=tol, start=start)
    return acc, after


def committee_support(c: CompiledGraph, after: np.ndarray) -> np.ndarray:
    """The power-weighted mean settled view of the decision group, per account.

    ``after`` holds one row of settled views per account of ``c`` (a compiled
    view, or accounts side by side); each account is weighed by its own
    power, as :func:`~stakegraph.propagate` weighs it (nan views left out).
    """
    weight = np.where(c.decision_group, c.power, 0.0).reshape(after.shape)
    ok = np.isfinite(after)
    w = np.where(ok, weight, 0.0)
    total = w.sum(axis=1)
    out: np.ndarray = np.divide(
        (w * np.nan_to_num(after)).sum(axis=1), total, out=np.full(len(after), np.nan), where=total > 0
    )
    return out


def supportive(c: CompiledGraph, after: np.ndarray, threshold: float) -> np.ndarray:
    """Which customer people end at ``threshold`` or above, per account (what ``reach`` counts)."""
    ends: np.ndarray = c.customer.reshape(after.shape) & (np.nan_to_num(after, nan=-np.inf) >= threshold)
    return ends


def _check_beliefs(beliefs: Any, func: str) -> Beliefs:
    if not isinstance(beliefs, Beliefs):
        raise ValidationError(
            f"The 'beliefs' parameter of {func} must be the Beliefs sg.fuse returns. "
            f"Got {type(beliefs).__name__} instead."
        )
    return beliefs


def _people_names(g: StakeholderGraph) -> Mapping[str, str]:
    return MappingProxyType({pid: p.name for pid, p in g.people.items() if p.name})


def support_spread(
    beliefs: Beliefs,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    threshold: float = REACH_THRESHOLD,
    model: ModelName = "fj",
    influence: InfluenceModel | None = None,
    tol: float = 1e-10,
    **options: Any,
) -> SupportSpread:
    """Committee support and reach after people talk, with their spread over the beliefs.

    ``sg.propagate(beliefs, ...)`` returns the same.

    Parameters
    ----------
    beliefs : Beliefs
        From :func:`~stakegraph.fuse`.
    samples : int, default 200
        Accounts drawn (:meth:`Beliefs.draw` with ``seed``; the same draws as
        :meth:`Beliefs.sample`). Identical draws are solved once.
    seed : int, Generator or None, default 0
    threshold : float, default REACH_THRESHOLD (0.25)
        Support at which a person counts as supportive (as :func:`~stakegraph.propagate`).
    model : {"fj", "degroot", "ic", "lt"}, default "fj"
        Friedkin-Johnsen is solved for every account in one sparse system;
        the other models run :func:`~stakegraph.propagate` on each distinct account.
    influence : InfluenceModel, optional
    tol : float, default 1e-10
    **options
        Passed to :func:`~stakegraph.propagate` for the other models (``runs``, ``competition``, ...).

    Returns
    -------
    SupportSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> s = sg.support_spread(sg.fuse(sg.datasets.load("bank"), seed=0), samples=50)
    >>> lo, hi = s.committee_support_90
    >>> lo <= hi and s.samples == 50
    True
    """
    func = "support_spread"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    threshold = check_float(threshold, "threshold", func, -1.0, 1.0, low_open=False, high_open=False)
    tol = check_float(tol, "tol", func, 0.0, math.inf)
    influence = check_influence(influence, func)
    seed = check_seed(seed, func)
    rng = np.random.default_rng(seed)
    acc = accounts(beliefs, S, rng, influence, layers=("influence",))
    likely = acc.likely
    c = acc.view
    customer = c.customer[: acc.n]
    if model == "fj" and not options:
        point = propagate(likely, model="fj", threshold=threshold, influence=influence, tol=tol)
        start = np.nan_to_num(np.asarray(point.after, dtype=float))
        after, _ = _fj(acc, tol=tol, start=start)
        cs = committee_support(c, after)
        ends = supportive(c, after, threshold)
        reach = ends.sum(axis=1).astype(float)
    else:
        point = propagate(likely, model=model, threshold=threshold, influence=influence, tol=tol, **options)
        runs = [
            propagate(h, model=model, threshold=threshold, influence=influence, tol=tol, **options)
            for h in acc.graphs()
        ]
        after = np.array([np.asarray(r.after, dtype=float) for r in runs])
        cs = np.array([float(r.committee_support) for r in runs])
        reach = np.array([float(r.reach) for r in runs])
        ends = supportive(c, after, threshold)
    after, cs, reach, ends = (acc.per_draw(x) for x in (after, cs, reach, ends))
    ok = np.isfinite(after)
    return SupportSpread(
        samples=S,
        threshold=threshold,
        committee_support=float(point.committee_support),
        reach=float(point.reach),
        committee_support_draws=cs,
        reach_draws=reach,
        ids=c.ids[: acc.n],
        after_mean=np.divide(
            np.where(ok, after, 0.0).sum(axis=0),
            ok.sum(axis=0),
            out=np.full(acc.n, np.nan),
            where=ok.sum(axis=0) > 0,
        ),
        supportive=ends.mean(axis=0),
        customer=customer.copy(),
        names=_people_names(likely),
    )


# ----------------------------------------------------------------------------- key people
def _quantiles(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 5% and 95% quantiles of each column (nan-aware; nan where a column has no value)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(x.shape[1:]), np.zeros(x.shape[1:])
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanquantile(x, [0.05, 0.95], axis=0)
    return lo, hi


@dataclass(frozen=True, eq=False)
class RankSpread(Result):
    """Key people over the accounts the beliefs allow (``sg.rank(beliefs)``).

    Attributes
    ----------
    point : Ranking
        :func:`~stakegraph.rank` on the most probable account (:meth:`Beliefs.graph`).
    samples, top : int
        Draws, and the size of the top group :attr:`p_top` counts.
    ids : tuple of str
        Customer people in the point ranking's order.
    rank_draws, power_draws : ndarray, shape (samples, people)
        Each person's rank (1 = most powerful) and power in each draw.
    p_top : ndarray
        Each person's share of draws in which they rank in the top ``top``.
    p_hidden : ndarray
        Each person's share of draws in which they are a hidden influencer.
    """

    point: Ranking
    samples: int
    top: int
    ids: tuple[str, ...]
    rank_draws: np.ndarray
    power_draws: np.ndarray
    p_top: np.ndarray
    p_hidden: np.ndarray
    names: Mapping[str, str]

    _title = "Key people over the possible accounts"

    @property
    def rank_90(self) -> dict[str, tuple[int, int]]:
        """Person id -> the 90% interval of their rank over the draws (whole ranks)."""
        if not self.rank_draws.size:
            return {}
        lo = np.quantile(self.rank_draws, 0.05, axis=0, method="lower")
        hi = np.quantile(self.rank_draws, 0.95, axis=0, method="higher")
        return {pid: (int(a), int(b)) for pid, a, b in zip(self.ids, lo, hi)}

    def __getitem__(self, person_id: str) -> dict[str, Any]:
        for row in self._table():
            if row["id"] == person_id:
                return row
        raise UnknownPersonError(person_id, self.ids)

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "top", "people": [{"id", "name", "rank", "rank_90", "p_top", "power", "power_90", ...}]}``."""
        return {"samples": self.samples, "top": self.top, "people": self._table()}

    def _table(self) -> list[dict[str, Any]]:
        band = self.rank_90
        plo, phi = _quantiles(self.power_draws)
        return [
            {
                "id": pid,
                "name": self.names.get(pid, ""),
                "rank": k + 1,
                "rank_90": list(band.get(pid, (k + 1, k + 1))),
                "p_top": float(self.p_top[k]),
                "power": float(self.point.power[k]),
                "power_90": [float(plo[k]), float(phi[k])],
                "hidden": bool(self.point.hidden[k]),
                "p_hidden": float(self.p_hidden[k]),
            }
            for k, pid in enumerate(self.ids)
        ]

    def _summary(self) -> list[str]:
        if not self.ids:
            return ["No customer people to rank."]
        band = self.rank_90
        sure = [pid for k, pid in enumerate(self.ids) if self.p_top[k] >= 0.9]
        moving = sorted(self.ids, key=lambda p: band[p][0] - band[p][1])[:1]
        lines = [
            f"Over {self.samples} possible accounts, {len(sure)} people are in the top {self.top} "
            f"in at least 90% of them."
        ]
        if moving and band[moving[0]][0] != band[moving[0]][1]:
            pid = moving[0]
            lines.append(
                f"Least settled: {self.name_of(pid)}, rank {band[pid][0]} to {band[pid][1]}; "
                "ask about the reports around them."
            )
        return lines

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """Each person's rank and its 90% interval; see :func:`stakegraph.viz.plots.plot_rank_spread`."""
        from ..viz.plots import plot_rank_spread

        fig: Figure = plot_rank_spread(self, ax, **kw)
        return fig


def rank_spread(
    beliefs: Beliefs,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    top: int = 5,
    weights: Mapping[str, float] | None = None,
    damping: float | None = None,
    hidden_gap: float = 0.25,
    exact_max: int = 500,
    pivots: int = 256,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
) -> RankSpread:
    """Key people with their spread over the beliefs: rank intervals, the chance of being in the top.

    ``sg.rank(beliefs, ...)`` returns the same. Every score is computed for
    all distinct drawn accounts at once on their side-by-side view: PageRank
    and social power by one batched iteration, brokerage by one Brandes pass
    over every account's people. Each draw's scores equal
    :func:`~stakegraph.rank` on the account :meth:`Beliefs.sample` builds for
    it (up to the iterations' tolerance; the most probable account's are
    exactly the point ranking's).

    Parameters
    ----------
    beliefs : Beliefs
    samples : int, default 200
    seed : int, Generator or None, default 0
        Draws the accounts (and brokerage's sources beyond ``exact_max``).
    top : int, default 5
        The size of the top group :attr:`RankSpread.p_top` counts.
    exact_max, pivots : int, default 500 and 256
        Brokerage is exact in each draw (and in the point ranking) up to
        ``exact_max`` people; beyond, it is estimated from ``pivots`` sources
        drawn per account, as :func:`~stakegraph.rank` does beyond its own
        ``exact_max`` (2,000). The default is lower than rank's because the
        work is that of one exact ranking per draw, and a draw's estimate
        errs far less than the draws differ.
    weights, damping, hidden_gap, tol, max_iter, influence
        As :func:`~stakegraph.rank`.

    Returns
    -------
    RankSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> r = sg.rank(sg.fuse(sg.datasets.load("bank"), seed=0), samples=50, seed=0)
    >>> r.ids[0], r.rank_90["ceo"], float(r.p_top[0])
    ('ceo', (1, 1), 1.0)
    """
    func = "rank"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    top = check_int(top, "top", func, low=1)
    seed = check_seed(seed, func)
    rng = np.random.default_rng(seed)
    influence = check_influence(influence, func)
    kw: dict[str, Any] = dict(weights=weights, damping=damping, hidden_gap=hidden_gap, exact_max=exact_max)
    acc = accounts(beliefs, S, rng, influence, layers=("influence", "informal"))
    point = rank(acc.likely, seed=rng, pivots=pivots, tol=tol, max_iter=max_iter, influence=influence, **kw)
    V, n, U = acc.view, acc.n, acc.distinct
    sc = scores(
        V,
        acc.below,
        blocks=U,
        damping=V.model.damping if damping is None else float(damping),
        exact_max=exact_max,
        pivots=pivots,
        seed=rng,
        tol=tol,
        max_iter=max_iter,
    )
    N = sc.authority.shape[1]
    power = sc.power(point.weights)
    ids = [V.ids[i] for i in np.flatnonzero(V.customer[:n])]
    ranks = np.empty((U, N), dtype=np.int64)
    np.put_along_axis(ranks, order_of(power, ids), np.arange(1, N + 1)[None, :], axis=1)
    hidden = sc.hidden(hidden_gap)
    # in the point ranking's order; the most probable account takes the point ranking's own numbers
    where = {pid: k for k, pid in enumerate(ids)}
    perm = np.array([where[pid] for pid in point.ids], dtype=np.int64)
    ranks, power, hidden = ranks[:, perm], power[:, perm], np.asarray(hidden)[:, perm]
    if acc.modal >= 0:
        ranks[acc.modal] = np.arange(1, N + 1)
        power[acc.modal] = point.power
        hidden[acc.modal] = point.hidden
    ranks, power, hidden = acc.per_draw(ranks), acc.per_draw(power), acc.per_draw(hidden)
    return RankSpread(
        point=point,
        samples=S,
        top=top,
        ids=point.ids,
        rank_draws=ranks,
        power_draws=power,
        p_top=(ranks <= top).mean(axis=0),
        p_hidden=hidden.mean(axis=0),
        names=_people_names(acc.likely),
    )


# ----------------------------------------------------------------------------- introduction paths
@dataclass(frozen=True, eq=False)
class PathSpread(Result):
    """Introduction paths over the accounts the beliefs allow (``sg.paths(beliefs)``).

    Attributes
    ----------
    point : Paths
        :func:`~stakegraph.paths` on the most probable account.
    samples : int
    reach_draws : mapping
        Target id -> the probability of the best path to them in each draw (0 when none).
    paths : mapping
        Target id -> one row per path: each path of ``point``, then the other
        paths that are best in some draw: ``people``, ``probability`` (on the
        most probable account, or None), ``p_exists`` (share of draws in which
        every introduction of it can be made), ``p_best`` (share of draws in
        which it is the best path) and ``probability_90`` (its probability
        over the draws where it exists).
    """

    point: Paths
    samples: int
    reach_draws: Mapping[str, np.ndarray]
    paths: Mapping[str, tuple[dict[str, Any], ...]]
    names: Mapping[str, str]

    _title = "Introduction paths over the possible accounts"

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """See :func:`stakegraph.viz.plots.plot_chances`."""
        from ..viz.plots import plot_chances

        fig: Figure = plot_chances(self, ax, **kw)
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "targets": [{"target", "p_reachable", "reach_90", "paths": [...]}]}``."""
        out = []
        for t, draws in self.reach_draws.items():
            lo, hi = SupportSpread._band(draws)
            out.append(
                {
                    "target": t,
                    "p_reachable": float((draws > 0).mean()) if len(draws) else 0.0,
                    "reach_90": [lo, hi],
                    "paths": [dict(row, people=list(row["people"])) for row in self.paths[t]],
                }
            )
        return {"samples": self.samples, "targets": out}

    def _table(self) -> list[dict[str, Any]]:
        return [
            {
                "target": t,
                "path": " > ".join(self.name_of(x) for x in row["people"]),
                "probability": row["probability"],
                "p_exists": row["p_exists"],
                "p_best": row["p_best"],
            }
            for t in self.paths
            for row in self.paths[t]
        ]

    def _summary(self) -> list[str]:
        lines = []
        for t, draws in self.reach_draws.items():
            rows = self.paths[t]
            best = max(rows, key=lambda r: r["p_best"]) if rows else None
            reach = float((draws > 0).mean()) if len(draws) else 0.0
            text = f"{self.name_of(t)}: reachable in {reach:.0%} of {self.samples} possible accounts"
            if best is not None and best["p_best"] > 0:
                via = " > ".join(self.name_of(x) for x in best["people"])
                text += f"; most often best: {via} ({best['p_best']:.0%})"
            lines.append(text + ".")
        return lines


def _path_rows(P: Sequence[int], acc: Accounts, A: sp.csr_array) -> np.ndarray:
    """The probability of the path through rows ``P`` (of one account) in each distinct account (0 if cut)."""
    V = acc.view
    shift = acc.n * np.arange(acc.distinct)
    r = np.concatenate([[V.n], np.asarray(P[:-1], dtype=np.int64)])
    c = np.asarray(P, dtype=np.int64)
    rr = np.where(r[None, :] == V.n, V.n, r[None, :] + shift[:, None])
    cc = c[None, :] + shift[:, None]
    cost = np.asarray(A[rr.ravel(), cc.ravel()]).reshape(rr.shape)
    ok = (cost > 0).all(axis=1)
    with np.errstate(over="ignore"):
        prob = np.exp(-(cost.sum(axis=1) - HOP_COST * len(P)))
    return np.where(ok, np.minimum(prob, 1.0), 0.0)


def path_spread(
    beliefs: Beliefs,
    target: str | Sequence[str] | None = None,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    k: int = 3,
    disjoint: bool = False,
    through_hostile: HostilePolicy = "block",
    influence: InfluenceModel | None = None,
) -> PathSpread:
    """Introduction paths with their spread over the beliefs: how likely each path is there and best.

    ``sg.paths(beliefs, ...)`` returns the same. The best route in every
    distinct drawn account comes from one Dijkstra run over the accounts
    side by side (one virtual source joined to the starting people of all of
    them); each point path's introductions are looked up in every account at
    once. Each draw's best path and its probability equal
    :func:`~stakegraph.paths` on the account :meth:`Beliefs.sample` builds.

    Parameters
    ----------
    beliefs : Beliefs
    target : str or list of str, optional
        As :func:`~stakegraph.paths` (default: every decision-maker).
    samples : int, default 200
    seed : int, Generator or None, default 0
    k, disjoint, through_hostile, influence
        As :func:`~stakegraph.paths`.

    Returns
    -------
    PathSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> p = sg.paths(sg.fuse(sg.datasets.load("bank"), seed=0), "ceo", samples=50, seed=0)
    >>> row = p.paths["ceo"][0]
    >>> 0 <= row["p_best"] <= row["p_exists"] <= 1
    True
    """
    func = "paths"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    rng = np.random.default_rng(check_seed(seed, func))
    influence = check_influence(influence, func)
    acc = accounts(beliefs, S, rng, influence, layers=("contacts",))
    point = paths(
        acc.likely, target, k=k, disjoint=disjoint, through_hostile=through_hostile, influence=influence
    )
    V, n, U = acc.view, acc.n, acc.distinct
    policy = point.through_hostile
    prob, pred = best_routes(V, policy)
    A = intro_graph(V, policy)[0]
    index = V.index
    reach: dict[str, np.ndarray] = {}
    table: dict[str, tuple[dict[str, Any], ...]] = {}
    for tp in point:
        t = index[tp.target]
        rows_t = t + n * np.arange(U)
        reach[tp.target] = acc.per_draw(prob[rows_t])
        # the best route in each account, by pointer chasing in all accounts at once
        cur = rows_t.copy()
        routes: list[list[int]] = [[] for _ in range(U)]
        alive = prob[rows_t] > 0
        for u in np.flatnonzero(alive):
            routes[u].append(int(cur[u]) - u * n)
        for _ in range(n):
            cur = np.where(alive, pred[cur], cur)
            alive &= (cur != V.n) & (cur >= 0)
            if not alive.any():
                break
            for u in np.flatnonzero(alive):
                routes[u].append(int(cur[u]) - u * n)
        best = [tuple(V.ids[r] for r in reversed(route)) for route in routes]
        best_draws = [best[u] for u in acc.inverse]
        listed = [p.people for p in tp.paths]
        shown = dict.fromkeys(listed)
        wins = Counter(best_draws)
        for b, _ in wins.most_common():
            if b:
                shown.setdefault(b)
        rows = []
        for people in shown:
            probs = acc.per_draw(_path_rows([index[x] for x in people], acc, A))
            there = probs > 0
            lo, hi = SupportSpread._band(probs[there]) if there.any() else (math.nan, math.nan)
            on_point = next((p for p in tp.paths if p.people == people), None)
            rows.append(
                {
                    "people": people,
                    "probability": None if on_point is None else float(on_point.probability),
                    "p_exists": float(there.mean()),
                    "p_best": wins[people] / S,
                    "probability_90": [lo, hi],
                }
            )
        table[tp.target] = tuple(rows)
    return PathSpread(
        point=point,
        samples=S,
        reach_draws=MappingProxyType(reach),
        paths=MappingProxyType(table),
        names=_people_names(acc.likely),
    )


# ----------------------------------------------------------------------------- whom to win next
@dataclass(frozen=True, eq=False)
class TargetSpread(Result):
    """Whom to win next over the accounts the beliefs allow (``sg.targets(beliefs)``).

    Attributes
    ----------
    point : Targets
        :func:`~stakegraph.targets` on the most probable account.
    samples, k : int
    ids : tuple of str
        The people ever among the ``k`` best in a draw, the point targets first.
    gain_draws, expected_draws : ndarray, shape (samples, len(ids))
        Committee gain of winning each of them, and that gain times their
        reachability, in each draw (nan where they are no candidate: already
        supportive, or out of reach).
    p_chosen : ndarray
        Each one's share of draws in which they are among the ``k`` targets.
    """

    point: Targets
    samples: int
    k: int
    ids: tuple[str, ...]
    gain_draws: np.ndarray
    expected_draws: np.ndarray
    p_chosen: np.ndarray
    names: Mapping[str, str]

    _title = "Whom to win next, over the possible accounts"

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """See :func:`stakegraph.viz.plots.plot_chances`."""
        from ..viz.plots import plot_chances

        fig: Figure = plot_chances(self, ax, **kw)
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "k", "model", "targets": [{"id", "name", "p_chosen", "gain", "gain_90", ...}]}``."""
        return {"samples": self.samples, "k": self.k, "model": self.point.model, "targets": self._table()}

    def _table(self) -> list[dict[str, Any]]:
        glo, ghi = _quantiles(self.gain_draws)
        elo, ehi = _quantiles(self.expected_draws)
        point = {t.id: t for t in self.point}
        return [
            {
                "id": pid,
                "name": self.names.get(pid, ""),
                "p_chosen": float(self.p_chosen[j]),
                "gain": float(point[pid].gain) if pid in point else None,
                "gain_90": [float(glo[j]), float(ghi[j])],
                "expected_gain_90": [float(elo[j]), float(ehi[j])],
            }
            for j, pid in enumerate(self.ids)
        ]

    def _summary(self) -> list[str]:
        lines = []
        for j, pid in enumerate(self.ids[: self.k]):
            lines.append(
                f"{self.name_of(pid)}: among the {self.k} to win next in {self.p_chosen[j]:.0%} "
                f"of {self.samples} possible accounts."
            )
        return lines or ["No one to win: nobody reachable is short of ally."]


def target_spread(
    beliefs: Beliefs,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    k: int = 3,
    model: ModelName = "fj",
    through_hostile: HostilePolicy = "block",
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
    **options: Any,
) -> TargetSpread:
    """Whom to win next with the spread over the beliefs: each candidate's gain interval and chance of being chosen.

    ``sg.targets(beliefs, ...)`` returns the same. With ``model="fj"`` every
    distinct drawn account is solved at once: one Friedkin-Johnsen system
    and one transposed solve over the accounts side by side give every
    person's gain in every account (the gain is linear in the starting
    views), and one Dijkstra run their reachability. Other models run
    :func:`~stakegraph.targets` on each distinct account.

    Parameters
    ----------
    beliefs : Beliefs
    samples : int, default 200
    seed : int, Generator or None, default 0
    k, model, through_hostile, tol, max_iter, influence, **options
        As :func:`~stakegraph.targets`.

    Returns
    -------
    TargetSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> t = sg.targets(sg.fuse(sg.datasets.load("bank"), seed=0), samples=50, seed=0)
    >>> t.ids[:3], t.p_chosen[:3].tolist()
    (('ceo', 'coo', 'cfo'), [0.62, 0.98, 0.8])
    """
    func = "targets"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    k = check_int(k, "k", func, low=1)
    rng = np.random.default_rng(check_seed(seed, func))
    influence = check_influence(influence, func)
    acc = accounts(beliefs, S, rng, influence, layers=("influence", "contacts"))
    common: dict[str, Any] = dict(
        k=k, through_hostile=through_hostile, max_iter=max_iter, tol=tol, influence=influence
    )
    if model in ("ic", "lt"):
        common["seed"] = int(rng.integers(2**31))  # the same cascades in every account
    point = targets(acc.likely, model=model, **common, **options)
    V, n, U = acc.view, acc.n, acc.distinct
    if model == "fj" and not options:
        reach, _ = best_routes(V, through_hostile)  # validated by the point targets above
        after, system = _fj(acc, tol=tol)
        w = committee_weights(V, after.ravel())
        y, _ = fj_flow(system, w, tol=tol, max_steps=max_iter, blocks=U)
        gain = (y * (ALLY - np.nan_to_num(V.support, nan=0.0))).reshape(U, n)
        cand = candidate_mask(V, reach).reshape(U, n)
        reach = reach.reshape(U, n)
        expected = np.where(cand, gain * reach, -np.inf)
        order = np.lexsort((np.broadcast_to(np.arange(n), (U, n)), -expected), axis=-1)[:, :k]
        picked = np.take_along_axis(expected, order, axis=1) > NOISE
        chosen = np.zeros((U, n), dtype=bool)
        np.put_along_axis(chosen, order, picked, axis=1)
        gain = np.where(cand, gain, np.nan)
        expected = np.where(cand, gain * reach, np.nan)
        people = np.arange(n)
    else:
        index = V.index
        runs = [targets(h, model=model, **common, **options) for h in acc.graphs()]
        seen = list(dict.fromkeys(t.id for r in runs for t in r))
        people = np.array([index[pid] for pid in seen], dtype=np.int64)
        gain = np.full((U, n), np.nan)
        expected = np.full((U, n), np.nan)
        chosen = np.zeros((U, n), dtype=bool)
        for u, r in enumerate(runs):
            for t in r:
                i = index[t.id]
                gain[u, i], expected[u, i], chosen[u, i] = t.gain, t.expected_gain, True
    p_chosen = acc.per_draw(chosen).mean(axis=0)
    first = [V.index[t.id] for t in point]
    rest = [int(i) for i in np.argsort(-p_chosen, kind="stable") if p_chosen[i] > 0 and int(i) not in first]
    cols = np.array(first + [i for i in rest if i in set(people.tolist())], dtype=np.int64)
    return TargetSpread(
        point=point,
        samples=S,
        k=k,
        ids=tuple(V.ids[i] for i in cols),
        gain_draws=acc.per_draw(gain[:, cols]),
        expected_draws=acc.per_draw(expected[:, cols]),
        p_chosen=p_chosen[cols],
        names=_people_names(acc.likely),
    )


# ----------------------------------------------------------------------------- what if
@dataclass(frozen=True, eq=False)
class WhatIfSpread(Result):
    """Committee support and reach before and after some changes, over the accounts the beliefs allow.

    Attributes
    ----------
    point : WhatIf
        :func:`~stakegraph.what_if` on the most probable account.
    samples : int
    before_draws, after_draws : ndarray
        Committee support in each draw, without and with the changes.
    reach_before_draws, reach_after_draws : ndarray
    """

    point: WhatIf
    samples: int
    before_draws: np.ndarray
    after_draws: np.ndarray
    reach_before_draws: np.ndarray
    reach_after_draws: np.ndarray

    _title = "What if, over the possible accounts"

    @property
    def change_90(self) -> tuple[float, float]:
        """The 90% interval of the change in committee support."""
        return SupportSpread._band(self.after_draws - self.before_draws)

    @property
    def p_better(self) -> float:
        """The share of draws in which the changes raise committee support."""
        d = self.after_draws - self.before_draws
        return float((d > 1e-12).mean()) if len(d) else 0.0

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """See :func:`stakegraph.viz.plots.plot_spread`."""
        from ..viz.plots import plot_spread

        fig: Figure = plot_spread(self, ax, **kw)
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "changes", "committee_support": {"before", "after", "change_90", "p_better"}, "reach": {...}}``."""
        b, a = self.point.committee_support
        rb, ra = self.point.reach
        return {
            "samples": self.samples,
            "changes": list(self.point.changes),
            "committee_support": {
                "before": b,
                "after": a,
                "change_90": list(self.change_90),
                "p_better": self.p_better,
            },
            "reach": {
                "before": rb,
                "after": ra,
                "change_90": list(SupportSpread._band(self.reach_after_draws - self.reach_before_draws)),
            },
        }

    def _table(self) -> list[dict[str, Any]]:
        return []

    def _summary(self) -> list[str]:
        lo, hi = self.change_90
        b, a = self.point.committee_support
        return [
            f"Committee support {b:+.2f} -> {a:+.2f} on the most probable account; "
            f"the change is between {lo:+.2f} and {hi:+.2f} in 90% of {self.samples} possible accounts "
            f"and positive in {self.p_better:.0%}."
        ]


def what_if_spread(
    beliefs: Beliefs,
    changes: Mapping[str, Any],
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    model: ModelName = "fj",
    influence: InfluenceModel | None = None,
    **options: Any,
) -> WhatIfSpread:
    """What some changes would do, with the spread over the beliefs.

    ``sg.what_if(beliefs, changes, ...)`` returns the same. With
    ``model="fj"`` and changes of stance or support only, every distinct
    drawn account is solved twice in one system each (before, after); tie
    changes and the other models run :func:`~stakegraph.what_if` on each
    distinct account.

    Parameters
    ----------
    beliefs : Beliefs
    changes : mapping
        As :func:`~stakegraph.what_if`.
    samples : int, default 200
    seed : int, Generator or None, default 0
    model, influence, **options
        As :func:`~stakegraph.what_if`.

    Returns
    -------
    WhatIfSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> w = sg.what_if(sg.fuse(sg.datasets.load("bank"), seed=0), {"cfo": "ally"}, samples=50, seed=0)
    >>> w.p_better  # in the other 4%, the CFO is an ally already
    0.96
    >>> [round(x, 3) for x in w.change_90]
    [0.017, 0.088]
    """
    func = "what_if"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    rng = np.random.default_rng(check_seed(seed, func))
    influence = check_influence(influence, func)
    acc = accounts(beliefs, S, rng, influence, layers=("influence",))
    kw = dict(model=model, influence=influence, **options)
    if model in ("ic", "lt") and "seed" not in kw:
        kw["seed"] = int(rng.integers(2**31))
    point = what_if(acc.likely, changes, **kw)
    V, n, U = acc.view, acc.n, acc.distinct
    people_only = all(key not in ("add_tie", "remove_tie") for key in changes)
    if model == "fj" and not options and people_only:
        # the changed people's support, read as what_if reads it (a stance, a support, a rating)
        changed = acc.likely.copy()
        apply_changes(changed, changes)
        now = changed.compiled(influence)
        before, _ = _fj(acc, tol=1e-10)
        x0 = np.where(np.isnan(V.support), 0.0, V.support).reshape(U, n)
        for pid in changes:
            x0[:, V.index[pid]] = np.nan_to_num(now.support[now.index[pid]], nan=0.0)
        after, _ = _fj(acc, tol=1e-10, support=x0.ravel())
        cb, ca = committee_support(V, before), committee_support(V, after)
        rb = supportive(V, before, REACH_THRESHOLD).sum(axis=1).astype(float)
        ra = supportive(V, after, REACH_THRESHOLD).sum(axis=1).astype(float)
    else:
        runs = [what_if(h, changes, **kw) for h in acc.graphs()]
        cb = np.array([r.committee_support[0] for r in runs])
        ca = np.array([r.committee_support[1] for r in runs])
        rb = np.array([r.reach[0] for r in runs], dtype=float)
        ra = np.array([r.reach[1] for r in runs], dtype=float)
    return WhatIfSpread(
        point=point,
        samples=S,
        before_draws=acc.per_draw(cb),
        after_draws=acc.per_draw(ca),
        reach_before_draws=acc.per_draw(rb),
        reach_after_draws=acc.per_draw(ra),
    )


# ----------------------------------------------------------------------------- deal health
@dataclass(frozen=True, eq=False)
class DiagnosisSpread(Result):
    """Deal health over the accounts the beliefs allow (``sg.diagnose(beliefs)``).

    Attributes
    ----------
    point : Diagnosis
        :func:`~stakegraph.diagnose` on the most probable account.
    samples : int
    findings : tuple of dict
        One row per finding raised in the point diagnosis or in some draw
        (a finding is its code and the people it concerns): ``code``,
        ``severity``, ``people``, ``message``, ``action``, ``probability``
        (share of draws raising it) and ``in_point``. The point findings
        first, then the others by probability.
    """

    point: Diagnosis
    samples: int
    findings: tuple[dict[str, Any], ...]
    code_probability: Mapping[str, float]
    names: Mapping[str, str]

    _title = "Deal health over the possible accounts"

    def probability(self, code: str, people: Sequence[str] | None = None) -> float:
        """The share of draws raising ``code`` (about exactly ``people`` when given)."""
        rows = [
            f for f in self.findings if f["code"] == code and (people is None or f["people"] == tuple(people))
        ]
        if people is not None:
            return max((f["probability"] for f in rows), default=0.0)
        return float(self.code_probability.get(code, 0.0))

    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """See :func:`stakegraph.viz.plots.plot_chances`."""
        from ..viz.plots import plot_chances

        fig: Figure = plot_chances(self, ax, **kw)
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"samples", "findings": [{"code", "severity", "people", "message", "action", "probability", "in_point"}]}``."""
        return {
            "samples": self.samples,
            "findings": [dict(f, people=list(f["people"])) for f in self.findings],
        }

    def _table(self) -> list[dict[str, Any]]:
        return [
            {
                "code": f["code"],
                "severity": f["severity"],
                "probability": f["probability"],
                "in_point": f["in_point"],
                "message": f["message"],
            }
            for f in self.findings
        ]

    def _summary(self) -> list[str]:
        likely = [f for f in self.findings if f["probability"] >= 0.5]
        maybe = [f for f in self.findings if 0.1 <= f["probability"] < 0.5]
        return [
            f"{len(likely)} findings in at least half of {self.samples} possible accounts, "
            f"{len(maybe)} more in 10% to 50% of them."
        ]


def diagnosis_spread(
    beliefs: Beliefs,
    *,
    samples: int = 100,
    seed: int | np.random.Generator | None = 0,
    **options: Any,
) -> DiagnosisSpread:
    """Deal health with the spread over the beliefs: how likely each finding is.

    ``sg.diagnose(beliefs, ...)`` returns the same. Diagnosis reads every
    analysis and the people one by one, so it runs on each distinct drawn
    account (identical draws once).

    Parameters
    ----------
    beliefs : Beliefs
    samples : int, default 100
    seed : int, Generator or None, default 0
    **options
        As :func:`~stakegraph.diagnose` (``as_of``, ``settings``, ...).

    Returns
    -------
    DiagnosisSpread

    Examples
    --------
    >>> import stakegraph as sg
    >>> d = sg.diagnose(sg.fuse(sg.datasets.load("bank"), seed=0), samples=10, seed=0)
    >>> all(0 <= f["probability"] <= 1 for f in d.findings)
    True
    """
    func = "diagnose"
    beliefs = _check_beliefs(beliefs, func)
    S = check_int(samples, "samples", func, low=1)
    rng = np.random.default_rng(check_seed(seed, func))
    acc = accounts(beliefs, S, rng, options.get("influence"), layers=())
    point = diagnose(acc.likely, **options)
    weight = np.bincount(acc.inverse, minlength=acc.distinct)
    share: dict[tuple[str, tuple[str, ...]], int] = {}
    share_code: dict[str, int] = {}
    example: dict[tuple[str, tuple[str, ...]], Any] = {}
    for u, h in enumerate(acc.graphs()):
        found = diagnose(h, **options).findings
        for f in found:
            key = (f.code, tuple(f.people))
            share[key] = share.get(key, 0) + int(weight[u])
            example.setdefault(key, f)
        for code in {f.code for f in found}:
            share_code[code] = share_code.get(code, 0) + int(weight[u])
    rows = []
    in_point = set()
    for f in point.findings:
        key = (f.code, tuple(f.people))
        in_point.add(key)
        rows.append((key, f, True))
    for key in sorted(set(share) - in_point, key=lambda k: (-share[k], k)):
        rows.append((key, example[key], False))
    out = tuple(
        {
            "code": f.code,
            "severity": f.severity,
            "people": tuple(f.people),
            "message": f.message,
            "action": f.action,
            "probability": share.get(key, 0) / S,
            "in_point": mark,
        }
        for key, f, mark in rows
    )
    return DiagnosisSpread(
        point=point,
        samples=S,
        findings=out,
        code_probability=MappingProxyType({code: m / S for code, m in share_code.items()}),
        names=_people_names(acc.likely),
    )
