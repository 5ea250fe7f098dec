"""One picture per analysis result, by name, for a notebook or a slide.

Each function takes a result and, optionally, the matplotlib Axes to draw
into; it returns the Figure (the caller's when ``ax`` is given, else a new
:class:`~stakegraph.viz.figure.Figure` that displays itself in Jupyter). The
result's ``.plot()`` method calls the function of its kind:

- :func:`plot_ranking` — :meth:`Ranking.plot <stakegraph.analysis.rank.Ranking.plot>`;
- :func:`plot_propagation` — ``Propagation.plot``;
- :func:`plot_paths` — ``Paths.plot`` and ``TargetPaths.plot``;
- :func:`plot_targets` — ``Targets.plot``;
- :func:`plot_what_if` — ``WhatIf.plot``;
- :func:`plot_structure` — ``HiddenStructure.plot``;
- :func:`plot_diagnosis` — ``Diagnosis.plot``;
- :func:`plot_change` — ``Change.plot``.

People are labelled by name (:func:`shown_name`), in fonts that cover
Chinese, Japanese and Korean names where such fonts are installed.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..errors import ValidationError
from ..method.checks import check_int
from ._style import (
    BADGES,
    NODE_EDGE,
    STANCE_COLORS,
    UNKNOWN_EDGE,
    UNKNOWN_FILL,
    font_family,
    renderable,
    support_color,
)
from .figure import new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..analysis.compare import Change
    from ..analysis.diagnose import Diagnosis
    from ..analysis.fuse import Beliefs
    from ..analysis.paths import Paths, TargetPaths
    from ..analysis.propagate import Propagation
    from ..analysis.rank import Ranking
    from ..analysis.structure import HiddenStructure
    from ..analysis.targets import Targets, WhatIf
    from ..analysis.uncertain import (
        DiagnosisSpread,
        PathSpread,
        RankSpread,
        SupportSpread,
        TargetSpread,
        WhatIfSpread,
    )

__all__ = [
    "SEVERITY_COLORS",
    "plot_beliefs",
    "plot_change",
    "plot_diagnosis",
    "plot_paths",
    "plot_propagation",
    "plot_ranking",
    "plot_structure",
    "plot_targets",
    "plot_what_if",
    "shown_name",
]

SEVERITY_COLORS: dict[str, str] = {"critical": "#b2182b", "warning": "#f4a55a", "info": "#a6cfe6"}
"""Bar colours of the finding severities."""

_BAR = "#6b7b8c"
_UP = STANCE_COLORS["ally"]
_DOWN = STANCE_COLORS["skeptic"]
_TEXT = 8


# ----------------------------------------------------------------------------- shared
def _axes(ax: Any, size: tuple[float, float], func: str) -> tuple[Figure, Axes]:
    """The caller's Axes and its figure, or a new figure of ``size`` inches with one Axes."""
    if ax is None:
        fig = new_figure(size, layout="constrained")
        return fig, fig.add_subplot()
    if not (hasattr(ax, "figure") and hasattr(ax, "barh")):
        raise ValidationError(
            f"The 'ax' parameter of {func} must be a matplotlib Axes or None. Got {type(ax).__name__} instead."
        )
    return cast("Figure", ax.figure), cast("Axes", ax)


def shown_name(result: Any, person_id: str) -> str:
    """The name a plot draws for ``person_id``: the result's name for them, or the id when no installed
    font has the name's script (so a label never turns into empty boxes).

    Examples
    --------
    >>> import stakegraph as sg
    >>> shown_name(sg.rank(sg.datasets.load("bank")), "cfo")
    'Helen Park'
    """
    name = result.name_of(person_id)
    return name if renderable(name) else person_id


def _height(rows: int, per: float = 0.32, base: float = 1.4) -> float:
    return per * max(rows, 3) + base


def _clean(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _title(ax: Any, text: str, width: int = 80) -> None:
    ax.set_title(textwrap.fill(text, width), loc="left", fontsize=10, fontfamily=font_family())


def _names_axis(ax: Any, labels: list[str]) -> None:
    """People's names as the y tick labels, the first on top."""
    y = np.arange(len(labels))
    ax.set_yticks(y, labels=labels, fontfamily=font_family(), fontsize=_TEXT)
    ax.set_ylim(len(labels) - 0.5, -0.5)


def _nothing(ax: Axes, fig: Figure, text: str) -> Figure:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontfamily=font_family())
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def _signed(v: float | None) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:+.2f}"


