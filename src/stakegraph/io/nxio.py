"""networkx, GraphML and GEXF: the graph as a networkx ``MultiDiGraph`` and the files Gephi and yEd read.

:func:`to_networkx` gives a ``MultiDiGraph``: one node per person (attributes:
the person's fields that are set, enums as their string values, ``roles`` a
list, dates as :class:`datetime.date`, plus the extra attributes), one edge per
tie keyed by its kind (attributes: ``kind``, ``strength``, ``note`` when set,
extras), and the deal as graph attributes. Ties of mutual kinds (``friend``,
``rival``, ``knows``) are one edge, from the smaller id to the larger.

:func:`from_networkx` reads that back, and also a ``DiGraph``, ``Graph`` or
``MultiGraph`` built by hand: the kind of an edge is its ``kind`` attribute,
else its key (in a multigraph), else ``default_kind``. In an undirected graph
a tie of a directed kind (``reports_to``, ``dotted_line``, ``advises``,
``influences``) needs a ``source`` edge attribute naming the end it starts
from, since the graph itself cannot say who reports to whom; without it the
edge is reported as a problem. A mutual tie given twice (once each way, with
the same attributes) is read as one tie.

GraphML and GEXF files are written through networkx with plain attribute
types: ``roles`` and ``competitors`` as ``;``-joined text, dates as
``YYYY-MM-DD`` text, missing values left out. Each node also carries a
``label`` (the name, or the id) and each edge a ``label`` (its kind) and a
``weight`` (its strength), which Gephi shows and uses; readers drop them
again. Extra attributes whose names these formats reserve (``label``,
``weight``, ``id``...) are written with the prefix ``extra:`` and read back
under their own name. GraphML keeps the deal as graph data; GEXF, which has
no graph attributes, keeps it as JSON in ``<meta><description>``. Extra
attributes that are not text, numbers or booleans are written as JSON text;
GEXF declares one type per attribute, so an extra holding whole numbers for
some people and decimals for others comes back as decimals (equal values),
and one mixing other types comes back as text.
"""

from __future__ import annotations

import io as _io
import json
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any

import networkx as nx

from ..errors import Problem, UnknownPersonError, ValidationError
from ..method.lexicon import Vocabulary, VocabularySource
from ..method.vocabulary import TieKind
from ..model import DEAL_FIELDS, PERSON_FIELDS, TIE_FIELDS, Person, StakeholderGraph, Tie, parse_tie, tie_key
from ._common import PathOrFile, ReadOptions, build_graph, extra_text, read_bytes, write_bytes

__all__ = ["from_networkx", "read_gexf", "read_graphml", "to_networkx", "write_gexf", "write_graphml"]

ESCAPE = "extra:"
"""Prefix of an extra attribute whose name a file format reserves."""

_NODE_RESERVED = frozenset(
    {
        "extra",
        "id",
        "key",
        "label",
        "pid",
        "start",
        "end",
        "parents",
        "slices",
        "spells",
        "viz",
        "networkx_key",
    }
)
_EDGE_RESERVED = frozenset(
    {
        "extra",
        "id",
        "key",
        "label",
        "weight",
        "type",
        "start",
        "end",
        "slices",
        "spells",
        "viz",
        "networkx_key",
        "kind",
        "source",
        "target",
    }
)
_GRAPH_RESERVED = frozenset(
    {"extra", "id", "node_default", "edge_default", "mode", "start", "end", "timeformat"}
)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ----------------------------------------------------------------------------- plain values
def _value(v: Any) -> Any:
    """A field's value for networkx: enums as strings, tuples as lists."""
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, tuple):
        return [_value(x) for x in v]
    return v


def _set(v: Any) -> bool:
    return v is not None and v != "" and v != ()


def _person_attrs(p: Person) -> dict[str, Any]:
    out = {f: _value(getattr(p, f)) for f in PERSON_FIELDS[1:] if _set(getattr(p, f))}
    out.update(p.extra)
    return out


def _tie_attrs(t: Tie) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": t.kind.value, "strength": t.strength}
    if t.note:
        out["note"] = t.note
    out.update(t.extra)
    return out


def _deal_attrs(graph: StakeholderGraph) -> dict[str, Any]:
    d = graph.deal
    out = {f: _value(getattr(d, f)) for f in DEAL_FIELDS if _set(getattr(d, f))}
    out.update(d.extra)
    return out


