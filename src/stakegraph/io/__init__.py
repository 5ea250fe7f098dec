"""Readers and writers: CSV files, Excel workbooks, JSON, networkx, GraphML, GEXF and pandas DataFrames.

Every reader collects all the problems of its input into one
:class:`~stakegraph.ValidationError` naming file, line (or record) and field;
every writer loses nothing, so a graph read back equals the graph written.
The networkx-based and pandas-based modules load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .csvio import read_csv, write_csv
from .jsonio import read_json, read_snapshots, schema, write_json, write_snapshots
from .registry import FORMATS, Format, format_for, formats, read, write

if TYPE_CHECKING:  # the lazy names, for type checkers and IDEs
    from .crm import read_crm
    from .frames import from_frames, to_frames
    from .nxio import from_networkx, read_gexf, read_graphml, to_networkx, write_gexf, write_graphml
    from .xlsx import read_xlsx, write_xlsx

_LAZY = {
    "to_networkx": "stakegraph.io.nxio",
    "from_networkx": "stakegraph.io.nxio",
    "read_graphml": "stakegraph.io.nxio",
    "write_graphml": "stakegraph.io.nxio",
    "read_gexf": "stakegraph.io.nxio",
    "write_gexf": "stakegraph.io.nxio",
    "from_frames": "stakegraph.io.frames",
    "to_frames": "stakegraph.io.frames",
    "read_xlsx": "stakegraph.io.xlsx",
    "read_crm": "stakegraph.io.crm",
    "write_xlsx": "stakegraph.io.xlsx",
}

__all__ = [
    "FORMATS",
    "Format",
    "format_for",
    "formats",
    "from_frames",
    "from_networkx",
    "read",
    "read_crm",
    "read_csv",
    "read_gexf",
    "read_graphml",
    "read_json",
    "read_snapshots",
    "read_xlsx",
    "schema",
    "to_frames",
    "to_networkx",
    "write",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_snapshots",
    "write_xlsx",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakegraph.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
