"""What a view draws: nodes (people or department groups) and edges, with the highlight.

Every view (matplotlib map, interactive HTML, inline SVG, slides) starts from a
:class:`Scene`, so they agree on who is shown, how big, in which colour, and
what is highlighted. Building a scene also applies the privacy option, the
focus on one person's neighbourhood and the aggregation of large graphs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import UnknownPersonError, ValidationError
from ..method.checks import check_choice, check_int
from ..method.vocabulary import Role, Stance, TieKind
from ..method.words import stage_words
from ..model import check_graph, tie_key
from ._style import renderable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Person, StakeholderGraph

__all__ = [
    "Highlight",
    "Node",
    "Edge",
    "Scene",
    "build_scene",
    "result_dict",
    "people_field",
    "subtitle_parts",
]


# ----------------------------------------------------------------------------- result helpers
def result_dict(result: Any) -> dict[str, Any] | None:
    """The ``to_dict()`` of an analysis result (or the dict itself); None for None."""
    if result is None:
        return None
    if isinstance(result, Mapping):
        return dict(result)
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict):
        d = to_dict()
        if isinstance(d, Mapping):
            return dict(d)
    raise ValidationError(
        f"expected an analysis result with to_dict() or its dict; got {type(result).__name__}"
    )


def people_field(result: Any, name: str) -> dict[str, Any]:
    """``{id: value}`` of one per-person field of a result's ``to_dict()["people"]``."""
    d = result_dict(result) or {}
    out: dict[str, Any] = {}
    rows = d.get("people")
    if isinstance(rows, list):
        for row in rows:
            if isinstance(row, Mapping) and "id" in row and name in row:
                out[str(row["id"])] = row[name]
    return out


