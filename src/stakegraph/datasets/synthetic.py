"""Seeded synthetic organisations of any size, for tests and benchmarks.

:func:`synthetic_org` draws a customer organisation (a reporting tree under a
CEO, departments under the top, informal ties clustered by department, stances
and buying roles) with a small team of ours and one competitor around it. All
arrays are drawn with numpy from one generator, so the same seed always gives
the same graph, and the graph is assembled through the model's internal fast
path (the values satisfy every rule of the data model by construction).
"""

from __future__ import annotations

import datetime as _dt
import gc
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..method.checks import SEED_RULE, bad, check_float, check_int
from ..method.vocabulary import Org, Reason, Role, Stage, Stance, TieKind
from ..model import Deal, Person, StakeholderGraph, Tie

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["synthetic_org"]

MAX_PEOPLE = 10_000_000
AS_OF = _dt.date(2026, 9, 15)

_DEPARTMENTS = ("IT", "Operations", "Finance", "Procurement", "Risk", "Sales", "Human Resources", "Legal")
_HEAD_TITLES = {
    "IT": "Chief Information Officer",
    "Operations": "Chief Operating Officer",
    "Finance": "Chief Financial Officer",
    "Procurement": "Chief Procurement Officer",
    "Risk": "Chief Risk Officer",
    "Sales": "Chief Commercial Officer",
    "Human Resources": "Chief People Officer",
    "Legal": "General Counsel",
}
_MANAGER_TITLES = ("Director", "Senior Manager", "Manager", "Team Lead")
_STAFF_TITLES = {
    "IT": "Engineer",
    "Finance": "Analyst",
    "Procurement": "Buyer",
    "Risk": "Risk Analyst",
    "Sales": "Account Manager",
    "Legal": "Counsel",
}

