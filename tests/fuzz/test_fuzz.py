"""Mutated files of every format: a graph that loads and survives a round trip through every format,
or a StakegraphError.

The mutations are drawn by hypothesis (derandomized in CI: the same cases every run) through the
``random.Random`` it hands out, so a failure shrinks to a small edit and prints the example that makes
it again. ``python benchmarks/fuzz.py --cases 10000`` runs many more and prints the table of
docs/reliability.md; every input it (or ``benchmarks/fuzz_coverage.py``) finds failing is saved under
``tests/fuzz/corpus/`` and replayed here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import FORMATS, mutate_files, outcome, valid

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_unmutated_files_load_and_round_trip(fmt):
    kind, detail = outcome(fmt, valid(fmt))
    assert kind == "loaded", detail
    assert len(detail) >= 3


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=125, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_every_mutated_file_loads_cleanly_or_is_refused(fmt, rng: random.Random):
    kind, detail = outcome(fmt, mutate_files(valid(fmt), rng))
    assert kind in ("loaded", "refused"), f"{kind}: {type(detail).__name__}: {detail}"


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("case", _corpus(), ids=lambda p: p.name)
def test_every_input_once_found_failing_now_loads_or_is_refused(case: Path):
    fmt = case.name.split("--")[0]
    files = {f.name: f.read_bytes() for f in sorted(case.iterdir())}
    kind, detail = outcome(fmt, files)
    assert kind in ("loaded", "refused"), f"{kind}: {type(detail).__name__}: {detail}"
