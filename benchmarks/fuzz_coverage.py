"""Coverage-guided fuzzing of one loader with atheris (libFuzzer): a long run that steers its mutations
towards code the inputs have not reached yet.

The run starts from the valid input of ``--format`` (see benchmarks/fuzz.py
for the inputs) and mutates one of its files (``--file``, the first by name
unless given). Each input must load and survive a round trip through every
format, or be refused with a StakegraphError; any other outcome is saved
under ``tests/fuzz/corpus/`` (replayed by the suite from then on) and stops
the run with its traceback.

Needs ``pip install atheris`` (Linux and macOS wheels). Usage::

    python benchmarks/fuzz_coverage.py --format graphml --seconds 600
    python benchmarks/fuzz_coverage.py --format csv --file ties.csv --runs 200000

Arguments after ``--`` go to libFuzzer (``-- -jobs=2 -workers=2``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

with atheris.instrument_imports(include=["stakegraph"]):
    import mutations

from fuzz import save  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", required=True, choices=mutations.FORMATS)
    ap.add_argument("--file", help="which file of the input to mutate (default: the first by name)")
    ap.add_argument("--seconds", type=int, default=300, help="stop after this long (default 300)")
    ap.add_argument("--runs", type=int, default=-1, help="stop after this many inputs (default: no limit)")
    args, rest = ap.parse_known_args()
    base = mutations.valid(args.format)
    target = args.file or sorted(base)[0]
    if target not in base:
        ap.error(f"--file must be one of {', '.join(sorted(base))}")

    def one_input(data: bytes) -> None:
        files = {**base, target: data}
        kind, detail = mutations.outcome(args.format, files)
        if kind in ("crash", "lost"):
            print(f"\n{kind}: saved as {save(args.format, files)}", file=sys.stderr)
            raise detail

    seeds = Path(tempfile.mkdtemp(prefix="stakegraph-fuzz-"))
    (seeds / "valid").write_bytes(base[target])
    flags = [f"-max_total_time={args.seconds}", f"-runs={args.runs}", "-rss_limit_mb=8192"]
    atheris.Setup([sys.argv[0], *flags, *[r for r in rest if r != "--"], str(seeds)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
