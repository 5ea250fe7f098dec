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
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .._compiled import CompiledGraph, influence_entries, listening_matrix, tie_arrays
from ..errors import ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_float, check_int, check_seed
from ..method.vocabulary import Stance
from ..results import Result
from . import _opinion
from .fuse import Beliefs
from .propagate import propagate

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping, Sequence

__all__ = ["SupportSpread", "committee_support", "settled_views", "support_spread"]


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


def settled_views(
    beliefs: Beliefs,
    ties: np.ndarray,
    stances: Mapping[str, Sequence[Stance]],
    *,
    influence: InfluenceModel | None = None,
    tol: float = 1e-10,
    start: np.ndarray | None = None,
) -> tuple[CompiledGraph, np.ndarray]:
    """Friedkin-Johnsen's settled views in S accounts at once: one block-diagonal sparse system.

    ``ties[s, j]`` says whether tie ``beliefs.tie_keys[j]`` is there in account
    s; ``stances[pid][s]`` sets a person's stance in it (anyone else keeps the
    most probable stance). Returns the compiled view of the account holding
    every reported tie (people in its order) and the views, one row per
    account (nan where undefined). Each row equals :func:`~stakegraph.propagate`
    on :meth:`Beliefs.account` with the same ties and stances.
    """
    S = ties.shape[0]
    union = beliefs.account(ties=dict.fromkeys(beliefs.tie_keys, True))
    c = union.compiled(influence)
    model = influence if influence is not None else union.model
    n = c.n
    src, dst, kind, strength = tie_arrays(union.ties, c.index)
    # only the reported ties change from account to account; every other entry is in every block
    position = {k: j for j, k in enumerate(beliefs.tie_keys)}
    which = np.array([position.get(t.key, -1) for t in union.ties], dtype=np.int64)
    rows, cols, vals, tie = influence_entries(src, dst, kind, strength, model)
    fixed = which[tie] < 0
    s_fix = np.repeat(np.arange(S), int(fixed.sum()))
    e_fix = np.tile(np.flatnonzero(fixed), S)
    varying = np.flatnonzero(~fixed)
    s_var, k_var = np.nonzero(ties[:, which[tie[varying]]]) if len(varying) else (np.zeros(0, int),) * 2
    s_idx = np.concatenate([s_fix, s_var])
    e_idx = np.concatenate([e_fix, varying[k_var]])
    block = sp.coo_array(
        (vals[e_idx], (rows[e_idx] + s_idx * n, cols[e_idx] + s_idx * n)), shape=(S * n, S * n)
    ).tocsr()
    block.sum_duplicates()
    block.eliminate_zeros()
    x0 = np.tile(np.where(np.isnan(c.support), 0.0, c.support), (S, 1))
    for pid, drawn in stances.items():
        x0[:, c.index[pid]] = [s.support for s in drawn]
    system = _opinion.fj_system(
        listening_matrix(block),
        np.tile(c.openness, S),
        x0.ravel(),
        np.diff(block.indptr) == 0,
        np.zeros(S * n, dtype=bool),
        c.ids * S,
    )
    first = np.tile(start, S) if start is not None else system.x0
    after, _, _ = _opinion.solve(system.M, system.anchor * system.x0, first, tol=tol, max_steps=10_000)
    return c, np.where(system.defined, after, np.nan).reshape(S, n)


def committee_support(c: CompiledGraph, after: np.ndarray) -> np.ndarray:
    """The power-weighted mean settled view of the decision group, per row of ``after`` (nan ignored)."""
    weight = np.where(c.decision_group, c.power, 0.0)
    ok = np.isfinite(after)
    w = np.where(ok, weight[None, :], 0.0)
    total = w.sum(axis=1)
    out: np.ndarray = np.divide(
        (w * np.nan_to_num(after)).sum(axis=1), total, out=np.full(len(after), np.nan), where=total > 0
    )
    return out


def support_spread(
    beliefs: Beliefs,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    threshold: float = 0.25,
    influence: InfluenceModel | None = None,
    tol: float = 1e-10,
) -> SupportSpread:
    """Committee support and reach after people talk (Friedkin-Johnsen), with their spread over the beliefs.

    Parameters
    ----------
    beliefs : Beliefs
        From :func:`~stakegraph.fuse`.
    samples : int, default 200
        Accounts drawn (:meth:`Beliefs.draw` with ``seed``; the same draws as
        :meth:`Beliefs.sample`).
    seed : int, Generator or None, default 0
    threshold : float, default 0.25
        Support at which a person counts as supportive (as :func:`~stakegraph.propagate`).
    influence : InfluenceModel, optional
    tol : float, default 1e-10

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
    if not isinstance(beliefs, Beliefs):
        raise ValidationError(
            f"The 'beliefs' parameter of {func} must be the Beliefs sg.fuse returns. "
            f"Got {type(beliefs).__name__} instead."
        )
    S = check_int(samples, "samples", func, low=1)
    threshold = check_float(threshold, "threshold", func, -1.0, 1.0, low_open=False, high_open=False)
    tol = check_float(tol, "tol", func, 0.0, math.inf)
    influence = check_influence(influence, func)
    seed = check_seed(seed, func)
    likely = beliefs.graph()
    point = propagate(likely, model="fj", threshold=threshold, influence=influence, tol=tol)
    drawn_ties, drawn_stances = beliefs.draw(S, seed)
    start = np.nan_to_num(np.asarray(point.after, dtype=float))
    c, after = settled_views(beliefs, drawn_ties, drawn_stances, influence=influence, tol=tol, start=start)
    ok = np.isfinite(after)
    cs = committee_support(c, after)
    ends = c.customer[None, :] & (np.nan_to_num(after, nan=-np.inf) >= threshold)
    return SupportSpread(
        samples=S,
        threshold=threshold,
        committee_support=float(point.committee_support),
        reach=float(point.reach),
        committee_support_draws=cs,
        reach_draws=ends.sum(axis=1).astype(float),
        ids=c.ids,
        after_mean=np.divide(
            np.where(ok, after, 0.0).sum(axis=0),
            ok.sum(axis=0),
            out=np.full(c.n, np.nan),
            where=ok.sum(axis=0) > 0,
        ),
        supportive=ends.mean(axis=0),
        customer=c.customer.copy(),
        names=MappingProxyType({pid: p.name for pid, p in likely.people.items() if p.name}),
    )
