"""Helpers shared by the readers and writers: sources, atomic writes, building graphs from records."""

from __future__ import annotations

import datetime as _dt
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import IO, Any, Union

from ..errors import Problem, ValidationError
from ..model import Deal, StakeholderGraph, parse_deal

__all__ = [
    "PathOrFile",
    "build_graph",
    "extra_text",
    "is_file_object",
    "read_bytes",
    "read_text",
    "source_name",
    "write_files_atomically",
    "write_bytes",
]

PathOrFile = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]
Where = tuple[Any, Any]


def is_file_object(src: Any) -> bool:
    """True for an open file object (anything with ``read`` or ``write``)."""
    return hasattr(src, "read") or hasattr(src, "write")


def source_name(src: Any, default: str) -> str:
    """The name to use for ``src`` in error messages."""
    if is_file_object(src):
        name = getattr(src, "name", None)
        return str(name) if isinstance(name, (str, os.PathLike)) else default
    return str(src)


def read_bytes(src: PathOrFile, default_name: str) -> tuple[bytes, str]:
    """The raw content of a path or file object, and its name; a missing file is a ValidationError."""
    name = source_name(src, default_name)
    if is_file_object(src):
        data = src.read()  # type: ignore[union-attr]
        return (data.encode("utf-8") if isinstance(data, str) else bytes(data)), name
    path = Path(src)  # type: ignore[arg-type]
    try:
        return path.read_bytes(), name
    except FileNotFoundError:
        raise ValidationError(Problem("file not found", name, None, None)) from None
    except IsADirectoryError:
        raise ValidationError(Problem("is a folder, not a file", name, None, None)) from None


def read_text(src: PathOrFile, default_name: str) -> tuple[str, str]:
    """The text of a path or file object (UTF-8, a leading BOM dropped), and its name."""
    if is_file_object(src):
        data = src.read()  # type: ignore[union-attr]
        name = source_name(src, default_name)
        if isinstance(data, str):
            return data.removeprefix("\ufeff"), name
        raw = bytes(data)
    else:
        raw, name = read_bytes(src, default_name)
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ValidationError(
            Problem(
                f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                name,
                line,
                None,
            )
        ) from None


def write_bytes(data: bytes, dst: PathOrFile) -> None:
    """Write ``data`` to a file object, or atomically to a path (temporary file, then rename)."""
    if is_file_object(dst):
        try:
            dst.write(data)  # type: ignore[union-attr]
        except TypeError:
            dst.write(data.decode("utf-8"))  # type: ignore[union-attr]
        return
    write_files_atomically({Path(dst): data})  # type: ignore[arg-type]


def write_files_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary name in its folder, then rename them all into place.

    Nothing is renamed until every temporary file is complete, so an error
    leaves the files already there untouched.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            tmp = str(path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"))
            temps.append((tmp, path))
            with open(tmp, "xb") as fh:
                fh.write(data)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def extra_text(value: Any) -> str:
    """An extra attribute as text: strings as they are, dates ISO, anything else as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)


def build_graph(
    people: Sequence[Mapping[str, Any]],
    ties: Sequence[Mapping[str, Any]],
    deal: Mapping[str, Any] | Deal | None,
    *,
    people_where: Sequence[Where],
    ties_where: Sequence[Where],
    deal_where: Where,
    problems: Sequence[Problem] = (),
) -> StakeholderGraph:
    """Build a graph from records, adding the deal's problems (located at ``deal_where``) to the rest."""
    found = list(problems)
    if deal is None or isinstance(deal, Deal):
        deal_obj = deal if deal is not None else Deal()
    else:
        kw, probs = parse_deal(deal, where=deal_where)
        found += probs
        deal_obj = Deal(**kw) if not probs else Deal()
    try:
        g = StakeholderGraph.from_records(
            people, ties, deal_obj, people_where=people_where, ties_where=ties_where
        )
    except ValidationError as e:
        raise ValidationError(found + list(e.problems)) from None
    if found:
        raise ValidationError(found)
    return g
