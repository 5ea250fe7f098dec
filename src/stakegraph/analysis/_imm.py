"""Reverse-reachable sets and IMM (Tang, Shi & Xiao 2015): whom to turn ally for the largest committee gain.

The committee gain of turning a set ``S`` of people ally, in the cascades of
:mod:`stakegraph.analysis._cascade` without the competitor spreading and
over positive ties, is a weighted coverage: a committee member ``m`` not
already with us gains when some person of ``S`` reaches ``m`` over live
edges that do not pass through anyone already on the other side (they have
decided and pass nothing on). A reverse-reachable (RR) set is everyone who
reaches a member drawn at random in proportion to that member's stake (the
member's committee share, twice over for a member on the other side, who
moves from them to us) in one random live-edge graph, the search stopping
at people already on the other side, who are kept in the set (turning one of
them ally makes them a seed), and the set dropped as covered when it meets
someone already with us. The expected gain of ``S`` is then the total stake
times the chance that ``S`` meets an RR set (Borgs et al. 2014), so picking
people greedily by the RR sets they meet is picking by estimated gain.

IMM decides how many RR sets are enough: it first finds a lower bound of the
best gain by doubling the number of sets until the greedy set's coverage
passes a threshold, then draws ``theta`` sets, so that with probability at
least ``1 - 1/n^ell`` the greedy set over them is within ``1 - 1/e - epsilon``
of the best set of ``k`` (Tang, Shi & Xiao, "Influence maximization in
near-linear time: a martingale approach", SIGMOD 2015, Algorithms 1 and 2).

RR sets are drawn many at a time: each round of the reverse search expands
the frontier of every set at once (independent cascade: one coin per
in-edge examined, which is the coin of that edge in that set's own live-edge
graph since each edge is examined at most once per set; linear threshold:
one in-edge, or none, drawn per person reached, by its scaled weight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._cascade import CascadeEdges
from ._centrality import jit_available

__all__ = ["RRSets", "imm", "rr_sets"]

MAX_SETS = 4_000_000
"""The most RR sets drawn (memory); IMM's own count is used when smaller, and the cut is reported."""

_BATCH = 1 << 15  # RR sets searched together, at most
_BATCH_CELLS = 1 << 26  # sets x people of a batch's visited map (bytes)


@dataclass(frozen=True)
class RRSets:
    """RR sets as ragged rows: the people of set ``i`` are ``members[start[i]:start[i + 1]]``;
    ``covered`` marks sets already met by someone with us (they count in ``drawn`` but never in a gain)."""

    start: np.ndarray
    members: np.ndarray
    covered: np.ndarray

    @property
    def drawn(self) -> int:
        return int(self.covered.size)


def _kernel() -> Any:
    """The compiled RR-set search when numba can run (extra ``fast``), else None (the numpy search)."""
    if not jit_available():
        return None
    from ._jit import reverse_reachable

    return reverse_reachable


