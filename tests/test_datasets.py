"""Tests of stakegraph.datasets: the embedded accounts, the real data sets and synthetic_org.

The real data sets are checked against the reference numbers published in their
READMEs (and against the raw CSV files read here independently); the sample
accounts against every requirement they were written to meet; the generator
against networkx's view of its reporting tree and against the validating
loader (every generated graph must pass ``from_records`` unchanged).
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import json
import re
from importlib.resources import files
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph import datasets
from stakegraph.enums import Org, Reason, Role, Stance, TieKind
from stakegraph.model import StakeholderGraph

DATA = files("stakegraph.datasets").joinpath("data")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data beside the repo
POWER_ROLES = {Role.DECISION_MAKER, Role.SPONSOR, Role.APPROVER}
HIDDEN = {TieKind.ADVISES, TieKind.INFLUENCES, TieKind.FRIEND, TieKind.RIVAL, TieKind.KNOWS}


@pytest.fixture(scope="module")
def bank() -> StakeholderGraph:
    return datasets.load("bank")


@pytest.fixture(scope="module")
def later() -> StakeholderGraph:
    return datasets.load("bank_later")


@pytest.fixture(scope="module")
def krack() -> StakeholderGraph:
    return datasets.load("krackhardt")


@pytest.fixture(scope="module")
def lazega() -> StakeholderGraph:
    return datasets.load("lazega")


def customers(g: StakeholderGraph) -> list[str]:
    return [i for i, p in g.people.items() if p.org is Org.CUSTOMER]


def raw_rows(folder: str, name: str) -> list[dict[str, str]]:
    with DATA.joinpath(folder, name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ============================================================================ names / load / describe
def test_names_lists_every_data_set():
    assert datasets.names() == ["bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"]
    assert sorted(datasets.__all__) == ["describe", "load", "names", "synthetic_org"]
    assert sg.datasets is datasets


@pytest.mark.parametrize("name", ["bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"])
def test_load_returns_a_fresh_graph(name):
    g = datasets.load(name)
    assert isinstance(g, StakeholderGraph) and len(g) > 0
    g.add_person("someone-new")
    assert "someone-new" not in datasets.load(name)


@pytest.mark.parametrize("func", [datasets.load, datasets.describe])
def test_unknown_name_suggests_and_lists(func):
    with pytest.raises(sg.ValidationError) as e:
        func("bnak")
    msg = str(e.value)
    assert f"The 'name' parameter of {func.__name__}" in msg
    assert "did you mean 'bank'?" in msg
    for name in datasets.names():
        assert repr(name) in msg
    with pytest.raises(sg.ValidationError, match="Got 3 instead"):
        func(3)
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("name", ["bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"])
def test_describe_has_every_section_and_the_true_size(name):
    text = datasets.describe(name)
    for heading in ("Size:", "Directions", "Provenance", "Citation", "Terms"):
        assert heading in text
    g = datasets.load(name)
    kinds = collections.Counter(t.kind.value for t in g.ties)
    assert f"{len(g)} people" in text and f"{len(g.ties)} ties" in text
    for kind, count in kinds.items():
        assert f"{count} {kind}" in text


def test_describe_bank_size_matches_the_raw_json():
    doc = json.loads(DATA.joinpath("bank.json").read_text(encoding="utf-8"))
    assert doc["stakegraph"] == 2 and len(doc["observations"]) == 30  # version 2: the informants' reports
    first = datasets.describe("bank").splitlines()[2]
    assert f"Size: {len(doc['people'])} people" in first
    assert f"{len(doc['ties'])} ties" in first
    assert "licence" in datasets.describe("bank").lower()


@pytest.mark.parametrize(
    "name, cite",
    [
        ("krackhardt", "Krackhardt, D. (1987). Cognitive social structures."),
        ("lazega", "Lazega, E. (2001). *The Collegial Phenomenon"),
    ],
)
def test_describe_quotes_the_readme_provenance_citation_and_terms(name, cite):
    readme = DATA.joinpath(name, "README.md").read_text(encoding="utf-8")
    text = datasets.describe(name)
    sections = re.split(r"^## ", readme, flags=re.M)
    quoted = {s.split("\n", 1)[0].strip(): s.split("\n", 1)[1].strip() for s in sections[1:]}
    for heading in ("Provenance", "Citation", "Licence / terms"):
        assert quoted[heading] in text
    assert cite in quoted["Citation"] and cite in text
    assert datasets.load(name).deal.extra["citation"].startswith(cite)  # the citation travels with the graph


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data folder is not available")
@pytest.mark.parametrize("name", ["krackhardt", "lazega"])
@pytest.mark.parametrize("file", ["README.md", "people.csv", "relations.csv"])
def test_packaged_real_data_is_an_exact_copy(name, file):
    assert DATA.joinpath(name, file).read_bytes() == (SHARED / name / file).read_bytes()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data folder is not available")
def test_packaged_perceptions_are_an_exact_copy():
    assert (
        DATA.joinpath("krackhardt", "css_perceptions.csv").read_bytes()
        == (SHARED / "krackhardt" / "css_perceptions.csv").read_bytes()
    )


def test_krackhardt_css_holds_every_perception_as_a_report():
    g = datasets.load("krackhardt_css")
    rows = raw_rows("krackhardt", "css_perceptions.csv")
    advice = {(r["perceiver"], r["target"], r["source"]) for r in rows if r["relation"] == "advice"}
    said = {
        (o.informant, o.subject, o.target) for o in g.observations if o.value is TieKind.ADVISES and o.present
    }
    assert said == advice and len(advice) == 2735  # advisor -> asker, as the advises ties
    assert len(g.observations) == 21 * (420 + 210)
    assert g.people == datasets.load("krackhardt").people
    assert "13230 reports by 21 informants" in datasets.describe("krackhardt_css")
    assert g.deal.extra["citation"].startswith("Krackhardt, D. (1987)")


@pytest.mark.parametrize("name", ["bank", "bank_later", "krackhardt", "krackhardt_css", "lazega"])
def test_round_trip_through_json_is_lossless(name):
    g = datasets.load(name)
    assert sg.read_json(io.StringIO(sg.write_json(g))) == g


@pytest.mark.parametrize("name", ["bank", "bank_later"])
def test_packaged_json_conforms_to_the_schema(name):
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(DATA.joinpath(f"{name}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(sg.io.jsonio.schema())
    assert [e.message for e in validator.iter_errors(doc)] == []


# ============================================================================ bank
def test_bank_size_and_sides(bank):
    sides = collections.Counter(p.org for p in bank.people.values())
    assert 25 <= sides[Org.CUSTOMER] <= 40 and 25 <= len(bank) <= 40
    assert 3 <= sides[Org.US] <= 4
    assert sides[Org.PARTNER] >= 1 and 1 <= sides[Org.COMPETITOR] <= 2
    partner_firms = {p.department for p in bank.people.values() if p.org is Org.PARTNER}
    competitor_firms = {p.department for p in bank.people.values() if p.org is Org.COMPETITOR}
    assert len(partner_firms) == 1 and len(competitor_firms) == 1
    assert set(bank.deal.competitors) == competitor_firms
    depts = {bank.person(i).department for i in customers(bank)}
    assert {"IT", "Operations", "Risk", "Finance", "Procurement", "Board"} <= depts


def test_bank_every_stance_reason_and_role(bank):
    people = [bank.person(i) for i in customers(bank)]
    assert {p.stance for p in people} == set(Stance)
    assert {p.reason for p in people if p.reason is not None} == set(Reason)
    assert {r for p in people for r in p.roles} == set(Role)
    for p in people:  # a reason explains a lack of support
        if p.reason in (Reason.DOUBT, Reason.MISINFORMED):
            assert not p.stance.supportive


def test_bank_reporting_tree(bank):
    cust = set(customers(bank))
    reports = [t for t in bank.ties if t.kind is TieKind.REPORTS_TO]
    tree = nx.DiGraph([(t.target, t.source) for t in reports])  # manager -> report
    assert set(tree) <= cust
    assert nx.is_forest(tree) and nx.is_directed_acyclic_graph(tree)
    assert all(d <= 1 for _, d in tree.in_degree())
    dm = bank.decision_makers()[0]
    (top,) = [i for i in nx.ancestors(tree, dm) if tree.in_degree(i) == 0]
    assert bank.levels()[top] == 0
    depth = nx.single_source_shortest_path_length(tree, top)  # the chart the decision-maker is on
    assert len(depth) >= 25 and max(depth.values()) >= 4
    levels = bank.levels()
    assert all(levels[i] == d for i, d in depth.items())
    off_chart = cust - set(depth)
    assert all(bank.person(i).department in ("Board", "Internal Audit") for i in off_chart)
    assert sum(t.kind is TieKind.DOTTED_LINE for t in bank.ties) >= 1


def test_bank_hidden_ties(bank):
    kinds = collections.Counter(t.kind for t in bank.ties)
    assert all(kinds[k] >= 2 for k in HIDDEN)
    for t in bank.ties:
        assert 0 < t.strength <= 1
        if t.kind in HIDDEN:
            assert 0.3 <= t.strength <= 0.9


def test_bank_decision_maker_not_met(bank):
    dms = bank.decision_makers()
    assert len(dms) == 1
    dm = bank.person(dms[0])
    assert dm.relationship is None and dm.last_contact is None
    ours = {i for i, p in bank.people.items() if p.org is Org.US}
    assert not [t for t in bank.ties if dm.id in (t.source, t.target) and ({t.source, t.target} & ours)]
    assert dm.level is None or dm.level <= 1
    assert bank.levels()[dm.id] <= 1


def test_bank_gatekeeper_on_the_path_to_the_decision_maker(bank):
    dm = bank.decision_makers()[0]
    (gk,) = bank.with_role("gatekeeper")
    person = bank.person(gk)
    assert "Assistant" in person.title and bank.manager(gk) == dm
    ours = {i for i, p in bank.people.items() if p.org is Org.US}
    assert any({t.source, t.target} & ours for t in bank.ties_of(gk))


def test_bank_coach_and_champion(bank):
    coaches = bank.with_role("coach")
    assert coaches and all(bank.person(c).stance.supportive for c in coaches)
    assert all(bank.person(c).relationship >= 0.7 for c in coaches)


def test_bank_powerful_hostile_tied_to_the_competitor(bank):
    competitor = {i for i, p in bank.people.items() if p.org is Org.COMPETITOR}
    levels = bank.levels()
    hostile = [
        i
        for i in customers(bank)
        if bank.person(i).stance is Stance.HOSTILE
        and bank.person(i).roles
        and set(bank.person(i).roles) & POWER_ROLES
        and levels[i] <= 2
    ]
    assert hostile
    h = hostile[0]
    assert any({t.source, t.target} & competitor for t in bank.ties_of(h))
    assert any(
        t.source == h and t.kind is TieKind.INFLUENCES and t.target in bank.decision_makers()
        for t in bank.ties
    )


def test_bank_hidden_influencer_low_on_the_chart(bank):
    cust = set(customers(bank))
    group = {i for i in cust if bank.person(i).roles}
    listen = nx.DiGraph()
    listen.add_nodes_from(cust)
    for t in bank.ties:
        if t.kind in (TieKind.ADVISES, TieKind.INFLUENCES) and {t.source, t.target} <= cust:
            listen.add_edge(t.target, t.source, weight=t.strength)  # listener -> influencer
    pr = nx.pagerank(listen, weight="weight")
    best, second = sorted(pr, key=pr.get, reverse=True)[:2]
    p = bank.person(best)
    assert bank.levels()[best] >= 3 and not set(p.roles) & POWER_ROLES
    assert pr[best] > 2 * pr[second]
    strong_into_group = [
        t
        for t in bank.ties
        if t.source == best
        and t.target in group
        and t.kind in (TieKind.ADVISES, TieKind.INFLUENCES)
        and t.strength >= 0.5
    ]
    assert len(strong_into_group) >= 6
    assert bank.decision_makers()[0] in {t.target for t in strong_into_group}


def test_bank_relationships_owners_and_contacts(bank):
    as_of = bank.deal.as_of
    ours = {i for i, p in bank.people.items() if p.org is Org.US}
    known = [bank.person(i) for i in customers(bank) if bank.person(i).relationship is not None]
    assert len(known) >= 15
    for p in known:
        assert 0 <= p.relationship <= 1 and p.owner in ours and p.last_contact <= as_of
    ages = [(as_of - p.last_contact).days for p in known]
    assert sum(a > 90 for a in ages) >= 2 and sum(a <= 14 for a in ages) >= 3
    owners = collections.Counter(p.owner for p in known)
    manager = [i for i in ours if "Account" in bank.person(i).title]
    assert len(manager) == 1 and owners[manager[0]] == max(owners.values())


def test_bank_plain_text_for_key_people(bank):
    key = {bank.decision_makers()[0], *bank.with_role("sponsor"), *bank.with_role("coach")}
    key |= {i for i in customers(bank) if bank.person(i).stance is Stance.HOSTILE}
    key |= {i for i in customers(bank) if bank.person(i).reason is not None}
    for i in key:
        p = bank.person(i)
        assert len(p.notes) + len(p.needs) > 40, i


def test_bank_names_and_deal(bank):
    names = [p.name for p in bank.people.values()]
    assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names)
    assert sum(any(ord(ch) > 127 for ch in n) for n in names) >= 4
    assert len(set(names)) == len(names)
    d = bank.deal
    assert d.stage is sg.Stage.DEEP_CONTACT and d.name
    assert d.as_of == dt.date(2026, 9, 15) and d.decision_date > d.as_of
    assert d.competitors


# ============================================================================ bank_later
FIELD_CHANGES = {
    "head_fpa": {"stance", "reason", "last_contact", "notes"},
    "it_security": {"stance", "reason", "title", "relationship", "last_contact", "notes"},
    "head_core_it": {"last_contact"},
}


def test_bank_later_is_dated_later(bank, later):
    assert later.deal.as_of > bank.deal.as_of
    assert (later.deal.as_of - bank.deal.as_of).days <= 42
    rest = lambda d: {k: v for k, v in d.to_record().items() if k != "as_of"}  # noqa: E731
    assert rest(later.deal) == rest(bank.deal)


def test_bank_later_people_and_stances(bank, later):
    assert set(later.people) - set(bank.people) == {"ciso"}
    assert set(bank.people) <= set(later.people)
    new = later.person("ciso")
    assert new.org is Org.CUSTOMER and new.stance is Stance.UNKNOWN and new.relationship is None
    changed = {
        i: (bank.person(i).stance, later.person(i).stance)
        for i in bank.people
        if bank.person(i).stance != later.person(i).stance
    }
    assert changed == {
        "head_fpa": (Stance.SUPPORTER, Stance.SKEPTIC),
        "it_security": (Stance.SKEPTIC, Stance.ALLY),
    }
    assert later.person("head_fpa").reason is Reason.BACKSLIDING
    assert later.person("it_security").reason is None
    backsliders = [
        i
        for i in bank.people
        if bank.person(i).stance.supportive
        and not later.person(i).stance.supportive
        and later.person(i).reason is Reason.BACKSLIDING
    ]
    new_allies = [
        i
        for i in bank.people
        if bank.person(i).stance in (Stance.NEUTRAL, Stance.SKEPTIC) and later.person(i).stance is Stance.ALLY
    ]
    assert backsliders == ["head_fpa"] and new_allies == ["it_security"]
    for i in bank.people:
        before, after = bank.person(i).to_record(), later.person(i).to_record()
        diff = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert diff == FIELD_CHANGES.get(i, set()), i


def test_bank_later_ties(bank, later):
    old = {t.key: t.strength for t in bank.ties}
    new = {t.key: t.strength for t in later.ties}
    gained = set(new) - set(old)
    lost = set(old) - set(new)
    assert gained == {
        ("ciso", "cio", "reports_to"),
        ("it_security", "ciso", "reports_to"),
        ("it_security", "ciso", "advises"),
        ("coo", "head_fpa", "influences"),
    }
    assert lost == {("it_security", "cio", "reports_to"), ("comp_se", "it_security", "influences")}
    moved = {k for k in set(old) & set(new) if old[k] != new[k]}
    assert moved == {("it_security", "us_se", "knows")}
    assert new[("it_security", "us_se", "knows")] > old[("it_security", "us_se", "knows")]
    assert later.manager("it_security") == "ciso" and later.manager("ciso") == "cio"


def test_bank_later_still_meets_the_account_rules(later):
    assert 25 <= len(later) <= 40
    dm = later.person(later.decision_makers()[0])
    assert dm.relationship is None and dm.last_contact is None


# ============================================================================ krackhardt
def test_krackhardt_people_and_levels(krack):
    assert len(krack) == 21
    assert collections.Counter(p.level for p in krack.people.values()) == {0: 1, 1: 4, 2: 16}
    assert krack.person("7").level == 0
    assert {i for i, p in krack.people.items() if p.level == 1} == {"2", "14", "18", "21"}
    for row in raw_rows("krackhardt", "people.csv"):
        p = krack.person(row["id"])
        assert p.extra["age"] == int(row["age"]) and p.extra["tenure"] == float(row["tenure"])
        assert krack.manager(row["id"]) == (row["reports_to"] or None)
        assert p.stance is Stance.UNKNOWN
        assert p.department == ("" if row["department"] == "0" else f"Department {row['department']}")


def test_krackhardt_tie_counts(krack):
    kinds = collections.Counter(t.kind for t in krack.ties)
    assert kinds[TieKind.ADVISES] == 190 and kinds[TieKind.REPORTS_TO] == 20
    rows = raw_rows("krackhardt", "relations.csv")
    nominations = [(r["source"], r["target"]) for r in rows if r["relation"] == "friendship"]
    assert len(nominations) == 102
    pairs = {frozenset(x) for x in nominations}
    assert kinds[TieKind.FRIEND] == len(pairs) == 23 + 56  # dyad census: mutual + asymmetric
    assert sum(1 for a in range(1, 22) for b in range(a + 1, 22)) - len(pairs) == 131  # null dyads
    mutual = [t for t in krack.ties if t.kind is TieKind.FRIEND and ";" in t.extra["nominated_by"]]
    assert len(mutual) == 23
    for t in krack.ties:
        if t.kind is TieKind.FRIEND:
            named = set(t.extra["nominated_by"].split(";"))
            assert named <= {t.source, t.target}
            assert all((a, ({t.source, t.target} - {a}).pop()) in nominations for a in named)


def test_krackhardt_advice_direction_matches_published_numbers(krack):
    advises = [t for t in krack.ties if t.kind is TieKind.ADVISES]
    sought = collections.Counter(t.source for t in advises)  # advisor = source of an advises tie
    assert (sought["2"], sought["18"], sought["21"], sought["1"], sought["7"]) == (18, 15, 15, 13, 13)
    seek = nx.DiGraph()
    seek.add_nodes_from(krack.people)
    seek.add_edges_from((t.target, t.source) for t in advises)  # back to "asks for advice" arcs
    census = nx.triadic_census(seek)
    order = "003 012 102 021D 021U 021C 111D 111U 030T 030C 201 120D 120U 120C 210 300".split()
    assert [census[c] for c in order] == [74, 153, 90, 160, 86, 49, 59, 101, 190, 2, 72, 62, 78, 17, 107, 30]
    mutual = sum(1 for a, b in seek.edges if seek.has_edge(b, a)) // 2
    assert mutual == 45  # advice dyad census M
    pr = nx.pagerank(seek, alpha=0.85)
    assert round(pr["21"], 4) == 0.1638 and round(pr["7"], 4) == 0.1040


def test_krackhardt_formal_spans(krack):
    span = collections.Counter(t.target for t in krack.ties if t.kind is TieKind.REPORTS_TO)
    assert (span["14"], span["7"], span["21"], span["2"], span["18"]) == (7, 4, 4, 3, 2)


def test_krackhardt_friendship_census_matches_published(krack):
    rows = raw_rows("krackhardt", "relations.csv")
    fr = nx.DiGraph()
    fr.add_nodes_from(krack.people)
    for t in krack.ties:  # rebuild the nominations from nominated_by alone
        if t.kind is TieKind.FRIEND:
            for a in t.extra["nominated_by"].split(";"):
                fr.add_edge(a, t.target if a == t.source else t.source)
    assert sorted(fr.edges) == sorted(
        (r["source"], r["target"]) for r in rows if r["relation"] == "friendship"
    )
    census = nx.triadic_census(fr)
    order = "003 012 102 021D 021U 021C 111D 111U 030T 030C 201 120D 120U 120C 210 300".split()
    assert [census[c] for c in order] == [376, 366, 143, 114, 34, 35, 39, 101, 23, 0, 20, 16, 25, 9, 23, 6]


# ============================================================================ lazega
def test_lazega_people(lazega):
    assert len(lazega) == 71
    status = collections.Counter(p.extra["status"] for p in lazega.people.values())
    assert status == {"partner": 36, "associate": 35}
    assert all(p.level == (0 if int(i) <= 36 else 1) for i, p in lazega.people.items())
    assert collections.Counter(p.extra["office"] for p in lazega.people.values()) == {
        "Boston": 48,
        "Hartford": 19,
        "Providence": 4,
    }
    assert collections.Counter(p.extra["gender"] for p in lazega.people.values()) == {"man": 53, "woman": 18}
    assert {p.department for p in lazega.people.values()} == {"litigation", "corporate"}
    assert not [t for t in lazega.ties if t.kind.formal]


def test_lazega_tie_counts(lazega):
    kinds = collections.Counter(t.kind for t in lazega.ties)
    rows = raw_rows("lazega", "relations.csv")
    raw = collections.Counter(r["relation"] for r in rows)
    assert raw == {"advice": 892, "friendship": 575, "cowork": 1104}
    assert kinds[TieKind.ADVISES] == 892
    for kind, rel, (m, a) in (
        (TieKind.FRIEND, "friendship", (176, 223)),
        (TieKind.KNOWS, "cowork", (378, 348)),
    ):
        pairs = {frozenset((r["source"], r["target"])) for r in rows if r["relation"] == rel}
        assert kinds[kind] == len(pairs) == m + a  # dyad census: mutual + asymmetric


def test_lazega_published_numbers(lazega):
    advises = [t for t in lazega.ties if t.kind is TieKind.ADVISES]
    sought = collections.Counter(t.source for t in advises)
    assert (sought["26"], sought["13"], sought["17"], sought["24"], sought["34"]) == (37, 34, 26, 26, 25)
    partner = {i for i, p in lazega.people.items() if p.extra["status"] == "partner"}
    up = sum(1 for t in advises if t.source in partner and t.target not in partner)  # associate asks partner
    down = sum(1 for t in advises if t.source not in partner and t.target in partner)
    assert (up, down) == (242, 59)
    cowork = [t for t in lazega.ties if t.kind is TieKind.KNOWS and {t.source, t.target} <= partner]
    both = [t for t in cowork if len(t.extra["nominated_by"].split(";")) == 2]
    assert len(both) == 115  # Snijders et al. (2006): co-work among partners, reciprocated
    assert len(cowork) == 244


# ============================================================================ synthetic_org
def check_org(g: StakeholderGraph, n: int, span: tuple[int, int] = (5, 8)) -> None:
    """Every structural promise of synthetic_org, checked independently."""
    assert len(g) == n
    cust = customers(g)
    reports = [t for t in g.ties if t.kind is TieKind.REPORTS_TO]
    tree = nx.DiGraph()
    tree.add_nodes_from(cust)
    tree.add_edges_from((t.target, t.source) for t in reports)
    assert set(tree) == set(cust)
    assert nx.is_arborescence(tree)  # one root, one manager each, no cycle
    (root,) = [i for i in cust if tree.in_degree(i) == 0]
    assert g.decision_makers() == [root]
    depth = nx.single_source_shortest_path_length(tree, root)
    assert all(g.person(i).level == depth[i] for i in cust)
    spans = sorted(d for _, d in tree.out_degree() if d > 0)
    assert spans[-1] <= span[1]
    assert sum(s < span[0] for s in spans) <= 1  # the last manager may be short
    assert 0 < min(t.strength for t in g.ties) and max(t.strength for t in g.ties) <= 1
    # valid by the checking loader, and unchanged by it
    again = StakeholderGraph.from_records(
        [p.to_record() for p in g.people.values()], [t.to_record() for t in g.ties], g.deal
    )
    assert again == g
    # roles and sides
    roles = collections.Counter(r for p in g.people.values() for r in p.roles)
    assert roles[Role.DECISION_MAKER] == 1 and roles[Role.GATEKEEPER] == 1 and roles[Role.COACH] == 1
    (gk,) = g.with_role("gatekeeper")
    assert g.manager(gk) == root
    (coach,) = g.with_role("coach")
    assert g.person(coach).stance.supportive
    ours = [i for i, p in g.people.items() if p.org is Org.US]
    assert 1 <= len(ours) <= 20
    known = [g.person(i) for i in cust if g.person(i).relationship is not None]
    assert known and all(p.owner in ours and p.last_contact <= g.deal.as_of for p in known)
    (comp,) = [i for i, p in g.people.items() if p.org is Org.COMPETITOR]
    assert any(
        g.person(({t.source, t.target} - {comp}).pop()).stance is Stance.HOSTILE for t in g.ties_of(comp)
    )


@pytest.mark.parametrize("n", [10, 57, 1000])
def test_synthetic_org_structure(n):
    check_org(datasets.synthetic_org(n, seed=7), n)


def test_synthetic_org_is_realistic_at_a_few_thousand():
    n = 3000
    g = datasets.synthetic_org(n, seed=11)
    assert 5.7 <= len(g.ties) / n <= 6.3
    assert {p.stance for p in g.people.values()} == set(Stance)
    assert {r for p in g.people.values() for r in p.roles} == set(Role)
    kinds = collections.Counter(t.kind for t in g.ties)
    assert all(kinds[k] > 0 for k in TieKind)
    cust = set(customers(g))
    informal = [t for t in g.ties if t.kind in HIDDEN and {t.source, t.target} <= cust]
    hidden = [t for t in informal if t.kind is not TieKind.KNOWS]
    assert 3.5 <= len(hidden) / len(cust) <= 4.5
    dept = {i: g.person(i).department for i in cust}
    share = np.mean([dept[t.source] == dept[t.target] for t in informal])
    sizes = np.array(list(collections.Counter(dept.values()).values())) / len(cust)
    assert share > 0.6 > 2 * float((sizes**2).sum())  # far more clustered than chance
    heads = [i for i in cust if g.person(i).level == 1]
    assert len({dept[i] for i in heads}) >= 4
    assert g.compiled().W.shape == (n, n)


def test_synthetic_org_seed():
    a = datasets.synthetic_org(500, seed=3)
    assert a == datasets.synthetic_org(500, seed=3)
    assert a == datasets.synthetic_org(500, seed=np.random.default_rng(3))
    b = datasets.synthetic_org(500, seed=4)
    assert a != b
    assert {t.key for t in a.ties} != {t.key for t in b.ties}


def test_synthetic_org_options():
    g = datasets.synthetic_org(800, seed=1, span=(3, 4), ties_per_person=3.0, team=7)
    check_org(g, 800, span=(3, 4))
    assert sum(p.org is Org.US for p in g.people.values()) == 7
    assert 2.7 <= len(g.ties) / 800 <= 3.3


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n": 5}, "n"),
        ({"n": 2.5}, "n"),
        ({"n": True}, "n"),
        ({"n": 10**8}, "n"),
        ({"n": 100, "span": (1, 3)}, "span"),
        ({"n": 100, "span": (6, 5)}, "span"),
        ({"n": 100, "span": 5}, "span"),
        ({"n": 100, "ties_per_person": 0}, "ties_per_person"),
        ({"n": 100, "ties_per_person": "6"}, "ties_per_person"),
        ({"n": 100, "team": 0}, "team"),
        ({"n": 12, "span": (20, 30)}, "n"),
        ({"n": 100, "seed": "abc"}, "seed"),
        ({"n": 100, "seed": -1}, "seed"),
        ({"n": 100, "seed": 1.5}, "seed"),
    ],
)
def test_synthetic_org_bad_parameters(kwargs, name):
    with pytest.raises(sg.ValidationError, match=f"The '{name}' parameter of synthetic_org must"):
        datasets.synthetic_org(**kwargs)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(10, 400),
    seed=st.integers(0, 2**32 - 1),
    span=st.sampled_from([(5, 8), (2, 3), (3, 6), (8, 12)]),
)
def test_synthetic_org_always_valid(n, seed, span):
    try:
        g = datasets.synthetic_org(n, seed=seed, span=span)
    except sg.ValidationError as e:
        assert "must leave at least" in str(e) and n - 3 < span[0] + 2
        return
    check_org(g, n, span)
