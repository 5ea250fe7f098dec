"""Introduction paths: how to reach the decision-maker through people we know.

A path starts with someone we can already ask for an introduction and follows
ties, one introduction per hop, to the person we want to meet. Its score is the
probability that every introduction along it works.

Semantics (the defaults of :class:`~stakegraph.influence.InfluenceModel`)
--------------------------------------------------------------------------
- An introduction passes along any tie except ``rival``, in either direction
  (the compiled ``contacts`` layer); a hop succeeds with the strength of the
  strongest tie between the pair.
- Our own team (``org="us"``) starts a path with probability 1; a customer
  person starts it with their ``relationship``. Partners are reached through
  their ties. A path never passes through a second member of our team (that
  colleague would start the path themselves), and a path that passes through
  someone we can start from directly at least as well (a customer whose own
  ``relationship`` is at least the probability of the path up to them) is left
  out: the rest of the path, started there, is better. (A path to a target we
  know ourselves is kept: it is a second way in.)
- Every person who makes an introduction (everyone on the path except the
  target) multiplies the path by a factor of their stance: a skeptic by
  ``InfluenceModel.skeptic_factor`` (0.5); a hostile person blocks the path
  (``through_hostile="block"``, the default), multiplies it by
  ``InfluenceModel.hostile_factor`` (``"penalise"``) or passes it unchanged
  (``"allow"``). A person's stance class is the stance nearest to their support
  value, so competitors (support -1 by default) count as hostile. People whose
  stance is unknown pass introductions unchanged.
- Gatekeepers on a path are named.

The best route to everyone comes from one Dijkstra run on ``-log``
probabilities from a virtual source joined to every starting person. The ``k``
best simple paths to a target come from Yen's algorithm, each detour ("spur")
searched only among the people whose best route to the target is cut by the
detour's constraints (the subtrees of the removed people in the reverse
shortest-path tree); everyone else keeps their best route. Among equally
probable paths the one with fewer introductions comes first.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import depth_first_order

from .._compiled import Entry
from ..errors import NoPathError, UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_bool, check_choice, check_int
from ..method.vocabulary import Role, opposition_codes
from ..method.words import stance_word, who
from ..model import check_graph
from ..results import Result
from ._centrality import shortest_from
from .fuse import Beliefs

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._compiled import CompiledGraph
    from ..model import StakeholderGraph
    from .uncertain import PathSpread

__all__ = ["IntroPath", "Paths", "TargetPaths", "paths"]

_STANCE_CLASS: Entry[np.ndarray] = Entry(
    "paths.stance_class", "Opposition code of each person (2 hostile, 1 skeptic)."
)
_FACTOR: Entry[np.ndarray] = Entry(
    "paths.factor", "Factor each person applies to a path, per hostile policy."
)
_START: Entry[np.ndarray] = Entry("paths.start", "Probability that a path starts at each person.")
_INTRO: Entry[tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray]] = Entry(
    "paths.intro", "Cost matrix of introductions with a virtual source, per policy."
)
_BEST: Entry[tuple[np.ndarray, np.ndarray]] = Entry(
    "paths.best", "Best route from us to everyone, per policy."
)
_FORWARD: Entry[tuple[np.ndarray, np.ndarray]] = Entry("paths.forward", "Forward search state, per policy.")
_REVERSE: Entry[sp.csr_array] = Entry("paths.reverse", "Transposed introduction costs, per policy.")

HostilePolicy = Literal["block", "penalise", "allow"]
POLICIES = ("block", "penalise", "allow")
# Added to the cost of every hop: among equally probable paths the one with fewer
# introductions comes first, and ties of strength 1 do not make zero-cost detours.
HOP_COST = 1e-12


def _resolve_targets(g: "StakeholderGraph", target: Any, func: str) -> list[str]:
    if target is None:
        found = g.decision_makers()
        if not found:
            raise ValidationError(
                f"The graph has no decision-maker, so {func} has no default target: give a customer person "
                "the 'decision_maker' role or pass target=<person id>."
            )
        return found
    if isinstance(target, str):
        items = [target]
    else:
        try:
            items = list(target)
        except TypeError:
            raise ValidationError(
                f"The 'target' parameter of {func} must be a person id, a list of ids or None. "
                f"Got {target!r} instead."
            ) from None
        if not items:
            raise ValidationError(
                f"The 'target' parameter of {func} must name at least one person. Got [] instead."
            )
    out: list[str] = []
    for t in items:
        if not isinstance(t, str):
            raise ValidationError(
                f"The 'target' parameter of {func} must hold person ids (str). Got {t!r} instead."
            )
        if t not in g:
            raise UnknownPersonError(t, g.people)
        if t not in out:
            out.append(t)
    return out


# ----------------------------------------------------------------------------- semantics on arrays
def stance_class(c: "CompiledGraph") -> np.ndarray:
    """Each person's opposition as a code, cached: 2 hostile, 1 skeptic, 0 otherwise (unknown included).

    The classes are those of :func:`stakegraph.method.opposition_codes`.
    """

    def build() -> np.ndarray:
        out = opposition_codes(c.support)
        out.setflags(write=False)
        return out

    return c.cached(_STANCE_CLASS, build)


def pass_factor(c: "CompiledGraph", through_hostile: str) -> np.ndarray:
    """The factor each person applies to a path they make an introduction on."""

    def build() -> np.ndarray:
        cls = stance_class(c)
        f = np.ones(c.n)
        f[cls == 1] = c.model.skeptic_factor
        f[cls == 2] = {"block": 0.0, "penalise": c.model.hostile_factor, "allow": 1.0}[through_hostile]
        f.setflags(write=False)
        return f

    return c.cached(_FACTOR, build, through_hostile)


def start_probability(c: "CompiledGraph") -> np.ndarray:
    """Probability that a path can start at each person: 1 for our team, ``relationship`` for customers."""

    def build() -> np.ndarray:
        start = np.where(c.customer, np.clip(c.relationship, 0.0, 1.0), 0.0)
        start[c.side("us")] = 1.0
        start.setflags(write=False)
        return start

    return c.cached(_START, build)


def intro_graph(
    c: "CompiledGraph", through_hostile: str
) -> tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray]:
    """Cost matrix of introductions with a virtual source at row ``n`` (cached).

    Returns ``(A, rows, cols, cost)``: ``A[u, v] = -log(strength(u, v) * factor(u))``
    and ``A[n, s] = -log(start(s))``, each plus ``HOP_COST``, and its COO arrays.
    """

    def build() -> tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray]:
        n = c.n
        f = pass_factor(c, through_hostile)
        start = start_probability(c)
        coo = c.contacts.tocoo()
        u = coo.row.astype(np.int64)
        v = coo.col.astype(np.int64)
        s = coo.data
        us = c.side("us")
        keep = (f[u] > 0) & ~us[v] & (u != v) & (s > 0)
        u, v = u[keep], v[keep]
        p = np.minimum(s[keep] * f[u], 1.0)
        starters = np.flatnonzero(start > 0)
        rows = np.concatenate([u, np.full(len(starters), n, dtype=np.int64)])
        cols = np.concatenate([v, starters])
        with np.errstate(divide="ignore"):
            cost = np.abs(-np.log(np.concatenate([p, start[starters]]))) + HOP_COST
        A = sp.csr_array((cost, (rows, cols)), shape=(n + 1, n + 1))
        return A, rows, cols, cost

    return c.cached(_INTRO, build, through_hostile)


def best_routes(c: "CompiledGraph", through_hostile: str = "block") -> tuple[np.ndarray, np.ndarray]:
    """Everyone's best introduction route: ``(probability, predecessor)`` arrays (cached).

    ``probability[i]`` is the probability of the best path to person ``i``
    (0 when none); ``predecessor[i]`` the row before ``i`` on it (``n`` for
    the virtual source, i.e. ``i`` starts the path; negative when unreachable).
    """

    def build() -> tuple[np.ndarray, np.ndarray]:
        dist, pred = _forward(c, through_hostile)
        n = c.n
        # hops of each best route (pointer jumping up the tree), to take the per-hop cost back out
        jump = np.where(pred < 0, n, pred)
        jump[n] = n
        hops = np.ones(n + 1, dtype=np.int64)
        hops[n] = 0
        while (jump != n).any():
            hops = hops + hops[jump] * (jump != n)
            jump = jump[jump]
        with np.errstate(invalid="ignore"):
            prob = np.exp(-(dist - HOP_COST * hops))
        prob[~np.isfinite(dist)] = 0.0
        return np.minimum(prob[:n], 1.0), pred[:n]

    return c.cached(_BEST, build, through_hostile)


def _forward(c: "CompiledGraph", through_hostile: str) -> tuple[np.ndarray, np.ndarray]:
    """Dijkstra from the virtual source: ``(cost, predecessor)`` over the ``n + 1`` rows (cached)."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        A = intro_graph(c, through_hostile)[0]
        return shortest_from(A, c.n)

    return c.cached(_FORWARD, build, through_hostile)