# ----------------------------------------------------------------------------- scene values
@dataclass(frozen=True)
class Highlight:
    """What to emphasise: people (rings), paths (people in order; the first is the best), targets."""

    people: tuple[str, ...] = ()
    paths: tuple[tuple[str, ...], ...] = ()
    targets: tuple[str, ...] = ()
    caption: str = ""

    @property
    def empty(self) -> bool:
        return not (self.people or self.paths or self.targets)

    def mapped(self, ids: Mapping[str, str]) -> "Highlight":
        def m(xs: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(ids.get(x, x) for x in xs)

        return Highlight(m(self.people), tuple(m(p) for p in self.paths), m(self.targets), self.caption)

    def all_ids(self) -> set[str]:
        s = set(self.people) | set(self.targets)
        for p in self.paths:
            s |= set(p)
        return s


@dataclass
class Node:
    """One marker: a person, or a group of people of one department."""

    id: str
    label: str
    sub: str
    org: str
    level: int
    support: float
    stance: str
    power: float
    roles: tuple[str, ...] = ()
    department: str = ""
    members: tuple[str, ...] = ()
    hidden: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    distribution: dict[str, float] | None = None  # the fused stance distribution, when reported on

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    @property
    def shape_key(self) -> str:
        return "group" if self.is_group else self.org


@dataclass
class Edge:
    """One drawn tie (several merged ties between two groups count in ``count``)."""

    source: int
    target: int
    kind: str
    strength: float
    count: int = 1
    note: str = ""
    probability: float = 1.0  # how likely the tie is, by the informants' reports (1: as recorded)


@dataclass
class Scene:
    graph: "StakeholderGraph"
    nodes: list[Node]
    edges: list[Edge]
    highlight: Highlight
    notes: list[str]
    total_people: int
    anonymised: bool
    ids: dict[str, str]
    unreadable: int = 0  # names the map fonts cannot draw (shown by id on matplotlib figures)
    index: dict[str, int] = field(default_factory=dict)
    member_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        self.member_of = {}
        for n in self.nodes:
            if n.is_group:
                for m in n.members:
                    self.member_of[m] = n.id
            else:
                self.member_of[n.id] = n.id


# ----------------------------------------------------------------------------- highlight parsing
def subtitle_parts(scene: "Scene") -> list[str]:
    """The facts under a map's title: stage, head counts, date, and how to read it (not the scene's notes)."""
    g = scene.graph
    d = g.deal
    parts = []
    if d.stage is not None:
        parts.append(stage_words(d.stage))
    n_c = sum(1 for p in g.people.values() if p.org.value == "customer")
    parts.append(f"{n_c} customer people, {len(g) - n_c} others")
    if d.as_of is not None:
        parts.append(f"as of {d.as_of.isoformat()}")
    parts.append("size = power, colour = stance")
    return parts


def parse_highlight(g: "StakeholderGraph", highlight: Any) -> Highlight:
    """A :class:`Highlight` from a person id, a path (sequence of ids), a Paths or Targets result."""
    if highlight is None:
        return Highlight()
    if isinstance(highlight, str):
        g.person(highlight)
        return Highlight(people=(highlight,), caption="highlighted")
    if isinstance(highlight, Highlight):
        return highlight
    if isinstance(highlight, (list, tuple)) and all(isinstance(x, str) for x in highlight):
        for x in highlight:
            g.person(x)
        path = tuple(highlight)
        return Highlight(people=path, paths=(path,) if len(path) > 1 else (), caption="path")
    d = result_dict(highlight)
    assert d is not None
    groups = d.get("targets")
    if isinstance(groups, list) and groups and all(isinstance(t, Mapping) and "paths" in t for t in groups):
        # introduction paths to one or more targets: draw every target's paths, best first
        d = {"paths": [p for t in groups for p in (t.get("paths") or [])]}
        if len(groups) > 1:
            d["paths"].sort(key=lambda p: -(p.get("probability") or 0.0) if isinstance(p, Mapping) else 0.0)
    if isinstance(d.get("paths"), list):
        paths = []
        caption = "introduction path"
        for i, p in enumerate(d["paths"]):
            people = p.get("people") if isinstance(p, Mapping) else p
            if not isinstance(people, (list, tuple)):
                continue
            ids = tuple(str(x) for x in people if str(x) in g)
            if len(ids) >= 1:
                paths.append(ids)
                if i == 0 and isinstance(p, Mapping) and isinstance(p.get("probability"), (int, float)):
                    caption = f"best introduction path (p = {p['probability']:.2f})"
        if len(paths) > 1:
            caption += f"; {len(paths) - 1} alternative{'s' if len(paths) > 2 else ''} lighter"
        people = paths[0] if paths else ()
        return Highlight(people=people, paths=tuple(paths), caption=caption)
    if isinstance(d.get("targets"), list):
        targets = []
        for t in d["targets"]:
            pid = t.get("id") if isinstance(t, Mapping) else t
            if pid is not None and str(pid) in g:
                targets.append(str(pid))
        return Highlight(targets=tuple(targets), caption="whom to win next (#1 first)")
    if isinstance(d.get("people"), list):
        ids = tuple(str(r.get("id")) for r in d["people"] if isinstance(r, Mapping) and str(r.get("id")) in g)
        return Highlight(people=ids, caption="highlighted")
    raise ValidationError(
        "The 'highlight' parameter must be a person id, a list of ids (a path), or a result of "
        "sg.paths or sg.targets. Got a result without 'paths' or 'targets' instead."
    )


# ----------------------------------------------------------------------------- building
def display_name(p: "Person") -> str:
    """The name to draw: the name; when no installed font has its script, its ``name_latin``, else the id."""
    name = p.name or p.id
    if not renderable(name):
        latin = p.extra.get("name_latin") if p.extra else None
        if isinstance(latin, str) and latin.strip() and renderable(latin):
            return latin.strip()
        return p.id
    return name


def _details(
    p: "Person", power: float, support: float, levels: Mapping[str, int], owners: Mapping[str, str]
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "name": p.name or p.id,
        "title": p.title,
        "department": p.department,
        "org": p.org.value,
        "roles": [r.value for r in p.roles],
        "stance": p.stance.value,
        "support": None if math.isnan(support) else round(float(support), 3),
        "power": round(float(power), 3),
        "level": int(levels.get(p.id, 0)),
    }
    if p.reason is not None:
        d["reason"] = p.reason.value
    if p.relationship is not None:
        d["relationship"] = p.relationship
    for k in ("owner", "needs", "interests", "notes"):
        v = getattr(p, k)
        if v:
            d[k] = v
    if p.owner and p.owner in owners:
        d["owner"] = owners[p.owner]
    if p.last_contact is not None:
        d["last_contact"] = p.last_contact.isoformat()
    return d


def _sub(p: "Person", anonymised: bool) -> str:
    """The second line of a label: the title (the department when anonymised)."""
    return p.title if p.title else (p.department if anonymised else "")


def neighbourhood(g: "StakeholderGraph", focus: str, depth: int) -> set[str]:
    """People within ``depth`` ties (of any kind, either direction) of ``focus``."""
    g.person(focus)
    adj: dict[str, set[str]] = {pid: set() for pid in g.people}
    for t in g.ties:
        adj[t.source].add(t.target)
        adj[t.target].add(t.source)
    seen = {focus}
    frontier = {focus}
    for _ in range(depth):
        frontier = {n for f in frontier for n in adj[f]} - seen
        seen |= frontier
        if not frontier:
            break
    return seen


def build_scene(
    g: "StakeholderGraph",
    *,
    func: str,
    anonymise: bool = False,
    salt: str = "",
    highlight: Any = None,
    focus: str | None = None,
    depth: int = 1,
    max_people: int | None = None,
    rank: Any = None,
    layers: str = "all",
    beliefs: Any = None,
) -> Scene:
    """Build the scene of ``g`` (see the module docstring).

    With ``beliefs`` (from :func:`~stakegraph.fuse` on ``g``) the scene shows
    the fused account: every tie at least 5% likely, with its probability,
    and the stance distribution of every person reported on.
    """
    check_graph(g, func)
    notes: list[str] = []
    tie_p: dict[tuple[str, str, str], float] = {}
    dists: dict[str, dict[str, float]] = {}
    if beliefs is not None:
        from ..analysis.fuse import Beliefs

        if not isinstance(beliefs, Beliefs):
            raise ValidationError(
                f"The 'beliefs' parameter of {func} must be the Beliefs sg.fuse returns or None. "
                f"Got {type(beliefs).__name__} instead."
            )
        if set(beliefs.graph_.people) != set(g.people):
            raise ValidationError(
                f"The 'beliefs' parameter of {func} was fused from another account (other people); "
                "fuse this graph's reports: sg.fuse(g)."
            )
        g = beliefs.graph(threshold=0.05)
        notes.append(
            f"ring: stance fused from {len(beliefs.informants)} informants' reports; "
            "a reported tie is as faint as it is unlikely"
        )
        tie_p = beliefs.tie_probability
        dists = {pid: dict(d) for pid, d in beliefs.stance_distribution.items()}
    if not isinstance(anonymise, bool):
        raise ValidationError(
            f"The 'anonymise' parameter of {func} must be a bool. Got {anonymise!r} instead."
        )
    depth = check_int(depth, "depth", func, low=0)
    max_people = check_int(max_people, "max_people", func, low=1, none=True)
    check_choice(layers, "layers", func, ("all", "formal", "informal"))
    if focus is not None and focus not in g:
        raise UnknownPersonError(focus, g.people)
    hl = parse_highlight(g, highlight)
    power_override = {
        k: float(v) for k, v in people_field(rank, "power").items() if isinstance(v, (int, float)) and v == v
    }
    hidden = {k for k, v in people_field(rank, "hidden_influencer").items() if v}
    total = len(g)

    ids: dict[str, str] = {pid: pid for pid in g.people}
    focus_id = focus
    if anonymise:
        from ..privacy import anonymise_with_map

        g, ids = anonymise_with_map(g, salt=salt)
        hl = hl.mapped(ids)
        power_override = {ids[k]: v for k, v in power_override.items() if k in ids}
        hidden = {ids[k] for k in hidden if k in ids}
        focus_id = ids[focus] if focus is not None else None
        tie_p = {tie_key(ids[s], ids[t], k): p for (s, t, k), p in tie_p.items()}
        dists = {ids[pid]: d for pid, d in dists.items()}

    c = g.compiled()
    levels = g.levels()
    power = c.power.copy()
    for pid, v in power_override.items():
        if pid in c.index:
            power[c.index[pid]] = v
    support = c.support

    shown = list(g.people)
    if focus_id is not None:
        keep = neighbourhood(g, focus_id, depth)
        shown = [pid for pid in shown if pid in keep]
        p = g.person(focus_id)
        notes.append(
            f"{display_name(p)} and everyone within {depth} tie{'s' if depth != 1 else ''}: "
            f"{len(shown)} of {total} people"
        )
        hl = Highlight(
            hl.people + ((focus_id,) if focus_id not in hl.people else ()),
            hl.paths,
            hl.targets,
            hl.caption or "focus",
        )

    # who is drawn individually, who is grouped by department
    grouped: dict[tuple[str, str], list[str]] = {}
    if max_people is not None and len(shown) > max_people:
        must = hl.all_ids() | {pid for pid in shown if Role.DECISION_MAKER in g.person(pid).roles}
        if focus_id is not None:
            must.add(focus_id)
        order = sorted(shown, key=lambda pid: (pid not in must, -power[c.index[pid]], c.index[pid]))
        individual = set(order[: max(max_people, len(must & set(shown)))])
        for pid in shown:
            if pid not in individual:
                p = g.person(pid)
                grouped.setdefault((p.org.value, p.department or "(no department)"), []).append(pid)
        n_grouped = sum(len(v) for v in grouped.values())
        notes.append(
            f"{len(individual)} most powerful people shown; {n_grouped} others grouped by department"
        )
        shown_individual = [pid for pid in shown if pid in individual]
    else:
        shown_individual = shown

    unreadable = sum(
        1 for pid in shown_individual if display_name(g.person(pid)) == pid != (g.person(pid).name or pid)
    )
    owners = {pid: (p.name or pid) for pid, p in g.people.items()}
    nodes: list[Node] = []
    for pid in shown_individual:
        p = g.person(pid)
        i = c.index[pid]
        s = float(support[i])
        nodes.append(
            Node(
                id=pid,
                label=display_name(p),
                sub=_sub(p, anonymise),
                org=p.org.value,
                level=int(levels[pid]),
                support=s,
                stance=p.stance.value
                if p.stance is not Stance.UNKNOWN
                else (Stance.from_support(s).value if s == s else "unknown"),
                power=float(power[i]),
                roles=tuple(r.value for r in p.roles),
                department=p.department,
                hidden=pid in hidden,
                details=_details(p, power[i], s, levels, owners),
                distribution=dists.get(pid),
            )
        )
    for (org, dept), members in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        rows = c.rows(members)
        known = support[rows][~np.isnan(support[rows])]
        s = float(known.mean()) if len(known) else math.nan
        top = min(members, key=lambda m: (levels[m], -power[c.index[m]]))
        nodes.append(
            Node(
                id=f"group:{org}:{dept}",
                label=dept,
                sub=f"+{len(members)} people",
                org=org,
                level=int(levels[top]),
                support=s,
                stance="group",
                power=float(power[rows].sum()),
                department=dept,
                members=tuple(members),
                details={
                    "name": dept,
                    "title": f"{len(members)} people",
                    "department": dept,
                    "org": org,
                    "members": len(members),
                    "support": None if math.isnan(s) else round(s, 3),
                    "power": round(float(power[rows].sum()), 3),
                },
            )
        )

    scene = Scene(
        graph=g,
        nodes=nodes,
        edges=[],
        highlight=hl,
        notes=notes,
        total_people=total,
        anonymised=anonymise,
        ids=ids,
        unreadable=unreadable,
    )
    # ties between what is drawn (merged for groups)
    merged: dict[tuple[int, int, str], Edge] = {}
    for t in g.ties:
        kind = t.kind.value
        if layers == "formal" and not t.kind.formal:
            continue
        if layers == "informal" and t.kind.formal:
            continue
        a = scene.member_of.get(t.source)
        b = scene.member_of.get(t.target)
        if a is None or b is None or a == b:
            continue
        ia, ib = scene.index[a], scene.index[b]
        if TieKind(kind).mutual and ib < ia:
            ia, ib = ib, ia
        key = (ia, ib, kind)
        prob = float(tie_p.get(t.key, 1.0))
        if key in merged:
            e = merged[key]
            e.count += 1
            e.strength = max(e.strength, t.strength)
            e.probability = max(e.probability, prob)
        else:
            merged[key] = Edge(ia, ib, kind, float(t.strength), 1, t.note, prob)
    scene.edges = list(merged.values())
    return scene