def _legend(ax: Any, items: list[tuple[str, str]], **kw: Any) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="none", label=t) for t, c in items]
    ax.legend(handles=handles, fontsize=7, frameon=False, **kw)


# ----------------------------------------------------------------------------- ranking
def plot_ranking(ranking: Ranking, ax: Axes | None = None, *, top: int = 10) -> Figure:
    """The ``top`` most powerful people as horizontal bars of ``power``, rank 1 on top.

    Bars are labelled with the person's name and power; hidden influencers
    (informal rank far above formal rank) stand out in their badge colour.

    Parameters
    ----------
    ranking : Ranking
        From :func:`stakegraph.rank`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.
    top : int, default 10
        How many people to show.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.rank(sg.datasets.load("bank")).plot(top=2)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Daniel Okafor', 'Marcus Lindqvist']
    """
    n = check_int(top, "top", "plot_ranking", low=1)
    rows = ranking.top(n)
    fig, ax = _axes(ax, (7.0, _height(len(rows))), "plot_ranking")
    if not rows:
        return _nothing(ax, fig, "no customer people to rank")
    hidden = BADGES["hidden"][1]
    power = [r.power for r in rows]
    y = np.arange(len(rows))
    ax.barh(y, power, height=0.7, color=[hidden if r.hidden_influencer else _BAR for r in rows])
    for yi, p in zip(y, power):
        ax.text(p + 0.01, float(yi), f"{p:.2f}", va="center", fontsize=_TEXT)
    _names_axis(ax, [shown_name(ranking, r.id) for r in rows])
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("power (authority, influence, brokerage and social power blended)", fontsize=_TEXT)
    if any(r.hidden_influencer for r in rows):
        _legend(ax, [("hidden influencer", hidden)], loc="lower right")
    _clean(ax)
    _title(ax, f"Key people: top {len(rows)} of {len(ranking)} customer people")
    return fig


def plot_rank_spread(result: RankSpread, ax: Axes | None = None, *, top: int = 15) -> Figure:
    """Each of the ``top`` people's rank on the most probable account and its 90% interval over the draws.

    A dot is the rank on the most probable account, the bar the ranks the
    person takes in 90% of the possible accounts; the share of draws in which
    they are in the top group is written beside it.

    Parameters
    ----------
    result : RankSpread
        From :func:`stakegraph.rank` on :class:`~stakegraph.Beliefs`.
    ax : matplotlib Axes, optional
    top : int, default 15
        How many people to show, in the point ranking's order.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.rank(sg.fuse(sg.datasets.load("bank"), seed=0), samples=20, seed=0).plot(top=3)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Daniel Okafor', 'Marcus Lindqvist', '王建國']
    """
    n = check_int(top, "top", "plot_rank_spread", low=1)
    ids = result.ids[:n]
    fig, ax = _axes(ax, (7.0, _height(len(ids))), "plot_rank_spread")
    if not ids:
        return _nothing(ax, fig, "no customer people to rank")
    band = result.rank_90
    y = np.arange(len(ids))
    lo = np.array([band[pid][0] for pid in ids], dtype=float)
    hi = np.array([band[pid][1] for pid in ids], dtype=float)
    ax.barh(y, hi - lo + 0.6, left=lo - 0.3, height=0.5, color=_BAR, alpha=0.6)
    ax.plot(np.arange(1, len(ids) + 1), y, "o", color=NODE_EDGE, markersize=5)
    right = float(hi.max()) + 1.0
    for yi, pid in zip(y, ids):
        share = float(result.p_top[result.ids.index(pid)])
        ax.text(right, float(yi), f"top {result.top}: {share:.0%}", va="center", fontsize=_TEXT)
    _names_axis(ax, [shown_name(result, pid) for pid in ids])
    ax.set_xlim(0.3, right + 0.25 * right + 2.0)
    ax.set_xlabel(
        f"rank (dot: most probable account; bar: 90% of {result.samples} possible accounts)", fontsize=_TEXT
    )
    _clean(ax)
    _title(ax, f"Key people over {result.samples} possible accounts")
    return fig


