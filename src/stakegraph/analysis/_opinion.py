"""Friedkin–Johnsen and DeGroot on the compiled influence matrix.

Friedkin–Johnsen: ``x(t+1) = Λ W x(t) + (I − Λ) x0`` settles at
``x* = (I − ΛW)⁻¹ (I − Λ) x0`` when the spectral radius of ``ΛW`` is below 1.
With ``W`` row-normalised by absolute value (``|W|`` row-stochastic) that
holds exactly when every person can reach, through the people they listen
to, someone with openness below 1 (someone *anchored* to their own view).
People who cannot (a group of fully open people who listen only to one
another) have no unique settled view: ``I − ΛW`` is singular for them.

The solve: a dense LU for small graphs; otherwise the fixed-point iteration
(a sparse mat-vec per step, fast since openness is usually well below 1),
switching to BiCGSTAB and then GMRES when it contracts slowly. A sparse
direct factorisation is never used: it fills in (seconds at 10⁴ people
where the iteration takes milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from ..errors import ConvergenceError

__all__ = [
    "DENSE_MAX",
    "ATTRIBUTION_DENSE_MAX",
    "ATTRIBUTION_DROP",
    "FJSystem",
    "can_reach",
    "degroot",
    "fj_system",
]

DENSE_MAX = 400
"""Up to this many people FJ is solved by a dense LU factorisation."""
ATTRIBUTION_DENSE_MAX = 2000
"""Up to this many people the attribution matrix is exact (a dense solve)."""
ATTRIBUTION_DROP = 1e-4
"""Above ATTRIBUTION_DENSE_MAX, contributions below this share are dropped from the attribution matrix."""


def can_reach(pattern: sp.csr_array, targets: np.ndarray) -> np.ndarray:
    """People with a path (row i -> column j along non-zeros of ``pattern``) to someone in ``targets``."""
    n = pattern.shape[0]
    if not targets.any():
        return np.zeros(n, dtype=bool)
    if targets.all():
        return np.ones(n, dtype=bool)
    coo = sp.coo_array(pattern)
    t = np.flatnonzero(targets)
    # reversed edges j -> i, plus a source node n pointing at every target
    rows = np.concatenate([coo.col, np.full(t.size, n)])
    cols = np.concatenate([coo.row, t])
    g = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n + 1, n + 1))
    order = csgraph.breadth_first_order(g, n, directed=True, return_predecessors=False)
    out = np.zeros(n + 1, dtype=bool)
    out[order] = True
    return out[:n]


@dataclass
class FJSystem:
    """``x = M x + D x0`` with ``M = ΛW'`` and ``D = I − Λ`` (people without a view held at 0)."""

    M: sp.csr_array
    anchor: np.ndarray  # diagonal of D
    x0: np.ndarray
    defined: np.ndarray  # people whose settled view is defined
    _dense_attr: np.ndarray | None = field(default=None, repr=False)
    _attr: sp.csr_array | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return self.M.shape[0]

    def solve(self, *, tol: float, max_steps: int) -> tuple[np.ndarray, int, str]:
        """The settled views, the iterations used and the method."""
        b = self.anchor * self.x0
        return solve(self.M, b, self.x0, tol=tol, max_steps=max_steps)

    def trajectory(self, *, tol: float, max_steps: int) -> np.ndarray:
        """Views round by round from ``x0`` (the FJ dynamics), until they settle or ``max_steps``."""
        x = self.x0.copy()
        b = self.anchor * self.x0
        out = [x]
        for _ in range(max_steps):
            nx = self.M @ x + b
            out.append(nx)
            if np.max(np.abs(nx - x), initial=0.0) <= tol:
                break
            x = nx
        return np.vstack(out)

    def attribution_row(self, i: int, *, tol: float = 1e-12, max_steps: int = 100_000) -> np.ndarray:
        """Row ``i`` of ``V = (I − M)⁻¹ D``: each person's share in person i's settled view."""
        if not self.defined[i]:
            return np.zeros(self.n)
        if self._dense_attr is not None:
            return np.array(self._dense_attr[i], copy=True)
        if self.n <= ATTRIBUTION_DENSE_MAX:
            return np.array(self.attribution_dense()[i], copy=True)
        e = np.zeros(self.n)
        e[i] = 1.0
        # V[i] = y^T D with (I − M)^T y = e_i
        y, _, _ = solve(sp.csr_array(self.M.T), e, e, tol=tol, max_steps=max_steps)
        row: np.ndarray = y * self.anchor
        return row

    def attribution_dense(self) -> np.ndarray:
        """The exact attribution matrix as a dense array (small graphs only)."""
        if self._dense_attr is None:
            n = self.n
            a = np.eye(n) - self.M.toarray()
            v = np.linalg.solve(a, np.diag(self.anchor)) if n else np.zeros((0, 0))
            v[~self.defined] = 0.0
            self._dense_attr = v
        return self._dense_attr

    def attribution(self) -> sp.csr_array:
        """``V = (I − ΛW)⁻¹ (I − Λ)`` as a sparse matrix.

        Exact (entries below 1e-12 dropped) up to ``ATTRIBUTION_DENSE_MAX``
        people; above, the Neumann series ``sum_k M^k D`` with every term's
        entries below ``ATTRIBUTION_DROP`` dropped (so no dense inverse is
        ever formed on a large graph).
        """
        if self._attr is None:
            if self.n <= ATTRIBUTION_DENSE_MAX:
                v = self.attribution_dense().copy()
                v[np.abs(v) < 1e-12] = 0.0
                self._attr = sp.csr_array(v)
            else:
                self._attr = _neumann(self.M, self.anchor * self.defined, ATTRIBUTION_DROP)
        return self._attr


