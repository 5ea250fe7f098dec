"""Helpers shared by the readers and writers: sources, atomic writes, building graphs from records."""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import os
import shutil
import stat
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, Union

from ..errors import Problem, ValidationError
from ..method.lexicon import is_missing, word_key
from ..model import Deal, Source, StakeholderGraph, parse_deal

__all__ = [
    "CANDIDATES",
    "Decoded",
    "PathOrFile",
    "ReadOptions",
    "Table",
    "build_graph",
    "decode",
    "detect",
    "extra_text",
    "is_file_object",
    "read_bytes",
    "read_source",
    "read_text",
    "records_of",
    "source_name",
    "ties_by_name",
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


# byte-order marks, the longest first (a UTF-32 LE mark starts like a UTF-16 LE one)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

#: The encodings ``encoding="auto"`` chooses among when a file is not UTF-8 and has no byte-order mark:
#: Chinese (GB18030, which covers GBK and GB2312; Big5), Japanese (Shift_JIS) and Western European
#: (cp1252, which covers Latin-1's letters).
CANDIDATES = ("gb18030", "big5", "shift_jis", "cp1252")

# above this share of unlikely characters (charset-normalizer's "chaos") a decoding is a guess
_MAX_CHAOS = 0.2


@dataclass(frozen=True)
class Decoded:
    """Text read from bytes, with the encoding it was read in and how sure that choice is (0..1)."""

    text: str
    encoding: str
    confidence: float


def _located(raw: bytes, name: str, start: int, what: str, fix: str) -> ValidationError:
    line = raw[:start].count(b"\n") + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return ValidationError(
        Problem(
            f"{what} (byte 0x{raw[start]:02x} at byte offset {start}, column {column}); {fix}",
            name,
            line,
            None,
        )
    )


def _codec(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError):
        raise ValidationError(
            f"The 'encoding' parameter must be 'auto' or the name of a text encoding (such as 'utf-8', "
            f"'gb18030', 'big5', 'shift_jis', 'cp1252'). Got {encoding!r} instead."
        ) from None


def detect(raw: bytes, name: str, *, encoding: str = "auto", hint: str = "") -> Decoded:
    r"""Decode ``raw``: in ``encoding``, or with ``"auto"`` in the encoding the bytes show.

    ``"auto"``: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else
    UTF-8 when the bytes are UTF-8; else the most likely of
    :data:`CANDIDATES`, chosen by charset-normalizer (``stakegraph[import]``)
    among those that decode every byte. Bytes no candidate decodes, or decode
    only into unlikely text, are a ValidationError naming the file, the line
    and the byte offset, with the fix. A forced ``encoding`` decodes strictly.

    Examples
    --------
    >>> d = detect("名稱,職位\n王建國,財務總監\n".encode("big5"), "people.csv")
    >>> d.text.splitlines()[1], d.encoding
    ('王建國,財務總監', 'big5')
    >>> detect(b"\xef\xbb\xbfid\n", "x.csv").encoding
    'utf-8-sig'
    """
    fix = (
        "save the file as UTF-8" + (f" ({hint})" if hint else "") + " or pass encoding='...' (e.g. 'gb18030')"
    )
    if encoding != "auto":
        codec = _codec(encoding)
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as e:
            raise _located(
                raw,
                name,
                e.start,
                f"not {encoding} text",
                "save the file as UTF-8" + (f" ({hint})" if hint else "") + " or pass the encoding it is in",
            ) from None
        return Decoded(text.removeprefix("\ufeff"), codec, 1.0)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw[len(bom) :].decode(codec), "utf-8-sig" if codec == "utf-8" else codec, 1.0)
            except UnicodeDecodeError as e:
                family = codec.upper().removesuffix("-LE").removesuffix("-BE")
                what = f"starts with a {family} byte-order mark but is not {family} text"
                raise _located(raw, name, e.start + len(bom), what, fix) from None
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        import charset_normalizer
    except ImportError:
        raise _located(
            raw,
            name,
            first_bad,
            "not UTF-8 text",
            fix.replace(" or pass", ", install stakegraph[import] to detect its encoding, or pass"),
        ) from None
    matches = charset_normalizer.from_bytes(raw, cp_isolation=list(CANDIDATES), explain=False)
    best = None
    for m in matches:
        codec = _codec(m.encoding)
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if best is None or m.chaos < best[2]:
            best = (text, codec, float(m.chaos))
    if best is None or best[2] > _MAX_CHAOS:
        what = "not UTF-8 text, and not clearly any of " + ", ".join(CANDIDATES)
        raise _located(raw, name, first_bad, what, fix) from None
    text, codec, chaos = best
    return Decoded(text, codec, round(1.0 - chaos, 3))