def route_to(pred: np.ndarray, n: int, t: int) -> list[int]:
    """Rows of the best path to ``t`` from a predecessor array (empty when unreachable)."""
    out = [t]
    cur = int(pred[t])
    while cur != n:
        if cur < 0 or len(out) > n:
            return []
        out.append(cur)
        cur = int(pred[cur])
    out.reverse()
    return out


# ----------------------------------------------------------------------------- value objects
@dataclass(frozen=True)
class IntroPath:
    """One chain of introductions, from the starting person to the target.

    Attributes
    ----------
    people : tuple of str
        Ids from the person who starts the path to the target.
    probability : float
        Probability that every introduction works: starting probability x
        tie strengths x stance factors of the people making introductions.
    start_probability : float
        1 for our team, the ``relationship`` of a customer contact.
    hop_probabilities : tuple of float
        Per hop, the tie strength times the introducer's stance factor.
    weakest_link : tuple of (str, str) or None
        The weakest step of the path (the first when several tie): a hop
        ``(introducer, introduced)`` with the lowest probability, or
        ``(owner, start)`` when our own relationship with the customer who
        starts the path is weaker still and that customer's ``owner`` (the
        member of our team covering them) is a person of the graph. None for
        a path with no such step (we know the target ourselves and no owner
        is named).
    first_step : str
        The first introduction to ask for, in words.
    gatekeepers, skeptics, hostiles : tuple of str
        People on the path holding the gatekeeper role, and introducers who are
        skeptic or hostile (hostile people only appear unless blocked).
    """

    people: tuple[str, ...]
    probability: float
    start_probability: float
    hop_probabilities: tuple[float, ...]
    weakest_link: tuple[str, str] | None
    first_step: str
    gatekeepers: tuple[str, ...] = ()
    skeptics: tuple[str, ...] = ()
    hostiles: tuple[str, ...] = ()

    @property
    def hops(self) -> int:
        """Number of introductions on the path."""
        return len(self.people) - 1

    @property
    def start(self) -> str:
        """The person who starts the path."""
        return self.people[0]

    @property
    def target(self) -> str:
        """The person the path reaches."""
        return self.people[-1]

    def to_dict(self) -> dict[str, Any]:
        """``{"people": [ids], "probability": float, "weakest_link": [a, b]}`` (see the attributes)."""
        return {
            "people": list(self.people),
            "probability": float(self.probability),
            "weakest_link": list(self.weakest_link) if self.weakest_link is not None else None,
        }