def _neumann(M: sp.csr_array, anchor: np.ndarray, drop: float) -> sp.csr_array:
    term = sp.csr_array(sp.diags_array(anchor, format="csr"))
    total = term.copy()
    for _ in range(10_000):
        term = sp.csr_array(M @ term)
        term.data[np.abs(term.data) < drop] = 0.0
        term.eliminate_zeros()
        if term.nnz == 0:
            break
        total = sp.csr_array(total + term)
    total.sum_duplicates()
    out: sp.csr_array = total
    return out


def solve(
    M: sp.csr_array, b: np.ndarray, start: np.ndarray, *, tol: float, max_steps: int
) -> tuple[np.ndarray, int, str]:
    """Solve ``x = M x + b`` (spectral radius of M below 1)."""
    n = M.shape[0]
    if n <= DENSE_MAX:
        try:
            x = np.linalg.solve(np.eye(n) - M.toarray(), b)
        except np.linalg.LinAlgError:
            x = np.full(n, np.nan)
        if np.all(np.isfinite(x)):
            return x, 1, "direct"
        raise ConvergenceError(
            "Friedkin–Johnsen could not be solved: I − ΛW is singular or not finite; check "
            "for people who are fully open (openness 1) and listen only to one another."
        )
    x = np.asarray(start, dtype=float).copy()
    prev = np.inf
    slow = 0
    it = 0
    while it < max_steps:
        nx = M @ x + b
        it += 1
        delta = float(np.max(np.abs(nx - x), initial=0.0))
        x = nx
        if delta <= tol:
            return x, it, "fixed_point"
        rate = delta / prev if prev > 0 and np.isfinite(prev) else 0.0
        prev = delta
        slow = slow + 1 if rate > 0.95 else 0
        if it >= 30 and slow >= 10:
            break
    if it >= max_steps:
        raise ConvergenceError(
            f"Friedkin–Johnsen did not settle within max_iter={max_steps} iterations (last change {prev:.3g} "
            f"> tol={tol:g}); raise max_steps, or lower the openness of people who are fully open."
        )
    # slow contraction: a Krylov method on (I − M) x = b
    a = sp.csr_array(sp.eye_array(n, format="csr") - M)
    left = max(max_steps - it, 10)
    for name, fn in (("bicgstab", spla.bicgstab), ("gmres", spla.gmres)):
        count = [0]

        def step(_: Any, count: list[int] = count) -> None:
            count[0] += 1

        kwargs: dict[str, Any] = {"x0": x, "rtol": 0.0, "atol": tol, "maxiter": left, "callback": step}
        if fn is spla.gmres:
            kwargs["callback_type"] = "legacy"
        y, info = fn(a, b, **kwargs)
        res = float(np.max(np.abs(a @ y - b), initial=0.0))
        if info == 0 and res <= 10 * tol and np.all(np.isfinite(y)):
            return y, it + count[0], name
    raise ConvergenceError(
        f"Friedkin–Johnsen did not settle: the fixed-point iteration contracts too slowly and BiCGSTAB and GMRES "
        f"failed to reach tol={tol:g} within max_iter={max_steps}; lower the openness of people close to 1, "
        "or raise tol or max_steps."
    )


