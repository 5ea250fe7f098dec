"""What to ask next: the stance or tie whose answer is worth most, and whom to ask.

A question is one uncertain thing of the :class:`~stakegraph.Beliefs`: a
reported tie whose probability is neither 0 nor 1, a person whose reported
stance is not settled, or a decision-group member whose stance nobody has
reported (every stance equally likely for this purpose). Its worth is what
its answer is expected to settle about an objective:

``"committee_support"``
    committee support after Friedkin-Johnsen (:func:`~stakegraph.propagate`):
    the expected reduction of its variance, ``Var f - E_answer Var(f | answer)``.
``"best_path"``
    the probability of the best introduction path to the decision-maker
    (:func:`~stakegraph.paths`), the same way.
``"targets"``
    the probability that the answer changes whom :func:`~stakegraph.targets`
    says to win first.

The possible accounts are drawn from the beliefs (``samples`` of them, seeded),
or, when every combination of the uncertain things fits in ``exact``
states, enumerated with their probabilities, so that the worth of each
question is exact. For committee support every state is solved in one
batched system (:func:`~stakegraph.analysis.uncertain.settled_views`); the
other objectives run their analysis on each state's account.

Whom to ask: among the informants who reported on the person (or on either
end of the tie) and the people of our team or the customer's coaches tied to
them, the most reliable by the beliefs' estimates.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import StakegraphError, ValidationError
from ..method import words
from ..method.checks import check_choice, check_int, check_seed
from ..method.vocabulary import Org, Role, Stance
from ..results import Result
from .fuse import STANCES, Beliefs
from .paths import paths
from .targets import targets
from .uncertain import committee_support, settled_views

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["OBJECTIVES", "Question", "Questions", "next_questions"]

OBJECTIVES = ("committee_support", "best_path", "targets")


@dataclass(frozen=True)
class Question:
    """One thing to find out.

    Attributes
    ----------
    about : {"stance", "tie"}
    subject : str
        The person (the tie's source).
    target : str or None
        The tie's target.
    kind : str or None
        The tie's kind.
    worth : float
        What the answer is expected to settle (see :func:`next_questions`).
    probability : float
        The tie's probability, or the most probable stance's.
    ask : str or None
        Whom to ask (an informant or a person id), None when nobody can know.
    text : str
        The question in plain words, with whom to ask.
    """

    about: str
    subject: str
    target: str | None
    kind: str | None
    worth: float
    probability: float
    ask: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The question as plain data."""
        return {
            "about": self.about,
            "id": self.subject,
            "target": self.target,
            "kind": self.kind,
            "worth": self.worth,
            "probability": self.probability,
            "ask": self.ask,
            "question": self.text,
        }


@dataclass(frozen=True)
class Questions(Result):
    """The questions worth asking, best first (see :func:`next_questions`)."""

    objective: str
    questions: tuple[Question, ...]
    variance: float
    states: int
    exact: bool
    names: Mapping[str, str]

    _title = "What to ask next"

    def to_dict(self) -> dict[str, Any]:
        """``{"objective", "variance", "exact", "states", "questions": [...]}``."""
        return {
            "objective": self.objective,
            "variance": self.variance,
            "exact": self.exact,
            "states": self.states,
            "questions": [q.to_dict() for q in self.questions],
        }

    def _table(self) -> list[dict[str, Any]]:
        return [q.to_dict() for q in self.questions]

    def _summary(self) -> list[str]:
        how = "exactly" if self.exact else f"over {self.states} sampled accounts"
        return [
            f"Questions ranked by what their answer settles about {self.objective.replace('_', ' ')} ({how})."
        ]

    def lines(self) -> list[str]:
        """One line per question, best first."""
        return [f"{i}. {q.text}" for i, q in enumerate(self.questions, 1)]


# ----------------------------------------------------------------------------- the uncertain things
@dataclass
class _Unknown:
    about: str
    subject: str
    target: str | None
    kind: str | None
    values: list[Any]  # the possible answers
    probs: np.ndarray  # their probabilities


def _unknowns(beliefs: Beliefs) -> list[_Unknown]:
    g = beliefs.graph_
    out: list[_Unknown] = []
    for (s, t, k), p in zip(beliefs.tie_keys, beliefs.tie_p):
        if 1e-9 < p < 1 - 1e-9:
            out.append(_Unknown("tie", s, t, k, [True, False], np.array([p, 1 - p])))
    for pid, dist in beliefs.stance_distribution.items():
        probs = np.array([dist[s.value] for s in STANCES])
        if probs.max() < 1 - 1e-9:
            out.append(_Unknown("stance", pid, None, None, list(STANCES), probs / probs.sum()))
    for pid, p in g.people.items():
        if (
            pid not in beliefs.stance_distribution
            and p.org is Org.CUSTOMER
            and p.stance is Stance.UNKNOWN
            and any(r is not Role.COACH for r in p.roles)
        ):
            out.append(
                _Unknown("stance", pid, None, None, list(STANCES), np.full(len(STANCES), 1 / len(STANCES)))
            )
    return out


def _account(beliefs: Beliefs, unknowns: Sequence[_Unknown], answer: Sequence[Any]) -> StakeholderGraph:
    """The most probable account with each unknown set to its answer."""
    ties = {
        (u.subject, str(u.target), str(u.kind)): bool(a) for u, a in zip(unknowns, answer) if u.about == "tie"
    }
    stances = {u.subject: a for u, a in zip(unknowns, answer) if u.about == "stance"}
    return beliefs.account(ties=ties, stances=stances)


def _committee_support(
    beliefs: Beliefs, unknowns: Sequence[_Unknown], states: Sequence[tuple[Any, ...]]
) -> np.ndarray:
    """Committee support after Friedkin-Johnsen in every state, solved together (see :func:`settled_views`)."""
    ties = np.tile(beliefs.tie_p >= 0.5, (len(states), 1))
    index = {k: j for j, k in enumerate(beliefs.tie_keys)}
    stances: dict[str, list[Stance]] = {}
    for u_i, u in enumerate(unknowns):
        answers = [s[u_i] for s in states]
        if u.about == "tie":
            ties[:, index[(u.subject, str(u.target), str(u.kind))]] = answers
        else:
            stances[u.subject] = answers
    acc, after = settled_views(beliefs, ties, stances)
    return acc.per_draw(committee_support(acc.view, after))


def _objective(name: str) -> Callable[[StakeholderGraph], Any]:
    if name == "best_path":

        def best(g: StakeholderGraph) -> float:
            try:
                p = paths(g, k=1)
            except StakegraphError:
                return 0.0
            probs = [r["probability"] for r in p.to_dict().get("paths", [])]
            return float(max(probs)) if probs else 0.0

        return best

    def first(g: StakeholderGraph) -> str:
        rows = targets(g, k=1).to_dict()["targets"]
        return str(rows[0]["id"]) if rows else ""

    return first


def _states(
    unknowns: Sequence[_Unknown], samples: int, exact: int, rng: np.random.Generator
) -> tuple[list[tuple[Any, ...]], np.ndarray, bool]:
    """The joint answers to evaluate and their weights: all of them when few enough, else draws."""
    total = math.prod(len(u.values) for u in unknowns)
    if total <= exact:
        combos = list(itertools.product(*[range(len(u.values)) for u in unknowns]))
        w = np.array([math.prod(float(u.probs[i]) for u, i in zip(unknowns, c)) for c in combos])
        keep = w > 0
        combos = [c for c, k in zip(combos, keep) if k]
        states = [tuple(u.values[i] for u, i in zip(unknowns, c)) for c in combos]
        return states, w[keep] / w[keep].sum(), True
    picks = [rng.choice(len(u.values), size=samples, p=u.probs) for u in unknowns]
    states = [tuple(u.values[int(p[s])] for u, p in zip(unknowns, picks)) for s in range(samples)]
    return states, np.full(samples, 1.0 / samples), False


def _worth(values: Sequence[Any], weights: np.ndarray, answers: Sequence[Any], numeric: bool) -> float:
    """Expected variance reduction (numeric) or the probability that the answer changes the choice."""
    groups: dict[Any, list[int]] = {}
    for i, a in enumerate(answers):
        groups.setdefault(a if not isinstance(a, Stance) else a.value, []).append(i)
    if numeric:
        f = np.asarray(values, dtype=float)
        mean = float(np.sum(weights * f))
        var = float(np.sum(weights * (f - mean) ** 2))
        after = 0.0
        for idx in groups.values():
            wa = weights[idx]
            pa = float(wa.sum())
            if pa <= 0:
                continue
            m = float(np.sum(wa * f[idx]) / pa)
            after += float(np.sum(wa * (f[idx] - m) ** 2))
        return max(var - after, 0.0)
    # a choice: how likely the answer leads to a different choice than the one made without it
    overall: dict[Any, float] = {}
    for v, w in zip(values, weights):
        overall[v] = overall.get(v, 0.0) + float(w)
    now = max(overall, key=lambda v: overall[v])
    changed = 0.0
    for idx in groups.values():
        by: dict[Any, float] = {}
        for i in idx:
            by[values[i]] = by.get(values[i], 0.0) + float(weights[i])
        if max(by, key=lambda v: by[v]) != now:
            changed += sum(by.values())
    return changed


def _reliability(beliefs: Beliefs) -> dict[str, float]:
    out = {}
    for r in beliefs.informants:
        parts = []
        if r["stance_accuracy"] is not None:
            parts.append(r["stance_accuracy"])
        if r["false_positive"] is not None:
            parts.append(1 - (r["false_positive"] + r["false_negative"]) / 2)
        out[r["informant"]] = float(np.mean(parts)) if parts else 0.5
    return out


def _who_can_know(beliefs: Beliefs) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per person, the informants who reported on them, and our people and coaches tied to them."""
    g = beliefs.graph_
    reported: dict[str, set[str]] = {}
    for o in g.observations:
        for pid in (o.subject, o.target):
            if pid is not None:
                reported.setdefault(pid, set()).add(o.informant)
    tied: dict[str, set[str]] = {}
    for t in g.ties:
        for a, b in ((t.source, t.target), (t.target, t.source)):
            p = g.person(b)
            if p.org is Org.US or Role.COACH in p.roles:
                tied.setdefault(a, set()).add(b)
    return reported, tied


def _whom(
    u: _Unknown,
    can_know: tuple[Mapping[str, set[str]], Mapping[str, set[str]]],
    reliability: Mapping[str, float],
) -> str | None:
    reported, tied = can_know
    ends = {u.subject} | ({u.target} if u.target else set())
    knew = set().union(*(reported.get(e, set()) for e in ends))
    knew |= set().union(*(tied.get(e, set()) for e in ends)) - ends
    if not knew:
        return None
    return max(sorted(knew), key=lambda k: reliability.get(k, 0.5))


def _text(beliefs: Beliefs, u: _Unknown, ask: str | None, p: float) -> str:
    g = beliefs.graph_
    if u.about == "tie":
        src, dst = g.person(u.subject), g.person(str(u.target))
        q = f"Is there a {u.kind} tie between {words.who(src)} and {words.who(dst)}? (now {p:.0%} likely)"
    else:
        person = g.person(u.subject)
        if u.subject in beliefs.stance_distribution:
            best = STANCES[int(np.argmax(u.probs))].value
            q = f"Where does {words.who(person)} stand? (now most likely {best}, {p:.0%})"
        else:
            q = f"Where does {words.who(person)} stand? (nobody has reported it)"
    if ask is None:
        return q + " Nobody we know can tell: meet them, or find someone who does."
    who = words.who(g.person(ask), title=False) if ask in g.people else ask
    return q + f" Ask {who}."


def next_questions(
    beliefs: Beliefs,
    k: int = 5,
    objective: str = "committee_support",
    *,
    samples: int = 200,
    exact: int = 4096,
    seed: int | np.random.Generator | None = 0,
) -> Questions:
    """The ``k`` questions whose answers are worth most for ``objective``, each with whom to ask.

    Parameters
    ----------
    beliefs : Beliefs
        From :func:`~stakegraph.fuse`.
    k : int, default 5
    objective : {"committee_support", "best_path", "targets"}
        What the answers should settle (see the module's notes).
    samples : int, default 200
        Accounts drawn when there are too many combinations to enumerate.
    exact : int, default 4096
        Enumerate every combination of the uncertain things when there are at
        most this many, and give each question's exact worth.
    seed : int, Generator or None, default 0

    Returns
    -------
    Questions

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("dm", roles=["decision_maker"]); g.add_person("cfo", roles=["approver"])
    >>> g.add_person("rep", org="us"); g.add_tie("rep", "cfo", "knows", 0.8)
    >>> g.observe("rep", "stance", "cfo", "supporter"); g.observe("partner", "stance", "cfo", "hostile")
    >>> q = sg.next_questions(sg.fuse(g, ties="consensus", stances="majority"), k=2)
    >>> [(x.about, x.subject) for x in q.questions]
    [('stance', 'dm'), ('stance', 'cfo')]
    """
    func = "next_questions"
    if not isinstance(beliefs, Beliefs):
        raise ValidationError(
            f"The 'beliefs' parameter of {func} must be the Beliefs sg.fuse returns. "
            f"Got {type(beliefs).__name__} instead."
        )
    check_int(k, "k", func, low=1)
    check_choice(objective, "objective", func, OBJECTIVES)
    check_int(samples, "samples", func, low=2)
    check_int(exact, "exact", func, low=1)
    rng = np.random.default_rng(check_seed(seed, func))
    unknowns = _unknowns(beliefs)
    names = {pid: p.name for pid, p in beliefs.graph_.people.items() if p.name}
    if not unknowns:
        return Questions(objective, (), 0.0, 1, True, MappingProxyType(names))
    states, weights, is_exact = _states(unknowns, samples, exact, rng)
    if objective == "committee_support":  # every state in one batched Friedkin-Johnsen solve
        values: list[Any] = list(_committee_support(beliefs, unknowns, states))
    else:
        f = _objective(objective)
        values = [f(_account(beliefs, unknowns, s)) for s in states]
    numeric = objective != "targets"
    variance = 0.0
    if numeric:
        arr = np.asarray(values, dtype=float)
        variance = float(np.sum(weights * (arr - np.sum(weights * arr)) ** 2))
    reliability = _reliability(beliefs)
    can_know = _who_can_know(beliefs)
    scored = []
    for j, u in enumerate(unknowns):
        worth = _worth(values, weights, [s[j] for s in states], numeric)
        p = float(u.probs[0]) if u.about == "tie" else float(u.probs.max())
        ask = _whom(u, can_know, reliability)
        scored.append(
            Question(u.about, u.subject, u.target, u.kind, worth, p, ask, _text(beliefs, u, ask, p))
        )
    scored.sort(key=lambda q: (-q.worth, q.about, q.subject, q.target or ""))
    return Questions(objective, tuple(scored[:k]), variance, len(states), is_exact, MappingProxyType(names))
