"""The public namespace: the names other code may rely on (DESIGN.md section 5)."""

import importlib

import pytest

import stakegraph as sg

EXPECTED = {
    "SupportSpread",
    "RankSpread",
    "PathSpread",
    "TargetSpread",
    "WhatIfSpread",
    "DiagnosisSpread",
    "support_spread",
    "Questions",
    "next_questions",
    "Beliefs",
    "fuse",
    "Observation",
    "read_crm",
    "read_xlsx",
    "write_xlsx",
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
    "Vocabulary",
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


# ----------------------------------------------------------------------------- old spellings
@pytest.mark.parametrize(
    ("call", "new"),
    [
        (
            lambda g: sg.rank(g, model=sg.InfluenceModel()),
            lambda g: sg.rank(g, influence=sg.InfluenceModel()),
        ),
        (
            lambda g: sg.structure(g, model=sg.InfluenceModel(), seed=1),
            lambda g: sg.structure(g, influence=sg.InfluenceModel(), seed=1),
        ),
        (lambda g: sg.propagate(g, "degroot"), lambda g: sg.propagate(g, model="degroot")),
        (
            lambda g: sg.propagate(g, influence_model=sg.InfluenceModel(), max_steps=50),
            lambda g: sg.propagate(g, influence=sg.InfluenceModel(), max_iter=50),
        ),
        (lambda g: sg.targets(g, 2, "degroot"), lambda g: sg.targets(g, k=2, model="degroot")),
        (lambda g: sg.targets(g, k=1, max_steps=500), lambda g: sg.targets(g, k=1, max_iter=500)),
        (
            lambda g: sg.what_if(g, {"cfo": "ally"}, "degroot"),
            lambda g: sg.what_if(g, {"cfo": "ally"}, model="degroot"),
        ),
    ],
)
def test_old_spellings_work_for_one_release_with_a_deprecation_warning(call, new):
    g = sg.datasets.load("bank")
    with pytest.warns(DeprecationWarning, match="stops working in stakegraph 0.3"):
        old = call(g)
    assert old.to_dict() == new(g).to_dict()


def test_old_and_new_spelling_together_is_an_error():
    g = sg.datasets.load("bank")
    with pytest.raises(TypeError, match="pass only 'max_iter'"):
        sg.propagate(g, max_steps=5, max_iter=5)
    with pytest.raises(TypeError, match="multiple values"):
        sg.targets(g, 2, k=2)


@pytest.mark.parametrize(
    "name", ["rank", "structure", "propagate", "paths", "targets", "what_if", "diagnose", "compare"]
)
def test_every_analysis_takes_the_influence_model_as_influence(name):
    import inspect

    params = inspect.signature(getattr(sg, name)).parameters
    assert params["influence"].kind is inspect.Parameter.KEYWORD_ONLY
    positional = [p.name for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional in (["g"], ["g", "target"], ["g", "changes"], ["old", "new"])
    for p in params.values():
        if p.name == "seed":
            assert p.default is None
        assert p.name not in ("max_steps", "influence_model")


def test_a_quieter_influence_model_reaches_every_analysis():
    g = sg.datasets.load("bank")
    quiet = sg.InfluenceModel(kind_weights={"reports_to": (0.0, 0.0), "dotted_line": (0.0, 0.0)})
    assert sg.propagate(g, influence=quiet).committee_support != sg.propagate(g).committee_support
    assert sg.what_if(g, {"cfo": "ally"}, influence=quiet).after.committee_support != (
        sg.what_if(g, {"cfo": "ally"}).after.committee_support
    )
    assert sg.rank(g, influence=quiet).to_dict() != sg.rank(g).to_dict()
