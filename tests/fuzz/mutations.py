"""Mutations of valid files of every format, and the check every mutated input must pass.

Shared by the fuzz tests (derandomized, a few hundred cases per format) and
``benchmarks/fuzz.py`` (as many cases as asked for, with a table of outcomes).
"""

from __future__ import annotations

import io
import random
import warnings
from collections.abc import Callable
from typing import Any

import stakegraph as sg

FORMATS = ("json", "csv", "graphml", "gexf", "xlsx")

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


def valid(fmt: str) -> bytes:
    """A valid file of ``fmt`` holding the bank account (observations included where the format holds them)."""
    g = sg.datasets.load("bank")
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "json":
            return sg.write_json(g).encode("utf-8")
        if fmt == "csv":
            from stakegraph.io.csvio import _csv_texts

            return _csv_texts(g)["people.csv"].encode("utf-8")
        {"graphml": sg.write_graphml, "gexf": sg.write_gexf, "xlsx": sg.write_xlsx}[fmt](g, buf)
    return buf.getvalue()


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


def reader(fmt: str) -> Callable[[bytes], sg.StakeholderGraph]:
    def read(data: bytes) -> sg.StakeholderGraph:
        src = io.BytesIO(data)
        return {
            "json": sg.read_json,
            "csv": sg.read_csv,
            "graphml": sg.read_graphml,
            "gexf": sg.read_gexf,
            "xlsx": sg.read_xlsx,
        }[fmt](src)

    return read


def outcome(fmt: str, data: bytes) -> tuple[str, Any]:
    """``("loaded", graph)`` when the input loads and survives a round trip through every writer,
    ``("refused", error)`` for a ValidationError (or another StakegraphError), else ``("crash", exc)``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = reader(fmt)(data)
    except sg.StakegraphError as e:
        return "refused", e
    except Exception as e:  # what the suite exists to catch
        return "crash", e
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = sg.read_json(io.StringIO(sg.write_json(g)))
            assert back == g, "JSON round trip changed the graph"
            for write in (sg.write_graphml, sg.write_gexf, sg.write_xlsx):
                write(g, io.BytesIO())
            from stakegraph.io.csvio import _csv_texts

            _csv_texts(g)
    except Exception as e:
        return "lost", e
    return "loaded", g
