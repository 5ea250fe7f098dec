"""Deal health: each finding on a small hand-built account that triggers it and one that does not,
the score formula by hand, the bank example, and the gatekeeper rule against networkx."""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph.analysis.diagnose import (
    CODES,
    STAGE_SUPPORT,
    DiagnoseSettings,
    Diagnosis,
    Finding,
    backsliders,
    health_score,
)

AS_OF = "2026-06-01"


# ----------------------------------------------------------------------------- accounts
def healthy(stage: str = "deep_contact") -> sg.StakeholderGraph:
    """A small account with nothing wrong: the decision-maker met, a coach key people listen to, a
    champion, contacts in every department, everyone supportive, recent contacts, no gatekeeper."""
    g = sg.StakeholderGraph(deal=sg.Deal(name="Test deal", stage=stage, as_of=AS_OF))
    g.add_person("me", name="Mia Ode", org="us")
    g.add_person("me2", name="Max Ode", org="us")
    g.add_person(
        "boss",
        name="Bea Boss",
        title="CEO",
        department="Exec",
        roles=["decision_maker"],
        stance="ally",
        relationship=0.8,
        last_contact="2026-05-20",
    )
    g.add_person(
        "champ",
        name="Cal Champ",
        title="CIO",
        department="IT",
        roles=["evaluator", "coach"],
        stance="champion",
        relationship=0.9,
        last_contact="2026-05-25",
    )
    g.add_person(
        "fin",
        name="Fay Fin",
        title="CFO",
        department="Finance",
        roles=["approver"],
        stance="supporter",
        relationship=0.5,
        last_contact="2026-05-15",
    )
    g.add_tie("champ", "boss", "reports_to")
    g.add_tie("fin", "boss", "reports_to")
    g.add_tie("champ", "boss", "advises", 0.8)
    g.add_tie("fin", "champ", "friend", 0.5)
    g.add_tie("me", "boss", "knows", 0.8)
    g.add_tie("me", "champ", "knows", 0.9)
    g.add_tie("me2", "fin", "knows", 0.6)
    return g


def codes(g, **kw) -> list[str]:
    return sg.diagnose(g, **kw).codes()


def only(d: Diagnosis, code: str) -> Finding:
    found = d.by_code(code)
    assert len(found) == 1, found
    return found[0]


def test_healthy_account_has_no_findings_and_full_score():
    d = sg.diagnose(healthy())
    assert d.findings == ()
    assert d.score == 100.0
    assert d.to_dict() == {"score": 100.0, "findings": []}


# ----------------------------------------------------------------------------- DM_NOT_MET
def unmet(stage: str = "deep_contact") -> sg.StakeholderGraph:
    g = healthy(stage)
    g.remove_tie("me", "boss", "knows")
    g.update_person("boss", relationship=None)
    return g


@pytest.mark.parametrize(
    "stage,severity",
    [
        ("initiation", "warning"),
        ("deep_contact", "warning"),
        ("product_fixed", "critical"),
        ("commercial", "critical"),
        ("service", "critical"),
    ],
)
def test_dm_not_met_severity_by_stage(stage, severity):
    f = only(sg.diagnose(unmet(stage)), "DM_NOT_MET")
    assert f.severity == severity
    assert f.people == ("boss",)
    assert "Bea Boss" in f.message
    # the action names the best introduction (the coach, who advises her and knows us)
    assert "Cal Champ" in f.action


def test_dm_met_by_relationship_only_or_by_tie_only():
    g = healthy()
    g.remove_tie("me", "boss", "knows")  # relationship 0.8 remains
    assert "DM_NOT_MET" not in codes(g)
    g = healthy()
    g.update_person("boss", relationship=None)  # tie to our team remains
    assert "DM_NOT_MET" not in codes(g)


def test_a_rival_tie_to_our_team_counts_as_contact():
    g = unmet()
    g.add_tie("me", "boss", "rival", 0.3)
    assert "DM_NOT_MET" not in codes(g)


def test_no_decision_maker_named():
    g = healthy()
    g.update_person("boss", roles=["approver"])
    f = only(sg.diagnose(g), "DM_NOT_MET")
    assert f.people == ()
    assert "Cal Champ" in f.action  # ask the coach who signs


def test_each_unmet_decision_maker_is_a_finding():
    g = unmet()
    g.add_person("vp", name="Vic Vp", department="Exec", roles=["decision_maker"], stance="neutral")
    g.add_tie("vp", "boss", "friend", 0.5)
    d = sg.diagnose(g)
    assert sorted(f.people for f in d.by_code("DM_NOT_MET")) == [("boss",), ("vp",)]


# ----------------------------------------------------------------------------- NO_COACH
def test_no_coach():
    g = healthy()
    g.update_person("champ", roles=["evaluator"])
    f = only(sg.diagnose(g), "NO_COACH")
    assert (f.severity, f.people) == ("warning", ())


def test_a_hostile_coach_is_no_coach():
    g = healthy()
    g.update_person("fin", roles=["approver", "coach"], stance="hostile")
    g.update_person("champ", roles=["evaluator"])
    assert "NO_COACH" in codes(g)


