"""Checks shared by the parameters of the analyses, views and generators (one message template for all).

Every check raises :class:`~stakegraph.errors.ValidationError` with the message
``"The {name!r} parameter of {func} must be {rule}. Got {value!r} instead."``,
and every kind of value has one wording of its rule:

==================  =================================================
kind                rule
==================  =================================================
int, no upper end   ``an int >= 1``
int in a range      ``an int in [1, 20]``
float               ``a float in (0, 1)``, ``a float in [0, inf)``
string option       ``one of 'fj', 'degroot'``
flag                ``a bool``
seed                ``an int >= 0, a numpy Generator or None``
optional value      the rule followed by ``or None``
==================  =================================================

numpy is imported only when a check needs it, so importing this module stays
cheap.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from ..errors import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "SEED_RULE",
    "bad",
    "check_bool",
    "check_choice",
    "check_float",
    "check_int",
    "check_seed",
    "rng",
    "unwritable",
]

SEED_RULE = "an int >= 0, a numpy Generator or None"
"""The rule of every ``seed`` parameter."""


def bad(func: str, name: str, rule: str, value: Any) -> ValidationError:
    """The ValidationError saying that parameter ``name`` of ``func`` must be ``rule`` and got ``value``.

    Examples
    --------
    >>> print(bad("rank", "damping", "a float in (0, 1)", 1.2))
    The 'damping' parameter of rank must be a float in (0, 1). Got 1.2 instead.
    """
    return ValidationError(f"The {name!r} parameter of {func} must be {rule}. Got {value!r} instead.")


@overload
def check_int(
    value: Any, name: str, func: str, *, low: int, high: int | None = None, none: Literal[False] = False
) -> int: ...


@overload
def check_int(
    value: Any, name: str, func: str, *, low: int, high: int | None = None, none: bool
) -> int | None: ...


def check_int(
    value: Any, name: str, func: str, *, low: int, high: int | None = None, none: bool = False
) -> int | None:
    """``value`` as an int in ``[low, high]`` (no upper end when ``high`` is None), or None when ``none`` allows.

    Any integral number but a bool passes (numpy integers too).

    Examples
    --------
    >>> check_int(3, "k", "paths", low=1)
    3
    >>> check_int(0, "k", "paths", low=1)
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'k' parameter of paths must be an int >= 1. Got 0 instead.
    >>> check_int(2.5, "team", "synthetic_org", low=1, high=20, none=True)
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'team' parameter of synthetic_org must be an int in [1, 20] or None. Got 2.5 instead.
    """
    if value is None and none:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or int(value) < low
        or (high is not None and int(value) > high)
    ):
        rule = f"an int >= {low}" if high is None else f"an int in [{low}, {high}]"
        raise bad(func, name, rule + (" or None" if none else ""), value)
    return int(value)


@overload
def check_float(
    value: Any,
    name: str,
    func: str,
    low: float,
    high: float,
    *,
    low_open: bool = True,
    high_open: bool = True,
    none: Literal[False] = False,
) -> float: ...


@overload
def check_float(
    value: Any,
    name: str,
    func: str,
    low: float,
    high: float,
    *,
    low_open: bool = True,
    high_open: bool = True,
    none: bool,
) -> float | None: ...


def check_float(
    value: Any,
    name: str,
    func: str,
    low: float,
    high: float,
    *,
    low_open: bool = True,
    high_open: bool = True,
    none: bool = False,
) -> float | None:
    """``value`` as a float between ``low`` and ``high`` (each end open or closed), or None when ``none`` allows.

    Any real number but a bool passes; nan never does, and an infinite value
    only when the range includes it (``high=math.inf, high_open=False``).

    Examples
    --------
    >>> check_float(0.85, "damping", "rank", 0.0, 1.0)
    0.85
    >>> check_float(1, "damping", "rank", 0.0, 1.0)
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'damping' parameter of rank must be a float in (0, 1). Got 1 instead.
    >>> check_float(float("nan"), "tol", "rank", 0.0, float("inf"), low_open=False)
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'tol' parameter of rank must be a float in [0, inf). Got nan instead.
    """
    if value is None and none:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    v = math.nan
    if ok:
        try:
            v = float(value)
        except OverflowError:  # an int or fraction beyond the float range
            v = math.inf if value > 0 else -math.inf
        # nan fails every comparison
        ok = (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        rule = f"a float in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise bad(func, name, rule + (" or None" if none else ""), value)
    return v


def check_choice(value: Any, name: str, func: str, allowed: Sequence[str]) -> str:
    """``value`` when it is one of the strings ``allowed``.

    Examples
    --------
    >>> check_choice("ic", "model", "propagate", ("fj", "degroot", "ic", "lt"))
    'ic'
    >>> check_choice("FJ", "model", "propagate", ("fj", "degroot", "ic", "lt"))
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'model' parameter of propagate must be one of 'fj', 'degroot', 'ic', 'lt'. Got 'FJ' instead.
    """
    if not isinstance(value, str) or value not in allowed:
        raise bad(func, name, "one of " + ", ".join(repr(a) for a in allowed), value)
    return value


def check_bool(value: Any, name: str, func: str) -> bool:
    """``value`` as a bool (a Python or numpy bool; 0 and 1 do not pass).

    Examples
    --------
    >>> check_bool(1, "lazy", "targets")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'lazy' parameter of targets must be a bool. Got 1 instead.
    """
    if isinstance(value, bool):
        return value
    import numpy as np

    if not isinstance(value, np.bool_):
        raise bad(func, name, "a bool", value)
    return bool(value)


def check_seed(seed: Any, func: str) -> int | np.random.Generator | None:
    """``seed`` when it is an int >= 0 (returned as an int), a numpy Generator or None.

    Examples
    --------
    >>> check_seed(-1, "rank")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'seed' parameter of rank must be an int >= 0, a numpy Generator or None. Got -1 instead.
    """
    if seed is None:
        return None
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and int(seed) >= 0:
        return int(seed)
    import numpy as np

    if isinstance(seed, np.random.Generator):
        return seed
    raise bad(func, "seed", SEED_RULE, seed)


def rng(seed: Any, func: str) -> np.random.Generator:
    """The generator of a checked ``seed``: the Generator itself, else ``np.random.default_rng(seed)``.

    Examples
    --------
    >>> g = rng(7, "propagate")
    >>> rng(g, "propagate") is g, float(rng(7, "propagate").random()) == float(rng(7, "propagate").random())
    (True, True)
    """
    import numpy as np

    return np.random.default_rng(check_seed(seed, func))


def unwritable(text: str) -> str | None:
    r"""What in ``text`` no output format can hold, in words; None when every character can be written.

    Refused: NUL and the other control characters but tab, newline and
    carriage return (XML cannot hold them), lone surrogates (no UTF-8 file
    can), and the Unicode non-characters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF
    and the last two code points of every plane).

    Examples
    --------
    >>> unwritable("Wang Li 王力") is None
    True
    >>> unwritable("a\x00b")
    'the control character U+0000 at position 2'
    >>> unwritable("x" + chr(0xD800)), unwritable("x\ufffe")
    ('the lone surrogate U+D800 at position 2', 'the non-character U+FFFE at position 2')
    """
    m = _UNWRITABLE.search(text)
    if m is None:
        return None
    o = ord(m.group())
    kind = "control character" if o < 0x20 else "lone surrogate" if 0xD800 <= o <= 0xDFFF else "non-character"
    return f"the {kind} U+{o:04X} at position {m.start() + 1}"


_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(1, 17))
    + "]"
)
