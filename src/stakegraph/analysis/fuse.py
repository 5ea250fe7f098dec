"""What the informants' reports add up to: fused ties, stances and roles, and how far each informant is right.

Several people report on one account (a coach inside the customer, a partner
outside it, our own reps) and they disagree. :func:`fuse` reads
``g.observations`` and returns :class:`Beliefs`: a probability for every tie
reported on, a distribution over the stances of every person reported on,
and each informant's estimated error rates.

Ties
    ``"las_intersection"`` and ``"las_union"``: Krackhardt's (1987) locally
    aggregated structures. A tie i -> j is believed when both i and j (as
    informants) report it, or when either does; the reports of the two people
    it joins are the only ones read. ``"consensus"``: the share of the
    informants reporting on a tie who say it is there (weighted by their
    confidence and by recency); Krackhardt's consensus structure keeps the
    ties with a share of at least the threshold of :meth:`Beliefs.graph`.
    ``"bayes"``: Butts' (2003) network accuracy model. The true network Y has
    independent ties with prior probability ``tie_prior``; informant k reports
    a tie that is absent with probability fp_k (false positive) and misses one
    that is there with probability fn_k (false negative); fp_k ~ Beta(``fp_prior``),
    fn_k ~ Beta(``fn_prior``). The posterior of (Y, fp, fn) is sampled by Gibbs
    sampling in ``chains`` seeded chains of ``draws`` draws after ``burn``
    (both conditionals are exact: Bernoulli ties given the rates, Beta rates
    given the ties). With ``error_rates`` given, the rates are known and the
    posterior of every tie is computed exactly.

Stances (and reasons)
    ``"latest"``: the newest report. ``"majority"``: each informant's newest
    report votes with its weight. ``"dawid_skene"``: Dawid & Skene (1979):
    each informant k has a confusion matrix pi_k[c, l] (the chance of
    reporting l when the truth is c); expectation-maximisation alternates the
    people's stance distributions and the matrices, starting from the
    weighted majority. ``confusion_prior=(a, b)`` adds a pseudo-counts on the
    diagonal and b off it (a Dirichlet prior), and one pseudo-count to each
    class of the stances' prior; ``(0, 0)`` is the classic maximum-likelihood
    estimate.

Roles
    The weighted share of informants saying a person has a role.

Every report is weighted by its ``confidence`` times ``0.5 ** (age /
half_life)`` (its age in days at ``as_of``; undated reports are not
discounted); only each informant's newest report on a question counts, and
reports dated after ``as_of`` are left out.

References
----------
Krackhardt, D. (1987). Cognitive social structures. *Social Networks*, 9(2), 109-134.
Butts, C. T. (2003). Network inference, error, and informant (in)accuracy: a Bayesian
approach. *Social Networks*, 25(2), 103-140.
Dawid, A. P. & Skene, A. M. (1979). Maximum likelihood estimation of observer
error-rates using the EM algorithm. *Applied Statistics*, 28(1), 20-28.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ..errors import ValidationError
from ..method.checks import check_choice, check_float, check_int, check_seed
from ..method.vocabulary import Reason, Stance
from ..model import check_graph
from ..observation import Observation, newest, recency
from ..results import Result

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph

__all__ = ["STANCE_METHODS", "TIE_METHODS", "Beliefs", "dawid_skene", "fuse"]

TIE_METHODS = ("las_intersection", "las_union", "consensus", "bayes")
STANCE_METHODS = ("latest", "majority", "dawid_skene")
STANCES = tuple(s for s in Stance if s is not Stance.UNKNOWN)
_EPS = 1e-10


# ----------------------------------------------------------------------------- reports
def _weights(reports: Sequence[Observation], as_of: _dt.date | None, half_life: float | None) -> np.ndarray:
    w = np.array([o.confidence for o in reports], dtype=float)
    if half_life is not None and as_of is not None:
        ages = np.array([(as_of - o.date).days if o.date is not None else 0 for o in reports], dtype=float)
        w *= 0.5 ** (np.maximum(ages, 0.0) / half_life)
    out: np.ndarray = np.maximum(w, 1e-300)  # a report centuries old weighs next to nothing, never nothing
    return out


def _rows_normalised(P: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows summing to 0 stay 0)."""
    s = P.sum(axis=1, keepdims=True)
    out: np.ndarray = np.divide(P, s, out=np.zeros_like(P), where=s > 0)
    return out


