"""Helpers shared by the readers and writers: sources, atomic writes, building graphs from records."""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
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
    "decode",
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


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError(Problem(message, name, None, None))


def read_bytes(src: PathOrFile, default_name: str, *, limit: int | None = None) -> tuple[bytes, str]:
    """The raw content of a path or file object (at most ``limit`` bytes), and its name.

    A missing file, a folder, a pipe or a device, or a file that cannot be
    read, is a ValidationError naming the file and saying what to do.
    """
    name = source_name(src, default_name)
    if is_file_object(src):
        data = src.read() if limit is None else src.read(limit)  # type: ignore[union-attr]
        return (data.encode("utf-8") if isinstance(data, str) else bytes(data)), name
    path = Path(src)  # type: ignore[arg-type]
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _refuse(name, "file not found; check the path and the file name") from None
    except OSError as e:
        raise _refuse(
            name, f"cannot be read ({e.strerror or e}); check the path and its permissions"
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(name, "is a folder, not a file; name a file in it")
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(
            name, "is not a regular file (a pipe, socket or device); save the data to a file and name that"
        )
    try:
        with open(path, "rb") as fh:
            return (fh.read() if limit is None else fh.read(limit)), name
    except OSError as e:
        raise _refuse(
            name, f"cannot be read ({e.strerror or e}); check the path and its permissions"
        ) from None


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(raw: bytes, name: str, *, encoding: str = "utf-8", hint: str = "") -> str:
    """``raw`` as text: UTF-8 with or without a byte-order mark; anything else a located ValidationError.

    The problem names the file, the line and the byte offset of the first
    byte that is not UTF-8, and says to save the file as UTF-8 (``hint``
    adds how, for the program that usually writes such files).
    """
    if encoding.replace("_", "-").lower() not in ("utf-8", "utf8", "utf-8-sig"):
        raise ValueError(f"encoding {encoding!r} is not supported; files are read as 'utf-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        fix = "save the file as UTF-8" + (f" ({hint})" if hint else "")
        if raw.startswith(_UTF16_BOMS):
            message = f"UTF-16 text (it starts with the byte-order mark 0x{raw[:2].hex()}), not UTF-8; {fix}"
            line = 1
        else:
            line = raw[: e.start].count(b"\n") + 1
            message = f"not UTF-8 text: byte 0x{raw[e.start]:02x} at byte offset {e.start}; {fix}"
        raise ValidationError(Problem(message, name, line, None)) from None


def read_text(
    src: PathOrFile, default_name: str, *, encoding: str = "utf-8", hint: str = ""
) -> tuple[str, str]:
    """The text of a path or file object, and its name: the one way every reader opens its input.

    Paths go through :func:`read_bytes` (a missing file, a folder or a pipe
    is a ValidationError); bytes are decoded by :func:`decode` (UTF-8, a
    leading byte-order mark dropped; other bytes a located ValidationError).
    Text file objects are taken as they are, a leading byte-order mark
    dropped.
    """
    if is_file_object(src):
        data = src.read()  # type: ignore[union-attr]
        name = source_name(src, default_name)
        if isinstance(data, str):
            return data.removeprefix("\ufeff"), name
        raw = bytes(data)
    else:
        raw, name = read_bytes(src, default_name)
    return decode(raw, name, encoding=encoding, hint=hint), name


def write_bytes(data: bytes, dst: PathOrFile) -> None:
    """Write ``data`` to a file object, or atomically to a path (temporary file, then rename)."""
    if isinstance(dst, (str, os.PathLike)):
        write_files_atomically({Path(dst): data})
        return
    out: Any = dst  # a binary or a text stream: which one shows only when writing
    try:
        out.write(data)
    except TypeError:
        out.write(data.decode("utf-8"))


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
