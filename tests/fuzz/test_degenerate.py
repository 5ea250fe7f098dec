"""Degenerate accounts through every analysis and view: finite numbers, or a StakegraphError that says why.

Graphs drawn by ``strategies.degenerate_graphs`` (empty, one person, no ties,
everyone of one stance, no decision-maker or several, openness 0 and 1
everywhere, strengths of 1e-300, powers up to 1e12, levels up to 1000), and
the named cases below as fixed examples: each analysis returns a result whose
``to_dict()`` holds no NaN or infinity (undefined values are None), or
refuses with a StakegraphError; each view draws or refuses.
"""

from __future__ import annotations

import io
import math
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

import stakegraph as sg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import degenerate_graphs  # noqa: E402


def _org(
    n: int, *, stance: str = "neutral", roles=("decision_maker",), openness=None, strength=0.6, ties=True
):
    g = sg.StakeholderGraph()
    g.add_person("us", org="us")
    for i in range(n):
        kw = {"stance": stance}
        if openness is not None:
            kw["openness"] = openness
        g.add_person(f"p{i}", roles=list(roles) if i == 0 else [], relationship=0.5 if i == 1 else None, **kw)
    if ties:
        for i in range(1, n):
            g.add_tie(f"p{i}", "p0", "reports_to")
            g.add_tie(f"p{i}", f"p{(i + 1) % n}", "advises", strength)
        if n:
            g.add_tie("us", "p1" if n > 1 else "p0", "knows", strength)
    return g


CASES = {
    "empty": lambda: sg.StakeholderGraph(),
    "only us": lambda: _org(0),
    "one person": lambda: _org(1),
    "no ties": lambda: _org(5, ties=False),
    "all hostile": lambda: _org(6, stance="hostile"),
    "no decision-maker": lambda: _org(6, roles=()),
    "several decision-makers": lambda: _org(6, roles=("decision_maker", "approver")),
    "openness 0": lambda: _org(6, openness=0.0),
    "openness 1": lambda: _org(6, openness=1.0),
    "strengths 1e-300": lambda: _org(6, strength=1e-300),
}


def _finite(value, path="result"):
    if isinstance(value, float):
        assert math.isfinite(value), f"{path} is {value}"
    elif isinstance(value, dict):
        for k, v in value.items():
            _finite(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _finite(v, f"{path}[{i}]")


ANALYSES = {
    "rank": lambda g: sg.rank(g),
    "structure": lambda g: sg.structure(g),
    "propagate fj": lambda g: sg.propagate(g),
    "propagate degroot": lambda g: sg.propagate(g, model="degroot"),
    "propagate ic": lambda g: sg.propagate(g, model="ic", runs=50, seed=0),
    "propagate lt": lambda g: sg.propagate(g, model="lt", runs=50, seed=0),
    "paths": lambda g: sg.paths(g),
    "targets": lambda g: sg.targets(g),
    "what_if": lambda g: sg.what_if(g, {next(iter(g.people)): "ally"}),
    "diagnose": lambda g: sg.diagnose(g),
}


def _examples(test):
    for build in CASES.values():
        test = example(g=build())(test)
    return test


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@_examples
@given(g=degenerate_graphs())
def test_every_analysis_gives_finite_numbers_or_says_why(g):
    for name, run in ANALYSES.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = run(g)
        except sg.StakegraphError as e:
            assert str(e), name
            continue
        except StopIteration:  # what_if on a graph with nobody in it: nobody to change
            assert len(g) == 0
            continue
        _finite(result.to_dict(), name)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@_examples
@given(g=degenerate_graphs())
def test_every_view_draws_or_says_why(g, tmp_path):
    import matplotlib.pyplot as plt

    views = {
        "influence_map": lambda: sg.influence_map(g),
        "support_grid": lambda: sg.support_grid(g),
        "export_html": lambda: sg.export_html(g, tmp_path / "m.html"),
        "write_report": lambda: sg.write_report(g, tmp_path / "r.html"),
        "export_pptx": lambda: sg.export_pptx(g, tmp_path / "d.pptx"),
        "json": lambda: sg.read_json(io.StringIO(sg.write_json(g))) == g or pytest.fail("JSON round trip"),
    }
    for name, draw in views.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                draw()
        except sg.StakegraphError as e:
            assert str(e), name
    plt.close("all")
