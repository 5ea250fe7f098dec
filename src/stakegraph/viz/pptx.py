"""Slides for the account review: the map, the key people and the findings (python-pptx).

Three 16:9 slides with real titles and tables, so every word can be edited in
PowerPoint, Keynote or LibreOffice: "Influence map" (the map as a picture),
"Key people" (a table) and "Findings" (a table of the deal-health findings
with what to do). Needs the optional extra: ``pip install 'stakegraph[pptx]'``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

from ..errors import ValidationError
from ..io._common import write_bytes
from ..method.words import deal_facts
from ..model import check_graph
from ._style import STANCE_COLORS, text_color_on
from .report import gather, score_text

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["export_pptx", "SLIDE_TITLES"]

PathLike = Union[str, "os.PathLike[str]"]
#: The titles of the three slides, in order.
SLIDE_TITLES = ("Influence map", "Key people", "Findings")
_W, _H = 40 / 3, 7.5


def _require_pptx() -> Any:
    try:
        import pptx
    except ImportError as e:  # pragma: no cover - exercised where python-pptx is missing
        raise ImportError("export_pptx needs python-pptx: pip install 'stakegraph[pptx]'") from e
    return pptx


def export_pptx(
    g: "StakeholderGraph",
    path: PathLike,
    *,
    anonymise: bool = False,
    salt: str = "",
    rank: Any = None,
    paths: Any = None,
    diagnosis: Any = None,
    layout: Literal["hierarchy", "spring", "coalitions"] = "hierarchy",
    engine: Literal["auto", "dot", "python"] = "auto",
    key_people: int = 12,
    findings: int = 8,
) -> Path:
    """Write a three-slide PowerPoint deck: influence map, key people, findings.

    Parameters
    ----------
    g : StakeholderGraph
    path : str or path-like
        Where to write (``.pptx``); missing folders are created.
    anonymise : bool, default False
        Pseudonymise names and drop titles, notes, needs and interests
        (:mod:`stakegraph.privacy`).
    salt : str, default ""
        Salt of the pseudonyms.
    rank, paths, diagnosis : analysis results, optional
        Results of :func:`stakegraph.rank`, :func:`stakegraph.paths` and
        :func:`stakegraph.diagnose`; computed when not given (the best paths
        are highlighted on the map). A slide whose analysis is not available
        says so.
    layout, engine
        As in :func:`stakegraph.influence_map`.
    key_people : int, default 12
        Rows of the key-people table.
    findings : int, default 8
        Rows of the findings table (the most severe first).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ImportError
        When python-pptx is not installed (``pip install 'stakegraph[pptx]'``).

    Examples
    --------
    >>> import tempfile, pathlib, stakegraph as sg
    >>> from pptx import Presentation
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = sg.export_pptx(sg.datasets.load("bank"), pathlib.Path(d) / "deck.pptx")
    ...     [s.shapes.title.text for s in Presentation(p).slides]
    ['Influence map', 'Key people', 'Findings']
    """
    _require_pptx()
    from pptx import Presentation
    from pptx.util import Inches

    from .influence_map import influence_map

    check_graph(g, "export_pptx")
    for name, v in (("key_people", key_people), ("findings", findings)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValidationError(
                f"The {name!r} parameter of export_pptx must be an int >= 1. Got {v!r} instead."
            )
    if not isinstance(anonymise, bool):
        raise ValidationError(
            f"The 'anonymise' parameter of export_pptx must be a bool. Got {anonymise!r} instead."
        )
    work, _, results, notes = gather(
        g,
        anonymise=anonymise,
        salt=salt,
        previous=None,
        given={"rank": rank, "paths": paths, "diagnose": diagnosis},
        names=("rank", "paths", "diagnose"),
    )
    prs = Presentation()
    prs.slide_width = Inches(_W)
    prs.slide_height = Inches(_H)
    layout_title_only = prs.slide_layouts[5]
    d = work.deal
    context = " · ".join(deal_facts(d) + (["anonymised"] if anonymise else []))

    # ---- 1: the map
    s1 = _slide(prs, layout_title_only, SLIDE_TITLES[0], context)
    paths_d = results.get("paths")
    highlight = paths_d if paths_d and (paths_d.get("paths") or paths_d.get("targets")) else None
    fig = influence_map(
        work,
        highlight=highlight,
        rank=results.get("rank"),
        layout=layout,
        engine=engine,
        title="",
        figsize=(_W, _H - 1.45),
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, facecolor="white")
    buf.seek(0)
    s1.shapes.add_picture(buf, Inches(0), Inches(1.2), width=Inches(_W))
    if highlight is not None:
        _note(s1, "Yellow: the best introduction paths to the decision-maker.", top=_H - 0.45)

    # ---- 2: key people
    s2 = _slide(prs, layout_title_only, SLIDE_TITLES[1], context)
    rows = _key_rows(work, results.get("rank"), key_people)
    header = ["#", "Name", "Title", "Department", "Roles", "Stance", "Power", "Owner"]
    table = _table(s2, len(rows) + 1, header, widths=[0.45, 2.3, 3.0, 1.7, 1.9, 1.2, 0.8, 1.55])
    for r, row in enumerate(rows, start=1):
        for c_, value in enumerate(row):
            _cell(table.cell(r, c_), value, size=11)
        stance = row[5]
        if stance in STANCE_COLORS:
            _fill(table.cell(r, 5), STANCE_COLORS[stance])
    src = (
        "Ranked by power (stakegraph.rank)."
        if results.get("rank")
        else "Ordered by power from roles and level" + (f" ({notes['rank']})." if "rank" in notes else ".")
    )
    _note(s2, src, top=_H - 0.5)

    # ---- 3: findings
    s3 = _slide(prs, layout_title_only, SLIDE_TITLES[2], context)
    diag = results.get("diagnose")
    if diag is None:
        _note(
            s3,
            f"No deal-health findings: {notes.get('diagnose', 'the diagnosis is not available')}.",
            top=1.5,
            size=16,
        )
    else:
        items = [f for f in diag.get("findings", []) if isinstance(f, Mapping)][:findings]
        if isinstance(diag.get("score"), (int, float)):
            _note(
                s3,
                f"Deal health: {score_text(diag['score'])} · {len(diag.get('findings', []))} findings",
                top=1.15,
                size=14,
                bold=True,
            )
        if items:
            table = _table(
                s3, len(items) + 1, ["Severity", "Finding", "What to do"], widths=[1.3, 5.6, 5.9], top=1.6
            )
            for r, f in enumerate(items, start=1):
                _cell(table.cell(r, 0), str(f.get("severity", "")), size=11, bold=True)
                _cell(table.cell(r, 1), _short(str(f.get("message", "")), 260), size=10)
                _cell(table.cell(r, 2), _short(str(f.get("action", "")), 260), size=10)
        else:
            _note(s3, "No findings.", top=1.6, size=16)
    p = Path(os.fspath(path))
    p.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    prs.save(buf)
    write_bytes(buf.getvalue(), p)  # a failed write leaves the previous deck as it was
    return p


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _slide(prs: Any, layout: Any, title: str, context: str) -> Any:
    from pptx.util import Inches, Pt

    s = prs.slides.add_slide(layout)
    t = s.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.45), Inches(0.2), Inches(_W - 0.9), Inches(0.75)
    t.text = title
    para = t.text_frame.paragraphs[0]
    para.font.size = Pt(30)
    para.font.bold = True
    from pptx.enum.text import PP_ALIGN

    para.alignment = PP_ALIGN.LEFT
    if context:
        _note(s, context, top=0.85, size=13)
    return s


def _note(slide: Any, text: str, *, top: float, size: int = 11, bold: bool = False) -> Any:
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(0.45), Inches(top), Inches(_W - 0.9), Inches(0.4))
    tf = box.text_frame
    tf.word_wrap = True
    tf.text = text
    run = tf.paragraphs[0].runs[0]
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb("#1A1A1A" if bold else "#555555")
    return box


def _table(slide: Any, nrows: int, header: list[str], *, widths: list[float], top: float = 1.3) -> Any:
    from pptx.util import Inches

    total = sum(widths)
    left = (_W - total) / 2
    height = min(_H - top - 0.6, 0.38 * nrows)
    shape = slide.shapes.add_table(
        nrows, len(header), Inches(left), Inches(top), Inches(total), Inches(height)
    )
    table = shape.table
    for c_, (h, w) in enumerate(zip(header, widths)):
        table.columns[c_].width = Inches(w)
        _cell(table.cell(0, c_), h, size=12, bold=True)
    return table


def _cell(cell: Any, value: Any, *, size: int, bold: bool = False) -> None:
    from pptx.util import Pt

    cell.text = "" if value is None else str(value)
    for para in cell.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = bold


def _rgb(colour: str) -> Any:
    """A python-pptx colour from ``#rrggbb``."""
    from pptx.dml.color import RGBColor

    make: Any = RGBColor.from_string  # python-pptx has no type hints
    return make(colour.lstrip("#").upper())