def _in_edges(edges: CascadeEdges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The positive edges grouped by listener: ``(indptr over listeners, influencer, probability)``."""
    keep = edges.pos & (edges.p > 0)
    dst, src, p = edges.dst[keep], edges.src[keep], edges.p[keep]
    order = np.argsort(dst, kind="stable")
    dst, src, p = dst[order], src[order], p[order]
    indptr = np.zeros(edges.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=edges.n), out=indptr[1:])
    return indptr, src.astype(np.int64), p.astype(float)


def rr_sets(
    edges: CascadeEdges,
    model: str,
    roots: np.ndarray,
    ours: np.ndarray,
    theirs: np.ndarray,
    rng: np.random.Generator,
) -> RRSets:
    """One RR set per root (a person row), in the live-edge graphs of ``model`` ("ic" or "lt").

    The search stops at people in ``theirs`` (kept in the set) and drops a set as covered when it
    reaches someone in ``ours``.
    """
    n = edges.n
    indptr, src, p = _in_edges(edges)
    kernel = _kernel()
    if kernel is not None and len(roots):
        start = np.zeros(len(roots) + 1, dtype=np.int64)
        covered_ = np.zeros(len(roots), dtype=bool)
        members_ = kernel(
            indptr,
            src,
            p,
            model == "lt",
            np.asarray(roots, dtype=np.int64),
            ours,
            theirs,
            int(rng.integers(2**31)),
            start,
            covered_,
        )
        return RRSets(start, members_, covered_)
    deg = np.diff(indptr)
    cum = np.cumsum(p) if model == "lt" else None
    starts_lt = np.concatenate(([0.0], cum))[indptr[:-1]] if cum is not None else None
    total_lt = np.add.reduceat(p, indptr[:-1][deg > 0]) if cum is not None and p.size else None
    mass = np.zeros(n)
    if total_lt is not None:
        mass[deg > 0] = total_lt
    starts: list[np.ndarray] = []
    members: list[np.ndarray] = []
    covered: list[np.ndarray] = []
    batch = int(max(64, min(_BATCH, _BATCH_CELLS // max(n, 1))))
    for lo in range(0, len(roots), batch):
        r = np.asarray(roots[lo : lo + batch], dtype=np.int64)
        b = r.size
        sets = np.arange(b, dtype=np.int64)
        seen = np.zeros((b, n), dtype=bool)  # who each set holds so far
        seen[sets, r] = True
        done = ours[r].copy()
        go = ~done & ~theirs[r]
        front_set, front_node = sets[go], r[go]
        while front_set.size:
            if model == "ic":
                rep = np.repeat(np.arange(front_set.size), deg[front_node])
                e = _ranges(indptr[front_node], indptr[front_node + 1])
                live = rng.random(e.size) < p[e]
                s_new, u_new = front_set[rep[live]], src[e[live]]
            else:  # one in-edge or none per person reached, by scaled weight
                x = rng.random(front_set.size)
                pick = x < mass[front_node]
                fs, fn, xs = front_set[pick], front_node[pick], x[pick]
                assert starts_lt is not None and cum is not None
                e = np.searchsorted(cum, starts_lt[fn] + xs, side="right")
                e = np.minimum(e, indptr[fn + 1] - 1)
                s_new, u_new = fs, src[e]
            fresh = ~seen[s_new, u_new] & ~done[s_new]
            s_new, u_new = s_new[fresh], u_new[fresh]
            seen[s_new, u_new] = True  # the same arrival twice in a round is one arrival
            key = np.unique(s_new * n + u_new)
            s_new, u_new = key // n, key % n
            done[s_new[ours[u_new]]] = True
            go = ~theirs[u_new] & ~done[s_new]
            front_set, front_node = s_new[go], u_new[go]
        seen[done] = False
        rows, cols = np.nonzero(seen)
        starts.append(np.bincount(rows, minlength=b))
        members.append(cols.astype(np.int64))
        covered.append(done)
    counts_all = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    start = np.zeros(counts_all.size + 1, dtype=np.int64)
    np.cumsum(counts_all, out=start[1:])
    return RRSets(
        start,
        np.concatenate(members) if members else np.zeros(0, dtype=np.int64),
        np.concatenate(covered) if covered else np.zeros(0, dtype=bool),
    )


def _greedy(
    R: RRSets, n: int, k: int, candidates: np.ndarray, weight: np.ndarray | None = None
) -> tuple[list[int], list[int]]:
    """Max coverage by greedy over ``R``: the rows picked and the sets each newly covers (in order).

    ``weight`` (per person) multiplies each candidate's count when choosing (the reachability of
    targets); ties go to the lower row.
    """
    sizes = np.diff(R.start)
    owner = np.repeat(np.arange(sizes.size), sizes)
    count = np.bincount(R.members, minlength=n).astype(float)
    allowed = np.zeros(n, dtype=bool)
    allowed[candidates] = True
    by_person = np.argsort(R.members, kind="stable")
    person_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(R.members, minlength=n), out=person_start[1:])
    alive = np.ones(sizes.size, dtype=bool)
    picked: list[int] = []
    gains: list[int] = []
    for _ in range(min(k, int(allowed.sum()))):
        score = np.where(allowed, count * (weight if weight is not None else 1.0), -1.0)
        j = int(np.argmax(score))  # the first maximum: the lower row on ties
        if score[j] <= 0:
            break
        hit = owner[by_person[person_start[j] : person_start[j + 1]]]
        hit = hit[alive[hit]]
        alive[hit] = False
        # members of the sets just covered count no more
        count -= np.bincount(R.members[_ranges(R.start[hit], R.start[hit + 1])], minlength=n)
        picked.append(j)
        gains.append(int(hit.size))
        allowed[j] = False
    return picked, gains


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The indices ``lo[0]..hi[0]-1, lo[1]..hi[1]-1, ...`` concatenated."""
    d = hi - lo
    return np.repeat(lo - (np.cumsum(d) - d), d) + np.arange(int(d.sum()))


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass(frozen=True)
class IMMResult:
    """The people picked, each one's estimated marginal gain (in committee support), and the sets drawn."""

    picked: list[int]
    gains: list[float]
    sets: int
    capped: bool


