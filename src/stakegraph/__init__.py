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
from typing import TYPE_CHECKING, Any

from . import datasets
from ._version import __version__ as __version__
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
from .method.lexicon import Vocabulary
from .method.vocabulary import Org, Reason, Role, Stage, Stance, TieKind
from .model import Deal, Person, StakeholderGraph, Tie
from .observation import Observation

if TYPE_CHECKING:  # the lazy names, for type checkers and IDEs
    from .analysis.compare import Change, Timeline, compare, timeline
    from .analysis.diagnose import Diagnosis, Finding, diagnose
    from .analysis.fuse import Beliefs, fuse
    from .analysis.many import analyze_many
    from .analysis.paths import Paths, paths
    from .analysis.propagate import Propagation, propagate
    from .analysis.questions import Questions, next_questions
    from .analysis.rank import Ranking, rank
    from .analysis.structure import HiddenStructure, structure
    from .analysis.targets import Targets, WhatIf, targets, what_if
    from .analysis.uncertain import (
        DiagnosisSpread,
        PathSpread,
        RankSpread,
        SupportSpread,
        TargetSpread,
        WhatIfSpread,
        support_spread,
    )
    from .io.crm import read_crm
    from .io.csvio import read_csv, write_csv
    from .io.frames import from_frames, to_frames
    from .io.nxio import from_networkx, read_gexf, read_graphml, to_networkx, write_gexf, write_graphml
    from .io.xlsx import read_xlsx, write_xlsx
    from .privacy import anonymise
    from .viz.export import save_figure
    from .viz.grid import support_grid
    from .viz.html import export_html
    from .viz.influence_map import influence_map
    from .viz.pptx import export_pptx
    from .viz.report import write_report

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
    "read_xlsx": "stakegraph.io.xlsx",
    "write_xlsx": "stakegraph.io.xlsx",
    "read_crm": "stakegraph.io.crm",
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
    "fuse": "stakegraph.analysis.fuse",
    "next_questions": "stakegraph.analysis.questions",
    "support_spread": "stakegraph.analysis.uncertain",
    "SupportSpread": "stakegraph.analysis.uncertain",
    "RankSpread": "stakegraph.analysis.uncertain",
    "PathSpread": "stakegraph.analysis.uncertain",
    "TargetSpread": "stakegraph.analysis.uncertain",
    "WhatIfSpread": "stakegraph.analysis.uncertain",
    "DiagnosisSpread": "stakegraph.analysis.uncertain",
    "Questions": "stakegraph.analysis.questions",
    "Beliefs": "stakegraph.analysis.fuse",
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

__all__ = [
    "Beliefs",
    "Change",
    "ConvergenceError",
    "Deal",
    "Diagnosis",
    "DiagnosisSpread",
    "Finding",
    "HiddenStructure",
    "InfluenceModel",
    "NoPathError",
    "NoTieError",
    "Observation",
    "Org",
    "PathSpread",
    "Paths",
    "Person",
    "Propagation",
    "Questions",
    "RankSpread",
    "Ranking",
    "Reason",
    "Role",
    "Stage",
    "StakegraphError",
    "StakeholderGraph",
    "Stance",
    "SupportSpread",
    "TargetSpread",
    "Targets",
    "Tie",
    "TieKind",
    "Timeline",
    "UnknownPersonError",
    "ValidationError",
    "Vocabulary",
    "WhatIf",
    "WhatIfSpread",
    "analyze_many",
    "anonymise",
    "compare",
    "datasets",
    "diagnose",
    "export_html",
    "export_pptx",
    "from_frames",
    "from_networkx",
    "fuse",
    "influence_map",
    "next_questions",
    "paths",
    "propagate",
    "rank",
    "read_crm",
    "read_csv",
    "read_gexf",
    "read_graphml",
    "read_json",
    "read_snapshots",
    "read_xlsx",
    "save_figure",
    "structure",
    "support_grid",
    "support_spread",
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
    "write_xlsx",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakegraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
