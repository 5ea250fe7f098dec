"""Mutated files of every format: a graph that loads and can be written in every format, or a StakegraphError.

Seeded and derandomized: the same few hundred cases every run. ``python
benchmarks/fuzz.py --cases 10000`` runs many more and prints the table of
docs/reliability.md.
"""

from __future__ import annotations

import random

import pytest
from mutations import FORMATS, mutate, outcome, valid

CASES = 120


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_mutated_file_loads_cleanly_or_is_refused(fmt):
    base = valid(fmt)
    assert outcome(fmt, base)[0] == "loaded"
    rng = random.Random(f"stakegraph-{fmt}")
    bad = []
    for k in range(CASES):
        data = mutate(base, rng)
        kind, detail = outcome(fmt, data)
        if kind in ("crash", "lost"):
            bad.append((k, kind, type(detail).__name__, str(detail)[:200]))
    assert bad == []