@dataclass(frozen=True)
class TargetPaths(Result):
    """The best introduction paths to one person.

    Attributes
    ----------
    target : str
    paths : tuple of IntroPath
        Sorted by probability, most probable first; empty when no path exists.
    reason : str or None
        Why no path exists (None when there are paths).
    nearest : str or None
        When no path exists: the reachable person closest to the target in
        ties (fewest hops over any tie but rivalry, the most reachable first);
        None when nobody near the target can be reached.
    """

    target: str
    paths: tuple[IntroPath, ...]
    reason: str | None = None
    nearest: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    _title = "Introduction paths"

    @property
    def best(self) -> IntroPath | None:
        """The most probable path, or None."""
        return self.paths[0] if self.paths else None

    def require(self) -> IntroPath:
        """The most probable path; :class:`~stakegraph.NoPathError` saying why when there is none.

        For code that cannot go on without a route (a nightly job planning the next meeting).

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> g.add_person("me", org="us"); g.add_person("ceo", roles=["decision_maker"])
        >>> sg.paths(g, "ceo")["ceo"].require()
        Traceback (most recent call last):
        ...
        stakegraph.errors.NoPathError: No introduction path to ceo: ceo is unreachable: no chain of ties joins our team or our contacts to them.
        """
        if self.paths:
            return self.paths[0]
        raise NoPathError(self.lines()[0])

    def name_of(self, pid: str) -> str:
        """The name the paths give a person (their id when unnamed)."""
        return self.labels.get(pid, pid)

    def describe(self) -> str:
        """The paths in words, one line each (or why there is none): :meth:`lines` joined."""
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """The paths in words, one line each (or why there is none).

        Each line: the chain of people, its probability, the weakest link,
        gatekeepers and skeptics on the way, and the first step to take.
        """
        if not self.paths:
            near = (
                f" The reachable person nearest to them is {self.name_of(self.nearest)}."
                if self.nearest
                else ""
            )
            return [f"No introduction path to {self.name_of(self.target)}: {self.reason}.{near}"]
        out = []
        for r, p in enumerate(self.paths, 1):
            chain = " → ".join(self.name_of(x) for x in p.people)
            text = f"{r}. {chain} (probability {p.probability:.2f}"
            if p.weakest_link is not None:
                a, b = p.weakest_link
                if b == p.people[0] and a not in p.people:
                    text += (
                        f"; weakest link our relationship with {self.name_of(b)} {p.start_probability:.2f}"
                    )
                else:
                    hop = p.hop_probabilities[p.people.index(b) - 1]
                    text += f"; weakest link {self.name_of(a)} – {self.name_of(b)} {hop:.2f}"
            text += ")."
            if p.gatekeepers:
                text += " Gatekeeper: " + ", ".join(self.name_of(x) for x in p.gatekeepers) + "."
            if p.skeptics or p.hostiles:
                text += (
                    " Through "
                    + ", ".join(
                        [f"{self.name_of(x)} (skeptic)" for x in p.skeptics]
                        + [f"{self.name_of(x)} (hostile)" for x in p.hostiles]
                    )
                    + "."
                )
            text += f" First step: {p.first_step}."
            out.append(text)
        return out

    def to_dict(self) -> dict[str, Any]:
        """``{"target", "paths": [{"people", "probability", "weakest_link"}], "reason", "nearest"}``."""
        return {
            "target": self.target,
            "paths": [p.to_dict() for p in self.paths],
            "reason": self.reason,
            "nearest": self.nearest,
        }

    def _table(self) -> list[dict[str, Any]]:
        if not self.paths:
            return [
                {
                    "target": self.target,
                    "rank": None,
                    "people": [],
                    "hops": None,
                    "probability": 0.0,
                    "weakest_link": None,
                    "first_step": None,
                    "gatekeepers": [],
                    "reason": self.reason,
                    "nearest": self.nearest,
                }
            ]
        return [
            {
                "target": self.target,
                "rank": r + 1,
                "people": list(p.people),
                "hops": p.hops,
                "probability": p.probability,
                "weakest_link": " - ".join(p.weakest_link) if p.weakest_link else None,
                "first_step": p.first_step,
                "gatekeepers": list(p.gatekeepers),
                "reason": None,
                "nearest": None,
            }
            for r, p in enumerate(self.paths)
        ]

    def _summary(self) -> list[str]:
        if not self.paths:
            near = f"; nearest reachable person: {self.nearest}" if self.nearest else ""
            return [f"No path to {self.target}: {self.reason}{near}"]
        b = self.paths[0]
        return [
            f"Best path to {self.target}: probability {b.probability:.2f}, {b.hops} introduction(s); "
            f"{b.first_step}"
        ]

    def display_names(self) -> Mapping[str, str]:
        return {pid: _name_only(label) for pid, label in self.labels.items()}

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """The paths as chains of names with the chance of each introduction; see :func:`stakegraph.viz.plots.plot_paths`."""
        from ..viz.plots import plot_paths

        return plot_paths(self, ax, **kw)


