"""The visual vocabulary shared by every view: colours, shapes, line styles, fonts.

Stance colours run on a colour-blind-safe diverging scale from brown/orange
(against us) through a warm light grey (neutral) to blue (for us); ``unknown``
is white with a grey hatch and a dashed outline, so it never reads as neutral.
Tie kinds differ by dash pattern as well as colour, so the map also reads in
grey print.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ..method.vocabulary import TieKind

__all__ = [
    "STANCE_COLORS",
    "UNKNOWN_FILL",
    "UNKNOWN_EDGE",
    "TIE_STYLES",
    "SIDE_SHAPES",
    "SIDE_LABELS",
    "BADGES",
    "HIGHLIGHT",
    "NODE_EDGE",
    "GROUP_FILL",
    "TIE_ORDER",
    "support_color",
    "font_family",
    "renderable",
    "text_color_on",
]

STANCE_COLORS: dict[str, str] = {
    "champion": "#1b4f8c",
    "ally": "#4393c3",
    "supporter": "#a6cfe6",
    "neutral": "#e9e4d8",
    "skeptic": "#f4a55a",
    "hostile": "#8c3b0b",
}
UNKNOWN_FILL = "#ffffff"
UNKNOWN_EDGE = "#6b6b6b"
NODE_EDGE = "#2b2b2b"
GROUP_FILL = "#d9d9d9"

# anchors of the continuous scale (support value -> colour)
_ANCHORS = [
    (-1.0, "hostile"),
    (-0.5, "skeptic"),
    (0.0, "neutral"),
    (0.5, "supporter"),
    (0.75, "ally"),
    (1.0, "champion"),
]

# Line styles: colour, dash pattern in points (None = solid), whether the tie has a direction.
TIE_STYLES: dict[str, dict[str, Any]] = {
    "reports_to": {
        "color": "#4d4d4d",
        "dash": None,
        "directed": False,
        "formal": True,
        "label": "reports to",
        "phrase": ("reports to", "manages"),
    },
    "dotted_line": {
        "color": "#8c8c8c",
        "dash": (1.2, 1.8),
        "directed": False,
        "formal": True,
        "label": "dotted line",
        "phrase": ("dotted line to", "dotted line from"),
    },
    "advises": {
        "color": "#009e73",
        "dash": (5.0, 2.5),
        "directed": True,
        "formal": False,
        "label": "advises",
        "phrase": ("advises", "is advised by"),
    },
    "influences": {
        "color": "#b8509a",
        "dash": (5.0, 2.5),
        "directed": True,
        "formal": False,
        "label": "influences",
        "phrase": ("influences", "is influenced by"),
    },
    "friend": {
        "color": "#0072b2",
        "dash": (2.5, 2.0),
        "directed": False,
        "formal": False,
        "label": "friend",
        "phrase": ("friend of", "friend of"),
    },
    "knows": {
        "color": "#bdbdbd",
        "dash": (1.0, 2.0),
        "directed": False,
        "formal": False,
        "label": "knows",
        "phrase": ("knows", "knows"),
    },
    "rival": {
        "color": "#d7191c",
        "dash": (6.0, 2.0, 1.2, 2.0),
        "directed": False,
        "formal": False,
        "label": "rival",
        "phrase": ("rival of", "rival of"),
    },
}
TIE_ORDER = [k.value for k in TieKind]

# Marker shapes by side: number of polygon vertices (0 = circle) and rotation.
SIDE_SHAPES: dict[str, tuple[int, float]] = {
    "customer": (0, 0.0),
    "us": (4, math.pi / 4),
    "partner": (4, 0.0),
    "competitor": (6, 0.0),
    "group": (8, math.pi / 8),
}
SIDE_LABELS = {
    "customer": "customer",
    "us": "our team",
    "partner": "partner",
    "competitor": "competitor",
    "group": "department group",
}

# Role badges: text, background, foreground, legend text.
BADGES: dict[str, tuple[str, str, str, str]] = {
    "decision_maker": ("DM", "#111111", "#ffffff", "decision-maker"),
    "coach": ("C", "#009e73", "#ffffff", "coach"),
    "gatekeeper": ("G", "#882255", "#ffffff", "gatekeeper"),
    "hidden": ("H", "#332288", "#ffffff", "hidden influencer"),
}

HIGHLIGHT = {"halo": "#f0e442", "ring": "#111111", "path": "#f0c800"}

_FALLBACK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans",
    "Arial Unicode MS",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
)


def _hex_to_rgb(h: str) -> tuple[float, float, float]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


def _rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{int(round(max(0.0, min(1.0, c)) * 255)):02x}" for c in rgb)


def support_color(value: float | None) -> str | None:
    """Colour of a support value in [-1, 1] on the stance scale; None when unknown (nan).

    Examples
    --------
    >>> support_color(1.0), support_color(-1.0), support_color(float("nan"))
    ('#1b4f8c', '#8c3b0b', None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    x = max(-1.0, min(1.0, float(value)))
    for (x0, s0), (x1, s1) in zip(_ANCHORS, _ANCHORS[1:]):
        if x <= x1:
            t = 0.0 if x1 == x0 else (x - x0) / (x1 - x0)
            a, b = _hex_to_rgb(STANCE_COLORS[s0]), _hex_to_rgb(STANCE_COLORS[s1])
            return _rgb_to_hex(tuple(ai + t * (bi - ai) for ai, bi in zip(a, b)))  # type: ignore[arg-type]
    return STANCE_COLORS["champion"]  # pragma: no cover


def text_color_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    r, g, b = _hex_to_rgb(fill)
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


@lru_cache(maxsize=1)
def _fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    """The font family list (DejaVu Sans first, installed fallbacks after) and the code points it covers."""
    from matplotlib import font_manager as fm
    from matplotlib import ft2font

    names = ["DejaVu Sans"]
    installed = {f.name: f.fname for f in fm.fontManager.ttflist}
    names += [n for n in _FALLBACK_FONTS if n in installed]
    covered: set[int] = set()
    for n in names:
        try:
            path = fm.findfont(fm.FontProperties(family=n), fallback_to_default=False)
            covered |= set(ft2font.FT2Font(path).get_charmap())
        except Exception:  # a font that cannot be read adds nothing
            continue
    return tuple(names), frozenset(covered)


def font_family() -> list[str]:
    """Font families for map text: DejaVu Sans with any installed fallback for other scripts."""
    return list(_fonts()[0])


def renderable(text: str) -> bool:
    """True if every character of ``text`` has a glyph in the map fonts."""
    covered = _fonts()[1]
    return all(ord(ch) in covered or ch.isspace() for ch in text)
