"""Readers and writers: CSV pair, JSON, networkx, GraphML, GEXF and pandas DataFrames."""

from .jsonio import read_json, read_snapshots, schema, write_json, write_snapshots

__all__ = ["read_json", "read_snapshots", "schema", "write_json", "write_snapshots"]