def plot_spread(result: SupportSpread | WhatIfSpread, ax: Axes | None = None, *, bins: int = 20) -> Figure:
    """How committee support (or its change under a what-if) falls over the possible accounts.

    A histogram of the draws, with the value on the most probable account
    and the 90% interval marked.

    Parameters
    ----------
    result : SupportSpread or WhatIfSpread
        From :func:`stakegraph.propagate` or :func:`stakegraph.what_if` on :class:`~stakegraph.Beliefs`.
    ax : matplotlib Axes, optional
    bins : int, default 20

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.propagate(sg.fuse(sg.datasets.load("bank"), seed=0), samples=30, seed=0).plot()
    >>> fig.axes[0].get_xlabel()
    'committee support after people talk'
    """
    from ..analysis.uncertain import SupportSpread

    check_int(bins, "bins", "plot_spread", low=1)
    fig, ax = _axes(ax, (7.0, 3.2), "plot_spread")
    if isinstance(result, SupportSpread):
        draws, point, label = (
            result.committee_support_draws,
            result.committee_support,
            "committee support after people talk",
        )
    else:
        draws = result.after_draws - result.before_draws
        point = result.point.committee_support[1] - result.point.committee_support[0]
        label = "change in committee support"
    draws = np.asarray(draws, dtype=float)
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return _nothing(ax, fig, "no committee support in any account")
    ax.hist(draws, bins=bins, color=_BAR, alpha=0.8)
    lo, hi = np.quantile(draws, [0.05, 0.95])
    ax.axvspan(lo, hi, color=_BAR, alpha=0.15, lw=0)
    ax.axvline(point, color=NODE_EDGE, lw=1.5)
    ax.set_xlabel(label, fontsize=_TEXT)
    ax.set_ylabel("possible accounts", fontsize=_TEXT)
    _clean(ax)
    _title(ax, f"{label.capitalize()} over {len(draws)} possible accounts: line, most probable; band, 90%")
    return fig


def plot_chances(
    result: PathSpread | TargetSpread | DiagnosisSpread, ax: Axes | None = None, *, top: int = 12
) -> Figure:
    """The chance of each path being best, each person being a target to win, or each finding.

    Parameters
    ----------
    result : PathSpread, TargetSpread or DiagnosisSpread
        From :func:`stakegraph.paths`, :func:`stakegraph.targets` or
        :func:`stakegraph.diagnose` on :class:`~stakegraph.Beliefs`.
    ax : matplotlib Axes, optional
    top : int, default 12
        How many bars.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.targets(sg.fuse(sg.datasets.load("bank"), seed=0), samples=30, seed=0).plot(top=3)
    >>> len(fig.axes[0].patches)
    3
    """
    from ..analysis.uncertain import PathSpread, TargetSpread

    n = check_int(top, "top", "plot_chances", low=1)
    if isinstance(result, PathSpread):
        rows = [
            (" > ".join(shown_name(result, x) for x in r["people"]), r["p_best"])
            for t in result.paths
            for r in result.paths[t]
        ]
        what = "share of possible accounts in which the path is the best"
    elif isinstance(result, TargetSpread):
        rows = [(shown_name(result, pid), float(p)) for pid, p in zip(result.ids, result.p_chosen)]
        what = f"share of possible accounts in which they are among the {result.k} to win next"
    else:
        rows = [
            (f"{f['code']} " + ", ".join(shown_name(result, x) for x in f["people"][:2]), f["probability"])
            for f in result.findings
        ]
        what = "share of possible accounts raising the finding"
    rows = rows[:n]
    fig, ax = _axes(ax, (7.0, _height(len(rows))), "plot_chances")
    if not rows:
        return _nothing(ax, fig, "nothing to show")
    y = np.arange(len(rows))
    ax.barh(y, [p for _, p in rows], height=0.7, color=_BAR)
    for yi, (_, p) in zip(y, rows):
        ax.text(p + 0.01, float(yi), f"{p:.0%}", va="center", fontsize=_TEXT)
    _names_axis(ax, [label for label, _ in rows])
    ax.set_xlim(0, 1.12)
    ax.set_xlabel(what, fontsize=_TEXT)
    _clean(ax)
    _title(ax, f"{result._title} ({result.samples} drawn)")
    return fig


