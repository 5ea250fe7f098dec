"""The file formats stakegraph reads and writes, in one table.

Every way in (``sg.read``, ``stakegraph.io``, the command line) finds a
format here: by its name, by the file's suffix, or by sniffing the file's
first bytes. Adding a format is one :class:`Format` entry in :data:`FORMATS`.

Examples
--------
>>> [f.name for f in formats()]
['json', 'csv', 'xlsx', 'graphml', 'gexf']
>>> format_for("account.GraphML").name, format_for("people.csv").name
('graphml', 'csv')
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import Problem, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from ..model import StakeholderGraph

__all__ = ["FORMATS", "Format", "csv_header", "csv_kind", "format_for", "formats", "read", "write"]

_HEAD = 1024  # bytes read to sniff a file's format


def _text_head(head: bytes) -> bytes:
    return head.lstrip(b"\xef\xbb\xbf").lstrip()


def _is_json(head: bytes) -> bool:
    return _text_head(head)[:1] == b"{"


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") and (b"xl/" in head or b"[Content_Types].xml" in head)


def _is_graphml(head: bytes) -> bool:
    return b"<graphml" in head


def _is_gexf(head: bytes) -> bool:
    return b"<gexf" in head


def _is_csv(head: bytes) -> bool:
    first = _text_head(head).split(b"\n", 1)[0].lower()
    return b"," in first and (b"id" in first or b"source" in first)


@dataclass(frozen=True)
class Format:
    """One file format: its name, suffixes, reader, writer and how to recognise its bytes.

    ``reader`` and ``writer`` are ``"module:function"`` names, imported on first
    use so that the table stays cheap to import.
    """

    name: str
    suffixes: tuple[str, ...]
    reader: str
    writer: str | None
    sniff: Callable[[bytes], bool]
    description: str

    def _function(self, spec: str) -> Callable[..., Any]:
        module, func = spec.split(":")
        fn: Callable[..., Any] = getattr(importlib.import_module(module), func)
        return fn

    def read(self, path: str | os.PathLike[str], **kwargs: Any) -> StakeholderGraph:
        """Read one graph from ``path`` with this format's reader."""
        graph: StakeholderGraph = self._function(self.reader)(path, **kwargs)
        return graph

    def write(self, graph: StakeholderGraph, path: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write ``graph`` to ``path`` with this format's writer."""
        if self.writer is None:  # pragma: no cover - every format has a writer today
            raise ValidationError(f"stakegraph cannot write {self.name} files.")
        self._function(self.writer)(graph, path, **kwargs)


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        (".json",),
        "stakegraph.io.jsonio:read_json",
        "stakegraph.io.jsonio:write_json",
        _is_json,
        "stakegraph's own JSON document",
    ),
    Format(
        "csv",
        (".csv", ".txt", ".tsv"),
        "stakegraph.io.csvio:read_csv",
        "stakegraph.io.csvio:write_csv",
        _is_csv,
        "people.csv and ties.csv (a folder, or the people file)",
    ),
    Format(
        "xlsx",
        (".xlsx", ".xlsm"),
        "stakegraph.io.xlsx:read_xlsx",
        "stakegraph.io.xlsx:write_xlsx",
        _is_xlsx,
        "an Excel workbook with People, Ties and Deal sheets",
    ),
    Format(
        "graphml",
        (".graphml",),
        "stakegraph.io.nxio:read_graphml",
        "stakegraph.io.nxio:write_graphml",
        _is_graphml,
        "GraphML (yEd, Gephi, networkx)",
    ),
    Format(
        "gexf",
        (".gexf",),
        "stakegraph.io.nxio:read_gexf",
        "stakegraph.io.nxio:write_gexf",
        _is_gexf,
        "GEXF (Gephi)",
    ),
)
"""Every format, in the order they are tried when sniffing."""


def formats() -> tuple[Format, ...]:
    """Every format stakegraph reads and writes.

    Examples
    --------
    >>> {f.name: f.suffixes for f in formats()}["csv"]
    ('.csv', '.txt', '.tsv')
    """
    return FORMATS


