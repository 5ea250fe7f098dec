"""Every notebook runs in a real Jupyter kernel and shows its results; the README tour is true."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_in_a_real_kernel(path, tmp_path):
    """Each notebook runs top to bottom in a Jupyter kernel; its results show as tables and pictures."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(not c.outputs and c.get("execution_count") is None for c in code), (
        "notebooks are committed without outputs"
    )
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()  # raises CellExecutionError, with the cell and its traceback, if a cell fails
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    # a cell ending in a value (not a print) shows it rich: an HTML table or a picture
    for c in code:
        body = ast.parse(c.source).body
        last = body[-1] if body else None
        if not isinstance(last, ast.Expr):
            continue
        if isinstance(last.value, ast.Call) and getattr(last.value.func, "id", "") == "print":
            continue
        kinds = [set(o.get("data", {})) for o in c.outputs if o.output_type == "execute_result"]
        assert kinds and kinds[0] & {"text/html", "image/png"}, (c.source, c.outputs)


def test_readme_tour_runs(tmp_path, monkeypatch):
    """The README's Python tour is true."""
    matplotlib.use("Agg")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})  # noqa: S102
    for f in ("map.png", "map.html", "report.html", "deck.pptx"):
        assert (tmp_path / f).stat().st_size > 0, f