# ----------------------------------------------------------------------------- propagation
def plot_propagation(result: Propagation, ax: Axes | None = None, *, max_people: int = 40) -> Figure:
    """Support before and after per customer person, or views over rounds when a trajectory was kept.

    fj, degroot: a dumbbell per person from ``before`` (open circle) to
    ``after`` (dot), the ``threshold`` marked; with ``trajectory`` kept, one
    line per person over the rounds instead. ic, lt: the probability of
    ending with us (green, with its 95% interval) and with them (red). At
    most ``max_people`` people are drawn: those who move most.

    Parameters
    ----------
    result : Propagation
        From :func:`stakegraph.propagate`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.
    max_people : int, default 40

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("cto", name="Ada", roles=["decision_maker"], stance="neutral")
    >>> g.add_person("arch", name="Bo", stance="champion")
    >>> g.add_tie("arch", "cto", "advises", 0.8)
    >>> fig = sg.propagate(g).plot()
    >>> sorted(t.get_text() for t in fig.axes[0].get_yticklabels())
    ['Ada', 'Bo']
    """
    p = result
    k = check_int(max_people, "max_people", "plot_propagation", low=1)
    fig, ax = _axes(ax, (7.5, 0.28 * min(k, max(4, int(p.customer.sum()))) + 1.6), "plot_propagation")
    fam = font_family()
    rows = np.flatnonzero(p.customer)
    if rows.size == 0:
        rows = np.arange(len(p.ids))
    labels = [shown_name(p, pid) for pid in p.ids]
    if p.trajectory is not None and not p.stochastic:
        traj = p.trajectory
        move = np.nan_to_num(np.abs(traj[-1, rows] - traj[0, rows]))
        pick = rows[np.argsort(-move, kind="stable")[:k]]
        t = np.arange(traj.shape[0])
        for i in pick:
            ax.plot(t, traj[:, i], lw=1.2, label=labels[i])
        if p.threshold is not None:
            ax.axhline(p.threshold, color="0.5", ls=":", lw=1)
        ax.set_xlabel("round")
        ax.set_ylabel("support")
        ax.set_ylim(-1.05, 1.05)
        if len(pick) <= 12:
            ax.legend(fontsize=7, loc="best", prop={"family": fam, "size": 7})
        _title(ax, f"{p.model}: views over rounds")
        return fig
    if p.stochastic:
        pt = p.p_them if p.p_them is not None else np.zeros(len(p.ids))
        move = p.after[rows] + pt[rows]
        pick = rows[np.argsort(-move, kind="stable")[:k]][::-1]
        y = np.arange(pick.size)
        ci = p.after_ci[pick] if p.after_ci is not None else np.c_[p.after[pick], p.after[pick]]
        ax.barh(y, p.after[pick], color="#2e7d32", label="with us")
        ax.barh(y, pt[pick], left=p.after[pick], color="#c62828", label="with them")
        ax.errorbar(
            p.after[pick],
            y,
            xerr=np.abs(np.vstack([p.after[pick] - ci[:, 0], ci[:, 1] - p.after[pick]])),
            fmt="none",
            ecolor="k",
            lw=0.8,
            capsize=2,
        )
        ax.set_xlim(0, 1)
        ax.set_xlabel("probability")
        ax.legend(fontsize=7, loc="lower right")
    else:
        move = np.nan_to_num(np.abs(p.after[rows] - np.nan_to_num(p.before[rows])), nan=0.0)
        pick = rows[np.argsort(-move, kind="stable")[:k]]
        pick = pick[np.argsort(np.nan_to_num(p.after[pick], nan=-2.0), kind="stable")]
        y = np.arange(pick.size)
        b, a = p.before[pick], p.after[pick]
        for yi, bi, ai in zip(y, b, a):
            if np.isfinite(bi) and np.isfinite(ai):
                ax.plot([bi, ai], [yi, yi], color="0.6", lw=1.5, zorder=1)
        ax.scatter(b, y, facecolors="none", edgecolors="0.3", label="before", zorder=2)
        colors = np.where(np.nan_to_num(a) >= 0, "#2e7d32", "#c62828")
        ax.scatter(a, y, c=list(colors), label="after", zorder=3)
        if p.threshold is not None:
            ax.axvline(p.threshold, color="0.5", ls=":", lw=1)
        ax.axvline(0, color="0.85", lw=0.8, zorder=0)
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("support")
        ax.legend(fontsize=7, loc="lower right")
    ax.set_yticks(y, labels=[labels[i] for i in pick], fontsize=7, fontfamily=fam)
    _title(
        ax,
        f"{p.model}: committee support {_signed(p.committee_support_before)} → {_signed(p.committee_support)}",
    )
    return fig