# ----------------------------------------------------------------------------- networkx
def to_networkx(graph: StakeholderGraph) -> nx.MultiDiGraph:
    """The graph as a networkx ``MultiDiGraph``, losing nothing.

    Nodes are person ids with the fields that are set as attributes (enums as
    strings, ``roles`` a list, dates as :class:`datetime.date`) plus extras;
    edges are ties keyed by kind, with ``kind``, ``strength``, ``note`` (when
    set) and extras; ``G.graph`` holds the deal, and the informants' reports
    as a list of dicts under ``"observations"`` when there are any. A mutual
    tie (``friend``, ``rival``, ``knows``) is one edge from the smaller id to
    the larger.

    Parameters
    ----------
    graph : StakeholderGraph

    Returns
    -------
    networkx.MultiDiGraph

    See Also
    --------
    from_networkx : the inverse.

    Examples
    --------
    >>> import stakegraph as sg
    >>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking", stage="deep_contact"))
    >>> g.add_person("wang", name="王建國", roles=["decision_maker"])
    >>> g.add_person("li", stance="ally")
    >>> g.add_tie("li", "wang", "advises", 0.7)
    >>> G = sg.to_networkx(g)
    >>> G.nodes["wang"]["roles"], G.edges["li", "wang", "advises"]["strength"], G.graph["stage"]
    (['decision_maker'], 0.7, 'deep_contact')
    >>> sg.from_networkx(G) == g
    True
    """
    G = nx.MultiDiGraph()
    G.graph.update(_deal_attrs(graph))
    if graph.observations:
        G.graph[OBSERVATIONS_KEY] = [
            {k: v for k, v in o.to_record().items() if v is not None and v != ""} for o in graph.observations
        ]
    for pid, p in graph.people.items():
        G.add_nodes_from([(pid, _person_attrs(p))])  # attribute names may clash with keywords
    for t in graph.ties:
        G.add_edges_from([(t.source, t.target, t.kind.value, _tie_attrs(t))])
    return G


OBSERVATIONS_KEY = "observations"  # the key of the informants' reports in G.graph


def _with_observations(g: StakeholderGraph, reports: Any, name: str) -> StakeholderGraph:
    """``g`` with the reports of ``G.graph["observations"]`` recorded, every problem located."""
    if reports is None:
        return g
    if not isinstance(reports, (list, tuple)) or not all(isinstance(r, Mapping) for r in reports):
        raise ValidationError(
            Problem(
                "G.graph['observations'] must be a list of dicts (one per report)", name, None, "observations"
            )
        )
    return StakeholderGraph.from_records(
        [dict(p.to_record(), id=p.id) for p in g.people.values()],
        [t.to_record() for t in g.ties],
        g.deal,
        model=g.model,
        observations=reports,
        observations_where=[(f"{name}: observations[{i}]", None) for i in range(len(reports))],
    )


def _dropped(graph: StakeholderGraph, fmt: str) -> None:
    if graph.observations:
        warnings.warn(
            f"{fmt} does not carry the {len(graph.observations)} informants' reports of this graph "
            "(g.observations); write JSON, CSV or .xlsx to keep them",
            UserWarning,
            stacklevel=3,
        )


def _edges(G: Any) -> Iterable[tuple[Any, Any, Any, dict[str, Any]]]:
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, d in G.edges(data=True):
            yield u, v, None, d


def _is_mutual(kind: Any, vocabulary: VocabularySource = None) -> bool:
    try:
        value = Vocabulary.of(vocabulary).parse("kind", kind).value if kind is not None else None
    except ValidationError:
        return False
    return isinstance(value, TieKind) and value.mutual


def _graph_from_nx(
    G: Any,
    name: str,
    *,
    default_kind: str | None,
    deal: Mapping[str, Any],
    node_record: Callable[[str, dict[str, Any]], dict[str, Any]],
    edge_record: Callable[[dict[str, Any]], dict[str, Any]],
    key_is_kind: bool = True,
    problems: Iterable[Problem] = (),
    vocabulary: VocabularySource = None,
    lines: Mapping[tuple[str, ...], int] | None = None,
) -> StakeholderGraph:
    """The shared reader: records from nodes and edges, problems located by node and edge (and by the
    line of its element, from ``lines``: ``("node", id)``, ``("edge", source, target[, id])``)."""
    at = lines or {}
    if not isinstance(G, nx.Graph):
        raise ValidationError(Problem(f"expected a networkx graph; got {type(G).__name__}", name, None, None))
    problems = list(problems)
    people: list[dict[str, Any]] = []
    pw: list[tuple[str, int | None]] = []
    for position, (node, data) in enumerate(G.nodes(data=True)):
        try:
            nid = str(node)
        except Exception as e:  # a node object that cannot even say its name
            problems.append(
                Problem(
                    f"node {position + 1} ({type(node).__name__}) cannot be turned into text ({type(e).__name__}: {e}); "
                    "use strings or numbers as nodes",
                    name,
                    None,
                    "id",
                )
            )
            continue
        where = f"{name}: node {nid!r}"
        data = dict(data)
        if "id" in data:
            given = data.pop("id")
            if str(given) != nid:
                problems.append(
                    Problem(
                        f"the node attribute id={given!r} differs from the node {nid!r}; "
                        "the node itself is the person's id",
                        where,
                        at.get(("node", nid)),
                        "id",
                    )
                )
        rec = node_record(nid, data)
        rec["id"] = nid
        people.append(rec)
        pw.append((where, at.get(("node", nid))))
    ties: list[dict[str, Any]] = []
    tw: list[tuple[str, int | None]] = []
    mutual_seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    directed = G.is_directed()
    for u, v, key, data in _edges(G):
        su, sv = str(u), str(v)
        where = f"{name}: edge {su!r} -> {sv!r}" + (f" [{key!r}]" if key is not None else "")
        line = at.get(("edge", su, sv, str(key)), at.get(("edge", su, sv)))
        rec = edge_record(dict(data))
        kind = rec.pop("kind", None)
        if kind is None and key_is_kind and isinstance(key, str):
            kind = key
        if kind is None:
            kind = default_kind
        src_attr, tgt_attr = rec.pop("source", None), rec.pop("target", None)
        rec.update(source=su, target=sv, kind=kind)
        if not directed:
            try:
                k = TieKind.parse(kind) if kind is not None else None
            except ValidationError:
                k = None
            if k is not None and not k.mutual:
                given = src_attr if src_attr is not None else tgt_attr
                ends = {su: sv, sv: su}
                if given is None or str(given) not in ends:
                    problems.append(
                        Problem(
                            f"a {k.value} edge of an undirected graph needs a 'source' attribute naming the end it "
                            f"starts from ({su!r} or {sv!r}); or give a directed graph",
                            where,
                            line,
                            "source",
                        )
                    )
                    continue
                start = str(given)
                other = ends[start]
                if src_attr is None:  # only a target was named
                    start, other = other, start
                rec.update(source=start, target=other)
        if _is_mutual(rec["kind"], vocabulary):
            kw, probs = parse_tie(rec, (where, line), vocabulary=vocabulary)
            if not probs:
                tkey = tie_key(kw["source"], kw["target"], kw["kind"])
                body = {k: v for k, v in kw.items() if k not in ("source", "target")}
                if mutual_seen.get(tkey) == body:
                    continue  # the same mutual tie given in both directions
                mutual_seen.setdefault(tkey, body)
        ties.append(rec)
        tw.append((where, line))
    return build_graph(
        people,
        ties,
        dict(deal),
        people_where=pw,
        ties_where=tw,
        deal_where=(f"{name}: graph", None),
        problems=problems,
        options=ReadOptions(vocabulary=vocabulary),
    )


