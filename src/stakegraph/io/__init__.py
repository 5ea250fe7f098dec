"""Readers and writers: CSV files, JSON, networkx, GraphML, GEXF and pandas DataFrames.

Every reader collects all the problems of its input into one
:class:`~stakegraph.ValidationError` naming file, line (or record) and field;
every writer loses nothing, so a graph read back equals the graph written.
The networkx-based and pandas-based modules load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .csvio import read_csv, write_csv
from .jsonio import read_json, read_snapshots, schema, write_json, write_snapshots

_LAZY = {
    "to_networkx": "stakegraph.io.nxio",
    "from_networkx": "stakegraph.io.nxio",
    "read_graphml": "stakegraph.io.nxio",
    "write_graphml": "stakegraph.io.nxio",
    "read_gexf": "stakegraph.io.nxio",
    "write_gexf": "stakegraph.io.nxio",
    "from_frames": "stakegraph.io.frames",
    "to_frames": "stakegraph.io.frames",
}

__all__ = sorted(
    ["read_csv", "read_json", "read_snapshots", "schema", "write_csv", "write_json", "write_snapshots", *_LAZY]
)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakegraph.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
