"""The account report: the map, key people, paths, targets and findings on one HTML page.

One self-contained file (no network, no script needed to read it), printable,
for the account review. Each analysis runs when it is available; a section
whose analysis is missing or cannot run says so and the rest of the report is
written anyway.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ..analysis.diagnose import diagnose
from ..analysis.paths import paths
from ..analysis.propagate import propagate
from ..analysis.rank import rank
from ..analysis.structure import structure
from ..analysis.targets import targets
from ..errors import StakegraphError, ValidationError
from ..io._common import write_bytes
from ..method import words
from ..model import check_graph
from ._scene import result_dict
from ._style import STANCE_COLORS, UNKNOWN_EDGE
from .layout import Engine, LayoutKind

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["write_report", "report_html", "run_analysis", "svg_inline", "gather", "score_text"]

PathLike = Union[str, "os.PathLike[str]"]

_ANALYSES: dict[str, Callable[..., Any]] = {
    "rank": rank,
    "structure": structure,
    "propagate": propagate,
    "paths": paths,
    "targets": targets,
    "diagnose": diagnose,
}
"""The analyses a report can run, by name."""
_FONT_STACK = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', Arial, sans-serif"


def run_analysis(name: str, g: "StakeholderGraph", **kwargs: Any) -> tuple[Any, str | None]:
    """Run the analysis ``name`` (``rank``, ``paths``, ``targets``, ``diagnose``, ...) on ``g``.

    Returns (result, None), or (None, a note saying why) when the analysis
    refuses this graph with a :class:`~stakegraph.StakegraphError`. Any other
    error is a bug and propagates.
    """
    func = _ANALYSES.get(name)
    if func is None:
        raise ValidationError(f"{name!r} is not an analysis of the report. Allowed: {', '.join(_ANALYSES)}.")
    try:
        return func(g, **kwargs), None
    except StakegraphError as e:
        return None, f"{name} could not run on this graph: {e}"


def svg_inline(fig: Any, *, salt: str = "stakegraph") -> str:
    """A matplotlib figure as an inline ``<svg>`` element: text kept as text, scales to its container."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor="white")
    s = buf.getvalue()
    s = s[s.index("<svg") :]
    s = re.sub(r"<metadata>.*?</metadata>", "", s, count=1, flags=re.S)
    s = re.sub(
        r'\swidth="[\d.]+pt" height="[\d.]+pt"',
        ' width="100%" style="height:auto;max-width:100%"',
        s,
        count=1,
    )
    return s.replace("font-family: 'DejaVu Sans'", f"font-family: {_FONT_STACK}")


def write_report(
    g: "StakeholderGraph",
    path: PathLike,
    *,
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    rank: Any = None,
    paths: Any = None,
    targets: Any = None,
    diagnosis: Any = None,
    previous: "StakeholderGraph | None" = None,
    layout: LayoutKind = "hierarchy",
    engine: Engine = "auto",
    key_people: int = 12,
) -> Path:
    """Write the account report as one HTML page.

    Sections: a summary, the influence map (best introduction paths
    highlighted), key people, introduction paths to the decision-maker, whom
    to win next, deal-health findings, the intelligence (when the graph holds
    informants' reports: how far the others bear out each informant, and the
    three questions worth asking), the power/support grid (with moves since
    ``previous``) and every person in a table.

    Parameters
    ----------
    g : StakeholderGraph
    path : str or path-like
        Where to write (``.html``); missing folders are created.
    anonymise : bool, default False
        Pseudonymise everything in the report (:mod:`stakegraph.privacy`):
        analyses then run on the anonymised graph, and results passed in are
        mapped to the pseudonyms, their texts scrubbed of names and titles.
    salt : str, default ""
        Salt of the pseudonyms.
    title : str, optional
        Default: the deal's name and "account report".
    rank, paths, targets, diagnosis : analysis results, optional
        Results of :func:`stakegraph.rank`, :func:`stakegraph.paths`,
        :func:`stakegraph.targets` and :func:`stakegraph.diagnose` already at
        hand; the ones not given are computed (when available).
    previous : StakeholderGraph, optional
        An earlier snapshot: the grid shows how people moved.
    layout, engine
        As in :func:`stakegraph.influence_map`.
    key_people : int, default 12
        Rows of the key-people table.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib, stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = sg.write_report(g, pathlib.Path(d) / "report.html", anonymise=True)
    ...     text = p.read_text(encoding="utf-8")
    >>> "Key people" in text, "Daniel Okafor" in text
    (True, False)
    """
    text = report_html(
        g,
        anonymise=anonymise,
        salt=salt,
        title=title,
        rank=rank,
        paths=paths,
        targets=targets,
        diagnosis=diagnosis,
        previous=previous,
        layout=layout,
        engine=engine,
        key_people=key_people,
    )
    p = Path(os.fspath(path))
    p.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(text.encode("utf-8"), p)  # a failed write leaves the previous report as it was
    return p


