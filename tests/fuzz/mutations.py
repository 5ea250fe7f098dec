"""Mutations of valid files of every format, and the check every mutated input must pass.

Shared by the fuzz tests (derandomized, a few hundred cases per format) and
``benchmarks/fuzz.py`` (as many cases as asked for, with a table of outcomes).
"""

from __future__ import annotations

import functools
import io
import random
import warnings
from pathlib import Path
from typing import Any

import stakegraph as sg

FORMATS = ("json", "csv", "graphml", "gexf", "xlsx", "csv-zh", "salesforce", "hubspot")
"""The inputs fuzzed: stakegraph's own formats (the CSV folder with its ties, deal and informants'
reports), the Chinese example in GBK with the method's Chinese words, and two CRM exports."""

_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_HUBSPOT = {
    "contacts.csv": (
        "Record ID,First Name,Last Name,Email,Job Title,Buying Role,Associated Deal IDs\n"
        "501,Grace,Okafor,grace@example.com,CFO,Budget Holder;Decision Maker,9001\n"
        "502,Tom,Reyes,tom@example.com,Head of IT,Champion,9001\n"
        "503,Ines,Duarte,ines@example.com,Security lead,Blocker,9001\n"
    ),
    "deals.csv": (
        "Record ID,Deal Name,Deal Stage,Close Date,Amount,Pipeline\n"
        "9001,Acme renewal,Contract Sent,2027-01-31,120000,Sales Pipeline\n"
    ),
}
_HUGE = [b"9" * 400, b"1e999", b"-1e999", b"NaN", b"Infinity", b"1" * 5000, b"0." + b"0" * 400 + b"1"]
_TEXT = [
    "\u202e",
    "\ufeff",
    "\u0430dmin",
    "Ａ",
    "<!--",
    "</script>",
    "=cmd|'/c calc'!A1",
    "\x00",
    "\udcff",
    "王",
]


@functools.cache
def valid(fmt: str) -> dict[str, bytes]:
    """Valid files of ``fmt``, by name: the bank account in stakegraph's formats (informants' reports
    included where the format holds them), the examples' files for the others.

    Made once per process (a workbook holds the time it was written), so a seed means one input.
    Callers must not change the dict."""
    if fmt == "csv-zh":
        return {f: (_EXAMPLES / "zh" / f).read_bytes() for f in ("people.csv", "ties.csv", "deal.csv")}
    if fmt == "salesforce":
        return {f.name: f.read_bytes() for f in sorted((_EXAMPLES / "salesforce").glob("*.csv"))}
    if fmt == "hubspot":
        return {f: text.encode("utf-8") for f, text in _HUBSPOT.items()}
    g = sg.datasets.load("bank")
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "json":
            return {"g.json": sg.write_json(g).encode("utf-8")}
        if fmt == "csv":
            from stakegraph.io.csvio import _csv_texts

            return {f: text.encode("utf-8") for f, text in _csv_texts(g).items()}
        {"graphml": sg.write_graphml, "gexf": sg.write_gexf, "xlsx": sg.write_xlsx}[fmt](g, buf)
    return {f"g.{fmt}": buf.getvalue()}


def mutate_files(files: dict[str, bytes], rng: random.Random) -> dict[str, bytes]:
    """``files`` with one of them mutated (see :func:`mutate`)."""
    name = rng.choice(sorted(files))
    return {**files, name: mutate(files[name], rng)}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits: bit flips, truncation, byte runs, huge numbers, odd text, encodings, BOMs."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(9)
        at = rng.randrange(len(out) + 1) if out else 0
        if kind == 0 and out:  # flip bits
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(out))
                out[i] ^= 1 << rng.randrange(8)
        elif kind == 1:  # truncate
            del out[at:]
        elif kind == 2:  # a run of random bytes
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 3:  # a huge or non-finite number where a number was
            digits = [i for i, b in enumerate(out) if 48 <= b <= 57]
            if digits:
                i = rng.choice(digits)
                out[i : i + 1] = rng.choice(_HUGE)
        elif kind == 4:  # confusable, invisible or dangerous text
            out[at:at] = rng.choice(_TEXT).encode("utf-8", "surrogatepass")
        elif kind == 5:  # re-encode
            try:
                text = bytes(out).decode("utf-8")
                out = bytearray(
                    text.encode(rng.choice(["utf-16", "utf-16-be", "gb18030", "latin-1"]), "replace")
                )
            except (UnicodeError, LookupError):
                pass
        elif kind == 6:  # a byte-order mark
            out[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
        elif kind == 7:  # duplicate a line (a duplicated column name, row or element)
            lines = bytes(out).split(b"\n")
            if lines:
                j = rng.randrange(len(lines))
                lines.insert(j, lines[j])
                out = bytearray(b"\n".join(lines))
        else:  # drop a line (a missing column, row or closing tag)
            lines = bytes(out).split(b"\n")
            if len(lines) > 1:
                del lines[rng.randrange(len(lines))]
                out = bytearray(b"\n".join(lines))
    return bytes(out)


def read(fmt: str, files: dict[str, bytes]) -> sg.StakeholderGraph:
    """The graph stakegraph reads from ``files`` of ``fmt`` (file objects: nothing touches the disk)."""
    src = {f: io.BytesIO(data) for f, data in files.items()}
    if fmt in ("csv", "csv-zh"):
        return sg.read_csv(
            src["people.csv"],
            src.get("ties.csv"),
            deal=src.get("deal.csv"),
            observations=src.get("observations.csv"),
        )
    if fmt in ("salesforce", "hubspot"):
        return sg.read_crm(list(src.values()), preset=fmt)
    (one,) = src.values()
    return {
        "json": sg.read_json,
        "graphml": sg.read_graphml,
        "gexf": sg.read_gexf,
        "xlsx": sg.read_xlsx,
    }[fmt](one)


def _through(fmt: str, g: sg.StakeholderGraph) -> sg.StakeholderGraph:
    """``g`` written in ``fmt`` and read back (in memory)."""
    if fmt == "csv":
        from stakegraph.io.csvio import _csv_texts

        return read("csv", {f: text.encode("utf-8") for f, text in _csv_texts(g).items()})
    buf = io.BytesIO()
    {"graphml": sg.write_graphml, "gexf": sg.write_gexf, "xlsx": sg.write_xlsx}[fmt](g, buf)
    return read(fmt, {f"g.{fmt}": buf.getvalue()})


def outcome(fmt: str, files: dict[str, bytes]) -> tuple[str, Any]:
    """``("loaded", graph)`` when the input loads and survives a round trip through every format,
    ``("refused", error)`` for a ValidationError (or another StakegraphError), else ``("crash", exc)``
    or ``("lost", exc)``.

    Surviving a round trip: JSON gives the graph back exactly; CSV, GraphML, GEXF and ``.xlsx`` keep
    every person and tie and, having turned what they cannot type (extras as text, informants' reports
    left out of GraphML and GEXF) once, give the same graph on every later trip.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = read(fmt, files)
    except sg.StakegraphError as e:
        return "refused", e
    except Exception as e:  # what the suite exists to catch
        return "crash", e
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = sg.read_json(io.StringIO(sg.write_json(g)))
            assert back == g, "JSON round trip changed the graph"
            for other in ("csv", "graphml", "gexf", "xlsx"):
                once = _through(other, g)
                assert (len(once), len(once.ties)) == (len(g), len(g.ties)), f"{other} lost people or ties"
                assert list(once.people) == list(g.people), f"{other} changed the ids"
                assert _through(other, once) == once, f"a second {other} round trip changed the graph"
    except Exception as e:
        return "lost", e
    return "loaded", g
