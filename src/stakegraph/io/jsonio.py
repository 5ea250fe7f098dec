"""One JSON document per account: ``{"stakegraph": 1, "deal": {...}, "people": [...], "ties": [...]}``.

Also a document with several dated snapshots of one account:
``{"stakegraph": 1, "snapshots": [{...}, {...}]}`` (:func:`read_snapshots`).
The JSON Schema ships with the package (:func:`schema`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any, Union

from ..errors import Problem, ValidationError
from ..model import StakeholderGraph

__all__ = [
    "SCHEMA_VERSION",
    "graph_to_dict",
    "graph_from_dict",
    "read_json",
    "read_snapshots",
    "schema",
    "write_json",
    "write_snapshots",
]

SCHEMA_VERSION = 1
PathOrFile = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the stakegraph document.

    Examples
    --------
    >>> schema()["properties"]["stakegraph"]["const"]
    1
    """
    from importlib.resources import files

    return json.loads(files("stakegraph").joinpath("schema/stakegraph.schema.json").read_text("utf-8"))


def graph_to_dict(graph: StakeholderGraph) -> dict[str, Any]:
    """The graph as a JSON-ready dict; fields left out stay out (so derived values are not frozen)."""

    def clean(rec: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in rec.items() if v is not None and v != "" and v != []}

    people = []
    for p in graph.people.values():
        rec = clean(p.to_record())
        rec["id"] = p.id
        people.append(rec)
    ties = [clean(t.to_record()) for t in graph.ties]
    return {
        "stakegraph": SCHEMA_VERSION,
        "deal": clean(graph.deal.to_record()),
        "people": people,
        "ties": ties,
    }


def graph_from_dict(doc: Any, *, source: str = "<json>") -> StakeholderGraph:
    """Build a graph from a parsed document, collecting every problem (``people[3]`` names a record)."""
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise ValidationError(
            Problem(
                "the document must be a JSON object with 'stakegraph', 'people' and 'ties'",
                source,
                None,
                None,
            )
        )
    version = doc.get("stakegraph")
    if version != SCHEMA_VERSION:
        raise ValidationError(
            Problem(
                f"unsupported or missing schema version {version!r}; this stakegraph reads version {SCHEMA_VERSION} "
                '(the document must start with {"stakegraph": 1, ...})',
                source,
                None,
                "stakegraph",
            )
        )
    people = doc.get("people", [])
    ties = doc.get("ties", [])
    for name, value in (("people", people), ("ties", ties)):
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(Problem(f"'{name}' must be a list of objects", source, None, name))
    deal = doc.get("deal") or {}
    if not isinstance(deal, dict):
        problems.append(Problem("'deal' must be an object", source, None, "deal"))
    if problems:
        raise ValidationError(problems)
    pw = [(f"{source}: people[{i}]", None) for i in range(len(people))]
    tw = [(f"{source}: ties[{i}]", None) for i in range(len(ties))]
    try:
        return StakeholderGraph.from_records(people, ties, deal, people_where=pw, ties_where=tw)
    except ValidationError as e:
        fixed = [
            Problem(p.message, p.file if p.file not in ("<deal>",) else f"{source}: deal", p.line, p.field)
            for p in e.problems
        ]
        raise ValidationError(fixed) from None


def _read_text(src: PathOrFile) -> tuple[str, str]:
    if hasattr(src, "read"):
        data = src.read()  # type: ignore[union-attr]
        if isinstance(data, bytes):
            data = data.decode("utf-8-sig")
        name = getattr(src, "name", "<stream>")
        return data, str(name)
    path = Path(src)  # type: ignore[arg-type]
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except FileNotFoundError:
        raise ValidationError(Problem("file not found", str(path), None, None)) from None


def _parse(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValidationError(
            Problem(f"not valid JSON: {e.msg}", name, e.lineno, f"column {e.colno}")
        ) from None


def read_json(src: PathOrFile) -> StakeholderGraph:
    """Read a graph from a JSON document (path or file object).

    Raises
    ------
    ValidationError
        Listing every problem, each located as ``file: people[i]: field``.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> g = sg.read_json(io.StringIO('{"stakegraph": 1, "people": [{"id": "wang", "name": "王建國"}], "ties": []}'))
    >>> g.person("wang").name
    '王建國'
    """
    text, name = _read_text(src)
    doc = _parse(text, name)
    if isinstance(doc, dict) and "snapshots" in doc and "people" not in doc:
        raise ValidationError(
            Problem("this document holds several snapshots; use read_snapshots()", name, None, "snapshots")
        )
    return graph_from_dict(doc, source=name)


def write_json(
    graph: StakeholderGraph, dst: PathOrFile | None = None, *, indent: int | None = 2
) -> str | None:
    """Write ``graph`` as JSON to a path or file object; with no destination, return the text.

    The file is written to a temporary name and renamed, so an existing file is
    never left half-written.
    """
    text = json.dumps(graph_to_dict(graph), ensure_ascii=False, indent=indent, default=_json_default) + "\n"
    return _write_text(text, dst)


def _json_default(value: Any) -> Any:
    """Extra attributes JSON has no type for: dates as ISO text, sets as lists, anything else as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _write_text(text: str, dst: PathOrFile | None) -> str | None:
    if dst is None:
        return text
    if hasattr(dst, "write"):
        try:
            dst.write(text)  # type: ignore[union-attr]
        except TypeError:
            dst.write(text.encode("utf-8"))  # type: ignore[union-attr]
        return None
    path = Path(dst)  # type: ignore[arg-type]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return None


def read_snapshots(src: PathOrFile) -> list[StakeholderGraph]:
    """Read dated snapshots of one account, oldest first.

    ``src`` is a JSON document ``{"stakegraph": 1, "snapshots": [doc, ...]}``
    or a folder of ``*.json`` documents, each with ``deal.as_of`` set.
    """
    if not hasattr(src, "read") and Path(src).is_dir():  # type: ignore[arg-type]
        graphs = []
        problems: list[Problem] = []
        for p in sorted(Path(src).glob("*.json")):  # type: ignore[arg-type]
            try:
                graphs.append(read_json(p))
            except ValidationError as e:  # report every file's problems at once
                problems += e.problems
        if problems:
            raise ValidationError(problems)
    else:
        text, name = _read_text(src)
        doc = _parse(text, name)
        if not isinstance(doc, dict) or not isinstance(doc.get("snapshots"), list):
            raise ValidationError(
                Problem('expected {"stakegraph": 1, "snapshots": [...]}', name, None, "snapshots")
            )
        graphs = []
        problems: list[Problem] = []
        for i, d in enumerate(doc["snapshots"]):
            try:
                graphs.append(graph_from_dict(d, source=f"{name}: snapshots[{i}]"))
            except ValidationError as e:
                problems += e.problems
        if problems:
            raise ValidationError(problems)
    missing = [i for i, g in enumerate(graphs) if g.deal.as_of is None]
    if missing:
        raise ValidationError(f"snapshots {missing} have no deal.as_of date; every snapshot needs one")
    return sorted(graphs, key=lambda g: g.deal.as_of)


def write_snapshots(
    graphs: list[StakeholderGraph], dst: PathOrFile | None = None, *, indent: int | None = 2
) -> str | None:
    """Write several snapshots of one account into one JSON document."""
    doc = {"stakegraph": SCHEMA_VERSION, "snapshots": [graph_to_dict(g) for g in graphs]}
    return _write_text(json.dumps(doc, ensure_ascii=False, indent=indent, default=_json_default) + "\n", dst)
