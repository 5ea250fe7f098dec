"""The Figure every stakegraph view returns: a matplotlib Figure that shows itself in notebooks.

Views build figures without :mod:`matplotlib.pyplot`, so that no backend and
no global state is touched. IPython registers its inline PNG formatter only
when pyplot loads, so a plain :class:`matplotlib.figure.Figure` would display
as ``<Figure size 1333.33x750 with 1 Axes>`` in a fresh kernel. This subclass
adds ``_repr_png_``, one rich output: with ``%matplotlib inline`` active
IPython's own formatter (registered for every Figure) takes precedence, so the
figure is shown once either way.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure as _MplFigure

__all__ = ["Figure", "new_figure"]


class Figure(_MplFigure):
    """A :class:`matplotlib.figure.Figure` that renders as PNG in Jupyter without ``%matplotlib inline``.

    It is a Figure in every other respect: save it with ``savefig`` or
    :func:`stakegraph.save_figure`, add axes, pass its axes to other views.

    Examples
    --------
    >>> fig = new_figure((4, 3))
    >>> ax = fig.add_subplot()
    >>> fig._repr_png_()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """

    def _repr_png_(self) -> bytes:
        """The figure as PNG bytes at its own dpi, cropped to what is drawn (as IPython's inline backend)."""
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi, bbox_inches="tight", facecolor=self.get_facecolor())
        return buf.getvalue()


def new_figure(figsize: tuple[float, float], **kwargs: Any) -> Figure:
    """A new :class:`Figure` of ``figsize`` inches, white, on a non-interactive canvas.

    Parameters
    ----------
    figsize : (float, float)
        Width and height in inches.
    **kwargs
        Passed to :class:`matplotlib.figure.Figure` (``dpi``, ``facecolor``, ...).

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = new_figure((6, 2))
    >>> [round(float(v), 1) for v in fig.get_size_inches()], type(fig).__name__
    ([6.0, 2.0], 'Figure')
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    kwargs.setdefault("facecolor", "white")
    fig = Figure(figsize=figsize, **kwargs)
    FigureCanvasAgg(fig)
    return fig
