"""Fuzz every loader with mutated files and print the table of outcomes (docs/reliability.md).

Each case mutates one file of a valid input of one format (bit flips,
truncation, random byte runs, huge and non-finite numbers, confusable and
dangerous text, re-encoding, byte-order marks, duplicated and dropped lines)
and reads it. The inputs are stakegraph's own formats (JSON, the CSV folder
with its ties, deal and informants' reports, GraphML, GEXF, ``.xlsx``), the
Chinese example in GBK and two CRM exports (Salesforce, HubSpot). Every input
must either load and survive a round trip through every format, or be
refused with a StakegraphError. Crashes and lost round trips are listed with
the seed that makes them again; ``--save`` keeps each under
``tests/fuzz/corpus/``, where the suite replays it from then on.

Usage::

    python benchmarks/fuzz.py                       # 1,250 cases per format
    python benchmarks/fuzz.py --cases 5000 --save
    python benchmarks/fuzz.py --formats json,csv
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import random
import sys
import time
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "tests" / "fuzz"
sys.path.insert(0, str(FUZZ))

from mutations import FORMATS, mutate_files, outcome, valid  # noqa: E402


def save(fmt: str, files: dict[str, bytes]) -> Path:
    """Keep a failing input under tests/fuzz/corpus/<fmt>--<digest>/, one file per input file."""
    digest = hashlib.sha256(b"".join(files[f] for f in sorted(files))).hexdigest()[:12]
    out = FUZZ / "corpus" / f"{fmt}--{digest}"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return out


def xml_refusals() -> None:
    """How long GraphML and GEXF take to refuse documents that declare entities or a DTD."""
    import io

    import stakegraph as sg

    body = b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    docs = {
        "billion laughs (10^9 expansions)": f'<?xml version="1.0"?>\n<!DOCTYPE g [{laughs}]>\n'.encode()
        + body
        + b'<node id="&l9;"/></graph></graphml>',
        "external DTD": b'<?xml version="1.0"?>\n<!DOCTYPE graphml SYSTEM "http://example.com/evil.dtd">\n'
        + body
        + b"</graph></graphml>",
        "DOCTYPE after a 1 MB comment": b'<?xml version="1.0"?>\n<!--'
        + b"x" * 1_000_000
        + b'-->\n<!DOCTYPE g [<!ENTITY e "e">]>\n'
        + body
        + b"</graph></graphml>",
    }
    print("\n| XML refused | GraphML ms | GEXF ms |\n|---|---:|---:|")
    for label, doc in docs.items():
        times = []
        for read in (sg.read_graphml, sg.read_gexf):
            start = time.perf_counter()
            try:
                read(io.BytesIO(doc))
            except sg.ValidationError:
                times.append((time.perf_counter() - start) * 1000)
            else:
                raise SystemExit(f"{label} was read")
        print(f"| {label} | {times[0]:.1f} | {times[1]:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1250, help="cases per format")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, of: " + ", ".join(FORMATS))
    ap.add_argument("--save", action="store_true", help="keep failing inputs in tests/fuzz/corpus/")
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        ap.error(f"unknown format {', '.join(unknown)}; choose among {', '.join(FORMATS)}")
    print(
        "| input | cases | loaded and round-tripped | refused (ValidationError) | crashed | round trip lost | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    totals: collections.Counter[str] = collections.Counter()
    for fmt in formats:
        base = valid(fmt)
        counts: collections.Counter[str] = collections.Counter()
        start = time.perf_counter()
        for k in range(args.cases):
            rng = random.Random(f"{args.seed}-{fmt}-{k}")
            files = mutate_files(base, rng)
            kind, detail = outcome(fmt, files)
            counts[kind] += 1
            if kind in ("crash", "lost"):
                where = f" -> {save(fmt, files)}" if args.save else ""
                failures.append((fmt, k, kind, f"{type(detail).__name__}: {str(detail)[:160]}{where}"))
        totals.update(counts)
        print(
            f"| {fmt} | {args.cases:,} | {counts['loaded']:,} | {counts['refused']:,} | {counts['crash']} "
            f"| {counts['lost']} | {time.perf_counter() - start:.0f} |",
            flush=True,
        )
    n = args.cases * len(formats)
    print(
        f"| all | {n:,} | {totals['loaded']:,} | {totals['refused']:,} | {totals['crash']} | {totals['lost']} | |"
    )
    xml_refusals()
    for fmt, k, kind, text in failures[:50]:
        print(f"{kind}: {fmt} case {k} (seed '{args.seed}-{fmt}-{k}'): {text}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
