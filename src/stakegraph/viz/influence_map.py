"""The influence map: who is who, who is on our side, and who listens to whom, on one slide.

Reading the map
---------------
- colour = stance, on a colour-blind-safe scale from brown/orange (against us)
  through light grey (neutral) to blue (for us); white with grey hatching and a
  dashed outline = stance unknown;
- size = power (area proportional to the person's decision weight);
- shape = side: circle customer, square our team, diamond partner, hexagon
  competitor, octagon a group of people of one department (large graphs);
- badges: ``DM`` decision-maker (also a heavy outline), ``C`` coach,
  ``G`` gatekeeper, ``H`` hidden influencer (when a ranking is given);
- ties: formal ones solid grey (dotted line dotted), informal ones dashed and
  coloured by kind (advises green, influences purple, friend blue, knows light
  grey dotted), rivalry red dash-dot; width = strength; arrows show who
  influences whom;
- yellow halo = the highlight (a person, the best introduction path and its
  alternatives, or the people to win next, numbered).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from ..errors import ValidationError
from ..method.checks import check_choice
from ._scene import Scene, build_scene, subtitle_parts
from ._style import (
    BADGES,
    GROUP_FILL,
    HIGHLIGHT,
    NODE_EDGE,
    SIDE_LABELS,
    SIDE_SHAPES,
    STANCE_COLORS,
    TIE_ORDER,
    TIE_STYLES,
    UNKNOWN_EDGE,
    UNKNOWN_FILL,
    font_family,
    renderable,
    support_color,
)
from .layout import LayoutKind, LayoutResult, layout_scene

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import StakeholderGraph

__all__ = ["influence_map"]

LabelMode = Literal["auto", "all", "none"]
Layers = Literal["all", "formal", "informal"]
SLIDE = (40 / 3, 7.5)  # a 16:9 slide: 13.33 x 7.5 inches
_TITLE_H = 1.05
_LEGEND_W = 2.35
_MARGIN = 0.2


def influence_map(
    g: "StakeholderGraph",
    *,
    layout: LayoutKind = "hierarchy",
    highlight: Any = None,
    focus: str | None = None,
    depth: int = 1,
    rank: Any = None,
    max_people: int | None = 80,
    labels: LabelMode = "auto",
    layers: Layers = "all",
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    legend: bool = True,
    ax: "Axes | None" = None,
    figsize: tuple[float, float] = SLIDE,
    seed: int | np.random.Generator | None = 0,
    engine: Literal["auto", "dot", "python"] = "auto",
    beliefs: Any = None,
) -> "Figure":
    """Draw the influence map of a stakeholder graph, ready for a slide.

    Parameters
    ----------
    g : StakeholderGraph
    layout : {"hierarchy", "spring", "coalitions"}, default "hierarchy"
        The formal chart top-down with informal ties over it; a
        force-directed layout; or people grouped by coalition
        (see :mod:`stakegraph.viz.layout`).
    highlight : str, sequence of str, Paths or Targets result, optional
        A person id; a path (ids in order); the result of :func:`stakegraph.paths`
        (the best path, alternatives lighter); or of :func:`stakegraph.targets`
        (the people to win next, numbered).
    focus : str, optional
        Show only this person and the people within ``depth`` ties of them.
    depth : int, default 1
    rank : Ranking, optional
        The result of :func:`stakegraph.rank`: its ``power`` sizes the markers
        (instead of the graph's own power) and hidden influencers get a badge.
    max_people : int or None, default 80
        Above this many people, the most powerful ``max_people`` (plus the
        decision-makers and anyone highlighted) are drawn one by one and the
        others are grouped into one marker per department. None draws everyone.
    labels : {"auto", "all", "none"}, default "auto"
        ``"all"`` labels everyone who fits; ``"auto"`` labels everyone on
        graphs of up to 80 markers, else the 60 most important; a label that
        cannot be placed without overlapping is left out.
    layers : {"all", "formal", "informal"}, default "all"
        Which ties to draw.
    anonymise : bool, default False
        Replace names by role and department (see :mod:`stakegraph.privacy`).
    salt : str, default ""
        Salt of the pseudonyms when ``anonymise=True``.
    title : str, optional
        Default: the deal's name and "influence map"; ``""`` leaves out the
        title and the subtitle (for a slide that has its own).
    legend : bool, default True
    ax : matplotlib Axes, optional
        Draw into this axes (its limits and aspect are set); the legend goes
        to its right. Default: a new 16:9 figure.
    figsize : (float, float), default (40 / 3, 7.5)
        Size in inches of a new figure (a 16:9 slide).
    seed : int or numpy Generator, default 0
        Seed of the spring and coalition layouts.
    engine : {"auto", "dot", "python"}, default "auto"
        Row order of the hierarchy: Graphviz ``dot`` when installed, or the
        pure-Python tidy tree.
    beliefs : Beliefs, optional
        What :func:`stakegraph.fuse` made of ``g``'s informants' reports:
        the map then shows the fused account, each reported tie as faint as
        it is unlikely (ties under 5% left out) and a ring around each person
        reported on, split by the probability of each stance (``ring:<id>:<stance>``).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`stakegraph.save_figure` (PNG 300 dpi, SVG, PDF).
        Artists carry ids: markers ``node:<id>`` (``group:<org>:<department>``
        for groups), labels ``label:<id>`` and ``title:<id>``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> fig = sg.influence_map(g, engine="python")
    >>> ids = {a.get_gid()[5:] for a in fig.axes[0].patches if (a.get_gid() or "").startswith("node:")}
    >>> ids == set(g.people)
    True
    >>> fig.get_size_inches().round(2).tolist()
    [13.33, 7.5]
    """
    check_choice(labels, "labels", "influence_map", ("auto", "all", "none"))
    if not isinstance(legend, bool):
        raise ValidationError(
            f"The 'legend' parameter of influence_map must be a bool. Got {legend!r} instead."
        )
    scene = build_scene(
        g,
        func="influence_map",
        anonymise=anonymise,
        salt=salt,
        highlight=highlight,
        focus=focus,
        depth=depth,
        max_people=max_people,
        rank=rank,
        layers=layers,
        beliefs=beliefs,
    )
    if title is not None and not isinstance(title, str):
        raise ValidationError(
            f"The 'title' parameter of influence_map must be a str or None. Got {title!r} instead."
        )
    fig, ax, own = figure_axes(ax, figsize, legend, "influence_map", top=_MARGIN if title == "" else _TITLE_H)
    drawing = draw_scene(ax, scene, layout=layout, labels=labels, seed=seed, engine=engine)
    if title != "":
        t = title if title is not None else f"{scene.graph.deal.name or 'Stakeholders'}: influence map"
        titles(fig, ax, own, t, _subtitle(scene, drawing))
    if legend:
        _legend(fig, ax, own, scene, drawing, top=_MARGIN if title == "" else _TITLE_H)
    return fig


# ----------------------------------------------------------------------------- figure set-up
def figure_axes(
    ax: Any,
    figsize: Any,
    legend: bool,
    func: str,
    margins: tuple[float, float, float] | None = None,
    top: float = _TITLE_H,
) -> tuple[Figure, Axes, bool]:
    """A new slide-sized figure and its main axes, or the caller's axes.

    ``margins`` = (left, bottom, right) in inches (default: the map's).
    """
    if ax is not None:
        return cast("Figure", ax.figure), cast("Axes", ax), False
    try:
        w, h = (float(v) for v in figsize)
    except (TypeError, ValueError):
        raise ValidationError(
            f"The 'figsize' parameter of {func} must be a pair of floats (inches). Got {figsize!r} instead."
        ) from None
    if not (w >= 4 and h >= 3):
        raise ValidationError(
            f"The 'figsize' parameter of {func} must be at least (4, 3) inches. Got {figsize!r} instead."
        )
    from .figure import new_figure

    fig = new_figure((w, h))
    left, bottom, right = (
        margins if margins is not None else (_MARGIN, _MARGIN, _LEGEND_W if legend else _MARGIN)
    )
    main = fig.add_axes((left / w, bottom / h, (w - left - right) / w, (h - bottom - top) / h))
    return fig, main, True


def axes_inches(ax: Any) -> tuple[float, float]:
    fw, fh = ax.figure.get_size_inches()
    pos = ax.get_position()
    return float(pos.width * fw), float(pos.height * fh)


def renderer_of(fig: Any) -> Any:
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    return canvas.get_renderer()


def titles(fig: Any, ax: Any, own: bool, title: str, sub: str) -> None:
    fam = font_family()
    if own:
        w, h = fig.get_size_inches()
        fig.text(
            _MARGIN / w,
            1 - 0.22 / h,
            title,
            fontsize=20,
            fontweight="bold",
            va="top",
            ha="left",
            color="#1a1a1a",
            family=fam,
            gid="figure-title",
            parse_math=False,
        )
        if sub:
            fig.text(
                _MARGIN / w,
                1 - 0.68 / h,
                sub,
                fontsize=10.5,
                va="top",
                ha="left",
                color="#555555",
                family=fam,
                gid="figure-subtitle",
                parse_math=False,
            )
    else:
        ax.set_title(
            title + ("\n" + sub if sub else ""), fontsize=11, loc="left", family=fam, parse_math=False
        )


# ----------------------------------------------------------------------------- drawing
@dataclass
class Drawing:
    """What was drawn: positions (inches), radii, the layout, labels placed."""

    pos: np.ndarray
    radii: np.ndarray
    layout: LayoutResult
    labelled: set[str]
    unlabelled: int
    kinds: set[str]
    badges: set[str]
    sides: set[str]
    stances: set[str]


def node_radii(scene: Scene, n: int) -> np.ndarray:
    power = np.array([nd.power for nd in scene.nodes], dtype=float)
    person = np.array([not nd.is_group for nd in scene.nodes], dtype=bool)
    r_hi = float(np.clip(0.19 * math.sqrt(30.0 / max(n, 1)), 0.07, 0.19))
    r_lo = max(0.035, r_hi * 0.38)
    pmax = float(power[person].max()) if person.any() and power[person].max() > 0 else 1.0
    frac = np.sqrt(np.clip(power / pmax, 0.0, None))
    r = r_lo + (r_hi - r_lo) * np.minimum(frac, 1.0)
    r[~person] = np.minimum(
        r_lo + (r_hi - r_lo) * np.sqrt(np.clip(power[~person] / pmax, 0, None)) * 0.6, r_hi * 1.25
    )
    r[~person] = np.maximum(r[~person], r_hi * 0.7)
    return r


def _fonts_for(n: int) -> tuple[float, float]:
    if n <= 45:
        return 8.6, 7.0
    if n <= 100:
        return 7.6, 6.4
    return 6.8, 5.8


def wrap_text(text: str, width: int, lines: int) -> str:
    if not text:
        return ""
    parts = textwrap.wrap(text, width=width, break_long_words=True) or [text]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(1, width - 1)].rstrip(" ,;") + "…"
    return "\n".join(parts)


def _ensure_no_overlap(pos: np.ndarray, radii: np.ndarray, gap: float) -> np.ndarray:
    """Shrink the radii, if needed, so every pair clears by at least ``gap``."""
    from scipy.spatial import cKDTree

    if len(pos) < 2:
        return radii
    tree = cKDTree(pos)
    pairs = tree.query_pairs(2 * float(radii.max()) + gap, output_type="ndarray")
    if len(pairs) == 0:
        return radii
    d = np.hypot(*(pos[pairs[:, 0]] - pos[pairs[:, 1]]).T)
    s = np.min(np.maximum(d - gap, 1e-6) / (radii[pairs[:, 0]] + radii[pairs[:, 1]]))
    return radii * min(1.0, float(s))


def draw_scene(
    ax: Any,
    scene: Scene,
    *,
    layout: str = "hierarchy",
    labels: str = "auto",
    seed: Any = 0,
    engine: str = "auto",
) -> Drawing:
    """Draw ``scene`` into ``ax`` (in inch data units); returns what was drawn."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle, FancyBboxPatch, RegularPolygon

    fig = ax.figure
    W, H = axes_inches(ax)
    nodes = scene.nodes
    n = len(nodes)
    radii = node_radii(scene, n)
    fs_name, fs_sub = _fonts_for(n)
    fam = font_family()
    renderer = renderer_of(fig)
    dpi = fig.dpi

    # label texts and their sizes, measured by the renderer
    label_mode = labels
    order = label_priority(scene)
    if label_mode == "none":
        want = []
    elif label_mode == "all" or n <= 80:
        want = order
    else:
        want = order[:60]
    texts: dict[int, tuple[Any, Any, float, float, float]] = {}
    for i in want:
        nd = nodes[i]
        name = wrap_text(nd.label, 26, 2)
        sub = wrap_text(nd.sub if renderable(nd.sub) else "", 24, 2)  # no line of missing glyphs
        t1 = ax.text(
            0,
            0,
            name,
            fontsize=fs_name,
            fontweight="bold",
            color="#1a1a1a",
            ha="center",
            va="center",
            family=fam,
            zorder=7,
            gid=f"label:{nd.id}",
            parse_math=False,
        )
        t2 = None
        if sub:
            t2 = ax.text(
                0,
                0,
                sub,
                fontsize=fs_sub,
                color="#4d4d4d",
                ha="center",
                va="center",
                family=fam,
                zorder=7,
                gid=f"title:{nd.id}",
                linespacing=1.1,
                parse_math=False,
            )
        b1 = t1.get_window_extent(renderer)
        w1, h1 = b1.width / dpi, b1.height / dpi
        w2 = h2 = 0.0
        if t2 is not None:
            b2 = t2.get_window_extent(renderer)
            w2, h2 = b2.width / dpi, b2.height / dpi
        texts[i] = (t1, t2, max(w1, w2), h1, h2)
    if texts:
        lw_med = float(np.median([v[2] for v in texts.values()]))
        lh_med = float(np.percentile([v[3] + v[4] for v in texts.values()], 90))
    else:
        lw_med, lh_med = 0.4, 0.2

    lay = layout_scene(
        scene,
        layout=layout,
        width=W,
        height=H,
        radii=radii,
        seed=seed,
        engine=engine,
        label_size=(lw_med, lh_med),
    )
    pos = lay.pos
    radii = _ensure_no_overlap(pos, radii, 0.03)

    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    obstacles: list[tuple[float, float, float, float]] = []
    # ---- decorations: side columns and coalitions
    for heading, cx, ytop, cw in lay.columns:
        t = ax.text(
            cx,
            ytop + 0.02,
            heading.upper(),
            fontsize=7.5,
            color="#7a7a7a",
            ha="center",
            va="bottom",
            family=fam,
            fontweight="bold",
            zorder=1,
            gid="heading",
        )
        bb = t.get_window_extent(renderer)
        obstacles.append(_bbox_inches(ax, bb, dpi))
        x_sep = cx + cw / 2 if cx < W / 2 else cx - cw / 2
        ax.plot([x_sep, x_sep], [0.05, H - 0.05], color="#e3e3e3", lw=1.0, zorder=0)
    for gname, members in lay.groups:
        if not members:
            continue
        p = pos[members]
        cx, cy = p.mean(axis=0)
        rad = float(np.max(np.hypot(*(p - [cx, cy]).T) + radii[members])) + 0.12
        ax.add_patch(Circle((cx, cy), rad, facecolor="#f4f4f4", edgecolor="#dddddd", lw=0.8, zorder=0))
        t = ax.text(
            cx,
            min(cy + rad + 0.03, H - 0.05),
            f"{gname} · {len(members)}",
            fontsize=7.5,
            parse_math=False,
            color="#777777",
            ha="center",
            va="bottom",
            family=fam,
            zorder=1,
            gid="heading",
        )
        obstacles.append(_bbox_inches(ax, t.get_window_extent(renderer), dpi))

    # ---- ties
    kinds_drawn = _draw_ties(ax, scene, pos, radii)

    # ---- highlight under the markers
    hl = scene.highlight
    for k, path in enumerate(hl.paths):
        idx = [scene.index[scene.member_of[p]] for p in path if p in scene.member_of]
        if len(idx) > 1:
            segs = [[pos[a], pos[b]] for a, b in zip(idx, idx[1:]) if a != b]
            ax.add_collection(
                LineCollection(
                    segs,
                    colors=HIGHLIGHT["path"],
                    linewidths=9 if k == 0 else 6,
                    alpha=0.85 if k == 0 else 0.35,
                    capstyle="round",
                    zorder=1.5,
                    gid="highlight-path",
                )
            )
    ringed = [p for p in hl.people if p in scene.member_of] + [p for p in hl.targets if p in scene.member_of]
    for pid in dict.fromkeys(ringed):
        i = scene.index[scene.member_of[pid]]
        ax.add_patch(
            Circle(
                tuple(pos[i]),
                radii[i] + 0.07,
                facecolor=HIGHLIGHT["halo"],
                edgecolor=HIGHLIGHT["ring"],
                lw=1.6,
                alpha=0.95,
                zorder=2.5,
                gid=f"highlight:{nodes[i].id}",
            )
        )

    # ---- markers
    sides: set[str] = set()
    stances: set[str] = set()
    for i, nd in enumerate(nodes):
        verts, rot = SIDE_SHAPES[nd.shape_key]
        sides.add(nd.shape_key)
        fill = support_color(nd.support)
        unknown = fill is None
        if nd.is_group:
            fill = fill or GROUP_FILL
            unknown = False
        else:
            stances.add("unknown" if unknown else nd.stance)
        kw: dict[str, Any] = dict(
            facecolor=UNKNOWN_FILL if unknown else fill,
            edgecolor=UNKNOWN_EDGE if unknown else NODE_EDGE,
            lw=0.9,
            zorder=3,
            gid=nd.id if nd.is_group else f"node:{nd.id}",
        )
        if unknown:
            kw.update(hatch="/////", linestyle=(0, (2.0, 1.5)))
        if "decision_maker" in nd.roles:
            kw.update(lw=2.6, edgecolor="#000000")
        patch: Circle | RegularPolygon
        if verts == 0:
            patch = Circle(tuple(pos[i]), radii[i], **kw)
        else:
            patch = RegularPolygon(tuple(pos[i]), verts, radius=radii[i], orientation=rot, **kw)
        ax.add_patch(patch)
        if nd.distribution:
            _stance_ring(ax, pos[i], radii[i], nd.distribution, nd.id)

    # ---- badges
    badges_drawn: set[str] = set()
    badge_circles: list[tuple[float, float, float]] = []
    target_rank = {pid: k + 1 for k, pid in enumerate(hl.targets)}
    for i, nd in enumerate(nodes):
        marks: list[str] = [b for b in ("decision_maker", "coach", "gatekeeper") if b in nd.roles]
        if nd.hidden:
            marks.append("hidden")
        spots = [(0.78, 0.78), (-0.78, 0.78), (0.78, -0.78), (-0.78, -0.78)]
        rb = max(0.058, min(0.085, radii[i] * 0.42))
        for k, b in enumerate(marks[:3]):
            text, bg, fg, _ = BADGES[b]
            badges_drawn.add(b)
            sx, sy = spots[k]
            bx, by = pos[i, 0] + sx * radii[i], pos[i, 1] + sy * radii[i]
            _badge(ax, bx, by, rb, text, bg, fg, f"badge:{nd.id}:{b}", fam)
            badge_circles.append((bx, by, rb))
        if nd.id in target_rank or any(m in target_rank for m in nd.members):
            rank_no = target_rank.get(nd.id) or min(target_rank[m] for m in nd.members if m in target_rank)
            bx, by = pos[i, 0] - 0.78 * radii[i], pos[i, 1] - 0.78 * radii[i]
            _badge(ax, bx, by, rb, str(rank_no), HIGHLIGHT["halo"], "#111111", f"badge:{nd.id}:target", fam)
            badge_circles.append((bx, by, rb))

    # ---- labels
    from ._labels import LabelItem, place_labels

    items = []
    for i in want:
        t1, t2, w, h1, h2 = texts[i]
        w1 = t1.get_window_extent(renderer).width / dpi
        items.append(
            LabelItem(
                nodes[i].id,
                float(pos[i, 0]),
                float(pos[i, 1]),
                float(radii[i]) + 0.02,
                w + 0.06,
                h1 + h2 + 0.04,
                short=(w1 + 0.06, h1 + 0.04) if t2 is not None else None,
            )
        )
    ringed_set = set(ringed)
    circles = np.c_[pos, radii + np.where([nd.id in ringed_set for nd in nodes], 0.07, 0.0)]
    if badge_circles:
        circles = np.r_[circles, np.array(badge_circles)]
    placed = place_labels(items, circles, bounds=(0.0, 0.0, W, H), obstacles=obstacles, gap=0.025, pad=0.015)
    labelled: set[str] = set()
    for i in want:
        t1, t2, w, h1, h2 = texts[i]
        pl = placed.get(nodes[i].id)
        if pl is None:
            t1.remove()
            if t2 is not None:
                t2.remove()
            continue
        labelled.add(nodes[i].id)
        if pl.short and t2 is not None:
            t2.remove()
            t2, h2 = None, 0.0
            w = t1.get_window_extent(renderer).width / dpi
        top = pl.cy + (h1 + h2 + 0.04) / 2 - 0.02
        t1.set_position((pl.cx, top - h1 / 2))
        if t2 is not None:
            t2.set_position((pl.cx, top - h1 - h2 / 2))
        bw, bh = w + 0.06, h1 + h2 + 0.04
        ax.add_patch(
            FancyBboxPatch(
                (pl.cx - bw / 2, pl.cy - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor="white",
                alpha=0.82,
                edgecolor="none",
                zorder=6,
                gid=f"labelbox:{nodes[i].id}",
            )
        )
        if pl.leader:
            _leader(ax, pos[i], radii[i], (pl.cx, pl.cy), bw, bh)
    return Drawing(
        pos=pos,
        radii=radii,
        layout=lay,
        labelled=labelled,
        unlabelled=len(want) - len(labelled),
        kinds=kinds_drawn,
        badges=badges_drawn,
        sides=sides,
        stances=stances,
    )


def _bbox_inches(ax: Any, bb: Any, dpi: float) -> tuple[float, float, float, float]:
    inv = ax.transData.inverted()
    (x0, y0), (x1, y1) = inv.transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
    return (float(min(x0, x1)), float(min(y0, y1)), float(max(x0, x1)), float(max(y0, y1)))


def _badge(ax: Any, x: float, y: float, r: float, text: str, bg: str, fg: str, gid: str, fam: Any) -> None:
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), r, facecolor=bg, edgecolor="white", lw=0.8, zorder=4, gid=gid))
    size = r * 72 * (1.05 if len(text) == 1 else 0.8)
    ax.text(
        x,
        y,
        text,
        fontsize=size,
        color=fg,
        ha="center",
        va="center_baseline",
        fontweight="bold",
        family=fam,
        zorder=4.5,
        gid=gid + ":text",
    )