def test_coach_without_influence():
    g = healthy()
    g.update_person("champ", roles=["evaluator"])
    g.add_person(
        "intern",
        name="Ivo Intern",
        department="IT",
        roles=["coach"],
        stance="ally",
        relationship=0.5,
        level=4,
    )
    g.add_tie("intern", "champ", "knows", 0.6)  # acquaintance carries no influence
    g.add_tie("me", "intern", "knows", 0.5)
    f = only(sg.diagnose(g), "NO_COACH")
    assert (f.severity, f.people) == ("warning", ("intern",))
    # once a key person listens to the coach, the coach has influence
    g.add_tie("intern", "boss", "advises", 0.5)
    assert "NO_COACH" not in codes(g)


# ----------------------------------------------------------------------------- NO_CHAMPION
@pytest.mark.parametrize("stage,severity", [("solution", "warning"), ("commercial", "critical")])
def test_no_champion(stage, severity):
    g = healthy(stage)
    g.set_stance("champ", "supporter")
    f = only(sg.diagnose(g), "NO_CHAMPION")
    assert f.severity == severity
    assert f.people == ("boss",)  # the strongest ally is the one to grow


def test_champion_from_support_value():
    g = healthy()
    g.update_person("champ", stance="unknown", support=0.95)
    assert "NO_CHAMPION" not in codes(g)
    g.update_person("champ", support=0.8)  # nearest stance: ally
    assert "NO_CHAMPION" in codes(g)


# ----------------------------------------------------------------------------- SINGLE_THREADED
def test_single_threaded_on_one_person():
    g = healthy()
    g.remove_tie("me", "boss", "knows")
    g.remove_tie("me2", "fin", "knows")
    g.update_person("boss", relationship=None)
    g.update_person("fin", relationship=None)
    f = only(sg.diagnose(g), "SINGLE_THREADED")
    assert (f.severity, f.people) == ("warning", ("champ",))
    assert "Cal Champ" in f.message
    g.set_deal(stage="commercial")
    assert only(sg.diagnose(g), "SINGLE_THREADED").severity == "critical"


def test_no_contact_at_all():
    g = healthy()
    for t in [t for t in g.ties if t.kind.value == "knows"]:
        g.remove_tie(t.source, t.target, t.kind)
    for pid in ("boss", "champ", "fin"):
        g.update_person(pid, relationship=None)
    f = only(sg.diagnose(g), "SINGLE_THREADED")
    assert f.people == ()


def test_single_threaded_on_one_department():
    g = healthy()
    g.update_person("boss", department="IT")
    g.remove_tie("me2", "fin", "knows")
    g.update_person("fin", relationship=None)
    f = only(sg.diagnose(g), "SINGLE_THREADED")
    assert (f.severity, set(f.people)) == ("warning", {"boss", "champ"})
    assert "Finance" in f.message


def test_min_contacts_setting():
    assert "SINGLE_THREADED" not in codes(healthy())
    f = only(sg.diagnose(healthy(), settings=DiagnoseSettings(min_contacts=4)), "SINGLE_THREADED")
    assert (f.severity, f.people) == ("warning", ("boss", "fin", "champ")) or set(f.people) == {
        "boss",
        "fin",
        "champ",
    }
    assert "only 3 people" in f.message


# ----------------------------------------------------------------------------- POWERFUL_OPPONENT
@pytest.mark.parametrize("stance,severity", [("hostile", "critical"), ("skeptic", "warning")])
def test_powerful_opponent(stance, severity):
    g = healthy()
    g.set_stance("fin", stance)
    f = only(sg.diagnose(g), "POWERFUL_OPPONENT")
    assert (f.severity, f.people) == (severity, ("fin",))
    # fin reports to the decision-maker, who therefore listens to her directly
    assert f.details["chains"] == {"boss": ["fin", "boss"]}
    assert "Bea Boss" in f.message


def test_weak_opponent_is_not_powerful():
    g = healthy()
    g.set_stance("fin", "hostile")
    d = sg.diagnose(g, settings=DiagnoseSettings(powerful_top=1))  # only the CEO counts as powerful
    assert "POWERFUL_OPPONENT" not in d.codes()
    assert only(d, "NON_SUPPORTER").people == ("fin",)


def test_hostile_decision_maker_is_always_powerful():
    g = healthy()
    g.set_stance("boss", "hostile")
    g.update_person("fin", power=10.0)
    d = sg.diagnose(g, settings=DiagnoseSettings(powerful_top=1))
    assert [f.people for f in d.by_code("POWERFUL_OPPONENT")] == [("boss",)]


def test_opponent_spread_follows_strongest_influence_chain():
    """The chain from the opponent to the decision-maker is the most probable one in W (checked
    with networkx on -log weights), and the listeners are the people who listen to them most."""
    g = healthy()
    g.add_person(
        "h",
        name="Hal Hostile",
        department="IT",
        roles=["influencer"],
        stance="hostile",
        relationship=0.2,
        power=5.0,
    )
    g.add_person("a", name="Al", department="IT", roles=["user"], stance="neutral", relationship=0.3)
    g.add_person("b", name="Bo", department="IT", roles=["user"], stance="neutral", relationship=0.3)
    g.add_tie("me", "h", "knows")
    g.add_tie("h", "a", "influences", 0.9)
    g.add_tie("h", "b", "influences", 0.3)
    g.add_tie("a", "boss", "advises", 0.9)
    g.add_tie("b", "boss", "advises", 0.2)
    g.add_tie("b", "fin", "friend", 0.5)  # b also listens to fin, so listens to h less than a does
    d = sg.diagnose(g)
    f = only(d, "POWERFUL_OPPONENT")
    assert f.people == ("h",)
    c = g.compiled()
    G = nx.DiGraph()
    W = c.W.toarray()
    for i in range(c.n):
        for j in range(c.n):
            if i != j and W[i, j] > 0:
                G.add_edge(c.ids[j], c.ids[i], weight=-math.log(W[i, j]))
    assert f.details["chains"]["boss"] == nx.shortest_path(G, "h", "boss", weight="weight")
    assert f.details["chains"]["boss"] == ["h", "a", "boss"]
    assert [p for p, _ in f.details["listeners"]] == ["a", "b"]
    assert "Al" in f.message


