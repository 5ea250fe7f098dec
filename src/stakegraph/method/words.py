"""How the method names things in text: people, stances, deals and numbers.

One function for each, used by the model, every analysis, every view and the
command line, so that a person, a stance or a deal reads the same in the CLI,
a finding, the report, the map and the slides.

Examples
--------
>>> import stakegraph as sg
>>> g = sg.datasets.load("bank")
>>> who(g.person("chair"))
'Eleanor Whitcombe (Chair of the Board)'
>>> describe_deal(g.deal)
'Northbridge core banking replacement; stage deep contact (30%); decision expected 2026-12-15; competing with Vantora; as of 2026-09-15'
>>> signed(0.25), signed(float("nan")), finite_or_none(float("inf"))
('+0.25', '—', None)
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from collections.abc import Sequence
from typing import Any, Protocol

from .vocabulary import Stage, Stance, stance_of

__all__ = [
    "DASH",
    "deal_facts",
    "describe_deal",
    "finite_or_none",
    "markdown_code",
    "markdown_text",
    "name_list",
    "signed",
    "stage_words",
    "stance_phrase",
    "stance_word",
    "value",
    "who",
]

DASH = "—"
"""What a missing or undefined number reads as."""


# what can format inline text (line-start syntax cannot occur inside the one line it is written into)
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;", "&": "&amp;"})


def markdown_text(text: Any) -> str:
    r"""Text for Markdown, on one line, that renders as itself: no emphasis, link, heading or raw HTML.

    Markdown's punctuation is backslash-escaped and ``<`` and ``&`` become
    entities, so a name or note can neither format the page nor inject HTML
    (Jupyter renders HTML in Markdown).

    Examples
    --------
    >>> print(markdown_text("<b>*Wang*</b> [x](javascript:1)"))
    &lt;b>\*Wang\*&lt;/b> \[x\](javascript:1)
    """
    return " ".join(str(text).split()).translate(_MARKDOWN)


def markdown_code(text: Any) -> str:
    """Text as a Markdown code span, whatever backticks it holds.

    Examples
    --------
    >>> markdown_code("cfo"), markdown_code("a`b")
    ('`cfo`', '`` a`b ``')
    """
    text = " ".join(str(text).split())
    if "`" not in text:
        return f"`{text}`"
    import re

    fence = "`" * (max(len(run) for run in re.findall("`+", text)) + 1)
    return f"{fence} {text} {fence}"


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...


class _DealLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def stage(self) -> Stage | None: ...
    @property
    def decision_date(self) -> _dt.date | None: ...
    @property
    def competitors(self) -> tuple[str, ...]: ...
    @property
    def as_of(self) -> _dt.date | None: ...


# ----------------------------------------------------------------------------- numbers
def finite_or_none(v: Any) -> float | None:
    """``v`` as a float for JSON, or None when it is None, nan or infinite.

    Examples
    --------
    >>> finite_or_none(1), finite_or_none(None), finite_or_none(float("nan")), finite_or_none(float("-inf"))
    (1.0, None, None, None)
    """
    if v is None or isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    try:
        f = float(v)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def signed(v: Any, digits: int = 2) -> str:
    """A support-like number with its sign (``+0.25``), or ``—`` when undefined.

    Examples
    --------
    >>> signed(0.5), signed(-0.125, 3), signed(None)
    ('+0.50', '-0.125', '—')
    """
    f = finite_or_none(v)
    return DASH if f is None else f"{f:+.{digits}f}"


def value(v: Any, digits: int = 2) -> str:
    """A number as a table cell shows it (``0.54``), ``—`` when undefined, ``yes``/blank for flags,
    lists joined by commas, anything else as its text.

    Examples
    --------
    >>> value(0.5412), value(float("nan")), value(True), value(["a", "b"]), value(3)
    ('0.54', '—', 'yes', 'a, b', '3')
    """
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "yes" if v else ""
    if v is None:
        return DASH
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = finite_or_none(v)
        return DASH if f is None else f"{f:.{digits}f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(value(x, digits) for x in v)
    return str(v)


# ----------------------------------------------------------------------------- people
def who(person: _Named, *, title: bool = True, note: str = "") -> str:
    """A person in running text: the name (or id), then the title and a note in brackets.

    Examples
    --------
    >>> import stakegraph as sg
    >>> p = sg.datasets.load("bank").person("chair")
    >>> who(p), who(p, title=False), who(p, note="gatekeeper")
    ('Eleanor Whitcombe (Chair of the Board)', 'Eleanor Whitcombe', 'Eleanor Whitcombe (Chair of the Board, gatekeeper)')
    """
    label = person.name or person.id
    extra = [x for x in ((person.title if title else ""), note) if x]
    return f"{label} ({', '.join(extra)})" if extra else label


def name_list(people: Sequence[_Named], *, title: bool = True, limit: int = 6) -> str:
    """Several people in running text: ``"A, B and C"``, at most ``limit`` named then ``"n more"``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.datasets.load("bank")
    >>> name_list([g.person("cfo"), g.person("cio")], title=False)
    'Helen Park and Marcus Lindqvist'
    """
    items = [who(p, title=title) for p in people]
    if len(items) > limit:
        items = items[:limit] + [f"{len(people) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ----------------------------------------------------------------------------- stances
def stance_word(stance: Stance | str, support: float | None = None) -> str:
    """The stance a person is known by: the stated stance, else the class of their support, else ``unknown``.

    Examples
    --------
    >>> stance_word("ally"), stance_word("unknown", 0.3), stance_word("unknown", float("nan"))
    ('ally', 'supporter', 'unknown')
    """
    s = Stance.parse(stance)
    if s is not Stance.UNKNOWN:
        return str(s.value)
    return stance_of(finite_or_none(support)).value


_ARTICLE = {
    "champion": "a champion",
    "ally": "an ally",
    "supporter": "a supporter",
    "skeptic": "a skeptic",
    "unknown": "of unknown stance",
}


def stance_phrase(stance: Stance | str, support: float | None = None) -> str:
    """What follows "is" in a sentence: ``a skeptic``, ``hostile``, ``neutral``, ``of unknown stance``.

    Examples
    --------
    >>> stance_phrase("ally"), stance_phrase("hostile"), stance_phrase("unknown")
    ('an ally', 'hostile', 'of unknown stance')
    """
    word = stance_word(stance, support)
    return _ARTICLE.get(word, word)


# ----------------------------------------------------------------------------- deals
def stage_words(stage: Stage | str) -> str:
    """A deal stage in text, with the method's percentage: ``stage deep contact (30%)``.

    Examples
    --------
    >>> stage_words("service")
    'stage service (110%)'
    """
    s = Stage.parse(stage)
    return f"stage {s.value.replace('_', ' ')} ({s.percent}%)"


def deal_facts(deal: _DealLike, *, name: bool = True) -> list[str]:
    """The facts of a deal, in the order every view gives them: name, stage, decision date, competitors, date.

    Examples
    --------
    >>> import stakegraph as sg
    >>> deal_facts(sg.Deal(stage="solution", competitors=("Acme",)))
    ['stage solution (10%)', 'competing with Acme']
    """
    out = [deal.name] if name and deal.name else []
    if deal.stage is not None:
        out.append(stage_words(deal.stage))
    if deal.decision_date is not None:
        out.append(f"decision expected {deal.decision_date.isoformat()}")
    if deal.competitors:
        out.append("competing with " + ", ".join(deal.competitors))
    if deal.as_of is not None:
        out.append(f"as of {deal.as_of.isoformat()}")
    return out


def describe_deal(deal: _DealLike, *, name: bool = True, sep: str = "; ") -> str:
    """The deal in one line: :func:`deal_facts` joined by ``sep``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> describe_deal(sg.Deal(name="Core banking", stage="deep_contact"), sep=" · ")
    'Core banking · stage deep contact (30%)'
    """
    return sep.join(deal_facts(deal, name=name))
