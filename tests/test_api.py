"""The public namespace: the names other code may rely on (DESIGN.md section 5)."""

import importlib

import pytest

import stakegraph as sg

EXPECTED = {
    "Change",
    "ConvergenceError",
    "Deal",
    "Diagnosis",
    "Finding",
    "HiddenStructure",
    "InfluenceModel",
    "NoPathError",
    "NoTieError",
    "Org",
    "Paths",
    "Person",
    "Propagation",
    "Ranking",
    "Reason",
    "Role",
    "Stage",
    "StakegraphError",
    "StakeholderGraph",
    "Stance",
    "Targets",
    "Tie",
    "TieKind",
    "Timeline",
    "UnknownPersonError",
    "ValidationError",
    "WhatIf",
    "analyze_many",
    "anonymise",
    "compare",
    "datasets",
    "diagnose",
    "export_html",
    "export_pptx",
    "from_frames",
    "from_networkx",
    "influence_map",
    "paths",
    "propagate",
    "rank",
    "read_csv",
    "read_gexf",
    "read_graphml",
    "read_json",
    "read_snapshots",
    "save_figure",
    "structure",
    "support_grid",
    "targets",
    "timeline",
    "to_frames",
    "to_networkx",
    "what_if",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_report",
    "write_snapshots",
}


def test_all_is_pinned():
    assert set(sg.__all__) == EXPECTED
    assert sg.__all__ == sorted(sg.__all__)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_public_name_resolves(name):
    assert getattr(sg, name) is not None


def test_unknown_name_is_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sg.nope  # noqa: B018


def test_import_is_light():
    # importing the package must not pull in matplotlib or pandas
    code = "import sys, stakegraph; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_error_tree():
    assert issubclass(sg.ValidationError, sg.StakegraphError) and issubclass(sg.ValidationError, ValueError)
    assert issubclass(sg.UnknownPersonError, KeyError)
    assert issubclass(sg.ConvergenceError, sg.StakegraphError)
    assert issubclass(sg.NoPathError, sg.StakegraphError)


@pytest.mark.parametrize(
    "module",
    [
        "stakegraph.model",
        "stakegraph.enums",
        "stakegraph.errors",
        "stakegraph.influence",
        "stakegraph.results",
        "stakegraph._compiled",
    ],
)
def test_modules_declare_all(module):
    m = importlib.import_module(module)
    assert isinstance(m.__all__, list) and all(hasattr(m, n) for n in m.__all__)
