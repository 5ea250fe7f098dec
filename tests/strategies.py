"""Hypothesis strategies for stakegraph: valid people, ties, deals and whole graphs.

Use ``graphs()`` for a complete valid :class:`~stakegraph.StakeholderGraph`:
unicode names (CJK included), every enum value, optional fields present or
absent, extra attributes, dates, a valid reporting forest (one manager at
most, no cycle), ties of every kind and a deal.

Extra attributes are non-blank strings: CSV files carry extras as text only,
so a graph drawn here survives every format unchanged. Texts hold no
character XML cannot carry (control characters other than tab, newline and
carriage return), and list items (competitors) hold no ``;``, the separator of
list fields in CSV and GraphML. Numbers are finite and never subnormal
(a strength of 5e-324 is valid but makes ``1 / strength`` overflow, which
tells nothing about stakeholder graphs).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from hypothesis import strategies as st

from stakegraph import Deal, Org, Reason, Role, Stage, StakeholderGraph, Stance, TieKind
from stakegraph.model import DEAL_FIELDS, PERSON_FIELDS, TIE_FIELDS

__all__ = [
    "dates",
    "deals",
    "degenerate_graphs",
    "extras",
    "graphs",
    "names",
    "person_ids",
    "person_records",
    "texts",
    "unit_floats",
]

# Real-looking names in several scripts, so examples are not all random noise.
NAMES = [
    "王建國",
    "李小龍",
    "陳美玲",
    "Li Wei",
    "Zoë Ørsted",
    "José Núñez",
    "Ólafur Arnalds",
    "Мария Иванова",
    "محمد علي",
    "דוד לוי",
    "佐藤 花子",
    "김민준",
    "Nguyễn Văn An",
    "Ana-María O'Neil",
    "Dr. K. Müller, PhD",
]
DEPARTMENTS = ["IT", "Operations", "Risk", "Finance", "Procurement", "Board", "信息技术部", ""]

# Characters any of the formats can carry: every assigned, non-surrogate
# code point except control characters, plus tab, newline and carriage return.
_chars = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")),
    st.sampled_from(["\t", "\n", "\r", ";", ",", '"', "'", "<", "&", " "]),
)


@cache
def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    """Unicode text (CJK, accents, punctuation, quotes, separators, newlines)."""
    return st.text(_chars, min_size=min_size, max_size=max_size)


@cache
def names() -> st.SearchStrategy[str]:
    """A person's name: a real-looking one in some script, random text, or empty."""
    return st.one_of(st.sampled_from(NAMES), texts(0, 10))


# ids: letters and digits of any script, and a little punctuation, never blank.
_id_chars = st.one_of(
    st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo", "Nd")),
    st.sampled_from(list("_-.@")),
)


@cache
def person_ids() -> st.SearchStrategy[str]:
    """A person id (letters or digits of any script, ``_-.@``)."""
    return st.text(_id_chars, min_size=1, max_size=6)


@cache
def unit_floats() -> st.SearchStrategy[float]:
    """A float in [0, 1], with the ends and odd values such as 0.1 + 0.2."""
    return st.one_of(
        st.sampled_from([0.0, 1.0, 0.5, 0.1 + 0.2]),
        st.floats(min_value=0, max_value=1, allow_nan=False, allow_subnormal=False),
    )


@cache
def dates() -> st.SearchStrategy[dt.date]:
    """A calendar date between 1950 and 2100."""
    return st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


_extra_key_chars = st.one_of(
    st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo", "Nd")),
    st.sampled_from(list("_:- ")),
)
# Names file formats reserve or that look like fields, to exercise escaping.
_TRICKY_KEYS = [
    "label",
    "weight",
    "kind",
    "id",
    "key",
    "type",
    "pid",
    "viz",
    "start",
    "end",
    "networkx_key",
    "node_default",
    "edge_default",
    "mode",
    "extra:x",
    "Name",
    "ROLES",
    "年龄",
    "linked in",
]


