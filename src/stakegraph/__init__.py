"""stakegraph: stakeholder graph analytics for key-account teams.

A customer organisation as a weighted influence graph (formal reporting lines,
the hidden influence between people, and our team, partners and competitors
around it), with the analyses a deal team needs: who the key people are, how
far support reaches, how to reach the decision-maker, whom to win next and how
healthy the deal is.

Examples
--------
>>> import stakegraph as sg
>>> g = sg.datasets.load("bank")
>>> g.deal.stage.value
'deep_contact'
"""

from __future__ import annotations

import importlib
from typing import Any

from . import datasets
from .enums import Org, Reason, Role, Stage, Stance, TieKind
from .errors import (
    ConvergenceError,
    NoPathError,
    NoTieError,
    StakegraphError,
    UnknownPersonError,
    ValidationError,
)
from .influence import InfluenceModel
from .io.jsonio import read_json, read_snapshots, write_json, write_snapshots
from .model import Deal, Person, StakeholderGraph, Tie

__version__ = "0.1.0"

# Names served on first use, so `import stakegraph` stays light (no matplotlib,
# no pandas) and each analysis loads only when called.
_LAZY = {
    "read_csv": "stakegraph.io.csvio",
    "write_csv": "stakegraph.io.csvio",
    "to_networkx": "stakegraph.io.nxio",
    "from_networkx": "stakegraph.io.nxio",
    "read_graphml": "stakegraph.io.nxio",
    "write_graphml": "stakegraph.io.nxio",
    "read_gexf": "stakegraph.io.nxio",
    "write_gexf": "stakegraph.io.nxio",
    "from_frames": "stakegraph.io.frames",
    "to_frames": "stakegraph.io.frames",
    "rank": "stakegraph.analysis.rank",
    "Ranking": "stakegraph.analysis.rank",
    "structure": "stakegraph.analysis.structure",
    "HiddenStructure": "stakegraph.analysis.structure",
    "propagate": "stakegraph.analysis.propagate",
    "Propagation": "stakegraph.analysis.propagate",
    "paths": "stakegraph.analysis.paths",
    "Paths": "stakegraph.analysis.paths",
    "targets": "stakegraph.analysis.targets",
    "Targets": "stakegraph.analysis.targets",
    "what_if": "stakegraph.analysis.targets",
    "WhatIf": "stakegraph.analysis.targets",
    "diagnose": "stakegraph.analysis.diagnose",
    "Diagnosis": "stakegraph.analysis.diagnose",
    "Finding": "stakegraph.analysis.diagnose",
    "compare": "stakegraph.analysis.compare",
    "Change": "stakegraph.analysis.compare",
    "timeline": "stakegraph.analysis.compare",
    "Timeline": "stakegraph.analysis.compare",
    "analyze_many": "stakegraph.analysis.many",
    "influence_map": "stakegraph.viz.influence_map",
    "support_grid": "stakegraph.viz.grid",
    "save_figure": "stakegraph.viz.export",
    "export_html": "stakegraph.viz.html",
    "write_report": "stakegraph.viz.report",
    "export_pptx": "stakegraph.viz.pptx",
    "anonymise": "stakegraph.privacy",
}

__all__ = sorted(
    [
        "ConvergenceError",
        "Deal",
        "InfluenceModel",
        "NoPathError",
        "NoTieError",
        "Org",
        "Person",
        "Reason",
        "Role",
        "Stage",
        "StakegraphError",
        "StakeholderGraph",
        "Stance",
        "Tie",
        "TieKind",
        "UnknownPersonError",
        "ValidationError",
        "datasets",
        "read_json",
        "read_snapshots",
        "write_json",
        "write_snapshots",
        *_LAZY,
    ]
)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakegraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