def _name_only(label: str) -> str:
    """The name in a label of the form 'Name, Title (gatekeeper)'."""
    return label.removesuffix(" (gatekeeper)").split(",")[0]


@dataclass(frozen=True)
class Paths(Result):
    """Introduction paths to one or several targets (one :class:`TargetPaths` each).

    Attributes
    ----------
    by_target : tuple of TargetPaths
        In the order of the targets asked for (default: the decision-makers
        in the graph's order).
    k : int
    disjoint : bool
    through_hostile : {"block", "penalise", "allow"}

    Notes
    -----
    ``to_dict()`` for a single target is
    ``{"target": id, "paths": [{"people": [ids], "probability": p,
    "weakest_link": [a, b]}], "reason": str | None, "nearest": id | None}``,
    people listed from the starting person to the target, paths sorted by
    probability. For several targets it is ``{"targets": [<that dict for each
    target>]}``. ``target``, ``paths``, ``reason`` and ``nearest`` read the
    first target's; ``result["wang"]`` gives one target's :class:`TargetPaths`.
    """

    by_target: tuple[TargetPaths, ...]
    k: int = 3
    disjoint: bool = False
    through_hostile: str = "block"

    _title = "Introduction paths"

    @property
    def target(self) -> str:
        """The (first) target."""
        return self.by_target[0].target

    @property
    def targets(self) -> tuple[str, ...]:
        """Every target, in order."""
        return tuple(t.target for t in self.by_target)

    @property
    def paths(self) -> tuple[IntroPath, ...]:
        """The paths to the (first) target."""
        return self.by_target[0].paths

    @property
    def reason(self) -> str | None:
        """Why the (first) target has no path, or None."""
        return self.by_target[0].reason

    @property
    def nearest(self) -> str | None:
        """The reachable person nearest to the (first) target when it has no path."""
        return self.by_target[0].nearest

    def __getitem__(self, target: str) -> TargetPaths:
        for t in self.by_target:
            if t.target == target:
                return t
        raise UnknownPersonError(target, self.targets)

    def __iter__(self) -> Iterator[TargetPaths]:
        return iter(self.by_target)

    def __len__(self) -> int:
        return len(self.by_target)

    def to_dict(self) -> dict[str, Any]:
        """``{"targets": [{"target", "paths", "reason", "nearest"}, ...]}``, one entry per target, whatever their number."""
        return {"targets": [t.to_dict() for t in self.by_target]}

    def _table(self) -> list[dict[str, Any]]:
        return [row for t in self.by_target for row in t._table()]

    def _summary(self) -> list[str]:
        return [line for t in self.by_target for line in t._summary()]

    def describe(self) -> str:
        """Every target's paths in words: :meth:`lines` joined."""
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Every target's paths in words, one line each (a heading line per target when there are several)."""
        if len(self.by_target) == 1:
            return self.by_target[0].lines()
        out = []
        for t in self.by_target:
            out.append(f"To {t.name_of(t.target)}:")
            out += ["  " + line for line in t.lines()]
        return out

    def display_names(self) -> Mapping[str, str]:
        return {pid: name for t in self.by_target for pid, name in t.display_names().items()}

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """Every target's paths as chains of names with the chance of each introduction; see :func:`stakegraph.viz.plots.plot_paths`."""
        from ..viz.plots import plot_paths

        return plot_paths(self, ax, **kw)