def from_networkx(
    G: nx.Graph, *, default_kind: str | None = None, vocabulary: VocabularySource = None
) -> StakeholderGraph:
    """Build a graph from a networkx graph (the inverse of :func:`to_networkx`).

    Parameters
    ----------
    G : networkx.MultiDiGraph, DiGraph, MultiGraph or Graph
        Nodes are person ids (made strings), node attributes person fields
        and extras, edge attributes tie fields and extras, ``G.graph`` the
        deal. The kind of an edge is its ``kind`` attribute, else its key (in
        a multigraph), else ``default_kind``.
    default_kind : str, optional
        The kind of edges that name none, e.g. ``"knows"`` to read a plain
        networkx graph.
    vocabulary : Vocabulary, mapping or TOML path, optional
        The words accepted for stances, roles, tie kinds... besides the
        canonical names (default: the built-in :class:`~stakegraph.Vocabulary`).

    Returns
    -------
    StakeholderGraph

    Raises
    ------
    ValidationError
        Listing every problem, each located as ``<networkx>: node 'li'`` or
        ``<networkx>: edge 'li' -> 'wang' ['advises']`` with the attribute.

    Notes
    -----
    In an undirected graph (``Graph``, ``MultiGraph``) the two ends of an
    edge have no order, so a tie of a directed kind (``reports_to``,
    ``dotted_line``, ``advises``, ``influences``) needs a ``source`` edge
    attribute naming the end it starts from; without one the edge is reported
    as a problem rather than guessed. Mutual kinds need nothing. In a
    directed graph, a mutual tie present in both directions with the same
    attributes is one tie. The ``node_default`` and ``edge_default`` mappings
    networkx readers put in ``G.graph`` are ignored.

    Examples
    --------
    >>> import networkx as nx, stakegraph as sg
    >>> G = nx.karate_club_graph()
    >>> g = sg.from_networkx(G, default_kind="knows")
    >>> len(g), len(g.ties), g.person("0").extra["club"]
    (34, 78, 'Mr. Hi')
    >>> U = nx.Graph([("li", "wang", {"kind": "reports_to", "source": "li"})])
    >>> sg.from_networkx(U).manager("li")
    'wang'
    """
    if default_kind is not None:
        TieKind.parse(default_kind)
    deal = (
        {
            k: v
            for k, v in G.graph.items()
            if not (k in ("node_default", "edge_default") and isinstance(v, Mapping))
        }
        if isinstance(G, nx.Graph)
        else {}
    )
    reports = deal.pop(OBSERVATIONS_KEY, None)
    g = _graph_from_nx(
        G,
        "<networkx>",
        default_kind=default_kind,
        deal=deal,
        node_record=lambda nid, d: d,
        edge_record=lambda d: d,
        vocabulary=vocabulary,
    )
    return _with_observations(g, reports, "<networkx>")


# ----------------------------------------------------------------------------- files
def _escape(name: str, reserved: frozenset[str]) -> str:
    return ESCAPE + name if name in reserved or name.startswith(ESCAPE) else name


def _file_value(v: Any) -> Any:
    """A field's value as GraphML and GEXF hold it: lists ``;``-joined, dates ISO, enums as text."""
    if isinstance(v, (list, tuple)):
        return ";".join(str(_value(x)) for x in v)
    return _extra_file_value(_value(v))


def _extra_file_value(v: Any) -> Any:
    """An extra attribute as GraphML and GEXF hold it: text, numbers and booleans as they are, else JSON text."""
    if type(v) in (bool, int, float, str):
        return v
    return extra_text(v)