# ----------------------------------------------------------------------------- paths
def plot_paths(result: Paths | TargetPaths, ax: Axes | None = None) -> Figure:
    """Each introduction path as a chain of names, with the chance of every introduction.

    One row per path, most probable first, from the person who starts it
    (left) to the target (right); the number over an arrow is the chance that
    introduction works (over the first arrow, our own relationship with a
    customer who starts the path), the weakest one in orange, and the path's overall
    probability stands at its right. With several targets, each gets a
    heading row.

    Parameters
    ----------
    result : Paths or TargetPaths
        From :func:`stakegraph.paths`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.paths(sg.datasets.load("bank"), k=1).plot()
    >>> [t.get_text() for t in fig.axes[0].texts][:3]
    ['Tomasz Kowalski', 'Marcus Lindqvist', 'Daniel Okafor']
    """
    groups = tuple(result.by_target) if hasattr(result, "by_target") else (result,)
    many = len(groups) > 1
    n_rows = sum(max(1, len(t.paths)) for t in groups) + (len(groups) if many else 0)
    longest = max([len(p.people) for t in groups for p in t.paths] or [1])
    fig, ax = _axes(ax, (max(6.0, 1.9 * longest + 1.6), 0.75 * n_rows + 1.0), "plot_paths")
    fam = font_family()
    ax.set_axis_off()
    ax.set_xlim(-1.1, longest - 0.4 + 0.9)
    ax.set_ylim(n_rows - 0.4, -0.7)
    y = 0
    for t in groups:
        if many:
            ax.text(
                -1.05,
                y,
                f"To {shown_name(t, t.target)}",
                ha="left",
                va="center",
                fontsize=9,
                weight="bold",
                fontfamily=fam,
            )
            y += 1
        if not t.paths:
            near = f"; nearest reachable: {shown_name(t, t.nearest)}" if t.nearest else ""
            ax.text(
                -1.05,
                y,
                textwrap.fill(f"No introduction path to {shown_name(t, t.target)}: {t.reason}{near}", 90),
                ha="left",
                va="center",
                fontsize=_TEXT,
                color="#b2182b",
                fontfamily=fam,
            )
            y += 1
            continue
        for p in t.paths:
            boxes = []
            for k, pid in enumerate(p.people):
                last = k == len(p.people) - 1
                boxes.append(
                    ax.text(
                        k,
                        y,
                        textwrap.fill(shown_name(t, pid), 18),
                        ha="center",
                        va="center",
                        fontsize=_TEXT,
                        fontfamily=fam,
                        color="white" if last else "#111111",
                        bbox={
                            "boxstyle": "round,pad=0.35",
                            "fc": "#111111" if last else ("#e8f1f8" if k == 0 else "white"),
                            "ec": NODE_EDGE,
                            "lw": 0.8,
                        },
                    )
                )
            weak = p.weakest_link
            start_weak = weak is not None and weak[1] == p.people[0] and weak[0] not in p.people
            if p.start_probability < 1.0:
                colour = _DOWN if start_weak else "#555555"
                ax.annotate(
                    "",
                    xy=(0, 0.5),
                    xycoords=boxes[0],
                    xytext=(-0.95, y),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.4 if start_weak else 1.0},
                )
                ax.text(
                    -0.7,
                    y - 0.3,
                    f"{p.start_probability:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                    weight="bold" if start_weak else "normal",
                )
                ax.text(-0.7, y + 0.3, "our relationship", ha="center", va="center", fontsize=6, color="0.4")
            for k, h in enumerate(p.hop_probabilities):
                is_weak = weak is not None and weak == (p.people[k], p.people[k + 1])
                colour = _DOWN if is_weak else "#555555"
                ax.annotate(
                    "",
                    xy=(0, 0.5),
                    xycoords=boxes[k + 1],
                    xytext=(1, 0.5),
                    textcoords=boxes[k],
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.4 if is_weak else 1.0},
                )
                ax.text(
                    k + 0.5,
                    y - 0.3,
                    f"{h:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                    weight="bold" if is_weak else "normal",
                )
            ax.text(
                len(p.people) - 1 + 0.5, y, f"p = {p.probability:.2f}", ha="left", va="center", fontsize=_TEXT
            )
            y += 1
    target = shown_name(groups[0], groups[0].target) if not many else f"{len(groups)} people"
    _title(ax, f"Introduction paths to {target} (chance of each introduction over the arrows)")
    return fig