def _fill(cell: Any, colour: str) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(colour)
    fg = text_color_on(colour)
    for para in cell.text_frame.paragraphs:
        for run in para.runs:
            run.font.color.rgb = _rgb(fg)


def _key_rows(g: "StakeholderGraph", rank: Mapping[str, Any] | None, k: int) -> list[list[Any]]:
    people: list[tuple[str, float]] = []
    if rank and isinstance(rank.get("people"), list):
        rs = [r for r in rank["people"] if isinstance(r, Mapping) and str(r.get("id")) in g]
        rs.sort(
            key=lambda r: (
                r.get("rank") if isinstance(r.get("rank"), (int, float)) else 1e9,
                -(r.get("power") or 0),
            )
        )
        people = [(str(r["id"]), float(r.get("power") or 0.0)) for r in rs]
    else:
        c = g.compiled()
        order = sorted((i for i in range(c.n) if c.customer[i]), key=lambda i: (-c.power[i], c.ids[i]))
        people = [(c.ids[i], float(c.power[i])) for i in order]
    rows = []
    for n, (pid, power) in enumerate(people[:k], start=1):
        p = g.person(pid)
        owner = g.person(p.owner).name if p.owner and p.owner in g else p.owner
        rows.append(
            [
                n,
                p.name or p.id,
                p.title,
                p.department,
                ", ".join(r.value.replace("_", " ") for r in p.roles),
                p.stance.value,
                f"{power:.2f}",
                owner,
            ]
        )
    return rows
