"""Draw the pictures of the documentation from the embedded ``bank`` example.

Run from the repository root (or anywhere)::

    python docs/make_figures.py

It writes ``docs/img/bank_map.png`` (the influence map, with the best
introduction paths to the decision-maker highlighted when the paths analysis is
available) and ``docs/img/bank_grid.png`` (power against support four weeks
later, with arrows showing who moved since the first snapshot). The pictures
are committed; rerun this script after changing a view.
"""

from __future__ import annotations

from pathlib import Path

import stakegraph as sg

OUT = Path(__file__).resolve().parent / "img"
DPI = 150  # 2000 x 1125 pixels: sharp on screens, light in the repository


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bank = sg.datasets.load("bank")
    later = sg.datasets.load("bank_later")
    try:
        best = sg.paths(bank)
    except (ImportError, AttributeError, sg.StakegraphError):
        best = None
    try:
        ranking = sg.rank(bank)
    except (ImportError, AttributeError, sg.StakegraphError):
        ranking = None
    fig = sg.influence_map(bank, highlight=best, rank=ranking)
    print(sg.save_figure(fig, OUT / "bank_map.png", dpi=DPI))
    fig = sg.support_grid(later, previous=bank)
    print(sg.save_figure(fig, OUT / "bank_grid.png", dpi=DPI))


if __name__ == "__main__":
    main()
