"""The hidden structure: coalitions, brokers, and where the informal chart departs from the formal one.

``coalitions``
    Communities of the informal layer among customer people, found by
    networkx's Louvain method (``networkx.community.louvain_communities``)
    with ``seed`` and ``resolution``, or from :data:`LEIDEN_MIN` customer
    people on, when igraph is installed (extra ``fast``), by igraph's Leiden
    method on the same modularity: Louvain with a refinement step that keeps
    every coalition connected, higher modularity, and at 10^5 people about
    twenty times faster than networkx (``method=`` chooses). The modularity
    reported is computed here for either. The layer is made undirected first: a
    pair is linked when either influences the other (``advises``,
    ``influences``, ``friend``), with weight = the sum of the strengths both
    ways (a friendship, held both ways, counts twice). People with no informal
    tie form coalitions of their own. Each coalition names its members (most
    influential first), its most influential member (by the ``influence``
    score of :func:`~stakegraph.rank`) and its mean support over the members
    whose stance is known (unknown stances are left out, never counted as 0).
``brokers``
    People whose informal ties reach into at least two coalitions (their own
    counts) and of whose informal tie strength at least ``broker_share``
    (default 0.25) links them to other coalitions: each brokers every pair of
    the coalitions they touch. Listed by the number of pairs, then by the
    strength of their ties outside their own coalition.
``bypasses``
    Two ways the informal structure goes around the formal one, read on the
    influence layer (every tie weighed by the
    :class:`~stakegraph.influence.InfluenceModel`, the formal tie included):
    ``kind="report"``, a person whose strongest influence comes from someone
    outside their reporting line (the line being their manager, everyone above,
    and their own direct reports, so a chief who asks a specialist three levels
    down counts, while listening to a direct report does not);
    ``kind="manager"``, a manager whose direct reports, taken together, give
    someone else more weight than they give the manager.
Summary (after Krackhardt)
    ``chart_correlation``: Spearman's rank correlation between seniority
    (minus the level; 0 = top of the chart) and informal influence: near 1
    when the chart predicts who is listened to, near 0 or below when it does
    not (nan when either is constant). ``cross_department_share``: the share
    of linked pairs (as above) between people of different departments, among
    pairs where both have a department (nan when there is none).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp

from .._compat import old_spellings
from ..errors import UnknownPersonError, ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.checks import check_choice, check_float, check_int, check_seed
from ..method.words import finite_or_none
from ..model import check_graph
from ..results import Result, Roster
from .rank import customer_rows, influence_scores, reporting_lines

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph

__all__ = ["Broker", "Bypass", "Coalition", "HiddenStructure", "structure"]


@dataclass(frozen=True)
class Coalition:
    """One community of the informal layer.

    Attributes
    ----------
    number : int
        1 for the largest coalition (ties: the more influential leader first).
    members : tuple of str
        Most influential first.
    leader : str
        The most influential member.
    mean_support : float
        Mean support over members whose stance is known (nan when none is).
    known : int
        How many members have a known stance.
    departments : tuple of (str, int)
        Departments of the members with their counts, largest first (people
        without a department are left out).
    """

    number: int
    members: tuple[str, ...]
    leader: str
    mean_support: float
    known: int
    departments: tuple[tuple[str, int], ...]

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (nan support as None)."""
        return {
            "number": self.number,
            "size": self.size,
            "leader": self.leader,
            "members": list(self.members),
            "mean_support": finite_or_none(self.mean_support),
            "known": self.known,
            "departments": dict(self.departments),
        }


@dataclass(frozen=True)
class Broker:
    """A person whose informal ties reach into several coalitions.

    Attributes
    ----------
    id : str
    coalition : int
        Their own coalition.
    coalitions : tuple of int
        Every coalition they touch (their own included), ascending.
    pairs : tuple of (int, int)
        The pairs of coalitions they connect.
    outside_strength : float
        Sum of their informal tie strengths (both ways) to people outside
        their own coalition.
    outside_share : float
        That sum over the sum of all their informal tie strengths.
    """

    id: str
    coalition: int
    coalitions: tuple[int, ...]
    pairs: tuple[tuple[int, int], ...]
    outside_strength: float
    outside_share: float

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "id": self.id,
            "coalition": self.coalition,
            "coalitions": list(self.coalitions),
            "pairs": [list(p) for p in self.pairs],
            "outside_strength": self.outside_strength,
            "outside_share": self.outside_share,
        }


