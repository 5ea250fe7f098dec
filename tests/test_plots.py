"""Every result that has a natural picture draws it with ``.plot(ax=None)``, and figures show in Jupyter."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure as MplFigure

import stakegraph as sg
from stakegraph.viz.figure import Figure, new_figure
from stakegraph.viz.plots import shown_name


@pytest.fixture(scope="module")
def bank():
    return sg.datasets.load("bank")


def _results(g):
    later = sg.datasets.load("bank_later")
    return {
        "rank": sg.rank(g),
        "structure": sg.structure(g, seed=0),
        "propagate-fj": sg.propagate(g, trajectory=True),
        "propagate-ic": sg.propagate(g, model="ic", runs=50, seed=1),
        "paths": sg.paths(g),
        "targets": sg.targets(g, k=3),
        "what_if": sg.what_if(g, {"cfo": "ally"}),
        "diagnose": sg.diagnose(g),
        "compare": sg.compare(g, later),
        "fuse": sg.fuse(g, seed=0),
    }


NAMES = [
    "rank",
    "structure",
    "propagate-fj",
    "propagate-ic",
    "paths",
    "targets",
    "what_if",
    "diagnose",
    "compare",
    "fuse",
]


@pytest.fixture(scope="module")
def results(bank):
    return _results(bank)


@pytest.mark.parametrize("name", NAMES)
def test_plot_returns_a_figure_that_shows_itself(results, name):
    fig = results[name].plot()
    assert isinstance(fig, Figure) and isinstance(fig, MplFigure)
    ax = fig.axes[0]
    assert ax.patches or ax.lines or ax.collections or ax.texts  # something is drawn
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", NAMES)
def test_plot_draws_into_the_callers_axes(results, name):
    fig = new_figure((8, 5))
    ax = fig.add_subplot()
    assert results[name].plot(ax=ax) is fig
    assert len(fig.axes) >= 1 and fig.axes[0] is ax


def test_ranking_plot_names_the_most_powerful_people_in_order(bank, results):
    rows = [r for r in results["rank"].to_dict()["people"] if r["customer"]]
    expected = [bank.person(r["id"]).label for r in sorted(rows, key=lambda r: -r["power"])[:5]]
    fig = results["rank"].plot(top=5)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == expected  # rank 1 on top


def test_views_return_figures_that_show_themselves(bank):
    assert isinstance(sg.influence_map(bank), Figure)
    assert isinstance(sg.support_grid(bank), Figure)


def test_figures_display_in_a_real_kernel_without_magics(tmp_path):
    """In Jupyter, ``fig`` and ``result.plot()`` as a cell's last line show a PNG, no %matplotlib needed."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('import stakegraph as sg\ng = sg.datasets.load("bank")'),
        nbformat.v4.new_code_cell("fig = sg.influence_map(g)\nfig"),
        nbformat.v4.new_code_cell("sg.rank(g).plot()"),
        nbformat.v4.new_code_cell("sg.rank(g)"),
    ]
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    for cell in nb.cells[1:3]:
        kinds = [set(o.get("data", {})) for o in cell.outputs if o.output_type == "execute_result"]
        assert kinds and "image/png" in kinds[0], cell.outputs
    html = [o["data"]["text/html"] for o in nb.cells[3].outputs if o.output_type == "execute_result"]
    assert (
        html and "<table" in html[0] and "Daniel Okafor" in html[0] and ">ceo<" in html[0]
    )  # names beside ids


def test_beliefs_plot_puts_the_least_settled_stances_first(bank, results):
    b = results["fuse"]
    fig = b.plot()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    settled = {pid: max(d.values()) for pid, d in b.stance_distribution.items()}
    order = sorted(settled, key=lambda pid: (settled[pid], pid))
    assert labels == [shown_name(b, pid) for pid in order]
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert sum(widths) == pytest.approx(len(order))  # each person's bar sums to 1