# ----------------------------------------------------------------------------- UNKNOWN_STANCE
def test_unknown_stance_of_key_people():
    g = healthy()
    g.set_stance("fin", "unknown")
    f = only(sg.diagnose(g), "UNKNOWN_STANCE")
    assert (f.severity, f.people) == ("warning", ("fin",))
    assert "Cal Champ" in f.action  # ask the coach


def test_unknown_stance_outside_the_key_people_is_no_finding():
    g = healthy()
    g.add_person("visitor", name="Val", department="IT")  # no buying role
    g.add_tie("me", "visitor", "knows")
    assert "UNKNOWN_STANCE" not in codes(g)
    g.update_person("visitor", roles=["user"])
    assert "UNKNOWN_STANCE" in codes(g)  # now in the decision group, and the group is small
    assert "UNKNOWN_STANCE" not in codes(g, settings=DiagnoseSettings(key_people=3))


def test_explicit_support_is_a_known_stance():
    g = healthy()
    g.update_person("fin", stance="unknown", support=0.4)
    assert "UNKNOWN_STANCE" not in codes(g)


# ----------------------------------------------------------------------------- NON_SUPPORTER
def test_non_supporter_doubt_wants_proof():
    g = healthy()
    g.set_stance("fin", "skeptic", reason="doubt")
    f = list(sg.diagnose(g).by_code("NON_SUPPORTER"))[0]
    assert (f.severity, f.people) == ("warning", ("fin",))
    assert "reference visit" in f.action and "pilot" in f.action


def test_non_supporter_misinformed_names_the_source():
    g = healthy()
    g.set_stance("fin", "skeptic", reason="misinformed")
    g.add_person("rep", name="Rex Rival", org="competitor")
    g.add_person("pal", name="Pat Pal", department="Finance", stance="neutral", relationship=0.4)
    g.add_tie("me2", "pal", "knows")
    g.add_tie("rep", "fin", "influences", 0.4)
    g.add_tie("pal", "fin", "influences", 0.9)  # listened to more, but neutral and not tied to the competitor
    f = sg.diagnose(g).by_code("NON_SUPPORTER")[0]
    assert f.details["source"] == "rep"
    assert "Rex Rival" in f.action and "Rex Rival" in f.message
    # a customer person tied to the competitor is a source too, and wins when listened to more
    g.add_tie("rep", "pal", "knows", 0.5)
    f = sg.diagnose(g).by_code("NON_SUPPORTER")[0]
    assert f.details["source"] == "pal"
    assert "Pat Pal" in f.action


def test_non_supporter_misinformed_without_a_known_source():
    g = healthy()
    g.set_stance("fin", "skeptic", reason="misinformed")
    f = sg.diagnose(g).by_code("NON_SUPPORTER")[0]
    assert f.details["source"] is None
    assert "Correct the record" in f.action


def test_non_supporter_backsliding_re_engage():
    g = healthy()
    g.set_stance("fin", "supporter", reason="backsliding")  # still supportive, but slipping
    f = only(sg.diagnose(g), "NON_SUPPORTER")
    assert f.people == ("fin",)
    assert "Re-engage" in f.action and "what changed" in f.action


def test_non_supporter_outside_key_people_is_info():
    g = healthy()
    g.add_person("clerk", name="Cy Clerk", department="Finance", stance="skeptic", relationship=0.3)
    g.add_tie("me2", "clerk", "knows")
    f = only(sg.diagnose(g), "NON_SUPPORTER")
    assert (f.severity, f.people) == ("info", ("clerk",))


def test_neutral_without_reason_is_no_non_supporter():
    g = healthy()
    g.set_stance("fin", "neutral")
    assert "NON_SUPPORTER" not in codes(g)


def test_one_non_supporter_finding_each():
    g = healthy()
    g.set_stance("fin", "skeptic", reason="doubt")
    g.set_stance("champ", "hostile")
    d = sg.diagnose(g)
    assert sorted(f.people for f in d.by_code("NON_SUPPORTER")) == [("champ",), ("fin",)]


# ----------------------------------------------------------------------------- UNCOVERED_GROUP
def test_uncovered_department():
    g = healthy()
    g.add_person(
        "law",
        name="Lee Law",
        title="General Counsel",
        department="Legal",
        roles=["approver"],
        stance="supporter",
    )
    g.add_person("para", name="Pia Para", department="Legal", stance="supporter")
    g.add_tie("para", "law", "reports_to")
    g.add_tie("law", "boss", "reports_to")
    g.add_tie("para", "law", "friend", 0.9)  # also a coalition, reported once as the department
    d = sg.diagnose(g)
    f = only(d, "UNCOVERED_GROUP")
    assert (f.severity, f.people) == ("warning", ("law", "para"))
    assert "Legal" in f.message
    g.add_tie("me", "para", "knows", 0.3)
    assert "UNCOVERED_GROUP" not in codes(g)


