"""The method's semantics and words, in one place: the bottom layer every other module reads.

- :mod:`~stakegraph.method.vocabulary`: stances with their support values and
  cut-offs, reasons, roles and the decision group, tie kinds, sides, stages
  with their percentages;
- :mod:`~stakegraph.method.checks`: the checks of every parameter, with one
  wording per kind of rule;
- :mod:`~stakegraph.method.words`: how a person, a stance, a deal and a number
  read in text.

Change a cut-off or a wording here and the model, every analysis, every view
and the command line follow.
"""

from __future__ import annotations

from .checks import SEED_RULE, bad, check_bool, check_choice, check_float, check_int, check_seed, rng
from .vocabulary import (
    ACTIVE_SUPPORT,
    HOSTILE_BELOW,
    STANCE_CUTOFFS,
    Org,
    Reason,
    Role,
    Stage,
    Stance,
    TieKind,
    in_decision_group,
    is_active_against_us,
    is_active_for_us,
    opposition_codes,
    stance_codes,
    stance_of,
)
from .words import (
    DASH,
    deal_facts,
    describe_deal,
    finite_or_none,
    name_list,
    signed,
    stage_words,
    stance_phrase,
    stance_word,
    value,
    who,
)

__all__ = [
    "ACTIVE_SUPPORT",
    "DASH",
    "HOSTILE_BELOW",
    "SEED_RULE",
    "STANCE_CUTOFFS",
    "Org",
    "Reason",
    "Role",
    "Stage",
    "Stance",
    "TieKind",
    "bad",
    "check_bool",
    "check_choice",
    "check_float",
    "check_int",
    "check_seed",
    "deal_facts",
    "describe_deal",
    "finite_or_none",
    "in_decision_group",
    "is_active_against_us",
    "is_active_for_us",
    "name_list",
    "opposition_codes",
    "rng",
    "signed",
    "stage_words",
    "stance_codes",
    "stance_of",
    "stance_phrase",
    "stance_word",
    "value",
    "who",
]
