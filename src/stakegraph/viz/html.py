"""A self-contained interactive map: one HTML file that works offline.

The page holds the graph data as JSON and a small script of our own (no
library, no network access) that draws it as SVG: zoom with the wheel or the
buttons, pan by dragging, hover a person for details, click to keep them in
the side panel, filter by layer (formal, informal, each tie kind) and by
stance, search by name, and show or hide the highlight.
"""

from __future__ import annotations

import html
import json
import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np

from ..analysis.rank import rank as rank_people
from ..io._common import write_bytes
from ..model import check_graph
from ._scene import Scene, build_scene, subtitle_parts
from ._style import BADGES, SIDE_SHAPES, STANCE_COLORS, TIE_ORDER, TIE_STYLES, support_color
from .layout import LayoutKind, layout_scene

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["export_html", "map_data", "map_html", "script_json"]

PathLike = Union[str, "os.PathLike[str]"]
_PPI = 96.0  # SVG user units per inch
_CANVAS = (40 / 3, 7.5)
_NAME_PT, _SUB_PT = 11.0, 9.0


def export_html(
    g: "StakeholderGraph",
    path: PathLike,
    *,
    layout: LayoutKind = "hierarchy",
    highlight: Any = None,
    focus: str | None = None,
    depth: int = 1,
    rank: Any = None,
    max_people: int | None = 400,
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    seed: int | np.random.Generator | None = 0,
    engine: Literal["auto", "dot", "python"] = "auto",
    beliefs: Any = None,
) -> Path:
    """Write the interactive influence map as one self-contained HTML file.

    The file needs no network and no installed library: the data and the
    script are inside it. Open it in any current browser.

    Parameters
    ----------
    g : StakeholderGraph
    path : str or path-like
        Where to write (``.html``); missing folders are created.
    layout, highlight, focus, depth, rank, anonymise, salt, seed, engine, beliefs
        As in :func:`stakegraph.influence_map` (with ``beliefs``, a reported
        tie is as faint as it is unlikely, and a person's details list their
        fused stance distribution).
    max_people : int or None, default 400
        Above this many people the less powerful ones are grouped by department.
    title : str, optional
        Default: the deal's name and "influence map".

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib, stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = sg.export_html(g, pathlib.Path(d) / "map.html", highlight="ceo")
    ...     text = p.read_text(encoding="utf-8")
    >>> "<script" in text and "http://" not in text.replace("http://www.w3.org", "")
    True
    """
    p = Path(os.fspath(path))
    text = map_html(
        g,
        layout=layout,
        highlight=highlight,
        focus=focus,
        depth=depth,
        rank=rank,
        max_people=max_people,
        anonymise=anonymise,
        salt=salt,
        title=title,
        seed=seed,
        engine=engine,
        beliefs=beliefs,
    )
    p.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(text.encode("utf-8"), p)  # a failed write leaves the previous page as it was
    return p


def map_html(
    g: "StakeholderGraph",
    *,
    layout: LayoutKind = "hierarchy",
    highlight: Any = None,
    focus: str | None = None,
    depth: int = 1,
    rank: Any = None,
    max_people: int | None = 400,
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    seed: Any = 0,
    engine: str = "auto",
    beliefs: Any = None,
) -> str:
    """The interactive map page as a string (see :func:`export_html`)."""
    check_graph(g, "export_html")
    if rank is None:  # the details' "Power" is the number the CLI, the report and the slides give: sg.rank's
        rank = rank_people(g, seed=0)
    scene = build_scene(
        g,
        func="export_html",
        anonymise=anonymise,
        salt=salt,
        highlight=highlight,
        focus=focus,
        depth=depth,
        max_people=max_people,
        rank=rank,
        beliefs=beliefs,
    )
    data = map_data(scene, layout=layout, seed=seed, engine=engine)
    t = title if title is not None else f"{scene.graph.deal.name or 'Stakeholders'}: influence map"
    data["title"] = t
    return _page(data)


# ----------------------------------------------------------------------------- data
_MEASURE: list[Any] = []


def _text_width(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in points at ``size`` (DejaVu Sans metrics, with the map's fallback fonts)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from ._style import font_family

    if not text:
        return 0.0
    from ._style import renderable

    if not renderable(text):  # the browser finds a font; estimate (wide scripts take about 1 em a glyph)
        return float(sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.62) for ch in text))
    if not _MEASURE:
        _MEASURE.append(TextToPath())
    prop = FontProperties(family=font_family(), size=size, weight="bold" if bold else "normal")
    w, _, _ = _MEASURE[0].get_text_width_height_descent(text, prop, ismath=False)
    return float(w)