@dataclass(frozen=True)
class Bypass:
    """Where the informal structure goes around the formal one.

    Attributes
    ----------
    kind : {"report", "manager"}
        ``"report"``: ``id`` listens most to ``listens_to``, who is outside
        their reporting line (their managers up to the top and their direct
        reports). ``"manager"``: the direct reports of manager
        ``id`` together give ``listens_to`` more weight than they give ``id``.
    id : str
        The person (``report``) or the manager (``manager``).
    manager : str
        The person's manager (``report``) or ``id`` itself (``manager``).
    listens_to : str
        Who is listened to instead.
    weight : float
        The weight given to ``listens_to`` (summed over the reports for ``manager``).
    line_weight : float
        The largest weight given to anyone in the reporting line
        (``report``), or the reports' total weight on the manager (``manager``).
    reports : tuple of str
        For ``manager``: the reports who give ``listens_to`` more weight than
        the manager. Empty for ``report``.
    """

    kind: Literal["report", "manager"]
    id: str
    manager: str
    listens_to: str
    weight: float
    line_weight: float
    reports: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "kind": self.kind,
            "id": self.id,
            "manager": self.manager,
            "listens_to": self.listens_to,
            "weight": self.weight,
            "line_weight": self.line_weight,
            "reports": list(self.reports),
        }

    def sentence(self) -> str:
        """The bypass in words."""
        if self.kind == "report":
            return (
                f"{self.id} listens most to {self.listens_to} (weight {self.weight:.2f}), outside their "
                f"reporting line (manager {self.manager}, strongest line weight {self.line_weight:.2f})"
            )
        who = ", ".join(self.reports)
        return (
            f"the reports of {self.id} give {self.listens_to} more weight ({self.weight:.2f}) than their "
            f"manager ({self.line_weight:.2f}): {who}"
        )