def _file_graph(graph: StakeholderGraph, fmt: str) -> nx.MultiDiGraph:
    """The MultiDiGraph written to a file: escaped names, plain values, labels and weights for Gephi."""
    H = nx.MultiDiGraph()
    if fmt == "graphml":
        d = graph.deal
        H.graph.update({f: _file_value(getattr(d, f)) for f in DEAL_FIELDS if _set(getattr(d, f))})
        H.graph.update({_escape(k, _GRAPH_RESERVED): _extra_file_value(v) for k, v in d.extra.items()})
    elif graph.deal.name:
        H.graph["name"] = graph.deal.name
    for pid, p in graph.people.items():
        attrs: dict[str, Any] = {"label": p.label}
        for f in PERSON_FIELDS[1:]:
            v = getattr(p, f)
            if _set(v):
                attrs[f] = _file_value(v)
        for k, v in p.extra.items():
            attrs[_escape(k, _NODE_RESERVED)] = _extra_file_value(v)
        H.add_nodes_from([(pid, attrs)])
    for i, t in enumerate(graph.ties):
        key = f"e{i}"
        attrs = {
            "kind": t.kind.value,
            "label": t.kind.value,
            "strength": t.strength,
            "weight": t.strength,
        }
        if fmt == "gexf":
            attrs["id"] = key
        if t.note:
            attrs["note"] = t.note
        for k, v in t.extra.items():
            attrs[_escape(k, _EDGE_RESERVED)] = _extra_file_value(v)
        H.add_edges_from([(t.source, t.target, key, attrs)])
    if fmt == "gexf":
        _uniform_types(H.nodes(data=True))
        _uniform_types((None, d) for *_, d in H.edges(keys=True, data=True))
    _check_xml(H)
    return H


def _uniform_types(items: Iterable[tuple[Any, dict[str, Any]]]) -> None:
    """GEXF declares one type per attribute: where values differ in type, write whole and decimal
    numbers as decimals (equal values) and anything else as text."""
    items = list(items)
    types: dict[str, set[type]] = {}
    for _, d in items:
        for k, v in d.items():
            types.setdefault(k, set()).add(type(v))
    mixed = {k: ts <= {int, float} for k, ts in types.items() if len(ts) > 1}
    for _, d in items:
        for k in mixed.keys() & d.keys():
            d[k] = float(d[k]) if mixed[k] else extra_text(d[k])


def _check_xml(H: nx.MultiDiGraph) -> None:
    problems: list[Problem] = []

    def check(where: str, d: Mapping[str, Any]) -> None:
        for k, v in d.items():
            for text, what in ((k, "name"), (v, "value")):
                if isinstance(text, str) and (m := _XML_ILLEGAL.search(text)):
                    problems.append(
                        Problem(
                            f"the {what} {text!r} holds the character U+{ord(m.group()):04X}, which XML cannot "
                            "hold; remove it",
                            where,
                            None,
                            str(k),
                        )
                    )

    check("<graph>: deal", H.graph)
    for n, d in H.nodes(data=True):
        check(f"<graph>: person {n!r}", {"id": n, **d})
    for u, v, d in H.edges(data=True):
        check(f"<graph>: tie {u!r} -> {v!r}", {"source": u, "target": v, **d})
    if problems:
        raise ValidationError(problems)


