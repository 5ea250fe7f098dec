"""Sparse kernels behind :func:`~stakegraph.rank` and :func:`~stakegraph.structure`.

Each kernel takes scipy.sparse matrices indexed by row number and returns
numpy arrays in the same order; mapping rows to person ids is the caller's job.

``pagerank``
    Power iteration with a fixed tolerance on the L1 change between two
    iterates (never multiplied by the number of nodes), dangling nodes spread
    uniformly, as networkx does.
``betweenness``
    Brandes' dependency accumulation over weighted shortest paths, from
    ``scipy.sparse.csgraph`` distances, counting every equal-cost shortest
    path: an arc ``u -> v`` lies on a shortest path from ``s`` when
    ``d(s, u) + w(u, v) - d(s, v) <= rtol * d(s, v)`` and ``d(s, v) > d(s, u)``
    (so rounding can never close a cycle of "shortest" arcs). With numba
    installed, large problems run the compiled kernel of :mod:`._jit`
    (bucketed Dijkstra and Brandes, one source at a time). Otherwise path
    counts and dependencies are propagated in batches of sources, level by
    level, from ``scipy.sparse.csgraph`` distances, where a level is a band of
    distance narrower than the cheapest arc, so no shortest-path arc joins two
    nodes of one level.
``social_power``
    Friedkin's weighted column sums of ``V = (I - ΛW)^-1 (I - Λ)`` from one
    solve of the transposed system (sparse LU when small, fixed-point
    iteration when large).
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ..errors import ConvergenceError

__all__ = ["betweenness", "jit_available", "pagerank", "shortest_from", "social_power"]

#: Work (sources x arcs) from which ``engine="auto"`` runs the compiled kernel:
#: below it the numpy kernel takes well under a tenth of a second, less than
#: importing numba.
JIT_MIN_WORK = 2_000_000


def shortest_from(
    A: sp.csr_array | sp.csc_array,
    source: int,
    *,
    directed: bool = True,
    unweighted: bool = False,
    limit: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Dijkstra from one row: ``(distance, predecessor)``, both of length ``A.shape[0]``.

    ``distance`` is ``inf`` where nothing leads; ``predecessor`` (int64) is the
    row before each on a shortest path, negative for the source and the
    unreachable. ``limit`` stops the search at that distance.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_array(([1.0, 2.0], ([0, 1], [1, 2])), shape=(3, 3))
    >>> d, p = shortest_from(A, 0)
    >>> d.tolist(), p.tolist()
    ([0.0, 1.0, 3.0], [-9999, 0, 1])
    """
    dist, pred = dijkstra(
        A,
        directed=directed,
        indices=[int(source)],
        return_predecessors=True,
        unweighted=unweighted,
        limit=limit,
    )
    return dist[0], pred[0].astype(np.int64)


