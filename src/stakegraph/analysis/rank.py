"""Key people: who matters for the decision, and why (``sg.rank``).

Every person of the customer organisation gets four scores, computed on the
compiled sparse view, and one blended ``power`` that orders them.

``authority``
    Formal power from the chart and the buying roles: the person's ``power``
    (given, or derived by :class:`~stakegraph.influence.InfluenceModel` from
    the strongest buying role times ``level_decay ** level``) multiplied by
    ``1 + below / (below + SPAN_HALF)``, where ``below`` counts the customer
    people in the person's reporting line (everyone who reports to them,
    directly or indirectly, through ``reports_to``) and :data:`SPAN_HALF` is
    10: a person with no reports keeps their power, ten people below add half
    of it, a large organisation below nearly doubles it. The factor depends
    on the line alone, not on the size of the organisation, so adding someone
    elsewhere changes no one's authority.
``influence``
    Weighted PageRank on the influence layer among customer people: each
    person passes their score to the people they listen to, in proportion to
    the positive weight they give them (``c.influence[i, j] > 0``, rivalry
    left out), so being listened to by people who are themselves listened to
    raises a person. Damping from ``InfluenceModel.damping``; a person who
    listens to no one spreads their score uniformly (as networkx does); the
    iteration stops when the L1 change is below ``tol`` (a fixed tolerance).
    Scores sum to 1 over the customer organisation.
``brokerage``
    Weighted betweenness on the informal layer (``advises``, ``influences``,
    ``friend``), with the length of a tie = 1 / strength, so a path of strong
    ties is short. Equal-cost shortest paths are all counted (costs equal
    within a relative 1e-9). Paths run between any two people on the layer and
    may pass anyone (our team, partners, competitors included); only customer
    people are reported. Normalised like networkx (by ``(n - 1)(n - 2)``).
    Exact up to ``exact_max`` people; beyond, the paths from ``pivots``
    sources drawn with ``seed`` give an unbiased estimate, scaled as networkx
    scales its ``k`` samples, and the result says how many were used.
    With numba installed (``stakegraph[fast]``) large graphs run a compiled
    kernel with the same definition and the same numbers up to rounding
    (``STAKEGRAPH_JIT=0`` switches it off).
``social_power``
    Friedkin's social power: the weight a person's view carries in the
    settled views of the decision group under Friedkin-Johnsen, i.e. the
    column sums of ``V = (I - ΛW)^-1 (I - Λ)`` over the decision group's rows,
    each row weighted by that person's power (normalised to sum 1). The
    decision group is every customer person with a buying role, or every
    customer person when no one has a role. Computed from one sparse solve of
    the transposed system (a sparse LU factorisation up to 2,000 people, a
    fixed-point iteration beyond), never a dense inverse. Values sum to 1 over
    everyone (our team included) when no rivalry is involved. Openness is
    capped at ``1 - 1e-9``, so a closed group of fully open people passes on
    what reaches it by its long-run weights (the limit as openness tends to 1).

The blend
---------
Each score is divided by its largest value over the customer organisation
(negative social power counts as 0), so all four lie in [0, 1]; ``power`` is
their weighted sum with :data:`DEFAULT_WEIGHTS` (authority 0.35, influence
0.25, social power 0.25, brokerage 0.15), which ``weights=`` overrides key by
key (the weights are then rescaled to sum 1). Rank 1 is the most powerful;
powers equal to 12 decimals are ties, broken by id.

Hidden influencers
------------------
``formal_rank`` orders people by ``authority`` and ``informal_rank`` by
``influence`` (1 = highest; equal scores share their average rank). The
``gap`` is ``formal_rank - informal_rank``. A person is a *hidden influencer*
when their informal rank is in the top half of the organisation and the gap
is at least ``hidden_gap`` times the number of customer people (0.25 by
default): someone the chart places far below where the organisation's
listening puts them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np
import scipy.sparse as sp

from .._compat import old_spellings
from .._compiled import Entry
from ..errors import UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_bool, check_float, check_int, check_seed
from ..model import check_graph
from ..results import Result, Roster, html_table
from ._centrality import betweenness, pagerank, social_power
from .fuse import Beliefs

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._compiled import CompiledGraph
    from ..model import StakeholderGraph
    from .uncertain import RankSpread

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "SPAN_HALF",
    "RankedPerson",
    "Ranking",
    "Scores",
    "TopPeople",
    "order_of",
    "rank",
    "scores",
]

_LISTENING: Entry[sp.csr_array] = Entry("rank.listening", "Listening layer of the influence matrix.")
_REPORTING: Entry[tuple[np.ndarray, np.ndarray, np.ndarray]] = Entry("rank.reporting", "Reporting lines.")
_INFLUENCE_CSC: Entry[sp.csc_array] = Entry("rank.influence_csc", "The influence layer by column.")

COMPONENTS: tuple[str, ...] = ("authority", "influence", "brokerage", "social_power")
"""The four scores blended into ``power``, in their documented order."""

DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "authority": 0.35,
        "influence": 0.25,
        "brokerage": 0.15,
        "social_power": 0.25,
    }
)
"""Weight of each normalised score in ``power`` (they sum to 1)."""

SPAN_HALF: int = 10
"""Size of a reporting line that multiplies a person's power by 1.5 in ``authority``."""