# ----------------------------------------------------------------------------- building
def _scrubbed(obj: Any, orig: "StakeholderGraph", ids: Mapping[str, str], anon: "StakeholderGraph") -> Any:
    """Map ids to pseudonyms and scrub names from every string of a result dict."""
    from ..privacy import scrub_text

    if isinstance(obj, dict):
        return {k: _scrubbed(v, orig, ids, anon) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_scrubbed(v, orig, ids, anon) for v in obj]
    if isinstance(obj, str):
        if obj in ids:
            return ids[obj]
        return scrub_text(obj, orig, ids, anonymous=anon)
    return obj


def gather(
    g: "StakeholderGraph",
    *,
    anonymise: bool,
    salt: str,
    previous: "StakeholderGraph | None",
    given: dict[str, Any],
    names: tuple[str, ...] = ("rank", "paths", "targets", "diagnose"),
) -> tuple["StakeholderGraph", "StakeholderGraph | None", dict[str, Any], dict[str, str]]:
    """The graph to show (anonymised when asked), the previous snapshot likewise, and the analysis results.

    Results in ``given`` are used as they are (mapped to the pseudonyms and
    scrubbed of names when anonymising); the others are computed on the graph
    shown. ``notes`` says why an analysis has no result.
    """
    work = g
    prev = previous
    if anonymise:
        from ..privacy import anonymise_with_map

        work, ids = anonymise_with_map(g, salt=salt)
        prev = anonymise_with_map(previous, salt=salt)[0] if previous is not None else None
        given = {
            k: (_scrubbed(result_dict(v), g, ids, work) if v is not None else None) for k, v in given.items()
        }
    else:
        given = {k: (result_dict(v) if v is not None else None) for k, v in given.items()}
    results: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for name in names:
        if given.get(name) is not None:
            results[name] = given[name]
            continue
        res, note = run_analysis(name, work)
        results[name] = result_dict(res) if res is not None else None
        if note:
            notes[name] = note
    return work, prev, results, notes


