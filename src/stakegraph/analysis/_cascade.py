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

Bernoulli bits are exact: the comparison ``U < p`` of a uniform ``U`` with
``p`` is decided bit by bit from the most significant bit, 64 runs per machine
word, so no precision is lost to quantisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CascadeEdges", "CascadeTotals", "bernoulli_bits", "lt_live_bits", "simulate", "spread"]

ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_U64 = np.dtype("<u8")


def _random_words(rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
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
        _bernoulli_block(p, part[b0:b0 + step], words, rng, out)
    return out


_BLOCK_WORDS = 1 << 17


def _bernoulli_block(p: np.ndarray, part: np.ndarray, words: int, rng: np.random.Generator, out: np.ndarray
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
        t ^= b
        tmp = und & t
        tmp &= b
        res |= tmp
        np.invert(t, out=t)
        und &= t
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
    slots = [by_slot[bounds[k]:bounds[k + 1]] for k in range(bounds.size - 1)]
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


def spread(edges: CascadeEdges, live: np.ndarray, seed_us: np.ndarray, seed_them: np.ndarray, lanes: np.ndarray,
           *, competition: bool, max_rounds: int | None, rng: np.random.Generator
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
    f_them = act_them.copy() if competition else np.zeros_like(act_them)
    useful = live.any(axis=1)
    # positive and negative edges apart (each still grouped by listener): one OR-reduction per side
    groups = []
    for positive in (True, False):
        idx = np.flatnonzero(useful & (edges.pos == positive))
        if idx.size:
            groups.append((positive, edges.src[idx], edges.dst[idx], live[idx]))
    rounds = 0
    quiet = False
    while True:
        fa = f_us.any(axis=1)
        if competition:
            fa |= f_them.any(axis=1)
        decided = act_us | act_them
        full = (decided == lanes).all(axis=1)
        work = []
        for positive, g_src, g_dst, g_live in groups:
            sel = np.flatnonzero(fa[g_src] & ~full[g_dst])
            if sel.size:
                work.append((positive, g_src[sel], g_dst[sel], g_live[sel]))
        if not work:  # nothing left to reach: the spread has stopped
            quiet = True
            break
        if max_rounds is not None and rounds >= max_rounds:
            break
        rounds += 1
        new_us = np.zeros_like(act_us)
        new_them = np.zeros_like(act_them)
        for positive, s, d, lv in work:
            starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
            rows = d[starts]
            # a positive edge passes on its source's side, a negative edge the other side
            same, other = (new_us, new_them) if positive else (new_them, new_us)
            same[rows] |= np.bitwise_or.reduceat(f_us[s] & lv, starts, axis=0)
            if competition:
                other[rows] |= np.bitwise_or.reduceat(f_them[s] & lv, starts, axis=0)
        free = ~decided
        new_us &= free
        new_them &= free
        clash = new_us & new_them
        if clash.any():
            _settle(clash, new_us, new_them, edges, live, f_us, f_them, rng)
        act_us |= new_us
        act_them |= new_them
        f_us = new_us
        f_them = new_them if competition else np.zeros_like(act_them)
    return act_us, act_them, rounds, quiet


def _settle(clash: np.ndarray, new_us: np.ndarray, new_them: np.ndarray, edges: CascadeEdges, live: np.ndarray,
            f_us: np.ndarray, f_them: np.ndarray, rng: np.random.Generator) -> None:
    """Same-round arrivals of both sides: the larger summed probability wins, ties by a coin.

    Whole words (64 runs) are settled at once where bounds decide them: if the
    smallest probability among our edges reaching the word's clashing runs
    exceeds the sum of theirs, every such run goes to us (and conversely);
    with one edge a side of equal probability every run is a coin flip. Only
    the remaining words are settled run by run.
    """
    rows = np.flatnonzero(clash.any(axis=1))
    lo = np.searchsorted(edges.dst, rows, side="left")
    cnt = np.searchsorted(edges.dst, rows, side="right") - lo
    owner = np.repeat(np.arange(rows.size), cnt)
    e = np.repeat(lo - np.r_[0, np.cumsum(cnt)[:-1]], cnt) + np.arange(int(cnt.sum()))
    # only edges from people who joined a side in the last round pass anything on
    moving = f_us.any(axis=1) | f_them.any(axis=1)
    keep = moving[edges.src[e]]
    e, owner = e[keep], owner[keep]
    cnt = np.bincount(owner, minlength=rows.size)
    # what each edge into a clashing person passed on this round, per side
    src, lv, ps = edges.src[e], live[e], edges.pos[e][:, None]
    fu, ft = f_us[src], f_them[src]
    a_us = np.where(ps, fu, ft) & lv
    a_them = np.where(ps, ft, fu) & lv
    p = edges.p[e]
    cl = clash[rows][owner]
    hu = (a_us & cl) != 0
    ht = (a_them & cl) != 0
    pe = p[:, None]
    seg = np.r_[0, np.cumsum(cnt)[:-1]]
    su_sum = np.add.reduceat(np.where(hu, pe, 0.0), seg, axis=0)
    st_sum = np.add.reduceat(np.where(ht, pe, 0.0), seg, axis=0)
    su_min = np.minimum.reduceat(np.where(hu, pe, np.inf), seg, axis=0)
    st_min = np.minimum.reduceat(np.where(ht, pe, np.inf), seg, axis=0)
    words = clash[rows]
    live = words != 0
    us_all = live & (su_min > st_sum)
    them_all = live & (st_min > su_sum)
    coin_all = live & ~us_all & ~them_all & (su_min == su_sum) & (st_min == st_sum) & (su_sum == st_sum)
    zero = np.uint64(0)
    if us_all.any():
        new_them[rows] &= ~np.where(us_all, words, zero)
    if them_all.any():
        new_us[rows] &= ~np.where(them_all, words, zero)
    if coin_all.any():
        ci, cw = np.nonzero(coin_all)
        flips = _random_words(rng, ci.size)
        wd = words[ci, cw]
        r_ = rows[ci]
        new_them[r_, cw] &= ~(wd & flips)
        new_us[r_, cw] &= ~(wd & ~flips)
    rest = live & ~us_all & ~them_all & ~coin_all
    if not rest.any():
        return
    # The rest, run by run: items are the (edge, side) pairs reaching some clashing run of a word.
    fr, fw = np.nonzero(rest)
    nf = fr.size
    fid = np.full(rest.shape, -1, dtype=np.int64)
    fid[fr, fw] = np.arange(nf)
    ee, ew = np.nonzero((hu | ht) & rest[owner])
    ef = fid[owner[ee], ew]
    wd = words[fr, fw]
    edge = ee
    mu = a_us[edge, ew] & wd[ef]
    mt = a_them[edge, ew] & wd[ef]
    # items: one per edge and side that reaches some clashing run; sorted by word, edges in order
    it_f = np.r_[ef[mu != 0], ef[mt != 0]]
    it_m = np.r_[mu[mu != 0], mt[mt != 0]]
    it_p = np.r_[p[edge[mu != 0]], p[edge[mt != 0]]]
    it_us = np.r_[np.ones(int(np.count_nonzero(mu)), dtype=bool), np.zeros(int(np.count_nonzero(mt)), dtype=bool)]
    it_e = np.r_[ee[mu != 0], ee[mt != 0]]
    order = np.lexsort((it_e, it_f))
    it_f, it_m, it_p, it_us = it_f[order], it_m[order], it_p[order], it_us[order]
    # each item's runs, then each run's sum per side (items summed in edge order)
    wins = np.zeros(nf, dtype=_U64)
    coins = _random_words(rng, nf)
    block = 1 << 15
    bounds = np.searchsorted(it_f, np.arange(0, nf + block, block))
    for b0 in range(0, nf, block):
        lo, hi = bounds[b0 // block], bounds[b0 // block + 1]
        nb = min(block, nf - b0)
        ii, bit = _set_bits(it_m[lo:hi])
        lane = (it_f[lo:hi][ii] - b0) * 64 + bit
        w = it_p[lo:hi][ii]
        us = it_us[lo:hi][ii]
        su = np.bincount(lane[us], weights=w[us], minlength=nb * 64).reshape(nb, 64)
        sh = np.bincount(lane[~us], weights=w[~us], minlength=nb * 64).reshape(nb, 64)
        wins[b0:b0 + nb] = _pack64(su > sh) | (_pack64(su == sh) & coins[b0:b0 + nb])
    wins &= wd
    r_ = rows[fr]
    new_them[r_, fw] &= ~wins
    new_us[r_, fw] &= ~(wd & ~wins)


def _set_bits(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, bit) of every set bit of a uint64 array, lowest bits first (fast for sparse masks)."""
    m = np.ascontiguousarray(masks, dtype=_U64)
    idx = np.flatnonzero(m)
    m = m[idx]
    rows, bits = [], []
    one = np.uint64(1)
    while idx.size:
        low = m & (~m + one)
        rows.append(idx)
        bits.append(np.frexp(low.astype(np.float64))[1] - 1)
        m = m ^ low
        keep = m != 0
        idx, m = idx[keep], m[keep]
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(bits).astype(np.int64)


def _bits64(words: np.ndarray) -> np.ndarray:
    """(k,) uint64 -> (k, 64) uint8 of 0/1, run r of a word in column r."""
    return np.unpackbits(np.ascontiguousarray(words, dtype=_U64).view(np.uint8).reshape(-1, 8), axis=1,
                         bitorder="little")


def _pack64(flags: np.ndarray) -> np.ndarray:
    """(k, 64) bool -> (k,) uint64, the inverse of :func:`_bits64`."""
    return np.packbits(flags, axis=1, bitorder="little").view(_U64).ravel()


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


def simulate(edges: CascadeEdges, model: str, *, runs: int, rng: np.random.Generator, seed_us: np.ndarray,
             seed_them: np.ndarray, competition: bool, max_rounds: int | None, customer: np.ndarray,
             committee_weight: np.ndarray, department: np.ndarray, n_departments: int,
             chunk_words: int | None = None) -> CascadeTotals:
    """Run ``runs`` cascades of ``model`` ("ic" or "lt") in chunks of 64-run words.

    ``committee_weight`` is each person's share of the committee (zero
    outside the decision group); ``department`` gives customer people's
    department codes.
    """
    n = edges.n
    m = len(edges.src)
    total_words = -(-runs // 64)
    if chunk_words is None:
        # keep the live-edge bit matrix near 32 MB
        chunk_words = max(1, min(total_words, (4 << 20) // max(m + n, 1)))
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
    dgroup = np.flatnonzero(committee_weight != 0)
    cw = committee_weight[dgroup]
    rounds = 0
    quiet = True
    done = 0
    # people who start on a side never change: their incoming edges need no coins
    p_draw = np.where((seed_us | seed_them)[edges.dst], 0.0, edges.p) if m else edges.p
    while done < runs:
        rc = min(runs - done, 64 * chunk_words)
        lanes = lane_mask(rc)
        words = lanes.size
        if model == "ic":
            live = bernoulli_bits(p_draw, words, rng)
        else:
            live = lt_live_bits(edges.dst, p_draw, words, rng)
        live &= lanes
        us, them, r_, q_ = spread(edges, live, seed_us, seed_them, lanes, competition=competition,
                                  max_rounds=max_rounds, rng=rng)
        rounds = max(rounds, r_)
        quiet = quiet and q_
        with_us += np.bitwise_count(us).sum(axis=1, dtype=np.int64)
        with_them += np.bitwise_count(them).sum(axis=1, dtype=np.int64)
        depts[:, done:done + rc] = 0.0
        if cust.size:
            per = np.add.reduceat(_unpack(us[cust], rc), seg, axis=0, dtype=np.int64)
            depts[seg_dept, done:done + rc] = per
            reach[done:done + rc] = per.sum(axis=0)
        else:
            reach[done:done + rc] = 0.0
        if dgroup.size:
            side = _unpack(us[dgroup], rc).astype(np.float64)
            side -= _unpack(them[dgroup], rc)
            committee[done:done + rc] = cw @ side
        else:
            committee[done:done + rc] = np.nan
        done += rc
    return CascadeTotals(with_us, with_them, reach, committee, depts, rounds, quiet)