_TIE_DECIMALS = 12


# ----------------------------------------------------------------------------- parameter checks
def _check_weights(weights: Any, func: str) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        if not isinstance(weights, Mapping):
            raise ValidationError(
                f"The 'weights' parameter of {func} must be a mapping of score name to weight "
                f"(keys among {', '.join(COMPONENTS)}). Got {weights!r} instead."
            )
        for k, v in weights.items():
            if k not in COMPONENTS:
                raise ValidationError(
                    f"The 'weights' parameter of {func} has an unknown key {k!r}; "
                    f"allowed: {', '.join(COMPONENTS)}."
                )
            merged[k] = check_float(v, f"weights[{k!r}]", func, 0.0, math.inf, low_open=False)
    total = sum(merged.values())
    if total <= 0:
        raise ValidationError(
            f"The 'weights' parameter of {func} must leave at least one weight above 0. Got {weights!r} instead."
        )
    return {k: merged[k] / total for k in COMPONENTS}


# ----------------------------------------------------------------------------- shared building blocks
def customer_rows(c: "CompiledGraph") -> np.ndarray:
    """Rows of the customer people, in the graph's order."""
    return np.flatnonzero(c.customer)


def listening_layer(c: "CompiledGraph") -> sp.csr_array:
    """Positive influence among customer people: ``A[i, j] > 0`` when ``i`` listens to ``j`` (cached)."""

    def build() -> sp.csr_array:
        cust = customer_rows(c)
        A = sp.csr_array(c.influence[cust][:, cust])
        A.data = np.where(A.data > 0, A.data, 0.0)
        A.eliminate_zeros()
        return A

    return c.cached(_LISTENING, build)


def influence_scores(
    c: "CompiledGraph", *, damping: float, tol: float, max_iter: int, blocks: int = 1
) -> tuple[np.ndarray, int]:
    """PageRank of the customer people on :func:`listening_layer` (customer order) and its iterations.

    ``blocks``: ``c`` holds that many accounts side by side, each ranked on its own.
    """
    return pagerank(listening_layer(c), damping=damping, tol=tol, max_iter=max_iter, blocks=blocks)


def reporting_lines(g: "StakeholderGraph", c: "CompiledGraph") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(manager, direct, below)`` per row (cached on the compiled view).

    ``manager[i]`` is the row of the person ``i`` reports to (-1 for none);
    ``direct[i]`` and ``below[i]`` count the customer people reporting to ``i``
    directly, and directly or indirectly.
    """

    def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = c.n
        manager = np.full(n, -1, dtype=np.int64)
        for i, pid in enumerate(c.ids):
            m = g.manager(pid)
            if m is not None and m in c.index:
                manager[i] = c.index[m]
        has = manager >= 0
        cust = c.customer.astype(np.int64)
        direct = np.bincount(manager[has], weights=cust[has], minlength=n).astype(np.int64)
        # depth in the reporting tree, then counts pushed up from the deepest level
        depth = np.zeros(n, dtype=np.int64)
        for _ in range(n):
            new = np.where(has, depth[np.maximum(manager, 0)] + 1, 0)
            if np.array_equal(new, depth):
                break
            depth = new
        below = np.zeros(n, dtype=np.int64)
        for d in range(int(depth.max()) if n else 0, 0, -1):
            rows = np.flatnonzero(depth == d)
            np.add.at(below, manager[rows], below[rows] + cust[rows])
        return manager, direct, below

    return c.cached(_REPORTING, build)


def _normalise(v: np.ndarray) -> np.ndarray:
    """Each row divided by its largest value (negative values count as 0; a row of zeros stays 0)."""
    v = np.maximum(np.asarray(v, dtype=float), 0.0)
    top = v.max(axis=-1, keepdims=True) if v.shape[-1] else np.zeros(v.shape[:-1] + (1,))
    out: np.ndarray = np.divide(v, top, out=np.zeros_like(v), where=top > 0)
    return out


def _rank_desc(v: np.ndarray) -> np.ndarray:
    """1 = largest, along the last axis; values equal to 12 decimals share their average rank."""
    from scipy.stats import rankdata

    if v.shape[-1] == 0:
        return np.zeros(v.shape)
    out: np.ndarray = rankdata(-np.round(v, _TIE_DECIMALS), method="average", axis=-1)
    return out


class Scores(NamedTuple):
    """The four scores of every customer person, one row per account (``blocks`` of them)."""

    authority: np.ndarray
    influence: np.ndarray
    brokerage: np.ndarray
    social_power: np.ndarray
    pivots: int
    exact: bool
    iterations: dict[str, int]

    def power(self, weights: Mapping[str, float]) -> np.ndarray:
        """The blend: each score divided by its row's largest, weighted and summed."""
        return np.asarray(
            sum(weights[name] * _normalise(getattr(self, name)) for name in COMPONENTS), dtype=float
        ).reshape(self.authority.shape)

    def formal_rank(self) -> np.ndarray:
        """Rank by authority in each row (1 = highest; equal scores share their average rank)."""
        return _rank_desc(self.authority)

    def informal_rank(self) -> np.ndarray:
        """Rank by influence in each row."""
        return _rank_desc(self.influence)

    def hidden(self, hidden_gap: float) -> np.ndarray:
        """The hidden-influencer flags of each row (:func:`hidden_rule`)."""
        if not self.authority.shape[-1]:
            return np.zeros(self.authority.shape, dtype=bool)
        return hidden_rule(self.formal_rank(), self.informal_rank(), hidden_gap)