def report_html(
    g: "StakeholderGraph",
    *,
    anonymise: bool = False,
    salt: str = "",
    title: str | None = None,
    rank: Any = None,
    paths: Any = None,
    targets: Any = None,
    diagnosis: Any = None,
    previous: "StakeholderGraph | None" = None,
    layout: LayoutKind = "hierarchy",
    engine: Engine = "auto",
    key_people: int = 12,
) -> str:
    """The report page as a string (see :func:`write_report`)."""
    from .._version import __version__
    from .grid import support_grid
    from .influence_map import influence_map

    check_graph(g, "write_report")
    if not isinstance(anonymise, bool):
        raise ValidationError(
            f"The 'anonymise' parameter of write_report must be a bool. Got {anonymise!r} instead."
        )
    if isinstance(key_people, bool) or not isinstance(key_people, int) or key_people < 1:
        raise ValidationError(
            f"The 'key_people' parameter of write_report must be an int >= 1. Got {key_people!r} instead."
        )
    work, prev, results, notes = gather(
        g,
        anonymise=anonymise,
        salt=salt,
        previous=previous,
        given={"rank": rank, "paths": paths, "targets": targets, "diagnose": diagnosis},
    )
    d = work.deal
    t = title if title is not None else f"{d.name or 'Stakeholders'}: account report"
    path_result = results["paths"]
    highlight = path_result if path_result and _path_list(path_result) else None
    fig = influence_map(
        work,
        highlight=highlight,
        rank=results["rank"],
        layout=layout,
        engine=engine,
        title=f"{d.name or 'Stakeholders'}: influence map",
    )
    map_svg = svg_inline(fig, salt="stakegraph-map")
    grid = support_grid(work, previous=prev, rank=results["rank"])
    grid_svg = svg_inline(grid, salt="stakegraph-grid")

    sections = [
        _summary(work, results),
        f'<section id="map"><h2>Influence map</h2><figure>{map_svg}<figcaption>Colour = stance, size = power, '
        "shape = side; formal ties solid, informal dashed by kind, rivalry red."
        + (" Yellow: the best introduction paths to the decision-maker." if highlight else "")
        + "</figcaption></figure></section>",
        _key_people(work, results["rank"], notes.get("rank"), key_people),
        _paths(work, path_result, notes.get("paths")),
        _targets(work, results["targets"], notes.get("targets")),
        _findings(work, results["diagnose"], notes.get("diagnose")),
        _intelligence(work),
        f'<section id="grid"><h2>Power and support</h2><figure>{grid_svg}</figure></section>',
        _people(work, results["rank"]),
    ]
    meta = [html.escape(x) for x in _meta(work)]
    badge = ' <span class="badge">anonymised</span>' if anonymise else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="stakegraph {html.escape(__version__)}">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(t)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(t)}{badge}</h1><p>{' · '.join(meta)}</p></header>\n<main>\n"
        + "\n".join(sections)
        + f"\n</main>\n<footer>Written by stakegraph {html.escape(__version__)} on {_dt.date.today().isoformat()}."
        + (" Names, titles, notes, needs and interests are pseudonymised or left out." if anonymise else "")
        + "</footer>\n</body>\n</html>\n"
    )


def _meta(g: "StakeholderGraph") -> list[str]:
    return words.deal_facts(g.deal, name=False)


def _person_name(g: "StakeholderGraph", pid: Any) -> str:
    key = str(pid)
    if key in g:
        p = g.person(key)
        return p.name or p.id
    return key


def _person_html(g: "StakeholderGraph", pid: Any) -> str:
    pid = str(pid)
    if pid in g:
        p = g.person(pid)
        extra = f'<span class="muted"> · {html.escape(p.title)}</span>' if p.title else ""
        return f"{html.escape(p.name or p.id)}{extra}"
    return html.escape(pid)


def _note(text: str | None) -> str:
    return f'<p class="note">{html.escape(text)}</p>' if text else ""


def score_text(score: float) -> str:
    """A health score as text: ``"40 / 100"`` (scores above 1) or ``"0.40"``."""
    return f"{score:.0f} / 100" if score > 1 else f"{score:.2f}"


def _stance_chip(stance: str) -> str:
    colour = STANCE_COLORS.get(stance)
    if colour is None:
        style = f"background:repeating-linear-gradient(45deg,#fff 0 2px,{UNKNOWN_EDGE} 2px 3px)"
    else:
        style = f"background:{colour}"
    return f'<span class="chip" style="{style}"></span>{html.escape(stance)}'


