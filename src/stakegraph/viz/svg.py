"""A small inline SVG map for notebooks (``StakeholderGraph._repr_html_``).

Written as plain SVG text (no matplotlib), so a graph displays at once: the
formal chart with informal ties over it, colour = stance, size = power, a
tooltip with name, title and stance on every marker, and the names of the most
important people.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ValidationError
from ..method.checks import check_int
from ._scene import build_scene
from ._style import NODE_EDGE, SIDE_SHAPES, TIE_STYLES, UNKNOWN_EDGE, support_color

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["small_svg"]


def _width(text: str, size: float) -> float:
    """Rough text width in points: wide scripts take about 1 em a glyph, others 0.6 em."""
    return float(sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.6) for ch in text))


def small_svg(
    g: "StakeholderGraph",
    *,
    width: int = 640,
    height: int = 360,
    max_people: int | None = 60,
    labels: int = 12,
    anonymise: bool = False,
) -> str:
    """A compact SVG influence map of ``g`` as a string (safe to embed in HTML).

    Parameters
    ----------
    g : StakeholderGraph
    width, height : int, default 640 x 360
        Size in pixels.
    max_people : int or None, default 60
        Larger graphs show their most powerful people and one marker per
        department for the others.
    labels : int, default 12
        How many names to write (the most important people first).
    anonymise : bool, default False
        Replace names by role and department.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> import stakegraph as sg
    >>> svg = small_svg(sg.datasets.load("bank"))
    >>> svg.startswith("<svg") and svg.count('class="sg-node"') == 37
    True
    """
    from .layout import layout_scene

    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 120:
            raise ValidationError(
                f"The {name!r} parameter of small_svg must be an int >= 120. Got {v!r} instead."
            )
    check_int(labels, "labels", "small_svg", low=0)
    scene = build_scene(g, func="small_svg", anonymise=anonymise, max_people=max_people)
    n = len(scene.nodes)
    ppi = 72.0
    W, H = width / ppi, height / ppi
    power = np.array([nd.power for nd in scene.nodes], dtype=float) if n else np.zeros(0)
    pmax = float(power.max()) if n and power.max() > 0 else 1.0
    r_hi = float(np.clip(0.16 * math.sqrt(25.0 / max(n, 1)), 0.05, 0.14))
    radii = (r_hi * 0.4 + r_hi * 0.6 * np.sqrt(np.clip(power / pmax, 0, 1))) if n else np.zeros(0)
    lay = layout_scene(
        scene,
        layout="hierarchy",
        width=W,
        height=H,
        radii=radii,
        engine="python",
        func="small_svg",
        gap=0.03,
        label_size=(0.0, 0.0),
    )
    pos = lay.pos

    def px(i: int) -> tuple[float, float]:
        return float(pos[i, 0] * ppi), float((H - pos[i, 1]) * ppi)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stakegraph-map" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="DejaVu Sans, Arial, sans-serif" '
        f'style="background:#fff;border:1px solid #e5e5e5">',
        f"<title>{html.escape(scene.graph.deal.name or 'Stakeholder map')}</title>",
    ]
    for e in sorted(scene.edges, key=lambda e: (not TIE_STYLES[e.kind]["formal"], e.kind)):
        st = TIE_STYLES[e.kind]
        (x1, y1), (x2, y2) = px(e.source), px(e.target)
        dash = "" if st["dash"] is None else f' stroke-dasharray="{",".join(f"{d:g}" for d in st["dash"])}"'
        w = (0.5 if e.kind == "knows" else 1.0) * (0.5 + e.strength)
        if st["formal"]:
            d = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
        else:
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            dx, dy = x2 - x1, y2 - y1
            cx, cy = mx - dy * 0.16, my + dx * 0.16
            d = f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
        out.append(
            f'<path d="{d}" fill="none" stroke="{st["color"]}" stroke-width="{w:.2f}"{dash} '
            f'class="sg-tie sg-{e.kind}"/>'
        )
    from ._labels import LabelItem, place_labels

    order = sorted(
        range(n), key=lambda i: ("decision_maker" not in scene.nodes[i].roles, -scene.nodes[i].power, i)
    )
    fs = 8.5
    names = [nd.label if nd.is_group else str(nd.details.get("name") or nd.label) for nd in scene.nodes]
    items = [
        LabelItem(
            str(i),
            float(pos[i, 0]),
            float(pos[i, 1]),
            float(radii[i]),
            (_width(names[i], fs) + 4) / ppi,
            (fs * 1.25) / ppi,
        )
        for i in order[:labels]
    ]
    placed = place_labels(
        items, np.c_[pos, radii] if n else np.zeros((0, 3)), bounds=(0, 0, W, H), gap=0.02, pad=0.01
    )
    spots = {int(k): v for k, v in placed.items() if not v.leader}
    for i, nd in enumerate(scene.nodes):
        x, y = px(i)
        r = float(radii[i] * ppi)
        fill = support_color(nd.support)
        unknown = fill is None
        stroke = UNKNOWN_EDGE if unknown else NODE_EDGE
        sw = 2.2 if "decision_maker" in nd.roles else 0.8
        extra = ' stroke-dasharray="2,1.5"' if unknown else ""
        style = (
            f'fill="{fill or "#ffffff"}" stroke="{"#000" if sw > 2 else stroke}" stroke-width="{sw}"{extra}'
        )
        verts, rot = SIDE_SHAPES[nd.shape_key]
        if verts == 0:
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
        else:
            pts = " ".join(
                f"{x + r * math.cos(rot + math.pi / 2 + 2 * math.pi * k / verts):.1f},"
                f"{y - r * math.sin(rot + math.pi / 2 + 2 * math.pi * k / verts):.1f}"
                for k in range(verts)
            )
            shape = f'<polygon points="{pts}" {style}/>'
        name = names[i]
        tip = (
            name
            + (f" — {nd.sub}" if nd.sub else "")
            + (f"\nstance: {nd.stance}" if not nd.is_group else "")
            + f"\npower: {nd.power:.2f}"
        )
        if nd.roles:
            tip += "\nroles: " + ", ".join(r_.replace("_", " ") for r_ in nd.roles)
        out.append(
            f'<g class="sg-node" data-id="{html.escape(nd.id)}"><title>{html.escape(tip)}</title>{shape}'
        )
        if unknown:
            out.append(
                f'<line x1="{x - r * 0.5:.1f}" y1="{y + r * 0.5:.1f}" x2="{x + r * 0.5:.1f}" '
                f'y2="{y - r * 0.5:.1f}" stroke="{UNKNOWN_EDGE}" stroke-width="0.8"/>'
            )
        if i in spots:
            sp = spots[i]
            out.append(
                f'<text x="{sp.cx * ppi:.1f}" y="{(H - sp.cy) * ppi + fs * 0.35:.1f}" font-size="{fs}" '
                f'text-anchor="middle" fill="#222" stroke="#fff" stroke-width="2.5" '
                f'paint-order="stroke">{html.escape(name)}</text>'
            )
        out.append("</g>")
    if scene.notes:
        out.append(
            f'<text x="6" y="{height - 6}" font-size="8" fill="#777">{html.escape("; ".join(scene.notes))}'
            "</text>"
        )
    out.append("</svg>")
    return "".join(out)