# ----------------------------------------------------------------------------- words
def _stance_in_words(g: "StakeholderGraph", c: "CompiledGraph", pid: str) -> str:
    word = stance_word(g.person(pid).stance, float(c.support[c.index[pid]]))
    return "stance unknown" if word == "unknown" else word


def _with_gatekeeper(g: "StakeholderGraph", pid: str) -> str:
    """The person in words, noting the gatekeeper role: 'Wang Li (CFO, gatekeeper)'."""
    p = g.person(pid)
    return who(p, note="gatekeeper" if Role.GATEKEEPER in p.roles else "")


def first_step(g: "StakeholderGraph", c: "CompiledGraph", people: Sequence[str]) -> str:
    """The first introduction of a path, in words."""
    s = g.person(people[0])
    if len(people) == 1:
        if c.side("us")[c.index[s.id]]:
            return f"{_with_gatekeeper(g, s.id)} is on our team"
        rel = c.relationship[c.index[s.id]]
        return f"talk to {_with_gatekeeper(g, s.id)} directly (relationship {rel:.2f})"
    nxt = _with_gatekeeper(g, people[1])
    if s.org.value == "us":
        return f"ask your colleague {s.label} to introduce you to {nxt}"
    return f"ask {s.label} ({_stance_in_words(g, c, s.id)}) to introduce you to {nxt}"


def make_path(
    g: "StakeholderGraph", c: "CompiledGraph", rows: Sequence[int], through_hostile: str
) -> IntroPath:
    """An :class:`IntroPath` from the rows of a path (starting person first)."""
    f = pass_factor(c, through_hostile)
    cls = stance_class(c)
    start = float(start_probability(c)[rows[0]])
    hop = []
    for a, b in zip(rows[:-1], rows[1:]):
        hop.append(float(c.contacts[a, b]) * float(f[a]))
    prob = start * math.prod(hop)
    ids = tuple(c.ids[r] for r in rows)
    steps: list[tuple[float, tuple[str, str]]] = []
    owner = g.person(ids[0]).owner
    if not c.side("us")[rows[0]] and owner and owner in g and owner != ids[0]:
        steps.append((start, (owner, ids[0])))
    steps += [(h, (ids[i], ids[i + 1])) for i, h in enumerate(hop)]
    weakest = min(steps, key=lambda s_: s_[0])[1] if steps else None
    introducers = rows[:-1]
    gate = tuple(c.ids[r] for r in rows if Role.GATEKEEPER in g.person(c.ids[r]).roles)
    return IntroPath(
        people=ids,
        probability=prob,
        start_probability=start,
        hop_probabilities=tuple(hop),
        weakest_link=weakest,
        first_step=first_step(g, c, ids),
        gatekeepers=gate,
        skeptics=tuple(c.ids[r] for r in introducers if cls[r] == 1),
        hostiles=tuple(c.ids[r] for r in introducers if cls[r] == 2),
    )


# ----------------------------------------------------------------------------- k best
class _Tree:
    """The reverse shortest-path tree to one target: best cost and next hop of every row, in DFS order."""

    def __init__(self, c: "CompiledGraph", through_hostile: str, t: int) -> None:
        A = intro_graph(c, through_hostile)[0]
        AT = c.cached(_REVERSE, lambda: sp.csr_array(A.T), through_hostile)
        N = c.n + 1
        dist, self.nxt = shortest_from(AT, t)
        self.dist = dist
        child = np.flatnonzero(np.isfinite(dist) & (self.nxt >= 0))
        tree = sp.csr_array((np.ones(len(child)), (self.nxt[child], child)), shape=(N, N))
        self.order = depth_first_order(tree, t, directed=True, return_predecessors=False).astype(np.int64)
        self.pos = np.full(N, -1, dtype=np.int64)
        self.pos[self.order] = np.arange(len(self.order))
        # subtree sizes, level by level from the deepest
        levels = [np.array([t])]
        while True:
            kids = tree[levels[-1]].indices
            if not len(kids):
                break
            levels.append(kids)
        self.size = np.zeros(N, dtype=np.int64)
        self.size[self.order] = 1
        for lv in reversed(levels[1:]):
            np.add.at(self.size, self.nxt[lv], self.size[lv])
        self.t = t
        self.unreach = ~np.isfinite(dist)
        # scratch arrays for the detour searches, restored after each use
        self.local = np.full(N, -1, dtype=np.int64)
        self.gone = self.unreach.copy()

    def subtrees(self, roots: Sequence[int]) -> np.ndarray:
        """Rows in the subtrees of ``roots`` (each row once), from contiguous DFS ranges."""
        spans = sorted((int(self.pos[r]), int(self.pos[r] + self.size[r])) for r in roots)
        parts = []
        end = -1
        for a, b in spans:
            if a >= end:
                parts.append(self.order[a:b])
                end = b
            elif b > end:
                parts.append(self.order[end:b])
                end = b
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def route(self, u: int) -> list[int]:
        """Rows of the best route from ``u`` to the target (``u`` first)."""
        out = [u]
        while out[-1] != self.t:
            out.append(int(self.nxt[out[-1]]))
        return out


