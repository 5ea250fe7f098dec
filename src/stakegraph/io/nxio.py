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
) -> StakeholderGraph:
    """The shared reader: records from nodes and edges, problems located by node and edge."""
    if not isinstance(G, nx.Graph):
        raise ValidationError(Problem(f"expected a networkx graph; got {type(G).__name__}", name, None, None))
    problems = list(problems)
    people: list[dict[str, Any]] = []
    pw: list[tuple[str, None]] = []
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
                        None,
                        "id",
                    )
                )
        rec = node_record(nid, data)
        rec["id"] = nid
        people.append(rec)
        pw.append((where, None))
    ties: list[dict[str, Any]] = []
    tw: list[tuple[str, None]] = []
    mutual_seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    directed = G.is_directed()
    for u, v, key, data in _edges(G):
        su, sv = str(u), str(v)
        where = f"{name}: edge {su!r} -> {sv!r}" + (f" [{key!r}]" if key is not None else "")
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
                            None,
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
            kw, probs = parse_tie(rec, (where, None), vocabulary=vocabulary)
            if not probs:
                tkey = tie_key(kw["source"], kw["target"], kw["kind"])
                body = {k: v for k, v in kw.items() if k not in ("source", "target")}
                if mutual_seen.get(tkey) == body:
                    continue  # the same mutual tie given in both directions
                mutual_seen.setdefault(tkey, body)
        ties.append(rec)
        tw.append((where, None))
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


def _scan_xml(root: ET.Element, name: str) -> list[Problem]:
    """What networkx would pass over silently: two nodes with one id, edges to undeclared nodes."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    edges = []
    for node in root.iter():
        if not (isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == "node"):
            continue
        inner = [c for c in node if isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1] == "graph"]
        if inner:  # yEd-style groups: networkx would drop everyone inside
            inside = sum(1 for x in inner[0].iter() if isinstance(x.tag, str) and x.tag.endswith("node"))
            problems.append(
                Problem(
                    f"the node is a group holding a graph of its own ({inside} nodes), which stakegraph does not "
                    "read; ungroup it before exporting (in yEd: Grouping > Ungroup), or export a flat graph",
                    f"{name}: node {node.get('id')!r}",
                    None,
                    "id",
                )
            )
    for el in root.iter():
        local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        nid = el.get("id")
        if local == "node" and nid is not None:
            ids[nid] = ids.get(nid, 0) + 1
            if ids[nid] == 2:
                problems.append(
                    Problem(
                        f"duplicate id {nid!r}: two nodes have this id", f"{name}: node {nid!r}", None, "id"
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
                problems.append(Problem(msg, where, None, end))
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


class _Declared(Exception):
    pass


def _declarations(data: bytes) -> tuple[str, int] | None:
    """The first DTD, entity or notation a document declares, and its line; None when it declares none.

    A pass of expat over the whole document (in any encoding it names) with
    a handler on every kind of declaration, whatever the Python build's own
    entity limits: nothing is expanded or fetched.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()

    def refuse(kind: str) -> Callable[..., None]:
        def handler(*_: Any) -> None:
            raise _Declared(kind, parser.CurrentLineNumber)

        return handler

    parser.StartDoctypeDeclHandler = refuse("a DOCTYPE")
    parser.EntityDeclHandler = refuse("an XML entity")
    parser.UnparsedEntityDeclHandler = refuse("an XML entity")
    parser.NotationDeclHandler = refuse("an XML notation")
    parser.ExternalEntityRefHandler = refuse("an external entity")  # type: ignore[assignment]  # it raises instead of returning
    try:
        parser.Parse(data, True)
    except _Declared as d:
        return str(d.args[0]), int(d.args[1])
    except expat.ExpatError:
        return None  # not well-formed: the parser proper says where
    return None


def _read_xml(
    path: PathOrFile, what: str, build: Callable[[bytes, ET.Element], nx.Graph]
) -> tuple[nx.Graph, ET.Element, list[Problem], str]:
    """The one reader of GraphML and GEXF: bytes through the shared file path, XML parsed once and
    checked, then ``build(data, root)`` makes the networkx graph; every failure a ValidationError.

    Documents that declare entities are refused: they are how XML files expand without bound or read
    other files, and neither format needs them.
    """
    data, name = read_bytes(path, f"<{what.lower()}>")
    declared = _declarations(data)
    if declared is not None:
        raise ValidationError(
            Problem(
                f"not a readable {what} file: line {declared[1]} declares {declared[0]}, which stakegraph does "
                "not read (it is how XML files expand without bound or read other files, and neither format "
                "needs it); export the file again without a DOCTYPE",
                name,
                declared[1],
                None,
            )
        )
    try:
        root = ET.fromstring(data)
        scanned = _scan_xml(root, name)
        G = build(data, root)
    except ET.ParseError as e:
        raise _xml_error(e, name, what) from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as e:
        raise ValidationError(Problem(f"not a readable {what} file: {e}", name, None, None)) from None
    return G, root, scanned, name


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
    G, root, scanned, name = _read_xml(
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
    G, root, scanned, name = _read_xml(
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
    )
