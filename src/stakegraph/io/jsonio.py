"""One JSON document per account: ``{"stakegraph": 1, "deal": {...}, "people": [...], "ties": [...]}``.

Also a document with several dated snapshots of one account:
``{"stakegraph": 1, "snapshots": [{...}, {...}]}`` (:func:`read_snapshots`).
The JSON Schema ships with the package (:func:`schema`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Union

from ..errors import Problem, ValidationError
from ..method.lexicon import VocabularySource
from ..model import Source, StakeholderGraph
from ._common import ReadOptions, read_source, read_text, write_bytes

__all__ = [
    "OBSERVATIONS_VERSION",
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
#: The version of a document that holds informants' reports (``"observations"``); version 1 has none.
OBSERVATIONS_VERSION = 2
PathOrFile = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the stakegraph document.

    Examples
    --------
    >>> schema()["properties"]["stakegraph"]["enum"]
    [1, 2]
    """
    from importlib.resources import files

    doc: dict[str, Any] = json.loads(
        files("stakegraph").joinpath("schema/stakegraph.schema.json").read_text("utf-8")
    )
    return doc


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
    doc: dict[str, Any] = {
        "stakegraph": SCHEMA_VERSION,
        "deal": clean(graph.deal.to_record()),
        "people": people,
        "ties": ties,
    }
    if graph.observations:  # version 2 adds the informants' reports; without them a file stays version 1
        doc["stakegraph"] = OBSERVATIONS_VERSION
        doc["observations"] = [
            {k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in clean(o.to_record()).items()}
            for o in graph.observations
        ]
    return doc


def graph_from_dict(
    doc: Any, *, source: str = "<json>", options: ReadOptions | None = None, provenance: Sequence[Source] = ()
) -> StakeholderGraph:
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
    if type(version) is not int or version not in (SCHEMA_VERSION, OBSERVATIONS_VERSION):
        raise ValidationError(
            Problem(
                f"unsupported or missing schema version {version!r}; this stakegraph reads versions "
                f"{SCHEMA_VERSION} and {OBSERVATIONS_VERSION} "
                '(the document must start with {"stakegraph": 1, ...})',
                source,
                None,
                "stakegraph",
            )
        )
    people = doc.get("people", [])
    ties = doc.get("ties", [])
    observations = doc.get("observations", [])
    if version == SCHEMA_VERSION and "observations" in doc:
        problems.append(
            Problem(
                f'observations need version {OBSERVATIONS_VERSION}: start the document with {{"stakegraph": '
                f"{OBSERVATIONS_VERSION}, ...}}",
                source,
                None,
                "stakegraph",
            )
        )
    for name, value in (("people", people), ("ties", ties), ("observations", observations)):
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(Problem(f"'{name}' must be a list of objects", source, None, name))
    deal = doc.get("deal") or {}
    if not isinstance(deal, dict):
        problems.append(Problem("'deal' must be an object", source, None, "deal"))
    if problems:
        raise ValidationError(problems)
    pw = [(f"{source}: people[{i}]", None) for i in range(len(people))]
    tw = [(f"{source}: ties[{i}]", None) for i in range(len(ties))]
    ow = [(f"{source}: observations[{i}]", None) for i in range(len(observations))]
    try:
        return StakeholderGraph.from_records(
            people,
            ties,
            deal,
            people_where=pw,
            ties_where=tw,
            provenance=provenance,
            observations=observations,
            observations_where=ow,
            **(options or ReadOptions()).from_records(),
        )
    except ValidationError as e:
        fixed = [
            Problem(p.message, p.file if p.file not in ("<deal>",) else f"{source}: deal", p.line, p.field)
            for p in e.problems
        ]
        raise ValidationError(fixed) from None