@cache
def extras(reserved: tuple[str, ...] = PERSON_FIELDS) -> st.SearchStrategy[dict[str, str]]:
    """Extra attributes: names that are not field names (some tricky), non-blank string values."""
    key = st.one_of(st.sampled_from(_TRICKY_KEYS), st.text(_extra_key_chars, min_size=1, max_size=8))
    key = key.map(str.strip).filter(lambda k: k and k not in reserved and k != "extra")
    value = texts(1, 10).filter(lambda s: s.strip())
    return st.dictionaries(key, value, max_size=3)


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


# Strategies are built once: building them anew on every draw dominates the run time.
_PERSON_FIELD_STRATEGIES = {
    "name": names(),
    "title": _maybe(texts(0, 8)),
    "department": st.sampled_from(DEPARTMENTS),
    "org": st.sampled_from(list(Org)),
    "level": _maybe(st.integers(0, 6)),
    "roles": st.lists(st.sampled_from(list(Role)), unique=True, max_size=3),
    "support": _maybe(st.floats(-1, 1, allow_nan=False, allow_subnormal=False)),
    "power": _maybe(st.floats(0, 10, allow_nan=False, allow_subnormal=False)),
    "openness": _maybe(unit_floats()),
    "relationship": _maybe(unit_floats()),
    "owner": _maybe(texts(0, 6)),
    "last_contact": _maybe(dates()),
    "needs": _maybe(texts()),
    "interests": _maybe(texts()),
    "notes": _maybe(texts(0, 20)),
}
_STANCES = st.sampled_from(list(Stance))
_REASONS = {True: _maybe(st.just(Reason.BACKSLIDING)), False: _maybe(st.sampled_from(list(Reason)))}
_DROP = st.sets(st.sampled_from(PERSON_FIELDS[1:]), max_size=6)


@st.composite
def person_records(draw: st.DrawFn, pid: str) -> dict:
    """The fields of one valid person, as a record for ``StakeholderGraph.from_records``.

    Any field may be left out altogether, as in a sparse file.
    """
    drop = draw(_DROP)
    stance = draw(_STANCES)
    rec: dict = {"id": pid}
    for f, strategy in _PERSON_FIELD_STRATEGIES.items():
        if f not in drop:
            rec[f] = draw(strategy)
    if "stance" not in drop:
        rec["stance"] = stance
    if "reason" not in drop:
        rec["reason"] = draw(_REASONS[stance.supportive and "stance" not in drop])
    rec.update(draw(extras(PERSON_FIELDS)))
    return rec


_competitor = texts(1, 8).map(lambda s: s.replace(";", "").strip()).filter(bool)


_DEAL_NAMES = st.one_of(st.just(""), st.sampled_from(["Core banking", "核心系统", "CRM renewal"]), texts())
_STAGES = _maybe(st.sampled_from(list(Stage)))
_COMPETITORS = st.lists(_competitor, max_size=3)


@st.composite
def deals(draw: st.DrawFn) -> Deal:
    """A valid deal: any stage or none, dates, competitors, extras."""
    return Deal(
        name=draw(_DEAL_NAMES),
        stage=draw(_STAGES),
        decision_date=draw(_maybe(dates())),
        competitors=tuple(draw(_COMPETITORS)),
        as_of=draw(_maybe(dates())),
        extra=draw(extras(DEAL_FIELDS)),
    )


_strengths = st.one_of(
    st.just(1.0),
    st.sampled_from([0.5, 0.1 + 0.2]),
    st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False, allow_subnormal=False),
)
_OTHER_KINDS = st.sampled_from([k for k in TieKind if k is not TieKind.REPORTS_TO])
_NOTES = texts(0, 10)


