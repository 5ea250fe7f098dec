"""Bit-parallel Monte Carlo of competing cascades (independent cascade, linear threshold).

All runs are simulated at once: a person's state over the runs is a row of
64-bit words, one bit per run (run ``r`` is bit ``r % 64`` of word ``r // 64``).
Every edge's coin flips over the runs are drawn up front as a row of bits (its
*live* runs), so one round of the cascade is a handful of numpy operations on
the edges leaving the people who joined a side in the last round: no Python
loop over people or runs.

Both models reduce to the same spread over live edges:

- independent cascade: an edge is live in a run with its activation
  probability, independently (the coin flipped when its source joins a side
  is the same coin drawn in advance);
- linear threshold with thresholds uniform on [0, 1]: each listener keeps at
  most one live incoming edge per run, edge ``e`` with probability ``b_e``
  (its scaled weight) and none with probability ``1 - sum(b)``. Kempe,
  Kleinberg and Tardos (2003, "Maximizing the spread of influence through a
  social network", KDD) show this gives the threshold model's distribution
  of outcomes; with two sides the live edge also tells which side the
  listener joins: the side of a listened-to person who decided in the last
  round, drawn in proportion to their weights.

The live edges are drawn from every edge's own probability, whoever starts
on a side, so one seed gives the same live-edge graphs for every choice of
starting people (common random numbers): each run's outcome then depends on
the starting people only through the spread over that run's fixed graph.
:func:`draw_samples` keeps such a sample for many evaluations (see
:class:`LiveSamples`).

Bernoulli bits are exact: the comparison ``U < p`` of a uniform ``U`` with
``p`` is decided bit by bit from the most significant bit, 64 runs per machine
word, so no precision is lost to quantisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CascadeEdges",
    "CascadeTotals",
    "LiveSamples",
    "bernoulli_bits",
    "draw_samples",
    "lt_live_bits",
    "simulate",
    "spread",
]

ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_U64 = np.dtype("<u8")


# bit generators whose raw output is 64 uniform bits (MT19937, for one, yields 32)
_RAW64 = (np.random.PCG64, np.random.PCG64DXSM, np.random.Philox, np.random.SFC64)


def _random_words(rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
    """Uniform uint64 words (the bit generator's raw output where it is 64 bits wide: several times faster)."""
    bg = rng.bit_generator
    if isinstance(bg, _RAW64):
        return bg.random_raw(int(np.prod(size))).reshape(size)
    return rng.integers(0, 0xFFFFFFFFFFFFFFFF, size=size, dtype=np.uint64, endpoint=True)


def lane_mask(runs: int) -> np.ndarray:
    """Words with a bit set for each of ``runs`` runs (the padding bits of the last word clear)."""
    words = max(1, -(-runs // 64))
    mask = np.full(words, ALL, dtype=_U64)
    rest = runs - 64 * (words - 1)
    if rest < 64:
        mask[-1] = np.uint64((1 << rest) - 1)
    return mask


def bernoulli_bits(p: np.ndarray, words: int, rng: np.random.Generator) -> np.ndarray:
    """Independent Bernoulli(``p[e]``) bits, ``64 * words`` per row, packed in uint64.

    Exact for every double ``p``: lane by lane, a uniform ``U`` is compared
    with ``p`` from the most significant binary digit down, and a lane is
    decided at the first digit where they differ (on average after two digits,
    so about 8 random words settle a word of 64 lanes). Rows are drawn in
    blocks small enough to stay in cache.
    """
    p = np.asarray(p, dtype=float)
    m = len(p)
    out = np.zeros((m, words), dtype=_U64)
    if m == 0 or words == 0:
        return out
    out[p >= 1.0] = ALL
    part = np.flatnonzero((p > 0.0) & (p < 1.0))
    step = max(1, _BLOCK_WORDS // words)
    for b0 in range(0, part.size, step):
        _bernoulli_block(p, part[b0 : b0 + step], words, rng, out)
    return out


_BLOCK_WORDS = 1 << 17


def _bernoulli_block(
    p: np.ndarray, part: np.ndarray, words: int, rng: np.random.Generator, out: np.ndarray
) -> None:
    """Fill ``out[part]`` with Bernoulli bits (0 < p < 1)."""
    frac = p[part].copy()
    und = np.full((part.size, words), ALL, dtype=_U64)
    res = np.zeros((part.size, words), dtype=_U64)
    # Dense passes while almost every word still has undecided lanes.
    for _ in range(10):
        frac *= 2.0
        bit = frac >= 1.0
        frac -= bit
        b = np.where(bit, ALL, np.uint64(0))[:, None]
        t = _random_words(rng, und.shape)
        t ^= b  # lanes whose uniform digit differs from p's: decided now
        t &= und
        und ^= t
        t &= b  # ... in favour of the event where p's digit is 1
        res |= t
    # Sparse passes over the words that still have undecided lanes.
    rows, cols = np.nonzero((und != 0) & (frac > 0.0)[:, None])
    wf = frac[rows]
    wu = und[rows, cols]
    wr = res[rows, cols]
    out[part] = res
    guard = 0
    while rows.size:
        guard += 1
        if guard > 2000:  # pragma: no cover - would need 2000 equal coin flips in a row
            break
        wf *= 2.0
        bit = wf >= 1.0
        wf -= bit
        b = np.where(bit, ALL, np.uint64(0))
        t = _random_words(rng, rows.size)
        t ^= b
        wr |= wu & t & b
        np.invert(t, out=t)
        wu &= t
        done = (wu == 0) | (wf == 0.0)
        if done.any():
            out[part[rows[done]], cols[done]] = wr[done]
            keep = ~done
            rows, cols, wf, wu, wr = rows[keep], cols[keep], wf[keep], wu[keep], wr[keep]


def lt_live_bits(dst: np.ndarray, b: np.ndarray, words: int, rng: np.random.Generator) -> np.ndarray:
    """Live edges of the linear-threshold model: at most one incoming edge per listener and run.

    ``dst`` must be sorted (edges grouped by listener) and each listener's
    weights ``b`` must sum to at most 1. Edge ``k`` of a listener is live with
    probability ``b_k``, drawn as a chain of conditional coins:
    ``b_k / (1 - b_1 - ... - b_{k-1})`` among the runs where no earlier edge is
    live.
    """
    m = len(dst)
    out = np.zeros((m, words), dtype=_U64)
    if m == 0:
        return out
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    seg = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, m]))
    slot = np.arange(m) - starts[seg]
    by_slot = np.argsort(slot, kind="stable")
    bounds = np.searchsorted(slot[by_slot], np.arange(int(slot.max()) + 2))
    slots = [by_slot[bounds[k] : bounds[k + 1]] for k in range(bounds.size - 1)]
    # q_k = b_k / (1 - b_1 - ... - b_{k-1}), prefix sums per listener
    q = np.ones(m)
    used = np.zeros(starts.size)
    for e in slots:
        left = 1.0 - used[seg[e]]
        q[e] = np.divide(b[e], left, out=np.ones(e.size), where=left > 0)
        used[seg[e]] += b[e]
    coins = bernoulli_bits(np.clip(q, 0.0, 1.0), words, rng)
    taken = np.zeros((starts.size, words), dtype=_U64)
    for e in slots:
        live = coins[e] & ~taken[seg[e]]
        out[e] = live
        taken[seg[e]] |= live
    return out


@dataclass(frozen=True)
class CascadeEdges:
    """Edges of the cascade, grouped by listener (``dst`` sorted).

    ``src`` influences ``dst``; ``p`` is the activation probability (IC) or
    the scaled weight (LT); ``pos`` is False for negative ties (a rival passes
    on the opposite side).
    """

    n: int
    src: np.ndarray
    dst: np.ndarray
    p: np.ndarray
    pos: np.ndarray


def spread(
    edges: CascadeEdges,
    live: np.ndarray,
    seed_us: np.ndarray,
    seed_them: np.ndarray,
    lanes: np.ndarray,
    *,
    competition: bool,
    max_rounds: int | None,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Spread both sides over the live edges, all runs at once.

    In each round every person who joined a side in the previous round passes
    it on along their live edges (the opposite side along a negative edge);
    an undecided person reached by one side joins it. Reached by both sides in
    the same round, the person joins the side whose live edges of that round
    carry the larger summed probability (``edges.p``); an exact tie is settled
    by a fair coin drawn from ``rng``. With ``competition=False`` only our side
    passes anything on: the other side's people keep their side and block.

    Returns the bit rows of people with us and with them, the number of rounds
    run, and whether the spread stopped by itself (False when ``max_rounds``
    cut it short).
    """
    n = edges.n
    words = lanes.size
    act_us = np.zeros((n, words), dtype=_U64)
    act_them = np.zeros((n, words), dtype=_U64)
    act_us[seed_us] = lanes
    act_them[seed_them & ~seed_us] = lanes
    f_us = act_us.copy()
    f_them = act_them.copy() if competition else None
    useful = live.any(axis=1)
    # positive and negative edges apart (each still grouped by listener): one OR-reduction per side
    groups = []
    for positive in (True, False):
        idx = np.flatnonzero(useful & (edges.pos == positive))
        if idx.size:
            groups.append((positive, idx, edges.src[idx], edges.dst[idx], live[idx]))
    decided = act_us | act_them
    rounds = 0
    quiet = False
    while True:
        fa = f_us.any(axis=1)
        if f_them is not None:
            fa |= f_them.any(axis=1)
        full = (decided == lanes).all(axis=1)
        work = []
        for positive, g_idx, g_src, g_dst, g_live in groups:
            sel = np.flatnonzero(fa[g_src] & ~full[g_dst])
            if sel.size:
                work.append((positive, g_idx[sel], g_src[sel], g_dst[sel], g_live[sel]))
        if not work:  # nothing left to reach: the spread has stopped
            quiet = True
            break
        if max_rounds is not None and rounds >= max_rounds:
            break
        rounds += 1
        new_us = np.zeros_like(act_us)
        new_them = np.zeros_like(act_them)
        passed: list[_Passed] = []
        for positive, e, s, d, lv in work:
            starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
            rows = d[starts]
            # a positive edge passes on its source's side, a negative edge the other side
            same, other = (new_us, new_them) if positive else (new_them, new_us)
            fu = f_us[s]
            fu &= lv
            same[rows] |= np.bitwise_or.reduceat(fu, starts, axis=0)
            ft = None
            if f_them is not None:
                ft = f_them[s]
                ft &= lv
                other[rows] |= np.bitwise_or.reduceat(ft, starts, axis=0)
            passed.append((positive, e, d, fu, ft))
        free = ~decided
        new_us &= free
        new_them &= free
        if len(work) > 1 or competition:  # one group without competition reaches one side only
            clash = new_us & new_them
            if clash.any():
                _settle(clash, new_us, new_them, passed, edges.p, rng)
        act_us |= new_us
        act_them |= new_them
        decided |= new_us
        decided |= new_them
        f_us = new_us
        if f_them is not None:
            f_them = new_them
    return act_us, act_them, rounds, quiet


# A class of runs is decided before its cell's arrivals are used up only by more than this.
_MARGIN = 1e-9

# per edge group, the edges used in a round: (positive, edge, listener, from_us, from_them)
_Passed = tuple[bool, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]


def _settle(
    clash: np.ndarray,
    new_us: np.ndarray,
    new_them: np.ndarray,
    passed: list[_Passed],
    p: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Same-round arrivals of both sides: the larger summed probability wins, ties by a coin.

    ``passed`` holds, per edge group, the edges used this round with what each
    passed on: ``(positive, edge, listener, from_us, from_them)``. A *cell* is
    one clashing word (a listener and 64 runs); an *arrival* is an edge
    passing one side into some clashing run of a cell. The runs of a cell are
    split arrival by arrival into classes reached by the same arrivals (a
    class is a bit mask, empty classes are dropped, so a cell never has more
    classes than clashing runs), carrying each side's running sum; a class
    is decided once its cell's arrivals are used up, or earlier once one
    side leads by more than all the other side's remaining arrivals into the
    cell could add (each listener's edges come larger probabilities first, so
    most classes end after a few arrivals). Each cell draws one word of
    coins, one coin per run, for exact ties.
    """
    n, words = clash.shape
    # cells word-major (word * n + listener): arrivals then come out in cell order without a sort
    flat = np.ascontiguousarray(clash.T).reshape(-1)
    cells = np.flatnonzero(flat)
    nc = cells.size
    cw = flat[cells]
    cell_of = np.empty(flat.size, dtype=np.int64)
    cell_of[cells] = np.arange(nc)
    hit = np.zeros(n, dtype=bool)
    hit[cells % n] = True
    parts = []
    for positive, e, d, fu, ft in passed:
        sel = np.flatnonzero(hit[d])
        if sel.size:
            parts.append((positive, sel, e[sel], d[sel], fu, ft))
    e = np.concatenate([x[2] for x in parts])
    by_edge = np.argsort(e, kind="stable")  # edge order: by listener, the larger probabilities first
    e = e[by_edge]
    d = np.concatenate([x[3] for x in parts])[by_edge]
    # arrivals[word, edge, side]: the clashing runs an edge passes to us (side 0) or them (side 1)
    arr = np.zeros((words, e.size, 2), dtype=_U64)
    inv = np.empty(e.size, dtype=np.int64)
    inv[by_edge] = np.arange(e.size)
    at = 0
    for positive, sel, _, _, fu, ft in parts:
        pos_in = inv[at : at + sel.size]
        at += sel.size
        arr[:, pos_in, 0 if positive else 1] = fu[sel].T
        if ft is not None:
            arr[:, pos_in, 1 if positive else 0] = ft[sel].T
    arr &= clash[d].T[:, :, None]
    w_, ei, side = np.nonzero(arr)
    mask = arr[w_, ei, side]
    cid = cell_of[w_ * n + d[ei]]
    w = p[e[ei]]
    to_us = side == 0
    w_us = np.where(to_us, w, 0.0)
    w_them = np.where(to_us, 0.0, w)
    k = np.bincount(cid, minlength=nc)
    first = np.cumsum(k) - k
    coins = _random_words(rng, nc)
    wins = np.zeros(nc, dtype=_U64)
    # what each side may still add to a cell (margin: a class is decided early only beyond rounding)
    rest_us = np.bincount(cid, weights=w_us, minlength=nc)
    rest_them = np.bincount(cid, weights=w_them, minlength=nc)
    zero = np.uint64(0)
    # classes: (cell, runs, our sum, their sum)
    c_cell = np.arange(nc)
    c_runs = cw
    c_us = np.zeros(nc)
    c_them = np.zeros(nc)
    j = 0
    while c_cell.size:
        done = k[c_cell] <= j
        if done.any():
            dc, dr = c_cell[done], c_runs[done]
            du, dt = c_us[done], c_them[done]
            np.bitwise_or.at(wins, dc, np.where(du > dt, dr, zero) | np.where(du == dt, dr & coins[dc], zero))
            go = ~done
            c_cell, c_runs, c_us, c_them = c_cell[go], c_runs[go], c_us[go], c_them[go]
        it = first[c_cell] + j
        mj = mask[it]
        hit_runs = c_runs & mj
        miss_runs = c_runs & ~mj
        h = hit_runs != 0
        m_ = miss_runs != 0
        c_cell = np.concatenate([c_cell[m_], c_cell[h]])
        c_runs = np.concatenate([miss_runs[m_], hit_runs[h]])
        c_us = np.concatenate([c_us[m_], c_us[h] + w_us[it[h]]])
        c_them = np.concatenate([c_them[m_], c_them[h] + w_them[it[h]]])
        act = np.flatnonzero(k > j)
        rest_us[act] -= w_us[first[act] + j]
        rest_them[act] -= w_them[first[act] + j]
        j += 1
        lead = c_us - c_them
        ours = lead > rest_them[c_cell] + _MARGIN
        theirs = -lead > rest_us[c_cell] + _MARGIN
        if ours.any():
            np.bitwise_or.at(wins, c_cell[ours], c_runs[ours])
        early = ours | theirs
        if early.any():
            go = ~early
            c_cell, c_runs, c_us, c_them = c_cell[go], c_runs[go], c_us[go], c_them[go]
    r_ = cells % n
    w_ = cells // n
    new_them[r_, w_] &= ~wins
    new_us[r_, w_] &= ~(cw & ~wins)


@dataclass
class CascadeTotals:
    """Sums over runs: per person counts, and per run figures."""

    with_us: np.ndarray  # per person: runs ending with us
    with_them: np.ndarray
    reach: np.ndarray  # per run: customer people with us
    committee: np.ndarray  # per run: power-weighted side of the decision group
    departments: np.ndarray  # (departments, runs): customer people with us per department
    rounds: int
    quiet: bool


def _unpack(bits: np.ndarray, runs: int) -> np.ndarray:
    u8 = np.ascontiguousarray(bits.astype(_U64)).view(np.uint8)
    return np.unpackbits(u8, axis=1, bitorder="little")[:, :runs]


def _chunk_words(m: int, n: int, total_words: int) -> int:
    """64-run words per chunk: keeps the live-edge bit matrix near 32 MB."""
    return max(1, min(total_words, (4 << 20) // max(m + n, 1)))


def _draw_live(edges: CascadeEdges, model: str, lanes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One chunk of live-edge bits (a word per 64 runs), drawn from every edge's own probability."""
    if model == "ic":
        live = bernoulli_bits(edges.p, lanes.size, rng)
    else:
        live = lt_live_bits(edges.dst, edges.p, lanes.size, rng)
    live &= lanes
    return live


# Live-edge samples up to this size are kept in memory; larger ones are redrawn from saved generator states.
_KEEP_BYTES = 1 << 27


@dataclass
class LiveSamples:
    """A fixed sample of live-edge graphs, drawn once and reused by many simulations.

    Chunk ``i`` holds the live edges of runs ``64 * chunk_words * i`` onward,
    exactly as :func:`simulate` would draw them from the same generator; it is
    kept in memory when the whole sample is small (at most 128 MB) and
    otherwise redrawn, bit for bit, from the generator state saved before its
    draw. The same-round tie-break coins of each simulation come from a fresh
    copy of the generator state after the last draw, so every simulation of
    the sample sees the same coins too. With one chunk a simulation on the
    sample equals :func:`simulate` with a generator seeded alike.
    """

    edges: CascadeEdges
    model: str
    runs: int
    chunk_words: int
    _states: list[dict[str, Any]]
    _live: list[np.ndarray | None]
    _after: dict[str, Any]
    _bit_generator: type[np.random.BitGenerator]

    @property
    def chunks(self) -> int:
        """Number of chunks."""
        return len(self._states)

    def _generator(self, state: dict[str, Any]) -> np.random.Generator:
        bg = self._bit_generator()
        bg.state = state
        return np.random.Generator(bg)

    def lanes(self, i: int) -> np.ndarray:
        """Lane mask of chunk ``i``."""
        return lane_mask(min(self.runs - 64 * self.chunk_words * i, 64 * self.chunk_words))

    def live(self, i: int) -> np.ndarray:
        """Live-edge bits of chunk ``i`` (read only)."""
        kept = self._live[i]
        if kept is not None:
            return kept
        return _draw_live(self.edges, self.model, self.lanes(i), self._generator(self._states[i]))

    def coin_rng(self) -> np.random.Generator:
        """A fresh generator for the tie-break coins (the same stream each time)."""
        return self._generator(self._after)


def draw_samples(
    edges: CascadeEdges, model: str, *, runs: int, rng: np.random.Generator, chunk_words: int | None = None
) -> LiveSamples:
    """Draw ``runs`` live-edge graphs of ``model`` ("ic" or "lt") once, for reuse with ``simulate(samples=...)``.

    independent cascade: each edge is live in a run with its probability
    ``p``, independently; linear threshold: each listener keeps at most one
    live incoming edge per run (edge ``e`` with probability ``p[e]``, none with
    ``1 - sum(p)``), the live-edge form of Kempe, Kleinberg and Tardos. The
    spread of a set of starting people in a run is then what they reach over
    that run's live edges, the same graphs for every set.
    """
    n = edges.n
    m = len(edges.src)
    total_words = -(-runs // 64)
    if chunk_words is None:
        chunk_words = _chunk_words(m, n, total_words)
    nchunks = -(-total_words // chunk_words)
    keep = 8 * m * total_words <= _KEEP_BYTES
    states: list[dict[str, Any]] = []
    kept: list[np.ndarray | None] = []
    for i in range(nchunks):
        states.append(dict(rng.bit_generator.state))
        lanes = lane_mask(min(runs - 64 * chunk_words * i, 64 * chunk_words))
        live = _draw_live(edges, model, lanes, rng)
        kept.append(live if keep else None)
    return LiveSamples(
        edges, model, runs, chunk_words, states, kept, dict(rng.bit_generator.state), type(rng.bit_generator)
    )


def simulate(
    edges: CascadeEdges,
    model: str,
    *,
    runs: int,
    rng: np.random.Generator,
    seed_us: np.ndarray,
    seed_them: np.ndarray,
    competition: bool,
    max_rounds: int | None,
    customer: np.ndarray,
    committee_weight: np.ndarray,
    department: np.ndarray,
    n_departments: int,
    chunk_words: int | None = None,
    samples: LiveSamples | None = None,
) -> CascadeTotals:
    """Run ``runs`` cascades of ``model`` ("ic" or "lt") in chunks of 64-run words.

    ``committee_weight`` is each person's share of the committee (zero
    outside the decision group); ``department`` gives customer people's
    department codes. With ``samples`` (from :func:`draw_samples` on the
    same edges) the runs spread over that fixed sample of live-edge graphs
    instead of fresh draws (``runs`` and ``chunk_words`` are the sample's),
    and ``rng`` only settles same-round ties.
    """
    n = edges.n
    m = len(edges.src)
    if samples is not None:
        if samples.edges is not edges and len(samples.edges.src) != m:
            raise ValueError("the live-edge samples were drawn for other edges")
        runs, chunk_words = samples.runs, samples.chunk_words
    total_words = -(-runs // 64)
    if chunk_words is None:
        chunk_words = _chunk_words(m, n, total_words)
    with_us = np.zeros(n, dtype=np.int64)
    with_them = np.zeros(n, dtype=np.int64)
    reach = np.empty(runs)
    committee = np.empty(runs)
    depts = np.empty((n_departments, runs))
    cust = np.flatnonzero(customer)
    # customers grouped by department, so per-run counts are segment sums
    cust = cust[np.argsort(department[cust], kind="stable")]
    dept_c = department[cust]
    seg = np.flatnonzero(np.r_[True, dept_c[1:] != dept_c[:-1]]) if cust.size else np.zeros(0, dtype=np.int64)
    seg_dept = dept_c[seg]
    seg_lo, seg_hi = seg.tolist(), np.r_[seg[1:], cust.size].astype(np.int64).tolist()
    dgroup = np.flatnonzero(committee_weight != 0)
    cw = committee_weight[dgroup]
    rounds = 0
    quiet = True
    done = 0
    chunk = 0
    while done < runs:
        rc = min(runs - done, 64 * chunk_words)
        lanes = lane_mask(rc)
        # every edge's coins are drawn, even into people who start on a side (their live edges change
        # nothing): the random stream then never depends on who starts, so one seed is one set of graphs
        live = samples.live(chunk) if samples is not None else _draw_live(edges, model, lanes, rng)
        chunk += 1
        us, them, r_, q_ = spread(
            edges, live, seed_us, seed_them, lanes, competition=competition, max_rounds=max_rounds, rng=rng
        )
        rounds = max(rounds, r_)
        quiet = quiet and q_
        with_us += np.bitwise_count(us).sum(axis=1, dtype=np.int64)
        with_them += np.bitwise_count(them).sum(axis=1, dtype=np.int64)
        depts[:, done : done + rc] = 0.0
        if cust.size:
            bits = _unpack(us[cust], rc)
            for k, (a, b) in enumerate(zip(seg_lo, seg_hi)):
                depts[seg_dept[k], done : done + rc] = bits[a:b].sum(axis=0, dtype=np.int64)
            reach[done : done + rc] = depts[:, done : done + rc].sum(axis=0)
        else:
            reach[done : done + rc] = 0.0
        if dgroup.size:
            side = _unpack(us[dgroup], rc).astype(np.float64)
            side -= _unpack(them[dgroup], rc)
            committee[done : done + rc] = cw @ side
        else:
            committee[done : done + rc] = np.nan
        done += rc
    return CascadeTotals(with_us, with_them, reach, committee, depts, rounds, quiet)