def test_uncovered_department_without_key_people_is_info():
    g = healthy()
    g.add_person("para", name="Pia Para", department="Legal", stance="supporter")
    g.add_tie("para", "boss", "reports_to")
    f = only(sg.diagnose(g), "UNCOVERED_GROUP")
    assert (f.severity, f.people) == ("info", ("para",))


def test_uncovered_coalition_across_covered_departments():
    g = healthy()
    for pid, dept in (("x", "IT"), ("y", "Finance"), ("z", "Exec")):
        g.add_person(pid, name=pid.upper(), department=dept, stance="supporter")
        g.add_tie(pid, "boss", "reports_to")
    g.add_tie("x", "y", "friend", 1.0)
    g.add_tie("y", "z", "friend", 1.0)
    g.add_tie("x", "z", "friend", 1.0)
    coalitions = [set(c.members) for c in sg.structure(g).coalitions]
    assert {"x", "y", "z"} in coalitions
    f = only(sg.diagnose(g), "UNCOVERED_GROUP")
    assert (f.severity, set(f.people)) == ("info", {"x", "y", "z"})
    assert f.details["group"] == "coalition"
    g.add_tie("me", "y", "knows", 0.4)
    assert "UNCOVERED_GROUP" not in codes(g)


# ----------------------------------------------------------------------------- GATEKEEPER
def gated() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(deal=sg.Deal(stage="solution", as_of=AS_OF))
    g.add_person("me", name="Mia Ode", org="us")
    g.add_person(
        "ea", name="Eve Assist", department="Exec", roles=["gatekeeper"], stance="neutral", relationship=0.5
    )
    g.add_person("boss", name="Bea Boss", department="Exec", roles=["decision_maker"], stance="neutral")
    g.add_person("ops", name="Oz Ops", department="Ops", roles=["user"], stance="supporter", relationship=0.5)
    g.add_tie("me", "ea", "knows", 0.6)
    g.add_tie("ea", "boss", "reports_to")
    g.add_tie("me", "ops", "knows", 0.6)
    return g


def test_gatekeeper_on_every_path():
    f = only(sg.diagnose(gated()), "GATEKEEPER")
    assert (f.severity, f.people) == ("warning", ("ea", "boss"))
    assert "Eve Assist" in f.message and "Bea Boss" in f.message


def test_gatekeeper_with_a_second_route():
    g = gated()
    g.add_tie("ops", "boss", "knows", 0.3)
    assert "GATEKEEPER" not in codes(g)


def test_second_route_through_a_hostile_does_not_count():
    g = gated()
    g.set_stance("ops", "hostile")
    g.add_tie("ops", "boss", "knows", 0.3)
    assert "GATEKEEPER" in codes(g)


def test_unreachable_decision_maker_has_no_gatekeeper_finding():
    g = gated()
    g.remove_tie("ea", "boss", "reports_to")
    assert "GATEKEEPER" not in codes(g)


