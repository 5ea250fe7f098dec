"""Snapshots of one account over time: what changed (:func:`compare`) and the trend (:func:`timeline`).

A snapshot is a :class:`~stakegraph.StakeholderGraph` dated by its deal's
``as_of`` (``g.snapshot("2026-10-13")``, or several read at once with
:func:`~stakegraph.read_snapshots`). :func:`compare` reports who joined or
left, whose stance moved (naming the backsliders and the new allies), which
ties appeared or went, committee support and reach then and now, the health
score then and now, and the findings of :func:`~stakegraph.diagnose` that
appeared or were resolved. :func:`timeline` gives the same numbers per
snapshot for a trend plot.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..influence import InfluenceModel, check_influence
from ..method.vocabulary import ACTIVE_SUPPORT, Stance
from ..method.words import finite_or_none
from ..model import check_graph
from ..results import Result
from .diagnose import DiagnoseSettings, Finding, backsliders, diagnose, in_both
from .propagate import committee_summary

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph, Tie

__all__ = ["Change", "StanceChange", "Timeline", "compare", "timeline"]


def _iso(d: _dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _pair(a: float, b: float) -> dict[str, float | None]:
    return {"old": finite_or_none(a), "new": finite_or_none(b)}


@dataclass(frozen=True)
class StanceChange:
    """A person whose stance, support or non-support reason differs between two snapshots.

    Attributes
    ----------
    id : str
    stance_from, stance_to : Stance
        The stance (the nearest stance when only ``support`` is given).
    support_from, support_to : float
        Support values (nan when unknown).
    reason_from, reason_to : str or None
    direction : {"up", "down", "same", "unknown"}
        Whether support rose or fell ("same" when only the reason changed;
        "unknown" when either value is unknown).
    """

    id: str
    stance_from: Stance
    stance_to: Stance
    support_from: float
    support_to: float
    reason_from: str | None
    reason_to: str | None
    direction: str

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "from", "to", "support_from", "support_to", "reason_from", "reason_to", "direction"}``."""
        return {
            "id": self.id,
            "from": self.stance_from.value,
            "to": self.stance_to.value,
            "support_from": finite_or_none(self.support_from),
            "support_to": finite_or_none(self.support_to),
            "reason_from": self.reason_from,
            "reason_to": self.reason_to,
            "direction": self.direction,
        }


