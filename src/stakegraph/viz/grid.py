"""The power/support grid: where each person stands, and what to do about it.

Support runs left to right (hostile ... champion), power bottom to top. The
vertical split lies between neutral and supporter (people to the right are
for us), the horizontal split at ``power_split``. The four quadrants say what
to do; people whose stance is unknown stand in a strip on the left, to be
assessed first. With ``previous=`` (an earlier snapshot of the account) arrows
show how each person moved.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..method.checks import bad, check_choice
from ._scene import build_scene
from ._style import (
    BADGES,
    NODE_EDGE,
    SIDE_SHAPES,
    STANCE_COLORS,
    UNKNOWN_EDGE,
    UNKNOWN_FILL,
    font_family,
    support_color,
)
from .influence_map import SLIDE, figure_axes, renderer_of, titles

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph

__all__ = ["support_grid", "QUADRANTS"]

#: Quadrant name and the action it calls for, keyed by (high power, for us).
QUADRANTS: dict[tuple[bool, bool], tuple[str, str]] = {
    (True, False): (
        "Win over",
        "high power, not yet for us: answer their doubts, bring proof, build the relationship",
    ),
    (True, True): ("Leverage", "high power, for us: keep close, ask for introductions and sponsorship"),
    (False, True): ("Mobilise", "for us, less power: use as coaches and references, widen the support base"),
    (False, False): ("Monitor", "less power, not for us: keep informed, stop doubts from spreading"),
}
_ASSESS = ("Assess first", "stance unknown: find out where they stand")
_SPLIT_X = 0.25  # between neutral (0) and supporter (0.5)
_UNKNOWN_X = -1.42


def support_grid(
    g: "StakeholderGraph",
    *,
    previous: "StakeholderGraph | None" = None,
    rank: Any = None,
    power_split: float | None = None,
    people: Literal["customer", "all"] = "customer",
    labels: Literal["auto", "all", "none"] = "auto",
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    ax: "Axes | None" = None,
    figsize: tuple[float, float] = SLIDE,
) -> "Figure":
    """Plot power against support, with the four quadrants named by what to do in each.

    Parameters
    ----------
    g : StakeholderGraph
    previous : StakeholderGraph, optional
        An earlier snapshot of the same account: an arrow shows each person's
        move since then (blue toward us, orange away from us, grey power only).
    rank : Ranking, optional
        Use its ``power`` (from :func:`stakegraph.rank`) instead of the graph's.
    power_split : float, optional
        Power above which a person counts as powerful. Default: half the
        largest power among the people shown.
    people : {"customer", "all"}, default "customer"
        Only the customer's people, or also our team, partners and competitors.
    labels : {"auto", "all", "none"}, default "auto"
        Names beside the markers (``"auto"``: everyone on up to 120 people,
        else the 80 most powerful; names that cannot be placed without
        overlapping are left out).
    anonymise : bool, default False
        Replace names by role and department (:mod:`stakegraph.privacy`).
    salt : str, default ""
    title : str, optional
    ax : matplotlib Axes, optional
        Draw into this axes; default a new 16:9 figure.
    figsize : (float, float), default (40 / 3, 7.5)

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Markers that would overlap (several people with the same stance and
    power) are nudged apart by the smallest amount that separates them.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> fig = sg.support_grid(g)
    >>> sorted(t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "") == "quadrant")
    ['Assess first', 'Leverage', 'Mobilise', 'Monitor', 'Win over']
    """
    check_choice(people, "people", "support_grid", ("customer", "all"))
    check_choice(labels, "labels", "support_grid", ("auto", "all", "none"))
    if power_split is not None and not (
        isinstance(power_split, (int, float)) and power_split >= 0 and math.isfinite(power_split)
    ):
        raise bad("support_grid", "power_split", "a float in [0, inf) or None", power_split)
    scene = build_scene(g, func="support_grid", anonymise=anonymise, salt=salt, rank=rank)
    prev_scene = None
    if previous is not None:
        prev_scene = build_scene(previous, func="support_grid", anonymise=anonymise, salt=salt)
    nodes = [nd for nd in scene.nodes if people == "all" or nd.org == "customer"]
    fig, ax, own = figure_axes(ax, figsize, False, "support_grid", margins=(0.85, 0.75, 0.35))
    fam = font_family()

    pw = np.array([nd.power for nd in nodes], dtype=float)
    pmax = float(pw.max()) if len(pw) and pw.max() > 0 else 1.0
    split = float(power_split) if power_split is not None else pmax / 2
    top = max(pmax, split) + 1e-9
    ytop, ybot = top * 1.2, -top * 0.16  # bands above and below the data hold the quadrant names
    xlo, xhi = -1.72, 1.16
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ybot, ytop)
    _frame(ax, split, ybot, ytop, top, fam)

    # positions in display inches, nudged apart
    renderer = renderer_of(fig)
    dpi = fig.dpi
    n = len(nodes)
    r_in = float(np.clip(0.11 * math.sqrt(30.0 / max(n, 1)), 0.045, 0.11))
    data = np.array(
        [[_UNKNOWN_X if math.isnan(nd.support) else nd.support, nd.power] for nd in nodes], dtype=float
    ).reshape(-1, 2)

    def to_in(xy: Any) -> np.ndarray:
        """Data coordinates to inches on the figure."""
        inches: np.ndarray = ax.transData.transform(xy) / dpi
        return inches

    def from_in(p: Any) -> np.ndarray:
        """Inches on the figure to data coordinates."""
        xy: np.ndarray = ax.transData.inverted().transform(np.asarray(p) * dpi)
        return xy

    pos = to_in(data) if n else np.zeros((0, 2))
    bb = ax.get_window_extent(renderer)
    box = (bb.x0 / dpi + r_in, bb.y0 / dpi + r_in, bb.x1 / dpi - r_in, bb.y1 / dpi - r_in)
    if n:
        from .layout import separate

        pos = separate(pos, np.full(n, r_in), box, gap=0.03)
    xy = from_in(pos) if n else pos

    # arrows from the previous snapshot
    moved = 0
    if prev_scene is not None:
        moved = _arrows(ax, nodes, xy, prev_scene, r_in * 72)

    # markers
    for i, nd in enumerate(nodes):
        fill = support_color(nd.support)
        verts = SIDE_SHAPES[nd.org][0]
        marker = {0: "o", 4: "s" if nd.org == "us" else "D", 6: "h"}.get(verts, "o")
        kw: dict[str, Any] = dict(s=(2 * r_in * 72) ** 2, marker=marker, zorder=4, gid=f"node:{nd.id}")
        if fill is None:
            kw.update(facecolors=UNKNOWN_FILL, edgecolors=UNKNOWN_EDGE, hatch="////", linewidths=0.9)
        else:
            kw.update(facecolors=fill, edgecolors=NODE_EDGE, linewidths=0.8)
        if "decision_maker" in nd.roles:
            kw.update(edgecolors="#000000", linewidths=2.2)
        ax.scatter([xy[i, 0]], [xy[i, 1]], **kw)

    # labels
    want = list(range(n))
    want.sort(key=lambda i: ("decision_maker" not in nodes[i].roles, -nodes[i].power, i))
    if labels == "none":
        want = []
    elif labels == "auto" and n > 120:
        want = want[:80]
    fs = 8.5 if n <= 45 else (7.5 if n <= 100 else 6.5)
    from ._labels import LabelItem, place_labels

    texts = {}
    items = []
    for i in want:
        t = ax.text(
            0,
            0,
            nodes[i].label,
            fontsize=fs,
            color="#1a1a1a",
            ha="center",
            va="center",
            family=fam,
            zorder=6,
            gid=f"label:{nodes[i].id}",
            parse_math=False,
        )
        e = t.get_window_extent(renderer)
        texts[i] = (t, e.width / dpi, e.height / dpi)
        items.append(
            LabelItem(
                nodes[i].id,
                float(pos[i, 0]),
                float(pos[i, 1]),
                r_in + 0.01,
                e.width / dpi + 0.04,
                e.height / dpi + 0.02,
            )
        )
    obstacles = []
    for t in ax.texts:
        if (t.get_gid() or "") in ("quadrant", "quadrant-action"):
            e = t.get_window_extent(renderer)
            obstacles.append((e.x0 / dpi, e.y0 / dpi, e.x1 / dpi, e.y1 / dpi))
    placed = place_labels(
        items,
        np.c_[pos, np.full(n, r_in)] if n else np.zeros((0, 3)),
        bounds=(bb.x0 / dpi, bb.y0 / dpi, bb.x1 / dpi, bb.y1 / dpi),
        obstacles=obstacles,
        gap=0.02,
        pad=0.01,
        prefer="side",
    )
    left_out = 0
    for i in want:
        t, w, h = texts[i]
        pl = placed.get(nodes[i].id)
        if pl is None:
            t.remove()
            left_out += 1
            continue
        t.set_position(tuple(from_in([pl.cx, pl.cy])))
        t.set_bbox(dict(boxstyle="round,pad=0.08", facecolor="white", alpha=0.75, edgecolor="none"))
        if pl.leader:
            a = from_in(pos[i])
            ax.plot(
                [a[0], t.get_position()[0]],
                [a[1], t.get_position()[1]],
                color="#9a9a9a",
                lw=0.5,
                zorder=3.5,
                gid="leader",
            )

    d = scene.graph.deal
    t_text = title if title is not None else f"{d.name or 'Stakeholders'}: power and support"
    sub = [
        f"{n} {'customer people' if people == 'customer' else 'people'}",
        f"powerful = power ≥ {split:.2f}",
        "right of the line = for us",
    ]
    if previous is not None:
        when = previous.deal.as_of.isoformat() if previous.deal.as_of else "the previous snapshot"
        sub.append(f"arrows: {moved} moves since {when}")
    if left_out:
        sub.append(f"{left_out} names left out for space")
    if scene.anonymised:
        sub.append("anonymised")
    titles(fig, ax, own, t_text, " · ".join(sub))
    _grid_legend(ax, previous is not None, any(math.isnan(nd.support) for nd in nodes), fam)
    return fig


def _frame(ax: Any, split: float, ybot: float, ytop: float, top: float, fam: Any) -> None:
    from matplotlib.patches import Rectangle

    xlo, xhi = ax.get_xlim()
    tint = {
        (True, False): "#fdf0e4",
        (True, True): "#e8f1f8",
        (False, True): "#f1f6fa",
        (False, False): "#f7f5f0",
    }
    for (hi, us), colour in tint.items():
        x0, x1 = (_SPLIT_X, xhi) if us else (-1.12, _SPLIT_X)
        y0, y1 = (split, ytop) if hi else (ybot, split)
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, edgecolor="none", zorder=0))
        name, action = QUADRANTS[(hi, us)]
        tx = x0 + 0.03 if not us else x1 - 0.03
        ha = "left" if not us else "right"
        ty = ytop - (ytop - top) * 0.08 if hi else ybot + (0 - ybot) * 0.1
        va = "top" if hi else "bottom"
        ax.text(
            tx,
            ty,
            name,
            fontsize=15,
            fontweight="bold",
            color="#5a5a5a",
            ha=ha,
            va=va,
            family=fam,
            zorder=1,
            gid="quadrant",
        )
        ax.annotate(
            _wrap(action, 60),
            (tx, ty),
            xytext=(0, -21 if hi else 21),
            textcoords="offset points",
            fontsize=8,
            color="#6a6a6a",
            ha=ha,
            va=va,
            family=fam,
            zorder=1,
            gid="quadrant-action",
            linespacing=1.15,
        )
    ax.add_patch(
        Rectangle(
            (xlo, ybot),
            -1.12 - xlo,
            ytop - ybot,
            facecolor="#f5f5f5",
            edgecolor="#e0e0e0",
            lw=0,
            hatch="///",
            zorder=0,
        )
    )
    ax.text(
        (xlo - 1.12) / 2,
        ytop - (ytop - top) * 0.1,
        _ASSESS[0],
        fontsize=11,
        fontweight="bold",
        color="#5a5a5a",
        ha="center",
        va="top",
        family=fam,
        zorder=1,
        gid="quadrant",
    )
    ax.annotate(
        _wrap(_ASSESS[1], 22),
        ((xlo - 1.12) / 2, ytop - (ytop - top) * 0.1),
        xytext=(0, -16),
        textcoords="offset points",
        fontsize=7.5,
        color="#6a6a6a",
        ha="center",
        va="top",
        family=fam,
        zorder=1,
        gid="quadrant-action",
    )
    ax.axvline(_SPLIT_X, color="#7a7a7a", lw=1.2, zorder=1)
    ax.plot([-1.12, xhi], [split, split], color="#7a7a7a", lw=1.2, zorder=1)
    ax.set_xticks([-1, -0.5, 0, 0.5, 0.75, 1])
    ax.set_xticklabels(
        ["hostile", "skeptic", "neutral", "supporter", "ally", "champion"], family=fam, fontsize=9
    )
    ticks = [t for t in ax.get_yticks() if 0 <= t <= top + 1e-9]
    ax.set_yticks(ticks)
    ax.set_ylim(ybot, ytop)
    ax.set_xlabel("support  →  for us", fontsize=10, family=fam, color="#333333")
    ax.set_ylabel("power  →", fontsize=10, family=fam, color="#333333")
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    for sp in ("left", "bottom"):
        ax.spines[sp].set_color("#9a9a9a")
    ax.tick_params(colors="#555555", labelsize=9)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _arrows(ax: Any, nodes: list[Any], xy: np.ndarray, prev: Any, r_pt: float) -> int:
    from matplotlib.patches import FancyArrowPatch

    before = {nd.id: nd for nd in prev.nodes}
    moved = 0
    for i, nd in enumerate(nodes):
        old = before.get(nd.id)
        if old is None:
            continue
        s0 = _UNKNOWN_X if math.isnan(old.support) else old.support
        s1 = _UNKNOWN_X if math.isnan(nd.support) else nd.support
        if abs(s0 - s1) < 1e-9 and abs(old.power - nd.power) < 1e-9:
            continue
        moved += 1
        if math.isnan(old.support) or math.isnan(nd.support) or abs(s1 - s0) < 1e-9:
            colour = "#8a8a8a"
        else:
            colour = STANCE_COLORS["ally"] if s1 > s0 else STANCE_COLORS["skeptic"]
        start = (s0, old.power)
        ax.scatter(
            [start[0]],
            [start[1]],
            s=(r_pt * 1.2) ** 2,
            facecolors="white",
            edgecolors=colour,
            linewidths=1.2,
            linestyle=(0, (2, 1.5)),
            zorder=2,
            gid=f"previous:{nd.id}",
        )
        ax.add_patch(
            FancyArrowPatch(
                start,
                tuple(xy[i]),
                arrowstyle="-|>",
                mutation_scale=12,
                color=colour,
                lw=1.6,
                shrinkA=r_pt * 0.6 + 1,
                shrinkB=r_pt + 1.5,
                zorder=3.5,
                gid=f"move:{nd.id}",
                connectionstyle="arc3,rad=0.12",
            )
        )
    return moved


def _grid_legend(ax: Any, arrows: bool, unknown: bool, fam: Any) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Line2D | Patch] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=8,
            markerfacecolor="#d0d0d0",
            markeredgecolor="#000000",
            markeredgewidth=2.0,
        )
    ]
    labels = [BADGES["decision_maker"][3]]
    if arrows:
        handles += [
            Line2D([], [], color=STANCE_COLORS["ally"], lw=1.5, marker=">", markersize=5),
            Line2D([], [], color=STANCE_COLORS["skeptic"], lw=1.5, marker=">", markersize=5),
        ]
        labels += ["moved toward us", "moved away from us"]
    if unknown:
        handles.append(Patch(facecolor=UNKNOWN_FILL, edgecolor=UNKNOWN_EDGE, hatch="////", lw=0.8))
        labels.append("stance unknown")
    if arrows:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor="#8a8a8a",
                markeredgewidth=1.2,
            )
        )
        labels.append("where they stood before")
    leg = ax.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.005),
        ncol=len(handles),
        frameon=False,
        prop={"family": fam, "size": 8.5},
        borderaxespad=0.0,
    )
    leg.set_gid("legend")