def _leader(ax: Any, p: np.ndarray, r: float, c: tuple[float, float], bw: float, bh: float) -> None:
    cx, cy = c
    # nearest point of the label box to the marker
    nx_ = min(max(p[0], cx - bw / 2), cx + bw / 2)
    ny_ = min(max(p[1], cy - bh / 2), cy + bh / 2)
    d = np.array([nx_ - p[0], ny_ - p[1]])
    L = float(np.hypot(*d))
    if L <= r + 1e-6:
        return
    s = p + d / L * (r + 0.01)
    ax.plot([s[0], nx_], [s[1], ny_], color="#9a9a9a", lw=0.6, zorder=5.5, gid="leader")


def label_priority(scene: Scene) -> list[int]:
    hl = scene.highlight.all_ids()

    def key(i: int) -> tuple[Any, ...]:
        nd = scene.nodes[i]
        return (
            not (nd.id in hl or any(m in hl for m in nd.members)),
            "decision_maker" not in nd.roles,
            not nd.is_group,
            -nd.power,
            i,
        )

    return sorted(range(len(scene.nodes)), key=key)


def _bezier(p: np.ndarray, q: np.ndarray, bend: float, k: int = 24) -> np.ndarray:
    d = q - p
    L = float(np.hypot(*d))
    if L < 1e-9:
        return np.array([p, q])
    perp = np.array([-d[1], d[0]]) / L
    ctrl = (p + q) / 2 + perp * bend * L
    t = np.linspace(0, 1, k)[:, None]
    curve: np.ndarray = (1 - t) ** 2 * p + 2 * (1 - t) * t * ctrl + t**2 * q
    return curve