def _html_name(nd: Any) -> str:
    """Browsers find fonts for every script: use the real name, not the map's fallback."""
    return nd.label if nd.is_group else str(nd.details.get("name") or nd.label)


def map_data(
    scene: Scene,
    *,
    layout: str = "hierarchy",
    seed: Any = 0,
    engine: str = "auto",
    canvas: tuple[float, float] = _CANVAS,
) -> dict[str, Any]:
    """Positions, styles, labels and details of a scene, as the JSON the page script draws."""
    from ._labels import LabelItem, place_labels
    from .influence_map import edge_geometry, label_priority, node_radii, tie_fading, wrap_text

    W, H = canvas
    nodes = scene.nodes
    n = len(nodes)
    radii = node_radii(scene, n) if n else np.zeros(0)
    order = label_priority(scene) if n else []
    want = order if n <= 120 else order[:80]
    lab: dict[int, tuple[str, list[str], float, float]] = {}
    for i in want:
        name = _html_name(nodes[i])
        sub = [s for s in wrap_text(nodes[i].sub, 26, 2).split("\n") if s]
        w = max([_text_width(name, _NAME_PT, True)] + [_text_width(s, _SUB_PT, False) for s in sub])
        h = _NAME_PT * 1.2 + len(sub) * _SUB_PT * 1.2
        lab[i] = (name, sub, (w + 6) / _PPI, (h + 4) / _PPI)
    lw = float(np.median([v[2] for v in lab.values()])) if lab else 0.0
    lh = float(np.median([v[3] for v in lab.values()])) if lab else 0.0
    lay = (
        layout_scene(
            scene,
            layout=layout,
            width=W,
            height=H,
            radii=radii,
            seed=seed,
            engine=engine,
            func="export_html",
            label_size=(lw, lh),
        )
        if n
        else None
    )
    pos = lay.pos if lay is not None else np.zeros((0, 2))
    items = [
        LabelItem(
            nodes[i].id,
            float(pos[i, 0]),
            float(pos[i, 1]),
            float(radii[i]) + 0.02,
            lab[i][2],
            lab[i][3],
            short=(lab[i][2], (_NAME_PT * 1.2 + 4) / _PPI) if lab[i][1] else None,
        )
        for i in want
    ]
    placed = place_labels(
        items, np.c_[pos, radii + 0.03] if n else np.zeros((0, 3)), bounds=(0, 0, W, H), gap=0.03, pad=0.015
    )

    def px(x: float, y: float) -> list[float]:
        return [round(x * _PPI, 1), round((H - y) * _PPI, 1)]

    hl_targets = {pid: k + 1 for k, pid in enumerate(scene.highlight.targets)}
    out_nodes = []
    for i, nd in enumerate(nodes):
        colour = support_color(nd.support)
        verts, rot = SIDE_SHAPES[nd.shape_key]
        badges = []
        for b in ("decision_maker", "coach", "gatekeeper"):
            if b in nd.roles:
                text, bg, fg, _ = BADGES[b]
                badges.append({"text": text, "bg": bg, "fg": fg})
        if nd.hidden:
            text, bg, fg, _ = BADGES["hidden"]
            badges.append({"text": text, "bg": bg, "fg": fg})
        if nd.id in hl_targets:
            badges.append({"text": str(hl_targets[nd.id]), "bg": "#f0e442", "fg": "#111111"})
        x, y = px(*pos[i])
        rec: dict[str, Any] = {
            "id": nd.id,
            "label": _html_name(nd),
            "sub": nd.sub,
            "org": nd.org,
            "x": x,
            "y": y,
            "r": round(float(radii[i]) * _PPI, 1),
            "vertices": verts,
            "rotation": rot,
            "color": colour if colour is not None else ("#d9d9d9" if nd.is_group else None),
            "unknown": colour is None and not nd.is_group,
            "dm": "decision_maker" in nd.roles,
            # customers filter by stance, as the CLI counts them; the other sides filter by side
            "stanceKey": "group"
            if nd.is_group
            else (nd.org if nd.org != "customer" else ("unknown" if colour is None else nd.stance)),
            "badges": badges,
            # the fused stance distribution as a ring, clockwise from the top (champion first)
            "ring": [
                {"stance": s, "share": round(float(nd.distribution.get(s, 0.0)), 4), "color": c}
                for s, c in STANCE_COLORS.items()
                if nd.distribution.get(s, 0.0) > 0.005
            ]
            if nd.distribution
            else [],
            "details": nd.details
            if not nd.distribution
            else dict(
                nd.details,
                fused=", ".join(
                    f"{s} {p:.0%}"
                    for s, p in sorted(nd.distribution.items(), key=lambda kv: -kv[1])
                    if p >= 0.01
                ),
            ),
            "members": list(nd.members),
        }
        pl = placed.get(nd.id)
        if pl is not None:
            name, sub, w, h = lab[i]
            if pl.short:
                sub, h = [], (_NAME_PT * 1.2 + 4) / _PPI
            top = pl.cy + h / 2
            rec["labelAt"] = px(pl.cx, top - (2 + _NAME_PT * 0.95) / _PPI)
            rec["labelName"] = name
            rec["labelSub"] = sub
            if pl.leader:
                p0 = pos[i]
                nx_ = min(max(p0[0], pl.cx - w / 2), pl.cx + w / 2)
                ny_ = min(max(p0[1], pl.cy - h / 2), pl.cy + h / 2)
                d = np.array([nx_ - p0[0], ny_ - p0[1]])
                L = float(np.hypot(*d))
                if L > radii[i]:
                    s0 = p0 + d / L * radii[i]
                    rec["leader"] = px(*s0) + px(nx_, ny_)
        out_nodes.append(rec)
    edges = []
    geometry = edge_geometry(scene, pos, radii) if n else []
    n_formal = sum(1 for e, _, _ in geometry if TIE_STYLES[e.kind]["formal"])
    fading = {True: tie_fading(n_formal), False: tie_fading(len(geometry) - n_formal)}
    for e, curve, w in geometry:
        alpha, thin = fading[TIE_STYLES[e.kind]["formal"]]
        pts = [px(*p_) for p_ in curve]
        path_d = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        edges.append(
            {
                "s": e.source,
                "t": e.target,
                "kind": e.kind,
                "strength": round(e.strength, 3),
                "count": e.count,
                "width": round(w * thin * _PPI / 72, 2),
                "opacity": round(alpha * e.probability, 2),
                "probability": round(e.probability, 3),
                "d": path_d,
            }
        )
    decorations: list[dict[str, Any]] = []
    if lay is not None:
        for heading, cx, ytop, cw in lay.columns:
            x, y = px(cx, ytop + 0.05)
            decorations.append({"type": "text", "x": x, "y": y, "text": heading.upper()})
            xs = cx + cw / 2 if cx < W / 2 else cx - cw / 2
            decorations.append(
                {
                    "type": "line",
                    "x1": round(xs * _PPI, 1),
                    "y1": 5,
                    "x2": round(xs * _PPI, 1),
                    "y2": round(H * _PPI - 5, 1),
                }
            )
        for name, members in lay.groups:
            p_ = pos[members]
            c = p_.mean(axis=0)
            r = float(np.max(np.hypot(*(p_ - c).T) + radii[members])) + 0.12
            x, y = px(*c)
            decorations.append({"type": "circle", "x": x, "y": y, "r": round(r * _PPI, 1)})
            tx, ty = px(c[0], min(c[1] + r + 0.05, H - 0.05))
            decorations.append({"type": "text", "x": tx, "y": ty, "text": f"{name} · {len(members)}"})
    styles = {
        k: {
            "color": st_["color"],
            "dash": list(st_["dash"]) if st_["dash"] else None,
            "label": st_["label"],
            "formal": st_["formal"],
            "directed": st_["directed"],
            "phrase": list(st_["phrase"]),
        }
        for k, st_ in ((k, TIE_STYLES[k]) for k in TIE_ORDER)
    }
    hl = scene.highlight
    sub = subtitle_parts(scene) + list(scene.notes)
    if scene.anonymised:
        sub.append("anonymised")
    return {
        "stakegraph": 1,
        "width": round(W * _PPI),
        "height": round(H * _PPI),
        "nodes": out_nodes,
        "edges": edges,
        "styles": styles,
        "stanceColors": dict(STANCE_COLORS),
        "decorations": decorations,
        "arrowOpacity": round(fading[False][0], 2) if n else 1.0,
        "arrowSize": round(7 * fading[False][1], 1) if n else 7,
        "highlight": {
            "people": list(hl.people),
            "paths": [list(p) for p in hl.paths],
            "targets": list(hl.targets),
            "caption": hl.caption,
        },
        "subtitle": " · ".join(sub),
        "notes": scene.notes,
        "anonymised": scene.anonymised,
        "people": scene.total_people,
        "engine": lay.engine if lay is not None else "none",
    }