def decode(raw: bytes, name: str, *, encoding: str = "auto", hint: str = "") -> str:
    """``raw`` as text (see :func:`detect`); anything undecodable a located ValidationError."""
    return detect(raw, name, encoding=encoding, hint=hint).text


def read_source(
    src: PathOrFile, default_name: str, *, encoding: str = "auto", hint: str = ""
) -> tuple[Decoded, str]:
    """The decoded text of a path or file object, and its name: the one way every reader opens its input.

    Paths go through :func:`read_bytes` (a missing file, a folder or a pipe
    is a ValidationError); bytes are decoded by :func:`detect`. Text file
    objects are taken as they are, a leading byte-order mark dropped.
    """
    if is_file_object(src):
        data: Any = src.read()  # type: ignore[union-attr]
        name = source_name(src, default_name)
        if isinstance(data, str):
            return Decoded(data.removeprefix("\ufeff"), "text", 1.0), name
        raw = bytes(data)
    else:
        raw, name = read_bytes(src, default_name)
    return detect(raw, name, encoding=encoding, hint=hint), name


def read_text(
    src: PathOrFile, default_name: str, *, encoding: str = "auto", hint: str = ""
) -> tuple[str, str]:
    """The text of a path or file object, and its name (see :func:`read_source`)."""
    decoded, name = read_source(src, default_name, encoding=encoding, hint=hint)
    return decoded.text, name


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


def _write_temp(tmp: str, data: bytes) -> None:
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _keep_copy(path: Path) -> str | None:
    """A second name for the file at ``path`` (a hard link, or a copy), so that it can be put back."""
    if not path.exists():
        return None
    bak = str(path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.bak"))
    try:
        os.link(path, bak)
    except OSError:
        shutil.copy2(path, bak)
    return bak


def write_files_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary name in its folder, then rename them all into place, or none.

    Nothing is renamed until every temporary file is complete, so a failed
    write (a full disk, a killed process) leaves the files already there
    untouched; should a rename fail, the files renamed before it are put
    back as they were. No temporary file is left behind.
    """
    temps: list[tuple[str, Path]] = []
    kept: list[tuple[str | None, Path]] = []
    try:
        for path, data in files.items():
            tmp = str(path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"))
            temps.append((tmp, path))
            _write_temp(tmp, data)
        try:
            for tmp, path in temps:
                kept.append((_keep_copy(path), path))
                os.replace(tmp, path)
        except BaseException:
            for bak, path in reversed(kept):  # the set is replaced as a whole or not at all
                if bak is not None:
                    os.replace(bak, path)
                elif path.exists():
                    os.unlink(path)
            raise
    finally:
        for name in [tmp for tmp, _ in temps] + [bak for bak, _ in kept if bak is not None]:
            if os.path.exists(name):
                os.unlink(name)


def extra_text(value: Any) -> str:
    """An extra attribute as text: strings as they are, dates ISO, anything else as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)


