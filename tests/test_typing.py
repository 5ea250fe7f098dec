"""A downstream program sees the real types of the public API, not ``Any``."""

from __future__ import annotations

import textwrap

import pytest

api = pytest.importorskip("mypy.api")

SNIPPET = textwrap.dedent(
    """
    import stakegraph as sg

    g = sg.datasets.load("bank")
    reveal_type(sg.rank)
    reveal_type(sg.rank(g))
    reveal_type(g.compiled())
    reveal_type(sg.propagate(g).committee_support)
    reveal_type(sg.method.who)
    sg.rank(g, dampin=0.5)
    """
)


def test_reveal_type_of_the_public_api_is_the_real_signature(tmp_path):
    (tmp_path / "downstream.py").write_text(SNIPPET, encoding="utf-8")
    out, err, status = api.run(
        [
            str(tmp_path / "downstream.py"),
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
        ]
    )
    revealed = [line for line in out.splitlines() if "Revealed type" in line]
    assert len(revealed) == 5, out + err
    rank_sig, ranking, compiled, support, who = revealed
    assert (
        "def (g: stakegraph.model.StakeholderGraph, *," in rank_sig and "Any" not in rank_sig.split("->")[-1]
    )
    assert "stakegraph.analysis.rank.Ranking" in rank_sig and "influence:" in rank_sig
    assert "stakegraph.analysis.rank.Ranking" in ranking
    assert "stakegraph._compiled.CompiledGraph" in compiled
    assert support.endswith('"float"') or "builtins.float" in support
    assert "def (person:" in who and who.rstrip('"').endswith("-> str")
    assert 'Unexpected keyword argument "dampin"' in out
