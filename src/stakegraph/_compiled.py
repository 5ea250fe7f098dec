"""The compiled view: an index of people and sparse matrices per layer.

Built once per graph (and influence model), cached on the graph and dropped by
any mutation. Every analysis reads it; advanced users may too::

    c = g.compiled()
    c.ids[c.index["chen"]] == "chen"
    c.influence  # CSR, row i = listener, column j = the person i listens to

Layers (all ``scipy.sparse.csr_array`` of shape (n, n), float64, people in
``ids`` order):

``formal``
    ``reports_to`` and ``dotted_line`` ties, source -> target (report -> manager),
    value = strength (several kinds between a pair add up).
``informal``
    ``advises``, ``influences``, ``friend`` ties as source -> target, mutual kinds
    in both directions, value = strength (the strongest when several). Rivalry
    and mere acquaintance are left out: they carry no positive influence.
``influence``
    Who listens to whom, from :class:`~stakegraph.influence.InfluenceModel`:
    ``influence[i, j]`` is the weight person ``i`` gives person ``j`` (negative
    for rivals). Several ties between a pair add up.
``W``
    ``influence`` normalised by the absolute row sum; a person who listens to
    nobody keeps their own view (``W[i, i] = 1``).
``contacts``
    Introduction layer: every tie except ``rival``, in both directions, value =
    the strongest strength between the pair.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np
import scipy.sparse as sp

from .influence import InfluenceModel
from .method.vocabulary import Org, Role, Stance, TieKind

if TYPE_CHECKING:  # pragma: no cover
    from .model import StakeholderGraph, Tie

__all__ = [
    "ENTRIES",
    "LAYERS",
    "CompiledGraph",
    "Entry",
    "compile",
    "layer_entries",
    "layers",
    "restanced",
    "side_by_side",
    "stacked",
]

_ORGS = [o.value for o in Org]
_BUYING_ROLES = frozenset(Role)

T = TypeVar("T")

ENTRIES: dict[str, Entry[Any]] = {}
"""Every named entry of the compiled view's cache, by name (declared once, where it is derived)."""


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A named, typed entry of the compiled view's cache: something derived from one graph state.

    Declared once at module level by the module that derives it; a second
    entry with the same name is refused, so two modules cannot overwrite each
    other's values.

    Examples
    --------
    >>> import numpy as np
    >>> import stakegraph as sg
    >>> DEGREE: Entry[np.ndarray] = Entry("doc.degree", "Number of ties per person.")
    >>> c = sg.datasets.load("bank").compiled()
    >>> d = c.cached(DEGREE, lambda: np.diff(c.contacts.indptr))
    >>> c.cached(DEGREE, lambda: None) is d
    True
    """

    name: str
    doc: str = ""

    def __post_init__(self) -> None:
        if self.name in ENTRIES:
            raise ValueError(f"the compiled view already has a cache entry named {self.name!r}")
        ENTRIES[self.name] = self


def _freeze(*arrays: Any) -> None:
    """Make numpy arrays and the buffers of sparse arrays read-only."""
    for a in arrays:
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
        elif sp.issparse(a):
            for part in ("data", "indices", "indptr"):
                buf = getattr(a, part, None)
                if isinstance(buf, np.ndarray):
                    buf.setflags(write=False)


@dataclass(frozen=True, eq=False)
class CompiledGraph:
    """Arrays and sparse matrices of one graph state, all read-only.

    Numpy arrays and the buffers of the sparse layers are not writeable, so a
    caller cannot change what the next analysis reads; derived values live in
    one cache of named :class:`Entry` values (:meth:`cached`).
    """

    ids: tuple[str, ...]
    index: dict[str, int]
    formal: sp.csr_array
    informal: sp.csr_array
    influence: sp.csr_array
    W: sp.csr_array
    contacts: sp.csr_array
    support: np.ndarray  # effective support in [-1, 1]; nan = unknown
    stance_given: np.ndarray  # bool: a stance or support was given (or a side default applies)
    power: np.ndarray
    openness: np.ndarray
    relationship: np.ndarray  # 0 where none
    level: np.ndarray  # int
    org: np.ndarray  # int codes into ORGS
    customer: np.ndarray  # bool
    decision_group: np.ndarray  # bool: customer with a buying role
    departments: tuple[str, ...]
    department: np.ndarray  # int codes into departments
    model: InfluenceModel
    version: int
    _cache: dict[tuple[str, Hashable], Any] = field(default_factory=dict, repr=False)

    ORGS = tuple(_ORGS)

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.ids)

    def rows(self, ids: Any) -> np.ndarray:
        """Row numbers of a list of ids."""
        return np.fromiter((self.index[i] for i in ids), dtype=np.int64)

    def side(self, org: str) -> np.ndarray:
        """Boolean mask of one side (``"customer"``, ``"us"``, ``"partner"``, ``"competitor"``)."""
        out: np.ndarray = self.org == _ORGS.index(Org.parse(org).value)
        return out

    def __post_init__(self) -> None:
        _freeze(*self._arrays())

    def _arrays(self) -> Iterable[Any]:
        yield from (self.formal, self.informal, self.influence, self.W, self.contacts)
        yield from (self.support, self.stance_given, self.power, self.openness, self.relationship)
        yield from (self.level, self.org, self.customer, self.decision_group, self.department)

    def cached(self, entry: Entry[T], build: Callable[[], T], variant: Hashable = None) -> T:
        """The value of ``entry`` (and ``variant``, e.g. a policy) on this state, built on first use.

        Arrays built here are made read-only, like the view's own.
        """
        if not isinstance(entry, Entry):
            raise TypeError(f"cache entries are Entry objects, not {type(entry).__name__}")
        key = (entry.name, variant)
        if key not in self._cache:
            value = build()
            _freeze(*(value if isinstance(value, tuple) else (value,)))
            self._cache[key] = value
        return self._cache[key]  # type: ignore[no-any-return]


def compile(graph: "StakeholderGraph", model: InfluenceModel | None = None) -> CompiledGraph:
    """The compiled view of ``graph`` under ``model`` (default ``graph.model``), cached.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("a", stance="ally"); g.add_person("b", roles=["decision_maker"])
    >>> g.add_tie("a", "b", "advises", 0.5)
    >>> c = compile(g)
    >>> c.influence[c.index["b"], c.index["a"]]   # b listens to a
    np.float64(0.5)
    >>> compile(g) is c
    True
    """
    model = model if model is not None else graph.model
    cache = graph._cache.setdefault("compiled", [])
    for m, c in cache:
        if m is model or m == model:
            return c  # type: ignore[no-any-return]  # the cache holds CompiledGraph values only
    c = _build(graph, model)
    cache.append((model, c))
    if len(cache) > 4:
        cache.pop(0)
    return c


def restanced(
    graph: "StakeholderGraph", base: CompiledGraph, support: np.ndarray, stance_given: np.ndarray
) -> CompiledGraph:
    """Cache on ``graph`` the view ``base`` with new support values, without recompiling.

    For a ``graph`` that differs from the one ``base`` was compiled from only in
    people's stances or support values (e.g. a copy after ``set_stance``): the
    matrices, power, openness, levels and the decision group do not depend on
    stances, so they are shared with ``base``; ``support`` and ``stance_given``
    (arrays in ``base.ids`` order) replace the stance-derived arrays. Analyses
    that try many stance changes use it instead of compiling each variant.
    """
    from dataclasses import replace

    c = replace(base, support=support, stance_given=stance_given, version=graph.version, _cache={})
    cache = graph._cache.setdefault("compiled", [])
    cache[:] = [(m, old) for m, old in cache if not (m is base.model or m == base.model)]
    cache.append((base.model, c))
    if len(cache) > 4:
        cache.pop(0)
    return c


def tie_arrays(
    ties: Sequence[Tie], index: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ties as arrays: source rows, target rows, kind (its index in :class:`TieKind`) and strength."""
    code = {k: i for i, k in enumerate(TieKind)}
    m = len(ties)
    src = np.fromiter((index[t.source] for t in ties), dtype=np.int64, count=m)
    dst = np.fromiter((index[t.target] for t in ties), dtype=np.int64, count=m)
    kind = np.fromiter((code[t.kind] for t in ties), dtype=np.int64, count=m)
    strength = np.fromiter((t.strength for t in ties), dtype=float, count=m)
    return src, dst, kind, strength