def _spur(
    A: sp.csr_array, tree: _Tree, v: int, removed: Sequence[int], banned: Sequence[int], limit: float
) -> tuple[float, list[int]] | None:
    """Best path from ``v`` to the target avoiding ``removed`` people and the edges ``v -> banned``.

    Only the people whose best route to the target passes through a removed
    person or ``v`` ("dirty": the subtrees of those rows in the reverse tree)
    need a search; every other person keeps their best route. So one Dijkstra
    run among the dirty people gives the cost to reach each of them, and the
    detour leaves them at the best exit: a tie to a clean neighbour plus that
    neighbour's best route.
    """
    if tree.pos[v] < 0:
        return None
    D = tree.subtrees([*removed, v])
    local, gone = tree.local, tree.gone
    removed = list(removed)
    local[D] = np.arange(len(D))
    gone[removed] = True
    try:
        return _search(A, tree, v, D, banned, limit)
    finally:
        local[D] = -1
        gone[removed] = tree.unreach[removed]


def _search(
    A: sp.csr_array, tree: _Tree, v: int, D: np.ndarray, banned: Sequence[int], limit: float
) -> tuple[float, list[int]] | None:
    local, gone = tree.local, tree.gone
    sub = A[D]
    counts = np.diff(sub.indptr)
    r = np.repeat(np.arange(len(D)), counts)
    col = sub.indices.astype(np.int64)
    keep = ~gone[col]
    if len(banned):
        lo, hi = sub.indptr[local[v]], sub.indptr[local[v] + 1]
        keep[lo:hi] &= ~np.isin(col[lo:hi], np.asarray(banned, dtype=np.int64))
    lc = local[col]
    inner = keep & (lc >= 0)
    exit_ = keep & (lc < 0)
    # Dijkstra among the dirty people (rows of ``sub`` stay grouped, so no re-sorting)
    indptr = np.zeros(len(D) + 1, dtype=np.int64)
    np.cumsum(np.bincount(r[inner], minlength=len(D)), out=indptr[1:])
    M = sp.csr_array((sub.data[inner], lc[inner], indptr), shape=(len(D), len(D)))
    dist, pred = shortest_from(M, int(local[v]), limit=limit)
    # best exit: cost to a dirty person + tie to a clean neighbour + its best route
    exit_ &= np.isfinite(dist)[r]
    er, ec = r[exit_], col[exit_]
    if not len(er):
        return None
    total = dist[er] + sub.data[exit_] + tree.dist[ec]
    j = int(np.argmin(total))
    if not np.isfinite(total[j]):
        return None
    x = int(er[j])
    prefix = [x]
    while prefix[-1] != local[v]:
        prefix.append(int(pred[prefix[-1]]))
    rows = [int(D[i]) for i in reversed(prefix)]
    return float(total[j]), rows + tree.route(int(ec[j]))


def _k_best(c: "CompiledGraph", through_hostile: str, t: int, k: int) -> list[list[int]]:
    """The ``k`` best simple paths to row ``t`` that are not dominated (rows, virtual source stripped).

    Yen's algorithm enumerates simple paths by cost; a path is *dominated*
    when it passes through someone we can start from directly at least as well
    as the path reaches them (the rest of the path, started there, is better),
    and is skipped, though it still seeds later detours.
    """
    import heapq

    n = c.n
    A = intro_graph(c, through_hostile)[0]
    fwd, pred = _forward(c, through_hostile)
    if not np.isfinite(fwd[t]):
        return []
    tree = _Tree(c, through_hostile, t)
    direct = np.full(n + 1, np.inf)
    lo, hi = A.indptr[n], A.indptr[n + 1]
    direct[A.indices[lo:hi]] = A.data[lo:hi]

    def edge(a: int, b: int) -> float:
        lo, hi = A.indptr[a], A.indptr[a + 1]
        j = lo + int(np.flatnonzero(A.indices[lo:hi] == b)[0])
        return float(A.data[j])

    def costs(P: list[int]) -> list[float]:
        out = [0.0]
        for a, b in zip(P[:-1], P[1:]):
            out.append(out[-1] + edge(a, b))
        return out

    def dominated(P: list[int], cost: list[float]) -> bool:
        return any(direct[P[i]] <= cost[i] for i in range(2, len(P) - 1))

    first = [n] + route_to(pred, n, t)
    found = [first]
    kept = [first]  # the best path is never dominated: its tail would be better still
    seen = {tuple(first)}
    heap: list[tuple[float, int, bool, list[int]]] = []  # (cost, tick, dominated, path)
    tick = 0
    budget = 20 * k + 100  # paths enumerated at most
    while len(kept) < k and len(found) < budget:
        P = found[-1]
        root_cost = costs(P)
        need = k - len(kept)
        for i in range(len(P) - 1):
            root = P[: i + 1]
            banned = [q[i + 1] for q in found if len(q) > i + 1 and q[: i + 1] == root]
            limit = np.inf
            good = [h[0] for h in heap if not h[2]]
            if len(good) >= need:
                bound = heapq.nsmallest(need, good)[-1]
                limit = max(bound - root_cost[i], 0.0) * (1 + 1e-12) + 1e-15
            res = _spur(A, tree, P[i], P[:i], banned, limit)
            if res is None:
                continue
            path = root[:-1] + res[1]
            key = tuple(path)
            if key in seen:
                continue
            seen.add(key)
            tick += 1
            total = root_cost[i] + res[0]
            heapq.heappush(heap, (total, tick, dominated(path, costs(path)), path))
        if not heap:
            break
        _, _, dom, best = heapq.heappop(heap)
        found.append(best)
        if not dom:
            kept.append(best)
    return [p[1:] for p in kept]