# (given names, family names, family name first, separator)
_CULTURES: tuple[tuple[tuple[str, ...], tuple[str, ...], bool, str], ...] = (
    (
        ("James", "Emma", "Oliver", "Sarah", "Michael", "Laura", "Daniel", "Claire"),
        ("Smith", "Walsh", "Taylor", "Brennan", "Clarke", "Hughes", "Reid", "Foster"),
        False,
        " ",
    ),
    (
        ("Lukas", "Anna", "Jonas", "Katrin", "Felix", "Miriam", "Stefan", "Lena"),
        ("Müller", "Becker", "Schmidt", "Wagner", "Hoffmann", "Krüger", "Braun", "Vogel"),
        False,
        " ",
    ),
    (
        ("Camille", "Julien", "Chloé", "Mathieu", "Élodie", "Hugo", "Manon", "Nicolas"),
        ("Dubois", "Moreau", "Lefèvre", "Girard", "Bonnet", "Mercier", "Rousseau", "Fontaine"),
        False,
        " ",
    ),
    (
        ("Lucía", "Diego", "Ana", "Javier", "Sofía", "Mateo", "Inês", "João"),
        ("García", "Fernández", "Costa", "Romero", "Silva", "Navarro", "Pereira", "Ortega"),
        False,
        " ",
    ),
    (
        ("Chinedu", "Ngozi", "Kwame", "Amara", "Tunde", "Adaeze", "Kofi", "Zainab"),
        ("Okafor", "Adeyemi", "Mensah", "Nwosu", "Balogun", "Owusu", "Eze", "Bello"),
        False,
        " ",
    ),
    (
        ("Priya", "Rahul", "Ananya", "Vikram", "Deepa", "Arjun", "Kavya", "Rajesh"),
        ("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Menon", "Rao"),
        False,
        " ",
    ),
    (
        ("Tomasz", "Agnieszka", "Piotr", "Magdalena", "Marek", "Katarzyna", "Paweł", "Joanna"),
        ("Kowalski", "Nowak", "Wiśniewski", "Zielińska", "Lewandowski", "Wójcik", "Kamiński", "Mazur"),
        False,
        " ",
    ),
    (
        ("Mehmet", "Ayşe", "Emre", "Elif", "Can", "Zeynep", "Murat", "Selin"),
        ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"),
        False,
        " ",
    ),
    (
        ("Ahmed", "Layla", "Omar", "Noor", "Youssef", "Huda", "Karim", "Rania"),
        ("Al-Sayed", "Haddad", "Mansour", "Khalil", "Nasser", "Aziz", "Farouk", "Saleh"),
        False,
        " ",
    ),
    (
        ("建國", "美玲", "偉", "秀英", "志強", "麗華", "俊傑", "靜"),
        ("王", "李", "張", "劉", "陳", "楊", "黃", "趙"),
        True,
        "",
    ),
    (
        ("Yuki", "Haruto", "Aiko", "Kenji", "Sakura", "Takeshi", "Emi", "Hiroshi"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
        False,
        " ",
    ),
    (
        ("Soo-jin", "Min-jun", "Ji-woo", "Seo-yeon", "Hyun-woo", "Eun-ji", "Dong-hyun", "Ha-eun"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
        True,
        " ",
    ),
    (
        ("Erik", "Ingrid", "Lars", "Astrid", "Nils", "Sigrid", "Anders", "Freja"),
        ("Lindqvist", "Eriksen", "Solberg", "Larsen", "Nilsson", "Berg", "Dahl", "Holm"),
        False,
        " ",
    ),
)
_CULTURE_WEIGHTS = (0.2, 0.08, 0.07, 0.08, 0.07, 0.1, 0.05, 0.05, 0.05, 0.08, 0.06, 0.05, 0.06)

_STANCES = tuple(Stance)  # in the order of _STANCE_MIX
_STANCE_MIX = (0.01, 0.05, 0.12, 0.25, 0.12, 0.03, 0.42)
_REASONS = (Reason.DOUBT, Reason.MISINFORMED, Reason.BACKSLIDING, None)
_REASON_MIX = {  # by stance index: neutral, skeptic, hostile
    3: (0.25, 0.05, 0.02, 0.68),
    4: (0.5, 0.25, 0.15, 0.1),
    5: (0.0, 0.3, 0.0, 0.7),
}
_KINDS = (TieKind.ADVISES, TieKind.INFLUENCES, TieKind.FRIEND, TieKind.RIVAL, TieKind.KNOWS)
_KIND_MIX = (0.3, 0.18, 0.27, 0.05, 0.2)
_TEAM_TITLES = (
    "Account Director",
    "Solutions Engineer",
    "Regional Vice President",
    "Delivery Director",
    "Customer Success Manager",
    "Solutions Consultant",
    "Industry Specialist",
    "Bid Manager",
)


def synthetic_org(
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    span: tuple[int, int] = (5, 8),
    ties_per_person: float = 6.0,
    team: int | None = None,
) -> StakeholderGraph:
    """A seeded, realistic synthetic organisation of ``n`` people.

    The customer is a reporting tree under a CEO (each manager has between
    ``span[0]`` and ``span[1]`` direct reports, the CEO's including an
    executive assistant), split into departments under the top (IT,
    Operations, Finance, Procurement, then Risk, Sales, Human Resources, Legal
    as the span allows), with a few ``dotted_line`` ties across departments.
    Informal ties (``advises``, ``influences``, ``friend``, some ``rival``, and
    ``knows``, about five per person, strengths in (0, 1]) are clustered: most
    join colleagues of one team or one department, advice and influence mostly
    flowing from the more senior person. Stances follow a realistic mix with
    many ``unknown``; roles: the CEO is the decision-maker, the assistant the
    gatekeeper, the CIO the sponsor, the CFO (and CRO) approvers, a few
    evaluators in IT, users in Operations, procurement, influencers low on the
    chart and one coach. Our team (``org="us"``) knows some customers (with
    relationship, owner and last contact); one competitor is tied to a senior
    hostile customer.

    Parameters
    ----------
    n : int
        Number of people in all (customer, our team and the competitor), from
        10 to 10,000,000.
    seed : int or numpy.random.Generator, optional
        Source of randomness; the same seed gives the same graph.
    span : (int, int), default (5, 8)
        Smallest and largest number of direct reports of a manager.
    ties_per_person : float, default 6.0
        Ties of every kind (formal ones included) per person, in [1.5, 20].
    team : int, optional
        Size of our team, 1 to 20 (default: 2 to 5 depending on ``n``).

    Returns
    -------
    StakeholderGraph
        With a deal at stage ``deep_contact`` dated 2026-09-15.

    Raises
    ------
    ValidationError
        For a parameter outside its range.

    Notes
    -----
    Takes about 0.1 s for 10^4 people, 1.5 to 3 s for 10^5 and well under a
    minute for 10^6 (about 3 GB of memory); almost all of the time goes into
    creating the :class:`~stakegraph.Person` and :class:`~stakegraph.Tie`
    values, the rest is vectorised with numpy.

    Examples
    --------
    >>> g = synthetic_org(1000, seed=1)
    >>> len(g), len(g.decision_makers()), g.manager(g.decision_makers()[0])
    (1000, 1, None)
    >>> round(len(g.ties) / len(g), 1)
    6.0
    >>> synthetic_org(1000, seed=1) == g
    True
    """
    import numpy as np

    func = "synthetic_org"
    n = check_int(n, "n", func, low=10, high=MAX_PEOPLE)
    if (
        not isinstance(span, (tuple, list))
        or len(span) != 2
        or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in span)
        or not 2 <= span[0] <= span[1] <= 50
    ):
        raise bad(func, "span", "a pair of ints (low, high) with 2 <= low <= high <= 50", span)
    lo, hi = int(span[0]), int(span[1])
    check_float(ties_per_person, "ties_per_person", func, 1.5, 20.0, low_open=False, high_open=False)
    n_us = int(min(5, max(2, n // 200))) if team is None else check_int(team, "team", func, low=1, high=20)
    m = n - n_us - 1  # customer people
    if m < lo + 2:
        raise ValidationError(
            f"The 'n' parameter of synthetic_org must leave at least {lo + 2} customer people "
            f"after our team ({n_us}) and the competitor (1). Got {n!r} instead."
        )
    if isinstance(seed, (bool, float, str)):
        raise bad(func, "seed", SEED_RULE, seed)
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise bad(func, "seed", SEED_RULE, seed) from None

    # ---------------------------------------------------------------- reporting tree
    # 0 = CEO, 1 = executive assistant, 2..k0+1 = department heads; then level by level, each
    # manager taking the next lo..hi people, so a manager always precedes its reports and the
    # reports of one manager are consecutive. On the last, partial level a random subset of the
    # level manages, so that no department is favoured.
    k0 = max(1, min(int(rng.integers(lo - 1, hi)), m - 2, len(_DEPARTMENTS)))
    first = k0 + 2
    parent = np.zeros(m, dtype=np.int64)
    parent[0] = -1
    level = np.ones(m, dtype=np.int64)
    level[0] = 0
    dept = np.zeros(m, dtype=np.int64)
    dept[2:first] = np.arange(1, k0 + 1)  # head 2 -> department 1 (IT), ...
    frontier = np.arange(2, first)
    nxt = first
    while nxt < m:
        remaining = m - nxt
        counts = rng.integers(lo, hi + 1, size=len(frontier))
        managers = frontier
        if counts.sum() > remaining:
            perm = rng.permutation(len(frontier))
            k = int(np.searchsorted(np.cumsum(counts[perm]), remaining)) + 1
            chosen = np.sort(perm[:k])
            managers, counts = frontier[chosen], counts[chosen]
            counts = _trim(counts, int(counts.sum()) - remaining, lo)
            managers, counts = managers[counts > 0], counts[counts > 0]
        kids = np.repeat(managers, counts)
        end = nxt + len(kids)
        parent[nxt:end] = kids
        level[nxt:end] = level[kids] + 1
        dept[nxt:end] = dept[kids]
        frontier = np.arange(nxt, end)
        nxt = end
    dept_names = ("Executive",) + _DEPARTMENTS[:k0]
    n_children = np.bincount(parent[1:], minlength=m)
    child_start = np.searchsorted(parent[1:], np.arange(m), side="left") + 1
    is_manager = n_children > 0

    # ---------------------------------------------------------------- informal ties
    n_dotted_target = int(round(0.01 * m))
    external = 4 + 5 * n_us + n_us  # competitor ties + our contacts (upper estimate)
    formal = (m - 1) + n_dotted_target
    target = max(0, int(round(float(ties_per_person) * n)) - formal - external)
    draws = int(target * 1.15) + 32
    src = rng.integers(0, m, size=draws)
    how = rng.random(draws)  # which mechanism: team, department or anywhere
    sub = rng.random(draws)  # inside the team: the manager, a colleague or a report
    pick = rng.random(draws)  # which one
    dst = rng.integers(0, m, size=draws)  # anywhere (20%)
    order = np.argsort(dept, kind="stable")
    d_start = np.searchsorted(dept[order], np.arange(len(dept_names)), side="left")
    d_count = np.bincount(dept, minlength=len(dept_names))
    same_dept = (how >= 0.45) & (how < 0.8)
    sd = dept[src[same_dept]]
    dst[same_dept] = order[d_start[sd] + (pick[same_dept] * d_count[sd]).astype(np.int64)]
    local = how < 0.45  # the manager, a direct report or a colleague of the same team
    p_src = np.maximum(parent[src[local]], 0)
    sib = child_start[p_src] + (pick[local] * n_children[p_src]).astype(np.int64)
    up = sub[local] < 0.25
    down = (sub[local] > 0.85) & is_manager[src[local]]
    s_loc = src[local]
    kid = child_start[s_loc] + (pick[local] * n_children[s_loc]).astype(np.int64)
    dst[local] = np.where(up & (s_loc > 0), p_src, np.where(down, np.minimum(kid, m - 1), sib))
    kind = rng.choice(len(_KINDS), size=draws, p=_KIND_MIX)
    strength = np.clip(np.round(rng.beta(2.2, 2.0, size=draws), 2), 0.05, 1.0)
    senior_first = rng.random(draws) < 0.65
    directed = kind < 2
    src_senior = level[src] <= level[dst]
    swap = np.where(directed, senior_first != src_senior, src > dst)
    src, dst = np.where(swap, dst, src), np.where(swap, src, dst)
    keep = src != dst
    src, dst, kind, strength = src[keep], dst[keep], kind[keep], strength[keep]
    code = (src * m + dst) * len(_KINDS) + kind
    _, idx = np.unique(code, return_index=True)
    idx.sort()
    src, dst, kind, strength = src[idx], dst[idx], kind[idx], strength[idx]
    pair = np.minimum(src, dst) * m + np.maximum(src, dst)
    friends = np.unique(pair[kind == 2])
    keep = ~((kind == 3) & np.isin(pair, friends))  # no rival among friends
    src, dst, kind, strength = (
        src[keep][:target],
        dst[keep][:target],
        kind[keep][:target],
        strength[keep][:target],
    )

    # ---------------------------------------------------------------- dotted lines
    dl_src: list[int] = []
    dl_dst: list[int] = []
    cand = np.flatnonzero((level >= 2) & (rng.random(m) < n_dotted_target / max(m, 1)))
    for lv in np.unique(level[cand]):
        who = cand[level[cand] == lv]
        mgrs = np.flatnonzero(is_manager & (level == lv - 1) & (np.arange(m) > 1))
        if len(mgrs) < 2:
            continue
        to = mgrs[rng.integers(0, len(mgrs), size=len(who))]
        ok = (to != parent[who]) & (dept[to] != dept[who])
        dl_src += who[ok].tolist()
        dl_dst += to[ok].tolist()

    # ---------------------------------------------------------------- stances and roles
    st = rng.choice(len(_STANCES), size=m, p=_STANCE_MIX)
    rs = np.full(m, 3, dtype=np.int64)
    for s_i, mix in _REASON_MIX.items():
        sel = np.flatnonzero(st == s_i)
        rs[sel] = rng.choice(4, size=len(sel), p=mix)
    roles: dict[int, list[Role]] = {}

    def give(people: Any, role: Role) -> None:
        for i in np.atleast_1d(people).tolist():
            roles.setdefault(int(i), []).append(role)

    def some(mask: np.ndarray, k: int) -> np.ndarray:
        pool = np.flatnonzero(mask)
        pool = pool[~np.isin(pool, np.fromiter(roles, dtype=np.int64, count=len(roles)))]
        return rng.choice(pool, size=min(k, len(pool)), replace=False) if len(pool) else pool

    head = {name: 1 + j for j, name in enumerate(dept_names) if j > 0}  # department -> its head's row
    give(0, Role.DECISION_MAKER)
    give(1, Role.GATEKEEPER)
    give(head["IT"], Role.SPONSOR)
    for d_name in ("Finance", "Risk"):
        if d_name in head:
            give(head[d_name], Role.APPROVER)
    in_dept = {name: dept == j for j, name in enumerate(dept_names)}
    if "Procurement" in head:
        give(head["Procurement"], Role.PROCUREMENT)
        give(some(in_dept["Procurement"] & (level == 2), 2), Role.PROCUREMENT)
    evaluators = some(in_dept["IT"] & (level >= 2) & (level <= 3), 6)
    give(evaluators, Role.EVALUATOR)
    users = in_dept.get("Operations", np.ones(m, dtype=bool))  # small spans may leave no Operations
    give(some(users & (level >= 2) & (level <= 4), 6), Role.USER)
    give(some(level >= 3, 3), Role.INFLUENCER)
    coach = _first_of(evaluators, some(level >= 2, 1), some(np.arange(m) > 1, 1), [head["IT"]])
    give(coach, Role.COACH)
    st[coach] = rng.choice([0, 1])  # a coach is on our side: champion or ally
    rs[coach] = 3
    st[0] = rng.choice([3, 6])  # the decision-maker: neutral or not yet assessed
    rs[0] = 3
    st[1] = 3  # the assistant: neutral
    rs[1] = 3
    rows = np.arange(m)
    hostile = np.flatnonzero((st == 5) & (rows > 1) & (rows != coach))
    if len(hostile) == 0:  # make one: a department head other than the sponsor, else anyone
        hostile = np.array(
            [
                _first_of(
                    np.flatnonzero((rows >= 3) & (rows < first) & (rows != coach)),
                    np.flatnonzero((rows > 1) & (rows != coach) & (rows != head["IT"])),
                )
            ]
        )
        st[hostile] = 5
        rs[hostile] = 3
    foe = int(hostile[np.lexsort((hostile, level[hostile]))][0])  # the most senior hostile

    # ---------------------------------------------------------------- our team
    width = len(str(m - 1))
    ids = [f"p{i:0{width}d}" for i in range(m)]
    us_ids = [f"us{j + 1}" for j in range(n_us)]
    comp_id = "comp1"
    n_known = min(m - 2, 4 + 4 * n_us)
    group = np.fromiter(roles, dtype=np.int64, count=len(roles))
    group = group[(group != 0) & (group != foe)]
    met_dm = bool(rng.random() < 0.5)
    known = list(rng.permutation(group)[:n_known].tolist())
    if len(known) < n_known:
        extra = np.setdiff1d(np.arange(2, m), np.array(known + [foe], dtype=np.int64))
        known += rng.choice(extra, size=min(n_known - len(known), len(extra)), replace=False).tolist()
    if met_dm:
        known[-1] = 0
    rel = np.clip(np.round(rng.uniform(0.15, 0.9, size=len(known)), 2), 0.05, 1.0)
    owner = rng.integers(0, n_us, size=len(known))
    owner[rng.random(len(known)) < 0.5] = 0  # the account director covers half the contacts
    days = rng.integers(0, 181, size=len(known))
    contact = {
        c: (float(r), us_ids[o], AS_OF - _dt.timedelta(days=int(d)))
        for c, r, o, d in zip(known, rel.tolist(), owner.tolist(), days.tolist())
    }

    # ---------------------------------------------------------------- names
    culture = rng.choice(len(_CULTURES), size=n, p=_CULTURE_WEIGHTS)
    gi = rng.integers(0, 8, size=n)
    fi = rng.integers(0, 8, size=n)
    name_table = [
        [[_full_name(c, g_, f_) for f_ in range(8)] for g_ in range(8)] for c in range(len(_CULTURES))
    ]
    names = [name_table[c][g_][f_] for c, g_, f_ in zip(culture.tolist(), gi.tolist(), fi.tolist())]

    with _gc_paused():  # millions of new objects, no cycles: collecting meanwhile only costs time
        # ---------------------------------------------------------------- people
        title_code = np.where(is_manager, np.minimum(level - 2, 3), 4)
        title_table = [
            [f"{t}, {d}" for t in _MANAGER_TITLES] + [f"{_STAFF_TITLES.get(d, 'Specialist')}, {d}"]
            for d in dept_names
        ]
        people: list[Person] = []
        for i, (d, lv, tc, s_i, r_i, nm) in enumerate(
            zip(dept.tolist(), level.tolist(), title_code.tolist(), st.tolist(), rs.tolist(), names)
        ):
            if i >= first:
                title = title_table[d][tc]
            elif i == 0:
                title = "Chief Executive Officer"
            elif i == 1:
                title = "Executive Assistant to the CEO"
            else:
                title = _HEAD_TITLES[dept_names[d]]
            kw: dict[str, Any] = {}
            if i in contact:
                r, o, when = contact[i]
                kw = {"relationship": r, "owner": o, "last_contact": when}
            people.append(
                Person(
                    ids[i],
                    name=nm,
                    title=title,
                    department=dept_names[d],
                    level=lv,
                    roles=tuple(roles.get(i, ())),
                    stance=_STANCES[s_i],
                    reason=_REASONS[r_i],
                    **kw,
                )
            )
        for j, uid in enumerate(us_ids):
            people.append(
                Person(
                    uid,
                    name=names[m + j],
                    title=_TEAM_TITLES[j % len(_TEAM_TITLES)],
                    department="Our team",
                    org=Org.US,
                )
            )
        people.append(
            Person(
                comp_id,
                name=names[m + n_us],
                title="Account Director",
                department="Competitor",
                org=Org.COMPETITOR,
            )
        )

        # ---------------------------------------------------------------- ties
        ties: list[Tie] = []
        rep = TieKind.REPORTS_TO
        ties += [Tie(ids[i], ids[p], rep) for i, p in enumerate(parent.tolist()) if p >= 0]
        ties += [Tie(ids[a], ids[b], TieKind.DOTTED_LINE, 0.5) for a, b in zip(dl_src, dl_dst)]
        ks = list(_KINDS)
        ties += [
            Tie(ids[a], ids[b], ks[k], w)
            for a, b, k, w in zip(src.tolist(), dst.tolist(), kind.tolist(), strength.tolist())
        ]
        for c, (r, o, _) in contact.items():
            a, b = sorted((ids[c], o))
            ties.append(Tie(a, b, TieKind.KNOWS, r))
        for j in range(1, n_us):
            ties.append(Tie(us_ids[0], us_ids[j], TieKind.KNOWS, 0.9))
        ties.append(Tie(comp_id, ids[foe], TieKind.FRIEND, 0.8))
        ties.append(Tie(comp_id, ids[foe], TieKind.INFLUENCES, 0.6))

        deal = Deal(
            name=f"Synthetic organisation of {n} people",
            stage=Stage.DEEP_CONTACT,
            decision_date=AS_OF + _dt.timedelta(days=91),
            competitors=("Competitor",),
            as_of=AS_OF,
        )
        return StakeholderGraph._from_trusted(people, ties, deal)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restored afterwards, also on error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _trim(counts: "np.ndarray", excess: int, lo: int) -> "np.ndarray":
    """Take ``excess`` reports away, from the end, keeping ``lo`` each while possible."""
    counts = counts.copy()
    for i in range(len(counts) - 1, -1, -1):
        if excess <= 0:
            break
        cut = min(excess, max(int(counts[i]) - lo, 0))
        counts[i] -= cut
        excess -= cut
    for i in range(len(counts) - 1, -1, -1):  # every manager at lo already: the last ones shrink
        if excess <= 0:
            break
        cut = min(excess, int(counts[i]))
        counts[i] -= cut
        excess -= cut
    return counts


def _first_of(*candidates: Any) -> int:
    for c in candidates:
        if len(c):
            return int(c[0])
    raise AssertionError("no candidate")  # pragma: no cover - m >= span[0] + 2 guarantees one


def _full_name(culture: int, given: int, family: int) -> str:
    g, f, family_first, sep = _CULTURES[culture]
    return f"{f[family]}{sep}{g[given]}" if family_first else f"{g[given]}{sep}{f[family]}"