def fj_system(
    W: sp.csr_array,
    openness: np.ndarray,
    x0: np.ndarray,
    lonely: np.ndarray,
    excluded: np.ndarray,
    ids: tuple[str, ...],
) -> FJSystem:
    """Build the FJ system, handling people who listen to nobody and people without a view.

    ``excluded`` marks people whose initial view does not count (openness 1,
    no anchor). People who listen to nobody keep their own view (openness 0),
    unless excluded, in which case they have none. People who cannot reach an
    anchored person have no settled view: if they are all excluded people,
    they are left without one (nan) and whoever listens to them listens to
    the others instead; otherwise :class:`ConvergenceError` says who they are.
    """
    lam = np.asarray(openness, dtype=float).copy()
    lam[excluded] = 1.0
    lam[lonely & ~excluded] = 0.0
    x0 = np.where(excluded | np.isnan(x0), 0.0, x0)
    anchored = lam < 1.0
    ok = can_reach(W, anchored)
    lost = ~ok
    stuck = lost & ~excluded
    if stuck.any():
        who = [ids[i] for i in np.flatnonzero(stuck)]
        shown = ", ".join(repr(w) for w in who[:8]) + (f" and {len(who) - 8} more" if len(who) > 8 else "")
        raise ConvergenceError(
            f"Friedkin–Johnsen has no unique settled view for {shown}: they are fully open (openness 1) and listen "
            "only to people who are fully open too, so I − ΛW is singular (their views would drift to a consensus "
            "that depends on where the talk starts). Give at least one of them an openness below 1 (set 'openness' "
            "on the person or in the InfluenceModel), or use model='degroot' for the consensus they would reach."
        )
    Wp = sp.csr_array(W, copy=True)
    if lost.any():
        # nobody listens to people without a view; rows renormalised over the rest
        Wp = sp.csr_array(Wp @ sp.diags_array((~lost).astype(float)))
        Wp.eliminate_zeros()
        absrow = np.asarray(abs(Wp).sum(axis=1)).ravel()
        Wp.data = Wp.data / np.repeat(
            absrow, np.diff(Wp.indptr)
        )  # row sums are > 0 wherever a row has entries
        empty = (absrow == 0) & ~lost
        lam[empty] = 0.0  # listens to nobody left: keeps their own view (they are anchored)
        lam[lost] = 0.0
        x0 = np.where(lost, 0.0, x0)
    M = sp.csr_array(Wp, copy=True)  # Λ W': each row scaled by the listener's openness
    M.data = M.data * np.repeat(lam, np.diff(M.indptr))
    M.eliminate_zeros()
    anchor = np.where(lost, 0.0, 1.0 - lam)
    return FJSystem(M=M, anchor=anchor, x0=x0, defined=ok)


def degroot(
    W: sp.csr_array, x0: np.ndarray, known: np.ndarray, *, tol: float, max_steps: int, trajectory: bool
) -> tuple[np.ndarray, int, bool, np.ndarray | None]:
    """DeGroot averaging ``x(t+1) = W x(t)`` until the views stop changing or ``max_steps``.

    People with ``known`` False bring no initial view: each view is the
    ``W``-weighted average over the initial views that reach it (the pull of
    known views divided by the weight of ``|W|``-walks ending at known people);
    a person no known view reaches has none (nan).

    Returns (views, rounds, converged, trajectory or None).
    """
    n = W.shape[0]
    s = np.where(known, x0, 0.0)
    everyone = bool(known.all())
    A = None if everyone else sp.csr_array(abs(W))
    m = known.astype(float)

    def view(s_: np.ndarray, m_: np.ndarray) -> np.ndarray:
        if everyone:
            return np.array(s_, copy=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(m_ > 1e-300, s_ / np.where(m_ > 1e-300, m_, 1.0), np.nan)

    x = view(s, m)
    traj = [x] if trajectory else None
    converged = False
    t = 0
    while t < max_steps:
        s = W @ s
        if A is not None:
            m = A @ m  # |W| is row-stochastic: m stays in [0, 1]
        nx = view(s, m)
        t += 1
        if traj is not None:
            traj.append(nx)
        delta = np.abs(nx - x)
        delta = float(np.max(delta[np.isfinite(delta)], initial=0.0))
        x = nx
        if delta <= tol:
            converged = True
            break
    if n == 0:
        converged = True
    return x, t, converged, (np.vstack(traj) if traj is not None else None)