def _disjoint(c: "CompiledGraph", through_hostile: str, t: int, k: int) -> list[list[int]]:
    """Up to ``k`` paths to ``t`` sharing no one but the target: the best, then the best avoiding it, ..."""
    n = c.n
    A, rows, cols, cost = intro_graph(c, through_hostile)
    used = np.zeros(n + 1, dtype=bool)
    direct_used = False
    out: list[list[int]] = []
    for _ in range(k):
        keep = ~used[rows] & ~used[cols]
        if direct_used:
            keep &= ~((rows == n) & (cols == t))
        M = sp.csr_array((cost[keep], (rows[keep], cols[keep])), shape=(n + 1, n + 1))
        dist, pred = shortest_from(M, n)
        if not np.isfinite(dist[t]):
            break
        p = route_to(pred, n, t)
        out.append(p)
        if len(p) == 1:
            direct_used = True
        used[p[:-1]] = True
    return out


def _why_not(
    g: "StakeholderGraph", c: "CompiledGraph", t: int, through_hostile: str
) -> tuple[str, str | None]:
    """Reason no path reaches ``t``, and the reachable person nearest to it."""
    name = _with_gatekeeper(g, c.ids[t])
    start = start_probability(c)
    if not (start > 0).any():
        reason = (
            "nobody to start from: no one of our team (org 'us') and no customer person with a relationship"
        )
    else:
        prob_allow, pred_allow = best_routes(c, "allow")
        if prob_allow[t] > 0:
            route = route_to(pred_allow, c.n, t)
            f = pass_factor(c, through_hostile)
            blockers = [c.ids[r] for r in route[:-1] if f[r] == 0]
            who = ", ".join(_with_gatekeeper(g, b) for b in blockers)
            reason = (
                f"every route to {name} passes through someone who blocks introductions "
                f"(hostile or a competitor: {who} on the best route)"
            )
        else:
            reason = f"{name} is unreachable: no chain of ties joins our team or our contacts to them"
    prob = best_routes(c, through_hostile)[0]
    hops = shortest_from(c.contacts, t, directed=False, unweighted=True)[0]
    cand = np.flatnonzero((prob > 0) & np.isfinite(hops))
    cand = cand[cand != t]
    nearest = None
    if len(cand):
        best = cand[np.lexsort((-prob[cand], hops[cand]))[0]]
        nearest = c.ids[int(best)]
    return reason, nearest


@overload
def paths(
    g: "StakeholderGraph",
    target: str | Sequence[str] | None = None,
    *,
    k: int = 3,
    disjoint: bool = False,
    through_hostile: HostilePolicy = "block",
    influence: InfluenceModel | None = None,
    samples: int = 200,
    seed: int | np.random.Generator | None = None,
) -> Paths: ...


@overload
def paths(
    g: Beliefs,
    target: str | Sequence[str] | None = None,
    *,
    k: int = 3,
    disjoint: bool = False,
    through_hostile: HostilePolicy = "block",
    influence: InfluenceModel | None = None,
    samples: int = 200,
    seed: int | np.random.Generator | None = None,
) -> PathSpread: ...