# ----------------------------------------------------------------------------- targets
def plot_targets(result: Targets, ax: Axes | None = None) -> Figure:
    """Whom to win next: per candidate, the rise in committee support and its reach-weighted value.

    The light bar is the gain if the person turns ally; the dark bar inside
    it the expected gain (gain times the chance of reaching the person), the
    order the candidates were ranked in, best on top.

    Parameters
    ----------
    result : Targets
        From :func:`stakegraph.targets`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> t = sg.targets(sg.datasets.load("bank"), k=3)
    >>> fig = t.plot()
    >>> [x.get_text() for x in fig.axes[0].get_yticklabels()] == [shown_name(t, i) for i in t.ids]
    True
    """
    rows = result.targets
    fig, ax = _axes(ax, (7.0, _height(len(rows))), "plot_targets")
    if not rows:
        return _nothing(ax, fig, "no one whose conversion would raise committee support")
    y = np.arange(len(rows))
    gain = np.array([t.gain for t in rows])
    exp = np.array([t.expected_gain for t in rows])
    ax.barh(y, gain, height=0.7, color="#c9dcea")
    ax.barh(y, exp, height=0.4, color=STANCE_COLORS["champion"])
    for yi, t in zip(y, rows):
        ax.text(
            max(t.gain, 0.0) + 0.002,
            float(yi),
            f"+{t.expected_gain:.3f} (reach {t.reachability:.2f})",
            va="center",
            fontsize=7,
        )
    _names_axis(ax, [shown_name(result, t.id) for t in rows])
    ax.set_xlim(0, max(float(gain.max()), 1e-6) * 1.45)
    ax.set_xlabel("rise in committee support", fontsize=_TEXT)
    _legend(
        ax,
        [("if they turn ally", "#c9dcea"), ("× chance of reaching them", STANCE_COLORS["champion"])],
        loc="upper left",
        bbox_to_anchor=(0.0, -0.3),
        ncol=2,
    )
    _clean(ax)
    _title(
        ax, f"Whom to win next ({result.model}): committee support now {_signed(result.committee_support)}"
    )
    return fig


# ----------------------------------------------------------------------------- what if
def plot_what_if(result: WhatIf, ax: Axes | None = None, *, max_people: int = 20) -> Figure:
    """How each person's predicted support changes, largest rises on top.

    People whose support moves by less than 0.005 are left out; of the
    others, the ``max_people`` who move most are drawn.

    Parameters
    ----------
    result : WhatIf
        From :func:`stakegraph.what_if`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.
    max_people : int, default 20

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.what_if(sg.datasets.load("bank"), {"cfo": "ally"}).plot(max_people=3)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][0]
    'Helen Park'
    """
    k = check_int(max_people, "max_people", "plot_what_if", low=1)
    moved = []
    for r in result.to_dict()["people"]:
        b, a = r["before"], r["after"]
        if a is not None and b is not None and abs(a - b) >= 0.005:
            moved.append((r["id"], a - b))
    moved.sort(key=lambda m: -abs(m[1]))
    moved = sorted(moved[:k], key=lambda m: -m[1])
    fig, ax = _axes(ax, (7.0, _height(len(moved))), "plot_what_if")
    b, a = result.committee_support
    head = (
        f"If {'; '.join(result.changes) or 'nothing changes'}: committee support {_signed(b)} → {_signed(a)}"
    )
    if not moved:
        _nothing(ax, fig, "no one's predicted support changes")
        _title(ax, head)
        return fig
    y = np.arange(len(moved))
    d = [m[1] for m in moved]
    ax.barh(y, d, height=0.7, color=[_UP if v > 0 else _DOWN for v in d])
    for yi, v in zip(y, d):
        ax.text(
            v + (0.01 if v >= 0 else -0.01),
            float(yi),
            f"{v:+.2f}",
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=7,
        )
    _names_axis(ax, [shown_name(result, m[0]) for m in moved])
    ax.axvline(0, color="0.4", lw=0.8)
    lo, hi = min(0.0, min(d)), max(0.0, max(d))
    pad = 0.25 * max(hi - lo, 0.05)
    ax.set_xlim(lo - (pad if lo < 0 else 0.02), hi + pad)
    ax.set_xlabel(
        "change in predicted support" if not result.before.stochastic else "change in probability with us",
        fontsize=_TEXT,
    )
    _clean(ax)
    _title(ax, head)
    return fig