@st.composite
def graphs(draw: st.DrawFn, min_people: int = 0, max_people: int = 8, max_ties: int = 14) -> StakeholderGraph:
    """A valid StakeholderGraph.

    People come in id order; each may report to one earlier person (so the
    reporting lines form a forest); other ties of every kind join random
    pairs (one tie per pair and kind). Ties and people carry extras, the
    graph a deal.
    """
    ids = draw(st.lists(person_ids(), min_size=min_people, max_size=max_people, unique=True))
    people = [draw(person_records(pid)) for pid in ids]
    ties: list[dict] = []
    seen: set[tuple[str, str, str]] = set()

    def tie_fields() -> dict:
        rec = {"strength": draw(_strengths)}
        if draw(st.booleans()):
            rec["note"] = draw(_NOTES)
        rec.update(draw(extras(TIE_FIELDS)))
        return rec

    for i in range(1, len(ids)):
        if draw(st.booleans()):
            boss = ids[draw(st.integers(0, i - 1))]
            ties.append({"source": ids[i], "target": boss, "kind": TieKind.REPORTS_TO, **tie_fields()})
    if len(ids) >= 2:
        n_other = draw(st.integers(0, max_ties))
        for _ in range(n_other):
            a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            kind = draw(_OTHER_KINDS)
            key = (min(a, b), max(a, b), kind.value) if kind.mutual else (a, b, kind.value)
            if key in seen:
                continue
            seen.add(key)
            ties.append({"source": a, "target": b, "kind": kind, **tie_fields()})
    # every kind's order in the file is random, so shuffle the ties
    ties = draw(st.permutations(ties)) if ties else ties
    return StakeholderGraph.from_records(people, ties, draw(deals()))


_EXTREMES = {
    "openness": st.sampled_from([None, 0.0, 1.0]),
    "strength": st.sampled_from([None, 1e-300, 1.0]),
    "power": st.sampled_from([None, 0.0, 1e-300, 1e12]),
    "level": st.sampled_from([None, 0, 1000]),
    "support": st.sampled_from([None, -1.0, 0.0, 1.0]),
}


@st.composite
def degenerate_graphs(draw: st.DrawFn, max_people: int = 7) -> StakeholderGraph:
    """A valid graph at the edges of what the analyses meet: nobody, one person, no ties; every customer
    of one stance (all hostile, all unknown...); no decision-maker or several; openness 0 or 1 everywhere;
    strengths of 1e-300; powers of 0, 1e-300 or 1e12; levels 0 or 1000; our own team present or absent.

    Each extreme is drawn once for the whole graph (``None`` leaves that field to vary person by person),
    so one example holds the case whole: "openness 0 everywhere", not openness 0 for one person.
    """
    n = draw(st.integers(0, max_people))
    stance = draw(st.one_of(st.none(), _STANCES))
    fixed = {f: draw(strategy) for f, strategy in _EXTREMES.items()}
    deciders = draw(st.integers(0, min(n, 3)))
    people: list[dict] = []
    for i in range(n):
        rec: dict = {
            "id": f"p{i}",
            "stance": stance if stance is not None else draw(_STANCES),
            "roles": [Role.DECISION_MAKER]
            if i < deciders
            else draw(st.sampled_from([[], [Role.INFLUENCER]])),
            "org": Org.CUSTOMER if i else draw(st.sampled_from([Org.CUSTOMER, Org.US])),
        }
        for f in ("openness", "power", "level", "support"):
            value = fixed[f] if fixed[f] is not None else draw(_maybe(_ORDINARY[f]))
            if value is not None:
                rec[f] = value
        people.append(rec)
    ties: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    if n >= 2:
        for i in range(1, n):
            if draw(st.booleans()):
                ties.append(
                    {"source": f"p{i}", "target": f"p{draw(st.integers(0, i - 1))}", "kind": "reports_to"}
                )
        for _ in range(draw(st.integers(0, 2 * n))):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            kind = draw(_OTHER_KINDS)
            key = (min(a, b), max(a, b), kind.value) if kind.mutual else (a, b, kind.value)
            if key in seen:
                continue
            seen.add(key)
            ties.append({"source": f"p{a}", "target": f"p{b}", "kind": kind})
        for t in ties:
            t["strength"] = fixed["strength"] if fixed["strength"] is not None else draw(_strengths)
    return StakeholderGraph.from_records(
        people, ties, Deal(competitors=("Acme",) if draw(st.booleans()) else ())
    )


_ORDINARY = {
    "openness": unit_floats(),
    "power": st.floats(0, 10, allow_nan=False, allow_subnormal=False),
    "level": st.integers(0, 6),
    "support": st.floats(-1, 1, allow_nan=False, allow_subnormal=False),
}