@dataclass(frozen=True, eq=False, repr=False)
class HiddenStructure(Result):
    """Coalitions, brokers and bypasses of the informal structure, with a formal-vs-informal summary.

    Attributes
    ----------
    coalitions : tuple of Coalition
        Largest first; every customer person is in exactly one.
    brokers : tuple of Broker
    bypasses : tuple of Bypass
        ``report`` bypasses first, then ``manager`` ones, each by decreasing margin
        (``weight - line_weight``), then by id.
    chart_correlation : float
        Spearman correlation of seniority with informal influence (nan when undefined).
    cross_department_share : float
        Share of informal links between departments (nan when undefined).
    modularity : float
        Modularity of the coalitions on the undirected informal layer.
    informal_links : int
        Pairs of customer people linked by an informal tie.
    resolution : float
    ids : tuple of str
        Customer people in the graph's order.
    coalition_of : tuple of int
        Each person's coalition number, aligned with ``ids``.
    influence : tuple of float
        Each person's influence score, aligned with ``ids``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> for p in ["a1", "a2", "b1", "b2"]: g.add_person(p)
    >>> g.add_tie("a1", "a2", "friend"); g.add_tie("b1", "b2", "friend"); g.add_tie("a2", "b1", "advises", 0.2)
    >>> h = sg.structure(g)
    >>> [c.members for c in h.coalitions], h.coalition("b2").number
    ([('a2', 'a1'), ('b1', 'b2')], 2)
    >>> h.to_dict()["summary"]["informal_links"]
    3
    """

    coalitions: tuple[Coalition, ...]
    brokers: tuple[Broker, ...]
    bypasses: tuple[Bypass, ...]
    chart_correlation: float
    cross_department_share: float
    modularity: float
    informal_links: int
    resolution: float
    ids: tuple[str, ...]
    coalition_of: tuple[int, ...]
    influence: tuple[float, ...]
    roster: Roster | None = field(default=None, repr=False, compare=False)
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    _title = "Hidden structure"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HiddenStructure):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<HiddenStructure: {len(self.ids)} customer people, {len(self.coalitions)} coalitions, "
            f"{len(self.brokers)} brokers, {len(self.bypasses)} bypasses>"
        )

    def coalition(self, person_id: str) -> Coalition:
        """The coalition of ``person_id``."""
        k = self._position.get(person_id)
        if k is None:
            raise UnknownPersonError(person_id, self.ids)
        return self.coalitions[self.coalition_of[k] - 1]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {pid: k for k, pid in enumerate(self.ids)}

    def to_dict(self) -> dict[str, Any]:
        """``{"coalitions", "brokers", "bypasses", "summary", "people"}`` (plain JSON values)."""
        return {
            "coalitions": [c.to_dict() for c in self.coalitions],
            "brokers": [b.to_dict() for b in self.brokers],
            "bypasses": [b.to_dict() for b in self.bypasses],
            "summary": {
                "chart_correlation": finite_or_none(self.chart_correlation),
                "cross_department_share": finite_or_none(self.cross_department_share),
                "modularity": finite_or_none(self.modularity),
                "coalitions": len(self.coalitions),
                "informal_links": self.informal_links,
                "resolution": self.resolution,
            },
            "people": self._table(),
        }

    def _table(self) -> list[dict[str, Any]]:
        broker = {b.id for b in self.brokers}
        leaders = {c.leader for c in self.coalitions}
        bypass = {b.id for b in self.bypasses if b.kind == "report"}
        bypassed = {b.id for b in self.bypasses if b.kind == "manager"}
        own = {
            pid: {
                "coalition": k,
                "influence": x,
                "leader": pid in leaders,
                "broker": pid in broker,
                "bypasses_line": pid in bypass,
                "bypassed_manager": pid in bypassed,
            }
            for pid, k, x in zip(self.ids, self.coalition_of, self.influence)
        }
        columns = ("coalition", "influence", "leader", "broker", "bypasses_line", "bypassed_manager")
        if self.roster is None:
            return [{"id": pid, **row} for pid, row in own.items()]
        return self.roster.rows(own, columns)

    def _summary(self) -> list[str]:
        return self.describe().split("\n")

    def describe(self) -> str:
        """The structure in a few plain sentences."""
        lines = []
        big = [c for c in self.coalitions if c.size > 1]
        alone = len(self.coalitions) - len(big)
        text = f"{len(big)} coalition{'s' if len(big) != 1 else ''} of two or more people"
        if alone:
            text += f" and {alone} {'person' if alone == 1 else 'people'} with no informal tie to the others"
        lines.append(
            text + (f" (modularity {self.modularity:.2f})." if not math.isnan(self.modularity) else ".")
        )
        for c in big[:5]:
            lines.append(
                f"Coalition {c.number}: {c.size} people led by {c.leader}, "
                + _support_words(c)
                + (f", mostly {c.departments[0][0]}" if c.departments else "")
                + "."
            )
        if self.brokers:
            shown = ", ".join(f"{b.id} ({_pairs_words(b.pairs[:3])})" for b in self.brokers[:3])
            lines.append(
                f"{len(self.brokers)} broker{'s' if len(self.brokers) != 1 else ''} between coalitions; "
                f"chief among them {shown}."
            )
        reports = [b for b in self.bypasses if b.kind == "report"]
        managers = [b for b in self.bypasses if b.kind == "manager"]
        if reports:
            lines.append(
                f"{len(reports)} {'person listens' if len(reports) == 1 else 'people listen'} most to "
                f"someone outside their reporting line, e.g. {reports[0].sentence()}."
            )
        if managers:
            lines.append(
                f"{len(managers)} manager{'s are' if len(managers) != 1 else ' is'} bypassed by their own "
                f"team, e.g. {managers[0].sentence()}."
            )
        if not math.isnan(self.chart_correlation):
            r = self.chart_correlation
            verdict = (
                "the chart predicts well who is listened to"
                if r >= 0.6
                else "the chart predicts only in part who is listened to"
                if r >= 0.3
                else "the chart says little about who is listened to"
            )
            lines.append(f"Seniority vs informal influence: Spearman {r:.2f}, {verdict}.")
        if not math.isnan(self.cross_department_share):
            lines.append(f"{self.cross_department_share:.0%} of informal links cross departments.")
        return "\n".join(lines)

    def explain(self, person_id: str) -> str:
        """Where ``person_id`` stands in the hidden structure, in words.

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> for p in ["boss", "a", "b"]: g.add_person(p)
        >>> g.add_tie("a", "boss", "reports_to"); g.add_tie("b", "boss", "reports_to")
        >>> g.add_tie("b", "a", "advises")
        >>> print(sg.structure(g).explain("a"))
        a is in coalition 1 (2 people, led by b; no known stance).
        a listens most to b (weight 1.00), outside their reporting line (manager boss, strongest line weight 0.80).
        """
        c = self.coalition(person_id)
        others = (
            "alone, with no informal tie to the others"
            if c.size == 1
            else f"{c.size} people, led by {c.leader}; {_support_words(c)}"
        )
        lines = [f"{person_id} is in coalition {c.number} ({others})."]
        for b in self.brokers:
            if b.id == person_id:
                lines.append(
                    f"{person_id} connects coalitions {_pairs_words(b.pairs)} "
                    f"(tie strength {b.outside_strength:.2f} outside their own)."
                )
        for y in self.bypasses:
            if y.id == person_id and y.kind == "report":
                lines.append(y.sentence() + ".")
            elif y.id == person_id:
                lines.append(
                    f"Their team listens to {y.listens_to} more than to them "
                    f"({y.weight:.2f} against {y.line_weight:.2f}): {', '.join(y.reports)}."
                )
            elif y.listens_to == person_id:
                lines.append(
                    f"{y.id if y.kind == 'report' else 'The reports of ' + y.id} "
                    f"{'listens' if y.kind == 'report' else 'listen'} to them more than to "
                    f"{'their reporting line' if y.kind == 'report' else y.id}."
                )
        return "\n".join(lines)

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """The coalitions by size and support, leaders and brokers by name; see
        :func:`stakegraph.viz.plots.plot_structure`."""
        from ..viz.plots import plot_structure

        return plot_structure(self, ax, **kw)


