"""The vocabularies of the method, under their historical module name.

They live in :mod:`stakegraph.method.vocabulary` with their semantics (support
values, cut-offs, stage percentages); this module re-exports them.

Examples
--------
>>> from stakegraph.enums import Stance
>>> Stance.parse("Champion")
<Stance.CHAMPION: 'champion'>
"""

from __future__ import annotations

from .method.vocabulary import Org, Reason, Role, Stage, Stance, TieKind

__all__ = ["Org", "Reason", "Role", "Stage", "Stance", "TieKind"]