def ties_by_name(
    people: Sequence[Mapping[str, Any]], ties: Sequence[Mapping[str, Any]], where: Sequence[Where]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Ties whose ends name a person by name instead of id, rewritten to the id where the name is unique.

    An end that is an id stays as it is; one that is the name of two people is
    a problem naming both ids.
    """
    ids = {str(p.get("id", "")).strip() for p in people}
    by_name: dict[str, list[str]] = {}
    for p in people:
        name = p.get("name")
        if isinstance(name, str) and name.strip():
            by_name.setdefault(name.strip(), []).append(str(p.get("id", "")).strip())
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for rec, w in zip(ties, where):
        rec = dict(rec)
        for end in ("source", "target"):
            v = rec.get(end)
            if not isinstance(v, str) or v.strip() in ids or v.strip() not in by_name:
                continue
            named = by_name[v.strip()]
            if len(named) == 1:
                rec[end] = named[0]
            else:
                problems.append(
                    Problem(
                        f"{v.strip()!r} is the name of {len(named)} people (ids {', '.join(named)}); "
                        "name them by id in the ties",
                        w[0],
                        w[1],
                        end,
                    )
                )
        out.append(rec)
    return out, problems


@dataclass(frozen=True)
class ReadOptions:
    """How a loader reads values: the words accepted, repeated ties, the tie scale, day/month order.

    Every loader takes these as keyword arguments (``vocabulary=``,
    ``duplicates=``, ``strength_scale=``, ``dayfirst=``) and hands them on here.
    """

    vocabulary: Any = None
    duplicates: str = "error"
    strength_scale: float | None = None
    dayfirst: bool | None = None

    def from_records(self) -> dict[str, Any]:
        """The keyword arguments of :meth:`StakeholderGraph.from_records`."""
        return {
            "vocabulary": self.vocabulary,
            "duplicates": self.duplicates,
            "strength_scale": self.strength_scale,
            "dayfirst": self.dayfirst,
        }


def build_graph(
    people: Sequence[Mapping[str, Any]],
    ties: Sequence[Mapping[str, Any]],
    deal: Mapping[str, Any] | Deal | None,
    *,
    people_where: Sequence[Where],
    ties_where: Sequence[Where],
    deal_where: Where,
    problems: Sequence[Problem] = (),
    options: ReadOptions | None = None,
    provenance: Sequence[Source] = (),
    observations: Sequence[Mapping[str, Any]] = (),
    observations_where: Sequence[Where] = (),
) -> StakeholderGraph:
    """Build a graph from records, adding the deal's problems (located at ``deal_where``) to the rest."""
    opts = options if options is not None else ReadOptions()
    found = list(problems)
    if deal is None or isinstance(deal, Deal):
        deal_obj = deal if deal is not None else Deal()
    else:
        kw, probs = parse_deal(deal, where=deal_where, vocabulary=opts.vocabulary, dayfirst=opts.dayfirst)
        found += probs
        deal_obj = Deal(**kw) if not probs else Deal()
    try:
        g = StakeholderGraph.from_records(
            people,
            ties,
            deal_obj,
            people_where=people_where,
            ties_where=ties_where,
            provenance=provenance,
            observations=observations,
            observations_where=observations_where,
            **opts.from_records(),
        )
    except ValidationError as e:
        raise ValidationError(found + list(e.problems)) from None
    if found:
        raise ValidationError(found)
    return g


# ----------------------------------------------------------------------------- tables
def column_letter(index: int) -> str:
    """The spreadsheet letters of the 0-based column ``index`` (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Table:
    """One table of an input: a CSV file or a workbook's sheet, as its header and its non-empty rows.

    ``name`` is how problems name it (``people.csv``, ``account.xlsx[People]``);
    each row carries its line (the sheet's row number). In a sheet
    (``cells=True``) problems also name the cell (``C14``).
    """

    name: str
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str = "utf-8"
    confidence: float = 1.0
    cells: bool = False

    @classmethod
    def of(
        cls,
        name: str,
        rows: list[tuple[int, list[Any]]],
        decoded: Decoded | None = None,
        *,
        cells: bool = False,
    ) -> Table:
        """A table whose first row is its header (an empty table for no rows)."""
        enc = decoded.encoding if decoded is not None else "xlsx"
        conf = decoded.confidence if decoded is not None else 1.0
        if not rows:
            return cls(name, 1, [], [], enc, conf, cells)
        line, header = rows[0]
        return cls(name, line, [str(c) if c is not None else "" for c in header], rows[1:], enc, conf, cells)

    def where(self, line: int | None, column: int | None) -> dict[str, Any]:
        """The location of a cell as :class:`Problem` keywords (``file``, ``line``, and ``cell`` in a sheet)."""
        cell = (
            f"{column_letter(column)}{line}"
            if self.cells and column is not None and line is not None
            else None
        )
        return {"file": self.name, "line": line, "cell": cell}


def _columns(header: Sequence[str], fields: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """The header's cells as column names, each with a near-missed field (for a "did you mean") or None.

    A cell names a field when it is the field's name, or matches it case-,
    width- and space-insensitively (``Last Contact``) while no other cell
    names that field exactly; any other cell is an extra attribute, reported
    as a near miss when it is spelt close to a field the header lacks.
    """
    cells = [c.strip().removeprefix("\ufeff").strip() for c in header]
    exact = {c for c in cells if c in fields}
    out: list[tuple[str | None, str | None]] = []
    for col in cells:
        if not col:
            out.append((None, None))
            continue
        if col in fields:
            out.append((col, None))
            continue
        key = word_key(col)
        if key in fields and key not in exact:
            exact.add(key)
            out.append((key, None))
            continue
        missing = [f for f in fields if f not in exact]
        near = difflib.get_close_matches(key, missing, n=1, cutoff=0.8)
        out.append((col, near[0] if near else None))
    return out


def records_of(
    table: Table, required: Sequence[str], what: str, fields: Sequence[str]
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The rows of ``table`` as ``(line, {field or column: value})``, and the problems of its header and rows.

    Columns are matched to ``fields`` as :func:`_columns` says; a missing
    ``required`` column, a column named twice, a near-missed field name and a
    value beyond the header are problems.
    """
    problems: list[Problem] = []
    if not table.header and not table.rows:
        return [], problems
    columns: list[str | None] = []
    seen: set[str] = set()
    for i, (col, near) in enumerate(_columns(table.header, fields)):
        if col is None:
            columns.append(None)
            continue
        at = table.where(table.header_line, i)
        if near is not None:
            problems.append(
                Problem(
                    f"column {col!r} is not a {what} field; did you mean {near!r}? Rename the column "
                    f"(fields: {', '.join(fields)}; other columns are kept as extra attributes)",
                    field=col,
                    **at,
                )
            )
        if col in seen:
            problems.append(Problem(f"column {col!r} appears twice in the header", field=col, **at))
        seen.add(col)
        columns.append(col)
    for col in required:
        if col not in seen:
            found = ", ".join(c for c in columns if c) or "nothing"
            problems.append(
                Problem(
                    f"no {col!r} column: the header of the {what} file must name the columns "
                    f"{', '.join(required)} (found: {found})",
                    field=col,
                    **table.where(table.header_line, None),
                )
            )
    records: list[tuple[int, dict[str, Any]]] = []
    for line, row in table.rows:
        rec: dict[str, Any] = {}
        for i, cell in enumerate(row):
            key = columns[i] if i < len(columns) else None
            if key is not None:
                rec[key] = cell
            elif not is_missing(cell):
                if i < len(columns):
                    msg = f"column {i + 1} has no name in the header but holds {cell!r}; name the column"
                else:
                    msg = (
                        f"the line has {len(row)} values but the header names {len(columns)} columns "
                        f"(extra value {cell!r}); quote values that contain a comma"
                    )
                problems.append(Problem(msg, **table.where(line, i)))
                break
        records.append((line, rec))
    return records, problems


def locate_cells(problems: Sequence[Problem], tables: Sequence[Table]) -> list[Problem]:
    """``problems`` with the cell named where a problem lies in a sheet's known column.

    A problem found while building the graph knows its table, line and field;
    in a workbook the field's column turns that into a cell (``C14``).
    """
    columns: dict[str, dict[str, int]] = {}
    for t in tables:
        if t.cells:
            cols: dict[str, int] = {}
            for i, col in enumerate(t.header):
                if col.strip():
                    cols.setdefault(col.strip(), i)
                    cols.setdefault(word_key(col), i)
            columns[t.name] = cols
    out = []
    for p in problems:
        found = columns.get(p.file or "")
        if found is not None and p.cell is None and p.line is not None and p.field is not None:
            at = found.get(p.field, found.get(word_key(p.field)))
            if at is not None:
                p = Problem(p.message, p.file, p.line, p.field, f"{column_letter(at)}{p.line}")
        out.append(p)
    return out