def _support_words(c: Coalition) -> str:
    if c.known == 0:
        return "no known stance"
    return f"mean support {c.mean_support:+.2f} over {c.known} known stance{'s' if c.known != 1 else ''}"


def _pairs_words(pairs: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{a}–{b}" for a, b in pairs)


# ----------------------------------------------------------------------------- the analysis
@old_spellings(renamed={"model": "influence"})
def structure(
    g: "StakeholderGraph",
    *,
    resolution: float = 1.0,
    broker_share: float = 0.25,
    seed: int | np.random.Generator | None = None,
    damping: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    influence: InfluenceModel | None = None,
    method: str = "auto",
) -> HiddenStructure:
    """The hidden structure: coalitions, brokers, bypasses and a formal-vs-informal summary.

    Parameters
    ----------
    g : StakeholderGraph
    resolution : float
        Louvain resolution (> 0): above 1 favours smaller coalitions.
    broker_share : float
        Share of a person's informal tie strength that must link them to
        other coalitions for them to count as a broker, in [0, 1].
    seed : int, numpy Generator or None
        Seeds Louvain (an int is passed to networkx as is; a Generator gives
        an int; None draws fresh randomness).
    damping : float, optional
        Damping of the influence score (default ``InfluenceModel.damping``).
    tol, max_iter : float, int
        Tolerance and budget of the influence-score iteration.
    influence : InfluenceModel, optional
        Read the graph under another influence model (default ``g.model``); formerly ``model``.
    method : {"auto", "networkx", "igraph"}
        Who runs Louvain: networkx's ``louvain_communities``, or igraph's
        ``community_multilevel`` (the same method, compiled; extra ``fast``).
        ``"auto"`` takes igraph from :data:`IGRAPH_MIN` customer people on
        when it is installed, networkx below (the same coalitions as
        networkx for the same seed).

    Returns
    -------
    HiddenStructure

    Raises
    ------
    ValidationError
        For a bad parameter, or ``method="igraph"`` without igraph installed.

    See Also
    --------
    rank : the key people, with the same ``influence`` score.

    Notes
    -----
    The module documentation (:mod:`stakegraph.analysis.structure`) defines
    each part. Louvain's result depends on the seed; the same seed gives the
    same coalitions.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
    communities in large networks. J. Stat. Mech. P10008.
    Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
    well-connected communities. Scientific Reports 9, 5233.
    Krackhardt, D. & Hanson, J. R. (1993). Informal networks: the company behind the chart.
    Harvard Business Review 71(4).

    Examples
    --------
    >>> import stakegraph as sg
    >>> h = sg.structure(sg.datasets.load("bank"), seed=0)
    >>> [(c.number, c.size, c.leader) for c in h.coalitions[:3]]
    [(1, 6, 'arch_lead'), (2, 6, 'ceo'), (3, 5, 'coo')]
    >>> [b.id for b in h.brokers[:3]]
    ['ceo', 'arch_lead', 'cio']
    >>> round(h.chart_correlation, 2), round(h.cross_department_share, 2)
    (0.33, 0.36)
    """
    func = "structure"
    check_graph(g, func)
    influence = check_influence(influence, func)
    resolution = check_float(resolution, "resolution", func, 0.0, math.inf)
    broker_share = check_float(broker_share, "broker_share", func, 0.0, 1.0, low_open=False, high_open=False)
    seed = check_seed(seed, func)
    tol = check_float(tol, "tol", func, 0.0, math.inf)
    max_iter = check_int(max_iter, "max_iter", func, low=1)
    method = check_choice(method, "method", func, ("auto", "louvain", "leiden"))
    if method == "leiden" and not igraph_available():
        raise ValidationError(
            "structure(method='leiden') needs igraph, which is not installed: pip install 'stakegraph[fast]', "
            "or use method='louvain'"
        )
    c = g.compiled(influence)
    damping = c.model.damping if damping is None else check_float(damping, "damping", func, 0.0, 1.0)

    cust = customer_rows(c)
    N = len(cust)
    ids = tuple(c.ids[i] for i in cust)
    listened, _ = influence_scores(c, damping=damping, tol=tol, max_iter=max_iter)

    # undirected informal layer among customer people
    I = sp.csr_array(c.informal[cust][:, cust])
    S = sp.csr_array(I + I.T)
    upper = sp.triu(S, k=1).tocoo()
    if method == "auto":
        method = "leiden" if N >= LEIDEN_MIN and igraph_available() else "louvain"
    comm = (_leiden if method == "leiden" else _louvain)(
        N, upper.row, upper.col, upper.data, resolution, seed
    )
    modularity = _modularity(N, upper.row, upper.col, upper.data, comm, resolution)

    # coalitions numbered by size, then by the leader's influence, then by the leader's id
    k = int(comm.max()) + 1 if N else 0
    order = np.lexsort((np.array(ids, dtype=str), -listened)) if N else np.zeros(0, dtype=np.int64)
    members: list[list[int]] = [[] for _ in range(k)]
    for r in order.tolist():
        members[comm[r]].append(r)
    ranked = sorted(range(k), key=lambda q: (-len(members[q]), -listened[members[q][0]], ids[members[q][0]]))
    number = np.empty(k, dtype=np.int64)
    number[ranked] = np.arange(1, k + 1)
    coal_of = number[comm] if N else np.zeros(0, dtype=np.int64)
    support = c.support[cust]
    dept = c.department[cust]
    coalitions = []
    for q in ranked:
        rows = members[q]
        s = support[rows]
        known = s[~np.isnan(s)]
        counts: dict[str, int] = {}
        for r in rows:
            name = c.departments[dept[r]]
            if name:
                counts[name] = counts.get(name, 0) + 1
        coalitions.append(
            Coalition(
                number=int(number[q]),
                members=tuple(ids[r] for r in rows),
                leader=ids[rows[0]],
                mean_support=float(known.mean()) if len(known) else math.nan,
                known=int(len(known)),
                departments=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )

    brokers = _brokers(S, coal_of, ids, broker_share)
    manager, _, _ = reporting_lines(g, c)
    bypasses = _bypasses(c, cust, manager)

    # Krackhardt-style summary
    chart = _spearman(-c.level[cust].astype(float), listened)
    du, dv = dept[upper.row], dept[upper.col]
    named = np.array([bool(d) for d in c.departments], dtype=bool)
    both = named[du] & named[dv] if len(du) else np.zeros(0, dtype=bool)
    cross = float(np.mean(du[both] != dv[both])) if both.any() else math.nan

    return HiddenStructure(
        coalitions=tuple(coalitions),
        brokers=brokers,
        bypasses=bypasses,
        chart_correlation=chart,
        cross_department_share=cross,
        modularity=modularity,
        informal_links=int(upper.nnz),
        resolution=resolution,
        ids=ids,
        coalition_of=tuple(int(x) for x in coal_of),
        influence=tuple(float(x) for x in listened),
        roster=Roster.of(g),
        names={pid: g.person(pid).label for pid in ids},
    )


def _nx_seed(seed: Any) -> int | None:
    """The seed handed to networkx: an int as is, an int drawn from a Generator, or None."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**31 - 1))
    return None if seed is None else int(seed)


LEIDEN_MIN = 2_000
"""From this many customer people on, ``structure(method="auto")`` runs Leiden (igraph) when installed."""


LEIDEN_ITERATIONS = 2
"""Passes of Leiden (igraph's default): on synthetic organisations of 10^4 and 10^5 people, 2 passes reach
a modularity within 2% of iterating until nothing changes, in a sixth of the time."""


def igraph_available() -> bool:
    """Whether igraph can be imported (extra ``fast``)."""
    import importlib.util

    return importlib.util.find_spec("igraph") is not None


def _louvain(
    n: int, rows: np.ndarray, cols: np.ndarray, w: np.ndarray, resolution: float, seed: Any
) -> np.ndarray:
    """Louvain communities (networkx) of an undirected weighted graph given by its upper-triangle arcs."""
    import networkx as nx

    comm = np.zeros(n, dtype=np.int64)
    if n == 0:
        return comm
    if len(w):
        # modularity is blind to a common scale of the weights; networkx is not to underflow
        # (it squares the total weight), so the strongest tie is made 1
        w = w / w.max()
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(rows.tolist(), cols.tolist(), w.tolist()))
    parts = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=_nx_seed(seed))
    for q, part in enumerate(parts):
        comm[list(part)] = q
    return comm


def _leiden(
    n: int, rows: np.ndarray, cols: np.ndarray, w: np.ndarray, resolution: float, seed: Any
) -> np.ndarray:
    """Leiden communities (igraph, on modularity, :data:`LEIDEN_ITERATIONS` passes) of the same graph; seeded
    through igraph's random number generator, which is put back afterwards."""
    import random

    import igraph

    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if len(w):
        w = w / w.max()
    G = igraph.Graph(n=n, directed=False)
    G.add_edges(np.column_stack((rows, cols)).astype(np.int64))  # from the array: no Python list of pairs
    G.es["weight"] = w
    igraph.set_random_number_generator(random.Random(_nx_seed(seed)))
    try:
        membership = G.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        ).membership
    finally:
        igraph.set_random_number_generator(random)
    return np.asarray(membership, dtype=np.int64)


def _modularity(
    n: int, rows: np.ndarray, cols: np.ndarray, w: np.ndarray, comm: np.ndarray, resolution: float
) -> float:
    """Newman's modularity of ``comm`` on the undirected graph of upper-triangle arcs ``rows < cols``:
    the sum over communities of (weight inside / m) - resolution * (strength / 2m)**2."""
    if n == 0:
        return math.nan
    if not len(w):
        return 0.0
    w = w / w.max()
    m = float(w.sum())
    k = int(comm.max()) + 1
    inside = np.bincount(comm[rows], weights=np.where(comm[rows] == comm[cols], w, 0.0), minlength=k)
    strength = np.bincount(comm[rows], weights=w, minlength=k) + np.bincount(
        comm[cols], weights=w, minlength=k
    )
    return float(inside.sum() / m - resolution * np.sum((strength / (2 * m)) ** 2))


def _brokers(S: sp.csr_array, coal_of: np.ndarray, ids: tuple[str, ...], share: float) -> tuple[Broker, ...]:
    coo = S.tocoo()
    i, j, w = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    if len(i) == 0:
        return ()
    n = len(ids)
    K = int(coal_of.max()) + 1
    # the coalitions each person touches, their own included: distinct (person, coalition) pairs
    touched = np.unique(np.concatenate((i * K + coal_of[j], np.arange(n) * K + coal_of)))
    ti, tc = touched // K, touched % K
    reach = np.bincount(ti, minlength=n)
    outside = np.bincount(i, weights=np.where(coal_of[i] != coal_of[j], w, 0.0), minlength=n)
    total = np.bincount(i, weights=w, minlength=n)
    frac = np.divide(outside, total, out=np.zeros(n), where=total > 0)
    chosen = np.flatnonzero((reach >= 2) & (frac >= share - 1e-12))
    starts = np.searchsorted(ti, chosen)
    out = []
    for a, lo in zip(chosen.tolist(), starts.tolist()):
        qs_sorted = tuple(tc[lo : lo + reach[a]].tolist())
        pairs = tuple((x, y) for k, x in enumerate(qs_sorted) for y in qs_sorted[k + 1 :])
        out.append(
            Broker(
                id=ids[a],
                coalition=int(coal_of[a]),
                coalitions=qs_sorted,
                pairs=pairs,
                outside_strength=float(outside[a]),
                outside_share=float(frac[a]),
            )
        )
    out.sort(key=lambda b: (-len(b.pairs), -b.outside_strength, b.id))
    return tuple(out)


def _bypasses(c: Any, cust: np.ndarray, manager: np.ndarray) -> tuple[Bypass, ...]:
    n = c.n
    A = sp.csr_array(c.influence, copy=True)
    A.data = np.where(A.data > 0, A.data, 0.0)
    A.eliminate_zeros()
    ids = c.ids
    out_reports: list[Bypass] = []
    is_cust = c.customer
    # -- people who listen most to someone outside their reporting line
    coo = A.tocoo()
    r, j, v = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    sel = is_cust[r] & (manager[r] >= 0)
    r, j, v = r[sel], j[sel], v[sel]
    in_line = manager[j] == r  # their own direct reports
    anc = manager[r].copy()
    for _ in range(n):
        live = anc >= 0
        if not live.any():
            break
        in_line |= live & (anc == j)
        anc = np.where(live, manager[np.maximum(anc, 0)], -1)
    if len(r):
        best_line = np.zeros(n)
        np.maximum.at(best_line, r[in_line], v[in_line])
        best_out = np.zeros(n)
        np.maximum.at(best_out, r[~in_line], v[~in_line])
        # the strongest outside influence, ties broken by the smaller id
        cand = ~in_line & (v >= best_out[r]) & (best_out[r] > best_line[r] + 1e-12)
        chosen: dict[int, int] = {}
        for k in np.flatnonzero(cand).tolist():
            a, b = int(r[k]), int(j[k])
            if a not in chosen or ids[b] < ids[chosen[a]]:
                chosen[a] = b
        for a, b in chosen.items():
            out_reports.append(
                Bypass(
                    "report", ids[a], ids[int(manager[a])], ids[b], float(best_out[a]), float(best_line[a])
                )
            )
    out_reports.sort(key=lambda x: (-(x.weight - x.line_weight), x.id))

    # -- managers whose reports, together, listen to someone else more
    rep = np.flatnonzero(is_cust & (manager >= 0))
    out_managers: list[Bypass] = []
    if len(rep):
        R = sp.csr_array((np.ones(len(rep)), (manager[rep], rep)), shape=(n, n))
        T = sp.csr_array(R @ A).tocoo()  # T[m, x] = sum over m's reports of the weight they give x
        own = np.zeros(n)
        mine = T.row == T.col
        own[T.row[mine]] = T.data[mine]
        other = ~mine & (T.data > own[T.row] + 1e-12)
        best: dict[int, tuple[float, int]] = {}
        for m, x, val in zip(T.row[other].tolist(), T.col[other].tolist(), T.data[other].tolist()):
            cur = best.get(m)
            if cur is None or val > cur[0] + 1e-12 or (abs(val - cur[0]) <= 1e-12 and ids[x] < ids[cur[1]]):
                best[m] = (val, x)
        if best:
            ms = np.array(list(best), dtype=np.int64)
            xs = np.array([best[m][1] for m in best.keys()], dtype=np.int64)
            target = np.full(n, -1, dtype=np.int64)
            target[ms] = xs
            team = rep[target[manager[rep]] >= 0]
            tm = manager[team]
            tx = target[tm]
            gives_x = _lookup(A, team, tx)
            gives_m = _lookup(A, team, tm)
            turned: dict[int, list[str]] = {}
            for t, m, a, b in zip(team.tolist(), tm.tolist(), gives_x.tolist(), gives_m.tolist()):
                if a > b + 1e-12:
                    turned.setdefault(m, []).append(ids[t])
            for m, (val, x) in best.items():
                if is_cust[m]:
                    out_managers.append(
                        Bypass(
                            "manager",
                            ids[m],
                            ids[m],
                            ids[x],
                            float(val),
                            float(own[m]),
                            tuple(sorted(turned.get(m, []))),
                        )
                    )
    out_managers.sort(key=lambda x: (-(x.weight - x.line_weight), x.id))
    return tuple(out_reports) + tuple(out_managers)


def _lookup(A: sp.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``A[rows[k], cols[k]]`` for each k (0 where there is no entry), without densifying."""
    A = sp.csr_array(A)
    A.sum_duplicates()
    out = np.zeros(len(rows))
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist())):
        lo, hi = A.indptr[i], A.indptr[i + 1]
        pos = lo + np.searchsorted(A.indices[lo:hi], j)
        if pos < hi and A.indices[pos] == j:
            out[k] = A.data[pos]
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (nan for fewer than 2 values or a constant input)."""
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(np.round(b, 15)) == 0:
        return math.nan
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)