_MAX_INT_DIGITS = 300
_STRING = r'"(?:[^"\\]|\\.)*"'
_CONSTANT = re.compile(_STRING + r"|(-?Infinity|NaN)")
_INTEGER = re.compile(_STRING + r"|(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class _Refused(Exception):
    """Raised from inside the JSON parser for a value the reader refuses."""


def _refuse_constant(token: str) -> Any:
    raise _Refused(token)


def _parse_int(token: str) -> int:
    if len(token.lstrip("-")) > _MAX_INT_DIGITS:
        raise _Refused(token)
    return int(token)


def _located(text: str, pos: int, message: str, name: str) -> ValidationError:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return ValidationError(Problem(message, name, line, f"column {column}"))


def _first(pattern: re.Pattern[str], text: str, ok: Callable[[re.Match[str]], bool]) -> int:
    """The offset of the first match (outside strings) that ``ok`` accepts; 0 when none does."""
    for m in pattern.finditer(text):
        if m.group(1) is not None and ok(m):
            return m.start(1)
    return 0


def _deepest(text: str) -> tuple[int, int]:
    """The deepest nesting of arrays and objects (outside strings), and the offset where it is reached."""
    depth = best = at = 0
    for m in re.finditer(_STRING + r"|[\[{]|[\]}]", text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > best:
                best, at = depth, m.start()
        elif c in "]}":
            depth -= 1
    return best, at


def _parse(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise ValidationError(
            Problem(f"not valid JSON: {e.msg}", name, e.lineno, f"column {e.colno}")
        ) from None
    except _Refused as e:
        token = str(e)
        if token.lstrip("-") in ("NaN", "Infinity"):
            pos = _first(_CONSTANT, text, lambda m: True)
            msg = f"{token} is not a JSON number; write a number, or null for a missing value"
        else:
            pos = _first(
                _INTEGER,
                text,
                lambda m: not m.group(2) and not m.group(3) and len(m.group(1).lstrip("-")) > _MAX_INT_DIGITS,
            )
            msg = (
                f"an integer of {len(token.lstrip('-'))} digits; integers have at most {_MAX_INT_DIGITS} digits "
                "(write a decimal number, or the value as text in quotes)"
            )
        raise _located(text, pos, msg, name) from None
    except RecursionError:
        depth, pos = _deepest(text)
        raise _located(
            text,
            pos,
            f"arrays and objects nested {depth} deep, too deep to read; a stakegraph document nests a few levels",
            name,
        ) from None


def read_json(
    src: PathOrFile,
    *,
    encoding: str = "auto",
    vocabulary: VocabularySource = None,
    duplicates: str = "error",
    strength_scale: float | None = None,
    dayfirst: bool | None = None,
) -> StakeholderGraph:
    """Read a graph from a JSON document (path or file object).

    The document is UTF-8 as JSON asks; ``encoding="auto"`` also reads it
    with a byte-order mark (UTF-16, UTF-32) or in a legacy encoding, as
    :func:`~stakegraph.read_csv` does. ``vocabulary``, ``duplicates``,
    ``strength_scale`` and ``dayfirst`` are as for
    :meth:`StakeholderGraph.from_records`.

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
    decoded, name = read_source(src, "<stream>", encoding=encoding)
    doc = _parse(decoded.text, name)
    if isinstance(doc, dict) and "snapshots" in doc and "people" not in doc:
        raise ValidationError(
            Problem("this document holds several snapshots; use read_snapshots()", name, None, "snapshots")
        )
    records = (
        len(doc.get("people") or []) if isinstance(doc, dict) and isinstance(doc.get("people"), list) else 0
    )
    return graph_from_dict(
        doc,
        source=name,
        options=ReadOptions(vocabulary, duplicates, strength_scale, dayfirst),
        provenance=[Source(name, "json", decoded.encoding, decoded.confidence, records)],
    )


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
    write_bytes(text.encode("utf-8"), dst)
    return None


def read_snapshots(src: PathOrFile) -> list[StakeholderGraph]:
    """Read dated snapshots of one account, oldest first.

    ``src`` is a JSON document ``{"stakegraph": 1, "snapshots": [doc, ...]}``
    or a folder of ``*.json`` documents, each with ``deal.as_of`` set.
    """
    graphs: list[StakeholderGraph] = []
    problems: list[Problem] = []
    if isinstance(src, (str, os.PathLike)) and Path(src).is_dir():
        for p in sorted(Path(src).glob("*.json")):
            try:
                graphs.append(read_json(p))
            except ValidationError as e:  # report every file's problems at once
                problems += e.problems
        if problems:
            raise ValidationError(problems)
    else:
        text, name = read_text(src, "<stream>")
        doc = _parse(text, name)
        if not isinstance(doc, dict) or not isinstance(doc.get("snapshots"), list):
            raise ValidationError(
                Problem('expected {"stakegraph": 1, "snapshots": [...]}', name, None, "snapshots")
            )
        for i, d in enumerate(doc["snapshots"]):
            try:
                graphs.append(graph_from_dict(d, source=f"{name}: snapshots[{i}]"))
            except ValidationError as e:
                problems += e.problems
        if problems:
            raise ValidationError(problems)
    dated = [(g.deal.as_of, i, g) for i, g in enumerate(graphs)]
    missing = [i for when, i, _ in dated if when is None]
    if missing:
        raise ValidationError(f"snapshots {missing} have no deal.as_of date; every snapshot needs one")
    return [g for _, _, g in sorted((when, i, g) for when, i, g in dated if when is not None)]


def write_snapshots(
    graphs: list[StakeholderGraph], dst: PathOrFile | None = None, *, indent: int | None = 2
) -> str | None:
    """Write several snapshots of one account into one JSON document."""
    doc = {"stakegraph": SCHEMA_VERSION, "snapshots": [graph_to_dict(g) for g in graphs]}
    return _write_text(json.dumps(doc, ensure_ascii=False, indent=indent, default=_json_default) + "\n", dst)
