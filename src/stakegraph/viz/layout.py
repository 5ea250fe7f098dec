"""Where each person goes on the map.

Three layouts, all deterministic:

``"hierarchy"``
    The formal chart top-down: levels as rows, each manager above their
    reports. The order within a row comes from Graphviz ``dot`` (crossing
    minimisation, informal ties taken into account) when the ``dot`` program is
    installed, else from a pure-Python tidy tree (subtrees kept together,
    parents centred over their reports). Rows too long for the page are split
    into staggered sub-rows. Our team and partners stand in a column on the
    left, competitors on the right, each at the height of the people they know.
``"spring"``
    A force-directed layout of all ties (networkx ``spring_layout`` with a seed).
``"coalitions"``
    People grouped by coalition (communities of the informal layer, from
    :func:`stakegraph.structure` when available, else networkx Louvain with the
    seed), each coalition laid out on its own and the groups packed on the page.

Positions are in inches inside a ``width`` x ``height`` box (origin bottom
left), and markers of the given radii never overlap: every layout ends with a
separation step that pushes apart any two markers closer than the sum of their
radii plus a gap.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..errors import ValidationError
from ..method.checks import bad, check_choice

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph
    from ._scene import Scene

__all__ = ["LayoutKind", "Engine", "positions", "layout_scene", "separate"]

LayoutKind = Literal["hierarchy", "spring", "coalitions"]
Engine = Literal["auto", "dot", "python"]
LAYOUTS = ("hierarchy", "spring", "coalitions")
ENGINES = ("auto", "dot", "python")
_SUB = 0.75  # vertical step between the sub-rows of one level (a level step is 1)


@dataclass
class LayoutResult:
    """Positions (n, 2) in inches, plus decorations some layouts draw (columns, coalitions)."""

    pos: np.ndarray
    columns: list[tuple[str, float, float, float]]  # (heading, x centre, y top, width)
    groups: list[tuple[str, list[int]]]  # coalitions: (name, node indices)
    engine: str


def positions(
    g: "StakeholderGraph",
    *,
    layout: LayoutKind = "hierarchy",
    width: float = 10.0,
    height: float = 6.0,
    radius: float = 0.15,
    seed: int | np.random.Generator | None = 0,
    engine: Engine = "auto",
) -> dict[str, tuple[float, float]]:
    """Positions of every person of ``g`` in a ``width`` x ``height`` box (inches).

    Parameters
    ----------
    g : StakeholderGraph
    layout : {"hierarchy", "spring", "coalitions"}, default "hierarchy"
    width, height : float
        The box, in inches (origin at the bottom left).
    radius : float, default 0.15
        Marker radius in inches; no two markers of this radius overlap.
    seed : int or numpy Generator, default 0
        Seed of the spring and coalition layouts.
    engine : {"auto", "dot", "python"}, default "auto"
        How the hierarchy orders each row: Graphviz ``dot`` (``"auto"`` uses it
        when the ``dot`` program is found) or the pure-Python tidy tree.

    Returns
    -------
    dict
        ``{person id: (x, y)}``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> pos = positions(g, engine="python")
    >>> pos["chair"][1] > pos["ceo"][1] > pos["cio"][1]   # the chart runs top-down
    True
    >>> len(pos) == len(g)
    True
    """
    from ._scene import build_scene

    scene = build_scene(g, func="positions")
    if not (isinstance(radius, (int, float)) and radius > 0):
        raise bad("positions", "radius", "a float in (0, inf)", radius)
    for name, v in (("width", width), ("height", height)):
        if not (isinstance(v, (int, float)) and v > 4 * radius):
            raise ValidationError(
                f"The {name!r} parameter of positions must be a float > 4 * radius. Got {v!r} instead."
            )
    res = layout_scene(
        scene,
        layout=layout,
        width=float(width),
        height=float(height),
        radii=np.full(len(scene.nodes), float(radius)),
        seed=seed,
        engine=engine,
        func="positions",
    )
    return {n.id: (float(res.pos[i, 0]), float(res.pos[i, 1])) for i, n in enumerate(scene.nodes)}


def layout_scene(
    scene: "Scene",
    *,
    layout: str,
    width: float,
    height: float,
    radii: np.ndarray,
    seed: Any = 0,
    engine: str = "auto",
    func: str = "influence_map",
    gap: float = 0.08,
    label_size: tuple[float, float] = (0.0, 0.0),
) -> LayoutResult:
    """Lay out a scene in a box of inches; see the module docstring.

    ``label_size`` = (typical width, tall height) of the labels, in inches: the
    hierarchy staggers crowded rows and keeps room below the last row for them.
    """
    check_choice(layout, "layout", func, LAYOUTS)
    check_choice(engine, "engine", func, ENGINES)
    n = len(scene.nodes)
    if n == 0:
        return LayoutResult(np.zeros((0, 2)), [], [], "none")
    radii = np.asarray(radii, dtype=float)
    if layout == "hierarchy":
        res = _hierarchy(scene, width, height, radii, engine, gap, label_size)
    elif layout == "spring":
        res = LayoutResult(_fit(_spring(scene, seed), width, height, radii), [], [], "networkx")
    else:
        pos, groups = _coalitions(scene, seed, width, height, radii)
        res = LayoutResult(pos, [], groups, "networkx")
    box = (
        float(radii.max()) + 0.02,
        float(radii.max()) + 0.02,
        width - radii.max() - 0.02,
        height - radii.max() - 0.02,
    )
    res.pos = separate(res.pos, radii, box, gap=gap, fixed_x=(layout == "hierarchy"))
    return res


# ----------------------------------------------------------------------------- helpers
def _isotonic_gap(target: np.ndarray, gap: float, lo: float, hi: float) -> np.ndarray:
    """Closest positions to ``target`` (already in order) with x[i+1] - x[i] >= gap, inside [lo, hi].

    Solved exactly: with y_i = x_i - i*gap the constraint is y non-decreasing,
    i.e. isotonic regression (pool adjacent violators), and the common bounds
    of y are enforced by clipping the isotonic solution.
    """
    m = len(target)
    if m == 0:
        return np.asarray(target, dtype=float)
    if (m - 1) * gap > hi - lo:  # cannot fit: spread evenly over the whole span
        return np.linspace(lo, hi, m) if m > 1 else np.array([(lo + hi) / 2])
    y = target - gap * np.arange(m)
    # pool adjacent violators
    vals: list[float] = []
    wts: list[int] = []
    for v in y:
        vals.append(float(v))
        wts.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            w = wts[-2] + wts[-1]
            v2 = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / w
            vals.pop()
            wts.pop()
            vals[-1] = v2
            wts[-1] = w
    out: np.ndarray = np.clip(np.repeat(vals, wts), lo, hi - (m - 1) * gap) + gap * np.arange(m)
    return out


def separate(
    pos: np.ndarray,
    radii: np.ndarray,
    box: tuple[float, float, float, float],
    *,
    gap: float = 0.08,
    iterations: int = 300,
    fixed_x: bool = False,
) -> np.ndarray:
    """Push apart markers closer than the sum of their radii plus ``gap``; keep them in ``box``.

    Deterministic (coincident markers part along a direction fixed by their
    indices). ``box`` is (x0, y0, x1, y1).
    """
    from scipy.spatial import cKDTree

    pos = np.array(pos, dtype=float, copy=True)
    n = len(pos)
    if n < 2:
        return np.clip(pos, [box[0], box[1]], [box[2], box[3]]) if n else pos
    rmax = float(radii.max())
    for _ in range(iterations):
        tree = cKDTree(pos)
        pairs = tree.query_pairs(2 * rmax + gap, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = pos[j] - pos[i]
        dist = np.hypot(d[:, 0], d[:, 1])
        need = radii[i] + radii[j] + gap
        bad = dist < need - 1e-9
        if not bad.any():
            break
        i, j, d, dist, need = i[bad], j[bad], d[bad], dist[bad], need[bad]
        zero = dist < 1e-9
        if zero.any():
            ang = (i[zero] * 2.399963 + j[zero] * 0.7) % (2 * math.pi)
            d[zero] = np.c_[np.cos(ang), np.sin(ang)]
            dist[zero] = 1.0
        u = d / dist[:, None]
        push = (need - np.where(zero, 0.0, dist))[:, None] * 0.5 * 1.02 * u
        if fixed_x:  # keep rows: move sideways first, vertically only when markers share a column
            horizontal = np.abs(u[:, 0]) > 0.2
            push[horizontal, 1] = 0.0
            push[horizontal, 0] = np.sign(u[horizontal, 0]) * (need[horizontal] - dist[horizontal]) * 0.51
        delta = np.zeros_like(pos)
        np.add.at(delta, i, -push)
        np.add.at(delta, j, push)
        pos += delta
        pos[:, 0] = np.clip(pos[:, 0], box[0], box[2])
        pos[:, 1] = np.clip(pos[:, 1], box[1], box[3])
    return pos


def _fit(
    pos: np.ndarray, width: float, height: float, radii: np.ndarray, *, margin: float = 0.1
) -> np.ndarray:
    """Scale positions (any units) to fill the box, keeping a margin of the largest radius."""
    pos = np.asarray(pos, dtype=float)
    if len(pos) == 0:
        return pos
    m = float(radii.max()) + margin
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = np.where(hi - lo > 1e-12, hi - lo, 1.0)
    out = np.empty_like(pos)
    out[:, 0] = m + (pos[:, 0] - lo[0]) / span[0] * (width - 2 * m)
    out[:, 1] = m + (pos[:, 1] - lo[1]) / span[1] * (height - 2 * m)
    if hi[0] - lo[0] <= 1e-12:
        out[:, 0] = width / 2
    if hi[1] - lo[1] <= 1e-12:
        out[:, 1] = height / 2
    return out


def _nx_graph(scene: "Scene", kinds: Sequence[str] | None = None) -> Any:
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(len(scene.nodes)))
    for e in scene.edges:
        if e.kind == "rival" or (kinds is not None and e.kind not in kinds):
            continue
        w = e.strength * (0.3 if e.kind == "knows" else 1.0)
        if G.has_edge(e.source, e.target):
            G[e.source][e.target]["weight"] += w
        else:
            G.add_edge(e.source, e.target, weight=w)
    return G


# ----------------------------------------------------------------------------- spring
def _spring(scene: "Scene", seed: Any) -> np.ndarray:
    import networkx as nx

    G = _nx_graph(scene)
    n = len(scene.nodes)
    rng = np.random.default_rng(seed)
    init = {i: tuple(rng.uniform(-1, 1, 2)) for i in range(n)}
    k = 1.6 / math.sqrt(max(n, 1))
    p = nx.spring_layout(G, pos=init, k=k, weight="weight", iterations=120, seed=int(rng.integers(2**31)))
    return np.array([p[i] for i in range(n)], dtype=float)


# ----------------------------------------------------------------------------- coalitions
def _communities(scene: "Scene", seed: Any) -> list[tuple[str, list[int]]]:
    """Coalitions as (name, node indices): from sg.structure when present, else Louvain."""
    import networkx as nx

    idx = scene.index
    groups: list[tuple[str, list[int]]] = []
    from ..analysis.structure import structure

    seen: set[int] = set()
    for c in structure(scene.graph, seed=0).coalitions:
        rows = sorted({idx[m] for m in (scene.member_of.get(x) for x in c.members) if m is not None} - seen)
        seen.update(rows)
        if not rows:
            continue
        name = f"coalition {c.number}"
        leader = scene.member_of.get(c.leader)
        if leader in idx:
            name += f" · {scene.nodes[idx[leader]].label}"
        groups.append((name, rows))
    rest = [i for i in range(len(scene.nodes)) if i not in seen]
    if rest:
        groups.append(("no coalition", rest))
    if groups:
        return groups
    G = _nx_graph(scene, kinds=("advises", "influences", "friend"))
    rng = np.random.default_rng(seed)
    comms = nx.community.louvain_communities(G, weight="weight", seed=int(rng.integers(2**31)))
    lonely = sorted(i for c in comms if len(c) == 1 for i in c)
    found = sorted((sorted(c) for c in comms if len(c) > 1), key=lambda c: (-len(c), c[0]))
    groups = [(f"coalition {k + 1}", c) for k, c in enumerate(found)]
    if lonely:
        groups.append(("no informal ties", lonely))
    return groups


def _coalitions(
    scene: "Scene", seed: Any, width: float, height: float, radii: np.ndarray
) -> tuple[np.ndarray, list[tuple[str, list[int]]]]:
    """Each coalition in a disc of its own (a spring layout inside), the discs on a grid of cells.

    People in no coalition stand in a tidy grid in the last cell, without a disc.
    """
    import networkx as nx

    named = _communities(scene, seed)
    G = _nx_graph(scene)
    rng = np.random.default_rng(seed)
    n = len(scene.nodes)
    pos = np.zeros((n, 2))
    k = len(named)
    weights = np.array([math.sqrt(len(rows)) for _, rows in named])
    best = None
    for cols in range(1, k + 1):  # the grid whose cells best fit the biggest coalition
        rows_ = math.ceil(k / cols)
        per_row = [list(range(r * cols, min((r + 1) * cols, k))) for r in range(rows_)]
        score = min(
            min(weights[row].sum() and width * weights[i] / weights[row].sum() for i in row)
            for row in per_row
        )
        score = min(score, height / rows_) / max(weights.max(), 1)
        if best is None or score > best[0]:
            best = (score, per_row)
    assert best is not None
    per_row = best[1]
    rmax = float(radii.max())
    out: list[tuple[str, list[int]]] = []
    for r, row in enumerate(per_row):
        ch = height / len(per_row)
        widths = weights[row] / weights[row].sum() * width
        x0 = 0.0
        for cw, gi in zip(widths, row):
            name, members = named[gi]
            cx, cy = x0 + cw / 2, height - (r + 0.5) * ch - 0.08
            x0 += cw
            if name.startswith("no "):  # not a coalition: a plain grid
                m = len(members)
                ncol = max(1, min(m, int(math.ceil(math.sqrt(m * cw / max(ch, 1e-9))))))
                nrow = math.ceil(m / ncol)
                xs = np.linspace(-1, 1, ncol) * (cw / 2 - rmax - 0.5) if ncol > 1 else np.zeros(1)
                ys = np.linspace(1, -1, nrow) * (ch / 2 - rmax - 0.35) if nrow > 1 else np.zeros(1)
                for j, i in enumerate(members):
                    pos[i] = (cx + xs[j % ncol], cy + ys[j // ncol])
                out.append((name, []))
                continue
            R = max(min(cw, ch) / 2 - 0.2, 0.05)
            if len(members) == 1:
                arr = np.zeros((1, 2))
            else:
                sub = G.subgraph(members)
                init = {i: tuple(rng.uniform(-1, 1, 2)) for i in members}
                p = nx.spring_layout(
                    sub,
                    pos=init,
                    weight="weight",
                    iterations=100,
                    k=1.5 / math.sqrt(len(members)),
                    seed=int(rng.integers(2**31)),
                )
                arr = np.array([p[i] for i in members], dtype=float)
                arr -= arr.mean(axis=0)
                norm = float(np.max(np.hypot(arr[:, 0], arr[:, 1])))
                arr = arr / norm if norm > 1e-12 else arr
            pos[members] = arr * max(R - rmax - 0.25, 0.0) + [cx, cy]
            out.append((name, members))
    return pos, out


# ----------------------------------------------------------------------------- hierarchy
def _parents(scene: "Scene", members: set[int]) -> dict[int, int]:
    parent: dict[int, int] = {}
    for e in scene.edges:
        if e.kind == "reports_to" and e.source in members and e.target in members:
            if scene.nodes[e.target].level < scene.nodes[e.source].level:
                parent.setdefault(e.source, e.target)
    return parent


def _tidy_x(scene: "Scene", members: list[int], parent: dict[int, int]) -> dict[int, float]:
    """Pure-Python tidy tree: leaves take consecutive slots in DFS order, parents centre over reports."""
    nodes = scene.nodes
    children: dict[int, list[int]] = {i: [] for i in members}
    for c, p in parent.items():
        children[p].append(c)

    def key(i: int) -> tuple[Any, ...]:
        return (nodes[i].department, -len(children[i]), -nodes[i].power, nodes[i].label)

    # informal neighbours: used to order siblings so that friends and advisers sit close
    roots = sorted((i for i in members if i not in parent), key=lambda i: (nodes[i].level, *key(i)))
    x: dict[int, float] = {}
    slot = [0.0]

    def place(i: int) -> float:
        kids = sorted(children[i], key=key)
        if not kids:
            x[i] = slot[0]
            slot[0] += 1.0
            return x[i]
        xs = [place(k) for k in kids]
        x[i] = (xs[0] + xs[-1]) / 2
        return x[i]

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(members) + 100))
    try:
        for r in roots:
            place(r)
            slot[0] += 0.5
    finally:
        sys.setrecursionlimit(limit)
    return x


def _dot_x(scene: "Scene", members: list[int], parent: dict[int, int]) -> dict[int, float] | None:
    """Graphviz dot: x of each member (rows fixed by level). None when dot is missing or fails."""
    exe = shutil.which("dot")
    if exe is None:
        return None
    nodes = scene.nodes
    mset = set(members)
    levels = sorted({nodes[i].level for i in members})
    lines = [
        "digraph G {",
        "graph [rankdir=TB, nodesep=0.25, ranksep=0.6, splines=false, ordering=out];",
        'node [shape=circle, width=0.3, height=0.3, fixedsize=true, label=""];',
        "edge [arrowhead=none];",
    ]
    for k in range(len(levels)):
        lines.append(f"lv{k} [style=invis, width=0.01];")
    if len(levels) > 1:
        lines.append(" -> ".join(f"lv{k}" for k in range(len(levels))) + " [style=invis];")
    for k, lv in enumerate(levels):
        row = " ".join(f"n{i};" for i in members if nodes[i].level == lv)
        lines.append(f"{{rank=same; lv{k}; {row}}}")

    def order_key(i: int) -> tuple[Any, ...]:
        return (nodes[i].department, -nodes[i].power, nodes[i].label)

    for c in sorted(parent, key=lambda i: order_key(i)):
        lines.append(f"n{parent[c]} -> n{c} [weight=4];")
    for e in scene.edges:  # dotted lines pull people together without bending the chart
        if e.kind == "dotted_line" and e.source in mset and e.target in mset:
            lines.append(f"n{e.target} -> n{e.source} [constraint=false, weight=1];")
    lines.append("}")
    try:
        out = subprocess.run(
            [exe, "-Tplain"], input="\n".join(lines), capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    x: dict[int, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "node" and parts[1].startswith("n") and parts[1][1:].isdigit():
            x[int(parts[1][1:])] = float(parts[2])
    if set(x) != mset:
        return None
    return x


def _hierarchy(
    scene: "Scene",
    width: float,
    height: float,
    radii: np.ndarray,
    engine: str,
    gap: float,
    label_size: tuple[float, float],
) -> LayoutResult:
    nodes = scene.nodes
    n = len(nodes)
    pos = np.zeros((n, 2))
    rmax = float(radii.max())
    cust = [i for i in range(n) if nodes[i].org == "customer"]
    left = [i for i in range(n) if nodes[i].org in ("us", "partner")]
    right = [i for i in range(n) if nodes[i].org == "competitor"]
    if not cust:  # nobody of the customer: everyone in the main area
        cust, left, right = list(range(n)), [], []
    col_w = min(1.7, max(1.1, width * 0.13))
    top = height - rmax - 0.1
    bottom = rmax + 0.1 + 0.9 * label_size[1]
    x_lo = (col_w if left else 0.0) + rmax + 0.15
    x_hi = width - (col_w if right else 0.0) - rmax - 0.15
    if x_hi - x_lo < 4 * rmax:
        x_lo, x_hi = rmax + 0.1, width - rmax - 0.1
    main_w = x_hi - x_lo

    mset = set(cust)
    parent = _parents(scene, mset)
    used = "python"
    xs: dict[int, float] | None = None
    if engine in ("auto", "dot"):
        xs = _dot_x(scene, cust, parent)
        if xs is not None:
            used = "dot"
        elif engine == "dot":
            raise ValidationError(
                "engine='dot' needs the Graphviz 'dot' program on the PATH "
                "(e.g. apt install graphviz); use engine='python' or 'auto'"
            )
    if xs is None:
        xs = _tidy_x(scene, cust, parent)
    vals = np.array([xs[i] for i in cust])
    lo, hi = vals.min(), vals.max()
    ideal = {i: x_lo + (xs[i] - lo) / (hi - lo) * main_w if hi > lo else (x_lo + x_hi) / 2 for i in cust}

    levels = sorted({nodes[i].level for i in cust})
    dx_min = 2 * rmax + gap + 0.04
    label_w, label_h = label_size
    by_level = {
        lv: sorted((i for i in cust if nodes[i].level == lv), key=lambda i: (ideal[i], i)) for lv in levels
    }
    cap = max(1, int(main_w // dx_min) + 1)
    s_min = {lv: math.ceil(len(m) / cap) for lv, m in by_level.items()}
    # stagger crowded rows so that labels fit side by side, while the rows still leave room for labels
    s_lab = {
        lv: max(s_min[lv], min(3, math.ceil(len(m) * label_w * 0.8 / main_w))) if label_w > 0 else s_min[lv]
        for lv, m in by_level.items()
    }

    def steps_of(s_of: dict[int, int]) -> list[float]:
        st = [0.0]
        rl = [lv for lv in levels for _ in range(s_of[lv])]
        for a, b in zip(rl, rl[1:]):
            st.append(st[-1] + (1.0 if a != b else _SUB))
        return st

    need = 2 * rmax + label_h + 0.12
    while True:
        st = steps_of(s_lab)
        span_ = st[-1] if st[-1] > 0 else 1.0
        if _SUB * (top - bottom) / span_ >= need or all(s_lab[lv] == s_min[lv] for lv in levels):
            break
        worst = max(
            (lv for lv in levels if s_lab[lv] > s_min[lv]), key=lambda lv: (s_lab[lv], len(by_level[lv]))
        )
        s_lab[worst] -= 1
    rows: list[list[int]] = []
    row_level: list[int] = []
    for lv in levels:
        members = by_level[lv]
        s = s_lab[lv]
        for k in range(s):
            rows.append(members[k::s])
            row_level.append(lv)
    # vertical: a full step between levels, a smaller one between sub-rows of a level
    steps = steps_of(s_lab)
    span = steps[-1] if steps[-1] > 0 else 1.0
    dy = (top - bottom) / span if len(rows) > 1 else 0.0
    dy_cap = 1.6
    if dy > dy_cap:
        dy = dy_cap
    total_h = span * dy
    y0 = (top + bottom) / 2 + total_h / 2 if len(rows) > 1 else (top + bottom) / 2
    for r, row in enumerate(rows):
        y = y0 - steps[r] * dy
        target = np.array([ideal[i] for i in row])
        width_each = min(main_w / max(len(row), 1), 1.15)
        xs_row = _isotonic_gap(target, max(dx_min, 0.92 * width_each), x_lo, x_hi)
        for i, xv in zip(row, xs_row):
            pos[i] = (xv, y)

    columns: list[tuple[str, float, float, float]] = []
    for side, members, cx in (("left", left, col_w / 2), ("right", right, width - col_w / 2)):
        if not members:
            continue
        heading = (
            ("Our team & partners" if any(nodes[i].org == "partner" for i in members) else "Our team")
            if side == "left"
            else "Competitors"
        )
        columns.append((heading, cx, top + 0.05, col_w))
        ideal_y = {}
        for i in members:
            near = [
                pos[j, 1]
                for e in scene.edges
                for j in ((e.target,) if e.source == i else (e.source,) if e.target == i else ())
                if j in mset
            ]
            ideal_y[i] = float(np.mean(near)) if near else (top + bottom) / 2
        dy_min = max(2 * rmax + gap + 0.45, 0.55)
        h_avail = (top - 0.35) - bottom
        ncols = max(1, math.ceil(len(members) * dy_min / max(h_avail, dy_min)))
        order = sorted(members, key=lambda i: (-ideal_y[i], nodes[i].org, -nodes[i].power, i))
        for k in range(ncols):
            sub = order[k::ncols]
            target = np.array([-ideal_y[i] for i in sub])
            ys = -_isotonic_gap(target, dy_min, -(top - 0.35), -bottom)
            xk = cx + (k - (ncols - 1) / 2) * (col_w / max(ncols, 1)) * 0.9
            for i, yv in zip(sub, ys):
                pos[i] = (xk, yv)
    return LayoutResult(pos, columns, [], used)