# ----------------------------------------------------------------------------- public
def paths(
    g: "StakeholderGraph | Beliefs",
    target: str | Sequence[str] | None = None,
    *,
    k: int = 3,
    disjoint: bool = False,
    through_hostile: HostilePolicy = "block",
    influence: InfluenceModel | None = None,
    samples: int = 200,
    seed: int | np.random.Generator | None = None,
) -> Paths | PathSpread:
    """The most probable chains of introductions to the decision-maker (or ``target``).

    Parameters
    ----------
    g : StakeholderGraph or Beliefs
        A graph; or the :class:`~stakegraph.Beliefs` :func:`~stakegraph.fuse` returns, and the
        analysis runs over ``samples`` accounts drawn from them (with ``seed``) and returns
        their spread: :class:`~stakegraph.PathSpread` (see
        :func:`~stakegraph.analysis.uncertain.path_spread`).
    samples : int, default 200
        Accounts drawn when ``g`` is a :class:`~stakegraph.Beliefs`.
    target : str or list of str, optional
        The person (or people) to reach. Default: every decision-maker of the
        customer (one set of paths each).
    k : int, default 3
        Number of paths per target.
    disjoint : bool, default False
        If True, paths share no one but the target, so losing one contact does
        not cut every route: the most probable path, then the most probable one
        avoiding everyone on the first, and so on (fewer than ``k`` when the
        graph has no more such routes).
    through_hostile : {"block", "penalise", "allow"}, default "block"
        What a hostile introducer does to a path: blocks it, multiplies it by
        ``InfluenceModel.hostile_factor``, or nothing.

    influence : InfluenceModel, optional
        How ties carry influence and how skeptics and hostile people pass an introduction on
        (default: the graph's model).
    Returns
    -------
    Paths
        One :class:`TargetPaths` per target, each path an :class:`IntroPath`
        with its probability, hops, weakest link and first step in words. When
        no path exists the list is empty and ``reason`` says why (nobody to
        start from, the target unreachable, or every route through someone who
        blocks it); ``nearest`` names the reachable person nearest to the target.

    Raises
    ------
    UnknownPersonError
        If a target is not in the graph.
    ValidationError
        For a bad parameter, or when no target is given and the graph has no
        decision-maker.

    Notes
    -----
    A path's probability is ``start x prod(strength of each hop) x prod(stance
    factor of each introducer)``; see the module documentation for who can
    start a path and the stance factors. The best route comes from one Dijkstra
    run on ``-log`` probabilities; the ``k`` best simple paths come from Yen's
    algorithm, each detour searched only among the people whose best route to
    the target it cuts. Paths through someone we can start from directly at
    least as well are skipped (their tail is better); the enumeration stops
    after ``20 k + 100`` paths, so a graph where nearly every path is skipped
    this way can return fewer than ``k``. Among equally probable paths, fewer
    introductions come first.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("me", name="Ana", org="us")
    >>> g.add_person("chen", name="Chen Yu", title="IT architect", stance="ally", relationship=0.9)
    >>> g.add_person("zhou", name="Zhou Min", title="COO", stance="skeptic")
    >>> g.add_person("wang", name="Wang Li", title="CFO", roles=["decision_maker"])
    >>> g.add_tie("me", "chen", "knows", 0.8)
    >>> g.add_tie("chen", "wang", "advises", 0.7)
    >>> g.add_tie("chen", "zhou", "friend", 0.9)
    >>> g.add_tie("zhou", "wang", "reports_to", 1.0)
    >>> r = sg.paths(g, k=2)
    >>> for p in r.paths:
    ...     print(p.people, round(p.probability, 3), p.weakest_link)
    ('chen', 'wang') 0.63 ('chen', 'wang')
    ('chen', 'zhou', 'wang') 0.405 ('zhou', 'wang')
    >>> r.paths[0].first_step
    'ask Chen Yu (ally) to introduce you to Wang Li (CFO)'
    >>> r.to_dict()["targets"][0]["paths"][0]
    {'people': ['chen', 'wang'], 'probability': 0.63, 'weakest_link': ['chen', 'wang']}
    """
    if isinstance(g, Beliefs):
        from .uncertain import path_spread

        return path_spread(
            g,
            target,
            samples=samples,
            seed=seed,
            k=k,
            disjoint=disjoint,
            through_hostile=through_hostile,
            influence=influence,
        )
    func = "paths"
    check_graph(g, func)
    k = check_int(k, "k", func, low=1)
    disjoint = check_bool(disjoint, "disjoint", func)
    through_hostile = check_choice(through_hostile, "through_hostile", func, POLICIES)  # type: ignore[assignment]
    targets = _resolve_targets(g, target, func)
    c = g.compiled(check_influence(influence, func))
    out = []
    for tid in targets:
        t = c.index[tid]
        rows = _disjoint(c, through_hostile, t, k) if disjoint else _k_best(c, through_hostile, t, k)
        found = [make_path(g, c, r, through_hostile) for r in rows]
        found.sort(key=lambda p: -p.probability)
        reason = nearest = None
        if not found:
            reason, nearest = _why_not(g, c, t, through_hostile)
        named = {tid, *(x for p in found for x in p.people)} | ({nearest} if nearest else set())
        labels = {x: g.person(x).label for x in named}
        out.append(TargetPaths(target=tid, paths=tuple(found), reason=reason, nearest=nearest, labels=labels))
    return Paths(by_target=tuple(out), k=k, disjoint=disjoint, through_hostile=through_hostile)