def scores(
    c: "CompiledGraph",
    below: np.ndarray,
    *,
    blocks: int = 1,
    damping: float,
    exact_max: int,
    pivots: int,
    seed: Any,
    tol: float,
    max_iter: int,
) -> Scores:
    """Authority, influence, brokerage and social power of the customer people of ``blocks`` accounts.

    ``c`` is one compiled view, or ``blocks`` accounts of one organisation
    side by side (:func:`stakegraph._compiled.side_by_side`), and ``below``
    the people in each one's reporting line (one row per account). Each
    account is scored as :func:`rank` scores it alone, all at once: one
    batched PageRank and social-power iteration, one Brandes pass.
    """
    n = c.n // blocks
    cust = customer_rows(c)
    N = len(cust) // blocks
    line = np.asarray(below, dtype=float).reshape(blocks * n)[cust]
    authority = (c.power[cust] * (1.0 + line / (line + SPAN_HALF))).reshape(blocks, N)
    listened, it_pr = influence_scores(c, damping=damping, tol=tol, max_iter=max_iter, blocks=blocks)
    broker_all, n_piv, exact = _brokerage(c, exact_max=exact_max, pivots=pivots, seed=seed, blocks=blocks)
    if N:
        first = slice(0, n)
        group = c.decision_group[first] if c.decision_group[first].any() else c.customer[first]
        p = np.where(group[None, :], c.power.reshape(blocks, n), 0.0)  # power may differ by account
        p = np.where(p.sum(axis=1, keepdims=True) > 0, p, group[None, :].astype(float))
        p = p / p.sum(axis=1, keepdims=True)
        sp_all, it_sp = social_power(c.W, c.openness, p.ravel(), tol=tol, max_iter=max_iter, blocks=blocks)
        social = sp_all[cust].reshape(blocks, N)
    else:
        social, it_sp = np.zeros((blocks, 0)), 0
    return Scores(
        authority=authority,
        influence=np.asarray(listened).reshape(blocks, N),
        brokerage=broker_all[cust].reshape(blocks, N),
        social_power=social,
        pivots=n_piv,
        exact=exact,
        iterations={"influence": it_pr, "social_power": it_sp},
    )


def order_of(power: np.ndarray, ids: Sequence[str] | np.ndarray) -> np.ndarray:
    """Each row's people from the most powerful down: powers equal to 12 decimals ordered by id."""
    by_id = np.argsort(np.argsort(np.asarray(ids, dtype=str), kind="stable"), kind="stable")
    out: np.ndarray = np.lexsort(
        (np.broadcast_to(by_id, power.shape), -np.round(power, _TIE_DECIMALS)), axis=-1
    )
    return out


