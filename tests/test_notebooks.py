"""Every code cell of the notebooks runs, in order, against the installed library."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert cells, "a notebook without code"
    ns: dict = {}
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        exec(compile(src, f"{path.name}[{i}]", "exec"), ns)  # noqa: S102
        assert not cell["outputs"], "notebooks are committed without outputs"
    # the last expression of each cell renders in a notebook: check the HTML views work
    for name in ("g", "ranking", "hidden", "ic", "routes", "diagnosis"):
        if name in ns and hasattr(ns[name], "_repr_html_"):
            assert "<table" in ns[name]._repr_html_()


def test_readme_tour_runs(tmp_path, monkeypatch):
    """The README's Python tour is true."""
    matplotlib.use("Agg")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})  # noqa: S102
    for f in ("map.png", "map.html", "report.html", "deck.pptx"):
        assert (tmp_path / f).stat().st_size > 0, f
