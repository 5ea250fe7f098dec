"""Pseudonymise a stakeholder graph before it leaves the account team.

:func:`anonymise` returns a copy of a graph in which nobody can be recognised
by name, yet every analysis gives the same numbers: the structure, stances,
roles, levels, powers and dates are kept, the words that identify people are
replaced or dropped.

Policy
------
============================  ===================================================
field                         what happens
============================  ===================================================
``id``                        a stable pseudonym ``p`` + 10 hex digits, the
                              HMAC-SHA256 of the id keyed with ``salt``: the same
                              person gets the same pseudonym in every snapshot
                              anonymised with the same salt
``name``                      "<role> <CODE>", e.g. ``"Decision maker 3F9A"``:
                              the main buying role (or the side: ``"Our team"``,
                              ``"Partner"``, ``"Competitor"``, ``"Staff"``) and
                              the first four digits of the pseudonym
``title``                     dropped (a title names its holder: there is one
                              CFO), unless ``keep_titles=True``
``department``                kept for the customer's people (an organisational
                              unit, needed for coverage and aggregation); for our
                              team, partners and competitors replaced by the side
                              (their department is usually a company name)
``notes``, ``needs``,         dropped: free text that often names people
``interests``
``owner``                     the pseudonym of that person when the owner is a
                              person of the graph (by id or name), else
                              ``"owner-<code>"``, so coverage by one owner is
                              still visible
extra attributes              dropped (they may hold e-mail addresses, phone
                              numbers, links)
stance, support, reason,      kept
roles, org, level, power,
openness, relationship,
``last_contact``
tie ``note`` and extras       dropped; kind and strength kept
informants' reports           kept with the pseudonyms of the people they name;
                              an informant who is not a person of the graph
                              (``"trade press"``) becomes ``"informant-<code>"``;
                              the report's ``note`` is dropped
deal ``name``                 ``"Account <CODE>"`` (the deal name usually names
                              the customer); stage and dates kept
deal ``competitors``          ``"Competitor 1"``, ``"Competitor 2"``, ...
============================  ===================================================

Without a ``salt`` anyone who knows a person's original id can recompute the
pseudonym; pass a secret ``salt`` when that matters.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .method.vocabulary import Org, Role

if TYPE_CHECKING:  # pragma: no cover
    from .model import StakeholderGraph

__all__ = ["anonymise", "anonymise_with_map", "pseudonym", "role_label", "scrub_text"]

_ROLE_ORDER = (
    Role.DECISION_MAKER,
    Role.SPONSOR,
    Role.APPROVER,
    Role.EVALUATOR,
    Role.PROCUREMENT,
    Role.INFLUENCER,
    Role.GATEKEEPER,
    Role.COACH,
    Role.USER,
)
_SIDE_LABEL = {Org.US: "Our team", Org.PARTNER: "Partner", Org.COMPETITOR: "Competitor"}
_NOT_NAMES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "phd",
        "the",
        "and",
        "von",
        "van",
        "der",
        "den",
        "del",
        "della",
        "les",
        "bin",
        "jr",
        "sr",
    }
)


def pseudonym(person_id: str, *, salt: str = "", length: int = 10) -> str:
    """The stable pseudonym of an id: ``p`` and ``length`` hex digits of HMAC-SHA256(salt, id).

    Examples
    --------
    >>> pseudonym("wang") == pseudonym("wang"), pseudonym("wang") == pseudonym("wang", salt="s3cret")
    (True, False)
    >>> len(pseudonym("wang"))
    11
    """
    digest = hmac.new(salt.encode("utf-8"), str(person_id).encode("utf-8"), hashlib.sha256).hexdigest()
    return "p" + digest[:length]


def role_label(roles: Any, org: Org | str = Org.CUSTOMER) -> str:
    """A person's main buying role in words, or their side outside the customer.

    Examples
    --------
    >>> role_label(["user", "decision_maker"])
    'Decision maker'
    >>> role_label([], "us"), role_label([])
    ('Our team', 'Staff')
    """
    o = Org.parse(org)
    if o in _SIDE_LABEL:
        return _SIDE_LABEL[o]
    have = {Role.parse(r) for r in roles}
    for r in _ROLE_ORDER:
        if r in have:
            return r.value.replace("_", " ").capitalize()
    return "Staff"


def anonymise(graph: "StakeholderGraph", *, salt: str = "", keep_titles: bool = False) -> "StakeholderGraph":
    """A copy of ``graph`` with stable pseudonyms, following the policy of this module.

    Parameters
    ----------
    graph : StakeholderGraph
    salt : str, default ""
        Key of the pseudonyms. The same salt gives the same pseudonyms, so
        anonymised snapshots of one account can still be compared.
    keep_titles : bool, default False
        Keep job titles (they often identify their holder, so they are dropped
        by default).

    Returns
    -------
    StakeholderGraph
        A new graph; ``graph`` is not changed.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("wang", name="Wang Li", title="CFO", department="Finance", roles=["decision_maker"],
    ...              notes="plays golf with the CEO")
    >>> a = sg.anonymise(g)
    >>> p = a.person(sg.privacy.pseudonym("wang"))
    >>> p.name.startswith("Decision maker "), p.title, p.department, p.notes
    (True, '', 'Finance', '')
    """
    return anonymise_with_map(graph, salt=salt, keep_titles=keep_titles)[0]


def anonymise_with_map(
    graph: "StakeholderGraph", *, salt: str = "", keep_titles: bool = False
) -> tuple["StakeholderGraph", dict[str, str]]:
    """Like :func:`anonymise`, also returning the map original id -> pseudonym.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph(); g.add_person("li", name="Li Wei")
    >>> a, ids = anonymise_with_map(g)
    >>> ids["li"] in a
    True
    """
    from .model import Deal, Person, StakeholderGraph, Tie

    if not isinstance(salt, str):
        raise ValidationError(f"The 'salt' parameter of anonymise must be a str. Got {salt!r} instead.")
    ids = _pseudonyms(list(graph.people), salt)
    by_name: dict[str, str] = {}
    for pid, p in graph.people.items():
        if p.name:
            by_name.setdefault(p.name.strip().casefold(), ids[pid])
    people = []
    for pid, p in graph.people.items():
        new_id = ids[pid]
        code = new_id[1:5].upper()
        owner = ""
        if p.owner:
            key = p.owner.strip()
            if key in ids:
                owner = ids[key]
            elif key.casefold() in by_name:
                owner = by_name[key.casefold()]
            else:
                owner = "owner-" + pseudonym(key, salt=salt, length=4)[1:]
        people.append(
            Person(
                id=new_id,
                name=f"{role_label(p.roles, p.org)} {code}",
                title=p.title if keep_titles else "",
                department=p.department if p.org is Org.CUSTOMER else _SIDE_LABEL[p.org],
                org=p.org,
                level=p.level,
                roles=p.roles,
                stance=p.stance,
                support=p.support,
                reason=p.reason,
                power=p.power,
                openness=p.openness,
                relationship=p.relationship,
                owner=owner,
                last_contact=p.last_contact,
            )
        )
    ties = [
        Tie(source=ids[t.source], target=ids[t.target], kind=t.kind, strength=t.strength) for t in graph.ties
    ]
    d = graph.deal
    deal = Deal(
        name=f"Account {pseudonym(d.name, salt=salt, length=4)[1:].upper()}" if d.name else "",
        stage=d.stage,
        decision_date=d.decision_date,
        as_of=d.as_of,
        competitors=tuple(f"Competitor {i + 1}" for i in range(len(d.competitors))),
    )
    out = StakeholderGraph(people, ties, deal, model=graph.model)
    for o in graph.observations:  # the reports stay, told by pseudonyms; notes are free text and go
        informant = ids.get(o.informant) or "informant-" + pseudonym(o.informant, salt=salt, length=4)[1:]
        out.observe(
            informant,
            o.about,
            ids[o.subject],
            o.value,
            target=ids[o.target] if o.target is not None else None,
            present=o.present,
            strength=o.strength,
            date=o.date,
            confidence=o.confidence,
        )
    return out, ids


def _pseudonyms(person_ids: list[str], salt: str) -> dict[str, str]:
    length = 10
    while True:
        out = {pid: pseudonym(pid, salt=salt, length=length) for pid in person_ids}
        if len(set(out.values())) == len(out):
            return out
        length += 2  # a collision of 40-bit codes: lengthen every pseudonym  # pragma: no cover


def scrub_text(
    text: str,
    graph: "StakeholderGraph",
    ids: Mapping[str, str],
    *,
    anonymous: "StakeholderGraph | None" = None,
) -> str:
    """Replace every name (and each first or last name alone), title and id of ``graph`` in ``text``.

    Names become the anonymised name (or the pseudonym), titles the role in words.
    Used on free text that analyses produced from the original graph (finding
    messages, for instance) before it goes into an anonymised output.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph(); g.add_person("wang", name="Wang Li", roles=["decision_maker"])
    >>> a, ids = anonymise_with_map(g)
    >>> out = scrub_text("Wang Li (wang) was never met", g, ids, anonymous=a)
    >>> "Wang" in out, "wang" in out, out.endswith("was never met")
    (False, False, True)
    """
    import re

    if not text:
        return text
    repl: dict[str, str] = {}
    parts: dict[str, str] = {}
    for pid, p in graph.people.items():
        new = ids.get(pid, "")
        new_name = anonymous.person(new).name if anonymous is not None and new in anonymous else new
        for name in (p.name, p.extra.get("name_latin") if p.extra else None):
            if isinstance(name, str) and name.strip():
                repl[name.strip()] = new_name
                for token in re.split(r"[\s,;()]+", name):  # a first or last name on its own
                    token = token.strip(".")
                    if len(token) >= 3 and token[0].isupper() and token.lower() not in _NOT_NAMES:
                        parts.setdefault(token, new_name)
        if p.title:
            repl[p.title] = role_label(p.roles, p.org).lower()
        repl[pid] = new
    for token, new_name in parts.items():
        repl.setdefault(token, new_name)
    if not repl:
        return text
    keys = sorted(repl, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
    return pattern.sub(lambda m: repl[m.group(1)], text)