@st.composite
def gate_graphs(draw):
    n = draw(st.integers(3, 9))
    g = sg.StakeholderGraph()
    g.add_person("p0", org="us")
    for i in range(1, n):
        roles = (
            ["decision_maker"] if i == n - 1 else draw(st.sampled_from([[], ["gatekeeper"], ["gatekeeper"]]))
        )
        g.add_person(
            f"p{i}",
            roles=roles,
            stance=draw(st.sampled_from(["neutral", "ally", "hostile", "unknown"])),
            relationship=draw(st.sampled_from([None, None, 0.5])),
            org=draw(st.sampled_from(["customer"] * 4 + ["partner", "competitor"]))
            if i < n - 1
            else "customer",
        )
    for _ in range(draw(st.integers(0, 2 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        kind = draw(st.sampled_from(["knows", "friend", "advises", "rival"]))
        if a != b:
            try:
                g.add_tie(f"p{a}", f"p{b}", kind, 0.5)
            except sg.ValidationError:
                pass
    return g


def reference_gatekeepers(g) -> set[str]:
    """Gatekeepers without whom no introduction reaches the decision-maker, by networkx."""

    def blocks(pid):
        p = g.person(pid)
        s = (
            p.support
            if p.support is not None
            else (
                p.stance.support
                if p.stance is not sg.Stance.UNKNOWN
                else g.model.default_support(p.org.value)
            )
        )
        return s == s and s < -0.75

    G = nx.DiGraph()
    G.add_node("SRC")
    G.add_nodes_from(g.people)
    for pid, p in g.people.items():
        if p.org is sg.Org.US or (p.org is sg.Org.CUSTOMER and (p.relationship or 0) > 0):
            G.add_edge("SRC", pid)
    for t in g.ties:
        if t.kind is sg.TieKind.RIVAL:
            continue
        for u, v in ((t.source, t.target), (t.target, t.source)):
            if not blocks(u) and g.person(v).org is not sg.Org.US:
                G.add_edge(u, v)
    out = set()
    for dm in g.decision_makers():
        if not nx.has_path(G, "SRC", dm):
            continue
        for gk in g.with_role("gatekeeper"):
            if gk == dm or g.person(gk).org is not sg.Org.CUSTOMER:
                continue
            H = G.copy()
            H.remove_node(gk)
            if not nx.has_path(H, "SRC", dm):
                out.add(gk)
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gate_graphs())
def test_gatekeeper_matches_networkx(g):
    d = sg.diagnose(g)
    found = {f.people[0] for f in d.by_code("GATEKEEPER")}
    assert found == reference_gatekeepers(g)


# ----------------------------------------------------------------------------- LOW_SUPPORT
def flat(stance: str, stage: str) -> sg.StakeholderGraph:
    """Every decision-group member at one stance: committee support is that stance's value."""
    g = healthy(stage)
    for pid in ("boss", "champ", "fin"):
        g.set_stance(pid, stance)
    return g


@pytest.mark.parametrize(
    "stance,stage,low,severity",
    [
        ("neutral", "deep_contact", False, None),  # 0.0 >= 0.0
        ("neutral", "product_fixed", True, "critical"),  # 0.0 < 0.2
        ("skeptic", "solution", True, "warning"),  # -0.5 < -0.25
        ("neutral", "solution", False, None),  # 0.0 >= -0.25
        ("hostile", "initiation", True, "warning"),  # -1.0 < -0.5
        ("supporter", "commercial", False, None),  # 0.5 >= 0.35
    ],
)
def test_low_support_by_stage_table(stance, stage, low, severity):
    g = flat(stance, stage)
    found = sg.diagnose(g).by_code("LOW_SUPPORT")
    assert bool(found) == low
    if low:
        f = found[0]
        assert f.severity == severity
        assert f.details["support"] == pytest.approx(sg.Stance(stance).support)
        assert f.details["needed"] == STAGE_SUPPORT[stage]


def test_low_support_table_is_overridable_and_unstaged_default():
    g = flat("supporter", "commercial")
    assert "LOW_SUPPORT" in codes(g, settings=DiagnoseSettings(stage_support={"commercial": 0.6}))
    g.set_deal(stage=None)
    assert "LOW_SUPPORT" not in codes(g)
    assert "LOW_SUPPORT" in codes(g, settings=DiagnoseSettings(support_unstaged=0.9))


def test_stage_table_covers_every_stage_and_rises_to_commercial():
    assert set(STAGE_SUPPORT) == set(sg.Stage.allowed())
    order = [
        STAGE_SUPPORT[s] for s in ["initiation", "solution", "deep_contact", "product_fixed", "commercial"]
    ]
    assert order == sorted(order)


# ----------------------------------------------------------------------------- STALE_CONTACT
def test_stale_contact_relative_to_deal_as_of():
    g = healthy()
    g.update_person("fin", last_contact="2026-01-01")  # 151 days before 2026-06-01
    f = only(sg.diagnose(g), "STALE_CONTACT")
    assert (f.severity, f.people) == ("warning", ("fin",))
    assert f.details["days"] == {"fin": 151}
    assert "151 days" in f.message


def test_stale_contact_parameters():
    g = healthy()
    g.update_person("fin", last_contact="2026-01-01")
    assert "STALE_CONTACT" not in codes(g, as_of="2026-02-01")  # 31 days
    assert "STALE_CONTACT" not in codes(g, stale_days=151)
    assert "STALE_CONTACT" in codes(g, stale_days=150)
    assert "STALE_CONTACT" in codes(g, as_of=dt.date(2026, 3, 3))  # 61 days


def test_stale_contact_defaults_to_today_without_as_of():
    g = healthy()
    g.set_deal(as_of=None)
    today = dt.date.today()
    for pid in ("boss", "champ", "fin"):
        g.update_person(pid, last_contact=today - dt.timedelta(days=10))
    assert "STALE_CONTACT" not in codes(g)
    g.update_person("fin", last_contact=today - dt.timedelta(days=100))
    assert only(sg.diagnose(g), "STALE_CONTACT").people == ("fin",)


def test_never_contacted_is_not_stale():
    g = healthy()
    g.update_person("fin", last_contact=None)
    assert "STALE_CONTACT" not in codes(g)


# ----------------------------------------------------------------------------- SUPPORT_SHRINKING
def test_support_shrinking_names_backsliders():
    before = healthy()
    after = before.copy()
    after.set_stance("fin", "skeptic")
    f = only(sg.diagnose(after, previous=before), "SUPPORT_SHRINKING")
    assert (f.severity, f.people) == ("warning", ("fin",))
    assert "Fay Fin" in f.message
    old, new = f.details["support"]
    assert new < old


def test_support_not_shrinking():
    g = healthy()
    assert "SUPPORT_SHRINKING" not in codes(g, previous=g.copy())
    better = g.copy()
    better.set_stance("fin", "ally")
    assert "SUPPORT_SHRINKING" not in codes(better, previous=g)
    assert "SUPPORT_SHRINKING" not in codes(g)  # no previous snapshot


def test_backsliders():
    a = healthy()
    b = a.copy()
    b.set_stance("champ", "ally")  # supportive -> less supportive
    b.set_stance("fin", "supporter", reason="backsliding")  # newly backsliding
    b.add_person("new", stance="hostile")
    assert backsliders(a, b) == ["champ", "fin"]
    c = a.copy()
    c.set_stance("boss", "champion")
    assert backsliders(a, c) == []


# ----------------------------------------------------------------------------- HIDDEN_INFLUENCER
def test_hidden_influencer_findings_follow_rank():
    g = sg.datasets.load("bank")
    hidden = {r["id"] for r in sg.rank(g).to_dict()["people"] if r["hidden_influencer"]}
    hidden &= set(g.ids("customer"))
    assert hidden, "the bank example has a hidden influencer"
    d = sg.diagnose(g)
    assert {f.people[0] for f in d.by_code("HIDDEN_INFLUENCER")} == hidden


def test_no_hidden_influencer_in_the_healthy_account():
    g = healthy()
    assert not any(r["hidden_influencer"] for r in sg.rank(g).to_dict()["people"])
    assert "HIDDEN_INFLUENCER" not in codes(g)


# ----------------------------------------------------------------------------- score and result
def F(code, severity, *people):
    return Finding(code, severity, tuple(people), "m", "a")


def test_score_formula_by_hand():
    assert health_score([]) == 100.0
    fs = [
        F("DM_NOT_MET", "critical", "x"),
        F("NO_COACH", "warning"),
        F("NO_CHAMPION", "warning"),
        F("NON_SUPPORTER", "info", "y"),
    ]
    assert health_score(fs) == 100 - 20 - 2 * 8 - 2
    many = [F("NON_SUPPORTER", "critical", str(i)) for i in range(5)]
    assert health_score(many) == 100 - 60  # capped
    worst = many + [F("NO_COACH", "warning")] * 10 + [F("UNKNOWN_STANCE", "info")] * 10
    assert health_score(worst) == 0.0
    s = DiagnoseSettings(penalty={"critical": 50}, cap={"critical": 100})
    assert health_score(many[:1], s) == 50.0


def test_score_of_a_real_diagnosis_by_hand():
    d = sg.diagnose(sg.datasets.load("bank"))
    n = {s: sum(1 for f in d.findings if f.severity == s) for s in ("critical", "warning", "info")}
    expected = 100 - min(60, 20 * n["critical"]) - min(30, 8 * n["warning"]) - min(10, 2 * n["info"])
    assert d.score == max(0, expected)


def test_findings_most_severe_first_then_code_then_people():
    g = unmet()
    g.set_stance("fin", "skeptic", reason="doubt")
    g.add_person("clerk", name="Cy", department="Finance", stance="skeptic", relationship=0.3)
    g.add_tie("me2", "clerk", "knows")
    d = sg.diagnose(g)
    sev = {"critical": 0, "warning": 1, "info": 2}
    keys = [(sev[f.severity], CODES.index(f.code), f.people) for f in d.findings]
    assert keys == sorted(keys)
    assert len(d.findings) >= 3


def test_to_dict_shape_and_json():
    d = sg.diagnose(sg.datasets.load("bank"))
    doc = d.to_dict()
    assert set(doc) == {"score", "findings"}
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "people", "message", "action"}
        assert f["code"] in CODES and f["severity"] in ("critical", "warning", "info")
        assert isinstance(f["people"], list)
    import json

    assert json.loads(d.to_json())["score"] == doc["score"]


def test_to_markdown_contains_every_finding():
    d = sg.diagnose(sg.datasets.load("bank"))
    md = d.to_markdown()
    assert md.startswith(f"## Deal health: {d.score:.0f}/100")
    import html

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(md)
    for f in d.findings:
        assert f"**{f.severity.upper()} — {f.code}**" in md
        # rendered, each message and action reads exactly as written
        assert html.escape(" ".join(f.message.split()), quote=False) in rendered
        assert html.escape(" ".join(f.action.split()), quote=False) in rendered


def test_markdown_renders_names_and_notes_as_the_text_they_are():
    from markdown_it import MarkdownIt

    g = sg.datasets.load("bank")
    hostile = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(2)) `code` _x_ | a & b"
    g.update_person("coo", name=hostile)
    d = sg.diagnose(g)
    rendered = MarkdownIt("commonmark").render(d.to_markdown())
    assert "<img" not in rendered and "<a " not in rendered and "<strong>bold" not in rendered
    assert "<code>code" not in rendered
    # the name is shown as written: the renderer's text equals the name, HTML-escaped
    import html

    assert html.escape(hostile, quote=False) in rendered