def hidden_rule(formal_rank: np.ndarray, informal_rank: np.ndarray, hidden_gap: float) -> np.ndarray:
    """The hidden-influencer rule: top half informally and ``gap >= hidden_gap * N``.

    Examples
    --------
    >>> formal, informal = np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 3.0, 2.0, 1.0])
    >>> hidden_rule(formal, informal, 0.25).tolist()   # gap >= 1 and informal rank <= 2
    [False, False, True, True]
    >>> hidden_rule(formal, informal, 0.5).tolist()    # gap >= 2
    [False, False, False, True]
    """
    N = formal_rank.shape[-1]  # one row per account when given several
    gap = formal_rank - informal_rank
    hidden: np.ndarray = (informal_rank <= N / 2.0) & (gap >= hidden_gap * N - 1e-9) & (N >= 2)
    return hidden


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True)
class RankedPerson:
    """One row of a :class:`Ranking`.

    Attributes
    ----------
    id : str
    rank : int
        1 = most powerful.
    power : float
        The blend of the four normalised scores, in [0, 1].
    authority, influence, brokerage, social_power : float
        The raw scores (see :mod:`stakegraph.analysis.rank`).
    hidden_influencer : bool
    formal_rank, informal_rank : float
        Rank by authority and by influence (ties share their average rank).
    gap : float
        ``formal_rank - informal_rank``: how many places higher the person
        stands informally than on the chart.

    Rows can also be read like a dict: ``row["id"]``.
    """

    id: str
    rank: int
    power: float
    authority: float
    influence: float
    brokerage: float
    social_power: float
    hidden_influencer: bool
    formal_rank: float
    informal_rank: float
    gap: float

    def __getitem__(self, key: str) -> Any:
        if key in _ROW_FIELDS:
            return getattr(self, key)
        raise KeyError(key)

    def keys(self) -> tuple[str, ...]:
        """The field names, so ``dict(row)`` works."""
        return _ROW_FIELDS

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain Python values."""
        return {k: getattr(self, k) for k in _ROW_FIELDS}


class TopPeople(tuple[RankedPerson, ...]):
    """The most powerful people of a :class:`Ranking`: a tuple of :class:`RankedPerson` that reads well.

    It prints one line a person (rank, name and id, power) and shows as a table in notebooks.
    """

    _names: Mapping[str, str]

    def __new__(cls, rows: Iterable[RankedPerson], names: Mapping[str, str] | None = None) -> TopPeople:
        out = super().__new__(cls, rows)
        out._names = dict(names or {})
        return out

    def _person(self, pid: str) -> str:
        name = self._names.get(pid)
        return f"{name} ({pid})" if name else pid

    def __repr__(self) -> str:
        if not self:
            return "(no one ranked)"
        return "\n".join(f"{r.rank:>2}. {self._person(r.id)}  power {r.power:.2f}" for r in self)

    def _repr_html_(self) -> str:
        rows = [
            {"rank": r.rank, "id": r.id, "name": self._names.get(r.id, ""), "power": r.power} for r in self
        ]
        return html_table(rows, caption="Key people")

    def __reduce__(self) -> tuple[Any, ...]:
        return (TopPeople, (tuple(self), self._names))


_ROW_FIELDS = tuple(f.name for f in fields(RankedPerson))
_DICT_KEYS = (
    "id",
    "rank",
    "power",
    "authority",
    "influence",
    "brokerage",
    "social_power",
    "hidden_influencer",
)


class _Who(NamedTuple):
    """What :meth:`Ranking.explain` says of a person."""

    name: str
    label: str
    title: str
    roles: tuple[str, ...]
    power: float | None


@dataclass(frozen=True, eq=False)
class _Context:
    """What :meth:`Ranking.explain` needs to speak about ties and roles (no compiled view)."""

    index: Mapping[str, int]
    ids: tuple[str, ...]
    level: np.ndarray
    customer: np.ndarray
    listened: sp.csc_array  # the influence layer by column: who listens to each person
    people: Mapping[str, _Who]
    ties: tuple[tuple[str, str, str], ...]  # (source, target, kind)
    manager: np.ndarray
    direct: np.ndarray
    below: np.ndarray


@dataclass(frozen=True, eq=False, repr=False)
class Ranking(Result):
    """Key people of the customer organisation, most powerful first.

    Attributes
    ----------
    ids : tuple of str
        Customer people in rank order.
    power, authority, influence, brokerage, social_power : ndarray
        Scores in rank order (read-only arrays).
    formal_rank, informal_rank : ndarray
        Rank by authority and by influence (average rank for ties).
    hidden : ndarray of bool
        The hidden-influencer flags.
    weights : mapping
        The weights the blend used (summing to 1).
    hidden_gap : float
        The threshold of the hidden-influencer rule.
    brokerage_pivots : int
        How many sources the brokerage paths were taken from (everyone on
        the informal layer when exact).
    brokerage_exact : bool
    iterations : mapping
        Iterations of the ``influence`` and ``social_power`` computations.

    Use ``ranking[id]`` (or ``ranking.get(id)``) for one person's row,
    :meth:`top`, :meth:`hidden_influencers`, :meth:`explain`, and
    ``to_dict()`` / ``to_frame()`` for the table.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("ceo", roles=["decision_maker"]); g.add_person("eng"); g.add_person("ops")
    >>> g.add_tie("eng", "ceo", "reports_to"); g.add_tie("ops", "ceo", "reports_to")
    >>> g.add_tie("eng", "ceo", "advises"); g.add_tie("eng", "ops", "advises")
    >>> r = sg.rank(g)
    >>> [row.id for row in r.top(2)], r["eng"].rank, r.get("nobody")
    (['ceo', 'eng'], 2, None)
    >>> round(r["eng"].influence, 3), r["eng"].informal_rank, r["eng"].formal_rank
    (0.413, 2.0, 2.5)
    >>> r.to_dict()["people"][0]["id"], r.brokerage_exact, r.iterations["influence"] > 0
    ('ceo', True, True)
    """

    ids: tuple[str, ...]
    power: np.ndarray
    authority: np.ndarray
    influence: np.ndarray
    brokerage: np.ndarray
    social_power: np.ndarray
    formal_rank: np.ndarray
    informal_rank: np.ndarray
    hidden: np.ndarray
    weights: Mapping[str, float]
    hidden_gap: float
    brokerage_pivots: int
    brokerage_exact: bool
    iterations: Mapping[str, int]
    roster: Roster | None = field(default=None, repr=False)
    _context: _Context | None = field(default=None, repr=False)

    _title = "Key people"

    # -- access -------------------------------------------------------------------
    @cached_property
    def people(self) -> tuple[RankedPerson, ...]:
        """Every row, in rank order."""
        cols = [
            self.power.tolist(),
            self.authority.tolist(),
            self.influence.tolist(),
            self.brokerage.tolist(),
            self.social_power.tolist(),
            self.hidden.tolist(),
            self.formal_rank.tolist(),
            self.informal_rank.tolist(),
        ]
        return tuple(
            RankedPerson(pid, k + 1, p, a, i, b, s, bool(h), fr, ir, fr - ir)
            for k, (pid, p, a, i, b, s, h, fr, ir) in enumerate(zip(self.ids, *cols))
        )

    @cached_property
    def _position(self) -> dict[str, int]:
        return {pid: k for k, pid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[RankedPerson]:
        return iter(self.people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._position

    def __getitem__(self, person_id: str) -> RankedPerson:
        k = self._position.get(person_id)
        if k is None:
            raise UnknownPersonError(person_id, self.ids)
        return self.people[k]

    def get(self, person_id: str, default: Any = None) -> RankedPerson | Any:
        """The row of ``person_id``, or ``default`` when the person is not ranked."""
        k = self._position.get(person_id)
        return default if k is None else self.people[k]

    def top(self, n: int = 5) -> TopPeople:
        """The ``n`` most powerful people: a tuple of rows that prints as a short table.

        Examples
        --------
        >>> import stakegraph as sg
        >>> sg.rank(sg.datasets.load("bank")).top(2)
         1. Daniel Okafor (ceo)  power 0.89
         2. Marcus Lindqvist (cio)  power 0.62
        """
        n = check_int(n, "n", "Ranking.top", low=0)
        names = {pid: who.name for pid, who in self._context.people.items()} if self._context else {}
        return TopPeople(self.people[:n], names)

    def hidden_influencers(self) -> tuple[RankedPerson, ...]:
        """The hidden influencers, the largest gap first."""
        rows = [r for r in self.people if r.hidden_influencer]
        return tuple(sorted(rows, key=lambda r: (-r.gap, r.rank)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ranking):
            return NotImplemented
        arrays = (
            "power",
            "authority",
            "influence",
            "brokerage",
            "social_power",
            "formal_rank",
            "informal_rank",
            "hidden",
        )
        return (
            self.ids == other.ids
            and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)
            and dict(self.weights) == dict(other.weights)
            and self.hidden_gap == other.hidden_gap
            and self.brokerage_pivots == other.brokerage_pivots
            and self.brokerage_exact == other.brokerage_exact
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        head = ", ".join(f"{r.id} ({r.power:.2f})" for r in self.top(3))
        return f"<Ranking: {len(self)} customer people; top: {head or 'none'}>"

    # -- output -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """``{"people": [{"id", "rank", "power", "authority", "influence", "brokerage",
        "social_power", "hidden_influencer"}, ...]}`` in rank order."""
        return {"people": self._rows(_DICT_KEYS)}

    def _rows(self, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        """Every person of the graph by the row rule (:class:`~stakegraph.results.Roster`)."""
        ranked = {r.id: {k: getattr(r, k) for k in keys if k != "id"} for r in self.people}
        if self.roster is None:
            return [{"id": pid, **row} for pid, row in ranked.items()]
        return self.roster.rows(ranked, [k for k in keys if k != "id"])

    def _table(self) -> list[dict[str, Any]]:
        return self._rows(_ROW_FIELDS)

    def _summary(self) -> list[str]:
        lines = [
            f"{len(self)} customer people ranked; weights "
            + ", ".join(f"{k} {v:.2f}" for k, v in self.weights.items())
            + "."
        ]
        if len(self):
            lines.append("Top: " + ", ".join(f"{r.id} ({r.power:.2f})" for r in self.top(5)) + ".")
        hidden = self.hidden_influencers()
        if hidden:
            lines.append(
                "Hidden influencers: "
                + ", ".join(
                    f"{r.id} (informal rank {_place(r.informal_rank)}, formal rank {_place(r.formal_rank)})"
                    for r in hidden
                )
                + "."
            )
        if self.brokerage_exact:
            lines.append("Brokerage: exact.")
        else:
            lines.append(f"Brokerage: estimated from {self.brokerage_pivots} sampled sources.")
        return lines

    # -- words --------------------------------------------------------------------
    def explain(self, person_id: str, *, short: bool = False) -> str:
        """Why ``person_id`` ranks where they do, in words: roles, reporting line, ties, scores.

        Parameters
        ----------
        person_id : str
        short : bool
            One line (the main reason) instead of the full account.

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> g.add_person("boss", name="Ada", title="CIO", roles=["decision_maker"])
        >>> g.add_person("ana", name="Ana", roles=["evaluator"]); g.add_person("bo", name="Bo")
        >>> g.add_tie("ana", "boss", "reports_to"); g.add_tie("bo", "boss", "reports_to")
        >>> g.add_tie("ana", "boss", "advises", 0.9); g.add_tie("ana", "bo", "advises", 0.8)
        >>> r = sg.rank(g)
        >>> print(r.explain("boss", short=True))
        Ada (boss): rank 1 of 3, power 0.85 — decision_maker, CIO, level 0, 2 people in their reporting line
        """
        short = check_bool(short, "short", "Ranking.explain")
        row = self[person_id]
        ctx = self._context
        k = self._position[person_id]
        N = len(self)
        norm = {name: _normalise(getattr(self, name)) for name in COMPONENTS}
        contrib = {name: self.weights[name] * norm[name][k] for name in COMPONENTS}
        main = max(COMPONENTS, key=lambda nm: (contrib[nm], -COMPONENTS.index(nm)))
        label = person_id
        if ctx is not None and person_id in ctx.people and ctx.people[person_id].name:
            label = f"{ctx.people[person_id].name} ({person_id})"
        formal = self._formal_words(person_id)
        listeners = self._listeners(person_id)
        names = {pid: ctx.people[pid].label for pid, _, _ in listeners[:3]} if ctx is not None else None
        why = {
            "authority": formal,
            "influence": _listened_words(listeners, names=names)
            if listeners
            else "listened to by no one in the organisation",
            "brokerage": f"on {row.brokerage:.0%} of the shortest informal paths between others",
            "social_power": f"carries {row.social_power:.0%} of the decision group's settled view",
        }
        if short:
            text = f"{label}: rank {row.rank} of {N}, power {row.power:.2f} — {why[main]}"
            if row.hidden_influencer:
                text += (
                    f"; hidden influencer (informal rank {_place(row.informal_rank)}, "
                    f"formal rank {_place(row.formal_rank)})"
                )
            return text
        lines = [f"{label} ranks {row.rank} of {N}, power {row.power:.2f}."]
        lines.append(f"- Authority {row.authority:.3f} (formal rank {_place(row.formal_rank)}): {formal}.")
        if listeners:
            lines.append(
                f"- Influence {row.influence:.3f} (informal rank {_place(row.informal_rank)}): "
                f"{_listened_words(listeners, detail=True, names=names)}."
            )
        else:
            lines.append(
                f"- Influence {row.influence:.3f} (informal rank {_place(row.informal_rank)}): "
                "no one in the organisation listens to them."
            )
        how = "exact" if self.brokerage_exact else f"estimated from {self.brokerage_pivots} sources"
        lines.append(
            f"- Brokerage {row.brokerage:.3f}: on {row.brokerage:.1%} of the shortest informal paths "
            f"between other people ({how})."
        )
        lines.append(
            f"- Social power {row.social_power:.3f}: their view makes up {row.social_power:.1%} of the "
            "decision group's settled view."
        )
        terms = " + ".join(
            f"{self.weights[nm]:.2f} × {nm.replace('_', ' ')} {norm[nm][k]:.2f}" for nm in COMPONENTS
        )
        lines.append(f"- Power = {terms}; {main.replace('_', ' ')} weighs most.")
        if row.hidden_influencer:
            lines.append(
                f"- Hidden influencer: informal rank {_place(row.informal_rank)} is "
                f"{_place(row.gap)} places above formal rank {_place(row.formal_rank)}."
            )
        return "\n".join(lines)

    def _formal_words(self, person_id: str) -> str:
        ctx = self._context
        if ctx is None or person_id not in ctx.people:
            return "no formal information"
        p = ctx.people[person_id]
        i = ctx.index[person_id]
        parts = []
        roles = list(p.roles)
        parts.append(", ".join(roles) if roles else "no buying role")
        if p.title:
            parts.append(p.title)
        parts.append(f"level {int(ctx.level[i])}")
        below, direct = int(ctx.below[i]), int(ctx.direct[i])
        if below:
            s = "person" if below == 1 else "people"
            parts.append(
                f"{below} {s} in their reporting line" + (f" ({direct} direct)" if direct != below else "")
            )
        text = ", ".join(parts)
        if p.power is not None:
            text += f" (power {p.power:g} as given)"
        return text

    def _listeners(self, person_id: str) -> list[tuple[str, float, list[str]]]:
        """(listener id, weight, tie kinds) of the people who listen to ``person_id``, strongest first."""
        ctx = self._context
        if ctx is None:
            return []
        j = ctx.index[person_id]
        col = ctx.listened
        lo, hi = col.indptr[j], col.indptr[j + 1]
        rows, vals = col.indices[lo:hi], col.data[lo:hi]
        keep = (vals > 0) & ctx.customer[rows]
        rows, vals = rows[keep], vals[keep]
        order = np.lexsort((rows, -vals))
        kinds: dict[str, list[str]] = {}
        for source, target, kind in ctx.ties:
            if person_id in (source, target):
                other = target if source == person_id else source
                kinds.setdefault(other, []).append(kind)
        out = []
        for r in order.tolist():
            other = ctx.ids[int(rows[r])]
            out.append((other, float(vals[r]), kinds.get(other, [])))
        return out

    # -- views --------------------------------------------------------------------
    @cached_property
    def _name_map(self) -> Mapping[str, str]:
        ctx = self._context
        return {} if ctx is None else {pid: ctx.people[pid].label for pid in self.ids if pid in ctx.people}

    def display_names(self) -> Mapping[str, str]:
        return self._name_map

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """The most powerful people as horizontal bars, by name; see :func:`stakegraph.viz.plots.plot_ranking`."""
        from ..viz.plots import plot_ranking

        return plot_ranking(self, ax, **kw)


def _place(x: float) -> str:
    return f"{x:g}" if float(x) != int(x) else str(int(x))


def _listened_words(
    listeners: list[tuple[str, float, list[str]]],
    *,
    detail: bool = False,
    names: Mapping[str, str] | None = None,
) -> str:
    n = len(listeners)
    shown = listeners[:3]
    name = (lambda pid: names.get(pid, pid)) if names else (lambda pid: pid)
    if detail:
        who = ", ".join(f"{name(pid)} ({' + '.join(k) or 'tie'}, weight {w:.2f})" for pid, w, k in shown)
    else:
        who = ", ".join(name(pid) for pid, _, _ in shown)
    s = "person" if n == 1 else "people"
    more = f" and {n - len(shown)} more" if n > len(shown) else ""
    return f"listened to by {n} {s}: {who}{more}"


@overload
def rank(
    g: "StakeholderGraph",
    *,
    weights: Mapping[str, float] | None = None,
    damping: float | None = None,
    hidden_gap: float = 0.25,
    exact_max: int | None = None,
    pivots: int = 256,
    seed: int | np.random.Generator | None = None,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Ranking: ...


@overload
def rank(
    g: Beliefs,
    *,
    weights: Mapping[str, float] | None = None,
    damping: float | None = None,
    hidden_gap: float = 0.25,
    exact_max: int | None = None,
    pivots: int = 256,
    seed: int | np.random.Generator | None = None,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> RankSpread: ...


# ----------------------------------------------------------------------------- the analysis
@old_spellings(renamed={"model": "influence"})
def rank(
    g: "StakeholderGraph | Beliefs",
    *,
    weights: Mapping[str, float] | None = None,
    damping: float | None = None,
    hidden_gap: float = 0.25,
    exact_max: int | None = None,
    pivots: int = 256,
    seed: int | np.random.Generator | None = None,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
    samples: int = 200,
) -> Ranking | RankSpread:
    """Key people: authority, influence, brokerage and social power of every customer person.

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.RankSpread` (see
        :func:`~stakegraph.analysis.uncertain.rank_spread`).
    samples : int, default 200
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    weights : mapping of str to float, optional
        Override some of :data:`DEFAULT_WEIGHTS` (keys ``authority``,
        ``influence``, ``brokerage``, ``social_power``; values >= 0). The
        weights are rescaled to sum 1.
    damping : float, optional
        PageRank damping in (0, 1); default ``InfluenceModel.damping`` (0.85).
    hidden_gap : float
        Threshold of the hidden-influencer rule, as a share of the customer
        organisation, in (0, 1].
    exact_max : int, optional
        Brokerage is exact when the graph has at most this many people
        (default 2,000; 500 per draw with beliefs).
    pivots : int
        Sources sampled for brokerage beyond ``exact_max``.
    seed : int, numpy Generator or None
        Draws the sampled sources (only used beyond ``exact_max``). None
        draws fresh randomness.
    tol : float
        L1 tolerance of the PageRank and social-power iterations.
    max_iter : int
        Iteration budget of those iterations.
    influence : InfluenceModel, optional
        Read the graph under another influence model (default ``g.model``); formerly ``model``.

    Returns
    -------
    Ranking
        One row per customer person, most powerful first.

    Raises
    ------
    ValidationError
        For a bad parameter.
    ConvergenceError
        When an iteration does not settle within ``max_iter`` (the PageRank
        iteration, or the social-power iteration used beyond 2,000 people).

    See Also
    --------
    structure : coalitions, brokers and where the informal chart departs from the formal one.

    Notes
    -----
    The module documentation (:mod:`stakegraph.analysis.rank`) gives each
    score's definition, the blend and the hidden-influencer rule.

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
    Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25(2).
    Friedkin, N. E. (1991). Theoretical foundations for centrality measures. Am. J. Sociol. 96(6).
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> r = sg.rank(g)
    >>> [(p.id, round(p.power, 2)) for p in r.top(3)]
    [('ceo', 0.89), ('cio', 0.62), ('arch_lead', 0.54)]
    >>> [p.id for p in r.hidden_influencers()]
    ['arch_lead', 'integration_lead', 'head_payments']
    >>> r["arch_lead"].formal_rank, r["arch_lead"].informal_rank
    (23.5, 1.0)
    >>> print(r.explain("arch_lead", short=True))  # doctest: +NORMALIZE_WHITESPACE
    王建國 (arch_lead): rank 3 of 30, power 0.54 — listened to by 9 people: Olivia Brennan, Marcus Lindqvist,
    Tomasz Kowalski and 6 more; hidden influencer (informal rank 1, formal rank 23.5)
    """
    if isinstance(g, Beliefs):
        from .uncertain import rank_spread

        return rank_spread(
            g,
            samples=samples,
            seed=seed,
            weights=weights,
            damping=damping,
            hidden_gap=hidden_gap,
            exact_max=500 if exact_max is None else exact_max,
            pivots=pivots,
            tol=tol,
            max_iter=max_iter,
            influence=influence,
        )
    func = "rank"
    check_graph(g, func)
    w = _check_weights(weights, func)
    influence = check_influence(influence, func)
    hidden_gap = check_float(hidden_gap, "hidden_gap", func, 0.0, 1.0, high_open=False)
    exact_max = check_int(2000 if exact_max is None else exact_max, "exact_max", func, low=0)
    pivots = check_int(pivots, "pivots", func, low=1)
    seed = check_seed(seed, func)
    tol = check_float(tol, "tol", func, 0.0, math.inf)
    max_iter = check_int(max_iter, "max_iter", func, low=1)
    c = g.compiled(influence)
    damping = c.model.damping if damping is None else check_float(damping, "damping", func, 0.0, 1.0)

    cust = customer_rows(c)
    N = len(cust)
    manager, direct, below = reporting_lines(g, c)
    sc = scores(
        c, below, damping=damping, exact_max=exact_max, pivots=pivots, seed=seed, tol=tol, max_iter=max_iter
    )
    authority, listened, brokerage, social = (
        sc.authority[0],
        sc.influence[0],
        sc.brokerage[0],
        sc.social_power[0],
    )
    n_piv, exact, it_pr, it_sp = (
        sc.pivots,
        sc.exact,
        sc.iterations["influence"],
        sc.iterations["social_power"],
    )
    power = sc.power(w)[0]
    ids = np.array([c.ids[i] for i in cust], dtype=str) if N else np.zeros(0, dtype=str)
    order = order_of(power, ids) if N else np.zeros(0, dtype=np.int64)
    formal_rank, informal_rank = sc.formal_rank()[0], sc.informal_rank()[0]
    hidden = sc.hidden(hidden_gap)[0]

    def ro(a: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(a[order]) if N else np.asarray(a)
        a.flags.writeable = False
        return a

    ctx = _Context(
        index=c.index,
        ids=c.ids,
        level=c.level,
        customer=c.customer,
        listened=c.cached(_INFLUENCE_CSC, lambda: sp.csc_array(c.influence)),
        people=MappingProxyType(
            {
                p.id: _Who(p.name, p.label, p.title, tuple(r.value for r in p.roles), p.power)
                for p in g.people.values()
            }
        ),
        ties=tuple((t.source, t.target, t.kind.value) for t in g.ties),
        manager=manager,
        direct=direct,
        below=below,
    )
    return Ranking(
        ids=tuple(ids[order].tolist()) if N else (),
        power=ro(power),
        authority=ro(authority),
        influence=ro(listened),
        brokerage=ro(brokerage),
        social_power=ro(social),
        formal_rank=ro(formal_rank),
        informal_rank=ro(informal_rank),
        hidden=ro(np.asarray(hidden, dtype=bool)),
        weights=MappingProxyType(w),
        hidden_gap=hidden_gap,
        brokerage_pivots=n_piv,
        brokerage_exact=exact,
        iterations=MappingProxyType({"influence": it_pr, "social_power": it_sp}),
        roster=Roster.of(g),
        _context=ctx,
    )


def _brokerage(
    c: "CompiledGraph", *, exact_max: int, pivots: int, seed: Any, blocks: int = 1
) -> tuple[np.ndarray, int, bool]:
    """Normalised weighted betweenness of everyone on the informal layer, pivots used, exactness.

    ``blocks``: ``c`` holds that many accounts of equal size side by side; each
    is normalised by its own size and, beyond ``exact_max``, gets its own
    ``pivots`` sources.
    """
    n = c.n // blocks
    cost = sp.csr_array(c.informal, copy=True)
    with np.errstate(over="ignore", divide="ignore"):
        cost.data = 1.0 / cost.data
    if n <= exact_max or pivots >= n:
        raw = betweenness(cost)
        scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
        return raw * scale, n, True
    rng = np.random.default_rng(seed)
    k = pivots
    picks = [np.sort(rng.choice(n, size=k, replace=False)) + b * n for b in range(blocks)]
    sources = np.concatenate(picks)
    raw = betweenness(cost, sources)
    scales = np.full(c.n, 1.0 / (k * (n - 2)))
    scales[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    return raw * scales, k, False
