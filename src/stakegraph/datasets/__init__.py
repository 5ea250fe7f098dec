"""Embedded example accounts and real organisational network data.

- ``bank``: a sample account written for stakegraph: Northbridge Regional Bank
  (fictional) choosing a core-banking platform, with our team, a partner and
  a competitor around the customer; ``bank_later`` is the same account four
  weeks later, after support has shifted.
- ``krackhardt``: Krackhardt's (1987) 21 high-tech managers (advice,
  friendship, reports-to), real data; ``krackhardt_css`` adds every manager's
  perception of the whole advice and friendship network as observations
  (13,230 reports, for :func:`stakegraph.fuse`).
- ``lazega``: Lazega's (2001) 71 lawyers of a corporate law firm (advice,
  friendship, co-work), real data.
- :func:`synthetic_org`: seeded organisations of any size, for tests and
  benchmarks.

Every call to :func:`load` returns a new graph, so it may be changed freely.
:func:`describe` gives each data set's provenance, citation, terms, size and
direction conventions; the citation of the real data sets also travels in the
graph's deal (``g.deal.extra["citation"]``).

Examples
--------
>>> import stakegraph as sg
>>> sg.datasets.names()
['bank', 'bank_later', 'krackhardt', 'krackhardt_css', 'lazega']
>>> g = sg.datasets.load("bank")
>>> g.deal.stage.value, len(g.decision_makers())
('deep_contact', 1)
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from typing import Literal

from ..errors import ValidationError, closest
from ..io.jsonio import read_json
from ..method.vocabulary import Org, TieKind
from ..method.words import describe_deal
from ..model import StakeholderGraph
from ._real import REAL, readme_section
from .synthetic import synthetic_org

__all__ = ["describe", "load", "names", "synthetic_org"]

DatasetName = Literal["bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"]

_JSON = {"bank": "bank.json", "bank_later": "bank_later.json"}

_BANK_TEXT = """\
A sample account written for stakegraph. Northbridge Regional Bank (fictional: 140 branches,
1.1 million customers) is replacing its 1990s mainframe core. Our company, Halden Software, offers
Halden Core with the systems integrator Brightwater Consulting as partner; the competitor is
Vantora. The customer's people span the board, the executive team, IT, operations, risk, finance
and procurement, with formal reporting lines (reports_to, dotted_line) and hidden ties (advises,
influences, friend, rival, knows).

What an analyst should find in it: the CEO, the decision-maker, has never been met and is reached
only through his executive assistant (a gatekeeper) or insiders; the head of core systems is our
champion and coach; the COO is a powerful hostile close to the competitor's account director; the
principal architect (王建國), four levels below the top, is asked for his view by the CIO, the CEO
and the risk team, so his hidden influence far exceeds his place on the chart; several contacts
are older than 90 days; every stance, non-support reason and buying role occurs."""

_BANK_LATER_TEXT = """\
The bank account (see describe("bank")) four weeks later. Changes: the head of financial planning
slipped from supporter to skeptic (reason backsliding) after the COO sent her the competitor's cost
comparison; the head of IT security, misinformed about data residency, became an ally after our
security deep-dive; a new chief information security officer (Naomi Fischer, stance unknown, not
yet met) joined, and the head of IT security now reports to her. Ties gained: the CISO's reporting
line, the head of IT security's new line and his advice to the CISO, the COO's influence on the
head of financial planning; ties lost: the head of IT security's line to the CIO and the
competitor's influence on him."""

_FICTION_TERMS = """\
Fictional: every person, company and figure was invented for stakegraph; any resemblance to real
people or organisations is coincidental. Distributed with stakegraph under its BSD-3-Clause
licence; free to use, change and redistribute."""

_FICTION_CITATION = "stakegraph sample account (no external source); cite stakegraph if you publish results."

_DIRECTIONS = {
    "bank": (
        "reports_to and dotted_line: source reports to target. advises and influences: source influences\n"
        "target. friend, rival and knows: mutual (stored with the smaller id first). Strengths in (0, 1]\n"
        "estimate how much weight the tie carries; relationship (0..1) is our own relationship with the\n"
        "person; last_contact is relative to the deal's as_of date."
    ),
    "krackhardt": (
        "The data's advice nomination i -> j means 'i goes to j for advice'; it is loaded as an\n"
        "advises tie j -> i (the advisor influences the one who asks), so the number of advises ties a\n"
        "person is the source of equals their advice in-degree in the data. friendship nominations\n"
        "become one mutual friend tie per pair named in either direction (nominated_by keeps who named\n"
        "whom). reports_to: source reports to target. level = the data's level minus 1 (0 = CEO, manager\n"
        "7; 1 = vice presidents 2, 14, 18, 21; 2 = managers); department 'Department 1'..'Department 4'\n"
        "(none for the CEO); age and tenure (years) as extra attributes. Stances are unknown. Shipped:\n"
        "people.csv, relations.csv and the README (the cognitive social structure data are not)."
    ),
    "lazega": (
        "The data's advice nomination i -> j means 'i went to j for advice'; it is loaded as an advises\n"
        "tie j -> i (the advisor influences the one who asks). friendship nominations become one mutual\n"
        "friend tie per pair, cowork nominations one mutual knows tie per pair (nominated_by keeps who\n"
        "named whom). There are no formal reporting lines: level is 0 for the 36 partners and 1 for the\n"
        "35 associates; department = practice (litigation, corporate); status, office, gender,\n"
        "years_with_firm, age and law_school as extra attributes. Stances are unknown."
    ),
}
_DIRECTIONS["bank_later"] = _DIRECTIONS["bank"]
_DIRECTIONS["krackhardt_css"] = _DIRECTIONS["krackhardt"].replace(
    "Shipped:\npeople.csv, relations.csv and the README (the cognitive social structure data are not).",
    "Observations: perceiver p's\nview of every ordered pair for advice (present or absent, as an advises tie advisor -> asker) and\n"
    "of every unordered pair for friendship (present when p sees either naming the other), informant p.\n"
    "Shipped: people.csv, relations.csv, css_perceptions.csv and the README.",
)