def test_frame_html_codes_by_code():
    d = sg.diagnose(sg.datasets.load("bank"))
    frame = d.to_frame()
    assert list(frame.columns) == ["code", "severity", "people", "message", "action"]
    assert len(frame) == len(d.findings)
    html = d._repr_html_()
    assert "Deal health" in html and "DM_NOT_MET" in html
    assert d.codes() == list(dict.fromkeys(f.code for f in d.findings))
    assert d.by_code("GATEKEEPER") == [f for f in d.findings if f.code == "GATEKEEPER"]
    with pytest.raises(sg.ValidationError, match="did you mean 'DM_NOT_MET'"):
        d.by_code("DM_NOT_MEt")


# ----------------------------------------------------------------------------- the bank example
def test_bank_triggers_the_method_findings():
    g = sg.datasets.load("bank")
    d = sg.diagnose(g)
    dm = only(d, "DM_NOT_MET")
    assert dm.people == ("ceo",) and dm.severity == "warning"  # stage deep_contact
    opp = {f.people[0]: f for f in d.by_code("POWERFUL_OPPONENT")}
    assert "coo" in opp and opp["coo"].severity == "critical"  # the hostile COO
    assert "Daniel Okafor" in opp["coo"].message  # their view reaches the CEO
    hidden = {f.people[0] for f in d.by_code("HIDDEN_INFLUENCER")}
    assert "arch_lead" in hidden
    gate = only(d, "GATEKEEPER") if d.by_code("GATEKEEPER") else None
    ns = {f.people[0]: f for f in d.by_code("NON_SUPPORTER")}
    assert "reference visit" in ns["cfo"].action  # doubt
    assert ns["it_security"].details["source"] == "comp_se"  # misinformed by the competitor's engineer
    assert "Re-engage" in ns["head_ops"].action  # backsliding
    assert d.findings[0].severity == "critical"
    assert gate is None or gate.people == ("ea_ceo", "ceo")