def _summary(g: "StakeholderGraph", results: dict[str, Any]) -> str:
    counts: dict[str, int] = {}
    for p in g.people.values():
        if p.org.value == "customer":
            counts[p.stance.value] = counts.get(p.stance.value, 0) + 1
    n_c = sum(counts.values())
    bar = []
    for s in ("champion", "ally", "supporter", "neutral", "skeptic", "hostile", "unknown"):
        k = counts.get(s, 0)
        if k:
            colour = STANCE_COLORS.get(s, "#ffffff")
            extra = (
                f";background:repeating-linear-gradient(45deg,#fff 0 3px,{UNKNOWN_EDGE} 3px 4px)"
                if s == "unknown"
                else ""
            )
            bar.append(f'<span title="{s}: {k}" style="flex:{k};background:{colour}{extra}"></span>')
    legend = " ".join(
        f"{_stance_chip(s)} {counts[s]}"
        for s in ("champion", "ally", "supporter", "neutral", "skeptic", "hostile", "unknown")
        if counts.get(s)
    )
    cards = [("people", f"{n_c} customer · {len(g) - n_c} others")]
    covered = sum(1 for p in g.people.values() if p.org.value == "customer" and p.owner)
    cards.append(("covered by our team", f"{covered} of {n_c}"))
    dms = g.decision_makers()
    if dms:
        cards.append(("decision-maker", ", ".join(_person_name(g, x) for x in dms)))
    diag = results.get("diagnose")
    if diag and isinstance(diag.get("score"), (int, float)):
        cards.append(("deal health", score_text(diag["score"])))
    best = _path_list(results.get("paths") or {})
    if best:
        prob = best[0].get("probability")
        if isinstance(prob, (int, float)):
            cards.append(("best path to the decision-maker", f"p = {prob:.2f}"))
    return (
        '<section id="summary"><h2>Summary</h2><div class="cards">'
        + "".join(
            f'<div class="card"><div class="k">{html.escape(k)}</div><div class="v">{html.escape(v)}</div>'
            "</div>"
            for k, v in cards
        )
        + f'</div><div class="stancebar">{"".join(bar)}</div><p class="legend">{legend}</p></section>'
    )


def _key_people(g: "StakeholderGraph", rank: dict[str, Any] | None, note: str | None, k: int) -> str:
    rows = []
    hidden_col = False
    if rank and isinstance(rank.get("people"), list):
        people = [r for r in rank["people"] if isinstance(r, Mapping) and "id" in r]
        people.sort(
            key=lambda r: (
                r.get("rank") if isinstance(r.get("rank"), (int, float)) else 1e9,
                -(r.get("power") or 0),
            )
        )
        hidden_col = any("hidden_influencer" in r for r in people)
        for r in people[:k]:
            rows.append((r["id"], r.get("rank"), r.get("power"), bool(r.get("hidden_influencer"))))
        src = "Ranked by stakegraph.rank (authority, informal influence, brokerage, social power)."
    else:
        c = g.compiled()
        order = sorted(range(c.n), key=lambda i: (-c.power[i], c.ids[i]))
        order = [i for i in order if c.customer[i]][:k]
        rows = [(c.ids[i], n + 1, float(c.power[i]), False) for n, i in enumerate(order)]
        src = "Ordered by power from roles and level" + (f" ({note})." if note else ".")
    head = (
        "<tr><th>#</th><th>person</th><th>department</th><th>roles</th><th>stance</th><th>power</th>"
        + ("<th>hidden influencer</th>" if hidden_col else "")
        + "</tr>"
    )
    body = []
    for pid, rk, pw, hidden in rows:
        p = g.person(pid) if pid in g else None
        roles = ", ".join(r.value.replace("_", " ") for r in p.roles) if p else ""
        stance = p.stance.value if p else "unknown"
        body.append(
            f"<tr><td>{words.value(rk)}</td><td>{_person_html(g, pid)}</td><td>{html.escape(p.department if p else '')}</td>"
            f"<td>{html.escape(roles)}</td><td>{_stance_chip(stance)}</td><td>{words.value(pw)}</td>"
            + (f"<td>{'yes' if hidden else ''}</td>" if hidden_col else "")
            + "</tr>"
        )
    return (
        f'<section id="key-people"><h2>Key people</h2><p class="muted">{html.escape(src)}</p>'
        f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table></section>"
    )