# ----------------------------------------------------------------------------- page
def _static(name: str) -> str:
    return files("stakegraph.viz").joinpath("static").joinpath(name).read_text(encoding="utf-8")


def _controls(data: dict[str, Any]) -> str:
    kinds = sorted({e["kind"] for e in data["edges"]}, key=TIE_ORDER.index)
    counts: dict[str, int] = {}
    for nd in data["nodes"]:
        counts[nd["stanceKey"]] = counts.get(nd["stanceKey"], 0) + 1
    parts = [
        '<h2>Search</h2><input type="search" id="sg-search" placeholder="name or title" '
        'aria-label="Search people">'
    ]
    parts.append("<h2>Layers</h2>")
    for layer, label in (("formal", "formal chart"), ("informal", "informal ties")):
        parts.append(f'<label><input type="checkbox" data-layer="{layer}" checked> <b>{label}</b></label>')
    for k in kinds:
        st = TIE_STYLES[k]
        style = "solid" if st["dash"] is None else "dashed"
        parts.append(
            f'<label><input type="checkbox" data-kind="{k}" checked> '
            f'<span class="sg-line" style="border-top-style:{style};border-color:{st["color"]}"></span>'
            f"{html.escape(st['label'])}</label>"
        )
    parts.append("<h2>Stance</h2>")
    sides = {"us": "our team", "partner": "partners", "competitor": "competitors", "group": "groups"}
    order = ("champion", "ally", "supporter", "neutral", "skeptic", "hostile", "unknown")
    headed = False
    for s in order + ("us", "partner", "competitor", "group"):
        if s not in counts:
            continue
        if s == "unknown":
            sw = '<span class="sg-swatch unknown"></span>'
        elif s in sides:
            sw = '<span class="sg-swatch" style="background:#d9d9d9"></span>'
        else:
            sw = f'<span class="sg-swatch" style="background:{STANCE_COLORS[s]}"></span>'
        if s in ("us", "partner", "competitor") and not headed:
            parts.append("<h2>Other sides</h2>")
            headed = True
        name = sides.get(s, s)
        parts.append(
            f'<label><input type="checkbox" data-stance="{s}" checked> {sw} {name} '
            f'<span style="color:#888">({counts[s]})</span></label>'
        )
    hl = data["highlight"]
    if hl["people"] or hl["paths"] or hl["targets"]:
        parts.append("<h2>Highlight</h2>")
        parts.append(
            f'<label><input type="checkbox" id="sg-show-highlight" checked> '
            f"{html.escape(hl['caption'] or 'highlighted')}</label>"
        )
    parts.append(
        '<h2>Zoom</h2><div class="sg-buttons"><button type="button" id="sg-zoom-in" title="Zoom in">+'
        '</button><button type="button" id="sg-zoom-out" title="Zoom out">−</button>'
        '<button type="button" id="sg-zoom-reset" title="Reset">reset</button></div>'
    )
    parts.append(
        '<p class="sg-note">Wheel to zoom, drag to move. Size = power; shape: ● customer, ■ our team, '
        "◆ partner, ⬢ competitor. DM decision-maker, C coach, G gatekeeper.</p>"
    )
    return "".join(parts)


