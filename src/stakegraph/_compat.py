"""Old spellings of parameters that keep working for one release, with a :class:`DeprecationWarning`.

Examples
--------
>>> import warnings
>>> @old_spellings(renamed={"max_steps": "max_iter"}, positional=("k",))
... def f(g, *, k=3, max_iter=10):
...     return k, max_iter
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     f(None, 5, max_steps=7)
(5, 7)
>>> for x in w:
...     print(x.category.__name__, x.message)
DeprecationWarning Passing k to f by position is deprecated and stops working in stakegraph 0.3: write f(g, k=...).
DeprecationWarning The 'max_steps' parameter of f is now called 'max_iter'; 'max_steps' stops working in stakegraph 0.3.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

__all__ = ["REMOVED_IN", "old_spellings"]

REMOVED_IN = "0.3"
"""The release in which the old spellings stop working."""

P = ParamSpec("P")
R = TypeVar("R")


def old_spellings(
    *, renamed: Mapping[str, str] | None = None, positional: Sequence[str] = ()
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept renamed keywords and options once given by position, warning once per call.

    ``renamed`` maps an old keyword to its new name; ``positional`` names, in
    order, the keyword-only options that callers used to pass by position
    after the function's own positional parameters. The decorated function
    keeps its signature (type checkers see only the new spellings).
    """
    renamed = dict(renamed or {})

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        params = inspect.signature(func).parameters.values()
        n_pos = sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > n_pos and positional:
                extra = args[n_pos:]
                if len(extra) > len(positional):
                    raise TypeError(f"{name}() takes {n_pos + len(positional)} positional arguments at most")
                names = positional[: len(extra)]
                for key, value in zip(names, extra):
                    if key in kwargs:
                        raise TypeError(f"{name}() got multiple values for argument {key!r}")
                    kwargs[key] = value
                args = args[:n_pos]
                warnings.warn(
                    f"Passing {', '.join(names)} to {name} by position is deprecated and stops working in "
                    f"stakegraph {REMOVED_IN}: write {name}(g, {names[0]}=...).",
                    DeprecationWarning,
                    stacklevel=2,
                )
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{name}() got both {old!r} and its new name {new!r}; pass only {new!r}"
                        )
                    kwargs[new] = kwargs.pop(old)
                    warnings.warn(
                        f"The {old!r} parameter of {name} is now called {new!r}; {old!r} stops working in "
                        f"stakegraph {REMOVED_IN}.",
                        DeprecationWarning,
                        stacklevel=2,
                    )
            return func(*args, **kwargs)

        return wrapper

    return decorate
