"""Save any figure for slides and documents: PNG (300 dpi), SVG or PDF, chosen by the file suffix."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ..errors import ValidationError
from ..io._common import write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["save_figure", "FORMATS"]

FORMATS = ("png", "svg", "pdf")
PathLike = Union[str, "os.PathLike[str]"]


def save_figure(fig: "Figure", path: PathLike, *, dpi: int = 300, transparent: bool = False) -> Path:
    """Write a figure as PNG, SVG or PDF, by the suffix of ``path``.

    PNG is written at ``dpi`` (300 by default, for print and slides). In SVG
    and PDF the text stays text (editable, searchable, selectable) and the
    output is reproducible: no creation date, stable element ids.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Any figure, e.g. from :func:`stakegraph.influence_map` or
        :func:`stakegraph.support_grid`.
    path : str or path-like
        Ends in ``.png``, ``.svg`` or ``.pdf``. Missing folders are created.
    dpi : int, default 300
        Resolution of a PNG (SVG and PDF are vector formats).
    transparent : bool, default False
        Transparent background instead of white.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValidationError
        For another suffix or a bad ``dpi``.

    Examples
    --------
    >>> import tempfile, pathlib, stakegraph as sg
    >>> fig = sg.support_grid(sg.datasets.load("bank"))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = sg.save_figure(fig, pathlib.Path(d) / "grid.pdf")
    ...     p.read_bytes()[:5]
    b'%PDF-'
    """
    import matplotlib
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise ValidationError(
            f"The 'fig' parameter of save_figure must be a matplotlib Figure. "
            f"Got {type(fig).__name__} instead."
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 30 <= dpi <= 2400:
        raise ValidationError(
            f"The 'dpi' parameter of save_figure must be an int in [30, 2400]. Got {dpi!r} instead."
        )
    p = Path(os.fspath(path))
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(
            f"The 'path' parameter of save_figure must end in .png, .svg or .pdf. Got {str(p)!r} instead."
        )
    p.parent.mkdir(parents=True, exist_ok=True)
    rc: dict[str, Any] = {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "stakegraph"}
    metadata: dict[str, Any] | None = None
    if fmt == "svg":
        metadata = {"Date": None}
    elif fmt == "pdf":
        metadata = {"CreationDate": None, "ModDate": None}
    background = to_rgba(fig.get_facecolor())
    face: Any = "none" if transparent else (background if background[3] > 0 else "white")
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]  # rc_context types its keys as literals
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor=face, transparent=transparent, metadata=metadata)
    write_bytes(buf.getvalue(), p)  # a failed write leaves the previous picture as it was
    return p