def _interval(a: np.ndarray, b: np.ndarray, level: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import beta

    lo = (1 - level) / 2
    return np.asarray(beta.ppf(lo, a, b), dtype=float), np.asarray(beta.ppf(1 - lo, a, b), dtype=float)


# ----------------------------------------------------------------------------- Dawid-Skene
def dawid_skene(
    task: np.ndarray,
    worker: np.ndarray,
    label: np.ndarray,
    weight: np.ndarray,
    n_tasks: int,
    n_workers: int,
    n_labels: int,
    *,
    prior: tuple[float, float] = (0.0, 0.0),
    n_iter: int = 100,
    tol: float = 1e-7,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dawid-Skene EM over weighted labels: the tasks' class distributions, the class priors, the confusion matrices.

    ``task``, ``worker``, ``label``, ``weight`` hold one report each. Returns
    ``(P, rho, pi)`` with ``P[t, c]`` the probability that task t is class c,
    ``rho[c]`` the class priors and ``pi[k, c, l]`` the chance that worker k
    reports l for class c. ``prior=(a, b)`` adds Dirichlet pseudo-counts to
    each row of every confusion matrix (a on the diagonal, b elsewhere); with
    ``(0, 0)`` a worker's matrix covers only the labels they gave, as in the
    classic estimate. Starts from the weighted majority vote; stops when no
    probability moves by more than ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.array([0, 0, 0, 1, 1, 1]); k = np.array([0, 1, 2, 0, 1, 2]); lab = np.array([0, 0, 1, 1, 1, 1])
    >>> P, rho, pi = dawid_skene(t, k, lab, np.ones(6), 2, 3, 2)
    >>> P.argmax(axis=1).tolist()
    [0, 1]
    """
    P = np.zeros((n_tasks, n_labels))
    np.add.at(P, (task, label), weight)
    P = _rows_normalised(P)
    seen = np.zeros((n_workers, n_labels), dtype=bool)
    seen[worker, label] = True
    a, b = prior
    pseudo = np.full((n_labels, n_labels), b, dtype=float)
    np.fill_diagonal(pseudo, a)
    cell = worker * n_labels + label  # the (worker, reported label) of each report

    def m_step(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = np.zeros((n_workers * n_labels, n_labels))
        np.add.at(flat, cell, P[task] * weight[:, None])
        counts = flat.reshape(n_workers, n_labels, n_labels).transpose(0, 2, 1) + pseudo[None, :, :]
        if a == 0 and b == 0:  # the classic estimate: a worker's matrix covers only the labels they gave
            counts = np.where(seen[:, None, :], np.maximum(counts, _EPS), 0.0)
        else:
            counts = np.maximum(counts, _EPS)
        if a == 0 and b == 0:
            rho = np.maximum(P.mean(axis=0), _EPS)
        else:  # one pseudo-count per class, so that a handful of people cannot make a class certain
            rho = (P.sum(axis=0) + 1.0) / (n_tasks + n_labels)
        return counts / np.maximum(counts.sum(axis=2, keepdims=True), _EPS), rho

    rho = P.mean(axis=0)
    pi = np.zeros((n_workers, n_labels, n_labels))
    for it in range(n_iter + 1):
        # M-step: pi[k, c, l] from the expected counts of (true c, reported l)
        pi, rho = m_step(P)
        if it == n_iter:
            break
        # E-step: P[t, c] ∝ rho[c] ∏ pi[k, c, l]^w
        with np.errstate(divide="ignore"):
            logpi = np.log(pi[worker, :, label])  # (reports, classes)
        loglik = np.tile(np.log(rho), (n_tasks, 1))
        np.add.at(loglik, task, logpi * weight[:, None])
        loglik -= loglik.max(axis=1, keepdims=True)
        new = np.exp(loglik)
        new /= new.sum(axis=1, keepdims=True)
        reported = np.zeros(n_tasks, dtype=bool)
        reported[task] = True
        new[~reported] = P[~reported]
        delta = float(np.abs(new - P).max()) if n_tasks else 0.0
        P = new
        if delta < tol:
            # one more M-step so that pi and rho match the final P
            pi, rho = m_step(P)
            break
    return P, rho, pi


# ----------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Beliefs(Result):
    """What the reports add up to (see :func:`fuse`).

    Attributes
    ----------
    methods : mapping
        ``{"ties": ..., "stances": ...}`` as chosen.
    as_of : datetime.date or None
        The date reports were weighed at.
    tie_keys : tuple of (source, target, kind)
        Every tie reported on, present or absent.
    tie_p : ndarray
        The probability of each tie of ``tie_keys``.
    tie_strength : ndarray
        The mean strength reported for each tie (nan when none was given).
    stance_distribution : mapping
        Person id -> {stance value: probability} over the seven stances, for
        everyone reported on (``unknown`` is 0 for them).
    reason_distribution : mapping
        Person id -> {reason value: probability}, for people whose reason was reported.
    role_probability : mapping
        ``(person id, role value)`` -> probability that the person has the role.
    informants : tuple of dict
        One row per informant: how many reports, estimated false-positive and
        false-negative rates of their tie reports and accuracy of their stance
        reports, each with a 90% interval.
    names : mapping
        Display names by id.
    """

    methods: Mapping[str, str]
    as_of: _dt.date | None
    tie_keys: tuple[tuple[str, str, str], ...]
    tie_p: np.ndarray
    tie_strength: np.ndarray
    stance_distribution: Mapping[str, Mapping[str, float]]
    reason_distribution: Mapping[str, Mapping[str, float]]
    role_probability: Mapping[tuple[str, str], float]
    informants: tuple[dict[str, Any], ...]
    names: Mapping[str, str]
    graph_: StakeholderGraph = field(repr=False, compare=False)
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)

    _title = "Beliefs fused from the informants' reports"

    @property
    def tie_probability(self) -> dict[tuple[str, str, str], float]:
        """``(source, target, kind)`` -> probability, for every tie reported on."""
        return {k: float(p) for k, p in zip(self.tie_keys, self.tie_p)}

    def stance(self, person_id: str) -> tuple[Stance, float]:
        """The most probable stance of a person and its probability (the graph's stance, 1.0, when unreported)."""
        dist = self.stance_distribution.get(person_id)
        if dist is None:
            return self.graph_.person(person_id).stance, 1.0
        best = max(dist, key=lambda s: dist[s])
        return Stance(best), float(dist[best])

    # -- graphs ----------------------------------------------------------------------
    def graph(self, threshold: float = 0.5) -> StakeholderGraph:
        """The most probable account: ties of probability >= ``threshold`` kept or added, the others removed;
        each reported person's most probable stance (and reason); roles of probability >= ``threshold``.

        Ties and people nobody reported on are as in the graph fused. A
        reported ``reports_to`` tie that would give someone a second manager
        or close a cycle is left out.

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> for pid in ("a", "b", "c"): g.add_person(pid)
        >>> g.observe("c", "tie", "a", "advises", target="b")
        >>> g.observe("b", "tie", "a", "advises", target="b")
        >>> sg.fuse(g, ties="consensus", stances="majority").graph().ties[0].key
        ('a', 'b', 'advises')
        """
        check_float(threshold, "threshold", "graph", 0.0, 1.0, low_open=False, high_open=False)
        return self._realise(self.tie_p >= threshold, self._modal_stances(), threshold)

    def account(
        self,
        ties: Mapping[tuple[str, str, str], bool] | None = None,
        stances: Mapping[str, Stance | str] | None = None,
        threshold: float = 0.5,
    ) -> StakeholderGraph:
        """The most probable account (as :meth:`graph`) with some ties and stances set to given answers.

        ``ties`` maps ``(source, target, kind)`` keys of :attr:`tie_keys` to
        present or absent; ``stances`` maps person ids to a stance.

        Examples
        --------
        >>> import stakegraph as sg
        >>> g = sg.StakeholderGraph()
        >>> for pid in ("a", "b"): g.add_person(pid)
        >>> g.observe("a", "tie", "a", "advises", target="b"); g.observe("b", "tie", "a", "advises", target="b", present=False)
        >>> b = sg.fuse(g, ties="consensus", stances="majority")
        >>> len(b.account(ties={("a", "b", "advises"): True}).ties), len(b.account(ties={("a", "b", "advises"): False}).ties)
        (1, 0)
        """
        check_float(threshold, "threshold", "account", 0.0, 1.0, low_open=False, high_open=False)
        keep = self.tie_p >= threshold
        index = {k: i for i, k in enumerate(self.tie_keys)}
        for key, on in (ties or {}).items():
            if key not in index:
                raise ValidationError(f"{key!r} is not a tie the beliefs hold; ties reported on: tie_keys.")
            keep[index[key]] = bool(on)
        chosen = self._modal_stances()
        for pid, s in (stances or {}).items():
            self.graph_.person(pid)
            chosen[pid] = Stance.parse(s)
        return self._realise(keep, chosen, threshold)

    def draw(
        self, n: int = 100, seed: int | np.random.Generator | None = None
    ) -> tuple[np.ndarray, dict[str, tuple[Stance, ...]]]:
        """``n`` joint draws of the uncertain things: which reported ties are there, each reported stance.

        Returns ``(ties, stances)``: ``ties[s, j]`` says whether tie
        ``tie_keys[j]`` is there in draw ``s``; ``stances[pid][s]`` is the
        person's stance in draw ``s``. With ``ties="bayes"`` the ties of a draw
        are one joint draw of the Gibbs sampler (ties that depend on the same
        informant's error rate move together); otherwise each tie is drawn on
        its own with its probability. Stances are drawn from each person's
        distribution. :meth:`sample` and the analyses of beliefs read the
        same draws for the same seed.
        """
        check_int(n, "n", "draw", low=1)
        rng = np.random.default_rng(check_seed(seed, "draw"))
        if self.draws is not None and len(self.draws):
            ties = np.asarray(self.draws[rng.integers(len(self.draws), size=n)], dtype=bool)
        else:
            ties = rng.random((n, len(self.tie_keys))) < self.tie_p[None, :]
        stances: dict[str, tuple[Stance, ...]] = {}
        for pid, dist in self.stance_distribution.items():
            values = [Stance(v) for v in dist]
            p = np.array([dist[v.value] for v in values])
            picks = rng.choice(len(values), size=n, p=p / p.sum())
            stances[pid] = tuple(values[int(k)] for k in picks)
        return ties, stances

    def sample(self, n: int = 100, seed: int | np.random.Generator | None = None) -> list[StakeholderGraph]:
        """``n`` possible accounts drawn from the beliefs (the draws of :meth:`draw`; roles as most probable).

        Examples
        --------
        >>> import stakegraph as sg
        >>> graphs = sg.fuse(sg.datasets.load("bank"), seed=0).sample(3, seed=1)
        >>> len(graphs), all(isinstance(h, sg.StakeholderGraph) for h in graphs)
        (3, True)
        """
        check_int(n, "n", "sample", low=1)
        ties, stances = self.draw(n, seed)
        return [self._realise(ties[s], {pid: v[s] for pid, v in stances.items()}, 0.5) for s in range(n)]

    def _restance(self, pid: str, stance: Stance) -> tuple[bool, str | None]:
        """Whether giving ``pid`` the stance changes the graph fused, and the reason it then takes."""
        p = self.graph_.person(pid)
        reason = None
        if not stance.supportive:
            rd = self.reason_distribution.get(pid)
            if rd:
                reason = max(rd, key=lambda r: rd[r])
            elif p.reason is not None:
                reason = p.reason.value
        return p.stance is not stance or (reason or None) != (p.reason.value if p.reason else None), reason

    def _support(self, pid: str, stance: Stance, current: float) -> float:
        """A person's support in an account where they take ``stance`` (``current``: the graph fused's)."""
        return stance.support if self._restance(pid, stance)[0] else current

    def _modal_stances(self) -> dict[str, Stance]:
        return {pid: self.stance(pid)[0] for pid in self.stance_distribution}

    def _realise(
        self,
        keep: np.ndarray,
        stances: Mapping[str, Stance],
        threshold: float | None,
        rng: np.random.Generator | None = None,
    ) -> StakeholderGraph:
        g = self.graph_.copy()
        existing = {t.key for t in g.ties}
        for (s, t, kind), on, strength in zip(self.tie_keys, keep, self.tie_strength):
            if on and (s, t, kind) not in existing:
                try:
                    g.add_tie(s, t, kind, 1.0 if math.isnan(strength) else float(strength))
                except ValidationError:
                    continue  # a second manager or a reporting cycle: the formal chart stands
            elif not on and (s, t, kind) in existing:
                g.remove_tie(s, t, kind)
        for pid, stance in stances.items():
            changed, reason = self._restance(pid, stance)
            if changed:
                g.set_stance(pid, stance, reason=reason)
        for (pid, role), prob in self.role_probability.items():
            on = prob >= threshold if threshold is not None else bool(rng is not None and rng.random() < prob)
            roles = [r.value for r in g.person(pid).roles]
            if on and role not in roles:
                g.update_person(pid, roles=[*roles, role])
            elif not on and role in roles:
                g.update_person(pid, roles=[r for r in roles if r != role])
        return g

    # -- Result --------------------------------------------------------------------------
    def plot(self, ax: Axes | None = None, **kw: Any) -> Figure:
        """Each reported person's stance distribution; see :func:`stakegraph.viz.plots.plot_beliefs`."""
        from ..viz.plots import plot_beliefs

        return plot_beliefs(self, ax, **kw)

    def to_dict(self) -> dict[str, Any]:
        """``{"methods", "as_of", "ties": [...], "people": [...], "informants": [...], "roles": [...]}``."""
        return {
            "methods": dict(self.methods),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "ties": [
                {
                    "source": s,
                    "target": t,
                    "kind": k,
                    "probability": float(p),
                    "strength": None if math.isnan(st) else float(st),
                }
                for (s, t, k), p, st in zip(self.tie_keys, self.tie_p, self.tie_strength)
            ],
            "people": self._table(),
            "informants": [dict(r) for r in self.informants],
            "roles": [
                {"id": pid, "role": r, "probability": p} for (pid, r), p in self.role_probability.items()
            ],
        }

    def _table(self) -> list[dict[str, Any]]:
        rows = []
        for pid, dist in self.stance_distribution.items():
            stance, prob = self.stance(pid)
            rows.append(
                {
                    "id": pid,
                    "name": self.names.get(pid, ""),
                    "stance": stance.value,
                    "probability": prob,
                    "was": self.graph_.person(pid).stance.value,
                    **{s: float(v) for s, v in dist.items() if s != "unknown"},
                }
            )
        return rows

    def _summary(self) -> list[str]:
        n_inf = len(self.informants)
        sure = int(np.sum((self.tie_p >= 0.9) | (self.tie_p <= 0.1)))
        lines = [
            f"{n_inf} informant{'s' if n_inf != 1 else ''}; {len(self.tie_keys)} ties reported on "
            f"({sure} settled at 90%), stances of {len(self.stance_distribution)} people "
            f"(ties: {self.methods['ties']}, stances: {self.methods['stances']})."
        ]
        shaky = [
            r
            for r in self.informants
            if r["stance_accuracy_90"] is not None and r["stance_accuracy_90"][1] < 0.6
        ]
        for r in shaky[:3]:
            lines.append(
                f"The other informants bear out {r['stance_accuracy']:.0%} of {r['name']}'s stance reports; "
                "check what they report before acting on it."
            )
        return lines


# ----------------------------------------------------------------------------- fusion
def _informant_names(g: StakeholderGraph, informants: Sequence[str]) -> dict[str, str]:
    return {i: (g.person(i).name or i) if i in g.people else i for i in informants}


def fuse(
    g: StakeholderGraph,
    ties: str = "bayes",
    stances: str = "dawid_skene",
    *,
    as_of: str | _dt.date | None = None,
    half_life: float | None = 180.0,
    tie_prior: float = 0.5,
    fp_prior: tuple[float, float] = (1.0, 9.0),
    fn_prior: tuple[float, float] = (1.0, 4.0),
    error_rates: Mapping[str, tuple[float, float]] | tuple[float, float] | None = None,
    confusion_prior: tuple[float, float] = (4.0, 0.25),
    chains: int = 4,
    draws: int = 1000,
    burn: int = 500,
    seed: int | np.random.Generator | None = None,
) -> Beliefs:
    """Fuse the informants' reports (``g.observations``) into beliefs about ties, stances and roles.

    Parameters
    ----------
    g : StakeholderGraph
    ties : {"bayes", "consensus", "las_intersection", "las_union"}, default "bayes"
        How reports about ties combine (see the module's notes).
    stances : {"dawid_skene", "majority", "latest"}, default "dawid_skene"
        How reports about stances and reasons combine.
    as_of : date or str, optional
        Weigh the reports as of this date; later reports are left out
        (default: the deal's ``as_of``, else the newest report's date).
    half_life : float or None, default 180
        Days after which a report weighs half; None: no discount for age.
    tie_prior : float, default 0.5
        bayes: the prior probability of a tie reported on.
    fp_prior, fn_prior : (float, float)
        bayes: Beta priors of each informant's false-positive rate (default
        mean 0.1) and false-negative rate (default mean 0.2).
    error_rates : mapping or (float, float), optional
        bayes: known ``(false positive, false negative)`` rates, per informant
        or for all; the posterior is then exact and nothing is sampled.
    confusion_prior : (float, float), default (4, 0.25)
        dawid_skene: Dirichlet pseudo-counts on and off the diagonal of each
        informant's confusion matrix; ``(0, 0)`` for the classic estimate.
    chains, draws, burn : int
        bayes: Gibbs chains (run together), draws kept per chain, draws
        discarded first.
    seed : int, Generator or None
        bayes: the sampler's seed.

    Returns
    -------
    Beliefs

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> for pid in ("cfo", "cio", "coach", "rep"): g.add_person(pid)
    >>> g.observe("coach", "stance", "cfo", "supporter")
    >>> g.observe("rep", "stance", "cfo", "supporter")
    >>> g.observe("partner", "stance", "cfo", "skeptic")
    >>> b = sg.fuse(g, stances="majority")
    >>> b.stance("cfo")[0].value, round(b.stance("cfo")[1], 3)
    ('supporter', 0.667)
    """
    func = "fuse"
    check_graph(g, func)
    check_choice(ties, "ties", func, TIE_METHODS)
    check_choice(stances, "stances", func, STANCE_METHODS)
    check_float(tie_prior, "tie_prior", func, 0.0, 1.0)
    if half_life is not None:
        check_float(half_life, "half_life", func, 0.0, math.inf)
    for name, pr in (("fp_prior", fp_prior), ("fn_prior", fn_prior), ("confusion_prior", confusion_prior)):
        if not (
            isinstance(pr, (tuple, list)) and len(pr) == 2 and all(isinstance(v, (int, float)) for v in pr)
        ):
            raise ValidationError(
                f"The {name!r} parameter of fuse must be a pair of numbers. Got {pr!r} instead."
            )
        if min(pr) < 0 or (name != "confusion_prior" and min(pr) <= 0):
            raise ValidationError(
                f"The {name!r} parameter of fuse must hold numbers above 0. Got {pr!r} instead."
            )
    check_int(chains, "chains", func, low=1)
    check_int(draws, "draws", func, low=1)
    check_int(burn, "burn", func, low=0)
    rng = np.random.default_rng(check_seed(seed, func))
    day = _as_date(as_of) if as_of is not None else g.deal.as_of
    reports = [o for o in g.observations if day is None or o.date is None or o.date <= day]
    if day is None:
        dated = [o.date for o in reports if o.date is not None]
        day = max(dated) if dated else None
    informants = sorted({o.informant for o in reports})
    inf_index = {k: i for i, k in enumerate(informants)}

    # ties
    tie_reports = newest([o for o in reports if o.about == "tie"], lambda o: o.tie_key)
    keys = list(dict.fromkeys(o.tie_key for o in tie_reports))
    kidx = {k: i for i, k in enumerate(keys)}
    T, K = len(keys), len(informants)
    t_of = np.array([kidx[o.tie_key] for o in tie_reports], dtype=int)
    k_of = np.array([inf_index[o.informant] for o in tie_reports], dtype=int)
    x = np.array([o.present for o in tie_reports], dtype=float)
    w = _weights(tie_reports, day, half_life)
    strength = np.full(T, np.nan)
    if T:
        s_sum = np.bincount(t_of, weights=[o.strength or 0.0 for o in tie_reports], minlength=T)
        s_n = np.bincount(t_of, weights=[o.strength is not None for o in tie_reports], minlength=T)
        strength = np.where(s_n > 0, s_sum / np.maximum(s_n, 1), np.nan)
    draws_out: np.ndarray | None = None
    fp_rows: dict[int, tuple[float, float, float]] = {}
    fn_rows: dict[int, tuple[float, float, float]] = {}
    if ties in ("las_intersection", "las_union"):
        p = np.zeros(T)
        said: dict[tuple[int, str], bool] = {}
        for o, ti in zip(tie_reports, t_of):
            said[(int(ti), o.informant)] = o.present
        for i, (s, t, _k) in enumerate(keys):
            a, b = said.get((i, s), False), said.get((i, t), False)
            p[i] = float(a and b) if ties == "las_intersection" else float(a or b)
    elif ties == "consensus":
        num = np.bincount(t_of, weights=w * x, minlength=T)
        den = np.bincount(t_of, weights=w, minlength=T)
        p = np.divide(num, den, out=np.zeros(T), where=den > 0)
    else:
        W1 = sp.csr_matrix((w * x, (t_of, k_of)), shape=(T, K))
        W0 = sp.csr_matrix((w * (1 - x), (t_of, k_of)), shape=(T, K))
        prior_logit = math.log(tie_prior / (1 - tie_prior))
        if error_rates is not None:
            fp, fn = _known_rates(error_rates, informants)
            p = _tie_posterior(W1, W0, fp[:, None], fn[:, None], prior_logit)[:, 0]
            for k in range(K):
                fp_rows[k] = (fp[k], fp[k], fp[k])
                fn_rows[k] = (fn[k], fn[k], fn[k])
        else:
            p, draws_out, fps, fns = _gibbs(W1, W0, prior_logit, fp_prior, fn_prior, chains, draws, burn, rng)
            for k in range(K):
                fp_rows[k] = (float(fps[:, k].mean()), *np.quantile(fps[:, k], [0.05, 0.95]).tolist())
                fn_rows[k] = (float(fns[:, k].mean()), *np.quantile(fns[:, k], [0.05, 0.95]).tolist())
    if not fp_rows and T:  # rates measured against the fused network
        for k in range(K):
            m = k_of == k
            if not m.any():
                continue
            wk, xk, pk = w[m], x[m], p[t_of[m]]
            a_fp, b_fp = (wk * xk * (1 - pk)).sum(), (wk * (1 - xk) * (1 - pk)).sum()
            a_fn, b_fn = (wk * (1 - xk) * pk).sum(), (wk * xk * pk).sum()
            lo1, hi1 = _interval(np.array([1 + a_fp]), np.array([1 + b_fp]))
            lo2, hi2 = _interval(np.array([1 + a_fn]), np.array([1 + b_fn]))
            fp_rows[k] = ((1 + a_fp) / (2 + a_fp + b_fp), float(lo1[0]), float(hi1[0]))
            fn_rows[k] = ((1 + a_fn) / (2 + a_fn + b_fn), float(lo2[0]), float(hi2[0]))

    # stances and reasons
    stance_dist, stance_acc = _categorical(
        [o for o in reports if o.about == "stance"],
        STANCES,
        stances,
        inf_index,
        day,
        half_life,
        confusion_prior,
    )
    reason_dist, _ = _categorical(
        [o for o in reports if o.about == "reason"],
        tuple(Reason),
        stances,
        inf_index,
        day,
        half_life,
        confusion_prior,
    )
    dist_out = {
        pid: MappingProxyType({"unknown": 0.0, **{s.value: float(v) for s, v in zip(STANCES, d)}})
        for pid, d in stance_dist.items()
    }
    reason_out = {
        pid: MappingProxyType({r.value: float(v) for r, v in zip(Reason, d)})
        for pid, d in reason_dist.items()
    }

    # roles
    role_reports = newest([o for o in reports if o.about == "role"], lambda o: (o.subject, o.value))
    rw = _weights(role_reports, day, half_life)
    rnum: dict[tuple[str, str], float] = {}
    rden: dict[tuple[str, str], float] = {}
    for o, wi in zip(role_reports, rw):
        key = (o.subject, o.value.value)
        rnum[key] = rnum.get(key, 0.0) + wi * o.present
        rden[key] = rden.get(key, 0.0) + wi
    roles = {k: (rnum[k] / rden[k] if rden[k] > 0 else 0.0) for k in rden}

    # the informants' table
    counts = dict.fromkeys(informants, 0)
    for o in reports:
        counts[o.informant] += 1
    rows = []
    for k, name in enumerate(informants):
        row: dict[str, Any] = {
            "informant": name,
            "name": _informant_names(g, [name])[name],
            "reports": counts[name],
            "tie_reports": int((k_of == k).sum()),
            "false_positive": None,
            "false_positive_90": None,
            "false_negative": None,
            "false_negative_90": None,
            "stance_accuracy": None,
            "stance_accuracy_90": None,
            "stance_checked": 0,
        }
        if k in fp_rows:
            row["false_positive"], row["false_positive_90"] = fp_rows[k][0], list(fp_rows[k][1:])
            row["false_negative"], row["false_negative_90"] = fn_rows[k][0], list(fn_rows[k][1:])
        if name in stance_acc:
            acc, lo, hi, n = stance_acc[name]
            row["stance_accuracy"], row["stance_accuracy_90"], row["stance_checked"] = acc, [lo, hi], n
        rows.append(row)
    return Beliefs(
        methods=MappingProxyType({"ties": ties, "stances": stances}),
        as_of=day,
        tie_keys=tuple(keys),
        tie_p=np.asarray(p, dtype=float),
        tie_strength=strength,
        stance_distribution=MappingProxyType(dist_out),
        reason_distribution=MappingProxyType(reason_out),
        role_probability=MappingProxyType(roles),
        informants=tuple(rows),
        names=MappingProxyType({pid: p_.name for pid, p_ in g.people.items() if p_.name}),
        graph_=g.copy(),
        draws=draws_out,
    )


def _as_date(value: str | _dt.date) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    from ..method.lexicon import parse_date

    try:
        return parse_date(str(value))
    except ValidationError as e:
        raise ValidationError(f"The 'as_of' parameter of fuse must be a date. {e.message}") from None


def _known_rates(
    rates: Mapping[str, tuple[float, float]] | tuple[float, float], informants: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    fp = np.empty(len(informants))
    fn = np.empty(len(informants))
    for k, name in enumerate(informants):
        r = rates.get(name) if isinstance(rates, Mapping) else rates
        if r is None:
            raise ValidationError(
                f"The 'error_rates' parameter of fuse gives no rates for the informant {name!r}."
            )
        a, b = r
        if not (0 < a < 1 and 0 < b < 1):
            raise ValidationError(
                f"The 'error_rates' parameter of fuse must give rates strictly between 0 and 1. Got {r!r} for {name!r}."
            )
        fp[k], fn[k] = a, b
    return fp, fn


def _tie_posterior(
    W1: sp.csr_matrix, W0: sp.csr_matrix, fp: np.ndarray, fn: np.ndarray, prior_logit: float
) -> np.ndarray:
    """P(tie | reports) for every tie and every column of rates (K x C): exact given the rates."""
    a = np.log1p(-fn) - np.log(fp)  # a report of "present": log P(x=1 | y=1) / P(x=1 | y=0)
    b = np.log(fn) - np.log1p(-fp)  # a report of "absent"
    logodds = prior_logit + W1 @ a + W0 @ b
    return np.asarray(1.0 / (1.0 + np.exp(-logodds)))


def _gibbs(
    W1: sp.csr_matrix,
    W0: sp.csr_matrix,
    prior_logit: float,
    fp_prior: tuple[float, float],
    fn_prior: tuple[float, float],
    chains: int,
    draws: int,
    burn: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Butts' model by Gibbs sampling, all chains at once: tie probabilities, the joint tie draws, fp and fn draws."""
    T, K = W1.shape
    W1T, W0T = W1.T.tocsr(), W0.T.tocsr()
    said = np.asarray((W1 + W0).sum(axis=1)).ravel()
    share = np.divide(np.asarray(W1.sum(axis=1)).ravel(), said, out=np.zeros(T), where=said > 0)
    y = np.tile((share >= 0.5).astype(float)[:, None], (1, chains))  # start from the consensus
    kept_y = np.zeros((chains * draws, T), dtype=bool)
    kept_fp = np.zeros((chains * draws, K))
    kept_fn = np.zeros((chains * draws, K))
    total = np.zeros(T)
    n1 = np.asarray(W1T.sum(axis=1)).ravel()[:, None]
    n0 = np.asarray(W0T.sum(axis=1)).ravel()[:, None]
    for it in range(burn + draws):
        said1_on = W1T @ y  # (K, C): weighted "present" reports on ties that are there
        said0_on = W0T @ y
        fp = rng.beta(fp_prior[0] + (n1 - said1_on), fp_prior[1] + (n0 - said0_on))
        fn = rng.beta(fn_prior[0] + said0_on, fn_prior[1] + said1_on)
        fp = np.clip(fp, 1e-12, 1 - 1e-12)
        fn = np.clip(fn, 1e-12, 1 - 1e-12)
        prob = _tie_posterior(W1, W0, fp, fn, prior_logit)  # (T, C)
        y = (rng.random((T, chains)) < prob).astype(float)
        if it >= burn:
            d = it - burn
            rows = slice(d * chains, (d + 1) * chains)
            kept_y[rows] = y.T.astype(bool)
            kept_fp[rows] = fp.T
            kept_fn[rows] = fn.T
            total += prob.sum(axis=1)  # Rao-Blackwellised: the mean of the exact conditionals
    return total / (chains * draws), kept_y, kept_fp, kept_fn


def _categorical(
    reports: Sequence[Observation],
    classes: Sequence[Any],
    method: str,
    inf_index: Mapping[str, int],
    day: _dt.date | None,
    half_life: float | None,
    confusion_prior: tuple[float, float],
) -> tuple[dict[str, np.ndarray], dict[str, tuple[float, float, float, int]]]:
    """Per person, a distribution over ``classes`` from the reports; per informant, how often the others bear
    them out."""
    if not reports:
        return {}, {}
    latest = newest(reports, lambda o: o.subject)
    people = list(dict.fromkeys(o.subject for o in latest))
    pidx = {p: i for i, p in enumerate(people)}
    cidx = {c: i for i, c in enumerate(classes)}
    task = np.array([pidx[o.subject] for o in latest])
    worker = np.array([inf_index[o.informant] for o in latest])
    label = np.array([cidx[o.value] for o in latest])
    weight = _weights(latest, day, half_life)
    n_t, n_c = len(people), len(classes)
    logpi: np.ndarray | None = None
    logrho = np.zeros(n_c)
    if method == "latest":
        P = np.zeros((n_t, n_c))
        last: dict[str, tuple[tuple[bool, _dt.date, int], Observation]] = {}
        for i, o in enumerate(reports):  # the newest report on each person, whoever made it
            rank = recency(o, i)
            if o.subject not in last or rank > last[o.subject][0]:
                last[o.subject] = (rank, o)
        for pid, (_r, o) in last.items():
            P[pidx[pid], cidx[o.value]] = 1.0
    elif method == "majority":
        P = np.zeros((n_t, n_c))
        np.add.at(P, (task, label), weight)
        P = _rows_normalised(P)
    else:
        P, rho, pi = dawid_skene(task, worker, label, weight, n_t, len(inf_index), n_c, prior=confusion_prior)
        with np.errstate(divide="ignore"):
            logpi = np.log(np.maximum(pi, _EPS))
        logrho = np.log(np.maximum(rho, _EPS))
    out = {p: P[i] for p, i in pidx.items()}
    return out, _borne_out(latest, task, worker, label, weight, n_t, n_c, logpi, logrho)


def _borne_out(
    reports: Sequence[Observation],
    task: np.ndarray,
    worker: np.ndarray,
    label: np.ndarray,
    weight: np.ndarray,
    n_tasks: int,
    n_labels: int,
    logpi: np.ndarray | None,
    logrho: np.ndarray,
) -> dict[str, tuple[float, float, float, int]]:
    """Each informant's expected share of reports the *other* informants bear out, with a 90% interval.

    For a report by k on person t, the others' view of t leaves k's report out:
    Dawid-Skene's posterior from the other reports (with the fitted matrices),
    else the others' weighted vote. People only k reported on do not count,
    so an informant who is the only source is not judged by their own word.
    """
    if logpi is not None:
        contrib = logpi[worker, :, label] * weight[:, None]  # (reports, classes)
    else:
        contrib = np.zeros((len(reports), n_labels))
        contrib[np.arange(len(reports)), label] = weight
    total = np.zeros((n_tasks, n_labels))
    np.add.at(total, task, contrib)
    shared = np.bincount(task, minlength=n_tasks)[task] >= 2  # someone else reported on the person too
    rest = total[task[shared]] - contrib[shared]  # the others' view of the person, this report left out
    if logpi is not None:
        z = logrho[None, :] + rest
        q = np.exp(z - z.max(axis=1, keepdims=True))
    else:
        q = rest
    norm = q.sum(axis=1, keepdims=True)
    q = np.divide(q, norm, out=np.full_like(q, 1.0 / n_labels), where=norm > 0)
    borne = weight[shared] * q[np.arange(len(q)), label[shared]]
    who = worker[shared]
    n_k = int(worker.max()) + 1 if len(worker) else 0
    right = np.bincount(who, weights=borne, minlength=n_k)
    seen = np.bincount(who, weights=weight[shared], minlength=n_k)
    checked = np.bincount(who, minlength=n_k)
    names = {int(k): o.informant for k, o in zip(worker, reports)}
    a, b = 1 + right, 1 + seen - right
    lo, hi = _interval(a, b)
    return {
        names[k]: (float(a[k] / (a[k] + b[k])), float(lo[k]), float(hi[k]), int(checked[k]))
        for k in map(int, np.flatnonzero(checked))
    }
