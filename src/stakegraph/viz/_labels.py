"""Deterministic label placement: every label beside its marker, no label over another or over a marker.

Labels are placed one by one in priority order. For each, candidate spots are
tried in a fixed order (below, above, right, left, the four diagonals, then
rings further out, which get a leader line); the first spot that stays inside
the bounds and clears every marker, every obstacle and every label already
placed wins. Sizes come from the renderer, so what is checked is what is drawn.
All geometry is in inches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from scipy.spatial import cKDTree

__all__ = ["LabelItem", "Placement", "place_labels"]


@dataclass
class LabelItem:
    key: str
    x: float
    y: float
    r: float
    w: float
    h: float
    short: tuple[float, float] | None = None  # size of a shorter form (name only), tried last


@dataclass
class Placement:
    cx: float
    cy: float
    leader: bool
    short: bool = False


class _Grid:
    """A uniform grid of rectangles for fast overlap queries."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.rects: list[tuple[float, float, float, float]] = []

    def _span(self, r: tuple[float, float, float, float]) -> tuple[range, range]:
        c = self.cell
        return (
            range(int(math.floor(r[0] / c)), int(math.floor(r[2] / c)) + 1),
            range(int(math.floor(r[1] / c)), int(math.floor(r[3] / c)) + 1),
        )

    def add(self, r: tuple[float, float, float, float]) -> None:
        k = len(self.rects)
        self.rects.append(r)
        xs, ys = self._span(r)
        for i in xs:
            for j in ys:
                self.cells.setdefault((i, j), []).append(k)

    def hits(self, r: tuple[float, float, float, float]) -> bool:
        xs, ys = self._span(r)
        seen: set[int] = set()
        for i in xs:
            for j in ys:
                for k in self.cells.get((i, j), ()):
                    if k in seen:
                        continue
                    seen.add(k)
                    o = self.rects[k]
                    if r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]:
                        return True
        return False


def _circle_hits_rect(cx: float, cy: float, rad: float, r: tuple[float, float, float, float]) -> bool:
    nx = min(max(cx, r[0]), r[2])
    ny = min(max(cy, r[1]), r[3])
    return (cx - nx) ** 2 + (cy - ny) ** 2 < rad * rad


def _rect_distance(x: float, y: float, r: tuple[float, float, float, float]) -> float:
    dx = max(r[0] - x, 0.0, x - r[2])
    dy = max(r[1] - y, 0.0, y - r[3])
    return math.hypot(dx, dy)


def _closer_marker(
    it: LabelItem, rect: tuple[float, float, float, float], circles: np.ndarray, tree: cKDTree
) -> bool:
    """True if some other marker is nearer to the label than the label's own marker (ambiguous)."""
    own = _rect_distance(it.x, it.y, rect) - it.r
    near = tree.query_ball_point(
        [(rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2],
        math.hypot(rect[2] - rect[0], rect[3] - rect[1]) / 2 + own + it.r + 0.5,
    )
    for k in near:
        x, y, r = circles[k]
        if abs(x - it.x) < 1e-9 and abs(y - it.y) < 1e-9:
            continue
        if _rect_distance(x, y, rect) - r < own * 0.9 - 0.01:
            return True
    return False


def _candidates(item: LabelItem, gap: float, prefer: str) -> list[tuple[float, float, bool]]:
    d0 = item.r + gap
    w2, h2 = item.w / 2, item.h / 2
    near = [
        (0.0, -(d0 + h2)),
        (0.0, d0 + h2),
        (d0 + w2, 0.0),
        (-(d0 + w2), 0.0),
        (d0 * 0.72 + w2, -(d0 * 0.72 + h2)),
        (-(d0 * 0.72 + w2), -(d0 * 0.72 + h2)),
        (d0 * 0.72 + w2, d0 * 0.72 + h2),
        (-(d0 * 0.72 + w2), d0 * 0.72 + h2),
    ]
    if prefer == "side":
        near = [near[2], near[3], near[0], near[1]] + near[4:]
    out = [(item.x + dx, item.y + dy, False) for dx, dy in near]
    # slid along the bottom and top edges
    for frac in (0.35, -0.35, 0.7, -0.7):
        out.append((item.x + frac * item.w, item.y - (d0 + h2), False))
        out.append((item.x + frac * item.w, item.y + (d0 + h2), False))
    for k in (1.9, 2.8, 3.9, 5.2, 7.0, 9.0, 11.5):
        for a in range(24):
            ang = -math.pi / 2 + a * (2 * math.pi / 24)
            ca, sa = math.cos(ang), math.sin(ang)
            dist = d0 * k
            out.append((item.x + ca * (dist + w2 * abs(ca)), item.y + sa * (dist + h2 * abs(sa)), True))
    return out


def _spot(
    it: LabelItem,
    gap: float,
    prefer: str,
    pad: float,
    bounds: tuple[float, float, float, float],
    grid: _Grid,
    circles: np.ndarray,
    tree: cKDTree | None,
    rmax: float,
) -> tuple[float, float, bool, tuple[float, float, float, float]] | None:
    x0b, y0b, x1b, y1b = bounds
    for cx, cy, leader in _candidates(it, gap, prefer):
        rect = (cx - it.w / 2 - pad, cy - it.h / 2 - pad, cx + it.w / 2 + pad, cy + it.h / 2 + pad)
        if rect[0] < x0b or rect[1] < y0b or rect[2] > x1b or rect[3] > y1b:
            continue
        if grid.hits(rect):
            continue
        if tree is not None:
            reach = math.hypot(it.w, it.h) / 2 + pad + rmax
            near = tree.query_ball_point([cx, cy], reach)
            if any(_circle_hits_rect(circles[k, 0], circles[k, 1], circles[k, 2] + pad, rect) for k in near):
                continue
            if not leader and _closer_marker(it, rect, circles, tree):
                continue
        return (cx, cy, leader, rect)
    return None


def place_labels(
    items: Sequence[LabelItem],
    circles: np.ndarray,
    *,
    bounds: tuple[float, float, float, float],
    obstacles: Sequence[tuple[float, float, float, float]] = (),
    gap: float = 0.03,
    pad: float = 0.02,
    prefer: str = "below",
) -> dict[str, Placement]:
    """Place ``items`` (in the given priority order); returns the spot of each label placed.

    ``circles`` is an (m, 3) array of markers (x, y, radius) every label must
    clear; ``obstacles`` are rectangles (x0, y0, x1, y1) to clear as well.
    A label that fits nowhere in full is tried in its short form (``short``),
    then left out (the caller reports how many).
    """
    from scipy.spatial import cKDTree

    circles = np.asarray(circles, dtype=float).reshape(-1, 3)
    tree = cKDTree(circles[:, :2]) if len(circles) else None
    rmax = float(circles[:, 2].max()) if len(circles) else 0.0
    cell = max(0.3, float(np.median([it.w for it in items])) if items else 0.5)
    grid = _Grid(cell)
    for o in obstacles:
        grid.add(o)
    out: dict[str, Placement] = {}
    for it in items:
        chosen = _spot(it, gap, prefer, pad, bounds, grid, circles, tree, rmax)
        short = False
        if chosen is None and it.short is not None:
            alt = LabelItem(it.key, it.x, it.y, it.r, it.short[0], it.short[1])
            chosen = _spot(alt, gap, prefer, pad, bounds, grid, circles, tree, rmax)
            short = True
        if chosen is None:
            continue
        cx, cy, leader, rect = chosen
        grid.add(rect)
        out[it.key] = Placement(cx, cy, leader, short)
    return out