def names() -> list[str]:
    """The names of the embedded data sets, for :func:`load` and :func:`describe`.

    Returns
    -------
    list of str
        Sorted names.

    See Also
    --------
    synthetic_org : generated organisations of any size.

    Examples
    --------
    >>> names()
    ['bank', 'bank_later', 'krackhardt', 'krackhardt_css', 'lazega']
    """
    return sorted([*_JSON, *REAL])


def _check_name(name: object, func: str) -> str:
    if isinstance(name, str) and name.strip().lower() in names():
        return name.strip().lower()
    allowed = ", ".join(repr(n) for n in names())
    text = f"The 'name' parameter of {func} must be one of {allowed}. Got {name!r} instead"
    hint = closest(name.strip().lower(), names()) if isinstance(name, str) else None
    text += f"; did you mean {hint!r}?" if hint else "."
    raise ValidationError(text)


def load(name: DatasetName) -> StakeholderGraph:
    """Load an embedded data set as a new :class:`~stakegraph.StakeholderGraph`.

    Parameters
    ----------
    name : {"bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"}
        See :func:`names` and :func:`describe`.

    Returns
    -------
    StakeholderGraph
        A fresh graph on every call.

    Raises
    ------
    ValidationError
        For an unknown name; the message suggests the closest name and lists
        them all.

    Examples
    --------
    >>> g = load("bank")
    >>> g.person("arch_lead").name, g.person("arch_lead").stance.value
    ('王建國', 'neutral')
    >>> k = load("krackhardt")
    >>> len(k), k.manager("2"), k.person("7").level
    (21, '7', 0)
    >>> load("bnak")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: The 'name' parameter of load must be one of 'bank', 'bank_later', 'krackhardt', 'krackhardt_css', 'lazega'. Got 'bnak' instead; did you mean 'bank'?
    """
    key = _check_name(name, "load")
    if key in _JSON:
        with files("stakegraph.datasets").joinpath("data").joinpath(_JSON[key]).open("rb") as fh:
            return read_json(fh)
    return REAL[key]()


def _size(g: StakeholderGraph) -> str:
    sides = Counter(p.org.value for p in g.people.values())
    side_text = ", ".join(f"{sides[o.value]} {o.value}" for o in Org if sides[o.value])
    kinds = Counter(t.kind.value for t in g.ties)
    kind_text = ", ".join(f"{kinds[k.value]} {k.value}" for k in TieKind if kinds[k.value])
    return f"{len(g)} people ({side_text}); {len(g.ties)} ties ({kind_text})"


def _deal_line(g: StakeholderGraph) -> str:
    return describe_deal(g.deal)


def describe(name: DatasetName) -> str:
    """What a data set is: provenance, citation, licence or terms, size and direction conventions.

    Parameters
    ----------
    name : {"bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"}

    Returns
    -------
    str
        Plain text, one section per heading (``Size``, ``Directions``,
        ``Provenance``, ``Citation``, ``Terms``); the real data sets quote their
        README's provenance, citation and terms.

    Raises
    ------
    ValidationError
        For an unknown name.

    Examples
    --------
    >>> text = describe("krackhardt")
    >>> text.splitlines()[0]
    'krackhardt: Krackhardt (1987) high-tech managers'
    >>> "Cognitive social structures" in text, "21 people (21 customer)" in text
    (True, True)
    >>> print(describe("bank").splitlines()[2])
    Size: 37 people (30 customer, 4 us, 1 partner, 2 competitor); 104 ties (28 reports_to, 2 dotted_line, 19 advises, 8 influences, 10 friend, 2 rival, 35 knows)
    """
    key = _check_name(name, "describe")
    g = load(key)  # type: ignore[arg-type]
    title = f"{key}: {g.deal.name}"
    lines = [title, "=" * len(title), f"Size: {_size(g)}"]
    if g.observations:
        lines.append(
            f"Observations: {len(g.observations)} reports by {len({o.informant for o in g.observations})} informants"
        )
    if key in _JSON:
        lines.append(f"Deal: {_deal_line(g)}")
        about = _BANK_TEXT if key == "bank" else _BANK_LATER_TEXT
        provenance, citation, terms = about, _FICTION_CITATION, _FICTION_TERMS
    else:
        folder = key.removesuffix("_css")  # krackhardt_css is krackhardt's folder
        provenance = readme_section(folder, "Provenance")
        citation = readme_section(folder, "Citation")
        terms = readme_section(folder, "Licence / terms")
    lines += [
        "",
        "Directions",
        "----------",
        _DIRECTIONS[key],
        "",
        "Provenance",
        "----------",
        provenance,
        "",
        "Citation",
        "--------",
        citation,
        "",
        "Terms",
        "-----",
        terms,
    ]
    return "\n".join(lines) + "\n"