# ----------------------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "kw,match",
    [
        ({"stale_days": 0}, "'stale_days' parameter of diagnose"),
        ({"stale_days": True}, "'stale_days' parameter of diagnose"),
        ({"as_of": "yesterday"}, "'as_of' parameter of diagnose"),
        ({"settings": {"stale_days": 3}}, "'settings' parameter of diagnose"),
        ({"previous": "old"}, "'previous' parameter of diagnose"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(sg.ValidationError, match=match):
        sg.diagnose(healthy(), **kw)


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"key_people": 0}, "'key_people' parameter of DiagnoseSettings must be an int >= 1"),
        ({"late_stage": "later"}, "'late_stage' parameter of DiagnoseSettings must be a deal stage"),
        ({"stage_support": {"closing": 0.1}}, "'stage_support' parameter of DiagnoseSettings"),
        ({"stage_support": {"commercial": 2}}, "'stage_support' parameter of DiagnoseSettings"),
        ({"penalty": {"fatal": 3}}, "'penalty' parameter of DiagnoseSettings"),
        ({"cap": {"info": -1}}, "'cap' parameter of DiagnoseSettings"),
        ({"shrink_tolerance": float("nan")}, "'shrink_tolerance' parameter of DiagnoseSettings"),
    ],
)
def test_bad_settings(kw, match):
    with pytest.raises(sg.ValidationError, match=match):
        DiagnoseSettings(**kw)


def test_finding_checks_severity():
    with pytest.raises(sg.ValidationError, match="'severity' of a Finding must be one of critical"):
        Finding("NO_COACH", "fatal", (), "m", "a")
    assert Finding("NO_COACH", "info", ["a"], "m", "a").people == ("a",)


def test_settings_are_frozen_values():
    s = DiagnoseSettings()
    with pytest.raises(Exception):
        s.stale_days = 3  # type: ignore[misc]
    assert s == DiagnoseSettings()
    assert s.support_needed(None) == 0.0


def test_diagnose_does_not_change_the_graph():
    g = sg.datasets.load("bank")
    before = g.copy()
    sg.diagnose(g, previous=sg.datasets.load("bank_later"))
    assert g == before


def test_findings_are_a_registry_one_check_per_code(monkeypatch):
    from stakegraph.analysis import diagnose as dg

    assert tuple(dg.FINDINGS) == dg.CODES and len(set(dg.CODES)) == len(dg.CODES) == 17
    g = sg.datasets.load("bank")
    base = {f.code for f in sg.diagnose(g).findings}
    assert "NON_SUPPORTER" in base

    def extra(x):
        return [dg.Finding("TEST_ONLY", "info", (), "A finding added in one place.", "Nothing to do.")]

    monkeypatch.setattr(dg, "FINDINGS", dict(dg.FINDINGS))
    monkeypatch.setitem(dg.FINDINGS, "TEST_ONLY", extra)
    monkeypatch.delitem(dg.FINDINGS, "NON_SUPPORTER")
    codes = {f.code for f in sg.diagnose(g).findings}
    assert codes == (base - {"NON_SUPPORTER"}) | {"TEST_ONLY"}
    with pytest.raises(ValueError):
        dg.finding("DM_NOT_MET")
    with pytest.raises(ValueError):
        dg.finding("lower_case")


def test_a_check_returning_another_code_is_a_bug(monkeypatch):
    from stakegraph.analysis import diagnose as dg

    monkeypatch.setattr(dg, "FINDINGS", dict(dg.FINDINGS))
    monkeypatch.delitem(dg.FINDINGS, "NO_COACH")
    dg.finding("NO_COACH")(lambda x: [dg.Finding("NO_CHAMPION", "info", (), "m", "a")])
    with pytest.raises(RuntimeError, match="the check of NO_COACH returned findings of NO_CHAMPION"):
        sg.diagnose(sg.datasets.load("bank"))