def _allowed() -> str:
    return "; ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in FORMATS)


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> Format:
    """The format of ``path``: ``fmt`` by name, else a folder is CSV, else by suffix, else by its first bytes.

    Raises
    ------
    ValidationError
        For an unknown ``fmt``, or a file whose format cannot be told, naming the formats allowed.

    Examples
    --------
    >>> format_for("export.dat", "gexf").name
    'gexf'
    >>> format_for("x.xyz")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: x.xyz: not a format stakegraph reads (no such file to sniff). Allowed: json (.json); csv (.csv, .txt, .tsv); xlsx (.xlsx, .xlsm); graphml (.graphml); gexf (.gexf). Pass fmt=... to choose one.
    """
    if fmt is not None:
        for f in FORMATS:
            if f.name == fmt:
                return f
        raise ValidationError(
            f"The 'fmt' parameter must be one of {', '.join(repr(f.name) for f in FORMATS)} or None. "
            f"Got {fmt!r} instead."
        )
    p = Path(os.fspath(path))
    if p.is_dir():
        return FORMATS[1]
    suffix = p.suffix.lower()
    for f in FORMATS:
        if suffix in f.suffixes:
            return f
    why = "no such file to sniff"
    if p.is_file():
        try:
            with p.open("rb") as fh:
                head = fh.read(_HEAD)
        except OSError as e:
            why = f"cannot be read: {e.strerror or e}"
        else:
            for f in FORMATS:
                if f.sniff(head):
                    return f
            why = "its content is none of them"
    raise ValidationError(
        Problem(
            f"not a format stakegraph reads ({why}). Allowed: {_allowed()}. Pass fmt=... to choose one.",
            str(p),
            None,
            None,
        )
    )


def csv_header(path: str | os.PathLike[str]) -> list[str]:
    """The cells of a CSV file's first line, decoded as the readers decode it (any encoding, ``,`` ``;`` or tab).

    Empty for a file that cannot be read or decoded: its reader reports why.
    """
    from ._common import detect, read_bytes

    try:
        head, _ = read_bytes(path, str(path), limit=4 * _HEAD)  # never blocks on a pipe: regular files only
    except ValidationError:
        return []
    for cut in range(4):  # the head may end inside a multi-byte character
        try:
            text = detect(head[: len(head) - cut], str(path)).text
            break
        except ValidationError:
            continue
    else:
        return []
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    sep = "\t" if "\t" in first and "," not in first else (";" if ";" in first and "," not in first else ",")
    return [c.strip().strip('"') for c in first.split(sep)]


def csv_kind(path: str | os.PathLike[str]) -> Literal["people", "ties", "deal"]:
    """Whether a CSV file holds people, ties or the deal, from its header (:func:`csv_header`).

    ``source`` and ``target`` mean ties; a header with no ``id`` but a
    ``stage`` or ``decision_date`` means the deal; anything else (also a file
    that cannot be decoded, which its reader reports) is people.
    """
    from ..method.lexicon import word_key

    cols = {word_key(c) for c in csv_header(path)}
    if {"source", "target"} <= cols:
        return "ties"
    if "id" not in cols and cols & {"stage", "decision_date"}:
        return "deal"
    return "people"


def read(path: str | os.PathLike[str], fmt: str | None = None, **kwargs: Any) -> StakeholderGraph:
    """Read a graph from any format stakegraph knows (see :func:`format_for`).

    Examples
    --------
    >>> import tempfile, pathlib, stakegraph as sg
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> g = sg.datasets.load("bank_later")
    >>> sg.io.write(g, d / "bank.graphml")
    >>> sg.io.read(d / "bank.graphml") == g
    True
    """
    if fmt is None and not os.path.lexists(os.fspath(path)):
        raise ValidationError(Problem("file not found; check the path and the file name", os.fspath(path)))
    return format_for(path, fmt).read(path, **kwargs)


def write(
    graph: StakeholderGraph, path: str | os.PathLike[str], fmt: str | None = None, **kwargs: Any
) -> None:
    """Write ``graph`` in the format of ``path``'s suffix (or ``fmt``); a folder gets CSV files."""
    p = Path(os.fspath(path))
    if fmt is None and not p.suffix:
        fmt = "csv"  # a folder of people.csv and ties.csv
    format_for(p, fmt).write(graph, p, **kwargs)