# ----------------------------------------------------------------------------- structure
def plot_structure(result: HiddenStructure, ax: Axes | None = None, *, max_coalitions: int = 8) -> Figure:
    """The coalitions of the informal layer: size, mean support, leader and members by name.

    One bar per coalition of two or more people (largest first, at most
    ``max_coalitions``), coloured by its members' mean support (white and
    dashed when no member's stance is known) and labelled with its leader;
    the first members' names stand beside the bar, the brokers between
    coalitions below the chart.

    Parameters
    ----------
    result : HiddenStructure
        From :func:`stakegraph.structure`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.
    max_coalitions : int, default 8

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> h = sg.structure(sg.datasets.load("bank"), seed=1)
    >>> fig = h.plot()
    >>> fig.axes[0].get_yticklabels()[0].get_text() == "1 · led by " + shown_name(h, h.coalitions[0].leader)
    True
    """
    k = check_int(max_coalitions, "max_coalitions", "plot_structure", low=1)
    coals = [c for c in result.coalitions if c.size > 1][:k]
    fig, ax = _axes(ax, (8.0, 0.45 * max(len(coals), 3) + 1.8), "plot_structure")
    if not coals:
        return _nothing(ax, fig, "no coalition of two or more people")
    fam = font_family()
    y = np.arange(len(coals))
    for yi, c in zip(y, coals):
        colour = support_color(c.mean_support)
        ax.barh(
            yi,
            c.size,
            height=0.7,
            color=colour or UNKNOWN_FILL,
            edgecolor=NODE_EDGE if colour else UNKNOWN_EDGE,
            linestyle="-" if colour else "--",
            lw=0.8,
        )
        names = [shown_name(result, m) for m in c.members[:4]]
        more = f" +{c.size - 4}" if c.size > 4 else ""
        ax.text(c.size + 0.2, float(yi), ", ".join(names) + more, va="center", fontsize=7, fontfamily=fam)
    _names_axis(ax, [f"{c.number} · led by {shown_name(result, c.leader)}" for c in coals])
    ax.set_xlim(0, max(c.size for c in coals) * 2.6)
    ax.set_xlabel("people (colour: mean support of members with a known stance)", fontsize=_TEXT)
    if result.brokers:
        shown = ", ".join(
            f"{shown_name(result, b.id)} ({'/'.join(str(x) for x in b.coalitions)})"
            for b in result.brokers[:5]
        )
        more = f" and {len(result.brokers) - 5} more" if len(result.brokers) > 5 else ""
        ax.annotate(
            textwrap.fill(f"Brokers between coalitions: {shown}{more}", 110),
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -30),
            textcoords="offset points",
            va="top",
            fontsize=7,
            fontfamily=fam,
            annotation_clip=False,
        )
    _clean(ax)
    mod = "" if math.isnan(result.modularity) else f" (modularity {result.modularity:.2f})"
    alone = len(result.coalitions) - len([c for c in result.coalitions if c.size > 1])
    tail = f"; {alone} with no informal tie" if alone else ""
    _title(ax, f"Hidden structure: {len(coals)} coalitions{mod}{tail}")
    return fig


# ----------------------------------------------------------------------------- diagnosis
def plot_diagnosis(result: Diagnosis, ax: Axes | None = None) -> Figure:
    """The findings by severity: one bar per severity (its count), the findings' codes beside it.

    A code found once is followed by the names of the people it concerns (up
    to two); a repeated code by how often it occurs.

    Parameters
    ----------
    result : Diagnosis
        From :func:`stakegraph.diagnose`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> fig = sg.diagnose(sg.datasets.load("bank")).plot()
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['critical', 'warning', 'info']
    """
    from ..analysis.diagnose import SEVERITIES

    fig, ax = _axes(ax, (9.0, 3.6), "plot_diagnosis")
    fam = font_family()
    counts = [sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES]
    y = np.arange(len(SEVERITIES))
    ax.barh(y, counts, height=0.6, color=[SEVERITY_COLORS[s] for s in SEVERITIES])
    for yi, sev, n in zip(y, SEVERITIES, counts):
        codes: dict[str, list[Any]] = {}
        for f in result.findings:
            if f.severity == sev:
                codes.setdefault(f.code, []).append(f)
        parts = []
        for code, fs in codes.items():
            if len(fs) == 1 and fs[0].people:
                who = ", ".join(shown_name(result, p) for p in fs[0].people[:2])
                extra = f" +{len(fs[0].people) - 2}" if len(fs[0].people) > 2 else ""
                parts.append(f"{code} ({who}{extra})")
            else:
                parts.append(code if len(fs) == 1 else f"{code} ×{len(fs)}")
        text = textwrap.fill(f"{n}: " + "; ".join(parts), 95) if parts else "0"
        ax.text(n + 0.15, float(yi), text, va="center", fontsize=7, fontfamily=fam)
    _names_axis(ax, list(SEVERITIES))
    ax.set_xlim(0, max(max(counts), 1) * 4.0)
    ax.set_xticks([])
    _clean(ax)
    ax.spines["bottom"].set_visible(False)
    _title(ax, f"Deal health {result.score:.0f}/100: {len(result.findings)} findings")
    return fig