# ----------------------------------------------------------------------------- the intelligence system
def _intel_account() -> sg.StakeholderGraph:
    g = sg.StakeholderGraph(deal=sg.Deal(name="Intel", stage="deep_contact", as_of="2026-12-01"))
    g.add_person("ceo", roles=["decision_maker"], stance="neutral", level=0)
    g.add_person("cfo", roles=["approver"], stance="supporter", level=1)
    g.add_person("cio", roles=["evaluator"], stance="ally", level=1)
    g.add_person("coach", roles=["coach"], stance="champion", level=2)
    g.add_person("rep", org="us")
    for pid in ("cfo", "cio", "coach"):
        g.add_tie(pid, "ceo", "reports_to")
    g.add_tie("rep", "coach", "knows", 0.8)
    return g


def test_single_source_and_disagreement():
    g = _intel_account()
    intel = {"SINGLE_SOURCE", "INFORMANTS_DISAGREE", "STALE_INTELLIGENCE", "UNRELIABLE_INFORMANT"}
    assert not intel & set(codes(g))  # no reports: the intelligence findings stay silent
    g.observe("coach", "stance", "ceo", "neutral", date="2026-11-20")
    g.observe("coach", "stance", "cfo", "supporter", date="2026-11-20")
    g.observe("partner", "stance", "cfo", "skeptic", date="2026-11-25")
    g.observe("rep", "stance", "cio", "ally", date="2026-11-25")
    g.observe("coach", "stance", "cio", "supporter", date="2026-11-25")  # one step apart: no conflict
    d = sg.diagnose(g)
    (single,) = d.by_code("SINGLE_SOURCE")
    assert single.people == ("ceo",) and single.severity == "warning"  # the decision-maker
    assert "ceo: neutral per coach" in single.message
    (conflict,) = d.by_code("INFORMANTS_DISAGREE")
    assert conflict.people == ("cfo",) and "coach says supporter; partner says skeptic" in conflict.message
    assert conflict.details["reports"] == {"coach": "supporter", "partner": "skeptic"}


def test_stale_intelligence_counts_days_from_the_newest_report():
    g = _intel_account()
    g.observe("coach", "stance", "ceo", "neutral", date="2026-08-01")  # 122 days before as_of
    g.observe("coach", "stance", "cfo", "supporter", date="2026-06-01")
    g.observe(
        "partner", "stance", "cfo", "supporter", date="2026-11-30"
    )  # the newest report about the CFO is fresh
    (f,) = sg.diagnose(g).by_code("STALE_INTELLIGENCE")
    assert f.people == ("ceo",) and f.details["days"] == {"ceo": 122}
    assert not sg.diagnose(g, settings=sg.analysis.diagnose.DiagnoseSettings(intel_days=150)).by_code(
        "STALE_INTELLIGENCE"
    )


def test_an_informant_the_others_contradict_is_unreliable():
    g = _intel_account()
    truth = {"ceo": "neutral", "cfo": "supporter", "cio": "ally", "coach": "champion"}
    wrong = {"ceo": "hostile", "cfo": "skeptic", "cio": "hostile", "coach": "skeptic"}
    for pid, s in truth.items():
        g.observe("rep", "stance", pid, s)
        g.observe("partner", "stance", pid, s)
        g.observe("gossip", "stance", pid, wrong[pid])
    d = sg.diagnose(g)
    flagged = [f.details["informant"] for f in d.by_code("UNRELIABLE_INFORMANT")]
    assert flagged == ["gossip"]
    (f,) = d.by_code("UNRELIABLE_INFORMANT")
    assert "of gossip's stance reports (4 people reported on by others too)" in f.message
    # four reports the others contradict: (1 + ~0) / (2 + 4), a little above 1/6
    assert 1 / 6 <= f.details["accuracy"] < 0.2


def test_findings_about_many_people_are_grouped_after_the_most_powerful():
    g = sg.datasets.synthetic_org(300, seed=1)
    whole = sg.diagnose(g, settings=DiagnoseSettings(individual=10_000))
    short = sg.diagnose(g)
    power = {p["id"]: p["power"] for p in sg.rank(g, seed=0).to_dict()["people"]}
    grouped_codes = ("POWERFUL_OPPONENT", "NON_SUPPORTER", "HIDDEN_INFLUENCER")
    for code in grouped_codes:
        every = [f.people[0] for f in whole.findings if f.code == code]
        mine = [f for f in short.findings if f.code == code]
        kept = [f.people[0] for f in mine if not f.details.get("grouped")]
        groups = [f for f in mine if f.details.get("grouped")]
        if len(every) <= 9:
            assert not groups and sorted(kept) == sorted(every)
            continue
        (group,) = groups
        assert len(kept) == 8 and group.severity == "info"
        # nobody is lost, and the people kept are the most powerful of them
        assert sorted(kept + list(group.people)) == sorted(every)
        by_power = sorted(every, key=lambda i: (-power[i], i))
        assert set(kept) == set(by_power[:8])
        assert [power[i] for i in group.people] == sorted((power[i] for i in group.people), reverse=True)
        assert (
            group.message.startswith(f"{len(group.people)} other") and "most powerful first" in group.message
        )
    assert len(short.findings) < len(whole.findings) / 2
    small = sg.datasets.load("bank")  # a small account keeps a finding per person
    assert (
        sg.diagnose(small).findings
        == sg.diagnose(small, settings=DiagnoseSettings(individual=10_000)).findings
    )
    with pytest.raises(sg.ValidationError, match="'individual' parameter of DiagnoseSettings"):
        DiagnoseSettings(individual=0)
