"""Compiled kernels, used when numba is installed (``pip install 'stakegraph[fast]'``).

Importing this module imports numba; :mod:`._centrality` imports it only
when numba is present, the work is large enough to repay compiling, and the
``STAKEGRAPH_JIT`` environment variable is not ``0``. Compiled code is cached
on disk, so only the first call on a machine pays for compiling (about a
second).

``brandes``
    Brandes' betweenness on a weighted directed graph, one source at a time,
    with the same definition of a shortest-path arc as the numpy kernel in
    :func:`._centrality.betweenness`: ``u -> v`` is on a shortest path from
    ``s`` when ``d(s, v) > d(s, u)`` and ``d(s, u) + w(u, v) <= d(s, v)(1 + rtol)``.

    Distances come from Dinitz's bucket variant of Dijkstra's algorithm:
    buckets of distance as wide as just under the cheapest arc, so no arc joins
    two nodes of one bucket and every node of the lowest non-empty bucket is
    settled; no heap is needed. Settling bucket by bucket also orders the
    nodes so that every shortest-path arc climbs at least one bucket, which is
    all the path counting (forward) and dependency accumulation (backward)
    need. The kernel reports failure, and the caller falls back to the numpy
    kernel, when that order cannot be guaranteed (costs so spread that the
    tolerance ``rtol * d_max`` reaches the bucket margin) or when the buckets
    would be too sparse to be quick.

References
----------
Dinitz, E. A. (1978). Economical algorithms for finding shortest paths in a
network. Transportation Modeling Systems, 36-44.

Brandes, U. (2001). A faster algorithm for betweenness centrality.
J. Math. Sociol. 25(2), 163-177.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["brandes", "MARGIN", "reverse_reachable"]

#: Buckets are ``(1 - MARGIN)`` times the cheapest arc wide.
MARGIN = 1e-4


@numba.njit(cache=True, nogil=True)
def brandes(
    indptr: np.ndarray, indices: np.ndarray, w: np.ndarray, sources: np.ndarray, rtol: float, out: np.ndarray
) -> bool:  # pragma: no cover - compiled
    """Add each node's dependencies from ``sources`` to ``out``; False if the bucket order fails.

    ``indptr``, ``indices`` (both int32, or both int64 beyond 2**31 arcs) and
    ``w`` (float64, all > 0) are the CSR arrays of the arc costs; ``sources``
    is int64. The work arrays take the integer type of ``indices`` (int32
    halves the memory traffic on large graphs). On False, ``out`` holds
    partial sums and must be discarded.
    """
    n = len(indptr) - 1
    m = len(indices)
    w_min = np.inf
    w_max = 0.0
    for a in range(m):
        w_min = min(w_min, w[a])
        w_max = max(w_max, w[a])
    if not w_min > 0.0:
        return False
    width = w_min * (1.0 - MARGIN)
    inv_width = 1.0 / width
    nb = int(w_max * inv_width) + 2  # live buckets span at most w_max / width + 1
    if nb > 4 * (n + m) + 1024:
        return False
    max_steps = 16 * (n + m) + 1024  # bucket steps per source before giving up
    # an arc on a shortest path climbs at least d_v - d_u >= w_min - rtol * d_v;
    # it lands in a higher bucket while rtol * d_v stays under half the margin
    d_limit = 0.5 * MARGIN * w_min / max(rtol, 1e-12)
    scale = 1.0 + rtol

    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    acc = np.zeros(n)
    done = np.zeros(n, np.bool_)
    order = np.empty(n, indices.dtype)
    head = np.full(nb, -1, indices.dtype)
    nxt = np.empty(m + 1, indices.dtype)
    node = np.empty(m + 1, indices.dtype)
    tail = np.empty(m + 1, indices.dtype)
    hd = np.empty(m + 1, indices.dtype)

    for s in sources:
        # -- distances: settle the lowest non-empty bucket, relax its arcs into higher ones
        dist[s] = 0.0
        node[0] = s
        nxt[0] = -1
        head[0] = 0
        used = 1
        live = 1
        k = 0
        cnt = 0
        d_far = 0.0
        while live > 0:
            if k > max_steps:
                return False
            slot = k % nb
            e = head[slot]
            head[slot] = -1
            while e >= 0:
                live -= 1
                v = node[e]
                e = nxt[e]
                if done[v]:
                    continue
                done[v] = True
                order[cnt] = v
                cnt += 1
                d = dist[v]
                d_far = max(d_far, d)
                for a in range(indptr[v], indptr[v + 1]):
                    x = indices[a]
                    nd = d + w[a]
                    if nd < dist[x]:
                        dist[x] = nd
                        b = int(nd * inv_width) % nb
                        node[used] = x
                        nxt[used] = head[b]
                        head[b] = used
                        used += 1
                        live += 1
            k += 1
        if d_far > d_limit:
            return False

        # -- forward: path counts in settling order; keep the shortest-path arcs (branch-free)
        sigma[s] = 1.0
        r = 0
        for q in range(cnt):
            v = order[q]
            dv = dist[v]
            sv = sigma[v]
            for a in range(indptr[v], indptr[v + 1]):
                x = indices[a]
                dx = dist[x]
                on = (dx > dv) & (dv + w[a] <= dx * scale)
                sigma[x] += sv * on
                tail[r] = v
                hd[r] = x
                r += on

        # -- backward: acc[v] = sum over successors x of (1 + delta[x]) / sigma[x],
        #    delta = sigma * acc; arcs in reverse settling order see complete successors
        for q in range(r - 1, -1, -1):
            x = hd[q]
            acc[tail[q]] += 1.0 / sigma[x] + acc[x]
        for q in range(1, cnt):
            v = order[q]
            out[v] += sigma[v] * acc[v]

        for q in range(cnt):
            v = order[q]
            dist[v] = np.inf
            sigma[v] = 0.0
            acc[v] = 0.0
            done[v] = False
    return True


@numba.njit(cache=True, nogil=True)
def reverse_reachable(
    indptr: np.ndarray,
    src: np.ndarray,
    p: np.ndarray,
    lt: bool,
    roots: np.ndarray,
    ours: np.ndarray,
    theirs: np.ndarray,
    seed: int,
    start: np.ndarray,
    covered: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled
    """RR sets from ``roots`` over the in-edges ``indptr``/``src``/``p`` (grouped by listener), one after
    another: the members of all sets, set ``i`` at ``start[i]:start[i + 1]``.

    Independent cascade: each in-edge of a person reached is live with its
    ``p``; linear threshold (``lt``): one in-edge, or none, drawn by ``p``.
    The search keeps but does not pass people in ``theirs``; a set that
    reaches someone in ``ours`` is marked in ``covered`` and left empty.
    Random numbers come from numba's generator, seeded with ``seed``.
    """
    np.random.seed(seed)  # noqa: NPY002  (numba's own generator, seeded per call)
    n = len(indptr) - 1
    stamp = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    members = np.empty(max(16, 4 * len(roots)), dtype=np.int64)
    size = 0
    for i in range(len(roots)):
        r = roots[i]
        start[i] = size
        if size + n > len(members):  # room for a whole set
            grown = np.empty(max(2 * len(members), size + n), dtype=np.int64)
            grown[:size] = members[:size]
            members = grown
        stamp[r] = i
        members[size] = r
        size += 1
        done = ours[r]
        head = 0
        tail = 0
        if not done and not theirs[r]:
            queue[tail] = r
            tail += 1
        while head < tail and not done:
            v = queue[head]
            head += 1
            lo = indptr[v]
            hi = indptr[v + 1]
            if lt:
                x = np.random.random()  # noqa: NPY002
                acc = 0.0
                pick = -1
                for e in range(lo, hi):
                    acc += p[e]
                    if x < acc:
                        pick = e
                        break
                if pick < 0:
                    continue
                lo = pick
                hi = pick + 1
            for e in range(lo, hi):
                if not lt and np.random.random() >= p[e]:  # noqa: NPY002
                    continue
                u = src[e]
                if stamp[u] == i:
                    continue
                stamp[u] = i
                members[size] = u
                size += 1
                if ours[u]:
                    done = True
                    break
                if not theirs[u]:
                    queue[tail] = u
                    tail += 1
        if done:
            covered[i] = True
            size = start[i]
    start[len(roots)] = size
    return members[:size]