def imm(
    edges: CascadeEdges,
    model: str,
    stake: np.ndarray,
    ours: np.ndarray,
    theirs: np.ndarray,
    candidates: np.ndarray,
    k: int,
    *,
    epsilon: float,
    ell: float = 1.0,
    weight: np.ndarray | None = None,
    rng: np.random.Generator,
) -> IMMResult:
    """IMM over RR sets rooted in proportion to ``stake`` (per person; zero for people with nothing
    to gain). Gains are in the units of ``stake``."""
    n = edges.n
    total = float(stake.sum())
    nc = max(int(candidates.size), k)
    if total <= 0 or candidates.size == 0:
        return IMMResult([], [], 0, False)
    prob = stake / total
    k = min(k, int(candidates.size))
    logn = math.log(max(n, 2))
    ell = ell + math.log(2) / logn  # the two phases each fail with at most n^-ell / 2
    lchoose = _log_choose(nc, k)
    eps2 = math.sqrt(2) * epsilon
    lam2 = (2 + 2 * eps2 / 3) * (lchoose + ell * logn + math.log(max(math.log2(max(n, 2)), 1.0))) / eps2**2
    alpha = math.sqrt(ell * logn + math.log(2))
    beta = math.sqrt((1 - 1 / math.e) * (lchoose + ell * logn + math.log(2)))
    lam_star = 2 * ((1 - 1 / math.e) * alpha + beta) ** 2 / epsilon**2
    drawn: list[RRSets] = []

    def draw(count: int) -> RRSets:
        have = sum(r.drawn for r in drawn)
        if count > have:
            drawn.append(rr_sets(edges, model, rng.choice(n, size=count - have, p=prob), ours, theirs, rng))
        return _merge(drawn)

    lower = 1.0 / n  # in units of the total stake
    capped = False
    for i in range(1, max(2, math.ceil(math.log2(max(n, 2))))):
        x = 2.0**-i
        theta_i = math.ceil(lam2 / x)
        if theta_i > MAX_SETS:
            capped = True
            break
        R = draw(theta_i)
        _, covered = _greedy(R, n, k, candidates)
        if sum(covered) / R.drawn >= (1 + eps2) * x:
            lower = sum(covered) / R.drawn / (1 + eps2)
            break
    theta = math.ceil(lam_star / lower)
    if theta > MAX_SETS:
        theta, capped = MAX_SETS, True
    R = draw(theta)
    picked, covered = _greedy(R, n, k, candidates, weight)
    return IMMResult(picked, [total * c / R.drawn for c in covered], R.drawn, capped)


def _merge(parts: list[RRSets]) -> RRSets:
    if len(parts) == 1:
        return parts[0]
    sizes = np.concatenate([np.diff(r.start) for r in parts])
    start = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=start[1:])
    merged = RRSets(
        start, np.concatenate([r.members for r in parts]), np.concatenate([r.covered for r in parts])
    )
    parts[:] = [merged]
    return merged