@dataclass(frozen=True)
class Change(Result):
    """What changed in an account between two snapshots (see :func:`compare`).

    Attributes
    ----------
    as_of : (date or None, date or None)
        The two snapshots' dates.
    added, removed : tuple of str
        People who joined or left.
    stance_changes : tuple of StanceChange
        People in both snapshots whose stance, support or reason changed.
    backsliders : tuple of str
        People who were supportive and are less so, or newly have the reason
        ``backsliding``.
    new_allies : tuple of str
        People in both snapshots who are now ally or champion and were not.
    ties_gained, ties_lost : tuple of Tie
    ties_changed : tuple of (Tie, Tie)
        Ties in both whose strength changed (old, new).
    committee_support, committee_support_after, reach, score : (float, float)
        Old and new values: committee support now and after people talk
        (Friedkin-Johnsen), reach, and the deal-health score.
    findings_appeared, findings_resolved : tuple of Finding
        Findings of :func:`~stakegraph.diagnose` (matched by code and people)
        present only in the new, or only in the old snapshot.
    names : mapping of id -> str
        Display names of everyone in either snapshot.
    """

    as_of: tuple[_dt.date | None, _dt.date | None]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    stance_changes: tuple[StanceChange, ...]
    backsliders: tuple[str, ...]
    new_allies: tuple[str, ...]
    ties_gained: tuple["Tie", ...]
    ties_lost: tuple["Tie", ...]
    ties_changed: tuple[tuple["Tie", "Tie"], ...]
    committee_support: tuple[float, float]
    committee_support_after: tuple[float, float]
    reach: tuple[float, float]
    score: tuple[float, float]
    findings_appeared: tuple[Finding, ...]
    findings_resolved: tuple[Finding, ...]
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)

    _title = "Change between snapshots"

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types; see the class attributes for the keys."""

        def tie(t: "Tie") -> dict[str, Any]:
            return {
                "source": t.source,
                "target": t.target,
                "kind": t.kind.value,
                "strength": float(t.strength),
            }

        return {
            "as_of": {"old": _iso(self.as_of[0]), "new": _iso(self.as_of[1])},
            "people_added": list(self.added),
            "people_removed": list(self.removed),
            "stance_changes": [s.to_dict() for s in self.stance_changes],
            "backsliders": list(self.backsliders),
            "new_allies": list(self.new_allies),
            "ties_gained": [tie(t) for t in self.ties_gained],
            "ties_lost": [tie(t) for t in self.ties_lost],
            "ties_changed": [
                {
                    "source": a.source,
                    "target": a.target,
                    "kind": a.kind.value,
                    "strength_from": float(a.strength),
                    "strength_to": float(b.strength),
                }
                for a, b in self.ties_changed
            ],
            "committee_support": _pair(*self.committee_support),
            "committee_support_after": _pair(*self.committee_support_after),
            "reach": _pair(*self.reach),
            "score": _pair(*self.score),
            "findings_appeared": [f.to_dict() for f in self.findings_appeared],
            "findings_resolved": [f.to_dict() for f in self.findings_resolved],
        }

    def name_of(self, pid: str) -> str:
        """The name of a person in either snapshot (their id when unnamed)."""
        return self.names.get(pid, pid)

    def _table(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for pid in self.added:
            rows.append({"id": pid, "name": self.name_of(pid), "change": "added", "from": None, "to": None})
        for pid in self.removed:
            rows.append({"id": pid, "name": self.name_of(pid), "change": "removed", "from": None, "to": None})
        for s in self.stance_changes:
            tag = (
                "backslider"
                if s.id in self.backsliders
                else "new ally"
                if s.id in self.new_allies
                else f"stance {s.direction}"
            )
            fr = s.stance_from.value + (f" ({s.reason_from})" if s.reason_from else "")
            to = s.stance_to.value + (f" ({s.reason_to})" if s.reason_to else "")
            rows.append({"id": s.id, "name": self.name_of(s.id), "change": tag, "from": fr, "to": to})
        return rows

    def _summary(self) -> list[str]:
        return self.lines()[:4]

    def describe(self) -> str:
        """The change in plain sentences, one per line: :meth:`lines` joined."""
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """The change in plain sentences, one per line.

        Examples
        --------
        >>> import stakegraph as sg
        >>> ch = sg.compare(sg.datasets.load("bank"), sg.datasets.load("bank_later"))
        >>> print(ch.lines()[0])
        From 2026-09-15 to 2026-10-13: 1 person added, 0 removed, 2 stance changes, 4 ties gained, 2 lost.
        """
        a, b = self.as_of
        span = f"From {_iso(a) or 'the old snapshot'} to {_iso(b) or 'the new snapshot'}"
        n_add = len(self.added)
        lines = [
            f"{span}: {n_add} {'person' if n_add == 1 else 'people'} added, {len(self.removed)} removed, "
            f"{len(self.stance_changes)} stance change{'s' if len(self.stance_changes) != 1 else ''}, "
            f"{len(self.ties_gained)} tie{'s' if len(self.ties_gained) != 1 else ''} gained, "
            f"{len(self.ties_lost)} lost."
        ]

        def fmt(pair: tuple[float, float], spec: str) -> str:
            return " → ".join("n/a" if v is None or v != v else format(v, spec) for v in pair)

        lines.append(
            f"Committee support {fmt(self.committee_support, '+.2f')} (after people talk "
            f"{fmt(self.committee_support_after, '+.2f')}); reach {fmt(self.reach, '.0f')}; "
            f"health {fmt(self.score, '.0f')}."
        )
        by_id = {s.id: s for s in self.stance_changes}
        if self.backsliders:
            lines.append("Backsliding: " + "; ".join(self._moved(by_id, i) for i in self.backsliders) + ".")
        if self.new_allies:
            lines.append("New allies: " + "; ".join(self._moved(by_id, i) for i in self.new_allies) + ".")
        if self.added:
            lines.append("New people: " + ", ".join(self.name_of(i) for i in self.added) + ".")
        if self.removed:
            lines.append("Gone: " + ", ".join(self.name_of(i) for i in self.removed) + ".")
        if self.findings_appeared:
            lines.append("New findings: " + "; ".join(_short(f, self) for f in self.findings_appeared) + ".")
        if self.findings_resolved:
            lines.append("Resolved: " + "; ".join(_short(f, self) for f in self.findings_resolved) + ".")
        return lines

    def _moved(self, by_id: Mapping[str, StanceChange], pid: str) -> str:
        s = by_id.get(pid)
        if s is None:
            return self.name_of(pid)
        fr = s.stance_from.value + (f", {s.reason_from}" if s.reason_from else "")
        to = s.stance_to.value + (f", {s.reason_to}" if s.reason_to else "")
        return f"{self.name_of(pid)} ({fr} → {to})"

    def plot(self, ax: "Axes | None" = None, **kw: Any) -> "Figure":
        """Support before and after of everyone whose stance changed, by name; see :func:`stakegraph.viz.plots.plot_change`."""
        from ..viz.plots import plot_change

        return plot_change(self, ax, **kw)


def _short(f: Finding, ch: Change) -> str:
    who = ", ".join(ch.name_of(p) for p in f.people)
    return f"{f.code}" + (f" ({who})" if who else "")


def _check_settings(settings: Any, func: str) -> DiagnoseSettings:
    if settings is None:
        return DiagnoseSettings()
    if not isinstance(settings, DiagnoseSettings):
        raise ValidationError(
            f"The 'settings' parameter of {func} must be a DiagnoseSettings or None. "
            f"Got {type(settings).__name__} instead."
        )
    return settings


def _stance_changes(old: "StakeholderGraph", new: "StakeholderGraph") -> list[StanceChange]:
    out = []
    for pid, p, q in in_both(old, new):
        s0, s1 = p.support_value, q.support_value
        r0 = p.reason.value if p.reason is not None else None
        r1 = q.reason.value if q.reason is not None else None
        same_support = (s0 == s1) or (s0 != s0 and s1 != s1)
        if p.stance is q.stance and same_support and r0 == r1:
            continue
        if s0 != s0 or s1 != s1:
            direction = "unknown"
        elif s1 > s0 + 1e-12:
            direction = "up"
        elif s1 < s0 - 1e-12:
            direction = "down"
        else:
            direction = "same"
        out.append(
            StanceChange(
                id=pid,
                stance_from=p.effective_stance,
                stance_to=q.effective_stance,
                support_from=s0,
                support_to=s1,
                reason_from=r0,
                reason_to=r1,
                direction=direction,
            )
        )
    return out


def compare(
    old: "StakeholderGraph",
    new: "StakeholderGraph",
    *,
    settings: DiagnoseSettings | None = None,
    influence: InfluenceModel | None = None,
) -> Change:
    """What changed in an account between two snapshots.

    Parameters
    ----------
    old, new : StakeholderGraph
        Two snapshots of one account, the earlier first (people matched by id).
    settings : DiagnoseSettings, optional
        Thresholds of the diagnoses compared.

    influence : InfluenceModel, optional
        How ties carry influence (default: each graph's model), for the analyses compared.
    Returns
    -------
    Change
        People added and removed; stance changes (from, to, support, reason,
        direction) with the backsliders (were supportive and are less so, or
        newly ``backsliding``) and the new allies (now ally or champion, not
        before); ties gained, lost and changed in strength; committee support
        now and after people talk (Friedkin-Johnsen) and reach, old and new;
        the health score old and new; and the findings that appeared or were
        resolved (matched by code and people). The new snapshot is diagnosed
        with ``previous=old``, so shrinking support shows as a new
        ``SUPPORT_SHRINKING`` finding.

    Raises
    ------
    ValidationError
        If ``old`` or ``new`` is not a StakeholderGraph, or for bad settings.

    Examples
    --------
    >>> import stakegraph as sg
    >>> ch = sg.compare(sg.datasets.load("bank"), sg.datasets.load("bank_later"))
    >>> ch.added, ch.backsliders, ch.new_allies
    (('ciso',), ('head_fpa',), ('it_security',))
    >>> [(s.id, s.stance_from.value, s.stance_to.value) for s in ch.stance_changes]
    [('it_security', 'skeptic', 'ally'), ('head_fpa', 'supporter', 'skeptic')]
    >>> sorted(t.kind.value for t in ch.ties_lost)
    ['influences', 'reports_to']
    """
    check_graph(old, "compare", "old")
    check_graph(new, "compare", "new")
    influence = check_influence(influence, "compare")
    settings = _check_settings(settings, "compare")
    added = tuple(i for i in new.people if i not in old.people)
    removed = tuple(i for i in old.people if i not in new.people)
    changes = _stance_changes(old, new)
    slid = tuple(backsliders(old, new))
    allies = []
    for pid, p, q in in_both(old, new):
        s0, s1 = p.support_value, q.support_value
        if s1 == s1 and s1 >= ACTIVE_SUPPORT and not (s0 == s0 and s0 >= ACTIVE_SUPPORT):
            allies.append(pid)
    old_ties = {t.key: t for t in old.ties}
    new_ties = {t.key: t for t in new.ties}
    gained = tuple(t for k, t in new_ties.items() if k not in old_ties)
    lost = tuple(t for k, t in old_ties.items() if k not in new_ties)
    changed = tuple(
        (old_ties[k], t) for k, t in new_ties.items() if k in old_ties and old_ties[k].strength != t.strength
    )
    c0 = committee_summary(old, influence=influence)
    c1 = committee_summary(new, influence=influence)
    d0 = diagnose(old, settings=settings, influence=influence)
    d1 = diagnose(new, previous=old, settings=settings, influence=influence)
    k0 = {f.key for f in d0.findings}
    k1 = {f.key for f in d1.findings}
    names = {pid: p.label for pid, p in old.people.items()}
    names.update({pid: p.label for pid, p in new.people.items()})
    return Change(
        as_of=(old.deal.as_of, new.deal.as_of),
        added=added,
        removed=removed,
        stance_changes=tuple(changes),
        backsliders=slid,
        new_allies=tuple(allies),
        ties_gained=gained,
        ties_lost=lost,
        ties_changed=changed,
        committee_support=(c0[0], c1[0]),
        committee_support_after=(c0[1], c1[1]),
        reach=(c0[2], c1[2]),
        score=(d0.score, d1.score),
        findings_appeared=tuple(f for f in d1.findings if f.key not in k0),
        findings_resolved=tuple(f for f in d0.findings if f.key not in k1),
        names=MappingProxyType(names),
    )


# ----------------------------------------------------------------------------- timeline
@dataclass(frozen=True)
class Timeline(Result):
    """Committee support, reach and deal health per snapshot (see :func:`timeline`).

    Attributes
    ----------
    rows : tuple of dict
        One per snapshot, in the order given: ``as_of`` (date or None),
        ``committee_support`` (now), ``committee_support_after`` (after people
        talk, Friedkin-Johnsen), ``reach``, ``score``, ``people`` (customer
        people), ``critical`` (number of critical findings) and ``codes``.
    """

    rows: tuple[Mapping[str, Any], ...]

    _title = "Timeline"

    def to_dict(self) -> dict[str, Any]:
        """``{"snapshots": [{"as_of", "committee_support", "committee_support_after", "reach", "score",
        "people", "critical", "codes"}]}``."""
        out = []
        for r in self.rows:
            out.append(
                {
                    "as_of": _iso(r["as_of"]),
                    "committee_support": finite_or_none(r["committee_support"]),
                    "committee_support_after": finite_or_none(r["committee_support_after"]),
                    "reach": finite_or_none(r["reach"]),
                    "score": float(r["score"]),
                    "people": int(r["people"]),
                    "critical": int(r["critical"]),
                    "codes": list(r["codes"]),
                }
            )
        return {"snapshots": out}

    def _table(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "codes"} for r in self.to_dict()["snapshots"]]

    def _summary(self) -> list[str]:
        if not self.rows:
            return []
        a, b = self.rows[0], self.rows[-1]
        return [f"{len(self.rows)} snapshots; health {a['score']:.0f} → {b['score']:.0f}"]

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> Any:
        """The rows as a DataFrame indexed by date."""
        frame = super().to_frame()
        return frame.set_index("as_of") if "as_of" in frame.columns else frame

    def plot(self, ax: Any = None) -> Any:
        """Trend of committee support (now and after people talk) and reach; returns the Figure.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into this Axes (reach goes on a twin axis); default: a new Figure.

        Examples
        --------
        >>> import stakegraph as sg
        >>> tl = sg.timeline([sg.datasets.load("bank"), sg.datasets.load("bank_later")])
        >>> fig = tl.plot()
        >>> len(fig.axes)
        2
        """
        from ..viz.figure import new_figure

        if ax is None:
            fig = new_figure((7, 3.5))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        dates = [r["as_of"] for r in self.rows]
        xs: list[Any] = dates if all(d is not None for d in dates) else list(range(1, len(self.rows) + 1))
        nan = float("nan")
        now = [nan if r["committee_support"] is None else r["committee_support"] for r in self.rows]
        after = [
            nan if r["committee_support_after"] is None else r["committee_support_after"] for r in self.rows
        ]
        reach = [nan if r["reach"] is None else r["reach"] for r in self.rows]
        ax.axhline(0.0, color="#999999", linewidth=0.8)
        ax.plot(xs, now, marker="o", color="#1f77b4", label="committee support now")
        ax.plot(xs, after, marker="o", linestyle="--", color="#2ca02c", label="after people talk (FJ)")
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel("committee support")
        ax2 = ax.twinx()
        ax2.plot(xs, reach, marker="s", color="#ff7f0e", label="reach")
        ax2.set_ylabel("reach (supportive people)")
        top = max([v for v in reach if v == v] or [1.0])
        ax2.set_ylim(0, top * 1.15 + 1)
        lines = ax.get_lines()[1:] + ax2.get_lines()
        ax.legend(lines, [ln.get_label() for ln in lines], loc="lower left", fontsize=8)
        ax.set_title("Support and reach over time")
        ax.set_xticks(xs)
        if xs and isinstance(xs[0], _dt.date):
            ax.set_xticklabels([d.isoformat() for d in xs])
            fig.autofmt_xdate()
        else:
            ax.set_xlabel("snapshot")
        return fig


def timeline(
    snapshots: Sequence["StakeholderGraph"],
    *,
    settings: DiagnoseSettings | None = None,
    influence: InfluenceModel | None = None,
) -> Timeline:
    """Committee support, reach and health score for each snapshot of an account.

    Parameters
    ----------
    snapshots : sequence of StakeholderGraph
        Snapshots of one account, oldest first (e.g. from
        :func:`~stakegraph.read_snapshots`).
    settings : DiagnoseSettings, optional
        Thresholds of the diagnoses.

    influence : InfluenceModel, optional
        How ties carry influence (default: each graph's model), for the analyses compared.
    Returns
    -------
    Timeline
        One row per snapshot, in the order given: the date (``deal.as_of``),
        committee support now and after people talk (Friedkin-Johnsen), reach,
        the health score (each snapshot diagnosed with the one before as
        ``previous``), the number of customer people and of critical findings,
        and the finding codes. ``.plot()`` draws the trend.

    Raises
    ------
    ValidationError
        If ``snapshots`` is empty or holds something other than graphs.

    Examples
    --------
    >>> import stakegraph as sg
    >>> tl = sg.timeline([sg.datasets.load("bank"), sg.datasets.load("bank_later")])
    >>> [r["as_of"] for r in tl.to_dict()["snapshots"]]
    ['2026-09-15', '2026-10-13']
    """
    settings = _check_settings(settings, "timeline")
    influence = check_influence(influence, "timeline")
    if isinstance(snapshots, (str, bytes)) or not isinstance(snapshots, Sequence):
        try:
            snapshots = list(snapshots)
        except TypeError:
            raise ValidationError(
                f"The 'snapshots' parameter of timeline must be a list of StakeholderGraph. "
                f"Got {type(snapshots).__name__} instead."
            ) from None
    if not snapshots:
        raise ValidationError(
            "The 'snapshots' parameter of timeline must hold at least one StakeholderGraph. "
            "Got an empty list instead."
        )
    for i, g in enumerate(snapshots):
        check_graph(g, "timeline", f"snapshots[{i}]")
    rows = []
    prev = None
    for g in snapshots:
        now, after, reach = committee_summary(g, influence=influence)
        d = diagnose(g, previous=prev, settings=settings, influence=influence)
        rows.append(
            MappingProxyType(
                {
                    "as_of": g.deal.as_of,
                    "committee_support": finite_or_none(now),
                    "committee_support_after": finite_or_none(after),
                    "reach": finite_or_none(reach),
                    "score": d.score,
                    "people": len(g.ids("customer")),
                    "critical": d.counts()["critical"],
                    "codes": tuple(d.codes()),
                }
            )
        )
        prev = g
    return Timeline(rows=tuple(rows))
