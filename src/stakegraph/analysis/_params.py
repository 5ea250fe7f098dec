"""Checks shared by the analyses' parameters (one message template for all)."""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..model import StakeholderGraph

__all__ = ["check_graph"]


def check_graph(g: Any, func: str, name: str = "g") -> None:
    """Raise ValidationError unless ``g`` is a StakeholderGraph.

    Examples
    --------
    >>> check_graph("people.csv", "rank")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'g' parameter of rank must be a StakeholderGraph. Got str instead.
    """
    if not isinstance(g, StakeholderGraph):
        raise ValidationError(
            f"The {name!r} parameter of {func} must be a StakeholderGraph. Got {type(g).__name__} instead.")