def influence_entries(
    src: np.ndarray, dst: np.ndarray, kind: np.ndarray, strength: np.ndarray, model: InfluenceModel
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The entries of the influence matrix ties make: (listener rows, influencer columns, weights, tie of each).

    ``kind`` holds each tie's index in :class:`TieKind`. A tie source -> target
    gives the target listening to the source (``a`` times the strength) and the
    source to the target (``b`` times it), ``(a, b)`` being the model's weights
    of the kind; entries of weight 0 are left out. The one rule every view of
    influence is built by (the compiled graph, the batched samples of beliefs).
    """
    kinds = [k.value for k in TieKind]
    w_st = np.empty(len(src))  # weight of source on target
    w_ts = np.empty(len(src))  # weight of target on source
    for code, k in enumerate(kinds):
        sel = kind == code
        a, b = model.kind_weights[k]
        w_st[sel] = a * strength[sel]
        w_ts[sel] = b * strength[sel]
    rows = np.concatenate([dst, src])
    cols = np.concatenate([src, dst])
    vals = np.concatenate([w_st, w_ts])
    tie = np.concatenate([np.arange(len(src)), np.arange(len(src))])
    nz = vals != 0
    return rows[nz], cols[nz], vals[nz], tie[nz]


def listening_matrix(influence: sp.csr_array) -> sp.csr_array:
    """W: the influence matrix row-normalised by absolute weight; people who listen to nobody keep their view."""
    n = influence.shape[0]
    absrow = np.asarray(abs(influence).sum(axis=1)).ravel()
    W: sp.csr_array = influence.copy()  # divide each entry by its row's sum (1 / sum overflows for subnormal)
    W.data = W.data / np.repeat(absrow, np.diff(W.indptr))
    lonely = np.flatnonzero(absrow == 0)
    if len(lonely):
        W = sp.csr_array(W + sp.coo_array((np.ones(len(lonely)), (lonely, lonely)), shape=(n, n)).tocsr())
    return W


def _csr(n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, reduce: str = "sum") -> sp.csr_array:
    if reduce == "max" and len(rows):
        order = np.lexsort((-vals, cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        keep = np.ones(len(rows), dtype=bool)
        keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
    a = sp.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
    a.sum_duplicates()
    a.eliminate_zeros()
    return a


Entries = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

#: The layers ties make (``W`` is derived from ``influence``).
LAYERS = ("formal", "informal", "influence", "contacts")


def layer_entries(
    src: np.ndarray, dst: np.ndarray, kind: np.ndarray, strength: np.ndarray, model: InfluenceModel
) -> dict[str, tuple[Entries, str]]:
    """The entries each layer takes from the ties: name -> ((rows, cols, values, tie of each), reduce).

    ``reduce`` says how several entries of one pair combine (``"sum"`` or
    ``"max"``). The one rule every layer is built by, from tie arrays
    (:func:`tie_arrays`): for one graph (:func:`layers`) and for many
    possible accounts laid side by side (:func:`side_by_side`).
    """
    kinds = [k.value for k in TieKind]
    K = {k: kinds.index(k) for k in kinds}
    tie = np.arange(len(src))
    fm = (kind == K["reports_to"]) | (kind == K["dotted_line"])
    formal = (src[fm], dst[fm], strength[fm], tie[fm])
    # informal (positive hidden ties), mutual kinds both ways
    directed = (kind == K["advises"]) | (kind == K["influences"])
    mutual = kind == K["friend"]
    informal = (
        np.concatenate([src[directed], src[mutual], dst[mutual]]),
        np.concatenate([dst[directed], dst[mutual], src[mutual]]),
        np.concatenate([strength[directed], strength[mutual], strength[mutual]]),
        np.concatenate([tie[directed], tie[mutual], tie[mutual]]),
    )
    # influence: listener row, influencer column
    influence = influence_entries(src, dst, kind, strength, model)
    # contacts: every tie but rival, both directions, strongest
    cm = kind != K["rival"]
    contacts = (
        np.concatenate([src[cm], dst[cm]]),
        np.concatenate([dst[cm], src[cm]]),
        np.concatenate([strength[cm], strength[cm]]),
        np.concatenate([tie[cm], tie[cm]]),
    )
    return {
        "formal": (formal, "sum"),
        "informal": (informal, "max"),
        "influence": (influence, "sum"),
        "contacts": (contacts, "max"),
    }


def layers(
    n: int, src: np.ndarray, dst: np.ndarray, kind: np.ndarray, strength: np.ndarray, model: InfluenceModel
) -> tuple[sp.csr_array, sp.csr_array, sp.csr_array, sp.csr_array, sp.csr_array]:
    """The layers ties make among ``n`` rows: ``(formal, informal, influence, W, contacts)``."""
    built = {
        name: _csr(n, rows, cols, vals, reduce)
        for name, ((rows, cols, vals, _tie), reduce) in layer_entries(src, dst, kind, strength, model).items()
    }
    influence = built["influence"]
    return built["formal"], built["informal"], influence, listening_matrix(influence), built["contacts"]


def _tiled(n: int, entries: Entries, reduce: str, present: np.ndarray) -> sp.csr_array:
    """One layer of S accounts side by side: account s holds the entries of the ties ``present[s]``.

    The entries are sorted once (by row, column and, for ``"max"``, falling
    value); repeated account by account they stay sorted, so the matrix is
    assembled without sorting the S-fold entries, and the strongest present
    entry of each pair is the first present one.
    """
    rows, cols, vals, tie = entries
    S = present.shape[0]
    order = np.lexsort((-vals, cols, rows)) if reduce == "max" else np.lexsort((cols, rows))
    rows, cols, vals, tie = rows[order], cols[order], vals[order], tie[order]
    steady = np.asarray(present.all(axis=0), dtype=bool)
    varies = ~steady[tie]  # entries of ties that come and go
    if reduce == "max" and len(rows):
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        group = np.cumsum(first) - 1
        mixed = (np.bincount(group, weights=varies) > 0)[group]  # pairs with an entry that comes and goes
        on = np.repeat((first & ~mixed)[None, :], S, axis=0)  # elsewhere the strongest is the first
        m = np.flatnonzero(mixed)
        sub = present[:, tie[m]]
        f = first[m]
        start = np.flatnonzero(f)[np.cumsum(f) - 1]  # where each entry's pair begins, among them
        seen = np.cumsum(sub, axis=1, dtype=np.int32)
        before = np.where(start > 0, seen[:, np.maximum(start - 1, 0)], 0)
        on[:, m] = sub & ((seen - sub - before) == 0)  # no stronger entry of the pair is present
    else:
        on = np.ones((S, len(rows)), dtype=bool)
        v = np.flatnonzero(varies)
        on[:, v] = present[:, tie[v]]
    s_idx, e_idx = np.nonzero(on)
    R = rows[e_idx] + s_idx * n
    indptr = np.zeros(S * n + 1, dtype=np.int64)
    np.cumsum(np.bincount(R, minlength=S * n), out=indptr[1:])
    a = sp.csr_array((vals[e_idx], cols[e_idx] + s_idx * n, indptr), shape=(S * n, S * n))
    if reduce == "max":
        a.has_canonical_format = True  # sorted by column within rows, one entry per pair
    else:
        a.sum_duplicates()
    a.eliminate_zeros()
    return a


def side_by_side(
    base: CompiledGraph,
    ties: Sequence[Tie],
    present: np.ndarray,
    support: np.ndarray,
    layers: Iterable[str] = LAYERS,
) -> CompiledGraph:
    """``S`` possible accounts of one organisation as one compiled view of ``S * n`` rows.

    ``base`` is the view of a graph holding every tie of ``ties`` (all of its
    ties); account ``s`` has the ties ``ties[present[s]]`` and the support
    values ``support[s]`` (in ``base.ids`` order), everything else as
    ``base``. Account ``s`` takes rows ``s * n`` to ``(s + 1) * n - 1``; no tie
    joins two accounts, so an analysis that works row by row on sparse layers
    (shortest paths, betweenness, Friedkin-Johnsen) runs on all of them at
    once. ``ids`` repeats ``base.ids`` and ``index`` is that of ``base`` (the
    rows of the first account).

    Only the ``layers`` named (among :data:`LAYERS`; ``W`` comes with
    ``influence``) are built: the S-fold layers are large, and an analysis
    reads one or two. The others are left empty (no entry at all).
    """
    S, n = present.shape[0], base.n
    wanted = set(layers)
    unknown = wanted - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}; known: {', '.join(LAYERS)}")
    src, dst, kind, strength = tie_arrays(ties, base.index)
    empty = sp.csr_array((S * n, S * n))
    built = {
        name: _tiled(n, entries, reduce, present) if name in wanted else empty
        for name, (entries, reduce) in layer_entries(src, dst, kind, strength, base.model).items()
    }
    formal, informal, influence, contacts = (
        built[k] for k in ("formal", "informal", "influence", "contacts")
    )
    W = listening_matrix(influence) if "influence" in wanted else empty
    support = np.asarray(support, dtype=float).reshape(S * n)
    nodes = {name: np.tile(getattr(base, name), S) for name in _NODE_ARRAYS}
    nodes["support"] = support
    nodes["stance_given"] = nodes["stance_given"] | np.isfinite(support)
    layers_ = {"formal": formal, "informal": informal, "influence": influence, "W": W, "contacts": contacts}
    return _accounts(base, S, layers_, nodes)


def stacked(views: Sequence[CompiledGraph]) -> CompiledGraph:
    """Compiled views of one organisation's accounts (the same people in the same order) side by side.

    The general form of :func:`side_by_side`, for accounts that differ in
    more than ties and support (e.g. a reporting line, hence levels and power).
    """
    layers_ = {
        name: sp.csr_array(sp.block_diag([getattr(v, name) for v in views], format="csr"))
        for name in (*LAYERS, "W")
    }
    nodes = {name: np.concatenate([getattr(v, name) for v in views]) for name in _NODE_ARRAYS}
    return _accounts(views[0], len(views), layers_, nodes)


# the per-person arrays of a compiled view, which accounts side by side repeat
_NODE_ARRAYS = (
    "support",
    "stance_given",
    "power",
    "openness",
    "relationship",
    "level",
    "org",
    "customer",
    "decision_group",
    "department",
)


def _accounts(
    first: CompiledGraph, S: int, layers_: Mapping[str, sp.csr_array], nodes: Mapping[str, np.ndarray]
) -> CompiledGraph:
    return CompiledGraph(
        ids=first.ids * S,
        index=first.index,
        formal=layers_["formal"],
        informal=layers_["informal"],
        influence=layers_["influence"],
        W=layers_["W"],
        contacts=layers_["contacts"],
        support=nodes["support"],
        stance_given=nodes["stance_given"],
        power=nodes["power"],
        openness=nodes["openness"],
        relationship=nodes["relationship"],
        level=nodes["level"],
        org=nodes["org"],
        customer=nodes["customer"],
        decision_group=nodes["decision_group"],
        departments=first.departments,
        department=nodes["department"],
        model=first.model,
        version=first.version,
    )


def _build(graph: "StakeholderGraph", model: InfluenceModel) -> CompiledGraph:
    people = graph.people
    ids = tuple(people)
    index = {pid: i for i, pid in enumerate(ids)}
    n = len(ids)
    levels = graph.levels()

    support = np.full(n, np.nan)
    given = np.zeros(n, dtype=bool)
    power = np.empty(n)
    openness = np.empty(n)
    relationship = np.zeros(n)
    level = np.empty(n, dtype=np.int64)
    org = np.empty(n, dtype=np.int64)
    dgroup = np.zeros(n, dtype=bool)
    dept_names: dict[str, int] = {}
    dept = np.empty(n, dtype=np.int64)
    for i, pid in enumerate(ids):
        p = people[pid]
        lv = levels[pid]
        level[i] = lv
        org[i] = _ORGS.index(p.org.value)
        if p.support is not None:
            support[i] = p.support
            given[i] = True
        elif p.stance is not Stance.UNKNOWN:
            support[i] = p.stance.support
            given[i] = True
        else:
            d = model.default_support(p.org.value)
            if d == d:
                support[i] = d
                given[i] = True
        power[i] = p.power if p.power is not None else model.power_for(p.roles, lv)
        openness[i] = p.openness if p.openness is not None else model.openness_for(p.roles, p.org.value)
        if p.relationship is not None:
            relationship[i] = p.relationship
        dgroup[i] = p.org is Org.CUSTOMER and bool(p.roles)
        dept[i] = dept_names.setdefault(p.department, len(dept_names))
    customer = org == _ORGS.index("customer")

    src, dst, kind, strength = tie_arrays(graph.ties, index)
    formal, informal, influence, W, contacts = layers(n, src, dst, kind, strength, model)
    return CompiledGraph(
        ids=ids,
        index=index,
        formal=formal,
        informal=informal,
        influence=influence,
        W=W,
        contacts=contacts,
        support=support,
        stance_given=given,
        power=power,
        openness=openness,
        relationship=relationship,
        level=level,
        org=org,
        customer=customer,
        decision_group=dgroup,
        departments=tuple(dept_names),
        department=dept,
        model=model,
        version=graph.version,
    )