@functools.lru_cache(maxsize=1)
def _import_jit() -> Callable[..., bool] | None:
    try:
        from ._jit import brandes
    except ImportError:
        return None
    except Exception as exc:  # numba present but unusable here (e.g. no writable cache): numpy it is
        warnings.warn(
            f"stakegraph's compiled kernels are unavailable ({exc}); using numpy.",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return brandes


def jit_available() -> bool:
    """True when the compiled kernels can run: numba is installed and ``STAKEGRAPH_JIT`` is not ``0``.

    Examples
    --------
    >>> isinstance(jit_available(), bool)
    True
    """
    return os.environ.get("STAKEGRAPH_JIT", "1").strip() != "0" and _import_jit() is not None


def pagerank(
    A: sp.csr_array, *, damping: float, tol: float, max_iter: int, blocks: int = 1
) -> tuple[np.ndarray, int]:
    """PageRank of a weighted directed graph.

    Parameters
    ----------
    A : csr_array, shape (n, n)
        ``A[i, j] >= 0`` is the weight of the link ``i -> j`` (``i`` passes
        rank to ``j``).
    damping : float
        Probability of following a link (the rest teleports uniformly).
    tol : float
        Stop when the L1 change between two iterates is below ``tol``.
    max_iter : int
        Iteration budget; :class:`~stakegraph.errors.ConvergenceError` beyond it.
    blocks : int, default 1
        ``A`` holds this many graphs of equal size along its diagonal (no link
        between two of them): each gets its own PageRank (its dangling rank
        and teleport stay within it; each stops when its own L1 change is
        below ``tol``), as if run alone.

    Returns
    -------
    scores : ndarray
        Sums to 1 over each block (empty for an empty graph).
    iterations : int

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0, 1.0], [0, 0]]))
    >>> x, it = pagerank(A, damping=0.85, tol=1e-12, max_iter=1000)
    >>> x.round(4).tolist()
    [0.3509, 0.6491]
    """
    n = A.shape[0] // max(blocks, 1)
    if n == 0:
        return np.zeros(0), 0
    A = sp.csr_array(A, copy=True)
    A.eliminate_zeros()
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = (out <= 0).reshape(blocks, n)
    # divide each row by its sum (not multiply by 1 / sum, which overflows for subnormal weights)
    A.data = A.data / np.repeat(out, np.diff(A.indptr))
    PT = sp.csr_array(A.T)
    x = np.full((blocks, n), 1.0 / n)
    teleport = (1.0 - damping) / n
    live = np.ones(blocks, dtype=bool)
    for it in range(1, max_iter + 1):
        lost = np.where(dangling, x, 0.0).sum(axis=1, keepdims=True)
        nxt = damping * ((PT @ x.ravel()).reshape(blocks, n) + lost / n) + teleport
        err = np.abs(nxt - x).sum(axis=1)
        x[live] = nxt[live]
        live &= ~(err < tol)
        if not live.any():
            return x.ravel(), it
    raise ConvergenceError(
        f"PageRank did not reach an L1 change below {tol:g} within {max_iter} iterations; "
        "raise max_iter or tol."
    )


def social_power(
    W: sp.csr_array,
    openness: np.ndarray,
    p: np.ndarray,
    *,
    tol: float,
    max_iter: int,
    direct_max: int = 2000,
    blocks: int = 1,
) -> tuple[np.ndarray, int]:
    """Friedkin's social power ``s = p^T V`` with ``V = (I - ΛW)^-1 (I - Λ)``.

    ``s_j`` is the weight person ``j``'s initial view carries in the settled
    views of the people weighted by ``p``: ``s = (I - Λ) y`` where
    ``(I - ΛW)^T y = p``. Up to ``direct_max`` people (or when someone's
    openness exceeds 0.99, where iterations crawl) the system is solved by a
    sparse LU factorisation; beyond, by the fixed-point iteration
    ``y <- p + W^T Λ y``, one sparse mat-vec per step, stopped when the L1
    change is below ``tol``. Openness is capped at ``1 - 1e-9``: a closed
    group of people with openness 1, whose views would otherwise trade
    forever, then passes on what reaches it in proportion to the group's
    long-run weights (the limit as openness tends to 1).

    Parameters
    ----------
    W : csr_array, shape (n, n)
        Row ``i`` holds the weights ``i`` gives the people they listen to.
    openness : ndarray, shape (n,)
        ``Λ`` on the diagonal, each in [0, 1].
    p : ndarray, shape (n,)
        Weights of the people whose settled views count.
    tol, max_iter : float, int
        Tolerance and budget of the iteration.
    direct_max : int
        Largest size solved directly.
    blocks : int, default 1
        ``W`` holds this many groups of equal size along its diagonal, each
        with its own ``p``: solved together by the iteration (each until its
        own L1 change is below ``tol``) unless someone's openness exceeds 0.99
        (then block by block, directly).

    Returns
    -------
    s : ndarray, shape (n,)
    iterations : int
        0 when solved directly.

    Examples
    --------
    >>> W = sp.csr_array(np.array([[0, 1.0], [0, 1.0]]))   # 0 listens to 1; 1 keeps their view
    >>> s, _ = social_power(W, np.array([0.5, 0.5]), np.array([1.0, 0.0]), tol=1e-14, max_iter=1000)
    >>> s.round(3).tolist()
    [0.5, 0.5]
    """
    lam = np.minimum(np.asarray(openness, dtype=float), 1.0 - 1e-9)
    stay = 1.0 - lam
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return np.zeros(0), 0
    if (blocks == 1 and n <= direct_max) or lam.max() > 0.99:
        from scipy.sparse.linalg import spsolve

        size = n // blocks
        A = sp.csr_array(sp.eye_array(n, format="csr") - (sp.diags_array(lam) @ W).T)
        y = np.empty(n)
        for b in range(blocks):  # one factorisation per block: LU of the whole diagonal fills no faster
            part = slice(b * size, (b + 1) * size)
            y[part] = np.atleast_1d(spsolve(sp.csc_array(A[part, part]), p[part]))
        return stay * y, 0
    MT = sp.csr_array(W.T)
    y = p.copy()
    for it in range(1, max_iter + 1):
        nxt = p + MT @ (lam * y)
        err = np.abs(nxt - y).reshape(blocks, -1).sum(axis=1)
        y = nxt
        if (err < tol).all():
            return stay * y, it
    raise ConvergenceError(
        f"social power did not settle within {max_iter} iterations (L1 change still above {tol:g}); "
        "raise max_iter or tol."
    )


#: Work (sources x arcs) from which the compiled kernel splits the sources over threads.
THREAD_MIN_WORK = 4 * JIT_MIN_WORK


def _threaded(
    kernel: Callable[..., bool],
    indptr: np.ndarray,
    indices: np.ndarray,
    w: np.ndarray,
    sources: np.ndarray,
    rtol: float,
    out: np.ndarray,
) -> bool:
    """Run the compiled kernel (which releases the GIL) on the sources split over the machine's cores."""
    workers = min(os.cpu_count() or 1, 8, max(1, len(sources) * len(w) // THREAD_MIN_WORK))
    if workers == 1:
        return bool(kernel(indptr, indices, w, sources, float(rtol), out))
    from concurrent.futures import ThreadPoolExecutor

    parts = np.array_split(sources, workers)
    outs = [np.zeros_like(out) for _ in parts]
    with ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(lambda a: kernel(indptr, indices, w, a[0], float(rtol), a[1]), zip(parts, outs)))
    if not all(done):
        return False
    out += np.sum(outs, axis=0)
    return True


def betweenness(
    cost: sp.csr_array,
    sources: np.ndarray | None = None,
    *,
    rtol: float = 1e-9,
    block: int = 200_000,
    engine: Literal["auto", "numpy", "numba"] = "auto",
) -> np.ndarray:
    """Brandes' betweenness on a weighted directed graph, summed over ``sources``.

    Returns ``b[v] = Σ_{s in sources} Σ_{t != s, v} σ_st(v) / σ_st`` (not
    normalised), where ``σ_st`` counts shortest paths from ``s`` to ``t`` and
    ``σ_st(v)`` those through ``v``. Path costs within ``rtol`` (relative)
    are equal.

    Parameters
    ----------
    cost : csr_array, shape (n, n)
        ``cost[u, v] > 0`` is the length of the arc ``u -> v``.
    sources : ndarray of int, optional
        Rows to start from (all rows when None).
    rtol : float
        Relative tolerance under which two path costs count as equal.
    block : int
        Work per batch of sources, in (sources x arcs), for the numpy kernel;
        bounds its memory.
    engine : {"auto", "numpy", "numba"}
        ``"numba"`` runs the compiled kernel (numba must be installed),
        ``"numpy"`` the numpy one, and ``"auto"`` the compiled one when
        :func:`jit_available` and the work (sources x arcs) reaches
        ``JIT_MIN_WORK``. Both give the same numbers up to rounding. The
        compiled kernel hands over to the numpy one when arc costs are so
        spread that its bucket order is not safe.

    Examples
    --------
    >>> C = sp.csr_array(np.array([[0, 1.0, 1.0, 0], [0, 0, 0, 1.0], [0, 0, 0, 1.0], [0, 0, 0, 0]]))
    >>> betweenness(C).tolist()       # two equal paths 0 -> 3, one through 1, one through 2
    [0.0, 0.5, 0.5, 0.0]
    """
    if engine not in ("auto", "numpy", "numba"):
        raise ValueError(f"engine must be 'auto', 'numpy' or 'numba', not {engine!r}")
    if engine == "numba" and _import_jit() is None:
        raise ModuleNotFoundError("engine='numba' needs numba: pip install 'stakegraph[fast]'")
    n = cost.shape[0]
    bc = np.zeros(n)
    cost = sp.csr_array(cost)
    cost.sum_duplicates()
    if n == 0 or cost.nnz == 0:
        return bc
    if sources is None:
        sources = np.arange(n, dtype=np.int64)
    sources = np.asarray(sources, dtype=np.int64)
    outdeg = np.diff(cost.indptr)
    sources = sources[outdeg[sources] > 0]  # a source without arcs reaches no one
    if len(sources) == 0:
        return bc
    w = cost.data.astype(float)
    m = len(w)
    if engine == "numba" or (engine == "auto" and len(sources) * m >= JIT_MIN_WORK and jit_available()):
        kernel = _import_jit()
        assert kernel is not None
        itype = np.int32 if m < 2**31 - 1 else np.int64
        if _threaded(kernel, cost.indptr.astype(itype), cost.indices.astype(itype), w, sources, rtol, bc):
            return bc
        bc[:] = 0.0  # the kernel declined (see _jit): start over with numpy
    src = np.repeat(np.arange(n, dtype=np.int64), outdeg)
    dst = cost.indices.astype(np.int64)
    w_min = float(w.min())
    batch = max(1, min(len(sources), block // max(m, n)))
    for start in range(0, len(sources), batch):
        S = sources[start : start + batch]
        bc += _batch(cost, S, outdeg, src, dst, w, w_min, rtol)
    return bc


def _batch(
    cost: sp.csr_array,
    S: np.ndarray,
    outdeg: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    w_min: float,
    rtol: float,
) -> np.ndarray:
    """Dependencies from the sources ``S``, summed over them."""
    B = len(S)
    n = cost.shape[0]
    m = len(w)
    D = np.atleast_2d(dijkstra(cost, directed=True, indices=S))
    # arcs on a shortest path: d(s,u) + w <= d(s,v) (1 + rtol), and d(s,v) > d(s,u);
    # unreachable is NaN, so every comparison with it is false
    unreachable = ~np.isfinite(D)
    D[unreachable] = np.nan
    d_max = float(np.nanmax(D)) if not unreachable.all() else 0.0
    with np.errstate(invalid="ignore"):
        du = np.repeat(D, outdeg, axis=1)
        rise = None
        if w_min <= 2.0 * rtol * d_max:  # costs so far apart that rounding can swallow an arc
            rise = np.take(D, dst, axis=1) > du
        du += w
        dv = np.take(D, dst, axis=1)
        dv *= 1.0 + rtol
        on = du <= dv
        if rise is not None:
            on &= rise
    del du, dv, rise
    idx = np.flatnonzero(on)
    del on
    if len(idx) == 0:
        return np.zeros(n)
    bi = idx // m
    ei = idx - bi * m
    base = bi * n
    tails = base + src[ei]
    heads = base + dst[ei]
    flat = D.ravel()
    size = B * n
    lt, lh = _levels(flat, tails, heads, w_min, rtol, size)
    order = np.argsort(lh.astype(np.int16) if lh.max() < 32767 else lh, kind="stable")
    tails, heads = tails[order], heads[order]
    runs = _runs(lh[order])

    # forward: path counts, level by level in increasing distance
    sigma = np.zeros(size)
    roots = np.arange(B, dtype=np.int64) * n + S
    sigma[roots] = 1.0
    for a, b in runs:
        np.add.at(sigma, heads[a:b], sigma[tails[a:b]])

    # backward, by decreasing level of the head: once every arc out of the heads
    # of a level is counted, acc[v] = sum over successors x of (1 + delta[x]) / sigma[x]
    # is complete, delta[v] = sigma[v] * acc[v], and v passes (1 + delta[v]) / sigma[v]
    # = 1 / sigma[v] + acc[v] to each predecessor.
    acc = np.zeros(size)
    inv = np.divide(1.0, sigma, out=np.zeros(size), where=sigma > 0)
    for a, b in reversed(runs):
        hs = heads[a:b]
        np.add.at(acc, tails[a:b], inv[hs] + acc[hs])
    delta = sigma * acc
    delta[roots] = 0.0
    out: np.ndarray = delta.reshape(B, n).sum(axis=0)
    return out


def _runs(level: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal values in a sorted array."""
    cuts = np.flatnonzero(level[1:] != level[:-1]) + 1
    return list(zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(level)].tolist()))


def _levels(
    flat: np.ndarray, tails: np.ndarray, heads: np.ndarray, w_min: float, rtol: float, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Levels of the tails and heads of shortest-path arcs, every arc climbing at least one level.

    Distance bands of width just under the cheapest arc do it in one pass; if
    rounding ever breaks the rule, fall back to the exact depth in the
    shortest-path DAG (the longest arc count from the source).
    """
    dh = flat[heads]
    h = (w_min - 4.0 * rtol * max(float(dh.max()), 1.0)) * (1.0 - 1e-9)
    if h > 0:
        lt = np.floor(flat[tails] / h).astype(np.int64)
        lh = np.floor(dh / h).astype(np.int64)
        if np.all(lh > lt):
            return lt, lh
    depth = np.zeros(size, dtype=np.int64)
    for _ in range(size + 1):
        cand = depth.copy()
        np.maximum.at(cand, heads, depth[tails] + 1)
        if np.array_equal(cand, depth):
            break
        depth = cand
    return depth[tails], depth[heads]