def _trim(curve: np.ndarray, p: np.ndarray, rp: float, q: np.ndarray, rq: float) -> np.ndarray:
    dp = np.hypot(*(curve - p).T)
    dq = np.hypot(*(curve - q).T)
    keep = (dp >= rp) & (dq >= rq)
    if keep.sum() < 2:
        return curve[[0, -1]]
    out: np.ndarray = curve[keep]
    # snap ends onto the marker boundaries
    a = out[0] - p
    out[0] = p + a / max(np.hypot(*a), 1e-9) * rp
    b = out[-1] - q
    out[-1] = q + b / max(np.hypot(*b), 1e-9) * rq
    return out


def edge_geometry(scene: Scene, pos: np.ndarray, radii: np.ndarray) -> list[tuple[Any, np.ndarray, float]]:
    """Each drawn tie as (edge, polyline from its tail to its head, line width in points).

    Formal ties are straight (drawn from the manager down); informal ties bow
    to one side, and several ties between one pair bow apart. Ends stop at the
    marker edges.
    """
    out: list[tuple[Any, np.ndarray, float]] = []
    pair_count: dict[tuple[int, int], int] = {}
    for e in sorted(scene.edges, key=lambda e: (TIE_ORDER.index(e.kind), e.source, e.target)):
        st = TIE_STYLES[e.kind]
        a, b = e.source, e.target
        p, q = pos[a], pos[b]
        pair = (min(a, b), max(a, b))
        k = pair_count.get(pair, 0)
        pair_count[pair] = k + 1
        if st["formal"] and k == 0:
            bend = 0.0
        else:
            sign = 1 if (k % 2 == 0) == (a < b) else -1
            bend = sign * (0.16 + 0.07 * (k // 2))
        curve = np.array([p, q]) if bend == 0 else _bezier(p, q, bend, 24)
        curve = _trim(curve, p, radii[a] + 0.015, q, radii[b] + 0.015)
        if e.kind == "reports_to":  # the manager is the target: draw from the manager down
            curve = curve[::-1]
        w = {"reports_to": 1.1, "dotted_line": 1.1, "knows": 0.6, "rival": 1.6}.get(e.kind, 1.5)
        w = w * (0.55 + 0.75 * e.strength) * (1 + 0.35 * math.log(e.count))
        out.append((e, curve, w))
    return out


def _stance_ring(ax: Any, centre: np.ndarray, radius: float, dist: dict[str, float], pid: str) -> None:
    """A ring around a person split by the fused stance distribution, clockwise from the top, champion first."""
    from matplotlib.patches import Wedge

    start = 90.0
    width = max(radius * 0.28, 0.02)
    for stance, colour in STANCE_COLORS.items():
        share = float(dist.get(stance, 0.0))
        if share <= 0.005:
            continue
        ax.add_patch(
            Wedge(
                (float(centre[0]), float(centre[1])),
                radius + width * 1.15,
                start - 360.0 * share,
                start,
                width=width,
                facecolor=colour,
                edgecolor="white",
                lw=0.4,
                zorder=3.2,
                gid=f"ring:{pid}:{stance}",
            )
        )
        start -= 360.0 * share


def tie_fading(m: int) -> tuple[float, float]:
    """Opacity and width factor of one layer of ``m`` ties: many ties are drawn lighter and thinner."""
    return (
        float(min(1.0, max(0.18, (120.0 / max(m, 1)) ** 0.6))),
        float(min(1.0, max(0.45, (120.0 / max(m, 1)) ** 0.3))),
    )


def _draw_ties(ax: Any, scene: Scene, pos: np.ndarray, radii: np.ndarray) -> set[str]:
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import to_rgba

    by_kind: dict[str, list[tuple[np.ndarray, float, float]]] = {}
    for e, curve, w in edge_geometry(scene, pos, radii):
        by_kind.setdefault(e.kind, []).append((curve, w, e.probability))
    zorder = {"knows": 1.0, "reports_to": 1.2, "dotted_line": 1.2}
    # many ties: lighter and thinner, so the structure still shows through
    n_formal = sum(len(v) for k, v in by_kind.items() if TIE_STYLES[k]["formal"])
    n_informal = sum(len(v) for k, v in by_kind.items() if not TIE_STYLES[k]["formal"])
    for kind, items in by_kind.items():
        st = TIE_STYLES[kind]
        alpha, thin = tie_fading(n_formal if st["formal"] else n_informal)
        ls = "solid" if st["dash"] is None else (0, st["dash"])
        # an uncertain tie (fused from informants' reports) is drawn as faint as it is unlikely
        colours = [to_rgba(st["color"], alpha * p) for _, _, p in items]
        lc = LineCollection(
            [c for c, _, _ in items],
            colors=colours,
            linewidths=[w * thin for _, w, _ in items],
            linestyles=ls,
            zorder=zorder.get(kind, 2.0),
            gid=f"ties:{kind}",
            capstyle="butt",
        )
        ax.add_collection(lc)
        if st["directed"]:
            tris = []
            tri_colours = []
            for c, w, p in items:
                if len(c) < 2:
                    continue
                tip = c[-1]
                d = c[-1] - c[-2]
                L = float(np.hypot(*d))
                if L < 1e-9:
                    continue
                u = d / L
                size = (0.07 + 0.012 * w) * thin
                base = tip - u * size
                perp = np.array([-u[1], u[0]]) * size * 0.5
                tris.append([tip, base + perp, base - perp])
                tri_colours.append(to_rgba(st["color"], alpha * p))
            if tris:
                ax.add_collection(
                    PolyCollection(
                        tris,
                        facecolors=tri_colours,
                        edgecolors="none",
                        zorder=zorder.get(kind, 2.0),
                        gid=f"arrows:{kind}",
                    )
                )
    return set(by_kind)


# ----------------------------------------------------------------------------- legend and subtitle
def _subtitle(scene: Scene, drawing: Drawing) -> str:
    line = " · ".join(subtitle_parts(scene))
    extra = list(scene.notes)
    if scene.unreadable:
        extra.append(
            f"{scene.unreadable} name{'s' if scene.unreadable > 1 else ''} shown by id: no installed font "
            "has their script (install e.g. Noto Sans CJK)"
        )
    if scene.highlight.caption and not scene.highlight.empty:
        extra.append(f"yellow: {scene.highlight.caption}")
    if drawing.unlabelled:
        extra.append(f"{drawing.unlabelled} labels left out for space")
    if scene.anonymised:
        extra.append("anonymised")
    if extra:
        line += "\n" + " · ".join(extra)
    return line


def legend_entries(scene: Scene, drawing: Drawing) -> list[tuple[str, list[Any], list[str]]]:
    """The map legend as sections: (heading, handles, labels)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sections: list[tuple[str, list[Any], list[str]]] = []
    handles: list[Any] = []
    labels: list[str] = []

    def head(text: str) -> None:
        nonlocal handles, labels
        handles, labels = [], []
        sections.append((text, handles, labels))

    head("Stance")
    for s in ("champion", "ally", "supporter", "neutral", "skeptic", "hostile"):
        handles.append(Patch(facecolor=STANCE_COLORS[s], edgecolor=NODE_EDGE, lw=0.6))
        labels.append(s)
    handles.append(
        Patch(
            facecolor=UNKNOWN_FILL, edgecolor=UNKNOWN_EDGE, hatch="/////", lw=0.8, linestyle=(0, (2.0, 1.5))
        )
    )
    labels.append("unknown")
    markers = {"customer": "o", "us": "s", "partner": "D", "competitor": "h", "group": "8"}
    if drawing.sides - {"customer"}:
        head("Side")
        for s in ("customer", "us", "partner", "competitor", "group"):
            if s in drawing.sides:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=markers[s],
                        linestyle="none",
                        markersize=8,
                        markerfacecolor="#d0d0d0",
                        markeredgecolor=NODE_EDGE,
                        markeredgewidth=0.8,
                    )
                )
                labels.append(SIDE_LABELS[s])
    if drawing.badges:
        head("Role")
        for b in ("decision_maker", "coach", "gatekeeper", "hidden"):
            if b in drawing.badges:
                text, bg, fg, what = BADGES[b]
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        linestyle="none",
                        markersize=11,
                        markerfacecolor=bg,
                        markeredgecolor="white",
                    )
                )
                labels.append(f"{text}  {what}")
    if drawing.kinds:
        head("Ties (width = strength)")
        for k in TIE_ORDER:
            if k in drawing.kinds:
                st = TIE_STYLES[k]
                ls: Any = "solid" if st["dash"] is None else (0, st["dash"])
                handles.append(Line2D([], [], color=st["color"], lw=1.8, linestyle=ls))
                arrow = " →" if st["directed"] else ""
                labels.append(st["label"] + arrow)
    person = [i for i, nd in enumerate(scene.nodes) if not nd.is_group]
    if person:
        head("Size = power")
        pw = np.array([scene.nodes[i].power for i in person])
        rr = np.array([drawing.radii[i] for i in person])
        order = np.argsort(pw, kind="stable")
        pw, rr = pw[order], rr[order]
        hi, lo = float(pw[-1]), float(pw[0])
        picks = [hi] + [v for v in (_nice(hi / 4), lo) if v < hi * 0.8]
        shown: list[float] = []
        for v in picks:
            if any(abs(v - u) < 0.25 * max(u, 1e-9) for u in shown):
                continue
            shown.append(v)
            r = float(np.interp(v, pw, rr))
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markersize=2 * r * 72,
                    markerfacecolor="#d0d0d0",
                    markeredgecolor=NODE_EDGE,
                    markeredgewidth=0.8,
                )
            )
            labels.append(f"power {v:.2f}")
    if not scene.highlight.empty:
        head("Highlight")
        handles.append(Patch(facecolor=HIGHLIGHT["halo"], edgecolor=HIGHLIGHT["ring"], lw=1.0))
        caption = (scene.highlight.caption or "highlighted").split(" (")[0].split(";")[0]
        labels.append(textwrap.shorten(caption, 28, placeholder="…"))
    return sections


def _nice(x: float) -> float:
    """A round number near ``x`` (1, 2 or 5 times a power of ten)."""
    if x <= 0:
        return x
    e = math.floor(math.log10(x))
    m = x / 10**e
    return float((1 if m < 1.5 else 2 if m < 3.5 else 5 if m < 7.5 else 10) * 10.0**e)


def _legend(fig: Any, ax: Any, own: bool, scene: Scene, drawing: Drawing, top: float = _TITLE_H) -> None:
    from matplotlib.lines import Line2D

    sections = legend_entries(scene, drawing)
    fam = font_family()
    size = 8.0 if own else 7.5

    def build(
        parts: list[tuple[str, list[Any], list[str]]], anchor: tuple[float, float], spacing: float, where: Any
    ) -> Any:
        handles: list[Any] = []
        labels: list[str] = []
        heads: set[int] = set()
        for heading, hs, ls in parts:
            heads.add(len(labels))
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(heading)
            handles += hs
            labels += ls
        leg = where.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=anchor,
            frameon=False,
            handlelength=2.4,
            handleheight=1.0,
            labelspacing=spacing,
            borderaxespad=0.0,
            prop={"family": fam, "size": size},
        )
        for k, t in enumerate(leg.get_texts()):
            t.set_fontweight("bold" if k in heads else "normal")
            t.set_color("#1a1a1a" if k in heads else "#333333")
        return leg

    sizes = [sec for sec in sections if sec[0] == "Size = power"]
    rest = [sec for sec in sections if sec[0] != "Size = power"]
    if own:
        w, h = fig.get_size_inches()
        x = (w - _LEGEND_W + 0.15) / w
        leg = build(rest, (x, 1 - (top - 0.05) / h), 0.42, fig)
        leg.set_gid("legend")
        if sizes:
            renderer = renderer_of(fig)
            bb = leg.get_window_extent(renderer)
            biggest = max((hd.get_markersize() for hd in sizes[0][1]), default=size)
            spacing = max(0.42, (biggest - size) / size + 0.25)
            leg2 = build(sizes, (x, bb.y0 / fig.bbox.height - 0.1 / h), spacing, fig)
            leg2.set_gid("legend-size")
    else:
        for hd in sizes[0][1] if sizes else []:  # keep the key compact inside someone else's figure
            hd.set_markersize(min(hd.get_markersize(), 14.0))
        leg = build(rest + sizes, (1.01, 1.0), 0.6 if sizes else 0.35, ax)
        leg.set_gid("legend")