def _split_reserved(
    d: Mapping[str, Any], reserved: frozenset[str], fields: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Split file attributes into (fields, reserved attributes, extras), keeping their order.

    An escaped name (``extra:label``) is the extra ``label``; a reserved name
    is set aside; a field name is a field; anything else is an extra.
    """
    rec: dict[str, Any] = {}
    res: dict[str, Any] = {}
    extra: dict[Any, Any] = {}
    for k, v in d.items():
        if k.startswith(ESCAPE):
            extra[k[len(ESCAPE) :]] = v
        elif k in reserved:
            res[k] = v
            extra[(ESCAPE, k)] = v  # a stand-in, so a reserved attribute kept as an extra keeps its place
        elif k in fields:
            rec[k] = v
        else:
            extra[k] = v
    return rec, res, extra


def _keep(extra: dict[Any, Any], keep: Mapping[str, Any]) -> dict[str, Any]:
    """The extras: reserved stand-ins replaced by the attributes in ``keep``, the others dropped."""
    out: dict[str, Any] = {}
    for k, v in extra.items():
        if isinstance(k, tuple):
            if k[1] in keep:
                out[k[1]] = keep[k[1]]
        else:
            out[k] = v
    return out


def _file_node_record(nid: str, d: dict[str, Any]) -> dict[str, Any]:
    rec, res, extra = _split_reserved(d, _NODE_RESERVED, PERSON_FIELDS)
    keep = {
        k: v for k, v in res.items() if k != "label"
    }  # foreign reserved attributes (viz, pid...) are kept
    label = res.get("label")
    if label is not None:
        name = rec.get("name")
        if not name and str(label) != nid:
            rec["name"] = label
        elif str(label) != (name or nid):
            keep["label"] = label
    extra = _keep(extra, keep)
    if extra:
        rec["extra"] = extra
    return rec


def _file_edge_record(d: dict[str, Any]) -> dict[str, Any]:
    rec, res, extra = _split_reserved(d, _EDGE_RESERVED, TIE_FIELDS)
    for name in ("kind", "source", "target"):
        if name in res:
            rec[name] = res[name]
    keep = {k: v for k, v in res.items() if k not in ("kind", "source", "target", "id", "key")}
    if keep.get("weight", object()) == rec.get("strength"):
        del keep["weight"]
    if "label" in keep and keep["label"] == rec.get("kind"):
        del keep["label"]
    extra = _keep(extra, keep)
    if extra:
        rec["extra"] = extra
    return rec


def _scan_xml(root: ET.Element, name: str, line_of: Callable[[ET.Element], int | None]) -> list[Problem]:
    """What networkx would pass over silently: two nodes with one id, edges to undeclared nodes."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    edges = []
    for node in root.iter():
        if _local(node) != "node":
            continue
        inner = [c for c in node if _local(c) == "graph"]
        if inner:  # yEd-style groups: networkx would drop everyone inside
            inside = sum(1 for x in inner[0].iter() if _local(x) == "node")
            problems.append(
                Problem(
                    f"the node is a group holding a graph of its own ({inside} nodes), which stakegraph does not "
                    "read; ungroup it before exporting (in yEd: Grouping > Ungroup), or export a flat graph",
                    f"{name}: node {node.get('id')!r}",
                    line_of(node),
                    "id",
                )
            )
    for el in root.iter():
        local = _local(el)
        nid = el.get("id")
        if local == "node" and nid is not None:
            ids[nid] = ids.get(nid, 0) + 1
            if ids[nid] == 2:
                problems.append(
                    Problem(
                        f"duplicate id {nid!r}: two nodes have this id",
                        f"{name}: node {nid!r}",
                        line_of(el),
                        "id",
                    )
                )
        elif local == "edge":
            edges.append(el)
    for el in edges:
        src, tgt = el.get("source"), el.get("target")
        where = f"{name}: edge {src!r} -> {tgt!r}" + (f" [{el.get('id')!r}]" if el.get("id") else "")
        for end, nid in (("source", src), ("target", tgt)):
            if nid not in ids:
                msg = str(UnknownPersonError(nid, ids)).replace("in the graph", "among the nodes")
                problems.append(Problem(msg, where, line_of(el), end))
    return problems


def _xml_error(e: Exception, name: str, fmt: str) -> ValidationError:
    line = getattr(e, "position", (None,))[0]
    return ValidationError(Problem(f"not a readable {fmt} file: {e}", name, line, None))


def write_graphml(graph: StakeholderGraph, path: PathOrFile) -> None:
    """Write ``graph`` as GraphML (read by yEd, Gephi, Cytoscape and networkx).

    The file is written through networkx: a directed graph, one ``<node>``
    per person with its fields as data (``roles`` ``;``-joined, dates ISO,
    missing values left out) and a ``label``, one ``<edge>`` per tie with
    ``kind``, ``strength``, ``note``, a ``label`` (the kind) and a ``weight``
    (the strength), and the deal as graph data. A path is written to a
    temporary name and renamed, so an existing file is never half-written.
    The informants' reports are not written (a ``UserWarning`` says so).

    Parameters
    ----------
    graph : StakeholderGraph
    path : path or binary file object

    Raises
    ------
    ValidationError
        If a text holds a character XML cannot hold (a control character).

    See Also
    --------
    read_graphml : the inverse.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> g = sg.StakeholderGraph()
    >>> g.add_person("wang", name="王建國", roles=["decision_maker", "approver"])
    >>> g.add_person("li", stance="ally")
    >>> g.add_tie("li", "wang", "advises", 0.7)
    >>> buf = io.BytesIO()
    >>> sg.write_graphml(g, buf)
    >>> b"decision_maker;approver" in buf.getvalue()
    True
    >>> sg.read_graphml(io.BytesIO(buf.getvalue())) == g
    True
    """
    _dropped(graph, "GraphML")
    H = _file_graph(graph, "graphml")
    buf = _io.BytesIO()
    nx.write_graphml_xml(H, buf, encoding="utf-8", prettyprint=True)
    # XML parsers turn a raw carriage return in text into a newline; keep it as a reference.
    write_bytes(buf.getvalue().replace(b"\r", b"&#13;"), path)


MAX_XML_BYTES = 1 << 30
"""The largest GraphML or GEXF file read (1 GiB); larger graphs travel as CSV or JSON."""

MAX_XML_DEPTH = 256
"""The deepest element nesting read (these formats need fewer than ten levels)."""


class _Declared(Exception):
    pass


def _xml_pass(data: bytes) -> tuple[tuple[str, int] | None, list[int]]:
    """The first DTD, entity, notation or over-deep element a document holds (and its line), and the line
    of every element in document order, the order of ``ElementTree.iter()``.

    A pass of expat over the whole document (in any encoding it names) with
    a handler on every kind of declaration, whatever the Python build's own
    entity limits: nothing is expanded or fetched.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    lines: list[int] = []
    depth = 0

    def refuse(kind: str) -> Callable[..., None]:
        def handler(*_: Any) -> None:
            raise _Declared(kind, parser.CurrentLineNumber)

        return handler

    def start(*_: Any) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _Declared(f"nests elements deeper than {MAX_XML_DEPTH} levels", parser.CurrentLineNumber)
        lines.append(parser.CurrentLineNumber)

    def end(*_: Any) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse("declares a DOCTYPE")
    parser.EntityDeclHandler = refuse("declares an XML entity")
    parser.UnparsedEntityDeclHandler = refuse("declares an XML entity")
    parser.NotationDeclHandler = refuse("declares an XML notation")
    parser.ExternalEntityRefHandler = refuse("refers to an external entity")  # type: ignore[assignment]  # it raises instead of returning
    try:
        parser.Parse(data, True)
    except _Declared as d:
        return (str(d.args[0]), int(d.args[1])), lines
    except expat.ExpatError:
        pass  # not well-formed: the parser proper says where
    return None, lines


_BOOLEANS = {"GraphML": ("true", "false", "0", "1"), "GEXF": ("true", "false", "True", "False", "0", "1")}
_TYPES: dict[str, dict[str, type]] = {
    "GraphML": {
        "string": str,
        "yfiles": str,
        "int": int,
        "integer": int,
        "long": int,
        "float": float,
        "double": float,
        "boolean": bool,
    },
    "GEXF": {
        "string": str,
        "liststring": str,
        "anyURI": str,
        "integer": int,
        "long": int,
        "float": float,
        "double": float,
        "boolean": bool,
    },
}


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _typed(what: str, text: str | None, atype: str, title: str) -> str | None:
    """What is wrong with ``text`` as a value of the declared ``atype``, or None when it reads."""
    kind = _TYPES[what].get(atype)
    if kind is None:
        return (
            f"{title!r} is declared with type {atype!r}, which is not a {what} type "
            f"(allowed: {', '.join(sorted(_TYPES[what]))}); declare it as 'string'"
        )
    if text is None or kind is str:
        return None
    if kind is bool:
        ok = (text.lower() if what == "GraphML" else text) in _BOOLEANS[what]
        allowed = ", ".join(_BOOLEANS[what])
        return None if ok else f"{text[:40]!r} is not a boolean (allowed: {allowed}); correct the value"
    try:
        kind(text)
    except (ValueError, OverflowError):
        noun = "a whole number" if kind is int else "a number"
        return (
            f"{text[:40]!r} is not {noun}, as {title!r} is declared ({atype}); correct the value, "
            "or declare the attribute as 'string'"
        )
    return None


def _owner(el: ET.Element, name: str) -> str:
    local = _local(el)
    if local == "node":
        return f"{name}: node {el.get('id')!r}"
    if local == "edge":
        return f"{name}: edge {el.get('source')!r} -> {el.get('target')!r}"
    return name


def _scan_values(
    root: ET.Element, name: str, what: str, line_of: Callable[[ET.Element], int | None]
) -> list[Problem]:
    """Attribute values networkx would fail on with no place named: data of undeclared keys, values not of
    their declared type, keys without a name; each located at its element's line."""
    problems: list[Problem] = []
    if what == "GraphML":
        keys: dict[str | None, tuple[str, str]] = {}
        for k in root.iter():
            if _local(k) != "key":
                continue
            title = k.get("yfiles.type") or k.get("attr.name")
            atype = "yfiles" if k.get("yfiles.type") else (k.get("attr.type") or "string")
            if title is None:
                problems.append(
                    Problem(
                        f"key {k.get('id')!r} has no attr.name; give it one", name, line_of(k), "attr.name"
                    )
                )
                continue
            keys[k.get("id")] = (title, atype)
            bad = _typed(what, _text_of(k, "default"), atype, title)
            if bad:
                problems.append(Problem(f"the default: {bad}", name, line_of(k), title))
        for owner in root.iter():
            if _local(owner) not in ("node", "edge", "graph"):
                continue
            for d in owner:
                if _local(d) != "data":
                    continue
                key = d.get("key")
                if key not in keys:
                    declared = ", ".join(repr(k) for k in keys) or "none"
                    problems.append(
                        Problem(
                            f"the data refers to key {key!r}, which the file does not declare "
                            f"(declared: {declared}); declare it in a <key> element or remove the data",
                            _owner(owner, name),
                            line_of(d),
                            "key",
                        )
                    )
                    continue
                title, atype = keys[key]
                bad = None if len(d) else _typed(what, d.text, atype, title)
                if bad:
                    problems.append(Problem(bad, _owner(owner, name), line_of(d), title))
        return problems
    classes: dict[str, dict[str | None, tuple[str, str]]] = {"node": {}, "edge": {}}
    for block in root.iter():
        if _local(block) != "attributes":
            continue
        declared_in = classes.setdefault(block.get("class") or "", {})
        for a in block:
            if _local(a) != "attribute":
                continue
            title, atype = a.get("title") or str(a.get("id")), a.get("type") or "string"
            declared_in[a.get("id")] = (title, atype)
            bad = _typed(what, _text_of(a, "default"), atype, title)
            if bad:
                problems.append(Problem(f"the default: {bad}", name, line_of(a), title))
    for owner in root.iter():
        local = _local(owner)
        if local not in ("node", "edge"):
            continue
        if local == "edge":
            bad = _typed(what, owner.get("weight"), "float", "weight")
            if bad:
                problems.append(Problem(bad, _owner(owner, name), line_of(owner), "weight"))
        for block in owner:
            if _local(block) != "attvalues":
                continue
            for v in block:
                if _local(v) != "attvalue":
                    continue
                key = v.get("for")
                if key not in classes[local]:
                    declared = ", ".join(repr(k) for k in classes[local]) or "none"
                    problems.append(
                        Problem(
                            f"the value is for attribute {key!r}, which the file does not declare for {local}s "
                            f'(declared: {declared}); declare it in <attributes class="{local}"> or remove it',
                            _owner(owner, name),
                            line_of(v),
                            "for",
                        )
                    )
                    continue
                title, atype = classes[local][key]
                if v.get("value") is None:
                    problems.append(
                        Problem(
                            f"the value of {title!r} is missing; give the attvalue a value= or remove it",
                            _owner(owner, name),
                            line_of(v),
                            title,
                        )
                    )
                    continue
                bad = _typed(what, v.get("value"), atype, title)
                if bad:
                    problems.append(Problem(bad, _owner(owner, name), line_of(v), title))
    return problems


def _text_of(el: ET.Element, child: str) -> str | None:
    for c in el:
        if _local(c) == child:
            return c.text
    return None


def _read_xml(
    path: PathOrFile, what: str, build: Callable[[bytes, ET.Element], nx.Graph]
) -> tuple[nx.Graph, ET.Element, list[Problem], str, dict[tuple[str, ...], int]]:
    """The one reader of GraphML and GEXF: bytes through the shared file path, XML parsed once and
    checked, then ``build(data, root)`` makes the networkx graph; every failure a ValidationError.

    Documents that declare entities are refused: they are how XML files expand without bound or read
    other files, and neither format needs them. So are files over :data:`MAX_XML_BYTES` and elements
    nested deeper than :data:`MAX_XML_DEPTH`.
    """
    data, name = read_bytes(path, f"<{what.lower()}>", limit=MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValidationError(
            Problem(
                f"not read: the file is larger than {MAX_XML_BYTES >> 30} GiB, the most stakegraph reads as "
                f"{what}; save the graph as CSV or JSON instead",
                name,
                None,
                None,
            )
        )
    try:
        declared, lines = _xml_pass(data)  # before any parse that could expand what the document declares
        root = ET.fromstring(data) if declared is None else ET.Element("refused")
    except LookupError as e:  # the XML declaration names an encoding Python does not know
        raise ValidationError(
            Problem(
                f"not a readable {what} file: the XML declaration names an encoding Python does not know ({e}); "
                'correct it, e.g. encoding="utf-8"',
                name,
                1,
                "encoding",
            )
        ) from None
    except ET.ParseError as e:
        raise _xml_error(e, name, what) from None
    if declared is not None:
        raise ValidationError(
            Problem(
                f"not a readable {what} file: line {declared[1]} {declared[0]}, which stakegraph does not read "
                + (
                    "(these formats need fewer than ten levels); export the graph again"
                    if declared[0].startswith("nests")
                    else "(it is how XML files expand without bound or read other files, and neither format "
                    "needs it); export the file again without a DOCTYPE"
                ),
                name,
                declared[1],
                None,
            )
        )
    index = {id(el): i for i, el in enumerate(root.iter())} if len(lines) else {}

    def line_of(el: ET.Element) -> int | None:
        i = index.get(id(el))
        return lines[i] if i is not None and i < len(lines) else None

    located = _scan_values(root, name, what, line_of)
    if located:
        raise ValidationError(located)
    scanned = _scan_xml(root, name, line_of)
    where: dict[tuple[str, ...], int] = {}
    for el in root.iter():
        local, line = _local(el), line_of(el)
        if line is None:
            continue
        if local == "node":
            where.setdefault(("node", str(el.get("id"))), line)
        elif local == "edge":
            ends = (str(el.get("source")), str(el.get("target")))
            where.setdefault(("edge", *ends), line)
            if el.get("id") is not None:
                where.setdefault(("edge", *ends, str(el.get("id"))), line)
    try:
        G = build(data, root)
    except (nx.NetworkXError, KeyError, ValueError, TypeError, OverflowError) as e:
        raise ValidationError(Problem(f"not a readable {what} file: {e}", name, None, None)) from None
    return G, root, scanned, name, where


def read_graphml(
    path: PathOrFile, *, default_kind: str | None = None, vocabulary: VocabularySource = None
) -> StakeholderGraph:
    """Read a graph from GraphML (as :func:`write_graphml` writes it, or from yEd or Gephi).

    Parameters
    ----------
    path : path or file object
    default_kind : str, optional
        The kind of edges without a ``kind`` attribute (files made elsewhere).
    vocabulary : Vocabulary, mapping or TOML path, optional
        The words accepted for stances, roles, tie kinds... besides the
        canonical names (default: the built-in :class:`~stakegraph.Vocabulary`).

    Returns
    -------
    StakeholderGraph

    Raises
    ------
    ValidationError
        Listing every problem, located as ``file: node 'li'`` or
        ``file: edge 'li' -> 'wang' ['e0']`` with the attribute; or naming the
        line of an XML syntax error.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking", competitors=["Acme", "Globex"]))
    >>> g.add_person("li", name="Li Wei")
    >>> buf = io.BytesIO(); sg.write_graphml(g, buf)
    >>> sg.read_graphml(io.BytesIO(buf.getvalue())).deal.competitors
    ('Acme', 'Globex')
    """
    if default_kind is not None:
        TieKind.parse(default_kind)
    G, root, scanned, name, lines = _read_xml(
        path,
        "GraphML",
        lambda data, root: nx.parse_graphml(data, node_type=str, edge_key_type=str, force_multigraph=True),
    )
    rec, res, extra = _split_reserved(G.graph, _GRAPH_RESERVED, DEAL_FIELDS)
    keep = {k: v for k, v in res.items() if k not in ("node_default", "edge_default")}
    deal = {**rec, "extra": _keep(extra, keep)}
    return _graph_from_nx(
        G,
        name,
        default_kind=default_kind,
        deal=deal,
        node_record=_file_node_record,
        edge_record=_file_edge_record,
        key_is_kind=False,
        vocabulary=vocabulary,
        problems=scanned,
        lines=lines,
    )


def write_gexf(graph: StakeholderGraph, path: PathOrFile) -> None:
    """Write ``graph`` as GEXF 1.2 (Gephi's format).

    Written through networkx: a directed graph, nodes labelled with the
    person's name, edges labelled with their kind and weighted by their
    strength, every field and extra as an attribute (``roles`` ``;``-joined,
    dates ISO, missing values left out). GEXF has no graph attributes, so
    the deal is kept as JSON in ``<meta><description>``. A path is written to
    a temporary name and renamed. The informants' reports are not written
    (a ``UserWarning`` says so).

    Parameters
    ----------
    graph : StakeholderGraph
    path : path or binary file object

    See Also
    --------
    read_gexf : the inverse.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> g = sg.StakeholderGraph(deal=sg.Deal(name="Core banking", stage="commercial"))
    >>> g.add_person("wang", name="王建國"); g.add_person("li")
    >>> g.add_tie("li", "wang", "friend", 0.5)
    >>> buf = io.BytesIO(); sg.write_gexf(g, buf)
    >>> back = sg.read_gexf(io.BytesIO(buf.getvalue()))
    >>> back == g, back.deal.stage.percent
    (True, 70)
    """
    from networkx.readwrite.gexf import GEXFWriter

    _dropped(graph, "GEXF")
    H = _file_graph(graph, "gexf")
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(H)
    meta = writer.xml.find("meta")
    deal = {k: v for k, v in graph.deal.to_record().items() if v is not None and v != "" and v != []}
    if meta is None:
        meta = ET.SubElement(writer.xml, "meta")
    description = ET.SubElement(meta, "description")
    description.text = json.dumps({"stakegraph": 1, "deal": deal}, ensure_ascii=False, default=str)
    buf = _io.BytesIO()
    writer.write(buf)
    write_bytes(buf.getvalue().replace(b"\r", b"&#13;"), path)


def _gexf_deal(root: ET.Element) -> dict[str, Any] | None:
    """The deal kept in ``<meta><description>`` by :func:`write_gexf`, if any."""
    for meta in root:
        if meta.tag.rsplit("}", 1)[-1] != "meta":
            continue
        for child in meta:
            if child.tag.rsplit("}", 1)[-1] == "description" and child.text:
                try:
                    doc = json.loads(child.text)
                except ValueError:
                    return None
                deal = doc.get("deal") if isinstance(doc, dict) and doc.get("stakegraph") == 1 else None
                if isinstance(deal, dict):
                    return deal
    return None


def read_gexf(
    path: PathOrFile, *, default_kind: str | None = None, vocabulary: VocabularySource = None
) -> StakeholderGraph:
    """Read a graph from GEXF (as :func:`write_gexf` writes it, or from Gephi).

    Parameters
    ----------
    path : path or file object
    default_kind : str, optional
        The kind of edges without a ``kind`` attribute (files made elsewhere).
    vocabulary : Vocabulary, mapping or TOML path, optional
        The words accepted for stances, roles, tie kinds... besides the
        canonical names (default: the built-in :class:`~stakegraph.Vocabulary`).

    Returns
    -------
    StakeholderGraph

    Raises
    ------
    ValidationError
        Listing every problem, located as ``file: node 'li'`` or
        ``file: edge 'li' -> 'wang' ['e0']`` with the attribute.

    Examples
    --------
    >>> import io, stakegraph as sg
    >>> g = sg.StakeholderGraph(); g.add_person("li", name="Li Wei", openness=0.25)
    >>> buf = io.BytesIO(); sg.write_gexf(g, buf)
    >>> sg.read_gexf(io.BytesIO(buf.getvalue())).person("li").openness
    0.25
    """
    if default_kind is not None:
        TieKind.parse(default_kind)
    G, root, scanned, name, lines = _read_xml(
        path, "GEXF", lambda data, root: nx.read_gexf(_io.BytesIO(data), node_type=str, version="1.2draft")
    )
    deal = _gexf_deal(root)
    if deal is None:
        deal = {"name": G.graph["name"]} if G.graph.get("name") else {}
    return _graph_from_nx(
        G,
        name,
        default_kind=default_kind,
        deal=deal,
        node_record=_file_node_record,
        edge_record=_file_edge_record,
        key_is_kind=False,
        vocabulary=vocabulary,
        problems=scanned,
        lines=lines,
    )