_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(data: Any) -> str:
    r"""JSON to embed in a ``<script>`` element: still valid JSON, and no text in it can end the element.

    ``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are written as
    ``\u`` escapes, so a name such as ``</script>`` or ``<!--`` stays a string.

    Examples
    --------
    >>> print(script_json({"name": "</script><!--"}))
    {"name":"\u003c/script\u003e\u003c!--"}
    >>> json.loads(script_json({"name": "</script><!--"}))["name"]
    '</script><!--'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def _page(data: dict[str, Any]) -> str:
    from .._version import __version__

    blob = script_json(data)
    title = html.escape(data["title"])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="stakegraph {html.escape(__version__)}">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n<style>\n{_static('map.css')}\n</style>\n</head>\n<body>\n"
        f"<header><h1>{title}</h1><p>{html.escape(data['subtitle'])}</p></header>\n"
        f'<aside id="sg-controls">{_controls(data)}</aside>\n'
        '<main><svg id="sg-map" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{title}"><g id="sg-viewport"></g></svg><div id="sg-tooltip"></div></main>\n'
        '<aside id="sg-details"><h2>Details</h2><div id="sg-details-body"></div></aside>\n'
        f'<script type="application/json" id="stakegraph-data">{blob}</script>\n'
        f"<script>\n{_static('map.js')}\n</script>\n</body>\n</html>\n"
    )