def _path_list(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if isinstance(d.get("paths"), list):
        return [p for p in d["paths"] if isinstance(p, Mapping)]
    if isinstance(d.get("targets"), list):  # several targets: each with its own paths
        out: list[Mapping[str, Any]] = []
        for t in d["targets"]:
            if isinstance(t, Mapping) and isinstance(t.get("paths"), list):
                out += [p for p in t["paths"] if isinstance(p, Mapping)]
        return out
    return []


def _paths(g: "StakeholderGraph", d: dict[str, Any] | None, note: str | None) -> str:
    out = ['<section id="paths"><h2>Introduction paths to the decision-maker</h2>']
    if d is None:
        out.append(_note(note or "no paths"))
        return "".join(out) + "</section>"
    groups = d["targets"] if isinstance(d.get("targets"), list) else [d]
    for grp in groups:
        if not isinstance(grp, Mapping):
            continue
        target = grp.get("target")
        if target is not None:
            out.append(f"<h3>To {_person_html(g, target)}</h3>")
        plist = [p for p in grp.get("paths", []) if isinstance(p, Mapping)]
        if not plist:
            why = grp.get("reason") or "no introduction path reaches this person"
            near = (
                f"; nearest reachable person: {_person_name(g, grp['nearest'])}" if grp.get("nearest") else ""
            )
            out.append(_note(f"{why}{near}"))
            continue
        out.append("<ol>")
        for p in plist:
            chain = " → ".join(_person_html(g, x) for x in p.get("people", []))
            prob = p.get("probability")
            weak = p.get("weakest_link")
            weak_s = ""
            if isinstance(weak, (list, tuple)) and len(weak) == 2:
                weak_s = (
                    f'<span class="muted"> · weakest link: {html.escape(_person_name(g, weak[0]))} – '
                    f"{html.escape(_person_name(g, weak[1]))}</span>"
                )
            out.append(f"<li>{chain} <b>p = {words.value(prob)}</b>{weak_s}</li>")
        out.append("</ol>")
    return "".join(out) + "</section>"


def _targets(g: "StakeholderGraph", d: dict[str, Any] | None, note: str | None) -> str:
    out = ['<section id="targets"><h2>Whom to win next</h2>']
    rows = d.get("targets") if d else None
    if not isinstance(rows, list) or not rows:
        out.append(_note(note or "no targets"))
        return "".join(out) + "</section>"
    rows = [r for r in rows if isinstance(r, Mapping)]
    cols = []
    for r in rows:
        for k, v in r.items():
            if k not in cols and k != "id" and (isinstance(v, (int, float, str)) or v is None):
                cols.append(k)
    if d and d.get("model"):
        out.append(f'<p class="muted">model: {html.escape(str(d["model"]))}</p>')
    has_path = any(isinstance(r.get("path"), list) and r.get("path") for r in rows)
    head = (
        "<tr><th>#</th><th>person</th>"
        + "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in cols)
        + ("<th>introduction path</th>" if has_path else "")
        + "</tr>"
    )
    body = []
    for k, r in enumerate(rows):
        path = r.get("path") if isinstance(r.get("path"), list) else []
        chain = " → ".join(html.escape(_person_name(g, x)) for x in path)
        body.append(
            f"<tr><td>{k + 1}</td><td>{_person_html(g, r.get('id', ''))}</td>"
            + "".join(f"<td>{html.escape(words.value(r.get(c)))}</td>" for c in cols)
            + (f"<td>{chain}</td>" if has_path else "")
            + "</tr>"
        )
    out.append(f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>")
    return "".join(out) + "</section>"


def _findings(g: "StakeholderGraph", d: dict[str, Any] | None, note: str | None) -> str:
    out = ['<section id="findings"><h2>Deal health</h2>']
    if d is None:
        out.append(_note(note or "no diagnosis"))
        return "".join(out) + "</section>"
    if isinstance(d.get("score"), (int, float)):
        out.append(f"<p>Health score: <b>{score_text(d['score'])}</b></p>")
    rows = [f for f in d.get("findings", []) if isinstance(f, Mapping)]
    if not rows:
        out.append("<p>No findings.</p>")
        return "".join(out) + "</section>"
    body = []
    for f in rows:
        sev = str(f.get("severity", ""))
        names = [html.escape(_person_name(g, x)) for x in f.get("people", [])]
        people = ", ".join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            people += (
                f"<details><summary>and {len(names) - NAMES_SHOWN} more</summary>"
                f"{', '.join(names[NAMES_SHOWN:])}</details>"
            )
        body.append(
            f'<tr class="sev-{html.escape(sev)}"><td><span class="sev">{html.escape(sev)}</span></td>'
            f'<td>{html.escape(str(f.get("message", "")))}<div class="muted">{people}</div></td>'
            f"<td>{html.escape(str(f.get('action', '')))}</td></tr>"
        )
    head = "<table><thead><tr><th>severity</th><th>finding</th><th>what to do</th></tr></thead>"
    out.append(f"{head}<tbody>{''.join(body[:FINDINGS_SHOWN])}</tbody></table>")
    if len(body) > FINDINGS_SHOWN:  # the most severe first: the rest folded away
        rest = len(body) - FINDINGS_SHOWN
        out.append(
            f"<details><summary>{rest} more finding{'s' if rest != 1 else ''}</summary>"
            f"{head}<tbody>{''.join(body[FINDINGS_SHOWN:])}</tbody></table></details>"
        )
    return "".join(out) + "</section>"


FINDINGS_SHOWN = 20
"""Findings the report shows open (the most severe first); the rest are folded under "more findings"."""

NAMES_SHOWN = 12
"""People a finding names open in the report; the rest are folded under "and n more"."""


def _intelligence(g: "StakeholderGraph") -> str:
    """The informants and how far the others bear them out, and the three questions worth most."""
    if not g.observations:
        return ""
    from ..analysis.fuse import fuse
    from ..analysis.questions import next_questions

    beliefs = fuse(g, seed=0)
    out = [
        '<section id="intelligence"><h2>Intelligence</h2>',
        f"<p>{len(g.observations)} reports from {len(beliefs.informants)} informants, fused with Butts' "
        "model (ties) and Dawid–Skene (stances).</p>",
    ]
    body = []
    for r in beliefs.informants:
        acc = r["stance_accuracy"]
        shown = (
            "—"
            if acc is None
            else f"{acc:.0%} ({r['stance_accuracy_90'][0]:.0%}–{r['stance_accuracy_90'][1]:.0%})"
        )
        body.append(
            f"<tr><td>{html.escape(str(r['name']))}</td><td>{r['reports']}</td><td>{r['stance_checked']}</td>"
            f"<td>{html.escape(shown)}</td></tr>"
        )
    out.append(
        "<table><thead><tr><th>informant</th><th>reports</th><th>stances others also reported</th>"
        "<th>borne out by the others (90%)</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    from ..analysis.uncertain import rank_spread, support_spread

    support = support_spread(beliefs, samples=200, seed=0)
    ranked = rank_spread(beliefs, samples=200, seed=0)
    out.append("<h3>How sure</h3>" + "".join(f"<p>{html.escape(x)}</p>" for x in support._summary()))
    band = ranked.rank_90
    rows = "".join(
        f"<tr><td>{html.escape(ranked.name_of(pid))}</td><td>{k + 1}</td>"
        f"<td>{band[pid][0]}–{band[pid][1]}</td><td>{ranked.p_top[k]:.0%}</td></tr>"
        for k, pid in enumerate(ranked.ids[:8])
    )
    out.append(
        f"<table><thead><tr><th>key person</th><th>rank</th><th>rank in 90% of {ranked.samples} possible "
        f"accounts</th><th>in the top {ranked.top}</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    questions = next_questions(beliefs, k=3, seed=0)
    if questions.questions:
        out.append("<h3>What to ask next</h3><ol>")
        out += [f"<li>{html.escape(q.text)}</li>" for q in questions.questions]
        out.append("</ol>")
    return "".join(out) + "</section>"


def _people(g: "StakeholderGraph", rank: Mapping[str, Any] | None) -> str:
    """Everyone, with the power of the ranking (as in Key people) and the model's power for the other sides."""
    c = g.compiled()
    ranked = {
        str(r["id"]): r["power"]
        for r in ((rank or {}).get("people") or [])
        if isinstance(r, Mapping) and isinstance(r.get("power"), (int, float))
    }
    body = []
    for pid, p in g.people.items():
        roles = ", ".join(r.value.replace("_", " ") for r in p.roles)
        last = p.last_contact.isoformat() if p.last_contact else ""
        body.append(
            f'<tr data-id="{html.escape(pid)}"><td>{html.escape(p.name or p.id)}</td>'
            f"<td>{html.escape(p.title)}</td><td>{html.escape(p.department)}</td><td>{p.org.value}</td>"
            f"<td>{html.escape(roles)}</td><td>{_stance_chip(p.stance.value)}</td>"
            f"<td>{words.value(float(ranked.get(pid, c.power[c.index[pid]])))}</td>"
            f"<td>{html.escape(_person_name(g, p.owner) if p.owner else '')}</td><td>{last}</td></tr>"
        )
    return (
        '<section id="people"><details><summary><h2>Everyone</h2></summary><table><thead><tr><th>name</th>'
        "<th>title</th><th>department</th><th>side</th><th>roles</th><th>stance</th><th>power</th>"
        f"<th>owner</th><th>last contact</th></tr></thead><tbody>{''.join(body)}</tbody></table></details>"
        "</section>"
    )


_CSS = """
* { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif; color: #1a1a1a; margin: 0;
  background: #f6f6f6; font-size: 14px; line-height: 1.45; }
header { background: #fff; padding: 18px 28px 12px; border-bottom: 1px solid #e2e2e2; }
header h1 { margin: 0; font-size: 24px; }
header p { margin: 4px 0 0; color: #555; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 20px 24px; }
section { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 14px 20px; margin: 14px 0; }
h2 { font-size: 17px; margin: 2px 0 10px; display: inline-block; }
h3 { font-size: 14px; margin: 12px 0 4px; }
figure { margin: 0; }
figcaption { color: #666; font-size: 12px; margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: #555; border-bottom: 1.5px solid #bbb; padding: 5px 8px; }
td { border-bottom: 1px solid #eee; padding: 5px 8px; vertical-align: top; }
.muted { color: #777; }
.note { color: #8a5a00; background: #fff7e0; border-left: 3px solid #f0c800; padding: 6px 10px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid #e6e6e6; border-radius: 5px; padding: 8px 12px; min-width: 170px; }
.card .k { color: #777; font-size: 12px; }
.card .v { font-size: 16px; font-weight: 600; }
.stancebar { display: flex; height: 14px; margin: 12px 0 4px; border-radius: 3px; overflow: hidden;
  border: 1px solid #ccc; }
.legend { color: #555; font-size: 12.5px; margin: 2px 0 0; }
.chip { display: inline-block; width: 11px; height: 11px; border: 1px solid #555; border-radius: 2px;
  margin-right: 4px; vertical-align: -1px; }
.badge { font-size: 12px; background: #333; color: #fff; border-radius: 3px; padding: 2px 6px; vertical-align: 4px; }
.sev { font-weight: 600; }
.sev-critical .sev { color: #b00020; }
.sev-high .sev { color: #c45000; }
.sev-medium .sev { color: #8a6d00; }
details summary { cursor: pointer; }
footer { color: #888; font-size: 12px; text-align: center; padding: 8px 0 20px; }
@media print { body { background: #fff; } section { break-inside: avoid; border: none; }
  details { display: block; } }
"""