# ----------------------------------------------------------------------------- change
def plot_change(result: Change, ax: Axes | None = None) -> Figure:
    """Support before (open circle) and after (dot) of everyone whose stance changed, by name.

    Rises are drawn in blue, falls in orange; a person whose old or new
    stance is unknown has only the known end. The title gives committee
    support and deal health, old and new.

    Parameters
    ----------
    result : Change
        From :func:`stakegraph.compare`.
    ax : matplotlib Axes, optional
        Draw into this Axes; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> ch = sg.compare(sg.datasets.load("bank"), sg.datasets.load("bank_later"))
    >>> fig = ch.plot()
    >>> sorted(t.get_text() for t in fig.axes[0].get_yticklabels())
    ['Kim Soo-jin', 'Kwame Mensah']
    """
    rows = result.stance_changes
    fig, ax = _axes(ax, (7.0, _height(len(rows))), "plot_change")
    (c0, c1), (s0, s1) = result.committee_support, result.score
    head = f"Committee support {_signed(c0)} → {_signed(c1)}; health {s0:.0f} → {s1:.0f}"
    if not rows:
        _nothing(ax, fig, "no stance changed")
        _title(ax, head)
        return fig
    y = np.arange(len(rows))
    for yi, s in zip(y, rows):
        b, a = s.support_from, s.support_to
        colour = _UP if s.direction == "up" else _DOWN if s.direction == "down" else "0.5"
        if b == b and a == a:
            ax.annotate(
                "", xy=(a, yi), xytext=(b, yi), arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5}
            )
        if b == b:
            ax.scatter([b], [yi], facecolors="white", edgecolors="0.3", zorder=3, s=40)
            ax.text(b, yi - 0.3, s.stance_from.value, ha="center", fontsize=6, color="0.35")
        if a == a:
            ax.scatter([a], [yi], color=colour, zorder=4, s=40)
            ax.text(a, yi - 0.3, s.stance_to.value, ha="center", fontsize=6, color=colour)
    _names_axis(ax, [shown_name(result, s.id) for s in rows])
    ax.set_ylim(len(rows) - 0.5, -0.8)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.set_xlim(-1.1, 1.1)
    ax.set_xlabel("support (−1 hostile … +1 champion)", fontsize=_TEXT)
    _clean(ax)
    _title(ax, head)
    return fig


# ----------------------------------------------------------------------------- beliefs
def plot_beliefs(result: Beliefs, ax: Axes | None = None, *, max_people: int = 20) -> Figure:
    """Where each reported person stands, as the reports fused say: one bar per person split by stance.

    The people whose stance is least settled come first (the most even
    split on top); a bar of one colour is a stance the informants agree on.

    Parameters
    ----------
    result : Beliefs
        From :func:`stakegraph.fuse`.
    ax : matplotlib Axes, optional
    max_people : int, default 20

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import stakegraph as sg
    >>> b = sg.fuse(sg.datasets.load("bank"), seed=0)
    >>> fig = b.plot()
    >>> len(fig.axes[0].get_yticklabels()) == len(b.stance_distribution)
    True
    """
    check_int(max_people, "max_people", "plot_beliefs", low=1)
    dist = result.stance_distribution
    fig, ax = _axes(ax, (7.0, _height(min(len(dist), max_people))), "plot_beliefs")
    if not dist:
        return _nothing(ax, fig, "no stance reports to fuse")
    order = sorted(dist, key=lambda pid: (max(dist[pid].values()), pid))[:max_people]
    y = np.arange(len(order))
    left = np.zeros(len(order))
    for stance, colour in STANCE_COLORS.items():
        width = np.array([dist[pid].get(stance, 0.0) for pid in order])
        ax.barh(y, width, left=left, height=0.7, color=colour, edgecolor="white", linewidth=0.5)
        left += width
    _names_axis(ax, [shown_name(result, pid) for pid in order])
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of each stance", fontsize=_TEXT)
    _legend(ax, list(STANCE_COLORS.items()), loc="upper left", bbox_to_anchor=(0.0, -0.3), ncol=6)
    _clean(ax)
    _title(ax, f"Stances fused from {len(result.informants)} informants ({result.methods['stances']})")
    return fig
