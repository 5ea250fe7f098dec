"""The shared parameter checks: accepted values, ranges, ends and the one message template."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

import stakegraph as sg
from stakegraph.analysis.diagnose import DiagnoseSettings
from stakegraph.method.checks import (
    SEED_RULE,
    bad,
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_seed,
    rng,
)


def message(name: str, func: str, rule: str, value: object) -> str:
    return f"The {name!r} parameter of {func} must be {rule}. Got {value!r} instead."


def test_bad_builds_the_template():
    e = bad("rank", "damping", "a float in (0, 1)", 1.2)
    assert isinstance(e, sg.ValidationError)
    assert str(e) == "The 'damping' parameter of rank must be a float in (0, 1). Got 1.2 instead."


@pytest.mark.parametrize("value, expected", [(1, 1), (7, 7), (np.int64(3), 3), (np.uint8(20), 20)])
def test_check_int_accepts_integers_in_range(value, expected):
    out = check_int(value, "k", "f", low=1, high=20)
    assert out == expected and type(out) is int


@pytest.mark.parametrize("value", [0, 21, -1, True, False, 2.0, 2.5, "3", None, np.float64(3.0)])
def test_check_int_rejects(value):
    with pytest.raises(sg.ValidationError) as e:
        check_int(value, "k", "f", low=1, high=20)
    assert str(e.value) == message("k", "f", "an int in [1, 20]", value)


def test_check_int_without_upper_end_and_none():
    assert check_int(10**12, "n", "f", low=0) == 10**12
    assert check_int(None, "n", "f", low=0, none=True) is None
    with pytest.raises(sg.ValidationError) as e:
        check_int(-1, "n", "f", low=0, none=True)
    assert str(e.value) == message("n", "f", "an int >= 0 or None", -1)
    with pytest.raises(sg.ValidationError) as e:
        check_int(None, "n", "f", low=0)
    assert str(e.value) == message("n", "f", "an int >= 0", None)


@pytest.mark.parametrize(
    "low_open, high_open, rule, inside, outside",
    [
        (True, True, "a float in (0, 1)", [0.5, 1e-300, np.float32(0.25)], [0, 0.0, 1, 1.0]),
        (False, True, "a float in [0, 1)", [0, 0.0, 0.999], [1, -1e-300]),
        (True, False, "a float in (0, 1]", [1, 1.0, Fraction(1, 4)], [0, 1.0000001]),
        (False, False, "a float in [0, 1]", [0, 1, np.float64(1.0)], [-0.1, 1.1]),
    ],
)
def test_check_float_ends(low_open, high_open, rule, inside, outside):
    for v in inside:
        out = check_float(v, "x", "f", 0.0, 1.0, low_open=low_open, high_open=high_open)
        assert out == float(v) and type(out) is float
    for v in [*outside, math.nan, math.inf, -math.inf, True, False, "0.5", None]:
        with pytest.raises(sg.ValidationError) as e:
            check_float(v, "x", "f", 0.0, 1.0, low_open=low_open, high_open=high_open)
        assert str(e.value) == message("x", "f", rule, v)


def test_check_float_infinity_only_when_the_range_holds_it():
    with pytest.raises(sg.ValidationError, match=r"must be a float in \(0, inf\)\. Got inf instead"):
        check_float(math.inf, "tol", "f", 0.0, math.inf)
    assert check_float(math.inf, "tol", "f", 0.0, math.inf, high_open=False) == math.inf
    assert check_float(-math.inf, "x", "f", -math.inf, 0.0, low_open=False) == -math.inf
    with pytest.raises(sg.ValidationError, match=r"must be a float in \(-inf, 0\]\. Got -inf instead"):
        check_float(-math.inf, "x", "f", -math.inf, 0.0, high_open=False)
    with pytest.raises(sg.ValidationError, match=r"must be a float in \(0, inf\]\. Got nan instead"):
        check_float(math.nan, "tol", "f", 0.0, math.inf, high_open=False)
    # an int beyond the float range is infinite, not a crash
    assert check_float(10**400, "tol", "f", 0.0, math.inf, high_open=False) == math.inf
    with pytest.raises(sg.ValidationError):
        check_float(10**400, "tol", "f", 0.0, math.inf)


def test_check_float_none():
    assert check_float(None, "x", "f", 0.0, math.inf, low_open=False, none=True) is None
    with pytest.raises(sg.ValidationError) as e:
        check_float(-1, "x", "f", 0.0, math.inf, low_open=False, none=True)
    assert str(e.value) == message("x", "f", "a float in [0, inf) or None", -1)


def test_check_choice():
    assert check_choice("ic", "model", "f", ("fj", "ic")) == "ic"
    for v in ["IC", "", None, 1, ["ic"]]:
        with pytest.raises(sg.ValidationError) as e:
            check_choice(v, "model", "f", ("fj", "ic"))
        assert str(e.value) == message("model", "f", "one of 'fj', 'ic'", v)


def test_check_bool():
    assert check_bool(True, "b", "f") is True
    assert check_bool(np.False_, "b", "f") is False
    for v in [0, 1, "yes", None, np.int64(1)]:
        with pytest.raises(sg.ValidationError) as e:
            check_bool(v, "b", "f")
        assert str(e.value) == message("b", "f", "a bool", v)


def test_check_seed_and_rng():
    gen = np.random.default_rng(1)
    assert check_seed(None, "f") is None
    assert check_seed(gen, "f") is gen
    assert check_seed(np.int64(5), "f") == 5 and type(check_seed(np.int64(5), "f")) is int
    assert rng(gen, "f") is gen
    assert rng(3, "f").random() == np.random.default_rng(3).random()
    for v in [-1, True, 1.0, "1", [1, 2], np.random.SeedSequence(1)]:
        for check in (check_seed, rng):
            with pytest.raises(sg.ValidationError) as e:
                check(v, "f")
            assert str(e.value) == message("seed", "f", SEED_RULE, v)


@pytest.mark.parametrize(
    "call, text",
    [
        (
            lambda g: sg.rank(g, pivots=0),
            "The 'pivots' parameter of rank must be an int >= 1. Got 0 instead.",
        ),
        (lambda g: sg.paths(g, k=0), "The 'k' parameter of paths must be an int >= 1. Got 0 instead."),
        (
            lambda g: sg.propagate(g, runs=0),
            "The 'runs' parameter of propagate must be an int >= 1. Got 0 instead.",
        ),
        (
            lambda g: sg.targets(g, runs=0),
            "The 'runs' parameter of targets must be an int >= 1. Got 0 instead.",
        ),
        (
            lambda g: sg.structure(g, seed=-2),
            f"The 'seed' parameter of structure must be {SEED_RULE}. Got -2 instead.",
        ),
        (
            lambda g: sg.targets(g, seed=-2, model="ic"),
            f"The 'seed' parameter of targets must be {SEED_RULE}. Got -2 instead.",
        ),
        (
            lambda g: sg.propagate(g, model="FJ"),
            "The 'model' parameter of propagate must be one of 'fj', 'degroot', 'ic', 'lt'. Got 'FJ' instead.",
        ),
        (
            lambda g: sg.targets(g, model="FJ"),
            "The 'model' parameter of targets must be one of 'fj', 'degroot', 'ic', 'lt'. Got 'FJ' instead.",
        ),
        (
            lambda g: sg.diagnose(g, stale_days=0),
            "The 'stale_days' parameter of diagnose must be an int >= 1 or None. Got 0 instead.",
        ),
        (
            lambda g: DiagnoseSettings(powerful_share=0),
            "The 'powerful_share' parameter of DiagnoseSettings must be a float in (0, 1]. Got 0 instead.",
        ),
        (
            lambda g: sg.datasets.synthetic_org(5),
            "The 'n' parameter of synthetic_org must be an int in [10, 10000000]. Got 5 instead.",
        ),
    ],
)
def test_analyses_share_one_wording(call, text):
    g = sg.datasets.load("bank")
    with pytest.raises(sg.ValidationError) as e:
        call(g)
    assert str(e.value) == text
